//! Backups from the window: the status (when the last good copy was made, the automatic
//! copies), "back up now" to a place the user picks, and restore from a copy, after which the
//! program restarts on the restored file.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::backup::{self, BackupInfo, BackupStatus};
use kartoteka_core::Error;
use std::path::PathBuf;
use tauri::{AppHandle, State};
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn backup_status(state: State<'_, AppState>) -> CmdResult<BackupStatus> {
    Ok(state.k().backup_status().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn backup_now(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Option<BackupInfo>> {
    let Some(out) =
        super::export::ask_path(&app, "kartoteka-kopia", ("Kopia Kartoteki", "db")).await
    else {
        return Ok(None);
    };
    Ok(Some(state.k().backup_to(&out).await?))
}

/// Picks a backup file and says what it holds, before anything is restored.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn backup_pick_file(app: AppHandle) -> CmdResult<Option<BackupInfo>> {
    let Some(path) = super::import::pick_file(&app, "Kopia Kartoteki", &["db"]).await else {
        return Ok(None);
    };
    Ok(Some(backup::inspect(&path).await?))
}

/// Restores the copy at `path` (one the window listed or the user picked) and restarts.
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn restore_backup(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> CmdResult<()> {
    if path.len() > 4096 {
        return Err(Error::BadArgument("Za długa ścieżka pliku.".into()).into());
    }
    state.k().restore_from(&PathBuf::from(path)).await?;
    app.restart();
}
