// Biblioteka: the office's lending library. Four tabs: "Katalog" (every title, searched without
// diacritics, optionally only those with a copy on the shelf), "Wypożyczone" (books out now,
// the most overdue first), "Po terminie" (overdue only, with the reminders by e-mail and the
// printed list for phoning readers) and "Historia" (every loan, newest first). A title opens
// beside the list with its copies — where each one is, lend / take back / renew — and its loan
// history; lending is a form in the same pane (the reader found by typing part of a name).

import { api, ApiError } from '../api.js';
import { h, debounce } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount, formatDate, todayPl } from '../format.js';
import { field, group, collect, clearErrors, options, showErrors, showFailure } from '../form.js';
import { RecordList } from '../recordlist.js';
import { offerSaved } from '../saved.js';
import { modal, alertBox } from '../dialog.js';
import { toast, reportError, confirmDialog, splitLayout, emptyState, attachSuggestions, mayLeave, showPlaceholder } from '../ui.js';

const TABS = [['catalog', 'library_tab_catalog'], ['open', 'library_tab_open'], ['overdue', 'library_tab_overdue'], ['history', 'library_tab_history']];
/** Copy states as the core names them; a lost or withdrawn copy is not lent. */
const STATES = [['new', 'library_state_new'], ['good', 'library_state_good'], ['worn', 'library_state_worn'], ['damaged', 'library_state_damaged'], ['lost', 'library_state_lost'], ['withdrawn', 'library_state_withdrawn']];
const HISTORY_PAGE = 20;

const state = {
  tab: 'catalog', list: null, panes: null, form: null, dirty: false,
  // The title open beside the list, and what it showed (for the quiet reload).
  openId: null, shown: null,
  q: { search: '', available_only: false },
  counts: { open: null, overdue: null },
  settings: null,
};

