//! PostgreSQL: free legal aid points, lists, cards and opinions, mirroring
//! `store/sqlite/legal_aid.rs`; office staff are refused writing cards as they are advice records.

use super::PgStore;
use crate::advice::AdviceDraft;
use crate::error::{Error, Result};
use crate::legal_aid::*;
use crate::register::Page;
use crate::store::LegalAidStore;
use chrono::NaiveDate;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};

const CARD_FACTS: &str = "SELECT c.advice_id, c.aid_type, c.point_id, c.profession, c.form, c.remote, c.area, a.minutes, c.visits,
    c.statement_signed, c.business_statement_signed, c.no_statement_reason
    FROM legal_aid_cards c JOIN advice_records a ON a.id = c.advice_id";

fn push_period(
    qb: &mut QueryBuilder<'_, Postgres>,
    column: &str,
    point_column: &str,
    point_id: Option<i64>,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
) {
    qb.push(" WHERE 1 = 1");
    if let Some(p) = point_id {
        qb.push(format!(" AND {point_column} = ")).push_bind(p);
    }
    if let Some(f) = from {
        qb.push(format!(" AND {column} >= ")).push_bind(f);
    }
    if let Some(t) = to {
        qb.push(format!(" AND {column} <= ")).push_bind(t);
    }
}

