// Współpraca: the city's cooperation programme with NGOs. Five tabs: "Program" (a year's
// programme: the council's resolution, forms of cooperation, consultation, the RDPP's opinion,
// conclusions for the report and the priority tasks with what was planned and granted under
// each), "Konkursy" (open competitions of a year; one opens with its offers and how much of its
// funds was granted), "Tryb 19a" (small grants outside competitions, with the statute's limits
// warned about while typing) and "Sprawozdanie" (the report on the programme's execution: its
// figures beside the previous year's, printed as PDF or saved as .xlsx, and its due date).
// "Konsultacje aktów" (consultations of draft local acts with organisations, art. 5 ust. 5: the
// draft, its period and forms, the opinions received with how each was handled and why, and the
// consultation report printed as PDF; "Powiadom organizacje" prepares the invitation to a chosen
// segment as a draft in Poczta, coop_notice.js).
// Warnings are not errors: the offer is saved and the warning shows at its field.

import { api, ApiError } from '../api.js';
import { h, debounce } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount, formatDate, formatMoney, formatMoneyBare, formatPeriod, todayPl } from '../format.js';
import { field, group, collect, clearErrors, options, showErrors, showFailure } from '../form.js';
import { RecordList } from '../recordlist.js';
import { offerSaved } from '../saved.js';
import { toast, reportError, confirmDialog, splitLayout, emptyState, attachSuggestions, mayLeave, showPlaceholder, referenceData } from '../ui.js';
import { teamsTab } from './coop_teams.js';
import { noticeLine, notifyOrganizations } from './coop_notice.js';

const TABS = [['programme', 'coop_tab_programme'], ['competitions', 'coop_tab_competitions'], ['small', 'coop_tab_small'], ['acts', 'coop_tab_acts'], ['teams', 'coop_tab_teams'], ['report', 'coop_tab_report']];
const STATUSES = [['submitted', 'coop_status_submitted'], ['rejected_formal', 'coop_status_rejected_formal'], ['refused', 'coop_status_refused'], ['granted', 'coop_status_granted']];
const SETTLEMENTS = [['open', 'coop_settlement_open'], ['accepted', 'coop_settlement_accepted'], ['returned', 'coop_settlement_returned'], ['terminated', 'coop_settlement_terminated']];
const ACT_FORMS = [['form', 'coop_act_form_form'], ['email', 'coop_act_form_email'], ['meeting', 'coop_act_form_meeting']];
const HANDLINGS = [['pending', 'coop_handling_pending'], ['accepted', 'coop_handling_accepted'], ['partly', 'coop_handling_partly'], ['rejected', 'coop_handling_rejected']];
const MONTHS = ['coop_month_1', 'coop_month_2', 'coop_month_3', 'coop_month_4', 'coop_month_5', 'coop_month_6',
  'coop_month_7', 'coop_month_8', 'coop_month_9', 'coop_month_10', 'coop_month_11', 'coop_month_12'];
/** The report's figures in the order the preview shows them; money rows end in _grosze. */
const FIGURES = [
  ['organizations', 'coop_fig_organizations'], ['organizations_cooperating', 'coop_fig_organizations_cooperating'],
  ['organizations_with_offers', 'coop_fig_organizations_with_offers'],
  ['organizations_granted', 'coop_fig_organizations_granted'], ['competitions', 'coop_fig_competitions'],
  ['competition_funds_grosze', 'coop_fig_competition_funds'], ['offers', 'coop_fig_offers'],
  ['offers_rejected_formal', 'coop_fig_offers_rejected_formal'], ['offers_refused', 'coop_fig_offers_refused'],
  ['offers_granted', 'coop_fig_offers_granted'], ['contracts', 'coop_fig_contracts'], ['granted_grosze', 'coop_fig_granted'],
  ['small_offers', 'coop_fig_small_offers'], ['small_contracts', 'coop_fig_small_contracts'], ['small_granted_grosze', 'coop_fig_small_granted'],
  ['settled_accepted', 'coop_fig_settled_accepted'], ['contracts_terminated', 'coop_fig_contracts_terminated'],
  ['returned_grosze', 'coop_fig_returned'], ['trainings', 'coop_fig_trainings'], ['training_participants', 'coop_fig_training_participants'],
  ['premises_lent', 'coop_fig_premises_lent'], ['organizations_lent_premises', 'coop_fig_organizations_lent_premises'],
  ['teams', 'coop_fig_teams'], ['organizations_in_teams', 'coop_fig_organizations_in_teams'], ['team_meetings', 'coop_fig_team_meetings'],
  ['patronages', 'coop_fig_patronages'], ['information_published', 'coop_fig_information_published'],
  ['other_activities', 'coop_fig_other_activities'],
];
const OFFERS_PAGE = 100;

const state = {
  tab: 'programme', panes: null, list: null, form: null, dirty: false,
  // What is open beside the list: a competition (id), a programme or report (year), an offer (id).
  openKind: null, openId: null,
  year: new Date().getFullYear(), current: new Date().getFullYear(), years: [],
  ref: null, programme: null,
};

// "Zespoły i inne formy" (views/coop_teams.js): its list, records and forms in this view's panes.
const teams = teamsTab({
  state, mountForm, formActions, facts, reload, placeholder, markOpen,
  remount: async () => { mountList(); await reload(); },
});

const label = (list, code) => t((list.find(([c]) => c === code) || list[0])[1]);
const statusText = (code) => label(STATUSES, code);
const settlementText = (code) => label(SETTLEMENTS, code);
const handlingText = (code) => label(HANDLINGS, code);
const formsText = (codes) => (codes || '').split(',').filter(Boolean).map((c) => label(ACT_FORMS, c)).join(', ');
const pick = (list) => options(list.map(([value, key]) => ({ value, text: t(key) })), false);
const idOrNull = (v) => (v ? Number(v) : null);
const money = (g) => (g === null || g === undefined ? '' : formatMoneyBare(g));

function areaName(code) {
  const a = (state.ref?.areas || []).find((x) => x.code === code);
  return a ? `${a.code}. ${a.name}` : (code || '');
}

function areaOptions(chosen) {
  return options((state.ref?.areas || []).filter((a) => a.active || a.code === chosen).map((a) => ({ value: a.code, text: `${a.code}. ${a.name}` })));
}

/** The years offered: those with a programme, this year, the one before and the next. */
function yearChoice() {
  const set = new Set([...state.years, state.current - 1, state.current, state.current + 1, state.year]);
  return [...set].sort((a, b) => b - a);
}

async function readYears() {
  try {
    const y = await api.programmeYears();
    state.years = y.years;
    state.current = new Date().getFullYear();
    return y.current;
  } catch (err) {
    reportError(err);
    return state.current;
  }
}

async function readProgramme(year) {
  try {
    state.programme = await api.getProgramme(year);
  } catch (err) {
    reportError(err);
    state.programme = null;
  }
  return state.programme;
}

// ----- the list pane -------------------------------------------------------------------------

function tabsBar() {
  return h('div', { class: 'tabs coop-tabs', role: 'tablist', 'aria-label': t('coop_tabs') }, TABS.map(([tab, key]) => h('button', {
    type: 'button', role: 'tab', id: `coop-tab-${tab}`, dataset: { tab }, 'aria-selected': String(state.tab === tab),
    tabindex: state.tab === tab ? '0' : '-1',
    onclick: () => switchTab(tab),
    onkeydown: (e) => {
      const i = TABS.findIndex(([x]) => x === tab);
      const next = e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : null;
      if (next) { e.preventDefault(); switchTab(next[0]); }
    },
  }, t(key))));
}

