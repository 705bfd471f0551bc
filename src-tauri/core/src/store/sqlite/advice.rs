//! SQLite: advice records, categories and anonymous client codes.

use super::*;
use crate::advice::{AdviceCategory, AdviceDraft, AdviceQuery, AdviceRecord, AdviceRow};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

#[async_trait::async_trait]
impl AdviceStore for SqliteStore {
    // ----- advice ---------------------------------------------------------------------------

    async fn advice_categories(&self) -> Result<Vec<AdviceCategory>> {
        Ok(sqlx::query_as("SELECT code, parent, name, position, active FROM advice_categories ORDER BY position, code")
            .fetch_all(&self.pool)
            .await?)
    }

    async fn insert_advice_many(&self, drafts: &[AdviceDraft]) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for d in drafts {
            Self::insert_advice_in(&mut tx, d).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_advice(&self, d: &AdviceDraft) -> Result<i64> {
        // BEGIN IMMEDIATE holds the write lock from the first read, so the next client code read
        // here is still free when the record is inserted, whatever other processes do.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let d = Self::with_client_code(&mut tx, d).await?;
        let id = Self::insert_advice_in(&mut tx, &d).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_advice(
        &self,
        id: i64,
        d: &AdviceDraft,
        author: &str,
        expected_revision: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Self::update_advice_in(&mut tx, id, d, author, expected_revision).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_advice(&self, id: i64) -> Result<()> {
        self.delete_by_id("advice_records", id, "porada").await
    }

    async fn get_advice(&self, id: i64) -> Result<AdviceRecord> {
        let r = sqlx::query(
            "SELECT a.*, CASE WHEN p.id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS person_name
             FROM advice_records a LEFT JOIN people p ON p.id = a.person_id WHERE a.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound("porada"))?;
        let categories: Vec<String> = sqlx::query_scalar(
            "SELECT rc.category_code FROM advice_record_categories rc JOIN advice_categories c ON c.code = rc.category_code
             WHERE rc.advice_id = ? ORDER BY c.position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let earlier_advice: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM advice_records a JOIN advice_records b ON {EARLIER_ADVICE_WHERE} WHERE a.id = ?"))
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        let returning_marked: bool = r.get("returning_client");
        Ok(AdviceRecord {
            id,
            given_on: r.get("given_on"),
            advisor: r.get("advisor"),
            person_id: r.get("person_id"),
            person_name: r.get("person_name"),
            client_code: r.get("client_code"),
            age_band: r.get("age_band"),
            sex: r.get("sex"),
            residence: r.get("residence"),
            returning: crate::advice::is_returning(returning_marked, earlier_advice),
            returning_marked,
            earlier_advice,
            channel: r.get("channel"),
            minutes: r.get("minutes"),
            categories,
            description: r.get("description"),
            outcome: r.get("outcome"),
            follow_up_on: r.get("follow_up_on"),
            follow_up_done: r.get("follow_up_done"),
            created_at: r.get("created_at"),
            updated_at: r.get("updated_at"),
            revision: r.get("revision"),
            changed_by: r.get("changed_by"),
        })
    }

    async fn list_advice(
        &self,
        q: &AdviceQuery,
        range: (Option<NaiveDate>, Option<NaiveDate>),
        today: NaiveDate,
    ) -> Result<Page<AdviceRow>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT a.id, a.given_on,
             COALESCE(p.last_name || ' ' || p.first_name, a.client_code, '') AS client,
             COALESCE((SELECT group_concat(c.name, ', ') FROM advice_record_categories rc JOIN advice_categories c ON c.code = rc.category_code
                       WHERE rc.advice_id = a.id), '') AS categories,
             a.advisor, a.channel, a.follow_up_on, a.follow_up_done
             FROM advice_records a LEFT JOIN people p ON p.id = a.person_id",
        );
        Self::push_advice_filters(&mut qb, q, range, today);
        let order = if q.follow_ups_due {
            " ORDER BY a.follow_up_on ASC, a.id ASC"
        } else {
            " ORDER BY a.given_on DESC, a.id DESC"
        };
        qb.push(order)
            .push(" LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let items = qb
            .build_query_as::<AdviceRow>()
            .fetch_all(&self.pool)
            .await?;
        let mut count: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT COUNT(*) FROM advice_records a");
        Self::push_advice_filters(&mut count, q, range, today);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }
}

impl SqliteStore {
    /// The next free anonymous client code of `year` (K-2026-0001), read on the write's own
    /// transaction.
    pub(crate) async fn next_client_code_in(
        conn: &mut SqliteConnection,
        year: i32,
    ) -> Result<String> {
        let prefix = format!("K-{year}-");
        let codes: Vec<String> =
            sqlx::query_scalar("SELECT client_code FROM advice_records WHERE client_code LIKE ?")
                .bind(format!("{prefix}%"))
                .fetch_all(&mut *conn)
                .await?;
        let last = codes
            .iter()
            .filter_map(|c| c.strip_prefix(&prefix)?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        Ok(format!("{prefix}{:04}", last + 1))
    }

    /// The draft as saved: an anonymous client without a code gets the next free one.
    pub(crate) async fn with_client_code(
        conn: &mut SqliteConnection,
        d: &AdviceDraft,
    ) -> Result<AdviceDraft> {
        let mut d = d.clone();
        if d.person_id.is_none() && d.client_code.is_none() {
            let year = chrono::Datelike::year(&d.given_on);
            d.client_code = Some(Self::next_client_code_in(conn, year).await?);
        }
        Ok(d)
    }

    /// Changes an advice record on the caller's transaction (see `update_advice`).
    pub(crate) async fn update_advice_in(
        tx: &mut SqliteConnection,
        id: i64,
        d: &AdviceDraft,
        author: &str,
        expected_revision: Option<i64>,
    ) -> Result<()> {
        Self::check_revision(&mut *tx, "advice_records", id, expected_revision, "porada").await?;
        let d = &Self::with_client_code(&mut *tx, d).await?;
        let done = sqlx::query(
            "UPDATE advice_records SET given_on = ?, advisor = ?, person_id = ?, client_code = ?, age_band = ?, sex = ?, residence = ?,
             returning_client = ?, channel = ?, minutes = ?, description = ?, outcome = ?, follow_up_on = ?, follow_up_done = ?, updated_at = ?,
             revision = revision + 1, changed_by = ? WHERE id = ?",
        )
        .bind(d.given_on)
        .bind(&d.advisor)
        .bind(d.person_id)
        .bind(&d.client_code)
        .bind(&d.age_band)
        .bind(&d.sex)
        .bind(&d.residence)
        .bind(d.returning)
        .bind(d.channel.code())
        .bind(d.minutes)
        .bind(&d.description)
        .bind(d.outcome.code())
        .bind(d.follow_up_on)
        .bind(d.follow_up_done)
        .bind(now())
        .bind(author)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("porada"));
        }
        sqlx::query("DELETE FROM advice_record_categories WHERE advice_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Self::insert_advice_categories(tx, id, &d.categories).await?;
        Ok(())
    }

    pub(crate) async fn insert_advice_in(
        tx: &mut SqliteConnection,
        d: &AdviceDraft,
    ) -> Result<i64> {
        if let Some(p) = d.person_id {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = ?")
                .bind(p)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(Error::invalid(
                    "person_id",
                    "Wybrana osoba nie istnieje w rejestrze.",
                ));
            }
        }
        let stamp = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO advice_records (given_on, advisor, person_id, client_code, age_band, sex, residence, returning_client, channel,
             minutes, description, outcome, follow_up_on, follow_up_done, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(d.given_on)
        .bind(&d.advisor)
        .bind(d.person_id)
        .bind(&d.client_code)
        .bind(&d.age_band)
        .bind(&d.sex)
        .bind(&d.residence)
        .bind(d.returning)
        .bind(d.channel.code())
        .bind(d.minutes)
        .bind(&d.description)
        .bind(d.outcome.code())
        .bind(d.follow_up_on)
        .bind(d.follow_up_done)
        .bind(&stamp)
        .bind(&stamp)
        .fetch_one(&mut *tx)
        .await?;
        Self::insert_advice_categories(tx, id, &d.categories).await?;
        Ok(id)
    }

    pub(crate) async fn insert_advice_categories(
        tx: &mut SqliteConnection,
        id: i64,
        codes: &[String],
    ) -> Result<()> {
        for code in codes {
            sqlx::query(
                "INSERT INTO advice_record_categories (advice_id, category_code) VALUES (?, ?)",
            )
            .bind(id)
            .bind(code)
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    }

    pub(crate) fn push_advice_filters(
        qb: &mut QueryBuilder<'_, Sqlite>,
        q: &AdviceQuery,
        range: (Option<NaiveDate>, Option<NaiveDate>),
        today: NaiveDate,
    ) {
        qb.push(" WHERE 1 = 1");
        if let Some(from) = range.0 {
            qb.push(" AND a.given_on >= ").push_bind(from);
        }
        if let Some(to) = range.1 {
            qb.push(" AND a.given_on <= ").push_bind(to);
        }
        if let Some(advisor) = q
            .advisor
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            qb.push(" AND a.advisor = ").push_bind(advisor.to_string());
        }
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            // The client (registered: by the folded name index; anonymous: the code, dashes
            // optional) or a category name. The case description is never searched.
            let code: String = text
                .to_uppercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            qb.push(" AND (");
            if let Some(expr) = fts_query(text) {
                qb.push(
                    "a.person_id IN (SELECT rowid / 2 FROM search_index WHERE search_index MATCH ",
                )
                .push_bind(expr)
                .push(" AND rowid % 2 = 1) OR ");
            }
            if !code.is_empty() {
                qb.push("REPLACE(a.client_code, '-', '') LIKE ")
                    .push_bind(format!("%{code}%"))
                    .push(" OR ");
            }
            qb.push("EXISTS (SELECT 1 FROM advice_record_categories rc JOIN advice_categories c ON c.code = rc.category_code
                     WHERE rc.advice_id = a.id AND lower(c.name) LIKE ")
                .push_bind(format!("%{}%", text.to_lowercase().replace(['%', '_'], "")))
                .push("))");
        }
        if q.follow_ups_due {
            qb.push(
                " AND a.follow_up_done = 0 AND a.follow_up_on IS NOT NULL AND a.follow_up_on <= ",
            )
            .push_bind(today);
        }
        if let Some(code) = q.category.as_ref().filter(|c| !c.is_empty()) {
            // A main category also finds advice filed under its subcategories.
            qb.push(" AND EXISTS (SELECT 1 FROM advice_record_categories rc WHERE rc.advice_id = a.id AND (rc.category_code = ")
                .push_bind(code.clone())
                .push(" OR rc.category_code LIKE ")
                .push_bind(format!("{code}.%"))
                .push("))");
        }
        if let Some(p) = q.person_id {
            qb.push(" AND a.person_id = ").push_bind(p);
        }
    }
}
