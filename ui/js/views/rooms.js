// Sale: the booking calendar of the rooms and the workstation. A week of one room (seven day
// columns) or a day of every room (one column a room), hours down the side; each booking and
// each free half hour is a real button (arrow keys move between them). A booking opens beside
// the calendar with its details and actions (edit, cancel, change or cancel its series); a free
// slot opens the booking form filled with its day and hour. A new booking can repeat weekly:
// its dates are checked first, taken ones are listed with who holds them and skipped on saving.
// Only the shown range is read.

import { api, ApiError } from '../api.js';
import { h, debounce } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { formatDate, formatDateTime, todayPl } from '../format.js';
import { field, group, collect, clearErrors, options, showFailure } from '../form.js';
import { toast, reportError, emptyState, attachSuggestions, mayLeave } from '../ui.js';
import { modal } from '../dialog.js';
import { showConflict, fill } from '../conflict.js';
import { offerSaved } from '../saved.js';

const PREF_ROOM = 'kartoteka.rooms.resource';
/** Minutes a grid row stands for; free slots are two rows (half an hour). */
const STEP = 15;
const STATUS_KEYS = { tentative: 'rooms_status_tentative', confirmed: 'rooms_status_confirmed', cancelled: 'rooms_status_cancelled' };
/** The weekday boxes of a series, Monday (1) first. */
const WEEKDAY_KEYS = ['rooms_wd_1', 'rooms_wd_2', 'rooms_wd_3', 'rooms_wd_4', 'rooms_wd_5', 'rooms_wd_6', 'rooms_wd_7'];

const state = {
  mode: 'week', anchor: null, resourceId: null, resources: [], bookings: [],
  main: null, root: null, grid: null, cal: null, body: null, side: null, label: null, count: null, modeButtons: [], roomWrap: null, roomSelect: null,
  form: null, dirty: false, openId: null, seq: 0, focusKey: null,
};

// ----- dates and times -------------------------------------------------------------------

