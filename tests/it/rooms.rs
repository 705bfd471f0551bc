//! Rooms and the workstation on the backend of the run (a file, or a server's database):
//! programs booking one room at the same moment (exactly one wins, the others learn who holds
//! the slot), weekly series with a taken date skipped and listed, one occurrence and the whole
//! series changed and cancelled, the iCalendar file read by a real parser, and the door
//! schedule as a reader gets it (pdftotext).

use crate::util::{fresh, fresh_place, org, save_org};
use chrono::NaiveDate;
use kartoteka_core::error::Error;
use kartoteka_core::rooms::{
    BookingInput, BookingQuery, BookingStatus, ResourceInput, SeriesChangeInput, SeriesInput,
};
use kartoteka_core::Kartoteka;
use std::process::Command;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn room(name: &str) -> ResourceInput {
    ResourceInput {
        kind: "room".into(),
        name: name.into(),
        capacity: "20".into(),
        equipment: "rzutnik, flipchart".into(),
        opening_hours: vec!["8:00-20:00".into(); 5],
        active: true,
        ..Default::default()
    }
}

fn booking(
    resource: i64,
    on: &str,
    from: &str,
    to: &str,
    organization: Option<i64>,
) -> BookingInput {
    BookingInput {
        resource_id: Some(resource),
        day: on.into(),
        starts: from.into(),
        ends: to.into(),
        organization_id: organization,
        purpose: "spotkanie zarządu".into(),
        people_count: "8".into(),
        ..Default::default()
    }
}

async fn all_bookings(
    k: &Kartoteka,
    from: &str,
    to: &str,
    include_cancelled: bool,
) -> Vec<kartoteka_core::rooms::Booking> {
    k.bookings(&BookingQuery {
        from: Some(day(from)),
        to: Some(day(to)),
        include_cancelled,
        limit: 500,
        ..Default::default()
    })
    .await
    .unwrap()
    .items
}

