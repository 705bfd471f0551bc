//! Rooms' operations: resources, single bookings with their warnings, weekly series (preview,
//! save, change, cancel), and the door schedule and iCalendar files.

use crate::error::{Error, FieldError, Result};
use crate::export;
use crate::register::Page;
use crate::rooms::*;
use crate::Kartoteka;
use chrono::{Local, NaiveDate};
use serde::Serialize;
use std::path::Path;

/// A booking saved, with what it breaks without being refused (shown at the fields).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BookingSaved {
    pub id: i64,
    pub warnings: Vec<FieldError>,
}

/// The most bookings one file (door schedule, calendar export) takes.
const MAX_EXPORTED: u32 = 5_000;

impl Kartoteka {
    /// Rooms first, then workstations, each in Polish alphabetical order.
    pub async fn resources(&self, include_inactive: bool) -> Result<Vec<Resource>> {
        let mut all = self.store.resources(include_inactive).await?;
        all.sort_by(|a, b| {
            (a.kind != ResourceKind::Room)
                .cmp(&(b.kind != ResourceKind::Room))
                .then_with(|| crate::text::collation::compare(&a.name, &b.name))
        });
        Ok(all)
    }

    pub async fn resource(&self, id: i64) -> Result<Resource> {
        self.store.get_resource(id).await
    }

    pub async fn save_resource(&self, id: Option<i64>, input: &ResourceInput) -> Result<i64> {
        let draft = input.parse()?;
        // "Sala mała" and "SALA MAŁA" are one room to a person; the database's own unique
        // index folds only ASCII letters.
        let wanted = crate::text::fold(&draft.name);
        let taken = self
            .store
            .resources(true)
            .await?
            .into_iter()
            .any(|r| Some(r.id) != id && crate::text::fold(&r.name) == wanted);
        if taken {
            return Err(Error::invalid(
                "name",
                "Sala albo stanowisko o tej nazwie już jest.",
            ));
        }
        let id = self.store.save_resource(id, &draft).await?;
        tracing::info!(resource = id, "resource saved");
        Ok(id)
    }

    /// The calendar's bookings: a span of at most `MAX_RANGE_DAYS` days, or an organisation's
    /// bookings a page at a time.
    pub async fn bookings(&self, q: &BookingQuery) -> Result<Page<Booking>> {
        match (q.from, q.to, q.organization_id) {
            (Some(from), Some(to), _) => check_range(from, to)?,
            (_, _, Some(_)) => {}
            _ => {
                return Err(Error::BadArgument(
                    "Podaj zakres dat kalendarza albo organizację.".into(),
                ))
            }
        }
        self.store.list_bookings(q).await
    }

    pub async fn booking(&self, id: i64) -> Result<Booking> {
        self.store.get_booking(id).await
    }

    /// What the form shows at its fields before saving: outside opening hours, over capacity.
    /// Input that does not parse yet has no warnings (its errors come on saving).
    pub async fn booking_warnings(&self, input: &BookingInput) -> Result<Vec<FieldError>> {
        let Ok(draft) = input.parse() else {
            return Ok(Vec::new());
        };
        let resource = self.store.get_resource(draft.resource_id).await?;
        Ok(booking_warnings(&draft, &resource))
    }

    pub async fn save_booking(
        &self,
        id: Option<i64>,
        input: &BookingInput,
    ) -> Result<BookingSaved> {
        let draft = input.parse()?;
        let resource = self.store.get_resource(draft.resource_id).await?;
        let warnings = booking_warnings(&draft, &resource);
        let id = self
            .store
            .save_booking(id, &draft, input.revision, &self.user_name())
            .await?;
        tracing::info!(booking = id, resource = draft.resource_id, "booking saved");
        Ok(BookingSaved { id, warnings })
    }

    pub async fn cancel_booking(&self, id: i64, reason: &str) -> Result<()> {
        let reason = cancel_reason(reason)?;
        self.store
            .cancel_booking(id, &reason, &self.user_name())
            .await?;
        tracing::info!(booking = id, "booking cancelled");
        Ok(())
    }