function yearFilter() {
  return h('div', { class: 'filters coop-filters' },
    h('div', { class: 'filter' },
      h('label', { for: 'coop-year' }, t('coop_year')),
      h('select', {
        id: 'coop-year',
        onchange: async (e) => {
          if (!(await mayLeave(state))) { e.target.value = String(state.year); return; }
          state.year = Number(e.target.value);
          state.form = null;
          state.dirty = false;
          placeholder();
          await readProgramme(state.year);
          await reload();
        },
      }, yearChoice().map((y) => h('option', { value: String(y), selected: y === state.year }, String(y))))));
}

function competitionRow(c) {
  const over = c.granted_grosze > c.funds_grosze;
  return h('div', { class: 'crow competition', dataset: { id: c.id } },
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, c.title),
      h('span', { class: 'subline' }, h('span', { class: 'what', title: c.area_name }, `${c.area_code}. ${c.area_name}`))),
    h('span', { class: 'cell state' },
      h('span', { class: 'date', title: t('coop_deadline_short', { date: formatDate(c.deadline_on) }) }, formatDate(c.deadline_on)),
      h('span', { class: `when${over ? ' over' : ''}`, title: t('coop_granted_of', { granted: formatMoney(c.granted_grosze), funds: formatMoney(c.funds_grosze) }) },
        t('coop_offers_n', { n: formatCount(c.offers), count: c.offers }))));
}

function smallRow(o) {
  return h('div', { class: 'crow offer', dataset: { id: o.id } },
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, o.organization_name),
      h('span', { class: 'subline' }, h('span', { class: 'what', title: o.title }, o.title))),
    h('span', { class: 'cell state' },
      h('span', { class: `badge status-${o.status}` }, statusText(o.status)),
      h('span', { class: 'when' }, o.granted_grosze ? formatMoney(o.granted_grosze) : formatMoney(o.requested_grosze))));
}

/** A period short enough for a list row: 01.12–31.12.2026 within a year, whole otherwise. */
function shortPeriod(from, to) {
  const whole = formatPeriod(from, to);
  if (!from || !to || from.slice(0, 4) !== to.slice(0, 4)) return whole;
  return `${formatDate(from).slice(0, 5)}–${formatDate(to)}`;
}

function actRow(a) {
  const period = formatPeriod(a.starts_on, a.ends_on);
  return h('div', { class: 'crow act', dataset: { id: a.id } },
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text', title: a.title }, a.title),
      h('span', { class: 'subline' }, h('span', { class: 'what', title: a.act_kind }, a.act_kind))),
    h('span', { class: 'cell state' },
      h('span', { class: 'date', title: period }, shortPeriod(a.starts_on, a.ends_on)),
      h('span', { class: 'when' }, t('coop_opinions_n', { n: formatCount(a.opinions), count: a.opinions }))));
}

function yearRow(y) {
  const p = y.programme;
  const sub = state.tab === 'report'
    ? t('coop_report_for', { year: y.year })
    : (p ? t('coop_resolution_short', { number: p.resolution_number, date: formatDate(p.resolution_date) }) : t('coop_no_programme'));
  return h('div', { class: 'crow year', dataset: { id: y.year } },
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, t('coop_programme_year', { year: y.year })),
      h('span', { class: 'subline' }, h('span', { class: 'what', title: sub }, sub))),
    h('span', { class: 'cell state' },
      p ? h('span', { class: 'when' }, formatMoney(p.tasks.reduce((s, x) => s + x.planned_grosze, 0))) : h('span', { class: 'badge muted' }, t('coop_none'))));
}

function newButton() {
  if (state.tab === 'programme') return h('button', { type: 'button', class: 'primary', id: 'coop-new-programme', onclick: () => newProgramme() }, t('coop_programme_new'));
  if (state.tab === 'competitions') return h('button', { type: 'button', class: 'primary', id: 'coop-new-competition', onclick: () => showCompetitionForm(null) }, t('coop_competition_new'));
  if (state.tab === 'small') return h('button', { type: 'button', class: 'primary', id: 'coop-new-small', onclick: () => showOfferForm(null, null) }, t('coop_small_new'));
  if (state.tab === 'acts') return h('button', { type: 'button', class: 'primary', id: 'coop-new-act', onclick: () => showActForm(null) }, t('coop_act_new'));
  if (state.tab === 'teams') return teams.newButton();
  return null;
}

function mountList() {
  let above;
  let fetchPage;
  let renderRow;
  let empty;
  let rowHeight = 56;
  if (state.tab === 'competitions') {
    above = [tabsBar(), yearFilter(),
      h('div', { class: 'listhead crow competition' },
        h('span', { class: 'colhead static' }, t('coop_col_competition')),
        h('span', { class: 'colhead static' }, t('coop_col_deadline')))];
    fetchPage = (offset, limit) => api.listCompetitions({ year: state.year, offset, limit });
    renderRow = competitionRow;
    empty = () => emptyState(t('coop_competitions_empty', { year: state.year }), h('button', { type: 'button', class: 'primary', onclick: () => showCompetitionForm(null) }, t('coop_competition_new')));
  } else if (state.tab === 'small') {
    above = [tabsBar(), yearFilter(),
      h('div', { class: 'listhead crow offer' },
        h('span', { class: 'colhead static' }, t('coop_col_offer')),
        h('span', { class: 'colhead static' }, t('coop_col_status')))];
    fetchPage = (offset, limit) => api.listOffers({ small_grants: true, competition_id: null, organization_id: null, year: state.year, offset, limit });
    renderRow = smallRow;
    empty = () => emptyState(t('coop_small_empty', { year: state.year }), h('button', { type: 'button', class: 'primary', onclick: () => showOfferForm(null, null) }, t('coop_small_new')));
  } else if (state.tab === 'acts') {
    above = [tabsBar(), yearFilter(),
      h('div', { class: 'listhead crow act' },
        h('span', { class: 'colhead static' }, t('coop_col_act')),
        h('span', { class: 'colhead static' }, t('coop_col_act_period')))];
    fetchPage = (offset, limit) => api.listActConsultations({ year: state.year, offset, limit });
    renderRow = actRow;
    empty = () => emptyState(t('coop_acts_empty', { year: state.year }), h('button', { type: 'button', class: 'primary', onclick: () => showActForm(null) }, t('coop_act_new')));
  } else if (state.tab === 'teams') {
    ({ above, fetchPage, renderRow, empty, rowHeight } = teams.list(tabsBar(), yearFilter()));
  } else {
    above = [tabsBar(),
      h('div', { class: 'listhead crow year' },
        h('span', { class: 'colhead static' }, t('coop_col_year')),
        h('span', { class: 'colhead static' }, state.tab === 'report' ? '' : t('coop_col_planned')))];
    // A handful of years: read at once, paged here.
    let rows = [];
    fetchPage = async (offset, limit) => {
      if (offset === 0) {
        const years = yearChoice();
        const programmes = await Promise.all(years.map((y) => api.getProgramme(y)));
        rows = years.map((year, i) => ({ year, programme: programmes[i] }));
      }
      return { items: rows.slice(offset, offset + limit), total: rows.length, offset };
    };
    renderRow = yearRow;
    rowHeight = 52;
    empty = () => emptyState(t('coop_no_programme'));
  }
  state.list = new RecordList({
    titleKey: 'nav_cooperation',
    actions: [newButton()].filter(Boolean),
    above,
    empty,
    rowHeight,
    fetchPage,
    renderRow,
    onOpen: (x) => {
      if (state.tab === 'competitions') return openCompetition(x.id);
      if (state.tab === 'small') return openOffer(x.id);
      if (state.tab === 'acts') return openAct(x.id);
      if (state.tab === 'teams') return teams.open(x);
      if (state.tab === 'report') return openReport(x.year);
      return openProgramme(x.year);
    },
  });
  state.panes.list.replaceChildren(...state.list.pane);
}

