//! PostgreSQL → SQLite file: the server's data written into a new Kartoteka file with the
//! file's own schema. This is how a server-mode backup ("Kopia zapasowa") makes the same
//! checked backup file as the file mode, and the base of "server → file" transfers.
//! The whole copy reads one snapshot of the server (REPEATABLE READ): colleagues may go on
//! saving meanwhile, the file holds the register as it was at one instant.

use super::bulk::pg_search_words;
use super::register::pg_search_body;
use super::PgStore;
use crate::error::{Error, Result};
use crate::store::SqliteStore;
use chrono::{NaiveDate, NaiveDateTime};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{
    Column, ConnectOptions, Connection, Executor, PgConnection, Postgres, QueryBuilder, Row,
    Sqlite, SqliteConnection, TypeInfo,
};
use std::path::Path;

/// Rows fetched from the server and inserted into the file at a time: bounded memory however
/// large the attachments, and far under SQLite's 32,766 binds a statement.
const FETCH_STEP: &str = "FETCH FORWARD 200 FROM copy_rows";

/// One value on its way from the server to the file, in the type both sides agree on; sqlx
/// writes each into SQLite exactly as the SQLite backend writes the same Rust type.
enum Value {
    Int(Option<i64>),
    /// An offer's score (points with a decimal), the only non-integer number kept.
    Float(Option<f64>),
    Text(Option<String>),
    Date(Option<NaiveDate>),
    Time(Option<NaiveDateTime>),
    Bytes(Option<Vec<u8>>),
}

fn value(row: &PgRow, i: usize) -> Result<Value> {
    let column = &row.columns()[i];
    Ok(match column.type_info().name() {
        "INT8" => Value::Int(row.try_get(i)?),
        "INT4" => Value::Int(row.try_get::<Option<i32>, _>(i)?.map(i64::from)),
        "FLOAT8" => Value::Float(row.try_get(i)?),
        // The file keeps booleans as 0/1, as the SQLite backend writes them.
        "BOOL" => Value::Int(row.try_get::<Option<bool>, _>(i)?.map(i64::from)),
        "TEXT" => Value::Text(row.try_get(i)?),
        "DATE" => Value::Date(row.try_get(i)?),
        "TIMESTAMP" => Value::Time(row.try_get(i)?),
        "BYTEA" => Value::Bytes(row.try_get(i)?),
        other => {
            tracing::error!(
                column = column.name(),
                kind = other,
                "column type not copied"
            );
            return Err(Error::BadArgument(format!(
                "Kopia z serwera nie umie przenieść kolumny „{}” (typ {other}): zaktualizuj program.",
                column.name()
            )));
        }
    })
}

impl PgStore {
    /// Writes the whole database into a new SQLite file at `target` (created 0600; it must
    /// not hold anything the copy should keep).
    pub(crate) async fn copy_into_sqlite_file(&self, target: &Path) -> Result<()> {
        crate::private_files::create_file(target)?;
        let mut file = SqliteConnectOptions::new()
            .filename(target)
            .journal_mode(SqliteJournalMode::Delete)
            // Off while copying: tables go in any order; checked as a whole at the end.
            .foreign_keys(false)
            .pragma("trusted_schema", "OFF")
            .pragma("secure_delete", "ON")
            .collation("pl", |a: &str, b: &str| {
                crate::text::collation::compare(a, b)
            })
            .connect()
            .await?;
        let copied = self.copy_into(&mut file).await;
        let closed = file.close().await;
        copied?;
        closed?;
        Ok(())
    }

