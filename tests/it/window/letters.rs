//! Korespondencja through the real window: a letter logged for an organisation with an address
//! agreement (a missing sender refused at its field, what was typed kept), "Powiadom
//! organizację" sending exactly one e-mail naming the sender to a real SMTP server, an
//! organisation without any address told so in the app's dialog, the pickup recorded with who
//! took it (the name required), two items of one organisation ticked and handed over at once;
//! and every tab, an item and the form at 1280×720 with text size A and A++.

use super::*;
use chrono::{Days, Local};
use kartoteka_core::letters::{AgreementInput, LetterInput, LetterQuery};
use kartoteka_core::mail::{MailSettings, Security};
use kartoteka_core::rooms::{BookingInput, ResourceInput};

const WITH_ADDRESS: &str = "Fundacja Pod Adresem";
const NO_ADDRESS: &str = "Stowarzyszenie Bez Skrzynki";
const SENDER: &str = "Urząd Skarbowy w Białymstoku";
const NOTICE_TO: &str = "sekretariat@podadresem.example.pl";

fn pl(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn log_a_letter_notify_the_organisation_once_and_record_its_pickup() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let sink = crate::mail::Sink::start(&[]);
    let db = crate::util::fresh().await;
    let k = &db.k;
    let today = Local::now().date_naive();
    let told = crate::util::save_org(k, &crate::util::org(WITH_ADDRESS, "Białystok")).await;
    let silent = crate::util::save_org(k, &crate::util::org(NO_ADDRESS, "Białystok")).await;
    for (org, email) in [(told, NOTICE_TO), (silent, "")] {
        k.save_agreement(
            None,
            &AgreementInput {
                organization_id: Some(org),
                valid_from: pl(today - Days::new(200)),
                contact_email: email.into(),
                notify_by: "email".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    // Two items already waiting for the organisation without an address.
    let mut silent_items = Vec::new();
    for (days, sender) in [(9, "Sąd Rejonowy"), (3, "ZUS")] {
        silent_items.push(
            k.save_letter(
                None,
                &LetterInput {
                    received_on: pl(today - Days::new(days)),
                    sender: sender.into(),
                    organization_id: Some(silent),
                    kind: "list".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap(),
        );
    }
    // A room booked by the organisation: its page lists it beside its letters.
    let room = k
        .save_resource(
            None,
            &ResourceInput {
                kind: "room".into(),
                name: "Sala Narad".into(),
                capacity: "10".into(),
                active: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let booked_day = today + Days::new(3);
    let booking = k
        .save_booking(
            None,
            &BookingInput {
                resource_id: Some(room),
                day: pl(booked_day),
                starts: "10:00".into(),
                ends: "11:30".into(),
                organization_id: Some(told),
                purpose: "zebranie zarządu".into(),
                status: "confirmed".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    k.save_mail_settings(&MailSettings {
        host: "127.0.0.1".into(),
        port: sink.port,
        security: Security::None,
        from_address: "biuro@centrum.example.pl".into(),
        from_name: "Centrum Organizacji".into(),
        rate_per_minute: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    db.k.close().await;

    let (_driver, c) = start(&db.path()).await;
    bounded("window size", c.set_window_size(1280, 720)).await;
    click_css(&c, "#sections [data-view=letters]").await;
    wait_js(
        &c,
        "return document.querySelectorAll('main .lrow.vrow').length === 2",
        "the two waiting items",
    )
    .await;
    let first = js(
        &c,
        "return document.querySelector('main .lrow.vrow .primary-text').textContent",
    )
    .await;
    assert_eq!(first, NO_ADDRESS, "the longest waiting first");

    // A new item: the date is today's; without a sender the core refuses it at the field and
    // what was typed stays.
    click(&c, "new-letter").await;
    wait_js(
        &c,
        "return !!document.getElementById('letter-form')",
        "the letter form",
    )
    .await;
    let date = js(
        &c,
        "return document.querySelector('#letter-form input[name=received_on]').value",
    )
    .await;
    assert_eq!(date, pl(today));
    type_into(&c, "#pick-organization_id", "Pod Adres").await;
    wait_js(&c, &format!("return [...document.querySelectorAll('#letter-form .suggestions li')].some(li => li.textContent.includes({WITH_ADDRESS:?}))"), "the organisation suggested").await;
    keys(&c, "pick-organization_id", ENTER).await;
    wait_js(
        &c,
        &format!("return document.querySelector('#letter-form input[name=organization_id]').value === '{told}'"),
        "the organisation chosen",
    )
    .await;
    js(&c, "const s = document.querySelector('#letter-form select[name=kind]'); s.value = 'polecony'; s.dispatchEvent(new Event('change', { bubbles: true })); return true").await;
    type_into(
        &c,
        "#letter-form input[name=tracking_number]",
        "RR123456785PL",
    )
    .await;
    click(&c, "save-letter").await;
    wait_js(
        &c,
        "return !document.querySelector('#letter-form [data-field=sender] .field-error').hidden",
        "the missing sender at its field",
    )
    .await;
    let kept = js(&c, "const f = document.getElementById('letter-form'); return [f.tracking_number.value, f.kind.value, f.organization_id.value]").await;
    assert_eq!(kept, json!(["RR123456785PL", "polecony", told.to_string()]));
    type_into(&c, "#letter-form input[name=sender]", SENDER).await;
    click(&c, "save-letter").await;
    wait_js(
        &c,
        "return !!document.getElementById('letter-record')",
        "the saved item",
    )
    .await;
    let record = js(
        &c,
        "return document.getElementById('letter-record').textContent",
    )
    .await;
    let record = record.as_str().unwrap();
    assert!(
        record.contains(SENDER)
            && record.contains("list polecony")
            && record.contains("RR123456785PL")
            && record.contains(NOTICE_TO),
        "{record}"
    );
    assert!(
        !record.contains("poza umową"),
        "within the agreement: {record}"
    );
    let letter_id: i64 = js(
        &c,
        "return Number(document.getElementById('letter-record').dataset.id)",
    )
    .await
    .as_i64()
    .unwrap();
    screenshot(&c, "letters-story-saved").await;

    // "Powiadom organizację": one e-mail to the agreement's address naming the sender.
    click(&c, "letter-notify").await;
    toast_says(
        &c,
        &format!("Powiadomienie wysłane na adres {NOTICE_TO} (1 przesyłka)"),
    )
    .await;
    sink.wait_for(1, Duration::from_secs(10));
    wait_js(
        &c,
        "return !!document.querySelector('#letter-record .letters-notified')",
        "the item marked notified",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = sink.received();
    assert_eq!(got.len(), 1, "exactly one message: {got:?}");
    assert_eq!(got[0]["rcpt"], json!([NOTICE_TO]));
    let text = got[0]["text"].as_str().unwrap();
    assert!(
        text.contains(SENDER) && text.contains("RR123456785PL") && text.contains(WITH_ADDRESS),
        "{text}"
    );
    assert!(
        !text.contains("Sąd Rejonowy"),
        "another organisation's item: {text}"
    );

    // An organisation without any address: said in the app's dialog, nothing sent.
    let row = format!("main .lrow.vrow[data-id=\"{}\"]", silent_items[0]);
    click_css(&c, &row).await;
    wait_js(
        &c,
        &format!(
            "return document.getElementById('letter-record')?.dataset.id === '{}'",
            silent_items[0]
        ),
        "the other organisation's item",
    )
    .await;
    click(&c, "letter-notify").await;
    wait_js(
        &c,
        "return !!document.querySelector('dialog[open] .dialog-message')",
        "the reason in the dialog",
    )
    .await;
    let said = js(
        &c,
        "return document.querySelector('dialog[open]').textContent",
    )
    .await;
    let said = said.as_str().unwrap();
    assert!(
        said.contains("Nie można powiadomić") && said.contains("adresu e-mail"),
        "{said}"
    );
    assert!(c.get_alert_text().await.is_err(), "no native box");
    screenshot(&c, "letters-story-no-address").await;
    js(
        &c,
        "document.querySelector('dialog[open] .actions button').click(); return true",
    )
    .await;
    wait_js(
        &c,
        "return !document.querySelector('dialog[open]')",
        "the dialog closed",
    )
    .await;

    // The notified item picked up: the name is required, then recorded.
    let row = format!("main .lrow.vrow[data-id=\"{letter_id}\"]");
    click_css(&c, &row).await;
    wait_js(
        &c,
        &format!("return document.getElementById('letter-record')?.dataset.id === '{letter_id}'"),
        "the notified item",
    )
    .await;
    click(&c, "letter-pickup").await;
    wait_js(
        &c,
        "return !!document.querySelector('dialog[open] #pickup-dialog')",
        "the pickup question",
    )
    .await;
    let on = js(&c, "return document.getElementById('pickup-on').value").await;
    assert_eq!(on, pl(today));
    click(&c, "pickup-ok").await;
    wait_js(
        &c,
        "return !document.getElementById('pickup-by-error').hidden",
        "the missing name",
    )
    .await;
    type_into(&c, "#pickup-by", "Anna Nowak").await;
    click(&c, "pickup-ok").await;
    toast_says(&c, "Zapisano odbiór. Przesyłek: 1.").await;
    wait_js(
        &c,
        "return (document.getElementById('letter-record')?.textContent || '').includes('Anna Nowak')",
        "who picked it up",
    )
    .await;
    wait_js(
        &c,
        &format!("return !document.querySelector('main .lrow.vrow[data-id=\"{letter_id}\"]')"),
        "the item gone from Do odbioru",
    )
    .await;

    // Both items of the other organisation ticked and handed over at once.
    for id in &silent_items {
        click_css(
            &c,
            &format!("main .lrow.vrow[data-id=\"{id}\"] input.letters-pick"),
        )
        .await;
    }
    wait_js(
        &c,
        "return !document.getElementById('letters-choice').hidden",
        "the ticked items' bar",
    )
    .await;
    let bar = js(
        &c,
        "return document.getElementById('letters-choice').textContent",
    )
    .await;
    assert!(
        bar.as_str().unwrap().contains(NO_ADDRESS) && bar.as_str().unwrap().contains('2'),
        "{bar}"
    );
    screenshot(&c, "letters-story-ticked").await;
    click(&c, "letters-pickup-chosen").await;
    type_into(&c, "#pickup-by", "Jan Kowalski").await;
    click(&c, "pickup-ok").await;
    toast_says(&c, "Zapisano odbiór. Przesyłek: 2.").await;
    wait_js(
        &c,
        "return !!document.querySelector('main .empty') && document.getElementById('letters-choice').hidden",
        "nothing left to collect",
    )
    .await;

    // The organisation's page: its agreement, its letters (to the log filtered by it) and its
    // room booking (to Sale at that day, the booking open).
    click(&c, "letter-org").await;
    wait_js(
        &c,
        "return !!document.querySelector('#org-letters li') && !!document.querySelector('#org-bookings li') && !document.getElementById('org-agreement').textContent.includes('…')",
        "the organisation's letters and bookings",
    )
    .await;
    let section = js(
        &c,
        "return document.getElementById('org-letters-section').textContent",
    )
    .await;
    let section = section.as_str().unwrap();
    assert!(
        section.contains(SENDER) && section.contains(NOTICE_TO) && !section.contains("czeka"),
        "{section}"
    );
    let bookings = js(
        &c,
        "return document.getElementById('org-bookings').textContent",
    )
    .await;
    assert!(
        bookings.as_str().unwrap().contains("Sala Narad")
            && bookings.as_str().unwrap().contains("10:00–11:30"),
        "{bookings}"
    );
    js(&c, "document.getElementById('org-letters-section').scrollIntoView({block: 'start'}); return true").await;
    screenshot(&c, "letters-organisation-page").await;
    click_css(&c, "#org-bookings li button").await;
    wait_js(
        &c,
        &format!(
            "return document.getElementById('booking-record')?.dataset.booking === '{booking}'"
        ),
        "the booking in Sale",
    )
    .await;
    js(&c, &format!("import('./js/app.js').then(a => a.go('organizations', {{ open: {told} }})); return true")).await;
    click(&c, "org-letters-open").await;
    wait_js(
        &c,
        &format!("return document.getElementById('letters-tab-log')?.getAttribute('aria-pressed') === 'true' && document.getElementById('letters-org').value === {WITH_ADDRESS:?} && document.querySelectorAll('main .lrow.vrow').length === 1"),
        "the log of the organisation",
    )
    .await;
    assert!(c.get_alert_text().await.is_err(), "no native box");
    finish(c).await;
    assert_eq!(sink.received().len(), 1, "one notice in all");

    let k = kartoteka_core::Kartoteka::open(&db.path()).await.unwrap();
    let l = k.letter(letter_id).await.unwrap();
    assert_eq!(
        (l.sender.as_str(), l.kind.as_str(), l.organization_id),
        (SENDER, "polecony", told)
    );
    assert_eq!(l.picked_up_by.as_deref(), Some("Anna Nowak"));
    assert_eq!(l.picked_up_on, Some(today));
    assert_eq!(l.notified_to.as_deref(), Some(NOTICE_TO));
    for id in &silent_items {
        assert_eq!(
            k.letter(*id).await.unwrap().picked_up_by.as_deref(),
            Some("Jan Kowalski")
        );
    }
    let waiting = k
        .letters(&LetterQuery {
            waiting_only: true,
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(waiting.total, 0, "{:?}", waiting.items);
}

/// What the check reads: main buttons off screen or cut at the side, panes scrolling sideways,
/// and a list row's text drawn outside its cell.
const LAYOUT: &str = r#"
    const out = [];
    const vw = window.innerWidth, vh = window.innerHeight;
    const seen = (el) => el.getClientRects().length > 0;
    const name = (el) => (el.id ? '#' + el.id : '') + ' "' + el.textContent.trim().slice(0, 40) + '"';
    for (const b of document.querySelectorAll('main .pane-title button, main .record-head button, main .sticky button, main .letter-actions button, main .letters-tabs button, main .letters-choice button')) {
      if (!seen(b)) continue;
      const r = b.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) out.push('off screen: ' + name(b));
      let box = b.parentElement;
      while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
      const clip = box && box !== document.body ? box.getBoundingClientRect() : { left: 0, right: vw };
      if (r.left < clip.left - 0.5 || r.right > clip.right + 0.5) out.push('cut at the side: ' + name(b));
    }
    for (const p of document.querySelectorAll('main, main .detail-pane, main .list-pane, main .vlist, main > *')) {
      if (seen(p) && p.scrollWidth > p.clientWidth + 1) out.push('scrolls sideways: ' + (p.className || p.tagName) + ' ' + p.scrollWidth + '>' + p.clientWidth);
    }
    for (const row of document.querySelectorAll('main .lrow.vrow')) {
      const r = row.getBoundingClientRect();
      for (const cell of row.children) {
        if (!seen(cell)) continue;
        const c = cell.getBoundingClientRect();
        if (c.bottom > r.bottom + 0.5 || c.top < r.top - 0.5) out.push('row text overflows: ' + name(cell));
      }
      for (const b of row.querySelectorAll('.badge')) {
        const c = b.getBoundingClientRect();
        const cell = b.closest('.cell').getBoundingClientRect();
        if (seen(b) && (c.right > cell.right + 0.5 || c.width < 8)) out.push('badge cut: ' + name(b));
      }
    }
    return out;"#;

async fn check(c: &Client, what: &str, problems: &mut Vec<String>) {
    tokio::time::sleep(Duration::from_millis(600)).await;
    let found: Vec<String> = serde_json::from_value(js(c, LAYOUT).await).unwrap();
    problems.extend(found.into_iter().map(|p| format!("{what}: {p}")));
    screenshot(c, &format!("letters-{what}")).await;
}

/// The demonstration's letters and agreements at 1280×720, text size A and A++: each tab, an
/// item outside its agreement, a ticked pickup, the form.
#[tokio::test(flavor = "multi_thread")]
async fn the_letters_read_at_1280x720_at_every_text_size() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let (_dir, db) = demo_file(30, 40, 7);
    let (_driver, c) = start(&db).await;
    at_1280x720(&c).await;
    click_css(&c, "#sections [data-view=letters]").await;
    wait_js(
        &c,
        "return !!document.querySelector('main .lrow.vrow')",
        "the demonstration's waiting items",
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
        click(&c, "letters-tab-waiting").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .lrow.vrow.waiting')",
            "Do odbioru",
        )
        .await;
        check(&c, &format!("waiting-{label}"), &mut problems).await;
        // An item outside its agreement when there is one (the demonstration's ended agreement).
        js(&c, "const rows = [...document.querySelectorAll('main .lrow.vrow')]; (rows.find(r => r.querySelector('.letters-outside')) || rows[0]).click(); return true").await;
        wait_js(
            &c,
            "return !!document.getElementById('letter-record')",
            "an item",
        )
        .await;
        check(&c, &format!("detail-{label}"), &mut problems).await;
        // Two ticked: the bar above the list.
        js(&c, "const boxes = [...document.querySelectorAll('main .lrow.vrow input.letters-pick')]; const org = boxes[0].closest('.vrow').querySelector('.primary-text').textContent; boxes.filter(b => b.closest('.vrow').querySelector('.primary-text').textContent === org).slice(0, 2).forEach(b => b.click()); return true").await;
        wait_js(
            &c,
            "return !document.getElementById('letters-choice').hidden",
            "the ticked bar",
        )
        .await;
        check(&c, &format!("ticked-{label}"), &mut problems).await;
        click(&c, "letters-clear-choice").await;
        click(&c, "letters-tab-log").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .lrow.vrow.log')",
            "Dziennik",
        )
        .await;
        check(&c, &format!("log-{label}"), &mut problems).await;
        js(&c, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'n', ctrlKey: true, bubbles: true, cancelable: true})); return true").await;
        wait_js(
            &c,
            "return !!document.getElementById('letter-form')",
            "the letter form",
        )
        .await;
        check(&c, &format!("form-{label}"), &mut problems).await;
        js(&c, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true, cancelable: true})); return true").await;
        wait_js(
            &c,
            "return !document.getElementById('letter-form')",
            "the form closed",
        )
        .await;
        click(&c, "letters-tab-agreements").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .lrow.vrow.agreement')",
            "Umowy adresowe",
        )
        .await;
        // The ended agreement, when listed, else the first.
        js(&c, "const rows = [...document.querySelectorAll('main .lrow.vrow')]; (rows.find(r => r.classList.contains('ended')) || rows[0]).click(); return true").await;
        wait_js(
            &c,
            "return !!document.getElementById('agreement-record')",
            "an agreement",
        )
        .await;
        check(&c, &format!("agreements-{label}"), &mut problems).await;
        click(&c, "edit-record").await;
        wait_js(
            &c,
            "return !!document.getElementById('agreement-form')",
            "the agreement form",
        )
        .await;
        check(&c, &format!("agreement-form-{label}"), &mut problems).await;
        js(&c, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true, cancelable: true})); return true").await;
        wait_js(
            &c,
            "return !!document.getElementById('agreement-record')",
            "the form left",
        )
        .await;
    }
    let ended = js(
        &c,
        "return document.querySelectorAll('main .lrow.vrow.agreement.ended').length",
    )
    .await;
    assert_eq!(
        ended, 1,
        "the demonstration's ended agreement shown as ended"
    );
    js(
        &c,
        "document.querySelector('#text-size [data-size=\"0\"]').click(); return true",
    )
    .await;
    assert!(
        problems.is_empty(),
        "Korespondencja at 1280×720:\n{}",
        problems.join("\n")
    );
    finish(c).await;
}
