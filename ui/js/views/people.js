// People: representatives, volunteers, trainers, clients. Their roles in organisations and
// their RODO consents per channel, with a history that stays after withdrawal.

import { api } from '../api.js';
import { h, debounce } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatCount, formatDate, formatDateTime, todayPl } from '../format.js';
import { field, group, collect, clearErrors, options, showFailure } from '../form.js';
import { VirtualList } from '../vlist.js';
import { offerSaved } from '../saved.js';
import { registerLiveReload } from '../live.js';
import { showConflict, fill } from '../conflict.js';
import { personActivitySections } from './person_activity.js';
import { personLoansSection } from './person_loans.js';
import { toast, reportError, referenceData, confirmDialog, openDialog, refreshStatus, splitLayout, emptyState, showDuplicates, exportList, mailHistorySection, historySection, mayLeave, showPlaceholder } from '../ui.js';

const state = {
  query: { archived: false, descending: false, role: '' },
  ref: null,
  list: null,
  panes: null,
  countEl: null,
  emptyEl: null,
  form: null,
  editingId: null,
  openId: null,
  // The shown person as read (JSON), to re-render only when a colleague changed them.
  shown: null,
  dirty: false,
  // The revision the form was opened on and the form's values then (see organizations.js).
  revision: null,
  original: null,
};

let headerEl;

function renderRow(p) {
  return h('div', { class: 'prow', dataset: { id: p.id } },
    h('span', { class: 'cell name' }, h('span', { class: 'primary-text', title: `${p.last_name} ${p.first_name}` }, `${p.last_name} ${p.first_name}`)),
    h('span', { class: 'cell' }, p.email || ''),
    h('span', { class: 'cell' }, p.organizations || ''));
}

function channelLabel(code) {
  const c = state.ref.consent_channels.find((x) => x.code === code);
  return c ? label(c) : code;
}

async function reload() {
  try {
    const list = state.list;
    const total = await list.reset();
    // A newer list replaced this one while it loaded: its own reload sets the count.
    if (state.list !== list) return;
    state.countEl.textContent = t('records_count', { n: formatCount(total), count: total });
    const empty = total === 0;
    state.emptyEl.hidden = !empty;
    state.list.element.hidden = empty;
    headerEl.hidden = empty;
    if (empty) {
      state.emptyEl.replaceChildren(state.query.archived ? emptyState(t('empty_archive'))
        : state.query.role ? emptyState(t('empty_filtered'))
          : emptyState(t('empty_people'), h('button', { type: 'button', class: 'primary', onclick: () => newRecord() }, t('add_person'))));
    }
  } catch (err) {
    reportError(err);
  }
}

// A colleague's change: the list re-read in place, then the record beside it (live.js).
const quietReload = registerLiveReload(state, {
  reload: () => reload(),
  readShown: (id) => api.getPerson(id),
  show: (p) => state.panes.detail.replaceChildren(personDetail(p)),
});

function mountList() {
  state.countEl = h('span', { class: 'count', 'aria-live': 'polite' });
  const q = state.query;
  headerEl = h('div', { class: 'listhead prow' },
    h('button', {
      type: 'button', class: 'colhead active', title: t('sort_hint'),
      'aria-sort': q.descending ? 'descending' : 'ascending',
      onclick: () => { q.descending = !q.descending; mountList(); reload(); },
    }, t('col_person'), q.descending ? ' ▼' : ' ▲'),
    h('span', { class: 'colhead static' }, t('col_email')),
    h('span', { class: 'colhead static' }, t('col_orgs')));
  state.emptyEl = h('div', { class: 'empty-wrap', hidden: true });
  state.panes.list.replaceChildren(
    h('div', { class: 'pane-title' },
      h('h1', {}, t('nav_people')),
      state.countEl,
      h('button', {
        type: 'button', id: 'export-people', onclick: () => exportList(['xlsx', 'csv-excel', 'csv', 'vcf'], (format) => api.exportPeople({
          archived: state.query.archived, descending: state.query.descending, role: state.query.role || null, offset: 0, limit: 0,
        }, format)),
      }, t('export')),
      h('button', { type: 'button', class: 'primary', id: 'new-person', onclick: () => newRecord() }, t('add_person'))),
    h('div', { class: 'filters' },
      h('div', { class: 'filter' },
        h('label', { for: 'filter-role' }, t('filter_role')),
        h('select', { id: 'filter-role', onchange: (e) => { q.role = e.target.value; reload(); } },
          [h('option', { value: '' }, t('filter_all')), ...state.ref.roles.map((r) => h('option', { value: r, selected: q.role === r }, r))])),
      h('div', { class: 'filter filter-check' },
        h('label', {},
          h('input', { type: 'checkbox', checked: q.archived, onchange: (e) => { q.archived = e.target.checked; reload(); } }),
          h('span', {}, t('show_archive'))))),
    headerEl,
    state.list.element,
    state.emptyEl);
}

