// The window's shell: sections in the sidebar, the search box (Ctrl+K), keyboard shortcuts,
// remembered display preferences (language, text size, contrast) and the status bar.

import { api } from './api.js';
import { h, debounce } from './dom.js';
import { t, getLang, setLang, applyStaticTexts } from './i18n.js';
import { refreshStatus, reportError, aboutDialog } from './ui.js';
import { askLeave } from './dialog.js';
import { showHelp } from './help.js';
import { showStartupProblem } from './views/startup_error.js';
import { organizationsView } from './views/organizations.js';
import { peopleView } from './views/people.js';
import { settingsView } from './views/settings.js';
import { importView } from './views/import.js';
import { adviceView } from './views/advice.js';
import { eventsView } from './views/events.js';
import { consultationsView } from './views/consultations.js';
import { reportsView } from './views/reports.js';
import { publishView } from './views/publish.js';
import { surveyView } from './views/survey.js';
import { mailView } from './views/mail.js';
import { listsView } from './views/lists.js';
import { grantsView } from './views/grants.js';
import { cooperationView } from './views/cooperation.js';
import { backupsView } from './views/backups.js';
import { todayView } from './views/today.js';
import { calendarView } from './views/calendar.js';
import { roomsView } from './views/rooms.js';
import { lettersView } from './views/letters.js';
import { libraryView } from './views/library.js';
import { legalAidView } from './views/legal_aid.js';
import { usersView } from './views/users.js';

const views = { today: todayView, calendar: calendarView, rooms: roomsView, letters: lettersView, library: libraryView, legal_aid: legalAidView, organizations: organizationsView, people: peopleView, advice: adviceView, consultations: consultationsView, events: eventsView, survey: surveyView, mail: mailView, lists: listsView, grants: grantsView, cooperation: cooperationView, reports: reportsView, publish: publishView, import: importView, backups: backupsView, users: usersView, settings: settingsView };
let current = null;
let currentName = null;
let navigation = 0;

export async function go(name, params = {}) {
  const view = views[name];
  if (!view) return;
  // Mounting a view replaces the screen, the same view included (a search result, the language
  // switch): a changed form is asked about first, in the app's dialog.
  const mine = ++navigation;
  if (current?.hasUnsavedChanges?.() && !(await askLeave())) return;
  if (mine !== navigation) return;
  current = view;
  currentName = name;
  for (const b of document.querySelectorAll('#sections button')) {
    if (b.dataset.view === name) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
  const main = document.getElementById('main');
  await view.mount(main, params);
}

function applyPrefs() {
  const size = localStorage.getItem('kartoteka.textSize') || '0';
  document.documentElement.dataset.textSize = size;
  for (const b of document.querySelectorAll('#text-size button')) b.setAttribute('aria-pressed', String(b.dataset.size === size));
  const contrast = localStorage.getItem('kartoteka.contrast') === 'high';
  document.documentElement.dataset.contrast = contrast ? 'high' : 'normal';
  document.getElementById('contrast-toggle').setAttribute('aria-pressed', String(contrast));
  document.documentElement.lang = getLang();
  const langToggle = document.getElementById('lang-toggle');
  langToggle.textContent = getLang() === 'pl' ? 'English' : 'Polski';
  langToggle.lang = getLang() === 'pl' ? 'en' : 'pl';
  applyStaticTexts();
  document.getElementById('global-search').placeholder = t('search_placeholder');
  document.getElementById('sections').setAttribute('aria-label', getLang() === 'pl' ? 'Sekcje' : 'Sections');
}

function setupPrefs() {
  for (const b of document.querySelectorAll('#text-size button')) {
    b.addEventListener('click', () => {
      localStorage.setItem('kartoteka.textSize', b.dataset.size);
      applyPrefs();
    });
  }
  document.getElementById('contrast-toggle').addEventListener('click', () => {
    const high = localStorage.getItem('kartoteka.contrast') === 'high';
    localStorage.setItem('kartoteka.contrast', high ? 'normal' : 'high');
    applyPrefs();
  });
  document.getElementById('lang-toggle').addEventListener('click', async () => {
    setLang(getLang() === 'pl' ? 'en' : 'pl');
    applyPrefs();
    await refreshStatus();
    if (currentName) await go(currentName, current.currentParams?.() || {});
  });
}

function setupSearch() {
  const input = document.getElementById('global-search');
  const list = document.getElementById('search-results');
  let hits = [];
  let active = -1;
  let seq = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const open = (hit) => {
    close();
    const view = { organization: 'organizations', person: 'people', advice: 'advice' }[hit.kind];
    go(view, { open: hit.id, archived: hit.archived });
  };
  const highlight = () => {
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
    if (active >= 0) input.setAttribute('aria-activedescendant', `hit-${active}`);
  };
  const render = () => {
    list.replaceChildren(...(hits.length ? hits.map((hit, i) => h('li', {
      id: `hit-${i}`, role: 'option', class: 'hit', 'aria-selected': 'false',
      onmousedown: (e) => { e.preventDefault(); open(hit); },
    },
    h('span', { class: `badge kind-${hit.kind}` }, t(`kind_${hit.kind}`)),
    h('span', { class: 'hit-name' }, hit.name),
    hit.detail ? h('span', { class: 'hit-detail' }, hit.detail) : null,
    hit.archived ? h('span', { class: 'badge muted' }, t('archived_badge')) : null))
      : [h('li', { class: 'hit none', role: 'option', 'aria-disabled': 'true' }, t('search_none'))]));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight();
  };
  const runSearch = debounce(async () => {
    const text = input.value.trim();
    const mine = ++seq;
    if (!text) { hits = []; close(); return; }
    try {
      const found = await api.search(text, 12);
      if (mine !== seq) return;
      hits = found;
      active = hits.length ? 0 : -1;
      render();
    } catch (err) {
      reportError(err);
    }
  }, 120);

  input.addEventListener('input', runSearch);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && hits.length) { active = (active + 1) % hits.length; highlight(); e.preventDefault(); }
    else if (e.key === 'ArrowUp' && hits.length) { active = (active - 1 + hits.length) % hits.length; highlight(); e.preventDefault(); }
    else if (e.key === 'Enter' && active >= 0 && hits[active]) { open(hits[active]); e.preventDefault(); }
    else if (e.key === 'Escape') { if (!list.hidden) { close(); e.stopPropagation(); } else { input.value = ''; } }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  input.addEventListener('focus', () => { if (hits.length && input.value.trim()) render(); });
}

