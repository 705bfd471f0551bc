//! An administrator makes a colleague's login through the real window (Użytkownicy, shown only
//! on a server): a mistyped second password is caught at its field with the login kept, then the
//! login is made; the colleague can then sign in to the server directly, and the server itself
//! refuses them advice descriptions. Needs a server: `xvfb-run -a scripts/test-postgres.sh --it window::users::`.

use super::*;
use sqlx::Connection;

#[tokio::test(flavor = "multi_thread")]
async fn pg_only_an_administrator_makes_a_staff_login_that_the_server_then_limits() {
    if !e2e_available() {
        return;
    }
    let Some(place) = crate::util::fresh_server_place().await else {
        return;
    };
    let _one = ONE_WINDOW.lock().await;
    let url = place.location();
    // Roles are the whole server's: a name of this run's own keeps parallel runs apart.
    let login = format!("anna.okno{}", std::process::id());
    let password = "Hasło z 'cudzysłowem' i \\ ukośnikiem";
    kartoteka_core::Kartoteka::connect(&url)
        .await
        .unwrap()
        .close()
        .await;

    let (_driver, c) = start(Path::new(&url)).await;
    wait_js(
        &c,
        "return !document.querySelector('[data-view=users]').hidden",
        "Użytkownicy in the menu of an administrator on a server",
    )
    .await;
    js(
        &c,
        "document.querySelector('[data-view=users]').click(); return true",
    )
    .await;
    wait_js(
        &c,
        "return !!document.getElementById('users-new')",
        "the view",
    )
    .await;
    type_into(&c, "#users-login", &login).await;
    type_into(&c, "#users-password", password).await;
    type_into(&c, "#users-password_again", "inne hasło, literówka").await;
    click(&c, "users-create").await;
    wait_js(
        &c,
        "const e = document.getElementById('users-password_again-err'); return !!e && !e.hidden && e.textContent.length > 0",
        "the mismatch at the second password",
    )
    .await;
    let kept = js(&c, "return document.getElementById('users-login').value").await;
    assert_eq!(kept, json!(login), "the typed login stays");

    js(
        &c,
        "document.getElementById('users-password_again').value = ''; return true",
    )
    .await;
    type_into(&c, "#users-password_again", password).await;
    click(&c, "users-create").await;
    let row = format!("#users-list tr[data-login='{login}']");
    wait_js(
        &c,
        &format!("return !!document.querySelector(\"{row}\")"),
        "the new login in the list",
    )
    .await;
    let cells = js(
        &c,
        &format!(
            "return [...document.querySelector(\"{row}\").cells].slice(0, 3).map(c => c.textContent)"
        ),
    )
    .await;
    assert_eq!(cells, json!([login, "pracownik biura", "może się logować"]));
    // The toast and the re-drawn list are painted a moment after the DOM changes.
    tokio::time::sleep(Duration::from_millis(400)).await;
    screenshot(&c, "users-made").await;
    finish(c).await;

    // The colleague signs in with the password typed in the window; the server limits them.
    let mut as_staff = url::Url::parse(&url).unwrap();
    as_staff.set_username(&login).unwrap();
    as_staff.set_password(Some(password)).unwrap();
    let mut staff = sqlx::PgConnection::connect(as_staff.as_str())
        .await
        .expect("the new login signs in with the password typed in the window");
    let organizations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
        .fetch_one(&mut staff)
        .await
        .unwrap();
    assert_eq!(organizations, 0);
    let refused = sqlx::query("SELECT description FROM advice_records")
        .fetch_all(&mut staff)
        .await
        .expect_err("a staff login reads no advice description");
    let code = refused
        .as_database_error()
        .and_then(|e| e.code())
        .map(|c| c.into_owned());
    assert_eq!(code.as_deref(), Some("42501"), "{refused}");
    staff.close().await.unwrap();

    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query(&format!("DROP ROLE \"{login}\""))
        .execute(&mut admin)
        .await
        .unwrap();
}
