// Ustawienia in sections, one shown at a time: Dane biura (name, address, NIP, account, contact,
// logo: used by every report and message), Użytkownik (who signs changes, display), Listy
// słownikowe (spheres, advice categories, consultation topics: one save per list), Sale i
// stanowisko, Biblioteka, Punkt NPP (views/legal_aid_settings.js), Poczta, Kopie i RODO, Baza na
// serwerze (views/server.js), and O programie.

import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { field, group, collect, clearErrors, showFailure } from '../form.js';
import { formatDateTime } from '../format.js';
import { toast, reportError, referenceData, invalidateReference } from '../ui.js';
import { go } from '../app.js';
import { serverSection } from './server.js';
import { roomsSection } from './rooms_settings.js';
import { librarySection } from './library_settings.js';
import { legalAidSection } from './legal_aid_settings.js';

const SECTIONS = ['office', 'user', 'lists', 'rooms', 'library', 'legal_aid', 'mail', 'backups', 'server', 'about'];
let lastSection = 'office';

// ----- Dane biura -----------------------------------------------------------------------

async function officeSection() {
  const o = await api.officeSettings();
  const form = h('form', { class: 'record-form', id: 'office-form', novalidate: true },
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('office_grp_identity',
      field({ name: 'name', labelKey: 'office_name', value: o.name, wide: true, hintKey: 'office_name_hint' }),
      field({ name: 'address', labelKey: 'office_address', value: o.address, wide: true, hintKey: 'office_address_hint' }),
      field({ name: 'nip', labelKey: 'office_nip', value: o.nip }),
      field({ name: 'bank_account', labelKey: 'office_bank_account', value: o.bank_account })),
    group('office_grp_contact',
      field({ name: 'phone', labelKey: 'office_phone', value: o.phone }),
      field({ name: 'email', labelKey: 'office_email', value: o.email })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'save-office' }, t('save'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      const saved = await api.saveOfficeSettings(collect(form));
      // Show the stored (normalised) values: the NIP without dashes, the account in groups.
      for (const [k, v] of Object.entries(saved)) { const el = form.elements[k]; if (el) el.value = v; }
      toast(t('saved'));
    } catch (err) {
      showFailure(form, err);
    }
  });
  const logoStatus = h('span', { id: 'logo-status' });
  const clear = h('button', { type: 'button', id: 'clear-logo', onclick: async () => {
    try { await api.clearLogo(); await showLogo(); } catch (err) { reportError(err); }
  } }, t('report_logo_clear'));
  const showLogo = async () => {
    const has = await api.hasLogo();
    logoStatus.textContent = has ? t('report_logo_yes') : t('report_logo_no');
    clear.hidden = !has;
  };
  await showLogo();
  return [
    h('p', { class: 'muted' }, t('office_help')),
    form,
    h('fieldset', { class: 'group' }, h('legend', {}, t('report_logo')),
      h('div', { class: 'actions logo-row' }, logoStatus,
        h('button', { type: 'button', id: 'set-logo', onclick: async () => {
          try { if (await api.setLogo()) { toast(t('report_logo_set')); await showLogo(); } } catch (err) { reportError(err); }
        } }, t('report_logo_pick')),
        clear)),
  ];
}

// ----- Użytkownik -----------------------------------------------------------------------

