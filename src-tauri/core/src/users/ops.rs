//! Staff logins' operations (Użytkownicy): who is connected, the list, and an administrator's
//! changes. The server decides who may make them; these check the input first and log only
//! that something happened, never a password.

use crate::error::Result;
use crate::users::{check_password, CurrentLogin, NewLoginInput, StaffLogin, StaffRole};
use crate::Kartoteka;

impl Kartoteka {
    // ----- users -----------------------------------------------------------------------------

    /// Who this connection is and what it may do: the window shows "Użytkownicy" only to
    /// those who manage logins on a server.
    pub async fn current_login(&self) -> Result<CurrentLogin> {
        self.store.current_login().await
    }

    pub async fn staff_logins(&self) -> Result<Vec<StaffLogin>> {
        self.store.staff_logins().await
    }

    /// A new login for a member of staff, with the role and first password an administrator
    /// gives (the person changes it later with the server's own tools or asks for a reset).
    pub async fn create_login(&self, input: &NewLoginInput) -> Result<String> {
        let (login, role) = input.parse()?;
        self.store
            .create_login(&login, role, &input.password)
            .await?;
        tracing::info!(role = role.code(), "staff login created");
        Ok(login)
    }

    pub async fn set_login_role(&self, login: &str, role: &str) -> Result<()> {
        let role = StaffRole::parse(role)?;
        self.store.set_login_role(&existing(login)?, role).await?;
        tracing::info!(role = role.code(), "staff login's role changed");
        Ok(())
    }

    /// Turns a login off (the person can no longer sign in; their history stays) or back on.
    pub async fn set_login_enabled(&self, login: &str, enabled: bool) -> Result<()> {
        self.store
            .set_login_enabled(&existing(login)?, enabled)
            .await?;
        tracing::info!(enabled, "staff login switched");
        Ok(())
    }

    pub async fn reset_login_password(&self, login: &str, password: &str) -> Result<()> {
        check_password(password)?;
        self.store
            .set_login_password(&existing(login)?, password)
            .await?;
        tracing::info!("staff login's password reset");
        Ok(())
    }
}

/// A login named by the list. Logins made by hand on the server may have any name, so only
/// what no role name can be is refused here; the store checks it is one of the staff and
/// quotes it as an identifier.
fn existing(login: &str) -> Result<String> {
    if login.is_empty() || login.len() > 63 || login.contains('\0') {
        return Err(crate::error::Error::invalid(
            "login",
            "Nie ma takiego użytkownika Kartoteki na serwerze.",
        ));
    }
    Ok(login.to_string())
}
