// Wydarzenia: trainings, meetings, conferences and the yearly forum. Registrations of people
// (with the organisation they come from), a waiting list once the places are taken, attendance
// ticked on the day, and the attendance sheet PDF for grant accounting.

import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate, formatDateTime, todayPl } from '../format.js';
import { field, group, collect, clearErrors, showFailure } from '../form.js';
import { RecordList } from '../recordlist.js';
import { offerSaved } from '../saved.js';
import { toast, reportError, confirmDialog, splitLayout, emptyState, attachSuggestions, mayLeave, showPlaceholder } from '../ui.js';

const KINDS = ['training', 'meeting', 'conference', 'forum', 'workshop', 'other'];

const state = {
  rooms: [],
  query: { upcoming: false },
  list: null,
  panes: null,
  form: null,
  dirty: false,
  openId: null,
};

const time = (iso) => (iso ? iso.slice(11, 16) : '');

function renderRow(e) {
  const places = e.capacity ? `${e.registered}/${e.capacity}` : String(e.registered);
  return h('div', { class: 'erow', dataset: { id: e.id } },
    h('span', { class: 'cell' }, formatDate(e.starts_at), h('span', { class: 'subline' }, time(e.starts_at))),
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, e.title),
      h('span', { class: 'subline' }, t(`event_kind_${e.kind}`), e.place ? ` · ${e.place}` : '')),
    h('span', { class: 'cell' }, places, e.waiting ? h('span', { class: 'subline' }, t('event_waiting_n', { n: e.waiting })) : null));
}

async function reload() {
  await state.list.reload();
}

function mountList() {
  const q = state.query;
  state.list = new RecordList({
    titleKey: 'nav_events',
    actions: [h('button', { type: 'button', class: 'primary', id: 'new-event', onclick: () => newRecord() }, t('event_new'))],
    above: [
      h('div', { class: 'filters' },
        h('div', { class: 'filter filter-check' },
          h('label', {},
            h('input', { type: 'checkbox', checked: q.upcoming, onchange: (e) => { q.upcoming = e.target.checked; reload(); } }),
            h('span', {}, t('event_upcoming_only'))))),
      h('div', { class: 'listhead erow' },
        h('span', { class: 'colhead static' }, t('f_date')),
        h('span', { class: 'colhead static' }, t('event_title')),
        h('span', { class: 'colhead static' }, t('event_places'))),
    ],
    empty: () => emptyState(q.upcoming ? t('event_empty_upcoming') : t('event_empty'),
      h('button', { type: 'button', class: 'primary', onclick: () => newRecord() }, t('event_new'))),
    fetchPage: (offset, limit) => api.listEvents({ upcoming: q.upcoming, offset, limit }),
    renderRow,
    onOpen: (e) => open(e.id),
  });
  state.panes.list.replaceChildren(...state.list.pane);
}

const confirmLeaveForm = () => mayLeave(state);
const placeholder = () => showPlaceholder(state.panes.detail, 'event_pick');

async function open(id) {
  if (!(await confirmLeaveForm())) return;
  try {
    const e = await api.getEvent(id);
    state.form = null;
    state.dirty = false;
    state.openId = id;
    state.panes.detail.replaceChildren(eventDetail(e));
    state.list.markSelected((row) => row.id === id);
  } catch (err) {
    reportError(err);
  }
}

/** Registers a person found by typing their name. */
function registerBox(e) {
  const input = h('input', { type: 'text', id: 'register-person', autocomplete: 'off', placeholder: t('advice_person_find'), 'aria-label': t('event_register') });
  const error = h('p', { class: 'field-error', hidden: true });
  const register = async (hit) => {
    error.hidden = true;
    try {
      const status = await api.registerForEvent(e.id, hit.id);
      toast(t(status === 'waiting' ? 'event_registered_waiting' : 'event_registered', { name: hit.name }));
      await state.list.refresh();
      await open(e.id);
      document.getElementById('register-person')?.focus();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid') { error.textContent = err.message; error.hidden = false; } else reportError(err);
    }
  };
  const suggestions = attachSuggestions(input, { kind: 'person', onChoose: register });
  return h('div', { class: 'field register-box' },
    h('label', { for: 'register-person' }, t('event_register')),
    h('div', { class: 'org-pick-wrap' }, input, suggestions),
    error);
}

