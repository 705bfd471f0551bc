//! The mail domain's part of the store contract: what its operations need from a backend,
//! in domain types only. Each backend implements it (`store/sqlite/` today).

use super::*;
use crate::error::Result;
use crate::history::ChangeNote;
use crate::register::Page;
use chrono::NaiveDate;
use std::collections::HashSet;

/// The store's part for mail.
#[async_trait::async_trait]
pub trait MailStore: Send + Sync {
    /// Everyone a segment reaches, before the consent rules, in alphabetical order.
    async fn segment_candidates(&self, s: &Segment) -> Result<Vec<Candidate>>;

    /// The hand-picked members of a static list, organisations then people.
    async fn static_list_candidates(&self, list_id: i64) -> Result<Vec<Candidate>>;

    async fn bounced_addresses(&self) -> Result<HashSet<String>>;

    async fn mailing_lists(&self) -> Result<Vec<MailingList>>;

    async fn mailing_list(&self, id: i64) -> Result<MailingList>;

    async fn mailing_list_id(&self, name: &str) -> Result<Option<i64>>;

    async fn delete_mailing_list(&self, id: i64) -> Result<()>;

    async fn add_list_members(
        &self,
        list_id: i64,
        organizations: &[i64],
        people: &[i64],
    ) -> Result<usize>;

    /// The names on a static list, a page at a time: `(organization_id, person_id, name)`.
    async fn list_members(
        &self,
        list_id: i64,
        offset: u32,
        limit: u32,
    ) -> Result<Page<(Option<i64>, Option<i64>, String)>>;

    async fn insert_message(&self, m: &MessageInput, grant_call_id: Option<i64>) -> Result<i64>;

    /// Only drafts and templates change; a campaign keeps what was sent.
    async fn update_message(&self, id: i64, m: &MessageInput) -> Result<()>;

    async fn get_message(&self, id: i64) -> Result<MailMessage>;

    async fn list_messages(&self, q: &MessageQuery) -> Result<Page<MessageRow>>;

    async fn delete_message(&self, id: i64) -> Result<()>;

    async fn delete_attachment(&self, id: i64) -> Result<()>;

    async fn copy_attachments(&self, from: i64, to: i64) -> Result<()>;

    /// `(file name, content type, bytes)` of a message's attachments, for building the e-mail.
    async fn attachment_data(&self, message_id: i64) -> Result<Vec<(String, String, Vec<u8>)>>;

    /// Paused campaigns go back to sending (resume from the command line).
    async fn resume_paused(&self) -> Result<u64>;

    /// Messages whose queue should be worked on now.
    async fn sending_messages(&self) -> Result<Vec<i64>>;

    /// Puts failed (or uncertain) rows back in the queue and the message back to sending.
    async fn requeue(&self, message_id: i64, statuses: &[&str], ids: Option<&[i64]>)
        -> Result<u64>;

    /// The user checked their sent folder: these uncertain rows did go out.
    async fn mark_uncertain_sent(&self, message_id: i64, ids: Option<&[i64]>) -> Result<u64>;

    /// A connection for the sending loop, durable on every commit.
    async fn queue_conn(&self) -> Result<Box<dyn SendingQueue>>;

    async fn record_bounce(&self, address: &str, reply: &str) -> Result<()>;

    async fn remove_bounce(&self, address: &str) -> Result<()>;

    async fn bounces(&self, offset: u32, limit: u32) -> Result<Page<(String, String, String)>>;

    async fn organization_consents(
        &self,
        organization_id: i64,
    ) -> Result<Vec<crate::register::Consent>>;

    /// Demo data: organisations' consents in bulk `(organization, granted, withdrawn)`.
    async fn insert_organization_consents(
        &self,
        rows: &[(i64, NaiveDate, Option<NaiveDate>)],
    ) -> Result<()>;

    async fn save_grant_call(&self, id: Option<i64>, d: &GrantCallDraft) -> Result<i64>;

    async fn get_grant_call(&self, id: i64) -> Result<GrantCall>;

    /// Grant calls, the open ones (deadline today or later) first by deadline, then past ones.
    async fn grant_calls(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<Page<(i64, String, String, NaiveDate)>>;

    async fn delete_grant_call(&self, id: i64) -> Result<()>;

    async fn save_mailing_list(
        &self,
        id: Option<i64>,
        name: &str,
        segment: Option<&Segment>,
    ) -> Result<i64>;

    async fn remove_list_member(
        &self,
        list_id: i64,
        organization_id: Option<i64>,
        person_id: Option<i64>,
    ) -> Result<()>;

    async fn add_attachment(
        &self,
        message_id: i64,
        file_name: &str,
        content_type: &str,
        data: &[u8],
    ) -> Result<i64>;

    /// Queues every recipient in one transaction; an address already queued for this message
    /// is left as it is, so queueing twice never sends twice.
    async fn enqueue(
        &self,
        message_id: i64,
        list_name: &str,
        recipients: &[Recipient],
        skipped_no_consent: usize,
        skipped_other: usize,
    ) -> Result<usize>;

    async fn queue_rows(
        &self,
        message_id: i64,
        status: Option<&str>,
        offset: u32,
        limit: u32,
    ) -> Result<Page<QueueRow>>;

    async fn set_message_status(&self, id: i64, from: &[&str], to: &str) -> Result<bool>;

    /// Closes every open e-mail consent of the people and organisations using `address`.
    /// Withdraws the e-mail consent of everyone with this address; `note` goes into the history
    /// of each of them in the same transaction.
    async fn withdraw_email_consents_for(
        &self,
        address: &str,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<RemovalOutcome>;

    async fn mail_history(
        &self,
        organization_id: Option<i64>,
        person_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<MailHistoryRow>>;

    async fn grant_organization_consent(
        &self,
        organization_id: i64,
        date: NaiveDate,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<i64>;

    async fn withdraw_organization_consent(
        &self,
        consent_id: i64,
        date: NaiveDate,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<()>;
}

/// The sending loop's own hold on the queue: claims, settles and pauses rows one by one so a
/// crash leaves each row in a state the next run understands.
#[async_trait::async_trait]
pub trait SendingQueue: Send {
    /// Rows claimed by a process that died before recording the server's answer: whether the
    /// message went out is unknown, so they wait for the user's decision, never resent blindly.
    async fn mark_interrupted(&mut self) -> Result<u64>;

    /// Makes this queue the one sender of these campaigns for as long as it lives, so that a
    /// campaign goes out from one PC at a time; the hold ends with the queue, or with its
    /// process if that dies, and then another sender may resume. Returns the campaigns held
    /// (a server leaves out those another PC is sending); a file, which allows one sender for
    /// all its campaigns, refuses with `Error::Busy` while another process sends.
    async fn hold_campaigns(&mut self, message_ids: &[i64]) -> Result<Vec<i64>>;

    /// Takes the next queued row of a message being sent; committed before any SMTP traffic.
    async fn claim_next(&mut self, only: Option<i64>) -> Result<Option<Claimed>>;

    async fn settle(&mut self, id: i64, status: &str, reply: &str) -> Result<()>;

    /// Messages with nothing left to send are done.
    async fn finish_messages(&mut self) -> Result<()>;

    async fn pause_all(&mut self, only: Option<i64>) -> Result<()>;

    async fn counts_for(&mut self, message_ids: &[i64]) -> Result<QueueCounts>;
}
