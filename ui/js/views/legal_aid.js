// Punkt NPP: the office's points of free legal aid (nieodpłatna pomoc prawna, poradnictwo
// obywatelskie, mediacja). Four tabs: "Karty" (every card of help, by point and period; a card
// opens its advice record in Porady, where cards are written), "Opinie (część B)" (clients'
// anonymous opinions typed in from the urn — no link to a client or a card — and the blank Part B
// printed for a point and a day) and "Sprawozdanie dla starosty" (a month, quarter, year or own
// dates, one point or all: the figures on screen, saved as PDF or .xlsx) and "Dyżury i zapisy" (a
// point's day: who is on duty, who is booked, the free half-hours to book, the day's list printed;
// beside it the booking form and the point's weekly duty hours). Points and lists are
// kept in Ustawienia › Punkt NPP (views/legal_aid_settings.js).

import { api } from '../api.js';
import { h, debounce } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { formatCount, formatDate, todayPl } from '../format.js';
import { field, group, clearErrors, collect, options, showFailure } from '../form.js';
import { RecordList } from '../recordlist.js';
import { toast, reportError, confirmDialog, splitLayout, emptyState, mayLeave, showPlaceholder } from '../ui.js';
import { go } from '../app.js';
import { loadSetup, activePoints, pointLabel, savePdf } from './legal_aid_card.js';

/** Each tab's name, and the shorter one a narrow list shows (the whole one is its title). */
const TABS = [['cards', 'legal_aid_tab_cards', 'legal_aid_tab_cards'], ['opinions', 'legal_aid_tab_opinions', 'legal_aid_tab_opinions_short'],
  ['report', 'legal_aid_tab_report', 'legal_aid_tab_report_short'], ['schedule', 'legal_aid_tab_schedule', 'legal_aid_tab_schedule_short']];
const ANSWERS = [['yes', 'legal_aid_answer_yes'], ['no', 'legal_aid_answer_no'], ['unsure', 'legal_aid_answer_unsure']];
const QUESTIONS = [['understandable', 'legal_aid_q_understandable', 'legal_aid_q_understandable_short'],
  ['helpful', 'legal_aid_q_helpful', 'legal_aid_q_helpful_short'],
  ['would_recommend', 'legal_aid_q_would_recommend', 'legal_aid_q_would_recommend_short']];
const PERIODS = [['month', 'legal_aid_period_month'], ['quarter', 'legal_aid_period_quarter'], ['year', 'legal_aid_period_year'], ['own', 'legal_aid_period_own']];
const ROMAN = ['I', 'II', 'III', 'IV'];
const PREF_POINT = 'kartoteka.legalAid.opinionPoint';

const state = {
  tab: 'cards', list: null, panes: null, setup: null, writes: true,
  // The opinion form beside the list (the only form of this view) and whether it was changed.
  form: null, dirty: false,
  openOpinion: null,
  cards: { point_id: '', from: '', to: '' },
  opinions: { point_id: '' },
  report: { kind: 'quarter', which: 0, from: '', to: '', point_id: '', figures: null },
  // Dyżury i zapisy: the point and day shown, the day as read (duty, appointments, free slots).
  schedule: { point_id: '', day: '', data: null, week: [] },
  // Opinions typed in since the view opened: counted for whoever empties the urn.
  typed: 0,
};

const pad = (n) => String(n).padStart(2, '0');
const plDate = (d) => `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()}`;
const pointById = (id) => (state.setup?.points || []).find((p) => p.id === Number(id));
const entryName = (kind, code) => (state.setup?.lists || []).find((e) => e.kind === kind && e.code === code)?.name || code;
const aidTypeName = (code) => (state.setup?.aid_types || []).find((x) => x.code === code)?.name || code;
const answerText = (code) => {
  const found = ANSWERS.find(([c]) => c === code);
  return found ? t(found[1]) : '—';
};

/** Every point (those switched off marked), for filters; "wszystkie punkty" first. */
function pointFilterOptions(current) {
  return [h('option', { value: '' }, t('legal_aid_all_points')),
    ...(state.setup?.points || []).map((p) => h('option', { value: String(p.id), selected: String(p.id) === current },
      p.active ? pointLabel(p) : t('legal_aid_point_off', { point: pointLabel(p) })))];
}

// ----- the tabs --------------------------------------------------------------------------------

function tabsBar() {
  return h('div', { class: 'legal-aid-tabs' },
    h('div', { class: 'seg', role: 'group', 'aria-label': t('legal_aid_tabs') }, TABS.map(([tab, key, shortKey]) => h('button', {
      type: 'button', id: `legal-aid-tab-${tab}`, dataset: { tab }, 'aria-pressed': String(state.tab === tab), 'aria-label': t(key), title: t(key),
      onclick: () => switchTab(tab),
    }, h('span', { class: 'tab-long' }, t(key)), h('span', { class: 'tab-short', 'aria-hidden': 'true' }, t(shortKey))))));
}

async function switchTab(tab) {
  if (tab === state.tab) return;
  if (!(await mayLeave(state))) return;
  state.tab = tab;
  state.form = null;
  state.dirty = false;
  await mountTab();
  state.panes.list.querySelector(`#legal-aid-tab-${tab}`)?.focus();
}

async function mountTab() {
  state.openOpinion = null;
  if (state.tab === 'cards') await mountCards();
  else if (state.tab === 'opinions') await mountOpinions();
  else if (state.tab === 'report') await mountReport();
  else await mountSchedule();
}

/** No active point yet: where points are added. */
function noPointNotice() {
  return h('div', { class: 'notice legal-aid-notice', id: 'legal-aid-no-point' },
    h('p', {}, t('legal_aid_no_point_view')),
    h('button', { type: 'button', class: 'small', id: 'legal-aid-to-settings', onclick: () => go('settings', { section: 'legal_aid' }) }, t('legal_aid_to_settings')));
}

// ----- Karty ------------------------------------------------------------------------------------

function cardRow(c) {
  const point = c.point_number ? t('legal_aid_point_short', { number: c.point_number }) : '';
  const line = [point, aidTypeName(c.aid_type), entryName('form', c.form), c.client_code].filter(Boolean).join(' · ');
  return h('div', { class: 'larow card', dataset: { id: c.advice_id } },
    h('span', { class: 'cell date' }, formatDate(c.given_on)),
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, entryName('area', c.area)),
      h('span', { class: 'subline' }, h('span', { class: 'what', title: line }, line))),
    h('span', { class: 'cell who' },
      h('span', { class: 'provider' }, c.provider),
      c.minutes ? h('span', { class: 'minutes' }, t('advice_minutes_value', { n: c.minutes })) : null));
}