function participants(e) {
  const registered = e.registrations.filter((r) => r.status === 'registered');
  const waiting = e.registrations.filter((r) => r.status === 'waiting');
  const row = (r, i) => h('tr', {},
    h('td', { class: 'num' }, `${i + 1}.`),
    h('td', {}, r.person_name),
    h('td', {}, r.organization_name || ''),
    h('td', { class: 'center' }, r.status === 'registered' ? h('input', {
      type: 'checkbox', class: 'attended', checked: r.attended, 'aria-label': t('event_attended_for', { name: r.person_name }),
      onchange: async (ev) => {
        try { await api.setAttended(r.id, ev.target.checked); } catch (err) { ev.target.checked = !ev.target.checked; reportError(err); }
      },
    }) : null),
    h('td', {}, h('button', {
      type: 'button', class: 'small', onclick: async () => {
        if (!(await confirmDialog(t('event_unregister_confirm', { name: r.person_name }), t('event_unregister')))) return;
        try { await api.unregister(r.id); await state.list.refresh(); await open(e.id); } catch (err) { reportError(err); }
      },
    }, t('event_unregister'))));
  const table = (rows) => h('table', { class: 'data-table participants' },
    h('thead', {}, h('tr', {}, ['', t('event_person'), t('f_organization'), t('event_attended'), ''].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows));
  return h('section', { class: 'facts-group', id: 'participants' },
    h('h3', {}, t('event_participants', { n: registered.length + e.removed_registered, cap: e.capacity ? ` / ${e.capacity}` : '' })),
    e.list_removed_on ? h('p', { class: 'notice', id: 'list-removed' },
      t('event_list_removed', { date: formatDate(e.list_removed_on), registered: e.removed_registered, attended: e.removed_attended })) : null,
    registered.length ? table(registered.map(row)) : (e.list_removed_on ? null : h('p', { class: 'muted' }, t('event_nobody'))),
    waiting.length ? [h('h3', {}, t('event_waiting_list')), table(waiting.map(row))] : null,
    e.list_removed_on ? null : registerBox(e));
}

function eventDetail(e) {
  const when = `${formatDate(e.starts_at)}, ${time(e.starts_at)}${e.ends_at ? `–${time(e.ends_at)}` : ''}`;
  const pairs = [['event_when', when], ['event_place', e.place], ['event_room', e.room_name], ['event_trainer', e.trainer], ['event_topic', e.topic],
    ['event_capacity', e.capacity ? String(e.capacity) : t('event_no_limit')]].filter(([, v]) => v);
  return h('article', { class: 'record', id: 'event-record' },
    h('header', { class: 'record-head' },
      h('div', {},
        h('h2', { class: 'record-title' }, e.title),
        h('p', { class: 'record-sub' }, t(`event_kind_${e.kind}`),
          e.public ? [' ', h('span', { class: 'badge', id: 'event-public', title: t('event_public_hint') }, t('event_public_badge'))] : null)),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', class: 'primary', id: 'attendance-pdf', onclick: async () => {
            try {
              const path = await api.attendancePdf(e.id);
              if (path) { toast(t('event_sheet_saved', { path })); offerSaved(path); }
            } catch (err) { reportError(err); }
          },
        }, t('event_sheet')),
        h('button', { type: 'button', id: 'edit-record', onclick: () => showForm(e) }, t('edit')),
        h('button', { type: 'button', onclick: () => remove(e) }, t('delete')))),
    h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)])),
    e.description ? h('p', { class: 'prewrap' }, e.description) : null,
    participants(e),
    h('section', { class: 'facts-group' }, h('h3', {}, t('grp_record')),
      h('dl', { class: 'facts' }, h('dt', {}, t('created')), h('dd', {}, formatDateTime(e.created_at)), h('dt', {}, t('updated')), h('dd', {}, formatDateTime(e.updated_at)))));
}

async function remove(e) {
  if (!(await confirmDialog(t('event_delete_confirm', { title: e.title }), t('delete')))) return;
  try {
    await api.deleteEvent(e.id);
    toast(t('event_deleted'));
    await reload();
    placeholder();
  } catch (err) {
    reportError(err);
  }
}

/** "Publikuj w kalendarzu na stronie www", with its hint under the box (read with it). */
function publicField(checked) {
  const wrap = field({ name: 'public', labelKey: 'event_public', kind: 'checkbox', value: checked, hintKey: 'event_public_hint', wide: true });
  const input = wrap.querySelector('input');
  wrap.append(h('p', { class: 'field-hint', id: `${input.id}-hint` }, t('event_public_hint')));
  return wrap;
}