const stateText = (code) => t((STATES.find(([c]) => c === code) || STATES[1])[1]);
const lendable = (code) => code !== 'lost' && code !== 'withdrawn';
const overdueText = (n) => t('library_days_overdue', { n: formatCount(n), count: n });
const copyName = (c) => (c.inventory_number ? t('library_copy_no', { no: c.inventory_number }) : t('library_copy_unnumbered'));
const todayIso = () => {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
/** "DD.MM.RRRR" of today plus `days`. */
function plusDays(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()}`;
}

async function settings() {
  if (!state.settings) {
    try {
      state.settings = await api.librarySettings();
    } catch (err) {
      reportError(err);
      return { loan_days: 30, max_renewals: 2, reminder_gap_days: 14 };
    }
  }
  return state.settings;
}

// ----- the lists ----------------------------------------------------------------------------

function titleLine(x) {
  return [x.author, x.year ? String(x.year) : null, x.shelf_mark ? t('library_shelf_short', { mark: x.shelf_mark }) : null].filter(Boolean).join(' · ');
}

/** "dostępne 1 z 2" (in a narrow list "1 z 2", under the column "Na półce"). */
function availability(x) {
  if (!x.copies) return h('span', { class: 'badge muted' }, t('library_no_copies'));
  const params = { n: x.available, of: x.copies };
  return h('span', { class: `badge ${x.available ? 'member' : 'warning'} library-avail`, title: t('library_available_of', params) },
    h('span', { class: 'avail-long' }, t('library_available_of', params)),
    h('span', { class: 'avail-short' }, t('library_available_short', params)));
}

function titleRow(x) {
  const line = titleLine(x);
  return h('div', { class: 'librow title', dataset: { id: x.id } },
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, x.title),
      h('span', { class: 'subline' }, h('span', { class: 'what', title: line }, line || '—'))),
    h('span', { class: 'cell state' }, availability(x)));
}

function borrowerOf(l) {
  if (l.borrower_removed || !l.borrower_name) return t('library_borrower_removed');
  return l.organization_name ? `${l.borrower_name} (${l.organization_name})` : l.borrower_name;
}

function loanRow(l) {
  const who = `${borrowerOf(l)}${l.inventory_number ? ` · ${t('library_inv_short', { no: l.inventory_number })}` : ''}`;
  let right;
  if (state.tab === 'history') {
    right = [h('span', { class: 'date' }, formatDate(l.lent_on)),
      l.returned_on
        ? h('span', { class: 'when' }, t('library_returned_on', { date: formatDate(l.returned_on) }))
        : h('span', { class: l.days_overdue > 0 ? 'late' : 'out' }, l.days_overdue > 0 ? overdueText(l.days_overdue) : t('library_out'))];
  } else {
    right = [h('span', { class: 'date' }, t('library_due_short', { date: formatDate(l.due_on) })),
      l.days_overdue > 0 ? h('span', { class: 'late' }, overdueText(l.days_overdue))
        : h('span', { class: 'when' }, t('library_lent_on_short', { date: formatDate(l.lent_on) }))];
  }
  return h('div', { class: `librow loan${l.days_overdue > 0 ? ' overdue' : ''}${l.returned_on ? ' returned' : ''}`, dataset: { id: l.id, item: l.item_id } },
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text' }, l.title),
      h('span', { class: 'subline' }, h('span', { class: 'what', title: who }, who))),
    h('span', { class: 'cell state' }, right));
}

function tabsBar() {
  const count = (tab) => (tab === 'open' || tab === 'overdue') && state.counts[tab] !== null
    ? h('span', { class: 'tab-count', id: `library-count-${tab}` }, ` (${formatCount(state.counts[tab])})`) : null;
  return h('div', { class: 'library-tabs' },
    h('div', { class: 'seg', role: 'group', 'aria-label': t('library_tabs') }, TABS.map(([tab, key]) => h('button', {
      type: 'button', id: `library-tab-${tab}`, dataset: { tab }, 'aria-pressed': String(state.tab === tab),
      class: tab === 'overdue' && state.counts.overdue ? 'has-overdue' : null,
      onclick: () => switchTab(tab),
    }, t(key), count(tab)))));
}

/** The loans out now and past their date: in the tab names, read after each reload. */
async function refreshCounts() {
  try {
    const [open, overdue] = await Promise.all([
      api.listLoans({ status: 'open', offset: 0, limit: 1 }),
      api.listLoans({ status: 'overdue', offset: 0, limit: 1 }),
    ]);
    state.counts = { open: open.total, overdue: overdue.total };
    const bar = state.panes?.list.querySelector('.library-tabs');
    if (bar) {
      const focused = document.activeElement?.closest?.('.library-tabs') ? document.activeElement.id : null;
      bar.replaceWith(tabsBar());
      if (focused) document.getElementById(focused)?.focus();
    }
  } catch (err) {
    console.warn('library counts', err);
  }
}

function catalogFilters() {
  const search = debounce(() => reload(), 200);
  return h('div', { class: 'filters library-filters' },
    h('div', { class: 'filter filter-search' },
      h('label', { for: 'library-search' }, t('library_search')),
      h('input', {
        type: 'search', id: 'library-search', value: state.q.search, autocomplete: 'off', spellcheck: 'false', placeholder: t('library_search_hint'),
        oninput: (e) => { state.q.search = e.target.value; search(); },
      })),
    h('div', { class: 'filter filter-check' },
      h('label', {},
        h('input', { type: 'checkbox', id: 'library-available', checked: state.q.available_only, onchange: (e) => { state.q.available_only = e.target.checked; reload(); } }),
        h('span', {}, t('library_available_only')))));
}

/** "Po terminie": the reminders by e-mail and the printed lists. */
function overdueBar() {
  return h('div', { class: 'library-bar', id: 'library-overdue-bar' },
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'small primary', id: 'library-remind', onclick: () => sendReminders() }, t('library_remind')),
      h('button', { type: 'button', class: 'small', id: 'library-sheet-no-email', title: t('library_sheet_no_email_hint'), onclick: () => overdueSheet(true) }, t('library_sheet_no_email')),
      h('button', { type: 'button', class: 'small', id: 'library-sheet-all', onclick: () => overdueSheet(false) }, t('library_sheet_all'))),
    h('p', { class: 'muted' }, t('library_overdue_help')));
}

function newButton() {
  return h('button', { type: 'button', class: 'primary', id: 'new-title', onclick: () => showTitleForm(null) }, t('library_new'));
}

function mountList() {
  let above;
  let fetchPage;
  let renderRow;
  let empty;
  if (state.tab === 'catalog') {
    above = [tabsBar(), catalogFilters(),
      h('div', { class: 'listhead librow title' },
        h('span', { class: 'colhead static' }, t('library_col_title')),
        h('span', { class: 'colhead static' }, t('library_col_available')))];
    fetchPage = (offset, limit) => api.listLibraryTitles({ search: state.q.search.trim(), available_only: state.q.available_only, offset, limit });
    renderRow = titleRow;
    empty = () => (state.q.search.trim() || state.q.available_only
      ? emptyState(t('library_empty_filtered'))
      : emptyState(t('library_empty'), h('button', { type: 'button', class: 'primary', onclick: () => showTitleForm(null) }, t('library_new'))));
  } else {
    const status = state.tab === 'history' ? 'all' : state.tab;
    above = [tabsBar(), state.tab === 'overdue' ? overdueBar() : null,
      h('div', { class: 'listhead librow loan' },
        h('span', { class: 'colhead static' }, t('library_col_loan')),
        h('span', { class: 'colhead static' }, state.tab === 'history' ? t('library_col_lent') : t('library_col_due')))].filter(Boolean);
    fetchPage = (offset, limit) => api.listLoans({ status, offset, limit });
    renderRow = loanRow;
    empty = () => emptyState(t({ open: 'library_empty_open', overdue: 'library_empty_overdue', history: 'library_empty_history' }[state.tab]));
  }
  state.list = new RecordList({
    titleKey: 'nav_library',
    actions: [newButton()],
    above,
    empty,
    rowHeight: 56,
    fetchPage,
    renderRow,
    onOpen: (x) => openTitle(state.tab === 'catalog' ? x.id : x.item_id),
  });
  state.panes.list.replaceChildren(...state.list.pane);
}

async function reload() {
  const list = state.list;
  await list.reload();
  if (state.list !== list) return;
  markOpen();
  refreshCounts();
}

function markOpen() {
  if (!state.openId) return;
  state.list.markSelected(state.tab === 'catalog' ? (x) => x.id === state.openId : (x) => x.item_id === state.openId);
}

const confirmLeaveForm = () => mayLeave(state);

function placeholder() {
  state.openId = null;
  state.shown = null;
  showPlaceholder(state.panes.detail, 'library_pick');
}

async function switchTab(tab) {
  if (tab === state.tab) return;
  if (!(await confirmLeaveForm())) return;
  state.tab = tab;
  mountList();
  // The title open beside the list stays open: its copies and loans belong to every tab.
  await reload();
  state.panes.list.querySelector(`#library-tab-${tab}`)?.focus();
}

