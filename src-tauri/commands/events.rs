//! Events and trainings: the list, the form, registrations with the waiting list, attendance,
//! and the attendance sheet PDF saved where the user chooses.

use crate::commands::export::ask_path;
use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::events::{Event, EventInput, EventQuery, EventRow};
use kartoteka_core::register::Page;
use tauri::{AppHandle, State};
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_events(
    state: State<'_, AppState>,
    query: EventQuery,
) -> CmdResult<Page<EventRow>> {
    Ok(state.k().events(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_event(state: State<'_, AppState>, id: i64) -> CmdResult<Event> {
    Ok(state.k().event(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_event(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: EventInput,
) -> CmdResult<i64> {
    Ok(state.k().save_event(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_event(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_event(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn register_for_event(
    state: State<'_, AppState>,
    event_id: i64,
    person_id: i64,
) -> CmdResult<String> {
    Ok(state
        .k()
        .register_for_event(event_id, person_id, None)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn unregister(state: State<'_, AppState>, registration_id: i64) -> CmdResult<()> {
    Ok(state.k().unregister(registration_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn set_attended(
    state: State<'_, AppState>,
    registration_id: i64,
    attended: bool,
) -> CmdResult<()> {
    Ok(state.k().set_attended(registration_id, attended).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn attendance_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    event_id: i64,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, &format!("lista-obecnosci-{event_id}"), ("PDF", "pdf")).await
    else {
        return Ok(None);
    };
    state.k().attendance_pdf(event_id, "", &path).await?;
    Ok(Some(path.display().to_string()))
}
