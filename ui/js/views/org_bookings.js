// "Rezerwacje sal" on an organisation's page: its ten newest bookings, each opening Sale at its
// day with the booking shown; loaded after the record shows.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate } from '../format.js';
import { reportError } from '../ui.js';

const SHOWN = 10;
const STATUS_KEYS = { tentative: 'rooms_status_tentative', confirmed: 'rooms_status_confirmed', cancelled: 'rooms_status_cancelled' };
/** "09:00" → "9:00", as people write hours. */
const short = (hhmm) => (hhmm ? hhmm.replace(/^0(\d)/, '$1') : '');

export function orgBookingsSection(organizationId) {
  const body = h('div', {}, h('p', { class: 'muted' }, '…'));
  const go = (params) => import('../app.js').then((a) => a.go('rooms', params));
  api.listBookings({ organization_id: organizationId, limit: SHOWN, offset: 0 }).then((page) => {
    if (!page.items.length) { body.replaceChildren(h('p', { class: 'muted' }, t('rooms_org_none'))); return; }
    const more = page.total - page.items.length;
    body.replaceChildren(...[
      h('ul', { class: 'org-lines', id: 'org-bookings' }, page.items.map((b) => h('li', { dataset: { booking: b.id } },
        h('button', { type: 'button', class: 'link', onclick: () => go({ date: b.day, mode: 'day', open: b.id }) },
          `${formatDate(b.day)} ${short(b.starts)}–${short(b.ends)} · ${b.resource_name}`),
        b.purpose ? h('span', { class: 'muted' }, ` — ${b.purpose}`) : null,
        b.status !== 'confirmed' ? h('span', { class: 'badge muted' }, t(STATUS_KEYS[b.status] || 'rooms_status_confirmed')) : null))),
      more > 0 ? h('p', { class: 'org-more' },
        h('button', { type: 'button', class: 'link', onclick: () => go({}) }, t('rooms_org_more', { n: more, count: more }))) : null].filter(Boolean));
  }).catch(reportError);
  return h('section', { class: 'facts-group', id: 'org-bookings-section' }, h('h3', {}, t('rooms_org_title')), body);
}
