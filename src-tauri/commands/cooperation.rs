//! Współpraca: the city's cooperation programme, its competitions and offers (with the art. 19a
//! warnings), consultations of draft acts with their notice, teams and the log of other
//! cooperation, and the report on the programme's execution saved where the user chooses.

use crate::commands::export::ask_path;
use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::cooperation::{
    ActConsultation, ActConsultationInput, ActConsultationQuery, Activity, ActivityInput,
    ActivityQuery, Competition, CompetitionInput, CompetitionQuery, ConsultationNotice,
    CooperationReport, CooperationSettings, Meeting, MeetingInput, Offer, OfferInput, OfferQuery,
    OfferSaved, Opinion, OpinionInput, OrganizationCooperation, Programme, ProgrammeInput, Team,
    TeamInput, TeamQuery,
};
use kartoteka_core::mail::Segment;
use kartoteka_core::register::Page;
use kartoteka_core::FieldError;
use tauri::{AppHandle, State};
use tracing::instrument;

/// The years with a programme (newest first) and the year the view opens on.
#[derive(serde::Serialize)]
pub struct ProgrammeYears {
    pub years: Vec<i64>,
    pub current: i64,
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn programme_years(state: State<'_, AppState>) -> CmdResult<ProgrammeYears> {
    let k = state.k();
    Ok(ProgrammeYears {
        years: k.programme_years().await?,
        current: k.cooperation_default_year().await?,
    })
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_programme(state: State<'_, AppState>, year: i64) -> CmdResult<Option<Programme>> {
    Ok(state.k().programme(year).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_programme(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: ProgrammeInput,
) -> CmdResult<i64> {
    Ok(state.k().save_programme(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_programme(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_programme(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_competitions(
    state: State<'_, AppState>,
    query: CompetitionQuery,
) -> CmdResult<Page<Competition>> {
    Ok(state.k().competitions(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_competition(state: State<'_, AppState>, id: i64) -> CmdResult<Competition> {
    Ok(state.k().competition(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_competition(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: CompetitionInput,
) -> CmdResult<i64> {
    Ok(state.k().save_competition(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_competition(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_competition(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_offers(state: State<'_, AppState>, query: OfferQuery) -> CmdResult<Page<Offer>> {
    Ok(state.k().offers(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_offer(state: State<'_, AppState>, id: i64) -> CmdResult<Offer> {
    Ok(state.k().offer(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn offer_warnings(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: OfferInput,
) -> CmdResult<Vec<FieldError>> {
    Ok(state.k().offer_warnings(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_offer(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: OfferInput,
) -> CmdResult<OfferSaved> {
    Ok(state.k().save_offer(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_offer(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_offer(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn organization_offers(
    state: State<'_, AppState>,
    organization_id: i64,
) -> CmdResult<Vec<Offer>> {
    Ok(state.k().organization_offers(organization_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn cooperation_settings(state: State<'_, AppState>) -> CmdResult<CooperationSettings> {
    Ok(state.k().cooperation_settings().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn save_cooperation_settings(
    state: State<'_, AppState>,
    input: CooperationSettings,
) -> CmdResult<CooperationSettings> {
    Ok(state.k().save_cooperation_settings(&input).await?)
}

/// The report's figures for the window's preview table.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn cooperation_report(
    state: State<'_, AppState>,
    year: i32,
) -> CmdResult<CooperationReport> {
    Ok(state.k().cooperation_report(year).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn cooperation_report_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
) -> CmdResult<Option<String>> {
    let name = format!("sprawozdanie-wspolpraca-{year}");
    let Some(path) = ask_path(&app, &name, ("PDF", "pdf")).await else {
        return Ok(None);
    };
    state.k().cooperation_report_pdf(year, &path).await?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn cooperation_report_xlsx(
    app: AppHandle,
    state: State<'_, AppState>,
    year: i32,
) -> CmdResult<Option<String>> {
    let name = format!("sprawozdanie-wspolpraca-{year}");
    let Some(path) = ask_path(&app, &name, ("Arkusz Excel", "xlsx")).await else {
        return Ok(None);
    };
    state.k().cooperation_report_xlsx(year, &path).await?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_act_consultations(
    state: State<'_, AppState>,
    query: ActConsultationQuery,
) -> CmdResult<Page<ActConsultation>> {
    Ok(state.k().act_consultations(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_act_consultation(
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<ActConsultation> {
    Ok(state.k().act_consultation(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_act_consultation(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: ActConsultationInput,
) -> CmdResult<i64> {
    Ok(state.k().save_act_consultation(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_act_consultation(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_act_consultation(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn list_opinions(
    state: State<'_, AppState>,
    consultation_id: i64,
) -> CmdResult<Vec<Opinion>> {
    Ok(state.k().opinions(consultation_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_opinion(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: OpinionInput,
) -> CmdResult<i64> {
    Ok(state.k().save_opinion(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_opinion(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_opinion(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn consultation_report_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<Option<String>> {
    let Some(path) = ask_path(&app, &format!("konsultacje-{id}"), ("PDF", "pdf")).await else {
        return Ok(None);
    };
    state.k().consultation_report_pdf(id, &path).await?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, segment))]
pub async fn consultation_notice(
    state: State<'_, AppState>,
    id: i64,
    segment: Segment,
) -> CmdResult<ConsultationNotice> {
    Ok(state.k().consultation_notice(id, &segment).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn list_teams(state: State<'_, AppState>, query: TeamQuery) -> CmdResult<Page<Team>> {
    Ok(state.k().teams(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_team(state: State<'_, AppState>, id: i64) -> CmdResult<Team> {
    Ok(state.k().team(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_team(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: TeamInput,
) -> CmdResult<i64> {
    Ok(state.k().save_team(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_team(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_team(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn list_meetings(state: State<'_, AppState>, team_id: i64) -> CmdResult<Vec<Meeting>> {
    Ok(state.k().meetings(team_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_meeting(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: MeetingInput,
) -> CmdResult<i64> {
    Ok(state.k().save_meeting(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_meeting(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_meeting(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn list_cooperation_activities(
    state: State<'_, AppState>,
    query: ActivityQuery,
) -> CmdResult<Page<Activity>> {
    Ok(state.k().cooperation_activities(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_cooperation_activity(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: ActivityInput,
) -> CmdResult<i64> {
    Ok(state.k().save_cooperation_activity(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_cooperation_activity(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_cooperation_activity(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn organization_cooperation(
    state: State<'_, AppState>,
    organization_id: i64,
) -> CmdResult<OrganizationCooperation> {
    Ok(state.k().organization_cooperation(organization_id).await?)
}
