//! The command list (`src-tauri/commands/list.rs`, compiled into `kartoteka_app::COMMANDS`)
//! is the one place that names each IPC command: the handlers and build.rs's permissions come
//! from it; here the capability file, ui/js/api.js and the `#[tauri::command]` functions are
//! held to it, so a command added or renamed in one place only fails the build or this test.

use kartoteka_app::COMMANDS;
use std::collections::BTreeSet;
use std::path::Path;

/// Listed commands that api.js need not call, each with the reason. Empty today: every
/// command the window may call is called through api.js.
const NOT_CALLED_FROM_API_JS: &[(&str, &str)] = &[];

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn listed() -> BTreeSet<&'static str> {
    COMMANDS.iter().copied().collect()
}

/// `a` minus `b`, for messages that say which names are missing where.
fn minus<'a>(a: &BTreeSet<&'a str>, b: &BTreeSet<&'a str>) -> Vec<&'a str> {
    a.difference(b).copied().collect()
}

/// The names api.js passes to `call('…'` (the one wrapper around `invoke`).
fn called_from_api_js(api: &str) -> BTreeSet<&str> {
    let mut called = BTreeSet::new();
    for quote in ['\'', '"', '`'] {
        let opening = format!("call({quote}");
        for (at, _) in api.match_indices(&opening) {
            let rest = &api[at + opening.len()..];
            let end = rest
                .find(quote)
                .unwrap_or_else(|| panic!("unclosed command name in api.js: {rest:.40}"));
            called.insert(&rest[..end]);
        }
    }
    called
}

#[test]
fn the_list_names_each_command_once_and_in_snake_case() {
    assert!(COMMANDS.len() >= 100, "{} commands", COMMANDS.len());
    let mut seen = BTreeSet::new();
    for name in COMMANDS {
        assert!(seen.insert(name), "{name} is listed twice");
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{name:?}: command names are snake_case (the permission is allow-<kebab-case>)"
        );
    }
}

/// Moved here from `security`: the main window is granted exactly the app's own commands, one
/// `allow-<name>` each in the list's order, and no plugin or core permission at all.
#[test]
fn capabilities_grant_exactly_the_apps_own_commands() {
    let cap: serde_json::Value = serde_json::from_str(&read("capabilities/main.json")).unwrap();
    let granted: Vec<String> = cap["permissions"]
        .as_array()
        .expect("capabilities/main.json has a permissions array")
        .iter()
        .map(|p| p.as_str().expect("permissions are plain names").to_string())
        .collect();
    assert!(
        granted.iter().all(|p| !p.contains(':')),
        "no plugin or core permissions: {granted:?}"
    );
    let expected: Vec<String> = COMMANDS
        .iter()
        .map(|n| format!("allow-{}", n.replace('_', "-")))
        .collect();
    let granted_set: BTreeSet<&str> = granted.iter().map(String::as_str).collect();
    let expected_set: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    assert_eq!(
        granted_set.len(),
        granted.len(),
        "a permission is granted twice"
    );
    assert!(
        granted_set == expected_set,
        "capabilities/main.json grants {:?} that commands/list.rs does not list, and lacks {:?}",
        minus(&granted_set, &expected_set),
        minus(&expected_set, &granted_set)
    );
    assert_eq!(
        granted, expected,
        "keep main.json in commands/list.rs's order"
    );
}

#[test]
fn api_js_calls_exactly_the_listed_commands() {
    let api = read("ui/js/api.js");
    // Every command goes through `call`; an `invoke` of its own would bypass the names below.
    let invokes: Vec<&str> = api
        .match_indices("invoke(")
        .map(|(i, _)| &api[i..])
        .collect();
    assert_eq!(invokes.len(), 1, "api.js invokes only inside call()");
    assert!(invokes[0].starts_with("invoke(command, args)"));

    let called = called_from_api_js(&api);
    let listed = listed();
    let unlisted = minus(&called, &listed);
    assert!(
        unlisted.is_empty(),
        "api.js calls {unlisted:?}, which commands/list.rs does not list (the window would be refused)"
    );
    let excused: BTreeSet<&str> = NOT_CALLED_FROM_API_JS.iter().map(|(n, _)| *n).collect();
    for name in &excused {
        assert!(listed.contains(name), "the exception {name} is not listed");
        assert!(
            !called.contains(name),
            "{name} is called from api.js: drop its exception"
        );
    }
    let uncalled: BTreeSet<&str> = minus(&listed, &called).into_iter().collect();
    let never_called = minus(&uncalled, &excused);
    assert!(
        never_called.is_empty(),
        "commands/list.rs lists {never_called:?}, which api.js never calls: call them, drop \
         them, or name them with a reason in NOT_CALLED_FROM_API_JS"
    );
}

/// A `#[tauri::command]` left out of the list would be dead code the window cannot reach, and
/// a hand-written `generate_handler!` elsewhere would register commands past the list.
#[test]
fn every_command_function_is_listed_and_handlers_come_from_the_list() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/commands");
    let mut defined = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if !line.trim_start().starts_with("#[tauri::command") {
                continue;
            }
            // A renamed command answers to another name than the one listed.
            assert!(!line.contains("rename ="), "{}: {line}", path.display());
            let signature = lines
                .by_ref()
                .map(str::trim)
                .find(|l| l.starts_with("pub "))
                .unwrap_or_else(|| panic!("{}: a command without its fn", path.display()));
            let name = signature
                .split("fn ")
                .nth(1)
                .and_then(|rest| rest.split(['(', '<']).next())
                .unwrap_or_else(|| panic!("{}: cannot read {signature:?}", path.display()));
            defined.insert(name.to_string());
        }
    }
    let defined: BTreeSet<&str> = defined.iter().map(String::as_str).collect();
    let unlisted = minus(&defined, &listed());
    assert!(
        unlisted.is_empty(),
        "#[tauri::command] functions missing from commands/list.rs: {unlisted:?}"
    );
    assert_eq!(
        defined,
        listed(),
        "every listed command is a #[tauri::command]"
    );

    let mut sources: Vec<_> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .chain(std::fs::read_dir(&dir).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    sources.retain(|p| !p.ends_with("commands/mod.rs"));
    assert!(sources.len() >= 20, "{sources:?}");
    for path in sources {
        assert!(
            !std::fs::read_to_string(&path)
                .unwrap()
                .contains("generate_handler!"),
            "{} builds an invoke handler by hand; commands/mod.rs builds both from the list",
            path.display()
        );
    }
}