async function reload() {
  await state.list.reload();
  markOpen();
}

function markOpen() {
  if (!state.list || state.openId === null) return;
  if (state.tab === 'teams') return teams.markOpen();
  const kind = { competitions: 'competition', small: 'offer', acts: 'act', programme: 'programme', report: 'report' }[state.tab];
  if (state.tab === 'acts' && (state.openKind === 'opinion' || state.openKind === 'act-form')) {
    if (state.form?.act) state.list.markSelected((x) => x.id === state.form.act.id);
    return;
  }
  if (state.openKind === 'offer' && state.tab === 'competitions' && state.form?.competition) {
    state.list.markSelected((x) => x.id === state.form.competition.id);
    return;
  }
  if (state.openKind !== kind) return;
  state.list.markSelected((x) => (x.year !== undefined ? x.year === state.openId : x.id === state.openId));
}

function placeholder() {
  state.openId = null;
  state.openKind = null;
  showPlaceholder(state.panes.detail, { programme: 'coop_pick_programme', competitions: 'coop_pick_competition', small: 'coop_pick_small', acts: 'coop_pick_act', teams: 'coop_pick_team', report: 'coop_pick_report' }[state.tab]);
}

async function switchTab(tab) {
  if (tab === state.tab) return;
  if (!(await mayLeave(state))) return;
  state.form = null;
  state.dirty = false;
  state.tab = tab;
  mountList();
  placeholder();
  await reload();
  state.panes.list.querySelector(`#coop-tab-${tab}`)?.focus();
  // The year chosen elsewhere opens at once where a tab shows one year.
  if (tab === 'report') await openReport(state.year);
  else if (tab === 'programme') await openProgramme(state.year);
}

// ----- shared pieces ---------------------------------------------------------------------------

function facts(pairs) {
  const rows = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '');
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
}

function formActions(saveId, ...more) {
  return h('div', { class: 'actions sticky' },
    h('button', { type: 'submit', class: 'primary', id: saveId }, t('save'), h('kbd', {}, 'Ctrl+S')),
    h('button', { type: 'button', onclick: () => cancel() }, t('cancel')),
    ...more);
}

function mountForm(form, kind, id, extra = {}) {
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('change', () => { state.dirty = true; });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  state.form = { el: form, kind, id, ...extra };
  state.dirty = false;
  state.panes.detail.replaceChildren(form);
  state.panes.detail.scrollTop = 0;
}

