// The register of organisations: a filterable, sortable virtual list beside the record,
// its form (titled groups, errors under the fields), duplicate warnings and the archive.

import { api, ApiError } from '../api.js';
import { h, debounce } from '../dom.js';
import { t, label } from '../i18n.js';
import { formatCount, formatDate, formatDateTime, formatNip, todayPl } from '../format.js';
import { field, group, collect, clearErrors, options, showFailure, grantYear } from '../form.js';
import { VirtualList } from '../vlist.js';
import { offerSaved } from '../saved.js';
import { registerLiveReload } from '../live.js';
import { orgBookingsSection } from './org_bookings.js';
import { orgLettersSection } from './org_letters.js';
import { orgOffersSection } from './org_offers.js';
import { showConflict, fill } from '../conflict.js';
import { toast, reportError, referenceData, confirmDialog, openDialog, refreshStatus, splitLayout, emptyState, showDuplicates, exportList, mailHistorySection, historySection, mayLeave, showPlaceholder } from '../ui.js';

const state = {
  query: { sort: 'name', descending: false, archived: false, legal_form: '', area: '', city: '', tag: '', public_benefit: '', member: '', granted_in_year: '' },
  ref: null,
  filters: { cities: [], tags: [] },
  list: null,
  panes: null,
  countEl: null,
  emptyEl: null,
  form: null,
  editingId: null,
  openId: null,
  // The shown record as read (JSON), to re-render it only when a colleague changed it.
  shown: null,
  dirty: false,
  // The revision the form was opened on, and the form's values then: a colleague's save since
  // makes the core refuse this one (code "conflict"), and the typed changes are re-applied
  // on their version from these.
  revision: null,
  original: null,
};

function legalFormLabel(code) {
  const f = state.ref.legal_forms.find((x) => x.code === code);
  return f ? label(f) : code;
}

function areaLabel(code) {
  const a = state.ref.areas.find((x) => x.code === code);
  return a ? `${a.code}. ${a.name}` : code;
}

function queryForCore(offset, limit) {
  const q = state.query;
  const opt = (v) => (v === '' ? null : v);
  const bool = (v) => (v === '' ? null : v === 'true');
  return {
    sort: q.sort, descending: q.descending, archived: q.archived,
    legal_form: opt(q.legal_form), area: opt(q.area), city: opt(q.city), tag: opt(q.tag),
    public_benefit: bool(q.public_benefit), member: bool(q.member),
    granted_in_year: grantYear(q.granted_in_year), offset, limit,
  };
}

function hasFilters() {
  const q = state.query;
  return q.legal_form || q.area || q.city || q.tag || q.public_benefit || q.member || q.granted_in_year;
}

function renderRow(o) {
  const marks = [
    o.short_name ? h('span', { class: 'short' }, o.short_name) : null,
    o.public_benefit ? h('span', { class: 'badge' }, t('opp_yes')) : null,
    o.member ? h('span', { class: 'badge member' }, t('member_now')) : null,
  ].filter(Boolean);
  return h('div', { class: 'orow', dataset: { id: o.id } },
    h('span', { class: 'cell name' },
      h('span', { class: 'primary-text', title: o.name }, o.name),
      marks.length ? h('span', { class: 'subline' }, marks) : null),
    h('span', { class: 'cell' }, legalFormLabel(o.legal_form)),
    h('span', { class: 'cell' }, o.city || ''),
    h('span', { class: 'cell mono' }, o.nip ? formatNip(o.nip) : (o.krs || '')));
}

function sortButton(key, textKey) {
  const q = state.query;
  const active = q.sort === key;
  const arrow = active ? (q.descending ? ' ▼' : ' ▲') : '';
  return h('button', {
    type: 'button', class: `colhead${active ? ' active' : ''}`, title: t('sort_hint'),
    'aria-sort': active ? (q.descending ? 'descending' : 'ascending') : 'none',
    onclick: () => {
      if (q.sort === key) q.descending = !q.descending;
      else { q.sort = key; q.descending = false; }
      renderHeader();
      reload();
    },
  }, t(textKey), arrow);
}

