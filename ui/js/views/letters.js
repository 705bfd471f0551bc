// Korespondencja: mail kept for organisations that use the centre's address. Three tabs: "Do
// odbioru" (what waits, longest first; several items of one organisation can be ticked and
// handed over at once), "Dziennik" (every item, newest first, by month and organisation) and
// "Umowy adresowe" (who may use the address, until when, where notices go). An item opens beside
// the list with its facts and actions: tell the organisation (one e-mail naming every waiting
// item, through the mail queue), record the pickup, print the pickup receipt, edit, delete.

import { api, ApiError } from '../api.js';
import { h, debounce } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount, formatDate, formatDateTime, todayPl } from '../format.js';
import { field, group, collect, clearErrors, options, showFailure } from '../form.js';
import { RecordList } from '../recordlist.js';
import { offerSaved } from '../saved.js';
import { modal, alertBox } from '../dialog.js';
import { toast, reportError, confirmDialog, splitLayout, emptyState, attachSuggestions, mayLeave, showPlaceholder } from '../ui.js';

const TABS = [['waiting', 'letters_tab_waiting'], ['log', 'letters_tab_log'], ['agreements', 'letters_tab_agreements']];
const KINDS = [['list', 'letters_kind_list'], ['polecony', 'letters_kind_polecony'], ['paczka', 'letters_kind_paczka'], ['awizo', 'letters_kind_awizo']];
const NOTIFY_BY = [['email', 'letters_notify_by_email'], ['phone', 'letters_notify_by_phone'], ['none', 'letters_notify_by_none']];

const state = {
  tab: 'waiting', list: null, panes: null, form: null, dirty: false,
  // What is open beside the list: a letter or an agreement.
  openId: null, openKind: null, shown: null,
  // Dziennik's filters.
  q: { month: '', organization_id: null, organization_name: '' },
  // "Do odbioru": items of one organisation ticked for one pickup.
  chosen: { organizationId: null, organizationName: '', ids: new Set() },
  choiceBar: null,
  agreements: [],
};

const kindText = (code) => t((KINDS.find(([c]) => c === code) || KINDS[0])[1]);
const notifyByText = (code) => t((NOTIFY_BY.find(([c]) => c === code) || NOTIFY_BY[0])[1]);
const daysText = (n) => (n > 0 ? t('letters_days_n', { n: formatCount(n), count: n }) : t('letters_since_today'));
const todayIso = () => {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
const agreementEnded = (a) => !!a.valid_until && a.valid_until < todayIso();
const agreementCurrent = (a) => a.valid_from <= todayIso() && !agreementEnded(a);

/** The marks of an item: outside the address agreement (a warning), notified; short in a list row. */
function badges(l, short = false) {
  return [
    l.outside_agreement ? h('span', { class: 'badge error letters-outside', title: t('letters_outside') }, t(short ? 'letters_outside_short' : 'letters_outside')) : null,
    l.notified_at && !l.picked_up_on ? h('span', { class: 'badge letters-notified' }, t('letters_notified')) : null,
  ];
}

function what(l) {
  const count = l.item_count > 1 ? ` ×${l.item_count}` : '';
  return `${kindText(l.kind)}${count} · ${l.sender}`;
}

// ----- the lists ----------------------------------------------------------------------------

function waitingRow(l) {
  const box = h('input', {
    type: 'checkbox', class: 'letters-pick', checked: state.chosen.ids.has(l.id),
    'aria-label': t('letters_choose_one', { what: `${l.organization_name}, ${what(l)}` }),
    onclick: (e) => e.stopPropagation(),
    onchange: (e) => choose(l, e.target.checked),
  });
  return h('div', { class: 'lrow waiting', dataset: { id: l.id } },
    h('label', { class: 'cell pick', onclick: (e) => e.stopPropagation() }, box),
    nameCell(l),
    h('span', { class: 'cell state' },
      h('span', { class: `days${l.days_waiting >= 14 ? ' long' : ''}` }, daysText(l.days_waiting)),
      h('span', { class: 'when' }, t('letters_since_date', { date: formatDate(l.received_on) }))));
}

function nameCell(l) {
  return h('span', { class: 'cell name' },
    h('span', { class: 'primary-text' }, l.organization_name),
    h('span', { class: 'subline' }, badges(l, true), h('span', { class: 'what', title: what(l) }, what(l))));
}

/** "odebrano 24.11" — the year only when it differs from the day the item came. */
function pickedText(l) {
  const date = formatDate(l.picked_up_on);
  return t('letters_picked_on', { date: l.picked_up_on.slice(0, 4) === l.received_on.slice(0, 4) ? date.slice(0, 5) : date });
}

function logRow(l) {
  return h('div', { class: 'lrow log', dataset: { id: l.id } },
    nameCell(l),
    h('span', { class: 'cell state' },
      h('span', { class: 'date' }, formatDate(l.received_on)),
      l.picked_up_on
        ? h('span', { class: 'when', title: t('letters_picked_on', { date: formatDate(l.picked_up_on) }) }, pickedText(l))
        : h('span', { class: 'waits' }, `${t('letters_waiting_badge')}: ${daysText(l.days_waiting)}`)));
}

function agreementState(a) {
  if (agreementEnded(a)) return h('span', { class: 'badge muted' }, t('letters_ended'));
  if (!agreementCurrent(a)) return h('span', { class: 'badge warning' }, t('letters_not_yet'));
  return h('span', { class: 'badge member' }, t('letters_current'));
}

function agreementRow(a) {
  return h('div', { class: `lrow agreement${agreementEnded(a) ? ' ended' : ''}`, dataset: { id: a.id } },
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, a.organization_name),
      h('span', { class: 'subline' }, h('span', { class: 'what' }, `${formatDate(a.valid_from)} – ${a.valid_until ? formatDate(a.valid_until) : t('letters_open_ended')}`))),
    h('span', { class: 'cell state' }, agreementState(a),
      a.waiting ? h('span', { class: 'waits' }, t('letters_waiting_count', { n: a.waiting })) : null));
}