function dateFilter(id, value, labelKey, onSet) {
  return h('input', {
    type: 'text', id, class: 'date-filter', value, placeholder: t('hint_date_short'), autocomplete: 'off',
    'aria-label': t(labelKey), title: t('hint_date'), 'aria-describedby': `${id.split('-')[0]}-range-error`,
    onchange: (e) => onSet(e.target.value.trim()),
    onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); onSet(e.target.value.trim()); } },
  });
}

async function mountCards() {
  const q = state.cards;
  const rangeError = h('p', { class: 'field-error', id: 'cards-range-error', role: 'alert', hidden: true });
  const reload = () => state.list.reload();
  const fetchPage = async (offset, limit) => {
    const query = { point_id: q.point_id ? Number(q.point_id) : null, from: q.from, to: q.to, offset, limit };
    try {
      const page = await api.listLegalAidCards(query);
      rangeError.hidden = true;
      for (const n of ['from', 'to']) document.getElementById(`cards-${n}`)?.removeAttribute('aria-invalid');
      return page;
    } catch (err) {
      if (err.field !== 'from' && err.field !== 'to' && !(err.fields || []).some((f) => f.field === 'from' || f.field === 'to')) throw err;
      const wrong = err.field || err.fields.find((f) => f.field === 'from' || f.field === 'to').field;
      rangeError.textContent = err.fields?.length ? err.fields.map((f) => f.message).join(' ') : err.message;
      rangeError.hidden = false;
      document.getElementById(`cards-${wrong}`)?.setAttribute('aria-invalid', 'true');
      return { items: [], total: 0, offset };
    }
  };
  const noPoint = !activePoints(state.setup).length;
  state.list = new RecordList({
    titleKey: 'nav_legal_aid',
    actions: state.writes && !noPoint ? [h('button', { type: 'button', class: 'primary', id: 'new-card-help', onclick: () => newCardHelp() }, t('legal_aid_new_help'))] : [],
    above: [
      tabsBar(),
      noPoint ? noPointNotice() : null,
      h('div', { class: 'filters legal-aid-filters' },
        h('div', { class: 'filter' },
          h('label', { for: 'cards-point' }, t('legal_aid_f_point')),
          h('select', { id: 'cards-point', onchange: (e) => { q.point_id = e.target.value; reload(); } }, pointFilterOptions(q.point_id))),
        h('div', { class: 'filter filter-range' },
          h('label', { for: 'cards-from' }, t('legal_aid_period')),
          h('span', { class: 'date-range' },
            dateFilter('cards-from', q.from, 'legal_aid_from', (v) => { q.from = v; reload(); }),
            h('span', { 'aria-hidden': 'true' }, '–'),
            dateFilter('cards-to', q.to, 'legal_aid_to', (v) => { q.to = v; reload(); })))),
      rangeError,
      h('div', { class: 'listhead larow card' },
        h('span', { class: 'colhead static' }, t('f_date')),
        h('span', { class: 'colhead static' }, t('legal_aid_col_card')),
        h('span', { class: 'colhead static' }, t('legal_aid_col_provider'))),
    ].filter(Boolean),
    empty: () => emptyState(q.point_id || q.from || q.to ? t('legal_aid_cards_empty_filtered') : t('legal_aid_cards_empty'),
      state.writes && !noPoint && !(q.point_id || q.from || q.to) ? h('button', { type: 'button', class: 'primary', onclick: () => newCardHelp() }, t('legal_aid_new_help')) : null),
    rowHeight: 56,
    fetchPage,
    renderRow: cardRow,
    // The card is the advice record's: it opens (and is changed and printed) in Porady.
    onOpen: (c) => go('advice', { open: c.advice_id }),
    rowLabel: (c) => `${formatDate(c.given_on)} ${entryName('area', c.area)} ${c.provider}`,
  });
  state.panes.list.replaceChildren(...state.list.pane);
  state.panes.detail.replaceChildren(h('div', { class: 'legal-aid-about', id: 'legal-aid-cards-about' },
    h('p', { class: 'placeholder' }, t('legal_aid_cards_pick')),
    h('p', { class: 'muted' }, t('legal_aid_cards_how'))));
  await state.list.reload();
}

function newCardHelp() {
  if (state.writes) go('advice', { newCard: true });
}

// ----- Dyżury i zapisy -------------------------------------------------------------------------

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const WEEKDAY_KEYS = ['legal_aid_weekday_1', 'legal_aid_weekday_2', 'legal_aid_weekday_3', 'legal_aid_weekday_4', 'legal_aid_weekday_5',
  'legal_aid_weekday_6', 'legal_aid_weekday_7'];
