// Kopie zapasowe: when the last good copy was made (a warning when it is old), "back up now"
// to a place the user picks (a USB stick), the automatic copies in the data folder, and
// restore from one of them or from a file: its date and counts first, then the program
// restarts on the restored data (the current file is kept aside).

import { api } from '../api.js';
import { clearErrors, showFailure } from '../form.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount, formatDate, formatDateTime, formatPeriod } from '../format.js';
import { toast, reportError, openDialog, confirmDialog, refreshStatus } from '../ui.js';

function size(bytes) {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

function counts(b) {
  return t('backup_counts', { orgs: formatCount(b.organizations), people: formatCount(b.people), advice: formatCount(b.advice), events: formatCount(b.events), messages: formatCount(b.messages) });
}

async function restore(b, rerender) {
  const ok = await openDialog((close) => h('form', { class: 'dialog-body', onsubmit: (e) => { e.preventDefault(); close(true); } },
    h('h2', {}, t('backup_restore_title')),
    h('p', {}, t('backup_restore_from', { at: formatDateTime(b.made_at) })),
    h('p', { id: 'restore-counts' }, counts(b)),
    h('p', { class: 'notice' }, t('backup_restore_warning')),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'confirm-restore' }, t('backup_restore')),
      h('button', { type: 'button', onclick: () => close(false) }, t('cancel')))));
  if (!ok) return;
  try {
    toast(t('backup_restoring'));
    await api.restoreBackup(b.path);
  } catch (err) {
    reportError(err);
    await rerender();
  }
}

async function render(main) {
  const [s, me] = await Promise.all([api.backupStatus(), api.currentLogin()]);
  // Office staff on a server may neither copy nor restore the whole database (the server
  // refuses it): the page does not offer what would only fail after a dialog.
  const backs = me.makes_backups;
  const rows = s.backups.map((b) => h('tr', {},
    h('td', {}, formatDateTime(b.made_at)), h('td', {}, size(b.size)), h('td', {}, counts(b)),
    h('td', {}, backs ? h('button', { type: 'button', class: 'small', onclick: () => restore(b, () => render(main)) }, t('backup_restore')) : null)));
  main.replaceChildren(h('div', { class: 'settings', id: 'backups' },
    h('h1', {}, t('nav_backups')),
    h('section', { class: 'facts-group' },
      h('p', { class: s.old ? 'notice' : '', id: 'backup-last' },
        s.last_good ? t('backup_last', { at: formatDateTime(s.last_good) }) : t('backup_none'),
        s.old ? ` ${t('backup_old_hint')}` : ''),
      h('p', { class: 'muted', id: 'backup-auto-help' }, backs ? t('backup_auto_help', { folder: s.folder }) : t('backup_server_staff_help')),
      !backs ? null : h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'backup-now', onclick: async () => {
          try {
            const b = await api.backupNow();
            if (b) { toast(t('backup_made', { path: b.path })); await refreshStatus(); await render(main); }
          } catch (err) { reportError(err); }
        } }, t('backup_now')),
        h('button', { type: 'button', id: 'restore-file', onclick: async () => {
          try { const b = await api.backupPickFile(); if (b) await restore(b, () => render(main)); } catch (err) { reportError(err); }
        } }, t('backup_restore_file')))),
    h('section', { class: 'facts-group' },
      h('h2', {}, t('backup_list')),
      rows.length
        ? h('table', { class: 'consents', id: 'backup-list' },
          h('thead', {}, h('tr', {}, [t('backup_col_date'), t('backup_col_size'), t('backup_col_counts'), ''].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, rows))
        : h('p', { class: 'muted' }, t('backup_list_empty'))),
    await retentionSection(me.changes_retention)));
}

/** RODO retention: how long records keep personal data, with a preview before applying. */
const RULES = ['advice_years', 'archived_people_years', 'mail_years', 'consultation_years', 'event_list_years', 'loan_years'];

