//! Daily work against a real SQLite file: the "Dziś" summary (follow-ups due, today's and the
//! week's events, the backup, campaigns in progress), the calendar's date range, and a person's
//! advice, events and consultations.

use crate::util::{fresh, org, save_org, save_person};
use chrono::{Days, Local, NaiveDate};
use kartoteka_core::advice::AdviceInput;
use kartoteka_core::consultations::ConsultationInput;
use kartoteka_core::events::EventInput;
use kartoteka_core::mail::{MessageInput, MessageKind};
use kartoteka_core::register::PersonInput;
use kartoteka_core::Kartoteka;

fn pl(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

async fn event(k: &Kartoteka, title: &str, on: NaiveDate, starts: &str, capacity: &str) -> i64 {
    let input = EventInput {
        title: title.into(),
        kind: "training".into(),
        date: pl(on),
        starts: starts.into(),
        ends: String::new(),
        place: "sala 2".into(),
        capacity: capacity.into(),
        ..Default::default()
    };
    k.save_event(None, &input).await.unwrap()
}

fn advice_on(given: NaiveDate, follow_up: Option<NaiveDate>, person: Option<i64>) -> AdviceInput {
    AdviceInput {
        given_on: pl(given),
        advisor: "Anna Kowalska".into(),
        person_id: person,
        channel: "in_person".into(),
        outcome: "advice".into(),
        categories: vec!["ZAD".into()],
        follow_up_on: follow_up.map(pl).unwrap_or_default(),
        ..Default::default()
    }
}

#[tokio::test]
async fn today_lists_follow_ups_due_events_backup_and_campaigns() {
    let db = fresh().await;
    let k = &db.k;
    let day = today();
    let (list, _) = crate::mail::setup(&db, 6).await;
    let person = save_person(
        k,
        &PersonInput {
            first_name: "Jan".into(),
            last_name: "Żak".into(),
            ..Default::default()
        },
    )
    .await;

    // Follow-ups: overdue and due today count; tomorrow's and a done one do not.
    let overdue = k
        .save_advice(
            None,
            &advice_on(day - Days::new(10), Some(day - Days::new(3)), Some(person)),
        )
        .await
        .unwrap();
    let due = k
        .save_advice(None, &advice_on(day, Some(day), None))
        .await
        .unwrap();
    k.save_advice(None, &advice_on(day, Some(day + Days::new(1)), None))
        .await
        .unwrap();
    let mut done = advice_on(day - Days::new(5), Some(day - Days::new(1)), None);
    done.follow_up_done = true;
    k.save_advice(None, &done).await.unwrap();

    // Events: today's (with registrations), within the coming week, and beyond it.
    let now_event = event(k, "Księgowość dla NGO", day, "10:00", "20").await;
    k.register_for_event(now_event, person, None).await.unwrap();
    let week_event = event(k, "Wolontariat w praktyce", day + Days::new(3), "09:00", "").await;
    event(k, "Za dwa tygodnie", day + Days::new(14), "09:00", "").await;
    event(k, "Wczorajsze", day - Days::new(1), "09:00", "").await;

    // A campaign queued and not sent.
    let input = MessageInput {
        kind: MessageKind::Bulletin,
        is_template: false,
        subject: "Biuletyn grudniowy".into(),
        body: "Treść".into(),
        list_id: Some(list),
    };
    let message = k.save_message(None, &input).await.unwrap();
    let queued = k.enqueue_message(message).await.unwrap().queued as i64;
    assert!(queued > 0);

    let s = k.today_summary().await.unwrap();
    assert_eq!(s.today, day);
    let follow = s.follow_ups.expect("advice may be seen on SQLite");
    assert_eq!(follow.total, 2);
    assert_eq!(
        follow.items.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![overdue, due],
        "oldest first"
    );
    assert_eq!(follow.items[0].client, "Żak Jan");

    assert_eq!(
        s.events_today
            .iter()
            .map(|e| (e.id, e.registered, e.capacity))
            .collect::<Vec<_>>(),
        vec![(now_event, 1, Some(20))]
    );
    assert_eq!(s.events_today[0].place.as_deref(), Some("sala 2"));
    assert_eq!(
        (s.events_week.total, s.events_week.items[0].id),
        (1, week_event)
    );

    // No backup made yet: the screen warns.
    assert!(s.backup.last_good.is_none() && s.backup.old);
    k.backup_to(&db.dir.path().join("kopia.db")).await.unwrap();
    let after = k.today_summary().await.unwrap();
    assert!(
        after.backup.last_good.is_some() && !after.backup.old,
        "{:?}",
        after.backup
    );

    assert_eq!(s.campaigns.total, 1);
    let c = &s.campaigns.items[0];
    assert_eq!(
        (c.id, c.subject.as_str(), c.queued, c.sent, c.uncertain),
        (message, "Biuletyn grudniowy", queued, 0, 0)
    );
}

#[tokio::test]
async fn the_calendar_returns_the_events_of_its_range_only() {
    let db = fresh().await;
    let k = &db.k;
    let first = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let a = event(k, "Pierwszy dzień", first, "08:00", "").await;
    let b = event(
        k,
        "Ostatni dzień wieczorem",
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        "23:30",
        "10",
    )
    .await;
    event(
        k,
        "Dzień przed",
        NaiveDate::from_ymd_opt(2026, 2, 28).unwrap(),
        "23:59",
        "",
    )
    .await;
    event(
        k,
        "Dzień po",
        NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        "00:00",
        "",
    )
    .await;

    let march = k.calendar("2026-03-01", "2026-03-31").await.unwrap();
    assert_eq!(
        march.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![a, b],
        "both ends of the range included, nothing outside"
    );
    assert_eq!(march[1].title, "Ostatni dzień wieczorem");
    // The dates may come as typed, short forms included.
    assert_eq!(k.calendar("1.3.26", "31.03.2026").await.unwrap().len(), 2);
    // A reversed or too long range is refused at its field.
    assert_eq!(
        k.calendar("2026-03-31", "2026-03-01")
            .await
            .unwrap_err()
            .field_errors()[0]
            .field,
        "to"
    );
    assert_eq!(
        k.calendar("2026-01-01", "2026-12-31")
            .await
            .unwrap_err()
            .field_errors()[0]
            .field,
        "to"
    );
    assert_eq!(
        k.calendar("jutro", "2026-03-01")
            .await
            .unwrap_err()
            .field_errors()[0]
            .field,
        "from"
    );
}

#[tokio::test]
async fn a_persons_page_lists_their_advice_events_and_consultations() {
    let db = fresh().await;
    let k = &db.k;
    let org_id = save_org(k, &org("Fundacja Ośmiu Wspaniałych", "Łódź")).await;
    let person = save_person(
        k,
        &PersonInput {
            first_name: "Ewa".into(),
            last_name: "Nowak".into(),
            ..Default::default()
        },
    )
    .await;
    let other = save_person(
        k,
        &PersonInput {
            first_name: "Adam".into(),
            last_name: "Inny".into(),
            ..Default::default()
        },
    )
    .await;
    let day = today();
    let mut advice = Vec::new();
    for back in [30, 20, 10] {
        advice.push(
            k.save_advice(None, &advice_on(day - Days::new(back), None, Some(person)))
                .await
                .unwrap(),
        );
    }
    k.save_advice(None, &advice_on(day, None, Some(other)))
        .await
        .unwrap();
    let ev = event(k, "Warsztaty", day + Days::new(2), "10:00", "1").await;
    k.register_for_event(ev, other, None).await.unwrap();
    assert_eq!(
        k.register_for_event(ev, person, None).await.unwrap(),
        "waiting"
    );
    let consult = ConsultationInput {
        given_on: pl(day),
        advisor: "Piotr".into(),
        organization_id: Some(org_id),
        person_id: Some(person),
        topic: "ZAR".into(),
        ..Default::default()
    };
    let consultation = k.save_consultation(None, &consult).await.unwrap();

    let o = k.person_overview(person, 2).await.unwrap();
    let adv = o.advice.expect("advice may be seen on SQLite");
    assert_eq!(adv.total, 3);
    assert_eq!(
        adv.items.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![advice[2], advice[1]],
        "the newest, limited"
    );
    assert_eq!(o.events.total, 1);
    assert_eq!(
        (
            o.events.items[0].event_id,
            o.events.items[0].status.as_str()
        ),
        (ev, "waiting")
    );
    assert_eq!(
        o.consultations
            .items
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        vec![consultation]
    );
    assert_eq!(
        o.consultations.items[0].organization_name.as_deref(),
        Some("Fundacja Ośmiu Wspaniałych")
    );
    assert!(
        k.person_overview(999_999, 5).await.is_err(),
        "an unknown person is an error, not empty lists"
    );
}