const weekdayName = (n) => t(WEEKDAY_KEYS[n - 1]);
/** "DD.MM.RRRR" as a local date, or null. */
function parsePl(text) {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec((text || '').trim());
  if (!m) return null;
  const d = new Date(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
  return d.getDate() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 ? d : null;
}
const weekdayOf = (d) => ((d.getDay() + 6) % 7) + 1;
const hoursOf = (x) => `${x.starts}–${x.ends}`;
/** The end of an appointment: its time plus its minutes. */
function endOf(starts, minutes) {
  const [hh, mm] = starts.split(':').map(Number);
  const total = hh * 60 + mm + (minutes || 0);
  return `${pad(Math.floor(total / 60) % 24)}:${pad(total % 60)}`;
}

async function mountSchedule() {
  state.list = null;
  const s = state.schedule;
  const active = activePoints(state.setup);
  if (!active.some((p) => String(p.id) === s.point_id)) {
    const remembered = localStorage.getItem(PREF_POINT);
    s.point_id = active.some((p) => String(p.id) === remembered) ? remembered : (active[0] ? String(active[0].id) : '');
  }
  if (!parsePl(s.day)) s.day = todayPl();
  const head = [h('div', { class: 'pane-title' }, h('h1', {}, t('nav_legal_aid'))), tabsBar()];
  if (!active.length) {
    state.panes.list.replaceChildren(...head, noPointNotice());
    showPlaceholder(state.panes.detail, 'legal_aid_schedule_no_point');
    return;
  }
  const dayInput = h('input', {
    type: 'text', id: 'day-date', value: s.day, autocomplete: 'off', placeholder: 'DD.MM.RRRR', 'aria-describedby': 'day-error',
    onchange: (e) => { s.day = e.target.value.trim(); loadDay(); },
    onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); s.day = e.target.value.trim(); loadDay(); } },
  });
  // From the day asked for last, not from this input: the pane may have been drawn again
  // between two presses, and an old button's input would lag behind.
  const step = (days) => {
    const d = parsePl(s.day) || parsePl(dayInput.value) || new Date();
    d.setDate(d.getDate() + days);
    s.day = plDate(d);
    const input = document.getElementById('day-date') || dayInput;
    input.value = s.day;
    loadDay();
  };
  state.panes.list.replaceChildren(...head,
    h('div', { class: 'legal-aid-day', id: 'legal-aid-day' },
      h('div', { class: 'legal-aid-day-pick' },
        h('div', { class: 'field' },
          h('label', { for: 'day-point' }, t('legal_aid_f_point')),
          h('select', {
            id: 'day-point',
            onchange: (e) => { s.point_id = e.target.value; localStorage.setItem(PREF_POINT, s.point_id); loadDay(); loadWeek(); },
          }, active.map((p) => h('option', { value: String(p.id), selected: String(p.id) === s.point_id }, pointLabel(p))))),
        h('div', { class: 'field' },
          h('label', { for: 'day-date' }, t('legal_aid_day_label')),
          h('div', { class: 'legal-aid-day-nav' },
            h('button', { type: 'button', id: 'day-prev', 'aria-label': t('legal_aid_day_prev'), title: t('legal_aid_day_prev'), onclick: () => step(-1) }, '◀'),
            dayInput,
            h('button', { type: 'button', id: 'day-today', onclick: () => { dayInput.value = todayPl(); s.day = dayInput.value; loadDay(); } }, t('legal_aid_day_today')),
            h('button', { type: 'button', id: 'day-next', 'aria-label': t('legal_aid_day_next'), title: t('legal_aid_day_next'), onclick: () => step(1) }, '▶')),
          h('p', { class: 'field-error', id: 'day-error', role: 'alert', hidden: true }))),
      h('div', { id: 'day-body', 'aria-live': 'polite' }),
      h('p', { class: 'field-hint', id: 'day-keep-hint' }, t('legal_aid_keep_hint')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'day-pdf', onclick: () => printDay() }, t('legal_aid_day_print')))));
  // A duty hour being typed survives the pane drawn again (the view mounted a second time while
  // its first reading was under way): loadWeek keeps the form it finds in the section.
  const typedDuty = state.panes.detail.querySelector('#duty-form');
  const week = h('section', { class: 'group legal-aid-week', id: 'duty-week' });
  if (typedDuty) week.append(typedDuty);
  state.panes.detail.replaceChildren(h('div', { id: 'appointment-box' }), week);
  await Promise.all([loadDay(), loadWeek()]);
}

/** The day read again and shown: its duty, who is booked, the free half-hours. */
async function loadDay({ quiet = false } = {}) {
  const s = state.schedule;
  const error = document.getElementById('day-error');
  const input = document.getElementById('day-date');
  if (!error || !s.point_id) return;
  const asked = `${s.point_id} ${s.day}`;
  try {
    const day = await api.legalAidDay(Number(s.point_id), s.day);
    // Only the day last asked for is shown (◀ ▶ pressed quickly ask for several).
    if (state.tab !== 'schedule' || asked !== `${s.point_id} ${s.day}`) return;
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    const same = JSON.stringify(day) === JSON.stringify(s.data);
    s.data = day;
    if (quiet && same) return;
    document.getElementById('day-body').replaceChildren(dayView(day));
    // What was typed in the form stays when the day changes (the time is checked on save).
    if (!state.form || (!quiet && !state.dirty)) showAppointmentForm({ focus: false });
    else updateFormTitle();
  } catch (err) {
    if (asked !== `${s.point_id} ${s.day}`) return;
    if (err.field !== 'day' && !(err.fields || []).some((f) => f.field === 'day')) { if (!quiet) reportError(err); return; }
    error.textContent = err.fields?.find((f) => f.field === 'day')?.message || err.message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
  }
}

function dayView(day) {
  const d = new Date(`${day.day}T12:00:00`);
  const duty = day.duty.length
    ? t('legal_aid_duty_line', { hours: day.duty.map((x) => [hoursOf(x), x.on_duty].filter(Boolean).join(' ')).join('; ') })
    : t('legal_aid_duty_none');
  return h('div', {},
    h('h2', { class: 'legal-aid-day-title', id: 'day-title' }, t('legal_aid_day_title', { weekday: weekdayName(weekdayOf(d)), date: formatDate(day.day) })),
    h('p', { class: day.duty.length ? 'legal-aid-duty' : 'legal-aid-duty muted', id: 'day-duty' }, duty),
    h('h3', {}, t('legal_aid_appointments')),
    day.appointments.length
      ? h('ul', { class: 'plain legal-aid-appointments', id: 'day-appointments' }, day.appointments.map((a) => appointmentRow(a)))
      : h('p', { class: 'muted', id: 'day-appointments-none' }, t('legal_aid_appointments_none')),
    h('h3', {}, t('legal_aid_free_slots')),
    day.free_slots.length
      ? h('div', { class: 'legal-aid-slots', id: 'day-slots', role: 'group', 'aria-label': t('legal_aid_free_slots') }, day.free_slots.map((slot) => h('button', {
        type: 'button', class: 'small slot', id: `slot-${slot.replace(':', '')}`, dataset: { slot }, 'aria-label': t('legal_aid_slot_label', { time: slot }),
        onclick: () => useSlot(slot),
      }, slot)))
      : h('p', { class: 'muted', id: 'day-slots-none' }, t('legal_aid_free_slots_none')));
}

function appointmentRow(a) {
  return h('li', { class: 'legal-aid-appointment', dataset: { id: a.id } },
    h('span', { class: 'time' }, `${a.starts}–${endOf(a.starts, a.minutes)}`),
    h('span', { class: 'who' },
      h('span', { class: 'primary-text' }, a.client_name),
      a.phone ? h('span', { class: 'phone' }, a.phone) : null,
      a.out_of_turn ? h('span', { class: 'badge out-of-turn' }, t('legal_aid_out_of_turn_badge')) : null,
      a.remote ? h('span', { class: 'badge remote' }, t('legal_aid_remote_badge')) : null,
      a.note ? h('span', { class: 'note' }, a.note) : null),
    h('button', {
      type: 'button', class: 'small danger', id: `appointment-delete-${a.id}`,
      'aria-label': t('legal_aid_appointment_delete', { name: a.client_name, time: a.starts }), onclick: () => deleteAppointment(a),
    }, t('delete')));
}