// ----- overdue: reminders and the printed list ---------------------------------------------

async function sendReminders() {
  const button = state.panes.list.querySelector('#library-remind');
  if (button) button.disabled = true;
  try {
    const done = await api.sendOverdueReminders();
    const queued = done.first + done.second;
    // Sent at once, as "powiadom" in Korespondencja does; what the server refuses waits in Poczta.
    let sent = 0;
    let reason = null;
    for (const id of done.message_ids) {
      try {
        sent += (await api.resumeSending(id, () => {})).sent || 0;
      } catch (err) {
        reason = err.message || String(err);
        break;
      }
    }
    toast(queued && sent === queued
      ? t('library_reminders_sent', { n: sent, count: sent, without: done.without_email })
      : t('library_reminders_done', { first: done.first, second: done.second, without: done.without_email }));
    // Said beside the list too (what to do next), unless a form is open there.
    if ((queued || done.without_email) && !state.form) {
      state.panes.detail.replaceChildren(remindersNotice(done, sent, reason));
      state.openId = null;
      state.shown = null;
    }
    await reload();
  } catch (err) {
    reportError(err);
  } finally {
    const again = state.panes.list.querySelector('#library-remind');
    if (again) again.disabled = false;
  }
}

/** What the reminders did, beside the list: the queue is sent from Poczta; readers without e-mail are phoned. */
function remindersNotice(done, sent, reason) {
  const queued = done.first + done.second;
  const waiting = queued - sent;
  return h('section', { class: 'notice library-notice', id: 'library-reminders', role: 'status' },
    h('p', { class: 'notice-title' }, t('library_reminders_title')),
    h('p', {}, t('library_reminders_done', { first: done.first, second: done.second, without: done.without_email })),
    sent ? h('p', {}, t('library_reminders_sent', { n: sent, count: sent, without: done.without_email })) : null,
    waiting ? h('p', {}, t('library_reminders_queue')) : null,
    waiting && reason ? h('p', {}, t('library_reminders_why', { reason: /[.!?]$/.test(reason) ? reason : `${reason}.` })) : null,
    done.without_email ? h('p', {}, t('library_reminders_phone', { n: done.without_email, count: done.without_email })) : null,
    h('div', { class: 'actions' },
      waiting ? h('button', { type: 'button', class: 'small', id: 'library-to-mail', onclick: () => import('../app.js').then((a) => a.go('mail')) }, t('nav_mail')) : null,
      done.without_email ? h('button', { type: 'button', class: 'small', onclick: () => overdueSheet(true) }, t('library_sheet_no_email')) : null));
}

