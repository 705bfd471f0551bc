//! PostgreSQL: staff logins are the server's own roles, each a member of one of Kartoteka's
//! groups (see `migrations/postgres/20261201110000_roles.sql`). Role statements take no bind
//! parameters, so every name goes through the server's `format('%I')` and every password is
//! sent only as a SCRAM verifier made here (as psql's `\password` does): no statement a server
//! may log ever holds a password. Who may change logins is the server's decision; its refusal
//! is told as "brak uprawnień".

use super::PgStore;
use crate::error::{Error, Result};
use crate::store::UserStore;
use crate::users::{CurrentLogin, StaffLogin, StaffRole};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, Row};

/// Rounds of the password hash: PostgreSQL's own default for SCRAM-SHA-256.
const SCRAM_ROUNDS: u32 = 4096;

const GROUPS: &str = "'kartoteka_administrator', 'kartoteka_doradca', 'kartoteka_pracownik'";

#[async_trait::async_trait]
impl UserStore for PgStore {
    async fn current_login(&self) -> Result<CurrentLogin> {
        let r = sqlx::query(
            "SELECT session_user::TEXT AS login, r.rolsuper, r.rolcreaterole,
             pg_has_role(session_user, 'kartoteka_administrator', 'MEMBER') AS administrator,
             pg_has_role(session_user, 'kartoteka_doradca', 'MEMBER') AS doradca,
             pg_has_role(session_user, 'kartoteka_pracownik', 'MEMBER') AS pracownik
             FROM pg_roles r WHERE r.rolname = session_user",
        )
        .fetch_one(&self.pool)
        .await?;
        let role = role_of(r.get("administrator"), r.get("doradca"), r.get("pracownik"));
        let superuser: bool = r.get("rolsuper");
        let creates_roles: bool = r.get("rolcreaterole");
        Ok(CurrentLogin {
            server: true,
            login: Some(r.get("login")),
            role,
            manages_users: superuser || (creates_roles && role == Some(StaffRole::Administrator)),
            reads_advice_clients: self.reads_advice_clients,
            changes_retention: role != Some(StaffRole::Pracownik),
            makes_backups: self.reads_advice_clients,
        })
    }

    async fn staff_logins(&self) -> Result<Vec<StaffLogin>> {
        let rows = sqlx::query(&format!(
            "SELECT r.rolname::TEXT AS login, r.rolcanlogin,
             pg_has_role(r.oid, 'kartoteka_administrator', 'MEMBER') AS administrator,
             pg_has_role(r.oid, 'kartoteka_doradca', 'MEMBER') AS doradca,
             pg_has_role(r.oid, 'kartoteka_pracownik', 'MEMBER') AS pracownik
             FROM pg_roles r
             WHERE r.rolname NOT IN ({GROUPS})
               AND EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                           WHERE m.member = r.oid AND g.rolname IN ({GROUPS}))
             ORDER BY r.rolname"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(StaffLogin {
                    login: r.get("login"),
                    role: role_of(r.get("administrator"), r.get("doradca"), r.get("pracownik"))?,
                    can_log_in: r.get("rolcanlogin"),
                })
            })
            .collect())
    }

    async fn create_login(&self, login: &str, role: StaffRole, password: &str) -> Result<()> {
        let verifier = scram_verifier(password);
        let mut tx = self.pool.begin().await?;
        let attributes = if role == StaffRole::Administrator {
            "LOGIN CREATEROLE"
        } else {
            "LOGIN"
        };
        run(
            &mut tx,
            &format!("CREATE ROLE %I {attributes} PASSWORD %L"),
            &[login, &verifier],
        )
        .await
        .map_err(|e| match code_of(&e).as_deref() {
            Some("42710") => {
                Error::invalid("login", "Taki login już jest na serwerze: wybierz inny.")
            }
            _ => refused(e),
        })?;
        grant_role(&mut tx, login, role).await?;
        tx.commit().await.map_err(refused)?;
        Ok(())
    }

    async fn set_login_role(&self, login: &str, role: StaffRole) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.staff_login_other_than_self(&mut tx, login).await?;
        run(
            &mut tx,
            "REVOKE kartoteka_administrator, kartoteka_doradca, kartoteka_pracownik FROM %I",
            &[login],
        )
        .await
        .map_err(refused)?;
        let attribute = if role == StaffRole::Administrator {
            "CREATEROLE"
        } else {
            "NOCREATEROLE"
        };
        run(&mut tx, &format!("ALTER ROLE %I {attribute}"), &[login])
            .await
            .map_err(refused)?;
        grant_role(&mut tx, login, role).await?;
        tx.commit().await.map_err(refused)?;
        Ok(())
    }

    async fn set_login_enabled(&self, login: &str, enabled: bool) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.staff_login_other_than_self(&mut tx, login).await?;
        let attribute = if enabled { "LOGIN" } else { "NOLOGIN" };
        run(&mut tx, &format!("ALTER ROLE %I {attribute}"), &[login])
            .await
            .map_err(refused)?;
        tx.commit().await.map_err(refused)?;
        Ok(())
    }

    async fn set_login_password(&self, login: &str, password: &str) -> Result<()> {
        let verifier = scram_verifier(password);
        let mut tx = self.pool.begin().await?;
        self.staff_login(&mut tx, login).await?;
        run(&mut tx, "ALTER ROLE %I PASSWORD %L", &[login, &verifier])
            .await
            .map_err(refused)?;
        tx.commit().await.map_err(refused)?;
        Ok(())
    }
}

