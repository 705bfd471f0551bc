//! The point's duty hours (which days and hours, who is on duty) and the appointments clients
//! make for a time within them, with an out-of-turn mark (e.g. pregnancy) and the day's list.
//! Appointments hold a name and a phone: they are kept only while they are useful (see ops).

use crate::error::{Error, FieldError, Result};
use crate::register::parse_date;
use crate::text::{clean_block, clean_line};
use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

pub const WEEKDAYS: [&str; 7] = [
    "poniedziałek",
    "wtorek",
    "środa",
    "czwartek",
    "piątek",
    "sobota",
    "niedziela",
];

/// Days after which a past appointment (a name and a phone) is removed.
pub const APPOINTMENT_KEEP_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct DutyHour {
    pub id: i64,
    pub point_id: i64,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i64,
    /// HH:MM
    pub starts: String,
    pub ends: String,
    pub on_duty: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DutyHourInput {
    pub point_id: Option<i64>,
    pub weekday: String,
    pub starts: String,
    pub ends: String,
    pub on_duty: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DutyHourDraft {
    pub point_id: i64,
    pub weekday: i64,
    pub starts: String,
    pub ends: String,
    pub on_duty: String,
}

/// "9:00", "09:00" or "9" as HH:MM.
pub fn parse_time(raw: &str) -> Option<String> {
    let t = raw.trim();
    let t = if t.contains(':') {
        t.to_string()
    } else {
        format!("{t}:00")
    };
    NaiveTime::parse_from_str(&t, "%H:%M")
        .ok()
        .map(|x| x.format("%H:%M").to_string())
}

fn minutes_of(hhmm: &str) -> i64 {
    let (h, m) = hhmm.split_once(':').unwrap_or(("0", "0"));
    h.parse::<i64>().unwrap_or(0) * 60 + m.parse::<i64>().unwrap_or(0)
}

fn hhmm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl DutyHourInput {
    pub fn parse(&self) -> Result<DutyHourDraft> {
        let mut errors = Vec::new();
        let weekday = self
            .weekday
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=7).contains(d));
        if weekday.is_none() {
            errors.push(FieldError::new("weekday", "Wybierz dzień tygodnia."));
        }
        let starts = parse_time(&self.starts);
        if starts.is_none() {
            errors.push(FieldError::new("starts", "Godzina jako GG:MM, np. 9:00."));
        }
        let ends = parse_time(&self.ends);
        match (&starts, &ends) {
            (_, None) => errors.push(FieldError::new("ends", "Godzina jako GG:MM, np. 13:00.")),
            (Some(s), Some(e)) if e <= s => errors.push(FieldError::new(
                "ends",
                "Dyżur kończy się po swoim początku.",
            )),
            _ => {}
        }
        let on_duty = clean_line(&self.on_duty).filter(|n| n.chars().count() <= 120);
        if on_duty.is_none() {
            errors.push(FieldError::new(
                "on_duty",
                "Podaj, kto ma dyżur (np. adwokat Anna Borowska).",
            ));
        }
        let point_id = self.point_id.filter(|p| *p > 0);
        if point_id.is_none() {
            errors.push(FieldError::new("point_id", "Wybierz punkt."));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(DutyHourDraft {
            point_id: point_id.unwrap_or_default(),
            weekday: weekday.unwrap_or(1),
            starts: starts.unwrap_or_default(),
            ends: ends.unwrap_or_default(),
            on_duty: on_duty.unwrap_or_default(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Appointment {
    pub id: i64,
    pub point_id: i64,
    pub on_day: NaiveDate,
    pub starts: String,
    pub minutes: i64,
    pub client_name: String,
    pub phone: Option<String>,
    pub out_of_turn: bool,
    pub remote: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AppointmentInput {
    pub point_id: Option<i64>,
    /// DD.MM.RRRR
    pub on_day: String,
    /// HH:MM
    pub starts: String,
    /// Empty = 30.
    pub minutes: String,
    pub client_name: String,
    pub phone: String,
    pub out_of_turn: bool,
    /// Help at a distance (the client will be phoned or called on video).
    pub remote: bool,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentDraft {
    pub point_id: i64,
    pub on_day: NaiveDate,
    pub starts: String,
    pub minutes: i64,
    pub client_name: String,
    pub phone: Option<String>,
    pub out_of_turn: bool,
    pub remote: bool,
    pub note: Option<String>,
}

impl AppointmentDraft {
    pub fn ends(&self) -> String {
        hhmm(minutes_of(&self.starts) + self.minutes)
    }
}

impl AppointmentInput {
    /// Checks the form and that the time lies within one of the point's duty hours that day.
    pub fn parse(&self, duty: &[DutyHour], today: NaiveDate) -> Result<AppointmentDraft> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut fail = |field: &str, message: &str| errors.push(FieldError::new(field, message));
        let point_id = self.point_id.filter(|p| *p > 0).unwrap_or_else(|| {
            fail("point_id", "Wybierz punkt.");
            0
        });
        let on_day = match parse_date(&self.on_day) {
            Ok(d) if d < today => {
                fail(
                    "on_day",
                    "Zapisać można na dziś albo na dzień w przyszłości.",
                );
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                fail("on_day", &e.0);
                None
            }
        };
        let starts = parse_time(&self.starts);
        if starts.is_none() {
            fail("starts", "Godzina jako GG:MM, np. 10:30.");
        }
        let minutes = match self.minutes.trim() {
            "" => 30,
            m => match m.parse::<i64>() {
                Ok(n) if (5..=240).contains(&n) => n,
                _ => {
                    fail("minutes", "Czas wizyty to od 5 do 240 minut.");
                    30
                }
            },
        };
        let client_name = clean_line(&self.client_name)
            .filter(|n| n.chars().count() <= 120)
            .unwrap_or_else(|| {
                fail("client_name", "Podaj, kto się zapisuje (imię i nazwisko).");
                String::new()
            });
        let phone = clean_line(&self.phone);
        if phone.as_ref().is_some_and(|p| {
            p.chars().count() > 30 || !p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
        }) {
            fail("phone", "Telefon to cyfry, spacje i znaki + - ( ).");
        }
        if let (Some(day), Some(s)) = (on_day, &starts) {
            let weekday = day.weekday().number_from_monday() as i64;
            let (from, to) = (minutes_of(s), minutes_of(s) + minutes);
            let within = duty.iter().any(|d| {
                d.point_id == point_id
                    && d.weekday == weekday
                    && minutes_of(&d.starts) <= from
                    && to <= minutes_of(&d.ends)
            });
            if !within {
                let hours: Vec<String> = duty
                    .iter()
                    .filter(|d| d.point_id == point_id && d.weekday == weekday)
                    .map(|d| format!("{}–{}", d.starts, d.ends))
                    .collect();
                fail(
                    "starts",
                    &if hours.is_empty() {
                        format!(
                            "W {} punkt nie ma dyżuru: wybierz inny dzień.",
                            WEEKDAYS[(weekday - 1) as usize]
                        )
                    } else {
                        format!(
                            "Wizyta musi się zmieścić w dyżurze tego dnia: {}.",
                            hours.join(", ")
                        )
                    },
                );
            }
        }
        let note = clean_block(&self.note).map(|n| n.chars().take(1000).collect());
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(AppointmentDraft {
            point_id,
            on_day: on_day.unwrap_or(today),
            starts: starts.unwrap_or_default(),
            minutes,
            client_name,
            phone,
            out_of_turn: self.out_of_turn,
            remote: self.remote,
            note,
        })
    }
}

/// One day of a point: its duty hours, the appointments in time order (out of turn first
/// among those at the same time) and the free half-hour slots left.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointDay {
    pub point_id: i64,
    pub day: NaiveDate,
    pub weekday: String,
    pub duty: Vec<DutyHour>,
    pub appointments: Vec<Appointment>,
    pub free_slots: Vec<String>,
}

/// Half-hour starts within the duty hours that no appointment covers.
pub fn free_slots(duty: &[DutyHour], appointments: &[Appointment]) -> Vec<String> {
    let mut out = Vec::new();
    for d in duty {
        let mut t = minutes_of(&d.starts);
        while t + 30 <= minutes_of(&d.ends) {
            let taken = appointments.iter().any(|a| {
                let s = minutes_of(&a.starts);
                t < s + a.minutes && s < t + 30
            });
            if !taken {
                out.push(hhmm(t));
            }
            t += 30;
        }
    }
    out
}

/// Whether two appointments' times overlap.
pub fn overlaps(a_starts: &str, a_minutes: i64, b_starts: &str, b_minutes: i64) -> bool {
    let (a, b) = (minutes_of(a_starts), minutes_of(b_starts));
    a < b + b_minutes && b < a + a_minutes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duty() -> Vec<DutyHour> {
        vec![DutyHour {
            id: 1,
            point_id: 3,
            weekday: 1,
            starts: "09:00".into(),
            ends: "13:00".into(),
            on_duty: "adwokat Anna Borowska".into(),
        }]
    }

    fn monday() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    #[test]
    fn an_appointment_must_fit_the_duty_of_its_day() {
        let input = AppointmentInput {
            point_id: Some(3),
            on_day: "07.12.2026".into(),
            starts: "12:45".into(),
            client_name: "Jan Kowalski".into(),
            ..Default::default()
        };
        let err = input.parse(&duty(), monday()).unwrap_err();
        assert!(format!("{err:?}").contains("09:00–13:00"), "{err:?}");
        let ok = AppointmentInput {
            starts: "9:30".into(),
            ..input.clone()
        };
        let d = ok.parse(&duty(), monday()).unwrap();
        assert_eq!((d.starts.as_str(), d.ends().as_str()), ("09:30", "10:00"));
        let tuesday = AppointmentInput {
            on_day: "08.12.2026".into(),
            starts: "10:00".into(),
            ..input
        };
        let err = tuesday.parse(&duty(), monday()).unwrap_err();
        assert!(format!("{err:?}").contains("wtorek"), "{err:?}");
    }

    #[test]
    fn free_slots_leave_out_what_is_taken() {
        let a = Appointment {
            id: 1,
            point_id: 3,
            on_day: monday(),
            starts: "09:30".into(),
            minutes: 45,
            client_name: "X".into(),
            phone: None,
            out_of_turn: false,
            remote: false,
            note: None,
        };
        let free = free_slots(&duty(), &[a]);
        assert_eq!(free, ["09:00", "10:30", "11:00", "11:30", "12:00", "12:30"]);
        assert!(overlaps("10:00", 30, "10:15", 30));
        assert!(!overlaps("10:00", 30, "10:30", 30));
    }
}
