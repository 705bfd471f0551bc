//! PostgreSQL: consultations given to organisations and their topics. Mirrors
//! `store/sqlite/consultations.rs` statement by statement.

use super::PgStore;
use crate::consultations::{Consultation, ConsultationDraft, ConsultationQuery, ConsultationTopic};
use crate::error::{Error, Result};
use crate::register::*;
use crate::store::sqlite::now;
use crate::store::ConsultationStore;
use sqlx::{Postgres, QueryBuilder};

/// A consultation with the names the views show beside the ids.
pub(super) const CONSULTATION_SELECT: &str = "SELECT c.id, c.given_on, c.advisor, c.organization_id, o.name AS organization_name, c.person_id,
     CASE WHEN p.id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS person_name,
     c.topic, t.name AS topic_name, c.minutes, c.notes, c.created_at, c.updated_at
     FROM consultations c JOIN consultation_topics t ON t.code = c.topic
     LEFT JOIN organizations o ON o.id = c.organization_id LEFT JOIN people p ON p.id = c.person_id";

#[async_trait::async_trait]
impl ConsultationStore for PgStore {
    async fn consultation_topics(&self) -> Result<Vec<ConsultationTopic>> {
        Ok(sqlx::query_as(
            "SELECT code, name, position, active FROM consultation_topics ORDER BY position, code",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn save_consultation(&self, id: Option<i64>, d: &ConsultationDraft) -> Result<i64> {
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
        match id {
            None => Ok(sqlx::query_scalar(
                "INSERT INTO consultations (given_on, advisor, organization_id, person_id, topic, minutes, notes, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
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
                    "UPDATE consultations SET given_on = $1, advisor = $2, organization_id = $3, person_id = $4, topic = $5,
                     minutes = $6, notes = $7, updated_at = $8 WHERE id = $9",
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
        sqlx::query_as(&format!("{CONSULTATION_SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound("konsultacja"))
    }

    async fn list_consultations(&self, q: &ConsultationQuery) -> Result<Page<Consultation>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(CONSULTATION_SELECT);
        if let Some(o) = q.organization_id {
            qb.push(" WHERE c.organization_id = ").push_bind(o);
        }
        qb.push(" ORDER BY c.given_on DESC, c.id DESC LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let items = qb
            .build_query_as::<Consultation>()
            .fetch_all(&self.pool)
            .await?;
        let mut count: QueryBuilder<Postgres> =
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

#[cfg(test)]
mod tests {
    use super::super::register::fixtures::{error_of, org, person, Transcript};
    use crate::consultations::*;
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{ConsultationStore, OrganizationStore, PersonStore};
    use chrono::NaiveDate;

    fn consultation(
        given: (i32, u32, u32),
        org: i64,
        person: Option<i64>,
        topic: &str,
    ) -> ConsultationDraft {
        ConsultationDraft {
            given_on: NaiveDate::from_ymd_opt(given.0, given.1, given.2).unwrap(),
            advisor: "Marek Doradca".into(),
            organization_id: org,
            person_id: person,
            topic: topic.into(),
            minutes: Some(45),
            notes: Some("Wniosek do programu FIO".into()),
        }
    }

    fn query(organization_id: Option<i64>, offset: u32, limit: u32) -> ConsultationQuery {
        ConsultationQuery {
            organization_id,
            offset,
            limit,
        }
    }

    /// Consultations for two organisations: saved, read with their names, listed newest first
    /// (all, one organisation's, page by page), changed, refused for an unknown organisation,
    /// deleted.
    async fn consultations_story(
        s: &(impl ConsultationStore + OrganizationStore + PersonStore),
    ) -> Transcript {
        let mut t = Transcript::default();
        s.insert_organizations(&[
            org("Fundacja Ćma", "Kraków", "fundacja", |_| {}),
            org(
                "Stowarzyszenie Sąsiadów",
                "Szczecin",
                "stowarzyszenie",
                |_| {},
            ),
        ])
        .await
        .unwrap();
        s.insert_people(&[person("Anna", "Kowalska", "", &[(1, "prezes")])])
            .await
            .unwrap();
        let topics = s.consultation_topics().await.unwrap();
        assert_eq!(topics.len(), 11);
        assert_eq!((topics[0].code.as_str(), topics[0].position), ("ZAR", 10));
        t.add("topics", &topics);

        let a = s
            .save_consultation(None, &consultation((2026, 2, 3), 1, Some(1), "WNI"))
            .await
            .unwrap();
        let b = s
            .save_consultation(None, &consultation((2026, 2, 10), 2, None, "KSI"))
            .await
            .unwrap();
        let c = s
            .save_consultation(None, &consultation((2026, 2, 3), 1, None, "FUN"))
            .await
            .unwrap();
        assert_eq!((a, b, c), (1, 2, 3));
        let got = s.get_consultation(a).await.unwrap();
        assert_eq!(got.organization_name.as_deref(), Some("Fundacja Ćma"));
        assert_eq!(got.person_name.as_deref(), Some("Anna Kowalska"));
        assert_eq!(got.topic_name, "pisanie wniosków grantowych");
        t.add("get", &got);
        t.add("get missing", &error_of(s.get_consultation(99).await));

        let all = s.list_consultations(&query(None, 0, 20)).await.unwrap();
        let order: Vec<i64> = all.items.iter().map(|c| c.id).collect();
        assert_eq!((order, all.total), (vec![b, c, a], 3));
        t.add("list", &all);
        let first_org = s.list_consultations(&query(Some(1), 0, 20)).await.unwrap();
        assert_eq!(
            first_org.items.iter().map(|c| c.id).collect::<Vec<_>>(),
            [c, a]
        );
        t.add("one organisation", &first_org);
        let page = s.list_consultations(&query(Some(1), 1, 1)).await.unwrap();
        assert_eq!((page.items[0].id, page.total, page.offset), (a, 2, 1));
        t.add("page", &page);

        s.save_consultation(
            Some(b),
            &ConsultationDraft {
                notes: None,
                minutes: None,
                ..consultation((2026, 2, 11), 1, Some(1), "ROZ")
            },
        )
        .await
        .unwrap();
        let changed = s.get_consultation(b).await.unwrap();
        assert_eq!(
            (changed.organization_id, changed.notes.as_deref()),
            (Some(1), None)
        );
        t.add("changed", &changed);
        t.add(
            "change missing",
            &error_of(
                s.save_consultation(Some(99), &consultation((2026, 2, 3), 1, None, "WNI"))
                    .await,
            ),
        );
        t.add(
            "unknown organisation",
            &error_of(
                s.save_consultation(None, &consultation((2026, 2, 3), 9, None, "WNI"))
                    .await,
            ),
        );
        s.delete_consultation(c).await.unwrap();
        t.add("delete missing", &error_of(s.delete_consultation(c).await));
        t.add(
            "after",
            &s.list_consultations(&query(None, 0, 20)).await.unwrap(),
        );
        t
    }

    #[tokio::test]
    async fn consultations_story_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let lite = consultations_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            consultations_story(&pg).await.assert_same_as(&lite);
        }
    }
}