function tabsBar() {
  return h('div', { class: 'letters-tabs' },
    h('div', { class: 'seg', role: 'group', 'aria-label': t('letters_tabs') }, TABS.map(([tab, key]) => h('button', {
      type: 'button', id: `letters-tab-${tab}`, dataset: { tab }, 'aria-pressed': String(state.tab === tab),
      onclick: () => switchTab(tab),
    }, t(key)))));
}

function newButton() {
  return state.tab === 'agreements'
    ? h('button', { type: 'button', class: 'primary', id: 'new-agreement', onclick: () => showAgreementForm(null) }, t('letters_agreement_new'))
    : h('button', { type: 'button', class: 'primary', id: 'new-letter', onclick: () => showLetterForm(null) }, t('letters_new'));
}

/** Dziennik's filters: a month and an organisation found by typing. */
function logFilters() {
  const error = h('p', { class: 'field-error', id: 'letters-filter-error', hidden: true });
  const month = h('input', {
    type: 'month', id: 'letters-month', value: state.q.month, placeholder: t('letters_month_hint'), autocomplete: 'off',
    onchange: (e) => { state.q.month = e.target.value.trim(); reload(); },
  });
  const org = h('input', { type: 'text', id: 'letters-org', value: state.q.organization_name, autocomplete: 'off', placeholder: t('letters_find') });
  const suggestions = attachSuggestions(org, {
    kind: 'organization',
    onType: () => {
      if (!org.value.trim() && state.q.organization_id) { state.q.organization_id = null; state.q.organization_name = ''; reload(); }
    },
    onChoose: (hit) => { org.value = hit.name; state.q.organization_id = hit.id; state.q.organization_name = hit.name; reload(); },
  });
  const clear = h('button', {
    type: 'button', class: 'small', id: 'letters-filter-clear',
    onclick: () => { state.q = { month: '', organization_id: null, organization_name: '' }; month.value = ''; org.value = ''; reload(); },
  }, t('letters_filter_clear'));
  return [h('div', { class: 'filters letters-filters' },
    h('div', { class: 'filter' }, h('label', { for: 'letters-month' }, t('letters_month')), month),
    h('div', { class: 'filter filter-org' }, h('label', { for: 'letters-org' }, t('letters_org_filter')), h('div', { class: 'org-pick-wrap' }, org, suggestions)),
    h('div', { class: 'filter filter-clear' }, clear)), error];
}

