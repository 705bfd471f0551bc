// "Oferty i umowy" on an organisation's page: its offers in competitions and under art. 19a,
// newest first (status, grant, contract); each opens in Współpraca. Beside it "Współpraca
// pozafinansowa": the opinions it sent on draft acts (each opens the consultation), the teams it
// sits on (each opens the team) and the cooperation log's entries naming it; a part with nothing
// is left out, one line says when all are empty. Loaded after the record shows.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDate, formatMoney, formatPeriod } from '../format.js';
import { reportError } from '../ui.js';

const SHOWN = 10;
const STATUS_KEYS = { submitted: 'coop_status_submitted', rejected_formal: 'coop_status_rejected_formal', refused: 'coop_status_refused', granted: 'coop_status_granted' };
const HANDLING_KEYS = { pending: 'coop_handling_pending', accepted: 'coop_handling_accepted', partly: 'coop_handling_partly', rejected: 'coop_handling_rejected' };
const ROLE_KEYS = { chair: 'coop_org_role_chair', secretary: 'coop_org_role_secretary', member: 'coop_org_role_member' };
const TEAM_KIND_KEYS = { joint_team: 'coop_org_kind_joint_team', working_group: 'coop_org_kind_working_group' };
const ACTIVITY_KEYS = { patronage: 'coop_org_activity_patronage', information: 'coop_org_activity_information', premises: 'coop_org_activity_premises', other: 'coop_org_activity_other' };

const go = (view, params) => import('../app.js').then((a) => a.go(view, params));

export function orgOffersSection(organizationId) {
  const body = h('div', {}, h('p', { class: 'muted' }, '…'));
  const open = (o) => go('cooperation', { offer: o.id, competition: o.competition_id });
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
  const fragment = document.createDocumentFragment();
  fragment.append(
    h('section', { class: 'facts-group', id: 'org-offers-section' }, h('h3', {}, t('coop_org_title')), body),
    cooperationSection(organizationId));
  return fragment;
}

/** One headed part of the non-financial cooperation: at most SHOWN lines, the rest counted. */
function part(id, titleKey, items, line) {
  if (!items.length) return null;
  const more = items.length - SHOWN;
  return h('div', { class: 'org-coop-part', id: `${id}-part` },
    h('h4', {}, t(titleKey)),
    h('ul', { class: 'org-lines', id }, items.slice(0, SHOWN).map(line)),
    more > 0 ? h('p', { class: 'org-more muted' }, t('coop_org_more_items', { n: more })) : null);
}

function cooperationSection(organizationId) {
  const body = h('div', {}, h('p', { class: 'muted' }, '…'));
  api.organizationCooperation(organizationId).then((c) => {
    const parts = [
      part('org-opinions', 'coop_org_opinions', c.opinions, (o) => h('li', { dataset: { opinion: o.id, consultation: o.consultation_id } },
        h('button', {
          type: 'button', class: 'link',
          onclick: () => go('cooperation', { tab: 'acts', act: o.consultation_id, year: Number(String(o.received_on).slice(0, 4)) || undefined }),
        }, `${formatDate(o.received_on)} · ${o.consultation_title}`),
        o.section ? h('span', { class: 'muted' }, ` · ${o.section}`) : null,
        h('span', { class: `badge handling-${o.handling}` }, t(HANDLING_KEYS[o.handling] || 'coop_handling_pending')))),
      part('org-teams', 'coop_org_teams', c.teams, (m) => h('li', { dataset: { team: m.team_id } },
        h('button', { type: 'button', class: 'link', onclick: () => go('cooperation', { tab: 'teams', team: m.team_id }) }, m.team_name),
        h('span', { class: 'muted' }, ` · ${t(TEAM_KIND_KEYS[m.kind] || 'coop_org_kind_joint_team')} · ${t(ROLE_KEYS[m.role] || 'coop_org_role_member')}`
          + `${m.representative ? ` (${m.representative})` : ''} · ${m.ends_on ? formatPeriod(m.starts_on, m.ends_on) : t('coop_org_since', { date: formatDate(m.starts_on) })}`))),
      part('org-activities', 'coop_org_activities', c.activities, (a) => h('li', { dataset: { activity: a.id } },
        h('span', {}, `${formatDate(a.held_on)} · ${t(ACTIVITY_KEYS[a.kind] || 'coop_org_activity_other')}: ${a.title}`),
        a.notes ? h('span', { class: 'muted', title: a.notes }, ` — ${a.notes.length > 120 ? `${a.notes.slice(0, 120)}…` : a.notes}`) : null)),
    ].filter(Boolean);
    body.replaceChildren(...(parts.length ? parts : [h('p', { class: 'muted', id: 'org-coop-none' }, t('coop_org_coop_none'))]));
  }).catch(reportError);
  return h('section', { class: 'facts-group', id: 'org-cooperation-section' }, h('h3', {}, t('coop_org_coop_title')), body);
}
