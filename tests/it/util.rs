//! Helpers shared by the tests: a fresh database for each test on the backend the run is for.
//! With KARTOTEKA_TEST_POSTGRES holding a server address (scripts/test-postgres.sh sets it),
//! each test gets a new database on that server, dropped when the test ends; otherwise a
//! SQLite file in the test's temporary folder. Tests that are about a file by nature are named
//! `sqlite_only_…` and use [`fresh_file`]; those about the server, `pg_only_…`.

use kartoteka_core::register::{OrganizationInput, PersonInput, SaveOutcome};
use kartoteka_core::Kartoteka;
use std::sync::atomic::{AtomicU32, Ordering};
use tempfile::TempDir;

/// The variable holding the test server's address, e.g. postgres://u:pw@localhost:5433/postgres.
pub const SERVER_VAR: &str = "KARTOTEKA_TEST_POSTGRES";

/// Where one test keeps its data: always a temporary folder (for the files a test writes)
/// and, in a server run, its own database on the server. Nothing is opened yet: the CLI
/// creates the schema on first use, as it would for a user.
pub struct Place {
    pub dir: TempDir,
    server: Option<ServerDatabase>,
}

impl Place {
    /// The database file. Only a file has one: a test that needs it is `sqlite_only_…`.
    pub fn path(&self) -> std::path::PathBuf {
        assert!(
            self.server.is_none(),
            "this test reads the database file: name it sqlite_only_… and use fresh_file()"
        );
        self.dir.path().join("kartoteka.db")
    }

    /// What `--db` (and `Kartoteka::open_location`) takes: the file's path or the server address.
    pub fn location(&self) -> String {
        match &self.server {
            Some(server) => server.url.clone(),
            None => self.dir.path().join("kartoteka.db").display().to_string(),
        }
    }

    pub fn on_server(&self) -> bool {
        self.server.is_some()
    }

    /// Opens the database again, as another program (or the next start) would. A server's
    /// automatic copies go where a file's would, `kopie/` in the test's folder (the window
    /// gives them a folder of the PC's data folder instead).
    pub async fn open(&self) -> Kartoteka {
        let k = Kartoteka::open_location(self.location().as_ref())
            .await
            .unwrap();
        match self.server {
            Some(_) => k.with_backup_folder(self.dir.path().join("kopie")),
            None => k,
        }
    }
}

/// A place with Kartoteka open on it (`db.k`); `db.dir`, `db.location()`… come from the place.
pub struct TestDb {
    pub k: Kartoteka,
    place: Place,
}

impl std::ops::Deref for TestDb {
    type Target = Place;
    fn deref(&self) -> &Place {
        &self.place
    }
}

/// A fresh, empty database on the backend this run tests, opened.
pub async fn fresh() -> TestDb {
    let place = fresh_place().await;
    TestDb {
        k: place.open().await,
        place,
    }
}

/// A fresh database file, whatever the run: for `sqlite_only_…` tests.
pub async fn fresh_file() -> TestDb {
    let place = fresh_file_place();
    TestDb {
        k: place.open().await,
        place,
    }
}

/// A fresh place for a database file, whatever the run: for `sqlite_only_…` tests.
pub fn fresh_file_place() -> Place {
    Place {
        dir: tempfile::tempdir().unwrap(),
        server: None,
    }
}

/// A fresh place on the backend this run tests, with nothing opened on it.
pub async fn fresh_place() -> Place {
    let dir = tempfile::tempdir().unwrap();
    let server = match test_server() {
        Some(server) => Some(ServerDatabase::create(&server).await),
        None => None,
    };
    Place { dir, server }
}

/// [`fresh_place`] for tests that are not async (the CLI's): the server's database is made on
/// a thread of its own.
pub fn fresh_place_blocking() -> Place {
    std::thread::spawn(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(fresh_place())
    })
    .join()
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The test server's address, when this run is against a server.
pub fn test_server() -> Option<String> {
    std::env::var(SERVER_VAR)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// A new, empty database on the test server whatever the run tests, for `pg_only_…` tests
/// (None, with a note, when no server is given: the test then has nothing to check).
pub async fn fresh_server_place() -> Option<Place> {
    let Some(server) = test_server() else {
        eprintln!("{SERVER_VAR} not set: this PostgreSQL test is skipped (scripts/test-postgres.sh runs it)");
        return None;
    };
    Some(Place {
        dir: tempfile::tempdir().unwrap(),
        server: Some(ServerDatabase::create(&server).await),
    })
}

static NEXT_DATABASE: AtomicU32 = AtomicU32::new(0);

/// One test's database on the server: a unique name (process id and a counter, so tests run
/// in parallel and several runs may share a server), dropped with the guard.
struct ServerDatabase {
    server: String,
    name: String,
    url: String,
}

impl ServerDatabase {
    async fn create(server: &str) -> Self {
        use sqlx::{Connection, Executor};
        let name = format!(
            "kt_it_{}_{}",
            std::process::id(),
            NEXT_DATABASE.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = sqlx::PgConnection::connect(server)
            .await
            .unwrap_or_else(|e| panic!("{SERVER_VAR} is set but the server does not answer: {e}"));
        admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await
            .unwrap();
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        admin.close().await.unwrap();
        let mut url = url::Url::parse(server).expect("KARTOTEKA_TEST_POSTGRES is not a URL");
        url.set_path(&name);
        ServerDatabase {
            server: server.to_string(),
            name,
            url: url.to_string(),
        }
    }
}

impl Drop for ServerDatabase {
    /// Drop runs outside async code (and on a panicking test too): a thread of its own with
    /// its own runtime. FORCE ends the test's connections that are still open.
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(async move {
                    use sqlx::{Connection, Executor};
                    let mut admin = sqlx::PgConnection::connect(&server).await?;
                    admin
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await?;
                    admin.close().await
                })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!(
                "test database {} left on the server: {dropped:?}",
                self.name
            );
        }
    }
}

pub fn org(name: &str, city: &str) -> OrganizationInput {
    OrganizationInput {
        name: name.into(),
        legal_form: "stowarzyszenie".into(),
        city: city.into(),
        ..Default::default()
    }
}

pub async fn save_org(k: &Kartoteka, input: &OrganizationInput) -> i64 {
    match k.save_organization(None, input, false).await.unwrap() {
        SaveOutcome::Saved { id } => id,
        other => panic!("not saved: {other:?}"),
    }
}

pub async fn save_person(k: &Kartoteka, input: &PersonInput) -> i64 {
    match k.save_person(None, input, false).await.unwrap() {
        SaveOutcome::Saved { id } => id,
        other => panic!("not saved: {other:?}"),
    }
}
