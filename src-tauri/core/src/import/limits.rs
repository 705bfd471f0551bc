//! Checks made on a spreadsheet before calamine reads it, so that a small hostile file cannot
//! make the import allocate gigabytes: the zip's declared unzipped sizes, the number of merged
//! ranges, an .ods's repeated rows and columns and an .xls's cell area as calamine would expand
//! them. Running out of memory aborts the process (`catch_unwind` cannot catch it), so every check
//! here runs before the allocation it prevents, and counts what calamine would allocate.

use super::read::MAX_ROWS;
use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// All entries of an .xlsx/.ods together, unzipped. A 100,000-row export's sheet is ~60 MB;
/// more than this would take long to read even when it fits in memory.
pub const MAX_UNZIPPED_BYTES: u64 = 1024 * 1024 * 1024;
/// Entries in the zip: an office file has a few dozen; the zip reader keeps each one's header.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Merged ranges in one worksheet: a register sheet merges a city over groups of rows, at most
/// one range per two rows of the largest accepted sheet.
pub const MAX_MERGES: usize = MAX_ROWS / 2;
/// Cells an .ods or .xls may expand to (repeated rows and columns, the area between the first and
/// the last cell), e.g. 60,000 rows of 25 columns. calamine holds every one of them at once, the
/// import converts them beside it (~210 bytes a cell with a short text, measured): this keeps
/// the peak near 400 MB. An .xlsx is streamed and has no such limit.
pub const MAX_CELLS: u64 = 1_500_000;

fn too_many_merges() -> Error {
    Error::BadArgument(format!(
        "Arkusz ma ponad {} scalonych obszarów komórek. Tak wielu nie ma żaden rejestr: plik jest uszkodzony albo przygotowany, by zablokować program. Rozdziel scalone komórki (w Excelu: Scal i wyśrodkuj → Rozdziel komórki) i zapisz plik ponownie.",
        group(MAX_MERGES as u64)
    ))
}

fn too_many_cells(cells: u64) -> Error {
    Error::BadArgument(format!(
        "Arkusz rozwija się do {} komórek (wiersze i kolumny powtórzone albo dane rozrzucone daleko od siebie); wczytać można najwyżej {}. Usuń puste wiersze i kolumny na końcu arkusza, skopiuj same dane do nowego pliku albo zapisz arkusz jako .xlsx (ten format jest czytany po kawałku i nie ma tego ograniczenia).",
        group(cells),
        group(MAX_CELLS)
    ))
}

fn too_big_unzipped() -> Error {
    Error::BadArgument(format!(
        "Plik po rozpakowaniu ma ponad {} MB (arkusz jest spakowany). Tak dużego arkusza nie da się wczytać: podziel go na mniejsze pliki.",
        MAX_UNZIPPED_BYTES / (1024 * 1024)
    ))
}

fn damaged(detail: impl std::fmt::Display) -> Error {
    Error::BadArgument(format!(
        "Nie udało się odczytać arkusza: plik jest uszkodzony albo niepełny ({detail})."
    ))
}

/// 5000000 → "5 000 000", as Polish text writes large numbers.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// An .xlsx or .ods: the zip's directory is read (not its contents) and its declared sizes
/// checked; the zip reader refuses to unpack more than an entry declares, so these bound what
/// calamine can unpack. Then the worksheets' merged ranges (.xlsx) or the table's expansion (.ods).
pub fn check_zipped(bytes: &[u8], ods: bool) -> Result<Zipped> {
    if zip_entry_count(bytes).is_some_and(|n| n > MAX_ZIP_ENTRIES) {
        return Err(damaged(format!(
            "ponad {MAX_ZIP_ENTRIES} plików w archiwum"
        )));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(damaged(format!(
            "ponad {MAX_ZIP_ENTRIES} plików w archiwum"
        )));
    }
    let mut total = 0u64;
    let mut sheets = Vec::new();
    for i in 0..zip.len() {
        let entry = zip.by_index_data(i).map_err(damaged)?;
        total = total.saturating_add(entry.size());
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        // Every entry of an .xlsx: the workbook's relationships may place a sheet anywhere.
        if !ods || name == "content.xml" {
            sheets.push(i);
        }
    }
    if total > MAX_UNZIPPED_BYTES {
        return Err(too_big_unzipped());
    }
    let mut found = Zipped::default();
    for i in sheets {
        let file = zip.by_index(i).map_err(damaged)?;
        if ods {
            check_ods_content(file)?;
        } else {
            found.vertical_merges |= check_merge_count(file)?;
        }
    }
    Ok(found)
}

