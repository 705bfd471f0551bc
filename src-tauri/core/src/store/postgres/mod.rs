//! PostgreSQL: the backend for offices where several PCs work on one server. Each domain's
//! reads and writes are one file here, mirroring `store/sqlite/`; this file holds the pool,
//! the migrations (`migrations/postgres/`) and what the backend itself does.

use crate::error::{Error, Result};
use crate::store::StoreBackend;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod advice;
mod bulk;
mod consultations;
mod cooperation;
mod copy;
mod events;
mod import;
mod legal_aid;
mod letters;
mod library;
mod rodo;
mod rooms;
mod survey;
mod users;

mod daily;
mod history;
mod live;
mod mail;
mod publish;
mod register;
mod reports;
#[cfg(test)]
mod revisions;
#[cfg(test)]
pub(crate) mod testing;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// Whether this program knows the schema change numbered `version` (a database with one it
/// does not know was changed by a newer Kartoteka).
pub(crate) fn knows_migration(version: i64) -> bool {
    MIGRATOR.iter().any(|m| m.version == version)
}

/// The oldest server the schema is written for (generated columns, identity ids, and every
/// version still maintained by the PostgreSQL project when this was written).
const OLDEST_SERVER: i32 = 130000;

/// How long a server may take to answer before the user is told it cannot be reached.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// The register on a PostgreSQL server.
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
    /// The server's address without the password: what `path()` shows and logs may carry.
    path: PathBuf,
    /// Whether this login may read advice descriptions and clients (administrators and
    /// advisors; office staff may not: the server refuses those columns). Asked once at
    /// connect, so queries name only the columns the server will give.
    reads_advice_clients: bool,
}

#[async_trait::async_trait]
impl StoreBackend for PgStore {
    async fn analyze(&self) -> Result<()> {
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }

    fn path(&self) -> &Path {
        &self.path
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    // The server runs no SQL a file could have brought in: there is no schema trust to give.
    async fn trusted_schema(&self) -> Result<bool> {
        Ok(false)
    }

    // Nothing to let go of: the server itself keeps other clients consistent during a restore.
    fn unlock(&self) {}

    fn relock(&self) {}

    /// The server checks its pages itself; what can go wrong on our side is a schema change
    /// left half-way, so that is what is looked at.
    async fn integrity_check(&self) -> Result<String> {
        let unfinished: Vec<i64> = sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE NOT success ORDER BY version",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(match unfinished.as_slice() {
            [] => "ok".into(),
            versions => versions
                .iter()
                .map(|v| format!("zmiana budowy bazy nr {v} nie została dokończona"))
                .collect::<Vec<_>>()
                .join("; "),
        })
    }

    /// The same kind of file as a backup in file mode: a SQLite file of one snapshot of the
    /// server (see `copy.rs`).
    async fn vacuum_into(&self, target: &Path) -> Result<()> {
        self.refuse_without_full_read()?;
        self.copy_into_sqlite_file(target).await
    }

    async fn watch_changes(
        &self,
    ) -> Result<tokio::sync::mpsc::UnboundedReceiver<crate::live::Changed>> {
        self.watch().await
    }
}

