//! Writes that must be whole across processes: a save and its change-log rows survive a SIGKILL
//! together or not at all, and processes adding advice at once never share a client code. The
//! writers are this test binary run again as child processes (`#[ignore]`d entry points that
//! act only when the parent passes them a database in `CHILD_DB`). On a file, or (in a
//! PostgreSQL run) on a server's database, where the children are the PCs of one office.

use kartoteka_core::advice::AdviceInput;
use kartoteka_core::register::{
    ConsentInput, OrganizationInput, PersonInput, RecordKind, SaveOutcome,
};
use kartoteka_core::Kartoteka;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgConnection, SqliteConnection};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_DB: &str = "KARTOTEKA_TEST_CHILD_DB";
const CHILD_GO: &str = "KARTOTEKA_TEST_CHILD_GO";
const READY: &str = "KARTOTEKA-CHILD-READY";

/// This binary, running only the ignored child entry point `name` against `db` (a file's path
/// or a server's address).
fn spawn_child(name: &str, db: &str, go: Option<&Path>) -> Child {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([
        "--exact",
        name,
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_DB, db)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if let Some(go) = go {
        c.env(CHILD_GO, go);
    }
    c.spawn().unwrap()
}

/// Waits until the child has opened the database (its ready line), so a kill lands in its
/// saving loop and not in its start-up.
fn wait_ready(child: &mut Child) {
    let out = child.stdout.as_mut().unwrap();
    let mut lines = BufReader::new(out);
    let mut line = String::new();
    loop {
        line.clear();
        let n = lines.read_line(&mut line).unwrap();
        assert!(n > 0, "the child ended before it was ready");
        if line.contains(READY) {
            return;
        }
    }
}

fn announce_ready() {
    use std::io::Write;
    println!("\n{READY}");
    std::io::stdout().flush().unwrap();
}

/// A plain connection to the database, for reading its tables as they are.
enum Raw {
    File(SqliteConnection),
    Server(PgConnection),
}

async fn raw(db: &str) -> Raw {
    if kartoteka_core::store::is_server_address(db) {
        return Raw::Server(PgConnection::connect(db).await.unwrap());
    }
    Raw::File(
        SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(db))
            .await
            .unwrap(),
    )
}

impl Raw {
    async fn close(self) {
        match self {
            Raw::File(c) => c.close().await.unwrap(),
            Raw::Server(c) => c.close().await.unwrap(),
        }
    }
}

/// Runs one query (written once, `$1` for its parameter on both backends) on either kind of
/// connection: `$fetch` is fetch_one or fetch_all.
macro_rules! on_raw {
    ($raw:expr, $query:expr, $fetch:ident) => {
        match &mut $raw {
            Raw::File(c) => $query.$fetch(&mut *c).await.unwrap(),
            Raw::Server(c) => $query.$fetch(&mut *c).await.unwrap(),
        }
    };
}

/// Creates and migrates the database before any child starts, so children never migrate at
/// once; its location for the children.
async fn prepared_db(place: &crate::util::Place) -> String {
    let k = place.open().await;
    k.close().await;
    drop(k);
    place.location()
}

fn saved(outcome: SaveOutcome) -> i64 {
    match outcome {
        SaveOutcome::Saved { id } => id,
        other => panic!("not saved: {other:?}"),
    }
}

fn organization(name: &str) -> OrganizationInput {
    OrganizationInput {
        name: name.into(),
        legal_form: "stowarzyszenie".into(),
        city: "Lublin".into(),
        ..Default::default()
    }
}

fn person(last: &str) -> PersonInput {
    PersonInput {
        first_name: "Ewa".into(),
        last_name: last.into(),
        ..Default::default()
    }
}

fn consent() -> ConsentInput {
    ConsentInput {
        channel: "email_bulletin".into(),
        date: String::new(),
        source: "formularz papierowy".into(),
    }
}

