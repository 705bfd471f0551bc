//! Spreadsheet import: a file is read (`read`), its header row found and mapped (`columns`),
//! and every data row turned into the same drafts a form produces, with Polish problems per row
//! and column and duplicate checks against the file itself and the register. `analyze` writes
//! nothing; `Kartoteka::import` (`ops`) writes the accepted rows as one undoable batch.

use super::columns::{column_letter, FieldSpec};
use super::read::{format_number, Cell, Sheet, SheetRow, SourceInfo};
use crate::ids::{Isbn, Krs, Nip};
use crate::register::*;
use crate::text::{clean_block, clean_line, fold, split_list};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    #[default]
    Organizations,
    People,
    Library,
}

impl ImportKind {
    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Organizations => "organizations",
            ImportKind::People => "people",
            ImportKind::Library => "library",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            ImportKind::Organizations,
            ImportKind::People,
            ImportKind::Library,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// What happens to a row that matches a record already in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    #[default]
    Skip,
    Update,
    Add,
}

impl DuplicatePolicy {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "skip" => Some(Self::Skip),
            "update" => Some(Self::Update),
            "add" => Some(Self::Add),
            _ => None,
        }
    }
}

/// The user's choices; everything is optional and guessed when absent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    pub kind: ImportKind,
    pub sheet: Option<String>,
    /// Spreadsheet row number of the header row.
    pub header_row: Option<u32>,
    /// Field code (or null to ignore) for each column, as corrected in the preview.
    pub columns: Option<Vec<Option<String>>>,
    /// Header text -> field code, from a saved profile or a `--mapping` file.
    pub header_mapping: Option<BTreeMap<String, String>>,
    pub on_duplicate: DuplicatePolicy,
    /// Per-row exceptions to `on_duplicate`, by spreadsheet row number.
    pub row_decisions: BTreeMap<u32, DuplicatePolicy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in one cell (or row), numbered as in the spreadsheet.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub row: u32,
    /// The column's header as written in the sheet, or its letter when it has none.
    pub column: Option<String>,
    pub column_letter: Option<String>,
    pub field: Option<String>,
    pub message: String,
    pub severity: Severity,
}

