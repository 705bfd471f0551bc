//! Rooms and the workstation: resources (Ustawienia), bookings and weekly series for the
//! calendar, the door schedule PDF and the iCalendar export saved where the user chooses.

use crate::commands::export::ask_path;
use crate::error::CmdResult;
use crate::AppState;
use chrono::NaiveDate;
use kartoteka_core::error::FieldError;
use kartoteka_core::register::Page;
use kartoteka_core::rooms::{
    Booking, BookingInput, BookingQuery, BookingSaved, BookingSeries, Resource, ResourceInput,
    SeriesChangeInput, SeriesDate, SeriesInput, SeriesSaved,
};
use tauri::{AppHandle, State};
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_resources(
    state: State<'_, AppState>,
    include_inactive: bool,
) -> CmdResult<Vec<Resource>> {
    Ok(state.k().resources(include_inactive).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_resource(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: ResourceInput,
) -> CmdResult<i64> {
    Ok(state.k().save_resource(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_bookings(
    state: State<'_, AppState>,
    query: BookingQuery,
) -> CmdResult<Page<Booking>> {
    Ok(state.k().bookings(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_booking(state: State<'_, AppState>, id: i64) -> CmdResult<Booking> {
    Ok(state.k().booking(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn booking_warnings(
    state: State<'_, AppState>,
    input: BookingInput,
) -> CmdResult<Vec<FieldError>> {
    Ok(state.k().booking_warnings(&input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_booking(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: BookingInput,
) -> CmdResult<BookingSaved> {
    Ok(state.k().save_booking(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, reason))]
pub async fn cancel_booking(state: State<'_, AppState>, id: i64, reason: String) -> CmdResult<()> {
    Ok(state.k().cancel_booking(id, &reason).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn preview_series(
    state: State<'_, AppState>,
    input: SeriesInput,
) -> CmdResult<Vec<SeriesDate>> {
    Ok(state.k().preview_series(&input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_series(
    state: State<'_, AppState>,
    input: SeriesInput,
    skip: Vec<NaiveDate>,
) -> CmdResult<SeriesSaved> {
    Ok(state.k().save_series(&input, &skip).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_series(state: State<'_, AppState>, id: i64) -> CmdResult<BookingSeries> {
    Ok(state.k().series(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn change_series(
    state: State<'_, AppState>,
    id: i64,
    input: SeriesChangeInput,
) -> CmdResult<usize> {
    Ok(state.k().change_series(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, reason))]
pub async fn cancel_series(
    state: State<'_, AppState>,
    id: i64,
    from_day: String,
    reason: String,
) -> CmdResult<usize> {
    Ok(state.k().cancel_series(id, &from_day, &reason).await?)
}

/// The door schedule of one room (or all) for a day or a week, saved where the user picks.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn door_schedule_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    resource_id: Option<i64>,
    from: NaiveDate,
    days: u32,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(
        &app,
        &format!("plan-sal-{}", from.format("%Y-%m-%d")),
        ("PDF", "pdf"),
    )
    .await
    else {
        return Ok(None);
    };
    state
        .k()
        .door_schedule(resource_id, from, days, "", &path)
        .await?;
    Ok(Some(path.display().to_string()))
}

/// The bookings from `from` to `to` as an .ics file for Thunderbird or Outlook.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn export_bookings_ics(
    app: AppHandle,
    state: State<'_, AppState>,
    resource_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, "rezerwacje-sal", ("iCalendar", "ics")).await else {
        return Ok(None);
    };
    state
        .k()
        .export_icalendar(resource_id, from, to, &path)
        .await?;
    Ok(Some(path.display().to_string()))
}