const placeholder = () => showPlaceholder(state.panes.detail, 'pick_record');

const confirmLeaveForm = () => mayLeave(state);

function consentsSection(p) {
  const rows = p.consents.map((c) => h('tr', {},
    h('td', {}, channelLabel(c.channel)),
    h('td', {}, formatDate(c.granted_on)),
    h('td', {}, c.source),
    h('td', {}, c.withdrawn_on
      ? h('span', { class: 'muted' }, t('consent_withdrawn', { date: formatDate(c.withdrawn_on) }), c.withdrawal_source ? ` (${c.withdrawal_source})` : '')
      : h('span', { class: 'ok' }, t('consent_active'))),
    h('td', {}, c.withdrawn_on ? '' : h('button', { type: 'button', class: 'small', onclick: () => withdraw(p, c) }, t('consent_withdraw')))));
  const grantForm = h('form', { class: 'inline-form', novalidate: true },
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    field({ name: 'channel', labelKey: 'f_channel', kind: 'select', options: options(state.ref.consent_channels.map((c) => ({ value: c.code, text: label(c) }))) }),
    field({ name: 'date', labelKey: 'f_date', value: todayPl(), hintKey: 'hint_date' }),
    field({ name: 'source', labelKey: 'f_source' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('consent_add'))));
  grantForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(grantForm);
    try {
      await api.grantConsent(p.id, collect(grantForm));
      toast(t('consent_saved'));
      await open(p.id);
    } catch (err) {
      showFailure(grantForm, err);
    }
  });
  return h('section', { class: 'facts-group' },
    h('h3', {}, t('grp_consents')),
    p.consents.length
      ? h('table', { class: 'consents' },
        h('thead', {}, h('tr', {}, [t('f_channel'), t('f_date'), t('f_source'), '', ''].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows))
      : h('p', { class: 'muted' }, t('consent_none')),
    p.archived_at ? null : grantForm);
}

async function withdraw(p, c) {
  const result = await openDialog((close) => {
    const form = h('form', { class: 'dialog-body', novalidate: true },
      h('h2', {}, t('consent_withdraw_title')),
      h('p', {}, `${p.first_name} ${p.last_name}: ${channelLabel(c.channel)}`),
      h('div', { class: 'form-banner', role: 'alert', hidden: true }),
      field({ name: 'date', labelKey: 'f_date', value: todayPl(), hintKey: 'hint_date' }),
      field({ name: 'source', labelKey: 'consent_withdraw_source' }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, t('consent_withdraw')),
        h('button', { type: 'button', onclick: () => close(false) }, t('cancel'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const v = collect(form);
      try {
        await api.withdrawConsent(c.id, v.date, v.source);
        close(true);
      } catch (err) {
        showFailure(form, err);
      }
    });
    return form;
  });
  if (result) {
    toast(t('consent_withdrawn_done'));
    await open(p.id);
  }
}

/** RODO for this person: everything we hold (art. 15), anonymisation, erasure (art. 17). */
function rodoSection(p) {
  // The removal reaches the live file only: copies made before it keep the person until the
  // rotation deletes them, and the confirmation says which and until when.
  const confirmTyped = async (titleKey, textKey, okKey) => {
    let held;
    try { held = await api.erasurePreview(p.id); } catch (err) { reportError(err); return false; }
    return openDialog((close) => {
      const input = h('input', { type: 'text', id: 'rodo-confirm-input', autocomplete: 'off' });
      return h('form', { class: 'dialog-body', onsubmit: (e) => { e.preventDefault(); close(input.value.trim() === p.last_name.trim()); } },
        h('h2', {}, t(titleKey)),
        h('p', {}, t(textKey, { name: `${p.first_name} ${p.last_name}` })),
        heldInBackups(held),
        h('label', { for: 'rodo-confirm-input' }, t('rodo_type_surname', { surname: p.last_name })),
        input,
        h('div', { class: 'actions' },
          h('button', { type: 'submit', class: 'primary danger', id: 'rodo-confirm' }, t(okKey)),
          h('button', { type: 'button', onclick: () => close(false) }, t('cancel'))));
    });
  };
  return h('section', { class: 'facts-group', id: 'rodo' },
    h('h3', {}, t('rodo_title')),
    h('p', { class: 'muted' }, t('rodo_help')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'rodo-export', onclick: async () => {
        try { const r = await api.exportPersonData(p.id); if (r) { toast(t('rodo_exported', { pdf: r.pdf })); offerSaved(r.pdf); } } catch (err) { reportError(err); }
      } }, t('rodo_export')),
      h('button', { type: 'button', id: 'rodo-anonymize', onclick: async () => {
        if (!(await confirmTyped('rodo_anonymize_title', 'rodo_anonymize_text', 'rodo_anonymize'))) return;
        try { heldToast('rodo_anonymized', await api.anonymizePerson(p.id)); await reload(); await open(p.id); } catch (err) { reportError(err); }
      } }, t('rodo_anonymize')),
      h('button', { type: 'button', id: 'rodo-erase', class: 'danger', onclick: async () => {
        if (!(await confirmTyped('rodo_erase_title', 'rodo_erase_text', 'rodo_erase'))) return;
        try { heldToast('rodo_erased', await api.erasePerson(p.id)); state.openId = null; await reload(); placeholder(); await refreshStatus(); } catch (err) { reportError(err); }
      } }, t('rodo_erase'))));
}

