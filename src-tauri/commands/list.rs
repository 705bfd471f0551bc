//! Every IPC command the window may call, named once. From this list follow the two invoke
//! handlers (`commands/mod.rs`), the `allow-<name>` permissions that build.rs declares to
//! tauri-build, and the names that `tests/it/command_list.rs` holds capabilities/main.json and
//! ui/js/api.js to.
//!
//! Adding a command: one `domain::name,` line here, a `#[tauri::command] pub async fn name` in
//! commands/<domain>.rs, its `call('name', …)` in ui/js/api.js and `"allow-name"` (underscores
//! as hyphens) in capabilities/main.json; the command-list test fails until all four agree.
//!
//! The file is included by both commands/mod.rs and build.rs, each defining `command_list!`
//! for what it needs from it (handlers and names, or names only).

command_list! {
    // Registered in both windows: the start-up screen and the normal window ask it first.
    shared: [
        startup::startup_problem,
    ],
    // Only the start-up screen shown when the database could not be opened (`run_cannot_open`).
    start_up: [
        startup::startup_pick_backup,
        startup::startup_restore,
        startup::startup_open_folder,
        startup::startup_server_password,
        startup::startup_use_file,
    ],
    // The window over an open database.
    window: [
        // The application, its window and shared reference data
        app::app_info,
        app::ui_ready,
        window::watch_close,
        window::set_unsaved,
        window::close_window,
        live::watch_changes,
        app::reference_data,
        app::filter_options,
        app::save_area,
        app::load_demo_data,
        // Ustawienia → "Baza na serwerze": connecting, moving the file up, back to a file
        server::server_status,
        server::server_check,
        server::server_transfer,
        server::server_switch,
        server::server_connect,
        server::server_use_file,
        // Użytkownicy: staff logins on a server (administrators only; the server decides)
        users::current_login,
        users::list_logins,
        users::create_login,
        users::set_login_role,
        users::set_login_enabled,
        users::reset_login_password,
        // The register: organisations and people
        organizations::list_organizations,
        organizations::get_organization,
        organizations::save_organization,
        organizations::archive_organization,
        people::list_people,
        people::get_person,
        people::save_person,
        people::archive_person,
        people::grant_consent,
        people::withdraw_consent,
        search::search,
        // Export and the directory
        export::export_organizations,
        export::export_people,
        export::directory_pdf,
        // Import
        import::import_pick_file,
        import::import_preview,
        import::import_run,
        import::import_cancel,
        import::import_save_rejected,
        import::import_batches,
        import::import_undo,
        import::import_profiles,
        import::import_save_profile,
        import::import_delete_profile,
        // Advice
        advice::advice_categories,
        advice::save_advice_category,
        advice::list_advice,
        advice::get_advice,
        advice::save_advice,
        advice::delete_advice,
        // The day's work: today, the calendar, a person at a glance
        daily::advice_advisors,
        daily::today_summary,
        daily::calendar_events,
        daily::person_overview,
        // Events and attendance
        events::list_events,
        events::get_event,
        events::save_event,
        events::delete_event,
        events::register_for_event,
        events::unregister,
        events::set_attended,
        events::attendance_pdf,
        // Reports
        reports::annual_figures,
        reports::annual_report,
        reports::annual_xlsx,
        reports::export_stats,
        reports::import_stats,
        reports::network_figures,
        reports::network_report,
        reports::set_logo,
        reports::clear_logo,
        reports::has_logo,
        // Consultations
        consultations::consultation_topics,
        consultations::save_consultation_topic,
        consultations::list_consultations,
        consultations::get_consultation,
        consultations::save_consultation,
        consultations::delete_consultation,
        // Rooms and the workstation: resources, bookings, series, door schedule, iCalendar
        rooms::list_resources,
        rooms::save_resource,
        rooms::list_bookings,
        rooms::get_booking,
        rooms::booking_warnings,
        rooms::save_booking,
        rooms::cancel_booking,
        rooms::preview_series,
        rooms::save_series,
        rooms::get_series,
        rooms::change_series,
        rooms::cancel_series,
        rooms::door_schedule_pdf,
        rooms::export_bookings_ics,
        // The needs survey
        survey::get_survey,
        survey::add_survey_topic,
        survey::delete_survey_topic,
        survey::set_survey_choice,
        // The office's settings and saved files
        office::office_settings,
        office::save_office_settings,
        office::open_saved,
        // Mail: settings
        mail::mail_settings,
        mail::save_mail_settings,
        mail::forget_mail_password,
        // Mail: mailing lists and their members
        mail::mailing_lists,
        mail::get_mailing_list,
        mail::save_mailing_list,
        mail::delete_mailing_list,
        mail::segment_count,
        mail::list_members,
        mail::add_list_members,
        mail::remove_list_member,
        mail::list_recipients,
        mail::bcc_chunks,
        mail::export_list_csv,
        // Mail: messages and sending
        mail::list_messages,
        mail::get_message,
        mail::save_message,
        mail::delete_message,
        mail::copy_message,
        mail::add_attachment,
        mail::delete_attachment,
        mail::preview_message,
        mail::test_send,
        mail::send_message,
        mail::resume_sending,
        mail::pause_sending,
        mail::sending_status,
        mail::queue_rows,
        mail::retry_failed,
        mail::settle_uncertain,
        // Mail: refusals, bounces, history and organisations' consent
        mail::record_removal,
        mail::bounces,
        mail::remove_bounce,
        mail::mail_history,
        mail::grant_organization_consent,
        mail::withdraw_organization_consent,
        // Mail: grant calls and their campaigns
        mail::list_grant_calls,
        mail::get_grant_call,
        mail::save_grant_call,
        mail::delete_grant_call,
        mail::grant_call_campaign,
        // Backups
        backup::backup_status,
        backup::backup_now,
        backup::backup_pick_file,
        backup::restore_backup,
        // RODO: history, a person's data, erasure and retention
        rodo::record_history,
        rodo::set_user_name,
        rodo::export_person_data,
        rodo::erase_person,
        rodo::erasure_preview,
        rodo::anonymize_person,
        rodo::retention_settings,
        rodo::save_retention_settings,
        rodo::retention_preview,
        rodo::apply_retention,
    ],
}
