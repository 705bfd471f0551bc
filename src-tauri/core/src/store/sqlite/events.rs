//! SQLite: events, registrations and attendance.

use super::*;
use crate::error::{Error, Result};
use crate::events::{Event, EventDraft, EventQuery, EventRow, Registration};
use chrono::NaiveDate;
use sqlx::{QueryBuilder, Row, Sqlite};

#[async_trait::async_trait]
impl EventStore for SqliteStore {
    // ----- events ---------------------------------------------------------------------------

    async fn save_event(&self, id: Option<i64>, d: &EventDraft) -> Result<i64> {
        let stamp = now();
        match id {
            None => Ok(sqlx::query_scalar(
                "INSERT INTO events (title, kind, starts_at, ends_at, place, trainer, topic, description, capacity, created_at, updated_at, public)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(&d.title)
            .bind(&d.kind)
            .bind(d.starts_at)
            .bind(d.ends_at)
            .bind(&d.place)
            .bind(&d.trainer)
            .bind(&d.topic)
            .bind(&d.description)
            .bind(d.capacity)
            .bind(&stamp)
            .bind(&stamp)
            .bind(d.public)
            .fetch_one(&self.pool)
            .await?),
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE events SET title = ?, kind = ?, starts_at = ?, ends_at = ?, place = ?, trainer = ?, topic = ?, description = ?,
                     capacity = ?, updated_at = ?, public = ? WHERE id = ?",
                )
                .bind(&d.title)
                .bind(&d.kind)
                .bind(d.starts_at)
                .bind(d.ends_at)
                .bind(&d.place)
                .bind(&d.trainer)
                .bind(&d.topic)
                .bind(&d.description)
                .bind(d.capacity)
                .bind(&stamp)
                .bind(d.public)
                .bind(id)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(Error::NotFound("wydarzenie"));
                }
                Ok(id)
            }
        }
    }

    async fn delete_event(&self, id: i64) -> Result<()> {
        self.delete_by_id("events", id, "wydarzenie").await
    }

    async fn get_event(&self, id: i64) -> Result<Event> {
        let r = sqlx::query("SELECT * FROM events WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("wydarzenie"))?;
        let registrations: Vec<Registration> = sqlx::query_as(
            "SELECT g.id, g.person_id, p.first_name || ' ' || p.last_name AS person_name, g.organization_id, o.name AS organization_name,
                    g.status, g.attended
             FROM event_registrations g JOIN people p ON p.id = g.person_id LEFT JOIN organizations o ON o.id = g.organization_id
             WHERE g.event_id = ? ORDER BY CASE g.status WHEN 'registered' THEN 0 ELSE 1 END, g.registered_at, g.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Event {
            id,
            title: r.get("title"),
            kind: r.get("kind"),
            starts_at: r.get("starts_at"),
            ends_at: r.get("ends_at"),
            place: r.get("place"),
            trainer: r.get("trainer"),
            topic: r.get("topic"),
            description: r.get("description"),
            capacity: r.get("capacity"),
            public: r.get("public"),
            room_id: None,
            room_name: None,
            registrations,
            removed_registered: r.get("removed_registered"),
            removed_attended: r.get("removed_attended"),
            list_removed_on: r.get("list_removed_on"),
            created_at: r.get("created_at"),
            updated_at: r.get("updated_at"),
        })
    }

    async fn unregister(&self, registration_id: i64) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT event_id, status FROM event_registrations WHERE id = ?")
                .bind(registration_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((event_id, status)) = row else {
            return Err(Error::NotFound("zgłoszenie"));
        };
        sqlx::query("DELETE FROM event_registrations WHERE id = ?")
            .bind(registration_id)
            .execute(&mut *tx)
            .await?;
        if status == "registered" {
            sqlx::query(
                "UPDATE event_registrations SET status = 'registered' WHERE id = (SELECT id FROM event_registrations
                 WHERE event_id = ? AND status = 'waiting' ORDER BY registered_at, id LIMIT 1)",
            )
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn set_attended(&self, registration_id: i64, attended: bool) -> Result<()> {
        let done = sqlx::query("UPDATE event_registrations SET attended = ? WHERE id = ?")
            .bind(attended)
            .bind(registration_id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("zgłoszenie"));
        }
        Ok(())
    }

    async fn list_events(&self, q: &EventQuery, today: NaiveDate) -> Result<Page<EventRow>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT e.id, e.title, e.kind, e.starts_at, e.place, e.capacity,
             e.removed_registered + (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id AND g.status = 'registered') AS registered,
             (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id AND g.status = 'waiting') AS waiting
             FROM events e",
        );
        let from = today.and_hms_opt(0, 0, 0).expect("midnight");
        if q.upcoming {
            qb.push(" WHERE e.starts_at >= ")
                .push_bind(from)
                .push(" ORDER BY e.starts_at ASC, e.id ASC");
        } else {
            qb.push(" ORDER BY e.starts_at DESC, e.id DESC");
        }
        qb.push(" LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let items = qb
            .build_query_as::<EventRow>()
            .fetch_all(&self.pool)
            .await?;
        let total: i64 = if q.upcoming {
            sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE starts_at >= ?")
                .bind(from)
                .fetch_one(&self.pool)
                .await?
        } else {
            sqlx::query_scalar("SELECT COUNT(*) FROM events")
                .fetch_one(&self.pool)
                .await?
        };
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }

    async fn register_for_event(
        &self,
        event_id: i64,
        person_id: i64,
        organization_id: Option<i64>,
    ) -> Result<String> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let event: Option<(Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT capacity, list_removed_on FROM events WHERE id = ?")
                .bind(event_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((capacity, list_removed_on)) = event else {
            return Err(Error::NotFound("wydarzenie"));
        };
        if list_removed_on.is_some() {
            // Its list went under the retention period; a new one would mix with the kept counts.
            return Err(Error::invalid("person_id", "Lista obecności tego wydarzenia została usunięta po okresie przechowywania — nie można już na nie zapisywać."));
        }
        let person: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = ?")
            .bind(person_id)
            .fetch_optional(&mut *tx)
            .await?;
        if person.is_none() {
            return Err(Error::invalid(
                "person_id",
                "Wybrana osoba nie istnieje w rejestrze.",
            ));
        }
        let already: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM event_registrations WHERE event_id = ? AND person_id = ?",
        )
        .bind(event_id)
        .bind(person_id)
        .fetch_optional(&mut *tx)
        .await?;
        if already.is_some() {
            return Err(Error::invalid(
                "person_id",
                "Ta osoba jest już zapisana na to wydarzenie.",
            ));
        }
        let taken: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = 'registered'",
        )
        .bind(event_id)
        .fetch_one(&mut *tx)
        .await?;
        let status = if capacity.is_some_and(|c| taken >= c) {
            "waiting"
        } else {
            "registered"
        };
        sqlx::query("INSERT INTO event_registrations (event_id, person_id, organization_id, status, registered_at) VALUES (?, ?, ?, ?, ?)")
            .bind(event_id)
            .bind(person_id)
            .bind(organization_id)
            .bind(status)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(status.to_string())
    }
}
