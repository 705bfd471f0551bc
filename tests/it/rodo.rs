//! Change history and the RODO tools against a real database (a file, or a server in a
//! PostgreSQL run): every field change logged
//! with the user name; "everything we hold" as JSON and PDF; erasure removes the person
//! everywhere and logs only the fact; anonymisation keeps the statistics; retention previews
//! exactly what it then changes.

use crate::util::{fresh, fresh_file, org, save_org, save_person};
use kartoteka_core::advice::AdviceInput;
use kartoteka_core::consultations::ConsultationInput;
use kartoteka_core::events::EventInput;
use kartoteka_core::register::{ConsentInput, PersonInput, RecordKind, RoleInput, SaveOutcome};
use kartoteka_core::rodo::{RetentionApplied, RetentionSettings};
use std::process::Command;

async fn person_with_everything(k: &kartoteka_core::Kartoteka) -> (i64, i64) {
    let org_id = save_org(k, &org("Fundacja Łąka", "Łódź")).await;
    let p = PersonInput {
        first_name: "Zofia".into(),
        last_name: "Żółkiewska".into(),
        emails: "zofia@przyklad.pl".into(),
        phones: "600 100 200".into(),
        notes: "Prosi o kontakt po 16".into(),
        roles: vec![RoleInput {
            organization_id: org_id,
            role: "prezes".into(),
        }],
        revision: None,
    };
    let id = save_person(k, &p).await;
    k.grant_consent(
        id,
        &ConsentInput {
            channel: "email_bulletin".into(),
            date: String::new(),
            source: "formularz".into(),
        },
    )
    .await
    .unwrap();
    let cats = k.advice_categories().await.unwrap();
    let advice = AdviceInput {
        given_on: chrono::Local::now().format("%d.%m.%Y").to_string(),
        advisor: "Anna Kowalska".into(),
        person_id: Some(id),
        channel: "in_person".into(),
        categories: vec![cats[0].code.clone()],
        description: "Sprawa eksmisji, Zofia Żółkiewska, ul. Długa 5".into(),
        outcome: "advice".into(),
        ..Default::default()
    };
    k.save_advice(None, &advice).await.unwrap();
    (id, org_id)
}

#[tokio::test]
async fn every_change_is_logged_field_by_field_with_the_user_name() {
    let db = fresh().await;
    let k = &db.k;
    k.set_user_name("Anna K.");
    let (id, org_id) = person_with_everything(k).await;
    let mut input: PersonInput = (&k.person(id).await.unwrap()).into();
    input.last_name = "Żółkiewska-Nowak".into();
    input.phones = String::new();
    assert!(matches!(
        k.save_person(Some(id), &input, true).await.unwrap(),
        SaveOutcome::Saved { .. }
    ));
    let consent = k.person(id).await.unwrap().consents[0].id;
    k.withdraw_consent(consent, "", "telefonicznie")
        .await
        .unwrap();
    k.archive_person(id, true).await.unwrap();
    let changes = k.changes(RecordKind::Person, id).await.unwrap();
    let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "archived",
            "consent:email_bulletin",
            "phones",
            "last_name",
            "consent:email_bulletin",
            "created"
        ]
    );
    let surname = changes.iter().find(|c| c.field == "last_name").unwrap();
    assert_eq!(
        (surname.old_value.as_deref(), surname.new_value.as_deref()),
        (Some("Żółkiewska"), Some("Żółkiewska-Nowak"))
    );
    assert!(changes.iter().all(|c| c.user_name == "Anna K."));

    let mut o: kartoteka_core::register::OrganizationInput =
        (&k.organization(org_id).await.unwrap()).into();
    o.city = "Łowicz".into();
    k.save_organization(Some(org_id), &o, true).await.unwrap();
    let org_changes = k.changes(RecordKind::Organization, org_id).await.unwrap();
    assert_eq!(org_changes[0].field, "city");
    assert_eq!(org_changes[0].new_value.as_deref(), Some("Łowicz"));
}

