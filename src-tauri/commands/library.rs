//! The library: the catalogue and its copies, lending, renewing and returning, the library's
//! settings, overdue reminders through the mail queue and the printed list of overdue loans.

use crate::commands::export::ask_path;
use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::library::{
    CopyInput, LibrarySettings, Loan, LoanInput, LoanQuery, RemindersQueued, Title, TitleDetail,
    TitleInput, TitleQuery,
};
use kartoteka_core::register::Page;
use tauri::{AppHandle, State};
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_library_titles(
    state: State<'_, AppState>,
    query: TitleQuery,
) -> CmdResult<Page<Title>> {
    Ok(state.k().library_titles(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_library_title(state: State<'_, AppState>, id: i64) -> CmdResult<TitleDetail> {
    Ok(state.k().library_title(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_library_title(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: TitleInput,
) -> CmdResult<i64> {
    Ok(state.k().save_library_title(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_library_title(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_library_title(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_library_copy(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: CopyInput,
) -> CmdResult<i64> {
    Ok(state.k().save_library_copy(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_library_copy(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_library_copy(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn lend_copy(state: State<'_, AppState>, input: LoanInput) -> CmdResult<i64> {
    Ok(state.k().lend_copy(&input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_loans(state: State<'_, AppState>, query: LoanQuery) -> CmdResult<Page<Loan>> {
    Ok(state.k().loans(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn renew_loan(state: State<'_, AppState>, id: i64) -> CmdResult<Loan> {
    Ok(state.k().renew_loan(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn return_loan(
    state: State<'_, AppState>,
    id: i64,
    returned_on: String,
) -> CmdResult<Loan> {
    Ok(state.k().return_loan(id, &returned_on).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn library_settings(state: State<'_, AppState>) -> CmdResult<LibrarySettings> {
    Ok(state.k().library_settings().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn save_library_settings(
    state: State<'_, AppState>,
    settings: LibrarySettings,
) -> CmdResult<()> {
    Ok(state.k().save_library_settings(&settings).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn send_overdue_reminders(state: State<'_, AppState>) -> CmdResult<RemindersQueued> {
    Ok(state.k().send_overdue_reminders().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn overdue_sheet_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    without_email_only: bool,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, "zalegle-wypozyczenia", ("PDF", "pdf")).await else {
        return Ok(None);
    };
    state.k().overdue_sheet(&path, without_email_only).await?;
    Ok(Some(path.display().to_string()))
}
