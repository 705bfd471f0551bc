// Texts of the person activity view (ui/js/views/person_activity.js).
// Polish first, English second; ui/js/i18n.js merges every part. A key used by more than
// one view belongs in common.js; tests/it/translations.rs checks both languages match.

export default {
  pl: {
    person_advice: 'Porady',
    person_no_advice: 'Ta osoba nie ma zapisanych porad.',
    person_advice_advisor: 'doradca: {name}',
    person_events: 'Wydarzenia',
    person_no_events: 'Ta osoba nie była zapisana na żadne wydarzenie.',
    person_consultations: 'Konsultacje',
    person_no_consultations: 'Ta osoba nie przyszła na żadną konsultację.',
    person_shown_of: 'Pokazano {n} najnowszych z {total}.',
    person_event_registered: 'na liście',
    person_event_waiting: 'lista rezerwowa',
    person_event_attended: 'obecność potwierdzona',
  },
  en: {
    person_advice: 'Advice',
    person_no_advice: 'No advice recorded for this person.',
    person_advice_advisor: 'advisor: {name}',
    person_events: 'Events',
    person_no_events: 'This person was not registered for any event.',
    person_consultations: 'Consultations',
    person_no_consultations: 'This person came to no consultation.',
    person_shown_of: 'Showing the newest {n} of {total}.',
    person_event_registered: 'registered',
    person_event_waiting: 'waiting list',
    person_event_attended: 'attended',
  },
};
