//! The library's records: a title, a copy and a loan as typed (inputs parsed into drafts, each
//! problem at its field) and as the lists read them back, the library's settings, and the
//! folded text the catalogue is searched by.

use crate::error::{Error, FieldError, Result};
use crate::ids::Isbn;
use crate::register::{parse_date, MAX_FIELD_CHARS};
use crate::text::{clean_block, clean_line, fold};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A copy's state, as the shelf shows it; a lost or withdrawn copy is not lent.
pub const COPY_STATES: [(&str, &str); 6] = [
    ("new", "nowy"),
    ("good", "dobry"),
    ("worn", "zużyty"),
    ("damaged", "uszkodzony"),
    ("lost", "zaginiony"),
    ("withdrawn", "wycofany"),
];

pub fn copy_state_label(code: &str) -> &'static str {
    COPY_STATES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("dobry")
}

/// Whether a copy in this state may go out.
pub fn lendable(state: &str) -> bool {
    !matches!(state, "lost" | "withdrawn")
}

/// The catalogue's search text: every word a reader may type, folded as the register's search
/// folds (so "zrodla" finds "Źródła").
pub fn search_text(
    title: &str,
    author: Option<&str>,
    subject: Option<&str>,
    publisher: Option<&str>,
    isbn: Option<&str>,
) -> String {
    [Some(title), author, subject, publisher, isbn]
        .into_iter()
        .flatten()
        .map(fold)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of a catalogue query, folded; every one must occur in a title's search text.
pub fn search_words(query: &str) -> Vec<String> {
    fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_string)
        .collect()
}

