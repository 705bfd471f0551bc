//! The correspondence log's records: an address agreement and a letter as typed and as stored,
//! and what the lists read back (days waiting, whether the item came outside any agreement).

use crate::error::{Error, FieldError, Result};
use crate::ids::Email;
use crate::register::{parse_date, MAX_FIELD_CHARS};
use crate::text::{clean_block, clean_line};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Kinds of items, as the post office names them.
pub const LETTER_KINDS: [(&str, &str); 4] = [
    ("list", "list"),
    ("polecony", "list polecony"),
    ("paczka", "paczka"),
    ("awizo", "awizo"),
];

pub fn kind_label(code: &str) -> &'static str {
    LETTER_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("list")
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AgreementInput {
    pub organization_id: Option<i64>,
    pub valid_from: String,
    pub valid_until: String,
    pub contact_person_id: Option<i64>,
    pub contact_email: String,
    /// `email`, `phone` or `none`.
    pub notify_by: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AgreementDraft {
    pub organization_id: i64,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub contact_person_id: Option<i64>,
    pub contact_email: Option<String>,
    pub notify_by: String,
    pub notes: Option<String>,
}

impl AgreementInput {
    pub fn parse(&self) -> Result<AgreementDraft> {
        let mut errors = Vec::new();
        let organization_id = self.organization_id.filter(|o| *o > 0).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "organization_id",
                "Wybierz organizację (wpisz kilka liter nazwy).",
            ));
            0
        });
        let valid_from = parse_date(&self.valid_from).unwrap_or_else(|e| {
            errors.push(FieldError::new("valid_from", e.0));
            NaiveDate::MIN
        });
        let valid_until = match self.valid_until.trim() {
            "" => None,
            u => match parse_date(u) {
                Ok(d) if d < valid_from => {
                    errors.push(FieldError::new(
                        "valid_until",
                        "Koniec umowy jest przed jej początkiem.",
                    ));
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push(FieldError::new("valid_until", e.0));
                    None
                }
            },
        };
        let contact_email = match self.contact_email.trim() {
            "" => None,
            e => match Email::parse(e) {
                Ok(e) => Some(e.as_str().to_string()),
                Err(e) => {
                    errors.push(FieldError::new("contact_email", e.0));
                    None
                }
            },
        };
        let notify_by = match self.notify_by.trim() {
            "" | "email" => "email",
            "phone" => "phone",
            "none" => "none",
            _ => {
                errors.push(FieldError::new(
                    "notify_by",
                    "Wybierz sposób powiadamiania.",
                ));
                "email"
            }
        };
        if self.notes.chars().count() > MAX_FIELD_CHARS {
            errors.push(FieldError::new(
                "notes",
                "Notatka jest za długa (najwyżej 10 000 znaków).",
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(AgreementDraft {
            organization_id,
            valid_from,
            valid_until,
            contact_person_id: self.contact_person_id.filter(|p| *p > 0),
            contact_email,
            notify_by: notify_by.to_string(),
            notes: clean_block(&self.notes),
        })
    }
}

/// An address agreement as the views read it.
#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Agreement {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub contact_person_id: Option<i64>,
    pub contact_person_name: Option<String>,
    pub contact_email: Option<String>,
    pub notify_by: String,
    pub notes: Option<String>,
    /// Items waiting for pickup.
    pub waiting: i64,
}

impl Agreement {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_until.is_none_or(|u| day <= u)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LetterInput {
    pub received_on: String,
    pub sender: String,
    pub organization_id: Option<i64>,
    pub kind: String,
    pub tracking_number: String,
    pub item_count: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LetterDraft {
    pub received_on: NaiveDate,
    pub sender: String,
    pub organization_id: i64,
    pub kind: String,
    pub tracking_number: Option<String>,
    pub item_count: i64,
    pub notes: Option<String>,
}

impl LetterInput {
    pub fn parse(&self, today: NaiveDate) -> Result<LetterDraft> {
        let mut errors = Vec::new();
        let received_on = match parse_date(&self.received_on) {
            Ok(d) if d > today => {
                errors.push(FieldError::new(
                    "received_on",
                    "Data wpływu nie może być z przyszłości.",
                ));
                today
            }
            Ok(d) => d,
            Err(e) => {
                errors.push(FieldError::new("received_on", e.0));
                today
            }
        };
        let sender = clean_line(&self.sender)
            .filter(|s| s.chars().count() <= 200)
            .unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "sender",
                    "Podaj nadawcę (do 200 znaków), np. „Urząd Miasta”.",
                ));
                String::new()
            });
        let organization_id = self.organization_id.filter(|o| *o > 0).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "organization_id",
                "Wybierz organizację-adresata (wpisz kilka liter nazwy).",
            ));
            0
        });
        let kind = match self.kind.trim() {
            "" => "list".to_string(),
            k if LETTER_KINDS.iter().any(|(c, _)| *c == k) => k.to_string(),
            _ => {
                errors.push(FieldError::new("kind", "Wybierz rodzaj przesyłki z listy."));
                "list".to_string()
            }
        };
        let tracking_number = clean_line(&self.tracking_number);
        if tracking_number
            .as_ref()
            .is_some_and(|t| t.chars().count() > 60)
        {
            errors.push(FieldError::new(
                "tracking_number",
                "Numer nadania jest za długi (najwyżej 60 znaków).",
            ));
        }
        let item_count = match self.item_count.trim() {
            "" => 1,
            n => n
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=999).contains(n))
                .unwrap_or_else(|| {
                    errors.push(FieldError::new(
                        "item_count",
                        "Liczba przesyłek: od 1 do 999.",
                    ));
                    1
                }),
        };
        if self.notes.chars().count() > MAX_FIELD_CHARS {
            errors.push(FieldError::new(
                "notes",
                "Notatka jest za długa (najwyżej 10 000 znaków).",
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(LetterDraft {
            received_on,
            sender,
            organization_id,
            kind,
            tracking_number,
            item_count,
            notes: clean_block(&self.notes),
        })
    }
}

/// A logged item as the lists read it.
#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Letter {
    pub id: i64,
    pub received_on: NaiveDate,
    pub sender: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub kind: String,
    pub tracking_number: Option<String>,
    pub item_count: i64,
    pub notes: Option<String>,
    pub notified_at: Option<String>,
    pub notified_to: Option<String>,
    pub picked_up_on: Option<NaiveDate>,
    pub picked_up_by: Option<String>,
    pub entered_by: String,
    /// No address agreement of the organisation covers the day it came.
    pub outside_agreement: bool,
    /// Days since it came, while it waits (0 once picked up).
    #[sqlx(skip)]
    pub days_waiting: i64,
}