impl PgStore {
    /// Connects to the database at `url` (postgres://user:password@host:port/database),
    /// creates or updates Kartoteka's tables in it, and refuses a server too old for them or
    /// a database already changed by a newer Kartoteka.
    pub async fn connect(url: &str) -> Result<PgStore> {
        let path = PathBuf::from(address_without_password(url)?);
        let options: PgConnectOptions = url.parse()?;
        let options = options.application_name("kartoteka");
        // One connection first: the pool would retry a refused or failing login until its
        // timeout and then say only that it timed out; this says what is wrong, at once.
        let first = tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options));
        match first.await {
            Ok(Ok(conn)) => conn.close().await?,
            // Nothing was reached yet: every I/O failure here is the network's or the address's.
            Ok(Err(sqlx::Error::Io(e))) => {
                tracing::warn!(error = %e, "database server not reached");
                return Err(Error::BadArgument(crate::error::UNREACHABLE_SERVER.into()));
            }
            Ok(Err(e)) => return Err(e.into()),
            Err(_) => {
                tracing::warn!("database server did not answer in time");
                return Err(Error::BadArgument(crate::error::UNREACHABLE_SERVER.into()));
            }
        }
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect_with(options)
            .await?;
        let mut store = PgStore {
            pool,
            path,
            reads_advice_clients: false,
        };
        store.refuse_old_server().await?;
        store.refuse_newer_schema().await?;
        // Staff logins may not create anything in the schema, not even sqlx's own "create the
        // history table if missing": on an up-to-date database there is nothing to run.
        if !store.schema_is_current().await? {
            MIGRATOR
                .run(&store.pool)
                .await
                .map_err(schema_update_refused)?;
        }
        store.reads_advice_clients = sqlx::query_scalar(
            "SELECT has_column_privilege('advice_records', 'description', 'SELECT')
                AND has_column_privilege('advice_records', 'person_id', 'SELECT')",
        )
        .fetch_one(&store.pool)
        .await?;
        Ok(store)
    }

    /// Whether every migration of this program is applied, successfully.
    async fn schema_is_current(&self) -> Result<bool> {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
            .fetch_one(&self.pool)
            .await?;
        if !exists {
            return Ok(false);
        }
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await?;
        Ok(MIGRATOR.iter().all(|m| applied.contains(&m.version)))
    }

    /// Whether this login may read advice descriptions and clients (see the field).
    pub fn reads_advice_clients(&self) -> bool {
        self.reads_advice_clients
    }

    /// What needs the whole database (a backup file, a transfer to a file) is refused up
    /// front for a login that may not read all of it, instead of failing half-way.
    pub(crate) fn refuse_without_full_read(&self) -> Result<()> {
        if self.reads_advice_clients {
            return Ok(());
        }
        Err(Error::Forbidden(
            "Kopię całej bazy z serwera może zrobić tylko administrator albo doradca: to konto nie ma dostępu do opisów porad i danych klientów.".into(),
        ))
    }

    async fn refuse_old_server(&self) -> Result<()> {
        let version: String = sqlx::query_scalar("SHOW server_version_num")
            .fetch_one(&self.pool)
            .await?;
        let number: i32 = version.trim().parse().unwrap_or(0);
        if number < OLDEST_SERVER {
            return Err(Error::BadArgument(format!(
                "Serwer PostgreSQL jest za stary (wersja {}.{}): Kartoteka potrzebuje wersji {} lub nowszej.",
                number / 10000,
                number % 10000,
                OLDEST_SERVER / 10000
            )));
        }
        Ok(())
    }

    /// A version recorded by a newer Kartoteka that this one does not know: its tables may
    /// hold what this program would misread or overwrite, so nothing is touched.
    async fn refuse_newer_schema(&self) -> Result<()> {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
            .fetch_one(&self.pool)
            .await?;
        if !exists {
            return Ok(());
        }
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&self.pool)
                .await?;
        match applied
            .into_iter()
            .find(|v| !MIGRATOR.iter().any(|m| m.version == *v))
        {
            Some(v) => Err(sqlx::migrate::MigrateError::VersionMissing(v).into()),
            None => Ok(()),
        }
    }
}

/// A schema update this login may not make (office staff connecting first after an upgrade):
/// said as what to do, not as the server's "permission denied for schema public".
fn schema_update_refused(e: sqlx::migrate::MigrateError) -> Error {
    let refused = match &e {
        sqlx::migrate::MigrateError::Execute(sqlx::Error::Database(d))
        | sqlx::migrate::MigrateError::ExecuteMigration(sqlx::Error::Database(d), _) => {
            d.code().as_deref() == Some("42501")
        }
        _ => false,
    };
    if refused {
        return Error::Forbidden(
            "Baza na serwerze wymaga aktualizacji do tej wersji Kartoteki, a to konto nie może jej wykonać: niech administrator połączy się tą wersją programu jako pierwszy.".into(),
        );
    }
    e.into()
}

/// The address as it may be shown and logged: the password taken out.
fn address_without_password(url: &str) -> Result<String> {
    let mut parsed = url::Url::parse(url).map_err(|_| {
        Error::BadArgument(
            "Adres serwera bazy danych jest niepoprawny: wpisz go jako postgres://użytkownik@serwer:port/baza.".into(),
        )
    })?;
    if !matches!(parsed.scheme(), "postgres" | "postgresql") {
        return Err(Error::BadArgument(
            "Adres serwera bazy danych musi zaczynać się od postgres://.".into(),
        ));
    }
    let _ = parsed.set_password(None);
    Ok(parsed.to_string())
}

impl PgStore {
    /// Deletes one row by id; `table` comes from the callers' fixed names, never from input.
    pub(crate) async fn delete_by_id(
        &self,
        table: &'static str,
        id: i64,
        what: &'static str,
    ) -> Result<()> {
        let done = sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(what));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{database_url, fresh_pg, fresh_pg_url, test_server};
    use super::PgStore;
    use crate::error::Error;
    use crate::store::{SqliteStore, StoreBackend};