#[derive(Debug, Clone, Serialize)]
pub struct DuplicateFound {
    pub row: u32,
    /// "KRS", "NIP", "REGON", "e-mail", "nazwa i miejscowość", "ISBN", ...
    pub matched_on: String,
    pub existing_id: Option<i64>,
    pub existing_name: Option<String>,
    /// Set when the row repeats an earlier row of the same file.
    pub same_as_row: Option<u32>,
    pub decision: DuplicatePolicy,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnInfo {
    pub index: usize,
    pub letter: String,
    pub header: String,
    pub field: Option<String>,
    pub samples: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Insert,
    Update,
    Skip,
    Reject,
}

#[derive(Debug, Clone, Serialize)]
pub struct PreviewRow {
    pub row: u32,
    pub action: RowAction,
    /// Values as they will be stored, in the order of `ImportPreview::preview_fields`.
    pub values: Vec<String>,
}

/// Everything the preview screen shows; nothing has been written.
#[derive(Debug, Clone, Serialize)]
pub struct ImportPreview {
    pub source: SourceInfo,
    pub kind: ImportKind,
    pub header_row: u32,
    pub columns: Vec<ColumnInfo>,
    pub fields: Vec<FieldSpec>,
    pub rows_total: usize,
    pub to_insert: usize,
    pub to_update: usize,
    pub skipped_duplicates: usize,
    pub rejected_rows: usize,
    pub problems: Vec<Problem>,
    pub problems_total: usize,
    pub duplicates: Vec<DuplicateFound>,
    pub duplicates_total: usize,
    /// Rows left out as not data: totals ("Razem", "Suma") below the table.
    pub ignored_rows: Vec<u32>,
    pub preview_fields: Vec<String>,
    pub preview: Vec<PreviewRow>,
}

/// The CLI's and the window's summary after an import (or a dry run).
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub batch_id: Option<i64>,
    pub dry_run: bool,
    pub file: String,
    pub imported: usize,
    pub updated: usize,
    pub skipped_duplicates: usize,
    pub rejected: Vec<Rejection>,
    pub warnings: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rejection {
    pub row: u32,
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct ImportProgress {
    /// "reading", "checking" or "writing".
    pub phase: &'static str,
    pub done: usize,
    pub total: usize,
}

/// Lists in the preview are capped: a 100k-row file with a wrong mapping would otherwise send
/// 100k problems over IPC.
const PREVIEW_PROBLEMS: usize = 500;
const PREVIEW_ROWS: usize = 30;

// ----- the register as duplicate checks see it ------------------------------------------------

/// Keys of everything in the register, built once per analysis so that 100k rows are checked
/// in memory instead of with 400k queries.
pub struct RegisterIndex {
    keys: HashMap<String, (i64, String)>,
    org_by_name: HashMap<String, Vec<i64>>,
    org_by_number: HashMap<String, i64>,
    /// Spheres with the `name_key` of their names, for matching names written in a sheet.
    areas: Vec<(ActivityArea, String)>,
}

fn name_key(s: &str) -> String {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn org_keys(d: &OrganizationDraft) -> Vec<(String, &'static str)> {
    let mut keys = Vec::new();
    if let Some(v) = &d.krs {
        keys.push((format!("krs:{}", v.as_str()), "KRS"));
    }
    if let Some(v) = &d.nip {
        keys.push((format!("nip:{}", v.as_str()), "NIP"));
    }
    if let Some(v) = &d.regon {
        keys.push((format!("regon:{}", v.as_str()), "REGON"));
    }
    keys.extend(
        d.emails
            .iter()
            .map(|e| (format!("email:{}", e.as_str()), "e-mail")),
    );
    keys.push((
        format!(
            "name:{}|{}",
            name_key(&d.name),
            name_key(d.city.as_deref().unwrap_or(""))
        ),
        "nazwa i miejscowość",
    ));
    keys
}

fn person_keys(d: &PersonDraft) -> Vec<(String, &'static str)> {
    let mut keys: Vec<(String, &'static str)> = d
        .emails
        .iter()
        .map(|e| (format!("email:{}", e.as_str()), "e-mail"))
        .collect();
    for (org, _) in &d.roles {
        keys.push((
            format!(
                "person:{} {}|{org}",
                name_key(&d.last_name),
                name_key(&d.first_name)
            ),
            "imię, nazwisko i organizacja",
        ));
    }
    keys
}

fn book_keys(d: &LibraryDraft) -> Vec<(String, &'static str)> {
    let mut keys = Vec::new();
    if let Some(i) = &d.isbn {
        keys.push((format!("isbn:{}", i.as_str()), "ISBN"));
    }
    keys.push((
        format!(
            "book:{}|{}",
            name_key(&d.title),
            name_key(d.author.as_deref().unwrap_or(""))
        ),
        "tytuł i autor",
    ));
    keys
}

impl RegisterIndex {
    pub fn build(kind: ImportKind, ids: &RegisterIdentities, areas: Vec<ActivityArea>) -> Self {
        let mut keys = HashMap::new();
        let mut org_by_name: HashMap<String, Vec<i64>> = HashMap::new();
        let mut org_by_number = HashMap::new();
        let mut put = |k: String, id: i64, name: &str| {
            keys.entry(k).or_insert_with(|| (id, name.to_string()));
        };
        let org_names: HashMap<i64, &str> = ids
            .organizations
            .iter()
            .map(|o| (o.id, o.name.as_str()))
            .collect();
        for o in &ids.organizations {
            org_by_name.entry(name_key(&o.name)).or_default().push(o.id);
            if let Some(k) = &o.krs {
                org_by_number.insert(format!("krs:{k}"), o.id);
            }
            if let Some(n) = &o.nip {
                org_by_number.insert(format!("nip:{n}"), o.id);
            }
            if kind == ImportKind::Organizations {
                for (prefix, v) in [("krs", &o.krs), ("nip", &o.nip), ("regon", &o.regon)] {
                    if let Some(v) = v {
                        put(format!("{prefix}:{v}"), o.id, &o.name);
                    }
                }
                put(
                    format!(
                        "name:{}|{}",
                        name_key(&o.name),
                        name_key(o.city.as_deref().unwrap_or(""))
                    ),
                    o.id,
                    &o.name,
                );
            }
        }
        match kind {
            ImportKind::Organizations => {
                for (id, email) in &ids.organization_emails {
                    put(
                        format!("email:{email}"),
                        *id,
                        org_names.get(id).copied().unwrap_or(""),
                    );
                }
            }
            ImportKind::People => {
                let names: HashMap<i64, String> = ids
                    .people
                    .iter()
                    .map(|p| (p.id, format!("{} {}", p.first_name, p.last_name)))
                    .collect();
                let keys_of: HashMap<i64, String> = ids
                    .people
                    .iter()
                    .map(|p| {
                        (
                            p.id,
                            format!("{} {}", name_key(&p.last_name), name_key(&p.first_name)),
                        )
                    })
                    .collect();
                for (id, email) in &ids.person_emails {
                    put(
                        format!("email:{email}"),
                        *id,
                        names.get(id).map(String::as_str).unwrap_or(""),
                    );
                }
                for (id, org) in &ids.person_organizations {
                    if let Some(k) = keys_of.get(id) {
                        put(
                            format!("person:{k}|{org}"),
                            *id,
                            names.get(id).map(String::as_str).unwrap_or(""),
                        );
                    }
                }
            }
            ImportKind::Library => {
                for b in &ids.books {
                    if let Some(i) = &b.isbn {
                        put(format!("isbn:{i}"), b.id, &b.title);
                    }
                    put(
                        format!(
                            "book:{}|{}",
                            name_key(&b.title),
                            name_key(b.author.as_deref().unwrap_or(""))
                        ),
                        b.id,
                        &b.title,
                    );
                }
            }
        }
        let areas = areas.into_iter().map(|a| {
            let key = name_key(&a.name);
            (a, key)
        });
        RegisterIndex {
            keys,
            org_by_name,
            org_by_number,
            areas: areas.collect(),
        }
    }

    /// A person's organisation as a sheet names it: KRS or NIP digits, or the exact name.
    fn find_organization(&self, raw: &str) -> Result<i64, String> {
        let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
        let only_number = raw.chars().all(|c| c.is_ascii_digit() || " -.".contains(c))
            || raw.trim().to_lowercase().starts_with("krs");
        if only_number && !digits.is_empty() && digits.len() <= 10 {
            let krs = format!("krs:{digits:0>10}");
            if let Some(id) = self
                .org_by_number
                .get(&krs)
                .or_else(|| self.org_by_number.get(&format!("nip:{digits}")))
            {
                return Ok(*id);
            }
            return Err(format!(
                "W rejestrze nie ma organizacji o numerze KRS ani NIP „{}”.",
                raw.trim()
            ));
        }
        match self.org_by_name.get(&name_key(raw)).map(Vec::as_slice) {
            Some([id]) => Ok(*id),
            Some([_, _, ..]) => Err(format!(
                "W rejestrze jest kilka organizacji o nazwie „{}”: wpisz w tej kolumnie KRS albo NIP właściwej.",
                raw.trim()
            )),
            _ => Err(format!(
                "W rejestrze nie ma organizacji „{}”. Najpierw wczytaj lub dodaj organizację, albo wpisz jej KRS lub NIP.",
                raw.trim()
            )),
        }
    }
}

// ----- reading cells as field values -----------------------------------------------------------

/// The text of a cell for a field. Numbers lost their leading zeros in the sheet (KRS, REGON,
/// postal codes), dates came as dates or as serial numbers: put them back the way they are written.
fn cell_text(field: &str, cell: &Cell) -> Result<String, String> {
    let whole = |f: f64| (f.fract() == 0.0 && (0.0..1e15).contains(&f)).then_some(f as i64);
    let number = match cell {
        Cell::Empty => return Ok(String::new()),
        Cell::Text(t) => return Ok(t.clone()),
        Cell::Bool(b) => return Ok(if *b { "tak" } else { "nie" }.into()),
        Cell::Date(dt) => {
            return match field {
                "member_since" | "member_until" => Ok(dt.date().format("%Y-%m-%d").to_string()),
                "year" => Ok(dt.date().format("%Y").to_string()),
                "postal_code" => Err(format!(
                    "Arkusz zamienił kod pocztowy na datę ({}). Wpisz go w komórce jako tekst, np. 00-950.",
                    cell.display()
                )),
                _ => Ok(cell.display()),
            };
        }
        Cell::Int(i) => Some(*i),
        Cell::Float(f) => whole(*f),
    };
    let fallback = || match cell {
        Cell::Float(f) => format_number(*f),
        other => other.display(),
    };
    let Some(n) = number.filter(|n| *n >= 0) else {
        return Ok(fallback());
    };
    Ok(match field {
        "krs" | "nip" if n < 10_000_000_000 => format!("{n:010}"),
        "regon" if n < 1_000_000_000 => format!("{n:09}"),
        "regon" => format!("{n:014}"),
        "isbn" if n < 10_000_000_000 => format!("{n:010}"),
        "postal_code" if n < 100_000 => {
            let s = format!("{n:05}");
            format!("{}-{}", &s[..2], &s[2..])
        }
        // An Excel date serial (1954..2119) in a date column formatted as a number.
        "member_since" | "member_until" if (20_000..80_000).contains(&n) => {
            chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(n)))
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| n.to_string())
        }
        _ => n.to_string(),
    })
}

fn parse_yes_no(raw: &str) -> Result<bool, String> {
    match raw.trim() {
        "+" | "✓" | "✔" => return Ok(true),
        "-" | "–" => return Ok(false),
        _ => {}
    }
    match name_key(raw).as_str() {
        "" | "nie" | "n" | "no" | "false" | "falsz" | "0" | "brak" => Ok(false),
        "tak" | "t" | "x" | "v" | "1" | "yes" | "y" | "true" | "prawda" | "opp" | "jest"
        | "czlonek" => Ok(true),
        _ => Err(format!("Wpisz „tak” albo „nie” (jest „{}”).", raw.trim())),
    }
}

/// Legal forms as offices write them, including abbreviations; unknown text gives None.
fn legal_form_from_text(raw: &str) -> Option<LegalForm> {
    let t = name_key(raw);
    if let Some(f) = LegalForm::ALL.into_iter().find(|f| {
        f.code() == raw.trim() || f.code().replace('_', " ") == t || name_key(f.label_en()) == t
    }) {
        return Some(f);
    }
    let has = |w: &str| t.contains(w);
    Some(if has("zwykle") {
        LegalForm::StowarzyszenieZwykle
    } else if has("spoldzielnia socjalna") {
        LegalForm::SpoldzielniaSocjalna
    } else if has("fundacj") {
        LegalForm::Fundacja
    } else if has("kgw") || has("kolo gospodyn") {
        LegalForm::KoloGospodynWiejskich
    } else if t == "osp" || has("ochotnicza straz") {
        LegalForm::OchotniczaStrazPozarna
    } else if has("klub sportowy") || t == "uks" || t == "ks" || has("uczniowski klub") {
        LegalForm::KlubSportowy
    } else if has("stowarzysz") || t == "stow" {
        LegalForm::Stowarzyszenie
    } else if has("grupa nieformalna") {
        LegalForm::GrupaNieformalna
    } else {
        return None;
    })
}

/// When the sheet has no legal-form column, the name usually says it ("Fundacja ...").
fn legal_form_from_name(name: &str) -> LegalForm {
    let t = name_key(name);
    let first = t.split(' ').next().unwrap_or("");
    if t.starts_with("stowarzyszenie zwykle") {
        LegalForm::StowarzyszenieZwykle
    } else if first == "fundacja" {
        LegalForm::Fundacja
    } else if first == "stowarzyszenie" || first == "towarzystwo" || first == "zwiazek" {
        LegalForm::Stowarzyszenie
    } else if t.starts_with("ochotnicza straz pozarna") || first == "osp" {
        LegalForm::OchotniczaStrazPozarna
    } else if t.starts_with("kolo gospodyn") {
        LegalForm::KoloGospodynWiejskich
    } else if t.starts_with("spoldzielnia socjalna") {
        LegalForm::SpoldzielniaSocjalna
    } else if t.contains("klub sportowy") {
        LegalForm::KlubSportowy
    } else {
        LegalForm::Inna
    }
}

/// "ul. Piotrkowska 12, 90-001 Łódź" -> ("ul. Piotrkowska 12", "90-001", "Łódź").
fn split_address(address: &str) -> Option<(String, String, String)> {
    let chars: Vec<char> = address.chars().collect();
    for i in 0..chars.len().saturating_sub(5) {
        let w = &chars[i..i + 6];
        let is_code = w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == '-'
            && w[3..].iter().all(char::is_ascii_digit);
        let bounded = (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 6).is_none_or(|c| !c.is_ascii_digit());
        if is_code && bounded {
            let before: String = chars[..i].iter().collect();
            let after: String = chars[i + 6..].iter().collect();
            let street = before.trim().trim_end_matches(',').trim().to_string();
            let city = after.trim().trim_start_matches(',').trim().to_string();
            return Some((street, w.iter().collect(), city));
        }
    }
    None
}

/// Spheres written as point numbers ("1, 32a", "pkt 5") or names; unknown ones are reported.
/// `areas` pairs each sphere with the `name_key` of its name.
fn resolve_areas(raw: &str, areas: &[(ActivityArea, String)]) -> (Vec<String>, Vec<String>) {
    let mut codes = Vec::new();
    let mut unknown = Vec::new();
    for item in split_list(raw) {
        let bare = item
            .trim_start_matches("pkt")
            .trim_start_matches('.')
            .trim()
            .trim_end_matches(')')
            .trim_end_matches('.')
            .to_lowercase();
        let by_code = areas.iter().map(|(a, _)| a).find(|a| a.code == bare);
        let by_name = by_code.or_else(|| {
            let key = name_key(&item);
            let exact = areas.iter().find(|(_, k)| *k == key).map(|(a, _)| a);
            exact.or_else(|| {
                let partial: Vec<&ActivityArea> = areas
                    .iter()
                    .filter(|(_, k)| key.len() >= 4 && k.contains(&key))
                    .map(|(a, _)| a)
                    .collect();
                (partial.len() == 1).then(|| partial[0])
            })
        });
        match by_name {
            Some(a) if !codes.contains(&a.code) => codes.push(a.code.clone()),
            Some(_) => {}
            None => unknown.push(item),
        }
    }
    (codes, unknown)
}

fn append(target: &mut String, text: &str) {
    if !target.is_empty() {
        target.push('\n');
    }
    target.push_str(text);
}

fn split_full_name(raw: &str, reversed: bool) -> (String, String) {
    let words: Vec<&str> = raw.split_whitespace().collect();
    match words.len() {
        0 => (String::new(), String::new()),
        1 => (String::new(), words[0].to_string()),
        _ if reversed => (words[1..].join(" "), words[0].to_string()),
        n => (words[..n - 1].join(" "), words[n - 1].to_string()),
    }
}

// ----- analysis --------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub enum Record {
    /// The row as typed (kept only for rows that update a record: merging needs it) and parsed.
    Organization(Option<Box<OrganizationInput>>, Box<OrganizationDraft>),
    Person(Option<Box<PersonInput>>, Box<PersonDraft>, bool),
    Book(Box<LibraryDraft>),
}

