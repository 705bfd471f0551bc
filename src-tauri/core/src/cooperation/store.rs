//! The cooperation programme's part of the store contract, in domain types only; each backend
//! implements it (`store/sqlite/cooperation.rs`, `store/postgres/cooperation.rs`). The report's
//! figures are one SQL text both backends run: its only variables are a year's first and last
//! day, written in as ISO dates made from an integer year.

use crate::cooperation::*;
use crate::error::Result;
use crate::register::Page;

#[async_trait::async_trait]
pub trait CooperationStore: Send + Sync {
    /// The years that have a programme, newest first.
    async fn programme_years(&self) -> Result<Vec<i64>>;

    /// The year's programme with its priority tasks (and what was granted under each).
    async fn programme(&self, year: i64) -> Result<Option<Programme>>;

    /// Saves the year's programme and its tasks in one transaction: tasks keep their ids (the
    /// competitions refer to them), new rows are added, rows left out of the form are removed.
    async fn save_programme(&self, id: Option<i64>, d: &ProgrammeDraft) -> Result<i64>;

    async fn delete_programme(&self, id: i64) -> Result<()>;

    async fn list_competitions(&self, q: &CompetitionQuery) -> Result<Page<Competition>>;

    async fn get_competition(&self, id: i64) -> Result<Competition>;

    async fn save_competition(&self, id: Option<i64>, d: &CompetitionDraft) -> Result<i64>;

    async fn delete_competition(&self, id: i64) -> Result<()>;

    async fn list_offers(&self, q: &OfferQuery) -> Result<Page<Offer>>;

    async fn get_offer(&self, id: i64) -> Result<Offer>;

    /// What the statutory caps and the competition's funds are counted against, for this
    /// draft (the saved offer `id` itself left out).
    async fn offer_context(&self, id: Option<i64>, d: &OfferDraft) -> Result<OfferContext>;

    async fn save_offer(&self, id: Option<i64>, d: &OfferDraft) -> Result<i64>;

    async fn delete_offer(&self, id: i64) -> Result<()>;

    async fn list_act_consultations(
        &self,
        q: &ActConsultationQuery,
    ) -> Result<Page<ActConsultation>>;

    async fn get_act_consultation(&self, id: i64) -> Result<ActConsultation>;

    async fn save_act_consultation(&self, id: Option<i64>, d: &ActConsultationDraft)
        -> Result<i64>;

    async fn delete_act_consultation(&self, id: i64) -> Result<()>;

    /// A consultation's opinions in the order they came.
    async fn opinions(&self, consultation_id: i64) -> Result<Vec<Opinion>>;

    /// Saves an opinion; its author is the chosen organisation's name as the register has it.
    async fn save_opinion(&self, id: Option<i64>, d: &OpinionDraft) -> Result<i64>;

    async fn delete_opinion(&self, id: i64) -> Result<()>;

    /// Records that the consultation's notice went out as this message of the mail queue.
    async fn set_consultation_notice(&self, id: i64, message_id: i64) -> Result<()>;

    async fn list_teams(&self, q: &TeamQuery) -> Result<Page<Team>>;

    /// One team with its members in their order.
    async fn get_team(&self, id: i64) -> Result<Team>;

    /// Saves a team and its members in one transaction (the members are written anew: nothing
    /// refers to them); a member from the register is named as the register has it.
    async fn save_team(&self, id: Option<i64>, d: &TeamDraft) -> Result<i64>;

    async fn delete_team(&self, id: i64) -> Result<()>;

    /// A team's meetings, the latest first.
    async fn meetings(&self, team_id: i64) -> Result<Vec<Meeting>>;

    async fn save_meeting(&self, id: Option<i64>, d: &MeetingDraft) -> Result<i64>;

    async fn delete_meeting(&self, id: i64) -> Result<()>;

    async fn list_activities(&self, q: &ActivityQuery) -> Result<Page<Activity>>;

    async fn save_activity(&self, id: Option<i64>, d: &ActivityDraft) -> Result<i64>;

    async fn delete_activity(&self, id: i64) -> Result<()>;

    /// The opinions an organisation sent, the teams it sits on and the log's entries about it.
    async fn organization_cooperation(
        &self,
        organization_id: i64,
    ) -> Result<OrganizationCooperation>;

    /// Every counted figure of the report for one year.
    async fn cooperation_figures(&self, year: i32) -> Result<CooperationFigures>;

