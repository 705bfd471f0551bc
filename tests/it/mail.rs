//! Mailing through a real SMTP server on 127.0.0.1 (tests/fixtures/smtp_sink.py, Debian's
//! python3-aiosmtpd), started by each test: exactly one message per consenting recipient,
//! Polish subjects and bodies decoded, merge fields filled, refusals and dropped connections
//! failed or retried, the pace limit, and a SIGKILL in the middle of the queue.

use crate::util::{fresh, org, save_org, save_person, TestDb};
use kartoteka_core::mail::send::{RunOptions, SendSummary, SmtpTarget};
use kartoteka_core::mail::*;
use kartoteka_core::register::{ConsentInput, PersonInput, RoleInput};
use kartoteka_core::Kartoteka;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

pub struct Sink {
    child: Child,
    pub port: u16,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

impl Sink {
    pub fn start(args: &[&str]) -> Sink {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("received.jsonl");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/smtp_sink.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg("--out")
            .arg(&out)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (apt install python3-aiosmtpd)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the SMTP sink did not start: {line:?}"));
        Sink {
            child,
            port,
            out,
            _dir: dir,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages recorded so far; a line the sink is still writing (no newline yet) waits
    /// for the next call.
    pub fn received(&self) -> Vec<Value> {
        let bytes = std::fs::read(&self.out).unwrap_or_default();
        let complete = &bytes[..bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)];
        std::str::from_utf8(complete)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// How many messages each envelope recipient got.
    pub fn per_address(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for r in self.received() {
            for to in r["rcpt"].as_array().unwrap() {
                *m.entry(to.as_str().unwrap().to_lowercase()).or_insert(0) += 1;
            }
        }
        m
    }

    /// How many messages the server has taken in whole (with --slow-data: before answering).
    pub fn taken_in(&self) -> usize {
        let mut path = self.out.clone().into_os_string();
        path.push(".inflight");
        std::fs::read(path)
            .unwrap_or_default()
            .iter()
            .filter(|b| **b == b'\n')
            .count()
    }

    pub fn wait_for(&self, n: usize, limit: Duration) {
        let start = Instant::now();
        while self.received().len() < n && start.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const FIRST: [&str; 6] = ["Zofia", "Łukasz", "Małgorzata", "Józef", "Ewa", "Ścibor"];

/// `n` people, contact persons of a foundation in Łódź, with e-mails osobaN@przyklad.pl; every
/// fifth has no consent and person 1 withdrew it. Returns the addresses that may be written to.
pub async fn setup(db: &TestDb, n: usize) -> (i64, BTreeSet<String>) {
    let k = &db.k;
    let mut o = org("Fundacja Łąka", "Łódź");
    o.emails = "fundacja@laka.example.pl".into();
    let org_id = save_org(k, &o).await;
    let mut allowed = BTreeSet::new();
    for i in 0..n {
        let p = PersonInput {
            first_name: FIRST[i % FIRST.len()].into(),
            last_name: format!("Żółkiewska{i}"),
            emails: format!("osoba{i}@przyklad.pl"),
            roles: vec![RoleInput {
                organization_id: org_id,
                role: "osoba kontaktowa".into(),
            }],
            ..Default::default()
        };
        let id = save_person(k, &p).await;
        if i % 5 == 0 {
            continue;
        }
        let consent = k
            .grant_consent(
                id,
                &ConsentInput {
                    channel: "email_bulletin".into(),
                    date: String::new(),
                    source: "formularz".into(),
                },
            )
            .await
            .unwrap();
        if i == 1 {
            k.withdraw_consent(consent, "", "prośba telefoniczna")
                .await
                .unwrap();
        } else {
            allowed.insert(format!("osoba{i}@przyklad.pl"));
        }
    }
    let settings = MailSettings {
        host: "127.0.0.1".into(),
        port: 25,
        security: Security::None,
        from_address: "biuro@centrum.example.pl".into(),
        from_name: "Centrum Organizacji Pozarządowych".into(),
        rate_per_minute: 0,
        ..Default::default()
    };
    k.save_mail_settings(&settings).await.unwrap();
    let segment = Segment {
        audience: Audience::People,
        role: "osoba kontaktowa".into(),
        ..Default::default()
    };
    let list = k
        .save_mailing_list(
            None,
            &ListInput {
                name: "Kontakty".into(),
                segment: Some(segment),
            },
        )
        .await
        .unwrap();
    (list, allowed)
}

fn target(sink: &Sink) -> SmtpTarget {
    let mut t = SmtpTarget::from_url(&sink.url()).unwrap();
    t.timeout = Duration::from_secs(1);
    t.retry_delay = Duration::from_millis(100);
    t
}

async fn run(k: &Kartoteka, t: SmtpTarget, only: Option<i64>, rate: u32) -> SendSummary {
    let mut settings = k.mail_settings().await.unwrap();
    settings.rate_per_minute = rate;
    let pause = AtomicBool::new(false);
    k.run_queue(RunOptions {
        target: t,
        settings,
        only,
        pause: &pause,
        on_progress: &|_| {},
    })
    .await
    .unwrap()
}

const BODY: &str = "## Dzień dobry, {imie} {nazwisko}!\n\nZapraszamy **{nazwa}** na szkolenie o grantach.\n\n- termin: 3 grudnia\n- [zapisy](https://ngo.example.pl/zapisy)\n";

#[tokio::test]
async fn each_consenting_recipient_gets_exactly_one_message_with_polish_text() {
    let db = fresh().await;
    let (list, allowed) = setup(&db, 12).await;
    let k = &db.k;
    let count = k
        .mailing_lists()
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.id == list)
        .unwrap()
        .count;
    assert_eq!(count.recipients, allowed.len());
    assert_eq!(count.skipped_no_consent, 12 - allowed.len());

    let input = MessageInput {
        kind: MessageKind::Bulletin,
        is_template: false,
        subject: "Szkolenie: zażółć gęślą jaźń — {imie}".into(),
        body: BODY.into(),
        list_id: Some(list),
    };
    let id = k.save_message(None, &input).await.unwrap();
    let pdf = db.dir.path().join("program szkolenia.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n%test\n").unwrap();
    k.add_attachment(id, &pdf).await.unwrap();
    let queued = k.enqueue_message(id).await.unwrap();
    assert_eq!(queued.queued, allowed.len());

    let sink = Sink::start(&[]);
    let summary = run(k, target(&sink), Some(id), 0).await;
    assert_eq!(
        (
            summary.sent,
            summary.failed,
            summary.uncertain,
            summary.queued
        ),
        (allowed.len() as i64, 0, 0, 0)
    );
    assert_eq!(summary.skipped_no_consent, (12 - allowed.len()) as i64);

    let per = sink.per_address();
    assert_eq!(
        per.keys().cloned().collect::<BTreeSet<_>>(),
        allowed,
        "only consenting people, each once"
    );
    assert!(per.values().all(|n| *n == 1));
    for m in sink.received() {
        let to = m["rcpt"][0].as_str().unwrap();
        let i: usize = to
            .trim_start_matches("osoba")
            .trim_end_matches("@przyklad.pl")
            .parse()
            .unwrap();
        let first = FIRST[i % FIRST.len()];
        assert_eq!(
            m["subject"],
            format!("Szkolenie: zażółć gęślą jaźń — {first}")
        );
        assert!(
            m["raw_header_subject"]
                .as_str()
                .unwrap()
                .contains("=?utf-8?"),
            "RFC 2047 encoded subject"
        );
        assert_eq!(
            m["list_unsubscribe"],
            "<mailto:biuro@centrum.example.pl?subject=wypisz>"
        );
        let text = m["text"].as_str().unwrap();
        assert!(
            text.contains(&format!(
                "DZIEŃ DOBRY, {} ŻÓŁKIEWSKA{i}!",
                first.to_uppercase()
            )),
            "{text}"
        );
        assert!(text.contains("Zapraszamy Fundacja Łąka na szkolenie"));
        assert!(
            text.contains("Aby się wypisać"),
            "unsubscribe footer in the text part"
        );
        let html = m["html"].as_str().unwrap();
        assert!(html.contains("<strong>Fundacja Łąka</strong>"));
        assert!(html.contains("<a href=\"https://ngo.example.pl/zapisy\">zapisy</a>"));
        assert_eq!(
            m["attachments"],
            serde_json::json!(["program szkolenia.pdf"])
        );
    }

    // Queueing again or running again sends nobody anything a second time.
    assert!(k.enqueue_message(id).await.is_err());
    let again = run(k, target(&sink), None, 0).await;
    assert_eq!(again.sent_now, 0);
    assert_eq!(sink.received().len(), allowed.len());
    assert_eq!(k.message(id).await.unwrap().status, "done");

    // Each person's page lists the message.
    let all = kartoteka_core::register::PersonQuery {
        limit: 100,
        ..Default::default()
    };
    let someone = k
        .people(&all)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|p| p.last_name == "Żółkiewska2")
        .unwrap();
    let history = k.mail_history(None, Some(someone.id)).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].status, "sent");
}

#[tokio::test]
async fn refused_addresses_fail_and_broken_connections_are_retried() {
    let db = fresh().await;
    let (list, allowed) = setup(&db, 12).await;
    let k = &db.k;
    let sink = Sink::start(&[
        "--refuse",
        "osoba2@przyklad.pl",
        "--tempfail-once",
        "osoba3@przyklad.pl",
        "--drop-once",
        "osoba4@przyklad.pl",
        "--hang-once",
        "osoba6@przyklad.pl",
        "--hang-seconds",
        "3",
    ]);
    let id = k
        .save_message(
            None,
            &MessageInput {
                subject: "Test".into(),
                body: "Treść".into(),
                list_id: Some(list),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    k.enqueue_message(id).await.unwrap();
    let summary = run(k, target(&sink), Some(id), 0).await;
    assert_eq!(summary.failed, 1);
    assert_eq!(summary.sent, allowed.len() as i64 - 1);

    let rows = k.queue_rows(id, None, 0, 100).await.unwrap().items;
    let row = |a: &str| rows.iter().find(|r| r.address == a).unwrap().clone();
    let refused = row("osoba2@przyklad.pl");
    assert_eq!(refused.status, "failed");
    assert!(
        refused.reply.as_deref().unwrap().contains("550"),
        "{refused:?}"
    );
    for retried in [
        "osoba3@przyklad.pl",
        "osoba4@przyklad.pl",
        "osoba6@przyklad.pl",
    ] {
        let r = row(retried);
        assert_eq!((r.status.as_str(), r.attempts), ("sent", 2), "{r:?}");
    }
    let per = sink.per_address();
    assert!(!per.contains_key("osoba2@przyklad.pl"));
    assert!(per.values().all(|n| *n == 1), "{per:?}");

    // The refused address is remembered: the next campaign leaves it out, with the reason.
    let count = k
        .mailing_lists()
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.id == list)
        .unwrap()
        .count;
    assert!(count
        .left_out
        .iter()
        .any(|l| l.reason == LeftOutReason::Bounced && l.count == 1));

    // "Retry the failed": tried again, refused again, still one row, nothing sent twice.
    assert_eq!(k.retry_failed(id).await.unwrap(), 1);
    let again = run(k, target(&sink), Some(id), 0).await;
    assert_eq!((again.sent, again.failed), (allowed.len() as i64 - 1, 1));
    assert!(sink.per_address().values().all(|n| *n == 1));
}

#[tokio::test]
async fn the_pace_limit_holds_over_the_run() {
    let db = fresh().await;
    let (list, allowed) = setup(&db, 15).await;
    let k = &db.k;
    let sink = Sink::start(&[]);
    let id = k
        .save_message(
            None,
            &MessageInput {
                subject: "Tempo".into(),
                body: "x".into(),
                list_id: Some(list),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    k.enqueue_message(id).await.unwrap();
    let rate = 300; // per minute: one every 200 ms
    run(k, target(&sink), Some(id), rate).await;
    let times: Vec<f64> = sink
        .received()
        .iter()
        .map(|m| m["time"].as_f64().unwrap())
        .collect();
    assert_eq!(times.len(), allowed.len());
    let elapsed = times.last().unwrap() - times.first().unwrap();
    let measured = (times.len() - 1) as f64 / elapsed * 60.0;
    assert!(
        measured <= rate as f64 * 1.05,
        "{measured:.1} messages per minute at a limit of {rate}"
    );
    // No burst anywhere: any 5 consecutive messages span at least 4 intervals (less jitter).
    for w in times.windows(5) {
        assert!(w[4] - w[0] >= 4.0 * 0.2 * 0.9, "{w:?}");
    }
}

fn cli(db: &str, logs: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kartoteka"));
    c.arg("--db").arg(db).env("KARTOTEKA_LOG_DIR", logs);
    c
}

/// Queue rows of every campaign in the database (a file or a server's), as another program
/// opening it sees them.
async fn queue_of(db: &str) -> Vec<(String, String)> {
    let k = Kartoteka::open_location(db.as_ref()).await.unwrap();
    let mut all = Vec::new();
    for m in k
        .messages(&MessageQuery {
            folder: "sent".into(),
            offset: 0,
            limit: 100,
        })
        .await
        .unwrap()
        .items
    {
        all.extend(
            k.queue_rows(m.id, None, 0, 500)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|r| (r.address, r.status)),
        );
    }
    all
}

#[tokio::test]
async fn killed_mid_queue_then_resumed_nobody_twice_nobody_skipped() {
    // Three kills at different moments: while pacing, early, and while the server is still
    // taking a message in (that one becomes "uncertain" and the user decides).
    for (round, (kill_after, rate, slow)) in
        [(3usize, "600", "0"), (15, "600", "0"), (5, "0", "0.5")]
            .into_iter()
            .enumerate()
    {
        let db = fresh().await;
        let (_, allowed) = setup(&db, 40).await;
        let path = db.location();
        db.k.close().await;
        let sink = Sink::start(&["--slow-data", slow]);
        let logs = db.dir.path().join("logs");
        let body = db.dir.path().join("body.md");
        std::fs::write(&body, BODY).unwrap();
        let mut child = cli(&path, &logs)
            .args([
                "mail",
                "send",
                "--list",
                "Kontakty",
                "--subject",
                "Biuletyn grudniowy",
                "--body-file",
            ])
            .arg(&body)
            .args(["--smtp", &sink.url(), "--rate", rate, "--json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        sink.wait_for(kill_after, Duration::from_secs(30));
        if slow != "0" {
            // Kill while the server holds the next message whole and has not answered yet.
            let deadline = Instant::now() + Duration::from_secs(30);
            while sink.taken_in() <= kill_after && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(800));
        let before_resume = sink.received().len();
        assert!(
            before_resume < allowed.len(),
            "round {round}: killed before the end"
        );

        let out = cli(&path, &logs)
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
        let per = sink.per_address();
        assert!(
            per.values().all(|n| *n == 1),
            "round {round}: a duplicate: {per:?}"
        );
        let queue = queue_of(&path).await;
        let uncertain: BTreeSet<String> = queue
            .iter()
            .filter(|(_, s)| s == "uncertain")
            .map(|(a, _)| a.clone())
            .collect();
        assert_eq!(
            summary["uncertain"].as_u64().unwrap() as usize,
            uncertain.len()
        );
        assert_eq!(
            summary["skipped_no_consent"].as_u64().unwrap(),
            40 - allowed.len() as u64
        );
        for a in &allowed {
            assert!(
                per.contains_key(a) || uncertain.contains(a),
                "round {round}: {a} silently skipped"
            );
        }
        if slow != "0" {
            assert_eq!(
                uncertain.len(),
                1,
                "round {round}: the message in flight is uncertain"
            );
        }
        assert_eq!(
            summary["sent"].as_u64().unwrap() as usize + uncertain.len(),
            allowed.len()
        );

        // The user checks the sent folder: what arrived counts as sent, the rest goes again.
        let k = Kartoteka::open_location(path.as_ref()).await.unwrap();
        let message = k
            .messages(&MessageQuery {
                folder: "sent".into(),
                offset: 0,
                limit: 10,
            })
            .await
            .unwrap()
            .items[0]
            .id;
        let rows = k
            .queue_rows(message, Some("uncertain"), 0, 100)
            .await
            .unwrap()
            .items;
        let (arrived, lost): (Vec<_>, Vec<_>) =
            rows.iter().partition(|r| per.contains_key(&r.address));
        k.settle_uncertain(
            message,
            false,
            Some(&arrived.iter().map(|r| r.id).collect::<Vec<_>>()),
        )
        .await
        .unwrap();
        k.settle_uncertain(
            message,
            true,
            Some(&lost.iter().map(|r| r.id).collect::<Vec<_>>()),
        )
        .await
        .unwrap();
        k.close().await;
        let out = cli(&path, &logs)
            .args(["mail", "resume", "--smtp", &sink.url(), "--json"])
            .output()
            .unwrap();
        let last: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(last["sent_now"].as_u64().unwrap() as usize, lost.len());
        let queue = queue_of(&path).await;
        assert_eq!(
            queue.iter().filter(|(_, s)| s == "sent").count(),
            allowed.len(),
            "{queue:?}"
        );
        let per = sink.per_address();
        assert_eq!(per.keys().cloned().collect::<BTreeSet<_>>(), allowed);
        assert!(per.values().all(|n| *n == 1));

        // The log has counts and ids, never an address or the message body.
        let log: String = std::fs::read_dir(&logs)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        assert!(
            log.contains("sending stopped"),
            "the CLI logs to the log file"
        );
        assert!(!log.contains('@'), "an address in the log: {log}");
        assert!(!log.contains("Zapraszamy") && !log.contains("Żółkiewska"));
    }
}

#[tokio::test]
async fn cli_lists_count_only_those_who_may_be_written_to() {
    let db = fresh().await;
    let (_, allowed) = setup(&db, 10).await;
    db.k.close().await;
    let logs = db.dir.path().join("logs");
    let out = cli(&db.location(), &logs)
        .args(["mail", "lists", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lists: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(lists[0]["name"], "Kontakty");
    assert_eq!(
        lists[0]["recipients"].as_u64().unwrap() as usize,
        allowed.len()
    );

    let out = cli(&db.location(), &logs)
        .args([
            "mail",
            "send",
            "--list",
            "Nie ma takiej",
            "--subject",
            "x",
            "--body-file",
            "/dev/null",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[tokio::test]
async fn an_unsubscription_withdraws_the_consent_and_shrinks_the_list() {
    let db = fresh().await;
    let (list, allowed) = setup(&db, 10).await;
    let k = &db.k;
    let address = allowed.iter().next().unwrap().clone();
    let outcome = k
        .record_removal(&address.to_uppercase(), Removal::Unsubscribed)
        .await
        .unwrap();
    assert_eq!((outcome.people, outcome.consents_withdrawn), (1, 1));
    let count = k
        .mailing_lists()
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.id == list)
        .unwrap()
        .count;
    assert_eq!(count.recipients, allowed.len() - 1);
    let all = kartoteka_core::register::PersonQuery {
        limit: 100,
        ..Default::default()
    };
    let id = k
        .people(&all)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|p| p.email.as_ref() == Some(&address))
        .unwrap()
        .id;
    let p = k.person(id).await.unwrap();
    assert!(p.consents.iter().all(|c| c.withdrawn_on.is_some()));
    assert!(p.consents[0]
        .withdrawal_source
        .as_deref()
        .unwrap()
        .contains("wypisanie"));
    let history = k
        .changes(kartoteka_core::register::RecordKind::Person, id)
        .await
        .unwrap();
    assert!(
        history[0]
            .new_value
            .as_deref()
            .unwrap()
            .contains("wypisanie"),
        "{history:?}"
    );
    let err = k
        .record_removal("nikt@nigdzie.example.pl", Removal::Unsubscribed)
        .await
        .unwrap_err();
    assert_eq!(err.field_errors()[0].field, "address");
}

#[tokio::test]
async fn a_grant_call_becomes_a_segment_and_a_notice() {
    let db = fresh().await;
    let k = &db.k;
    let areas: Vec<String> = (k.reference_data().await.unwrap().areas.iter())
        .filter(|a| a.active)
        .map(|a| a.code.clone())
        .collect();
    let mut ids = Vec::new();
    for (i, area) in [&areas[0], &areas[0], &areas[1]].into_iter().enumerate() {
        let mut o = org(&format!("Stowarzyszenie {i}"), "Lublin");
        o.emails = format!("org{i}@example.pl");
        o.areas = vec![area.clone()];
        let id = save_org(k, &o).await;
        k.grant_organization_consent(
            id,
            &ConsentInput {
                channel: "email_bulletin".into(),
                date: String::new(),
                source: "formularz".into(),
            },
        )
        .await
        .unwrap();
        ids.push(id);
    }
    let bad = k
        .save_grant_call(
            None,
            &GrantCallInput {
                title: "X".into(),
                deadline: "31.02.2026".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    let fields: Vec<_> = bad.field_errors().iter().map(|f| f.field.clone()).collect();
    assert_eq!(fields, vec!["funder", "deadline"]);
    let call = GrantCallInput {
        funder: "Urząd Marszałkowski".into(),
        title: "Aktywni seniorzy 2027".into(),
        deadline: "15.01.2027".into(),
        amount: "do 20 000 zł".into(),
        link: "https://bip.example.pl/nabor".into(),
        areas: vec![areas[0].clone()],
        ..Default::default()
    };
    let call_id = k.save_grant_call(None, &call).await.unwrap();
    let campaign = k.grant_call_campaign(call_id).await.unwrap();
    assert_eq!(campaign.count.recipients, 2);
    let m = k.message(campaign.message_id).await.unwrap();
    assert_eq!(m.kind, MessageKind::Notice);
    assert_eq!(
        m.subject,
        "Nabór: Aktywni seniorzy 2027 — termin 15.01.2027"
    );
    assert!(
        m.body.contains("**Urząd Marszałkowski**")
            && m.body.contains("https://bip.example.pl/nabor")
    );
    assert_eq!(
        k.grant_call(call_id).await.unwrap().messages,
        vec![campaign.message_id]
    );
    let (preview, recipient, total) = k.preview_message(campaign.message_id, 1).await.unwrap();
    assert_eq!(total, 2);
    // The name stands after a colon, never declined after a preposition ("Piszemy do Fundacja…").
    let name = recipient.unwrap().name;
    assert!(
        preview.text.contains(&format!("Organizacja: {name}")),
        "{}",
        preview.text
    );
    assert!(
        preview.text.contains("Szanowni Państwo,") && !preview.text.contains(&format!("do {name}")),
        "{}",
        preview.text
    );
}

/// Issue 11: a user name and password never travel unencrypted except to this computer. The
/// settings form refuses it at the "security" field, and the queue refuses a target built any
/// other way before connecting: 192.0.2.1 (TEST-NET-1) would only time out if it were tried.
#[tokio::test]
async fn login_without_encryption_is_refused_except_to_this_computer() {
    let db = fresh().await;
    let (list, _) = setup(&db, 3).await;
    let k = &db.k;
    let plain = MailSettings {
        host: "192.0.2.1".into(),
        port: 25,
        security: Security::None,
        username: "biuro".into(),
        from_address: "biuro@example.org".into(),
        ..Default::default()
    };
    let err = k.save_mail_settings(&plain).await.unwrap_err();
    assert_eq!(
        err.field_errors()
            .iter()
            .map(|f| f.field.as_str())
            .collect::<Vec<_>>(),
        vec!["security"]
    );
    assert!(err.to_string().contains("STARTTLS"), "{err}");
    assert_eq!(
        k.mail_settings().await.unwrap().host,
        "127.0.0.1",
        "nothing saved"
    );
    // Settings saved before the rule are refused when a send is prepared from them.
    let err = SmtpTarget::from_settings(&plain, Some("sekret123".into()))
        .err()
        .unwrap();
    assert_eq!(err.field_errors()[0].field, "security");
    // Plain SMTP without a login, or a login to this computer, stay allowed.
    assert!(k
        .save_mail_settings(&MailSettings {
            username: String::new(),
            ..plain.clone()
        })
        .await
        .is_ok());
    assert!(k
        .save_mail_settings(&MailSettings {
            host: "127.0.0.1".into(),
            ..plain.clone()
        })
        .await
        .is_ok());
    assert!(SmtpTarget::from_settings(
        &MailSettings {
            host: "::1".into(),
            ..plain.clone()
        },
        Some("x".into())
    )
    .is_ok());

    let input = MessageInput {
        kind: MessageKind::Bulletin,
        is_template: false,
        subject: "Test".into(),
        body: BODY.into(),
        list_id: Some(list),
    };
    let id = k.save_message(None, &input).await.unwrap();
    let queued = k.enqueue_message(id).await.unwrap().queued as i64;
    let mut t = SmtpTarget::from_url("smtp+starttls://biuro:sekret123@192.0.2.1:25").unwrap();
    t.security = Security::None;
    let started = Instant::now();
    let pause = AtomicBool::new(false);
    let settings = k.mail_settings().await.unwrap();
    let err = k
        .run_queue(RunOptions {
            target: t,
            settings,
            only: Some(id),
            pause: &pause,
            on_progress: &|_| {},
        })
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "refused before any connection"
    );
    assert_eq!(err.field_errors()[0].field, "security");
    assert!(!err.to_string().contains("sekret123"));
    let m = k.message(id).await.unwrap();
    assert_eq!(
        (m.counts.queued, m.counts.sent, m.counts.failed),
        (queued, 0, 0),
        "the queue is untouched"
    );
}
