//! The SQLite store: the only module that speaks SQL. It takes parsed drafts and returns read
//! models, so a second backend (PostgreSQL for offices sharing one server) implements this
//! same surface; the SQL stays portable where that costs nothing (see the migration notes).

use crate::advice::{AdviceCategory, AdviceDraft, AdviceQuery, AdviceRecord, AdviceRow};
use crate::collation::{self, SORT_KEY_VERSION};
use crate::consultations::{Consultation, ConsultationDraft, ConsultationQuery, ConsultationTopic};
use crate::error::{Error, Result};
use crate::events::{Event, EventDraft, EventQuery, EventRow, Registration};
use crate::model::*;
use crate::report::AnnualCounts;
use crate::text::fold;
use chrono::{NaiveDate, NaiveDateTime, Utc};
use sqlx::query_builder::Separated;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod daily;
mod history;
mod mail;
mod rodo;
pub use mail::{Claimed, QueueConn};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Rows per multi-row INSERT: ~100 keeps each statement well under SQLite's bind limit and
/// makes bulk loads ~15x faster than one row a statement.
const BATCH: usize = 100;
// Every write transaction starts with BEGIN IMMEDIATE: a deferred one that reads first and
// writes later cannot wait for another process's write (SQLite answers "database is locked"
// at once instead of using the busy timeout), so the window and a CLI run on one file would
// fail each other. Immediate takes the write lock up front and waits its turn.
/// Rows per INSERT into the search index: two binds each, well under SQLite's 32,766.
const SEARCH_BATCH: usize = 5_000;

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
    /// The shared lock on `<db>.lock` that tells a restore in another process that this one
    /// has the file open (see `dblock`).
    lock: std::sync::Arc<std::fs::File>,
}