let headerEl;
function renderHeader() {
  headerEl.replaceChildren(
    sortButton('name', 'col_name'),
    sortButton('legal_form', 'col_legal_form'),
    sortButton('city', 'col_city'),
    h('span', { class: 'colhead static' }, t('col_ids')));
}

function filterSelect(key, labelKey, choices) {
  const id = `filter-${key}`;
  return h('div', { class: 'filter' },
    h('label', { for: id }, t(labelKey)),
    h('select', {
      id, name: key,
      onchange: (e) => { state.query[key] = e.target.value; reload(); },
    }, [h('option', { value: '' }, t('filter_all')), ...choices.map((c) => h('option', { value: c.value, selected: state.query[key] === c.value }, c.text))]));
}

/** A year typed in (empty: any); while typing the list follows once the field is empty or has
 *  four characters, on leaving it always. A year the core refuses is said under the field and
 *  the list stays as it was. */
function filterYear() {
  const id = 'filter-granted_in_year';
  const apply = (value) => setGrantYear(value, false);
  const typed = debounce((value) => { if (!value.trim() || value.trim().length >= 4) apply(value); }, 300);
  return h('div', { class: 'filter', dataset: { field: 'granted_in_year' } },
    h('label', { for: id }, t('granted_in_year')),
    h('input', {
      id, name: 'granted_in_year', type: 'text', class: 'filter-year', inputmode: 'numeric', maxlength: 4, autocomplete: 'off',
      value: state.query.granted_in_year, placeholder: t('granted_in_year_any'), title: t('granted_in_year_hint'),
      'aria-describedby': `${id}-err`,
      oninput: (e) => typed(e.target.value),
      onchange: (e) => apply(e.target.value),
    }),
    h('p', { class: 'field-error', id: `${id}-err`, hidden: true }));
}

/** Filters the list by the grant year typed (`remount`: the filters drawn anew, showing it).
 *  False when the core refused the year: the list keeps the year before, the error shows. */
async function setGrantYear(value, remount) {
  const v = value.trim();
  if (state.query.granted_in_year === v) return true;
  const previous = state.query.granted_in_year;
  state.query.granted_in_year = v;
  if (remount) mountList();
  if (await reload()) return true;
  state.query.granted_in_year = previous;
  try { await state.list.reset(); } catch (err) { reportError(err); }
  return false;
}

