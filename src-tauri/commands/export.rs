//! Export of the list on screen and the directory PDF. The native save dialog is opened from Rust, so the window
//! needs no dialog permission of its own; the core writes the file.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::export::{ExportFormat, ExportSummary};
use kartoteka_core::register::directory::{DirectoryOptions, DirectorySummary};
use kartoteka_core::register::{OrganizationQuery, PersonQuery};
use std::path::PathBuf;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tracing::instrument;

fn format_filter(format: ExportFormat) -> (&'static str, &'static str) {
    match format {
        ExportFormat::Xlsx => ("Arkusz Excel", "xlsx"),
        ExportFormat::CsvExcel | ExportFormat::Csv => ("CSV", "csv"),
        ExportFormat::Vcf => ("vCard", "vcf"),
    }
}

/// For automated window tests only: a folder that stands in for the user's choice in the
/// native save dialog (which WebDriver cannot operate); the file keeps its suggested name.
const SAVE_DIR_OVERRIDE: &str = "KARTOTEKA_SAVE_DIR";

/// Where the last file was saved (remembered in the database's settings across sessions).
const LAST_DIR_KEY: &str = "last_save_dir";

/// Asks where to save, starting in the folder used last time, else the user's Documents (not
/// wherever the program happened to be started); None when the user cancels. The chosen path
/// is remembered so the window may then open or print that file (`office::open_saved`).
pub(crate) async fn ask_path(
    app: &AppHandle,
    stem: &str,
    (label, ext): (&'static str, &'static str),
) -> Option<PathBuf> {
    use tauri::Manager;
    let state = app.state::<crate::AppState>();
    if let Some(dir) = std::env::var_os(SAVE_DIR_OVERRIDE) {
        let path = PathBuf::from(dir).join(format!("{stem}.{ext}"));
        crate::commands::office::remember_saved(&path);
        return Some(path);
    }
    let last = state
        .k()
        .remembered(LAST_DIR_KEY)
        .await
        .ok()
        .flatten()
        .map(PathBuf::from)
        .filter(|d| d.is_dir());
    let start = last.or_else(|| app.path().document_dir().ok().filter(|d| d.is_dir()));
    let today = chrono::Local::now().format("%Y-%m-%d");
    let mut dialog = app
        .dialog()
        .file()
        .set_file_name(format!("{stem}-{today}.{ext}"))
        .add_filter(label, &[ext]);
    if let Some(dir) = start {
        dialog = dialog.set_directory(dir);
    }
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .ok()
        .flatten()?;
    let path = picked.into_path().ok()?;
    if let Some(dir) = path.parent().and_then(|d| d.to_str()) {
        if let Err(e) = state.k().remember(LAST_DIR_KEY, dir).await {
            tracing::warn!(error = %e, "could not remember the save folder");
        }
    }
    crate::commands::office::remember_saved(&path);
    Some(path)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state, query))]
pub async fn export_organizations(
    app: AppHandle,
    state: State<'_, AppState>,
    query: OrganizationQuery,
    format: ExportFormat,
) -> CmdResult<Option<ExportSummary>> {
    let Some(path) = ask_path(&app, "organizacje", format_filter(format)).await else {
        return Ok(None);
    };
    Ok(Some(
        state
            .k()
            .export_organizations(&query, format, &path)
            .await?,
    ))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state, query))]
pub async fn export_people(
    app: AppHandle,
    state: State<'_, AppState>,
    query: PersonQuery,
    format: ExportFormat,
) -> CmdResult<Option<ExportSummary>> {
    let Some(path) = ask_path(&app, "osoby", format_filter(format)).await else {
        return Ok(None);
    };
    Ok(Some(state.k().export_people(&query, format, &path).await?))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state, query, options))]
pub async fn directory_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    query: OrganizationQuery,
    options: DirectoryOptions,
) -> CmdResult<Option<DirectorySummary>> {
    let Some(path) = ask_path(&app, "katalog", ("PDF", "pdf")).await else {
        return Ok(None);
    };
    Ok(Some(
        state.k().directory_pdf(&query, &options, &path).await?,
    ))
}
