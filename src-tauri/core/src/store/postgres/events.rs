//! PostgreSQL: events, registrations and attendance. Mirrors `store/sqlite/events.rs`; where
//! SQLite's single writer kept the capacity and the waiting list right, the event's row is
//! locked here, so two PCs registering for the last place never both get it.

use super::PgStore;
use crate::error::{Error, Result};
use crate::events::{Event, EventDraft, EventQuery, EventRow, Registration};
use crate::register::*;
use crate::store::sqlite::now;
use crate::store::EventStore;
use chrono::NaiveDate;
use sqlx::{Postgres, QueryBuilder, Row};

#[async_trait::async_trait]
impl EventStore for PgStore {
    async fn save_event(&self, id: Option<i64>, d: &EventDraft) -> Result<i64> {
        let stamp = now();
        match id {
            None => Ok(sqlx::query_scalar(
                "INSERT INTO events (title, kind, starts_at, ends_at, place, trainer, topic, description, capacity, created_at, updated_at, public)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
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
                    "UPDATE events SET title = $1, kind = $2, starts_at = $3, ends_at = $4, place = $5, trainer = $6, topic = $7,
                     description = $8, capacity = $9, updated_at = $10, public = $12 WHERE id = $11",
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
                .bind(id)
                .bind(d.public)
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
        let r = sqlx::query("SELECT * FROM events WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("wydarzenie"))?;
        let registrations: Vec<Registration> = sqlx::query_as(
            "SELECT g.id, g.person_id, p.first_name || ' ' || p.last_name AS person_name, g.organization_id, o.name AS organization_name,
                    g.status, g.attended
             FROM event_registrations g JOIN people p ON p.id = g.person_id LEFT JOIN organizations o ON o.id = g.organization_id
             WHERE g.event_id = $1 ORDER BY CASE g.status WHEN 'registered' THEN 0 ELSE 1 END, g.registered_at, g.id",
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
        let mut tx = self.pool.begin().await?;
        // The event's row first, then the registration: every change to one event's list
        // waits for the one before, and reads the status as that one left it.
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT g.event_id, g.status FROM event_registrations g JOIN events e ON e.id = g.event_id
             WHERE g.id = $1 FOR UPDATE OF e, g",
        )
        .bind(registration_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((event_id, status)) = row else {
            return Err(Error::NotFound("zgłoszenie"));
        };
        sqlx::query("DELETE FROM event_registrations WHERE id = $1")
            .bind(registration_id)
            .execute(&mut *tx)
            .await?;
        if status == "registered" {
            sqlx::query(
                "UPDATE event_registrations SET status = 'registered' WHERE id = (SELECT id FROM event_registrations
                 WHERE event_id = $1 AND status = 'waiting' ORDER BY registered_at, id LIMIT 1)",
            )
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn set_attended(&self, registration_id: i64, attended: bool) -> Result<()> {
        let done = sqlx::query("UPDATE event_registrations SET attended = $1 WHERE id = $2")
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
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
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
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let items = qb
            .build_query_as::<EventRow>()
            .fetch_all(&self.pool)
            .await?;
        let total: i64 = if q.upcoming {
            sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE starts_at >= $1")
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
        let mut tx = self.pool.begin().await?;
        // Locked until commit: the places are counted and taken by one PC at a time.
        let event: Option<(Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT capacity, list_removed_on FROM events WHERE id = $1 FOR UPDATE")
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
        let person: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = $1")
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
            "SELECT id FROM event_registrations WHERE event_id = $1 AND person_id = $2",
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
            "SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'registered'",
        )
        .bind(event_id)
        .fetch_one(&mut *tx)
        .await?;
        let status = if capacity.is_some_and(|c| taken >= c) {
            "waiting"
        } else {
            "registered"
        };
        sqlx::query("INSERT INTO event_registrations (event_id, person_id, organization_id, status, registered_at) VALUES ($1, $2, $3, $4, $5)")
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

#[cfg(test)]
mod tests {
    use super::super::register::fixtures::{error_of, org, person, Transcript};
    use crate::events::*;
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{EventStore, OrganizationStore, PersonStore};
    use chrono::{NaiveDate, NaiveDateTime};

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn event(title: &str, starts: &str, capacity: Option<i64>) -> EventDraft {
        EventDraft {
            title: title.into(),
            kind: "training".into(),
            starts_at: at(starts),
            ends_at: Some(at(starts) + chrono::Duration::hours(4)),
            place: Some("Sala 2".into()),
            trainer: Some("Ewa Trenerka".into()),
            topic: Some("Księgowość".into()),
            description: None,
            capacity,
            public: false,
        }
    }

    fn statuses(e: &Event) -> Vec<(i64, &str, bool)> {
        e.registrations
            .iter()
            .map(|r| (r.person_id, r.status.as_str(), r.attended))
            .collect()
    }

    /// An event with two places: two registered and one waiting, a duplicate refused, the
    /// first place freed goes to the waiting person, attendance marked; the list of events
    /// (all and upcoming), changes and deletion.
    async fn events_story(s: &(impl EventStore + PersonStore + OrganizationStore)) -> Transcript {
        let mut t = Transcript::default();
        s.insert_organizations(&[org("Fundacja Ćma", "Kraków", "fundacja", |_| {})])
            .await
            .unwrap();
        s.insert_people(&[
            person("Anna", "Kowalska", "", &[(1, "prezes")]),
            person("Jan", "Nowak", "", &[]),
            person("Ewa", "Żak", "", &[]),
        ])
        .await
        .unwrap();
        let training = s
            .save_event(
                None,
                &event("Rozliczanie dotacji", "2026-03-10 10:00", Some(2)),
            )
            .await
            .unwrap();
        let old = s
            .save_event(None, &event("Forum organizacji", "2025-11-20 09:00", None))
            .await
            .unwrap();
        assert_eq!((training, old), (1, 2));
        assert_eq!(
            s.register_for_event(training, 1, Some(1)).await.unwrap(),
            "registered"
        );
        assert_eq!(
            s.register_for_event(training, 2, None).await.unwrap(),
            "registered"
        );
        assert_eq!(
            s.register_for_event(training, 3, None).await.unwrap(),
            "waiting"
        );
        t.add(
            "twice",
            &error_of(s.register_for_event(training, 1, None).await),
        );
        t.add(
            "no person",
            &error_of(s.register_for_event(training, 99, None).await),
        );
        t.add(
            "no event",
            &error_of(s.register_for_event(99, 1, None).await),
        );
        let e = s.get_event(training).await.unwrap();
        assert_eq!(
            statuses(&e),
            [
                (1, "registered", false),
                (2, "registered", false),
                (3, "waiting", false)
            ]
        );
        assert_eq!(
            e.registrations[0].organization_name.as_deref(),
            Some("Fundacja Ćma")
        );
        assert_eq!(e.registrations[0].person_name, "Anna Kowalska");
        t.add("event", &e);

        let second = e.registrations[1].id;
        s.set_attended(second, true).await.unwrap();
        t.add(
            "attended missing",
            &error_of(s.set_attended(99, true).await),
        );
        s.unregister(e.registrations[0].id).await.unwrap();
        let e = s.get_event(training).await.unwrap();
        assert_eq!(
            statuses(&e),
            [(2, "registered", true), (3, "registered", false)]
        );
        t.add("after unregister", &e);
        t.add(
            "unregister missing",
            &error_of(s.unregister(e.registrations.len() as i64 + 90).await),
        );
        // A waiting person leaving frees nobody's place.
        assert_eq!(
            s.register_for_event(training, 1, None).await.unwrap(),
            "waiting"
        );
        let waiting = s.get_event(training).await.unwrap().registrations[2].id;
        s.unregister(waiting).await.unwrap();
        assert_eq!(
            statuses(&s.get_event(training).await.unwrap()),
            [(2, "registered", true), (3, "registered", false)]
        );

        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let q = |upcoming: bool| EventQuery {
            upcoming,
            offset: 0,
            limit: 20,
        };
        let all = s.list_events(&q(false), today).await.unwrap();
        let rows: Vec<(i64, i64, i64)> = all
            .items
            .iter()
            .map(|r| (r.id, r.registered, r.waiting))
            .collect();
        assert_eq!(rows, [(training, 2, 0), (old, 0, 0)]);
        t.add("list", &all);
        let upcoming = s.list_events(&q(true), today).await.unwrap();
        assert_eq!((upcoming.items.len(), upcoming.total), (1, 1));
        t.add("upcoming", &upcoming);

        s.save_event(
            Some(old),
            &event(
                "Forum organizacji pozarządowych",
                "2025-11-21 09:00",
                Some(30),
            ),
        )
        .await
        .unwrap();
        let changed = s.get_event(old).await.unwrap();
        assert_eq!(changed.starts_at, at("2025-11-21 09:00"));
        assert_eq!(changed.capacity, Some(30));
        t.add("changed", &changed);
        t.add(
            "change missing",
            &error_of(
                s.save_event(Some(99), &event("x", "2026-01-01 10:00", None))
                    .await,
            ),
        );
        s.delete_event(old).await.unwrap();
        t.add("deleted", &error_of(s.get_event(old).await));
        t.add("delete missing", &error_of(s.delete_event(old).await));
        t
    }

    #[tokio::test]
    async fn events_story_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let lite = events_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            events_story(&pg).await.assert_same_as(&lite);
        }
    }

    /// Six people registering for two places at the same moment (six PCs): two get them, four
    /// wait; then the two registered leave at once and two of the waiting move up.
    async fn last_places_taken_at_once(s: &(impl EventStore + PersonStore + Clone + 'static)) {
        let people: Vec<_> = (0..6)
            .map(|i| person("Osoba", &format!("Numer{i}"), "", &[]))
            .collect();
        let ids = s.insert_people(&people).await.unwrap();
        // A few rounds: a race lost once in a while must still show up.
        for round in 0..5 {
            one_round(s, &ids, round).await;
        }
    }

    async fn one_round(s: &(impl EventStore + Clone + 'static), ids: &[i64], round: usize) {
        let event_id = s
            .save_event(
                None,
                &event(&format!("Warsztat {round}"), "2026-06-01 10:00", Some(2)),
            )
            .await
            .unwrap();
        let mut calls = Vec::new();
        for &id in ids {
            let s = s.clone();
            calls.push(tokio::spawn(async move {
                s.register_for_event(event_id, id, None).await
            }));
        }
        let mut got = Vec::new();
        for c in calls {
            got.push(c.await.unwrap().unwrap());
        }
        got.sort();
        assert_eq!(
            got,
            [
                "registered",
                "registered",
                "waiting",
                "waiting",
                "waiting",
                "waiting"
            ]
        );
        let e = s.get_event(event_id).await.unwrap();
        let registered: Vec<i64> = e
            .registrations
            .iter()
            .filter(|r| r.status == "registered")
            .map(|r| r.id)
            .collect();
        let mut calls = Vec::new();
        for id in registered {
            let s = s.clone();
            calls.push(tokio::spawn(async move { s.unregister(id).await }));
        }
        for c in calls {
            c.await.unwrap().unwrap();
        }
        let e = s.get_event(event_id).await.unwrap();
        let counts = (
            e.registrations
                .iter()
                .filter(|r| r.status == "registered")
                .count(),
            e.registrations
                .iter()
                .filter(|r| r.status == "waiting")
                .count(),
        );
        assert_eq!(
            counts,
            (2, 2),
            "each freed place goes to one waiting person"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn events_places_taken_at_once_stay_within_capacity_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        last_places_taken_at_once(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            last_places_taken_at_once(&pg).await;
        }
    }
}
