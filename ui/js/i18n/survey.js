// Texts of the survey view (ui/js/views/survey.js).
// Polish first, English second; ui/js/i18n.js merges every part. A key used by more than
// one view belongs in common.js; tests/it/translations.rs checks both languages match.

export default {
  pl: {
    help_view_survey: 'Ankieta potrzeb na dany rok: dodaj tematy szkoleń i wpisz organizacje, które je wybrały. Tematy są uszeregowane od najczęściej wybieranych.',
    survey_help: 'Tematy szkoleń zaproponowane na dany rok i organizacje, które je wybrały — od najczęściej wybieranych. Na tej podstawie zaplanuj szkolenia roku.',
    survey_answering: ['Odpowiedziała {n} organizacja.', 'Odpowiedziały {n} organizacje.', 'Odpowiedziało {n} organizacji.'],
    survey_chosen: ['{n} wybór', '{n} wybory', '{n} wyborów'],
    survey_add_org: 'Dopisz organizację, która wybrała ten temat…',
    survey_add_org_for: 'Dopisz organizację do tematu: {topic}',
    survey_remove_org: 'Usuń z tego tematu: {name}',
    survey_new_topic: 'Nowy temat szkolenia',
    survey_topic_placeholder: 'np. Rozliczanie dotacji z budżetu miasta',
    survey_add: 'Dodaj temat',
    survey_delete_confirm: 'Usunąć temat „{topic}” razem z wyborami organizacji?',
    survey_deleted: 'Usunięto temat.',
  },
  en: {
    help_view_survey: 'The needs survey for a year: add training topics and type in the organisations that chose them. Topics are ranked from the most chosen.',
    survey_help: 'Training topics offered for a year and the organisations that chose them — most chosen first. Plan the year\'s trainings from it.',
    survey_answering: ['{n} organisation answered.', '{n} organisations answered.'],
    survey_chosen: ['{n} choice', '{n} choices'],
    survey_add_org: 'Add an organisation that chose this topic…',
    survey_add_org_for: 'Add an organisation to the topic {topic}',
    survey_remove_org: 'Remove {name} from this topic',
    survey_new_topic: 'New training topic',
    survey_topic_placeholder: 'e.g. Settling city grants',
    survey_add: 'Add topic',
    survey_delete_confirm: 'Delete the topic “{topic}” with the organisations\' choices?',
    survey_deleted: 'Topic deleted.',
  },
};
