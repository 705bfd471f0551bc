//! Reading a spreadsheet file into rows of cells, whatever it is: .xlsx (streamed cell by cell,
//! so a huge sheet is refused early instead of filling memory), .xls, .ods, or CSV in UTF-8,
//! Windows-1250 or ISO-8859-2 with `;`, `,` or tab, all detected from the bytes, not the name.

use super::limits;
use crate::error::{Error, Result};
use calamine::{Data, DataRef, Dimensions, Ods, Reader, Xls, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::io::{Cursor, Read, Seek};
use std::path::Path;

/// Data rows beyond this are refused: far more than any office sheet, and it bounds memory.
pub const MAX_ROWS: usize = 200_000;
/// Columns beyond this are ignored (a sheet with formatting dragged to column XFD).
pub const MAX_COLUMNS: usize = 100;
/// Files larger than this are refused before reading (a 100k-row sheet is ~10 MB).
pub const MAX_FILE_BYTES: u64 = 150 * 1024 * 1024;

/// One cell as the spreadsheet holds it; what it means depends on the column it is mapped to.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(NaiveDateTime),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a person reads it in the sheet (used for headers and for the rejected-rows file).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => format_number(*f),
            Cell::Bool(b) => if *b { "tak" } else { "nie" }.to_string(),
            Cell::Date(d) if d.time() == chrono::NaiveTime::MIN => d.format("%d.%m.%Y").to_string(),
            Cell::Date(d) => d.format("%d.%m.%Y %H:%M").to_string(),
        }
    }
}

/// Whole numbers without ".0"; others as Rust prints them (no exponent for office-sized values).
pub fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[derive(Debug, Clone)]
pub struct SheetRow {
    /// 1-based, as the spreadsheet program numbers it (and as the user will look it up).
    pub number: u32,
    pub cells: Vec<Cell>,
}

/// What was found out about the file, shown to the user so a wrong guess can be seen.
#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    pub file_name: String,
    /// "xlsx", "xls", "ods" or "csv".
    pub format: String,
    /// CSV only: "UTF-8", "Windows-1250" or "ISO-8859-2".
    pub encoding: Option<String>,
    /// CSV only: ";", "," or "tab".
    pub delimiter: Option<String>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub info: SourceInfo,
    /// Non-blank rows only, in order.
    pub rows: Vec<SheetRow>,
}

fn unreadable(detail: impl std::fmt::Display) -> Error {
    Error::BadArgument(format!(
        "Nie udało się odczytać arkusza: plik jest uszkodzony albo niepełny ({detail})."
    ))
}

fn too_many_rows() -> Error {
    Error::BadArgument(
        "Arkusz ma więcej niż 200 000 wierszy. Podziel go na mniejsze pliki i wczytaj je po kolei."
            .into(),
    )
}

fn password_protected() -> Error {
    Error::BadArgument("Plik jest zabezpieczony hasłem. Otwórz go w Excelu lub LibreOffice, zapisz bez hasła i wczytaj ponownie.".into())
}

