//! The register domain's part of the store contract: what its operations need from a backend,
//! in domain types only. Each backend implements it (`store/sqlite/` today).

use super::*;
use crate::error::Result;
use crate::history::ChangeNote;
use chrono::NaiveDate;

/// The store's part for reference lists and register-wide settings.
#[async_trait::async_trait]
pub trait ReferenceStore: Send + Sync {
    async fn list_areas(&self) -> Result<Vec<ActivityArea>>;

    async fn area_codes(&self) -> Result<Vec<String>>;

    /// Adds or edits one sphere (the statutory list is data an office can correct).
    async fn save_area(&self, code: &str, name: &str, active: bool) -> Result<()>;

    async fn cities(&self, limit: u32) -> Result<Vec<String>>;

    async fn tags(&self, limit: u32) -> Result<Vec<String>>;

    async fn counts(&self) -> Result<RegisterCounts>;

    /// No organisation, person, advice record or event at all (archived ones count too): the
    /// only register demo data may go into without `--force`.
    async fn register_is_empty(&self) -> Result<bool>;

    /// Adds or renames an advice category; a new one goes to the end of its parent's list.
    async fn save_advice_category(
        &self,
        code: &str,
        parent: Option<&str>,
        name: &str,
        active: bool,
    ) -> Result<()>;

    async fn save_consultation_topic(&self, code: &str, name: &str, active: bool) -> Result<()>;
}

/// The store's part for organisations.
#[async_trait::async_trait]
pub trait OrganizationStore: Send + Sync {
    /// Records already in the register sharing a KRS, NIP, REGON or e-mail with the draft.
    async fn organization_duplicates(
        &self,
        d: &OrganizationDraft,
        except: Option<i64>,
    ) -> Result<Vec<DuplicateRef>>;

    /// Inserts organisations in one transaction, in batches; returns their ids in order.
    async fn insert_organizations(&self, drafts: &[OrganizationDraft]) -> Result<Vec<i64>>;

    /// A new organisation and its "created" history row, in one transaction.
    async fn create_organization(
        &self,
        d: &OrganizationDraft,
        note: &ChangeNote<'_>,
    ) -> Result<i64>;

    /// Changes an organisation and logs every changed field (before and after as read back), in
    /// one transaction. With `expected_revision`, a record changed since (another revision) is
    /// refused with `Error::Conflict` and nothing is written.
    async fn update_organization(
        &self,
        id: i64,
        d: &OrganizationDraft,
        author: &str,
        expected_revision: Option<i64>,
    ) -> Result<()>;

    async fn set_organization_archived(
        &self,
        id: i64,
        archived: bool,
        note: &ChangeNote<'_>,
    ) -> Result<()>;

    async fn get_organization(&self, id: i64) -> Result<Organization>;

    /// Every organisation the list shows for `q`, in the same order, with all exportable
    /// columns (lists joined with "; "). For export only: this is the one unpaged read.
    async fn export_organizations(&self, q: &OrganizationQuery) -> Result<Vec<OrganizationExport>>;

    /// Every person the list shows for `q`, in the same order, for export.
    async fn export_people(&self, q: &PersonQuery) -> Result<Vec<PersonExport>>;

    async fn list_organizations(&self, q: &OrganizationQuery) -> Result<Page<OrganizationRow>>;
}

/// The store's part for people.
#[async_trait::async_trait]
pub trait PersonStore: Send + Sync {
    async fn person_duplicates(
        &self,
        d: &PersonDraft,
        except: Option<i64>,
    ) -> Result<Vec<DuplicateRef>>;

    async fn insert_people(&self, drafts: &[PersonDraft]) -> Result<Vec<i64>>;

    /// A new person and their "created" history row, in one transaction.
    async fn create_person(&self, d: &PersonDraft, note: &ChangeNote<'_>) -> Result<i64>;

    /// Changes a person and logs every changed field, in one transaction; a stale
    /// `expected_revision` is refused as in `update_organization`.
    async fn update_person(
        &self,
        id: i64,
        d: &PersonDraft,
        author: &str,
        expected_revision: Option<i64>,
    ) -> Result<()>;

    async fn set_person_archived(
        &self,
        id: i64,
        archived: bool,
        note: &ChangeNote<'_>,
    ) -> Result<()>;

    async fn get_person(&self, id: i64) -> Result<Person>;

    async fn list_people(&self, q: &PersonQuery) -> Result<Page<PersonRow>>;
}

/// The store's part for consents.
#[async_trait::async_trait]
pub trait ConsentStore: Send + Sync {
    /// Demo data: grants (and some withdrawals) in bulk.
    async fn insert_consents(
        &self,
        rows: &[(i64, ConsentChannel, NaiveDate, String, Option<NaiveDate>)],
    ) -> Result<()>;

    async fn grant_consent(
        &self,
        person_id: i64,
        channel: ConsentChannel,
        date: NaiveDate,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<i64>;

    /// Withdraws a consent; `note` goes into the owner's history in the same transaction.
    async fn withdraw_consent(
        &self,
        consent_id: i64,
        date: NaiveDate,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<()>;
}

/// The store's part for search.
#[async_trait::async_trait]
pub trait SearchStore: Send + Sync {
    /// Type-ahead search over organisations and people. FTS5 answers without ranking (ranking
    /// costs ~100x at 100k rows); the candidates are ordered here: names starting with what was
    /// typed first, active before archived, then Polish alphabetical order.
    async fn search(&self, typed: &str, limit: u32) -> Result<Vec<SearchHit>>;
}