function mountList() {
  state.choiceBar = h('div', { class: 'letters-choice', id: 'letters-choice', role: 'status', hidden: true });
  let above;
  let fetchPage;
  let renderRow;
  let empty;
  if (state.tab === 'waiting') {
    above = [tabsBar(), state.choiceBar,
      h('div', { class: 'listhead lrow waiting' },
        h('span', { class: 'colhead static' }),
        h('span', { class: 'colhead static' }, t('letters_col_item')),
        h('span', { class: 'colhead static' }, t('letters_col_waiting')))];
    fetchPage = (offset, limit) => api.listLetters({ waiting_only: true, offset, limit });
    renderRow = waitingRow;
    empty = () => emptyState(t('letters_empty_waiting'), h('button', { type: 'button', class: 'primary', onclick: () => showLetterForm(null) }, t('letters_new')));
  } else if (state.tab === 'log') {
    const [filters, error] = logFilters();
    above = [tabsBar(), filters, error,
      h('div', { class: 'listhead lrow log' },
        h('span', { class: 'colhead static' }, t('letters_col_item')),
        h('span', { class: 'colhead static' }, t('letters_col_received')))];
    fetchPage = async (offset, limit) => {
      const query = { waiting_only: false, offset, limit };
      if (state.q.month) query.month = state.q.month;
      if (state.q.organization_id) query.organization_id = state.q.organization_id;
      try {
        const page = await api.listLetters(query);
        error.hidden = true;
        return page;
      } catch (err) {
        // A month typed wrongly (where the window shows a plain text box): said under the filter.
        if (err instanceof ApiError && err.code === 'invalid') {
          error.textContent = err.fields.map((f) => f.message).join(' ') || err.message;
          error.hidden = false;
          return { items: [], total: 0, offset };
        }
        throw err;
      }
    };
    renderRow = logRow;
    empty = () => (state.q.month || state.q.organization_id
      ? emptyState(t('letters_empty_filtered'))
      : emptyState(t('letters_empty_log'), h('button', { type: 'button', class: 'primary', onclick: () => showLetterForm(null) }, t('letters_new'))));
  } else {
    above = [tabsBar(),
      h('div', { class: 'listhead lrow agreement' },
        h('span', { class: 'colhead static' }, t('letters_col_agreement')),
        h('span', { class: 'colhead static' }, t('letters_col_state')))];
    // Every agreement is read at once (an office keeps dozens); the list pages through them.
    fetchPage = async (offset, limit) => {
      if (offset === 0) state.agreements = await api.listAgreements(null);
      return { items: state.agreements.slice(offset, offset + limit), total: state.agreements.length, offset };
    };
    renderRow = agreementRow;
    empty = () => emptyState(t('letters_agreements_empty'), h('button', { type: 'button', class: 'primary', onclick: () => showAgreementForm(null) }, t('letters_agreement_new')));
  }
  state.list = new RecordList({
    titleKey: 'nav_letters',
    actions: [newButton()],
    above,
    empty,
    rowHeight: 56,
    fetchPage,
    renderRow,
    onOpen: (x) => (state.tab === 'agreements' ? openAgreement(x.id) : openLetter(x.id)),
  });
  state.panes.list.replaceChildren(...state.list.pane);
  showChoice();
}

async function reload() {
  await state.list.reload();
  markOpen();
}

function markOpen() {
  const kind = state.tab === 'agreements' ? 'agreement' : 'letter';
  if (state.openId && state.openKind === kind) state.list.markSelected((x) => x.id === state.openId);
}

const confirmLeaveForm = () => mayLeave(state);

function placeholder() {
  state.openId = null;
  state.openKind = null;
  showPlaceholder(state.panes.detail, state.tab === 'agreements' ? 'letters_agreement_pick' : 'letters_pick');
}

async function switchTab(tab) {
  if (tab === state.tab) return;
  if (!(await confirmLeaveForm())) return;
  state.form = null;
  state.dirty = false;
  state.tab = tab;
  clearChoice();
  mountList();
  placeholder();
  await reload();
  state.panes.list.querySelector(`#letters-tab-${tab}`)?.focus();
}

// ----- several items of one organisation, ticked for one pickup --------------------------

