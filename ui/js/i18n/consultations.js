// Texts of the consultations view (ui/js/views/consultations.js).
// Polish first, English second; ui/js/i18n.js merges every part. A key used by more than
// one view belongs in common.js; tests/it/translations.rs checks both languages match.

export default {
  pl: {
    help_view_consultations: 'Konsultacje dla organizacji: organizację i osobę znajdziesz, wpisując kilka liter nazwy; temat z listy (edytowalnej w Ustawieniach), czas i notatki. Trafiają do sprawozdania rocznego według tematów.',
    consult_new: 'Nowa konsultacja',
    consult_edit: 'Konsultacja — zmiana',
    consult_empty: 'Nie ma jeszcze konsultacji dla organizacji. Dodaj pierwszą (Ctrl+N).',
    consult_pick: 'Wybierz konsultację z listy albo dodaj nową (Ctrl+N).',
    consult_col: 'Organizacja i temat',
    consult_org_removed: '(organizacja usunięta z rejestru)',
    consult_person: 'Osoba, która przyszła',
    consult_find: 'Wpisz kilka liter…',
    consult_topic: 'Temat',
    consult_grp: 'Konsultacja',
    consult_delete_confirm: 'Usunąć konsultację z {date}?',
    consult_deleted: 'Usunięto konsultację.',
  },
  en: {
    help_view_consultations: 'Consultations for organisations: find the organisation and the person by typing a few letters of the name; a topic from the list (editable in Settings), time and notes. They appear in the annual report by topic.',
    consult_new: 'New consultation',
    consult_edit: 'Consultation — edit',
    consult_empty: 'No consultations for organisations yet. Add the first (Ctrl+N).',
    consult_pick: 'Choose a consultation from the list or add a new one (Ctrl+N).',
    consult_col: 'Organisation and topic',
    consult_org_removed: '(organisation removed from the register)',
    consult_person: 'Person who came',
    consult_find: 'Type a few letters…',
    consult_topic: 'Topic',
    consult_grp: 'Consultation',
    consult_delete_confirm: 'Delete the consultation of {date}?',
    consult_deleted: 'Consultation deleted.',
  },
};
