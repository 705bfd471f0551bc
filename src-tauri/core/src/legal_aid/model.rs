//! Free legal aid records: the point (punkt NPP/NPO), the editable lists the card's Part A
//! chooses from (forms, kinds of help, areas of law, professions), the card as typed and as
//! read back, and the client's anonymous opinion (Part B), kept apart from every card.

use crate::error::{Error, FieldError, Result};
use crate::register::parse_date;
use crate::text::{clean_block, clean_line};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kind of help a card records (the Act's three services).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AidType {
    /// nieodpłatna pomoc prawna
    Npp,
    /// nieodpłatne poradnictwo obywatelskie
    Npo,
    /// nieodpłatna mediacja
    Mediation,
}

impl AidType {
    pub const ALL: [AidType; 3] = [AidType::Npp, AidType::Npo, AidType::Mediation];

    pub fn code(self) -> &'static str {
        match self {
            AidType::Npp => "npp",
            AidType::Npo => "npo",
            AidType::Mediation => "mediation",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            AidType::Npp => "nieodpłatna pomoc prawna",
            AidType::Npo => "nieodpłatne poradnictwo obywatelskie",
            AidType::Mediation => "nieodpłatna mediacja",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Which editable list an entry belongs to.
pub const LIST_KINDS: [&str; 4] = ["form", "help", "area", "profession"];

/// Why a client signed no statement (art. 4 of the Act: remote help, or the emergency mode).
pub const NO_STATEMENT_REASONS: [(&str, &str); 2] = [
    ("remote", "pomoc na odległość (oświadczenie ustne)"),
    ("emergency", "tryb nadzwyczajny (stan zagrożenia)"),
];

/// The regulation the shipped lists follow, shown in Ustawienia until the office changes it.
pub const DEFAULT_LIST_VERSION: &str = "Rozporządzenie MS z 21.12.2018 (Dz.U. 2025 poz. 317) ze zmianą z Dz.U. 2025 poz. 1803, stan na 1.01.2026 — listy wg najlepszej wiedzy, do sprawdzenia z załącznikiem";

/// The longest help a card accepts, in minutes (as an advice record).
pub const MAX_MINUTES: i64 = 600;

/// A point of free legal aid run by the office for a powiat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct LegalAidPoint {
    pub id: i64,
    /// The point's number in the powiat's list (printed on the card and Part B).
    pub number: String,
    pub name: String,
    pub address: Option<String>,
    /// The starosta (powiat) the point reports to.
    pub powiat: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LegalAidPointInput {
    pub number: String,
    pub name: String,
    pub address: String,
    pub powiat: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegalAidPointDraft {
    pub number: String,
    pub name: String,
    pub address: Option<String>,
    pub powiat: Option<String>,
    pub active: bool,
}

impl LegalAidPointInput {
    pub fn parse(&self) -> Result<LegalAidPointDraft> {
        let mut errors = Vec::new();
        let number = clean_line(&self.number).filter(|n| n.chars().count() <= 20);
        if number.is_none() {
            errors.push(FieldError::new(
                "number",
                "Podaj numer punktu z listy starosty (najwyżej 20 znaków).",
            ));
        }
        let name = clean_line(&self.name).filter(|n| n.chars().count() <= 200);
        if name.is_none() {
            errors.push(FieldError::new("name", "Podaj nazwę punktu."));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(LegalAidPointDraft {
            number: number.unwrap_or_default(),
            name: name.unwrap_or_default(),
            address: clean_line(&self.address).map(|a| a.chars().take(300).collect()),
            powiat: clean_line(&self.powiat).map(|p| p.chars().take(120).collect()),
            active: self.active,
        })
    }
}

/// One entry of an editable list (form, kind of help, area of law, profession).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ListEntry {
    pub kind: String,
    pub code: String,
    pub name: String,
    pub position: i64,
    pub active: bool,
    /// Forms only: help given at a distance (counted apart for the starosta).
    pub remote: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListEntryInput {
    pub kind: String,
    pub code: String,
    pub name: String,
    pub active: bool,
    pub remote: bool,
}

impl ListEntryInput {
    pub fn parse(&self) -> Result<ListEntry> {
        let mut errors = Vec::new();
        let kind = self.kind.trim();
        if !LIST_KINDS.contains(&kind) {
            errors.push(FieldError::new("kind", "Wybierz listę."));
        }
        let code = self.code.trim().to_lowercase();
        if code.is_empty()
            || code.len() > 24
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            errors.push(FieldError::new(
                "code",
                "Kod to małe litery, cyfry, myślnik lub podkreślenie, najwyżej 24 znaki (np. prawo_pracy).",
            ));
        }
        let name = clean_line(&self.name).filter(|n| n.chars().count() <= 200);
        if name.is_none() {
            errors.push(FieldError::new("name", "Podaj nazwę pozycji."));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(ListEntry {
            kind: kind.to_string(),
            code,
            name: name.unwrap_or_default(),
            position: 0,
            active: self.active,
            remote: kind == "form" && self.remote,
        })
    }
}

/// What the window shows around a card: the points, the lists and the version they follow.
#[derive(Debug, Clone, Serialize)]
pub struct LegalAidSetup {
    pub points: Vec<LegalAidPoint>,
    pub lists: Vec<ListEntry>,
    pub list_version: String,
    pub aid_types: Vec<Labelled>,
    pub no_statement_reasons: Vec<Labelled>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Labelled {
    pub code: String,
    pub name: String,
}

/// The card's Part A as the form sends it. The date, the time spent and the client come from
/// the advice record the card belongs to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LegalAidCardInput {
    pub aid_type: String,
    pub point_id: Option<i64>,
    /// Who gave the help (name as printed on the card).
    pub provider: String,
    pub profession: String,
    pub form: String,
    pub help_kinds: Vec<String>,
    pub area: String,
    /// Visits of the client in the same matter, this one included.
    pub visits: String,
    pub statement_signed: bool,
    /// When the statement was signed; empty means the day of the help.
    pub statement_on: String,
    pub sole_trader: bool,
    pub business_statement_signed: bool,
    /// `remote` or `emergency` when no written statement was signed.
    pub no_statement_reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegalAidCardDraft {
    pub aid_type: AidType,
    pub point_id: i64,
    pub provider: String,
    pub profession: String,
    pub form: String,
    pub remote: bool,
    pub help_kinds: Vec<String>,
    pub area: String,
    pub visits: i64,
    pub statement_signed: bool,
    pub statement_on: Option<NaiveDate>,
    pub sole_trader: bool,
    pub business_statement_signed: bool,
    pub no_statement_reason: Option<String>,
}

impl LegalAidCardInput {
    /// Checks the card against the active list entries; `given_on` is the help's date and
    /// `minutes` the advice record's time (the card requires it).
    pub fn parse(
        &self,
        lists: &[ListEntry],
        points: &[LegalAidPoint],
        given_on: NaiveDate,
        minutes: Option<i64>,
    ) -> Result<LegalAidCardDraft> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut fail = |field: &str, message: &str| errors.push(FieldError::new(field, message));
        let active = |kind: &str, code: &str| {
            lists
                .iter()
                .find(|e| e.kind == kind && e.code == code && e.active)
        };
        let aid_type = AidType::from_code(self.aid_type.trim()).unwrap_or_else(|| {
            fail(
                "aid_type",
                "Wybierz rodzaj pomocy: pomoc prawna, poradnictwo obywatelskie albo mediacja.",
            );
            AidType::Npp
        });
        let point_id = match self
            .point_id
            .and_then(|id| points.iter().find(|p| p.id == id))
        {
            Some(p) if p.active => p.id,
            _ => {
                fail("point_id", "Wybierz punkt, w którym udzielono pomocy.");
                0
            }
        };
        let provider = clean_line(&self.provider)
            .filter(|p| p.chars().count() <= 120)
            .unwrap_or_else(|| {
                fail("provider", "Podaj, kto udzielił pomocy (imię i nazwisko).");
                String::new()
            });
        let profession = self.profession.trim().to_string();
        if active("profession", &profession).is_none() {
            fail("profession", "Wybierz zawód osoby udzielającej pomocy.");
        }
        let form = self.form.trim().to_string();
        let remote = match active("form", &form) {
            Some(e) => e.remote,
            None => {
                fail("form", "Wybierz formę udzielenia pomocy.");
                false
            }
        };
        let mut help_kinds: Vec<String> = Vec::new();
        for code in &self.help_kinds {
            let code = code.trim();
            if active("help", code).is_none() {
                fail("help_kinds", "Wybierz rodzaje pomocy z listy.");
            } else if !help_kinds.iter().any(|c| c == code) {
                help_kinds.push(code.to_string());
            }
        }
        if self.help_kinds.is_empty() {
            fail(
                "help_kinds",
                "Zaznacz co najmniej jeden rodzaj udzielonej pomocy.",
            );
        }
        let area = self.area.trim().to_string();
        if active("area", &area).is_none() {
            fail("area", "Wybierz dziedzinę prawa.");
        }
        let visits = match self.visits.trim() {
            "" => 1,
            v => match v.parse::<i64>() {
                Ok(n) if (1..=99).contains(&n) => n,
                _ => {
                    fail("visits", "Liczba wizyt w tej sprawie to liczba od 1 do 99.");
                    1
                }
            },
        };
        if minutes.is_none() {
            fail(
                "minutes",
                "Podaj czas poświęcony na pomoc (w minutach): karta pomocy go wymaga.",
            );
        }
        let statement_on = if self.statement_signed {
            match self.statement_on.trim() {
                "" => Some(given_on),
                raw => match parse_date(raw) {
                    Ok(d) if d > given_on => {
                        fail(
                            "statement_on",
                            "Oświadczenie składa się przed udzieleniem pomocy: data nie może być późniejsza niż data pomocy.",
                        );
                        None
                    }
                    Ok(d) => Some(d),
                    Err(e) => {
                        fail("statement_on", &e.0);
                        None
                    }
                },
            }
        } else {
            None
        };
        let no_statement_reason = if self.statement_signed {
            None
        } else {
            match NO_STATEMENT_REASONS
                .iter()
                .find(|(code, _)| *code == self.no_statement_reason.trim())
            {
                Some((code, _)) => Some(code.to_string()),
                None => {
                    fail(
                        "no_statement_reason",
                        "Zaznacz, że oświadczenie podpisano, albo podaj, dlaczego nie było potrzebne.",
                    );
                    None
                }
            }
        };
        if self.sole_trader && self.statement_signed && !self.business_statement_signed {
            fail(
                "business_statement_signed",
                "Osoba prowadząca jednoosobową działalność składa też oświadczenie o niezatrudnianiu innych osób w ostatnim roku.",
            );
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(LegalAidCardDraft {
            aid_type,
            point_id,
            provider,
            profession,
            form,
            remote,
            help_kinds,
            area,
            visits,
            statement_signed: self.statement_signed,
            statement_on,
            sole_trader: self.sole_trader,
            business_statement_signed: self.sole_trader && self.business_statement_signed,
            no_statement_reason,
        })
    }
}

/// A card as read back, with the names of its list entries for printing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegalAidCard {
    pub advice_id: i64,
    pub aid_type: AidType,
    pub point_id: i64,
    pub point_number: String,
    pub point_name: String,
    pub point_address: Option<String>,
    pub powiat: Option<String>,
    pub provider: String,
    pub profession: String,
    pub form: String,
    pub remote: bool,
    pub help_kinds: Vec<String>,
    pub area: String,
    pub visits: i64,
    pub statement_signed: bool,
    pub statement_on: Option<NaiveDate>,
    pub sole_trader: bool,
    pub business_statement_signed: bool,
    pub no_statement_reason: Option<String>,
    /// From the advice record.
    pub given_on: NaiveDate,
    pub minutes: Option<i64>,
    pub client_code: Option<String>,
    pub age_band: Option<String>,
    pub sex: Option<String>,
    pub residence: Option<String>,
    pub description: Option<String>,
}

/// A card in the point's list (codes; the window names them from the setup's lists).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct CardRow {
    pub advice_id: i64,
    pub given_on: NaiveDate,
    pub point_number: String,
    pub aid_type: String,
    pub area: String,
    pub form: String,
    pub provider: String,
    pub client_code: Option<String>,
    pub minutes: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CardQuery {
    pub point_id: Option<i64>,
    /// DD.MM.RRRR or empty.
    pub from: String,
    pub to: String,
    pub offset: u32,
    pub limit: u32,
}

/// What the starosta's figures count of one card: no client, no names.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CardFacts {
    pub advice_id: i64,
    pub aid_type: String,
    pub point_id: i64,
    pub profession: String,
    pub form: String,
    pub remote: bool,
    pub area: String,
    pub minutes: Option<i64>,
    pub visits: i64,
    pub statement_signed: bool,
    pub business_statement_signed: bool,
    pub no_statement_reason: Option<String>,
}

/// Answers on Part B: yes, no, or "trudno powiedzieć".
pub const ANSWERS: [(&str, &str); 3] = [
    ("yes", "tak"),
    ("no", "nie"),
    ("unsure", "trudno powiedzieć"),
];

/// Part B's questions as Kartoteka prints and records them (best-known wording, see README):
/// (field, question).
pub const OPINION_QUESTIONS: [(&str, &str); 3] = [
    (
        "understandable",
        "Czy udzielona pomoc była dla Pani/Pana zrozumiała?",
    ),
    ("helpful", "Czy pomoc odpowiadała Pani/Pana potrzebom?"),
    (
        "would_recommend",
        "Czy poleciłaby Pani / poleciłby Pan tę pomoc innym osobom?",
    ),
];

/// Part B typed in from the urn: the point and date printed on it and the answers. There is
/// deliberately no field for the client, the card or the advice record.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OpinionInput {
    pub point_id: Option<i64>,
    pub filled_on: String,
    /// 1–5, or empty when the client gave none.
    pub rating: String,
    pub understandable: String,
    pub helpful: String,
    pub would_recommend: String,
    pub remarks: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpinionDraft {
    pub point_id: i64,
    pub filled_on: NaiveDate,
    pub rating: Option<i64>,
    pub understandable: Option<String>,
    pub helpful: Option<String>,
    pub would_recommend: Option<String>,
    pub remarks: Option<String>,
}

impl OpinionInput {
    pub fn parse(&self, points: &[LegalAidPoint], today: NaiveDate) -> Result<OpinionDraft> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut fail = |field: &str, message: &str| errors.push(FieldError::new(field, message));
        let point_id = match self
            .point_id
            .and_then(|id| points.iter().find(|p| p.id == id))
        {
            Some(p) => p.id,
            None => {
                fail("point_id", "Wybierz punkt z formularza opinii.");
                0
            }
        };
        let filled_on = match parse_date(&self.filled_on) {
            Ok(d) if d > today => {
                fail("filled_on", "Data opinii nie może być z przyszłości.");
                today
            }
            Ok(d) => d,
            Err(e) => {
                fail("filled_on", &e.0);
                today
            }
        };
        let rating = match self.rating.trim() {
            "" => None,
            r => match r.parse::<i64>() {
                Ok(n) if (1..=5).contains(&n) => Some(n),
                _ => {
                    fail(
                        "rating",
                        "Ocena to liczba od 1 do 5 (albo puste, gdy jej nie podano).",
                    );
                    None
                }
            },
        };
        let mut answer = |field: &str, raw: &str| match raw.trim() {
            "" => None,
            a if ANSWERS.iter().any(|(code, _)| *code == a) => Some(a.to_string()),
            _ => {
                fail(field, "Odpowiedź: tak, nie albo trudno powiedzieć.");
                None
            }
        };
        let understandable = answer("understandable", &self.understandable);
        let helpful = answer("helpful", &self.helpful);
        let would_recommend = answer("would_recommend", &self.would_recommend);
        let remarks = if self.remarks.chars().count() > 4000 {
            fail("remarks", "Uwagi są za długie (najwyżej 4000 znaków).");
            None
        } else {
            clean_block(&self.remarks)
        };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(OpinionDraft {
            point_id,
            filled_on,
            rating,
            understandable,
            helpful,
            would_recommend,
            remarks,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Opinion {
    pub id: i64,
    pub point_id: i64,
    pub point_number: String,
    pub filled_on: NaiveDate,
    pub rating: Option<i64>,
    pub understandable: Option<String>,
    pub helpful: Option<String>,
    pub would_recommend: Option<String>,
    pub remarks: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OpinionQuery {
    pub point_id: Option<i64>,
    /// DD.MM.RRRR or empty.
    pub from: String,
    pub to: String,
    pub offset: u32,
    pub limit: u32,
}

/// A period as typed (DD.MM.RRRR, both ends included); an empty end is open.
pub fn parse_period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate)> {
    let mut errors = Vec::new();
    let from_d = parse_date(from).map_err(|e| errors.push(FieldError::new("from", &e.0)));
    let to_d = parse_date(to).map_err(|e| errors.push(FieldError::new("to", &e.0)));
    match (from_d, to_d) {
        (Ok(f), Ok(t)) if f > t => Err(Error::invalid(
            "to",
            "Koniec okresu nie może być przed jego początkiem.",
        )),
        (Ok(f), Ok(t)) => Ok((f, t)),
        _ => Err(Error::Invalid(errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> Vec<ListEntry> {
        crate::legal_aid::lists::shipped_lists()
    }

    fn points() -> Vec<LegalAidPoint> {
        vec![LegalAidPoint {
            id: 7,
            number: "3".into(),
            name: "Punkt NPP przy ul. Długiej".into(),
            address: None,
            powiat: Some("Powiat Testowy".into()),
            active: true,
        }]
    }

    fn card() -> LegalAidCardInput {
        LegalAidCardInput {
            aid_type: "npp".into(),
            point_id: Some(7),
            provider: "Anna Nowak".into(),
            profession: "radca".into(),
            form: "point".into(),
            help_kinds: vec!["info".into(), "letter".into()],
            area: "labour".into(),
            visits: "".into(),
            statement_signed: true,
            ..Default::default()
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_complete_card_parses_with_the_statement_dated_on_the_day() {
        let d = card()
            .parse(&lists(), &points(), day("2026-03-02"), Some(45))
            .unwrap();
        assert_eq!(d.aid_type, AidType::Npp);
        assert_eq!(d.statement_on, Some(day("2026-03-02")));
        assert_eq!(d.visits, 1);
        assert!(!d.remote);
        assert_eq!(d.help_kinds, vec!["info", "letter"]);
    }

    #[test]
    fn every_missing_piece_is_named_at_its_field() {
        let empty = LegalAidCardInput::default();
        let Err(Error::Invalid(errors)) = empty.parse(&lists(), &points(), day("2026-03-02"), None)
        else {
            panic!("an empty card must be refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "aid_type",
            "point_id",
            "provider",
            "profession",
            "form",
            "help_kinds",
            "area",
            "minutes",
            "no_statement_reason",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn remote_help_needs_no_signature_but_a_reason() {
        let mut c = card();
        c.form = "phone".into();
        c.statement_signed = false;
        c.no_statement_reason = "remote".into();
        let d = c
            .parse(&lists(), &points(), day("2026-03-02"), Some(20))
            .unwrap();
        assert!(d.remote);
        assert_eq!(d.no_statement_reason.as_deref(), Some("remote"));
        assert_eq!(d.statement_on, None);
    }

    #[test]
    fn a_sole_trader_signs_the_second_statement_too() {
        let mut c = card();
        c.sole_trader = true;
        let err = c
            .parse(&lists(), &points(), day("2026-03-02"), Some(20))
            .unwrap_err();
        assert!(format!("{err:?}").contains("business_statement_signed"));
        c.business_statement_signed = true;
        assert!(c
            .parse(&lists(), &points(), day("2026-03-02"), Some(20))
            .is_ok());
    }

    #[test]
    fn a_statement_after_the_help_is_refused() {
        let mut c = card();
        c.statement_on = "03.03.2026".into();
        let err = c
            .parse(&lists(), &points(), day("2026-03-02"), Some(20))
            .unwrap_err();
        assert!(format!("{err:?}").contains("statement_on"));
    }

    #[test]
    fn an_opinion_takes_no_client_and_checks_its_answers() {
        let o = OpinionInput {
            point_id: Some(7),
            filled_on: "02.03.2026".into(),
            rating: "5".into(),
            understandable: "yes".into(),
            helpful: "maybe".into(),
            ..Default::default()
        };
        let err = o.parse(&points(), day("2026-12-01")).unwrap_err();
        assert!(format!("{err:?}").contains("helpful"));
    }
}
