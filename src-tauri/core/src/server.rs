//! An office moving to a PostgreSQL server and back: the connection as the window edits it
//! (host, port, database, login, TLS), "Sprawdź połączenie" (what is on the other side, or in
//! Polish what is wrong), and transfers file → server and server → file with both sides'
//! counts per table. The copying itself is `store/postgres/copy.rs`.

use crate::error::{Error, FieldError, Result};
use crate::store::{PgStore, ReferenceStore};
use crate::Kartoteka;
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long "Sprawdź połączenie" waits for an answer before saying the server is unreachable.
const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// The oldest server the schema is written for (the same bound `PgStore::connect` refuses).
const OLDEST_SERVER: i32 = 130000;

/// TLS as libpq names it: what the window offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    Disable,
    #[default]
    Prefer,
    Require,
    VerifyFull,
}

impl TlsMode {
    fn as_str(self) -> &'static str {
        match self {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            TlsMode::Require => "require",
            TlsMode::VerifyFull => "verify-full",
        }
    }
}

/// A server connection without its password (that lives in the OS secret store): what the
/// window edits and what the PC remembers between starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    #[serde(default)]
    pub tls: TlsMode,
}

impl ServerSettings {
    /// Each field checked, with the field named, so the window can mark it.
    pub fn validate(&self) -> Result<()> {
        let mut errors = Vec::new();
        let bad = |s: &str| s.is_empty() || s.len() > 200 || s.chars().any(|c| c.is_control());
        if bad(self.host.trim()) || self.host.trim().contains(['/', '@', '?', '#', ' ']) {
            errors.push(FieldError::new(
                "host",
                "Wpisz nazwę albo adres serwera (np. serwer.biuro.local albo 192.168.1.10).",
            ));
        }
        if self.port == 0 {
            errors.push(FieldError::new(
                "port",
                "Port to liczba od 1 do 65535 (PostgreSQL zwykle używa 5432).",
            ));
        }
        if bad(self.database.trim()) {
            errors.push(FieldError::new("database", "Wpisz nazwę bazy danych."));
        }
        if bad(self.user.trim()) {
            errors.push(FieldError::new(
                "user",
                "Wpisz nazwę użytkownika bazy danych.",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(errors))
        }
    }

    /// The address to connect to; the password is percent-encoded into it (never shown:
    /// `address()` is what is shown and logged).
    pub fn url(&self, password: Option<&str>) -> Result<String> {
        self.validate()?;
        let mut u = url::Url::parse("postgres://localhost/")
            .map_err(|_| Error::BadArgument("Niepoprawny adres serwera.".into()))?;
        let host = self.host.trim();
        // An IPv6 address goes in brackets in a URL.
        let host = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host.to_string()
        };
        u.set_host(Some(&host)).map_err(|_| {
            Error::Invalid(vec![FieldError::new(
                "host",
                "To nie jest poprawna nazwa ani adres serwera.",
            )])
        })?;
        let _ = u.set_port(Some(self.port));
        let _ = u.set_username(self.user.trim());
        if let Some(p) = password.filter(|p| !p.is_empty()) {
            let _ = u.set_password(Some(p));
        }
        u.set_path(self.database.trim());
        u.query_pairs_mut()
            .append_pair("sslmode", self.tls.as_str());
        Ok(u.to_string())
    }

    /// The address as it may be shown: without the password.
    pub fn address(&self) -> String {
        self.url(None)
            .unwrap_or_else(|_| format!("postgres://{}/{}", self.host, self.database))
    }

    /// Reads a `postgres://user:password@host:port/db?sslmode=…` address (the CLI's form).
    pub fn from_url(address: &str) -> Result<(ServerSettings, Option<String>)> {
        let u = url::Url::parse(address.trim()).map_err(|_| {
            Error::BadArgument(
                "Adres serwera bazy danych jest niepoprawny: wpisz go jako postgres://użytkownik@serwer:port/baza.".into(),
            )
        })?;
        if !matches!(u.scheme(), "postgres" | "postgresql") {
            return Err(Error::BadArgument(
                "Adres serwera bazy danych musi zaczynać się od postgres://.".into(),
            ));
        }
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let tls = match u
            .query_pairs()
            .find(|(k, _)| k == "sslmode")
            .map(|(_, v)| v.into_owned())
            .as_deref()
        {
            Some("disable") => TlsMode::Disable,
            Some("require") => TlsMode::Require,
            Some("verify-full") | Some("verify-ca") => TlsMode::VerifyFull,
            _ => TlsMode::Prefer,
        };
        let settings = ServerSettings {
            host: u
                .host_str()
                .unwrap_or("localhost")
                .trim_matches(['[', ']'])
                .to_string(),
            port: u.port().unwrap_or(5432),
            database: decode(u.path().trim_start_matches('/')),
            user: decode(u.username()),
            tls,
        };
        Ok((settings, u.password().map(decode)))
    }

