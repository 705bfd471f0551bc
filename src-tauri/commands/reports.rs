//! The annual report PDF and the statistics file for the union, saved where the user chooses.

use crate::commands::export::ask_path;
use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::reports::{AnnualFigures, AnnualOptions};
use tauri::{AppHandle, State};
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn annual_figures(state: State<'_, AppState>, year: i32) -> CmdResult<AnnualFigures> {
    Ok(state.k().annual_figures(year).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state, options))]
pub async fn annual_report(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
    options: AnnualOptions,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, &format!("sprawozdanie-{year}"), ("PDF", "pdf")).await else {
        return Ok(None);
    };
    state.k().annual_report(year, &options, &path).await?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn export_stats(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
    office: String,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, &format!("statystyki-{year}"), ("JSON", "json")).await else {
        return Ok(None);
    };
    state.k().export_stats(year, &office, &path).await?;
    Ok(Some(path.display().to_string()))
}

/// Picks member bureaus' statistics files (several at once) and stores them for the network report.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn import_stats(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Vec<kartoteka_core::reports::stats_file::Imported>> {
    use tauri_plugin_dialog::DialogExt;
    let dialog = app
        .dialog()
        .file()
        .add_filter("Statystyki Kartoteki", &["json"]);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_files())
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let files: Vec<std::path::PathBuf> = picked
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect();
    if files.is_empty() {
        return Ok(Vec::new());
    }
    Ok(state.k().import_stats(&files).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn network_figures(
    state: State<'_, AppState>,
    year: i32,
) -> CmdResult<Vec<AnnualFigures>> {
    Ok(state.k().network_figures(year).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state, union))]
pub async fn network_report(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
    union: String,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, &format!("sprawozdanie-sieci-{year}"), ("PDF", "pdf")).await
    else {
        return Ok(None);
    };
    state.k().network_report(year, &union, &path).await?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn annual_xlsx(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(
        &app,
        &format!("sprawozdanie-{year}"),
        ("Arkusz Excel", "xlsx"),
    )
    .await
    else {
        return Ok(None);
    };
    state.k().annual_xlsx(year, &path).await?;
    Ok(Some(path.display().to_string()))
}

/// Picks the office's logo (PNG) for the annual report; false when the user cancels.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn set_logo(app: AppHandle, state: State<'_, AppState>) -> CmdResult<bool> {
    let Some(path) = crate::commands::import::pick_file(&app, "Obraz PNG", &["png"]).await else {
        return Ok(false);
    };
    state.k().set_logo(&path).await?;
    Ok(true)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn clear_logo(state: State<'_, AppState>) -> CmdResult<()> {
    Ok(state.k().clear_logo().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn has_logo(state: State<'_, AppState>) -> CmdResult<bool> {
    Ok(state.k().has_logo().await?)
}
