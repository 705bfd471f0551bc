//! SQLite: reading a backup file without trusting it (read-only, immutable, `trusted_schema`
//! off), checking it (integrity, our migrations as a prefix, exactly the schema they make),
//! migrating an older copy on a temporary file, and looking for a person in kept copies.

use super::SqliteStore;
use crate::backup::*;
use crate::error::{Error, Result};
use chrono::Local;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub(crate) async fn count(conn: &mut sqlx::SqliteConnection, sql: &str) -> Option<i64> {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(conn).await.ok()
}

/// Opens a copy for checking without writing anything: read-only and immutable (no WAL or
/// journal is made or replayed beside it), and with `trusted_schema` off so that nothing in
/// its schema runs functions while it is read.
pub(crate) async fn open_copy(path: &Path) -> Result<sqlx::SqliteConnection> {
    Ok(SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .pragma("trusted_schema", "OFF")
        .connect()
        .await?)
}

/// One schema object as `sqlite_master` describes it: type, name, table, SQL text.
type SchemaObject = (String, String, String, Option<String>);

/// What SQLite itself adds when gathering statistics (ANALYZE, `PRAGMA optimize`): allowed in
/// a copy only with exactly these definitions.
const STAT_TABLES: [&str; 2] = [
    "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
    "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
];

pub(crate) async fn schema_of(conn: &mut sqlx::SqliteConnection) -> Result<BTreeSet<SchemaObject>> {
    let rows: Vec<SchemaObject> =
        sqlx::query_as("SELECT type, name, tbl_name, sql FROM sqlite_master")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .filter(|(kind, _, _, sql)| {
            !(kind == "table" && sql.as_deref().is_some_and(|s| STAT_TABLES.contains(&s)))
        })
        .collect())
}

/// The schema the first `level` migrations make, built once per level in memory.
pub(crate) async fn reference_schema(level: usize) -> Result<BTreeSet<SchemaObject>> {
    static CACHE: std::sync::Mutex<BTreeMap<usize, BTreeSet<SchemaObject>>> =
        std::sync::Mutex::new(BTreeMap::new());
    if let Some(s) = CACHE.lock().expect("schema cache").get(&level) {
        return Ok(s.clone());
    }
    let mut conn = <SqliteConnectOptions as std::str::FromStr>::from_str("sqlite::memory:")?
        .pragma("trusted_schema", "OFF")
        .collation("pl", |a: &str, b: &str| {
            crate::text::collation::compare(a, b)
        })
        .connect()
        .await?;
    SqliteStore::migrate_to(&mut conn, level).await?;
    let schema = schema_of(&mut conn).await?;
    let _ = conn.close().await;
    CACHE
        .lock()
        .expect("schema cache")
        .insert(level, schema.clone());
    Ok(schema)
}

/// A name from a file from outside, fit to be shown in a message.
pub(crate) fn shown(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(60).collect()
}

pub(crate) fn kind_pl(kind: &str) -> &'static str {
    match kind {
        "table" => "tabela",
        "index" => "indeks",
        "trigger" => "wyzwalacz",
        "view" => "widok",
        _ => "obiekt",
    }
}

