//! PostgreSQL: the type-ahead search over organisations and people, on a `tsvector` with a GIN
//! index instead of SQLite's FTS5 table, finding the same records for the same typing (see
//! `pg_search_body` and `pg_tsquery`), ordered by the same rules.

use super::*;
use crate::error::Result;
use crate::text::fold;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};

#[async_trait::async_trait]
impl SearchStore for PgStore {
    async fn search(&self, typed: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let Some(expr) = pg_tsquery(typed) else {
            return Ok(Vec::new());
        };
        let limit = limit.clamp(1, 200);
        let candidates = (limit * 5).max(50);
        // Like FTS5 here, no ranking: the first candidates found, ordered below. Which rows
        // are candidates is decided on the server (`search_candidates`, migration
        // 20261202090000: the table's first rows for a common prefix, else the GIN index), in
        // the statement that reads them: no round trips for a transaction or a setting. GIN
        // is asked only for the words of three or more characters (`narrow`): a shorter
        // prefix spans so many words that merging their posting lists costs more than
        // checking the rows the longer words find.
        let terms: Vec<&str> = expr
            .split(" & ")
            .map(|t| t.trim_end_matches(":*"))
            .collect();
        let narrow: Vec<String> = terms
            .iter()
            .filter(|t| t.chars().count() >= 3)
            .map(|t| format!("{t}:*"))
            .collect();
        let narrow = if narrow.is_empty() {
            expr.clone()
        } else {
            narrow.join(" & ")
        };
        // Rows of the table read at most before the GIN index is asked: about what the index
        // costs for a prefix spanning thousands of words (see the migration).
        const SEARCH_WALK: i32 = 8_000;
        let rows = sqlx::query(
            "WITH c AS (SELECT search_candidates($1, $2, $3, $4) AS rowid)
             SELECT FALSE, o.id, o.name, o.city, o.archived_at IS NOT NULL
             FROM organizations o WHERE o.id IN (SELECT rowid / 2 FROM c WHERE rowid % 2 = 0)
             UNION ALL
             SELECT TRUE, p.id, p.first_name || ' ' || p.last_name, NULL, p.archived_at IS NOT NULL
             FROM people p WHERE p.id IN (SELECT rowid / 2 FROM c WHERE rowid % 2 = 1)
             ORDER BY 1, 2",
        )
        .bind(&expr)
        .bind(&narrow)
        .bind(candidates as i32)
        .bind(SEARCH_WALK)
        .fetch_all(&self.pool)
        .await?;
        let hits: Vec<SearchHit> = rows
            .iter()
            .map(|row| SearchHit {
                kind: if row.get::<bool, _>(0) {
                    RecordKind::Person
                } else {
                    RecordKind::Organization
                },
                id: row.get(1),
                name: row.get(2),
                detail: row.get(3),
                archived: row.get(4),
            })
            .collect();
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
        let mut shown: Vec<SearchHit> = keyed
            .into_iter()
            .take(limit as usize)
            .map(|k| k.3)
            .collect();
        // A person's organisations only for the people shown: for all the candidates they
        // took most of the time of a keystroke.
        let people: Vec<i64> = shown
            .iter()
            .filter(|h| h.kind == RecordKind::Person)
            .map(|h| h.id)
            .collect();
        if !people.is_empty() {
            let details: Vec<(i64, String)> = sqlx::query_as(
                "SELECT r.person_id, string_agg(o.name, '; ' ORDER BY r.id)
                 FROM person_roles r JOIN organizations o ON o.id = r.organization_id
                 WHERE r.person_id = ANY($1) GROUP BY r.person_id",
            )
            .bind(&people)
            .fetch_all(&self.pool)
            .await?;
            let details: std::collections::HashMap<i64, String> = details.into_iter().collect();
            for h in shown.iter_mut() {
                if h.kind == RecordKind::Person {
                    h.detail = details.get(&h.id).cloned();
                }
            }
        }
        Ok(shown)
    }
}

impl PgStore {
    /// Adds search rows (rowid as `org_rowid`/`person_rowid`, the folded body) with their
    /// words, made here from the body (`pg_search_words`).
    pub(crate) async fn insert_search_rows(
        tx: &mut PgConnection,
        rows: &[(i64, String)],
    ) -> Result<()> {
        let rows: Vec<(i64, String, String)> = rows
            .iter()
            .map(|(rowid, body)| {
                let body = pg_search_body(body);
                let words = pg_search_words(&body);
                (*rowid, body, words)
            })
            .collect();
        if rows.len() >= COPY_FROM {
            let mut copy = CopyRows::default();
            for (rowid, body, words) in &rows {
                copy.int(Some(*rowid)).text(Some(body)).text(Some(words));
                copy.end_row();
            }
            return copy
                .send(tx, "COPY search_index (rowid, body, words) FROM STDIN")
                .await;
        }
        for chunk in rows.chunks(PG_SEARCH_BATCH) {
            let mut qb: QueryBuilder<Postgres> =
                QueryBuilder::new("INSERT INTO search_index (rowid, body, words) ");
            qb.push_values(chunk, |mut b, (rowid, body, words)| {
                b.push_bind(*rowid)
                    .push_bind(body)
                    .push_bind(words)
                    .push_unseparated("::tsvector");
            });
            qb.build().execute(&mut *tx).await?;
        }
        Ok(())
    }

