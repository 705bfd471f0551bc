//! The Kartoteka desktop shell: a Tauri window over `kartoteka_core`, plus the headless
//! subcommands of the same binary (`cli`). Commands are thin adapters, one file per domain;
//! all logic, SQL and validation live in the core crate.

pub mod cli;
mod commands;
mod error;
pub mod paths;
pub mod secrets;

use kartoteka_core::Kartoteka;
use std::path::PathBuf;
use std::time::Instant;
use tauri::Manager;

/// What every command reaches through `State`.
pub struct AppState {
    pub k: Kartoteka,
    pub log_dir: PathBuf,
    pub started: Instant,
    pub import: commands::import::ImportSession,
    pub mail: commands::mail::MailSession,
    pub close: commands::window::CloseGuard,
}

/// Sends `tracing` output to a daily-rotated file in the log folder (and to stderr in debug
/// builds). The guard must live as long as the program, or buffered lines are lost.
pub fn init_logging(
    log_dir: &std::path::Path,
    to_stderr: bool,
) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::prelude::*;
    let filter = tracing_subscriber::EnvFilter::try_from_env("KARTOTEKA_LOG")
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    // The log holds ids, not names, but still says who was served when: owner-only, like the
    // database (new files are 0600 through the process's umask, set in main).
    let file = kartoteka_core::private::own_dir(log_dir).ok().map(|_| {
        if let Ok(entries) = std::fs::read_dir(log_dir) {
            for e in entries.flatten() {
                kartoteka_core::private::restrict_file(&e.path());
            }
        }
        tracing_appender::rolling::daily(log_dir, "kartoteka.log")
    });
    let (writer, guard) = match file {
        Some(f) => {
            let (w, g) = tracing_appender::non_blocking(f);
            (Some(w), Some(g))
        }
        None => (None, None),
    };
    let file_layer = writer.map(|w| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(w)
    });
    let stderr_layer = (to_stderr && cfg!(debug_assertions))
        .then(|| tracing_subscriber::fmt::layer().with_writer(std::io::stderr));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    guard
}

/// One window per database file: the D-Bus name carries a hash of the file's path.
fn instance_id(db: &std::path::Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::fs::canonicalize(db)
        .unwrap_or_else(|_| db.to_path_buf())
        .hash(&mut h);
    format!("pl.kartoteka.app.db{:016x}", h.finish())
}

/// A checked copy at start, then one whenever the newest is a day old (checked hourly).
async fn automatic_backups(k: Kartoteka) {
    if let Err(e) = k.automatic_backup().await {
        tracing::error!(error = %e, "automatic backup at start failed");
    }
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        if let Err(e) = k.backup_if_older_than(24).await {
            tracing::error!(error = %e, "daily automatic backup failed");
        }
    }
}

/// The window when the database could not be opened: it starts all the same, on a screen that
/// says why and offers the ways out (`commands::startup`), instead of exiting with a message
/// on a console nobody sees.
fn run_cannot_open(
    db_path: PathBuf,
    error: kartoteka_core::Error,
    log_dir: PathBuf,
) -> anyhow::Result<()> {
    let failure = commands::startup::StartupFailure {
        db: db_path.clone(),
        code: error.code(),
        message: error.to_string(),
        log_dir,
    };
    tauri::Builder::default()
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id(&db_path))
                .callback(|app, _argv, _cwd| {
                    if let Some(w) = app.get_webview_window("main") {
                        let _ = w.unminimize();
                        let _ = w.show();
                        let _ = w.set_focus();
                    }
                })
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(failure)
        .invoke_handler(tauri::generate_handler![
            commands::startup::startup_problem,
            commands::startup::startup_pick_backup,
            commands::startup::startup_restore,
            commands::startup::startup_open_folder,
        ])
        .run(tauri::generate_context!())?;
    Ok(())
}

