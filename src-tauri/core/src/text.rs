//! Text helpers shared by the register and search: the diacritics fold used on both sides of
//! the search index, and the trimming every free-text field gets on save.

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

/// Trims and collapses runs of whitespace inside a one-line field; empty becomes None.
pub fn clean_line(s: &str) -> Option<String> {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// Trims a multi-line field (description, notes), keeping its line breaks; empty becomes None.
pub fn clean_block(s: &str) -> Option<String> {
    let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
    let joined = lines.join("\n");
    let t = joined.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Splits a field that may hold several values (phones, e-mails, tags) typed one per line or
/// separated by commas or semicolons.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(['\n', ',', ';'])
        .filter_map(clean_line)
        .collect()
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
        assert_eq!(clean_line("  Fundacja   Dobra \t Wola "), Some("Fundacja Dobra Wola".into()));
        assert_eq!(clean_line("   "), None);
    }

    #[test]
    fn clean_block_keeps_lines() {
        assert_eq!(clean_block("  a  \n b\n\n"), Some("a\n b".into()));
    }

    #[test]
    fn split_list_accepts_commas_semicolons_and_lines() {
        assert_eq!(split_list("a@b.pl, c@d.pl;e@f.pl\n g@h.pl ,"), vec!["a@b.pl", "c@d.pl", "e@f.pl", "g@h.pl"]);
    }
}