const pad = (n) => String(n).padStart(2, '0');
/** Local calendar date as the core's ISO day, never through UTC (which shifts the day). */
const iso = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const addDays = (d, n) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
const monday = (d) => addDays(d, -((d.getDay() + 6) % 7));
const fromIso = (s) => new Date(`${s}T12:00:00`);
const plDate = (d) => `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()}`;
const locale = () => (getLang() === 'pl' ? 'pl-PL' : 'en-GB');
/** "DD.MM.RRRR" as typed into a form, or null. */
function parsePl(s) {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(s || '');
  return m ? new Date(Number(m[3]), Number(m[2]) - 1, Number(m[1]), 12) : null;
}
const toMinutes = (hhmm) => {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(String(hhmm).trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};
/** 540 → "9:00": hours as people write them. */
const clock = (min) => `${Math.floor(min / 60)}:${pad(min % 60)}`;
/** "09:00" → "9:00". */
const short = (hhmm) => (hhmm ? hhmm.replace(/^0(\d)/, '$1') : '');
/** The hours a resource is open on a day, in minutes, or null when closed (or not set). */
function openOn(resource, day) {
  const raw = resource?.opening_hours?.[(day.getDay() + 6) % 7] || '';
  const m = /^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(raw);
  return m ? [toMinutes(m[1]), toMinutes(m[2])] : null;
}
const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const longDay = (d) => capitalise(new Intl.DateTimeFormat(locale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(d));
const weekdayName = (n, style = 'long') => new Intl.DateTimeFormat(locale(), { weekday: style }).format(new Date(2024, 0, n, 12));

/** Who holds a booking, in words: the organisation, else the purpose. */
const holder = (b) => b.organization_name || b.purpose;
const timeRange = (b) => `${short(b.starts)}–${short(b.ends)}`;
const statusText = (s) => t(STATUS_KEYS[s] || 'rooms_status_confirmed');

// ----- the calendar ----------------------------------------------------------------------

function shownDays() {
  if (state.mode === 'day') return [new Date(state.anchor.getFullYear(), state.anchor.getMonth(), state.anchor.getDate(), 12)];
  const first = monday(state.anchor);
  return Array.from({ length: 7 }, (_, i) => addDays(first, i));
}

const currentRoom = () => state.resources.find((r) => r.id === state.resourceId) || state.resources[0];

/** The calendar's columns: the week's days of one room, or the day's rooms. */
function columns() {
  const days = shownDays();
  if (state.mode === 'week') {
    const room = currentRoom();
    return days.map((d) => ({ day: d, resource: room, key: iso(d) }));
  }
  return state.resources.map((r) => ({ day: days[0], resource: r, key: `r${r.id}` }));
}

function heading() {
  const days = shownDays();
  if (state.mode === 'day') return longDay(days[0]);
  const f = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long', year: 'numeric' });
  // "30 listopada – 6 grudnia 2026": the year once when both ends share it.
  if (typeof f.formatRange === 'function') return f.formatRange(days[0], days[6]);
  return `${f.format(days[0])} – ${f.format(days[6])}`;
}

async function render({ quiet = false } = {}) {
  if (!state.grid) return;
  const mine = ++state.seq;
  const days = shownDays();
  const query = { from: iso(days[0]), to: iso(days[days.length - 1]), limit: 500 };
  if (state.mode === 'week' && state.resourceId) query.resource_id = state.resourceId;
  let page;
  try {
    page = await api.listBookings(query);
  } catch (err) {
    if (!quiet) reportError(err);
    return;
  }
  if (mine !== state.seq) return;
  state.bookings = page.items.filter((b) => b.status !== 'cancelled');
  const hadFocus = state.grid.contains(document.activeElement);
  drawGrid();
  state.label.textContent = heading();
  state.count.textContent = t('rooms_bookings_n', { n: state.bookings.length, count: state.bookings.length });
  for (const b of state.modeButtons) b.setAttribute('aria-pressed', String(b.dataset.mode === state.mode));
  state.roomWrap.hidden = state.mode !== 'week';
  markOpen();
  if (hadFocus) state.grid.querySelector('[tabindex="0"]')?.focus({ preventScroll: true });
}

/** Draws the grid: heads, hours, free half hours and bookings, each placed by its rows. */
function drawGrid() {
  const cols = columns();
  const todayIso = iso(new Date());
  const perCol = cols.map((c) => state.bookings
    .filter((b) => b.resource_id === c.resource?.id && b.day === iso(c.day))
    .sort((a, b) => a.starts.localeCompare(b.starts)));
  // The hours shown: the opening hours of what is shown, and every booking in it.
  let lo = Infinity;
  let hi = -Infinity;
  cols.forEach((c, i) => {
    const open = openOn(c.resource, c.day);
    if (open) { lo = Math.min(lo, open[0]); hi = Math.max(hi, open[1]); }
    for (const b of perCol[i]) { lo = Math.min(lo, toMinutes(b.starts)); hi = Math.max(hi, toMinutes(b.ends)); }
  });
  if (!Number.isFinite(lo)) { lo = 8 * 60; hi = 18 * 60; }
  lo = Math.max(0, Math.floor(lo / 60) * 60);
  hi = Math.min(24 * 60, Math.max(lo + 60, Math.ceil(hi / 60) * 60));
  const rows = (hi - lo) / STEP;
  const rowOf = (min) => 2 + Math.round((min - lo) / STEP);
  const grid = state.grid;
  grid.style.setProperty('--cols', String(cols.length));
  grid.style.setProperty('--rows', String(rows));
  const place = (el, col, r1, r2) => {
    el.style.gridColumn = String(col);
    el.style.gridRow = `${r1} / ${r2}`;
    return el;
  };
  const cells = [place(h('div', { class: 'rg-corner', 'aria-hidden': 'true' }), 1, 1, 2)];
  const weekdayShort = new Intl.DateTimeFormat(locale(), { weekday: 'short' });
  cols.forEach((c, i) => {
    const today = iso(c.day) === todayIso;
    const head = state.mode === 'week'
      ? h('div', { class: `rg-head${today ? ' today' : ''}` }, h('span', { class: 'rg-head-main' }, weekdayShort.format(c.day)), ' ', h('span', { class: 'rg-head-sub' }, `${c.day.getDate()}.${pad(c.day.getMonth() + 1)}`))
      : h('div', { class: 'rg-head' }, h('span', { class: 'rg-head-main' }, c.resource.name),
        c.resource.capacity ? h('span', { class: 'rg-head-sub' }, ` ${t('rooms_places_short', { n: c.resource.capacity, count: c.resource.capacity })}`) : null);
    cells.push(place(head, i + 2, 1, 2));
    cells.push(place(h('div', { class: `rg-colbg${today && state.mode === 'week' ? ' today' : ''}`, 'aria-hidden': 'true' }), i + 2, 2, rows + 2));
  });
  for (let m = lo; m < hi; m += 60) {
    cells.push(place(h('div', { class: 'rg-hour', 'aria-hidden': 'true' }, clock(m)), 1, rowOf(m), rowOf(Math.min(m + 60, hi))));
    // The hour's line runs across every column.
    cells.push(place(h('div', { class: 'rg-line', 'aria-hidden': 'true' }), `2 / ${cols.length + 2}`, rowOf(m), rowOf(m) + 1));
  }
  const nav = [];
  cols.forEach((c, i) => {
    const colName = state.mode === 'week' ? longDay(c.day) : c.resource.name;
    // A room without any opening hours set is open whenever shown (the core warns of nothing).
    const open = c.resource.opening_hours?.some(Boolean) ? openOn(c.resource, c.day) : [lo, hi];
    const taken = new Array(rows).fill(false);
    let lastEnd = 2;
    for (const b of perCol[i]) {
      let r1 = Math.max(2, 2 + Math.floor((toMinutes(b.starts) - lo) / STEP));
      const r2 = Math.min(rows + 2, Math.max(r1 + 1, 2 + Math.ceil((toMinutes(b.ends) - lo) / STEP)));
      // Bookings off the quarter hours never overlap in time, but may round onto one row.
      if (r1 < lastEnd) r1 = Math.min(lastEnd, r2 - 1);
      lastEnd = r2;
      for (let r = r1; r < r2; r += 1) taken[r - 2] = true;
      const tentative = b.status === 'tentative';
      const label = [`${timeRange(b)}`, colName, holder(b), b.organization_name ? b.purpose : null, tentative ? t('rooms_status_tentative') : null].filter(Boolean).join(', ');
      const el = h('button', {
        type: 'button', class: `rg-booking${tentative ? ' tentative' : ''}${r2 - r1 <= 2 ? ' short' : ''}`, dataset: { booking: b.id, key: `b${b.id}` },
        title: label, 'aria-label': label, tabindex: '-1', onclick: () => openBooking(b.id),
      },
      h('span', { class: 'rg-time' }, timeRange(b)),
      tentative ? h('span', { class: 'rg-flag' }, t('rooms_status_tentative')) : null,
      h('span', { class: 'rg-who' }, holder(b)),
      b.organization_name ? h('span', { class: 'rg-what' }, b.purpose) : null,
      state.mode === 'day' || !b.people_count ? null : h('span', { class: 'rg-what' }, t('rooms_people_n', { n: b.people_count, count: b.people_count })));
      cells.push(place(el, i + 2, r1, r2));
      nav.push({ el, col: i, r1, r2 });
    }
    // Free half hours (a quarter when a booking ends or starts off the half hour).
    for (let r = 0; r < rows; r += 2) {
      const pieces = [];
      if (!taken[r] && r + 1 < rows && !taken[r + 1]) pieces.push([r, r + 2]);
      else {
        if (!taken[r]) pieces.push([r, r + 1]);
        if (r + 1 < rows && !taken[r + 1]) pieces.push([r + 1, r + 2]);
      }
      for (const [a, z] of pieces) {
        const start = lo + a * STEP;
        const end = lo + z * STEP;
        const closed = !open || start < open[0] || end > open[1];
        // The form's end: an hour on, but not into the next booking (nor past midnight).
        let next = taken.findIndex((x, k) => k >= z && x);
        next = next === -1 ? 24 * 60 : lo + next * STEP;
        const until = Math.min(start + 60, next, 24 * 60);
        const label = `${t('rooms_free')}: ${colName}, ${clock(start)}–${clock(end)}${closed ? ` (${t('rooms_closed_hours')})` : ''}`;
        const el = h('button', {
          type: 'button', class: `rg-free${closed ? ' closed' : ''}${z - a === 1 ? ' quarter' : ''}`,
          dataset: { key: `${c.key}@${start}`, day: iso(c.day), at: clock(start) }, 'aria-label': label, title: label, tabindex: '-1',
          onclick: () => showForm(null, { resource_id: c.resource.id, day: plDate(c.day), starts: clock(start), ends: clock(until) }),
        }, h('span', { class: 'rg-free-label', 'aria-hidden': 'true' }, t('rooms_free')));
        cells.push(place(el, i + 2, a + 2, z + 2));
        nav.push({ el, col: i, r1: a + 2, r2: z + 2 });
      }
    }
  });
  grid.replaceChildren(...cells);
  grid.setAttribute('aria-label', `${heading()}${state.mode === 'week' ? ` — ${currentRoom()?.name || ''}` : ''}`);
  state.nav = nav;
  // One cell in the tab order (the last one focused, else the first booking, else today's first slot).
  const entry = nav.find((n) => n.el.dataset.key === state.focusKey)
    || nav.find((n) => n.el.classList.contains('rg-booking'))
    || nav.find((n) => n.el.dataset.day === todayIso && !n.el.classList.contains('closed'))
    || nav.find((n) => !n.el.classList.contains('closed'))
    || nav[0];
  if (entry) entry.el.tabIndex = 0;
}

/** Arrow keys move between the grid's buttons: up and down in a column, sideways by the hour. */
function onGridKey(e) {
  const nav = state.nav || [];
  const cur = nav.find((n) => n.el === document.activeElement);
  if (!cur) return;
  const inCol = (col) => nav.filter((n) => n.col === col).sort((a, b) => a.r1 - b.r1);
  let next = null;
  if (e.key === 'ArrowDown') next = inCol(cur.col).find((n) => n.r1 >= cur.r2);
  else if (e.key === 'ArrowUp') next = inCol(cur.col).reverse().find((n) => n.r2 <= cur.r1);
  else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
    const col = cur.col + (e.key === 'ArrowRight' ? 1 : -1);
    next = inCol(col).find((n) => n.r1 <= cur.r1 && cur.r1 < n.r2);
  } else if (e.key === 'Home') next = inCol(cur.col)[0];
  else if (e.key === 'End') next = inCol(cur.col).pop();
  else return;
  e.preventDefault();
  if (next) {
    cur.el.tabIndex = -1;
    next.el.tabIndex = 0;
    next.el.focus();
  }
}

function onGridFocus(e) {
  const el = e.target.closest('button');
  if (!el || !state.grid.contains(el)) return;
  state.focusKey = el.dataset.key;
  for (const b of state.grid.querySelectorAll('button[tabindex="0"]')) if (b !== el) b.tabIndex = -1;
  el.tabIndex = 0;
}

function markOpen() {
  for (const b of state.grid.querySelectorAll('.rg-booking')) {
    if (Number(b.dataset.booking) === state.openId) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
  }
}

async function move(step) {
  if (state.mode === 'week') state.anchor = addDays(state.anchor, 7 * step);
  else state.anchor = addDays(state.anchor, step);
  await render();
}

// ----- the panel beside the calendar -----------------------------------------------------

function showSide(content) {
  state.side.replaceChildren(content);
  state.side.hidden = false;
  state.root.classList.add('with-side');
  state.side.scrollTop = 0;
}

function closeSide() {
  state.side.hidden = true;
  state.side.replaceChildren();
  state.root.classList.remove('with-side');
  state.openId = null;
  markOpen();
  state.grid?.querySelector('[tabindex="0"]')?.focus({ preventScroll: true });
}

const closeButton = () => h('button', { type: 'button', class: 'small', id: 'rooms-side-close', 'aria-label': t('close'), title: t('close'), onclick: () => cancel() }, '×');

async function openBooking(id) {
  if (!(await mayLeave(state))) return;
  try {
    const b = await api.getBooking(id);
    let series = null;
    if (b.series_id) {
      try { series = await api.getSeries(b.series_id); } catch (err) { console.error(err); }
    }
    state.form = null;
    state.dirty = false;
    state.openId = b.id;
    showSide(bookingRecord(b, series));
    markOpen();
    state.side.querySelector('#booking-edit')?.focus({ preventScroll: true });
  } catch (err) {
    reportError(err);
  }
}

function seriesText(s) {
  const days = s.weekdays.map((n) => weekdayName(n, 'short')).join(', ');
  return s.every_weeks > 1 ? t('rooms_series_every_n', { n: s.every_weeks, days }) : t('rooms_series_weekly', { days });
}

function bookingRecord(b, series) {
  const day = fromIso(b.day);
  const pairs = [
    ['rooms_f_resource', b.resource_name],
    ['rooms_f_day', longDay(day)],
    ['rooms_f_hours', timeRange(b)],
    ['f_organization', b.organization_name],
    ['rooms_f_person', b.person_name],
    ['rooms_f_purpose', b.purpose],
    ['rooms_f_people', b.people_count ? String(b.people_count) : null],
    ['rooms_f_status', statusText(b.status)],
    ['rooms_cancel_reason', b.cancel_reason],
    ['rooms_entered_by', b.entered_by],
  ].filter(([, v]) => v);
  const active = b.status !== 'cancelled';
  return h('article', { class: 'record', id: 'booking-record', dataset: { booking: b.id } },
    h('header', { class: 'record-head' },
      h('div', {},
        h('h2', { class: 'record-title' }, holder(b)),
        h('p', { class: 'record-sub' }, `${b.resource_name} · ${formatDate(b.day)} · `, h('span', { class: 'nowrap' }, timeRange(b))),
        h('p', {}, h('span', { class: `badge booking-status ${b.status}` }, statusText(b.status)))),
      h('div', { class: 'actions' },
        active ? h('button', { type: 'button', class: 'primary', id: 'booking-edit', onclick: () => showForm(b) }, t('edit')) : null,
        active ? h('button', { type: 'button', class: 'danger', id: 'booking-cancel', onclick: () => cancelBooking(b) }, t('rooms_cancel_booking')) : null,
        closeButton())),
    h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)])),
    b.notes ? h('section', { class: 'facts-group' }, h('h3', {}, t('f_notes')), h('p', { class: 'prewrap' }, b.notes)) : null,
    series ? h('section', { class: 'facts-group', id: 'booking-series' },
      h('h3', {}, t('rooms_series')),
      h('dl', { class: 'facts' },
        h('dt', {}, t('rooms_series_repeat')), h('dd', {}, seriesText(series)),
        h('dt', {}, t('rooms_series_span')), h('dd', {}, `${formatDate(series.first_day)} – ${formatDate(series.last_day)}`),
        h('dt', {}, t('rooms_f_hours')), h('dd', {}, `${short(series.starts)}–${short(series.ends)}`),
        h('dt', {}, t('rooms_series_active')), h('dd', {}, String(series.active)),
        series.skipped.length ? [h('dt', {}, t('rooms_series_skipped')), h('dd', {}, series.skipped.map(formatDate).join(', '))] : null,
        h('dt', {}, t('rooms_series_by')), h('dd', {}, series.created_by || '—')),
      active ? h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'series-change', onclick: () => showSeriesForm(b) }, t('rooms_series_change')),
        h('button', { type: 'button', class: 'danger', id: 'series-cancel', onclick: () => cancelSeries(b, series) }, t('rooms_series_cancel'))) : null)
      : null,
    h('section', { class: 'facts-group' }, h('h3', {}, t('grp_record')),
      h('dl', { class: 'facts' },
        h('dt', {}, t('created')), h('dd', {}, formatDateTime(b.created_at)),
        h('dt', {}, t('updated')), h('dd', {}, [formatDateTime(b.updated_at), b.updated_by ? ` (${b.updated_by})` : ''].join('')))));
}