    /// Amounts granted per priority task of the year's programme: (task, planned, granted).
    async fn granted_by_task(&self, year: i32) -> Result<Vec<(String, i64, i64)>>;

    /// Amounts granted per sphere (competitions' spheres, art. 19a grants' own): (sphere
    /// name, granted), in the spheres' order.
    async fn granted_by_area(&self, year: i32) -> Result<Vec<(String, i64)>>;
}

pub(crate) const COMPETITION_SELECT: &str = "SELECT c.id, c.title, c.area_code, a.name AS area_name, c.priority_task_id,
     t.title AS priority_task_title, c.grant_call_id, g.title AS grant_call_title, c.funds_grosze, c.announced_on,
     c.deadline_on, c.result_on, c.committee, c.notes,
     (SELECT COUNT(*) FROM coop_offers o WHERE o.competition_id = c.id) AS offers,
     (SELECT CAST(COALESCE(SUM(o.granted_grosze), 0) AS BIGINT) FROM coop_offers o WHERE o.competition_id = c.id AND o.status = 'granted') AS granted_grosze
     FROM coop_competitions c JOIN activity_areas a ON a.code = c.area_code
     LEFT JOIN coop_priority_tasks t ON t.id = c.priority_task_id LEFT JOIN grant_calls g ON g.id = c.grant_call_id";

pub(crate) const ACT_CONSULTATION_SELECT: &str = "SELECT c.id, c.title, c.act_kind, c.ordinance, c.starts_on, c.ends_on, c.forms,
     c.announced_where, c.outcome, (SELECT COUNT(*) FROM coop_opinions o WHERE o.consultation_id = c.id) AS opinions,
     c.notice_message_id FROM coop_act_consultations c";

pub(crate) const OPINION_SELECT: &str = "SELECT id, consultation_id, organization_id, author, received_on, section, comment, handling, reason
     FROM coop_opinions";

pub(crate) const OFFER_SELECT: &str = "SELECT o.id, o.competition_id, c.title AS competition_title, o.organization_id,
     org.name AS organization_name, o.title, o.area_code, o.submitted_on, o.requested_grosze, o.status, o.rejection_reason,
     o.score, o.granted_grosze, o.published_on, o.period_from, o.period_until, o.contract_number, o.contract_signed_on,
     o.settlement, o.returned_grosze, o.settled_on, o.notes
     FROM coop_offers o JOIN organizations org ON org.id = o.organization_id
     LEFT JOIN coop_competitions c ON c.id = o.competition_id";

pub(crate) const TEAM_SELECT: &str =
    "SELECT t.id, t.name, t.kind, t.appointed_by, t.purpose, t.starts_on, t.ends_on,
     (SELECT COUNT(*) FROM coop_team_members m WHERE m.team_id = t.id) AS member_count,
     (SELECT COUNT(*) FROM coop_team_meetings g WHERE g.team_id = t.id) AS meeting_count
     FROM coop_teams t";

pub(crate) const MEMBER_SELECT: &str =
    "SELECT id, organization_id, name, representative, role FROM coop_team_members";

pub(crate) const MEETING_SELECT: &str =
    "SELECT id, team_id, held_on, place, attendance, minutes FROM coop_team_meetings";

pub(crate) const ACTIVITY_SELECT: &str = "SELECT a.id, a.kind, a.held_on, a.organization_id, o.name AS organization_name, a.title, a.notes
     FROM coop_activities a LEFT JOIN organizations o ON o.id = a.organization_id";

/// An organisation's opinions; the one placeholder is its id (`?` or `$1`, as the backend
/// writes it).
pub(crate) fn organization_opinions_sql(placeholder: &str) -> String {
    format!(
        "SELECT p.id, p.consultation_id, c.title AS consultation_title, p.received_on, p.section, p.handling
         FROM coop_opinions p JOIN coop_act_consultations c ON c.id = p.consultation_id
         WHERE p.organization_id = {placeholder} ORDER BY p.received_on DESC, p.id DESC LIMIT 500"
    )
}

pub(crate) fn organization_teams_sql(placeholder: &str) -> String {
    format!(
        "SELECT t.id AS team_id, t.name AS team_name, t.kind, m.role, m.representative, t.starts_on, t.ends_on
         FROM coop_team_members m JOIN coop_teams t ON t.id = m.team_id
         WHERE m.organization_id = {placeholder} ORDER BY t.starts_on DESC, t.id DESC LIMIT 500"
    )
}

