//! Documents, settings and words through the real window: Ustawienia in sections saving Dane
//! biura (refused at the field, kept as typed), one save per dictionary list, the office's name
//! on the annual report with "Otwórz"/"Drukuj" offered after saving, and the mail editor
//! turning formatting (and pasted HTML, sanitised) into the Markdown that is saved.

use super::*;

fn pdf_flat(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_sections_save_the_office_details_and_the_annual_report_prints_them() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh().await;
    db.k.close().await;
    let saved = tempfile::tempdir().unwrap();
    let (_driver, c) = start_with(&db.path(), &[("KARTOTEKA_SAVE_DIR", saved.path())]).await;

    js(
        &c,
        "document.querySelector('[data-view=settings]').click(); return true",
    )
    .await;
    wait_js(
        &c,
        "return !!document.getElementById('office-form')",
        "Dane biura, the first section",
    )
    .await;
    let tabs = js(
        &c,
        "return [...document.querySelectorAll('.settings-nav [role=tab]')].map(b => b.textContent)",
    )
    .await;
    assert_eq!(
        tabs,
        json!([
            "Dane biura",
            "Użytkownik",
            "Listy słownikowe",
            "Sale i stanowisko",
            "Biblioteka",
            "Punkt NPP",
            "Poczta",
            "Kopie i RODO",
            "Baza na serwerze",
            "O programie"
        ])
    );

    // A wrong NIP is refused at its field and everything typed stays.
    type_into(
        &c,
        "#office-form input[name=name]",
        "Biuro Porad Obywatelskich w Lesznie",
    )
    .await;
    type_into(
        &c,
        "#office-form input[name=address]",
        "ul. Słowiańska 12, 64-100 Leszno",
    )
    .await;
    type_into(&c, "#office-form input[name=nip]", "526-000-12-47").await;
    click(&c, "save-office").await;
    wait_js(
        &c,
        "return !document.querySelector('#office-form [data-field=nip] .field-error').hidden",
        "the NIP error",
    )
    .await;
    let kept = js(
        &c,
        "return document.querySelector('#office-form input[name=name]').value",
    )
    .await;
    assert_eq!(kept, json!("Biuro Porad Obywatelskich w Lesznie"));
    type_into(&c, "#office-form input[name=nip]", "526-000-12-46").await;
    click(&c, "save-office").await;
    wait_js(
        &c,
        "return document.querySelector('#office-form input[name=nip]').value === '5260001246'",
        "the saved, normalised NIP",
    )
    .await;
    screenshot(&c, "settings-office").await;

    // Dictionary lists: one "Zapisz listę" per list, none per row.
    click(&c, "settings-tab-lists").await;
    wait_js(
        &c,
        "return !!document.querySelector('#list-areas tbody tr')",
        "the lists section",
    )
    .await;
    let buttons = js(&c, "return [document.querySelectorAll('[data-save-list]').length, document.querySelectorAll('.areas-table tbody button').length, !!document.getElementById('office-form')]").await;
    assert_eq!(
        buttons,
        json!([3, 0, false]),
        "three lists, one save each, one section shown"
    );
    type_into(
        &c,
        "#list-topics tbody tr:first-child input.name",
        "zarządzanie organizacją i zespołem",
    )
    .await;
    click_css(&c, "#list-topics [data-save-list]").await;
    wait_js(&c, "return document.getElementById('toast').textContent.startsWith('Zapisano zmianę na liście')", "the list saved").await;
    screenshot(&c, "settings-lists").await;

    // The annual report takes the office from Dane biura; the saved file can be opened or printed.
    js(
        &c,
        "document.querySelector('[data-view=reports]').click(); return true",
    )
    .await;
    wait_js(
        &c,
        "return (document.getElementById('report-office')?.textContent || '').includes('Biuro Porad Obywatelskich w Lesznie')",
        "the office named on Raporty",
    )
    .await;
    click(&c, "annual-report").await;
    wait_js(&c, "return !!document.getElementById('saved-open') && !!document.getElementById('saved-print')", "Otwórz and Drukuj").await;
    screenshot(&c, "report-saved").await;
    let year = js(&c, "return document.getElementById('report-year').value").await;
    let pdf = saved
        .path()
        .join(format!("sprawozdanie-{}.pdf", year.as_str().unwrap()));
    let text = pdf_flat(&pdf);
    assert!(
        text.contains("Biuro Porad Obywatelskich w Lesznie")
            && text.contains("ul. Słowiańska 12, 64-100 Leszno · NIP 526-000-12-46"),
        "{text}"
    );
    // The window may hand to the system only a file Kartoteka has just saved, nothing else.
    let refused = bounded(
        "open_saved",
        c.execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.core.invoke('open_saved', { path: '/etc/passwd', print: false }).then(() => done('opened'), (e) => done(e.message || String(e)));",
            vec![],
        ),
    )
    .await;
    assert!(
        refused
            .as_str()
            .unwrap()
            .contains("nie został właśnie zapisany"),
        "{refused}"
    );
    finish(c).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mail_editor_turns_formatting_and_pasted_html_into_markdown() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh().await;
    db.k.close().await;
    let (_driver, c) = start(&db.path()).await;
    js(
        &c,
        "document.querySelector('[data-view=mail]').click(); return true",
    )
    .await;
    click(&c, "new-message").await;
    wait_js(
        &c,
        "const e = document.getElementById('mail-editor'); return !!e && !e.hidden && document.getElementById('mail-body').hidden",
        "the formatted editor",
    )
    .await;

    // A heading from the toolbar.
    type_into(&c, "#mail-editor", "Zaproszenie").await;
    click_css(&c, "#message-form .toolbar button[title='Nagłówek']").await;
    wait_js(
        &c,
        "return document.getElementById('mail-body').value === '## Zaproszenie\\n'",
        "the heading as Markdown",
    )
    .await;
    assert_eq!(
        js(
            &c,
            "return document.querySelector('#mail-editor h2')?.textContent"
        )
        .await,
        json!("Zaproszenie")
    );

    // A paragraph with one word made bold, then made a list item.
    js(
        &c,
        r#"
        const ed = document.getElementById('mail-editor');
        const p = document.createElement('p');
        p.textContent = 'Dzień dobry {nazwa}';
        ed.append(p);
        ed.dispatchEvent(new Event('input'));
        const r = document.createRange();
        r.setStart(p.firstChild, 6); r.setEnd(p.firstChild, 11);
        ed.focus();
        const s = document.getSelection(); s.removeAllRanges(); s.addRange(r);
        return true"#,
    )
    .await;
    click_css(&c, "#message-form .toolbar button[title='Pogrubienie']").await;
    wait_js(
        &c,
        "return document.getElementById('mail-body').value.includes('Dzień **dobry** {nazwa}')",
        "bold as Markdown, the merge field as typed",
    )
    .await;
    click_css(&c, "#message-form .toolbar button[title='Lista']").await;
    wait_js(
        &c,
        "return document.getElementById('mail-body').value.includes('- Dzień **dobry** {nazwa}')",
        "the list item as Markdown",
    )
    .await;

    // Pasted HTML keeps only the supported subset: no image, no script, no handler runs.
    let pasted = js(&c, r#"
        const ed = document.getElementById('mail-editor');
        ed.focus();
        const s = document.getSelection(); s.selectAllChildren(ed); s.collapseToEnd();
        const dt = new DataTransfer();
        dt.setData('text/html', '<h1 style="color:red">Tytuł</h1><p onclick="window.__clicked=1">tekst <b>gruby</b><img src="x" onerror="window.__pwned=1"><script>window.__pwned=2</script> <a href="https://ngo.example.pl/a">odnośnik</a> <a href="javascript:alert(1)">zły</a></p><table><tr><td>komórka</td></tr></table>');
        ed.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
        return { body: document.getElementById('mail-body').value, tags: [...ed.querySelectorAll('*')].map(e => e.tagName).join(','), pwned: window.__pwned ?? null }"#)
    .await;
    let body = pasted["body"].as_str().unwrap();
    assert!(
        body.contains("## Tytuł")
            && body.contains("tekst **gruby**")
            && body.contains("[odnośnik](https://ngo.example.pl/a)")
            && body.contains("komórka"),
        "{pasted}"
    );
    assert!(
        !body.contains("javascript") && body.contains("zły"),
        "an unsafe link keeps only its text: {pasted}"
    );
    let tags = pasted["tags"].as_str().unwrap();
    assert!(
        !tags.contains("IMG") && !tags.contains("SCRIPT") && !tags.contains("TABLE"),
        "{pasted}"
    );
    assert_eq!(pasted["pwned"], Value::Null);
    assert_eq!(
        js(&c, "return document.querySelectorAll('#mail-editor [onclick], #mail-editor [style], #mail-editor [href]').length").await,
        json!(0)
    );

    // The Markdown underneath, for those who want it, and back.
    click(&c, "mail-markdown-toggle").await;
    wait_js(&c, "return !document.getElementById('mail-body').hidden && document.getElementById('mail-editor').hidden", "the Markdown shown").await;
    type_into(&c, "#mail-body", "### Nowy temat").await;
    click(&c, "mail-markdown-toggle").await;
    wait_js(
        &c,
        "return document.querySelector('#mail-editor h3')?.textContent === 'Nowy temat'",
        "the Markdown shown as formatted text",
    )
    .await;
    screenshot(&c, "mail-editor").await;
    finish(c).await;
}
