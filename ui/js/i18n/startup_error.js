// Texts of the startup error view (ui/js/views/startup_error.js).
// Polish first, English second; ui/js/i18n.js merges every part. A key used by more than
// one view belongs in common.js; tests/it/translations.rs checks both languages match.

export default {
  pl: {
    startup_title: "Nie można otworzyć bazy danych",
    startup_file: "Plik bazy: {path}",
    startup_ways_out: "Co można zrobić",
    startup_last_good: "Ostatnia dobra kopia zapasowa: {at} ({file}).",
    startup_restore_last: "Przywróć ostatnią dobrą kopię",
    startup_older: "Starsze kopie ({n})",
    startup_no_backups: "W folderze kopii obok bazy ({folder}/kopie) nie ma kopii, którą można przywrócić. Wybierz plik kopii, np. z pendrive'a.",
    startup_pick_file: "Wybierz inny plik kopii…",
    startup_restore_question: "Przywrócić kopię z {at} ({file})?",
    startup_restore_aside: "Obecny plik bazy zostanie najpierw odłożony do folderu kopii (nic nie zostanie usunięte), a program uruchomi się ponownie.",
    startup_log: "Szczegóły techniczne zapisano w dzienniku programu: {dir}",
  },
  en: {
    startup_title: "The database cannot be opened",
    startup_file: "Database file: {path}",
    startup_ways_out: "What you can do",
    startup_last_good: "Last good backup: {at} ({file}).",
    startup_restore_last: "Restore the last good backup",
    startup_older: "Older backups ({n})",
    startup_no_backups: "The backups folder beside the database ({folder}/kopie) holds no backup that can be restored. Choose a backup file, e.g. from a USB stick.",
    startup_pick_file: "Choose another backup file…",
    startup_restore_question: "Restore the backup of {at} ({file})?",
    startup_restore_aside: "The current database file is first kept aside in the backups folder (nothing is deleted), and the program restarts.",
    startup_log: "Technical details were written to the program's log: {dir}",
  },
};
