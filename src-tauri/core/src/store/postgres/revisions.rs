//! Two people saving one record: the stories behind `Error::Conflict`, told through two
//! `Kartoteka` handles on one database (two windows on a file, two PCs on a server), each story
//! run on a fresh SQLite file and a fresh PostgreSQL database with the same assertions.

use crate::advice::AdviceInput;
use crate::error::Error;
use crate::register::*;
use crate::store::postgres::testing::{fresh_pg_url, fresh_sqlite};
use crate::Kartoteka;

/// Two handles on one fresh file.
async fn two_on_file() -> (tempfile::TempDir, Kartoteka, Kartoteka) {
    let (dir, first) = fresh_sqlite().await;
    let path = dir.path().join("kartoteka.db");
    drop(first);
    let a = Kartoteka::open(&path).await.unwrap();
    let b = Kartoteka::open(&path).await.unwrap();
    (dir, a, b)
}

/// Two connections to one fresh server database, as two PCs have.
async fn two_on_server() -> Option<(Kartoteka, Kartoteka)> {
    let url = fresh_pg_url().await?;
    let a = Kartoteka::connect(&url).await.unwrap();
    let b = Kartoteka::connect(&url).await.unwrap();
    Some((a, b))
}

fn conflict_of<T: std::fmt::Debug>(r: crate::Result<T>) -> (crate::error::Conflict, String) {
    match r {
        Err(Error::Conflict(c)) => {
            let message = Error::Conflict(c.clone()).to_string();
            (*c, message)
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// The name Ewa's changes carry: on a server with her login beside it, as the history shows
/// it, so a refused save names the person even where the author is a PC's default name.
async fn ewa(b: &Kartoteka) -> String {
    signed(b, "Ewa Nowak").await
}

async fn signed(k: &Kartoteka, name: &str) -> String {
    match k.current_login().await.unwrap().login {
        Some(login) if k.is_server() => format!("{name} (login: {login})"),
        _ => name.into(),
    }
}

fn saved_id(o: SaveOutcome) -> i64 {
    match o {
        SaveOutcome::Saved { id } => id,
        other => panic!("expected a save, got {other:?}"),
    }
}

async fn organization_story(a: &Kartoteka, b: &Kartoteka) {
    a.set_user_name("Jan Kowalski");
    b.set_user_name("Ewa Nowak");
    let ewa = ewa(b).await;
    let opened = OrganizationInput {
        name: "Fundacja Łąka".into(),
        legal_form: "fundacja".into(),
        city: "Łódź".into(),
        ..Default::default()
    };
    let id = saved_id(a.save_organization(None, &opened, false).await.unwrap());
    let seen = a.organization(id).await.unwrap().revision;
    assert_eq!(b.organization(id).await.unwrap().revision, seen);

    // Ewa saves first, from the revision both opened.
    let theirs = OrganizationInput {
        city: "Kraków".into(),
        revision: Some(seen),
        ..opened.clone()
    };
    saved_id(b.save_organization(Some(id), &theirs, false).await.unwrap());
    let after_theirs = b.organization(id).await.unwrap();
    assert_eq!(after_theirs.revision, seen + 1);
    assert_eq!(after_theirs.changed_by.as_deref(), Some(ewa.as_str()));
    let history_before = a.changes(RecordKind::Organization, id).await.unwrap().len();

    // Jan saves what he typed on the revision he opened: refused, nothing written.
    let mine = OrganizationInput {
        notes: "Spotkanie w czwartek".into(),
        revision: Some(seen),
        ..opened.clone()
    };
    let (conflict, message) = conflict_of(a.save_organization(Some(id), &mine, false).await);
    assert_eq!(conflict.changed_by, ewa);
    assert_eq!(conflict.changed_at, after_theirs.updated_at);
    assert_eq!(conflict.revision, seen + 1);
    assert!(message.contains(&ewa), "{message}");
    assert!(message.contains("nadal w formularzu"), "{message}");
    let unchanged = a.organization(id).await.unwrap();
    assert_eq!(
        serde_json::to_value(&unchanged).unwrap(),
        serde_json::to_value(&after_theirs).unwrap()
    );
    assert_eq!(
        a.changes(RecordKind::Organization, id).await.unwrap().len(),
        history_before
    );

    // Re-applied on their revision: his note over her city.
    let reapplied = OrganizationInput {
        city: "Kraków".into(),
        revision: Some(conflict.revision),
        ..mine.clone()
    };
    saved_id(
        a.save_organization(Some(id), &reapplied, false)
            .await
            .unwrap(),
    );
    let now = b.organization(id).await.unwrap();
    assert_eq!(
        (now.city.as_deref(), now.notes.as_deref(), now.revision),
        (Some("Kraków"), Some("Spotkanie w czwartek"), seen + 2)
    );
    let last = &a.changes(RecordKind::Organization, id).await.unwrap()[0];
    assert_eq!(
        (last.user_name.as_str(), last.field.as_str()),
        ("Jan Kowalski", "notes")
    );

    // Archiving is a write too: a form opened before it is refused, naming who archived.
    b.archive_organization(id, true).await.unwrap();
    let (conflict, _) = conflict_of(
        a.save_organization(
            Some(id),
            &OrganizationInput {
                revision: Some(seen + 2),
                ..reapplied
            },
            false,
        )
        .await,
    );
    assert_eq!(
        (conflict.changed_by.as_str(), conflict.revision),
        (ewa.as_str(), seen + 3)
    );
}

async fn person_story(a: &Kartoteka, b: &Kartoteka) {
    a.set_user_name("Jan Kowalski");
    b.set_user_name("Ewa Nowak");
    let ewa = ewa(b).await;
    let opened = PersonInput {
        first_name: "Anna".into(),
        last_name: "Żak".into(),
        emails: "anna@example.org".into(),
        ..Default::default()
    };
    let id = saved_id(a.save_person(None, &opened, false).await.unwrap());
    let seen = a.person(id).await.unwrap().revision;
    saved_id(
        b.save_person(
            Some(id),
            &PersonInput {
                phones: "600 100 200".into(),
                revision: Some(seen),
                ..opened.clone()
            },
            false,
        )
        .await
        .unwrap(),
    );
    let after_theirs = a.person(id).await.unwrap();
    let history_before = a.changes(RecordKind::Person, id).await.unwrap().len();
    let mine = PersonInput {
        last_name: "Żak-Nowicka".into(),
        revision: Some(seen),
        ..opened.clone()
    };
    let (conflict, message) = conflict_of(a.save_person(Some(id), &mine, false).await);
    assert_eq!(
        (conflict.changed_by.as_str(), conflict.revision),
        (ewa.as_str(), seen + 1)
    );
    assert!(message.contains(&ewa), "{message}");
    assert_eq!(
        serde_json::to_value(a.person(id).await.unwrap()).unwrap(),
        serde_json::to_value(&after_theirs).unwrap()
    );
    assert_eq!(
        a.changes(RecordKind::Person, id).await.unwrap().len(),
        history_before
    );
    saved_id(
        a.save_person(
            Some(id),
            &PersonInput {
                revision: Some(conflict.revision),
                ..mine
            },
            false,
        )
        .await
        .unwrap(),
    );
    let now = b.person(id).await.unwrap();
    assert_eq!(
        (now.last_name.as_str(), now.revision),
        ("Żak-Nowicka", seen + 2)
    );
}

async fn advice_story(a: &Kartoteka, b: &Kartoteka) {
    a.set_user_name("Jan Kowalski");
    b.set_user_name("Ewa Nowak");
    let ewa = ewa(b).await;
    let opened = AdviceInput {
        given_on: "2026-11-30".into(),
        advisor: "Jan Kowalski".into(),
        channel: "in_person".into(),
        outcome: "advice".into(),
        categories: vec!["MIE".into()],
        description: "Najem lokalu".into(),
        ..Default::default()
    };
    let id = a.save_advice(None, &opened).await.unwrap();
    let seen = a.advice(id).await.unwrap().revision;
    b.save_advice(
        Some(id),
        &AdviceInput {
            follow_up_done: true,
            revision: Some(seen),
            ..opened.clone()
        },
    )
    .await
    .unwrap();
    let after_theirs = a.advice(id).await.unwrap();
    assert_eq!(after_theirs.changed_by.as_deref(), Some(ewa.as_str()));
    let mine = AdviceInput {
        description: "Najem lokalu i kaucja".into(),
        revision: Some(seen),
        ..opened.clone()
    };
    let (conflict, message) = conflict_of(a.save_advice(Some(id), &mine).await);
    assert_eq!(
        (conflict.changed_by.as_str(), conflict.revision),
        (ewa.as_str(), seen + 1)
    );
    assert!(message.contains(&ewa), "{message}");
    assert_eq!(
        serde_json::to_value(a.advice(id).await.unwrap()).unwrap(),
        serde_json::to_value(&after_theirs).unwrap()
    );
    a.save_advice(
        Some(id),
        &AdviceInput {
            revision: Some(conflict.revision),
            ..mine
        },
    )
    .await
    .unwrap();
    let now = b.advice(id).await.unwrap();
    assert_eq!(
        (now.description.as_deref(), now.revision),
        (Some("Najem lokalu i kaucja"), seen + 2)
    );
}

/// An import that updates a record (and its undo) is another writer: a form opened before it
/// must not overwrite what it wrote.
async fn import_story(a: &Kartoteka) {
    a.set_user_name("Jan Kowalski");
    let opened = OrganizationInput {
        name: "Stowarzyszenie Sowa".into(),
        legal_form: "stowarzyszenie".into(),
        ..Default::default()
    };
    let id = saved_id(a.save_organization(None, &opened, false).await.unwrap());
    let seen = a.organization(id).await.unwrap().revision;
    let imported = OrganizationInput {
        city: "Gdańsk".into(),
        ..opened.clone()
    }
    .parse(&[])
    .unwrap();
    let mut batch = a
        .store()
        .begin_import("organizations", "arkusz.xlsx")
        .await
        .unwrap();
    batch
        .update_organization(id, &imported, "{}")
        .await
        .unwrap();
    batch.finish(0, 1, 0, 0).await.unwrap();
    let (conflict, message) = conflict_of(
        a.save_organization(
            Some(id),
            &OrganizationInput {
                notes: "po imporcie".into(),
                revision: Some(seen),
                ..opened
            },
            false,
        )
        .await,
    );
    assert_eq!(
        (conflict.changed_by.as_str(), conflict.revision),
        (
            signed(a, crate::store::sqlite::BY_IMPORT).await.as_str(),
            seen + 1
        )
    );
    assert!(message.contains("import z pliku"), "{message}");
    assert_eq!(a.organization(id).await.unwrap().notes, None);
}

/// Anonymisation is a write like any other, and what it removed never comes back: not from a
/// form opened before it, not by re-applying that form on the new revision.
async fn anonymisation_story(a: &Kartoteka, b: &Kartoteka) {
    a.set_user_name("Jan Kowalski");
    b.set_user_name("Ewa Nowak");
    let ewa = ewa(b).await;
    let opened = PersonInput {
        first_name: "Barbara".into(),
        last_name: "Wrona".into(),
        emails: "b.wrona@example.org".into(),
        ..Default::default()
    };
    let id = saved_id(a.save_person(None, &opened, false).await.unwrap());
    let seen = a.person(id).await.unwrap().revision;
    b.anonymize_person(id).await.unwrap();
    let mine = PersonInput {
        notes: "Dzwoniła we wtorek".into(),
        revision: Some(seen),
        ..opened
    };
    let (conflict, _) = conflict_of(a.save_person(Some(id), &mine, false).await);
    assert_eq!(conflict.changed_by, ewa);
    let again = a
        .save_person(
            Some(id),
            &PersonInput {
                revision: Some(conflict.revision),
                ..mine
            },
            false,
        )
        .await;
    match again {
        Err(Error::BadArgument(m)) => assert!(m.contains("zanonimizowane"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let now = a.person(id).await.unwrap();
    assert_eq!((now.first_name.as_str(), now.emails.len()), ("Osoba", 0));
    assert_eq!(now.notes, None);
}

#[tokio::test]
async fn an_anonymised_person_is_never_written_back_from_an_open_form_on_both_backends() {
    let (_dir, a, b) = two_on_file().await;
    anonymisation_story(&a, &b).await;
    if let Some((a, b)) = two_on_server().await {
        anonymisation_story(&a, &b).await;
    }
}

#[tokio::test]
async fn an_import_raises_the_revision_on_both_backends() {
    let (_dir, a, _b) = two_on_file().await;
    import_story(&a).await;
    if let Some((a, _b)) = two_on_server().await {
        import_story(&a).await;
    }
}

#[tokio::test]
async fn a_stale_organization_save_is_refused_with_who_and_when_on_both_backends() {
    let (_dir, a, b) = two_on_file().await;
    organization_story(&a, &b).await;
    if let Some((a, b)) = two_on_server().await {
        organization_story(&a, &b).await;
    }
}

#[tokio::test]
async fn a_stale_person_save_is_refused_and_reapplied_on_both_backends() {
    let (_dir, a, b) = two_on_file().await;
    person_story(&a, &b).await;
    if let Some((a, b)) = two_on_server().await {
        person_story(&a, &b).await;
    }
}

#[tokio::test]
async fn a_stale_advice_save_is_refused_and_reapplied_on_both_backends() {
    let (_dir, a, b) = two_on_file().await;
    advice_story(&a, &b).await;
    if let Some((a, b)) = two_on_server().await {
        advice_story(&a, &b).await;
    }
}

/// A PC where nobody set a name writes as the default "użytkownik": on a server the conflict
/// then names the login alone, which is the person; on a file it can only say the default.
#[tokio::test]
async fn a_default_author_on_a_server_is_named_by_the_login() {
    let Some((a, b)) = two_on_server().await else {
        return;
    };
    b.set_user_name("użytkownik");
    let login = b.current_login().await.unwrap().login.unwrap();
    let opened = PersonInput {
        first_name: "Celina".into(),
        last_name: "Bąk".into(),
        ..Default::default()
    };
    let id = saved_id(a.save_person(None, &opened, false).await.unwrap());
    let seen = a.person(id).await.unwrap().revision;
    b.archive_person(id, true).await.unwrap();
    let (conflict, message) = conflict_of(
        a.save_person(
            Some(id),
            &PersonInput {
                notes: "Zadzwonić".into(),
                revision: Some(seen),
                ..opened
            },
            false,
        )
        .await,
    );
    assert_eq!(conflict.changed_by, login);
    assert!(!message.contains("użytkownik"), "{message}");
}

#[test]
fn the_login_goes_with_a_chosen_author_and_replaces_a_default_one() {
    use crate::store::postgres::register::signed_by;
    assert_eq!(signed_by("Ewa Nowak", "ewa"), "Ewa Nowak (login: ewa)");
    assert_eq!(signed_by("użytkownik", "ewa"), "ewa");
    assert_eq!(signed_by(&crate::history::system_user(), "ewa"), "ewa");
    assert_eq!(signed_by("ewa", "ewa"), "ewa");
    assert_eq!(signed_by("  ", "ewa"), "ewa");
}
