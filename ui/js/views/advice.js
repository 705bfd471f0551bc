// Porady: advice records of a citizen-advice bureau. A quick form that works from the keyboard
// alone (remembers the advisor and the usual channel, finds categories by typing), the list with
// the follow-ups due, and a registered client's earlier advice at a glance. Help given in a point
// of free legal aid carries its card (Part A, views/legal_aid_card.js), saved with the record.

import { api } from '../api.js';
import { h, debounce } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate, formatDateTime, todayPl } from '../format.js';
import { field, group, collect, clearErrors, options, showFailure } from '../form.js';
import { showConflict } from '../conflict.js';
import { RecordList } from '../recordlist.js';
import { toast, reportError, confirmDialog, splitLayout, emptyState, attachSuggestions, mayLeave, showPlaceholder } from '../ui.js';
import { CARD_FIELDS, loadSetup, cardValues, cardFieldset, readCard, rememberCard, cardSection, cardPrintButtons } from './legal_aid_card.js';

const CHANNELS = ['in_person', 'phone', 'email', 'online'];
const OUTCOMES = ['advice', 'referred', 'letter', 'other'];
const AGE_BANDS = ['do 18', '18–25', '26–35', '36–45', '46–55', '56–65', '66–75', 'powyżej 75'];
const PREF_ADVISOR = 'kartoteka.advice.advisor';
const PREF_CHANNEL = 'kartoteka.advice.channel';

const state = {
  query: { follow_ups_due: false, category: '', text: '', from: '', to: '', advisor: '' },
  categories: [],
  advisors: [],
  list: null,
  panes: null,
  form: null,
  dirty: false,
  // The advice shown beside the list and its data as read (JSON), for colleagues' changes.
  openId: null,
  shown: null,
  // False for office staff on a server (see mount).
  writes: true,
  // The points of free legal aid and the card's lists (null when they cannot be read).
  setup: null,
};

/** "Fold" for matching typed text to category names: no case, no Polish letters. */
function fold(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ł/g, 'l').replace(/Ł/g, 'L').toLowerCase();
}

function categoryLabel(code) {
  const c = state.categories.find((x) => x.code === code);
  if (!c) return code;
  const parent = c.parent ? state.categories.find((x) => x.code === c.parent) : null;
  return parent ? `${parent.name} › ${c.name}` : c.name;
}

function renderRow(a) {
  const due = a.follow_up_on && !a.follow_up_done;
  return h('div', { class: 'arow', dataset: { id: a.id } },
    h('span', { class: 'cell' }, formatDate(a.given_on)),
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, a.categories || '—'),
      h('span', { class: 'subline' }, a.client, due ? h('span', { class: 'badge warning' }, t('advice_due', { date: formatDate(a.follow_up_on) })) : null)),
    h('span', { class: 'cell' }, a.advisor));
}

async function reload() {
  await state.list.reload();
}