#[derive(Debug, Clone)]
pub struct AnalyzedRow {
    pub number: u32,
    pub action: RowAction,
    pub record: Option<Record>,
    /// The register record to update (action Update).
    pub target: Option<i64>,
    pub problems: Vec<Problem>,
}

pub struct Analysis {
    pub source: SourceInfo,
    pub kind: ImportKind,
    pub header_row: u32,
    pub headers: Vec<String>,
    pub mapping: Vec<Option<&'static str>>,
    pub rows: Vec<AnalyzedRow>,
    pub duplicates: Vec<DuplicateFound>,
    pub ignored_rows: Vec<u32>,
}

fn mapping_for(
    kind: ImportKind,
    headers: &[String],
    options: &ImportOptions,
) -> Result<Vec<Option<&'static str>>, crate::Error> {
    if let Some(cols) = &options.columns {
        let mut out = Vec::with_capacity(headers.len());
        for i in 0..headers.len() {
            let code = cols.get(i).cloned().flatten().filter(|c| !c.is_empty());
            match code {
                None => out.push(None),
                Some(c) => match super::columns::field(kind, &c) {
                    Some(spec) => out.push(Some(spec.code)),
                    None => {
                        return Err(crate::Error::BadArgument(format!(
                            "Nieznane pole „{c}” w przypisaniu kolumn."
                        )))
                    }
                },
            }
        }
        return Ok(out);
    }
    let mut mapping = super::columns::auto_mapping(kind, headers);
    if let Some(by_header) = &options.header_mapping {
        let wanted: HashMap<String, &String> = by_header
            .iter()
            .map(|(h, f)| (super::columns::normalize_header(h), f))
            .collect();
        for (i, h) in headers.iter().enumerate() {
            if let Some(code) = wanted.get(&super::columns::normalize_header(h)) {
                if code.is_empty() || code.as_str() == "-" {
                    mapping[i] = None;
                } else {
                    let spec = super::columns::field(kind, code).ok_or_else(|| {
                        crate::Error::BadArgument(format!(
                            "Nieznane pole „{code}” w przypisaniu kolumny „{h}”."
                        ))
                    })?;
                    mapping[i] = Some(spec.code);
                }
            }
        }
    }
    Ok(mapping)
}

