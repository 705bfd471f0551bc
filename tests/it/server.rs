//! The CLI on a PostgreSQL server (`--db postgres://…`) answers exactly as on a file: the same
//! demo register, searched, listed and exported, gives the same output on both backends. Needs
//! a server in KARTOTEKA_TEST_POSTGRES (scripts/test-postgres.sh starts a throwaway one, and CI
//! runs it); without one the test only says so.

use std::process::Command;

fn kartoteka(db: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kartoteka {args:?} on {}: {}",
        if db.starts_with("postgres") {
            "the server"
        } else {
            "the file"
        },
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[tokio::test]
async fn pg_only_the_cli_answers_on_a_server_as_on_a_file() {
    let Some(place) = crate::util::fresh_server_place().await else {
        return;
    };
    let url = place.location();
    let dir = &place.dir;
    let file = dir.path().join("k.db");
    let file = file.to_str().unwrap();
    let demo = [
        "demo-data",
        "--organizations",
        "150",
        "--people",
        "90",
        "--seed",
        "11",
    ];
    for db in [file, url.as_str()] {
        kartoteka(db, &demo);
    }
    for query in ["fundacja", "lodz", "ŁÓDŹ", "stow war"] {
        let args = ["search", query, "--limit", "30", "--json"];
        let on_file: serde_json::Value = serde_json::from_slice(&kartoteka(file, &args)).unwrap();
        let on_server: serde_json::Value = serde_json::from_slice(&kartoteka(&url, &args)).unwrap();
        assert!(on_file.as_array().is_some_and(|a| !a.is_empty()) || query == "stow war");
        assert_eq!(on_file, on_server, "search {query:?}");
    }
    for what in ["organizations", "people"] {
        let out_file = dir.path().join(format!("{what}-file.csv"));
        let out_server = dir.path().join(format!("{what}-server.csv"));
        kartoteka(file, &["export", what, "--out", out_file.to_str().unwrap()]);
        kartoteka(
            &url,
            &["export", what, "--out", out_server.to_str().unwrap()],
        );
        let a = std::fs::read_to_string(&out_file).unwrap();
        let b = std::fs::read_to_string(&out_server).unwrap();
        assert!(
            a.lines().count() > 80,
            "{what}: {} lines",
            a.lines().count()
        );
        assert_eq!(a, b, "export of {what}");
    }
}
