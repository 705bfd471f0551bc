//! The rodo domain's part of the store contract: what its operations need from a backend,
//! in domain types only. Each backend implements it (`store/sqlite/` today).

use super::*;
use crate::error::Result;
use chrono::NaiveDate;

/// The store's part for RODO requests and retention.
#[async_trait::async_trait]
pub trait RodoStore: Send + Sync {
    async fn person_activity(&self, id: i64) -> Result<PersonActivity>;

    /// Art. 17: the person and their personal data everywhere; statistics keep counts only.
    async fn erase_person(&self, id: i64, user: &str) -> Result<()>;

    /// Keeps what statistics need (the record, its roles, attendance, advice counts) and
    /// removes who the person is: name, contacts, notes, consents, case descriptions, addresses.
    async fn anonymize_person(&self, id: i64, user: &str) -> Result<()>;

    /// After an erasure or anonymisation: rewrites the search index (deleted FTS5 entries stay
    /// in old segments until they are merged), refreshes planner samples that may quote a
    /// removed address, and checkpoints the WAL into the file and truncates it, so neither
    /// file keeps the removed text (secure_delete zeroes the freed space). Returns false when
    /// another process kept the WAL from being truncated; the next checkpoint finishes it.
    async fn scrub_removed_data(&self) -> Result<bool>;

    async fn strip_advice(&self, ids: &[i64]) -> Result<()>;

    /// The organisation and topic stay (they are the statistics); who came and what was noted go.
    async fn strip_consultations(&self, ids: &[i64]) -> Result<()>;

    /// Removes the events' attendance lists, keeping on each event how many were registered and
    /// attended, so reports count the same before and after.
    async fn remove_event_lists(&self, ids: &[i64], today: NaiveDate) -> Result<u64>;

    async fn strip_mail(&self, before: NaiveDate) -> Result<u64>;

    /// Advice records given before `before` that still hold a client link or a description.
    async fn advice_past_retention(&self, before: NaiveDate) -> Result<Vec<(i64, NaiveDate)>>;

    /// Consultations given before `before` that still name a person or hold notes.
    async fn consultations_past_retention(
        &self,
        before: NaiveDate,
    ) -> Result<Vec<(i64, NaiveDate)>>;

    /// Events over before `before` whose attendance list still exists: `(id, title, starts_at, people on it)`.
    async fn event_lists_past_retention(
        &self,
        before: NaiveDate,
    ) -> Result<Vec<(i64, String, String, i64)>>;

    /// People archived before `before` and not yet anonymised: `(id, name, archived_at)`.
    async fn people_past_retention(&self, before: NaiveDate) -> Result<Vec<(i64, String, String)>>;

    /// Sent-mail rows last touched before `before` that still carry an address.
    async fn mail_past_retention(&self, before: NaiveDate) -> Result<i64>;
}