function mountList() {
  const q = state.query;
  const mains = state.categories.filter((c) => !c.parent && c.active);
  // The range is checked by the core (short dates "15.12" completed there); a wrong date is
  // shown at its filter with what was typed kept, and the list waits for a correct one.
  const rangeError = h('p', { class: 'field-error', id: 'filter-range-error', role: 'alert', hidden: true });
  const dateInput = (name) => h('input', {
    type: 'text', id: `filter-${name}`, class: 'date-filter', value: q[name], placeholder: t('hint_date_short'), autocomplete: 'off',
    'aria-label': t(`advice_${name}`), 'aria-describedby': 'filter-range-error', title: t('hint_date'),
    onchange: (e) => { q[name] = e.target.value.trim(); reload(); },
    onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); q[name] = e.target.value.trim(); reload(); } },
  });
  // One filter for the period, "od" and "do" side by side: at A++ the list keeps its height.
  const rangeFilter = h('div', { class: 'filter filter-range' },
    h('label', { for: 'filter-from' }, t('advice_period')),
    h('span', { class: 'date-range' }, dateInput('from'), h('span', { 'aria-hidden': 'true' }, '–'), dateInput('to')));
  const fetchAdvice = async (offset, limit) => {
    const query = { ...q, category: q.category || null, text: q.text || null, from: q.from || null, to: q.to || null, advisor: q.advisor || null, offset, limit };
    try {
      const page = await api.listAdvice(query);
      rangeError.hidden = true;
      for (const n of ['from', 'to']) document.getElementById(`filter-${n}`)?.removeAttribute('aria-invalid');
      return page;
    } catch (err) {
      if (err.field !== 'from' && err.field !== 'to') throw err;
      rangeError.textContent = err.message;
      rangeError.hidden = false;
      document.getElementById(`filter-${err.field}`)?.setAttribute('aria-invalid', 'true');
      return { items: [], total: 0, offset };
    }
  };
  const search = debounce(() => reload(), 250);
  state.list = new RecordList({
    titleKey: 'nav_advice',
    // Office staff on a server read advice without descriptions and clients and write none
    // (the server refuses them): no buttons that could only end in that refusal.
    actions: state.writes ? [h('button', { type: 'button', class: 'primary', id: 'new-advice', onclick: () => newRecord() }, t('advice_new'))] : [],
    above: [
      h('div', { class: 'filters' },
        h('div', { class: 'filter filter-search' },
          h('label', { for: 'filter-text' }, t('advice_search')),
          h('input', { type: 'search', id: 'filter-text', value: q.text, autocomplete: 'off', spellcheck: 'false', placeholder: t('advice_search_hint'),
            oninput: (e) => { q.text = e.target.value.trim(); search(); } })),
        rangeFilter,
        h('div', { class: 'filter' },
          h('label', { for: 'filter-advisor' }, t('f_advisor')),
          h('select', { id: 'filter-advisor', onchange: (e) => { q.advisor = e.target.value; reload(); } },
            [h('option', { value: '' }, t('filter_all')), ...state.advisors.map((a) => h('option', { value: a, selected: q.advisor === a }, a))])),
        h('div', { class: 'filter' },
          h('label', { for: 'filter-category' }, t('advice_category')),
          h('select', { id: 'filter-category', onchange: (e) => { q.category = e.target.value; reload(); } },
            [h('option', { value: '' }, t('filter_all')), ...mains.map((c) => h('option', { value: c.code, selected: q.category === c.code }, c.name))])),
        h('div', { class: 'filter filter-check' },
          h('label', {},
            h('input', { type: 'checkbox', id: 'filter-due', checked: q.follow_ups_due, onchange: (e) => { q.follow_ups_due = e.target.checked; reload(); } }),
            h('span', {}, t('advice_due_only'))))),
      rangeError,
      h('div', { class: 'listhead arow' },
        h('span', { class: 'colhead static' }, t('f_date')),
        h('span', { class: 'colhead static' }, t('advice_col_problem')),
        h('span', { class: 'colhead static' }, t('f_advisor'))),
    ],
    empty: () => (q.follow_ups_due || q.category || q.text || q.from || q.to || q.advisor
      ? emptyState(t('advice_empty_filtered'))
      : emptyState(t('advice_empty'), state.writes ? h('button', { type: 'button', class: 'primary', onclick: () => newRecord() }, t('advice_new')) : null)),
    fetchPage: fetchAdvice,
    renderRow,
    onOpen: (a) => open(a.id),
    rowLabel: (a) => `${formatDate(a.given_on)} ${a.categories} ${a.client}`,
  });
  state.panes.list.replaceChildren(...state.list.pane);
}

const confirmLeaveForm = () => mayLeave(state);
const placeholder = () => showPlaceholder(state.panes.detail, 'advice_pick');

async function readDetail(id) {
  const a = await api.getAdvice(id);
  // Earlier means what the core counts for "returning": an earlier date, or the same day and
  // entered before; later visits are not listed here.
  const before = (x) => x.given_on < a.given_on || (x.given_on === a.given_on && x.id < a.id);
  const earlier = a.person_id ? (await api.listAdvice({ person_id: a.person_id, offset: 0, limit: 50 })).items.filter(before).slice(0, 20) : [];
  return { a, earlier, card: await readCardOf(id) };
}

