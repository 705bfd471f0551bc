// The screen shown instead of the register when the database could not be opened at start
// (a damaged file, one written by a newer version, no permission): why, in Polish, and the
// ways out: restore the last good backup or another copy, or open the folder with the file.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDateTime } from '../format.js';

function counts(b) {
  return t('backup_counts', { orgs: b.organizations, people: b.people, advice: b.advice, events: b.events, messages: b.messages });
}

/** Asks the core whether the start failed; if it did, shows the screen and returns true. */
export async function showStartupProblem() {
  let problem;
  try {
    problem = await api.startupProblem();
  } catch {
    return false;
  }
  if (!problem) return false;
  // Only text size and contrast stay: the rest (search, sections, help, language switch that
  // reloads data) needs the database.
  for (const sel of ['.sidebar', '.search', '#status', '.skip-link', '#lang-toggle', '#help-button', '#about-button']) {
    const el = document.querySelector(sel);
    if (el) el.hidden = true;
  }
  render(problem);
  return true;
}

/** A server that refused the kept password (or none was kept): ask for it, or go back to the file. */
function renderServer(problem) {
  const main = document.getElementById('main');
  const message = h('p', { class: 'startup-message', role: 'status', 'aria-live': 'polite' });
  const input = h('input', { type: 'password', id: 'startup-password', autocomplete: 'off' });
  const form = h('form', {
    class: 'inline-form', id: 'startup-server-form',
    onsubmit: async (e) => {
      e.preventDefault();
      message.textContent = t('startup_server_connecting');
      message.classList.remove('error');
      try {
        await api.startupServerPassword(input.value);
      } catch (err) {
        message.textContent = err.message;
        message.classList.add('error');
        input.focus();
      }
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'startup-password', text: t('startup_server_password') }), input),
  h('button', { type: 'submit', class: 'primary', id: 'startup-connect', text: t('startup_server_connect') }));
  // No password on this PC at all (none kept between starts) is a question, not a failure:
  // the server's refusal is only shown for a password that was really tried.
  const asking = problem.no_password;
  const s = problem.server;
  const heading = h('h1', { id: 'startup-title', tabindex: '-1', text: t(asking ? 'startup_server_ask_title' : 'startup_server_title') });
  main.replaceChildren(h('section', { class: 'startup-error', 'aria-labelledby': 'startup-title' },
    heading,
    asking
      ? h('p', { id: 'startup-ask', text: t('startup_server_ask_text') })
      : h('p', { class: 'startup-reason', id: 'startup-reason', role: 'alert', text: problem.message }),
    h('p', { text: t('startup_server_where', { host: s.host, port: s.port, database: s.database, user: s.user }) }),
    h('p', { class: 'hint', text: t('startup_server_address', { address: problem.database_path }) }),
    form,
    message,
    h('h2', { text: t('startup_ways_out') }),
    h('p', { text: t('startup_server_file_hint') }),
    h('div', { class: 'actions' }, h('button', {
      type: 'button', id: 'startup-use-file', text: t('startup_server_use_file'),
      onclick: () => api.startupUseFile().catch((e) => { message.textContent = e.message; message.classList.add('error'); }),
    })),
    h('p', { class: 'hint', text: t('startup_log', { dir: problem.log_dir }) })));
  input.focus();
}

function render(problem) {
  if (problem.server) {
    renderServer(problem);
    return;
  }
  const main = document.getElementById('main');
  const message = h('p', { class: 'startup-message', role: 'status', 'aria-live': 'polite' });
  const say = (text, isError = false) => {
    message.textContent = text;
    message.classList.toggle('error', isError);
  };

  // A restore replaces the file: the user says yes once more, next to the copy chosen.
  const confirmArea = h('div', { class: 'startup-confirm', id: 'startup-confirm' });
  const askRestore = (backup) => {
    confirmArea.replaceChildren(
      h('p', { text: t('startup_restore_question', { at: formatDateTime(backup.made_at), file: backup.file_name }) }),
      h('p', { text: counts(backup) }),
      h('p', { class: 'hint', text: t('startup_restore_aside') }),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', class: 'primary', id: 'startup-restore-confirm', text: t('backup_restore'),
          onclick: async (ev) => {
            ev.currentTarget.disabled = true;
            say(t('backup_restoring'));
            try {
              await api.startupRestore(backup.path);
            } catch (e) {
              say(e.message, true);
              confirmArea.replaceChildren();
            }
          },
        }),
        h('button', { type: 'button', text: t('cancel'), onclick: () => confirmArea.replaceChildren() })),
    );
    confirmArea.querySelector('#startup-restore-confirm').focus();
  };

  const [last, ...older] = problem.backups;
  const restoreSection = last
    ? [
        h('p', { text: t('startup_last_good', { at: formatDateTime(last.made_at), file: last.file_name }) }),
        h('p', { class: 'hint', text: counts(last) }),
        h('button', { type: 'button', class: 'primary', id: 'startup-restore-last', text: t('startup_restore_last'), onclick: () => askRestore(last) }),
        older.length
          ? h('details', {},
              h('summary', { text: t('startup_older', { n: older.length }) }),
              h('ul', { class: 'startup-backups' }, older.map((b) => h('li', {},
                h('span', { text: `${formatDateTime(b.made_at)} (${b.file_name}): ${counts(b)} ` }),
                h('button', { type: 'button', class: 'startup-restore', text: t('backup_restore'), onclick: () => askRestore(b) })))))
          : null,
      ]
    : [h('p', { text: t('startup_no_backups', { folder: problem.folder }) })];

  const heading = h('h1', { id: 'startup-title', tabindex: '-1', text: t('startup_title') });
  main.replaceChildren(h('section', { class: 'startup-error', 'aria-labelledby': 'startup-title' },
    heading,
    h('p', { class: 'startup-reason', id: 'startup-reason', role: 'alert', text: problem.message }),
    h('p', { class: 'hint', text: t('startup_file', { path: problem.database_path }) }),
    h('h2', { text: t('startup_ways_out') }),
    ...restoreSection,
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', id: 'startup-pick', text: t('startup_pick_file'),
        onclick: async () => {
          try {
            const picked = await api.startupPickBackup();
            if (picked) askRestore(picked);
          } catch (e) {
            say(e.message, true);
          }
        },
      }),
      h('button', {
        type: 'button', id: 'startup-open-folder', text: t('startup_open_folder'),
        onclick: () => api.startupOpenFolder().catch((e) => say(e.message, true)),
      })),
    confirmArea,
    message,
    h('p', { class: 'hint', text: t('startup_log', { dir: problem.log_dir }) }),
  ));
  heading.focus();
}