/** The core's field errors about the filters under them; none when the list loaded. */
function showFilterErrors(fields) {
  for (const p of document.querySelectorAll('.filters .field-error')) { p.textContent = ''; p.hidden = true; }
  for (const el of document.querySelectorAll('.filters [aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const { field: name, message } of fields) {
    const wrap = document.querySelector(`.filters [data-field="${CSS.escape(name)}"]`);
    if (!wrap) return false;
    const p = wrap.querySelector('.field-error');
    p.textContent = message;
    p.hidden = false;
    wrap.querySelector('input, select')?.setAttribute('aria-invalid', 'true');
  }
  return true;
}

function renderFilters() {
  const ref = state.ref;
  const yesNo = [{ value: 'true', text: t('yes') }, { value: 'false', text: t('no') }];
  return h('div', { class: 'filters' },
    filterSelect('legal_form', 'filter_legal_form', ref.legal_forms.map((f) => ({ value: f.code, text: label(f) }))),
    filterSelect('area', 'filter_area', ref.areas.filter((a) => a.active).map((a) => ({ value: a.code, text: `${a.code}. ${a.name}` }))),
    filterSelect('city', 'filter_city', state.filters.cities.map((c) => ({ value: c, text: c }))),
    filterSelect('tag', 'filter_tag', state.filters.tags.map((c) => ({ value: c, text: c }))),
    filterSelect('public_benefit', 'filter_opp', yesNo),
    filterSelect('member', 'filter_member', yesNo),
    filterYear(),
    h('div', { class: 'filter filter-check' },
      h('label', {},
        h('input', {
          type: 'checkbox', id: 'filter-archived', checked: state.query.archived,
          onchange: (e) => { state.query.archived = e.target.checked; reload(); },
        }),
        h('span', {}, t('show_archive')))),
    h('button', {
      type: 'button', class: 'link', onclick: () => {
        Object.assign(state.query, { legal_form: '', area: '', city: '', tag: '', public_benefit: '', member: '', granted_in_year: '', archived: false });
        mountList();
        reload();
      },
    }, t('clear_filters')));
}

async function reload() {
  try {
    const list = state.list;
    const total = await list.reset();
    // A newer list replaced this one while it loaded: its own reload sets the count.
    if (state.list !== list) return true;
    showFilterErrors([]);
    state.countEl.textContent = t('records_count', { n: formatCount(total), count: total });
    const empty = total === 0;
    state.emptyEl.hidden = !empty;
    state.list.element.hidden = empty;
    headerEl.hidden = empty;
    if (empty) {
      if (state.query.archived) state.emptyEl.replaceChildren(emptyState(t('empty_archive')));
      else if (hasFilters()) state.emptyEl.replaceChildren(emptyState(t('empty_filtered')));
      else {
        state.emptyEl.replaceChildren(emptyState(t('empty_orgs'),
          h('button', { type: 'button', class: 'primary', onclick: () => newRecord() }, t('add_organization')),
          h('button', { type: 'button', id: 'load-demo', onclick: loadDemo }, t('load_demo'))));
      }
    }
    return true;
  } catch (err) {
    // A filter the core refuses (a grant year out of range): said under it, not as an error.
    if (err instanceof ApiError && err.code === 'invalid' && showFilterErrors(err.fields)) return false;
    reportError(err);
    return true;
  }
}

// A colleague's change: the list re-read in place, then the record beside it (live.js).
const quietReload = registerLiveReload(state, {
  reload: () => reload(),
  readShown: (id) => api.getOrganization(id),
  show: showDetail,
});

function showDetail(o) {
  const goPerson = async (personId) => {
    const { go } = await import('../app.js');
    go('people', { open: personId });
  };
  state.shown = JSON.stringify(o);
  state.panes.detail.replaceChildren(organizationDetail(o, { onOpenPerson: goPerson }));
}

async function loadDemo(e) {
  const button = e.currentTarget;
  button.disabled = true;
  button.textContent = t('loading_demo');
  try {
    const s = await api.loadDemoData(200, 500);
    toast(t('demo_loaded', { orgs: s.organizations, people: s.people }));
    state.filters = await api.filterOptions();
    mountList();
    await reload();
    refreshStatus();
  } catch (err) {
    reportError(err);
    button.disabled = false;
    button.textContent = t('load_demo');
  }
}

function mountList() {
  const pane = state.panes.list;
  state.countEl = h('span', { class: 'count', 'aria-live': 'polite' });
  headerEl = h('div', { class: 'listhead orow' });
  renderHeader();
  state.emptyEl = h('div', { class: 'empty-wrap', hidden: true });
  pane.replaceChildren(
    h('div', { class: 'pane-title' },
      h('h1', {}, t('nav_organizations')),
      state.countEl,
      h('button', { type: 'button', id: 'directory-pdf', onclick: () => directoryDialog() }, t('directory')),
      h('button', { type: 'button', id: 'export-organizations', onclick: () => exportList(['xlsx', 'csv-excel', 'csv'], (format) => api.exportOrganizations(queryForCore(0, 0), format)) }, t('export')),
      h('button', { type: 'button', class: 'primary', id: 'new-organization', onclick: () => newRecord() }, t('add_organization'))),
    renderFilters(),
    headerEl,
    state.list.element,
    state.emptyEl);
}

/** Options of the directory PDF; the core then asks where to save and writes it. */
async function directoryDialog() {
  const options = await openDialog((close) => {
    const form = h('form', { class: 'dialog-body', novalidate: true },
      h('h2', {}, t('directory_title')),
      h('p', { class: 'muted' }, t('directory_help')),
      field({
        name: 'group_by', labelKey: 'directory_group', kind: 'select', value: 'area',
        options: ['area', 'city', 'legal-form', 'none'].map((g) => ({ value: g, text: t(`group_${g.replace('-', '_')}`) })),
      }),
      field({ name: 'public_only', labelKey: 'directory_public', kind: 'checkbox', value: true }),
      field({ name: 'members_only', labelKey: 'directory_members', kind: 'checkbox', value: false }),
      field({ name: 'granted_in_year', labelKey: 'granted_in_year', value: state.query.granted_in_year, hintKey: 'granted_in_year_hint' }),
      field({ name: 'office', labelKey: 'directory_office', value: localStorage.getItem('kartoteka.office') || '', hintKey: 'directory_office_hint' }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'directory-go' }, t('export_choose')),
        h('button', { type: 'button', onclick: () => close() }, t('cancel'))));
    form.addEventListener('submit', (e) => { e.preventDefault(); close(collect(form)); });
    return form;
  });
  if (!options) return;
  localStorage.setItem('kartoteka.office', options.office);
  const { granted_in_year: year, ...directoryOptions } = options;
  // The directory is the list as filtered: a year chosen here filters the list too.
  if (!(await setGrantYear(year, true))) return;
  try {
    const s = await api.directoryPdf(queryForCore(0, 0), directoryOptions);
    if (s) { toast(t('directory_done', { orgs: formatCount(s.organizations), pages: s.pages, path: s.path })); offerSaved(s.path); }
  } catch (err) {
    reportError(err);
  }
}

