//! PostgreSQL: rooms, workstations and their bookings, mirroring `store/sqlite/rooms.rs`. A
//! write locks its resource's row first (`FOR UPDATE`), so two PCs booking one room queue
//! there and the second one's check sees the first one's booking; the trigger of the rooms
//! migration takes the same lock and refuses an overlap from any other writer.

use super::PgStore;
use crate::error::{Conflict, Error, Result};
use crate::register::{Page, MAX_PAGE};
use crate::rooms::store::{
    changed_draft, is_overlap, is_unique, join_days, join_weekdays, series_taken, ResourceRow,
    SeriesRow, BOOKING_SELECT,
};
use crate::rooms::*;
use crate::store::sqlite::now;
use crate::store::RoomStore;
use chrono::NaiveDate;
use sqlx::{PgConnection, Postgres, QueryBuilder};

const RESOURCE_SELECT: &str =
    "SELECT id, kind, name, capacity, equipment, notes, opening_hours, active FROM resources";

/// The booking holding `starts`–`ends` of the resource on `day`, other than `except`.
async fn holder(
    conn: &mut PgConnection,
    resource_id: i64,
    day: NaiveDate,
    starts: &str,
    ends: &str,
    except: Option<i64>,
    except_series: Option<i64>,
) -> Result<Option<Booking>> {
    let row: Option<Booking> = sqlx::query_as(&format!(
        "{BOOKING_SELECT} WHERE b.resource_id = $1 AND b.day = $2 AND b.status <> 'cancelled'
         AND b.starts < $3 AND $4 < b.ends AND b.id <> $5 AND ($6::BIGINT IS NULL OR b.series_id IS NULL OR b.series_id <> $7)
         ORDER BY b.starts LIMIT 1"
    ))
    .bind(resource_id)
    .bind(day)
    .bind(ends)
    .bind(starts)
    .bind(except.unwrap_or(0))
    .bind(except_series)
    .bind(except_series)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row)
}

/// The resource's name, its row locked until the transaction ends: bookings of one resource
/// are written one at a time, whichever PC writes them.
async fn resource_name(conn: &mut PgConnection, id: i64) -> Result<String> {
    sqlx::query_scalar("SELECT name FROM resources WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::invalid("resource_id", "Wybrana sala nie istnieje."))
}

async fn check_holder_ids(conn: &mut PgConnection, d: &BookingDraft) -> Result<()> {
    if let Some(o) = d.organization_id {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM organizations WHERE id = $1")
            .bind(o)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            return Err(Error::invalid(
                "organization_id",
                "Wybrana organizacja nie istnieje w rejestrze.",
            ));
        }
    }
    if let Some(p) = d.person_id {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = $1")
            .bind(p)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            return Err(Error::invalid(
                "person_id",
                "Wybrana osoba nie istnieje w rejestrze.",
            ));
        }
    }
    Ok(())
}

