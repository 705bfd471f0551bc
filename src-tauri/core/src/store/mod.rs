//! Where the records live, behind one contract. Each domain declares what it needs from a
//! backend in its own `store.rs` (domain types only); `Store` is all of them together, and each
//! backend folder implements every part: `sqlite/` is the embedded single-file backend (the
//! default), with the connection, pragmas, FTS5 search, file lock and `VACUUM INTO` copies that
//! only SQLite has; `postgres/` is the server backend for several PCs. Adding a domain: its
//! `store.rs` trait, one line in `Store` below, and its file in each backend folder.

#[cfg(feature = "postgres")]
pub(crate) mod postgres;
pub(crate) mod sqlite;

use crate::error::Result;
use std::path::Path;
use std::sync::Arc;

pub use crate::advice::store::AdviceStore;
pub use crate::consultations::store::ConsultationStore;
pub use crate::cooperation::store::CooperationStore;
pub use crate::daily::store::DailyStore;
pub use crate::events::store::EventStore;
pub use crate::history::store::HistoryStore;
pub use crate::import::store::ImportBatchWriter;
pub use crate::import::store::ImportStore;
pub use crate::legal_aid::store::LegalAidScheduleStore;
pub use crate::legal_aid::store::LegalAidStore;
pub use crate::letters::store::LetterStore;
pub use crate::library::store::LibraryStore;
pub use crate::mail::store::MailStore;
pub use crate::mail::store::SendingQueue;
pub use crate::publish::store::PublishStore;
pub use crate::register::store::ConsentStore;
pub use crate::register::store::OrganizationStore;
pub use crate::register::store::PersonStore;
pub use crate::register::store::ReferenceStore;
pub use crate::register::store::SearchStore;
pub use crate::reports::store::ReportStore;
pub use crate::rodo::store::RodoStore;
pub use crate::rooms::store::RoomStore;
pub use crate::survey::store::SurveyStore;
pub use crate::users::store::UserStore;
#[cfg(feature = "postgres")]
pub use postgres::PgStore;
pub use sqlite::{fts_query, SqliteStore};

/// What every backend does beyond the domains: its lifecycle, checks and copies.
#[async_trait::async_trait]
pub trait StoreBackend: Send + Sync {
    /// Refreshes the planner's statistics; call after loading many records at once.
    async fn analyze(&self) -> Result<()>;

    fn path(&self) -> &Path;

    /// Closes the pool; the process no longer has the file open, so a restore elsewhere may
    /// go ahead.
    async fn close(&self);

    /// Whether schema objects may call any SQL function: off on every connection (checked by
    /// the security tests).
    async fn trusted_schema(&self) -> Result<bool>;

    /// Lets go of this process's shared lock so that it can take the exclusive one for a
    /// restore; `relock` takes it back when the restore is refused.
    fn unlock(&self);

    fn relock(&self);

    /// SQLite's own check of the whole file: "ok" or the problems found.
    async fn integrity_check(&self) -> Result<String>;

    /// A consistent copy of the live database (safe while the window is writing).
    async fn vacuum_into(&self, target: &Path) -> Result<()>;

    /// Changes committed by anyone from now on (see `live`), until the receiver is dropped or
    /// the store is closed.
    async fn watch_changes(
        &self,
    ) -> Result<tokio::sync::mpsc::UnboundedReceiver<crate::live::Changed>>;
}

/// The whole contract: a backend that stores every domain.
pub trait Store:
    StoreBackend
    + ReferenceStore
    + OrganizationStore
    + PersonStore
    + ConsentStore
    + SearchStore
    + AdviceStore
    + EventStore
    + ConsultationStore
    + CooperationStore
    + SurveyStore
    + ReportStore
    + ImportStore
    + MailStore
    + RodoStore
    + DailyStore
    + HistoryStore
    + UserStore
    + RoomStore
    + LetterStore
    + LibraryStore
    + LegalAidStore
    + LegalAidScheduleStore
    + PublishStore
{
}

impl<T> Store for T where
    T: StoreBackend
        + ReferenceStore
        + OrganizationStore
        + PersonStore
        + ConsentStore
        + SearchStore
        + AdviceStore
        + EventStore
        + ConsultationStore
        + CooperationStore
        + SurveyStore
        + ReportStore
        + ImportStore
        + MailStore
        + RodoStore
        + DailyStore
        + HistoryStore
        + UserStore
        + RoomStore
        + LetterStore
        + LibraryStore
        + LegalAidStore
        + LegalAidScheduleStore
        + PublishStore
{
}

/// Opens the database at `path` (creating and migrating it as needed).
pub async fn open(path: &Path) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(SqliteStore::open(path).await?))
}

/// Connects to the register on a PostgreSQL server (`postgres://user@host:port/database`),
/// creating its schema on an empty database.
#[cfg(feature = "postgres")]
pub async fn connect(url: &str) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(PgStore::connect(url).await?))
}

/// Whether a `--db` value names a database server rather than a file.
pub fn is_server_address(location: &str) -> bool {
    let lower = location.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}
