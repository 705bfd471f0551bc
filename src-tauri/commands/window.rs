//! The window's close button and unsaved forms: the UI reports whether a form holds unsaved
//! changes; while it does, a close request is held back and passed to the UI, which asks in its
//! own dialog and closes the window itself on "Porzuć zmiany".

use crate::AppState;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use tauri::ipc::Channel;
use tauri::{Manager, State};
use tracing::instrument;

#[derive(Default)]
pub struct CloseGuard {
    unsaved: AtomicBool,
    ask: Mutex<Option<Channel<()>>>,
}

impl CloseGuard {
    /// Whether this close request must wait for the UI's answer. Only when the UI said a form is
    /// changed and can still be asked: a page that never registered (or went away) never keeps
    /// the window open.
    pub fn hold(&self) -> bool {
        if !self.unsaved.load(Ordering::SeqCst) {
            return false;
        }
        let ask = self.ask.lock().unwrap_or_else(|e| e.into_inner());
        ask.as_ref().is_some_and(|channel| channel.send(()).is_ok())
    }
}

/// Called by `on_window_event` for the main window's CloseRequested.
pub fn on_close_requested(window: &tauri::Window, api: &tauri::CloseRequestApi) {
    if window.state::<AppState>().close.hold() {
        tracing::info!("close held: the window has unsaved changes");
        api.prevent_close();
    }
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub fn watch_close(state: State<'_, AppState>, on_request: Channel<()>) {
    *state.close.ask.lock().unwrap_or_else(|e| e.into_inner()) = Some(on_request);
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub fn set_unsaved(state: State<'_, AppState>, unsaved: bool) {
    state.close.unsaved.store(unsaved, Ordering::SeqCst);
}

/// The user chose to discard the changes: close without asking again.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub fn close_window(
    state: State<'_, AppState>,
    window: tauri::Window,
) -> crate::error::CmdResult<()> {
    state.close.unsaved.store(false, Ordering::SeqCst);
    window.close().map_err(|e| crate::error::IpcError {
        code: "window",
        message: format!("Nie udało się zamknąć okna: {e}"),
        field: None,
        fields: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_window_or_one_without_a_listener_closes_at_once() {
        let guard = CloseGuard::default();
        assert!(!guard.hold(), "nothing changed");
        guard.unsaved.store(true, Ordering::SeqCst);
        assert!(
            !guard.hold(),
            "no page listens: closing must not be blocked"
        );
    }
}
