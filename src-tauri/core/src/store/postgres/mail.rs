//! PostgreSQL: the mail tables (lists, messages, attachments, grant calls, the sending queue,
//! bounces, organisations' e-mail consents), giving the same results as `store/sqlite/mail.rs`.
//! The difference is the queue: several PCs may send at once, so a row is claimed with
//! `FOR UPDATE SKIP LOCKED` (two senders never take one row) and held by a session advisory
//! lock while its SMTP transaction runs; a row left 'sending' without that lock belongs to a
//! sender that died, and only such rows become 'uncertain' (never a live colleague's). A whole
//! campaign is held by one sender at a time with another session lock (`hold_campaigns`).

use super::history::write_changes;
use super::PgStore;
use crate::error::{Error, Result};
use crate::history::ChangeNote;
use crate::mail::*;
use crate::register::Page;
use crate::store::sqlite::{now, today, ORGANIZATION_CONSENTS, PERSON_CONSENTS};
use crate::store::*;
use chrono::NaiveDate;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};
use std::collections::HashSet;

/// Rows per multi-row INSERT: seven binds a queue row, far under PostgreSQL's 65,535.
const BATCH: usize = 1_000;

/// The first key of the advisory locks held on claimed queue rows (the second is the row id):
/// its own namespace, so no other lock of the program can be mistaken for a sender's claim.
const CLAIM_LOCK: i32 = 0x4B4D_5131;

/// The first key of the advisory lock a sender holds on each campaign it sends (the second is
/// the campaign's id, folded as `claim_key`): one sender per campaign across PCs.
const CAMPAIGN_LOCK: i32 = 0x4B4D_4331;

/// The second key of a claim's lock: the row id folded into a non-negative `int4` (the same
/// fold as `(q.id % 2147483648)` in `mark_interrupted`).
fn claim_key(id: i64) -> i32 {
    (id % 2_147_483_648) as i32
}

const CANDIDATE_ORG: &str = "SELECT o.id AS organization_id, NULL::BIGINT AS person_id, '' AS first_name, '' AS last_name, o.name AS organization,
    COALESCE(o.city, '') AS city,
    (SELECT c.value FROM organization_contacts c WHERE c.organization_id = o.id AND c.kind = 'email' ORDER BY c.position LIMIT 1) AS email,
    (CASE WHEN EXISTS (SELECT 1 FROM organization_consents k WHERE k.organization_id = o.id AND k.channel = 'email_bulletin' AND k.withdrawn_on IS NULL) THEN 1
         WHEN EXISTS (SELECT 1 FROM organization_consents k WHERE k.organization_id = o.id AND k.channel = 'email_bulletin') THEN 2 ELSE 0 END)::BIGINT AS consent,
    o.archived_at IS NOT NULL AS archived";

const CANDIDATE_PERSON: &str = "SELECT NULL::BIGINT AS organization_id, p.id AS person_id, p.first_name, p.last_name, COALESCE(o.name, '') AS organization,
    COALESCE(o.city, '') AS city,
    (SELECT c.value FROM person_contacts c WHERE c.person_id = p.id AND c.kind = 'email' ORDER BY c.position LIMIT 1) AS email,
    (CASE WHEN EXISTS (SELECT 1 FROM consents k WHERE k.person_id = p.id AND k.channel = 'email_bulletin' AND k.withdrawn_on IS NULL) THEN 1
         WHEN EXISTS (SELECT 1 FROM consents k WHERE k.person_id = p.id AND k.channel = 'email_bulletin') THEN 2 ELSE 0 END)::BIGINT AS consent,
    p.archived_at IS NOT NULL AS archived";

fn push_segment_filters(qb: &mut QueryBuilder<'_, Postgres>, s: &Segment, today: NaiveDate) {
    if !s.areas.is_empty() {
        qb.push(" AND EXISTS (SELECT 1 FROM organization_areas a WHERE a.organization_id = o.id AND a.area_code = ANY(")
            .push_bind(s.areas.clone())
            .push("))");
    }
    if !s.legal_forms.is_empty() {
        qb.push(" AND o.legal_form = ANY(")
            .push_bind(s.legal_forms.clone())
            .push(")");
    }
    if !s.city.is_empty() {
        qb.push(" AND o.city = ").push_bind(s.city.clone());
    }
    if !s.powiat.is_empty() {
        qb.push(" AND o.powiat = ").push_bind(s.powiat.clone());
    }
    if !s.tag.is_empty() {
        qb.push(" AND EXISTS (SELECT 1 FROM organization_tags t WHERE t.organization_id = o.id AND t.tag = ")
            .push_bind(s.tag.to_lowercase())
            .push(")");
    }
    if s.public_benefit_only {
        qb.push(" AND o.public_benefit");
    }
    if s.members_only {
        qb.push(" AND o.member_since IS NOT NULL AND o.member_since <= ")
            .push_bind(today)
            .push(" AND (o.member_until IS NULL OR o.member_until >= ")
            .push_bind(today)
            .push(")");
    }
    if let Some(year) = s.granted_in_year {
        PgStore::push_granted_in_year(qb, year);
    }
}

/// A unique index refused the write (SQLSTATE 23505): the caller says which field in Polish.
fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("23505"))
}

/// Queue counts of the given messages together, read on any connection.
async fn counts_in(conn: &mut PgConnection, message_ids: &[i64]) -> Result<QueueCounts> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM mail_queue WHERE message_id = ANY($1) GROUP BY status",
    )
    .bind(message_ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut c = QueueCounts::default();
    for (status, n) in rows {
        match status.as_str() {
            "queued" => c.queued += n,
            "sending" => c.sending += n,
            "sent" => c.sent += n,
            "failed" => c.failed += n,
            _ => c.uncertain += n,
        }
    }
    Ok(c)
}

impl PgStore {
    /// Deletes one mail row by id; `table` comes from the fixed names below, never from input.
    async fn delete_mail_row(
        &self,
        table: &'static str,
        id: i64,
        what: &'static str,
    ) -> Result<()> {
        let done = sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(what));
        }
        Ok(())
    }

    async fn mail_queue_counts(&self, message_id: i64) -> Result<QueueCounts> {
        let mut conn = self.pool.acquire().await?;
        counts_in(&mut conn, &[message_id]).await
    }
}

#[async_trait::async_trait]
impl MailStore for PgStore {
    // ----- lists and segments ------------------------------------------------------------