function useSlot(slot) {
  if (!state.form) showAppointmentForm({ focus: false });
  const form = state.form.el;
  form.querySelector('input[name=starts]').value = slot;
  state.dirty = true;
  form.querySelector('input[name=client_name]').focus();
}

function updateFormTitle() {
  const title = document.getElementById('appointment-title');
  const d = parsePl(state.schedule.day);
  if (title && d) title.textContent = t('legal_aid_appointment_title', { weekday: weekdayName(weekdayOf(d)), date: plDate(d) });
}

/** The form of an appointment on the day shown. */
function showAppointmentForm({ focus = true } = {}) {
  const box = document.getElementById('appointment-box');
  if (!box) return;
  const form = h('form', { class: 'record-form', id: 'appointment-form', novalidate: true },
    h('h2', { id: 'appointment-title' }),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    h('div', { dataset: { field: 'on_day' } }, h('p', { class: 'field-error', hidden: true })),
    group('legal_aid_appointment_grp',
      field({ name: 'starts', labelKey: 'legal_aid_f_starts', hintKey: 'legal_aid_starts_hint', required: true }),
      field({ name: 'minutes', labelKey: 'legal_aid_f_visit_minutes', hintKey: 'legal_aid_visit_minutes_hint' }),
      field({ name: 'client_name', labelKey: 'legal_aid_f_client_name', required: true }),
      field({ name: 'phone', labelKey: 'legal_aid_f_phone' }),
      field({ name: 'out_of_turn', labelKey: 'legal_aid_f_out_of_turn', kind: 'checkbox' }),
      field({ name: 'remote', labelKey: 'legal_aid_f_remote', kind: 'checkbox' }),
      field({ name: 'note', labelKey: 'legal_aid_f_note', kind: 'textarea', wide: true })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'save-appointment' }, t('legal_aid_appointment_save'), h('kbd', {}, 'Ctrl+S'))));
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('change', () => { state.dirty = true; });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  state.form = { el: form, kind: 'appointment' };
  state.dirty = false;
  box.replaceChildren(form);
  updateFormTitle();
  if (focus) form.querySelector('input[name=starts]').focus();
}

async function saveAppointment() {
  const form = state.form.el;
  const button = form.querySelector('#save-appointment');
  if (button.disabled) return;
  clearErrors(form);
  const v = collect(form);
  const input = {
    point_id: Number(state.schedule.point_id) || null, on_day: state.schedule.day, starts: v.starts.trim(), minutes: v.minutes.trim(),
    client_name: v.client_name.trim(), phone: v.phone.trim(), out_of_turn: v.out_of_turn, remote: v.remote, note: v.note,
  };
  button.disabled = true;
  try {
    await api.saveLegalAidAppointment(null, input);
    toast(t('legal_aid_appointment_saved', { name: input.client_name, time: input.starts }));
    state.form = null;
    state.dirty = false;
    await loadDay();
  } catch (err) {
    showFailure(form, err);
  } finally {
    button.disabled = false;
  }
}

async function deleteAppointment(a) {
  if (!(await confirmDialog(t('legal_aid_appointment_delete_confirm', { name: a.client_name, date: formatDate(a.on_day), time: a.starts }), t('delete')))) return;
  try {
    await api.deleteLegalAidAppointment(a.id);
    toast(t('legal_aid_appointment_deleted'));
    await loadDay({ quiet: true });
  } catch (err) {
    reportError(err);
  }
}

function printDay() {
  const s = state.schedule;
  return savePdf(async () => {
    const error = document.getElementById('day-error');
    try {
      return await api.legalAidDayPdf(Number(s.point_id), s.day);
    } catch (err) {
      const said = err.fields?.find((f) => f.field === 'day');
      if (!said && err.field !== 'day') throw err;
      error.textContent = said?.message || err.message;
      error.hidden = false;
      document.getElementById('day-date')?.setAttribute('aria-invalid', 'true');
      return null;
    }
  }, 'legal_aid_day_saved');
}

/** The point's week: its duty hours, each with "Usuń", and the form that adds one. */
async function loadWeek() {
  const s = state.schedule;
  const box = document.getElementById('duty-week');
  if (!box) return;
  let week;
  try {
    week = await api.legalAidDutyHours(Number(s.point_id));
  } catch (err) {
    reportError(err);
    return;
  }
  if (state.tab !== 'schedule') return;
  s.week = week.slice().sort((a, b) => a.weekday - b.weekday || a.starts.localeCompare(b.starts));
  const kept = box.querySelector('#duty-form');
  const form = kept || dutyForm();
  box.replaceChildren(
    h('h3', {}, t('legal_aid_duty_title')),
    s.week.length
      ? h('table', { class: 'legal-aid-duty-table', id: 'duty-hours' },
        h('tbody', {}, s.week.map((d) => h('tr', { dataset: { id: d.id } },
          h('th', { scope: 'row' }, weekdayName(d.weekday)),
          h('td', { class: 'hours' }, hoursOf(d)),
          h('td', { class: 'who' }, d.on_duty || ''),
          h('td', { class: 'narrow' }, h('button', {
            type: 'button', class: 'small danger', id: `duty-delete-${d.id}`,
            'aria-label': t('legal_aid_duty_delete', { weekday: weekdayName(d.weekday), hours: hoursOf(d) }), onclick: () => deleteDuty(d),
          }, t('delete')))))))
      : h('p', { class: 'muted', id: 'duty-hours-none' }, t('legal_aid_duty_week_none')),
    form);
}

