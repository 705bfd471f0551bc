//! Sale through the real window: a free slot of next week opens the booking form filled with
//! its day and hour, the capacity warning shows at its field without refusing, a weekly series
//! is checked first (the one taken date listed with who holds it), saved skipping that date
//! (the skipped date reported), and one occurrence is cancelled from its panel with a reason.

use super::*;
use chrono::{Datelike, Days, Local, NaiveDate};
use kartoteka_core::rooms::{BookingInput, BookingQuery, BookingStatus, ResourceInput};

const HOLDER: &str = "Fundacja Zajęta Sala";
const BOOKER: &str = "Stowarzyszenie Seria Teatralna";

/// Clicks a control after scrolling it to the middle of its pane.
async fn press(c: &Client, id: &str) {
    wait_js(c, &format!("return !!document.getElementById('{id}')"), id).await;
    js(
        c,
        &format!(
            "document.getElementById('{id}').scrollIntoView({{block: 'center'}}); return true"
        ),
    )
    .await;
    click(c, id).await;
}

fn pl(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn book_a_weekly_series_skipping_the_taken_date_and_cancel_one_occurrence() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh().await;
    let k = &db.k;
    let room = k
        .save_resource(
            None,
            &ResourceInput {
                kind: "room".into(),
                name: "Sala Jasna".into(),
                capacity: "12".into(),
                equipment: "rzutnik".into(),
                opening_hours: [vec!["8:00-18:00".to_string(); 5], vec![String::new(); 2]].concat(),
                active: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let holder = crate::util::save_org(k, &crate::util::org(HOLDER, "Łódź")).await;
    let booker = crate::util::save_org(k, &crate::util::org(BOOKER, "Łódź")).await;
    // Mondays of next week and the three after it; the third is taken from 11:00.
    let today = Local::now().date_naive();
    let m1 = today - Days::new(u64::from(today.weekday().num_days_from_monday())) + Days::new(7);
    let mondays: Vec<NaiveDate> = (0..4).map(|i| m1 + Days::new(7 * i)).collect();
    let taken = mondays[2];
    k.save_booking(
        None,
        &BookingInput {
            resource_id: Some(room),
            day: pl(taken),
            starts: "11:00".into(),
            ends: "12:30".into(),
            organization_id: Some(holder),
            purpose: "próba chóru".into(),
            status: "confirmed".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    db.k.close().await;

    let (_driver, c) = start(&db.path()).await;
    bounded("window size", c.set_window_size(1280, 720)).await;
    click_css(&c, "#sections [data-view=rooms]").await;
    wait_js(
        &c,
        "return !!document.querySelector('#rooms-grid .rg-free')",
        "the rooms' grid",
    )
    .await;
    // Next week: Monday 10:00 is free; its cell opens the form with that day and hour.
    click(&c, "rooms-next").await;
    let slot = format!(
        "#rooms-grid .rg-free[data-key=\"{}@600\"]",
        m1.format("%Y-%m-%d")
    );
    click_css(&c, &slot).await;
    wait_js(
        &c,
        "return !!document.querySelector('#booking-form')",
        "the booking form",
    )
    .await;
    let filled = js(&c, "const f = document.getElementById('booking-form'); return [f.day.value, f.starts.value, f.ends.value, f.resource_id.value]").await;
    assert_eq!(filled, json!([pl(m1), "10:00", "11:00", room.to_string()]));
    type_into(&c, "#booking-form input[name=ends]", "12:00").await;
    type_into(&c, "#pick-organization_id", "Seria Teatr").await;
    wait_js(&c, &format!("return [...document.querySelectorAll('#booking-form .suggestions li')].some(li => li.textContent.includes({BOOKER:?}))"), "the organisation suggested").await;
    keys(&c, "pick-organization_id", ENTER).await;
    wait_js(&c, &format!("return document.querySelector('#booking-form input[name=organization_id]').value === '{booker}'"), "the organisation chosen").await;
    type_into(
        &c,
        "#booking-form input[name=purpose]",
        "warsztaty teatralne",
    )
    .await;
    // More people than the room holds: a warning at the field, in its own style, not an error.
    type_into(&c, "#booking-form input[name=people_count]", "15").await;
    wait_js(&c, "return (document.querySelector('[data-field=people_count] .field-warning')?.textContent || '').includes('mieści 12')", "the capacity warning").await;
    let error_shown = js(
        &c,
        "return !document.querySelector('[data-field=people_count] .field-error').hidden",
    )
    .await;
    assert_eq!(error_shown, false, "a warning is not an error");
    type_into(&c, "#booking-form input[name=people_count]", "8").await;
    wait_js(&c, "return document.querySelector('[data-field=people_count] .field-warning').textContent === ''", "the warning gone").await;

    // Every Monday, four times: the check lists each date and who holds the taken one.
    // Fields low in the form are brought to the middle first: the sticky save bar would cover them.
    press(&c, "booking-recurring").await;
    let monday_ticked = js(
        &c,
        "return document.querySelector('#booking-form input[name=weekdays][value=\"1\"]').checked",
    )
    .await;
    assert_eq!(monday_ticked, true, "the first date's weekday is ticked");
    type_into(&c, "#booking-form input[name=count]", "4").await;
    press(&c, "series-check").await;
    wait_js(
        &c,
        "return document.querySelectorAll('#series-dates li').length === 4",
        "the series' dates",
    )
    .await;
    let listed = js(&c, "return [...document.querySelectorAll('#series-dates li')].map(li => [li.dataset.day, li.className, li.textContent])").await;
    let listed = listed.as_array().unwrap();
    for (row, day) in listed.iter().zip(&mondays) {
        assert_eq!(row[0], day.format("%Y-%m-%d").to_string(), "{listed:?}");
        let text = row[2].as_str().unwrap();
        if *day == taken {
            assert_eq!(row[1], "taken", "{listed:?}");
            assert!(
                text.contains(HOLDER) && text.contains("11:00"),
                "who holds it: {text}"
            );
        } else {
            assert_eq!(row[1], "free", "{listed:?}");
        }
    }
    screenshot(&c, "rooms-series-preview").await;
    press(&c, "save-series").await;
    wait_js(
        &c,
        "return !!document.getElementById('series-result')",
        "the saved series",
    )
    .await;
    let result = js(
        &c,
        "return document.getElementById('series-result').textContent",
    )
    .await;
    let result = result.as_str().unwrap();
    assert!(result.contains("Zarezerwowano 3 terminy"), "{result}");
    let skipped = js(
        &c,
        "return [...document.querySelectorAll('#series-skipped li')].map(li => li.dataset.day)",
    )
    .await;
    assert_eq!(skipped, json!([taken.format("%Y-%m-%d").to_string()]));
    screenshot(&c, "rooms-series-saved").await;

    // The first occurrence, from the calendar: its panel names the series; cancelled with a reason.
    click(&c, "rooms-side-close").await;
    let find = format!("return [...document.querySelectorAll('#rooms-grid .rg-booking')].find(b => b.textContent.includes({BOOKER:?}))?.dataset.booking ?? null");
    wait_js(&c, &format!("return [...document.querySelectorAll('#rooms-grid .rg-booking')].some(b => b.textContent.includes({BOOKER:?}))"), "the series in the week").await;
    let id = js(&c, &find).await;
    let id = id.as_str().unwrap().to_string();
    click_css(
        &c,
        &format!("#rooms-grid .rg-booking[data-booking=\"{id}\"]"),
    )
    .await;
    wait_js(
        &c,
        "return !!document.querySelector('#booking-record #booking-series')",
        "the booking's panel",
    )
    .await;
    let panel = js(
        &c,
        "return document.getElementById('booking-record').textContent",
    )
    .await;
    let panel = panel.as_str().unwrap();
    assert!(
        panel.contains(BOOKER)
            && panel.contains("warsztaty teatralne")
            && panel.contains("co tydzień"),
        "{panel}"
    );
    assert!(
        panel.contains(&pl(taken)),
        "the skipped date with the series: {panel}"
    );
    screenshot(&c, "rooms-booking-panel").await;
    click(&c, "booking-cancel").await;
    wait_js(
        &c,
        "return !!document.querySelector('dialog[open] #reason-dialog')",
        "the reason question",
    )
    .await;
    // No reason: the core's refusal at the field, the dialog stays.
    click(&c, "reason-ok").await;
    wait_js(
        &c,
        "return !document.getElementById('reason-error').hidden",
        "the missing reason",
    )
    .await;
    type_into(&c, "#reason-input", "remont sali").await;
    click(&c, "reason-ok").await;
    wait_js(
        &c,
        "return document.getElementById('toast').textContent === 'Rezerwację odwołano.'",
        "the cancellation",
    )
    .await;
    wait_js(
        &c,
        &format!(
            "return !document.querySelector('#rooms-grid .rg-booking[data-booking=\"{id}\"]')"
        ),
        "the cancelled booking gone from the plan",
    )
    .await;
    assert!(c.get_alert_text().await.is_err(), "no native box");
    finish(c).await;

    let k = kartoteka_core::Kartoteka::open(&db.path()).await.unwrap();
    let all = k
        .bookings(&BookingQuery {
            from: Some(mondays[0]),
            to: Some(mondays[3]),
            resource_id: Some(room),
            include_cancelled: true,
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .items;
    let series: Vec<_> = all
        .iter()
        .filter(|b| b.organization_id == Some(booker))
        .collect();
    assert_eq!(
        series.iter().map(|b| b.day).collect::<Vec<_>>(),
        vec![mondays[0], mondays[1], mondays[3]],
        "the taken Monday skipped"
    );
    assert!(series
        .iter()
        .all(|b| b.starts == "10:00" && b.ends == "12:00" && b.people_count == Some(8)));
    assert_eq!(series[0].id.to_string(), id);
    assert_eq!(series[0].status, BookingStatus::Cancelled);
    assert_eq!(series[0].cancel_reason.as_deref(), Some("remont sali"));
    assert!(series[1..]
        .iter()
        .all(|b| b.status == BookingStatus::Confirmed));
    let s = k.series(series[0].series_id.unwrap()).await.unwrap();
    assert_eq!(s.skipped, vec![taken]);
    let held = all
        .iter()
        .find(|b| b.organization_id == Some(holder))
        .unwrap();
    assert_eq!((held.day, held.status), (taken, BookingStatus::Confirmed));
}

/// What the plan's check reads: main buttons off screen, panes scrolling sideways, grid buttons
/// outside the grid, and (with `strict`, the calendar at its full width) cut times and heads.
fn plan_problems(strict: bool) -> String {
    format!(
        r#"
    const out = [];
    const vw = window.innerWidth, vh = window.innerHeight;
    const seen = (el) => el.getClientRects().length > 0;
    for (const b of document.querySelectorAll('main .pane-title button, main .rooms-bar button, main .sticky button, main .record-head button')) {{
      if (!seen(b)) continue;
      const r = b.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) out.push('off screen: ' + b.textContent.trim());
    }}
    for (const p of document.querySelectorAll('main, main > *, .rooms-cal, .rooms-side')) {{
      if (seen(p) && p.scrollWidth > p.clientWidth + 1) out.push('scrolls sideways: ' + p.className + ' ' + p.scrollWidth + '>' + p.clientWidth);
    }}
    const grid = document.getElementById('rooms-grid');
    if (grid && seen(grid)) {{
      const g = grid.getBoundingClientRect();
      for (const b of grid.querySelectorAll('button')) {{
        const r = b.getBoundingClientRect();
        if (r.left < g.left - 0.5 || r.right > g.right + 0.5) out.push('outside the grid: ' + b.getAttribute('aria-label'));
      }}
      if ({strict}) for (const s of grid.querySelectorAll('.rg-time, .rg-head > span')) {{
        if (s.scrollWidth > s.clientWidth + 1) out.push('cut: ' + s.textContent);
      }}
    }}
    return out;"#
    )
}

async fn check_plan(c: &Client, what: &str, strict: bool, problems: &mut Vec<String>) {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let found: Vec<String> = serde_json::from_value(js(c, &plan_problems(strict)).await).unwrap();
    problems.extend(found.into_iter().map(|p| format!("{what}: {p}")));
    screenshot(c, &format!("rooms-{what}")).await;
}

/// The plan with the demonstration's rooms and bookings at 1280×720, text size A and A++, and
/// in high contrast: the week of a room, the day of every room, a booking's panel and the form.
#[tokio::test(flavor = "multi_thread")]
async fn the_plan_reads_at_1280x720_at_every_text_size() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let (_dir, db) = demo_file(30, 40, 7);
    let (_driver, c) = start(&db).await;
    at_1280x720(&c).await;
    click_css(&c, "#sections [data-view=rooms]").await;
    wait_js(
        &c,
        "return !!document.querySelector('#rooms-grid .rg-booking')",
        "the demonstration's bookings",
    )
    .await;
    let mut problems = Vec::new();
    for (size, label) in [("0", "A"), ("2", "App")] {
        js(
            &c,
            &format!(
                "document.querySelector('#text-size [data-size=\"{size}\"]').click(); return true"
            ),
        )
        .await;
        click(&c, "rooms-week").await;
        wait_js(
            &c,
            "return document.getElementById('rooms-week').getAttribute('aria-pressed') === 'true'",
            "the week",
        )
        .await;
        check_plan(&c, &format!("week-{label}"), true, &mut problems).await;
        click(&c, "rooms-day").await;
        wait_js(
            &c,
            "return document.getElementById('rooms-day').getAttribute('aria-pressed') === 'true'",
            "the day",
        )
        .await;
        // A day with bookings (the demonstration has none on Sundays).
        for _ in 0..7 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if js(
                &c,
                "return !!document.querySelector('#rooms-grid .rg-booking')",
            )
            .await
                == true
            {
                break;
            }
            click(&c, "rooms-next").await;
        }
        check_plan(&c, &format!("day-{label}"), true, &mut problems).await;
        js(
            &c,
            "document.querySelector('#rooms-grid .rg-booking').click(); return true",
        )
        .await;
        wait_js(
            &c,
            "return !!document.getElementById('booking-record')",
            "a booking's panel",
        )
        .await;
        check_plan(&c, &format!("day-panel-{label}"), false, &mut problems).await;
        js(&c, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'n', ctrlKey: true, bubbles: true, cancelable: true})); return true").await;
        wait_js(
            &c,
            "return !!document.getElementById('booking-form')",
            "the booking form",
        )
        .await;
        check_plan(&c, &format!("form-{label}"), false, &mut problems).await;
        js(&c, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true, cancelable: true})); return true").await;
        wait_js(
            &c,
            "return document.getElementById('rooms-side').hidden",
            "the form closed",
        )
        .await;
        click(&c, "rooms-today").await;
    }
    click(&c, "rooms-week").await;
    click(&c, "contrast-toggle").await;
    check_plan(&c, "week-contrast-App", true, &mut problems).await;
    click(&c, "contrast-toggle").await;
    js(
        &c,
        "document.querySelector('#text-size [data-size=\"0\"]').click(); return true",
    )
    .await;
    // A tentative booking (the demonstration has some) looks different and says so.
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_millis(400)).await;
        if js(
            &c,
            "return !!document.querySelector('#rooms-grid .rg-booking.tentative')",
        )
        .await
            == true
        {
            break;
        }
        click(&c, "rooms-next").await;
    }
    let tentative = js(
        &c,
        "return document.querySelector('#rooms-grid .rg-booking.tentative')?.textContent ?? ''",
    )
    .await;
    assert!(
        tentative.as_str().unwrap().contains("wstępna"),
        "{tentative}"
    );
    js(&c, "document.querySelector('#rooms-grid .rg-booking.tentative').scrollIntoView({block: 'center'}); return true").await;
    check_plan(&c, "week-tentative-A", true, &mut problems).await;
    // The rooms in Ustawienia.
    click_css(&c, "#sections [data-view=settings]").await;
    click(&c, "settings-tab-rooms").await;
    wait_js(&c, "return document.querySelectorAll('#resources-table tbody tr').length === 3 && !!document.getElementById('resource-form')", "the rooms in Ustawienia").await;
    check_plan(&c, "settings-A", false, &mut problems).await;
    js(
        &c,
        "document.querySelector('#text-size [data-size=\"2\"]').click(); return true",
    )
    .await;
    js(
        &c,
        "document.querySelector('#resources-table tbody button').click(); return true",
    )
    .await;
    wait_js(
        &c,
        "return document.querySelector('#resource-form input[name=name]')?.value !== ''",
        "a room's form",
    )
    .await;
    js(
        &c,
        "document.getElementById('opening-hours').scrollIntoView({block: 'start'}); return true",
    )
    .await;
    check_plan(&c, "settings-App", false, &mut problems).await;
    js(
        &c,
        "document.querySelector('#text-size [data-size=\"0\"]').click(); return true",
    )
    .await;
    assert!(
        problems.is_empty(),
        "the plan at 1280×720:\n{}",
        problems.join("\n")
    );
    finish(c).await;
}