function choose(l, on) {
  const c = state.chosen;
  // The ticked box shows its own state; the list is drawn again only to untick another's items.
  let redraw = false;
  if (on && c.organizationId && c.organizationId !== l.organization_id) {
    c.ids.clear();
    redraw = true;
    toast(t('letters_choice_other_org'));
  }
  if (on) {
    c.organizationId = l.organization_id;
    c.organizationName = l.organization_name;
    c.ids.add(l.id);
  } else {
    c.ids.delete(l.id);
    if (!c.ids.size) c.organizationId = null;
  }
  if (redraw) state.list.render();
  showChoice();
}

function clearChoice() {
  state.chosen = { organizationId: null, organizationName: '', ids: new Set() };
}

function showChoice() {
  const c = state.chosen;
  const bar = state.choiceBar;
  if (!bar) return;
  bar.hidden = c.ids.size === 0;
  if (!c.ids.size) { bar.replaceChildren(); return; }
  const ids = [...c.ids];
  bar.replaceChildren(
    h('span', { class: 'choice-text' }, t('letters_chosen', { org: c.organizationName, n: ids.length, count: ids.length })),
    h('span', { class: 'actions' },
      h('button', { type: 'button', class: 'small primary', id: 'letters-pickup-chosen', onclick: () => pickUp(ids, c.organizationName) }, t('letters_pickup_chosen')),
      h('button', { type: 'button', class: 'small', id: 'letters-clear-choice', onclick: () => { clearChoice(); state.list.render(); showChoice(); } }, t('letters_clear_choice'))));
}

// ----- a letter beside the list -----------------------------------------------------------

function facts(pairs) {
  const rows = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '');
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
}

/** The organisation's address agreement (the one in force, else the latest), read after the item shows. */
function agreementBox(organizationId) {
  const body = h('div', {}, h('p', { class: 'muted' }, '…'));
  api.listAgreements(organizationId).then((list) => {
    const a = list.find(agreementCurrent) || list[0];
    if (!a) { body.replaceChildren(h('p', { class: 'muted' }, t('letters_org_no_agreement'))); return; }
    body.replaceChildren(
      facts([
        ['letters_f_period', h('span', {}, `${formatDate(a.valid_from)} – ${a.valid_until ? formatDate(a.valid_until) : t('letters_open_ended')} `, agreementState(a))],
        ['letters_f_contact', a.contact_person_name],
        ['letters_f_contact_email', a.contact_email],
        ['letters_f_notify_by', notifyByText(a.notify_by)],
      ]),
      ...[a.notify_by === 'phone' ? h('p', { class: 'notice' }, t('letters_notify_phone')) : null,
        a.notify_by === 'none' ? h('p', { class: 'notice' }, t('letters_notify_none')) : null].filter(Boolean));
  }).catch(reportError);
  return h('section', { class: 'facts-group', id: 'letter-agreement' }, h('h3', {}, t('letters_agreement')), body);
}

function letterRecord(l, note) {
  const waiting = !l.picked_up_on;
  return h('article', { class: 'record', id: 'letter-record', dataset: { id: l.id } },
    h('header', { class: 'record-head' },
      h('div', {},
        h('h2', { class: 'record-title' }, l.organization_name),
        h('p', { class: 'record-sub' }, `${kindText(l.kind)} · ${formatDate(l.received_on)} · ${l.sender}`),
        h('p', { class: 'letter-badges' },
          waiting ? h('span', { class: 'badge warning' }, `${t('letters_waiting_badge')}: ${daysText(l.days_waiting)}`)
            : h('span', { class: 'badge member' }, t('letters_picked_on', { date: formatDate(l.picked_up_on) })),
          ' ', badges(l))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'edit-record', onclick: () => showLetterForm(l) }, t('edit')),
        h('button', { type: 'button', class: 'danger', id: 'letter-delete', onclick: () => deleteLetter(l) }, t('delete')))),
    note,
    l.outside_agreement ? h('p', { class: 'notice letters-warning', id: 'letter-outside', role: 'note' }, t('letters_outside_long')) : null,
    waiting ? h('div', { class: 'actions letter-actions' },
      h('button', { type: 'button', class: 'primary', id: 'letter-notify', onclick: () => notify(l) }, t('letters_notify')),
      h('button', { type: 'button', id: 'letter-pickup', onclick: () => pickUp([l.id], l.organization_name) }, t('letters_pickup')),
      h('button', { type: 'button', id: 'letter-pdf', title: t('letters_pdf_hint'), onclick: () => pickupSheet(l.organization_id) }, t('letters_pdf'))) : null,
    facts([
      ['letters_f_received_on', formatDate(l.received_on)],
      ['letters_f_sender', l.sender],
      ['letters_f_addressee', h('button', { type: 'button', class: 'link', id: 'letter-org', onclick: () => import('../app.js').then((a) => a.go('organizations', { open: l.organization_id })) }, l.organization_name)],
      ['letters_f_kind', kindText(l.kind)],
      ['letters_f_tracking', l.tracking_number],
      ['letters_f_count', String(l.item_count)],
      ['letters_f_waiting', waiting ? daysText(l.days_waiting) : null],
      ['letters_f_notified', l.notified_at ? t('letters_notified_value', { at: formatDateTime(l.notified_at), to: l.notified_to || '—' }) : null],
      ['letters_f_picked_on', formatDate(l.picked_up_on)],
      ['letters_f_picked_by', l.picked_up_by],
      ['letters_f_entered_by', l.entered_by],
    ]),
    l.notes ? h('section', { class: 'facts-group' }, h('h3', {}, t('f_notes')), h('p', { class: 'prewrap' }, l.notes)) : null,
    agreementBox(l.organization_id));
}

