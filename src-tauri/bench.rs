//! `kartoteka-bench`: measures what a user feels on a large register — search as you type,
//! the first page of the sorted list, search while colleagues search and save, and the
//! window's cold start — on demo data (100,000 organisations and 100,000 people by default).
//! Run it on a release build: `cargo run --release --bin kartoteka-bench` (under `xvfb-run -a`
//! for the window figure). `--db` takes a file or a server address (`postgres://…`), and may
//! be given several times: the figures then stand side by side, measured in one run.
//! It prints a Markdown table for docs/benchmarks.md. Figures, not assertions.

use kartoteka_core::register::{
    OrganizationInput, OrganizationQuery, OrganizationSort, PersonQuery, SaveOutcome,
};

/// glibc's allocator spent a third of a 100k-row import freeing small strings; mimalloc does
/// the same work several times faster (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use kartoteka_core::{demo, Kartoteka};
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

struct Args {
    organizations: usize,
    people: usize,
    db: Vec<OsString>,
    window_runs: usize,
    mail_recipients: Option<usize>,
    clients: usize,
    import: Option<PathBuf>,
}

fn parse_args() -> Args {
    let mut args = Args {
        organizations: 100_000,
        people: 100_000,
        db: Vec::new(),
        window_runs: 5,
        mail_recipients: None,
        clients: 5,
        import: None,
    };
    let mut it = std::env::args_os().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().expect("missing value");
        let number = |v: OsString| v.to_string_lossy().parse::<usize>().expect("a number");
        match a.to_string_lossy().as_ref() {
            "--organizations" => args.organizations = number(value()),
            "--people" => args.people = number(value()),
            "--db" => args.db.push(value()),
            "--window-runs" => args.window_runs = number(value()),
            "--mail-recipients" => args.mail_recipients = Some(number(value())),
            "--clients" => args.clients = number(value()),
            "--import" => args.import = Some(PathBuf::from(value())),
            "--help" | "-h" => {
                println!("kartoteka-bench [--organizations N] [--people M] [--db PATH|postgres://…]… [--clients N] [--window-runs N]\n       kartoteka-bench --db PATH --mail-recipients N   (a register for scripts/bench-mail.sh)");
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

/// One line of the table: (p50, p99, max) in milliseconds, per database measured.
struct Figure {
    label: String,
    p50: f64,
    p99: f64,
    max: f64,
    target: &'static str,
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

/// What people type into the search box; every prefix of each is searched, as the box does.
const TYPED: [&str; 10] = [
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

fn prefixes(q: &str) -> Vec<String> {
    let chars: Vec<char> = q.chars().collect();
    (1..=chars.len())
        .map(|n| chars[..n].iter().collect())
        .collect()
}

fn backend_name(location: &OsStr) -> &'static str {
    if location.to_string_lossy().starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite file"
    }
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    let dir = tempfile_dir();
    let locations = if args.db.is_empty() {
        vec![dir.join("bench.db").into_os_string()]
    } else {
        args.db.clone()
    };
    if let Some(sheet) = &args.import {
        import_sheet(&locations[0], sheet).await;
        return;
    }
    if let Some(n) = args.mail_recipients {
        let k = Kartoteka::open_location(&locations[0])
            .await
            .expect("open database");
        mail_register(&k, n).await;
        return;
    }
    let mut columns = Vec::new();
    for location in &locations {
        columns.push(measure(location, &args).await);
    }
    if columns.len() == 1 {
        println!("| measurement | p50 | p99 | max | target |");
        println!("|---|---|---|---|---|");
        for f in &columns[0] {
            println!(
                "| {} | {:.2} ms | {:.2} ms | {:.2} ms | {} |",
                f.label, f.p50, f.p99, f.max, f.target
            );
        }
    } else {
        let mut header = "| measurement |".to_string();
        for l in &locations {
            header.push_str(&format!(" {} p50 / p99 (max) |", backend_name(l)));
        }
        println!("{header} target |");
        println!("|---|{}---|", "---|".repeat(locations.len()));
        for (i, f) in columns[0].iter().enumerate() {
            let mut line = format!("| {} |", f.label);
            for c in &columns {
                let g = &c[i];
                line.push_str(&format!(" {:.2} / {:.2} ms ({:.2}) |", g.p50, g.p99, g.max));
            }
            println!("{line} {} |", f.target);
        }
    }
    if locations.len() == 1 && !backend_name(&locations[0]).starts_with("Postgre") {
        window_start(&PathBuf::from(&locations[0]), args.window_runs);
    }
}

/// Every figure of one database, with the demo register made first if it is empty.
async fn measure(location: &OsStr, args: &Args) -> Vec<Figure> {
    let name = backend_name(location);
    let k = Kartoteka::open_location(location)
        .await
        .expect("open database");
    let mut out = Vec::new();
    let counts = k.counts().await.unwrap();
    if counts.organizations == 0 {
        let started = Instant::now();
        demo::generate(&k, args.organizations, args.people, 1)
            .await
            .unwrap();
        eprintln!(
            "{name}: demo-data {} organisations + {} people in {:.1} s",
            args.organizations,
            args.people,
            started.elapsed().as_secs_f64()
        );
    }
    let counts = k.counts().await.unwrap();
    eprintln!(
        "{name}: {} organisations, {} people",
        counts.organizations, counts.people
    );

    // Search as you type: every prefix of several realistic queries, many times over.
    let queries: Vec<String> = TYPED.iter().flat_map(|q| prefixes(q)).collect();
    for q in &queries {
        k.search(q, 20).await.unwrap(); // warm the page cache once
    }
    let mut samples = Vec::new();
    let mut by_query: Vec<(Duration, &str)> = Vec::new();
    for _ in 0..10 {
        for q in &queries {
            let t = Instant::now();
            let hits = k.search(q, 20).await.unwrap();
            let took = t.elapsed();
            samples.push(took);
            by_query.push((took, q));
            std::hint::black_box(hits);
        }
    }
    // The slowest searches, to see which keystroke makes the tail (stderr, not the table).
    by_query.sort_by_key(|q| std::cmp::Reverse(q.0));
    for (took, q) in by_query.iter().take(8) {
        eprintln!(
            "{name}: slow search {:>8.2} ms  {q:?}",
            took.as_secs_f64() * 1000.0
        );
    }
    let (p50, p99, max) = summarize(samples);
    out.push(Figure {
        label: format!(
            "search as you type, 20 hits ({} queries × 10)",
            queries.len()
        ),
        p50,
        p99,
        max,
        target: "p99 ≤ 10 ms",
    });

    for (label, sort, offset, target) in [
        (
            "organisation list, first page by name",
            OrganizationSort::Name,
            0,
            "≤ 20 ms",
        ),
        (
            "organisation list, first page by city",
            OrganizationSort::City,
            0,
            "≤ 20 ms",
        ),
        (
            "organisation list, first page by legal form",
            OrganizationSort::LegalForm,
            0,
            "≤ 20 ms",
        ),
        (
            "organisation list, page at row 50,000 by name",
            OrganizationSort::Name,
            50_000,
            "",
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
        out.push(Figure {
            label: format!("{label} (100 rows + total count)"),
            p50,
            p99,
            max,
            target,
        });
    }
    let filtered = OrganizationQuery {
        legal_form: Some("fundacja".into()),
        public_benefit: Some(true),
        limit: 100,
        ..Default::default()
    };
    let (p50, p99, max) = timed(50, || k.organizations(&filtered)).await;
    out.push(Figure {
        label: "organisation list filtered (fundacja + OPP), first page".into(),
        p50,
        p99,
        max,
        target: "",
    });
    let people_query = PersonQuery {
        limit: 100,
        ..Default::default()
    };
    let (p50, p99, max) = timed(50, || k.people(&people_query)).await;
    out.push(Figure {
        label: "people list, first page by name".into(),
        p50,
        p99,
        max,
        target: "≤ 20 ms",
    });
    k.close().await;

    let (searches, saves) = colleagues(location, args.clients).await;
    eprintln!(
        "{name}: {} clients made {} searches and {} saves",
        args.clients,
        searches.len(),
        saves.len()
    );
    let (p50, p99, max) = summarize(searches);
    out.push(Figure {
        label: format!(
            "search as you type while {} clients search and save at once",
            args.clients
        ),
        p50,
        p99,
        max,
        target: "p99 ≤ 50 ms",
    });
    let (p50, p99, max) = summarize(saves);
    out.push(Figure {
        label: "… a save among them (new or changed organisation, with its history)".into(),
        p50,
        p99,
        max,
        target: "",
    });
    out
}

/// `clients` colleagues, each with their own connection to the database as on their own PC,
/// type searches at the pace the window allows (it waits 120 ms after a keystroke before it
/// searches) and save after each typed query: a new organisation, then a change to one.
/// Returns every search's and every save's time.
async fn colleagues(location: &OsStr, clients: usize) -> (Vec<Duration>, Vec<Duration>) {
    const PACE: Duration = Duration::from_millis(120);
    let mut tasks = Vec::new();
    for client in 0..clients {
        let k = Kartoteka::open_location(location)
            .await
            .expect("open database");
        tasks.push(tokio::spawn(async move {
            let mut searches = Vec::new();
            let mut saves = Vec::new();
            let mut next = tokio::time::Instant::now();
            for round in 0..2 {
                for (i, typed) in TYPED
                    .iter()
                    .cycle()
                    .skip(client)
                    .take(TYPED.len())
                    .enumerate()
                {
                    for q in prefixes(typed) {
                        tokio::time::sleep_until(next).await;
                        next = tokio::time::Instant::now() + PACE;
                        let t = Instant::now();
                        std::hint::black_box(k.search(&q, 12).await.unwrap());
                        searches.push(t.elapsed());
                    }
                    let input = OrganizationInput {
                        name: format!("Fundacja Współpracy Biur {client}-{round}-{i}"),
                        legal_form: "fundacja".into(),
                        city: "Łódź".into(),
                        emails: format!("biuro{client}x{round}x{i}@przyklad.pl"),
                        ..Default::default()
                    };
                    let t = Instant::now();
                    let saved = k.save_organization(None, &input, true).await.unwrap();
                    saves.push(t.elapsed());
                    let SaveOutcome::Saved { id } = saved else {
                        panic!("not saved: {saved:?}");
                    };
                    let t = Instant::now();
                    let mut changed = OrganizationInput::from(&k.organization(id).await.unwrap());
                    changed.notes = format!("zmiana {round}");
                    changed.revision = None;
                    k.save_organization(Some(id), &changed, true).await.unwrap();
                    saves.push(t.elapsed());
                }
            }
            k.close().await;
            (searches, saves)
        }));
    }
    let mut searches = Vec::new();
    let mut saves = Vec::new();
    for t in tasks {
        let (s, w) = t.await.unwrap();
        searches.extend(s);
        saves.extend(w);
    }
    (searches, saves)
}

/// An import of organisations as the window makes it (default options), timed in-process: a
/// target for `perf record`, without the CLI around it.
async fn import_sheet(location: &OsStr, sheet: &std::path::Path) {
    use kartoteka_core::import::{ImportKind, ImportOptions};
    let k = Kartoteka::open_location(location)
        .await
        .expect("open database");
    let options = ImportOptions {
        kind: ImportKind::Organizations,
        sheet: None,
        header_row: None,
        columns: None,
        header_mapping: None,
        on_duplicate: Default::default(),
        row_decisions: Default::default(),
    };
    let started = Instant::now();
    let report = k
        .import(sheet, &options, false, None, Default::default())
        .await
        .expect("import");
    println!(
        "import of {}: {:.2} s, {} added, {} duplicates skipped, {} problems",
        sheet.display(),
        started.elapsed().as_secs_f64(),
        report.imported,
        report.skipped_duplicates,
        report.rejected.len()
    );
    k.close().await;
}

/// Window cold start: process start to the first screen showing data (the UI reports it).
fn window_start(db: &std::path::Path, runs: usize) {
    let app = std::env::current_exe().unwrap().with_file_name("kartoteka");
    let display = std::env::var_os("DISPLAY").is_some();
    if !display || !app.exists() || runs == 0 {
        println!("| window start to first screen | skipped | | | needs DISPLAY (xvfb-run) and the kartoteka binary |");
        return;
    }
    let mut ready = Vec::new();
    let mut wall = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let out = Command::new(&app)
            .env("KARTOTEKA_DB", db)
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
    println!("| window start to first screen with data ({runs} runs) | {p50:.0} ms | | {max:.0} ms | ≤ 1 s (process start → list rendered; whole process incl. exit {w50:.0} ms) |");
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
