//! Amounts of money as the offices write them ("1 234,56 zł", "1234.56", "10 000") kept as
//! whole grosze in an `i64`: grant caps are statutory limits checked to the grosz, so floats
//! never hold money. Printed back the Polish way, with a space between thousands.

use crate::ids::InvalidValue;

/// The largest amount a form accepts: a billion złoty is beyond any city's grant budget and
/// keeps every sum of a year's records far from `i64`'s end.
pub const MAX_GROSZE: i64 = 100_000_000_000;

/// Parses an amount in złoty: digits with spaces (also no-break) or dots between thousands,
/// a comma or dot before at most two decimal places, an optional "zł" or "PLN".
pub fn parse_grosze(raw: &str) -> Result<i64, InvalidValue> {
    let invalid =
        || InvalidValue("Kwota ma postać złotych i groszy, np. 12 500,00 zł albo 12500.".into());
    let mut t: String = raw
        .trim()
        .trim_end_matches("zł")
        .trim_end_matches("PLN")
        .trim_end_matches("pln")
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if t.is_empty() {
        return Err(invalid());
    }
    if t.starts_with('-') {
        return Err(InvalidValue("Kwota nie może być ujemna.".into()));
    }
    // "1.234,56": dots between thousands, a comma before grosze.
    if t.contains(',') {
        t = t.replace('.', "").replace(',', ".");
    } else if t.matches('.').count() > 1 || t.rsplit_once('.').is_some_and(|(_, f)| f.len() == 3) {
        // "1.234.567" or "12.500": dots as thousand separators.
        t = t.replace('.', "");
    }
    let (whole, fraction) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || whole.len() > 12
        || fraction.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(invalid());
    }
    let zloty: i64 = whole.parse().map_err(|_| invalid())?;
    let grosze: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().map_err(|_| invalid())? * 10,
        _ => fraction.parse().map_err(|_| invalid())?,
    };
    let total = zloty * 100 + grosze;
    if total > MAX_GROSZE {
        return Err(InvalidValue(
            "Kwota jest za duża (najwyżej 1 000 000 000 zł).".into(),
        ));
    }
    Ok(total)
}

/// "1 234,56 zł": the amount as Polish print writes it.
pub fn format_grosze(grosze: i64) -> String {
    format!("{} zł", format_grosze_bare(grosze))
}

/// "1 234,56": without the currency, for table cells under a "zł" heading and for forms.
pub fn format_grosze_bare(grosze: i64) -> String {
    let sign = if grosze < 0 { "-" } else { "" };
    let g = grosze.unsigned_abs();
    let whole = (g / 100).to_string();
    let mut out = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    format!("{sign}{out},{:02}", g % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_offices_write_them() {
        assert_eq!(parse_grosze("1 234,56 zł").unwrap(), 123_456);
        assert_eq!(parse_grosze("1234.56").unwrap(), 123_456);
        assert_eq!(parse_grosze("10 000").unwrap(), 1_000_000);
        assert_eq!(parse_grosze("10000,5").unwrap(), 1_000_050);
        assert_eq!(parse_grosze("1.234.567,89").unwrap(), 123_456_789);
        assert_eq!(parse_grosze("12.500").unwrap(), 1_250_000);
        assert_eq!(parse_grosze("0,01").unwrap(), 1);
        assert_eq!(parse_grosze("20\u{a0}000 PLN").unwrap(), 2_000_000);
    }

    #[test]
    fn wrong_amounts_are_refused_in_polish() {
        for bad in [
            "",
            "abc",
            "12,345",
            "-5",
            "1,2,3",
            "zł",
            "1e5",
            "10 000,001",
        ] {
            let e = parse_grosze(bad).unwrap_err();
            assert!(e.0.starts_with("Kwota"), "{bad}: {}", e.0);
        }
        assert!(parse_grosze("1000000001").is_err());
    }

    #[test]
    fn printed_with_spaces_between_thousands() {
        assert_eq!(format_grosze(123_456), "1 234,56 zł");
        assert_eq!(format_grosze(1_000_000), "10 000,00 zł");
        assert_eq!(format_grosze(5), "0,05 zł");
        assert_eq!(format_grosze_bare(10_000_000_000), "100 000 000,00");
        assert_eq!(format_grosze_bare(-150), "-1,50");
        for g in [0, 1, 99, 100, 123_456, 1_000_000, 99_999_999_999] {
            assert_eq!(parse_grosze(&format_grosze(g)).unwrap(), g);
        }
    }
}
