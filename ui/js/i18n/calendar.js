// Texts of the calendar view (ui/js/views/calendar.js).
// Polish first, English second; ui/js/i18n.js merges every part. A key used by more than
// one view belongs in common.js; tests/it/translations.rs checks both languages match.

export default {
  pl: {
    help_view_calendar: 'Kalendarz wydarzeń: widok miesiąca albo tygodnia; strzałki przechodzą dalej i wstecz, „Dziś” wraca do bieżącego dnia. Kliknięcie wydarzenia otwiera je w sekcji Wydarzenia.',
    cal_events_n: ['{n} wydarzenie', '{n} wydarzenia', '{n} wydarzeń'],
    cal_month: 'Miesiąc',
    cal_week: 'Tydzień',
    cal_view: 'Widok kalendarza',
    cal_prev: 'Poprzedni',
    cal_next: 'Następny',
    cal_today: 'Dziś',
  },
  en: {
    help_view_calendar: 'The events calendar: a month or a week; the arrows move on and back, “Today” returns to the current day. Clicking an event opens it in Events.',
    cal_events_n: ['{n} event', '{n} events', '{n} events'],
    cal_month: 'Month',
    cal_week: 'Week',
    cal_view: 'Calendar view',
    cal_prev: 'Previous',
    cal_next: 'Next',
    cal_today: 'Today',
  },
};
