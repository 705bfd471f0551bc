//! The correspondence log's operations: agreements, logging items, telling the organisation
//! through the mail queue (a service message, whatever its bulletin consent), pickup and the
//! pickup sheet.

use crate::error::{Error, Result};
use crate::export;
use crate::letters::*;
use crate::mail::{MessageInput, MessageKind, Recipient};
use crate::register::{Page, MAX_PAGE};
use crate::Kartoteka;
use chrono::Local;
use serde::Serialize;
use std::path::Path;

/// What "powiadom" did: the address written to and the items named in the message.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Notified {
    pub address: String,
    pub items: usize,
    pub message_id: i64,
}

impl Kartoteka {
    pub async fn agreements(&self, organization_id: Option<i64>) -> Result<Vec<Agreement>> {
        self.store.agreements(organization_id).await
    }

    pub async fn save_agreement(&self, id: Option<i64>, input: &AgreementInput) -> Result<i64> {
        let d = input.parse()?;
        let id = self.store.save_agreement(id, &d).await?;
        tracing::info!(agreement = id, "address agreement saved");
        Ok(id)
    }

    pub async fn delete_agreement(&self, id: i64) -> Result<()> {
        self.store.delete_agreement(id).await
    }

    pub async fn letters(&self, q: &LetterQuery) -> Result<Page<Letter>> {
        let month = q.month_span()?;
        let today = Local::now().date_naive();
        let mut page = self.store.list_letters(q, month).await?;
        page.items = page
            .items
            .into_iter()
            .map(|l| l.with_days_waiting(today))
            .collect();
        Ok(page)
    }

    pub async fn letter(&self, id: i64) -> Result<Letter> {
        Ok(self
            .store
            .get_letter(id)
            .await?
            .with_days_waiting(Local::now().date_naive()))
    }

    pub async fn save_letter(&self, id: Option<i64>, input: &LetterInput) -> Result<i64> {
        let d = input.parse(Local::now().date_naive())?;
        let id = self.store.save_letter(id, &d, &self.user_name()).await?;
        tracing::info!(letter = id, "letter logged");
        Ok(id)
    }

    pub async fn delete_letter(&self, id: i64) -> Result<()> {
        self.store.delete_letter(id).await
    }

    /// Everything still waiting for the organisation, oldest first.
    async fn waiting_for(&self, organization_id: i64) -> Result<Vec<Letter>> {
        let q = LetterQuery {
            waiting_only: true,
            organization_id: Some(organization_id),
            limit: MAX_PAGE,
            ..Default::default()
        };
        Ok(self.store.list_letters(&q, None).await?.items)
    }

    /// Where the organisation wants to be told: its agreement's address, else its contact
    /// person's, else the organisation's own first address.
    async fn notice_address(&self, organization_id: i64) -> Result<Option<(String, Option<i64>)>> {
        let today = Local::now().date_naive();
        let agreements = self.store.agreements(Some(organization_id)).await?;
        let agreement = agreements
            .iter()
            .find(|a| a.covers(today))
            .or(agreements.first());
        if let Some(a) = agreement {
            if let Some(e) = &a.contact_email {
                return Ok(Some((e.clone(), a.contact_person_id)));
            }
            if let Some(p) = a.contact_person_id {
                if let Ok(person) = self.store.get_person(p).await {
                    if let Some(e) = person.emails.first() {
                        return Ok(Some((e.clone(), Some(p))));
                    }
                }
            }
        }
        let org = self.store.get_organization(organization_id).await?;
        Ok(org.emails.first().map(|e| (e.clone(), None)))
    }

