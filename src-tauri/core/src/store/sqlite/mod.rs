//! The SQLite store: the only module that speaks SQL. It takes parsed drafts and returns read
//! models, so a second backend (PostgreSQL for offices sharing one server) implements this
//! same surface; the SQL stays portable where that costs nothing (see the migration notes).

use crate::error::{Error, Result};
use crate::register::*;
use crate::store::*;
use crate::text::collation::{self, SORT_KEY_VERSION};
use crate::text::fold;
use chrono::{NaiveDate, Utc};
use sqlx::query_builder::Separated;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod advice;
pub(crate) mod backup_file;
mod consultations;
mod cooperation;
mod daily;
#[cfg_attr(not(feature = "postgres"), allow(unused_imports))]
pub(crate) use daily::key_range_end;
mod events;
pub(crate) mod history;
mod import;
mod live;
pub(crate) mod lock;
mod mail;
mod publish;
mod register;
// The PostgreSQL backend writes the same author names (built without it, some go unused).
#[cfg_attr(not(feature = "postgres"), allow(unused_imports))]
pub(crate) use register::{BY_IMPORT, BY_RETENTION, SCRUBBED_PERSON};
mod legal_aid;
mod letters;
mod library;
mod reports;
mod rodo;
mod rooms;
mod sqlite_alloc;
mod survey;
mod users;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Rows per multi-row INSERT: ~100 keeps each statement well under SQLite's bind limit and
/// makes bulk loads ~15x faster than one row a statement.
pub(crate) const BATCH: usize = 100;
// Every write transaction starts with BEGIN IMMEDIATE: a deferred one that reads first and
// writes later cannot wait for another process's write (SQLite answers "database is locked"
// at once instead of using the busy timeout), so the window and a CLI run on one file would
// fail each other. Immediate takes the write lock up front and waits its turn.
/// Rows per INSERT into the search index: two binds each, well under SQLite's 32,766.
pub(crate) const SEARCH_BATCH: usize = 5_000;

#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
    /// The shared lock on `<db>.lock` that tells a restore in another process that this one
    /// has the file open (see `dblock`).
    lock: std::sync::Arc<std::fs::File>,
    /// The connection that notices other programs' commits (`live.rs`).
    watcher: std::sync::Arc<tokio::sync::Mutex<live::Watcher>>,
}

pub(crate) fn now() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Earlier advice of the same client as the advice row `a` (alias `b`): the same registered
/// person, or for an anonymous client the same code; earlier by date, then by id. The SQL half
/// of `advice::is_returning`, used by the record, the list and the annual report alike.
pub(crate) const EARLIER_ADVICE_WHERE: &str =
    "((a.person_id IS NOT NULL AND b.person_id = a.person_id)
     OR (a.person_id IS NULL AND a.client_code IS NOT NULL AND b.client_code = a.client_code))
     AND (b.given_on < a.given_on OR (b.given_on = a.given_on AND b.id < a.id))";

/// `advice::is_returning` for the advice row `a`, as an SQL expression (0 or 1).
pub(crate) fn returning_sql() -> String {
    format!("(CASE WHEN a.returning_client = 1 OR EXISTS (SELECT 1 FROM advice_records b WHERE {EARLIER_ADVICE_WHERE}) THEN 1 ELSE 0 END)")
}

/// Runs the statements one after another, building each next one while SQLite executes the
/// one before: in a bulk load the binding (sort keys, search text) and SQLite's work then
/// overlap on two cores instead of taking turns.
pub(crate) async fn execute_overlapped<'args>(
    conn: &mut SqliteConnection,
    statements: impl Iterator<Item = sqlx::QueryBuilder<'args, Sqlite>>,
) -> Result<()> {
    let mut statements = statements;
    let Some(mut current) = statements.next() else {
        return Ok(());
    };
    loop {
        let (done, next) = tokio::join!(current.build().execute(&mut *conn), async {
            statements.next()
        });
        done?;
        match next {
            Some(statement) => current = statement,
            None => return Ok(()),
        }
    }
}

/// FTS rowids: organisations and people share one index.
pub(crate) fn org_rowid(id: i64) -> i64 {
    id * 2
}
pub(crate) fn person_rowid(id: i64) -> i64 {
    id * 2 + 1
}

