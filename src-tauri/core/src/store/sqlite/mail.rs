//! The store's mail tables: lists and segments, messages and attachments, grant calls, the
//! sending queue, bounces and organisations' e-mail consents. The queue is claimed and settled
//! through `QueueConn`, one connection with `synchronous = FULL`, so a claim is on disk before
//! the SMTP transaction starts and a settled answer survives a power cut.

use super::{now, today, SqliteStore, ORGANIZATION_CONSENTS, PERSON_CONSENTS};
use crate::error::{Error, Result};
use crate::history::ChangeNote;
use crate::mail::*;
use crate::register::Page;
use crate::store::sqlite::history::write_changes;
use crate::store::*;
use chrono::NaiveDate;
use sqlx::pool::PoolConnection;
use sqlx::{QueryBuilder, Row, Sqlite};
use std::collections::HashSet;

const CANDIDATE_ORG: &str = "SELECT o.id AS organization_id, NULL AS person_id, '' AS first_name, '' AS last_name, o.name AS organization,
    COALESCE(o.city, '') AS city,
    (SELECT c.value FROM organization_contacts c WHERE c.organization_id = o.id AND c.kind = 'email' ORDER BY c.position LIMIT 1) AS email,
    CASE WHEN EXISTS (SELECT 1 FROM organization_consents k WHERE k.organization_id = o.id AND k.channel = 'email_bulletin' AND k.withdrawn_on IS NULL) THEN 1
         WHEN EXISTS (SELECT 1 FROM organization_consents k WHERE k.organization_id = o.id AND k.channel = 'email_bulletin') THEN 2 ELSE 0 END AS consent,
    o.archived_at IS NOT NULL AS archived";

const CANDIDATE_PERSON: &str = "SELECT NULL AS organization_id, p.id AS person_id, p.first_name, p.last_name, COALESCE(o.name, '') AS organization,
    COALESCE(o.city, '') AS city,
    (SELECT c.value FROM person_contacts c WHERE c.person_id = p.id AND c.kind = 'email' ORDER BY c.position LIMIT 1) AS email,
    CASE WHEN EXISTS (SELECT 1 FROM consents k WHERE k.person_id = p.id AND k.channel = 'email_bulletin' AND k.withdrawn_on IS NULL) THEN 1
         WHEN EXISTS (SELECT 1 FROM consents k WHERE k.person_id = p.id AND k.channel = 'email_bulletin') THEN 2 ELSE 0 END AS consent,
    p.archived_at IS NOT NULL AS archived";

fn push_segment_filters(qb: &mut QueryBuilder<'_, Sqlite>, s: &Segment, today: NaiveDate) {
    if !s.areas.is_empty() {
        qb.push(" AND EXISTS (SELECT 1 FROM organization_areas a WHERE a.organization_id = o.id AND a.area_code IN (");
        let mut sep = qb.separated(", ");
        for a in &s.areas {
            sep.push_bind(a.clone());
        }
        qb.push("))");
    }
    if !s.legal_forms.is_empty() {
        qb.push(" AND o.legal_form IN (");
        let mut sep = qb.separated(", ");
        for f in &s.legal_forms {
            sep.push_bind(f.clone());
        }
        qb.push(")");
    }
    if !s.city.is_empty() {
        qb.push(" AND o.city = ").push_bind(s.city.clone());
    }
    if !s.powiat.is_empty() {
        qb.push(" AND o.powiat = ").push_bind(s.powiat.clone());
    }
    if !s.tag.is_empty() {
        qb.push(" AND EXISTS (SELECT 1 FROM organization_tags t WHERE t.organization_id = o.id AND t.tag = ").push_bind(s.tag.to_lowercase()).push(")");
    }
    if s.public_benefit_only {
        qb.push(" AND o.public_benefit = 1");
    }
    if s.members_only {
        qb.push(" AND o.member_since IS NOT NULL AND o.member_since <= ")
            .push_bind(today)
            .push(" AND (o.member_until IS NULL OR o.member_until >= ")
            .push_bind(today)
            .push(")");
    }
    if let Some(year) = s.granted_in_year {
        SqliteStore::push_granted_in_year(qb, year);
    }
}

#[async_trait::async_trait]
impl MailStore for SqliteStore {
    // ----- lists and segments ------------------------------------------------------------

