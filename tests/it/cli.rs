//! The headless subcommands of the real `kartoteka` binary.

use std::process::Command;

fn kartoteka() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kartoteka"))
}

#[test]
fn demo_data_then_search_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let out = kartoteka()
        .args(["--db", db.to_str().unwrap(), "demo-data", "--organizations", "120", "--people", "80", "--seed", "5"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("120 organizacji"));

    let out = kartoteka().args(["--db", db.to_str().unwrap(), "search", "stowarzyszenie", "--limit", "5", "--json"]).output().unwrap();
    assert!(out.status.success());
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 5);
    for h in hits {
        assert_eq!(h["kind"], "organization");
        assert!(h["id"].as_i64().unwrap() > 0);
        assert!(h["name"].as_str().unwrap().starts_with("Stowarzyszenie"), "{h}");
    }

    // The database can also come from the environment; plain output is one line per hit.
    let out = kartoteka().env("KARTOTEKA_DB", &db).args(["search", "ZAZOLC GESLA JAZN"]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Nic nie znaleziono"));
}

#[test]
fn search_finds_a_city_typed_without_polish_letters() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    assert!(kartoteka().args(["--db", db.to_str().unwrap(), "demo-data", "--organizations", "400", "--people", "0"]).status().unwrap().success());
    let out = kartoteka().args(["--db", db.to_str().unwrap(), "search", "lodz", "--json", "--limit", "50"]).output().unwrap();
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["detail"] == "Łódź" || h["name"].as_str().unwrap().contains("Łód")), "{hits:?}");
}

#[test]
fn every_subcommand_has_help() {
    for args in [vec!["--help"], vec!["demo-data", "--help"], vec!["search", "--help"]] {
        let out = kartoteka().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("--db"), "{args:?}: {text}");
    }
    let out = kartoteka().args(["demo-data", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--organizations") && text.contains("--people") && text.contains("--seed"));
}

#[test]
fn a_database_that_cannot_be_opened_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_db = dir.path().join("notes.txt");
    std::fs::write(&not_a_db, "to nie jest baza danych, tylko notatka ".repeat(200)).unwrap();
    let out = kartoteka().args(["--db", not_a_db.to_str().unwrap(), "search", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("Błąd:"));
}

#[test]
fn export_writes_the_format_the_file_name_asks_for() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    assert!(kartoteka().args(["--db", db.to_str().unwrap(), "demo-data", "--organizations", "30", "--people", "20"]).status().unwrap().success());
    let csv = dir.path().join("organizacje.csv");
    let out = kartoteka().args(["--db", db.to_str().unwrap(), "export", "organizations", "--out", csv.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFNazwa;"), "csv means the Polish-Excel flavour");
    assert_eq!(String::from_utf8_lossy(&bytes).matches("\r\n").count(), 31);
    let vcf = dir.path().join("osoby.txt");
    let out = kartoteka().args(["--db", db.to_str().unwrap(), "export", "people", "--out", vcf.to_str().unwrap(), "--format", "vcf"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&vcf).unwrap().matches("END:VCARD").count(), 20);
    let out = kartoteka().args(["--db", db.to_str().unwrap(), "export", "people", "--out", dir.path().join("x.pdf").to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format"));
}

#[test]
fn report_directory_writes_a_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    assert!(kartoteka().args(["--db", db.to_str().unwrap(), "demo-data", "--organizations", "40", "--people", "0"]).status().unwrap().success());
    let pdf = dir.path().join("katalog.pdf");
    let out = kartoteka()
        .args(["--db", db.to_str().unwrap(), "report", "directory", "--out", pdf.to_str().unwrap(), "--group-by", "legal-form"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let bad = kartoteka().args(["--db", db.to_str().unwrap(), "report", "directory", "--out", pdf.to_str().unwrap(), "--group-by", "colour"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let help = kartoteka().args(["report", "directory", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("--group-by") && text.contains("--public-only") && text.contains("--members-only"));
}

#[test]
fn import_prints_one_json_summary_and_fails_only_when_nothing_could_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let file = dir.path().join("organizacje.csv");
    std::fs::write(
        &file,
        "Nazwa;NIP;Miejscowość\nFundacja Dąb;123-456-32-18;Łódź\nFundacja Buk;1234563219;Łódź\nFundacja Dąb;;Łódź\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["--db", db.to_str().unwrap(), "import", "organizations", file.to_str().unwrap(), "--json"];
        args.extend_from_slice(extra);
        kartoteka().args(args).output().unwrap()
    };
    let dry = run(&["--dry-run"]);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(summary["dry_run"], true);
    assert_eq!(summary["imported"], 1);

    let out = run(&[]);
    assert!(out.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((summary["imported"].as_u64(), summary["updated"].as_u64(), summary["skipped_duplicates"].as_u64()), (Some(1), Some(0), Some(1)));
    let rejected = summary["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["row"], 3);
    assert_eq!(rejected[0]["column"], "NIP");
    assert!(rejected[0]["message"].as_str().unwrap().contains("NIP"));

    let again = run(&["--on-duplicate", "update"]);
    let summary: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(summary["updated"], 1);

    let missing = kartoteka().args(["--db", db.to_str().unwrap(), "import", "people", "/nie/ma/takiego.xlsx"]).output().unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("Nie ma pliku"));
}