function userSection() {
  return [
    h('p', { class: 'muted' }, t('settings_user_help')),
    h('form', { class: 'inline-form', id: 'user-form', onsubmit: async (e) => {
      e.preventDefault();
      const name = e.target.elements.user_name.value;
      localStorage.setItem('kartoteka.userName', name.trim());
      try {
        const used = await api.setUserName(name);
        toast(t('settings_user_saved', { name: used }));
      } catch (err) { reportError(err); }
    } },
    h('div', { class: 'field' }, h('label', { for: 'user-name' }, t('settings_user_label')),
      h('input', { id: 'user-name', name: 'user_name', type: 'text', value: localStorage.getItem('kartoteka.userName') || '' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('save')))),
    h('h3', {}, t('settings_view')),
    h('p', {}, t('settings_view_help')),
  ];
}

// ----- Listy słownikowe -----------------------------------------------------------------

/**
 * One dictionary list as a table of editable rows with a single "Zapisz listę": only rows that
 * changed (or were added) are sent, every row is checked before anything is written, and a row
 * the core refuses keeps what was typed with the message beside it.
 */
function listEditor({ id, titleKey, helpKey, items, save, onSaved }) {
  const rows = [];
  const body = h('tbody');
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const addRow = (item, isNew) => {
    const code = h('input', { type: 'text', value: item.code, 'aria-label': t('area_code'), class: 'code', readonly: !isNew });
    const name = h('input', { type: 'text', value: item.name, 'aria-label': t('area_name'), class: 'name' });
    const active = h('input', { type: 'checkbox', checked: item.active, 'aria-label': t('area_active') });
    const error = h('p', { class: 'field-error', hidden: true });
    const row = { item, isNew, code, name, active, error, saved: isNew ? null : { name: item.name, active: item.active } };
    row.changed = () => (row.saved === null ? code.value.trim() !== '' || name.value.trim() !== '' : name.value !== row.saved.name || active.checked !== row.saved.active);
    rows.push(row);
    const tr = h('tr', { class: item.parent ? 'sub' : '' }, h('td', {}, code), h('td', {}, name, error), h('td', { class: 'center' }, active));
    body.append(tr);
    return code;
  };
  for (const i of items) addRow(i, false);
  const saveList = async () => {
    status.textContent = '';
    const changed = rows.filter((r) => r.changed());
    for (const r of rows) r.error.hidden = true;
    if (!changed.length) { status.textContent = t('settings_list_nothing'); return; }
    // Checked here first, so a half-filled new row does not leave the list half-saved.
    const incomplete = changed.filter((r) => !r.code.value.trim() || !r.name.value.trim());
    for (const r of incomplete) { r.error.textContent = t('settings_list_incomplete'); r.error.hidden = false; }
    if (incomplete.length) { incomplete[0].name.focus(); return; }
    let done = 0;
    let failed = null;
    for (const r of changed) {
      try {
        await save(r.code.value, r.name.value, r.active.checked, r.item);
        r.saved = { name: r.name.value, active: r.active.checked };
        r.code.readOnly = true;
        done += 1;
      } catch (err) {
        if (!(err instanceof ApiError)) { reportError(err); return; }
        r.error.textContent = err.message;
        r.error.hidden = false;
        failed ||= r;
      }
    }
    if (done) { onSaved?.(); toast(t('settings_list_saved', { n: done, count: done })); }
    if (failed) { status.textContent = t('settings_list_some_failed'); failed.name.focus(); }
  };
  return h('section', { class: 'facts-group', id },
    h('h3', {}, t(titleKey)),
    h('p', { class: 'muted' }, t(helpKey)),
    h('table', { class: 'areas-table' },
      h('thead', {}, h('tr', {}, [t('area_code'), t('area_name'), t('area_active')].map((x) => h('th', { scope: 'col' }, x)))),
      body),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => addRow({ code: '', name: '', active: true }, true).focus() }, t('area_add')),
      h('button', { type: 'button', class: 'primary', dataset: { saveList: id }, onclick: saveList }, t('settings_list_save'))),
    status);
}

async function listsSection() {
  const [ref, categories, topics] = await Promise.all([referenceData(), api.adviceCategories(), api.consultationTopics()]);
  // A new category's parent is taken from its code: ZAD.XYZ belongs to ZAD.
  const saveCategory = (code, name, active) => {
    const upper = code.trim().toUpperCase();
    const parent = upper.includes('.') ? upper.split('.')[0] : null;
    return api.saveAdviceCategory(upper, parent, name, active);
  };
  return [
    listEditor({ id: 'list-areas', titleKey: 'settings_areas', helpKey: 'settings_areas_help', items: ref.areas, save: (c, n, a) => api.saveArea(c, n, a), onSaved: invalidateReference }),
    listEditor({ id: 'list-categories', titleKey: 'settings_categories', helpKey: 'settings_categories_help', items: categories, save: saveCategory }),
    listEditor({ id: 'list-topics', titleKey: 'settings_topics', helpKey: 'settings_topics_help', items: topics, save: (c, n, a) => api.saveConsultationTopic(c, n, a) }),
  ];
}

