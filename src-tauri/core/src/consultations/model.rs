//! Consultations given to organisations by an NGO support office: the organisation, the person
//! who came, a topic from an editable list, time and notes.

use crate::error::{Error, FieldError, Result};
use crate::register::parse_date;
use crate::text::{clean_block, clean_line};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsultationInput {
    pub given_on: String,
    pub advisor: String,
    pub organization_id: Option<i64>,
    pub person_id: Option<i64>,
    pub topic: String,
    pub minutes: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConsultationDraft {
    pub given_on: NaiveDate,
    pub advisor: String,
    pub organization_id: i64,
    pub person_id: Option<i64>,
    pub topic: String,
    pub minutes: Option<i64>,
    pub notes: Option<String>,
}

impl ConsultationInput {
    pub fn parse(&self, topics: &[String], today: NaiveDate) -> Result<ConsultationDraft> {
        let mut errors = Vec::new();
        let mut fail = |f: &str, m: &str| errors.push(FieldError::new(f, m));
        let given_on = match parse_date(&self.given_on) {
            Ok(d) if d > today => {
                fail("given_on", "Data konsultacji nie może być z przyszłości.");
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
                fail("advisor", "Podaj, kto prowadził konsultację.");
                String::new()
            });
        let organization_id = self
            .organization_id
            .filter(|id| *id > 0)
            .unwrap_or_else(|| {
                fail(
                    "organization_id",
                    "Wybierz organizację (wpisz kilka liter nazwy).",
                );
                0
            });
        let topic = self.topic.trim().to_string();
        if !topics.contains(&topic) {
            fail("topic", "Wybierz temat konsultacji z listy.");
        }
        let minutes = match self.minutes.trim() {
            "" => None,
            m => match m.parse::<i64>() {
                Ok(n) if (1..=600).contains(&n) => Some(n),
                _ => {
                    fail("minutes", "Czas to liczba minut od 1 do 600.");
                    None
                }
            },
        };
        if self.notes.chars().count() > crate::register::MAX_FIELD_CHARS {
            fail("notes", "Notatka jest za długa (najwyżej 10 000 znaków).");
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(ConsultationDraft {
            given_on,
            advisor,
            organization_id,
            person_id: self.person_id.filter(|p| *p > 0),
            topic,
            minutes,
            notes: clean_block(&self.notes),
        })
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ConsultationTopic {
    pub code: String,
    pub name: String,
    pub position: i64,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Consultation {
    pub id: i64,
    pub given_on: NaiveDate,
    pub advisor: String,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub topic: String,
    pub topic_name: String,
    pub minutes: Option<i64>,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsultationQuery {
    pub organization_id: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_consultation_needs_an_organisation_and_a_known_topic() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let topics = vec!["WNI".to_string()];
        let ok = ConsultationInput {
            given_on: "20.11.2026".into(),
            advisor: "Ewa".into(),
            organization_id: Some(3),
            topic: "WNI".into(),
            minutes: "60".into(),
            ..Default::default()
        };
        assert_eq!(ok.parse(&topics, today).unwrap().minutes, Some(60));
        let bad = ConsultationInput {
            given_on: "20.11.2026".into(),
            advisor: "Ewa".into(),
            topic: "XXX".into(),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .parse(&topics, today)
            .unwrap_err()
            .field_errors()
            .iter()
            .map(|e| e.field.clone())
            .collect();
        assert_eq!(fields, vec!["organization_id", "topic"]);
    }
}
