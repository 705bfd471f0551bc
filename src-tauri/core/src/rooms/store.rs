//! The rooms domain's part of the store contract: what its operations need from a backend, in
//! domain types only. Each backend implements it (`store/sqlite/rooms.rs`,
//! `store/postgres/rooms.rs`); both refuse overlapping bookings in the database itself.

use crate::error::{Error, Result};
use crate::register::Page;
use crate::rooms::*;
use chrono::NaiveDate;

/// The store's part for rooms, workstations and their bookings.
#[async_trait::async_trait]
pub trait RoomStore: Send + Sync {
    async fn resources(&self, include_inactive: bool) -> Result<Vec<Resource>>;

    async fn get_resource(&self, id: i64) -> Result<Resource>;

    /// A name another resource has is refused at `name`.
    async fn save_resource(&self, id: Option<i64>, d: &ResourceDraft) -> Result<i64>;

    async fn list_bookings(&self, q: &BookingQuery) -> Result<Page<Booking>>;

    async fn get_booking(&self, id: i64) -> Result<Booking>;

    /// Saves one booking; a slot another booking holds is refused with who holds it
    /// (`slot_taken`), an edit over a newer revision with `Error::Conflict`.
    async fn save_booking(
        &self,
        id: Option<i64>,
        d: &BookingDraft,
        expected_revision: Option<i64>,
        user: &str,
    ) -> Result<i64>;

    async fn cancel_booking(&self, id: i64, reason: &str, user: &str) -> Result<()>;

    /// The booking an event holds, if any (cancelled ones included).
    async fn booking_of_event(&self, event_id: i64) -> Result<Option<Booking>>;

    /// For each of `days`, the booking holding `starts`–`ends` of the resource, if any
    /// (bookings of `except_series` do not count: a series moved over its own dates).
    async fn slot_holders(
        &self,
        resource_id: i64,
        days: &[NaiveDate],
        starts: &str,
        ends: &str,
        except_series: Option<i64>,
    ) -> Result<Vec<Booking>>;

    /// Books every date of the series but `skip`, all or nothing: a date taken meanwhile
    /// refuses the whole series with the date and who holds it.
    async fn save_series(
        &self,
        d: &SeriesDraft,
        skip: &[NaiveDate],
        user: &str,
    ) -> Result<SeriesSaved>;

    async fn get_series(&self, id: i64) -> Result<BookingSeries>;

    /// Changes every occurrence not cancelled on or after `change.from_day`; returns how many.
    async fn change_series(&self, id: i64, change: &SeriesChange, user: &str) -> Result<usize>;

    /// Cancels every occurrence not cancelled on or after `from_day`; returns how many.
    async fn cancel_series(
        &self,
        id: i64,
        from_day: NaiveDate,
        reason: &str,
        user: &str,
    ) -> Result<usize>;
}

/// A resource row as both backends read it.
#[derive(sqlx::FromRow)]
pub(crate) struct ResourceRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub capacity: Option<i64>,
    pub equipment: Option<String>,
    pub notes: Option<String>,
    pub opening_hours: String,
    pub active: bool,
}

impl From<ResourceRow> for Resource {
    fn from(r: ResourceRow) -> Self {
        let mut hours: Vec<String> = r.opening_hours.split(';').map(str::to_string).collect();
        hours.resize(7, String::new());
        Resource {
            id: r.id,
            kind: ResourceKind::parse(&r.kind).unwrap_or(ResourceKind::Room),
            name: r.name,
            capacity: r.capacity,
            equipment: r.equipment,
            notes: r.notes,
            opening_hours: hours,
            active: r.active,
        }
    }
}

/// A booking with the names the views show: the same SQL on both backends.
pub(crate) const BOOKING_SELECT: &str = "SELECT b.id, b.resource_id, r.name AS resource_name, b.day, b.starts, b.ends,
     b.organization_id, o.name AS organization_name, b.person_id,
     CASE WHEN p.id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS person_name,
     b.purpose, b.people_count, b.notes, b.status, b.cancel_reason, b.series_id, b.event_id, b.entered_by,
     b.revision, b.created_at, b.updated_at, b.updated_by
     FROM bookings b JOIN resources r ON r.id = b.resource_id
     LEFT JOIN organizations o ON o.id = b.organization_id LEFT JOIN people p ON p.id = b.person_id";

/// Whether the database's own no-overlap trigger refused a write (both backends raise the
/// same text; PostgreSQL with SQLSTATE 23P01).
pub(crate) fn is_overlap(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.message().contains("booking_overlap"))
}

/// Whether a unique index refused the write (a resource's name).
pub(crate) fn is_unique(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// A series row as both backends read it.
#[derive(sqlx::FromRow)]
pub(crate) struct SeriesRow {
    pub id: i64,
    pub resource_id: i64,
    pub weekdays: String,
    pub every_weeks: i64,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub starts: String,
    pub ends: String,
    pub skipped: String,
    pub created_by: String,
    pub active: i64,
}

impl From<SeriesRow> for BookingSeries {
    fn from(r: SeriesRow) -> Self {
        BookingSeries {
            id: r.id,
            resource_id: r.resource_id,
            weekdays: r
                .weekdays
                .split(',')
                .filter_map(|w| w.parse().ok())
                .collect(),
            every_weeks: r.every_weeks,
            first_day: r.first_day,
            last_day: r.last_day,
            starts: r.starts,
            ends: r.ends,
            skipped: r
                .skipped
                .split(',')
                .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .collect(),
            created_by: r.created_by,
            active: r.active,
        }
    }
}

pub(crate) fn join_weekdays(days: &[u32]) -> String {
    days.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn join_days(days: &[NaiveDate]) -> String {
    days.iter()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// An occurrence of a series with the series-wide change applied.
pub(crate) fn changed_draft(old: &Booking, change: &SeriesChange) -> BookingDraft {
    BookingDraft {
        resource_id: old.resource_id,
        day: old.day,
        starts: change.starts.clone(),
        ends: change.ends.clone(),
        organization_id: old.organization_id,
        person_id: old.person_id,
        purpose: change.purpose.clone(),
        people_count: change.people_count,
        notes: change.notes.clone(),
        status: old.status,
        event_id: old.event_id,
    }
}

/// The refusal of a series some of whose dates are taken: each date and who holds it.
pub(crate) fn series_taken(taken: &[Booking]) -> Error {
    let list = taken
        .iter()
        .take(10)
        .map(|h| {
            format!(
                "{} ({} {}–{})",
                h.day.format("%d.%m.%Y"),
                h.holder(),
                h.starts,
                h.ends
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Error::invalid(
        "weekdays",
        format!("Te terminy są już zajęte: {list}. Pomiń je albo zmień godziny — nic nie zostało zapisane."),
    )
}