pub(crate) fn org_search_body(d: &OrganizationDraft) -> String {
    let mut parts: Vec<String> = vec![fold(&d.name)];
    for s in [&d.short_name, &d.street, &d.city, &d.gmina, &d.powiat]
        .into_iter()
        .flatten()
    {
        parts.push(fold(s));
    }
    if let Some(k) = &d.krs {
        parts.push(k.as_str().into());
        parts.push(k.unpadded().into());
    }
    parts.extend(d.nip.iter().map(|n| n.as_str().to_string()));
    parts.extend(d.regon.iter().map(|r| r.as_str().to_string()));
    parts.extend(d.emails.iter().map(|e| fold(e.as_str())));
    parts.extend(d.phones.iter().map(|p| p.digits()));
    parts.extend(d.tags.iter().map(|t| fold(t)));
    parts.join(" ")
}

pub(crate) fn person_search_body(d: &PersonDraft) -> String {
    let mut parts = vec![fold(&d.first_name), fold(&d.last_name)];
    parts.extend(d.emails.iter().map(|e| fold(e.as_str())));
    parts.extend(d.phones.iter().map(|p| p.digits()));
    parts.join(" ")
}

pub(crate) fn person_sort_text(first: &str, last: &str) -> String {
    format!("{last} {first}")
}

