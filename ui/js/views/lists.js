// Listy adresowe: saved segments (criteria: spheres, legal form, city, powiat, tag, OPP, union
// membership, role, a grant in a given year) with a live count of who may be written to and
// who is left out and why; static lists chosen by hand; CSV and BCC chunks for offices without SMTP; unsubscriptions
// and bounced addresses recorded against the register.

import { api, ApiError } from '../api.js';
import { h, debounce } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatCount, formatDateTime } from '../format.js';
import { field, group, collect, clearErrors, showFailure, grantYear } from '../form.js';
import { toast, reportError, confirmDialog, splitLayout, emptyState, referenceData, attachSuggestions, mayLeave, showPlaceholder } from '../ui.js';

const state = { panes: null, lists: [], form: null, dirty: false, openId: null, ref: null };

async function reload() {
  try {
    state.lists = await api.mailingLists();
    const items = state.lists.map((l) => h('li', {},
      h('button', { type: 'button', class: `list-item${l.id === state.openId ? ' selected' : ''}`, dataset: { id: l.id }, onclick: () => open(l.id) },
        h('span', { class: 'primary-text' }, l.name),
        h('span', { class: 'subline' }, `${l.is_segment ? t('lists_segment') : t('lists_static')} · ${t('mail_recipients_n', { n: formatCount(l.count.recipients), count: l.count.recipients })}`))));
    state.panes.list.replaceChildren(
      h('div', { class: 'pane-title' },
        h('h1', {}, t('nav_lists')),
        h('button', { type: 'button', class: 'primary', id: 'new-segment', onclick: () => showForm(null, true) }, t('lists_new_segment')),
        h('button', { type: 'button', id: 'new-static', onclick: () => showForm(null, false) }, t('lists_new_static'))),
      items.length ? h('ul', { class: 'plain-list', id: 'lists' }, items) : emptyState(t('lists_empty')),
      removalsSection());
  } catch (err) {
    reportError(err);
  }
}

/** Unsubscriptions ("wypisz" replies) and returned messages, typed in by the office. */
function removalsSection() {
  const form = h('form', { class: 'inline-form', id: 'removal-form', novalidate: true },
    h('div', { class: 'field', dataset: { field: 'address' } },
      h('label', { for: 'removal-address' }, t('lists_removal_address')),
      h('input', { id: 'removal-address', name: 'address', type: 'text', autocomplete: 'off' }),
      h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'field' },
      h('label', { for: 'removal-how' }, t('lists_removal_how')),
      h('select', { id: 'removal-how', name: 'how' }, h('option', { value: 'unsubscribed' }, t('lists_unsubscribed')), h('option', { value: 'bounced' }, t('lists_bounced')))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('lists_record_removal'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = collect(form);
    try {
      const r = await api.recordRemoval(v.address, v.how);
      toast(t('lists_removal_done', { people: r.people, orgs: r.organizations, consents: r.consents_withdrawn }));
      form.reset();
      await reload();
    } catch (err) {
      showFailure(form, err);
    }
  });
  const bounces = h('ul', { class: 'plain-list small', id: 'bounces' });
  api.bounces(0, 50).then((page) => {
    bounces.replaceChildren(...page.items.map(([address, at, reply]) => h('li', {},
      h('span', {}, address), ' ', h('span', { class: 'muted', title: reply }, formatDateTime(at)), ' ',
      h('button', { type: 'button', class: 'small', onclick: async () => { await api.removeBounce(address); await reload(); } }, t('lists_unbounce')))));
  }).catch(reportError);
  return h('section', { class: 'facts-group pane-section' }, h('h2', {}, t('lists_removals')), h('p', { class: 'muted' }, t('lists_removals_help')), form,
    h('h3', {}, t('lists_bounced_title')), bounces);
}

const placeholder = () => showPlaceholder(state.panes.detail, 'lists_pick');

const confirmLeaveForm = () => mayLeave(state);

async function open(id) {
  if (!(await confirmLeaveForm())) return;
  try {
    const list = await api.getMailingList(id);
    state.openId = id;
    await showForm(list, !!list.segment);
    for (const b of document.querySelectorAll('#lists .list-item')) b.classList.toggle('selected', Number(b.dataset.id) === id);
  } catch (err) {
    reportError(err);
  }
}

function checkboxes(name, choices, chosen) {
  return h('div', { class: 'field wide', dataset: { field: name } },
    h('fieldset', { class: 'checks' }, h('legend', {}, t(`lists_${name}`)),
      choices.map((c) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name, value: c.value, checked: chosen.includes(c.value), dataset: { multi: '1' } }), ' ', c.text))),
    h('p', { class: 'field-error', hidden: true }));
}

