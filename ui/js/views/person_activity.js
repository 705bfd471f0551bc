// A person's advice, events and consultations on their page: compact lists (the newest few and
// how many in all), each line opening its record. Loaded after the page shows, from one call.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate, formatCount } from '../format.js';
import { reportError } from '../ui.js';

const SHOWN = 10;

async function go(view, params) {
  const app = await import('../app.js');
  await app.go(view, params);
}

/**
 * Whether this page may show the person's advice. The core leaves `advice` out for users who
 * may not see advice (roles on the shared server); this is the one place the page asks.
 */
export function mayShowAdvice(overview) {
  return overview.advice !== null && overview.advice !== undefined;
}

function section(id, titleKey, page, noneKey, line) {
  const more = page.total > page.items.length ? h('p', { class: 'muted' }, t('person_shown_of', { n: formatCount(page.items.length), total: formatCount(page.total) })) : null;
  return h('section', { class: 'facts-group', id },
    h('h3', {}, t(titleKey), page.total ? ` (${formatCount(page.total)})` : ''),
    page.items.length ? h('ul', { class: 'activity-list' }, page.items.map((x) => h('li', {}, line(x)))) : h('p', { class: 'muted' }, t(noneKey)),
    more);
}

function eventStatus(e) {
  if (e.status === 'waiting') return t('person_event_waiting');
  return e.attended ? t('person_event_attended') : t('person_event_registered');
}

/** The three sections, filled once the overview arrives. */
export function personActivitySections(personId) {
  const box = h('div', { class: 'person-activity', id: 'person-activity' }, h('p', { class: 'muted' }, '…'));
  api.personOverview(personId, SHOWN).then((o) => {
    box.replaceChildren(
      mayShowAdvice(o) ? section('person-advice', 'person_advice', o.advice, 'person_no_advice', (a) => [
        h('button', { type: 'button', class: 'link', dataset: { advice: a.id }, onclick: () => go('advice', { open: a.id }) }, formatDate(a.given_on)),
        ` ${a.categories || '—'}`,
        a.advisor ? h('span', { class: 'muted' }, t('person_advice_advisor', { name: a.advisor })) : null,
      ]) : null,
      section('person-events', 'person_events', o.events, 'person_no_events', (e) => [
        h('button', { type: 'button', class: 'link', dataset: { event: e.event_id }, onclick: () => go('events', { open: e.event_id }) }, formatDate(e.starts_at)),
        ` ${e.title}`,
        h('span', { class: 'muted' }, eventStatus(e)),
      ]),
      section('person-consultations', 'person_consultations', o.consultations, 'person_no_consultations', (c) => [
        h('button', { type: 'button', class: 'link', dataset: { consultation: c.id }, onclick: () => go('consultations', { open: c.id }) }, formatDate(c.given_on)),
        ` ${c.topic_name}`,
        c.organization_name ? h('span', { class: 'muted' }, c.organization_name) : null,
      ]));
  }).catch((err) => {
    box.replaceChildren();
    reportError(err);
  });
  return box;
}
