// Dziś: where the day starts. Follow-ups due, today's and the coming week's events, the last
// good backup and mail campaigns still in progress, from one compact call; every item opens its
// record or view.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { formatDate, formatCount } from '../format.js';
import { reportError } from '../ui.js';

async function go(view, params) {
  const app = await import('../app.js');
  await app.go(view, params);
}

/** "10:00–12:00" from the core's "2026-11-30T10:00:00". */
export function timeRange(e) {
  const start = e.starts_at.slice(11, 16);
  const end = e.ends_at && e.ends_at.slice(0, 10) === e.starts_at.slice(0, 10) ? e.ends_at.slice(11, 16) : '';
  return end ? `${start}–${end}` : start;
}

/** "12 / 20 miejsc" or "12 zapisanych" when the event has no limit; the waiting list after it. */
export function placesText(e) {
  const base = e.capacity ? t('today_places', { n: e.registered, capacity: e.capacity }) : t('today_registered', { n: e.registered, count: e.registered });
  return e.waiting ? `${base}, ${t('today_waiting', { n: e.waiting })}` : base;
}

function card(id, titleKey, count, body, more) {
  return h('section', { class: 'today-card', id, 'aria-labelledby': `${id}-title` },
    h('header', { class: 'today-card-head' },
      h('h2', { id: `${id}-title` }, t(titleKey)),
      count !== null ? h('span', { class: 'today-count' }, formatCount(count)) : null),
    body,
    more ? h('p', { class: 'today-more' }, more) : null);
}

function eventItem(e, withDate) {
  return h('li', {},
    h('button', { type: 'button', class: 'today-item', dataset: { event: e.id }, onclick: () => go('events', { open: e.id }) },
      h('span', { class: 'today-when' }, withDate ? `${formatDate(e.starts_at)} ${timeRange(e)}` : timeRange(e)),
      h('span', { class: 'today-what' }, e.title),
      h('span', { class: 'today-detail' }, [e.place, placesText(e)].filter(Boolean).join(' · '))));
}

function followUps(page) {
  if (!page) return null;
  const list = page.items.length
    ? h('ul', { class: 'today-list' }, page.items.map((a) => h('li', {},
      h('button', { type: 'button', class: 'today-item', dataset: { advice: a.id }, onclick: () => go('advice', { open: a.id }) },
        h('span', { class: 'today-when' }, formatDate(a.follow_up_on)),
        h('span', { class: 'today-what' }, a.client),
        h('span', { class: 'today-detail' }, a.categories)))))
    : h('p', { class: 'muted' }, t('today_no_follow_ups'));
  const more = page.total > page.items.length
    ? h('button', { type: 'button', class: 'link', onclick: () => go('advice', { due: true }) }, t('today_all_follow_ups', { n: formatCount(page.total) }))
    : null;
  return card('today-follow-ups', 'today_follow_ups', page.total, list, more);
}

function events(s) {
  const todayList = s.events_today.length
    ? h('ul', { class: 'today-list' }, s.events_today.map((e) => eventItem(e, false)))
    : h('p', { class: 'muted' }, t('today_no_events'));
  const week = s.events_week;
  const weekList = week.items.length
    ? h('ul', { class: 'today-list' }, week.items.map((e) => eventItem(e, true)))
    : h('p', { class: 'muted' }, t('today_no_week_events'));
  const calendar = h('button', { type: 'button', class: 'link', onclick: () => go('calendar', {}) }, t('today_open_calendar'));
  return [
    card('today-events', 'today_events', s.events_today.length, todayList, null),
    card('today-week', 'today_week', week.total, weekList, calendar),
  ];
}

function backup(b) {
  const when = b.last_good ? `${formatDate(b.last_good)} ${b.last_good.slice(11, 16)}` : null;
  const body = h('div', {},
    h('p', { class: b.old ? 'today-warn' : '' }, when ? t('today_backup_at', { at: when }) : t('today_backup_none')),
    b.old ? h('p', { class: 'today-warn', role: 'note' }, t('today_backup_old')) : null);
  return card('today-backup', 'today_backup', null, body,
    h('button', { type: 'button', class: 'link', id: 'today-open-backups', onclick: () => go('backups', {}) }, t('nav_backups')));
}

function campaigns(page) {
  const list = page.items.length
    ? h('ul', { class: 'today-list' }, page.items.map((m) => h('li', {},
      h('button', { type: 'button', class: 'today-item', dataset: { message: m.id }, onclick: () => go('mail', { open: m.id }) },
        h('span', { class: 'today-what' }, m.subject),
        h('span', { class: 'today-detail' }, [
          m.status === 'paused' ? t('today_paused') : null,
          m.queued ? t('today_queued', { n: formatCount(m.queued) }) : null,
          m.uncertain ? t('today_uncertain', { n: formatCount(m.uncertain) }) : null,
          m.failed ? t('today_failed', { n: formatCount(m.failed) }) : null,
          t('today_sent', { n: formatCount(m.sent) }),
        ].filter(Boolean).join(' · '))))))
    : h('p', { class: 'muted' }, t('today_no_campaigns'));
  return card('today-mail', 'today_mail', page.total, list,
    h('button', { type: 'button', class: 'link', onclick: () => go('mail', {}) }, t('nav_mail')));
}

export const todayView = {
  async mount(main) {
    const title = h('div', { class: 'pane-title' }, h('h1', {}, t('nav_today')), h('span', { class: 'count' }, ''));
    const grid = h('div', { class: 'today-grid', 'aria-busy': 'true' });
    main.replaceChildren(h('div', { class: 'today' }, title, grid));
    try {
      const s = await api.todaySummary();
      title.querySelector('.count').textContent = new Intl.DateTimeFormat(getLang() === 'pl' ? 'pl-PL' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
        .format(new Date(`${s.today}T12:00:00`));
      grid.replaceChildren(...[followUps(s.follow_ups), ...events(s), backup(s.backup), campaigns(s.campaigns)].filter(Boolean));
      grid.removeAttribute('aria-busy');
    } catch (err) {
      reportError(err);
    }
  },
};