function dutyForm() {
  const form = h('form', { class: 'legal-aid-duty-form', id: 'duty-form', novalidate: true },
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    h('div', { dataset: { field: 'point_id' } }, h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'legal-aid-duty-fields' },
      field({ name: 'weekday', labelKey: 'legal_aid_f_weekday', kind: 'select', value: '', options: options(WEEKDAYS.map((n) => ({ value: String(n), text: weekdayName(n) }))), required: true }),
      field({ name: 'starts', labelKey: 'legal_aid_f_duty_starts', required: true }),
      field({ name: 'ends', labelKey: 'legal_aid_f_duty_ends', required: true }),
      field({ name: 'on_duty', labelKey: 'legal_aid_f_on_duty', wide: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'duty-add' }, t('legal_aid_duty_add'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = form.querySelector('#duty-add');
    if (button.disabled) return;
    clearErrors(form);
    const v = collect(form);
    button.disabled = true;
    try {
      await api.saveLegalAidDutyHour(null, { point_id: Number(state.schedule.point_id) || null, weekday: v.weekday, starts: v.starts.trim(), ends: v.ends.trim(), on_duty: v.on_duty.trim() });
      toast(t('legal_aid_duty_saved'));
      for (const name of ['starts', 'ends']) form.querySelector(`[name=${name}]`).value = '';
      await Promise.all([loadWeek(), loadDay({ quiet: true })]);
    } catch (err) {
      showFailure(form, err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

async function deleteDuty(d) {
  if (!(await confirmDialog(t('legal_aid_duty_delete_confirm', { weekday: weekdayName(d.weekday), hours: hoursOf(d) }), t('delete')))) return;
  try {
    await api.deleteLegalAidDutyHour(d.id);
    toast(t('legal_aid_duty_deleted'));
    await Promise.all([loadWeek(), loadDay({ quiet: true })]);
  } catch (err) {
    reportError(err);
  }
}

// ----- Opinie (część B) ------------------------------------------------------------------------

function opinionRow(o) {
  const answers = QUESTIONS.map(([name, , shortKey]) => `${t(shortKey)}: ${answerText(o[name])}`).join(' · ');
  const line = [t('legal_aid_point_short', { number: o.point_number }), o.remarks ? `„${o.remarks.replace(/\s+/g, ' ')}”` : null].filter(Boolean).join(' · ');
  return h('div', { class: 'larow opinion', dataset: { id: o.id } },
    h('span', { class: 'cell date' }, formatDate(o.filled_on)),
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, answers),
      h('span', { class: 'subline' }, h('span', { class: 'what', title: line }, line))),
    h('span', { class: 'cell who' }, o.rating ? t('legal_aid_rating_value', { n: o.rating }) : t('legal_aid_rating_none')));
}

async function mountOpinions() {
  const q = state.opinions;
  const noPoint = !(state.setup?.points || []).length;
  state.list = new RecordList({
    titleKey: 'nav_legal_aid',
    actions: noPoint ? [] : [h('button', { type: 'button', class: 'primary', id: 'new-opinion', onclick: () => showOpinionForm() }, t('legal_aid_opinion_new'))],
    above: [
      tabsBar(),
      noPoint ? noPointNotice() : null,
      h('div', { class: 'filters legal-aid-filters' },
        h('div', { class: 'filter' },
          h('label', { for: 'opinions-point' }, t('legal_aid_f_point')),
          h('select', { id: 'opinions-point', onchange: (e) => { q.point_id = e.target.value; state.list.reload(); } }, pointFilterOptions(q.point_id)))),
      h('div', { class: 'listhead larow opinion' },
        h('span', { class: 'colhead static' }, t('f_date')),
        h('span', { class: 'colhead static' }, t('legal_aid_col_opinion')),
        h('span', { class: 'colhead static' }, t('legal_aid_col_rating'))),
    ].filter(Boolean),
    empty: () => emptyState(q.point_id ? t('legal_aid_opinions_empty_filtered') : t('legal_aid_opinions_empty')),
    rowHeight: 56,
    fetchPage: (offset, limit) => api.listLegalAidOpinions({ point_id: q.point_id ? Number(q.point_id) : null, from: '', to: '', offset, limit }),
    renderRow: opinionRow,
    onOpen: (o) => showOpinion(o),
    rowLabel: (o) => `${formatDate(o.filled_on)} ${o.point_number}`,
  });
  state.panes.list.replaceChildren(...state.list.pane);
  if (noPoint) showPlaceholder(state.panes.detail, 'legal_aid_opinion_no_point');
  else showOpinionForm({ focus: false });
  await state.list.reload();
}

/** A radio group (an answer, the rating) with its question as the legend. */
function radios({ name, legendKey, legend, choices, value }) {
  return h('fieldset', { class: 'field wide plain-set legal-aid-radios', dataset: { field: name } },
    h('legend', { class: 'block-label' }, legendKey ? t(legendKey) : legend),
    h('div', { class: 'legal-aid-choices' }, choices.map(([v, text]) => h('label', { class: 'check' },
      h('input', { type: 'radio', name, value: v, checked: v === value, id: `${name}-${v || 'none'}` }),
      h('span', {}, text)))),
    h('p', { class: 'field-error', hidden: true }));
}

/** The opinion form beside the list: one Part B after another, the point and date kept. */
function showOpinionForm({ focus = true, keep = null } = {}) {
  const points = state.setup?.points || [];
  const remembered = localStorage.getItem(PREF_POINT);
  const active = activePoints(state.setup);
  const pointValue = keep?.point_id ?? (points.some((p) => String(p.id) === remembered) ? remembered : (active.length === 1 ? String(active[0].id) : ''));
  const pointChoices = points.map((p) => ({ value: String(p.id), text: p.active ? pointLabel(p) : t('legal_aid_point_off', { point: pointLabel(p) }) }));
  const none = t('legal_aid_answer_none');
  const form = h('form', { class: 'record-form', id: 'opinion-form', novalidate: true },
    h('h2', {}, t('legal_aid_opinion_title')),
    h('p', { class: 'muted' }, t('legal_aid_opinion_help')),
    state.typed ? h('p', { class: 'ok', id: 'opinion-typed', role: 'status' }, t('legal_aid_opinions_typed', { n: state.typed, count: state.typed })) : null,
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('legal_aid_opinion_grp',
      field({ name: 'point_id', labelKey: 'legal_aid_f_point', kind: 'select', value: pointValue, options: options(pointChoices), required: true }),
      field({ name: 'filled_on', labelKey: 'legal_aid_f_filled_on', value: keep?.filled_on ?? todayPl(), hintKey: 'legal_aid_filled_on_hint', required: true }),
      radios({ name: 'rating', legendKey: 'legal_aid_f_rating', value: '', choices: [['', none], ...[1, 2, 3, 4, 5].map((n) => [String(n), String(n)])] }),
      QUESTIONS.map(([name, key]) => radios({ name, legendKey: key, value: '', choices: [['', none], ...ANSWERS.map(([v, k]) => [v, t(k)])] })),
      field({ name: 'remarks', labelKey: 'legal_aid_f_remarks', kind: 'textarea', value: '', wide: true })),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-opinion' }, t('legal_aid_opinion_save'), h('kbd', {}, 'Ctrl+S')),
      h('button', { type: 'button', id: 'opinion-clear', onclick: () => cancel() }, t('legal_aid_opinion_clear'))));
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('change', () => { state.dirty = true; });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  state.form = { el: form };
  state.dirty = false;
  state.openOpinion = null;
  state.panes.detail.replaceChildren(form, partBPrint(pointValue));
  state.panes.detail.scrollTop = 0;
  if (focus) (pointValue ? form.querySelector('#rating-none') : form.querySelector('select[name=point_id]'))?.focus();
}

/** "Drukuj formularz opinii (część B)": a blank Part B with the point's number and the day. */
function partBPrint(pointValue) {
  const points = state.setup?.points || [];
  const point = h('select', { id: 'partb-point' }, options(points.filter((p) => p.active || String(p.id) === pointValue)
    .map((p) => ({ value: String(p.id), text: pointLabel(p) }))).map((o) => h('option', { value: o.value, selected: o.value === pointValue }, o.text)));
  const day = h('input', { type: 'text', id: 'partb-date', value: todayPl(), autocomplete: 'off', 'aria-describedby': 'partb-error' });
  const error = h('p', { class: 'field-error', id: 'partb-error', role: 'alert', hidden: true });
  const print = async () => {
    error.hidden = true;
    day.removeAttribute('aria-invalid');
    point.removeAttribute('aria-invalid');
    if (!point.value) {
      error.textContent = t('legal_aid_partb_point');
      error.hidden = false;
      point.setAttribute('aria-invalid', 'true');
      point.focus();
      return;
    }
    await savePdf(async () => {
      try {
        return await api.legalAidOpinionFormPdf(Number(point.value), day.value.trim());
      } catch (err) {
        const said = err.fields?.find((f) => f.field === 'on' || f.field === 'point_id');
        if (!said && err.field !== 'on') throw err;
        error.textContent = said?.message || err.message;
        error.hidden = false;
        (said?.field === 'point_id' ? point : day).setAttribute('aria-invalid', 'true');
        return null;
      }
    }, 'legal_aid_partb_saved');
  };
  return h('section', { class: 'group legal-aid-partb', id: 'partb-box' },
    h('h3', {}, t('legal_aid_partb_title')),
    h('p', { class: 'muted' }, t('legal_aid_partb_help')),
    h('div', { class: 'legal-aid-partb-fields' },
      h('div', { class: 'field' }, h('label', { for: 'partb-point' }, t('legal_aid_f_point')), point),
      h('div', { class: 'field' }, h('label', { for: 'partb-date' }, t('legal_aid_partb_date')), day)),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'partb-pdf', onclick: print }, t('legal_aid_partb_print'))));
}

