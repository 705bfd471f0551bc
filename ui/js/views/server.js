// Ustawienia → "Baza na serwerze": the connection form (the password goes to the system's
// password store, never to a file), "Sprawdź połączenie", "Przenieś dane na serwer" with a
// progress bar and both sides' counts, then the switch to the server; and the way back to a file.

import { api, ApiError } from '../api.js';
import { h, append } from '../dom.js';
import { t } from '../i18n.js';
import { field, group, collect, clearErrors, showErrors } from '../form.js';
import { formatCount } from '../format.js';
import { toast, reportError, confirmDialog, refreshStatus, invalidateReference } from '../ui.js';

const TLS = ['disable', 'prefer', 'require', 'verify-full'];

function settingsFrom(form) {
  const v = collect(form);
  const port = Number.parseInt(String(v.port).trim(), 10);
  return {
    settings: {
      host: v.host.trim(),
      port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 0,
      database: v.database.trim(),
      user: v.user.trim(),
      tls: v.tls,
    },
    password: v.password || null,
  };
}

/** What "Sprawdź połączenie" found, in one sentence. */
function describeFound(f) {
  if (!f.kartoteka) return t('server_found_empty', { version: f.version });
  if (f.newer) return t('server_found_newer', { version: f.version });
  return t('server_found_kartoteka', {
    version: f.version, orgs: formatCount(f.organizations), people: formatCount(f.people), count: f.organizations,
  });
}

// The tables by what they hold, for the office; the table's own name stays beside it for the
// server's administrator (a table added later shows its name alone until it gets a label).
function tableName(table) {
  const key = `server_table_${table}`;
  const text = t(key);
  return text === key ? table : text;
}

/** Only a password really in the OS store may be left empty for the next start too. */
function passwordHint(status) {
  if (status.password_kept_in === 'secret_store') return 'server_password_kept';
  if (status.password_kept_in === 'session_only') return 'server_password_kept_session';
  return 'server_password_hint';
}

function countsTable(report) {
  return h('table', { class: 'data-table', id: 'server-counts' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('server_counts_table')),
      h('th', { scope: 'col', class: 'num' }, t('server_counts_file')),
      h('th', { scope: 'col', class: 'num' }, t('server_counts_server')))),
    h('tbody', {}, report.tables.map((c) => h('tr', { class: c.file === c.server ? '' : 'status-warn' },
      h('td', {}, tableName(c.table), ' ', h('code', { class: 'muted' }, c.table)),
      h('td', { class: 'num' }, c.file < 0 ? '—' : formatCount(c.file)),
      h('td', { class: 'num' }, c.server < 0 ? '—' : formatCount(c.server))))));
}

