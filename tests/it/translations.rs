//! The window's texts, one part per view in ui/js/i18n/<part>.js, merged by ui/js/i18n.js: each
//! part has the same keys in Polish and English, no key lives in two parts, plural forms have
//! the shape t() reads, and every key the code asks for (t('…'), data-i18n="…", a `…Key: '…'`
//! option, a listed dynamic head) is defined. A missing key would show its bare name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Heads of keys the UI builds at run time (`t(`head${value}`)`, or a head kept in a variable
/// or passed to a helper). Each head must have keys and be found in the code; a t() call with a
/// head not listed here fails the test, so every new kind of built key is looked at once.
const DYNAMIC_HEADS: &[&str] = &[
    // app.js: the kind of a search hit (organization, person, advice).
    "kind_",
    // advice.js: the date filters' labels (`advice_${name}`, from/to) and the form's choices,
    // whose heads are passed to its opt(list, head).
    "advice_",
    "advice_channel_",
    "advice_outcome_",
    "advice_sex_",
    // import.js: progress phases, record kinds, file formats, duplicate policies, problem
    // severities, row actions and the button that opens the imported records.
    "import_phase_",
    "import_kind_",
    "import_format_",
    "import_dup_",
    "import_severity_",
    "import_action_",
    "import_show_",
    // calendar.js: month names.
    "cal_",
    // settings.js: the section tabs.
    "settings_section_",
    // server.js: the TLS modes of "Baza na serwerze".
    "server_tls_",
    // server.js: the tables in the transfer's counts.
    "server_table_",
    // events.js: event kinds.
    "event_kind_",
    // organizations.js: the directory's grouping choices.
    "group_",
    // mail.js (and ui.js's mail history): message status, folders, empty folders, queue rows,
    // connection security.
    "mail_status_",
    "mail_folder_",
    "mail_empty_",
    "mail_q_",
    "mail_sec_",
    // backups.js: retention periods.
    "retention_",
    // reports.js: the report sections.
    "report_section_",
    // people.js: the kinds of backup listed before an erasure.
    "rodo_backup_",
    // lists.js: the legends of the list's checkbox groups.
    "lists_",
    // ui.js: export formats, consent channels and the record history's field names (`f_…`,
    // then `history_…` for fields with no form label).
    "export_",
    "channel_",
    "f_",
    "history_",
    // help.js: each view's guide (`help_view_${view}`, else help_view_default).
    "help_view_",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A piece of JavaScript as the tests need it. Strings, templates and regular expressions are
/// recognised, so a quote inside a regex or a `t(` inside a text is never taken for code.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Punct(char),
    Str(String),
    /// One piece of a template literal: `first` opens it, `last` closes it; a template with no
    /// `${…}` is one piece that is both.
    Tpl {
        text: String,
        first: bool,
        last: bool,
    },
    Regex,
}

struct Lexer {
    chars: Vec<char>,
    at: usize,
    line: usize,
    /// Open `${…}` interpolations, each with the depth of `{` opened inside it.
    interps: Vec<usize>,
    out: Vec<(Tok, usize)>,
    /// The line of a string or template left open: the reader lost its way there.
    unclosed: Option<usize>,
}

