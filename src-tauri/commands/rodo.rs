//! Change history on records, the user name it records, and the RODO tools: a person's data
//! as JSON and PDF (art. 15), erasure (art. 17), anonymisation, and retention with a preview.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::history::Change;
use kartoteka_core::register::RecordKind;
use kartoteka_core::rodo::erasure::ErasurePreview;
use kartoteka_core::rodo::{AccessExport, RetentionApplied, RetentionPreview, RetentionSettings};
use tauri::{AppHandle, State};
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn record_history(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: i64,
) -> CmdResult<Vec<Change>> {
    Ok(state.k().changes(kind, id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub fn set_user_name(state: State<'_, AppState>, name: String) -> String {
    state.k().set_user_name(&name);
    state.k().user_name()
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn export_person_data(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<Option<AccessExport>> {
    let Some(pdf) =
        super::export::ask_path(&app, &format!("dane-osoby-{id}"), ("PDF", "pdf")).await
    else {
        return Ok(None);
    };
    let dir = pdf.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    Ok(Some(state.k().export_person_data(id, &dir).await?))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn erase_person(state: State<'_, AppState>, id: i64) -> CmdResult<ErasurePreview> {
    Ok(state.k().erase_person(id).await?)
}

/// The backups that still hold the person, for the erasure and anonymisation confirmations.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn erasure_preview(state: State<'_, AppState>, id: i64) -> CmdResult<ErasurePreview> {
    Ok(state.k().erasure_preview(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn anonymize_person(state: State<'_, AppState>, id: i64) -> CmdResult<ErasurePreview> {
    Ok(state.k().anonymize_person(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn retention_settings(state: State<'_, AppState>) -> CmdResult<RetentionSettings> {
    Ok(state.k().retention_settings().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn save_retention_settings(
    state: State<'_, AppState>,
    input: RetentionSettings,
) -> CmdResult<RetentionPreview> {
    state.k().save_retention_settings(&input).await?;
    Ok(state.k().retention_preview().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn retention_preview(state: State<'_, AppState>) -> CmdResult<RetentionPreview> {
    Ok(state.k().retention_preview().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn apply_retention(state: State<'_, AppState>) -> CmdResult<RetentionApplied> {
    Ok(state.k().apply_retention().await?)
}