async fn get_booking_on(conn: &mut PgConnection, id: i64) -> Result<Booking> {
    let row: Option<Booking> = sqlx::query_as(&format!("{BOOKING_SELECT} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.ok_or(Error::NotFound("rezerwacja"))
}

/// Inserts one booking; the trigger's refusal becomes "taken by …".
#[allow(clippy::too_many_arguments)]
async fn insert_booking(
    conn: &mut PgConnection,
    d: &BookingDraft,
    day: NaiveDate,
    series_id: Option<i64>,
    user: &str,
    stamp: &str,
) -> Result<i64> {
    let inserted = sqlx::query_scalar(
        "INSERT INTO bookings (resource_id, day, starts, ends, organization_id, person_id, purpose, people_count, notes,
         status, series_id, entered_by, created_at, updated_at, updated_by, event_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(d.resource_id)
    .bind(day)
    .bind(&d.starts)
    .bind(&d.ends)
    .bind(d.organization_id)
    .bind(d.person_id)
    .bind(&d.purpose)
    .bind(d.people_count)
    .bind(&d.notes)
    .bind(d.status.code())
    .bind(series_id)
    .bind(user)
    .bind(stamp)
    .bind(stamp)
    .bind(user)
    .bind(d.event_id)
    .fetch_one(&mut *conn)
    .await;
    match inserted {
        Ok(id) => Ok(id),
        // The transaction is aborted by the refusal, so the holder cannot be read here; with
        // the resource locked before the check this is only reached by a writer that skipped it.
        Err(e) if is_overlap(&e) => Err(Error::invalid(
            "starts",
            format!(
                "Termin {} {}–{} jest już zajęty. Wybierz inną godzinę albo salę.",
                day.format("%d.%m.%Y"),
                d.starts,
                d.ends
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

#[async_trait::async_trait]
impl RoomStore for PgStore {
    async fn resources(&self, include_inactive: bool) -> Result<Vec<Resource>> {
        let rows: Vec<ResourceRow> = sqlx::query_as(&format!(
            "{RESOURCE_SELECT} WHERE active OR $1 ORDER BY kind, id"
        ))
        .bind(include_inactive)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Resource::from).collect())
    }

    async fn get_resource(&self, id: i64) -> Result<Resource> {
        let row: Option<ResourceRow> = sqlx::query_as(&format!("{RESOURCE_SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(Resource::from).ok_or(Error::NotFound("sala"))
    }

    async fn save_resource(&self, id: Option<i64>, d: &ResourceDraft) -> Result<i64> {
        let stamp = now();
        let hours = d.opening_hours.to_stored();
        let saved: std::result::Result<Option<i64>, sqlx::Error> = match id {
            None => sqlx::query_scalar(
                "INSERT INTO resources (kind, name, capacity, equipment, notes, opening_hours, active, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(d.kind.code())
            .bind(&d.name)
            .bind(d.capacity)
            .bind(&d.equipment)
            .bind(&d.notes)
            .bind(&hours)
            .bind(d.active)
            .bind(&stamp)
            .bind(&stamp)
            .fetch_optional(&self.pool)
            .await,
            Some(id) => sqlx::query_scalar(
                "UPDATE resources SET kind = $1, name = $2, capacity = $3, equipment = $4, notes = $5, opening_hours = $6,
                 active = $7, updated_at = $8 WHERE id = $9 RETURNING id",
            )
            .bind(d.kind.code())
            .bind(&d.name)
            .bind(d.capacity)
            .bind(&d.equipment)
            .bind(&d.notes)
            .bind(&hours)
            .bind(d.active)
            .bind(&stamp)
            .bind(id)
            .fetch_optional(&self.pool)
            .await,
        };
        match saved {
            Ok(Some(id)) => Ok(id),
            Ok(None) => Err(Error::NotFound("sala")),
            Err(e) if is_unique(&e) => Err(Error::invalid(
                "name",
                "Sala albo stanowisko o tej nazwie już jest.",
            )),
            Err(e) => Err(e.into()),
        }
    }

    async fn list_bookings(&self, q: &BookingQuery) -> Result<Page<Booking>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let filter = |qb: &mut QueryBuilder<'_, Postgres>| {
            qb.push(" WHERE 1 = 1");
            if let Some(from) = q.from {
                qb.push(" AND b.day >= ").push_bind(from);
            }
            if let Some(to) = q.to {
                qb.push(" AND b.day <= ").push_bind(to);
            }
            if let Some(r) = q.resource_id {
                qb.push(" AND b.resource_id = ").push_bind(r);
            }
            if let Some(o) = q.organization_id {
                qb.push(" AND b.organization_id = ").push_bind(o);
            }
            if !q.include_cancelled {
                qb.push(" AND b.status <> 'cancelled'");
            }
        };
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(BOOKING_SELECT);
        filter(&mut qb);
        // An organisation's page lists the newest first; the calendar reads forward in time.
        if q.organization_id.is_some() && q.from.is_none() {
            qb.push(" ORDER BY b.day DESC, b.starts DESC, b.id DESC");
        } else {
            qb.push(" ORDER BY b.day, b.starts, r.name, b.id");
        }
        qb.push(" LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let rows: Vec<Booking> = qb.build_query_as().fetch_all(&self.pool).await?;
        let mut count: QueryBuilder<Postgres> =
            QueryBuilder::new("SELECT COUNT(*) FROM bookings b");
        filter(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items: rows,
            total: total as u64,
            offset: q.offset,
        })
    }

    async fn get_booking(&self, id: i64) -> Result<Booking> {
        let mut conn = self.pool.acquire().await?;
        get_booking_on(&mut conn, id).await
    }

    async fn save_booking(
        &self,
        id: Option<i64>,
        d: &BookingDraft,
        expected_revision: Option<i64>,
        user: &str,
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        resource_name(&mut tx, d.resource_id).await?;
        check_holder_ids(&mut tx, d).await?;
        if let Some(id) = id {
            let old = get_booking_on(&mut tx, id).await?;
            Conflict::check(
                "bookings",
                id,
                expected_revision,
                (old.revision, old.updated_by.clone(), old.updated_at),
            )?;
        }
        if let Some(h) = holder(&mut tx, d.resource_id, d.day, &d.starts, &d.ends, id, None).await?
        {
            return Err(slot_taken(&h));
        }
        let stamp = now();
        let saved_id = match id {
            None => insert_booking(&mut tx, d, d.day, None, user, &stamp).await?,
            Some(id) => {
                sqlx::query(
                    "UPDATE bookings SET resource_id = $1, day = $2, starts = $3, ends = $4, organization_id = $5, person_id = $6,
                     purpose = $7, people_count = $8, notes = $9, status = $10, cancel_reason = NULL, revision = revision + 1,
                     updated_at = $11, updated_by = $12 WHERE id = $13",
                )
                .bind(d.resource_id)
                .bind(d.day)
                .bind(&d.starts)
                .bind(&d.ends)
                .bind(d.organization_id)
                .bind(d.person_id)
                .bind(&d.purpose)
                .bind(d.people_count)
                .bind(&d.notes)
                .bind(d.status.code())
                .bind(&stamp)
                .bind(user)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        tx.commit().await?;
        Ok(saved_id)
    }

    async fn cancel_booking(&self, id: i64, reason: &str, user: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let old = get_booking_on(&mut tx, id).await?;
        if old.status == BookingStatus::Cancelled {
            return Ok(());
        }
        sqlx::query(
            "UPDATE bookings SET status = 'cancelled', cancel_reason = $1, revision = revision + 1, updated_at = $2, updated_by = $3 WHERE id = $4",
        )
        .bind(reason)
        .bind(now())
        .bind(user)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn booking_of_event(&self, event_id: i64) -> Result<Option<Booking>> {
        let row: Option<Booking> =
            sqlx::query_as(&format!("{BOOKING_SELECT} WHERE b.event_id = $1"))
                .bind(event_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row)
    }

    async fn slot_holders(
        &self,
        resource_id: i64,
        days: &[NaiveDate],
        starts: &str,
        ends: &str,
        except_series: Option<i64>,
    ) -> Result<Vec<Booking>> {
        let mut conn = self.pool.acquire().await?;
        let mut found = Vec::new();
        for day in days {
            if let Some(h) = holder(
                &mut conn,
                resource_id,
                *day,
                starts,
                ends,
                None,
                except_series,
            )
            .await?
            {
                found.push(h);
            }
        }
        Ok(found)
    }

    async fn save_series(
        &self,
        d: &SeriesDraft,
        skip: &[NaiveDate],
        user: &str,
    ) -> Result<SeriesSaved> {
        let mut tx = self.pool.begin().await?;
        resource_name(&mut tx, d.booking.resource_id).await?;
        check_holder_ids(&mut tx, &d.booking).await?;
        let b = &d.booking;
        let mut taken = Vec::new();
        for day in d.dates.iter().filter(|day| !skip.contains(day)) {
            if let Some(h) =
                holder(&mut tx, b.resource_id, *day, &b.starts, &b.ends, None, None).await?
            {
                taken.push(h);
            }
        }
        if !taken.is_empty() {
            return Err(series_taken(&taken));
        }
        let skipped: Vec<NaiveDate> = d
            .dates
            .iter()
            .copied()
            .filter(|day| skip.contains(day))
            .collect();
        let to_book: Vec<NaiveDate> = d
            .dates
            .iter()
            .copied()
            .filter(|day| !skip.contains(day))
            .collect();
        if to_book.is_empty() {
            return Err(Error::invalid(
                "weekdays",
                "Wszystkie terminy serii zostały pominięte: nie ma czego zarezerwować.",
            ));
        }
        let stamp = now();
        let series_id: i64 = sqlx::query_scalar(
            "INSERT INTO booking_series (resource_id, weekdays, every_weeks, first_day, last_day, starts, ends, skipped, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(b.resource_id)
        .bind(join_weekdays(&d.weekdays))
        .bind(i64::from(d.every_weeks))
        .bind(d.dates[0])
        .bind(d.dates[d.dates.len() - 1])
        .bind(&b.starts)
        .bind(&b.ends)
        .bind(join_days(&skipped))
        .bind(&stamp)
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
        for day in &to_book {
            insert_booking(&mut tx, b, *day, Some(series_id), user, &stamp).await?;
        }
        tx.commit().await?;
        Ok(SeriesSaved {
            series_id,
            booked: to_book.len(),
            skipped,
        })
    }

    async fn get_series(&self, id: i64) -> Result<BookingSeries> {
        let row: Option<SeriesRow> = sqlx::query_as(
            "SELECT s.id, s.resource_id, s.weekdays, s.every_weeks, s.first_day, s.last_day, s.starts, s.ends, s.skipped, s.created_by,
             (SELECT COUNT(*) FROM bookings b WHERE b.series_id = s.id AND b.status <> 'cancelled') AS active
             FROM booking_series s WHERE s.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(BookingSeries::from)
            .ok_or(Error::NotFound("seria rezerwacji"))
    }

    async fn change_series(&self, id: i64, change: &SeriesChange, user: &str) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT r.id FROM resources r JOIN booking_series s ON s.resource_id = r.id WHERE s.id = $1 FOR UPDATE OF r")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM bookings WHERE series_id = $1 AND day >= $2 AND status <> 'cancelled' ORDER BY day",
        )
        .bind(id)
        .bind(change.from_day)
        .fetch_all(&mut *tx)
        .await?;
        if ids.is_empty() {
            return Err(Error::invalid(
                "from_day",
                "Od tego dnia seria nie ma już terminów.",
            ));
        }
        let mut taken = Vec::new();
        let mut olds = Vec::new();
        for bid in &ids {
            let old = get_booking_on(&mut tx, *bid).await?;
            if let Some(h) = holder(
                &mut tx,
                old.resource_id,
                old.day,
                &change.starts,
                &change.ends,
                None,
                Some(id),
            )
            .await?
            {
                taken.push(h);
            }
            olds.push(old);
        }
        if !taken.is_empty() {
            return Err(series_taken(&taken));
        }
        let stamp = now();
        for old in &olds {
            let d = changed_draft(old, change);
            sqlx::query(
                "UPDATE bookings SET starts = $1, ends = $2, purpose = $3, people_count = $4, notes = $5, revision = revision + 1,
                 updated_at = $6, updated_by = $7 WHERE id = $8",
            )
            .bind(&d.starts)
            .bind(&d.ends)
            .bind(&d.purpose)
            .bind(d.people_count)
            .bind(&d.notes)
            .bind(&stamp)
            .bind(user)
            .bind(old.id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE booking_series SET starts = $1, ends = $2 WHERE id = $3")
            .bind(&change.starts)
            .bind(&change.ends)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(olds.len())
    }

    async fn cancel_series(
        &self,
        id: i64,
        from_day: NaiveDate,
        reason: &str,
        user: &str,
    ) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM bookings WHERE series_id = $1 AND day >= $2 AND status <> 'cancelled'",
        )
        .bind(id)
        .bind(from_day)
        .fetch_all(&mut *tx)
        .await?;
        let stamp = now();
        for bid in &ids {
            sqlx::query(
                "UPDATE bookings SET status = 'cancelled', cancel_reason = $1, revision = revision + 1, updated_at = $2, updated_by = $3 WHERE id = $4",
            )
            .bind(reason)
            .bind(&stamp)
            .bind(user)
            .bind(bid)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(ids.len())
    }
}

#[cfg(test)]
mod tests {
    use super::super::register::fixtures::{error_of, org, Transcript};
    use crate::rooms::*;
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{OrganizationStore, RoomStore};
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn room(name: &str) -> ResourceDraft {
        ResourceDraft {
            kind: ResourceKind::Room,
            name: name.into(),
            capacity: Some(12),
            equipment: Some("rzutnik".into()),
            notes: None,
            opening_hours: OpeningHours::from_stored("08:00-18:00;08:00-18:00;;;;;"),
            active: true,
        }
    }

    fn slot(
        resource_id: i64,
        day: NaiveDate,
        starts: &str,
        ends: &str,
        org: Option<i64>,
    ) -> BookingDraft {
        BookingDraft {
            resource_id,
            day,
            starts: starts.into(),
            ends: ends.into(),
            organization_id: org,
            person_id: None,
            purpose: "zebranie".into(),
            people_count: Some(6),
            notes: None,
            status: BookingStatus::Confirmed,
            event_id: None,
        }
    }

    /// Rooms and bookings: saved, read, an overlap refused with its holder (touching slots
    /// allowed), a stale edit refused, a series with a taken date skipped, changed and
    /// cancelled, listed by span, by room and by organisation.
    async fn rooms_story(s: &(impl RoomStore + OrganizationStore)) -> Transcript {
        let mut t = Transcript::default();
        s.insert_organizations(&[org("Fundacja Ćma", "Kraków", "fundacja", |_| {})])
            .await
            .unwrap();
        let a = s.save_resource(None, &room("Sala A")).await.unwrap();
        let b = s.save_resource(None, &room("Pokój B")).await.unwrap();
        t.add(
            "duplicate name",
            &error_of(s.save_resource(None, &room("sala a")).await),
        );
        t.add("resources", &s.resources(false).await.unwrap());
        let first = s
            .save_booking(
                None,
                &slot(a, d(2026, 12, 7), "10:00", "12:00", Some(1)),
                None,
                "ewa",
            )
            .await
            .unwrap();
        t.add(
            "overlap",
            &error_of(
                s.save_booking(
                    None,
                    &slot(a, d(2026, 12, 7), "11:00", "13:00", None),
                    None,
                    "jan",
                )
                .await,
            ),
        );
        s.save_booking(
            None,
            &slot(a, d(2026, 12, 7), "12:00", "13:00", None),
            None,
            "jan",
        )
        .await
        .unwrap();
        s.save_booking(
            None,
            &slot(b, d(2026, 12, 7), "10:00", "12:00", None),
            None,
            "jan",
        )
        .await
        .unwrap();
        let got = s.get_booking(first).await.unwrap();
        assert_eq!(got.organization_name.as_deref(), Some("Fundacja Ćma"));
        t.add("booking", &got);
        s.save_booking(
            Some(first),
            &slot(a, d(2026, 12, 7), "09:00", "12:00", Some(1)),
            Some(1),
            "jan",
        )
        .await
        .unwrap();
        t.add(
            "stale",
            &error_of(
                s.save_booking(
                    Some(first),
                    &slot(a, d(2026, 12, 7), "08:00", "09:00", None),
                    Some(1),
                    "ewa",
                )
                .await,
            ),
        );
        let series = SeriesDraft {
            booking: slot(a, d(2026, 12, 7), "11:00", "12:30", None),
            weekdays: vec![1, 3],
            every_weeks: 1,
            dates: vec![d(2026, 12, 7), d(2026, 12, 9), d(2026, 12, 14)],
        };
        t.add(
            "series taken",
            &error_of(s.save_series(&series, &[], "ewa").await),
        );
        let holders = s
            .slot_holders(a, &series.dates, "11:00", "12:30", None)
            .await
            .unwrap();
        assert_eq!(holders.len(), 1);
        let saved = s
            .save_series(&series, &[d(2026, 12, 7)], "ewa")
            .await
            .unwrap();
        assert_eq!(
            (saved.booked, saved.skipped.clone()),
            (2, vec![d(2026, 12, 7)])
        );
        t.add("series", &s.get_series(saved.series_id).await.unwrap());
        let change = SeriesChange {
            from_day: d(2026, 12, 10),
            starts: "14:00".into(),
            ends: "15:00".into(),
            purpose: "warsztaty".into(),
            people_count: None,
            notes: None,
        };
        assert_eq!(
            s.change_series(saved.series_id, &change, "jan")
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            s.cancel_series(saved.series_id, d(2026, 12, 1), "koniec", "jan")
                .await
                .unwrap(),
            2
        );
        s.cancel_booking(first, "przełożone", "ewa").await.unwrap();
        let span = BookingQuery {
            from: Some(d(2026, 12, 1)),
            to: Some(d(2026, 12, 31)),
            include_cancelled: true,
            limit: 50,
            ..Default::default()
        };
        t.add("span", &s.list_bookings(&span).await.unwrap());
        let one_room = BookingQuery {
            resource_id: Some(b),
            ..span.clone()
        };
        t.add("one room", &s.list_bookings(&one_room).await.unwrap());
        let organisation = BookingQuery {
            organization_id: Some(1),
            limit: 10,
            ..Default::default()
        };
        t.add(
            "organisation",
            &s.list_bookings(&organisation).await.unwrap(),
        );
        t
    }

    #[tokio::test]
    async fn rooms_story_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let lite = rooms_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            rooms_story(&pg).await.assert_same_as(&lite);
        }
    }
}
