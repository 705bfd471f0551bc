//! PostgreSQL: many rows at once through `COPY … FROM STDIN` (text format) instead of multi-row
//! INSERTs, and the search words made here instead of on the server. An import of 100,000
//! organisations is bound by the server; COPY spares it the binds and statements of INSERTs.

use crate::error::Result;
use chrono::NaiveDate;
use sqlx::PgConnection;

/// Fewer rows than this go as an INSERT: COPY costs an extra round trip to start, which a
/// form's single record does not win back.
pub(crate) const COPY_FROM: usize = 64;

/// Largest piece of the rows sent in one CopyData message (the server takes up to 1 GB, but a
/// large piece only makes both sides hold it twice).
const SEND_AT: usize = 1 << 20;

/// Rows in COPY's text format: columns separated by tabs, rows ended by a newline, `\N` for
/// NULL, and a backslash before anything that would read as one of those.
#[derive(Default)]
pub(crate) struct CopyRows {
    buf: Vec<u8>,
    row_started: bool,
}

impl CopyRows {
    fn separate(&mut self) {
        if self.row_started {
            self.buf.push(b'\t');
        }
        self.row_started = true;
    }

    pub(crate) fn text(&mut self, value: Option<&str>) -> &mut Self {
        self.separate();
        match value {
            None => self.buf.extend_from_slice(b"\\N"),
            Some(v) => {
                for b in v.bytes() {
                    match b {
                        b'\\' => self.buf.extend_from_slice(b"\\\\"),
                        b'\t' => self.buf.extend_from_slice(b"\\t"),
                        b'\n' => self.buf.extend_from_slice(b"\\n"),
                        b'\r' => self.buf.extend_from_slice(b"\\r"),
                        _ => self.buf.push(b),
                    }
                }
            }
        }
        self
    }

    pub(crate) fn int(&mut self, value: Option<i64>) -> &mut Self {
        match value {
            None => self.text(None),
            Some(v) => {
                self.separate();
                self.buf.extend_from_slice(v.to_string().as_bytes());
                self
            }
        }
    }

    pub(crate) fn bool(&mut self, value: bool) -> &mut Self {
        self.separate();
        self.buf.push(if value { b't' } else { b'f' });
        self
    }

    /// ISO dates read the same under every `DateStyle`.
    pub(crate) fn date(&mut self, value: Option<NaiveDate>) -> &mut Self {
        match value {
            None => self.text(None),
            Some(d) => {
                self.separate();
                self.buf
                    .extend_from_slice(d.format("%Y-%m-%d").to_string().as_bytes());
                self
            }
        }
    }

    /// `bytea` in hex: `\x…`, its backslash doubled for COPY.
    pub(crate) fn bytes(&mut self, value: &[u8]) -> &mut Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.separate();
        self.buf.extend_from_slice(b"\\\\x");
        for b in value {
            self.buf.push(HEX[usize::from(b >> 4)]);
            self.buf.push(HEX[usize::from(b & 15)]);
        }
        self
    }

    pub(crate) fn end_row(&mut self) {
        self.buf.push(b'\n');
        self.row_started = false;
    }

    /// Sends the rows with `statement` (a `COPY … FROM STDIN`) on the transaction's connection.
    pub(crate) async fn send(self, tx: &mut PgConnection, statement: &str) -> Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let mut copy = tx.copy_in_raw(statement).await?;
        for part in self.buf.chunks(SEND_AT) {
            copy.send(part).await?;
        }
        copy.finish().await?;
        Ok(())
    }
}

/// Longest word (in bytes) `to_tsvector` keeps; longer ones it skips with a notice.
const MAX_WORD: usize = 2046;
/// Positions beyond this are all stored as this one.
const MAX_POSITION: usize = (1 << 14) - 1;
/// Positions kept per word.
const MAX_POSITIONS: usize = 255;