async function openLetter(id, { note = null, keepForm = false } = {}) {
  if (!keepForm && !(await confirmLeaveForm())) return;
  try {
    const l = await api.getLetter(id);
    state.form = null;
    state.dirty = false;
    state.openId = id;
    state.openKind = 'letter';
    state.shown = JSON.stringify(l);
    state.panes.detail.replaceChildren(letterRecord(l, note));
    state.panes.detail.scrollTop = 0;
    markOpen();
  } catch (err) {
    reportError(err);
  }
}

async function deleteLetter(l) {
  if (!(await confirmDialog(t('letters_delete_confirm', { date: formatDate(l.received_on), sender: l.sender }), t('delete')))) return;
  try {
    await api.deleteLetter(l.id);
    state.chosen.ids.delete(l.id);
    toast(t('letters_deleted'));
    await reload();
    showChoice();
    placeholder();
  } catch (err) {
    reportError(err);
  }
}

/**
 * "Powiadom": the core queues one e-mail naming every waiting item of the organisation; it is
 * sent at once when the mail settings allow. When sending fails (no server set, the server
 * away) the message stays in the mail queue and nothing is lost: said so, not as an error.
 */
async function notify(l) {
  const button = state.panes.detail.querySelector('#letter-notify');
  if (button) button.disabled = true;
  let told;
  try {
    told = await api.notifyLetters(l.organization_id);
  } catch (err) {
    if (button) button.disabled = false;
    if (err instanceof ApiError && err.code === 'invalid') {
      await alertBox(err.fields.map((f) => f.message).join(' ') || err.message, { title: t('letters_notify_title') });
    } else {
      reportError(err);
    }
    return;
  }
  let reason = null;
  try {
    const summary = await api.resumeSending(told.message_id, () => {});
    if (!(summary.sent > 0)) reason = t('letters_notify_not_taken');
  } catch (err) {
    reason = err.message || String(err);
  }
  const params = { address: told.address, n: told.items, count: told.items };
  let note = null;
  if (reason === null) {
    toast(t('letters_notify_sent', params));
  } else {
    const text = t('letters_notify_queued', params);
    toast(text);
    note = h('div', { class: 'notice', id: 'letter-notice', role: 'status' },
      h('p', { class: 'notice-title' }, text),
      h('p', {}, t('letters_notify_queued_why', { reason: /[.!?]$/.test(reason) ? reason : `${reason}.` })),
      h('button', { type: 'button', class: 'small', id: 'letter-to-mail', onclick: () => import('../app.js').then((a) => a.go('mail')) }, t('nav_mail')));
  }
  await reload();
  await openLetter(l.id, { note });
}

