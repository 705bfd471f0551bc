//! PostgreSQL: organisations, their contacts, areas and tags, with the search table kept in
//! step; the same reads and writes as `store/sqlite/register/organizations.rs`.

use super::*;
use crate::error::{Error, Result};
use crate::history::ChangeNote;
use crate::store::postgres::history::write_changes;
use chrono::NaiveDate;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};

#[async_trait::async_trait]
impl OrganizationStore for PgStore {
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
            // Column names come from the fixed list above, never from input. Without an order
            // SQLite answers in id order (its rowid); PostgreSQL has none, so it is asked for.
            let sql = format!(
                "SELECT id, name FROM organizations WHERE {column} = $1 AND id <> $2 ORDER BY id LIMIT 5"
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
                 WHERE c.kind = 'email' AND c.value = $1 AND o.id <> $2 ORDER BY o.id LIMIT 5",
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
        let mut tx = self.pool.begin().await?;
        let ids = Self::insert_organizations_in(&mut tx, drafts, &now(), None).await?;
        tx.commit().await?;
        Ok(ids)
    }

    async fn create_organization(
        &self,
        d: &OrganizationDraft,
        note: &ChangeNote<'_>,
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
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
        let mut tx = self.pool.begin().await?;
        // Locked before the revision and "before" are read: another PC's save waits, so the
        // check holds until this write commits and the logged before/after are this save's own
        // (SQLite's write lock gives that to the file).
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
        let mut tx = self.pool.begin().await?;
        let stamp = archived.then(now);
        let by = Self::signed(&mut tx, note.author).await?;
        let done = sqlx::query(
            "UPDATE organizations SET archived_at = $1, updated_at = $2, revision = revision + 1, changed_by = $3 WHERE id = $4",
        )
        .bind(stamp)
        .bind(now())
        .bind(&by)
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
        // The joined lists in the order SQLite's group_concat reads them: contacts and areas as
        // typed/listed, tags through their (organisation, tag) key, i.e. bytewise.
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
            "SELECT o.name, o.short_name, o.legal_form, o.krs, o.nip, o.regon, o.public_benefit, o.street, o.building,
             o.postal_code, o.city, o.gmina, o.powiat, o.voivodeship,
             (SELECT string_agg(value, '; ' ORDER BY position) FROM organization_contacts c WHERE c.organization_id = o.id AND c.kind = 'phone') AS phones,
             (SELECT string_agg(value, '; ' ORDER BY position) FROM organization_contacts c WHERE c.organization_id = o.id AND c.kind = 'email') AS emails,
             o.website,
             (SELECT string_agg(a.area_code, '; ' ORDER BY s.position) FROM organization_areas a JOIN activity_areas s ON s.code = a.area_code WHERE a.organization_id = o.id) AS areas,
             (SELECT string_agg(tag, '; ' ORDER BY tag) FROM organization_tags t WHERE t.organization_id = o.id) AS tags,
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
        // Roles in the order they were added; open consents by channel code (SQLite reads both
        // through their indexes in that order).
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
            "SELECT p.first_name, p.last_name,
             (SELECT string_agg(value, '; ' ORDER BY position) FROM person_contacts c WHERE c.person_id = p.id AND c.kind = 'email') AS emails,
             (SELECT string_agg(value, '; ' ORDER BY position) FROM person_contacts c WHERE c.person_id = p.id AND c.kind = 'phone') AS phones,
             (SELECT string_agg(o.name || ' (' || r.role || ')', '; ' ORDER BY r.id) FROM person_roles r JOIN organizations o ON o.id = r.organization_id WHERE r.person_id = p.id) AS roles,
             (SELECT string_agg(channel, '; ' ORDER BY channel, k.id) FROM consents k WHERE k.person_id = p.id AND k.withdrawn_on IS NULL) AS consents,
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
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
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
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let items = qb
            .build_query_as::<OrganizationRow>()
            .fetch_all(&self.pool)
            .await?;

        let mut count: QueryBuilder<Postgres> =
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

impl PgStore {
    pub(crate) async fn organization_in(conn: &mut PgConnection, id: i64) -> Result<Organization> {
        let r = sqlx::query(
            "SELECT id, name, short_name, legal_form, krs, nip, regon, public_benefit, street, building, postal_code,
             city, gmina, powiat, voivodeship, website, description, notes, member_since, member_until,
             directory_consent, archived_at, created_at, updated_at, revision, changed_by FROM organizations WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("organizacja"))?;
        let contacts: Vec<(String, String)> = sqlx::query_as(
            "SELECT kind, value FROM organization_contacts WHERE organization_id = $1 ORDER BY kind, position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let areas: Vec<String> = sqlx::query_scalar(
            "SELECT a.area_code FROM organization_areas a JOIN activity_areas s ON s.code = a.area_code
             WHERE a.organization_id = $1 ORDER BY s.position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut tags: Vec<String> = sqlx::query_scalar(
            "SELECT tag FROM organization_tags WHERE organization_id = $1 ORDER BY tag",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        tags.sort_by(|a, b| collation::compare(a, b));
        let mut people: Vec<OrganizationMember> = sqlx::query(
            "SELECT r.id, p.id, p.first_name, p.last_name, r.role FROM person_roles r JOIN people p ON p.id = r.person_id
             WHERE r.organization_id = $1 AND p.archived_at IS NULL ORDER BY r.id",
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

    /// `n` new ids from the table's identity sequence, ascending. Taken up front (not
    /// `MAX(id) + 1` as the single-writer SQLite file does) so that two PCs inserting at once
    /// never pick the same ids, and the children can be written in bulk right after.
    pub(crate) async fn next_ids(
        tx: &mut PgConnection,
        table: &'static str,
        n: usize,
    ) -> Result<Vec<i64>> {
        if n == 0 {
            return Ok(Vec::new());
        }
        let mut ids: Vec<i64> = sqlx::query_scalar(
            "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)",
        )
        .bind(table)
        .bind(n as i64)
        .fetch_all(&mut *tx)
        .await?;
        ids.sort_unstable();
        Ok(ids)
    }

    pub(crate) async fn insert_organizations_in(
        tx: &mut PgConnection,
        drafts: &[OrganizationDraft],
        stamp: &str,
        batch: Option<i64>,
    ) -> Result<Vec<i64>> {
        let ids = Self::next_ids(tx, "organizations", drafts.len()).await?;
        if drafts.len() >= COPY_FROM {
            let mut rows = CopyRows::default();
            for (d, id) in drafts.iter().zip(&ids) {
                rows.int(Some(*id)).text(Some(stamp)).int(batch);
                copy_org_columns(&mut rows, d, stamp);
                rows.end_row();
            }
            rows.send(
                tx,
                &format!("COPY organizations (id, created_at, import_batch_id, {ORG_COLUMNS}) FROM STDIN"),
            )
            .await?;
            Self::insert_org_children(tx, drafts, &ids).await?;
            return Ok(ids);
        }
        for (chunk_no, chunk) in drafts.chunks(PG_BATCH).enumerate() {
            let chunk_ids = &ids[chunk_no * PG_BATCH..chunk_no * PG_BATCH + chunk.len()];
            let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(format!(
                "INSERT INTO organizations (id, created_at, import_batch_id, {ORG_COLUMNS}) "
            ));
            qb.push_values(chunk.iter().zip(chunk_ids), |mut b, (d, id)| {
                b.push_bind(*id).push_bind(stamp).push_bind(batch);
                push_pg_org_columns(&mut b, d, stamp);
            });
            qb.build().execute(&mut *tx).await?;
        }
        Self::insert_org_children(tx, drafts, &ids).await?;
        Ok(ids)
    }

    pub(crate) async fn insert_org_children(
        tx: &mut PgConnection,
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
        Self::insert_pairs(
            tx,
            "organization_areas (organization_id, area_code)",
            &areas,
        )
        .await?;
        Self::insert_pairs(tx, "organization_tags (organization_id, tag)", &tags).await?;
        Self::insert_search_rows(tx, &search).await
    }

    /// Rows of (owner id, text) into `table_columns` ("table (owner, column)").
    pub(crate) async fn insert_pairs(
        tx: &mut PgConnection,
        table_columns: &str,
        rows: &[(i64, &str)],
    ) -> Result<()> {
        if rows.len() >= COPY_FROM {
            let mut copy = CopyRows::default();
            for (id, value) in rows {
                copy.int(Some(*id)).text(Some(value));
                copy.end_row();
            }
            return copy
                .send(tx, &format!("COPY {table_columns} FROM STDIN"))
                .await;
        }
        for chunk in rows.chunks(PG_BATCH) {
            let mut qb: QueryBuilder<Postgres> =
                QueryBuilder::new(format!("INSERT INTO {table_columns} "));
            qb.push_values(chunk, |mut b, (id, value)| {
                b.push_bind(*id).push_bind(*value);
            });
            qb.build().execute(&mut *tx).await?;
        }
        Ok(())
    }

    /// Phones and e-mails of organisations or people: (owner id, kind, position, value).
    pub(crate) async fn insert_contacts(
        tx: &mut PgConnection,
        insert: &'static str,
        rows: &[(i64, &str, i64, &str)],
    ) -> Result<()> {
        if rows.len() >= COPY_FROM {
            let mut copy = CopyRows::default();
            for (id, kind, pos, value) in rows {
                copy.int(Some(*id))
                    .text(Some(kind))
                    .int(Some(*pos))
                    .text(Some(value));
                copy.end_row();
            }
            let into = insert.trim_start_matches("INSERT INTO ").trim_end();
            return copy.send(tx, &format!("COPY {into} FROM STDIN")).await;
        }
        for chunk in rows.chunks(PG_BATCH) {
            let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(insert);
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

    /// An import's (or an undo's) change of an organisation.
    pub(crate) async fn update_organization_in(
        tx: &mut PgConnection,
        id: i64,
        d: &OrganizationDraft,
    ) -> Result<()> {
        Self::update_organization_as(tx, id, d, BY_IMPORT).await
    }

    /// Writes the draft over the organisation and raises its revision, so that a form opened
    /// before this write cannot overwrite it unseen.
    pub(crate) async fn update_organization_as(
        tx: &mut PgConnection,
        id: i64,
        d: &OrganizationDraft,
        by: &str,
    ) -> Result<()> {
        let stamp = now();
        let by = Self::signed(&mut *tx, by).await?;
        let mut qb: QueryBuilder<Postgres> =
            QueryBuilder::new(format!("UPDATE organizations SET ({ORG_COLUMNS}) = ("));
        push_pg_org_columns(&mut qb.separated(", "), d, &stamp);
        qb.push("), revision = revision + 1, changed_by = ")
            .push_bind(&by)
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
            sqlx::query(&format!("DELETE FROM {table} WHERE organization_id = $1"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        Self::delete_search_row(tx, org_rowid(id)).await?;
        Self::insert_org_children(tx, std::slice::from_ref(d), &[id]).await
    }

    pub(crate) fn push_org_filters(
        qb: &mut QueryBuilder<'_, Postgres>,
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
    pub(crate) fn push_granted_in_year(qb: &mut QueryBuilder<'_, Postgres>, year: i32) {
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

    /// The list's order: the stored ICU sort keys (BYTEA, compared bytewise) give Polish order;
    /// text columns are COLLATE "C" in the schema, so they compare bytewise as in SQLite.
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
            OrganizationSort::Created => {
                format!(" ORDER BY o.created_at {dir}, o.id {dir}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{error_of, note, org, Transcript};
    use crate::register::*;
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{HistoryStore, OrganizationStore, ReferenceStore};

    fn names(page: &Page<OrganizationRow>) -> Vec<&str> {
        page.items.iter().map(|r| r.name.as_str()).collect()
    }

    fn query(f: impl FnOnce(&mut OrganizationQuery)) -> OrganizationQuery {
        let mut q = OrganizationQuery {
            limit: 50,
            ..Default::default()
        };
        f(&mut q);
        q
    }

    /// Organisations saved, read, found as duplicates, listed in Polish order page by page,
    /// filtered, changed (with their history), archived and exported.
    async fn organisations_story(
        s: &(impl OrganizationStore + ReferenceStore + HistoryStore),
    ) -> Transcript {
        let mut t = Transcript::default();
        let lokatorzy = org(
            "Łódzkie Stowarzyszenie Lokatorów",
            "Łódź",
            "stowarzyszenie",
            |i| {
                i.nip = "123-456-32-18".into();
                i.emails = "biuro@lokatorzy-lodz.pl".into();
                i.phones = "42 630 11 22".into();
                i.tags = "Seniorzy, mieszkania".into();
                i.areas = vec!["16".into(), "1".into()];
                i.public_benefit = true;
                i.member_since = "01.01.2020".into();
                i.street = "Piotrkowska".into();
            },
        );
        let id = s
            .create_organization(&lokatorzy, &note("Ewa", "name", &lokatorzy.name))
            .await
            .unwrap();
        assert_eq!(id, 1);
        let more = [
            org("Lubelska Fundacja Kultury", "Lublin", "fundacja", |i| {
                i.nip = "5250000009".into();
                i.tags = "kultura".into();
                i.areas = vec!["16".into()];
                i.member_since = "01.01.2020".into();
                i.member_until = "31.12.2021".into();
            }),
            org(
                "Stowarzyszenie Sąsiadów",
                "Szczecin",
                "stowarzyszenie",
                |i| {
                    i.tags = "seniorzy".into();
                },
            ),
            org("Śląski Klub Sportowy", "Świdnik", "klub_sportowy", |_| {}),
            org("Fundacja Ćma", "Kraków", "fundacja", |_| {}),
            org("Fundacja Cebula", "Kraków", "fundacja", |i| {
                i.emails = "biuro@lokatorzy-lodz.pl".into();
            }),
            org("Klub Lodz Biega", "", "klub_sportowy", |_| {}),
        ];
        let ids = s.insert_organizations(&more).await.unwrap();
        assert_eq!(ids, vec![2, 3, 4, 5, 6, 7]);

        let got = s.get_organization(1).await.unwrap();
        assert_eq!(got.nip.as_deref(), Some("1234563218"));
        assert_eq!(got.tags, ["mieszkania", "seniorzy"]);
        assert_eq!(got.areas, ["1", "16"]);
        assert_eq!(got.phones.len(), 1);
        t.add("get", &got);
        t.add("get missing", &error_of(s.get_organization(99).await));

        let same_nip = org("Inna nazwa", "", "fundacja", |i| {
            i.nip = "1234563218".into()
        });
        let dups = s.organization_duplicates(&same_nip, None).await.unwrap();
        assert_eq!(dups.len(), 1);
        assert_eq!((dups[0].id, dups[0].matched_on.as_str()), (1, "NIP"));
        t.add("duplicates nip", &dups);
        t.add(
            "duplicates except itself",
            &s.organization_duplicates(&same_nip, Some(1)).await.unwrap(),
        );
        let by_email = s.organization_duplicates(&more[4], Some(6)).await.unwrap();
        assert_eq!(
            (by_email[0].id, by_email[0].matched_on.as_str()),
            (1, "e-mail")
        );
        t.add("duplicates e-mail", &by_email);

        let polish = [
            "Fundacja Cebula",
            "Fundacja Ćma",
            "Klub Lodz Biega",
            "Lubelska Fundacja Kultury",
            "Łódzkie Stowarzyszenie Lokatorów",
            "Stowarzyszenie Sąsiadów",
            "Śląski Klub Sportowy",
        ];
        let all = s.list_organizations(&query(|_| {})).await.unwrap();
        assert_eq!(names(&all), polish);
        assert_eq!(all.total, 7);
        t.add("list", &all);
        let mut pages = Vec::new();
        for offset in [0, 3, 6] {
            let page = s
                .list_organizations(&query(|q| {
                    q.limit = 3;
                    q.offset = offset;
                }))
                .await
                .unwrap();
            assert_eq!((page.total, page.offset), (7, offset));
            pages.extend(names(&page).into_iter().map(String::from));
            t.add("page", &page);
        }
        assert_eq!(pages, polish);
        let desc = s
            .list_organizations(&query(|q| q.descending = true))
            .await
            .unwrap();
        let mut reversed = polish.to_vec();
        reversed.reverse();
        assert_eq!(names(&desc), reversed);
        let by_city = s
            .list_organizations(&query(|q| q.sort = OrganizationSort::City))
            .await
            .unwrap();
        assert_eq!(
            by_city
                .items
                .iter()
                .map(|r| r.city.as_deref().unwrap_or(""))
                .collect::<Vec<_>>(),
            ["", "Kraków", "Kraków", "Lublin", "Łódź", "Szczecin", "Świdnik"]
        );
        t.add("by city", &by_city);
        for sort in [OrganizationSort::LegalForm, OrganizationSort::Created] {
            for descending in [false, true] {
                let page = s
                    .list_organizations(&query(|q| {
                        q.sort = sort;
                        q.descending = descending;
                    }))
                    .await
                    .unwrap();
                t.add("sorted", &page);
            }
        }
        let filtered = [
            ("city", query(|q| q.city = Some("Łódź".into())), vec![1]),
            (
                "tag",
                query(|q| q.tag = Some("SENIORZY".into())),
                vec![1, 3],
            ),
            ("area", query(|q| q.area = Some("16".into())), vec![2, 1]),
            (
                "form",
                query(|q| q.legal_form = Some("fundacja".into())),
                vec![6, 5, 2],
            ),
            ("opp", query(|q| q.public_benefit = Some(true)), vec![1]),
            ("member", query(|q| q.member = Some(true)), vec![1]),
            (
                "not member",
                query(|q| q.member = Some(false)),
                vec![6, 5, 7, 2, 3, 4],
            ),
        ];
        for (label, q, want) in filtered {
            let page = s.list_organizations(&q).await.unwrap();
            assert_eq!(
                page.items.iter().map(|r| r.id).collect::<Vec<_>>(),
                want,
                "{label}"
            );
            assert_eq!(page.total, want.len() as u64, "{label}");
            t.add(label, &page);
        }
        assert!(all.items.iter().find(|r| r.id == 1).unwrap().member);

        // A change logs every changed field in the same transaction.
        let mut changed = lokatorzy.clone();
        changed.city = Some("Zgierz".into());
        changed.tags = vec!["mieszkania".into()];
        s.update_organization(1, &changed, "Jan", None)
            .await
            .unwrap();
        let after = s.get_organization(1).await.unwrap();
        assert_eq!(after.city.as_deref(), Some("Zgierz"));
        assert_eq!(after.tags, ["mieszkania"]);
        t.add("updated", &after);
        let history = s.changes("organization", 1, 50).await.unwrap();
        assert!(history.iter().any(|c| c.field == "city"
            && c.new_value.as_deref() == Some("Zgierz")
            && c.user_name == "Jan"));
        assert_eq!(history.last().unwrap().user_name, "Ewa");
        t.add("history", &history);
        t.add(
            "update missing",
            &error_of(s.update_organization(99, &changed, "Jan", None).await),
        );

        s.set_organization_archived(3, true, &note("Ewa", "archived", "tak"))
            .await
            .unwrap();
        let active = s.list_organizations(&query(|_| {})).await.unwrap();
        assert_eq!(active.total, 6);
        let archived = s
            .list_organizations(&query(|q| q.archived = true))
            .await
            .unwrap();
        assert_eq!(names(&archived), ["Stowarzyszenie Sąsiadów"]);
        assert!(s.get_organization(3).await.unwrap().archived_at.is_some());
        t.add("archived", &archived);
        t.add("counts", &s.counts().await.unwrap());
        t.add(
            "archive missing",
            &error_of(
                s.set_organization_archived(99, true, &note("Ewa", "archived", "tak"))
                    .await,
            ),
        );

        let export = s.export_organizations(&query(|_| {})).await.unwrap();
        assert_eq!(export.len(), 6);
        let first = export
            .iter()
            .find(|e| e.nip.as_deref() == Some("1234563218"))
            .unwrap();
        assert_eq!(first.areas.as_deref(), Some("1; 16"));
        assert!(first.phones.is_some());
        t.add("export", &export);
        t
    }

    #[tokio::test]
    async fn register_organisations_alike_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let expected = organisations_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            organisations_story(&pg).await.assert_same_as(&expected);
        }
    }
}
