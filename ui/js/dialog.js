// The app's own modal dialog. The Tauri WebKitGTK window never shows the browser's own confirm,
// alert and prompt boxes (and WebDriver answers them itself), so every question goes through
// here: role dialog or alertdialog, labelled by its heading, focus kept inside, Esc = the safe
// choice, focus back on the opener afterwards; every function returns a Promise.

import { h } from './dom.js';
import { t } from './i18n.js';

let seq = 0;

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

function focusables(el) {
  return [...el.querySelectorAll(FOCUSABLE)].filter((x) => !x.closest('[hidden]') && x.getClientRects().length > 0);
}

/**
 * Opens a modal dialog. `build(close)` returns its content; close(value) resolves the Promise.
 * Esc (or anything else that closes the dialog) resolves with `safe`. The first dialog uses the
 * page's #dialog element (tests and styles know it); one opened above it gets its own element.
 * `focus` is a selector for the element to focus first (else the first [autofocus] or field).
 */
export function modal(build, { role = 'dialog', safe = undefined, focus = null, kind = '' } = {}) {
  const opener = document.activeElement;
  const shared = document.getElementById('dialog');
  const own = !shared || shared.open;
  const el = own ? document.body.appendChild(h('dialog', {})) : shared;
  el.className = 'app-dialog';
  el.setAttribute('role', role);
  el.setAttribute('aria-modal', 'true');
  if (kind) el.dataset.kind = kind;
  else delete el.dataset.kind;
  return new Promise((resolve) => {
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      el.removeEventListener('keydown', onKey);
      el.removeEventListener('cancel', onCancel);
      el.onclose = null;
      if (el.open) el.close();
      if (own) el.remove();
      else el.replaceChildren();
      // Back to where the user was, unless that element was replaced meanwhile.
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
      resolve(value);
    };
    // The Esc that opened this dialog (a form's Esc asks "leave?") must not also close it: its
    // default action reaches the dialog once it is open, within the same task.
    let armed = false;
    setTimeout(() => { armed = true; }, 0);
    const onCancel = (e) => {
      e.preventDefault();
      if (armed) finish(safe);
    };
    const onKey = (e) => {
      if (e.key === 'Escape') {
        // The view's own Esc (leave the form) must not also run behind the dialog.
        e.preventDefault();
        e.stopPropagation();
        finish(safe);
      } else if (e.key === 'Tab') {
        const items = focusables(el);
        if (!items.length) { e.preventDefault(); return; }
        const first = items[0];
        const last = items[items.length - 1];
        if (e.shiftKey && (document.activeElement === first || !el.contains(document.activeElement))) { e.preventDefault(); last.focus(); }
        else if (!e.shiftKey && (document.activeElement === last || !el.contains(document.activeElement))) { e.preventDefault(); first.focus(); }
      }
      // Shortcuts of the window (Ctrl+S, Ctrl+N, F1) must not act on the form behind the dialog.
      if (e.ctrlKey || e.metaKey || e.key === 'F1') e.stopPropagation();
    };
    el.replaceChildren(build(finish));
    const heading = el.querySelector('h1, h2, h3');
    el.removeAttribute('aria-labelledby');
    el.removeAttribute('aria-label');
    if (heading) {
      heading.id ||= `dialog-title-${++seq}`;
      el.setAttribute('aria-labelledby', heading.id);
    } else {
      const text = el.querySelector('p')?.textContent || t('dialog_label');
      el.setAttribute('aria-label', text.slice(0, 200));
    }
    const described = el.querySelector('.dialog-message');
    if (described) {
      described.id ||= `dialog-text-${++seq}`;
      el.setAttribute('aria-describedby', described.id);
    } else {
      el.removeAttribute('aria-describedby');
    }
    el.addEventListener('keydown', onKey);
    el.addEventListener('cancel', onCancel);
    el.onclose = () => finish(safe);
    el.showModal();
    const first = (focus && el.querySelector(focus)) || el.querySelector('[autofocus]') || el.querySelector('input, select, textarea') || focusables(el)[0];
    // The dialog opens at its top (its title), even when the first control sits lower.
    first?.focus({ preventScroll: true });
    // WebKitGTK scrolls to the focused button anyway; put the title back in view.
    const toTop = () => { el.scrollTop = 0; el.querySelectorAll('.dialog-body').forEach((b) => { b.scrollTop = 0; }); };
    toTop();
    requestAnimationFrame(toTop);
  });
}

/**
 * Asks a yes/no question. Resolves true only for the confirming button; Esc and the other button
 * give false. The safe button has the focus, so Enter never confirms by accident.
 */
export function confirmBox(message, { title = null, ok = t('ok'), cancel = t('cancel'), danger = false, id = '' } = {}) {
  return modal((close) => h('div', { class: 'dialog-body', id: id || null },
    title ? h('h2', {}, title) : null,
    h('p', { class: 'dialog-message' }, message),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: danger ? 'primary danger' : 'primary', 'data-answer': 'ok', onclick: () => close(true) }, ok),
      h('button', { type: 'button', 'data-answer': 'cancel', onclick: () => close(false) }, cancel))),
  { role: 'alertdialog', safe: false, focus: '[data-answer=cancel]' });
}

/** Tells the user something; resolves when it is dismissed. */
export function alertBox(message, { title = null } = {}) {
  return modal((close) => h('div', { class: 'dialog-body' },
    title ? h('h2', {}, title) : null,
    h('p', { class: 'dialog-message' }, message),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => close() }, t('close')))),
  { role: 'alertdialog' });
}

/** Asks for one line of text; resolves with it, or null when cancelled (Esc). */
export function promptBox(message, value = '', { ok = t('ok'), id = 'dialog-prompt' } = {}) {
  return modal((close) => {
    const input = h('input', { type: 'text', id, value, autocomplete: 'off', spellcheck: 'false' });
    const form = h('form', { class: 'dialog-body', onsubmit: (e) => { e.preventDefault(); close(input.value); } },
      h('label', { for: id, class: 'dialog-message' }, message),
      input,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, ok),
        h('button', { type: 'button', onclick: () => close(null) }, t('cancel'))));
    queueMicrotask(() => input.select());
    return form;
  }, { safe: null, focus: `#${id}` });
}

let pendingLeave = null;

/**
 * "Niezapisane zmiany": resolves true when the user chooses to discard them, false to stay.
 * Several routes can ask at once (a click and the window's close): they share one question.
 */
export function askLeave() {
  pendingLeave ||= modal((close) => h('div', { class: 'dialog-body', id: 'leave-dialog' },
    h('h2', {}, t('leave_title')),
    h('p', { class: 'dialog-message' }, t('leave_text')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', id: 'leave-stay', onclick: () => close(false) }, t('leave_stay')),
      h('button', { type: 'button', class: 'danger', id: 'leave-discard', onclick: () => close(true) }, t('leave_discard')))),
  { role: 'alertdialog', safe: false, focus: '#leave-stay', kind: 'leave' }).finally(() => { pendingLeave = null; });
  return pendingLeave;
}