    async fn copy_into(&self, file: &mut SqliteConnection) -> Result<()> {
        // The file's own schema, exactly as a new file gets it (and its migration history).
        SqliteStore::migrate_to(file, SqliteStore::migrations().len()).await?;
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
             AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' AND name NOT LIKE 'search\\_index\\_%' ESCAPE '\\' ORDER BY name",
        )
        .fetch_all(&mut *file)
        .await?;
        let mut server = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *server)
            .await?;
        let mut writing = file.begin().await?;
        for table in &tables {
            // The file's columns, named one by one: the server's extra ones (the search
            // index's word vector) stay behind. FTS5 shows only `body`; its rowid is the key.
            let mut columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                    .bind(table)
                    .fetch_all(&mut *writing)
                    .await?;
            if table == "search_index" {
                columns.insert(0, "rowid".into());
            }
            // Migrations seed reference tables (areas, categories, topics): the server's
            // rows, edited by the office, replace them.
            sqlx::query(&format!("DELETE FROM \"{table}\""))
                .execute(&mut *writing)
                .await?;
            // Quoted: "key", "value", "position"… mean the same column on both sides.
            let list = columns
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            sqlx::query(&format!(
                "DECLARE copy_rows NO SCROLL CURSOR FOR SELECT {list} FROM \"{table}\""
            ))
            .execute(&mut *server)
            .await?;
            loop {
                // The simple protocol: a prepared FETCH describes no columns, so its rows
                // would come without them.
                let conn: &mut PgConnection = &mut server;
                let rows: Vec<PgRow> = conn.fetch_all(sqlx::raw_sql(FETCH_STEP)).await?;
                if rows.is_empty() {
                    break;
                }
                let mut values = Vec::with_capacity(rows.len());
                for row in &rows {
                    values.push(
                        (0..columns.len())
                            .map(|i| value(row, i))
                            .collect::<Result<Vec<Value>>>()?,
                    );
                }
                let mut insert: QueryBuilder<Sqlite> =
                    QueryBuilder::new(format!("INSERT INTO \"{table}\" ({list}) "));
                insert.push_values(values, |mut b, row| {
                    for v in row {
                        match v {
                            Value::Int(x) => b.push_bind(x),
                            Value::Float(x) => b.push_bind(x),
                            Value::Text(x) => b.push_bind(x),
                            Value::Date(x) => b.push_bind(x),
                            Value::Time(x) => b.push_bind(x),
                            Value::Bytes(x) => b.push_bind(x),
                        };
                    }
                });
                insert.build().execute(&mut *writing).await?;
            }
            sqlx::query("CLOSE copy_rows").execute(&mut *server).await?;
        }
        // The server enforces its keys; a row the file would refuse means the two schemas
        // went apart, and such a copy must not pass as a backup.
        let broken: Vec<(String,)> =
            sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(&mut *writing)
                .await?;
        if let Some((table,)) = broken.first() {
            tracing::error!(table = %table, "copy from the server breaks a foreign key");
            return Err(Error::BadArgument(format!(
                "Kopia z serwera wyszła niespójna (tabela {table}): nie została zapisana."
            )));
        }
        writing.commit().await?;
        server.rollback().await?;
        Ok(())
    }
}

/// Binds a PostgreSQL statement carries at most (65,535), with room to spare.
const PG_BINDS: usize = 60_000;

/// Rows read from the file at a time (by rowid, so each step is an index seek).
const FILE_ROWS_PER_STEP: i64 = 500;

/// A value read from the file in the type the server's column has.
fn file_value(row: &SqliteRow, i: usize, pg_type: &str, column: &str) -> Result<PgValue> {
    Ok(match pg_type {
        "bigint" => PgValue::Int8(row.try_get(i)?),
        "integer" => PgValue::Int4(row.try_get(i)?),
        "double precision" => PgValue::Float8(row.try_get(i)?),
        "boolean" => PgValue::Bool(row.try_get::<Option<i64>, _>(i)?.map(|v| v != 0)),
        "text" => PgValue::Text(row.try_get(i)?),
        "date" => PgValue::Date(row.try_get(i)?),
        "timestamp without time zone" => PgValue::Time(row.try_get(i)?),
        "bytea" => PgValue::Bytes(row.try_get(i)?),
        other => {
            tracing::error!(column, kind = other, "column type not loaded");
            return Err(Error::BadArgument(format!(
                "Przeniesienie na serwer nie umie zapisać kolumny „{column}” (typ {other}): zaktualizuj program."
            )));
        }
    })
}

