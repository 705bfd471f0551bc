//! Consultations for organisations: the list, the form and the editable topic list.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::consultations::{
    Consultation, ConsultationInput, ConsultationQuery, ConsultationTopic,
};
use kartoteka_core::register::Page;
use tauri::State;
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn consultation_topics(state: State<'_, AppState>) -> CmdResult<Vec<ConsultationTopic>> {
    Ok(state.k().consultation_topics().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_consultations(
    state: State<'_, AppState>,
    query: ConsultationQuery,
) -> CmdResult<Page<Consultation>> {
    Ok(state.k().consultations(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_consultation(state: State<'_, AppState>, id: i64) -> CmdResult<Consultation> {
    Ok(state.k().consultation(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_consultation(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: ConsultationInput,
) -> CmdResult<i64> {
    Ok(state.k().save_consultation(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_consultation(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_consultation(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, name))]
pub async fn save_consultation_topic(
    state: State<'_, AppState>,
    code: String,
    name: String,
    active: bool,
) -> CmdResult<()> {
    Ok(state
        .k()
        .save_consultation_topic(&code, &name, active)
        .await?)
}
