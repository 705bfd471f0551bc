//! Advice records: the quick form, the list with follow-ups due, and a client's earlier advice.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::advice::{AdviceCategory, AdviceInput, AdviceQuery, AdviceRecord, AdviceRow};
use kartoteka_core::register::Page;
use tauri::State;
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn advice_categories(state: State<'_, AppState>) -> CmdResult<Vec<AdviceCategory>> {
    Ok(state.k().advice_categories().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_advice(
    state: State<'_, AppState>,
    query: AdviceQuery,
) -> CmdResult<Page<AdviceRow>> {
    Ok(state.k().list_advice(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_advice(state: State<'_, AppState>, id: i64) -> CmdResult<AdviceRecord> {
    Ok(state.k().advice(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_advice(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: AdviceInput,
) -> CmdResult<i64> {
    Ok(state.k().save_advice(id, &input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn delete_advice(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    Ok(state.k().delete_advice(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, name))]
pub async fn save_advice_category(
    state: State<'_, AppState>,
    code: String,
    parent: Option<String>,
    name: String,
    active: bool,
) -> CmdResult<()> {
    Ok(state
        .k()
        .save_advice_category(&code, parent.as_deref(), &name, active)
        .await?)
}
