//! `Kartoteka`, the one entry point every front end (window, CLI, tests) uses: it parses raw
//! input into valid drafts, checks for likely duplicates, and hands drafts to the store.

use crate::directory::{self, DirectoryOptions, DirectorySummary};
use crate::error::{Error, Result};
use crate::export::{self, ExportFormat, ExportSummary};
use crate::model::*;
use crate::store::Store;
use chrono::Local;
use std::path::Path;

#[derive(Clone, Debug)]
pub struct Kartoteka {
    store: Store,
    /// Who is making changes, recorded in the history (set from the program's settings).
    user: std::sync::Arc<std::sync::RwLock<String>>,
}

/// Longest search text accepted: a search box, not a document.
const MAX_SEARCH_CHARS: usize = 200;

impl Kartoteka {
    pub async fn open(path: &Path) -> Result<Self> {
        Ok(Kartoteka {
            store: Store::open(path).await?,
            user: std::sync::Arc::new(std::sync::RwLock::new(crate::history::system_user())),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The user name recorded with every change from now on (empty: the system's user name).
    pub fn set_user_name(&self, name: &str) {
        let name = crate::text::clean_line(name)
            .map(|n| n.chars().take(100).collect())
            .unwrap_or_else(crate::history::system_user);
        *self.user.write().expect("user lock") = name;
    }

    pub fn user_name(&self) -> String {
        self.user.read().expect("user lock").clone()
    }

    async fn log(
        &self,
        entity: &str,
        id: i64,
        rows: Vec<(String, Option<String>, Option<String>)>,
    ) -> Result<()> {
        self.store
            .log_changes(entity, id, &self.user_name(), &rows)
            .await
    }

    /// A record's change history, newest first.
    pub async fn changes(&self, kind: RecordKind, id: i64) -> Result<Vec<crate::history::Change>> {
        self.store.changes(kind_code(kind), id, 500).await
    }

    pub fn database_path(&self) -> &Path {
        self.store.path()
    }

    pub async fn reference_data(&self) -> Result<ReferenceData> {
        let choice = |code: &str, pl: &str, en: &str| Choice {
            code: code.into(),
            label_pl: pl.into(),
            label_en: en.into(),
        };
        Ok(ReferenceData {
            legal_forms: LegalForm::ALL
                .iter()
                .map(|f| choice(f.code(), f.label_pl(), f.label_en()))
                .collect(),
            consent_channels: ConsentChannel::ALL
                .iter()
                .map(|c| choice(c.code(), c.label_pl(), c.label_en()))
                .collect(),
            areas: self.store.list_areas().await?,
            roles: SUGGESTED_ROLES.iter().map(|s| s.to_string()).collect(),
            voivodeships: VOIVODESHIPS.iter().map(|s| s.to_string()).collect(),
        })
    }

    pub async fn save_area(&self, code: &str, name: &str, active: bool) -> Result<()> {
        let code = code.trim();
        let valid_code =
            !code.is_empty() && code.len() <= 8 && code.chars().all(|c| c.is_ascii_alphanumeric());
        if !valid_code {
            return Err(Error::invalid(
                "code",
                "Numer punktu to cyfry i ewentualnie litera, np. 32a.",
            ));
        }
        let name = crate::text::clean_line(name)
            .ok_or_else(|| Error::invalid("name", "Podaj nazwę sfery."))?;
        self.store.save_area(code, &name, active).await
    }

    /// Saves a new organisation (`id` None) or changes an existing one. Unless
    /// `accept_duplicates`, a record sharing an identifier or e-mail is reported, not saved.
    pub async fn save_organization(
        &self,
        id: Option<i64>,
        input: &OrganizationInput,
        accept_duplicates: bool,
    ) -> Result<SaveOutcome> {
        let draft = input.parse(&self.store.area_codes().await?)?;
        if !accept_duplicates {
            let duplicates = self.store.organization_duplicates(&draft, id).await?;
            if !duplicates.is_empty() {
                return Ok(SaveOutcome::PossibleDuplicates { duplicates });
            }
        }
        let id = match id {
            Some(id) => {
                let before = serde_json::to_value(self.store.get_organization(id).await?)
                    .expect("serialises");
                self.store.update_organization(id, &draft).await?;
                let after = serde_json::to_value(self.store.get_organization(id).await?)
                    .expect("serialises");
                self.log(
                    "organization",
                    id,
                    crate::history::diff(&before, &after, crate::history::ORGANIZATION_FIELDS),
                )
                .await?;
                id
            }
            None => {
                let id = self
                    .store
                    .insert_organizations(std::slice::from_ref(&draft))
                    .await?[0];
                self.log(
                    "organization",
                    id,
                    vec![("created".into(), None, Some(draft.name.clone()))],
                )
                .await?;
                id
            }
        };
        tracing::info!(organization = id, "organization saved");
        Ok(SaveOutcome::Saved { id })
    }

    pub async fn organization(&self, id: i64) -> Result<Organization> {
        let mut o = self.store.get_organization(id).await?;
        o.email_consents = self.store.organization_consents(id).await?;
        Ok(o)
    }

    pub async fn archive_organization(&self, id: i64, archived: bool) -> Result<()> {
        self.store.set_organization_archived(id, archived).await?;
        self.log(
            "organization",
            id,
            vec![(
                "archived".into(),
                Some(yes_no(!archived)),
                Some(yes_no(archived)),
            )],
        )
        .await
    }

    pub async fn organizations(&self, query: &OrganizationQuery) -> Result<Page<OrganizationRow>> {
        self.store.list_organizations(query).await
    }

    pub async fn save_person(
        &self,
        id: Option<i64>,
        input: &PersonInput,
        accept_duplicates: bool,
    ) -> Result<SaveOutcome> {
        let draft = input.parse()?;
        if !accept_duplicates {
            let duplicates = self.store.person_duplicates(&draft, id).await?;
            if !duplicates.is_empty() {
                return Ok(SaveOutcome::PossibleDuplicates { duplicates });
            }
        }
        let id = match id {
            Some(id) => {
                let before =
                    serde_json::to_value(self.store.get_person(id).await?).expect("serialises");
                self.store.update_person(id, &draft).await?;
                let after =
                    serde_json::to_value(self.store.get_person(id).await?).expect("serialises");
                self.log(
                    "person",
                    id,
                    crate::history::diff(&before, &after, crate::history::PERSON_FIELDS),
                )
                .await?;
                id
            }
            None => {
                let id = self
                    .store
                    .insert_people(std::slice::from_ref(&draft))
                    .await?[0];
                self.log(
                    "person",
                    id,
                    vec![(
                        "created".into(),
                        None,
                        Some(format!("{} {}", draft.first_name, draft.last_name)),
                    )],
                )
                .await?;
                id
            }
        };
        tracing::info!(person = id, "person saved");
        Ok(SaveOutcome::Saved { id })
    }

    pub async fn person(&self, id: i64) -> Result<Person> {
        self.store.get_person(id).await
    }

    pub async fn archive_person(&self, id: i64, archived: bool) -> Result<()> {
        self.store.set_person_archived(id, archived).await?;
        self.log(
            "person",
            id,
            vec![(
                "archived".into(),
                Some(yes_no(!archived)),
                Some(yes_no(archived)),
            )],
        )
        .await
    }

    pub async fn people(&self, query: &PersonQuery) -> Result<Page<PersonRow>> {
        self.store.list_people(query).await
    }

    pub(crate) fn consent_date(raw: &str) -> Result<chrono::NaiveDate> {
        let date = if raw.trim().is_empty() {
            Local::now().date_naive()
        } else {
            parse_date(raw).map_err(|e| Error::invalid("date", e.0))?
        };
        if date > Local::now().date_naive() {
            return Err(Error::invalid("date", "Data nie może być z przyszłości."));
        }
        Ok(date)
    }

    pub async fn grant_consent(&self, person_id: i64, input: &ConsentInput) -> Result<i64> {
        let channel = ConsentChannel::from_code(input.channel.trim())
            .ok_or_else(|| Error::invalid("channel", "Wybierz rodzaj zgody."))?;
        let date = Self::consent_date(&input.date)?;
        let source = crate::text::clean_line(&input.source).ok_or_else(|| {
            Error::invalid(
                "source",
                "Podaj, jak zgoda została wyrażona (np. formularz papierowy).",
            )
        })?;
        let id = self
            .store
            .grant_consent(person_id, channel, date, &source)
            .await?;
        let field = format!("consent:{}", channel.code());
        self.log(
            "person",
            person_id,
            vec![(
                field,
                None,
                Some(format!("udzielona {} ({source})", date.format("%d.%m.%Y"))),
            )],
        )
        .await?;
        Ok(id)
    }

    pub async fn withdraw_consent(&self, consent_id: i64, date: &str, source: &str) -> Result<()> {
        let date = Self::consent_date(date)?;
        let source = crate::text::clean_line(source).unwrap_or_else(|| "nie podano".into());
        self.store
            .withdraw_consent(consent_id, date, &source)
            .await?;
        if let Some((person, channel)) = self
            .store
            .consent_owner(&crate::store::PERSON_CONSENTS, consent_id)
            .await?
        {
            self.log(
                "person",
                person,
                vec![(
                    format!("consent:{channel}"),
                    Some("udzielona".into()),
                    Some(format!("wycofana {} ({source})", date.format("%d.%m.%Y"))),
                )],
            )
            .await?;
        }
        Ok(())
    }

    pub async fn search(&self, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
        if text.chars().count() > MAX_SEARCH_CHARS {
            return Err(Error::BadArgument(format!(
                "Wyszukiwany tekst jest za długi (najwyżej {MAX_SEARCH_CHARS} znaków)."
            )));
        }
        let mut hits = self.store.search(text, limit).await?;
        // An anonymous client's code (K-2026-5327) finds their advice, first: a code is typed
        // whole and means exactly that client. Only where advice may be seen at all.
        if self.may_see_advice() {
            let mut advice = self.store.advice_by_client_code(text, 5).await?;
            advice.append(&mut hits);
            hits = advice;
            hits.truncate(limit.clamp(1, 200) as usize);
        }
        Ok(hits)
    }

    /// Writes the organisations `query` selects (filters and order as in the window, no paging).
    pub async fn export_organizations(
        &self,
        query: &OrganizationQuery,
        format: ExportFormat,
        out: &Path,
    ) -> Result<ExportSummary> {
        let rows = self.store.export_organizations(query).await?;
        export::write_organizations(&rows, format, out)?;
        tracing::info!(rows = rows.len(), ?format, "organizations exported");
        Ok(ExportSummary {
            rows: rows.len(),
            path: out.display().to_string(),
            format,
        })
    }

    pub async fn export_people(
        &self,
        query: &PersonQuery,
        format: ExportFormat,
        out: &Path,
    ) -> Result<ExportSummary> {
        let rows = self.store.export_people(query).await?;
        export::write_people(&rows, format, out)?;
        tracing::info!(rows = rows.len(), ?format, "people exported");
        Ok(ExportSummary {
            rows: rows.len(),
            path: out.display().to_string(),
            format,
        })
    }

    /// The directory PDF of the organisations `query` selects, with the directory's own options.
    pub async fn directory_pdf(
        &self,
        query: &OrganizationQuery,
        opts: &DirectoryOptions,
        out: &Path,
    ) -> Result<DirectorySummary> {
        let today = Local::now().date_naive();
        let sorted = OrganizationQuery {
            sort: OrganizationSort::Name,
            descending: false,
            ..query.clone()
        };
        let rows = directory::select(self.store.export_organizations(&sorted).await?, opts, today);
        let areas: Vec<ActivityArea> = self
            .store
            .list_areas()
            .await?
            .into_iter()
            .filter(|a| a.active)
            .collect();
        let opts = &DirectoryOptions {
            office: self.office_name_or(&opts.office).await?,
            ..opts.clone()
        };
        let (bytes, pages) = directory::render(&rows, &areas, opts, today)?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(organizations = rows.len(), pages, "directory written");
        Ok(DirectorySummary {
            path: out.display().to_string(),
            organizations: rows.len(),
            pages,
        })
    }

    pub async fn counts(&self) -> Result<RegisterCounts> {
        self.store.counts().await
    }

    pub async fn cities(&self) -> Result<Vec<String>> {
        let mut c = self.store.cities(300).await?;
        c.sort_by(|a, b| crate::collation::compare(a, b));
        Ok(c)
    }

    pub async fn tags(&self) -> Result<Vec<String>> {
        let mut t = self.store.tags(300).await?;
        t.sort_by(|a, b| crate::collation::compare(a, b));
        Ok(t)
    }

    // ----- advice ----------------------------------------------------------------------------

    pub async fn advice_categories(&self) -> Result<Vec<crate::advice::AdviceCategory>> {
        self.store.advice_categories().await
    }

    /// Saves a new advice record (`id` None) or changes one. An anonymous client without a code
    /// gets the next free one (K-2026-0001), so that returning clients can be counted.
    pub async fn save_advice(
        &self,
        id: Option<i64>,
        input: &crate::advice::AdviceInput,
    ) -> Result<i64> {
        let today = Local::now().date_naive();
        let known: Vec<String> = self
            .store
            .advice_categories()
            .await?
            .into_iter()
            .filter(|c| c.active)
            .map(|c| c.code)
            .collect();
        let mut draft = input.parse(&known, today)?;
        if draft.person_id.is_none() && draft.client_code.is_none() {
            draft.client_code = Some(
                self.store
                    .next_client_code(chrono::Datelike::year(&draft.given_on))
                    .await?,
            );
        }
        let id = match id {
            Some(id) => {
                self.store.update_advice(id, &draft).await?;
                id
            }
            None => self.store.insert_advice(&draft).await?,
        };
        tracing::info!(advice = id, "advice saved");
        Ok(id)
    }

    /// Adds or renames a problem category (code: letters, digits and dots, e.g. ZAD.KOM).
    pub async fn save_advice_category(
        &self,
        code: &str,
        parent: Option<&str>,
        name: &str,
        active: bool,
    ) -> Result<()> {
        let code = code.trim().to_uppercase();
        if code.is_empty()
            || code.len() > 16
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        {
            return Err(Error::invalid(
                "code",
                "Kod to litery, cyfry i kropki (np. ZAD.KOM), najwyżej 16 znaków.",
            ));
        }
        let name = crate::text::clean_line(name)
            .filter(|n| n.chars().count() <= 120)
            .ok_or_else(|| Error::invalid("name", "Podaj nazwę kategorii."))?;
        let parent = parent.map(str::trim).filter(|p| !p.is_empty());
        self.store
            .save_advice_category(&code, parent, &name, active)
            .await
    }

    pub async fn save_consultation_topic(
        &self,
        code: &str,
        name: &str,
        active: bool,
    ) -> Result<()> {
        let code = code.trim().to_uppercase();
        if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::invalid(
                "code",
                "Kod to litery i cyfry (np. WNI), najwyżej 16 znaków.",
            ));
        }
        let name = crate::text::clean_line(name)
            .filter(|n| n.chars().count() <= 120)
            .ok_or_else(|| Error::invalid("name", "Podaj nazwę tematu."))?;
        self.store
            .save_consultation_topic(&code, &name, active)
            .await
    }

    pub async fn advice(&self, id: i64) -> Result<crate::advice::AdviceRecord> {
        self.store.get_advice(id).await
    }

    pub async fn delete_advice(&self, id: i64) -> Result<()> {
        self.store.delete_advice(id).await?;
        tracing::info!(advice = id, "advice deleted");
        Ok(())
    }

    pub async fn list_advice(
        &self,
        query: &crate::advice::AdviceQuery,
    ) -> Result<Page<crate::advice::AdviceRow>> {
        let range = crate::advice::parse_range(query)?;
        self.store
            .list_advice(query, range, Local::now().date_naive())
            .await
    }

    // ----- events ----------------------------------------------------------------------------

    pub async fn save_event(
        &self,
        id: Option<i64>,
        input: &crate::events::EventInput,
    ) -> Result<i64> {
        let draft = input.parse()?;
        let id = self.store.save_event(id, &draft).await?;
        tracing::info!(event = id, "event saved");
        Ok(id)
    }

    pub async fn event(&self, id: i64) -> Result<crate::events::Event> {
        self.store.get_event(id).await
    }

    pub async fn delete_event(&self, id: i64) -> Result<()> {
        self.store.delete_event(id).await
    }

    pub async fn events(
        &self,
        query: &crate::events::EventQuery,
    ) -> Result<Page<crate::events::EventRow>> {
        self.store
            .list_events(query, Local::now().date_naive())
            .await
    }

    /// Registers a person, with the organisation they come from when they have a role in one.
    pub async fn register_for_event(
        &self,
        event_id: i64,
        person_id: i64,
        organization_id: Option<i64>,
    ) -> Result<String> {
        let organization_id = match organization_id {
            Some(o) => Some(o),
            None => self
                .store
                .get_person(person_id)
                .await?
                .roles
                .first()
                .map(|r| r.organization_id),
        };
        self.store
            .register_for_event(event_id, person_id, organization_id)
            .await
    }

    pub async fn unregister(&self, registration_id: i64) -> Result<()> {
        self.store.unregister(registration_id).await
    }

    pub async fn set_attended(&self, registration_id: i64, attended: bool) -> Result<()> {
        self.store.set_attended(registration_id, attended).await
    }

    /// The attendance sheet of an event as a PDF file.
    pub async fn attendance_pdf(&self, event_id: i64, office: &str, out: &Path) -> Result<usize> {
        let event = self.store.get_event(event_id).await?;
        let office = self.office_name_or(office).await?;
        let (bytes, pages) =
            crate::events::attendance_pdf(&event, &office, Local::now().date_naive())?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(event = event_id, pages, "attendance sheet written");
        Ok(pages)
    }

    // ----- annual report ---------------------------------------------------------------------

    pub async fn annual_figures(&self, year: i32) -> Result<crate::report::AnnualFigures> {
        if !(2000..=2100).contains(&year) {
            return Err(Error::BadArgument(format!(
                "Rok {year} jest spoza zakresu 2000–2100."
            )));
        }
        Ok(crate::report::AnnualFigures::from_counts(
            year,
            self.store.annual_counts(year).await?,
        ))
    }

    /// The annual report PDF of `year`, with the previous year beside each figure.
    pub async fn annual_report(
        &self,
        year: i32,
        opts: &crate::report::AnnualOptions,
        out: &Path,
    ) -> Result<usize> {
        let now = self.annual_figures(year).await?;
        let before = self.annual_figures(year - 1).await?;
        let logo = match self.store.asset("logo").await? {
            Some(bytes) => Some(crate::report::decode_logo(&bytes)?),
            None => None,
        };
        // The office's name and details from Dane biura unless this report names another.
        let office = self.office_settings().await?;
        let mut opts = opts.clone();
        if crate::text::clean_line(&opts.office).is_none() {
            opts.office = office.name.clone();
            opts.office_details = office.detail_line();
        }
        let (bytes, pages) = crate::report::annual_pdf(
            &now,
            &before,
            &opts,
            Local::now().date_naive(),
            logo.as_ref(),
        )?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(year, pages, "annual report written");
        Ok(pages)
    }

    /// Sets the office's logo (a PNG) for the annual report; checked before it is stored.
    pub async fn set_logo(&self, path: &Path) -> Result<()> {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::invalid("logo", format!("Nie udało się odczytać pliku: {e}")))?;
        crate::report::decode_logo(&bytes)?;
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
        crate::report::write_xlsx(&now, &before, out)
    }

    /// The aggregated statistics of `year` as JSON: counts only, for the union.
    pub async fn export_stats(
        &self,
        year: i32,
        office: &str,
        out: &Path,
    ) -> Result<crate::report::AnnualFigures> {
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
            .meta_or_insert(crate::stats_file::CODE_KEY, &crate::stats_file::new_code())
            .await
    }

    /// Reads member bureaus' statistics files; each replaces an earlier file with the same
    /// bureau code and year (an uncoded file: the same office name, see `stats_file`). Every
    /// file is checked first and nothing is stored unless all of them pass.
    pub async fn import_stats(
        &self,
        files: &[std::path::PathBuf],
    ) -> Result<Vec<crate::stats_file::Imported>> {
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
            let checked = crate::stats_file::check(&text, &name)?;
            let mut figures = checked.figures;
            if figures.office.is_empty() {
                figures.office = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| name.clone());
            }
            let key = crate::stats_file::storage_key(checked.code.as_deref(), &figures.office);
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
            .map(
                |((_, office, year, _, code), replaced_uncoded)| crate::stats_file::Imported {
                    office,
                    year,
                    code,
                    replaced_uncoded,
                },
            )
            .collect())
    }

    /// The figures every bureau sent for `year`. Two bureaus with the same office name are
    /// both listed, told apart by their code.
    pub async fn network_figures(&self, year: i32) -> Result<Vec<crate::report::AnnualFigures>> {
        let mut figures: Vec<crate::report::AnnualFigures> = self
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
            crate::report::network_pdf(year, &bureaus, &union, Local::now().date_naive())?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        Ok(pages)
    }

    // ----- consultations ---------------------------------------------------------------------

    pub async fn consultation_topics(
        &self,
    ) -> Result<Vec<crate::consultations::ConsultationTopic>> {
        self.store.consultation_topics().await
    }

    pub async fn save_consultation(
        &self,
        id: Option<i64>,
        input: &crate::consultations::ConsultationInput,
    ) -> Result<i64> {
        let topics: Vec<String> = self
            .store
            .consultation_topics()
            .await?
            .into_iter()
            .filter(|t| t.active)
            .map(|t| t.code)
            .collect();
        let draft = input.parse(&topics, Local::now().date_naive())?;
        let id = self.store.save_consultation(id, &draft).await?;
        tracing::info!(consultation = id, "consultation saved");
        Ok(id)
    }

    pub async fn consultation(&self, id: i64) -> Result<crate::consultations::Consultation> {
        self.store.get_consultation(id).await
    }

    pub async fn delete_consultation(&self, id: i64) -> Result<()> {
        self.store.delete_consultation(id).await
    }

    pub async fn consultations(
        &self,
        q: &crate::consultations::ConsultationQuery,
    ) -> Result<Page<crate::consultations::Consultation>> {
        self.store.list_consultations(q).await
    }

    // ----- needs survey ----------------------------------------------------------------------

    pub async fn add_survey_topic(&self, year: i32, name: &str) -> Result<i64> {
        if !(2000..=2100).contains(&year) {
            return Err(Error::BadArgument(format!(
                "Rok {year} jest spoza zakresu 2000–2100."
            )));
        }
        let name = crate::text::clean_line(name)
            .filter(|n| n.chars().count() <= 200)
            .ok_or_else(|| {
                Error::invalid("name", "Podaj temat szkolenia (najwyżej 200 znaków).")
            })?;
        self.store.add_survey_topic(year, &name).await
    }

    pub async fn delete_survey_topic(&self, id: i64) -> Result<()> {
        self.store.delete_survey_topic(id).await
    }

    pub async fn set_survey_choice(
        &self,
        topic_id: i64,
        organization_id: i64,
        chosen: bool,
    ) -> Result<()> {
        self.store
            .set_survey_choice(topic_id, organization_id, chosen)
            .await
    }

    /// The survey of `year`, topics ranked by how many organisations chose them.
    pub async fn survey(&self, year: i32) -> Result<crate::survey::Survey> {
        let (topics, choices) = self.store.survey_rows(year).await?;
        let mut answering: Vec<i64> = choices.iter().map(|c| c.1).collect();
        answering.sort_unstable();
        answering.dedup();
        let mut ranked: Vec<(i64, crate::survey::SurveyTopic)> = topics
            .into_iter()
            .map(|(id, name, position)| {
                let organizations = choices
                    .iter()
                    .filter(|c| c.0 == id)
                    .map(|c| (c.1, c.2.clone()))
                    .collect();
                (
                    position,
                    crate::survey::SurveyTopic {
                        id,
                        name,
                        organizations,
                    },
                )
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.1.organizations
                .len()
                .cmp(&a.1.organizations.len())
                .then(a.0.cmp(&b.0))
        });
        Ok(crate::survey::Survey {
            year,
            topics: ranked.into_iter().map(|(_, t)| t).collect(),
            organizations_answering: answering.len(),
        })
    }
}

fn yes_no(b: bool) -> String {
    if b { "tak" } else { "nie" }.into()
}

fn kind_code(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Organization => "organization",
        RecordKind::Person => "person",
        RecordKind::Advice => "advice",
    }
}
