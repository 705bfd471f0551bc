//! The store's side of daily work: events in a date range (calendar, "Dziś"), campaigns still in
//! progress, a person's registrations and consultations, the advisors' names, and advice found
//! by an anonymous client's code.

use super::SqliteStore;
use crate::consultations::Consultation;
use crate::daily::{CalendarEvent, CampaignInProgress, PersonEvent};
use crate::error::Result;
use crate::register::{Page, RecordKind, SearchHit};
use crate::store::*;
use chrono::{NaiveDate, NaiveDateTime};

/// The first string after every string that starts with `prefix` (ASCII letters and digits),
/// the same in SQLite's BINARY and PostgreSQL's "C" collation.
pub(crate) fn key_range_end(prefix: &str) -> String {
    let mut end = prefix.to_string();
    if let Some(last) = end.pop() {
        end.push((last as u8 + 1) as char);
    }
    end
}

#[async_trait::async_trait]
impl DailyStore for SqliteStore {
    async fn campaigns_in_progress(&self, limit: u32) -> Result<Page<CampaignInProgress>> {
        const WHERE: &str = "m.is_template = 0 AND (m.status IN ('sending', 'paused')
             OR EXISTS (SELECT 1 FROM mail_queue q WHERE q.message_id = m.id AND q.status = 'uncertain'))";
        let items = sqlx::query_as(&format!(
            "SELECT m.id, m.subject, m.status,
             (SELECT COUNT(*) FROM mail_queue q WHERE q.message_id = m.id AND q.status IN ('queued', 'sending')) AS queued,
             (SELECT COUNT(*) FROM mail_queue q WHERE q.message_id = m.id AND q.status = 'sent') AS sent,
             (SELECT COUNT(*) FROM mail_queue q WHERE q.message_id = m.id AND q.status = 'failed') AS failed,
             (SELECT COUNT(*) FROM mail_queue q WHERE q.message_id = m.id AND q.status = 'uncertain') AS uncertain
             FROM mail_messages m WHERE {WHERE} ORDER BY m.updated_at DESC, m.id DESC LIMIT ?"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM mail_messages m WHERE {WHERE}"
        ))
        .fetch_one(&self.pool)
        .await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: 0,
        })
    }

    async fn person_events(&self, person_id: i64, limit: u32) -> Result<Page<PersonEvent>> {
        let items = sqlx::query_as(
            "SELECT e.id AS event_id, e.title, e.starts_at, r.status, r.attended FROM event_registrations r JOIN events e ON e.id = r.event_id
             WHERE r.person_id = ? ORDER BY e.starts_at DESC, e.id DESC LIMIT ?",
        )
        .bind(person_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM event_registrations WHERE person_id = ?")
                .bind(person_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: 0,
        })
    }

    async fn person_consultations(&self, person_id: i64, limit: u32) -> Result<Page<Consultation>> {
        let items = sqlx::query_as(&format!(
            "{} WHERE c.person_id = ? ORDER BY c.given_on DESC, c.id DESC LIMIT ?",
            Self::CONSULTATION_SELECT
        ))
        .bind(person_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM consultations WHERE person_id = ?")
                .bind(person_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: 0,
        })
    }

    async fn advice_advisors(&self, limit: u32) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT advisor FROM advice_records GROUP BY advisor ORDER BY COUNT(*) DESC, advisor LIMIT ?")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn advice_by_client_code(&self, typed: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let code: String = typed
            .to_uppercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let looks_like_code = code.len() >= 3
            && code.chars().any(|c| c.is_ascii_digit())
            && typed
                .trim()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ');
        if !looks_like_code {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, String, NaiveDate, Option<String>)> = sqlx::query_as(
            "SELECT a.id, a.client_code, a.given_on,
             (SELECT group_concat(c.name, ', ') FROM advice_record_categories rc JOIN advice_categories c ON c.code = rc.category_code WHERE rc.advice_id = a.id)
             FROM advice_records a WHERE a.client_code IS NOT NULL AND REPLACE(a.client_code, '-', '') LIKE ?
             AND upper(replace(a.client_code, '-', '')) >= ? AND upper(replace(a.client_code, '-', '')) < ?
             ORDER BY a.given_on DESC, a.id DESC LIMIT ?",
        )
        .bind(format!("{code}%"))
        // The same rows as the LIKE alone, read through advice_records_client_code_key: every
        // code starting with `code` (ASCII letters and digits, LIKE ignores their case, upper()
        // folds the same ASCII letters only) sorts between `code` and `code` with its last
        // character raised by one.
        .bind(&code)
        .bind(key_range_end(&code))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, code, given_on, categories)| SearchHit {
                kind: RecordKind::Advice,
                id,
                name: code,
                detail: Some(match categories {
                    Some(c) => format!("{} · {c}", given_on.format("%d.%m.%Y")),
                    None => given_on.format("%d.%m.%Y").to_string(),
                }),
                archived: false,
            })
            .collect())
    }

    async fn calendar_events(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
        limit: u32,
    ) -> Result<(Vec<CalendarEvent>, u64)> {
        let items = sqlx::query_as(
            "SELECT e.id, e.title, e.kind, e.starts_at, e.ends_at, e.place, e.capacity,
             e.removed_registered + (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id AND g.status = 'registered') AS registered,
             (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id AND g.status = 'waiting') AS waiting
             FROM events e WHERE e.starts_at >= ? AND e.starts_at < ? ORDER BY e.starts_at, e.id LIMIT ?",
        )
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM events WHERE starts_at >= ? AND starts_at < ?",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        Ok((items, total as u64))
    }
}