/** Asks who took the items (and when) in the app's dialog; the core's refusals show at the fields. */
async function pickUp(ids, organizationName) {
  const done = await modal((close) => {
    const by = h('input', { type: 'text', id: 'pickup-by', name: 'picked_up_by', autocomplete: 'off', 'aria-required': 'true', 'aria-describedby': 'pickup-by-error' });
    const on = h('input', { type: 'text', id: 'pickup-on', name: 'picked_up_on', value: todayPl(), autocomplete: 'off', 'aria-describedby': 'pickup-on-hint pickup-on-error' });
    const byError = h('p', { class: 'field-error', id: 'pickup-by-error', hidden: true });
    const onError = h('p', { class: 'field-error', id: 'pickup-on-error', hidden: true });
    const ok = h('button', { type: 'submit', class: 'primary', id: 'pickup-ok' }, t('letters_pickup_ok'));
    const form = h('form', {
      class: 'dialog-body', id: 'pickup-dialog', novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        for (const [input, error] of [[by, byError], [on, onError]]) { error.hidden = true; input.removeAttribute('aria-invalid'); }
        ok.disabled = true;
        try {
          close(await api.pickUpLetters(ids, on.value.trim(), by.value));
        } catch (err) {
          if (err instanceof ApiError && err.code === 'invalid') {
            let first = null;
            for (const f of err.fields) {
              const [input, error] = f.field === 'picked_up_on' ? [on, onError] : [by, byError];
              error.textContent = f.message;
              error.hidden = false;
              input.setAttribute('aria-invalid', 'true');
              first ||= input;
            }
            (first || by).focus();
          } else {
            close(undefined);
            reportError(err);
          }
        } finally {
          ok.disabled = false;
        }
      },
    },
    h('h2', {}, t('letters_pickup_title')),
    h('p', { class: 'dialog-message' }, t('letters_pickup_text', { org: organizationName, n: ids.length, count: ids.length })),
    h('div', { class: 'field' }, h('label', { for: 'pickup-by' }, t('letters_pickup_by'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), by, byError),
    h('div', { class: 'field' }, h('label', { for: 'pickup-on' }, t('letters_pickup_on')), on, onError, h('p', { class: 'field-hint', id: 'pickup-on-hint' }, t('hint_date'))),
    h('div', { class: 'actions' }, ok, h('button', { type: 'button', onclick: () => close(undefined) }, t('cancel'))));
    return form;
  }, { focus: '#pickup-by' });
  if (done === undefined) return;
  toast(t('letters_picked_n', { n: done }));
  for (const id of ids) state.chosen.ids.delete(id);
  if (!state.chosen.ids.size) clearChoice();
  await reload();
  showChoice();
  if (state.openKind === 'letter' && state.openId && ids.includes(state.openId)) await openLetter(state.openId);
}

async function pickupSheet(organizationId) {
  try {
    const path = await api.pickupSheetPdf(organizationId);
    if (path) { toast(t('letters_pdf_saved', { path })); offerSaved(path); }
  } catch (err) {
    reportError(err);
  }
}

// ----- the letter's form -------------------------------------------------------------------

/** A register record found by typing: organisations or people, depending on `kind`. */
function picker({ name, labelKey, kind, id, text, required }) {
  const input = h('input', { type: 'text', id: `pick-${name}`, value: text || '', autocomplete: 'off', placeholder: t('letters_find') });
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

function formActions(saveId) {
  return h('div', { class: 'actions sticky' },
    h('button', { type: 'submit', class: 'primary', id: saveId }, t('save'), h('kbd', {}, 'Ctrl+S')),
    h('button', { type: 'button', onclick: () => cancel() }, t('cancel')));
}

function mountForm(form, kind, id) {
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('change', () => { state.dirty = true; });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  state.form = { el: form, kind, id };
  state.dirty = false;
  state.panes.detail.replaceChildren(form);
  state.panes.detail.scrollTop = 0;
}

async function showLetterForm(l) {
  if (!(await confirmLeaveForm())) return;
  // A new item from the Dziennik filtered by an organisation is for that organisation.
  const org = l ? { id: l.organization_id, name: l.organization_name }
    : (state.tab === 'log' && state.q.organization_id ? { id: state.q.organization_id, name: state.q.organization_name } : null);
  const form = h('form', { class: 'record-form', id: 'letter-form', novalidate: true },
    h('h2', {}, l ? t('letters_edit') : t('letters_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('letters_grp',
      field({ name: 'received_on', labelKey: 'letters_f_received_on', value: l ? formatDate(l.received_on) : todayPl(), hintKey: 'hint_date', required: true }),
      picker({ name: 'organization_id', labelKey: 'letters_f_addressee', kind: 'organization', id: org?.id, text: org?.name, required: true }),
      field({ name: 'sender', labelKey: 'letters_f_sender', value: l?.sender || '', hintKey: 'letters_sender_hint', required: true, wide: true }),
      field({ name: 'kind', labelKey: 'letters_f_kind', kind: 'select', value: l?.kind || 'list', options: options(KINDS.map(([value, key]) => ({ value, text: t(key) })), false) }),
      field({ name: 'tracking_number', labelKey: 'letters_f_tracking', value: l?.tracking_number || '' }),
      field({ name: 'item_count', labelKey: 'letters_f_count', value: l ? String(l.item_count) : '', hintKey: 'letters_count_hint' }),
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: l?.notes || '', wide: true })),
    formActions('save-letter'));
  mountForm(form, 'letter', l?.id ?? null);
  (org ? form.querySelector('input[name=sender]') : form.querySelector('#pick-organization_id')).focus();
}

