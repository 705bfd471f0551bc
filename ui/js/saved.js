// After a PDF is saved: a bar naming the file with "Otwórz" and "Drukuj", which hand the file
// to the system's viewer (or to the printer where the system has `lp`). Stays until closed or
// replaced by the next saved file, so the user can still reach it after reading a toast.

import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { toast, reportError } from './ui.js';

export function offerSaved(path) {
  if (!path) return;
  document.getElementById('saved-bar')?.remove();
  const name = String(path).split(/[\\/]/).pop();
  const run = async (print) => {
    try {
      const how = await api.openSaved(path, print);
      if (print) toast(how === 'printer' ? t('saved_sent_to_printer') : t('saved_print_in_viewer'));
    } catch (err) {
      reportError(err);
    }
  };
  const bar = h('div', { id: 'saved-bar', class: 'saved-bar', role: 'status', 'aria-live': 'polite' },
    h('span', { class: 'saved-name', title: path }, t('saved_file', { name })),
    h('button', { type: 'button', id: 'saved-open', onclick: () => run(false) }, t('saved_open')),
    h('button', { type: 'button', id: 'saved-print', onclick: () => run(true) }, t('saved_print')),
    h('button', { type: 'button', class: 'small', 'aria-label': t('saved_close'), onclick: () => bar.remove() }, '×'));
  document.body.append(bar);
  bar.querySelector('#saved-open').focus();
}