    /// A folder name for this server and database (the PC's backups of it go there): only
    /// letters, digits, dots and dashes, so any host name makes a valid folder on Windows too.
    pub fn folder_name(&self) -> String {
        let raw = format!(
            "{}-{}-{}",
            self.host.trim(),
            self.port,
            self.database.trim()
        );
        raw.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect()
    }
}

/// What "Sprawdź połączenie" found on the other side.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ServerFound {
    /// The server's version as it reports it, e.g. "15.14".
    pub version: String,
    /// Kartoteka's tables are there already.
    pub kartoteka: bool,
    /// Made by a newer Kartoteka than this one: it would be refused.
    pub newer: bool,
    pub organizations: i64,
    pub people: i64,
    pub advice: i64,
}

impl ServerFound {
    /// Records of the office already there (reference lists do not count).
    pub fn holds_data(&self) -> bool {
        self.organizations + self.people + self.advice > 0
    }
}

/// Connects once, reads what is there and changes nothing (no schema is made): the server's
/// version, whether it holds Kartoteka's tables and how many records. Errors say in Polish
/// what is wrong: unreachable, wrong password, no such database, too old, no permission.
pub async fn check(url: &str) -> Result<ServerFound> {
    let options: PgConnectOptions = url
        .parse()
        .map_err(|_| Error::BadArgument("Adres serwera bazy danych jest niepoprawny.".into()))?;
    let options = options.application_name("kartoteka");
    let mut conn = match tokio::time::timeout(CHECK_TIMEOUT, options.connect()).await {
        Ok(Ok(c)) => c,
        Ok(Err(sqlx::Error::Io(e))) => {
            tracing::info!(error = %e, "server check: not reached");
            return Err(Error::BadArgument(crate::error::UNREACHABLE_SERVER.into()));
        }
        Ok(Err(e)) => return Err(e.into()),
        Err(_) => return Err(Error::BadArgument(crate::error::UNREACHABLE_SERVER.into())),
    };
    let found = look(&mut conn).await;
    let _ = conn.close().await;
    found
}

async fn look(conn: &mut sqlx::PgConnection) -> Result<ServerFound> {
    let number: String = sqlx::query_scalar("SHOW server_version_num")
        .fetch_one(&mut *conn)
        .await?;
    let number: i32 = number.trim().parse().unwrap_or(0);
    let version = format!("{}.{}", number / 10000, number % 10000);
    if number < OLDEST_SERVER {
        return Err(Error::BadArgument(format!(
            "Serwer PostgreSQL jest za stary (wersja {version}): Kartoteka potrzebuje wersji {} lub nowszej.",
            OLDEST_SERVER / 10000
        )));
    }
    let kartoteka: bool = sqlx::query_scalar(
        "SELECT to_regclass('_sqlx_migrations') IS NOT NULL AND to_regclass('organizations') IS NOT NULL",
    )
    .fetch_one(&mut *conn)
    .await?;
    if !kartoteka {
        // An empty database: the first start makes the tables, so the login must be allowed to.
        let may_create: Option<bool> =
            sqlx::query_scalar("SELECT has_schema_privilege(current_schema(), 'CREATE')")
                .fetch_one(&mut *conn)
                .await?;
        if may_create != Some(true) {
            return Err(Error::BadArgument(
                "Brak uprawnień: ta baza jest pusta, a to konto nie może w niej tworzyć tabel. Poproś administratora, by przekazał mu bazę (ALTER DATABASE … OWNER TO …) albo połącz się jako administrator biura.".into(),
            ));
        }
        return Ok(ServerFound {
            version,
            kartoteka: false,
            newer: false,
            organizations: 0,
            people: 0,
            advice: 0,
        });
    }
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
        .fetch_all(&mut *conn)
        .await?;
    let newer = applied
        .iter()
        .any(|v| !crate::store::postgres::knows_migration(*v));
    let organizations = count(conn, "organizations").await?;
    let people = count(conn, "people").await?;
    // Advice may be hidden from this login by the server's row rules: then it is not counted.
    let advice = count(conn, "advice_records").await.unwrap_or(0);
    Ok(ServerFound {
        version,
        kartoteka: true,
        newer,
        organizations,
        people,
        advice,
    })
}