/**
 * Asks for the reason of a cancellation in the app's dialog and runs `run(reason)` from it: the
 * core's refusal (no reason given) shows under the field and the dialog stays. Resolves with
 * {value} once done, undefined when cancelled.
 */
function reasonDialog({ title, message, ok, run }) {
  return modal((close) => {
    const input = h('input', { type: 'text', id: 'reason-input', name: 'reason', autocomplete: 'off', 'aria-describedby': 'reason-error' });
    const error = h('p', { class: 'field-error', id: 'reason-error', hidden: true });
    const button = h('button', { type: 'submit', class: 'primary danger', id: 'reason-ok' }, ok);
    const form = h('form', {
      class: 'dialog-body', id: 'reason-dialog', novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        error.hidden = true;
        input.removeAttribute('aria-invalid');
        button.disabled = true;
        try {
          close({ value: await run(input.value) });
        } catch (err) {
          if (err instanceof ApiError && err.code === 'invalid') {
            error.textContent = err.fields.map((f) => f.message).join(' ') || err.message;
            error.hidden = false;
            input.setAttribute('aria-invalid', 'true');
            input.focus();
          } else {
            close(undefined);
            reportError(err);
          }
        } finally {
          button.disabled = false;
        }
      },
    },
    h('h2', {}, title),
    h('p', { class: 'dialog-message' }, message),
    h('div', { class: 'field' }, h('label', { for: 'reason-input' }, t('rooms_reason')), input, error),
    h('div', { class: 'actions' }, button, h('button', { type: 'button', onclick: () => close(undefined) }, t('rooms_keep'))));
    return form;
  }, { focus: '#reason-input' });
}