/// What the checks saw on the way, so that the reader need not look again.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Zipped {
    /// Some entry of the .xlsx may merge cells over more than one row (or has a merge this scan
    /// could not read). Only such merges change the rows read (`read::MergeFiller`); without
    /// them the reader skips calamine's merge lookup, a second full parse of the sheet.
    pub vertical_merges: bool,
}

/// The entry count from the end-of-central-directory record, read before the zip reader builds
/// its table of every entry (a 150 MB file of empty entries would make that table gigabytes).
fn zip_entry_count(bytes: &[u8]) -> Option<usize> {
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[tail_start..];
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let record = tail.get(at..at + 22)?;
    // 0xFFFF means "see the zip64 record", which only archives of over 65,534 entries or 4 GB
    // need; a spreadsheet within MAX_FILE_BYTES never does, so it counts as too many.
    Some(u16::from_le_bytes([record[10], record[11]]) as usize)
}

/// calamine collects every `<mergeCell>` of a sheet into one vector before we can look at them;
/// counting the name's occurrences in the unzipped XML (an element's name cannot be written with
/// entities) is an upper bound on that vector, taken in one pass without parsing. The same pass
/// reads each merge's `ref` and returns whether any spans more than one row (or could not be
/// read, which counts as "maybe": the reader then asks calamine).
fn check_merge_count(mut xml: impl Read) -> Result<bool> {
    const NAME: &[u8] = b"mergeCell";
    let finder = memchr::memmem::Finder::new(NAME);
    let mut buf = vec![0u8; 1 << 20];
    let mut kept = 0usize;
    let mut count = 0usize;
    let mut vertical = false;
    loop {
        let n = xml.read(&mut buf[kept..]).map_err(damaged)?;
        if n == 0 {
            break;
        }
        let filled = kept + n;
        // `mergeCells` (the container) is counted too: a harmless overestimate by one.
        for at in finder.find_iter(&buf[..filled]) {
            count += 1;
            if !vertical {
                vertical = merge_may_span_rows(&buf[..filled], at, NAME.len());
            }
        }
        if count > MAX_MERGES + 1 {
            return Err(too_many_merges());
        }
        // Keep the last bytes so a name split between two reads is found once, in the next one.
        kept = (NAME.len() - 1).min(filled);
        buf.copy_within(filled - kept..filled, 0);
    }
    Ok(vertical)
}

