//! Backups, restore and crashes: a backup → restore round trip gives identical data, and the
//! real binary killed with SIGKILL in the middle of a backup, a restore, an import and a
//! migration (several times, at different moments) leaves a database that passes
//! integrity_check and holds the data wholly before or wholly after the operation. On a file,
//! or (in a PostgreSQL run) on a server, where a backup is the same kind of file; the tests
//! about the live file itself (its lock, its name, its permissions) are `sqlite_only_…`.

use crate::util::Place;
use kartoteka_core::Kartoteka;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn cli(db: &Place) -> Command {
    let mut c = cli_at(&db.location(), &db.dir.path().join("kartoteka.logs"));
    if db.on_server() {
        // A server's copies go to the PC's data folder: the test's own, not the user's.
        c.env("XDG_DATA_HOME", db.dir.path().join("dane"));
    }
    c
}

fn cli_at(db: &str, logs: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kartoteka"));
    c.arg("--db").arg(db).env("KARTOTEKA_LOG_DIR", logs);
    c
}

/// The copies kept aside before a restore: in `kopie/` beside a file, in the data folder's
/// folder for the server otherwise.
fn kept_aside(db: &Place) -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, found);
            } else if p.to_string_lossy().contains("przed-przywroceniem") {
                found.push(p);
            }
        }
    }
    let mut found = Vec::new();
    if db.on_server() {
        walk(&db.dir.path().join("dane"), &mut found);
    } else {
        walk(&db.dir.path().join("kopie"), &mut found);
    }
    found
}

fn run_ok(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn demo(db: &Place, organizations: usize, seed: u64) {
    run_ok(cli(db).args([
        "demo-data",
        "--force",
        "--organizations",
        &organizations.to_string(),
        "--people",
        "50",
        "--seed",
        &seed.to_string(),
        "--advice",
        "20",
        "--events",
        "2",
    ]));
}

/// Both registers as CSV: what "identical data" is compared on.
fn exports(db: &Place, tag: &str) -> (Vec<u8>, Vec<u8>) {
    let dir = db.dir.path();
    let orgs = dir.join(format!("org-{tag}.csv"));
    let people = dir.join(format!("people-{tag}.csv"));
    run_ok(
        cli(db)
            .args(["export", "organizations", "--out"])
            .arg(&orgs)
            .args(["--format", "csv"]),
    );
    run_ok(
        cli(db)
            .args(["export", "people", "--out"])
            .arg(&people)
            .args(["--format", "csv"]),
    );
    (std::fs::read(orgs).unwrap(), std::fs::read(people).unwrap())
}

/// Opens the database as the program would after a crash and checks it.
async fn check(db: &Place) -> i64 {
    let k = Kartoteka::open_location(db.location().as_ref())
        .await
        .expect("the database opens after the kill");
    assert_eq!(k.integrity_check().await.unwrap(), "ok");
    let n = k.counts().await.unwrap().organizations as i64;
    k.close().await;
    n
}

fn kill_after(mut c: Command, delay: Duration) -> bool {
    let mut child = c
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill(); // SIGKILL
    child.wait().unwrap();
    finished
}

#[tokio::test]
async fn backup_then_restore_gives_identical_data() {
    let db = crate::util::fresh_place().await;
    let dir = &db.dir;
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
    let refused = cli(&db)
        .arg("restore")
        .arg(&copy)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));

    let said = run_ok(cli(&db).arg("restore").arg(&copy).arg("--yes"));
    assert!(said.contains("Przywrócono (300 organizacji"), "{said}");
    assert_eq!(
        exports(&db, "after"),
        before,
        "identical data after the round trip"
    );
    // The file that was current before the restore was kept aside, whole.
    let aside = kept_aside(&db);
    assert_eq!(aside.len(), 1);
    assert_eq!(
        kartoteka_core::backup::inspect(&aside[0])
            .await
            .unwrap()
            .organizations,
        350
    );

    // A file that is not a backup is refused with a clear message and changes nothing.
    let junk = dir.path().join("zdjecie.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let out = cli(&db)
        .arg("restore")
        .arg(&junk)
        .arg("--yes")
        .output()
        .unwrap();
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
    assert!(
        db.k.backup_if_older_than(24).await.unwrap().is_none(),
        "one a day is enough"
    );
    assert!(status.folder.ends_with("kopie"));
}

