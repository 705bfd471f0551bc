//! PostgreSQL: people, their contacts and roles in organisations; the same reads and writes as
//! `store/sqlite/register/people.rs`.

use super::*;
use crate::error::{Error, Result};
use crate::history::ChangeNote;
use crate::store::postgres::history::write_changes;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};

#[async_trait::async_trait]
impl PersonStore for PgStore {
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
                 WHERE c.kind = 'email' AND c.value = $1 AND p.id <> $2 ORDER BY p.id LIMIT 5",
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
        let mut tx = self.pool.begin().await?;
        let ids = Self::insert_people_in(&mut tx, drafts, &now(), None).await?;
        tx.commit().await?;
        Ok(ids)
    }

    async fn create_person(&self, d: &PersonDraft, note: &ChangeNote<'_>) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
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
        let mut tx = self.pool.begin().await?;
        // Locked first, as for organisations: the revision check holds until the commit and
        // the logged before/after are this save's own.
        Self::check_revision(&mut tx, "people", id, expected_revision, "osoba").await?;
        if Self::person_was_scrubbed(&mut tx, id).await? {
            return Err(Error::BadArgument(
                crate::store::sqlite::SCRUBBED_PERSON.into(),
            ));
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
        let mut tx = self.pool.begin().await?;
        let by = Self::signed(&mut tx, note.author).await?;
        let done = sqlx::query("UPDATE people SET archived_at = $1, updated_at = $2, revision = revision + 1, changed_by = $3 WHERE id = $4")
            .bind(archived.then(now))
            .bind(now())
            .bind(&by)
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
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
            "SELECT p.id, p.first_name, p.last_name,
             (SELECT value FROM person_contacts c WHERE c.person_id = p.id AND c.kind = 'email' ORDER BY position LIMIT 1) AS email,
             (SELECT value FROM person_contacts c WHERE c.person_id = p.id AND c.kind = 'phone' ORDER BY position LIMIT 1) AS phone,
             (SELECT string_agg(o.name, '; ' ORDER BY r.id) FROM person_roles r JOIN organizations o ON o.id = r.organization_id
              WHERE r.person_id = p.id) AS organizations
             FROM people p",
        );
        Self::push_person_filters(&mut qb, q);
        let dir = if q.descending { "DESC" } else { "ASC" };
        qb.push(format!(" ORDER BY p.name_key {dir}, p.id {dir} LIMIT "))
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let items = qb
            .build_query_as::<PersonRow>()
            .fetch_all(&self.pool)
            .await?;
        let mut count: QueryBuilder<Postgres> = QueryBuilder::new("SELECT COUNT(*) FROM people p");
        Self::push_person_filters(&mut count, q);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }
}

