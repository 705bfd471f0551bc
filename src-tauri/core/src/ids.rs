//! Parse-don't-validate types for the identifiers and contact data Polish offices handle.
//! Every way into the register (window, CLI, later import) goes through these constructors, so a
//! value of one of these types is always valid and already in its normalised, stored form.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a value was rejected; the message is Polish, ready for the field under which it is shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidValue(pub String);

fn invalid(msg: impl Into<String>) -> InvalidValue {
    InvalidValue(msg.into())
}

/// Digits of an identifier typed with spaces, dashes or dots, as people write them.
fn digits_only(raw: &str, what: &str) -> Result<String, InvalidValue> {
    let mut out = String::with_capacity(raw.len());
    for c in raw.trim().chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' | '.' | '\u{a0}' => {}
            _ => {
                return Err(invalid(format!(
                    "{what} może zawierać tylko cyfry (oraz myślniki lub spacje)."
                )))
            }
        }
    }
    if out.is_empty() {
        return Err(invalid(format!("{what} nie może być pusty.")));
    }
    Ok(out)
}

fn weighted_sum(digits: &[u8], weights: &[u32]) -> u32 {
    digits
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(*d) * w)
        .sum()
}

fn to_digits(s: &str) -> Vec<u8> {
    s.bytes().map(|b| b - b'0').collect()
}

macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// NIP (tax identification number): 10 digits, the last a mod-11 check digit.
/// Accepts "123-456-32-18", "123 456 32 18" and "PL1234563218"; stores "1234563218".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nip(String);
string_newtype!(Nip);

impl Nip {
    const WEIGHTS: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let trimmed = raw.trim();
        let without_prefix = trimmed
            .strip_prefix("PL")
            .or_else(|| trimmed.strip_prefix("pl"))
            .or_else(|| trimmed.strip_prefix("Pl"))
            .unwrap_or(trimmed);
        let digits = digits_only(without_prefix, "NIP")?;
        if digits.len() != 10 {
            return Err(invalid(format!(
                "NIP musi mieć 10 cyfr (wpisano {}).",
                digits.len()
            )));
        }
        let d = to_digits(&digits);
        let check = weighted_sum(&d[..9], &Self::WEIGHTS) % 11;
        if check == 10 || check != u32::from(d[9]) {
            return Err(invalid(
                "Nieprawidłowy NIP: cyfra kontrolna się nie zgadza. Sprawdź, czy nie ma literówki.",
            ));
        }
        Ok(Nip(digits))
    }

    /// "123-456-32-18", the way the tax office prints it.
    pub fn formatted(&self) -> String {
        let s = &self.0;
        format!("{}-{}-{}-{}", &s[0..3], &s[3..6], &s[6..8], &s[8..10])
    }
}

/// REGON (statistical number): 9 digits, or 14 for a local unit, each with a mod-11 check digit
/// where a remainder of 10 counts as 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Regon(String);
string_newtype!(Regon);

impl Regon {
    const W9: [u32; 8] = [8, 9, 2, 3, 4, 5, 6, 7];
    const W14: [u32; 13] = [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8];

    fn check_ok(d: &[u8], weights: &[u32]) -> bool {
        let n = weights.len();
        let check = weighted_sum(&d[..n], weights) % 11 % 10;
        check == u32::from(d[n])
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let digits = digits_only(raw, "REGON")?;
        let d = to_digits(&digits);
        match digits.len() {
            9 if Self::check_ok(&d, &Self::W9) => Ok(Regon(digits)),
            14 if Self::check_ok(&d, &Self::W14) && Self::check_ok(&d[..9], &Self::W9) => {
                Ok(Regon(digits))
            }
            9 | 14 => Err(invalid(
                "Nieprawidłowy REGON: cyfra kontrolna się nie zgadza.",
            )),
            n => Err(invalid(format!(
                "REGON musi mieć 9 albo 14 cyfr (wpisano {n})."
            ))),
        }
    }
}

/// KRS (National Court Register number): up to 10 digits, stored zero-padded to 10. There is no
/// check digit, so only the form can be checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Krs(String);
string_newtype!(Krs);

impl Krs {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let digits = digits_only(raw, "Numer KRS")?;
        if digits.len() > 10 {
            return Err(invalid(format!(
                "Numer KRS ma najwyżej 10 cyfr (wpisano {}).",
                digits.len()
            )));
        }
        if digits.bytes().all(|b| b == b'0') {
            return Err(invalid("Numer KRS nie może składać się z samych zer."));
        }
        Ok(Krs(format!("{digits:0>10}")))
    }

    /// The number without its leading zeros, as people often type it ("123456").
    pub fn unpadded(&self) -> &str {
        self.0.trim_start_matches('0')
    }
}

