//! The correspondence log's part of the store contract, in domain types only; each backend
//! implements it (`store/sqlite/letters.rs`, `store/postgres/letters.rs`).

use crate::error::Result;
use crate::letters::*;
use crate::register::Page;
use chrono::NaiveDate;

#[async_trait::async_trait]
pub trait LetterStore: Send + Sync {
    /// Agreements, newest first: one organisation's, or every one (a short list: one per
    /// organisation using the address).
    async fn agreements(&self, organization_id: Option<i64>) -> Result<Vec<Agreement>>;

    async fn save_agreement(&self, id: Option<i64>, d: &AgreementDraft) -> Result<i64>;

    async fn delete_agreement(&self, id: i64) -> Result<()>;

    /// `month` is the query's month as its first and last day.
    async fn list_letters(
        &self,
        q: &LetterQuery,
        month: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<Page<Letter>>;

    async fn get_letter(&self, id: i64) -> Result<Letter>;

    async fn save_letter(&self, id: Option<i64>, d: &LetterDraft, user: &str) -> Result<i64>;

    async fn delete_letter(&self, id: i64) -> Result<()>;

    /// Records that the organisation was told about these items (at `to`).
    async fn mark_notified(&self, ids: &[i64], to: &str) -> Result<()>;

    /// Marks the items still waiting as picked up; returns how many were.
    async fn pick_up(&self, ids: &[i64], on: NaiveDate, by: &str) -> Result<usize>;
}

/// A letter with its organisation and whether an agreement covered the day it came: the same
/// SQL on both backends.
pub(crate) const LETTER_SELECT: &str = "SELECT l.id, l.received_on, l.sender, l.organization_id, o.name AS organization_name, l.kind,
     l.tracking_number, l.item_count, l.notes, l.notified_at, l.notified_to, l.picked_up_on, l.picked_up_by, l.entered_by,
     NOT EXISTS (SELECT 1 FROM address_agreements a WHERE a.organization_id = l.organization_id
         AND a.valid_from <= l.received_on AND (a.valid_until IS NULL OR a.valid_until >= l.received_on)) AS outside_agreement
     FROM letters l JOIN organizations o ON o.id = l.organization_id";

/// An agreement with its names and the items waiting: the same SQL on both backends.
pub(crate) const AGREEMENT_SELECT: &str = "SELECT a.id, a.organization_id, o.name AS organization_name, a.valid_from, a.valid_until,
     a.contact_person_id, CASE WHEN p.id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS contact_person_name,
     a.contact_email, a.notify_by, a.notes,
     (SELECT COUNT(*) FROM letters l WHERE l.organization_id = a.organization_id AND l.picked_up_on IS NULL) AS waiting
     FROM address_agreements a JOIN organizations o ON o.id = a.organization_id LEFT JOIN people p ON p.id = a.contact_person_id";
