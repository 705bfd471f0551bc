//! The cooperation programme's operations: the year's programme, competitions, offers with
//! their contracts and the statutory warnings, consultations with their notice through the mail
//! queue, teams and the log of other cooperation, the report's settings, and the report on the
//! programme's execution as PDF, .xlsx and JSON.

use crate::cooperation::*;
use crate::error::{Error, Result};
use crate::export;
use crate::mail::{Audience, MessageInput, MessageKind, Segment};
use crate::register::{Page, MAX_PAGE};
use crate::Kartoteka;
use chrono::{Datelike, Local};
use std::path::Path;

const SETTINGS_KEY: &str = "cooperation_settings";

impl Kartoteka {
    pub async fn programme_years(&self) -> Result<Vec<i64>> {
        self.store.programme_years().await
    }

    pub async fn programme(&self, year: i64) -> Result<Option<Programme>> {
        self.store.programme(year).await
    }

    pub async fn save_programme(&self, id: Option<i64>, input: &ProgrammeInput) -> Result<i64> {
        let d = input.parse(&self.store.area_codes().await?)?;
        let id = self.store.save_programme(id, &d).await?;
        tracing::info!(programme = id, "cooperation programme saved");
        Ok(id)
    }

    pub async fn delete_programme(&self, id: i64) -> Result<()> {
        self.store.delete_programme(id).await
    }

    pub async fn competitions(&self, q: &CompetitionQuery) -> Result<Page<Competition>> {
        self.store.list_competitions(q).await
    }

    pub async fn competition(&self, id: i64) -> Result<Competition> {
        self.store.get_competition(id).await
    }

    pub async fn save_competition(&self, id: Option<i64>, input: &CompetitionInput) -> Result<i64> {
        let d = input.parse(&self.store.area_codes().await?)?;
        let id = self.store.save_competition(id, &d).await?;
        tracing::info!(competition = id, "competition saved");
        Ok(id)
    }

    pub async fn delete_competition(&self, id: i64) -> Result<()> {
        self.store.delete_competition(id).await
    }

    pub async fn offers(&self, q: &OfferQuery) -> Result<Page<Offer>> {
        self.store.list_offers(q).await
    }

    pub async fn offer(&self, id: i64) -> Result<Offer> {
        self.store.get_offer(id).await
    }

    /// What a save would warn about, for the form while it is typed; input that does not
    /// parse yet has no warnings (its errors come on saving).
    pub async fn offer_warnings(
        &self,
        id: Option<i64>,
        input: &OfferInput,
    ) -> Result<Vec<crate::FieldError>> {
        let Ok(d) = input.parse(&self.store.area_codes().await?) else {
            return Ok(Vec::new());
        };
        let ctx = self.store.offer_context(id, &d).await?;
        Ok(offer_warnings(&d, &ctx))
    }

    /// Saves an offer (its contract and settlement with it) and says what the statute or the
    /// competition's funds warn about: the office decides, the record keeps what was done.
    pub async fn save_offer(&self, id: Option<i64>, input: &OfferInput) -> Result<OfferSaved> {
        let d = input.parse(&self.store.area_codes().await?)?;
        let ctx = self.store.offer_context(id, &d).await?;
        let warnings = offer_warnings(&d, &ctx);
        let id = self.store.save_offer(id, &d).await?;
        tracing::info!(offer = id, warnings = warnings.len(), "offer saved");
        Ok(OfferSaved { id, warnings })
    }

    pub async fn delete_offer(&self, id: i64) -> Result<()> {
        self.store.delete_offer(id).await
    }

    /// The organisation's offers, newest first (its page lists them).
    pub async fn organization_offers(&self, organization_id: i64) -> Result<Vec<Offer>> {
        let q = OfferQuery {
            organization_id: Some(organization_id),
            limit: MAX_PAGE,
            ..Default::default()
        };
        Ok(self.store.list_offers(&q).await?.items)
    }

    pub async fn cooperation_settings(&self) -> Result<CooperationSettings> {
        Ok(self
            .store
            .meta(SETTINGS_KEY)
            .await?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default())
    }

    pub async fn save_cooperation_settings(
        &self,
        input: &CooperationSettings,
    ) -> Result<CooperationSettings> {
        let s = input.parse()?;
        self.store
            .set_meta(
                SETTINGS_KEY,
                &serde_json::to_string(&s).expect("settings serialise"),
            )
            .await?;
        Ok(s)
    }