/// Polish postal code NN-NNN; "15082" is accepted and stored as "15-082".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostalCode(String);
string_newtype!(PostalCode);

impl PostalCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let t = raw.trim();
        let b = t.as_bytes();
        let ok_dash = b.len() == 6
            && b[2] == b'-'
            && t.chars()
                .enumerate()
                .all(|(i, c)| i == 2 || c.is_ascii_digit());
        let ok_plain = b.len() == 5 && t.chars().all(|c| c.is_ascii_digit());
        if ok_dash {
            Ok(PostalCode(t.to_string()))
        } else if ok_plain {
            Ok(PostalCode(format!("{}-{}", &t[..2], &t[2..])))
        } else {
            Err(invalid("Kod pocztowy ma postać NN-NNN, np. 15-082."))
        }
    }
}

/// ISBN of a library book: ISBN-10 (last digit may be X, mod 11) or ISBN-13 (EAN check digit),
/// typed with or without hyphens; stored as bare digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Isbn(String);
string_newtype!(Isbn);

impl Isbn {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let t: String = raw
            .trim()
            .trim_start_matches("ISBN")
            .trim_start_matches(':')
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bad = || {
            invalid(format!(
                "„{}” nie jest poprawnym numerem ISBN (10 albo 13 cyfr).",
                raw.trim()
            ))
        };
        // Byte positions below assume ASCII; anything else is not an ISBN.
        if !t.is_ascii() {
            return Err(bad());
        }
        let valid = match t.len() {
            10 if t[..9].bytes().all(|b| b.is_ascii_digit())
                && (t.as_bytes()[9].is_ascii_digit() || t.ends_with('X')) =>
            {
                let sum: u32 = t
                    .bytes()
                    .enumerate()
                    .map(|(i, b)| {
                        (10 - i as u32) * if b == b'X' { 10 } else { u32::from(b - b'0') }
                    })
                    .sum();
                sum.is_multiple_of(11)
            }
            13 if t.bytes().all(|b| b.is_ascii_digit()) => {
                let sum: u32 = t
                    .bytes()
                    .enumerate()
                    .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
                    .sum();
                sum.is_multiple_of(10)
            }
            _ => return Err(bad()),
        };
        if valid {
            Ok(Isbn(t))
        } else {
            Err(invalid(format!(
                "Numer ISBN „{}” ma złą cyfrę kontrolną: sprawdź, czy nie ma literówki.",
                raw.trim()
            )))
        }
    }
}

/// An e-mail address, trimmed and lower-cased (mailboxes are case-insensitive in practice, and
/// duplicate detection must not be fooled by case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);
string_newtype!(Email);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let t = raw.trim().to_lowercase();
        let bad = || {
            invalid(format!(
                "„{}” nie wygląda na adres e-mail (np. biuro@fundacja.pl).",
                raw.trim()
            ))
        };
        if t.is_empty() {
            return Err(invalid("Adres e-mail nie może być pusty."));
        }
        if !email_address::EmailAddress::is_valid(&t) {
            return Err(bad());
        }
        // The RFC allows "user@localhost"; an office's correspondents always have a real domain.
        let domain = t.rsplit('@').next().unwrap_or("");
        if !domain.contains('.') || domain.ends_with('.') || domain.starts_with('[') {
            return Err(bad());
        }
        Ok(Email(t))
    }
}

/// A website address; "fundacja.pl" is accepted and stored as "https://fundacja.pl/".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebUrl(String);
string_newtype!(WebUrl);

impl WebUrl {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let t = raw.trim();
        let bad = || invalid("Adres strony WWW ma postać np. https://fundacja.pl");
        if t.is_empty() || t.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let with_scheme = if t.contains("://") {
            t.to_string()
        } else {
            format!("https://{t}")
        };
        let url = url::Url::parse(&with_scheme).map_err(|_| bad())?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(
                "Adres strony WWW musi zaczynać się od http:// albo https://",
            ));
        }
        match url.host_str() {
            Some(h) if h.contains('.') && !h.ends_with('.') => Ok(WebUrl(url.to_string())),
            _ => Err(bad()),
        }
    }
}

