//! SQLite: noticing commits made to the file by others (a CLI import while the window is open)
//! for the live lists. `PRAGMA data_version` on one connection changes whenever any other
//! connection commits, so one dedicated connection is asked once a second; it is closed before
//! the pool when the store closes, so a restore never swaps the file under it.

use super::SqliteStore;
use crate::error::Result;
use crate::live::Changed;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};
use tokio::sync::Mutex;

/// How often the file is looked at: a colleague's CLI import shows within about a second.
const POLL: Duration = Duration::from_secs(1);

/// The watching connection, shared by every watch of one store (each remembers the version it
/// last saw; versions are only comparable on one connection).
#[derive(Default)]
pub(crate) struct Watcher {
    conn: Option<SqliteConnection>,
    closed: bool,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("open", &self.conn.is_some())
            .field("closed", &self.closed)
            .finish()
    }
}

/// The file's data version now, on the watching connection (opened on first use); None once
/// the store is closed. A failed read drops the connection, so the next one starts afresh.
async fn data_version(slot: &Mutex<Watcher>, path: &Path) -> Result<Option<i64>> {
    let mut w = slot.lock().await;
    if w.closed {
        return Ok(None);
    }
    if w.conn.is_none() {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(false)
            .busy_timeout(Duration::from_secs(5))
            .pragma("trusted_schema", "OFF");
        w.conn = Some(SqliteConnection::connect_with(&options).await?);
    }
    let conn = w.conn.as_mut().expect("opened above");
    match sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(conn)
        .await
    {
        Ok(v) => Ok(Some(v)),
        Err(e) => {
            w.conn = None;
            Err(e.into())
        }
    }
}

impl SqliteStore {
    pub(crate) async fn watch(&self) -> Result<UnboundedReceiver<Changed>> {
        let (tx, rx) = unbounded_channel();
        let slot: Arc<Mutex<Watcher>> = self.watcher.clone();
        let path = self.path.clone();
        // Only commits from now on count.
        let Some(mut seen) = data_version(&slot, &path).await? else {
            return Ok(rx);
        };
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tx.closed() => break,
                    _ = tokio::time::sleep(POLL) => {}
                }
                match data_version(&slot, &path).await {
                    Ok(Some(v)) if v == seen => {}
                    Ok(Some(v)) => {
                        seen = v;
                        if tx.send(Changed::Anything).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    // A new connection's versions start elsewhere: the next read counts as a
                    // change, which is right, since one may have been missed meanwhile.
                    Err(e) => {
                        tracing::warn!(error = %e, "the database's data version could not be read")
                    }
                }
            }
        });
        Ok(rx)
    }

    /// Ends every watch and closes the watching connection (before the pool closes).
    pub(crate) async fn stop_watching(&self) {
        let mut w = self.watcher.lock().await;
        w.closed = true;
        if let Some(conn) = w.conn.take() {
            let _ = conn.close().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::live::Changed;
    use crate::store::{SqliteStore, StoreBackend};
    use std::time::Duration;

    /// Another program writing the same file (here a second store, as a CLI run would open it)
    /// is noticed within a few seconds; a closed store ends the watch.
    #[tokio::test]
    async fn a_commit_by_another_connection_is_noticed_and_close_ends_the_watch() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("kartoteka.db"))
            .await
            .unwrap();
        let mut rx = store.watch_changes().await.unwrap();
        // Nothing written: nothing reported.
        assert!(tokio::time::timeout(Duration::from_millis(2500), rx.recv())
            .await
            .is_err());
        let other = SqliteStore::open(&dir.path().join("kartoteka.db"))
            .await
            .unwrap();
        crate::store::HistoryStore::set_meta(&other, "probe", "1")
            .await
            .unwrap();
        let got = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("the other connection's commit was not noticed");
        assert_eq!(got, Some(Changed::Anything));
        store.close().await;
        // What was noticed before the close may still be waiting; then the watch ends.
        let ended = tokio::time::timeout(Duration::from_secs(5), async {
            while rx.recv().await.is_some() {}
        });
        assert!(ended.await.is_ok(), "the watch did not end with the store");
        other.close().await;
    }
}
