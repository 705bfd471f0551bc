//! The search box (Ctrl+K) over organisations and people.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::register::SearchHit;
use tauri::State;
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all, fields(limit))]
pub async fn search(
    state: State<'_, AppState>,
    text: String,
    limit: u32,
) -> CmdResult<Vec<SearchHit>> {
    Ok(state.k().search(&text, limit).await?)
}