/// A phone number: digits with an optional leading +, at least 9 digits. Polish 9-digit
/// numbers are stored grouped ("85 732 82 20" stays as typed by the grouping rules below).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);
string_newtype!(Phone);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let t = raw.trim();
        let bad = || {
            invalid(format!(
                "„{t}” nie wygląda na numer telefonu (np. 85 732 82 20)."
            ))
        };
        let mut digits = String::new();
        for (i, c) in t.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '(' | ')' | '.' | '/' | '\u{a0}' => {}
                _ => return Err(bad()),
            }
        }
        if digits.len() < 9 || digits.len() > 15 {
            return Err(bad());
        }
        let international = t.starts_with('+') || (digits.len() == 11 && digits.starts_with("48"));
        let national = if international && digits.starts_with("48") && digits.len() == 11 {
            &digits[2..]
        } else if !international && digits.len() == 9 {
            &digits[..]
        } else {
            return Ok(Phone(format!("+{digits}")));
        };
        let grouped = format!(
            "{} {} {}",
            &national[0..3],
            &national[3..6],
            &national[6..9]
        );
        Ok(Phone(if international {
            format!("+48 {grouped}")
        } else {
            grouped
        }))
    }

    /// Just the digits, for search ("857328220").
    pub fn digits(&self) -> String {
        self.0.chars().filter(char::is_ascii_digit).collect()
    }
}

