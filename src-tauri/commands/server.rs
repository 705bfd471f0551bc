//! Ustawienia → "Baza na serwerze": checking a PostgreSQL connection, moving the open file to
//! the server (progress over a channel, both sides' counts), switching the window to the
//! server live and back to a file. The password goes to the OS secret store only; the
//! connection without it is remembered in the data folder for the next start.

use crate::error::CmdResult;
use crate::secrets::{self, Kept};
use crate::{connection, AppState};
use kartoteka_core::server::{self, ServerFound, ServerSettings, TransferReport};
use kartoteka_core::{Error, Kartoteka};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::ipc::Channel;
use tauri::State;
use tracing::instrument;

/// What the window keeps between the steps of a move to the server.
#[derive(Default)]
pub struct ServerSession {
    /// The register on the server after a transfer, until the user confirms the counts.
    pending: Mutex<Option<(ServerSettings, Kartoteka)>>,
    /// The server the window works on now (None: a file).
    active: Mutex<Option<ServerSettings>>,
    /// The file the window worked on before: "Pracuj na pliku" writes the server's data there.
    home_file: Mutex<Option<PathBuf>>,
}

impl ServerSession {
    /// The window started on `k`: a server (with its settings) or a file.
    pub fn started_on(k: &Kartoteka, settings: Option<ServerSettings>) -> Self {
        let session = ServerSession::default();
        if k.is_server() {
            *session.active.lock().expect("server session") = settings;
        } else {
            *session.home_file.lock().expect("server session") =
                Some(k.database_path().to_path_buf());
        }
        session
    }
}

#[derive(Serialize)]
pub struct ServerStatus {
    /// The connection the form shows: the one in use, else the remembered one.
    settings: Option<ServerSettings>,
    on_server: bool,
    /// Shown as the address in use (no password in it).
    address: String,
    password_kept: bool,
    /// The OS secret store or this session only: the form's hint says which.
    password_kept_in: Option<Kept>,
    /// Where this PC keeps the server's backups (server mode) or the file's.
    backup_folder: String,
    /// The file "Pracuj na pliku" writes to.
    home_file: String,
}

/// Rows gone up so far, for the progress bar.
#[derive(Clone, Serialize)]
pub struct TransferProgress {
    done: u64,
    total: u64,
}

#[derive(Serialize)]
pub struct TransferDone {
    report: TransferReport,
    kept: Kept,
}

#[derive(Serialize)]
pub struct Connected {
    address: String,
    kept: Kept,
    organizations: i64,
    people: i64,
}

const MAX_PASSWORD: usize = 1000;

/// The password typed, else the one kept for this connection.
fn password_for(settings: &ServerSettings, typed: Option<String>) -> CmdResult<Option<String>> {
    match typed.filter(|p| !p.is_empty()) {
        Some(p) if p.len() > MAX_PASSWORD || p.contains('\0') => {
            Err(Error::Invalid(vec![kartoteka_core::FieldError::new(
                "password",
                "To hasło jest za długie albo ma niedozwolone znaki.",
            )])
            .into())
        }
        Some(p) => Ok(Some(p)),
        None => Ok(secrets::server::load(settings)),
    }
}

fn home_file(state: &AppState) -> PathBuf {
    state
        .server
        .home_file
        .lock()
        .expect("server session")
        .clone()
        .unwrap_or_else(crate::paths::default_database)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn server_status(state: State<'_, AppState>) -> CmdResult<ServerStatus> {
    let k = state.k();
    let active = state.server.active.lock().expect("server session").clone();
    let settings = active.clone().or_else(connection::remembered);
    Ok(ServerStatus {
        password_kept: settings
            .as_ref()
            .is_some_and(|s| secrets::server::load(s).is_some()),
        password_kept_in: settings.as_ref().and_then(secrets::server::kept_where),
        settings,
        on_server: k.is_server(),
        address: k.database_path().display().to_string(),
        backup_folder: k.backup_folder().display().to_string(),
        home_file: home_file(&state).display().to_string(),
    })
}

/// "Sprawdź połączenie": what is on the server, or in Polish what is wrong. Nothing is written.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn server_check(
    settings: ServerSettings,
    password: Option<String>,
) -> CmdResult<ServerFound> {
    let password = password_for(&settings, password)?;
    let url = settings.url(password.as_deref())?;
    Ok(server::check(&url).await?)
}