/** A register organisation found by typing a few letters of its name. */
function orgPicker(id, text, { required = true, labelKey = 'f_organization' } = {}) {
  const input = h('input', { type: 'text', id: 'pick-organization_id', value: text || '', autocomplete: 'off', placeholder: t('coop_find_org'), 'aria-describedby': 'pick-organization_id-err' });
  if (required) input.setAttribute('aria-required', 'true');
  const hidden = h('input', { type: 'hidden', name: 'organization_id', value: id ? String(id) : '' });
  const suggestions = attachSuggestions(input, {
    kind: 'organization',
    onType: () => { hidden.value = ''; },
    onChoose: (hit) => { hidden.value = String(hit.id); input.value = hit.name; hidden.dispatchEvent(new Event('change', { bubbles: true })); },
  });
  return h('div', { class: 'field wide', dataset: { field: 'organization_id' } },
    h('label', { for: 'pick-organization_id' }, t(labelKey), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    h('div', { class: 'org-pick-wrap' }, input, suggestions),
    hidden,
    h('p', { class: 'field-error', id: 'pick-organization_id-err', hidden: true }));
}

/** Warnings at their fields, in amber; those without a field in the banner-like note on top. */
function showWarnings(form, warnings) {
  for (const p of form.querySelectorAll('.field-warning')) p.remove();
  const note = form.querySelector('.coop-warnings');
  const loose = [];
  for (const w of warnings) {
    const wrap = form.querySelector(`[data-field="${CSS.escape(w.field)}"]`);
    if (!wrap || wrap.hidden) { loose.push(w.message); continue; }
    const p = h('p', { class: 'field-warning', role: 'status' }, w.message);
    const err = wrap.querySelector('.field-error');
    if (err) err.after(p); else wrap.append(p);
  }
  if (note) {
    note.textContent = loose.join(' ');
    note.hidden = loose.length === 0;
  }
}

// ----- the programme ---------------------------------------------------------------------------

async function newProgramme() {
  const taken = new Set(state.years);
  let year = state.current;
  while (taken.has(year)) year += 1;
  await openProgramme(year);
}

async function openProgramme(year) {
  if (!(await mayLeave(state))) return;
  const p = await readProgramme(year);
  state.year = year;
  showProgrammeForm(year, p);
  state.openKind = 'programme';
  state.openId = year;
  markOpen();
}

function taskRow(task) {
  const title = h('input', { type: 'text', class: 'task-title', value: task?.title || '', autocomplete: 'off' });
  const area = h('select', { class: 'task-area' }, areaOptions(task?.area_code || '').map((o) => h('option', { value: o.value, selected: o.value === (task?.area_code || '') }, o.text)));
  const planned = h('input', { type: 'text', class: 'task-planned', value: task ? money(task.planned_grosze) : '', autocomplete: 'off' });
  const cell = (cls, labelKey, input) => h('div', { class: `field ${cls}`, dataset: { part: cls } },
    h('label', {}, t(labelKey)), input, h('p', { class: 'field-error', hidden: true }));
  const row = h('li', { class: 'coop-task', dataset: { id: task?.id || '' } },
    cell('title', 'coop_task_title', title),
    cell('area_code', 'coop_task_area', area),
    cell('planned', 'coop_task_planned', planned),
    h('div', { class: 'task-granted' },
      h('span', { class: 'muted' }, t('coop_task_granted')), ' ',
      h('span', { class: 'amount' }, task ? formatMoney(task.granted_grosze) : '—')),
    h('button', {
      type: 'button', class: 'small task-remove',
      onclick: () => { const list = row.parentElement; row.remove(); numberTasks(list); state.dirty = true; list.querySelector('input')?.focus(); },
    }, t('coop_task_remove')));
  return row;
}

/** Ties each task's labels to its inputs and names its fields tasks.<i>.<field> for the core's errors. */
function numberTasks(list) {
  [...list.children].forEach((row, i) => {
    for (const wrap of row.querySelectorAll('[data-part]')) {
      const part = wrap.dataset.part;
      const input = wrap.querySelector('input, select');
      input.id = `coop-task-${i}-${part}`;
      wrap.querySelector('label').setAttribute('for', input.id);
      wrap.dataset.field = `tasks.${i}.${part}`;
    }
    row.querySelector('.task-remove').setAttribute('aria-label', t('coop_task_remove_n', { n: i + 1 }));
  });
}

function showProgrammeForm(year, p) {
  const tasks = h('ol', { class: 'coop-tasks', id: 'coop-tasks' });
  for (const task of p?.tasks || []) tasks.append(taskRow(task));
  if (!p) tasks.append(taskRow(null));
  numberTasks(tasks);
  const planned = (p?.tasks || []).reduce((s, x) => s + x.planned_grosze, 0);
  const granted = (p?.tasks || []).reduce((s, x) => s + x.granted_grosze, 0);
  const form = h('form', { class: 'record-form', id: 'programme-form', novalidate: true },
    h('h2', {}, p ? t('coop_programme_edit', { year }) : t('coop_programme_add', { year })),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('coop_grp_resolution',
      field({ name: 'year', labelKey: 'coop_f_year', value: String(year), required: true }),
      field({ name: 'resolution_number', labelKey: 'coop_f_resolution_number', value: p?.resolution_number || '', required: true, hintKey: 'coop_resolution_hint' }),
      field({ name: 'resolution_date', labelKey: 'coop_f_resolution_date', value: p ? formatDate(p.resolution_date) : '', hintKey: 'hint_date', required: true }),
      field({ name: 'period_from', labelKey: 'coop_f_period_from', value: p ? formatDate(p.period_from) : '', hintKey: 'coop_period_hint' }),
      field({ name: 'period_until', labelKey: 'coop_f_period_until', value: p ? formatDate(p.period_until) : '', hintKey: 'coop_period_hint' })),
    group('coop_grp_programme',
      field({ name: 'forms', labelKey: 'coop_f_forms', kind: 'textarea', value: p?.forms || '', wide: true }),
      field({ name: 'consultation_note', labelKey: 'coop_f_consultation_note', kind: 'textarea', value: p?.consultation_note || '', wide: true }),
      field({ name: 'council_opinion', labelKey: 'coop_f_council_opinion', kind: 'textarea', value: p?.council_opinion || '', wide: true }),
      field({ name: 'conclusions', labelKey: 'coop_f_conclusions', kind: 'textarea', value: p?.conclusions || '', wide: true })),
    h('fieldset', { class: 'group', dataset: { field: 'tasks' } },
      h('legend', {}, t('coop_grp_tasks')),
      p ? h('p', { class: 'muted coop-sum', id: 'coop-programme-sum' }, t('coop_planned_granted', { planned: formatMoney(planned), granted: formatMoney(granted) })) : null,
      tasks,
      h('p', { class: 'field-error', hidden: true }),
      h('button', { type: 'button', class: 'small', id: 'coop-task-add', onclick: () => { tasks.append(taskRow(null)); numberTasks(tasks); tasks.lastElementChild.querySelector('input').focus(); } }, t('coop_task_add'))),
    formActions('save-programme',
      p ? h('button', { type: 'button', class: 'danger', id: 'coop-programme-delete', onclick: () => deleteProgramme(p) }, t('delete')) : null));
  mountForm(form, 'programme', p?.id ?? null, { year });
}

function programmeInput(form) {
  const v = collect(form);
  const tasks = [...form.querySelectorAll('#coop-tasks > li')].map((row) => ({
    id: idOrNull(row.dataset.id),
    title: row.querySelector('.task-title').value,
    area_code: row.querySelector('.task-area').value,
    planned: row.querySelector('.task-planned').value,
  }));
  return {
    year: v.year, resolution_number: v.resolution_number, resolution_date: v.resolution_date,
    period_from: v.period_from, period_until: v.period_until, forms: v.forms, consultation_note: v.consultation_note,
    council_opinion: v.council_opinion, conclusions: v.conclusions, tasks,
  };
}

async function deleteProgramme(p) {
  if (!(await confirmDialog(t('coop_programme_delete_confirm', { year: p.year }), t('delete')))) return;
  try {
    await api.deleteProgramme(p.id);
    state.form = null;
    state.dirty = false;
    toast(t('coop_programme_deleted'));
    await readYears();
    await reload();
    placeholder();
  } catch (err) {
    reportError(err);
  }
}

// ----- competitions ----------------------------------------------------------------------------

async function openCompetition(id, { more = false } = {}) {
  if (!more && !(await mayLeave(state))) return;
  try {
    const c = await api.getCompetition(id);
    state.form = null;
    state.dirty = false;
    state.openKind = 'competition';
    state.openId = id;
    const over = c.granted_grosze > c.funds_grosze;
    const offersBox = h('div', { id: 'coop-offers' }, h('p', { class: 'muted' }, '…'));
    state.panes.detail.replaceChildren(h('article', { class: 'record', id: 'competition-record', dataset: { id: c.id } },
      h('header', { class: 'record-head' },
        h('div', {},
          h('h2', { class: 'record-title' }, c.title),
          h('p', { class: 'record-sub' }, areaName(c.area_code) || c.area_name)),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: 'coop-add-offer', onclick: () => showOfferForm(null, c) }, t('coop_offer_add')),
          h('button', { type: 'button', id: 'edit-record', onclick: () => showCompetitionForm(c) }, t('edit')),
          h('button', { type: 'button', class: 'danger', id: 'coop-competition-delete', onclick: () => deleteCompetition(c) }, t('delete')))),
      h('p', { class: `coop-funds${over ? ' over' : ''}`, id: 'coop-funds', role: 'status' },
        t('coop_granted_of', { granted: formatMoney(c.granted_grosze), funds: formatMoney(c.funds_grosze) }),
        over ? h('span', { class: 'badge warning' }, t('coop_funds_exceeded')) : null),
      facts([
        ['coop_f_priority_task', c.priority_task_title],
        ['coop_f_grant_call', c.grant_call_title],
        ['coop_f_announced_on', formatDate(c.announced_on)],
        ['coop_f_deadline_on', formatDate(c.deadline_on)],
        ['coop_f_result_on', formatDate(c.result_on)],
      ]),
      c.committee ? h('section', { class: 'facts-group' }, h('h3', {}, t('coop_f_committee')), h('p', { class: 'prewrap' }, c.committee)) : null,
      c.notes ? h('section', { class: 'facts-group' }, h('h3', {}, t('f_notes')), h('p', { class: 'prewrap' }, c.notes)) : null,
      h('section', { class: 'facts-group' }, h('h3', {}, t('coop_offers_title', { n: formatCount(c.offers) })), offersBox)));
    state.panes.detail.scrollTop = 0;
    markOpen();
    await showOffersOf(c, offersBox, 0);
  } catch (err) {
    reportError(err);
  }
}

/** A competition's offers, a page at a time. */
async function showOffersOf(c, box, offset) {
  try {
    const page = await api.listOffers({ competition_id: c.id, small_grants: false, organization_id: null, year: null, offset, limit: OFFERS_PAGE });
    const rows = page.items.map((o) => h('tr', { dataset: { id: o.id } },
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => openOffer(o.id) }, o.organization_name),
        h('span', { class: 'subline muted' }, o.title),
        h('span', { class: 'subline muted' }, t('coop_requested_amount', { amount: formatMoney(o.requested_grosze) }))),
      h('td', {}, h('span', { class: `badge status-${o.status}` }, statusText(o.status))),
      h('td', { class: 'money' }, o.granted_grosze ? formatMoney(o.granted_grosze) : '—')));
    if (!page.items.length && offset === 0) {
      box.replaceChildren(h('p', { class: 'muted' }, t('coop_offers_none')));
      return;
    }
    const table = h('table', { class: 'coop-table coop-offers' },
      h('thead', {}, h('tr', {}, h('th', {}, t('coop_col_offer')), h('th', {}, t('coop_col_status')), h('th', { class: 'money' }, t('coop_col_granted')))),
      h('tbody', {}, rows));
    const nav = h('div', { class: 'actions coop-pager' },
      offset > 0 ? h('button', { type: 'button', class: 'small', onclick: () => showOffersOf(c, box, Math.max(0, offset - OFFERS_PAGE)) }, t('coop_prev')) : null,
      offset + page.items.length < page.total ? h('button', { type: 'button', class: 'small', onclick: () => showOffersOf(c, box, offset + OFFERS_PAGE) }, t('coop_next')) : null);
    box.replaceChildren(table, nav);
  } catch (err) {
    reportError(err);
  }
}

