//! SQLite: consultations and their topics.

use super::*;
use crate::consultations::{Consultation, ConsultationDraft, ConsultationQuery, ConsultationTopic};
use crate::error::{Error, Result};
use sqlx::{QueryBuilder, Sqlite};

#[async_trait::async_trait]
impl ConsultationStore for SqliteStore {
    // ----- consultations ------------------------------------------------------------------

    async fn consultation_topics(&self) -> Result<Vec<ConsultationTopic>> {
        Ok(sqlx::query_as(
            "SELECT code, name, position, active FROM consultation_topics ORDER BY position, code",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn save_consultation(&self, id: Option<i64>, d: &ConsultationDraft) -> Result<i64> {
        let org: Option<i64> = sqlx::query_scalar("SELECT id FROM organizations WHERE id = ?")
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
        match id {
            None => Ok(sqlx::query_scalar(
                "INSERT INTO consultations (given_on, advisor, organization_id, person_id, topic, minutes, notes, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(d.given_on)
            .bind(&d.advisor)
            .bind(d.organization_id)
            .bind(d.person_id)
            .bind(&d.topic)
            .bind(d.minutes)
            .bind(&d.notes)
            .bind(&stamp)
            .bind(&stamp)
            .fetch_one(&self.pool)
            .await?),
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE consultations SET given_on = ?, advisor = ?, organization_id = ?, person_id = ?, topic = ?, minutes = ?, notes = ?,
                     updated_at = ? WHERE id = ?",
                )
                .bind(d.given_on)
                .bind(&d.advisor)
                .bind(d.organization_id)
                .bind(d.person_id)
                .bind(&d.topic)
                .bind(d.minutes)
                .bind(&d.notes)
                .bind(&stamp)
                .bind(id)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(Error::NotFound("konsultacja"));
                }
                Ok(id)
            }
        }
    }

    async fn delete_consultation(&self, id: i64) -> Result<()> {
        self.delete_by_id("consultations", id, "konsultacja").await
    }

    async fn get_consultation(&self, id: i64) -> Result<Consultation> {
        sqlx::query_as(&format!("{} WHERE c.id = ?", Self::CONSULTATION_SELECT))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("konsultacja"))
    }

    async fn list_consultations(&self, q: &ConsultationQuery) -> Result<Page<Consultation>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(Self::CONSULTATION_SELECT);
        if let Some(o) = q.organization_id {
            qb.push(" WHERE c.organization_id = ").push_bind(o);
        }
        qb.push(" ORDER BY c.given_on DESC, c.id DESC LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let items = qb
            .build_query_as::<Consultation>()
            .fetch_all(&self.pool)
            .await?;
        let mut count: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT COUNT(*) FROM consultations c");
        if let Some(o) = q.organization_id {
            count.push(" WHERE c.organization_id = ").push_bind(o);
        }
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }
}

impl SqliteStore {
    pub(crate) const CONSULTATION_SELECT: &'static str = "SELECT c.id, c.given_on, c.advisor, c.organization_id, o.name AS organization_name, c.person_id,
         CASE WHEN p.id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS person_name,
         c.topic, t.name AS topic_name, c.minutes, c.notes, c.created_at, c.updated_at
         FROM consultations c JOIN consultation_topics t ON t.code = c.topic
         LEFT JOIN organizations o ON o.id = c.organization_id LEFT JOIN people p ON p.id = c.person_id";
}
