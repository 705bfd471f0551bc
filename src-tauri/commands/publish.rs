//! Publikuj: the preview of what a publication changes, the folder it goes to, writing the
//! site (and its .zip), and the map of social activity that Raporty shows.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::publish::map::MapLevel;
use kartoteka_core::publish::{ActivityMapView, PublishOptions, PublishPreview, PublishSummary};
use std::path::PathBuf;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tracing::instrument;

/// Tests (and scripted runs) set it so the folder question answers itself: `<dir>/strona-www`.
const SAVE_DIR_OVERRIDE: &str = "KARTOTEKA_SAVE_DIR";

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn publish_preview(
    state: State<'_, AppState>,
    options: PublishOptions,
) -> CmdResult<PublishPreview> {
    Ok(state.k().publish_preview(&options).await?)
}

/// Asks for the folder the site goes to; None when the user cancels.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn publish_choose_folder(app: AppHandle) -> CmdResult<Option<String>> {
    if let Some(dir) = std::env::var_os(SAVE_DIR_OVERRIDE) {
        return Ok(Some(
            PathBuf::from(dir).join("strona-www").display().to_string(),
        ));
    }
    let dialog = app.dialog().file().set_title("Folder strony do publikacji");
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_folder())
        .await
        .ok()
        .flatten();
    Ok(picked
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, options, folder))]
pub async fn publish_site(
    state: State<'_, AppState>,
    options: PublishOptions,
    folder: String,
    zip: bool,
) -> CmdResult<PublishSummary> {
    let summary = state.k().publish(&options, &folder, zip).await?;
    // "Otwórz stronę" may then hand the written index page to the system's browser.
    crate::commands::office::remember_saved(&PathBuf::from(&summary.index_path));
    Ok(summary)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn activity_map(
    state: State<'_, AppState>,
    level: MapLevel,
) -> CmdResult<ActivityMapView> {
    Ok(state.k().activity_map(level).await?)
}