/** The record's card of free legal aid, or null (also when the points cannot be read). */
async function readCardOf(id) {
  if (!state.setup) return null;
  try {
    return await api.getLegalAidCard(id);
  } catch (err) {
    console.warn('legal aid card', err);
    return null;
  }
}

async function open(id) {
  if (!(await confirmLeaveForm())) return;
  try {
    const { a, earlier, card } = await readDetail(id);
    state.form = null;
    state.dirty = false;
    state.openId = id;
    state.shown = JSON.stringify([a, earlier, card]);
    state.panes.detail.replaceChildren(adviceDetail(a, earlier, card));
    state.list.markSelected((row) => row.id === id);
  } catch (err) {
    reportError(err);
  }
}

/**
 * A colleague's change: the list re-read in place, then the advice shown beside it re-read so
 * what is read (and "Edytuj") is their version. A form being typed into is never replaced.
 */
async function liveReload() {
  const id = state.openId;
  await state.list?.reloadQuietly(id ? (row) => row.id === id : undefined);
  if (!id || state.form) return;
  try {
    const { a, earlier, card } = await readDetail(id);
    const shown = JSON.stringify([a, earlier, card]);
    if (state.openId !== id || state.form || shown === state.shown) return;
    state.shown = shown;
    state.panes.detail.replaceChildren(adviceDetail(a, earlier, card));
  } catch (err) {
    // Deleted by the colleague: nothing left to show.
    if (err?.code === 'not_found' && state.openId === id && !state.form) {
      state.openId = null;
      placeholder();
    } else {
      console.warn('live detail reload failed', err);
    }
  }
}

function returningText(a) {
  if (!a.returning) return t('no');
  return a.earlier_advice ? t('advice_returning_earlier', { n: a.earlier_advice, count: a.earlier_advice }) : t('yes');
}

function adviceDetail(a, earlier, card) {
  const dl = (pairs) => h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
  const due = a.follow_up_on && !a.follow_up_done;
  return h('article', { class: 'record', id: 'advice-record' },
    h('header', { class: 'record-head' },
      h('div', {},
        h('h2', { class: 'record-title' }, a.person_name || a.client_code || (state.writes ? '' : t('advice_client_hidden'))),
        h('p', { class: 'record-sub' }, `${formatDate(a.given_on)} · ${t(`advice_channel_${a.channel}`)} · ${a.advisor}`)),
      state.writes ? h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'edit-record', onclick: () => editCurrent(a.id) }, t('edit')),
        due ? h('button', { type: 'button', id: 'follow-up-done', onclick: () => markDone(a) }, t('advice_mark_done')) : null,
        h('button', { type: 'button', onclick: () => remove(a) }, t('delete')),
        cardPrintButtons(card, a.id)) : null),
    h('section', { class: 'facts-group' }, h('h3', {}, t('advice_problem')),
      h('ul', { class: 'plain' }, a.categories.map((c) => h('li', {}, categoryLabel(c))))),
    h('section', { class: 'facts-group' }, h('h3', {}, t('advice_course')),
      dl([
        ['advice_outcome', t(`advice_outcome_${a.outcome}`)],
        ['f_minutes', a.minutes ? t('advice_minutes_value', { n: a.minutes }) : null],
        ['f_follow_up_on', a.follow_up_on ? `${formatDate(a.follow_up_on)}${a.follow_up_done ? ` (${t('advice_done')})` : ''}` : null],
      ])),
    h('section', { class: 'facts-group' }, h('h3', {}, t('advice_profile')),
      dl([
        ['f_client_code', a.client_code],
        ['f_age_band', a.age_band],
        ['f_sex', a.sex ? t(`advice_sex_${a.sex}`) : null],
        ['f_residence', a.residence],
        // Derived by the core's one rule: the advisor's mark, or earlier advice on record.
        ['f_returning', returningText(a)],
      ])),
    a.description ? h('section', { class: 'facts-group' }, h('h3', {}, t('advice_description')), h('p', { class: 'prewrap' }, a.description)) : null,
    cardSection(card, state.setup, { writes: state.writes, adviceId: a.id, onAdd: () => editCurrent(a.id, { addCard: true }), onRemove: () => removeCard(a) }),
    a.person_id ? h('section', { class: 'facts-group', id: 'earlier-advice' }, h('h3', {}, t('advice_earlier')),
      earlier.length ? h('ul', { class: 'plain' }, earlier.map((e) => h('li', {},
        h('button', { type: 'button', class: 'link', onclick: () => open(e.id) }, formatDate(e.given_on)), ` — ${e.categories}`)))
        : h('p', { class: 'muted' }, t('advice_first_visit'))) : null,
    h('section', { class: 'facts-group' }, h('h3', {}, t('grp_record')),
      dl([['created', formatDateTime(a.created_at)], ['updated', formatDateTime(a.updated_at)]])));
}