async function overdueSheet(withoutEmailOnly) {
  try {
    const path = await api.overdueSheetPdf(withoutEmailOnly);
    if (path) { toast(t('library_sheet_saved', { path })); offerSaved(path); }
  } catch (err) {
    if (err instanceof ApiError && err.code === 'bad_argument') await alertBox(err.message, { title: t('library_sheet_title') });
    else reportError(err);
  }
}

// ----- a title beside the list -----------------------------------------------------------

function facts(pairs) {
  const rows = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '');
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
}

function whereText(c) {
  if (c.loan_id) {
    const late = c.due_on && c.due_on < todayIso();
    return h('span', { class: `copy-where out${late ? ' late' : ''}` },
      t('library_where_out', { name: c.borrower_name || t('library_borrower_removed'), date: formatDate(c.due_on) }),
      late ? h('span', { class: 'badge error' }, t('library_overdue_badge')) : null);
  }
  if (!lendable(c.state)) return h('span', { class: 'copy-where gone muted' }, t('library_where_gone'));
  return h('span', { class: 'copy-where shelf' }, t('library_where_shelf'));
}

function copyActions(x, c) {
  const label = copyName(c);
  return h('div', { class: 'actions copy-actions' },
    c.loan_id
      ? [h('button', { type: 'button', class: 'small primary copy-return', dataset: { copy: c.id }, 'aria-label': `${t('library_return')}: ${label}`, onclick: () => returnCopy(x, c) }, t('library_return')),
        h('button', { type: 'button', class: 'small copy-renew', dataset: { copy: c.id }, 'aria-label': `${t('library_renew')}: ${label}`, onclick: () => renewCopy(x, c) }, t('library_renew'))]
      : lendable(c.state)
        ? h('button', { type: 'button', class: 'small primary copy-lend', dataset: { copy: c.id }, 'aria-label': `${t('library_lend')}: ${label}`, onclick: () => showLendForm(x, c) }, t('library_lend'))
        : null,
    h('button', { type: 'button', class: 'small copy-edit', dataset: { copy: c.id }, 'aria-label': `${t('edit')}: ${label}`, onclick: () => editCopy(x, c) }, t('edit')));
}

function copiesSection(x) {
  return h('section', { class: 'facts-group', id: 'title-copies' },
    h('h3', {}, t('library_copies_title', { n: x.copies.length, count: x.copies.length })),
    x.copies.length
      ? h('table', { class: 'consents library-copies' },
        h('thead', {}, h('tr', {}, [t('library_col_inventory'), t('library_col_state'), t('library_col_where'), t('library_col_actions')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, x.copies.map((c) => h('tr', { dataset: { copy: c.id }, class: c.loan_id ? 'out' : '' },
          h('td', { class: 'inv' }, c.inventory_number || '—'),
          h('td', {}, stateText(c.state), c.notes ? h('span', { class: 'subline copy-notes', title: c.notes }, c.notes) : null),
          h('td', {}, whereText(c)),
          h('td', {}, copyActions(x, c))))))
      : h('p', { class: 'muted' }, t('library_copies_none')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'small', id: 'copy-add', onclick: () => editCopy(x, null) }, t('library_copy_add'))));
}