async function showCompetitionForm(c) {
  if (!(await mayLeave(state))) return;
  if (!state.programme || state.programme.year !== state.year) await readProgramme(state.year);
  const tasks = state.programme?.tasks || [];
  const calls = await grantCallOptions(c);
  const form = h('form', { class: 'record-form', id: 'competition-form', novalidate: true },
    h('h2', {}, c ? t('coop_competition_edit') : t('coop_competition_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('coop_grp_competition',
      field({ name: 'title', labelKey: 'coop_f_competition_title', value: c?.title || '', required: true, wide: true }),
      field({ name: 'area_code', labelKey: 'coop_f_area', kind: 'select', value: c?.area_code || '', options: areaOptions(c?.area_code || ''), required: true, wide: true }),
      field({ name: 'priority_task_id', labelKey: 'coop_f_priority_task', kind: 'select', value: c?.priority_task_id ? String(c.priority_task_id) : '',
        options: options(tasks.map((x) => ({ value: String(x.id), text: x.title }))), wide: true, hintKey: tasks.length ? null : 'coop_no_tasks_hint' }),
      field({ name: 'grant_call_id', labelKey: 'coop_f_grant_call_pick', kind: 'select', value: c?.grant_call_id ? String(c.grant_call_id) : '',
        options: calls, wide: true, hintKey: calls.length > 1 ? null : 'coop_no_grant_calls_hint' }),
      field({ name: 'funds', labelKey: 'coop_f_funds', value: c ? money(c.funds_grosze) : '', required: true, hintKey: 'coop_money_hint' }),
      field({ name: 'announced_on', labelKey: 'coop_f_announced_on', value: c ? formatDate(c.announced_on) : todayPl(), hintKey: 'hint_date', required: true }),
      field({ name: 'deadline_on', labelKey: 'coop_f_deadline_on', value: c ? formatDate(c.deadline_on) : '', hintKey: 'hint_date', required: true }),
      field({ name: 'result_on', labelKey: 'coop_f_result_on', value: c?.result_on ? formatDate(c.result_on) : '', hintKey: 'hint_date' }),
      field({ name: 'committee', labelKey: 'coop_f_committee', kind: 'textarea', value: c?.committee || '', wide: true }),
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: c?.notes || '', wide: true })),
    formActions('save-competition'));
  // A priority task brings its sphere along when none is chosen yet.
  form.priority_task_id.addEventListener('change', () => {
    const task = tasks.find((x) => String(x.id) === form.priority_task_id.value);
    if (task && !form.area_code.value) form.area_code.value = task.area_code;
  });
  mountForm(form, 'competition', c?.id ?? null);
  form.title.focus();
}

/** The newest 200 grant calls of Konkursy (and the competition's own, if older), "— brak —" first. */
async function grantCallOptions(c) {
  let rows = [];
  try {
    rows = (await api.listGrantCalls(0, 200)).items;
  } catch (err) {
    reportError(err);
  }
  const list = rows.map(([id, funder, title, deadline]) => ({ value: String(id), text: `${title} — ${funder}, ${formatDate(deadline)}` }));
  if (c?.grant_call_id && !rows.some(([id]) => id === c.grant_call_id)) list.push({ value: String(c.grant_call_id), text: c.grant_call_title || `#${c.grant_call_id}` });
  return [{ value: '', text: t('coop_grant_call_none') }, ...list];
}

async function deleteCompetition(c) {
  if (!(await confirmDialog(t('coop_competition_delete_confirm', { title: c.title }), t('delete')))) return;
  try {
    await api.deleteCompetition(c.id);
    toast(t('coop_competition_deleted'));
    await reload();
    placeholder();
  } catch (err) {
    reportError(err);
  }
}

// ----- offers ----------------------------------------------------------------------------------

async function openOffer(id) {
  if (!(await mayLeave(state))) return;
  try {
    const o = await api.getOffer(id);
    const c = o.competition_id ? await api.getCompetition(o.competition_id) : null;
    await showOfferForm(o, c, { asked: true });
  } catch (err) {
    reportError(err);
  }
}

/** An offer in competition `c`, or (c null) an art. 19a small grant; `o` null: a new one. */
async function showOfferForm(o, c, { asked = false } = {}) {
  if (!asked && !(await mayLeave(state))) return;
  const small = !c;
  const status = o?.status || 'submitted';
  const reason = field({ name: 'rejection_reason', labelKey: 'coop_f_rejection_reason', kind: 'textarea', value: o?.rejection_reason || '', wide: true, required: true });
  reason.hidden = status !== 'rejected_formal';
  const form = h('form', { class: 'record-form', id: 'offer-form', novalidate: true },
    h('h2', {}, small
      ? (o ? t('coop_small_edit') : t('coop_small_new'))
      : (o ? t('coop_offer_edit') : t('coop_offer_add'))),
    c ? h('p', { class: 'record-sub', id: 'offer-competition' }, t('coop_in_competition', { title: c.title })) : null,
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    h('p', { class: 'notice coop-warnings', role: 'status', hidden: true }),
    group('coop_grp_offer',
      orgPicker(o?.organization_id, o?.organization_name),
      field({ name: 'title', labelKey: 'coop_f_offer_title', value: o?.title || '', required: true, wide: true }),
      small ? field({ name: 'area_code', labelKey: 'coop_f_area', kind: 'select', value: o?.area_code || '', options: areaOptions(o?.area_code || ''), required: true, wide: true }) : null,
      field({ name: 'submitted_on', labelKey: 'coop_f_submitted_on', value: o ? formatDate(o.submitted_on) : todayPl(), hintKey: 'hint_date', required: true }),
      field({ name: 'requested', labelKey: 'coop_f_requested', value: o ? money(o.requested_grosze) : '', hintKey: 'coop_money_hint', required: true }),
      field({ name: 'status', labelKey: 'coop_f_status', kind: 'select', value: status, options: pick(STATUSES) }),
      reason,
      field({ name: 'score', labelKey: 'coop_f_score', value: o?.score !== null && o?.score !== undefined ? String(o.score).replace('.', ',') : '' }),
      field({ name: 'granted', labelKey: 'coop_f_granted', value: o?.granted_grosze ? money(o.granted_grosze) : '', hintKey: 'coop_granted_hint' })),
    group('coop_grp_contract',
      small ? field({ name: 'published_on', labelKey: 'coop_f_published_on', value: o?.published_on ? formatDate(o.published_on) : '', hintKey: 'coop_published_hint' }) : null,
      field({ name: 'contract_number', labelKey: 'coop_f_contract_number', value: o?.contract_number || '' }),
      field({ name: 'contract_signed_on', labelKey: 'coop_f_contract_signed_on', value: o?.contract_signed_on ? formatDate(o.contract_signed_on) : '', hintKey: 'hint_date' }),
      field({ name: 'period_from', labelKey: 'coop_f_task_from', value: o?.period_from ? formatDate(o.period_from) : '', hintKey: 'hint_date' }),
      field({ name: 'period_until', labelKey: 'coop_f_task_until', value: o?.period_until ? formatDate(o.period_until) : '', hintKey: 'hint_date' })),
    group('coop_grp_settlement',
      field({ name: 'settlement', labelKey: 'coop_f_settlement', kind: 'select', value: o?.settlement || 'open', options: pick(SETTLEMENTS) }),
      field({ name: 'returned', labelKey: 'coop_f_returned', value: o?.returned_grosze ? money(o.returned_grosze) : '' }),
      field({ name: 'settled_on', labelKey: 'coop_f_settled_on', value: o?.settled_on ? formatDate(o.settled_on) : '', hintKey: 'hint_date' }),
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: o?.notes || '', wide: true })),
    formActions('save-offer',
      o ? h('button', { type: 'button', class: 'danger', id: 'coop-offer-delete', onclick: () => deleteOffer(o, c) }, t('delete')) : null));
  form.status.addEventListener('change', () => { reason.hidden = form.status.value !== 'rejected_formal'; });
  const warn = debounce(() => liveWarnings(form), 350);
  form.addEventListener('input', warn);
  form.addEventListener('change', warn);
  mountForm(form, 'offer', o?.id ?? null, { competition: c });
  state.openKind = 'offer';
  state.openId = o?.id ?? null;
  markOpen();
  if (o) liveWarnings(form);
  form.querySelector(o ? 'input[name=title]' : '#pick-organization_id').focus();
}

