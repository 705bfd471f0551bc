// "Pomoc" (F1 or the button at the top): the keyboard shortcuts and a short guide to the view
// on screen, in the app's dialog. A view without its own text (help_view_<name>) gets the
// general one, so sections added later still have help.

import { h } from './dom.js';
import { t } from './i18n.js';
import { modal } from './dialog.js';

const SHORTCUTS = [
  ['F1', 'help_key_f1'],
  ['Ctrl+K', 'help_key_search'],
  ['Ctrl+N', 'help_key_new'],
  ['Ctrl+S', 'help_key_save'],
  ['Esc', 'help_key_esc'],
  ['Tab / Shift+Tab', 'help_key_tab'],
  ['↑ / ↓', 'help_key_arrows'],
  ['Enter', 'help_key_enter'],
];

let open = false;

/** Shows the help for the view `name` (the sidebar's data-view). */
export async function showHelp(name) {
  if (open) return;
  open = true;
  const viewLabel = document.querySelector(`#sections [data-view="${CSS.escape(name || '')}"]`)?.textContent.trim() || t('help_button');
  const own = `help_view_${name}`;
  const guide = t(own) === own ? t('help_view_default') : t(own);
  try {
    await modal((close) => h('div', { class: 'dialog-body wide', id: 'help' },
      h('h2', {}, t('help_title', { view: viewLabel })),
      h('section', {},
        h('h3', {}, t('help_guide')),
        h('p', { class: 'dialog-message', id: 'help-guide' }, guide),
        h('p', { class: 'muted' }, t('help_text_size'))),
      h('section', {},
        h('h3', {}, t('help_shortcuts')),
        h('table', { class: 'shortcuts', id: 'help-shortcuts' },
          h('tbody', {}, SHORTCUTS.map(([key, text]) => h('tr', {},
            h('th', { scope: 'row' }, key.split(' / ').map((k, i) => [i ? ' / ' : '', h('kbd', {}, k)])),
            h('td', {}, t(text))))))),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'help-close', onclick: () => close() }, t('close')))),
    { focus: '#help-close' });
  } finally {
    open = false;
  }
}