/** The title's loans, newest first, a page at a time ("Pokaż więcej"). */
function historySection(itemId) {
  const body = h('tbody');
  const table = h('table', { class: 'consents library-history', id: 'title-history', hidden: true },
    h('thead', {}, h('tr', {}, [t('library_col_copy'), t('library_col_reader'), t('library_col_lent'), t('library_col_due'), t('library_col_returned')].map((c) => h('th', { scope: 'col' }, c)))),
    body);
  const none = h('p', { class: 'muted', hidden: true }, t('library_history_none'));
  const more = h('button', { type: 'button', class: 'small', id: 'title-history-more', hidden: true }, t('library_history_more'));
  let loaded = 0;
  const load = async () => {
    more.disabled = true;
    try {
      const page = await api.listLoans({ status: 'all', item_id: itemId, offset: loaded, limit: HISTORY_PAGE });
      loaded += page.items.length;
      body.append(...page.items.map((l) => h('tr', { dataset: { loan: l.id }, class: l.returned_on ? 'returned' : 'out' },
        h('td', {}, l.inventory_number || '—'),
        h('td', {}, borrowerOf(l)),
        h('td', {}, formatDate(l.lent_on)),
        h('td', {}, formatDate(l.due_on), l.renewals ? h('span', { class: 'muted' }, ` (${t('library_renewals_n', { n: l.renewals, count: l.renewals })})`) : null),
        h('td', {}, l.returned_on ? formatDate(l.returned_on)
          : h('span', { class: l.days_overdue > 0 ? 'late' : 'out' }, l.days_overdue > 0 ? overdueText(l.days_overdue) : t('library_out'))))));
      table.hidden = loaded === 0;
      none.hidden = loaded !== 0;
      more.hidden = loaded >= page.total;
    } catch (err) {
      reportError(err);
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', load);
  load();
  return h('section', { class: 'facts-group', id: 'title-history-section' }, h('h3', {}, t('library_history_title')), table, none, more);
}

function titleRecord(x, note = null) {
  const onShelf = x.copies.find((c) => !c.loan_id && lendable(c.state));
  // The page's `copies` is the list of copies (it replaces the catalogue's count of them).
  const counts = { copies: x.copies.filter((c) => lendable(c.state)).length, available: x.copies.filter((c) => lendable(c.state) && !c.loan_id).length };
  return h('article', { class: 'record', id: 'title-record', dataset: { id: x.id } },
    h('header', { class: 'record-head' },
      h('div', {},
        h('h2', { class: 'record-title' }, x.title),
        x.author ? h('p', { class: 'record-sub' }, x.author) : null,
        h('p', { class: 'library-badges' }, availability(counts))),
      h('div', { class: 'actions' },
        onShelf ? h('button', { type: 'button', class: 'primary', id: 'title-lend', onclick: () => showLendForm(x, onShelf) }, t('library_lend')) : null,
        h('button', { type: 'button', id: 'edit-record', onclick: () => showTitleForm(x) }, t('edit')),
        h('button', { type: 'button', class: 'danger', id: 'title-delete', onclick: () => deleteTitle(x) }, t('delete')))),
    note,
    facts([
      ['library_f_author', x.author],
      ['library_f_publisher', x.publisher],
      ['library_f_year', x.year ? String(x.year) : null],
      ['library_f_isbn', x.isbn],
      ['library_f_shelf_mark', x.shelf_mark],
      ['library_f_subject', x.subject],
    ]),
    x.notes ? h('section', { class: 'facts-group' }, h('h3', {}, t('f_notes')), h('p', { class: 'prewrap' }, x.notes)) : null,
    copiesSection(x),
    historySection(x.id));
}

async function openTitle(id, { note = null, keepForm = false } = {}) {
  if (!keepForm && !(await confirmLeaveForm())) return;
  try {
    const x = await api.getLibraryTitle(id);
    state.form = null;
    state.dirty = false;
    state.openId = id;
    state.shown = JSON.stringify(x);
    state.panes.detail.replaceChildren(titleRecord(x, note));
    state.panes.detail.scrollTop = 0;
    markOpen();
  } catch (err) {
    reportError(err);
  }
}

async function deleteTitle(x) {
  if (!(await confirmDialog(t('library_delete_confirm', { title: x.title }), t('delete')))) return;
  try {
    await api.deleteLibraryTitle(x.id);
    toast(t('library_deleted'));
    placeholder();
    await reload();
  } catch (err) {
    if (err instanceof ApiError && err.code === 'bad_argument') await alertBox(err.message, { title: t('library_delete_refused') });
    else reportError(err);
  }
}

// ----- lending, returning, renewing -------------------------------------------------------

async function returnCopy(x, c) {
  const what = t('library_return_confirm', { title: x.title, copy: copyName(c), name: c.borrower_name || t('library_borrower_removed') });
  if (!(await confirmDialog(what, t('library_return')))) return;
  try {
    await api.returnLoan(c.loan_id);
    toast(t('library_returned', { title: x.title, copy: copyName(c) }));
    await openTitle(x.id, { keepForm: true });
    await reload();
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'bad_argument' || err.code === 'invalid')) {
      await alertBox(err.fields.map((f) => f.message).join(' ') || err.message, { title: t('library_return_refused') });
      await openTitle(x.id, { keepForm: true });
    } else {
      reportError(err);
    }
  }
}

