// "Korespondencja" on an organisation's page: its address agreement and its ten newest items,
// the waiting ones marked; each opens in Korespondencja. Loaded after the record shows.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate } from '../format.js';
import { reportError } from '../ui.js';

const SHOWN = 10;
const KIND_KEYS = { list: 'letters_kind_list', polecony: 'letters_kind_polecony', paczka: 'letters_kind_paczka', awizo: 'letters_kind_awizo' };

const today = () => {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

export function orgLettersSection(organizationId, organizationName) {
  const agreementBox = h('p', { class: 'muted', id: 'org-agreement' }, '…');
  const body = h('div', {});
  const go = (params) => import('../app.js').then((a) => a.go('letters', params));
  const openLog = () => go({ organization: organizationId, organization_name: organizationName });
  api.listAgreements(organizationId).then((list) => {
    const now = today();
    const a = list.find((x) => x.valid_from <= now && (!x.valid_until || x.valid_until >= now)) || list[0];
    if (!a) { agreementBox.textContent = t('letters_org_no_agreement'); return; }
    const ended = a.valid_until && a.valid_until < now;
    agreementBox.className = '';
    agreementBox.replaceChildren(...[`${t('letters_agreement')}: ${formatDate(a.valid_from)} – ${a.valid_until ? formatDate(a.valid_until) : t('letters_open_ended')}`,
      ended ? h('span', { class: 'badge muted' }, t('letters_ended')) : null,
      a.contact_email ? h('span', { class: 'muted' }, ` · ${a.contact_email}`) : null].filter(Boolean));
  }).catch(reportError);
  api.listLetters({ organization_id: organizationId, limit: SHOWN, offset: 0 }).then((page) => {
    if (!page.items.length) { body.replaceChildren(h('p', { class: 'muted' }, t('letters_org_none'))); return; }
    const more = page.total - page.items.length;
    body.replaceChildren(...[
      h('ul', { class: 'org-lines', id: 'org-letters' }, page.items.map((l) => h('li', { dataset: { letter: l.id } },
        h('button', { type: 'button', class: 'link', onclick: () => go({ tab: 'log', open: l.id }) },
          `${formatDate(l.received_on)} · ${t(KIND_KEYS[l.kind] || 'letters_kind_list')} · ${l.sender}`),
        l.picked_up_on ? null : h('span', { class: 'badge warning' }, t('letters_waiting_badge')),
        l.outside_agreement ? h('span', { class: 'badge error' }, t('letters_outside')) : null))),
      more > 0 ? h('p', { class: 'org-more muted' }, t('letters_org_more', { n: more, count: more })) : null].filter(Boolean));
  }).catch(reportError);
  return h('section', { class: 'facts-group', id: 'org-letters-section' },
    h('h3', {}, t('nav_letters')),
    agreementBox,
    body,
    h('p', { class: 'org-more' }, h('button', { type: 'button', class: 'link', id: 'org-letters-open', onclick: openLog }, t('letters_org_open'))));
}
