//! Demo rooms for `demo-data`: two rooms and the workstation with a month of bookings around
//! today (some tentative, one cancelled) and a weekly series, so the calendar has content.

use crate::error::{Error, Result};
use crate::rooms::{BookingInput, ResourceInput, SeriesInput};
use crate::Kartoteka;
use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const SLOTS: [(&str, &str); 5] = [
    ("09:00", "11:00"),
    ("11:30", "13:00"),
    ("13:30", "15:30"),
    ("16:00", "17:30"),
    ("18:00", "20:00"),
];

const PURPOSES: [&str; 8] = [
    "zebranie zarządu",
    "walne zebranie członków",
    "warsztaty dla wolontariuszy",
    "spotkanie z mieszkańcami",
    "próba zespołu",
    "szkolenie z rozliczania dotacji",
    "dyżur prawnika",
    "praca nad wnioskiem grantowym",
];

/// Adds the rooms and their bookings when the register has no rooms yet; returns how many
/// bookings were made.
pub(crate) async fn generate(
    k: &Kartoteka,
    rng: &mut ChaCha8Rng,
    org_ids: &[i64],
    today: NaiveDate,
) -> Result<usize> {
    if !k.resources(true).await?.is_empty() || org_ids.is_empty() {
        return Ok(0);
    }
    let weekdays = || {
        let mut hours = vec!["08:00-20:00".to_string(); 5];
        hours.push("10:00-14:00".into());
        hours.push(String::new());
        hours
    };
    let rooms = [
        (
            "room",
            "Sala szkoleniowa",
            "24",
            "rzutnik, ekran, flipchart, nagłośnienie",
        ),
        (
            "room",
            "Sala spotkań",
            "10",
            "stół konferencyjny, telewizor z HDMI",
        ),
        (
            "workstation",
            "Stanowisko pracy",
            "1",
            "komputer, drukarka, skaner, telefon",
        ),
    ];
    let mut ids = Vec::new();
    for (kind, name, capacity, equipment) in rooms {
        ids.push(
            k.save_resource(
                None,
                &ResourceInput {
                    kind: kind.into(),
                    name: name.into(),
                    capacity: capacity.into(),
                    equipment: equipment.into(),
                    opening_hours: weekdays(),
                    active: true,
                    ..Default::default()
                },
            )
            .await?,
        );
    }
    // A weekly series: a volunteers' club on Tuesdays in the training room for two months.
    let ahead = match (9 - today.weekday().number_from_monday()) % 7 {
        0 => 7,
        n => n,
    };
    let tuesday = today + Duration::days(i64::from(ahead));
    let series = k
        .save_series(
            &SeriesInput {
                booking: BookingInput {
                    resource_id: Some(ids[0]),
                    day: tuesday.format("%d.%m.%Y").to_string(),
                    starts: "18:00".into(),
                    ends: "20:00".into(),
                    organization_id: org_ids.first().copied(),
                    purpose: "klub wolontariusza".into(),
                    people_count: "15".into(),
                    ..Default::default()
                },
                weekdays: vec![2],
                every_weeks: "1".into(),
                count: "8".into(),
                ..Default::default()
            },
            &[],
        )
        .await?;
    let mut made = series.booked;
    let mut day = today - Duration::days(7);
    while day <= today + Duration::days(30) {
        if day.weekday().number_from_monday() <= 5 {
            for room in &ids {
                for (starts, ends) in SLOTS {
                    if !rng.gen_bool(0.3) {
                        continue;
                    }
                    let input = BookingInput {
                        resource_id: Some(*room),
                        day: day.format("%d.%m.%Y").to_string(),
                        starts: starts.into(),
                        ends: ends.into(),
                        organization_id: org_ids.choose(rng).copied(),
                        purpose: PURPOSES.choose(rng).expect("purposes").to_string(),
                        people_count: rng.gen_range(1..=12).to_string(),
                        status: if rng.gen_bool(0.15) {
                            "tentative"
                        } else {
                            "confirmed"
                        }
                        .into(),
                        ..Default::default()
                    };
                    // The series already holds some evenings: those slots are left out.
                    match k.save_booking(None, &input).await {
                        Ok(saved) => {
                            made += 1;
                            if rng.gen_bool(0.04) {
                                k.cancel_booking(saved.id, "organizacja zrezygnowała")
                                    .await?;
                            }
                        }
                        Err(Error::Invalid(fields))
                            if fields.iter().any(|f| f.field == "starts") => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        day += Duration::days(1);
    }
    Ok(made)
}