#[tokio::test]
async fn everything_we_hold_as_json_and_pdf() {
    let db = fresh().await;
    let (id, _) = person_with_everything(&db.k).await;
    let out = db.dir.path().join("rodo");
    let export = db.k.export_person_data(id, &out).await.unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&export.json).unwrap()).unwrap();
    assert_eq!(json["person"]["last_name"], "Żółkiewska");
    assert_eq!(json["person"]["emails"][0], "zofia@przyklad.pl");
    assert_eq!(json["person"]["consents"].as_array().unwrap().len(), 1);
    assert_eq!(
        json["person"]["consents"][0]["channel_label"],
        "biuletyn i informacje e-mailem"
    );
    assert_eq!(json["activity"]["advice"][0]["advisor"], "Anna Kowalska");
    assert!(json["history"].as_array().unwrap().len() >= 2);
    let text = Command::new("pdftotext")
        .arg(&export.pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in [
        "Informacja o przetwarzanych danych osobowych",
        "Zofia Żółkiewska",
        "zofia@przyklad.pl",
        "Fundacja Łąka — prezes",
        "Sprawa eksmisji",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the PDF:\n{text}"
        );
    }
}

#[tokio::test]
async fn erasure_removes_the_person_everywhere_and_logs_only_the_fact() {
    let db = fresh().await;
    let k = &db.k;
    let (id, _) = person_with_everything(k).await;
    let advice_before = k
        .annual_figures(chrono::Datelike::year(&chrono::Local::now()))
        .await
        .unwrap()
        .advice_total;
    k.erase_person(id).await.unwrap();
    assert!(k.person(id).await.is_err());
    assert!(k.search("Żółkiewska", 10).await.unwrap().is_empty());
    assert!(k.search("zofia@przyklad", 10).await.unwrap().is_empty());
    // The advice stays in the statistics, without the client and the description.
    assert_eq!(
        k.annual_figures(chrono::Datelike::year(&chrono::Local::now()))
            .await
            .unwrap()
            .advice_total,
        advice_before
    );
    let changes = k.changes(RecordKind::Person, id).await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].field, "erased");
    k.close().await;
    // Nothing of the person is left anywhere in the database (a backup made now holds none of
    // it; on a server the backup is a file of every table, so this reads the server's data too).
    let copy = db.dir.path().join("po-usunieciu.db");
    let k = db.open().await;
    k.backup_to(&copy).await.unwrap();
    let bytes = std::fs::read(&copy).unwrap();
    for needle in [
        "Żółkiewska",
        "zofia@przyklad.pl",
        "Sprawa eksmisji",
        "Prosi o kontakt",
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} still in the backup"
        );
    }
}