function setupShortcuts() {
  document.addEventListener('keydown', (e) => {
    const ctrl = e.ctrlKey || e.metaKey;
    if (ctrl && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      const input = document.getElementById('global-search');
      input.focus();
      input.select();
    } else if (ctrl && e.key.toLowerCase() === 'n') {
      e.preventDefault();
      current?.newRecord?.();
    } else if (ctrl && e.key.toLowerCase() === 's') {
      e.preventDefault();
      current?.save?.();
    } else if (e.key === 'Escape' && !document.querySelector('dialog[open]')) {
      if (document.activeElement?.id === 'global-search') return;
      // Its default action would close the "leave?" dialog the view is about to open.
      e.preventDefault();
      current?.cancel?.();
    } else if (e.key === 'F1') {
      e.preventDefault();
      showHelp(currentName).catch(reportError);
    } else if (e.key === 'F5' || (ctrl && e.key.toLowerCase() === 'r')) {
      // A reload would throw a changed form away: ask first, reload only on "Porzuć zmiany".
      if (!current?.hasUnsavedChanges?.()) return;
      e.preventDefault();
      askLeave().then((discard) => { if (discard) location.reload(); });
    }
  });
}

/**
 * The window's close button. The core lets the window close at once unless the UI has said a
 * form holds unsaved changes; then it asks here (over a channel) and closes only on
 * "Porzuć zmiany". The flag is sent on every change, so a hung page never blocks closing.
 */
function setupCloseGuard() {
  let reported = false;
  const sync = () => {
    const now = !!current?.hasUnsavedChanges?.();
    if (now === reported) return;
    reported = now;
    api.setUnsaved(now).catch(() => { reported = !now; });
  };
  for (const type of ['input', 'change', 'click', 'keyup']) document.addEventListener(type, () => setTimeout(sync, 0), true);
  // Saves and imports finish later than any event: look again now and then.
  setInterval(sync, 1000);
  api.watchClose(async () => {
    if (current?.hasUnsavedChanges?.() && !(await askLeave())) return;
    reported = false;
    await api.closeWindow();
  }).catch(reportError);
}

/**
 * Colleagues' changes (other PCs on a server, a CLI import into the file) reach the open view:
 * the core sends a batch at most about once a second, and a view whose list shows a kind that
 * changed re-reads it in place (`live` in the view). One reload at a time; batches arriving
 * meanwhile are merged into one more.
 */
function setupLive() {
  let running = false;
  let waiting = null;
  const merge = (a, b) => (a ? { anything: a.anything || b.anything, kinds: [...new Set([...a.kinds, ...b.kinds])] } : b);
  const touches = (changes, kinds) => changes.anything || kinds.some((k) => changes.kinds.includes(k));
  const apply = async (changes) => {
    if (running) { waiting = merge(waiting, changes); return; }
    running = true;
    try {
      const live = current?.live;
      if (live && touches(changes, live.kinds)) await live.reload();
      if (touches(changes, ['organizations', 'people'])) await refreshStatus();
    } finally {
      running = false;
    }
    if (waiting) {
      const next = waiting;
      waiting = null;
      apply(next);
    }
  };
  api.watchChanges((changes) => { apply(changes); }).catch(reportError);
}

async function start() {
  applyPrefs();
  setupPrefs();
  // The database could not be opened: only the screen that explains why and offers a way out.
  if (await showStartupProblem()) return;
  api.setUserName(localStorage.getItem('kartoteka.userName') || '').catch(reportError);
  document.getElementById('about-button').addEventListener('click', () => aboutDialog().catch(reportError));
  document.getElementById('help-button').addEventListener('click', () => showHelp(currentName).catch(reportError));
  setupCloseGuard();
  setupLive();
  setupSearch();
  setupShortcuts();
  for (const b of document.querySelectorAll('#sections button')) b.addEventListener('click', () => go(b.dataset.view));
  const info = await refreshStatus();
  // The day starts on Dziś; an empty register starts where demonstration data is offered.
  const empty = info && info.counts.organizations === 0 && info.counts.people === 0;
  await go(empty ? 'organizations' : 'today');
  api.uiReady().catch(() => {});
}

start().catch(reportError);
