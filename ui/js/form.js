// Form building blocks shared by the views: labels above fields, titled groups, an error line
// under each field, and a way to show the core's field errors without losing what was typed.

import { ApiError } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { reportError } from './ui.js';

let uid = 0;

/** One labelled field. kind: text | textarea | select | checkbox. */
export function field({ name, labelKey, kind = 'text', value = '', options = [], hintKey, wide = false, required = false, list }) {
  const id = `f-${name}-${++uid}`;
  const errId = `${id}-err`;
  const hintId = hintKey ? `${id}-hint` : null;
  const describedBy = [hintId, errId].filter(Boolean).join(' ');
  let input;
  if (kind === 'textarea') {
    input = h('textarea', { id, name, rows: 3, 'aria-describedby': describedBy, value });
  } else if (kind === 'select') {
    input = h('select', { id, name, 'aria-describedby': describedBy },
      options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.text)));
  } else if (kind === 'checkbox') {
    input = h('input', { id, name, type: 'checkbox', checked: !!value, 'aria-describedby': describedBy });
    return h('div', { class: `field field-check${wide ? ' wide' : ''}`, dataset: { field: name } },
      h('label', { for: id }, input, h('span', {}, t(labelKey))),
      h('p', { class: 'field-error', id: errId, hidden: true }));
  } else {
    input = h('input', { id, name, type: 'text', value, autocomplete: 'off', 'aria-describedby': describedBy, list });
  }
  if (required) input.setAttribute('aria-required', 'true');
  return h('div', { class: `field${wide ? ' wide' : ''}`, dataset: { field: name } },
    h('label', { for: id }, t(labelKey), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input,
    h('p', { class: 'field-error', id: errId, hidden: true }),
    hintKey ? h('p', { class: 'field-hint', id: hintId }, t(hintKey)) : null);
}

export function group(titleKey, ...children) {
  return h('fieldset', { class: 'group' }, h('legend', {}, t(titleKey)), h('div', { class: 'group-grid' }, children));
}

/** Reads the named inputs of a form into a plain object. */
export function collect(form) {
  const out = {};
  for (const el of form.querySelectorAll('input[name], select[name], textarea[name]')) {
    if (el.type === 'checkbox' && el.dataset.multi) {
      (out[el.name] ||= []);
      if (el.checked) out[el.name].push(el.value);
    } else if (el.type === 'checkbox') {
      out[el.name] = el.checked;
    } else {
      out[el.name] = el.value;
    }
  }
  return out;
}

export function clearErrors(form) {
  for (const p of form.querySelectorAll('.field-error')) {
    p.textContent = '';
    p.hidden = true;
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const banner = form.querySelector('.form-banner');
  if (banner) banner.hidden = true;
}

/** Puts each message under its field and moves focus to the first wrong one. */
export function showErrors(form, fields, fallbackMessage) {
  clearErrors(form);
  let first = null;
  const unplaced = [];
  for (const { field: name, message } of fields) {
    const wrap = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (!wrap) {
      unplaced.push(message);
      continue;
    }
    const p = wrap.querySelector('.field-error');
    p.textContent = p.textContent ? `${p.textContent} ${message}` : message;
    p.hidden = false;
    const input = wrap.querySelector('input, select, textarea');
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      first ||= input;
    }
  }
  const banner = form.querySelector('.form-banner');
  if (banner) {
    banner.textContent = [fallbackMessage || t('fix_fields'), ...unplaced].join(' ');
    banner.hidden = false;
  }
  if (first) {
    first.focus();
    first.scrollIntoView({ block: 'center' });
  }
}

/** A failed save: the core's field errors under their fields (what was typed stays), anything else as a message. */
export function showFailure(form, err) {
  if (err instanceof ApiError && err.code === 'invalid') showErrors(form, err.fields);
  else reportError(err);
}

/** A year typed for the "granted in year" filters as the core takes it: empty is any year;
 *  text that is not a number goes as 0, which the core refuses at the field with its message. */
export function grantYear(text) {
  const v = String(text ?? '').trim();
  if (!v) return null;
  return /^\d{1,6}$/.test(v) ? Number(v) : 0;
}

export function options(list, withEmpty = true) {
  const out = withEmpty ? [{ value: '', text: t('choose') }] : [];
  return out.concat(list);
}