function readOpinion(form) {
  const checked = (name) => form.querySelector(`input[name=${name}]:checked`)?.value || '';
  return {
    point_id: form.querySelector('select[name=point_id]').value ? Number(form.querySelector('select[name=point_id]').value) : null,
    filled_on: form.querySelector('input[name=filled_on]').value.trim(),
    rating: checked('rating'),
    understandable: checked('understandable'),
    helpful: checked('helpful'),
    would_recommend: checked('would_recommend'),
    remarks: form.querySelector('textarea[name=remarks]').value,
  };
}

async function save() {
  const f = state.form;
  if (!f) return;
  if (f.kind === 'appointment') { await saveAppointment(); return; }
  const form = f.el;
  const button = form.querySelector('#save-opinion');
  if (button.disabled) return;
  clearErrors(form);
  const input = readOpinion(form);
  button.disabled = true;
  try {
    await api.saveLegalAidOpinion(input);
    state.typed += 1;
    localStorage.setItem(PREF_POINT, String(input.point_id));
    toast(t('legal_aid_opinion_saved'));
    // The next card from the urn: the same point and date, the answers empty.
    showOpinionForm({ keep: { point_id: String(input.point_id), filled_on: input.filled_on } });
    await state.list.reload();
  } catch (err) {
    showFailure(form, err);
  } finally {
    button.disabled = false;
  }
}

function showOpinion(o) {
  (async () => {
    if (!(await mayLeave(state))) return;
    state.form = null;
    state.dirty = false;
    state.openOpinion = o.id;
    const point = pointById(o.point_id);
    state.panes.detail.replaceChildren(h('article', { class: 'record', id: 'opinion-record', dataset: { id: o.id } },
      h('header', { class: 'record-head' },
        h('div', {},
          h('h2', { class: 'record-title' }, t('legal_aid_opinion_of', { date: formatDate(o.filled_on) })),
          h('p', { class: 'record-sub' }, point ? pointLabel(point) : t('legal_aid_point_short', { number: o.point_number }))),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: 'opinion-next', onclick: () => showOpinionForm() }, t('legal_aid_opinion_new')),
          h('button', { type: 'button', class: 'danger', id: 'opinion-delete', onclick: () => deleteOpinion(o) }, t('delete')))),
      h('dl', { class: 'facts' },
        h('dt', {}, t('legal_aid_f_rating')), h('dd', {}, o.rating ? t('legal_aid_rating_value', { n: o.rating }) : t('legal_aid_rating_none')),
        QUESTIONS.map(([name, key]) => [h('dt', {}, t(key)), h('dd', {}, answerText(o[name]))]),
        o.remarks ? [h('dt', {}, t('legal_aid_f_remarks')), h('dd', {}, o.remarks)] : null)));
    state.list.markSelected((x) => x.id === o.id);
  })().catch(reportError);
}

async function deleteOpinion(o) {
  if (!(await confirmDialog(t('legal_aid_opinion_delete_confirm', { date: formatDate(o.filled_on) }), t('delete')))) return;
  try {
    await api.deleteLegalAidOpinion(o.id);
    toast(t('legal_aid_opinion_deleted'));
    showOpinionForm({ focus: false });
    await state.list.reload();
  } catch (err) {
    reportError(err);
  }
}

// ----- Sprawozdanie dla starosty ---------------------------------------------------------------