enum PgValue {
    Int8(Option<i64>),
    Int4(Option<i32>),
    Float8(Option<f64>),
    Bool(Option<bool>),
    Text(Option<String>),
    Date(Option<NaiveDate>),
    Time(Option<NaiveDateTime>),
    Bytes(Option<Vec<u8>>),
    /// A search row's words (`pg_search_words`), as text for the server to read as a tsvector.
    Words(String),
}

/// How many rows a table holds, per table: what both sides show after a transfer.
pub type TableCounts = Vec<(String, i64)>;

impl PgStore {
    /// Replaces everything Kartoteka keeps in this database with the contents of the
    /// Kartoteka file `source` (a backup, or an office's file moving to the server), in ONE
    /// transaction: a failure or a server that dies half-way leaves the database as it was.
    /// The file must pass the restore checks and be at this program's schema level.
    /// `progress(done, total)` is called as rows go up. Returns the rows per table.
    pub async fn load_sqlite_file(
        &self,
        source: &Path,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<TableCounts> {
        let (_, level) = crate::store::sqlite::backup_file::examine(source, source).await?;
        if level != SqliteStore::migrations().len() {
            return Err(Error::BadArgument(format!(
                "Plik „{}” pochodzi ze starszej wersji Kartoteki: otwórz go najpierw w tej wersji programu (zaktualizuje się), potem przenieś.",
                source.display()
            )));
        }
        let mut file = crate::store::sqlite::backup_file::open_copy(source).await?;
        let loaded = self.load_from(&mut file, progress).await;
        let _ = file.close().await;
        loaded
    }

    async fn load_from(
        &self,
        file: &mut SqliteConnection,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<TableCounts> {
        // The server's tables, parents before children (by the foreign keys), each with the
        // columns the file has too (not the search words: made here from the body).
        let tables: Vec<String> = sqlx::query_scalar(
            "WITH RECURSIVE t AS (
                 SELECT c.oid, c.relname::TEXT AS name FROM pg_class c
                 WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
                   AND c.relname <> '_sqlx_migrations'),
             depth(oid, name, d) AS (
                 SELECT oid, name, 0 FROM t
                 UNION ALL
                 SELECT t.oid, t.name, depth.d + 1 FROM t
                 JOIN pg_constraint k ON k.conrelid = t.oid AND k.contype = 'f' AND k.confrelid <> t.oid
                 JOIN depth ON depth.oid = k.confrelid)
             SELECT name FROM depth GROUP BY name ORDER BY MAX(d), name",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut plan = Vec::with_capacity(tables.len());
        let mut total = 0u64;
        for table in &tables {
            let columns: Vec<(String, String)> = sqlx::query_as(
                "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
                   AND data_type <> 'tsvector'
                 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(&self.pool)
            .await?;
            let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{table}\""))
                .fetch_one(&mut *file)
                .await
                .map_err(|_| {
                    Error::BadArgument(format!(
                        "W pliku brakuje tabeli „{table}”, którą ma baza na serwerze."
                    ))
                })?;
            total += rows as u64;
            plan.push((table.clone(), columns, rows));
        }
        progress(0, total);

        let mut tx = self.pool.begin().await?;
        // Everything Kartoteka keeps goes (the seeded reference rows too): the file's rows
        // replace them. Other sessions wait on the lock instead of reading half a register.
        let list = tables
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ");
        sqlx::query(&format!("TRUNCATE {list} RESTART IDENTITY"))
            .execute(&mut *tx)
            .await?;
        let mut done = 0u64;
        let mut counts = Vec::with_capacity(plan.len());
        for (table, columns, rows) in &plan {
            counts.push((table.clone(), *rows));
            if *rows == 0 {
                continue;
            }
            let names = columns
                .iter()
                .map(|(c, _)| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let body_at = (table == "search_index")
                .then(|| columns.iter().position(|(c, _)| c == "body"))
                .flatten();
            let written = match body_at {
                Some(_) => format!("{names}, words"),
                None => names.clone(),
            };
            // Categories point at their parent in the same table: main ones first.
            let order = if columns.iter().any(|(c, _)| c == "parent") {
                "(parent IS NOT NULL), rowid"
            } else {
                "rowid"
            };
            let per_insert =
                (PG_BINDS / columns.len().max(1)).clamp(1, FILE_ROWS_PER_STEP as usize);
            let mut offset_rows: Vec<SqliteRow>;
            let mut last = i64::MIN;
            let mut step = 0i64;
            loop {
                // Keyset by rowid; the one self-referencing table is small and read whole.
                offset_rows = if order == "rowid" {
                    sqlx::query(&format!(
                        "SELECT rowid, {names} FROM \"{table}\" WHERE rowid > ? ORDER BY rowid LIMIT ?"
                    ))
                    .bind(last)
                    .bind(FILE_ROWS_PER_STEP)
                    .fetch_all(&mut *file)
                    .await?
                } else {
                    sqlx::query(&format!(
                        "SELECT rowid, {names} FROM \"{table}\" ORDER BY {order} LIMIT ? OFFSET ?"
                    ))
                    .bind(FILE_ROWS_PER_STEP)
                    .bind(step * FILE_ROWS_PER_STEP)
                    .fetch_all(&mut *file)
                    .await?
                };
                step += 1;
                let Some(tail) = offset_rows.last() else {
                    break;
                };
                last = tail.try_get(0)?;
                for chunk in offset_rows.chunks(per_insert) {
                    let mut values = Vec::with_capacity(chunk.len());
                    for row in chunk {
                        let mut value = columns
                            .iter()
                            .enumerate()
                            .map(|(i, (name, kind))| file_value(row, i + 1, kind, name))
                            .collect::<Result<Vec<PgValue>>>()?;
                        if let Some(at) = body_at {
                            let body = match &value[at] {
                                PgValue::Text(Some(body)) => pg_search_body(body),
                                _ => String::new(),
                            };
                            value.push(PgValue::Words(pg_search_words(&body)));
                        }
                        values.push(value);
                    }
                    let mut insert: QueryBuilder<Postgres> =
                        QueryBuilder::new(format!("INSERT INTO \"{table}\" ({written}) "));
                    insert.push_values(values, |mut b, row| {
                        for v in row {
                            match v {
                                PgValue::Int8(x) => b.push_bind(x),
                                PgValue::Int4(x) => b.push_bind(x),
                                PgValue::Float8(x) => b.push_bind(x),
                                PgValue::Bool(x) => b.push_bind(x),
                                PgValue::Text(x) => b.push_bind(x),
                                PgValue::Date(x) => b.push_bind(x),
                                PgValue::Time(x) => b.push_bind(x),
                                PgValue::Bytes(x) => b.push_bind(x),
                                PgValue::Words(x) => b.push_bind(x).push_unseparated("::tsvector"),
                            };
                        }
                    });
                    insert.build().execute(&mut *tx).await?;
                    done += chunk.len() as u64;
                    progress(done, total);
                }
            }
        }
        // Ids came with the rows: the next record numbered by the server goes after them.
        let identities: Vec<(String, String)> = sqlx::query_as(
            "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
        )
        .fetch_all(&mut *tx)
        .await?;
        for (table, column) in identities {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)"
            ))
            .bind(format!("\"{table}\""))
            .bind(&column)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(counts)
    }