const placeholder = () => showPlaceholder(state.panes.detail, 'pick_record');

function dl(pairs) {
  const rows = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length));
  if (!rows.length) return null;
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [
    h('dt', {}, t(k)),
    h('dd', {}, Array.isArray(v) ? h('ul', { class: 'plain' }, v.map((x) => h('li', {}, x))) : v),
  ]));
}

function section(titleKey, content) {
  return content ? h('section', { class: 'facts-group' }, h('h3', {}, t(titleKey)), content) : null;
}

/** The read-only record; also used inside the duplicate dialog. */
export function organizationDetail(o, { actions = true, onOpenPerson } = {}) {
  const address = [
    [o.street, o.building].filter(Boolean).join(' '),
    [o.postal_code, o.city].filter(Boolean).join(' '),
  ].filter(Boolean).join(', ');
  const badges = [
    o.public_benefit ? h('span', { class: 'badge' }, t('opp_yes')) : null,
    o.member_since && (!o.member_until || o.member_until >= new Date().toISOString().slice(0, 10))
      ? h('span', { class: 'badge member' }, t('member_now')) : null,
    o.archived_at ? h('span', { class: 'badge muted' }, t('archived_badge')) : null,
  ];
  return h('article', { class: 'record', 'aria-labelledby': `org-title-${o.id}` },
    h('header', { class: 'record-head' },
      h('div', {},
        h('h2', { id: `org-title-${o.id}`, class: 'record-title' }, o.name),
        h('p', { class: 'record-sub' }, legalFormLabel(o.legal_form), o.short_name ? ` · ${o.short_name}` : '', ' ', badges)),
      actions ? h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'edit-record', onclick: () => editCurrent(o.id) }, t('edit')),
        o.archived_at
          ? h('button', { type: 'button', onclick: () => archive(o, false) }, t('restore'))
          : h('button', { type: 'button', onclick: () => archive(o, true) }, t('archive'))) : null),
    section('grp_ids', dl([['f_krs', o.krs], ['f_nip', o.nip ? formatNip(o.nip) : ''], ['f_regon', o.regon]])),
    section('grp_address', dl([['grp_address', address], ['f_gmina', o.gmina], ['f_powiat', o.powiat], ['f_voivodeship', o.voivodeship]])),
    section('grp_contact', dl([['f_phones', o.phones], ['f_emails', o.emails], ['f_website', o.website]])),
    section('grp_areas', o.areas.length ? h('ul', { class: 'plain areas' }, o.areas.map((a) => h('li', {}, areaLabel(a)))) : null),
    section('grp_about', dl([['f_description', o.description], ['f_tags', o.tags.join(', ')], ['f_notes', o.notes]])),
    section('grp_membership', dl([
      ['f_member_since', formatDate(o.member_since)], ['f_member_until', formatDate(o.member_until)],
      ['f_directory_consent', o.directory_consent ? t('yes') : t('no')]])),
    section('grp_people', o.people.length
      ? h('ul', { class: 'plain' }, o.people.map((p) => h('li', {},
        onOpenPerson ? h('button', { type: 'button', class: 'link', onclick: () => onOpenPerson(p.person_id) }, p.name) : p.name,
        ` — ${p.role}`)))
      : h('p', { class: 'muted' }, t('no_people_in_org'))),
    actions ? emailConsentSection(o) : null,
    actions ? orgLettersSection(o.id, o.name) : null,
    actions ? orgBookingsSection(o.id) : null,
    actions ? orgOffersSection(o.id) : null,
    actions ? mailHistorySection({ organizationId: o.id }) : null,
    actions ? historySection('organization', o.id) : null,
    section('grp_record', dl([['created', formatDateTime(o.created_at)], ['updated', formatDateTime(o.updated_at)]])));
}

