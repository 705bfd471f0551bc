//! SQLite: the needs survey's topics and choices.

use super::*;
use crate::error::{Error, Result};

#[async_trait::async_trait]
impl SurveyStore for SqliteStore {
    // ----- needs survey -------------------------------------------------------------------

    async fn add_survey_topic(&self, year: i32, name: &str) -> Result<i64> {
        // One transaction holding the write lock from the first read: two topics added at once
        // never take the same position.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM survey_topics WHERE year = ? AND name = ?")
                .bind(year)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            return Err(Error::invalid(
                "name",
                "Ten temat jest już w ankiecie tego roku.",
            ));
        }
        let position: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM survey_topics WHERE year = ?",
        )
        .bind(year)
        .fetch_one(&mut *tx)
        .await?;
        let id = sqlx::query_scalar(
            "INSERT INTO survey_topics (year, name, position) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(year)
        .bind(name)
        .bind(position)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn delete_survey_topic(&self, id: i64) -> Result<()> {
        self.delete_by_id("survey_topics", id, "temat ankiety")
            .await
    }

    async fn survey_rows(
        &self,
        year: i32,
    ) -> Result<(Vec<(i64, String, i64)>, Vec<(i64, i64, String, Vec<u8>)>)> {
        let topics = sqlx::query_as(
            "SELECT id, name, position FROM survey_topics WHERE year = ? ORDER BY position",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?;
        let choices = sqlx::query_as(
            "SELECT c.topic_id, o.id, o.name, o.name_key FROM survey_choices c JOIN survey_topics t ON t.id = c.topic_id
             JOIN organizations o ON o.id = c.organization_id WHERE t.year = ? ORDER BY o.name_key",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?;
        Ok((topics, choices))
    }

    async fn set_asset(&self, name: &str, data: &[u8]) -> Result<()> {
        sqlx::query(
            "INSERT INTO office_assets (name, data, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(data)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn asset(&self, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(
            sqlx::query_scalar("SELECT data FROM office_assets WHERE name = ?")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn delete_asset(&self, name: &str) -> Result<()> {
        sqlx::query("DELETE FROM office_assets WHERE name = ?")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn set_survey_choice(
        &self,
        topic_id: i64,
        organization_id: i64,
        chosen: bool,
    ) -> Result<()> {
        if chosen {
            let org: Option<i64> = sqlx::query_scalar("SELECT id FROM organizations WHERE id = ?")
                .bind(organization_id)
                .fetch_optional(&self.pool)
                .await?;
            if org.is_none() {
                return Err(Error::invalid(
                    "organization_id",
                    "Wybrana organizacja nie istnieje w rejestrze.",
                ));
            }
            sqlx::query("INSERT INTO survey_choices (topic_id, organization_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .bind(topic_id)
                .bind(organization_id)
                .execute(&self.pool)
                .await?;
        } else {
            sqlx::query("DELETE FROM survey_choices WHERE topic_id = ? AND organization_id = ?")
                .bind(topic_id)
                .bind(organization_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}
