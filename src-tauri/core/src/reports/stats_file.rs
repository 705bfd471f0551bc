//! The statistics file a bureau sends to its union: who sent it (the bureau's own code, made
//! once per database and kept in `meta`) and the checks a file passes before the union stores
//! it (every count a whole number from 0 to `MAX_COUNT`, so the network's sums cannot overflow).

use crate::error::{Error, Result};
use crate::reports::AnnualFigures;
use rand::Rng;
use serde_json::{Map, Value};

/// The `meta` key of this database's bureau code.
pub const CODE_KEY: &str = "bureau_code";

/// The largest count accepted: far above any bureau's year, and low enough that the sum over
/// any number of bureaus a union could have stays inside i64.
pub const MAX_COUNT: i64 = 1_000_000_000;

/// Labels per list (categories, channels, legal forms, spheres, topics) and their length.
const MAX_LABELS: usize = 1_000;
const MAX_LABEL_CHARS: usize = 300;

/// Key prefix of a file without a code (Kartoteka before bureau codes): such a file is known
/// only by its office name. A code never contains ':', so the two kinds cannot collide.
pub const UNCODED_PREFIX: &str = "bez-kodu:";

/// A new bureau code: 16 random characters of Crockford's base32 (80 bits) in groups of four,
/// e.g. `7KQ2-M9XD-4T1P-ZC8H`; unguessable, so no other bureau can claim it.
pub fn new_code() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = rand::thread_rng();
    let chars: Vec<char> = (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as a file may carry it: 8 to 64 letters, digits and dashes.
pub fn valid_code(code: &str) -> bool {
    (8..=64).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The key a file is stored under for its year: its code, or for an uncoded file its office name.
pub fn storage_key(code: Option<&str>, office: &str) -> String {
    match code {
        Some(c) => c.to_string(),
        None => format!("{UNCODED_PREFIX}{office}"),
    }
}

/// What one imported file was stored as, for the CLI and the window.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Imported {
    pub office: String,
    pub year: i32,
    /// None for a file from before bureau codes.
    pub code: Option<String>,
    /// This coded file took the place of an uncoded file with the same office name and year.
    pub replaced_uncoded: bool,
}

/// A statistics file, checked: its figures (office and code cleaned) and its code if it has one.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    pub figures: AnnualFigures,
    pub code: Option<String>,
}

/// Fields every file written by Kartoteka has had since the first statistics file.
const REQUIRED: [&str; 14] = [
    "year",
    "advice_total",
    "advice_by_category",
    "advice_by_month",
    "advice_by_channel",
    "advice_new_clients",
    "advice_returning_clients",
    "advice_hours",
    "events_total",
    "events_participants",
    "events_hours",
    "organizations_total",
    "organizations_new",
    "organizations_by_legal_form",
];

/// Reads and checks the text of a statistics file named `file` (shown in every message).
pub fn check(text: &str, file: &str) -> Result<CheckedFile> {
    let not_stats = |why: String| {
        Error::BadArgument(format!(
            "Plik „{file}” nie jest plikiem statystyk z Kartoteki: {why}"
        ))
    };
    let value: Value =
        serde_json::from_str(text).map_err(|_| not_stats("to nie jest poprawny JSON.".into()))?;
    let Value::Object(root) = value else {
        return Err(not_stats("oczekiwano obiektu JSON.".into()));
    };
    let bad = |field: &str, why: String| {
        Error::BadArgument(format!("Plik „{file}”, pole „{field}”: {why}"))
    };
    if let Some(missing) = REQUIRED.iter().find(|f| !root.contains_key(**f)) {
        return Err(not_stats(format!("brak pola „{missing}”.")));
    }
    if !root["year"]
        .as_i64()
        .is_some_and(|y| (2000..=2100).contains(&y))
    {
        return Err(bad(
            "year",
            format!("rok {} jest spoza zakresu 2000–2100.", root["year"]),
        ));
    }
    // Every other number in the file is a count (hours: a fraction allowed), wherever it
    // stands, so a field added in a later version is checked too.
    for (name, v) in &root {
        match (name.as_str(), v) {
            ("office" | "bureau_code" | "year", _) => {}
            (n, _) if n.ends_with("_hours") => match v.as_f64() {
                Some(h) if h.is_finite() && (0.0..=MAX_COUNT as f64).contains(&h) => {}
                Some(h) if h < 0.0 => {
                    return Err(bad(name, format!("liczba godzin {v} jest ujemna.")))
                }
                _ => {
                    return Err(bad(
                        name,
                        format!("oczekiwano liczby godzin od 0 do {MAX_COUNT}."),
                    ))
                }
            },
            (_, Value::Object(map)) => labelled_counts(map)
                .map_err(|(label, why)| bad(&format!("{name} › {label}"), why))?,
            ("advice_by_month", Value::Array(months)) if months.len() != 12 => {
                return Err(bad(
                    name,
                    format!(
                        "oczekiwano 12 liczb, po jednej na miesiąc (jest {}).",
                        months.len()
                    ),
                ))
            }
            (_, Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    count(v).map_err(|why| bad(&format!("{name} › {}", i + 1), why))?;
                }
            }
            (_, Value::Number(_)) => {
                count(v).map_err(|why| bad(name, why))?;
            }
            // The file holds counts only (no names, no free text): text here is refused too.
            _ => return Err(bad(name, "oczekiwano liczby całkowitej.".into())),
        }
    }
    let code = match root.get("bureau_code") {
        None | Some(Value::Null) => None,
        Some(Value::String(c)) if valid_code(c.trim()) => Some(c.trim().to_string()),
        Some(_) => {
            return Err(bad(
                "bureau_code",
                "kod biura to od 8 do 64 liter, cyfr i myślników.".into(),
            ))
        }
    };
    let office = match root.get("office") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) if s.chars().count() <= MAX_LABEL_CHARS => {
            crate::text::clean_line(s).unwrap_or_default()
        }
        Some(_) => {
            return Err(bad(
                "office",
                format!("nazwa biura to tekst do {MAX_LABEL_CHARS} znaków."),
            ))
        }
    };
    // Every field was checked above; what serde could still refuse is a shape no Kartoteka writes.
    let mut figures: AnnualFigures = serde_json::from_value(Value::Object(root.clone()))
        .map_err(|_| not_stats("układ pól nie zgadza się z plikiem statystyk.".into()))?;
    figures.office = office;
    figures.bureau_code = code.clone().unwrap_or_default();
    Ok(CheckedFile { figures, code })
}

