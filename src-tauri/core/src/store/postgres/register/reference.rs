//! PostgreSQL: the reference lists (activity areas, advice categories, consultation topics) and
//! the register-wide counts, as `store/sqlite/register/reference.rs` gives them.

use super::*;
use crate::error::{Error, Result};
use sqlx::Row;

#[async_trait::async_trait]
impl ReferenceStore for PgStore {
    async fn list_areas(&self) -> Result<Vec<ActivityArea>> {
        Ok(sqlx::query_as(
            "SELECT code, position, name, active FROM activity_areas ORDER BY position, code",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn area_codes(&self) -> Result<Vec<String>> {
        // SQLite reads them in insertion order, which is list order: demo data picks by index.
        Ok(sqlx::query_scalar(
            "SELECT code FROM activity_areas WHERE active ORDER BY position, code",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn save_area(&self, code: &str, name: &str, active: bool) -> Result<()> {
        sqlx::query(
            "INSERT INTO activity_areas (code, position, name, active)
             VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM activity_areas), $2, $3)
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
        // Ties in the count go in byte order, as SQLite's GROUP BY leaves them.
        Ok(sqlx::query_scalar(
            "SELECT city FROM organizations WHERE city IS NOT NULL AND archived_at IS NULL
             GROUP BY city ORDER BY COUNT(*) DESC, city LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn tags(&self, limit: u32) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT tag FROM organization_tags GROUP BY tag ORDER BY COUNT(*) DESC, tag LIMIT $1",
        )
        .bind(i64::from(limit))
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
        let any: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM organizations) OR EXISTS (SELECT 1 FROM people)
                 OR EXISTS (SELECT 1 FROM advice_records) OR EXISTS (SELECT 1 FROM events)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(!any)
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
                "SELECT code FROM advice_categories WHERE code = $1 AND parent IS NULL",
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
             VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM advice_categories), $4)
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
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM consultation_topics), $3)
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::{error_of, org, person, Transcript};
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{OrganizationStore, PersonStore, ReferenceStore};

    /// Spheres, advice categories and consultation topics edited as Ustawienia does; the
    /// register's counts, most used cities and tags, and whether it is empty.
    async fn reference_story(
        s: &(impl ReferenceStore + OrganizationStore + PersonStore),
    ) -> Transcript {
        let mut t = Transcript::default();
        assert!(s.register_is_empty().await.unwrap());
        let areas = s.list_areas().await.unwrap();
        assert_eq!(areas.len(), 38);
        t.add("areas", &areas);
        s.save_area("34", "sfera dopisana przez biuro", true)
            .await
            .unwrap();
        s.save_area("1", "pomoc społeczna (nazwa poprawiona)", true)
            .await
            .unwrap();
        s.save_area("5a", "działalność na rzecz integracji cudzoziemców", false)
            .await
            .unwrap();
        let areas = s.list_areas().await.unwrap();
        assert_eq!(areas.last().unwrap().code, "34");
        assert_eq!(areas[0].name, "pomoc społeczna (nazwa poprawiona)");
        t.add("areas edited", &areas);
        let codes = s.area_codes().await.unwrap();
        assert!(codes.contains(&"34".to_string()) && !codes.contains(&"5a".to_string()));
        t.add("codes", &codes);

        let refused = error_of(
            s.save_advice_category("x1", Some("nie-ma"), "Podkategoria", true)
                .await,
        );
        assert!(refused.contains("parent"), "{refused}");
        t.add("category without parent", &refused);
        s.save_advice_category("zz", None, "Nowa kategoria", true)
            .await
            .unwrap();
        s.save_advice_category("zz1", Some("zz"), "Jej podkategoria", true)
            .await
            .unwrap();
        s.save_consultation_topic("budzet", "Budżet obywatelski", true)
            .await
            .unwrap();

        s.insert_organizations(&[
            org("A", "Łódź", "fundacja", |i| {
                i.tags = "seniorzy, kultura".into()
            }),
            org("B", "Łódź", "fundacja", |i| i.tags = "seniorzy".into()),
            org("C", "Kraków", "fundacja", |i| i.tags = "sport".into()),
            org("D", "Gdańsk", "fundacja", |_| {}),
            org("E", "", "fundacja", |_| {}),
        ])
        .await
        .unwrap();
        s.insert_people(&[person("Anna", "Nowak", "", &[])])
            .await
            .unwrap();
        assert!(!s.register_is_empty().await.unwrap());
        // Most used first; SQLite leaves the order of equally used ones to its sorter, so
        // they are compared as a set.
        let mut cities = s.cities(10).await.unwrap();
        assert_eq!(cities[0], "Łódź");
        cities[1..].sort();
        assert_eq!(cities, ["Łódź", "Gdańsk", "Kraków"]);
        let tags = s.tags(2).await.unwrap();
        assert_eq!(tags, ["seniorzy", "kultura"]);
        t.add("cities", &cities);
        let mut all_tags = s.tags(10).await.unwrap();
        all_tags[1..].sort();
        t.add("tags", &all_tags);
        let counts = s.counts().await.unwrap();
        assert_eq!(
            (
                counts.organizations,
                counts.people,
                counts.archived_organizations
            ),
            (5, 1, 0)
        );
        t.add("counts", &counts);
        t
    }

    #[tokio::test]
    async fn register_reference_alike_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let expected = reference_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            reference_story(&pg).await.assert_same_as(&expected);
        }
    }
}
