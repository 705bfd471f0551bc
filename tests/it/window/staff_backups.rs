//! Kopie zapasowe for an office worker's login on a server: the page offers neither a copy nor
//! a restore (the server would refuse both) and says whose PC makes them; the RODO retention
//! periods are shown read-only with the reason. Needs a server:
//! `xvfb-run -a scripts/test-postgres.sh --it window::staff_backups::`.

use super::*;
use sqlx::Connection;

#[tokio::test(flavor = "multi_thread")]
async fn pg_only_an_office_worker_sees_backups_and_retention_without_the_actions() {
    if !e2e_available() {
        return;
    }
    let Some(place) = crate::util::fresh_server_place().await else {
        return;
    };
    let _one = ONE_WINDOW.lock().await;
    let url = place.location();
    // Roles are the whole server's: a name of this run's own keeps parallel runs apart.
    let login = format!("ola.kopie{}", std::process::id());
    let password = "hasło-pracownika-2026";
    let admin = kartoteka_core::Kartoteka::connect(&url).await.unwrap();
    admin
        .create_login(&kartoteka_core::users::NewLoginInput {
            login: login.clone(),
            role: "pracownik".into(),
            password: password.into(),
        })
        .await
        .unwrap();
    admin
        .save_retention_settings(&kartoteka_core::rodo::RetentionSettings {
            advice_years: Some(10),
            ..Default::default()
        })
        .await
        .unwrap();
    admin.close().await;

    let mut as_staff = url::Url::parse(&url).unwrap();
    as_staff.set_username(&login).unwrap();
    as_staff.set_password(Some(password)).unwrap();
    let (_driver, c) = start(Path::new(as_staff.as_str())).await;
    js(
        &c,
        "document.querySelector('[data-view=backups]').click(); return true",
    )
    .await;
    wait_js(
        &c,
        "return !!document.getElementById('retention-readonly')",
        "the read-only retention periods",
    )
    .await;
    let page = js(
        &c,
        "return [!!document.getElementById('backup-now'), !!document.getElementById('restore-file'),
                 !!document.getElementById('retention-form'), !!document.getElementById('apply-retention'),
                 document.getElementById('backup-auto-help').textContent,
                 document.getElementById('ret-advice_years').textContent,
                 document.getElementById('ret-mail_years').textContent,
                 document.getElementById('retention-readonly').textContent,
                 document.getElementById('backup-last').className,
                 document.getElementById('status-backup').textContent]",
    )
    .await;
    assert_eq!(page[0], json!(false), "no \"Zrób kopię teraz…\"");
    assert_eq!(page[1], json!(false), "no \"Przywróć z pliku…\"");
    assert_eq!(page[2], json!(false), "no retention form");
    assert_eq!(page[3], json!(false), "no \"Zastosuj\"");
    let help = page[4].as_str().unwrap();
    assert!(help.contains("administratora albo doradcy"), "{help}");
    assert!(!help.contains("przy każdym uruchomieniu"), "{help}");
    assert_eq!(page[5], json!("10"));
    assert_eq!(page[6], json!("bez limitu"));
    assert!(
        page[7].as_str().unwrap().contains("tylko przeglądać"),
        "{}",
        page[7]
    );
    // No call to act on what this PC does not do.
    assert_eq!(page[8], json!(""), "no warning of an old copy");
    let status = page[9].as_str().unwrap();
    assert!(!status.contains("zrób kopię"), "{status}");
    // The page is painted a moment after the DOM changes.
    tokio::time::sleep(Duration::from_millis(600)).await;
    screenshot(&c, "backups-office-worker").await;
    finish(c).await;

    let mut su = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query(&format!("DROP ROLE \"{login}\""))
        .execute(&mut su)
        .await
        .unwrap();
}
