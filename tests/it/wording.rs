//! Polish texts that carry a name (a person's, an organisation's, a list's) are written so the
//! name never has to be declined: it stands at the start, after a colon or a dash, or in
//! quotes, never after a verb or a preposition ("Wypisać Beata Krawczyk?", "Piszemy do
//! Fundacja…"). Checked over the window's Polish texts and the core's message templates.

use std::path::Path;

/// Placeholders that stand for a name (not for a number, a date or a file path).
const NAME_FIELDS: [&str; 11] = [
    "{name}",
    "{title}",
    "{topic}",
    "{list}",
    "{surname}",
    "{person}",
    "{org}",
    "{nazwa}",
    "{imie}",
    "{nazwisko}",
    "{miasto}",
];

/// Whether the text before a name leaves it in the nominative: nothing, a colon, a dash, a
/// line break or an opening quote (Markdown emphasis around the name does not count).
fn name_stands_free(before: &str) -> bool {
    let b = before.trim_end_matches([' ', '*', '_']);
    b.is_empty() || b.ends_with([':', '—', '–', '\n', '„', '"', '“', '«'])
}

/// Every string literal in `src` (JavaScript: '…', "…" or `…`; Rust: "…"), escapes (\n, \",
/// \') resolved.
fn literals(src: &str, rust: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    let mut in_line_comment = false;
    while let Some(c) = chars.next() {
        if in_line_comment {
            in_line_comment = c != '\n';
            continue;
        }
        if c == '/' && chars.peek() == Some(&'/') {
            in_line_comment = true;
            continue;
        }
        if rust && c == '\'' {
            // A char literal ('"', '\'') is skipped whole; a lifetime ('a) is left alone.
            let ahead: Vec<char> = chars.clone().take(3).collect();
            match ahead.as_slice() {
                ['\\', _, '\'', ..] => drop(chars.nth(2)),
                [_, '\'', ..] => drop(chars.nth(1)),
                _ => {}
            }
            continue;
        }
        if c != '"' && (rust || (c != '\'' && c != '`')) {
            continue;
        }
        let mut s = String::new();
        while let Some(d) = chars.next() {
            match d {
                '\\' => match chars.next() {
                    Some('n') => s.push('\n'),
                    Some(e) => s.push(e),
                    None => break,
                },
                d if d == c => break,
                // A Rust char literal or lifetime ('a) is not a string: stop at the line's end.
                '\n' if c == '\'' => break,
                d => s.push(d),
            }
        }
        out.push(s);
    }
    out
}

/// The offending (text, placeholder) pairs among `texts`.
fn declined(texts: &[String]) -> Vec<(String, String)> {
    let mut bad = Vec::new();
    for text in texts {
        for field in NAME_FIELDS {
            let mut from = 0;
            while let Some(at) = text[from..].find(field) {
                let at = from + at;
                if !name_stands_free(&text[..at]) {
                    bad.push((text.clone(), field.to_string()));
                }
                from = at + field.len();
            }
        }
    }
    bad
}

#[test]
fn the_rule_catches_a_declined_name_and_passes_a_free_one() {
    let bad = [
        "Wypisać {name} z wydarzenia?",
        "Piszemy do {nazwa}, bo…",
        "Usuń {name} z tego tematu",
        "Dzień dobry, {imie}!",
    ]
    .map(String::from);
    assert_eq!(declined(&bad).len(), 4);
    let good = [
        "Wypisać z wydarzenia? Uczestnik: {name}.",
        "Organizacja: {nazwa}",
        "{name}: osoba zostanie usunięta",
        "Usunąć listę „{name}”?",
        "Brak miejsc — {name} na liście rezerwowej.",
        "Szanowni Państwo,\n\n**{nazwa}**",
    ]
    .map(String::from);
    assert_eq!(declined(&good), Vec::<(String, String)>::new());
    assert_eq!(
        literals(
            r#"a: 'x {name}', b: ["y", "z \"q\""], // 'not {name} here'"#,
            false
        ),
        vec!["x {name}", "y", "z \"q\""]
    );
    assert_eq!(
        literals(r#"if c == '"' { f::<'a>("Organizacja: {nazwa}") }"#, true),
        vec!["Organizacja: {nazwa}"]
    );
}

#[test]
fn polish_window_texts_never_decline_a_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The texts live by view in ui/js/i18n/<part>.js, each with its `pl` and `en` sections.
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(root.join("ui/js/i18n")).unwrap() {
        let part = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let start = part.find("\n  pl: {").expect("the Polish texts");
        let end = part.find("\n  en: {").expect("the English texts");
        texts.extend(literals(&part[start..end], false));
    }
    assert!(
        texts
            .iter()
            .filter(|t| NAME_FIELDS.iter().any(|f| t.contains(f)))
            .count()
            >= 10,
        "the Polish texts were not found"
    );
    assert_eq!(declined(&texts), Vec::<(String, String)>::new());
}

#[test]
fn the_cores_message_templates_never_decline_a_name() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/core/src");
    let mut stack = vec![core];
    let mut texts = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let src = std::fs::read_to_string(&path).unwrap();
                // Unit tests feed odd bodies on purpose; only what the program writes counts.
                let code = src.split("#[cfg(test)]").next().unwrap_or("");
                texts.extend(literals(code, true).into_iter().filter(|t| {
                    ["{nazwa}", "{imie}", "{nazwisko}", "{miasto}"]
                        .iter()
                        .any(|f| t.contains(f))
                }));
            }
        }
    }
    // The grant notice and the demo bulletin carry {nazwa}.
    assert!(texts.len() >= 2, "{texts:?}");
    assert_eq!(declined(&texts), Vec::<(String, String)>::new());
}