fn is_totals_row(row: &SheetRow) -> bool {
    let first = row.cells.iter().find(|c| !c.is_blank());
    let filled = row.cells.iter().filter(|c| !c.is_blank()).count();
    matches!(first, Some(Cell::Text(t)) if {
        let k = name_key(t);
        ["razem", "suma", "ogolem", "lacznie", "total", "podsumowanie"].iter().any(|w| k == *w || k.starts_with(&format!("{w} ")))
    }) && filled <= 3
}

struct RowBuilder<'a> {
    headers: &'a [String],
    mapping: &'a [Option<&'static str>],
    index: &'a RegisterIndex,
    area_codes: &'a [String],
}

impl RowBuilder<'_> {
    fn problem(
        &self,
        row: u32,
        field: Option<&str>,
        message: String,
        severity: Severity,
    ) -> Problem {
        let col = field.and_then(|f| self.mapping.iter().position(|m| *m == Some(f)));
        Problem {
            row,
            column: col.map(|c| {
                let h = self.headers[c].trim();
                if h.is_empty() {
                    column_letter(c)
                } else {
                    h.to_string()
                }
            }),
            column_letter: col.map(column_letter),
            field: field.map(str::to_string),
            message,
            severity,
        }
    }

    /// (field, text) for each mapped, non-empty cell; conversion problems go to `problems`.
    fn values(&self, row: &SheetRow, problems: &mut Vec<Problem>) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (col, code) in self.mapping.iter().enumerate() {
            let Some(code) = code else { continue };
            let Some(cell) = row.cells.get(col) else {
                continue;
            };
            match cell_text(code, cell) {
                Ok(t) if t.trim().is_empty() => {}
                Ok(t) => out.push((*code, t)),
                Err(message) => {
                    problems.push(self.problem(row.number, Some(code), message, Severity::Error))
                }
            }
        }
        out
    }

    fn invalid_to_problems(&self, row: u32, err: crate::Error, problems: &mut Vec<Problem>) {
        match err {
            crate::Error::Invalid(errors) => {
                for e in errors {
                    let field = match e.field.as_str() {
                        "roles" => "organization",
                        f => f,
                    };
                    let field = if self.mapping.contains(&Some(field)) {
                        Some(field)
                    } else {
                        None
                    };
                    problems.push(self.problem(row, field, e.message, Severity::Error));
                }
            }
            other => problems.push(self.problem(row, None, other.to_string(), Severity::Error)),
        }
    }

    fn organization(&self, row: &SheetRow, problems: &mut Vec<Problem>) -> Option<Record> {
        let mut input = OrganizationInput::default();
        let mut legal_raw: Option<String> = None;
        let mut member = false;
        for (code, text) in self.values(row, problems) {
            let yes_no = |problems: &mut Vec<Problem>| match parse_yes_no(&text) {
                Ok(b) => b,
                Err(m) => {
                    problems.push(self.problem(row.number, Some(code), m, Severity::Error));
                    false
                }
            };
            match code {
                "name" => input.name = text,
                "short_name" => input.short_name = text,
                "legal_form" => legal_raw = Some(text),
                "krs" => input.krs = text,
                "nip" => input.nip = text,
                "regon" => input.regon = text,
                "public_benefit" => input.public_benefit = yes_no(problems),
                "street" => input.street = text,
                "building" => input.building = text,
                "postal_code" => input.postal_code = text,
                "city" => input.city = text,
                "gmina" => input.gmina = text,
                "powiat" => input.powiat = text,
                "voivodeship" => input.voivodeship = text,
                "phones" => append(&mut input.phones, &text),
                "emails" => append(&mut input.emails, &text),
                "website" => input.website = text,
                "areas" => {
                    let (codes, unknown) = resolve_areas(&text, &self.index.areas);
                    input
                        .areas
                        .extend(codes.into_iter().filter(|c| self.area_codes.contains(c)));
                    for u in unknown {
                        let message = format!("Nie rozpoznano sfery pożytku publicznego „{u}”: pominięto ją (sfery można dopisać później).");
                        problems.push(self.problem(
                            row.number,
                            Some(code),
                            message,
                            Severity::Warning,
                        ));
                    }
                }
                "description" => input.description = text,
                "tags" => append(&mut input.tags, &text),
                "notes" => append(&mut input.notes, &text),
                "member" => member = yes_no(problems),
                "member_since" => input.member_since = text,
                "member_until" => input.member_until = text,
                "directory_consent" => input.directory_consent = yes_no(problems),
                _ => {}
            }
        }
        if input.postal_code.trim().is_empty() && input.city.trim().is_empty() {
            if let Some((street, code, city)) = split_address(&input.street) {
                input.street = street;
                input.postal_code = code;
                input.city = city;
            }
        }
        let form = match legal_raw
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(raw) => legal_form_from_text(raw).unwrap_or_else(|| {
                let message =
                    format!("Nie rozpoznano formy prawnej „{raw}”: zapisano jako „inna”.");
                problems.push(self.problem(
                    row.number,
                    Some("legal_form"),
                    message,
                    Severity::Warning,
                ));
                LegalForm::Inna
            }),
            None => legal_form_from_name(&input.name),
        };
        input.legal_form = form.code().to_string();
        if member && input.member_since.trim().is_empty() {
            input.member_since = chrono::Local::now()
                .date_naive()
                .format("%Y-%m-%d")
                .to_string();
        }
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return None;
        }
        match input.parse(self.area_codes) {
            Ok(draft) => Some(Record::Organization(Some(Box::new(input)), Box::new(draft))),
            Err(e) => {
                self.invalid_to_problems(row.number, e, problems);
                None
            }
        }
    }

    fn person(&self, row: &SheetRow, problems: &mut Vec<Problem>) -> Option<Record> {
        let mut input = PersonInput::default();
        let mut organization: Option<String> = None;
        let mut role: Option<String> = None;
        let mut consent = false;
        for (code, text) in self.values(row, problems) {
            match code {
                "first_name" => input.first_name = text,
                "last_name" => input.last_name = text,
                "full_name" | "full_name_reversed" => {
                    let (first, last) = split_full_name(&text, code == "full_name_reversed");
                    if input.first_name.is_empty() {
                        input.first_name = first;
                    }
                    if input.last_name.is_empty() {
                        input.last_name = last;
                    }
                }
                "emails" => append(&mut input.emails, &text),
                "phones" => append(&mut input.phones, &text),
                "organization" => organization = Some(text),
                "role" => role = clean_line(&text),
                "consent_email" => match parse_yes_no(&text) {
                    Ok(b) => consent = b,
                    Err(m) => {
                        problems.push(self.problem(row.number, Some(code), m, Severity::Error))
                    }
                },
                "notes" => append(&mut input.notes, &text),
                _ => {}
            }
        }
        match organization
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(org) => match self.index.find_organization(org) {
                Ok(id) => input.roles.push(RoleInput {
                    organization_id: id,
                    role: role.unwrap_or_else(|| "osoba kontaktowa".into()),
                }),
                Err(m) => problems.push(self.problem(
                    row.number,
                    Some("organization"),
                    m,
                    Severity::Error,
                )),
            },
            None if role.is_some() => {
                let m =
                    "Rola bez organizacji: pominięto ją (podaj organizację w tym samym wierszu)."
                        .to_string();
                problems.push(self.problem(row.number, Some("role"), m, Severity::Warning));
            }
            None => {}
        }
        if input.first_name.trim().is_empty() && input.last_name.trim().is_empty() {
            let field = ["full_name", "last_name", "first_name"]
                .into_iter()
                .find(|f| self.mapping.contains(&Some(*f)));
            problems.push(self.problem(
                row.number,
                field,
                "Brak imienia i nazwiska.".into(),
                Severity::Error,
            ));
        }
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return None;
        }
        match input.parse() {
            Ok(draft) => Some(Record::Person(
                Some(Box::new(input)),
                Box::new(draft),
                consent,
            )),
            Err(e) => {
                let e = match e {
                    // "Podaj imię." under a combined column reads better as one message.
                    crate::Error::Invalid(v)
                        if self.mapping.contains(&Some("full_name"))
                            || self.mapping.contains(&Some("full_name_reversed")) =>
                    {
                        let col = if self.mapping.contains(&Some("full_name")) {
                            "full_name"
                        } else {
                            "full_name_reversed"
                        };
                        crate::Error::Invalid(
                            v.into_iter()
                                .map(|mut fe| {
                                    if fe.field == "first_name" || fe.field == "last_name" {
                                        fe.field = col.into();
                                        fe.message =
                                            "Podaj imię i nazwisko (oba, oddzielone spacją)."
                                                .into();
                                    }
                                    fe
                                })
                                .collect(),
                        )
                    }
                    e => e,
                };
                self.invalid_to_problems(row.number, e, problems);
                problems.dedup_by(|a, b| a.message == b.message && a.field == b.field);
                None
            }
        }
    }

    fn book(&self, row: &SheetRow, problems: &mut Vec<Problem>) -> Option<Record> {
        let mut title = String::new();
        let mut draft = LibraryDraft {
            title: String::new(),
            author: None,
            publisher: None,
            year: None,
            isbn: None,
            shelf_mark: None,
            notes: None,
        };
        let mut notes = String::new();
        let this_year = chrono::Datelike::year(&chrono::Local::now().date_naive());
        for (code, text) in self.values(row, problems) {
            let mut fail =
                |m: String| problems.push(self.problem(row.number, Some(code), m, Severity::Error));
            let line = |t: &str| clean_line(t).map(|s| s.chars().take(500).collect::<String>());
            match code {
                "title" => title = text,
                "author" => draft.author = line(&text),
                "publisher" => draft.publisher = line(&text),
                "shelf_mark" => draft.shelf_mark = line(&text),
                "notes" => append(&mut notes, &text),
                "year" => match text
                    .trim()
                    .trim_end_matches('r')
                    .trim_end_matches('.')
                    .trim()
                    .parse::<i32>()
                {
                    Ok(y) if (1450..=this_year + 1).contains(&y) => draft.year = Some(y),
                    _ => fail(format!(
                        "Rok wydania to liczba, np. 2019 (jest „{}”).",
                        text.trim()
                    )),
                },
                "isbn" => match Isbn::parse(&text) {
                    Ok(i) => draft.isbn = Some(i),
                    Err(e) => fail(e.0),
                },
                _ => {}
            }
        }
        match clean_line(&title) {
            Some(t) => draft.title = t.chars().take(500).collect(),
            None => problems.push(self.problem(
                row.number,
                Some("title"),
                "Brak tytułu.".into(),
                Severity::Error,
            )),
        }
        draft.notes = clean_block(&notes);
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return None;
        }
        Some(Record::Book(Box::new(draft)))
    }
}