function countBox() {
  return h('div', { class: 'audience', id: 'audience', 'aria-live': 'polite' });
}

function showCount(box, c) {
  box.replaceChildren(...[
    h('p', { class: 'audience-total' }, t('lists_audience', { n: formatCount(c.recipients), count: c.recipients })),
    c.left_out.length ? h('ul', { class: 'left-out' }, c.left_out.map((l) => h('li', {}, `${l.label}: ${formatCount(l.count)}`))) : null].filter(Boolean));
}

function segmentFrom(v) {
  return {
    audience: v.audience,
    areas: v.areas || [],
    legal_forms: v.legal_forms || [],
    city: v.city || '',
    powiat: v.powiat || '',
    tag: v.tag || '',
    public_benefit_only: !!v.public_benefit_only,
    members_only: !!v.members_only,
    role: v.role || '',
    granted_in_year: grantYear(v.granted_in_year),
  };
}

async function showForm(list, isSegment) {
  if (!(await confirmLeaveForm())) return;
  state.ref ||= await referenceData();
  const s = list?.segment || {};
  const count = countBox();
  const roleList = h('datalist', { id: 'role-suggestions' }, state.ref.roles.map((r) => h('option', { value: r })));
  const form = h('form', { class: 'record-form', id: 'list-form', novalidate: true },
    h('h2', {}, list ? list.name : (isSegment ? t('lists_new_segment') : t('lists_new_static'))),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('lists_grp', field({ name: 'name', labelKey: 'lists_name', value: list?.name || '', required: true, wide: true })),
    count,
    isSegment ? group('lists_grp_criteria',
      field({ name: 'audience', labelKey: 'lists_audience_kind', kind: 'select', value: s.audience || 'organizations', options: [{ value: 'organizations', text: t('lists_to_orgs') }, { value: 'people', text: t('lists_to_people') }] }),
      field({ name: 'role', labelKey: 'lists_role', value: s.role || '', list: 'role-suggestions', hintKey: 'lists_role_hint' }),
      roleList,
      checkboxes('areas', state.ref.areas.filter((a) => a.active).map((a) => ({ value: a.code, text: `${a.code}. ${a.name}` })), s.areas || []),
      checkboxes('legal_forms', state.ref.legal_forms.map((f) => ({ value: f.code, text: label(f) })), s.legal_forms || []),
      field({ name: 'city', labelKey: 'f_city', value: s.city || '' }),
      field({ name: 'powiat', labelKey: 'f_powiat', value: s.powiat || '' }),
      field({ name: 'tag', labelKey: 'lists_tag', value: s.tag || '' }),
      field({ name: 'public_benefit_only', labelKey: 'lists_opp', kind: 'checkbox', value: !!s.public_benefit_only }),
      field({ name: 'members_only', labelKey: 'lists_members', kind: 'checkbox', value: !!s.members_only }),
      field({ name: 'granted_in_year', labelKey: 'granted_in_year', value: s.granted_in_year ? String(s.granted_in_year) : '', hintKey: 'granted_in_year_hint' })) : null,
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-list' }, t('save'), h('kbd', {}, 'Ctrl+S')),
      list ? h('button', { type: 'button', onclick: async () => {
        if (!(await confirmDialog(t('lists_delete_confirm', { name: list.name }), t('delete')))) return;
        try { await api.deleteMailingList(list.id); state.form = null; state.openId = null; await reload(); placeholder(); } catch (err) { reportError(err); }
      } }, t('delete')) : null),
    list && !isSegment ? await membersSection(list) : null,
    list ? withoutSmtpSection(list) : null);
  const updateCount = debounce(async () => {
    if (!isSegment) return;
    const v = collect(form);
    // A year still being typed is not counted yet; one the core refuses is said under its field.
    const year = (v.granted_in_year || '').trim();
    if (year && year.length < 4 && /^\d+$/.test(year)) return;
    const yearError = form.querySelector('[data-field=granted_in_year] .field-error');
    try {
      showCount(count, await api.segmentCount(segmentFrom(v)));
      if (yearError) { yearError.textContent = ''; yearError.hidden = true; }
    } catch (err) {
      const wrong = err instanceof ApiError && err.code === 'invalid' && err.fields.find((f) => f.field === 'granted_in_year');
      if (wrong && yearError) { yearError.textContent = wrong.message; yearError.hidden = false; } else reportError(err);
    }
  }, 250);
  form.addEventListener('input', () => { state.dirty = true; updateCount(); });
  form.addEventListener('change', () => updateCount());
  if (isSegment) {
    // A role only narrows people; for organisations' own addresses it does not apply.
    const roleField = form.querySelector('[data-field=role]');
    const syncRole = () => { roleField.hidden = form.elements.audience.value !== 'people'; };
    form.elements.audience.addEventListener('change', syncRole);
    syncRole();
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = collect(form);
    try {
      const id = await api.saveMailingList(list?.id ?? null, { name: v.name, segment: isSegment ? segmentFrom(v) : null });
      state.form = null;
      state.dirty = false;
      toast(t('saved'));
      state.openId = id;
      await reload();
      await open(id);
    } catch (err) {
      showFailure(form, err);
    }
  });
  state.form = { el: form };
  state.dirty = false;
  state.panes.detail.replaceChildren(form);
  if (isSegment) updateCount();
  else if (list) showCount(count, state.lists.find((l) => l.id === list.id)?.count || { recipients: 0, left_out: [] });
  form.querySelector('input[name=name]').focus();
}