/// The child of `a_killed_save_keeps_its_history_or_neither`: every kind of write that logs
/// changes, over and over, until the parent kills it.
#[tokio::test]
#[ignore = "a child process of a_killed_save_keeps_its_history_or_neither"]
async fn child_saving_with_history_until_killed() {
    let Some(db) = std::env::var_os(CHILD_DB) else {
        return;
    };
    let k = Kartoteka::open_location(&db).await.unwrap();
    announce_ready();
    let tag = std::process::id();
    for i in 0u64.. {
        let name = format!("Stowarzyszenie {tag}-{i}");
        let org = saved(
            k.save_organization(None, &organization(&name), true)
                .await
                .unwrap(),
        );
        k.save_organization(Some(org), &organization(&format!("{name} Nowe")), true)
            .await
            .unwrap();
        k.archive_organization(org, i % 2 == 0).await.unwrap();
        let granted = k.grant_organization_consent(org, &consent()).await.unwrap();
        if i % 3 == 0 {
            k.withdraw_organization_consent(granted, "", "telefon")
                .await
                .unwrap();
        }
        let p = saved(
            k.save_person(None, &person(&format!("Nowak {tag}-{i}")), true)
                .await
                .unwrap(),
        );
        k.save_person(Some(p), &person(&format!("Kowalska {tag}-{i}")), true)
            .await
            .unwrap();
        k.archive_person(p, i % 2 == 1).await.unwrap();
        let granted = k.grant_consent(p, &consent()).await.unwrap();
        if i % 3 == 1 {
            k.withdraw_consent(granted, "", "telefon").await.unwrap();
        }
    }
}

/// Problems found in the database: records whose last change is missing from the history,
/// and history rows of records that are not there.
async fn history_mismatches(db: &str) -> Vec<String> {
    let mut c = raw(db).await;
    let mut found = Vec::new();
    // A file's own page check (a server checks its pages itself; a kill of a client cannot
    // leave them half-written).
    if let Raw::File(file) = &mut c {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut *file)
            .await
            .unwrap();
        if integrity != "ok" {
            found.push(format!("integrity_check: {integrity}"));
        }
    }
    for (entity, table) in [("organization", "organizations"), ("person", "people")] {
        let query = format!(
            "SELECT COUNT(*) FROM change_log c WHERE c.entity = $1 AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.id = c.entity_id)"
        );
        let orphans: i64 = on_raw!(c, sqlx::query_scalar(&query).bind(entity), fetch_one);
        if orphans > 0 {
            found.push(format!(
                "{orphans} {entity} history rows without their record"
            ));
        }
    }
    // The name as the history last told it (the creation row, then renames) is the name kept.
    let names: Vec<(i64, String, Option<String>)> = on_raw!(
        c,
        sqlx::query_as(
            "SELECT o.id, o.name, (SELECT c.new_value FROM change_log c WHERE c.entity = 'organization' AND c.entity_id = o.id
           AND c.field IN ('created', 'name') ORDER BY c.id DESC LIMIT 1) FROM organizations o",
        ),
        fetch_all
    );
    for (id, name, told) in names {
        if told.as_deref() != Some(name.as_str()) {
            found.push(format!(
                "organisation {id} is {name:?}, its history says {told:?}"
            ));
        }
    }
    // (id, first name, last name, the last naming row's field and value)
    type Named = (i64, String, String, Option<String>, Option<String>);
    let names: Vec<Named> = on_raw!(
        c,
        sqlx::query_as(
            "SELECT p.id, p.first_name, p.last_name, (SELECT c.field FROM change_log c WHERE c.entity = 'person' AND c.entity_id = p.id
           AND c.field IN ('created', 'last_name') ORDER BY c.id DESC LIMIT 1),
         (SELECT c.new_value FROM change_log c WHERE c.entity = 'person' AND c.entity_id = p.id
           AND c.field IN ('created', 'last_name') ORDER BY c.id DESC LIMIT 1) FROM people p",
        ),
        fetch_all
    );
    for (id, first, last, field, told) in names {
        let kept = match field.as_deref() {
            Some("created") => format!("{first} {last}"),
            _ => last,
        };
        if told.as_deref() != Some(kept.as_str()) {
            found.push(format!(
                "person {id} is {kept:?}, its history says {told:?}"
            ));
        }
    }
    for (entity, table) in [("organization", "organizations"), ("person", "people")] {
        let query = format!(
            "SELECT r.id, r.archived_at IS NOT NULL, (SELECT c.new_value FROM change_log c WHERE c.entity = $1 AND c.entity_id = r.id
               AND c.field = 'archived' ORDER BY c.id DESC LIMIT 1) FROM {table} r"
        );
        let archived: Vec<(i64, bool, Option<String>)> =
            on_raw!(c, sqlx::query_as(&query).bind(entity), fetch_all);
        for (id, archived, told) in archived {
            let told_archived = told.as_deref() == Some("tak");
            if archived != told_archived {
                found.push(format!(
                    "{entity} {id}: archived {archived}, its history says {told:?}"
                ));
            }
        }
    }
    for (entity, table, owner_table, owner) in [
        (
            "organization",
            "organization_consents",
            "organizations",
            "organization_id",
        ),
        ("person", "consents", "people", "person_id"),
    ] {
        let query = format!(
            "SELECT r.id,
               (SELECT COUNT(*) FROM {table} k WHERE k.{owner} = r.id),
               (SELECT COUNT(*) FROM change_log c WHERE c.entity = $1 AND c.entity_id = r.id
                  AND c.field = 'consent:email_bulletin' AND c.old_value IS NULL),
               (SELECT COUNT(*) FROM {table} k WHERE k.{owner} = r.id AND k.withdrawn_on IS NOT NULL),
               (SELECT COUNT(*) FROM change_log c WHERE c.entity = $1 AND c.entity_id = r.id
                  AND c.field = 'consent:email_bulletin' AND c.old_value IS NOT NULL)
             FROM {owner_table} r"
        );
        let counts: Vec<(i64, i64, i64, i64, i64)> =
            on_raw!(c, sqlx::query_as(&query).bind(entity), fetch_all);
        for (id, grants, grants_told, withdrawals, withdrawals_told) in counts {
            if (grants, withdrawals) != (grants_told, withdrawals_told) {
                found.push(format!(
                    "{entity} {id}: {grants} consents and {withdrawals} withdrawals, its history tells {grants_told} and {withdrawals_told}"
                ));
            }
        }
    }
    c.close().await;
    found
}

