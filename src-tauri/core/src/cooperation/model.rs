//! The cooperation programme's records as typed and as stored: the year's programme with its
//! priority tasks, an open competition, an offer with its contract and settlement (in a
//! competition or under art. 19a), and the statutory warnings a save reports without refusing.

use crate::error::{Error, FieldError, Result};
use crate::money::{format_grosze, parse_grosze};
use crate::register::{parse_date, MAX_FIELD_CHARS};
use crate::text::{clean_block, clean_line};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Art. 19a ust. 1: a small grant is at most 10 000 zł…
pub const SMALL_GRANT_MAX_GROSZE: i64 = 1_000_000;
/// …for a task of at most 90 days…
pub const SMALL_GRANT_MAX_DAYS: i64 = 90;
/// …ust. 4: one organisation gets at most 20 000 zł of them in a year…
pub const SMALL_GRANT_YEAR_PER_ORG_GROSZE: i64 = 2_000_000;
/// …ust. 5: and together they are at most 20% of the year's planned grant funds.
pub const SMALL_GRANT_SHARE_PERCENT: i64 = 20;
/// Art. 19a ust. 3: the offer is published for comments for 7 days before the contract.
pub const SMALL_GRANT_COMMENT_DAYS: i64 = 7;

fn too_long(errors: &mut Vec<FieldError>, field: &str, text: &str) {
    if text.chars().count() > MAX_FIELD_CHARS {
        errors.push(FieldError::new(
            field,
            "Tekst jest za długi (najwyżej 10 000 znaków).",
        ));
    }
}

fn required_line(errors: &mut Vec<FieldError>, field: &str, raw: &str, message: &str) -> String {
    match clean_line(raw).filter(|t| t.chars().count() <= 300) {
        Some(t) => t,
        None => {
            errors.push(FieldError::new(field, message));
            String::new()
        }
    }
}

fn required_date(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> NaiveDate {
    parse_date(raw).unwrap_or_else(|e| {
        errors.push(FieldError::new(field, e.0));
        NaiveDate::MIN
    })
}

fn optional_date(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<NaiveDate> {
    match raw.trim() {
        "" => None,
        r => match parse_date(r) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(FieldError::new(field, e.0));
                None
            }
        },
    }
}