async function cancelBooking(b) {
  const done = await reasonDialog({
    title: t('rooms_cancel_title'),
    message: t('rooms_cancel_text', { when: `${formatDate(b.day)} ${timeRange(b)}`, room: b.resource_name, who: holder(b) }),
    ok: t('rooms_cancel_booking'),
    run: (reason) => api.cancelBooking(b.id, reason),
  });
  if (!done) return;
  toast(t('rooms_cancelled'));
  closeSide();
  await render();
}

async function cancelSeries(b, series) {
  const from = formatDate(b.day);
  const done = await reasonDialog({
    title: t('rooms_series_cancel_title', { date: from }),
    message: t('rooms_series_cancel_text', { date: from, n: series.active }),
    ok: t('rooms_series_cancel'),
    run: (reason) => api.cancelSeries(series.id, from, reason),
  });
  if (!done) return;
  toast(t('rooms_series_cancelled', { n: done.value, count: done.value }));
  closeSide();
  await render();
}

// ----- the booking form ------------------------------------------------------------------

/** A register record found by typing: organisations or people, depending on `kind`. */
function picker({ name, labelKey, kind, id, text }) {
  const input = h('input', { type: 'text', id: `pick-${name}`, value: text || '', autocomplete: 'off', placeholder: t('rooms_find') });
  const hidden = h('input', { type: 'hidden', name, value: id ? String(id) : '' });
  const suggestions = attachSuggestions(input, {
    kind,
    onType: () => { hidden.value = ''; },
    onChoose: (hit) => { hidden.value = String(hit.id); input.value = hit.name; input.dispatchEvent(new Event('change', { bubbles: true })); },
  });
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: `pick-${name}` }, t(labelKey)),
    h('div', { class: 'org-pick-wrap' }, input, suggestions),
    hidden,
    h('p', { class: 'field-error', hidden: true }));
}

