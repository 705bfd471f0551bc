// Small shared pieces of the window: the toast line, confirmation and content dialogs,
// the reference lists loaded once, and the status bar.

import { api } from './api.js';
import { h, debounce } from './dom.js';
import { t } from './i18n.js';
import { formatCount, formatDate, formatDateTime } from './format.js';
import { modal, confirmBox, askLeave } from './dialog.js';

let toastTimer;
export function toast(message, isError = false) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = isError ? 'toast error' : 'toast';
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, isError ? 8000 : 3500);
}

export function reportError(err) {
  console.error(err);
  toast(t('error_generic', { message: err.message || String(err) }), true);
}

/** Shows content in the app's modal dialog; resolves with the value passed to close() (Esc: undefined). */
export function openDialog(build) {
  return modal(build);
}

/** A yes/no question in the app's dialog; the safe "Anuluj" has the focus. */
export function confirmDialog(message, okLabel) {
  return confirmBox(message, { ok: okLabel });
}

let reference = null;
export async function referenceData() {
  reference ||= await api.referenceData();
  return reference;
}
export function invalidateReference() {
  reference = null;
}

// Several callers refresh the bar at once (a save and a live batch); only the newest answer is
// shown, so a slower reply read before the change can't overwrite the counts after it.
let statusAsked = 0;

export async function refreshStatus() {
  const asked = ++statusAsked;
  try {
    const info = await api.appInfo();
    if (asked !== statusAsked) return info;
    const el = document.getElementById('status');
    el.replaceChildren(
      h('span', {}, `${t('status_db')}: `, h('code', {}, info.database_path)),
      h('span', {},
        t('status_orgs', { n: formatCount(info.counts.organizations), count: info.counts.organizations }), ' · ',
        t('status_people', { n: formatCount(info.counts.people), count: info.counts.people })),
      h('span', { class: info.backup_old ? 'status-warn' : '', id: 'status-backup' },
        info.last_backup ? t('status_backup', { at: formatDateTime(info.last_backup) }) : t('status_no_backup'),
        info.backup_old ? ` — ${t('status_backup_old')}` : ''),
      h('span', {}, `v${info.version}`));
    await showUsersSection();
    return info;
  } catch (err) {
    reportError(err);
    return null;
  }
}

/**
 * "Użytkownicy" is in the sidebar only on a server and only for whoever may manage logins (a
 * file has no logins); asked again whenever the window moves to another database.
 */
async function showUsersSection() {
  const button = document.querySelector('#sections [data-view=users]');
  if (!button) return;
  try {
    const me = await api.currentLogin();
    button.hidden = !(me.server && me.manages_users);
  } catch {
    button.hidden = true;
  }
}

const LIST_WIDTH = 'kartoteka.listWidth';
const clampShare = (x) => Math.min(70, Math.max(22, Math.round(x)));

/**
 * A list-and-detail layout: filters and list on the left, the record on the right, with a
 * divider between them that is dragged (or moved with the arrow keys) to give the record more
 * room; the list's share of the width is remembered for every view. Tables in the record get
 * their column names on each cell, so a narrow record panel can show them stacked.
 */
export function splitLayout() {
  const list = h('section', { class: 'list-pane' });
  const detail = h('section', { class: 'detail-pane', 'aria-live': 'polite' });
  const root = h('div', { class: 'split' });
  let share = clampShare(Number(localStorage.getItem(LIST_WIDTH)) || 40);
  const handle = h('div', {
    class: 'split-handle', role: 'separator', tabindex: '0', 'aria-orientation': 'vertical',
    'aria-valuemin': '22', 'aria-valuemax': '70', 'aria-label': t('split_handle'), title: t('split_handle'),
  });
  const apply = (next, remember) => {
    share = clampShare(next);
    root.style.setProperty('--list-share', `${share}%`);
    handle.setAttribute('aria-valuenow', String(share));
    if (remember) localStorage.setItem(LIST_WIDTH, String(share));
  };
  apply(share, false);
  handle.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    handle.setPointerCapture(e.pointerId);
    const box = root.getBoundingClientRect();
    const move = (ev) => apply(((ev.clientX - box.left) / box.width) * 100, false);
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      apply(share, true);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  });
  handle.addEventListener('keydown', (e) => {
    const step = { ArrowLeft: -5, ArrowRight: 5 }[e.key];
    if (step) apply(share + step, true);
    else if (e.key === 'Home') apply(22, true);
    else if (e.key === 'End') apply(70, true);
    else return;
    e.preventDefault();
  });
  handle.addEventListener('dblclick', () => apply(40, true));
  root.append(list, handle, detail);
  new MutationObserver(() => { labelTableCells(detail); breakAddresses(detail); }).observe(detail, { childList: true, subtree: true });
  return { root, list, detail };
}