#[tokio::test]
async fn killed_during_a_backup_the_database_is_untouched_and_no_half_copy_remains() {
    let db = crate::util::fresh_place().await;
    let dir = &db.dir;
    demo(&db, 3000, 5);
    let before = exports(&db, "before");
    for (i, ms) in [5u64, 40, 120, 300].into_iter().enumerate() {
        let out = dir.path().join(format!("kopia-{i}.db"));
        let mut c = cli(&db);
        c.args(["backup", "--out"]).arg(&out);
        kill_after(c, Duration::from_millis(ms));
        assert_eq!(check(&db).await, 3000);
        if out.exists() {
            let info = kartoteka_core::backup::inspect(&out)
                .await
                .expect("a backup that exists is whole");
            assert_eq!(info.organizations, 3000);
        }
    }
    assert_eq!(exports(&db, "after"), before);
}

#[tokio::test]
async fn killed_during_a_restore_the_data_is_wholly_before_or_after() {
    let db = crate::util::fresh_place().await;
    let dir = &db.dir;
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
        assert!(
            n == 2000 || n == 3000,
            "{n} organisations after a kill at {ms} ms"
        );
        seen.push(n);
        if n == 2000 {
            demo(&db, 1000, 8 + ms); // back to "after more work" for the next round
        }
    }
    eprintln!("organisations after each kill: {seen:?}");
}

#[tokio::test]
async fn killed_during_an_import_nothing_is_half_written() {
    let db = crate::util::fresh_place().await;
    let dir = &db.dir;
    demo(&db, 100, 9);
    let csv = dir.path().join("organizacje.csv");
    let mut text = String::from("Nazwa;Forma prawna;Miejscowość\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "Stowarzyszenie Przykładowe nr {i};stowarzyszenie;Miasto {}\n",
            i % 700
        ));
    }
    std::fs::write(&csv, text).unwrap();
    for ms in [50u64, 300, 800, 1500] {
        let mut c = cli(&db);
        c.args(["import", "organizations"])
            .arg(&csv)
            .args(["--on-duplicate", "add"]);
        let finished = kill_after(c, Duration::from_millis(ms));
        let n = check(&db).await;
        if finished {
            assert!(n % 20_000 == 100, "{n}");
        } else {
            assert!(
                (n - 100) % 20_000 == 0,
                "{n} organisations: a part of an import after a kill at {ms} ms"
            );
        }
    }
}

