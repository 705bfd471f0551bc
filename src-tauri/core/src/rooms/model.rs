//! The rooms domain's records: a resource and its opening hours, a booking as typed
//! (`BookingInput`) and as stored (`BookingDraft`), weekly series and their dates, and the
//! warnings (outside opening hours, over capacity) shown at the field without refusing.

use crate::error::{Error, FieldError, Result};
use crate::register::{parse_date, MAX_FIELD_CHARS};
use crate::text::{clean_block, clean_line};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// The most dates one series may make: a year of two days a week, with room to spare.
pub const MAX_SERIES_DATES: usize = 120;
/// The longest span one calendar read covers (a month view and a little more).
pub const MAX_RANGE_DAYS: i64 = 62;

/// A room or the equipped workstation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Room,
    Workstation,
}

impl ResourceKind {
    pub fn code(self) -> &'static str {
        match self {
            ResourceKind::Room => "room",
            ResourceKind::Workstation => "workstation",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "room" => Some(ResourceKind::Room),
            "workstation" => Some(ResourceKind::Workstation),
            _ => None,
        }
    }
}

/// Opening hours Monday..Sunday; `None` is a closed day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpeningHours(pub [Option<(String, String)>; 7]);

impl OpeningHours {
    /// As stored: `HH:MM-HH:MM` or empty per day, Monday first, joined by `;`.
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|d| {
                d.as_ref()
                    .map(|(a, b)| format!("{a}-{b}"))
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Reads the stored form; anything unreadable counts as "no hours set" for that day.
    pub fn from_stored(s: &str) -> Self {
        let mut days: [Option<(String, String)>; 7] = Default::default();
        for (i, part) in s.split(';').take(7).enumerate() {
            if let Some((a, b)) = part.split_once('-') {
                if let (Some(a), Some(b)) = (parse_clock(a), parse_clock(b)) {
                    days[i] = Some((a, b));
                }
            }
        }
        OpeningHours(days)
    }

    pub fn is_set(&self) -> bool {
        self.0.iter().any(Option::is_some)
    }

    pub fn on(&self, day: NaiveDate) -> Option<&(String, String)> {
        self.0[day.weekday().num_days_from_monday() as usize].as_ref()
    }
}

/// `H:MM` or `HH:MM` (or `HH.MM`, as people write it) → `HH:MM`; `24:00` is the day's end.
pub fn parse_clock(raw: &str) -> Option<String> {
    let t = raw.trim().replace('.', ":");
    if t == "24:00" {
        return Some(t);
    }
    NaiveTime::parse_from_str(&t, "%H:%M")
        .ok()
        .map(|time| time.format("%H:%M").to_string())
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceInput {
    pub kind: String,
    pub name: String,
    pub capacity: String,
    pub equipment: String,
    pub notes: String,
    /// Monday..Sunday, each `HH:MM-HH:MM` or empty when closed.
    pub opening_hours: Vec<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceDraft {
    pub kind: ResourceKind,
    pub name: String,
    pub capacity: Option<i64>,
    pub equipment: Option<String>,
    pub notes: Option<String>,
    pub opening_hours: OpeningHours,
    pub active: bool,
}

impl ResourceInput {
    pub fn parse(&self) -> Result<ResourceDraft> {
        let mut errors = Vec::new();
        let kind = ResourceKind::parse(self.kind.trim()).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "kind",
                "Wybierz: sala albo stanowisko pracy.",
            ));
            ResourceKind::Room
        });
        let name = clean_line(&self.name)
            .filter(|n| n.chars().count() <= 100)
            .unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "name",
                    "Podaj nazwę (do 100 znaków), np. „Sala 1”.",
                ));
                String::new()
            });
        let capacity = match self.capacity.trim() {
            "" => None,
            c => match c.parse::<i64>() {
                Ok(n) if (1..=1000).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        "capacity",
                        "Liczba miejsc to liczba od 1 do 1000.",
                    ));
                    None
                }
            },
        };
        let mut days: [Option<(String, String)>; 7] = Default::default();
        for (i, raw) in self.opening_hours.iter().take(7).enumerate() {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let parsed = raw
                .split_once(['-', '–'])
                .and_then(|(a, b)| Some((parse_clock(a)?, parse_clock(b)?)))
                .filter(|(a, b)| a < b);
            match parsed {
                Some(hours) => days[i] = Some(hours),
                None => errors.push(FieldError::new(
                    &format!("opening_hours_{i}"),
                    "Godziny wpisz jako „8:00-18:00” (albo zostaw puste, gdy zamknięte).",
                )),
            }
        }
        if self.equipment.chars().count() > MAX_FIELD_CHARS
            || self.notes.chars().count() > MAX_FIELD_CHARS
        {
            errors.push(FieldError::new(
                "notes",
                "Tekst jest za długi (najwyżej 10 000 znaków).",
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(ResourceDraft {
            kind,
            name,
            capacity,
            equipment: clean_block(&self.equipment),
            notes: clean_block(&self.notes),
            opening_hours: OpeningHours(days),
            active: self.active,
        })
    }
}

/// A resource as the views read it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Resource {
    pub id: i64,
    pub kind: ResourceKind,
    pub name: String,
    pub capacity: Option<i64>,
    pub equipment: Option<String>,
    pub notes: Option<String>,
    /// Monday..Sunday, `HH:MM-HH:MM` or empty.
    pub opening_hours: Vec<String>,
    pub active: bool,
}

