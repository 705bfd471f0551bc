//! SQLite: staff logins do not exist in a file on one PC (whoever opens the file is its user),
//! so every users operation but "who is this" answers that it is for a server only.

use super::SqliteStore;
use crate::error::{Error, Result};
use crate::store::UserStore;
use crate::users::{CurrentLogin, StaffLogin, StaffRole, ONLY_ON_SERVER};

#[async_trait::async_trait]
impl UserStore for SqliteStore {
    async fn current_login(&self) -> Result<CurrentLogin> {
        Ok(CurrentLogin::file())
    }

    async fn staff_logins(&self) -> Result<Vec<StaffLogin>> {
        Err(Error::BadArgument(ONLY_ON_SERVER.into()))
    }

    async fn create_login(&self, _login: &str, _role: StaffRole, _password: &str) -> Result<()> {
        Err(Error::BadArgument(ONLY_ON_SERVER.into()))
    }

    async fn set_login_role(&self, _login: &str, _role: StaffRole) -> Result<()> {
        Err(Error::BadArgument(ONLY_ON_SERVER.into()))
    }

    async fn set_login_enabled(&self, _login: &str, _enabled: bool) -> Result<()> {
        Err(Error::BadArgument(ONLY_ON_SERVER.into()))
    }

    async fn set_login_password(&self, _login: &str, _password: &str) -> Result<()> {
        Err(Error::BadArgument(ONLY_ON_SERVER.into()))
    }
}

#[cfg(test)]
mod tests {
    use crate::users::NewLoginInput;
    use crate::Kartoteka;

    /// A file knows no logins: every users operation is refused in words,
    /// and "who am I" says it is a file (the window then hides Użytkownicy).
    #[tokio::test]
    async fn users_on_a_file_are_for_a_server_only() {
        let dir = tempfile::tempdir().unwrap();
        let k = Kartoteka::open(&dir.path().join("k.db")).await.unwrap();
        let me = k.current_login().await.unwrap();
        assert!(!me.server && !me.manages_users && me.login.is_none());
        let refusals = [
            k.staff_logins().await.map(|_| ()).unwrap_err(),
            k.create_login(&NewLoginInput {
                login: "ewa".into(),
                role: "doradca".into(),
                password: "dobre-hasło-1".into(),
            })
            .await
            .map(|_| ())
            .unwrap_err(),
            k.set_login_role("ewa", "pracownik").await.unwrap_err(),
            k.set_login_enabled("ewa", false).await.unwrap_err(),
            k.reset_login_password("ewa", "dobre-hasło-2")
                .await
                .unwrap_err(),
        ];
        for e in refusals {
            assert_eq!(e.code(), "bad_argument");
            assert!(e.to_string().contains("tylko w bazie na serwerze"), "{e}");
        }
    }
}