/// The checks a copy must pass before it may replace the register, on a connection from
/// `open_copy`: SQLite's integrity check; its record of schema changes is a prefix of this
/// program's (same versions, same checksums); its schema objects are exactly those that many
/// migrations make, so nothing (a trigger, a view) rides along. Returns how many of this
/// program's migrations the copy has.
pub(crate) async fn check_copy(conn: &mut sqlx::SqliteConnection, named: &Path) -> Result<usize> {
    let name = named.display();
    let not_a_backup = || {
        Error::BadArgument(format!(
            "„{name}” nie jest kopią Kartoteki albo jest uszkodzony."
        ))
    };
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(|_| not_a_backup())?;
    if problems.len() != 1 || problems[0] != "ok" {
        tracing::warn!(
            problems = problems.len(),
            "backup copy failed integrity_check"
        );
        return Err(Error::BadArgument(format!("Kopia „{name}” jest uszkodzona (SQLite znalazł w niej błędy: {}): nie nadaje się do przywrócenia.", problems.len())));
    }
    let has_log: Option<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_optional(&mut *conn)
    .await
    .map_err(|_| not_a_backup())?;
    if has_log.is_none() {
        return Err(not_a_backup());
    }
    let applied: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .map_err(|_| not_a_backup())?;
    let known = SqliteStore::migrations();
    for (i, (version, checksum, success)) in applied.iter().enumerate() {
        let Some(ours) = known.get(i).filter(|m| m.version == *version) else {
            let newest = known.last().map(|m| m.version).unwrap_or(0);
            return Err(Error::BadArgument(if *version > newest {
                format!("Kopia „{name}” pochodzi z nowszej wersji Kartoteki (zmiana budowy bazy nr {version}, której ten program nie zna). Zainstaluj nowszą wersję programu, aby ją przywrócić.")
            } else {
                format!("Kopia „{name}” zapisuje zmianę budowy bazy nr {version}, której Kartoteka nie zna: to nie jest kopia z tego programu.")
            }));
        };
        if ours.checksum.as_ref() != checksum.as_slice() {
            return Err(Error::BadArgument(format!("Zmiana budowy bazy nr {version} zapisana w kopii „{name}” różni się od tej w programie: kopia została zmieniona poza Kartoteką.")));
        }
        if !success {
            return Err(Error::BadArgument(format!("W kopii „{name}” zmiana budowy bazy nr {version} nie została dokończona: nie nadaje się do przywrócenia.")));
        }
    }
    let level = applied.len();
    let expected = reference_schema(level).await?;
    let found = schema_of(conn).await.map_err(|_| not_a_backup())?;
    if found != expected {
        let key = |o: &SchemaObject| (o.0.clone(), o.1.clone());
        let expected_keys: BTreeSet<(String, String)> = expected.iter().map(key).collect();
        let found_keys: BTreeSet<(String, String)> = found.iter().map(key).collect();
        let mut parts = Vec::new();
        let added: Vec<String> = found_keys
            .difference(&expected_keys)
            .map(|(k, n)| format!("{} „{}”", kind_pl(k), shown(n)))
            .collect();
        if !added.is_empty() {
            parts.push(format!(
                "dodane obiekty, których Kartoteka nie tworzy: {}",
                added.join(", ")
            ));
        }
        let changed: Vec<String> = found
            .difference(&expected)
            .filter(|o| expected_keys.contains(&key(o)))
            .map(|o| format!("{} „{}”", kind_pl(&o.0), shown(&o.1)))
            .collect();
        if !changed.is_empty() {
            parts.push(format!("zmienione: {}", changed.join(", ")));
        }
        let missing: Vec<String> = expected_keys
            .difference(&found_keys)
            .map(|(k, n)| format!("{} „{}”", kind_pl(k), shown(n)))
            .collect();
        if !missing.is_empty() {
            parts.push(format!("brakuje: {}", missing.join(", ")));
        }
        tracing::warn!(
            added = added.len(),
            changed = changed.len(),
            missing = missing.len(),
            "backup copy refused: schema differs"
        );
        return Err(Error::BadArgument(format!(
            "Kopia „{name}” ma inną budowę niż baza Kartoteki ({}). Taki plik mógłby po przywróceniu zmieniać albo usuwać dane, więc nie zostanie przywrócony.",
            parts.join("; ")
        )));
    }
    Ok(level)
}

