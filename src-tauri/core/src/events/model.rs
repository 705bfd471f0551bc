//! Events and trainings: what the form sends and how it is checked, registrations with a
//! waiting list once the capacity is reached, attendance, and the attendance sheet PDF
//! (lista obecności) that grant accounting requires.

use crate::error::{Error, FieldError, Result};
use crate::pdf::{finish_pdf, fit_cell, Layout, Placed, Weight, BOTTOM, LEFT, RIGHT};
use crate::register::parse_date;
use crate::text::{clean_block, clean_line};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

pub const EVENT_KINDS: [&str; 6] = [
    "training",
    "meeting",
    "conference",
    "forum",
    "workshop",
    "other",
];

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "training" => "szkolenie",
        "meeting" => "spotkanie",
        "conference" => "konferencja",
        "forum" => "forum",
        "workshop" => "warsztaty",
        _ => "wydarzenie",
    }
}

/// An event as the form sends it: date DD.MM.RRRR, times HH:MM.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EventInput {
    pub title: String,
    pub kind: String,
    pub date: String,
    pub starts: String,
    pub ends: String,
    pub place: String,
    pub trainer: String,
    pub topic: String,
    pub description: String,
    pub capacity: String,
    /// One of the centre's rooms: saving the event books it.
    pub room_id: Option<i64>,
    /// Shown in the published calendar and its .ics feed (see `publish`); internal otherwise.
    pub public: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    pub title: String,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub place: Option<String>,
    pub trainer: Option<String>,
    pub topic: Option<String>,
    pub description: Option<String>,
    pub capacity: Option<i64>,
    pub public: bool,
}

fn parse_time(raw: &str) -> Option<NaiveTime> {
    let t = raw.trim().replace('.', ":");
    NaiveTime::parse_from_str(&t, "%H:%M").ok()
}

