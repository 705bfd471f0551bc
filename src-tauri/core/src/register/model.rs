//! The register's records: what a form sends in (`*Input`, raw text as typed), what the core
//! stores after parsing (`*Draft`, every value valid and normalised), and what lists and detail
//! views read back.

use crate::error::{Error, FieldError, Result};
use crate::ids::{Email, InvalidValue, Krs, Nip, Phone, PostalCode, Regon, WebUrl};
use crate::text::{clean_block, clean_line, split_list};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest text any one field accepts; longer input is a mistake (a pasted file), not data.
pub const MAX_FIELD_CHARS: usize = 10_000;
const MAX_LINE_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalForm {
    Fundacja,
    GrupaNieformalna,
    Inna,
    KlubSportowy,
    KoloGospodynWiejskich,
    OchotniczaStrazPozarna,
    SpoldzielniaSocjalna,
    Stowarzyszenie,
    StowarzyszenieZwykle,
}

impl LegalForm {
    /// In Polish alphabetical order of their labels, which is also the order of their codes.
    pub const ALL: [LegalForm; 9] = [
        LegalForm::Fundacja,
        LegalForm::GrupaNieformalna,
        LegalForm::Inna,
        LegalForm::KlubSportowy,
        LegalForm::KoloGospodynWiejskich,
        LegalForm::OchotniczaStrazPozarna,
        LegalForm::SpoldzielniaSocjalna,
        LegalForm::Stowarzyszenie,
        LegalForm::StowarzyszenieZwykle,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LegalForm::Fundacja => "fundacja",
            LegalForm::GrupaNieformalna => "grupa_nieformalna",
            LegalForm::Inna => "inna",
            LegalForm::KlubSportowy => "klub_sportowy",
            LegalForm::KoloGospodynWiejskich => "kolo_gospodyn_wiejskich",
            LegalForm::OchotniczaStrazPozarna => "ochotnicza_straz_pozarna",
            LegalForm::SpoldzielniaSocjalna => "spoldzielnia_socjalna",
            LegalForm::Stowarzyszenie => "stowarzyszenie",
            LegalForm::StowarzyszenieZwykle => "stowarzyszenie_zwykle",
        }
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            LegalForm::Fundacja => "fundacja",
            LegalForm::GrupaNieformalna => "grupa nieformalna",
            LegalForm::Inna => "inna",
            LegalForm::KlubSportowy => "klub sportowy",
            LegalForm::KoloGospodynWiejskich => "koło gospodyń wiejskich",
            LegalForm::OchotniczaStrazPozarna => "ochotnicza straż pożarna (OSP)",
            LegalForm::SpoldzielniaSocjalna => "spółdzielnia socjalna",
            LegalForm::Stowarzyszenie => "stowarzyszenie",
            LegalForm::StowarzyszenieZwykle => "stowarzyszenie zwykłe",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            LegalForm::Fundacja => "foundation",
            LegalForm::GrupaNieformalna => "informal group",
            LegalForm::Inna => "other",
            LegalForm::KlubSportowy => "sports club",
            LegalForm::KoloGospodynWiejskich => "rural women's circle",
            LegalForm::OchotniczaStrazPozarna => "volunteer fire brigade",
            LegalForm::SpoldzielniaSocjalna => "social cooperative",
            LegalForm::Stowarzyszenie => "association",
            LegalForm::StowarzyszenieZwykle => "ordinary association",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// The channels a person can consent to separately (RODO and the Electronic Communications Law).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChannel {
    EmailBulletin,
    Publication,
    Phone,
}