/** The backups that still hold the person, each with the day the rotation removes it. */
function heldInBackups(held) {
  const list = held?.backups || [];
  if (!list.length) return h('p', { class: 'muted', id: 'rodo-backups' }, t('rodo_backups_none'));
  return h('div', { id: 'rodo-backups' },
    h('p', {}, t('rodo_backups_hold', { n: list.length, count: list.length, date: formatDate(held.all_removed_by) })),
    h('ul', { class: 'plain' }, list.map((b) => h('li', {},
      t('rodo_backup_item', { file: b.file_name, kind: t(`rodo_backup_${b.kind}`), made: formatDate(b.made_at) + b.made_at.slice(10, 16), removed: formatDate(b.removed_by) })))),
    h('p', { class: 'muted' }, t('rodo_backups_outside')));
}

/** After the removal: the same list, as a reminder of what still holds the person. */
function heldToast(doneKey, held) {
  const n = held?.backups?.length || 0;
  toast(n ? `${t(doneKey)} ${t('rodo_backups_after', { n, count: n, date: formatDate(held.all_removed_by) })}` : t(doneKey));
}

function personDetail(p, { actions = true } = {}) {
  const openOrg = async (id) => {
    const { go } = await import('../app.js');
    go('organizations', { open: id });
  };
  const dl = (pairs) => {
    const rows = pairs.filter(([, v]) => v && !(Array.isArray(v) && !v.length));
    return rows.length ? h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, t(k)),
      h('dd', {}, Array.isArray(v) ? h('ul', { class: 'plain' }, v.map((x) => h('li', {}, x))) : v)])) : null;
  };
  return h('article', { class: 'record' },
    h('header', { class: 'record-head' },
      h('div', {},
        h('h2', { class: 'record-title' }, `${p.first_name} ${p.last_name}`),
        p.archived_at ? h('p', { class: 'record-sub' }, h('span', { class: 'badge muted' }, t('archived_badge'))) : null),
      actions ? h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'edit-record', onclick: () => editCurrent(p.id) }, t('edit')),
        p.archived_at
          ? h('button', { type: 'button', onclick: () => archive(p, false) }, t('restore'))
          : h('button', { type: 'button', onclick: () => archive(p, true) }, t('archive'))) : null),
    h('section', { class: 'facts-group' }, h('h3', {}, t('grp_contact')), dl([['f_emails', p.emails], ['f_phones', p.phones]]) || h('p', { class: 'muted' }, t('none'))),
    h('section', { class: 'facts-group' }, h('h3', {}, t('grp_roles')),
      p.roles.length ? h('ul', { class: 'plain' }, p.roles.map((r) => h('li', {},
        h('button', { type: 'button', class: 'link', onclick: () => openOrg(r.organization_id) }, r.organization_name), ` — ${r.role}`)))
        : h('p', { class: 'muted' }, t('no_roles'))),
    actions ? consentsSection(p) : null,
    actions ? personActivitySections(p.id) : null,
    actions ? personLoansSection(p.id) : null,
    actions ? mailHistorySection({ personId: p.id }) : null,
    actions ? historySection('person', p.id) : null,
    actions ? rodoSection(p) : null,
    p.notes ? h('section', { class: 'facts-group' }, h('h3', {}, t('f_notes')), h('p', { class: 'prewrap' }, p.notes)) : null,
    h('section', { class: 'facts-group' }, h('h3', {}, t('grp_record')),
      dl([['created', formatDateTime(p.created_at)], ['updated', formatDateTime(p.updated_at)]])));
}

