//! Staff logins: the three roles and the server groups behind them, what the list shows, and the
//! checks of a new login's name and password (done here, before the server is asked, so the
//! form can say which field is wrong).

use crate::error::{Error, FieldError, Result};
use serde::{Deserialize, Serialize};

/// What a file-mode register answers to every users operation.
pub const ONLY_ON_SERVER: &str =
    "Użytkownicy i role są tylko w bazie na serwerze: baza w pliku na jednym komputerze nie ma loginów.";

/// A kind of staff, as the server's group role that carries its rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Everything, and the logins of others.
    Administrator,
    /// Everything an advisor does, advice descriptions and clients included.
    Doradca,
    /// The register and the office's work; advice only without descriptions and clients.
    Pracownik,
}

impl StaffRole {
    pub const ALL: [StaffRole; 3] = [
        StaffRole::Administrator,
        StaffRole::Doradca,
        StaffRole::Pracownik,
    ];

    /// The group role on the server (created by `migrations/postgres/20261201110000_roles.sql`).
    pub fn group(self) -> &'static str {
        match self {
            StaffRole::Administrator => "kartoteka_administrator",
            StaffRole::Doradca => "kartoteka_doradca",
            StaffRole::Pracownik => "kartoteka_pracownik",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            StaffRole::Administrator => "administrator",
            StaffRole::Doradca => "doradca",
            StaffRole::Pracownik => "pracownik",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    /// The role as a form sends it; an unknown one is the field's error.
    pub fn parse(code: &str) -> Result<Self> {
        Self::from_code(code).ok_or_else(|| {
            Error::invalid(
                "role",
                "Wybierz rolę: administrator, doradca albo pracownik biura.",
            )
        })
    }
}

/// One line of the Użytkownicy list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffLogin {
    pub login: String,
    pub role: StaffRole,
    /// False when an administrator has turned the login off (the person cannot sign in).
    pub can_log_in: bool,
}

/// Who this connection is: what the window shows and which screens it offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrentLogin {
    /// Whether the register is on a server (a file has no logins: the rest is then empty).
    pub server: bool,
    pub login: Option<String>,
    /// None for a server login outside Kartoteka's groups (e.g. the server's own superuser,
    /// who may do everything anyway).
    pub role: Option<StaffRole>,
    /// Whether this login may create and change others' logins.
    pub manages_users: bool,
    /// Whether it reads advice descriptions and clients.
    pub reads_advice_clients: bool,
    /// Whether it may change the office's RODO retention periods (office staff only read them;
    /// the server refuses their change, see `migrations/postgres/20261201130000_staff_settings.sql`).
    pub changes_retention: bool,
    /// Whether it may make and restore backups of the whole database (on a server, office
    /// staff may not: their PCs neither offer them nor make the automatic one).
    pub makes_backups: bool,
}

impl CurrentLogin {
    /// A file on one PC: no login, every screen of a one-user program.
    pub fn file() -> Self {
        CurrentLogin {
            server: false,
            login: None,
            role: None,
            manages_users: false,
            reads_advice_clients: true,
            changes_retention: true,
            makes_backups: true,
        }
    }
}

/// Names a login may not take: the server's own and Kartoteka's groups.
const RESERVED: &[&str] = &[
    "postgres",
    "public",
    "none",
    "current_user",
    "current_role",
    "session_user",
    "user",
    "all",
];

/// A new login's name: 2–63 characters, lowercase ASCII letters, digits, `.`, `_`, `-`,
/// beginning with a letter (what can be typed in any connection dialog and needs no quoting
/// in psql); the server's own names refused.
pub fn parse_login(login: &str) -> Result<String> {
    let login = login.trim();
    let shape = login.len() >= 2
        && login.len() <= 63
        && login.starts_with(|c: char| c.is_ascii_lowercase())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !shape {
        return Err(Error::invalid(
            "login",
            "Login to od 2 do 63 znaków: małe litery bez polskich znaków, cyfry, kropka, podkreślenie albo myślnik; na początku litera (np. anna.nowak).",
        ));
    }
    if RESERVED.contains(&login) || login.starts_with("pg_") || login.starts_with("kartoteka_") {
        return Err(Error::invalid(
            "login",
            "Ta nazwa jest zarezerwowana na serwerze: wybierz inny login.",
        ));
    }
    Ok(login.to_string())
}

/// A password an administrator gives: at least 10 characters, printable, at most 200.
pub fn check_password(password: &str) -> Result<()> {
    let count = password.chars().count();
    if count < 10 {
        return Err(Error::invalid(
            "password",
            "Hasło musi mieć co najmniej 10 znaków.",
        ));
    }
    if count > 200 || password.chars().any(char::is_control) {
        return Err(Error::invalid(
            "password",
            "Hasło może mieć najwyżej 200 znaków i nie może zawierać znaków sterujących.",
        ));
    }
    Ok(())
}

/// What the "Nowy użytkownik" form sends. No `Debug`: the password must not reach a log.
#[derive(Clone, Deserialize)]
pub struct NewLoginInput {
    pub login: String,
    pub role: String,
    pub password: String,
}

impl NewLoginInput {
    /// Every field checked at once, so the form marks all that are wrong.
    pub fn parse(&self) -> Result<(String, StaffRole)> {
        let mut errors: Vec<FieldError> = Vec::new();
        let login =
            parse_login(&self.login).map_err(|e| errors.extend_from_slice(e.field_errors()));
        let role =
            StaffRole::parse(&self.role).map_err(|e| errors.extend_from_slice(e.field_errors()));
        let _ =
            check_password(&self.password).map_err(|e| errors.extend_from_slice(e.field_errors()));
        match (login, role) {
            (Ok(login), Ok(role)) if errors.is_empty() => Ok((login, role)),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_names_are_checked() {
        assert_eq!(parse_login(" anna.nowak ").unwrap(), "anna.nowak");
        assert_eq!(parse_login("jan_k-2").unwrap(), "jan_k-2");
        for bad in [
            "a",
            "Anna",
            "łucja",
            "2anna",
            "anna nowak",
            "anna\";drop",
            "x'y",
            &"a".repeat(64),
        ] {
            let e = parse_login(bad).unwrap_err();
            assert_eq!(e.field_errors()[0].field, "login", "{bad}");
        }
        for reserved in ["postgres", "pg_monitor", "kartoteka_doradca", "public"] {
            let e = parse_login(reserved).unwrap_err();
            assert!(e.to_string().contains("zarezerwowana"), "{reserved}: {e}");
        }
    }

    #[test]
    fn a_new_login_form_reports_every_wrong_field() {
        let e = NewLoginInput {
            login: "Zły Login".into(),
            role: "szef".into(),
            password: "krótkie".into(),
        }
        .parse()
        .unwrap_err();
        let fields: Vec<&str> = e.field_errors().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["login", "role", "password"]);
        let ok = NewLoginInput {
            login: "ewa".into(),
            role: "doradca".into(),
            password: "Dobre hasło 2026".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(ok, ("ewa".to_string(), StaffRole::Doradca));
        assert!(check_password("ma\u{7}dzwonek123").is_err());
    }
}
