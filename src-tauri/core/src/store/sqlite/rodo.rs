//! The store's side of the RODO tools: everything held about one person, erasure,
//! anonymisation, and the retention rules' selection. Each change is one transaction.

use super::{now, person_rowid, SqliteStore, BY_RETENTION};
use crate::error::{Error, Result};
use crate::rodo::*;
use crate::store::*;
use chrono::NaiveDate;
use sqlx::SqliteConnection;

#[async_trait::async_trait]
impl RodoStore for SqliteStore {
    async fn person_activity(&self, id: i64) -> Result<PersonActivity> {
        let advice = sqlx::query_as(
            "SELECT a.given_on, a.advisor, a.channel, a.description, a.outcome,
                    (SELECT GROUP_CONCAT(c.name, '; ') FROM advice_record_categories rc JOIN advice_categories c ON c.code = rc.category_code WHERE rc.advice_id = a.id) AS categories
             FROM advice_records a WHERE a.person_id = ? ORDER BY a.given_on",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let events = sqlx::query_as(
            "SELECT e.title, e.starts_at, r.status, r.attended FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE r.person_id = ? ORDER BY e.starts_at",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let consultations = sqlx::query_as(
            "SELECT c.given_on, COALESCE(o.name, '') AS organization, t.name AS topic, c.notes FROM consultations c
             LEFT JOIN organizations o ON o.id = c.organization_id JOIN consultation_topics t ON t.code = c.topic WHERE c.person_id = ? ORDER BY c.given_on",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let lists = sqlx::query_scalar("SELECT l.name FROM mailing_list_members m JOIN mailing_lists l ON l.id = m.list_id WHERE m.person_id = ? ORDER BY l.name")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        Ok(PersonActivity {
            advice,
            events,
            consultations,
            lists,
        })
    }

