//! Several PCs on one server, played by several processes: a campaign is sent by one of them at
//! a time (a second is refused in Polish, and resumes after the first one is SIGKILLed, with
//! nobody getting the bulletin twice and nobody silently skipped), and four processes importing
//! and saving at once lose nothing and never share a numbered thing. Server-only (`pg_only_…`):
//! on a file, the same guarantees are the mail and atomic-writes tests'.

use crate::mail::{setup, Sink};
use crate::util::{fresh, test_server};
use kartoteka_core::advice::AdviceInput;
use kartoteka_core::import::{DuplicatePolicy, ImportKind, ImportOptions};
use kartoteka_core::mail::send::{RunOptions, OTHER_SENDER};
use kartoteka_core::register::{OrganizationInput, SaveOutcome};
use kartoteka_core::{Error, Kartoteka};
use serde_json::Value;
use sqlx::{Connection, PgConnection};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

const BODY: &str = "Dzień dobry, {imie}!\n\nZapraszamy na spotkanie sieci organizacji.\n";

fn cli(db: &str, logs: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kartoteka"));
    c.arg("--db").arg(db).env("KARTOTEKA_LOG_DIR", logs);
    c
}

/// Every queue row of the server's campaigns: (address, status).
async fn queue_rows(url: &str) -> Vec<(String, String)> {
    let mut c = PgConnection::connect(url).await.unwrap();
    let rows = sqlx::query_as("SELECT address, status FROM mail_queue ORDER BY id")
        .fetch_all(&mut c)
        .await
        .unwrap();
    c.close().await.unwrap();
    rows
}