impl PgStore {
    /// Only Kartoteka's staff are changed from the window: never the server's other roles.
    async fn staff_login(&self, tx: &mut PgConnection, login: &str) -> Result<()> {
        let staff: bool = sqlx::query_scalar(&format!(
            "SELECT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
             JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = $1 AND g.rolname IN ({GROUPS}))"
        ))
        .bind(login)
        .fetch_one(&mut *tx)
        .await?;
        if !staff {
            return Err(Error::NotFound("użytkownik Kartoteki o tym loginie"));
        }
        Ok(())
    }

    /// An administrator taking away their own role or login could leave the office with
    /// nobody to manage logins: someone else must do it.
    async fn staff_login_other_than_self(&self, tx: &mut PgConnection, login: &str) -> Result<()> {
        self.staff_login(tx, login).await?;
        let me: String = sqlx::query_scalar("SELECT session_user::TEXT")
            .fetch_one(&mut *tx)
            .await?;
        if me == login {
            return Err(Error::BadArgument(
                "Własnej roli ani własnego logowania nie można zmienić: poproś o to innego administratora.".into(),
            ));
        }
        Ok(())
    }
}

/// The role a member of these groups has: the highest (administrators belong to all three).
fn role_of(administrator: bool, doradca: bool, pracownik: bool) -> Option<StaffRole> {
    if administrator {
        Some(StaffRole::Administrator)
    } else if doradca {
        Some(StaffRole::Doradca)
    } else if pracownik {
        Some(StaffRole::Pracownik)
    } else {
        None
    }
}

/// The group memberships of `role`; administrators get every group with ADMIN OPTION, which
/// is what lets them manage logins on PostgreSQL 16 and later.
async fn grant_role(tx: &mut PgConnection, login: &str, role: StaffRole) -> Result<()> {
    let statement = match role {
        StaffRole::Administrator => "GRANT kartoteka_administrator, kartoteka_doradca, kartoteka_pracownik TO %I WITH ADMIN OPTION",
        StaffRole::Doradca => "GRANT kartoteka_doradca TO %I",
        StaffRole::Pracownik => "GRANT kartoteka_pracownik TO %I",
    };
    run(tx, statement, &[login]).await.map_err(refused)
}

