// Ankieta potrzeb: the training topics offered for a year and the organisations that chose
// each, ranked by how many chose it, so the office can plan the year's trainings.

import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { toast, reportError, confirmDialog, attachSuggestions } from '../ui.js';

let main = null;
let year = new Date().getFullYear() + (new Date().getMonth() >= 9 ? 1 : 0);

/** Adds an organisation to a topic by typing its name. */
function orgAdder(topic) {
  const input = h('input', { type: 'text', autocomplete: 'off', placeholder: t('survey_add_org'), 'aria-label': t('survey_add_org_for', { topic: topic.name }), class: 'survey-org' });
  const add = async (hit) => {
    try {
      await api.setSurveyChoice(topic.id, hit.id, true);
      await render();
      main.querySelector(`[data-topic="${topic.id}"] .survey-org`)?.focus();
    } catch (err) {
      reportError(err);
    }
  };
  const suggestions = attachSuggestions(input, { kind: 'organization', onChoose: add });
  return h('div', { class: 'org-pick-wrap' }, input, suggestions);
}

async function render() {
  let survey;
  try {
    survey = await api.getSurvey(year);
  } catch (err) {
    reportError(err);
    return;
  }
  const yearSelect = h('select', { id: 'survey-year', onchange: (e) => { year = Number(e.target.value); render(); } },
    [-1, 0, 1].map((d) => new Date().getFullYear() + d).map((y) => h('option', { value: String(y), selected: y === year }, String(y))));
  const newTopic = h('input', { type: 'text', id: 'survey-new-topic', placeholder: t('survey_topic_placeholder') });
  const error = h('p', { class: 'field-error', hidden: true });
  const addTopic = async () => {
    error.hidden = true;
    try {
      await api.addSurveyTopic(year, newTopic.value);
      await render();
      main.querySelector('#survey-new-topic')?.focus();
    } catch (err) {
      if (err instanceof ApiError) { error.textContent = err.message; error.hidden = false; } else reportError(err);
    }
  };
  newTopic.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); addTopic(); } });
  const rows = survey.topics.map((topic, i) => h('li', { class: 'survey-topic', dataset: { topic: String(topic.id) } },
    h('div', { class: 'survey-head' },
      h('span', { class: 'survey-rank' }, `${i + 1}.`),
      h('strong', {}, topic.name),
      h('span', { class: 'badge' }, t('survey_chosen', { n: topic.organizations.length, count: topic.organizations.length })),
      h('button', {
        type: 'button', class: 'small', onclick: async () => {
          if (!(await confirmDialog(t('survey_delete_confirm', { topic: topic.name }), t('delete')))) return;
          try { await api.deleteSurveyTopic(topic.id); toast(t('survey_deleted')); await render(); } catch (err) { reportError(err); }
        },
      }, t('delete'))),
    h('ul', { class: 'chips' }, topic.organizations.map(([id, name]) => h('li', { class: 'chip' }, name,
      h('button', { type: 'button', class: 'chip-x', 'aria-label': t('survey_remove_org', { name }), onclick: async () => { try { await api.setSurveyChoice(topic.id, id, false); await render(); } catch (err) { reportError(err); } } }, '×')))),
    orgAdder(topic)));
  main.replaceChildren(h('div', { class: 'settings survey' },
    h('h1', {}, t('nav_survey')),
    h('p', { class: 'muted' }, t('survey_help')),
    h('div', { class: 'import-settings' }, h('label', { class: 'filter' }, t('report_year'), yearSelect)),
    h('p', {}, t('survey_answering', { n: survey.organizations_answering, count: survey.organizations_answering })),
    h('ol', { class: 'plain survey-list', id: 'survey-topics' }, rows),
    h('div', { class: 'field survey-add' },
      h('label', { for: 'survey-new-topic' }, t('survey_new_topic')),
      h('div', { class: 'actions' }, newTopic, h('button', { type: 'button', class: 'primary', id: 'survey-add-topic', onclick: addTopic }, t('survey_add'))),
      error)));
}

export const surveyView = {
  async mount(el) {
    main = el;
    await render();
  },
};