fn line(
    raw: &str,
    field: &str,
    max: usize,
    what: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = clean_line(raw);
    if v.as_ref().is_some_and(|v| v.chars().count() > max) {
        errors.push(FieldError::new(
            field,
            format!("{what} jest za długie (najwyżej {max} znaków)."),
        ));
        return None;
    }
    v
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TitleInput {
    pub title: String,
    pub author: String,
    pub publisher: String,
    pub year: String,
    pub isbn: String,
    pub shelf_mark: String,
    pub subject: String,
    pub notes: String,
    /// For a new title: how many copies to put on the shelf (1 when empty).
    pub copies: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TitleDraft {
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub year: Option<i32>,
    pub isbn: Option<String>,
    pub shelf_mark: Option<String>,
    pub subject: Option<String>,
    pub notes: Option<String>,
    pub copies: u32,
    pub search_text: String,
}

impl TitleInput {
    pub fn parse(&self, today: NaiveDate) -> Result<TitleDraft> {
        let mut errors = Vec::new();
        let title = match line(&self.title, "title", 500, "Pole „tytuł”", &mut errors) {
            Some(t) => t,
            None => {
                if errors.iter().all(|e| e.field != "title") {
                    errors.push(FieldError::new("title", "Podaj tytuł."));
                }
                String::new()
            }
        };
        let author = line(&self.author, "author", 500, "Pole „autor”", &mut errors);
        let publisher = line(
            &self.publisher,
            "publisher",
            300,
            "Pole „wydawca”",
            &mut errors,
        );
        let shelf_mark = line(
            &self.shelf_mark,
            "shelf_mark",
            100,
            "Pole „sygnatura”",
            &mut errors,
        );
        let subject = line(&self.subject, "subject", 300, "Pole „temat”", &mut errors);
        let year = match self.year.trim() {
            "" => None,
            y => match y.parse::<i32>() {
                Ok(y) if (1450..=today.year() + 1).contains(&y) => Some(y),
                _ => {
                    errors.push(FieldError::new(
                        "year",
                        format!("Rok wydania to liczba od 1450 do {}.", today.year() + 1),
                    ));
                    None
                }
            },
        };
        let isbn = match self.isbn.trim() {
            "" => None,
            raw => match Isbn::parse(raw) {
                Ok(i) => Some(i.as_str().to_string()),
                Err(e) => {
                    errors.push(FieldError::new("isbn", e.0));
                    None
                }
            },
        };
        if self.notes.chars().count() > MAX_FIELD_CHARS {
            errors.push(FieldError::new(
                "notes",
                "Notatka jest za długa (najwyżej 10 000 znaków).",
            ));
        }
        let copies = match self.copies.trim() {
            "" => 1,
            c => match c.parse::<u32>() {
                Ok(n) if (1..=50).contains(&n) => n,
                _ => {
                    errors.push(FieldError::new(
                        "copies",
                        "Liczba egzemplarzy to liczba od 1 do 50.",
                    ));
                    1
                }
            },
        };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let search_text = search_text(
            &title,
            author.as_deref(),
            subject.as_deref(),
            publisher.as_deref(),
            isbn.as_deref(),
        );
        Ok(TitleDraft {
            title,
            author,
            publisher,
            year,
            isbn,
            shelf_mark,
            subject,
            notes: clean_block(&self.notes),
            copies,
            search_text,
        })
    }
}

/// A title as the catalogue lists it, with its copies counted.
#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Title {
    pub id: i64,
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub year: Option<i32>,
    pub isbn: Option<String>,
    pub shelf_mark: Option<String>,
    pub subject: Option<String>,
    pub notes: Option<String>,
    pub from_import: bool,
    /// Copies that may be lent (not lost, not withdrawn).
    pub copies: i64,
    /// Of those, the ones on the shelf now.
    pub available: i64,
}

/// A title with its copies, as its page shows it: the title's fields with `copies` the list of
/// copies (in place of the list's count of them).
#[derive(Debug, Clone)]
pub struct TitleDetail {
    pub title: Title,
    pub copies: Vec<LibraryCopy>,
}

impl Serialize for TitleDetail {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut v = serde_json::to_value(&self.title).map_err(serde::ser::Error::custom)?;
        v["copies"] = serde_json::to_value(&self.copies).map_err(serde::ser::Error::custom)?;
        v.serialize(s)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TitleQuery {
    pub search: String,
    /// Only titles with a copy on the shelf.
    pub available_only: bool,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CopyInput {
    pub item_id: Option<i64>,
    pub inventory_number: String,
    pub state: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CopyDraft {
    pub item_id: i64,
    pub inventory_number: Option<String>,
    pub state: String,
    pub notes: Option<String>,
}

impl CopyInput {
    pub fn parse(&self) -> Result<CopyDraft> {
        let mut errors = Vec::new();
        let item_id = self.item_id.filter(|i| *i > 0).unwrap_or_else(|| {
            errors.push(FieldError::new("item_id", "Wybierz tytuł."));
            0
        });
        let inventory_number = line(
            &self.inventory_number,
            "inventory_number",
            50,
            "Pole „numer inwentarzowy”",
            &mut errors,
        );
        let state = match self.state.trim() {
            "" => "good",
            s => match COPY_STATES.iter().find(|(c, _)| *c == s) {
                Some((c, _)) => c,
                None => {
                    errors.push(FieldError::new("state", "Wybierz stan egzemplarza."));
                    "good"
                }
            },
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
        Ok(CopyDraft {
            item_id,
            inventory_number,
            state: state.to_string(),
            notes: clean_block(&self.notes),
        })
    }
}

/// A copy on its title's page: where it is now.
#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct LibraryCopy {
    pub id: i64,
    pub item_id: i64,
    pub inventory_number: Option<String>,
    pub state: String,
    pub notes: Option<String>,
    /// The open loan, when the copy is out.
    pub loan_id: Option<i64>,
    pub borrower_name: Option<String>,
    pub due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LoanInput {
    pub copy_id: Option<i64>,
    pub person_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub lent_on: String,
    /// Empty: the lending day plus the loan period from the settings.
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LoanDraft {
    pub copy_id: i64,
    pub person_id: i64,
    pub organization_id: Option<i64>,
    pub lent_on: NaiveDate,
    pub due_on: NaiveDate,
}

impl LoanInput {
    pub fn parse(&self, today: NaiveDate, settings: &LibrarySettings) -> Result<LoanDraft> {
        let mut errors = Vec::new();
        let copy_id = self.copy_id.filter(|c| *c > 0).unwrap_or_else(|| {
            errors.push(FieldError::new("copy_id", "Wybierz egzemplarz."));
            0
        });
        let person_id = self.person_id.filter(|p| *p > 0).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "person_id",
                "Wybierz osobę wypożyczającą (wpisz kilka liter nazwiska).",
            ));
            0
        });
        let lent_on = match self.lent_on.trim() {
            "" => today,
            raw => match parse_date(raw) {
                Ok(d) if d > today => {
                    errors.push(FieldError::new(
                        "lent_on",
                        "Data wypożyczenia nie może być z przyszłości.",
                    ));
                    today
                }
                Ok(d) => d,
                Err(e) => {
                    errors.push(FieldError::new("lent_on", e.0));
                    today
                }
            },
        };
        let due_on = match self.due_on.trim() {
            "" => lent_on + chrono::Days::new(u64::from(settings.loan_days)),
            raw => match parse_date(raw) {
                Ok(d) if d < lent_on => {
                    errors.push(FieldError::new(
                        "due_on",
                        "Termin zwrotu jest przed dniem wypożyczenia.",
                    ));
                    lent_on
                }
                Ok(d) => d,
                Err(e) => {
                    errors.push(FieldError::new("due_on", e.0));
                    lent_on
                }
            },
        };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(LoanDraft {
            copy_id,
            person_id,
            organization_id: self.organization_id.filter(|o| *o > 0),
            lent_on,
            due_on,
        })
    }
}

/// A loan as the lists read it: the book, the copy and who has it (empty once retention or an
/// erasure removed them).
#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Loan {
    pub id: i64,
    pub copy_id: i64,
    pub item_id: i64,
    pub title: String,
    pub author: Option<String>,
    pub inventory_number: Option<String>,
    pub person_id: Option<i64>,
    pub borrower_name: Option<String>,
    pub borrower_email: Option<String>,
    pub borrower_phone: Option<String>,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub borrower_removed: bool,
    pub lent_on: NaiveDate,
    pub due_on: NaiveDate,
    pub renewals: i64,
    pub returned_on: Option<NaiveDate>,
    pub reminders_sent: i64,
    pub last_reminder_on: Option<NaiveDate>,
    pub lent_by: String,
    /// Days past the due date (0 when not overdue or returned); set when read.
    #[sqlx(skip)]
    pub days_overdue: i64,
}

impl Loan {
    pub fn with_days_overdue(mut self, today: NaiveDate) -> Self {
        self.days_overdue = match self.returned_on {
            None if today > self.due_on => (today - self.due_on).num_days(),
            _ => 0,
        };
        self
    }
}

/// Which loans a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoanStatus {
    /// Out now (overdue included).
    #[default]
    Open,
    /// Out past the due date.
    Overdue,
    Returned,
    All,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LoanQuery {
    pub status: LoanStatus,
    /// A reader's history.
    pub person_id: Option<i64>,
    /// A title's history.
    pub item_id: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

/// The library's rules, kept in Ustawienia.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LibrarySettings {
    /// The loan period in days.
    pub loan_days: u32,
    /// How many times a loan may be renewed.
    pub max_renewals: u32,
    /// Days between the first and the second reminder.
    pub reminder_gap_days: u32,
}

impl Default for LibrarySettings {
    fn default() -> Self {
        LibrarySettings {
            loan_days: 30,
            max_renewals: 2,
            reminder_gap_days: 14,
        }
    }
}

impl LibrarySettings {
    pub fn check(&self) -> Result<()> {
        let mut errors = Vec::new();
        if !(1..=365).contains(&self.loan_days) {
            errors.push(FieldError::new(
                "loan_days",
                "Okres wypożyczenia to od 1 do 365 dni.",
            ));
        }
        if self.max_renewals > 20 {
            errors.push(FieldError::new(
                "max_renewals",
                "Limit przedłużeń to liczba od 0 do 20.",
            ));
        }
        if !(1..=180).contains(&self.reminder_gap_days) {
            errors.push(FieldError::new(
                "reminder_gap_days",
                "Odstęp między upomnieniami to od 1 do 180 dni.",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(errors))
        }
    }
}

/// The most reminders one loan gets by e-mail; after the second the office phones.
pub const MAX_REMINDERS: i64 = 2;

/// Which reminder (1 or 2) an overdue loan is due today, if any: the first on the first day
/// past the due date, the second `gap` days after the first; never for a returned book.
pub fn reminder_due(loan: &Loan, today: NaiveDate, gap_days: u32) -> Option<i64> {
    if loan.returned_on.is_some() || today <= loan.due_on || loan.reminders_sent >= MAX_REMINDERS {
        return None;
    }
    match (loan.reminders_sent, loan.last_reminder_on) {
        (0, _) => Some(1),
        (n, Some(last)) if today >= last + chrono::Days::new(u64::from(gap_days)) => Some(n + 1),
        (n, None) => Some(n + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn loan(due: &str, sent: i64, last: Option<&str>, returned: Option<&str>) -> Loan {
        Loan {
            id: 1,
            copy_id: 1,
            item_id: 1,
            title: "T".into(),
            author: None,
            inventory_number: None,
            person_id: Some(1),
            borrower_name: None,
            borrower_email: None,
            borrower_phone: None,
            organization_id: None,
            organization_name: None,
            borrower_removed: false,
            lent_on: day("2026-01-01"),
            due_on: day(due),
            renewals: 0,
            returned_on: returned.map(day),
            reminders_sent: sent,
            last_reminder_on: last.map(day),
            lent_by: "x".into(),
            days_overdue: 0,
        }
    }

    #[test]
    fn reminders_are_numbered_spaced_and_never_for_a_returned_book() {
        let today = day("2026-03-01");
        assert_eq!(
            reminder_due(&loan("2026-03-01", 0, None, None), today, 14),
            None
        );
        assert_eq!(
            reminder_due(&loan("2026-02-28", 0, None, None), today, 14),
            Some(1)
        );
        assert_eq!(
            reminder_due(&loan("2026-02-01", 1, Some("2026-02-20"), None), today, 14),
            None
        );
        assert_eq!(
            reminder_due(&loan("2026-02-01", 1, Some("2026-02-15"), None), today, 14),
            Some(2)
        );
        assert_eq!(
            reminder_due(&loan("2026-01-10", 2, Some("2026-02-01"), None), today, 14),
            None
        );
        assert_eq!(
            reminder_due(&loan("2026-02-01", 0, None, Some("2026-02-27")), today, 14),
            None
        );
    }

    #[test]
    fn a_title_is_found_without_its_diacritics() {
        let text = search_text(
            "Źródła finansowania NGO",
            Some("Łukasz Żak"),
            Some("ekonomia społeczna"),
            None,
            None,
        );
        for w in search_words("zrodla  ZAK spoleczna") {
            assert!(text.contains(&w), "{w} in {text}");
        }
    }

    #[test]
    fn a_wrong_isbn_and_a_future_year_are_told_at_their_fields() {
        let today = day("2026-12-02");
        let e = TitleInput {
            title: "Podręcznik".into(),
            isbn: "978-83-01-00000-1".into(),
            year: "2031".into(),
            ..Default::default()
        }
        .parse(today)
        .unwrap_err();
        let Error::Invalid(fields) = e else {
            panic!("{e:?}")
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["year", "isbn"]);
        let ok = TitleInput {
            title: "  Podręcznik <b>NGO</b> ".into(),
            isbn: "978-83-01-14620-7".into(),
            ..Default::default()
        }
        .parse(today);
        assert!(ok.is_ok(), "{ok:?}");
        assert_eq!(ok.unwrap().copies, 1);
    }

    #[test]
    fn the_due_date_defaults_to_the_loan_period() {
        let s = LibrarySettings::default();
        let d = LoanInput {
            copy_id: Some(3),
            person_id: Some(4),
            lent_on: "2026-11-02".into(),
            ..Default::default()
        }
        .parse(day("2026-12-02"), &s)
        .unwrap();
        assert_eq!(d.due_on, day("2026-12-02"));
        let e = LoanInput {
            copy_id: Some(3),
            person_id: None,
            lent_on: "2026-11-02".into(),
            due_on: "2026-10-01".into(),
            ..Default::default()
        }
        .parse(day("2026-12-02"), &s)
        .unwrap_err();
        let Error::Invalid(fields) = e else {
            panic!("{e:?}")
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["person_id", "due_on"]);
    }
}
