//! The register's operations: organisations, people, their consents, search, exports and
//! the printed directory, as the window and the CLI call them.

use crate::error::{Error, Result};
use crate::export::{self, ExportFormat, ExportSummary};
use crate::history::ChangeNote;
use crate::kartoteka::*;
use crate::register::directory::{self, DirectoryOptions, DirectorySummary};
use crate::register::*;
use crate::Kartoteka;
use chrono::Local;
use std::path::Path;

impl Kartoteka {
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
        let author = self.user_name();
        let id = match id {
            Some(id) => {
                self.store
                    .update_organization(id, &draft, &author, input.revision)
                    .await?;
                id
            }
            None => {
                let note = ChangeNote {
                    author: &author,
                    rows: vec![("created".into(), None, Some(draft.name.clone()))],
                };
                self.store.create_organization(&draft, &note).await?
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
        let note = ChangeNote {
            author: &self.user_name(),
            rows: vec![(
                "archived".into(),
                Some(yes_no(!archived)),
                Some(yes_no(archived)),
            )],
        };
        self.store
            .set_organization_archived(id, archived, &note)
            .await
    }

    pub async fn organizations(&self, query: &OrganizationQuery) -> Result<Page<OrganizationRow>> {
        query.validate()?;
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
        let author = self.user_name();
        let id = match id {
            Some(id) => {
                self.store
                    .update_person(id, &draft, &author, input.revision)
                    .await?;
                id
            }
            None => {
                let note = ChangeNote {
                    author: &author,
                    rows: vec![(
                        "created".into(),
                        None,
                        Some(format!("{} {}", draft.first_name, draft.last_name)),
                    )],
                };
                self.store.create_person(&draft, &note).await?
            }
        };
        tracing::info!(person = id, "person saved");
        Ok(SaveOutcome::Saved { id })
    }

    pub async fn person(&self, id: i64) -> Result<Person> {
        self.store.get_person(id).await
    }

    pub async fn archive_person(&self, id: i64, archived: bool) -> Result<()> {
        let note = ChangeNote {
            author: &self.user_name(),
            rows: vec![(
                "archived".into(),
                Some(yes_no(!archived)),
                Some(yes_no(archived)),
            )],
        };
        self.store.set_person_archived(id, archived, &note).await
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
        let note = ChangeNote {
            author: &self.user_name(),
            rows: vec![(
                format!("consent:{}", channel.code()),
                None,
                Some(format!("udzielona {} ({source})", date.format("%d.%m.%Y"))),
            )],
        };
        self.store
            .grant_consent(person_id, channel, date, &source, &note)
            .await
    }

    pub async fn withdraw_consent(&self, consent_id: i64, date: &str, source: &str) -> Result<()> {
        let date = Self::consent_date(date)?;
        let source = crate::text::clean_line(source).unwrap_or_else(|| "nie podano".into());
        // A consent's owner and channel never change, so the history row can be written from
        // what is read before the withdrawal, in the withdrawal's own transaction.
        let (_, channel) = self
            .store
            .consent_owner(ConsentOwner::Person, consent_id)
            .await?
            .ok_or(Error::NotFound("zgoda"))?;
        let note = ChangeNote {
            author: &self.user_name(),
            rows: vec![(
                format!("consent:{channel}"),
                Some("udzielona".into()),
                Some(format!("wycofana {} ({source})", date.format("%d.%m.%Y"))),
            )],
        };
        self.store
            .withdraw_consent(consent_id, date, &source, &note)
            .await
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
        query.validate()?;
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
        query.validate()?;
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
        c.sort_by(|a, b| crate::text::collation::compare(a, b));
        Ok(c)
    }

    pub async fn tags(&self) -> Result<Vec<String>> {
        let mut t = self.store.tags(300).await?;
        t.sort_by(|a, b| crate::text::collation::compare(a, b));
        Ok(t)
    }
}
