//! The headless subcommands of the real `kartoteka` binary, on a database file or (in a
//! PostgreSQL run) on a server's database given to `--db` as its address.

use std::process::Command;

fn kartoteka() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kartoteka"))
}

#[test]
fn demo_data_then_search_as_json() {
    let place = crate::util::fresh_place_blocking();
    let db = place.location();
    let out = kartoteka()
        .args([
            "--db",
            db.as_str(),
            "demo-data",
            "--organizations",
            "120",
            "--people",
            "80",
            "--seed",
            "5",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("120 organizacji"));

    let out = kartoteka()
        .args([
            "--db",
            db.as_str(),
            "search",
            "stowarzyszenie",
            "--limit",
            "5",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 5);
    for h in hits {
        assert_eq!(h["kind"], "organization");
        assert!(h["id"].as_i64().unwrap() > 0);
        assert!(
            h["name"].as_str().unwrap().starts_with("Stowarzyszenie"),
            "{h}"
        );
    }

    // The database can also come from the environment; plain output is one line per hit.
    let out = kartoteka()
        .env("KARTOTEKA_DB", &db)
        .args(["search", "ZAZOLC GESLA JAZN"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Nic nie znaleziono"));
}

#[test]
fn search_finds_a_city_typed_without_polish_letters() {
    let place = crate::util::fresh_place_blocking();
    let db = place.location();
    assert!(kartoteka()
        .args([
            "--db",
            db.as_str(),
            "demo-data",
            "--organizations",
            "400",
            "--people",
            "0"
        ])
        .status()
        .unwrap()
        .success());
    let out = kartoteka()
        .args([
            "--db",
            db.as_str(),
            "search",
            "lodz",
            "--json",
            "--limit",
            "50",
        ])
        .output()
        .unwrap();
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["detail"] == "Łódź" || h["name"].as_str().unwrap().contains("Łód")),
        "{hits:?}"
    );
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["demo-data", "--help"],
        vec!["search", "--help"],
    ] {
        let out = kartoteka().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("--db"), "{args:?}: {text}");
    }
    let out = kartoteka().args(["demo-data", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("--organizations") && text.contains("--people") && text.contains("--seed")
    );
}

#[test]
fn sqlite_only_a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_db = dir.path().join("notes.txt");
    std::fs::write(
        &not_a_db,
        "to nie jest baza danych, tylko notatka ".repeat(200),
    )
    .unwrap();
    let out = kartoteka()
        .args(["--db", not_a_db.to_str().unwrap(), "search", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("Błąd:"));
}

/// The same for a server given to `--db`: one that does not answer, a wrong password and a
/// database that is not there are each explained in Polish, without the driver's English and
/// without the password.
#[test]
fn pg_only_a_server_that_cannot_be_used_is_a_clear_error() {
    let Some(server) = crate::util::test_server() else {
        eprintln!("KARTOTEKA_TEST_POSTGRES not set: this PostgreSQL test is skipped (scripts/test-postgres.sh runs it)");
        return;
    };
    let server = url::Url::parse(&server).unwrap();
    let mut unreachable = server.clone();
    unreachable.set_host(Some("127.0.0.1")).unwrap();
    unreachable.set_port(Some(1)).unwrap();
    let mut wrong_password = server.clone();
    wrong_password.set_password(Some("zle-haslo-7Qx")).unwrap();
    let mut no_database = server.clone();
    no_database.set_path("nie_ma_takiej_bazy");
    for (url, expected) in [
        (unreachable, "Nie można połączyć się z serwerem bazy danych"),
        (wrong_password, "niepoprawna nazwa użytkownika albo hasło"),
        (no_database, "Na serwerze nie ma bazy danych o tej nazwie"),
    ] {
        let out = kartoteka()
            .args(["--db", url.as_str(), "search", "x"])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{said}");
        assert!(
            said.starts_with("Błąd:") && said.contains(expected),
            "{expected}: {said}"
        );
        for secret in ["zle-haslo-7Qx"].into_iter().chain(server.password()) {
            assert!(!said.contains(secret), "the password shown: {said}");
        }
        for english in [
            "password authentication",
            "does not exist",
            "refused",
            "error returned",
        ] {
            assert!(!said.contains(english), "the driver's English: {said}");
        }
    }
}

#[test]
fn export_writes_the_format_the_file_name_asks_for() {
    let place = crate::util::fresh_place_blocking();
    let (dir, db) = (&place.dir, place.location());
    assert!(kartoteka()
        .args([
            "--db",
            db.as_str(),
            "demo-data",
            "--organizations",
            "30",
            "--people",
            "20"
        ])
        .status()
        .unwrap()
        .success());
    let csv = dir.path().join("organizacje.csv");
    let out = kartoteka()
        .args([
            "--db",
            db.as_str(),
            "export",
            "organizations",
            "--out",
            csv.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&csv).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBFNazwa;"),
        "csv means the Polish-Excel flavour"
    );
    assert_eq!(String::from_utf8_lossy(&bytes).matches("\r\n").count(), 31);
    let vcf = dir.path().join("osoby.txt");
    let out = kartoteka()
        .args([
            "--db",
            db.as_str(),
            "export",
            "people",
            "--out",
            vcf.to_str().unwrap(),
            "--format",
            "vcf",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(&vcf)
            .unwrap()
            .matches("END:VCARD")
            .count(),
        20
    );
    let out = kartoteka()
        .args([
            "--db",
            db.as_str(),
            "export",
            "people",
            "--out",
            dir.path().join("x.pdf").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format"));
}

#[test]
fn report_directory_writes_a_pdf() {
    let place = crate::util::fresh_place_blocking();
    let (dir, db) = (&place.dir, place.location());
    assert!(kartoteka()
        .args([
            "--db",
            db.as_str(),
            "demo-data",
            "--organizations",
            "40",
            "--people",
            "0"
        ])
        .status()
        .unwrap()
        .success());
    let pdf = dir.path().join("katalog.pdf");
    let out = kartoteka()
        .args([
            "--db",
            db.as_str(),
            "report",
            "directory",
            "--out",
            pdf.to_str().unwrap(),
            "--group-by",
            "legal-form",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    // Like the window, only organisations that consented unless --all; --public-only still works.
    let count = |args: &[&str]| -> usize {
        let mut all = vec![
            "--db",
            db.as_str(),
            "report",
            "directory",
            "--out",
            pdf.to_str().unwrap(),
        ];
        all.extend_from_slice(args);
        let out = kartoteka().args(&all).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        said.split("organizacje: ")
            .nth(1)
            .and_then(|r| r.split(',').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{said}"))
    };
    let (default, public, all) = (count(&[]), count(&["--public-only"]), count(&["--all"]));
    assert_eq!(all, 40);
    assert_eq!(default, public);
    assert!(
        default < all,
        "demo data has organisations without consent: {default} of {all}"
    );
    let bad = kartoteka()
        .args([
            "--db",
            db.as_str(),
            "report",
            "directory",
            "--out",
            pdf.to_str().unwrap(),
            "--group-by",
            "colour",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let help = kartoteka()
        .args(["report", "directory", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("--group-by")
            && text.contains("--public-only")
            && text.contains("--all")
            && text.contains("--members-only")
    );
}

#[test]
fn import_prints_one_json_summary_and_fails_only_when_nothing_could_be_read() {
    let place = crate::util::fresh_place_blocking();
    let (dir, db) = (&place.dir, place.location());
    let file = dir.path().join("organizacje.csv");
    std::fs::write(
        &file,
        "Nazwa;NIP;Miejscowość\nFundacja Dąb;123-456-32-18;Łódź\nFundacja Buk;1234563219;Łódź\nFundacja Dąb;;Łódź\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "--db",
            db.as_str(),
            "import",
            "organizations",
            file.to_str().unwrap(),
            "--json",
        ];
        args.extend_from_slice(extra);
        kartoteka().args(args).output().unwrap()
    };
    let dry = run(&["--dry-run"]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(summary["dry_run"], true);
    assert_eq!(summary["imported"], 1);

    let out = run(&[]);
    assert!(out.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            summary["imported"].as_u64(),
            summary["updated"].as_u64(),
            summary["skipped_duplicates"].as_u64()
        ),
        (Some(1), Some(0), Some(1))
    );
    let rejected = summary["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["row"], 3);
    assert_eq!(rejected[0]["column"], "NIP");
    assert!(rejected[0]["message"].as_str().unwrap().contains("NIP"));

    let again = run(&["--on-duplicate", "update"]);
    let summary: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(summary["updated"], 1);

    let missing = kartoteka()
        .args([
            "--db",
            db.as_str(),
            "import",
            "people",
            "/nie/ma/takiego.xlsx",
        ])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("Nie ma pliku"));
}

/// Issue 11: a closed output pipe (`kartoteka search lodz --json | head -3`) ends the run
/// quietly, exit 0 (or 141 / SIGPIPE), never a panic with a backtrace.
#[test]
fn a_closed_output_pipe_ends_the_run_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let place = crate::util::fresh_place_blocking();
    let (dir, db) = (&place.dir, place.location());
    assert!(kartoteka()
        .args([
            "--db",
            db.as_str(),
            "demo-data",
            "--organizations",
            "400",
            "--people",
            "300"
        ])
        .status()
        .unwrap()
        .success());
    let quiet = |child: std::process::Child, what: &str| {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        #[cfg(unix)]
        let by_sigpipe = std::os::unix::process::ExitStatusExt::signal(&out.status) == Some(13);
        #[cfg(not(unix))]
        let by_sigpipe = false;
        assert!(
            out.status.success() || out.status.code() == Some(141) || by_sigpipe,
            "{what}: {:?} {stderr}",
            out.status
        );
        assert!(
            !stderr.contains("panicked")
                && !stderr.contains("backtrace")
                && !stderr.contains("Broken pipe"),
            "{what}: {stderr}"
        );
    };
    // The reader is gone before anything is written: every write fails at once.
    for args in [
        vec!["search", "lodz", "--json", "--limit", "200"],
        vec!["search", "stowarzyszenie", "--limit", "200"],
        vec!["mail", "lists", "--json"],
    ] {
        let mut child = kartoteka()
            .arg("--db")
            .arg(&db)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        quiet(child, &args.join(" "));
    }
    // `| head -c 10`: a few bytes read, then the pipe closed while a large JSON document (far
    // more than the 64 KiB a pipe buffers) is still being written.
    let csv = dir.path().join("zle-nipy.csv");
    let mut text = String::from("Nazwa;NIP;Miejscowość\n");
    for i in 0..3000 {
        text.push_str(&format!("Fundacja Próbna {i};1234563219;Łódź\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let import = |stdout: Stdio| {
        kartoteka()
            .arg("--db")
            .arg(&db)
            .args(["import", "organizations"])
            .arg(&csv)
            .args(["--dry-run", "--json"])
            .stdout(stdout)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let whole = import(Stdio::piped()).wait_with_output().unwrap();
    assert!(
        whole.stdout.len() > 256 * 1024,
        "the document must outgrow the pipe: {} bytes",
        whole.stdout.len()
    );
    let mut child = import(Stdio::piped());
    let mut first = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    assert_eq!(&first[..1], b"{");
    drop(child.stdout.take());
    quiet(child, "import --json | head -c 10");
    // A closed stderr (progress and summaries) does not stop the work either.
    let mut child = kartoteka()
        .arg("--db")
        .arg(&db)
        .args(["search", "zzzz-nic-takiego"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
}

/// Issue 11: demo data goes only into an empty register unless --force, and holds no real
/// address: every e-mail and website in the file is under example.org / example.com (RFC 2606),
/// and no mail server is configured.
#[tokio::test]
async fn demo_data_is_made_up_and_only_for_an_empty_register() {
    let place = crate::util::fresh_place().await;
    let (dir, db) = (&place.dir, place.location());
    let logs = dir.path().join("logs");
    let run = |args: &[&str]| {
        kartoteka()
            .arg("--db")
            .arg(&db)
            .env("KARTOTEKA_LOG_DIR", &logs)
            .args(args)
            .output()
            .unwrap()
    };
    let first = run(&[
        "demo-data",
        "--organizations",
        "150",
        "--people",
        "300",
        "--seed",
        "3",
    ]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let count = || {
        let out = run(&[
            "export",
            "people",
            "--out",
            dir.path().join("osoby.csv").to_str().unwrap(),
        ]);
        assert!(out.status.success());
        String::from_utf8_lossy(&std::fs::read(dir.path().join("osoby.csv")).unwrap())
            .lines()
            .count()
            - 1
    };
    assert_eq!(count(), 300);
    let again = run(&["demo-data", "--organizations", "10", "--people", "10"]);
    assert_eq!(again.status.code(), Some(1));
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("Rejestr nie jest pusty") && said.contains("--force"),
        "{said}"
    );
    assert_eq!(count(), 300, "nothing added");
    let forced = run(&[
        "demo-data",
        "--organizations",
        "10",
        "--people",
        "10",
        "--force",
    ]);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert_eq!(count(), 310);

    // Every address in the register as exported (people, organisations), the mail settings
    // and the grant call.
    let reserved = |host: &str| {
        let host = host.trim_end_matches(['.', '/']).to_ascii_lowercase();
        ["example.org", "example.com"]
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")))
            || host.ends_with(".example")
            || host.ends_with(".test")
    };
    let mut text = String::new();
    for what in ["organizations", "people"] {
        let out = dir.path().join(format!("{what}.csv"));
        assert!(run(&[
            "export",
            what,
            "--out",
            out.to_str().unwrap(),
            "--format",
            "csv"
        ])
        .status
        .success());
        text.push_str(&std::fs::read_to_string(&out).unwrap());
    }
    let k = place.open().await;
    let settings = k.mail_settings().await.unwrap();
    assert_eq!(settings.host, "", "no mail server is configured");
    text.push_str(&format!(
        " {} {} ",
        settings.from_address,
        settings.unsubscribe()
    ));
    let calls = k.grant_calls(0, 100).await.unwrap().items;
    assert!(!calls.is_empty());
    for (id, ..) in calls {
        text.push_str(&format!(
            " {} ",
            k.grant_call(id).await.unwrap().link.unwrap_or_default()
        ));
    }
    let (mut emails, mut sites) = (0, 0);
    for token in text.split(|c: char| c.is_whitespace() || matches!(c, ';' | ',' | '"')) {
        if let Some((_, host)) = token.split_once("://") {
            sites += 1;
            assert!(
                reserved(host.split('/').next().unwrap()),
                "a real website in demo data: {token}"
            );
        } else if let Some((_, host)) = token.rsplit_once('@') {
            emails += 1;
            assert!(reserved(host), "a real address in demo data: {token}");
        }
    }
    assert!(
        emails > 300 && sites > 20,
        "the scan found the addresses: {emails} e-mails, {sites} sites"
    );
}

/// Issue 11: a password in `--smtp` is never shown back, neither in a parse error nor in the
/// refusal of a login without encryption, and never reaches the log.
#[test]
fn an_smtp_password_is_never_shown_or_logged() {
    let place = crate::util::fresh_place_blocking();
    let (dir, db) = (&place.dir, place.location());
    let logs = dir.path().join("logs");
    for (url, expected) in [
        ("smtp://u:sekret123@", "to nie adres serwera poczty"),
        ("smtp://u:sekret123@192.0.2.1:25", "smtp+starttls://"),
        ("u:sekret123@192.0.2.1", "to nie adres serwera poczty"),
    ] {
        let out = kartoteka()
            .arg("--db")
            .arg(&db)
            .env("KARTOTEKA_LOG_DIR", &logs)
            .args(["mail", "resume", "--smtp", url])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{url}");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(said.contains(expected), "{url}: {said}");
        assert!(!said.contains("sekret123"), "{url}: {said}");
    }
    for entry in std::fs::read_dir(&logs).unwrap() {
        let log = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!log.contains("sekret123"), "{log}");
    }
}

/// A database written by a newer version is explained in Polish (not sqlx's English), and
/// the way out is named.
#[test]
fn a_database_from_a_newer_version_is_explained_in_polish() {
    let place = crate::util::fresh_place_blocking();
    let db = place.location();
    let out = kartoteka()
        .args([
            "--db",
            db.as_str(),
            "demo-data",
            "--organizations",
            "3",
            "--people",
            "3",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::{ConnectOptions, Connection};
        if place.on_server() {
            let mut c = sqlx::PgConnection::connect(&db).await.unwrap();
            sqlx::query("INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) VALUES (29991231000000, 'z przyszlosci', CURRENT_TIMESTAMP, TRUE, '\\x00', 0)")
                .execute(&mut c)
                .await
                .unwrap();
            return c.close().await.unwrap();
        }
        let mut c = sqlx::sqlite::SqliteConnectOptions::new().filename(&db).connect().await.unwrap();
        sqlx::query("INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) VALUES (29991231000000, 'z przyszlosci', CURRENT_TIMESTAMP, 1, x'00', 0)")
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
    });
    let out = kartoteka()
        .args(["--db", db.as_str(), "search", "a"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("nowszej wersji Kartoteki") && said.contains("przywróć kopię"),
        "{said}"
    );
    assert!(
        !said.contains("migration") && !said.contains("previously applied"),
        "no English library text: {said}"
    );
}

/// Issue 11: control and bidi characters never reach the terminal. A name typed (here imported)
/// with U+202E (right-to-left override) and an ANSI colour sequence is stored without them; a
/// name stored before that rule (written straight into the file) is printed with the characters
/// as visible `\uXXXX` escapes, and the JSON output still parses to the stored text.
#[tokio::test]
async fn control_and_bidi_characters_never_reach_the_terminal() {
    let place = crate::util::fresh_place().await;
    let (dir, db) = (&place.dir, place.location());
    let csv = dir.path().join("wrogie.csv");
    std::fs::write(&csv, "Nazwa;Forma prawna;Miejscowość\nFundacja \u{202E}Odwrotna\x1b[31m Czerwona;fundacja;Łódź\u{200F}\n").unwrap();
    let out = kartoteka()
        .arg("--db")
        .arg(&db)
        .args(["import", "organizations"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kartoteka()
        .arg("--db")
        .arg(&db)
        .args(["search", "czerwona"])
        .output()
        .unwrap();
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(
        line.contains("Fundacja Odwrotna[31m Czerwona — Łódź"),
        "{line:?}"
    );
    assert!(
        !line.contains('\u{1b}') && !line.contains('\u{202E}') && !line.contains('\u{200F}'),
        "{line:?}"
    );

    // Data from before the rule: put back into the database directly, as an old version stored it.
    let stored = "Stowarzyszenie \u{202E}Czerwona\x1b[2J\nsearch fake";
    if place.on_server() {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&db).await.unwrap();
        sqlx::query("UPDATE organizations SET name = $1")
            .bind(stored)
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
    } else {
        use sqlx::{ConnectOptions, Connection};
        let mut c = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&db)
            .connect()
            .await
            .unwrap();
        sqlx::query("UPDATE organizations SET name = ?")
            .bind(stored)
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
    }
    let out = kartoteka()
        .arg("--db")
        .arg(&db)
        .args(["search", "czerwona"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().count(),
        1,
        "a line break in a name must not make a second result line: {text:?}"
    );
    assert!(
        text.contains("Stowarzyszenie \\u202eCzerwona\\u001b[2J\\u000asearch fake"),
        "{text:?}"
    );
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202E}'),
        "{text:?}"
    );
    let out = kartoteka()
        .arg("--db")
        .arg(&db)
        .args(["search", "czerwona", "--json"])
        .output()
        .unwrap();
    assert!(
        !out.stdout.contains(&0x1b) && !String::from_utf8_lossy(&out.stdout).contains('\u{202E}')
    );
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits[0]["name"], stored, "JSON escapes are the same text");
}