fn load(path: &Path) -> Result<(Vec<u8>, String, String)> {
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("plik")
        .to_string();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::BadArgument(format!("Nie ma pliku {}.", path.display()))
        }
        _ => Error::Io(e),
    })?;
    if meta.is_dir() {
        return Err(Error::BadArgument(format!(
            "{} to folder, nie plik.",
            path.display()
        )));
    }
    if meta.len() == 0 {
        return Err(Error::BadArgument("Plik jest pusty.".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::BadArgument(format!(
            "Plik jest za duży ({} MB; najwyżej {} MB). Podziel go na mniejsze pliki.",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path)?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    Ok((bytes, file_name, extension))
}

fn source_info(file_name: &str, format: &str) -> SourceInfo {
    SourceInfo {
        file_name: file_name.to_string(),
        format: format.to_string(),
        encoding: None,
        delimiter: None,
        sheets: Vec::new(),
        sheet: None,
    }
}

/// ODF puts its uncompressed mimetype first; everything else zipped is taken for OOXML.
fn is_ods(bytes: &[u8]) -> bool {
    bytes.len() > 80 && bytes[30..80].windows(11).any(|w| w == b"opendocumen")
}

/// Reads the file; `sheet` picks a worksheet by name, otherwise the first one with data.
pub fn read_sheet(path: &Path, sheet: Option<&str>) -> Result<Sheet> {
    let (bytes, file_name, extension) = load(path)?;
    read_bytes(bytes, &file_name, &extension, sheet)
}

pub fn read_bytes(
    bytes: Vec<u8>,
    file_name: &str,
    extension: &str,
    sheet: Option<&str>,
) -> Result<Sheet> {
    guard(|| read_bytes_unguarded(bytes, file_name, extension, sheet))
}

/// calamine asserts on some malformed files (the fuzzer found a broken .xls that does): a
/// parser's panic becomes "the file is damaged", never a crash of the program.
fn guard<T>(read: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err(unreadable("błąd wewnętrzny czytnika arkuszy")))
}

fn read_bytes_unguarded(
    bytes: Vec<u8>,
    file_name: &str,
    extension: &str,
    sheet: Option<&str>,
) -> Result<Sheet> {
    let info = |format: &str| source_info(file_name, format);
    if bytes.starts_with(b"PK\x03\x04") {
        let zipped = limits::check_zipped(&bytes, is_ods(&bytes))?;
        if is_ods(&bytes) {
            let wb = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::OdsError::Password => password_protected(),
                e => unreadable(e),
            })?;
            return from_ranges(wb, info("ods"), sheet, |_, _| Ok(Vec::new()));
        }
        let mut rows = Vec::new();
        let info = read_xlsx(
            Cursor::new(bytes),
            info("xlsx"),
            sheet,
            zipped,
            &mut |batch, _| {
                rows.extend(batch);
                Ok(())
            },
        )?;
        return Ok(Sheet { info, rows });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // An OLE container: a real .xls, or an .xlsx encrypted with a password.
        let encrypted: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        if bytes
            .windows(encrypted.len())
            .any(|w| w == encrypted.as_slice())
        {
            return Err(password_protected());
        }
        limits::check_xls(&bytes)?;
        let wb = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
            calamine::XlsError::Password => password_protected(),
            e => unreadable(e),
        })?;
        return from_ranges(wb, info("xls"), sheet, |wb: &Xls<_>, name| {
            Ok(wb.merge_cells_by_sheet_name(name).unwrap_or_default())
        });
    }
    let looks_binary = bytes.iter().take(8192).any(|b| *b == 0);
    if looks_binary {
        return Err(Error::BadArgument(
            "To nie jest arkusz ani plik CSV. Wczytać można pliki .xlsx, .xls, .ods i .csv.".into(),
        ));
    }
    if matches!(extension, "xlsx" | "xls" | "ods" | "xlsm") {
        return Err(Error::BadArgument(format!(
            "Plik ma rozszerzenie .{extension}, ale w środku jest zwykły tekst, nie arkusz. Jeśli to plik CSV, zmień rozszerzenie na .csv albo zapisz go w arkuszu jako .{extension}."
        )));
    }
    read_csv(bytes, info("csv"))
}

/// Rows handed on at a time while a large .xlsx is streamed.
const STREAM_BATCH: usize = 5_000;

/// Receives rows in batches as they are read, with an estimate of the sheet's row count.
pub type RowSink<'s> = dyn FnMut(Vec<SheetRow>, usize) -> Result<()> + 's;

/// A vertical merged range as the filler uses it: 1-based rows, columns clamped to those read.
#[derive(Debug, Clone, Copy)]
struct Region {
    top: u32,
    bottom: u32,
    first_col: usize,
    last_col: usize,
}

/// Fills vertically merged cells while rows pass in order: the top row's values are copied into
/// the blank cells below it inside the range. The file's ranges are never expanded row by row
/// (`C3:C1048576` costs one entry, not a million), ranges overlapping an earlier one are dropped
/// (Excel's own repair drops them too), so at any row at most `MAX_COLUMNS` ranges are open and
/// the work per row is bounded whatever the file declares.
struct MergeFiller {
    /// Sorted by top row; `next` is the first not yet reached.
    regions: Vec<Region>,
    next: usize,
    /// Ranges covering the current row, with their top row's non-blank values by column.
    open: Vec<(Region, Vec<(usize, Cell)>)>,
    last_seen: u32,
}