/// Reads what the sheet holds and decides, row by row, what an import would do. Writes nothing.
/// The header row as decided, and what each column maps to.
#[derive(Debug, Clone)]
pub struct Header {
    pub row: u32,
    pub headers: Vec<String>,
    pub mapping: Vec<Option<&'static str>>,
}

/// Turns sheet rows into analysed rows as they arrive, so that a large file can be written
/// while it is still being read: finds the header among the first rows, parses rows on all
/// cores, and checks duplicates in file order.
pub struct RowAnalyzer<'a> {
    options: &'a ImportOptions,
    index: &'a RegisterIndex,
    area_codes: Vec<String>,
    /// Rows seen before the header is decided.
    pending: Vec<SheetRow>,
    header: Option<Header>,
    seen: HashMap<String, u32>,
    pub duplicates: Vec<DuplicateFound>,
    pub ignored_rows: Vec<u32>,
}

impl<'a> RowAnalyzer<'a> {
    pub fn new(options: &'a ImportOptions, index: &'a RegisterIndex) -> Self {
        RowAnalyzer {
            options,
            index,
            area_codes: index.areas.iter().map(|(a, _)| a.code.clone()).collect(),
            pending: Vec::new(),
            header: None,
            seen: HashMap::new(),
            duplicates: Vec::new(),
            ignored_rows: Vec::new(),
        }
    }

    pub fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    /// Takes the next rows of the sheet; returns those analysed so far (none while the header
    /// is still being looked for).
    pub fn push(&mut self, rows: &[SheetRow]) -> crate::Result<Vec<AnalyzedRow>> {
        if self.header.is_some() {
            return self.analyze_rows(rows);
        }
        self.pending.extend_from_slice(rows);
        let decided = match self.options.header_row {
            Some(n) => self.pending.iter().any(|r| r.number >= n),
            None => self.pending.len() >= super::columns::HEADER_SEARCH_ROWS,
        };
        if decided {
            self.decide_header()
        } else {
            Ok(Vec::new())
        }
    }

    /// The end of the sheet: analyses whatever still waits for the header decision.
    pub fn finish(&mut self) -> crate::Result<Vec<AnalyzedRow>> {
        if self.header.is_some() {
            return Ok(Vec::new());
        }
        self.decide_header()
    }

