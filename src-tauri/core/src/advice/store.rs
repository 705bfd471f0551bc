//! The advice domain's part of the store contract: what its operations need from a backend,
//! in domain types only. Each backend implements it (`store/sqlite/` today).

use crate::advice::{AdviceCategory, AdviceDraft, AdviceQuery, AdviceRecord, AdviceRow};
use crate::error::Result;
use crate::register::*;
use chrono::NaiveDate;

/// The store's part for advice records.
#[async_trait::async_trait]
pub trait AdviceStore: Send + Sync {
    async fn advice_categories(&self) -> Result<Vec<AdviceCategory>>;

    /// Many advice records in one transaction (demo data, benchmarks).
    async fn insert_advice_many(&self, drafts: &[AdviceDraft]) -> Result<()>;

    async fn insert_advice(&self, d: &AdviceDraft) -> Result<i64>;

    /// Changes an advice record; a stale `expected_revision` is refused with `Error::Conflict`
    /// and nothing is written.
    async fn update_advice(
        &self,
        id: i64,
        d: &AdviceDraft,
        author: &str,
        expected_revision: Option<i64>,
    ) -> Result<()>;

    async fn delete_advice(&self, id: i64) -> Result<()>;

    async fn get_advice(&self, id: i64) -> Result<AdviceRecord>;

    /// Newest first; follow-ups due oldest first. The category names are joined with
    /// group_concat (string_agg on PostgreSQL).
    async fn list_advice(
        &self,
        q: &AdviceQuery,
        range: (Option<NaiveDate>, Option<NaiveDate>),
        today: NaiveDate,
    ) -> Result<Page<AdviceRow>>;
}