impl MergeFiller {
    /// `last_row` (1-based) clamps the ranges when the sheet's extent is known.
    fn new(merges: &[Dimensions], last_row: u32) -> Self {
        let mut regions: Vec<Region> = merges
            .iter()
            .filter(|m| {
                m.end.0 > m.start.0 && (m.start.1 as usize) < MAX_COLUMNS && m.end.1 >= m.start.1
            })
            .map(|m| Region {
                top: m.start.0.saturating_add(1),
                bottom: m.end.0.saturating_add(1).min(last_row),
                first_col: m.start.1 as usize,
                last_col: (m.end.1 as usize).min(MAX_COLUMNS - 1),
            })
            .filter(|r| r.bottom > r.top)
            .collect();
        regions.sort_by_key(|r| (r.top, r.first_col));
        let mut kept = Vec::with_capacity(regions.len());
        // Ranges open at the current top row; disjoint in columns, so never more than MAX_COLUMNS.
        let mut active: Vec<Region> = Vec::new();
        for r in regions {
            active.retain(|a| a.bottom >= r.top);
            if active
                .iter()
                .any(|a| a.first_col <= r.last_col && r.first_col <= a.last_col)
            {
                continue;
            }
            active.push(r);
            kept.push(r);
        }
        MergeFiller {
            regions: kept,
            next: 0,
            open: Vec::new(),
            last_seen: 0,
        }
    }

    fn apply(&mut self, row: &mut SheetRow) {
        // Rows out of order (a hand-made file) are left as they are rather than searched for.
        if row.number <= self.last_seen {
            return;
        }
        self.last_seen = row.number;
        self.open.retain(|(r, _)| r.bottom >= row.number);
        while let Some(r) = self.regions.get(self.next).copied() {
            if r.top > row.number {
                break;
            }
            self.next += 1;
            // A range whose top row was blank (so never passed by) has nothing to copy.
            if r.top == row.number {
                let tops = (r.first_col..=r.last_col)
                    .filter_map(|c| {
                        row.cells
                            .get(c)
                            .filter(|v| !v.is_blank())
                            .map(|v| (c, v.clone()))
                    })
                    .collect();
                self.open.push((r, tops));
            }
        }
        for (r, tops) in &self.open {
            if r.top == row.number {
                continue;
            }
            for (col, top) in tops {
                if row.cells.len() <= *col {
                    row.cells.resize(col + 1, Cell::Empty);
                }
                if row.cells[*col].is_blank() {
                    row.cells[*col] = top.clone();
                }
            }
        }
    }
}

/// Streams the cells of an .xlsx sheet into `sink` in batches, without holding the sheet.
fn read_xlsx<RS: Read + Seek>(
    rs: RS,
    mut info: SourceInfo,
    wanted: Option<&str>,
    zipped: limits::Zipped,
    sink: &mut RowSink<'_>,
) -> Result<SourceInfo> {
    let mut wb: Xlsx<RS> = Xlsx::new(rs).map_err(|e| match e {
        calamine::XlsxError::Password => password_protected(),
        e => unreadable(e),
    })?;
    let names = wb.sheet_names();
    info.sheets = names.clone();
    let candidates = pick_sheets(&names, wanted)?;
    for name in candidates {
        // The sheet's declared extent is not trusted for clamping (some writers always say "A1").
        // calamine finds a sheet's merges only by parsing all of its XML once more; the zip
        // check already saw whether any merge spans rows (a title merged across is not one).
        let merges = if zipped.vertical_merges {
            wb.merge_cells_by_sheet_name(&name).unwrap_or_default()
        } else {
            Vec::new()
        };
        let mut filler = MergeFiller::new(&merges, u32::MAX);
        let mut reader = wb.worksheet_cells_reader(&name).map_err(unreadable)?;
        let dims = reader.dimensions();
        let estimate = dims.end.0.saturating_sub(dims.start.0) as usize + 1;
        if estimate > MAX_ROWS + 1000 {
            return Err(too_many_rows());
        }
        let mut batch: Vec<SheetRow> = Vec::new();
        let mut sent = 0usize;
        let mut width = 8;
        while let Some(cell) = reader.next_cell().map_err(unreadable)? {
            let (r, c) = cell.get_position();
            if c as usize >= MAX_COLUMNS {
                continue;
            }
            let value = from_data_ref(cell.get_value());
            if value.is_blank() {
                continue;
            }
            let number = r + 1;
            if batch.last().map(|l| l.number) != Some(number) {
                if sent + batch.len() >= MAX_ROWS + 100 {
                    return Err(too_many_rows());
                }
                if batch.len() >= STREAM_BATCH {
                    for row in batch.iter_mut() {
                        filler.apply(row);
                    }
                    sent += batch.len();
                    sink(std::mem::take(&mut batch), estimate)?;
                }
                batch.push(SheetRow {
                    number,
                    cells: Vec::with_capacity(width),
                });
            }
            let row = batch.last_mut().expect("pushed above");
            if row.cells.len() <= c as usize {
                row.cells.resize(c as usize + 1, Cell::Empty);
                width = width.max(row.cells.len());
            }
            row.cells[c as usize] = value;
        }
        drop(reader);
        if sent > 0 || !batch.is_empty() {
            for row in batch.iter_mut() {
                filler.apply(row);
            }
            sink(batch, estimate)?;
            info.sheet = Some(name);
            return Ok(info);
        }
    }
    Err(empty_sheet())
}