impl Resource {
    pub fn hours(&self) -> OpeningHours {
        OpeningHours::from_stored(&self.opening_hours.join(";"))
    }
}

/// A booking's state: wstępna, potwierdzona, odwołana.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Tentative,
    Confirmed,
    Cancelled,
}

/// As stored: both backends read the status column through this.
impl TryFrom<String> for BookingStatus {
    type Error = String;

    fn try_from(code: String) -> std::result::Result<Self, String> {
        BookingStatus::parse(&code).ok_or(code)
    }
}

impl BookingStatus {
    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Tentative => "tentative",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "tentative" => Some(BookingStatus::Tentative),
            "confirmed" => Some(BookingStatus::Confirmed),
            "cancelled" => Some(BookingStatus::Cancelled),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BookingStatus::Tentative => "wstępna",
            BookingStatus::Confirmed => "potwierdzona",
            BookingStatus::Cancelled => "odwołana",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BookingInput {
    pub resource_id: Option<i64>,
    pub day: String,
    pub starts: String,
    pub ends: String,
    pub organization_id: Option<i64>,
    pub person_id: Option<i64>,
    pub purpose: String,
    pub people_count: String,
    pub notes: String,
    /// `tentative` or `confirmed` (cancelling has its own operation, with the reason).
    pub status: String,
    /// The revision the form was opened on; a save over a newer one is refused.
    pub revision: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BookingDraft {
    pub resource_id: i64,
    pub day: NaiveDate,
    pub starts: String,
    pub ends: String,
    pub organization_id: Option<i64>,
    pub person_id: Option<i64>,
    pub purpose: String,
    pub people_count: Option<i64>,
    pub notes: Option<String>,
    pub status: BookingStatus,
    /// The event held in the room, when the booking is an event's.
    pub event_id: Option<i64>,
}

impl BookingInput {
    pub fn parse(&self) -> Result<BookingDraft> {
        let mut errors = Vec::new();
        let mut fail = |f: &str, m: &str| errors.push(FieldError::new(f, m));
        let resource_id = self.resource_id.filter(|r| *r > 0).unwrap_or_else(|| {
            fail("resource_id", "Wybierz salę albo stanowisko.");
            0
        });
        let day = parse_date(&self.day).unwrap_or_else(|e| {
            fail("day", &e.0);
            NaiveDate::MIN
        });
        let starts = parse_clock(&self.starts).filter(|s| s != "24:00");
        let ends = parse_clock(&self.ends);
        if starts.is_none() {
            fail("starts", "Godzinę wpisz jako GG:MM, np. 9:00.");
        }
        if ends.is_none() {
            fail("ends", "Godzinę wpisz jako GG:MM, np. 11:30.");
        }
        if let (Some(s), Some(e)) = (&starts, &ends) {
            if e <= s {
                fail(
                    "ends",
                    "Koniec musi być później niż początek (rezerwacja w obrębie jednego dnia).",
                );
            }
        }
        let purpose = clean_line(&self.purpose)
            .filter(|p| p.chars().count() <= 200)
            .unwrap_or_else(|| {
                fail(
                    "purpose",
                    "Podaj cel rezerwacji (do 200 znaków), np. „zebranie zarządu”.",
                );
                String::new()
            });
        let people_count = match self.people_count.trim() {
            "" => None,
            c => match c.parse::<i64>() {
                Ok(n) if (1..=1000).contains(&n) => Some(n),
                _ => {
                    fail("people_count", "Liczba osób to liczba od 1 do 1000.");
                    None
                }
            },
        };
        let status = match self.status.trim() {
            "" | "confirmed" => BookingStatus::Confirmed,
            "tentative" => BookingStatus::Tentative,
            _ => {
                fail("status", "Wybierz status: wstępna albo potwierdzona.");
                BookingStatus::Confirmed
            }
        };
        if self.notes.chars().count() > MAX_FIELD_CHARS {
            fail("notes", "Notatka jest za długa (najwyżej 10 000 znaków).");
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(BookingDraft {
            resource_id,
            day,
            starts: starts.unwrap_or_default(),
            ends: ends.unwrap_or_default(),
            organization_id: self.organization_id.filter(|o| *o > 0),
            person_id: self.person_id.filter(|p| *p > 0),
            purpose,
            people_count,
            notes: clean_block(&self.notes),
            status,
            event_id: None,
        })
    }
}

/// What a booking would break without being refused: outside the opening hours, more people
/// than the room holds. Shown at the field; the booking may still be saved.
pub fn booking_warnings(d: &BookingDraft, resource: &Resource) -> Vec<FieldError> {
    let mut warnings = Vec::new();
    let hours = resource.hours();
    if hours.is_set() {
        match hours.on(d.day) {
            None => warnings.push(FieldError::new(
                "day",
                format!("{} jest w tym dniu zamknięta.", resource.name),
            )),
            Some((open, close)) => {
                if d.starts < *open || d.ends > *close {
                    warnings.push(FieldError::new(
                        "starts",
                        format!(
                            "Poza godzinami otwarcia ({}: {open}–{close}).",
                            weekday_name(d.day.weekday())
                        ),
                    ));
                }
            }
        }
    }
    if let (Some(n), Some(cap)) = (d.people_count, resource.capacity) {
        if n > cap {
            warnings.push(FieldError::new(
                "people_count",
                format!("{} mieści {cap} os., a podano {n}.", resource.name),
            ));
        }
    }
    warnings
}

pub fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "poniedziałek",
        Weekday::Tue => "wtorek",
        Weekday::Wed => "środa",
        Weekday::Thu => "czwartek",
        Weekday::Fri => "piątek",
        Weekday::Sat => "sobota",
        Weekday::Sun => "niedziela",
    }
}

/// A booking as the calendar and lists read it (both backends read it with `BOOKING_SELECT`).
#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Booking {
    pub id: i64,
    pub resource_id: i64,
    pub resource_name: String,
    pub day: NaiveDate,
    pub starts: String,
    pub ends: String,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub purpose: String,
    pub people_count: Option<i64>,
    pub notes: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: BookingStatus,
    pub cancel_reason: Option<String>,
    pub series_id: Option<i64>,
    /// The event held in the room (the booking follows the event's date and hours).
    pub event_id: Option<i64>,
    pub entered_by: String,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    /// Who saved it last (shown when a colleague's save is refused over it).
    pub updated_by: Option<String>,
}

