//! `Kartoteka`, the one entry point every front end (window, CLI, tests) uses: it parses raw
//! input into valid drafts, checks for likely duplicates, and hands drafts to the store.

use crate::error::Result;
use crate::register::*;
use crate::store::Store;
use std::path::Path;
use std::sync::Arc;

#[derive(Clone)]
pub struct Kartoteka {
    pub(crate) store: Arc<dyn Store>,
    /// Who is making changes, recorded in the history (set from the program's settings).
    pub(crate) user: std::sync::Arc<std::sync::RwLock<String>>,
    /// The server backend itself when the register is on PostgreSQL: transfers, restores and
    /// the per-table counts need what only it does.
    #[cfg(feature = "postgres")]
    pub(crate) server: Option<crate::store::PgStore>,
    /// Where this register's automatic backups go; a file's `kopie/` folder unless set (a
    /// server's copies go to a folder of the PC's own data folder, see `with_backup_folder`).
    pub(crate) backups: Option<std::path::PathBuf>,
}

/// Longest search text accepted: a search box, not a document.
pub(crate) const MAX_SEARCH_CHARS: usize = 200;

impl Kartoteka {
    pub async fn open(path: &Path) -> Result<Self> {
        Ok(Self::with_store(crate::store::open(path).await?))
    }

    /// Opens the register on a PostgreSQL server (several PCs at once).
    #[cfg(feature = "postgres")]
    pub async fn connect(url: &str) -> Result<Self> {
        let pg = crate::store::PgStore::connect(url).await?;
        Ok(Self::on_server(pg))
    }

    #[cfg(feature = "postgres")]
    pub(crate) fn on_server(pg: crate::store::PgStore) -> Self {
        let mut k = Self::with_store(std::sync::Arc::new(pg.clone()));
        k.server = Some(pg);
        k
    }

    /// Whether the register is on a database server (not a file).
    pub fn is_server(&self) -> bool {
        #[cfg(feature = "postgres")]
        return self.server.is_some();
        #[cfg(not(feature = "postgres"))]
        false
    }

    /// Sends this register's automatic and safety backups to `dir` (server mode: the PC's own
    /// folder for that server and database).
    pub fn with_backup_folder(mut self, dir: std::path::PathBuf) -> Self {
        self.backups = Some(dir);
        self
    }

    /// The folder of automatic backups and of the copies kept aside before a restore.
    pub fn backup_folder(&self) -> std::path::PathBuf {
        self.backups
            .clone()
            .unwrap_or_else(|| crate::backup::backup_dir(self.database_path()))
    }

    /// Opens what `--db` names: a server address (`postgres://…`) or a database file.
    pub async fn open_location(location: &std::ffi::OsStr) -> Result<Self> {
        match location.to_str() {
            Some(url) if crate::store::is_server_address(url) => Self::connect_server(url).await,
            _ => Self::open(Path::new(location)).await,
        }
    }

    #[cfg(feature = "postgres")]
    async fn connect_server(url: &str) -> Result<Self> {
        Self::connect(url).await
    }

    #[cfg(not(feature = "postgres"))]
    async fn connect_server(_url: &str) -> Result<Self> {
        Err(crate::Error::BadArgument(
            "Ta wersja programu nie obsługuje bazy na serwerze PostgreSQL.".into(),
        ))
    }

    fn with_store(store: Arc<dyn Store>) -> Self {
        Kartoteka {
            store,
            user: std::sync::Arc::new(std::sync::RwLock::new(crate::history::system_user())),
            #[cfg(feature = "postgres")]
            server: None,
            backups: None,
        }
    }

    pub(crate) fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// The user name recorded with every change from now on (empty: the system's user name).
    pub fn set_user_name(&self, name: &str) {
        let name = crate::text::clean_line(name)
            .map(|n| n.chars().take(100).collect())
            .unwrap_or_else(crate::history::system_user);
        *self.user.write().expect("user lock") = name;
    }

    pub fn user_name(&self) -> String {
        self.user.read().expect("user lock").clone()
    }

    /// A record's change history, newest first.
    pub async fn changes(&self, kind: RecordKind, id: i64) -> Result<Vec<crate::history::Change>> {
        self.store.changes(kind_code(kind), id, 500).await
    }

    /// Lets go of the database: the pool closes and this process's lock is released, so a
    /// restore in another process may go ahead.
    pub async fn close(&self) {
        self.store.close().await;
    }

    /// The backend's own check of the whole database: "ok" or the problems found.
    pub async fn integrity_check(&self) -> Result<String> {
        self.store.integrity_check().await
    }

    /// Whether schema objects may call any SQL function (off on every connection).
    pub async fn trusted_schema(&self) -> Result<bool> {
        self.store.trusted_schema().await
    }

    /// Refreshes the planner's statistics; worth it after loading many records at once.
    pub async fn analyze(&self) -> Result<()> {
        self.store.analyze().await
    }

    /// A small remembered value of the program (e.g. the last folder saved into).
    pub async fn remembered(&self, key: &str) -> Result<Option<String>> {
        self.store.meta(key).await
    }

    pub async fn remember(&self, key: &str, value: &str) -> Result<()> {
        self.store.set_meta(key, value).await
    }

    pub fn database_path(&self) -> &Path {
        self.store.path()
    }
}

pub(crate) fn yes_no(b: bool) -> String {
    if b { "tak" } else { "nie" }.into()
}

pub(crate) fn kind_code(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Organization => "organization",
        RecordKind::Person => "person",
        RecordKind::Advice => "advice",
    }
}

impl std::fmt::Debug for Kartoteka {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kartoteka")
            .field("database", &self.store.path())
            .finish_non_exhaustive()
    }
}
