//! The import domain's part of the store contract: what its operations need from a backend,
//! in domain types only. Each backend implements it (`store/sqlite/` today).

use crate::error::Result;
use crate::register::*;
use chrono::NaiveDate;

/// The store's part for import batches.
#[async_trait::async_trait]
pub trait ImportStore: Send + Sync {
    /// Identifiers, names and e-mails of everything in the register, for import duplicate checks.
    async fn register_identities(&self) -> Result<RegisterIdentities>;

    async fn import_batches(&self, limit: u32) -> Result<Vec<ImportBatch>>;

    async fn import_batch(&self, id: i64) -> Result<ImportBatch>;

    /// The records a batch updated, as they were before it: (kind, id, JSON snapshot).
    async fn import_prior_values(&self, batch_id: i64) -> Result<Vec<(String, i64, String)>>;

    async fn import_profiles(&self, kind: &str) -> Result<Vec<(String, String)>>;

    async fn delete_import_profile(&self, kind: &str, name: &str) -> Result<()>;

    async fn library_count(&self) -> Result<i64>;

    /// Starts an import batch: everything written through the writer is one transaction,
    /// committed by `finish` and rolled back if the writer is dropped (error or cancel).
    async fn begin_import(&self, kind: &str, file_name: &str)
        -> Result<Box<dyn ImportBatchWriter>>;

    /// Undoes a batch in one transaction: deletes the records it created (with their search
    /// entries; roles and consents go by cascade) and writes back the records it changed.
    async fn undo_import(
        &self,
        batch_id: i64,
        organizations: &[(i64, OrganizationDraft)],
        people: &[(i64, PersonDraft)],
    ) -> Result<()>;

    async fn save_import_profile(&self, kind: &str, name: &str, mapping_json: &str) -> Result<()>;
}

/// One import batch being written: everything or nothing. Dropping it without `finish` rolls
/// everything back, which is how a failed or cancelled import leaves the register as it was.
#[async_trait::async_trait]
pub trait ImportBatchWriter: Send {
    fn batch_id(&self) -> i64;

    async fn insert_organizations(&mut self, drafts: &[OrganizationDraft]) -> Result<Vec<i64>>;

    async fn insert_people(&mut self, drafts: &[PersonDraft]) -> Result<Vec<i64>>;

    /// E-mail consents given on the imported sheet: (person id, date, source).
    async fn grant_email_consents(&mut self, rows: &[(i64, NaiveDate, String)]) -> Result<()>;

    async fn has_active_email_consent(&mut self, person_id: i64) -> Result<bool>;

    async fn insert_library(&mut self, items: &[LibraryDraft]) -> Result<()>;

    /// Updates an existing organisation, keeping its earlier form for undo.
    async fn update_organization(
        &mut self,
        id: i64,
        draft: &OrganizationDraft,
        before_json: &str,
    ) -> Result<()>;

    async fn update_person(
        &mut self,
        id: i64,
        draft: &PersonDraft,
        before_json: &str,
    ) -> Result<()>;

    /// Commits the batch with its counts.
    async fn finish(
        self: Box<Self>,
        inserted: usize,
        updated: usize,
        skipped: usize,
        rejected: usize,
    ) -> Result<i64>;
}