impl Booking {
    /// Who holds the slot, in words: the organisation, else the purpose.
    pub fn holder(&self) -> String {
        match &self.organization_name {
            Some(o) => o.clone(),
            None => self.purpose.clone(),
        }
    }
}

/// What the calendar and lists ask for: a span of days (at most `MAX_RANGE_DAYS`), optionally
/// one resource or one organisation, a page of it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BookingQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub resource_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub include_cancelled: bool,
    pub offset: u32,
    pub limit: u32,
}

/// The refusal when a slot is taken: which booking holds it.
pub fn slot_taken(holder: &Booking) -> Error {
    Error::invalid(
        "starts",
        format!(
            "{} jest już zarezerwowana {} w godz. {}–{}: {} ({}). Wybierz inną godzinę albo salę.",
            holder.resource_name,
            holder.day.format("%d.%m.%Y"),
            holder.starts,
            holder.ends,
            holder.holder(),
            holder.status.label()
        ),
    )
}

// ----- weekly series ---------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SeriesInput {
    /// The first occurrence's details; `day` is the date the series starts from.
    pub booking: BookingInput,
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    pub weekdays: Vec<u32>,
    pub every_weeks: String,
    /// Until this date (inclusive)…
    pub until: String,
    /// …or this many occurrences.
    pub count: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeriesDraft {
    pub booking: BookingDraft,
    pub weekdays: Vec<u32>,
    pub every_weeks: u32,
    pub dates: Vec<NaiveDate>,
}