/// "Przenieś dane na serwer": the open file goes up in one transaction; the counts of both
/// sides come back, and the window stays on the file until `server_switch`.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn server_transfer(
    state: State<'_, AppState>,
    settings: ServerSettings,
    password: Option<String>,
    replace: bool,
    on_progress: Channel<TransferProgress>,
) -> CmdResult<TransferDone> {
    let password = password_for(&settings, password)?;
    let url = settings.url(password.as_deref())?;
    let k = state.k();
    if k.is_server() {
        return Err(Error::BadArgument(
            "Okno pracuje już na serwerze: przenieść na serwer można tylko plik.".into(),
        )
        .into());
    }
    // About a hundred updates however large the register: the bar moves, the IPC is not flooded.
    let last = std::sync::atomic::AtomicU64::new(u64::MAX);
    let progress = move |done: u64, total: u64| {
        let step = (total / 100).max(1);
        let bucket = done / step;
        if done == total || last.swap(bucket, std::sync::atomic::Ordering::Relaxed) != bucket {
            let _ = on_progress.send(TransferProgress { done, total });
        }
    };
    let (on_server, report) = k
        .transfer_to_server(
            &url,
            replace,
            &connection::backup_folder(&settings),
            &progress,
        )
        .await?;
    let kept = match &password {
        Some(p) => secrets::server::save(&settings, p),
        None => Kept::SecretStore,
    };
    on_server.set_user_name(&k.user_name());
    *state.server.pending.lock().expect("server session") = Some((settings, on_server));
    Ok(TransferDone { report, kept })
}

/// After the counts agreed and the user confirmed: the window works on the server from now
/// on, and the next start connects to it.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn server_switch(state: State<'_, AppState>) -> CmdResult<String> {
    let Some((settings, k)) = state.server.pending.lock().expect("server session").take() else {
        return Err(Error::BadArgument(
            "Nie ma przeniesionych danych do przełączenia: przenieś je najpierw na serwer.".into(),
        )
        .into());
    };
    switch_to_server(&state, settings, k).await
}

/// Another PC of the office joins a server that already holds the register.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn server_connect(
    state: State<'_, AppState>,
    settings: ServerSettings,
    password: Option<String>,
) -> CmdResult<Connected> {
    let password = password_for(&settings, password)?;
    let url = settings.url(password.as_deref())?;
    let k = Kartoteka::connect(&url)
        .await?
        .with_backup_folder(connection::backup_folder(&settings));
    let counts = k.counts().await?;
    let kept = match &password {
        Some(p) => secrets::server::save(&settings, p),
        None => Kept::SecretStore,
    };
    k.set_user_name(&state.k().user_name());
    let address = switch_to_server(&state, settings, k).await?;
    Ok(Connected {
        address,
        kept,
        organizations: counts.organizations,
        people: counts.people,
    })
}

async fn switch_to_server(
    state: &AppState,
    settings: ServerSettings,
    k: Kartoteka,
) -> CmdResult<String> {
    connection::remember(&settings)?;
    let old = state.k();
    if !old.is_server() {
        *state.server.home_file.lock().expect("server session") =
            Some(old.database_path().to_path_buf());
    }
    let address = k.database_path().display().to_string();
    // The copy a start would make, now and in the background: the hourly check comes only
    // after an hour, and the next start may be days away.
    tauri::async_runtime::spawn(crate::backup_at_start(k.clone()));
    state.switch_database(k);
    *state.server.active.lock().expect("server session") = Some(settings);
    // The file (or the previous server) is let go: its lock too, so "Pracuj na pliku" may
    // later replace it.
    old.close().await;
    tracing::info!("window switched to a database server");
    Ok(address)
}

/// "Pracuj na pliku": the server's register is written into the PC's file (what the file held
/// is kept aside in its backup folder first), the window works on that file from now on and
/// the next start opens it. The server keeps its data.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn server_use_file(state: State<'_, AppState>) -> CmdResult<String> {
    let k = state.k();
    if !k.is_server() {
        return Err(Error::BadArgument("Okno pracuje już na pliku.".into()).into());
    }
    let file = home_file(&state);
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    kartoteka_core::private_files::own_dir(&dir).map_err(Error::from)?;
    let copy = dir.join(".z-serwera.db");
    let _ = std::fs::remove_file(&copy);
    let report = k.transfer_to_file(&copy).await;
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&copy);
            return Err(e.into());
        }
    };
    let installed = kartoteka_core::backup::restore_unopened(&file, &copy).await;
    let _ = std::fs::remove_file(&copy);
    installed?;
    let on_file = Kartoteka::open(&file).await?;
    on_file.set_user_name(&k.user_name());
    connection::forget();
    state.switch_database(on_file);
    *state.server.active.lock().expect("server session") = None;
    k.close().await;
    tracing::info!(agree = report.agree, "window switched back to a file");
    Ok(file.display().to_string())
}
