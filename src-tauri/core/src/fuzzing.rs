//! The bodies of the fuzz targets (`src-tauri/core/fuzz`), kept here so that the saved corpus
//! and every crash input found replay as ordinary tests on stable Rust (`tests::corpus`). Each
//! checks more than "no panic": a value that parses must parse again to itself.

use crate::ids::*;
use crate::import::{self, ImportKind, ImportOptions, RegisterIndex};
use crate::register::RegisterIdentities;

macro_rules! idempotent {
    ($t:ty, $s:expr) => {
        if let Ok(v) = <$t>::parse($s) {
            let again = <$t>::parse(v.as_str())
                .expect(concat!(stringify!($t), ": its own normal form must parse"));
            assert_eq!(
                again.as_str(),
                v.as_str(),
                "{}: normalising twice changed it",
                stringify!($t)
            );
        }
    };
}

/// Identifier parsers and text normalisers on any text.
pub fn identifiers(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
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
    assert_eq!(
        crate::text::fold(&folded),
        folded,
        "folding twice changed it"
    );
    if let Some(line) = crate::text::clean_line(s) {
        assert_eq!(
            crate::text::clean_line(&line).as_deref(),
            Some(line.as_str())
        );
    }
    let _ = crate::store::fts_query(s);
}

/// A spreadsheet or CSV file, as the import reads and checks it. The first byte picks the
/// file's extension so one corpus covers CSV, .xlsx, .xls and .ods.
pub fn sheet(data: &[u8]) {
    quiet_caught_panics();
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let extension = ["csv", "xlsx", "xls", "ods"][pick as usize % 4];
    let Ok(sheet) = import::read::read_bytes(bytes.to_vec(), "fuzz", extension, None) else {
        return;
    };
    let identities = RegisterIdentities::default();
    for kind in [
        ImportKind::Organizations,
        ImportKind::People,
        ImportKind::Library,
    ] {
        let options = ImportOptions {
            kind,
            ..Default::default()
        };
        let index = RegisterIndex::build(kind, &identities, Vec::new());
        let _ = import::analyze(&sheet, &options, &index, |_, _| {});
    }
}

/// Merged ranges and declared sizes, the shapes that made a few-kilobyte file allocate
/// gigabytes: the bytes become an .xlsx (merged ranges, a declared dimension, a few cells) or an
/// .ods (rows and cells with repeat counts), and the import reads it. Run with `-rss_limit_mb=500`:
/// memory beyond that is a crash, and so is a read that returns more rows or columns than the
/// import's limits.
pub fn merges(data: &[u8]) {
    quiet_caught_panics();
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let mut words = rest
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
    let bytes = if pick % 2 == 0 {
        fuzz_xlsx(&mut words)
    } else {
        fuzz_ods(&mut words)
    };
    let extension = if pick % 2 == 0 { "xlsx" } else { "ods" };
    let Ok(sheet) = import::read::read_bytes(bytes, "fuzz", extension, None) else {
        return;
    };
    assert!(
        sheet.rows.len() <= import::read::MAX_ROWS + 100,
        "{} rows passed the row limit",
        sheet.rows.len()
    );
    for row in &sheet.rows {
        assert!(
            row.cells.len() <= import::read::MAX_COLUMNS,
            "{} columns passed the column limit",
            row.cells.len()
        );
    }
}

/// An A1 reference from fuzz numbers, kept inside Excel's grid so calamine parses it.
fn a1(row: u32, col: u32) -> String {
    let (row, mut col) = (row % 1_048_576 + 1, col % 16_384 + 1);
    let mut letters = Vec::new();
    while col > 0 {
        col -= 1;
        letters.push(b'A' + (col % 26) as u8);
        col /= 26;
    }
    letters.reverse();
    format!("{}{row}", String::from_utf8(letters).unwrap_or_default())
}