// ----- address agreements ------------------------------------------------------------------

async function openAgreement(id) {
  if (!(await confirmLeaveForm())) return;
  try {
    const a = (await api.listAgreements(null)).find((x) => x.id === id);
    if (!a) { placeholder(); return; }
    state.form = null;
    state.dirty = false;
    state.openId = id;
    state.openKind = 'agreement';
    state.panes.detail.replaceChildren(h('article', { class: 'record', id: 'agreement-record', dataset: { id: a.id } },
      h('header', { class: 'record-head' },
        h('div', {},
          h('h2', { class: 'record-title' }, a.organization_name),
          h('p', { class: 'record-sub' }, t('letters_agreement'), ' ', agreementState(a))),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: 'edit-record', onclick: () => showAgreementForm(a) }, t('edit')),
          h('button', { type: 'button', class: 'danger', id: 'agreement-delete', onclick: () => deleteAgreement(a) }, t('delete')))),
      facts([
        ['letters_f_valid_from', formatDate(a.valid_from)],
        ['letters_f_valid_until', a.valid_until ? formatDate(a.valid_until) : t('letters_open_ended')],
        ['letters_f_contact', a.contact_person_name],
        ['letters_f_contact_email', a.contact_email],
        ['letters_f_notify_by', notifyByText(a.notify_by)],
        ['letters_tab_waiting', a.waiting ? String(a.waiting) : null],
      ]),
      a.notes ? h('section', { class: 'facts-group' }, h('h3', {}, t('f_notes')), h('p', { class: 'prewrap' }, a.notes)) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'agreement-letters', onclick: () => showLogOf(a.organization_id, a.organization_name) }, t('letters_show_log')))));
    state.panes.detail.scrollTop = 0;
    markOpen();
  } catch (err) {
    reportError(err);
  }
}

async function showLogOf(organizationId, organizationName) {
  state.q = { month: '', organization_id: organizationId, organization_name: organizationName };
  await switchTab('log');
}

async function deleteAgreement(a) {
  if (!(await confirmDialog(t('letters_agreement_delete_confirm', { org: a.organization_name }), t('delete')))) return;
  try {
    await api.deleteAgreement(a.id);
    toast(t('letters_agreement_deleted'));
    await reload();
    placeholder();
  } catch (err) {
    reportError(err);
  }
}

async function showAgreementForm(a) {
  if (!(await confirmLeaveForm())) return;
  const form = h('form', { class: 'record-form', id: 'agreement-form', novalidate: true },
    h('h2', {}, a ? t('letters_agreement_edit') : t('letters_agreement_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('letters_agreement',
      picker({ name: 'organization_id', labelKey: 'f_organization', kind: 'organization', id: a?.organization_id, text: a?.organization_name, required: true }),
      field({ name: 'valid_from', labelKey: 'letters_f_valid_from', value: a ? formatDate(a.valid_from) : todayPl(), hintKey: 'hint_date', required: true }),
      field({ name: 'valid_until', labelKey: 'letters_f_valid_until', value: a?.valid_until ? formatDate(a.valid_until) : '', hintKey: 'letters_until_hint' }),
      picker({ name: 'contact_person_id', labelKey: 'letters_f_contact', kind: 'person', id: a?.contact_person_id, text: a?.contact_person_name }),
      field({ name: 'contact_email', labelKey: 'letters_f_contact_email', value: a?.contact_email || '', hintKey: 'letters_contact_email_hint' }),
      field({ name: 'notify_by', labelKey: 'letters_f_notify_by', kind: 'select', value: a?.notify_by || 'email', options: options(NOTIFY_BY.map(([value, key]) => ({ value, text: t(key) })), false) }),
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: a?.notes || '', wide: true })),
    formActions('save-agreement'));
  mountForm(form, 'agreement', a?.id ?? null);
  form.querySelector('#pick-organization_id').focus();
}

