//! Backups, restore and crashes: a backup → restore round trip gives identical data, and the
//! real binary killed with SIGKILL in the middle of a backup, a restore, an import and a
//! migration (several times, at different moments) leaves a file that passes integrity_check
//! and holds the data wholly before or wholly after the operation.

use kartoteka_core::Kartoteka;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn cli(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kartoteka"));
    c.arg("--db").arg(db).env("KARTOTEKA_LOG_DIR", db.with_extension("logs"));
    c
}

fn run_ok(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn demo(db: &Path, organizations: usize, seed: u64) {
    run_ok(cli(db).args(["demo-data", "--organizations", &organizations.to_string(), "--people", "50", "--seed", &seed.to_string(), "--advice", "20", "--events", "2"]));
}

/// Both registers as CSV: what "identical data" is compared on.
fn exports(db: &Path, tag: &str) -> (Vec<u8>, Vec<u8>) {
    let dir = db.parent().unwrap();
    let orgs = dir.join(format!("org-{tag}.csv"));
    let people = dir.join(format!("people-{tag}.csv"));
    run_ok(cli(db).args(["export", "organizations", "--out"]).arg(&orgs).args(["--format", "csv"]));
    run_ok(cli(db).args(["export", "people", "--out"]).arg(&people).args(["--format", "csv"]));
    (std::fs::read(orgs).unwrap(), std::fs::read(people).unwrap())
}

/// Opens the file as the program would after a crash and checks it.
async fn check(db: &Path) -> i64 {
    let k = Kartoteka::open(db).await.expect("the database opens after the kill");
    assert_eq!(k.store().integrity_check().await.unwrap(), "ok");
    let n = k.counts().await.unwrap().organizations as i64;
    k.store().close().await;
    n
}

fn kill_after(mut c: Command, delay: Duration) -> bool {
    let mut child = c.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    std::thread::sleep(delay);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill(); // SIGKILL
    child.wait().unwrap();
    finished
}

#[tokio::test]
async fn backup_then_restore_gives_identical_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kartoteka.db");
    demo(&db, 300, 3);
    let before = exports(&db, "before");
    let copy = dir.path().join("pendrive").join("kopia.db");
    let said = run_ok(cli(&db).args(["backup", "--out"]).arg(&copy));
    assert!(said.contains("organizacje: 300"), "{said}");
    let info = kartoteka_core::backup::inspect(&copy).await.unwrap();
    assert_eq!(info.organizations, 300);

    demo(&db, 50, 4); // more work after the backup
    assert_ne!(exports(&db, "changed").0, before.0);

    // Without --yes and without a terminal nothing is replaced.
    let refused = cli(&db).arg("restore").arg(&copy).stdin(Stdio::null()).output().unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));

    let said = run_ok(cli(&db).arg("restore").arg(&copy).arg("--yes"));
    assert!(said.contains("Przywrócono (300 organizacji"), "{said}");
    assert_eq!(exports(&db, "after"), before, "identical data after the round trip");
    // The file that was current before the restore was kept aside, whole.
    let aside: Vec<PathBuf> = std::fs::read_dir(dir.path().join("kopie")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.to_string_lossy().contains("przed-przywroceniem")).collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(kartoteka_core::backup::inspect(&aside[0]).await.unwrap().organizations, 350);

    // A file that is not a backup is refused with a clear message and changes nothing.
    let junk = dir.path().join("zdjecie.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let out = cli(&db).arg("restore").arg(&junk).arg("--yes").output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nie jest kopią Kartoteki"));
    assert_eq!(check(&db).await, 300);
}

#[tokio::test]
async fn automatic_backups_are_checked_and_rotated() {
    let db = crate::util::fresh().await;
    crate::util::save_org(&db.k, &crate::util::org("Fundacja Kopia", "Łódź")).await;
    let first = db.k.automatic_backup().await.unwrap();
    assert_eq!(first.organizations, 1);
    let status = db.k.backup_status().await.unwrap();
    assert!(!status.old);
    assert_eq!(status.backups.len(), 1);
    assert!(db.k.backup_if_older_than(24).await.unwrap().is_none(), "one a day is enough");
    assert!(status.folder.ends_with("kopie"));
}

#[tokio::test]
async fn killed_during_a_backup_the_database_is_untouched_and_no_half_copy_remains() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kartoteka.db");
    demo(&db, 3000, 5);
    let before = exports(&db, "before");
    for (i, ms) in [5u64, 40, 120, 300].into_iter().enumerate() {
        let out = dir.path().join(format!("kopia-{i}.db"));
        let mut c = cli(&db);
        c.args(["backup", "--out"]).arg(&out);
        kill_after(c, Duration::from_millis(ms));
        assert_eq!(check(&db).await, 3000);
        if out.exists() {
            let info = kartoteka_core::backup::inspect(&out).await.expect("a backup that exists is whole");
            assert_eq!(info.organizations, 3000);
        }
    }
    assert_eq!(exports(&db, "after"), before);
}

