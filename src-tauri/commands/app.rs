//! Application-wide commands: version and paths, reference lists, demo data, readiness.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::demo::{self, DemoSummary};
use kartoteka_core::register::{ReferenceData, RegisterCounts};
use serde::Serialize;
use tauri::State;
use tracing::instrument;

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    database_path: String,
    log_dir: String,
    counts: RegisterCounts,
    /// When the newest good backup was made, and whether that is too long ago.
    last_backup: Option<String>,
    backup_old: bool,
    backup_folder: String,
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    let backup = state.k().backup_status_brief().await?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        database_path: state.k().database_path().display().to_string(),
        log_dir: state.log_dir.display().to_string(),
        counts: state.k().counts().await?,
        last_backup: backup.last_good,
        backup_old: backup.old,
        backup_folder: backup.folder,
    })
}

/// Called by the window once its first screen shows data: logs the start-up time, and ends
/// the process when a benchmark asked for it (KARTOTEKA_EXIT_WHEN_READY).
#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub fn ui_ready(app: tauri::AppHandle, state: State<'_, AppState>) {
    let ms = state.started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(ready_ms = ms, "window ready");
    if std::env::var_os("KARTOTEKA_EXIT_WHEN_READY").is_some() {
        println!("ready_ms={ms:.1}");
        app.exit(0);
    }
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn reference_data(state: State<'_, AppState>) -> CmdResult<ReferenceData> {
    Ok(state.k().reference_data().await?)
}

#[derive(Serialize)]
pub struct FilterOptions {
    cities: Vec<String>,
    tags: Vec<String>,
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn filter_options(state: State<'_, AppState>) -> CmdResult<FilterOptions> {
    Ok(FilterOptions {
        cities: state.k().cities().await?,
        tags: state.k().tags().await?,
    })
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all, fields(code))]
pub async fn save_area(
    state: State<'_, AppState>,
    code: String,
    name: String,
    active: bool,
) -> CmdResult<()> {
    Ok(state.k().save_area(&code, &name, active).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn load_demo_data(
    state: State<'_, AppState>,
    organizations: u32,
    people: u32,
) -> CmdResult<DemoSummary> {
    let (orgs, people) = (
        organizations.min(20_000) as usize,
        people.min(50_000) as usize,
    );
    Ok(demo::generate(&state.k(), orgs, people, rand_seed()).await?)
}

fn rand_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(1)
}