/// Reads a file and hands its rows to `sink` in batches as they are read (an .xlsx is never
/// held whole; the other formats are small enough to read first).
pub fn stream_sheet(
    path: &Path,
    sheet: Option<&str>,
    sink: &mut RowSink<'_>,
) -> Result<SourceInfo> {
    let (bytes, file_name, extension) = load(path)?;
    if bytes.starts_with(b"PK\x03\x04") && !is_ods(&bytes) {
        return guard(|| {
            let zipped = limits::check_zipped(&bytes, false)?;
            read_xlsx(
                Cursor::new(bytes),
                source_info(&file_name, "xlsx"),
                sheet,
                zipped,
                sink,
            )
        });
    }
    let whole = read_bytes(bytes, &file_name, &extension, sheet)?;
    let total = whole.rows.len();
    let mut rows = whole.rows;
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(STREAM_BATCH));
        sink(rows, total)?;
        rows = rest;
    }
    Ok(whole.info)
}

fn empty_sheet() -> Error {
    Error::BadArgument("Arkusz jest pusty: nie ma w nim żadnych danych.".into())
}

fn pick_sheets(names: &[String], wanted: Option<&str>) -> Result<Vec<String>> {
    match wanted.filter(|w| !w.is_empty()) {
        Some(w) => match names.iter().find(|n| n.as_str() == w) {
            Some(n) => Ok(vec![n.clone()]),
            None => Err(Error::BadArgument(format!("W pliku nie ma arkusza „{w}”."))),
        },
        None => Ok(names.to_vec()),
    }
}

fn from_ranges<RS, R>(
    mut wb: R,
    mut info: SourceInfo,
    wanted: Option<&str>,
    merges_of: impl Fn(&R, &str) -> Result<Vec<Dimensions>>,
) -> Result<Sheet>
where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let names = wb.sheet_names();
    info.sheets = names.clone();
    for name in pick_sheets(&names, wanted)? {
        let range = wb.worksheet_range(&name).map_err(unreadable)?;
        let Some((start_row, start_col)) = range.start() else {
            continue;
        };
        if range.height() > MAX_ROWS + 1000 {
            return Err(too_many_rows());
        }
        let mut rows = Vec::new();
        // Data starting beyond the columns read is skipped whole: padding every row out to
        // column 16,000 first took the fuzzer's .ods 85 seconds.
        let start_col = (start_col as usize).min(MAX_COLUMNS);
        for (i, data_row) in range.rows().enumerate() {
            if start_col == MAX_COLUMNS {
                break;
            }
            let mut cells = vec![Cell::Empty; start_col];
            cells.extend(data_row.iter().map(from_data).take(MAX_COLUMNS - start_col));
            if cells.iter().all(Cell::is_blank) {
                continue;
            }
            while cells.last().is_some_and(Cell::is_blank) {
                cells.pop();
            }
            rows.push(SheetRow {
                number: start_row + i as u32 + 1,
                cells,
            });
        }
        if !rows.is_empty() {
            let merges = merges_of(&wb, &name)?;
            fill_vertical_merges(&mut rows, &merges);
            info.sheet = Some(name);
            return Ok(Sheet { info, rows });
        }
    }
    Err(empty_sheet())
}

