//! Two programs editing one record (two PCs on a server, a second window or process on a file):
//! the second save of the same revision is refused with who and when, writes nothing, and the
//! typed changes can be saved again on the new revision. The other programs are real processes
//! (this test binary re-run as a child), on whichever backend the run tests.

use crate::util::{fresh, save_org};
use kartoteka_core::history::Change;
use kartoteka_core::register::{OrganizationInput, RecordKind, SaveOutcome};
use kartoteka_core::{Error, Kartoteka};
use std::process::{Command, Stdio};

const CHILD_DB: &str = "KARTOTEKA_TEST_CHILD_DB";
const CHILD_SAVE: &str = "KARTOTEKA_TEST_CHILD_SAVE";

/// What a child prints as its last line: `saved` or `conflict:<who>`.
const RESULT: &str = "KARTOTEKA-CHILD-RESULT ";

fn opened() -> OrganizationInput {
    OrganizationInput {
        name: "Fundacja Dobry Sąsiad".into(),
        legal_form: "fundacja".into(),
        city: "Łódź".into(),
        ..Default::default()
    }
}

/// Another program saving organisation `id` as `user` with `city`, from `revision`.
fn child(db: &str, id: i64, revision: i64, user: &str, city: &str) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "conflicts::child_saving_an_organization",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DB, db)
        .env(CHILD_SAVE, format!("{id}\t{revision}\t{user}\t{city}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn result_of(c: std::process::Child) -> String {
    let out = c.wait_with_output().unwrap();
    assert!(out.status.success(), "the child failed: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        // The test harness prints "test … ... " before the child's own line.
        .find_map(|l| l.split_once(RESULT).map(|(_, r)| r.trim().to_string()))
        .unwrap_or_else(|| panic!("no result from the child: {out:?}"))
}

/// The child's side: open the database as its own program and save once.
#[tokio::test]
#[ignore = "run by the conflict tests as another program"]
async fn child_saving_an_organization() {
    let (Ok(db), Ok(save)) = (std::env::var(CHILD_DB), std::env::var(CHILD_SAVE)) else {
        return;
    };
    let parts: Vec<&str> = save.split('\t').collect();
    let (id, revision): (i64, i64) = (parts[0].parse().unwrap(), parts[1].parse().unwrap());
    let k = Kartoteka::open_location(db.as_ref()).await.unwrap();
    k.set_user_name(parts[2]);
    let input = OrganizationInput {
        city: parts[3].into(),
        revision: Some(revision),
        ..opened()
    };
    match k.save_organization(Some(id), &input, false).await {
        Ok(SaveOutcome::Saved { .. }) => println!("{RESULT}saved"),
        Err(Error::Conflict(c)) => println!("{RESULT}conflict:{}", c.changed_by),
        other => panic!("unexpected: {other:?}"),
    }
}

async fn history(k: &Kartoteka, id: i64) -> Vec<(String, String, Option<String>)> {
    k.changes(RecordKind::Organization, id)
        .await
        .unwrap()
        .into_iter()
        .map(|c: Change| (c.user_name, c.field, c.new_value))
        .collect()
}

/// The name a change is stored with: on a server with the login beside it (the same login for
/// every program here), so a refused save names the person.
async fn signed(k: &Kartoteka, name: &str) -> String {
    match k.current_login().await.unwrap().login {
        Some(login) if k.is_server() => format!("{name} (login: {login})"),
        _ => name.to_string(),
    }
}

#[tokio::test]
async fn a_save_from_a_revision_another_program_replaced_is_refused_then_reapplied() {
    let db = fresh().await;
    db.k.set_user_name("Jan Kowalski");
    let id = save_org(&db.k, &opened()).await;
    let seen = db.k.organization(id).await.unwrap().revision;

    // The other PC saves first.
    let r = result_of(child(&db.location(), id, seen, "Ewa Nowak", "Kraków"));
    assert_eq!(r, "saved");
    let theirs = db.k.organization(id).await.unwrap();
    assert_eq!(
        (theirs.city.as_deref(), theirs.revision),
        (Some("Kraków"), seen + 1)
    );
    let history_then = history(&db.k, id).await;

    // This program's save from the revision it opened: refused, naming Ewa; nothing written.
    let mine = OrganizationInput {
        notes: "Prezes zmienia się w styczniu".into(),
        revision: Some(seen),
        ..opened()
    };
    let conflict = match db.k.save_organization(Some(id), &mine, false).await {
        Err(Error::Conflict(c)) => c,
        other => panic!("expected a conflict, got {other:?}"),
    };
    let ewa = signed(&db.k, "Ewa Nowak").await;
    assert_eq!(conflict.changed_by, ewa);
    assert_eq!(conflict.changed_at, theirs.updated_at);
    let message = Error::Conflict(conflict.clone()).to_string();
    assert!(message.contains(&ewa), "{message}");
    assert_eq!(
        serde_json::to_value(db.k.organization(id).await.unwrap()).unwrap(),
        serde_json::to_value(&theirs).unwrap()
    );
    assert_eq!(history(&db.k, id).await, history_then);

    // Saved again on their revision: her city and his note, both kept.
    let again = OrganizationInput {
        city: "Kraków".into(),
        revision: Some(conflict.revision),
        ..mine
    };
    assert!(matches!(
        db.k.save_organization(Some(id), &again, false).await,
        Ok(SaveOutcome::Saved { .. })
    ));
    let now = db.k.organization(id).await.unwrap();
    assert_eq!(
        (now.city.as_deref(), now.notes.as_deref()),
        (Some("Kraków"), Some("Prezes zmienia się w styczniu"))
    );
    assert_eq!(
        history(&db.k, id).await[0],
        (
            "Jan Kowalski".into(),
            "notes".into(),
            Some("Prezes zmienia się w styczniu".into())
        )
    );
}

#[tokio::test]
async fn two_programs_saving_one_revision_at_once_one_wins_and_the_other_is_told_who() {
    let db = fresh().await;
    let id = save_org(&db.k, &opened()).await;
    let seen = db.k.organization(id).await.unwrap().revision;
    // Started together: whichever commits first wins, whatever the timing.
    let a = child(&db.location(), id, seen, "Ewa Nowak", "Kraków");
    let b = child(&db.location(), id, seen, "Piotr Wiśniewski", "Gdańsk");
    let (ra, rb) = (result_of(a), result_of(b));
    let now = db.k.organization(id).await.unwrap();
    assert_eq!(now.revision, seen + 1, "{ra} / {rb}");
    let (ewa, piotr) = (
        format!("conflict:{}", signed(&db.k, "Ewa Nowak").await),
        format!("conflict:{}", signed(&db.k, "Piotr Wiśniewski").await),
    );
    match (ra.as_str(), rb.as_str()) {
        ("saved", r) if r == ewa => assert_eq!(now.city.as_deref(), Some("Kraków")),
        (r, "saved") if r == piotr => assert_eq!(now.city.as_deref(), Some("Gdańsk")),
        other => panic!("exactly one save must go through: {other:?}"),
    }
    // One change of the city in the history, by the one who won.
    let cities: Vec<_> = history(&db.k, id)
        .await
        .into_iter()
        .filter(|(_, field, _)| field == "city")
        .collect();
    assert_eq!(cities.len(), 1, "{cities:?}");
}
