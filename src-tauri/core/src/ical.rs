//! Writing iCalendar (RFC 5545) text, shared by the room calendar export and the published
//! events feed: Europe/Warsaw's VTIMEZONE, TEXT escaping, and lines folded at 75 octets.

/// Central European Time with the EU's summer time rule (in force since 1996).
pub(crate) const WARSAW: &str = "BEGIN:VTIMEZONE\r
TZID:Europe/Warsaw\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
TZNAME:CEST\r
DTSTART:19700329T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
DTSTART:19701025T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
";

/// TEXT values: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so no line exceeds 75 octets, never inside a UTF-8
/// character (RFC 5545 3.1).
pub(crate) fn fold_into(out: &mut String, text: &str) {
    let mut used = 0;
    for c in text.chars() {
        let len = c.len_utf8();
        if used + len > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_polish_lines_fold_between_characters() {
        let mut out = String::new();
        fold_into(
            &mut out,
            &format!("SUMMARY:{}", "Zażółć gęślą jaźń ".repeat(8)),
        );
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(
            unfolded,
            format!("SUMMARY:{}\r\n", "Zażółć gęślą jaźń ".repeat(8))
        );
    }
}
