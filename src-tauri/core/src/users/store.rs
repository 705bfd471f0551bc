//! The users domain's part of the store contract: what its operations need from a backend, in
//! domain types only. The server backend manages its logins; the file backend refuses with
//! `ONLY_ON_SERVER`.

use crate::error::Result;
use crate::users::{CurrentLogin, StaffLogin, StaffRole};

/// The store's part for staff logins.
#[async_trait::async_trait]
pub trait UserStore: Send + Sync {
    /// Who this connection is and what it may do (in a file: nobody in particular).
    async fn current_login(&self) -> Result<CurrentLogin>;

    /// Every login that belongs to one of Kartoteka's groups, by name.
    async fn staff_logins(&self) -> Result<Vec<StaffLogin>>;

    /// A new login, able to log in at once with `password`.
    async fn create_login(&self, login: &str, role: StaffRole, password: &str) -> Result<()>;

    async fn set_login_role(&self, login: &str, role: StaffRole) -> Result<()>;

    async fn set_login_enabled(&self, login: &str, enabled: bool) -> Result<()>;

    async fn set_login_password(&self, login: &str, password: &str) -> Result<()>;
}