/** The organisation's own e-mail consent: without it, no bulletin goes to its address. */
function emailConsentSection(o) {
  const active = o.email_consents.find((c) => !c.withdrawn_on);
  const rows = o.email_consents.map((c) => h('li', {},
    `${formatDate(c.granted_on)} — ${c.source}`,
    c.withdrawn_on ? h('span', { class: 'muted' }, ` · ${t('consent_withdrawn', { date: formatDate(c.withdrawn_on) })}${c.withdrawal_source ? ` (${c.withdrawal_source})` : ''}`) : h('span', { class: 'ok' }, ` · ${t('consent_active')}`)));
  const form = h('form', { class: 'inline-form', id: 'org-consent-form', novalidate: true },
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    field({ name: 'date', labelKey: 'f_date', value: todayPl(), hintKey: 'hint_date' }),
    field({ name: 'source', labelKey: active ? 'consent_withdraw_source' : 'f_source' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'org-consent-submit' }, active ? t('consent_withdraw') : t('consent_add'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = collect(form);
    try {
      if (active) await api.withdrawOrganizationConsent(active.id, v.date, v.source);
      else await api.grantOrganizationConsent(o.id, { channel: 'email_bulletin', date: v.date, source: v.source });
      toast(active ? t('consent_withdrawn_done') : t('consent_saved'));
      await open(o.id);
    } catch (err) {
      showFailure(form, err);
    }
  });
  return h('section', { class: 'facts-group' }, h('h3', {}, t('org_email_consent')),
    rows.length ? h('ul', { class: 'plain' }, rows) : h('p', { class: 'muted' }, t('org_consent_none')),
    o.archived_at ? null : form);
}

async function open(id) {
  if (!(await confirmLeaveForm())) return;
  try {
    const o = await api.getOrganization(id);
    state.openId = id;
    state.form = null;
    state.editingId = null;
    state.dirty = false;
    showDetail(o);
    state.list.markSelected((row) => row.id === id);
  } catch (err) {
    reportError(err);
  }
}

const confirmLeaveForm = () => mayLeave(state);

async function archive(o, archived) {
  if (archived && !(await confirmDialog(t('confirm_archive', { name: o.name }), t('archive')))) return;
  try {
    await api.archiveOrganization(o.id, archived);
    toast(t(archived ? 'archived_done' : 'restored_done'));
    await state.list.refresh();
    await open(o.id);
    refreshStatus();
  } catch (err) {
    reportError(err);
  }
}

function buildForm(o) {
  const ref = state.ref;
  const v = (k) => (o ? (o[k] ?? '') : '');
  const form = h('form', { class: 'record-form', novalidate: true, 'aria-labelledby': 'form-title' });
  const areaBoxes = h('div', { class: 'checklist', role: 'group', 'aria-label': t('f_areas') },
    ref.areas.filter((a) => a.active || (o && o.areas.includes(a.code))).map((a) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'areas', value: a.code, dataset: { multi: '1' }, checked: o ? o.areas.includes(a.code) : false }),
      h('span', {}, `${a.code}. ${a.name}`))));
  const duplicatesBox = h('div', { class: 'duplicates', role: 'alert', hidden: true });
  form.append(
    h('h2', { id: 'form-title' }, o ? t('edit_organization') : t('new_organization')),
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    duplicatesBox,
    group('grp_basic',
      field({ name: 'name', labelKey: 'f_name', value: v('name'), wide: true, required: true }),
      field({ name: 'short_name', labelKey: 'f_short_name', value: v('short_name') }),
      field({
        name: 'legal_form', labelKey: 'f_legal_form', kind: 'select', value: v('legal_form'), required: true,
        options: options(ref.legal_forms.map((f) => ({ value: f.code, text: label(f) }))),
      }),
      field({ name: 'public_benefit', labelKey: 'f_public_benefit', kind: 'checkbox', value: o?.public_benefit, wide: true })),
    group('grp_ids',
      field({ name: 'krs', labelKey: 'f_krs', value: v('krs'), hintKey: 'hint_krs' }),
      field({ name: 'nip', labelKey: 'f_nip', value: o?.nip ? formatNip(o.nip) : '', hintKey: 'hint_nip' }),
      field({ name: 'regon', labelKey: 'f_regon', value: v('regon'), hintKey: 'hint_regon' })),
    group('grp_address',
      field({ name: 'street', labelKey: 'f_street', value: v('street') }),
      field({ name: 'building', labelKey: 'f_building', value: v('building') }),
      field({ name: 'postal_code', labelKey: 'f_postal_code', value: v('postal_code'), hintKey: 'hint_postal' }),
      field({ name: 'city', labelKey: 'f_city', value: v('city') }),
      field({ name: 'gmina', labelKey: 'f_gmina', value: v('gmina') }),
      field({ name: 'powiat', labelKey: 'f_powiat', value: v('powiat') }),
      field({
        name: 'voivodeship', labelKey: 'f_voivodeship', kind: 'select', value: v('voivodeship'),
        options: options(ref.voivodeships.map((w) => ({ value: w, text: w }))),
      })),
    group('grp_contact',
      field({ name: 'phones', labelKey: 'f_phones', kind: 'textarea', value: o ? o.phones.join('\n') : '', hintKey: 'hint_list' }),
      field({ name: 'emails', labelKey: 'f_emails', kind: 'textarea', value: o ? o.emails.join('\n') : '', hintKey: 'hint_list' }),
      field({ name: 'website', labelKey: 'f_website', value: v('website'), wide: true })),
    h('fieldset', { class: 'group', dataset: { field: 'areas' } },
      h('legend', {}, t('grp_areas')), areaBoxes, h('p', { class: 'field-error', hidden: true })),
    group('grp_about',
      field({ name: 'description', labelKey: 'f_description', kind: 'textarea', value: v('description'), wide: true }),
      field({ name: 'tags', labelKey: 'f_tags', value: o ? o.tags.join(', ') : '', hintKey: 'hint_list', wide: true }),
      field({ name: 'notes', labelKey: 'f_notes', kind: 'textarea', value: v('notes'), wide: true })),
    group('grp_membership',
      field({ name: 'member_since', labelKey: 'f_member_since', value: formatDate(o?.member_since), hintKey: 'hint_date' }),
      field({ name: 'member_until', labelKey: 'f_member_until', value: formatDate(o?.member_until), hintKey: 'hint_date' }),
      field({ name: 'directory_consent', labelKey: 'f_directory_consent', kind: 'checkbox', value: o?.directory_consent, wide: true })),
    h('div', { class: 'actions sticky' },
      h('button', { type: 'submit', class: 'primary', id: 'save-record' }, t('save')),
      h('button', { type: 'button', onclick: () => cancel() }, t('cancel'))));
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('submit', (e) => { e.preventDefault(); save(false); });
  return form;
}