    /// Every figure of the report on the programme's execution in `year`, the previous year
    /// beside it.
    pub async fn cooperation_report(&self, year: i32) -> Result<CooperationReport> {
        if !(2000..=2100).contains(&year) {
            return Err(Error::BadArgument(format!(
                "Rok {year} jest spoza zakresu 2000–2100."
            )));
        }
        let programme = self.store.programme(year as i64).await?;
        let settings = self.cooperation_settings().await?;
        Ok(CooperationReport {
            year,
            due: settings.due_date(year + 1),
            office: self.office_settings().await?.name,
            programme: programme.as_ref().map(ProgrammeSummary::from),
            current: self.store.cooperation_figures(year).await?,
            previous: self.store.cooperation_figures(year - 1).await?,
            by_task: self
                .store
                .granted_by_task(year)
                .await?
                .into_iter()
                .map(|(task, planned_grosze, granted_grosze)| TaskGrants {
                    task,
                    planned_grosze,
                    granted_grosze,
                })
                .collect(),
            by_area: merge_by_area(
                self.store.granted_by_area(year).await?,
                self.store.granted_by_area(year - 1).await?,
            ),
            conclusions: programme.and_then(|p| p.conclusions),
        })
    }

    /// The report as a PDF at `out`; returns its page count.
    pub async fn cooperation_report_pdf(&self, year: i32, out: &Path) -> Result<usize> {
        let report = self.cooperation_report(year).await?;
        let (bytes, pages) = report_pdf(&report, Local::now().date_naive())?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(year, pages, "cooperation report written");
        Ok(pages)
    }

    pub async fn cooperation_report_xlsx(&self, year: i32, out: &Path) -> Result<()> {
        let report = self.cooperation_report(year).await?;
        report_xlsx(&report, out)?;
        tracing::info!(year, "cooperation report sheet written");
        Ok(())
    }

    pub async fn act_consultations(
        &self,
        q: &ActConsultationQuery,
    ) -> Result<Page<ActConsultation>> {
        self.store.list_act_consultations(q).await
    }

    pub async fn act_consultation(&self, id: i64) -> Result<ActConsultation> {
        self.store.get_act_consultation(id).await
    }

    pub async fn save_act_consultation(
        &self,
        id: Option<i64>,
        input: &ActConsultationInput,
    ) -> Result<i64> {
        let d = input.parse()?;
        let id = self.store.save_act_consultation(id, &d).await?;
        tracing::info!(act_consultation = id, "act consultation saved");
        Ok(id)
    }

    pub async fn delete_act_consultation(&self, id: i64) -> Result<()> {
        self.store.delete_act_consultation(id).await
    }

    pub async fn opinions(&self, consultation_id: i64) -> Result<Vec<Opinion>> {
        self.store.opinions(consultation_id).await
    }

    pub async fn save_opinion(&self, id: Option<i64>, input: &OpinionInput) -> Result<i64> {
        let d = input.parse()?;
        let id = self.store.save_opinion(id, &d).await?;
        tracing::info!(opinion = id, "opinion saved");
        Ok(id)
    }

    pub async fn delete_opinion(&self, id: i64) -> Result<()> {
        self.store.delete_opinion(id).await
    }

    /// The consultation report (every opinion and how it was handled) as a PDF at `out`;
    /// returns its page count.
    pub async fn consultation_report_pdf(&self, id: i64, out: &Path) -> Result<usize> {
        let c = self.store.get_act_consultation(id).await?;
        let opinions = self.store.opinions(id).await?;
        let office = self.office_settings().await?.name;
        let (bytes, pages) = consultation_pdf(&c, &opinions, &office, Local::now().date_naive())?;
        export::write_atomically(out, |tmp| Ok(std::fs::write(tmp, &bytes)?))?;
        tracing::info!(act_consultation = id, pages, "consultation report written");
        Ok(pages)
    }