/** A line under a field for what the core warns about (shown, never refusing the save). */
function addWarningLine(wrap) {
  const id = `${wrap.querySelector('input, select, textarea')?.id || wrap.dataset.field}-warn`;
  const p = h('p', { class: 'field-warning', id, role: 'status' });
  const input = wrap.querySelector('input:not([type=hidden]), select, textarea');
  if (input) input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') || ''} ${id}`.trim());
  const error = wrap.querySelector('.field-error');
  error.after(p);
}

function bookingInput(v, revision) {
  return {
    resource_id: v.resource_id ? Number(v.resource_id) : null,
    day: v.day, starts: v.starts, ends: v.ends,
    organization_id: v.organization_id ? Number(v.organization_id) : null,
    person_id: v.person_id ? Number(v.person_id) : null,
    purpose: v.purpose, people_count: v.people_count, notes: v.notes, status: v.status,
    revision: revision ?? null,
  };
}

function seriesInput(v) {
  return {
    booking: bookingInput(v, null),
    weekdays: (v.weekdays || []).map(Number),
    every_weeks: v.every_weeks, until: v.until, count: v.count,
  };
}

function recurrenceSection() {
  const body = h('div', { class: 'recurrence-body', id: 'recurrence-body', hidden: true },
    h('fieldset', { class: 'weekdays', dataset: { field: 'weekdays' } },
      h('legend', {}, t('rooms_weekdays')),
      h('div', { class: 'weekday-boxes' }, WEEKDAY_KEYS.map((key, i) => h('label', { class: 'check weekday', title: weekdayName(i + 1) },
        h('input', { type: 'checkbox', name: 'weekdays', value: String(i + 1), dataset: { multi: '1' }, 'aria-label': weekdayName(i + 1) }),
        h('span', { 'aria-hidden': 'true' }, t(key))))),
      h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'group-grid' },
      field({ name: 'every_weeks', labelKey: 'rooms_every_weeks', value: '1' }),
      field({ name: 'until', labelKey: 'rooms_until', hintKey: 'hint_date' }),
      field({ name: 'count', labelKey: 'rooms_count', hintKey: 'rooms_count_hint' })),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'series-check', onclick: () => checkSeries() }, t('rooms_series_check'))),
    h('div', { id: 'series-preview', class: 'series-preview', 'aria-live': 'polite', hidden: true }));
  const toggle = h('input', { type: 'checkbox', name: 'recurring', id: 'booking-recurring' });
  toggle.addEventListener('change', () => {
    body.hidden = !toggle.checked;
    const form = toggle.form;
    if (toggle.checked && form && ![...form.querySelectorAll('input[name=weekdays]')].some((x) => x.checked)) {
      // The weekday of the first date, to start from.
      const d = parsePl(form.elements.day.value);
      if (d) form.querySelector(`input[name=weekdays][value="${(d.getDay() + 6) % 7 + 1}"]`).checked = true;
    }
    const submit = form?.querySelector('#save-booking .label');
    if (submit) submit.textContent = toggle.checked ? t('rooms_series_check') : t('save');
  });
  return h('fieldset', { class: 'group recurrence', id: 'recurrence' },
    h('legend', {}, t('rooms_recurrence')),
    h('div', { class: 'field field-check', dataset: { field: 'recurring' } },
      h('label', { for: 'booking-recurring' }, toggle, h('span', {}, t('rooms_repeat_weekly')))),
    body);
}

/** The booking form; `b` an existing booking (edit) or null, `prefill` a free slot's values. */
function buildForm(b, prefill = {}) {
  const resources = [...state.resources];
  if (b && !resources.some((r) => r.id === b.resource_id)) resources.push({ id: b.resource_id, name: b.resource_name });
  const v = b
    ? { resource_id: String(b.resource_id), day: formatDate(b.day), starts: short(b.starts), ends: short(b.ends), purpose: b.purpose, people_count: b.people_count ? String(b.people_count) : '', notes: b.notes || '', status: b.status }
    : { resource_id: String(prefill.resource_id ?? state.resourceId ?? ''), day: prefill.day || defaultDay(), starts: prefill.starts || '', ends: prefill.ends || '', purpose: '', people_count: '', notes: '', status: 'confirmed' };
  const form = h('form', { class: 'record-form', id: 'booking-form', novalidate: true },
    h('div', { class: 'form-head' }, h('h2', {}, b ? t('rooms_edit') : t('rooms_new')), closeButton()),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('rooms_grp_when',
      field({ name: 'resource_id', labelKey: 'rooms_f_resource', kind: 'select', value: v.resource_id, options: options(resources.map((r) => ({ value: String(r.id), text: r.name }))), required: true }),
      field({ name: 'day', labelKey: 'rooms_f_day', value: v.day, hintKey: 'hint_date', required: true }),
      field({ name: 'starts', labelKey: 'rooms_f_starts', value: v.starts, hintKey: 'rooms_hint_time', required: true }),
      field({ name: 'ends', labelKey: 'rooms_f_ends', value: v.ends, hintKey: 'rooms_hint_time', required: true })),
    group('rooms_grp_who',
      picker({ name: 'organization_id', labelKey: 'f_organization', kind: 'organization', id: b?.organization_id, text: b?.organization_name }),
      picker({ name: 'person_id', labelKey: 'rooms_f_person', kind: 'person', id: b?.person_id, text: b?.person_name }),
      field({ name: 'purpose', labelKey: 'rooms_f_purpose', value: v.purpose, required: true, wide: true }),
      field({ name: 'people_count', labelKey: 'rooms_f_people', value: v.people_count }),
      field({ name: 'status', labelKey: 'rooms_f_status', kind: 'select', value: v.status, options: [{ value: 'confirmed', text: t('rooms_status_confirmed') }, { value: 'tentative', text: t('rooms_status_tentative') }] }),
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: v.notes, wide: true })),
    b ? null : recurrenceSection(),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-booking' }, h('span', { class: 'label' }, t('save')), h('kbd', {}, 'Ctrl+S')),
      h('button', { type: 'button', onclick: () => cancel() }, t('cancel'))));
  for (const name of ['resource_id', 'day', 'starts', 'people_count']) addWarningLine(form.querySelector(`[data-field="${name}"]`));
  return form;
}

