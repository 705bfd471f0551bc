//! The SMTP password, kept in the OS's secret store (Windows Credential Manager, the Secret
//! Service of a Linux desktop, the macOS keychain), never in the database or the log. Where no
//! store answers (a bare Linux session), it is held in memory for this session only and asked
//! for again next time. KARTOTEKA_SMTP_PASSWORD overrides both (scripts, the CLI).

use std::sync::Mutex;

const SERVICE: &str = "pl.kartoteka.smtp";
static SESSION: Mutex<Option<(String, String)>> = Mutex::new(None);

fn account(username: &str, host: &str) -> String {
    format!("{username}@{host}")
}

/// Where the password ended up.
#[derive(Debug, Clone, Copy, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    SecretStore,
    SessionOnly,
}

pub fn save(username: &str, host: &str, password: &str) -> Kept {
    let key = account(username, host);
    *SESSION.lock().unwrap() = Some((key.clone(), password.to_string()));
    match keyring::Entry::new(SERVICE, &key).and_then(|e| e.set_password(password)) {
        Ok(()) => Kept::SecretStore,
        Err(e) => {
            tracing::warn!(error = %e, "no OS secret store; SMTP password kept for this session only");
            Kept::SessionOnly
        }
    }
}

pub fn load(username: &str, host: &str) -> Option<String> {
    if let Ok(p) = std::env::var("KARTOTEKA_SMTP_PASSWORD") {
        return Some(p);
    }
    let key = account(username, host);
    if let Some((k, p)) = SESSION.lock().unwrap().as_ref() {
        if *k == key {
            return Some(p.clone());
        }
    }
    keyring::Entry::new(SERVICE, &key)
        .and_then(|e| e.get_password())
        .ok()
}

pub fn forget(username: &str, host: &str) {
    *SESSION.lock().unwrap() = None;
    let _ =
        keyring::Entry::new(SERVICE, &account(username, host)).and_then(|e| e.delete_credential());
}

/// The passwords of database servers (Ustawienia → "Baza na serwerze"): the same secret store,
/// a service of their own, one entry per login, server and database. The session fallback
/// holds them in memory only, so a PC without a store asks again at the next start.
pub mod server {
    use super::Kept;
    use kartoteka_core::server::ServerSettings;
    use std::collections::HashMap;
    use std::sync::Mutex;

    const SERVICE: &str = "pl.kartoteka.server";
    static SESSION: Mutex<Option<HashMap<String, String>>> = Mutex::new(None);

    fn account(s: &ServerSettings) -> String {
        format!(
            "{}@{}:{}/{}",
            s.user.trim(),
            s.host.trim(),
            s.port,
            s.database.trim()
        )
    }

    pub fn save(s: &ServerSettings, password: &str) -> Kept {
        let key = account(s);
        SESSION
            .lock()
            .unwrap()
            .get_or_insert_with(HashMap::new)
            .insert(key.clone(), password.to_string());
        match keyring::Entry::new(SERVICE, &key).and_then(|e| e.set_password(password)) {
            Ok(()) => Kept::SecretStore,
            Err(e) => {
                tracing::warn!(error = %e, "no OS secret store; server password kept for this session only");
                Kept::SessionOnly
            }
        }
    }

    pub fn load(s: &ServerSettings) -> Option<String> {
        let key = account(s);
        if let Some(p) = SESSION.lock().unwrap().as_ref().and_then(|m| m.get(&key)) {
            return Some(p.clone());
        }
        keyring::Entry::new(SERVICE, &key)
            .and_then(|e| e.get_password())
            .ok()
    }

    /// Where this connection's password is kept now, if anywhere: the OS store first, since
    /// the session copy sits next to it whenever the store took it.
    pub fn kept_where(s: &ServerSettings) -> Option<Kept> {
        let key = account(s);
        if keyring::Entry::new(SERVICE, &key)
            .and_then(|e| e.get_password())
            .is_ok()
        {
            return Some(Kept::SecretStore);
        }
        SESSION
            .lock()
            .unwrap()
            .as_ref()
            .is_some_and(|m| m.contains_key(&key))
            .then_some(Kept::SessionOnly)
    }

    pub fn forget(s: &ServerSettings) {
        let key = account(s);
        if let Some(m) = SESSION.lock().unwrap().as_mut() {
            m.remove(&key);
        }
        let _ = keyring::Entry::new(SERVICE, &key).and_then(|e| e.delete_credential());
    }
}