#[tokio::test]
async fn sqlite_only_killed_during_a_migration_the_old_file_opens_and_keeps_its_data() {
    for ms in [10u64, 40, 100, 250, 600] {
        let db = crate::util::fresh_file_place();
        let dir = &db.dir;
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-1.db"),
            db.path(),
        )
        .unwrap();
        let mut c = cli(&db);
        c.args(["search", "a"]);
        kill_after(c, Duration::from_millis(ms));
        // Each migration is one transaction: after the kill the schema is at some step, whole,
        // and the next start finishes the rest.
        assert_eq!(check(&db).await, 25);
        let k = Kartoteka::open(&db.path()).await.unwrap();
        assert_eq!(k.counts().await.unwrap().people, 40);
        // Any copy made before migrating is whole.
        if let Ok(entries) = std::fs::read_dir(dir.path().join("kopie")) {
            for e in entries {
                let p = e.unwrap().path();
                if p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("przed-aktualizacja")
                {
                    assert_eq!(
                        kartoteka_core::backup::inspect(&p)
                            .await
                            .unwrap()
                            .organizations,
                        25
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn several_processes_on_one_database_wait_for_each_other() {
    let db = crate::util::fresh_place().await;
    let dir = &db.dir;
    demo(&db, 10, 10);
    let csv = dir.path().join("organizacje.csv");
    let mut text = String::from("Nazwa;Forma prawna;Miejscowość\n");
    for i in 0..5_000 {
        text.push_str(&format!(
            "Fundacja Współbieżna nr {i};fundacja;Miasto {}\n",
            i % 50
        ));
    }
    std::fs::write(&csv, text).unwrap();
    // An import and demo data (another process, as the window would be) write at the same time.
    let mut import = cli(&db);
    import
        .args(["import", "organizations"])
        .arg(&csv)
        .args(["--on-duplicate", "add"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let import = import.spawn().unwrap();
    let mut others = Vec::new();
    for seed in 0..3u64 {
        let mut c = cli(&db);
        c.args([
            "demo-data",
            "--force",
            "--organizations",
            "200",
            "--people",
            "10",
            "--seed",
            &(20 + seed).to_string(),
            "--advice",
            "5",
            "--events",
            "1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
        others.push(c.spawn().unwrap());
    }
    let out = import.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for o in others {
        let out = o.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(check(&db).await, 10 + 5_000 + 3 * 200);
}

/// Changes a copy as someone with the file in hand could (the checks must catch it).
async fn tamper(copy: &Path, sql: &str) {
    use sqlx::{ConnectOptions, Connection};
    let mut c = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(copy)
        .connect()
        .await
        .unwrap();
    sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
}

const FUTURE_MIGRATION: &str = "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
     VALUES (29991231000000, 'z przyszlosci', CURRENT_TIMESTAMP, 1, x'00', 0)";

/// What "untouched" is for the live database: a file's bytes and modification time; a
/// server's whole register as exported.
type LiveState = (Vec<u8>, Option<std::time::SystemTime>, Vec<u8>);

fn live_state(db: &Place) -> LiveState {
    if db.on_server() {
        let (organizations, people) = exports(db, "live");
        return (organizations, None, people);
    }
    let p = db.path();
    (
        std::fs::read(&p).unwrap(),
        Some(std::fs::metadata(&p).unwrap().modified().unwrap()),
        Vec::new(),
    )
}

#[tokio::test]
async fn restore_refuses_a_copy_with_an_added_trigger_and_leaves_the_live_database_as_it_was() {
    let db = crate::util::fresh_place().await;
    let dir = &db.dir;
    demo(&db, 30, 11);
    let copy = dir.path().join("kopia-z-wyzwalaczem.db");
    run_ok(cli(&db).args(["backup", "--out"]).arg(&copy));
    tamper(
        &copy,
        "CREATE TRIGGER x AFTER INSERT ON organizations BEGIN DELETE FROM people; END",
    )
    .await;

    // Through the CLI: refused before anything is asked or written, with the reason in Polish.
    let out = cli(&db)
        .arg("restore")
        .arg(&copy)
        .arg("--yes")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("wyzwalacz „x”") && said.contains("inną budowę"),
        "{said}"
    );
    assert!(
        kartoteka_core::backup::inspect(&copy).await.is_err(),
        "the window's preview refuses it too"
    );

    // Through the core, with the database open: it stays as it was.
    let k = db.open().await;
    assert!(
        !k.trusted_schema().await.unwrap(),
        "connections run with trusted_schema off"
    );
    let before = live_state(&db);
    let people = k.counts().await.unwrap().people;
    let err = k.restore_from(&copy).await.unwrap_err();
    assert!(err.to_string().contains("wyzwalacz"), "{err}");
    assert_eq!(live_state(&db), before, "the live database is untouched");
    assert!(
        !dir.path().join(".przywracanie.tmp").exists(),
        "no temporary copy is left"
    );
    // The trigger never arrived: adding an organisation deletes nobody.
    crate::util::save_org(&k, &crate::util::org("Fundacja Po Próbie", "Łódź")).await;
    assert_eq!(k.counts().await.unwrap().people, people);
    assert!(people > 0);
}

#[tokio::test]
async fn a_copy_from_a_newer_version_is_refused_and_the_program_still_opens_its_database() {
    let db = crate::util::fresh_place().await;
    let dir = &db.dir;
    demo(&db, 20, 12);
    let copy = dir.path().join("kopia-z-nowszej.db");
    run_ok(cli(&db).args(["backup", "--out"]).arg(&copy));
    tamper(&copy, FUTURE_MIGRATION).await;
    let out = cli(&db)
        .arg("restore")
        .arg(&copy)
        .arg("--yes")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("nowszej wersji Kartoteki") && said.contains("29991231000000"),
        "{said}"
    );
    assert!(
        !said.contains("migration") && !said.contains("previously applied"),
        "no English library text: {said}"
    );
    // The office is not locked out: every command still opens the database.
    let out = cli(&db).args(["search", "a", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(check(&db).await, 20);

    // A copy whose recorded migration was edited (same version, another checksum) is refused too.
    let edited = dir.path().join("kopia-zmieniona.db");
    run_ok(cli(&db).args(["backup", "--out"]).arg(&edited));
    tamper(&edited, "UPDATE _sqlx_migrations SET checksum = x'01' WHERE version = (SELECT MIN(version) FROM _sqlx_migrations)").await;
    let err = kartoteka_core::backup::inspect(&edited)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("różni się od tej w programie"), "{err}");
}

#[tokio::test]
async fn an_older_copy_is_migrated_on_a_temporary_copy_never_in_place() {
    let db = crate::util::fresh_place().await;
    let dir = &db.dir;
    demo(&db, 10, 13);
    let old = dir.path().join("stara-kopia.db");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-1.db"),
        &old,
    )
    .unwrap();
    let before = std::fs::read(&old).unwrap();
    assert_eq!(
        kartoteka_core::backup::inspect(&old)
            .await
            .unwrap()
            .organizations,
        25
    );
    let said = run_ok(cli(&db).arg("restore").arg(&old).arg("--yes"));
    assert!(said.contains("Przywrócono (25 organizacji"), "{said}");
    assert_eq!(
        std::fs::read(&old).unwrap(),
        before,
        "the user's old copy is never written"
    );
    assert!(!dir.path().join(".przywracanie.tmp").exists());
    // The copy was brought up to date before it was installed: opening the live file finds
    // nothing to migrate, so no pre-update copy of it is made (a server's tables are never
    // copied aside before a migration: there the check below is what shows it).
    if !db.on_server() {
        let pre_update = std::fs::read_dir(dir.path().join("kopie"))
            .unwrap()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("przed-aktualizacja")
            })
            .count();
        assert_eq!(
            pre_update, 0,
            "the live file was migrated in place after the restore"
        );
    }
    let k = db.open().await;
    assert_eq!(k.counts().await.unwrap().people, 40);
    // What was installed already has this program's schema and passes the full check.
    k.close().await;
    drop(k);
    let fresh_copy = dir.path().join("po-przywroceniu.db");
    run_ok(cli(&db).args(["backup", "--out"]).arg(&fresh_copy));
    assert_eq!(
        kartoteka_core::backup::inspect(&fresh_copy)
            .await
            .unwrap()
            .organizations,
        25
    );
}

#[tokio::test]
async fn sqlite_only_restore_is_refused_while_another_process_has_the_file_open() {
    let db = crate::util::fresh_file_place();
    let dir = &db.dir;
    demo(&db, 15, 14);
    let copy = dir.path().join("kopia.db");
    run_ok(cli(&db).args(["backup", "--out"]).arg(&copy));
    demo(&db, 5, 15);
    // This test process has the file open, as the window would: the CLI's restore is refused.
    let k = Kartoteka::open(&db.path()).await.unwrap();
    let out = cli(&db)
        .arg("restore")
        .arg(&copy)
        .arg("--yes")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("otwarta w innym oknie Kartoteki albo w wierszu poleceń"),
        "{said}"
    );
    assert_eq!(
        k.counts().await.unwrap().organizations,
        20,
        "nothing was swapped under the open file"
    );
    // And the other way round: a restore in this process while a second opener holds it.
    let second = Kartoteka::open(&db.path()).await.unwrap();
    assert_eq!(k.restore_from(&copy).await.unwrap_err().code(), "busy");
    assert_eq!(
        k.counts().await.unwrap().organizations,
        20,
        "the refused restore left this process working"
    );
    drop(second);
    k.close().await;
    drop(k);
    // Once nobody else has it open, the same restore goes through.
    let said = run_ok(cli(&db).arg("restore").arg(&copy).arg("--yes"));
    assert!(said.contains("Przywrócono (15 organizacji"), "{said}");
}

#[tokio::test]
async fn sqlite_only_backup_out_onto_the_live_database_or_its_wal_is_refused() {
    let db = crate::util::fresh_file_place();
    let dir = &db.dir;
    demo(&db, 12, 16);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let mut targets = vec![
        db.path(),
        dir.path().join("kartoteka.db-wal"),
        dir.path().join("kartoteka.db-shm"),
        dir.path().join("sub").join("..").join("kartoteka.db"),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(db.path(), dir.path().join("skrot.db")).unwrap();
        targets.push(dir.path().join("skrot.db"));
    }
    for target in targets {
        let out = cli(&db)
            .args(["backup", "--out"])
            .arg(&target)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{}: {said}", target.display());
        assert!(
            said.contains("to plik bazy danych, na której program pracuje"),
            "{said}"
        );
        assert_eq!(check(&db).await, 12, "{}", target.display());
    }
    // A relative spelling from inside the folder is the same file.
    let out = cli_at("kartoteka.db", Path::new("kartoteka.logs"))
        .current_dir(dir.path())
        .args(["backup", "--out", "./sub/../kartoteka.db"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[cfg(unix)]
#[tokio::test]
async fn sqlite_only_a_read_only_or_world_writable_backup_restores_as_a_private_writable_file() {
    use std::os::unix::fs::PermissionsExt;
    let db = crate::util::fresh_file_place();
    let dir = &db.dir;
    demo(&db, 8, 17);
    for mode in [0o444, 0o666] {
        let copy = dir.path().join(format!("kopia-{mode:o}.db"));
        run_ok(cli(&db).args(["backup", "--out"]).arg(&copy));
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(mode)).unwrap();
        run_ok(cli(&db).arg("restore").arg(&copy).arg("--yes"));
        let live = std::fs::metadata(db.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            live, 0o600,
            "after restoring a {mode:o} copy the live file is {live:o}"
        );
        // The restored file takes writes.
        demo(&db, 1, 18);
        assert_eq!(check(&db).await, 9);
        // Back to 8 for the next round.
        run_ok(cli(&db).arg("restore").arg(&copy).arg("--yes"));
        assert_eq!(check(&db).await, 8);
    }
}
