//! Live lists through the real window: an organisation another program adds to the database (a
//! colleague's PC on a server; here a second process on the same file, as a CLI import would)
//! appears in the open list within a few seconds, while the selected record stays selected and
//! the form being typed beside the list keeps every character.

use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_record_added_elsewhere_appears_in_the_open_list_without_touching_the_form() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kartoteka.db");
    let out = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args(["--db", db.to_str().unwrap(), "demo-data"])
        .args(["--organizations", "40", "--people", "20", "--seed", "5"])
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_driver, c) = start(&db).await;
    click_css(&c, "#sections [data-view=organizations]").await;
    wait_js(
        &c,
        "return document.querySelectorAll('.vlist .orow').length > 5",
        "the list",
    )
    .await;
    let count_before = js(
        &c,
        "return document.querySelector('.pane-title .count').textContent",
    )
    .await;

    // A record open (the third row), then a new one being typed beside the list.
    click_css(&c, ".vlist .vrow:nth-child(3)").await;
    wait_js(
        &c,
        "return !!document.getElementById('edit-record')",
        "the record",
    )
    .await;
    let selected = js(
        &c,
        "return document.querySelector('.vrow[aria-selected=true] .primary-text').textContent",
    )
    .await;
    click(&c, "new-organization").await;
    type_into(
        &c,
        "form input[name=name]",
        "Stowarzyszenie w trakcie pisania",
    )
    .await;

    // Another program on the same database adds an organisation that sorts first.
    let other = kartoteka_core::Kartoteka::open(&db).await.unwrap();
    let added = kartoteka_core::register::OrganizationInput {
        name: "Aaa Fundacja z drugiego komputera".into(),
        legal_form: "fundacja".into(),
        city: "Łódź".into(),
        ..Default::default()
    };
    other.save_organization(None, &added, false).await.unwrap();
    other.close().await;
    let started = Instant::now();
    wait_js(
        &c,
        "return [...document.querySelectorAll('.vlist .primary-text')].some(e => e.textContent === 'Aaa Fundacja z drugiego komputera')",
        "the colleague's organisation in the open list",
    )
    .await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "it took {took:?}");
    shot_live(&c).await;

    let after = js(
        &c,
        "return { count: document.querySelector('.pane-title .count').textContent,
                  typed: document.querySelector('form input[name=name]')?.value,
                  focused: document.activeElement?.name,
                  selected: document.querySelector('.vrow[aria-selected=true] .primary-text')?.textContent }",
    )
    .await;
    assert_ne!(after["count"], count_before, "{after}");
    assert_eq!(
        after["typed"], "Stowarzyszenie w trakcie pisania",
        "{after}"
    );
    assert_eq!(after["focused"], "name", "{after}");
    // The row moved down by one; the selection followed the record, not the position.
    assert_eq!(after["selected"], selected, "{after}");
    finish(c).await;
}

async fn shot_live(c: &Client) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    if let Ok(Ok(png)) = tokio::time::timeout(Duration::from_secs(30), c.screenshot()).await {
        std::fs::write(dir.join("live-list-after-colleague.png"), png).unwrap();
    }
}