impl PgStore {
    async fn write_card_in(
        tx: &mut PgConnection,
        advice_id: i64,
        c: &LegalAidCardDraft,
    ) -> Result<()> {
        sqlx::query("DELETE FROM legal_aid_cards WHERE advice_id = $1")
            .bind(advice_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO legal_aid_cards (advice_id, aid_type, point_id, provider, profession, form, remote, area, visits,
             statement_signed, statement_on, sole_trader, business_statement_signed, no_statement_reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(advice_id)
        .bind(c.aid_type.code())
        .bind(c.point_id)
        .bind(&c.provider)
        .bind(&c.profession)
        .bind(&c.form)
        .bind(c.remote)
        .bind(&c.area)
        .bind(c.visits)
        .bind(c.statement_signed)
        .bind(c.statement_on)
        .bind(c.sole_trader)
        .bind(c.business_statement_signed)
        .bind(&c.no_statement_reason)
        .execute(&mut *tx)
        .await?;
        for code in &c.help_kinds {
            sqlx::query("INSERT INTO legal_aid_card_help (advice_id, code) VALUES ($1, $2)")
                .bind(advice_id)
                .bind(code)
                .execute(&mut *tx)
                .await?;
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl LegalAidStore for PgStore {
    async fn legal_aid_points(&self) -> Result<Vec<LegalAidPoint>> {
        Ok(sqlx::query_as(
            "SELECT id, number, name, address, powiat, active FROM legal_aid_points ORDER BY active DESC, number",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn save_legal_aid_point(&self, id: Option<i64>, d: &LegalAidPointDraft) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM legal_aid_points WHERE number = $1 AND id IS DISTINCT FROM $2",
        )
        .bind(&d.number)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Err(Error::invalid("number", "Punkt o tym numerze już jest."));
        }
        let id = match id {
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE legal_aid_points SET number = $1, name = $2, address = $3, powiat = $4, active = $5 WHERE id = $6",
                )
                .bind(&d.number)
                .bind(&d.name)
                .bind(&d.address)
                .bind(&d.powiat)
                .bind(d.active)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(Error::NotFound("punkt"));
                }
                id
            }
            None => sqlx::query_scalar(
                "INSERT INTO legal_aid_points (number, name, address, powiat, active) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(&d.number)
            .bind(&d.name)
            .bind(&d.address)
            .bind(&d.powiat)
            .bind(d.active)
            .fetch_one(&mut *tx)
            .await?,
        };
        tx.commit().await?;
        Ok(id)
    }

    async fn legal_aid_lists(&self) -> Result<Vec<ListEntry>> {
        Ok(sqlx::query_as(
            "SELECT kind, code, name, position, active, remote FROM legal_aid_list_entries ORDER BY kind, position, code",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn seed_legal_aid_lists(&self, entries: &[ListEntry]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for e in entries {
            sqlx::query(
                "INSERT INTO legal_aid_list_entries (kind, code, name, position, active, remote) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (kind, code) DO NOTHING",
            )
            .bind(&e.kind)
            .bind(&e.code)
            .bind(&e.name)
            .bind(e.position)
            .bind(e.active)
            .bind(e.remote)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn save_legal_aid_list_entry(&self, e: &ListEntry) -> Result<()> {
        sqlx::query(
            "INSERT INTO legal_aid_list_entries (kind, code, name, position, active, remote)
             VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 10 FROM legal_aid_list_entries WHERE kind = $4), $5, $6)
             ON CONFLICT (kind, code) DO UPDATE SET name = excluded.name, active = excluded.active, remote = excluded.remote",
        )
        .bind(&e.kind)
        .bind(&e.code)
        .bind(&e.name)
        .bind(&e.kind)
        .bind(e.active)
        .bind(e.remote)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn insert_legal_aid_help(
        &self,
        advice: &AdviceDraft,
        card: &LegalAidCardDraft,
    ) -> Result<i64> {
        self.refuse_staff_advice_write()?;
        let mut tx = self.pool.begin().await?;
        let advice = super::advice::with_client_code(&mut tx, advice).await?;
        let id = Self::insert_advice_in(&mut tx, &advice).await?;
        Self::write_card_in(&mut tx, id, card).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_legal_aid_help(
        &self,
        id: i64,
        advice: &AdviceDraft,
        card: &LegalAidCardDraft,
        author: &str,
        expected_revision: Option<i64>,
    ) -> Result<()> {
        self.refuse_staff_advice_write()?;
        let mut tx = self.pool.begin().await?;
        Self::update_advice_in(&mut tx, id, advice, author, expected_revision).await?;
        Self::write_card_in(&mut tx, id, card).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_legal_aid_many(
        &self,
        items: &[(AdviceDraft, LegalAidCardDraft)],
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for (advice, card) in items {
            let advice = super::advice::with_client_code(&mut tx, advice).await?;
            let id = Self::insert_advice_in(&mut tx, &advice).await?;
            Self::write_card_in(&mut tx, id, card).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn legal_aid_card(&self, advice_id: i64) -> Result<Option<LegalAidCard>> {
        let Some(r) = sqlx::query(
            "SELECT c.*, p.number AS point_number, p.name AS point_name, p.address AS point_address, p.powiat,
                    a.given_on, a.minutes, a.client_code, a.age_band, a.sex, a.residence, a.description
             FROM legal_aid_cards c JOIN legal_aid_points p ON p.id = c.point_id JOIN advice_records a ON a.id = c.advice_id
             WHERE c.advice_id = $1",
        )
        .bind(advice_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let help_kinds: Vec<String> = sqlx::query_scalar(
            "SELECT h.code FROM legal_aid_card_help h LEFT JOIN legal_aid_list_entries e ON e.kind = 'help' AND e.code = h.code
             WHERE h.advice_id = $1 ORDER BY e.position, h.code",
        )
        .bind(advice_id)
        .fetch_all(&self.pool)
        .await?;
        let aid_type: String = r.get("aid_type");
        Ok(Some(LegalAidCard {
            advice_id,
            aid_type: AidType::from_code(&aid_type).unwrap_or(AidType::Npp),
            point_id: r.get("point_id"),
            point_number: r.get("point_number"),
            point_name: r.get("point_name"),
            point_address: r.get("point_address"),
            powiat: r.get("powiat"),
            provider: r.get("provider"),
            profession: r.get("profession"),
            form: r.get("form"),
            remote: r.get("remote"),
            help_kinds,
            area: r.get("area"),
            visits: r.get("visits"),
            statement_signed: r.get("statement_signed"),
            statement_on: r.get("statement_on"),
            sole_trader: r.get("sole_trader"),
            business_statement_signed: r.get("business_statement_signed"),
            no_statement_reason: r.get("no_statement_reason"),
            given_on: r.get("given_on"),
            minutes: r.get("minutes"),
            client_code: r.get("client_code"),
            age_band: r.get("age_band"),
            sex: r.get("sex"),
            residence: r.get("residence"),
            description: r.get("description"),
        }))
    }

    async fn delete_legal_aid_card(&self, advice_id: i64) -> Result<()> {
        self.refuse_staff_advice_write()?;
        let done = sqlx::query("DELETE FROM legal_aid_cards WHERE advice_id = $1")
            .bind(advice_id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("karta pomocy"));
        }
        Ok(())
    }

    async fn list_legal_aid_cards(
        &self,
        point_id: Option<i64>,
        period: (Option<NaiveDate>, Option<NaiveDate>),
        offset: u32,
        limit: u32,
    ) -> Result<Page<CardRow>> {
        let mut count = QueryBuilder::<Postgres>::new(
            "SELECT COUNT(*) FROM legal_aid_cards c JOIN advice_records a ON a.id = c.advice_id",
        );
        push_period(&mut count, "a.given_on", "c.point_id", point_id, period);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        let mut qb = QueryBuilder::<Postgres>::new(
            "SELECT c.advice_id, a.given_on, p.number AS point_number, c.aid_type, c.area, c.form, c.provider, a.client_code, a.minutes
             FROM legal_aid_cards c JOIN advice_records a ON a.id = c.advice_id JOIN legal_aid_points p ON p.id = c.point_id",
        );
        push_period(&mut qb, "a.given_on", "c.point_id", point_id, period);
        qb.push(" ORDER BY a.given_on DESC, c.advice_id DESC LIMIT ")
            .push_bind(limit as i64)
            .push(" OFFSET ")
            .push_bind(offset as i64);
        let items = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset,
        })
    }

    async fn legal_aid_card_facts(
        &self,
        point_id: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<CardFacts>, Vec<(i64, String)>)> {
        let period = (Some(from), Some(to));
        let mut qb = QueryBuilder::<Postgres>::new(CARD_FACTS);
        push_period(&mut qb, "a.given_on", "c.point_id", point_id, period);
        let facts: Vec<CardFacts> = qb.build_query_as().fetch_all(&self.pool).await?;
        let mut qb = QueryBuilder::<Postgres>::new(
            "SELECT h.advice_id, h.code FROM legal_aid_card_help h JOIN legal_aid_cards c ON c.advice_id = h.advice_id
             JOIN advice_records a ON a.id = c.advice_id",
        );
        push_period(&mut qb, "a.given_on", "c.point_id", point_id, period);
        let kinds: Vec<(i64, String)> = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok((facts, kinds))
    }

    async fn insert_legal_aid_opinions(&self, drafts: &[OpinionDraft]) -> Result<Vec<i64>> {
        let mut tx = self.pool.begin().await?;
        let stamp = crate::store::sqlite::now();
        let mut ids = Vec::with_capacity(drafts.len());
        for d in drafts {
            ids.push(
                sqlx::query_scalar(
                    "INSERT INTO legal_aid_opinions (point_id, filled_on, rating, understandable, helpful, would_recommend, remarks, typed_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(d.point_id)
                .bind(d.filled_on)
                .bind(d.rating)
                .bind(&d.understandable)
                .bind(&d.helpful)
                .bind(&d.would_recommend)
                .bind(&d.remarks)
                .bind(&stamp)
                .fetch_one(&mut *tx)
                .await?,
            );
        }
        tx.commit().await?;
        Ok(ids)
    }

    async fn list_legal_aid_opinions(
        &self,
        point_id: Option<i64>,
        period: (Option<NaiveDate>, Option<NaiveDate>),
        offset: u32,
        limit: u32,
    ) -> Result<Page<Opinion>> {
        let mut count = QueryBuilder::<Postgres>::new("SELECT COUNT(*) FROM legal_aid_opinions o");
        push_period(&mut count, "o.filled_on", "o.point_id", point_id, period);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        let mut qb = QueryBuilder::<Postgres>::new(
            "SELECT o.id, o.point_id, p.number AS point_number, o.filled_on, o.rating, o.understandable, o.helpful, o.would_recommend, o.remarks
             FROM legal_aid_opinions o JOIN legal_aid_points p ON p.id = o.point_id",
        );
        push_period(&mut qb, "o.filled_on", "o.point_id", point_id, period);
        qb.push(" ORDER BY o.filled_on DESC, o.id DESC LIMIT ")
            .push_bind(limit as i64)
            .push(" OFFSET ")
            .push_bind(offset as i64);
        let items = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset,
        })
    }

    async fn delete_legal_aid_opinion(&self, id: i64) -> Result<()> {
        self.delete_by_id("legal_aid_opinions", id, "opinia").await
    }
}

#[async_trait::async_trait]
impl crate::store::LegalAidScheduleStore for PgStore {
    async fn legal_aid_duty_hours(&self, point_id: Option<i64>) -> Result<Vec<DutyHour>> {
        Ok(sqlx::query_as(
            "SELECT id, point_id, weekday, starts, ends, on_duty FROM legal_aid_duty_hours
             WHERE $1::BIGINT IS NULL OR point_id = $2 ORDER BY point_id, weekday, starts",
        )
        .bind(point_id)
        .bind(point_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn save_legal_aid_duty_hour(&self, id: Option<i64>, d: &DutyHourDraft) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = match id {
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE legal_aid_duty_hours SET point_id = $1, weekday = $2, starts = $3, ends = $4, on_duty = $5 WHERE id = $6",
                )
                .bind(d.point_id)
                .bind(d.weekday)
                .bind(&d.starts)
                .bind(&d.ends)
                .bind(&d.on_duty)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(Error::NotFound("dyżur"));
                }
                id
            }
            None => sqlx::query_scalar(
                "INSERT INTO legal_aid_duty_hours (point_id, weekday, starts, ends, on_duty) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(d.point_id)
            .bind(d.weekday)
            .bind(&d.starts)
            .bind(&d.ends)
            .bind(&d.on_duty)
            .fetch_one(&mut *tx)
            .await?,
        };
        tx.commit().await?;
        Ok(id)
    }

    async fn delete_legal_aid_duty_hour(&self, id: i64) -> Result<()> {
        self.delete_by_id("legal_aid_duty_hours", id, "dyżur").await
    }

    async fn legal_aid_appointments(
        &self,
        point_id: i64,
        day: NaiveDate,
    ) -> Result<Vec<Appointment>> {
        Ok(sqlx::query_as(
            "SELECT id, point_id, on_day, starts, minutes, client_name, phone, out_of_turn, remote, note
             FROM legal_aid_appointments WHERE point_id = $1 AND on_day = $2 ORDER BY starts, out_of_turn DESC, id",
        )
        .bind(point_id)
        .bind(day)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn save_legal_aid_appointment(
        &self,
        id: Option<i64>,
        d: &AppointmentDraft,
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        // Two PCs booking the same point at once wait for each other here.
        sqlx::query("SELECT id FROM legal_aid_points WHERE id = $1 FOR UPDATE")
            .bind(d.point_id)
            .execute(&mut *tx)
            .await?;
        let same_day: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT id, starts, minutes FROM legal_aid_appointments WHERE point_id = $1 AND on_day = $2",
        )
        .bind(d.point_id)
        .bind(d.on_day)
        .fetch_all(&mut *tx)
        .await?;
        if let Some((_, starts, _)) = same_day
            .iter()
            .find(|(other, s, m)| Some(*other) != id && overlaps(&d.starts, d.minutes, s, *m))
        {
            return Err(Error::invalid(
                "starts",
                format!("Ten czas jest już zajęty (wizyta o {starts}): wybierz wolną godzinę."),
            ));
        }
        let id = match id {
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE legal_aid_appointments SET point_id = $1, on_day = $2, starts = $3, minutes = $4, client_name = $5, phone = $6,
                     out_of_turn = $7, remote = $8, note = $9 WHERE id = $10",
                )
                .bind(d.point_id)
                .bind(d.on_day)
                .bind(&d.starts)
                .bind(d.minutes)
                .bind(&d.client_name)
                .bind(&d.phone)
                .bind(d.out_of_turn)
                .bind(d.remote)
                .bind(&d.note)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(Error::NotFound("wizyta"));
                }
                id
            }
            None => sqlx::query_scalar(
                "INSERT INTO legal_aid_appointments (point_id, on_day, starts, minutes, client_name, phone, out_of_turn, remote, note, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(d.point_id)
            .bind(d.on_day)
            .bind(&d.starts)
            .bind(d.minutes)
            .bind(&d.client_name)
            .bind(&d.phone)
            .bind(d.out_of_turn)
            .bind(d.remote)
            .bind(&d.note)
            .bind(crate::store::sqlite::now())
            .fetch_one(&mut *tx)
            .await?,
        };
        tx.commit().await?;
        Ok(id)
    }

    async fn delete_legal_aid_appointment(&self, id: i64) -> Result<()> {
        self.delete_by_id("legal_aid_appointments", id, "wizyta")
            .await
    }

    async fn remove_legal_aid_appointments_before(&self, day: NaiveDate) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM legal_aid_appointments WHERE on_day < $1")
                .bind(day)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}