/// Opens the window on the database at `db_path`.
pub fn run(db_path: PathBuf, started: Instant) -> anyhow::Result<()> {
    let log_dir = paths::log_dir();
    let _guard = init_logging(&log_dir, true);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "starting window");
    let k = match tauri::async_runtime::block_on(Kartoteka::open(&db_path)) {
        Ok(k) => k,
        Err(e) => {
            // The library's words go to the log; the window explains in Polish.
            tracing::error!(code = e.code(), error = ?e, "the database cannot be opened at start");
            return run_cannot_open(db_path, e, log_dir);
        }
    };
    let backups = k.clone();
    tauri::Builder::default()
        // A second start on the same database brings this window forward instead.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id(&db_path))
                .callback(|app, _argv, _cwd| {
                    if let Some(w) = app.get_webview_window("main") {
                        let _ = w.unminimize();
                        let _ = w.show();
                        let _ = w.set_focus();
                    }
                })
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        // Used from Rust only (open_saved); the window is granted none of its commands.
        .plugin(tauri_plugin_opener::init())
        // A changed form is asked about before the window closes (the UI answers).
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                commands::window::on_close_requested(window, api);
            }
        })
        .setup(move |_app| {
            tauri::async_runtime::spawn(automatic_backups(backups));
            Ok(())
        })
        .manage(AppState {
            k,
            log_dir,
            started,
            import: Default::default(),
            mail: Default::default(),
            close: Default::default(),
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::ui_ready,
            commands::startup::startup_problem,
            commands::window::watch_close,
            commands::window::set_unsaved,
            commands::window::close_window,
            commands::app::reference_data,
            commands::app::filter_options,
            commands::app::save_area,
            commands::app::load_demo_data,
            commands::organizations::list_organizations,
            commands::organizations::get_organization,
            commands::organizations::save_organization,
            commands::organizations::archive_organization,
            commands::people::list_people,
            commands::people::get_person,
            commands::people::save_person,
            commands::people::archive_person,
            commands::people::grant_consent,
            commands::people::withdraw_consent,
            commands::search::search,
            commands::export::export_organizations,
            commands::export::export_people,
            commands::export::directory_pdf,
            commands::import::import_pick_file,
            commands::import::import_preview,
            commands::import::import_run,
            commands::import::import_cancel,
            commands::import::import_save_rejected,
            commands::import::import_batches,
            commands::import::import_undo,
            commands::import::import_profiles,
            commands::import::import_save_profile,
            commands::import::import_delete_profile,
            commands::advice::advice_categories,
            commands::advice::list_advice,
            commands::advice::get_advice,
            commands::advice::save_advice,
            commands::advice::delete_advice,
            commands::daily::advice_advisors,
            commands::daily::today_summary,
            commands::daily::calendar_events,
            commands::daily::person_overview,
            commands::events::list_events,
            commands::events::get_event,
            commands::events::save_event,
            commands::events::delete_event,
            commands::events::register_for_event,
            commands::events::unregister,
            commands::events::set_attended,
            commands::events::attendance_pdf,
            commands::reports::annual_figures,
            commands::reports::annual_report,
            commands::reports::export_stats,
            commands::reports::import_stats,
            commands::reports::network_figures,
            commands::reports::network_report,
            commands::consultations::consultation_topics,
            commands::consultations::list_consultations,
            commands::consultations::get_consultation,
            commands::consultations::save_consultation,
            commands::consultations::delete_consultation,
            commands::survey::get_survey,
            commands::survey::add_survey_topic,
            commands::survey::delete_survey_topic,
            commands::survey::set_survey_choice,
            commands::advice::save_advice_category,
            commands::consultations::save_consultation_topic,
            commands::reports::annual_xlsx,
            commands::reports::set_logo,
            commands::reports::clear_logo,
            commands::reports::has_logo,
            commands::office::office_settings,
            commands::office::save_office_settings,
            commands::office::open_saved,
            commands::rodo::record_history,
            commands::rodo::set_user_name,
            commands::rodo::export_person_data,
            commands::rodo::erase_person,
            commands::rodo::erasure_preview,
            commands::rodo::anonymize_person,
            commands::rodo::retention_settings,
            commands::rodo::save_retention_settings,
            commands::rodo::retention_preview,
            commands::rodo::apply_retention,
            commands::backup::backup_status,
            commands::backup::backup_now,
            commands::backup::backup_pick_file,
            commands::backup::restore_backup,
            commands::mail::mail_settings,
            commands::mail::save_mail_settings,
            commands::mail::forget_mail_password,
            commands::mail::mailing_lists,
            commands::mail::get_mailing_list,
            commands::mail::save_mailing_list,
            commands::mail::delete_mailing_list,
            commands::mail::segment_count,
            commands::mail::list_members,
            commands::mail::add_list_members,
            commands::mail::remove_list_member,
            commands::mail::list_recipients,
            commands::mail::bcc_chunks,
            commands::mail::export_list_csv,
            commands::mail::list_messages,
            commands::mail::get_message,
            commands::mail::save_message,
            commands::mail::delete_message,
            commands::mail::copy_message,
            commands::mail::add_attachment,
            commands::mail::delete_attachment,
            commands::mail::preview_message,
            commands::mail::test_send,
            commands::mail::send_message,
            commands::mail::resume_sending,
            commands::mail::pause_sending,
            commands::mail::sending_status,
            commands::mail::queue_rows,
            commands::mail::retry_failed,
            commands::mail::settle_uncertain,
            commands::mail::record_removal,
            commands::mail::bounces,
            commands::mail::remove_bounce,
            commands::mail::mail_history,
            commands::mail::grant_organization_consent,
            commands::mail::withdraw_organization_consent,
            commands::mail::list_grant_calls,
            commands::mail::get_grant_call,
            commands::mail::save_grant_call,
            commands::mail::delete_grant_call,
            commands::mail::grant_call_campaign,
        ])
        .run(tauri::generate_context!())?;
    Ok(())
}