#[tokio::test]
async fn killed_during_a_restore_the_data_is_wholly_before_or_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kartoteka.db");
    demo(&db, 2000, 6);
    let copy = dir.path().join("kopia.db");
    run_ok(cli(&db).args(["backup", "--out"]).arg(&copy));
    demo(&db, 1000, 7);
    let mut seen = Vec::new();
    for ms in [5u64, 30, 80, 150, 400] {
        let mut c = cli(&db);
        c.arg("restore").arg(&copy).arg("--yes");
        kill_after(c, Duration::from_millis(ms));
        let n = check(&db).await;
        assert!(n == 2000 || n == 3000, "{n} organisations after a kill at {ms} ms");
        seen.push(n);
        if n == 2000 {
            demo(&db, 1000, 8 + ms); // back to "after more work" for the next round
        }
    }
    eprintln!("organisations after each kill: {seen:?}");
}

#[tokio::test]
async fn killed_during_an_import_nothing_is_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kartoteka.db");
    demo(&db, 100, 9);
    let csv = dir.path().join("organizacje.csv");
    let mut text = String::from("Nazwa;Forma prawna;Miejscowość\n");
    for i in 0..20_000 {
        text.push_str(&format!("Stowarzyszenie Przykładowe nr {i};stowarzyszenie;Miasto {}\n", i % 700));
    }
    std::fs::write(&csv, text).unwrap();
    for ms in [50u64, 300, 800, 1500] {
        let mut c = cli(&db);
        c.args(["import", "organizations"]).arg(&csv).args(["--on-duplicate", "add"]);
        let finished = kill_after(c, Duration::from_millis(ms));
        let n = check(&db).await;
        if finished {
            assert!(n % 20_000 == 100, "{n}");
        } else {
            assert!((n - 100) % 20_000 == 0, "{n} organisations: a part of an import after a kill at {ms} ms");
        }
    }
}

#[tokio::test]
async fn killed_during_a_migration_the_old_file_opens_and_keeps_its_data() {
    for ms in [10u64, 40, 100, 250, 600] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("kartoteka.db");
        std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-1.db"), &db).unwrap();
        let mut c = cli(&db);
        c.args(["search", "a"]);
        kill_after(c, Duration::from_millis(ms));
        // Each migration is one transaction: after the kill the schema is at some step, whole,
        // and the next start finishes the rest.
        assert_eq!(check(&db).await, 25);
        let k = Kartoteka::open(&db).await.unwrap();
        assert_eq!(k.counts().await.unwrap().people, 40);
        // Any copy made before migrating is whole.
        if let Ok(entries) = std::fs::read_dir(dir.path().join("kopie")) {
            for e in entries {
                let p = e.unwrap().path();
                if p.file_name().unwrap().to_string_lossy().starts_with("przed-aktualizacja") {
                    assert_eq!(kartoteka_core::backup::inspect(&p).await.unwrap().organizations, 25);
                }
            }
        }
    }
}

#[tokio::test]
async fn two_processes_on_one_file_wait_for_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kartoteka.db");
    demo(&db, 10, 10);
    let csv = dir.path().join("organizacje.csv");
    let mut text = String::from("Nazwa;Forma prawna;Miejscowość\n");
    for i in 0..5_000 {
        text.push_str(&format!("Fundacja Współbieżna nr {i};fundacja;Miasto {}\n", i % 50));
    }
    std::fs::write(&csv, text).unwrap();
    // An import and demo data (another process, as the window would be) write at the same time.
    let mut import = cli(&db);
    import.args(["import", "organizations"]).arg(&csv).args(["--on-duplicate", "add"]).stdout(Stdio::null()).stderr(Stdio::piped());
    let import = import.spawn().unwrap();
    let mut others = Vec::new();
    for seed in 0..3u64 {
        let mut c = cli(&db);
        c.args(["demo-data", "--organizations", "200", "--people", "10", "--seed", &(20 + seed).to_string(), "--advice", "5", "--events", "1"]).stdout(Stdio::null()).stderr(Stdio::piped());
        others.push(c.spawn().unwrap());
    }
    let out = import.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for o in others {
        let out = o.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(check(&db).await, 10 + 5_000 + 3 * 200);
}
