//! An office moves to a server through the real window: Ustawienia → "Baza na serwerze",
//! "Sprawdź połączenie" on an empty database, "Przenieś dane na serwer" with its progress and
//! both sides' counts, the switch after the app's own confirmation, then the organisations
//! list read from the server; the connection is remembered without its password. Needs a
//! server too: `xvfb-run -a scripts/test-postgres.sh --it window::server::`.

use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn pg_only_connect_transfer_the_demo_data_and_work_on_the_server() {
    if !e2e_available() {
        return;
    }
    let Some(place) = crate::util::fresh_server_place().await else {
        return;
    };
    let _one = ONE_WINDOW.lock().await;
    let server = url::Url::parse(&place.location()).unwrap();
    let password = percent_decode(server.password().unwrap_or(""));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kartoteka.db");
    let out = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args(["--db", db.to_str().unwrap(), "demo-data"])
        .args(["--organizations", "40", "--people", "20", "--seed", "5"])
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (driver, c) = start(&db).await;
    js(
        &c,
        "document.querySelector('[data-view=settings]').click(); return true",
    )
    .await;
    click(&c, "settings-tab-server").await;
    wait_js(
        &c,
        "return !!document.getElementById('server-form')",
        "the server section",
    )
    .await;
    for (name, value) in [
        ("host", server.host_str().unwrap().to_string()),
        ("port", server.port().unwrap_or(5432).to_string()),
        ("database", server.path()[1..].to_string()),
        ("user", server.username().to_string()),
        ("password", password.clone()),
    ] {
        type_into(&c, &format!("#server-form [name={name}]"), &value).await;
    }
    click(&c, "server-check").await;
    wait_js(
        &c,
        "return (document.getElementById('server-found')?.textContent || '').includes('baza jest pusta')",
        "the check's answer",
    )
    .await;
    screenshot(&c, "server-checked").await;

    click(&c, "server-transfer").await;
    wait_js(
        &c,
        "return (document.getElementById('server-counts-summary')?.textContent || '').includes('się zgadzają')",
        "the counts after the transfer",
    )
    .await;
    let organizations = js(
        &c,
        "return [...([...document.querySelectorAll('#server-counts tbody tr')]
            .find(r => r.cells[0].querySelector('code')?.textContent === 'organizations')
            ?.cells)].map(c => c.textContent)",
    )
    .await;
    // The office reads what a table holds; the table's own name stays beside it.
    assert_eq!(
        organizations,
        json!(["Organizacje organizations", "40", "40"])
    );
    let progress = js(
        &c,
        "return document.getElementById('server-progress') === null",
    )
    .await;
    assert_eq!(progress, json!(true), "the bar gives way to the counts");
    screenshot(&c, "server-counts").await;

    // The app's own dialog asks before the window moves; "Pracuj na serwerze" confirms.
    click(&c, "server-switch").await;
    click_css(&c, "dialog[open] [data-answer=ok]").await;
    wait_js(
        &c,
        "return (document.getElementById('server-mode')?.textContent || '').includes('na serwerze')",
        "the window on the server",
    )
    .await;
    let status = js(&c, "return document.getElementById('status').textContent").await;
    assert!(status.as_str().unwrap().contains("postgres://"), "{status}");
    assert!(
        !password.is_empty() && !status.as_str().unwrap().contains(&password),
        "the password is shown: {status}"
    );
    screenshot(&c, "server-working").await;

    // Work on the server: a new organisation saved in the window is there for another PC (the
    // CLI on the server's address), and the list shows the moved register.
    click_css(&c, "#sections [data-view=organizations]").await;
    wait_js(
        &c,
        "return document.querySelectorAll('.vlist .orow').length > 5",
        "the list from the server",
    )
    .await;
    let count = js(
        &c,
        "return document.querySelector('.pane-title .count').textContent",
    )
    .await;
    assert!(count.as_str().unwrap().contains("40"), "{count}");
    let on_server = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args([
            "--db",
            &place.location(),
            "export",
            "organizations",
            "--out",
        ])
        .arg(dir.path().join("z-serwera.csv"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .unwrap();
    assert!(on_server.status.success());
    let rows = std::fs::read_to_string(dir.path().join("z-serwera.csv"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(rows, 41, "a header and the 40 organisations");

    // Remembered for the next start, without the password; nothing of it in the log.
    let remembered = std::fs::read_to_string(
        driver
            ._home
            .path()
            .join("data")
            .join("kartoteka")
            .join("serwer.json"),
    )
    .unwrap();
    assert!(remembered.contains(server.username()), "{remembered}");
    assert!(!remembered.contains(&password), "{remembered}");
    assert!(!driver.log_text().contains(&password));
    // The copy a start makes is made right after the switch, into this PC's folder for the
    // server, not only after the next start.
    let servers = driver
        ._home
        .path()
        .join("data")
        .join("kartoteka")
        .join("serwery");
    let server_backups = || {
        std::fs::read_dir(&servers)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .flat_map(|e| {
                std::fs::read_dir(e.path().join("kopie"))
                    .into_iter()
                    .flatten()
            })
            .filter_map(|e| e.ok())
            .filter(|e| {
                // An automatic copy, not what a transfer keeps aside.
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with("kartoteka-") && name.ends_with(".db")
            })
            .count()
    };
    let waited = Instant::now();
    while server_backups() == 0 && waited.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        server_backups() > 0,
        "no automatic copy of the server after the switch"
    );
    screenshot(&c, "server-organizations").await;

    // A colleague's PC adds an organisation on the server; "Pracuj na pliku" then brings the
    // server's register, with it, into this PC's file, and the window works on the file again.
    let added = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args(["--db", &place.location(), "demo-data", "--force"])
        .args(["--organizations", "1", "--people", "0", "--seed", "77"])
        .args(["--advice", "0", "--events", "0"])
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    js(
        &c,
        "document.querySelector('[data-view=settings]').click(); return true",
    )
    .await;
    click(&c, "settings-tab-server").await;
    click(&c, "server-use-file").await;
    click_css(&c, "dialog[open] [data-answer=ok]").await;
    wait_js(
        &c,
        "return (document.getElementById('server-mode')?.textContent || '').includes('na pliku')",
        "the window on the file again",
    )
    .await;
    wait_js(
        &c,
        "return document.getElementById('status').textContent.includes('41 organizacji')",
        "the status bar counting the file's organisations",
    )
    .await;
    let status = js(&c, "return document.getElementById('status').textContent").await;
    assert!(
        status.as_str().unwrap().contains("kartoteka.db"),
        "{status}"
    );
    assert!(!driver
        ._home
        .path()
        .join("data")
        .join("kartoteka")
        .join("serwer.json")
        .exists());
    let kept_aside = std::fs::read_dir(dir.path().join("kopie"))
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("przed-przywroceniem-")
        });
    assert!(kept_aside, "the file's old contents are kept aside");
    screenshot(&c, "server-back-on-file").await;
    finish(c).await;
}