let warnSeq = 0;

/** Asks the core what the booking would break (closed day, outside hours, too many people). */
async function refreshWarnings(form) {
  const mine = ++warnSeq;
  let list = [];
  try {
    list = await api.bookingWarnings(bookingInput(collect(form), null));
  } catch {
    list = [];
  }
  if (mine !== warnSeq || !form.isConnected) return;
  for (const p of form.querySelectorAll('.field-warning')) p.textContent = '';
  for (const w of list) {
    const p = form.querySelector(`[data-field="${CSS.escape(w.field)}"] .field-warning`) || form.querySelector('[data-field="starts"] .field-warning');
    p.textContent = p.textContent ? `${p.textContent} ${w.message}` : w.message;
  }
}

/** A new booking's day: the shown day, today when the shown week holds it, else the week's Monday. */
function defaultDay() {
  const days = shownDays();
  if (days.length === 1) return plDate(days[0]);
  return days.some((d) => iso(d) === iso(new Date())) ? todayPl() : plDate(days[0]);
}

async function showForm(b, prefill = {}) {
  if (!(await mayLeave(state))) return;
  const form = buildForm(b, prefill);
  state.openId = b?.id ?? null;
  markOpen();
  mountForm(form, { id: b?.id ?? null, revision: b?.revision ?? null, booking: b });
  (prefill.starts ? form.querySelector('#pick-organization_id') : form.querySelector('select[name=resource_id]')).focus();
}

function mountForm(form, { id, revision, booking }) {
  const warnSoon = debounce(() => refreshWarnings(form), 400);
  form.addEventListener('input', (e) => {
    state.dirty = true;
    if (['day', 'starts', 'ends', 'people_count'].includes(e.target.name)) warnSoon();
    stalePreview(form);
  });
  form.addEventListener('change', (e) => {
    if (['resource_id', 'day', 'starts', 'ends', 'people_count'].includes(e.target.name)) refreshWarnings(form);
    stalePreview(form);
  });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  state.form = { el: form, kind: 'booking', id, revision, booking, original: collect(form), preview: null };
  state.dirty = false;
  showSide(form);
  refreshWarnings(form);
}

/** The series' dates as the core sees them: free, taken (by whom), outside the opening hours. */
async function checkSeries() {
  const f = state.form;
  if (!f || f.kind !== 'booking') return;
  const form = f.el;
  clearErrors(form);
  const input = seriesInput(collect(form));
  const box = form.querySelector('#series-preview');
  try {
    const dates = await api.previewSeries(input);
    if (state.form !== f) return;
    f.preview = { dates, input: JSON.stringify(input) };
    renderPreview(box, dates);
    box.querySelector('h3')?.focus();
  } catch (err) {
    box.hidden = true;
    f.preview = null;
    showFailure(form, err);
  }
}

function renderPreview(box, dates) {
  const taken = dates.filter((d) => d.taken_by);
  const free = dates.length - taken.length;
  const dayText = (d) => `${weekdayName(fromIso(d.day).getDay() || 7, 'short')} ${formatDate(d.day)}`;
  box.replaceChildren(
    h('h3', { tabindex: '-1' }, t('rooms_preview_title', { n: dates.length, count: dates.length })),
    h('p', { class: taken.length ? 'notice' : 'ok' }, taken.length ? t('rooms_preview_taken', { n: taken.length, count: taken.length }) : t('rooms_preview_all_free')),
    h('ol', { class: 'series-dates', id: 'series-dates' }, dates.map((d) => h('li', { class: d.taken_by ? 'taken' : 'free', dataset: { day: d.day } },
      h('span', { class: 'series-day' }, dayText(d)),
      h('span', { class: 'series-state' }, d.taken_by ? t('rooms_preview_taken_by', { who: d.taken_by }) : t('rooms_preview_free')),
      d.warning ? h('span', { class: 'field-warning' }, d.warning) : null))),
    free
      ? h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'save-series', onclick: () => saveSeries() },
          taken.length ? t('rooms_save_series_skipping', { n: free, count: free }) : t('rooms_save_series', { n: free, count: free })),
        h('button', { type: 'button', id: 'series-preview-close', onclick: () => { box.hidden = true; state.form.preview = null; } }, t('rooms_preview_back')))
      : h('p', { class: 'field-error' }, t('rooms_preview_none_free')),
    h('p', { class: 'muted stale-note', hidden: true }, t('rooms_preview_stale')));
  box.hidden = false;
}

/** A changed form after the check: its list no longer holds, so it cannot be saved from. */
function stalePreview(form) {
  const p = state.form?.preview;
  if (!p || state.form.el !== form) return;
  const now = JSON.stringify(seriesInput(collect(form)));
  const stale = now !== p.input;
  form.querySelector('#save-series')?.toggleAttribute('hidden', stale);
  const note = form.querySelector('.stale-note');
  if (note) note.hidden = !stale;
}

