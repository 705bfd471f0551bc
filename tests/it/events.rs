//! Events against a real SQLite file: registrations up to the capacity, the waiting list and
//! its promotion, attendance, and the attendance sheet PDF as a reader gets it (pdftotext).

use crate::util::{fresh, org, save_org, save_person};
use kartoteka_core::events::{EventInput, EventQuery};
use kartoteka_core::register::{PersonInput, RoleInput};
use std::process::Command;

#[tokio::test]
async fn registrations_waiting_list_attendance_and_the_sheet() {
    let db = fresh().await;
    let org_id = save_org(&db.k, &org("Stowarzyszenie „Łączy Nas”", "Łódź")).await;
    let mut people = Vec::new();
    for (first, last) in [("Zofia", "Świątek"), ("Jan", "Żółć"), ("Ewa", "Nowak")] {
        let mut p = PersonInput {
            first_name: first.into(),
            last_name: last.into(),
            ..Default::default()
        };
        if last == "Świątek" {
            p.roles = vec![RoleInput {
                organization_id: org_id,
                role: "prezes".into(),
            }];
        }
        people.push(save_person(&db.k, &p).await);
    }
    let input = EventInput {
        title: "Szkolenie: rozliczanie dotacji".into(),
        kind: "training".into(),
        date: "15.12.2026".into(),
        starts: "10:00".into(),
        ends: "14:00".into(),
        place: "sala 2, ul. Piotrkowska 12".into(),
        trainer: "Anna Kowalska".into(),
        capacity: "2".into(),
        ..Default::default()
    };
    let id = db.k.save_event(None, &input).await.unwrap();
    assert_eq!(
        db.k.register_for_event(id, people[0], None).await.unwrap(),
        "registered"
    );
    assert_eq!(
        db.k.register_for_event(id, people[1], None).await.unwrap(),
        "registered"
    );
    assert_eq!(
        db.k.register_for_event(id, people[2], None).await.unwrap(),
        "waiting",
        "the third of two places waits"
    );
    let again =
        db.k.register_for_event(id, people[0], None)
            .await
            .unwrap_err();
    assert!(again.to_string().contains("już zapisana"));

    let event = db.k.event(id).await.unwrap();
    assert_eq!(
        event.registrations[0].organization_name.as_deref(),
        Some("Stowarzyszenie „Łączy Nas”"),
        "comes with the organisation of her role"
    );
    let row = &db
        .k
        .events(&EventQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .items[0];
    assert_eq!((row.registered, row.waiting, row.capacity), (2, 1, Some(2)));

    // Jan cancels: Ewa moves up from the waiting list.
    let jan = event
        .registrations
        .iter()
        .find(|r| r.person_id == people[1])
        .unwrap()
        .id;
    db.k.unregister(jan).await.unwrap();
    let event = db.k.event(id).await.unwrap();
    let statuses: Vec<(&str, &str)> = event
        .registrations
        .iter()
        .map(|r| (r.person_name.as_str(), r.status.as_str()))
        .collect();
    assert_eq!(
        statuses,
        vec![("Zofia Świątek", "registered"), ("Ewa Nowak", "registered")]
    );
    db.k.set_attended(event.registrations[0].id, true)
        .await
        .unwrap();
    assert!(db.k.event(id).await.unwrap().registrations[0].attended);

    // The sheet: header, the numbered registered people with their organisation, blank rows.
    let out = db.dir.path().join("lista.pdf");
    let pages =
        db.k.attendance_pdf(id, "Centrum Organizacji Pozarządowych", &out)
            .await
            .unwrap();
    assert_eq!(pages, 1);
    let text = Command::new("pdftotext")
        .arg("-layout")
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in [
        "Lista obecności",
        "Szkolenie: rozliczanie dotacji",
        "15.12.2026, godz. 10:00–14:00",
        "Prowadzący: Anna Kowalska",
        "Imię i nazwisko",
        "Podpis",
        "Zofia Świątek",
        "Stowarzyszenie „Łączy Nas”",
        "Ewa Nowak",
        "10.",
        "Strona 1 z 1",
    ] {
        assert!(text.contains(expected), "{expected} missing in:\n{text}");
    }
    assert!(
        !text.contains("Jan Żółć"),
        "unregistered people are not on the sheet"
    );

    // The same from the command line.
    let cli_out = db.dir.path().join("cli.pdf");
    let status = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args([
            "--db",
            &db.location(),
            "report",
            "attendance",
            "--event",
            &id.to_string(),
            "--out",
            cli_out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(std::fs::metadata(&cli_out).unwrap().len() > 10_000);
    let missing = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args([
            "--db",
            &db.location(),
            "report",
            "attendance",
            "--event",
            "999",
            "--out",
            cli_out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("Nie znaleziono"));
}

#[tokio::test]
async fn the_needs_survey_ranks_topics_by_how_many_organisations_chose_them() {
    let db = fresh().await;
    let a = save_org(&db.k, &org("Fundacja Ąbecadło", "Łódź")).await;
    let b = save_org(&db.k, &org("Stowarzyszenie Żuraw", "Łódź")).await;
    let c = save_org(&db.k, &org("Koło Gospodyń Wiejskich w Zgierzu", "Zgierz")).await;
    let rodo =
        db.k.add_survey_topic(2027, "RODO w organizacji")
            .await
            .unwrap();
    let grants =
        db.k.add_survey_topic(2027, "  Rozliczanie   dotacji ")
            .await
            .unwrap();
    let ue =
        db.k.add_survey_topic(2027, "Wnioski do programów UE")
            .await
            .unwrap();
    assert!(db
        .k
        .add_survey_topic(2027, "RODO w organizacji")
        .await
        .unwrap_err()
        .to_string()
        .contains("już"));
    for (topic, org_id) in [
        (grants, a),
        (grants, b),
        (grants, c),
        (rodo, b),
        (ue, a),
        (ue, c),
    ] {
        db.k.set_survey_choice(topic, org_id, true).await.unwrap();
    }
    db.k.set_survey_choice(ue, c, false).await.unwrap();
    let s = db.k.survey(2027).await.unwrap();
    let ranked: Vec<(&str, usize)> = s
        .topics
        .iter()
        .map(|t| (t.name.as_str(), t.organizations.len()))
        .collect();
    assert_eq!(
        ranked,
        vec![
            ("Rozliczanie dotacji", 3),
            ("RODO w organizacji", 1),
            ("Wnioski do programów UE", 1)
        ],
        "ties keep the order offered"
    );
    assert_eq!(s.organizations_answering, 3);
    let names: Vec<&str> = s.topics[0]
        .organizations
        .iter()
        .map(|(_, n)| n.as_str())
        .collect();
    assert_eq!(
        names,
        vec![
            "Fundacja Ąbecadło",
            "Koło Gospodyń Wiejskich w Zgierzu",
            "Stowarzyszenie Żuraw"
        ],
        "Polish order"
    );
    assert!(db.k.survey(2026).await.unwrap().topics.is_empty());
    db.k.delete_survey_topic(grants).await.unwrap();
    assert_eq!(db.k.survey(2027).await.unwrap().organizations_answering, 2);
}

#[tokio::test]
async fn the_sheet_fits_long_names_and_keeps_the_blank_rows_on_its_last_page() {
    let db = fresh().await;
    let long = "Stowarzyszenie Przyjaciół Ziemi Łódzkiej na rzecz Rozwoju Społeczności Lokalnych i Ochrony Dziedzictwa";
    let long_org = save_org(&db.k, &org(long, "Łódź")).await;
    let short_org = save_org(&db.k, &org("Fundacja Dąb", "Łódź")).await;
    let id =
        db.k.save_event(
            None,
            &EventInput {
                title: "Forum organizacji".into(),
                kind: "meeting".into(),
                date: "20.01.2027".into(),
                starts: "10:00".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // Enough people to fill most of the page: the walk-in rows used to spill onto a second one.
    for i in 0..18 {
        let organization_id = if i == 0 { long_org } else { short_org };
        let p = PersonInput {
            first_name: "Osoba".into(),
            last_name: format!("Numer{i:02}"),
            roles: vec![RoleInput {
                organization_id,
                role: "członek".into(),
            }],
            ..Default::default()
        };
        let person = save_person(&db.k, &p).await;
        db.k.register_for_event(id, person, None).await.unwrap();
    }
    let out = db.dir.path().join("forum.pdf");
    let pages = db.k.attendance_pdf(id, "", &out).await.unwrap();
    // Kept for looking at (pdftoppm -r 60 -png): target/tmp/pdfs.
    let kept = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdfs");
    std::fs::create_dir_all(&kept).unwrap();
    std::fs::copy(&out, kept.join("attendance-long-names.pdf")).unwrap();
    let text = String::from_utf8(
        Command::new("pdftotext")
            .arg("-layout")
            .arg(&out)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        pages, 1,
        "the blank rows stay on the page of the last participant:\n{text}"
    );
    assert!(
        flat.contains("Strona 1 z 1")
            && flat.contains("19.")
            && flat.contains("Zarejestrowano: 18."),
        "{text}"
    );
    // The long name is there whole, wrapped in its cell, not cut with "…".
    assert!(!flat.contains('…'), "{text}");
    for word in long.split_whitespace() {
        assert!(flat.contains(word), "{word} missing:\n{text}");
    }
}
