//! The library's operations: the catalogue and its copies, lending, renewing and returning,
//! overdue reminders through the mail queue (a service message, whatever the reader's bulletin
//! consent) and the printed list of overdue loans.

use crate::error::{Error, Result};
use crate::export;
use crate::library::*;
use crate::mail::{MessageInput, MessageKind, Recipient};
use crate::register::{parse_date, Page, MAX_PAGE};
use crate::Kartoteka;
use chrono::{Local, NaiveDate};
use serde::Serialize;
use std::path::Path;

const SETTINGS_KEY: &str = "library";

/// What one run of the overdue reminders did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RemindersQueued {
    /// First reminders queued.
    pub first: usize,
    /// Second reminders queued.
    pub second: usize,
    /// Overdue loans whose reader has no e-mail address (for the printed list).
    pub without_email: usize,
    /// The queued messages, one per reminder, for the window to send at once.
    pub message_ids: Vec<i64>,
}

impl Kartoteka {
    pub async fn library_settings(&self) -> Result<LibrarySettings> {
        Ok(self
            .store
            .meta(SETTINGS_KEY)
            .await?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default())
    }

    pub async fn save_library_settings(&self, s: &LibrarySettings) -> Result<()> {
        s.check()?;
        self.store
            .set_meta(SETTINGS_KEY, &serde_json::to_string(s).expect("serialises"))
            .await
    }

    /// The catalogue in title order; `search` matches any part of the title, author, subject,
    /// publisher or ISBN, without diacritics.
    pub async fn library_titles(&self, q: &TitleQuery) -> Result<Page<Title>> {
        let prepared = self.store.prepare_titles().await?;
        if prepared > 0 {
            tracing::info!(prepared, "library titles prepared");
        }
        self.store
            .list_titles(
                &search_words(&q.search),
                q.available_only,
                q.offset,
                q.limit,
            )
            .await
    }

    pub async fn library_title(&self, id: i64) -> Result<TitleDetail> {
        self.store.prepare_titles().await?;
        let title = self.store.get_title(id).await?;
        let copies = self.store.copies_of(id).await?;
        Ok(TitleDetail { title, copies })
    }

    pub async fn save_library_title(&self, id: Option<i64>, input: &TitleInput) -> Result<i64> {
        let d = input.parse(Local::now().date_naive())?;
        let id = self.store.save_title(id, &d).await?;
        tracing::info!(title = id, "library title saved");
        Ok(id)
    }

    pub async fn delete_library_title(&self, id: i64) -> Result<()> {
        self.store.delete_title(id).await?;
        tracing::info!(title = id, "library title deleted");
        Ok(())
    }

    pub async fn save_library_copy(&self, id: Option<i64>, input: &CopyInput) -> Result<i64> {
        let d = input.parse()?;
        let id = self.store.save_copy(id, &d).await?;
        tracing::info!(copy = id, "library copy saved");
        Ok(id)
    }

    pub async fn delete_library_copy(&self, id: i64) -> Result<()> {
        self.store.delete_copy(id).await
    }

    /// Lends a copy; the due date defaults to the loan period in the settings.
    pub async fn lend_copy(&self, input: &LoanInput) -> Result<i64> {
        let settings = self.library_settings().await?;
        let d = input.parse(Local::now().date_naive(), &settings)?;
        let id = self.store.lend(&d, &self.user_name()).await?;
        tracing::info!(loan = id, copy = d.copy_id, "copy lent");
        Ok(id)
    }

    pub async fn loans(&self, q: &LoanQuery) -> Result<Page<Loan>> {
        self.store.list_loans(q, Local::now().date_naive()).await
    }

    pub async fn loan(&self, id: i64) -> Result<Loan> {
        Ok(self
            .store
            .get_loan(id)
            .await?
            .with_days_overdue(Local::now().date_naive()))
    }

    /// Extends a loan by the loan period, counted from its due date (from today when it is
    /// already past), up to the renewal limit in the settings.
    pub async fn renew_loan(&self, id: i64) -> Result<Loan> {
        let settings = self.library_settings().await?;
        let loan = self.store.get_loan(id).await?;
        if loan.returned_on.is_some() {
            return Err(Error::BadArgument(
                "Ta książka została już zwrócona: nie ma czego przedłużać.".into(),
            ));
        }
        if loan.renewals >= i64::from(settings.max_renewals) {
            return Err(Error::BadArgument(format!(
                "Tego wypożyczenia nie można już przedłużyć: limit to {} (ustawienia biblioteki).",
                settings.max_renewals
            )));
        }
        let from = loan.due_on.max(Local::now().date_naive());
        let due = from + chrono::Days::new(u64::from(settings.loan_days));
        if !self.store.renew_loan(id, loan.renewals, due).await? {
            return Err(Error::BadArgument(
                "Wypożyczenie zmieniło się w międzyczasie (zwrot albo przedłużenie na innym komputerze). Odśwież listę.".into(),
            ));
        }
        tracing::info!(loan = id, "loan renewed");
        self.loan(id).await
    }

    /// Records the book's return (`on` empty: today).
    pub async fn return_loan(&self, id: i64, on: &str) -> Result<Loan> {
        let loan = self.store.get_loan(id).await?;
        let on = match on.trim() {
            "" => Local::now().date_naive(),
            raw => parse_date(raw).map_err(|e| Error::invalid("returned_on", e.0))?,
        };
        if on < loan.lent_on {
            return Err(Error::invalid(
                "returned_on",
                "Data zwrotu jest przed dniem wypożyczenia.",
            ));
        }
        if on > Local::now().date_naive() {
            return Err(Error::invalid(
                "returned_on",
                "Data zwrotu nie może być z przyszłości.",
            ));
        }
        if !self.store.return_loan(id, on).await? {
            return Err(Error::BadArgument("Ten zwrot został już przyjęty.".into()));
        }
        tracing::info!(loan = id, "loan returned");
        self.loan(id).await
    }

