//! PostgreSQL: address agreements and the correspondence log, mirroring
//! `store/sqlite/letters.rs`.

use super::PgStore;
use crate::error::{Error, Result};
use crate::letters::store::{AGREEMENT_SELECT, LETTER_SELECT};
use crate::letters::*;
use crate::register::{Page, MAX_PAGE};
use crate::store::sqlite::now;
use crate::store::LetterStore;
use chrono::NaiveDate;
use sqlx::{Postgres, QueryBuilder};

#[async_trait::async_trait]
impl LetterStore for PgStore {
    async fn agreements(&self, organization_id: Option<i64>) -> Result<Vec<Agreement>> {
        Ok(sqlx::query_as(&format!(
            "{AGREEMENT_SELECT} WHERE $1::BIGINT IS NULL OR a.organization_id = $2 ORDER BY a.valid_from DESC, a.id DESC LIMIT 1000"
        ))
        .bind(organization_id)
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn save_agreement(&self, id: Option<i64>, d: &AgreementDraft) -> Result<i64> {
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
        let saved: Option<i64> = match id {
            None => sqlx::query_scalar(
                "INSERT INTO address_agreements (organization_id, valid_from, valid_until, contact_person_id, contact_email, notify_by, notes, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(d.organization_id)
            .bind(d.valid_from)
            .bind(d.valid_until)
            .bind(d.contact_person_id)
            .bind(&d.contact_email)
            .bind(&d.notify_by)
            .bind(&d.notes)
            .bind(&stamp)
            .bind(&stamp)
            .fetch_optional(&self.pool)
            .await?,
            Some(id) => sqlx::query_scalar(
                "UPDATE address_agreements SET organization_id = $1, valid_from = $2, valid_until = $3, contact_person_id = $4, contact_email = $5,
                 notify_by = $6, notes = $7, updated_at = $8 WHERE id = $9 RETURNING id",
            )
            .bind(d.organization_id)
            .bind(d.valid_from)
            .bind(d.valid_until)
            .bind(d.contact_person_id)
            .bind(&d.contact_email)
            .bind(&d.notify_by)
            .bind(&d.notes)
            .bind(&stamp)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?,
        };
        saved.ok_or(Error::NotFound("umowa adresowa"))
    }

    async fn delete_agreement(&self, id: i64) -> Result<()> {
        self.delete_by_id("address_agreements", id, "umowa adresowa")
            .await
    }

    async fn list_letters(
        &self,
        q: &LetterQuery,
        month: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<Page<Letter>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let filter = |qb: &mut QueryBuilder<'_, Postgres>| {
            qb.push(" WHERE 1 = 1");
            if q.waiting_only {
                qb.push(" AND l.picked_up_on IS NULL");
            }
            if let Some(o) = q.organization_id {
                qb.push(" AND l.organization_id = ").push_bind(o);
            }
            if let Some((first, last)) = month {
                qb.push(" AND l.received_on BETWEEN ")
                    .push_bind(first)
                    .push(" AND ")
                    .push_bind(last);
            }
        };
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(LETTER_SELECT);
        filter(&mut qb);
        // Waiting items: the longest waiting first; the log: the newest first.
        qb.push(if q.waiting_only {
            " ORDER BY l.received_on, l.id"
        } else {
            " ORDER BY l.received_on DESC, l.id DESC"
        });
        qb.push(" LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let items: Vec<Letter> = qb.build_query_as().fetch_all(&self.pool).await?;
        let mut count: QueryBuilder<Postgres> = QueryBuilder::new("SELECT COUNT(*) FROM letters l");
        filter(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }

    async fn get_letter(&self, id: i64) -> Result<Letter> {
        sqlx::query_as(&format!("{LETTER_SELECT} WHERE l.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("przesyłka"))
    }

    async fn save_letter(&self, id: Option<i64>, d: &LetterDraft, user: &str) -> Result<i64> {
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
        let saved: Option<i64> = match id {
            None => sqlx::query_scalar(
                "INSERT INTO letters (received_on, sender, organization_id, kind, tracking_number, item_count, notes, entered_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(d.received_on)
            .bind(&d.sender)
            .bind(d.organization_id)
            .bind(&d.kind)
            .bind(&d.tracking_number)
            .bind(d.item_count)
            .bind(&d.notes)
            .bind(user)
            .bind(&stamp)
            .bind(&stamp)
            .fetch_optional(&self.pool)
            .await?,
            Some(id) => sqlx::query_scalar(
                "UPDATE letters SET received_on = $1, sender = $2, organization_id = $3, kind = $4, tracking_number = $5, item_count = $6,
                 notes = $7, updated_at = $8 WHERE id = $9 RETURNING id",
            )
            .bind(d.received_on)
            .bind(&d.sender)
            .bind(d.organization_id)
            .bind(&d.kind)
            .bind(&d.tracking_number)
            .bind(d.item_count)
            .bind(&d.notes)
            .bind(&stamp)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?,
        };
        saved.ok_or(Error::NotFound("przesyłka"))
    }

    async fn delete_letter(&self, id: i64) -> Result<()> {
        self.delete_by_id("letters", id, "przesyłka").await
    }

    async fn mark_notified(&self, ids: &[i64], to: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let stamp = now();
        for id in ids {
            sqlx::query("UPDATE letters SET notified_at = $1, notified_to = $2, updated_at = $3 WHERE id = $4")
                .bind(&stamp)
                .bind(to)
                .bind(&stamp)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn pick_up(&self, ids: &[i64], on: NaiveDate, by: &str) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        let stamp = now();
        let mut n = 0;
        for id in ids {
            n += sqlx::query("UPDATE letters SET picked_up_on = $1, picked_up_by = $2, updated_at = $3 WHERE id = $4 AND picked_up_on IS NULL")
                .bind(on)
                .bind(by)
                .bind(&stamp)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected() as usize;
        }
        tx.commit().await?;
        Ok(n)
    }
}
