//! Dane biura: the office's own details (name, address, NIP, bank account, phone, e-mail; the
//! logo is kept as an asset beside them), set once in Ustawienia and used by every report (annual,
//! directory, attendance sheet, RODO information) and by every message (footer, sender name).

use crate::error::{Error, FieldError, Result};
use crate::ids::{Email, Nip, Phone};
use crate::text::clean_line;
use crate::Kartoteka;
use serde::{Deserialize, Serialize};

const KEY: &str = "office";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct OfficeSettings {
    pub name: String,
    /// One line as printed under the name: "ul. Piotrkowska 1, 90-001 Łódź".
    pub address: String,
    pub nip: String,
    pub bank_account: String,
    pub phone: String,
    pub email: String,
}

impl OfficeSettings {
    /// Checks and normalises every field; all problems at once, each at its field.
    pub fn parse(&self) -> Result<OfficeSettings> {
        let mut errors = Vec::new();
        let line = |s: &str| clean_line(s).unwrap_or_default();
        let name = line(&self.name);
        if name.chars().count() > 200 {
            errors.push(FieldError::new(
                "name",
                "Nazwa biura może mieć najwyżej 200 znaków.",
            ));
        }
        let address = line(&self.address);
        if address.chars().count() > 300 {
            errors.push(FieldError::new(
                "address",
                "Adres może mieć najwyżej 300 znaków.",
            ));
        }
        let nip = match line(&self.nip) {
            s if s.is_empty() => s,
            s => match Nip::parse(&s) {
                Ok(n) => n.as_str().to_string(),
                Err(e) => {
                    errors.push(FieldError::new("nip", e.0));
                    s
                }
            },
        };
        let bank_account = match line(&self.bank_account) {
            s if s.is_empty() => s,
            s => match bank_account(&s) {
                Some(formatted) => formatted,
                None => {
                    errors.push(FieldError::new(
                        "bank_account",
                        "Numer rachunku to 26 cyfr (NRB), np. 61 1090 1014 0000 0712 1981 2874; sprawdź cyfry kontrolne.",
                    ));
                    s
                }
            },
        };
        let phone = match line(&self.phone) {
            s if s.is_empty() => s,
            s => match Phone::parse(&s) {
                Ok(p) => p.as_str().to_string(),
                Err(e) => {
                    errors.push(FieldError::new("phone", e.0));
                    s
                }
            },
        };
        let email = match line(&self.email) {
            s if s.is_empty() => s,
            s => match Email::parse(&s) {
                Ok(e) => e.as_str().to_string(),
                Err(e) => {
                    errors.push(FieldError::new("email", e.0));
                    s
                }
            },
        };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(OfficeSettings {
            name,
            address,
            nip,
            bank_account,
            phone,
            email,
        })
    }

    /// The lines printed under the office's name in a report's heading (address, NIP, contact).
    pub fn detail_line(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.address.is_empty() {
            parts.push(self.address.clone());
        }
        if !self.nip.is_empty() {
            let n = &self.nip;
            parts.push(if n.len() == 10 {
                format!("NIP {}-{}-{}-{}", &n[0..3], &n[3..6], &n[6..8], &n[8..10])
            } else {
                format!("NIP {n}")
            });
        }
        if !self.phone.is_empty() {
            parts.push(format!("tel. {}", self.phone));
        }
        if !self.email.is_empty() {
            parts.push(self.email.clone());
        }
        parts.join(" · ")
    }
}

/// A Polish account number (NRB, 26 digits, optionally after "PL") checked with the IBAN
/// mod-97 rule and printed in the usual groups: "61 1090 1014 0000 0712 1981 2874".
fn bank_account(raw: &str) -> Option<String> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let digits = compact
        .strip_prefix("PL")
        .or_else(|| compact.strip_prefix("pl"))
        .unwrap_or(&compact);
    if digits.len() != 26 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // IBAN check: the 24 digits after the check pair, then "PL" as 2521, then the check pair.
    let rearranged = format!("{}2521{}", &digits[2..], &digits[..2]);
    let rem = rearranged
        .bytes()
        .fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
    if rem != 1 {
        return None;
    }
    let mut out = digits[..2].to_string();
    for chunk in digits.as_bytes()[2..].chunks(4) {
        out.push(' ');
        out.push_str(std::str::from_utf8(chunk).expect("ascii digits"));
    }
    Some(out)
}

impl Kartoteka {
    /// The office's details. On the first read after an update the name and e-mail the mail
    /// settings held (office name, else the sender's name) are carried over and stored here.
    pub async fn office_settings(&self) -> Result<OfficeSettings> {
        if let Some(json) = self.store().meta(KEY).await? {
            return Ok(serde_json::from_str(&json).unwrap_or_default());
        }
        let mail: crate::mail::MailSettings = self
            .store()
            .meta(crate::mail::SETTINGS_KEY)
            .await?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        let name = if mail.office_name.trim().is_empty() {
            mail.from_name.trim()
        } else {
            mail.office_name.trim()
        };
        let carried = OfficeSettings {
            name: name.to_string(),
            email: mail.from_address.trim().to_string(),
            ..Default::default()
        };
        // A value the old settings accepted but the new rules refuse is left for the user to fix.
        let carried = carried.parse().unwrap_or(OfficeSettings {
            name: carried.name.clone(),
            ..Default::default()
        });
        if carried != OfficeSettings::default() {
            self.store()
                .set_meta(
                    KEY,
                    &serde_json::to_string(&carried).expect("settings serialise"),
                )
                .await?;
            tracing::info!("office settings carried over from the mail settings");
        }
        Ok(carried)
    }

    pub async fn save_office_settings(&self, input: &OfficeSettings) -> Result<OfficeSettings> {
        let s = input.parse()?;
        self.store()
            .set_meta(KEY, &serde_json::to_string(&s).expect("settings serialise"))
            .await?;
        Ok(s)
    }

    /// The name printed on a report: the one given for this report, else the office's own.
    pub async fn office_name_or(&self, given: &str) -> Result<String> {
        match clean_line(given) {
            Some(g) => Ok(g),
            None => Ok(self.office_settings().await?.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_accounts_are_checked_and_grouped() {
        assert_eq!(
            bank_account("61109010140000071219812874").as_deref(),
            Some("61 1090 1014 0000 0712 1981 2874")
        );
        assert_eq!(
            bank_account("PL61 1090 1014 0000 0712 1981 2874").as_deref(),
            Some("61 1090 1014 0000 0712 1981 2874")
        );
        assert_eq!(bank_account("62109010140000071219812874"), None);
        assert_eq!(bank_account("6110901014"), None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = OfficeSettings {
            nip: "123".into(),
            bank_account: "12".into(),
            email: "x@".into(),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .parse()
            .unwrap_err()
            .field_errors()
            .iter()
            .map(|e| e.field.clone())
            .collect();
        assert_eq!(fields, vec!["nip", "bank_account", "email"]);
        let ok = OfficeSettings {
            name: "  Biuro  Porad ".into(),
            nip: "526-000-12-46".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.name, "Biuro Porad");
        assert_eq!(ok.nip, "5260001246");
    }
}
