//! SQLite: the reference lists (activity areas) and register-wide settings kept in `meta`.

use super::*;
use crate::error::{Error, Result};
use sqlx::Row;

#[async_trait::async_trait]
impl ReferenceStore for SqliteStore {
    // ----- reference data -------------------------------------------------------------

    async fn list_areas(&self) -> Result<Vec<ActivityArea>> {
        Ok(sqlx::query_as(
            "SELECT code, position, name, active FROM activity_areas ORDER BY position, code",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn area_codes(&self) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT code FROM activity_areas WHERE active = 1")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn save_area(&self, code: &str, name: &str, active: bool) -> Result<()> {
        sqlx::query(
            "INSERT INTO activity_areas (code, position, name, active)
             VALUES (?1, (SELECT COALESCE(MAX(position), 0) + 1 FROM activity_areas), ?2, ?3)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = excluded.active",
        )
        .bind(code)
        .bind(name)
        .bind(active)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn cities(&self, limit: u32) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT city FROM organizations WHERE city IS NOT NULL AND archived_at IS NULL
             GROUP BY city ORDER BY COUNT(*) DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn tags(&self, limit: u32) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT tag FROM organization_tags GROUP BY tag ORDER BY COUNT(*) DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn counts(&self) -> Result<RegisterCounts> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM organizations WHERE archived_at IS NULL),
                    (SELECT COUNT(*) FROM people WHERE archived_at IS NULL),
                    (SELECT COUNT(*) FROM organizations WHERE archived_at IS NOT NULL)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(RegisterCounts {
            organizations: row.get(0),
            people: row.get(1),
            archived_organizations: row.get(2),
        })
    }

    async fn register_is_empty(&self) -> Result<bool> {
        let any: i64 = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM organizations) OR EXISTS (SELECT 1 FROM people)
                 OR EXISTS (SELECT 1 FROM advice_records) OR EXISTS (SELECT 1 FROM events)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(any == 0)
    }

    async fn save_advice_category(
        &self,
        code: &str,
        parent: Option<&str>,
        name: &str,
        active: bool,
    ) -> Result<()> {
        if let Some(p) = parent {
            let exists: Option<String> = sqlx::query_scalar(
                "SELECT code FROM advice_categories WHERE code = ? AND parent IS NULL",
            )
            .bind(p)
            .fetch_optional(&self.pool)
            .await?;
            if exists.is_none() {
                return Err(Error::invalid(
                    "parent",
                    "Kategoria nadrzędna musi być jedną z kategorii głównych.",
                ));
            }
        }
        sqlx::query(
            "INSERT INTO advice_categories (code, parent, name, position, active)
             VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM advice_categories), ?4)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = excluded.active",
        )
        .bind(code)
        .bind(parent)
        .bind(name)
        .bind(active)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn save_consultation_topic(&self, code: &str, name: &str, active: bool) -> Result<()> {
        sqlx::query(
            "INSERT INTO consultation_topics (code, name, position, active)
             VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM consultation_topics), ?3)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = excluded.active",
        )
        .bind(code)
        .bind(name)
        .bind(active)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
