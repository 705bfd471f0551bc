//! Moving an office's register between a file and a PostgreSQL server with the CLI
//! (`kartoteka transfer`), as the window's "Przenieś dane na serwer" does: the round trip
//! file → server → file gives an identical full export, a server holding a register is
//! replaced only when asked (its copy kept first), backup and restore work in server mode,
//! and a server process killed mid-transfer leaves nothing half-moved. Needs a server
//! (scripts/test-postgres.sh --it transfer::).

use crate::util::fresh_server_place;
use std::path::Path;
use std::process::{Command, Output};

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The CLI with the data folder in the test's own folder (the server's backups go there).
fn kartoteka(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .env("XDG_DATA_HOME", data)
        .env("KARTOTEKA_LOG_DIR", data.join("logs"))
        .env_remove("KARTOTEKA_DB")
        .args(args)
        .output()
        .unwrap()
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = kartoteka(data, args);
    assert!(
        out.status.success(),
        "kartoteka {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every export the program makes of a register, as bytes: both lists in CSV and the people
/// as vCards (the full register as an office sees it leave the program).
fn full_export(data: &Path, db: &str, tag: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (what, ext) in [
        ("organizations", "csv"),
        ("people", "csv"),
        ("people", "vcf"),
    ] {
        let file = data.join(format!("{tag}-{what}.{ext}"));
        ok(
            data,
            &["--db", db, "export", what, "--out", file.to_str().unwrap()],
        );
        out.push((format!("{what}.{ext}"), std::fs::read(&file).unwrap()));
    }
    let search = kartoteka(
        data,
        &["--db", db, "search", "lodz", "--limit", "50", "--json"],
    );
    out.push(("search".into(), search.stdout));
    out
}

#[test]
fn pg_only_transfer_file_to_server_to_file_gives_an_identical_export() {
    let place = block_on(fresh_server_place());
    let Some(place) = place else { return };
    let data = place.dir.path();
    let url = place.location();
    let file = data.join("biuro.db");
    let file = file.to_str().unwrap();
    ok(
        data,
        &[
            "--db",
            file,
            "demo-data",
            "--organizations",
            "120",
            "--people",
            "80",
            "--seed",
            "5",
        ],
    );
    let before = full_export(data, file, "file");
    assert!(before[0].1.len() > 5000, "the demo export is too small");

    let said = ok(data, &["transfer", "--from", file, "--to", &url]);
    assert!(said.contains("Przeniesiono"), "{said}");
    assert!(said.contains("się zgadzają"), "{said}");
    assert!(said.contains("organizations"), "{said}");
    assert_eq!(full_export(data, &url, "server"), before);

    let back = data.join("z-serwera.db");
    let back = back.to_str().unwrap();
    let said = ok(data, &["transfer", "--from", &url, "--to", back]);
    assert!(said.contains("się zgadzają"), "{said}");
    assert_eq!(full_export(data, back, "back"), before);
    // An existing file is never overwritten by a transfer.
    let again = kartoteka(data, &["transfer", "--from", &url, "--to", back]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("już istnieje"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    // The server holds a register now: a second transfer is refused without --replace, and
    // with it the server's register is saved first in the PC's folder for that server.
    let other = data.join("inne.db");
    let other = other.to_str().unwrap();
    ok(
        data,
        &[
            "--db",
            other,
            "demo-data",
            "--organizations",
            "30",
            "--people",
            "10",
            "--seed",
            "9",
        ],
    );
    let refused = kartoteka(data, &["transfer", "--from", other, "--to", &url]);
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("Na serwerze są już dane Kartoteki"), "{why}");
    assert_eq!(
        full_export(data, &url, "server2"),
        before,
        "nothing changed"
    );
    let said = ok(
        data,
        &["transfer", "--from", other, "--to", &url, "--replace"],
    );
    assert!(said.contains("przed-przywroceniem-"), "{said}");
    let kept: Vec<_> = walk(&data.join("kartoteka").join("serwery"))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("przed-przywroceniem-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let kept = kept[0].to_str().unwrap().to_string();
    assert_eq!(
        full_export(data, &kept, "kept"),
        before,
        "the copy kept first"
    );
    let now = full_export(data, &url, "server3");
    assert_ne!(now, before);

    // Backup and restore in server mode: the same checked file; a restore puts it back on the
    // server after saving what was there.
    let copy = data.join("kopia-serwera.db");
    let said = ok(
        data,
        &["--db", &url, "backup", "--out", copy.to_str().unwrap()],
    );
    assert!(said.contains("organizacje: 30"), "{said}");
    let said = ok(data, &["--db", &url, "restore", back, "--yes"]);
    assert!(said.contains("Przywrócono (120 organizacji"), "{said}");
    assert_eq!(full_export(data, &url, "restored"), before);
    assert_eq!(
        full_export(data, copy.to_str().unwrap(), "copy"),
        now,
        "the backup holds what the server held"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// The server process writing the transfer is killed with SIGKILL while rows go up: the
/// server restarts all its processes (as after a crash), and the database holds either no
/// Kartoteka records at all or all of them, never part.
/// A throwaway server of this test's own (pg_virtualenv -t), so that crashing it disturbs no
/// other test; stopped and removed when dropped.
struct PrivateServer {
    child: std::process::Child,
    stop: std::path::PathBuf,
    url: String,
    // Kept open until the server is gone: pg_virtualenv says "Dropping cluster" on its way out,
    // and a closed pipe would kill it (SIGPIPE) before it stops the server, leaving it running.
    _output: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
}

impl PrivateServer {
    fn start(dir: &Path) -> PrivateServer {
        use std::io::BufRead;
        let stop = dir.join("stop-server");
        let script = r#"
            password=$(python3 -c "import os, urllib.parse; print(urllib.parse.quote(os.environ['PGPASSWORD'], safe=''))")
            echo "URL postgres://$PGUSER:$password@$PGHOST:$PGPORT/$PGDATABASE"
            while [ ! -e "$STOP" ]; do sleep 0.2; done
        "#;
        // A port of its own (the default one belongs to the run's server), and none of the
        // run's server variables, or pg_virtualenv takes that cluster for its own.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = Command::new("pg_virtualenv");
        for var in [
            "PGHOST",
            "PGPORT",
            "PGUSER",
            "PGPASSWORD",
            "PGDATABASE",
            "PGVERSION",
            "PG_CONFIG",
            "PGSYSCONFDIR",
            "PG_CLUSTER_CONF_ROOT",
        ] {
            command.env_remove(var);
        }
        let mut child = command
            .args(["-t", "-c", &format!("-p {port}"), "sh", "-c", script])
            .env("STOP", &stop)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("pg_virtualenv (postgresql-common) runs the PostgreSQL tests");
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let url = lines
            .find_map(|l| l.ok()?.strip_prefix("URL ").map(str::to_string))
            .expect("pg_virtualenv started no server");
        PrivateServer {
            child,
            stop,
            url,
            _output: lines,
        }
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.stop, "");
        let _ = self.child.wait();
    }
}

#[test]
fn pg_only_a_server_killed_mid_transfer_leaves_nothing_half() {
    if crate::util::test_server().is_none() {
        eprintln!("KARTOTEKA_TEST_POSTGRES not set: this PostgreSQL test is skipped (scripts/test-postgres.sh runs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let private = PrivateServer::start(data);
    let server = private.url.clone();
    let database = "kartoteka_biuro";
    block_on(async {
        use sqlx::{Connection, Executor};
        let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
        admin
            .execute(format!("CREATE DATABASE {database}").as_str())
            .await
            .unwrap();
    });
    let mut url = url::Url::parse(&server).unwrap();
    url.set_path(database);
    let url = url.to_string();
    let file = data.join("duze.db");
    let file = file.to_str().unwrap();
    ok(
        data,
        &[
            "--db",
            file,
            "demo-data",
            "--organizations",
            "3000",
            "--people",
            "4000",
            "--advice",
            "3000",
        ],
    );
    let child = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .env("XDG_DATA_HOME", data)
        .env("KARTOTEKA_LOG_DIR", data.join("logs"))
        .args(["transfer", "--from", file, "--to", &url])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The backend inserting the rows: found by its program name and statement.
    let pid = block_on(async {
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
        let started = std::time::Instant::now();
        loop {
            let pid: Option<i32> = sqlx::query_scalar(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'kartoteka'
                 AND state = 'active' AND query LIKE 'INSERT INTO \"people\"%' LIMIT 1",
            )
            .bind(database)
            .fetch_optional(&mut admin)
            .await
            .unwrap();
            if let Some(pid) = pid {
                return pid;
            }
            assert!(
                started.elapsed().as_secs() < 120,
                "the transfer never reached the people"
            );
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    });
    let killed = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success(), "the transfer did not notice");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Błąd: Połączenie z serwerem bazy danych zostało przerwane"),
        "{said}"
    );

    // The server comes back after its crash recovery; then the database is looked at.
    let (organizations, people) = block_on(async {
        use sqlx::Connection;
        let started = std::time::Instant::now();
        let mut conn = loop {
            match sqlx::PgConnection::connect(&url).await {
                Ok(c) => break c,
                Err(e) => {
                    assert!(started.elapsed().as_secs() < 60, "server not back: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
            }
        };
        let count = |t: &'static str| format!("SELECT COUNT(*) FROM {t}");
        let o: i64 = sqlx::query_scalar(&count("organizations"))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let p: i64 = sqlx::query_scalar(&count("people"))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        (o, p)
    });
    assert_eq!(
        (organizations, people),
        (0, 0),
        "records of a transfer that never finished are on the server"
    );
    // And the same transfer, run again on the recovered server, goes through whole.
    let said = ok(data, &["transfer", "--from", file, "--to", &url]);
    assert!(said.contains("się zgadzają"), "{said}");
}
