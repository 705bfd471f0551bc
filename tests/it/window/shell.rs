//! The window shell through the real window: a changed form is never lost without the app's own
//! dialog asking (section, another record, a search result, Esc, reload), the dialog is the
//! app's and not a native box, and every view fits 1280×720 at the largest text size.

use super::*;

/// A database with a few of everything, made by the CLI before the window starts.
fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("kartoteka.db");
    let out = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "demo-data",
            "--organizations",
            "30",
            "--people",
            "60",
            "--seed",
            "7",
            "--advice",
            "20",
            "--events",
            "3",
        ])
        .env("XDG_DATA_HOME", dir.join("data"))
        .output()
        .expect("kartoteka demo-data");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

fn screenshots_dir() -> PathBuf {
    // target/screenshots, beside target/tmp.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    if let Ok(Ok(png)) = tokio::time::timeout(Duration::from_secs(30), c.screenshot()).await {
        std::fs::write(screenshots_dir().join(format!("{name}.png")), png).unwrap();
    }
}

async fn key_down(c: &Client, target_js: &str, key: &str, ctrl: bool) {
    js(c, &format!("{target_js}.dispatchEvent(new KeyboardEvent('keydown', {{key: {key:?}, ctrlKey: {ctrl}, bubbles: true, cancelable: true}})); return true")).await;
}

