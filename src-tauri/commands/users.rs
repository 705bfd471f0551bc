//! Użytkownicy: staff logins on a database server (who is connected, the list, an
//! administrator's changes). Passwords pass through without being logged: every command here
//! skips its arguments in the trace, and the login names are not logged either.

use crate::error::CmdResult;
use crate::AppState;
use kartoteka_core::users::{CurrentLogin, NewLoginInput, StaffLogin};
use tauri::State;
use tracing::instrument;

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn current_login(state: State<'_, AppState>) -> CmdResult<CurrentLogin> {
    Ok(state.k().current_login().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn list_logins(state: State<'_, AppState>) -> CmdResult<Vec<StaffLogin>> {
    Ok(state.k().staff_logins().await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn create_login(state: State<'_, AppState>, input: NewLoginInput) -> CmdResult<String> {
    Ok(state.k().create_login(&input).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn set_login_role(
    state: State<'_, AppState>,
    login: String,
    role: String,
) -> CmdResult<()> {
    Ok(state.k().set_login_role(&login, &role).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn set_login_enabled(
    state: State<'_, AppState>,
    login: String,
    enabled: bool,
) -> CmdResult<()> {
    Ok(state.k().set_login_enabled(&login, enabled).await?)
}

#[tauri::command(rename_all = "snake_case")]
#[instrument(skip_all)]
pub async fn reset_login_password(
    state: State<'_, AppState>,
    login: String,
    password: String,
) -> CmdResult<()> {
    Ok(state.k().reset_login_password(&login, &password).await?)
}