/// A city or organisation merged down over several rows belongs to each of them; the sheet
/// keeps the value only in the top cell. Merges across columns (titles) stay as they are.
fn fill_vertical_merges(rows: &mut [SheetRow], merges: &[Dimensions]) {
    let last_row = rows.last().map_or(0, |r| r.number);
    let mut filler = MergeFiller::new(merges, last_row);
    for row in rows.iter_mut() {
        filler.apply(row);
    }
}

fn from_data(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => dt
            .as_datetime()
            .map(Cell::Date)
            .unwrap_or(Cell::Float(dt.as_f64())),
        Data::DateTime(dt) => Cell::Float(dt.as_f64()),
        Data::DateTimeIso(s) => iso_date(s)
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

fn from_data_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty | DataRef::Error(_) => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Int(i) => Cell::Int(*i),
        DataRef::Float(f) => Cell::Float(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) if dt.is_datetime() => dt
            .as_datetime()
            .map(Cell::Date)
            .unwrap_or(Cell::Float(dt.as_f64())),
        DataRef::DateTime(dt) => Cell::Float(dt.as_f64()),
        DataRef::DateTimeIso(s) => iso_date(s)
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::Text(s.clone())),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
    }
}

fn iso_date(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
}

// ----- CSV -------------------------------------------------------------------------------

/// Kartoteka's "CSV for Excel" writes `'=2+3` for `=2+3` (`export::neutralize_formula`); reading
/// such a file back takes the apostrophe off, so an export imports unchanged.
fn without_formula_guard(v: &str) -> &str {
    match v.strip_prefix('\'') {
        Some(rest) if crate::export::neutralize_formula(rest).len() != rest.len() => rest,
        _ => v,
    }
}

/// Polish text in a legacy code page: Windows-1250 uses 0x80-0x9F for letters (ś, ź, Ś, Ź)
/// and quotes („”), which ISO-8859-2 keeps for control codes; without those bytes the code
/// points of ą/ś/ź (1250: B9 9C 9F, 8859-2: B1 B6 BC) decide.
fn detect_encoding(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return encoding_rs::UTF_8;
    }
    let mut win = 0usize;
    let mut iso = 0usize;
    for b in bytes {
        match b {
            0x80..=0x9F => win += 10,
            0xB9 | 0xA5 => win += 1,
            0xB1 | 0xB6 | 0xBC | 0xA1 | 0xA6 | 0xAC => iso += 1,
            _ => {}
        }
    }
    if iso > win {
        encoding_rs::ISO_8859_2
    } else {
        encoding_rs::WINDOWS_1250
    }
}