pub(crate) fn organization_activities_sql(placeholder: &str) -> String {
    format!(
        "{ACTIVITY_SELECT} WHERE a.organization_id = {placeholder} ORDER BY a.held_on DESC, a.id DESC LIMIT 500"
    )
}

/// `(first, last)` day of a year as SQL literals ('2027-01-01'), for the shared figures' SQL.
fn span(year: i32) -> (String, String) {
    (format!("'{year:04}-01-01'"), format!("'{year:04}-12-31'"))
}

/// An offer counts in the year its competition was announced, an art. 19a offer in the year
/// it was submitted.
fn offer_in_year(year: i32) -> String {
    let (first, last) = span(year);
    format!(
        "((o.competition_id IS NOT NULL AND c.announced_on BETWEEN {first} AND {last})
          OR (o.competition_id IS NULL AND o.submitted_on BETWEEN {first} AND {last}))"
    )
}

/// The report's counted figures for one year, as one row; the same text on both backends.
pub(crate) fn figures_sql(year: i32) -> String {
    let (first, last) = span(year);
    let next = format!("'{:04}-01-01'", year + 1);
    let offers = offer_in_year(year);
    format!(
        "SELECT
         (SELECT COUNT(*) FROM organizations WHERE created_at < {next} AND (archived_at IS NULL OR archived_at >= {next})) AS organizations,
         (SELECT COUNT(DISTINCT o.organization_id) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers}) AS organizations_with_offers,
         (SELECT COUNT(DISTINCT o.organization_id) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers} AND o.status = 'granted') AS organizations_granted,
         (SELECT COUNT(*) FROM coop_competitions c WHERE c.announced_on BETWEEN {first} AND {last}) AS competitions,
         (SELECT CAST(COALESCE(SUM(c.funds_grosze), 0) AS BIGINT) FROM coop_competitions c WHERE c.announced_on BETWEEN {first} AND {last}) AS competition_funds_grosze,
         (SELECT COUNT(*) FROM coop_offers o JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers}) AS offers,
         (SELECT COUNT(*) FROM coop_offers o JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers} AND o.status = 'rejected_formal') AS offers_rejected_formal,
         (SELECT COUNT(*) FROM coop_offers o JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers} AND o.status = 'refused') AS offers_refused,
         (SELECT COUNT(*) FROM coop_offers o JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers} AND o.status = 'granted') AS offers_granted,
         (SELECT COUNT(*) FROM coop_offers o JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers} AND o.contract_number IS NOT NULL) AS contracts,
         (SELECT CAST(COALESCE(SUM(o.granted_grosze), 0) AS BIGINT) FROM coop_offers o JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers} AND o.status = 'granted') AS granted_grosze,
         (SELECT COUNT(*) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE o.competition_id IS NULL AND {offers}) AS small_offers,
         (SELECT COUNT(*) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE o.competition_id IS NULL AND {offers} AND o.contract_number IS NOT NULL) AS small_contracts,
         (SELECT CAST(COALESCE(SUM(o.granted_grosze), 0) AS BIGINT) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE o.competition_id IS NULL AND {offers} AND o.status = 'granted') AS small_granted_grosze,
         (SELECT COUNT(*) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers} AND o.settlement = 'accepted') AS settled_accepted,
         (SELECT COUNT(*) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers} AND o.settlement = 'terminated') AS contracts_terminated,
         (SELECT CAST(COALESCE(SUM(o.returned_grosze), 0) AS BIGINT) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers}) AS returned_grosze,
         (SELECT COUNT(*) FROM coop_act_consultations a WHERE a.starts_on BETWEEN {first} AND {last}) AS act_consultations,
         (SELECT COUNT(*) FROM coop_act_consultations a WHERE a.starts_on BETWEEN {first} AND {last}
             AND EXISTS (SELECT 1 FROM coop_opinions p WHERE p.consultation_id = a.id)) AS act_consultations_with_opinions,
         (SELECT COUNT(*) FROM coop_opinions p JOIN coop_act_consultations a ON a.id = p.consultation_id
             WHERE a.starts_on BETWEEN {first} AND {last}) AS opinions,
         (SELECT COUNT(*) FROM events e WHERE e.kind = 'training' AND e.starts_at >= {first} AND e.starts_at < {next}) AS trainings,
         (SELECT CAST(COALESCE(SUM(CASE WHEN r.attended THEN 1 ELSE 0 END), 0) AS BIGINT) FROM event_registrations r JOIN events e ON e.id = r.event_id
             WHERE e.kind = 'training' AND e.starts_at >= {first} AND e.starts_at < {next}) AS training_participants,
         (SELECT COUNT(*) FROM bookings b WHERE b.organization_id IS NOT NULL AND b.status <> 'cancelled' AND b.day BETWEEN {first} AND {last})
           + (SELECT COUNT(*) FROM coop_activities a WHERE a.kind = 'premises' AND a.held_on BETWEEN {first} AND {last}) AS premises_lent,
         (SELECT COUNT(*) FROM (SELECT b.organization_id FROM bookings b WHERE b.organization_id IS NOT NULL AND b.status <> 'cancelled' AND b.day BETWEEN {first} AND {last}
             UNION SELECT a.organization_id FROM coop_activities a WHERE a.kind = 'premises' AND a.organization_id IS NOT NULL AND a.held_on BETWEEN {first} AND {last}) x) AS organizations_lent_premises,
         (SELECT COUNT(*) FROM coop_teams t WHERE t.starts_on <= {last} AND (t.ends_on IS NULL OR t.ends_on >= {first})) AS teams,
         (SELECT COUNT(DISTINCT m.organization_id) FROM coop_team_members m JOIN coop_teams t ON t.id = m.team_id
             WHERE t.starts_on <= {last} AND (t.ends_on IS NULL OR t.ends_on >= {first})) AS organizations_in_teams,
         (SELECT COUNT(*) FROM coop_team_meetings g WHERE g.held_on BETWEEN {first} AND {last}) AS team_meetings,
         (SELECT COUNT(*) FROM coop_activities a WHERE a.kind = 'patronage' AND a.held_on BETWEEN {first} AND {last}) AS patronages,
         (SELECT COUNT(*) FROM coop_activities a WHERE a.kind = 'information' AND a.held_on BETWEEN {first} AND {last}) AS information_published,
         (SELECT COUNT(*) FROM coop_activities a WHERE a.kind = 'other' AND a.held_on BETWEEN {first} AND {last}) AS other_activities,
         (SELECT COUNT(*) FROM (
             SELECT o.organization_id FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE {offers}
             UNION SELECT p.organization_id FROM coop_opinions p JOIN coop_act_consultations a ON a.id = p.consultation_id
                 WHERE p.organization_id IS NOT NULL AND a.starts_on BETWEEN {first} AND {last}
             UNION SELECT m.organization_id FROM coop_team_members m JOIN coop_teams t ON t.id = m.team_id
                 WHERE m.organization_id IS NOT NULL AND t.starts_on <= {last} AND (t.ends_on IS NULL OR t.ends_on >= {first})
             UNION SELECT a.organization_id FROM coop_activities a WHERE a.organization_id IS NOT NULL AND a.held_on BETWEEN {first} AND {last}
             UNION SELECT b.organization_id FROM bookings b WHERE b.organization_id IS NOT NULL AND b.status <> 'cancelled' AND b.day BETWEEN {first} AND {last}
         ) y) AS organizations_cooperating"
    )
}

pub(crate) fn granted_by_task_sql(year: i32) -> String {
    format!(
        "SELECT t.title, t.planned_grosze,
           (SELECT CAST(COALESCE(SUM(o.granted_grosze), 0) AS BIGINT) FROM coop_offers o JOIN coop_competitions c ON c.id = o.competition_id
             WHERE c.priority_task_id = t.id AND o.status = 'granted') AS granted
         FROM coop_priority_tasks t JOIN coop_programmes p ON p.id = t.programme_id
         WHERE p.year = {year} ORDER BY t.position, t.id"
    )
}

pub(crate) fn granted_by_area_sql(year: i32) -> String {
    let offers = offer_in_year(year);
    format!(
        "SELECT a.name, CAST(SUM(o.granted_grosze) AS BIGINT) AS granted
         FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id
         JOIN activity_areas a ON a.code = COALESCE(c.area_code, o.area_code)
         WHERE {offers} AND o.status = 'granted'
         GROUP BY a.code, a.name, a.position ORDER BY a.position"
    )
}