/// Whether the occurrence of `mergeCell` at `at` in `buf` may be a merge over several rows.
/// Anything else named alike (the `mergeCells` container, a closing tag, a longer name, text
/// in a cell) is not; a merge tag cut by the end of the buffer, too long, or whose `ref` does
/// not read as `A1` or `A1:B2` is taken as "maybe".
fn merge_may_span_rows(buf: &[u8], at: usize, name_len: usize) -> bool {
    let Some(&after) = buf.get(at + name_len) else {
        return true;
    };
    if !matches!(after, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>') {
        return false; // `mergeCells` or another name: not a merge element
    }
    // `</mergeCell>` or `</x:mergeCell>`: the end of one already looked at.
    let mut back = at;
    if back > 0 && buf[back - 1] == b':' {
        back -= 1;
        while back > 0 && (buf[back - 1].is_ascii_alphanumeric() || b"_-.".contains(&buf[back - 1]))
        {
            back -= 1;
        }
    }
    if back == 0 {
        return true;
    }
    match buf[back - 1] {
        b'/' => return false,
        b'<' => {}
        _ => return false, // not a tag: the word inside a cell's text
    }
    let tag = &buf[at + name_len..buf.len().min(at + name_len + 512)];
    let Some(end) = tag.iter().position(|b| *b == b'>') else {
        return true;
    };
    let mut rest = &tag[..end];
    // The attributes, as calamine reads them: `ref` without a namespace prefix.
    loop {
        rest = rest.trim_ascii_start();
        if rest.is_empty() || rest == b"/" {
            return true; // no `ref`: calamine would refuse or skip it; let it decide
        }
        let Some(eq) = rest.iter().position(|b| *b == b'=') else {
            return true;
        };
        let key = rest[..eq].trim_ascii();
        let value = rest[eq + 1..].trim_ascii_start();
        let Some((&quote, value)) = value.split_first() else {
            return true;
        };
        if quote != b'"' && quote != b'\'' {
            return true;
        }
        let Some(close) = value.iter().position(|b| *b == quote) else {
            return true;
        };
        if key == b"ref" {
            return match value[..close].split(|b| *b == b':').collect::<Vec<_>>()[..] {
                [one] => cell_row(one).is_none(),
                [first, last] => match (cell_row(first), cell_row(last)) {
                    (Some(a), Some(b)) => a != b,
                    _ => true,
                },
                _ => true,
            };
        }
        rest = &value[close + 1..];
    }
}

/// The row of a cell reference such as `AB12`.
fn cell_row(r: &[u8]) -> Option<u64> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &r[letters..];
    if letters == 0 || digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// What calamine's .ods reader would hold for one table: it expands a cell repeated across
/// columns into that many cells (up to column 16,384), and every row between the first and the
/// last non-empty one, each repeated as declared, into the full width between the first and last
/// non-empty column.
#[derive(Default)]
struct OdsTable {
    /// Cells pushed while reading rows (before the rows' own repeats are expanded).
    pushed: u64,
    /// Declared repeats of the rows up to the last non-empty one, counted from the first.
    rows_to_last: u64,
    rows_pending: u64,
    seen_content: bool,
    col_min: u64,
    col_max: u64,
}

impl OdsTable {
    fn expanded(&self) -> u64 {
        if !self.seen_content {
            return self.pushed;
        }
        let width = self.col_max.saturating_sub(self.col_min) + 1;
        self.pushed
            .saturating_add(self.rows_to_last.saturating_mul(width))
    }
}

const ODS_MAX_COLUMNS: u64 = 16_384;
const ODS_MAX_ROWS: u64 = 1_048_576;

fn repeat_attr(e: &BytesStart<'_>, name: &str) -> Result<u64> {
    for attr in e.attributes().flatten() {
        if attr.key.as_ref() == name {
            let text = &attr.value;
            return text
                .trim()
                .parse::<u64>()
                .map_err(|_| damaged(format!("liczba powtórzeń „{text}”")));
        }
    }
    Ok(1)
}

