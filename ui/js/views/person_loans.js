// "Biblioteka" on a person's page: the books they have now and borrowed before (the newest ten
// and how many in all), the overdue ones marked; each line opens its title in Biblioteka.
// Loaded after the page shows.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount, formatDate } from '../format.js';
import { reportError } from '../ui.js';

const SHOWN = 10;

export function personLoansSection(personId) {
  const body = h('div', {}, h('p', { class: 'muted' }, '…'));
  const heading = h('h3', {}, t('nav_library'));
  const go = (params) => import('../app.js').then((a) => a.go('library', params));
  api.listLoans({ status: 'all', person_id: personId, offset: 0, limit: SHOWN }).then((page) => {
    if (!page.items.length) { body.replaceChildren(h('p', { class: 'muted' }, t('library_person_none'))); return; }
    heading.append(` (${formatCount(page.total)})`);
    const more = page.total - page.items.length;
    body.replaceChildren(...[
      h('ul', { class: 'plain person-loans', id: 'person-loans' }, page.items.map((l) => h('li', { dataset: { loan: l.id } },
        h('button', { type: 'button', class: 'link', onclick: () => go({ open: l.item_id }) }, l.title),
        ` · ${formatDate(l.lent_on)} – `,
        l.returned_on ? formatDate(l.returned_on)
          : h('span', { class: l.days_overdue > 0 ? 'late' : '' },
            l.days_overdue > 0 ? t('library_person_late', { date: formatDate(l.due_on), n: l.days_overdue, count: l.days_overdue }) : t('library_person_out', { date: formatDate(l.due_on) }))))),
      more > 0 ? h('p', { class: 'muted' }, t('library_person_more', { n: formatCount(more), count: more })) : null].filter(Boolean));
  }).catch((err) => {
    body.replaceChildren();
    reportError(err);
  });
  return h('section', { class: 'facts-group', id: 'person-loans-section' }, heading, body);
}