// ----- Poczta, Kopie i RODO, O programie ----------------------------------------------------

async function mailSection() {
  const { settings: s } = await api.mailSettings();
  return [
    h('p', {}, s.host ? t('settings_mail_summary', { host: s.host, from: s.from_address || '—' }) : t('settings_mail_none')),
    h('p', { class: 'muted' }, t('settings_mail_help')),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'open-mail-settings', onclick: () => go('mail', { settings: true }) }, t('settings_mail_open'))),
  ];
}

async function backupsSection() {
  const s = await api.backupStatus();
  return [
    h('p', { class: s.old ? 'notice' : '' }, s.last_good ? t('backup_last', { at: formatDateTime(s.last_good) }) : t('backup_none')),
    h('p', { class: 'muted' }, t('settings_backups_help')),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'open-backups', onclick: () => go('backups') }, t('settings_backups_open'))),
  ];
}

async function aboutSection() {
  const info = await api.appInfo();
  return [h('dl', { class: 'facts' },
    h('dt', {}, t('about_version')), h('dd', {}, info.version),
    h('dt', {}, t('about_db')), h('dd', {}, h('code', {}, info.database_path)),
    h('dt', {}, t('about_logs')), h('dd', {}, h('code', {}, info.log_dir)))];
}

const BUILDERS = { office: officeSection, user: userSection, lists: listsSection, rooms: roomsSection, library: librarySection, legal_aid: legalAidSection, mail: mailSection, backups: backupsSection, server: serverSection, about: aboutSection };

export const settingsView = {
  async mount(main, params = {}) {
    const chosen = SECTIONS.includes(params.section) ? params.section : lastSection;
    const content = h('section', { class: 'settings-section', id: 'settings-section', role: 'tabpanel', tabindex: '-1' });
    const tabs = SECTIONS.map((s) => h('button', {
      type: 'button', role: 'tab', id: `settings-tab-${s}`, dataset: { section: s }, 'aria-controls': 'settings-section',
      onclick: () => show(s, true),
      onkeydown: (e) => {
        // Arrow keys move between the sections, as in any tab list.
        const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[e.key];
        if (!step) return;
        e.preventDefault();
        const next = SECTIONS[(SECTIONS.indexOf(s) + step + SECTIONS.length) % SECTIONS.length];
        show(next, false).then(() => main.querySelector(`#settings-tab-${next}`)?.focus());
      },
    }, t(`settings_section_${s}`)));
    let showing = 0;
    const show = async (s, focusContent) => {
      const mine = ++showing;
      lastSection = s;
      for (const b of tabs) {
        const on = b.dataset.section === s;
        b.setAttribute('aria-selected', String(on));
        b.tabIndex = on ? 0 : -1;
      }
      try {
        const parts = await BUILDERS[s]();
        if (mine !== showing) return;
        content.setAttribute('aria-labelledby', `settings-tab-${s}`);
        content.replaceChildren(h('h2', {}, t(`settings_section_${s}`)), ...parts);
        if (focusContent) content.focus();
      } catch (err) {
        reportError(err);
      }
    };
    main.replaceChildren(h('div', { class: 'settings settings-sections' },
      h('h1', {}, t('nav_settings')),
      h('div', { class: 'settings-layout' },
        h('nav', { class: 'settings-nav', role: 'tablist', 'aria-orientation': 'vertical', 'aria-label': t('settings_sections') }, tabs),
        content)));
    await show(chosen, false);
  },
};
