//! `Kartoteka`'s import operations: preview, import as one undoable batch (with progress and
//! cancel), undo, the rejected rows as a spreadsheet, and saved column mappings.

use crate::error::{Error, Result};
use crate::export::write_atomically;
use crate::import::read::{self, Cell, Sheet};
use crate::import::*;
use crate::model::*;
use crate::Kartoteka;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Progress reports from a running import, called from whichever thread does the work.
pub type ProgressFn = Arc<dyn Fn(ImportProgress) + Send + Sync>;

/// Rows written per step: between steps progress is reported and cancel is checked. Larger
/// steps mean fewer, bigger search-index segments (FTS5 flushes once per statement).
const WRITE_STEP: usize = 5_000;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ImportProfile {
    pub name: String,
    /// Header text as in the sheet -> field code ("" to ignore the column).
    pub mapping: BTreeMap<String, String>,
}

impl Kartoteka {
    /// Reads and analyses the file on a blocking thread (calamine and validation are CPU work).
    async fn analyze_file(&self, path: &Path, options: &ImportOptions, progress: Option<ProgressFn>) -> Result<(Analysis, Sheet)> {
        let identities = self.store().register_identities().await?;
        let areas = self.store().list_areas().await?;
        let path: PathBuf = path.to_path_buf();
        let options = options.clone();
        tokio::task::spawn_blocking(move || {
            let report = |phase, done, total| {
                if let Some(p) = &progress {
                    p(ImportProgress { phase, done, total });
                }
            };
            report("reading", 0, 0);
            let t0 = std::time::Instant::now();
            let sheet = read::read_sheet(&path, options.sheet.as_deref())?;
            let t1 = t0.elapsed();
            let index = RegisterIndex::build(options.kind, &identities, areas);
            if std::env::var_os("KARTOTEKA_IMPORT_TIMING").is_some() {
                eprintln!("read {t1:?}, index {:?}", t0.elapsed() - t1);
            }
            let analysis = analyze(&sheet, &options, &index, |done, total| report("checking", done, total))?;
            Ok((analysis, sheet))
        })
        .await
        .map_err(|e| Error::BadArgument(format!("Odczyt pliku przerwany: {e}")))?
    }

    /// What an import of `path` would do, without writing anything.
    pub async fn preview_import(&self, path: &Path, options: &ImportOptions) -> Result<ImportPreview> {
        let (analysis, sheet) = self.analyze_file(path, options, None).await?;
        Ok(analysis.preview(&sheet.rows))
    }