    pub(crate) async fn delete_search_row(tx: &mut PgConnection, rowid: i64) -> Result<()> {
        sqlx::query("DELETE FROM search_index WHERE rowid = $1")
            .bind(rowid)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{note, org, person, Transcript};
    use crate::register::*;
    use crate::store::postgres::testing::{database_url, fresh_pg, fresh_sqlite, SERVER_VAR};
    use crate::store::postgres::PgStore;
    use crate::store::{OrganizationStore, PersonStore, SearchStore};
    use sqlx::{Connection, Executor, PgConnection};

    /// What the type-ahead finds: diacritics either way, identifiers with or without dashes or
    /// PL, every word a prefix, words inside e-mails and behind non-ASCII quotes; names starting
    /// with the typing first, archived after active, then Polish order.
    async fn search_story(s: &(impl OrganizationStore + PersonStore + SearchStore)) -> Transcript {
        let mut t = Transcript::default();
        s.insert_organizations(&[
            org(
                "Łódzkie Stowarzyszenie Lokatorów",
                "Łódź",
                "stowarzyszenie",
                |i| {
                    i.nip = "123-456-32-18".into();
                    i.emails = "biuro@lokatorzy.example.org".into();
                },
            ),
            org("Klub Lodz Biega", "Zgierz", "klub_sportowy", |_| {}),
            org("Łódź Dawniej", "Łódź", "fundacja", |_| {}),
            org(
                "Fundacja „Razem” – Kultura",
                "Lublin",
                "fundacja",
                |i| {
                    i.tags = "kultura ludowa".into();
                },
            ),
            org("Lubelska Fundacja Kultury", "Lublin", "fundacja", |i| {
                i.nip = "5250000009".into();
            }),
        ])
        .await
        .unwrap();
        s.set_organization_archived(3, true, &note("Ewa", "archived", "tak"))
            .await
            .unwrap();
        s.insert_people(&[
            person(
                "Jan",
                "Kowalski",
                "jan.kowalski@example.org",
                &[(1, "prezes"), (5, "członek")],
            ),
            person("Łucja", "Łódzka", "", &[]),
        ])
        .await
        .unwrap();
        // A changed record is found by its new words only.
        let mut renamed = org("Lubelska Fundacja Sztuki", "Lublin", "fundacja", |i| {
            i.nip = "5250000009".into();
        });
        renamed.tags = vec!["teatr".into()];
        s.update_organization(5, &renamed, "Ewa", None)
            .await
            .unwrap();

        let found = |hits: &[SearchHit]| -> Vec<(RecordKind, i64)> {
            hits.iter().map(|h| (h.kind, h.id)).collect()
        };
        use RecordKind::{Organization as O, Person as P};
        let cases: [(&str, Vec<(RecordKind, i64)>); 14] = [
            // Names starting with "lodz" first, the archived one after the active; then the
            // other hits in Polish order ("Klub…" before "Łucja Łódzka").
            ("lodz", vec![(O, 1), (O, 3), (O, 2), (P, 2)]),
            ("ŁÓDŹ", vec![(O, 1), (O, 3), (O, 2), (P, 2)]),
            ("Łódź Stow", vec![(O, 1)]),
            ("123-456-32-18", vec![(O, 1)]),
            ("PL1234563218", vec![(O, 1)]),
            ("123456", vec![(O, 1)]),
            ("fund kult", vec![(O, 4)]),
            ("fund szt", vec![(O, 5)]),
            ("kultury", vec![]),
            ("kowalski", vec![(P, 1)]),
            ("lokatorzy", vec![(O, 1)]),
            ("razem", vec![(O, 4)]),
            ("zzz", vec![]),
            ("  -- ", vec![]),
        ];
        for (typed, want) in cases {
            let hits = s.search(typed, 20).await.unwrap();
            assert_eq!(found(&hits), want, "search for {typed:?}");
            t.add(typed, &hits);
        }
        let jan = s.search("jan kow", 20).await.unwrap();
        assert_eq!(
            jan[0].detail.as_deref(),
            Some("Łódzkie Stowarzyszenie Lokatorów; Lubelska Fundacja Sztuki")
        );
        assert_eq!(s.search("l", 2).await.unwrap().len(), 2);
        t.add("limit", &s.search("l", 2).await.unwrap());
        t
    }

    /// PostgreSQL only: on a database made with the C locale (initdb without a language, many
    /// server images) the text-search parser takes every non-ASCII character for a letter, so
    /// a body stored as typed would keep „razem” and "–" as words and "razem" would find
    /// nothing; the body is cut into words before it is stored.
    #[tokio::test]
    async fn pg_only_search_splits_quotes_and_dashes_on_a_c_locale_database() {
        let server = match std::env::var(SERVER_VAR) {
            Ok(url) if !url.trim().is_empty() => url,
            _ => {
                eprintln!("{SERVER_VAR} not set: PostgreSQL-only test skipped");
                return;
            }
        };
        let name = format!("kt_c_locale_{}", std::process::id());
        let mut admin = PgConnection::connect(&server).await.unwrap();
        admin
            .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
            .await
            .unwrap();
        admin
            .execute(
                format!("CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
                    .as_str(),
            )
            .await
            .unwrap();
        let pg = PgStore::connect(&database_url(&server, &name))
            .await
            .unwrap();
        pg.insert_organizations(&[org(
            "Fundacja „Razem” – Kultura",
            "Łódź",
            "fundacja",
            |_| {},
        )])
        .await
        .unwrap();
        for typed in ["razem", "kult", "„Razem”", "lodz"] {
            let hits = pg.search(typed, 10).await.unwrap();
            assert_eq!(hits.len(), 1, "search for {typed:?}");
        }
    }

    #[tokio::test]
    async fn register_search_alike_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let expected = search_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            search_story(&pg).await.assert_same_as(&expected);
        }
    }
}
