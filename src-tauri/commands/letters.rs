//! Letters kept for organisations: address agreements, the log, "powiadom", pickup and the
//! pickup sheet PDF saved where the user chooses.

use crate::commands::export::ask_path;
use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::letters::{
    Agreement, AgreementInput, Letter, LetterInput, LetterQuery, Notified,
};
use kartoteka_core::register::Page;
use tauri::{AppHandle, State};
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn list_agreements(
    state: State<'_, AppState>,
    organization_id: Option<i64>,
) -> CmdResult<Vec<Agreement>> {
    Ok(state.k().agreements(organization_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_agreement(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: AgreementInput,
) -> CmdResult<i64> {
    Ok(state.k().save_agreement(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_agreement(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_agreement(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_letters(
    state: State<'_, AppState>,
    query: LetterQuery,
) -> CmdResult<Page<Letter>> {
    Ok(state.k().letters(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_letter(state: State<'_, AppState>, id: i64) -> CmdResult<Letter> {
    Ok(state.k().letter(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_letter(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: LetterInput,
) -> CmdResult<i64> {
    Ok(state.k().save_letter(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_letter(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_letter(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn notify_letters(
    state: State<'_, AppState>,
    organization_id: i64,
) -> CmdResult<Notified> {
    Ok(state.k().notify_letters(organization_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, picked_up_by))]
pub async fn pick_up_letters(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    picked_up_on: String,
    picked_up_by: String,
) -> CmdResult<usize> {
    Ok(state
        .k()
        .pick_up_letters(&ids, &picked_up_on, &picked_up_by)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn pickup_sheet_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    organization_id: i64,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, "odbior-korespondencji", ("PDF", "pdf")).await else {
        return Ok(None);
    };
    state.k().pickup_sheet(organization_id, &path).await?;
    Ok(Some(path.display().to_string()))
}
