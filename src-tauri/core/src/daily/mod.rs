//! Daily work at a glance: the "Dziś" summary (follow-ups due, today's and the week's events,
//! the last good backup, campaigns still sending), the events calendar for a date range, and a
//! person's advice, events and consultations for their page. Each answer is compact: counts
//! and the first few items, never a whole table.

pub(crate) mod store;

use crate::advice::{AdviceQuery, AdviceRow};
use crate::consultations::Consultation;
use crate::error::{Error, Result};
use crate::register::{parse_date, Page};
use crate::Kartoteka;
use chrono::{Days, Local, NaiveDate, NaiveDateTime};
use serde::Serialize;

/// Items of each kind the "Dziś" screen lists; the rest is a count and a link.
const TODAY_ITEMS: u32 = 5;
/// The calendar shows at most this many events in one range (a busy month has a few dozen).
const CALENDAR_MAX: u32 = 1000;
/// The longest range the calendar asks for: six weeks of a month grid, with room to spare.
const CALENDAR_MAX_DAYS: i64 = 62;

/// An event as the calendar and the "Dziś" screen show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CalendarEvent {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub place: Option<String>,
    pub capacity: Option<i64>,
    pub registered: i64,
    pub waiting: i64,
}

/// A mail campaign not finished: still queued, paused, or with messages of unknown fate.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CampaignInProgress {
    pub id: i64,
    pub subject: String,
    pub status: String,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub uncertain: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupBrief {
    pub last_good: Option<String>,
    /// No backup, or the newest is older than `backup::WARN_AFTER_DAYS`.
    pub old: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TodaySummary {
    pub today: NaiveDate,
    /// None when the user may not see advice (`Kartoteka::may_see_advice`).
    pub follow_ups: Option<Page<AdviceRow>>,
    pub events_today: Vec<CalendarEvent>,
    /// The next seven days after today.
    pub events_week: Page<CalendarEvent>,
    pub backup: BackupBrief,
    pub campaigns: Page<CampaignInProgress>,
}

/// A registration of the person, for their page.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PersonEvent {
    pub event_id: i64,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub status: String,
    pub attended: bool,
}

/// What a person's page lists besides their own data, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct PersonOverview {
    /// None when the user may not see advice.
    pub advice: Option<Page<AdviceRow>>,
    pub events: Page<PersonEvent>,
    pub consultations: Page<Consultation>,
}

impl Kartoteka {
    /// Whether the current user may see advice records at all (clients and their problems).
    /// On a single-user SQLite file everyone may; the shared PostgreSQL server will answer from
    /// the user's role here, and every place that shows advice outside Porady asks this.
    pub fn may_see_advice(&self) -> bool {
        true
    }

    /// Everything the "Dziś" screen shows, in one call.
    pub async fn today_summary(&self) -> Result<TodaySummary> {
        self.today_summary_on(Local::now().date_naive()).await
    }

    /// `today_summary` as of `today` (tests fix the day).
    pub async fn today_summary_on(&self, today: NaiveDate) -> Result<TodaySummary> {
        let follow_ups = if self.may_see_advice() {
            let q = AdviceQuery {
                follow_ups_due: true,
                limit: TODAY_ITEMS,
                ..Default::default()
            };
            Some(self.store().list_advice(&q, (None, None), today).await?)
        } else {
            None
        };
        let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight");
        let tomorrow = today + Days::new(1);
        let (events_today, _) = self
            .store()
            .calendar_events(start(today), start(tomorrow), 50)
            .await?;
        let (items, total) = self
            .store()
            .calendar_events(start(tomorrow), start(tomorrow + Days::new(7)), TODAY_ITEMS)
            .await?;
        let brief = self.backup_status_brief().await?;
        let campaigns = self.store().campaigns_in_progress(TODAY_ITEMS).await?;
        Ok(TodaySummary {
            today,
            follow_ups,
            events_today,
            events_week: Page {
                items,
                total,
                offset: 0,
            },
            backup: BackupBrief {
                last_good: brief.last_good,
                old: brief.old,
            },
            campaigns,
        })
    }

    /// Events starting on `from` .. `to` (both days included), soonest first. The dates come as
    /// the window sends them (ISO) or as typed; a range longer than a month grid is refused.
    pub async fn calendar(&self, from: &str, to: &str) -> Result<Vec<CalendarEvent>> {
        let from = parse_date(from).map_err(|e| Error::invalid("from", e.0))?;
        let to = parse_date(to).map_err(|e| Error::invalid("to", e.0))?;
        if to < from {
            return Err(Error::invalid(
                "to",
                "Koniec okresu jest przed jego początkiem.",
            ));
        }
        if (to - from).num_days() > CALENDAR_MAX_DAYS {
            return Err(Error::invalid(
                "to",
                "Kalendarz pokazuje najwyżej dwa miesiące naraz.",
            ));
        }
        let end = (to + Days::new(1)).and_hms_opt(0, 0, 0).expect("midnight");
        let (items, _) = self
            .store()
            .calendar_events(
                from.and_hms_opt(0, 0, 0).expect("midnight"),
                end,
                CALENDAR_MAX,
            )
            .await?;
        Ok(items)
    }

    /// A person's advice (when the user may see it), registrations and consultations: the
    /// newest `limit` of each (at most 100) with their totals.
    pub async fn person_overview(&self, person_id: i64, limit: u32) -> Result<PersonOverview> {
        let limit = limit.clamp(1, 100);
        // The person must exist: an unknown id is an error, not three empty lists.
        self.store().get_person(person_id).await?;
        let advice = if self.may_see_advice() {
            let q = AdviceQuery {
                person_id: Some(person_id),
                limit,
                ..Default::default()
            };
            Some(
                self.store()
                    .list_advice(&q, (None, None), Local::now().date_naive())
                    .await?,
            )
        } else {
            None
        };
        Ok(PersonOverview {
            advice,
            events: self.store().person_events(person_id, limit).await?,
            consultations: self.store().person_consultations(person_id, limit).await?,
        })
    }

    /// The advisors named on advice records, for the list's filter (most used first).
    pub async fn advice_advisors(&self) -> Result<Vec<String>> {
        self.store().advice_advisors(200).await
    }
}
