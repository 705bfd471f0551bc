//! Punkt NPP through the real window: a point added in Ustawienia (without its number refused at
//! the field), then help recorded in Porady from the keyboard alone with the card of free legal
//! aid switched on — saved first without the time, which the card requires (the message at the
//! minutes, everything typed kept), then with it — the card and the statement printed, the card
//! listed under Punkt NPP › Karty (opening its advice record), the blank Part B printed for the
//! point and the day, an opinion typed in from the urn (a date from the future refused first),
//! and the starosta's figures for this quarter counting the one card and the one opinion, saved
//! as PDF and .xlsx. Lists changed in Ustawienia reach the card's form; "Usuń kartę" and an
//! opinion's deletion ask in the app's dialog. And every tab, the card on the advice record and
//! in its form, and Ustawienia › Punkt NPP at 1280×720 with text size A, A+ and A++. Dyżury i
//! zapisy: a duty hour added, a person booked from a free slot (a time outside the duty hours
//! refused at its field), the day's list printed and the appointment deleted.

use super::*;
use chrono::{Days, Local};
use kartoteka_core::legal_aid::{CardQuery, OpinionQuery};

const POINT_NAME: &str = "Punkt nieodpłatnej pomocy prawnej przy BPO w Lesznie";
const ADVISOR: &str = "Anna Kowalska";
const ARROW_DOWN: &str = "\u{E015}";

