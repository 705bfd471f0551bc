//! Bookings as an iCalendar file (RFC 5545) that Thunderbird and Outlook open as a room's
//! calendar: local times in Europe/Warsaw with its VTIMEZONE, one stable UID per booking (a
//! re-import updates the event instead of doubling it), CRLF lines folded at 75 octets.

use crate::ical::{escape, fold_into, WARSAW};
use crate::rooms::{Booking, BookingStatus};
use chrono::{DateTime, Days, NaiveDate, Utc};
use std::fmt::Write;

/// The calendar text of `bookings` (cancelled ones are kept as STATUS:CANCELLED, so a
/// calendar that imported them before drops them).
pub fn to_icalendar(bookings: &[Booking], office: &str, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut line = |text: &str| fold_into(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Kartoteka//Rezerwacje sal//PL");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    let name = if office.trim().is_empty() {
        "Rezerwacje sal".to_string()
    } else {
        format!("Rezerwacje sal — {}", office.trim())
    };
    line(&format!("X-WR-CALNAME:{}", escape(&name)));
    line("X-WR-TIMEZONE:Europe/Warsaw");
    out.push_str(WARSAW);
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for b in bookings {
        let mut line = |text: &str| fold_into(&mut out, text);
        line("BEGIN:VEVENT");
        line(&format!(
            "UID:kartoteka-rezerwacja-{}@kartoteka.local",
            b.id
        ));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!(
            "DTSTART;TZID=Europe/Warsaw:{}",
            local(b.day, &b.starts)
        ));
        line(&format!(
            "DTEND;TZID=Europe/Warsaw:{}",
            local(b.day, &b.ends)
        ));
        line(&format!(
            "SUMMARY:{}",
            escape(&format!("{}: {}", b.resource_name, b.holder()))
        ));
        line(&format!("LOCATION:{}", escape(&b.resource_name)));
        let mut description = format!("Cel: {}", b.purpose);
        if let Some(p) = &b.person_name {
            let _ = write!(description, "\nOsoba: {p}");
        }
        if let Some(n) = b.people_count {
            let _ = write!(description, "\nLiczba osób: {n}");
        }
        if let Some(r) = &b.cancel_reason {
            let _ = write!(description, "\nOdwołana: {r}");
        }
        line(&format!("DESCRIPTION:{}", escape(&description)));
        line(match b.status {
            BookingStatus::Tentative => "STATUS:TENTATIVE",
            BookingStatus::Confirmed => "STATUS:CONFIRMED",
            BookingStatus::Cancelled => "STATUS:CANCELLED",
        });
        line(&format!("SEQUENCE:{}", (b.revision - 1).max(0)));
        line("END:VEVENT");
    }
    fold_into(&mut out, "END:VCALENDAR");
    out
}

/// A wall-clock time of `day` as iCalendar's local DATE-TIME; 24:00 is the next day's 00:00.
fn local(day: NaiveDate, clock: &str) -> String {
    if clock == "24:00" {
        let next = day + Days::new(1);
        return format!("{}T000000", next.format("%Y%m%d"));
    }
    format!("{}T{}00", day.format("%Y%m%d"), clock.replace(':', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_midnight_is_the_next_day() {
        assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(local(day, "24:00"), "20270101T000000");
        assert_eq!(local(day, "09:30"), "20261231T093000");
    }
}