impl SeriesInput {
    pub fn parse(&self) -> Result<SeriesDraft> {
        let booking = self.booking.parse();
        let mut errors = match &booking {
            Err(Error::Invalid(e)) => e.clone(),
            _ => Vec::new(),
        };
        let mut weekdays: Vec<u32> = self
            .weekdays
            .iter()
            .copied()
            .filter(|d| (1..=7).contains(d))
            .collect();
        weekdays.sort_unstable();
        weekdays.dedup();
        if weekdays.is_empty() {
            errors.push(FieldError::new(
                "weekdays",
                "Zaznacz co najmniej jeden dzień tygodnia.",
            ));
        }
        let every_weeks = match self.every_weeks.trim() {
            "" => 1,
            n => n
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=52).contains(n))
                .unwrap_or_else(|| {
                    errors.push(FieldError::new(
                        "every_weeks",
                        "Co ile tygodni: liczba od 1 do 52.",
                    ));
                    1
                }),
        };
        let until = match self.until.trim() {
            "" => None,
            u => match parse_date(u) {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push(FieldError::new("until", e.0));
                    None
                }
            },
        };
        let count = match self.count.trim() {
            "" => None,
            c => match c.parse::<usize>() {
                Ok(n) if (1..=MAX_SERIES_DATES).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        "count",
                        format!("Liczba terminów: od 1 do {MAX_SERIES_DATES}."),
                    ));
                    None
                }
            },
        };
        if until.is_none()
            && count.is_none()
            && !errors
                .iter()
                .any(|e| e.field == "until" || e.field == "count")
        {
            errors.push(FieldError::new(
                "until",
                "Podaj datę końca serii albo liczbę terminów.",
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let booking = booking?;
        if let Some(u) = until {
            if u < booking.day {
                return Err(Error::invalid(
                    "until",
                    "Koniec serii jest przed jej początkiem.",
                ));
            }
        }
        let dates = series_dates(booking.day, &weekdays, every_weeks, until, count);
        if dates.len() > MAX_SERIES_DATES || dates.is_empty() {
            return Err(Error::invalid(
                "until",
                format!(
                    "Seria może mieć od 1 do {MAX_SERIES_DATES} terminów; wybrane ustawienia dają {}.",
                    dates.len()
                ),
            ));
        }
        Ok(SeriesDraft {
            booking,
            weekdays,
            every_weeks,
            dates,
        })
    }
}

/// The dates of a weekly series: from `first` on, the chosen weekdays of every `every_weeks`-th
/// week (counted from `first`'s week), up to `until` and at most `count` of them. Stops one past
/// `MAX_SERIES_DATES` so that a too-long series can be told apart.
pub fn series_dates(
    first: NaiveDate,
    weekdays: &[u32],
    every_weeks: u32,
    until: Option<NaiveDate>,
    count: Option<usize>,
) -> Vec<NaiveDate> {
    let monday = first - Days::new(u64::from(first.weekday().num_days_from_monday()));
    let limit = count
        .unwrap_or(MAX_SERIES_DATES + 1)
        .min(MAX_SERIES_DATES + 1);
    let mut dates = Vec::new();
    let mut week = 0u64;
    while dates.len() < limit && week < 52 * 10 {
        let start = monday + Days::new(week * 7 * u64::from(every_weeks.max(1)));
        for wd in weekdays {
            let day = start + Days::new(u64::from(wd - 1));
            if day < first {
                continue;
            }
            if until.is_some_and(|u| day > u) || dates.len() >= limit {
                return dates;
            }
            dates.push(day);
        }
        week += 1;
    }
    dates
}

/// One date of a series as the preview shows it: free, or taken by whom.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SeriesDate {
    pub day: NaiveDate,
    pub taken_by: Option<String>,
    /// Closed that day or outside opening hours (a warning only).
    pub warning: Option<String>,
}

