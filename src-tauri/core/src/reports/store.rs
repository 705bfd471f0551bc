//! The reports domain's part of the store contract: what its operations need from a backend,
//! in domain types only. Each backend implements it (`store/sqlite/` today).

use crate::error::Result;
use crate::reports::AnnualCounts;

/// The store's part for report figures.
#[async_trait::async_trait]
pub trait ReportStore: Send + Sync {
    /// Counts for the annual report of `year`: (label, count) lists per dimension. Only counts
    /// leave here: no names, no descriptions.
    async fn annual_counts(&self, year: i32) -> Result<AnnualCounts>;

    /// Stores checked statistics files (key, office name, year, figures JSON) in one
    /// transaction; each replaces the earlier file with the same key and year. A coded file
    /// also takes the place of an uncoded file (Kartoteka before codes) with the same office
    /// name and year: returned `true` for such a file, so the user is told.
    async fn save_network_stats(
        &self,
        files: &[(String, String, i32, String)],
    ) -> Result<Vec<bool>>;

    /// (key, figures JSON) of every bureau's file for `year`, by office name.
    async fn network_stats(&self, year: i32) -> Result<Vec<(String, String)>>;

    /// The value under `key` in `meta`, storing `value` first if there is none; two processes
    /// racing both get the one that was stored first.
    async fn meta_or_insert(&self, key: &str, value: &str) -> Result<String>;
}