    /// "Powiadom": one e-mail to the organisation naming every item waiting for it, queued in
    /// the mail queue (sent with the next run of the queue, as every message is).
    pub async fn notify_letters(&self, organization_id: i64) -> Result<Notified> {
        let items = self.waiting_for(organization_id).await?;
        if items.is_empty() {
            return Err(Error::BadArgument(
                "Ta organizacja nie ma przesyłek do odbioru.".into(),
            ));
        }
        let Some((address, person_id)) = self.notice_address(organization_id).await? else {
            return Err(Error::invalid(
                "notify",
                "Organizacja nie ma adresu e-mail do powiadomień: wpisz go w umowie adresowej albo w danych organizacji.",
            ));
        };
        let office = self.office_settings().await?;
        let org_name = items[0].organization_name.clone();
        // Braces would read as merge fields in the mail template: none of these texts is one.
        let plain = |s: &str| s.replace(['{', '}'], "");
        let mut body = format!(
            "Dzień dobry,\n\nna adres {} czeka korespondencja dla: {}.\n\n",
            plain(if office.name.is_empty() {
                "naszego biura"
            } else {
                &office.name
            }),
            plain(&org_name)
        );
        for l in &items {
            body.push_str(&format!(
                "- {}: {} od: {}{}{}\n",
                l.received_on.format("%d.%m.%Y"),
                kind_label(&l.kind),
                plain(&l.sender),
                l.tracking_number
                    .as_deref()
                    .map(|t| format!(", nr {}", plain(t)))
                    .unwrap_or_default(),
                if l.item_count > 1 {
                    format!(" ({} szt.)", l.item_count)
                } else {
                    String::new()
                },
            ));
        }
        body.push_str("\nZapraszamy po odbiór w godzinach pracy biura.");
        if !office.address.is_empty() {
            body.push_str(&format!("\n{}", plain(&office.address)));
        }
        let message = MessageInput {
            kind: MessageKind::Notice,
            is_template: false,
            subject: format!("Korespondencja do odbioru: {}", plain(&org_name)),
            body,
            list_id: None,
        }
        .parse()?;
        let message_id = self.store.insert_message(&message, None).await?;
        let recipient = Recipient {
            organization_id: Some(organization_id),
            person_id,
            name: org_name.clone(),
            address: address.clone(),
            values: Default::default(),
        };
        self.store
            .enqueue(
                message_id,
                "powiadomienie o korespondencji",
                &[recipient],
                0,
                0,
            )
            .await?;
        let ids: Vec<i64> = items.iter().map(|l| l.id).collect();
        self.store.mark_notified(&ids, &address).await?;
        tracing::info!(
            organization = organization_id,
            message = message_id,
            items = ids.len(),
            "letters notice queued"
        );
        Ok(Notified {
            address,
            items: ids.len(),
            message_id,
        })
    }

    pub async fn pick_up_letters(&self, ids: &[i64], on: &str, by: &str) -> Result<usize> {
        let by = pickup_by(by)?;
        let on = match on.trim() {
            "" => Local::now().date_naive(),
            d => crate::register::parse_date(d).map_err(|e| Error::invalid("picked_up_on", e.0))?,
        };
        let n = self.store.pick_up(ids, on, &by).await?;
        tracing::info!(picked_up = n, "letters picked up");
        Ok(n)
    }

    /// The pickup sheet of an organisation's waiting items (with a signature column), as a PDF.
    pub async fn pickup_sheet(&self, organization_id: i64, out: &Path) -> Result<usize> {
        let items = self.waiting_for(organization_id).await?;
        if items.is_empty() {
            return Err(Error::BadArgument(
                "Ta organizacja nie ma przesyłek do odbioru.".into(),
            ));
        }
        let office = self.office_name_or("").await?;
        let (bytes, pages) = pickup_sheet_pdf(&items, &office, Local::now().date_naive())?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(
            organization = organization_id,
            pages,
            "pickup sheet written"
        );
        Ok(pages)
    }

    /// The items waiting longest first, for `letters waiting` and the office's daily look.
    pub async fn letters_waiting(&self, offset: u32, limit: u32) -> Result<Page<Letter>> {
        self.letters(&LetterQuery {
            waiting_only: true,
            offset,
            limit,
            ..Default::default()
        })
        .await
    }
}
