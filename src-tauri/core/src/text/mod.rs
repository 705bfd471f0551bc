//! Text helpers shared by the register and search: the diacritics fold used on both sides of
//! the search index, and the cleaning every free-text field gets on save (trimming, and dropping
//! control and bidi characters so they never reach the database, the window, PDFs or a terminal).

pub mod collation;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower-cases and strips diacritics so that "ŁÓDŹ", "Łódź" and "lodz" become the same word.
/// NFD removes combining accents, but Ł/ł and a few other letters (đ, ø) carry their stroke in
/// the base letter, which no Unicode decomposition removes; SQLite's FTS5 leaves them too.
pub fn fold(s: &str) -> String {
    // Most identifiers, e-mails and many names are plain ASCII: no decomposition needed.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ł' => 'l',
            'đ' => 'd',
            'ø' => 'o',
            'ß' => 's',
            _ => c,
        })
        .collect()
}

/// Characters no field keeps: C0 and C1 controls and DEL (an ESC sequence recolours or rewrites
/// a terminal, a NUL cuts a C string), the bidi embeddings, overrides and isolates U+202A–U+202E
/// and U+2066–U+2069 (they reorder what follows, "Trojan Source"), the direction marks U+200E,
/// U+200F and U+061C (no use in a Polish register; they make two equal-looking names differ), and
/// the invisible U+200B, U+2060 and U+FEFF (a BOM pasted from a file). Whitespace controls (tab,
/// line breaks) are not in this list: the cleaners below turn them into spaces or line breaks.
pub fn is_hostile_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Trims and collapses runs of whitespace inside a one-line field (tabs and line breaks become
/// one space) and drops the characters of `is_hostile_char`; empty becomes None.
pub fn clean_line(s: &str) -> Option<String> {
    let kept: std::borrow::Cow<'_, str> = if s.chars().any(is_hostile_char) {
        s.chars()
            .filter(|c| !is_hostile_char(*c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    };
    let joined = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// Trims a multi-line field (description, notes), keeping its line breaks (`\r\n` and a lone
/// `\r` become `\n`; tabs, vertical tabs and form feeds a space) and dropping the characters of
/// `is_hostile_char`; empty becomes None.
pub fn clean_block(s: &str) -> Option<String> {
    let unified: String = s
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !is_hostile_char(*c))
        .map(|c| match c {
            '\r' | '\u{2028}' | '\u{2029}' => '\n',
            '\t' | '\u{B}' | '\u{C}' => ' ',
            c => c,
        })
        .collect();
    let lines: Vec<&str> = unified.split('\n').map(str::trim_end).collect();
    let joined = lines.join("\n");
    let t = joined.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Text stored before the cleaners dropped these characters, made safe to print on a terminal:
/// every hostile character (and, unless `keep_layout`, tab and line breaks too) is written as a
/// visible `\uXXXX`, which is also how JSON escapes it, so a JSON document stays valid.
pub fn terminal_safe(s: &str, keep_layout: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        is_hostile_char(c)
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{B}' | '\u{C}')
            || (!keep_layout && matches!(c, '\t' | '\n' | '\r'))
    };
    if !s.chars().any(unsafe_char) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Splits a field that may hold several values (phones, e-mails, tags) typed one per line or
/// separated by commas or semicolons.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(['\n', ',', ';']).filter_map(clean_line).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_all_polish_diacritics_both_ways() {
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("ŁÓDŹ"), "lodz");
        assert_eq!(fold("Zażółć gęślą jaźń"), "zazolc gesla jazn");
        assert_eq!(fold("lodz"), "lodz");
        assert_eq!(fold("ĄĆĘŁŃÓŚŹŻ"), "acelnoszz");
    }

    #[test]
    fn clean_line_trims_and_collapses() {
        assert_eq!(
            clean_line("  Fundacja   Dobra \t Wola "),
            Some("Fundacja Dobra Wola".into())
        );
        assert_eq!(clean_line("   "), None);
    }

    #[test]
    fn clean_block_keeps_lines() {
        assert_eq!(clean_block("  a  \n b\n\n"), Some("a\n b".into()));
    }

    #[test]
    fn control_and_bidi_characters_are_dropped_from_lines_and_blocks() {
        assert_eq!(
            clean_line("Fundacja \u{202E}nomeD\u{202C} \x1b[31mCzerwona\x1b[0m\u{7}"),
            Some("Fundacja nomeD [31mCzerwona[0m".into())
        );
        assert_eq!(
            clean_line("A\u{2066}B\u{2069}\u{200F}C\u{85}D\u{0}E\u{FEFF}"),
            Some("ABCDE".into())
        );
        assert_eq!(clean_line("\u{202E}\u{1b}"), None);
        assert_eq!(
            clean_line("Łódź\tul.\u{2028}Piotrkowska"),
            Some("Łódź ul. Piotrkowska".into())
        );
        assert_eq!(
            clean_block("pierwsza\u{202E}\r\ndruga\rtrzecia\t\x1b[2Jkoniec"),
            Some("pierwsza\ndruga\ntrzecia [2Jkoniec".into())
        );
        // Polish letters, quotes and dashes are untouched.
        assert_eq!(
            clean_line("„Żółć” – ąęśćńźż"),
            Some("„Żółć” – ąęśćńźż".into())
        );
    }

    #[test]
    fn terminal_output_shows_hostile_characters_as_escapes() {
        assert_eq!(
            terminal_safe("Anna\u{202E}\x1b[31m", false),
            "Anna\\u202e\\u001b[31m"
        );
        assert_eq!(terminal_safe("a\tb\nc", false), "a\\u0009b\\u000ac");
        assert_eq!(terminal_safe("a\tb\nc", true), "a\tb\nc");
        assert!(matches!(
            terminal_safe("Łódź", false),
            std::borrow::Cow::Borrowed(_)
        ));
        let json = serde_json::to_string(&"x\u{202E}\u{85}y").unwrap();
        let back: String = serde_json::from_str(&terminal_safe(&json, true)).unwrap();
        assert_eq!(back, "x\u{202E}\u{85}y");
    }

    #[test]
    fn split_list_accepts_commas_semicolons_and_lines() {
        assert_eq!(
            split_list("a@b.pl, c@d.pl;e@f.pl\n g@h.pl ,"),
            vec!["a@b.pl", "c@d.pl", "e@f.pl", "g@h.pl"]
        );
    }
}