/// What a saved series reports: how many were booked and which dates were left out.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SeriesSaved {
    pub series_id: i64,
    pub booked: usize,
    pub skipped: Vec<NaiveDate>,
}

/// A series as its bookings' page shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BookingSeries {
    pub id: i64,
    pub resource_id: i64,
    pub weekdays: Vec<u32>,
    pub every_weeks: i64,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub starts: String,
    pub ends: String,
    pub skipped: Vec<NaiveDate>,
    pub created_by: String,
    /// Occurrences not cancelled.
    pub active: i64,
}

/// A change to every occurrence of a series from a day on: new hours and details.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SeriesChangeInput {
    pub from_day: String,
    pub starts: String,
    pub ends: String,
    pub purpose: String,
    pub people_count: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeriesChange {
    pub from_day: NaiveDate,
    pub starts: String,
    pub ends: String,
    pub purpose: String,
    pub people_count: Option<i64>,
    pub notes: Option<String>,
}

impl SeriesChangeInput {
    pub fn parse(&self) -> Result<SeriesChange> {
        let as_booking = BookingInput {
            resource_id: Some(1),
            day: self.from_day.clone(),
            starts: self.starts.clone(),
            ends: self.ends.clone(),
            purpose: self.purpose.clone(),
            people_count: self.people_count.clone(),
            notes: self.notes.clone(),
            ..Default::default()
        };
        let d = as_booking.parse().map_err(|e| match e {
            Error::Invalid(errors) => Error::Invalid(
                errors
                    .into_iter()
                    .map(|mut f| {
                        if f.field == "day" {
                            f.field = "from_day".into();
                        }
                        f
                    })
                    .collect(),
            ),
            other => other,
        })?;
        Ok(SeriesChange {
            from_day: d.day,
            starts: d.starts,
            ends: d.ends,
            purpose: d.purpose,
            people_count: d.people_count,
            notes: d.notes,
        })
    }
}

/// The reason given when cancelling: required, one line.
pub fn cancel_reason(raw: &str) -> Result<String> {
    clean_line(raw)
        .filter(|r| r.chars().count() <= 300)
        .ok_or_else(|| Error::invalid("reason", "Podaj powód odwołania (do 300 znaków)."))
}

