//! The bodies of the fuzz targets (`src-tauri/core/fuzz`), kept here so that the saved corpus
//! and every crash input found replay as ordinary tests on stable Rust (`tests::corpus`). Each
//! checks more than "no panic": a value that parses must parse again to itself.

use crate::ids::*;
use crate::import::{self, ImportKind, ImportOptions, RegisterIndex};
use crate::model::RegisterIdentities;

macro_rules! idempotent {
    ($t:ty, $s:expr) => {
        if let Ok(v) = <$t>::parse($s) {
            let again = <$t>::parse(v.as_str()).expect(concat!(stringify!($t), ": its own normal form must parse"));
            assert_eq!(again.as_str(), v.as_str(), "{}: normalising twice changed it", stringify!($t));
        }
    };
}

/// Identifier parsers and text normalisers on any text.
pub fn identifiers(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else { return };
    idempotent!(Nip, s);
    idempotent!(Regon, s);
    idempotent!(Krs, s);
    idempotent!(PostalCode, s);
    idempotent!(Isbn, s);
    idempotent!(Email, s);
    idempotent!(WebUrl, s);
    if let Ok(p) = Phone::parse(s) {
        let again = Phone::parse(p.as_str()).expect("a phone's normal form parses");
        assert_eq!(again.as_str(), p.as_str());
    }
    let folded = crate::text::fold(s);
    assert_eq!(crate::text::fold(&folded), folded, "folding twice changed it");
    if let Some(line) = crate::text::clean_line(s) {
        assert_eq!(crate::text::clean_line(&line).as_deref(), Some(line.as_str()));
    }
    let _ = crate::store::fts_query(s);
}

/// A spreadsheet or CSV file, as the import reads and checks it. The first byte picks the
/// file's extension so one corpus covers CSV, .xlsx, .xls and .ods.
pub fn sheet(data: &[u8]) {
    quiet_caught_panics();
    let Some((&pick, bytes)) = data.split_first() else { return };
    let extension = ["csv", "xlsx", "xls", "ods"][pick as usize % 4];
    let Ok(sheet) = import::read::read_bytes(bytes.to_vec(), "fuzz", extension, None) else { return };
    let identities = RegisterIdentities::default();
    for kind in [ImportKind::Organizations, ImportKind::People, ImportKind::Library] {
        let options = ImportOptions { kind, ..Default::default() };
        let index = RegisterIndex::build(kind, &identities, Vec::new());
        let _ = import::analyze(&sheet, &options, &index, |_, _| {});
    }
}

/// libFuzzer's panic hook aborts on every panic, even one the import catches on purpose (see
/// `import::read::guard`); the default hook lets caught panics pass, and an uncaught one still
/// reaches libFuzzer's own catch and counts as a crash.
fn quiet_caught_panics() {
    // The replay tests keep the default hook, so a failure there still says what panicked.
    if cfg!(test) {
        return;
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|_| {})));
}

/// A message body with merge fields, rendered for one recipient.
pub fn mail_body(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let values = [("nazwa", "<b>Ład</b> & Co"), ("imie", "Zofia"), ("nazwisko", "Żak"), ("miasto", "Łódź"), ("email", "z@example.org")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let r = crate::mail::render::render("Temat {imie}", s, &values, &Default::default());
    assert!(!r.html.contains("<script"), "raw HTML passed into a message");
    assert!(!r.html.contains("<b>Ład</b>"), "a merge value became markup");
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn replay(target: &str, run: fn(&[u8])) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
        let mut n = 0;
        for dir in [root.join("corpus").join(target), root.join("artifacts").join(target)] {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries {
                // A running fuzzer replaces corpus files as it goes; one that vanished is skipped.
                let Ok(bytes) = std::fs::read(e.unwrap().path()) else { continue };
                run(&bytes);
                n += 1;
            }
        }
        assert!(n > 0, "no corpus for {target}: run the fuzzer (see fuzz/README.md)");
    }

    #[test]
    fn corpus_identifiers() {
        replay("identifiers", super::identifiers);
    }

    #[test]
    fn corpus_sheet() {
        replay("sheet", super::sheet);
    }

    #[test]
    fn corpus_mail_body() {
        replay("mail_body", super::mail_body);
    }
}