impl Letter {
    pub fn with_days_waiting(mut self, today: NaiveDate) -> Self {
        self.days_waiting = match self.picked_up_on {
            Some(_) => 0,
            None => (today - self.received_on).num_days().max(0),
        };
        self
    }
}

/// What the log lists: waiting items, one organisation's, one month's — a page at a time.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LetterQuery {
    pub waiting_only: bool,
    pub organization_id: Option<i64>,
    /// `YYYY-MM`.
    pub month: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

impl LetterQuery {
    /// The month as the first and last day.
    pub fn month_span(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let Some(m) = self.month.as_deref().filter(|m| !m.trim().is_empty()) else {
            return Ok(None);
        };
        let first = NaiveDate::parse_from_str(&format!("{}-01", m.trim()), "%Y-%m-%d")
            .map_err(|_| Error::invalid("month", "Miesiąc wpisz jako RRRR-MM."))?;
        let last = first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(first);
        Ok(Some((first, last)))
    }
}

/// Who picked items up, and when.
pub fn pickup_by(raw: &str) -> Result<String> {
    clean_line(raw)
        .filter(|r| r.chars().count() <= 200)
        .ok_or_else(|| Error::invalid("picked_up_by", "Podaj, kto odebrał (imię i nazwisko)."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    #[test]
    fn a_letter_needs_a_sender_an_addressee_and_a_past_date() {
        let Err(Error::Invalid(e)) = LetterInput {
            received_on: "3.12.2026".into(),
            kind: "telegram".into(),
            ..Default::default()
        }
        .parse(today()) else {
            panic!()
        };
        let fields: Vec<_> = e.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["received_on", "sender", "organization_id", "kind"]);
        let ok = LetterInput {
            received_on: "1.12.2026".into(),
            sender: " Urząd  Skarbowy ".into(),
            organization_id: Some(4),
            kind: "polecony".into(),
            tracking_number: "RR123456789PL".into(),
            ..Default::default()
        }
        .parse(today())
        .unwrap();
        assert_eq!((ok.sender.as_str(), ok.item_count), ("Urząd Skarbowy", 1));
    }

    #[test]
    fn agreements_end_after_they_start_and_cover_their_days() {
        let Err(Error::Invalid(e)) = AgreementInput {
            organization_id: Some(1),
            valid_from: "1.12.2026".into(),
            valid_until: "1.11.2026".into(),
            contact_email: "nie-adres".into(),
            ..Default::default()
        }
        .parse() else {
            panic!()
        };
        assert_eq!(
            e.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
            ["valid_until", "contact_email"]
        );
        let a = Agreement {
            id: 1,
            organization_id: 1,
            organization_name: "X".into(),
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_until: Some(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()),
            contact_person_id: None,
            contact_person_name: None,
            contact_email: None,
            notify_by: "email".into(),
            notes: None,
            waiting: 0,
        };
        assert!(a.covers(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()));
        assert!(!a.covers(today()));
    }

    #[test]
    fn a_month_is_its_first_and_last_day() {
        let q = LetterQuery {
            month: Some("2026-02".into()),
            ..Default::default()
        };
        let (a, b) = q.month_span().unwrap().unwrap();
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("2026-02-01".into(), "2026-02-28".into())
        );
        assert!(LetterQuery {
            month: Some("luty".into()),
            ..Default::default()
        }
        .month_span()
        .is_err());
    }
}