async function open(id) {
  if (!(await confirmLeaveForm())) return;
  try {
    const p = await api.getPerson(id);
    state.openId = id;
    state.form = null;
    state.dirty = false;
    state.shown = JSON.stringify(p);
    state.panes.detail.replaceChildren(personDetail(p));
    state.list.markSelected((row) => row.id === id);
  } catch (err) {
    reportError(err);
  }
}

async function archive(p, archived) {
  if (archived && !(await confirmDialog(t('confirm_archive', { name: `${p.first_name} ${p.last_name}` }), t('archive')))) return;
  try {
    await api.archivePerson(p.id, archived);
    toast(t(archived ? 'archived_done' : 'restored_done'));
    await state.list.refresh();
    await open(p.id);
    refreshStatus();
  } catch (err) {
    reportError(err);
  }
}

/** One role row: an organisation found by typing its name, and the role. */
function roleRow(role) {
  const orgInput = h('input', { type: 'text', class: 'org-pick', value: role?.organization_name || '', placeholder: t('find_org'), 'aria-label': t('f_organization'), autocomplete: 'off' });
  orgInput.dataset.orgId = role ? String(role.organization_id) : '';
  const suggestions = h('ul', { class: 'suggestions', role: 'listbox', hidden: true });
  const roleInput = h('input', { type: 'text', class: 'role-name', value: role?.role || '', list: 'role-suggestions', 'aria-label': t('f_role') });
  const row = h('div', { class: 'role-row' },
    h('div', { class: 'org-pick-wrap' }, orgInput, suggestions),
    roleInput,
    h('button', { type: 'button', class: 'small', onclick: () => { row.remove(); state.dirty = true; } }, t('remove')));
  const lookup = debounce(async () => {
    const text = orgInput.value.trim();
    if (!text) { suggestions.hidden = true; return; }
    try {
      const hits = (await api.search(text, 20)).filter((x) => x.kind === 'organization' && !x.archived).slice(0, 8);
      suggestions.replaceChildren(...hits.map((hit) => h('li', {
        role: 'option', tabindex: '-1',
        onmousedown: (e) => {
          e.preventDefault();
          orgInput.value = hit.name;
          orgInput.dataset.orgId = String(hit.id);
          suggestions.hidden = true;
        },
      }, hit.name, hit.detail ? h('span', { class: 'hit-detail' }, ` — ${hit.detail}`) : null)));
      suggestions.hidden = hits.length === 0;
    } catch (err) {
      reportError(err);
    }
  }, 150);
  orgInput.addEventListener('input', () => { orgInput.dataset.orgId = ''; lookup(); });
  orgInput.addEventListener('blur', () => setTimeout(() => { suggestions.hidden = true; }, 150));
  return row;
}

function buildForm(p) {
  const form = h('form', { class: 'record-form', novalidate: true });
  const roles = h('div', { class: 'roles' }, (p?.roles || []).map(roleRow));
  form.append(
    h('h2', {}, p ? t('edit_person') : t('new_person')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    h('div', { class: 'duplicates', role: 'alert', hidden: true }),
    group('grp_basic',
      field({ name: 'first_name', labelKey: 'f_first_name', value: p?.first_name || '', required: true }),
      field({ name: 'last_name', labelKey: 'f_last_name', value: p?.last_name || '', required: true })),
    group('grp_contact',
      field({ name: 'emails', labelKey: 'f_emails', kind: 'textarea', value: p ? p.emails.join('\n') : '', hintKey: 'hint_list' }),
      field({ name: 'phones', labelKey: 'f_phones', kind: 'textarea', value: p ? p.phones.join('\n') : '', hintKey: 'hint_list' })),
    h('fieldset', { class: 'group', dataset: { field: 'roles' } },
      h('legend', {}, t('grp_roles')),
      roles,
      h('datalist', { id: 'role-suggestions' }, state.ref.roles.map((r) => h('option', { value: r }))),
      h('button', { type: 'button', class: 'small', onclick: () => { const r = roleRow(null); roles.append(r); r.querySelector('input').focus(); } }, t('add_role')),
      h('p', { class: 'field-error', hidden: true })),
    group('grp_about', field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: p?.notes || '', wide: true })),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-record' }, t('save')),
      h('button', { type: 'button', onclick: () => cancel() }, t('cancel'))));
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(false); });
  return form;
}