/// Runs a role statement whose names (`%I`) and literals (`%L`) the server itself quotes:
/// `format()` builds the text from bound values, then it runs as plain SQL.
async fn run(tx: &mut PgConnection, template: &str, values: &[&str]) -> sqlx::Result<()> {
    let placeholders = (1..=values.len())
        .map(|i| format!(", ${i}::TEXT"))
        .collect::<String>();
    let sql = format!("SELECT format('{template}'{placeholders})");
    let mut args = sqlx::postgres::PgArguments::default();
    for v in values {
        sqlx::Arguments::add(&mut args, v.to_string()).map_err(sqlx::Error::Encode)?;
    }
    let statement: String = sqlx::query_scalar_with(&sql, args)
        .fetch_one(&mut *tx)
        .await?;
    // Not kept among the connection's prepared statements: it may hold a password verifier.
    sqlx::query(&statement)
        .persistent(false)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

fn code_of(e: &sqlx::Error) -> Option<String> {
    match e {
        sqlx::Error::Database(d) => d.code().map(|c| c.to_string()),
        _ => None,
    }
}

/// The server's refusal, in words of who may do it.
fn refused(e: sqlx::Error) -> Error {
    if code_of(&e).as_deref() == Some("42501") {
        return Error::Forbidden(
            "Brak uprawnień: użytkownikami Kartoteki zarządza tylko jej administrator.".into(),
        );
    }
    e.into()
}

/// The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677, in the form
/// `SCRAM-SHA-256$<rounds>:<salt>$<StoredKey>:<ServerKey>`). The password is prepared with
/// SASLprep as the server and psql do (kept as typed when SASLprep refuses it, as they do).
pub(crate) fn scram_verifier(password: &str) -> String {
    let prepared = stringprep::saslprep(password)
        .map(|p| p.into_owned())
        .unwrap_or_else(|_| password.to_string());
    let salt: [u8; 16] = rand::random();
    verifier_with_salt(&prepared, &salt, SCRAM_ROUNDS)
}

fn verifier_with_salt(password: &str, salt: &[u8], rounds: u32) -> String {
    type H = Hmac<Sha256>;
    let mac = |key: &[u8], data: &[u8]| -> [u8; 32] {
        let mut m = H::new_from_slice(key).expect("HMAC takes a key of any length");
        m.update(data);
        m.finalize().into_bytes().into()
    };
    // Hi(): PBKDF2 with HMAC-SHA-256, one block.
    let mut first = salt.to_vec();
    first.extend_from_slice(&1u32.to_be_bytes());
    let mut u = mac(password.as_bytes(), &first);
    let mut salted = u;
    for _ in 1..rounds {
        u = mac(password.as_bytes(), &u);
        for (s, x) in salted.iter_mut().zip(u.iter()) {
            *s ^= x;
        }
    }
    let client_key = mac(&salted, b"Client Key");
    let stored_key = Sha256::digest(client_key);
    let server_key = mac(&salted, b"Server Key");
    let b64 = base64::engine::general_purpose::STANDARD;
    format!(
        "SCRAM-SHA-256${rounds}:{}${}:{}",
        b64.encode(salt),
        b64.encode(stored_key),
        b64.encode(server_key)
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fresh_pg_url, test_server};
    use crate::advice::{AdviceChannel, AdviceDraft, AdviceInput, AdviceOutcome, AdviceQuery};
    use crate::register::{OrganizationInput, RecordKind};
    use crate::store::{AdviceStore, PersonStore, PgStore};
    use crate::users::{NewLoginInput, StaffRole};
    use crate::Kartoteka;
    use sqlx::{Connection, PgConnection};
    use std::sync::atomic::{AtomicU32, Ordering};

    static NEXT_LOGIN: AtomicU32 = AtomicU32::new(0);

    /// A login name no other test (nor another run on the same server) uses: roles are
    /// shared by every database of the server.
    fn unique(prefix: &str) -> String {
        format!(
            "{prefix}{}x{}",
            std::process::id(),
            NEXT_LOGIN.fetch_add(1, Ordering::Relaxed)
        )
    }

    fn as_login(url: &str, login: &str, password: &str) -> String {
        let mut u = url::Url::parse(url).unwrap();
        u.set_username(login).unwrap();
        u.set_password(Some(password)).unwrap();
        u.to_string()
    }

    /// Roles outlive the test's database (they belong to the server): gone at the end.
    async fn drop_logins(logins: &[&str]) {
        let Some(server) = test_server() else {
            return;
        };
        let mut su = PgConnection::connect(&server).await.unwrap();
        for login in logins {
            sqlx::query(&format!("DROP ROLE IF EXISTS \"{login}\""))
                .execute(&mut su)
                .await
                .unwrap();
        }
    }

    fn new_login(login: &str, role: &str, password: &str) -> NewLoginInput {
        NewLoginInput {
            login: login.into(),
            role: role.into(),
            password: password.into(),
        }
    }

    fn sqlstate(e: sqlx::Error) -> String {
        match e {
            sqlx::Error::Database(d) => d.code().unwrap_or_default().to_string(),
            other => panic!("not a server error: {other:?}"),
        }
    }

    /// The superuser's `Kartoteka` on a fresh database, with one registered client's advice
    /// (and its confidential description) in it; None without a test server.
    async fn office_with_advice() -> Option<(String, Kartoteka, i64)> {
        let url = fresh_pg_url().await?;
        let store = PgStore::connect(&url).await.unwrap();
        let people = store
            .insert_people(&[super::super::register::fixtures::person(
                "Anna",
                "Kowalska",
                "anna@example.org",
                &[],
            )])
            .await
            .unwrap();
        let advice = store
            .insert_advice(&AdviceDraft {
                given_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                advisor: "Ewa Doradczyni".into(),
                person_id: Some(people[0]),
                client_code: None,
                age_band: None,
                sex: Some("k".into()),
                residence: None,
                returning: false,
                channel: AdviceChannel::InPerson,
                minutes: Some(20),
                categories: vec!["MIE.EKS".into()],
                description: Some("Eksmisja, dłużnik alimentacyjny (poufne)".into()),
                outcome: AdviceOutcome::Advice,
                follow_up_on: None,
                follow_up_done: false,
            })
            .await
            .unwrap();
        let admin = Kartoteka::connect(&url).await.unwrap();
        Some((url, admin, advice))
    }

    /// The server, not the window, keeps advice private: office staff connected straight to
    /// the database (as psql or a spreadsheet would) are refused the description and the
    /// client, though they read the register; an advisor reads them. Through Kartoteka, staff
    /// list advice without descriptions and cannot save it, and the history names their login.
    #[tokio::test]
    async fn pg_only_office_staff_cannot_read_advice_descriptions_even_directly() {
        let Some((url, admin, advice_id)) = office_with_advice().await else {
            return;
        };
        let (staff, advisor) = (unique("prac"), unique("dor"));
        let password = "Hasło z ' i \\ oraz ąę 2026";
        admin
            .create_login(&new_login(&staff, "pracownik", password))
            .await
            .unwrap();
        admin
            .create_login(&new_login(&advisor, "doradca", password))
            .await
            .unwrap();

        let mut direct = PgConnection::connect(&as_login(&url, &staff, password))
            .await
            .unwrap();
        for column in ["description", "person_id", "client_code", "*"] {
            let e = sqlx::query(&format!("SELECT {column} FROM advice_records"))
                .fetch_all(&mut direct)
                .await
                .unwrap_err();
            assert_eq!(sqlstate(e), "42501", "{column}");
        }
        let e = sqlx::query("UPDATE advice_records SET minutes = 1")
            .execute(&mut direct)
            .await
            .unwrap_err();
        assert_eq!(sqlstate(e), "42501");
        let (count, categories): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM advice_records), (SELECT COUNT(*) FROM advice_record_categories)",
        )
        .fetch_one(&mut direct)
        .await
        .unwrap();
        assert_eq!((count, categories), (1, 1));
        let areas: Vec<String> = sqlx::query_scalar("SELECT name FROM activity_areas")
            .fetch_all(&mut direct)
            .await
            .unwrap();
        assert_eq!(areas.len(), 38);
        let organizations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
            .fetch_one(&mut direct)
            .await
            .unwrap();
        assert_eq!(organizations, 0);
        // Nor may staff put someone else's login in the history.
        let e = sqlx::query(
            "INSERT INTO change_log (at, user_name, login, entity, entity_id, field) VALUES ('x', 'x', 'ktoś', 'person', 1, 'x')",
        )
        .execute(&mut direct)
        .await
        .unwrap_err();
        assert_eq!(sqlstate(e), "42501");
        direct.close().await.unwrap();

        let mut as_advisor = PgConnection::connect(&as_login(&url, &advisor, password))
            .await
            .unwrap();
        let description: Option<String> =
            sqlx::query_scalar("SELECT description FROM advice_records WHERE id = $1")
                .bind(advice_id)
                .fetch_one(&mut as_advisor)
                .await
                .unwrap();
        assert_eq!(
            description.as_deref(),
            Some("Eksmisja, dłużnik alimentacyjny (poufne)")
        );
        as_advisor.close().await.unwrap();

        let office = Kartoteka::connect(&as_login(&url, &staff, password))
            .await
            .unwrap();
        let me = office.current_login().await.unwrap();
        assert_eq!(me.login.as_deref(), Some(staff.as_str()));
        assert_eq!(me.role, Some(StaffRole::Pracownik));
        assert!(!me.manages_users && !me.reads_advice_clients);
        let list = office
            .list_advice(&AdviceQuery {
                limit: 50,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(list.total, 1);
        assert_eq!(list.items[0].client, "");
        assert_eq!(list.items[0].categories, "eksmisja");
        let record = office.advice(advice_id).await.unwrap();
        assert_eq!(
            (record.description, record.person_id, record.person_name),
            (None, None, None)
        );
        assert_eq!(record.advisor, "Ewa Doradczyni");
        let input = AdviceInput {
            given_on: "2026-03-03".into(),
            advisor: "Jan".into(),
            channel: "in_person".into(),
            outcome: "advice".into(),
            categories: vec!["INN".into()],
            description: "coś".into(),
            ..Default::default()
        };
        let e = office.save_advice(None, &input).await.unwrap_err();
        assert_eq!(e.code(), "forbidden");
        assert!(e.to_string().contains("tylko doradca"), "{e}");
        let e = office.delete_advice(advice_id).await.unwrap_err();
        assert_eq!(e.code(), "forbidden");
        // The same client back (saved by someone who may): staff see that the client returns,
        // and the year's figures are the same whoever asks, without seeing who it is.
        let again = admin
            .save_advice(
                None,
                &AdviceInput {
                    person_id: Some(1),
                    given_on: "2026-03-05".into(),
                    ..input.clone()
                },
            )
            .await
            .unwrap();
        let back = office.advice(again).await.unwrap();
        assert_eq!((back.earlier_advice, back.returning), (1, true));
        let figures = |f: crate::reports::AnnualFigures| serde_json::to_value(f).unwrap();
        let seen_by_staff = figures(office.annual_figures(2026).await.unwrap());
        assert_eq!(
            seen_by_staff,
            figures(admin.annual_figures(2026).await.unwrap())
        );
        assert!(
            seen_by_staff
                .to_string()
                .contains("\"advice_returning_clients\":1"),
            "{seen_by_staff}"
        );
        let backup = tempfile::tempdir().unwrap();
        let e = crate::store::StoreBackend::vacuum_into(
            office.server.as_ref().unwrap(),
            &backup.path().join("kopia.db"),
        )
        .await
        .unwrap_err();
        assert_eq!(e.code(), "forbidden");
        assert!(
            e.to_string().contains("tylko administrator albo doradca"),
            "{e}"
        );

        // The history: the name from the settings and the login that really saved.
        office.set_user_name("Biuro (recepcja)");
        let mut input = OrganizationInput {
            name: "Stowarzyszenie Łąka".into(),
            legal_form: "stowarzyszenie".into(),
            city: "Łódź".into(),
            ..Default::default()
        };
        let org_id = match office.save_organization(None, &input, true).await.unwrap() {
            crate::register::SaveOutcome::Saved { id } => id,
            other => panic!("{other:?}"),
        };
        input.city = "Kraków".into();
        input.revision = Some(office.organization(org_id).await.unwrap().revision);
        office
            .save_organization(Some(org_id), &input, true)
            .await
            .unwrap();
        let changes = office
            .changes(RecordKind::Organization, org_id)
            .await
            .unwrap();
        assert!(!changes.is_empty());
        assert!(changes.iter().all(
            |c| c.login.as_deref() == Some(staff.as_str()) && c.user_name == "Biuro (recepcja)"
        ));
        office.close().await;
        drop_logins(&[&staff, &advisor]).await;
    }

    /// An administrator made by the server's superuser makes a pracownik, changes the role,
    /// turns the login off and on and resets the password, all from Kartoteka's API; the
    /// server refuses the same to a non-administrator, and an administrator cannot lock
    /// themselves out.
    #[tokio::test]
    async fn pg_only_an_administrator_creates_and_changes_logins() {
        let Some((url, superuser, _)) = office_with_advice().await else {
            return;
        };
        let (boss, clerk) = (unique("adm"), unique("prac"));
        superuser
            .create_login(&new_login(&boss, "administrator", "Szefowa-hasło-1"))
            .await
            .unwrap();
        let admin = Kartoteka::connect(&as_login(&url, &boss, "Szefowa-hasło-1"))
            .await
            .unwrap();
        let me = admin.current_login().await.unwrap();
        assert_eq!(me.role, Some(StaffRole::Administrator));
        assert!(me.manages_users && me.reads_advice_clients && me.server);

        admin
            .create_login(&new_login(&clerk, "pracownik", "pierwsze-hasło"))
            .await
            .unwrap();
        let row = |logins: Vec<crate::users::StaffLogin>| {
            logins.into_iter().find(|l| l.login == clerk).unwrap()
        };
        let listed = row(admin.staff_logins().await.unwrap());
        assert_eq!(
            (listed.role, listed.can_log_in),
            (StaffRole::Pracownik, true)
        );
        let as_clerk = Kartoteka::connect(&as_login(&url, &clerk, "pierwsze-hasło"))
            .await
            .unwrap();
        assert!(!as_clerk.current_login().await.unwrap().reads_advice_clients);
        let e = as_clerk
            .create_login(&new_login(&unique("x"), "administrator", "jakieś-hasło-9"))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "forbidden");
        assert!(e.to_string().starts_with("Brak uprawnień"), "{e}");
        let e = as_clerk.set_login_enabled(&boss, false).await.unwrap_err();
        assert_eq!(e.code(), "forbidden", "{e}");
        as_clerk.close().await;

        // The same name again; a name that is no login of Kartoteka's; oneself.
        let e = admin
            .create_login(&new_login(&clerk, "doradca", "inne-hasło-12"))
            .await
            .unwrap_err();
        assert_eq!(e.field_errors()[0].field, "login");
        let e = admin
            .set_login_enabled("postgres", false)
            .await
            .unwrap_err();
        assert_eq!(e.code(), "not_found");
        let e = admin.set_login_role(&boss, "pracownik").await.unwrap_err();
        assert!(e.to_string().contains("innego administratora"), "{e}");

        admin.set_login_role(&clerk, "doradca").await.unwrap();
        assert_eq!(
            row(admin.staff_logins().await.unwrap()).role,
            StaffRole::Doradca
        );
        let advisor = Kartoteka::connect(&as_login(&url, &clerk, "pierwsze-hasło"))
            .await
            .unwrap();
        assert!(advisor.current_login().await.unwrap().reads_advice_clients);
        advisor.close().await;

        admin.set_login_enabled(&clerk, false).await.unwrap();
        assert!(!row(admin.staff_logins().await.unwrap()).can_log_in);
        let e = PgConnection::connect(&as_login(&url, &clerk, "pierwsze-hasło"))
            .await
            .unwrap_err();
        assert_eq!(sqlstate(e), "28000");
        admin.set_login_enabled(&clerk, true).await.unwrap();

        admin
            .reset_login_password(&clerk, "nowe hasło ' \" \\ ąż")
            .await
            .unwrap();
        assert!(
            PgConnection::connect(&as_login(&url, &clerk, "pierwsze-hasło"))
                .await
                .is_err()
        );
        PgConnection::connect(&as_login(&url, &clerk, "nowe hasło ' \" \\ ąż"))
            .await
            .unwrap()
            .close()
            .await
            .unwrap();
        let e = admin
            .reset_login_password(&clerk, "krótkie")
            .await
            .unwrap_err();
        assert_eq!(e.field_errors()[0].field, "password");
        admin.close().await;
        drop_logins(&[&clerk, &boss]).await;
    }

    #[tokio::test]
    async fn pg_only_the_server_keeps_the_verifier_not_the_password() {
        let Some(server) = test_server() else {
            return;
        };
        let Some((_, admin, _)) = office_with_advice().await else {
            return;
        };
        let login = unique("hash");
        admin
            .create_login(&new_login(&login, "pracownik", "Jawne-hasło-123"))
            .await
            .unwrap();
        let mut su = PgConnection::connect(&server).await.unwrap();
        let stored: String =
            sqlx::query_scalar("SELECT rolpassword FROM pg_authid WHERE rolname = $1")
                .bind(&login)
                .fetch_one(&mut su)
                .await
                .unwrap();
        assert!(stored.starts_with("SCRAM-SHA-256$4096:"), "{stored}");
        assert!(!stored.contains("Jawne"));
        drop_logins(&[&login]).await;
    }

    /// Staff may not change the schema: on an up-to-date database they connect (nothing to
    /// run), on one that waits for this version's changes they are told who must come first.
    #[tokio::test]
    async fn pg_only_staff_on_an_outdated_database_are_told_to_let_the_administrator_first() {
        let Some((url, admin, _)) = office_with_advice().await else {
            return;
        };
        let clerk = unique("prac");
        admin
            .create_login(&new_login(&clerk, "pracownik", "hasło-pracownika"))
            .await
            .unwrap();
        let mut su = PgConnection::connect(&url).await.unwrap();
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
            .execute(&mut su)
            .await
            .unwrap();
        su.close().await.unwrap();
        let e = match Kartoteka::connect(&as_login(&url, &clerk, "hasło-pracownika")).await {
            Ok(_) => panic!("an outdated database was opened by staff"),
            Err(e) => e,
        };
        assert_eq!(e.code(), "forbidden");
        assert!(
            e.to_string().contains("niech administrator połączy się"),
            "{e}"
        );
        drop_logins(&[&clerk]).await;
    }

    /// The RODO retention periods are the administrator's and advisors' decision: office staff
    /// read them but the server refuses their change (also straight from psql), before anything
    /// is written, with the Polish "forbidden"; staff keep writing their own small settings.
    #[tokio::test]
    async fn pg_only_office_staff_cannot_change_the_retention_periods() {
        use crate::rodo::RetentionSettings;
        let Some((url, superuser, _)) = office_with_advice().await else {
            return;
        };
        let (boss, clerk) = (unique("adm"), unique("prac"));
        superuser
            .create_login(&new_login(&boss, "administrator", "Szefowa-hasło-1"))
            .await
            .unwrap();
        superuser
            .create_login(&new_login(&clerk, "pracownik", "hasło-pracownika"))
            .await
            .unwrap();
        let admin = Kartoteka::connect(&as_login(&url, &boss, "Szefowa-hasło-1"))
            .await
            .unwrap();
        let set = RetentionSettings {
            advice_years: Some(10),
            mail_years: Some(5),
            ..Default::default()
        };
        admin.save_retention_settings(&set).await.unwrap();
        assert!(admin.current_login().await.unwrap().changes_retention);

        let staff = Kartoteka::connect(&as_login(&url, &clerk, "hasło-pracownika"))
            .await
            .unwrap();
        let me = staff.current_login().await.unwrap();
        assert!(!me.changes_retention && !me.makes_backups);
        assert_eq!(staff.retention_settings().await.unwrap(), set);
        let e = staff
            .save_retention_settings(&RetentionSettings {
                advice_years: Some(1),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), "forbidden");
        assert!(e.to_string().contains("administrator albo doradca"), "{e}");
        assert_eq!(admin.retention_settings().await.unwrap(), set);
        // Their own remembered values still save.
        staff
            .remember("last_export_dir", "/home/ewa")
            .await
            .unwrap();
        assert_eq!(
            staff
                .remembered("last_export_dir")
                .await
                .unwrap()
                .as_deref(),
            Some("/home/ewa")
        );

        let mut direct = PgConnection::connect(&as_login(&url, &clerk, "hasło-pracownika"))
            .await
            .unwrap();
        let e = sqlx::query("UPDATE meta SET value = '{}' WHERE key = 'retention'")
            .execute(&mut direct)
            .await
            .map(|r| r.rows_affected());
        assert_eq!(e.unwrap(), 0, "staff changed the retention row");
        let deleted = sqlx::query("DELETE FROM meta WHERE key = 'retention'")
            .execute(&mut direct)
            .await
            .unwrap()
            .rows_affected();
        assert_eq!(deleted, 0);
        direct.close().await.unwrap();
        assert_eq!(admin.retention_settings().await.unwrap(), set);

        // Their administrator changes and removes the periods.
        let changed = RetentionSettings {
            advice_years: Some(3),
            ..Default::default()
        };
        admin.save_retention_settings(&changed).await.unwrap();
        assert_eq!(staff.retention_settings().await.unwrap(), changed);
        drop(staff);
        drop(admin);
        drop_logins(&[&clerk, &boss]).await;
    }
}