function editRecord(o) {
  state.editingId = o ? o.id : null;
  state.form = buildForm(o);
  state.dirty = false;
  state.revision = o ? o.revision : null;
  state.original = collect(state.form);
  state.panes.detail.replaceChildren(state.form);
  state.form.querySelector('input[name="name"]').focus();
}

/** "Edytuj" builds the form on the record as it is now: a colleague may have saved it since it was shown. */
async function editCurrent(id) {
  try {
    editRecord(await api.getOrganization(id));
  } catch (err) {
    reportError(err);
  }
}

async function newRecord() {
  if (!(await confirmLeaveForm())) return;
  editRecord(null);
}

async function save(acceptDuplicates) {
  const form = state.form;
  if (!form) return;
  clearErrors(form);
  form.querySelector('.duplicates').hidden = true;
  const input = collect(form);
  input.areas ||= [];
  if (state.editingId) input.revision = state.revision;
  try {
    const outcome = await api.saveOrganization(state.editingId, input, acceptDuplicates);
    if (outcome.status === 'possible_duplicates') {
      showDuplicates(form.querySelector('.duplicates'), outcome.duplicates, {
        renderOther: async (id) => organizationDetail(await api.getOrganization(id), { actions: false }),
        onSaveAnyway: () => save(true),
      });
      return;
    }
    state.dirty = false;
    toast(t('saved'));
    state.filters = await api.filterOptions();
    await state.list.refresh();
    state.countEl.textContent = t('records_count', { n: formatCount(state.list.total), count: state.list.total });
    if (state.list.total > 0) {
      state.emptyEl.hidden = true;
      state.list.element.hidden = false;
      headerEl.hidden = false;
    }
    state.form = null;
    await open(outcome.id);
    refreshStatus();
  } catch (err) {
    if (err.code === 'conflict' && state.editingId) await conflict(form, err);
    else showFailure(form, err);
  }
}

/** A colleague saved this organisation since the form was opened: what was typed stays. */
async function conflict(form, err) {
  try {
    const theirs = await api.getOrganization(state.editingId);
    const values = collect(buildForm(theirs));
    values.areas ||= [];
    showConflict(form, err.message, {
      original: state.original,
      theirs: { values, revision: theirs.revision },
      onReapply: (merged, revision) => {
        fill(form, merged);
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
  if (!state.form) return;
  if (!(await confirmLeaveForm())) return;
  state.form = null;
  state.dirty = false;
  if (state.openId) open(state.openId);
  else placeholder();
}

export const organizationsView = {
  async mount(main, params = {}) {
    state.ref = await referenceData();
    state.filters = await api.filterOptions();
    state.form = null;
    state.dirty = false;
    state.openId = null;
    if (params.archived !== undefined) state.query.archived = !!params.archived;
    state.panes = splitLayout();
    state.list = new VirtualList({
      rowHeight: 52,
      label: t('nav_organizations'),
      fetchPage: (offset, limit) => api.listOrganizations(queryForCore(offset, limit)),
      renderRow,
      onOpen: (o) => open(o.id),
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
  live: { kinds: ['organizations'], reload: quietReload },
};