#[tokio::test]
async fn anonymisation_keeps_the_statistics_and_removes_who_it_was() {
    let db = fresh().await;
    let k = &db.k;
    let (id, _) = person_with_everything(k).await;
    k.anonymize_person(id).await.unwrap();
    let p = k.person(id).await.unwrap();
    assert_eq!(p.first_name, "Osoba");
    assert!(
        p.emails.is_empty() && p.phones.is_empty() && p.notes.is_none() && p.consents.is_empty()
    );
    assert_eq!(
        p.roles.len(),
        1,
        "the role still counts for the organisation"
    );
    assert!(p.archived_at.is_some());
    assert!(k.search("Żółkiewska", 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn retention_previews_exactly_what_it_changes() {
    let db = fresh().await;
    let k = &db.k;
    let (id, org_id) = person_with_everything(k).await;
    let today = chrono::Local::now().format("%d.%m.%Y").to_string();
    let consultation = ConsultationInput {
        given_on: today.clone(),
        advisor: "Ewa Nowak".into(),
        organization_id: Some(org_id),
        person_id: Some(id),
        topic: "WNI".into(),
        notes: "Zofia prosiła o wzór wniosku".into(),
        ..Default::default()
    };
    let consultation = k.save_consultation(None, &consultation).await.unwrap();
    let event = EventInput {
        title: "Szkolenie RODO".into(),
        kind: "training".into(),
        date: today,
        starts: "00:00".into(),
        ends: "00:30".into(),
        ..Default::default()
    };
    let event = k.save_event(None, &event).await.unwrap();
    k.register_for_event(event, id, None).await.unwrap();
    let registration = k.event(event).await.unwrap().registrations[0].id;
    k.set_attended(registration, true).await.unwrap();
    let year = chrono::Datelike::year(&chrono::Local::now());
    let figures_before = k.annual_figures(year).await.unwrap();
    let (_, allowed) = crate::mail::setup(&db, 5).await;
    let list = k.mailing_lists().await.unwrap()[0].id;
    let sink = crate::mail::Sink::start(&[]);
    let m = k
        .save_message(
            None,
            &kartoteka_core::mail::MessageInput {
                subject: "x".into(),
                body: "y".into(),
                list_id: Some(list),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    k.enqueue_message(m).await.unwrap();
    let pause = std::sync::atomic::AtomicBool::new(false);
    let target = kartoteka_core::mail::send::SmtpTarget::from_url(&sink.url()).unwrap();
    k.run_queue(kartoteka_core::mail::send::RunOptions {
        target,
        settings: k.mail_settings().await.unwrap(),
        only: None,
        pause: &pause,
        on_progress: &|_| {},
    })
    .await
    .unwrap();
    k.archive_person(id, true).await.unwrap();

    let bad = k
        .save_retention_settings(&RetentionSettings {
            advice_years: Some(0),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.field_errors()[0].field, "advice_years");
    let rules = RetentionSettings {
        advice_years: Some(2),
        archived_people_years: Some(2),
        mail_years: Some(2),
        consultation_years: Some(2),
        event_list_years: Some(2),
        loan_years: Some(2),
    };
    k.save_retention_settings(&rules).await.unwrap();
    assert_eq!(k.retention_settings().await.unwrap(), rules);
    let p = k.retention_preview().await.unwrap();
    assert_eq!(
        (
            p.advice_count,
            p.people_count,
            p.mail_count,
            p.consultation_count,
            p.event_count
        ),
        (0, 0, 0, 0, 0),
        "nothing is two years old today"
    );

    // Three years from now everything is past its time: the preview says exactly what applying does.
    let later = chrono::Local::now().date_naive() + chrono::Duration::days(3 * 366);
    let p = k.retention_preview_as_of(later).await.unwrap();
    assert_eq!(
        (p.advice_count, p.people_count, p.mail_count),
        (1, 1, allowed.len() as i64)
    );
    assert_eq!(
        (p.consultation_count, p.event_count, p.event_people),
        (1, 1, 1)
    );
    assert!(p.people_sample[0].1.contains("Żółkiewska"));
    assert_eq!(p.event_sample[0].1, "Szkolenie RODO");
    let done = k.apply_retention_as_of(later).await.unwrap();
    assert_eq!(
        done,
        RetentionApplied {
            advice: 1,
            people: 1,
            mail: allowed.len() as u64,
            consultations: 1,
            event_lists: 1,
            registrations: 1,
            loans: 0
        }
    );
    let c = k.consultation(consultation).await.unwrap();
    assert_eq!(
        (c.person_id, c.notes.as_deref(), c.organization_id),
        (None, None, Some(org_id)),
        "the organisation and topic stay for the statistics"
    );
    let e = k.event(event).await.unwrap();
    assert!(e.registrations.is_empty());
    assert_eq!(
        (
            e.removed_registered,
            e.removed_attended,
            e.list_removed_on.is_some()
        ),
        (1, 1, true)
    );
    let late = k.register_for_event(event, id, None).await.unwrap_err();
    assert_eq!(
        late.field_errors()[0].field,
        "person_id",
        "a removed list takes no new names"
    );
    let figures_after = k.annual_figures(year).await.unwrap();
    assert_eq!(
        figures_after.events_participants, figures_before.events_participants,
        "the report counts the same people"
    );
    assert_eq!(
        figures_after.consultations_total,
        figures_before.consultations_total
    );
    let row = k
        .events(&kartoteka_core::events::EventQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .items;
    assert_eq!(
        row[0].registered, 1,
        "the events list still shows how many came"
    );
    let person = k.person(id).await.unwrap();
    assert_eq!(person.first_name, "Osoba");
    let rows = k.queue_rows(m, None, 0, 100).await.unwrap().items;
    assert!(rows.iter().all(|r| r.address.starts_with("usunieto-")
        && r.recipient_name.is_empty()
        && r.status == "sent"));
    let again = k.retention_preview_as_of(later).await.unwrap();
    assert_eq!(
        (
            again.advice_count,
            again.people_count,
            again.mail_count,
            again.consultation_count,
            again.event_count
        ),
        (0, 0, 0, 0, 0),
        "applied once, nothing left"
    );
}

// ----- erasure and anonymisation that really erase (issue 11) ---------------------------

fn import_options(
    on_duplicate: kartoteka_core::import::DuplicatePolicy,
) -> kartoteka_core::import::ImportOptions {
    kartoteka_core::import::ImportOptions {
        kind: kartoteka_core::import::ImportKind::People,
        on_duplicate,
        ..Default::default()
    }
}

/// Imports Wierzchosława Grzmotowska, then an update of her (a second phone): the update
/// batch keeps her first form as a snapshot for undo. Returns (person id, update batch id).
async fn imported_and_updated(db: &crate::util::TestDb) -> (i64, i64) {
    use kartoteka_core::import::DuplicatePolicy;
    let cancel = || std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let first = db.dir.path().join("osoby.csv");
    std::fs::write(&first, "Imię i nazwisko,E-mail,Telefon\nWierzchosława Grzmotowska,wgrzmot@przyklad.pl,601 234 567\n").unwrap();
    let r =
        db.k.import(
            &first,
            &import_options(DuplicatePolicy::Skip),
            false,
            None,
            cancel(),
        )
        .await
        .unwrap();
    assert_eq!(r.imported, 1, "{r:?}");
    let second = db.dir.path().join("osoby-aktualizacja.csv");
    std::fs::write(&second, "Imię i nazwisko,E-mail,Telefon\nWierzchosława Grzmotowska,wgrzmot@przyklad.pl,602 345 678\n").unwrap();
    let r =
        db.k.import(
            &second,
            &import_options(DuplicatePolicy::Update),
            false,
            None,
            cancel(),
        )
        .await
        .unwrap();
    assert_eq!(r.updated, 1, "{r:?}");
    let id = db.k.search("grzmotowska", 5).await.unwrap()[0].id;
    assert_eq!(db.k.person(id).await.unwrap().phones.len(), 2);
    (id, r.batch_id.unwrap())
}

/// The import snapshots of one person, read straight from the database's table.
async fn snapshot_rows(db: &crate::util::TestDb, id: i64) -> i64 {
    const COUNT: &str =
        "SELECT COUNT(*) FROM import_prior_values WHERE record_kind = 'person' AND record_id = ";
    if db.on_server() {
        let pool = sqlx::PgPool::connect(&db.location()).await.unwrap();
        let n = sqlx::query_scalar(&format!("{COUNT}$1"))
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        return n;
    }
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.path().display()))
        .await
        .unwrap();
    let n = sqlx::query_scalar(&format!("{COUNT}?"))
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

#[tokio::test]
async fn undoing_an_import_update_does_not_bring_an_anonymised_person_back() {
    let db = fresh().await;
    let (id, update_batch) = imported_and_updated(&db).await;
    assert_eq!(snapshot_rows(&db, id).await, 1);
    db.k.anonymize_person(id).await.unwrap();
    assert_eq!(
        snapshot_rows(&db, id).await,
        0,
        "anonymisation removes the import snapshots"
    );
    db.k.undo_import(update_batch).await.unwrap();
    let p = db.k.person(id).await.unwrap();
    assert_eq!(
        (p.first_name.as_str(), p.last_name.as_str()),
        ("Osoba", format!("zanonimizowana nr {id}").as_str())
    );
    assert!(p.emails.is_empty() && p.phones.is_empty(), "{p:?}");
    assert!(db.k.search("grzmotowska", 5).await.unwrap().is_empty());
    assert!(db.k.search("wgrzmot", 5).await.unwrap().is_empty());
}

#[tokio::test]
async fn undoing_an_import_update_does_not_bring_an_erased_person_back() {
    let db = fresh().await;
    let (id, update_batch) = imported_and_updated(&db).await;
    db.k.erase_person(id).await.unwrap();
    assert_eq!(
        snapshot_rows(&db, id).await,
        0,
        "erasure removes the import snapshots"
    );
    // SQLite gives the next person the erased one's id (it was the highest): the undo must not
    // write the erased person's snapshot over them. A server's counter never goes back by
    // itself, but an id comes round again there too (a restore, a transfer from a file): the
    // counter is put back by hand so the same danger is tested.
    if db.on_server() {
        let pool = sqlx::PgPool::connect(&db.location()).await.unwrap();
        sqlx::query(&format!(
            "ALTER TABLE people ALTER COLUMN id RESTART WITH {id}"
        ))
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let newcomer = save_person(
        &db.k,
        &PersonInput {
            first_name: "Jan".into(),
            last_name: "Nowy".into(),
            emails: "jan.nowy@przyklad.pl".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        newcomer, id,
        "the id is reused, which is what makes a stale snapshot dangerous"
    );
    db.k.undo_import(update_batch).await.unwrap();
    let p = db.k.person(newcomer).await.unwrap();
    assert_eq!(
        (
            p.first_name.as_str(),
            p.last_name.as_str(),
            p.emails.clone()
        ),
        ("Jan", "Nowy", vec!["jan.nowy@przyklad.pl".to_string()])
    );
    assert!(p.phones.is_empty(), "{p:?}");
    assert!(db.k.search("grzmotowska", 5).await.unwrap().is_empty());
    assert!(db.k.search("wgrzmot", 5).await.unwrap().is_empty());
}

/// Whether `needle` occurs in `bytes`, ignoring ASCII case (FTS5 keeps folded lower case).
fn holds(bytes: &[u8], needle: &str) -> bool {
    let hay = bytes.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn live_files(db: &crate::util::TestDb) -> Vec<(String, Vec<u8>)> {
    let path = db.path();
    let wal = std::path::PathBuf::from(format!("{}-wal", path.display()));
    vec![
        ("db".into(), std::fs::read(&path).unwrap()),
        ("wal".into(), std::fs::read(&wal).unwrap_or_default()),
    ]
}

#[tokio::test]
async fn sqlite_only_erasure_leaves_no_byte_of_the_person_in_the_live_file_or_its_wal() {
    use kartoteka_core::mail::*;
    let db = fresh_file().await;
    let k = &db.k;
    let org_id = save_org(k, &org("Fundacja Łąka", "Łódź")).await;
    let (id, _) = imported_and_updated(&db).await;
    // A role for the mailing list, notes and a second change for the change log's values.
    let mut input: PersonInput = (&k.person(id).await.unwrap()).into();
    input.notes = "Notatka-tajna-Xq7".into();
    input.roles = vec![RoleInput {
        organization_id: org_id,
        role: "osoba kontaktowa".into(),
    }];
    k.save_person(Some(id), &input, true).await.unwrap();
    input.notes = "Notatka-tajna-Xq7 i druga".into();
    k.save_person(Some(id), &input, true).await.unwrap();
    k.grant_consent(
        id,
        &ConsentInput {
            channel: "email_bulletin".into(),
            date: String::new(),
            source: "formularz".into(),
        },
    )
    .await
    .unwrap();
    let cats = k.advice_categories().await.unwrap();
    let today = chrono::Local::now().format("%d.%m.%Y").to_string();
    let advice = AdviceInput {
        given_on: today.clone(),
        advisor: "Anna Kowalska".into(),
        person_id: Some(id),
        channel: "in_person".into(),
        categories: vec![cats[0].code.clone()],
        description: "Opis-sprawy-Kq9 eksmisja".into(),
        outcome: "advice".into(),
        ..Default::default()
    };
    k.save_advice(None, &advice).await.unwrap();
    let consultation = ConsultationInput {
        given_on: today,
        advisor: "Ewa Nowak".into(),
        organization_id: Some(org_id),
        person_id: Some(id),
        topic: "WNI".into(),
        notes: "Konsultacja-notatka-Zr4".into(),
        ..Default::default()
    };
    k.save_consultation(None, &consultation).await.unwrap();
    // A bulletin the server refuses with a 550 that echoes the address: reply and bounce hold it.
    let settings = MailSettings {
        host: "127.0.0.1".into(),
        port: 25,
        security: Security::None,
        from_address: "biuro@centrum.example.pl".into(),
        from_name: "Centrum".into(),
        rate_per_minute: 0,
        ..Default::default()
    };
    k.save_mail_settings(&settings).await.unwrap();
    let segment = Segment {
        audience: Audience::People,
        role: "osoba kontaktowa".into(),
        ..Default::default()
    };
    let list = k
        .save_mailing_list(
            None,
            &ListInput {
                name: "Kontakty".into(),
                segment: Some(segment),
            },
        )
        .await
        .unwrap();
    let sink = crate::mail::Sink::start(&["--refuse", "wgrzmot@przyklad.pl"]);
    let m = k
        .save_message(
            None,
            &MessageInput {
                subject: "Biuletyn".into(),
                body: "Treść".into(),
                list_id: Some(list),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    k.enqueue_message(m).await.unwrap();
    let pause = std::sync::atomic::AtomicBool::new(false);
    let target = send::SmtpTarget::from_url(&sink.url()).unwrap();
    k.run_queue(send::RunOptions {
        target,
        settings: k.mail_settings().await.unwrap(),
        only: None,
        pause: &pause,
        on_progress: &|_| {},
    })
    .await
    .unwrap();
    let row = k.queue_rows(m, None, 0, 10).await.unwrap().items.remove(0);
    assert_eq!(row.status, "failed");
    assert!(
        row.reply
            .as_deref()
            .unwrap_or("")
            .contains("wgrzmot@przyklad.pl"),
        "the reply echoes the address: {row:?}"
    );
    assert_eq!(k.bounces(0, 10).await.unwrap().total, 1);
    // Planner statistics (STAT4 samples of index keys, e-mails among them) and a search entry.
    k.analyze().await.unwrap();
    assert_eq!(k.search("wierzchoslawa", 5).await.unwrap().len(), 1);

    let stored_phones = k.person(id).await.unwrap().phones;
    let needles: Vec<String> = [
        "Wierzchosław",
        "wierzchoslaw",
        "Grzmotowsk",
        "wgrzmot@przyklad",
        "601234567",
        "602345678",
        "Notatka-tajna-Xq7",
        "Opis-sprawy-Kq9",
        "Konsultacja-notatka-Zr4",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(stored_phones)
    .collect();
    let before = live_files(&db);
    for needle in ["Grzmotowsk", "wgrzmot@przyklad", "Notatka-tajna-Xq7"] {
        assert!(
            before.iter().any(|(_, b)| holds(b, needle)),
            "{needle} is in the files before the erasure (else the test proves nothing)"
        );
    }

    k.erase_person(id).await.unwrap();
    assert_eq!(
        k.bounces(0, 10).await.unwrap().total,
        0,
        "the bounce of the person's address goes"
    );
    let row = k.queue_rows(m, None, 0, 10).await.unwrap().items.remove(0);
    assert_eq!(
        row.status, "failed",
        "the campaign still counts the failure"
    );
    // The files are read while the program still has the database open (closing would
    // checkpoint the WAL by itself and hide what it held).
    for (file, bytes) in live_files(&db) {
        for needle in &needles {
            assert!(
                !holds(&bytes, needle),
                "{needle} still in the {file} file after the erasure"
            );
        }
    }
}

#[tokio::test]
async fn sqlite_only_anonymisation_leaves_no_byte_of_who_it_was_in_the_live_file_or_its_wal() {
    let db = fresh_file().await;
    let (id, _) = imported_and_updated(&db).await;
    let mut input: PersonInput = (&db.k.person(id).await.unwrap()).into();
    input.notes = "Notatka-tajna-Xq7".into();
    db.k.save_person(Some(id), &input, true).await.unwrap();
    db.k.analyze().await.unwrap();
    db.k.anonymize_person(id).await.unwrap();
    assert_eq!(db.k.person(id).await.unwrap().first_name, "Osoba");
    for (file, bytes) in live_files(&db) {
        for needle in [
            "Wierzchosław",
            "wierzchoslaw",
            "Grzmotowsk",
            "wgrzmot@przyklad",
            "601234567",
            "602345678",
            "Notatka-tajna-Xq7",
        ] {
            assert!(
                !holds(&bytes, needle),
                "{needle} still in the {file} file after the anonymisation"
            );
        }
    }
}

#[tokio::test]
async fn the_erasure_confirmation_names_the_backups_that_still_hold_the_person() {
    let db = fresh().await;
    let k = &db.k;
    let (id, _) = person_with_everything(k).await;
    let created_at = k.person(id).await.unwrap().created_at;
    let nobody = k.erasure_preview(id).await.unwrap();
    assert!(
        nobody.backups.is_empty() && nobody.all_removed_by.is_none(),
        "no backup yet: {nobody:?}"
    );

    let auto = k.automatic_backup().await.unwrap();
    // A copy kept aside before a restore, made the same way.
    let now = chrono::Local::now().naive_local();
    let kopie = k.backup_folder();
    let aside = kopie.join(format!(
        "przed-przywroceniem-{}.db",
        (now - chrono::Duration::days(10)).format("%Y-%m-%d-%H%M%S")
    ));
    std::fs::copy(&auto.path, &aside).unwrap();
    let preview = k.erasure_preview(id).await.unwrap();
    let names: Vec<(&str, &str)> = preview
        .backups
        .iter()
        .map(|b| (b.file_name.as_str(), b.kind.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            (auto.file_name.as_str(), "automatic"),
            (
                aside.file_name().unwrap().to_str().unwrap(),
                "before_restore"
            )
        ]
    );
    let today = now.date();
    let auto_removed = preview.backups[0].removed_by;
    assert!(
        auto_removed > today && auto_removed <= today + chrono::Duration::days(366),
        "{auto_removed}"
    );
    assert_eq!(
        preview.backups[1].removed_by,
        (now - chrono::Duration::days(10)).date()
            + chrono::Duration::days(kartoteka_core::backup::SAFETY_KEEP_DAYS)
    );
    assert_eq!(
        preview.all_removed_by,
        preview.backups.iter().map(|b| b.removed_by).max()
    );

    // Erasing answers with the same list; a backup made afterwards does not hold the person.
    let report = k.erase_person(id).await.unwrap();
    assert_eq!(report.backups, preview.backups);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let later = k.automatic_backup().await.unwrap();
    let after = k
        .erasure_preview_as_of(id, &created_at, chrono::Local::now().naive_local())
        .await
        .unwrap();
    assert!(std::path::Path::new(&later.path).exists());
    // The earlier automatic copy of the same day went at once (the newest of a day stays), so
    // only the copy from before the restore still holds the person.
    assert!(!std::path::Path::new(&auto.path).exists());
    let left: Vec<&str> = after.backups.iter().map(|b| b.kind.as_str()).collect();
    assert_eq!(left, vec!["before_restore"], "{after:?}");
}

#[tokio::test]
async fn copies_from_before_a_restore_or_an_update_are_rotated_by_the_automatic_backup() {
    let db = fresh().await;
    let kopie = db.k.backup_folder();
    std::fs::create_dir_all(&kopie).unwrap();
    let now = chrono::Local::now().naive_local();
    let name = |prefix: &str, days: i64| {
        kopie.join(format!(
            "{prefix}{}.db",
            (now - chrono::Duration::days(days)).format("%Y-%m-%d-%H%M%S")
        ))
    };
    let old_restore = name("przed-przywroceniem-", 120);
    let old_update = name("przed-aktualizacja-", 100);
    let recent = name("przed-przywroceniem-", 5);
    // A copy kept aside from a file that could not be opened has its WAL beside it.
    let old_wal = std::path::PathBuf::from(format!("{}-wal", old_restore.display()));
    for p in [&old_restore, &old_update, &recent, &old_wal] {
        std::fs::write(p, b"kopia").unwrap();
    }
    db.k.automatic_backup().await.unwrap();
    assert!(
        !old_restore.exists() && !old_update.exists(),
        "older than {} days: removed",
        kartoteka_core::backup::SAFETY_KEEP_DAYS
    );
    assert!(!old_wal.exists(), "its WAL goes with it");
    assert!(recent.exists(), "a recent copy stays to undo a bad restore");
}