/** The choices of a period kind, the one with today first: [{label, from, to}]. */
function periodChoices(kind) {
  const now = new Date();
  const lang = getLang() === 'en' ? 'en-GB' : 'pl-PL';
  const out = [];
  if (kind === 'month') {
    const name = new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric' });
    for (let i = 0; i < 24; i += 1) {
      const first = new Date(now.getFullYear(), now.getMonth() - i, 1);
      const last = new Date(first.getFullYear(), first.getMonth() + 1, 0);
      out.push({ label: name.format(first), from: plDate(first), to: plDate(last) });
    }
  } else if (kind === 'quarter') {
    const q0 = Math.floor(now.getMonth() / 3);
    for (let i = 0; i < 8; i += 1) {
      const first = new Date(now.getFullYear(), (q0 - i) * 3, 1);
      const last = new Date(first.getFullYear(), first.getMonth() + 3, 0);
      out.push({ label: t('legal_aid_quarter', { q: ROMAN[Math.floor(first.getMonth() / 3)], year: first.getFullYear() }), from: plDate(first), to: plDate(last) });
    }
  } else if (kind === 'year') {
    for (let i = 0; i < 5; i += 1) {
      const y = now.getFullYear() - i;
      out.push({ label: String(y), from: `01.01.${y}`, to: `31.12.${y}` });
    }
  }
  return out;
}

/** The period chosen now, as the core takes it. */
function chosenPeriod() {
  const r = state.report;
  if (r.kind === 'own') return { from: r.from, to: r.to };
  const choice = periodChoices(r.kind)[r.which] || periodChoices(r.kind)[0];
  return { from: choice.from, to: choice.to };
}

async function mountReport() {
  state.list = null;
  const r = state.report;
  const periodError = h('p', { class: 'field-error', id: 'starosta-error', role: 'alert', hidden: true });
  const whichBox = h('div', { class: 'legal-aid-which' });
  const renderWhich = () => {
    if (r.kind === 'own') {
      const date = (name, labelKey) => h('div', { class: 'field' },
        h('label', { for: `starosta-${name}` }, t(labelKey)),
        h('input', {
          type: 'text', id: `starosta-${name}`, value: r[name], autocomplete: 'off', placeholder: 'DD.MM.RRRR', 'aria-describedby': 'starosta-error',
          onchange: (e) => { r[name] = e.target.value.trim(); refresh(); },
          onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); r[name] = e.target.value.trim(); refresh(); } },
        }));
      whichBox.replaceChildren(h('div', { class: 'legal-aid-own' }, date('from', 'legal_aid_from'), date('to', 'legal_aid_to')));
    } else {
      const choices = periodChoices(r.kind);
      whichBox.replaceChildren(h('div', { class: 'field' },
        h('label', { for: 'starosta-which' }, t('legal_aid_period_which')),
        h('select', { id: 'starosta-which', onchange: (e) => { r.which = Number(e.target.value); refresh(); } },
          choices.map((c, i) => h('option', { value: String(i), selected: i === r.which }, c.label)))));
    }
  };
  const kinds = h('div', { class: 'seg legal-aid-periods', role: 'group', 'aria-labelledby': 'period-kind-label' }, PERIODS.map(([kind, key]) => h('button', {
    type: 'button', id: `period-${kind}`, 'aria-pressed': String(r.kind === kind),
    onclick: () => {
      if (r.kind === kind) return;
      // Own dates start from the period shown, to be changed from there.
      if (kind === 'own' && !r.from && !r.to) Object.assign(r, chosenPeriod());
      r.kind = kind;
      r.which = 0;
      for (const b of kinds.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.id === `period-${kind}`));
      renderWhich();
      refresh();
    },
  }, t(key))));
  const save = async (format) => {
    const { from, to } = chosenPeriod();
    const point = r.point_id ? Number(r.point_id) : null;
    if (format === 'pdf') await savePdf(() => api.starostaReportFile(from, to, point, 'pdf'), 'legal_aid_report_saved');
    else {
      try {
        const path = await api.starostaReportFile(from, to, point, 'xlsx');
        if (path) toast(t('legal_aid_report_saved', { path }));
      } catch (err) {
        reportError(err);
      }
    }
  };
  const refresh = async () => {
    const { from, to } = chosenPeriod();
    periodError.hidden = true;
    for (const n of ['from', 'to']) document.getElementById(`starosta-${n}`)?.removeAttribute('aria-invalid');
    try {
      const f = await api.starostaFigures(from, to, r.point_id ? Number(r.point_id) : null);
      r.figures = f;
      state.panes.detail.replaceChildren(figuresView(f));
    } catch (err) {
      const wrong = (err.fields || []).filter((x) => x.field === 'from' || x.field === 'to');
      if (!wrong.length && err.field !== 'from' && err.field !== 'to') { reportError(err); return; }
      periodError.textContent = wrong.length ? wrong.map((x) => x.message).join(' ') : err.message;
      periodError.hidden = false;
      for (const x of wrong.length ? wrong : [{ field: err.field }]) document.getElementById(`starosta-${x.field}`)?.setAttribute('aria-invalid', 'true');
      showPlaceholder(state.panes.detail, 'legal_aid_report_wrong_period');
    }
  };
  renderWhich();
  state.panes.list.replaceChildren(
    h('div', { class: 'pane-title' }, h('h1', {}, t('nav_legal_aid'))),
    tabsBar(),
    h('form', { class: 'legal-aid-report-form', id: 'starosta-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); refresh(); } },
      h('p', { class: 'muted' }, t('legal_aid_report_help')),
      h('div', { class: 'field' }, h('span', { class: 'block-label', id: 'period-kind-label' }, t('legal_aid_period')), kinds),
      whichBox,
      periodError,
      h('div', { class: 'field' },
        h('label', { for: 'starosta-point' }, t('legal_aid_f_point')),
        h('select', { id: 'starosta-point', onchange: (e) => { r.point_id = e.target.value; refresh(); } }, pointFilterOptions(r.point_id))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'starosta-pdf', onclick: () => save('pdf') }, t('legal_aid_report_pdf')),
        h('button', { type: 'button', id: 'starosta-xlsx', onclick: () => save('xlsx') }, t('legal_aid_report_xlsx')))));
  showPlaceholder(state.panes.detail, 'legal_aid_report_loading');
  await refresh();
}

const num = (n) => formatCount(n ?? 0);

/** One breakdown as a table: name and count, the rows with nothing left in (they say "0"). */
function countTable(id, captionKey, rows, noteKey = null) {
  return h('section', { class: 'facts-group legal-aid-breakdown', id },
    h('h3', {}, t(captionKey)),
    noteKey ? h('p', { class: 'field-hint' }, t(noteKey)) : null,
    rows.length
      ? h('table', { class: 'legal-aid-figures' },
        h('tbody', {}, rows.map((c) => h('tr', { dataset: { code: c.code } },
          h('th', { scope: 'row' }, c.name),
          h('td', { class: 'num' }, num(c.count))))))
      : h('p', { class: 'muted' }, t('legal_aid_report_none')));
}