#[tokio::test]
async fn a_killed_save_keeps_its_history_or_neither() {
    let place = crate::util::fresh_place().await;
    let db = prepared_db(&place).await;
    // Kill moments spread over 0-119 ms after the child is ready, in no particular order, so
    // they fall into every part of its loop (a loop round takes a few milliseconds on a file;
    // on a server each write is a few round trips, so a round is longer and so is the spread).
    let spread = if place.on_server() { 600 } else { 120 };
    let rounds = 30;
    for round in 0..rounds {
        let mut child = spawn_child(
            "atomic_writes::child_saving_with_history_until_killed",
            &db,
            None,
        );
        wait_ready(&mut child);
        std::thread::sleep(Duration::from_millis((round * 37 + 3) % spread));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    let mut c = raw(&db).await;
    let (organizations, people, newest): (i64, i64, i64) = on_raw!(
        c,
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM organizations), (SELECT COUNT(*) FROM people), (SELECT MAX(id) FROM organizations)",
        ),
        fetch_one
    );
    c.close().await;
    assert!(
        organizations >= rounds as i64 && people >= rounds as i64,
        "the children hardly saved anything ({organizations} organisations, {people} people): the kills tested nothing"
    );
    let mismatches = history_mismatches(&db).await;
    assert!(
        mismatches.is_empty(),
        "after {rounds} kills, records and their history disagree:\n{}",
        mismatches.join("\n")
    );
    // The program itself opens the database after the crashes and shows the last record with
    // the history that made it.
    let k = place.open().await;
    let last = k.organization(newest).await.unwrap();
    let told = k.changes(RecordKind::Organization, last.id).await.unwrap();
    assert!(
        told.iter().any(|c| c.field == "created"),
        "organisation {}: {told:?}",
        last.id
    );
}

