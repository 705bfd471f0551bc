//! PostgreSQL: the library's catalogue, copies and loans, mirroring `store/sqlite/library.rs`;
//! two PCs lending one copy at once meet at the partial unique index, and one loan goes in.

use super::PgStore;
use crate::error::{Error, Result};
use crate::library::store::*;
use crate::library::*;
use crate::register::{Page, MAX_PAGE};
use crate::store::sqlite::now;
use crate::store::LibraryStore;
use crate::text::collation;
use chrono::NaiveDate;
use sqlx::{Postgres, QueryBuilder};

#[async_trait::async_trait]
impl LibraryStore for PgStore {
    async fn prepare_titles(&self) -> Result<u64> {
        let fresh: Vec<(i64, String, Option<String>, Option<String>, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT id, title, author, subject, publisher, isbn FROM library_items WHERE search_text IS NULL")
                .fetch_all(&self.pool)
                .await?;
        if fresh.is_empty() {
            return Ok(0);
        }
        let mut tx = self.pool.begin().await?;
        let stamp = now();
        let mut n = 0;
        for (id, title, author, subject, publisher, isbn) in fresh {
            let text = search_text(
                &title,
                author.as_deref(),
                subject.as_deref(),
                publisher.as_deref(),
                isbn.as_deref(),
            );
            // Another PC may have prepared it meanwhile: only the one that sets the text adds the copy.
            let done = sqlx::query(
                "UPDATE library_items SET search_text = $1 WHERE id = $2 AND search_text IS NULL",
            )
            .bind(&text)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                sqlx::query("INSERT INTO library_copies (item_id, state, created_at) SELECT $1, 'good', $2 WHERE NOT EXISTS (SELECT 1 FROM library_copies WHERE item_id = $3)")
                    .bind(id)
                    .bind(&stamp)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                n += 1;
            }
        }
        tx.commit().await?;
        Ok(n)
    }

