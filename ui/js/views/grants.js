// Konkursy: grant-call notices (funder, title, deadline, amount, spheres funded, link). One
// click builds the segment of organisations working in those spheres and a notice draft.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount, formatDate } from '../format.js';
import { field, group, collect, clearErrors, showFailure } from '../form.js';
import { RecordList } from '../recordlist.js';
import { toast, reportError, confirmDialog, splitLayout, emptyState, referenceData, mayLeave, showPlaceholder } from '../ui.js';
import { go } from '../app.js';

const state = { panes: null, list: null, form: null, dirty: false, openId: null, ref: null };

function isPast(deadline) {
  return deadline < new Date().toISOString().slice(0, 10);
}

function renderRow([id, funder, title, deadline]) {
  return h('div', { class: `arow grantrow${isPast(deadline) ? ' muted' : ''}`, dataset: { id } },
    h('span', { class: 'cell name' }, h('span', { class: 'primary-text' }, title), h('span', { class: 'subline' }, funder)),
    h('span', { class: 'cell' }, formatDate(deadline)));
}

async function reload() {
  await state.list.reload();
}

function mountList() {
  state.list = new RecordList({
    titleKey: 'nav_grants',
    actions: [h('button', { type: 'button', class: 'primary', id: 'new-grant', onclick: () => showForm(null) }, t('grants_new'))],
    above: [h('div', { class: 'listhead arow grantrow' }, h('span', { class: 'colhead static' }, t('grants_title')), h('span', { class: 'colhead static' }, t('grants_deadline')))],
    empty: () => emptyState(t('grants_empty'), h('button', { type: 'button', class: 'primary', onclick: () => showForm(null) }, t('grants_new'))),
    fetchPage: (offset, limit) => api.listGrantCalls(offset, limit),
    renderRow,
    onOpen: (row) => open(row[0]),
  });
  state.panes.list.replaceChildren(...state.list.pane);
}

const placeholder = () => showPlaceholder(state.panes.detail, 'grants_pick');

const confirmLeaveForm = () => mayLeave(state);

function areaName(code) {
  const a = state.ref.areas.find((x) => x.code === code);
  return a ? `${a.code}. ${a.name}` : code;
}

async function open(id) {
  if (!(await confirmLeaveForm())) return;
  try {
    const g = await api.getGrantCall(id);
    state.openId = id;
    state.form = null;
    state.dirty = false;
    const pairs = [['grants_funder', g.funder], ['grants_deadline', formatDate(g.deadline)], ['grants_amount', g.amount]].filter(([, v]) => v);
    state.panes.detail.replaceChildren(h('article', { class: 'record', id: 'grant-record' },
      h('header', { class: 'record-head' },
        h('div', {}, h('h2', { class: 'record-title' }, g.title), h('p', { class: 'record-sub' }, g.funder)),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: 'grant-campaign', onclick: () => campaign(g) }, t('grants_campaign')),
          h('button', { type: 'button', id: 'edit-record', onclick: () => showForm(g) }, t('edit')),
          h('button', { type: 'button', onclick: async () => {
            if (!(await confirmDialog(t('grants_delete_confirm', { title: g.title }), t('delete')))) return;
            try { await api.deleteGrantCall(g.id); await reload(); placeholder(); } catch (err) { reportError(err); }
          } }, t('delete')))),
      h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]),
        g.link ? [h('dt', {}, t('grants_link')), h('dd', {}, g.link)] : null),
      g.areas.length ? h('section', { class: 'facts-group' }, h('h3', {}, t('grants_areas')), h('ul', {}, g.areas.map((a) => h('li', {}, areaName(a))))) : null,
      g.notes ? h('section', { class: 'facts-group' }, h('h3', {}, t('f_notes')), h('p', { class: 'prewrap' }, g.notes)) : null,
      g.messages.length ? h('section', { class: 'facts-group' }, h('h3', {}, t('grants_notices')),
        h('ul', {}, g.messages.map((mid) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => go('mail', { open: mid }) }, t('grants_open_notice', { id: mid })))))) : null));
    state.list.markSelected((row) => row[0] === id);
  } catch (err) {
    reportError(err);
  }
}

async function campaign(g) {
  try {
    const c = await api.grantCallCampaign(g.id);
    toast(t('grants_campaign_done', { n: formatCount(c.count.recipients), count: c.count.recipients }));
    await go('mail', { open: c.message_id });
  } catch (err) {
    reportError(err);
  }
}

async function showForm(g) {
  if (!(await confirmLeaveForm())) return;
  const chosen = g?.areas || [];
  const form = h('form', { class: 'record-form', id: 'grant-form', novalidate: true },
    h('h2', {}, g ? t('grants_edit') : t('grants_new')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('grants_grp',
      field({ name: 'title', labelKey: 'grants_title', value: g?.title || '', required: true, wide: true }),
      field({ name: 'funder', labelKey: 'grants_funder', value: g?.funder || '', required: true }),
      field({ name: 'deadline', labelKey: 'grants_deadline', value: g ? formatDate(g.deadline) : '', hintKey: 'hint_date', required: true }),
      field({ name: 'amount', labelKey: 'grants_amount', value: g?.amount || '' }),
      field({ name: 'link', labelKey: 'grants_link', value: g?.link || '', wide: true }),
      h('div', { class: 'field wide', dataset: { field: 'areas' } },
        h('fieldset', { class: 'checks' }, h('legend', {}, t('grants_areas')),
          state.ref.areas.filter((a) => a.active || chosen.includes(a.code)).map((a) => h('label', { class: 'check' },
            h('input', { type: 'checkbox', name: 'areas', value: a.code, checked: chosen.includes(a.code), dataset: { multi: '1' } }), ' ', `${a.code}. ${a.name}`))),
        h('p', { class: 'field-error', hidden: true })),
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: g?.notes || '', wide: true })),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-grant' }, t('save'), h('kbd', {}, 'Ctrl+S')),
      h('button', { type: 'button', onclick: () => { state.form = null; if (state.openId) open(state.openId); else placeholder(); } }, t('cancel'))));
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = collect(form);
    try {
      const id = await api.saveGrantCall(g?.id ?? null, { ...v, areas: v.areas || [] });
      state.form = null;
      state.dirty = false;
      toast(t('saved'));
      await reload();
      await open(id);
    } catch (err) {
      showFailure(form, err);
    }
  });
  state.form = { el: form };
  state.dirty = false;
  state.panes.detail.replaceChildren(form);
  form.querySelector('input[name=title]').focus();
}

export const grantsView = {
  async mount(main) {
    state.ref = await referenceData();
    // A form left through the window's "Porzuć zmiany" does not come back when the view does.
    state.form = null;
    state.dirty = false;
    state.panes = splitLayout();
    main.replaceChildren(state.panes.root);
    mountList();
    placeholder();
    await reload();
  },
  newRecord: () => showForm(null),
  save: () => state.form?.el.requestSubmit(),
  cancel: async () => { if (state.form && (await confirmLeaveForm())) { state.form = null; state.dirty = false; placeholder(); } },
  hasUnsavedChanges: () => !!(state.form && state.dirty),
  // Colleagues' changes: the list re-read in place, the record or form beside it untouched.
  live: { kinds: ['grants'], reload: () => state.list?.reloadQuietly(state.openId ? (row) => row[0] === state.openId : null) },
};