function hoursText(minutes) {
  const hours = new Intl.NumberFormat('pl-PL', { maximumFractionDigits: 1 }).format((minutes || 0) / 60);
  return t('legal_aid_minutes_total', { n: num(minutes), hours });
}

function figuresView(f) {
  const point = f.point || t('legal_aid_all_points');
  const summary = [
    ['starosta-cards', 'legal_aid_fig_cards', num(f.cards)],
    ['starosta-in-point', 'legal_aid_fig_in_point', num(f.in_point)],
    ['starosta-remote', 'legal_aid_fig_remote', num(f.remote)],
    ['starosta-minutes', 'legal_aid_fig_minutes', hoursText(f.minutes_total)],
    ['starosta-repeat', 'legal_aid_fig_repeat', num(f.repeat_visits)],
    ['starosta-statements', 'legal_aid_fig_statements', num(f.statements_signed)],
    ['starosta-business', 'legal_aid_fig_business', num(f.business_statements_signed)],
    ['starosta-opinions', 'legal_aid_fig_opinions', num(f.opinions)],
  ];
  return h('article', { class: 'record legal-aid-report', id: 'starosta-figures' },
    h('header', { class: 'record-head' },
      h('div', {},
        h('h2', { class: 'record-title' }, t('legal_aid_report_title')),
        h('p', { class: 'record-sub', id: 'starosta-period' }, `${formatDate(f.from)} – ${formatDate(f.to)} · ${point}`))),
    h('p', { class: 'field-hint', id: 'starosta-lists' }, t('legal_aid_lists_by', { version: f.list_version })),
    h('section', { class: 'facts-group' },
      h('h3', {}, t('legal_aid_report_summary')),
      h('table', { class: 'legal-aid-figures', id: 'starosta-summary' },
        h('tbody', {}, summary.map(([id, key, value]) => h('tr', {},
          h('th', { scope: 'row' }, t(key)),
          h('td', { class: 'num', id }, value)))))),
    countTable('starosta-by-aid-type', 'legal_aid_fig_by_aid_type', f.by_aid_type),
    countTable('starosta-by-area', 'legal_aid_fig_by_area', f.by_area),
    countTable('starosta-by-help-kind', 'legal_aid_fig_by_help_kind', f.by_help_kind, 'legal_aid_fig_by_help_kind_note'),
    countTable('starosta-by-form', 'legal_aid_fig_by_form', f.by_form),
    countTable('starosta-by-profession', 'legal_aid_fig_by_profession', f.by_profession),
    countTable('starosta-by-time', 'legal_aid_fig_by_time', f.by_time),
    countTable('starosta-by-reason', 'legal_aid_fig_by_reason', f.by_no_statement_reason),
    countTable('starosta-by-rating', 'legal_aid_fig_by_rating', f.by_rating),
    h('section', { class: 'facts-group legal-aid-breakdown', id: 'starosta-answers' },
      h('h3', {}, t('legal_aid_fig_answers')),
      h('table', { class: 'legal-aid-figures legal-aid-answers' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('legal_aid_col_question')),
          ANSWERS.map(([, key]) => h('th', { scope: 'col', class: 'num' }, t(key))))),
        h('tbody', {}, (f.answers || []).map((a) => h('tr', { dataset: { field: a.field } },
          h('th', { scope: 'row' }, a.question),
          h('td', { class: 'num' }, num(a.yes)),
          h('td', { class: 'num' }, num(a.no)),
          h('td', { class: 'num' }, num(a.unsure))))))));
}

// ----- the view --------------------------------------------------------------------------------

async function cancel() {
  if (!state.form) return;
  if (!(await mayLeave(state))) return;
  if (state.form.kind === 'appointment') { showAppointmentForm(); return; }
  const keep = { point_id: state.form.el.querySelector('select[name=point_id]')?.value ?? '', filled_on: state.form.el.querySelector('input[name=filled_on]')?.value ?? todayPl() };
  showOpinionForm({ keep });
}

/** Colleagues' changes: the list re-read in place; the figures counted again. */
const quietReload = debounce(async () => {
  if (state.tab === 'schedule') {
    if (!document.querySelector('dialog[open]')) await Promise.all([loadDay({ quiet: true }), loadWeek()]);
  } else if (state.list) await state.list.reloadQuietly(state.openOpinion ? (x) => x.id === state.openOpinion : null);
  else if (state.tab === 'report' && document.getElementById('starosta-figures') && !document.querySelector('dialog[open]')) {
    const { from, to } = chosenPeriod();
    try {
      const f = await api.starostaFigures(from, to, state.report.point_id ? Number(state.report.point_id) : null);
      if (state.tab === 'report' && JSON.stringify(f) !== JSON.stringify(state.report.figures)) {
        state.report.figures = f;
        const scroll = state.panes.detail.scrollTop;
        state.panes.detail.replaceChildren(figuresView(f));
        state.panes.detail.scrollTop = scroll;
      }
    } catch {
      // The next change or the user's own choice counts again.
    }
  }
}, 50);

export const legalAidView = {
  async mount(main, params = {}) {
    state.form = null;
    state.dirty = false;
    state.openOpinion = null;
    state.typed = 0;
    if (params.tab && TABS.some(([tab]) => tab === params.tab)) state.tab = params.tab;
    // Points and lists may have changed in Ustawienia since the view was last open.
    [state.setup, state.writes] = await Promise.all([
      loadSetup(),
      api.currentLogin().then((me) => me.reads_advice_clients).catch(() => true),
    ]);
    state.panes = splitLayout();
    main.replaceChildren(state.panes.root);
    await mountTab();
  },
  newRecord: () => {
    if (state.tab === 'cards') newCardHelp();
    else if (state.tab === 'opinions' && (state.setup?.points || []).length) {
      mayLeave(state).then((ok) => { if (ok) showOpinionForm(); });
    } else if (state.tab === 'schedule' && document.getElementById('appointment-box')) {
      mayLeave(state).then((ok) => { if (ok) showAppointmentForm(); });
    }
  },
  save,
  cancel,
  hasUnsavedChanges: () => !!(state.form && state.dirty),
  currentParams: () => ({ tab: state.tab }),
  live: { kinds: ['legal_aid', 'advice'], reload: () => quietReload() },
};