impl Lexer {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.at).copied()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn push(&mut self, tok: Tok, line: usize) {
        self.out.push((tok, line));
    }

    /// A '/' starts a regex where a value is expected: after an operator, an opening bracket or
    /// a keyword such as `return`.
    fn regex_may_start(&self) -> bool {
        match self.out.last() {
            None => true,
            Some((Tok::Punct(p), _)) => "(,=:[!&|?{};+-*%<>~^".contains(*p),
            Some((Tok::Ident(w), _)) => matches!(
                w.as_str(),
                "return"
                    | "typeof"
                    | "case"
                    | "of"
                    | "in"
                    | "do"
                    | "else"
                    | "void"
                    | "yield"
                    | "await"
            ),
            _ => false,
        }
    }

    fn string(&mut self, quote: char) -> String {
        let mut s = String::new();
        let line = self.line;
        let mut closed = false;
        while let Some(c) = self.bump() {
            match c {
                '\\' => match self.bump() {
                    Some('n') => s.push('\n'),
                    Some('t') => s.push('\t'),
                    Some(e) => s.push(e),
                    None => break,
                },
                c if c == quote => {
                    closed = true;
                    break;
                }
                '\n' => break,
                c => s.push(c),
            }
        }
        if !closed {
            self.unclosed = self.unclosed.or(Some(line));
        }
        s
    }

    /// Reads a template piece up to its closing backtick or the next `${`.
    fn template_piece(&mut self, first: bool) {
        let line = self.line;
        let mut text = String::new();
        let mut last = true;
        let mut closed = false;
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    if let Some(e) = self.bump() {
                        text.push(if e == 'n' { '\n' } else { e });
                    }
                }
                '`' => {
                    closed = true;
                    break;
                }
                '$' if self.peek(0) == Some('{') => {
                    self.bump();
                    self.interps.push(0);
                    (last, closed) = (false, true);
                    break;
                }
                c => text.push(c),
            }
        }
        if !closed {
            self.unclosed = self.unclosed.or(Some(line));
        }
        self.push(Tok::Tpl { text, first, last }, line);
    }

    fn run(mut self) -> Result<Vec<(Tok, usize)>, String> {
        while let Some(c) = self.peek(0) {
            let line = self.line;
            if c.is_whitespace() {
                self.bump();
            } else if c == '/' && self.peek(1) == Some('/') {
                while self.peek(0).is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else if c == '/' && self.peek(1) == Some('*') {
                self.bump();
                self.bump();
                while self.peek(0).is_some()
                    && !(self.peek(0) == Some('*') && self.peek(1) == Some('/'))
                {
                    self.bump();
                }
                self.bump();
                self.bump();
            } else if c == '/' && self.regex_may_start() {
                self.bump();
                let mut in_class = false;
                while let Some(c) = self.bump() {
                    match c {
                        '\\' => {
                            self.bump();
                        }
                        '[' => in_class = true,
                        ']' => in_class = false,
                        '/' if !in_class => break,
                        '\n' => break,
                        _ => {}
                    }
                }
                while self.peek(0).is_some_and(|c| c.is_ascii_alphabetic()) {
                    self.bump();
                }
                self.push(Tok::Regex, line);
            } else if c == '\'' || c == '"' {
                self.bump();
                let s = self.string(c);
                self.push(Tok::Str(s), line);
            } else if c == '`' {
                self.bump();
                self.template_piece(true);
            } else if c.is_alphanumeric() || c == '_' || c == '$' {
                let mut w = String::new();
                while let Some(c) = self
                    .peek(0)
                    .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                {
                    w.push(c);
                    self.bump();
                }
                self.push(Tok::Ident(w), line);
            } else if c == '}' && self.interps.last() == Some(&0) {
                self.bump();
                self.interps.pop();
                self.template_piece(false);
            } else {
                if let Some(depth) = self.interps.last_mut() {
                    match c {
                        '{' => *depth += 1,
                        '}' => *depth -= 1,
                        _ => {}
                    }
                }
                self.bump();
                self.push(Tok::Punct(c), line);
            }
        }
        if let Some(line) = self.unclosed {
            return Err(format!("line {line}: a string or template is never closed"));
        }
        // Brackets that do not pair up mean a regex or a quote was misread.
        let mut depth = 0;
        for (tok, line) in &self.out {
            depth += depth_change(tok);
            if depth < 0 {
                return Err(format!("line {line}: a bracket closes that never opened"));
            }
        }
        if depth != 0 || !self.interps.is_empty() {
            return Err("brackets left open at the end".into());
        }
        Ok(self.out)
    }
}