    async fn segment_candidates(&self, s: &Segment) -> Result<Vec<Candidate>> {
        let mut qb: QueryBuilder<Sqlite> = match s.audience {
            Audience::Organizations => {
                let mut qb = QueryBuilder::new(CANDIDATE_ORG);
                qb.push(" FROM organizations o WHERE o.archived_at IS NULL");
                qb
            }
            Audience::People => {
                let mut qb = QueryBuilder::new(CANDIDATE_PERSON);
                qb.push(" FROM people p LEFT JOIN person_roles r ON r.person_id = p.id LEFT JOIN organizations o ON o.id = r.organization_id WHERE p.archived_at IS NULL");
                if !s.role.is_empty() {
                    qb.push(" AND LOWER(r.role) = LOWER(")
                        .push_bind(s.role.clone())
                        .push(")");
                }
                qb
            }
        };
        push_segment_filters(&mut qb, s, today());
        qb.push(match s.audience {
            Audience::Organizations => " ORDER BY o.name_key, o.id",
            Audience::People => " ORDER BY p.name_key, p.id, r.id",
        });
        Ok(qb.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn static_list_candidates(&self, list_id: i64) -> Result<Vec<Candidate>> {
        let orgs = format!("{CANDIDATE_ORG} FROM mailing_list_members m JOIN organizations o ON o.id = m.organization_id WHERE m.list_id = ? ORDER BY o.name_key, o.id");
        let people = format!(
            "{CANDIDATE_PERSON} FROM mailing_list_members m JOIN people p ON p.id = m.person_id
             LEFT JOIN person_roles r ON r.id = (SELECT MIN(r2.id) FROM person_roles r2 WHERE r2.person_id = p.id)
             LEFT JOIN organizations o ON o.id = r.organization_id WHERE m.list_id = ? ORDER BY p.name_key, p.id"
        );
        let mut all: Vec<Candidate> = sqlx::query_as(&orgs)
            .bind(list_id)
            .fetch_all(&self.pool)
            .await?;
        all.extend(
            sqlx::query_as::<_, Candidate>(&people)
                .bind(list_id)
                .fetch_all(&self.pool)
                .await?,
        );
        Ok(all)
    }

    async fn bounced_addresses(&self) -> Result<HashSet<String>> {
        let rows: Vec<String> = sqlx::query_scalar("SELECT address FROM mail_bounces")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().collect())
    }

    async fn mailing_lists(&self) -> Result<Vec<MailingList>> {
        let rows = sqlx::query(
            "SELECT l.id, l.name, l.segment, l.updated_at, (SELECT COUNT(*) FROM mailing_list_members m WHERE m.list_id = l.id) AS members
             FROM mailing_lists l ORDER BY l.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(list_from_row).collect()
    }

    async fn mailing_list(&self, id: i64) -> Result<MailingList> {
        let row = sqlx::query(
            "SELECT l.id, l.name, l.segment, l.updated_at, (SELECT COUNT(*) FROM mailing_list_members m WHERE m.list_id = l.id) AS members
             FROM mailing_lists l WHERE l.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound("lista"))?;
        list_from_row(row)
    }

    async fn mailing_list_id(&self, name: &str) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM mailing_lists WHERE name = ?")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn delete_mailing_list(&self, id: i64) -> Result<()> {
        self.delete_by_id("mailing_lists", id, "lista").await
    }

    async fn add_list_members(
        &self,
        list_id: i64,
        organizations: &[i64],
        people: &[i64],
    ) -> Result<usize> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut added = 0;
        for id in organizations {
            added += sqlx::query("INSERT INTO mailing_list_members (list_id, organization_id) SELECT ?, id FROM organizations WHERE id = ? ON CONFLICT DO NOTHING")
                .bind(list_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected() as usize;
        }
        for id in people {
            added += sqlx::query("INSERT INTO mailing_list_members (list_id, person_id) SELECT ?, id FROM people WHERE id = ? ON CONFLICT DO NOTHING")
                .bind(list_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected() as usize;
        }
        sqlx::query("UPDATE mailing_lists SET updated_at = ? WHERE id = ?")
            .bind(now())
            .bind(list_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn list_members(
        &self,
        list_id: i64,
        offset: u32,
        limit: u32,
    ) -> Result<Page<(Option<i64>, Option<i64>, String)>> {
        let items: Vec<(Option<i64>, Option<i64>, String)> = sqlx::query_as(
            "SELECT m.organization_id, m.person_id, COALESCE(o.name, p.last_name || ' ' || p.first_name) AS name
             FROM mailing_list_members m LEFT JOIN organizations o ON o.id = m.organization_id LEFT JOIN people p ON p.id = m.person_id
             WHERE m.list_id = ? ORDER BY m.person_id IS NOT NULL, COALESCE(o.name_key, p.name_key) LIMIT ? OFFSET ?",
        )
        .bind(list_id)
        .bind(limit.clamp(1, 500))
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM mailing_list_members WHERE list_id = ?")
                .bind(list_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(Page {
            items,
            total: total as u64,
            offset,
        })
    }

    // ----- messages ----------------------------------------------------------------------

    async fn insert_message(&self, m: &MessageInput, grant_call_id: Option<i64>) -> Result<i64> {
        let stamp = now();
        Ok(sqlx::query(
            "INSERT INTO mail_messages (kind, is_template, subject, body, list_id, grant_call_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(m.kind.code())
        .bind(m.is_template)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(m.list_id)
        .bind(grant_call_id)
        .bind(&stamp)
        .bind(&stamp)
        .execute(&self.pool)
        .await?
        .last_insert_rowid())
    }

    async fn update_message(&self, id: i64, m: &MessageInput) -> Result<()> {
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM mail_messages WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        match status.as_deref() {
            None => return Err(Error::NotFound("wiadomość")),
            Some("draft") => {}
            Some(_) => return Err(Error::BadArgument("Ta wiadomość jest już wysyłana lub wysłana: jej treść się nie zmienia. Skopiuj ją, aby wysłać nową.".into())),
        }
        sqlx::query("UPDATE mail_messages SET kind = ?, is_template = ?, subject = ?, body = ?, list_id = ?, updated_at = ? WHERE id = ?")
            .bind(m.kind.code())
            .bind(m.is_template)
            .bind(&m.subject)
            .bind(&m.body)
            .bind(m.list_id)
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn get_message(&self, id: i64) -> Result<MailMessage> {
        let r = sqlx::query("SELECT * FROM mail_messages WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("wiadomość"))?;
        let attachments: Vec<AttachmentInfo> =
            sqlx::query_as("SELECT id, file_name, content_type, LENGTH(data) AS size FROM mail_attachments WHERE message_id = ? ORDER BY id")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        Ok(MailMessage {
            id,
            kind: MessageKind::from_code(r.try_get::<String, _>("kind")?.as_str()),
            is_template: r.try_get("is_template")?,
            subject: r.try_get("subject")?,
            body: r.try_get("body")?,
            list_id: r.try_get("list_id")?,
            list_name: r.try_get("list_name")?,
            grant_call_id: r.try_get("grant_call_id")?,
            status: r.try_get("status")?,
            skipped_no_consent: r.try_get("skipped_no_consent")?,
            skipped_other: r.try_get("skipped_other")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
            queued_at: r.try_get("queued_at")?,
            finished_at: r.try_get("finished_at")?,
            attachments,
            counts: self.queue_counts(id).await?,
        })
    }

    async fn list_messages(&self, q: &MessageQuery) -> Result<Page<MessageRow>> {
        let filter = match q.folder.as_str() {
            "templates" => "m.is_template = 1",
            "sent" => "m.is_template = 0 AND m.status <> 'draft'",
            _ => "m.is_template = 0 AND m.status = 'draft'",
        };
        let order = if q.folder == "sent" {
            "m.queued_at DESC, m.id DESC"
        } else {
            "m.updated_at DESC, m.id DESC"
        };
        let sql = format!(
            "SELECT m.id, m.kind, m.is_template, m.subject, COALESCE(m.list_name, l.name) AS list_name, m.status, m.updated_at, m.queued_at,
               (SELECT COUNT(*) FROM mail_queue x WHERE x.message_id = m.id AND x.status = 'sent') AS sent,
               (SELECT COUNT(*) FROM mail_queue x WHERE x.message_id = m.id) AS total
             FROM mail_messages m LEFT JOIN mailing_lists l ON l.id = m.list_id WHERE {filter} ORDER BY {order} LIMIT ? OFFSET ?"
        );
        let items = sqlx::query_as(&sql)
            .bind(q.limit.clamp(1, 200))
            .bind(q.offset)
            .fetch_all(&self.pool)
            .await?;
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM mail_messages m WHERE {filter}"
        ))
        .fetch_one(&self.pool)
        .await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }

    async fn delete_message(&self, id: i64) -> Result<()> {
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM mail_messages WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        match status.as_deref() {
            None => Err(Error::NotFound("wiadomość")),
            Some("draft") => self.delete_by_id("mail_messages", id, "wiadomość").await,
            Some(_) => Err(Error::BadArgument(
                "Wysłanej wiadomości nie usuwa się: zostaje w historii korespondencji.".into(),
            )),
        }
    }

    async fn delete_attachment(&self, id: i64) -> Result<()> {
        self.delete_by_id("mail_attachments", id, "załącznik").await
    }

    async fn copy_attachments(&self, from: i64, to: i64) -> Result<()> {
        sqlx::query("INSERT INTO mail_attachments (message_id, file_name, content_type, data) SELECT ?, file_name, content_type, data FROM mail_attachments WHERE message_id = ? ORDER BY id")
            .bind(to)
            .bind(from)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn attachment_data(&self, message_id: i64) -> Result<Vec<(String, String, Vec<u8>)>> {
        Ok(sqlx::query_as("SELECT file_name, content_type, data FROM mail_attachments WHERE message_id = ? ORDER BY id").bind(message_id).fetch_all(&self.pool).await?)
    }

    async fn resume_paused(&self) -> Result<u64> {
        Ok(sqlx::query(
            "UPDATE mail_messages SET status = 'sending', updated_at = ? WHERE status = 'paused'",
        )
        .bind(now())
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    async fn sending_messages(&self) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM mail_messages WHERE status = 'sending' ORDER BY queued_at, id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn requeue(
        &self,
        message_id: i64,
        statuses: &[&str],
        ids: Option<&[i64]>,
    ) -> Result<u64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "UPDATE mail_queue SET status = 'queued', attempts = 0, updated_at = ",
        );
        qb.push_bind(now())
            .push(" WHERE message_id = ")
            .push_bind(message_id)
            .push(" AND status IN (");
        let mut sep = qb.separated(", ");
        for s in statuses {
            sep.push_bind(s.to_string());
        }
        qb.push(")");
        if let Some(ids) = ids {
            qb.push(" AND id IN (");
            let mut sep = qb.separated(", ");
            for id in ids {
                sep.push_bind(*id);
            }
            qb.push(")");
        }
        let n = qb.build().execute(&mut *tx).await?.rows_affected();
        if n > 0 {
            sqlx::query("UPDATE mail_messages SET status = 'sending', finished_at = NULL, updated_at = ? WHERE id = ? AND status IN ('done', 'paused')")
                .bind(now())
                .bind(message_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    async fn mark_uncertain_sent(&self, message_id: i64, ids: Option<&[i64]>) -> Result<u64> {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("UPDATE mail_queue SET status = 'sent', reply = 'uznane za wysłane przez użytkownika', updated_at = ");
        qb.push_bind(now())
            .push(" WHERE message_id = ")
            .push_bind(message_id)
            .push(" AND status = 'uncertain'");
        if let Some(ids) = ids {
            qb.push(" AND id IN (");
            let mut sep = qb.separated(", ");
            for id in ids {
                sep.push_bind(*id);
            }
            qb.push(")");
        }
        Ok(qb.build().execute(&self.pool).await?.rows_affected())
    }

    async fn queue_conn(&self) -> Result<Box<dyn SendingQueue>> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("PRAGMA synchronous = FULL")
            .execute(&mut *conn)
            .await?;
        Ok(Box::new(QueueConn {
            conn,
            db: self.path.clone(),
            sender_lock: None,
        }))
    }

    // ----- bounces, unsubscriptions, history ---------------------------------------------

    async fn record_bounce(&self, address: &str, reply: &str) -> Result<()> {
        sqlx::query("INSERT INTO mail_bounces (address, bounced_at, reply) VALUES (?, ?, ?) ON CONFLICT (address) DO UPDATE SET bounced_at = excluded.bounced_at, reply = excluded.reply")
            .bind(address.to_lowercase())
            .bind(now())
            .bind(reply)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn remove_bounce(&self, address: &str) -> Result<()> {
        sqlx::query("DELETE FROM mail_bounces WHERE address = ?")
            .bind(address.to_lowercase())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn bounces(&self, offset: u32, limit: u32) -> Result<Page<(String, String, String)>> {
        let items = sqlx::query_as("SELECT address, bounced_at, reply FROM mail_bounces ORDER BY bounced_at DESC LIMIT ? OFFSET ?")
            .bind(limit.clamp(1, 500))
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mail_bounces")
            .fetch_one(&self.pool)
            .await?;
        Ok(Page {
            items,
            total: total as u64,
            offset,
        })
    }

    // ----- organisations' e-mail consent -------------------------------------------------

    async fn organization_consents(
        &self,
        organization_id: i64,
    ) -> Result<Vec<crate::register::Consent>> {
        Ok(sqlx::query_as(
            "SELECT id, channel, granted_on, source, withdrawn_on, withdrawal_source, recorded_at FROM organization_consents WHERE organization_id = ? ORDER BY granted_on DESC, id DESC",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn insert_organization_consents(
        &self,
        rows: &[(i64, NaiveDate, Option<NaiveDate>)],
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let stamp = now();
        for chunk in rows.chunks(super::BATCH) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO organization_consents (organization_id, channel, granted_on, source, withdrawn_on, withdrawal_source, recorded_at) ");
            qb.push_values(chunk, |mut b, (org, granted, withdrawn)| {
                b.push_bind(*org)
                    .push_bind("email_bulletin")
                    .push_bind(*granted)
                    .push_bind("formularz zgłoszeniowy")
                    .push_bind(*withdrawn)
                    .push_bind(withdrawn.map(|_| "wypisanie z listy"))
                    .push_bind(&stamp);
            });
            qb.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    // ----- grant calls -------------------------------------------------------------------

    async fn save_grant_call(&self, id: Option<i64>, d: &GrantCallDraft) -> Result<i64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let stamp = now();
        let id = match id {
            Some(id) => {
                let n = sqlx::query("UPDATE grant_calls SET funder = ?, title = ?, deadline = ?, amount = ?, link = ?, notes = ?, updated_at = ? WHERE id = ?")
                    .bind(&d.funder)
                    .bind(&d.title)
                    .bind(d.deadline)
                    .bind(&d.amount)
                    .bind(&d.link)
                    .bind(&d.notes)
                    .bind(&stamp)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(Error::NotFound("konkurs"));
                }
                sqlx::query("DELETE FROM grant_call_areas WHERE grant_call_id = ?").bind(id).execute(&mut *tx).await?;
                id
            }
            None => sqlx::query("INSERT INTO grant_calls (funder, title, deadline, amount, link, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(&d.funder)
                .bind(&d.title)
                .bind(d.deadline)
                .bind(&d.amount)
                .bind(&d.link)
                .bind(&d.notes)
                .bind(&stamp)
                .bind(&stamp)
                .execute(&mut *tx)
                .await?
                .last_insert_rowid(),
        };
        for a in &d.areas {
            sqlx::query("INSERT INTO grant_call_areas (grant_call_id, area_code) VALUES (?, ?)")
                .bind(id)
                .bind(a)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn get_grant_call(&self, id: i64) -> Result<GrantCall> {
        let r = sqlx::query("SELECT * FROM grant_calls WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("konkurs"))?;
        let areas: Vec<String> = sqlx::query_scalar("SELECT g.area_code FROM grant_call_areas g JOIN activity_areas a ON a.code = g.area_code WHERE g.grant_call_id = ? ORDER BY a.position")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let messages: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM mail_messages WHERE grant_call_id = ? ORDER BY id")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        Ok(GrantCall {
            id,
            funder: r.try_get("funder")?,
            title: r.try_get("title")?,
            deadline: r.try_get("deadline")?,
            amount: r.try_get("amount")?,
            link: r.try_get("link")?,
            notes: r.try_get("notes")?,
            areas,
            created_at: r.try_get("created_at")?,
            messages,
        })
    }

    async fn grant_calls(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<Page<(i64, String, String, NaiveDate)>> {
        let items = sqlx::query_as(
            "SELECT id, funder, title, deadline FROM grant_calls ORDER BY deadline < ?, CASE WHEN deadline < ? THEN NULL ELSE deadline END, deadline DESC, id LIMIT ? OFFSET ?",
        )
        .bind(today())
        .bind(today())
        .bind(limit.clamp(1, 200))
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM grant_calls")
            .fetch_one(&self.pool)
            .await?;
        Ok(Page {
            items,
            total: total as u64,
            offset,
        })
    }

    async fn delete_grant_call(&self, id: i64) -> Result<()> {
        self.delete_by_id("grant_calls", id, "konkurs").await
    }

    async fn save_mailing_list(
        &self,
        id: Option<i64>,
        name: &str,
        segment: Option<&Segment>,
    ) -> Result<i64> {
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM mailing_lists WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        if taken.is_some() && taken != id {
            return Err(Error::invalid(
                "name",
                "Lista o tej nazwie już jest. Wybierz inną nazwę.",
            ));
        }
        let segment_json =
            segment.map(|s| serde_json::to_string(s).expect("a segment always serialises"));
        match id {
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE mailing_lists SET name = ?, segment = ?, updated_at = ? WHERE id = ?",
                )
                .bind(name)
                .bind(segment_json)
                .bind(now())
                .bind(id)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(Error::NotFound("lista"));
                }
                Ok(id)
            }
            None => {
                let stamp = now();
                Ok(sqlx::query("INSERT INTO mailing_lists (name, segment, created_at, updated_at) VALUES (?, ?, ?, ?)")
                    .bind(name)
                    .bind(segment_json)
                    .bind(&stamp)
                    .bind(&stamp)
                    .execute(&self.pool)
                    .await?
                    .last_insert_rowid())
            }
        }
    }

    async fn remove_list_member(
        &self,
        list_id: i64,
        organization_id: Option<i64>,
        person_id: Option<i64>,
    ) -> Result<()> {
        sqlx::query("DELETE FROM mailing_list_members WHERE list_id = ? AND (organization_id = ? OR person_id = ?)")
            .bind(list_id)
            .bind(organization_id)
            .bind(person_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn add_attachment(
        &self,
        message_id: i64,
        file_name: &str,
        content_type: &str,
        data: &[u8],
    ) -> Result<i64> {
        Ok(sqlx::query("INSERT INTO mail_attachments (message_id, file_name, content_type, data) VALUES (?, ?, ?, ?)")
            .bind(message_id)
            .bind(file_name)
            .bind(content_type)
            .bind(data)
            .execute(&self.pool)
            .await?
            .last_insert_rowid())
    }

    // ----- the queue ---------------------------------------------------------------------

    async fn enqueue(
        &self,
        message_id: i64,
        list_name: &str,
        recipients: &[Recipient],
        skipped_no_consent: usize,
        skipped_other: usize,
    ) -> Result<usize> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let stamp = now();
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM mail_messages WHERE id = ?")
                .bind(message_id)
                .fetch_optional(&mut *tx)
                .await?;
        if status.as_deref() != Some("draft") {
            return Err(Error::BadArgument(
                "Ta wiadomość jest już w kolejce lub wysłana.".into(),
            ));
        }
        let mut queued = 0;
        for chunk in recipients.chunks(super::BATCH) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO mail_queue (message_id, organization_id, person_id, address, recipient_name, merge_fields, updated_at) ");
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(message_id)
                    .push_bind(r.organization_id)
                    .push_bind(r.person_id)
                    .push_bind(&r.address)
                    .push_bind(&r.name)
                    .push_bind(serde_json::to_string(&r.values).expect("merge values serialise"))
                    .push_bind(&stamp);
            });
            qb.push(" ON CONFLICT DO NOTHING");
            queued += qb.build().execute(&mut *tx).await?.rows_affected() as usize;
        }
        sqlx::query(
            "UPDATE mail_messages SET status = 'sending', list_name = ?, skipped_no_consent = ?, skipped_other = ?, queued_at = ?, updated_at = ? WHERE id = ?",
        )
        .bind(list_name)
        .bind(skipped_no_consent as i64)
        .bind(skipped_other as i64)
        .bind(&stamp)
        .bind(&stamp)
        .bind(message_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(queued)
    }

    async fn queue_rows(
        &self,
        message_id: i64,
        status: Option<&str>,
        offset: u32,
        limit: u32,
    ) -> Result<Page<QueueRow>> {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT id, organization_id, person_id, address, recipient_name, status, attempts, reply, updated_at FROM mail_queue WHERE message_id = ",
        );
        qb.push_bind(message_id);
        if let Some(s) = status.filter(|s| !s.is_empty()) {
            qb.push(" AND status = ").push_bind(s.to_string());
        }
        qb.push(" ORDER BY id LIMIT ")
            .push_bind(limit.clamp(1, 500))
            .push(" OFFSET ")
            .push_bind(offset);
        let items = qb.build_query_as().fetch_all(&self.pool).await?;
        let mut count: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT COUNT(*) FROM mail_queue WHERE message_id = ");
        count.push_bind(message_id);
        if let Some(s) = status.filter(|s| !s.is_empty()) {
            count.push(" AND status = ").push_bind(s.to_string());
        }
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset,
        })
    }

    async fn set_message_status(&self, id: i64, from: &[&str], to: &str) -> Result<bool> {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("UPDATE mail_messages SET status = ");
        qb.push_bind(to.to_string())
            .push(", updated_at = ")
            .push_bind(now());
        if to == "done" {
            qb.push(", finished_at = ").push_bind(now());
        }
        qb.push(" WHERE id = ")
            .push_bind(id)
            .push(" AND status IN (");
        let mut sep = qb.separated(", ");
        for f in from {
            sep.push_bind(f.to_string());
        }
        qb.push(")");
        Ok(qb.build().execute(&self.pool).await?.rows_affected() > 0)
    }

    async fn withdraw_email_consents_for(
        &self,
        address: &str,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<RemovalOutcome> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let address = address.to_lowercase();
        let people: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT person_id FROM person_contacts WHERE kind = 'email' AND LOWER(value) = ?")
            .bind(&address)
            .fetch_all(&mut *tx)
            .await?;
        let orgs: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT organization_id FROM organization_contacts WHERE kind = 'email' AND LOWER(value) = ?")
            .bind(&address)
            .fetch_all(&mut *tx)
            .await?;
        let mut withdrawn = 0;
        let mut withdrawn_for = Vec::new();
        for (t, kind, ids) in [
            (&PERSON_CONSENTS, "person", &people),
            (&ORGANIZATION_CONSENTS, "organization", &orgs),
        ] {
            let sql = format!("UPDATE {} SET withdrawn_on = ?, withdrawal_source = ? WHERE {} = ? AND channel = 'email_bulletin' AND withdrawn_on IS NULL", t.table, t.owner_column);
            for id in ids {
                let n = sqlx::query(&sql)
                    .bind(today())
                    .bind(source)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected() as usize;
                if n > 0 {
                    write_changes(&mut tx, kind, *id, note.author, &note.rows).await?;
                    withdrawn_for.push((kind, *id));
                }
                withdrawn += n;
            }
        }
        tx.commit().await?;
        Ok(RemovalOutcome {
            people: people.len(),
            organizations: orgs.len(),
            consents_withdrawn: withdrawn,
            withdrawn_for,
        })
    }

    async fn mail_history(
        &self,
        organization_id: Option<i64>,
        person_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<MailHistoryRow>> {
        Ok(sqlx::query_as(
            "SELECT q.message_id, m.subject, q.address, q.status, q.reply, q.updated_at FROM mail_queue q JOIN mail_messages m ON m.id = q.message_id
             WHERE q.organization_id = ? OR q.person_id = ? ORDER BY q.updated_at DESC, q.id DESC LIMIT ?",
        )
        .bind(organization_id)
        .bind(person_id)
        .bind(limit.clamp(1, 500))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn grant_organization_consent(
        &self,
        organization_id: i64,
        date: NaiveDate,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<i64> {
        self.grant_consent_of(
            &ORGANIZATION_CONSENTS,
            organization_id,
            "email_bulletin",
            date,
            source,
            note,
        )
        .await
    }

    async fn withdraw_organization_consent(
        &self,
        consent_id: i64,
        date: NaiveDate,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<()> {
        self.withdraw_consent_of(&ORGANIZATION_CONSENTS, consent_id, date, source, note)
            .await
    }
}

impl SqliteStore {
    pub async fn queue_counts(&self, message_id: i64) -> Result<QueueCounts> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) FROM mail_queue WHERE message_id = ? GROUP BY status",
        )
        .bind(message_id)
        .fetch_all(&self.pool)
        .await?;
        let mut c = QueueCounts::default();
        for (status, n) in rows {
            match status.as_str() {
                "queued" => c.queued = n,
                "sending" => c.sending = n,
                "sent" => c.sent = n,
                "failed" => c.failed = n,
                _ => c.uncertain = n,
            }
        }
        Ok(c)
    }
}

fn list_from_row(row: sqlx::sqlite::SqliteRow) -> Result<MailingList> {
    let segment: Option<String> = row.try_get("segment")?;
    Ok(MailingList {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        segment: segment.and_then(|s| serde_json::from_str(&s).ok()),
        members: row.try_get("members")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The sending loop's own connection (see the module note).
pub struct QueueConn {
    conn: PoolConnection<Sqlite>,
    db: std::path::PathBuf,
    /// `<db>.mail-lock`, held while this queue sends: one sender per file (see the module note).
    sender_lock: Option<std::fs::File>,
}

#[async_trait::async_trait]
impl SendingQueue for QueueConn {
    async fn mark_interrupted(&mut self) -> Result<u64> {
        Ok(sqlx::query("UPDATE mail_queue SET status = 'uncertain', reply = 'przerwano w trakcie wysyłania — sprawdź w folderze Wysłane', updated_at = ? WHERE status = 'sending'")
            .bind(now())
            .execute(&mut *self.conn)
            .await?
            .rows_affected())
    }

    // One sender for the whole file (the queue's rows are claimed without row locks), held by
    // a lock beside it that the OS lets go when the process ends or dies.
    async fn hold_campaigns(&mut self, message_ids: &[i64]) -> Result<Vec<i64>> {
        if self.sender_lock.is_none() {
            let mut path = self.db.as_os_str().to_owned();
            path.push(".mail-lock");
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(std::path::PathBuf::from(path))?;
            match file.try_lock() {
                Ok(()) => self.sender_lock = Some(file),
                Err(std::fs::TryLockError::WouldBlock) => return Err(Error::Busy(
                    "Wysyłka już trwa w innym oknie programu albo w wierszu poleceń. Poczekaj, aż się skończy.".into(),
                )),
                Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
            }
        }
        Ok(message_ids.to_vec())
    }

    async fn claim_next(&mut self, only: Option<i64>) -> Result<Option<Claimed>> {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "UPDATE mail_queue SET status = 'sending', attempts = attempts + 1, updated_at = ",
        );
        qb.push_bind(now()).push(
            " WHERE id = (SELECT q.id FROM mail_queue q JOIN mail_messages m ON m.id = q.message_id WHERE q.status = 'queued' AND m.status = 'sending'",
        );
        if let Some(id) = only {
            qb.push(" AND q.message_id = ").push_bind(id);
        }
        qb.push(" ORDER BY q.message_id, q.id LIMIT 1) AND status = 'queued' RETURNING id, message_id, address, recipient_name, merge_fields, attempts");
        Ok(qb.build_query_as().fetch_optional(&mut *self.conn).await?)
    }

    async fn settle(&mut self, id: i64, status: &str, reply: &str) -> Result<()> {
        sqlx::query("UPDATE mail_queue SET status = ?, reply = ?, updated_at = ? WHERE id = ?")
            .bind(status)
            .bind(reply)
            .bind(now())
            .bind(id)
            .execute(&mut *self.conn)
            .await?;
        Ok(())
    }

    async fn finish_messages(&mut self) -> Result<()> {
        sqlx::query(
            "UPDATE mail_messages SET status = 'done', finished_at = ?, updated_at = ? WHERE status = 'sending'
             AND NOT EXISTS (SELECT 1 FROM mail_queue q WHERE q.message_id = mail_messages.id AND q.status IN ('queued', 'sending'))",
        )
        .bind(now())
        .bind(now())
        .execute(&mut *self.conn)
        .await?;
        Ok(())
    }

    async fn pause_all(&mut self, only: Option<i64>) -> Result<()> {
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("UPDATE mail_messages SET status = 'paused', updated_at = ");
        qb.push_bind(now()).push(" WHERE status = 'sending'");
        if let Some(id) = only {
            qb.push(" AND id = ").push_bind(id);
        }
        qb.build().execute(&mut *self.conn).await?;
        Ok(())
    }

    async fn counts_for(&mut self, message_ids: &[i64]) -> Result<QueueCounts> {
        let mut c = QueueCounts::default();
        for id in message_ids {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "SELECT status, COUNT(*) FROM mail_queue WHERE message_id = ? GROUP BY status",
            )
            .bind(id)
            .fetch_all(&mut *self.conn)
            .await?;
            for (status, n) in rows {
                match status.as_str() {
                    "queued" => c.queued += n,
                    "sending" => c.sending += n,
                    "sent" => c.sent += n,
                    "failed" => c.failed += n,
                    _ => c.uncertain += n,
                }
            }
        }
        Ok(c)
    }
}
