//! The daily domain's part of the store contract: what its operations need from a backend,
//! in domain types only. Each backend implements it (`store/sqlite/` today).

use crate::consultations::Consultation;
use crate::daily::{CalendarEvent, CampaignInProgress, PersonEvent};
use crate::error::Result;
use crate::register::{Page, SearchHit};
use chrono::NaiveDateTime;

/// The store's part for the day's overview.
#[async_trait::async_trait]
pub trait DailyStore: Send + Sync {
    /// Campaigns sending or paused, or with a message whose fate is unknown, newest first.
    async fn campaigns_in_progress(&self, limit: u32) -> Result<Page<CampaignInProgress>>;

    /// The person's registrations (registered or waiting), newest event first.
    async fn person_events(&self, person_id: i64, limit: u32) -> Result<Page<PersonEvent>>;

    /// Consultations the person came to, newest first.
    async fn person_consultations(&self, person_id: i64, limit: u32) -> Result<Page<Consultation>>;

    /// Advisors' names as written on advice records, the most used first.
    async fn advice_advisors(&self, limit: u32) -> Result<Vec<String>>;

    /// Advice whose anonymous client code starts with what was typed, dashes and case aside
    /// ("k-2026-53", "K2026 5327"), newest first. Only text that looks like a code (a letter or
    /// digit start, at least one digit, three characters) is tried: a name never matches here.
    async fn advice_by_client_code(&self, typed: &str, limit: u32) -> Result<Vec<SearchHit>>;

    /// Events starting in [from, to), soonest first: the first `limit` and how many in all.
    async fn calendar_events(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
        limit: u32,
    ) -> Result<(Vec<CalendarEvent>, u64)>;
}
