//! Publikuj through the real window: the parts ticked by default, the folder chosen, a wrong
//! folder refused at its field, the preview of a first publication (every file new), the site
//! written to disk with a consented organisation in its directory, "Otwórz stronę" handing the
//! index page to the system's browser (a fake xdg-open), and a second preview saying nothing
//! changed. Then the map of social activity in Raporty, drawn from the bundled boundaries.

use super::*;
use std::os::unix::fs::PermissionsExt;

/// Demo data with events (some of them public) made by the CLI before the window starts.
fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("kartoteka.db");
    let out = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args(["--db", db.to_str().unwrap(), "demo-data"])
        .args(["--organizations", "40", "--people", "40", "--seed", "11"])
        .args(["--advice", "5", "--events", "6"])
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

/// target/screenshots, beside target/tmp (as the shell's walk writes them).
async fn shot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    if let Ok(Ok(png)) = tokio::time::timeout(Duration::from_secs(30), c.screenshot()).await {
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

/// What would make the view unusable at 1280×720: sideways scrolling, a button cut at the side.
const OVERFLOW: &str = r#"
    const vw = window.innerWidth;
    const out = [];
    for (const p of document.querySelectorAll('main, main > *, main section, main table, main figure')) {
      if (p.scrollWidth > p.clientWidth + 1 && getComputedStyle(p).overflowX !== 'auto') out.push('scrolls sideways: ' + (p.id || p.className || p.tagName) + ' ' + p.scrollWidth + '>' + p.clientWidth);
    }
    for (const b of document.querySelectorAll('main button')) {
      if (b.getClientRects().length === 0) continue;
      const r = b.getBoundingClientRect();
      if (r.left < 0 || r.right > vw + 0.5) out.push('cut at the side: ' + (b.id || b.textContent.trim()));
    }
    if (document.documentElement.scrollWidth > vw + 1) out.push('the page scrolls sideways');
    return out;"#;

async fn no_overflow(c: &Client, what: &str) {
    let found = js(c, OVERFLOW).await;
    assert_eq!(found, json!([]), "{what}");
}

/// Presses "Pokaż zmiany" and waits for the preview it asked for (not the one shown before).
async fn show_changes(c: &Client) {
    let before = js(
        c,
        "return Number(document.getElementById('publish-preview-box').dataset.previews || 0)",
    )
    .await
    .as_u64()
    .unwrap();
    click(c, "publish-preview").await;
    wait_js(
        c,
        &format!(
            "const b = document.getElementById('publish-preview-box'); \
             return Number(b.dataset.previews || 0) > {before} && !b.hasAttribute('aria-busy')"
        ),
        "the preview",
    )
    .await;
}

fn html_text(name: &str) -> String {
    name.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[tokio::test(flavor = "multi_thread")]
async fn preview_publish_open_and_preview_again_then_the_map_in_reports() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let saved = tempfile::tempdir().unwrap();
    // A fake xdg-open first on the PATH: it writes down what it was asked to open.
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened.txt");
    let script = bin.path().join("xdg-open");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}.part'\nmv '{0}.part' '{0}'\n",
            opened.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut path = std::ffi::OsString::from(bin.path());
    if let Some(real) = std::env::var_os("PATH") {
        path.push(":");
        path.push(real);
    }
    let path = PathBuf::from(path);
    let (_driver, c) = start_with(
        &db,
        &[
            ("KARTOTEKA_SAVE_DIR", saved.path()),
            ("PATH", path.as_path()),
        ],
    )
    .await;
    at_1280x720(&c).await;

    // The section sits after Raporty and shows what the site would hold at once.
    let order = js(&c, "return [...document.querySelectorAll('#sections button[data-view]')].map(b => b.dataset.view)").await;
    let order: Vec<String> = serde_json::from_value(order).unwrap();
    let at = order
        .iter()
        .position(|v| v == "publish")
        .expect("Publikuj in the sidebar");
    assert_eq!(order[at - 1], "reports", "{order:?}");
    click_css(&c, "#sections [data-view=publish]").await;
    wait_js(
        &c,
        "return Number(document.getElementById('publish-preview-box')?.dataset.previews || 0) > 0",
        "the first preview",
    )
    .await;
    let parts = js(&c, "return Object.fromEntries([...document.querySelectorAll('.publish-parts input')].map(i => [i.name, i.checked]))").await;
    assert_eq!(
        parts,
        json!({"directory": true, "calendar": true, "grants": true, "open_data": true, "map": true, "english": false})
    );
    // Every control is labelled.
    let unlabelled = js(&c, "return [...document.querySelectorAll('#publish-view input')].filter(i => !i.labels?.length).map(i => i.id || i.name)").await;
    assert_eq!(unlabelled, json!([]));
    // No folder yet: Publikuj waits for one.
    assert_eq!(
        js(&c, "return document.getElementById('publish-run').disabled").await,
        json!(true)
    );
    no_overflow(&c, "publish at A").await;
    shot(&c, "publish-start-A").await;

    // The folder question answers itself here (KARTOTEKA_SAVE_DIR): <dir>/strona-www.
    click(&c, "publish-choose").await;
    wait_js(
        &c,
        "return document.getElementById('publish-folder').value.endsWith('strona-www')",
        "the chosen folder",
    )
    .await;
    show_changes(&c).await;
    let preview = js(&c, r#"
        const rows = [...document.querySelectorAll('#publish-files tbody tr')];
        return {
          rows: rows.length,
          changes: [...new Set(rows.map(r => r.dataset.change))],
          same: document.getElementById('publish-same')?.textContent ?? null,
          last: document.getElementById('publish-last').textContent,
          counts: document.getElementById('publish-counts').textContent,
          added: [...document.querySelectorAll('[data-diff=publish_added_organizations] li:not(.muted)')].map(li => li.textContent),
          run: document.getElementById('publish-run').disabled,
          why: document.getElementById('publish-why').textContent,
        };"#).await;
    assert!(preview["rows"].as_u64().unwrap() > 3, "{preview}");
    assert_eq!(preview["changes"], json!(["new"]), "{preview}");
    assert_eq!(preview["same"], Value::Null, "{preview}");
    assert!(
        preview["last"]
            .as_str()
            .unwrap()
            .contains("nie była jeszcze publikowana"),
        "{preview}"
    );
    assert!(
        preview["counts"].as_str().unwrap().contains("w katalogu"),
        "{preview}"
    );
    assert_eq!(preview["run"], json!(false), "{preview}");
    assert_eq!(preview["why"], "Gotowe do publikacji.", "{preview}");
    let added: Vec<String> = serde_json::from_value(preview["added"].clone()).unwrap();
    assert!(!added.is_empty(), "{preview}");
    shot(&c, "publish-preview-A").await;

    // A folder that is not a full path is refused at its field, and what was chosen stays.
    type_into(&c, "#publish-folder", "strona").await;
    click(&c, "publish-run").await;
    wait_js(
        &c,
        "return !document.getElementById('publish-folder-err').hidden",
        "the folder's error",
    )
    .await;
    let err = js(&c, "return [document.getElementById('publish-folder-err').textContent, document.getElementById('publish-folder').getAttribute('aria-invalid')]").await;
    assert_eq!(err, json!(["Podaj pełną ścieżkę folderu.", "true"]));
    assert!(!saved.path().join("strona-www").exists());
    click(&c, "publish-choose").await;
    wait_js(
        &c,
        "return document.getElementById('publish-folder').value.endsWith('strona-www') && document.getElementById('publish-folder-err').hidden",
        "the folder chosen again",
    )
    .await;

    // Publikuj: the summary says how many files went where, with "Otwórz stronę".
    click(&c, "publish-run").await;
    wait_js(
        &c,
        "return !!document.getElementById('publish-open')",
        "the published site",
    )
    .await;
    let done = js(
        &c,
        "return document.getElementById('publish-done-files').textContent",
    )
    .await;
    let site = saved.path().join("strona-www");
    assert!(
        done.as_str().unwrap().contains(&site.display().to_string()),
        "{done}"
    );
    assert!(site.join("index.html").is_file());
    let directory = std::fs::read_to_string(site.join("organizacje").join("index.html"))
        .expect("the directory page");
    let name = added
        .iter()
        .find(|n| !n.contains('"') && !n.contains('\''))
        .expect("a plain name");
    assert!(
        directory.contains(&html_text(name)),
        "{name} is not in the directory"
    );
    shot(&c, "publish-done-A").await;

    // "Otwórz stronę": the index page goes to the system's browser.
    click(&c, "publish-open").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let asked = loop {
        if let Ok(text) = std::fs::read_to_string(&opened) {
            if !text.trim().is_empty() {
                break text;
            }
        }
        assert!(Instant::now() < deadline, "xdg-open was not called");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(asked.trim().ends_with("index.html"), "{asked}");
    assert!(asked.contains("strona-www"), "{asked}");

    // Nothing changed since: the next preview says so, every file the same.
    show_changes(&c).await;
    let again = js(
        &c,
        r#"
        return {
          table: !!document.getElementById('publish-files'),
          changed: document.getElementById('publish-changed').textContent,
          same: document.getElementById('publish-same')?.textContent ?? '',
          last: document.getElementById('publish-last').textContent,
          diffs: !!document.getElementById('publish-diffs'),
        };"#,
    )
    .await;
    assert_eq!(again["table"], json!(false), "{again}");
    assert_eq!(
        again["changed"], "Nic się nie zmieniło od ostatniej publikacji.",
        "{again}"
    );
    assert!(
        again["same"].as_str().unwrap().starts_with("Bez zmian: "),
        "{again}"
    );
    assert!(
        again["last"]
            .as_str()
            .unwrap()
            .starts_with("Ostatnia publikacja: "),
        "{again}"
    );
    assert_eq!(again["diffs"], json!(false), "{again}");
    shot(&c, "publish-again-A").await;

    // An event marked public in its form shows so, and the next preview names it as new.
    click_css(&c, "#sections [data-view=events]").await;
    click(&c, "new-event").await;
    type_into(
        &c,
        "#event-form input[name=title]",
        "Dzień otwarty organizacji",
    )
    .await;
    let public = js(
        &c,
        r#"
        const box = document.querySelector('#event-form input[name=public]');
        const hint = document.getElementById(box.getAttribute('aria-describedby').split(' ')[0]);
        return [box.checked, box.labels[0].textContent, hint?.textContent ?? null];"#,
    )
    .await;
    assert_eq!(
        public,
        json!([
            false,
            "Publikuj w kalendarzu na stronie www",
            "Wydarzenie trafi do kalendarza i pliku .ics przy najbliższej publikacji."
        ])
    );
    // Below the fold of the form, above its sticky save bar once scrolled to the middle.
    js(
        &c,
        "document.querySelector('#event-form input[name=public]').scrollIntoView({block: 'center'}); return true",
    )
    .await;
    click_css(&c, "#event-form input[name=public]").await;
    click(&c, "save-event").await;
    wait_js(
        &c,
        "return document.getElementById('event-public')?.textContent === 'Publiczne'",
        "the public event",
    )
    .await;
    click_css(&c, "#sections [data-view=publish]").await;
    wait_js(
        &c,
        "return [...document.querySelectorAll('[data-diff=publish_added_events] li')].some(li => li.textContent.startsWith('Dzień otwarty organizacji'))",
        "the public event in the preview",
    )
    .await;
    wait_js(
        &c,
        "return document.getElementById('publish-folder').value.endsWith('strona-www')",
        "the last folder offered again",
    )
    .await;

    // An option changed: the preview is asked again before Publikuj is offered.
    js(
        &c,
        "const b = document.getElementById('publish-part-english'); b.click(); return true",
    )
    .await;
    assert_eq!(
        js(&c, "return document.getElementById('publish-run').disabled").await,
        json!(true)
    );
    wait_js(
        &c,
        "return !document.getElementById('publish-run').disabled && [...document.querySelectorAll('#publish-files tbody tr')].some(r => r.dataset.change === 'new')",
        "the preview with the English pages",
    )
    .await;

    // The largest text: still no sideways scrolling.
    js(
        &c,
        "document.querySelector('#text-size [data-size=\"2\"]').click(); return true",
    )
    .await;
    wait_js(
        &c,
        "return document.documentElement.dataset.textSize === '2'",
        "A++",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    no_overflow(&c, "publish at A++").await;
    shot(&c, "publish-preview-App").await;

    // Raporty: the map of social activity, one area per powiat.
    click_css(&c, "#sections [data-view=reports]").await;
    wait_js(
        &c,
        "return document.querySelectorAll('#activity-map svg .area').length >= 300",
        "the map of powiats",
    )
    .await;
    js(
        &c,
        "document.getElementById('activity-map-section').scrollIntoView(); return true",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    no_overflow(&c, "reports with the map at A++").await;
    shot(&c, "reports-map-App").await;
    let caption = js(
        &c,
        "return document.getElementById('activity-map-caption').textContent",
    )
    .await;
    assert!(
        caption.as_str().unwrap().starts_with("Na mapie: "),
        "{caption}"
    );
    let voivodeships = js(
        &c,
        "return document.querySelectorAll('#map-voivodeships tbody tr').length",
    )
    .await;
    assert!(voivodeships.as_u64().unwrap() >= 1, "{voivodeships}");
    click(&c, "map-level-voivodeship").await;
    wait_js(
        &c,
        "return document.getElementById('activity-map')?.dataset.level === 'voivodeship' && document.querySelectorAll('#activity-map svg .area').length === 16",
        "the map of voivodeships",
    )
    .await;
    js(
        &c,
        "document.querySelector('#text-size [data-size=\"0\"]').click(); return true",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    js(
        &c,
        "document.getElementById('activity-map-section').scrollIntoView(); return true",
    )
    .await;
    no_overflow(&c, "reports with the map at A").await;
    shot(&c, "reports-map-A").await;
    finish(c).await;
}