async fn count(conn: &mut sqlx::PgConnection, table: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{table}\""))
            .fetch_one(conn)
            .await?,
    )
}

/// One table's rows on both sides of a transfer.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TableCount {
    pub table: String,
    pub file: i64,
    pub server: i64,
}

/// What a transfer did: every table's rows on both sides (they must agree) and, when the
/// server held a register already, where its copy was kept first.
#[derive(Debug, Clone, Serialize)]
pub struct TransferReport {
    pub tables: Vec<TableCount>,
    pub agree: bool,
    pub kept_aside: Option<String>,
}

impl TransferReport {
    fn new(file: Vec<(String, i64)>, server: Vec<(String, i64)>, kept: Option<String>) -> Self {
        let mut tables: Vec<TableCount> = server
            .iter()
            .map(|(t, n)| TableCount {
                table: t.clone(),
                file: file
                    .iter()
                    .find(|(f, _)| f == t)
                    .map(|(_, n)| *n)
                    .unwrap_or(-1),
                server: *n,
            })
            .collect();
        for (t, n) in &file {
            if !tables.iter().any(|c| &c.table == t) {
                tables.push(TableCount {
                    table: t.clone(),
                    file: *n,
                    server: -1,
                });
            }
        }
        tables.sort_by(|a, b| a.table.cmp(&b.table));
        let agree = tables.iter().all(|c| c.file == c.server);
        TransferReport {
            tables,
            agree,
            kept_aside: kept,
        }
    }

    /// The rows of one table on the server side (0 if the table is not there).
    pub fn server_rows(&self, table: &str) -> i64 {
        self.tables
            .iter()
            .find(|c| c.table == table)
            .map_or(0, |c| c.server)
    }
}

fn stamp() -> String {
    chrono::Local::now().format("%Y-%m-%d-%H%M%S").to_string()
}