impl ConsentChannel {
    pub const ALL: [ConsentChannel; 3] = [
        ConsentChannel::EmailBulletin,
        ConsentChannel::Publication,
        ConsentChannel::Phone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ConsentChannel::EmailBulletin => "email_bulletin",
            ConsentChannel::Publication => "publication",
            ConsentChannel::Phone => "phone",
        }
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            ConsentChannel::EmailBulletin => "biuletyn i informacje e-mailem",
            ConsentChannel::Publication => "publikacja danych w katalogu",
            ConsentChannel::Phone => "kontakt telefoniczny",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ConsentChannel::EmailBulletin => "e-mail bulletin and notices",
            ConsentChannel::Publication => "publication in the directory",
            ConsentChannel::Phone => "phone contact",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Roles offered in the form; any other role can be typed.
pub const SUGGESTED_ROLES: &[&str] = &[
    "prezes",
    "wiceprezes",
    "członek zarządu",
    "skarbnik",
    "sekretarz",
    "osoba kontaktowa",
    "członek",
    "wolontariusz",
    "trener",
    "pracownik",
];

pub const VOIVODESHIPS: [&str; 16] = [
    "dolnośląskie",
    "kujawsko-pomorskie",
    "lubelskie",
    "lubuskie",
    "łódzkie",
    "małopolskie",
    "mazowieckie",
    "opolskie",
    "podkarpackie",
    "podlaskie",
    "pomorskie",
    "śląskie",
    "świętokrzyskie",
    "warmińsko-mazurskie",
    "wielkopolskie",
    "zachodniopomorskie",
];

/// Dates as people type them in Poland ("22.11.2026") or as a date picker sends them ("2026-11-22").
/// The short forms office workers type are completed: "15.12" is in the current year,
/// "15.12.25" in 2025 (two-digit years are this century's).
pub fn parse_date(raw: &str) -> std::result::Result<NaiveDate, InvalidValue> {
    parse_date_in(
        raw,
        chrono::Datelike::year(&chrono::Local::now().date_naive()),
    )
}

/// `parse_date` with the year that completes "15.12" given (tests fix it; the forms use today's).
pub fn parse_date_in(raw: &str, current_year: i32) -> std::result::Result<NaiveDate, InvalidValue> {
    let t = raw.trim();
    let invalid = || {
        InvalidValue(
            "Data ma postać DD.MM.RRRR (albo DD.MM dla bieżącego roku), np. 22.11.2026.".into(),
        )
    };
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d);
    }
    let parts: Vec<&str> = t.trim_end_matches('.').split('.').collect();
    let number = |p: &str, max_len: usize| {
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<i32>().ok())
            .flatten()
    };
    let (day, month, year) = match parts.as_slice() {
        [d, m] => (number(d, 2), number(m, 2), Some(current_year)),
        [d, m, y] if y.len() == 2 => (number(d, 2), number(m, 2), number(y, 2).map(|y| 2000 + y)),
        [d, m, y] if y.len() == 4 => (number(d, 2), number(m, 2), number(y, 4)),
        _ => (None, None, None),
    };
    match (day, month, year) {
        (Some(d), Some(m), Some(y)) => {
            NaiveDate::from_ymd_opt(y, m as u32, d as u32).ok_or_else(invalid)
        }
        _ => Err(invalid()),
    }
}

/// Collects field errors while a form is parsed, so that every wrong field is reported at once.
#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    fn line(&mut self, field: &str, raw: &str) -> Option<String> {
        if raw.chars().count() > MAX_LINE_CHARS {
            self.fail(
                field,
                format!("Tekst jest za długi (najwyżej {MAX_LINE_CHARS} znaków)."),
            );
            return None;
        }
        clean_line(raw)
    }

    fn block(&mut self, field: &str, raw: &str) -> Option<String> {
        if raw.chars().count() > MAX_FIELD_CHARS {
            self.fail(
                field,
                format!("Tekst jest za długi (najwyżej {MAX_FIELD_CHARS} znaków)."),
            );
            return None;
        }
        clean_block(raw)
    }

    fn required(&mut self, field: &str, raw: &str, message: &str) -> String {
        match self.line(field, raw) {
            Some(v) => v,
            None => {
                if !self.errors.iter().any(|e| e.field == field) {
                    self.fail(field, message);
                }
                String::new()
            }
        }
    }

    fn optional<T>(
        &mut self,
        field: &str,
        raw: &str,
        parse: impl Fn(&str) -> std::result::Result<T, InvalidValue>,
    ) -> Option<T> {
        if raw.trim().is_empty() {
            return None;
        }
        if raw.chars().count() > MAX_LINE_CHARS {
            self.fail(field, "Wartość jest za długa.");
            return None;
        }
        match parse(raw) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(field, e.0);
                None
            }
        }
    }

    fn list<T: PartialEq>(
        &mut self,
        field: &str,
        raw: &str,
        parse: impl Fn(&str) -> std::result::Result<T, InvalidValue>,
    ) -> Vec<T> {
        if raw.chars().count() > MAX_FIELD_CHARS {
            self.fail(field, "Lista jest za długa.");
            return Vec::new();
        }
        let mut out = Vec::new();
        for item in split_list(raw) {
            match parse(&item) {
                Ok(v) if !out.contains(&v) => out.push(v),
                Ok(_) => {}
                Err(e) => self.fail(field, e.0),
            }
        }
        out
    }

    fn finish<T>(self, value: T) -> Result<T> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self.errors))
        }
    }
}

