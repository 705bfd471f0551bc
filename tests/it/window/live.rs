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
    let (_dir, db) = demo_file(40, 20, 5);
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

/// The organisation shown beside the list is changed on another connection: the detail (not only
/// the list row) shows the colleague's version within a few seconds, and "Edytuj" opens the form
/// on it. Before, the detail kept the values it was opened with until the user clicked away.
#[tokio::test(flavor = "multi_thread")]
async fn the_shown_record_follows_a_colleagues_change_and_edit_opens_their_version() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let (_dir, db) = demo_file(20, 10, 7);
    // One organisation that sorts first, so the test knows which row is open.
    let first = kartoteka_core::register::OrganizationInput {
        name: "Aaa Fundacja Pierwsza".into(),
        legal_form: "fundacja".into(),
        city: "Kalisz".into(),
        ..Default::default()
    };
    let core = kartoteka_core::Kartoteka::open(&db).await.unwrap();
    let kartoteka_core::register::SaveOutcome::Saved { id } =
        core.save_organization(None, &first, false).await.unwrap()
    else {
        panic!("a duplicate of the demo data")
    };
    core.close().await;

    let (_driver, c) = start(&db).await;
    click_css(&c, "#sections [data-view=organizations]").await;
    wait_js(
        &c,
        "return document.querySelector('#vrow-0 .primary-text')?.textContent === 'Aaa Fundacja Pierwsza'",
        "the list",
    )
    .await;
    click_css(&c, "#vrow-0").await;
    wait_js(
        &c,
        "return document.querySelector('.record-title')?.textContent === 'Aaa Fundacja Pierwsza'",
        "the record",
    )
    .await;

    // A colleague renames it and moves it to another town.
    let other = kartoteka_core::Kartoteka::open(&db).await.unwrap();
    let mut theirs =
        kartoteka_core::register::OrganizationInput::from(&other.organization(id).await.unwrap());
    theirs.name = "Aaa Fundacja Przemianowana".into();
    theirs.city = "Sieradz".into();
    other
        .save_organization(Some(id), &theirs, false)
        .await
        .unwrap();
    other.close().await;
    let started = Instant::now();
    wait_js(
        &c,
        "return document.querySelector('.record-title')?.textContent === 'Aaa Fundacja Przemianowana'
            && document.querySelector('.record').textContent.includes('Sieradz')",
        "the colleague's version in the open record",
    )
    .await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "it took {took:?}");

    click(&c, "edit-record").await;
    wait_js(
        &c,
        "return !!document.querySelector('form input[name=name]')",
        "the form",
    )
    .await;
    let form = js(
        &c,
        "return { name: document.querySelector('form input[name=name]').value,
                  city: document.querySelector('form input[name=city]').value }",
    )
    .await;
    assert_eq!(form["name"], "Aaa Fundacja Przemianowana", "{form}");
    assert_eq!(form["city"], "Sieradz", "{form}");
    finish(c).await;
}

/// The same for the people's view (it shares the live reload with the organisations' view): a
/// colleague's change of the person shown reaches the detail, and "Edytuj" opens their version.
#[tokio::test(flavor = "multi_thread")]
async fn the_shown_person_follows_a_colleagues_change_and_edit_opens_their_version() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let (_dir, db) = demo_file(10, 20, 8);
    // A person whose surname sorts first, so the test knows which row is open.
    let first = kartoteka_core::register::PersonInput {
        first_name: "Ada".into(),
        last_name: "Aaaowska".into(),
        ..Default::default()
    };
    let core = kartoteka_core::Kartoteka::open(&db).await.unwrap();
    let kartoteka_core::register::SaveOutcome::Saved { id } =
        core.save_person(None, &first, false).await.unwrap()
    else {
        panic!("a duplicate of the demo data")
    };
    core.close().await;

    let (_driver, c) = start(&db).await;
    click_css(&c, "#sections [data-view=people]").await;
    wait_js(
        &c,
        "return document.querySelector('#vrow-0')?.textContent.includes('Aaaowska')",
        "the list",
    )
    .await;
    click_css(&c, "#vrow-0").await;
    wait_js(
        &c,
        "return document.querySelector('.record-title')?.textContent === 'Ada Aaaowska'",
        "the person",
    )
    .await;

    // A colleague corrects the first name and adds a note.
    let other = kartoteka_core::Kartoteka::open(&db).await.unwrap();
    let mut theirs = kartoteka_core::register::PersonInput::from(&other.person(id).await.unwrap());
    theirs.first_name = "Adela".into();
    theirs.notes = "Dzwonić po 15.".into();
    other.save_person(Some(id), &theirs, false).await.unwrap();
    other.close().await;
    let started = Instant::now();
    wait_js(
        &c,
        "return document.querySelector('.record-title')?.textContent === 'Adela Aaaowska'
            && document.querySelector('.record').textContent.includes('Dzwonić po 15.')",
        "the colleague's version in the open person",
    )
    .await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "it took {took:?}");
    assert_eq!(
        js(
            &c,
            "return document.querySelector('#vrow-0')?.textContent.includes('Adela')"
        )
        .await,
        true,
        "the list row follows too"
    );

    click(&c, "edit-record").await;
    wait_js(
        &c,
        "return !!document.querySelector('form input[name=first_name]')",
        "the form",
    )
    .await;
    let form = js(
        &c,
        "return document.querySelector('form input[name=first_name]').value",
    )
    .await;
    assert_eq!(form, "Adela");
    finish(c).await;
}
