//! Change history and the RODO tools against a real database file: every field change logged
//! with the user name; "everything we hold" as JSON and PDF; erasure removes the person
//! everywhere and logs only the fact; anonymisation keeps the statistics; retention previews
//! exactly what it then changes.

use crate::util::{fresh, org, save_org, save_person};
use kartoteka_core::advice::AdviceInput;
use kartoteka_core::model::{ConsentInput, PersonInput, RecordKind, RoleInput, SaveOutcome};
use kartoteka_core::consultations::ConsultationInput;
use kartoteka_core::events::EventInput;
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
        roles: vec![RoleInput { organization_id: org_id, role: "prezes".into() }],
    };
    let id = save_person(k, &p).await;
    k.grant_consent(id, &ConsentInput { channel: "email_bulletin".into(), date: String::new(), source: "formularz".into() }).await.unwrap();
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
    assert!(matches!(k.save_person(Some(id), &input, true).await.unwrap(), SaveOutcome::Saved { .. }));
    let consent = k.person(id).await.unwrap().consents[0].id;
    k.withdraw_consent(consent, "", "telefonicznie").await.unwrap();
    k.archive_person(id, true).await.unwrap();
    let changes = k.changes(RecordKind::Person, id).await.unwrap();
    let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, vec!["archived", "consent:email_bulletin", "phones", "last_name", "consent:email_bulletin", "created"]);
    let surname = changes.iter().find(|c| c.field == "last_name").unwrap();
    assert_eq!((surname.old_value.as_deref(), surname.new_value.as_deref()), (Some("Żółkiewska"), Some("Żółkiewska-Nowak")));
    assert!(changes.iter().all(|c| c.user_name == "Anna K."));

    let mut o: kartoteka_core::model::OrganizationInput = (&k.organization(org_id).await.unwrap()).into();
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
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&export.json).unwrap()).unwrap();
    assert_eq!(json["person"]["last_name"], "Żółkiewska");
    assert_eq!(json["person"]["emails"][0], "zofia@przyklad.pl");
    assert_eq!(json["person"]["consents"].as_array().unwrap().len(), 1);
    assert_eq!(json["person"]["consents"][0]["channel_label"], "biuletyn i informacje e-mailem");
    assert_eq!(json["activity"]["advice"][0]["advisor"], "Anna Kowalska");
    assert!(json["history"].as_array().unwrap().len() >= 2);
    let text = Command::new("pdftotext").arg(&export.pdf).arg("-").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in ["Informacja o przetwarzanych danych osobowych", "Zofia Żółkiewska", "zofia@przyklad.pl", "Fundacja Łąka — prezes", "Sprawa eksmisji"] {
        assert!(text.contains(expected), "{expected} missing from the PDF:\n{text}");
    }
}

