//! The Kartoteka desktop shell: a Tauri window over `kartoteka_core`, plus the headless
//! subcommands of the same binary (`cli`). Commands are thin adapters, one file per domain;
//! all logic, SQL and validation live in the core crate.

pub mod cli;
mod commands;
pub mod connection;
mod error;
pub mod paths;
pub mod secrets;

/// Every IPC command the window may call, from the one list in `commands/list.rs` (the
/// command-list test holds capabilities and ui/js/api.js to it).
pub use commands::ALL as COMMANDS;

use kartoteka_core::Kartoteka;
use std::path::PathBuf;
use std::time::Instant;
use tauri::Manager;

/// What every command reaches through `State`.
pub struct AppState {
    /// The open database; replaced whole when the user connects the window to a server (or
    /// back to a file), so every command takes a clone of the current one with `k()`.
    database: std::sync::RwLock<Kartoteka>,
    pub log_dir: PathBuf,
    pub started: Instant,
    pub import: commands::import::ImportSession,
    pub mail: commands::mail::MailSession,
    pub close: commands::window::CloseGuard,
    pub live: commands::live::LiveSession,
    pub server: commands::server::ServerSession,
}

impl AppState {
    /// The database the window works on now.
    pub fn k(&self) -> Kartoteka {
        self.database.read().expect("database slot").clone()
    }

    /// Points every following command at another database (a server after "Baza na serwerze",
    /// or a file again); commands already running finish on the old one.
    pub fn switch_database(&self, k: Kartoteka) {
        *self.database.write().expect("database slot") = k;
        self.live.database_switched();
    }
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
    let file = kartoteka_core::private_files::own_dir(log_dir)
        .ok()
        .map(|_| {
            if let Ok(entries) = std::fs::read_dir(log_dir) {
                for e in entries.flatten() {
                    kartoteka_core::private_files::restrict_file(&e.path());
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

/// The copy made when a database is opened: at start, and again when the window switches to a
/// server ("Pracuj na serwerze"), so the server is copied without waiting for a restart.
pub(crate) async fn backup_at_start(k: kartoteka_core::Kartoteka) {
    match k.automatic_backup().await {
        // Office staff on a server may not read all of it: backups are an advisor's or an
        // administrator's PC's job, not an error on every start of theirs.
        Err(e) if e.code() == "forbidden" => {
            tracing::info!(
                "automatic backups skipped: this server login may not copy the whole database"
            );
        }
        Err(e) => tracing::error!(error = %e, "automatic backup at start failed"),
        Ok(_) => {}
    }
}

/// A checked copy at start, then one whenever the newest is a day old (checked hourly), of
/// the database the window works on at that hour (a file, or a server after "Baza na
/// serwerze": then into this PC's folder for that server, see `connection::backup_folder`).
async fn automatic_backups(app: tauri::AppHandle) {
    let current = || app.state::<AppState>().k();
    backup_at_start(current()).await;
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        match current().backup_if_older_than(24).await {
            Err(e) if e.code() == "forbidden" => {}
            Err(e) => tracing::error!(error = %e, "daily automatic backup failed"),
            Ok(_) => {}
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
    password_at_hand: bool,
) -> anyhow::Result<()> {
    // A server's address is shown without its password.
    let server = db_path
        .to_str()
        .filter(|a| kartoteka_core::store::is_server_address(a))
        .and_then(|a| kartoteka_core::server::ServerSettings::from_url(a).ok())
        .map(|(s, _)| s);
    let shown = match &server {
        Some(s) => PathBuf::from(s.address()),
        None => db_path.clone(),
    };
    let failure = commands::startup::StartupFailure {
        db: shown,
        code: error.code(),
        message: error.to_string(),
        log_dir,
        no_password: server.is_some() && !password_at_hand && error.refused_password(),
        server,
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
        .invoke_handler(commands::start_up_handler())
        .run(tauri::generate_context!())?;
    Ok(())
}

/// Opens the window on the database at `db_path`.
pub fn run(db_path: PathBuf, started: Instant) -> anyhow::Result<()> {
    let log_dir = paths::log_dir();
    let _guard = init_logging(&log_dir, true);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "starting window");
    let password_at_hand = db_path
        .to_str()
        .filter(|a| kartoteka_core::store::is_server_address(a))
        .is_some_and(connection::password_at_hand);
    let k = match tauri::async_runtime::block_on(connection::open(db_path.as_os_str())) {
        Ok(k) => k,
        Err(e) => {
            // The library's words go to the log; the window explains in Polish.
            tracing::error!(code = e.code(), error = ?e, "the database cannot be opened at start");
            return run_cannot_open(db_path, e, log_dir, password_at_hand);
        }
    };
    let server = commands::server::ServerSession::started_on(
        &k,
        db_path
            .to_str()
            .and_then(|a| kartoteka_core::server::ServerSettings::from_url(a).ok())
            .map(|(s, _)| s),
    );
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
        .setup(move |app| {
            tauri::async_runtime::spawn(automatic_backups(app.handle().clone()));
            // Colleagues' changes reach the open lists (`commands::live`).
            tauri::async_runtime::spawn(commands::live::forward(app.handle().clone()));
            Ok(())
        })
        .manage(AppState {
            database: std::sync::RwLock::new(k),
            log_dir,
            started,
            import: Default::default(),
            mail: Default::default(),
            close: Default::default(),
            server,
            live: Default::default(),
        })
        .invoke_handler(commands::window_handler())
        .run(tauri::generate_context!())?;
    Ok(())
}