/** The periods as text for a login that may not change them (office staff on a server). */
function retentionReadOnly(s) {
  return h('section', { class: 'facts-group', id: 'retention-readonly' },
    h('h2', {}, t('retention_title')),
    h('p', { class: 'muted' }, t('retention_readonly_help')),
    h('dl', { class: 'facts' }, ...RULES.flatMap((name) => [
      h('dt', {}, t(`retention_${name}`)),
      h('dd', { id: `ret-${name}` }, s[name] == null ? t('retention_no_limit') : formatCount(s[name])),
    ])));
}

async function retentionSection(changes) {
  const s = await api.retentionSettings();
  if (!changes) return retentionReadOnly(s);
  const preview = h('div', { class: 'audience', id: 'retention-preview', 'aria-live': 'polite' });
  const showPreview = (p) => preview.replaceChildren(...[
    h('p', {}, (p.advice_oldest || p.advice_newest) ? t('retention_advice_preview', { n: formatCount(p.advice_count), period: formatPeriod(p.advice_oldest, p.advice_newest) }) : t('retention_advice_preview_none', { n: formatCount(p.advice_count) })),
    h('p', {}, t('retention_people_preview', { n: formatCount(p.people_count) })),
    h('p', {}, t('retention_mail_preview', { n: formatCount(p.mail_count) })),
    p.people_sample.length ? h('ul', { class: 'plain-list small' }, p.people_sample.map(([, name, at]) => h('li', {}, `${name} (${t('retention_archived_on')} ${formatDate(at)})`))) : null,
    h('p', {}, t('retention_consultation_preview', { n: formatCount(p.consultation_count) })),
    h('p', {}, t('retention_event_preview', { n: formatCount(p.event_count), people: formatCount(p.event_people) })),
    p.event_sample.length ? h('ul', { class: 'plain-list small' }, p.event_sample.map(([, title, at, n]) => h('li', {}, `${formatDate(at)} · ${title} (${t('retention_event_people', { n: formatCount(n) })})`))) : null,
    h('p', {}, t('retention_loan_preview', { n: formatCount(p.loan_count) })),
  ].filter(Boolean));
  const years = (name, value) => h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: `ret-${name}` }, t(`retention_${name}`)),
    h('input', { id: `ret-${name}`, name, type: 'text', inputmode: 'numeric', value: value ?? '', placeholder: t('retention_no_limit') }),
    h('p', { class: 'field-error', hidden: true }));
  const form = h('form', { class: 'inline-form', id: 'retention-form', novalidate: true },
    ...RULES.map((name) => years(name, s[name])),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('retention_save_preview'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    // Anything but a short whole number goes as 0, which the core refuses at that field.
    const num = (v) => (v.trim() === '' ? null : (/^\d{1,4}$/.test(v.trim()) ? Number(v.trim()) : 0));
    clearErrors(form);
    try {
      showPreview(await api.saveRetentionSettings(Object.fromEntries(RULES.map((name) => [name, num(form.elements[name].value)]))));
    } catch (err) {
      showFailure(form, err);
    }
  });
  showPreview(await api.retentionPreview());
  return h('section', { class: 'facts-group' }, h('h2', {}, t('retention_title')), h('p', { class: 'muted' }, t('retention_help')), form, preview,
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'apply-retention', onclick: async () => {
      const p = await api.retentionPreview();
      if (!(await confirmDialog(t('retention_apply_confirm', { advice: formatCount(p.advice_count), people: formatCount(p.people_count), mail: formatCount(p.mail_count), consultations: formatCount(p.consultation_count), events: formatCount(p.event_count), loans: formatCount(p.loan_count) }), t('retention_apply')))) return;
      try {
        const done = await api.applyRetention();
        toast(t('retention_applied', { advice: done.advice, people: done.people, mail: done.mail, consultations: done.consultations, events: done.event_lists, loans: done.loans }));
        showPreview(await api.retentionPreview());
      } catch (err) { reportError(err); }
    } }, t('retention_apply'))));
}

export const backupsView = {
  async mount(main) {
    await render(main);
  },
};
