//! The legal-aid domain's part of the store contract, in domain types only. Each backend
//! implements it (`store/sqlite/legal_aid.rs`, `store/postgres/legal_aid.rs`); a card is saved
//! with its advice record in one transaction, and opinions have no column linking a client.

use crate::advice::AdviceDraft;
use crate::error::Result;
use crate::legal_aid::*;
use crate::register::Page;
use chrono::NaiveDate;

#[async_trait::async_trait]
pub trait LegalAidStore: Send + Sync {
    async fn legal_aid_points(&self) -> Result<Vec<LegalAidPoint>>;

    async fn save_legal_aid_point(&self, id: Option<i64>, d: &LegalAidPointDraft) -> Result<i64>;

    /// Every list entry, in kind and position order.
    async fn legal_aid_lists(&self) -> Result<Vec<ListEntry>>;

    /// Adds the entries whose kind and code are not there yet (the shipped lists, once).
    async fn seed_legal_aid_lists(&self, entries: &[ListEntry]) -> Result<()>;

    /// Adds an entry at the end of its list, or renames and switches an existing one.
    async fn save_legal_aid_list_entry(&self, e: &ListEntry) -> Result<()>;

    /// Saves a new advice record with its card, in one transaction.
    async fn insert_legal_aid_help(
        &self,
        advice: &AdviceDraft,
        card: &LegalAidCardDraft,
    ) -> Result<i64>;

    /// Changes an advice record and writes its card (new or changed), in one transaction; a
    /// stale `expected_revision` is refused with `Error::Conflict` and nothing is written.
    async fn update_legal_aid_help(
        &self,
        id: i64,
        advice: &AdviceDraft,
        card: &LegalAidCardDraft,
        author: &str,
        expected_revision: Option<i64>,
    ) -> Result<()>;

    /// Many records with cards in one transaction (demo data).
    async fn insert_legal_aid_many(&self, items: &[(AdviceDraft, LegalAidCardDraft)])
        -> Result<()>;

    async fn legal_aid_card(&self, advice_id: i64) -> Result<Option<LegalAidCard>>;

    async fn delete_legal_aid_card(&self, advice_id: i64) -> Result<()>;

    async fn list_legal_aid_cards(
        &self,
        point_id: Option<i64>,
        period: (Option<NaiveDate>, Option<NaiveDate>),
        offset: u32,
        limit: u32,
    ) -> Result<Page<CardRow>>;

    /// The period's cards as facts for the figures, and their kinds of help (advice id, code).
    async fn legal_aid_card_facts(
        &self,
        point_id: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<CardFacts>, Vec<(i64, String)>)>;

    async fn insert_legal_aid_opinions(&self, drafts: &[OpinionDraft]) -> Result<Vec<i64>>;

    async fn list_legal_aid_opinions(
        &self,
        point_id: Option<i64>,
        period: (Option<NaiveDate>, Option<NaiveDate>),
        offset: u32,
        limit: u32,
    ) -> Result<Page<Opinion>>;

    async fn delete_legal_aid_opinion(&self, id: i64) -> Result<()>;
}

/// The point's duty hours and appointments.
#[async_trait::async_trait]
pub trait LegalAidScheduleStore: Send + Sync {
    /// Every duty hour (of one point when given), by point, weekday and start.
    async fn legal_aid_duty_hours(&self, point_id: Option<i64>) -> Result<Vec<DutyHour>>;

    async fn save_legal_aid_duty_hour(&self, id: Option<i64>, d: &DutyHourDraft) -> Result<i64>;

    async fn delete_legal_aid_duty_hour(&self, id: i64) -> Result<()>;

    /// A point's appointments on a day, by start (out of turn first at the same start).
    async fn legal_aid_appointments(
        &self,
        point_id: i64,
        day: NaiveDate,
    ) -> Result<Vec<Appointment>>;

    /// Saves an appointment unless its time overlaps another of the point that day (checked
    /// in the write's own transaction, refused at the field `starts`).
    async fn save_legal_aid_appointment(
        &self,
        id: Option<i64>,
        d: &AppointmentDraft,
    ) -> Result<i64>;

    async fn delete_legal_aid_appointment(&self, id: i64) -> Result<()>;

    /// Removes the appointments of days before `day`; returns how many.
    async fn remove_legal_aid_appointments_before(&self, day: NaiveDate) -> Result<u64>;
}
