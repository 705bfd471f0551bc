//! People and consent commands.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::register::{
    ConsentInput, Page, Person, PersonInput, PersonQuery, PersonRow, SaveOutcome,
};
use tauri::State;
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all, fields(offset = query.offset, limit = query.limit))]
pub async fn list_people(
    state: State<'_, AppState>,
    query: PersonQuery,
) -> CmdResult<Page<PersonRow>> {
    Ok(state.k().people(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_person(state: State<'_, AppState>, id: i64) -> CmdResult<Person> {
    Ok(state.k().person(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_person(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: PersonInput,
    accept_duplicates: bool,
) -> CmdResult<SaveOutcome> {
    Ok(state.k().save_person(id, &input, accept_duplicates).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn archive_person(state: State<'_, AppState>, id: i64, archived: bool) -> CmdResult<()> {
    Ok(state.k().archive_person(id, archived).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn grant_consent(
    state: State<'_, AppState>,
    person_id: i64,
    input: ConsentInput,
) -> CmdResult<i64> {
    Ok(state.k().grant_consent(person_id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, date, source))]
pub async fn withdraw_consent(
    state: State<'_, AppState>,
    consent_id: i64,
    date: String,
    source: String,
) -> CmdResult<()> {
    Ok(state
        .k()
        .withdraw_consent(consent_id, &date, &source)
        .await?)
}