/// The child of `processes_adding_advice_at_once_get_distinct_client_codes`: waits for the
/// parent's go, then adds advice for anonymous clients.
#[tokio::test]
#[ignore = "a child process of processes_adding_advice_at_once_get_distinct_client_codes"]
async fn child_adding_anonymous_advice() {
    let Some(db) = std::env::var_os(CHILD_DB) else {
        return;
    };
    let go = PathBuf::from(std::env::var_os(CHILD_GO).unwrap());
    let k = Kartoteka::open_location(&db).await.unwrap();
    announce_ready();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !go.exists() {
        assert!(Instant::now() < deadline, "no go from the parent");
        std::thread::sleep(Duration::from_millis(1));
    }
    let today = chrono::Local::now()
        .date_naive()
        .format("%d.%m.%Y")
        .to_string();
    for _ in 0..ADVICE_PER_PROCESS {
        let input = AdviceInput {
            given_on: today.clone(),
            advisor: "Anna Kowalska".into(),
            channel: "in_person".into(),
            outcome: "advice".into(),
            categories: vec!["ZAD.KOM".into()],
            minutes: "30".into(),
            ..Default::default()
        };
        k.save_advice(None, &input).await.unwrap();
    }
}

const ADVICE_PER_PROCESS: usize = 25;

#[tokio::test]
async fn processes_adding_advice_at_once_get_distinct_client_codes() {
    let place = crate::util::fresh_place().await;
    let db = prepared_db(&place).await;
    let go = place.dir.path().join("go");
    let processes = 4;
    let mut children: Vec<Child> = (0..processes)
        .map(|_| {
            spawn_child(
                "atomic_writes::child_adding_anonymous_advice",
                &db,
                Some(&go),
            )
        })
        .collect();
    for child in &mut children {
        wait_ready(child);
    }
    std::fs::write(&go, b"").unwrap();
    for mut child in children {
        // Drain stdout so a chatty child can never block on a full pipe.
        let mut rest = String::new();
        std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut rest).unwrap();
        let status = child.wait().unwrap();
        assert!(status.success(), "a child failed to save its advice");
    }
    let mut c = raw(&db).await;
    let codes: Vec<Option<String>> = on_raw!(
        c,
        sqlx::query_scalar("SELECT client_code FROM advice_records"),
        fetch_all
    );
    c.close().await;
    let all = processes * ADVICE_PER_PROCESS;
    assert_eq!(codes.len(), all);
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let distinct: HashSet<&str> = codes.iter().filter_map(|c| c.as_deref()).collect();
    assert!(
        distinct
            .iter()
            .all(|c| c.starts_with(&format!("K-{year}-")) && c.len() == 11),
        "{distinct:?}"
    );
    assert_eq!(
        distinct.len(),
        all,
        "{} client codes were handed out more than once",
        all - distinct.len()
    );
}

/// The counter never hands out a code already in use: one typed by hand (or given before the
/// counter existed) moves it on.
#[tokio::test]
async fn a_code_typed_by_hand_is_never_handed_out_again() {
    let db = crate::util::fresh().await;
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let today = chrono::Local::now()
        .date_naive()
        .format("%d.%m.%Y")
        .to_string();
    let advice = |code: &str| AdviceInput {
        given_on: today.clone(),
        advisor: "Anna Kowalska".into(),
        channel: "in_person".into(),
        outcome: "advice".into(),
        categories: vec!["ZAD.KOM".into()],
        minutes: "30".into(),
        client_code: code.into(),
        ..Default::default()
    };
    let code_of = |id: i64| {
        let k = db.k.clone();
        async move { k.advice(id).await.unwrap().client_code.unwrap() }
    };
    let first = db.k.save_advice(None, &advice("")).await.unwrap();
    assert_eq!(code_of(first).await, format!("K-{year}-0001"));
    let typed =
        db.k.save_advice(None, &advice(&format!("K-{year}-0050")))
            .await
            .unwrap();
    assert_eq!(code_of(typed).await, format!("K-{year}-0050"));
    let next = db.k.save_advice(None, &advice("")).await.unwrap();
    assert_eq!(code_of(next).await, format!("K-{year}-0051"));
}