function buildForm(e) {
  const v = e ? {
    title: e.title, kind: e.kind, date: formatDate(e.starts_at), starts: time(e.starts_at), ends: time(e.ends_at),
    place: e.place || '', trainer: e.trainer || '', topic: e.topic || '', description: e.description || '', capacity: e.capacity ? String(e.capacity) : '',
    room_id: e.room_id ? String(e.room_id) : '', public: !!e.public,
  } : { kind: 'training', date: todayPl(), starts: '10:00', room_id: '', public: false };
  // One of the centre's rooms: saving the event books it (Sale); a room no longer active stays
  // selectable for the event that already holds it.
  const rooms = state.rooms.filter((r) => r.active || String(r.id) === v.room_id);
  const roomOptions = [{ value: '', text: t('event_room_none') }, ...rooms.map((r) => ({ value: String(r.id), text: r.name }))];
  const form = h('form', { class: 'record-form', id: 'event-form', novalidate: true },
    h('h2', {}, e ? t('event_edit') : t('event_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('event_grp_main',
      field({ name: 'title', labelKey: 'event_title', value: v.title || '', required: true, wide: true }),
      field({ name: 'kind', labelKey: 'event_kind', kind: 'select', value: v.kind, options: KINDS.map((k) => ({ value: k, text: t(`event_kind_${k}`) })) }),
      field({ name: 'date', labelKey: 'f_date', value: v.date, hintKey: 'hint_date', required: true }),
      field({ name: 'starts', labelKey: 'event_starts', value: v.starts || '' }),
      field({ name: 'ends', labelKey: 'event_ends', value: v.ends || '' }),
      field({ name: 'capacity', labelKey: 'event_capacity', value: v.capacity || '', hintKey: 'event_capacity_hint' }),
      field({ name: 'place', labelKey: 'event_place', value: v.place || '' }),
      rooms.length ? field({ name: 'room_id', labelKey: 'event_room', kind: 'select', value: v.room_id, options: roomOptions, hintKey: 'event_room_hint' }) : null,
      field({ name: 'trainer', labelKey: 'event_trainer', value: v.trainer || '' }),
      field({ name: 'topic', labelKey: 'event_topic', value: v.topic || '' }),
      field({ name: 'description', labelKey: 'event_description', kind: 'textarea', value: v.description || '', wide: true }),
      publicField(v.public)),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-event' }, t('save'), h('kbd', {}, 'Ctrl+S')),
      h('button', { type: 'button', onclick: () => cancel() }, t('cancel'))));
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('submit', (ev) => { ev.preventDefault(); save(); });
  const roomSelect = form.querySelector('select[name=room_id]');
  roomSelect?.addEventListener('change', () => {
    const place = form.querySelector('input[name=place]');
    const room = rooms.find((r) => String(r.id) === roomSelect.value);
    if (room && !place.value.trim()) place.value = room.name;
  });
  return form;
}

async function showForm(e) {
  if (!(await confirmLeaveForm())) return;
  state.form = { el: buildForm(e), id: e?.id ?? null };
  state.dirty = false;
  state.panes.detail.replaceChildren(state.form.el);
  state.form.el.querySelector('input[name=title]').focus();
}

function newRecord() {
  showForm(null);
}

async function save() {
  if (!state.form) return;
  const form = state.form.el;
  clearErrors(form);
  try {
    const values = collect(form);
    const id = await api.saveEvent(state.form.id, { ...values, room_id: values.room_id ? Number(values.room_id) : null });
    state.form = null;
    state.dirty = false;
    toast(t('saved'));
    await reload();
    await open(id);
  } catch (err) {
    showFailure(form, err);
  }
}

async function cancel() {
  if (!state.form || !(await confirmLeaveForm())) return;
  state.form = null;
  state.dirty = false;
  if (state.openId) open(state.openId); else placeholder();
}

export const eventsView = {
  async mount(main, params = {}) {
    // A form left through the window's "Porzuć zmiany" does not come back when the view does.
    state.form = null;
    state.dirty = false;
    state.rooms = await api.listResources().catch(() => []);
    state.rooms = state.rooms.filter((r) => r.kind === 'room');
    state.panes = splitLayout();
    main.replaceChildren(state.panes.root);
    mountList();
    placeholder();
    await reload();
    // Opened from Dziś, the calendar or a person's page.
    if (params.open) await open(params.open);
  },
  newRecord,
  save,
  cancel,
  hasUnsavedChanges: () => !!(state.form && state.dirty),
  // Colleagues' changes: the list re-read in place, the record or form beside it untouched.
  live: { kinds: ['events', 'rooms'], reload: () => state.list?.reloadQuietly(state.openId ? (e) => e.id === state.openId : null) },
};
