//! Reports' operations: the annual figures and report, the logo, statistics files exchanged
//! with the union, and the network report.

use crate::error::{Error, Result};
use crate::export::{self};
use crate::Kartoteka;
use chrono::Local;
use std::path::Path;

impl Kartoteka {
    // ----- annual report ---------------------------------------------------------------------

    pub async fn annual_figures(&self, year: i32) -> Result<crate::reports::AnnualFigures> {
        if !(2000..=2100).contains(&year) {
            return Err(Error::BadArgument(format!(
                "Rok {year} jest spoza zakresu 2000–2100."
            )));
        }
        let mut figures =
            crate::reports::AnnualFigures::from_counts(year, self.store.annual_counts(year).await?);
        (figures.library_loans, figures.library_copies_lent) =
            self.store.loans_in_year(year).await?;
        let (first, last) = (
            chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("a year in range"),
            chrono::NaiveDate::from_ymd_opt(year, 12, 31).expect("a year in range"),
        );
        let aid = self.starosta_figures_between(first, last, None).await?;
        let named = |counts: &[crate::legal_aid::Count]| -> Vec<(String, i64)> {
            counts
                .iter()
                .filter(|c| c.count > 0)
                .map(|c| (c.name.clone(), c.count))
                .collect()
        };
        figures.legal_aid_cards = aid.cards;
        figures.legal_aid_remote = aid.remote;
        figures.legal_aid_opinions = aid.opinions;
        figures.legal_aid_by_type = named(&aid.by_aid_type);
        figures.legal_aid_by_area = named(&aid.by_area);
        figures.legal_aid_by_form = named(&aid.by_form);
        figures.legal_aid_by_profession = named(&aid.by_profession);
        Ok(figures)
    }

    /// The annual report PDF of `year`, with the previous year beside each figure.
    pub async fn annual_report(
        &self,
        year: i32,
        opts: &crate::reports::AnnualOptions,
        out: &Path,
    ) -> Result<usize> {
        let now = self.annual_figures(year).await?;
        let before = self.annual_figures(year - 1).await?;
        let logo = match self.store.asset("logo").await? {
            Some(bytes) => Some(crate::reports::decode_logo(&bytes)?),
            None => None,
        };
        // The office's name and details from Dane biura unless this report names another.
        let office = self.office_settings().await?;
        let mut opts = opts.clone();
        if crate::text::clean_line(&opts.office).is_none() {
            opts.office = office.name.clone();
            opts.office_details = office.detail_line();
        }
        let map = if opts.includes("register") {
            let places = self.store.organization_places(false).await?;
            Some(crate::publish::map::activity_map(&places))
        } else {
            None
        };
        let (bytes, pages) = crate::reports::annual_pdf(
            &now,
            &before,
            &opts,
            Local::now().date_naive(),
            logo.as_ref(),
            map.as_ref(),
        )?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(year, pages, "annual report written");
        Ok(pages)
    }

