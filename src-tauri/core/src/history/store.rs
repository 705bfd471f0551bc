//! The history domain's part of the store contract: what its operations need from a backend,
//! in domain types only. Each backend implements it (`store/sqlite/` today).

use crate::error::Result;
use crate::register::*;

/// The store's part for the change log.
#[async_trait::async_trait]
pub trait HistoryStore: Send + Sync {
    async fn changes(
        &self,
        entity: &str,
        id: i64,
        limit: u32,
    ) -> Result<Vec<crate::history::Change>>;

    async fn meta(&self, key: &str) -> Result<Option<String>>;

    async fn set_meta(&self, key: &str, value: &str) -> Result<()>;

    /// `(owner id, channel)` of a person's or an organisation's consent.
    async fn consent_owner(
        &self,
        owner: ConsentOwner,
        consent_id: i64,
    ) -> Result<Option<(i64, String)>>;
}