fn fuzz_zip(entries: &[(&str, String)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    // Stored, not deflated: the fuzzer's time goes into the reader, not into compressing.
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in entries {
        if zip
            .start_file(*name, options)
            .and_then(|_| zip.write_all(body.as_bytes()).map_err(Into::into))
            .is_err()
        {
            return Vec::new();
        }
    }
    let _ = zip.finish();
    out.into_inner()
}

/// Word 0: the declared dimension's end; 1: how many cells; then (row, col) pairs of cells with a
/// text; the rest: merged ranges as (row, col, row, col), each repeated up to 255 times.
fn fuzz_xlsx(words: &mut impl Iterator<Item = u32>) -> Vec<u8> {
    let dimension = words.next().unwrap_or(0);
    let cells = words.next().unwrap_or(0) % 64;
    let mut positions: Vec<(u32, u32)> = (0..cells)
        .filter_map(|_| Some((words.next()? % 300_000, words.next()? % 200)))
        .collect();
    positions.sort_unstable();
    positions.dedup();
    let mut sheet_data = String::new();
    let mut current = None;
    for (r, c) in positions {
        if current != Some(r) {
            if current.is_some() {
                sheet_data.push_str("</row>");
            }
            sheet_data.push_str(&format!(r#"<row r="{}">"#, r + 1));
            current = Some(r);
        }
        sheet_data.push_str(&format!(
            r#"<c r="{}" t="inlineStr"><is><t>w{r}</t></is></c>"#,
            a1(r, c)
        ));
    }
    if current.is_some() {
        sheet_data.push_str("</row>");
    }
    let mut merges = String::new();
    let mut count = 0usize;
    while let (Some(r1), Some(c1), Some(r2), Some(c2)) =
        (words.next(), words.next(), words.next(), words.next())
    {
        let times = (r1 >> 24).max(1) as usize;
        let range = format!(
            r#"<mergeCell ref="{}:{}"/>"#,
            a1(r1 & 0xFF_FFFF, c1 % 256),
            a1(r2, c2 % 256)
        );
        for _ in 0..times {
            merges.push_str(&range);
        }
        count += times;
    }
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:{}"/><sheetData>{sheet_data}</sheetData><mergeCells count="{count}">{merges}</mergeCells></worksheet>"#,
        a1(dimension, dimension >> 20)
    );
    fuzz_zip(&[
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Arkusz1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into()),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

/// Rows as (rows repeated, cells), each cell (columns repeated, has text); up to 64 rows.
fn fuzz_ods(words: &mut impl Iterator<Item = u32>) -> Vec<u8> {
    let mut rows = String::new();
    for _ in 0..64 {
        let (Some(repeat), Some(cells)) = (words.next(), words.next()) else {
            break;
        };
        rows.push_str(&format!(
            r#"<table:table-row table:number-rows-repeated="{}">"#,
            repeat % 2_000_000 + 1
        ));
        for _ in 0..cells % 8 {
            let Some(cell) = words.next() else { break };
            let columns = (cell >> 1) % 40_000 + 1;
            if cell & 1 == 1 {
                rows.push_str(&format!(r#"<table:table-cell table:number-columns-repeated="{columns}" office:value-type="string"><text:p>x</text:p></table:table-cell>"#));
            } else {
                rows.push_str(&format!(
                    r#"<table:table-cell table:number-columns-repeated="{columns}"/>"#
                ));
            }
        }
        rows.push_str("</table:table-row>");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Arkusz1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    fuzz_zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".into()),
        ("META-INF/manifest.xml", r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#.into()),
        ("content.xml", content),
    ])
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
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let values = [
        ("nazwa", "<b>Ład</b> & Co"),
        ("imie", "Zofia"),
        ("nazwisko", "Żak"),
        ("miasto", "Łódź"),
        ("email", "z@example.org"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let r = crate::mail::render::render("Temat: {imie}", s, &values, &Default::default());
    assert!(
        !r.html.contains("<script"),
        "raw HTML passed into a message"
    );
    assert!(
        !r.html.contains("<b>Ład</b>"),
        "a merge value became markup"
    );
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn replay(target: &str, run: fn(&[u8])) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
        let mut n = 0;
        for dir in [
            root.join("corpus").join(target),
            root.join("artifacts").join(target),
        ] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries {
                // A running fuzzer replaces corpus files as it goes; one that vanished is skipped.
                let Ok(bytes) = std::fs::read(e.unwrap().path()) else {
                    continue;
                };
                run(&bytes);
                n += 1;
            }
        }
        assert!(
            n > 0,
            "no corpus for {target}: run the fuzzer (see fuzz/README.md)"
        );
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
    fn corpus_merges() {
        replay("merges", super::merges);
    }

    /// The shapes of the issue, built by the fuzz body itself: 20,000 copies of C3:C1048576
    /// (255 per range entry), and an .ods row of 100 text cells repeated 1,000,000 times.
    #[test]
    fn merges_body_handles_the_known_bombs() {
        let words = |pick: u8, w: &[u32]| -> Vec<u8> {
            std::iter::once(pick)
                .chain(w.iter().flat_map(|x| x.to_le_bytes()))
                .collect()
        };
        let mut xlsx = vec![1_048_575, 2, 2, 2, 4, 2];
        for _ in 0..79 {
            xlsx.extend([(255 << 24) | 2, 2, 1_048_575, 2]);
        }
        let started = std::time::Instant::now();
        super::merges(&words(0, &xlsx));
        super::merges(&words(1, &[999_999, 1, 199]));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn corpus_mail_body() {
        replay("mail_body", super::mail_body);
    }
}
