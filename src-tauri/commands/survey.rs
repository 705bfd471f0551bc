//! The yearly needs survey: topics offered, which organisations chose which, ranked.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::survey::Survey;
use tauri::State;
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_survey(state: State<'_, AppState>, year: i32) -> CmdResult<Survey> {
    Ok(state.k().survey(year).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, name))]
pub async fn add_survey_topic(
    state: State<'_, AppState>,
    year: i32,
    name: String,
) -> CmdResult<i64> {
    Ok(state.k().add_survey_topic(year, &name).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_survey_topic(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_survey_topic(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn set_survey_choice(
    state: State<'_, AppState>,
    topic_id: i64,
    organization_id: i64,
    chosen: bool,
) -> CmdResult<()> {
    Ok(state
        .k()
        .set_survey_choice(topic_id, organization_id, chosen)
        .await?)
}
