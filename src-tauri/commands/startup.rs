//! The start-up screen for a database that cannot be opened (corrupt, written by a newer
//! version, unreadable): the window still starts, says why in Polish and offers the ways out:
//! restore a good backup from `kopie/` or a file the user picks, or open the folder.

use crate::error::CmdResult;
use kartoteka_core::backup::{self, BackupInfo};
use kartoteka_core::Error;
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Manager};
use tauri_plugin_opener::OpenerExt;
use tracing::instrument;

/// Managed only when the database could not be opened at start.
pub struct StartupFailure {
    pub db: PathBuf,
    pub code: &'static str,
    pub message: String,
    pub log_dir: PathBuf,
    /// Set when the database is a server (remembered from Ustawienia or given with --db): the
    /// screen then asks for the password instead of offering file backups.
    pub server: Option<kartoteka_core::server::ServerSettings>,
    /// The server wanted a password and this PC had none to give (none kept, e.g. no OS
    /// secret store, and none handed over): the screen asks for it instead of reporting a
    /// wrong one.
    pub no_password: bool,
}

#[derive(Serialize)]
pub struct StartupProblem {
    code: &'static str,
    message: String,
    database_path: String,
    folder: String,
    log_dir: String,
    /// Copies in `kopie/` that pass every restore check, newest first.
    backups: Vec<BackupInfo>,
    server: Option<kartoteka_core::server::ServerSettings>,
    no_password: bool,
}

fn failure(app: &AppHandle) -> CmdResult<tauri::State<'_, StartupFailure>> {
    app.try_state::<StartupFailure>().ok_or_else(|| {
        Error::BadArgument("Baza danych jest otwarta: nie ma czego naprawiać.".into()).into()
    })
}

/// Null when the database opened normally (the window then starts as usual).
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn startup_problem(app: AppHandle) -> CmdResult<Option<StartupProblem>> {
    let Some(f) = app.try_state::<StartupFailure>() else {
        return Ok(None);
    };
    let folder =
        f.db.parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
    Ok(Some(StartupProblem {
        code: f.code,
        message: f.message.clone(),
        database_path: f.db.display().to_string(),
        folder,
        log_dir: f.log_dir.display().to_string(),
        backups: if f.server.is_some() {
            Vec::new()
        } else {
            backup::restorable_backups(&f.db).await
        },
        server: f.server.clone(),
        no_password: f.no_password,
    }))
}

/// Picks another backup file and says what it holds (or why it cannot be restored).
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn startup_pick_backup(app: AppHandle) -> CmdResult<Option<BackupInfo>> {
    failure(&app)?;
    let Some(path) = super::import::pick_file(&app, "Kopia Kartoteki", &["db"]).await else {
        return Ok(None);
    };
    Ok(Some(backup::inspect(&path).await?))
}

/// Restores the copy at `path` over the database that could not be opened, then restarts.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn startup_restore(app: AppHandle, path: String) -> CmdResult<()> {
    if path.len() > 4096 {
        return Err(Error::BadArgument("Za długa ścieżka pliku.".into()).into());
    }
    let db = failure(&app)?.db.clone();
    backup::restore_unopened(&db, &PathBuf::from(path)).await?;
    app.restart();
}

/// Opens the database's folder in the system's file manager.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn startup_open_folder(app: AppHandle) -> CmdResult<()> {
    let folder = failure(&app)?
        .db
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| ".".into());
    app.opener().open_path(folder, None::<&str>).map_err(|_| {
        Error::BadArgument("Nie udało się otworzyć folderu w menedżerze plików.".into())
    })?;
    Ok(())
}

/// The server could not be reached with the password kept (or none was kept): the password
/// typed on the start-up screen is tried, kept in the OS secret store, and the program
/// restarts on the server.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn startup_server_password(app: AppHandle, password: String) -> CmdResult<()> {
    let Some(settings) = failure(&app)?.server.clone() else {
        return Err(Error::BadArgument("Program nie łączy się z serwerem.".into()).into());
    };
    if password.is_empty() || password.len() > 1000 {
        return Err(Error::Invalid(vec![kartoteka_core::FieldError::new(
            "password",
            "Wpisz hasło do bazy danych na serwerze.",
        )])
        .into());
    }
    let url = settings.url(Some(&password))?;
    let k = kartoteka_core::Kartoteka::connect(&url).await?;
    k.close().await;
    if crate::secrets::server::save(&settings, &password) == crate::secrets::Kept::SessionOnly {
        // No secret store here: the restarted program gets it once, through its environment.
        std::env::set_var(crate::connection::RESTART_PASSWORD_VAR, &password);
    }
    tracing::info!("server password given on the start-up screen");
    app.restart();
}

/// "Pracuj na pliku": the next start opens this PC's file instead of the server.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn startup_use_file(app: AppHandle) -> CmdResult<()> {
    if failure(&app)?.server.is_none() {
        return Err(Error::BadArgument("Program już pracuje na pliku.".into()).into());
    }
    crate::connection::forget();
    app.restart();
}
