//! Lists out of the register, as filtered and sorted in the window: a formatted .xlsx, CSV that
//! Polish Excel opens correctly (UTF-8 with BOM, semicolons, CRLF), plain UTF-8 CSV, and vCard
//! for people. Files are written beside the target and renamed into place, so a failed export
//! never leaves half a file under the chosen name.

use crate::error::{Error, Result};
use crate::register::{ConsentChannel, LegalForm, OrganizationExport, PersonExport};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    Xlsx,
    /// UTF-8 with BOM, `;` separated: what Polish Excel opens with a double click.
    CsvExcel,
    /// Plain UTF-8, `,` separated.
    Csv,
    Vcf,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_lowercase().as_str() {
            "xlsx" => Ok(Self::Xlsx),
            "csv-excel" => Ok(Self::CsvExcel),
            "csv" => Ok(Self::Csv),
            "vcf" | "vcard" => Ok(Self::Vcf),
            other => Err(Error::BadArgument(format!(
                "Nieznany format „{other}”: wybierz xlsx, csv-excel, csv albo vcf."
            ))),
        }
    }

    /// The format a file name implies; `.csv` means the Excel flavour, which is what offices open.
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_lowercase().as_str() {
            "xlsx" => Some(Self::Xlsx),
            "csv" => Some(Self::CsvExcel),
            "vcf" => Some(Self::Vcf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::CsvExcel | Self::Csv => "csv",
            Self::Vcf => "vcf",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    pub rows: usize,
    pub path: String,
    pub format: ExportFormat,
}

/// A table ready for any tabular format.
struct Table {
    sheet: &'static str,
    headers: Vec<&'static str>,
    widths: Vec<f64>,
    rows: Vec<Vec<String>>,
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_default()
}

fn yes_no(b: bool) -> String {
    if b { "tak" } else { "nie" }.to_string()
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn organizations_table(rows: &[OrganizationExport]) -> Table {
    let headers = vec![
        "Nazwa",
        "Nazwa skrócona",
        "Forma prawna",
        "KRS",
        "NIP",
        "REGON",
        "OPP",
        "Ulica",
        "Numer",
        "Kod pocztowy",
        "Miejscowość",
        "Gmina",
        "Powiat",
        "Województwo",
        "Telefony",
        "E-maile",
        "Strona WWW",
        "Sfery pożytku (pkt)",
        "Etykiety",
        "Członek od",
        "Członek do",
        "Zgoda na katalog",
    ];
    let widths = vec![
        48.0, 16.0, 22.0, 12.0, 12.0, 15.0, 6.0, 22.0, 10.0, 10.0, 18.0, 16.0, 16.0, 18.0, 24.0,
        30.0, 30.0, 18.0, 20.0, 11.0, 11.0, 10.0,
    ];
    let rows = rows
        .iter()
        .map(|o| {
            vec![
                o.name.clone(),
                opt(&o.short_name),
                LegalForm::from_code(&o.legal_form)
                    .map(|f| f.label_pl().to_string())
                    .unwrap_or_else(|| o.legal_form.clone()),
                opt(&o.krs),
                opt(&o.nip),
                opt(&o.regon),
                yes_no(o.public_benefit),
                opt(&o.street),
                opt(&o.building),
                opt(&o.postal_code),
                opt(&o.city),
                opt(&o.gmina),
                opt(&o.powiat),
                opt(&o.voivodeship),
                opt(&o.phones),
                opt(&o.emails),
                opt(&o.website),
                opt(&o.areas),
                opt(&o.tags),
                date(o.member_since),
                date(o.member_until),
                yes_no(o.directory_consent),
            ]
        })
        .collect();
    Table {
        sheet: "Organizacje",
        headers,
        widths,
        rows,
    }
}

fn consent_labels(codes: &Option<String>) -> String {
    codes
        .as_deref()
        .unwrap_or("")
        .split("; ")
        .filter_map(ConsentChannel::from_code)
        .map(|c| c.label_pl())
        .collect::<Vec<_>>()
        .join("; ")
}

fn people_table(rows: &[PersonExport]) -> Table {
    let headers = vec![
        "Nazwisko",
        "Imię",
        "E-maile",
        "Telefony",
        "Organizacje (rola)",
        "Zgody obowiązujące",
        "Notatki",
    ];
    let widths = vec![20.0, 14.0, 30.0, 18.0, 48.0, 36.0, 30.0];
    let rows = rows
        .iter()
        .map(|p| {
            vec![
                p.last_name.clone(),
                p.first_name.clone(),
                opt(&p.emails),
                opt(&p.phones),
                opt(&p.roles),
                consent_labels(&p.consents),
                opt(&p.notes),
            ]
        })
        .collect();
    Table {
        sheet: "Osoby",
        headers,
        widths,
        rows,
    }
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

fn write_xlsx(table: &Table, path: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(table.sheet).map_err(xlsx_error)?;
    let header = Format::new()
        .set_bold()
        .set_background_color("DCE6F1")
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    for (c, h) in table.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)
            .map_err(xlsx_error)?;
        ws.set_column_width(c as u16, table.widths[c])
            .map_err(xlsx_error)?;
    }
    // Identifiers go in as text: a KRS or postal code read as a number loses its leading zeros.
    for (r, row) in table.rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, value)
                    .map_err(xlsx_error)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    ws.autofilter(
        0,
        0,
        table.rows.len() as u32,
        table.headers.len() as u16 - 1,
    )
    .map_err(xlsx_error)?;
    wb.save(path).map_err(xlsx_error)?;
    Ok(())
}