    async fn erase_person(&self, id: i64, user: &str) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(Error::NotFound("osoba"));
        }
        Self::purge_person_traces(&mut tx, id).await?;
        // Advice given stays in the statistics, without the link and the case description.
        // A new revision, so an advice form opened before the erasure cannot write it back.
        sqlx::query("UPDATE advice_records SET person_id = NULL, description = NULL, updated_at = ?, revision = revision + 1, changed_by = ? WHERE person_id = ?").bind(now()).bind(user).bind(id).execute(&mut *tx).await?;
        sqlx::query("UPDATE consultations SET person_id = NULL WHERE person_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Sent mail: the campaign's counts stay, the address and name go.
        sqlx::query("UPDATE mail_queue SET address = 'usunieto-' || id, recipient_name = '', merge_fields = '{}', reply = CASE WHEN reply IS NULL THEN NULL ELSE 'odpowiedź serwera usunięta (RODO)' END, person_id = NULL WHERE person_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM search_index WHERE rowid = ?")
            .bind(person_rowid(id))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM change_log WHERE entity = 'person' AND entity_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Contacts, roles, consents, registrations and list memberships go with the row.
        sqlx::query("DELETE FROM people WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO change_log (at, user_name, entity, entity_id, field, old_value, new_value) VALUES (?, ?, 'person', ?, 'erased', NULL, 'usunięto dane osobowe (art. 17 RODO)')")
            .bind(now())
            .bind(user)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn anonymize_person(&self, id: i64, user: &str) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let stamp = now();
        let done = sqlx::query("UPDATE people SET first_name = 'Osoba', last_name = ?, notes = NULL, archived_at = COALESCE(archived_at, ?), updated_at = ?, name_key = ?, revision = revision + 1, changed_by = ? WHERE id = ?")
            .bind(format!("zanonimizowana nr {id}"))
            .bind(&stamp)
            .bind(&stamp)
            .bind(crate::text::collation::sort_key(&format!("zanonimizowana nr {id} Osoba")))
            .bind(user)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("osoba"));
        }
        Self::purge_person_traces(&mut tx, id).await?;
        for sql in [
            "DELETE FROM person_contacts WHERE person_id = ?",
            "DELETE FROM consents WHERE person_id = ?",
            "DELETE FROM mailing_list_members WHERE person_id = ?",
            "UPDATE mail_queue SET address = 'usunieto-' || id, recipient_name = '', merge_fields = '{}', reply = CASE WHEN reply IS NULL THEN NULL ELSE 'odpowiedź serwera usunięta (RODO)' END WHERE person_id = ?",
            "DELETE FROM change_log WHERE entity = 'person' AND entity_id = ?",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        // A new revision, so an advice form opened before cannot write the description back.
        sqlx::query("UPDATE advice_records SET description = NULL, updated_at = ?, revision = revision + 1, changed_by = ? WHERE person_id = ?")
            .bind(&stamp)
            .bind(user)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE search_index SET body = ? WHERE rowid = ?")
            .bind(format!("osoba zanonimizowana {id}"))
            .bind(person_rowid(id))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO change_log (at, user_name, entity, entity_id, field, old_value, new_value) VALUES (?, ?, 'person', ?, 'anonymized', NULL, 'zanonimizowano (RODO)')")
            .bind(&stamp)
            .bind(user)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn scrub_removed_data(&self) -> Result<bool> {
        sqlx::query("INSERT INTO search_index (search_index) VALUES ('optimize')")
            .execute(&self.pool)
            .await?;
        let stat4: Option<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat4'",
        )
        .fetch_optional(&self.pool)
        .await?;
        if stat4.is_some() {
            // STAT4 keeps sample index keys, e.g. an e-mail from person_contacts_value.
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT DISTINCT tbl FROM sqlite_stat4 WHERE tbl IN ('people', 'person_contacts', 'mail_queue', 'mail_bounces', 'change_log', 'consents', 'import_prior_values')",
            )
            .fetch_all(&self.pool)
            .await?;
            let mut conn = self.pool.acquire().await?;
            for t in tables {
                sqlx::query(&format!("ANALYZE \"{t}\""))
                    .execute(&mut *conn)
                    .await?;
            }
        }
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&self.pool)
            .await?;
        Ok(busy == 0)
    }

    async fn strip_advice(&self, ids: &[i64]) -> Result<()> {
        self.update_each(&format!("UPDATE advice_records SET person_id = NULL, description = NULL, updated_at = ?, revision = revision + 1, changed_by = '{BY_RETENTION}' WHERE id = ?"), ids).await
    }

    async fn strip_consultations(&self, ids: &[i64]) -> Result<()> {
        self.update_each(
            "UPDATE consultations SET person_id = NULL, notes = NULL, updated_at = ? WHERE id = ?",
            ids,
        )
        .await
    }

    async fn remove_event_lists(&self, ids: &[i64], today: NaiveDate) -> Result<u64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut removed = 0;
        for id in ids {
            sqlx::query(
                "UPDATE events SET
                    removed_registered = removed_registered + (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = events.id AND g.status = 'registered'),
                    removed_attended = removed_attended + (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = events.id AND g.attended = 1),
                    list_removed_on = ?, updated_at = ?
                 WHERE id = ?",
            )
            .bind(today.format("%Y-%m-%d").to_string())
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            removed += sqlx::query("DELETE FROM event_registrations WHERE event_id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(removed)
    }

    async fn strip_mail(&self, before: NaiveDate) -> Result<u64> {
        Ok(sqlx::query("UPDATE mail_queue SET address = 'usunieto-' || id, recipient_name = '', merge_fields = '{}', reply = CASE WHEN reply IS NULL THEN NULL ELSE 'odpowiedź serwera usunięta (RODO)' END WHERE updated_at < ? AND address NOT LIKE 'usunieto-%'")
            .bind(before.format("%Y-%m-%d").to_string())
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    async fn advice_past_retention(&self, before: NaiveDate) -> Result<Vec<(i64, NaiveDate)>> {
        Ok(sqlx::query_as("SELECT id, given_on FROM advice_records WHERE given_on < ? AND (person_id IS NOT NULL OR description IS NOT NULL) ORDER BY given_on")
            .bind(before)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn consultations_past_retention(
        &self,
        before: NaiveDate,
    ) -> Result<Vec<(i64, NaiveDate)>> {
        Ok(sqlx::query_as("SELECT id, given_on FROM consultations WHERE given_on < ? AND (person_id IS NOT NULL OR notes IS NOT NULL) ORDER BY given_on")
            .bind(before)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn event_lists_past_retention(
        &self,
        before: NaiveDate,
    ) -> Result<Vec<(i64, String, String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT e.id, e.title, e.starts_at, COUNT(*) FROM events e JOIN event_registrations g ON g.event_id = e.id
             WHERE COALESCE(e.ends_at, e.starts_at) < ? GROUP BY e.id, e.title, e.starts_at ORDER BY e.starts_at",
        )
        .bind(before.format("%Y-%m-%d").to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    async fn people_past_retention(&self, before: NaiveDate) -> Result<Vec<(i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, first_name || ' ' || last_name, archived_at FROM people WHERE archived_at IS NOT NULL AND archived_at < ? AND first_name <> 'Osoba' ORDER BY archived_at",
        )
        .bind(before.format("%Y-%m-%d").to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    async fn mail_past_retention(&self, before: NaiveDate) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM mail_queue WHERE updated_at < ? AND address NOT LIKE 'usunieto-%'")
            .bind(before.format("%Y-%m-%d").to_string())
            .fetch_one(&self.pool)
            .await?)
    }
}

impl SqliteStore {
    /// What both erasure and anonymisation remove besides the person's own rows: the import
    /// snapshots (an undo would write them back), bounces of the person's addresses (the
    /// server's reply echoes the address), and the notes of consultations they came to.
    /// Runs inside the caller's transaction, before the contacts and queue rows change.
    async fn purge_person_traces(tx: &mut SqliteConnection, id: i64) -> Result<()> {
        sqlx::query(
            "DELETE FROM mail_bounces WHERE lower(address) IN (
                 SELECT lower(value) FROM person_contacts WHERE person_id = ?1 AND kind = 'email'
                 UNION SELECT lower(address) FROM mail_queue WHERE person_id = ?1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM import_prior_values WHERE record_kind = 'person' AND record_id = ?",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE consultations SET notes = NULL, updated_at = ? WHERE person_id = ? AND notes IS NOT NULL").bind(now()).bind(id).execute(&mut *tx).await?;
        Ok(())
    }

    /// Runs `sql` (binding the time, then the id) for each id, all in one transaction.
    async fn update_each(&self, sql: &str, ids: &[i64]) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let stamp = now();
        for id in ids {
            sqlx::query(sql)
                .bind(&stamp)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