    /// Every date of a series before it is saved: which are taken and by whom, which fall
    /// outside the opening hours.
    pub async fn preview_series(&self, input: &SeriesInput) -> Result<Vec<SeriesDate>> {
        let d = input.parse()?;
        let resource = self.store.get_resource(d.booking.resource_id).await?;
        let holders = self
            .store
            .slot_holders(
                resource.id,
                &d.dates,
                &d.booking.starts,
                &d.booking.ends,
                None,
            )
            .await?;
        Ok(d.dates
            .iter()
            .map(|day| {
                let mut one = d.booking.clone();
                one.day = *day;
                SeriesDate {
                    day: *day,
                    taken_by: holders
                        .iter()
                        .find(|h| h.day == *day)
                        .map(|h| format!("{} ({}–{})", h.holder(), h.starts, h.ends)),
                    warning: booking_warnings(&one, &resource)
                        .into_iter()
                        .find(|w| w.field != "people_count")
                        .map(|w| w.message),
                }
            })
            .collect())
    }

    /// Books the series but the dates in `skip` (those the preview showed taken); all or
    /// nothing.
    pub async fn save_series(
        &self,
        input: &SeriesInput,
        skip: &[NaiveDate],
    ) -> Result<SeriesSaved> {
        let d = input.parse()?;
        let saved = self.store.save_series(&d, skip, &self.user_name()).await?;
        tracing::info!(
            series = saved.series_id,
            booked = saved.booked,
            skipped = saved.skipped.len(),
            "booking series saved"
        );
        Ok(saved)
    }

    pub async fn series(&self, id: i64) -> Result<BookingSeries> {
        self.store.get_series(id).await
    }

    pub async fn change_series(&self, id: i64, input: &SeriesChangeInput) -> Result<usize> {
        let change = input.parse()?;
        let n = self
            .store
            .change_series(id, &change, &self.user_name())
            .await?;
        tracing::info!(series = id, changed = n, "booking series changed");
        Ok(n)
    }

    pub async fn cancel_series(&self, id: i64, from_day: &str, reason: &str) -> Result<usize> {
        let from =
            crate::register::parse_date(from_day).map_err(|e| Error::invalid("from_day", e.0))?;
        let reason = cancel_reason(reason)?;
        let n = self
            .store
            .cancel_series(id, from, &reason, &self.user_name())
            .await?;
        tracing::info!(series = id, cancelled = n, "booking series cancelled");
        Ok(n)
    }

    /// An event's day and hours as a booking's: an event without an end holds the room two
    /// hours, never past midnight.
    fn event_slot(
        starts_at: chrono::NaiveDateTime,
        ends_at: Option<chrono::NaiveDateTime>,
    ) -> (NaiveDate, String, String) {
        let day = starts_at.date();
        let starts = starts_at.format("%H:%M").to_string();
        let end = ends_at.filter(|e| e.date() == day && *e > starts_at);
        let ends = match end {
            Some(e) => e.format("%H:%M").to_string(),
            None => {
                let two_hours = starts_at + chrono::Duration::hours(2);
                if two_hours.date() == day {
                    two_hours.format("%H:%M").to_string()
                } else {
                    "24:00".into()
                }
            }
        };
        (day, starts, ends)
    }

    /// Refuses, at the event form's room field, a room another booking holds at the event's
    /// time (the event's own booking aside). Called before the event is saved.
    pub(crate) async fn check_room_for_event(
        &self,
        event_id: Option<i64>,
        room_id: i64,
        starts_at: chrono::NaiveDateTime,
        ends_at: Option<chrono::NaiveDateTime>,
    ) -> Result<()> {
        self.store
            .get_resource(room_id)
            .await
            .map_err(|_| Error::invalid("room_id", "Wybrana sala nie istnieje."))?;
        let (day, starts, ends) = Self::event_slot(starts_at, ends_at);
        let holders = self
            .store
            .slot_holders(room_id, &[day], &starts, &ends, None)
            .await?;
        match holders
            .into_iter()
            .find(|h| event_id.is_none() || h.event_id != event_id)
        {
            Some(h) => Err(Error::invalid(
                "room_id",
                format!(
                    "{} jest zajęta {} w godz. {}–{}: {}.",
                    h.resource_name,
                    h.day.format("%d.%m.%Y"),
                    h.starts,
                    h.ends,
                    h.holder()
                ),
            )),
            None => Ok(()),
        }
    }