async function membersSection(list) {
  const box = h('ul', { class: 'plain-list', id: 'list-members' });
  const load = async () => {
    const page = await api.listMembers(list.id, 0, 500);
    box.replaceChildren(...[...page.items.map(([orgId, personId, name]) => h('li', {},
      h('span', { class: `badge kind-${orgId ? 'organization' : 'person'}` }, t(orgId ? 'kind_organization' : 'kind_person')), ' ', name, ' ',
      h('button', { type: 'button', class: 'small', onclick: async () => {
        await api.removeListMember(list.id, orgId, personId);
        await reload();
        await open(list.id);
      } }, t('lists_remove_member')))),
    page.total > page.items.length ? h('li', { class: 'muted' }, t('lists_more_members', { n: formatCount(page.total - page.items.length) })) : null].filter(Boolean));
  };
  const adder = (kind, id) => {
    const input = h('input', { type: 'text', id, autocomplete: 'off', placeholder: t(kind === 'organization' ? 'lists_add_org' : 'lists_add_person') });
    const suggestions = attachSuggestions(input, {
      kind,
      onChoose: async (hit) => {
        try {
          await api.addListMembers(list.id, kind === 'organization' ? [hit.id] : [], kind === 'person' ? [hit.id] : []);
          input.value = '';
          toast(t('lists_member_added', { name: hit.name }));
          await reload();
          await open(list.id);
        } catch (err) { reportError(err); }
      },
    });
    return h('div', { class: 'org-pick-wrap' }, input, suggestions);
  };
  await load();
  return h('section', { class: 'facts-group' }, h('h3', {}, t('lists_members_title')),
    adder('organization', 'add-member-org'), adder('person', 'add-member-person'), box);
}

function withoutSmtpSection(list) {
  const chunks = h('div', { class: 'bcc-chunks', id: 'bcc-chunks' });
  const size = h('input', { type: 'text', id: 'bcc-size', value: '50', inputmode: 'numeric', size: 4 });
  return h('section', { class: 'facts-group' }, h('h3', {}, t('lists_without_smtp')), h('p', { class: 'muted' }, t('lists_without_smtp_help')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'export-list-csv', onclick: async () => {
        try { const n = await api.exportListCsv(list.id); if (n !== null) toast(t('lists_csv_saved', { n: formatCount(n) })); } catch (err) { reportError(err); }
      } }, t('lists_export_csv')),
      h('label', { for: 'bcc-size' }, t('lists_bcc_size')), size,
      h('button', { type: 'button', id: 'show-bcc', onclick: async () => {
        try {
          const parts = await api.bccChunks(list.id, Number(size.value));
          chunks.replaceChildren(...parts.map((text, i) => {
            const area = h('textarea', { readonly: true, rows: 3, value: text, 'aria-label': t('lists_bcc_part', { i: i + 1 }) });
            return h('div', { class: 'bcc-part' }, h('p', {}, t('lists_bcc_part', { i: i + 1 })), area,
              h('button', { type: 'button', class: 'small', onclick: async () => {
                area.select();
                try { await navigator.clipboard.writeText(text); } catch { document.execCommand('copy'); }
                toast(t('lists_copied'));
              } }, t('lists_copy')));
          }));
        } catch (err) { reportError(err); }
      } }, t('lists_show_bcc'))),
    chunks);
}

export const listsView = {
  async mount(main) {
    state.panes = splitLayout();
    main.replaceChildren(state.panes.root);
    state.form = null;
    state.openId = null;
    placeholder();
    await reload();
  },
  newRecord: () => showForm(null, true),
  save: () => state.form?.el.requestSubmit(),
  cancel: async () => { if (state.form && (await confirmLeaveForm())) { state.form = null; state.dirty = false; placeholder(); } },
  hasUnsavedChanges: () => !!(state.form && state.dirty),
};
