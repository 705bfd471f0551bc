//! `Kartoteka`'s mail operations: lists and segments with live counts, messages and templates,
//! grant calls that become a segment and a notice, queueing a campaign, running the queue,
//! unsubscriptions and bounces, the mail settings, and export for offices without SMTP.

use crate::error::{Error, Result};
use crate::history::ChangeNote;
use crate::mail::render::{self, MergeValues, Rendered};
use crate::mail::send::{self, RunOptions, SendSummary, SmtpTarget};
use crate::mail::*;
use crate::register::{ConsentInput, Page};
use crate::Kartoteka;
use serde::Serialize;
use std::path::Path;

pub(crate) const SETTINGS_KEY: &str = "mail_settings";
/// Attachments travel in every copy of the message; providers refuse mail above ~20-25 MB.
const MAX_ATTACHMENTS_BYTES: u64 = 15 * 1024 * 1024;

#[derive(Debug, Clone, Serialize)]
pub struct ListSummary {
    pub id: i64,
    pub name: String,
    pub is_segment: bool,
    pub members: i64,
    pub count: AudienceCount,
}

#[derive(Debug, Clone, Serialize)]
pub struct Enqueued {
    pub message_id: i64,
    pub queued: usize,
    pub skipped_no_consent: usize,
    pub skipped_other: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GrantCampaign {
    pub list_id: i64,
    pub message_id: i64,
    pub count: AudienceCount,
}

impl Kartoteka {
    // ----- lists ------------------------------------------------------------------------

    pub async fn resolve_segment(&self, segment: &Segment) -> Result<ResolvedAudience> {
        crate::register::check_granted_in_year(segment.granted_in_year)?;
        let candidates = self.store().segment_candidates(&segment.clean()).await?;
        Ok(resolve(
            candidates,
            &self.store().bounced_addresses().await?,
        ))
    }

    pub async fn resolve_list(&self, list_id: i64) -> Result<ResolvedAudience> {
        let list = self.store().mailing_list(list_id).await?;
        match &list.segment {
            Some(s) => self.resolve_segment(s).await,
            None => {
                let candidates = self.store().static_list_candidates(list_id).await?;
                Ok(resolve(
                    candidates,
                    &self.store().bounced_addresses().await?,
                ))
            }
        }
    }

    /// The live count shown while a segment is being put together.
    pub async fn segment_count(&self, segment: &Segment) -> Result<AudienceCount> {
        Ok(self.resolve_segment(segment).await?.count())
    }

    pub async fn mailing_lists(&self) -> Result<Vec<ListSummary>> {
        let mut out = Vec::new();
        for l in self.store().mailing_lists().await? {
            let count = self.resolve_list(l.id).await?.count();
            out.push(ListSummary {
                id: l.id,
                name: l.name,
                is_segment: l.segment.is_some(),
                members: l.members,
                count,
            });
        }
        Ok(out)
    }

    pub async fn mailing_list(&self, id: i64) -> Result<MailingList> {
        self.store().mailing_list(id).await
    }

    pub async fn save_mailing_list(&self, id: Option<i64>, input: &ListInput) -> Result<i64> {
        let name = parse_list_name(&input.name)?;
        let segment = input.segment.as_ref().map(Segment::clean);
        if let Some(s) = &segment {
            crate::register::check_granted_in_year(s.granted_in_year)?;
        }
        let id = self
            .store()
            .save_mailing_list(id, &name, segment.as_ref())
            .await?;
        tracing::info!(list = id, "mailing list saved");
        Ok(id)
    }

    pub async fn delete_mailing_list(&self, id: i64) -> Result<()> {
        self.store().delete_mailing_list(id).await
    }

    pub async fn add_list_members(
        &self,
        list_id: i64,
        organizations: &[i64],
        people: &[i64],
    ) -> Result<usize> {
        let list = self.store().mailing_list(list_id).await?;
        if list.segment.is_some() {
            return Err(Error::BadArgument(
                "To jest segment: jego członków wyznaczają kryteria, nie wybór ręczny.".into(),
            ));
        }
        self.store()
            .add_list_members(list_id, organizations, people)
            .await
    }

    pub async fn remove_list_member(
        &self,
        list_id: i64,
        organization_id: Option<i64>,
        person_id: Option<i64>,
    ) -> Result<()> {
        self.store()
            .remove_list_member(list_id, organization_id, person_id)
            .await
    }

