// Interface texts in Polish and English: the machinery (plural forms, {placeholders}, the
// remembered language). The texts themselves live by view in ui/js/i18n/<view>.js.

import shellTexts from './i18n/shell.js';
import commonTexts from './i18n/common.js';
import adviceTexts from './i18n/advice.js';
import backupsTexts from './i18n/backups.js';
import calendarTexts from './i18n/calendar.js';
import consultationsTexts from './i18n/consultations.js';
import cooperationTexts from './i18n/cooperation.js';
import coopTeamsTexts from './i18n/coop_teams.js';
import eventsTexts from './i18n/events.js';
import grantsTexts from './i18n/grants.js';
import importTexts from './i18n/import.js';
import legalAidTexts from './i18n/legal_aid.js';
import lettersTexts from './i18n/letters.js';
import libraryTexts from './i18n/library.js';
import listsTexts from './i18n/lists.js';
import mailTexts from './i18n/mail.js';
import organizationsTexts from './i18n/organizations.js';
import peopleTexts from './i18n/people.js';
import personActivityTexts from './i18n/person_activity.js';
import publishTexts from './i18n/publish.js';
import reportsTexts from './i18n/reports.js';
import roomsTexts from './i18n/rooms.js';
import serverTexts from './i18n/server.js';
import settingsTexts from './i18n/settings.js';
import startupErrorTexts from './i18n/startup_error.js';
import surveyTexts from './i18n/survey.js';
import todayTexts from './i18n/today.js';
import usersTexts from './i18n/users.js';

// Each part holds one view's texts (or the shared ones: shell.js, common.js); a key lives in
// exactly one part, which tests/it/translations.rs checks along with both languages matching.
const parts = [
  shellTexts, commonTexts, adviceTexts, backupsTexts, calendarTexts, consultationsTexts, cooperationTexts, coopTeamsTexts,
  eventsTexts, grantsTexts, importTexts, legalAidTexts, lettersTexts, libraryTexts, listsTexts, mailTexts, organizationsTexts, peopleTexts,
  personActivityTexts, publishTexts, reportsTexts, roomsTexts, serverTexts, settingsTexts, startupErrorTexts, surveyTexts, todayTexts,
  usersTexts,
];
const texts = {
  pl: Object.assign({}, ...parts.map((part) => part.pl)),
  en: Object.assign({}, ...parts.map((part) => part.en)),
};

let lang = localStorage.getItem('kartoteka.lang') === 'en' ? 'en' : 'pl';

/** Plural forms come as [one, few, many]: Polish says 1 rekord, 2 rekordy, 5 rekordów. */
function pluralForm(forms, n) {
  const category = new Intl.PluralRules(lang === 'en' ? 'en' : 'pl').select(Number(n));
  if (category === 'one') return forms[0];
  if (category === 'few') return forms[1];
  return lang === 'en' ? forms[1] : forms[2];
}

export function t(key, params = {}) {
  let s = texts[lang][key] ?? texts.pl[key] ?? key;
  if (Array.isArray(s)) s = pluralForm(s, params.count ?? 0);
  return s.replace(/\{(\w+)\}/g, (_, k) => (params[k] ?? ''));
}

export function getLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'pl';
  localStorage.setItem('kartoteka.lang', lang);
  document.documentElement.lang = lang;
}

/// Picks the label of a {label_pl, label_en} choice in the current language.
export function label(choice) {
  return lang === 'en' ? choice.label_en : choice.label_pl;
}

export function applyStaticTexts(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}
