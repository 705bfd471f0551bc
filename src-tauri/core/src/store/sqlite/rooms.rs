//! SQLite: rooms, workstations and their bookings. Writes run in `BEGIN IMMEDIATE`, so a
//! second program on the same file waits its turn and then sees the first one's booking; the
//! triggers of the rooms migration refuse an overlap even if a check here were bypassed.

use super::{now, SqliteStore};
use crate::error::{Conflict, Error, Result};
use crate::register::{Page, MAX_PAGE};
use crate::rooms::store::{
    changed_draft, is_overlap, is_unique, join_days, join_weekdays, series_taken, ResourceRow,
    SeriesRow, BOOKING_SELECT,
};
use crate::rooms::*;
use crate::store::RoomStore;
use chrono::NaiveDate;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

const RESOURCE_SELECT: &str =
    "SELECT id, kind, name, capacity, equipment, notes, opening_hours, active FROM resources";

/// The booking holding `starts`–`ends` of the resource on `day`, other than `except`.
async fn holder(
    conn: &mut SqliteConnection,
    resource_id: i64,
    day: NaiveDate,
    starts: &str,
    ends: &str,
    except: Option<i64>,
    except_series: Option<i64>,
) -> Result<Option<Booking>> {
    let row: Option<Booking> = sqlx::query_as(&format!(
        "{BOOKING_SELECT} WHERE b.resource_id = ? AND b.day = ? AND b.status <> 'cancelled'
         AND b.starts < ? AND ? < b.ends AND b.id <> ? AND (? IS NULL OR b.series_id IS NULL OR b.series_id <> ?)
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

async fn resource_name(conn: &mut SqliteConnection, id: i64) -> Result<String> {
    sqlx::query_scalar("SELECT name FROM resources WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::invalid("resource_id", "Wybrana sala nie istnieje."))
}

async fn check_holder_ids(conn: &mut SqliteConnection, d: &BookingDraft) -> Result<()> {
    if let Some(o) = d.organization_id {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM organizations WHERE id = ?")
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
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = ?")
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

async fn get_booking_on(conn: &mut SqliteConnection, id: i64) -> Result<Booking> {
    let row: Option<Booking> = sqlx::query_as(&format!("{BOOKING_SELECT} WHERE b.id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.ok_or(Error::NotFound("rezerwacja"))
}

/// Inserts one booking; the trigger's refusal becomes "taken by …".
#[allow(clippy::too_many_arguments)]
async fn insert_booking(
    conn: &mut SqliteConnection,
    d: &BookingDraft,
    day: NaiveDate,
    series_id: Option<i64>,
    user: &str,
    stamp: &str,
) -> Result<i64> {
    let inserted = sqlx::query_scalar(
        "INSERT INTO bookings (resource_id, day, starts, ends, organization_id, person_id, purpose, people_count, notes,
         status, series_id, entered_by, created_at, updated_at, updated_by, event_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
        Err(e) if is_overlap(&e) => {
            match holder(conn, d.resource_id, day, &d.starts, &d.ends, None, None).await? {
                Some(h) => Err(slot_taken(&h)),
                None => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

#[async_trait::async_trait]
impl RoomStore for SqliteStore {
    async fn resources(&self, include_inactive: bool) -> Result<Vec<Resource>> {
        let rows: Vec<ResourceRow> = sqlx::query_as(&format!(
            "{RESOURCE_SELECT} WHERE active = 1 OR ? ORDER BY kind, id"
        ))
        .bind(include_inactive)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Resource::from).collect())
    }

    async fn get_resource(&self, id: i64) -> Result<Resource> {
        let row: Option<ResourceRow> = sqlx::query_as(&format!("{RESOURCE_SELECT} WHERE id = ?"))
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
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
                "UPDATE resources SET kind = ?, name = ?, capacity = ?, equipment = ?, notes = ?, opening_hours = ?,
                 active = ?, updated_at = ? WHERE id = ? RETURNING id",
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
        let filter = |qb: &mut QueryBuilder<'_, Sqlite>| {
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
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(BOOKING_SELECT);
        filter(&mut qb);
        // An organisation's page lists the newest first; the calendar reads forward in time.
        if q.organization_id.is_some() && q.from.is_none() {
            qb.push(" ORDER BY b.day DESC, b.starts DESC, b.id DESC");
        } else {
            qb.push(" ORDER BY b.day, b.starts, r.name, b.id");
        }
        qb.push(" LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let rows: Vec<Booking> = qb.build_query_as().fetch_all(&self.pool).await?;
        let mut count: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT COUNT(*) FROM bookings b");
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
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
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
                    "UPDATE bookings SET resource_id = ?, day = ?, starts = ?, ends = ?, organization_id = ?, person_id = ?,
                     purpose = ?, people_count = ?, notes = ?, status = ?, cancel_reason = NULL, revision = revision + 1,
                     updated_at = ?, updated_by = ? WHERE id = ?",
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
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let old = get_booking_on(&mut tx, id).await?;
        if old.status == BookingStatus::Cancelled {
            return Ok(());
        }
        sqlx::query(
            "UPDATE bookings SET status = 'cancelled', cancel_reason = ?, revision = revision + 1, updated_at = ?, updated_by = ? WHERE id = ?",
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
            sqlx::query_as(&format!("{BOOKING_SELECT} WHERE b.event_id = ?"))
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
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
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
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
             FROM booking_series s WHERE s.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(BookingSeries::from)
            .ok_or(Error::NotFound("seria rezerwacji"))
    }

    async fn change_series(&self, id: i64, change: &SeriesChange, user: &str) -> Result<usize> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM bookings WHERE series_id = ? AND day >= ? AND status <> 'cancelled' ORDER BY day",
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
                "UPDATE bookings SET starts = ?, ends = ?, purpose = ?, people_count = ?, notes = ?, revision = revision + 1,
                 updated_at = ?, updated_by = ? WHERE id = ?",
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
        sqlx::query("UPDATE booking_series SET starts = ?, ends = ? WHERE id = ?")
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
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM bookings WHERE series_id = ? AND day >= ? AND status <> 'cancelled'",
        )
        .bind(id)
        .bind(from_day)
        .fetch_all(&mut *tx)
        .await?;
        let stamp = now();
        for bid in &ids {
            sqlx::query(
                "UPDATE bookings SET status = 'cancelled', cancel_reason = ?, revision = revision + 1, updated_at = ?, updated_by = ? WHERE id = ?",
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
