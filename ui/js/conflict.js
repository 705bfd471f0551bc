// A refused save because a colleague (another window, another PC, an import) saved the record
// after this form was opened: the panel that says who and when, shows their version beside what
// was typed, and re-applies the typed changes on their version or drops them. The form and
// everything typed in it stay as they were until the user picks.

import { h } from './dom.js';
import { t } from './i18n.js';
import { collect } from './form.js';

/** Form values as text for comparing and showing (lists one per line, checkboxes tak/nie). */
function shown(v) {
  if (Array.isArray(v)) return v.join(', ');
  if (v === true) return t('yes');
  if (v === false) return t('no');
  return v ?? '';
}

const same = (a, b) => JSON.stringify(a ?? '') === JSON.stringify(b ?? '');

/** The label a person sees for a named field of the form. */
function fieldLabel(form, name) {
  const wrap = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  const text = wrap?.querySelector('label, legend')?.textContent?.replace(/\s*\*\s*$/, '').trim();
  return text || name;
}

/** Puts values into the form's named inputs, the reverse of `collect`. */
export function fill(form, values) {
  for (const el of form.querySelectorAll('input[name], select[name], textarea[name]')) {
    if (!(el.name in values)) continue;
    const v = values[el.name];
    if (el.type === 'checkbox' && el.dataset.multi) el.checked = (v || []).includes(el.value);
    else if (el.type === 'checkbox') el.checked = !!v;
    else el.value = v ?? '';
  }
}

/**
 * Shows the conflict panel at the top of `form`.
 * - `original`: the form's values when it was opened (what the user started from);
 * - `theirs`: `{ values, revision }`, the record as saved now, in the form's own terms;
 * - `onReapply(merged, revision)`: saves `merged` (their version with the fields the user changed
 *   set to what the user typed) on their revision;
 * - `onDiscard()`: drops the typed changes and shows their version;
 * - `read(form)`: the form's values (default `collect`; a view adds what is not a named input).
 */
export function showConflict(form, message, { original, theirs, onReapply, onDiscard, read = collect }) {
  form.querySelector('.conflict')?.remove();
  const mine = read(form);
  const changedByMe = Object.keys(mine).filter((k) => !same(mine[k], original[k]));
  const differing = Object.keys(mine).filter((k) => k in theirs.values && !same(mine[k], theirs.values[k]));
  const table = h('table', { class: 'conflict-diff', id: 'conflict-diff', hidden: true },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('conflict_field')),
      h('th', { scope: 'col' }, t('conflict_theirs')),
      h('th', { scope: 'col' }, t('conflict_mine')))),
    h('tbody', {}, differing.length
      ? differing.map((k) => h('tr', { dataset: { field: k } },
        h('th', { scope: 'row' }, fieldLabel(form, k)),
        h('td', { class: 'theirs' }, shown(theirs.values[k])),
        h('td', { class: 'mine' }, shown(mine[k]))))
      : h('tr', {}, h('td', { colspan: 3 }, t('conflict_no_difference')))));
  const toggle = h('button', {
    type: 'button', id: 'conflict-show', 'aria-expanded': 'false', 'aria-controls': 'conflict-diff',
    onclick: () => {
      table.hidden = !table.hidden;
      toggle.setAttribute('aria-expanded', String(!table.hidden));
      toggle.textContent = t(table.hidden ? 'conflict_show' : 'conflict_hide');
    },
  }, t('conflict_show'));
  const panel = h('section', { class: 'conflict', role: 'alert', tabindex: '-1', 'aria-labelledby': 'conflict-title' },
    h('h3', { id: 'conflict-title' }, t('conflict_title')),
    h('p', { class: 'conflict-message' }, message),
    h('p', { class: 'muted' }, t('conflict_help')),
    table,
    h('div', { class: 'actions' },
      toggle,
      h('button', {
        type: 'button', class: 'primary', id: 'conflict-reapply',
        onclick: () => {
          const merged = { ...theirs.values };
          for (const k of changedByMe) merged[k] = mine[k];
          panel.remove();
          onReapply(merged, theirs.revision);
        },
      }, t('conflict_reapply')),
      h('button', {
        type: 'button', id: 'conflict-discard',
        onclick: () => { panel.remove(); onDiscard(); },
      }, t('conflict_discard'))));
  const title = form.querySelector('h2');
  if (title) title.after(panel);
  else form.prepend(panel);
  panel.scrollIntoView({ block: 'nearest' });
  panel.focus();
  return panel;
}