async function renewCopy(x, c) {
  try {
    const loan = await api.renewLoan(c.loan_id);
    toast(t('library_renewed', { copy: copyName(c), date: formatDate(loan.due_on) }));
    await openTitle(x.id, { keepForm: true });
    await reload();
  } catch (err) {
    if (err instanceof ApiError && err.code === 'bad_argument') await alertBox(err.message, { title: t('library_renew_refused') });
    else reportError(err);
  }
}

/** A register record found by typing (people or organisations); `onChoose` hears the choice. */
function picker({ name, labelKey, kind, required, hintKey, onChoose }) {
  const input = h('input', { type: 'text', id: `pick-${name}`, autocomplete: 'off', placeholder: t('library_find'), 'aria-describedby': hintKey ? `pick-${name}-hint` : null });
  if (required) input.setAttribute('aria-required', 'true');
  const hidden = h('input', { type: 'hidden', name, value: '' });
  const suggestions = attachSuggestions(input, {
    kind,
    onType: () => { hidden.value = ''; },
    onChoose: (hit) => {
      hidden.value = String(hit.id);
      input.value = hit.name;
      // The "choose someone" message is answered: it goes.
      error.hidden = true;
      input.removeAttribute('aria-invalid');
      onChoose?.(hit);
    },
  });
  const error = h('p', { class: 'field-error', hidden: true });
  const wrap = h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: `pick-${name}` }, t(labelKey), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    h('div', { class: 'org-pick-wrap' }, input, suggestions),
    hidden,
    error,
    hintKey ? h('p', { class: 'field-hint', id: `pick-${name}-hint` }, t(hintKey)) : null);
  wrap.set = (id, text) => { hidden.value = id ? String(id) : ''; input.value = text || ''; };
  return wrap;
}

/** The reader's organisations, offered under the organisation field; one is chosen at once. */
async function offerOrganizations(personId, orgField, box) {
  box.replaceChildren();
  try {
    const p = await api.getPerson(personId);
    const orgs = [];
    for (const r of p.roles || []) if (!orgs.some((o) => o.id === r.organization_id)) orgs.push({ id: r.organization_id, name: r.organization_name });
    if (!orgs.length) return;
    const current = orgField.querySelector('input[type=hidden]');
    if (orgs.length === 1 && !current.value) { orgField.set(orgs[0].id, orgs[0].name); state.dirty = true; }
    box.replaceChildren(h('span', {}, t('library_reader_orgs')), ' ',
      ...orgs.map((o) => h('button', { type: 'button', class: 'link', onclick: () => { orgField.set(o.id, o.name); state.dirty = true; } }, o.name)));
  } catch (err) {
    console.warn('reader organisations', err);
  }
}

async function showLendForm(x, c) {
  if (!(await confirmLeaveForm())) return;
  const s = await settings();
  const orgBox = h('p', { class: 'field-hint library-reader-orgs', id: 'lend-reader-orgs' });
  const org = picker({ name: 'organization_id', labelKey: 'library_f_organization', kind: 'organization', hintKey: 'library_organization_hint' });
  org.append(orgBox);
  const reader = picker({
    name: 'person_id', labelKey: 'library_f_reader', kind: 'person', required: true, hintKey: 'library_reader_hint',
    onChoose: (hit) => offerOrganizations(hit.id, org, orgBox),
  });
  const due = field({ name: 'due_on', labelKey: 'library_f_due_on', value: '', hintKey: 'library_due_hint' });
  const dueInput = due.querySelector('input');
  dueInput.placeholder = plusDays(s.loan_days);
  due.querySelector('.field-hint').textContent = t('library_due_hint', { n: s.loan_days, count: s.loan_days });
  const form = h('form', { class: 'record-form', id: 'lend-form', novalidate: true, dataset: { copy: c.id } },
    h('h2', {}, t('library_lend_title')),
    h('p', { class: 'record-sub library-lend-what' }, h('strong', {}, x.title), x.author ? ` — ${x.author}` : '', ` · ${copyName(c)} · ${stateText(c.state)}`),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    h('input', { type: 'hidden', name: 'copy_id', value: String(c.id) }),
    group('library_lend_grp',
      reader,
      org,
      field({ name: 'lent_on', labelKey: 'library_f_lent_on', value: todayPl(), hintKey: 'hint_date' }),
      due),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-loan' }, t('library_lend'), h('kbd', {}, 'Ctrl+S')),
      h('button', { type: 'button', onclick: () => cancel() }, t('cancel'))));
  mountForm(form, 'loan', x.id);
  form.querySelector('#pick-person_id').focus();
}

