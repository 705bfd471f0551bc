//! Organisation register commands.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::register::{
    Organization, OrganizationInput, OrganizationQuery, OrganizationRow, Page, SaveOutcome,
};
use tauri::State;
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all, fields(offset = query.offset, limit = query.limit))]
pub async fn list_organizations(
    state: State<'_, AppState>,
    query: OrganizationQuery,
) -> CmdResult<Page<OrganizationRow>> {
    Ok(state.k().organizations(&query).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn get_organization(state: State<'_, AppState>, id: i64) -> CmdResult<Organization> {
    Ok(state.k().organization(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state, input))]
pub async fn save_organization(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: OrganizationInput,
    accept_duplicates: bool,
) -> CmdResult<SaveOutcome> {
    Ok(state
        .k()
        .save_organization(id, &input, accept_duplicates)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip(state))]
pub async fn archive_organization(
    state: State<'_, AppState>,
    id: i64,
    archived: bool,
) -> CmdResult<()> {
    Ok(state.k().archive_organization(id, archived).await?)
}
