//! `kartoteka-bench`: measures what a user feels on a large register — search as you type,
//! the first page of the sorted list, and the window's cold start — on demo data
//! (100,000 organisations and 100,000 people by default). Run it on a release build:
//! `cargo run --release --bin kartoteka-bench` (under `xvfb-run -a` for the window figure).
//! It prints a Markdown table for docs/benchmarks.md. Figures, not assertions.

use kartoteka_core::register::{OrganizationQuery, OrganizationSort, PersonQuery};

/// glibc's allocator spent a third of a 100k-row import freeing small strings; mimalloc does
/// the same work several times faster (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use kartoteka_core::{demo, Kartoteka};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

struct Args {
    organizations: usize,
    people: usize,
    db: Option<PathBuf>,
    window_runs: usize,
    mail_recipients: Option<usize>,
}

fn parse_args() -> Args {
    let mut args = Args {
        organizations: 100_000,
        people: 100_000,
        db: None,
        window_runs: 5,
        mail_recipients: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().expect("missing value");
        match a.as_str() {
            "--organizations" => args.organizations = value().parse().unwrap(),
            "--people" => args.people = value().parse().unwrap(),
            "--db" => args.db = Some(PathBuf::from(value())),
            "--window-runs" => args.window_runs = value().parse().unwrap(),
            "--mail-recipients" => args.mail_recipients = Some(value().parse().unwrap()),
            "--help" | "-h" => {
                println!("kartoteka-bench [--organizations N] [--people M] [--db PATH] [--window-runs N]\n       kartoteka-bench --db PATH --mail-recipients N   (a register for scripts/bench-mail.sh)");
                std::process::exit(0);
            }
            other => panic!("unknown argument {other}"),
        }
    }
    args
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx].as_secs_f64() * 1000.0
}

fn summarize(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    (
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        percentile(&samples, 1.0),
    )
}