function offerInput(form) {
  const v = collect(form);
  const c = state.form?.competition;
  return {
    competition_id: c ? c.id : null, organization_id: idOrNull(v.organization_id), title: v.title, area_code: v.area_code || '',
    submitted_on: v.submitted_on, requested: v.requested, status: v.status, rejection_reason: form.querySelector('[data-field=rejection_reason]').hidden ? '' : v.rejection_reason,
    score: v.score, granted: v.granted, published_on: v.published_on || '', period_from: v.period_from, period_until: v.period_until,
    contract_number: v.contract_number, contract_signed_on: v.contract_signed_on, settlement: v.settlement, returned: v.returned,
    settled_on: v.settled_on, notes: v.notes,
  };
}

/** What the statute or the funds warn about for what is typed now (nothing while it does not parse). */
async function liveWarnings(form) {
  if (!state.form || state.form.el !== form) return;
  try {
    const warnings = await api.offerWarnings(state.form.id, offerInput(form));
    if (state.form?.el === form) showWarnings(form, warnings);
  } catch {
    // Half-typed: the save says what is wrong.
  }
}

async function deleteOffer(o, c) {
  if (!(await confirmDialog(t('coop_offer_delete_confirm', { org: o.organization_name, title: o.title }), t('delete')))) return;
  try {
    await api.deleteOffer(o.id);
    state.form = null;
    state.dirty = false;
    toast(t('coop_offer_deleted'));
    await reload();
    if (c) await openCompetition(c.id);
    else placeholder();
  } catch (err) {
    reportError(err);
  }
}

// ----- the report ------------------------------------------------------------------------------

async function openReport(year) {
  if (!(await mayLeave(state))) return;
  try {
    const [r, settings] = await Promise.all([api.cooperationReport(year), api.cooperationSettings()]);
    state.form = null;
    state.dirty = false;
    state.year = year;
    state.openKind = 'report';
    state.openId = year;
    const cell = (key, fig) => (key.endsWith('_grosze') ? formatMoney(fig[key]) : formatCount(fig[key]));
    const p = r.programme;
    state.panes.detail.replaceChildren(h('article', { class: 'record', id: 'coop-report', dataset: { year } },
      h('header', { class: 'record-head' },
        h('div', {},
          h('h2', { class: 'record-title' }, t('coop_report_title', { year })),
          h('p', { class: 'record-sub' }, r.due ? t('coop_report_due', { date: formatDate(r.due) }) : '')),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: 'coop-report-pdf', onclick: () => saveReport(year, 'pdf') }, t('coop_report_pdf')),
          h('button', { type: 'button', id: 'coop-report-xlsx', onclick: () => saveReport(year, 'xlsx') }, t('coop_report_xlsx')))),
      p
        ? facts([
          ['coop_f_resolution_number', p.resolution_number],
          ['coop_f_resolution_date', formatDate(p.resolution_date)],
          ['coop_f_period', formatPeriod(p.period_from, p.period_until)],
          ['coop_planned_total', formatMoney(p.planned_grosze)],
        ])
        : h('p', { class: 'notice', id: 'coop-report-no-programme' }, t('coop_report_no_programme', { year })),
      h('section', { class: 'facts-group' },
        h('h3', {}, t('coop_report_figures')),
        h('table', { class: 'coop-table coop-figures', id: 'coop-figures' },
          h('thead', {}, h('tr', {}, h('th', {}, t('coop_col_figure')), h('th', { class: 'num' }, String(year)), h('th', { class: 'num' }, String(year - 1)))),
          h('tbody', {}, FIGURES.map(([key, labelKey]) => h('tr', { dataset: { key } },
            h('th', { scope: 'row' }, t(labelKey)),
            h('td', { class: 'num current' }, cell(key, r.current)),
            h('td', { class: 'num previous' }, cell(key, r.previous))))))),
      r.by_task.length ? h('section', { class: 'facts-group' },
        h('h3', {}, t('coop_report_by_task')),
        h('table', { class: 'coop-table', id: 'coop-by-task' },
          h('thead', {}, h('tr', {}, h('th', {}, t('coop_task_title')), h('th', { class: 'num' }, t('coop_task_planned')), h('th', { class: 'num' }, t('coop_task_granted')))),
          h('tbody', {}, r.by_task.map((x) => h('tr', {}, h('th', { scope: 'row' }, x.task), h('td', { class: 'num' }, formatMoney(x.planned_grosze)), h('td', { class: 'num' }, formatMoney(x.granted_grosze))))))) : null,
      r.by_area.length ? h('section', { class: 'facts-group' },
        h('h3', {}, t('coop_report_by_area')),
        h('table', { class: 'coop-table', id: 'coop-by-area' },
          h('thead', {}, h('tr', {}, h('th', {}, t('coop_f_area')), h('th', { class: 'num' }, String(year)), h('th', { class: 'num' }, String(year - 1)))),
          h('tbody', {}, r.by_area.map((x) => h('tr', {}, h('th', { scope: 'row' }, x.area), h('td', { class: 'num' }, formatMoney(x.granted_grosze)), h('td', { class: 'num' }, formatMoney(x.previous_grosze))))))) : null,
      h('section', { class: 'facts-group' }, h('h3', {}, t('coop_f_conclusions')),
        r.conclusions ? h('p', { class: 'prewrap' }, r.conclusions) : h('p', { class: 'muted' }, t('coop_no_conclusions'))),
      dueForm(settings)));
    state.panes.detail.scrollTop = 0;
    markOpen();
  } catch (err) {
    reportError(err);
  }
}

/** When the report is due to the council: a day and a month (31 maja by default). */
function dueForm(s) {
  const day = field({ name: 'report_due_day', labelKey: 'coop_due_day', value: String(s.report_due_day) });
  const month = field({ name: 'report_due_month', labelKey: 'coop_due_month', kind: 'select', value: String(s.report_due_month),
    options: MONTHS.map((key, i) => ({ value: String(i + 1), text: t(key) })) });
  const form = h('form', {
    class: 'coop-due', id: 'coop-due-form', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      clearErrors(form);
      const v = collect(form);
      try {
        await api.saveCooperationSettings({ report_due_day: Number(v.report_due_day) || 0, report_due_month: Number(v.report_due_month) });
        toast(t('saved'));
        if (state.openKind === 'report') await openReport(state.openId);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'invalid') showErrors(form, err.fields);
        else reportError(err);
      }
    },
  },
  h('fieldset', { class: 'group' }, h('legend', {}, t('coop_due_title')),
    h('p', { class: 'muted' }, t('coop_due_hint')),
    h('div', { class: 'group-grid' }, day, month),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'coop-due-save' }, t('coop_due_save')))));
  return form;
}

async function saveReport(year, format) {
  try {
    const path = format === 'pdf' ? await api.cooperationReportPdf(year) : await api.cooperationReportXlsx(year);
    if (path) { toast(t('coop_report_saved', { path })); offerSaved(path); }
  } catch (err) {
    reportError(err);
  }
}

