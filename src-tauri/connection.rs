//! Which database the program opens: `--db`/KARTOTEKA_DB when given, else the server this PC
//! was connected to from Ustawienia (remembered, without its password, in `serwer.json` in the
//! data folder), else the default file. A server's password comes from the OS secret store
//! (or PGPASSWORD), and its backups go to a folder of its own under the data folder.

use crate::{paths, secrets};
use kartoteka_core::server::ServerSettings;
use kartoteka_core::{Error, Kartoteka, Result};
use std::ffi::OsStr;
use std::path::PathBuf;

/// Handed by the start-up screen to the restarted program when no secret store kept the
/// password it was given; read once and removed at start.
pub const RESTART_PASSWORD_VAR: &str = "KARTOTEKA_SERVER_PASSWORD_ONCE";

fn remembered_file() -> PathBuf {
    paths::data_dir().join("serwer.json")
}

/// The server the window connects to at start, if the user moved this PC to one.
pub fn remembered() -> Option<ServerSettings> {
    let text = std::fs::read_to_string(remembered_file()).ok()?;
    match serde_json::from_str(&text) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::warn!(error = %e, "the remembered server connection is unreadable; the file opens");
            None
        }
    }
}

/// Remembers `s` for the next start (written whole under a temporary name, then renamed).
pub fn remember(s: &ServerSettings) -> Result<()> {
    let file = remembered_file();
    if let Some(dir) = file.parent() {
        kartoteka_core::private_files::own_dir(dir)?;
    }
    let tmp = file.with_extension("json.tmp");
    {
        use std::io::Write;
        let mut f = kartoteka_core::private_files::create_file(&tmp)?;
        f.write_all(
            serde_json::to_string_pretty(s)
                .unwrap_or_default()
                .as_bytes(),
        )?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &file)?;
    Ok(())
}

/// The next start opens the file again.
pub fn forget() {
    let _ = std::fs::remove_file(remembered_file());
}

/// What to open when no `--db` was given: the remembered server's address (no password in
/// it) or the default file.
pub fn default_location() -> PathBuf {
    remembered()
        .map(|s| PathBuf::from(s.address()))
        .unwrap_or_else(paths::default_database)
}

/// This PC's folder for one server's backups.
pub fn backup_folder(s: &ServerSettings) -> PathBuf {
    kartoteka_core::server::backup_folder(&paths::data_dir(), s)
}

/// The address with the password put in when it has none: the one the start-up screen handed
/// over, else the secret store's; without either, PGPASSWORD (read by the driver) still works.
pub fn with_password(address: &str) -> Result<(String, ServerSettings)> {
    let (settings, given) = ServerSettings::from_url(address)?;
    if given.is_some() {
        return Ok((address.to_string(), settings));
    }
    let handed = std::env::var(RESTART_PASSWORD_VAR).ok();
    if handed.is_some() {
        std::env::remove_var(RESTART_PASSWORD_VAR);
        if let Some(p) = &handed {
            secrets::server::save(&settings, p);
        }
    }
    let Some(password) = handed.or_else(|| secrets::server::load(&settings)) else {
        return Ok((address.to_string(), settings));
    };
    let mut url = url::Url::parse(address.trim())
        .map_err(|_| Error::BadArgument("Adres serwera bazy danych jest niepoprawny.".into()))?;
    let _ = url.set_password(Some(&password));
    Ok((url.to_string(), settings))
}

/// Whether starting on `address` has any password to offer the server (in the address, handed
/// over by the start-up screen, kept by this PC, or PGPASSWORD). Asked before `open`, which
/// consumes the handed one. Without one, a refusal means "type it", not "it was wrong".
pub fn password_at_hand(address: &str) -> bool {
    let Ok((settings, given)) = ServerSettings::from_url(address) else {
        return false;
    };
    let set = |var: &str| std::env::var(var).is_ok_and(|v| !v.is_empty());
    given.is_some_and(|p| !p.is_empty())
        || set(RESTART_PASSWORD_VAR)
        || set("PGPASSWORD")
        || secrets::server::load(&settings).is_some()
}

/// Opens a file or connects to a server (`postgres://…`), a server with its backup folder.
pub async fn open(location: &OsStr) -> Result<Kartoteka> {
    match location.to_str() {
        Some(address) if kartoteka_core::store::is_server_address(address) => {
            let (url, settings) = with_password(address)?;
            Ok(Kartoteka::connect(&url)
                .await?
                .with_backup_folder(backup_folder(&settings)))
        }
        _ => Kartoteka::open_location(location).await,
    }
}
