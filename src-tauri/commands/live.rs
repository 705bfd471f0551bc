//! Live lists: the page subscribes once over a channel (no event permission needed), and a task
//! started with the window passes it the database's batches of changes (`kartoteka_core::live`),
//! following the window when it is moved to another database.

use crate::AppState;
use kartoteka_core::live::Changes;
use std::sync::Mutex;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tokio::sync::watch;
use tracing::instrument;

pub struct LiveSession {
    /// The page's subscription; a reloaded page replaces it.
    page: Mutex<Option<Channel<Changes>>>,
    /// Bumped when the window switches databases, so the watch moves with it.
    switched: watch::Sender<u64>,
}

impl Default for LiveSession {
    fn default() -> Self {
        LiveSession {
            page: Mutex::new(None),
            switched: watch::Sender::new(0),
        }
    }
}

impl LiveSession {
    pub fn database_switched(&self) {
        self.switched.send_modify(|n| *n += 1);
    }

    fn tell_page(&self, changes: &Changes) {
        let page = self.page.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(channel) = page.as_ref() {
            let _ = channel.send(changes.clone());
        }
    }
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub fn watch_changes(state: State<'_, AppState>, on_change: Channel<Changes>) {
    *state.live.page.lock().unwrap_or_else(|e| e.into_inner()) = Some(on_change);
}

/// Runs for the window's life: watches the current database and passes each batch on.
pub async fn forward(app: AppHandle) {
    let state = app.state::<AppState>();
    let mut switched = state.live.switched.subscribe();
    loop {
        switched.borrow_and_update();
        let k = state.k();
        match k.watch_changes().await {
            Ok(mut watch) => loop {
                tokio::select! {
                    _ = switched.changed() => break,
                    batch = watch.next() => match batch {
                        Some(changes) => state.live.tell_page(&changes),
                        // The database was closed: wait for the next one.
                        None => {
                            if switched.changed().await.is_err() {
                                return;
                            }
                            break;
                        }
                    },
                }
            },
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "cannot watch the database for changes");
                // Tried again on the next database, or after a while on this one.
                let _ =
                    tokio::time::timeout(std::time::Duration::from_secs(30), switched.changed())
                        .await;
            }
        }
    }
}