    async fn segment_candidates(&self, s: &Segment) -> Result<Vec<Candidate>> {
        let mut qb: QueryBuilder<Postgres> = match s.audience {
            Audience::Organizations => {
                let mut qb = QueryBuilder::new(CANDIDATE_ORG);
                qb.push(" FROM organizations o WHERE o.archived_at IS NULL");
                qb
            }
            Audience::People => {
                let mut qb = QueryBuilder::new(CANDIDATE_PERSON);
                qb.push(" FROM people p LEFT JOIN person_roles r ON r.person_id = p.id LEFT JOIN organizations o ON o.id = r.organization_id WHERE p.archived_at IS NULL");
                if !s.role.is_empty() {
                    // The typed role lowered as the column is (ASCII only, as SQLite's LOWER).
                    qb.push(" AND LOWER(r.role) = LOWER(")
                        .push_bind(s.role.clone())
                        .push(" COLLATE \"C\")");
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
        let orgs = format!("{CANDIDATE_ORG} FROM mailing_list_members m JOIN organizations o ON o.id = m.organization_id WHERE m.list_id = $1 ORDER BY o.name_key, o.id");
        let people = format!(
            "{CANDIDATE_PERSON} FROM mailing_list_members m JOIN people p ON p.id = m.person_id
             LEFT JOIN person_roles r ON r.id = (SELECT MIN(r2.id) FROM person_roles r2 WHERE r2.person_id = p.id)
             LEFT JOIN organizations o ON o.id = r.organization_id WHERE m.list_id = $1 ORDER BY p.name_key, p.id"
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
             FROM mailing_lists l WHERE l.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound("lista"))?;
        list_from_row(row)
    }

    async fn mailing_list_id(&self, name: &str) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM mailing_lists WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn delete_mailing_list(&self, id: i64) -> Result<()> {
        self.delete_mail_row("mailing_lists", id, "lista").await
    }

    async fn add_list_members(
        &self,
        list_id: i64,
        organizations: &[i64],
        people: &[i64],
    ) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        // One statement per kind: ids that are no longer in the register are skipped, as are
        // members already on the list (the partial unique indexes).
        let mut added = sqlx::query(
            "INSERT INTO mailing_list_members (list_id, organization_id)
             SELECT $1, o.id FROM organizations o WHERE o.id = ANY($2) ORDER BY o.id ON CONFLICT DO NOTHING",
        )
        .bind(list_id)
        .bind(organizations)
        .execute(&mut *tx)
        .await?
        .rows_affected() as usize;
        added += sqlx::query(
            "INSERT INTO mailing_list_members (list_id, person_id)
             SELECT $1, p.id FROM people p WHERE p.id = ANY($2) ORDER BY p.id ON CONFLICT DO NOTHING",
        )
        .bind(list_id)
        .bind(people)
        .execute(&mut *tx)
        .await?
        .rows_affected() as usize;
        sqlx::query("UPDATE mailing_lists SET updated_at = $1 WHERE id = $2")
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
             WHERE m.list_id = $1 ORDER BY m.person_id IS NOT NULL, COALESCE(o.name_key, p.name_key), m.organization_id, m.person_id
             LIMIT $2 OFFSET $3",
        )
        .bind(list_id)
        .bind(i64::from(limit.clamp(1, 500)))
        .bind(i64::from(offset))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM mailing_list_members WHERE list_id = $1")
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
        Ok(sqlx::query_scalar(
            "INSERT INTO mail_messages (kind, is_template, subject, body, list_id, grant_call_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(m.kind.code())
        .bind(m.is_template)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(m.list_id)
        .bind(grant_call_id)
        .bind(&stamp)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn update_message(&self, id: i64, m: &MessageInput) -> Result<()> {
        // The status test is in the UPDATE itself: a colleague's PC may queue the draft between
        // a check and the write.
        let done = sqlx::query("UPDATE mail_messages SET kind = $1, is_template = $2, subject = $3, body = $4, list_id = $5, updated_at = $6 WHERE id = $7 AND status = 'draft'")
            .bind(m.kind.code())
            .bind(m.is_template)
            .bind(&m.subject)
            .bind(&m.body)
            .bind(m.list_id)
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() > 0 {
            return Ok(());
        }
        match self.message_status(id).await? {
            None => Err(Error::NotFound("wiadomość")),
            Some(_) => Err(Error::BadArgument("Ta wiadomość jest już wysyłana lub wysłana: jej treść się nie zmienia. Skopiuj ją, aby wysłać nową.".into())),
        }
    }

    async fn get_message(&self, id: i64) -> Result<MailMessage> {
        let r = sqlx::query("SELECT * FROM mail_messages WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("wiadomość"))?;
        let attachments: Vec<AttachmentInfo> = sqlx::query_as(
            "SELECT id, file_name, content_type, octet_length(data)::BIGINT AS size FROM mail_attachments WHERE message_id = $1 ORDER BY id",
        )
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
            counts: self.mail_queue_counts(id).await?,
        })
    }

    async fn list_messages(&self, q: &MessageQuery) -> Result<Page<MessageRow>> {
        let filter = match q.folder.as_str() {
            "templates" => "m.is_template",
            "sent" => "NOT m.is_template AND m.status <> 'draft'",
            _ => "NOT m.is_template AND m.status = 'draft'",
        };
        // SQLite sorts NULL first in DESC order as the smallest value; PostgreSQL, the largest.
        let order = if q.folder == "sent" {
            "m.queued_at DESC NULLS LAST, m.id DESC"
        } else {
            "m.updated_at DESC, m.id DESC"
        };
        let sql = format!(
            "SELECT m.id, m.kind, m.is_template, m.subject, COALESCE(m.list_name, l.name) AS list_name, m.status, m.updated_at, m.queued_at,
               (SELECT COUNT(*) FROM mail_queue x WHERE x.message_id = m.id AND x.status = 'sent') AS sent,
               (SELECT COUNT(*) FROM mail_queue x WHERE x.message_id = m.id) AS total
             FROM mail_messages m LEFT JOIN mailing_lists l ON l.id = m.list_id WHERE {filter} ORDER BY {order} LIMIT $1 OFFSET $2"
        );
        let items = sqlx::query_as(&sql)
            .bind(i64::from(q.limit.clamp(1, 200)))
            .bind(i64::from(q.offset))
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
        let done = sqlx::query("DELETE FROM mail_messages WHERE id = $1 AND status = 'draft'")
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() > 0 {
            return Ok(());
        }
        match self.message_status(id).await? {
            None => Err(Error::NotFound("wiadomość")),
            Some(_) => Err(Error::BadArgument(
                "Wysłanej wiadomości nie usuwa się: zostaje w historii korespondencji.".into(),
            )),
        }
    }

    async fn delete_attachment(&self, id: i64) -> Result<()> {
        self.delete_mail_row("mail_attachments", id, "załącznik")
            .await
    }

    async fn copy_attachments(&self, from: i64, to: i64) -> Result<()> {
        sqlx::query("INSERT INTO mail_attachments (message_id, file_name, content_type, data) SELECT $1, file_name, content_type, data FROM mail_attachments WHERE message_id = $2 ORDER BY id")
            .bind(to)
            .bind(from)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn attachment_data(&self, message_id: i64) -> Result<Vec<(String, String, Vec<u8>)>> {
        Ok(sqlx::query_as("SELECT file_name, content_type, data FROM mail_attachments WHERE message_id = $1 ORDER BY id")
            .bind(message_id)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn resume_paused(&self) -> Result<u64> {
        Ok(sqlx::query(
            "UPDATE mail_messages SET status = 'sending', updated_at = $1 WHERE status = 'paused'",
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
        let mut tx = self.pool.begin().await?;
        let statuses: Vec<String> = statuses.iter().map(|s| s.to_string()).collect();
        let n = sqlx::query(
            "UPDATE mail_queue SET status = 'queued', attempts = 0, updated_at = $1
             WHERE message_id = $2 AND status = ANY($3) AND ($4::BIGINT[] IS NULL OR id = ANY($4))",
        )
        .bind(now())
        .bind(message_id)
        .bind(&statuses)
        .bind(ids)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n > 0 {
            sqlx::query("UPDATE mail_messages SET status = 'sending', finished_at = NULL, updated_at = $1 WHERE id = $2 AND status IN ('done', 'paused')")
                .bind(now())
                .bind(message_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    async fn mark_uncertain_sent(&self, message_id: i64, ids: Option<&[i64]>) -> Result<u64> {
        Ok(sqlx::query(
            "UPDATE mail_queue SET status = 'sent', reply = 'uznane za wysłane przez użytkownika', updated_at = $1
             WHERE message_id = $2 AND status = 'uncertain' AND ($3::BIGINT[] IS NULL OR id = ANY($3))",
        )
        .bind(now())
        .bind(message_id)
        .bind(ids)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    async fn queue_conn(&self) -> Result<Box<dyn SendingQueue>> {
        // A connection of its own, outside the pool: when the sending process ends (or dies),
        // the session ends with it and so do its claims' locks, which is how another PC tells
        // a dead sender's rows from a live one's.
        let mut conn = self.pool.acquire().await?.detach();
        // Durable on every commit whatever the server's default; a PC that vanishes without
        // closing its connection is noticed in about a minute instead of the system's hours.
        for setting in [
            "SET synchronous_commit = on",
            "SET tcp_keepalives_idle = 30",
            "SET tcp_keepalives_interval = 10",
            "SET tcp_keepalives_count = 3",
        ] {
            sqlx::query(setting).execute(&mut conn).await?;
        }
        Ok(Box::new(PgQueue { conn }))
    }

    // ----- bounces, unsubscriptions, history ---------------------------------------------

    async fn record_bounce(&self, address: &str, reply: &str) -> Result<()> {
        sqlx::query("INSERT INTO mail_bounces (address, bounced_at, reply) VALUES ($1, $2, $3) ON CONFLICT (address) DO UPDATE SET bounced_at = excluded.bounced_at, reply = excluded.reply")
            .bind(address.to_lowercase())
            .bind(now())
            .bind(reply)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn remove_bounce(&self, address: &str) -> Result<()> {
        sqlx::query("DELETE FROM mail_bounces WHERE address = $1")
            .bind(address.to_lowercase())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn bounces(&self, offset: u32, limit: u32) -> Result<Page<(String, String, String)>> {
        let items = sqlx::query_as("SELECT address, bounced_at, reply FROM mail_bounces ORDER BY bounced_at DESC, address LIMIT $1 OFFSET $2")
            .bind(i64::from(limit.clamp(1, 500)))
            .bind(i64::from(offset))
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
            "SELECT id, channel, granted_on, source, withdrawn_on, withdrawal_source, recorded_at FROM organization_consents WHERE organization_id = $1 ORDER BY granted_on DESC, id DESC",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn insert_organization_consents(
        &self,
        rows: &[(i64, NaiveDate, Option<NaiveDate>)],
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let stamp = now();
        for chunk in rows.chunks(BATCH) {
            let mut qb: QueryBuilder<Postgres> =
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
        let mut tx = self.pool.begin().await?;
        let stamp = now();
        let id = match id {
            Some(id) => {
                let n = sqlx::query("UPDATE grant_calls SET funder = $1, title = $2, deadline = $3, amount = $4, link = $5, notes = $6, updated_at = $7 WHERE id = $8")
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
                sqlx::query("DELETE FROM grant_call_areas WHERE grant_call_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            None => sqlx::query_scalar("INSERT INTO grant_calls (funder, title, deadline, amount, link, notes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id")
                .bind(&d.funder)
                .bind(&d.title)
                .bind(d.deadline)
                .bind(&d.amount)
                .bind(&d.link)
                .bind(&d.notes)
                .bind(&stamp)
                .fetch_one(&mut *tx)
                .await?,
        };
        for a in &d.areas {
            sqlx::query("INSERT INTO grant_call_areas (grant_call_id, area_code) VALUES ($1, $2)")
                .bind(id)
                .bind(a)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn get_grant_call(&self, id: i64) -> Result<GrantCall> {
        let r = sqlx::query("SELECT * FROM grant_calls WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("konkurs"))?;
        let areas: Vec<String> = sqlx::query_scalar("SELECT g.area_code FROM grant_call_areas g JOIN activity_areas a ON a.code = g.area_code WHERE g.grant_call_id = $1 ORDER BY a.position")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let messages: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM mail_messages WHERE grant_call_id = $1 ORDER BY id")
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
        // Open calls (deadline today or later) first, soonest first; then past ones, latest first.
        let items = sqlx::query_as(
            "SELECT id, funder, title, deadline FROM grant_calls ORDER BY deadline < $1, CASE WHEN deadline < $1 THEN NULL ELSE deadline END, deadline DESC, id LIMIT $2 OFFSET $3",
        )
        .bind(today())
        .bind(i64::from(limit.clamp(1, 200)))
        .bind(i64::from(offset))
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
        self.delete_mail_row("grant_calls", id, "konkurs").await
    }

    async fn save_mailing_list(
        &self,
        id: Option<i64>,
        name: &str,
        segment: Option<&Segment>,
    ) -> Result<i64> {
        let taken_msg =
            || Error::invalid("name", "Lista o tej nazwie już jest. Wybierz inną nazwę.");
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM mailing_lists WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        if taken.is_some() && taken != id {
            return Err(taken_msg());
        }
        let segment_json =
            segment.map(|s| serde_json::to_string(s).expect("a segment always serialises"));
        // The name may be taken by another PC between the check and the write: the unique
        // index refuses it then, and the user reads the same message.
        let saved = match id {
            Some(id) => sqlx::query_scalar(
                "UPDATE mailing_lists SET name = $1, segment = $2, updated_at = $3 WHERE id = $4 RETURNING id",
            )
            .bind(name)
            .bind(&segment_json)
            .bind(now())
            .bind(id)
            .fetch_optional(&self.pool)
            .await,
            None => sqlx::query_scalar(
                "INSERT INTO mailing_lists (name, segment, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
            )
            .bind(name)
            .bind(&segment_json)
            .bind(now())
            .fetch_optional(&self.pool)
            .await,
        };
        match saved {
            Ok(Some(id)) => Ok(id),
            Ok(None) => Err(Error::NotFound("lista")),
            Err(e) if is_unique_violation(&e) => Err(taken_msg()),
            Err(e) => Err(e.into()),
        }
    }

    async fn remove_list_member(
        &self,
        list_id: i64,
        organization_id: Option<i64>,
        person_id: Option<i64>,
    ) -> Result<()> {
        sqlx::query("DELETE FROM mailing_list_members WHERE list_id = $1 AND (organization_id = $2 OR person_id = $3)")
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
        Ok(sqlx::query_scalar("INSERT INTO mail_attachments (message_id, file_name, content_type, data) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(message_id)
            .bind(file_name)
            .bind(content_type)
            .bind(data)
            .fetch_one(&self.pool)
            .await?)
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
        let mut tx = self.pool.begin().await?;
        let stamp = now();
        // The message row's lock makes a second PC queueing the same draft wait, then see it
        // is no longer a draft (SQLite gets the same from BEGIN IMMEDIATE).
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM mail_messages WHERE id = $1 FOR UPDATE")
                .bind(message_id)
                .fetch_optional(&mut *tx)
                .await?;
        if status.as_deref() != Some("draft") {
            return Err(Error::BadArgument(
                "Ta wiadomość jest już w kolejce lub wysłana.".into(),
            ));
        }
        let mut queued = 0;
        for chunk in recipients.chunks(BATCH) {
            let mut qb: QueryBuilder<Postgres> =
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
            "UPDATE mail_messages SET status = 'sending', list_name = $1, skipped_no_consent = $2, skipped_other = $3, queued_at = $4, updated_at = $4 WHERE id = $5",
        )
        .bind(list_name)
        .bind(skipped_no_consent as i64)
        .bind(skipped_other as i64)
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
        let status = status.filter(|s| !s.is_empty());
        let items = sqlx::query_as(
            "SELECT id, organization_id, person_id, address, recipient_name, status, attempts, reply, updated_at FROM mail_queue
             WHERE message_id = $1 AND ($2::TEXT IS NULL OR status = $2) ORDER BY id LIMIT $3 OFFSET $4",
        )
        .bind(message_id)
        .bind(status)
        .bind(i64::from(limit.clamp(1, 500)))
        .bind(i64::from(offset))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM mail_queue WHERE message_id = $1 AND ($2::TEXT IS NULL OR status = $2)",
        )
        .bind(message_id)
        .bind(status)
        .fetch_one(&self.pool)
        .await?;
        Ok(Page {
            items,
            total: total as u64,
            offset,
        })
    }

    async fn set_message_status(&self, id: i64, from: &[&str], to: &str) -> Result<bool> {
        let stamp = now();
        let from: Vec<String> = from.iter().map(|s| s.to_string()).collect();
        Ok(sqlx::query(
            "UPDATE mail_messages SET status = $1, updated_at = $2,
               finished_at = CASE WHEN $1 = 'done' THEN $2 ELSE finished_at END
             WHERE id = $3 AND status = ANY($4)",
        )
        .bind(to)
        .bind(&stamp)
        .bind(id)
        .bind(&from)
        .execute(&self.pool)
        .await?
        .rows_affected()
            > 0)
    }

    async fn withdraw_email_consents_for(
        &self,
        address: &str,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<RemovalOutcome> {
        let mut tx = self.pool.begin().await?;
        let address = address.to_lowercase();
        let people: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT person_id FROM person_contacts WHERE kind = 'email' AND LOWER(value) = $1 ORDER BY person_id")
            .bind(&address)
            .fetch_all(&mut *tx)
            .await?;
        let orgs: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT organization_id FROM organization_contacts WHERE kind = 'email' AND LOWER(value) = $1 ORDER BY organization_id")
            .bind(&address)
            .fetch_all(&mut *tx)
            .await?;
        let mut withdrawn = 0;
        let mut withdrawn_for = Vec::new();
        for (t, kind, ids) in [
            (&PERSON_CONSENTS, "person", &people),
            (&ORGANIZATION_CONSENTS, "organization", &orgs),
        ] {
            let sql = format!("UPDATE {} SET withdrawn_on = $1, withdrawal_source = $2 WHERE {} = $3 AND channel = 'email_bulletin' AND withdrawn_on IS NULL", t.table, t.owner_column);
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
             WHERE q.organization_id = $1 OR q.person_id = $2 ORDER BY q.updated_at DESC, q.id DESC LIMIT $3",
        )
        .bind(organization_id)
        .bind(person_id)
        .bind(i64::from(limit.clamp(1, 500)))
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

impl PgStore {
    async fn message_status(&self, id: i64) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT status FROM mail_messages WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

fn list_from_row(row: sqlx::postgres::PgRow) -> Result<MailingList> {
    let segment: Option<String> = row.try_get("segment")?;
    Ok(MailingList {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        segment: segment.and_then(|s| serde_json::from_str(&s).ok()),
        members: row.try_get("members")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The sending loop's own session (see the module note): claims hold an advisory lock of this
/// session until they are settled or the session ends.
pub struct PgQueue {
    conn: PgConnection,
}

#[async_trait::async_trait]
impl SendingQueue for PgQueue {
    async fn mark_interrupted(&mut self) -> Result<u64> {
        // Only rows whose claim lock nobody holds: a colleague's PC sending right now keeps its
        // rows. pg_locks is per server, hence the database test.
        let sql =
            "UPDATE mail_queue q SET status = 'uncertain', reply = 'przerwano w trakcie wysyłania — sprawdź w folderze Wysłane', updated_at = $1
             WHERE q.status = 'sending' AND NOT EXISTS (
               SELECT 1 FROM pg_locks l
               WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                 AND l.classid = $2::INTEGER::OID AND l.objid = (q.id % 2147483648)::OID AND l.objsubid = 2)";
        Ok(sqlx::query(sql)
            .bind(now())
            .bind(CLAIM_LOCK)
            .execute(&mut self.conn)
            .await?
            .rows_affected())
    }

    // Session locks on the queue's own connection: held for the whole run, gone when the
    // session ends, so a PC that dies mid-send frees its campaigns for another one at once.
    async fn hold_campaigns(&mut self, message_ids: &[i64]) -> Result<Vec<i64>> {
        let mut held = Vec::with_capacity(message_ids.len());
        for id in message_ids {
            let mine: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
                .bind(CAMPAIGN_LOCK)
                .bind(claim_key(*id))
                .fetch_one(&mut self.conn)
                .await?;
            if mine {
                held.push(*id);
            } else {
                tracing::info!(message = id, "campaign is being sent by another sender");
            }
        }
        Ok(held)
    }

    async fn claim_next(&mut self, only: Option<i64>) -> Result<Option<Claimed>> {
        let mut tx = sqlx::Connection::begin(&mut self.conn).await?;
        // SKIP LOCKED: a row another PC is claiming at this instant is passed over, not waited
        // for and then found taken (which would end this sender's run early).
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT q.id FROM mail_queue q JOIN mail_messages m ON m.id = q.message_id
             WHERE q.status = 'queued' AND m.status = 'sending' AND ($1::BIGINT IS NULL OR q.message_id = $1)
             ORDER BY q.message_id, q.id LIMIT 1 FOR UPDATE OF q SKIP LOCKED",
        )
        .bind(only)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            tx.rollback().await?;
            return Ok(None);
        };
        // Taken before the commit makes the claim visible, so no other sender ever sees this
        // row 'sending' without its lock.
        sqlx::query("SELECT pg_advisory_lock($1, $2)")
            .bind(CLAIM_LOCK)
            .bind(claim_key(id))
            .execute(&mut *tx)
            .await?;
        let claimed = sqlx::query_as(
            "UPDATE mail_queue SET status = 'sending', attempts = attempts + 1, updated_at = $1 WHERE id = $2
             RETURNING id, message_id, address, recipient_name, merge_fields, attempts",
        )
        .bind(now())
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(claimed))
    }

    async fn settle(&mut self, id: i64, status: &str, reply: &str) -> Result<()> {
        sqlx::query("UPDATE mail_queue SET status = $1, reply = $2, updated_at = $3 WHERE id = $4")
            .bind(status)
            .bind(reply)
            .bind(now())
            .bind(id)
            .execute(&mut self.conn)
            .await?;
        // After the commit: until then the row must not look abandoned. Only a lock this
        // session holds is let go (a row settled without a claim has none).
        sqlx::query(
            "SELECT pg_advisory_unlock($1, $2) FROM pg_locks l
             WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.granted
               AND l.classid = $1::OID AND l.objid = $2::OID AND l.objsubid = 2",
        )
        .bind(CLAIM_LOCK)
        .bind(claim_key(id))
        .execute(&mut self.conn)
        .await?;
        Ok(())
    }

    async fn finish_messages(&mut self) -> Result<()> {
        let stamp = now();
        sqlx::query(
            "UPDATE mail_messages SET status = 'done', finished_at = $1, updated_at = $1 WHERE status = 'sending'
             AND NOT EXISTS (SELECT 1 FROM mail_queue q WHERE q.message_id = mail_messages.id AND q.status IN ('queued', 'sending'))",
        )
        .bind(&stamp)
        .execute(&mut self.conn)
        .await?;
        Ok(())
    }

    async fn pause_all(&mut self, only: Option<i64>) -> Result<()> {
        sqlx::query(
            "UPDATE mail_messages SET status = 'paused', updated_at = $1 WHERE status = 'sending' AND ($2::BIGINT IS NULL OR id = $2)",
        )
        .bind(now())
        .bind(only)
        .execute(&mut self.conn)
        .await?;
        Ok(())
    }

    async fn counts_for(&mut self, message_ids: &[i64]) -> Result<QueueCounts> {
        counts_in(&mut self.conn, message_ids).await
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Error;
    use crate::history::ChangeNote;
    use crate::ids::Email;
    use crate::mail::*;
    use crate::register::{ConsentChannel, LegalForm, OrganizationDraft, PersonDraft};
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::*;
    use chrono::NaiveDate;
    use std::collections::HashSet;
    use std::time::Duration;

    /// An organisation as a segment finds it: (id, name, e-mail, consent state, archived).
    type OrgSeen<'a> = (Option<i64>, &'a str, Option<&'a str>, i64, bool);

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn org(name: &str, city: &str, email: Option<&str>) -> OrganizationDraft {
        OrganizationDraft {
            name: name.into(),
            short_name: None,
            legal_form: LegalForm::Fundacja,
            krs: None,
            nip: None,
            regon: None,
            public_benefit: false,
            street: None,
            building: None,
            postal_code: None,
            city: Some(city.into()),
            gmina: None,
            powiat: None,
            voivodeship: None,
            phones: vec![],
            emails: email
                .map(|e| Email::parse(e).unwrap())
                .into_iter()
                .collect(),
            website: None,
            areas: vec![],
            description: None,
            tags: vec![],
            notes: None,
            member_since: None,
            member_until: None,
            directory_consent: false,
        }
    }

    fn person(first: &str, last: &str, email: &str, roles: Vec<(i64, String)>) -> PersonDraft {
        PersonDraft {
            first_name: first.into(),
            last_name: last.into(),
            emails: vec![Email::parse(email).unwrap()],
            phones: vec![],
            roles,
            notes: None,
        }
    }

    fn note(rows: &[(&str, Option<&str>, Option<&str>)]) -> ChangeNote<'static> {
        ChangeNote {
            author: "Ewa",
            rows: rows
                .iter()
                .map(|(f, o, n)| (f.to_string(), o.map(str::to_string), n.map(str::to_string)))
                .collect(),
        }
    }

    fn message(subject: &str) -> MessageInput {
        MessageInput {
            kind: MessageKind::Bulletin,
            is_template: false,
            subject: subject.into(),
            body: "Dzień dobry, {imie}!".into(),
            list_id: None,
        }
    }

    fn recipient(org: Option<i64>, person: Option<i64>, address: &str) -> Recipient {
        Recipient {
            organization_id: org,
            person_id: person,
            name: format!("Odbiorca {address}"),
            address: address.into(),
            values: [("imie".to_string(), "Anna".to_string())].into(),
        }
    }

    fn is_invalid(e: &Error, field: &str) -> bool {
        matches!(e, Error::Invalid(v) if v.iter().any(|f| f.field == field))
    }

    /// A row claimed by a queue handle that went away without settling it: the next run
    /// finds it interrupted (on PostgreSQL once the server has ended the dead session, which
    /// takes a moment after the connection drops).
    async fn interrupted_after_crash(s: &impl MailStore) -> u64 {
        for _ in 0..100 {
            let n = s
                .queue_conn()
                .await
                .unwrap()
                .mark_interrupted()
                .await
                .unwrap();
            if n > 0 {
                return n;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        0
    }

    /// Lists, members, segments, consents and grant calls: the register side of mail.
    async fn lists_segments_consents<S>(s: &S)
    where
        S: MailStore + OrganizationStore + PersonStore + ConsentStore + HistoryStore,
    {
        // Polish order (Cel, Ćma, Dom) differs from byte order (Cel, Dom, Ćma).
        let mut dom = org("Dom Fundacja", "Kraków", Some("dom@example.pl"));
        dom.areas = vec!["1".into()];
        dom.tags = vec!["seniorzy".into()];
        dom.public_benefit = true;
        dom.member_since = Some(day(2020, 1, 1));
        let ids = s
            .insert_organizations(&[
                dom,
                org("Ćma Fundacja", "Łódź", Some("cma@example.pl")),
                org("Cel Fundacja", "Łódź", None),
            ])
            .await
            .unwrap();
        let (dom, cma, cel) = (ids[0], ids[1], ids[2]);
        let people = s
            .insert_people(&[
                person(
                    "Anna",
                    "Nowak",
                    "Anna@Example.pl",
                    vec![(dom, "prezes".into())],
                ),
                person("Jan", "Łoś", "jan@example.pl", vec![]),
            ])
            .await
            .unwrap();
        let (anna, jan) = (people[0], people[1]);
        // Whatever the bulk inserts logged: the consents below add to it.
        let logged = |entity: &'static str, id: i64| async move {
            s.changes(entity, id, 100).await.unwrap().len()
        };
        let (anna_logged, dom_logged) = (
            logged("person", anna).await,
            logged("organization", dom).await,
        );

        // Organisations' consents: one open, one withdrawn (from the demo's bulk path).
        let granted = s
            .grant_organization_consent(
                dom,
                day(2024, 3, 1),
                "formularz",
                &note(&[("consent:email_bulletin", None, Some("udzielona"))]),
            )
            .await
            .unwrap();
        let again = s
            .grant_organization_consent(dom, day(2024, 3, 2), "formularz", &note(&[]))
            .await
            .unwrap_err();
        assert!(is_invalid(&again, "date"), "{again:?}");
        assert!(matches!(
            s.grant_organization_consent(9_999, day(2024, 3, 2), "x", &note(&[]))
                .await
                .unwrap_err(),
            Error::NotFound("organizacja")
        ));
        s.insert_organization_consents(&[(cma, day(2023, 1, 1), Some(day(2023, 6, 1)))])
            .await
            .unwrap();
        s.grant_consent(
            anna,
            ConsentChannel::EmailBulletin,
            day(2024, 1, 1),
            "formularz",
            &note(&[]),
        )
        .await
        .unwrap();

        // Segments: everyone in Polish order with their consent state, then the filters.
        let all = s.segment_candidates(&Segment::default()).await.unwrap();
        let seen: Vec<OrgSeen> = all
            .iter()
            .map(|c| {
                (
                    c.organization_id,
                    c.organization.as_str(),
                    c.email.as_deref(),
                    c.consent,
                    c.archived,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (Some(cel), "Cel Fundacja", None, 0, false),
                (Some(cma), "Ćma Fundacja", Some("cma@example.pl"), 2, false),
                (Some(dom), "Dom Fundacja", Some("dom@example.pl"), 1, false),
            ]
        );
        assert!(all
            .iter()
            .all(|c| c.person_id.is_none() && !c.city.is_empty()));
        let only = |seg: Segment| async move {
            s.segment_candidates(&seg)
                .await
                .unwrap()
                .iter()
                .map(|c| (c.organization_id, c.person_id))
                .collect::<Vec<_>>()
        };
        let just_dom = vec![(Some(dom), None)];
        assert_eq!(
            only(Segment {
                areas: vec!["1".into(), "2".into()],
                ..Default::default()
            })
            .await,
            just_dom
        );
        assert_eq!(
            only(Segment {
                legal_forms: vec!["fundacja".into()],
                ..Default::default()
            })
            .await
            .len(),
            3
        );
        assert_eq!(
            only(Segment {
                legal_forms: vec!["stowarzyszenie".into()],
                ..Default::default()
            })
            .await,
            vec![]
        );
        assert_eq!(
            only(Segment {
                city: "Kraków".into(),
                ..Default::default()
            })
            .await,
            just_dom
        );
        assert_eq!(
            only(Segment {
                tag: "SENIORZY".into(),
                ..Default::default()
            })
            .await,
            just_dom
        );
        assert_eq!(
            only(Segment {
                public_benefit_only: true,
                ..Default::default()
            })
            .await,
            just_dom
        );
        assert_eq!(
            only(Segment {
                members_only: true,
                ..Default::default()
            })
            .await,
            just_dom
        );
        let people_seg = Segment {
            audience: Audience::People,
            ..Default::default()
        };
        let found = s.segment_candidates(&people_seg).await.unwrap();
        let seen: Vec<(Option<i64>, &str, &str, i64)> = found
            .iter()
            .map(|c| {
                (
                    c.person_id,
                    c.last_name.as_str(),
                    c.organization.as_str(),
                    c.consent,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (Some(jan), "Łoś", "", 0),
                (Some(anna), "Nowak", "Dom Fundacja", 1)
            ]
        );
        assert_eq!(
            only(Segment {
                role: "PREZES".into(),
                ..people_seg.clone()
            })
            .await,
            vec![(None, Some(anna))]
        );

        // A static list: members by hand, unknown ids skipped, nobody twice.
        let list = s.save_mailing_list(None, "Partnerzy", None).await.unwrap();
        let dup = s
            .save_mailing_list(None, "Partnerzy", None)
            .await
            .unwrap_err();
        assert!(is_invalid(&dup, "name"), "{dup:?}");
        assert_eq!(
            s.add_list_members(list, &[dom, cel, 9_999], &[anna])
                .await
                .unwrap(),
            3
        );
        assert_eq!(
            s.add_list_members(list, &[dom], &[anna, jan])
                .await
                .unwrap(),
            1
        );
        let page = s.list_members(list, 0, 10).await.unwrap();
        assert_eq!(page.total, 4);
        assert_eq!(
            page.items,
            [
                (Some(cel), None, "Cel Fundacja".to_string()),
                (Some(dom), None, "Dom Fundacja".to_string()),
                (None, Some(jan), "Łoś Jan".to_string()),
                (None, Some(anna), "Nowak Anna".to_string()),
            ]
        );
        assert_eq!(s.list_members(list, 3, 10).await.unwrap().items.len(), 1);
        let on_list: Vec<(Option<i64>, Option<i64>)> = s
            .static_list_candidates(list)
            .await
            .unwrap()
            .iter()
            .map(|c| (c.organization_id, c.person_id))
            .collect();
        // People come with their first organisation.
        assert_eq!(
            on_list,
            [
                (Some(cel), None),
                (Some(dom), None),
                (None, Some(jan)),
                (None, Some(anna))
            ]
        );
        s.remove_list_member(list, Some(cel), None).await.unwrap();
        s.remove_list_member(list, None, Some(jan)).await.unwrap();
        assert_eq!(s.mailing_list(list).await.unwrap().members, 2);

        let seg = Segment {
            city: "Łódź".into(),
            ..Default::default()
        };
        let saved = s.save_mailing_list(None, "Łódź", Some(&seg)).await.unwrap();
        assert_eq!(s.mailing_list_id("Łódź").await.unwrap(), Some(saved));
        assert_eq!(s.mailing_list_id("Lodz").await.unwrap(), None);
        assert_eq!(
            s.save_mailing_list(Some(saved), "Łódź i okolice", Some(&seg))
                .await
                .unwrap(),
            saved
        );
        let taken = s
            .save_mailing_list(Some(saved), "Partnerzy", None)
            .await
            .unwrap_err();
        assert!(is_invalid(&taken, "name"));
        assert!(matches!(
            s.save_mailing_list(Some(9_999), "Nowa", None)
                .await
                .unwrap_err(),
            Error::NotFound("lista")
        ));
        let lists: Vec<(String, Option<Segment>, i64)> = s
            .mailing_lists()
            .await
            .unwrap()
            .into_iter()
            .map(|l| (l.name, l.segment, l.members))
            .collect();
        // Byte order of the names, as SQLite's BINARY collation gives.
        assert_eq!(
            lists,
            [
                ("Partnerzy".to_string(), None, 2),
                ("Łódź i okolice".to_string(), Some(seg), 0)
            ]
        );
        s.delete_mailing_list(saved).await.unwrap();
        assert!(matches!(
            s.delete_mailing_list(saved).await.unwrap_err(),
            Error::NotFound("lista")
        ));
        assert!(matches!(
            s.mailing_list(saved).await.unwrap_err(),
            Error::NotFound("lista")
        ));

        // Unsubscribing by address (any case) withdraws the open e-mail consents, with history.
        let out = s
            .withdraw_email_consents_for(
                "ANNA@example.PL",
                "wypisanie z listy",
                &note(&[(
                    "consent:email_bulletin",
                    Some("udzielona"),
                    Some("wycofana"),
                )]),
            )
            .await
            .unwrap();
        assert_eq!(
            (out.people, out.organizations, out.consents_withdrawn),
            (1, 0, 1)
        );
        assert_eq!(out.withdrawn_for, [("person", anna)]);
        assert_eq!(logged("person", anna).await, anna_logged + 1);
        let none = s
            .withdraw_email_consents_for("anna@example.pl", "x", &note(&[("f", None, None)]))
            .await
            .unwrap();
        assert_eq!((none.people, none.consents_withdrawn), (1, 0));
        assert_eq!(logged("person", anna).await, anna_logged + 1);

        // An organisation's consent: withdrawal not before the grant, not twice, with history.
        let consents = s.organization_consents(dom).await.unwrap();
        assert_eq!(consents.len(), 1);
        assert_eq!(
            (
                consents[0].id,
                consents[0].granted_on,
                consents[0].withdrawn_on
            ),
            (granted, day(2024, 3, 1), None)
        );
        let early = s
            .withdraw_organization_consent(granted, day(2024, 2, 1), "e-mail", &note(&[]))
            .await
            .unwrap_err();
        assert!(is_invalid(&early, "date"));
        s.withdraw_organization_consent(
            granted,
            day(2024, 4, 1),
            "e-mail",
            &note(&[(
                "consent:email_bulletin",
                Some("udzielona"),
                Some("wycofana"),
            )]),
        )
        .await
        .unwrap();
        let twice = s
            .withdraw_organization_consent(granted, day(2024, 4, 2), "e-mail", &note(&[]))
            .await
            .unwrap_err();
        assert!(is_invalid(&twice, "date"));
        assert!(matches!(
            s.withdraw_organization_consent(9_999, day(2024, 4, 2), "e-mail", &note(&[]))
                .await
                .unwrap_err(),
            Error::NotFound("zgoda")
        ));
        let c = &s.organization_consents(dom).await.unwrap()[0];
        assert_eq!(
            (c.withdrawn_on, c.withdrawal_source.as_deref()),
            (Some(day(2024, 4, 1)), Some("e-mail"))
        );
        assert_eq!(logged("organization", dom).await, dom_logged + 2);
        let history = s.changes("organization", dom, 10).await.unwrap();
        assert_eq!(history[0].new_value.as_deref(), Some("wycofana"));
        let cma_consents = s.organization_consents(cma).await.unwrap();
        assert_eq!(
            cma_consents[0].withdrawal_source.as_deref(),
            Some("wypisanie z listy")
        );
        // After the withdrawal the organisation counts as "withdrawn" (2) for segments.
        assert_eq!(
            s.segment_candidates(&Segment {
                city: "Kraków".into(),
                ..Default::default()
            })
            .await
            .unwrap()[0]
                .consent,
            2
        );

        // Grant calls: areas in the list's order, open calls first, notices linked.
        let draft = |title: &str, deadline: NaiveDate, areas: &[&str]| GrantCallDraft {
            funder: "Urząd Miasta".into(),
            title: title.into(),
            deadline,
            amount: Some("10 000 zł".into()),
            link: None,
            notes: Some("uwagi".into()),
            areas: areas.iter().map(|a| a.to_string()).collect(),
        };
        let today = chrono::Local::now().date_naive();
        let past = s
            .save_grant_call(None, &draft("Stary", day(2020, 5, 1), &[]))
            .await
            .unwrap();
        let later = s
            .save_grant_call(
                None,
                &draft("Później", today + chrono::Days::new(30), &["1b", "1"]),
            )
            .await
            .unwrap();
        let soon = s
            .save_grant_call(None, &draft("Wkrótce", today, &["1"]))
            .await
            .unwrap();
        let older = s
            .save_grant_call(None, &draft("Dawny", day(2019, 5, 1), &[]))
            .await
            .unwrap();
        let call = s.get_grant_call(later).await.unwrap();
        assert_eq!(
            (
                call.title.as_str(),
                call.areas.clone(),
                call.amount.as_deref()
            ),
            (
                "Później",
                vec!["1".to_string(), "1b".to_string()],
                Some("10 000 zł")
            )
        );
        assert_eq!(
            s.save_grant_call(
                Some(later),
                &draft("Później!", today + chrono::Days::new(30), &["2"])
            )
            .await
            .unwrap(),
            later
        );
        let call = s.get_grant_call(later).await.unwrap();
        assert_eq!(
            (call.title.as_str(), call.areas.clone()),
            ("Później!", vec!["2".to_string()])
        );
        assert!(matches!(
            s.save_grant_call(Some(9_999), &draft("X", today, &[]))
                .await
                .unwrap_err(),
            Error::NotFound("konkurs")
        ));
        let page = s.grant_calls(0, 10).await.unwrap();
        assert_eq!(page.total, 4);
        assert_eq!(
            page.items.iter().map(|r| r.0).collect::<Vec<_>>(),
            [soon, later, past, older]
        );
        assert_eq!(page.items[0].3, today);
        let notice = s
            .insert_message(&message("Nabór"), Some(soon))
            .await
            .unwrap();
        assert_eq!(s.get_grant_call(soon).await.unwrap().messages, [notice]);
        assert_eq!(
            s.get_message(notice).await.unwrap().grant_call_id,
            Some(soon)
        );
        s.delete_grant_call(soon).await.unwrap();
        assert!(matches!(
            s.get_grant_call(soon).await.unwrap_err(),
            Error::NotFound("konkurs")
        ));
        assert_eq!(s.get_message(notice).await.unwrap().grant_call_id, None);
        assert_eq!(s.grant_calls(1, 1).await.unwrap().items.len(), 1);
    }

    #[tokio::test]
    async fn mail_lists_segments_consents_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        lists_segments_consents(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            lists_segments_consents(&pg).await;
        }
    }

    /// Messages and attachments, then a campaign through the queue: enqueue, claim, settle,
    /// retry, pause, resume, a crash mid-send, the user's decisions, counts and history.
    async fn messages_and_queue<S>(s: &S)
    where
        S: MailStore + OrganizationStore,
    {
        let orgs = s
            .insert_organizations(&[org("Dom Fundacja", "Kraków", Some("dom@example.pl"))])
            .await
            .unwrap();
        let dom = orgs[0];

        let draft = s
            .insert_message(&message("Biuletyn 1"), None)
            .await
            .unwrap();
        let mut tpl = message("Szablon");
        tpl.is_template = true;
        let template = s.insert_message(&tpl, None).await.unwrap();
        let pdf = s
            .add_attachment(draft, "plan.pdf", "application/pdf", b"%PDF-1.4 test")
            .await
            .unwrap();
        s.add_attachment(draft, "logo.png", "image/png", &[0u8, 159, 146, 150, 255])
            .await
            .unwrap();
        let m = s.get_message(draft).await.unwrap();
        assert_eq!(
            (m.status.as_str(), m.is_template, m.kind),
            ("draft", false, MessageKind::Bulletin)
        );
        assert_eq!(m.created_at.len(), 20);
        let files: Vec<(&str, i64)> = m
            .attachments
            .iter()
            .map(|a| (a.file_name.as_str(), a.size))
            .collect();
        assert_eq!(files, [("plan.pdf", 13), ("logo.png", 5)]);
        s.copy_attachments(draft, template).await.unwrap();
        assert_eq!(
            s.attachment_data(template).await.unwrap(),
            [
                (
                    "plan.pdf".to_string(),
                    "application/pdf".to_string(),
                    b"%PDF-1.4 test".to_vec()
                ),
                (
                    "logo.png".to_string(),
                    "image/png".to_string(),
                    vec![0u8, 159, 146, 150, 255]
                ),
            ]
        );
        s.delete_attachment(pdf).await.unwrap();
        assert!(matches!(
            s.delete_attachment(pdf).await.unwrap_err(),
            Error::NotFound("załącznik")
        ));
        assert_eq!(s.attachment_data(draft).await.unwrap().len(), 1);
        let list = s.save_mailing_list(None, "Wszyscy", None).await.unwrap();
        let mut edited = message("Biuletyn 1 — poprawiony");
        edited.kind = MessageKind::Notice;
        edited.list_id = Some(list);
        s.update_message(draft, &edited).await.unwrap();
        let m = s.get_message(draft).await.unwrap();
        assert_eq!(
            (m.subject.as_str(), m.kind, m.list_id),
            ("Biuletyn 1 — poprawiony", MessageKind::Notice, Some(list))
        );
        assert!(matches!(
            s.update_message(9_999, &edited).await.unwrap_err(),
            Error::NotFound("wiadomość")
        ));
        let folder = |f: &str| MessageQuery {
            folder: f.into(),
            offset: 0,
            limit: 50,
        };
        let ids =
            |p: crate::register::Page<MessageRow>| p.items.iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(
            ids(s.list_messages(&folder("drafts")).await.unwrap()),
            [draft]
        );
        assert_eq!(
            ids(s.list_messages(&folder("templates")).await.unwrap()),
            [template]
        );
        assert!(s
            .list_messages(&folder("sent"))
            .await
            .unwrap()
            .items
            .is_empty());
        let throwaway = s
            .insert_message(&message("Do usunięcia"), None)
            .await
            .unwrap();
        s.delete_message(throwaway).await.unwrap();
        assert!(matches!(
            s.delete_message(throwaway).await.unwrap_err(),
            Error::NotFound("wiadomość")
        ));

        // Enqueue: an address twice is queued once; the message leaves the drafts for good.
        let rs = [
            recipient(Some(dom), None, "dom@example.pl"),
            recipient(None, None, "b@example.pl"),
            recipient(None, None, "c@example.pl"),
            recipient(None, None, "dom@example.pl"),
        ];
        assert_eq!(s.enqueue(draft, "Wszyscy", &rs, 2, 1).await.unwrap(), 3);
        assert!(matches!(
            s.enqueue(draft, "Wszyscy", &rs, 0, 0).await.unwrap_err(),
            Error::BadArgument(_)
        ));
        assert!(matches!(
            s.enqueue(9_999, "Wszyscy", &rs, 0, 0).await.unwrap_err(),
            Error::BadArgument(_)
        ));
        assert!(matches!(
            s.update_message(draft, &edited).await.unwrap_err(),
            Error::BadArgument(_)
        ));
        assert!(matches!(
            s.delete_message(draft).await.unwrap_err(),
            Error::BadArgument(_)
        ));
        let m = s.get_message(draft).await.unwrap();
        assert_eq!(
            (
                m.status.as_str(),
                m.list_name.as_deref(),
                m.skipped_no_consent,
                m.skipped_other
            ),
            ("sending", Some("Wszyscy"), 2, 1)
        );
        assert!(m.queued_at.is_some() && m.finished_at.is_none());
        assert_eq!(
            m.counts,
            QueueCounts {
                queued: 3,
                ..Default::default()
            }
        );
        let sent_folder = s.list_messages(&folder("sent")).await.unwrap();
        assert_eq!(
            (
                sent_folder.items[0].id,
                sent_folder.items[0].sent,
                sent_folder.items[0].total
            ),
            (draft, 0, 3)
        );
        assert_eq!(s.sending_messages().await.unwrap(), [draft]);
        let rows = s.queue_rows(draft, None, 0, 10).await.unwrap();
        assert_eq!(rows.total, 3);
        let row_ids: Vec<i64> = rows.items.iter().map(|r| r.id).collect();
        assert_eq!(rows.items[0].address, "dom@example.pl");
        assert_eq!(rows.items[0].organization_id, Some(dom));

        // The sending loop: claim in queue order, settle each answer.
        let mut q = s.queue_conn().await.unwrap();
        assert_eq!(q.mark_interrupted().await.unwrap(), 0);
        let first = q.claim_next(None).await.unwrap().unwrap();
        assert_eq!(
            (first.id, first.message_id, first.attempts),
            (row_ids[0], draft, 1)
        );
        assert_eq!(first.recipient_name, "Odbiorca dom@example.pl");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&first.merge_fields).unwrap()["imie"],
            "Anna"
        );
        assert_eq!(
            q.counts_for(&[draft]).await.unwrap(),
            QueueCounts {
                queued: 2,
                sending: 1,
                ..Default::default()
            }
        );
        q.settle(first.id, "sent", "250 OK").await.unwrap();
        // A temporary failure goes back to the queue and is claimed again, one attempt more.
        let second = q.claim_next(Some(draft)).await.unwrap().unwrap();
        assert_eq!(second.id, row_ids[1]);
        q.settle(second.id, "queued", "421 spróbuj później")
            .await
            .unwrap();
        let again = q.claim_next(Some(draft)).await.unwrap().unwrap();
        assert_eq!((again.id, again.attempts), (row_ids[1], 2));
        q.settle(again.id, "failed", "550 nie ma takiej skrzynki")
            .await
            .unwrap();
        // Paused: nothing is claimed until resumed.
        q.pause_all(Some(draft)).await.unwrap();
        assert_eq!(s.get_message(draft).await.unwrap().status, "paused");
        assert!(q.claim_next(None).await.unwrap().is_none());
        assert!(s.sending_messages().await.unwrap().is_empty());
        assert_eq!(s.resume_paused().await.unwrap(), 1);
        assert_eq!(s.sending_messages().await.unwrap(), [draft]);
        // Claimed, then the process dies before the server's answer: uncertain, not resent.
        let third = q.claim_next(None).await.unwrap().unwrap();
        assert_eq!(third.id, row_ids[2]);
        drop(q);
        assert_eq!(interrupted_after_crash(s).await, 1);
        let mut q = s.queue_conn().await.unwrap();
        assert!(q.claim_next(None).await.unwrap().is_none());
        q.finish_messages().await.unwrap();
        let m = s.get_message(draft).await.unwrap();
        assert_eq!(m.status, "done");
        assert!(m.finished_at.is_some());
        assert_eq!(
            m.counts,
            QueueCounts {
                sent: 1,
                failed: 1,
                uncertain: 1,
                ..Default::default()
            }
        );
        assert_eq!(q.counts_for(&[draft, template]).await.unwrap(), m.counts);
        let uncertain = s.queue_rows(draft, Some("uncertain"), 0, 10).await.unwrap();
        assert_eq!(
            (
                uncertain.total,
                uncertain.items[0].id,
                uncertain.items[0].attempts
            ),
            (1, row_ids[2], 1)
        );
        assert!(uncertain.items[0]
            .reply
            .as_deref()
            .unwrap()
            .starts_with("przerwano"));
        assert_eq!(
            s.queue_rows(draft, Some(""), 1, 1).await.unwrap().items[0].id,
            row_ids[1]
        );
        assert_eq!(
            s.list_messages(&folder("sent")).await.unwrap().items[0].sent,
            1
        );

        // The user's decisions: the failed row again (message back to sending), the uncertain
        // one confirmed as sent.
        assert_eq!(
            s.requeue(draft, &["uncertain"], Some(&[row_ids[0]]))
                .await
                .unwrap(),
            0
        );
        assert_eq!(s.get_message(draft).await.unwrap().status, "done");
        assert_eq!(
            s.requeue(draft, &["failed", "uncertain"], Some(&[row_ids[1]]))
                .await
                .unwrap(),
            1
        );
        let m = s.get_message(draft).await.unwrap();
        assert_eq!(
            (m.status.as_str(), m.finished_at.as_deref()),
            ("sending", None)
        );
        assert_eq!(
            s.queue_rows(draft, Some("queued"), 0, 10)
                .await
                .unwrap()
                .items[0]
                .attempts,
            0
        );
        assert_eq!(s.mark_uncertain_sent(draft, None).await.unwrap(), 1);
        assert_eq!(s.mark_uncertain_sent(draft, None).await.unwrap(), 0);
        let resent = q.claim_next(None).await.unwrap().unwrap();
        assert_eq!((resent.id, resent.attempts), (row_ids[1], 1));
        q.settle(resent.id, "sent", "250 OK").await.unwrap();
        q.finish_messages().await.unwrap();
        assert_eq!(
            s.get_message(draft).await.unwrap().counts,
            QueueCounts {
                sent: 3,
                ..Default::default()
            }
        );
        assert!(!s
            .set_message_status(draft, &["sending", "paused"], "done")
            .await
            .unwrap());
        assert!(s
            .set_message_status(draft, &["done"], "paused")
            .await
            .unwrap());
        assert!(s
            .set_message_status(draft, &["paused"], "done")
            .await
            .unwrap());
        assert!(s.get_message(draft).await.unwrap().finished_at.is_some());

        // History of the organisation, bounces.
        let history = s.mail_history(Some(dom), None, 10).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(
            (
                history[0].message_id,
                history[0].subject.as_str(),
                history[0].status.as_str()
            ),
            (draft, "Biuletyn 1 — poprawiony", "sent")
        );
        assert!(s.mail_history(None, Some(1), 10).await.unwrap().is_empty());
        s.record_bounce("B@Example.pl", "550 brak").await.unwrap();
        s.record_bounce("b@example.pl", "550 nadal brak")
            .await
            .unwrap();
        s.record_bounce("z@example.pl", "550").await.unwrap();
        assert_eq!(
            s.bounced_addresses().await.unwrap(),
            HashSet::from(["b@example.pl".to_string(), "z@example.pl".to_string()])
        );
        let page = s.bounces(0, 10).await.unwrap();
        assert_eq!(page.total, 2);
        assert!(page
            .items
            .iter()
            .any(|(a, _, r)| a == "b@example.pl" && r == "550 nadal brak"));
        s.remove_bounce("Z@example.PL").await.unwrap();
        assert_eq!(s.bounces(0, 10).await.unwrap().total, 1);
    }

    #[tokio::test]
    async fn mail_messages_and_queue_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        messages_and_queue(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            messages_and_queue(&pg).await;
        }
    }

    /// One sender per campaign: while one queue holds a campaign, a second sender gets none of
    /// it (a file: no campaign at all, refused as busy; a server: the others' campaigns only),
    /// and once the first queue is gone (its process ended or died) the second may hold it.
    async fn one_sender_per_campaign(s: &impl MailStore, file: bool) {
        let a = s
            .insert_message(&message("Kampania A"), None)
            .await
            .unwrap();
        let b = s
            .insert_message(&message("Kampania B"), None)
            .await
            .unwrap();
        let mut first = s.queue_conn().await.unwrap();
        assert_eq!(first.hold_campaigns(&[a]).await.unwrap(), [a]);
        // Holding again from the same sender is no refusal.
        assert_eq!(first.hold_campaigns(&[a]).await.unwrap(), [a]);
        let mut second = s.queue_conn().await.unwrap();
        match second.hold_campaigns(&[a, b]).await {
            Err(Error::Busy(m)) if file => assert!(m.contains("Wysyłka już trwa"), "{m}"),
            Ok(held) if !file => assert_eq!(held, [b]),
            other => panic!("{other:?}"),
        }
        drop(second);
        drop(first);
        // A server notices the closed session at once; a file's lock goes with the handle.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let mut third = s.queue_conn().await.unwrap();
        loop {
            match third.hold_campaigns(&[a, b]).await {
                Ok(held) if held == [a, b] => break,
                other => assert!(
                    std::time::Instant::now() < deadline,
                    "still held after the first sender went away: {other:?}"
                ),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    #[tokio::test]
    async fn one_sender_per_campaign_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        one_sender_per_campaign(&sqlite, true).await;
        if let Some(pg) = fresh_pg().await {
            one_sender_per_campaign(&pg, false).await;
        }
    }

    /// PostgreSQL only (several PCs on one server): four senders emptying one queue at once
    /// take every row exactly once, and a sender's start never marks a live colleague's claim
    /// as interrupted, only a dead one's.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn pg_only_concurrent_senders_never_share_a_row() {
        let Some(pg) = fresh_pg().await else { return };
        let msg = pg
            .insert_message(&message("Do wszystkich"), None)
            .await
            .unwrap();
        let rs: Vec<Recipient> = (0..300)
            .map(|i| recipient(None, None, &format!("r{i}@example.pl")))
            .collect();
        assert_eq!(pg.enqueue(msg, "Wszyscy", &rs, 0, 0).await.unwrap(), 300);

        // A temporary failure on one PC: the row goes back to the queue with its lock let go,
        // so another PC takes it at once (a kept lock would make that claim wait forever).
        let mut first = pg.queue_conn().await.unwrap();
        let retried = first.claim_next(None).await.unwrap().unwrap();
        first
            .settle(retried.id, "queued", "421 później")
            .await
            .unwrap();
        let mut second = pg.queue_conn().await.unwrap();
        let again = tokio::time::timeout(Duration::from_secs(10), second.claim_next(None))
            .await
            .expect("the claim waited for a lock the first PC should have let go")
            .unwrap()
            .unwrap();
        assert_eq!((again.id, again.attempts), (retried.id, 2));
        second
            .settle(again.id, "queued", "421 później")
            .await
            .unwrap();
        drop((first, second));

        // A live colleague holds a claim while another PC starts its run.
        let mut colleague = pg.queue_conn().await.unwrap();
        let held = colleague.claim_next(None).await.unwrap().unwrap();
        let mut starting = pg.queue_conn().await.unwrap();
        assert_eq!(starting.mark_interrupted().await.unwrap(), 0);
        drop(starting);

        let mut senders = Vec::new();
        for _ in 0..4 {
            let (store, retried) = (pg.clone(), retried.clone());
            senders.push(tokio::spawn(async move {
                let mut q = store.queue_conn().await.unwrap();
                let mut mine = Vec::new();
                while let Some(c) = q.claim_next(Some(msg)).await.unwrap() {
                    let expected = if c.id == retried.id { 3 } else { 1 };
                    assert_eq!(c.attempts, expected, "row {} claimed twice", c.id);
                    q.settle(c.id, "sent", "250 OK").await.unwrap();
                    mine.push(c.id);
                    tokio::task::yield_now().await;
                }
                mine
            }));
        }
        let mut all = Vec::new();
        let mut busy = 0;
        for s in senders {
            let mine = s.await.unwrap();
            busy += usize::from(!mine.is_empty());
            all.extend(mine);
        }
        let unique: HashSet<i64> = all.iter().copied().collect();
        assert_eq!(all.len(), 299, "every free row once");
        assert_eq!(unique.len(), 299, "no row twice");
        assert!(!unique.contains(&held.id));
        assert!(busy >= 2, "the senders worked side by side ({busy})");
        let counts = pg.get_message(msg).await.unwrap().counts;
        assert_eq!(
            counts,
            QueueCounts {
                sent: 299,
                sending: 1,
                ..Default::default()
            }
        );

        // The colleague's PC dies with its claim open: only now is the row interrupted.
        drop(colleague);
        assert_eq!(interrupted_after_crash(&pg).await, 1);
        let mut q = pg.queue_conn().await.unwrap();
        q.finish_messages().await.unwrap();
        let m = pg.get_message(msg).await.unwrap();
        assert_eq!(
            (m.status.as_str(), m.counts.uncertain, m.counts.sent),
            ("done", 1, 299)
        );
    }

    /// PostgreSQL only: two PCs queueing the same draft at once queue it once (the other is
    /// told it is already queued), and two PCs naming a new list alike get one list and the
    /// usual message, not a database error.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn pg_only_concurrent_enqueue_and_list_names() {
        let Some(pg) = fresh_pg().await else { return };
        for round in 0..5 {
            let msg = pg.insert_message(&message("Raz"), None).await.unwrap();
            let rs: Vec<Recipient> = (0..50)
                .map(|i| recipient(None, None, &format!("r{i}@example.pl")))
                .collect();
            let tries: Vec<_> = (0..2)
                .map(|skipped| {
                    let (store, rs) = (pg.clone(), rs.clone());
                    tokio::spawn(
                        async move { store.enqueue(msg, "Wszyscy", &rs, skipped, 0).await },
                    )
                })
                .collect();
            let mut queued = Vec::new();
            let mut refused = 0;
            for t in tries {
                match t.await.unwrap() {
                    Ok(n) => queued.push(n),
                    Err(Error::BadArgument(_)) => refused += 1,
                    Err(e) => panic!("round {round}: {e:?}"),
                }
            }
            assert_eq!((queued, refused), (vec![50], 1), "round {round}");
            let m = pg.get_message(msg).await.unwrap();
            assert_eq!(m.counts.queued, 50);

            let name = format!("Lista {round}");
            let saves: Vec<_> = (0..2)
                .map(|_| {
                    let (store, name) = (pg.clone(), name.clone());
                    tokio::spawn(async move { store.save_mailing_list(None, &name, None).await })
                })
                .collect();
            let mut saved = 0;
            for t in saves {
                match t.await.unwrap() {
                    Ok(_) => saved += 1,
                    Err(e) => assert!(is_invalid(&e, "name"), "round {round}: {e:?}"),
                }
            }
            assert_eq!(saved, 1, "round {round}");
        }
    }
}