macro_rules! try_from_string {
    ($($name:ident),*) => {$(
        impl TryFrom<String> for $name {
            type Error = InvalidValue;
            fn try_from(s: String) -> Result<Self, Self::Error> { Self::parse(&s) }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String { v.0 }
        }
    )*};
}
try_from_string!(Nip, Regon, Krs, PostalCode, Email, WebUrl, Phone, Isbn);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isbn_checks_both_lengths_and_rejects_typos() {
        assert_eq!(
            Isbn::parse("978-83-01-00000-4").map(|i| i.0),
            Ok("9788301000004".into())
        );
        assert_eq!(
            Isbn::parse("ISBN 0-306-40615-2").map(|i| i.0),
            Ok("0306406152".into())
        );
        assert_eq!(
            Isbn::parse("0-8044-2957-x").map(|i| i.0),
            Ok("080442957X".into())
        );
        assert!(Isbn::parse("978-83-01-00000-3")
            .unwrap_err()
            .0
            .contains("kontroln"));
        assert!(Isbn::parse("12345").is_err());
    }

    #[test]
    fn nip_accepts_valid_numbers_in_any_common_notation() {
        for raw in [
            "1234563218",
            "123-456-32-18",
            "123 456 32 18",
            "PL1234563218",
            " pl 123-456-32-18 ",
            "5260250274",
        ] {
            assert_eq!(Nip::parse(raw).map(|n| n.0.len()), Ok(10), "{raw}");
        }
        assert_eq!(
            Nip::parse("PL 123-456-32-18").unwrap().as_str(),
            "1234563218"
        );
        assert_eq!(
            Nip::parse("1234563218").unwrap().formatted(),
            "123-456-32-18"
        );
    }

    #[test]
    fn nip_rejects_every_single_digit_corruption() {
        let good = "1234563218";
        for pos in 0..10 {
            for digit in b'0'..=b'9' {
                let mut b = good.as_bytes().to_vec();
                if b[pos] == digit {
                    continue;
                }
                b[pos] = digit;
                let s = String::from_utf8(b).unwrap();
                assert!(Nip::parse(&s).is_err(), "{s} should be rejected");
            }
        }
    }

    #[test]
    fn nip_messages_are_polish_and_specific() {
        assert!(Nip::parse("123456321").unwrap_err().0.contains("10 cyfr"));
        assert!(Nip::parse("1234563219")
            .unwrap_err()
            .0
            .contains("kontrolna"));
        assert!(Nip::parse("12345x3218")
            .unwrap_err()
            .0
            .contains("tylko cyfry"));
    }

    #[test]
    fn regon_checks_both_lengths() {
        assert!(Regon::parse("123456785").is_ok());
        assert!(Regon::parse("123-456-785").is_ok());
        assert!(Regon::parse("123456786").is_err());
        assert!(Regon::parse("12345678512347").is_ok());
        assert!(Regon::parse("12345678512348").is_err());
        assert!(Regon::parse("1234567").unwrap_err().0.contains("9 albo 14"));
    }

    #[test]
    fn regon_rejects_single_digit_corruptions_of_a_nine_digit_number() {
        let good = "123456785";
        let mut rejected = 0;
        for pos in 0..9 {
            for digit in b'0'..=b'9' {
                let mut b = good.as_bytes().to_vec();
                if b[pos] == digit {
                    continue;
                }
                b[pos] = digit;
                if Regon::parse(std::str::from_utf8(&b).unwrap()).is_err() {
                    rejected += 1;
                }
            }
        }
        // Mod 11 folded to a single digit cannot catch every change, but nearly all.
        assert!(rejected >= 75, "only {rejected} of 81 corruptions caught");
    }

    #[test]
    fn krs_is_zero_padded() {
        assert_eq!(Krs::parse("123456").unwrap().as_str(), "0000123456");
        assert_eq!(Krs::parse("0000123456").unwrap().unpadded(), "123456");
        assert!(Krs::parse("12345678901").is_err());
        assert!(Krs::parse("0000000000").is_err());
        assert!(Krs::parse("12a").is_err());
    }

    #[test]
    fn postal_code_forms() {
        assert_eq!(PostalCode::parse("15-082").unwrap().as_str(), "15-082");
        assert_eq!(PostalCode::parse(" 15082 ").unwrap().as_str(), "15-082");
        for bad in ["1508", "15 082", "AB-123", "150-82", "15-0822"] {
            assert!(PostalCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn email_is_lower_cased_and_checked() {
        assert_eq!(
            Email::parse("  Centrum@UM.Bialystok.PL ").unwrap().as_str(),
            "centrum@um.bialystok.pl"
        );
        for bad in [
            "centrum",
            "centrum@",
            "@um.pl",
            "a b@um.pl",
            "user@localhost",
            "x@y.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn url_gets_a_scheme() {
        assert_eq!(
            WebUrl::parse("ngo.leszno.pl").unwrap().as_str(),
            "https://ngo.leszno.pl/"
        );
        assert_eq!(
            WebUrl::parse("http://www.bialystok.pl/ngo")
                .unwrap()
                .as_str(),
            "http://www.bialystok.pl/ngo"
        );
        for bad in [
            "ftp://x.pl",
            "nie ma strony",
            "localhost",
            "javascript:alert(1)",
        ] {
            assert!(WebUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_are_grouped() {
        assert_eq!(Phone::parse("857328220").unwrap().as_str(), "857 328 220");
        assert_eq!(
            Phone::parse("+48 510-095-630").unwrap().as_str(),
            "+48 510 095 630"
        );
        assert_eq!(
            Phone::parse("+44 20 7946 0958").unwrap().as_str(),
            "+442079460958"
        );
        assert!(Phone::parse("12345").is_err());
        assert!(Phone::parse("tel. 85 732").is_err());
    }

    #[test]
    fn serde_goes_through_the_parser() {
        let n: Result<Nip, _> = serde_json::from_str("\"123-456-32-18\"");
        assert_eq!(n.unwrap().as_str(), "1234563218");
        let bad: Result<Nip, _> = serde_json::from_str("\"1234563219\"");
        assert!(bad.is_err());
    }
}

/// Normalising twice changes nothing, for any input and for inputs shaped like the real thing
/// (digits with the separators people type).
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn typed_digits(n: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(
            (
                0u8..10,
                prop_oneof![Just(""), Just("-"), Just(" "), Just("\u{a0}")],
            ),
            n,
        )
        .prop_map(|v| v.into_iter().map(|(d, sep)| format!("{d}{sep}")).collect())
    }

    macro_rules! twice {
        ($t:ty, $s:expr) => {
            if let Ok(v) = <$t>::parse(&$s) {
                let again = <$t>::parse(v.as_str()).unwrap();
                prop_assert_eq!(again.as_str(), v.as_str());
            }
        };
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_text(s in any::<String>()) {
            twice!(Nip, s); twice!(Regon, s); twice!(Krs, s); twice!(PostalCode, s);
            twice!(Isbn, s); twice!(Email, s); twice!(WebUrl, s); twice!(Phone, s);
            let f = crate::text::fold(&s);
            prop_assert_eq!(crate::text::fold(&f), f);
        }

        #[test]
        fn typed_identifiers(nip in typed_digits(10), regon in typed_digits(9), krs in typed_digits(10), isbn in typed_digits(13), prefix in prop_oneof![Just(""), Just("PL"), Just("pl ")]) {
            twice!(Nip, format!("{prefix}{nip}"));
            twice!(Regon, regon);
            twice!(Krs, krs);
            twice!(Isbn, format!("ISBN {isbn}"));
            twice!(Phone, format!("+48 {nip}"));
        }

        #[test]
        fn valid_nip_survives_any_separators(d in proptest::collection::vec(0u32..10, 9), seps in proptest::collection::vec(prop_oneof![Just(""), Just("-"), Just(" ")], 10)) {
            let check = d.iter().zip(Nip::WEIGHTS.iter()).map(|(a, w)| a * w).sum::<u32>() % 11;
            prop_assume!(check != 10);
            let digits: Vec<u32> = d.iter().copied().chain(std::iter::once(check)).collect();
            let typed: String = digits.iter().zip(&seps).map(|(x, s)| format!("{x}{s}")).collect();
            let plain: String = digits.iter().map(|x| x.to_string()).collect();
            let parsed = Nip::parse(&typed).unwrap();
            prop_assert_eq!(parsed.as_str(), plain.as_str());
        }
    }
}