export async function serverSection() {
  const status = await api.serverStatus();
  const s = status.settings || { host: '', port: 5432, database: 'kartoteka', user: '', tls: 'prefer' };
  const result = h('div', { id: 'server-result', role: 'status', 'aria-live': 'polite' });
  // What a step found replaces the last answer and is brought into view: it opens below the
  // form, under the window's fold at 1280×720.
  const show = (...parts) => {
    result.replaceChildren(...parts.filter(Boolean));
    result.scrollIntoView({ block: 'nearest' });
  };
  const say = (text, isError = false) => show(h('p', { class: isError ? 'notice error' : '' }, text));
  const form = h('form', { class: 'record-form', id: 'server-form', novalidate: true },
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('server_grp_connection',
      field({ name: 'host', labelKey: 'server_host', value: s.host, hintKey: 'server_host_hint' }),
      field({ name: 'port', labelKey: 'server_port', value: String(s.port) }),
      field({ name: 'database', labelKey: 'server_database', value: s.database }),
      field({ name: 'user', labelKey: 'server_user', value: s.user }),
      field({ name: 'password', labelKey: 'server_password', hintKey: passwordHint(status) }),
      field({ name: 'tls', labelKey: 'server_tls', kind: 'select', value: s.tls, hintKey: 'server_tls_hint',
        options: TLS.map((m) => ({ value: m, text: t(`server_tls_${m.replace('-', '_')}`) })) })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'server-check' }, t('server_check'))));
  const password = form.elements.password;
  password.type = 'password';
  password.autocomplete = 'off';

  // Field errors under their fields (what was typed stays); anything else in the result line.
  const failed = (err) => {
    if (err instanceof ApiError && err.code === 'invalid') showErrors(form, err.fields);
    else say(err.message, true);
  };

  const showReport = (done) => {
    const r = done.report;
    const summary = r.agree ? t('server_counts_agree') : t('server_counts_disagree');
    const switchButton = h('button', {
      type: 'button', class: 'primary', id: 'server-switch', disabled: !r.agree,
      onclick: async () => {
        if (!(await confirmDialog(t('server_switch_question'), t('server_switch')))) return;
        try {
          await api.serverSwitch();
          invalidateReference();
          await refreshStatus();
          toast(t('server_switched'));
          await render();
        } catch (err) { failed(err); }
      },
    }, t('server_switch'));
    show(
      h('p', { class: r.agree ? '' : 'notice error', id: 'server-counts-summary' }, summary),
      countsTable(r),
      r.kept_aside ? h('p', { class: 'muted' }, t('server_kept_aside', { path: r.kept_aside })) : null,
      done.kept === 'session_only' ? h('p', { class: 'notice' }, t('server_password_session')) : null,
      h('div', { class: 'actions' }, switchButton));
  };

  const transfer = async (found) => {
    const { settings, password: typed } = settingsFrom(form);
    let replace = false;
    if (found.kartoteka && (found.organizations + found.people + found.advice) > 0) {
      replace = await confirmDialog(t('server_replace_question', {
        orgs: formatCount(found.organizations), people: formatCount(found.people),
      }), t('server_replace'));
      if (!replace) return;
    }
    const bar = h('progress', { id: 'server-progress', max: 1, value: 0 });
    const line = h('p', { id: 'server-progress-text' }, t('server_transfer_starting'));
    show(h('div', { class: 'progress-block' }, bar, line));
    for (const b of form.querySelectorAll('button')) b.disabled = true;
    try {
      const done = await api.serverTransfer(settings, typed, replace, (p) => {
        bar.max = Math.max(1, p.total);
        bar.value = p.done;
        line.textContent = t('server_transfer_progress', { done: formatCount(p.done), total: formatCount(p.total) });
      });
      showReport(done);
    } catch (err) {
      failed(err);
    } finally {
      for (const b of form.querySelectorAll('button')) b.disabled = false;
    }
  };

  const connect = async () => {
    const { settings, password: typed } = settingsFrom(form);
    if (!(await confirmDialog(t('server_connect_question'), t('server_connect')))) return;
    try {
      const c = await api.serverConnect(settings, typed);
      invalidateReference();
      await refreshStatus();
      toast(t('server_connected', { orgs: formatCount(c.organizations), count: c.organizations }));
      if (c.kept === 'session_only') toast(t('server_password_session'));
      await render();
    } catch (err) { failed(err); }
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const { settings, password: typed } = settingsFrom(form);
    say(t('server_checking'));
    try {
      const found = await api.serverCheck(settings, typed);
      const actions = [];
      if (!status.on_server && !found.newer) {
        actions.push(h('button', { type: 'button', class: 'primary', id: 'server-transfer', onclick: () => transfer(found) }, t('server_transfer')));
      }
      if (found.kartoteka && !found.newer) {
        actions.push(h('button', { type: 'button', id: 'server-connect', onclick: connect }, t('server_connect')));
      }
      show(
        h('p', { id: 'server-found' }, describeFound(found)),
        found.kartoteka && found.organizations + found.people > 0 && !status.on_server
          ? h('p', { class: 'notice' }, t('server_holds_data'))
          : null,
        actions.length ? h('div', { class: 'actions' }, actions) : null);
    } catch (err) {
      failed(err);
    }
  });

  // The server in words; the postgres:// address stays only as a small line for the administrator.
  const here = status.on_server && status.settings
    ? h('div', {},
        h('p', { id: 'server-mode' }, t('server_mode_server', {
          host: status.settings.host, port: status.settings.port,
          database: status.settings.database, user: status.settings.user,
        })),
        h('p', { class: 'muted', id: 'server-address' }, t('server_mode_address', { address: status.address })))
    : h('p', { id: 'server-mode' }, t('server_mode_file', { path: status.address }));
  const back = status.on_server
    ? h('div', { class: 'actions' }, h('button', {
        type: 'button', id: 'server-use-file',
        onclick: async () => {
          if (!(await confirmDialog(t('server_use_file_question', { path: status.home_file }), t('server_use_file')))) return;
          try {
            const path = await api.serverUseFile();
            invalidateReference();
            await refreshStatus();
            toast(t('server_on_file', { path }));
            await render();
          } catch (err) { reportError(err); }
        },
      }, t('server_use_file')))
    : null;
  const root = h('div', { id: 'server-section' });
  const render = async () => {
    const parts = await serverSection();
    root.replaceWith(...parts);
  };
  append(root, [
    here,
    h('p', { class: 'muted' }, t('server_help')),
    form,
    result,
    back,
    h('p', { class: 'muted', id: 'server-backups-note' },
      status.on_server ? t('server_backups_note', { folder: status.backup_folder }) : t('server_backups_note_file')),
  ]);
  return [root];
}
