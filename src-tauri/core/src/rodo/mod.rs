//! RODO (GDPR) tools for a person: "everything we hold" as JSON and PDF (art. 15), erasure
//! (art. 17) and anonymisation, both logged without the erased data; and retention rules per
//! kind of record, applied after a preview of exactly what they will change.

pub mod erasure;
pub(crate) mod store;

use crate::error::{Error, Result};
use crate::history::Change;
use crate::mail::MailHistoryRow;
use crate::pdf::{finish_pdf, Layout, Weight};
use crate::register::{Person, RecordKind};
use crate::rodo::erasure::ErasurePreview;
use crate::Kartoteka;
use chrono::{Local, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AdviceItem {
    pub given_on: NaiveDate,
    pub advisor: String,
    pub channel: String,
    pub description: Option<String>,
    pub outcome: String,
    pub categories: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EventItem {
    pub title: String,
    pub starts_at: String,
    pub status: String,
    pub attended: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ConsultationItem {
    pub given_on: NaiveDate,
    pub organization: String,
    pub topic: String,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonActivity {
    pub advice: Vec<AdviceItem>,
    pub events: Vec<EventItem>,
    pub consultations: Vec<ConsultationItem>,
    pub lists: Vec<String>,
}

/// Everything the register holds about one person.
#[derive(Debug, Clone, Serialize)]
pub struct PersonData {
    pub prepared_at: String,
    pub controller: String,
    pub person: Person,
    pub activity: PersonActivity,
    pub mail: Vec<MailHistoryRow>,
    pub history: Vec<Change>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessExport {
    pub json: String,
    pub pdf: String,
    pub pages: usize,
}

/// How long records keep personal data; `None` keeps them until removed by hand.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RetentionSettings {
    /// Advice records older than this lose the client link and the case description.
    pub advice_years: Option<u32>,
    /// People archived longer than this are anonymised.
    pub archived_people_years: Option<u32>,
    /// Sent-mail records older than this lose the recipient's address and name (counts stay).
    pub mail_years: Option<u32>,
    /// Consultations older than this lose the person's link and the notes (organisation and topic stay).
    pub consultation_years: Option<u32>,
    /// Attendance lists of events over longer than this are removed; the event keeps the counts.
    pub event_list_years: Option<u32>,
    /// Library loans returned longer ago than this lose their borrower (the loans stay counted).
    pub loan_years: Option<u32>,
}

impl RetentionSettings {
    fn rules(&self) -> [(&'static str, Option<u32>); 6] {
        [
            ("advice_years", self.advice_years),
            ("archived_people_years", self.archived_people_years),
            ("mail_years", self.mail_years),
            ("consultation_years", self.consultation_years),
            ("event_list_years", self.event_list_years),
            ("loan_years", self.loan_years),
        ]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RetentionPreview {
    pub advice_count: usize,
    pub advice_oldest: Option<NaiveDate>,
    pub advice_newest: Option<NaiveDate>,
    pub people_count: usize,
    /// The first people who would be anonymised: `(id, name, archived_at)`.
    pub people_sample: Vec<(i64, String, String)>,
    pub mail_count: i64,
    pub consultation_count: usize,
    pub event_count: usize,
    /// People on those events' lists together.
    pub event_people: i64,
    /// The first events whose lists would go: `(id, title, starts_at, people on the list)`.
    pub event_sample: Vec<(i64, String, String, i64)>,
    /// Returned library loans that would lose their borrower.
    pub loan_count: u64,
}

/// What one application of the rules changed.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct RetentionApplied {
    pub advice: usize,
    pub people: usize,
    pub mail: u64,
    pub consultations: usize,
    pub event_lists: usize,
    pub registrations: u64,
    pub loans: u64,
}

const RETENTION_KEY: &str = "retention";
const RETENTION_FORBIDDEN: &str = "Okresy przechowywania danych ustala administrator albo doradca: to konto może je tylko przeglądać. Nic nie zostało zmienione.";

fn years_before(today: NaiveDate, years: u32) -> NaiveDate {
    today
        .checked_sub_months(Months::new(12 * years))
        .unwrap_or(NaiveDate::MIN)
}

fn pdf_of(data: &PersonData) -> Result<(Vec<u8>, usize)> {
    let mut layout = Layout::new();
    layout.new_page();
    let p = &data.person;
    let mut lines: Vec<(Weight, f32, String)> = vec![
        (
            Weight::Bold,
            16.0,
            "Informacja o przetwarzanych danych osobowych".into(),
        ),
        (
            Weight::Regular,
            10.0,
            format!(
                "art. 15 RODO · przygotowano {} · administrator: {}",
                data.prepared_at, data.controller
            ),
        ),
        (
            Weight::Bold,
            13.0,
            format!("{} {}", p.first_name, p.last_name),
        ),
    ];
    let mut section = |title: &str, rows: Vec<String>| {
        lines.push((Weight::Bold, 12.0, title.to_string()));
        if rows.is_empty() {
            lines.push((Weight::Regular, 10.0, "— brak —".into()));
        }
        lines.extend(rows.into_iter().map(|r| (Weight::Regular, 10.0, r)));
    };
    let mut contact: Vec<String> = p.emails.iter().map(|e| format!("e-mail: {e}")).collect();
    contact.extend(p.phones.iter().map(|t| format!("telefon: {t}")));
    if let Some(n) = &p.notes {
        contact.push(format!("notatki: {n}"));
    }
    section("Dane kontaktowe i notatki", contact);
    section(
        "Role w organizacjach",
        p.roles
            .iter()
            .map(|r| format!("{} — {}", r.organization_name, r.role))
            .collect(),
    );
    section(
        "Zgody",
        p.consents
            .iter()
            .map(|c| {
                let end = c
                    .withdrawn_on
                    .map(|w| format!(", wycofana {}", w.format("%d.%m.%Y")))
                    .unwrap_or_default();
                let channel = crate::register::ConsentChannel::from_code(&c.channel)
                    .map(|ch| ch.label_pl().to_string())
                    .unwrap_or_else(|| c.channel.clone());
                format!(
                    "{channel}: udzielona {} ({}){end}",
                    c.granted_on.format("%d.%m.%Y"),
                    c.source
                )
            })
            .collect(),
    );
    section(
        "Porady",
        data.activity
            .advice
            .iter()
            .map(|a| {
                format!(
                    "{} · {} · {}{}",
                    a.given_on.format("%d.%m.%Y"),
                    a.categories.clone().unwrap_or_default(),
                    a.advisor,
                    a.description
                        .as_ref()
                        .map(|d| format!(" · {d}"))
                        .unwrap_or_default()
                )
            })
            .collect(),
    );
    section(
        "Wydarzenia",
        data.activity
            .events
            .iter()
            .map(|e| {
                format!(
                    "{} · {} · {}",
                    &e.starts_at[..10.min(e.starts_at.len())],
                    e.title,
                    if e.attended {
                        "obecność"
                    } else {
                        e.status.as_str()
                    }
                )
            })
            .collect(),
    );
    section(
        "Konsultacje",
        data.activity
            .consultations
            .iter()
            .map(|c| {
                format!(
                    "{} · {} · {}",
                    c.given_on.format("%d.%m.%Y"),
                    c.organization,
                    c.topic
                )
            })
            .collect(),
    );
    section("Listy adresowe", data.activity.lists.clone());
    section(
        "Wysłane wiadomości",
        data.mail
            .iter()
            .map(|m| {
                format!(
                    "{} · {} · {} · {}",
                    &m.updated_at[..10.min(m.updated_at.len())],
                    m.subject,
                    m.address,
                    m.status
                )
            })
            .collect(),
    );
    section(
        "Historia zmian",
        data.history
            .iter()
            .map(|c| {
                format!(
                    "{} · {} · {}: {} → {}",
                    c.at,
                    c.user_name,
                    c.field,
                    c.old_value.clone().unwrap_or_default(),
                    c.new_value.clone().unwrap_or_default()
                )
            })
            .collect(),
    );
    for (w, size, text) in &lines {
        let block = layout.block(
            &[(*w, *size, text.as_str())],
            if *w == Weight::Bold { 4.0 } else { 1.0 },
        );
        layout.place(&block, 0.0);
    }
    finish_pdf(
        layout,
        "Informacja o danych osobowych",
        Local::now().date_naive(),
        Vec::new(),
    )
}

impl Kartoteka {
    pub async fn person_data(&self, id: i64) -> Result<PersonData> {
        let person = self.person(id).await?;
        Ok(PersonData {
            prepared_at: Local::now().format("%d.%m.%Y %H:%M").to_string(),
            controller: self
                .office_settings()
                .await
                .map(|o| {
                    [o.name.clone(), o.detail_line()]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
            activity: self.store().person_activity(id).await?,
            mail: self.mail_history(None, Some(id)).await?,
            history: self.changes(RecordKind::Person, id).await?,
            person,
        })
    }

    /// Writes `dane-osoby-<id>.json` and `.pdf` into `dir`.
    pub async fn export_person_data(&self, id: i64, dir: &Path) -> Result<AccessExport> {
        let data = self.person_data(id).await?;
        crate::private_files::create_dir(dir)?;
        let json: PathBuf = dir.join(format!("dane-osoby-{id}.json"));
        let pdf: PathBuf = dir.join(format!("dane-osoby-{id}.pdf"));
        let text = serde_json::to_vec_pretty(&data).expect("serialises");
        crate::export::write_atomically(&json, |tmp| Ok(std::fs::write(tmp, &text)?))?;
        let (bytes, pages) = pdf_of(&data)?;
        crate::export::write_atomically(&pdf, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(person = id, "access request answered (art. 15)");
        Ok(AccessExport {
            json: json.display().to_string(),
            pdf: pdf.display().to_string(),
            pages,
        })
    }

    /// Art. 17. Returns the backups made before that still hold the person (listed before the
    /// person's row goes) with the day the rotation removes each.
    pub async fn erase_person(&self, id: i64) -> Result<ErasurePreview> {
        let held = self.erasure_preview(id).await?;
        self.store().erase_person(id, &self.user_name()).await?;
        self.scrub_removed_data().await?;
        tracing::info!(
            person = id,
            backups_holding = held.backups.len(),
            "person erased (art. 17)"
        );
        Ok(held)
    }

    pub async fn anonymize_person(&self, id: i64) -> Result<ErasurePreview> {
        let held = self.erasure_preview(id).await?;
        self.store().anonymize_person(id, &self.user_name()).await?;
        self.scrub_removed_data().await?;
        tracing::info!(
            person = id,
            backups_holding = held.backups.len(),
            "person anonymised"
        );
        Ok(held)
    }

    /// Leaves no removed text in the file's free space, the search index or the WAL.
    async fn scrub_removed_data(&self) -> Result<()> {
        if !self.store().scrub_removed_data().await? {
            tracing::warn!("WAL not truncated after removing personal data: another process is reading the database");
        }
        Ok(())
    }

    pub async fn retention_settings(&self) -> Result<RetentionSettings> {
        Ok(self
            .store()
            .meta(RETENTION_KEY)
            .await?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default())
    }

    pub async fn save_retention_settings(&self, s: &RetentionSettings) -> Result<()> {
        for (field, v) in s.rules() {
            if v.is_some_and(|y| !(1..=50).contains(&y)) {
                return Err(Error::invalid(
                    field,
                    "Podaj liczbę lat od 1 do 50 albo zostaw puste (bez limitu).",
                ));
            }
        }
        self.store()
            .set_meta(
                RETENTION_KEY,
                &serde_json::to_string(s).expect("serialises"),
            )
            .await
            // On a server the refusal is the server's own (row-level security on `meta`, in
            // one statement, so nothing is written): said in words an office worker follows.
            .map_err(|e| match e.code() {
                "forbidden" => Error::Forbidden(RETENTION_FORBIDDEN.into()),
                _ => e,
            })
    }

    pub async fn retention_preview(&self) -> Result<RetentionPreview> {
        self.retention_preview_as_of(Local::now().date_naive())
            .await
    }

    /// What the rules would change if today were `today` (the tests look years ahead).
    pub async fn retention_preview_as_of(&self, today: NaiveDate) -> Result<RetentionPreview> {
        let s = self.retention_settings().await?;
        let advice = match s.advice_years {
            Some(y) => {
                self.store()
                    .advice_past_retention(years_before(today, y))
                    .await?
            }
            None => Vec::new(),
        };
        let people = match s.archived_people_years {
            Some(y) => {
                self.store()
                    .people_past_retention(years_before(today, y))
                    .await?
            }
            None => Vec::new(),
        };
        let mail_count = match s.mail_years {
            Some(y) => {
                self.store()
                    .mail_past_retention(years_before(today, y))
                    .await?
            }
            None => 0,
        };
        let consultations = match s.consultation_years {
            Some(y) => {
                self.store()
                    .consultations_past_retention(years_before(today, y))
                    .await?
            }
            None => Vec::new(),
        };
        let events = match s.event_list_years {
            Some(y) => {
                self.store()
                    .event_lists_past_retention(years_before(today, y))
                    .await?
            }
            None => Vec::new(),
        };
        let loan_count = match s.loan_years {
            Some(y) => {
                self.store()
                    .loans_past_retention(years_before(today, y))
                    .await?
            }
            None => 0,
        };
        Ok(RetentionPreview {
            loan_count,
            consultation_count: consultations.len(),
            event_count: events.len(),
            event_people: events.iter().map(|e| e.3).sum(),
            event_sample: events.into_iter().take(50).collect(),
            advice_count: advice.len(),
            advice_oldest: advice.first().map(|a| a.1),
            advice_newest: advice.last().map(|a| a.1),
            people_count: people.len(),
            people_sample: people.into_iter().take(50).collect(),
            mail_count,
        })
    }

    /// Applies the retention rules.
    pub async fn apply_retention(&self) -> Result<RetentionApplied> {
        self.apply_retention_as_of(Local::now().date_naive()).await
    }

    pub async fn apply_retention_as_of(&self, today: NaiveDate) -> Result<RetentionApplied> {
        let s = self.retention_settings().await?;
        let mut done = RetentionApplied::default();
        if let Some(y) = s.advice_years {
            let ids: Vec<i64> = self
                .store()
                .advice_past_retention(years_before(today, y))
                .await?
                .into_iter()
                .map(|a| a.0)
                .collect();
            self.store().strip_advice(&ids).await?;
            done.advice = ids.len();
        }
        if let Some(y) = s.archived_people_years {
            for (id, _, _) in self
                .store()
                .people_past_retention(years_before(today, y))
                .await?
            {
                self.store().anonymize_person(id, &self.user_name()).await?;
                done.people += 1;
            }
        }
        if let Some(y) = s.mail_years {
            done.mail = self.store().strip_mail(years_before(today, y)).await?;
        }
        if let Some(y) = s.consultation_years {
            let ids: Vec<i64> = self
                .store()
                .consultations_past_retention(years_before(today, y))
                .await?
                .into_iter()
                .map(|c| c.0)
                .collect();
            self.store().strip_consultations(&ids).await?;
            done.consultations = ids.len();
        }
        if let Some(y) = s.event_list_years {
            let ids: Vec<i64> = self
                .store()
                .event_lists_past_retention(years_before(today, y))
                .await?
                .into_iter()
                .map(|e| e.0)
                .collect();
            done.registrations = self.store().remove_event_lists(&ids, today).await?;
            done.event_lists = ids.len();
        }
        if let Some(y) = s.loan_years {
            done.loans = self
                .store()
                .remove_loan_borrowers(years_before(today, y))
                .await?;
        }
        if done != RetentionApplied::default() {
            self.scrub_removed_data().await?;
        }
        tracing::info!(?done, "retention applied");
        Ok(done)
    }
}
