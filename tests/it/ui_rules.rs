//! Rules for the window's code that a review would miss: the browser's own confirm, alert and
//! prompt boxes are never shown by the Tauri WebKitGTK window (WebDriver answers them itself, so
//! window tests would still pass), hence the UI must use its own dialog (ui/js/dialog.js).

use std::path::{Path, PathBuf};

fn ui_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("ui")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("js" | "html")
            ) {
                files.push(path);
            }
        }
    }
    files
}

/// Each use of the native boxes in `text`, as (line number, line): a call of `confirm`, `alert`
/// or `prompt` (bare or as a property: `window.confirm(…)`, `globalThis.alert (…)`), or the box
/// taken by name (`window.prompt` passed around, `window['alert']`).
fn native_boxes(text: &str) -> Vec<(usize, String)> {
    const NAMES: [&str; 3] = ["confirm", "alert", "prompt"];
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        // Comments may quote an attack string ("onerror=alert(1)"); they never run.
        if ["//", "/*", "*"]
            .iter()
            .any(|c| line.trim_start().starts_with(c))
        {
            continue;
        }
        let mut hit = false;
        for name in NAMES {
            for (at, _) in line.match_indices(name) {
                let before = line[..at].chars().next_back();
                let after = line[at + name.len()..].trim_start();
                let whole_word =
                    !before.is_some_and(ident) && !line[at + name.len()..].starts_with(ident);
                let quoted = matches!(before, Some('\'' | '"' | '`'))
                    && line[..at].trim_end_matches(['\'', '"', '`']).ends_with('[');
                let on_window = line[..at].ends_with("window.")
                    || line[..at].ends_with("globalThis.")
                    || line[..at].ends_with("self.");
                if (whole_word && after.starts_with('(')) || quoted || (on_window && whole_word) {
                    hit = true;
                }
            }
        }
        if hit {
            found.push((n + 1, line.trim().to_string()));
        }
    }
    found
}

#[test]
fn the_scanner_sees_every_form_of_the_native_boxes_and_nothing_else() {
    for bad in [
        "if (!window.confirm(t('discard_changes'))) return;",
        "alert('x');",
        "const url = window.prompt(t('a'), t('b'));",
        "x = confirm (msg)",
        "const ask = window.confirm;",
        "window['alert'](1)",
        "globalThis.prompt('?')",
    ] {
        assert_eq!(native_boxes(bad).len(), 1, "missed: {bad}");
    }
    for fine in [
        "await confirmDialog(t('x'), t('delete'))",
        "const url = await promptBox(t('a'), t('b'));",
        "confirmBox(message, { ok })",
        "// the browser's own confirm, alert and prompt boxes",
        "h('div', { role: 'alertdialog' })",
        "t('mail_tb_link_prompt')",
        "mail_send_confirm_title: 'Wysłać?',",
        "// \"<img src=x onerror=alert(1)>\" shows as those characters.",
    ] {
        assert!(native_boxes(fine).is_empty(), "false alarm: {fine}");
    }
}

#[test]
fn the_ui_never_uses_the_native_confirm_alert_or_prompt() {
    let files = ui_files();
    assert!(
        files.iter().any(|f| f.ends_with("dialog.js")),
        "the app's own dialog module is missing"
    );
    let mut offences = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (line, code) in native_boxes(&text) {
            offences.push(format!("{}:{line}: {code}", f.display()));
        }
    }
    assert!(
        offences.is_empty(),
        "use ui/js/dialog.js instead of the native boxes:\n{}",
        offences.join("\n")
    );
}
