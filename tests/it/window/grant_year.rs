//! Organizacje › "Dotacja w roku" through the real window: three organisations, one granted in
//! a competition announced in 2026, one given an art. 19a grant in 2025, one with none. Typing
//! 2026 narrows the list to the first, 2025 to the second; a year out of range is said under the
//! field (the list stays as it was); emptying the field shows all three again.

use super::*;
use kartoteka_core::cooperation::{CompetitionInput, OfferInput};
use kartoteka_core::register::OrganizationInput;

const GRANTED_2026: &str = "Stowarzyszenie Dotowane Dwa Sześć";
const GRANTED_2025: &str = "Fundacja Mała Dotacja";
const NONE: &str = "Klub Bez Dotacji";

async fn prepare(db: &Path) {
    let k = kartoteka_core::Kartoteka::open(db).await.unwrap();
    let mut ids = Vec::new();
    for name in [GRANTED_2026, GRANTED_2025, NONE] {
        let input = OrganizationInput {
            name: name.into(),
            legal_form: "stowarzyszenie".into(),
            city: "Lublin".into(),
            ..Default::default()
        };
        match k.save_organization(None, &input, false).await.unwrap() {
            kartoteka_core::register::SaveOutcome::Saved { id } => ids.push(id),
            other => panic!("{other:?}"),
        }
    }
    let competition = k
        .save_competition(
            None,
            &CompetitionInput {
                title: "Aktywni razem".into(),
                area_code: "10".into(),
                funds: "50 000".into(),
                announced_on: "2026-01-15".into(),
                deadline_on: "2026-02-15".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    for (competition, org, submitted_on, area) in [
        (Some(competition), ids[0], "2026-02-01", ""),
        (None, ids[1], "2025-09-01", "13"),
    ] {
        k.save_offer(
            None,
            &OfferInput {
                competition_id: competition,
                organization_id: Some(org),
                title: "Zadanie publiczne".into(),
                area_code: area.into(),
                submitted_on: submitted_on.into(),
                requested: "9 000".into(),
                status: "granted".into(),
                granted: "8 000".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    k.close().await;
}

async fn listed(c: &Client, names: &[&str], what: &str) {
    let expected = serde_json::to_string(names).unwrap();
    wait_js(
        c,
        &format!("return JSON.stringify([...document.querySelectorAll('.vlist .primary-text')].map(e => e.textContent).sort()) === JSON.stringify({expected}.sort())"),
        what,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_grant_year_filter_narrows_the_organisations_list() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kartoteka.db");
    prepare(&db).await;
    let (_driver, c) = start(&db).await;
    click_css(&c, "#sections [data-view=organizations]").await;
    listed(&c, &[GRANTED_2026, GRANTED_2025, NONE], "all three").await;

    type_into(&c, "#filter-granted_in_year", "2026").await;
    listed(&c, &[GRANTED_2026], "the one granted in 2026").await;
    type_into(&c, "#filter-granted_in_year", "2025").await;
    listed(&c, &[GRANTED_2025], "the one granted in 2025").await;

    // Out of range, typed over the year (selected, as a double click does): said under the
    // field in Polish, the list as it was.
    js(
        &c,
        "const i = document.getElementById('filter-granted_in_year'); i.focus(); i.select(); return true",
    )
    .await;
    keys(&c, "filter-granted_in_year", "1999").await;
    wait_js(
        &c,
        "const p = document.querySelector('[data-field=granted_in_year] .field-error'); return !p.hidden && p.textContent.startsWith('Rok dotacji')",
        "the year's error under the filter",
    )
    .await;
    listed(&c, &[GRANTED_2025], "the list kept").await;
    screenshot(&c, "grant_year_filter_refused").await;
    assert_eq!(
        js(&c, "return document.getElementById('toast').hidden").await,
        Value::Bool(true),
        "no error toast for a refused filter"
    );

    // Emptied (selected and deleted with Backspace): every organisation again.
    js(
        &c,
        "const i = document.getElementById('filter-granted_in_year'); i.focus(); i.select(); return true",
    )
    .await;
    keys(&c, "filter-granted_in_year", "\u{E003}").await;
    listed(&c, &[GRANTED_2026, GRANTED_2025, NONE], "all three again").await;
    wait_js(
        &c,
        "return document.querySelector('[data-field=granted_in_year] .field-error').hidden",
        "the error gone",
    )
    .await;
    finish(c).await;
}