impl Kartoteka {
    /// "Przenieś dane na serwer": this register (a file) goes to the database at `url` in one
    /// transaction. A server that holds a register already is refused unless `replace`; then
    /// its copy is saved into `server_backups` first. `progress(done, total)` follows the rows.
    /// Returns the register on the server (its backups in `server_backups`) and both sides'
    /// counts; this file is not changed.
    pub async fn transfer_to_server(
        &self,
        url: &str,
        replace: bool,
        server_backups: &Path,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<(Kartoteka, TransferReport)> {
        if self.is_server() {
            return Err(Error::BadArgument(
                "Dane są już na serwerze: przenieść na serwer można tylko plik.".into(),
            ));
        }
        crate::private_files::own_dir(server_backups)?;
        let pg = PgStore::connect(url).await?;
        let on_server = Kartoteka::on_server(pg.clone()).with_backup_folder(server_backups.into());
        let mut kept = None;
        if !pg.register_is_empty().await? {
            if !replace {
                let c = on_server.counts().await?;
                return Err(Error::BadArgument(format!(
                    "Na serwerze są już dane Kartoteki (organizacje: {}, osoby: {}). Przeniesienie zastąpi je danymi z pliku: potwierdź to (w wierszu poleceń: --replace); najpierw zostanie zapisana ich kopia.",
                    c.organizations, c.people
                )));
            }
            let aside = server_backups.join(format!("przed-przywroceniem-{}.db", stamp()));
            on_server.backup_to(&aside).await?;
            kept = Some(aside.display().to_string());
        }
        // A snapshot of the open file, checked: the window may go on saving meanwhile, and what
        // goes up is one instant of the register.
        let snapshot = server_backups.join(".przenoszenie.tmp");
        let _ = std::fs::remove_file(&snapshot);
        let loaded = async {
            self.store().vacuum_into(&snapshot).await?;
            crate::store::sqlite::backup_file::check_made_copy(&snapshot).await?;
            pg.load_sqlite_file(&snapshot, progress).await
        }
        .await;
        let _ = std::fs::remove_file(&snapshot);
        let file_counts = loaded.map_err(|e| match e {
            // The file is a checked local copy: a broken stream is the server's connection.
            Error::Database(sqlx::Error::Io(io)) => {
                tracing::warn!(error = %io, "connection to the server lost during a transfer");
                Error::BadArgument(
                    "Połączenie z serwerem bazy danych zostało przerwane w trakcie przenoszenia. Niedokończone przeniesienie serwer wycofuje w całości: sprawdź serwer i sieć, potem przenieś dane ponownie.".into(),
                )
            }
            other => other,
        })?;
        let server_counts = pg.table_counts().await?;
        let report = TransferReport::new(file_counts, server_counts, kept);
        tracing::info!(agree = report.agree, "register transferred to a server");
        Ok((on_server, report))
    }

    /// Server → file: the register on the server written into a new Kartoteka file at
    /// `target` (checked, as a backup is), with both sides' counts. A file already there is
    /// refused: it may be another register.
    pub async fn transfer_to_file(&self, target: &Path) -> Result<TransferReport> {
        let Some(pg) = self.server.clone() else {
            return Err(Error::BadArgument(
                "Ta baza jest plikiem: na plik przenosi się dane z serwera.".into(),
            ));
        };
        if target.exists() {
            return Err(Error::BadArgument(format!(
                "Plik „{}” już istnieje: podaj nazwę nowego pliku (istniejący może być innym rejestrem).",
                target.display()
            )));
        }
        // Not `backup_to`: that records the backup on the server, and the counts would differ
        // by those rows. The same checks, the same write-then-rename.
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        crate::private_files::create_dir(dir)?;
        let tmp = dir.join(format!(
            ".{}.tmp",
            target
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("kartoteka.db")
        ));
        let _ = std::fs::remove_file(&tmp);
        let copied = async {
            self.store().vacuum_into(&tmp).await?;
            crate::store::sqlite::backup_file::check_made_copy(&tmp).await?;
            std::fs::File::open(&tmp)?.sync_all()?;
            std::fs::rename(&tmp, target)?;
            Ok::<_, Error>(())
        }
        .await;
        if copied.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        copied?;
        let server_counts = pg.table_counts().await?;
        let tables: Vec<String> = server_counts.iter().map(|(t, _)| t.clone()).collect();
        let file_counts = file_table_counts(target, &tables).await?;
        Ok(TransferReport::new(file_counts, server_counts, None))
    }

    /// Rows per table on the server (empty for a file).
    pub async fn server_table_counts(&self) -> Result<Vec<(String, i64)>> {
        match &self.server {
            Some(pg) => pg.table_counts().await,
            None => Ok(Vec::new()),
        }
    }
}

/// Rows per table of a Kartoteka file, for the tables named (read-only; a table the file
/// lacks counts -1, so it shows as a disagreement).
pub async fn file_table_counts(file: &Path, tables: &[String]) -> Result<Vec<(String, i64)>> {
    let mut conn = crate::store::sqlite::backup_file::open_copy(file).await?;
    let mut out = Vec::with_capacity(tables.len());
    for t in tables {
        let sql = format!("SELECT COUNT(*) FROM \"{}\"", t.replace('"', "\"\""));
        let n = crate::store::sqlite::backup_file::count(&mut conn, &sql)
            .await
            .unwrap_or(-1);
        out.push((t.clone(), n));
    }
    let _ = conn.close().await;
    Ok(out)
}

/// The folder of one server's backups on this PC: `<data folder>/serwery/<host-port-baza>/kopie`.
pub fn backup_folder(data_dir: &Path, settings: &ServerSettings) -> PathBuf {
    data_dir
        .join("serwery")
        .join(settings.folder_name())
        .join("kopie")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_make_an_address_and_read_it_back() {
        let s = ServerSettings {
            host: "serwer.biuro".into(),
            port: 5433,
            database: "kartoteka".into(),
            user: "ewa".into(),
            tls: TlsMode::Require,
        };
        let url = s.url(Some("ta@jne/hasło")).unwrap();
        assert!(!url.contains("ta@jne/"), "{url}");
        let (back, password) = ServerSettings::from_url(&url).unwrap();
        assert_eq!(back, s);
        assert_eq!(password.as_deref(), Some("ta@jne/hasło"));
        assert_eq!(
            s.address(),
            "postgres://ewa@serwer.biuro:5433/kartoteka?sslmode=require"
        );
        assert_eq!(s.folder_name(), "serwer.biuro-5433-kartoteka");
    }

    #[test]
    fn bad_fields_are_named() {
        let s = ServerSettings {
            host: "serwer/x".into(),
            port: 0,
            database: " ".into(),
            user: String::new(),
            tls: TlsMode::Prefer,
        };
        let Err(Error::Invalid(errors)) = s.validate() else {
            panic!("accepted");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["host", "port", "database", "user"]);
    }

    /// Wrong password, no such database, a closed port: each told in Polish, nothing made.
    #[tokio::test]
    async fn the_check_says_what_is_wrong() {
        let Some(server) = crate::store::postgres::testing::test_server() else {
            return;
        };
        let Some(fresh) = crate::store::postgres::testing::fresh_pg_url().await else {
            return;
        };
        let found = check(&fresh).await.unwrap();
        assert!(!found.kartoteka, "{found:?}");
        assert!(found.version.starts_with(char::is_numeric), "{found:?}");
        // The check made nothing: the database is still empty.
        assert!(!check(&fresh).await.unwrap().kartoteka);

        let mut wrong = url::Url::parse(&fresh).unwrap();
        wrong.set_password(Some("to-nie-jest-haslo")).unwrap();
        match check(wrong.as_str()).await {
            Ok(_) => eprintln!("this server trusts local logins: wrong password not tried"),
            Err(e) => assert!(
                e.to_string()
                    .contains("niepoprawna nazwa użytkownika albo hasło"),
                "{e}"
            ),
        }
        let e = check(&crate::store::postgres::testing::database_url(
            &server,
            "kt_nie_ma_takiej_bazy",
        ))
        .await
        .unwrap_err();
        assert!(
            e.to_string().contains("nie ma bazy danych o tej nazwie"),
            "{e}"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let e = check(&format!("postgres://kartoteka@127.0.0.1:{port}/biuro"))
            .await
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Nie można połączyć się z serwerem"),
            "{e}"
        );

        // A login that may not create tables in an empty database is told so before any move.
        {
            use sqlx::{Connection, Executor};
            let mut admin = sqlx::PgConnection::connect(&fresh).await.unwrap();
            // Roles are the cluster's: made once, whatever ran before.
            admin
                .execute(
                    "DO $$ BEGIN
                       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kt_bez_praw') THEN
                         CREATE ROLE kt_bez_praw LOGIN PASSWORD 'bez-praw';
                       END IF;
                     END $$",
                )
                .await
                .unwrap();
            admin
                .execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
                .await
                .unwrap();
        }
        let mut limited = url::Url::parse(&fresh).unwrap();
        limited.set_username("kt_bez_praw").unwrap();
        limited.set_password(Some("bez-praw")).unwrap();
        let e = check(limited.as_str()).await.unwrap_err();
        assert!(e.to_string().starts_with("Brak uprawnień"), "{e}");

        // After the first connection the tables are there and the register is counted.
        let k = Kartoteka::connect(&fresh).await.unwrap();
        crate::demo::generate_with(&k, 7, 3, 1, Default::default())
            .await
            .unwrap();
        let found = check(&fresh).await.unwrap();
        assert!(found.kartoteka && !found.newer, "{found:?}");
        assert_eq!((found.organizations, found.people), (7, 3));
        assert!(found.holds_data());
    }

    /// A login the administrator switched off (NOLOGIN) is told as such, not as a missing
    /// pg_hba.conf line: both come back as SQLSTATE 28000.
    #[tokio::test]
    async fn pg_only_a_switched_off_login_is_told_so() {
        let Some(fresh) = crate::store::postgres::testing::fresh_pg_url().await else {
            return;
        };
        {
            use sqlx::{Connection, Executor};
            let mut admin = sqlx::PgConnection::connect(&fresh).await.unwrap();
            admin
                .execute(
                    "DO $$ BEGIN
                       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kt_wylaczona') THEN
                         CREATE ROLE kt_wylaczona LOGIN PASSWORD 'wylaczona';
                       END IF;
                     END $$",
                )
                .await
                .unwrap();
        }
        let mut login = url::Url::parse(&fresh).unwrap();
        login.set_username("kt_wylaczona").unwrap();
        login.set_password(Some("wylaczona")).unwrap();
        // Signs in while allowed, so the refusal below is the switch and nothing else.
        {
            use sqlx::Connection;
            sqlx::PgConnection::connect(login.as_str())
                .await
                .unwrap()
                .close()
                .await
                .unwrap();
        }
        {
            use sqlx::{Connection, Executor};
            let mut admin = sqlx::PgConnection::connect(&fresh).await.unwrap();
            admin
                .execute("ALTER ROLE kt_wylaczona NOLOGIN")
                .await
                .unwrap();
        }
        let e = check(login.as_str()).await.unwrap_err();
        assert_eq!(e.to_string(), crate::error::NOLOGIN, "{e}");
        assert!(!e.to_string().contains("pg_hba"), "{e}");
    }
}