impl PgStore {
    pub(crate) async fn person_in(conn: &mut PgConnection, id: i64) -> Result<Person> {
        let r = sqlx::query("SELECT id, first_name, last_name, notes, archived_at, created_at, updated_at, revision, changed_by FROM people WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(Error::NotFound("osoba"))?;
        let contacts: Vec<(String, String)> = sqlx::query_as(
            "SELECT kind, value FROM person_contacts WHERE person_id = $1 ORDER BY kind, position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut roles: Vec<PersonRole> = sqlx::query(
            "SELECT r.id, o.id, o.name, r.role FROM person_roles r JOIN organizations o ON o.id = r.organization_id
             WHERE r.person_id = $1 ORDER BY r.id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|row| PersonRole {
            role_id: row.get(0),
            organization_id: row.get(1),
            organization_name: row.get(2),
            role: row.get(3),
        })
        .collect();
        roles.sort_by(|a, b| collation::compare(&a.organization_name, &b.organization_name));
        let consents: Vec<Consent> = sqlx::query_as(
            "SELECT id, channel, granted_on, source, withdrawn_on, withdrawal_source, recorded_at FROM consents
             WHERE person_id = $1 ORDER BY granted_on DESC, id DESC",
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

    /// Every organisation a role points at exists; `FOR KEY SHARE` keeps it from being deleted
    /// by another PC before this transaction commits (SQLite's write lock did that there).
    pub(crate) async fn check_role_organizations(
        tx: &mut PgConnection,
        drafts: &[PersonDraft],
    ) -> Result<()> {
        let mut wanted: Vec<i64> = drafts
            .iter()
            .flat_map(|d| d.roles.iter().map(|(org, _)| *org))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            return Ok(());
        }
        let found: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM organizations WHERE id = ANY($1) ORDER BY id FOR KEY SHARE",
        )
        .bind(&wanted)
        .fetch_all(&mut *tx)
        .await?;
        if found.len() != wanted.len() {
            return Err(Error::invalid(
                "roles",
                "Wybrana organizacja nie istnieje w rejestrze.",
            ));
        }
        Ok(())
    }

    pub(crate) async fn insert_people_in(
        tx: &mut PgConnection,
        drafts: &[PersonDraft],
        stamp: &str,
        batch: Option<i64>,
    ) -> Result<Vec<i64>> {
        let ids = Self::next_ids(tx, "people", drafts.len()).await?;
        if drafts.len() >= COPY_FROM {
            let mut rows = CopyRows::default();
            for (d, id) in drafts.iter().zip(&ids) {
                rows.int(Some(*id))
                    .text(Some(&d.first_name))
                    .text(Some(&d.last_name))
                    .text(d.notes.as_deref())
                    .text(Some(stamp))
                    .text(Some(stamp))
                    .bytes(&collation::sort_key(&person_sort_text(
                        &d.first_name,
                        &d.last_name,
                    )))
                    .int(batch);
                rows.end_row();
            }
            rows.send(tx, "COPY people (id, first_name, last_name, notes, created_at, updated_at, name_key, import_batch_id) FROM STDIN").await?;
            Self::insert_person_children(tx, drafts, &ids).await?;
            return Ok(ids);
        }
        for (chunk_no, chunk) in drafts.chunks(PG_BATCH).enumerate() {
            let chunk_ids = &ids[chunk_no * PG_BATCH..chunk_no * PG_BATCH + chunk.len()];
            let mut qb: QueryBuilder<Postgres> =
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
        tx: &mut PgConnection,
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
        if roles.len() >= COPY_FROM {
            let mut copy = CopyRows::default();
            for (id, org, role) in &roles {
                copy.int(Some(*id)).int(Some(*org)).text(Some(role));
                copy.end_row();
            }
            copy.send(
                tx,
                "COPY person_roles (person_id, organization_id, role) FROM STDIN",
            )
            .await?;
            return Self::insert_search_rows(tx, &search).await;
        }
        for chunk in roles.chunks(PG_BATCH) {
            let mut qb: QueryBuilder<Postgres> =
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
        tx: &mut PgConnection,
        id: i64,
        d: &PersonDraft,
    ) -> Result<()> {
        Self::update_person_as(tx, id, d, BY_IMPORT).await
    }

    /// Writes the draft over the person and raises their revision, so that a form opened
    /// before this write cannot overwrite it unseen.
    pub(crate) async fn update_person_as(
        tx: &mut PgConnection,
        id: i64,
        d: &PersonDraft,
        by: &str,
    ) -> Result<()> {
        let by = Self::signed(&mut *tx, by).await?;
        let done = sqlx::query("UPDATE people SET first_name = $1, last_name = $2, notes = $3, updated_at = $4, name_key = $5, revision = revision + 1, changed_by = $6 WHERE id = $7")
            .bind(&d.first_name)
            .bind(&d.last_name)
            .bind(&d.notes)
            .bind(now())
            .bind(collation::sort_key(&person_sort_text(&d.first_name, &d.last_name)))
            .bind(&by)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("osoba"));
        }
        sqlx::query("DELETE FROM person_contacts WHERE person_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM person_roles WHERE person_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Self::delete_search_row(tx, person_rowid(id)).await?;
        Self::insert_person_children(tx, std::slice::from_ref(d), &[id]).await
    }

    pub(crate) fn push_person_filters(qb: &mut QueryBuilder<'_, Postgres>, q: &PersonQuery) {
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::{error_of, note, org, person, Transcript};
    use crate::register::*;
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{HistoryStore, OrganizationStore, PersonStore, ReferenceStore};

    fn query(f: impl FnOnce(&mut PersonQuery)) -> PersonQuery {
        let mut q = PersonQuery {
            limit: 50,
            ..Default::default()
        };
        f(&mut q);
        q
    }

    fn last_first(page: &Page<PersonRow>) -> Vec<String> {
        page.items
            .iter()
            .map(|r| format!("{} {}", r.last_name, r.first_name))
            .collect()
    }

    /// People with contacts and roles: Polish order (Ł after L, Ś after S) page by page,
    /// filters by organisation and role, a role pointing nowhere refused with nothing written,
    /// a change logged, archiving, an organisation's members and the export.
    async fn people_story(
        s: &(impl OrganizationStore + PersonStore + ReferenceStore + HistoryStore),
    ) -> Transcript {
        let mut t = Transcript::default();
        let orgs = [
            org("Fundacja Wiatrak", "Gdańsk", "fundacja", |_| {}),
            org("Akademia Łucznictwa", "Łomża", "stowarzyszenie", |_| {}),
        ];
        assert_eq!(s.insert_organizations(&orgs).await.unwrap(), vec![1, 2]);
        let lukasz = person(
            "Łukasz",
            "Lis",
            "lukasz.lis@example.org; l.lis@example.org",
            &[(1, "Prezes"), (2, "członek zarządu")],
        );
        let id = s
            .create_person(&lukasz, &note("Ewa", "last_name", "Lis"))
            .await
            .unwrap();
        assert_eq!(id, 1);
        let more = [
            person("Anna", "Lis", "anna.lis@example.org", &[]),
            person("Zofia", "Śliwa", "", &[(2, "skarbniczka")]),
            person("Jan", "Sowa", "", &[(1, "wolontariusz")]),
            person("Ewa", "Łęcka", "", &[]),
            person("Adam", "Lewandowski", "", &[]),
            person("Piotr", "Sikora", "", &[]),
        ];
        assert_eq!(
            s.insert_people(&more).await.unwrap(),
            vec![2, 3, 4, 5, 6, 7]
        );

        let got = s.get_person(1).await.unwrap();
        assert_eq!(got.emails, ["lukasz.lis@example.org", "l.lis@example.org"]);
        let roles: Vec<(&str, &str)> = got
            .roles
            .iter()
            .map(|r| (r.organization_name.as_str(), r.role.as_str()))
            .collect();
        assert_eq!(
            roles,
            [
                ("Akademia Łucznictwa", "członek zarządu"),
                ("Fundacja Wiatrak", "prezes")
            ]
        );
        t.add("get", &got);
        t.add("get missing", &error_of(s.get_person(99).await));

        let polish = [
            "Lewandowski Adam",
            "Lis Anna",
            "Lis Łukasz",
            "Łęcka Ewa",
            "Sikora Piotr",
            "Sowa Jan",
            "Śliwa Zofia",
        ];
        let all = s.list_people(&query(|_| {})).await.unwrap();
        assert_eq!(last_first(&all), polish);
        assert_eq!(all.total, 7);
        let row = all.items.iter().find(|r| r.id == 1).unwrap();
        assert_eq!(row.email.as_deref(), Some("lukasz.lis@example.org"));
        assert_eq!(
            row.organizations.as_deref(),
            Some("Fundacja Wiatrak; Akademia Łucznictwa")
        );
        t.add("list", &all);
        let mut paged = Vec::new();
        for offset in [0, 2, 4, 6] {
            let page = s
                .list_people(&query(|q| {
                    q.limit = 2;
                    q.offset = offset;
                }))
                .await
                .unwrap();
            assert_eq!(page.total, 7);
            paged.extend(last_first(&page));
            t.add("page", &page);
        }
        assert_eq!(paged, polish);
        let desc = s
            .list_people(&query(|q| q.descending = true))
            .await
            .unwrap();
        let mut reversed = polish.map(String::from).to_vec();
        reversed.reverse();
        assert_eq!(last_first(&desc), reversed);
        let of_org = s
            .list_people(&query(|q| q.organization_id = Some(1)))
            .await
            .unwrap();
        assert_eq!(last_first(&of_org), ["Lis Łukasz", "Sowa Jan"]);
        let by_role = s
            .list_people(&query(|q| q.role = Some("PREZES".into())))
            .await
            .unwrap();
        assert_eq!(last_first(&by_role), ["Lis Łukasz"]);
        t.add("of org", &of_org);
        t.add("by role", &by_role);

        let same_email = person("Ł.", "Lis", "lukasz.lis@example.org", &[]);
        let dups = s.person_duplicates(&same_email, None).await.unwrap();
        assert_eq!((dups[0].id, dups[0].name.as_str()), (1, "Łukasz Lis"));
        t.add("duplicates", &dups);
        assert!(s
            .person_duplicates(&same_email, Some(1))
            .await
            .unwrap()
            .is_empty());

        let nowhere = person("Olga", "Nowak", "olga@example.org", &[(99, "prezes")]);
        let refused = error_of(s.insert_people(std::slice::from_ref(&nowhere)).await);
        assert!(refused.contains("roles"), "{refused}");
        t.add("role nowhere", &refused);
        t.add(
            "create with role nowhere",
            &error_of(
                s.create_person(&nowhere, &note("Ewa", "last_name", "Nowak"))
                    .await,
            ),
        );
        assert_eq!(s.list_people(&query(|_| {})).await.unwrap().total, 7);
        assert!(s
            .person_duplicates(&nowhere, None)
            .await
            .unwrap()
            .is_empty());

        let mut changed = lukasz.clone();
        changed.last_name = "Lis-Nowak".into();
        changed.roles = vec![(2, "prezes".into())];
        s.update_person(1, &changed, "Jan", None).await.unwrap();
        let after = s.get_person(1).await.unwrap();
        assert_eq!(after.last_name, "Lis-Nowak");
        assert_eq!(after.roles.len(), 1);
        t.add("updated", &after);
        let history = s.changes("person", 1, 50).await.unwrap();
        assert!(history
            .iter()
            .any(|c| c.field == "last_name" && c.new_value.as_deref() == Some("Lis-Nowak")));
        t.add("history", &history);
        t.add(
            "update missing",
            &error_of(s.update_person(99, &changed, "Jan", None).await),
        );

        s.set_person_archived(2, true, &note("Ewa", "archived", "tak"))
            .await
            .unwrap();
        let archived = s.list_people(&query(|q| q.archived = true)).await.unwrap();
        assert_eq!(last_first(&archived), ["Lis Anna"]);
        assert_eq!(s.list_people(&query(|_| {})).await.unwrap().total, 6);
        t.add("archived", &archived);
        s.set_person_archived(4, true, &note("Ewa", "archived", "tak"))
            .await
            .unwrap();
        let members = s.get_organization(1).await.unwrap().people;
        assert!(members.is_empty(), "{members:?}");
        let members = s.get_organization(2).await.unwrap().people;
        t.add("members", &members);
        t.add(
            "archive missing",
            &error_of(
                s.set_person_archived(99, true, &note("Ewa", "archived", "tak"))
                    .await,
            ),
        );
        let export = s.export_people(&query(|_| {})).await.unwrap();
        assert_eq!(export.len(), 5);
        t.add("export", &export);
        t.add(
            "export desc",
            &s.export_people(&query(|q| q.descending = true))
                .await
                .unwrap(),
        );
        t
    }

    #[tokio::test]
    async fn register_people_alike_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let expected = people_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            people_story(&pg).await.assert_same_as(&expected);
        }
    }
}