/// Checks a span the calendar asks for.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if to < from || (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(Error::BadArgument(format!(
            "Zakres dat kalendarza: od 1 do {} dni.",
            MAX_RANGE_DAYS + 1
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekly_series_on_two_weekdays_until_a_date() {
        // Wednesday 2 December 2026: Monday and Wednesday every week until 16 December.
        let dates = series_dates(d("2026-12-02"), &[1, 3], 1, Some(d("2026-12-16")), None);
        assert_eq!(
            dates,
            vec![
                d("2026-12-02"),
                d("2026-12-07"),
                d("2026-12-09"),
                d("2026-12-14"),
                d("2026-12-16")
            ]
        );
    }

    #[test]
    fn every_second_week_n_times() {
        let dates = series_dates(d("2026-12-01"), &[2], 2, None, Some(3));
        assert_eq!(
            dates,
            vec![d("2026-12-01"), d("2026-12-15"), d("2026-12-29")]
        );
    }

    #[test]
    fn a_series_without_an_end_is_refused_and_a_huge_one_too() {
        let mut input = SeriesInput {
            booking: BookingInput {
                resource_id: Some(1),
                day: "7.12.2026".into(),
                starts: "9:00".into(),
                ends: "11:00".into(),
                purpose: "warsztaty".into(),
                ..Default::default()
            },
            weekdays: vec![1],
            ..Default::default()
        };
        let Err(Error::Invalid(e)) = input.parse() else {
            panic!("no end accepted")
        };
        assert_eq!(e[0].field, "until");
        input.weekdays = vec![1, 2, 3, 4, 5];
        input.until = "31.12.2028".into();
        let Err(Error::Invalid(e)) = input.parse() else {
            panic!("huge series accepted")
        };
        assert!(e[0].message.contains("120"), "{e:?}");
        input.until = "21.12.2026".into();
        assert_eq!(input.parse().unwrap().dates.len(), 11);
    }

    #[test]
    fn times_are_read_as_people_write_them_and_must_run_forward() {
        assert_eq!(parse_clock("9.30").as_deref(), Some("09:30"));
        assert_eq!(parse_clock("9:5"), Some("09:05".into()));
        assert_eq!(parse_clock("25:00"), None);
        let input = BookingInput {
            resource_id: Some(1),
            day: "7.12.2026".into(),
            starts: "12:00".into(),
            ends: "10:00".into(),
            purpose: "x".into(),
            ..Default::default()
        };
        let Err(Error::Invalid(e)) = input.parse() else {
            panic!()
        };
        assert_eq!(e[0].field, "ends");
    }

    #[test]
    fn warnings_for_closed_days_hours_and_capacity() {
        let room = Resource {
            id: 1,
            kind: ResourceKind::Room,
            name: "Sala 1".into(),
            capacity: Some(12),
            equipment: None,
            notes: None,
            opening_hours: vec![
                "08:00-18:00".into(),
                "08:00-18:00".into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
            ],
            active: true,
        };
        let mut b = BookingInput {
            resource_id: Some(1),
            day: "7.12.2026".into(), // a Monday
            starts: "17:00".into(),
            ends: "19:00".into(),
            purpose: "zebranie".into(),
            people_count: "15".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let w = booking_warnings(&b, &room);
        assert_eq!(
            w.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
            ["starts", "people_count"]
        );
        b.day = d("2026-12-09");
        assert_eq!(booking_warnings(&b, &room)[0].field, "day");
        b.day = d("2026-12-08");
        b.ends = "18:00".into();
        b.people_count = Some(12);
        assert!(booking_warnings(&b, &room).is_empty());
    }

    #[test]
    fn opening_hours_round_trip() {
        let input = ResourceInput {
            kind: "room".into(),
            name: "Sala szkoleniowa".into(),
            opening_hours: vec!["8:00-16:00".into(), "".into(), "8.00–20.00".into()],
            active: true,
            ..Default::default()
        };
        let d = input.parse().unwrap();
        assert_eq!(d.opening_hours.to_stored(), "08:00-16:00;;08:00-20:00;;;;");
        assert_eq!(
            OpeningHours::from_stored(&d.opening_hours.to_stored()),
            d.opening_hours
        );
        let bad = ResourceInput {
            opening_hours: vec!["rano".into()],
            ..input
        };
        let Err(Error::Invalid(e)) = bad.parse() else {
            panic!()
        };
        assert_eq!(e[0].field, "opening_hours_0");
    }
}