/// Turns what a person typed into an FTS5 query: every word must match as a prefix, in any
/// column, diacritics-blind. Identifiers typed with dashes ("123-456-32-18") or a PL prefix
/// match their stored digits.
pub fn fts_query(typed: &str) -> Option<String> {
    let folded = fold(typed);
    let chars: Vec<char> = folded.chars().collect();
    let mut joined = String::with_capacity(folded.len());
    for (i, c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_ascii_digit()
            && chars[i + 1].is_ascii_digit();
        if (*c == '-' || *c == '.') && between_digits {
            continue;
        }
        joined.push(*c);
    }
    let terms: Vec<String> = joined
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(12)
        .map(|t| {
            let t = match t.strip_prefix("pl") {
                Some(rest) if rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()) => rest,
                _ => t,
            };
            let t: String = t.chars().take(64).collect();
            format!("\"{t}\"*")
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// People's consents and organisations' e-mail consent live in two tables of one shape.
pub(crate) struct ConsentTable {
    pub table: &'static str,
    pub owner_table: &'static str,
    pub owner_column: &'static str,
    /// The owner's name in the change log.
    pub owner_entity: &'static str,
    /// For "not found" messages.
    pub owner_name: &'static str,
    /// Where "already granted" is shown: people pick a channel, organisations have only e-mail.
    pub duplicate_field: &'static str,
}

pub(crate) const PERSON_CONSENTS: ConsentTable = ConsentTable {
    table: "consents",
    owner_table: "people",
    owner_column: "person_id",
    owner_entity: "person",
    owner_name: "osoba",
    duplicate_field: "channel",
};
pub(crate) const ORGANIZATION_CONSENTS: ConsentTable = ConsentTable {
    table: "organization_consents",
    owner_table: "organizations",
    owner_column: "organization_id",
    owner_entity: "organization",
    owner_name: "organizacja",
    duplicate_field: "date",
};

/// An organisation's own columns, in the order `push_org_columns` binds them; the insert and
/// the update share both, so a new column is added in one place.
pub(crate) const ORG_COLUMNS: &str = "name, short_name, legal_form, krs, nip, regon, public_benefit, street, building, postal_code, city, \
    gmina, powiat, voivodeship, website, description, notes, member_since, member_until, directory_consent, updated_at, name_key, city_key";

pub(crate) fn push_org_columns<'args>(
    b: &mut Separated<'_, 'args, Sqlite, &'static str>,
    d: &'args OrganizationDraft,
    stamp: &'args str,
) {
    b.push_bind(&d.name)
        .push_bind(&d.short_name)
        .push_bind(d.legal_form.code())
        .push_bind(d.krs.as_ref().map(|v| v.as_str()))
        .push_bind(d.nip.as_ref().map(|v| v.as_str()))
        .push_bind(d.regon.as_ref().map(|v| v.as_str()))
        .push_bind(d.public_benefit)
        .push_bind(&d.street)
        .push_bind(&d.building)
        .push_bind(d.postal_code.as_ref().map(|v| v.as_str()))
        .push_bind(&d.city)
        .push_bind(&d.gmina)
        .push_bind(&d.powiat)
        .push_bind(&d.voivodeship)
        .push_bind(d.website.as_ref().map(|v| v.as_str()))
        .push_bind(&d.description)
        .push_bind(&d.notes)
        .push_bind(d.member_since)
        .push_bind(d.member_until)
        .push_bind(d.directory_consent)
        .push_bind(stamp)
        .push_bind(collation::sort_key(&d.name))
        .push_bind(collation::sort_key(d.city.as_deref().unwrap_or("")));
}

#[async_trait::async_trait]
impl StoreBackend for SqliteStore {
    async fn analyze(&self) -> Result<()> {
        // A sample of each index is enough for the planner's choices and takes a hundredth of
        // the time of reading every row after a 100k-row import.
        let mut conn = self.pool.acquire().await?;
        sqlx::query("PRAGMA analysis_limit = 1000")
            .execute(&mut *conn)
            .await?;
        sqlx::query("ANALYZE").execute(&mut *conn).await?;
        Ok(())
    }

    fn path(&self) -> &Path {
        &self.path
    }

    async fn close(&self) {
        self.stop_watching().await;
        self.pool.close().await;
        let _ = self.lock.unlock();
    }

    async fn trusted_schema(&self) -> Result<bool> {
        let on: i64 = sqlx::query_scalar("PRAGMA trusted_schema")
            .fetch_one(&self.pool)
            .await?;
        Ok(on != 0)
    }

    fn unlock(&self) {
        let _ = self.lock.unlock();
    }

    fn relock(&self) {
        let _ = self.lock.try_lock_shared();
    }

    async fn integrity_check(&self) -> Result<String> {
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.join("; "))
    }

    async fn vacuum_into(&self, target: &Path) -> Result<()> {
        let target_str = target.to_str().ok_or_else(|| {
            Error::BadArgument("Ścieżka kopii zawiera niedozwolone znaki.".into())
        })?;
        // VACUUM INTO writes into an empty file as it finds it: created 0600 here, the copy
        // is private from its first byte.
        crate::private_files::create_file(target)?;
        sqlx::query("VACUUM INTO ?")
            .bind(target_str)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn watch_changes(
        &self,
    ) -> Result<tokio::sync::mpsc::UnboundedReceiver<crate::live::Changed>> {
        self.watch().await
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file, backs it up if migrations are pending,
    /// and brings the schema up to date.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private_files::create_dir(dir)?;
        }
        let lock = std::sync::Arc::new(crate::store::sqlite::lock::shared(path).await?);
        let existed = path.metadata().map(|m| m.len() > 0).unwrap_or(false);
        // SQLite creates the WAL and SHM with the main file's mode, and the main file with
        // 0644: made here first as 0600, all three stay private. Files from before this rule
        // are tightened.
        if !path.exists() {
            crate::private_files::create_file(path)?;
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            crate::private_files::restrict_file(Path::new(&p));
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(15))
            .pragma("temp_store", "memory")
            // Triggers and views run only the SQL functions SQLite deems harmless, so a schema
            // object smuggled in by a file from outside cannot call anything with side effects.
            .pragma("trusted_schema", "OFF")
            // Deleted rows are overwritten with zeros, not just unlinked: an erased person
            // (art. 17) must not stay readable in free pages of the file or its WAL.
            .pragma("secure_delete", "ON")
            // 32 MiB of page cache per connection (the default is 2 MiB): a 100k-row import
            // otherwise spills dirty pages to the WAL mid-transaction and reads them back.
            .pragma("cache_size", "-32768")
            .collation("pl", |a: &str, b: &str| collation::compare(a, b));
        sqlite_alloc::install();
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        let store = SqliteStore {
            pool,
            path: path.to_path_buf(),
            lock,
            watcher: Default::default(),
        };
        if existed && store.has_pending_migrations().await? {
            let backup = store.backup_before_migration().await?;
            tracing::info!(backup = %backup.display(), "backed up before migrating");
        }
        MIGRATOR.run(&store.pool).await?;
        store.refresh_sort_keys_if_stale().await?;
        // Without statistics SQLite may read "archived_at IS NULL" through its index and then
        // sort 100k rows instead of walking the name index; optimize gathers what is missing.
        sqlx::query("PRAGMA optimize=0x10002")
            .execute(&store.pool)
            .await?;
        Ok(store)
    }

    /// The migrations this program knows, in order (a copy's must be a prefix of them).
    pub(crate) fn migrations() -> &'static [sqlx::migrate::Migration] {
        &MIGRATOR.migrations
    }

    /// Applies the first `level` migrations on `conn`: a copy's schema is compared with what
    /// exactly these make, and an older copy (a temporary file of ours) is brought up to date.
    pub(crate) async fn migrate_to(conn: &mut SqliteConnection, level: usize) -> Result<()> {
        let prefix = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(
                MIGRATOR.migrations[..level.min(MIGRATOR.migrations.len())].to_vec(),
            ),
            ignore_missing: false,
            locking: true,
            no_tx: false,
        };
        prefix.run_direct(conn).await?;
        Ok(())
    }

    pub(crate) async fn has_pending_migrations(&self) -> Result<bool> {
        let table: Option<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_optional(&self.pool)
        .await?;
        let applied: Vec<i64> = if table.is_some() {
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1")
                .fetch_all(&self.pool)
                .await?
        } else {
            Vec::new()
        };
        Ok(MIGRATOR.iter().any(|m| !applied.contains(&m.version)))
    }

    /// A checked copy in `kopie/` before the schema changes: written under a temporary name,
    /// verified with integrity_check, then renamed, so a copy cut short never looks finished.
    pub(crate) async fn backup_before_migration(&self) -> Result<PathBuf> {
        let dir = crate::backup::backup_dir(&self.path);
        crate::private_files::own_dir(&dir)?;
        let target = dir.join(format!(
            "przed-aktualizacja-{}.db",
            chrono::Local::now().format("%Y-%m-%d-%H%M%S")
        ));
        let tmp = dir.join(".przed-aktualizacja.tmp");
        let _ = std::fs::remove_file(&tmp);
        self.vacuum_into(&tmp).await?;
        backup_file::check_made_copy(&tmp).await?;
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, &target)?;
        Ok(target)
    }

    /// Stored sort keys depend on the ICU4X data; recompute them when it changed.
    pub(crate) async fn refresh_sort_keys_if_stale(&self) -> Result<()> {
        let stored: Option<String> =
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'sort_key_version'")
                .fetch_optional(&self.pool)
                .await?;
        if stored.as_deref() == Some(SORT_KEY_VERSION) {
            return Ok(());
        }
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let orgs: Vec<(i64, String, Option<String>)> =
            sqlx::query_as("SELECT id, name, city FROM organizations")
                .fetch_all(&mut *tx)
                .await?;
        for (id, name, city) in orgs {
            sqlx::query("UPDATE organizations SET name_key = ?, city_key = ? WHERE id = ?")
                .bind(collation::sort_key(&name))
                .bind(collation::sort_key(city.as_deref().unwrap_or("")))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let people: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, first_name, last_name FROM people")
                .fetch_all(&mut *tx)
                .await?;
        for (id, first, last) in people {
            sqlx::query("UPDATE people SET name_key = ? WHERE id = ?")
                .bind(collation::sort_key(&person_sort_text(&first, &last)))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO meta (key, value) VALUES ('sort_key_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(SORT_KEY_VERSION)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    pub(crate) fn fts_query_folds_and_prefixes_every_word() {
        assert_eq!(fts_query("ŁÓDŹ").as_deref(), Some("\"lodz\"*"));
        assert_eq!(
            fts_query("Fundacja  łódź").as_deref(),
            Some("\"fundacja\"* \"lodz\"*")
        );
        assert_eq!(
            fts_query("123-456-32-18").as_deref(),
            Some("\"1234563218\"*")
        );
        assert_eq!(
            fts_query("PL1234563218").as_deref(),
            Some("\"1234563218\"*")
        );
        assert_eq!(
            fts_query("\"; DROP TABLE x; --"),
            Some("\"drop\"* \"table\"* \"x\"*".to_string())
        );
        assert_eq!(fts_query("  -- "), None);
    }
}