fn required_money(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> i64 {
    parse_grosze(raw).unwrap_or_else(|e| {
        errors.push(FieldError::new(field, e.0));
        0
    })
}

fn optional_money(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<i64> {
    match raw.trim() {
        "" => None,
        r => match parse_grosze(r) {
            Ok(g) => Some(g),
            Err(e) => {
                errors.push(FieldError::new(field, e.0));
                None
            }
        },
    }
}

fn area(errors: &mut Vec<FieldError>, field: &str, raw: &str, known: &[String]) -> String {
    let code = raw.trim().to_string();
    if !known.contains(&code) {
        errors.push(FieldError::new(
            field,
            "Wybierz sferę pożytku publicznego z listy.",
        ));
    }
    code
}

fn done(errors: Vec<FieldError>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

// ----- the programme --------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PriorityTaskInput {
    /// The task's id when it is already saved (competitions refer to it).
    pub id: Option<i64>,
    pub title: String,
    pub area_code: String,
    pub planned: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgrammeInput {
    pub year: String,
    pub resolution_number: String,
    pub resolution_date: String,
    pub period_from: String,
    pub period_until: String,
    pub forms: String,
    pub consultation_note: String,
    pub council_opinion: String,
    pub conclusions: String,
    pub tasks: Vec<PriorityTaskInput>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PriorityTaskDraft {
    pub id: Option<i64>,
    pub title: String,
    pub area_code: String,
    pub planned_grosze: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeDraft {
    pub year: i64,
    pub resolution_number: String,
    pub resolution_date: NaiveDate,
    pub period_from: NaiveDate,
    pub period_until: NaiveDate,
    pub forms: Option<String>,
    pub consultation_note: Option<String>,
    pub council_opinion: Option<String>,
    pub conclusions: Option<String>,
    pub tasks: Vec<PriorityTaskDraft>,
}

impl ProgrammeInput {
    /// Parses the form; `areas` are the spheres' codes. Errors in a task name its row
    /// (`tasks.2.planned`), so the window marks the right field.
    pub fn parse(&self, areas: &[String]) -> Result<ProgrammeDraft> {
        let mut errors = Vec::new();
        let year = match self.year.trim().parse::<i64>() {
            Ok(y) if (2000..=2100).contains(&y) => y,
            _ => {
                errors.push(FieldError::new("year", "Rok programu to np. 2027."));
                0
            }
        };
        let resolution_number = required_line(
            &mut errors,
            "resolution_number",
            &self.resolution_number,
            "Podaj numer uchwały rady, np. XII/123/2026.",
        );
        let resolution_date = required_date(&mut errors, "resolution_date", &self.resolution_date);
        let period_from = if self.period_from.trim().is_empty() && year > 0 {
            NaiveDate::from_ymd_opt(year as i32, 1, 1).unwrap_or(NaiveDate::MIN)
        } else {
            required_date(&mut errors, "period_from", &self.period_from)
        };
        let period_until = if self.period_until.trim().is_empty() && year > 0 {
            NaiveDate::from_ymd_opt(year as i32, 12, 31).unwrap_or(NaiveDate::MIN)
        } else {
            required_date(&mut errors, "period_until", &self.period_until)
        };
        if period_until < period_from {
            errors.push(FieldError::new(
                "period_until",
                "Koniec okresu programu jest przed jego początkiem.",
            ));
        }
        for (field, text) in [
            ("forms", &self.forms),
            ("consultation_note", &self.consultation_note),
            ("council_opinion", &self.council_opinion),
            ("conclusions", &self.conclusions),
        ] {
            too_long(&mut errors, field, text);
        }
        if self.tasks.len() > 100 {
            errors.push(FieldError::new(
                "tasks",
                "Program ma najwyżej 100 zadań priorytetowych.",
            ));
        }
        let mut tasks = Vec::new();
        for (i, t) in self.tasks.iter().enumerate() {
            // A row left empty in the form is not a task.
            if t.title.trim().is_empty() && t.planned.trim().is_empty() && t.id.is_none() {
                continue;
            }
            tasks.push(PriorityTaskDraft {
                id: t.id.filter(|id| *id > 0),
                title: required_line(
                    &mut errors,
                    &format!("tasks.{i}.title"),
                    &t.title,
                    "Podaj nazwę zadania priorytetowego.",
                ),
                area_code: area(
                    &mut errors,
                    &format!("tasks.{i}.area_code"),
                    &t.area_code,
                    areas,
                ),
                planned_grosze: required_money(
                    &mut errors,
                    &format!("tasks.{i}.planned"),
                    &t.planned,
                ),
            });
        }
        done(errors)?;
        Ok(ProgrammeDraft {
            year,
            resolution_number,
            resolution_date,
            period_from,
            period_until,
            forms: clean_block(&self.forms),
            consultation_note: clean_block(&self.consultation_note),
            council_opinion: clean_block(&self.council_opinion),
            conclusions: clean_block(&self.conclusions),
            tasks,
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct PriorityTask {
    pub id: i64,
    pub title: String,
    pub area_code: String,
    pub planned_grosze: i64,
    /// Granted to offers in competitions under this task.
    pub granted_grosze: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Programme {
    pub id: i64,
    pub year: i64,
    pub resolution_number: String,
    pub resolution_date: NaiveDate,
    pub period_from: NaiveDate,
    pub period_until: NaiveDate,
    pub forms: Option<String>,
    pub consultation_note: Option<String>,
    pub council_opinion: Option<String>,
    pub conclusions: Option<String>,
    #[sqlx(skip)]
    pub tasks: Vec<PriorityTask>,
}

impl Programme {
    pub fn planned_grosze(&self) -> i64 {
        self.tasks.iter().map(|t| t.planned_grosze).sum()
    }
}

// ----- competitions ---------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CompetitionInput {
    pub title: String,
    pub area_code: String,
    pub priority_task_id: Option<i64>,
    pub grant_call_id: Option<i64>,
    pub funds: String,
    pub announced_on: String,
    pub deadline_on: String,
    pub result_on: String,
    pub committee: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompetitionDraft {
    pub title: String,
    pub area_code: String,
    pub priority_task_id: Option<i64>,
    pub grant_call_id: Option<i64>,
    pub funds_grosze: i64,
    pub announced_on: NaiveDate,
    pub deadline_on: NaiveDate,
    pub result_on: Option<NaiveDate>,
    pub committee: Option<String>,
    pub notes: Option<String>,
}

impl CompetitionInput {
    pub fn parse(&self, areas: &[String]) -> Result<CompetitionDraft> {
        let mut errors = Vec::new();
        let title = required_line(
            &mut errors,
            "title",
            &self.title,
            "Podaj zadanie publiczne, którego dotyczy konkurs.",
        );
        let area_code = area(&mut errors, "area_code", &self.area_code, areas);
        let funds_grosze = required_money(&mut errors, "funds", &self.funds);
        let announced_on = required_date(&mut errors, "announced_on", &self.announced_on);
        let deadline_on = required_date(&mut errors, "deadline_on", &self.deadline_on);
        if deadline_on < announced_on && deadline_on != NaiveDate::MIN {
            errors.push(FieldError::new(
                "deadline_on",
                "Termin składania ofert jest przed ogłoszeniem konkursu.",
            ));
        }
        let result_on = optional_date(&mut errors, "result_on", &self.result_on);
        if result_on.is_some_and(|r| r < deadline_on) {
            errors.push(FieldError::new(
                "result_on",
                "Wyniki są przed terminem składania ofert.",
            ));
        }
        too_long(&mut errors, "committee", &self.committee);
        too_long(&mut errors, "notes", &self.notes);
        done(errors)?;
        Ok(CompetitionDraft {
            title,
            area_code,
            priority_task_id: self.priority_task_id.filter(|i| *i > 0),
            grant_call_id: self.grant_call_id.filter(|i| *i > 0),
            funds_grosze,
            announced_on,
            deadline_on,
            result_on,
            committee: clean_block(&self.committee),
            notes: clean_block(&self.notes),
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Competition {
    pub id: i64,
    pub title: String,
    pub area_code: String,
    pub area_name: String,
    pub priority_task_id: Option<i64>,
    pub priority_task_title: Option<String>,
    pub grant_call_id: Option<i64>,
    pub grant_call_title: Option<String>,
    pub funds_grosze: i64,
    pub announced_on: NaiveDate,
    pub deadline_on: NaiveDate,
    pub result_on: Option<NaiveDate>,
    pub committee: Option<String>,
    pub notes: Option<String>,
    pub offers: i64,
    pub granted_grosze: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CompetitionQuery {
    /// The year of announcement; none: every year.
    pub year: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

// ----- offers, contracts, settlement -----------------------------------------------------------

/// What became of an offer.
pub const OFFER_STATUSES: [(&str, &str); 4] = [
    ("submitted", "złożona"),
    ("rejected_formal", "odrzucona formalnie"),
    ("refused", "bez dotacji"),
    ("granted", "dotacja przyznana"),
];

/// How a contract ended.
pub const SETTLEMENTS: [(&str, &str); 4] = [
    ("open", "w realizacji"),
    ("accepted", "rozliczona"),
    ("returned", "rozliczona ze zwrotem"),
    ("terminated", "rozwiązana"),
];

pub fn status_label(code: &str) -> &'static str {
    OFFER_STATUSES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("złożona")
}

pub fn settlement_label(code: &str) -> &'static str {
    SETTLEMENTS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("w realizacji")
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferInput {
    /// The competition; none: a small grant outside competitions (art. 19a).
    pub competition_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub title: String,
    /// The sphere of a small grant (an offer in a competition has the competition's).
    pub area_code: String,
    pub submitted_on: String,
    pub requested: String,
    pub status: String,
    pub rejection_reason: String,
    pub score: String,
    pub granted: String,
    /// Art. 19a: when the offer was published for comments.
    pub published_on: String,
    pub period_from: String,
    pub period_until: String,
    pub contract_number: String,
    pub contract_signed_on: String,
    pub settlement: String,
    pub returned: String,
    pub settled_on: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfferDraft {
    pub competition_id: Option<i64>,
    pub organization_id: i64,
    pub title: String,
    pub area_code: Option<String>,
    pub submitted_on: NaiveDate,
    pub requested_grosze: i64,
    pub status: String,
    pub rejection_reason: Option<String>,
    pub score: Option<f64>,
    pub granted_grosze: Option<i64>,
    pub published_on: Option<NaiveDate>,
    pub period_from: Option<NaiveDate>,
    pub period_until: Option<NaiveDate>,
    pub contract_number: Option<String>,
    pub contract_signed_on: Option<NaiveDate>,
    pub settlement: String,
    pub returned_grosze: i64,
    pub settled_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

impl OfferDraft {
    pub fn is_small_grant(&self) -> bool {
        self.competition_id.is_none()
    }

    /// The year the offer counts in: its competition's (given) or, for art. 19a, its own.
    pub fn year(&self, competition_year: Option<i32>) -> i32 {
        competition_year.unwrap_or(self.submitted_on.year())
    }
}

impl OfferInput {
    pub fn parse(&self, areas: &[String]) -> Result<OfferDraft> {
        let mut errors = Vec::new();
        let competition_id = self.competition_id.filter(|i| *i > 0);
        let organization_id = self.organization_id.filter(|i| *i > 0).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "organization_id",
                "Wybierz organizację (wpisz kilka liter nazwy).",
            ));
            0
        });
        let title = required_line(
            &mut errors,
            "title",
            &self.title,
            "Podaj tytuł zadania z oferty.",
        );
        let area_code = match (competition_id, self.area_code.trim()) {
            (Some(_), "") => None,
            (None, "") => {
                errors.push(FieldError::new(
                    "area_code",
                    "Wybierz sferę pożytku publicznego z listy.",
                ));
                None
            }
            (_, code) => Some(area(&mut errors, "area_code", code, areas)),
        };
        let submitted_on = required_date(&mut errors, "submitted_on", &self.submitted_on);
        let requested_grosze = required_money(&mut errors, "requested", &self.requested);
        let status = match self.status.trim() {
            "" => "submitted",
            s => match OFFER_STATUSES.iter().find(|(c, _)| *c == s) {
                Some((c, _)) => *c,
                None => {
                    errors.push(FieldError::new("status", "Wybierz stan oferty z listy."));
                    "submitted"
                }
            },
        }
        .to_string();
        let rejection_reason = clean_block(&self.rejection_reason);
        if status == "rejected_formal" && rejection_reason.is_none() {
            errors.push(FieldError::new(
                "rejection_reason",
                "Podaj powód odrzucenia z przyczyn formalnych.",
            ));
        }
        let score = match self.score.trim().replace(',', ".").as_str() {
            "" => None,
            s => match s.parse::<f64>() {
                Ok(v) if (0.0..=1000.0).contains(&v) => Some((v * 10.0).round() / 10.0),
                _ => {
                    errors.push(FieldError::new(
                        "score",
                        "Ocena to liczba punktów, np. 42 albo 37,5.",
                    ));
                    None
                }
            },
        };
        let granted_grosze = optional_money(&mut errors, "granted", &self.granted);
        if status == "granted" && granted_grosze.is_none_or(|g| g == 0) {
            errors.push(FieldError::new(
                "granted",
                "Podaj kwotę przyznanej dotacji.",
            ));
        }
        if status != "granted" && granted_grosze.is_some_and(|g| g > 0) {
            errors.push(FieldError::new(
                "granted",
                "Kwotę dotacji wpisuje się tylko przy ofercie z przyznaną dotacją.",
            ));
        }
        let published_on = optional_date(&mut errors, "published_on", &self.published_on);
        let period_from = optional_date(&mut errors, "period_from", &self.period_from);
        let period_until = optional_date(&mut errors, "period_until", &self.period_until);
        if let (Some(f), Some(u)) = (period_from, period_until) {
            if u < f {
                errors.push(FieldError::new(
                    "period_until",
                    "Koniec realizacji zadania jest przed jego początkiem.",
                ));
            }
        }
        let contract_number = clean_line(&self.contract_number);
        let contract_signed_on =
            optional_date(&mut errors, "contract_signed_on", &self.contract_signed_on);
        if (contract_number.is_some() || contract_signed_on.is_some()) && status != "granted" {
            errors.push(FieldError::new(
                "contract_number",
                "Umowę zawiera się tylko przy ofercie z przyznaną dotacją.",
            ));
        }
        if contract_number.is_some() != contract_signed_on.is_some() {
            let field = if contract_number.is_some() {
                "contract_signed_on"
            } else {
                "contract_number"
            };
            errors.push(FieldError::new(
                field,
                "Umowa ma numer i datę zawarcia: podaj oba.",
            ));
        }
        let settlement = match self.settlement.trim() {
            "" => "open",
            s => match SETTLEMENTS.iter().find(|(c, _)| *c == s) {
                Some((c, _)) => *c,
                None => {
                    errors.push(FieldError::new(
                        "settlement",
                        "Wybierz stan rozliczenia z listy.",
                    ));
                    "open"
                }
            },
        }
        .to_string();
        if settlement != "open" && contract_number.is_none() {
            errors.push(FieldError::new(
                "settlement",
                "Rozliczenie dotyczy zawartej umowy: najpierw wpisz umowę.",
            ));
        }
        let returned_grosze = optional_money(&mut errors, "returned", &self.returned).unwrap_or(0);
        if returned_grosze > 0 && !matches!(settlement.as_str(), "returned" | "terminated") {
            errors.push(FieldError::new(
                "returned",
                "Zwrot wpisuje się przy rozliczeniu ze zwrotem albo rozwiązaniu umowy.",
            ));
        }
        if settlement == "returned" && returned_grosze == 0 {
            errors.push(FieldError::new("returned", "Podaj kwotę zwróconą."));
        }
        if let Some(g) = granted_grosze {
            if returned_grosze > g {
                errors.push(FieldError::new(
                    "returned",
                    "Zwrot jest większy niż przyznana dotacja.",
                ));
            }
        }
        let settled_on = optional_date(&mut errors, "settled_on", &self.settled_on);
        too_long(&mut errors, "notes", &self.notes);
        done(errors)?;
        Ok(OfferDraft {
            competition_id,
            organization_id,
            title,
            area_code,
            submitted_on,
            requested_grosze,
            status,
            rejection_reason,
            score,
            granted_grosze: granted_grosze.filter(|g| *g > 0),
            published_on,
            period_from,
            period_until,
            contract_number,
            contract_signed_on,
            settlement,
            returned_grosze,
            settled_on,
            notes: clean_block(&self.notes),
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Offer {
    pub id: i64,
    pub competition_id: Option<i64>,
    pub competition_title: Option<String>,
    pub organization_id: i64,
    pub organization_name: String,
    pub title: String,
    pub area_code: Option<String>,
    pub submitted_on: NaiveDate,
    pub requested_grosze: i64,
    pub status: String,
    pub rejection_reason: Option<String>,
    pub score: Option<f64>,
    pub granted_grosze: Option<i64>,
    pub published_on: Option<NaiveDate>,
    pub period_from: Option<NaiveDate>,
    pub period_until: Option<NaiveDate>,
    pub contract_number: Option<String>,
    pub contract_signed_on: Option<NaiveDate>,
    pub settlement: String,
    pub returned_grosze: i64,
    pub settled_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferQuery {
    pub competition_id: Option<i64>,
    /// Only art. 19a grants (no competition).
    pub small_grants: bool,
    pub organization_id: Option<i64>,
    /// The year of submission (art. 19a) or of the competition's announcement.
    pub year: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

/// An offer saved, with what the statute or the competition's funds warn about (shown at the
/// field; the save went through, as the office may have its reasons).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OfferSaved {
    pub id: i64,
    pub warnings: Vec<FieldError>,
}

/// What the warnings are counted against, read by the store for one draft.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferContext {
    /// The competition's funds and what its other offers were granted.
    pub competition: Option<(i64, i64)>,
    /// Art. 19a grants of the same organisation in the same year, this offer left out.
    pub organization_small_grants_grosze: i64,
    /// Art. 19a grants of everyone in the same year, this offer left out.
    pub year_small_grants_grosze: i64,
    /// The year's programme's planned grant funds, when there is a programme.
    pub year_planned_grosze: Option<i64>,
}

/// The statutory caps of art. 19a and the competition's funds, each exactly at its limit:
/// reaching it is fine, one grosz over warns.
pub fn offer_warnings(d: &OfferDraft, ctx: &OfferContext) -> Vec<FieldError> {
    let mut w = Vec::new();
    let amount = d.granted_grosze.unwrap_or(0);
    if let Some((funds, others)) = ctx.competition {
        if amount > 0 && others + amount > funds {
            w.push(FieldError::new(
                "granted",
                format!(
                    "Dotacje w tym konkursie razem ({}) przekraczają jego środki ({}).",
                    format_grosze(others + amount),
                    format_grosze(funds)
                ),
            ));
        }
        return w;
    }
    let counted = if amount > 0 {
        amount
    } else {
        d.requested_grosze
    };
    if counted > SMALL_GRANT_MAX_GROSZE {
        let field = if amount > 0 { "granted" } else { "requested" };
        w.push(FieldError::new(
            field,
            format!(
                "Art. 19a: dotacja w trybie pozakonkursowym to najwyżej 10 000,00 zł (tu {}).",
                format_grosze(counted)
            ),
        ));
    }
    if let (Some(f), Some(u)) = (d.period_from, d.period_until) {
        let days = (u - f).num_days() + 1;
        if days > SMALL_GRANT_MAX_DAYS {
            w.push(FieldError::new(
                "period_until",
                format!("Art. 19a: zadanie trwa najwyżej 90 dni (tu {days})."),
            ));
        }
    }
    if amount > 0 {
        let org_total = ctx.organization_small_grants_grosze + amount;
        if org_total > SMALL_GRANT_YEAR_PER_ORG_GROSZE {
            w.push(FieldError::new(
                "granted",
                format!(
                    "Art. 19a: ta organizacja dostałaby w tym roku w tym trybie {} (najwyżej 20 000,00 zł).",
                    format_grosze(org_total)
                ),
            ));
        }
        if let Some(planned) = ctx.year_planned_grosze {
            let year_total = ctx.year_small_grants_grosze + amount;
            // 20% compared in whole grosze: total × 100 > planned × 20.
            if year_total as i128 * 100 > planned as i128 * SMALL_GRANT_SHARE_PERCENT as i128 {
                w.push(FieldError::new(
                    "granted",
                    format!(
                        "Art. 19a: dotacje w tym trybie w roku ({}) przekraczają 20% środków zaplanowanych w programie na dotacje ({}).",
                        format_grosze(year_total),
                        format_grosze(planned)
                    ),
                ));
            }
        }
    }
    if let (Some(p), Some(c)) = (d.published_on, d.contract_signed_on) {
        if (c - p).num_days() < SMALL_GRANT_COMMENT_DAYS {
            w.push(FieldError::new(
                "contract_signed_on",
                "Art. 19a: umowę zawiera się po 7 dniach od opublikowania oferty na uwagi.",
            ));
        }
    }
    if d.published_on.is_none() && d.contract_signed_on.is_some() {
        w.push(FieldError::new(
            "published_on",
            "Art. 19a: przed umową ofertę publikuje się na 7 dni na uwagi; podaj datę publikacji.",
        ));
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas() -> Vec<String> {
        vec!["pomoc_spoleczna".into()]
    }

    fn small(granted: &str, from: &str, until: &str) -> OfferDraft {
        OfferInput {
            organization_id: Some(1),
            title: "Piknik sąsiedzki".into(),
            area_code: "pomoc_spoleczna".into(),
            submitted_on: "2027-05-01".into(),
            requested: granted.into(),
            status: "granted".into(),
            granted: granted.into(),
            published_on: "2027-05-02".into(),
            period_from: from.into(),
            period_until: until.into(),
            contract_number: "19a/1/2027".into(),
            contract_signed_on: "2027-05-09".into(),
            ..Default::default()
        }
        .parse(&areas())
        .unwrap()
    }

    fn fields(w: &[FieldError]) -> Vec<&str> {
        w.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn small_grant_caps_warn_exactly_past_their_limits() {
        let ctx = OfferContext::default();
        // 10 000,00 zł over 90 days (1 June – 29 August), published 7 days before: nothing.
        let at = small("10000,00", "2027-06-01", "2027-08-29");
        assert!(
            offer_warnings(&at, &ctx).is_empty(),
            "{:?}",
            offer_warnings(&at, &ctx)
        );
        let over = small("10000,01", "2027-06-01", "2027-08-30");
        assert_eq!(
            fields(&offer_warnings(&over, &ctx)),
            ["granted", "period_until"]
        );
        // 20 000 zł a year for one organisation.
        let five = small("5000", "2027-06-01", "2027-06-30");
        let at_org = OfferContext {
            organization_small_grants_grosze: 1_500_000,
            ..Default::default()
        };
        assert!(offer_warnings(&five, &at_org).is_empty());
        let over_org = OfferContext {
            organization_small_grants_grosze: 1_500_001,
            ..Default::default()
        };
        assert_eq!(fields(&offer_warnings(&five, &over_org)), ["granted"]);
        // 20% of the planned funds: 25 000 zł planned allows 5 000 zł.
        let share = |others| OfferContext {
            year_small_grants_grosze: others,
            year_planned_grosze: Some(2_500_000),
            ..Default::default()
        };
        assert!(offer_warnings(&five, &share(0)).is_empty());
        assert_eq!(fields(&offer_warnings(&five, &share(1))), ["granted"]);
    }

    #[test]
    fn a_contract_before_the_seven_days_of_comments_warns() {
        let mut d = small("3000", "2027-06-01", "2027-06-10");
        d.contract_signed_on = NaiveDate::from_ymd_opt(2027, 5, 8);
        assert_eq!(
            fields(&offer_warnings(&d, &OfferContext::default())),
            ["contract_signed_on"]
        );
        d.published_on = None;
        assert_eq!(
            fields(&offer_warnings(&d, &OfferContext::default())),
            ["published_on"]
        );
    }

    #[test]
    fn competition_funds_warn_one_grosz_over() {
        let mut d = small("4000", "", "");
        d.competition_id = Some(7);
        let ctx = |others| OfferContext {
            competition: Some((1_000_000, others)),
            ..Default::default()
        };
        assert!(offer_warnings(&d, &ctx(600_000)).is_empty());
        assert_eq!(fields(&offer_warnings(&d, &ctx(600_001))), ["granted"]);
    }

    #[test]
    fn an_offer_form_is_refused_at_its_fields() {
        let e = OfferInput {
            competition_id: Some(3),
            status: "rejected_formal".into(),
            requested: "abc".into(),
            granted: "500".into(),
            ..Default::default()
        }
        .parse(&areas())
        .unwrap_err();
        let Error::Invalid(errors) = e else {
            panic!("{e:?}")
        };
        let f: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for expected in [
            "organization_id",
            "title",
            "submitted_on",
            "requested",
            "rejection_reason",
            "granted",
        ] {
            assert!(f.contains(&expected), "{expected} in {f:?}");
        }
    }

    #[test]
    fn a_programme_names_the_row_of_a_wrong_task() {
        let e = ProgrammeInput {
            year: "2027".into(),
            resolution_number: "XII/1/2026".into(),
            resolution_date: "2026-11-20".into(),
            tasks: vec![
                PriorityTaskInput {
                    title: "Pomoc sąsiedzka".into(),
                    area_code: "pomoc_spoleczna".into(),
                    planned: "100 000".into(),
                    ..Default::default()
                },
                PriorityTaskInput {
                    title: "Sport".into(),
                    area_code: "nieznana".into(),
                    planned: "dużo".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        }
        .parse(&areas())
        .unwrap_err();
        let Error::Invalid(errors) = e else {
            panic!("{e:?}")
        };
        let f: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(f, ["tasks.1.area_code", "tasks.1.planned"]);
    }
}