/// The tokens of a JavaScript source, or where the reader lost its way.
fn lex(src: &str) -> Result<Vec<(Tok, usize)>, String> {
    Lexer {
        chars: src.chars().collect(),
        at: 0,
        line: 1,
        interps: Vec::new(),
        out: Vec::new(),
        unclosed: None,
    }
    .run()
}

/// How far a token opens (+1) or closes (-1) a bracket, a template counted as one.
fn depth_change(tok: &Tok) -> i32 {
    match tok {
        Tok::Punct('(' | '[' | '{') => 1,
        Tok::Punct(')' | ']' | '}') => -1,
        Tok::Tpl {
            first: true,
            last: false,
            ..
        } => 1,
        Tok::Tpl {
            first: false,
            last: true,
            ..
        } => -1,
        _ => 0,
    }
}

/// `toks` cut at each top-level token for which `cut` holds (the cutting tokens dropped).
fn split_top(toks: &[(Tok, usize)], cut: impl Fn(&Tok) -> bool) -> Vec<&[(Tok, usize)]> {
    let mut pieces = Vec::new();
    let (mut depth, mut from) = (0, 0);
    for (i, (tok, _)) in toks.iter().enumerate() {
        if depth == 0 && cut(tok) {
            pieces.push(&toks[from..i]);
            from = i + 1;
        }
        depth += depth_change(tok);
    }
    pieces.push(&toks[from..]);
    pieces
}

#[derive(Debug, PartialEq)]
enum Asked {
    Key(String),
    Head(String),
}

/// What a t() argument asks for: a literal key, the head of a built key, or (a variable, a
/// call) nothing this test can see; a condition's branches are read one by one.
fn asked(arg: &[(Tok, usize)], out: &mut Vec<Asked>) {
    let mut ternary = split_top(arg, |t| *t == Tok::Punct('?'));
    if ternary.len() > 1 {
        ternary.remove(0);
        let rest = ternary.join(&(Tok::Punct('?'), 0));
        for branch in split_top(&rest, |t| *t == Tok::Punct(':')) {
            asked(branch, out);
        }
        return;
    }
    match arg {
        [(Tok::Str(s), _)] => out.push(Asked::Key(s.clone())),
        [(
            Tok::Tpl {
                text,
                first: true,
                last: true,
            },
            _,
        )] => out.push(Asked::Key(text.clone())),
        // A template with no fixed head (`${prefix}${x}`) is a variable for this test: its
        // heads are passed in from elsewhere and listed in DYNAMIC_HEADS.
        [(
            Tok::Tpl {
                text,
                first: true,
                last: false,
            },
            _,
        ), ..]
            if !text.is_empty() && depth_change(&arg[arg.len() - 1].0) == -1 =>
        {
            out.push(Asked::Head(text.clone()))
        }
        _ => {}
    }
}

/// Every key a JavaScript source asks for, with its line: t()'s first argument and the literal
/// values of `…Key` options and variables (labelKey: 'f_city', titleKey = 'x').
fn keys_asked(toks: &[(Tok, usize)]) -> Vec<(Asked, usize)> {
    let mut found = Vec::new();
    for i in 0..toks.len() {
        let (tok, line) = &toks[i];
        let Tok::Ident(name) = tok else { continue };
        let after_dot = i > 0 && toks[i - 1].0 == Tok::Punct('.');
        if name == "t" && !after_dot && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::Punct('(')) {
            let mut depth = 0;
            let mut end = i + 2;
            while let Some((t, _)) = toks.get(end) {
                if depth == 0 && matches!(t, Tok::Punct(',' | ')')) {
                    break;
                }
                depth += depth_change(t);
                end += 1;
            }
            let mut out = Vec::new();
            asked(&toks[i + 2..end], &mut out);
            found.extend(out.into_iter().map(|a| (a, *line)));
        } else if name.ends_with("Key") && !after_dot {
            let is_literal_value = matches!(
                (toks.get(i + 1).map(|t| &t.0), toks.get(i + 2).map(|t| &t.0)),
                (Some(Tok::Punct(':' | '=')), Some(Tok::Str(_)))
            );
            if let (true, Some((Tok::Str(s), _))) = (is_literal_value, toks.get(i + 2)) {
                found.push((Asked::Key(s.clone()), *line));
            }
        }
    }
    found
}