/// An organisation as the form sends it: text as typed. Lists (phones, e-mails, tags) are one
/// field each, values separated by new lines, commas or semicolons.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OrganizationInput {
    pub name: String,
    pub short_name: String,
    pub legal_form: String,
    pub krs: String,
    pub nip: String,
    pub regon: String,
    pub public_benefit: bool,
    pub street: String,
    pub building: String,
    pub postal_code: String,
    pub city: String,
    pub gmina: String,
    pub powiat: String,
    pub voivodeship: String,
    pub phones: String,
    pub emails: String,
    pub website: String,
    pub areas: Vec<String>,
    pub description: String,
    pub tags: String,
    pub notes: String,
    pub member_since: String,
    pub member_until: String,
    pub directory_consent: bool,
    /// The revision the form was opened on: a save of an older one is refused
    /// (`Error::Conflict`). None: a new record, or a caller that overwrites on purpose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
}

/// An organisation ready to store: every identifier parsed, every text trimmed.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationDraft {
    pub name: String,
    pub short_name: Option<String>,
    pub legal_form: LegalForm,
    pub krs: Option<Krs>,
    pub nip: Option<Nip>,
    pub regon: Option<Regon>,
    pub public_benefit: bool,
    pub street: Option<String>,
    pub building: Option<String>,
    pub postal_code: Option<PostalCode>,
    pub city: Option<String>,
    pub gmina: Option<String>,
    pub powiat: Option<String>,
    pub voivodeship: Option<String>,
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
    pub website: Option<WebUrl>,
    pub areas: Vec<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub member_since: Option<NaiveDate>,
    pub member_until: Option<NaiveDate>,
    pub directory_consent: bool,
}