/// Counts what a checked copy holds. `file` is read, `named` is what the user knows it as.
pub(crate) async fn describe(
    conn: &mut sqlx::SqliteConnection,
    file: &Path,
    named: &Path,
) -> Result<BackupInfo> {
    let not_a_backup = || {
        Error::BadArgument(format!(
            "„{}” nie jest kopią Kartoteki albo jest uszkodzony.",
            named.display()
        ))
    };
    let meta = std::fs::metadata(named)
        .or_else(|_| std::fs::metadata(file))
        .map_err(|_| Error::BadArgument(format!("Nie ma pliku „{}”.", named.display())))?;
    let organizations = count(conn, "SELECT COUNT(*) FROM organizations")
        .await
        .ok_or_else(not_a_backup)?;
    let people = count(conn, "SELECT COUNT(*) FROM people")
        .await
        .unwrap_or(0);
    let advice = count(conn, "SELECT COUNT(*) FROM advice_records")
        .await
        .unwrap_or(0);
    let events = count(conn, "SELECT COUNT(*) FROM events")
        .await
        .unwrap_or(0);
    let messages = count(
        conn,
        "SELECT COUNT(*) FROM mail_messages WHERE status <> 'draft'",
    )
    .await
    .unwrap_or(0);
    let made_at = stamp_of(named)
        .map(|s| s.format("%Y-%m-%d %H:%M:%S").to_string())
        .or_else(|| {
            meta.modified().ok().map(|m| {
                chrono::DateTime::<Local>::from(m)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
        })
        .unwrap_or_default();
    Ok(BackupInfo {
        path: named.display().to_string(),
        file_name: named
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        made_at,
        size: meta.len(),
        organizations,
        people,
        advice,
        events,
        messages,
    })
}

/// Reads `file` read-only, runs every restore check and counts what it holds; returns the
/// copy's migration level too.
pub(crate) async fn examine(file: &Path, named: &Path) -> Result<(BackupInfo, usize)> {
    if !file.is_file() {
        return Err(Error::BadArgument(format!(
            "Nie ma pliku „{}”.",
            named.display()
        )));
    }
    let mut conn = open_copy(file).await.map_err(|_| {
        Error::BadArgument(format!(
            "„{}” nie jest kopią Kartoteki albo jest uszkodzony.",
            named.display()
        ))
    })?;
    let result = match check_copy(&mut conn, named).await {
        Ok(level) => describe(&mut conn, file, named)
            .await
            .map(|info| (info, level)),
        Err(e) => Err(e),
    };
    let _ = conn.close().await;
    result
}

/// Opens a backup read-only, runs every check a restore makes (integrity, its schema changes
/// a prefix of this program's, no schema object the migrations do not make) and counts what
/// it holds. A copy that fails is refused with the reason, in Polish.
pub async fn inspect(path: &Path) -> Result<BackupInfo> {
    Ok(examine(path, path).await?.0)
}

/// The check of a copy this program has just made from its own database: integrity and
/// counts. (The full schema check is for copies from outside, at restore time.)
pub(crate) async fn check_made_copy(path: &Path) -> Result<BackupInfo> {
    let mut conn = open_copy(path).await.map_err(|_| {
        Error::BadArgument(format!(
            "„{}” nie jest kopią Kartoteki albo jest uszkodzony.",
            path.display()
        ))
    })?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await?;
    let result = if check != "ok" {
        Err(Error::BadArgument(format!(
            "Kopia „{}” wyszła uszkodzona: nie została zapisana.",
            path.display()
        )))
    } else {
        describe(&mut conn, path, path).await
    };
    let _ = conn.close().await;
    result
}

/// Brings our temporary copy of an older backup up to this program's schema (the user's file
/// is never written), then checks the result as strictly as a current copy.
pub(crate) async fn migrate_temporary_copy(tmp: &Path, named: &Path) -> Result<()> {
    let mut conn = SqliteConnectOptions::new()
        .filename(tmp)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Delete)
        .foreign_keys(true)
        .pragma("trusted_schema", "OFF")
        .collation("pl", |a: &str, b: &str| {
            crate::text::collation::compare(a, b)
        })
        .connect()
        .await?;
    let done = SqliteStore::migrate_to(&mut conn, SqliteStore::migrations().len()).await;
    let _ = conn.close().await;
    done.map_err(|_| Error::BadArgument(format!("Kopii „{}” ze starszej wersji programu nie udało się przenieść do obecnej budowy bazy.", named.display())))?;
    let (_, level) = examine(tmp, named).await?;
    debug_assert_eq!(level, SqliteStore::migrations().len());
    Ok(())
}

/// Whether the copy at `path` holds the person (same id, same creation time, not yet
/// anonymised). A copy that cannot be read counts as holding them: it cannot be ruled out.
pub(crate) async fn holds_person(path: &Path, id: i64, created_at: &str) -> bool {
    // A copy kept aside with its WAL (from a file that could not be opened) is read here
    // without it, so the person may be in the WAL alone: it counts as holding them.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0) {
        return true;
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .pragma("trusted_schema", "OFF");
    let Ok(mut conn) = options.connect().await else {
        return true;
    };
    let found: std::result::Result<i64, sqlx::Error> = sqlx::query_scalar(
        "SELECT COUNT(*) FROM people WHERE id = ? AND created_at = ? AND NOT (first_name = 'Osoba' AND last_name = 'zanonimizowana nr ' || id)",
    )
    .bind(id)
    .bind(created_at)
    .fetch_one(&mut conn)
    .await;
    let _ = conn.close().await;
    found.map(|n| n > 0).unwrap_or(true)
}
