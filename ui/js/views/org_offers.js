// "Oferty i umowy" on an organisation's page: its offers in competitions and under art. 19a,
// newest first (status, grant, contract); each opens in Współpraca. Loaded after the record shows.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate, formatMoney } from '../format.js';
import { reportError } from '../ui.js';

const SHOWN = 10;
const STATUS_KEYS = { submitted: 'coop_status_submitted', rejected_formal: 'coop_status_rejected_formal', refused: 'coop_status_refused', granted: 'coop_status_granted' };

export function orgOffersSection(organizationId) {
  const body = h('div', {}, h('p', { class: 'muted' }, '…'));
  const open = (o) => import('../app.js').then((a) => a.go('cooperation', { offer: o.id, competition: o.competition_id }));
  api.organizationOffers(organizationId).then((offers) => {
    if (!offers.length) { body.replaceChildren(h('p', { class: 'muted' }, t('coop_org_none'))); return; }
    const more = offers.length - SHOWN;
    body.replaceChildren(...[
      h('ul', { class: 'org-lines', id: 'org-offers' }, offers.slice(0, SHOWN).map((o) => h('li', { dataset: { offer: o.id } },
        h('button', { type: 'button', class: 'link', onclick: () => open(o) },
          `${formatDate(o.submitted_on)} · ${o.competition_title || t('coop_org_small')} · ${o.title}`),
        h('span', { class: `badge status-${o.status}` }, t(STATUS_KEYS[o.status] || 'coop_status_submitted')),
        o.granted_grosze ? h('span', { class: 'muted' }, ` ${formatMoney(o.granted_grosze)}`) : null,
        o.contract_number ? h('span', { class: 'muted' }, ` · ${o.contract_number}`) : null))),
      more > 0 ? h('p', { class: 'org-more muted' }, t('coop_org_more', { n: more, count: more })) : null].filter(Boolean));
  }).catch(reportError);
  return h('section', { class: 'facts-group', id: 'org-offers-section' }, h('h3', {}, t('coop_org_title')), body);
}