/// Walks content.xml as calamine will and refuses a table that would expand beyond
/// `MAX_CELLS` (summed over all tables: calamine reads them all when it opens the file) or whose
/// rows up to the last one with data exceed the import's row limit.
fn check_ods_content(xml: impl Read) -> Result<()> {
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(xml));
    let mut buf = Vec::new();
    let mut total = 0u64;
    let mut table = OdsTable::default();
    // Inside a row: the column reached, empty cells waiting for a non-empty one, the row's repeat.
    let mut in_row = false;
    let mut col = 0u64;
    let mut empty_pending = 0u64;
    let mut row_repeat = 1u64;
    let mut row_has_content = false;
    let mut row_first = u64::MAX;
    let mut row_last = 0u64;
    // A cell's content decides whether it is empty: a value attribute or any child element.
    let mut cell: Option<(u64, bool)> = None;
    let mut depth_in_cell = 0usize;
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(damaged)?;
        match event {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty_element = matches!(event, Event::Empty(_));
                let name = e.name();
                let name = name.as_ref();
                if cell.is_some() {
                    if let Some((_, content)) = cell.as_mut() {
                        *content = true;
                    }
                    if !empty_element {
                        depth_in_cell += 1;
                    }
                    continue;
                }
                match name {
                    "table:table" if !empty_element => table = OdsTable::default(),
                    // calamine reads only rows written as start and end tags; `<table:table-row/>` it skips.
                    "table:table-row" if !empty_element => {
                        row_repeat =
                            repeat_attr(e, "table:number-rows-repeated")?.min(ODS_MAX_ROWS);
                        in_row = true;
                        col = 0;
                        empty_pending = 0;
                        row_has_content = false;
                        row_first = u64::MAX;
                        row_last = 0;
                    }
                    "table:table-cell" | "table:covered-table-cell" if in_row => {
                        let repeat = repeat_attr(e, "table:number-columns-repeated")?;
                        let valued = e.attributes().flatten().any(|a| {
                            let k = a.key.as_ref();
                            k == "office:value-type"
                                || k == "office:value"
                                || k == "office:date-value"
                                || k == "office:time-value"
                                || k == "office:boolean-value"
                                || k == "office:string-value"
                                || k == "table:formula"
                        });
                        if empty_element {
                            close_cell(
                                &mut table,
                                &mut col,
                                &mut empty_pending,
                                repeat,
                                valued,
                                &mut row_has_content,
                                &mut row_first,
                                &mut row_last,
                            );
                        } else {
                            cell = Some((repeat, valued));
                            depth_in_cell = 0;
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => {
                if let Some((repeat, content)) = cell {
                    if depth_in_cell > 0 {
                        depth_in_cell -= 1;
                        continue;
                    }
                    cell = None;
                    close_cell(
                        &mut table,
                        &mut col,
                        &mut empty_pending,
                        repeat,
                        content,
                        &mut row_has_content,
                        &mut row_first,
                        &mut row_last,
                    );
                    continue;
                }
                match e.name().as_ref() {
                    "table:table-row" if in_row => {
                        in_row = false;
                        if row_has_content {
                            let rows = if table.seen_content {
                                table.rows_pending.saturating_add(row_repeat)
                            } else {
                                row_repeat
                            };
                            table.rows_to_last = table.rows_to_last.saturating_add(rows);
                            table.rows_pending = 0;
                            table.col_min = if table.seen_content {
                                table.col_min.min(row_first)
                            } else {
                                row_first
                            };
                            table.col_max = table.col_max.max(row_last);
                            table.seen_content = true;
                        } else if table.seen_content {
                            table.rows_pending = table.rows_pending.saturating_add(row_repeat);
                        }
                        if table.rows_to_last > (MAX_ROWS as u64) + 1000 {
                            return Err(Error::BadArgument(
                                "Arkusz ma więcej niż 200 000 wierszy. Podziel go na mniejsze pliki i wczytaj je po kolei.".into(),
                            ));
                        }
                        if total.saturating_add(table.expanded()) > MAX_CELLS {
                            return Err(too_many_cells(total.saturating_add(table.expanded())));
                        }
                    }
                    "table:table" => {
                        total = total.saturating_add(table.expanded());
                        table = OdsTable::default();
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if !t.chars().all(char::is_whitespace) => {
                if let Some((_, content)) = cell.as_mut() {
                    *content = true;
                }
            }
            _ => {}
        }
        if total.saturating_add(table.pushed) > MAX_CELLS {
            return Err(too_many_cells(total.saturating_add(table.pushed)));
        }
    }
    Ok(())
}

/// One cell closed: calamine pushes the empty cells before a non-empty one, then the non-empty
/// one as many times as it repeats, each capped at the row's 16,384 columns.
#[allow(clippy::too_many_arguments)]
fn close_cell(
    table: &mut OdsTable,
    col: &mut u64,
    empty_pending: &mut u64,
    repeat: u64,
    content: bool,
    has: &mut bool,
    first: &mut u64,
    last: &mut u64,
) {
    if !content {
        *empty_pending = repeat;
        return;
    }
    let empties = (*empty_pending).min(ODS_MAX_COLUMNS.saturating_sub(*col));
    *col += empties;
    *empty_pending = 0;
    let filled = repeat.min(ODS_MAX_COLUMNS.saturating_sub(*col));
    table.pushed = table.pushed.saturating_add(empties + filled);
    if filled > 0 {
        *has = true;
        *first = (*first).min(*col);
        *last = (*last).max(*col + filled - 1);
    }
    *col += filled;
}

/// What calamine's .xls reader allocates when it opens the file: for every sheet (all of them,
/// at once) a vector reserved as large as the sheet's DIMENSIONS record claims, every cell
/// record pushed into it, then a dense grid over the area between the first and the last cell,
/// and the same for formulas. The records are walked as calamine walks them, from each sheet's
/// offset in the workbook globals, skipping embedded charts.
pub fn check_xls(bytes: &[u8]) -> Result<()> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
    let mut stream = Vec::new();
    let mut workbook = match file.open_stream("/Workbook") {
        Ok(s) => s,
        Err(_) => file.open_stream("/Book").map_err(damaged)?,
    };
    workbook
        .by_ref()
        .take(bytes.len() as u64)
        .read_to_end(&mut stream)
        .map_err(damaged)?;
    let mut sheets = Vec::new();
    for (typ, data) in Records(&stream) {
        match typ {
            0x0085 if data.len() >= 4 => {
                sheets.push(u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize)
            }
            0x000A => break,
            _ => {}
        }
    }
    let (mut reserved, mut pushed, mut area, mut merges) = (0u64, 0u64, 0u64, 0u64);
    for pos in sheets {
        let Some(sheet) = stream.get(pos..) else {
            continue;
        };
        let mut cells = Area::default();
        let mut formulas = Area::default();
        let (mut seen_bof, mut depth) = (false, 0usize);
        for (typ, data) in Records(sheet) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = |i: usize| {
                data.get(i..i + 2)
                    .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as u32)
            };
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x0200 => reserved = reserved.saturating_add(declared_dimension(data)),
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0207 if data.len() >= 4 => {
                    pushed += 1;
                    cells.add(at(0), at(2), at(2));
                }
                0x00BD if data.len() >= 6 => {
                    let (first, last) = (at(2), at(data.len() - 2));
                    pushed = pushed.saturating_add(u64::from(last.saturating_sub(first)) + 1);
                    cells.add(at(0), first, last.max(first));
                }
                0x0006 if data.len() >= 4 => {
                    pushed += 1;
                    cells.add(at(0), at(2), at(2));
                    formulas.add(at(0), at(2), at(2));
                }
                0x00E5 => merges = merges.saturating_add(u64::from(at(0))),
                0x000A => break,
                _ => {}
            }
        }
        area = area
            .saturating_add(cells.size())
            .saturating_add(formulas.size());
    }
    if merges > MAX_MERGES as u64 {
        return Err(too_many_merges());
    }
    let worst = reserved.max(pushed).max(area);
    if worst > MAX_CELLS {
        return Err(too_many_cells(worst));
    }
    Ok(())
}