    /// sqlx reads migration files, not folders: the SQLite backend must not see the PostgreSQL
    /// set in `migrations/postgres/` (a copy from this program would then fail its checks).
    #[test]
    fn the_sqlite_migrations_do_not_include_the_postgres_folder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
        let files = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file() && e.path().extension().is_some_and(|x| x == "sql"))
            .count();
        assert!(dir.join("postgres").is_dir());
        assert_eq!(SqliteStore::migrations().len(), files);
        // A change made on both backends has one number in both folders (its twin): what
        // must never be the same is the file itself.
        let ours: Vec<_> = super::MIGRATOR.iter().map(|m| &m.checksum).collect();
        assert!(!ours.is_empty());
        assert!(SqliteStore::migrations()
            .iter()
            .all(|m| !ours.contains(&&m.checksum)));
    }

    #[test]
    fn the_shown_address_has_no_password() {
        let shown =
            super::address_without_password("postgres://ewa:tajne@serwer:5432/biuro").unwrap();
        assert_eq!(shown, "postgres://ewa@serwer:5432/biuro");
        let e = super::address_without_password("serwer:5432/biuro").unwrap_err();
        assert!(e.to_string().contains("postgres://"), "{e}");
        let e = super::address_without_password("mysql://serwer/biuro").unwrap_err();
        assert!(e.to_string().contains("postgres://"), "{e}");
    }

    #[tokio::test]
    async fn a_fresh_database_gets_the_schema_and_its_checks_pass() {
        let Some(url) = fresh_pg_url().await else {
            return;
        };
        let store = PgStore::connect(&url).await.unwrap();
        assert_eq!(store.integrity_check().await.unwrap(), "ok");
        assert!(!store.trusted_schema().await.unwrap());
        store.analyze().await.unwrap();
        let shown = store.path().to_string_lossy().to_string();
        assert!(shown.starts_with("postgres://"), "{shown}");
        let password = url::Url::parse(&url)
            .unwrap()
            .password()
            .map(str::to_string);
        if let Some(p) = password.filter(|p| !p.is_empty()) {
            assert!(!shown.contains(&p), "the password is shown: {shown}");
        }
        let areas: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activity_areas WHERE active")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(areas, 38);
        store.close().await;
        // A second start on the same database finds nothing to do and nothing to refuse.
        let again = PgStore::connect(&url).await.unwrap();
        assert_eq!(again.integrity_check().await.unwrap(), "ok");
    }

    #[tokio::test]
    async fn a_database_changed_by_a_newer_kartoteka_is_refused() {
        let Some(url) = fresh_pg_url().await else {
            return;
        };
        let store = PgStore::connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (99991231000000, 'from a newer program', TRUE, '\\x00'::bytea, 1)",
        )
        .execute(&store.pool)
        .await
        .unwrap();
        store.close().await;
        let e = PgStore::connect(&url).await.unwrap_err();
        assert!(matches!(e, Error::Migration(_)), "{e:?}");
        assert!(e.to_string().contains("nowszej wersji Kartoteki"), "{e}");
    }

    #[tokio::test]
    async fn connection_problems_are_told_in_polish() {
        let (Some(server), Some(fresh)) = (test_server(), fresh_pg_url().await) else {
            return;
        };
        // On an empty database of its own: were the password not asked, nothing else is touched.
        let mut wrong_password = url::Url::parse(&fresh).unwrap();
        wrong_password
            .set_password(Some("to-nie-jest-haslo"))
            .unwrap();
        // A test cluster may trust local logins: then no password is asked at all.
        match PgStore::connect(wrong_password.as_str()).await {
            Ok(_) => eprintln!("this server trusts local logins: wrong password not tried"),
            Err(e) => assert!(
                e.to_string()
                    .contains("niepoprawna nazwa użytkownika albo hasło"),
                "{e}"
            ),
        }

        let e = PgStore::connect(&database_url(&server, "kt_nie_ma_takiej_bazy"))
            .await
            .unwrap_err();
        assert!(
            e.to_string().contains("nie ma bazy danych o tej nazwie"),
            "{e}"
        );

        // A port nobody listens on (bound and dropped: free, but closed).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let e = PgStore::connect(&format!("postgres://kartoteka@127.0.0.1:{port}/biuro"))
            .await
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Nie można połączyć się z serwerem"),
            "{e}"
        );
    }

    /// sslmode=require must really encrypt (the test cluster has Debian's snakeoil
    /// certificate): a build without TLS support would refuse it.
    #[tokio::test]
    async fn pg_only_tls_is_used_when_required() {
        let Some(url) = fresh_pg_url().await else {
            return;
        };
        let plain = PgStore::connect(&url).await.unwrap();
        let offered: String = sqlx::query_scalar("SHOW ssl")
            .fetch_one(&plain.pool)
            .await
            .unwrap();
        if offered != "on" {
            eprintln!("this test server offers no TLS: sslmode=require not tried");
            return;
        }
        let mut required = url::Url::parse(&url).unwrap();
        required.query_pairs_mut().append_pair("sslmode", "require");
        let store = PgStore::connect(required.as_str()).await.unwrap();
        let encrypted: bool =
            sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                .fetch_one(&store.pool)
                .await
                .unwrap();
        assert!(encrypted);
    }

    #[tokio::test]
    async fn constraint_errors_are_told_in_polish() {
        let Some(store) = fresh_pg().await else {
            return;
        };
        let e: Error =
            sqlx::query("INSERT INTO activity_areas (code, position, name) VALUES ('1', 1, 'x')")
                .execute(&store.pool)
                .await
                .unwrap_err()
                .into();
        assert_eq!(e.code(), "database");
        assert!(e.to_string().contains("musi być jedyna"), "{e}");
        let e: Error =
            sqlx::query("INSERT INTO organization_tags (organization_id, tag) VALUES (12345, 'x')")
                .execute(&store.pool)
                .await
                .unwrap_err()
                .into();
        assert!(
            e.to_string().contains("powiązany rekord nie istnieje"),
            "{e}"
        );
    }
}