/// The `tsvector` text `to_tsvector('simple', body)` gives for a `pg_search_body` (words of
/// letters and digits, one space apart, already lower-case): each distinct word with the
/// places it stands at. Made here so that the server does not parse every body of an import;
/// `pg_search_words_match_the_server` checks it against the server's own.
pub(crate) fn pg_search_words(body: &str) -> String {
    let mut words: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut position = 0;
    for word in body
        .split(' ')
        .filter(|w| !w.is_empty())
        .flat_map(split_scientific)
    {
        if word.len() > MAX_WORD {
            continue;
        }
        position += 1;
        let at = position.min(MAX_POSITION);
        match words.iter_mut().find(|(w, _)| *w == word) {
            Some((_, places)) => {
                if places.len() < MAX_POSITIONS && places.last() != Some(&at) {
                    places.push(at);
                }
            }
            None => words.push((word, vec![at])),
        }
    }
    let mut out = String::with_capacity(body.len() + words.len() * 6);
    for (i, (word, places)) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push('\'');
        for c in word.chars() {
            match c {
                '\'' => out.push_str("''"),
                '\\' => out.push_str("\\\\"),
                _ => out.push(c),
            }
        }
        out.push('\'');
        for (j, p) in places.iter().enumerate() {
            out.push(if j == 0 { ':' } else { ',' });
            out.push_str(&p.to_string());
        }
    }
    out
}

/// The parser reads digits, `e` and digits at the start of a word as a number of its own:
/// "1e5abc" is the words "1e5" and "abc" to it (and so to a typed query), one word here.
fn split_scientific(word: &str) -> impl Iterator<Item = &str> {
    let b = word.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mantissa = digits(0);
    let mut cut = None;
    if mantissa > 0 && b.get(mantissa) == Some(&b'e') {
        let exponent = digits(mantissa + 1);
        let end = mantissa + 1 + exponent;
        if exponent > 0 && end < b.len() {
            cut = Some(end);
        }
    }
    let (first, rest) = match cut {
        Some(end) => (&word[..end], Some(&word[end..])),
        None => (word, None),
    };
    std::iter::once(first).chain(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::register::pg_search_body;
    use crate::store::postgres::testing::fresh_pg;

    #[test]
    fn copy_text_escapes_what_copy_reads_as_syntax() {
        let mut rows = CopyRows::default();
        rows.text(Some("a\tb\\c\nd\re"))
            .text(None)
            .int(Some(-5))
            .bool(true)
            .bytes(&[0, 255]);
        rows.end_row();
        assert_eq!(rows.buf, b"a\\tb\\\\c\\nd\\re\t\\N\t-5\tt\t\\\\x00ff\n");
    }

    /// The words made here are the server's, position for position, for bodies a parser
    /// could read differently: numbers next to letters, repeated words, non-Latin scripts,
    /// a word too long to index.
    #[tokio::test]
    async fn pg_search_words_match_the_server() {
        let Some(pg) = fresh_pg().await else { return };
        let long = format!("{} po", "x".repeat(3000));
        let many = "ala ".repeat(400);
        let far = format!("{} koniec koniec", "w ".repeat(17_000));
        let bodies = [
            "",
            "fundacja lipowa lodz fundacja",
            "123abc abc123 1e5 1e5abc 0123 12 3 0x1f 1e 2024r",
            "a1e5 12e34xy e5 1e5e6 x12e3 1e5a 11e2 1ea 1e 99e9999 1e51 ąę1e5 1e5ą ff",
            "żółć ёлка αθηνα 東京 ǆemal iı straße",
            "o'reilly back\\slash",
            long.as_str(),
            many.as_str(),
            far.as_str(),
            "jan kowalski example org 48123456789",
        ];
        for raw in bodies {
            let body = pg_search_body(raw);
            let mine = pg_search_words(&body);
            let (server, same): (String, bool) = sqlx::query_as(
                "SELECT to_tsvector('simple', $1)::text, to_tsvector('simple', $1) = $2::tsvector",
            )
            .bind(&body)
            .bind(&mine)
            .fetch_one(&pg.pool)
            .await
            .unwrap();
            assert!(same, "{body:.80}: server {server:.200}, here {mine:.200}");
        }
    }
}