// ----- saving --------------------------------------------------------------------------------

const idOrNull = (v) => (v ? Number(v) : null);

async function save() {
  const f = state.form;
  if (!f) return;
  const form = f.el;
  clearErrors(form);
  const v = collect(form);
  try {
    if (f.kind === 'letter') {
      const input = {
        received_on: v.received_on, sender: v.sender, organization_id: idOrNull(v.organization_id), kind: v.kind,
        tracking_number: v.tracking_number, item_count: v.item_count, notes: v.notes,
      };
      const id = await api.saveLetter(f.id, input);
      state.form = null;
      state.dirty = false;
      toast(t('saved'));
      await reload();
      await openLetter(id);
    } else {
      const input = {
        organization_id: idOrNull(v.organization_id), valid_from: v.valid_from, valid_until: v.valid_until,
        contact_person_id: idOrNull(v.contact_person_id), contact_email: v.contact_email, notify_by: v.notify_by, notes: v.notes,
      };
      const id = await api.saveAgreement(f.id, input);
      state.form = null;
      state.dirty = false;
      toast(t('saved'));
      await reload();
      await openAgreement(id);
    }
  } catch (err) {
    showFailure(form, err);
  }
}

async function cancel() {
  if (!state.form || !(await confirmLeaveForm())) return;
  const back = state.form.id;
  const kind = state.form.kind;
  state.form = null;
  state.dirty = false;
  if (back && kind === 'letter') await openLetter(back);
  else if (back) await openAgreement(back);
  else placeholder();
}

/** Colleagues' changes: the list re-read in place; an open item re-read unless a form is open. */
const quietReload = debounce(async () => {
  if (!state.list) return;
  const kind = state.tab === 'agreements' ? 'agreement' : 'letter';
  await state.list.reloadQuietly(state.openId && state.openKind === kind ? (x) => x.id === state.openId : null);
  if (!state.form && state.openKind === 'letter' && state.openId && !state.panes.detail.querySelector('#letter-notice')) {
    try {
      const l = await api.getLetter(state.openId);
      const json = JSON.stringify(l);
      if (state.form || state.openId !== l.id || state.openKind !== 'letter' || json === state.shown) return;
      state.shown = json;
      state.panes.detail.replaceChildren(letterRecord(l, null));
    } catch {
      // Deleted by a colleague: the list no longer shows it either.
    }
  }
}, 50);

export const lettersView = {
  async mount(main, params = {}) {
    // A form left through the window's "Porzuć zmiany" does not come back when the view does.
    state.form = null;
    state.dirty = false;
    state.openId = null;
    state.openKind = null;
    clearChoice();
    if (params.tab && TABS.some(([tab]) => tab === params.tab)) state.tab = params.tab;
    // From an organisation's page: Dziennik of that organisation.
    if (params.organization) {
      state.tab = 'log';
      state.q = { month: '', organization_id: params.organization, organization_name: params.organization_name || '' };
    }
    state.panes = splitLayout();
    main.replaceChildren(state.panes.root);
    mountList();
    placeholder();
    await reload();
    if (params.open) await openLetter(params.open);
  },
  newRecord: () => (state.tab === 'agreements' ? showAgreementForm(null) : showLetterForm(null)),
  save,
  cancel,
  hasUnsavedChanges: () => !!(state.form && state.dirty),
  currentParams: () => ({ tab: state.tab, open: state.openKind === 'letter' ? state.openId : null }),
  live: { kinds: ['letters', 'organizations'], reload: () => quietReload() },
};
