// Konsultacje: consultations given to organisations (management, volunteering, fundraising,
// grant writing, settling projects, legal procedures, promotion, …). The organisation is found by
// typing its name; the person who came is optional; the advisor is remembered.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate, formatDateTime, todayPl } from '../format.js';
import { field, group, collect, clearErrors, options, showFailure } from '../form.js';
import { RecordList } from '../recordlist.js';
import { toast, reportError, confirmDialog, splitLayout, emptyState, attachSuggestions, mayLeave, showPlaceholder } from '../ui.js';

const PREF_ADVISOR = 'kartoteka.advice.advisor';

const state = { topics: [], list: null, panes: null, form: null, dirty: false, openId: null };

function renderRow(c) {
  return h('div', { class: 'arow', dataset: { id: c.id } },
    h('span', { class: 'cell' }, formatDate(c.given_on)),
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, c.organization_name || t('consult_org_removed')),
      h('span', { class: 'subline' }, c.topic_name)),
    h('span', { class: 'cell' }, c.advisor));
}

async function reload() {
  await state.list.reload();
}

function mountList() {
  state.list = new RecordList({
    titleKey: 'nav_consultations',
    actions: [h('button', { type: 'button', class: 'primary', id: 'new-consultation', onclick: () => showForm(null) }, t('consult_new'))],
    above: [
      h('div', { class: 'listhead arow' },
        h('span', { class: 'colhead static' }, t('f_date')),
        h('span', { class: 'colhead static' }, t('consult_col')),
        h('span', { class: 'colhead static' }, t('f_advisor'))),
    ],
    empty: () => emptyState(t('consult_empty'), h('button', { type: 'button', class: 'primary', onclick: () => showForm(null) }, t('consult_new'))),
    fetchPage: (offset, limit) => api.listConsultations({ offset, limit }),
    renderRow,
    onOpen: (c) => open(c.id),
  });
  state.panes.list.replaceChildren(...state.list.pane);
}

const confirmLeaveForm = () => mayLeave(state);
const placeholder = () => showPlaceholder(state.panes.detail, 'consult_pick');

async function open(id) {
  if (!(await confirmLeaveForm())) return;
  try {
    const c = await api.getConsultation(id);
    state.form = null;
    state.dirty = false;
    state.openId = id;
    const pairs = [['f_date', formatDate(c.given_on)], ['f_advisor', c.advisor], ['consult_person', c.person_name],
      ['f_minutes', c.minutes ? t('advice_minutes_value', { n: c.minutes }) : null]].filter(([, v]) => v);
    state.panes.detail.replaceChildren(h('article', { class: 'record', id: 'consultation-record' },
      h('header', { class: 'record-head' },
        h('div', {}, h('h2', { class: 'record-title' }, c.organization_name || t('consult_org_removed')), h('p', { class: 'record-sub' }, c.topic_name)),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: 'edit-record', onclick: () => showForm(c) }, t('edit')),
          h('button', {
            type: 'button', onclick: async () => {
              if (!(await confirmDialog(t('consult_delete_confirm', { date: formatDate(c.given_on) }), t('delete')))) return;
              try { await api.deleteConsultation(c.id); toast(t('consult_deleted')); await reload(); placeholder(); } catch (err) { reportError(err); }
            },
          }, t('delete')))),
      h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)])),
      c.notes ? h('section', { class: 'facts-group' }, h('h3', {}, t('f_notes')), h('p', { class: 'prewrap' }, c.notes)) : null,
      h('section', { class: 'facts-group' }, h('h3', {}, t('grp_record')),
        h('dl', { class: 'facts' }, h('dt', {}, t('created')), h('dd', {}, formatDateTime(c.created_at)), h('dt', {}, t('updated')), h('dd', {}, formatDateTime(c.updated_at))))));
    state.list.markSelected((row) => row.id === id);
  } catch (err) {
    reportError(err);
  }
}

/** A register record found by typing: organisations or people, depending on `kind`. */
function picker({ name, labelKey, kind, id, text, required }) {
  const input = h('input', { type: 'text', id: `pick-${name}`, value: text || '', autocomplete: 'off', placeholder: t('consult_find') });
  const hidden = h('input', { type: 'hidden', name, value: id ? String(id) : '' });
  const suggestions = attachSuggestions(input, {
    kind,
    onType: () => { hidden.value = ''; },
    onChoose: (hit) => { hidden.value = String(hit.id); input.value = hit.name; },
  });
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: `pick-${name}` }, t(labelKey), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    h('div', { class: 'org-pick-wrap' }, input, suggestions),
    hidden,
    h('p', { class: 'field-error', hidden: true }));
}

async function showForm(c) {
  if (!(await confirmLeaveForm())) return;
  const topicOptions = options(state.topics.filter((x) => x.active || x.code === c?.topic).map((x) => ({ value: x.code, text: x.name })));
  const form = h('form', { class: 'record-form', id: 'consultation-form', novalidate: true },
    h('h2', {}, c ? t('consult_edit') : t('consult_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('consult_grp',
      field({ name: 'given_on', labelKey: 'f_date', value: c ? formatDate(c.given_on) : todayPl(), hintKey: 'hint_date', required: true }),
      field({ name: 'advisor', labelKey: 'f_advisor', value: c ? c.advisor : (localStorage.getItem(PREF_ADVISOR) || ''), required: true }),
      picker({ name: 'organization_id', labelKey: 'f_organization', kind: 'organization', id: c?.organization_id, text: c?.organization_name, required: true }),
      picker({ name: 'person_id', labelKey: 'consult_person', kind: 'person', id: c?.person_id, text: c?.person_name }),
      field({ name: 'topic', labelKey: 'consult_topic', kind: 'select', value: c?.topic || '', options: topicOptions }),
      field({ name: 'minutes', labelKey: 'f_minutes', value: c?.minutes ? String(c.minutes) : '' }),
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: c?.notes || '', wide: true })),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-consultation' }, t('save'), h('kbd', {}, 'Ctrl+S')),
      h('button', { type: 'button', onclick: () => cancel() }, t('cancel'))));
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  state.form = { el: form, id: c?.id ?? null };
  state.dirty = false;
  state.panes.detail.replaceChildren(form);
  (form.querySelector('input[name=advisor]').value ? form.querySelector('#pick-organization_id') : form.querySelector('input[name=advisor]')).focus();
}

async function save() {
  if (!state.form) return;
  const form = state.form.el;
  clearErrors(form);
  const v = collect(form);
  const input = { ...v, organization_id: v.organization_id ? Number(v.organization_id) : null, person_id: v.person_id ? Number(v.person_id) : null };
  try {
    const id = await api.saveConsultation(state.form.id, input);
    localStorage.setItem(PREF_ADVISOR, v.advisor.trim());
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

export const consultationsView = {
  async mount(main, params = {}) {
    state.topics = await api.consultationTopics();
    // A form left through the window's "Porzuć zmiany" does not come back when the view does.
    state.form = null;
    state.dirty = false;
    state.panes = splitLayout();
    main.replaceChildren(state.panes.root);
    mountList();
    placeholder();
    await reload();
    // Opened from a person's page.
    if (params.open) await open(params.open);
  },
  newRecord: () => showForm(null),
  save,
  cancel,
  hasUnsavedChanges: () => !!(state.form && state.dirty),
  // Colleagues' changes: the list re-read in place, the record or form beside it untouched.
  live: { kinds: ['consultations', 'organizations'], reload: () => state.list?.reloadQuietly(state.openId ? (c) => c.id === state.openId : null) },
};