    async fn list_titles(
        &self,
        words: &[String],
        available_only: bool,
        offset: u32,
        limit: u32,
    ) -> Result<Page<Title>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let filter = |qb: &mut QueryBuilder<'_, Postgres>| {
            qb.push(" WHERE 1 = 1");
            for w in words {
                qb.push(" AND strpos(i.search_text, ")
                    .push_bind(w.clone())
                    .push(") > 0");
            }
            if available_only {
                qb.push(" AND EXISTS (SELECT 1 FROM library_copies c WHERE c.item_id = i.id AND c.state NOT IN ('lost', 'withdrawn')
                    AND NOT EXISTS (SELECT 1 FROM library_loans l WHERE l.copy_id = c.id AND l.returned_on IS NULL))");
            }
        };
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(TITLE_SELECT);
        filter(&mut qb);
        qb.push(" ORDER BY i.title_key, i.id LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(offset));
        let items: Vec<Title> = qb.build_query_as().fetch_all(&self.pool).await?;
        let mut count: QueryBuilder<Postgres> =
            QueryBuilder::new("SELECT COUNT(*) FROM library_items i");
        filter(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset,
        })
    }

    async fn get_title(&self, id: i64) -> Result<Title> {
        sqlx::query_as(&format!("{TITLE_SELECT} WHERE i.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("tytuł w bibliotece"))
    }

    async fn copies_of(&self, item_id: i64) -> Result<Vec<LibraryCopy>> {
        Ok(sqlx::query_as(&format!(
            "{COPY_SELECT} WHERE c.item_id = $1 ORDER BY c.inventory_number IS NULL, c.inventory_number, c.id LIMIT 500"
        ))
        .bind(item_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn save_title(&self, id: Option<i64>, d: &TitleDraft) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let stamp = now();
        let saved: Option<i64> = match id {
            None => sqlx::query_scalar(
                "INSERT INTO library_items (title, author, publisher, year, isbn, shelf_mark, subject, notes, search_text, title_key, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(&d.title)
            .bind(&d.author)
            .bind(&d.publisher)
            .bind(d.year)
            .bind(&d.isbn)
            .bind(&d.shelf_mark)
            .bind(&d.subject)
            .bind(&d.notes)
            .bind(&d.search_text)
            .bind(collation::sort_key(&d.title))
            .bind(&stamp)
            .bind(&stamp)
            .fetch_optional(&mut *tx)
            .await?,
            Some(id) => sqlx::query_scalar(
                "UPDATE library_items SET title = $1, author = $2, publisher = $3, year = $4, isbn = $5, shelf_mark = $6, subject = $7, notes = $8,
                 search_text = $9, title_key = $10, updated_at = $11 WHERE id = $12 RETURNING id",
            )
            .bind(&d.title)
            .bind(&d.author)
            .bind(&d.publisher)
            .bind(d.year)
            .bind(&d.isbn)
            .bind(&d.shelf_mark)
            .bind(&d.subject)
            .bind(&d.notes)
            .bind(&d.search_text)
            .bind(collation::sort_key(&d.title))
            .bind(&stamp)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?,
        };
        let saved = saved.ok_or(Error::NotFound("tytuł w bibliotece"))?;
        if id.is_none() {
            for _ in 0..d.copies {
                sqlx::query("INSERT INTO library_copies (item_id, state, created_at) VALUES ($1, 'new', $2)")
                    .bind(saved)
                    .bind(&stamp)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(saved)
    }

    async fn delete_title(&self, id: i64) -> Result<()> {
        match sqlx::query("DELETE FROM library_items WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
        {
            Ok(done) if done.rows_affected() == 0 => Err(Error::NotFound("tytuł w bibliotece")),
            Ok(_) => Ok(()),
            Err(e) if is_referenced(&e) => Err(Error::BadArgument(TITLE_HAS_LOANS.into())),
            Err(e) => Err(e.into()),
        }
    }

    async fn save_copy(&self, id: Option<i64>, d: &CopyDraft) -> Result<i64> {
        let stamp = now();
        let saved = match id {
            None => sqlx::query_scalar(
                "INSERT INTO library_copies (item_id, inventory_number, state, notes, created_at)
                 SELECT id, $1, $2, $3, $4 FROM library_items WHERE id = $5 RETURNING id",
            )
            .bind(&d.inventory_number)
            .bind(&d.state)
            .bind(&d.notes)
            .bind(&stamp)
            .bind(d.item_id)
            .fetch_optional(&self.pool)
            .await,
            Some(id) => sqlx::query_scalar(
                "UPDATE library_copies SET inventory_number = $1, state = $2, notes = $3 WHERE id = $4 RETURNING id",
            )
            .bind(&d.inventory_number)
            .bind(&d.state)
            .bind(&d.notes)
            .bind(id)
            .fetch_optional(&self.pool)
            .await,
        };
        match saved {
            Ok(Some(id)) => Ok(id),
            Ok(None) => Err(Error::NotFound("egzemplarz")),
            Err(e) if is_unique(&e) => Err(Error::invalid("inventory_number", INVENTORY_TAKEN)),
            Err(e) => Err(e.into()),
        }
    }

    async fn delete_copy(&self, id: i64) -> Result<()> {
        match sqlx::query("DELETE FROM library_copies WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
        {
            Ok(done) if done.rows_affected() == 0 => Err(Error::NotFound("egzemplarz")),
            Ok(_) => Ok(()),
            Err(e) if is_referenced(&e) => Err(Error::BadArgument(COPY_HAS_LOANS.into())),
            Err(e) => Err(e.into()),
        }
    }

    async fn lend(&self, d: &LoanDraft, user: &str) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM library_copies WHERE id = $1")
                .bind(d.copy_id)
                .fetch_optional(&mut *tx)
                .await?;
        match state.as_deref() {
            None => {
                return Err(Error::invalid(
                    "copy_id",
                    "Tego egzemplarza nie ma już w bibliotece.",
                ))
            }
            Some(s) if !lendable(s) => {
                return Err(Error::invalid(
                    "copy_id",
                    format!(
                        "Egzemplarz ma stan „{}” i nie jest wypożyczany.",
                        copy_state_label(s)
                    ),
                ))
            }
            Some(_) => {}
        }
        let person: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = $1")
            .bind(d.person_id)
            .fetch_optional(&mut *tx)
            .await?;
        if person.is_none() {
            return Err(Error::invalid(
                "person_id",
                "Wybrana osoba nie istnieje w rejestrze.",
            ));
        }
        let stamp = now();
        let inserted = sqlx::query_scalar(
            "INSERT INTO library_loans (copy_id, person_id, organization_id, lent_on, due_on, lent_by, created_at, updated_at)
             VALUES ($1, $2, (SELECT id FROM organizations WHERE id = $3), $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(d.copy_id)
        .bind(d.person_id)
        .bind(d.organization_id)
        .bind(d.lent_on)
        .bind(d.due_on)
        .bind(user)
        .bind(&stamp)
        .bind(&stamp)
        .fetch_one(&mut *tx)
        .await;
        match inserted {
            Ok(id) => {
                tx.commit().await?;
                Ok(id)
            }
            Err(e) if is_unique(&e) => {
                drop(tx);
                let holder: Option<(Option<String>, Option<NaiveDate>)> = sqlx::query_as(&format!(
                    "SELECT borrower_name, due_on FROM ({COPY_SELECT} WHERE c.id = $1) AS x"
                ))
                .bind(d.copy_id)
                .fetch_optional(&self.pool)
                .await?;
                let (who, due) = holder.unwrap_or((None, None));
                Err(already_out(who, due))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn get_loan(&self, id: i64) -> Result<Loan> {
        sqlx::query_as(&format!("{LOAN_SELECT} WHERE l.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("wypożyczenie"))
    }

    async fn list_loans(&self, q: &LoanQuery, today: NaiveDate) -> Result<Page<Loan>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let filter = |qb: &mut QueryBuilder<'_, Postgres>| {
            qb.push(" WHERE 1 = 1");
            match q.status {
                LoanStatus::Open => {
                    qb.push(" AND l.returned_on IS NULL");
                }
                LoanStatus::Overdue => {
                    qb.push(" AND l.returned_on IS NULL AND l.due_on < ")
                        .push_bind(today);
                }
                LoanStatus::Returned => {
                    qb.push(" AND l.returned_on IS NOT NULL");
                }
                LoanStatus::All => {}
            }
            if let Some(p) = q.person_id {
                qb.push(" AND l.person_id = ").push_bind(p);
            }
            if let Some(i) = q.item_id {
                qb.push(" AND c.item_id = ").push_bind(i);
            }
        };
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(LOAN_SELECT);
        filter(&mut qb);
        qb.push(loan_order(q.status));
        qb.push(" LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let items: Vec<Loan> = qb.build_query_as().fetch_all(&self.pool).await?;
        let mut count: QueryBuilder<Postgres> = QueryBuilder::new(
            "SELECT COUNT(*) FROM library_loans l JOIN library_copies c ON c.id = l.copy_id",
        );
        filter(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items: items
                .into_iter()
                .map(|l| l.with_days_overdue(today))
                .collect(),
            total: total as u64,
            offset: q.offset,
        })
    }

    async fn renew_loan(&self, id: i64, renewals: i64, due_on: NaiveDate) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE library_loans SET due_on = $1, renewals = renewals + 1, updated_at = $2
             WHERE id = $3 AND returned_on IS NULL AND renewals = $4",
        )
        .bind(due_on)
        .bind(now())
        .bind(id)
        .bind(renewals)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn return_loan(&self, id: i64, on: NaiveDate) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE library_loans SET returned_on = $1, updated_at = $2 WHERE id = $3 AND returned_on IS NULL",
        )
        .bind(on)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn claim_reminder(&self, id: i64, number: i64, on: NaiveDate) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE library_loans SET reminders_sent = $1, last_reminder_on = $2, updated_at = $3
             WHERE id = $4 AND returned_on IS NULL AND reminders_sent = $5",
        )
        .bind(number)
        .bind(on)
        .bind(now())
        .bind(id)
        .bind(number - 1)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn release_reminder(
        &self,
        id: i64,
        number: i64,
        previous: Option<NaiveDate>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE library_loans SET reminders_sent = $1, last_reminder_on = $2 WHERE id = $3 AND reminders_sent = $4",
        )
        .bind(number - 1)
        .bind(previous)
        .bind(id)
        .bind(number)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn loans_past_retention(&self, before: NaiveDate) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM library_loans WHERE returned_on < $1 AND (person_id IS NOT NULL OR organization_id IS NOT NULL)",
        )
        .bind(before)
        .fetch_one(&self.pool)
        .await?;
        Ok(n as u64)
    }

    async fn remove_loan_borrowers(&self, before: NaiveDate) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE library_loans SET person_id = NULL, organization_id = NULL, borrower_removed = TRUE, updated_at = $1
             WHERE returned_on < $2 AND (person_id IS NOT NULL OR organization_id IS NOT NULL)",
        )
        .bind(now())
        .bind(before)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn loans_in_year(&self, year: i32) -> Result<(i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT copy_id) FROM library_loans WHERE lent_on BETWEEN $1 AND $2",
        )
        .bind(NaiveDate::from_ymd_opt(year, 1, 1))
        .bind(NaiveDate::from_ymd_opt(year, 12, 31))
        .fetch_one(&self.pool)
        .await?)
    }
}
