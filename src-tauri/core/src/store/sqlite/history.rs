//! The store's side of the change history (`change_log`: who changed which field of an
//! organisation or person, from what to what) and of the small settings table `meta`
//! (user-facing settings kept as JSON under a key).

use super::{now, SqliteStore};
use crate::error::Result;
use crate::register::ConsentOwner;
use crate::store::sqlite::{ORGANIZATION_CONSENTS, PERSON_CONSENTS};
use crate::store::*;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

#[async_trait::async_trait]
impl HistoryStore for SqliteStore {
    async fn changes(
        &self,
        entity: &str,
        id: i64,
        limit: u32,
    ) -> Result<Vec<crate::history::Change>> {
        Ok(sqlx::query_as("SELECT at, user_name, login, field, old_value, new_value FROM change_log WHERE entity = ? AND entity_id = ? ORDER BY id DESC LIMIT ?")
            .bind(entity)
            .bind(id)
            .bind(limit.clamp(1, 1000))
            .fetch_all(&self.pool)
            .await?)
    }

    async fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").bind(key).bind(value).execute(&self.pool).await?;
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
            "SELECT {}, channel FROM {} WHERE id = ?",
            t.owner_column, t.table
        ))
        .bind(consent_id)
        .fetch_optional(&self.pool)
        .await?)
    }
}

/// Writes change-log rows on `conn`, which is the write's own transaction wherever a record
/// changes: the change and its history commit together or not at all.
pub(crate) async fn write_changes(
    conn: &mut SqliteConnection,
    entity: &str,
    id: i64,
    user: &str,
    rows: &[crate::history::ChangeRow],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let stamp = now();
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO change_log (at, user_name, entity, entity_id, field, old_value, new_value) ",
    );
    qb.push_values(rows, |mut b, (field, old, new)| {
        b.push_bind(&stamp)
            .push_bind(user)
            .push_bind(entity)
            .push_bind(id)
            .push_bind(field)
            .push_bind(old)
            .push_bind(new);
    });
    qb.build().execute(&mut *conn).await?;
    Ok(())
}