// ----- a copy: added or changed in the app's dialog ---------------------------------------

async function editCopy(x, c) {
  if (!(await confirmLeaveForm())) return;
  const answer = await modal((close) => {
    const form = h('form', { class: 'dialog-body record-form', id: 'copy-dialog', novalidate: true },
      h('h2', {}, c ? t('library_copy_edit', { copy: copyName(c) }) : t('library_copy_add')),
      h('p', { class: 'dialog-message' }, x.title),
      h('div', { class: 'form-banner', role: 'alert', hidden: true }),
      field({ name: 'inventory_number', labelKey: 'library_f_inventory', value: c?.inventory_number || '', hintKey: 'library_inventory_hint' }),
      field({ name: 'state', labelKey: 'library_f_state', kind: 'select', value: c?.state || 'good', options: options(STATES.map(([value, key]) => ({ value, text: t(key) })), false) }),
      c?.loan_id ? h('p', { class: 'field-hint' }, t('library_copy_out_hint')) : null,
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: c?.notes || '' }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'copy-save' }, t('save')),
        h('button', { type: 'button', onclick: () => close(null) }, t('cancel')),
        c ? h('button', { type: 'button', class: 'danger', id: 'copy-delete', onclick: () => close('delete') }, t('library_copy_delete')) : null));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const v = collect(form);
      const save = form.querySelector('#copy-save');
      save.disabled = true;
      try {
        close(await api.saveLibraryCopy(c?.id ?? null, { item_id: x.id, inventory_number: v.inventory_number, state: v.state, notes: v.notes }));
      } catch (err) {
        if (err instanceof ApiError && err.code === 'invalid') showErrors(form, err.fields);
        else { close(null); reportError(err); }
      } finally {
        save.disabled = false;
      }
    });
    return form;
  }, { safe: null, focus: 'input[name=inventory_number]' });
  if (answer === null || answer === undefined) return;
  if (answer === 'delete') {
    await deleteCopy(x, c);
    return;
  }
  toast(t('saved'));
  await openTitle(x.id, { keepForm: true });
  await reload();
}

async function deleteCopy(x, c) {
  if (!(await confirmDialog(t('library_copy_delete_confirm', { copy: copyName(c), title: x.title }), t('delete')))) return;
  try {
    await api.deleteLibraryCopy(c.id);
    toast(t('library_copy_deleted'));
    await openTitle(x.id, { keepForm: true });
    await reload();
  } catch (err) {
    if (err instanceof ApiError && err.code === 'bad_argument') await alertBox(err.message, { title: t('library_copy_delete_refused') });
    else reportError(err);
  }
}

// ----- the title's form --------------------------------------------------------------------

function mountForm(form, kind, id) {
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('change', () => { state.dirty = true; });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  state.form = { el: form, kind, id };
  state.dirty = false;
  state.panes.detail.replaceChildren(form);
  state.panes.detail.scrollTop = 0;
}

async function showTitleForm(x) {
  if (!(await confirmLeaveForm())) return;
  const form = h('form', { class: 'record-form', id: 'title-form', novalidate: true },
    h('h2', {}, x ? t('library_edit') : t('library_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('library_grp',
      field({ name: 'title', labelKey: 'library_f_title', value: x?.title || '', required: true, wide: true }),
      field({ name: 'author', labelKey: 'library_f_author', value: x?.author || '', hintKey: 'library_author_hint' }),
      field({ name: 'publisher', labelKey: 'library_f_publisher', value: x?.publisher || '' }),
      field({ name: 'year', labelKey: 'library_f_year', value: x?.year ? String(x.year) : '' }),
      field({ name: 'isbn', labelKey: 'library_f_isbn', value: x?.isbn || '', hintKey: 'library_isbn_hint' }),
      field({ name: 'shelf_mark', labelKey: 'library_f_shelf_mark', value: x?.shelf_mark || '', hintKey: 'library_shelf_mark_hint' }),
      field({ name: 'subject', labelKey: 'library_f_subject', value: x?.subject || '' }),
      x ? null : field({ name: 'copies', labelKey: 'library_f_copies', value: '1', hintKey: 'library_copies_hint' }),
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: x?.notes || '', wide: true })),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-title' }, t('save'), h('kbd', {}, 'Ctrl+S')),
      h('button', { type: 'button', onclick: () => cancel() }, t('cancel'))));
  mountForm(form, 'title', x?.id ?? null);
  form.querySelector('input[name=title]').focus();
}