    fn decide_header(&mut self) -> crate::Result<Vec<AnalyzedRow>> {
        let kind = self.options.kind;
        let pending = std::mem::take(&mut self.pending);
        let header_idx = match self.options.header_row {
            Some(n) => pending
                .iter()
                .position(|r| r.number == n)
                .ok_or_else(|| crate::Error::BadArgument(format!("Wiersz {n} arkusza jest pusty albo go nie ma: wskaż wiersz z nagłówkami kolumn.")))?,
            None => super::columns::find_header(kind, &pending).ok_or_else(|| {
                let expected = match kind {
                    ImportKind::Organizations => "np. Nazwa, KRS, NIP, Miejscowość, E-mail",
                    ImportKind::People => "np. Imię, Nazwisko, E-mail, Organizacja",
                    ImportKind::Library => "np. Tytuł, Autor, Rok wydania, ISBN, Sygnatura",
                };
                crate::Error::BadArgument(format!(
                    "Nie znaleziono wiersza z nagłówkami kolumn ({expected}). Dodaj nagłówki nad danymi albo wskaż wiersz nagłówka."
                ))
            })?,
        };
        let header_cells = &pending[header_idx].cells;
        let width = pending[header_idx..]
            .iter()
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0);
        let headers: Vec<String> = (0..width)
            .map(|i| {
                header_cells
                    .get(i)
                    .map(Cell::display)
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            })
            .collect();
        let mapping = mapping_for(kind, &headers, self.options)?;
        let required: &[&str] = match kind {
            ImportKind::Organizations => &["name"],
            ImportKind::People => &[],
            ImportKind::Library => &["title"],
        };
        for r in required {
            if !mapping.contains(&Some(*r)) {
                let label = super::columns::field(kind, r)
                    .map(|f| f.label_pl)
                    .unwrap_or(r);
                return Err(crate::Error::BadArgument(format!("Żadna kolumna nie jest przypisana do pola „{label}”, a bez niego nie da się zapisać wiersza.")));
            }
        }
        if kind == ImportKind::People
            && !["full_name", "full_name_reversed", "last_name"]
                .iter()
                .any(|f| mapping.contains(&Some(*f)))
        {
            return Err(crate::Error::BadArgument(
                "Żadna kolumna nie jest przypisana do nazwiska (ani do „Imię i nazwisko”).".into(),
            ));
        }
        self.header = Some(Header {
            row: pending[header_idx].number,
            headers,
            mapping,
        });
        self.analyze_rows(&pending[header_idx + 1..])
    }

    fn analyze_rows(&mut self, data: &[SheetRow]) -> crate::Result<Vec<AnalyzedRow>> {
        let header = self
            .header
            .as_ref()
            .expect("header decided before rows are analysed");
        let kind = self.options.kind;
        let builder = RowBuilder {
            headers: &header.headers,
            mapping: &header.mapping,
            index: self.index,
            area_codes: &self.area_codes,
        };
        // Parsing rows is independent work: spread it over the cores, then check duplicates in order.
        let build = |row: &SheetRow| -> Option<(Option<Record>, Vec<Problem>)> {
            if is_totals_row(row) {
                return None;
            }
            let mut problems = Vec::new();
            let record = match kind {
                ImportKind::Organizations => builder.organization(row, &mut problems),
                ImportKind::People => builder.person(row, &mut problems),
                ImportKind::Library => builder.book(row, &mut problems),
            };
            Some((record, problems))
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let chunk = data.len().div_ceil(threads).max(1_000);
        let built: Vec<Option<(Option<Record>, Vec<Problem>)>> = if data.len() <= chunk {
            data.iter().map(build).collect()
        } else {
            std::thread::scope(|scope| {
                let workers: Vec<_> = data
                    .chunks(chunk)
                    .map(|part| scope.spawn(move || part.iter().map(build).collect::<Vec<_>>()))
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|w| w.join().expect("row parsing does not panic"))
                    .collect()
            })
        };
        let options = self.options;
        let index = self.index;
        let mut rows = Vec::with_capacity(data.len());
        for (row, outcome) in data.iter().zip(built) {
            let Some((record, problems)) = outcome else {
                self.ignored_rows.push(row.number);
                continue;
            };
            let Some(record) = record else {
                rows.push(AnalyzedRow {
                    number: row.number,
                    action: RowAction::Reject,
                    record: None,
                    target: None,
                    problems,
                });
                continue;
            };
            let keys = match &record {
                Record::Organization(_, d) => org_keys(d),
                Record::Person(_, d, _) => person_keys(d),
                Record::Book(d) => book_keys(d),
            };
            let decision = options
                .row_decisions
                .get(&row.number)
                .copied()
                .unwrap_or(options.on_duplicate);
            let in_file = keys
                .iter()
                .find_map(|(k, label)| self.seen.get(k).map(|r| (*r, *label)));
            let in_register = keys.iter().find_map(|(k, label)| {
                index
                    .keys
                    .get(k)
                    .map(|(id, name)| (*id, name.clone(), *label))
            });
            let mut action = RowAction::Insert;
            let mut target = None;
            if let Some((first_row, label)) = in_file.filter(|_| decision != DuplicatePolicy::Add) {
                action = RowAction::Skip;
                self.duplicates.push(DuplicateFound {
                    row: row.number,
                    matched_on: label.into(),
                    existing_id: None,
                    existing_name: None,
                    same_as_row: Some(first_row),
                    decision: DuplicatePolicy::Skip,
                });
            } else if let Some((id, name, label)) = in_register {
                let decision = if kind == ImportKind::Library && decision == DuplicatePolicy::Update
                {
                    DuplicatePolicy::Skip
                } else {
                    decision
                };
                action = match decision {
                    DuplicatePolicy::Skip => RowAction::Skip,
                    DuplicatePolicy::Update => {
                        target = Some(id);
                        RowAction::Update
                    }
                    DuplicatePolicy::Add => RowAction::Insert,
                };
                self.duplicates.push(DuplicateFound {
                    row: row.number,
                    matched_on: label.into(),
                    existing_id: Some(id),
                    existing_name: Some(name),
                    same_as_row: None,
                    decision,
                });
            }
            if action != RowAction::Skip {
                for (k, _) in keys {
                    self.seen.entry(k).or_insert(row.number);
                }
            }
            let record = match record {
                Record::Organization(_, d) if action != RowAction::Update => {
                    Record::Organization(None, d)
                }
                Record::Person(_, d, c) if action != RowAction::Update => {
                    Record::Person(None, d, c)
                }
                other => other,
            };
            rows.push(AnalyzedRow {
                number: row.number,
                action,
                record: Some(record),
                target,
                problems,
            });
        }
        Ok(rows)
    }
}