const ADDRESS = /(\S+@\S+\.\S+|[a-z]+:\/\/\S+|www\.\S+)/i;

/**
 * Lets e-mail and web addresses in a record's facts wrap where a reader expects (after "@" and
 * "/", before "."), not mid-word: a <wbr> at those points; ordinary text is left alone.
 */
function breakAddresses(scope) {
  for (const dd of scope.querySelectorAll('dd:not([data-breaks]), td:not([data-breaks])')) {
    dd.dataset.breaks = '';
    const walker = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) if (ADDRESS.test(walker.currentNode.data)) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const parts = node.data.split(ADDRESS);
      const frag = document.createDocumentFragment();
      parts.forEach((part, i) => {
        if (i % 2 === 0 || part.length < 16) { frag.append(part); return; }
        for (const piece of part.split(/(?<=[@/])|(?=\.)/)) frag.append(piece, document.createElement('wbr'));
      });
      node.replaceWith(frag);
    }
  }
}

/** Gives every body cell of a table with column heads its column's name (shown when stacked). */
function labelTableCells(scope) {
  for (const table of scope.querySelectorAll('table')) {
    const heads = [...(table.tHead?.rows[0]?.cells || [])].map((c) => c.textContent.trim());
    if (!heads.length) continue;
    for (const row of table.tBodies[0]?.rows || []) {
      [...row.cells].forEach((cell, i) => {
        if (heads[i] && cell.dataset.label !== heads[i]) cell.dataset.label = heads[i];
      });
    }
  }
}

/**
 * Whether a form with unsaved edits may be left: asks in the app's dialog when there are edits.
 * "Porzuć zmiany" marks the form clean, so the next route does not ask again.
 */
export async function mayLeave(state) {
  if (!(state.form && state.dirty)) return true;
  const discard = await askLeave();
  if (discard) state.dirty = false;
  return discard;
}

/** The detail pane before a record is picked. */
export function showPlaceholder(pane, key) {
  pane.replaceChildren(h('p', { class: 'placeholder' }, t(key)));
}

export function emptyState(message, ...actions) {
  return h('div', { class: 'empty' }, h('p', {}, message), h('div', { class: 'actions' }, actions));
}

/**
 * Fills the form's duplicate box: the records that look like the one being saved, each
 * openable (without leaving the form), and a button to save anyway.
 */
export function showDuplicates(box, duplicates, { renderOther, onSaveAnyway }) {
  box.replaceChildren(
    h('h3', {}, t('duplicates_title')),
    h('p', {}, t('duplicates_text')),
    h('ul', { class: 'plain' }, duplicates.map((d) => h('li', {},
      h('button', {
        type: 'button', class: 'link', onclick: async () => {
          try {
            const other = await renderOther(d.id);
            openDialog((close) => h('div', { class: 'dialog-body wide' }, other,
              h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => close() }, t('close')))));
          } catch (err) {
            reportError(err);
          }
        },
      }, d.name),
      ` (${t('duplicate_matched', { what: d.matched_on })})`))),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'save-anyway', onclick: onSaveAnyway }, t('save_anyway'))));
  box.hidden = false;
  box.scrollIntoView({ block: 'start' });
  box.querySelector('button')?.focus();
}

/**
 * Asks for a format, then the core opens the system's save dialog and writes the file.
 * `run(format)` resolves with the summary, or null when the user cancelled the save dialog.
 */
export async function exportList(formats, run) {
  const format = await openDialog((close) => {
    const form = h('form', { class: 'dialog-body', onsubmit: (e) => {
      e.preventDefault();
      close(form.querySelector('input[name=format]:checked')?.value);
    } },
    h('h2', {}, t('export_title')),
    h('p', { class: 'muted' }, t('export_help')),
    h('fieldset', { class: 'plain-set' }, formats.map((f, i) => h('label', { class: 'check' },
      h('input', { type: 'radio', name: 'format', value: f, checked: i === 0 }),
      h('span', {}, t(`export_${f.replace('-', '_')}`))))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'export-go' }, t('export_choose')),
      h('button', { type: 'button', onclick: () => close() }, t('cancel'))));
    return form;
  });
  if (!format) return;
  try {
    const summary = await run(format);
    if (summary) toast(t('export_done', { n: formatCount(summary.rows), count: summary.rows, path: summary.path }));
  } catch (err) {
    reportError(err);
  }
}

