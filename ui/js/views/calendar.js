// Kalendarz: the events by month or by week (previous / next / today), each at its day with its
// title and places, and its time in the week view. Clicking an event opens it in Wydarzenia.
// Only the shown range is fetched.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { reportError } from '../ui.js';
import { timeRange, placesText } from './today.js';

const state = { mode: 'month', anchor: null, root: null };

const pad = (n) => String(n).padStart(2, '0');
/** Local calendar date as the core's ISO day, never through UTC (which shifts the day). */
const iso = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const addDays = (d, n) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
/** Monday of the week holding `d` (Polish weeks start on Monday). */
const monday = (d) => addDays(d, -((d.getDay() + 6) % 7));
const locale = () => (getLang() === 'pl' ? 'pl-PL' : 'en-GB');

async function openEvent(id) {
  const app = await import('../app.js');
  await app.go('events', { open: id });
}

/** The days shown: whole weeks covering the month, or the one week. */
function shownDays() {
  const a = state.anchor;
  if (state.mode === 'week') {
    const first = monday(a);
    return Array.from({ length: 7 }, (_, i) => addDays(first, i));
  }
  const first = monday(new Date(a.getFullYear(), a.getMonth(), 1));
  const last = new Date(a.getFullYear(), a.getMonth() + 1, 0);
  const days = [];
  for (let d = first; d <= last || days.length % 7 !== 0; d = addDays(d, 1)) days.push(d);
  return days;
}

function heading() {
  if (state.mode === 'month') {
    // "listopad 2026" as a heading: only the first letter up (Polish months are lower case).
    const text = new Intl.DateTimeFormat(locale(), { month: 'long', year: 'numeric' }).format(state.anchor);
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  const days = shownDays();
  const f = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long', year: 'numeric' });
  return `${f.format(days[0])} – ${f.format(days[6])}`;
}

function eventButton(e, withTime) {
  return h('li', {},
    h('button', {
      type: 'button', class: 'cal-event', dataset: { event: e.id },
      title: [timeRange(e), e.title, e.place, placesText(e)].filter(Boolean).join(' · '),
      onclick: () => openEvent(e.id).catch(reportError),
    },
    withTime ? h('span', { class: 'cal-time' }, timeRange(e)) : h('span', { class: 'cal-time' }, e.starts_at.slice(11, 16)),
    h('span', { class: 'cal-title' }, e.title),
    h('span', { class: 'cal-places' }, [withTime ? e.place : null, placesText(e)].filter(Boolean).join(' · '))));
}

async function render() {
  const days = shownDays();
  const todayIso = iso(new Date());
  let events = [];
  try {
    events = await api.calendarEvents(iso(days[0]), iso(days[days.length - 1]));
  } catch (err) {
    reportError(err);
  }
  const byDay = new Map();
  for (const e of events) {
    const key = e.starts_at.slice(0, 10);
    if (!byDay.has(key)) byDay.set(key, []);
    byDay.get(key).push(e);
  }
  const weekday = new Intl.DateTimeFormat(locale(), { weekday: 'short' });
  const dayLong = new Intl.DateTimeFormat(locale(), { weekday: 'long', day: 'numeric', month: 'long' });
  // The week's column heads already name the weekday: its cells show the day and month.
  const dayMonth = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long' });
  const heads = h('div', { class: 'cal-heads', 'aria-hidden': 'true' }, days.slice(0, 7).map((d) => h('span', {}, weekday.format(d))));
  const cells = days.map((d) => {
    const key = iso(d);
    const list = byDay.get(key) || [];
    const other = state.mode === 'month' && d.getMonth() !== state.anchor.getMonth();
    return h('div', {
      class: `cal-day${other ? ' other' : ''}${key === todayIso ? ' today' : ''}`, role: 'listitem', dataset: { day: key },
      'aria-label': `${dayLong.format(d)}: ${t('cal_events_n', { n: list.length, count: list.length })}`,
    },
    h('span', { class: 'cal-date' }, state.mode === 'week' ? dayMonth.format(d) : String(d.getDate())),
    list.length ? h('ul', { class: 'cal-events' }, list.map((e) => eventButton(e, state.mode === 'week'))) : null);
  });
  state.grid.className = `cal-grid ${state.mode}`;
  state.grid.replaceChildren(heads, h('div', { class: 'cal-days', role: 'list', 'aria-label': heading() }, cells));
  state.label.textContent = heading();
  state.count.textContent = t('cal_events_n', { n: events.length, count: events.length });
  for (const b of state.modeButtons) b.setAttribute('aria-pressed', String(b.dataset.mode === state.mode));
}

function move(step) {
  const a = state.anchor;
  state.anchor = state.mode === 'month' ? new Date(a.getFullYear(), a.getMonth() + step, 1) : addDays(a, 7 * step);
  render();
}

export const calendarView = {
  async mount(main, params = {}) {
    state.anchor = params.date ? new Date(`${params.date}T12:00:00`) : new Date();
    if (params.mode) state.mode = params.mode;
    state.label = h('h2', { class: 'cal-label', id: 'cal-label', 'aria-live': 'polite' });
    state.count = h('span', { class: 'count' });
    state.grid = h('div', { class: 'cal-grid' });
    state.modeButtons = ['month', 'week'].map((m) => h('button', {
      type: 'button', id: `cal-${m}`, dataset: { mode: m }, onclick: () => { state.mode = m; render(); },
    }, t(`cal_${m}`)));
    main.replaceChildren(h('div', { class: 'calendar' },
      h('div', { class: 'pane-title' }, h('h1', {}, t('nav_calendar')), state.count,
        h('div', { class: 'cal-nav' },
          h('button', { type: 'button', id: 'cal-prev', 'aria-label': t('cal_prev'), title: t('cal_prev'), onclick: () => move(-1) }, '◀'),
          h('button', { type: 'button', id: 'cal-today', onclick: () => { state.anchor = new Date(); render(); } }, t('cal_today')),
          h('button', { type: 'button', id: 'cal-next', 'aria-label': t('cal_next'), title: t('cal_next'), onclick: () => move(1) }, '▶')),
        h('div', { class: 'seg', role: 'group', 'aria-label': t('cal_view') }, state.modeButtons)),
      state.label,
      state.grid));
    await render();
  },
  currentParams: () => ({ date: iso(state.anchor), mode: state.mode }),
};
