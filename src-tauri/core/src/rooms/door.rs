//! The schedule for a room's door: one A4 page per room (more when a week is full), each day
//! of the span with its bookings in large type, so a passer-by reads who has the room when.

use crate::error::Result;
use crate::pdf::{finish_pdf, Layout, Placed, Weight, BOTTOM, LEFT, RIGHT};
use crate::rooms::{weekday_name, Booking, BookingStatus, Resource};
use chrono::{Datelike, Days, NaiveDate};

/// Booking lines' type size and line height; the day's heading line.
const SIZE: f32 = 13.0;
const LINE: f32 = SIZE * 1.35;
const HEAD_LINE: f32 = 22.0;
/// Where the text beside the hours column starts ("18:00–20:00" at 13 pt bold, and a gap).
const TEXT_X: f32 = LEFT + 100.0;

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
            // Each booking: its hours in a column of their own, who and what wrapped beside them.
            let mut rows: Vec<(String, Vec<String>)> = Vec::new();
            if todays.is_empty() {
                let free = if hours.is_set() && hours.on(day).is_none() {
                    "nieczynna"
                } else {
                    "wolna — brak rezerwacji"
                };
                rows.push((String::new(), vec![free.to_string()]));
            }
            for b in todays {
                let mut text = b.holder();
                if b.organization_name.is_some() {
                    text.push_str(&format!(" — {}", b.purpose));
                }
                if b.status == BookingStatus::Tentative {
                    text.push_str(" (rezerwacja wstępna)");
                }
                let lines = layout.regular.wrap(&text, SIZE, RIGHT - TEXT_X);
                rows.push((format!("{}–{}", b.starts, b.ends), lines));
            }
            let height = HEAD_LINE
                + rows
                    .iter()
                    .map(|(_, l)| l.len() as f32 * LINE + 4.0)
                    .sum::<f32>()
                + 10.0;
            if layout.y - height < BOTTOM {
                layout.new_page();
                let block = layout.block(
                    &[(
                        Weight::Bold,
                        15.0,
                        &format!("{} (ciąg dalszy)", resource.name),
                    )],
                    8.0,
                );
                layout.place(&block, 0.0);
            }
            let head = long_date(day);
            let page = layout.pages.last_mut().expect("a page");
            layout.y -= HEAD_LINE;
            page.texts.push(Placed {
                x: LEFT,
                y: layout.y + 4.0,
                size: 15.0,
                weight: Weight::Bold,
                text: head,
            });
            for (time, lines) in rows {
                let top = layout.y;
                let x = if time.is_empty() { LEFT } else { TEXT_X };
                if !time.is_empty() {
                    page.texts.push(Placed {
                        x: LEFT,
                        y: top - SIZE,
                        size: SIZE,
                        weight: Weight::Bold,
                        text: time,
                    });
                }
                for (i, line) in lines.iter().enumerate() {
                    let y = top - SIZE - i as f32 * LINE;
                    page.texts.push(Placed {
                        x,
                        y,
                        size: SIZE,
                        weight: Weight::Regular,
                        text: line.clone(),
                    });
                }
                layout.y = top - lines.len() as f32 * LINE - 4.0;
            }
            layout.y -= 10.0;
            day = day + Days::new(1);
        }
    }
    finish_pdf(layout, "Plan rezerwacji sal", today, Vec::new())
}