async function saveSeries() {
  const f = state.form;
  if (!f?.preview) return;
  const form = f.el;
  clearErrors(form);
  const input = seriesInput(collect(form));
  if (JSON.stringify(input) !== f.preview.input) { await checkSeries(); return; }
  const skip = f.preview.dates.filter((d) => d.taken_by).map((d) => d.day);
  try {
    const r = await api.saveSeries(input, skip);
    state.form = null;
    state.dirty = false;
    toast(t('rooms_series_saved', { n: r.booked, count: r.booked }));
    const first = parsePl(input.booking.day);
    if (first) state.anchor = first;
    if (state.mode === 'week' && input.booking.resource_id) selectRoom(input.booking.resource_id);
    await render();
    showSide(seriesResult(r));
    state.side.querySelector('h2').focus();
  } catch (err) {
    showFailure(form, err);
  }
}

function seriesResult(r) {
  return h('section', { class: 'record', id: 'series-result', role: 'status' },
    h('div', { class: 'form-head' }, h('h2', { tabindex: '-1' }, t('rooms_series_done')), closeButton()),
    h('p', {}, t('rooms_series_saved', { n: r.booked, count: r.booked })),
    r.skipped.length
      ? [h('p', { class: 'notice' }, t('rooms_series_skipped_n', { n: r.skipped.length, count: r.skipped.length })),
        h('ul', { class: 'plain', id: 'series-skipped' }, r.skipped.map((d) => h('li', { dataset: { day: d } }, longDay(fromIso(d)))))]
      : h('p', { class: 'muted' }, t('rooms_series_none_skipped')));
}

async function save() {
  const f = state.form;
  if (!f) return;
  if (f.kind === 'series') { await saveSeriesChange(); return; }
  const form = f.el;
  const v = collect(form);
  if (!f.id && v.recurring) {
    // A series: its dates are checked first; saving is from the list.
    if (f.preview && JSON.stringify(seriesInput(v)) === f.preview.input) form.querySelector('#save-series')?.focus();
    else await checkSeries();
    return;
  }
  clearErrors(form);
  const input = bookingInput(v, f.id ? f.revision : null);
  try {
    const r = await api.saveBooking(f.id, input);
    state.form = null;
    state.dirty = false;
    toast(r.warnings.length ? t('rooms_saved_warnings', { warnings: r.warnings.map((w) => w.message).join(' ') }) : t('saved'));
    const day = parsePl(input.day);
    if (day) state.anchor = day;
    if (state.mode === 'week' && input.resource_id) selectRoom(input.resource_id);
    await render();
    await openBooking(r.id);
  } catch (err) {
    if (err.code === 'conflict' && f.id) await conflict(form, err);
    else showFailure(form, err);
  }
}

/** A colleague saved this booking since the form was opened: what was typed stays. */
async function conflict(form, err) {
  try {
    const theirs = await api.getBooking(state.form.id);
    const values = collect(buildForm(theirs));
    showConflict(form, err.message, {
      original: state.form.original,
      theirs: { values, revision: theirs.revision },
      onReapply: (merged, revision) => {
        const el = buildForm(theirs);
        fill(el, merged);
        for (const name of ['organization_id', 'person_id']) {
          if (merged[name] !== values[name]) el.querySelector(`#pick-${name}`).value = form.querySelector(`#pick-${name}`)?.value || '';
        }
        mountForm(el, { id: theirs.id, revision, booking: theirs });
        state.form.original = values;
        state.dirty = true;
        save();
      },
      onDiscard: () => {
        state.dirty = false;
        showForm(theirs);
        toast(t('conflict_discarded'));
      },
    });
  } catch (e) {
    showFailure(form, e);
  }
}

// ----- changing a whole series -----------------------------------------------------------

function showSeriesForm(b) {
  const form = h('form', { class: 'record-form', id: 'series-form', novalidate: true },
    h('div', { class: 'form-head' }, h('h2', {}, t('rooms_series_change')), closeButton()),
    h('p', { class: 'muted' }, t('rooms_series_change_help')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('rooms_series',
      field({ name: 'from_day', labelKey: 'rooms_from_day', value: formatDate(b.day), hintKey: 'hint_date', required: true }),
      field({ name: 'starts', labelKey: 'rooms_f_starts', value: short(b.starts), hintKey: 'rooms_hint_time', required: true }),
      field({ name: 'ends', labelKey: 'rooms_f_ends', value: short(b.ends), hintKey: 'rooms_hint_time', required: true }),
      field({ name: 'purpose', labelKey: 'rooms_f_purpose', value: b.purpose, required: true, wide: true }),
      field({ name: 'people_count', labelKey: 'rooms_f_people', value: b.people_count ? String(b.people_count) : '' }),
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: b.notes || '', wide: true })),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-series-change' }, t('rooms_series_change_save'), h('kbd', {}, 'Ctrl+S')),
      h('button', { type: 'button', onclick: () => cancel() }, t('cancel'))));
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  state.form = { el: form, kind: 'series', id: b.id, seriesId: b.series_id };
  state.dirty = false;
  showSide(form);
  form.querySelector('input[name=starts]').focus();
}

async function saveSeriesChange() {
  const f = state.form;
  const form = f.el;
  clearErrors(form);
  try {
    const n = await api.changeSeries(f.seriesId, collect(form));
    state.form = null;
    state.dirty = false;
    toast(t('rooms_series_changed', { n, count: n }));
    await render();
    await openBooking(f.id);
  } catch (err) {
    showFailure(form, err);
  }
}

async function cancel() {
  if (state.form) {
    if (!(await mayLeave(state))) return;
    const back = state.form.id;
    state.form = null;
    state.dirty = false;
    if (back) { await openBooking(back); return; }
  }
  closeSide();
}

// ----- files -----------------------------------------------------------------------------

async function printDoor() {
  const days = shownDays();
  try {
    const path = await api.doorSchedulePdf(state.mode === 'week' ? state.resourceId : null, iso(days[0]), days.length);
    if (path) { toast(t('rooms_door_saved', { path })); offerSaved(path); }
  } catch (err) {
    reportError(err);
  }
}

