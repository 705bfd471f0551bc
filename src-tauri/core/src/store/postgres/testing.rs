//! Test support for the store contract on both backends: a fresh SQLite file and, when a
//! PostgreSQL server is given in `KARTOTEKA_TEST_POSTGRES`, a fresh database on it.
//!
//! How to write a both-backends test (one story, the same assertions on each backend):
//!
//! ```ignore
//! async fn story(s: &impl XStore) { /* trait calls and assertions only */ }
//!
//! #[tokio::test]
//! async fn x_does_y_on_both_backends() {
//!     let (_dir, sqlite) = fresh_sqlite().await;
//!     story(&sqlite).await;
//!     if let Some(pg) = fresh_pg().await {
//!         story(&pg).await;
//!     }
//! }
//! ```
//!
//! - Bound the story by the trait (`impl XStore`, or `impl XStore + YStore` when it needs
//!   records another domain creates), never by a backend type.
//! - Each call of `fresh_pg` makes a new database: tests never see each other's rows and may
//!   run in parallel. Ids start at 1 on both backends in a fresh database.
//! - Run them against a throwaway server: `scripts/test-postgres.sh <filter>`. Without the
//!   variable, the PostgreSQL half is skipped with a note (never silently passes as tested).

use super::PgStore;
use crate::store::SqliteStore;
use sqlx::{Connection, Executor, PgConnection};
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable holding the server's address, e.g. postgres://postgres:pw@localhost:5433/postgres.
pub(crate) const SERVER_VAR: &str = "KARTOTEKA_TEST_POSTGRES";

static NEXT_DATABASE: AtomicU32 = AtomicU32::new(0);

/// A fresh SQLite store in its own temporary folder (kept alive by the returned guard).
pub(crate) async fn fresh_sqlite() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("kartoteka.db"))
        .await
        .unwrap();
    (dir, store)
}

/// A new, empty database on the test server, migrated by `PgStore::connect`; None (with a note
/// on stderr) when no server is given. A server that is given but does not answer fails the
/// test: a broken set-up must not pass as "skipped".
pub(crate) async fn fresh_pg() -> Option<PgStore> {
    let url = fresh_pg_url().await?;
    Some(PgStore::connect(&url).await.unwrap())
}

/// The test server's address, or None (with the note) when no server is given.
pub(crate) fn test_server() -> Option<String> {
    match std::env::var(SERVER_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            eprintln!("{SERVER_VAR} not set: PostgreSQL half of this test skipped (run scripts/test-postgres.sh)");
            None
        }
    }
}

/// A new database on the test server with nothing in it yet (not even Kartoteka's tables):
/// its address.
pub(crate) async fn fresh_pg_url() -> Option<String> {
    let server = test_server()?;
    let name = format!(
        "kt_{}_{}",
        std::process::id(),
        NEXT_DATABASE.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = PgConnection::connect(&server)
        .await
        .unwrap_or_else(|e| panic!("{SERVER_VAR} is set but the server does not answer: {e}"));
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
        .await
        .unwrap();
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    admin.close().await.unwrap();
    Some(database_url(&server, &name))
}

/// The server's address with another database name.
pub(crate) fn database_url(server: &str, database: &str) -> String {
    let mut url = url::Url::parse(server).expect("KARTOTEKA_TEST_POSTGRES is not a URL");
    url.set_path(database);
    url.to_string()
}