/// The leave question is the app's dialog: shown, modal, labelled, focus on "Zostań", and no
/// native box is pending (WebDriver would answer one itself and hide the bug).
async fn expect_leave_dialog(c: &Client, route: &str) {
    wait_js(
        c,
        "return !!document.querySelector('dialog[open] #leave-dialog')",
        &format!("the leave question ({route})"),
    )
    .await;
    assert!(
        c.get_alert_text().await.is_err(),
        "{route}: a native alert/confirm is pending"
    );
    let d = js(c, r#"
        const d = document.querySelector('dialog[open]');
        const label = document.getElementById(d.getAttribute('aria-labelledby'));
        return { role: d.getAttribute('role'), modal: d.getAttribute('aria-modal'), label: label?.textContent,
                 focused: document.activeElement?.id, buttons: [...d.querySelectorAll('button')].map(b => b.textContent) };"#).await;
    assert_eq!(d["role"], "alertdialog", "{route}: {d}");
    assert_eq!(d["modal"], "true", "{route}: {d}");
    assert_eq!(d["label"], "Niezapisane zmiany", "{route}: {d}");
    assert_eq!(
        d["focused"], "leave-stay",
        "{route}: the safe choice has the focus: {d}"
    );
    assert_eq!(
        d["buttons"],
        json!(["Zostań", "Porzuć zmiany"]),
        "{route}: {d}"
    );
}

/// A real key press (WebDriver key code) in the element found by `css`, as the user makes it.
async fn press(c: &Client, css: &str, key: &str) {
    let el = bounded(css, c.find(Locator::Css(css))).await;
    bounded(css, el.send_keys(key)).await;
}

async fn answer(c: &Client, button: &str) {
    click(c, button).await;
    wait_js(
        c,
        "return !document.querySelector('dialog[open]')",
        "the dialog closed",
    )
    .await;
}

async fn typed_name(c: &Client) -> Value {
    js(
        c,
        "return document.querySelector('.detail-pane form input[name=name]')?.value ?? null",
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_a_changed_form_asks_in_the_apps_dialog_by_every_route() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let (_driver, c) = start(&db).await;
    click_css(&c, "#sections [data-view=organizations]").await;
    wait_js(
        &c,
        "return document.querySelectorAll('.vrow .primary-text').length > 3",
        "the organisations",
    )
    .await;
    click_css(&c, ".vrow").await;
    click(&c, "edit-record").await;
    wait_js(
        &c,
        "return !!document.querySelector('.detail-pane form input[name=name]')",
        "the form",
    )
    .await;
    let typed = "Fundacja Zmieniona Ręcznie";
    type_into(&c, ".detail-pane form input[name=name]", typed).await;

    // (1) Another section: the dialog asks; "Zostań" keeps the view and every typed letter.
    click_css(&c, "#sections [data-view=people]").await;
    expect_leave_dialog(&c, "section").await;
    shot(&c, "leave-dialog").await;
    // Tab stays inside the dialog.
    keys(&c, "leave-stay", TAB).await;
    keys(&c, "leave-discard", TAB).await;
    let inside = js(
        &c,
        "return document.querySelector('dialog[open]').contains(document.activeElement)",
    )
    .await;
    assert_eq!(inside, true, "focus left the dialog on Tab");
    answer(&c, "leave-stay").await;
    assert_eq!(typed_name(&c).await, typed);
    let current = js(
        &c,
        "return document.querySelector('#sections [aria-current=page]').dataset.view",
    )
    .await;
    assert_eq!(current, "organizations");

    // (2) Another record in the list.
    js(
        &c,
        "document.querySelectorAll('.vrow')[2].click(); return true",
    )
    .await;
    expect_leave_dialog(&c, "another record").await;
    answer(&c, "leave-stay").await;
    assert_eq!(typed_name(&c).await, typed);

    // (3) A search result (Ctrl+K, Enter).
    let other = js(
        &c,
        "return document.querySelectorAll('.vrow .primary-text')[1].textContent",
    )
    .await;
    key_down(&c, "document.body", "k", true).await;
    wait_js(
        &c,
        "return document.activeElement.id === 'global-search'",
        "Ctrl+K",
    )
    .await;
    keys(&c, "global-search", other.as_str().unwrap()).await;
    wait_js(
        &c,
        "return document.querySelectorAll('#search-results .hit').length > 0",
        "search results",
    )
    .await;
    keys(&c, "global-search", ENTER).await;
    expect_leave_dialog(&c, "search result").await;
    answer(&c, "leave-stay").await;
    assert_eq!(typed_name(&c).await, typed);

    // (4) Esc in the form: Esc in the dialog is the safe choice (stay), not a second Esc.
    press(&c, ".detail-pane form input[name=name]", "\u{E00C}").await;
    expect_leave_dialog(&c, "Esc").await;
    keys(&c, "leave-stay", "\u{E00C}").await;
    wait_js(
        &c,
        "return !document.querySelector('dialog[open]')",
        "Esc closed the dialog",
    )
    .await;
    assert_eq!(
        typed_name(&c).await,
        typed,
        "Esc in the dialog kept the form"
    );

    // (5) Reload (F5) with changes: asked, and the page stays.
    js(&c, "window.__kartotekaMark = 1; return true").await;
    press(&c, ".detail-pane form input[name=name]", "\u{E035}").await;
    expect_leave_dialog(&c, "reload").await;
    answer(&c, "leave-stay").await;
    assert_eq!(
        js(&c, "return window.__kartotekaMark ?? null").await,
        1,
        "the page was reloaded"
    );
    assert_eq!(typed_name(&c).await, typed);

    // "Porzuć zmiany" on Esc leaves the form; nothing was saved.
    press(&c, ".detail-pane form input[name=name]", "\u{E00C}").await;
    expect_leave_dialog(&c, "Esc, discard").await;
    answer(&c, "leave-discard").await;
    wait_js(&c, "return !document.querySelector('.detail-pane form input[name=name]') && !!document.querySelector('.record-title')", "the record again").await;
    let title = js(
        &c,
        "return document.querySelector('.record-title').textContent",
    )
    .await;
    assert_ne!(title, typed, "discarded changes were saved");

    // "Porzuć zmiany" on a section switch goes there, and asks nothing more.
    click(&c, "edit-record").await;
    wait_js(
        &c,
        "return !!document.querySelector('.detail-pane form input[name=name]')",
        "the form again",
    )
    .await;
    type_into(&c, ".detail-pane form input[name=name]", "Inna nazwa").await;
    click_css(&c, "#sections [data-view=people]").await;
    expect_leave_dialog(&c, "section, discard").await;
    answer(&c, "leave-discard").await;
    wait_js(
        &c,
        "return document.querySelector('#sections [aria-current=page]')?.dataset.view === 'people'",
        "the people view",
    )
    .await;
    click_css(&c, "#sections [data-view=organizations]").await;
    wait_js(&c, "return document.querySelector('#sections [aria-current=page]')?.dataset.view === 'organizations' && !document.querySelector('dialog[open]')", "back without a question").await;

    // F1 shows the help for the view in the same dialog; Esc closes it.
    key_down(&c, "document.body", "F1", false).await;
    wait_js(
        &c,
        "return !!document.querySelector('dialog[open] #help')",
        "the help",
    )
    .await;
    let help = js(&c, "return document.getElementById('help').textContent").await;
    let help = help.as_str().unwrap();
    assert!(
        help.contains("Pomoc: Organizacje")
            && help.contains("Ctrl+K")
            && help.contains("Ctrl+S")
            && help.contains("Rejestr organizacji"),
        "{help}"
    );
    assert!(c.get_alert_text().await.is_err());
    shot(&c, "help").await;
    keys(&c, "help-close", "\u{E00C}").await;
    wait_js(
        &c,
        "return !document.querySelector('dialog[open]')",
        "the help closed",
    )
    .await;
    finish(c).await;
}

/// What the layout check reads from the window: buttons outside the viewport or clipped
/// sideways by their pane, panes that scroll sideways, the status bar's place.
const LAYOUT_PROBLEMS: &str = r#"
    const vw = window.innerWidth, vh = window.innerHeight;
    const out = [];
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const name = (el) => (el.id ? '#' + el.id : '') + ' "' + el.textContent.trim().slice(0, 40) + '"';
    // The main buttons (the pane's title bar, the record's head, the form's save bar, the top
    // bar) must be wholly on screen. The sidebar scrolls when the sections outgrow it.
    for (const b of document.querySelectorAll('main .pane-title button, main .record-head button, main .sticky button, main h1 ~ .actions button, .topbar button')) {
      if (!visible(b)) continue;
      const r = b.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) out.push('off screen: ' + name(b) + ' ' + JSON.stringify([r.left, r.top, r.right, r.bottom].map(Math.round)));
    }
    // No button anywhere in the view is cut at the side.
    for (const b of document.querySelectorAll('main button')) {
      if (!visible(b)) continue;
      const r = b.getBoundingClientRect();
      let box = b.parentElement;
      while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
      const clip = box && box !== document.body ? box.getBoundingClientRect() : { left: 0, right: vw };
      if (r.width > 0 && (r.left < clip.left - 0.5 || r.right > clip.right + 0.5 || r.right > vw + 0.5)) out.push('cut at the side: ' + name(b));
    }
    // Content wider than its pane is cut or needs sideways scrolling, whatever the overflow says.
    for (const p of document.querySelectorAll('main, main .detail-pane, main .list-pane, main .vlist, main > *')) {
      if (p.scrollWidth > p.clientWidth + 1) out.push('scrolls sideways: ' + (p.className || p.tagName) + ' ' + p.scrollWidth + '>' + p.clientWidth);
    }
    const s = document.getElementById('status').getBoundingClientRect();
    if (s.bottom > vh + 0.5 || s.height < 10) out.push('status bar off screen: ' + JSON.stringify([s.top, s.bottom]));
    if (document.documentElement.scrollWidth > vw + 1) out.push('the page scrolls sideways');
    return out;"#;

async fn check_layout(c: &Client, what: &str, problems: &mut Vec<String>) {
    tokio::time::sleep(Duration::from_millis(250)).await;
    let found: Vec<String> = serde_json::from_value(js(c, LAYOUT_PROBLEMS).await).unwrap();
    problems.extend(found.into_iter().map(|p| format!("{what}: {p}")));
}

/// Every section of the sidebar (those added later too): its list, a record when there is one,
/// and its form, at 1280×720 with the largest text size (A++).
#[tokio::test(flavor = "multi_thread")]
async fn every_view_fits_1280x720_at_the_largest_text_size() {
    if !e2e_available() {
        return;
    }
    retry_after_page_crash(|| every_view_fits_1280x720_at("2", "App")).await;
}

/// The same walk at the default text size (A).
#[tokio::test(flavor = "multi_thread")]
async fn every_view_fits_1280x720_at_the_default_text_size() {
    if !e2e_available() {
        return;
    }
    retry_after_page_crash(|| every_view_fits_1280x720_at("0", "A")).await;
}

async fn every_view_fits_1280x720_at(size: &'static str, label: &'static str) {
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let (_driver, c) = start(&db).await;
    at_1280x720(&c).await;
    let views: Vec<String> = serde_json::from_value(js(&c, "return [...document.querySelectorAll('#sections button[data-view]')].map(b => b.dataset.view)").await).unwrap();
    assert!(views.len() >= 13, "{views:?}");
    let mut problems = Vec::new();
    {
        js(
            &c,
            &format!(
                "document.querySelector('#text-size [data-size=\"{size}\"]').click(); return true"
            ),
        )
        .await;
        wait_js(
            &c,
            &format!("return document.documentElement.dataset.textSize === '{size}'"),
            "the text size",
        )
        .await;
        if size == "0" {
            // At the default text size every section is in sight without scrolling the sidebar.
            let overflow = js(&c, "const s = document.getElementById('sections'); return s.scrollHeight - s.clientHeight").await;
            if overflow.as_f64().unwrap_or(0.0) > 1.0 {
                problems.push(format!(
                    "the sidebar needs scrolling at A: {overflow} px hidden"
                ));
            }
        }
        for view in &views {
            // Navigation is not what is checked here: a script click also reaches a section
            // scrolled out of the sidebar.
            js(&c, &format!("const b = document.querySelector('#sections [data-view={view}]'); b.scrollIntoView({{block: 'nearest'}}); b.click(); return true")).await;
            wait_js(&c, &format!("return document.querySelector('#sections [aria-current=page]')?.dataset.view === '{view}' && document.getElementById('main').children.length > 0"), view).await;
            // Views render after their data arrives.
            tokio::time::sleep(Duration::from_millis(600)).await;
            check_layout(&c, &format!("{view} at {label}"), &mut problems).await;
            shot(&c, &format!("{view}-{label}")).await;
            // A record, when the view lists any.
            let opened = js(&c, "const r = document.querySelector('main .vrow:not(.vrow-placeholder)'); if (r) r.click(); return !!r").await;
            if opened == true {
                tokio::time::sleep(Duration::from_millis(900)).await;
                check_layout(&c, &format!("{view} record at {label}"), &mut problems).await;
                shot(&c, &format!("{view}-record-{label}")).await;
            }
            // Its form (Ctrl+N), left again with Esc (nothing typed: no question).
            let has_new = js(
                &c,
                "return !!document.querySelector('main .pane-title button.primary')",
            )
            .await;
            if has_new == true {
                key_down(&c, "document.body", "n", true).await;
                tokio::time::sleep(Duration::from_millis(700)).await;
                if js(
                    &c,
                    "return !!document.querySelector('main .detail-pane form button.primary[type=submit]')",
                )
                .await
                    == true
                {
                    check_layout(&c, &format!("{view} form at {label}"), &mut problems).await;
                    shot(&c, &format!("{view}-form-{label}")).await;
                    key_down(&c, "document.body", "Escape", false).await;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            assert!(
                c.get_alert_text().await.is_err(),
                "{view}: a native box is pending"
            );
            if js(&c, "return !!document.querySelector('dialog[open]')").await == true {
                problems.push(format!("{view} at {label}: a dialog stayed open"));
                js(
                    &c,
                    "document.querySelector('dialog[open]').close(); return true",
                )
                .await;
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layout problems at 1280×720:\n{}",
        problems.join("\n")
    );
    finish(c).await;
}
