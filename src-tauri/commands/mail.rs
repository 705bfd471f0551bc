//! Mail: lists and segments, messages and templates, sending with progress and pause, the
//! queue's statuses, unsubscriptions and bounces, grant calls, and the mail settings (the
//! password goes to the OS secret store through `secrets`, never to the database).

use crate::error::CmdResult;
use crate::secrets::{self, Kept};
use crate::AppState;
use kartoteka_core::mail::render::Rendered;
use kartoteka_core::mail::send::{Progress, RunOptions, SendSummary, SmtpTarget};
use kartoteka_core::mail::*;
use kartoteka_core::mail::{GrantCampaign, ListSummary};
use kartoteka_core::register::{ConsentInput, Page};
use kartoteka_core::Error;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tracing::instrument;

/// The window's sending: whether a run is going, and its pause switch.
#[derive(Default)]
pub struct MailSession {
    pub running: AtomicBool,
    pub pause: std::sync::Mutex<Arc<AtomicBool>>,
}

#[derive(Serialize)]
pub struct SettingsView {
    pub settings: MailSettings,
    pub has_password: bool,
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn mail_settings(state: State<'_, AppState>) -> CmdResult<SettingsView> {
    let settings = state.k().mail_settings().await?;
    let has_password = !settings.username.is_empty()
        && secrets::load(&settings.username, &settings.host).is_some();
    Ok(SettingsView {
        settings,
        has_password,
    })
}

/// Saves the settings; a non-empty `password` replaces the kept one.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn save_mail_settings(
    state: State<'_, AppState>,
    input: MailSettings,
    password: Option<String>,
) -> CmdResult<Option<Kept>> {
    let saved = state.k().save_mail_settings(&input).await?;
    Ok(password
        .filter(|p| !p.is_empty())
        .map(|p| secrets::save(&saved.username, &saved.host, &p)))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn forget_mail_password(state: State<'_, AppState>) -> CmdResult<()> {
    let s = state.k().mail_settings().await?;
    secrets::forget(&s.username, &s.host);
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn mailing_lists(state: State<'_, AppState>) -> CmdResult<Vec<ListSummary>> {
    Ok(state.k().mailing_lists().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_mailing_list(state: State<'_, AppState>, id: i64) -> CmdResult<MailingList> {
    Ok(state.k().mailing_list(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_mailing_list(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: ListInput,
) -> CmdResult<i64> {
    Ok(state.k().save_mailing_list(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_mailing_list(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_mailing_list(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn segment_count(
    state: State<'_, AppState>,
    segment: Segment,
) -> CmdResult<AudienceCount> {
    Ok(state.k().segment_count(&segment).await?)
}

/// A static list's member: organisation id, person id, display name.
type ListMemberRow = (Option<i64>, Option<i64>, String);

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn list_members(
    state: State<'_, AppState>,
    list_id: i64,
    offset: u32,
    limit: u32,
) -> CmdResult<Page<ListMemberRow>> {
    Ok(state.k().list_members(list_id, offset, limit).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn add_list_members(
    state: State<'_, AppState>,
    list_id: i64,
    organizations: Vec<i64>,
    people: Vec<i64>,
) -> CmdResult<usize> {
    if organizations.len() + people.len() > 10_000 {
        return Err(Error::BadArgument("Za dużo rekordów naraz (najwyżej 10 000).".into()).into());
    }
    Ok(state
        .k()
        .add_list_members(list_id, &organizations, &people)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn remove_list_member(
    state: State<'_, AppState>,
    list_id: i64,
    organization_id: Option<i64>,
    person_id: Option<i64>,
) -> CmdResult<()> {
    Ok(state
        .k()
        .remove_list_member(list_id, organization_id, person_id)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn list_recipients(
    state: State<'_, AppState>,
    list_id: i64,
    offset: u32,
    limit: u32,
) -> CmdResult<Page<Recipient>> {
    Ok(state.k().list_recipients(list_id, offset, limit).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn bcc_chunks(
    state: State<'_, AppState>,
    list_id: i64,
    size: usize,
) -> CmdResult<Vec<String>> {
    Ok(state.k().bcc_chunks(list_id, size).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn export_list_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    list_id: i64,
) -> CmdResult<Option<usize>> {
    let Some(out) = super::export::ask_path(&app, "adresy", ("CSV", "csv")).await else {
        return Ok(None);
    };
    Ok(Some(state.k().export_list_csv(list_id, &out).await?))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_messages(
    state: State<'_, AppState>,
    query: MessageQuery,
) -> CmdResult<Page<MessageRow>> {
    Ok(state.k().messages(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_message(state: State<'_, AppState>, id: i64) -> CmdResult<MailMessage> {
    Ok(state.k().message(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_message(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: MessageInput,
) -> CmdResult<i64> {
    Ok(state.k().save_message(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_message(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_message(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn copy_message(state: State<'_, AppState>, id: i64) -> CmdResult<i64> {
    Ok(state.k().copy_message(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(app, state))]
pub async fn add_attachment(
    app: AppHandle,
    state: State<'_, AppState>,
    message_id: i64,
) -> CmdResult<Option<i64>> {
    let Some(path) = super::import::pick_file(
        &app,
        "Załącznik",
        &["pdf", "png", "jpg", "jpeg", "docx", "xlsx", "odt", "txt"],
    )
    .await
    else {
        return Ok(None);
    };
    Ok(Some(state.k().add_attachment(message_id, &path).await?))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_attachment(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_attachment(id).await?)
}

#[derive(Serialize)]
pub struct PreviewView {
    pub rendered: Rendered,
    pub recipient: Option<Recipient>,
    pub total: u64,
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn preview_message(
    state: State<'_, AppState>,
    message_id: i64,
    index: u32,
) -> CmdResult<PreviewView> {
    let (rendered, recipient, total) = state.k().preview_message(message_id, index).await?;
    Ok(PreviewView {
        rendered,
        recipient,
        total,
    })
}

async fn target(state: &AppState) -> Result<(SmtpTarget, MailSettings), Error> {
    let settings = state.k().mail_settings().await?.parse()?;
    let password = (!settings.username.is_empty())
        .then(|| secrets::load(&settings.username, &settings.host))
        .flatten();
    if !settings.username.is_empty() && password.is_none() {
        return Err(Error::invalid(
            "password",
            "Wpisz hasło do serwera poczty w Ustawieniach poczty (nie ma go w sejfie systemu).",
        ));
    }
    Ok((SmtpTarget::from_settings(&settings, password)?, settings))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, to))]
pub async fn test_send(state: State<'_, AppState>, message_id: i64, to: String) -> CmdResult<()> {
    let (t, _) = target(&state).await?;
    Ok(state.k().test_send(message_id, &to, &t).await?)
}

/// Runs the queue (this message's, or every campaign being sent) with progress reports.
async fn run(
    state: &AppState,
    only: Option<i64>,
    on_progress: Channel<Progress>,
) -> Result<SendSummary, Error> {
    let (target, settings) = target(state).await?;
    if state.mail.running.swap(true, Ordering::SeqCst) {
        return Err(Error::Busy("Wysyłka już trwa.".into()));
    }
    let pause = Arc::new(AtomicBool::new(false));
    *state.mail.pause.lock().expect("mail session lock") = pause.clone();
    let report = move |p: &Progress| {
        let _ = on_progress.send(p.clone());
    };
    let result = state
        .k()
        .run_queue(RunOptions {
            target,
            settings,
            only,
            pause: &pause,
            on_progress: &report,
        })
        .await;
    state.mail.running.store(false, Ordering::SeqCst);
    result
}

/// Queues a draft for its list (skipping those without consent) and sends it.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, on_progress))]
pub async fn send_message(
    state: State<'_, AppState>,
    message_id: i64,
    on_progress: Channel<Progress>,
) -> CmdResult<SendSummary> {
    target(&state).await?;
    if state.k().message(message_id).await?.status == "draft" {
        state.k().enqueue_message(message_id).await?;
    }
    Ok(run(&state, Some(message_id), on_progress).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, on_progress))]
pub async fn resume_sending(
    state: State<'_, AppState>,
    message_id: i64,
    on_progress: Channel<Progress>,
) -> CmdResult<SendSummary> {
    state.k().resume_message(message_id).await?;
    Ok(run(&state, Some(message_id), on_progress).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn pause_sending(state: State<'_, AppState>) -> CmdResult<()> {
    state
        .mail
        .pause
        .lock()
        .expect("mail session lock")
        .store(true, Ordering::Relaxed);
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn sending_status(state: State<'_, AppState>) -> CmdResult<bool> {
    Ok(state.mail.running.load(Ordering::SeqCst))
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn queue_rows(
    state: State<'_, AppState>,
    message_id: i64,
    status: Option<String>,
    offset: u32,
    limit: u32,
) -> CmdResult<Page<QueueRow>> {
    Ok(state
        .k()
        .queue_rows(message_id, status.as_deref(), offset, limit)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn retry_failed(state: State<'_, AppState>, message_id: i64) -> CmdResult<u64> {
    Ok(state.k().retry_failed(message_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, ids))]
pub async fn settle_uncertain(
    state: State<'_, AppState>,
    message_id: i64,
    resend: bool,
    ids: Option<Vec<i64>>,
) -> CmdResult<u64> {
    Ok(state
        .k()
        .settle_uncertain(message_id, resend, ids.as_deref())
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, address))]
pub async fn record_removal(
    state: State<'_, AppState>,
    address: String,
    how: Removal,
) -> CmdResult<RemovalOutcome> {
    Ok(state.k().record_removal(&address, how).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn bounces(
    state: State<'_, AppState>,
    offset: u32,
    limit: u32,
) -> CmdResult<Page<(String, String, String)>> {
    Ok(state.k().bounces(offset, limit).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, address))]
pub async fn remove_bounce(state: State<'_, AppState>, address: String) -> CmdResult<()> {
    Ok(state.k().remove_bounce(&address).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn mail_history(
    state: State<'_, AppState>,
    organization_id: Option<i64>,
    person_id: Option<i64>,
) -> CmdResult<Vec<MailHistoryRow>> {
    Ok(state.k().mail_history(organization_id, person_id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn grant_organization_consent(
    state: State<'_, AppState>,
    organization_id: i64,
    input: ConsentInput,
) -> CmdResult<i64> {
    Ok(state
        .k()
        .grant_organization_consent(organization_id, &input)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, date, source))]
pub async fn withdraw_organization_consent(
    state: State<'_, AppState>,
    consent_id: i64,
    date: String,
    source: String,
) -> CmdResult<()> {
    Ok(state
        .k()
        .withdraw_organization_consent(consent_id, &date, &source)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn list_grant_calls(
    state: State<'_, AppState>,
    offset: u32,
    limit: u32,
) -> CmdResult<Page<(i64, String, String, chrono::NaiveDate)>> {
    Ok(state.k().grant_calls(offset, limit).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_grant_call(state: State<'_, AppState>, id: i64) -> CmdResult<GrantCall> {
    Ok(state.k().grant_call(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_grant_call(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: GrantCallInput,
) -> CmdResult<i64> {
    Ok(state.k().save_grant_call(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_grant_call(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_grant_call(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn grant_call_campaign(state: State<'_, AppState>, id: i64) -> CmdResult<GrantCampaign> {
    Ok(state.k().grant_call_campaign(id).await?)
}
