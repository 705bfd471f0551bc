//! The schedule for a room's door: one A4 page per room (more when a week is full), each day
//! of the span with its bookings in large type, so a passer-by reads who has the room when.

use crate::error::Result;
use crate::pdf::{finish_pdf, Layout, Weight};
use crate::rooms::{weekday_name, Booking, BookingStatus, Resource};
use chrono::{Datelike, Days, NaiveDate};

const MONTHS: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];

fn long_date(d: NaiveDate) -> String {
    format!(
        "{}, {} {} {}",
        weekday_name(d.weekday()),
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// The door schedule of `resources` for `from..=to`: the PDF's bytes and its page count.
pub fn door_schedule_pdf(
    resources: &[Resource],
    bookings: &[Booking],
    from: NaiveDate,
    to: NaiveDate,
    office: &str,
    today: NaiveDate,
) -> Result<(Vec<u8>, usize)> {
    let mut layout = Layout::new();
    let span = if from == to {
        long_date(from)
    } else {
        format!("{} – {}", from.format("%d.%m.%Y"), to.format("%d.%m.%Y"))
    };
    for resource in resources {
        layout.new_page();
        let mut head: Vec<(Weight, f32, String)> = Vec::new();
        if !office.trim().is_empty() {
            head.push((Weight::Regular, 11.0, office.trim().to_string()));
        }
        head.push((Weight::Bold, 26.0, resource.name.clone()));
        head.push((Weight::Regular, 14.0, format!("Rezerwacje: {span}")));
        let items: Vec<(Weight, f32, &str)> =
            head.iter().map(|(w, s, t)| (*w, *s, t.as_str())).collect();
        let block = layout.block(&items, 12.0);
        layout.place(&block, 0.0);
        layout.rule();
        let hours = resource.hours();
        let mut day = from;
        while day <= to {
            let todays: Vec<&Booking> = bookings
                .iter()
                .filter(|b| {
                    b.resource_id == resource.id
                        && b.day == day
                        && b.status != BookingStatus::Cancelled
                })
                .collect();
            let mut lines: Vec<(Weight, f32, String)> = vec![(Weight::Bold, 15.0, long_date(day))];
            if todays.is_empty() {
                let free = if hours.is_set() && hours.on(day).is_none() {
                    "nieczynna"
                } else {
                    "wolna — brak rezerwacji"
                };
                lines.push((Weight::Regular, 13.0, free.to_string()));
            }
            for b in todays {
                let mut text = format!("{}–{}   {}", b.starts, b.ends, b.holder());
                if b.organization_name.is_some() {
                    text.push_str(&format!(" — {}", b.purpose));
                }
                if b.status == BookingStatus::Tentative {
                    text.push_str(" (rezerwacja wstępna)");
                }
                lines.push((Weight::Regular, 13.0, text));
            }
            let items: Vec<(Weight, f32, &str)> =
                lines.iter().map(|(w, s, t)| (*w, *s, t.as_str())).collect();
            let block = layout.block(&items, 10.0);
            layout.place(&block, 0.0);
            day = day + Days::new(1);
        }
    }
    finish_pdf(layout, "Plan rezerwacji sal", today, Vec::new())
}