// ----- consultations of draft acts ---------------------------------------------------------------

async function openAct(id, { more = false } = {}) {
  if (!more && !(await mayLeave(state))) return;
  try {
    const [a, opinions] = await Promise.all([api.getActConsultation(id), api.listOpinions(id)]);
    state.form = null;
    state.dirty = false;
    state.openKind = 'act';
    state.openId = id;
    state.panes.detail.replaceChildren(h('article', { class: 'record', id: 'act-record', dataset: { id: a.id } },
      h('header', { class: 'record-head' },
        h('div', {},
          h('h2', { class: 'record-title' }, a.title),
          h('p', { class: 'record-sub' }, a.act_kind)),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: 'coop-add-opinion', onclick: () => showOpinionForm(null, a) }, t('coop_opinion_add')),
          h('button', { type: 'button', id: 'coop-act-notice', onclick: () => notifyOrganizations(a) }, t('coop_notice')),
          h('button', { type: 'button', id: 'coop-act-pdf', onclick: () => saveActReport(a) }, t('coop_act_pdf')),
          h('button', { type: 'button', id: 'edit-record', onclick: () => showActForm(a) }, t('edit')),
          h('button', { type: 'button', class: 'danger', id: 'coop-act-delete', onclick: () => deleteAct(a) }, t('delete')))),
      facts([
        ['coop_f_act_ordinance', a.ordinance],
        ['coop_f_act_period', formatPeriod(a.starts_on, a.ends_on)],
        ['coop_f_act_forms', formsText(a.forms)],
      ]),
      noticeLine(a),
      a.announced_where ? h('section', { class: 'facts-group' }, h('h3', {}, t('coop_f_act_announced_where')), h('p', { class: 'prewrap' }, a.announced_where)) : null,
      h('section', { class: 'facts-group' }, h('h3', {}, t('coop_opinions_title', { n: formatCount(opinions.length) })), opinionsTable(a, opinions)),
      a.outcome ? h('section', { class: 'facts-group' }, h('h3', {}, t('coop_f_act_outcome')), h('p', { class: 'prewrap' }, a.outcome)) : null));
    state.panes.detail.scrollTop = 0;
    markOpen();
  } catch (err) {
    reportError(err);
  }
}

/** The opinions received: who and when, the section and the comment, how it was handled and why. */
function opinionsTable(a, opinions) {
  if (!opinions.length) return h('p', { class: 'muted', id: 'coop-opinions-none' }, t('coop_opinions_none'));
  return h('table', { class: 'coop-table coop-opinions', id: 'coop-opinions' },
    h('thead', {}, h('tr', {}, h('th', {}, t('coop_col_opinion_who')), h('th', {}, t('coop_col_opinion_comment')), h('th', {}, t('coop_col_opinion_handling')))),
    h('tbody', {}, opinions.map((o) => h('tr', { dataset: { id: o.id, handling: o.handling } },
      h('td', { class: 'who' },
        h('span', { class: 'author' }, o.author),
        h('span', { class: 'subline muted' }, formatDate(o.received_on))),
      h('td', { class: 'comment' },
        o.section ? h('span', { class: 'subline muted section' }, o.section) : null,
        h('span', { class: 'prewrap' }, o.comment)),
      h('td', { class: 'handling' },
        h('span', { class: `badge handling-${o.handling}` }, handlingText(o.handling)),
        o.reason ? h('span', { class: 'subline reason prewrap' }, o.reason) : null,
        h('span', { class: 'actions opinion-actions' },
          h('button', { type: 'button', class: 'small opinion-edit', 'aria-label': t('coop_opinion_edit_of', { author: o.author }), onclick: () => showOpinionForm(o, a) }, t('edit')),
          h('button', { type: 'button', class: 'small danger opinion-delete', 'aria-label': t('coop_opinion_delete_of', { author: o.author }), onclick: () => deleteOpinion(o, a) }, t('delete'))))))));
}

