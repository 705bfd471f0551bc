// Użytkownicy (only on a server, only for administrators): the staff's own server logins with
// their role (administrator, doradca, pracownik biura) and whether they may sign in; a new
// login, a role change, turning a login off or on, and a new password. The server decides who
// may do this and what each role reads; this screen only asks it.

import { api } from '../api.js';
import { clearErrors, showErrors, showFailure, collect } from '../form.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { toast, reportError, openDialog, confirmDialog } from '../ui.js';
import { modal } from '../dialog.js';

const ROLES = ['administrator', 'doradca', 'pracownik'];

const roleLabel = (role) => ({
  administrator: t('users_role_administrator'),
  doradca: t('users_role_doradca'),
  pracownik: t('users_role_pracownik'),
}[role]);

const roleOptions = (selected) => ROLES.map((r) => h('option', { value: r, selected: r === selected }, roleLabel(r)));

/** A password field (never shown in clear, never remembered by the page). */
function passwordField(name, labelKey, hintKey = null) {
  const id = `users-${name}`;
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, t(labelKey)),
    h('input', { id, name, type: 'password', autocomplete: 'new-password', 'aria-describedby': `${id}-err` }),
    h('p', { class: 'field-error', id: `${id}-err`, hidden: true }),
    hintKey ? h('p', { class: 'field-hint' }, t(hintKey)) : null);
}

/** The two password fields must agree before the server is asked. */
function passwordsDiffer(form) {
  const { password, password_again: again } = collect(form);
  if (password === again) return false;
  showErrors(form, [{ field: 'password_again', message: t('users_password_mismatch') }]);
  return true;
}

async function changeRole(user, rerender) {
  const role = await openDialog((close) => {
    const select = h('select', { id: 'users-new-role' }, roleOptions(user.role));
    return h('form', { class: 'dialog-body', onsubmit: (e) => { e.preventDefault(); close(select.value); } },
      h('h2', {}, t('users_change_role_title', { login: user.login })),
      h('label', { for: 'users-new-role', class: 'dialog-message' }, t('users_col_role')),
      select,
      h('p', { class: 'muted' }, t('users_roles_help')),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, t('users_change_role')),
        h('button', { type: 'button', onclick: () => close(null) }, t('cancel'))));
  });
  if (!role || role === user.role) return;
  try {
    await api.setLoginRole(user.login, role);
    toast(t('users_role_changed', { login: user.login, role: roleLabel(role) }));
    await rerender();
  } catch (err) { reportError(err); }
}

async function switchLogin(user, rerender) {
  const enable = !user.can_log_in;
  const question = enable ? t('users_enable_question', { login: user.login }) : t('users_disable_question', { login: user.login });
  if (!(await confirmDialog(question, enable ? t('users_enable') : t('users_disable')))) return;
  try {
    await api.setLoginEnabled(user.login, enable);
    toast(enable ? t('users_enabled', { login: user.login }) : t('users_disabled', { login: user.login }));
    await rerender();
  } catch (err) { reportError(err); }
}

async function resetPassword(user) {
  await modal((close) => {
    const form = h('form', { class: 'dialog-body', id: 'users-reset-form', novalidate: true },
      h('h2', {}, t('users_reset_title', { login: user.login })),
      passwordField('password', 'users_password', 'users_password_hint'),
      passwordField('password_again', 'users_password_again'),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, t('users_reset')),
        h('button', { type: 'button', onclick: () => close(false) }, t('cancel'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      if (passwordsDiffer(form)) return;
      try {
        await api.resetLoginPassword(user.login, collect(form).password);
        toast(t('users_reset_done', { login: user.login }));
        close(true);
      } catch (err) { showFailure(form, err); }
    });
    return form;
  }, { safe: false, focus: '#users-password' });
}

function newLoginForm(rerender) {
  const form = h('form', { class: 'inline-form', id: 'users-new', novalidate: true },
    h('div', { class: 'field', dataset: { field: 'login' } },
      h('label', { for: 'users-login' }, t('users_login')),
      h('input', { id: 'users-login', name: 'login', type: 'text', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'users-login-err users-login-hint' }),
      h('p', { class: 'field-error', id: 'users-login-err', hidden: true }),
      h('p', { class: 'field-hint', id: 'users-login-hint' }, t('users_login_hint'))),
    h('div', { class: 'field', dataset: { field: 'role' } },
      h('label', { for: 'users-role' }, t('users_col_role')),
      h('select', { id: 'users-role', name: 'role' }, roleOptions('pracownik')),
      h('p', { class: 'field-error', hidden: true })),
    passwordField('password', 'users_password', 'users_password_hint'),
    passwordField('password_again', 'users_password_again'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'users-create' }, t('users_create'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    if (passwordsDiffer(form)) return;
    const { login, role, password } = collect(form);
    try {
      const made = await api.createLogin({ login, role, password });
      toast(t('users_created', { login: made }));
      form.reset();
      await rerender();
    } catch (err) { showFailure(form, err); }
  });
  return form;
}

async function render(main) {
  const [me, users] = await Promise.all([api.currentLogin(), api.listLogins()]);
  const rerender = () => render(main).catch(reportError);
  const rows = users.map((u) => h('tr', { dataset: { login: u.login } },
    h('td', {}, h('code', {}, u.login), u.login === me.login ? h('span', { class: 'muted' }, ` (${t('users_you')})`) : null),
    h('td', {}, roleLabel(u.role)),
    h('td', { class: u.can_log_in ? '' : 'status-warn' }, u.can_log_in ? t('users_can_log_in') : t('users_cannot_log_in')),
    h('td', { class: 'actions' },
      // One's own role and login are changed by another administrator (the server would keep
      // an office without anyone to manage logins otherwise).
      u.login === me.login ? null : h('button', { type: 'button', class: 'small', onclick: () => changeRole(u, rerender) }, t('users_change_role')),
      u.login === me.login ? null : h('button', { type: 'button', class: 'small', onclick: () => switchLogin(u, rerender) }, u.can_log_in ? t('users_disable') : t('users_enable')),
      h('button', { type: 'button', class: 'small', onclick: () => resetPassword(u) }, t('users_reset')))));
  main.replaceChildren(h('div', { class: 'settings', id: 'users' },
    h('h1', {}, t('nav_users')),
    h('p', { class: 'muted' }, t('users_help')),
    h('p', { class: 'muted' }, t('users_roles_help')),
    h('section', { class: 'facts-group' },
      h('h2', {}, t('users_list')),
      rows.length
        ? h('table', { class: 'consents', id: 'users-list' },
          h('thead', {}, h('tr', {}, [t('users_col_login'), t('users_col_role'), t('users_col_status'), ''].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, rows))
        : h('p', { class: 'muted' }, t('users_list_empty'))),
    h('section', { class: 'facts-group' },
      h('h2', {}, t('users_new')),
      newLoginForm(rerender))));
}

export const usersView = {
  async mount(main) {
    await render(main);
  },
};