    /// The notice of a consultation, addressed to the organisations of `segment` (a mailing
    /// list named after the draft, kept up to date) and left as a draft in Poczta to be read
    /// and sent. Asking again while the draft is unsent returns that draft, its list narrowed
    /// to the segment chosen now.
    pub async fn consultation_notice(
        &self,
        id: i64,
        segment: &Segment,
    ) -> Result<ConsultationNotice> {
        let c = self.store.get_act_consultation(id).await?;
        let segment = Segment {
            audience: Audience::Organizations,
            ..segment.clean()
        };
        let name: String = format!("Konsultacje: {}", c.title)
            .chars()
            .take(110)
            .collect();
        let existing = self.store.mailing_list_id(&name).await?;
        let list_id = self
            .store
            .save_mailing_list(existing, &name, Some(&segment))
            .await?;
        let unsent = match c.notice_message_id {
            Some(m) => match self.store.get_message(m).await {
                Ok(msg) if msg.status == "draft" => Some(m),
                Ok(_) | Err(Error::NotFound(_)) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        let input = MessageInput {
            kind: MessageKind::Notice,
            is_template: false,
            subject: consultation_notice_subject(&c),
            body: consultation_notice_body(&c),
            list_id: Some(list_id),
        }
        .parse()?;
        let message_id = match unsent {
            Some(m) => {
                self.store.update_message(m, &input).await?;
                m
            }
            None => self.store.insert_message(&input, None).await?,
        };
        self.store.set_consultation_notice(id, message_id).await?;
        let count = self.resolve_segment(&segment).await?.count();
        tracing::info!(
            act_consultation = id,
            message = message_id,
            "consultation notice prepared"
        );
        Ok(ConsultationNotice {
            list_id,
            message_id,
            count,
        })
    }

    pub async fn teams(&self, q: &TeamQuery) -> Result<Page<Team>> {
        self.store.list_teams(q).await
    }

    pub async fn team(&self, id: i64) -> Result<Team> {
        self.store.get_team(id).await
    }

    pub async fn save_team(&self, id: Option<i64>, input: &TeamInput) -> Result<i64> {
        let d = input.parse()?;
        let id = self.store.save_team(id, &d).await?;
        tracing::info!(team = id, members = d.members.len(), "team saved");
        Ok(id)
    }

    pub async fn delete_team(&self, id: i64) -> Result<()> {
        self.store.delete_team(id).await
    }

    pub async fn meetings(&self, team_id: i64) -> Result<Vec<Meeting>> {
        self.store.meetings(team_id).await
    }

    pub async fn save_meeting(&self, id: Option<i64>, input: &MeetingInput) -> Result<i64> {
        let d = input.parse()?;
        let id = self.store.save_meeting(id, &d).await?;
        tracing::info!(meeting = id, team = d.team_id, "team meeting saved");
        Ok(id)
    }

    pub async fn delete_meeting(&self, id: i64) -> Result<()> {
        self.store.delete_meeting(id).await
    }

    pub async fn cooperation_activities(&self, q: &ActivityQuery) -> Result<Page<Activity>> {
        self.store.list_activities(q).await
    }

    pub async fn save_cooperation_activity(
        &self,
        id: Option<i64>,
        input: &ActivityInput,
    ) -> Result<i64> {
        let d = input.parse()?;
        let id = self.store.save_activity(id, &d).await?;
        tracing::info!(activity = id, "cooperation activity saved");
        Ok(id)
    }

    pub async fn delete_cooperation_activity(&self, id: i64) -> Result<()> {
        self.store.delete_activity(id).await
    }

    /// What an organisation's page lists beside its offers: its opinions on draft acts, the
    /// teams it sits on, the log's entries about it.
    pub async fn organization_cooperation(
        &self,
        organization_id: i64,
    ) -> Result<OrganizationCooperation> {
        self.store.organization_cooperation(organization_id).await
    }

    /// The year the window opens on: this year's programme, else the newest there is.
    pub async fn cooperation_default_year(&self) -> Result<i64> {
        let this = Local::now().date_naive().year() as i64;
        let years = self.store.programme_years().await?;
        Ok(if years.contains(&this) || years.is_empty() {
            this
        } else {
            years[0]
        })
    }
}

fn consultation_notice_subject(c: &ActConsultation) -> String {
    format!(
        "Konsultacje projektu: {} — uwagi do {}",
        c.title,
        c.ends_on.format("%d.%m.%Y")
    )
}

fn consultation_notice_body(c: &ActConsultation) -> String {
    // Written so that no name needs declining: the draft's title stands after a colon.
    let mut body = format!(
        "## Konsultacje projektu aktu\n\nSzanowni Państwo,\n\nzapraszamy do konsultacji projektu: **{}** ({}).\n\n",
        c.title, c.act_kind
    );
    body.push_str(&format!(
        "- Konsultacje trwają od **{}** do **{}**\n",
        c.starts_on.format("%d.%m.%Y"),
        c.ends_on.format("%d.%m.%Y")
    ));
    let forms: Vec<&str> = CONSULTATION_FORMS
        .iter()
        .filter(|(code, _)| c.forms.split(',').any(|f| f == *code))
        .map(|(_, label)| *label)
        .collect();
    if !forms.is_empty() {
        body.push_str(&format!("- Formy konsultacji: {}\n", forms.join("; ")));
    }
    if let Some(o) = &c.ordinance {
        body.push_str(&format!("- Ogłoszenie: {o}\n"));
    }
    if let Some(w) = &c.announced_where {
        body.push_str(&format!("\nProjekt i formularz uwag: {w}\n"));
    }
    body.push_str("\nCzekamy na uwagi Państwa organizacji.\n\nOrganizacja: {nazwa}\n");
    body
}
