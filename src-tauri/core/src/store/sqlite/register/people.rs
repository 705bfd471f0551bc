//! SQLite: people, their contacts and roles in organisations.

use super::*;
use crate::error::{Error, Result};
use crate::history::ChangeNote;
use crate::store::sqlite::history::write_changes;
use crate::text::collation::{self};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

#[async_trait::async_trait]
impl PersonStore for SqliteStore {
    // ----- people -----------------------------------------------------------------------

    async fn person_duplicates(
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

    async fn insert_people(&self, drafts: &[PersonDraft]) -> Result<Vec<i64>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let ids = Self::insert_people_in(&mut tx, drafts, &now(), None).await?;
        tx.commit().await?;
        Ok(ids)
    }

    async fn create_person(&self, d: &PersonDraft, note: &ChangeNote<'_>) -> Result<i64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let id = Self::insert_people_in(&mut tx, std::slice::from_ref(d), &now(), None).await?[0];
        write_changes(&mut tx, "person", id, note.author, &note.rows).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_person(
        &self,
        id: i64,
        d: &PersonDraft,
        author: &str,
        expected_revision: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Self::check_revision(&mut tx, "people", id, expected_revision, "osoba").await?;
        if Self::person_was_scrubbed(&mut tx, id).await? {
            return Err(Error::BadArgument(SCRUBBED_PERSON.into()));
        }
        let before = Self::person_in(&mut tx, id).await?;
        Self::update_person_as(&mut tx, id, d, author).await?;
        let after = Self::person_in(&mut tx, id).await?;
        let rows = crate::history::diff(
            &serde_json::to_value(before).expect("serialises"),
            &serde_json::to_value(after).expect("serialises"),
            crate::history::PERSON_FIELDS,
        );
        write_changes(&mut tx, "person", id, author, &rows).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_person_archived(
        &self,
        id: i64,
        archived: bool,
        note: &ChangeNote<'_>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let done = sqlx::query("UPDATE people SET archived_at = ?, updated_at = ?, revision = revision + 1, changed_by = ? WHERE id = ?")
            .bind(archived.then(now))
            .bind(now())
            .bind(note.author)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("osoba"));
        }
        write_changes(&mut tx, "person", id, note.author, &note.rows).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_person(&self, id: i64) -> Result<Person> {
        let mut conn = self.pool.acquire().await?;
        Self::person_in(&mut conn, id).await
    }

    async fn list_people(&self, q: &PersonQuery) -> Result<Page<PersonRow>> {
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
}

impl SqliteStore {
    pub(crate) async fn person_in(conn: &mut SqliteConnection, id: i64) -> Result<Person> {
        let r = sqlx::query("SELECT id, first_name, last_name, notes, archived_at, created_at, updated_at, revision, changed_by FROM people WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(Error::NotFound("osoba"))?;
        let contacts: Vec<(String, String)> = sqlx::query_as(
            "SELECT kind, value FROM person_contacts WHERE person_id = ? ORDER BY kind, position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut roles: Vec<PersonRole> = sqlx::query(
            "SELECT r.id, o.id, o.name, r.role FROM person_roles r JOIN organizations o ON o.id = r.organization_id WHERE r.person_id = ?",
        )
        .bind(id)
        .fetch_all(&mut *conn)
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
        .fetch_all(&mut *conn)
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
            revision: r.get("revision"),
            changed_by: r.get("changed_by"),
        })
    }

    pub(crate) async fn check_role_organizations(
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

    pub(crate) async fn insert_people_in(
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

    pub(crate) async fn insert_person_children(
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

    /// An import's (or an undo's) change of a person.
    pub(crate) async fn update_person_in(
        tx: &mut SqliteConnection,
        id: i64,
        d: &PersonDraft,
    ) -> Result<()> {
        Self::update_person_as(tx, id, d, BY_IMPORT).await
    }

    /// Writes the draft over the person and raises their revision, so that a form opened
    /// before this write cannot overwrite it unseen.
    pub(crate) async fn update_person_as(
        tx: &mut SqliteConnection,
        id: i64,
        d: &PersonDraft,
        by: &str,
    ) -> Result<()> {
        let done = sqlx::query("UPDATE people SET first_name = ?, last_name = ?, notes = ?, updated_at = ?, name_key = ?, revision = revision + 1, changed_by = ? WHERE id = ?")
            .bind(&d.first_name)
            .bind(&d.last_name)
            .bind(&d.notes)
            .bind(now())
            .bind(collation::sort_key(&person_sort_text(&d.first_name, &d.last_name)))
            .bind(by)
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

    pub(crate) fn push_person_filters(qb: &mut QueryBuilder<'_, Sqlite>, q: &PersonQuery) {
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
}