// ----- saving --------------------------------------------------------------------------------

const idOrNull = (v) => (v ? Number(v) : null);

async function save() {
  const f = state.form;
  if (!f) return;
  const form = f.el;
  clearErrors(form);
  const v = collect(form);
  const button = form.querySelector('button[type=submit]');
  if (button?.disabled) return;
  if (button) button.disabled = true;
  try {
    if (f.kind === 'title') {
      const input = {
        title: v.title, author: v.author, publisher: v.publisher, year: v.year, isbn: v.isbn,
        shelf_mark: v.shelf_mark, subject: v.subject, notes: v.notes, copies: v.copies ?? '',
      };
      const id = await api.saveLibraryTitle(f.id, input);
      state.form = null;
      state.dirty = false;
      toast(t('saved'));
      await openTitle(id, { keepForm: true });
      await reload();
    } else {
      const input = {
        copy_id: Number(v.copy_id), person_id: idOrNull(v.person_id), organization_id: idOrNull(v.organization_id),
        lent_on: v.lent_on.trim(), due_on: v.due_on.trim(),
      };
      await api.lendCopy(input);
      state.form = null;
      state.dirty = false;
      await openTitle(f.id, { keepForm: true });
      const x = JSON.parse(state.shown || 'null');
      const c = x?.copies.find((y) => y.id === input.copy_id);
      toast(t('library_lent', { copy: c ? copyName(c) : '', name: c?.borrower_name || '', date: formatDate(c?.due_on) }));
      await reload();
    }
  } catch (err) {
    showFailure(form, err);
  } finally {
    if (button) button.disabled = false;
  }
}

async function cancel() {
  if (!state.form || !(await confirmLeaveForm())) return;
  const back = state.form.id;
  state.form = null;
  state.dirty = false;
  if (back) await openTitle(back, { keepForm: true });
  else placeholder();
}

/** Colleagues' changes: the list re-read in place; an open title re-read unless a form is open. */
const quietReload = debounce(async () => {
  if (!state.list) return;
  await state.list.reloadQuietly(state.openId ? (state.tab === 'catalog' ? (x) => x.id === state.openId : (x) => x.item_id === state.openId) : null);
  refreshCounts();
  if (!state.form && state.openId && !document.querySelector('dialog[open]')) {
    try {
      const x = await api.getLibraryTitle(state.openId);
      const json = JSON.stringify(x);
      if (state.form || state.openId !== x.id || json === state.shown) return;
      state.shown = json;
      const scroll = state.panes.detail.scrollTop;
      state.panes.detail.replaceChildren(titleRecord(x));
      state.panes.detail.scrollTop = scroll;
    } catch {
      // Deleted by a colleague: the list no longer shows it either.
    }
  }
}, 50);

export const libraryView = {
  async mount(main, params = {}) {
    // A form left through the window's "Porzuć zmiany" does not come back when the view does.
    state.form = null;
    state.dirty = false;
    state.openId = null;
    state.shown = null;
    // The settings may have changed in Ustawienia since the view was last open.
    state.settings = null;
    if (params.tab && TABS.some(([tab]) => tab === params.tab)) state.tab = params.tab;
    state.panes = splitLayout();
    main.replaceChildren(state.panes.root);
    mountList();
    placeholder();
    await reload();
    if (params.open) await openTitle(params.open);
  },
  newRecord: () => showTitleForm(null),
  save,
  cancel,
  hasUnsavedChanges: () => !!(state.form && state.dirty),
  currentParams: () => ({ tab: state.tab, open: state.openId }),
  live: { kinds: ['library', 'people', 'organizations'], reload: () => quietReload() },
};