    /// Imports the accepted rows of `path` as one batch: all of them or, on error or cancel,
    /// nothing. With `dry_run` it only reports what would happen.
    pub async fn import(&self, path: &Path, options: &ImportOptions, dry_run: bool, progress: Option<ProgressFn>, cancel: Arc<AtomicBool>) -> Result<ImportReport> {
        let started = std::time::Instant::now();
        let (mut analysis, _) = self.analyze_file(path, options, progress.clone()).await?;
        let checked = started.elapsed();
        let mut report = ImportReport {
            batch_id: None,
            dry_run,
            file: analysis.source.file_name.clone(),
            imported: analysis.count(RowAction::Insert),
            updated: analysis.count(RowAction::Update),
            skipped_duplicates: analysis.count(RowAction::Skip),
            rejected: analysis.rejections(),
            warnings: analysis.warnings(),
        };
        if dry_run {
            return Ok(report);
        }
        let total = report.imported + report.updated;
        let step = |done: usize| {
            if let Some(p) = &progress {
                p(ImportProgress { phase: "writing", done, total });
            }
            if cancel.load(Ordering::Relaxed) {
                Err(Error::Cancelled)
            } else {
                Ok(())
            }
        };
        step(0)?;
        let areas: Vec<String> = self.store().area_codes().await?;
        let source = format!("import z pliku {}", analysis.source.file_name);
        let today = chrono::Local::now().date_naive();
        let mut writer = self.store().begin_import(analysis.kind.code(), &analysis.source.file_name).await?;
        let mut done = 0;
        let mut late_rejections = Vec::new();
        let rejected_in_file = analysis.count(RowAction::Reject);
        // The drafts move into the store; the rows are not needed after this.
        let (mut inserts, updates): (Vec<AnalyzedRow>, Vec<AnalyzedRow>) =
            std::mem::take(&mut analysis.rows).into_iter().filter(|r| matches!(r.action, RowAction::Insert | RowAction::Update)).partition(|r| r.action == RowAction::Insert);
        for chunk in inserts.chunks_mut(WRITE_STEP) {
            let records = chunk.iter_mut().filter_map(|r| r.record.take());
            match analysis.kind {
                ImportKind::Organizations => {
                    let drafts: Vec<OrganizationDraft> = records
                        .filter_map(|r| match r {
                            Record::Organization(_, d) => Some(*d),
                            _ => None,
                        })
                        .collect();
                    writer.insert_organizations(&drafts).await?;
                }
                ImportKind::People => {
                    let (drafts, consents): (Vec<PersonDraft>, Vec<bool>) = records
                        .filter_map(|r| match r {
                            Record::Person(_, d, c) => Some((*d, c)),
                            _ => None,
                        })
                        .unzip();
                    let ids = writer.insert_people(&drafts).await?;
                    let grants: Vec<(i64, chrono::NaiveDate, String)> =
                        ids.iter().zip(consents).filter(|(_, c)| *c).map(|(id, _)| (*id, today, source.clone())).collect();
                    writer.grant_email_consents(&grants).await?;
                }
                ImportKind::Library => {
                    let drafts: Vec<LibraryDraft> = records
                        .filter_map(|r| match r {
                            Record::Book(d) => Some(*d),
                            _ => None,
                        })
                        .collect();
                    writer.insert_library(&drafts).await?;
                }
            }
            done += chunk.len();
            step(done)?;
        }
        for row in &updates {
            let Some(target) = row.target else { continue };
            let outcome = match &row.record {
                Some(Record::Organization(Some(input), _)) => {
                    let before = OrganizationInput::from(&self.store().get_organization(target).await?);
                    let merged = merge_organization(&before, input, &analysis.mapping);
                    match merged.parse(&areas) {
                        Ok(draft) => writer.update_organization(target, &draft, &snapshot(&before)?).await.map(|_| true),
                        Err(e) => Err(e),
                    }
                }
                Some(Record::Person(Some(input), _, consent)) => {
                    let before = PersonInput::from(&self.store().get_person(target).await?);
                    let merged = merge_person(&before, input);
                    match merged.parse() {
                        Ok(draft) => {
                            writer.update_person(target, &draft, &snapshot(&before)?).await?;
                            if *consent && !writer.has_active_email_consent(target).await? {
                                writer.grant_email_consents(&[(target, today, source.clone())]).await?;
                            }
                            Ok(true)
                        }
                        Err(e) => Err(e),
                    }
                }
                _ => Ok(false),
            };
            match outcome {
                Ok(_) => {}
                Err(Error::Invalid(errors)) => {
                    for e in errors {
                        late_rejections.push(Rejection {
                            row: row.number,
                            column: None,
                            message: format!("Po połączeniu z rekordem w rejestrze: {}", e.message),
                        });
                    }
                }
                Err(e) => return Err(e),
            }
            done += 1;
            if done % 200 == 0 {
                step(done)?;
            }
        }
        let failed_updates: std::collections::BTreeSet<u32> = late_rejections.iter().map(|r| r.row).collect();
        report.updated -= failed_updates.len();
        report.rejected.extend(late_rejections);
        step(total)?;
        let rejected_rows = rejected_in_file + failed_updates.len();
        let batch = writer.finish(report.imported, report.updated, report.skipped_duplicates, rejected_rows).await?;
        let written = started.elapsed() - checked;
        report.batch_id = Some(batch);
        if report.imported >= 1_000 {
            self.store().analyze().await?;
        }
        tracing::info!(
            batch,
            kind = analysis.kind.code(),
            imported = report.imported,
            updated = report.updated,
            read_and_checked_ms = checked.as_millis() as u64,
            written_ms = written.as_millis() as u64,
            "import written"
        );
        if std::env::var_os("KARTOTEKA_IMPORT_TIMING").is_some() {
            eprintln!("read+checked {checked:?}, written {written:?}, analyze {:?}", started.elapsed() - checked - written);
        }
        Ok(report)
    }