/// The characters that make Excel or LibreOffice read a CSV cell as a formula (OWASP "CSV
/// injection"), with the full-width forms some locales also accept.
const FORMULA_STARTS: [char; 10] = [
    '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// A cell Excel would evaluate gets a leading apostrophe, as OWASP recommends: `=2+3` is written
/// `'=2+3`. A phone "+48 …" or a name "-Dom-" gets one too; the import takes it off again
/// (`import::read`), so an exported file reads back unchanged.
pub fn neutralize_formula(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// Only the "CSV for Excel" flavour is neutralised: it is the one opened in a spreadsheet. Plain
/// CSV is for programs and keeps the register's text byte for byte (README, "Eksportuj").
fn write_csv(table: &Table, out: &mut impl Write, excel: bool) -> Result<()> {
    if excel {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(if excel { b';' } else { b',' })
        .terminator(if excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(out);
    let csv_error = |e: csv::Error| Error::Io(std::io::Error::other(e.to_string()));
    w.write_record(&table.headers).map_err(csv_error)?;
    for row in &table.rows {
        if excel {
            w.write_record(row.iter().map(|v| neutralize_formula(v).into_owned()))
                .map_err(csv_error)?;
        } else {
            w.write_record(row).map_err(csv_error)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// vCard 3.0 text value: backslash, comma, semicolon and newline escaped.
fn vcard_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (RFC 6350 3.2).
fn vcard_line(out: &mut String, line: &str) {
    let mut width = 0;
    for ch in line.chars() {
        if width + ch.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += ch.len_utf8();
    }
    out.push_str("\r\n");
}

fn write_vcards(rows: &[PersonExport], out: &mut impl Write) -> Result<()> {
    let mut text = String::new();
    for p in rows {
        vcard_line(&mut text, "BEGIN:VCARD");
        vcard_line(&mut text, "VERSION:3.0");
        vcard_line(
            &mut text,
            &format!(
                "N:{};{};;;",
                vcard_escape(&p.last_name),
                vcard_escape(&p.first_name)
            ),
        );
        vcard_line(
            &mut text,
            &format!(
                "FN:{} {}",
                vcard_escape(&p.first_name),
                vcard_escape(&p.last_name)
            ),
        );
        for e in p
            .emails
            .as_deref()
            .unwrap_or("")
            .split("; ")
            .filter(|s| !s.is_empty())
        {
            vcard_line(
                &mut text,
                &format!("EMAIL;TYPE=INTERNET:{}", vcard_escape(e)),
            );
        }
        for t in p
            .phones
            .as_deref()
            .unwrap_or("")
            .split("; ")
            .filter(|s| !s.is_empty())
        {
            vcard_line(&mut text, &format!("TEL;TYPE=VOICE:{}", vcard_escape(t)));
        }
        if let Some(roles) = p.roles.as_deref().filter(|s| !s.is_empty()) {
            let first_org = roles.split("; ").next().unwrap_or("");
            let org = first_org
                .rsplit_once(" (")
                .map(|(o, _)| o)
                .unwrap_or(first_org);
            vcard_line(&mut text, &format!("ORG:{}", vcard_escape(org)));
            vcard_line(&mut text, &format!("NOTE:{}", vcard_escape(roles)));
        }
        vcard_line(&mut text, "END:VCARD");
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// Writes through a temporary file in the target's folder and renames it into place.
pub(crate) fn write_atomically(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::BadArgument(format!(
            "Folder {} nie istnieje.",
            dir.display()
        )));
    }
    let tmp = tempfile_in(dir, path)?;
    // Made 0600 before anything is written: the writers (std::fs::write, File::create, the
    // xlsx and PDF libraries) keep an existing file's mode, so the export is private throughout.
    crate::private_files::create_file(&tmp)?;
    match write(&tmp).and_then(|_| std::fs::rename(&tmp, path).map_err(Error::from)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn tempfile_in(dir: &Path, target: &Path) -> Result<std::path::PathBuf> {
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("eksport");
    Ok(dir.join(format!(".{name}.{}.tmp", std::process::id())))
}

fn with_file(
    tmp: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<()>,
) -> Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(tmp)?);
    write(&mut f)?;
    f.flush()?;
    f.get_ref().sync_all()?;
    Ok(())
}

pub fn write_organizations(
    rows: &[OrganizationExport],
    format: ExportFormat,
    path: &Path,
) -> Result<()> {
    if format == ExportFormat::Vcf {
        return Err(Error::BadArgument(
            "Format vCard jest tylko dla osób; dla organizacji wybierz xlsx albo csv.".into(),
        ));
    }
    let table = organizations_table(rows);
    write_atomically(path, |tmp| match format {
        ExportFormat::Xlsx => write_xlsx(&table, tmp),
        _ => with_file(tmp, |f| {
            write_csv(&table, f, format == ExportFormat::CsvExcel)
        }),
    })
}

pub fn write_people(rows: &[PersonExport], format: ExportFormat, path: &Path) -> Result<()> {
    let table = people_table(rows);
    write_atomically(path, |tmp| match format {
        ExportFormat::Xlsx => write_xlsx(&table, tmp),
        ExportFormat::Vcf => with_file(tmp, |f| write_vcards(rows, f)),
        _ => with_file(tmp, |f| {
            write_csv(&table, f, format == ExportFormat::CsvExcel)
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_follow_extensions() {
        assert_eq!(
            ExportFormat::parse("CSV-Excel").unwrap(),
            ExportFormat::CsvExcel
        );
        assert!(ExportFormat::parse("pdf").is_err());
        assert_eq!(
            ExportFormat::from_path(Path::new("a/lista.XLSX")),
            Some(ExportFormat::Xlsx)
        );
        assert_eq!(
            ExportFormat::from_path(Path::new("lista.csv")),
            Some(ExportFormat::CsvExcel)
        );
        assert_eq!(ExportFormat::from_path(Path::new("lista")), None);
    }

    #[test]
    fn excel_csv_has_bom_semicolons_crlf_and_quotes() {
        let table = Table {
            sheet: "x",
            headers: vec!["Nazwa", "Miejscowość"],
            widths: vec![1.0, 1.0],
            rows: vec![vec!["Fundacja \"Ślad\"; Łódź".into(), "Łódź".into()]],
        };
        let mut out = Vec::new();
        write_csv(&table, &mut out, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\u{feff}Nazwa;Miejscowość\r\n\"Fundacja \"\"Ślad\"\"; Łódź\";Łódź\r\n"
        );
    }

    #[test]
    fn excel_csv_neutralises_formula_starts_and_plain_csv_keeps_text() {
        let values = [
            "=2+3",
            "@SUM(1+1)",
            "+1",
            "-1",
            "\t=x",
            "\r=x",
            "\u{FF1D}1+1",
            "Fundacja",
            "a=b",
            "'=już",
        ];
        let table = Table {
            sheet: "x",
            headers: vec!["Nazwa"],
            widths: vec![1.0],
            rows: values.iter().map(|v| vec![v.to_string()]).collect(),
        };
        let mut out = Vec::new();
        write_csv(&table, &mut out, true).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(&out[3..]);
        let cells: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect();
        assert_eq!(
            cells,
            [
                "'=2+3",
                "'@SUM(1+1)",
                "'+1",
                "'-1",
                "'\t=x",
                "'\r=x",
                "'\u{FF1D}1+1",
                "Fundacja",
                "a=b",
                "'=już"
            ]
        );
        let mut plain = Vec::new();
        write_csv(&table, &mut plain, false).unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(plain.as_slice());
        let cells: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect();
        assert_eq!(cells, values);
    }

    #[test]
    fn vcard_lines_fold_without_splitting_letters() {
        let mut out = String::new();
        vcard_line(&mut out, &format!("NOTE:{}", "Żółć ".repeat(30)));
        for line in out.split("\r\n") {
            assert!(line.len() <= 75, "{}", line.len());
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("NOTE:{}\r\n", "Żółć ".repeat(30))
        );
        assert_eq!(vcard_escape("a,b;c\nd"), "a\\,b\\;c\\nd");
    }
}