/// The cell count calamine reserves for a DIMENSIONS record, computed as it does (including the
/// wrap-around of a first row after the last one, which makes the request enormous).
fn declared_dimension(r: &[u8]) -> u64 {
    let u16_at = |i: usize| u16::from_le_bytes([r[i], r[i + 1]]) as u32;
    let u32_at = |i: usize| u32::from_le_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]);
    let (rf, rl, mut cf, cl) = match r.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return 0,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (end_row, end_col) = if rl >= 1 && cl >= 1 {
        (rl - 1, cl - 1)
    } else {
        (rf, cf)
    };
    let rows = u64::from(end_row.wrapping_sub(rf).wrapping_add(1));
    let cols = u64::from(end_col.wrapping_sub(cf).wrapping_add(1));
    rows.saturating_mul(cols)
}

/// The bounding box of the cells seen so far.
#[derive(Default)]
struct Area(Option<(u32, u32, u32, u32)>);

impl Area {
    fn add(&mut self, row: u32, first_col: u32, last_col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, first_col, last_col),
            Some((r0, r1, c0, c1)) => (
                r0.min(row),
                r1.max(row),
                c0.min(first_col),
                c1.max(last_col),
            ),
        });
    }

    fn size(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

/// BIFF records: a type, a length and that many bytes; a truncated record ends the walk (calamine
/// refuses the file there).
struct Records<'a>(&'a [u8]);

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let head = self.0.get(..4)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = u16::from_le_bytes([head[2], head[3]]) as usize;
        let data = self.0.get(4..4 + len)?;
        self.0 = &self.0[4 + len..];
        Some((typ, data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zipped(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, body) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    fn ods(rows: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table table:name="A">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        zipped(&[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", &content),
        ])
    }

    #[test]
    fn an_ods_row_repeated_a_million_times_is_refused_before_reading() {
        let bomb = ods(
            r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="100"><text:p>x</text:p></table:table-cell></table:table-row>"#,
        );
        let err = check_zipped(&bomb, true).unwrap_err().to_string();
        assert!(err.contains("200 000 wierszy"), "{err}");
    }

    #[test]
    fn an_ods_cell_repeated_across_all_columns_in_many_rows_is_refused() {
        let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row>"#;
        let bomb = ods(&row.repeat(400));
        let err = check_zipped(&bomb, true).unwrap_err().to_string();
        assert!(err.contains("komórek"), "{err}");
    }

    #[test]
    fn an_ordinary_ods_passes() {
        let rows = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Nazwa</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"/><table:table-cell><text:p>Miasto</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16379"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;
        check_zipped(&ods(rows), true).unwrap();
    }

    #[test]
    fn merged_ranges_beyond_the_limit_are_refused_and_split_names_are_counted_once() {
        let many = format!(
            "<worksheet><mergeCells>{}</mergeCells></worksheet>",
            r#"<mergeCell ref="C3:C1048576"/>"#.repeat(MAX_MERGES + 5)
        );
        let err = check_zipped(&zipped(&[("xl/worksheets/sheet1.xml", &many)]), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("scalonych"), "{err}");
        let few = format!(
            "<worksheet><mergeCells>{}</mergeCells></worksheet>",
            r#"<mergeCell ref="C3:C1048576"/>"#.repeat(MAX_MERGES - 5)
        );
        check_zipped(&zipped(&[("xl/worksheets/sheet1.xml", &few)]), false).unwrap();
    }

    /// The reader skips calamine's merge lookup only when no merge can span rows: a title merged
    /// across is not one; a merge down a column, one the scan cannot read, or one in any entry
    /// (the scan does not know which entry is which sheet) is.
    #[test]
    fn merges_over_several_rows_are_told_from_titles_merged_across() {
        let sheet = |merges: &str| {
            let xml = format!(
                r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCell ref="A1:A9" w tekście</t></is></c></row></sheetData>{merges}</worksheet>"#
            );
            check_zipped(&zipped(&[("xl/worksheets/sheet1.xml", &xml)]), false)
                .unwrap()
                .vertical_merges
        };
        assert!(!sheet(""));
        assert!(!sheet(
            r#"<mergeCells count="2"><mergeCell ref="A1:N1"/><mergeCell ref='B2:C2'></mergeCell></mergeCells>"#
        ));
        assert!(!sheet(
            r#"<x:mergeCells><x:mergeCell ref="A1:N1" /><x:mergeCell ref="D4"/></x:mergeCells>"#
        ));
        assert!(sheet(
            r#"<mergeCells><mergeCell ref="A1:N1"/><mergeCell ref="G5:G6"/></mergeCells>"#
        ));
        assert!(sheet(
            r#"<x:mergeCells><x:mergeCell ref="C3:C1048576"/></x:mergeCells>"#
        ));
        assert!(sheet(
            r#"<mergeCells><mergeCell ref="A1&#58;B9"/></mergeCells>"#
        ));
        assert!(sheet(r#"<mergeCells><mergeCell xml:id="1"/></mergeCells>"#));
        let other_entry = zipped(&[
            ("xl/worksheets/sheet1.xml", "<worksheet/>"),
            (
                "xl/worksheets/sheet2.xml",
                r#"<worksheet><mergeCells><mergeCell ref="A2:A3"/></mergeCells></worksheet>"#,
            ),
        ]);
        assert!(check_zipped(&other_entry, false).unwrap().vertical_merges);
    }

    /// A BIFF8 workbook with one sheet whose records are `sheet`, in a real compound file.
    fn xls(sheet: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let record = |out: &mut Vec<u8>, typ: u16, data: &[u8]| {
            out.extend(typ.to_le_bytes());
            out.extend((data.len() as u16).to_le_bytes());
            out.extend(data);
        };
        let bof = |dt: u16| [&0x0600u16.to_le_bytes()[..], &dt.to_le_bytes(), &[0u8; 12]].concat();
        let mut globals = Vec::new();
        record(&mut globals, 0x0809, &bof(0x0005));
        // BoundSheet8: the sheet's offset is patched in once the globals' length is known.
        let boundsheet_at = globals.len() + 4;
        record(&mut globals, 0x0085, &[0, 0, 0, 0, 0, 0, 1, 0, b'A']);
        record(&mut globals, 0x000A, &[]);
        let offset = globals.len() as u32;
        globals[boundsheet_at..boundsheet_at + 4].copy_from_slice(&offset.to_le_bytes());
        record(&mut globals, 0x0809, &bof(0x0010));
        for (typ, data) in sheet {
            record(&mut globals, *typ, data);
        }
        record(&mut globals, 0x000A, &[]);
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        file.create_stream("/Workbook")
            .unwrap()
            .write_all(&globals)
            .unwrap();
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    fn number(row: u16, col: u16) -> (u16, Vec<u8>) {
        (
            0x0203,
            [
                &row.to_le_bytes()[..],
                &col.to_le_bytes(),
                &0u16.to_le_bytes(),
                &1.0f64.to_le_bytes(),
            ]
            .concat(),
        )
    }

    fn dimensions(
        first_row: u32,
        last_row_plus_one: u32,
        first_col: u16,
        last_col_plus_one: u16,
    ) -> (u16, Vec<u8>) {
        (
            0x0200,
            [
                &first_row.to_le_bytes()[..],
                &last_row_plus_one.to_le_bytes(),
                &first_col.to_le_bytes(),
                &last_col_plus_one.to_le_bytes(),
                &[0, 0],
            ]
            .concat(),
        )
    }

    #[test]
    fn an_xls_claiming_or_spanning_a_huge_area_is_refused_before_calamine_allocates_it() {
        use crate::import::read::read_bytes;
        // A first row after the last: calamine's reservation wraps to ~4 billion rows and the
        // allocation aborts the process (no panic to catch).
        let wrapped = xls(&[dimensions(10, 1, 0, 1), number(0, 0)]);
        let err = read_bytes(wrapped, "a.xls", "xls", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("komórek"), "{err}");
        // Two cells at opposite corners: a dense grid of 65,536 × 256 cells (~1 GB with formulas).
        let corners = xls(&[dimensions(0, 1, 0, 1), number(0, 0), number(65_535, 255)]);
        let err = read_bytes(corners, "a.xls", "xls", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("komórek"), "{err}");
        // An honest small sheet passes the check (calamine then reads it).
        check_xls(&xls(&[dimensions(0, 2, 0, 2), number(0, 0), number(1, 1)])).unwrap();
    }

    #[test]
    fn a_zip_of_too_many_entries_is_refused_before_the_zip_reader_lists_them() {
        let names: Vec<String> = (0..=MAX_ZIP_ENTRIES).map(|i| format!("x/{i}")).collect();
        let entries: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "")).collect();
        let err = check_zipped(&zipped(&entries), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("plików w archiwum"), "{err}");
    }

    #[test]
    fn large_numbers_are_grouped_by_thousands() {
        assert_eq!(group(5_000_000), "5 000 000");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1 000");
    }
}
