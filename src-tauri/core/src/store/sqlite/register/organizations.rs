//! SQLite: organisations, their contacts, areas and tags, with the search index kept in step.

use super::*;
use crate::error::{Error, Result};
use crate::history::ChangeNote;
use crate::store::sqlite::history::write_changes;
use crate::text::collation::{self};
use chrono::NaiveDate;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

#[async_trait::async_trait]
impl OrganizationStore for SqliteStore {
    // ----- organisations --------------------------------------------------------------

    async fn organization_duplicates(
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

    async fn insert_organizations(&self, drafts: &[OrganizationDraft]) -> Result<Vec<i64>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let ids = Self::insert_organizations_in(&mut tx, drafts, &now(), None).await?;
        tx.commit().await?;
        Ok(ids)
    }

    async fn create_organization(
        &self,
        d: &OrganizationDraft,
        note: &ChangeNote<'_>,
    ) -> Result<i64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let id =
            Self::insert_organizations_in(&mut tx, std::slice::from_ref(d), &now(), None).await?[0];
        write_changes(&mut tx, "organization", id, note.author, &note.rows).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_organization(
        &self,
        id: i64,
        d: &OrganizationDraft,
        author: &str,
        expected_revision: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Self::check_revision(
            &mut tx,
            "organizations",
            id,
            expected_revision,
            "organizacja",
        )
        .await?;
        let before = Self::organization_in(&mut tx, id).await?;
        Self::update_organization_as(&mut tx, id, d, author).await?;
        let after = Self::organization_in(&mut tx, id).await?;
        let rows = crate::history::diff(
            &serde_json::to_value(before).expect("serialises"),
            &serde_json::to_value(after).expect("serialises"),
            crate::history::ORGANIZATION_FIELDS,
        );
        write_changes(&mut tx, "organization", id, author, &rows).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_organization_archived(
        &self,
        id: i64,
        archived: bool,
        note: &ChangeNote<'_>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let stamp = archived.then(now);
        let done = sqlx::query(
            "UPDATE organizations SET archived_at = ?, updated_at = ?, revision = revision + 1, changed_by = ? WHERE id = ?",
        )
        .bind(stamp)
        .bind(now())
        .bind(note.author)
        .bind(id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("organizacja"));
        }
        write_changes(&mut tx, "organization", id, note.author, &note.rows).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_organization(&self, id: i64) -> Result<Organization> {
        let mut conn = self.pool.acquire().await?;
        Self::organization_in(&mut conn, id).await
    }

    async fn export_organizations(&self, q: &OrganizationQuery) -> Result<Vec<OrganizationExport>> {
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

    async fn export_people(&self, q: &PersonQuery) -> Result<Vec<PersonExport>> {
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

    async fn list_organizations(&self, q: &OrganizationQuery) -> Result<Page<OrganizationRow>> {
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
}

impl SqliteStore {
    pub(crate) async fn organization_in(
        conn: &mut SqliteConnection,
        id: i64,
    ) -> Result<Organization> {
        let r = sqlx::query(
            "SELECT id, name, short_name, legal_form, krs, nip, regon, public_benefit, street, building, postal_code,
             city, gmina, powiat, voivodeship, website, description, notes, member_since, member_until,
             directory_consent, archived_at, created_at, updated_at, revision, changed_by FROM organizations WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("organizacja"))?;
        let contacts: Vec<(String, String)> = sqlx::query_as("SELECT kind, value FROM organization_contacts WHERE organization_id = ? ORDER BY kind, position")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
        let areas: Vec<String> = sqlx::query_scalar(
            "SELECT a.area_code FROM organization_areas a JOIN activity_areas s ON s.code = a.area_code
             WHERE a.organization_id = ? ORDER BY s.position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut tags: Vec<String> =
            sqlx::query_scalar("SELECT tag FROM organization_tags WHERE organization_id = ?")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
        tags.sort_by(|a, b| collation::compare(a, b));
        let mut people: Vec<OrganizationMember> = sqlx::query(
            "SELECT r.id, p.id, p.first_name, p.last_name, r.role FROM person_roles r JOIN people p ON p.id = r.person_id
             WHERE r.organization_id = ? AND p.archived_at IS NULL",
        )
        .bind(id)
        .fetch_all(&mut *conn)
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
            revision: r.get("revision"),
            changed_by: r.get("changed_by"),
            people,
            email_consents: Vec::new(),
        })
    }

    pub(crate) async fn insert_organizations_in(
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
        let rows = drafts
            .chunks(BATCH)
            .zip(ids.chunks(BATCH))
            .map(|(chunk, chunk_ids)| {
                let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
                    "INSERT INTO organizations (id, created_at, import_batch_id, {ORG_COLUMNS}) "
                ));
                qb.push_values(chunk.iter().zip(chunk_ids), |mut b, (d, id)| {
                    b.push_bind(*id).push_bind(stamp).push_bind(batch);
                    push_org_columns(&mut b, d, stamp);
                });
                qb
            });
        execute_overlapped(tx, rows.chain(Self::org_children_statements(drafts, &ids))).await?;
        Ok(ids)
    }

    pub(crate) async fn insert_org_children(
        tx: &mut SqliteConnection,
        drafts: &[OrganizationDraft],
        ids: &[i64],
    ) -> Result<()> {
        execute_overlapped(tx, Self::org_children_statements(drafts, ids)).await
    }

    /// The INSERTs of new organisations' contacts, spheres, tags and search entries; the
    /// search text is folded only when its statement is built (see `execute_overlapped`).
    fn org_children_statements<'a>(
        drafts: &'a [OrganizationDraft],
        ids: &'a [i64],
    ) -> impl Iterator<Item = QueryBuilder<'a, Sqlite>> + 'a {
        let mut contacts: Vec<(i64, &str, i64, &str)> = Vec::new();
        let mut areas: Vec<(i64, &str)> = Vec::new();
        let mut tags: Vec<(i64, &str)> = Vec::new();
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
        }
        let mut statements = Self::contact_statements(
            "INSERT INTO organization_contacts (organization_id, kind, position, value) ",
            &contacts,
        );
        for chunk in areas.chunks(BATCH) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO organization_areas (organization_id, area_code) ");
            qb.push_values(chunk, |mut b, (id, code)| {
                b.push_bind(*id).push_bind(*code);
            });
            statements.push(qb);
        }
        for chunk in tags.chunks(BATCH) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO organization_tags (organization_id, tag) ");
            qb.push_values(chunk, |mut b, (id, tag)| {
                b.push_bind(*id).push_bind(*tag);
            });
            statements.push(qb);
        }
        // FTS5 flushes its pending terms into a new segment at every statement, and merging
        // thousands of small segments dominated bulk loads: few large statements instead.
        let search = drafts
            .chunks(SEARCH_BATCH)
            .zip(ids.chunks(SEARCH_BATCH))
            .map(|(chunk, chunk_ids)| {
                let mut qb: QueryBuilder<Sqlite> =
                    QueryBuilder::new("INSERT INTO search_index (rowid, body) ");
                qb.push_values(chunk.iter().zip(chunk_ids), |mut b, (d, id)| {
                    b.push_bind(org_rowid(*id)).push_bind(org_search_body(d));
                });
                qb
            });
        statements.into_iter().chain(search)
    }

    /// INSERTs of phones and e-mails of organisations or people: (owner id, kind, position,
    /// value).
    pub(crate) fn contact_statements<'a>(
        insert: &'static str,
        rows: &[(i64, &'a str, i64, &'a str)],
    ) -> Vec<QueryBuilder<'a, Sqlite>> {
        rows.chunks(BATCH)
            .map(|chunk| {
                let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(insert);
                qb.push_values(chunk, |mut b, (id, kind, pos, value)| {
                    b.push_bind(*id)
                        .push_bind(*kind)
                        .push_bind(*pos)
                        .push_bind(*value);
                });
                qb
            })
            .collect()
    }

    /// Phones and e-mails of organisations or people: (owner id, kind, position, value).
    pub(crate) async fn insert_contacts(
        tx: &mut SqliteConnection,
        insert: &'static str,
        rows: &[(i64, &str, i64, &str)],
    ) -> Result<()> {
        execute_overlapped(tx, Self::contact_statements(insert, rows).into_iter()).await
    }

    pub(crate) async fn insert_search_rows(
        tx: &mut SqliteConnection,
        rows: &[(i64, String)],
    ) -> Result<()> {
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

    /// An import's (or an undo's) change of an organisation.
    pub(crate) async fn update_organization_in(
        tx: &mut SqliteConnection,
        id: i64,
        d: &OrganizationDraft,
    ) -> Result<()> {
        Self::update_organization_as(tx, id, d, BY_IMPORT).await
    }

    /// Writes the draft over the organisation and raises its revision, so that a form opened
    /// before this write cannot overwrite it unseen.
    pub(crate) async fn update_organization_as(
        tx: &mut SqliteConnection,
        id: i64,
        d: &OrganizationDraft,
        by: &str,
    ) -> Result<()> {
        let stamp = now();
        // Row-value SET (SQLite 3.15+, PostgreSQL) lets the update share the insert's column list.
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("UPDATE organizations SET ({ORG_COLUMNS}) = ("));
        push_org_columns(&mut qb.separated(", "), d, &stamp);
        qb.push("), revision = revision + 1, changed_by = ")
            .push_bind(by)
            .push(" WHERE id = ")
            .push_bind(id);
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

    pub(crate) fn push_org_filters(
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
        if let Some(year) = q.granted_in_year {
            Self::push_granted_in_year(qb, year);
        }
    }

    /// ` AND` the organisation `o` was granted money in `year`: an offer counts in the year its
    /// competition was announced, an art. 19a offer (no competition) in the year it was
    /// submitted, as the cooperation report counts them. The register's filters and mail
    /// segments share it.
    pub(crate) fn push_granted_in_year(qb: &mut QueryBuilder<'_, Sqlite>, year: i32) {
        let (first, last) = year_span(year);
        qb.push(
            " AND EXISTS (SELECT 1 FROM coop_offers g LEFT JOIN coop_competitions gc ON gc.id = g.competition_id
             WHERE g.organization_id = o.id AND g.status = 'granted'
             AND ((g.competition_id IS NOT NULL AND gc.announced_on BETWEEN ",
        )
        .push_bind(first)
        .push(" AND ")
        .push_bind(last)
        .push(") OR (g.competition_id IS NULL AND g.submitted_on BETWEEN ")
        .push_bind(first)
        .push(" AND ")
        .push_bind(last)
        .push(")))");
    }

    pub(crate) fn org_order(q: &OrganizationQuery) -> String {
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
}