#[tokio::test]
async fn erasure_removes_the_person_everywhere_and_logs_only_the_fact() {
    let db = fresh().await;
    let k = &db.k;
    let (id, _) = person_with_everything(k).await;
    let advice_before = k.annual_figures(chrono::Datelike::year(&chrono::Local::now())).await.unwrap().advice_total;
    k.erase_person(id).await.unwrap();
    assert!(k.person(id).await.is_err());
    assert!(k.search("Żółkiewska", 10).await.unwrap().is_empty());
    assert!(k.search("zofia@przyklad", 10).await.unwrap().is_empty());
    // The advice stays in the statistics, without the client and the description.
    assert_eq!(k.annual_figures(chrono::Datelike::year(&chrono::Local::now())).await.unwrap().advice_total, advice_before);
    let changes = k.changes(RecordKind::Person, id).await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].field, "erased");
    k.store().close().await;
    // Nothing of the person is left anywhere in the file (a backup made now holds none of it).
    let copy = db.dir.path().join("po-usunieciu.db");
    let k = kartoteka_core::Kartoteka::open(&db.path()).await.unwrap();
    k.backup_to(&copy).await.unwrap();
    let bytes = std::fs::read(&copy).unwrap();
    for needle in ["Żółkiewska", "zofia@przyklad.pl", "Sprawa eksmisji", "Prosi o kontakt"] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} still in the backup");
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
    assert!(p.emails.is_empty() && p.phones.is_empty() && p.notes.is_none() && p.consents.is_empty());
    assert_eq!(p.roles.len(), 1, "the role still counts for the organisation");
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
    let event = EventInput { title: "Szkolenie RODO".into(), kind: "training".into(), date: today, starts: "00:00".into(), ends: "00:30".into(), ..Default::default() };
    let event = k.save_event(None, &event).await.unwrap();
    k.register_for_event(event, id, None).await.unwrap();
    let registration = k.event(event).await.unwrap().registrations[0].id;
    k.set_attended(registration, true).await.unwrap();
    let year = chrono::Datelike::year(&chrono::Local::now());
    let figures_before = k.annual_figures(year).await.unwrap();
    let (_, allowed) = crate::mail::setup(&db, 5).await;
    let list = k.mailing_lists().await.unwrap()[0].id;
    let sink = crate::mail::Sink::start(&[]);
    let m = k.save_message(None, &kartoteka_core::mail::MessageInput { subject: "x".into(), body: "y".into(), list_id: Some(list), ..Default::default() }).await.unwrap();
    k.enqueue_message(m).await.unwrap();
    let pause = std::sync::atomic::AtomicBool::new(false);
    let target = kartoteka_core::mail::send::SmtpTarget::from_url(&sink.url()).unwrap();
    k.run_queue(kartoteka_core::mail::send::RunOptions { target, settings: k.mail_settings().await.unwrap(), only: None, pause: &pause, on_progress: &|_| {} }).await.unwrap();
    k.archive_person(id, true).await.unwrap();

    let bad = k.save_retention_settings(&RetentionSettings { advice_years: Some(0), ..Default::default() }).await.unwrap_err();
    assert_eq!(bad.field_errors()[0].field, "advice_years");
    let rules = RetentionSettings { advice_years: Some(2), archived_people_years: Some(2), mail_years: Some(2), consultation_years: Some(2), event_list_years: Some(2) };
    k.save_retention_settings(&rules).await.unwrap();
    assert_eq!(k.retention_settings().await.unwrap(), rules);
    let p = k.retention_preview().await.unwrap();
    assert_eq!((p.advice_count, p.people_count, p.mail_count, p.consultation_count, p.event_count), (0, 0, 0, 0, 0), "nothing is two years old today");

    // Three years from now everything is past its time: the preview says exactly what applying does.
    let later = chrono::Local::now().date_naive() + chrono::Duration::days(3 * 366);
    let p = k.retention_preview_as_of(later).await.unwrap();
    assert_eq!((p.advice_count, p.people_count, p.mail_count), (1, 1, allowed.len() as i64));
    assert_eq!((p.consultation_count, p.event_count, p.event_people), (1, 1, 1));
    assert!(p.people_sample[0].1.contains("Żółkiewska"));
    assert_eq!(p.event_sample[0].1, "Szkolenie RODO");
    let done = k.apply_retention_as_of(later).await.unwrap();
    assert_eq!(
        done,
        RetentionApplied { advice: 1, people: 1, mail: allowed.len() as u64, consultations: 1, event_lists: 1, registrations: 1 }
    );
    let c = k.consultation(consultation).await.unwrap();
    assert_eq!((c.person_id, c.notes.as_deref(), c.organization_id), (None, None, Some(org_id)), "the organisation and topic stay for the statistics");
    let e = k.event(event).await.unwrap();
    assert!(e.registrations.is_empty());
    assert_eq!((e.removed_registered, e.removed_attended, e.list_removed_on.is_some()), (1, 1, true));
    let late = k.register_for_event(event, id, None).await.unwrap_err();
    assert_eq!(late.field_errors()[0].field, "person_id", "a removed list takes no new names");
    let figures_after = k.annual_figures(year).await.unwrap();
    assert_eq!(figures_after.events_participants, figures_before.events_participants, "the report counts the same people");
    assert_eq!(figures_after.consultations_total, figures_before.consultations_total);
    let row = k.events(&kartoteka_core::events::EventQuery { limit: 10, ..Default::default() }).await.unwrap().items;
    assert_eq!(row[0].registered, 1, "the events list still shows how many came");
    let person = k.person(id).await.unwrap();
    assert_eq!(person.first_name, "Osoba");
    let rows = k.queue_rows(m, None, 0, 100).await.unwrap().items;
    assert!(rows.iter().all(|r| r.address.starts_with("usunieto-") && r.recipient_name.is_empty() && r.status == "sent"));
    let again = k.retention_preview_as_of(later).await.unwrap();
    assert_eq!((again.advice_count, again.people_count, again.mail_count, again.consultation_count, again.event_count), (0, 0, 0, 0, 0), "applied once, nothing left");
}
