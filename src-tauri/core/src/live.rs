//! Live lists: telling an open window that records changed elsewhere (a colleague's PC, a CLI
//! import into the same file) so it reloads what it shows. Each backend reports raw changes
//! (PostgreSQL: NOTIFY from triggers, delivered at commit; SQLite: the file's data version);
//! here they are gathered into batches, so a burst of writes becomes one quiet reload.

use crate::error::Result;
use crate::Kartoteka;
use serde::Serialize;
use std::collections::BTreeSet;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

/// The PostgreSQL channel the triggers of `migrations/postgres/20261201120000_notify.sql`
/// notify on.
pub const CHANNEL: &str = "kartoteka_changes";

/// Every kind a notice may name (the triggers' arguments).
pub const KINDS: &[&str] = &[
    "organizations",
    "people",
    "advice",
    "events",
    "consultations",
    "survey",
    "mail",
    "lists",
    "grants",
    "imports",
    "rooms",
    "letters",
    "library",
    "legal_aid",
    "cooperation",
];

/// One raw report of a backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// Records of this kind changed (one of `KINDS`).
    Kind(String),
    /// Something changed, or may have while nobody was listening (a dropped connection, a
    /// file written by another program): every list should look again.
    Anything,
}

/// What changed since the last batch: the window reloads the lists these touch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub kinds: BTreeSet<String>,
    /// Every kind may have changed.
    pub anything: bool,
}

impl Changes {
    fn add(&mut self, c: Changed) {
        match c {
            Changed::Kind(k) if KINDS.contains(&k.as_str()) => {
                self.kinds.insert(k);
            }
            // A kind this program does not know comes from a newer one's triggers: look again
            // at everything rather than miss it.
            Changed::Kind(_) | Changed::Anything => self.anything = true,
        }
    }

    pub fn touches(&self, kind: &str) -> bool {
        self.anything || self.kinds.contains(kind)
    }
}

/// After the first change, how long the batch stays open for more of the same burst.
const QUIET: Duration = Duration::from_millis(250);

/// The longest a batch waits for a burst to end, and the shortest time between two batches:
/// an import committing every few milliseconds reloads the lists once a second, not per commit.
const AT_MOST_EVERY: Duration = Duration::from_secs(1);

/// A subscription to the database's changes (see the module note).
pub struct ChangeWatch {
    raw: UnboundedReceiver<Changed>,
    last: Option<Instant>,
}

impl ChangeWatch {
    pub(crate) fn new(raw: UnboundedReceiver<Changed>) -> ChangeWatch {
        ChangeWatch { raw, last: None }
    }

    /// The next batch of changes; None once the database is closed.
    pub async fn next(&mut self) -> Option<Changes> {
        let mut batch = Changes::default();
        batch.add(self.raw.recv().await?);
        let opened = Instant::now();
        // Never sooner than a second after the last batch, never later than a second after
        // this one opened (or after the last, whichever is later).
        let earliest = self.last.map_or(opened, |l| l + AT_MOST_EVERY);
        let deadline = (opened + AT_MOST_EVERY).max(earliest);
        let mut quiet_until = (opened + QUIET).max(earliest);
        loop {
            let until = quiet_until.min(deadline);
            match tokio::time::timeout_at(until, self.raw.recv()).await {
                Ok(Some(c)) => {
                    batch.add(c);
                    quiet_until = (Instant::now() + QUIET).max(earliest);
                }
                // Closed: what was gathered still goes out; the next call says None.
                Ok(None) => break,
                // The burst went quiet, or the batch has waited long enough.
                Err(_) => break,
            }
        }
        self.last = Some(Instant::now());
        Some(batch)
    }
}

impl Kartoteka {
    /// Changes made to the database by anyone (other PCs, other programs, this one), in
    /// batches, for as long as the returned watch is kept and the database is open.
    pub async fn watch_changes(&self) -> Result<ChangeWatch> {
        Ok(ChangeWatch::new(self.store.watch_changes().await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc::unbounded_channel;

    #[tokio::test]
    async fn a_burst_becomes_one_batch_and_batches_are_spaced() {
        let (tx, rx) = unbounded_channel();
        let mut watch = ChangeWatch::new(rx);
        // A thousand commits of an import, a millisecond apart, and one note on people.
        let producer = tokio::spawn(async move {
            for i in 0..1000 {
                tx.send(Changed::Kind("organizations".into())).unwrap();
                if i == 10 {
                    tx.send(Changed::Kind("people".into())).unwrap();
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            tx.send(Changed::Kind("from-a-newer-program".into()))
                .unwrap();
            // Kept open: the batches end with the burst, not with the channel.
            tx
        });
        let started = Instant::now();
        let mut batches = Vec::new();
        while let Some(b) = watch.next().await {
            let last = b.anything;
            batches.push((b, started.elapsed()));
            if last {
                break;
            }
        }
        drop(producer.await.unwrap());
        // A second or two of commits: a batch at most once a second, so a few, not 1000.
        assert!((1..=4).contains(&batches.len()), "{batches:?}");
        assert!(batches[0].0.touches("organizations") && batches[0].0.touches("people"));
        assert!(!batches[0].0.touches("advice"));
        for pair in batches.windows(2) {
            assert!(pair[1].1 - pair[0].1 >= AT_MOST_EVERY, "{batches:?}");
        }
        // An unknown kind makes every list look again.
        assert!(batches.last().unwrap().0.anything);
    }

    #[tokio::test]
    async fn a_single_change_arrives_quickly() {
        let (tx, rx) = unbounded_channel();
        let mut watch = ChangeWatch::new(rx);
        tx.send(Changed::Kind("advice".into())).unwrap();
        let started = Instant::now();
        let b = watch.next().await.unwrap();
        assert!(started.elapsed() <= QUIET + Duration::from_millis(10));
        assert_eq!(b.kinds.iter().collect::<Vec<_>>(), ["advice"]);
        drop(tx);
        assert!(watch.next().await.is_none());
    }
}