async function markDone(a) {
  try {
    await api.saveAdvice(a.id, { ...toInput(a), follow_up_done: true, revision: a.revision });
    toast(t('saved'));
    await state.list.refresh();
    await open(a.id);
  } catch (err) {
    reportError(err);
  }
}

/** "Usuń kartę": the card goes, the advice record stays. */
async function removeCard(a) {
  if (!(await confirmDialog(t('legal_aid_card_remove_confirm', { date: formatDate(a.given_on) }), t('legal_aid_card_remove')))) return;
  try {
    await api.removeLegalAidCard(a.id);
    toast(t('legal_aid_card_removed'));
    await open(a.id);
  } catch (err) {
    reportError(err);
  }
}

async function remove(a) {
  if (!(await confirmDialog(t('advice_delete_confirm', { date: formatDate(a.given_on) }), t('delete')))) return;
  try {
    await api.deleteAdvice(a.id);
    toast(t('advice_deleted'));
    state.openId = null;
    await reload();
    placeholder();
  } catch (err) {
    reportError(err);
  }
}

function toInput(a) {
  return {
    given_on: formatDate(a.given_on),
    advisor: a.advisor,
    person_id: a.person_id,
    client_code: a.client_code || '',
    age_band: a.age_band || '',
    sex: a.sex || '',
    residence: a.residence || '',
    returning: a.returning_marked,
    channel: a.channel,
    minutes: a.minutes ? String(a.minutes) : '',
    categories: a.categories,
    description: a.description || '',
    outcome: a.outcome,
    follow_up_on: a.follow_up_on ? formatDate(a.follow_up_on) : '',
    follow_up_done: a.follow_up_done,
  };
}