    /// Sets the office's logo (a PNG) for the annual report; checked before it is stored.
    pub async fn set_logo(&self, path: &Path) -> Result<()> {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::invalid("logo", format!("Nie udało się odczytać pliku: {e}")))?;
        crate::reports::decode_logo(&bytes)?;
        self.store.set_asset("logo", &bytes).await
    }

    pub async fn clear_logo(&self) -> Result<()> {
        self.store.delete_asset("logo").await
    }

    pub async fn has_logo(&self) -> Result<bool> {
        Ok(self.store.asset("logo").await?.is_some())
    }

    /// The year's figures (with the previous year) as a formatted .xlsx, one sheet per table.
    pub async fn annual_xlsx(&self, year: i32, out: &Path) -> Result<()> {
        let now = self.annual_figures(year).await?;
        let before = self.annual_figures(year - 1).await?;
        crate::reports::write_xlsx(&now, &before, out)
    }

    /// The aggregated statistics of `year` as JSON: counts only, for the union.
    pub async fn export_stats(
        &self,
        year: i32,
        office: &str,
        out: &Path,
    ) -> Result<crate::reports::AnnualFigures> {
        let mut figures = self.annual_figures(year).await?;
        figures.office = self.office_name_or(office).await?;
        figures.bureau_code = self.bureau_code().await?;
        let json =
            serde_json::to_vec_pretty(&figures).map_err(|e| Error::BadArgument(e.to_string()))?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &json)?))?;
        Ok(figures)
    }

    /// This database's bureau code, made the first time it is needed and kept for good (a
    /// backup restored on another computer keeps it: it is the same bureau).
    pub async fn bureau_code(&self) -> Result<String> {
        self.store
            .meta_or_insert(
                crate::reports::stats_file::CODE_KEY,
                &crate::reports::stats_file::new_code(),
            )
            .await
    }

    /// Reads member bureaus' statistics files; each replaces an earlier file with the same
    /// bureau code and year (an uncoded file: the same office name, see `stats_file`). Every
    /// file is checked first and nothing is stored unless all of them pass.
    pub async fn import_stats(
        &self,
        files: &[std::path::PathBuf],
    ) -> Result<Vec<crate::reports::stats_file::Imported>> {
        let mut parsed = Vec::new();
        for path in files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let unreadable = |_| {
                Error::BadArgument(format!("Nie udało się odczytać pliku „{name}”: sprawdź, czy istnieje i czy wolno go czytać."))
            };
            if std::fs::metadata(path).map_err(unreadable)?.len() > 5_000_000 {
                return Err(Error::BadArgument(format!(
                    "Plik „{name}” jest za duży jak na plik statystyk."
                )));
            }
            let text = std::fs::read_to_string(path).map_err(unreadable)?;
            let checked = crate::reports::stats_file::check(&text, &name)?;
            let mut figures = checked.figures;
            if figures.office.is_empty() {
                figures.office = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| name.clone());
            }
            let key =
                crate::reports::stats_file::storage_key(checked.code.as_deref(), &figures.office);
            let json =
                serde_json::to_string(&figures).map_err(|e| Error::BadArgument(e.to_string()))?;
            parsed.push((key, figures.office, figures.year, json, checked.code));
        }
        let rows: Vec<(String, String, i32, String)> = parsed
            .iter()
            .map(|(k, o, y, j, _)| (k.clone(), o.clone(), *y, j.clone()))
            .collect();
        let replaced = self.store.save_network_stats(&rows).await?;
        tracing::info!(
            files = parsed.len(),
            replaced_uncoded = replaced.iter().filter(|r| **r).count(),
            "statistics imported"
        );
        Ok(parsed
            .into_iter()
            .zip(replaced)
            .map(|((_, office, year, _, code), replaced_uncoded)| {
                crate::reports::stats_file::Imported {
                    office,
                    year,
                    code,
                    replaced_uncoded,
                }
            })
            .collect())
    }

    /// The figures every bureau sent for `year`. Two bureaus with the same office name are
    /// both listed, told apart by their code.
    pub async fn network_figures(&self, year: i32) -> Result<Vec<crate::reports::AnnualFigures>> {
        let mut figures: Vec<crate::reports::AnnualFigures> = self
            .store
            .network_stats(year)
            .await?
            .into_iter()
            .map(|(_, json)| {
                serde_json::from_str(&json).map_err(|_| {
                    Error::BadArgument(
                        "Zapisane statystyki biur są nieczytelne: wczytaj pliki biur ponownie."
                            .into(),
                    )
                })
            })
            .collect::<Result<_>>()?;
        let names: Vec<String> = figures.iter().map(|f| f.office.clone()).collect();
        for f in &mut figures {
            if names.iter().filter(|n| **n == f.office).count() > 1 {
                let which = if f.bureau_code.is_empty() {
                    "plik bez kodu biura".to_string()
                } else {
                    format!("kod {}", f.bureau_code)
                };
                f.office = format!("{} ({which})", f.office);
            }
        }
        Ok(figures)
    }

    pub async fn network_report(&self, year: i32, union: &str, out: &Path) -> Result<usize> {
        let bureaus = self.network_figures(year).await?;
        if bureaus.is_empty() {
            return Err(Error::BadArgument(format!(
                "Nie wczytano jeszcze statystyk biur za rok {year}."
            )));
        }
        let union = self.office_name_or(union).await?;
        let (bytes, pages) =
            crate::reports::network_pdf(year, &bureaus, &union, Local::now().date_naive())?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        Ok(pages)
    }
}