/// Runs `call` `runs` times and returns (p50, p99, max) in milliseconds.
async fn timed<T, F, Fut>(runs: usize, call: F) -> (f64, f64, f64)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = kartoteka_core::Result<T>>,
{
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(call().await.unwrap());
        samples.push(t.elapsed());
    }
    summarize(samples)
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    let dir = tempfile_dir();
    let db = args.db.clone().unwrap_or_else(|| dir.join("bench.db"));
    let k = Kartoteka::open(&db).await.expect("open database");
    if let Some(n) = args.mail_recipients {
        mail_register(&k, n).await;
        return;
    }
    let counts = k.counts().await.unwrap();
    println!("| measurement | p50 | p99 | max | notes |");
    println!("|---|---|---|---|---|");
    if counts.organizations == 0 {
        let started = Instant::now();
        demo::generate(&k, args.organizations, args.people, 1)
            .await
            .unwrap();
        let s = started.elapsed().as_secs_f64();
        println!("| demo-data {} organisations + {} people | {:.1} s | | | one transaction per 5,000 records |", args.organizations, args.people, s);
    }
    let counts = k.counts().await.unwrap();

    // Search as you type: every prefix of several realistic queries, many times over.
    let typed = [
        "lodz",
        "fundacja lodz",
        "kowalska",
        "stowarzyszenie pomocy",
        "zory",
        "świat",
        "biuro@",
        "123-4",
        "promyk",
        "anna now",
    ];
    let mut queries = Vec::new();
    for q in typed {
        let chars: Vec<char> = q.chars().collect();
        for n in 1..=chars.len() {
            queries.push(chars[..n].iter().collect::<String>());
        }
    }
    for q in &queries {
        k.search(q, 20).await.unwrap(); // warm the page cache once
    }
    let mut samples = Vec::new();
    for _ in 0..10 {
        for q in &queries {
            let t = Instant::now();
            let hits = k.search(q, 20).await.unwrap();
            samples.push(t.elapsed());
            std::hint::black_box(hits);
        }
    }
    let (p50, p99, max) = summarize(samples);
    println!("| search as you type, 20 hits ({} queries × 10) | {p50:.2} ms | {p99:.2} ms | {max:.2} ms | core API, every prefix of 10 typed queries |", queries.len());

    for (label, sort, offset) in [
        (
            "organisation list, first page by name",
            OrganizationSort::Name,
            0,
        ),
        (
            "organisation list, first page by city",
            OrganizationSort::City,
            0,
        ),
        (
            "organisation list, first page by legal form",
            OrganizationSort::LegalForm,
            0,
        ),
        (
            "organisation list, page at row 50,000 by name",
            OrganizationSort::Name,
            50_000,
        ),
    ] {
        let q = OrganizationQuery {
            sort,
            offset,
            limit: 100,
            ..Default::default()
        };
        k.organizations(&q).await.unwrap();
        let (p50, p99, max) = timed(50, || k.organizations(&q)).await;
        println!("| {label} (100 rows + total count) | {p50:.2} ms | {p99:.2} ms | {max:.2} ms | {} organisations |", counts.organizations);
    }
    let filtered = OrganizationQuery {
        legal_form: Some("fundacja".into()),
        public_benefit: Some(true),
        limit: 100,
        ..Default::default()
    };
    let (p50, p99, max) = timed(50, || k.organizations(&filtered)).await;
    println!("| organisation list filtered (fundacja + OPP), first page | {p50:.2} ms | {p99:.2} ms | {max:.2} ms | |");
    let people_query = PersonQuery {
        limit: 100,
        ..Default::default()
    };
    let (p50, p99, max) = timed(50, || k.people(&people_query)).await;
    println!(
        "| people list, first page by name | {p50:.2} ms | {p99:.2} ms | {max:.2} ms | {} people |",
        counts.people
    );
    k.close().await;

    // Window cold start: process start to the first screen showing data (the UI reports it).
    let app = std::env::current_exe().unwrap().with_file_name("kartoteka");
    let display = std::env::var_os("DISPLAY").is_some();
    if !display || !app.exists() || args.window_runs == 0 {
        println!("| window start to first screen | skipped | | | needs DISPLAY (xvfb-run) and the kartoteka binary |");
        return;
    }
    let mut ready = Vec::new();
    let mut wall = Vec::new();
    for _ in 0..args.window_runs {
        let t = Instant::now();
        let out = Command::new(&app)
            .env("KARTOTEKA_DB", &db)
            .env("KARTOTEKA_EXIT_WHEN_READY", "1")
            .output()
            .expect("start window");
        wall.push(t.elapsed());
        let text = String::from_utf8_lossy(&out.stdout);
        if let Some(ms) = text.lines().find_map(|l| l.strip_prefix("ready_ms=")) {
            ready.push(Duration::from_secs_f64(
                ms.trim().parse::<f64>().unwrap() / 1000.0,
            ));
        }
    }
    if ready.is_empty() {
        println!("| window start to first screen | failed | | | the window never reported ready |");
        return;
    }
    let (p50, _, max) = summarize(ready);
    let (w50, _, _) = summarize(wall);
    println!("| window start to first screen with data ({} runs) | {p50:.0} ms | | {max:.0} ms | process start → list rendered; whole process incl. exit {w50:.0} ms |", args.window_runs);
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kartoteka-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// N people who all agreed to e-mail, on one segment "Wszyscy", and the office's sender address.
async fn mail_register(k: &Kartoteka, n: usize) {
    use kartoteka_core::mail::*;
    use kartoteka_core::register::PersonInput;
    let drafts: Vec<_> = (0..n)
        .map(|i| {
            PersonInput {
                first_name: "Zofia".into(),
                last_name: format!("Żółkiewska{i}"),
                emails: format!("osoba{i}@przyklad.pl"),
                ..Default::default()
            }
            .parse()
            .unwrap()
        })
        .collect();
    let today = chrono::Local::now().date_naive();
    kartoteka_core::demo::insert_consenting_people(k, &drafts, today)
        .await
        .unwrap();
    let settings = MailSettings {
        host: "127.0.0.1".into(),
        port: 25,
        security: Security::None,
        from_address: "biuro@centrum.example.pl".into(),
        from_name: "Centrum NGO".into(),
        rate_per_minute: 0,
        ..Default::default()
    };
    k.save_mail_settings(&settings).await.unwrap();
    let segment = Segment {
        audience: Audience::People,
        ..Default::default()
    };
    k.save_mailing_list(
        None,
        &ListInput {
            name: "Wszyscy".into(),
            segment: Some(segment),
        },
    )
    .await
    .unwrap();
    eprintln!("{n} recipients on the segment \"Wszyscy\"");
}