/// Reads what the sheet holds and decides, row by row, what an import would do. Writes nothing.
pub fn analyze(
    sheet: &Sheet,
    options: &ImportOptions,
    index: &RegisterIndex,
    mut progress: impl FnMut(usize, usize),
) -> crate::Result<Analysis> {
    let mut analyzer = RowAnalyzer::new(options, index);
    let total = sheet.rows.len();
    let mut rows = Vec::with_capacity(total);
    for (i, chunk) in sheet.rows.chunks(10_000).enumerate() {
        progress(i * 10_000, total);
        rows.extend(analyzer.push(chunk)?);
    }
    rows.extend(analyzer.finish()?);
    progress(total, total);
    let header = analyzer
        .header
        .take()
        .expect("finish decides the header or fails");
    Ok(Analysis {
        source: sheet.info.clone(),
        kind: options.kind,
        header_row: header.row,
        headers: header.headers,
        mapping: header.mapping,
        rows,
        duplicates: std::mem::take(&mut analyzer.duplicates),
        ignored_rows: std::mem::take(&mut analyzer.ignored_rows),
    })
}

impl Analysis {
    pub fn count(&self, action: RowAction) -> usize {
        self.rows.iter().filter(|r| r.action == action).count()
    }

    pub fn rejections(&self) -> Vec<Rejection> {
        self.rows
            .iter()
            .filter(|r| r.action == RowAction::Reject)
            .flat_map(|r| r.problems.iter().filter(|p| p.severity == Severity::Error))
            .map(|p| Rejection {
                row: p.row,
                column: p.column.clone(),
                message: p.message.clone(),
            })
            .collect()
    }

    pub fn warnings(&self) -> usize {
        self.rows
            .iter()
            .flat_map(|r| &r.problems)
            .filter(|p| p.severity == Severity::Warning)
            .count()
    }

    /// The preview: columns with samples, counts, the first problems and rows as stored.
    pub fn preview(&self, sheet_rows: &[SheetRow]) -> ImportPreview {
        let specs = super::columns::fields(self.kind);
        let data_start = sheet_rows
            .iter()
            .position(|r| r.number == self.header_row)
            .map(|i| i + 1)
            .unwrap_or(0);
        let columns = self
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| ColumnInfo {
                index: i,
                letter: column_letter(i),
                header: h.clone(),
                field: self.mapping[i].map(str::to_string),
                samples: sheet_rows[data_start..]
                    .iter()
                    .filter_map(|r| {
                        r.cells
                            .get(i)
                            .map(Cell::display)
                            .filter(|s| !s.trim().is_empty())
                    })
                    .take(3)
                    .map(|s| s.chars().take(60).collect())
                    .collect(),
            })
            .collect();
        let mut mapped: Vec<&'static str> = Vec::new();
        for code in self.mapping.iter().flatten() {
            if !mapped.contains(code) {
                mapped.push(code);
            }
        }
        let mut preview_codes: Vec<&'static str> = specs
            .iter()
            .map(|s| s.code)
            .filter(|c| mapped.contains(c))
            .collect();
        if self.kind == ImportKind::Organizations && mapped.contains(&"street") {
            for extra in ["postal_code", "city"] {
                if !preview_codes.contains(&extra) {
                    preview_codes.push(extra);
                }
            }
        }
        if self.kind == ImportKind::People {
            preview_codes.retain(|c| !c.starts_with("full_name"));
            for (i, c) in ["first_name", "last_name"].into_iter().enumerate() {
                if !preview_codes.contains(&c) {
                    preview_codes.insert(i, c);
                }
            }
        }
        let preview_fields = preview_codes
            .iter()
            .map(|c| {
                super::columns::field(self.kind, c)
                    .map(|s| s.label_pl)
                    .unwrap_or(c)
                    .to_string()
            })
            .collect();
        let preview = self
            .rows
            .iter()
            .take(PREVIEW_ROWS)
            .map(|r| PreviewRow {
                row: r.number,
                action: r.action,
                values: match &r.record {
                    Some(rec) => preview_codes.iter().map(|c| stored_value(rec, c)).collect(),
                    None => Vec::new(),
                },
            })
            .collect();
        let all_problems: Vec<&Problem> = self.rows.iter().flat_map(|r| &r.problems).collect();
        ImportPreview {
            source: self.source.clone(),
            kind: self.kind,
            header_row: self.header_row,
            columns,
            fields: specs.to_vec(),
            rows_total: self.rows.len(),
            to_insert: self.count(RowAction::Insert),
            to_update: self.count(RowAction::Update),
            skipped_duplicates: self.count(RowAction::Skip),
            rejected_rows: self.count(RowAction::Reject),
            problems_total: all_problems.len(),
            problems: all_problems
                .into_iter()
                .take(PREVIEW_PROBLEMS)
                .cloned()
                .collect(),
            duplicates_total: self.duplicates.len(),
            duplicates: self
                .duplicates
                .iter()
                .take(PREVIEW_PROBLEMS)
                .cloned()
                .collect(),
            ignored_rows: self.ignored_rows.clone(),
            preview_fields,
            preview,
        }
    }
}

/// A field of a parsed record in its stored form, for the preview table.
fn stored_value(record: &Record, code: &str) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let yes = |b: bool| if b { "tak" } else { "nie" }.to_string();
    let date = |d: &Option<chrono::NaiveDate>| {
        d.map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_default()
    };
    let join = |v: Vec<&str>| v.join(", ");
    match record {
        Record::Organization(_, d) => match code {
            "name" => d.name.clone(),
            "short_name" => opt(&d.short_name),
            "legal_form" => d.legal_form.label_pl().to_string(),
            "krs" => d
                .krs
                .as_ref()
                .map(Krs::as_str)
                .unwrap_or_default()
                .to_string(),
            "nip" => d
                .nip
                .as_ref()
                .map(Nip::as_str)
                .unwrap_or_default()
                .to_string(),
            "regon" => d
                .regon
                .as_ref()
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
            "public_benefit" => yes(d.public_benefit),
            "street" => opt(&d.street),
            "building" => opt(&d.building),
            "postal_code" => d
                .postal_code
                .as_ref()
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
            "city" => opt(&d.city),
            "gmina" => opt(&d.gmina),
            "powiat" => opt(&d.powiat),
            "voivodeship" => opt(&d.voivodeship),
            "phones" => join(d.phones.iter().map(|p| p.as_str()).collect()),
            "emails" => join(d.emails.iter().map(|p| p.as_str()).collect()),
            "website" => d
                .website
                .as_ref()
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
            "areas" => d.areas.join(", "),
            "description" => opt(&d.description),
            "tags" => d.tags.join(", "),
            "notes" => opt(&d.notes),
            "member" => yes(d.member_since.is_some()),
            "member_since" => date(&d.member_since),
            "member_until" => date(&d.member_until),
            "directory_consent" => yes(d.directory_consent),
            _ => String::new(),
        },
        Record::Person(_, d, consent) => match code {
            "first_name" => d.first_name.clone(),
            "last_name" => d.last_name.clone(),
            "emails" => join(d.emails.iter().map(|p| p.as_str()).collect()),
            "phones" => join(d.phones.iter().map(|p| p.as_str()).collect()),
            "organization" => d
                .roles
                .first()
                .map(|r| format!("#{}", r.0))
                .unwrap_or_default(),
            "role" => d.roles.first().map(|r| r.1.clone()).unwrap_or_default(),
            "consent_email" => yes(*consent),
            "notes" => opt(&d.notes),
            _ => String::new(),
        },
        Record::Book(d) => match code {
            "title" => d.title.clone(),
            "author" => opt(&d.author),
            "publisher" => opt(&d.publisher),
            "year" => d.year.map(|y| y.to_string()).unwrap_or_default(),
            "isbn" => d
                .isbn
                .as_ref()
                .map(|i| i.as_str().to_string())
                .unwrap_or_default(),
            "shelf_mark" => opt(&d.shelf_mark),
            "notes" => opt(&d.notes),
            _ => String::new(),
        },
    }
}

