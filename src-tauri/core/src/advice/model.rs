//! Advice records (porady) of a citizen-advice bureau: what a form sends, how it is checked,
//! and what lists and the record view read back. The client is a person in the register or an
//! anonymous code; the profile fields exist for statistics only.

use crate::error::{Error, FieldError, Result};
use crate::register::parse_date;
use crate::text::{clean_block, clean_line};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdviceChannel {
    InPerson,
    Phone,
    Email,
    Online,
}

impl AdviceChannel {
    pub const ALL: [AdviceChannel; 4] = [
        AdviceChannel::InPerson,
        AdviceChannel::Phone,
        AdviceChannel::Email,
        AdviceChannel::Online,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AdviceChannel::InPerson => "in_person",
            AdviceChannel::Phone => "phone",
            AdviceChannel::Email => "email",
            AdviceChannel::Online => "online",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdviceOutcome {
    Advice,
    Referred,
    Letter,
    Other,
}

impl AdviceOutcome {
    pub const ALL: [AdviceOutcome; 4] = [
        AdviceOutcome::Advice,
        AdviceOutcome::Referred,
        AdviceOutcome::Letter,
        AdviceOutcome::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AdviceOutcome::Advice => "advice",
            AdviceOutcome::Referred => "referred",
            AdviceOutcome::Letter => "letter",
            AdviceOutcome::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Age bands of the client profile, as bureaus report them.
pub const AGE_BANDS: [&str; 8] = [
    "do 18",
    "18–25",
    "26–35",
    "36–45",
    "46–55",
    "56–65",
    "66–75",
    "powyżej 75",
];

/// The longest advice session a form accepts, in minutes (a full working day).
const MAX_MINUTES: i64 = 600;

/// An advice record as the quick form sends it: text as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AdviceInput {
    pub given_on: String,
    pub advisor: String,
    pub person_id: Option<i64>,
    pub client_code: String,
    pub age_band: String,
    pub sex: String,
    pub residence: String,
    pub returning: bool,
    pub channel: String,
    pub minutes: String,
    pub categories: Vec<String>,
    pub description: String,
    pub outcome: String,
    pub follow_up_on: String,
    pub follow_up_done: bool,
    /// The revision the form was opened on (see `OrganizationInput::revision`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AdviceDraft {
    pub given_on: NaiveDate,
    pub advisor: String,
    pub person_id: Option<i64>,
    /// None only while the register has still to give an anonymous client a code.
    pub client_code: Option<String>,
    pub age_band: Option<String>,
    pub sex: Option<String>,
    pub residence: Option<String>,
    pub returning: bool,
    pub channel: AdviceChannel,
    pub minutes: Option<i64>,
    pub categories: Vec<String>,
    pub description: Option<String>,
    pub outcome: AdviceOutcome,
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_done: bool,
}

impl AdviceInput {
    /// Parses the form; `known_categories` are the active category codes, `today` bounds the date.
    pub fn parse(&self, known_categories: &[String], today: NaiveDate) -> Result<AdviceDraft> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut fail = |field: &str, message: &str| errors.push(FieldError::new(field, message));
        let given_on = match parse_date(&self.given_on) {
            Ok(d) if d > today => {
                fail("given_on", "Data porady nie może być z przyszłości.");
                today
            }
            Ok(d) => d,
            Err(e) => {
                fail("given_on", &e.0);
                today
            }
        };
        let advisor = clean_line(&self.advisor)
            .filter(|a| a.chars().count() <= 100)
            .unwrap_or_else(|| {
                fail(
                    "advisor",
                    "Podaj, kto udzielił porady (imię i nazwisko albo inicjały doradcy).",
                );
                String::new()
            });
        let person_id = self.person_id.filter(|id| *id > 0);
        let client_code = match clean_line(&self.client_code).map(|c| c.to_uppercase()) {
            None => None,
            Some(code)
                if code.len() <= 20
                    && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                Some(code)
            }
            Some(_) => {
                fail("client_code", "Kod klienta to najwyżej 20 liter, cyfr i myślników, bez danych osobowych (np. K-2026-0012).");
                None
            }
        };
        let age_band = clean_line(&self.age_band);
        if let Some(band) = &age_band {
            if !AGE_BANDS.contains(&band.as_str()) {
                fail("age_band", "Wybierz przedział wieku z listy.");
            }
        }
        let sex = match self.sex.trim() {
            "" => None,
            s @ ("k" | "m") => Some(s.to_string()),
            _ => {
                fail("sex", "Płeć: „k”, „m” albo nie podano.");
                None
            }
        };
        let residence = clean_line(&self.residence).map(|r| r.chars().take(120).collect());
        let channel = AdviceChannel::from_code(self.channel.trim()).unwrap_or_else(|| {
            fail("channel", "Wybierz formę kontaktu.");
            AdviceChannel::InPerson
        });
        let minutes = match self.minutes.trim() {
            "" => None,
            m => match m.parse::<i64>() {
                Ok(n) if (1..=MAX_MINUTES).contains(&n) => Some(n),
                _ => {
                    fail("minutes", "Czas porady to liczba minut od 1 do 600.");
                    None
                }
            },
        };
        let mut categories: Vec<String> = Vec::new();
        for code in &self.categories {
            let code = code.trim();
            if !known_categories.iter().any(|k| k == code) {
                fail("categories", "Wybierz kategorie problemu z listy.");
            } else if !categories.iter().any(|c| c == code) {
                categories.push(code.to_string());
            }
        }
        if categories.is_empty() && self.categories.is_empty() {
            fail(
                "categories",
                "Wybierz co najmniej jedną kategorię problemu.",
            );
        }
        let description = if self.description.chars().count() > crate::register::MAX_FIELD_CHARS {
            fail(
                "description",
                "Opis jest za długi (najwyżej 10 000 znaków).",
            );
            None
        } else {
            clean_block(&self.description)
        };
        let outcome = AdviceOutcome::from_code(self.outcome.trim()).unwrap_or_else(|| {
            fail("outcome", "Wybierz rezultat porady.");
            AdviceOutcome::Advice
        });
        let follow_up_on = match self.follow_up_on.trim() {
            "" => None,
            raw => match parse_date(raw) {
                Ok(d) if d < given_on => {
                    fail(
                        "follow_up_on",
                        "Termin ponownego kontaktu nie może być przed datą porady.",
                    );
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    fail("follow_up_on", &e.0);
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(AdviceDraft {
            given_on,
            advisor,
            person_id,
            client_code,
            age_band,
            sex,
            residence,
            returning: self.returning,
            channel,
            minutes,
            categories,
            description,
            outcome,
            follow_up_on,
            follow_up_done: self.follow_up_done,
        })
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AdviceCategory {
    pub code: String,
    pub parent: Option<String>,
    pub name: String,
    pub position: i64,
    pub active: bool,
}

/// Everything the record view shows.
#[derive(Debug, Clone, Serialize)]
pub struct AdviceRecord {
    pub id: i64,
    pub given_on: NaiveDate,
    pub advisor: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub client_code: Option<String>,
    pub age_band: Option<String>,
    pub sex: Option<String>,
    pub residence: Option<String>,
    /// Returning by the one rule (`is_returning`): marked on the form, or earlier advice on record.
    pub returning: bool,
    /// What the form's checkbox holds (the advisor's own mark).
    pub returning_marked: bool,
    /// How many earlier advice records the same client has (by person, else by client code).
    pub earlier_advice: i64,
    pub channel: String,
    pub minutes: Option<i64>,
    pub categories: Vec<String>,
    pub description: Option<String>,
    pub outcome: String,
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_done: bool,
    pub created_at: String,
    pub updated_at: String,
    /// Raised by every write: the form sends it back with its save (see `Error::Conflict`).
    pub revision: i64,
    /// Who made the last write (None before revisions were kept).
    pub changed_by: Option<String>,
}

/// One line of the advice list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AdviceRow {
    pub id: i64,
    pub given_on: NaiveDate,
    /// The registered person's name, or the anonymous client code.
    pub client: String,
    pub categories: String,
    pub advisor: String,
    pub channel: String,
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_done: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AdviceQuery {
    /// Only follow-ups not yet done, due on or before today, oldest first.
    pub follow_ups_due: bool,
    pub category: Option<String>,
    pub person_id: Option<i64>,
    /// Words of the client's name, the client code or a category name. Never the case
    /// description: it is confidential and stays out of every search.
    pub text: Option<String>,
    /// Given on or after / on or before, as typed (DD.MM.RRRR, DD.MM, DD.MM.RR or ISO).
    pub from: Option<String>,
    pub to: Option<String>,
    pub advisor: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// The query's dates parsed; a wrong one is reported at its filter field and nothing is listed.
pub fn parse_range(q: &AdviceQuery) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let one = |field: &str, raw: &Option<String>| -> Result<Option<NaiveDate>> {
        match raw.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            None => Ok(None),
            Some(r) => parse_date(r)
                .map(Some)
                .map_err(|e| Error::invalid(field, e.0)),
        }
    };
    let from = one("from", &q.from)?;
    let to = one("to", &q.to)?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(Error::invalid(
                "to",
                "Koniec okresu jest przed jego początkiem.",
            ));
        }
    }
    Ok((from, to))
}

/// Whether an advice record counts as a returning client's. The advisor's mark on the form
/// stays authoritative when set (the client came before the records were kept, or to another
/// advisor on paper); otherwise earlier advice of the same client on record decides: the same
/// registered person, or for an anonymous client the same code. "Earlier" is an earlier date, or
/// the same date and a lower id. The record view, the list and the annual report all use this
/// rule (`store::RETURNING_SQL` is its SQL form), so "Klient był już wcześniej: nie" never shows
/// beside earlier advice, and the report counts the same clients as returning.
pub fn is_returning(marked: bool, earlier_advice: i64) -> bool {
    marked || earlier_advice > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        vec!["MIE".into(), "ZAD.KOM".into()]
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn input() -> AdviceInput {
        AdviceInput {
            given_on: "22.11.2026".into(),
            advisor: "Anna Kowalska".into(),
            channel: "in_person".into(),
            outcome: "advice".into(),
            categories: vec!["ZAD.KOM".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_quick_entry_parses() {
        let d = input().parse(&known(), today()).unwrap();
        assert_eq!(d.categories, vec!["ZAD.KOM"]);
        assert_eq!(d.client_code, None);
        assert_eq!(d.channel, AdviceChannel::InPerson);
    }

    #[test]
    fn returning_is_the_mark_or_earlier_advice() {
        assert!(!is_returning(false, 0), "a first visit without a mark");
        assert!(
            is_returning(false, 3),
            "earlier advice on record makes the client returning"
        );
        assert!(
            is_returning(true, 0),
            "the advisor's mark stands without records"
        );
        assert!(is_returning(true, 2));
    }

    #[test]
    fn the_list_range_takes_short_dates_and_refuses_a_reversed_one() {
        let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
        let q = AdviceQuery {
            from: Some("1.1".into()),
            to: Some("31.12".into()),
            ..Default::default()
        };
        let (from, to) = parse_range(&q).unwrap();
        assert_eq!(from, NaiveDate::from_ymd_opt(year, 1, 1));
        assert_eq!(to, NaiveDate::from_ymd_opt(year, 12, 31));
        let reversed = AdviceQuery {
            from: Some("2.1.25".into()),
            to: Some("1.1.25".into()),
            ..Default::default()
        };
        assert_eq!(
            parse_range(&reversed).unwrap_err().field_errors()[0].field,
            "to"
        );
        let wrong = AdviceQuery {
            from: Some("32.1".into()),
            ..Default::default()
        };
        assert_eq!(
            parse_range(&wrong).unwrap_err().field_errors()[0].field,
            "from"
        );
        assert_eq!(parse_range(&AdviceQuery::default()).unwrap(), (None, None));
    }

    #[test]
    fn a_short_date_is_completed_in_the_form() {
        let d = AdviceInput {
            given_on: "22.11.26".into(),
            follow_up_on: "15.12.26".into(),
            ..input()
        }
        .parse(&known(), today())
        .unwrap();
        assert_eq!(d.follow_up_on, NaiveDate::from_ymd_opt(2026, 12, 15));
    }

    #[test]
    fn every_wrong_field_is_reported_at_once() {
        let bad = AdviceInput {
            given_on: "23.11.2026".into(),
            advisor: " ".into(),
            client_code: "Jan Kowalski".into(),
            minutes: "dużo".into(),
            categories: vec![],
            follow_up_on: "01.01.2020".into(),
            ..input()
        };
        let err = bad.parse(&known(), today()).unwrap_err();
        let fields: Vec<&str> = err
            .field_errors()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(
            fields,
            vec![
                "given_on",
                "advisor",
                "client_code",
                "minutes",
                "categories",
                "follow_up_on"
            ]
        );
        let follow_up = AdviceInput {
            follow_up_on: "01.01.2020".into(),
            ..input()
        }
        .parse(&known(), today())
        .unwrap_err();
        assert_eq!(follow_up.field_errors()[0].field, "follow_up_on");
    }
}
