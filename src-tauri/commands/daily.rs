//! Daily work: the "Dziś" summary, the events calendar, a person's advice, events and
//! consultations for their page, and the advisors for the advice list's filter.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::daily::{CalendarEvent, PersonOverview, TodaySummary};
use tauri::State;
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn today_summary(state: State<'_, AppState>) -> CmdResult<TodaySummary> {
    Ok(state.k().today_summary().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn calendar_events(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> CmdResult<Vec<CalendarEvent>> {
    Ok(state.k().calendar(&from, &to).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn person_overview(
    state: State<'_, AppState>,
    id: i64,
    limit: u32,
) -> CmdResult<PersonOverview> {
    Ok(state.k().person_overview(id, limit).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn advice_advisors(state: State<'_, AppState>) -> CmdResult<Vec<String>> {
    Ok(state.k().advice_advisors().await?)
}
