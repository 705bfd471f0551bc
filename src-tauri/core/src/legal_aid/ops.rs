//! Legal aid's operations: the point and its lists, saving help with its card, printing the
//! card, the statement and Part B, opinions from the urn, and the starosta's figures.

use crate::advice::AdviceInput;
use crate::error::{Error, Result};
use crate::export;
use crate::legal_aid::lists::shipped_lists;
use crate::legal_aid::print;
use crate::legal_aid::*;
use crate::register::{parse_date, Page, MAX_PAGE};
use crate::Kartoteka;
use chrono::{Local, NaiveDate};
use std::path::Path;

const LIST_VERSION_KEY: &str = "legal_aid.list_version";

fn optional_day(field: &str, raw: &str) -> Result<Option<NaiveDate>> {
    match raw.trim() {
        "" => Ok(None),
        r => parse_date(r)
            .map(Some)
            .map_err(|e| Error::invalid(field, e.0)),
    }
}

fn period(from: &str, to: &str) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let f = optional_day("from", from)?;
    let t = optional_day("to", to)?;
    if let (Some(f), Some(t)) = (f, t) {
        if f > t {
            return Err(Error::invalid(
                "to",
                "Koniec okresu nie może być przed jego początkiem.",
            ));
        }
    }
    Ok((f, t))
}

fn page_limit(limit: u32) -> u32 {
    if limit == 0 {
        100
    } else {
        limit.min(MAX_PAGE)
    }
}

impl Kartoteka {
    /// The lists, seeded from the shipped ones the first time they are asked for.
    async fn legal_aid_lists(&self) -> Result<Vec<ListEntry>> {
        let lists = self.store.legal_aid_lists().await?;
        if !lists.is_empty() {
            return Ok(lists);
        }
        self.store.seed_legal_aid_lists(&shipped_lists()).await?;
        self.store.legal_aid_lists().await
    }

    pub async fn legal_aid_list_version(&self) -> Result<String> {
        Ok(self
            .store
            .meta(LIST_VERSION_KEY)
            .await?
            .unwrap_or_else(|| DEFAULT_LIST_VERSION.to_string()))
    }

    pub async fn legal_aid_setup(&self) -> Result<LegalAidSetup> {
        Ok(LegalAidSetup {
            points: self.store.legal_aid_points().await?,
            lists: self.legal_aid_lists().await?,
            list_version: self.legal_aid_list_version().await?,
            aid_types: AidType::ALL
                .iter()
                .map(|t| Labelled {
                    code: t.code().into(),
                    name: t.name().into(),
                })
                .collect(),
            no_statement_reasons: NO_STATEMENT_REASONS
                .iter()
                .map(|(code, name)| Labelled {
                    code: code.to_string(),
                    name: name.to_string(),
                })
                .collect(),
        })
    }

    pub async fn save_legal_aid_point(
        &self,
        id: Option<i64>,
        input: &LegalAidPointInput,
    ) -> Result<i64> {
        let draft = input.parse()?;
        let id = self.store.save_legal_aid_point(id, &draft).await?;
        tracing::info!(point = id, "legal aid point saved");
        Ok(id)
    }

    pub async fn save_legal_aid_list_entry(&self, input: &ListEntryInput) -> Result<()> {
        let entry = input.parse()?;
        self.legal_aid_lists().await?;
        self.store.save_legal_aid_list_entry(&entry).await
    }

    pub async fn save_legal_aid_list_version(&self, version: &str) -> Result<()> {
        let version = crate::text::clean_line(version)
            .filter(|v| v.chars().count() <= 300)
            .ok_or_else(|| {
                Error::invalid(
                    "list_version",
                    "Podaj, według którego rozporządzenia są listy (najwyżej 300 znaków).",
                )
            })?;
        self.store.set_meta(LIST_VERSION_KEY, &version).await
    }

    /// Saves an advice record with its card (new when `id` is None), both or nothing: every
    /// field of both forms is checked before anything is written.
    pub async fn save_legal_aid_help(
        &self,
        id: Option<i64>,
        advice: &AdviceInput,
        card: &LegalAidCardInput,
    ) -> Result<i64> {
        let today = Local::now().date_naive();
        let known: Vec<String> = self
            .store
            .advice_categories()
            .await?
            .into_iter()
            .filter(|c| c.active)
            .map(|c| c.code)
            .collect();
        let lists = self.legal_aid_lists().await?;
        let points = self.store.legal_aid_points().await?;
        // Both forms' mistakes at once, so the user fixes them in one go.
        let advice_draft = advice.parse(&known, today);
        let (given_on, minutes) = match &advice_draft {
            Ok(d) => (d.given_on, d.minutes),
            Err(_) => (
                parse_date(&advice.given_on).unwrap_or(today),
                advice.minutes.trim().parse().ok(),
            ),
        };
        let card_draft = card.parse(&lists, &points, given_on, minutes);
        let (advice_draft, card_draft) = match (advice_draft, card_draft) {
            (Ok(a), Ok(c)) => (a, c),
            (a, c) => {
                let mut errors = Vec::new();
                for e in [a.err(), c.err()].into_iter().flatten() {
                    match e {
                        Error::Invalid(mut list) => {
                            for f in list.drain(..) {
                                if !errors
                                    .iter()
                                    .any(|x: &crate::error::FieldError| x.field == f.field)
                                {
                                    errors.push(f);
                                }
                            }
                        }
                        other => return Err(other),
                    }
                }
                return Err(Error::Invalid(errors));
            }
        };
        let id = match id {
            Some(id) => {
                self.store
                    .update_legal_aid_help(
                        id,
                        &advice_draft,
                        &card_draft,
                        &self.user_name(),
                        advice.revision,
                    )
                    .await?;
                id
            }
            None => {
                self.store
                    .insert_legal_aid_help(&advice_draft, &card_draft)
                    .await?
            }
        };
        tracing::info!(advice = id, "legal aid card saved");
        Ok(id)
    }