    /// Rows per Kartoteka table on the server, to show beside the file's after a transfer.
    pub async fn table_counts(&self) -> Result<TableCounts> {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT c.relname::TEXT FROM pg_class c WHERE c.relkind = 'r'
             AND c.relnamespace = current_schema()::regnamespace AND c.relname <> '_sqlx_migrations' ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut counts = Vec::with_capacity(tables.len());
        for t in tables {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{t}\""))
                .fetch_one(&self.pool)
                .await?;
            counts.push((t, n));
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::super::register::fixtures::{org, person};
    use crate::advice::{AdviceChannel, AdviceDraft, AdviceOutcome};
    use crate::events::EventDraft;
    use crate::mail::{MessageInput, MessageKind};
    use crate::store::postgres::testing::fresh_pg;
    use crate::store::sqlite::backup_file::check_made_copy;
    use crate::store::*;
    use chrono::{NaiveDate, NaiveDateTime};

    /// What a person reads from a register, by every kind of column the copy converts (dates,
    /// times, booleans, sort keys, files, the search index, the change log, settings).
    async fn readings(s: &(impl Store + ?Sized)) -> String {
        let mut out = Vec::new();
        out.push(format!("{:?}", s.annual_counts(2026).await.unwrap()));
        out.push(format!("{:?}", s.list_areas().await.unwrap()));
        out.push(format!("{:?}", s.counts().await.unwrap()));
        for typed in ["lodz", "ŁĄKA", "kowal", "anna@example"] {
            let hits = s.search(typed, 10).await.unwrap();
            out.push(format!(
                "{typed}: {:?}",
                serde_json::to_string(&hits).unwrap()
            ));
        }
        let from = NaiveDateTime::parse_from_str("2026-01-01 00:00", "%Y-%m-%d %H:%M").unwrap();
        let (events, _) = s
            .calendar_events(from, from + chrono::Duration::days(365), 10)
            .await
            .unwrap();
        out.push(serde_json::to_string(&events).unwrap());
        out.push(format!("{:?}", s.meta("office_name").await.unwrap()));
        out.push(format!("{:?}", s.attachment_data(1).await.unwrap()));
        out.push(format!("{:?}", s.get_advice(1).await.unwrap().follow_up_on));
        out.join("\n")
    }

