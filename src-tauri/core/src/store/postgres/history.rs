//! PostgreSQL: the change history (`change_log`) and the settings table `meta`, mirroring
//! `store/sqlite/history.rs` query by query.

use super::PgStore;
use crate::error::Result;
use crate::register::ConsentOwner;
use crate::store::sqlite::{now, ORGANIZATION_CONSENTS, PERSON_CONSENTS};
use crate::store::*;
use sqlx::{PgConnection, Postgres, QueryBuilder};

#[async_trait::async_trait]
impl HistoryStore for PgStore {
    async fn changes(
        &self,
        entity: &str,
        id: i64,
        limit: u32,
    ) -> Result<Vec<crate::history::Change>> {
        Ok(sqlx::query_as("SELECT at, user_name, login, field, old_value, new_value FROM change_log WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3")
            .bind(entity)
            .bind(id)
            .bind(i64::from(limit.clamp(1, 1000)))
            .fetch_all(&self.pool)
            .await?)
    }

    async fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn consent_owner(
        &self,
        owner: ConsentOwner,
        consent_id: i64,
    ) -> Result<Option<(i64, String)>> {
        let t = match owner {
            ConsentOwner::Person => &PERSON_CONSENTS,
            ConsentOwner::Organization => &ORGANIZATION_CONSENTS,
        };
        Ok(sqlx::query_as(&format!(
            "SELECT {}, channel FROM {} WHERE id = $1",
            t.owner_column, t.table
        ))
        .bind(consent_id)
        .fetch_optional(&self.pool)
        .await?)
    }
}

/// Writes change-log rows on `conn`, which is the write's own transaction wherever a record
/// changes: the change and its history commit together or not at all (as
/// `store::sqlite::history::write_changes`).
pub(crate) async fn write_changes(
    conn: &mut PgConnection,
    entity: &str,
    id: i64,
    user: &str,
    rows: &[crate::history::ChangeRow],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let stamp = now();
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
        "INSERT INTO change_log (at, user_name, entity, entity_id, field, old_value, new_value) ",
    );
    // Seven binds a row: far under the 65,535 one statement may carry for any form's fields.
    qb.push_values(rows, |mut b, (field, old, new)| {
        b.push_bind(&stamp)
            .push_bind(user)
            .push_bind(entity)
            .push_bind(id)
            .push_bind(field)
            .push_bind(old)
            .push_bind(new);
    });
    qb.build().execute(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::history::ChangeRow;
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{HistoryStore, PgStore, SqliteStore, StoreBackend};
    use sqlx::{Connection, SqliteConnection};

    // Rows are written the way every save writes them: inside a transaction of the backend's
    // own, with its `write_changes`.
    async fn log_sqlite(s: &SqliteStore, entity: &str, id: i64, user: &str, rows: Vec<ChangeRow>) {
        let url = format!("sqlite://{}", s.path().display());
        let mut conn = SqliteConnection::connect(&url).await.unwrap();
        let mut tx = conn.begin().await.unwrap();
        crate::store::sqlite::history::write_changes(&mut tx, entity, id, user, &rows)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    async fn log_pg(s: &PgStore, entity: &str, id: i64, user: &str, rows: Vec<ChangeRow>) {
        let mut tx = s.pool.begin().await.unwrap();
        super::write_changes(&mut tx, entity, id, user, &rows)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    /// Two saves of one organisation: the newest change comes first, the limit holds, another
    /// record's changes stay apart, and empty values come back as None.
    async fn changes_come_back_newest_first(
        s: &impl HistoryStore,
        log: impl AsyncFn(&str, i64, &str, Vec<ChangeRow>),
    ) {
        log(
            "organization",
            7,
            "Ewa",
            vec![
                ("name".into(), None, Some("Fundacja Łódź".into())),
                ("city".into(), None, Some("Łódź".into())),
            ],
        )
        .await;
        log(
            "organization",
            7,
            "Jan",
            vec![("city".into(), Some("Łódź".into()), Some("Kraków".into()))],
        )
        .await;
        log(
            "person",
            7,
            "Ewa",
            vec![("last_name".into(), None, Some("Nowak".into()))],
        )
        .await;
        log("organization", 7, "Ewa", vec![]).await;

        let all = s.changes("organization", 7, 50).await.unwrap();
        let seen: Vec<(&str, &str, Option<&str>, Option<&str>)> = all
            .iter()
            .map(|c| {
                (
                    c.user_name.as_str(),
                    c.field.as_str(),
                    c.old_value.as_deref(),
                    c.new_value.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("Jan", "city", Some("Łódź"), Some("Kraków")),
                ("Ewa", "city", None, Some("Łódź")),
                ("Ewa", "name", None, Some("Fundacja Łódź")),
            ]
        );
        assert!(all.iter().all(|c| c.at.len() == 20 && c.at.ends_with('Z')));
        assert_eq!(s.changes("organization", 7, 1).await.unwrap().len(), 1);
        assert_eq!(s.changes("person", 7, 0).await.unwrap().len(), 1);
        assert!(s.changes("organization", 8, 50).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn history_changes_newest_first_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        changes_come_back_newest_first(&sqlite, async |e, id, u, rows| {
            log_sqlite(&sqlite, e, id, u, rows).await
        })
        .await;
        if let Some(pg) = fresh_pg().await {
            changes_come_back_newest_first(&pg, async |e, id, u, rows| {
                log_pg(&pg, e, id, u, rows).await
            })
            .await;
        }
    }

    async fn meta_is_set_and_replaced(s: &impl HistoryStore) {
        assert_eq!(s.meta("office_name").await.unwrap(), None);
        s.set_meta("office_name", "Biuro Porad").await.unwrap();
        s.set_meta("office_name", "Biuro Porad w Łodzi")
            .await
            .unwrap();
        assert_eq!(
            s.meta("office_name").await.unwrap().as_deref(),
            Some("Biuro Porad w Łodzi")
        );
    }

    #[tokio::test]
    async fn history_meta_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        meta_is_set_and_replaced(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            meta_is_set_and_replaced(&pg).await;
        }
    }
}
