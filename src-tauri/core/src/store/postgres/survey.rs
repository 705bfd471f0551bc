//! PostgreSQL: the needs survey's topics and choices, and the office's files (the logo).
//! Mirrors `store/sqlite/survey.rs`; a year's topics are numbered under a lock of that year,
//! as SQLite's single writer numbers them one at a time.

use super::PgStore;
use crate::error::{Error, Result};
use crate::store::sqlite::now;
use crate::store::SurveyStore;

/// The first key of the advisory lock that numbers a year's survey topics (the year is the
/// second); any constant of ours, unlike other locks' keys.
const SURVEY_TOPICS_LOCK: i32 = 0x5355_5256; // "SURV"

#[async_trait::async_trait]
impl SurveyStore for PgStore {
    async fn add_survey_topic(&self, year: i32, name: &str) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
            .bind(SURVEY_TOPICS_LOCK)
            .bind(year)
            .execute(&mut *tx)
            .await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM survey_topics WHERE year = $1 AND name = $2")
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
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO survey_topics (year, name, position)
             SELECT $1, $2, COALESCE(MAX(position), 0) + 1 FROM survey_topics WHERE year = $1 RETURNING id",
        )
        .bind(year)
        .bind(name)
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
            "SELECT id, name, position FROM survey_topics WHERE year = $1 ORDER BY position",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?;
        let choices = sqlx::query_as(
            "SELECT c.topic_id, o.id, o.name, o.name_key FROM survey_choices c JOIN survey_topics t ON t.id = c.topic_id
             JOIN organizations o ON o.id = c.organization_id WHERE t.year = $1 ORDER BY o.name_key",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?;
        Ok((topics, choices))
    }

    async fn set_asset(&self, name: &str, data: &[u8]) -> Result<()> {
        sqlx::query(
            "INSERT INTO office_assets (name, data, updated_at) VALUES ($1, $2, $3)
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
            sqlx::query_scalar("SELECT data FROM office_assets WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn delete_asset(&self, name: &str) -> Result<()> {
        sqlx::query("DELETE FROM office_assets WHERE name = $1")
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
            let org: Option<i64> = sqlx::query_scalar("SELECT id FROM organizations WHERE id = $1")
                .bind(organization_id)
                .fetch_optional(&self.pool)
                .await?;
            if org.is_none() {
                return Err(Error::invalid(
                    "organization_id",
                    "Wybrana organizacja nie istnieje w rejestrze.",
                ));
            }
            sqlx::query("INSERT INTO survey_choices (topic_id, organization_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(topic_id)
                .bind(organization_id)
                .execute(&self.pool)
                .await?;
        } else {
            sqlx::query("DELETE FROM survey_choices WHERE topic_id = $1 AND organization_id = $2")
                .bind(topic_id)
                .bind(organization_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::register::fixtures::{error_of, org, Transcript};
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{OrganizationStore, SurveyStore};

    /// A year's topics numbered in the order added (a duplicate refused, another year apart),
    /// organisations' choices set, set again and taken back, in Polish order of the
    /// organisations; the office's logo kept, replaced and removed.
    async fn survey_story(s: &(impl SurveyStore + OrganizationStore)) -> Transcript {
        let mut t = Transcript::default();
        s.insert_organizations(&[
            org("Śląski Klub Sportowy", "Świdnik", "klub_sportowy", |_| {}),
            org("Fundacja Ćma", "Kraków", "fundacja", |_| {}),
            org("Fundacja Cebula", "Kraków", "fundacja", |_| {}),
        ])
        .await
        .unwrap();
        let books = s.add_survey_topic(2026, "Księgowość").await.unwrap();
        let rodo = s
            .add_survey_topic(2026, "RODO w organizacji")
            .await
            .unwrap();
        let old = s.add_survey_topic(2025, "Księgowość").await.unwrap();
        assert_eq!((books, rodo, old), (1, 2, 3));
        t.add(
            "twice",
            &error_of(s.add_survey_topic(2026, "Księgowość").await),
        );
        for org_id in [1, 2, 3] {
            s.set_survey_choice(books, org_id, true).await.unwrap();
        }
        s.set_survey_choice(books, 2, true).await.unwrap();
        s.set_survey_choice(rodo, 2, true).await.unwrap();
        s.set_survey_choice(old, 1, true).await.unwrap();
        s.set_survey_choice(books, 3, false).await.unwrap();
        s.set_survey_choice(rodo, 3, false).await.unwrap();
        t.add(
            "unknown organisation",
            &error_of(s.set_survey_choice(books, 99, true).await),
        );
        let (topics, choices) = s.survey_rows(2026).await.unwrap();
        assert_eq!(
            topics,
            [
                (books, "Księgowość".to_string(), 1),
                (rodo, "RODO w organizacji".to_string(), 2)
            ]
        );
        let chosen: Vec<(i64, i64, &str)> = choices
            .iter()
            .map(|(t, o, n, _)| (*t, *o, n.as_str()))
            .collect();
        assert_eq!(chosen.len(), 3);
        let names: Vec<&str> = chosen.iter().map(|c| c.2).collect();
        assert_eq!(
            names,
            ["Fundacja Ćma", "Fundacja Ćma", "Śląski Klub Sportowy"]
        );
        let mut sorted = chosen.clone();
        sorted.sort();
        t.add("rows", &(topics, sorted));
        assert_eq!(s.survey_rows(2025).await.unwrap().1.len(), 1);
        s.delete_survey_topic(rodo).await.unwrap();
        t.add(
            "delete missing",
            &error_of(s.delete_survey_topic(rodo).await),
        );
        assert_eq!(s.survey_rows(2026).await.unwrap().0.len(), 1);
        let next = s.add_survey_topic(2026, "Nowy temat").await.unwrap();
        assert_eq!(
            s.survey_rows(2026).await.unwrap().0.last().unwrap(),
            &(next, "Nowy temat".to_string(), 2)
        );

        assert_eq!(s.asset("logo").await.unwrap(), None);
        s.set_asset("logo", &[0x89, b'P', b'N', b'G', 0])
            .await
            .unwrap();
        s.set_asset("logo", &[1, 2, 3, 0, 255]).await.unwrap();
        assert_eq!(s.asset("logo").await.unwrap(), Some(vec![1, 2, 3, 0, 255]));
        s.delete_asset("logo").await.unwrap();
        s.delete_asset("logo").await.unwrap();
        assert_eq!(s.asset("logo").await.unwrap(), None);
        t
    }

    #[tokio::test]
    async fn survey_story_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let lite = survey_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            survey_story(&pg).await.assert_same_as(&lite);
        }
    }

    /// Five PCs adding a topic each at once: five positions, none given twice.
    async fn topics_added_at_once(s: &(impl SurveyStore + Clone + 'static)) {
        let mut calls = Vec::new();
        for i in 0..5 {
            let s = s.clone();
            calls.push(tokio::spawn(async move {
                s.add_survey_topic(2027, &format!("Temat {i}")).await
            }));
        }
        for c in calls {
            c.await.unwrap().unwrap();
        }
        let mut positions: Vec<i64> = s
            .survey_rows(2027)
            .await
            .unwrap()
            .0
            .iter()
            .map(|t| t.2)
            .collect();
        positions.sort();
        assert_eq!(positions, [1, 2, 3, 4, 5]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn survey_topics_added_at_once_get_their_own_positions_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        topics_added_at_once(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            topics_added_at_once(&pg).await;
        }
    }
}