    pub async fn legal_aid_card(&self, advice_id: i64) -> Result<Option<LegalAidCard>> {
        self.store.legal_aid_card(advice_id).await
    }

    /// Takes the card off an advice record; the record itself stays.
    pub async fn remove_legal_aid_card(&self, advice_id: i64) -> Result<()> {
        self.store.delete_legal_aid_card(advice_id).await?;
        tracing::info!(advice = advice_id, "legal aid card removed");
        Ok(())
    }

    pub async fn legal_aid_cards(&self, q: &CardQuery) -> Result<Page<CardRow>> {
        self.store
            .list_legal_aid_cards(
                q.point_id,
                period(&q.from, &q.to)?,
                q.offset,
                page_limit(q.limit),
            )
            .await
    }

    async fn card_or_refuse(&self, advice_id: i64) -> Result<LegalAidCard> {
        self.store
            .legal_aid_card(advice_id)
            .await?
            .ok_or(Error::NotFound("karta pomocy"))
    }

    /// The card (Part A) for the point's file.
    pub async fn legal_aid_card_pdf(&self, advice_id: i64, out: &Path) -> Result<()> {
        let card = self.card_or_refuse(advice_id).await?;
        let lists = self.legal_aid_lists().await?;
        let bytes = print::card_pdf(&card, &lists, &self.legal_aid_list_version().await?)?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(advice = advice_id, "legal aid card printed");
        Ok(())
    }

    /// The client's statement(s), pre-filled, to be signed before the help.
    pub async fn legal_aid_statement_pdf(&self, advice_id: i64, out: &Path) -> Result<()> {
        let card = self.card_or_refuse(advice_id).await?;
        let bytes = print::statement_pdf(&card)?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(advice = advice_id, "legal aid statement printed");
        Ok(())
    }

    /// A blank Part B with only the point's number and the date, for the urn.
    pub async fn legal_aid_opinion_form_pdf(
        &self,
        point_id: i64,
        on: &str,
        out: &Path,
    ) -> Result<()> {
        let point = self
            .store
            .legal_aid_points()
            .await?
            .into_iter()
            .find(|p| p.id == point_id)
            .ok_or_else(|| Error::invalid("point_id", "Wybierz punkt."))?;
        let on = parse_date(on).map_err(|e| Error::invalid("on", e.0))?;
        let bytes = print::opinion_form_pdf(&point, on)?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        Ok(())
    }

    pub async fn save_legal_aid_opinion(&self, input: &OpinionInput) -> Result<i64> {
        let points = self.store.legal_aid_points().await?;
        let draft = input.parse(&points, Local::now().date_naive())?;
        let id = self
            .store
            .insert_legal_aid_opinions(std::slice::from_ref(&draft))
            .await?[0];
        tracing::info!(opinion = id, "legal aid opinion typed in");
        Ok(id)
    }

    pub async fn legal_aid_opinions(&self, q: &OpinionQuery) -> Result<Page<Opinion>> {
        self.store
            .list_legal_aid_opinions(
                q.point_id,
                period(&q.from, &q.to)?,
                q.offset,
                page_limit(q.limit),
            )
            .await
    }

    pub async fn delete_legal_aid_opinion(&self, id: i64) -> Result<()> {
        self.store.delete_legal_aid_opinion(id).await
    }

    /// The starosta's figures for a period (both ends included), for one point or all.
    pub async fn starosta_figures(
        &self,
        from: &str,
        to: &str,
        point_id: Option<i64>,
    ) -> Result<StarostaFigures> {
        let (from, to) = parse_period(from, to)?;
        self.starosta_figures_between(from, to, point_id).await
    }