/// The separator that splits the first lines into the same, largest number of fields.
fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (b';', 0usize, 0usize);
    for d in [b';', b'\t', b','] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let mut freq = std::collections::HashMap::new();
        for c in counts.iter().filter(|c| **c > 0) {
            *freq.entry(*c).or_insert(0usize) += 1;
        }
        let (fields, agreeing) = freq
            .into_iter()
            .max_by_key(|(c, n)| (*n, *c))
            .unwrap_or((0, 0));
        if (agreeing, fields) > (best.2, best.1) {
            best = (d, fields, agreeing);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

fn read_csv(bytes: Vec<u8>, mut info: SourceInfo) -> Result<Sheet> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let encoding = detect_encoding(body);
    let (text, _) = encoding.decode_without_bom_handling(body);
    let delimiter = detect_delimiter(&text);
    info.encoding = Some(
        match encoding.name() {
            "windows-1250" => "Windows-1250",
            "ISO-8859-2" => "ISO-8859-2",
            _ => "UTF-8",
        }
        .to_string(),
    );
    info.delimiter = Some(match delimiter {
        b'\t' => "tab".to_string(),
        d => (d as char).to_string(),
    });
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // The reader's own line numbers count skipped blank lines wrongly; count newlines instead.
    let bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1u32);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(unreadable(e)),
        }
        let mut start = record
            .position()
            .map(|p| p.byte() as usize)
            .unwrap_or(counted_to)
            .min(bytes.len());
        while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
            start += 1;
        }
        if start > counted_to {
            line += bytes[counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u32;
            counted_to = start;
        }
        let number = line;
        let cells: Vec<Cell> = record
            .iter()
            .take(MAX_COLUMNS)
            .map(|v| {
                if v.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(without_formula_guard(v).to_string())
                }
            })
            .collect();
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        if rows.len() >= MAX_ROWS + 100 {
            return Err(too_many_rows());
        }
        rows.push(SheetRow { number, cells });
    }
    if rows.is_empty() {
        return Err(empty_sheet());
    }
    Ok(Sheet { info, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1250_and_iso_8859_2_are_told_apart() {
        let (win, _, _) =
            encoding_rs::WINDOWS_1250.encode("Stowarzyszenie „Świetlik”; Łódź; źródło");
        assert_eq!(detect_encoding(&win), encoding_rs::WINDOWS_1250);
        let (iso, _, _) = encoding_rs::ISO_8859_2.encode("Fundacja ąś; Zaścianek; źdźbło ąą");
        assert_eq!(detect_encoding(&iso), encoding_rs::ISO_8859_2);
        assert_eq!(detect_encoding("Łódź".as_bytes()), encoding_rs::UTF_8);
    }

    #[test]
    fn delimiter_is_the_one_that_splits_lines_evenly() {
        assert_eq!(
            detect_delimiter("Nazwa;Miasto;NIP\nA, B;Łódź;1\nC;D;2\n"),
            b';'
        );
        assert_eq!(detect_delimiter("Nazwa,Miasto\n\"A; B\",Łódź\nC,D\n"), b',');
        assert_eq!(
            detect_delimiter("Nazwa\tMiasto\tKRS\nA, B\tŁódź\t1\n"),
            b'\t'
        );
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_and_skip_blank_lines() {
        let sheet = read_bytes(
            b"Lista\n\nNazwa;Miasto\nA;B\n;\nC;D\n".to_vec(),
            "a.csv",
            "csv",
            None,
        )
        .unwrap();
        let numbers: Vec<u32> = sheet.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![1, 3, 4, 6]);
    }

    #[test]
    fn the_apostrophe_of_a_neutralised_formula_comes_off_on_import() {
        let sheet = read_bytes(
            "Nazwa;Telefon\n'=2+3;'+48 600 100 200\n'zwykły;'\n"
                .as_bytes()
                .to_vec(),
            "a.csv",
            "csv",
            None,
        )
        .unwrap();
        assert_eq!(
            sheet.rows[1].cells,
            vec![
                Cell::Text("=2+3".into()),
                Cell::Text("+48 600 100 200".into())
            ]
        );
        assert_eq!(
            sheet.rows[2].cells,
            vec![Cell::Text("'zwykły".into()), Cell::Text("'".into())]
        );
    }

    #[test]
    fn overlapping_and_whole_column_merges_fill_once_and_stay_bounded() {
        let rows = |n: u32| -> Vec<SheetRow> {
            (1..=n)
                .map(|number| SheetRow {
                    number,
                    cells: vec![
                        Cell::Empty,
                        Cell::Empty,
                        if number == 3 {
                            Cell::Text("Łódź".into())
                        } else {
                            Cell::Empty
                        },
                    ],
                })
                .collect()
        };
        let whole_column = Dimensions {
            start: (2, 2),
            end: (1_048_575, 2),
        };
        // 20,000 copies of C3:C1048576: the old filler listed each range under every one of its rows.
        let merges = vec![whole_column; 20_000];
        let started = std::time::Instant::now();
        let mut sheet = rows(50_000);
        fill_vertical_merges(&mut sheet, &merges);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(sheet[1].cells[2], Cell::Empty, "above the range");
        assert!(sheet[2..]
            .iter()
            .all(|r| r.cells[2] == Cell::Text("Łódź".into())));
        // A range overlapping an earlier one is dropped, as Excel's repair does.
        let mut sheet = rows(6);
        sheet[0].cells[2] = Cell::Text("góra".into());
        fill_vertical_merges(
            &mut sheet,
            &[
                Dimensions {
                    start: (0, 2),
                    end: (3, 2),
                },
                Dimensions {
                    start: (2, 2),
                    end: (5, 2),
                },
            ],
        );
        let column: Vec<String> = sheet.iter().map(|r| r.cells[2].display()).collect();
        assert_eq!(column, ["góra", "góra", "Łódź", "góra", "", ""]);
    }

    #[test]
    fn a_text_file_named_xlsx_is_refused_with_a_reason() {
        let err = read_bytes(b"Nazwa;Miasto\n".to_vec(), "a.xlsx", "xlsx", None).unwrap_err();
        assert!(err.to_string().contains("zwykły tekst"), "{err}");
    }
}
