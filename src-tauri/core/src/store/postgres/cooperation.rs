//! PostgreSQL: the cooperation programme, competitions, offers with contracts, and the report's
//! figures, mirroring `store/sqlite/cooperation.rs` (the figures' SQL is shared).

use super::PgStore;
use crate::cooperation::store::{
    figures_sql, granted_by_area_sql, granted_by_task_sql, organization_activities_sql,
    organization_opinions_sql, organization_teams_sql, ACTIVITY_SELECT, ACT_CONSULTATION_SELECT,
    COMPETITION_SELECT, MEETING_SELECT, MEMBER_SELECT, OFFER_SELECT, OPINION_SELECT, TEAM_SELECT,
};
use crate::cooperation::*;
use crate::error::{Error, Result};
use crate::register::{Page, MAX_PAGE};
use crate::store::sqlite::now;
use crate::store::CooperationStore;
use chrono::Datelike;
use chrono::NaiveDate;
use sqlx::{PgPool, Postgres, QueryBuilder};

#[async_trait::async_trait]
impl CooperationStore for PgStore {
    async fn programme_years(&self) -> Result<Vec<i64>> {
        Ok(
            sqlx::query_scalar("SELECT year FROM coop_programmes ORDER BY year DESC")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn programme(&self, year: i64) -> Result<Option<Programme>> {
        let Some(mut p): Option<Programme> = sqlx::query_as(
            "SELECT id, year, resolution_number, resolution_date, period_from, period_until, forms, consultation_note,
             council_opinion, conclusions FROM coop_programmes WHERE year = $1",
        )
        .bind(year)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        p.tasks = sqlx::query_as(
            "SELECT t.id, t.title, t.area_code, t.planned_grosze,
             (SELECT CAST(COALESCE(SUM(o.granted_grosze), 0) AS BIGINT) FROM coop_offers o JOIN coop_competitions c ON c.id = o.competition_id
               WHERE c.priority_task_id = t.id AND o.status = 'granted') AS granted_grosze
             FROM coop_priority_tasks t WHERE t.programme_id = $1 ORDER BY t.position, t.id",
        )
        .bind(p.id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(p))
    }

    async fn save_programme(&self, id: Option<i64>, d: &ProgrammeDraft) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM coop_programmes WHERE year = $1 AND id IS DISTINCT FROM $2",
        )
        .bind(d.year)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Err(Error::invalid(
                "year",
                "Program na ten rok już jest w Kartotece: otwórz go i popraw.",
            ));
        }
        let stamp = now();
        let saved: Option<i64> = match id {
            None => sqlx::query_scalar(
                "INSERT INTO coop_programmes (year, resolution_number, resolution_date, period_from, period_until, forms,
                 consultation_note, council_opinion, conclusions, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(d.year)
            .bind(&d.resolution_number)
            .bind(d.resolution_date)
            .bind(d.period_from)
            .bind(d.period_until)
            .bind(&d.forms)
            .bind(&d.consultation_note)
            .bind(&d.council_opinion)
            .bind(&d.conclusions)
            .bind(&stamp)
            .bind(&stamp)
            .fetch_optional(&mut *tx)
            .await?,
            Some(id) => sqlx::query_scalar(
                "UPDATE coop_programmes SET year = $1, resolution_number = $2, resolution_date = $3, period_from = $4, period_until = $5,
                 forms = $6, consultation_note = $7, council_opinion = $8, conclusions = $9, updated_at = $10 WHERE id = $11 RETURNING id",
            )
            .bind(d.year)
            .bind(&d.resolution_number)
            .bind(d.resolution_date)
            .bind(d.period_from)
            .bind(d.period_until)
            .bind(&d.forms)
            .bind(&d.consultation_note)
            .bind(&d.council_opinion)
            .bind(&d.conclusions)
            .bind(&stamp)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?,
        };
        let programme_id = saved.ok_or(Error::NotFound("program współpracy"))?;
        let kept: Vec<i64> = d.tasks.iter().filter_map(|t| t.id).collect();
        let existing: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM coop_priority_tasks WHERE programme_id = $1")
                .bind(programme_id)
                .fetch_all(&mut *tx)
                .await?;
        for gone in existing.iter().filter(|e| !kept.contains(e)) {
            sqlx::query("DELETE FROM coop_priority_tasks WHERE id = $1")
                .bind(gone)
                .execute(&mut *tx)
                .await?;
        }
        for (position, t) in d.tasks.iter().enumerate() {
            match t.id.filter(|i| existing.contains(i)) {
                Some(task_id) => {
                    sqlx::query(
                        "UPDATE coop_priority_tasks SET position = $1, title = $2, area_code = $3, planned_grosze = $4 WHERE id = $5",
                    )
                    .bind(position as i64)
                    .bind(&t.title)
                    .bind(&t.area_code)
                    .bind(t.planned_grosze)
                    .bind(task_id)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query(
                        "INSERT INTO coop_priority_tasks (programme_id, position, title, area_code, planned_grosze) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(programme_id)
                    .bind(position as i64)
                    .bind(&t.title)
                    .bind(&t.area_code)
                    .bind(t.planned_grosze)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(programme_id)
    }

    async fn delete_programme(&self, id: i64) -> Result<()> {
        self.delete_by_id("coop_programmes", id, "program współpracy")
            .await
    }

    async fn list_competitions(&self, q: &CompetitionQuery) -> Result<Page<Competition>> {
        let filter = |qb: &mut QueryBuilder<'_, Postgres>| {
            qb.push(" WHERE 1 = 1");
            if let Some(y) = q.year {
                qb.push(" AND c.announced_on BETWEEN ")
                    .push_bind(year_day(y, 1, 1))
                    .push(" AND ")
                    .push_bind(year_day(y, 12, 31));
            }
        };
        paged(
            &self.pool,
            COMPETITION_SELECT,
            "SELECT COUNT(*) FROM coop_competitions c",
            filter,
            " ORDER BY c.announced_on DESC, c.id DESC",
            q.limit,
            q.offset,
        )
        .await
    }

    async fn get_competition(&self, id: i64) -> Result<Competition> {
        sqlx::query_as(&format!("{COMPETITION_SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("konkurs"))
    }

    async fn save_competition(&self, id: Option<i64>, d: &CompetitionDraft) -> Result<i64> {
        let stamp = now();
        let saved: Option<i64> = match id {
            None => sqlx::query_scalar(
                "INSERT INTO coop_competitions (title, area_code, priority_task_id, grant_call_id, funds_grosze, announced_on,
                 deadline_on, result_on, committee, notes, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(&d.title)
            .bind(&d.area_code)
            .bind(d.priority_task_id)
            .bind(d.grant_call_id)
            .bind(d.funds_grosze)
            .bind(d.announced_on)
            .bind(d.deadline_on)
            .bind(d.result_on)
            .bind(&d.committee)
            .bind(&d.notes)
            .bind(&stamp)
            .bind(&stamp)
            .fetch_optional(&self.pool)
            .await?,
            Some(id) => sqlx::query_scalar(
                "UPDATE coop_competitions SET title = $1, area_code = $2, priority_task_id = $3, grant_call_id = $4, funds_grosze = $5,
                 announced_on = $6, deadline_on = $7, result_on = $8, committee = $9, notes = $10, updated_at = $11 WHERE id = $12 RETURNING id",
            )
            .bind(&d.title)
            .bind(&d.area_code)
            .bind(d.priority_task_id)
            .bind(d.grant_call_id)
            .bind(d.funds_grosze)
            .bind(d.announced_on)
            .bind(d.deadline_on)
            .bind(d.result_on)
            .bind(&d.committee)
            .bind(&d.notes)
            .bind(&stamp)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?,
        };
        saved.ok_or(Error::NotFound("konkurs"))
    }

    async fn delete_competition(&self, id: i64) -> Result<()> {
        self.delete_by_id("coop_competitions", id, "konkurs").await
    }

    async fn list_offers(&self, q: &OfferQuery) -> Result<Page<Offer>> {
        let filter = |qb: &mut QueryBuilder<'_, Postgres>| {
            qb.push(" WHERE 1 = 1");
            if let Some(c) = q.competition_id {
                qb.push(" AND o.competition_id = ").push_bind(c);
            }
            if q.small_grants {
                qb.push(" AND o.competition_id IS NULL");
            }
            if let Some(org) = q.organization_id {
                qb.push(" AND o.organization_id = ").push_bind(org);
            }
            if let Some(y) = q.year {
                let (first, last) = (year_day(y, 1, 1), year_day(y, 12, 31));
                qb.push(" AND ((o.competition_id IS NOT NULL AND c.announced_on BETWEEN ")
                    .push_bind(first)
                    .push(" AND ")
                    .push_bind(last)
                    .push(") OR (o.competition_id IS NULL AND o.submitted_on BETWEEN ")
                    .push_bind(first)
                    .push(" AND ")
                    .push_bind(last)
                    .push("))");
            }
        };
        paged(
            &self.pool,
            OFFER_SELECT,
            "SELECT COUNT(*) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id",
            filter,
            " ORDER BY o.submitted_on DESC, o.id DESC",
            q.limit,
            q.offset,
        )
        .await
    }

    async fn get_offer(&self, id: i64) -> Result<Offer> {
        sqlx::query_as(&format!("{OFFER_SELECT} WHERE o.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("oferta"))
    }

    async fn offer_context(&self, id: Option<i64>, d: &OfferDraft) -> Result<OfferContext> {
        let mut ctx = OfferContext::default();
        if let Some(c) = d.competition_id {
            let funds: Option<i64> =
                sqlx::query_scalar("SELECT funds_grosze FROM coop_competitions WHERE id = $1")
                    .bind(c)
                    .fetch_optional(&self.pool)
                    .await?;
            let Some(funds) = funds else {
                return Err(Error::invalid(
                    "competition_id",
                    "Wybrany konkurs nie istnieje (mógł zostać usunięty).",
                ));
            };
            let others: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(granted_grosze), 0) AS BIGINT) FROM coop_offers WHERE competition_id = $1 AND status = 'granted' AND id IS DISTINCT FROM $2",
            )
            .bind(c)
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            ctx.competition = Some((funds, others));
            return Ok(ctx);
        }
        let year = d.submitted_on.year();
        let (first, last) = (year_day(year as i64, 1, 1), year_day(year as i64, 12, 31));
        let sum = |org: bool| {
            let sql = format!(
                "SELECT CAST(COALESCE(SUM(granted_grosze), 0) AS BIGINT) FROM coop_offers WHERE competition_id IS NULL AND status = 'granted'
                 AND submitted_on BETWEEN $1 AND $2 AND id IS DISTINCT FROM $3{}",
                if org { " AND organization_id = $4" } else { "" }
            );
            async move {
                let q = sqlx::query_scalar::<_, i64>(&sql)
                    .bind(first)
                    .bind(last)
                    .bind(id);
                let q = if org { q.bind(d.organization_id) } else { q };
                q.fetch_one(&self.pool).await
            }
        };
        ctx.organization_small_grants_grosze = sum(true).await?;
        ctx.year_small_grants_grosze = sum(false).await?;
        ctx.year_planned_grosze = sqlx::query_scalar(
            "SELECT CAST(SUM(t.planned_grosze) AS BIGINT) FROM coop_priority_tasks t JOIN coop_programmes p ON p.id = t.programme_id WHERE p.year = $1",
        )
        .bind(year as i64)
        .fetch_one(&self.pool)
        .await?;
        Ok(ctx)
    }

    async fn save_offer(&self, id: Option<i64>, d: &OfferDraft) -> Result<i64> {
        let org: Option<i64> = sqlx::query_scalar("SELECT id FROM organizations WHERE id = $1")
            .bind(d.organization_id)
            .fetch_optional(&self.pool)
            .await?;
        if org.is_none() {
            return Err(Error::invalid(
                "organization_id",
                "Wybrana organizacja nie istnieje w rejestrze.",
            ));
        }
        let stamp = now();
        let sql = match id {
            None => "INSERT INTO coop_offers (competition_id, organization_id, title, area_code, submitted_on, requested_grosze,
                 status, rejection_reason, score, granted_grosze, published_on, period_from, period_until, contract_number,
                 contract_signed_on, settlement, returned_grosze, settled_on, notes, updated_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id",
            Some(_) => "UPDATE coop_offers SET competition_id = $1, organization_id = $2, title = $3, area_code = $4, submitted_on = $5,
                 requested_grosze = $6, status = $7, rejection_reason = $8, score = $9, granted_grosze = $10, published_on = $11,
                 period_from = $12, period_until = $13, contract_number = $14, contract_signed_on = $15, settlement = $16,
                 returned_grosze = $17, settled_on = $18, notes = $19, updated_at = $20 WHERE id = $21 RETURNING id",
        };
        let q = sqlx::query_scalar(sql)
            .bind(d.competition_id)
            .bind(d.organization_id)
            .bind(&d.title)
            .bind(&d.area_code)
            .bind(d.submitted_on)
            .bind(d.requested_grosze)
            .bind(&d.status)
            .bind(&d.rejection_reason)
            .bind(d.score)
            .bind(d.granted_grosze)
            .bind(d.published_on)
            .bind(d.period_from)
            .bind(d.period_until)
            .bind(&d.contract_number)
            .bind(d.contract_signed_on)
            .bind(&d.settlement)
            .bind(d.returned_grosze)
            .bind(d.settled_on)
            .bind(&d.notes)
            .bind(&stamp);
        let q = match id {
            None => q.bind(&stamp),
            Some(id) => q.bind(id),
        };
        let saved: Option<i64> = q.fetch_optional(&self.pool).await?;
        saved.ok_or(Error::NotFound("oferta"))
    }

    async fn delete_offer(&self, id: i64) -> Result<()> {
        self.delete_by_id("coop_offers", id, "oferta").await
    }

    async fn list_act_consultations(
        &self,
        q: &ActConsultationQuery,
    ) -> Result<Page<ActConsultation>> {
        let filter = |qb: &mut QueryBuilder<'_, Postgres>| {
            qb.push(" WHERE 1 = 1");
            if let Some(y) = q.year {
                qb.push(" AND c.starts_on BETWEEN ")
                    .push_bind(year_day(y, 1, 1))
                    .push(" AND ")
                    .push_bind(year_day(y, 12, 31));
            }
        };
        paged(
            &self.pool,
            ACT_CONSULTATION_SELECT,
            "SELECT COUNT(*) FROM coop_act_consultations c",
            filter,
            " ORDER BY c.starts_on DESC, c.id DESC",
            q.limit,
            q.offset,
        )
        .await
    }

    async fn get_act_consultation(&self, id: i64) -> Result<ActConsultation> {
        sqlx::query_as(&format!("{ACT_CONSULTATION_SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("konsultacje projektu aktu"))
    }

    async fn save_act_consultation(
        &self,
        id: Option<i64>,
        d: &ActConsultationDraft,
    ) -> Result<i64> {
        let stamp = now();
        let sql = match id {
            None => "INSERT INTO coop_act_consultations (title, act_kind, ordinance, starts_on, ends_on, forms, announced_where,
                 outcome, updated_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            Some(_) => "UPDATE coop_act_consultations SET title = $1, act_kind = $2, ordinance = $3, starts_on = $4, ends_on = $5,
                 forms = $6, announced_where = $7, outcome = $8, updated_at = $9 WHERE id = $10 RETURNING id",
        };
        let q = sqlx::query_scalar(sql)
            .bind(&d.title)
            .bind(&d.act_kind)
            .bind(&d.ordinance)
            .bind(d.starts_on)
            .bind(d.ends_on)
            .bind(&d.forms)
            .bind(&d.announced_where)
            .bind(&d.outcome)
            .bind(&stamp);
        let q = match id {
            None => q.bind(&stamp),
            Some(id) => q.bind(id),
        };
        let saved: Option<i64> = q.fetch_optional(&self.pool).await?;
        saved.ok_or(Error::NotFound("konsultacje projektu aktu"))
    }

    async fn delete_act_consultation(&self, id: i64) -> Result<()> {
        self.delete_by_id("coop_act_consultations", id, "konsultacje projektu aktu")
            .await
    }

    async fn opinions(&self, consultation_id: i64) -> Result<Vec<Opinion>> {
        Ok(sqlx::query_as(&format!(
            "{OPINION_SELECT} WHERE consultation_id = $1 ORDER BY received_on, id LIMIT 10000"
        ))
        .bind(consultation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn save_opinion(&self, id: Option<i64>, d: &OpinionDraft) -> Result<i64> {
        let author = match d.organization_id {
            Some(org) => sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
                .bind(org)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| {
                    Error::invalid(
                        "organization_id",
                        "Wybrana organizacja nie istnieje w rejestrze.",
                    )
                })?,
            None => d.author.clone().unwrap_or_default(),
        };
        let stamp = now();
        let sql = match id {
            None => "INSERT INTO coop_opinions (consultation_id, organization_id, author, received_on, section, comment, handling,
                 reason, updated_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            Some(_) => "UPDATE coop_opinions SET consultation_id = $1, organization_id = $2, author = $3, received_on = $4, section = $5,
                 comment = $6, handling = $7, reason = $8, updated_at = $9 WHERE id = $10 RETURNING id",
        };
        let q = sqlx::query_scalar(sql)
            .bind(d.consultation_id)
            .bind(d.organization_id)
            .bind(&author)
            .bind(d.received_on)
            .bind(&d.section)
            .bind(&d.comment)
            .bind(&d.handling)
            .bind(&d.reason)
            .bind(&stamp);
        let q = match id {
            None => q.bind(&stamp),
            Some(id) => q.bind(id),
        };
        let saved: Option<i64> = q.fetch_optional(&self.pool).await.map_err(|e| {
            if matches!(&e, sqlx::Error::Database(d) if d.is_foreign_key_violation()) {
                Error::NotFound("konsultacje projektu aktu")
            } else {
                e.into()
            }
        })?;
        saved.ok_or(Error::NotFound("uwaga"))
    }

    async fn delete_opinion(&self, id: i64) -> Result<()> {
        self.delete_by_id("coop_opinions", id, "uwaga").await
    }

    async fn set_consultation_notice(&self, id: i64, message_id: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE coop_act_consultations SET notice_message_id = $1, updated_at = $2 WHERE id = $3",
        )
        .bind(message_id)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("konsultacje projektu aktu"));
        }
        Ok(())
    }

    async fn list_teams(&self, q: &TeamQuery) -> Result<Page<Team>> {
        let filter = |qb: &mut QueryBuilder<'_, Postgres>| {
            qb.push(" WHERE 1 = 1");
            if let Some((first, last)) = q.year.and_then(year_span) {
                qb.push(" AND t.starts_on <= ")
                    .push_bind(last)
                    .push(" AND (t.ends_on IS NULL OR t.ends_on >= ")
                    .push_bind(first)
                    .push(")");
            }
        };
        paged(
            &self.pool,
            TEAM_SELECT,
            "SELECT COUNT(*) FROM coop_teams t",
            filter,
            " ORDER BY t.starts_on DESC, t.id DESC",
            q.limit,
            q.offset,
        )
        .await
    }

    async fn get_team(&self, id: i64) -> Result<Team> {
        let mut team: Team = sqlx::query_as(&format!("{TEAM_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("zespół"))?;
        team.members = sqlx::query_as(&format!(
            "{MEMBER_SELECT} WHERE team_id = $1 ORDER BY position, id"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(team)
    }

    async fn save_team(&self, id: Option<i64>, d: &TeamDraft) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let stamp = now();
        let sql = match id {
            None => "INSERT INTO coop_teams (name, kind, appointed_by, purpose, starts_on, ends_on, updated_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            Some(_) => "UPDATE coop_teams SET name = $1, kind = $2, appointed_by = $3, purpose = $4, starts_on = $5, ends_on = $6,
                 updated_at = $7 WHERE id = $8 RETURNING id",
        };
        let q = sqlx::query_scalar(sql)
            .bind(&d.name)
            .bind(&d.kind)
            .bind(&d.appointed_by)
            .bind(&d.purpose)
            .bind(d.starts_on)
            .bind(d.ends_on)
            .bind(&stamp);
        let q = match id {
            None => q.bind(&stamp),
            Some(id) => q.bind(id),
        };
        let team_id: i64 = q
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("zespół"))?;
        sqlx::query("DELETE FROM coop_team_members WHERE team_id = $1")
            .bind(team_id)
            .execute(&mut *tx)
            .await?;
        for (i, m) in d.members.iter().enumerate() {
            let name = match m.organization_id {
                Some(org) => sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
                    .bind(org)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| {
                        Error::invalid(
                            &format!("members.{i}.name"),
                            "Wybrana organizacja nie istnieje w rejestrze.",
                        )
                    })?,
                None => m.name.clone().unwrap_or_default(),
            };
            sqlx::query(
                "INSERT INTO coop_team_members (team_id, organization_id, name, representative, role, position)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(team_id)
            .bind(m.organization_id)
            .bind(&name)
            .bind(&m.representative)
            .bind(&m.role)
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(team_id)
    }

    async fn delete_team(&self, id: i64) -> Result<()> {
        self.delete_by_id("coop_teams", id, "zespół").await
    }

    async fn meetings(&self, team_id: i64) -> Result<Vec<Meeting>> {
        Ok(sqlx::query_as(&format!(
            "{MEETING_SELECT} WHERE team_id = $1 ORDER BY held_on DESC, id DESC LIMIT 1000"
        ))
        .bind(team_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn save_meeting(&self, id: Option<i64>, d: &MeetingDraft) -> Result<i64> {
        let stamp = now();
        let sql = match id {
            None => "INSERT INTO coop_team_meetings (team_id, held_on, place, attendance, minutes, updated_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            Some(_) => "UPDATE coop_team_meetings SET team_id = $1, held_on = $2, place = $3, attendance = $4, minutes = $5,
                 updated_at = $6 WHERE id = $7 RETURNING id",
        };
        let q = sqlx::query_scalar(sql)
            .bind(d.team_id)
            .bind(d.held_on)
            .bind(&d.place)
            .bind(d.attendance)
            .bind(&d.minutes)
            .bind(&stamp);
        let q = match id {
            None => q.bind(&stamp),
            Some(id) => q.bind(id),
        };
        let saved: Option<i64> = q.fetch_optional(&self.pool).await.map_err(|e| {
            if matches!(&e, sqlx::Error::Database(d) if d.is_foreign_key_violation()) {
                Error::NotFound("zespół")
            } else {
                e.into()
            }
        })?;
        saved.ok_or(Error::NotFound("posiedzenie"))
    }

    async fn delete_meeting(&self, id: i64) -> Result<()> {
        self.delete_by_id("coop_team_meetings", id, "posiedzenie")
            .await
    }

    async fn list_activities(&self, q: &ActivityQuery) -> Result<Page<Activity>> {
        let filter = |qb: &mut QueryBuilder<'_, Postgres>| {
            qb.push(" WHERE 1 = 1");
            if let Some((first, last)) = q.year.and_then(year_span) {
                qb.push(" AND a.held_on BETWEEN ")
                    .push_bind(first)
                    .push(" AND ")
                    .push_bind(last);
            }
            if let Some(kind) = &q.kind {
                qb.push(" AND a.kind = ").push_bind(kind.clone());
            }
        };
        paged(
            &self.pool,
            ACTIVITY_SELECT,
            "SELECT COUNT(*) FROM coop_activities a",
            filter,
            " ORDER BY a.held_on DESC, a.id DESC",
            q.limit,
            q.offset,
        )
        .await
    }

    async fn save_activity(&self, id: Option<i64>, d: &ActivityDraft) -> Result<i64> {
        let stamp = now();
        let sql = match id {
            None => "INSERT INTO coop_activities (kind, held_on, organization_id, title, notes, updated_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            Some(_) => "UPDATE coop_activities SET kind = $1, held_on = $2, organization_id = $3, title = $4, notes = $5,
                 updated_at = $6 WHERE id = $7 RETURNING id",
        };
        let q = sqlx::query_scalar(sql)
            .bind(&d.kind)
            .bind(d.held_on)
            .bind(d.organization_id)
            .bind(&d.title)
            .bind(&d.notes)
            .bind(&stamp);
        let q = match id {
            None => q.bind(&stamp),
            Some(id) => q.bind(id),
        };
        let saved: Option<i64> = q.fetch_optional(&self.pool).await.map_err(|e| {
            if matches!(&e, sqlx::Error::Database(d) if d.is_foreign_key_violation()) {
                Error::invalid(
                    "organization_id",
                    "Wybrana organizacja nie istnieje w rejestrze.",
                )
            } else {
                e.into()
            }
        })?;
        saved.ok_or(Error::NotFound("wpis współpracy"))
    }

    async fn delete_activity(&self, id: i64) -> Result<()> {
        self.delete_by_id("coop_activities", id, "wpis współpracy")
            .await
    }

    async fn organization_cooperation(
        &self,
        organization_id: i64,
    ) -> Result<OrganizationCooperation> {
        Ok(OrganizationCooperation {
            opinions: sqlx::query_as(&organization_opinions_sql("$1"))
                .bind(organization_id)
                .fetch_all(&self.pool)
                .await?,
            teams: sqlx::query_as(&organization_teams_sql("$1"))
                .bind(organization_id)
                .fetch_all(&self.pool)
                .await?,
            activities: sqlx::query_as(&organization_activities_sql("$1"))
                .bind(organization_id)
                .fetch_all(&self.pool)
                .await?,
        })
    }

    async fn cooperation_figures(&self, year: i32) -> Result<CooperationFigures> {
        Ok(sqlx::query_as(&figures_sql(year))
            .fetch_one(&self.pool)
            .await?)
    }

    async fn granted_by_task(&self, year: i32) -> Result<Vec<(String, i64, i64)>> {
        Ok(sqlx::query_as(&granted_by_task_sql(year))
            .fetch_all(&self.pool)
            .await?)
    }

    async fn granted_by_area(&self, year: i32) -> Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(&granted_by_area_sql(year))
            .fetch_all(&self.pool)
            .await?)
    }
}

/// A day of a year given as a number (the filters' years come from the window).
fn year_day(year: i64, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year.clamp(1, 9999) as i32, month, day).unwrap_or(NaiveDate::MIN)
}

/// A year's first and last day; none for a year no calendar has.
fn year_span(year: i64) -> Option<(NaiveDate, NaiveDate)> {
    let year = i32::try_from(year).ok()?;
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

/// One page of a list and the count of all: the list's SELECT and its `count_from` (`SELECT
/// COUNT(*) FROM …`) take the same WHERE from `filter`; the page is ordered by `order`.
async fn paged<T>(
    pool: &PgPool,
    select: &str,
    count_from: &str,
    filter: impl Fn(&mut QueryBuilder<'_, Postgres>),
    order: &str,
    limit: u32,
    offset: u32,
) -> Result<Page<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(select);
    filter(&mut qb);
    qb.push(order)
        .push(" LIMIT ")
        .push_bind(i64::from(limit.clamp(1, MAX_PAGE)))
        .push(" OFFSET ")
        .push_bind(i64::from(offset));
    let items = qb.build_query_as().fetch_all(pool).await?;
    let mut count: QueryBuilder<Postgres> = QueryBuilder::new(count_from);
    filter(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
    Ok(Page {
        items,
        total: total as u64,
        offset,
    })
}
