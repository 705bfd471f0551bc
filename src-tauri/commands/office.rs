//! Dane biura (the office's details used by every report and message), and opening or printing
//! a file the program has just saved. The opener plugin is called from here only: the window
//! may ask to open a path solely if this process chose and wrote it in this session.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::office::OfficeSettings;
use kartoteka_core::Error;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn office_settings(state: State<'_, AppState>) -> CmdResult<OfficeSettings> {
    Ok(state.k().office_settings().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn save_office_settings(
    state: State<'_, AppState>,
    input: OfficeSettings,
) -> CmdResult<OfficeSettings> {
    Ok(state.k().save_office_settings(&input).await?)
}

/// Files chosen in the save dialog in this session (the last few): the only ones `open_saved`
/// will hand to the system, so the window cannot open arbitrary paths or programs.
static SAVED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
const REMEMBERED: usize = 20;

pub(crate) fn remember_saved(path: &Path) {
    let mut saved = SAVED.lock().expect("saved paths lock");
    saved.retain(|p| p != path);
    saved.push(path.to_path_buf());
    if saved.len() > REMEMBERED {
        saved.remove(0);
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Opened {
    /// Shown in the system's viewer (for "Drukuj": the user prints from there).
    Viewer,
    /// Sent to the default printer with `lp` (Linux with CUPS).
    Printer,
}

/// Finds `lp` (CUPS) on PATH; absent on most Windows PCs and many Linux desktops without CUPS.
fn find_lp() -> Option<PathBuf> {
    if !cfg!(unix) {
        return None;
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("lp"))
        .find(|p| p.is_file())
}

/// Opens a just-saved file in the system's viewer, or prints it ("Drukuj"): with `lp` to the
/// default printer where CUPS is installed, else in the viewer, whose print dialog does it.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all, fields(print))]
pub async fn open_saved(app: AppHandle, path: String, print: bool) -> CmdResult<Opened> {
    let path = PathBuf::from(path);
    let known = SAVED.lock().expect("saved paths lock").contains(&path);
    if !known || !path.is_file() {
        return Err(Error::BadArgument(
            "Ten plik nie został właśnie zapisany przez Kartotekę albo już go nie ma.".into(),
        )
        .into());
    }
    if print {
        if let Some(lp) = find_lp() {
            let file = path.clone();
            let status = tauri::async_runtime::spawn_blocking(move || {
                std::process::Command::new(lp).arg("--").arg(file).status()
            })
            .await;
            if matches!(status, Ok(Ok(s)) if s.success()) {
                tracing::info!("sent to the printer");
                return Ok(Opened::Printer);
            }
            tracing::warn!("lp failed; opening the viewer instead");
        }
    }
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| {
            Error::BadArgument(format!(
                "Nie udało się otworzyć pliku w przeglądarce systemowej: {e}"
            ))
        })?;
    Ok(Opened::Viewer)
}