#[tokio::test]
async fn programs_booking_one_room_at_once_exactly_one_wins() {
    let place = fresh_place().await;
    let k = place.open().await;
    let room_id = k
        .save_resource(None, &room("Sala szkoleniowa"))
        .await
        .unwrap();
    let names = [
        "Fundacja Pierwsza",
        "Stowarzyszenie Druga",
        "Klub Trzeci",
        "Fundacja Czwarta",
    ];
    for n in names {
        save_org(&k, &org(n, "Białystok")).await;
    }
    k.close().await;
    // Four programs at the same moment, for hours that all share 15:15–15:30.
    let location = place.location();
    let slots = [
        ("14:00", "16:00"),
        ("15:00", "17:00"),
        ("13:30", "15:30"),
        ("15:15", "15:45"),
    ];
    let children: Vec<_> = names
        .iter()
        .zip(slots)
        .map(|(name, (from, to))| {
            Command::new(env!("CARGO_BIN_EXE_kartoteka"))
                .env("KARTOTEKA_LOG_DIR", place.dir.path().join("logi"))
                .args([
                    "--db",
                    location.as_str(),
                    "rooms",
                    "book",
                    "--room",
                    "sala szkoleniowa",
                    "--from",
                    &format!("14.12.2026 {from}"),
                    "--to",
                    to,
                    "--for",
                    name,
                    "--json",
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let won: Vec<_> = outputs
        .iter()
        .filter(|o| o.status.code() == Some(0))
        .collect();
    assert_eq!(
        won.len(),
        1,
        "exactly one program books the slot: {outputs:?}"
    );
    let k = place.open().await;
    let booked = all_bookings(&k, "2026-12-14", "2026-12-14", false).await;
    assert_eq!((booked.len(), booked[0].resource_id), (1, room_id));
    let holder = booked[0].organization_name.clone().unwrap();
    for lost in outputs.iter().filter(|o| o.status.code() != Some(0)) {
        assert_eq!(
            lost.status.code(),
            Some(3),
            "a taken slot ends with 3: {lost:?}"
        );
        let answer: serde_json::Value = serde_json::from_slice(&lost.stdout).unwrap();
        assert_eq!(answer["field"], "starts");
        let message = answer["message"].as_str().unwrap();
        assert!(
            message.contains(&holder),
            "the refusal names who holds the slot: {message}"
        );
        assert!(message.contains("14.12.2026"), "{message}");
    }
    k.close().await;
}

#[tokio::test]
async fn a_series_skips_a_taken_date_lists_it_and_changes_one_or_all() {
    let db = fresh().await;
    let k = &db.k;
    let room_id = k.save_resource(None, &room("Sala 1")).await.unwrap();
    let other_org = save_org(k, &org("Stowarzyszenie „Sąsiedzi”", "Białystok")).await;
    let series_org = save_org(k, &org("Fundacja Uśmiech", "Białystok")).await;
    // Wednesday 9 December is already taken from 10:00 to 11:00.
    k.save_booking(
        None,
        &booking(room_id, "9.12.2026", "10:00", "11:00", Some(other_org)),
    )
    .await
    .unwrap();
    let series = SeriesInput {
        booking: booking(room_id, "7.12.2026", "9:30", "12:00", Some(series_org)),
        weekdays: vec![1, 3],
        every_weeks: "1".into(),
        until: "23.12.2026".into(),
        count: String::new(),
    };
    let preview = k.preview_series(&series).await.unwrap();
    assert_eq!(preview.len(), 6, "Mondays and Wednesdays 7–23 December");
    let taken: Vec<_> = preview.iter().filter(|d| d.taken_by.is_some()).collect();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].day, day("2026-12-09"));
    assert!(taken[0].taken_by.as_ref().unwrap().contains("Sąsiedzi"));

    // Saved without skipping it: refused with the date, nothing written.
    let err = k.save_series(&series, &[]).await.unwrap_err();
    let Error::Invalid(fields) = &err else {
        panic!("{err:?}")
    };
    assert!(fields[0].message.contains("09.12.2026"), "{fields:?}");
    assert_eq!(
        all_bookings(k, "2026-12-01", "2026-12-31", true)
            .await
            .len(),
        1
    );

    let saved = k.save_series(&series, &[day("2026-12-09")]).await.unwrap();
    assert_eq!(saved.booked, 5);
    assert_eq!(saved.skipped, vec![day("2026-12-09")]);
    assert_eq!(
        k.series(saved.series_id).await.unwrap().skipped,
        vec![day("2026-12-09")]
    );

    // One occurrence moved an hour later: only that one changes.
    let all = all_bookings(k, "2026-12-01", "2026-12-31", false).await;
    let monday = all.iter().find(|b| b.day == day("2026-12-14")).unwrap();
    let mut moved = booking(room_id, "14.12.2026", "13:00", "15:00", Some(series_org));
    moved.revision = Some(monday.revision);
    k.save_booking(Some(monday.id), &moved).await.unwrap();
    // A second PC's form opened on the old revision is refused, with who saved it.
    let mut stale = booking(room_id, "14.12.2026", "8:00", "9:00", Some(series_org));
    stale.revision = Some(monday.revision);
    assert!(matches!(
        k.save_booking(Some(monday.id), &stale).await,
        Err(Error::Conflict(_))
    ));
    let after = all_bookings(k, "2026-12-01", "2026-12-31", false).await;
    let times: Vec<_> = after
        .iter()
        .filter(|b| b.series_id == Some(saved.series_id))
        .map(|b| (b.day, b.starts.as_str()))
        .collect();
    assert_eq!(
        times,
        vec![
            (day("2026-12-07"), "09:30"),
            (day("2026-12-14"), "13:00"),
            (day("2026-12-16"), "09:30"),
            (day("2026-12-21"), "09:30"),
            (day("2026-12-23"), "09:30"),
        ]
    );

    // The whole series from 16 December on: new hours, the series' own dates do not block it.
    let n = k
        .change_series(
            saved.series_id,
            &SeriesChangeInput {
                from_day: "16.12.2026".into(),
                starts: "10:00".into(),
                ends: "12:30".into(),
                purpose: "warsztaty dla wolontariuszy".into(),
                people_count: "12".into(),
                notes: String::new(),
            },
        )
        .await
        .unwrap();
    assert_eq!(n, 3);
    // …but another organisation's booking does: hours that reach into its slot on one date
    // refuse the change whole.
    k.save_booking(
        None,
        &booking(room_id, "21.12.2026", "13:00", "14:00", Some(other_org)),
    )
    .await
    .unwrap();
    let err = k
        .change_series(
            saved.series_id,
            &SeriesChangeInput {
                from_day: "16.12.2026".into(),
                starts: "12:00".into(),
                ends: "14:00".into(),
                purpose: "warsztaty".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    let Error::Invalid(fields) = &err else {
        panic!("{err:?}")
    };
    assert!(
        fields[0].message.contains("21.12.2026") && fields[0].message.contains("Sąsiedzi"),
        "{fields:?}"
    );
    let unchanged = all_bookings(k, "2026-12-16", "2026-12-16", false).await;
    assert_eq!(unchanged[0].starts, "10:00");

    // One occurrence cancelled with its reason; then the rest of the series from 21 December.
    let first = after.iter().find(|b| b.day == day("2026-12-07")).unwrap();
    assert!(
        k.cancel_booking(first.id, "  ").await.is_err(),
        "a reason is required"
    );
    k.cancel_booking(first.id, "zarząd przełożył spotkanie")
        .await
        .unwrap();
    let cancelled = k.booking(first.id).await.unwrap();
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert_eq!(
        cancelled.cancel_reason.as_deref(),
        Some("zarząd przełożył spotkanie")
    );
    assert_eq!(
        k.cancel_series(saved.series_id, "21.12.2026", "koniec projektu")
            .await
            .unwrap(),
        2
    );
    assert_eq!(k.series(saved.series_id).await.unwrap().active, 2);
    // A cancelled slot is free again.
    k.save_booking(
        None,
        &booking(room_id, "7.12.2026", "9:00", "10:00", Some(other_org)),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn warnings_outside_opening_hours_and_over_capacity_do_not_refuse() {
    let db = fresh().await;
    let room_id = db.k.save_resource(None, &room("Sala mała")).await.unwrap();
    // A Saturday (closed) for 30 people in a room for 20.
    let mut input = booking(room_id, "12.12.2026", "10:00", "12:00", None);
    input.people_count = "30".into();
    let warnings = db.k.booking_warnings(&input).await.unwrap();
    let fields: Vec<_> = warnings.iter().map(|w| w.field.as_str()).collect();
    assert_eq!(fields, ["day", "people_count"]);
    let saved = db.k.save_booking(None, &input).await.unwrap();
    assert_eq!(saved.warnings.len(), 2);
    // A second resource with the same name is refused at the name.
    let err =
        db.k.save_resource(None, &room("SALA MAŁA"))
            .await
            .unwrap_err();
    assert_eq!(err.field_errors()[0].field, "name");
}

#[tokio::test]
async fn the_calendar_file_opens_in_a_real_icalendar_parser_with_warsaw_times() {
    let db = fresh().await;
    let k = &db.k;
    let room_id = k
        .save_resource(None, &room("Sala; „duża”, parter"))
        .await
        .unwrap();
    let org_id = save_org(k, &org("Fundacja Zima i Lato", "Białystok")).await;
    // Winter (CET, +01:00) and summer (CEST, +02:00) bookings.
    let winter = k
        .save_booking(
            None,
            &booking(room_id, "7.12.2026", "10:00", "12:00", Some(org_id)),
        )
        .await
        .unwrap();
    k.save_booking(
        None,
        &booking(room_id, "15.6.2027", "9:00", "10:30", Some(org_id)),
    )
    .await
    .unwrap();
    let out = db.dir.path().join("sale.ics");
    let n = k
        .export_icalendar(Some(room_id), day("2026-12-01"), day("2027-06-30"), &out)
        .await
        .unwrap();
    assert_eq!(n, 2);
    let again = db.dir.path().join("sale-2.ics");
    k.export_icalendar(None, day("2026-12-01"), day("2027-06-30"), &again)
        .await
        .unwrap();
    let script = r#"
import sys, icalendar
for path in sys.argv[1:]:
    cal = icalendar.Calendar.from_ical(open(path, 'rb').read())
    for ev in cal.walk('VEVENT'):
        print(path[-6:], ev['UID'], ev.decoded('DTSTART').isoformat(), ev.decoded('DTEND').isoformat(), ev['LOCATION'], ev['SUMMARY'])
"#;
    let python = if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    };
    let parsed = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&out)
        .arg(&again)
        .output()
        .unwrap();
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let text = String::from_utf8(parsed.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].contains("2026-12-07T10:00:00+01:00")
            && lines[0].contains("2026-12-07T12:00:00+01:00"),
        "{text}"
    );
    assert!(lines[1].contains("2027-06-15T09:00:00+02:00"), "{text}");
    assert!(
        lines[0].contains("Sala; „duża”, parter"),
        "escaped text reads back whole: {text}"
    );
    assert!(lines[0].contains("Fundacja Zima i Lato"), "{text}");
    // The same booking has the same UID in every export (a calendar updates it, not doubles it).
    let uid = format!("kartoteka-rezerwacja-{}@kartoteka.local", winter.id);
    assert_eq!(text.matches(&uid).count(), 2, "{text}");
}

#[tokio::test]
async fn the_door_schedule_reads_as_a_week_of_the_room() {
    let db = fresh().await;
    let k = &db.k;
    let room_id = k
        .save_resource(None, &room("Sala konferencyjna"))
        .await
        .unwrap();
    k.save_resource(None, &room("Stanowisko komputerowe"))
        .await
        .unwrap();
    let org_id = save_org(k, &org("Stowarzyszenie Żółty Rower", "Białystok")).await;
    k.save_booking(
        None,
        &booking(room_id, "8.12.2026", "9:00", "11:00", Some(org_id)),
    )
    .await
    .unwrap();
    let mut tentative = booking(room_id, "10.12.2026", "16:00", "18:00", None);
    tentative.purpose = "szkolenie z RODO".into();
    tentative.status = "tentative".into();
    k.save_booking(None, &tentative).await.unwrap();
    let out = db.dir.path().join("drzwi.pdf");
    let pages = k
        .door_schedule(None, day("2026-12-07"), 7, "CWOP Białystok", &out)
        .await
        .unwrap();
    assert_eq!(pages, 2, "one page per room");
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in [
        "Sala konferencyjna",
        "Rezerwacje: 07.12.2026 – 13.12.2026",
        "wtorek, 8 grudnia 2026",
        "09:00–11:00",
        "Stowarzyszenie Żółty Rower — spotkanie zarządu",
        "16:00–18:00 szkolenie z RODO (rezerwacja wstępna)",
        "sobota, 12 grudnia 2026",
        "nieczynna",
        "Stanowisko komputerowe",
        "CWOP Białystok",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn the_cli_writes_the_room_calendar() {
    let place = crate::util::fresh_place_blocking();
    let location = place.location();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let k = place.open().await;
        let room_id = k.save_resource(None, &room("Sala 2")).await.unwrap();
        k.save_resource(None, &room("Sala 3")).await.unwrap();
        let org_id = save_org(&k, &org("Klub Seniora", "Białystok")).await;
        let today = chrono::Local::now().date_naive();
        let on = (today + chrono::Days::new(3))
            .format("%d.%m.%Y")
            .to_string();
        k.save_booking(None, &booking(room_id, &on, "10:00", "11:00", Some(org_id)))
            .await
            .unwrap();
        k.close().await;
    });
    let out = place.dir.path().join("sala2.ics");
    let run = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .env("KARTOTEKA_LOG_DIR", place.dir.path().join("logi"))
        .args([
            "--db",
            location.as_str(),
            "rooms",
            "calendar",
            "--room",
            "SALA 2",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let ics = std::fs::read_to_string(&out).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    assert!(ics.contains("SUMMARY:Sala 2: Klub Seniora"));
    let unknown = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .env("KARTOTEKA_LOG_DIR", place.dir.path().join("logi"))
        .args([
            "--db",
            location.as_str(),
            "rooms",
            "calendar",
            "--room",
            "Sala 9",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        said.contains("Nie ma sali „Sala 9”") && said.contains("Sala 2, Sala 3"),
        "{said}"
    );
}

#[tokio::test]
async fn an_event_held_in_a_room_books_it_and_moves_it_with_it() {
    use kartoteka_core::events::EventInput;
    let db = fresh().await;
    let k = &db.k;
    let room_id = k
        .save_resource(None, &room("Sala szkoleniowa"))
        .await
        .unwrap();
    let training = |date: &str, starts: &str, ends: &str, room: Option<i64>| EventInput {
        title: "Szkolenie: rozliczanie dotacji".into(),
        kind: "training".into(),
        date: date.into(),
        starts: starts.into(),
        ends: ends.into(),
        capacity: "18".into(),
        room_id: room,
        ..Default::default()
    };
    let event = k
        .save_event(
            None,
            &training("10.12.2026", "10:00", "14:00", Some(room_id)),
        )
        .await
        .unwrap();
    let booked = all_bookings(k, "2026-12-10", "2026-12-10", false).await;
    assert_eq!(booked.len(), 1);
    assert_eq!(
        (
            booked[0].event_id,
            booked[0].purpose.as_str(),
            booked[0].starts.as_str(),
            booked[0].ends.as_str(),
            booked[0].people_count
        ),
        (
            Some(event),
            "Szkolenie: rozliczanie dotacji",
            "10:00",
            "14:00",
            Some(18)
        )
    );
    assert_eq!(
        k.event(event).await.unwrap().room_name.as_deref(),
        Some("Sala szkoleniowa")
    );

    // A second event at an overlapping time in the same room: refused at the room, not saved.
    let err = k
        .save_event(
            None,
            &training("10.12.2026", "13:00", "15:00", Some(room_id)),
        )
        .await
        .unwrap_err();
    assert_eq!(err.field_errors()[0].field, "room_id");
    assert!(
        err.field_errors()[0]
            .message
            .contains("Szkolenie: rozliczanie dotacji"),
        "{err:?}"
    );
    assert_eq!(
        k.events(&Default::default()).await.unwrap().total,
        1,
        "nothing written half-way"
    );

    // Moved a day (re-saving over its own booking is fine): the booking moves with it.
    k.save_event(
        Some(event),
        &training("11.12.2026", "9:00", "", Some(room_id)),
    )
    .await
    .unwrap();
    let moved = all_bookings(k, "2026-12-10", "2026-12-11", false).await;
    assert_eq!(moved.len(), 1);
    assert_eq!(
        (
            moved[0].day,
            moved[0].starts.as_str(),
            moved[0].ends.as_str()
        ),
        (day("2026-12-11"), "09:00", "11:00")
    );
    // Out of the room: its booking is cancelled; deleted: the booking goes with it.
    k.save_event(Some(event), &training("11.12.2026", "9:00", "", None))
        .await
        .unwrap();
    assert!(all_bookings(k, "2026-12-11", "2026-12-11", false)
        .await
        .is_empty());
    assert_eq!(k.event(event).await.unwrap().room_id, None);
    k.delete_event(event).await.unwrap();
    assert!(all_bookings(k, "2026-12-11", "2026-12-11", true)
        .await
        .is_empty());
}
