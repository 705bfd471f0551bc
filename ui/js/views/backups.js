// Kopie zapasowe: when the last good copy was made (a warning when it is old), "back up now"
// to a place the user picks (a USB stick), the automatic copies in the data folder, and
// restore from one of them or from a file: its date and counts first, then the program
// restarts on the restored data (the current file is kept aside).

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatCount } from '../format.js';
import { toast, reportError, openDialog, refreshStatus } from '../ui.js';

function size(bytes) {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

function counts(b) {
  return t('backup_counts', { orgs: formatCount(b.organizations), people: formatCount(b.people), advice: formatCount(b.advice), events: formatCount(b.events), messages: formatCount(b.messages) });
}

async function restore(b, rerender) {
  const ok = await openDialog((close) => h('form', { class: 'dialog-body', onsubmit: (e) => { e.preventDefault(); close(true); } },
    h('h2', {}, t('backup_restore_title')),
    h('p', {}, t('backup_restore_from', { at: b.made_at })),
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
  const s = await api.backupStatus();
  const rows = s.backups.map((b) => h('tr', {},
    h('td', {}, b.made_at), h('td', {}, size(b.size)), h('td', {}, counts(b)),
    h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => restore(b, () => render(main)) }, t('backup_restore')))));
  main.replaceChildren(h('div', { class: 'settings', id: 'backups' },
    h('h1', {}, t('nav_backups')),
    h('section', { class: 'facts-group' },
      h('p', { class: s.old ? 'notice' : '', id: 'backup-last' },
        s.last_good ? t('backup_last', { at: s.last_good }) : t('backup_none'),
        s.old ? ` ${t('backup_old_hint')}` : ''),
      h('p', { class: 'muted' }, t('backup_auto_help', { folder: s.folder })),
      h('div', { class: 'actions' },
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
        : h('p', { class: 'muted' }, t('backup_list_empty')))));
}

export const backupsView = {
  async mount(main) {
    await render(main);
  },
};
