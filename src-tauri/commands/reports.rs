//! The annual report PDF and the statistics file for the union, saved where the user chooses.

use crate::commands::export::ask_path;
use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::report::{AnnualFigures, AnnualOptions};
use tauri::{AppHandle, State};
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn annual_figures(state: State<'_, AppState>, year: i32) -> CmdResult<AnnualFigures> {
    Ok(state.k.annual_figures(year).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state, options))]
pub async fn annual_report(app: AppHandle, state: State<'_, AppState>, year: i32, options: AnnualOptions) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, &format!("sprawozdanie-{year}"), ("PDF", "pdf")).await else { return Ok(None) };
    state.k.annual_report(year, &options, &path).await?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn export_stats(app: AppHandle, state: State<'_, AppState>, year: i32) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, &format!("statystyki-{year}"), ("JSON", "json")).await else { return Ok(None) };
    state.k.export_stats(year, &path).await?;
    Ok(Some(path.display().to_string()))
}