fn pl(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Ctrl+<key> pressed where the cursor is (the window's shortcuts listen on the document).
async fn ctrl(c: &Client, key: &str) {
    js(
        c,
        &format!("(document.activeElement || document.body).dispatchEvent(new KeyboardEvent('keydown', {{key: '{key}', ctrlKey: true, bubbles: true, cancelable: true}})); return true"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn record_npp_help_from_the_keyboard_print_it_and_report_it() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kartoteka.db");
    let saved = tempfile::tempdir().unwrap();
    let today = Local::now().date_naive();
    let (_driver, c) = start_with(&db, &[("KARTOTEKA_SAVE_DIR", saved.path())]).await;
    at_1280x720(&c).await;

    // Without a point the advice form has no card switch, only where points are added.
    click_css(&c, "#sections [data-view=advice]").await;
    click(&c, "new-advice").await;
    wait_js(
        &c,
        "return !!document.getElementById('advice-form') && !!document.getElementById('legal-aid-none') && !document.getElementById('card-toggle')",
        "the advice form without a card",
    )
    .await;
    let said = js(
        &c,
        "return document.getElementById('legal-aid-none').textContent",
    )
    .await;
    assert!(
        said.as_str().unwrap().contains("Ustawieniach › Punkt NPP"),
        "{said}"
    );
    escape(&c).await;
    wait_js(
        &c,
        "return !document.getElementById('advice-form')",
        "the form left",
    )
    .await;

    // Ustawienia › Punkt NPP: a point without its number is refused at the field, the name
    // typed stays; then saved and listed.
    click_css(&c, "#sections [data-view=settings]").await;
    click(&c, "settings-tab-legal_aid").await;
    wait_js(
        &c,
        "return !!document.getElementById('legal-aid-point-form') && !!document.getElementById('legal-aid-points-none')",
        "Ustawienia › Punkt NPP without a point",
    )
    .await;
    let lists = js(
        &c,
        "return ['form', 'help', 'area', 'profession'].map(k => document.querySelectorAll('#legal-aid-list-' + k + ' tbody tr').length)",
    )
    .await;
    let lists: Vec<i64> = serde_json::from_value(lists).unwrap();
    assert!(lists.iter().all(|n| *n >= 3), "the four lists: {lists:?}");
    type_into(&c, "#legal-aid-point-form input[name=name]", POINT_NAME).await;
    type_into(
        &c,
        "#legal-aid-point-form input[name=address]",
        "ul. Słowiańska 12, 64-100 Leszno",
    )
    .await;
    click(&c, "save-legal-aid-point").await;
    wait_js(
        &c,
        "return !document.querySelector('#legal-aid-point-form [data-field=number] .field-error').hidden",
        "the missing number at its field",
    )
    .await;
    let kept = js(
        &c,
        "const f = document.getElementById('legal-aid-point-form'); return [f.querySelector('[name=name]').value, f.querySelector('[name=address]').value, document.activeElement === f.querySelector('[name=number]')]",
    )
    .await;
    assert_eq!(
        kept,
        json!([POINT_NAME, "ul. Słowiańska 12, 64-100 Leszno", true])
    );
    type_into(&c, "#legal-aid-point-form input[name=number]", "3").await;
    type_into(
        &c,
        "#legal-aid-point-form input[name=powiat]",
        "Powiat leszczyński",
    )
    .await;
    click(&c, "save-legal-aid-point").await;
    toast_says(&c, "Zapisano punkt nr 3.").await;
    wait_js(
        &c,
        &format!("const rows = document.querySelectorAll('#legal-aid-points tbody tr'); return rows.length === 1 && rows[0].textContent.includes({POINT_NAME:?})"),
        "the point listed",
    )
    .await;
    screenshot(&c, "legal-aid-story-settings").await;

    // Porady: the help from the keyboard, the card switched on with Space.
    click_css(&c, "#sections [data-view=advice]").await;
    wait_js(
        &c,
        "return !!document.getElementById('new-advice')",
        "the advice screen",
    )
    .await;
    ctrl(&c, "n").await;
    wait_js(
        &c,
        "return document.activeElement?.name === 'advisor'",
        "focus on the advisor",
    )
    .await;
    type_here(&c, ADVISOR).await;
    type_here(&c, TAB).await; // channel
    type_here(&c, TAB).await; // minutes: left empty
    type_here(&c, TAB).await; // the category finder
    wait_js(
        &c,
        "return document.activeElement?.id === 'advice-category-input'",
        "the category finder",
    )
    .await;
    type_here(&c, "komor").await;
    wait_js(
        &c,
        "return !document.querySelector('#advice-form .suggestions').hidden",
        "category suggestions",
    )
    .await;
    type_here(&c, ENTER).await;
    wait_js(
        &c,
        "return document.querySelectorAll('#advice-form .chip').length === 1",
        "a chosen category",
    )
    .await;
    type_here(&c, TAB).await; // outcome
    type_here(&c, TAB).await; // follow-up date
    type_here(&c, TAB).await; // the card's switch
    wait_js(
        &c,
        "return document.activeElement?.id === 'card-toggle' && document.getElementById('legal-aid-card').hidden",
        "the card's switch, off",
    )
    .await;
    type_here(&c, " ").await;
    wait_js(
        &c,
        "return !document.getElementById('legal-aid-card').hidden && document.activeElement?.name === 'aid_type'",
        "the card's fields",
    )
    .await;
    let start = js(&c, "const f = document.getElementById('legal-aid-card'); return [f.querySelector('[name=aid_type]').value, f.querySelector('[name=point_id]').selectedOptions[0].textContent, f.querySelector('[name=provider]').value, f.querySelector('[name=form]').value, f.querySelector('[name=statement_signed]').checked]").await;
    assert_eq!(
        start,
        json!(["npp", format!("3 — {POINT_NAME}"), ADVISOR, "point", true]),
        "a new card starts from the only point, the advisor and help in the point"
    );
    type_here(&c, TAB).await; // point
    type_here(&c, TAB).await; // provider
    type_here(&c, TAB).await; // profession
    wait_js(
        &c,
        "return document.activeElement?.name === 'profession'",
        "the profession",
    )
    .await;
    type_here(&c, "radca").await;
    wait_js(
        &c,
        "return document.activeElement?.value === 'radca'",
        "radca prawny chosen by typing",
    )
    .await;
    type_here(&c, TAB).await; // form (w punkcie)
    type_here(&c, TAB).await; // area
    wait_js(
        &c,
        "return document.activeElement?.name === 'area'",
        "the area of law",
    )
    .await;
    // Typing finds the first "prawo…", the arrow the next one (a space would open the list).
    type_here(&c, "prawo").await;
    wait_js(
        &c,
        "return document.activeElement?.value === 'family'",
        "prawo rodzinne found by typing",
    )
    .await;
    type_here(&c, ARROW_DOWN).await;
    wait_js(
        &c,
        "return document.activeElement?.value === 'labour'",
        "prawo pracy chosen by typing",
    )
    .await;
    type_here(&c, TAB).await; // visits: empty is the first
    type_here(&c, TAB).await; // the first kind of help
    wait_js(
        &c,
        "return document.activeElement?.name === 'help_kinds' && document.activeElement.value === 'info'",
        "the kinds of help",
    )
    .await;
    type_here(&c, " ").await;
    type_here(&c, TAB).await;
    type_here(&c, TAB).await;
    wait_js(
        &c,
        "return document.activeElement?.value === 'letter'",
        "the letter drafted",
    )
    .await;
    type_here(&c, " ").await;
    screenshot(&c, "legal-aid-story-card-typed").await;

    // Saved without the time: the card requires it, said at the minutes; all typed stays.
    ctrl(&c, "s").await;
    wait_js(
        &c,
        "return !document.querySelector('#advice-form [data-field=minutes] .field-error').hidden",
        "the missing time at its field",
    )
    .await;
    let state = js(
        &c,
        r#"const f = document.getElementById('advice-form');
        return {
          error: f.querySelector('[data-field=minutes] .field-error').textContent,
          focused: document.activeElement?.name || '',
          advisor: f.querySelector('[name=advisor]').value,
          chips: f.querySelectorAll('.chip').length,
          on: document.getElementById('card-toggle').checked,
          provider: f.querySelector('[name=provider]').value,
          profession: f.querySelector('[name=profession]').value,
          area: f.querySelector('[name=area]').value,
          help: [...f.querySelectorAll('[name=help_kinds]:checked')].map(x => x.value),
          others: [...f.querySelectorAll('.field-error')].filter(p => !p.hidden).length,
        };"#,
    )
    .await;
    assert!(
        state["error"].as_str().unwrap().contains("karta pomocy"),
        "{state}"
    );
    assert_eq!(
        state,
        json!({
            "error": state["error"], "focused": "minutes", "advisor": ADVISOR, "chips": 1, "on": true,
            "provider": ADVISOR, "profession": "radca", "area": "labour", "help": ["info", "letter"], "others": 1,
        })
    );
    screenshot(&c, "legal-aid-story-minutes-missing").await;
    type_here(&c, "45").await;
    ctrl(&c, "s").await;
    wait_js(
        &c,
        "return !!document.getElementById('advice-record') && !!document.querySelector('#advice-record #card-pdf')",
        "the saved advice with its card",
    )
    .await;
    let facts = js(
        &c,
        "return document.getElementById('legal-aid-facts').textContent",
    )
    .await;
    let facts = facts.as_str().unwrap();
    for part in [
        "3 — ",
        POINT_NAME,
        "nieodpłatna pomoc prawna",
        "Anna Kowalska (radca prawny)",
        "w punkcie",
        "prawo pracy",
        "sporządzenie projektu pisma",
        &format!("podpisane {}", pl(today)),
    ] {
        assert!(facts.contains(part), "{part:?} missing from {facts}");
    }
    screenshot(&c, "legal-aid-story-saved").await;

    // The card and the statement, printed to where the save dialog would put them.
    let before = files_in(saved.path());
    click(&c, "card-pdf").await;
    toast_says(&c, "Zapisano kartę pomocy:").await;
    let card_pdf = new_file(saved.path(), &before, "pdf", b"%PDF").await;
    let before = files_in(saved.path());
    click(&c, "statement-pdf").await;
    toast_says(&c, "Zapisano oświadczenie:").await;
    let statement_pdf = new_file(saved.path(), &before, "pdf", b"%PDF").await;
    assert_ne!(card_pdf, statement_pdf);

    // Punkt NPP › Karty: the card, which opens its advice record.
    click_css(&c, "#sections [data-view=legal_aid]").await;
    wait_js(
        &c,
        "return document.querySelectorAll('main .larow.vrow.card').length === 1",
        "the card listed",
    )
    .await;
    let row = js(
        &c,
        "return document.querySelector('main .larow.vrow.card').textContent",
    )
    .await;
    let row = row.as_str().unwrap();
    assert!(
        row.contains(&pl(today))
            && row.contains("prawo pracy")
            && row.contains("punkt nr 3")
            && row.contains(ADVISOR)
            && row.contains("45 min"),
        "{row}"
    );
    screenshot(&c, "legal-aid-story-cards").await;
    click_css(&c, "main .larow.vrow.card").await;
    wait_js(
        &c,
        "return document.querySelector('#sections [aria-current=page]')?.dataset.view === 'advice' && !!document.querySelector('#advice-record #legal-aid-facts')",
        "the card's advice record",
    )
    .await;

    // Opinie (część B): the blank form printed for the point and today.
    click_css(&c, "#sections [data-view=legal_aid]").await;
    click(&c, "legal-aid-tab-opinions").await;
    wait_js(
        &c,
        "return !!document.getElementById('opinion-form') && !!document.getElementById('partb-pdf')",
        "the opinion form",
    )
    .await;
    let partb = js(&c, "return [document.getElementById('partb-point').selectedOptions[0].textContent, document.getElementById('partb-date').value]").await;
    assert_eq!(partb, json!([format!("3 — {POINT_NAME}"), pl(today)]));
    let before = files_in(saved.path());
    click(&c, "partb-pdf").await;
    toast_says(&c, "Zapisano formularz opinii:").await;
    new_file(saved.path(), &before, "pdf", b"%PDF").await;
    // The bar offering to open or print the file is closed before typing on.
    click_css(&c, "#saved-bar button.small").await;
    wait_js(
        &c,
        "return !document.getElementById('saved-bar')",
        "the saved bar closed",
    )
    .await;

    // An opinion from the urn: a date from the future refused at its field, the answers kept.
    screenshot(&c, "legal-aid-story-partb").await;
    js(
        &c,
        "document.querySelector('main .detail-pane').scrollTop = 0; return true",
    )
    .await;
    type_into(
        &c,
        "#opinion-form input[name=filled_on]",
        &pl(today + Days::new(10)),
    )
    .await;
    for id in [
        "rating-5",
        "understandable-yes",
        "helpful-yes",
        "would_recommend-unsure",
    ] {
        click(&c, id).await;
    }
    type_into(
        &c,
        "#opinion-form textarea[name=remarks]",
        "Pani mecenas wszystko wyjaśniła.",
    )
    .await;
    click(&c, "save-opinion").await;
    wait_js(
        &c,
        "return !document.querySelector('#opinion-form [data-field=filled_on] .field-error').hidden",
        "the future date at its field",
    )
    .await;
    let kept = js(&c, "const f = document.getElementById('opinion-form'); return [f.querySelector('[name=rating]:checked').value, f.querySelector('[name=would_recommend]:checked').value, f.querySelector('[name=remarks]').value]").await;
    assert_eq!(
        kept,
        json!(["5", "unsure", "Pani mecenas wszystko wyjaśniła."])
    );
    screenshot(&c, "legal-aid-story-opinion-date").await;
    type_into(&c, "#opinion-form input[name=filled_on]", &pl(today)).await;
    click(&c, "save-opinion").await;
    toast_says(&c, "Zapisano opinię.").await;
    wait_js(
        &c,
        "return document.querySelectorAll('main .larow.vrow.opinion').length === 1",
        "the opinion listed",
    )
    .await;
    let row = js(
        &c,
        "return document.querySelector('main .larow.vrow.opinion').textContent",
    )
    .await;
    assert!(
        row.as_str().unwrap().contains("ocena 5/5")
            && row.as_str().unwrap().contains("poleca: trudno powiedzieć"),
        "{row}"
    );
    // The next one starts empty, at the same point and date.
    let next = js(&c, "const f = document.getElementById('opinion-form'); return [f.querySelector('[name=rating]:checked').value, f.querySelector('[name=point_id]').selectedOptions[0].textContent, f.querySelector('[name=filled_on]').value, f.querySelector('[name=remarks]').value]").await;
    assert_eq!(
        next,
        json!(["", format!("3 — {POINT_NAME}"), pl(today), ""])
    );
    screenshot(&c, "legal-aid-story-opinions").await;

    // Sprawozdanie dla starosty: this quarter counts the one card and the one opinion.
    click(&c, "legal-aid-tab-report").await;
    wait_js(
        &c,
        "return document.getElementById('period-quarter')?.getAttribute('aria-pressed') === 'true' && document.getElementById('starosta-cards')?.textContent === '1' && document.getElementById('starosta-opinions')?.textContent === '1'",
        "one card and one opinion this quarter",
    )
    .await;
    let figures = js(
        &c,
        r#"const cell = (sel) => document.querySelector(sel)?.textContent;
        return [cell('#starosta-in-point'), cell('#starosta-remote'), cell('#starosta-statements'),
          cell('#starosta-by-area tr[data-code=labour] td'), cell('#starosta-by-help-kind tr[data-code=letter] td'),
          cell('#starosta-by-rating tr[data-code="5"] td'), cell('#starosta-answers tr[data-field=would_recommend]')];"#,
    )
    .await;
    let figures: Vec<String> = serde_json::from_value(figures).unwrap();
    assert_eq!(&figures[..6], ["1", "0", "1", "1", "1", "1"], "{figures:?}");
    assert!(
        figures[6].contains("Czy poleciłaby Pani / poleciłby Pan tę pomoc innym osobom?"),
        "{figures:?}"
    );
    screenshot(&c, "legal-aid-story-report").await;
    let before = files_in(saved.path());
    click(&c, "starosta-pdf").await;
    toast_says(&c, "Zapisano sprawozdanie:").await;
    new_file(saved.path(), &before, "pdf", b"%PDF").await;
    let before = files_in(saved.path());
    click(&c, "starosta-xlsx").await;
    toast_says(&c, "Zapisano sprawozdanie:").await;
    new_file(saved.path(), &before, "xlsx", b"PK").await;
    assert!(c.get_alert_text().await.is_err(), "no native box");
    finish(c).await;

    // What the window saved, read back through the core.
    let k = kartoteka_core::Kartoteka::open(&db).await.unwrap();
    let cards = k
        .legal_aid_cards(&CardQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(cards.total, 1);
    let card = k
        .legal_aid_card(cards.items[0].advice_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            card.given_on,
            card.minutes,
            card.profession.as_str(),
            card.area.as_str(),
            card.form.as_str()
        ),
        (today, Some(45), "radca", "labour", "point")
    );
    assert_eq!(card.help_kinds, vec!["info", "letter"]);
    assert_eq!(
        (card.statement_signed, card.statement_on, card.visits),
        (true, Some(today), 1)
    );
    let opinions = k
        .legal_aid_opinions(&OpinionQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(opinions.total, 1);
    let o = &opinions.items[0];
    assert_eq!(
        (
            o.filled_on,
            o.rating,
            o.understandable.as_deref(),
            o.would_recommend.as_deref()
        ),
        (today, Some(5), Some("yes"), Some("unsure"))
    );
}

/// What the check reads: main buttons off screen or cut at the side, panes scrolling sideways,
/// a list row's text drawn outside its cell, a tab's name cut.
const LAYOUT: &str = r#"
    const out = [];
    const vw = window.innerWidth, vh = window.innerHeight;
    const seen = (el) => el.getClientRects().length > 0;
    const name = (el) => (el.id ? '#' + el.id : '') + ' "' + el.textContent.trim().slice(0, 40) + '"';
    for (const b of document.querySelectorAll('main .pane-title button, main .record-head button, main .sticky button, main .legal-aid-tabs button')) {
      if (!seen(b)) continue;
      const r = b.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) out.push('off screen: ' + name(b));
    }
    for (const b of document.querySelectorAll('main button, main input, main select, dialog[open] button')) {
      if (!seen(b)) continue;
      const r = b.getBoundingClientRect();
      let box = b.parentElement;
      while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
      const clip = box && box !== document.body ? box.getBoundingClientRect() : { left: 0, right: vw };
      if (r.width > 0 && (r.left < clip.left - 0.5 || r.right > clip.right + 0.5 || r.right > vw + 0.5)) out.push('cut at the side: ' + b.tagName + ' ' + name(b));
    }
    for (const p of document.querySelectorAll('main, main .detail-pane, main .list-pane, main .vlist, main > *, main .settings-section, main table, dialog[open]')) {
      if (seen(p) && p.scrollWidth > p.clientWidth + 1) {
        // Named with what sticks out furthest, to be found at once.
        const edge = p.getBoundingClientRect().right;
        let widest = null;
        for (const d of p.querySelectorAll('*')) if (seen(d) && d.getBoundingClientRect().right > edge + 1 && (!widest || d.getBoundingClientRect().right > widest.getBoundingClientRect().right)) widest = d;
        if (!widest) {
          // Something drawn past its own box (text, a control's inside): the innermost such.
          const far = [...p.querySelectorAll('*')].filter((d) => seen(d) && d.getBoundingClientRect().left + d.scrollWidth > edge + 1);
          widest = far.find((d) => !far.some((x) => x !== d && d.contains(x))) || null;
        }
        out.push('scrolls sideways: ' + (p.id || p.className || p.tagName) + ' ' + p.scrollWidth + '>' + p.clientWidth + (widest ? ' (' + widest.tagName + '.' + widest.className + ' ' + name(widest) + ')' : ''));
      }
    }
    // Tables wider than their pane (a column pushed out).
    for (const t of document.querySelectorAll('main table')) {
      if (!seen(t)) continue;
      const pane = t.closest('.detail-pane, .list-pane, .settings-section') || document.querySelector('main');
      if (t.getBoundingClientRect().right > pane.getBoundingClientRect().right + 0.5) out.push('table wider than its pane: ' + (t.id || t.className));
    }
    for (const row of document.querySelectorAll('main .larow.vrow')) {
      const r = row.getBoundingClientRect();
      for (const cell of row.children) {
        if (!seen(cell)) continue;
        const c = cell.getBoundingClientRect();
        if (c.bottom > r.bottom + 0.5 || c.top < r.top - 0.5 || c.right > r.right + 0.5) out.push('row text overflows: ' + name(cell));
      }
    }
    // The tabs' and period buttons' names are whole (wrapped, never cut); labels too.
    for (const b of document.querySelectorAll('main .legal-aid-tabs button, main .legal-aid-periods button, main label, main legend')) {
      if (!seen(b)) continue;
      if (b.scrollWidth > b.clientWidth + 1) out.push('text cut: ' + name(b));
    }
    return out;"#;

async fn check(c: &Client, what: &str, problems: &mut Vec<String>) {
    check_with(c, what, problems, LAYOUT).await
}

/// The same, scrolled down: the record's head and the form's save bar are above, as they
/// should be, and are not looked for on screen.
async fn check_scrolled(c: &Client, what: &str, problems: &mut Vec<String>) {
    let script = LAYOUT.replace("main .record-head button, main .sticky button, ", "");
    check_with(c, what, problems, &script).await
}

async fn check_with(c: &Client, what: &str, problems: &mut Vec<String>, script: &str) {
    tokio::time::sleep(Duration::from_millis(600)).await;
    let found: Vec<String> = serde_json::from_value(js(c, script).await).unwrap();
    problems.extend(found.into_iter().map(|p| format!("{what}: {p}")));
    screenshot(c, &format!("legal-aid-{what}")).await;
}

/// The demonstration's point at 1280×720, text size A, A+ and A++: Karty, a card's advice
/// record and its form with the card, Opinie with the form and an opinion open, the starosta's
/// figures (a quarter and own dates), Dyżury i zapisy (top and end) and Ustawienia › Punkt NPP.
#[tokio::test(flavor = "multi_thread")]
async fn the_legal_aid_point_reads_at_1280x720_at_every_text_size() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let (_dir, db) = demo_file(30, 40, 7);
    let (_driver, c) = start(&db).await;
    at_1280x720(&c).await;
    let mut problems = Vec::new();
    for (size, label) in [("0", "A"), ("1", "Ap"), ("2", "App")] {
        js(
            &c,
            &format!(
                "document.querySelector('#text-size [data-size=\"{size}\"]').click(); return true"
            ),
        )
        .await;
        click_css(&c, "#sections [data-view=legal_aid]").await;
        click(&c, "legal-aid-tab-cards").await;
        wait_js(
            &c,
            "return document.querySelectorAll('main .larow.vrow.card').length > 3",
            "the demonstration's cards",
        )
        .await;
        check(&c, &format!("cards-{label}"), &mut problems).await;

        // A card opens its advice record; the record shows the card, its form the card's fields.
        click_css(&c, "main .larow.vrow.card").await;
        wait_js(
            &c,
            "return !!document.querySelector('#advice-record #legal-aid-facts') && !!document.querySelector('#advice-record #card-pdf')",
            "a card's advice record",
        )
        .await;
        check(&c, &format!("advice-card-{label}"), &mut problems).await;
        js(&c, "const d = document.querySelector('main .detail-pane'); d.scrollTop = d.scrollHeight; return true").await;
        check_scrolled(&c, &format!("advice-card-end-{label}"), &mut problems).await;
        js(
            &c,
            "document.querySelector('main .detail-pane').scrollTop = 0; return true",
        )
        .await;
        click(&c, "edit-record").await;
        wait_js(
            &c,
            "return !!document.getElementById('advice-form') && !document.getElementById('legal-aid-card').hidden",
            "the advice form with its card",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        js(&c, "const d = document.querySelector('main .detail-pane'); d.scrollTop += document.getElementById('legal-aid-card').getBoundingClientRect().top - d.getBoundingClientRect().top; return true").await;
        check(&c, &format!("advice-form-card-{label}"), &mut problems).await;
        escape(&c).await;
        wait_js(
            &c,
            "return !document.getElementById('advice-form')",
            "the form left",
        )
        .await;

        click_css(&c, "#sections [data-view=legal_aid]").await;
        click(&c, "legal-aid-tab-opinions").await;
        wait_js(
            &c,
            "return !!document.getElementById('opinion-form') && document.querySelectorAll('main .larow.vrow.opinion').length > 3",
            "Opinie with the demonstration's opinions",
        )
        .await;
        check(&c, &format!("opinions-{label}"), &mut problems).await;
        js(&c, "const d = document.querySelector('main .detail-pane'); d.scrollTop = d.scrollHeight; return true").await;
        check_scrolled(&c, &format!("opinions-partb-{label}"), &mut problems).await;
        click_css(&c, "main .larow.vrow.opinion").await;
        wait_js(
            &c,
            "return !!document.getElementById('opinion-record')",
            "an opinion open",
        )
        .await;
        check(&c, &format!("opinion-{label}"), &mut problems).await;

        click(&c, "legal-aid-tab-report").await;
        wait_js(
            &c,
            "return Number(document.getElementById('starosta-cards')?.textContent.replace(/\\s/g, '')) > 0",
            "the quarter's figures",
        )
        .await;
        check(&c, &format!("report-{label}"), &mut problems).await;
        click(&c, "period-year").await;
        wait_js(
            &c,
            "return document.getElementById('period-year').getAttribute('aria-pressed') === 'true' && (document.getElementById('starosta-period')?.textContent || '').startsWith('01.01.')",
            "this year's figures",
        )
        .await;
        js(&c, "const d = document.querySelector('main .detail-pane'); d.scrollTop = d.scrollHeight; return true").await;
        check(&c, &format!("report-year-end-{label}"), &mut problems).await;
        click(&c, "period-own").await;
        wait_js(
            &c,
            "return !!document.getElementById('starosta-from') && !!document.getElementById('starosta-to')",
            "own dates",
        )
        .await;
        check(&c, &format!("report-own-{label}"), &mut problems).await;
        click(&c, "period-quarter").await;

        click(&c, "legal-aid-tab-schedule").await;
        wait_js(
            &c,
            "return !!document.getElementById('day-duty') && !!document.getElementById('appointment-form') && !!document.querySelector('#duty-hours tbody tr')",
            "Dyżury i zapisy with the demonstration's week",
        )
        .await;
        check(&c, &format!("schedule-{label}"), &mut problems).await;
        js(&c, "for (const p of document.querySelectorAll('main .detail-pane, main .legal-aid-day')) p.scrollTop = p.scrollHeight; return true").await;
        check_scrolled(&c, &format!("schedule-end-{label}"), &mut problems).await;

        click_css(&c, "#sections [data-view=settings]").await;
        click(&c, "settings-tab-legal_aid").await;
        wait_js(
            &c,
            "return !!document.querySelector('#legal-aid-points tbody tr') && !!document.getElementById('legal-aid-version-form')",
            "Ustawienia › Punkt NPP",
        )
        .await;
        check(&c, &format!("settings-{label}"), &mut problems).await;
        js(&c, "const s = document.querySelector('main .settings'); s.scrollTop = s.scrollHeight; return true").await;
        check(&c, &format!("settings-end-{label}"), &mut problems).await;
    }
    js(
        &c,
        "document.querySelector('#text-size [data-size=\"0\"]').click(); return true",
    )
    .await;
    assert!(c.get_alert_text().await.is_err(), "no native box");
    assert!(
        problems.is_empty(),
        "Punkt NPP at 1280×720:\n{}",
        problems.join("\n")
    );
    finish(c).await;
}

/// Ustawienia › Punkt NPP changes a list the card offers (an area added, one switched off), the
/// card's "Usuń kartę" asks in the app's dialog and leaves the advice record, and an opinion
/// opened from the list is deleted after the same question.
#[tokio::test(flavor = "multi_thread")]
async fn lists_change_the_card_and_a_card_and_an_opinion_are_removed() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    // The window runs on a file.
    let db = crate::util::fresh_file().await;
    let k = &db.k;
    let today = Local::now().date_naive();
    let point = k
        .save_legal_aid_point(
            None,
            &kartoteka_core::legal_aid::LegalAidPointInput {
                number: "7".into(),
                name: POINT_NAME.into(),
                active: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let category = k
        .advice_categories()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.active)
        .unwrap()
        .code;
    let advice_id = k
        .save_legal_aid_help(
            None,
            &kartoteka_core::advice::AdviceInput {
                given_on: pl(today),
                advisor: ADVISOR.into(),
                channel: "in_person".into(),
                minutes: "30".into(),
                categories: vec![category],
                outcome: "advice".into(),
                ..Default::default()
            },
            &kartoteka_core::legal_aid::LegalAidCardInput {
                aid_type: "npp".into(),
                point_id: Some(point),
                provider: ADVISOR.into(),
                profession: "adwokat".into(),
                form: "point".into(),
                help_kinds: vec!["info".into()],
                area: "family".into(),
                statement_signed: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    k.save_legal_aid_opinion(&kartoteka_core::legal_aid::OpinionInput {
        point_id: Some(point),
        filled_on: pl(today),
        rating: "4".into(),
        helpful: "yes".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    db.k.close().await;

    let (_driver, c) = start(&db.path()).await;
    at_1280x720(&c).await;

    // A new area of law added, "prawo karne" switched off: one save for the list.
    click_css(&c, "#sections [data-view=settings]").await;
    click(&c, "settings-tab-legal_aid").await;
    wait_js(
        &c,
        "return !!document.querySelector('#legal-aid-list-area tr[data-code=criminal]')",
        "the areas of law",
    )
    .await;
    click_css(
        &c,
        "#legal-aid-list-area tr[data-code=criminal] input[type=checkbox]",
    )
    .await;
    click_css(&c, "#legal-aid-list-area [data-add-legal-aid-entry]").await;
    type_into(
        &c,
        "#legal-aid-list-area tbody tr:last-child input.code",
        "consumer",
    )
    .await;
    type_into(
        &c,
        "#legal-aid-list-area tbody tr:last-child input.name",
        "prawa konsumenta",
    )
    .await;
    click_css(&c, "#legal-aid-list-area [data-save-legal-aid-list]").await;
    toast_says(&c, "Zapisano 2 pozycje.").await;
    screenshot(&c, "legal-aid-lists-saved").await;

    // The card's form offers the new area and no longer the one switched off.
    js(
        &c,
        &format!(
            "import('./js/app.js').then(a => a.go('advice', {{ open: {advice_id} }})); return true"
        ),
    )
    .await;
    wait_js(
        &c,
        "return !!document.querySelector('#advice-record #legal-aid-facts #card-remove')",
        "the advice record with its card",
    )
    .await;
    click(&c, "edit-record").await;
    wait_js(
        &c,
        "return !!document.getElementById('advice-form') && document.getElementById('card-toggle').checked",
        "the form with the card on",
    )
    .await;
    let areas = js(
        &c,
        "return [...document.querySelectorAll('#advice-form select[name=area] option')].map(o => o.value)",
    )
    .await;
    let areas: Vec<String> = serde_json::from_value(areas).unwrap();
    assert!(
        areas.contains(&"consumer".to_string()) && !areas.contains(&"criminal".to_string()),
        "{areas:?}"
    );
    escape(&c).await;
    wait_js(
        &c,
        "return !document.getElementById('advice-form')",
        "the form left",
    )
    .await;
    click_css(&c, &format!("main .arow.vrow[data-id=\"{advice_id}\"]")).await;
    wait_js(
        &c,
        "return !!document.getElementById('card-remove')",
        "the record again",
    )
    .await;

    // "Usuń kartę": asked in the app's dialog; the advice record stays without its card.
    click(&c, "card-remove").await;
    wait_js(
        &c,
        "return !!document.querySelector('dialog[open] [data-answer=ok]')",
        "the question about the card",
    )
    .await;
    assert!(c.get_alert_text().await.is_err(), "no native box");
    click_css(&c, "dialog[open] [data-answer=ok]").await;
    toast_says(&c, "Usunięto kartę pomocy; porada została.").await;
    wait_js(
        &c,
        "return !!document.getElementById('advice-record') && !!document.getElementById('card-add') && !document.getElementById('card-pdf')",
        "the record without a card",
    )
    .await;

    // An opinion opened from the list and deleted after the same question.
    click_css(&c, "#sections [data-view=legal_aid]").await;
    click(&c, "legal-aid-tab-cards").await;
    wait_js(
        &c,
        "return !!document.querySelector('main .empty') && !document.querySelector('main .larow.vrow')",
        "no card left",
    )
    .await;
    click(&c, "legal-aid-tab-opinions").await;
    click_css(&c, "main .larow.vrow.opinion").await;
    wait_js(
        &c,
        "return !!document.getElementById('opinion-record')",
        "the opinion",
    )
    .await;
    click(&c, "opinion-delete").await;
    wait_js(
        &c,
        "return !!document.querySelector('dialog[open] [data-answer=ok]')",
        "the question about the opinion",
    )
    .await;
    click_css(&c, "dialog[open] [data-answer=ok]").await;
    toast_says(&c, "Usunięto opinię.").await;
    wait_js(
        &c,
        "return !document.querySelector('main .larow.vrow.opinion') && !!document.getElementById('opinion-form')",
        "no opinion left, the form ready",
    )
    .await;
    finish(c).await;

    let k = kartoteka_core::Kartoteka::open(&db.path()).await.unwrap();
    assert!(k.legal_aid_card(advice_id).await.unwrap().is_none());
    assert!(k.advice(advice_id).await.is_ok(), "the advice record stays");
    let setup = k.legal_aid_setup().await.unwrap();
    let area = |code: &str| {
        setup
            .lists
            .iter()
            .find(|e| e.kind == "area" && e.code == code)
            .cloned()
    };
    assert_eq!(
        area("consumer").map(|e| (e.name, e.active)),
        Some(("prawa konsumenta".into(), true))
    );
    assert_eq!(area("criminal").map(|e| e.active), Some(false));
    assert_eq!(
        k.legal_aid_opinions(&OpinionQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .total,
        0
    );
}

/// Dyżury i zapisy: a duty hour added through the window for the weekday of a day three days
/// ahead (reached with ▶), a person booked from a free-slot button, a time outside the duty
/// hours refused at the time field (everything typed kept), the day's list printed and the
/// appointment deleted after the app's own question.
#[tokio::test(flavor = "multi_thread")]
async fn duty_hours_and_an_appointment_booked_printed_and_deleted() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh_file().await;
    let point =
        db.k.save_legal_aid_point(
            None,
            &kartoteka_core::legal_aid::LegalAidPointInput {
                number: "5".into(),
                name: POINT_NAME.into(),
                active: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    db.k.close().await;
    let saved = tempfile::tempdir().unwrap();
    let day = Local::now().date_naive() + Days::new(3);
    let weekday = chrono::Datelike::weekday(&day).number_from_monday();
    let (_driver, c) = start_with(&db.path(), &[("KARTOTEKA_SAVE_DIR", saved.path())]).await;
    at_1280x720(&c).await;

    click_css(&c, "#sections [data-view=legal_aid]").await;
    click(&c, "legal-aid-tab-schedule").await;
    wait_js(
        &c,
        "return !!document.getElementById('duty-form') && !!document.getElementById('duty-hours-none') && (document.getElementById('day-duty')?.textContent || '') === 'brak dyżuru tego dnia'",
        "the schedule without duty hours",
    )
    .await;
    let hint = js(
        &c,
        "return document.getElementById('day-keep-hint').textContent",
    )
    .await;
    assert_eq!(hint, json!("Zapisy są usuwane 30 dni po terminie."));

    // The week's duty hour, added in the window.
    js(
        &c,
        &format!("const s = document.querySelector('#duty-form select[name=weekday]'); s.value = '{weekday}'; s.dispatchEvent(new Event('change', {{bubbles: true}})); return true"),
    )
    .await;
    type_into(&c, "#duty-form input[name=starts]", "9:00").await;
    type_into(&c, "#duty-form input[name=ends]", "13:00").await;
    type_into(
        &c,
        "#duty-form input[name=on_duty]",
        "adwokat Anna Borowska",
    )
    .await;
    click(&c, "duty-add").await;
    toast_says(&c, "Dodano dyżur.").await;
    wait_js(
        &c,
        "return document.querySelectorAll('#duty-hours tbody tr').length === 1",
        "the duty hour listed",
    )
    .await;

    // Three days ahead with ▶: the duty, no one booked, the free half-hours.
    for ahead in 1..=3 {
        click(&c, "day-next").await;
        wait_js(
            &c,
            &format!(
                "return document.getElementById('day-date').value === {:?}",
                pl(Local::now().date_naive() + Days::new(ahead))
            ),
            "the next day in the picker",
        )
        .await;
    }
    wait_js(
        &c,
        &format!("return document.getElementById('day-date').value === {:?} && document.getElementById('day-duty')?.textContent === 'Dyżur: 09:00–13:00 adwokat Anna Borowska' && !!document.getElementById('slot-1000')", pl(day)),
        "the day with its duty",
    )
    .await;
    click(&c, "slot-1000").await;
    wait_js(
        &c,
        "return document.querySelector('#appointment-form input[name=starts]').value === '10:00' && document.activeElement?.name === 'client_name'",
        "the slot's time in the form",
    )
    .await;
    type_here(&c, "Jan Nowak").await;
    type_into(&c, "#appointment-form input[name=phone]", "600 100 200").await;
    click_css(&c, "#appointment-form input[name=out_of_turn]").await;
    click(&c, "save-appointment").await;
    toast_says(&c, "Zapisano: Jan Nowak, godz. 10:00.").await;
    wait_js(
        &c,
        "const rows = document.querySelectorAll('#day-appointments li'); return rows.length === 1 && rows[0].textContent.includes('Jan Nowak') && rows[0].textContent.includes('poza kolejnością') && !document.getElementById('slot-1000') && !!document.getElementById('slot-1030')",
        "the appointment listed, its slot taken",
    )
    .await;
    screenshot(&c, "legal-aid-schedule-booked").await;

    // Outside the duty hours: refused at the time field, everything typed kept.
    type_into(&c, "#appointment-form input[name=starts]", "15:00").await;
    type_into(
        &c,
        "#appointment-form input[name=client_name]",
        "Ewa Zielińska",
    )
    .await;
    type_into(&c, "#appointment-form input[name=phone]", "600 300 400").await;
    click(&c, "save-appointment").await;
    wait_js(
        &c,
        "return !document.querySelector('#appointment-form [data-field=starts] .field-error').hidden",
        "the time refused at its field",
    )
    .await;
    let kept = js(
        &c,
        "const f = document.getElementById('appointment-form'); return [f.querySelector('[name=starts]').value, f.querySelector('[name=client_name]').value, f.querySelector('[name=phone]').value, f.querySelector('[name=starts]').getAttribute('aria-invalid'), document.querySelectorAll('#day-appointments li').length]",
    )
    .await;
    assert_eq!(
        kept,
        json!(["15:00", "Ewa Zielińska", "600 300 400", "true", 1])
    );
    screenshot(&c, "legal-aid-schedule-refused").await;

    // The day's list printed into the save folder.
    let before = files_in(saved.path());
    click(&c, "day-pdf").await;
    new_file(saved.path(), &before, "pdf", b"%PDF").await;

    // Deleted after the app's question.
    click_css(&c, "#day-appointments li button.danger").await;
    wait_js(
        &c,
        "return !!document.querySelector('dialog[open] [data-answer=ok]')",
        "the question about the appointment",
    )
    .await;
    assert!(c.get_alert_text().await.is_err(), "no native box");
    click_css(&c, "dialog[open] [data-answer=ok]").await;
    toast_says(&c, "Usunięto zapis.").await;
    wait_js(
        &c,
        "return !!document.getElementById('day-appointments-none') && !!document.getElementById('slot-1000')",
        "no one booked, the slot free again",
    )
    .await;
    finish(c).await;

    let k = kartoteka_core::Kartoteka::open(&db.path()).await.unwrap();
    let hours = k.legal_aid_duty_hours(Some(point)).await.unwrap();
    assert_eq!(
        hours
            .iter()
            .map(|d| (
                d.weekday,
                d.starts.as_str(),
                d.ends.as_str(),
                d.on_duty.as_str()
            ))
            .collect::<Vec<_>>(),
        vec![(weekday as i64, "09:00", "13:00", "adwokat Anna Borowska")]
    );
    let booked = k.legal_aid_day(point, &pl(day)).await.unwrap();
    assert!(booked.appointments.is_empty());
}
