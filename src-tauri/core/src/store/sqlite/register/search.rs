//! SQLite: the FTS5 search over organisations, people and client codes.

use super::*;
use crate::error::{Error, Result};
use crate::text::collation::{self};
use crate::text::fold;
use sqlx::{QueryBuilder, Row, Sqlite};

#[async_trait::async_trait]
impl SearchStore for SqliteStore {
    // ----- search -----------------------------------------------------------------------

    async fn search(&self, typed: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let Some(expr) = fts_query(typed) else {
            return Ok(Vec::new());
        };
        let limit = limit.clamp(1, 200);
        let candidates = (limit * 5).max(50);
        let rowids: Vec<i64> =
            sqlx::query_scalar("SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?")
                .bind(&expr)
                .bind(candidates)
                .fetch_all(&self.pool)
                .await?;
        let org_ids: Vec<i64> = rowids
            .iter()
            .filter(|r| *r % 2 == 0)
            .map(|r| r / 2)
            .collect();
        let person_ids: Vec<i64> = rowids
            .iter()
            .filter(|r| *r % 2 == 1)
            .map(|r| r / 2)
            .collect();
        let mut hits = Vec::with_capacity(rowids.len());
        if !org_ids.is_empty() {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT id, name, city, archived_at IS NOT NULL FROM organizations WHERE id IN (",
            );
            let mut sep = qb.separated(", ");
            for id in &org_ids {
                sep.push_bind(*id);
            }
            qb.push(")");
            for row in qb.build().fetch_all(&self.pool).await? {
                hits.push(SearchHit {
                    kind: RecordKind::Organization,
                    id: row.get(0),
                    name: row.get(1),
                    detail: row.get(2),
                    archived: row.get(3),
                });
            }
        }
        if !person_ids.is_empty() {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT p.id, p.first_name || ' ' || p.last_name, p.archived_at IS NOT NULL,
                 (SELECT group_concat(o.name, '; ') FROM person_roles r JOIN organizations o ON o.id = r.organization_id WHERE r.person_id = p.id)
                 FROM people p WHERE p.id IN (",
            );
            let mut sep = qb.separated(", ");
            for id in &person_ids {
                sep.push_bind(*id);
            }
            qb.push(")");
            for row in qb.build().fetch_all(&self.pool).await? {
                hits.push(SearchHit {
                    kind: RecordKind::Person,
                    id: row.get(0),
                    name: row.get(1),
                    detail: row.get(3),
                    archived: row.get(2),
                });
            }
        }
        let first_word = fold(typed)
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        let mut keyed: Vec<(bool, bool, Vec<u8>, SearchHit)> = hits
            .into_iter()
            .map(|h| {
                (
                    !fold(&h.name).starts_with(&first_word),
                    h.archived,
                    collation::sort_key(&h.name),
                    h,
                )
            })
            .collect();
        keyed.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        Ok(keyed
            .into_iter()
            .take(limit as usize)
            .map(|k| k.3)
            .collect())
    }
}

impl SqliteStore {
    /// Deletes one row by id; `table` comes from the callers' fixed names, never from input.
    pub(crate) async fn delete_by_id(
        &self,
        table: &'static str,
        id: i64,
        what: &'static str,
    ) -> Result<()> {
        let done = sqlx::query(&format!("DELETE FROM {table} WHERE id = ?"))
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(what));
        }
        Ok(())
    }
}