    pub async fn starosta_figures_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        point_id: Option<i64>,
    ) -> Result<StarostaFigures> {
        let point = match point_id {
            None => None,
            Some(id) => Some(
                self.store
                    .legal_aid_points()
                    .await?
                    .into_iter()
                    .find(|p| p.id == id)
                    .map(|p| format!("Punkt nr {} — {}", p.number, p.name))
                    .ok_or_else(|| Error::invalid("point_id", "Wybierz punkt."))?,
            ),
        };
        let lists = self.legal_aid_lists().await?;
        let (cards, kinds) = self.store.legal_aid_card_facts(point_id, from, to).await?;
        let mut opinions = Vec::new();
        let mut offset = 0;
        loop {
            let page = self
                .store
                .list_legal_aid_opinions(point_id, (Some(from), Some(to)), offset, MAX_PAGE)
                .await?;
            let n = page.items.len() as u32;
            opinions.extend(page.items);
            if n < MAX_PAGE {
                break;
            }
            offset += n;
        }
        Ok(starosta_figures(
            from,
            to,
            point,
            self.legal_aid_list_version().await?,
            &lists,
            &cards,
            &kinds,
            &opinions,
        ))
    }

    /// The figures as a PDF or an .xlsx (by the file's extension), without personal data.
    pub async fn starosta_report(
        &self,
        from: &str,
        to: &str,
        point_id: Option<i64>,
        out: &Path,
    ) -> Result<StarostaFigures> {
        let figures = self.starosta_figures(from, to, point_id).await?;
        let office = self.office_name_or("").await?;
        let ext = out
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .unwrap_or_default();
        let bytes = match ext.as_str() {
            "pdf" => print::figures_pdf(&figures, &office)?,
            "xlsx" => print::figures_xlsx(&figures, &office)?,
            _ => {
                return Err(Error::BadArgument(
                    "Plik sprawozdania musi mieć rozszerzenie .pdf albo .xlsx.".into(),
                ))
            }
        };
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(cards = figures.cards, "starosta figures written");
        Ok(figures)
    }
}

impl Kartoteka {
    pub async fn legal_aid_duty_hours(&self, point_id: Option<i64>) -> Result<Vec<DutyHour>> {
        self.store.legal_aid_duty_hours(point_id).await
    }

    pub async fn save_legal_aid_duty_hour(
        &self,
        id: Option<i64>,
        input: &DutyHourInput,
    ) -> Result<i64> {
        let draft = input.parse()?;
        if !self
            .store
            .legal_aid_points()
            .await?
            .iter()
            .any(|p| p.id == draft.point_id)
        {
            return Err(Error::invalid("point_id", "Wybierz punkt."));
        }
        self.store.save_legal_aid_duty_hour(id, &draft).await
    }

    pub async fn delete_legal_aid_duty_hour(&self, id: i64) -> Result<()> {
        self.store.delete_legal_aid_duty_hour(id).await
    }

    /// A point's day: duty hours, appointments and free half-hours. Appointments of days more
    /// than `APPOINTMENT_KEEP_DAYS` ago (a name and a phone) are removed first.
    pub async fn legal_aid_day(&self, point_id: i64, day: &str) -> Result<PointDay> {
        let day = parse_date(day).map_err(|e| Error::invalid("day", e.0))?;
        let today = Local::now().date_naive();
        let removed = self
            .store
            .remove_legal_aid_appointments_before(
                today - chrono::Duration::days(APPOINTMENT_KEEP_DAYS),
            )
            .await?;
        if removed > 0 {
            tracing::info!(removed, "past legal aid appointments removed");
        }
        self.point_day(point_id, day).await
    }

    async fn point_day(&self, point_id: i64, day: NaiveDate) -> Result<PointDay> {
        use chrono::Datelike;
        let weekday = day.weekday().number_from_monday() as i64;
        let duty: Vec<DutyHour> = self
            .store
            .legal_aid_duty_hours(Some(point_id))
            .await?
            .into_iter()
            .filter(|d| d.weekday == weekday)
            .collect();
        let appointments = self.store.legal_aid_appointments(point_id, day).await?;
        Ok(PointDay {
            point_id,
            day,
            weekday: WEEKDAYS[(weekday - 1) as usize].to_string(),
            free_slots: free_slots(&duty, &appointments),
            duty,
            appointments,
        })
    }

    pub async fn save_legal_aid_appointment(
        &self,
        id: Option<i64>,
        input: &AppointmentInput,
    ) -> Result<i64> {
        let duty = self.store.legal_aid_duty_hours(input.point_id).await?;
        let draft = input.parse(&duty, Local::now().date_naive())?;
        let id = self.store.save_legal_aid_appointment(id, &draft).await?;
        tracing::info!(appointment = id, "legal aid appointment saved");
        Ok(id)
    }

    pub async fn delete_legal_aid_appointment(&self, id: i64) -> Result<()> {
        self.store.delete_legal_aid_appointment(id).await
    }

    /// The day's list of appointments to print, with a column to mark who came.
    pub async fn legal_aid_day_pdf(&self, point_id: i64, day: &str, out: &Path) -> Result<usize> {
        let day = parse_date(day).map_err(|e| Error::invalid("day", e.0))?;
        let point = self
            .store
            .legal_aid_points()
            .await?
            .into_iter()
            .find(|p| p.id == point_id)
            .ok_or_else(|| Error::invalid("point_id", "Wybierz punkt."))?;
        let schedule = self.point_day(point_id, day).await?;
        let bytes = print::day_list_pdf(&point, &schedule)?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        Ok(schedule.appointments.len())
    }
}
