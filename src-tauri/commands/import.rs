//! Spreadsheet import in the window: pick a file (native dialog opened from Rust, so the
//! window never handles paths), preview and correct the mapping, run with progress over a
//! channel and a cancel flag, save the rejected rows, undo a batch, keep mapping profiles.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::import::{
    ImportKind, ImportOptions, ImportPreview, ImportProgress, ImportReport,
};
use kartoteka_core::import::{ImportProfile, ProgressFn};
use kartoteka_core::register::ImportBatch;
use kartoteka_core::Error;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tracing::instrument;

/// The file being imported and the cancel flag of the running import.
#[derive(Default)]
pub struct ImportSession {
    file: Mutex<Option<PathBuf>>,
    cancel: Mutex<Arc<AtomicBool>>,
}

impl ImportSession {
    fn file(&self) -> Result<PathBuf, Error> {
        self.file
            .lock()
            .expect("import session lock")
            .clone()
            .ok_or_else(|| Error::BadArgument("Najpierw wybierz plik do wczytania.".into()))
    }
}

#[derive(Serialize)]
pub struct PickedFile {
    pub file_name: String,
}

/// For automated window tests only: a path that stands in for the user's choice in the
/// native file dialog, which WebDriver cannot operate.
const PICK_FILE_OVERRIDE: &str = "KARTOTEKA_PICK_FILE";

/// Asks for one file in the native open dialog; None when the user cancels.
pub(crate) async fn pick_file(
    app: &AppHandle,
    label: &'static str,
    extensions: &'static [&'static str],
) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(PICK_FILE_OVERRIDE) {
        return Some(PathBuf::from(p));
    }
    let dialog = app.dialog().file().add_filter(label, extensions);
    tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file())
        .await
        .ok()
        .flatten()
        .and_then(|p| p.into_path().ok())
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn import_pick_file(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Option<PickedFile>> {
    let Some(path) = pick_file(&app, "Arkusze i CSV", &["xlsx", "xls", "ods", "csv", "txt"]).await
    else {
        return Ok(None);
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    *state.import.file.lock().expect("import session lock") = Some(path);
    Ok(Some(PickedFile { file_name }))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn import_preview(
    state: State<'_, AppState>,
    options: ImportOptions,
) -> CmdResult<ImportPreview> {
    let file = state.import.file()?;
    Ok(state.k().preview_import(&file, &options).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn import_run(
    state: State<'_, AppState>,
    options: ImportOptions,
    on_progress: Channel<ImportProgress>,
) -> CmdResult<ImportReport> {
    let file = state.import.file()?;
    let cancel = Arc::new(AtomicBool::new(false));
    *state.import.cancel.lock().expect("import session lock") = cancel.clone();
    let progress: ProgressFn = Arc::new(move |p| {
        let _ = on_progress.send(p);
    });
    Ok(state
        .k()
        .import(&file, &options, false, Some(progress), cancel)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn import_cancel(state: State<'_, AppState>) -> CmdResult<()> {
    state
        .import
        .cancel
        .lock()
        .expect("import session lock")
        .store(true, Ordering::Relaxed);
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn import_save_rejected(
    app: AppHandle,
    state: State<'_, AppState>,
    options: ImportOptions,
) -> CmdResult<Option<usize>> {
    let file = state.import.file()?;
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    let dialog = app
        .dialog()
        .file()
        .set_file_name(format!("{stem}-do-poprawy.xlsx"))
        .add_filter("Arkusz Excel", &["xlsx"]);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .ok()
        .flatten()
        .and_then(|p| p.into_path().ok());
    let Some(out) = picked else { return Ok(None) };
    Ok(Some(
        state.k().write_rejected_rows(&file, &options, &out).await?,
    ))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn import_batches(state: State<'_, AppState>) -> CmdResult<Vec<ImportBatch>> {
    Ok(state.k().import_batches().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn import_undo(state: State<'_, AppState>, batch_id: i64) -> CmdResult<ImportBatch> {
    Ok(state.k().undo_import(batch_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn import_profiles(
    state: State<'_, AppState>,
    kind: ImportKind,
) -> CmdResult<Vec<ImportProfile>> {
    Ok(state.k().import_profiles(kind).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, profile))]
pub async fn import_save_profile(
    state: State<'_, AppState>,
    kind: ImportKind,
    profile: ImportProfile,
) -> CmdResult<()> {
    Ok(state.k().save_import_profile(kind, &profile).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, name))]
pub async fn import_delete_profile(
    state: State<'_, AppState>,
    kind: ImportKind,
    name: String,
) -> CmdResult<()> {
    Ok(state.k().delete_import_profile(kind, &name).await?)
}
