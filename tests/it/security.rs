//! House rules that protect the window: a strict CSP, capabilities limited to the app's own
//! commands, no HTML built from strings in the UI, no remote content.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap()
}

fn command_names() -> Vec<String> {
    read("src-tauri/commands/names.rs")
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"').and_then(|l| l.strip_suffix("\",")).map(str::to_string))
        .collect()
}

#[test]
fn csp_allows_no_inline_script_and_no_remote_origin() {
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let csp = &conf["app"]["security"]["csp"];
    assert_eq!(csp["script-src"], "'self'");
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["object-src"], "'none'");
    let all = csp.to_string();
    assert!(!all.contains("unsafe-inline") && !all.contains("unsafe-eval"), "{all}");
    assert!(!all.contains("https:") && !all.contains("*"), "{all}");
}

#[test]
fn capabilities_grant_exactly_the_apps_own_commands() {
    let cap: serde_json::Value = serde_json::from_str(&read("capabilities/main.json")).unwrap();
    let granted: Vec<String> = cap["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
    let expected: Vec<String> = command_names().iter().map(|n| format!("allow-{}", n.replace('_', "-"))).collect();
    assert_eq!(granted, expected);
    assert!(granted.iter().all(|p| !p.contains(':')), "no plugin or core permissions");
    let lib = read("src-tauri/lib.rs");
    for name in command_names() {
        assert!(lib.contains(&format!("::{name},")), "{name} is not registered in generate_handler!");
    }
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
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("js" | "html" | "css")) {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 8);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // i18n.js holds only texts shown to the user; an example address there ("https://…" in
        // the mail editor's hint) loads nothing.
        let texts_only = f.ends_with("i18n.js");
        for banned in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "http://", "https://", "<script>"] {
            if texts_only && banned.starts_with("http") {
                continue;
            }
            assert!(!text.contains(banned), "{} contains {banned}", f.display());
        }
        if f.extension().unwrap() == "js" && !f.ends_with("api.js") {
            assert!(!text.contains("__TAURI__"), "{} talks to Tauri directly; only api.js may", f.display());
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
        assert!(fields.contains(&f.to_string()), "{f} not flagged: {fields:?}");
    }
    assert!(err.field_errors().iter().all(|f| !f.message.is_empty() && f.message.chars().count() < 300));
    assert_eq!(k.counts().await.unwrap().organizations, 0, "nothing written");

    let err = k.save_message(None, &MessageInput { subject: huge.clone(), body: "x".repeat(200_000), ..Default::default() }).await.unwrap_err();
    let fields: Vec<&str> = err.field_errors().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["subject", "body"]);

    let err = k.save_grant_call(None, &GrantCallInput { funder: "Urząd".into(), title: "Nabór".into(), deadline: "1.1.2027".into(), link: "javascript:alert(1)".into(), areas: vec!["nie-ma-takiej".into()], ..Default::default() }).await.unwrap_err();
    let fields: Vec<&str> = err.field_errors().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["link", "areas"]);

    let err = k.save_mail_settings(&MailSettings { host: "smtp.example.pl; rm -rf /".into(), from_address: "biuro@example.pl".into(), rate_per_minute: 1_000_000, ..Default::default() }).await.unwrap_err();
    let fields: Vec<&str> = err.field_errors().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["host", "rate_per_minute"]);

    assert_eq!(k.search(&huge, 10).await.unwrap_err().code(), "bad_argument");
    assert!(k.record_removal("<script>@x", kartoteka_core::mail::Removal::Bounced).await.is_err());
    assert!(kartoteka_core::backup::inspect(std::path::Path::new("/nie/ma/takiego/pliku.db")).await.is_err());
}