impl OrganizationInput {
    /// Parses the form; `known_areas` are the codes of the spheres in the database.
    pub fn parse(&self, known_areas: &[String]) -> Result<OrganizationDraft> {
        let mut c = Checker::default();
        let name = c.required("name", &self.name, "Podaj nazwę organizacji.");
        let short_name = c.line("short_name", &self.short_name);
        let legal_form = match LegalForm::from_code(self.legal_form.trim()) {
            Some(f) => f,
            None => {
                c.fail("legal_form", "Wybierz formę prawną z listy.");
                LegalForm::Inna
            }
        };
        let krs = c.optional("krs", &self.krs, Krs::parse);
        let nip = c.optional("nip", &self.nip, Nip::parse);
        let regon = c.optional("regon", &self.regon, Regon::parse);
        let street = c.line("street", &self.street);
        let building = c.line("building", &self.building);
        let postal_code = c.optional("postal_code", &self.postal_code, PostalCode::parse);
        let city = c.line("city", &self.city);
        let gmina = c.line("gmina", &self.gmina);
        let powiat = c.line("powiat", &self.powiat);
        let voivodeship = c.optional("voivodeship", &self.voivodeship, |v| {
            let lower = v.trim().to_lowercase();
            VOIVODESHIPS
                .iter()
                .find(|w| **w == lower)
                .map(|w| w.to_string())
                .ok_or_else(|| InvalidValue("Wybierz województwo z listy.".into()))
        });
        let phones = c.list("phones", &self.phones, Phone::parse);
        let emails = c.list("emails", &self.emails, Email::parse);
        let website = c.optional("website", &self.website, WebUrl::parse);
        let mut areas = Vec::new();
        for code in &self.areas {
            let code = code.trim();
            if !known_areas.iter().any(|k| k == code) {
                c.fail(
                    "areas",
                    format!("Nieznana sfera pożytku publicznego: „{code}”."),
                );
            } else if !areas.iter().any(|a| a == code) {
                areas.push(code.to_string());
            }
        }
        let description = c.block("description", &self.description);
        let tags = c.list("tags", &self.tags, |t| Ok(t.to_lowercase()));
        let notes = c.block("notes", &self.notes);
        let member_since = c.optional("member_since", &self.member_since, parse_date);
        let member_until = c.optional("member_until", &self.member_until, parse_date);
        if let (Some(s), Some(u)) = (member_since, member_until) {
            if u < s {
                c.fail(
                    "member_until",
                    "Koniec członkostwa nie może być wcześniej niż jego początek.",
                );
            }
        }
        c.finish(OrganizationDraft {
            name,
            short_name,
            legal_form,
            krs,
            nip,
            regon,
            public_benefit: self.public_benefit,
            street,
            building,
            postal_code,
            city,
            gmina,
            powiat,
            voivodeship,
            phones,
            emails,
            website,
            areas,
            description,
            tags,
            notes,
            member_since,
            member_until,
            directory_consent: self.directory_consent,
        })
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleInput {
    pub organization_id: i64,
    pub role: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub first_name: String,
    pub last_name: String,
    pub emails: String,
    pub phones: String,
    pub roles: Vec<RoleInput>,
    pub notes: String,
    /// The revision the form was opened on (see `OrganizationInput::revision`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonDraft {
    pub first_name: String,
    pub last_name: String,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub roles: Vec<(i64, String)>,
    pub notes: Option<String>,
}

impl PersonInput {
    pub fn parse(&self) -> Result<PersonDraft> {
        let mut c = Checker::default();
        let first_name = c.required("first_name", &self.first_name, "Podaj imię.");
        let last_name = c.required("last_name", &self.last_name, "Podaj nazwisko.");
        let emails = c.list("emails", &self.emails, Email::parse);
        let phones = c.list("phones", &self.phones, Phone::parse);
        let mut roles = Vec::new();
        for r in &self.roles {
            match c.line("roles", &r.role) {
                Some(role) if r.organization_id > 0 => {
                    let role = role.to_lowercase();
                    if !roles.contains(&(r.organization_id, role.clone())) {
                        roles.push((r.organization_id, role));
                    }
                }
                _ => c.fail("roles", "Każda rola wymaga organizacji i nazwy roli."),
            }
        }
        let notes = c.block("notes", &self.notes);
        c.finish(PersonDraft {
            first_name,
            last_name,
            emails,
            phones,
            roles,
            notes,
        })
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsentInput {
    pub channel: String,
    /// When the person agreed, DD.MM.RRRR; today when empty.
    pub date: String,
    /// How: "formularz papierowy", "e-mail z 12.03.2026", ...
    pub source: String,
}

/// Which way a list is sorted; names in Polish alphabetical order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizationSort {
    #[default]
    Name,
    City,
    LegalForm,
    Created,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OrganizationQuery {
    pub legal_form: Option<String>,
    pub area: Option<String>,
    pub city: Option<String>,
    pub tag: Option<String>,
    pub public_benefit: Option<bool>,
    pub member: Option<bool>,
    /// Only organisations granted money in this year's cooperation programme (an offer counts
    /// in the year its competition was announced, an art. 19a offer in the year it was
    /// submitted).
    pub granted_in_year: Option<i32>,
    /// Show the archive instead of the active register.
    pub archived: bool,
    pub sort: OrganizationSort,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl OrganizationQuery {
    /// Refuses filters no list could mean: a grant year out of range, at its field.
    pub fn validate(&self) -> Result<()> {
        check_granted_in_year(self.granted_in_year)
    }
}

/// The years the "granted in year" filter accepts, in the register and in mail segments.
pub const GRANT_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// `granted_in_year` within [`GRANT_YEARS`], or the field error that says so.
pub fn check_granted_in_year(year: Option<i32>) -> Result<()> {
    match year {
        Some(y) if !GRANT_YEARS.contains(&y) => Err(Error::Invalid(vec![FieldError::new(
            "granted_in_year",
            format!(
                "Rok dotacji to liczba od {} do {}, np. 2026.",
                GRANT_YEARS.start(),
                GRANT_YEARS.end()
            ),
        )])),
        _ => Ok(()),
    }
}

/// The first and last day of a grant year, bound as dates by both backends (a year past what
/// a date can hold is clamped; the ops refuse it before with [`check_granted_in_year`]).
pub fn year_span(year: i32) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let year = year.clamp(NaiveDate::MIN.year() + 1, NaiveDate::MAX.year() - 1);
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or(NaiveDate::MIN);
    (day(1, 1), day(12, 31))
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonQuery {
    pub organization_id: Option<i64>,
    pub role: Option<String>,
    pub archived: bool,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

/// The longest page a list may ask for: lists are paged, never sent whole.
pub const MAX_PAGE: u32 = 500;

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub offset: u32,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OrganizationRow {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub legal_form: String,
    pub city: Option<String>,
    pub nip: Option<String>,
    pub krs: Option<String>,
    pub public_benefit: bool,
    pub member: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organizations: Option<String>,
}

/// One organisation as exported: stored values, lists joined with "; ".
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OrganizationExport {
    pub name: String,
    pub short_name: Option<String>,
    pub legal_form: String,
    pub krs: Option<String>,
    pub nip: Option<String>,
    pub regon: Option<String>,
    pub public_benefit: bool,
    pub street: Option<String>,
    pub building: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub gmina: Option<String>,
    pub powiat: Option<String>,
    pub voivodeship: Option<String>,
    pub phones: Option<String>,
    pub emails: Option<String>,
    pub website: Option<String>,
    pub areas: Option<String>,
    pub tags: Option<String>,
    pub member_since: Option<NaiveDate>,
    pub member_until: Option<NaiveDate>,
    pub directory_consent: bool,
}

/// One person as exported; `consents` lists the channels with a consent in force.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PersonExport {
    pub first_name: String,
    pub last_name: String,
    pub emails: Option<String>,
    pub phones: Option<String>,
    pub roles: Option<String>,
    pub consents: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganizationMember {
    pub role_id: i64,
    pub person_id: i64,
    pub name: String,
    pub role: String,
}

/// Everything the detail view shows, values in their stored (normalised) form.
#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub legal_form: String,
    pub krs: Option<String>,
    pub nip: Option<String>,
    pub regon: Option<String>,
    pub public_benefit: bool,
    pub street: Option<String>,
    pub building: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub gmina: Option<String>,
    pub powiat: Option<String>,
    pub voivodeship: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub website: Option<String>,
    pub areas: Vec<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub member_since: Option<NaiveDate>,
    pub member_until: Option<NaiveDate>,
    pub directory_consent: bool,
    pub archived_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Raised by every write: the form sends it back with its save (see `Error::Conflict`).
    pub revision: i64,
    /// Who made the last write (None before revisions were kept).
    pub changed_by: Option<String>,
    pub people: Vec<OrganizationMember>,
    /// The organisation's own e-mail consent history, newest first.
    pub email_consents: Vec<Consent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonRole {
    pub role_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub role: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Consent {
    pub id: i64,
    pub channel: String,
    pub granted_on: NaiveDate,
    pub source: String,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawal_source: Option<String>,
    pub recorded_at: String,
}

/// Serialised with the channel's Polish name beside its code: the RODO access export is read
/// by the person it is about, not only by programs.
impl Serialize for Consent {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let label = ConsentChannel::from_code(&self.channel)
            .map(|c| c.label_pl())
            .unwrap_or(self.channel.as_str());
        let mut s = serializer.serialize_struct("Consent", 8)?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("channel", &self.channel)?;
        s.serialize_field("channel_label", label)?;
        s.serialize_field("granted_on", &self.granted_on)?;
        s.serialize_field("source", &self.source)?;
        s.serialize_field("withdrawn_on", &self.withdrawn_on)?;
        s.serialize_field("withdrawal_source", &self.withdrawal_source)?;
        s.serialize_field("recorded_at", &self.recorded_at)?;
        s.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub notes: Option<String>,
    pub roles: Vec<PersonRole>,
    /// Every grant and withdrawal, newest first: the history stays.
    pub consents: Vec<Consent>,
    pub archived_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Raised by every write: the form sends it back with its save (see `Error::Conflict`).
    pub revision: i64,
    /// Who made the last write (None before revisions were kept).
    pub changed_by: Option<String>,
}

/// Another record that looks like the one being saved, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateRef {
    pub kind: RecordKind,
    pub id: i64,
    pub name: String,
    /// "KRS", "NIP", "REGON" or "e-mail".
    pub matched_on: String,
}

/// What saving did: stored, or held back because the record looks like one already there.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SaveOutcome {
    Saved { id: i64 },
    PossibleDuplicates { duplicates: Vec<DuplicateRef> },
}

/// Whose consent a consent row is: people and organisations keep theirs apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentOwner {
    Person,
    Organization,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Organization,
    Person,
    /// Only as a search hit: advice found by its anonymous client code.
    Advice,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub kind: RecordKind,
    pub id: i64,
    pub name: String,
    /// A second line: the city of an organisation, the organisations of a person.
    pub detail: Option<String>,
    pub archived: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ActivityArea {
    pub code: String,
    pub position: i64,
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub code: String,
    pub label_pl: String,
    pub label_en: String,
}

/// The lists a form offers: legal forms, spheres, roles, channels, voivodeships.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceData {
    pub legal_forms: Vec<Choice>,
    pub consent_channels: Vec<Choice>,
    pub areas: Vec<ActivityArea>,
    pub roles: Vec<String>,
    pub voivodeships: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegisterCounts {
    pub organizations: i64,
    pub people: i64,
    pub archived_organizations: i64,
}

/// A book or publication of the office library, as imported from its spreadsheet list.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryDraft {
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub year: Option<i32>,
    pub isbn: Option<crate::ids::Isbn>,
    pub shelf_mark: Option<String>,
    pub notes: Option<String>,
}

/// One import of a spreadsheet, as the import history lists it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ImportBatch {
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    pub imported_at: String,
    pub inserted: i64,
    pub updated: i64,
    pub skipped: i64,
    pub rejected: i64,
    pub undone_at: Option<String>,
}

/// What identifies an organisation for duplicate checks and for finding a person's organisation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganizationIdentity {
    pub id: i64,
    pub name: String,
    pub city: Option<String>,
    pub krs: Option<String>,
    pub nip: Option<String>,
    pub regon: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonIdentity {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookIdentity {
    pub id: i64,
    pub title: String,
    pub author: Option<String>,
    pub isbn: Option<String>,
}

/// Everything the register holds that import duplicate checks compare against.
#[derive(Debug, Clone, Default)]
pub struct RegisterIdentities {
    pub organizations: Vec<OrganizationIdentity>,
    /// (organisation id, e-mail)
    pub organization_emails: Vec<(i64, String)>,
    pub people: Vec<PersonIdentity>,
    /// (person id, e-mail)
    pub person_emails: Vec<(i64, String)>,
    /// (person id, organisation id)
    pub person_organizations: Vec<(i64, i64)>,
    pub books: Vec<BookIdentity>,
}

impl From<&Organization> for OrganizationInput {
    /// The stored record as the form would show it, so that it can be merged and parsed again.
    fn from(o: &Organization) -> Self {
        let date = |d: &Option<NaiveDate>| {
            d.map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        OrganizationInput {
            name: o.name.clone(),
            short_name: text(&o.short_name),
            legal_form: o.legal_form.clone(),
            krs: text(&o.krs),
            nip: text(&o.nip),
            regon: text(&o.regon),
            public_benefit: o.public_benefit,
            street: text(&o.street),
            building: text(&o.building),
            postal_code: text(&o.postal_code),
            city: text(&o.city),
            gmina: text(&o.gmina),
            powiat: text(&o.powiat),
            voivodeship: text(&o.voivodeship),
            phones: o.phones.join("\n"),
            emails: o.emails.join("\n"),
            website: text(&o.website),
            areas: o.areas.clone(),
            description: text(&o.description),
            tags: o.tags.join("\n"),
            notes: text(&o.notes),
            member_since: date(&o.member_since),
            member_until: date(&o.member_until),
            directory_consent: o.directory_consent,
            // An import's snapshot, not a form: it overwrites on purpose.
            revision: None,
        }
    }
}

impl From<&Person> for PersonInput {
    fn from(p: &Person) -> Self {
        PersonInput {
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            emails: p.emails.join("\n"),
            phones: p.phones.join("\n"),
            roles: p
                .roles
                .iter()
                .map(|r| RoleInput {
                    organization_id: r.organization_id,
                    role: r.role.clone(),
                })
                .collect(),
            notes: p.notes.clone().unwrap_or_default(),
            revision: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas() -> Vec<String> {
        vec!["1".into(), "32a".into()]
    }

    fn valid() -> OrganizationInput {
        OrganizationInput {
            name: "  Fundacja   Łódzkie Inicjatywy ".into(),
            legal_form: "fundacja".into(),
            krs: "123456".into(),
            nip: "PL 123-456-32-18".into(),
            regon: "123456785".into(),
            postal_code: "90001".into(),
            city: " Łódź ".into(),
            voivodeship: "Łódzkie".into(),
            emails: "Biuro@Fundacja.PL, kontakt@fundacja.pl\nbiuro@fundacja.pl".into(),
            phones: "42 123 45 67".into(),
            website: "fundacja.pl".into(),
            areas: vec!["32a".into(), "1".into(), "1".into()],
            tags: "Seniorzy; edukacja".into(),
            member_since: "01.02.2020".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_form_is_normalised_on_parse() {
        let d = valid().parse(&areas()).unwrap();
        assert_eq!(d.name, "Fundacja Łódzkie Inicjatywy");
        assert_eq!(d.krs.unwrap().as_str(), "0000123456");
        assert_eq!(d.nip.unwrap().as_str(), "1234563218");
        assert_eq!(d.postal_code.unwrap().as_str(), "90-001");
        assert_eq!(d.city.as_deref(), Some("Łódź"));
        assert_eq!(d.voivodeship.as_deref(), Some("łódzkie"));
        assert_eq!(
            d.emails.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
            vec!["biuro@fundacja.pl", "kontakt@fundacja.pl"]
        );
        assert_eq!(d.areas, vec!["32a", "1"]);
        assert_eq!(d.tags, vec!["seniorzy", "edukacja"]);
        assert_eq!(d.member_since, NaiveDate::from_ymd_opt(2020, 2, 1));
    }

    #[test]
    fn every_wrong_field_is_reported_at_its_name() {
        let input = OrganizationInput {
            name: " ".into(),
            legal_form: "spółka".into(),
            nip: "1234563219".into(),
            regon: "12345".into(),
            postal_code: "1-234".into(),
            emails: "biuro@".into(),
            website: "ftp://x.pl".into(),
            areas: vec!["99".into()],
            member_since: "31.02.2020".into(),
            ..Default::default()
        };
        let Err(Error::Invalid(errors)) = input.parse(&areas()) else {
            panic!("must fail")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "name",
            "legal_form",
            "nip",
            "regon",
            "postal_code",
            "emails",
            "website",
            "areas",
            "member_since",
        ] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
        let nip = errors.iter().find(|e| e.field == "nip").unwrap();
        assert!(nip.message.contains("NIP"), "{}", nip.message);
    }

    #[test]
    fn oversized_text_is_refused_not_truncated() {
        let input = OrganizationInput {
            name: "x".repeat(600),
            legal_form: "fundacja".into(),
            ..Default::default()
        };
        let Err(Error::Invalid(errors)) = input.parse(&areas()) else {
            panic!("must fail")
        };
        assert_eq!(errors[0].field, "name");
        assert!(errors[0].message.contains("za długi"));
    }

    #[test]
    fn person_needs_both_names_and_valid_contacts() {
        let p = PersonInput {
            first_name: " Anna ".into(),
            last_name: "Pawłowska".into(),
            emails: "A.Pawlowska@um.bialystok.pl".into(),
            ..Default::default()
        };
        let d = p.parse().unwrap();
        assert_eq!(d.first_name, "Anna");
        assert_eq!(d.emails[0].as_str(), "a.pawlowska@um.bialystok.pl");
        let bad = PersonInput {
            first_name: "".into(),
            last_name: "X".into(),
            phones: "123".into(),
            ..Default::default()
        };
        let Err(Error::Invalid(errors)) = bad.parse() else {
            panic!()
        };
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            vec!["first_name", "phones"]
        );
    }

    #[test]
    fn dates_in_polish_and_iso_form() {
        assert_eq!(
            parse_date("22.11.2026").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        );
        assert_eq!(
            parse_date("2026-11-22").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        );
        assert!(parse_date("22/11/2026").is_err());
    }

    #[test]
    fn short_dates_are_completed() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(parse_date_in("15.12", 2026).unwrap(), d(2026, 12, 15));
        assert_eq!(parse_date_in(" 5.3 ", 2026).unwrap(), d(2026, 3, 5));
        assert_eq!(parse_date_in("15.12.", 2026).unwrap(), d(2026, 12, 15));
        assert_eq!(parse_date_in("15.12.25", 2026).unwrap(), d(2025, 12, 15));
        assert_eq!(parse_date_in("01.02.2024", 2026).unwrap(), d(2024, 2, 1));
        assert_eq!(parse_date_in("2024-02-01", 2026).unwrap(), d(2024, 2, 1));
        // A day that does not exist, a three-digit year, stray text: refused with the hint.
        for bad in [
            "31.02",
            "15.12.202",
            "15",
            "15.12.2025.1",
            "a.b",
            "",
            "15..12",
            "+1.2",
        ] {
            let err = parse_date_in(bad, 2026).unwrap_err();
            assert!(err.0.contains("DD.MM"), "{bad}: {}", err.0);
        }
        // The short form always means the current year.
        let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
        assert_eq!(parse_date("1.1").unwrap(), d(year, 1, 1));
    }

    #[test]
    fn the_grant_year_filter_takes_years_2000_to_2100_only() {
        let q = |y| OrganizationQuery {
            granted_in_year: y,
            ..Default::default()
        };
        for ok in [None, Some(2000), Some(2026), Some(2100)] {
            assert!(q(ok).validate().is_ok(), "{ok:?}");
        }
        for bad in [
            Some(1999),
            Some(2101),
            Some(26),
            Some(-2026),
            Some(i32::MAX),
        ] {
            match q(bad).validate() {
                Err(Error::Invalid(e)) => {
                    assert_eq!(e.len(), 1);
                    assert_eq!(e[0].field, "granted_in_year");
                    assert!(e[0].message.contains("od 2000 do 2100"), "{}", e[0].message);
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        assert_eq!(
            year_span(2026),
            (
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
            )
        );
        // Out of a date's range: clamped, never a panic.
        let _ = year_span(i32::MAX);
        let _ = year_span(i32::MIN);
    }
}