#[tokio::test]
async fn pg_only_one_sender_per_campaign_and_another_pc_resumes_after_a_sigkill() {
    if test_server().is_none() {
        eprintln!("KARTOTEKA_TEST_POSTGRES not set: this PostgreSQL test is skipped");
        return;
    }
    // Killed while pacing, and while the server holds a whole message it has not answered yet
    // (that recipient is "uncertain": the user decides).
    for (round, slow) in ["0", "0.6"].into_iter().enumerate() {
        let db = fresh().await;
        assert!(db.on_server());
        let url = db.location();
        let (_, allowed) = setup(&db, 30).await;
        db.k.close().await;
        let sink = Sink::start(&["--slow-data", slow]);
        let logs = db.dir.path().join("logs");
        let body = db.dir.path().join("body.md");
        std::fs::write(&body, BODY).unwrap();

        // The first PC starts the campaign, two messages a second.
        let mut first = cli(&url, &logs)
            .args([
                "mail",
                "send",
                "--list",
                "Kontakty",
                "--subject",
                "Spotkanie sieci",
            ])
            .arg("--body-file")
            .arg(&body)
            .args(["--smtp", &sink.url(), "--rate", "120", "--json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        sink.wait_for(3, Duration::from_secs(30));
        assert!(
            sink.received().len() >= 3,
            "round {round}: the first PC sent nothing"
        );

        // A second PC is refused while the first one sends, from the command line…
        let out = cli(&url, &logs)
            .args([
                "mail",
                "resume",
                "--smtp",
                &sink.url(),
                "--rate",
                "0",
                "--json",
            ])
            .output()
            .unwrap();
        let refused: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(refused["error"], "busy", "round {round}: {refused}");
        assert_eq!(refused["message"], OTHER_SENDER);
        // …and from a window (which always names the campaign).
        let window = Kartoteka::open_location(url.as_ref()).await.unwrap();
        let mut c = PgConnection::connect(&url).await.unwrap();
        let campaign: i64 = sqlx::query_scalar("SELECT id FROM mail_messages")
            .fetch_one(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
        let mut settings = window.mail_settings().await.unwrap();
        settings.rate_per_minute = 0;
        let pause = AtomicBool::new(false);
        let e = window
            .run_queue(RunOptions {
                target: kartoteka_core::mail::send::SmtpTarget::from_url(&sink.url()).unwrap(),
                settings: settings.clone(),
                only: Some(campaign),
                pause: &pause,
                on_progress: &|_| {},
            })
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Busy(_)), "{e:?}");
        assert!(e
            .to_string()
            .starts_with("Tę kampanię wysyła teraz inny komputer"));
        assert!(
            sink.per_address().values().all(|n| *n == 1),
            "round {round}: a duplicate while the second PC was refused"
        );

        // The first PC dies mid-queue.
        if slow != "0" {
            let deadline = Instant::now() + Duration::from_secs(30);
            while sink.taken_in() <= sink.received().len() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        first.kill().unwrap(); // SIGKILL
        first.wait().unwrap();
        std::thread::sleep(Duration::from_millis(300));
        let before = sink.received().len();
        assert!(
            before < allowed.len(),
            "round {round}: killed after the end"
        );

        // The second PC resumes at once: the dead one's session, and its hold, are gone.
        let out = cli(&url, &logs)
            .args([
                "mail",
                "resume",
                "--smtp",
                &sink.url(),
                "--rate",
                "0",
                "--json",
            ])
            .output()
            .unwrap();
        let summary: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
        assert!(summary["error"].is_null(), "round {round}: {summary}");
        let per: BTreeMap<String, usize> = sink.per_address();
        assert!(
            per.values().all(|n| *n == 1),
            "round {round}: a duplicate: {per:?}"
        );
        let queue = queue_rows(&url).await;
        let uncertain: BTreeSet<&str> = queue
            .iter()
            .filter(|(_, s)| s == "uncertain")
            .map(|(a, _)| a.as_str())
            .collect();
        for a in &allowed {
            assert!(
                per.contains_key(a) || uncertain.contains(a.as_str()),
                "round {round}: {a} silently skipped"
            );
        }
        assert_eq!(
            summary["sent"].as_u64().unwrap() as usize + uncertain.len(),
            allowed.len(),
            "round {round}: {queue:?}"
        );
        if slow != "0" {
            assert_eq!(uncertain.len(), 1, "round {round}: the message in flight");
        }
        assert!(summary["sent_now"].as_u64().unwrap() > 0, "round {round}");
        window.close().await;
    }
}

const CHILD_DB: &str = "KARTOTEKA_TEST_PCS_DB";
const CHILD_GO: &str = "KARTOTEKA_TEST_PCS_GO";
const CHILD_NO: &str = "KARTOTEKA_TEST_PCS_NO";
const READY: &str = "KARTOTEKA-PC-READY";
const ROWS_PER_IMPORT: usize = 300;
const SAVES_PER_PC: usize = 15;

/// One PC of `pg_only_four_pcs_importing_and_saving_at_once`: on the parent's go, imports its
/// own sheet of organisations and, meanwhile, saves organisations and anonymous advice.
#[tokio::test]
#[ignore = "a child process of pg_only_four_pcs_importing_and_saving_at_once"]
async fn child_pc_importing_and_saving() {
    let Some(db) = std::env::var_os(CHILD_DB) else {
        return;
    };
    let no: usize = std::env::var(CHILD_NO).unwrap().parse().unwrap();
    let go = PathBuf::from(std::env::var_os(CHILD_GO).unwrap());
    let sheet = go.with_file_name(format!("pc{no}.csv"));
    let mut csv = String::from("Nazwa;Forma prawna;Miejscowość\n");
    for i in 0..ROWS_PER_IMPORT {
        csv.push_str(&format!(
            "Stowarzyszenie PC{no} nr {i};stowarzyszenie;Łódź\n"
        ));
    }
    std::fs::write(&sheet, csv).unwrap();
    let k = Kartoteka::open_location(&db).await.unwrap();
    println!("{READY}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !go.exists() {
        assert!(Instant::now() < deadline, "no go from the parent");
        std::thread::sleep(Duration::from_millis(1));
    }
    let importing = {
        let k = k.clone();
        tokio::spawn(async move {
            let options = ImportOptions {
                kind: ImportKind::Organizations,
                sheet: None,
                header_row: None,
                columns: None,
                header_mapping: None,
                on_duplicate: DuplicatePolicy::Skip,
                row_decisions: Default::default(),
            };
            k.import(
                &sheet,
                &options,
                false,
                None,
                Arc::new(AtomicBool::new(false)),
            )
            .await
            .unwrap()
        })
    };
    let today = chrono::Local::now()
        .date_naive()
        .format("%d.%m.%Y")
        .to_string();
    for i in 0..SAVES_PER_PC {
        let o = OrganizationInput {
            name: format!("Fundacja zapisana na PC{no} nr {i}"),
            legal_form: "fundacja".into(),
            city: "Kraków".into(),
            ..Default::default()
        };
        match k.save_organization(None, &o, false).await.unwrap() {
            SaveOutcome::Saved { .. } => {}
            other => panic!("not saved: {other:?}"),
        }
        let advice = AdviceInput {
            given_on: today.clone(),
            advisor: format!("Doradca PC{no}"),
            channel: "in_person".into(),
            outcome: "advice".into(),
            categories: vec!["ZAD.KOM".into()],
            minutes: "20".into(),
            ..Default::default()
        };
        k.save_advice(None, &advice).await.unwrap();
    }
    let report = importing.await.unwrap();
    let report = serde_json::to_value(&report).unwrap();
    println!("IMPORTED {}", report["imported"]);
}

#[tokio::test]
async fn pg_only_four_pcs_importing_and_saving_at_once() {
    if test_server().is_none() {
        eprintln!("KARTOTEKA_TEST_POSTGRES not set: this PostgreSQL test is skipped");
        return;
    }
    let db = fresh().await;
    let url = db.location();
    db.k.close().await;
    let go = db.dir.path().join("go");
    let pcs = 4;
    let mut children: Vec<Child> = (0..pcs)
        .map(|no| {
            Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "several_pcs::child_pc_importing_and_saving",
                    "--ignored",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(CHILD_DB, &url)
                .env(CHILD_GO, &go)
                .env(CHILD_NO, no.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut outputs: Vec<BufReader<std::process::ChildStdout>> = Vec::new();
    for child in &mut children {
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                out.read_line(&mut line).unwrap() > 0,
                "a PC ended before it was ready"
            );
            if line.contains(READY) {
                break;
            }
        }
        outputs.push(out);
    }
    std::fs::write(&go, b"").unwrap();
    let mut imported = Vec::new();
    for (mut child, mut out) in children.into_iter().zip(outputs) {
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
        assert!(child.wait().unwrap().success(), "a PC failed: {rest}");
        imported.push(
            rest.lines()
                .find_map(|l| l.strip_prefix("IMPORTED "))
                .unwrap_or_else(|| panic!("{rest}"))
                .trim()
                .to_string(),
        );
    }
    assert!(
        imported.iter().all(|n| n == &ROWS_PER_IMPORT.to_string()),
        "{imported:?}"
    );

    let mut c = PgConnection::connect(&url).await.unwrap();
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM organizations")
        .fetch_all(&mut c)
        .await
        .unwrap();
    assert_eq!(names.len(), pcs * (ROWS_PER_IMPORT + SAVES_PER_PC));
    let distinct: HashSet<&String> = names.iter().collect();
    assert_eq!(distinct.len(), names.len(), "an organisation saved twice");
    for no in 0..pcs {
        for i in [0, ROWS_PER_IMPORT - 1] {
            assert!(distinct.contains(&format!("Stowarzyszenie PC{no} nr {i}")));
        }
        assert!(distinct.contains(&format!(
            "Fundacja zapisana na PC{no} nr {}",
            SAVES_PER_PC - 1
        )));
    }
    // Each PC's import is one batch of its own, and every imported row points at it.
    let batches: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, inserted FROM import_batches ORDER BY id")
            .fetch_all(&mut c)
            .await
            .unwrap();
    assert_eq!(batches.len(), pcs, "{batches:?}");
    assert!(
        batches.iter().all(|(_, n)| *n == ROWS_PER_IMPORT as i64),
        "{batches:?}"
    );
    let per_batch: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT import_batch_id, COUNT(*) FROM organizations WHERE import_batch_id IS NOT NULL
         GROUP BY import_batch_id ORDER BY import_batch_id",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    assert_eq!(
        per_batch,
        batches
            .iter()
            .map(|(id, _)| (*id, ROWS_PER_IMPORT as i64))
            .collect::<Vec<_>>()
    );
    // Client codes handed out on four PCs at once: all distinct.
    let codes: Vec<Option<String>> = sqlx::query_scalar("SELECT client_code FROM advice_records")
        .fetch_all(&mut c)
        .await
        .unwrap();
    assert_eq!(codes.len(), pcs * SAVES_PER_PC);
    let distinct_codes: HashSet<&str> = codes.iter().filter_map(|c| c.as_deref()).collect();
    assert_eq!(distinct_codes.len(), codes.len(), "{codes:?}");
    // The search finds what the other PCs imported.
    let k = Kartoteka::open_location(url.as_ref()).await.unwrap();
    let found = k.search("stowarzyszenie pc3 nr 299", 5).await.unwrap();
    assert!(!found.is_empty(), "the search misses another PC's import");
    k.close().await;
    c.close().await.unwrap();
}