/// Merges a sheet row into an existing record for "update": filled cells replace, empty cells
/// keep what the register has, lists (phones, e-mails, spheres, tags) gain the new values.
pub fn merge_organization(
    existing: &OrganizationInput,
    row: &OrganizationInput,
    mapped: &[Option<&'static str>],
) -> OrganizationInput {
    let mut out = existing.clone();
    let has = |f: &str| mapped.contains(&Some(f));
    let set = |target: &mut String, value: &str| {
        if !value.trim().is_empty() {
            *target = value.to_string();
        }
    };
    set(&mut out.name, &row.name);
    set(&mut out.short_name, &row.short_name);
    if has("legal_form") {
        out.legal_form = row.legal_form.clone();
    }
    set(&mut out.krs, &row.krs);
    set(&mut out.nip, &row.nip);
    set(&mut out.regon, &row.regon);
    if has("public_benefit") {
        out.public_benefit = row.public_benefit;
    }
    set(&mut out.street, &row.street);
    set(&mut out.building, &row.building);
    set(&mut out.postal_code, &row.postal_code);
    set(&mut out.city, &row.city);
    set(&mut out.gmina, &row.gmina);
    set(&mut out.powiat, &row.powiat);
    set(&mut out.voivodeship, &row.voivodeship);
    let union = |a: &str, b: &str| {
        let mut items = split_list(a);
        for item in split_list(b) {
            if !items.iter().any(|i| fold(i) == fold(&item)) {
                items.push(item);
            }
        }
        items.join("\n")
    };
    out.phones = union(&out.phones, &row.phones);
    out.emails = union(&out.emails, &row.emails);
    out.tags = union(&out.tags, &row.tags);
    for a in &row.areas {
        if !out.areas.contains(a) {
            out.areas.push(a.clone());
        }
    }
    set(&mut out.website, &row.website);
    set(&mut out.description, &row.description);
    if !row.notes.trim().is_empty() && !out.notes.contains(row.notes.trim()) {
        append(&mut out.notes, &row.notes);
    }
    set(&mut out.member_since, &row.member_since);
    set(&mut out.member_until, &row.member_until);
    if has("directory_consent") {
        out.directory_consent = row.directory_consent;
    }
    out
}

pub fn merge_person(existing: &PersonInput, row: &PersonInput) -> PersonInput {
    let mut out = existing.clone();
    if !row.first_name.trim().is_empty() {
        out.first_name = row.first_name.clone();
    }
    if !row.last_name.trim().is_empty() {
        out.last_name = row.last_name.clone();
    }
    let union = |a: &str, b: &str| {
        let mut items = split_list(a);
        for item in split_list(b) {
            if !items
                .iter()
                .any(|i| i.to_lowercase() == item.to_lowercase())
            {
                items.push(item);
            }
        }
        items.join("\n")
    };
    out.emails = union(&out.emails, &row.emails);
    out.phones = union(&out.phones, &row.phones);
    for r in &row.roles {
        if !out
            .roles
            .iter()
            .any(|e| e.organization_id == r.organization_id)
        {
            out.roles.push(r.clone());
        }
    }
    if !row.notes.trim().is_empty() && !out.notes.contains(row.notes.trim()) {
        append(&mut out.notes, &row.notes);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_that_lost_their_zeros_are_padded_back() {
        assert_eq!(
            cell_text("krs", &Cell::Float(12345.0)).unwrap(),
            "0000012345"
        );
        assert_eq!(
            cell_text("regon", &Cell::Int(12345678)).unwrap(),
            "012345678"
        );
        assert_eq!(
            cell_text("postal_code", &Cell::Float(950.0)).unwrap(),
            "00-950"
        );
        assert_eq!(
            cell_text("postal_code", &Cell::Int(15082)).unwrap(),
            "15-082"
        );
        assert_eq!(
            cell_text("phones", &Cell::Float(857328220.0)).unwrap(),
            "857328220"
        );
        assert_eq!(
            cell_text("member_since", &Cell::Int(45000)).unwrap(),
            "2023-03-15"
        );
        let date = chrono::NaiveDate::from_ymd_opt(2020, 5, 1)
            .unwrap()
            .and_time(chrono::NaiveTime::MIN);
        assert!(cell_text("postal_code", &Cell::Date(date))
            .unwrap_err()
            .contains("jako tekst"));
        assert_eq!(
            cell_text("member_since", &Cell::Date(date)).unwrap(),
            "2020-05-01"
        );
    }

    #[test]
    fn legal_forms_are_recognised_as_offices_write_them() {
        assert_eq!(
            legal_form_from_text("Stowarzyszenie rejestrowe"),
            Some(LegalForm::Stowarzyszenie)
        );
        assert_eq!(
            legal_form_from_text("stow. zwykłe"),
            Some(LegalForm::StowarzyszenieZwykle)
        );
        assert_eq!(
            legal_form_from_text("KGW"),
            Some(LegalForm::KoloGospodynWiejskich)
        );
        assert_eq!(
            legal_form_from_text("OSP"),
            Some(LegalForm::OchotniczaStrazPozarna)
        );
        assert_eq!(legal_form_from_text("FUNDACJA"), Some(LegalForm::Fundacja));
        assert_eq!(legal_form_from_text("spółka z o.o."), None);
        assert_eq!(
            legal_form_from_name("Fundacja „Świetlik”"),
            LegalForm::Fundacja
        );
    }

    #[test]
    fn an_address_in_one_cell_is_split() {
        assert_eq!(
            split_address("ul. Piotrkowska 12, 90-001 Łódź"),
            Some(("ul. Piotrkowska 12".into(), "90-001".into(), "Łódź".into()))
        );
        assert_eq!(split_address("ul. Długa 5"), None);
    }

    #[test]
    fn yes_and_no_in_their_usual_spellings() {
        for y in ["tak", "TAK", "x", "1", "Yes", "+"] {
            assert_eq!(parse_yes_no(y), Ok(true), "{y}");
        }
        for n in ["nie", "", "0", "-", "NIE"] {
            assert_eq!(parse_yes_no(n), Ok(false), "{n}");
        }
        assert!(parse_yes_no("może").is_err());
    }

    #[test]
    fn full_names_split_on_the_last_word() {
        assert_eq!(
            split_full_name("Anna Maria Nowak", false),
            ("Anna Maria".into(), "Nowak".into())
        );
        assert_eq!(
            split_full_name("Nowak Anna", true),
            ("Anna".into(), "Nowak".into())
        );
    }
}
