// Konsultacje aktów › "Powiadom organizacje": the app's dialog chooses which organisations of the
// register hear of a consultation (spheres of public benefit, a town, OPP only, members only),
// counting the recipients while it is changed; the core then prepares the notice as a draft in
// Poczta to that segment (the same draft again while it is unsent), which opens there. The
// consultation's record says when the notice is prepared and opens it.

import { api } from '../api.js';
import { h, debounce } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount } from '../format.js';
import { field, collect } from '../form.js';
import { toast, reportError, openDialog, referenceData } from '../ui.js';

const openInMail = (id) => import('../app.js').then((a) => a.go('mail', { open: id }));

function segmentFrom(v) {
  return {
    audience: 'organizations',
    areas: v.areas || [],
    city: (v.city || '').trim(),
    public_benefit_only: !!v.public_benefit_only,
    members_only: !!v.members_only,
  };
}

/** The line on the consultation's record once its notice is prepared; null before. */
export function noticeLine(a) {
  if (!a.notice_message_id) return null;
  return h('p', { class: 'coop-notice-ready', id: 'coop-notice-ready', role: 'status' },
    h('span', { class: 'badge' }, t('coop_notice_ready')), ' ',
    h('button', { type: 'button', class: 'link', id: 'coop-notice-open', onclick: () => openInMail(a.notice_message_id) }, t('coop_notice_open')));
}

/** Asks for the segment, prepares the notice and opens it in Poczta. */
export async function notifyOrganizations(a) {
  let areas;
  try {
    areas = (await referenceData()).areas.filter((x) => x.active);
  } catch (err) {
    reportError(err);
    return;
  }
  const segment = await openDialog((close) => {
    const count = h('div', { class: 'audience', id: 'coop-notice-count', 'aria-live': 'polite' }, h('p', { class: 'audience-total' }, '…'));
    const go = h('button', { type: 'submit', class: 'primary', id: 'coop-notice-go' }, t('coop_notice_go'));
    const form = h('form', { class: 'dialog-body wide coop-notice', id: 'coop-notice-form', novalidate: true },
      h('h2', {}, t('coop_notice_title')),
      h('p', { class: 'muted' }, t('coop_notice_help')),
      h('p', { class: 'coop-notice-act' }, t('coop_notice_of', { title: a.title })),
      h('fieldset', { class: 'coop-notice-areas', dataset: { field: 'areas' } }, h('legend', {}, t('coop_notice_areas')),
        h('div', { class: 'coop-notice-area-list' }, areas.map((x) => h('label', { class: 'check' },
          h('input', { type: 'checkbox', name: 'areas', value: x.code, dataset: { multi: '1' } }), h('span', {}, `${x.code}. ${x.name}`))))),
      h('div', { class: 'coop-notice-more' },
        field({ name: 'city', labelKey: 'coop_notice_city', hintKey: 'coop_notice_city_hint' }),
        field({ name: 'public_benefit_only', labelKey: 'coop_notice_opp', kind: 'checkbox' }),
        field({ name: 'members_only', labelKey: 'coop_notice_members', kind: 'checkbox' })),
      count,
      h('div', { class: 'actions' },
        go,
        h('button', { type: 'button', id: 'coop-notice-cancel', onclick: () => close(null) }, t('cancel'))));
    let asked = 0;
    const recount = debounce(async () => {
      const mine = ++asked;
      try {
        const c = await api.segmentCount(segmentFrom(collect(form)));
        if (mine !== asked) return;
        count.replaceChildren(...[
          h('p', { class: 'audience-total' }, t('coop_notice_count', { n: formatCount(c.recipients), count: c.recipients })),
          c.left_out.length ? h('ul', { class: 'left-out' }, c.left_out.map((l) => h('li', {}, `${l.label}: ${formatCount(l.count)}`))) : null].filter(Boolean));
        count.dataset.recipients = String(c.recipients);
      } catch (err) {
        reportError(err);
      }
    }, 200);
    form.addEventListener('input', recount);
    form.addEventListener('change', recount);
    form.addEventListener('submit', (e) => { e.preventDefault(); close(segmentFrom(collect(form))); });
    recount();
    return form;
  });
  if (!segment) return;
  try {
    const n = await api.consultationNotice(a.id, segment);
    toast(t('coop_notice_done', { n: formatCount(n.count.recipients), count: n.count.recipients }));
    await openInMail(n.message_id);
  } catch (err) {
    reportError(err);
  }
}