/// The password as typed: the test server's address carries it percent-encoded (no `+` in it:
/// scripts/test-postgres.sh encodes every special character).
fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("p={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A PC moved to a server starts without a password (none kept, e.g. no OS secret store):
/// the start-up screen asks for it calmly, and says in Polish what the server answered only
/// once a typed password is refused, instead of the window failing.
#[tokio::test(flavor = "multi_thread")]
async fn pg_only_a_refused_password_at_start_is_asked_for() {
    if !e2e_available() {
        return;
    }
    let Some(place) = crate::util::fresh_server_place().await else {
        return;
    };
    let _one = ONE_WINDOW.lock().await;
    let mut address = url::Url::parse(&place.location()).unwrap();
    let password = percent_decode(address.password().unwrap_or(""));
    address.set_password(None).unwrap();
    let db = PathBuf::from(address.as_str());
    // The run's PGPASSWORD would otherwise log the window in.
    let (_driver, c) = start_until(
        &db,
        &[("PGPASSWORD", Path::new(""))],
        "return !!document.getElementById('startup-server-form')",
    )
    .await;
    let shown = js(
        &c,
        "return document.querySelector('.startup-error').textContent",
    )
    .await;
    let shown = shown.as_str().unwrap();
    // No password anywhere on this PC (the case of a PC without a secret store after a
    // restart): a calm question, not a refusal of a password nobody typed.
    assert!(shown.contains("Podaj hasło do bazy na serwerze"), "{shown}");
    assert!(!shown.contains("Nie można połączyć się"), "{shown}");
    assert!(
        !shown.contains("niepoprawna nazwa użytkownika albo hasło"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(
            "Serwer {}, port {}, baza {}, użytkownik {}",
            address.host_str().unwrap(),
            address.port().unwrap_or(5432),
            &address.path()[1..],
            address.username()
        )),
        "{shown}"
    );
    assert!(!password.is_empty() && !shown.contains(&password));
    // A password really tried and refused is told as such.
    type_into(&c, "#startup-password", "to-nie-jest-haslo").await;
    click(&c, "startup-connect").await;
    wait_js(
        &c,
        "return (document.querySelector('.startup-message')?.textContent || '').includes('niepoprawna nazwa użytkownika albo hasło')",
        "the server's refusal in Polish",
    )
    .await;
    screenshot(&c, "server-startup-password").await;
    finish(c).await;
}