async function showActForm(a) {
  if (!(await mayLeave(state))) return;
  const chosen = (a?.forms || '').split(',').filter(Boolean);
  const form = h('form', { class: 'record-form', id: 'act-form', novalidate: true },
    h('h2', {}, a ? t('coop_act_edit') : t('coop_act_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('coop_grp_act',
      field({ name: 'title', labelKey: 'coop_f_act_title', value: a?.title || '', required: true, wide: true }),
      field({ name: 'act_kind', labelKey: 'coop_f_act_kind', value: a?.act_kind || '', required: true, hintKey: 'coop_act_kind_hint', list: 'coop-act-kinds' }),
      h('datalist', { id: 'coop-act-kinds' }, ['coop_act_kind_resolution', 'coop_act_kind_ordinance'].map((k) => h('option', { value: t(k) }))),
      field({ name: 'ordinance', labelKey: 'coop_f_act_ordinance', value: a?.ordinance || '', hintKey: 'coop_act_ordinance_hint' }),
      field({ name: 'starts_on', labelKey: 'coop_f_act_starts_on', value: a ? formatDate(a.starts_on) : todayPl(), hintKey: 'hint_date', required: true }),
      field({ name: 'ends_on', labelKey: 'coop_f_act_ends_on', value: a ? formatDate(a.ends_on) : '', hintKey: 'hint_date', required: true }),
      h('fieldset', { class: 'field wide checks coop-act-forms', dataset: { field: 'forms' } },
        h('legend', {}, t('coop_f_act_forms')),
        ACT_FORMS.map(([code, key]) => h('label', { class: 'check' },
          h('input', { type: 'checkbox', name: 'forms', value: code, checked: chosen.includes(code), dataset: { multi: '1' } }), ' ', t(key))),
        h('p', { class: 'field-error', hidden: true })),
      field({ name: 'announced_where', labelKey: 'coop_f_act_announced_where', kind: 'textarea', value: a?.announced_where || '', wide: true, hintKey: 'coop_act_announced_hint' }),
      field({ name: 'outcome', labelKey: 'coop_f_act_outcome', kind: 'textarea', value: a?.outcome || '', wide: true })),
    formActions('save-act'));
  mountForm(form, 'act', a?.id ?? null, { act: a });
  state.openKind = 'act-form';
  state.openId = a?.id ?? null;
  markOpen();
  form.title.focus();
}

async function deleteAct(a) {
  if (!(await confirmDialog(t('coop_act_delete_confirm', { title: a.title }), t('delete')))) return;
  try {
    await api.deleteActConsultation(a.id);
    state.form = null;
    state.dirty = false;
    toast(t('coop_act_deleted'));
    await reload();
    placeholder();
  } catch (err) {
    reportError(err);
  }
}

/** An opinion on consultation `a`: from an organisation of the register or a typed author. */
async function showOpinionForm(o, a) {
  if (!(await mayLeave(state))) return;
  const fromOrg = !!o?.organization_id;
  const form = h('form', { class: 'record-form', id: 'opinion-form', novalidate: true },
    h('h2', {}, o ? t('coop_opinion_edit') : t('coop_opinion_add')),
    h('p', { class: 'record-sub', id: 'opinion-act' }, t('coop_opinion_on', { title: a.title })),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('coop_grp_opinion_who',
      orgPicker(fromOrg ? o.organization_id : null, fromOrg ? o.author : '', { required: false, labelKey: 'coop_f_opinion_org' }),
      field({ name: 'author', labelKey: 'coop_f_opinion_author', value: !fromOrg && o ? o.author : '', hintKey: 'coop_opinion_author_hint', wide: true }),
      field({ name: 'received_on', labelKey: 'coop_f_opinion_received_on', value: o ? formatDate(o.received_on) : todayPl(), hintKey: 'hint_date', required: true })),
    group('coop_grp_opinion',
      field({ name: 'section', labelKey: 'coop_f_opinion_section', value: o?.section || '', hintKey: 'coop_opinion_section_hint', wide: true }),
      field({ name: 'comment', labelKey: 'coop_f_opinion_comment', kind: 'textarea', value: o?.comment || '', required: true, wide: true }),
      field({ name: 'handling', labelKey: 'coop_f_opinion_handling', kind: 'select', value: o?.handling || 'pending', options: pick(HANDLINGS) }),
      field({ name: 'reason', labelKey: 'coop_f_opinion_reason', kind: 'textarea', value: o?.reason || '', wide: true, hintKey: 'coop_opinion_reason_hint' })),
    formActions('save-opinion'));
  mountForm(form, 'opinion', o?.id ?? null, { act: a });
  state.openKind = 'opinion';
  markOpen();
  form.querySelector('#pick-organization_id').focus();
}

async function deleteOpinion(o, a) {
  if (!(await confirmDialog(t('coop_opinion_delete_confirm', { author: o.author }), t('delete')))) return;
  try {
    await api.deleteOpinion(o.id);
    toast(t('coop_opinion_deleted'));
    await reload();
    await openAct(a.id, { more: true });
  } catch (err) {
    reportError(err);
  }
}

async function saveActReport(a) {
  try {
    const path = await api.consultationReportPdf(a.id);
    if (path) { toast(t('coop_act_pdf_saved', { path })); offerSaved(path); }
  } catch (err) {
    reportError(err);
  }
}

// ----- saving ----------------------------------------------------------------------------------

async function save() {
  const f = state.form;
  if (!f) return;
  if (teams.owns(f.kind)) return teams.save(f);
  const form = f.el;
  clearErrors(form);
  try {
    if (f.kind === 'programme') {
      const id = await api.saveProgramme(f.id, programmeInput(form));
      const year = Number(form.year.value.trim());
      state.form = null;
      state.dirty = false;
      toast(t('saved'));
      await readYears();
      state.year = year || state.year;
      await reload();
      await openProgramme(state.year);
      return id;
    }
    if (f.kind === 'competition') {
      const v = collect(form);
      const id = await api.saveCompetition(f.id, {
        title: v.title, area_code: v.area_code, priority_task_id: idOrNull(v.priority_task_id), grant_call_id: idOrNull(v.grant_call_id),
        funds: v.funds, announced_on: v.announced_on, deadline_on: v.deadline_on, result_on: v.result_on, committee: v.committee, notes: v.notes,
      });
      state.form = null;
      state.dirty = false;
      toast(t('saved'));
      await reload();
      await openCompetition(id);
      return id;
    }
    if (f.kind === 'act') {
      const v = collect(form);
      const id = await api.saveActConsultation(f.id, {
        title: v.title, act_kind: v.act_kind, ordinance: v.ordinance, starts_on: v.starts_on, ends_on: v.ends_on,
        forms: v.forms || [], announced_where: v.announced_where, outcome: v.outcome,
      });
      state.form = null;
      state.dirty = false;
      toast(t('saved'));
      await reload();
      await openAct(id, { more: true });
      return id;
    }
    if (f.kind === 'opinion') {
      const v = collect(form);
      const id = await api.saveOpinion(f.id, {
        consultation_id: f.act.id, organization_id: idOrNull(v.organization_id), author: v.author, received_on: v.received_on,
        section: v.section, comment: v.comment, handling: v.handling, reason: v.reason,
      });
      state.form = null;
      state.dirty = false;
      toast(t('saved'));
      await reload();
      await openAct(f.act.id, { more: true });
      return id;
    }
    const saved = await api.saveOffer(f.id, offerInput(form));
    await reload();
    if (saved.warnings.length) {
      // Saved, but the statute or the funds say something: the form stays with the warnings at
      // their fields, now editing the saved offer.
      f.id = saved.id;
      state.openId = saved.id;
      state.dirty = false;
      form.querySelector('h2').textContent = f.competition ? t('coop_offer_edit') : t('coop_small_edit');
      showWarnings(form, saved.warnings);
      toast(t('coop_saved_with_warnings', { warnings: saved.warnings.map((w) => w.message).join(' ') }));
      return saved.id;
    }
    state.form = null;
    state.dirty = false;
    toast(t('saved'));
    if (f.competition) await openCompetition(f.competition.id);
    else await openOffer(saved.id);
    return saved.id;
  } catch (err) {
    showFailure(form, err);
    return null;
  }
}

async function cancel() {
  if (!state.form || !(await mayLeave(state))) return;
  const f = state.form;
  state.form = null;
  state.dirty = false;
  if (teams.owns(f.kind)) await teams.cancelled(f);
  else if (f.kind === 'offer' && f.competition) await openCompetition(f.competition.id, { more: true });
  else if (f.kind === 'competition' && f.id) await openCompetition(f.id, { more: true });
  else if ((f.kind === 'opinion' || f.kind === 'act') && f.act) await openAct(f.act.id, { more: true });
  else placeholder();
}

/** Colleagues' changes: the list re-read in place; an open competition or report re-read unless a form is open. */
const quietReload = debounce(async () => {
  if (!state.list) return;
  await state.list.reloadQuietly(state.openId !== null ? (x) => (x.year !== undefined ? x.year === state.openId : x.id === state.openId) : null);
  if (state.form) return;
  if (state.openKind === 'competition' && state.openId) await openCompetition(state.openId, { more: true });
  else if (state.openKind === 'act' && state.openId) await openAct(state.openId, { more: true });
  else if (state.tab === 'teams') await teams.reopen();
  else if (state.openKind === 'report' && state.openId) await openReport(state.openId);
}, 50);

export const cooperationView = {
  async mount(main, params = {}) {
    state.form = null;
    state.dirty = false;
    state.openId = null;
    state.openKind = null;
    const [current, ref] = await Promise.all([readYears(), referenceData().catch((err) => { reportError(err); return { areas: [] }; })]);
    state.ref = ref;
    state.year = Number(params.year) || current;
    if (params.tab && TABS.some(([tab]) => tab === params.tab)) state.tab = params.tab;
    if (params.offer) state.tab = params.competition ? 'competitions' : 'small';
    state.panes = splitLayout();
    main.replaceChildren(state.panes.root);
    mountList();
    placeholder();
    await readProgramme(state.year);
    await reload();
    if (params.offer) await openOffer(params.offer);
    else if (params.act && state.tab === 'acts') await openAct(Number(params.act));
    else if (params.team && state.tab === 'teams') await teams.openTeam(Number(params.team));
    else if (params.competition) await openCompetition(params.competition);
    else if (state.tab === 'report') await openReport(state.year);
    else if (state.tab === 'programme') await openProgramme(state.year);
  },
  newRecord: () => {
    if (state.tab === 'programme') return newProgramme();
    if (state.tab === 'competitions') return showCompetitionForm(null);
    if (state.tab === 'small') return showOfferForm(null, null);
    if (state.tab === 'acts') return showActForm(null);
    if (state.tab === 'teams') return teams.newRecord();
    return null;
  },
  save,
  cancel,
  hasUnsavedChanges: () => !!(state.form && state.dirty),
  currentParams: () => ({ tab: state.tab, year: state.year, competition: state.openKind === 'competition' ? state.openId : null, act: state.openKind === 'act' ? state.openId : null, team: state.openKind === 'team' ? state.openId : null }),
  live: { kinds: ['cooperation', 'organizations'], reload: () => quietReload() },
};