async function exportIcs() {
  const from = shownDays()[0];
  try {
    const path = await api.exportBookingsIcs(state.mode === 'week' ? state.resourceId : null, iso(from), iso(addDays(from, 365)));
    if (path) toast(t('rooms_ics_saved', { path }));
  } catch (err) {
    reportError(err);
  }
}

// ----- the view --------------------------------------------------------------------------

function selectRoom(id) {
  if (!state.resources.some((r) => r.id === id)) return;
  state.resourceId = id;
  localStorage.setItem(PREF_ROOM, String(id));
  if (state.roomSelect) state.roomSelect.value = String(id);
}

function roomOptions() {
  return state.resources.map((r) => h('option', { value: String(r.id), selected: r.id === state.resourceId }, r.name));
}

function mountEmpty(main) {
  state.grid = null;
  main.replaceChildren(h('div', { class: 'rooms' },
    h('div', { class: 'pane-title' }, h('h1', {}, t('nav_rooms'))),
    h('div', { class: 'empty-wrap' }, emptyState(t('rooms_none'),
      h('button', { type: 'button', class: 'primary', id: 'rooms-to-settings', onclick: () => import('../app.js').then((a) => a.go('settings', { section: 'rooms' })) }, t('rooms_none_go'))))));
}

function mountCalendar(main) {
  state.label = h('h2', { class: 'cal-label rooms-label', id: 'rooms-label', 'aria-live': 'polite' });
  state.count = h('span', { class: 'count' });
  state.grid = h('div', { class: 'rg', id: 'rooms-grid', role: 'group', onkeydown: onGridKey, onfocusin: onGridFocus });
  state.cal = h('div', { class: 'rooms-cal' }, h('p', { class: 'visually-hidden' }, t('rooms_grid_help')), state.grid);
  state.side = h('section', { class: 'detail-pane rooms-side', id: 'rooms-side', 'aria-live': 'polite', hidden: true });
  state.body = h('div', { class: 'rooms-body' }, state.cal, state.side);
  state.modeButtons = [['week', 'rooms_mode_week'], ['day', 'rooms_mode_day']].map(([m, key]) => h('button', {
    type: 'button', id: `rooms-${m}`, dataset: { mode: m },
    onclick: () => { state.mode = m; render(); },
  }, t(key)));
  state.roomSelect = h('select', {
    id: 'rooms-room',
    onchange: () => { selectRoom(Number(state.roomSelect.value)); render(); },
  }, roomOptions());
  state.roomWrap = h('div', { class: 'rooms-room' }, h('label', { for: 'rooms-room', class: 'visually-hidden' }, t('rooms_f_resource')), state.roomSelect);
  state.root = h('div', { class: 'rooms' },
    h('div', { class: 'pane-title' }, h('h1', {}, t('nav_rooms')), state.count,
      h('div', { class: 'cal-nav' },
        h('button', { type: 'button', id: 'rooms-prev', 'aria-label': t('rooms_prev'), title: t('rooms_prev'), onclick: () => move(-1) }, '◀'),
        h('button', { type: 'button', id: 'rooms-today', onclick: () => { state.anchor = new Date(); render(); } }, t('rooms_today')),
        h('button', { type: 'button', id: 'rooms-next', 'aria-label': t('rooms_next'), title: t('rooms_next'), onclick: () => move(1) }, '▶')),
      h('div', { class: 'seg', role: 'group', 'aria-label': t('rooms_view') }, state.modeButtons),
      state.roomWrap,
      h('button', { type: 'button', class: 'primary', id: 'rooms-new', onclick: () => showForm(null) }, t('rooms_new'))),
    h('div', { class: 'rooms-bar' }, state.label,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'small', id: 'rooms-door-pdf', title: t('rooms_door_pdf_hint'), onclick: printDoor }, t('rooms_door_pdf')),
        h('button', { type: 'button', class: 'small', id: 'rooms-ics', title: t('rooms_ics_hint'), onclick: exportIcs }, t('rooms_ics')))),
    h('div', { class: 'rooms-main' }, state.body));
  main.replaceChildren(state.root);
}

async function mountView(main, params = {}) {
  state.main = main;
  state.resources = await api.listResources(false);
  if (!state.resources.length) { mountEmpty(main); return; }
  const wanted = Number(params.resource) || Number(localStorage.getItem(PREF_ROOM)) || state.resourceId;
  state.resourceId = state.resources.some((r) => r.id === wanted) ? wanted : state.resources[0].id;
  mountCalendar(main);
  await render();
}

/** Colleagues' bookings (and new rooms) shown in place; an open record or form stays. */
async function reloadLive() {
  if (!state.main?.isConnected) return;
  let resources;
  try {
    resources = await api.listResources(false);
  } catch {
    return;
  }
  const changed = JSON.stringify(resources) !== JSON.stringify(state.resources);
  if (!state.grid) {
    if (resources.length) await mountView(state.main, {});
    return;
  }
  if (changed && resources.length) {
    state.resources = resources;
    if (!resources.some((r) => r.id === state.resourceId)) state.resourceId = resources[0].id;
    state.roomSelect.replaceChildren(...roomOptions());
  }
  await render({ quiet: true });
}

export const roomsView = {
  async mount(main, params = {}) {
    // A form left through the window's "Porzuć zmiany" does not come back when the view does.
    state.form = null;
    state.dirty = false;
    state.openId = null;
    state.focusKey = null;
    state.anchor = params.date ? fromIso(params.date) : new Date();
    if (params.mode === 'week' || params.mode === 'day') state.mode = params.mode;
    await mountView(main, params);
    if (params.open && state.grid) await openBooking(params.open);
  },
  newRecord: () => (state.grid ? showForm(null) : null),
  save,
  cancel: () => (state.grid && !state.side.hidden ? cancel() : null),
  hasUnsavedChanges: () => !!(state.form && state.dirty),
  currentParams: () => ({ date: iso(state.anchor), mode: state.mode, resource: state.resourceId }),
  live: { kinds: ['rooms', 'organizations'], reload: reloadLive },
};