/// A text: one string, or the plural forms [one, few, many].
#[derive(Debug)]
enum Text {
    One(String),
    Forms(Vec<String>),
}

impl Text {
    fn placeholders(&self) -> BTreeSet<String> {
        let all = match self {
            Text::One(s) => vec![s.clone()],
            Text::Forms(f) => f.clone(),
        };
        let mut found = BTreeSet::new();
        for s in all {
            for (at, _) in s.match_indices('{') {
                let name: String = s[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if s[at + 1 + name.len()..].starts_with('}') && !name.is_empty() {
                    found.insert(name);
                }
            }
        }
        found
    }
}

/// One language's section of a part: each key with its text and line, in file order.
type Section = Vec<(String, Text, usize)>;

/// Reads `export default { pl: {…}, en: {…} };` where each text is a string or an array of
/// strings; anything else is refused, since the other checks would not see it.
fn parse_part(name: &str, src: &str) -> Result<(Section, Section), String> {
    let toks = lex(src).map_err(|e| format!("{name}: {e}"))?;
    let mut i = 0;
    let expect = |i: &mut usize, want: Tok| -> Result<(), String> {
        match toks.get(*i) {
            Some((t, _)) if *t == want => {
                *i += 1;
                Ok(())
            }
            other => Err(format!("{name}: expected {want:?}, found {other:?}")),
        }
    };
    expect(&mut i, Tok::Ident("export".into()))?;
    expect(&mut i, Tok::Ident("default".into()))?;
    expect(&mut i, Tok::Punct('{'))?;
    let mut sections = BTreeMap::new();
    for lang in ["pl", "en"] {
        expect(&mut i, Tok::Ident(lang.into()))?;
        expect(&mut i, Tok::Punct(':'))?;
        expect(&mut i, Tok::Punct('{'))?;
        let mut section = Vec::new();
        loop {
            let (key, line) = match toks.get(i) {
                Some((Tok::Punct('}'), _)) => break,
                Some((Tok::Ident(k) | Tok::Str(k), line)) => (k.clone(), *line),
                other => return Err(format!("{name} ({lang}): expected a key, found {other:?}")),
            };
            i += 1;
            expect(&mut i, Tok::Punct(':'))?;
            let text = match toks.get(i) {
                Some((Tok::Str(s), _)) => {
                    i += 1;
                    Text::One(s.clone())
                }
                Some((Tok::Punct('['), _)) => {
                    i += 1;
                    let mut forms = Vec::new();
                    while let Some((Tok::Str(s), _)) = toks.get(i) {
                        forms.push(s.clone());
                        i += 1;
                        if toks.get(i).map(|t| &t.0) == Some(&Tok::Punct(',')) {
                            i += 1;
                        }
                    }
                    expect(&mut i, Tok::Punct(']'))?;
                    Text::Forms(forms)
                }
                other => {
                    return Err(format!(
                        "{name}:{line} {key}: a text must be a string or an array of strings, \
                         found {other:?}"
                    ))
                }
            };
            section.push((key, text, line));
            if toks.get(i).map(|t| &t.0) == Some(&Tok::Punct(',')) {
                i += 1;
            }
        }
        expect(&mut i, Tok::Punct('}'))?;
        if toks.get(i).map(|t| &t.0) == Some(&Tok::Punct(',')) {
            i += 1;
        }
        sections.insert(lang, section);
    }
    expect(&mut i, Tok::Punct('}'))?;
    let pl = sections.remove("pl").unwrap();
    let en = sections.remove("en").unwrap();
    Ok((pl, en))
}

/// The UI's code (every .js and .html under ui/ except the texts themselves), relative paths.
fn code_files() -> Vec<(String, String)> {
    let ui = root().join("ui");
    let mut files = Vec::new();
    let mut stack = vec![ui.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path != ui.join("js/i18n") {
                    stack.push(path);
                }
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("js" | "html")
            ) && path != ui.join("js/i18n.js")
            {
                let rel = path.strip_prefix(root()).unwrap().display().to_string();
                files.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// The keys named by data-i18n="…" (and data-i18n-…="…") attributes, with their lines.
fn html_keys(src: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (n, line) in src.lines().enumerate() {
        for (at, _) in line.match_indices("data-i18n") {
            let rest = line[at + "data-i18n".len()..]
                .trim_start_matches(|c: char| c.is_ascii_lowercase() || c == '-');
            if let Some(value) = rest.strip_prefix("=\"").and_then(|r| r.split('"').next()) {
                found.push((value.to_string(), n + 1));
            }
        }
    }
    found
}

struct Parts {
    /// key → (part, text in Polish, text in English)
    texts: BTreeMap<String, (String, Text, Option<Text>)>,
    problems: Vec<String>,
    names: Vec<String>,
}

/// Reads every part and checks each on its own and against the others.
fn read_parts() -> Parts {
    let dir = root().join("ui/js/i18n");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut texts: BTreeMap<String, (String, Text, Option<Text>)> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut names = Vec::new();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            name.ends_with(".js"),
            "ui/js/i18n/ holds only the parts: {name}"
        );
        names.push(name.clone());
        let src = std::fs::read_to_string(&path).unwrap();
        let (pl, en) = match parse_part(&name, &src) {
            Ok(sections) => sections,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let pl_keys: BTreeSet<&String> = pl.iter().map(|(k, ..)| k).collect();
        let en_keys: BTreeSet<&String> = en.iter().map(|(k, ..)| k).collect();
        let only_pl: Vec<_> = pl_keys.difference(&en_keys).collect();
        let only_en: Vec<_> = en_keys.difference(&pl_keys).collect();
        if !only_pl.is_empty() {
            problems.push(format!(
                "{name}: only in Polish (add the English): {only_pl:?}"
            ));
        }
        if !only_en.is_empty() {
            problems.push(format!(
                "{name}: only in English (add the Polish): {only_en:?}"
            ));
        }
        let mut english: BTreeMap<String, Text> = BTreeMap::new();
        for (key, text, line) in en {
            if english.insert(key.clone(), text).is_some() {
                problems.push(format!("{name}:{line}: {key} is defined twice in English"));
            }
        }
        for (key, text, line) in pl {
            let en = english.remove(&key);
            if let Some((other, ..)) = texts.get(&key) {
                problems.push(format!(
                    "{name}:{line}: {key} is already defined in {other} (a key used by \
                     several views belongs in common.js)"
                ));
                continue;
            }
            texts.insert(key, (name.clone(), text, en));
        }
    }
    Parts {
        texts,
        problems,
        names,
    }
}

/// Plural forms as t() reads them (ui/js/i18n.js, pluralForm): Polish [one, few, many], all
/// three read; English [one, other], a third form copied from the Polish layout is never
/// shown, so it must repeat the second. Both languages must agree on forms and placeholders.
fn shape_problems(key: &str, part: &str, pl: &Text, en: &Text) -> Vec<String> {
    let mut problems = Vec::new();
    match (pl, en) {
        (Text::One(_), Text::One(_)) => {}
        (Text::Forms(p), Text::Forms(e)) => {
            if p.len() != 3 {
                problems.push(format!(
                    "{part}: {key}: Polish needs 3 plural forms, has {}",
                    p.len()
                ));
            }
            if !(e.len() == 2 || (e.len() == 3 && e[1] == e[2])) {
                problems.push(format!(
                    "{part}: {key}: English needs 2 plural forms (a third, if kept, equal to \
                     the second), has {e:?}"
                ));
            }
        }
        _ => problems.push(format!("{part}: {key}: plural forms in one language only")),
    }
    if pl.placeholders() != en.placeholders() {
        problems.push(format!(
            "{part}: {key}: placeholders differ: Polish {:?}, English {:?}",
            pl.placeholders(),
            en.placeholders()
        ));
    }
    problems
}

#[test]
fn every_key_exists_in_both_languages_once_and_every_key_asked_for_is_defined() {
    let Parts {
        texts,
        mut problems,
        names,
    } = read_parts();
    assert!(
        names.len() >= 10 && texts.len() >= 500,
        "the texts were not found: {names:?}"
    );

    for (key, (part, pl, en)) in &texts {
        if let Some(en) = en {
            problems.extend(shape_problems(key, part, pl, en));
        }
    }

    // i18n.js merges exactly the parts there are, each once, and keeps no texts of its own.
    let merger = std::fs::read_to_string(root().join("ui/js/i18n.js")).unwrap();
    let toks = lex(&merger).unwrap();
    let mut imported = BTreeMap::new();
    for w in toks.windows(4) {
        if let [(Tok::Ident(i), _), (Tok::Ident(id), _), (Tok::Ident(f), _), (Tok::Str(p), _)] = w {
            if i == "import" && f == "from" {
                if let Some(part) = p.strip_prefix("./i18n/") {
                    imported.insert(id.clone(), part.to_string());
                }
            }
        }
    }
    let imported_parts: BTreeSet<&String> = imported.values().collect();
    let on_disk: BTreeSet<&String> = names.iter().collect();
    if imported_parts != on_disk || imported.len() != names.len() {
        problems.push(format!(
            "ui/js/i18n.js imports {imported_parts:?}, the folder holds {on_disk:?}"
        ));
    }
    let listed: Vec<&String> = toks
        .iter()
        .skip_while(|(t, _)| *t != Tok::Ident("parts".into()))
        .skip(3)
        .take_while(|(t, _)| *t != Tok::Punct(']'))
        .filter_map(|(t, _)| {
            if let Tok::Ident(id) = t {
                Some(id)
            } else {
                None
            }
        })
        .collect();
    for id in imported.keys() {
        if listed.iter().filter(|l| **l == id).count() != 1 {
            problems.push(format!(
                "ui/js/i18n.js: {id} must be listed once in `parts`: {listed:?}"
            ));
        }
    }
    if merger.contains("pl: {") {
        problems.push("ui/js/i18n.js holds texts: they belong in ui/js/i18n/<part>.js".into());
    }

    // Every key the code asks for is defined; every built key's head is listed and has keys.
    let mut asked_keys = 0;
    let mut mentioned: BTreeSet<String> = BTreeSet::new();
    let mut heads_in_code: BTreeSet<String> = BTreeSet::new();
    for (file, src) in code_files() {
        let asked: Vec<(Asked, usize)> = if file.ends_with(".html") {
            html_keys(&src)
                .into_iter()
                .map(|(k, l)| (Asked::Key(k), l))
                .collect()
        } else {
            let toks = lex(&src).unwrap_or_else(|e| panic!("{file}: {e}"));
            for (tok, _) in &toks {
                match tok {
                    Tok::Str(s) => {
                        mentioned.insert(s.clone());
                    }
                    Tok::Tpl {
                        text,
                        first: true,
                        last,
                    } => {
                        if *last {
                            mentioned.insert(text.clone());
                        } else {
                            heads_in_code.insert(text.clone());
                        }
                    }
                    _ => {}
                }
            }
            keys_asked(&toks)
        };
        for (a, line) in asked {
            match a {
                Asked::Key(key) => {
                    asked_keys += 1;
                    mentioned.insert(key.clone());
                    if !texts.contains_key(&key) {
                        problems.push(format!("{file}:{line}: the key {key:?} is not defined"));
                    }
                }
                Asked::Head(head) => {
                    if !DYNAMIC_HEADS.contains(&head.as_str()) {
                        problems.push(format!(
                            "{file}:{line}: t() builds keys from {head:?}: add it to \
                             DYNAMIC_HEADS in tests/it/translations.rs"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        asked_keys >= 300,
        "the code's keys were not found ({asked_keys})"
    );
    for head in DYNAMIC_HEADS {
        if !texts.keys().any(|k| k.starts_with(head)) {
            problems.push(format!("no key starts with the dynamic head {head:?}"));
        }
        if !heads_in_code.contains(*head) && !mentioned.contains(*head) {
            problems.push(format!(
                "the dynamic head {head:?} is no longer built in ui/: drop it"
            ));
        }
    }

    // Keys nothing mentions are reported, not refused: a view may lose its last use of a key
    // in a change that is otherwise right, and deleting texts is a decision of its own.
    let unused: Vec<&String> = texts
        .keys()
        .filter(|k| !mentioned.contains(*k) && !DYNAMIC_HEADS.iter().any(|h| k.starts_with(h)))
        .collect();
    if !unused.is_empty() {
        eprintln!("keys defined but mentioned nowhere in ui/: {unused:?}");
    }

    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_reader_sees_keys_in_every_form_the_code_writes_them() {
    let src = r#"
        h('p', {}, t('plain'), t("double"), t(`tick`), t(`head_${x}`, { n }));
        el.title = t(ok ? 'yes_key' : `other_${kind}`);
        const s = 'a t(\'in_text\') is text', re = /['`]t\('in_regex'\)/g;
        // t('in_comment')
        field({ labelKey: 'label_key', value: a === 'not_key' ? 1 : 2 });
        out += `${t('in_template')}: ${t(`nested_${f.slice(8)}`)}`;
        t(variable); obj.t('method');
    "#;
    let got: Vec<Asked> = keys_asked(&lex(src).unwrap())
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    // A misread (an unclosed quote or template, brackets that do not pair) is reported.
    assert!(lex("x = s.replace(/[`']/g, '');").is_ok());
    assert!(lex("x = `open ${a};").is_err());
    assert!(lex("x = 'open;\ny = 1;").is_err());
    assert!(lex("x = f(a;").is_err());
    let key = |k: &str| Asked::Key(k.into());
    let head = |h: &str| Asked::Head(h.into());
    assert_eq!(
        got,
        vec![
            key("plain"),
            key("double"),
            key("tick"),
            head("head_"),
            key("yes_key"),
            head("other_"),
            key("label_key"),
            key("in_template"),
            head("nested_"),
        ]
    );
    assert_eq!(
        html_keys("<a data-i18n=\"skip\">x</a> <b data-i18n-title=\"tip\"></b>"),
        vec![("skip".to_string(), 1), ("tip".to_string(), 1)]
    );
    let part = r#"export default {
  pl: { a: 'x {n}', b: ['1', '2', '3'] },
  en: { a: "y {n}", b: ['1', '2'], },
};
"#;
    let (pl, en) = parse_part("t.js", part).unwrap();
    assert_eq!(pl.len(), 2);
    assert!(matches!(&en[1].1, Text::Forms(f) if f.len() == 2));
    assert!(parse_part("t.js", &part.replace("'x {n}'", "'x' + n")).is_err());
    let bad = shape_problems(
        "k",
        "t.js",
        &Text::Forms(vec!["1".into(), "2".into()]),
        &Text::Forms(vec!["{n}".into(), "a".into(), "b".into()]),
    );
    assert_eq!(bad.len(), 3, "{bad:?}");
}
