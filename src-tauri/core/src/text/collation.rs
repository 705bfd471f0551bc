//! Polish alphabetical order (Ł after L, Ś after S, Ż last) from ICU4X's CLDR data.
//! Lists sort on stored ICU sort keys: a plain BLOB column with an ordinary index, so the schema
//! carries no custom collation and other SQLite tools (and later PostgreSQL) can read it.

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;
use std::cmp::Ordering;
use std::sync::OnceLock;

/// Changes whenever the stored keys could change meaning (an ICU4X/CLDR upgrade or different
/// options); the store recomputes all keys when the database holds another version.
pub const SORT_KEY_VERSION: &str = "icu_collator-2.4/pl/tertiary/1";

fn collator() -> &'static CollatorBorrowed<'static> {
    static C: OnceLock<CollatorBorrowed<'static>> = OnceLock::new();
    C.get_or_init(|| {
        let mut options = CollatorOptions::default();
        options.strength = Some(Strength::Tertiary);
        Collator::try_new(locale!("pl").into(), options).expect("compiled Polish collation data")
    })
}

/// Compares two strings in Polish order.
pub fn compare(a: &str, b: &str) -> Ordering {
    collator().compare(a, b)
}

/// A byte string whose plain byte order is the Polish order of the texts.
pub fn sort_key(s: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(s.len() * 2 + 8);
    let Ok(()) = collator().write_sort_key_to(s, &mut key);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_by(|a, b| compare(a, b));
        v
    }

    #[test]
    fn polish_letters_follow_their_base_letters() {
        assert_eq!(
            sorted(vec!["Łódź", "Lublin", "Mława", "Kraków"]),
            vec!["Kraków", "Lublin", "Łódź", "Mława"]
        );
        assert_eq!(
            sorted(vec![
                "Żory",
                "Zabrze",
                "Źródło",
                "Świdnik",
                "Szczecin",
                "Tarnów"
            ]),
            vec!["Szczecin", "Świdnik", "Tarnów", "Zabrze", "Źródło", "Żory"]
        );
        assert_eq!(
            sorted(vec!["ćma", "cyna", "dom"]),
            vec!["cyna", "ćma", "dom"]
        );
    }

    #[test]
    fn sort_keys_order_like_the_collator() {
        let words = [
            "Żory",
            "Łódź",
            "Lublin",
            "lublin",
            "Ząbki",
            "Źródło",
            "Ala",
            "Ąb",
            "Bąk",
            "Świętojańska",
            "Sopot",
            "0-9 Klub",
        ];
        for a in words {
            for b in words {
                assert_eq!(sort_key(a).cmp(&sort_key(b)), compare(a, b), "{a} vs {b}");
            }
        }
    }
}
