// Ustawienia → "Biblioteka": the library's rules — how long a book is lent, how many times a
// loan may be renewed, and how many days pass between the first and the second reminder.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { field, group, collect, clearErrors, showErrors, showFailure } from '../form.js';
import { toast } from '../ui.js';

const NAMES = ['loan_days', 'max_renewals', 'reminder_gap_days'];

/** The section's content for settings.js. */
export async function librarySection() {
  const s = await api.librarySettings();
  const form = h('form', { class: 'record-form', id: 'library-settings-form', novalidate: true },
    h('div', { class: 'form-banner', role: 'alert', hidden: true }),
    group('library_settings_grp',
      field({ name: 'loan_days', labelKey: 'library_settings_loan_days', value: String(s.loan_days), hintKey: 'library_settings_loan_days_hint' }),
      field({ name: 'max_renewals', labelKey: 'library_settings_max_renewals', value: String(s.max_renewals), hintKey: 'library_settings_max_renewals_hint' }),
      field({ name: 'reminder_gap_days', labelKey: 'library_settings_gap', value: String(s.reminder_gap_days), hintKey: 'library_settings_gap_hint' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'save-library-settings' }, t('save'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = collect(form);
    // The core takes whole numbers: anything else is said at its field here, what was typed kept.
    const wrong = NAMES.filter((n) => !/^\d{1,4}$/.test(v[n].trim()));
    if (wrong.length) {
      showErrors(form, wrong.map((n) => ({ field: n, message: t('library_settings_number') })));
      return;
    }
    const settings = Object.fromEntries(NAMES.map((n) => [n, Number(v[n].trim())]));
    try {
      await api.saveLibrarySettings(settings);
      toast(t('library_settings_saved'));
    } catch (err) {
      showFailure(form, err);
    }
  });
  return [h('p', { class: 'muted' }, t('library_settings_help')), form];
}