    /// The rows an import would reject, as a spreadsheet with the reasons in a last column,
    /// to correct and import again. Returns how many rows it holds.
    pub async fn write_rejected_rows(&self, path: &Path, options: &ImportOptions, out: &Path) -> Result<usize> {
        let (analysis, sheet) = self.analyze_file(path, options, None).await?;
        let rejected: BTreeMap<u32, String> = analysis
            .rows
            .iter()
            .filter(|r| r.action == RowAction::Reject)
            .map(|r| {
                let reasons: Vec<String> = r
                    .problems
                    .iter()
                    .filter(|p| p.severity == Severity::Error)
                    .map(|p| match &p.column {
                        Some(c) => format!("{c}: {}", p.message),
                        None => p.message.clone(),
                    })
                    .collect();
                (r.number, reasons.join(" "))
            })
            .collect();
        let width = analysis.headers.len();
        let header_row = sheet.rows.iter().find(|r| r.number == analysis.header_row);
        let rows: Vec<(&read::SheetRow, &String)> = sheet.rows.iter().filter_map(|r| rejected.get(&r.number).map(|why| (r, why))).collect();
        write_atomically(out, |tmp| {
            use rust_xlsxwriter::{Format, Workbook};
            let xlsx = |e: rust_xlsxwriter::XlsxError| Error::BadArgument(format!("Nie udało się zapisać arkusza: {e}"));
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            ws.set_name("Do poprawy").map_err(xlsx)?;
            let bold = Format::new().set_bold().set_background_color("DCE6F1");
            let warn = Format::new().set_font_color("9C0006").set_text_wrap();
            for c in 0..width {
                let text = header_row.and_then(|h| h.cells.get(c)).map(Cell::display).unwrap_or_default();
                ws.write_string_with_format(0, c as u16, text, &bold).map_err(xlsx)?;
            }
            ws.write_string_with_format(0, width as u16, "Co poprawić", &bold).map_err(xlsx)?;
            ws.write_string_with_format(0, width as u16 + 1, "Wiersz w pliku źródłowym", &bold).map_err(xlsx)?;
            for (i, (row, why)) in rows.iter().enumerate() {
                let r = i as u32 + 1;
                for c in 0..width {
                    // Everything as text: a KRS written back as a number would lose its zeros again.
                    let text = row.cells.get(c).map(Cell::display).unwrap_or_default();
                    ws.write_string(r, c as u16, text).map_err(xlsx)?;
                }
                ws.write_string_with_format(r, width as u16, why.as_str(), &warn).map_err(xlsx)?;
                ws.write_number(r, width as u16 + 1, row.number).map_err(xlsx)?;
            }
            ws.set_column_width(width as u16, 60).map_err(xlsx)?;
            ws.set_freeze_panes(1, 0).map_err(xlsx)?;
            wb.save(tmp).map_err(xlsx)?;
            Ok(())
        })?;
        Ok(rows.len())
    }

    pub async fn import_batches(&self) -> Result<Vec<ImportBatch>> {
        self.store().import_batches(100).await
    }

    /// Removes what a batch added and puts back what it changed, in one transaction.
    pub async fn undo_import(&self, batch_id: i64) -> Result<ImportBatch> {
        let areas = self.store().area_codes().await?;
        let mut organizations = Vec::new();
        let mut people = Vec::new();
        for (kind, id, json) in self.store().import_prior_values(batch_id).await? {
            let corrupt = |e: serde_json::Error| Error::BadArgument(format!("Zapis stanu sprzed importu jest nieczytelny: {e}"));
            match kind.as_str() {
                "organization" => {
                    let input: OrganizationInput = serde_json::from_str(&json).map_err(corrupt)?;
                    organizations.push((id, input.parse(&areas)?));
                }
                _ => {
                    let input: PersonInput = serde_json::from_str(&json).map_err(corrupt)?;
                    people.push((id, input.parse()?));
                }
            }
        }
        self.store().undo_import(batch_id, &organizations, &people).await?;
        tracing::info!(batch = batch_id, "import undone");
        self.store().import_batch(batch_id).await
    }

    pub async fn import_profiles(&self, kind: ImportKind) -> Result<Vec<ImportProfile>> {
        let rows = self.store().import_profiles(kind.code()).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(name, json)| serde_json::from_str(&json).ok().map(|mapping| ImportProfile { name, mapping }))
            .collect())
    }

    pub async fn save_import_profile(&self, kind: ImportKind, profile: &ImportProfile) -> Result<()> {
        let name = crate::text::clean_line(&profile.name).ok_or_else(|| Error::invalid("name", "Podaj nazwę profilu."))?;
        if name.chars().count() > 100 {
            return Err(Error::invalid("name", "Nazwa profilu jest za długa (najwyżej 100 znaków)."));
        }
        for code in profile.mapping.values().filter(|c| !c.is_empty()) {
            if crate::import::columns::field(kind, code).is_none() {
                return Err(Error::BadArgument(format!("Nieznane pole „{code}”.")));
            }
        }
        let json = serde_json::to_string(&profile.mapping).map_err(|e| Error::BadArgument(e.to_string()))?;
        self.store().save_import_profile(kind.code(), &name, &json).await
    }

    pub async fn delete_import_profile(&self, kind: ImportKind, name: &str) -> Result<()> {
        self.store().delete_import_profile(kind.code(), name).await
    }
}

fn snapshot<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::BadArgument(e.to_string()))
}
