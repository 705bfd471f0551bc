//! Biblioteka through the real window: a title added through its form (a wrong year refused at
//! its field, what was typed kept) and found in the catalogue without its Polish letters, one of
//! its copies lent to a reader picked by typing part of a name (their one organisation filled
//! in; without a reader the core refuses it at the field), the copy shown as lent and the loan
//! under "Wypożyczone", then taken back through the app's own question: on the shelf again and
//! the loan in the title's history and "Historia" as returned. And every tab, a title, the
//! forms and the library's settings at 1280×720 with text size A, A+ and A++.

use super::*;
use chrono::{Days, Local};
use kartoteka_core::library::{LoanQuery, LoanStatus, TitleInput, TitleQuery};
use kartoteka_core::register::{PersonInput, RoleInput};

const NEW_TITLE: &str = "Poradnik testowy źródła finansowania";
const OTHER_TITLE: &str = "Podręcznik ekonomii społecznej";
const READER: &str = "Bożena Czytelnicka";
const OTHER_READER: &str = "Jan Czytelniczy";
const READER_ORG: &str = "Fundacja Dobra Książka";

fn pl(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The text of the open title's copy rows, one string per copy.
async fn copy_rows(c: &Client) -> Vec<String> {
    serde_json::from_value(
        js(
            c,
            "return [...document.querySelectorAll('#title-copies tbody tr')].map(tr => tr.textContent)",
        )
        .await,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn lend_a_book_and_return_it() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh().await;
    let k = &db.k;
    let today = Local::now().date_naive();
    let org = crate::util::save_org(k, &crate::util::org(READER_ORG, "Białystok")).await;
    let reader = crate::util::save_person(
        k,
        &PersonInput {
            first_name: "Bożena".into(),
            last_name: "Czytelnicka".into(),
            emails: "bozena@example.pl".into(),
            roles: vec![RoleInput {
                organization_id: org,
                role: "wolontariuszka".into(),
            }],
            ..Default::default()
        },
    )
    .await;
    crate::util::save_person(
        k,
        &PersonInput {
            first_name: "Jan".into(),
            last_name: "Czytelniczy".into(),
            ..Default::default()
        },
    )
    .await;
    k.save_library_title(
        None,
        &TitleInput {
            title: OTHER_TITLE.into(),
            author: "Anna Kowalska".into(),
            subject: "ekonomia społeczna".into(),
            shelf_mark: "A-001".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    db.k.close().await;

    let (_driver, c) = start(&db.path()).await;
    at_1280x720(&c).await;
    click_css(&c, "#sections [data-view=library]").await;
    wait_js(
        &c,
        "return document.querySelectorAll('main .librow.vrow').length === 1",
        "the one title in the catalogue",
    )
    .await;

    // A new title through its form: a year from the future is refused at its field, the rest
    // of what was typed stays.
    click(&c, "new-title").await;
    wait_js(
        &c,
        "return !!document.getElementById('title-form')",
        "the title form",
    )
    .await;
    type_into(&c, "#title-form input[name=title]", NEW_TITLE).await;
    type_into(&c, "#title-form input[name=author]", "Łucja Żółć").await;
    type_into(&c, "#title-form input[name=year]", "3024").await;
    type_into(&c, "#title-form input[name=shelf_mark]", "F-017").await;
    type_into(&c, "#title-form input[name=copies]", "2").await;
    click(&c, "save-title").await;
    wait_js(
        &c,
        "return !document.querySelector('#title-form [data-field=year] .field-error').hidden",
        "the wrong year at its field",
    )
    .await;
    let kept = js(&c, "const f = document.getElementById('title-form'); return [f.title.value, f.author.value, f.shelf_mark.value, f.copies.value]").await;
    assert_eq!(kept, json!([NEW_TITLE, "Łucja Żółć", "F-017", "2"]));
    screenshot(&c, "library-story-wrong-year").await;
    type_into(&c, "#title-form input[name=year]", "2024").await;
    click(&c, "save-title").await;
    wait_js(
        &c,
        "return !!document.getElementById('title-record') && document.querySelectorAll('#title-copies tbody tr').length === 2",
        "the saved title with two copies",
    )
    .await;
    let rows = copy_rows(&c).await;
    assert!(
        rows.iter().all(|r| r.contains("na półce")),
        "both copies on the shelf: {rows:?}"
    );
    let title_id: i64 = js(
        &c,
        "return Number(document.getElementById('title-record').dataset.id)",
    )
    .await
    .as_i64()
    .unwrap();

    // Found in the catalogue without its Polish letters, the other title not.
    type_into(&c, "#library-search", "zrodla TESTOWY").await;
    wait_js(
        &c,
        &format!("const rows = [...document.querySelectorAll('main .librow.vrow')]; return rows.length === 1 && rows[0].dataset.id === '{title_id}'"),
        "only the new title found by \"zrodla\"",
    )
    .await;
    let row = js(
        &c,
        "return document.querySelector('main .librow.vrow').textContent",
    )
    .await;
    let row = row.as_str().unwrap();
    assert!(
        row.contains(NEW_TITLE)
            && row.contains("Łucja Żółć")
            && row.contains("2024")
            && row.contains("F-017")
            && row.contains("dostępne 2 z 2"),
        "{row}"
    );
    type_into(&c, "#library-search", "ekonomii spoleczne").await;
    wait_js(
        &c,
        &format!("const rows = [...document.querySelectorAll('main .librow.vrow')]; return rows.length === 1 && rows[0].textContent.includes({OTHER_TITLE:?})"),
        "the other title found without diacritics",
    )
    .await;
    type_into(&c, "#library-search", "zrodla").await;
    wait_js(
        &c,
        &format!("const rows = [...document.querySelectorAll('main .librow.vrow')]; return rows.length === 1 && rows[0].dataset.id === '{title_id}'"),
        "the new title again",
    )
    .await;
    screenshot(&c, "library-story-found").await;
    click_css(&c, &format!("main .librow.vrow[data-id=\"{title_id}\"]")).await;
    wait_js(
        &c,
        &format!("return document.getElementById('title-record')?.dataset.id === '{title_id}'"),
        "the title opened from the list",
    )
    .await;

    // Each copy numbered in its dialog; a number another copy has is refused at its field.
    let ids: Vec<i64> = serde_json::from_value(
        js(
            &c,
            "return [...document.querySelectorAll('#title-copies tbody tr')].map(tr => Number(tr.dataset.copy))",
        )
        .await,
    )
    .unwrap();
    assert_eq!(ids.len(), 2);
    for (n, (id, number)) in ids.iter().zip(["T-0001", "T-0002"]).enumerate() {
        click_css(
            &c,
            &format!("#title-copies button.copy-edit[data-copy=\"{id}\"]"),
        )
        .await;
        wait_js(
            &c,
            "return !!document.querySelector('dialog[open] #copy-dialog')",
            "the copy's dialog",
        )
        .await;
        if n == 1 {
            type_into(&c, "#copy-dialog input[name=inventory_number]", "T-0001").await;
            click(&c, "copy-save").await;
            wait_js(
                &c,
                "return !document.querySelector('#copy-dialog [data-field=inventory_number] .field-error').hidden",
                "the taken number at its field",
            )
            .await;
            let said = js(
                &c,
                "return document.querySelector('#copy-dialog [data-field=inventory_number] .field-error').textContent",
            )
            .await;
            assert!(
                said.as_str().unwrap().contains("numer inwentarzowy"),
                "{said}"
            );
            screenshot(&c, "library-story-number-taken").await;
        }
        type_into(&c, "#copy-dialog input[name=inventory_number]", number).await;
        click(&c, "copy-save").await;
        wait_js(
            &c,
            &format!("const tr = document.querySelector('#title-copies tr[data-copy=\"{id}\"]'); return !document.querySelector('dialog[open]') && !!tr && tr.textContent.includes('{number}')"),
            "the copy's number shown",
        )
        .await;
    }
    let copy_id = ids[0];

    // Lend the first copy: without a reader the core says so at the field; then the reader
    // found by part of the surname, their one organisation filled in by itself.
    click_css(
        &c,
        &format!("#title-copies button.copy-lend[data-copy=\"{copy_id}\"]"),
    )
    .await;
    wait_js(
        &c,
        &format!("return document.getElementById('lend-form')?.dataset.copy === '{copy_id}'"),
        "the lending form",
    )
    .await;
    let due_hint = js(
        &c,
        "return document.querySelector('#lend-form input[name=due_on]').placeholder",
    )
    .await;
    assert_eq!(
        due_hint,
        pl(today + Days::new(30)),
        "the default period shown"
    );
    click(&c, "save-loan").await;
    wait_js(
        &c,
        "return !document.querySelector('#lend-form [data-field=person_id] .field-error').hidden",
        "the missing reader at the field",
    )
    .await;
    type_into(&c, "#pick-person_id", "czytelnick").await;
    wait_js(&c, &format!("return [...document.querySelectorAll('#lend-form .suggestions li')].some(li => li.textContent.includes({READER:?}))"), "the reader suggested").await;
    let suggested = js(
        &c,
        "return document.querySelector('#lend-form .suggestions').textContent",
    )
    .await;
    assert!(
        !suggested.as_str().unwrap().contains(OTHER_READER),
        "{suggested}"
    );
    keys(&c, "pick-person_id", ENTER).await;
    wait_js(
        &c,
        &format!("const f = document.getElementById('lend-form'); return f.person_id.value === '{reader}' && f.organization_id.value === '{org}'"),
        "the reader and their organisation chosen",
    )
    .await;
    let org_shown = js(
        &c,
        "return document.getElementById('pick-organization_id').value",
    )
    .await;
    assert_eq!(org_shown, READER_ORG);
    screenshot(&c, "library-story-lend-form").await;
    click(&c, "save-loan").await;
    let due = pl(today + Days::new(30));
    toast_says(
        &c,
        &format!("Wypożyczono: egzemplarz nr T-0001 — {READER}, termin zwrotu {due}."),
    )
    .await;
    wait_js(
        &c,
        &format!("const tr = document.querySelector('#title-copies tr[data-copy=\"{copy_id}\"]'); return !!tr && tr.textContent.includes('wypożyczony: {READER}, do {due}')"),
        "the copy shown as lent",
    )
    .await;
    let rows = copy_rows(&c).await;
    assert_eq!(
        rows.iter().filter(|r| r.contains("na półce")).count(),
        1,
        "{rows:?}"
    );
    wait_js(
        &c,
        "return document.querySelector('main .librow.vrow')?.textContent.includes('dostępne 1 z 2')",
        "the catalogue row updated",
    )
    .await;
    wait_js(
        &c,
        "return (document.querySelector('#title-history tbody')?.textContent || '').includes('Bożena Czytelnicka')",
        "the loan in the title's history",
    )
    .await;
    screenshot(&c, "library-story-lent").await;

    // "Wypożyczone": the loan, counted in the tab.
    click(&c, "library-tab-open").await;
    wait_js(
        &c,
        "return document.querySelectorAll('main .librow.vrow.loan').length === 1 && (document.getElementById('library-count-open')?.textContent || '').includes('1')",
        "the loan under Wypożyczone",
    )
    .await;
    let loan_row = js(
        &c,
        "return document.querySelector('main .librow.vrow.loan').textContent",
    )
    .await;
    let loan_row = loan_row.as_str().unwrap();
    assert!(
        loan_row.contains(NEW_TITLE)
            && loan_row.contains(READER)
            && loan_row.contains(READER_ORG)
            && loan_row.contains(&format!("do {due}")),
        "{loan_row}"
    );
    screenshot(&c, "library-story-open-loans").await;

    // Taken back: the app's own question, then the copy on the shelf again.
    click_css(&c, "main .librow.vrow.loan").await;
    wait_js(
        &c,
        &format!("return document.getElementById('title-record')?.dataset.id === '{title_id}'"),
        "the title opened from the loan",
    )
    .await;
    click_css(
        &c,
        &format!("#title-copies button.copy-return[data-copy=\"{copy_id}\"]"),
    )
    .await;
    wait_js(
        &c,
        "return !!document.querySelector('dialog[open] [data-answer=ok]')",
        "the question about the return",
    )
    .await;
    let asked = js(
        &c,
        "return document.querySelector('dialog[open]').textContent",
    )
    .await;
    assert!(
        asked.as_str().unwrap().contains(READER) && asked.as_str().unwrap().contains(NEW_TITLE),
        "{asked}"
    );
    assert!(c.get_alert_text().await.is_err(), "no native box");
    screenshot(&c, "library-story-return-question").await;
    click_css(&c, "dialog[open] [data-answer=ok]").await;
    toast_says(&c, "Przyjęto zwrot").await;
    wait_js(
        &c,
        &format!("const tr = document.querySelector('#title-copies tr[data-copy=\"{copy_id}\"]'); return !!tr && tr.textContent.includes('na półce')"),
        "the copy back on the shelf",
    )
    .await;
    wait_js(
        &c,
        &format!("const tr = document.querySelector('#title-history tbody tr'); return !!tr && tr.classList.contains('returned') && tr.textContent.includes('{}')", pl(today)),
        "the loan in the title's history as returned today",
    )
    .await;
    wait_js(
        &c,
        "return !document.querySelector('main .librow.vrow.loan') && !!document.querySelector('main .empty')",
        "nothing left under Wypożyczone",
    )
    .await;
    screenshot(&c, "library-story-returned").await;

    // "Historia": the loan, returned today.
    click(&c, "library-tab-history").await;
    wait_js(
        &c,
        "return document.querySelectorAll('main .librow.vrow.loan.returned').length === 1",
        "the returned loan under Historia",
    )
    .await;
    let history = js(
        &c,
        "return document.querySelector('main .librow.vrow.loan').textContent",
    )
    .await;
    let history = history.as_str().unwrap();
    assert!(
        history.contains(NEW_TITLE) && history.contains(&format!("zwrot {}", pl(today))),
        "{history}"
    );
    screenshot(&c, "library-story-history").await;

    // The reader's page lists the book.
    js(
        &c,
        &format!(
            "import('./js/app.js').then(a => a.go('people', {{ open: {reader} }})); return true"
        ),
    )
    .await;
    wait_js(
        &c,
        &format!("return (document.getElementById('person-loans')?.textContent || '').includes({NEW_TITLE:?})"),
        "the loan on the reader's page",
    )
    .await;
    assert!(c.get_alert_text().await.is_err(), "no native box");
    finish(c).await;

    let k = kartoteka_core::Kartoteka::open(&db.path()).await.unwrap();
    let loans = k
        .loans(&LoanQuery {
            status: LoanStatus::All,
            item_id: Some(title_id),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(loans.total, 1, "{:?}", loans.items);
    let loan = &loans.items[0];
    assert_eq!(
        (loan.copy_id, loan.person_id, loan.organization_id),
        (copy_id, Some(reader), Some(org))
    );
    assert_eq!((loan.lent_on, loan.returned_on), (today, Some(today)));
    assert_eq!(loan.due_on, today + Days::new(30));
    let found = k
        .library_titles(&TitleQuery {
            search: "zrodla".into(),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(
        (
            found.items[0].year,
            found.items[0].copies,
            found.items[0].available
        ),
        (Some(2024), 2, 2)
    );
}

/// What the check reads: main buttons off screen or cut at the side, panes scrolling sideways,
/// and a list row's text drawn outside its cell.
const LAYOUT: &str = r#"
    const out = [];
    const vw = window.innerWidth, vh = window.innerHeight;
    const seen = (el) => el.getClientRects().length > 0;
    const name = (el) => (el.id ? '#' + el.id : '') + ' "' + el.textContent.trim().slice(0, 40) + '"';
    for (const b of document.querySelectorAll('main .pane-title button, main .record-head button, main .sticky button, main .library-tabs button, main .library-bar button')) {
      if (!seen(b)) continue;
      const r = b.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) out.push('off screen: ' + name(b));
    }
    for (const b of document.querySelectorAll('main button, dialog[open] button')) {
      if (!seen(b)) continue;
      const r = b.getBoundingClientRect();
      let box = b.parentElement;
      while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
      const clip = box && box !== document.body ? box.getBoundingClientRect() : { left: 0, right: vw };
      if (r.width > 0 && (r.left < clip.left - 0.5 || r.right > clip.right + 0.5 || r.right > vw + 0.5)) out.push('cut at the side: ' + name(b));
    }
    for (const p of document.querySelectorAll('main, main .detail-pane, main .list-pane, main .vlist, main > *, dialog[open]')) {
      if (seen(p) && p.scrollWidth > p.clientWidth + 1) out.push('scrolls sideways: ' + (p.className || p.tagName) + ' ' + p.scrollWidth + '>' + p.clientWidth);
    }
    for (const row of document.querySelectorAll('main .librow.vrow')) {
      const r = row.getBoundingClientRect();
      for (const cell of row.children) {
        if (!seen(cell)) continue;
        const c = cell.getBoundingClientRect();
        if (c.bottom > r.bottom + 0.5 || c.top < r.top - 0.5) out.push('row text overflows: ' + name(cell));
      }
      for (const b of row.querySelectorAll('.badge')) {
        const c = b.getBoundingClientRect();
        const cell = b.closest('.cell').getBoundingClientRect();
        if (seen(b) && (c.right > cell.right + 0.5 || c.width < 8 || b.scrollWidth > b.clientWidth + 1)) out.push('badge cut: ' + name(b));
      }
    }
    // The tabs' names are whole (wrapped, never cut).
    for (const b of document.querySelectorAll('main .library-tabs button')) {
      if (b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1) out.push('tab cut: ' + name(b));
    }
    return out;"#;

/// Opens the catalogue's first row and waits for its page (not the one open before).
async fn open_first_title(c: &Client) {
    let id = js(
        c,
        "return document.querySelector('main .librow.vrow.title').dataset.id",
    )
    .await;
    let id = id.as_str().unwrap().to_string();
    click_css(c, &format!("main .librow.vrow.title[data-id=\"{id}\"]")).await;
    wait_js(
        c,
        &format!("return document.getElementById('title-record')?.dataset.id === '{id}'"),
        "the title's page",
    )
    .await;
}

async fn check(c: &Client, what: &str, problems: &mut Vec<String>) {
    check_with(c, what, problems, LAYOUT).await
}

async fn check_with(c: &Client, what: &str, problems: &mut Vec<String>, script: &str) {
    tokio::time::sleep(Duration::from_millis(600)).await;
    let found: Vec<String> = serde_json::from_value(js(c, script).await).unwrap();
    problems.extend(found.into_iter().map(|p| format!("{what}: {p}")));
    screenshot(c, &format!("library-{what}")).await;
}

/// The demonstration's library at 1280×720, text size A, A+ and A++: each tab, a title with a
/// copy out, the title's form, the lending form, a copy's dialog and Ustawienia → Biblioteka.
#[tokio::test(flavor = "multi_thread")]
async fn the_library_reads_at_1280x720_at_every_text_size() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let (_dir, db) = demo_file(30, 40, 7);
    let saved = tempfile::tempdir().unwrap();
    let (_driver, c) = start_with(&db, &[("KARTOTEKA_SAVE_DIR", saved.path())]).await;
    at_1280x720(&c).await;
    click_css(&c, "#sections [data-view=library]").await;
    wait_js(
        &c,
        "return !!document.querySelector('main .librow.vrow.title')",
        "the demonstration's catalogue",
    )
    .await;
    let mut problems = Vec::new();
    for (size, label) in [("0", "A"), ("1", "Ap"), ("2", "App")] {
        js(
            &c,
            &format!(
                "document.querySelector('#text-size [data-size=\"{size}\"]').click(); return true"
            ),
        )
        .await;
        click_css(&c, "#sections [data-view=library]").await;
        click(&c, "library-tab-catalog").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .librow.vrow.title')",
            "Katalog",
        )
        .await;
        check(&c, &format!("catalog-{label}"), &mut problems).await;
        click(&c, "library-tab-open").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .librow.vrow.loan')",
            "Wypożyczone",
        )
        .await;
        // The most overdue first.
        let first_late = js(
            &c,
            "return document.querySelector('main .librow.vrow.loan').classList.contains('overdue')",
        )
        .await;
        assert_eq!(first_late, true, "the most overdue loan first");
        // A title with a copy out (its page shows the copy, Przyjmij zwrot and Przedłuż).
        let item = js(
            &c,
            "return document.querySelector('main .librow.vrow.loan').dataset.item",
        )
        .await;
        click_css(&c, "main .librow.vrow.loan").await;
        wait_js(
            &c,
            &format!("return document.getElementById('title-record')?.dataset.id === {item} && !!document.querySelector('#title-copies button.copy-return') && !!document.querySelector('#title-history tbody tr')"),
            "a title with a copy out",
        )
        .await;
        check(&c, &format!("open-{label}"), &mut problems).await;
        js(
            &c,
            "const d = document.querySelector('main .detail-pane'); d.scrollTop += document.getElementById('title-copies').getBoundingClientRect().top - d.getBoundingClientRect().top; return true",
        )
        .await;
        // Scrolled down to the copies: the record's head is above, as it should be.
        check_with(
            &c,
            &format!("copies-{label}"),
            &mut problems,
            &LAYOUT.replace("main .record-head button, ", ""),
        )
        .await;
        js(
            &c,
            "document.querySelector('main .detail-pane').scrollTop = 0; return true",
        )
        .await;
        // A copy's dialog.
        click_css(&c, "#title-copies button.copy-edit").await;
        wait_js(
            &c,
            "return !!document.querySelector('dialog[open] #copy-dialog')",
            "the copy's dialog",
        )
        .await;
        check(&c, &format!("copy-dialog-{label}"), &mut problems).await;
        js(&c, "document.querySelector('dialog[open] #copy-dialog .actions button:not(.primary):not(.danger)').click(); return true").await;
        wait_js(
            &c,
            "return !document.querySelector('dialog[open]')",
            "the dialog closed",
        )
        .await;
        click(&c, "library-tab-overdue").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .librow.vrow.loan.overdue') && !!document.getElementById('library-remind')",
            "Po terminie",
        )
        .await;
        check(&c, &format!("overdue-{label}"), &mut problems).await;
        click(&c, "library-tab-history").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .librow.vrow.loan') && document.getElementById('library-tab-history').getAttribute('aria-pressed') === 'true'",
            "Historia",
        )
        .await;
        check(&c, &format!("history-{label}"), &mut problems).await;
        // A title on the shelf: the lending form.
        click(&c, "library-tab-catalog").await;
        click(&c, "library-available").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .librow.vrow.title')",
            "titles on the shelf",
        )
        .await;
        open_first_title(&c).await;
        click(&c, "title-lend").await;
        wait_js(
            &c,
            "return !!document.getElementById('lend-form')",
            "the lending form",
        )
        .await;
        check(&c, &format!("lend-form-{label}"), &mut problems).await;
        js(&c, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true, cancelable: true})); return true").await;
        wait_js(
            &c,
            "return !document.getElementById('lend-form') && !!document.getElementById('title-record')",
            "the lending form left",
        )
        .await;
        click(&c, "library-available").await;
        js(&c, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'n', ctrlKey: true, bubbles: true, cancelable: true})); return true").await;
        wait_js(
            &c,
            "return !!document.getElementById('title-form')",
            "the title form",
        )
        .await;
        check(&c, &format!("title-form-{label}"), &mut problems).await;
        js(&c, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true, cancelable: true})); return true").await;
        wait_js(
            &c,
            "return !document.getElementById('title-form')",
            "the form closed",
        )
        .await;
        // Ustawienia → Biblioteka.
        click_css(&c, "#sections [data-view=settings]").await;
        click(&c, "settings-tab-library").await;
        wait_js(
            &c,
            "return !!document.getElementById('library-settings-form')",
            "the library's settings",
        )
        .await;
        check(&c, &format!("settings-{label}"), &mut problems).await;
    }
    js(
        &c,
        "document.querySelector('#text-size [data-size=\"0\"]').click(); return true",
    )
    .await;
    // The settings: a wrong number at its field, a right one saved and used by the form.
    type_into(&c, "#library-settings-form input[name=loan_days]", "dużo").await;
    click(&c, "save-library-settings").await;
    wait_js(
        &c,
        "return !document.querySelector('#library-settings-form [data-field=loan_days] .field-error').hidden",
        "the wrong period at its field",
    )
    .await;
    type_into(&c, "#library-settings-form input[name=loan_days]", "400").await;
    click(&c, "save-library-settings").await;
    wait_js(
        &c,
        "return (document.querySelector('#library-settings-form [data-field=loan_days] .field-error')?.textContent || '').includes('365')",
        "the core's limit at the field",
    )
    .await;
    type_into(&c, "#library-settings-form input[name=loan_days]", "21").await;
    click(&c, "save-library-settings").await;
    toast_says(&c, "Zapisano ustawienia biblioteki.").await;
    click_css(&c, "#sections [data-view=library]").await;
    click(&c, "library-tab-catalog").await;
    click(&c, "library-available").await;
    wait_js(
        &c,
        "return !!document.querySelector('main .librow.vrow.title')",
        "titles on the shelf",
    )
    .await;
    open_first_title(&c).await;
    click(&c, "title-lend").await;
    wait_js(
        &c,
        &format!(
            "return document.querySelector('#lend-form input[name=due_on]')?.placeholder === '{}'",
            pl(Local::now().date_naive() + Days::new(21))
        ),
        "the new period in the lending form",
    )
    .await;
    js(&c, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true, cancelable: true})); return true").await;

    // "Po terminie": the whole list printed (a PDF where the save dialog would put it), the
    // reminders queued with their counts told.
    click(&c, "library-tab-overdue").await;
    click(&c, "library-sheet-all").await;
    toast_says(&c, "Zapisano listę przetrzymanych książek:").await;
    let pdf = saved.path().join("zalegle-wypozyczenia.pdf");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"), "{pdf:?}");
    click(&c, "library-remind").await;
    toast_says(&c, "Przypomnienia w kolejce poczty: pierwsze ").await;
    wait_js(
        &c,
        "return !!document.getElementById('library-reminders')",
        "what the reminders did, beside the list",
    )
    .await;
    let told = js(
        &c,
        "return document.getElementById('library-reminders').textContent",
    )
    .await;
    assert!(
        !told.as_str().unwrap().contains("pierwsze 0,"),
        "the demonstration's overdue readers with e-mail reminded: {told}"
    );
    check(&c, "reminders-A", &mut problems).await;
    assert!(c.get_alert_text().await.is_err(), "no native box");
    assert!(
        problems.is_empty(),
        "Biblioteka at 1280×720:\n{}",
        problems.join("\n")
    );
    finish(c).await;
}