/// One count: a whole number from 0 to `MAX_COUNT`.
fn count(v: &Value) -> std::result::Result<i64, String> {
    match v {
        Value::Number(n) => {
            let negative = || {
                Err(format!(
                    "liczba {n} jest ujemna; liczby w statystykach nie mogą być ujemne."
                ))
            };
            let too_big = || {
                Err(format!(
                    "liczba {n} jest większa niż dopuszczalne {MAX_COUNT}."
                ))
            };
            if let Some(x) = n.as_i64() {
                match x {
                    i64::MIN..=-1 => negative(),
                    0..=MAX_COUNT => Ok(x),
                    _ => too_big(),
                }
            } else if n.is_u64() {
                too_big()
            } else {
                // A float: beyond u64 (serde_json reads such a literal as one) or with a fraction.
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f < 0.0 {
                    negative()
                } else if f > MAX_COUNT as f64 {
                    too_big()
                } else {
                    Err(format!("{n} nie jest liczbą całkowitą."))
                }
            }
        }
        _ => Err("oczekiwano liczby całkowitej.".into()),
    }
}

/// A {"label": count} list; on error the label (shortened) and the reason.
fn labelled_counts(map: &Map<String, Value>) -> std::result::Result<(), (String, String)> {
    if map.len() > MAX_LABELS {
        return Err((
            "…".into(),
            format!("za dużo pozycji ({}; najwyżej {MAX_LABELS}).", map.len()),
        ));
    }
    for (label, v) in map {
        let shown: String = label.chars().take(60).collect();
        if label.chars().count() > MAX_LABEL_CHARS {
            return Err((
                shown,
                format!("etykieta jest dłuższa niż {MAX_LABEL_CHARS} znaków."),
            ));
        }
        count(v).map_err(|why| (shown, why))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(patch: &str) -> String {
        let base = AnnualFigures {
            office: "BPO Leszno".into(),
            year: 2025,
            advice_by_month: vec![1; 12],
            advice_total: 12,
            ..Default::default()
        };
        let mut v = serde_json::to_value(base).unwrap();
        let patch: Value = serde_json::from_str(patch).unwrap();
        for (k, x) in patch.as_object().unwrap() {
            v[k] = x.clone();
        }
        v.to_string()
    }

    #[test]
    fn counts_are_whole_non_negative_and_bounded() {
        assert!(check(&file("{}"), "a.json").is_ok());
        for (patch, field) in [
            (r#"{"advice_total": -1}"#, "advice_total"),
            (
                r#"{"events_participants": 9223372036854775808}"#,
                "events_participants",
            ),
            (
                r#"{"organizations_new": 18446744073709551616}"#,
                "organizations_new",
            ),
            (r#"{"advice_total": 1.5}"#, "advice_total"),
            (r#"{"advice_total": -1e30}"#, "advice_total"),
            (r#"{"advice_total": "12"}"#, "advice_total"),
            (
                r#"{"advice_by_category": {"mieszkaniowe": -3}}"#,
                "advice_by_category › mieszkaniowe",
            ),
            (
                r#"{"advice_by_month": [1,1,1,1,1,1,1,1,1,1,1,-1]}"#,
                "advice_by_month › 12",
            ),
            (r#"{"advice_hours": -2.5}"#, "advice_hours"),
            (r#"{"bureau_code": "x"}"#, "bureau_code"),
        ] {
            let err = check(&file(patch), "bpo.json").unwrap_err().to_string();
            assert!(
                err.contains("„bpo.json”") && err.contains(&format!("„{field}”")),
                "{patch}: {err}"
            );
        }
    }

    #[test]
    fn codes_are_new_each_time_and_valid() {
        let (a, b) = (new_code(), new_code());
        assert_ne!(a, b);
        assert!(valid_code(&a) && a.len() == 19, "{a}");
        assert!(!valid_code(&format!("{UNCODED_PREFIX}BPO")));
    }
}
