//! Mailing lists and segments, messages (bulletins, notices, templates), grant calls, and who
//! may be written to. Only addresses with a valid, not withdrawn e-mail consent are ever
//! queued; everyone else is counted with the reason. Sending itself is in `send`.

use super::render::MergeValues;
use crate::error::{Error, FieldError, Result};
use crate::ids::Email;
use crate::register::parse_date;
use crate::text::{clean_block, clean_line};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Whom a segment writes to: the organisations themselves, or people in roles at them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    #[default]
    Organizations,
    People,
}

/// Saved criteria; members are found anew each time the segment is used.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Segment {
    pub audience: Audience,
    /// Spheres of public benefit (any of them).
    pub areas: Vec<String>,
    pub legal_forms: Vec<String>,
    pub city: String,
    pub powiat: String,
    pub tag: String,
    pub public_benefit_only: bool,
    /// Only current members of the union / network.
    pub members_only: bool,
    /// For people: only those holding this role (e.g. "osoba kontaktowa").
    pub role: String,
    /// Only organisations granted money in this year (people: of such organisations); counted
    /// as the register's filter of the same name counts it.
    pub granted_in_year: Option<i32>,
}

impl Segment {
    pub fn clean(&self) -> Segment {
        let line = |s: &str| clean_line(s).unwrap_or_default();
        Segment {
            audience: self.audience,
            areas: self.areas.iter().filter_map(|a| clean_line(a)).collect(),
            legal_forms: self
                .legal_forms
                .iter()
                .filter_map(|a| clean_line(a))
                .collect(),
            city: line(&self.city),
            powiat: line(&self.powiat),
            tag: line(&self.tag),
            public_benefit_only: self.public_benefit_only,
            members_only: self.members_only,
            role: line(&self.role),
            granted_in_year: self.granted_in_year,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListInput {
    pub name: String,
    /// None: a static list of chosen records.
    pub segment: Option<Segment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MailingList {
    pub id: i64,
    pub name: String,
    pub segment: Option<Segment>,
    pub members: i64,
    pub updated_at: String,
}

/// A person or organisation the store found for a list, before the consent rules.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Candidate {
    pub organization_id: Option<i64>,
    pub person_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub organization: String,
    pub city: String,
    pub email: Option<String>,
    /// 1 an active e-mail consent, 2 only withdrawn ones, 0 none ever.
    pub consent: i64,
    pub archived: bool,
}

/// Someone who will receive the message, with the values for the merge fields.
#[derive(Debug, Clone, Serialize)]
pub struct Recipient {
    pub organization_id: Option<i64>,
    pub person_id: Option<i64>,
    pub name: String,
    pub address: String,
    pub values: MergeValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOutReason {
    NoConsent,
    ConsentWithdrawn,
    NoAddress,
    Bounced,
    Archived,
    SameAddress,
}

impl LeftOutReason {
    pub fn label(self) -> &'static str {
        match self {
            LeftOutReason::NoConsent => "brak zgody na e-maile",
            LeftOutReason::ConsentWithdrawn => "zgoda wycofana (także wypisani z listy)",
            LeftOutReason::NoAddress => "brak adresu e-mail",
            LeftOutReason::Bounced => "adres odrzucony przez serwer poczty",
            LeftOutReason::Archived => "rekord w archiwum",
            LeftOutReason::SameAddress => "ten sam adres jest już na liście",
        }
    }
    pub fn is_consent(self) -> bool {
        matches!(
            self,
            LeftOutReason::NoConsent | LeftOutReason::ConsentWithdrawn
        )
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    pub reason: LeftOutReason,
    pub label: &'static str,
    pub count: usize,
}

/// Who a list reaches now: the recipients, and everyone else counted by reason.
#[derive(Debug, Clone, Serialize)]
pub struct AudienceCount {
    pub recipients: usize,
    pub left_out: Vec<LeftOut>,
    pub skipped_no_consent: usize,
}

pub struct ResolvedAudience {
    pub recipients: Vec<Recipient>,
    pub left_out: Vec<(LeftOutReason, usize)>,
}

impl ResolvedAudience {
    pub fn count(&self) -> AudienceCount {
        AudienceCount {
            recipients: self.recipients.len(),
            left_out: self
                .left_out
                .iter()
                .map(|(r, c)| LeftOut {
                    reason: *r,
                    label: r.label(),
                    count: *c,
                })
                .collect(),
            skipped_no_consent: self.skipped_no_consent(),
        }
    }
    pub fn skipped_no_consent(&self) -> usize {
        self.left_out
            .iter()
            .filter(|(r, _)| r.is_consent())
            .map(|(_, c)| c)
            .sum()
    }
    pub fn skipped_other(&self) -> usize {
        self.left_out
            .iter()
            .filter(|(r, _)| !r.is_consent())
            .map(|(_, c)| c)
            .sum()
    }
}

/// Applies the consent rules to what the store found. Archived first, then address, consent,
/// bounce and repeats, so each person is counted once under the first reason that applies.
pub fn resolve(candidates: Vec<Candidate>, bounced: &HashSet<String>) -> ResolvedAudience {
    let mut recipients = Vec::new();
    let mut counts: Vec<(LeftOutReason, usize)> = Vec::new();
    let mut seen = HashSet::new();
    // A person with roles in two matching organisations is found twice: one recipient.
    let mut records = HashSet::new();
    let mut leave = |r: LeftOutReason| match counts.iter_mut().find(|(x, _)| *x == r) {
        Some((_, c)) => *c += 1,
        None => counts.push((r, 1)),
    };
    for c in candidates {
        if !records.insert((c.organization_id, c.person_id)) {
            continue;
        }
        let address = c
            .email
            .as_deref()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty());
        let reason = if c.archived {
            Some(LeftOutReason::Archived)
        } else if address.is_none() {
            Some(LeftOutReason::NoAddress)
        } else if c.consent == 0 {
            Some(LeftOutReason::NoConsent)
        } else if c.consent == 2 {
            Some(LeftOutReason::ConsentWithdrawn)
        } else if bounced.contains(address.as_deref().unwrap()) {
            Some(LeftOutReason::Bounced)
        } else if !seen.insert(address.clone().unwrap()) {
            Some(LeftOutReason::SameAddress)
        } else {
            None
        };
        if let Some(r) = reason {
            leave(r);
            continue;
        }
        let address = c.email.clone().unwrap().trim().to_string();
        let full_name = format!("{} {}", c.first_name, c.last_name)
            .trim()
            .to_string();
        let name = if c.person_id.is_some() {
            full_name.clone()
        } else {
            c.organization.clone()
        };
        let nazwa = if c.organization.is_empty() {
            full_name.clone()
        } else {
            c.organization.clone()
        };
        let values: MergeValues = [
            ("nazwa", nazwa),
            ("imie", c.first_name),
            ("nazwisko", c.last_name),
            ("miasto", c.city),
            ("email", address.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        recipients.push(Recipient {
            organization_id: c.organization_id,
            person_id: c.person_id,
            name,
            address,
            values,
        });
    }
    counts.sort_by_key(|(r, _)| *r as u8);
    ResolvedAudience {
        recipients,
        left_out: counts,
    }
}

pub fn parse_list_name(name: &str) -> Result<String> {
    match clean_line(name) {
        Some(n) if n.chars().count() <= 120 => Ok(n),
        Some(_) => Err(Error::invalid(
            "name",
            "Nazwa listy jest za długa (najwyżej 120 znaków).",
        )),
        None => Err(Error::invalid("name", "Podaj nazwę listy.")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    #[default]
    Bulletin,
    Notice,
}

impl MessageKind {
    pub fn code(self) -> &'static str {
        match self {
            MessageKind::Bulletin => "bulletin",
            MessageKind::Notice => "notice",
        }
    }
    pub fn from_code(code: &str) -> MessageKind {
        if code == "notice" {
            MessageKind::Notice
        } else {
            MessageKind::Bulletin
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MessageInput {
    pub kind: MessageKind,
    pub is_template: bool,
    pub subject: String,
    pub body: String,
    pub list_id: Option<i64>,
}

impl MessageInput {
    pub fn parse(&self) -> Result<MessageInput> {
        super::render::validate(&self.subject, &self.body)?;
        Ok(MessageInput {
            kind: self.kind,
            is_template: self.is_template,
            subject: clean_line(&self.subject).unwrap_or_default(),
            body: self.body.replace("\r\n", "\n"),
            list_id: self.list_id.filter(|id| *id > 0),
        })
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AttachmentInfo {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

/// Queue counts of one campaign.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct QueueCounts {
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    pub uncertain: i64,
}

impl QueueCounts {
    pub fn total(&self) -> i64 {
        self.queued + self.sending + self.sent + self.failed + self.uncertain
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MailMessage {
    pub id: i64,
    pub kind: MessageKind,
    pub is_template: bool,
    pub subject: String,
    pub body: String,
    pub list_id: Option<i64>,
    pub list_name: Option<String>,
    pub grant_call_id: Option<i64>,
    pub status: String,
    pub skipped_no_consent: i64,
    pub skipped_other: i64,
    pub created_at: String,
    pub updated_at: String,
    pub queued_at: Option<String>,
    pub finished_at: Option<String>,
    pub attachments: Vec<AttachmentInfo>,
    pub counts: QueueCounts,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub kind: String,
    pub is_template: bool,
    pub subject: String,
    pub list_name: Option<String>,
    pub status: String,
    pub updated_at: String,
    pub queued_at: Option<String>,
    pub sent: i64,
    pub total: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MessageQuery {
    /// "drafts", "templates" or "sent" (campaigns queued at least once).
    pub folder: String,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct QueueRow {
    pub id: i64,
    pub organization_id: Option<i64>,
    pub person_id: Option<i64>,
    pub address: String,
    pub recipient_name: String,
    pub status: String,
    pub attempts: i64,
    pub reply: Option<String>,
    pub updated_at: String,
}

/// One message sent (or tried) to a person or organisation, for their page.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MailHistoryRow {
    pub message_id: i64,
    pub subject: String,
    pub address: String,
    pub status: String,
    pub reply: Option<String>,
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    #[default]
    Starttls,
    Tls,
    /// Plain SMTP: only for a server on this computer or the office network.
    None,
}

/// The office's mail settings, stored in the database; the password is not here.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    pub from_address: String,
    pub from_name: String,
    pub reply_to: String,
    /// Where "wypisz" replies go (List-Unsubscribe mailto); the sender's address if empty.
    pub unsubscribe_address: String,
    /// Messages per minute; 0 means no limit (a server on this computer).
    pub rate_per_minute: u32,
    pub office_name: String,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            host: String::new(),
            port: 587,
            security: Security::Starttls,
            username: String::new(),
            from_address: String::new(),
            from_name: String::new(),
            reply_to: String::new(),
            unsubscribe_address: String::new(),
            rate_per_minute: 30,
            office_name: String::new(),
        }
    }
}

impl MailSettings {
    pub fn parse(&self) -> Result<MailSettings> {
        let mut errors = Vec::new();
        let line = |s: &str| clean_line(s).unwrap_or_default();
        let host = line(&self.host);
        if host
            .chars()
            .any(|c| c.is_whitespace() || c == '/' || c == ':')
            || host.len() > 253
        {
            errors.push(FieldError::new(
                "host",
                "Podaj samą nazwę serwera, np. smtp.example.org (bez smtp:// i portu).",
            ));
        }
        if self.port == 0 {
            errors.push(FieldError::new(
                "port",
                "Port to liczba od 1 do 65535 (zwykle 587 albo 465).",
            ));
        }
        // Checked here as well as before sending, so the window refuses it at the field.
        if self.security == Security::None
            && !line(&self.username).is_empty()
            && !host.is_empty()
            && !super::send::is_loopback_host(&host)
        {
            errors.push(FieldError::new(
                "security",
                super::send::PLAIN_LOGIN_REFUSED,
            ));
        }
        let mut email = |field: &str, raw: &str, required: bool| -> String {
            let raw = raw.trim();
            if raw.is_empty() {
                if required {
                    errors.push(FieldError::new(field, "Podaj adres e-mail."));
                }
                return String::new();
            }
            match Email::parse(raw) {
                Ok(e) => e.as_str().to_string(),
                Err(e) => {
                    errors.push(FieldError::new(field, e.0));
                    raw.to_string()
                }
            }
        };
        let from_address = email("from_address", &self.from_address, true);
        let reply_to = email("reply_to", &self.reply_to, false);
        let unsubscribe_address = email("unsubscribe_address", &self.unsubscribe_address, false);
        if self.rate_per_minute > 10_000 {
            errors.push(FieldError::new(
                "rate_per_minute",
                "Tempo to najwyżej 10 000 wiadomości na minutę (0 = bez limitu).",
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(MailSettings {
            host,
            port: self.port,
            security: self.security,
            username: line(&self.username),
            from_address,
            from_name: line(&self.from_name),
            reply_to,
            unsubscribe_address,
            rate_per_minute: self.rate_per_minute,
            office_name: line(&self.office_name),
        })
    }

    pub fn unsubscribe(&self) -> &str {
        if self.unsubscribe_address.is_empty() {
            &self.from_address
        } else {
            &self.unsubscribe_address
        }
    }

    pub fn footer(&self) -> super::render::Footer {
        let office = if self.office_name.is_empty() {
            self.from_name.clone()
        } else {
            self.office_name.clone()
        };
        super::render::Footer {
            office,
            unsubscribe_address: self.unsubscribe().to_string(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GrantCallInput {
    pub funder: String,
    pub title: String,
    pub deadline: String,
    pub amount: String,
    pub link: String,
    pub notes: String,
    pub areas: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GrantCallDraft {
    pub funder: String,
    pub title: String,
    pub deadline: NaiveDate,
    pub amount: Option<String>,
    pub link: Option<String>,
    pub notes: Option<String>,
    pub areas: Vec<String>,
}

impl GrantCallInput {
    pub fn parse(&self, area_codes: &[String]) -> Result<GrantCallDraft> {
        let mut errors = Vec::new();
        let mut need = |field: &str, v: &str, msg: &str| match clean_line(v) {
            Some(s) if s.chars().count() <= 300 => s,
            Some(_) => {
                errors.push(FieldError::new(field, "Za długie (najwyżej 300 znaków)."));
                String::new()
            }
            None => {
                errors.push(FieldError::new(field, msg));
                String::new()
            }
        };
        let funder = need(
            "funder",
            &self.funder,
            "Podaj, kto ogłasza konkurs (np. Urząd Miasta, fundacja).",
        );
        let title = need("title", &self.title, "Podaj nazwę konkursu.");
        let deadline = match parse_date(&self.deadline) {
            Ok(d) => d,
            Err(e) => {
                errors.push(FieldError::new(
                    "deadline",
                    if self.deadline.trim().is_empty() {
                        "Podaj termin składania ofert.".to_string()
                    } else {
                        e.0
                    },
                ));
                NaiveDate::default()
            }
        };
        let link = match self.link.trim() {
            "" => None,
            l => match url::Url::parse(l) {
                Ok(u) if u.scheme() == "https" || u.scheme() == "http" => Some(u.to_string()),
                _ => {
                    errors.push(FieldError::new(
                        "link",
                        "Link to adres strony zaczynający się od https://",
                    ));
                    None
                }
            },
        };
        let mut areas = Vec::new();
        for a in &self.areas {
            if !area_codes.contains(a) {
                errors.push(FieldError::new(
                    "areas",
                    format!("Nieznana sfera pożytku publicznego: {a}."),
                ));
            } else if !areas.contains(a) {
                areas.push(a.clone());
            }
        }
        if self.notes.chars().count() > crate::register::MAX_FIELD_CHARS {
            errors.push(FieldError::new(
                "notes",
                "Opis jest za długi (najwyżej 10 000 znaków).",
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(GrantCallDraft {
            funder,
            title,
            deadline,
            amount: clean_line(&self.amount),
            link,
            notes: clean_block(&self.notes),
            areas,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GrantCall {
    pub id: i64,
    pub funder: String,
    pub title: String,
    pub deadline: NaiveDate,
    pub amount: Option<String>,
    pub link: Option<String>,
    pub notes: Option<String>,
    pub areas: Vec<String>,
    pub created_at: String,
    /// Notices made from this call (message ids).
    pub messages: Vec<i64>,
}

impl GrantCall {
    /// The notice drafted from a call: facts first, then where to read more.
    pub fn notice_body(&self, area_names: &[String]) -> String {
        // Written so that no name needs declining: the recipient's name stands after a colon.
        let mut body = format!(
            "## {}\n\nSzanowni Państwo,\n\nogłoszono nabór: **{}**. Ogłaszający: **{}**.\n\n",
            self.title, self.title, self.funder
        );
        body.push_str(&format!(
            "- Termin składania ofert: **{}**\n",
            self.deadline.format("%d.%m.%Y")
        ));
        if let Some(a) = &self.amount {
            body.push_str(&format!("- Kwota: {a}\n"));
        }
        if !area_names.is_empty() {
            body.push_str(&format!("- Sfery: {}\n", area_names.join("; ")));
        }
        if let Some(l) = &self.link {
            body.push_str(&format!("- Ogłoszenie i dokumenty: [{l}]({l})\n"));
        }
        if let Some(n) = &self.notes {
            body.push_str(&format!("\n{n}\n"));
        }
        body.push_str("\nPiszemy, bo działania Państwa organizacji pasują do tego konkursu. Chętnie pomożemy przygotować ofertę — zapraszamy na konsultacje.\n\nOrganizacja: {nazwa}\n");
        body
    }

    pub fn notice_subject(&self) -> String {
        format!(
            "Nabór: {} — termin {}",
            self.title,
            self.deadline.format("%d.%m.%Y")
        )
    }
}

/// How an address left the list: the person asked, or the server said it does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Removal {
    Unsubscribed,
    Bounced,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct RemovalOutcome {
    pub people: usize,
    pub organizations: usize,
    pub consents_withdrawn: usize,
    /// Whose consent was withdrawn, for the change history.
    #[serde(skip)]
    pub withdrawn_for: Vec<(&'static str, i64)>,
}

/// A queue row taken for sending.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub message_id: i64,
    pub address: String,
    pub recipient_name: String,
    pub merge_fields: String,
    pub attempts: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: i64, email: Option<&str>, consent: i64) -> Candidate {
        Candidate {
            person_id: Some(id),
            first_name: "Anna".into(),
            last_name: format!("N{id}"),
            email: email.map(str::to_string),
            consent,
            ..Default::default()
        }
    }

    #[test]
    fn only_consenting_unique_live_addresses_are_recipients() {
        let mut archived = cand(6, Some("f@x.pl"), 1);
        archived.archived = true;
        let candidates = vec![
            cand(1, Some("a@x.pl"), 1),
            cand(2, Some("b@x.pl"), 0),
            cand(3, Some("c@x.pl"), 2),
            cand(4, None, 1),
            cand(5, Some("A@x.pl"), 1),
            archived,
            cand(7, Some("bounce@x.pl"), 1),
        ];
        let bounced: HashSet<String> = ["bounce@x.pl".to_string()].into();
        let r = resolve(candidates, &bounced);
        assert_eq!(r.recipients.len(), 1);
        assert_eq!(r.recipients[0].values["nazwa"], "Anna N1");
        assert_eq!(r.skipped_no_consent(), 2);
        assert_eq!(r.skipped_other(), 4);
        let reasons: Vec<_> = r.left_out.iter().map(|(x, _)| *x).collect();
        assert_eq!(
            reasons,
            vec![
                LeftOutReason::NoConsent,
                LeftOutReason::ConsentWithdrawn,
                LeftOutReason::NoAddress,
                LeftOutReason::Bounced,
                LeftOutReason::Archived,
                LeftOutReason::SameAddress
            ]
        );
    }

    #[test]
    fn plain_login_only_to_this_computer() {
        let with = |host: &str, security: Security, username: &str| MailSettings {
            host: host.into(),
            port: 25,
            security,
            username: username.into(),
            from_address: "biuro@example.org".into(),
            ..Default::default()
        };
        let err = with("192.0.2.1", Security::None, "biuro")
            .parse()
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "security");
        assert!(with("smtp.example.org", Security::None, "biuro")
            .parse()
            .is_err());
        for ok in [
            with("127.0.0.1", Security::None, "biuro"),
            with("localhost", Security::None, "biuro"),
            with("192.0.2.1", Security::None, ""),
            with("192.0.2.1", Security::Starttls, "biuro"),
            with("192.0.2.1", Security::Tls, "biuro"),
        ] {
            assert!(ok.parse().is_ok(), "{ok:?}");
        }
        assert!(!crate::mail::send::is_loopback_host(
            "127.0.0.1.example.org"
        ));
        // The settings take a name or IPv4 address; ::1 comes through --smtp smtp://[::1]:25.
        assert!(
            crate::mail::send::is_loopback_host("::1")
                && crate::mail::send::is_loopback_host("[::ffff:127.0.0.1]")
        );
    }

    #[test]
    fn urls_are_shown_without_the_password() {
        assert_eq!(
            crate::mail::send::redact_url("smtp://u:sekret123@192.0.2.1:25"),
            "smtp://***@192.0.2.1:25"
        );
        assert_eq!(crate::mail::send::redact_url("u:sek@ret@host"), "***@host");
        assert_eq!(
            crate::mail::send::redact_url("smtp://127.0.0.1:25"),
            "smtp://127.0.0.1:25"
        );
        let err = crate::mail::send::SmtpTarget::from_url("smtp://u:sekret123@")
            .err()
            .unwrap()
            .to_string();
        assert!(!err.contains("sekret123"), "{err}");
        let err = crate::mail::send::SmtpTarget::from_url("smtp://u:sekret123@192.0.2.1:25")
            .err()
            .unwrap()
            .to_string();
        assert!(
            !err.contains("sekret123") && err.contains("smtp+starttls://"),
            "{err}"
        );
        let t = crate::mail::send::SmtpTarget::from_url(
            "smtps://biuro%40example.org:p%40ss@smtp.example.org",
        )
        .unwrap();
        assert_eq!(
            (t.username.as_deref(), t.password.as_deref()),
            (Some("biuro@example.org"), Some("p@ss"))
        );
    }

    #[test]
    fn settings_name_the_wrong_field() {
        let s = MailSettings {
            host: "smtp://x".into(),
            from_address: "zly-adres".into(),
            ..Default::default()
        };
        let err = s.parse().unwrap_err();
        let fields: Vec<_> = err
            .field_errors()
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert_eq!(fields, vec!["host", "from_address"]);
    }
}
