//! SQLite: writing an import batch in one transaction (`ImportWriter`) and undoing one.

use super::*;
use crate::error::{Error, Result};
use crate::text::collation::{self};
use chrono::NaiveDate;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

#[async_trait::async_trait]
impl ImportStore for SqliteStore {
    // ----- import ---------------------------------------------------------------------------

    async fn register_identities(&self) -> Result<RegisterIdentities> {
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

    async fn import_batches(&self, limit: u32) -> Result<Vec<ImportBatch>> {
        Ok(sqlx::query_as(
            "SELECT id, kind, file_name, imported_at, inserted, updated, skipped, rejected, undone_at
             FROM import_batches ORDER BY id DESC LIMIT ?",
        )
        .bind(limit.min(MAX_PAGE))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn import_batch(&self, id: i64) -> Result<ImportBatch> {
        sqlx::query_as("SELECT id, kind, file_name, imported_at, inserted, updated, skipped, rejected, undone_at FROM import_batches WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("import"))
    }

    async fn import_prior_values(&self, batch_id: i64) -> Result<Vec<(String, i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT record_kind, record_id, snapshot FROM import_prior_values WHERE batch_id = ?",
        )
        .bind(batch_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn import_profiles(&self, kind: &str) -> Result<Vec<(String, String)>> {
        Ok(
            sqlx::query_as(
                "SELECT name, mapping FROM import_profiles WHERE kind = ? ORDER BY name",
            )
            .bind(kind)
            .fetch_all(&self.pool)
            .await?,
        )
    }

    async fn delete_import_profile(&self, kind: &str, name: &str) -> Result<()> {
        sqlx::query("DELETE FROM import_profiles WHERE kind = ? AND name = ?")
            .bind(kind)
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn library_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM library_items")
            .fetch_one(&self.pool)
            .await?)
    }

    async fn begin_import(
        &self,
        kind: &str,
        file_name: &str,
    ) -> Result<Box<dyn ImportBatchWriter>> {
        let mut conn = self.pool.acquire().await?;
        // The whole batch stays in memory until its commit (with the pool's 32 MiB a 100k-row
        // sheet spilled pages to the WAL mid-transaction and read them back); the connection
        // is closed afterwards so the pool does not keep the larger cache.
        conn.close_on_drop();
        sqlx::query("PRAGMA cache_size = -262144")
            .execute(&mut *conn)
            .await?;
        let mut tx = sqlx::Transaction::begin(conn, Some("BEGIN IMMEDIATE".into())).await?;
        // The search index merges its segments four at a time by default; while an import
        // adds a segment per batch that is a quarter of its time spent re-merging. Sixteen at
        // a time for the batch (queries measured no slower), back to the default at `finish`.
        sqlx::query("INSERT INTO search_index (search_index, rank) VALUES ('automerge', 16)")
            .execute(&mut *tx)
            .await?;
        let stamp = now();
        let batch_id: i64 = sqlx::query_scalar("INSERT INTO import_batches (kind, file_name, imported_at) VALUES (?, ?, ?) RETURNING id")
            .bind(kind)
            .bind(file_name)
            .bind(&stamp)
            .fetch_one(&mut *tx)
            .await?;
        Ok(Box::new(ImportWriter {
            tx,
            batch_id,
            stamp,
        }))
    }

    async fn undo_import(
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
        // Books from the batch that were lent since keep their loan history: the undo stops.
        let lent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM library_loans l JOIN library_copies c ON c.id = l.copy_id
             JOIN library_items i ON i.id = c.item_id WHERE i.import_batch_id = ?",
        )
        .bind(batch_id)
        .fetch_one(&mut *tx)
        .await?;
        if lent > 0 {
            return Err(Error::BadArgument(format!(
                "Tego importu nie można cofnąć: książki z tej listy były już wypożyczane ({lent} wypożyczeń). Usuń je z katalogu biblioteki pojedynczo albo zostaw import."
            )));
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

    async fn save_import_profile(&self, kind: &str, name: &str, mapping_json: &str) -> Result<()> {
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
}

impl SqliteStore {
    /// Whether the person's data was removed by anonymisation or erasure (the marker those
    /// leave in the change log), so nothing may write it back.
    pub(crate) async fn person_was_scrubbed(tx: &mut SqliteConnection, id: i64) -> Result<bool> {
        let marker: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM change_log WHERE entity = 'person' AND entity_id = ? AND field IN ('anonymized', 'erased') LIMIT 1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        Ok(marker.is_some())
    }
}

/// One import batch being written. Dropping it without `finish` rolls everything back, which
/// is how a failed or cancelled import leaves the register exactly as it was.
pub struct ImportWriter {
    tx: sqlx::Transaction<'static, Sqlite>,
    batch_id: i64,
    stamp: String,
}

#[async_trait::async_trait]
impl ImportBatchWriter for ImportWriter {
    fn batch_id(&self) -> i64 {
        self.batch_id
    }

    async fn insert_organizations(&mut self, drafts: &[OrganizationDraft]) -> Result<Vec<i64>> {
        SqliteStore::insert_organizations_in(&mut self.tx, drafts, &self.stamp, Some(self.batch_id))
            .await
    }

    async fn insert_people(&mut self, drafts: &[PersonDraft]) -> Result<Vec<i64>> {
        SqliteStore::insert_people_in(&mut self.tx, drafts, &self.stamp, Some(self.batch_id)).await
    }

    async fn grant_email_consents(&mut self, rows: &[(i64, NaiveDate, String)]) -> Result<()> {
        let rows: Vec<_> = rows
            .iter()
            .map(|(p, d, s)| (*p, ConsentChannel::EmailBulletin, *d, s.clone(), None))
            .collect();
        SqliteStore::insert_consents_in(&mut self.tx, &rows).await
    }

    async fn has_active_email_consent(&mut self, person_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE person_id = ? AND channel = 'email_bulletin' AND withdrawn_on IS NULL")
            .bind(person_id)
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(n > 0)
    }

    async fn insert_library(&mut self, items: &[LibraryDraft]) -> Result<()> {
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

    async fn update_organization(
        &mut self,
        id: i64,
        draft: &OrganizationDraft,
        before_json: &str,
    ) -> Result<()> {
        self.remember(RecordKind::Organization, id, before_json)
            .await?;
        SqliteStore::update_organization_in(&mut self.tx, id, draft).await
    }

    async fn update_person(
        &mut self,
        id: i64,
        draft: &PersonDraft,
        before_json: &str,
    ) -> Result<()> {
        self.remember(RecordKind::Person, id, before_json).await?;
        SqliteStore::update_person_in(&mut self.tx, id, draft).await
    }

    async fn finish(
        mut self: Box<Self>,
        inserted: usize,
        updated: usize,
        skipped: usize,
        rejected: usize,
    ) -> Result<i64> {
        sqlx::query("INSERT INTO search_index (search_index, rank) VALUES ('automerge', 4)")
            .execute(&mut *self.tx)
            .await?;
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

impl ImportWriter {
    pub(crate) async fn remember(
        &mut self,
        kind: RecordKind,
        id: i64,
        before_json: &str,
    ) -> Result<()> {
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
}
