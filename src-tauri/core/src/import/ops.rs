//! `Kartoteka`'s import operations: preview, import as one undoable batch (with progress and
//! cancel), undo, the rejected rows as a spreadsheet, and saved column mappings.

use crate::error::{Error, Result};
use crate::export::write_atomically;
use crate::import::read::{self, Cell, Sheet};
use crate::import::*;
use crate::register::*;
use crate::store::ImportBatchWriter;
use crate::Kartoteka;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Progress reports from a running import, called from whichever thread does the work.
pub type ProgressFn = Arc<dyn Fn(ImportProgress) + Send + Sync>;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ImportProfile {
    pub name: String,
    /// Header text as in the sheet -> field code ("" to ignore the column).
    pub mapping: BTreeMap<String, String>,
}

impl Kartoteka {
    /// How many titles the imported library sheets hold.
    pub async fn library_count(&self) -> Result<i64> {
        self.store.library_count().await
    }

    /// Reads and analyses the file on a blocking thread (calamine and validation are CPU work).
    async fn analyze_file(
        &self,
        path: &Path,
        options: &ImportOptions,
        progress: Option<ProgressFn>,
    ) -> Result<(Analysis, Sheet)> {
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
            let sheet = read::read_sheet(&path, options.sheet.as_deref())?;
            let index = RegisterIndex::build(options.kind, &identities, areas);
            let analysis = analyze(&sheet, &options, &index, |done, total| {
                report("checking", done, total)
            })?;
            Ok((analysis, sheet))
        })
        .await
        .map_err(|e| Error::BadArgument(format!("Odczyt pliku przerwany: {e}")))?
    }

    /// What an import of `path` would do, without writing anything.
    pub async fn preview_import(
        &self,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<ImportPreview> {
        let (analysis, sheet) = self.analyze_file(path, options, None).await?;
        Ok(analysis.preview(&sheet.rows))
    }

    /// Imports the accepted rows of `path` as one batch: all of them or, on error or cancel,
    /// nothing. With `dry_run` it only reports what would happen. The file is read and checked
    /// on another thread while earlier rows are already being written (a 100k-row sheet spends
    /// as long in SQLite as in reading and checking).
    pub async fn import(
        &self,
        path: &Path,
        options: &ImportOptions,
        dry_run: bool,
        progress: Option<ProgressFn>,
        cancel: Arc<AtomicBool>,
    ) -> Result<ImportReport> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if dry_run {
            let (analysis, _) = self.analyze_file(path, options, progress).await?;
            return Ok(ImportReport {
                batch_id: None,
                dry_run,
                file: file_name,
                imported: analysis.count(RowAction::Insert),
                updated: analysis.count(RowAction::Update),
                skipped_duplicates: analysis.count(RowAction::Skip),
                rejected: analysis.rejections(),
                warnings: analysis.warnings(),
            });
        }
        let started = std::time::Instant::now();
        let report_progress = |done: usize, total: usize| {
            if let Some(p) = &progress {
                p(ImportProgress {
                    phase: "writing",
                    done,
                    total: total.max(done),
                });
            }
        };
        let cancelled = || {
            if cancel.load(Ordering::Relaxed) {
                Err(Error::Cancelled)
            } else {
                Ok(())
            }
        };
        report_progress(0, 0);
        let identities = self.store().register_identities().await?;
        let areas = self.store().list_areas().await?;
        let area_codes: Vec<String> = areas.iter().map(|a| a.code.clone()).collect();
        let (tx, mut rx) = tokio::sync::mpsc::channel::<(Vec<AnalyzedRow>, usize)>(3);
        let reader = {
            let path = path.to_path_buf();
            let options = options.clone();
            let cancel = cancel.clone();
            tokio::task::spawn_blocking(move || -> Result<Vec<Option<&'static str>>> {
                let index = RegisterIndex::build(options.kind, &identities, areas);
                let mut analyzer = RowAnalyzer::new(&options, &index);
                let mut read_rows = 0;
                read::stream_sheet(&path, options.sheet.as_deref(), &mut |batch, estimate| {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(Error::Cancelled);
                    }
                    read_rows += batch.len();
                    let analysed = analyzer.push(&batch)?;
                    if !analysed.is_empty() {
                        // A closed channel means the writer stopped (error or cancel).
                        tx.blocking_send((analysed, estimate))
                            .map_err(|_| Error::Cancelled)?;
                    }
                    Ok(())
                })?;
                let rest = analyzer.finish()?;
                if !rest.is_empty() {
                    tx.blocking_send((rest, read_rows))
                        .map_err(|_| Error::Cancelled)?;
                }
                Ok(analyzer
                    .header()
                    .map(|h| h.mapping.clone())
                    .unwrap_or_default())
            })
        };
        let source = format!("import z pliku {file_name}");
        let today = chrono::Local::now().date_naive();
        let mut writer = self
            .store()
            .begin_import(options.kind.code(), &file_name)
            .await?;
        let mut report = ImportReport {
            batch_id: None,
            dry_run,
            file: file_name.clone(),
            imported: 0,
            updated: 0,
            skipped_duplicates: 0,
            rejected: Vec::new(),
            warnings: 0,
        };
        let mut rejected_rows = 0;
        let mut updates = Vec::new();
        let mut seen_rows = 0;
        while let Some((rows, estimate)) = rx.recv().await {
            cancelled()?;
            seen_rows += rows.len();
            let mut inserts = Vec::new();
            for row in rows {
                report.warnings += row
                    .problems
                    .iter()
                    .filter(|p| p.severity == Severity::Warning)
                    .count();
                match row.action {
                    RowAction::Insert => inserts.push(row),
                    RowAction::Update => updates.push(row),
                    RowAction::Skip => report.skipped_duplicates += 1,
                    RowAction::Reject => {
                        rejected_rows += 1;
                        report.rejected.extend(
                            row.problems
                                .iter()
                                .filter(|p| p.severity == Severity::Error)
                                .map(|p| Rejection {
                                    row: p.row,
                                    column: p.column.clone(),
                                    message: p.message.clone(),
                                }),
                        );
                    }
                }
            }
            report.imported += inserts.len();
            Self::write_inserts(&mut *writer, options.kind, inserts, today, &source).await?;
            report_progress(seen_rows, estimate);
            cancelled()?;
        }
        // The reader's own failure (an unreadable file, too many rows) ends the channel early.
        let mapping = reader
            .await
            .map_err(|e| Error::BadArgument(format!("Odczyt pliku przerwany: {e}")))??;
        let checked_and_inserted = started.elapsed();
        for row in &updates {
            let Some(target) = row.target else { continue };
            let outcome = match &row.record {
                Some(Record::Organization(Some(input), _)) => {
                    let before =
                        OrganizationInput::from(&self.store().get_organization(target).await?);
                    let merged = merge_organization(&before, input, &mapping);
                    match merged.parse(&area_codes) {
                        Ok(draft) => {
                            writer
                                .update_organization(target, &draft, &snapshot(&before)?)
                                .await
                        }
                        Err(e) => Err(e),
                    }
                }
                Some(Record::Person(Some(input), _, consent)) => {
                    let before = PersonInput::from(&self.store().get_person(target).await?);
                    let merged = merge_person(&before, input);
                    match merged.parse() {
                        Ok(draft) => {
                            writer
                                .update_person(target, &draft, &snapshot(&before)?)
                                .await?;
                            if *consent && !writer.has_active_email_consent(target).await? {
                                writer
                                    .grant_email_consents(&[(target, today, source.clone())])
                                    .await?;
                            }
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                _ => Ok(()),
            };
            match outcome {
                Ok(()) => report.updated += 1,
                Err(Error::Invalid(errors)) => {
                    rejected_rows += 1;
                    for e in errors {
                        report.rejected.push(Rejection {
                            row: row.number,
                            column: None,
                            message: format!("Po połączeniu z rekordem w rejestrze: {}", e.message),
                        });
                    }
                }
                Err(e) => return Err(e),
            }
            if report.updated.is_multiple_of(200) {
                cancelled()?;
            }
        }
        cancelled()?;
        let batch = writer
            .finish(
                report.imported,
                report.updated,
                report.skipped_duplicates,
                rejected_rows,
            )
            .await?;
        report_progress(seen_rows, seen_rows);
        report.batch_id = Some(batch);
        if report.imported >= 1_000 {
            self.store().analyze().await?;
        }
        tracing::info!(
            batch,
            kind = options.kind.code(),
            imported = report.imported,
            updated = report.updated,
            checked_and_inserted_ms = checked_and_inserted.as_millis() as u64,
            total_ms = started.elapsed().as_millis() as u64,
            "import written"
        );
        Ok(report)
    }

    async fn write_inserts(
        writer: &mut dyn ImportBatchWriter,
        kind: ImportKind,
        mut rows: Vec<AnalyzedRow>,
        today: chrono::NaiveDate,
        source: &str,
    ) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let records = rows.iter_mut().filter_map(|r| r.record.take());
        match kind {
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
                let grants: Vec<(i64, chrono::NaiveDate, String)> = ids
                    .iter()
                    .zip(consents)
                    .filter(|(_, c)| *c)
                    .map(|(id, _)| (*id, today, source.to_string()))
                    .collect();
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
        Ok(())
    }

    /// The rows an import would reject, as a spreadsheet with the reasons in a last column,
    /// to correct and import again. Returns how many rows it holds.
    pub async fn write_rejected_rows(
        &self,
        path: &Path,
        options: &ImportOptions,
        out: &Path,
    ) -> Result<usize> {
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
        let rows: Vec<(&read::SheetRow, &String)> = sheet
            .rows
            .iter()
            .filter_map(|r| rejected.get(&r.number).map(|why| (r, why)))
            .collect();
        write_atomically(out, |tmp| {
            use rust_xlsxwriter::{Format, Workbook};
            let xlsx = |e: rust_xlsxwriter::XlsxError| {
                Error::BadArgument(format!("Nie udało się zapisać arkusza: {e}"))
            };
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            ws.set_name("Do poprawy").map_err(xlsx)?;
            let bold = Format::new().set_bold().set_background_color("DCE6F1");
            let warn = Format::new().set_font_color("9C0006").set_text_wrap();
            for c in 0..width {
                let text = header_row
                    .and_then(|h| h.cells.get(c))
                    .map(Cell::display)
                    .unwrap_or_default();
                ws.write_string_with_format(0, c as u16, text, &bold)
                    .map_err(xlsx)?;
            }
            ws.write_string_with_format(0, width as u16, "Co poprawić", &bold)
                .map_err(xlsx)?;
            ws.write_string_with_format(0, width as u16 + 1, "Wiersz w pliku źródłowym", &bold)
                .map_err(xlsx)?;
            for (i, (row, why)) in rows.iter().enumerate() {
                let r = i as u32 + 1;
                for c in 0..width {
                    // Everything as text: a KRS written back as a number would lose its zeros again.
                    let text = row.cells.get(c).map(Cell::display).unwrap_or_default();
                    ws.write_string(r, c as u16, text).map_err(xlsx)?;
                }
                ws.write_string_with_format(r, width as u16, why.as_str(), &warn)
                    .map_err(xlsx)?;
                ws.write_number(r, width as u16 + 1, row.number)
                    .map_err(xlsx)?;
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
            let corrupt = |e: serde_json::Error| {
                Error::BadArgument(format!("Zapis stanu sprzed importu jest nieczytelny: {e}"))
            };
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
        self.store()
            .undo_import(batch_id, &organizations, &people)
            .await?;
        tracing::info!(batch = batch_id, "import undone");
        self.store().import_batch(batch_id).await
    }

    pub async fn import_profiles(&self, kind: ImportKind) -> Result<Vec<ImportProfile>> {
        let rows = self.store().import_profiles(kind.code()).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(name, json)| {
                serde_json::from_str(&json)
                    .ok()
                    .map(|mapping| ImportProfile { name, mapping })
            })
            .collect())
    }

    pub async fn save_import_profile(
        &self,
        kind: ImportKind,
        profile: &ImportProfile,
    ) -> Result<()> {
        let name = crate::text::clean_line(&profile.name)
            .ok_or_else(|| Error::invalid("name", "Podaj nazwę profilu."))?;
        if name.chars().count() > 100 {
            return Err(Error::invalid(
                "name",
                "Nazwa profilu jest za długa (najwyżej 100 znaków).",
            ));
        }
        for code in profile.mapping.values().filter(|c| !c.is_empty()) {
            if crate::import::columns::field(kind, code).is_none() {
                return Err(Error::BadArgument(format!("Nieznane pole „{code}”.")));
            }
        }
        let json = serde_json::to_string(&profile.mapping)
            .map_err(|e| Error::BadArgument(e.to_string()))?;
        self.store()
            .save_import_profile(kind.code(), &name, &json)
            .await
    }

    pub async fn delete_import_profile(&self, kind: ImportKind, name: &str) -> Result<()> {
        self.store().delete_import_profile(kind.code(), name).await
    }
}

fn snapshot<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::BadArgument(e.to_string()))
}