/**
 * Type-ahead over the register: as the user types into `input`, matching records of `kind`
 * ('organization' or 'person') appear under it; a click or Enter chooses one. Returns the list
 * to place right after the input (inside an `.org-pick-wrap`).
 */
export function attachSuggestions(input, { kind, onChoose, onType }) {
  const list = h('ul', { class: 'suggestions', role: 'listbox', hidden: true });
  let hits = [];
  const choose = (hit) => {
    list.hidden = true;
    hits = [];
    onChoose(hit);
  };
  const run = debounce(async () => {
    const text = input.value.trim();
    if (!text) { list.hidden = true; hits = []; return; }
    try {
      hits = (await api.search(text, 8)).filter((x) => x.kind === kind && !x.archived);
      list.replaceChildren(...hits.map((hit) => h('li', { role: 'option', onmousedown: (e) => { e.preventDefault(); choose(hit); } },
        hit.name, hit.detail ? h('span', { class: 'hit-detail' }, ` — ${hit.detail}`) : null)));
      list.hidden = hits.length === 0;
    } catch (err) {
      reportError(err);
    }
  }, 150);
  input.addEventListener('input', () => { onType?.(); run(); });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && hits[0]) { e.preventDefault(); choose(hits[0]); } });
  input.addEventListener('blur', () => setTimeout(() => { list.hidden = true; }, 150));
  return list;
}

/** "Messages sent" on a person's or organisation's page, loaded after the record shows. */
export function mailHistorySection({ organizationId = null, personId = null }) {
  const body = h('div', {}, h('p', { class: 'muted' }, '…'));
  api.mailHistory(organizationId, personId).then((rows) => {
    body.replaceChildren(rows.length
      ? h('table', { class: 'consents', id: 'mail-history' },
        h('thead', {}, h('tr', {}, [t('mail_subject'), t('mail_col_address'), t('mail_col_status'), t('f_date')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows.map((r) => h('tr', {},
          h('td', {}, r.subject), h('td', {}, r.address), h('td', { title: r.reply || '' }, t(`mail_q_${r.status}`)), h('td', {}, formatDate(r.updated_at))))))
      : h('p', { class: 'muted' }, t('mail_history_none')));
  }).catch(reportError);
  return h('section', { class: 'facts-group' }, h('h3', {}, t('mail_history')), body);
}

/** "O programie": version, where the data, the backups and the log are. */
export async function aboutDialog() {
  const info = await api.appInfo();
  await openDialog((close) => h('div', { class: 'dialog-body', id: 'about' },
    h('h2', {}, t('about_title')),
    h('p', {}, t('about_tagline')),
    h('dl', { class: 'facts' },
      h('dt', {}, t('about_version')), h('dd', {}, info.version),
      h('dt', {}, t('about_db')), h('dd', {}, h('code', {}, info.database_path)),
      h('dt', {}, t('about_backups')), h('dd', {}, h('code', {}, info.backup_folder)),
      h('dt', {}, t('about_logs')), h('dd', {}, h('code', {}, info.log_dir))),
    h('p', { class: 'muted' }, t('about_license')),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => close(true) }, t('close')))));
}

/** "Historia zmian" on a record: when, who, which field, from what to what. */
export function historySection(kind, id) {
  const body = h('div', {}, h('p', { class: 'muted' }, '…'));
  const fieldLabel = (f) => {
    if (f.startsWith('consent:')) return `${t('history_consent')}: ${t(`channel_${f.slice(8)}`)}`;
    const key = `f_${f}`;
    const text = t(key);
    return text === key ? t(`history_${f}`) : text;
  };
  api.recordHistory(kind, id).then((rows) => {
    body.replaceChildren(rows.length
      ? h('table', { class: 'consents history', id: 'record-history' },
        h('thead', {}, h('tr', {}, [t('history_when'), t('history_who'), t('history_field'), t('history_old'), t('history_new')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows.map((r) => h('tr', {},
          h('td', {}, formatDateTime(r.at)),
          // The name from the program's settings, and on a server the login that really saved.
          h('td', {}, r.user_name, r.login ? h('span', { class: 'muted history-login' }, ` (${t('history_login', { login: r.login })})`) : null),
          h('td', {}, fieldLabel(r.field)),
          h('td', { class: 'muted' }, r.old_value || '—'), h('td', {}, r.new_value || '—')))))
      : h('p', { class: 'muted' }, t('history_none')));
  }).catch(reportError);
  return h('details', { class: 'facts-group history-box' }, h('summary', {}, t('history_title')), body);
}