    pub async fn list_members(
        &self,
        list_id: i64,
        offset: u32,
        limit: u32,
    ) -> Result<Page<(Option<i64>, Option<i64>, String)>> {
        self.store().list_members(list_id, offset, limit).await
    }

    /// The recipients a list reaches now, a page at a time (for the preview and the checks).
    pub async fn list_recipients(
        &self,
        list_id: i64,
        offset: u32,
        limit: u32,
    ) -> Result<Page<Recipient>> {
        let all = self.resolve_list(list_id).await?.recipients;
        let total = all.len() as u64;
        let items = all
            .into_iter()
            .skip(offset as usize)
            .take(limit.clamp(1, 500) as usize)
            .collect();
        Ok(Page {
            items,
            total,
            offset,
        })
    }

    /// Addresses in groups of `size`, ready to paste into BCC of the office's own mail program.
    pub async fn bcc_chunks(&self, list_id: i64, size: usize) -> Result<Vec<String>> {
        if !(1..=500).contains(&size) {
            return Err(Error::invalid(
                "size",
                "Podaj, ile adresów w jednej porcji (od 1 do 500).",
            ));
        }
        let all = self.resolve_list(list_id).await?.recipients;
        Ok(all
            .chunks(size)
            .map(|c| {
                c.iter()
                    .map(|r| r.address.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect())
    }

    /// The list's recipients as CSV (address, name, organisation, city), for a mail program.
    pub async fn export_list_csv(&self, list_id: i64, out: &Path) -> Result<usize> {
        let all = self.resolve_list(list_id).await?.recipients;
        let mut w = csv::Writer::from_writer(Vec::new());
        let io = |e: csv::Error| Error::Io(std::io::Error::other(e));
        w.write_record([
            "e-mail",
            "nazwa",
            "imię",
            "nazwisko",
            "organizacja",
            "miejscowość",
        ])
        .map_err(io)?;
        for r in &all {
            let v = |k: &str| r.values.get(k).cloned().unwrap_or_default();
            w.write_record([
                r.address.clone(),
                r.name.clone(),
                v("imie"),
                v("nazwisko"),
                v("nazwa"),
                v("miasto"),
            ])
            .map_err(io)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        crate::export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        Ok(all.len())
    }

    // ----- messages ---------------------------------------------------------------------

    pub async fn save_message(&self, id: Option<i64>, input: &MessageInput) -> Result<i64> {
        let m = input.parse()?;
        if let Some(list) = m.list_id {
            self.store()
                .mailing_list(list)
                .await
                .map_err(|_| Error::invalid("list_id", "Wybrana lista już nie istnieje."))?;
        }
        match id {
            Some(id) => {
                self.store().update_message(id, &m).await?;
                Ok(id)
            }
            None => self.store().insert_message(&m, None).await,
        }
    }

    pub async fn message(&self, id: i64) -> Result<MailMessage> {
        self.store().get_message(id).await
    }

    pub async fn messages(&self, q: &MessageQuery) -> Result<Page<MessageRow>> {
        self.store().list_messages(q).await
    }

    pub async fn delete_message(&self, id: i64) -> Result<()> {
        self.store().delete_message(id).await
    }

    /// A new draft from a template or an earlier message (the bulletin keeps its layout).
    pub async fn copy_message(&self, id: i64) -> Result<i64> {
        let m = self.store().get_message(id).await?;
        let input = MessageInput {
            kind: m.kind,
            is_template: false,
            subject: m.subject,
            body: m.body,
            list_id: m.list_id,
        };
        let new_id = self.store().insert_message(&input, m.grant_call_id).await?;
        self.store().copy_attachments(id, new_id).await?;
        Ok(new_id)
    }

    pub async fn add_attachment(&self, message_id: i64, path: &Path) -> Result<i64> {
        let m = self.store().get_message(message_id).await?;
        if m.status != "draft" {
            return Err(Error::BadArgument(
                "Załączniki dodaje się do wersji roboczej.".into(),
            ));
        }
        let size = std::fs::metadata(path)?.len();
        let already: i64 = m.attachments.iter().map(|a| a.size).sum();
        if size + already as u64 > MAX_ATTACHMENTS_BYTES {
            return Err(Error::invalid("attachments", "Załączniki razem przekroczyłyby 15 MB: serwery poczty odrzucają tak duże wiadomości. Wstaw raczej link do pliku."));
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("zalacznik")
            .to_string();
        let content_type = match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("pdf") => "application/pdf",
            Some("png") => "image/png",
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("docx") => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Some("odt") => "application/vnd.oasis.opendocument.text",
            Some("txt") => "text/plain; charset=utf-8",
            _ => "application/octet-stream",
        };
        let data = std::fs::read(path)?;
        self.store()
            .add_attachment(message_id, &name, content_type, &data)
            .await
    }

    pub async fn delete_attachment(&self, id: i64) -> Result<()> {
        self.store().delete_attachment(id).await
    }

    /// The message as one recipient of its list will see it (`index` into the recipients), or
    /// with sample values when no list is chosen yet.
    pub async fn preview_message(
        &self,
        message_id: i64,
        index: u32,
    ) -> Result<(Rendered, Option<Recipient>, u64)> {
        let m = self.store().get_message(message_id).await?;
        let settings = self.mail_settings().await?;
        let (recipient, total) = match m.list_id {
            Some(list) => {
                let page = self.list_recipients(list, index, 1).await?;
                (page.items.into_iter().next(), page.total)
            }
            None => (None, 0),
        };
        let values = recipient
            .as_ref()
            .map(|r| r.values.clone())
            .unwrap_or_else(sample_values);
        Ok((
            render::render(&m.subject, &m.body, &values, &settings.footer()),
            recipient,
            total,
        ))
    }

    /// Puts every recipient the list reaches now into the queue; the message is then sent by
    /// `run_queue`. Those without consent are counted, never queued.
    pub async fn enqueue_message(&self, message_id: i64) -> Result<Enqueued> {
        let m = self.store().get_message(message_id).await?;
        if m.is_template {
            return Err(Error::BadArgument(
                "Szablonu się nie wysyła: utwórz z niego wiadomość.".into(),
            ));
        }
        render::validate(&m.subject, &m.body)?;
        let list_id = m
            .list_id
            .ok_or_else(|| Error::invalid("list_id", "Wybierz listę odbiorców."))?;
        let list = self.store().mailing_list(list_id).await?;
        let audience = self.resolve_list(list_id).await?;
        if audience.recipients.is_empty() {
            return Err(Error::invalid(
                "list_id",
                "Na tej liście nie ma nikogo, kto zgodził się na e-maile: nie ma do kogo wysłać.",
            ));
        }
        let (nc, other) = (audience.skipped_no_consent(), audience.skipped_other());
        let queued = self
            .store()
            .enqueue(message_id, &list.name, &audience.recipients, nc, other)
            .await?;
        tracing::info!(
            message = message_id,
            queued,
            skipped_no_consent = nc,
            "campaign queued"
        );
        Ok(Enqueued {
            message_id,
            queued,
            skipped_no_consent: nc,
            skipped_other: other,
        })
    }

    /// Works the queue until it is empty, paused or the server is unreachable.
    pub async fn run_queue(&self, opts: RunOptions<'_>) -> Result<SendSummary> {
        send::run(self.store(), opts).await
    }

    pub async fn queue_rows(
        &self,
        message_id: i64,
        status: Option<&str>,
        offset: u32,
        limit: u32,
    ) -> Result<Page<QueueRow>> {
        self.store()
            .queue_rows(message_id, status, offset, limit)
            .await
    }

    pub async fn retry_failed(&self, message_id: i64) -> Result<u64> {
        self.store().requeue(message_id, &["failed"], None).await
    }

    /// The user's decision on uncertain rows: send them again, or count them as sent.
    pub async fn settle_uncertain(
        &self,
        message_id: i64,
        resend: bool,
        ids: Option<&[i64]>,
    ) -> Result<u64> {
        if resend {
            self.store().requeue(message_id, &["uncertain"], ids).await
        } else {
            self.store().mark_uncertain_sent(message_id, ids).await
        }
    }

    /// The id of the mailing list with this name, if there is one.
    pub async fn mailing_list_id(&self, name: &str) -> Result<Option<i64>> {
        self.store.mailing_list_id(name).await
    }

    /// Puts every paused campaign back in the queue (CLI `mail resume`).
    pub async fn resume_paused(&self) -> Result<u64> {
        self.store.resume_paused().await
    }

    pub async fn resume_message(&self, message_id: i64) -> Result<()> {
        self.store()
            .set_message_status(message_id, &["paused"], "sending")
            .await?;
        Ok(())
    }

    /// One copy to the office's own address (or `to`), not recorded in the queue.
    pub async fn test_send(&self, message_id: i64, to: &str, target: &SmtpTarget) -> Result<()> {
        let settings = self.mail_settings().await?.parse()?;
        let to_addr = crate::ids::Email::parse(if to.trim().is_empty() {
            &settings.from_address
        } else {
            to
        })
        .map_err(|e| Error::invalid("to", e.0))?;
        let (rendered, _, _) = self.preview_message(message_id, 0).await?;
        let mut rendered = rendered;
        rendered.subject = format!("[TEST] {}", rendered.subject);
        let from: lettre::Address = settings
            .from_address
            .parse()
            .map_err(|_| Error::invalid("from_address", "Ustaw adres nadawcy."))?;
        let attachments = self.store().attachment_data(message_id).await?;
        let email = send::build_message(
            &rendered,
            &from,
            to_addr.as_str().parse().unwrap(),
            "",
            &settings,
            &format!("{message_id}.test"),
            &attachments,
        )
        .map_err(Error::Smtp)?;
        send::send_one(target, &email).await
    }

    pub async fn mail_history(
        &self,
        organization_id: Option<i64>,
        person_id: Option<i64>,
    ) -> Result<Vec<MailHistoryRow>> {
        self.store()
            .mail_history(organization_id, person_id, 100)
            .await
    }

    // ----- unsubscriptions and bounces --------------------------------------------------

    /// Records an unsubscription ("wypisz" answer) or a bounce typed in from a returned
    /// message: the e-mail consents of everyone using the address are withdrawn; a bounce
    /// also keeps the address from being sent to again.
    pub async fn record_removal(&self, address: &str, how: Removal) -> Result<RemovalOutcome> {
        let email =
            crate::ids::Email::parse(address).map_err(|e| Error::invalid("address", e.0))?;
        let source = match how {
            Removal::Unsubscribed => "wypisanie z listy (odpowiedź e-mail)",
            Removal::Bounced => "adres nie istnieje (zwrot wiadomości)",
        };
        let note = ChangeNote {
            author: &self.user_name(),
            rows: vec![(
                "consent:email_bulletin".to_string(),
                Some("udzielona".to_string()),
                Some(format!("wycofana: {source}")),
            )],
        };
        let outcome = self
            .store()
            .withdraw_email_consents_for(email.as_str(), source, &note)
            .await?;
        if how == Removal::Bounced {
            self.store()
                .record_bounce(email.as_str(), "zgłoszone ręcznie: wiadomość wróciła")
                .await?;
        }
        if outcome.people + outcome.organizations == 0 && how == Removal::Unsubscribed {
            return Err(Error::invalid(
                "address",
                "Nikt w rejestrze nie ma tego adresu e-mail.",
            ));
        }
        tracing::info!(
            people = outcome.people,
            organizations = outcome.organizations,
            "unsubscription recorded"
        );
        Ok(outcome)
    }

    pub async fn bounces(&self, offset: u32, limit: u32) -> Result<Page<(String, String, String)>> {
        self.store().bounces(offset, limit).await
    }

    pub async fn remove_bounce(&self, address: &str) -> Result<()> {
        self.store().remove_bounce(address).await
    }

    // ----- organisations' consent -------------------------------------------------------

    pub async fn grant_organization_consent(
        &self,
        organization_id: i64,
        input: &ConsentInput,
    ) -> Result<i64> {
        let date = Self::consent_date(&input.date)?;
        let source = crate::text::clean_line(&input.source).ok_or_else(|| {
            Error::invalid(
                "source",
                "Podaj, jak zgoda została wyrażona (np. formularz, e-mail).",
            )
        })?;
        let note = ChangeNote {
            author: &self.user_name(),
            rows: vec![(
                "consent:email_bulletin".to_string(),
                None,
                Some(format!("udzielona {} ({source})", date.format("%d.%m.%Y"))),
            )],
        };
        self.store()
            .grant_organization_consent(organization_id, date, &source, &note)
            .await
    }

    pub async fn withdraw_organization_consent(
        &self,
        consent_id: i64,
        date: &str,
        source: &str,
    ) -> Result<()> {
        let date = Self::consent_date(date)?;
        let source = crate::text::clean_line(source).unwrap_or_else(|| "bez podania źródła".into());
        let (_, channel) = self
            .store()
            .consent_owner(crate::register::ConsentOwner::Organization, consent_id)
            .await?
            .ok_or(Error::NotFound("zgoda"))?;
        let note = ChangeNote {
            author: &self.user_name(),
            rows: vec![(
                format!("consent:{channel}"),
                Some("udzielona".to_string()),
                Some(format!("wycofana {} ({source})", date.format("%d.%m.%Y"))),
            )],
        };
        self.store()
            .withdraw_organization_consent(consent_id, date, &source, &note)
            .await
    }

    // ----- settings ---------------------------------------------------------------------

    /// The mail settings with the office's name from Dane biura (the footer and, when no
    /// sender name is set, the sender's name come from there).
    pub async fn mail_settings(&self) -> Result<MailSettings> {
        let mut s: MailSettings = match self.store().meta(SETTINGS_KEY).await? {
            Some(json) => serde_json::from_str(&json).unwrap_or_default(),
            None => MailSettings::default(),
        };
        let office = self.office_settings().await?;
        if !office.name.is_empty() {
            s.office_name = office.name;
        }
        if s.from_name.is_empty() {
            s.from_name = s.office_name.clone();
        }
        Ok(s)
    }

    pub async fn save_mail_settings(&self, input: &MailSettings) -> Result<MailSettings> {
        let s = input.parse()?;
        self.store()
            .set_meta(
                SETTINGS_KEY,
                &serde_json::to_string(&s).expect("settings serialise"),
            )
            .await?;
        Ok(s)
    }

    // ----- grant calls ------------------------------------------------------------------

    pub async fn save_grant_call(&self, id: Option<i64>, input: &GrantCallInput) -> Result<i64> {
        let d = input.parse(&self.store().area_codes().await?)?;
        self.store().save_grant_call(id, &d).await
    }

    pub async fn grant_call(&self, id: i64) -> Result<GrantCall> {
        self.store().get_grant_call(id).await
    }

    pub async fn grant_calls(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<Page<(i64, String, String, chrono::NaiveDate)>> {
        self.store().grant_calls(offset, limit).await
    }

    pub async fn delete_grant_call(&self, id: i64) -> Result<()> {
        self.store().delete_grant_call(id).await
    }

    /// One click: a segment of organisations working in the call's spheres, and a notice
    /// draft addressed to it. Calling it again reuses the segment by name.
    pub async fn grant_call_campaign(&self, id: i64) -> Result<GrantCampaign> {
        let call = self.store().get_grant_call(id).await?;
        let areas = self.store().list_areas().await?;
        let area_names: Vec<String> = call
            .areas
            .iter()
            .filter_map(|c| areas.iter().find(|a| &a.code == c).map(|a| a.name.clone()))
            .collect();
        let segment = Segment {
            audience: Audience::Organizations,
            areas: call.areas.clone(),
            ..Default::default()
        };
        let base: String = format!("Konkurs: {}", call.title)
            .chars()
            .take(110)
            .collect();
        let list_id = match self.store().mailing_list_id(&base).await? {
            Some(existing) => {
                self.store()
                    .save_mailing_list(Some(existing), &base, Some(&segment))
                    .await?
            }
            None => {
                self.store()
                    .save_mailing_list(None, &base, Some(&segment))
                    .await?
            }
        };
        let input = MessageInput {
            kind: MessageKind::Notice,
            is_template: false,
            subject: call.notice_subject(),
            body: call.notice_body(&area_names),
            list_id: Some(list_id),
        };
        let message_id = self
            .store()
            .insert_message(&input.parse()?, Some(id))
            .await?;
        let count = self.resolve_segment(&segment).await?.count();
        Ok(GrantCampaign {
            list_id,
            message_id,
            count,
        })
    }
}

fn sample_values() -> MergeValues {
    [
        ("nazwa", "Stowarzyszenie Przykładowe"),
        ("imie", "Anna"),
        ("nazwisko", "Kowalska"),
        ("miasto", "Lublin"),
        ("email", "adres@przyklad.pl"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}
