//! PostgreSQL: the live lists' notices. The triggers of the notify migration send a NOTIFY with
//! the kind of record that changed; a LISTEN session of its own (outside the pool, so closing
//! the store never waits on it) passes them on, and is made again when the connection drops.

use super::PgStore;
use crate::error::Result;
use crate::live::{Changed, CHANNEL};
use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::PgPool;
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

/// With nothing heard for this long the session is asked a question: a server that vanished
/// without closing the connection (a cable, a sleeping PC) is noticed, not waited on for hours.
const PROBE_AFTER: Duration = Duration::from_secs(30);
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest pause between attempts to listen again while the server is away.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// How the listening session names itself on the server (pg_stat_activity).
pub(crate) const APPLICATION: &str = "kartoteka-live";

impl PgStore {
    pub(crate) async fn watch(&self) -> Result<UnboundedReceiver<Changed>> {
        let (tx, rx) = unbounded_channel();
        // The first LISTEN is made before returning: a change committed after this call is
        // never missed.
        let listener = listen(&self.pool).await?;
        tokio::spawn(keep_listening(self.pool.clone(), listener, tx));
        Ok(rx)
    }
}

async fn listen(main: &PgPool) -> Result<PgListener> {
    let options = (*main.connect_options())
        .clone()
        .application_name(APPLICATION);
    let own = PgPoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(Duration::from_secs(15))
        .connect_lazy_with(options);
    let mut listener = PgListener::connect_with(&own).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Passes notices on until the receiver is dropped or the store's pool is closed; a lost
/// session is replaced (after a growing pause while the server is away), and since changes may
/// have been made meanwhile, every list is told to look again.
async fn keep_listening(main: PgPool, first: PgListener, tx: UnboundedSender<Changed>) {
    let mut listener = Some(first);
    let mut backoff = Duration::from_secs(1);
    loop {
        let Some(l) = listener.as_mut() else {
            tokio::select! {
                _ = tx.closed() => return,
                _ = main.close_event() => return,
                _ = tokio::time::sleep(backoff) => {}
            }
            match listen(&main).await {
                Ok(l) => {
                    tracing::info!("listening for changes again");
                    listener = Some(l);
                    backoff = Duration::from_secs(1);
                    if tx.send(Changed::Anything).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for changes yet");
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
            continue;
        };
        let heard = tokio::select! {
            _ = tx.closed() => return,
            _ = main.close_event() => return,
            r = tokio::time::timeout(PROBE_AFTER, l.try_recv()) => r,
        };
        match heard {
            Ok(Ok(Some(n))) => {
                if tx.send(Changed::Kind(n.payload().to_string())).is_err() {
                    return;
                }
            }
            // The connection dropped and sqlx made a new one, already listening.
            Ok(Ok(None)) => {
                tracing::info!("the change notices' connection was made again");
                if tx.send(Changed::Anything).is_err() {
                    return;
                }
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "the change notices' connection failed");
                listener = None;
            }
            Err(_) => {
                let probe = sqlx::query("SELECT 1").execute(&mut *l);
                if !matches!(tokio::time::timeout(PROBE_TIMEOUT, probe).await, Ok(Ok(_))) {
                    tracing::warn!("the change notices' connection stopped answering");
                    listener = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::fresh_pg;
    use super::APPLICATION;
    use crate::live::Changed;
    use crate::store::StoreBackend;
    use sqlx::Connection;
    use std::time::Duration;

    async fn next(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Changed>) -> Option<Changed> {
        tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .ok()
            .flatten()
    }

    /// An import of thousands of rows on another PC wakes an open window a few times at most
    /// (one notice per kind and transaction, batches at most once a second), not per row.
    #[tokio::test]
    async fn pg_only_a_big_import_elsewhere_is_a_few_batches_not_one_per_row() {
        let Some(url) = super::super::testing::fresh_pg_url().await else {
            return;
        };
        let window = crate::Kartoteka::connect(&url).await.unwrap();
        let mut watch = window.watch_changes().await.unwrap();
        let colleague = crate::Kartoteka::connect(&url).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let sheet = dir.path().join("organizacje.csv");
        let rows = 5_000;
        let mut csv = String::from("Nazwa;Forma prawna;Miejscowość\n");
        for i in 0..rows {
            csv.push_str(&format!(
                "Stowarzyszenie Sąsiedzkie nr {i};stowarzyszenie;Łódź\n"
            ));
        }
        std::fs::write(&sheet, csv).unwrap();
        let options = crate::import::ImportOptions {
            kind: crate::import::ImportKind::Organizations,
            sheet: None,
            header_row: None,
            columns: None,
            header_mapping: None,
            on_duplicate: crate::import::DuplicatePolicy::Skip,
            row_decisions: Default::default(),
        };
        let started = std::time::Instant::now();
        let report = colleague
            .import(
                &sheet,
                &options,
                false,
                None,
                std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
            )
            .await
            .unwrap();
        let took = started.elapsed();
        assert_eq!(report.imported, rows);
        let mut batches = Vec::new();
        while let Ok(Some(b)) = tokio::time::timeout(Duration::from_secs(3), watch.next()).await {
            batches.push(b);
        }
        assert!(!batches.is_empty(), "the import was not noticed");
        assert!(batches.iter().any(|b| b.touches("organizations")));
        assert!(
            batches.len() as u64 <= took.as_secs() + 2,
            "{} batches for an import of {took:?}",
            batches.len()
        );
        colleague.close().await;
        window.close().await;
    }

    /// A colleague's commit reaches this PC's watch with its kind; a rolled-back write tells
    /// nobody; a dropped listening session is made again and says "look at everything".
    #[tokio::test]
    async fn pg_only_notices_arrive_after_another_connections_commit() {
        let Some(store) = fresh_pg().await else {
            return;
        };
        let mut rx = store.watch_changes().await.unwrap();
        // Another PC: its own connection to the same database.
        let url = store.pool.connect_options();
        let mut colleague = sqlx::PgConnection::connect_with(&url).await.unwrap();

        let mut tx = colleague.begin().await.unwrap();
        sqlx::query("INSERT INTO meta (key, value) VALUES ('x', 'y')")
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO organizations (name, legal_form, created_at, updated_at, name_key, city_key)
             VALUES ('Fundacja Wycofana', 'fundacja', 'now', 'now', '\\x00', '\\x00')",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        // Nothing before the commit…
        assert!(
            tokio::time::timeout(Duration::from_millis(700), rx.recv())
                .await
                .is_err(),
            "a notice before the commit"
        );
        // …and nothing at all for a rollback.
        tx.rollback().await.unwrap();
        assert!(
            tokio::time::timeout(Duration::from_millis(1200), rx.recv())
                .await
                .is_err(),
            "a notice for a rolled-back write"
        );

        let mut tx = colleague.begin().await.unwrap();
        for name in ["Fundacja Pierwsza", "Fundacja Druga"] {
            sqlx::query(
                "INSERT INTO organizations (name, legal_form, created_at, updated_at, name_key, city_key)
                 VALUES ($1, 'fundacja', 'now', 'now', '\\x00', '\\x00')",
            )
            .bind(name)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        sqlx::query("UPDATE people SET id = id WHERE FALSE")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut got = vec![next(&mut rx).await, next(&mut rx).await];
        got.sort_by_key(|c| format!("{c:?}"));
        // One notice per kind and transaction, however many statements.
        assert_eq!(
            got,
            [
                Some(Changed::Kind("organizations".into())),
                Some(Changed::Kind("people".into()))
            ]
        );
        assert!(
            tokio::time::timeout(Duration::from_millis(500), rx.recv())
                .await
                .is_err(),
            "a second notice for one transaction"
        );

        // The server drops the listening session (a restart, a network break).
        let dropped: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = $1 AND datname = current_database()) t",
        )
        .bind(APPLICATION)
        .fetch_one(&mut colleague)
        .await
        .unwrap();
        assert_eq!(dropped, 1);
        assert_eq!(
            tokio::time::timeout(Duration::from_secs(10), rx.recv())
                .await
                .expect("no word after the session dropped"),
            Some(Changed::Anything)
        );
        sqlx::query("UPDATE events SET id = id WHERE FALSE")
            .execute(&mut colleague)
            .await
            .unwrap();
        assert_eq!(next(&mut rx).await, Some(Changed::Kind("events".into())));

        // Closing the store ends the watch.
        store.close().await;
        let ended = tokio::time::timeout(Duration::from_secs(5), async {
            while rx.recv().await.is_some() {}
        });
        assert!(ended.await.is_ok(), "the watch did not end with the store");
    }
}
