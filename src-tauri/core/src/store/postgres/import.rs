//! PostgreSQL: writing an import batch in one transaction (`PgImportWriter`) and undoing one.
//! Mirrors `store/sqlite/import.rs`: dropping the writer without `finish` rolls the whole
//! batch back, and an undo locks its batch's row so two PCs cannot undo it twice.

use super::register::PG_BATCH;
use super::PgStore;
use crate::error::{Error, Result};
use crate::register::*;
use crate::store::sqlite::now;
use crate::store::{ImportBatchWriter, ImportStore};
use crate::text::collation;
use chrono::NaiveDate;
use sqlx::{PgConnection, Postgres, QueryBuilder};

#[async_trait::async_trait]
impl ImportStore for PgStore {
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
             FROM import_batches ORDER BY id DESC LIMIT $1",
        )
        .bind(i64::from(limit.min(MAX_PAGE)))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn import_batch(&self, id: i64) -> Result<ImportBatch> {
        sqlx::query_as("SELECT id, kind, file_name, imported_at, inserted, updated, skipped, rejected, undone_at FROM import_batches WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("import"))
    }

    async fn import_prior_values(&self, batch_id: i64) -> Result<Vec<(String, i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT record_kind, record_id, snapshot FROM import_prior_values WHERE batch_id = $1",
        )
        .bind(batch_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn import_profiles(&self, kind: &str) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT name, mapping FROM import_profiles WHERE kind = $1 ORDER BY name",
        )
        .bind(kind)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn delete_import_profile(&self, kind: &str, name: &str) -> Result<()> {
        sqlx::query("DELETE FROM import_profiles WHERE kind = $1 AND name = $2")
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
        let mut tx = self.pool.begin().await?;
        let stamp = now();
        let batch_id: i64 = sqlx::query_scalar(
            "INSERT INTO import_batches (kind, file_name, imported_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(kind)
        .bind(file_name)
        .bind(&stamp)
        .fetch_one(&mut *tx)
        .await?;
        Ok(Box::new(PgImportWriter {
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
        let mut tx = self.pool.begin().await?;
        // Locked until commit: a second PC undoing the same batch waits and then finds it undone.
        let undone: Option<Option<String>> =
            sqlx::query_scalar("SELECT undone_at FROM import_batches WHERE id = $1 FOR UPDATE")
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
             JOIN library_items i ON i.id = c.item_id WHERE i.import_batch_id = $1",
        )
        .bind(batch_id)
        .fetch_one(&mut *tx)
        .await?;
        if lent > 0 {
            return Err(Error::BadArgument(format!(
                "Tego importu nie można cofnąć: książki z tej listy były już wypożyczane ({lent} wypożyczeń). Usuń je z katalogu biblioteki pojedynczo albo zostaw import."
            )));
        }
        sqlx::query("DELETE FROM search_index WHERE rowid IN (SELECT id * 2 FROM organizations WHERE import_batch_id = $1)")
            .bind(batch_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM search_index WHERE rowid IN (SELECT id * 2 + 1 FROM people WHERE import_batch_id = $1)")
            .bind(batch_id)
            .execute(&mut *tx)
            .await?;
        for table in ["people", "organizations", "library_items"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE import_batch_id = $1"))
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
            // An anonymised or erased person never gets their data back from a snapshot.
            if Self::person_was_scrubbed(&mut tx, *id).await? {
                continue;
            }
            let mut kept = Vec::new();
            for (org, role) in &draft.roles {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM organizations WHERE id = $1")
                        .bind(org)
                        .fetch_optional(&mut *tx)
                        .await?;
                if exists.is_some() {
                    kept.push((*org, role.clone()));
                }
            }
            let draft = PersonDraft {
                roles: kept,
                ..draft.clone()
            };
            match Self::update_person_in(&mut tx, *id, &draft).await {
                Err(Error::NotFound(_)) => {}
                other => other?,
            }
        }
        sqlx::query("UPDATE import_batches SET undone_at = $1 WHERE id = $2")
            .bind(now())
            .bind(batch_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn save_import_profile(&self, kind: &str, name: &str, mapping_json: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO import_profiles (kind, name, mapping, updated_at) VALUES ($1, $2, $3, $4)
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

impl PgStore {
    /// Whether the person's data was removed by anonymisation or erasure (the marker those
    /// leave in the change log), so nothing may write it back.
    pub(crate) async fn person_was_scrubbed(tx: &mut PgConnection, id: i64) -> Result<bool> {
        let marker: Option<i32> = sqlx::query_scalar(
            "SELECT 1 FROM change_log WHERE entity = 'person' AND entity_id = $1 AND field IN ('anonymized', 'erased') LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        Ok(marker.is_some())
    }
}

/// One import batch being written, in its own transaction on one pooled connection. Dropping
/// it without `finish` rolls everything back (sqlx rolls back a transaction dropped open).
pub struct PgImportWriter {
    tx: sqlx::Transaction<'static, Postgres>,
    batch_id: i64,
    stamp: String,
}

#[async_trait::async_trait]
impl ImportBatchWriter for PgImportWriter {
    fn batch_id(&self) -> i64 {
        self.batch_id
    }

    async fn insert_organizations(&mut self, drafts: &[OrganizationDraft]) -> Result<Vec<i64>> {
        PgStore::insert_organizations_in(&mut self.tx, drafts, &self.stamp, Some(self.batch_id))
            .await
    }

    async fn insert_people(&mut self, drafts: &[PersonDraft]) -> Result<Vec<i64>> {
        PgStore::insert_people_in(&mut self.tx, drafts, &self.stamp, Some(self.batch_id)).await
    }

    async fn grant_email_consents(&mut self, rows: &[(i64, NaiveDate, String)]) -> Result<()> {
        let rows: Vec<_> = rows
            .iter()
            .map(|(p, d, s)| (*p, ConsentChannel::EmailBulletin, *d, s.clone(), None))
            .collect();
        PgStore::insert_consents_in(&mut self.tx, &rows).await
    }

    async fn has_active_email_consent(&mut self, person_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM consents WHERE person_id = $1 AND channel = 'email_bulletin' AND withdrawn_on IS NULL",
        )
        .bind(person_id)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(n > 0)
    }

    async fn insert_library(&mut self, items: &[LibraryDraft]) -> Result<()> {
        for chunk in items.chunks(PG_BATCH) {
            let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
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
        PgStore::update_organization_in(&mut self.tx, id, draft).await
    }

    async fn update_person(
        &mut self,
        id: i64,
        draft: &PersonDraft,
        before_json: &str,
    ) -> Result<()> {
        self.remember(RecordKind::Person, id, before_json).await?;
        PgStore::update_person_in(&mut self.tx, id, draft).await
    }

    async fn finish(
        mut self: Box<Self>,
        inserted: usize,
        updated: usize,
        skipped: usize,
        rejected: usize,
    ) -> Result<i64> {
        sqlx::query("UPDATE import_batches SET inserted = $1, updated = $2, skipped = $3, rejected = $4 WHERE id = $5")
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

impl PgImportWriter {
    async fn remember(&mut self, kind: RecordKind, id: i64, before_json: &str) -> Result<()> {
        let kind = match kind {
            RecordKind::Organization => "organization",
            RecordKind::Person => "person",
            RecordKind::Advice => "advice",
        };
        // A record updated twice by one sheet keeps its state from before the first update.
        sqlx::query("INSERT INTO import_prior_values (batch_id, record_kind, record_id, snapshot) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .bind(self.batch_id)
            .bind(kind)
            .bind(id)
            .bind(before_json)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::register::fixtures::{error_of, org, person, Transcript};
    use crate::error::Error;
    use crate::register::*;
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{ImportStore, OrganizationStore, PersonStore, RodoStore, SearchStore};
    use chrono::NaiveDate;

    /// A batch without its clock stamps (they differ between two runs; whether undone does
    /// not) and without its id: a batch rolled back used up its id on PostgreSQL (a sequence
    /// never goes back) while SQLite gives the same number again.
    fn batch_view(b: &ImportBatch) -> (&str, &str, [i64; 4], bool) {
        (
            b.kind.as_str(),
            b.file_name.as_str(),
            [b.inserted, b.updated, b.skipped, b.rejected],
            b.undone_at.is_some(),
        )
    }

    fn names(hits: &[SearchHit]) -> Vec<&str> {
        hits.iter().map(|h| h.name.as_str()).collect()
    }

    /// The register's identities in a stable order (their queries have none), as text.
    async fn identities(s: &impl ImportStore) -> Vec<String> {
        let i = s.register_identities().await.unwrap();
        let mut all: Vec<String> = i.organizations.iter().map(|o| format!("{o:?}")).collect();
        all.extend(
            i.organization_emails
                .iter()
                .map(|e| format!("org e-mail {e:?}")),
        );
        all.extend(i.people.iter().map(|p| format!("{p:?}")));
        all.extend(
            i.person_emails
                .iter()
                .map(|e| format!("person e-mail {e:?}")),
        );
        all.extend(i.person_organizations.iter().map(|e| format!("role {e:?}")));
        all.extend(i.books.iter().map(|b| format!("{b:?}")));
        all.sort();
        all
    }

    /// A sheet of organisations imported as one batch (new ones, an update, people with
    /// e-mail consents) and undone: the new records and their search entries go, the updated
    /// one gets its earlier form back, an anonymised person is never revived. A batch dropped
    /// half-way leaves nothing; a library sheet; remembered column mappings.
    async fn import_story(
        s: &(impl ImportStore + OrganizationStore + PersonStore + SearchStore + RodoStore),
    ) -> Transcript {
        let mut t = Transcript::default();
        let before = org("Fundacja Ćma", "Kraków", "fundacja", |_| {});
        s.insert_organizations(std::slice::from_ref(&before))
            .await
            .unwrap();
        s.insert_people(&[person("Ewa", "Żak", "ewa@example.org", &[(1, "prezes")])])
            .await
            .unwrap();
        t.add("identities before", &identities(s).await);

        let mut w = s
            .begin_import("organizations", "arkusz.xlsx")
            .await
            .unwrap();
        let batch = w.batch_id();
        assert_eq!(batch, 1);
        let new_ids = w
            .insert_organizations(&[
                org("Nowa Fundacja Lipowa", "Łódź", "fundacja", |i| {
                    i.emails = "biuro@lipowa.example.org".into()
                }),
                org("Klub Sportowy Orzeł", "Lublin", "klub_sportowy", |_| {}),
            ])
            .await
            .unwrap();
        assert_eq!(new_ids, [2, 3]);
        let changed = org("Fundacja Ćma i Motyl", "Kraków", "fundacja", |i| {
            i.emails = "cma@example.org".into()
        });
        w.update_organization(1, &changed, "{\"name\":\"Fundacja Ćma\"}")
            .await
            .unwrap();
        // Updated twice by one sheet: the snapshot from before the first update stays.
        w.update_organization(1, &changed, "{\"name\":\"druga wersja\"}")
            .await
            .unwrap();
        let people = w
            .insert_people(&[person(
                "Olgierd",
                "Lipowski",
                "olgierd@example.org",
                &[(2, "prezes")],
            )])
            .await
            .unwrap();
        assert_eq!(people, [2]);
        assert!(!w.has_active_email_consent(2).await.unwrap());
        w.grant_email_consents(&[(
            2,
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            "arkusz.xlsx".into(),
        )])
        .await
        .unwrap();
        assert!(w.has_active_email_consent(2).await.unwrap());
        w.update_person(
            1,
            &person("Ewa", "Żak-Nowa", "ewa@example.org", &[(1, "prezes")]),
            "{\"last_name\":\"Żak\"}",
        )
        .await
        .unwrap();
        assert_eq!(w.finish(3, 2, 1, 1).await.unwrap(), batch);

        assert_eq!(
            names(&s.search("lipow", 10).await.unwrap()),
            ["Nowa Fundacja Lipowa", "Olgierd Lipowski"]
        );
        let batches = s.import_batches(10).await.unwrap();
        assert_eq!(batches.len(), 1);
        assert_eq!(
            (
                batches[0].inserted,
                batches[0].updated,
                batches[0].skipped,
                batches[0].rejected
            ),
            (3, 2, 1, 1)
        );
        t.add(
            "batches",
            &batches.iter().map(batch_view).collect::<Vec<_>>(),
        );
        t.add("batch", &batch_view(&s.import_batch(batch).await.unwrap()));
        t.add("batch missing", &error_of(s.import_batch(99).await));
        let mut prior = s.import_prior_values(batch).await.unwrap();
        prior.sort();
        assert_eq!(
            prior,
            [
                (
                    "organization".to_string(),
                    1,
                    "{\"name\":\"Fundacja Ćma\"}".to_string()
                ),
                (
                    "person".to_string(),
                    1,
                    "{\"last_name\":\"Żak\"}".to_string()
                ),
            ]
        );
        t.add("identities after import", &identities(s).await);

        // Ewa is anonymised after the import: undoing it must not write her name back.
        s.anonymize_person(1, "Ewa Administratorka").await.unwrap();
        s.undo_import(
            batch,
            &[(1, before.clone())],
            &[(1, person("Ewa", "Żak", "ewa@example.org", &[(1, "prezes")]))],
        )
        .await
        .unwrap();
        assert_eq!(s.get_organization(1).await.unwrap().name, "Fundacja Ćma");
        t.add("created gone", &error_of(s.get_organization(2).await));
        t.add("person gone", &error_of(s.get_person(2).await));
        assert!(s.search("lipow", 10).await.unwrap().is_empty());
        assert_eq!(names(&s.search("cma", 10).await.unwrap()), ["Fundacja Ćma"]);
        let ewa = s.get_person(1).await.unwrap();
        assert_eq!(
            (ewa.first_name.as_str(), ewa.last_name.as_str()),
            ("Osoba", "zanonimizowana nr 1")
        );
        t.add("undone", &batch_view(&s.import_batch(batch).await.unwrap()));
        assert!(s.import_batch(batch).await.unwrap().undone_at.is_some());
        t.add(
            "undo twice",
            &error_of(s.undo_import(batch, &[], &[]).await),
        );
        t.add("undo missing", &error_of(s.undo_import(99, &[], &[]).await));

        // Dropped before finish (an error or a cancel): neither the batch nor its rows stay.
        let mut w = s.begin_import("people", "przerwany.csv").await.unwrap();
        w.insert_people(&[person("Przerwany", "Import", "", &[])])
            .await
            .unwrap();
        drop(w);
        assert_eq!(s.import_batches(10).await.unwrap().len(), 1);
        assert!(s.search("przerwany", 10).await.unwrap().is_empty());
        t.add("identities after drop", &identities(s).await);

        let mut w = s.begin_import("library", "ksiazki.xlsx").await.unwrap();
        let library = w.batch_id();
        w.insert_library(&[
            LibraryDraft {
                title: "Ustawa o działalności pożytku publicznego".into(),
                author: Some("Jan Prawnik".into()),
                publisher: None,
                year: Some(2024),
                isbn: None,
                shelf_mark: Some("A-1".into()),
                notes: None,
            },
            LibraryDraft {
                title: "Fundraising w praktyce".into(),
                author: None,
                publisher: Some("Wydawnictwo".into()),
                year: None,
                isbn: None,
                shelf_mark: None,
                notes: Some("egzemplarz uszkodzony".into()),
            },
        ])
        .await
        .unwrap();
        w.finish(2, 0, 0, 0).await.unwrap();
        assert_eq!(s.library_count().await.unwrap(), 2);
        t.add("identities with books", &identities(s).await);
        s.undo_import(library, &[], &[]).await.unwrap();
        assert_eq!(s.library_count().await.unwrap(), 0);
        let at_end = s.import_batches(10).await.unwrap();
        t.add(
            "batches at the end",
            &at_end.iter().map(batch_view).collect::<Vec<_>>(),
        );
        assert_eq!(s.import_batches(1).await.unwrap()[0].id, library);

        s.save_import_profile("organizations", "Urząd", "{\"A\":\"name\"}")
            .await
            .unwrap();
        s.save_import_profile("organizations", "Biuro", "{\"B\":\"city\"}")
            .await
            .unwrap();
        s.save_import_profile("organizations", "Urząd", "{\"A\":\"short_name\"}")
            .await
            .unwrap();
        s.save_import_profile("people", "Urząd", "{}")
            .await
            .unwrap();
        let profiles = s.import_profiles("organizations").await.unwrap();
        assert_eq!(
            profiles,
            [
                ("Biuro".to_string(), "{\"B\":\"city\"}".to_string()),
                ("Urząd".to_string(), "{\"A\":\"short_name\"}".to_string()),
            ]
        );
        s.delete_import_profile("organizations", "Urząd")
            .await
            .unwrap();
        assert_eq!(s.import_profiles("organizations").await.unwrap().len(), 1);
        t.add(
            "people profiles",
            &s.import_profiles("people").await.unwrap(),
        );
        t
    }

    #[tokio::test]
    async fn import_batch_and_undo_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let lite = import_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            import_story(&pg).await.assert_same_as(&lite);
        }
    }

    /// Two PCs importing at the same moment: both batches open side by side (SQLite would
    /// make the second wait for the first's write lock, so this story is PostgreSQL's only),
    /// every record gets its own id, and undoing one batch leaves the other whole.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn import_batches_written_side_by_side_on_postgres() {
        let Some(pg) = fresh_pg().await else { return };
        let mut first = pg
            .begin_import("organizations", "pierwszy.xlsx")
            .await
            .unwrap();
        let mut second = pg
            .begin_import("organizations", "drugi.xlsx")
            .await
            .unwrap();
        assert_ne!(first.batch_id(), second.batch_id());
        let mut ids = Vec::new();
        for round in 0..3 {
            ids.extend(
                first
                    .insert_organizations(&[org(
                        &format!("Pierwsza {round}"),
                        "Łódź",
                        "fundacja",
                        |_| {},
                    )])
                    .await
                    .unwrap(),
            );
            ids.extend(
                second
                    .insert_organizations(&[org(
                        &format!("Druga {round}"),
                        "Łódź",
                        "fundacja",
                        |_| {},
                    )])
                    .await
                    .unwrap(),
            );
        }
        let (a, b) = (first.batch_id(), second.batch_id());
        let (done_a, done_b) = tokio::join!(first.finish(3, 0, 0, 0), second.finish(3, 0, 0, 0));
        assert_eq!((done_a.unwrap(), done_b.unwrap()), (a, b));
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 6, "ids given twice: {ids:?}");
        pg.undo_import(a, &[], &[]).await.unwrap();
        assert!(pg.search("pierwsza", 10).await.unwrap().is_empty());
        assert_eq!(pg.search("druga", 10).await.unwrap().len(), 3);
        let batches = pg.import_batches(10).await.unwrap();
        assert_eq!(batches.len(), 2);
        assert!(batches.iter().all(|x| x.inserted == 3));
        // Two PCs undoing the same batch at once: one does it, the other is told it is done.
        let (one, two) = tokio::join!(pg.undo_import(b, &[], &[]), pg.undo_import(b, &[], &[]));
        let mut outcomes = [one.is_ok(), two.is_ok()];
        outcomes.sort();
        assert_eq!(outcomes, [false, true]);
        assert!(matches!(
            one.err().or(two.err()),
            Some(Error::BadArgument(_))
        ));
    }
}
