//! Daily work through the real window: Dziś opens first with a follow-up due and today's event,
//! the calendar shows an event at its day and opens it, a person's page lists their advice,
//! event and consultation, the advice filters narrow the list, and Ctrl+K finds a client code.

use super::*;
use chrono::{Datelike, Days, Local};
use kartoteka_core::advice::AdviceInput;

struct Seeded {
    person: i64,
    follow_up: i64,
    coded: i64,
    event: i64,
    code: String,
}

/// A register with one person's advice (a follow-up due today), an anonymous client's advice
/// under a code, another advisor's advice, today's event and a consultation.
async fn seed(db: &crate::util::TestDb) -> Seeded {
    let k = &db.k;
    let today = Local::now().date_naive();
    let pl = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let org =
        crate::util::save_org(k, &crate::util::org("Fundacja Ośmiu Wspaniałych", "Łódź")).await;
    let person = crate::util::save_person(
        k,
        &kartoteka_core::register::PersonInput {
            first_name: "Ewa".into(),
            last_name: "Dzisiejsza".into(),
            ..Default::default()
        },
    )
    .await;
    let base = AdviceInput {
        advisor: "Anna Kowalska".into(),
        channel: "in_person".into(),
        outcome: "advice".into(),
        categories: vec!["MIE".into()],
        ..Default::default()
    };
    let follow_up = k
        .save_advice(
            None,
            &AdviceInput {
                given_on: pl(today - Days::new(10)),
                person_id: Some(person),
                follow_up_on: pl(today),
                ..base.clone()
            },
        )
        .await
        .unwrap();
    let code = format!("K-{}-5327", today.year());
    let coded = k
        .save_advice(
            None,
            &AdviceInput {
                given_on: pl(today),
                client_code: code.clone(),
                categories: vec!["ZAD.KOM".into()],
                ..base.clone()
            },
        )
        .await
        .unwrap();
    k.save_advice(
        None,
        &AdviceInput {
            given_on: pl(today - Days::new(40)),
            advisor: "Piotr Nowak".into(),
            categories: vec!["ROD".into()],
            ..base.clone()
        },
    )
    .await
    .unwrap();
    let event = k
        .save_event(
            None,
            &kartoteka_core::events::EventInput {
                title: "Szkolenie z księgowości".into(),
                kind: "training".into(),
                date: pl(today),
                starts: "10:00".into(),
                ends: "12:00".into(),
                place: "sala 2".into(),
                capacity: "12".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    k.register_for_event(event, person, None).await.unwrap();
    k.save_consultation(
        None,
        &kartoteka_core::consultations::ConsultationInput {
            given_on: pl(today),
            advisor: "Anna Kowalska".into(),
            organization_id: Some(org),
            person_id: Some(person),
            topic: "ZAR".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    Seeded {
        person,
        follow_up,
        coded,
        event,
        code,
    }
}

/// A screenshot once the window has painted what the test just waited for.
async fn snap(c: &Client, name: &str) {
    tokio::time::sleep(Duration::from_millis(700)).await;
    screenshot(c, name).await;
}

async fn set_text_size(c: &Client, size: &str) {
    js(
        c,
        &format!(
            "document.querySelector('#text-size [data-size=\"{size}\"]').click(); return true"
        ),
    )
    .await;
    wait_js(
        c,
        &format!("return document.documentElement.dataset.textSize === '{size}'"),
        "the text size",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn today_calendar_person_activity_advice_filters_and_client_code_search() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh().await;
    let s = seed(&db).await;
    db.k.close().await;
    let today = Local::now().date_naive().format("%Y-%m-%d").to_string();

    let (_driver, c) = start(&db.path()).await;
    at_1280x720(&c).await;

    // (1) Dziś opens first: the follow-up due and today's event, each opening its record.
    wait_js(
        &c,
        "return document.querySelector('#sections [aria-current=page]')?.dataset.view === 'today'",
        "Dziś as the first screen",
    )
    .await;
    wait_js(
        &c,
        &format!(
            "return !!document.querySelector('#today-follow-ups [data-advice=\"{}\"]')",
            s.follow_up
        ),
        "the follow-up due",
    )
    .await;
    let follow = js(
        &c,
        "return document.getElementById('today-follow-ups').textContent",
    )
    .await;
    assert!(
        follow.as_str().unwrap().contains("Dzisiejsza Ewa"),
        "{follow}"
    );
    let event = js(
        &c,
        &format!(
            "return document.querySelector('#today-events [data-event=\"{}\"]')?.textContent ?? ''",
            s.event
        ),
    )
    .await;
    let event = event.as_str().unwrap();
    assert!(
        event.contains("Szkolenie z księgowości")
            && event.contains("10:00–12:00")
            && event.contains("sala 2")
            && event.contains("1 z 12"),
        "{event}"
    );
    // The copy made at start may still be running: the card says either, and links to the backups.
    let backup = js(
        &c,
        "return document.getElementById('today-backup').textContent",
    )
    .await;
    assert!(
        backup.as_str().unwrap().contains("Kopie zapasowe"),
        "{backup}"
    );
    click_css(
        &c,
        &format!("#today-follow-ups [data-advice=\"{}\"]", s.follow_up),
    )
    .await;
    wait_js(&c, "return document.querySelector('#advice-record .record-title')?.textContent === 'Ewa Dzisiejsza'", "the advice from Dziś").await;

    // (2) The calendar: the event at its day, its title and places; a click opens it in Wydarzenia.
    click_css(&c, "#sections [data-view=calendar]").await;
    let cell = format!(
        ".cal-day[data-day=\"{today}\"] [data-event=\"{}\"]",
        s.event
    );
    wait_js(
        &c,
        &format!("return !!document.querySelector('{cell}')"),
        "the event in the month",
    )
    .await;
    let shown = js(
        &c,
        &format!("return document.querySelector('{cell}').textContent"),
    )
    .await;
    assert!(
        shown.as_str().unwrap().contains("Szkolenie z księgowości")
            && shown.as_str().unwrap().contains("1 z 12"),
        "{shown}"
    );
    snap(&c, "daily-calendar-month-A").await;
    click(&c, "cal-week").await;
    wait_js(
        &c,
        &format!("return !!document.querySelector('.cal-grid.week {cell}')"),
        "the event in the week",
    )
    .await;
    let week = js(
        &c,
        &format!("return document.querySelector('{cell}').textContent"),
    )
    .await;
    assert!(
        week.as_str().unwrap().contains("10:00–12:00"),
        "the week shows the time: {week}"
    );
    snap(&c, "daily-calendar-week-A").await;
    click(&c, "cal-next").await;
    wait_js(
        &c,
        &format!("return !document.querySelector('{cell}')"),
        "the next week without the event",
    )
    .await;
    click(&c, "cal-today").await;
    click(&c, "cal-month").await;
    click_css(&c, &cell).await;
    wait_js(&c, "return document.querySelector('#sections [aria-current=page]')?.dataset.view === 'events' && document.querySelector('.record-title')?.textContent === 'Szkolenie z księgowości'", "the event opened from the calendar").await;

    // (3) The person's page: advice, the event and the consultation, each a link to the record.
    js(
        &c,
        "document.getElementById('global-search').focus(); return true",
    )
    .await;
    type_into(&c, "#global-search", "Dzisiejsza").await;
    wait_js(
        &c,
        "return !!document.querySelector('#search-results .kind-person')",
        "the person in search",
    )
    .await;
    keys(&c, "global-search", ENTER).await;
    wait_js(
        &c,
        "return !!document.querySelector('#person-consultations [data-consultation]')",
        "the person's activity",
    )
    .await;
    let activity = js(
        &c,
        "return { advice: [...document.querySelectorAll('#person-advice [data-advice]')].map(b => Number(b.dataset.advice)), events: [...document.querySelectorAll('#person-events [data-event]')].map(b => Number(b.dataset.event)), text: document.getElementById('person-activity').textContent }",
    )
    .await;
    assert_eq!(activity["advice"], json!([s.follow_up]), "{activity}");
    assert_eq!(activity["events"], json!([s.event]), "{activity}");
    let text = activity["text"].as_str().unwrap();
    assert!(
        text.contains("zarządzanie organizacją") && text.contains("Fundacja Ośmiu Wspaniałych"),
        "{text}"
    );
    assert!(
        !text.contains(&s.code),
        "another client's advice is not listed"
    );
    js(
        &c,
        "document.getElementById('person-activity').scrollIntoView(); return true",
    )
    .await;
    snap(&c, "daily-person-A").await;
    click_css(&c, "#person-consultations [data-consultation]").await;
    wait_js(&c, "return document.querySelector('#sections [aria-current=page]')?.dataset.view === 'consultations' && !!document.getElementById('consultation-record')", "the consultation from the person's page").await;

    // (4) Advice filters narrow the list: the client code, the advisor, a short date.
    click_css(&c, "#sections [data-view=advice]").await;
    wait_js(
        &c,
        "return document.querySelector('.pane-title .count')?.textContent === '3 rekordy'",
        "all advice",
    )
    .await;
    // The code as typed without dashes (the next anonymous client got K-…-5328: a prefix would find both).
    type_into(&c, "#filter-text", &s.code.replace('-', "")).await;
    wait_js(
        &c,
        "return document.querySelector('.pane-title .count')?.textContent === '1 rekord'",
        "the code search",
    )
    .await;
    let row = js(
        &c,
        "return document.querySelector('.vrow')?.textContent ?? ''",
    )
    .await;
    assert!(row.as_str().unwrap().contains(&s.code), "{row}");
    snap(&c, "daily-advice-filtered-A").await;
    js(&c, "const f = document.getElementById('filter-text'); f.value = ''; f.dispatchEvent(new Event('input')); return true").await;
    wait_js(
        &c,
        "return document.querySelector('.pane-title .count')?.textContent === '3 rekordy'",
        "the search cleared",
    )
    .await;
    js(&c, "const s = document.getElementById('filter-advisor'); s.value = 'Piotr Nowak'; s.dispatchEvent(new Event('change')); return true").await;
    wait_js(
        &c,
        "return document.querySelector('.pane-title .count')?.textContent === '1 rekord'",
        "one advisor",
    )
    .await;
    js(&c, "const s = document.getElementById('filter-advisor'); s.value = ''; s.dispatchEvent(new Event('change')); return true").await;
    // "From" a short date (this year's day and month of the follow-up's advice, ten days ago).
    let ten_days_ago = (Local::now().date_naive() - Days::new(10))
        .format("%d.%m.%y")
        .to_string();
    type_into(&c, "#filter-from", &ten_days_ago).await;
    js(
        &c,
        "document.getElementById('filter-from').dispatchEvent(new Event('change')); return true",
    )
    .await;
    wait_js(
        &c,
        "return document.querySelector('.pane-title .count')?.textContent === '2 rekordy'",
        "the date range",
    )
    .await;
    // A wrong date is shown at the filter, with what was typed kept.
    type_into(&c, "#filter-to", "31.02").await;
    js(
        &c,
        "document.getElementById('filter-to').dispatchEvent(new Event('change')); return true",
    )
    .await;
    wait_js(
        &c,
        "return !document.getElementById('filter-range-error').hidden",
        "the date error",
    )
    .await;
    assert_eq!(
        js(&c, "return document.getElementById('filter-to').value").await,
        "31.02"
    );
    assert_eq!(
        js(
            &c,
            "return document.getElementById('filter-to').getAttribute('aria-invalid')"
        )
        .await,
        "true"
    );
    js(&c, "const f = document.getElementById('filter-from'); f.value = ''; f.dispatchEvent(new Event('change')); const t = document.getElementById('filter-to'); t.value = ''; t.dispatchEvent(new Event('change')); return true").await;
    wait_js(
        &c,
        "return document.querySelector('.pane-title .count')?.textContent === '3 rekordy'",
        "the filters cleared",
    )
    .await;

    // (5) Ctrl+K finds the anonymous client's code and opens the advice.
    js(&c, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'k', ctrlKey: true, bubbles: true})); return true").await;
    wait_js(
        &c,
        "return document.activeElement?.id === 'global-search'",
        "Ctrl+K",
    )
    .await;
    keys(&c, "global-search", &s.code).await;
    wait_js(&c, &format!("return document.querySelector('#search-results .hit .kind-advice')?.parentElement.textContent.includes('{}')", s.code), "the client code in search").await;
    keys(&c, "global-search", ENTER).await;
    wait_js(
        &c,
        &format!(
            "return document.querySelector('#advice-record .record-title')?.textContent === '{}'",
            s.code
        ),
        "the advice from search",
    )
    .await;
    assert_eq!(
        js(
            &c,
            "return document.querySelector('#sections [aria-current=page]')?.dataset.view"
        )
        .await,
        "advice"
    );
    let opened = js(
        &c,
        "return document.getElementById('advice-record') !== null",
    )
    .await;
    assert_eq!(opened, true, "advice {}", s.coded);

    // The new views at the largest text size, for the eye (the layout check is in shell.rs).
    set_text_size(&c, "2").await;
    for (view, name) in [
        ("today", "daily-today-App"),
        ("calendar", "daily-calendar-month-App"),
    ] {
        click_css(&c, &format!("#sections [data-view={view}]")).await;
        tokio::time::sleep(Duration::from_millis(700)).await;
        snap(&c, name).await;
    }
    click(&c, "cal-week").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    snap(&c, "daily-calendar-week-App").await;
    click_css(&c, "#sections [data-view=people]").await;
    wait_js(&c, "return !!document.querySelector('.vrow')", "the people").await;
    js(
        &c,
        &format!(
            "document.querySelector('.vrow[data-id=\"{}\"], .vrow')?.click(); return true",
            s.person
        ),
    )
    .await;
    wait_js(
        &c,
        "return !!document.querySelector('#person-consultations')",
        "the person at A++",
    )
    .await;
    js(
        &c,
        "document.getElementById('person-activity').scrollIntoView(); return true",
    )
    .await;
    snap(&c, "daily-person-App").await;
    click_css(&c, "#sections [data-view=advice]").await;
    wait_js(
        &c,
        "return !!document.getElementById('filter-text')",
        "the advice list at A++",
    )
    .await;
    snap(&c, "daily-advice-App").await;
    // The first frame after start is not always painted yet: Dziś at A is taken on a return.
    set_text_size(&c, "0").await;
    click_css(&c, "#sections [data-view=today]").await;
    wait_js(
        &c,
        "return !!document.getElementById('today-mail')",
        "Dziś again",
    )
    .await;
    snap(&c, "daily-today-A").await;
    finish(c).await;
}
