//! House rules that protect the window: a strict CSP, no HTML built from strings in the UI, no
//! remote content. Capabilities limited to the app's own commands: `command_list`.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap()
}

#[test]
fn csp_allows_no_inline_script_and_no_remote_origin() {
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let csp = &conf["app"]["security"]["csp"];
    assert_eq!(csp["script-src"], "'self'");
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["object-src"], "'none'");
    let all = csp.to_string();
    assert!(
        !all.contains("unsafe-inline") && !all.contains("unsafe-eval"),
        "{all}"
    );
    assert!(!all.contains("https:") && !all.contains("*"), "{all}");
}

#[test]
fn ui_never_parses_data_as_html_and_loads_nothing_remote() {
    let mut files = Vec::new();
    let mut stack = vec![root().join("ui")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("js" | "html" | "css")
            ) {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 8);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // The translation parts (ui/js/i18n/) hold only texts shown to the user; an example
        // address there ("https://…" in the mail editor's hint) loads nothing.
        let texts_only = f.parent().is_some_and(|d| d.ends_with("ui/js/i18n"));
        for banned in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            "http://",
            "https://",
            "<script>",
        ] {
            if texts_only && banned.starts_with("http") {
                continue;
            }
            assert!(!text.contains(banned), "{} contains {banned}", f.display());
        }
        if f.extension().unwrap() == "js" && !f.ends_with("api.js") {
            assert!(
                !text.contains("__TAURI__"),
                "{} talks to Tauri directly; only api.js may",
                f.display()
            );
        }
    }
}

/// Oversized or malformed arguments get a clear Polish message at the right field and write
/// nothing: the same checks the window's commands go through.
#[tokio::test]
async fn oversized_and_malformed_arguments_are_refused_at_their_field() {
    use kartoteka_core::mail::{GrantCallInput, MailSettings, MessageInput};
    let db = crate::util::fresh().await;
    let k = &db.k;
    let huge = "ż".repeat(1_000_000);
    let mut o = crate::util::org("Fundacja", "Łódź");
    o.name = huge.clone();
    o.notes = "x".repeat(20_000);
    o.nip = "123-456-78-90".into();
    let err = k.save_organization(None, &o, false).await.unwrap_err();
    let fields: Vec<String> = err.field_errors().iter().map(|f| f.field.clone()).collect();
    for f in ["name", "nip", "notes"] {
        assert!(
            fields.contains(&f.to_string()),
            "{f} not flagged: {fields:?}"
        );
    }
    assert!(err
        .field_errors()
        .iter()
        .all(|f| !f.message.is_empty() && f.message.chars().count() < 300));
    assert_eq!(
        k.counts().await.unwrap().organizations,
        0,
        "nothing written"
    );

    let err = k
        .save_message(
            None,
            &MessageInput {
                subject: huge.clone(),
                body: "x".repeat(200_000),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    let fields: Vec<&str> = err
        .field_errors()
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, vec!["subject", "body"]);

    let err = k
        .save_grant_call(
            None,
            &GrantCallInput {
                funder: "Urząd".into(),
                title: "Nabór".into(),
                deadline: "1.1.2027".into(),
                link: "javascript:alert(1)".into(),
                areas: vec!["nie-ma-takiej".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    let fields: Vec<&str> = err
        .field_errors()
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, vec!["link", "areas"]);

    let err = k
        .save_mail_settings(&MailSettings {
            host: "smtp.example.pl; rm -rf /".into(),
            from_address: "biuro@example.pl".into(),
            rate_per_minute: 1_000_000,
            ..Default::default()
        })
        .await
        .unwrap_err();
    let fields: Vec<&str> = err
        .field_errors()
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, vec!["host", "rate_per_minute"]);

    assert_eq!(
        k.search(&huge, 10).await.unwrap_err().code(),
        "bad_argument"
    );
    assert!(k
        .record_removal("<script>@x", kartoteka_core::mail::Removal::Bounced)
        .await
        .is_err());
    assert!(
        kartoteka_core::backup::inspect(std::path::Path::new("/nie/ma/takiego/pliku.db"))
            .await
            .is_err()
    );
}

/// Files with personal data are the owner's only: 0600 files in 0700 folders, whether the
/// program (CLI) or the core writes them, and a database from before this rule is tightened.
#[cfg(unix)]
#[tokio::test]
async fn sqlite_only_files_with_personal_data_are_created_0600_in_0700_folders() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("dane").join("kartoteka");
    let db = data.join("kartoteka.db");
    let logs = t.path().join("dziennik");
    let out_dir = t.path().join("eksport");
    std::fs::create_dir(&out_dir).unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kartoteka"))
            .arg("--db")
            .arg(&db)
            .env("KARTOTEKA_LOG_DIR", &logs)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "demo-data",
        "--organizations",
        "5",
        "--people",
        "5",
        "--advice",
        "2",
        "--events",
        "1",
    ]);
    let s = |p: &Path| p.to_str().unwrap().to_string();
    run(&[
        "export",
        "organizations",
        "--out",
        &s(&out_dir.join("o.xlsx")),
    ]);
    run(&[
        "export",
        "people",
        "--out",
        &s(&out_dir.join("p.csv")),
        "--format",
        "csv-excel",
    ]);
    run(&[
        "report",
        "directory",
        "--out",
        &s(&out_dir.join("katalog.pdf")),
    ]);
    run(&["backup", "--out", &s(&data.join("kopie").join("reczna.db"))]);
    for dir in [
        t.path().join("dane"),
        data.clone(),
        data.join("kopie"),
        logs.clone(),
    ] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
    let mut files = vec![
        db.clone(),
        data.join("kopie").join("reczna.db"),
        out_dir.join("o.xlsx"),
        out_dir.join("p.csv"),
        out_dir.join("katalog.pdf"),
    ];
    files.extend(std::fs::read_dir(&logs).unwrap().map(|e| e.unwrap().path()));
    for suffix in ["-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        if p.exists() {
            files.push(p);
        }
    }
    assert!(files.len() >= 6, "{files:?}");
    for f in &files {
        assert_eq!(mode(f), 0o600, "{}", f.display());
    }

    // The core on its own (this test process keeps the usual umask 022): its own modes.
    let core_db = t.path().join("rdzen").join("k.db");
    let k = kartoteka_core::Kartoteka::open(&core_db).await.unwrap();
    let person = crate::util::save_person(
        &k,
        &kartoteka_core::register::PersonInput {
            first_name: "Anna".into(),
            last_name: "Prywatna".into(),
            ..Default::default()
        },
    )
    .await;
    let backup = k.automatic_backup().await.unwrap();
    let rodo = k
        .export_person_data(person, &t.path().join("rodo").join("wnioski"))
        .await
        .unwrap();
    for dir in [
        t.path().join("rdzen"),
        t.path().join("rdzen").join("kopie"),
        t.path().join("rodo"),
        t.path().join("rodo").join("wnioski"),
    ] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
    for f in [
        core_db.clone(),
        PathBuf::from(format!("{}-wal", core_db.display())),
        PathBuf::from(backup.path),
        PathBuf::from(rodo.json),
        PathBuf::from(rodo.pdf),
    ] {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
    k.close().await;
    drop(k);

    // A database made world-readable by an older version is tightened when opened.
    std::fs::set_permissions(&core_db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let k = kartoteka_core::Kartoteka::open(&core_db).await.unwrap();
    assert_eq!(mode(&core_db), 0o600);
    k.close().await;
}