    /// Every loan out past its due date, the most overdue first.
    pub async fn library_overdue(&self, offset: u32, limit: u32) -> Result<Page<Loan>> {
        self.loans(&LoanQuery {
            status: LoanStatus::Overdue,
            offset,
            limit,
            ..Default::default()
        })
        .await
    }

    async fn all_overdue(&self, today: NaiveDate) -> Result<Vec<Loan>> {
        let mut all = Vec::new();
        loop {
            let page = self
                .store
                .list_loans(
                    &LoanQuery {
                        status: LoanStatus::Overdue,
                        offset: all.len() as u32,
                        limit: MAX_PAGE,
                        ..Default::default()
                    },
                    today,
                )
                .await?;
            let n = page.items.len();
            all.extend(page.items);
            if n == 0 || all.len() as u64 >= page.total {
                return Ok(all);
            }
        }
    }

    pub async fn send_overdue_reminders(&self) -> Result<RemindersQueued> {
        self.send_overdue_reminders_as_of(Local::now().date_naive())
            .await
    }

    /// Queues the reminders due on `today` (the tests look ahead): each one claimed on its loan
    /// first, so a second run or a second PC never sends it again, and taken back if its message
    /// could not be queued.
    pub async fn send_overdue_reminders_as_of(&self, today: NaiveDate) -> Result<RemindersQueued> {
        let settings = self.library_settings().await?;
        let office = self.office_settings().await?;
        let mut done = RemindersQueued::default();
        for loan in self.all_overdue(today).await? {
            let Some(address) = loan.borrower_email.clone() else {
                done.without_email += 1;
                continue;
            };
            let Some(number) = reminder_due(&loan, today, settings.reminder_gap_days) else {
                continue;
            };
            if !self.store.claim_reminder(loan.id, number, today).await? {
                continue;
            }
            match self.queue_reminder(&loan, number, &address, &office).await {
                Ok(message_id) => {
                    done.message_ids.push(message_id);
                    if number == 1 {
                        done.first += 1;
                    } else {
                        done.second += 1;
                    }
                }
                Err(e) => {
                    self.store
                        .release_reminder(loan.id, number, loan.last_reminder_on)
                        .await?;
                    return Err(e);
                }
            }
        }
        tracing::info!(?done, "overdue reminders queued");
        Ok(done)
    }

    async fn queue_reminder(
        &self,
        loan: &Loan,
        number: i64,
        address: &str,
        office: &crate::office::OfficeSettings,
    ) -> Result<i64> {
        // Braces would read as merge fields in the mail template: none of these texts is one.
        let plain = |s: &str| s.replace(['{', '}'], "");
        let ordinal = if number == 1 { "pierwsze" } else { "drugie" };
        let mut body = format!(
            "Dzień dobry,\n\n{} minął termin zwrotu książki „{}”{}{}, wypożyczonej {} z biblioteki {}.\n\nProsimy o jej zwrot albo kontakt w sprawie przedłużenia.\n\nTo jest {ordinal} przypomnienie.",
            loan.due_on.format("%d.%m.%Y"),
            plain(&loan.title),
            loan.author
                .as_deref()
                .map(|a| format!(" ({})", plain(a)))
                .unwrap_or_default(),
            loan.inventory_number
                .as_deref()
                .map(|i| format!(", nr inw. {}", plain(i)))
                .unwrap_or_default(),
            loan.lent_on.format("%d.%m.%Y"),
            plain(if office.name.is_empty() {
                "naszego biura"
            } else {
                &office.name
            }),
        );
        if !office.address.is_empty() {
            body.push_str(&format!("\n\n{}", plain(&office.address)));
        }
        let message = MessageInput {
            kind: MessageKind::Notice,
            is_template: false,
            subject: format!(
                "{} przypomnienie o zwrocie książki: {}",
                if number == 1 { "Pierwsze" } else { "Drugie" },
                plain(&loan.title)
            ),
            body,
            list_id: None,
        }
        .parse()?;
        let message_id = self.store.insert_message(&message, None).await?;
        let recipient = Recipient {
            organization_id: loan.organization_id,
            person_id: loan.person_id,
            name: loan.borrower_name.clone().unwrap_or_default(),
            address: address.to_string(),
            values: Default::default(),
        };
        self.store
            .enqueue(
                message_id,
                "przypomnienie o zwrocie książki",
                &[recipient],
                0,
                0,
            )
            .await?;
        tracing::info!(
            loan = loan.id,
            message = message_id,
            number,
            "reminder queued"
        );
        Ok(message_id)
    }

    /// The printed list of overdue loans (only the readers without e-mail when asked), as a
    /// PDF; how many pages.
    pub async fn overdue_sheet(&self, out: &Path, without_email_only: bool) -> Result<usize> {
        let today = Local::now().date_naive();
        let loans: Vec<Loan> = self
            .all_overdue(today)
            .await?
            .into_iter()
            .filter(|l| !without_email_only || l.borrower_email.is_none())
            .collect();
        if loans.is_empty() {
            return Err(Error::BadArgument(if without_email_only {
                "Nie ma zaległych wypożyczeń czytelników bez adresu e-mail.".into()
            } else {
                "Nie ma zaległych wypożyczeń.".into()
            }));
        }
        let office = self.office_name_or("").await?;
        let (bytes, pages) = overdue_sheet_pdf(&loans, &office, today)?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(loans = loans.len(), pages, "overdue sheet written");
        Ok(pages)
    }
}