    /// Keeps an event's room booking in step with the event: booked, moved with it, or
    /// cancelled when the event leaves the room.
    pub(crate) async fn book_room_for_event(
        &self,
        event_id: i64,
        room_id: Option<i64>,
        title: &str,
        starts_at: chrono::NaiveDateTime,
        ends_at: Option<chrono::NaiveDateTime>,
        capacity: Option<i64>,
    ) -> Result<()> {
        let existing = self.store.booking_of_event(event_id).await?;
        let user = self.user_name();
        let Some(room_id) = room_id else {
            if let Some(b) = existing.filter(|b| b.status != BookingStatus::Cancelled) {
                self.store
                    .cancel_booking(b.id, "wydarzenie bez sali", &user)
                    .await?;
            }
            return Ok(());
        };
        let (day, starts, ends) = Self::event_slot(starts_at, ends_at);
        let purpose: String = title.chars().take(200).collect();
        let draft = BookingDraft {
            resource_id: room_id,
            day,
            starts,
            ends,
            organization_id: None,
            person_id: None,
            purpose,
            people_count: capacity,
            notes: None,
            status: BookingStatus::Confirmed,
            event_id: Some(event_id),
        };
        let id = self
            .store
            .save_booking(existing.map(|b| b.id), &draft, None, &user)
            .await?;
        tracing::info!(event = event_id, booking = id, "event's room booked");
        Ok(())
    }

    /// The room an event is held in (its booking not cancelled).
    pub async fn room_of_event(&self, event_id: i64) -> Result<Option<(i64, String)>> {
        Ok(self
            .store
            .booking_of_event(event_id)
            .await?
            .filter(|b| b.status != BookingStatus::Cancelled)
            .map(|b| (b.resource_id, b.resource_name)))
    }

    async fn bookings_for_file(
        &self,
        resource_id: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Booking>> {
        check_range(from, to)?;
        let page = self
            .store
            .list_bookings(&BookingQuery {
                from: Some(from),
                to: Some(to),
                resource_id,
                limit: MAX_EXPORTED,
                ..Default::default()
            })
            .await?;
        Ok(page.items)
    }

    /// The schedule for the door of each room (or of one): `days` days from `from`, one page
    /// per room, as a PDF at `out`. Returns the page count.
    pub async fn door_schedule(
        &self,
        resource_id: Option<i64>,
        from: NaiveDate,
        days: u32,
        office: &str,
        out: &Path,
    ) -> Result<usize> {
        let days = days.clamp(1, 7);
        let to = from + chrono::Days::new(u64::from(days - 1));
        let resources: Vec<Resource> = self
            .resources(false)
            .await?
            .into_iter()
            .filter(|r| resource_id.is_none_or(|id| id == r.id))
            .collect();
        if resources.is_empty() {
            return Err(Error::BadArgument(
                "Nie ma sal do wydrukowania: dodaj je w Ustawieniach.".into(),
            ));
        }
        let bookings = self.bookings_for_file(resource_id, from, to).await?;
        let office = self.office_name_or(office).await?;
        let (bytes, pages) = door_schedule_pdf(
            &resources,
            &bookings,
            from,
            to,
            &office,
            Local::now().date_naive(),
        )?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(pages, "door schedule written");
        Ok(pages)
    }

    /// The bookings of `from`..=`to` (every room, or one) as an iCalendar file. Returns how
    /// many events it holds.
    pub async fn export_icalendar(
        &self,
        resource_id: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
        out: &Path,
    ) -> Result<usize> {
        let mut all = Vec::new();
        // Longer spans than one read allows are read a window at a time.
        let mut start = from;
        while start <= to {
            let end = (start + chrono::Days::new(MAX_RANGE_DAYS as u64)).min(to);
            all.extend(self.bookings_for_file(resource_id, start, end).await?);
            start = end + chrono::Days::new(1);
        }
        let office = self.office_name_or("").await?;
        let text = to_icalendar(&all, &office, chrono::Utc::now());
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, text.as_bytes())?))?;
        tracing::info!(events = all.len(), "calendar exported");
        Ok(all.len())
    }
}