    /// A server-mode backup is a Kartoteka file that passes the same checks as a file-mode
    /// one and reads exactly as the server did.
    #[tokio::test]
    async fn pg_only_backup_file_reads_like_the_server() {
        let Some(pg) = fresh_pg().await else {
            return;
        };
        fill(&pg).await;

        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("kopia.db");
        pg.vacuum_into(&copy).await.unwrap();
        check_made_copy(&copy).await.unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the copy is readable by others: {mode:o}");
        }
        let file = SqliteStore::open(&copy).await.unwrap();
        let server = readings(&pg).await;
        assert!(server.contains("poprawione przez biuro"), "{server}");
        assert!(server.contains("Łąka"), "{server}");
        assert_eq!(readings(&file).await, server);
    }

    /// Registers of every kind of column, made through the contract (any backend).
    async fn fill(pg: &impl Store) {
        pg.save_area("1", "pomoc społeczna (poprawione przez biuro)", true)
            .await
            .unwrap();
        pg.insert_organizations(&[
            org("Stowarzyszenie Łąka", "Łódź", "stowarzyszenie", |o| {
                o.areas = vec!["1".into()];
                o.public_benefit = true;
                o.member_since = "2020-03-01".into();
            }),
            org("Fundacja Ćma", "Kraków", "fundacja", |_| {}),
        ])
        .await
        .unwrap();
        pg.insert_people(&[person("Anna", "Kowalska", "anna@example.org", &[])])
            .await
            .unwrap();
        pg.insert_advice(&AdviceDraft {
            given_on: NaiveDate::from_ymd_opt(2026, 2, 3).unwrap(),
            advisor: "Ewa".into(),
            person_id: Some(1),
            client_code: None,
            age_band: None,
            sex: Some("k".into()),
            residence: None,
            returning: true,
            channel: AdviceChannel::Email,
            minutes: Some(20),
            categories: vec!["MIE".into()],
            description: Some("poufne".into()),
            outcome: AdviceOutcome::Letter,
            follow_up_on: NaiveDate::from_ymd_opt(2026, 3, 1),
            follow_up_done: true,
        })
        .await
        .unwrap();
        pg.save_event(
            None,
            &EventDraft {
                title: "Forum".into(),
                kind: "forum".into(),
                starts_at: NaiveDateTime::parse_from_str("2026-04-01 09:30", "%Y-%m-%d %H:%M")
                    .unwrap(),
                ends_at: None,
                place: None,
                trainer: None,
                topic: None,
                description: None,
                capacity: None,
                public: false,
            },
        )
        .await
        .unwrap();
        let message = pg
            .insert_message(
                &MessageInput {
                    kind: MessageKind::Notice,
                    is_template: false,
                    subject: "Nabór".into(),
                    body: "Treść".into(),
                    list_id: None,
                },
                None,
            )
            .await
            .unwrap();
        pg.add_attachment(message, "regulamin.pdf", "application/pdf", &[0, 1, 2, 255])
            .await
            .unwrap();
        pg.set_meta("office_name", "Biuro Porad").await.unwrap();
    }

    /// An office's file moves to the server and back: every table's rows arrive, both read
    /// alike, new records are numbered after the moved ones, and a file the server refuses
    /// half-way leaves what was there untouched.
    #[tokio::test]
    async fn pg_only_file_to_server_to_file_reads_alike() {
        let Some(pg) = fresh_pg().await else {
            return;
        };
        let (dir, office) = crate::store::postgres::testing::fresh_sqlite().await;
        fill(&office).await;
        let file = dir.path().join("biuro-kopia.db");
        office.vacuum_into(&file).await.unwrap();

        let steps = std::sync::Mutex::new(Vec::new());
        let counts = pg
            .load_sqlite_file(&file, &|done, total| {
                steps.lock().unwrap().push((done, total))
            })
            .await
            .unwrap();
        let steps = steps.into_inner().unwrap();
        let total: i64 = counts.iter().map(|(_, n)| n).sum();
        assert!(total > 100, "{counts:?}");
        assert_eq!(steps.first(), Some(&(0, total as u64)));
        assert_eq!(steps.last(), Some(&(total as u64, total as u64)));
        let mut on_server = pg.table_counts().await.unwrap();
        let mut sent = counts.clone();
        on_server.sort();
        sent.sort();
        assert_eq!(on_server, sent);
        let before = readings(&office).await;
        assert_eq!(readings(&pg).await, before);

        let back = dir.path().join("z-serwera.db");
        pg.vacuum_into(&back).await.unwrap();
        assert_eq!(
            readings(&SqliteStore::open(&back).await.unwrap()).await,
            before
        );

        let next = pg
            .insert_people(&[person("Jan", "Nowak", "", &[])])
            .await
            .unwrap();
        assert_eq!(next, [2], "numbered after the moved records");
        let with_jan = readings(&pg).await;

        // A file with a row the server refuses (a queue row of a message that is not there,
        // written with the file's checks off): nothing of it stays, the register is as it was.
        let broken = dir.path().join("zepsuty.db");
        std::fs::copy(&file, &broken).unwrap();
        {
            use sqlx::{ConnectOptions, Connection};
            let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&broken)
                .foreign_keys(false)
                .connect()
                .await
                .unwrap();
            sqlx::query("INSERT INTO mail_queue (message_id, address, recipient_name, merge_fields, updated_at) VALUES (999, 'x@example.org', 'X', '{}', '2026-01-01T00:00:00Z')")
                .execute(&mut conn)
                .await
                .unwrap();
            conn.close().await.unwrap();
        }
        let e = pg.load_sqlite_file(&broken, &|_, _| {}).await.unwrap_err();
        assert!(e.to_string().contains("spójność"), "{e}");
        assert_eq!(pg.counts().await.unwrap().people, 2);
        assert_eq!(readings(&pg).await, with_jan);
    }
}
