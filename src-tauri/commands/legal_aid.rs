//! Free legal aid points: the point and its lists, help recorded with its card, the printed
//! card, statement and Part B, opinions from the urn, the starosta's figures, and the point's
//! duty hours with the appointments made for them.

use crate::commands::export::ask_path;
use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::advice::AdviceInput;
use kartoteka_core::legal_aid::{
    AppointmentInput, CardQuery, CardRow, DutyHour, DutyHourInput, LegalAidCard, LegalAidCardInput,
    LegalAidPointInput, LegalAidSetup, ListEntryInput, Opinion, OpinionInput, OpinionQuery,
    PointDay, StarostaFigures,
};
use kartoteka_core::register::Page;
use tauri::{AppHandle, State};
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn legal_aid_setup(state: State<'_, AppState>) -> CmdResult<LegalAidSetup> {
    Ok(state.k().legal_aid_setup().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_legal_aid_point(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: LegalAidPointInput,
) -> CmdResult<i64> {
    Ok(state.k().save_legal_aid_point(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn save_legal_aid_list_entry(
    state: State<'_, AppState>,
    input: ListEntryInput,
) -> CmdResult<()> {
    Ok(state.k().save_legal_aid_list_entry(&input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn save_legal_aid_list_version(
    state: State<'_, AppState>,
    version: String,
) -> CmdResult<()> {
    Ok(state.k().save_legal_aid_list_version(&version).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, advice, card))]
pub async fn save_legal_aid_help(
    state: State<'_, AppState>,
    id: Option<i64>,
    advice: AdviceInput,
    card: LegalAidCardInput,
) -> CmdResult<i64> {
    Ok(state.k().save_legal_aid_help(id, &advice, &card).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_legal_aid_card(
    state: State<'_, AppState>,
    advice_id: i64,
) -> CmdResult<Option<LegalAidCard>> {
    Ok(state.k().legal_aid_card(advice_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn remove_legal_aid_card(state: State<'_, AppState>, advice_id: i64) -> CmdResult<()> {
    Ok(state.k().remove_legal_aid_card(advice_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_legal_aid_cards(
    state: State<'_, AppState>,
    query: CardQuery,
) -> CmdResult<Page<CardRow>> {
    Ok(state.k().legal_aid_cards(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn legal_aid_card_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    advice_id: i64,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, "karta-pomocy", ("PDF", "pdf")).await else {
        return Ok(None);
    };
    state.k().legal_aid_card_pdf(advice_id, &path).await?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn legal_aid_statement_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    advice_id: i64,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, "oswiadczenie", ("PDF", "pdf")).await else {
        return Ok(None);
    };
    state.k().legal_aid_statement_pdf(advice_id, &path).await?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn legal_aid_opinion_form_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    point_id: i64,
    on: String,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, "opinia-czesc-b", ("PDF", "pdf")).await else {
        return Ok(None);
    };
    state
        .k()
        .legal_aid_opinion_form_pdf(point_id, &on, &path)
        .await?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn save_legal_aid_opinion(
    state: State<'_, AppState>,
    input: OpinionInput,
) -> CmdResult<i64> {
    Ok(state.k().save_legal_aid_opinion(&input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_legal_aid_opinions(
    state: State<'_, AppState>,
    query: OpinionQuery,
) -> CmdResult<Page<Opinion>> {
    Ok(state.k().legal_aid_opinions(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_legal_aid_opinion(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_legal_aid_opinion(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn starosta_figures(
    state: State<'_, AppState>,
    from: String,
    to: String,
    point_id: Option<i64>,
) -> CmdResult<StarostaFigures> {
    Ok(state.k().starosta_figures(&from, &to, point_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn starosta_report_file(
    app: AppHandle,
    state: State<'_, AppState>,
    from: String,
    to: String,
    point_id: Option<i64>,
    format: String,
) -> CmdResult<Option<String>> {
    let filter = if format == "xlsx" {
        ("Arkusz Excel", "xlsx")
    } else {
        ("PDF", "pdf")
    };
    let Some(path) = ask_path(&app, "informacja-dla-starosty", filter).await else {
        return Ok(None);
    };
    state
        .k()
        .starosta_report(&from, &to, point_id, &path)
        .await?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn legal_aid_duty_hours(
    state: State<'_, AppState>,
    point_id: Option<i64>,
) -> CmdResult<Vec<DutyHour>> {
    Ok(state.k().legal_aid_duty_hours(point_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_legal_aid_duty_hour(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: DutyHourInput,
) -> CmdResult<i64> {
    Ok(state.k().save_legal_aid_duty_hour(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_legal_aid_duty_hour(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_legal_aid_duty_hour(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn legal_aid_day(
    state: State<'_, AppState>,
    point_id: i64,
    day: String,
) -> CmdResult<PointDay> {
    Ok(state.k().legal_aid_day(point_id, &day).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_legal_aid_appointment(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: AppointmentInput,
) -> CmdResult<i64> {
    Ok(state.k().save_legal_aid_appointment(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_legal_aid_appointment(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_legal_aid_appointment(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn legal_aid_day_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    point_id: i64,
    day: String,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, "zapisy-do-punktu", ("PDF", "pdf")).await else {
        return Ok(None);
    };
    state.k().legal_aid_day_pdf(point_id, &day, &path).await?;
    Ok(Some(path.display().to_string()))
}