fn now() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn today() -> NaiveDate {
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

/// FTS rowids: organisations and people share one index.
fn org_rowid(id: i64) -> i64 {
    id * 2
}
fn person_rowid(id: i64) -> i64 {
    id * 2 + 1
}

fn org_search_body(d: &OrganizationDraft) -> String {
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

fn person_search_body(d: &PersonDraft) -> String {
    let mut parts = vec![fold(&d.first_name), fold(&d.last_name)];
    parts.extend(d.emails.iter().map(|e| fold(e.as_str())));
    parts.extend(d.phones.iter().map(|p| p.digits()));
    parts.join(" ")
}

fn person_sort_text(first: &str, last: &str) -> String {
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
    /// For "not found" messages.
    pub owner_name: &'static str,
    /// Where "already granted" is shown: people pick a channel, organisations have only e-mail.
    pub duplicate_field: &'static str,
}

pub(crate) const PERSON_CONSENTS: ConsentTable = ConsentTable {
    table: "consents",
    owner_table: "people",
    owner_column: "person_id",
    owner_name: "osoba",
    duplicate_field: "channel",
};
pub(crate) const ORGANIZATION_CONSENTS: ConsentTable = ConsentTable {
    table: "organization_consents",
    owner_table: "organizations",
    owner_column: "organization_id",
    owner_name: "organizacja",
    duplicate_field: "date",
};

/// An organisation's own columns, in the order `push_org_columns` binds them; the insert and
/// the update share both, so a new column is added in one place.
const ORG_COLUMNS: &str = "name, short_name, legal_form, krs, nip, regon, public_benefit, street, building, postal_code, city, \
    gmina, powiat, voivodeship, website, description, notes, member_since, member_until, directory_consent, updated_at, name_key, city_key";

fn push_org_columns<'args>(
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

impl Store {
    /// Opens (creating if needed) the database file, backs it up if migrations are pending,
    /// and brings the schema up to date.
    pub async fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private::create_dir(dir)?;
        }
        let lock = std::sync::Arc::new(crate::dblock::shared(path).await?);
        let existed = path.metadata().map(|m| m.len() > 0).unwrap_or(false);
        // SQLite creates the WAL and SHM with the main file's mode, and the main file with
        // 0644: made here first as 0600, all three stay private. Files from before this rule
        // are tightened.
        if !path.exists() {
            crate::private::create_file(path)?;
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            crate::private::restrict_file(Path::new(&p));
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
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        let store = Store {
            pool,
            path: path.to_path_buf(),
            lock,
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

    /// Refreshes the planner's statistics; call after loading many records at once.
    pub async fn analyze(&self) -> Result<()> {
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the pool; the process no longer has the file open, so a restore elsewhere may
    /// go ahead.
    pub async fn close(&self) {
        self.pool.close().await;
        let _ = self.lock.unlock();
    }

    /// Whether schema objects may call any SQL function: off on every connection (checked by
    /// the security tests).
    pub async fn trusted_schema(&self) -> Result<bool> {
        let on: i64 = sqlx::query_scalar("PRAGMA trusted_schema")
            .fetch_one(&self.pool)
            .await?;
        Ok(on != 0)
    }

    /// Lets go of this process's shared lock so that it can take the exclusive one for a
    /// restore; `relock` takes it back when the restore is refused.
    pub(crate) fn unlock(&self) {
        let _ = self.lock.unlock();
    }

    pub(crate) fn relock(&self) {
        let _ = self.lock.try_lock_shared();
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

    async fn has_pending_migrations(&self) -> Result<bool> {
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
    async fn backup_before_migration(&self) -> Result<PathBuf> {
        let dir = crate::backup::backup_dir(&self.path);
        crate::private::own_dir(&dir)?;
        let target = dir.join(format!(
            "przed-aktualizacja-{}.db",
            chrono::Local::now().format("%Y-%m-%d-%H%M%S")
        ));
        let tmp = dir.join(".przed-aktualizacja.tmp");
        let _ = std::fs::remove_file(&tmp);
        self.vacuum_into(&tmp).await?;
        crate::backup::check_made_copy(&tmp).await?;
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, &target)?;
        Ok(target)
    }

    /// SQLite's own check of the whole file: "ok" or the problems found.
    pub async fn integrity_check(&self) -> Result<String> {
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.join("; "))
    }

    /// A consistent copy of the live database (safe while the window is writing).
    pub async fn vacuum_into(&self, target: &Path) -> Result<()> {
        let target_str = target.to_str().ok_or_else(|| {
            Error::BadArgument("Ścieżka kopii zawiera niedozwolone znaki.".into())
        })?;
        // VACUUM INTO writes into an empty file as it finds it: created 0600 here, the copy
        // is private from its first byte.
        crate::private::create_file(target)?;
        sqlx::query("VACUUM INTO ?")
            .bind(target_str)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Stored sort keys depend on the ICU4X data; recompute them when it changed.
    async fn refresh_sort_keys_if_stale(&self) -> Result<()> {
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

    // ----- reference data -------------------------------------------------------------

    pub async fn list_areas(&self) -> Result<Vec<ActivityArea>> {
        Ok(sqlx::query_as(
            "SELECT code, position, name, active FROM activity_areas ORDER BY position, code",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn area_codes(&self) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT code FROM activity_areas WHERE active = 1")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Adds or edits one sphere (the statutory list is data an office can correct).
    pub async fn save_area(&self, code: &str, name: &str, active: bool) -> Result<()> {
        sqlx::query(
            "INSERT INTO activity_areas (code, position, name, active)
             VALUES (?1, (SELECT COALESCE(MAX(position), 0) + 1 FROM activity_areas), ?2, ?3)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = excluded.active",
        )
        .bind(code)
        .bind(name)
        .bind(active)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Adds or renames an advice category; a new one goes to the end of its parent's list.
    pub async fn save_advice_category(
        &self,
        code: &str,
        parent: Option<&str>,
        name: &str,
        active: bool,
    ) -> Result<()> {
        if let Some(p) = parent {
            let exists: Option<String> = sqlx::query_scalar(
                "SELECT code FROM advice_categories WHERE code = ? AND parent IS NULL",
            )
            .bind(p)
            .fetch_optional(&self.pool)
            .await?;
            if exists.is_none() {
                return Err(Error::invalid(
                    "parent",
                    "Kategoria nadrzędna musi być jedną z kategorii głównych.",
                ));
            }
        }
        sqlx::query(
            "INSERT INTO advice_categories (code, parent, name, position, active)
             VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM advice_categories), ?4)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = excluded.active",
        )
        .bind(code)
        .bind(parent)
        .bind(name)
        .bind(active)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn save_consultation_topic(
        &self,
        code: &str,
        name: &str,
        active: bool,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO consultation_topics (code, name, position, active)
             VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM consultation_topics), ?3)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = excluded.active",
        )
        .bind(code)
        .bind(name)
        .bind(active)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn cities(&self, limit: u32) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT city FROM organizations WHERE city IS NOT NULL AND archived_at IS NULL
             GROUP BY city ORDER BY COUNT(*) DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn tags(&self, limit: u32) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT tag FROM organization_tags GROUP BY tag ORDER BY COUNT(*) DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn counts(&self) -> Result<RegisterCounts> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM organizations WHERE archived_at IS NULL),
                    (SELECT COUNT(*) FROM people WHERE archived_at IS NULL),
                    (SELECT COUNT(*) FROM organizations WHERE archived_at IS NOT NULL)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(RegisterCounts {
            organizations: row.get(0),
            people: row.get(1),
            archived_organizations: row.get(2),
        })
    }

    /// No organisation, person, advice record or event at all (archived ones count too): the
    /// only register demo data may go into without `--force`.
    pub async fn register_is_empty(&self) -> Result<bool> {
        let any: i64 = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM organizations) OR EXISTS (SELECT 1 FROM people)
                 OR EXISTS (SELECT 1 FROM advice_records) OR EXISTS (SELECT 1 FROM events)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(any == 0)
    }

    // ----- organisations --------------------------------------------------------------

    /// Records already in the register sharing a KRS, NIP, REGON or e-mail with the draft.
    pub async fn organization_duplicates(
        &self,
        d: &OrganizationDraft,
        except: Option<i64>,
    ) -> Result<Vec<DuplicateRef>> {
        let except = except.unwrap_or(-1);
        let mut found: Vec<DuplicateRef> = Vec::new();
        let checks: [(&str, Option<&str>); 3] = [
            ("krs", d.krs.as_ref().map(|v| v.as_str())),
            ("nip", d.nip.as_ref().map(|v| v.as_str())),
            ("regon", d.regon.as_ref().map(|v| v.as_str())),
        ];
        for (column, value) in checks {
            let Some(value) = value else { continue };
            // Column names come from the fixed list above, never from input.
            let sql = format!(
                "SELECT id, name FROM organizations WHERE {column} = ? AND id <> ? LIMIT 5"
            );
            let rows: Vec<(i64, String)> = sqlx::query_as(&sql)
                .bind(value)
                .bind(except)
                .fetch_all(&self.pool)
                .await?;
            for (id, name) in rows {
                found.push(DuplicateRef {
                    kind: RecordKind::Organization,
                    id,
                    name,
                    matched_on: column.to_uppercase(),
                });
            }
        }
        for email in &d.emails {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT o.id, o.name FROM organization_contacts c JOIN organizations o ON o.id = c.organization_id
                 WHERE c.kind = 'email' AND c.value = ? AND o.id <> ? LIMIT 5",
            )
            .bind(email.as_str())
            .bind(except)
            .fetch_all(&self.pool)
            .await?;
            for (id, name) in rows {
                found.push(DuplicateRef {
                    kind: RecordKind::Organization,
                    id,
                    name,
                    matched_on: "e-mail".into(),
                });
            }
        }
        found.dedup_by(|a, b| a.id == b.id);
        Ok(found)
    }

    /// Inserts organisations in one transaction, in batches; returns their ids in order.
    pub async fn insert_organizations(&self, drafts: &[OrganizationDraft]) -> Result<Vec<i64>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let ids = Self::insert_organizations_in(&mut tx, drafts, &now(), None).await?;
        tx.commit().await?;
        Ok(ids)
    }

    async fn insert_organizations_in(
        tx: &mut SqliteConnection,
        drafts: &[OrganizationDraft],
        stamp: &str,
        batch: Option<i64>,
    ) -> Result<Vec<i64>> {
        let first_id: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM organizations")
                .fetch_one(&mut *tx)
                .await?;
        let ids: Vec<i64> = (0..drafts.len() as i64).map(|i| first_id + i).collect();
        for (chunk_no, chunk) in drafts.chunks(BATCH).enumerate() {
            let chunk_ids = &ids[chunk_no * BATCH..chunk_no * BATCH + chunk.len()];
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
                "INSERT INTO organizations (id, created_at, import_batch_id, {ORG_COLUMNS}) "
            ));
            qb.push_values(chunk.iter().zip(chunk_ids), |mut b, (d, id)| {
                b.push_bind(*id).push_bind(stamp).push_bind(batch);
                push_org_columns(&mut b, d, stamp);
            });
            qb.build().execute(&mut *tx).await?;
        }
        Self::insert_org_children(tx, drafts, &ids).await?;
        Ok(ids)
    }

    async fn insert_org_children(
        tx: &mut SqliteConnection,
        drafts: &[OrganizationDraft],
        ids: &[i64],
    ) -> Result<()> {
        let mut contacts: Vec<(i64, &str, i64, &str)> = Vec::new();
        let mut areas: Vec<(i64, &str)> = Vec::new();
        let mut tags: Vec<(i64, &str)> = Vec::new();
        let mut search: Vec<(i64, String)> = Vec::new();
        for (d, id) in drafts.iter().zip(ids) {
            contacts.extend(
                d.emails
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (*id, "email", i as i64, e.as_str())),
            );
            contacts.extend(
                d.phones
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (*id, "phone", i as i64, p.as_str())),
            );
            areas.extend(d.areas.iter().map(|a| (*id, a.as_str())));
            tags.extend(d.tags.iter().map(|t| (*id, t.as_str())));
            search.push((org_rowid(*id), org_search_body(d)));
        }
        Self::insert_contacts(
            tx,
            "INSERT INTO organization_contacts (organization_id, kind, position, value) ",
            &contacts,
        )
        .await?;
        for chunk in areas.chunks(BATCH) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO organization_areas (organization_id, area_code) ");
            qb.push_values(chunk, |mut b, (id, code)| {
                b.push_bind(*id).push_bind(*code);
            });
            qb.build().execute(&mut *tx).await?;
        }
        for chunk in tags.chunks(BATCH) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO organization_tags (organization_id, tag) ");
            qb.push_values(chunk, |mut b, (id, tag)| {
                b.push_bind(*id).push_bind(*tag);
            });
            qb.build().execute(&mut *tx).await?;
        }
        Self::insert_search_rows(tx, &search).await
    }

    /// Phones and e-mails of organisations or people: (owner id, kind, position, value).
    async fn insert_contacts(
        tx: &mut SqliteConnection,
        insert: &'static str,
        rows: &[(i64, &str, i64, &str)],
    ) -> Result<()> {
        for chunk in rows.chunks(BATCH) {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(insert);
            qb.push_values(chunk, |mut b, (id, kind, pos, value)| {
                b.push_bind(*id)
                    .push_bind(*kind)
                    .push_bind(*pos)
                    .push_bind(*value);
            });
            qb.build().execute(&mut *tx).await?;
        }
        Ok(())
    }

    async fn insert_search_rows(tx: &mut SqliteConnection, rows: &[(i64, String)]) -> Result<()> {
        // FTS5 flushes its pending terms into a new segment at every statement, and merging
        // thousands of small segments dominated bulk loads: few large statements instead.
        for chunk in rows.chunks(SEARCH_BATCH) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO search_index (rowid, body) ");
            qb.push_values(chunk, |mut b, (rowid, body)| {
                b.push_bind(*rowid).push_bind(body);
            });
            qb.build().execute(&mut *tx).await?;
        }
        Ok(())
    }

    pub async fn update_organization(&self, id: i64, d: &OrganizationDraft) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Self::update_organization_in(&mut tx, id, d).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_organization_in(
        tx: &mut SqliteConnection,
        id: i64,
        d: &OrganizationDraft,
    ) -> Result<()> {
        let stamp = now();
        // Row-value SET (SQLite 3.15+, PostgreSQL) lets the update share the insert's column list.
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("UPDATE organizations SET ({ORG_COLUMNS}) = ("));
        push_org_columns(&mut qb.separated(", "), d, &stamp);
        qb.push(") WHERE id = ").push_bind(id);
        let done = qb.build().execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("organizacja"));
        }
        for table in [
            "organization_contacts",
            "organization_areas",
            "organization_tags",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE organization_id = ?"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM search_index WHERE rowid = ?")
            .bind(org_rowid(id))
            .execute(&mut *tx)
            .await?;
        Self::insert_org_children(tx, std::slice::from_ref(d), &[id]).await
    }

    pub async fn set_organization_archived(&self, id: i64, archived: bool) -> Result<()> {
        let stamp = archived.then(now);
        let done =
            sqlx::query("UPDATE organizations SET archived_at = ?, updated_at = ? WHERE id = ?")
                .bind(stamp)
                .bind(now())
                .bind(id)
                .execute(&self.pool)
                .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("organizacja"));
        }
        Ok(())
    }

    pub async fn get_organization(&self, id: i64) -> Result<Organization> {
        let r = sqlx::query(
            "SELECT id, name, short_name, legal_form, krs, nip, regon, public_benefit, street, building, postal_code,
             city, gmina, powiat, voivodeship, website, description, notes, member_since, member_until,
             directory_consent, archived_at, created_at, updated_at FROM organizations WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound("organizacja"))?;
        let contacts: Vec<(String, String)> = sqlx::query_as("SELECT kind, value FROM organization_contacts WHERE organization_id = ? ORDER BY kind, position")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let areas: Vec<String> = sqlx::query_scalar(
            "SELECT a.area_code FROM organization_areas a JOIN activity_areas s ON s.code = a.area_code
             WHERE a.organization_id = ? ORDER BY s.position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut tags: Vec<String> =
            sqlx::query_scalar("SELECT tag FROM organization_tags WHERE organization_id = ?")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        tags.sort_by(|a, b| collation::compare(a, b));
        let mut people: Vec<OrganizationMember> = sqlx::query(
            "SELECT r.id, p.id, p.first_name, p.last_name, r.role FROM person_roles r JOIN people p ON p.id = r.person_id
             WHERE r.organization_id = ? AND p.archived_at IS NULL",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|row| OrganizationMember {
            role_id: row.get(0),
            person_id: row.get(1),
            name: format!("{} {}", row.get::<String, _>(2), row.get::<String, _>(3)),
            role: row.get(4),
        })
        .collect();
        people.sort_by(|a, b| collation::compare(&a.name, &b.name));
        Ok(Organization {
            id: r.get("id"),
            name: r.get("name"),
            short_name: r.get("short_name"),
            legal_form: r.get("legal_form"),
            krs: r.get("krs"),
            nip: r.get("nip"),
            regon: r.get("regon"),
            public_benefit: r.get("public_benefit"),
            street: r.get("street"),
            building: r.get("building"),
            postal_code: r.get("postal_code"),
            city: r.get("city"),
            gmina: r.get("gmina"),
            powiat: r.get("powiat"),
            voivodeship: r.get("voivodeship"),
            phones: contacts
                .iter()
                .filter(|c| c.0 == "phone")
                .map(|c| c.1.clone())
                .collect(),
            emails: contacts
                .iter()
                .filter(|c| c.0 == "email")
                .map(|c| c.1.clone())
                .collect(),
            website: r.get("website"),
            areas,
            description: r.get("description"),
            tags,
            notes: r.get("notes"),
            member_since: r.get("member_since"),
            member_until: r.get("member_until"),
            directory_consent: r.get("directory_consent"),
            archived_at: r.get("archived_at"),
            created_at: r.get("created_at"),
            updated_at: r.get("updated_at"),
            people,
            email_consents: Vec::new(),
        })
    }

    fn push_org_filters(
        qb: &mut QueryBuilder<'_, Sqlite>,
        q: &OrganizationQuery,
        today: NaiveDate,
    ) {
        qb.push(if q.archived {
            " WHERE o.archived_at IS NOT NULL"
        } else {
            " WHERE o.archived_at IS NULL"
        });
        if let Some(f) = q.legal_form.as_ref().filter(|s| !s.is_empty()) {
            qb.push(" AND o.legal_form = ").push_bind(f.clone());
        }
        if let Some(c) = q.city.as_ref().filter(|s| !s.is_empty()) {
            qb.push(" AND o.city = ").push_bind(c.clone());
        }
        if let Some(a) = q.area.as_ref().filter(|s| !s.is_empty()) {
            qb.push(" AND EXISTS (SELECT 1 FROM organization_areas a WHERE a.organization_id = o.id AND a.area_code = ")
                .push_bind(a.clone())
                .push(")");
        }
        if let Some(t) = q.tag.as_ref().filter(|s| !s.is_empty()) {
            qb.push(" AND EXISTS (SELECT 1 FROM organization_tags t WHERE t.organization_id = o.id AND t.tag = ")
                .push_bind(t.to_lowercase())
                .push(")");
        }
        if let Some(opp) = q.public_benefit {
            qb.push(" AND o.public_benefit = ").push_bind(opp);
        }
        if let Some(member) = q.member {
            qb.push(if member { " AND (" } else { " AND NOT (" });
            qb.push("o.member_since IS NOT NULL AND o.member_since <= ")
                .push_bind(today)
                .push(" AND (o.member_until IS NULL OR o.member_until >= ")
                .push_bind(today)
                .push("))");
        }
    }

    fn org_order(q: &OrganizationQuery) -> String {
        let dir = if q.descending { "DESC" } else { "ASC" };
        match q.sort {
            OrganizationSort::Name => format!(" ORDER BY o.name_key {dir}, o.id {dir}"),
            OrganizationSort::City => {
                format!(" ORDER BY o.city_key {dir}, o.name_key {dir}, o.id {dir}")
            }
            OrganizationSort::LegalForm => {
                format!(" ORDER BY o.legal_form {dir}, o.name_key {dir}, o.id {dir}")
            }
            OrganizationSort::Created => format!(" ORDER BY o.created_at {dir}, o.id {dir}"),
        }
    }

    /// Every organisation the list shows for `q`, in the same order, with all exportable
    /// columns (lists joined with "; "). For export only: this is the one unpaged read.
    pub async fn export_organizations(
        &self,
        q: &OrganizationQuery,
    ) -> Result<Vec<OrganizationExport>> {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT o.name, o.short_name, o.legal_form, o.krs, o.nip, o.regon, o.public_benefit, o.street, o.building,
             o.postal_code, o.city, o.gmina, o.powiat, o.voivodeship,
             (SELECT group_concat(value, '; ') FROM (SELECT value FROM organization_contacts c WHERE c.organization_id = o.id AND c.kind = 'phone' ORDER BY position)) AS phones,
             (SELECT group_concat(value, '; ') FROM (SELECT value FROM organization_contacts c WHERE c.organization_id = o.id AND c.kind = 'email' ORDER BY position)) AS emails,
             o.website,
             (SELECT group_concat(area_code, '; ') FROM (SELECT a.area_code FROM organization_areas a JOIN activity_areas s ON s.code = a.area_code WHERE a.organization_id = o.id ORDER BY s.position)) AS areas,
             (SELECT group_concat(tag, '; ') FROM organization_tags t WHERE t.organization_id = o.id) AS tags,
             o.member_since, o.member_until, o.directory_consent
             FROM organizations o",
        );
        Self::push_org_filters(&mut qb, q, today());
        qb.push(Self::org_order(q));
        Ok(qb
            .build_query_as::<OrganizationExport>()
            .fetch_all(&self.pool)
            .await?)
    }

    /// Every person the list shows for `q`, in the same order, for export.
    pub async fn export_people(&self, q: &PersonQuery) -> Result<Vec<PersonExport>> {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT p.first_name, p.last_name,
             (SELECT group_concat(value, '; ') FROM (SELECT value FROM person_contacts c WHERE c.person_id = p.id AND c.kind = 'email' ORDER BY position)) AS emails,
             (SELECT group_concat(value, '; ') FROM (SELECT value FROM person_contacts c WHERE c.person_id = p.id AND c.kind = 'phone' ORDER BY position)) AS phones,
             (SELECT group_concat(o.name || ' (' || r.role || ')', '; ') FROM person_roles r JOIN organizations o ON o.id = r.organization_id WHERE r.person_id = p.id) AS roles,
             (SELECT group_concat(channel, '; ') FROM consents k WHERE k.person_id = p.id AND k.withdrawn_on IS NULL) AS consents,
             p.notes
             FROM people p",
        );
        Self::push_person_filters(&mut qb, q);
        let dir = if q.descending { "DESC" } else { "ASC" };
        qb.push(format!(" ORDER BY p.name_key {dir}, p.id {dir}"));
        Ok(qb
            .build_query_as::<PersonExport>()
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn list_organizations(&self, q: &OrganizationQuery) -> Result<Page<OrganizationRow>> {
        let today = today();
        let limit = q.limit.clamp(1, MAX_PAGE);
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT o.id, o.name, o.short_name, o.legal_form, o.city, o.nip, o.krs, o.public_benefit,
             (o.member_since IS NOT NULL AND o.member_since <= ",
        );
        qb.push_bind(today)
            .push(" AND (o.member_until IS NULL OR o.member_until >= ")
            .push_bind(today)
            .push(")) AS member FROM organizations o");
        Self::push_org_filters(&mut qb, q, today);
        qb.push(Self::org_order(q));
        qb.push(" LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let items = qb
            .build_query_as::<OrganizationRow>()
            .fetch_all(&self.pool)
            .await?;

        let mut count: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT COUNT(*) FROM organizations o");
        Self::push_org_filters(&mut count, q, today);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }

    // ----- people -----------------------------------------------------------------------

    pub async fn person_duplicates(
        &self,
        d: &PersonDraft,
        except: Option<i64>,
    ) -> Result<Vec<DuplicateRef>> {
        let except = except.unwrap_or(-1);
        let mut found = Vec::new();
        for email in &d.emails {
            let rows: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT p.id, p.first_name, p.last_name FROM person_contacts c JOIN people p ON p.id = c.person_id
                 WHERE c.kind = 'email' AND c.value = ? AND p.id <> ? LIMIT 5",
            )
            .bind(email.as_str())
            .bind(except)
            .fetch_all(&self.pool)
            .await?;
            for (id, first, last) in rows {
                found.push(DuplicateRef {
                    kind: RecordKind::Person,
                    id,
                    name: format!("{first} {last}"),
                    matched_on: "e-mail".into(),
                });
            }
        }
        found.dedup_by(|a, b| a.id == b.id);
        Ok(found)
    }

    async fn check_role_organizations(
        tx: &mut SqliteConnection,
        drafts: &[PersonDraft],
    ) -> Result<()> {
        for d in drafts {
            for (org, _) in &d.roles {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM organizations WHERE id = ?")
                        .bind(org)
                        .fetch_optional(&mut *tx)
                        .await?;
                if exists.is_none() {
                    return Err(Error::invalid(
                        "roles",
                        "Wybrana organizacja nie istnieje w rejestrze.",
                    ));
                }
            }
        }
        Ok(())
    }

    pub async fn insert_people(&self, drafts: &[PersonDraft]) -> Result<Vec<i64>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let ids = Self::insert_people_in(&mut tx, drafts, &now(), None).await?;
        tx.commit().await?;
        Ok(ids)
    }

    async fn insert_people_in(
        tx: &mut SqliteConnection,
        drafts: &[PersonDraft],
        stamp: &str,
        batch: Option<i64>,
    ) -> Result<Vec<i64>> {
        let first_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM people")
            .fetch_one(&mut *tx)
            .await?;
        let ids: Vec<i64> = (0..drafts.len() as i64).map(|i| first_id + i).collect();
        for (chunk_no, chunk) in drafts.chunks(BATCH).enumerate() {
            let chunk_ids = &ids[chunk_no * BATCH..chunk_no * BATCH + chunk.len()];
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO people (id, first_name, last_name, notes, created_at, updated_at, name_key, import_batch_id) ");
            qb.push_values(chunk.iter().zip(chunk_ids), |mut b, (d, id)| {
                b.push_bind(*id)
                    .push_bind(&d.first_name)
                    .push_bind(&d.last_name)
                    .push_bind(&d.notes)
                    .push_bind(stamp)
                    .push_bind(stamp)
                    .push_bind(collation::sort_key(&person_sort_text(
                        &d.first_name,
                        &d.last_name,
                    )))
                    .push_bind(batch);
            });
            qb.build().execute(&mut *tx).await?;
        }
        Self::insert_person_children(tx, drafts, &ids).await?;
        Ok(ids)
    }

    async fn insert_person_children(
        tx: &mut SqliteConnection,
        drafts: &[PersonDraft],
        ids: &[i64],
    ) -> Result<()> {
        Self::check_role_organizations(tx, drafts).await?;
        let mut contacts: Vec<(i64, &str, i64, &str)> = Vec::new();
        let mut roles: Vec<(i64, i64, &str)> = Vec::new();
        let mut search = Vec::new();
        for (d, id) in drafts.iter().zip(ids) {
            contacts.extend(
                d.emails
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (*id, "email", i as i64, e.as_str())),
            );
            contacts.extend(
                d.phones
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (*id, "phone", i as i64, p.as_str())),
            );
            roles.extend(d.roles.iter().map(|(org, role)| (*id, *org, role.as_str())));
            search.push((person_rowid(*id), person_search_body(d)));
        }
        Self::insert_contacts(
            tx,
            "INSERT INTO person_contacts (person_id, kind, position, value) ",
            &contacts,
        )
        .await?;
        for chunk in roles.chunks(BATCH) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO person_roles (person_id, organization_id, role) ");
            qb.push_values(chunk, |mut b, (id, org, role)| {
                b.push_bind(*id).push_bind(*org).push_bind(*role);
            });
            qb.build().execute(&mut *tx).await?;
        }
        Self::insert_search_rows(tx, &search).await
    }

    pub async fn update_person(&self, id: i64, d: &PersonDraft) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Self::update_person_in(&mut tx, id, d).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_person_in(tx: &mut SqliteConnection, id: i64, d: &PersonDraft) -> Result<()> {
        let done = sqlx::query("UPDATE people SET first_name = ?, last_name = ?, notes = ?, updated_at = ?, name_key = ? WHERE id = ?")
            .bind(&d.first_name)
            .bind(&d.last_name)
            .bind(&d.notes)
            .bind(now())
            .bind(collation::sort_key(&person_sort_text(&d.first_name, &d.last_name)))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("osoba"));
        }
        sqlx::query("DELETE FROM person_contacts WHERE person_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM person_roles WHERE person_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM search_index WHERE rowid = ?")
            .bind(person_rowid(id))
            .execute(&mut *tx)
            .await?;
        Self::insert_person_children(tx, std::slice::from_ref(d), &[id]).await
    }

    pub async fn set_person_archived(&self, id: i64, archived: bool) -> Result<()> {
        let done = sqlx::query("UPDATE people SET archived_at = ?, updated_at = ? WHERE id = ?")
            .bind(archived.then(now))
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("osoba"));
        }
        Ok(())
    }

    pub async fn get_person(&self, id: i64) -> Result<Person> {
        let r = sqlx::query("SELECT id, first_name, last_name, notes, archived_at, created_at, updated_at FROM people WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("osoba"))?;
        let contacts: Vec<(String, String)> = sqlx::query_as(
            "SELECT kind, value FROM person_contacts WHERE person_id = ? ORDER BY kind, position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut roles: Vec<PersonRole> = sqlx::query(
            "SELECT r.id, o.id, o.name, r.role FROM person_roles r JOIN organizations o ON o.id = r.organization_id WHERE r.person_id = ?",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|row| PersonRole { role_id: row.get(0), organization_id: row.get(1), organization_name: row.get(2), role: row.get(3) })
        .collect();
        roles.sort_by(|a, b| collation::compare(&a.organization_name, &b.organization_name));
        let consents: Vec<Consent> = sqlx::query_as(
            "SELECT id, channel, granted_on, source, withdrawn_on, withdrawal_source, recorded_at FROM consents
             WHERE person_id = ? ORDER BY granted_on DESC, id DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Person {
            id: r.get("id"),
            first_name: r.get("first_name"),
            last_name: r.get("last_name"),
            emails: contacts
                .iter()
                .filter(|c| c.0 == "email")
                .map(|c| c.1.clone())
                .collect(),
            phones: contacts
                .iter()
                .filter(|c| c.0 == "phone")
                .map(|c| c.1.clone())
                .collect(),
            notes: r.get("notes"),
            roles,
            consents,
            archived_at: r.get("archived_at"),
            created_at: r.get("created_at"),
            updated_at: r.get("updated_at"),
        })
    }

    fn push_person_filters(qb: &mut QueryBuilder<'_, Sqlite>, q: &PersonQuery) {
        qb.push(if q.archived {
            " WHERE p.archived_at IS NOT NULL"
        } else {
            " WHERE p.archived_at IS NULL"
        });
        if q.organization_id.is_some() || q.role.as_ref().is_some_and(|r| !r.is_empty()) {
            qb.push(" AND EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = p.id");
            if let Some(org) = q.organization_id {
                qb.push(" AND r.organization_id = ").push_bind(org);
            }
            if let Some(role) = q.role.as_ref().filter(|r| !r.is_empty()) {
                qb.push(" AND r.role = ").push_bind(role.to_lowercase());
            }
            qb.push(")");
        }
    }

    pub async fn list_people(&self, q: &PersonQuery) -> Result<Page<PersonRow>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT p.id, p.first_name, p.last_name,
             (SELECT value FROM person_contacts c WHERE c.person_id = p.id AND c.kind = 'email' ORDER BY position LIMIT 1) AS email,
             (SELECT value FROM person_contacts c WHERE c.person_id = p.id AND c.kind = 'phone' ORDER BY position LIMIT 1) AS phone,
             (SELECT group_concat(o.name, '; ') FROM person_roles r JOIN organizations o ON o.id = r.organization_id
              WHERE r.person_id = p.id) AS organizations
             FROM people p",
        );
        Self::push_person_filters(&mut qb, q);
        let dir = if q.descending { "DESC" } else { "ASC" };
        qb.push(format!(" ORDER BY p.name_key {dir}, p.id {dir} LIMIT "))
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let items = qb
            .build_query_as::<PersonRow>()
            .fetch_all(&self.pool)
            .await?;
        let mut count: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT COUNT(*) FROM people p");
        Self::push_person_filters(&mut count, q);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }

    // ----- consents ---------------------------------------------------------------------

    pub async fn grant_consent(
        &self,
        person_id: i64,
        channel: ConsentChannel,
        date: NaiveDate,
        source: &str,
    ) -> Result<i64> {
        self.grant_consent_of(&PERSON_CONSENTS, person_id, channel.code(), date, source)
            .await
    }

    pub async fn withdraw_consent(
        &self,
        consent_id: i64,
        date: NaiveDate,
        source: &str,
    ) -> Result<()> {
        self.withdraw_consent_of(&PERSON_CONSENTS, consent_id, date, source)
            .await
    }

    /// A consent can be granted again only after the open one is withdrawn, so each grant and
    /// withdrawal stays in the record as it happened.
    pub(crate) async fn grant_consent_of(
        &self,
        t: &ConsentTable,
        owner_id: i64,
        channel: &str,
        date: NaiveDate,
        source: &str,
    ) -> Result<i64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let exists: Option<i64> =
            sqlx::query_scalar(&format!("SELECT id FROM {} WHERE id = ?", t.owner_table))
                .bind(owner_id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Err(Error::NotFound(t.owner_name));
        }
        let open: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM {} WHERE {} = ? AND channel = ? AND withdrawn_on IS NULL",
            t.table, t.owner_column
        ))
        .bind(owner_id)
        .bind(channel)
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_some() {
            return Err(Error::invalid(
                t.duplicate_field,
                "Ta zgoda jest już udzielona. Aby ją odnowić, najpierw zarejestruj jej wycofanie.",
            ));
        }
        let id = sqlx::query(&format!(
            "INSERT INTO {} ({}, channel, granted_on, source, recorded_at) VALUES (?, ?, ?, ?, ?)",
            t.table, t.owner_column
        ))
        .bind(owner_id)
        .bind(channel)
        .bind(date)
        .bind(source)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        tx.commit().await?;
        Ok(id)
    }

    pub(crate) async fn withdraw_consent_of(
        &self,
        t: &ConsentTable,
        consent_id: i64,
        date: NaiveDate,
        source: &str,
    ) -> Result<()> {
        let granted: Option<(NaiveDate, Option<NaiveDate>)> = sqlx::query_as(&format!(
            "SELECT granted_on, withdrawn_on FROM {} WHERE id = ?",
            t.table
        ))
        .bind(consent_id)
        .fetch_optional(&self.pool)
        .await?;
        match granted {
            None => Err(Error::NotFound("zgoda")),
            Some((_, Some(_))) => Err(Error::invalid("date", "Ta zgoda została już wycofana.")),
            Some((g, None)) if date < g => Err(Error::invalid(
                "date",
                "Data wycofania nie może być wcześniejsza niż data udzielenia zgody.",
            )),
            Some(_) => {
                sqlx::query(&format!("UPDATE {} SET withdrawn_on = ?, withdrawal_source = ? WHERE id = ? AND withdrawn_on IS NULL", t.table))
                    .bind(date)
                    .bind(source)
                    .bind(consent_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    }

    /// Demo data: grants (and some withdrawals) in bulk.
    pub async fn insert_consents(
        &self,
        rows: &[(i64, ConsentChannel, NaiveDate, String, Option<NaiveDate>)],
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Self::insert_consents_in(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_consents_in(
        tx: &mut SqliteConnection,
        rows: &[(i64, ConsentChannel, NaiveDate, String, Option<NaiveDate>)],
    ) -> Result<()> {
        let stamp = now();
        for chunk in rows.chunks(BATCH) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO consents (person_id, channel, granted_on, source, withdrawn_on, withdrawal_source, recorded_at) ");
            qb.push_values(
                chunk,
                |mut b, (person, channel, granted, source, withdrawn)| {
                    b.push_bind(*person)
                        .push_bind(channel.code())
                        .push_bind(*granted)
                        .push_bind(source)
                        .push_bind(*withdrawn)
                        .push_bind(withdrawn.map(|_| "prośba e-mailem"))
                        .push_bind(&stamp);
                },
            );
            qb.build().execute(&mut *tx).await?;
        }
        Ok(())
    }

    // ----- search -----------------------------------------------------------------------

    /// Type-ahead search over organisations and people. FTS5 answers without ranking (ranking
    /// costs ~100x at 100k rows); the candidates are ordered here: names starting with what was
    /// typed first, active before archived, then Polish alphabetical order.
    pub async fn search(&self, typed: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let Some(expr) = fts_query(typed) else {
            return Ok(Vec::new());
        };
        let limit = limit.clamp(1, 200);
        let candidates = (limit * 5).max(50);
        let rowids: Vec<i64> =
            sqlx::query_scalar("SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?")
                .bind(&expr)
                .bind(candidates)
                .fetch_all(&self.pool)
                .await?;
        let org_ids: Vec<i64> = rowids
            .iter()
            .filter(|r| *r % 2 == 0)
            .map(|r| r / 2)
            .collect();
        let person_ids: Vec<i64> = rowids
            .iter()
            .filter(|r| *r % 2 == 1)
            .map(|r| r / 2)
            .collect();
        let mut hits = Vec::with_capacity(rowids.len());
        if !org_ids.is_empty() {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT id, name, city, archived_at IS NOT NULL FROM organizations WHERE id IN (",
            );
            let mut sep = qb.separated(", ");
            for id in &org_ids {
                sep.push_bind(*id);
            }
            qb.push(")");
            for row in qb.build().fetch_all(&self.pool).await? {
                hits.push(SearchHit {
                    kind: RecordKind::Organization,
                    id: row.get(0),
                    name: row.get(1),
                    detail: row.get(2),
                    archived: row.get(3),
                });
            }
        }
        if !person_ids.is_empty() {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT p.id, p.first_name || ' ' || p.last_name, p.archived_at IS NOT NULL,
                 (SELECT group_concat(o.name, '; ') FROM person_roles r JOIN organizations o ON o.id = r.organization_id WHERE r.person_id = p.id)
                 FROM people p WHERE p.id IN (",
            );
            let mut sep = qb.separated(", ");
            for id in &person_ids {
                sep.push_bind(*id);
            }
            qb.push(")");
            for row in qb.build().fetch_all(&self.pool).await? {
                hits.push(SearchHit {
                    kind: RecordKind::Person,
                    id: row.get(0),
                    name: row.get(1),
                    detail: row.get(3),
                    archived: row.get(2),
                });
            }
        }
        let first_word = fold(typed)
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        let mut keyed: Vec<(bool, bool, Vec<u8>, SearchHit)> = hits
            .into_iter()
            .map(|h| {
                (
                    !fold(&h.name).starts_with(&first_word),
                    h.archived,
                    collation::sort_key(&h.name),
                    h,
                )
            })
            .collect();
        keyed.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        Ok(keyed
            .into_iter()
            .take(limit as usize)
            .map(|k| k.3)
            .collect())
    }

    /// Deletes one row by id; `table` comes from the callers' fixed names, never from input.
    async fn delete_by_id(&self, table: &'static str, id: i64, what: &'static str) -> Result<()> {
        let done = sqlx::query(&format!("DELETE FROM {table} WHERE id = ?"))
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(what));
        }
        Ok(())
    }

    // ----- advice ---------------------------------------------------------------------------

    pub async fn advice_categories(&self) -> Result<Vec<AdviceCategory>> {
        Ok(sqlx::query_as("SELECT code, parent, name, position, active FROM advice_categories ORDER BY position, code")
            .fetch_all(&self.pool)
            .await?)
    }

    /// The next free anonymous client code of the year: K-2026-0001, K-2026-0002, ...
    pub async fn next_client_code(&self, year: i32) -> Result<String> {
        let prefix = format!("K-{year}-");
        let codes: Vec<String> =
            sqlx::query_scalar("SELECT client_code FROM advice_records WHERE client_code LIKE ?")
                .bind(format!("{prefix}%"))
                .fetch_all(&self.pool)
                .await?;
        let last = codes
            .iter()
            .filter_map(|c| c.strip_prefix(&prefix)?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        Ok(format!("{prefix}{:04}", last + 1))
    }

    /// Many advice records in one transaction (demo data, benchmarks).
    pub async fn insert_advice_many(&self, drafts: &[AdviceDraft]) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for d in drafts {
            Self::insert_advice_in(&mut tx, d).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn insert_advice(&self, d: &AdviceDraft) -> Result<i64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let id = Self::insert_advice_in(&mut tx, d).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn insert_advice_in(tx: &mut SqliteConnection, d: &AdviceDraft) -> Result<i64> {
        if let Some(p) = d.person_id {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = ?")
                .bind(p)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(Error::invalid(
                    "person_id",
                    "Wybrana osoba nie istnieje w rejestrze.",
                ));
            }
        }
        let stamp = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO advice_records (given_on, advisor, person_id, client_code, age_band, sex, residence, returning_client, channel,
             minutes, description, outcome, follow_up_on, follow_up_done, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(d.given_on)
        .bind(&d.advisor)
        .bind(d.person_id)
        .bind(&d.client_code)
        .bind(&d.age_band)
        .bind(&d.sex)
        .bind(&d.residence)
        .bind(d.returning)
        .bind(d.channel.code())
        .bind(d.minutes)
        .bind(&d.description)
        .bind(d.outcome.code())
        .bind(d.follow_up_on)
        .bind(d.follow_up_done)
        .bind(&stamp)
        .bind(&stamp)
        .fetch_one(&mut *tx)
        .await?;
        Self::insert_advice_categories(tx, id, &d.categories).await?;
        Ok(id)
    }

    async fn insert_advice_categories(
        tx: &mut SqliteConnection,
        id: i64,
        codes: &[String],
    ) -> Result<()> {
        for code in codes {
            sqlx::query(
                "INSERT INTO advice_record_categories (advice_id, category_code) VALUES (?, ?)",
            )
            .bind(id)
            .bind(code)
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    }

    pub async fn update_advice(&self, id: i64, d: &AdviceDraft) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let done = sqlx::query(
            "UPDATE advice_records SET given_on = ?, advisor = ?, person_id = ?, client_code = ?, age_band = ?, sex = ?, residence = ?,
             returning_client = ?, channel = ?, minutes = ?, description = ?, outcome = ?, follow_up_on = ?, follow_up_done = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(d.given_on)
        .bind(&d.advisor)
        .bind(d.person_id)
        .bind(&d.client_code)
        .bind(&d.age_band)
        .bind(&d.sex)
        .bind(&d.residence)
        .bind(d.returning)
        .bind(d.channel.code())
        .bind(d.minutes)
        .bind(&d.description)
        .bind(d.outcome.code())
        .bind(d.follow_up_on)
        .bind(d.follow_up_done)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("porada"));
        }
        sqlx::query("DELETE FROM advice_record_categories WHERE advice_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Self::insert_advice_categories(&mut tx, id, &d.categories).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_advice(&self, id: i64) -> Result<()> {
        self.delete_by_id("advice_records", id, "porada").await
    }

    pub async fn get_advice(&self, id: i64) -> Result<AdviceRecord> {
        let r = sqlx::query(
            "SELECT a.*, CASE WHEN p.id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS person_name
             FROM advice_records a LEFT JOIN people p ON p.id = a.person_id WHERE a.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound("porada"))?;
        let categories: Vec<String> = sqlx::query_scalar(
            "SELECT rc.category_code FROM advice_record_categories rc JOIN advice_categories c ON c.code = rc.category_code
             WHERE rc.advice_id = ? ORDER BY c.position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let earlier_advice: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM advice_records a JOIN advice_records b ON {EARLIER_ADVICE_WHERE} WHERE a.id = ?"))
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        let returning_marked: bool = r.get("returning_client");
        Ok(AdviceRecord {
            id,
            given_on: r.get("given_on"),
            advisor: r.get("advisor"),
            person_id: r.get("person_id"),
            person_name: r.get("person_name"),
            client_code: r.get("client_code"),
            age_band: r.get("age_band"),
            sex: r.get("sex"),
            residence: r.get("residence"),
            returning: crate::advice::is_returning(returning_marked, earlier_advice),
            returning_marked,
            earlier_advice,
            channel: r.get("channel"),
            minutes: r.get("minutes"),
            categories,
            description: r.get("description"),
            outcome: r.get("outcome"),
            follow_up_on: r.get("follow_up_on"),
            follow_up_done: r.get("follow_up_done"),
            created_at: r.get("created_at"),
            updated_at: r.get("updated_at"),
        })
    }

    fn push_advice_filters(
        qb: &mut QueryBuilder<'_, Sqlite>,
        q: &AdviceQuery,
        range: (Option<NaiveDate>, Option<NaiveDate>),
        today: NaiveDate,
    ) {
        qb.push(" WHERE 1 = 1");
        if let Some(from) = range.0 {
            qb.push(" AND a.given_on >= ").push_bind(from);
        }
        if let Some(to) = range.1 {
            qb.push(" AND a.given_on <= ").push_bind(to);
        }
        if let Some(advisor) = q
            .advisor
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            qb.push(" AND a.advisor = ").push_bind(advisor.to_string());
        }
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            // The client (registered: by the folded name index; anonymous: the code, dashes
            // optional) or a category name. The case description is never searched.
            let code: String = text
                .to_uppercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            qb.push(" AND (");
            if let Some(expr) = fts_query(text) {
                qb.push(
                    "a.person_id IN (SELECT rowid / 2 FROM search_index WHERE search_index MATCH ",
                )
                .push_bind(expr)
                .push(" AND rowid % 2 = 1) OR ");
            }
            if !code.is_empty() {
                qb.push("REPLACE(a.client_code, '-', '') LIKE ")
                    .push_bind(format!("%{code}%"))
                    .push(" OR ");
            }
            qb.push("EXISTS (SELECT 1 FROM advice_record_categories rc JOIN advice_categories c ON c.code = rc.category_code
                     WHERE rc.advice_id = a.id AND lower(c.name) LIKE ")
                .push_bind(format!("%{}%", text.to_lowercase().replace(['%', '_'], "")))
                .push("))");
        }
        if q.follow_ups_due {
            qb.push(
                " AND a.follow_up_done = 0 AND a.follow_up_on IS NOT NULL AND a.follow_up_on <= ",
            )
            .push_bind(today);
        }
        if let Some(code) = q.category.as_ref().filter(|c| !c.is_empty()) {
            // A main category also finds advice filed under its subcategories.
            qb.push(" AND EXISTS (SELECT 1 FROM advice_record_categories rc WHERE rc.advice_id = a.id AND (rc.category_code = ")
                .push_bind(code.clone())
                .push(" OR rc.category_code LIKE ")
                .push_bind(format!("{code}.%"))
                .push("))");
        }
        if let Some(p) = q.person_id {
            qb.push(" AND a.person_id = ").push_bind(p);
        }
    }

    /// Newest first; follow-ups due oldest first. The category names are joined with
    /// group_concat (string_agg on PostgreSQL).
    pub async fn list_advice(
        &self,
        q: &AdviceQuery,
        range: (Option<NaiveDate>, Option<NaiveDate>),
        today: NaiveDate,
    ) -> Result<Page<AdviceRow>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT a.id, a.given_on,
             COALESCE(p.last_name || ' ' || p.first_name, a.client_code, '') AS client,
             COALESCE((SELECT group_concat(c.name, ', ') FROM advice_record_categories rc JOIN advice_categories c ON c.code = rc.category_code
                       WHERE rc.advice_id = a.id), '') AS categories,
             a.advisor, a.channel, a.follow_up_on, a.follow_up_done
             FROM advice_records a LEFT JOIN people p ON p.id = a.person_id",
        );
        Self::push_advice_filters(&mut qb, q, range, today);
        let order = if q.follow_ups_due {
            " ORDER BY a.follow_up_on ASC, a.id ASC"
        } else {
            " ORDER BY a.given_on DESC, a.id DESC"
        };
        qb.push(order)
            .push(" LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let items = qb
            .build_query_as::<AdviceRow>()
            .fetch_all(&self.pool)
            .await?;
        let mut count: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT COUNT(*) FROM advice_records a");
        Self::push_advice_filters(&mut count, q, range, today);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }

    // ----- events ---------------------------------------------------------------------------

    pub async fn save_event(&self, id: Option<i64>, d: &EventDraft) -> Result<i64> {
        let stamp = now();
        match id {
            None => Ok(sqlx::query_scalar(
                "INSERT INTO events (title, kind, starts_at, ends_at, place, trainer, topic, description, capacity, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(&d.title)
            .bind(&d.kind)
            .bind(d.starts_at)
            .bind(d.ends_at)
            .bind(&d.place)
            .bind(&d.trainer)
            .bind(&d.topic)
            .bind(&d.description)
            .bind(d.capacity)
            .bind(&stamp)
            .bind(&stamp)
            .fetch_one(&self.pool)
            .await?),
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE events SET title = ?, kind = ?, starts_at = ?, ends_at = ?, place = ?, trainer = ?, topic = ?, description = ?,
                     capacity = ?, updated_at = ? WHERE id = ?",
                )
                .bind(&d.title)
                .bind(&d.kind)
                .bind(d.starts_at)
                .bind(d.ends_at)
                .bind(&d.place)
                .bind(&d.trainer)
                .bind(&d.topic)
                .bind(&d.description)
                .bind(d.capacity)
                .bind(&stamp)
                .bind(id)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(Error::NotFound("wydarzenie"));
                }
                Ok(id)
            }
        }
    }

    pub async fn delete_event(&self, id: i64) -> Result<()> {
        self.delete_by_id("events", id, "wydarzenie").await
    }

    pub async fn get_event(&self, id: i64) -> Result<Event> {
        let r = sqlx::query("SELECT * FROM events WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("wydarzenie"))?;
        let registrations: Vec<Registration> = sqlx::query_as(
            "SELECT g.id, g.person_id, p.first_name || ' ' || p.last_name AS person_name, g.organization_id, o.name AS organization_name,
                    g.status, g.attended
             FROM event_registrations g JOIN people p ON p.id = g.person_id LEFT JOIN organizations o ON o.id = g.organization_id
             WHERE g.event_id = ? ORDER BY CASE g.status WHEN 'registered' THEN 0 ELSE 1 END, g.registered_at, g.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Event {
            id,
            title: r.get("title"),
            kind: r.get("kind"),
            starts_at: r.get("starts_at"),
            ends_at: r.get("ends_at"),
            place: r.get("place"),
            trainer: r.get("trainer"),
            topic: r.get("topic"),
            description: r.get("description"),
            capacity: r.get("capacity"),
            registrations,
            removed_registered: r.get("removed_registered"),
            removed_attended: r.get("removed_attended"),
            list_removed_on: r.get("list_removed_on"),
            created_at: r.get("created_at"),
            updated_at: r.get("updated_at"),
        })
    }

    pub async fn list_events(&self, q: &EventQuery, today: NaiveDate) -> Result<Page<EventRow>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT e.id, e.title, e.kind, e.starts_at, e.place, e.capacity,
             e.removed_registered + (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id AND g.status = 'registered') AS registered,
             (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id AND g.status = 'waiting') AS waiting
             FROM events e",
        );
        let from = today.and_hms_opt(0, 0, 0).expect("midnight");
        if q.upcoming {
            qb.push(" WHERE e.starts_at >= ")
                .push_bind(from)
                .push(" ORDER BY e.starts_at ASC, e.id ASC");
        } else {
            qb.push(" ORDER BY e.starts_at DESC, e.id DESC");
        }
        qb.push(" LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let items = qb
            .build_query_as::<EventRow>()
            .fetch_all(&self.pool)
            .await?;
        let total: i64 = if q.upcoming {
            sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE starts_at >= ?")
                .bind(from)
                .fetch_one(&self.pool)
                .await?
        } else {
            sqlx::query_scalar("SELECT COUNT(*) FROM events")
                .fetch_one(&self.pool)
                .await?
        };
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }

    /// Registers a person; once the capacity is taken they go on the waiting list.
    /// Returns "registered" or "waiting".
    pub async fn register_for_event(
        &self,
        event_id: i64,
        person_id: i64,
        organization_id: Option<i64>,
    ) -> Result<String> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let event: Option<(Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT capacity, list_removed_on FROM events WHERE id = ?")
                .bind(event_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((capacity, list_removed_on)) = event else {
            return Err(Error::NotFound("wydarzenie"));
        };
        if list_removed_on.is_some() {
            // Its list went under the retention period; a new one would mix with the kept counts.
            return Err(Error::invalid("person_id", "Lista obecności tego wydarzenia została usunięta po okresie przechowywania — nie można już na nie zapisywać."));
        }
        let person: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = ?")
            .bind(person_id)
            .fetch_optional(&mut *tx)
            .await?;
        if person.is_none() {
            return Err(Error::invalid(
                "person_id",
                "Wybrana osoba nie istnieje w rejestrze.",
            ));
        }
        let already: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM event_registrations WHERE event_id = ? AND person_id = ?",
        )
        .bind(event_id)
        .bind(person_id)
        .fetch_optional(&mut *tx)
        .await?;
        if already.is_some() {
            return Err(Error::invalid(
                "person_id",
                "Ta osoba jest już zapisana na to wydarzenie.",
            ));
        }
        let taken: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = 'registered'",
        )
        .bind(event_id)
        .fetch_one(&mut *tx)
        .await?;
        let status = if capacity.is_some_and(|c| taken >= c) {
            "waiting"
        } else {
            "registered"
        };
        sqlx::query("INSERT INTO event_registrations (event_id, person_id, organization_id, status, registered_at) VALUES (?, ?, ?, ?, ?)")
            .bind(event_id)
            .bind(person_id)
            .bind(organization_id)
            .bind(status)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(status.to_string())
    }

    /// Removes a registration; a freed place goes to the first on the waiting list.
    pub async fn unregister(&self, registration_id: i64) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT event_id, status FROM event_registrations WHERE id = ?")
                .bind(registration_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((event_id, status)) = row else {
            return Err(Error::NotFound("zgłoszenie"));
        };
        sqlx::query("DELETE FROM event_registrations WHERE id = ?")
            .bind(registration_id)
            .execute(&mut *tx)
            .await?;
        if status == "registered" {
            sqlx::query(
                "UPDATE event_registrations SET status = 'registered' WHERE id = (SELECT id FROM event_registrations
                 WHERE event_id = ? AND status = 'waiting' ORDER BY registered_at, id LIMIT 1)",
            )
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_attended(&self, registration_id: i64, attended: bool) -> Result<()> {
        let done = sqlx::query("UPDATE event_registrations SET attended = ? WHERE id = ?")
            .bind(attended)
            .bind(registration_id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("zgłoszenie"));
        }
        Ok(())
    }

    // ----- consultations ------------------------------------------------------------------

    pub async fn consultation_topics(&self) -> Result<Vec<ConsultationTopic>> {
        Ok(sqlx::query_as(
            "SELECT code, name, position, active FROM consultation_topics ORDER BY position, code",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn save_consultation(&self, id: Option<i64>, d: &ConsultationDraft) -> Result<i64> {
        let org: Option<i64> = sqlx::query_scalar("SELECT id FROM organizations WHERE id = ?")
            .bind(d.organization_id)
            .fetch_optional(&self.pool)
            .await?;
        if org.is_none() {
            return Err(Error::invalid(
                "organization_id",
                "Wybrana organizacja nie istnieje w rejestrze.",
            ));
        }
        let stamp = now();
        match id {
            None => Ok(sqlx::query_scalar(
                "INSERT INTO consultations (given_on, advisor, organization_id, person_id, topic, minutes, notes, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(d.given_on)
            .bind(&d.advisor)
            .bind(d.organization_id)
            .bind(d.person_id)
            .bind(&d.topic)
            .bind(d.minutes)
            .bind(&d.notes)
            .bind(&stamp)
            .bind(&stamp)
            .fetch_one(&self.pool)
            .await?),
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE consultations SET given_on = ?, advisor = ?, organization_id = ?, person_id = ?, topic = ?, minutes = ?, notes = ?,
                     updated_at = ? WHERE id = ?",
                )
                .bind(d.given_on)
                .bind(&d.advisor)
                .bind(d.organization_id)
                .bind(d.person_id)
                .bind(&d.topic)
                .bind(d.minutes)
                .bind(&d.notes)
                .bind(&stamp)
                .bind(id)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(Error::NotFound("konsultacja"));
                }
                Ok(id)
            }
        }
    }

    pub async fn delete_consultation(&self, id: i64) -> Result<()> {
        self.delete_by_id("consultations", id, "konsultacja").await
    }

    const CONSULTATION_SELECT: &'static str = "SELECT c.id, c.given_on, c.advisor, c.organization_id, o.name AS organization_name, c.person_id,
         CASE WHEN p.id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS person_name,
         c.topic, t.name AS topic_name, c.minutes, c.notes, c.created_at, c.updated_at
         FROM consultations c JOIN consultation_topics t ON t.code = c.topic
         LEFT JOIN organizations o ON o.id = c.organization_id LEFT JOIN people p ON p.id = c.person_id";

    pub async fn get_consultation(&self, id: i64) -> Result<Consultation> {
        sqlx::query_as(&format!("{} WHERE c.id = ?", Self::CONSULTATION_SELECT))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("konsultacja"))
    }

    pub async fn list_consultations(&self, q: &ConsultationQuery) -> Result<Page<Consultation>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(Self::CONSULTATION_SELECT);
        if let Some(o) = q.organization_id {
            qb.push(" WHERE c.organization_id = ").push_bind(o);
        }
        qb.push(" ORDER BY c.given_on DESC, c.id DESC LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let items = qb
            .build_query_as::<Consultation>()
            .fetch_all(&self.pool)
            .await?;
        let mut count: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT COUNT(*) FROM consultations c");
        if let Some(o) = q.organization_id {
            count.push(" WHERE c.organization_id = ").push_bind(o);
        }
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }

    // ----- needs survey -------------------------------------------------------------------

    pub async fn add_survey_topic(&self, year: i32, name: &str) -> Result<i64> {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM survey_topics WHERE year = ? AND name = ?")
                .bind(year)
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        if exists.is_some() {
            return Err(Error::invalid(
                "name",
                "Ten temat jest już w ankiecie tego roku.",
            ));
        }
        let position: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM survey_topics WHERE year = ?",
        )
        .bind(year)
        .fetch_one(&self.pool)
        .await?;
        Ok(sqlx::query_scalar(
            "INSERT INTO survey_topics (year, name, position) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(year)
        .bind(name)
        .bind(position)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn delete_survey_topic(&self, id: i64) -> Result<()> {
        self.delete_by_id("survey_topics", id, "temat ankiety")
            .await
    }

    pub async fn set_survey_choice(
        &self,
        topic_id: i64,
        organization_id: i64,
        chosen: bool,
    ) -> Result<()> {
        if chosen {
            let org: Option<i64> = sqlx::query_scalar("SELECT id FROM organizations WHERE id = ?")
                .bind(organization_id)
                .fetch_optional(&self.pool)
                .await?;
            if org.is_none() {
                return Err(Error::invalid(
                    "organization_id",
                    "Wybrana organizacja nie istnieje w rejestrze.",
                ));
            }
            sqlx::query("INSERT INTO survey_choices (topic_id, organization_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .bind(topic_id)
                .bind(organization_id)
                .execute(&self.pool)
                .await?;
        } else {
            sqlx::query("DELETE FROM survey_choices WHERE topic_id = ? AND organization_id = ?")
                .bind(topic_id)
                .bind(organization_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// (topic id, topic name, position) and (topic id, organisation id, organisation name, name key).
    pub async fn survey_rows(
        &self,
        year: i32,
    ) -> Result<(Vec<(i64, String, i64)>, Vec<(i64, i64, String, Vec<u8>)>)> {
        let topics = sqlx::query_as(
            "SELECT id, name, position FROM survey_topics WHERE year = ? ORDER BY position",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?;
        let choices = sqlx::query_as(
            "SELECT c.topic_id, o.id, o.name, o.name_key FROM survey_choices c JOIN survey_topics t ON t.id = c.topic_id
             JOIN organizations o ON o.id = c.organization_id WHERE t.year = ? ORDER BY o.name_key",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?;
        Ok((topics, choices))
    }

    pub async fn set_asset(&self, name: &str, data: &[u8]) -> Result<()> {
        sqlx::query(
            "INSERT INTO office_assets (name, data, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(data)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn asset(&self, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(
            sqlx::query_scalar("SELECT data FROM office_assets WHERE name = ?")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn delete_asset(&self, name: &str) -> Result<()> {
        sqlx::query("DELETE FROM office_assets WHERE name = ?")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // ----- annual figures ---------------------------------------------------------------------

    /// Counts for the annual report of `year`: (label, count) lists per dimension. Only counts
    /// leave here: no names, no descriptions.
    pub async fn annual_counts(&self, year: i32) -> Result<AnnualCounts> {
        let from = format!("{year}-01-01");
        let to = format!("{year}-12-31");
        let advice_total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM advice_records WHERE given_on BETWEEN ? AND ?",
        )
        .bind(&from)
        .bind(&to)
        .fetch_one(&self.pool)
        .await?;
        let by_category: Vec<(String, i64)> = sqlx::query_as(
            "SELECT m.name, COUNT(DISTINCT a.id) FROM advice_records a
             JOIN advice_record_categories rc ON rc.advice_id = a.id
             JOIN advice_categories c ON c.code = rc.category_code
             JOIN advice_categories m ON m.code = COALESCE(c.parent, c.code)
             WHERE a.given_on BETWEEN ? AND ? GROUP BY m.code, m.name, m.position ORDER BY m.position",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(&self.pool)
        .await?;
        let by_month: Vec<(String, i64)> = sqlx::query_as(
            "SELECT substr(given_on, 6, 2), COUNT(*) FROM advice_records WHERE given_on BETWEEN ? AND ? GROUP BY substr(given_on, 6, 2)",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(&self.pool)
        .await?;
        let by_channel: Vec<(String, i64)> =
            sqlx::query_as("SELECT channel, COUNT(*) FROM advice_records WHERE given_on BETWEEN ? AND ? GROUP BY channel ORDER BY channel")
                .bind(&from)
                .bind(&to)
                .fetch_all(&self.pool)
                .await?;
        // Returning by the same rule as the record view (advice::is_returning).
        let (returning, minutes): (i64, i64) = sqlx::query_as(&format!(
            "SELECT COALESCE(SUM({}), 0), COALESCE(SUM(a.minutes), 0) FROM advice_records a WHERE a.given_on BETWEEN ? AND ?",
            returning_sql()
        ))
        .bind(&from)
        .bind(&to)
        .fetch_one(&self.pool)
        .await?;
        let events: Vec<(NaiveDateTime, Option<NaiveDateTime>, i64)> = sqlx::query_as(
            "SELECT e.starts_at, e.ends_at, e.removed_attended + (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id AND g.attended = 1)
             FROM events e WHERE e.starts_at >= ? AND e.starts_at < ?",
        )
        .bind(NaiveDate::from_ymd_opt(year, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)))
        .bind(NaiveDate::from_ymd_opt(year + 1, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)))
        .fetch_all(&self.pool)
        .await?;
        let organizations_total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM organizations WHERE archived_at IS NULL")
                .fetch_one(&self.pool)
                .await?;
        let organizations_new: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM organizations WHERE created_at >= ? AND created_at < ?",
        )
        .bind(&from)
        .bind(format!("{}-01-01", year + 1))
        .fetch_one(&self.pool)
        .await?;
        let by_legal_form: Vec<(String, i64)> =
            sqlx::query_as("SELECT legal_form, COUNT(*) FROM organizations WHERE archived_at IS NULL GROUP BY legal_form ORDER BY legal_form")
                .fetch_all(&self.pool)
                .await?;
        let by_area: Vec<(String, i64)> = sqlx::query_as(
            "SELECT s.code || '. ' || s.name, COUNT(*) FROM organization_areas a JOIN activity_areas s ON s.code = a.area_code
             JOIN organizations o ON o.id = a.organization_id WHERE o.archived_at IS NULL
             GROUP BY s.code, s.name, s.position ORDER BY s.position, s.code",
        )
        .fetch_all(&self.pool)
        .await?;
        let consultations_by_topic: Vec<(String, i64)> = sqlx::query_as(
            "SELECT t.name, COUNT(*) FROM consultations c JOIN consultation_topics t ON t.code = c.topic
             WHERE c.given_on BETWEEN ? AND ? GROUP BY t.code, t.name, t.position ORDER BY t.position",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(&self.pool)
        .await?;
        let consultation_minutes: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(minutes), 0) FROM consultations WHERE given_on BETWEEN ? AND ?",
        )
        .bind(&from)
        .bind(&to)
        .fetch_one(&self.pool)
        .await?;
        // The clients' profile: unknown values count as "nie podano" (an empty key), so each
        // table adds up to the advice total. Residence as typed, most frequent first.
        let profile = |column: &str| {
            format!(
                "SELECT COALESCE(NULLIF(TRIM({column}), ''), ''), COUNT(*) FROM advice_records WHERE given_on BETWEEN ? AND ?
                 GROUP BY 1 ORDER BY COUNT(*) DESC, 1"
            )
        };
        let mut by_age_band: Vec<(String, i64)> = sqlx::query_as(&profile("age_band"))
            .bind(&from)
            .bind(&to)
            .fetch_all(&self.pool)
            .await?;
        by_age_band.sort_by_key(|(band, _)| {
            crate::advice::AGE_BANDS
                .iter()
                .position(|b| b == band)
                .unwrap_or(usize::MAX)
        });
        for (band, _) in by_age_band.iter_mut().filter(|(b, _)| b.is_empty()) {
            *band = "nie podano".into();
        }
        let mut by_sex: Vec<(String, i64)> = sqlx::query_as(&profile("sex"))
            .bind(&from)
            .bind(&to)
            .fetch_all(&self.pool)
            .await?;
        by_sex.sort_by_key(|(s, _)| ["k", "m", ""].iter().position(|x| x == s).unwrap_or(3));
        let mut by_residence: Vec<(String, i64)> = sqlx::query_as(&profile("residence"))
            .bind(&from)
            .bind(&to)
            .fetch_all(&self.pool)
            .await?;
        let unknown = by_residence
            .iter()
            .position(|(r, _)| r.is_empty())
            .map(|i| by_residence.remove(i).1);
        by_residence.extend(unknown.map(|n| ("nie podano".to_string(), n)));
        Ok(AnnualCounts {
            by_age_band,
            by_sex,
            by_residence,
            advice_total,
            by_category,
            by_month,
            by_channel,
            returning,
            minutes,
            events,
            organizations_total,
            organizations_new,
            by_legal_form,
            by_area,
            consultations_by_topic,
            consultation_minutes,
        })
    }

    /// Stores checked statistics files (key, office name, year, figures JSON) in one
    /// transaction; each replaces the earlier file with the same key and year. A coded file
    /// also takes the place of an uncoded file (Kartoteka before codes) with the same office
    /// name and year: returned `true` for such a file, so the user is told.
    pub async fn save_network_stats(
        &self,
        files: &[(String, String, i32, String)],
    ) -> Result<Vec<bool>> {
        let mut tx = self.pool.begin().await?;
        let mut replaced = Vec::with_capacity(files.len());
        for (key, bureau, year, json) in files {
            let mut took_place = false;
            if !key.starts_with(crate::stats_file::UNCODED_PREFIX) {
                let uncoded = crate::stats_file::storage_key(None, bureau);
                let done =
                    sqlx::query("DELETE FROM network_stats WHERE bureau_key = ? AND year = ?")
                        .bind(&uncoded)
                        .bind(year)
                        .execute(&mut *tx)
                        .await?;
                took_place = done.rows_affected() > 0;
            }
            sqlx::query(
                "INSERT INTO network_stats (bureau_key, bureau, year, figures, imported_at) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (bureau_key, year) DO UPDATE SET bureau = excluded.bureau, figures = excluded.figures, imported_at = excluded.imported_at",
            )
            .bind(key)
            .bind(bureau)
            .bind(year)
            .bind(json)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            replaced.push(took_place);
        }
        tx.commit().await?;
        Ok(replaced)
    }

    /// (key, figures JSON) of every bureau's file for `year`, by office name.
    pub async fn network_stats(&self, year: i32) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as("SELECT bureau_key, figures FROM network_stats WHERE year = ? ORDER BY bureau, bureau_key").bind(year).fetch_all(&self.pool).await?)
    }

    /// The value under `key` in `meta`, storing `value` first if there is none; two processes
    /// racing both get the one that was stored first.
    pub async fn meta_or_insert(&self, key: &str, value: &str) -> Result<String> {
        sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_one(&self.pool)
            .await?)
    }

    // ----- import ---------------------------------------------------------------------------

    /// Identifiers, names and e-mails of everything in the register, for import duplicate checks.
    pub async fn register_identities(&self) -> Result<RegisterIdentities> {
        Ok(RegisterIdentities {
            organizations: sqlx::query_as(
                "SELECT id, name, city, krs, nip, regon FROM organizations",
            )
            .fetch_all(&self.pool)
            .await?,
            organization_emails: sqlx::query_as(
                "SELECT organization_id, value FROM organization_contacts WHERE kind = 'email'",
            )
            .fetch_all(&self.pool)
            .await?,
            people: sqlx::query_as("SELECT id, first_name, last_name FROM people")
                .fetch_all(&self.pool)
                .await?,
            person_emails: sqlx::query_as(
                "SELECT person_id, value FROM person_contacts WHERE kind = 'email'",
            )
            .fetch_all(&self.pool)
            .await?,
            person_organizations: sqlx::query_as(
                "SELECT DISTINCT person_id, organization_id FROM person_roles",
            )
            .fetch_all(&self.pool)
            .await?,
            books: sqlx::query_as("SELECT id, title, author, isbn FROM library_items")
                .fetch_all(&self.pool)
                .await?,
        })
    }

    /// Starts an import batch: everything written through the writer is one transaction,
    /// committed by `finish` and rolled back if the writer is dropped (error or cancel).
    pub async fn begin_import(&self, kind: &str, file_name: &str) -> Result<ImportWriter> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let stamp = now();
        let batch_id: i64 = sqlx::query_scalar("INSERT INTO import_batches (kind, file_name, imported_at) VALUES (?, ?, ?) RETURNING id")
            .bind(kind)
            .bind(file_name)
            .bind(&stamp)
            .fetch_one(&mut *tx)
            .await?;
        Ok(ImportWriter {
            tx,
            batch_id,
            stamp,
        })
    }

    pub async fn import_batches(&self, limit: u32) -> Result<Vec<ImportBatch>> {
        Ok(sqlx::query_as(
            "SELECT id, kind, file_name, imported_at, inserted, updated, skipped, rejected, undone_at
             FROM import_batches ORDER BY id DESC LIMIT ?",
        )
        .bind(limit.min(MAX_PAGE))
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn import_batch(&self, id: i64) -> Result<ImportBatch> {
        sqlx::query_as("SELECT id, kind, file_name, imported_at, inserted, updated, skipped, rejected, undone_at FROM import_batches WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("import"))
    }

    /// The records a batch updated, as they were before it: (kind, id, JSON snapshot).
    pub async fn import_prior_values(&self, batch_id: i64) -> Result<Vec<(String, i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT record_kind, record_id, snapshot FROM import_prior_values WHERE batch_id = ?",
        )
        .bind(batch_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Undoes a batch in one transaction: deletes the records it created (with their search
    /// entries; roles and consents go by cascade) and writes back the records it changed.
    pub async fn undo_import(
        &self,
        batch_id: i64,
        organizations: &[(i64, OrganizationDraft)],
        people: &[(i64, PersonDraft)],
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let undone: Option<Option<String>> =
            sqlx::query_scalar("SELECT undone_at FROM import_batches WHERE id = ?")
                .bind(batch_id)
                .fetch_optional(&mut *tx)
                .await?;
        match undone {
            None => return Err(Error::NotFound("import")),
            Some(Some(_)) => {
                return Err(Error::BadArgument("Ten import został już cofnięty.".into()))
            }
            Some(None) => {}
        }
        sqlx::query("DELETE FROM search_index WHERE rowid IN (SELECT id * 2 FROM organizations WHERE import_batch_id = ?)")
            .bind(batch_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM search_index WHERE rowid IN (SELECT id * 2 + 1 FROM people WHERE import_batch_id = ?)")
            .bind(batch_id)
            .execute(&mut *tx)
            .await?;
        for table in ["people", "organizations", "library_items"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE import_batch_id = ?"))
                .bind(batch_id)
                .execute(&mut *tx)
                .await?;
        }
        for (id, draft) in organizations {
            match Self::update_organization_in(&mut tx, *id, draft).await {
                // Deleted since (by hand or by undoing an earlier import): nothing to restore.
                Err(Error::NotFound(_)) => {}
                other => other?,
            }
        }
        for (id, draft) in people {
            // An anonymised or erased person never gets their data back from a snapshot (the
            // RODO tools purge the snapshots too; this holds for any left from before that).
            if Self::person_was_scrubbed(&mut tx, *id).await? {
                continue;
            }
            let roles_alive: Vec<(i64, String)> = {
                let mut kept = Vec::new();
                for (org, role) in &draft.roles {
                    let exists: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM organizations WHERE id = ?")
                            .bind(org)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if exists.is_some() {
                        kept.push((*org, role.clone()));
                    }
                }
                kept
            };
            let draft = PersonDraft {
                roles: roles_alive,
                ..draft.clone()
            };
            match Self::update_person_in(&mut tx, *id, &draft).await {
                Err(Error::NotFound(_)) => {}
                other => other?,
            }
        }
        sqlx::query("UPDATE import_batches SET undone_at = ? WHERE id = ?")
            .bind(now())
            .bind(batch_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the person's data was removed by anonymisation or erasure (the marker those
    /// leave in the change log), so nothing may write it back.
    async fn person_was_scrubbed(tx: &mut SqliteConnection, id: i64) -> Result<bool> {
        let marker: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM change_log WHERE entity = 'person' AND entity_id = ? AND field IN ('anonymized', 'erased') LIMIT 1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        Ok(marker.is_some())
    }

    pub async fn import_profiles(&self, kind: &str) -> Result<Vec<(String, String)>> {
        Ok(
            sqlx::query_as(
                "SELECT name, mapping FROM import_profiles WHERE kind = ? ORDER BY name",
            )
            .bind(kind)
            .fetch_all(&self.pool)
            .await?,
        )
    }

    pub async fn save_import_profile(
        &self,
        kind: &str,
        name: &str,
        mapping_json: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO import_profiles (kind, name, mapping, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (kind, name) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
        )
        .bind(kind)
        .bind(name)
        .bind(mapping_json)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn delete_import_profile(&self, kind: &str, name: &str) -> Result<()> {
        sqlx::query("DELETE FROM import_profiles WHERE kind = ? AND name = ?")
            .bind(kind)
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn library_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM library_items")
            .fetch_one(&self.pool)
            .await?)
    }
}

/// One import batch being written. Dropping it without `finish` rolls everything back, which
/// is how a failed or cancelled import leaves the register exactly as it was.
pub struct ImportWriter {
    tx: sqlx::Transaction<'static, Sqlite>,
    batch_id: i64,
    stamp: String,
}

impl ImportWriter {
    pub fn batch_id(&self) -> i64 {
        self.batch_id
    }

    pub async fn insert_organizations(&mut self, drafts: &[OrganizationDraft]) -> Result<Vec<i64>> {
        Store::insert_organizations_in(&mut self.tx, drafts, &self.stamp, Some(self.batch_id)).await
    }

    pub async fn insert_people(&mut self, drafts: &[PersonDraft]) -> Result<Vec<i64>> {
        Store::insert_people_in(&mut self.tx, drafts, &self.stamp, Some(self.batch_id)).await
    }

    /// E-mail consents given on the imported sheet: (person id, date, source).
    pub async fn grant_email_consents(&mut self, rows: &[(i64, NaiveDate, String)]) -> Result<()> {
        let rows: Vec<_> = rows
            .iter()
            .map(|(p, d, s)| (*p, ConsentChannel::EmailBulletin, *d, s.clone(), None))
            .collect();
        Store::insert_consents_in(&mut self.tx, &rows).await
    }

    pub async fn has_active_email_consent(&mut self, person_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE person_id = ? AND channel = 'email_bulletin' AND withdrawn_on IS NULL")
            .bind(person_id)
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(n > 0)
    }

    pub async fn insert_library(&mut self, items: &[LibraryDraft]) -> Result<()> {
        for chunk in items.chunks(BATCH) {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO library_items (title, author, publisher, year, isbn, shelf_mark, notes, created_at, title_key, import_batch_id) ",
            );
            qb.push_values(chunk, |mut b, d| {
                b.push_bind(&d.title)
                    .push_bind(&d.author)
                    .push_bind(&d.publisher)
                    .push_bind(d.year)
                    .push_bind(d.isbn.as_ref().map(|i| i.as_str()))
                    .push_bind(&d.shelf_mark)
                    .push_bind(&d.notes)
                    .push_bind(&self.stamp)
                    .push_bind(collation::sort_key(&d.title))
                    .push_bind(self.batch_id);
            });
            qb.build().execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Updates an existing organisation, keeping its earlier form for undo.
    pub async fn update_organization(
        &mut self,
        id: i64,
        draft: &OrganizationDraft,
        before_json: &str,
    ) -> Result<()> {
        self.remember(RecordKind::Organization, id, before_json)
            .await?;
        Store::update_organization_in(&mut self.tx, id, draft).await
    }

    pub async fn update_person(
        &mut self,
        id: i64,
        draft: &PersonDraft,
        before_json: &str,
    ) -> Result<()> {
        self.remember(RecordKind::Person, id, before_json).await?;
        Store::update_person_in(&mut self.tx, id, draft).await
    }

    async fn remember(&mut self, kind: RecordKind, id: i64, before_json: &str) -> Result<()> {
        let kind = match kind {
            RecordKind::Organization => "organization",
            RecordKind::Person => "person",
            RecordKind::Advice => "advice",
        };
        // A record updated twice by one sheet keeps its state from before the first update.
        sqlx::query("INSERT INTO import_prior_values (batch_id, record_kind, record_id, snapshot) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
            .bind(self.batch_id)
            .bind(kind)
            .bind(id)
            .bind(before_json)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Commits the batch with its counts.
    pub async fn finish(
        mut self,
        inserted: usize,
        updated: usize,
        skipped: usize,
        rejected: usize,
    ) -> Result<i64> {
        sqlx::query("UPDATE import_batches SET inserted = ?, updated = ?, skipped = ?, rejected = ? WHERE id = ?")
            .bind(inserted as i64)
            .bind(updated as i64)
            .bind(skipped as i64)
            .bind(rejected as i64)
            .bind(self.batch_id)
            .execute(&mut *self.tx)
            .await?;
        self.tx.commit().await?;
        Ok(self.batch_id)
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn fts_query_folds_and_prefixes_every_word() {
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