/** "Edytuj" builds the form on the person as they are now: a colleague may have saved since. */
async function editCurrent(id) {
  try {
    editRecord(await api.getPerson(id));
  } catch (err) {
    reportError(err);
  }
}

function editRecord(p) {
  state.editingId = p ? p.id : null;
  state.form = buildForm(p);
  state.dirty = false;
  state.revision = p ? p.revision : null;
  state.original = readForm(state.form);
  state.panes.detail.replaceChildren(state.form);
  state.form.querySelector('input[name="first_name"]').focus();
}

async function newRecord() {
  if (!(await confirmLeaveForm())) return;
  editRecord(null);
}

async function save(acceptDuplicates) {
  const form = state.form;
  if (!form) return;
  clearErrors(form);
  const dup = form.querySelector('.duplicates');
  dup.hidden = true;
  const v = collect(form);
  const roles = [...form.querySelectorAll('.role-row')].map((row) => ({
    organization_id: Number(row.querySelector('.org-pick').dataset.orgId || 0),
    role: row.querySelector('.role-name').value,
  }));
  const input = { first_name: v.first_name, last_name: v.last_name, emails: v.emails, phones: v.phones, notes: v.notes, roles };
  if (state.editingId) input.revision = state.revision;
  try {
    const outcome = await api.savePerson(state.editingId, input, acceptDuplicates);
    if (outcome.status === 'possible_duplicates') {
      showDuplicates(dup, outcome.duplicates, {
        renderOther: async (id) => personDetail(await api.getPerson(id), { actions: false }),
        onSaveAnyway: () => save(true),
      });
      return;
    }
    state.dirty = false;
    toast(t('saved'));
    await state.list.refresh();
    state.countEl.textContent = t('records_count', { n: formatCount(state.list.total), count: state.list.total });
    if (state.list.total > 0) { state.emptyEl.hidden = true; state.list.element.hidden = false; headerEl.hidden = false; }
    state.form = null;
    await open(outcome.id);
    refreshStatus();
  } catch (err) {
    if (err.code === 'conflict' && state.editingId) await conflict(form, err);
    else showFailure(form, err);
  }
}

/** The form's values for comparing versions: the named fields and the roles as people read them. */
function readForm(form) {
  const v = collect(form);
  v.roles = [...form.querySelectorAll('.role-row')]
    .map((row) => [row.querySelector('.org-pick').value.trim(), row.querySelector('.role-name').value.trim()])
    .filter(([org, role]) => org || role)
    .map(([org, role]) => `${org} — ${role}`);
  return v;
}

/** A colleague saved this person since the form was opened: what was typed stays. */
async function conflict(form, err) {
  try {
    const theirs = await api.getPerson(state.editingId);
    const values = readForm(buildForm(theirs));
    showConflict(form, err.message, {
      original: state.original,
      theirs: { values, revision: theirs.revision },
      read: readForm,
      onReapply: (merged, revision) => {
        fill(form, merged);
        // Roles the user did not touch come from their version, as rows again.
        if (JSON.stringify(merged.roles) === JSON.stringify(values.roles)) {
          form.querySelector('.roles').replaceChildren(...theirs.roles.map(roleRow));
        }
        state.revision = revision;
        state.original = values;
        save(false);
      },
      onDiscard: () => {
        editRecord(theirs);
        toast(t('conflict_discarded'));
      },
    });
  } catch (e) {
    showFailure(form, e);
  }
}

async function cancel() {
  if (!state.form || !(await confirmLeaveForm())) return;
  state.form = null;
  state.dirty = false;
  if (state.openId) open(state.openId);
  else placeholder();
}

export const peopleView = {
  async mount(main, params = {}) {
    state.ref = await referenceData();
    state.form = null;
    state.dirty = false;
    state.openId = null;
    if (params.archived !== undefined) state.query.archived = !!params.archived;
    state.panes = splitLayout();
    state.list = new VirtualList({
      rowHeight: 52,
      label: t('nav_people'),
      fetchPage: (offset, limit) => api.listPeople({
        archived: state.query.archived, descending: state.query.descending, role: state.query.role || null, offset, limit,
      }),
      renderRow,
      onOpen: (p) => open(p.id),
    });
    main.replaceChildren(state.panes.root);
    mountList();
    placeholder();
    await reload();
    if (params.open) await open(params.open);
  },
  newRecord,
  save: () => save(false),
  cancel,
  hasUnsavedChanges: () => !!(state.form && state.dirty),
  currentParams: () => (state.openId ? { open: state.openId } : {}),
  live: { kinds: ['people', 'organizations'], reload: quietReload },
};