impl EventInput {
    pub fn parse(&self) -> Result<EventDraft> {
        let mut errors = Vec::new();
        let mut fail = |f: &str, m: &str| errors.push(FieldError::new(f, m));
        let line = |raw: &str| clean_line(raw).map(|s| s.chars().take(300).collect::<String>());
        let title = line(&self.title).unwrap_or_else(|| {
            fail("title", "Podaj tytuł wydarzenia.");
            String::new()
        });
        let kind = if EVENT_KINDS.contains(&self.kind.trim()) {
            self.kind.trim().to_string()
        } else {
            fail("kind", "Wybierz rodzaj wydarzenia.");
            "other".into()
        };
        let date = parse_date(&self.date).map_err(|e| fail("date", &e.0)).ok();
        let starts = match self.starts.trim() {
            "" => Some(NaiveTime::from_hms_opt(9, 0, 0).expect("valid")),
            raw => parse_time(raw).or_else(|| {
                fail("starts", "Godzina ma postać GG:MM, np. 10:00.");
                None
            }),
        };
        let ends = match self.ends.trim() {
            "" => None,
            raw => parse_time(raw).or_else(|| {
                fail("ends", "Godzina ma postać GG:MM, np. 14:30.");
                None
            }),
        };
        if let (Some(s), Some(e)) = (starts, ends) {
            if e <= s {
                fail("ends", "Koniec musi być później niż początek.");
            }
        }
        let capacity = match self.capacity.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(n) if (1..=10_000).contains(&n) => Some(n),
                _ => {
                    fail(
                        "capacity",
                        "Liczba miejsc to liczba od 1 do 10 000 (puste: bez limitu).",
                    );
                    None
                }
            },
        };
        let description = if self.description.chars().count() > crate::register::MAX_FIELD_CHARS {
            fail("description", "Opis jest za długi.");
            None
        } else {
            clean_block(&self.description)
        };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let date = date.expect("checked above");
        let starts_at = date.and_time(starts.expect("checked above"));
        Ok(EventDraft {
            title,
            kind,
            starts_at,
            ends_at: ends.map(|e| date.and_time(e)),
            place: line(&self.place),
            trainer: line(&self.trainer),
            topic: line(&self.topic),
            description,
            capacity,
            public: self.public,
        })
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub place: Option<String>,
    pub capacity: Option<i64>,
    pub registered: i64,
    pub waiting: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Registration {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub status: String,
    pub attended: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub place: Option<String>,
    pub trainer: Option<String>,
    pub topic: Option<String>,
    pub description: Option<String>,
    pub capacity: Option<i64>,
    /// Shown in the published calendar.
    pub public: bool,
    /// The centre's room it is held in (its booking), if any.
    pub room_id: Option<i64>,
    pub room_name: Option<String>,
    /// Registered first (in order of registration), then the waiting list.
    pub registrations: Vec<Registration>,
    /// Counts kept when the retention rule removed the attendance list (see `list_removed_on`).
    pub removed_registered: i64,
    pub removed_attended: i64,
    pub list_removed_on: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EventQuery {
    /// Only events from today on, soonest first; otherwise all, newest first.
    pub upcoming: bool,
    pub offset: u32,
    pub limit: u32,
}

/// Rows for walk-ins below the registered participants.
const BLANK_ROWS: usize = 8;

/// The attendance sheet: a header with the event, then a numbered table (name, organisation,
/// signature) of everybody registered, and blank rows for walk-ins; "Strona X z Y" below.
pub fn attendance_pdf(event: &Event, office: &str, today: NaiveDate) -> Result<(Vec<u8>, usize)> {
    let mut layout = Layout::new();
    layout.new_page();
    let mut header: Vec<(Weight, f32, String)> = Vec::new();
    if !office.trim().is_empty() {
        header.push((Weight::Regular, 10.0, office.trim().to_string()));
    }
    header.push((Weight::Bold, 18.0, "Lista obecności".into()));
    header.push((Weight::Bold, 13.0, event.title.clone()));
    let when = match event.ends_at {
        Some(e) => format!(
            "{}, godz. {}–{}",
            event.starts_at.format("%d.%m.%Y"),
            event.starts_at.format("%H:%M"),
            e.format("%H:%M")
        ),
        None => format!(
            "{}, godz. {}",
            event.starts_at.format("%d.%m.%Y"),
            event.starts_at.format("%H:%M")
        ),
    };
    let kind = kind_label(&event.kind);
    let kind: String = kind
        .chars()
        .take(1)
        .flat_map(char::to_uppercase)
        .chain(kind.chars().skip(1))
        .collect();
    header.push((Weight::Regular, 10.5, format!("{kind} · {when}")));
    if let Some(p) = &event.place {
        header.push((Weight::Regular, 10.5, format!("Miejsce: {p}")));
    }
    if let Some(t) = &event.trainer {
        header.push((Weight::Regular, 10.5, format!("Prowadzący: {t}")));
    }
    let items: Vec<(Weight, f32, &str)> = header
        .iter()
        .map(|(w, s, t)| (*w, *s, t.as_str()))
        .collect();
    let block = layout.block(&items, 14.0);
    layout.place(&block, 0.0);

    // Columns: Lp. | Imię i nazwisko | Organizacja | Podpis
    // The organisation gets the widest column: its names are the longest.
    let cols = [LEFT, LEFT + 30.0, LEFT + 170.0, LEFT + 370.0, RIGHT];
    let blank_h = 26.0;
    let attendees: Vec<&Registration> = event
        .registrations
        .iter()
        .filter(|r| r.status == "registered")
        .collect();
    let table_header = |layout: &mut Layout| {
        let top = layout.y;
        let page = layout.pages.last_mut().expect("a page");
        for (i, title) in ["Lp.", "Imię i nazwisko", "Organizacja", "Podpis"]
            .iter()
            .enumerate()
        {
            page.texts.push(Placed {
                x: cols[i] + 4.0,
                y: top - 15.0,
                size: 9.0,
                weight: Weight::Bold,
                text: title.to_string(),
            });
        }
        page.rules.push((LEFT, top, RIGHT, top));
        page.rules.push((LEFT, top - 20.0, RIGHT, top - 20.0));
        for x in cols {
            page.rules.push((x, top, x, top - 20.0));
        }
        layout.y = top - 20.0;
    };
    // One row: its number and the wrapped cells; the row is as tall as its longest cell.
    let place_row = |layout: &mut Layout, n: usize, cells: [(f32, Vec<String>); 2], row_h: f32| {
        if layout.y - row_h < BOTTOM {
            layout.new_page();
            table_header(layout);
        }
        let top = layout.y;
        let bottom = top - row_h;
        let page = layout.pages.last_mut().expect("a page");
        page.texts.push(Placed {
            x: cols[0] + 4.0,
            y: top - 15.0,
            size: 10.0,
            weight: Weight::Regular,
            text: format!("{n}."),
        });
        for (col, (size, lines)) in cells.into_iter().enumerate() {
            for (i, line) in lines.into_iter().enumerate() {
                let y = top - 15.0 - i as f32 * size * 1.2;
                page.texts.push(Placed {
                    x: cols[col + 1] + 4.0,
                    y,
                    size,
                    weight: Weight::Regular,
                    text: line,
                });
            }
        }
        page.rules.push((LEFT, bottom, RIGHT, bottom));
        for x in cols {
            page.rules.push((x, top, x, bottom));
        }
        layout.y = bottom;
    };
    table_header(&mut layout);
    for (n, r) in attendees.iter().enumerate() {
        let name = fit_cell(&layout.regular, &r.person_name, cols[2] - cols[1] - 8.0);
        let org = fit_cell(
            &layout.regular,
            r.organization_name.as_deref().unwrap_or(""),
            cols[3] - cols[2] - 8.0,
        );
        let tallest = [&name, &org]
            .iter()
            .map(|(size, lines)| lines.len() as f32 * size * 1.2)
            .fold(0.0f32, f32::max);
        place_row(
            &mut layout,
            n + 1,
            [name, org],
            (tallest + 12.0).max(blank_h),
        );
    }
    // Rows for walk-ins stay on the last page: as many as fit there (up to BLANK_ROWS), so a
    // sheet never spills a couple of empty rows onto a page of their own. Only when fewer than
    // three fit do they start a new page.
    let note_room = 30.0;
    let fit = ((layout.y - BOTTOM - note_room) / blank_h).floor().max(0.0) as usize;
    let blanks = if fit >= 3 {
        fit.min(BLANK_ROWS)
    } else {
        BLANK_ROWS
    };
    for i in 0..blanks {
        place_row(
            &mut layout,
            attendees.len() + i + 1,
            [(10.0, Vec::new()), (10.0, Vec::new())],
            blank_h,
        );
    }
    let note = format!(
        "Zarejestrowano: {}. Wydruk z dnia {}.",
        attendees.len(),
        today.format("%d.%m.%Y")
    );
    if layout.y - 30.0 < BOTTOM {
        layout.new_page();
    }
    layout.y -= 22.0;
    let y = layout.y;
    layout.pages.last_mut().expect("a page").texts.push(Placed {
        x: LEFT,
        y,
        size: 8.5,
        weight: Weight::Regular,
        text: note,
    });
    finish_pdf(
        layout,
        &format!("Lista obecności — {}", event.title),
        today,
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_form_parses_and_reports_every_problem() {
        let ok = EventInput {
            title: "Szkolenie z RODO".into(),
            kind: "training".into(),
            date: "10.12.2026".into(),
            starts: "10.00".into(),
            ends: "14:30".into(),
            capacity: "20".into(),
            ..Default::default()
        };
        let d = ok.parse().unwrap();
        assert_eq!(
            d.starts_at.format("%Y-%m-%d %H:%M").to_string(),
            "2026-12-10 10:00"
        );
        assert_eq!(d.capacity, Some(20));
        let bad = EventInput {
            title: " ".into(),
            kind: "party".into(),
            date: "10/12".into(),
            starts: "10:00".into(),
            ends: "09:00".into(),
            capacity: "0".into(),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .parse()
            .unwrap_err()
            .field_errors()
            .iter()
            .map(|e| e.field.clone())
            .collect();
        assert_eq!(fields, vec!["title", "kind", "date", "ends", "capacity"]);
    }
}