/** Categories found by typing: Enter or a click adds the first match as a removable chip. */
function categoryPicker(selected) {
  const chosen = [...selected];
  const chips = h('ul', { class: 'chips', 'aria-live': 'polite' });
  const input = h('input', { type: 'text', id: 'advice-category-input', autocomplete: 'off', 'aria-label': t('advice_category_find'), placeholder: t('advice_category_find') });
  const suggestions = h('ul', { class: 'suggestions', role: 'listbox', hidden: true });
  const hidden = h('div', { hidden: true });
  const sync = () => {
    hidden.replaceChildren(...chosen.map((c) => h('input', { type: 'checkbox', name: 'categories', value: c, checked: true, dataset: { multi: '1' } })));
    chips.replaceChildren(...chosen.map((c) => h('li', { class: 'chip' }, categoryLabel(c),
      h('button', { type: 'button', class: 'chip-x', 'aria-label': t('advice_category_remove', { name: categoryLabel(c) }), onclick: () => { chosen.splice(chosen.indexOf(c), 1); sync(); input.focus(); } }, '×'))));
  };
  let matches = [];
  const add = (code) => {
    if (code && !chosen.includes(code)) chosen.push(code);
    input.value = '';
    suggestions.hidden = true;
    sync();
    input.dispatchEvent(new Event('change', { bubbles: true }));
  };
  const find = () => {
    const text = fold(input.value.trim());
    if (!text) { suggestions.hidden = true; matches = []; return; }
    matches = state.categories.filter((c) => c.active && fold(categoryLabel(c.code)).includes(text)).slice(0, 8);
    suggestions.replaceChildren(...matches.map((c, i) => h('li', {
      role: 'option', 'aria-selected': String(i === 0), onmousedown: (e) => { e.preventDefault(); add(c.code); },
    }, categoryLabel(c.code))));
    suggestions.hidden = matches.length === 0;
  };
  input.addEventListener('input', find);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (matches[0]) add(matches[0].code);
    } else if (e.key === 'Backspace' && !input.value && chosen.length) {
      chosen.pop();
      sync();
    }
  });
  input.addEventListener('blur', () => setTimeout(() => { suggestions.hidden = true; }, 150));
  sync();
  return h('div', { class: 'field wide', dataset: { field: 'categories' } },
    h('label', { for: 'advice-category-input' }, t('advice_categories'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    chips,
    h('div', { class: 'org-pick-wrap' }, input, suggestions),
    hidden,
    h('p', { class: 'field-error', hidden: true }),
    h('p', { class: 'field-hint' }, t('advice_category_hint')));
}

/** A registered client found by typing, or nobody (an anonymous code is used). */
function clientPicker(a) {
  const input = h('input', { type: 'text', id: 'advice-person', value: a?.person_name || '', autocomplete: 'off', placeholder: t('advice_person_find') });
  const hiddenId = h('input', { type: 'hidden', name: 'person_id', value: a?.person_id ? String(a.person_id) : '' });
  const suggestions = attachSuggestions(input, {
    kind: 'person',
    onType: () => { hiddenId.value = ''; },
    onChoose: (hit) => { hiddenId.value = String(hit.id); input.value = hit.name; },
  });
  return h('div', { class: 'field', dataset: { field: 'person_id' } },
    h('label', { for: 'advice-person' }, t('advice_person')),
    h('div', { class: 'org-pick-wrap' }, input, suggestions),
    hiddenId,
    h('p', { class: 'field-error', hidden: true }),
    h('p', { class: 'field-hint' }, t('advice_person_hint')));
}

/**
 * The form for record `a` (null: a new one), showing `values` when given (a re-applied save).
 * `card`: the card's values (its fields shown and the switch on), or null.
 */
function buildForm(a, values = null, card = null) {
  const v = values || (a ? toInput(a) : {
    given_on: todayPl(),
    advisor: localStorage.getItem(PREF_ADVISOR) || '',
    channel: localStorage.getItem(PREF_CHANNEL) || 'in_person',
    outcome: 'advice',
    categories: [],
  });
  const opt = (list, prefix) => list.map((x) => ({ value: x, text: t(`${prefix}${x}`) }));
  const form = h('form', { class: 'record-form', id: 'advice-form', novalidate: true },
    h('h2', {}, a ? t('advice_edit') : t('advice_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('advice_grp_main',
      field({ name: 'given_on', labelKey: 'f_date', value: v.given_on, hintKey: 'hint_date', required: true }),
      field({ name: 'advisor', labelKey: 'f_advisor', value: v.advisor, required: true }),
      field({ name: 'channel', labelKey: 'f_channel_contact', kind: 'select', value: v.channel, options: opt(CHANNELS, 'advice_channel_') }),
      field({ name: 'minutes', labelKey: 'f_minutes', value: v.minutes || '' }),
      categoryPicker(v.categories),
      field({ name: 'outcome', labelKey: 'advice_outcome', kind: 'select', value: v.outcome, options: opt(OUTCOMES, 'advice_outcome_') }),
      field({ name: 'follow_up_on', labelKey: 'f_follow_up_on', value: v.follow_up_on || '', hintKey: 'hint_date' })),
    state.writes ? cardFieldset(state.setup, card, { advisor: v.advisor, isNew: !a }) : null,
    group('advice_grp_client',
      clientPicker(a),
      field({ name: 'client_code', labelKey: 'f_client_code', value: v.client_code || '', hintKey: 'advice_code_hint' }),
      field({ name: 'age_band', labelKey: 'f_age_band', kind: 'select', value: v.age_band || '', options: options(AGE_BANDS.map((b) => ({ value: b, text: b }))) }),
      field({ name: 'sex', labelKey: 'f_sex', kind: 'select', value: v.sex || '', options: [{ value: '', text: t('advice_sex_none') }, { value: 'k', text: t('advice_sex_k') }, { value: 'm', text: t('advice_sex_m') }] }),
      field({ name: 'residence', labelKey: 'f_residence', value: v.residence || '' }),
      field({ name: 'returning', labelKey: 'f_returning', kind: 'checkbox', value: v.returning, hintKey: 'advice_returning_hint' })),
    group('advice_grp_description',
      field({ name: 'description', labelKey: 'advice_description', kind: 'textarea', value: v.description || '', wide: true, hintKey: 'advice_description_hint' })),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-advice' }, t('save'), h('kbd', {}, 'Ctrl+S')),
      h('button', { type: 'button', onclick: () => cancel() }, t('cancel'))));
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('change', () => { state.dirty = true; });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  // Who gave the help (on the card) follows the advisor until it is typed over.
  const box = form.querySelector('#legal-aid-box');
  if (box?.followAdvisor) form.querySelector('input[name=advisor]').addEventListener('input', (e) => box.followAdvisor(e.target.value.trim()));
  return form;
}

async function showForm(a, card = null) {
  if (!(await confirmLeaveForm())) return;
  // revision/original: the record's revision when the form was opened and the form's values
  // then, for a colleague's save in between (see organizations.js). hadCard: the record has a
  // card, which switching the card off would remove.
  state.form = { el: buildForm(a, null, card), id: a?.id ?? null, done: a?.follow_up_done ?? false, revision: a?.revision ?? null, hadCard: !!card?.saved };
  state.form.original = readForm(state.form.el);
  state.dirty = false;
  state.panes.detail.replaceChildren(state.form.el);
  // A new advice starts where typing is needed: the advisor the first time, then the category.
  const advisor = state.form.el.querySelector('input[name=advisor]');
  const first = a ? state.form.el.querySelector('input[name=given_on]') : (advisor.value ? state.form.el.querySelector('#advice-category-input') : advisor);
  first?.focus();
}

/** The saved card's values for the form (marked as saved), or null. */
function formCard(card) {
  return card ? { ...cardValues(card), saved: true } : null;
}

function newRecord() {
  if (state.writes) showForm(null);
}

/**
 * "Edytuj" builds the form on the advice as it is now: a colleague may have saved it since.
 * "Dodaj kartę pomocy" (addCard) opens it with the card switched on.
 */
async function editCurrent(id, { addCard = false } = {}) {
  try {
    const [a, card] = await Promise.all([api.getAdvice(id), readCardOf(id)]);
    await showForm(a, formCard(card));
    if (addCard && !card) switchCardOn();
  } catch (err) {
    reportError(err);
  }
}

/** Turns the card on in the open form and puts the cursor in its first field. */
function switchCardOn() {
  const toggle = state.form?.el.querySelector('#card-toggle');
  if (!toggle || toggle.checked) return;
  toggle.checked = true;
  toggle.dispatchEvent(new Event('change', { bubbles: true }));
  state.dirty = false;
  toggle.scrollIntoView({ block: 'start' });
}

/** A new advice record with the card switched on (from Punkt NPP). */
async function newWithCard() {
  if (!state.writes) return;
  await showForm(null);
  switchCardOn();
  // Where typing starts, as in any new advice: the advisor the first time, then the category.
  const advisor = state.form?.el.querySelector('input[name=advisor]');
  (advisor?.value ? state.form.el.querySelector('#advice-category-input') : advisor)?.focus();
}

async function save() {
  if (!state.form) return;
  const form = state.form.el;
  clearErrors(form);
  const v = readForm(form);
  const input = {
    ...v,
    person_id: v.person_id ? Number(v.person_id) : null,
    categories: v.categories || [],
    follow_up_done: state.form.done,
  };
  if (state.form.id) input.revision = state.form.revision;
  const card = readCard(form);
  // Switching off a saved card removes it: asked first, in the app's dialog.
  const dropCard = !card.on && state.form.hadCard;
  if (dropCard && !(await confirmDialog(t('legal_aid_card_off_confirm'), t('legal_aid_card_remove')))) return;
  try {
    const id = card.on
      ? await api.saveLegalAidHelp(state.form.id, input, card.input)
      : await api.saveAdvice(state.form.id, input);
    if (dropCard) await api.removeLegalAidCard(id);
    // A new record's card (on or off, and its choices) is where the next new one starts.
    if (!state.form.id && form.querySelector('#card-toggle')) rememberCard(card);
    localStorage.setItem(PREF_ADVISOR, v.advisor.trim());
    localStorage.setItem(PREF_CHANNEL, v.channel);
    state.dirty = false;
    state.form = null;
    toast(t('saved'));
    await reload();
    await open(id);
  } catch (err) {
    if (err.code === 'conflict' && state.form?.id) await conflict(form, err);
    else showFailure(form, err);
  }
}

/** The advice record's values (the card's fields are read apart, by readCard). */
function readForm(form) {
  const v = collect(form);
  for (const name of CARD_FIELDS) delete v[name];
  v.categories ||= [];
  return v;
}

/** A colleague saved this advice record since the form was opened: what was typed stays. */
async function conflict(form, err) {
  try {
    const theirs = await api.getAdvice(state.form.id);
    const values = readForm(buildForm(theirs));
    showConflict(form, err.message, {
      original: state.form.original,
      theirs: { values, revision: theirs.revision },
      read: readForm,
      onReapply: (merged, revision) => {
        // Rebuilt (chips and the client picker are more than named inputs), then saved; the
        // card as it was typed goes along.
        const person_name = merged.person_id === values.person_id
          ? theirs.person_name : form.querySelector('#advice-person')?.value;
        const typedCard = readCard(form);
        const hadCard = state.form.hadCard;
        const el = buildForm({ ...theirs, person_id: merged.person_id ? Number(merged.person_id) : null, person_name }, merged,
          typedCard.on ? { ...typedCard.values, saved: hadCard } : null);
        state.form = { el, id: theirs.id, done: theirs.follow_up_done, revision, original: values, hadCard };
        state.panes.detail.replaceChildren(el);
        save();
      },
      onDiscard: async () => {
        state.dirty = false;
        await showForm(theirs, formCard(await readCardOf(theirs.id)));
        toast(t('conflict_discarded'));
      },
    });
  } catch (e) {
    showFailure(form, e);
  }
}

async function cancel() {
  if (!state.form || !(await confirmLeaveForm())) return;
  state.form = null;
  state.dirty = false;
  state.openId = null;
  placeholder();
}

export const adviceView = {
  async mount(main, params = {}) {
    state.categories = await api.adviceCategories();
    state.advisors = await api.adviceAdvisors();
    state.writes = (await api.currentLogin()).reads_advice_clients;
    // Read again on each visit: points and lists may have changed in Ustawienia.
    state.setup = await loadSetup();
    // From Dziś: the follow-ups due; from search or a person's page: one record.
    if (params.due) state.query.follow_ups_due = true;
    // A form left through the window's "Porzuć zmiany" does not come back when the view does.
    state.form = null;
    state.dirty = false;
    state.openId = null;
    state.panes = splitLayout();
    main.replaceChildren(state.panes.root);
    mountList();
    placeholder();
    await reload();
    if (params.open) await open(params.open);
    else if (params.newCard) await newWithCard();
  },
  newRecord,
  save,
  cancel,
  hasUnsavedChanges: () => !!(state.form && state.dirty),
  live: { kinds: ['advice', 'people', 'legal_aid'], reload: liveReload },
};
