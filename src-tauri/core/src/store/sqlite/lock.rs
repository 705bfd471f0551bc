//! Who has the database open. Every process that opens the file (the window, each CLI run)
//! holds a shared lock on `<db>.lock` beside it for as long as it has the file open; a restore,
//! which swaps the file under everyone, needs that lock exclusively and so is refused while
//! any other process is working on the database. The OS drops the lock when a process dies,
//! so a crash never leaves the file "taken".

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long an open waits for a restore in another process to finish.
const WAIT_FOR_RESTORE: Duration = Duration::from_secs(60);

pub fn lock_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".lock");
    PathBuf::from(p)
}

fn open_lock_file(db: &Path) -> Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    Ok(o.open(lock_path(db))?)
}

fn busy() -> Error {
    Error::Busy(
        "Baza danych jest otwarta w innym oknie Kartoteki albo w wierszu poleceń. Zamknij je (albo poczekaj, aż polecenie się skończy) i spróbuj ponownie."
            .into(),
    )
}

/// The shared lock of a normal open. Waits while another process restores a copy (it holds
/// the lock exclusively for the few seconds of the swap), then opens the restored file.
pub async fn shared(db: &Path) -> Result<File> {
    let file = open_lock_file(db)?;
    tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        loop {
            match file.try_lock_shared() {
                Ok(()) => return Ok(file),
                Err(TryLockError::WouldBlock) if started.elapsed() < WAIT_FOR_RESTORE => std::thread::sleep(Duration::from_millis(100)),
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::Busy("Inny proces Kartoteki od minuty przywraca kopię tej bazy danych. Spróbuj ponownie za chwilę.".into()))
                }
                Err(TryLockError::Error(e)) => return Err(e.into()),
            }
        }
    })
    .await
    .map_err(|_| Error::Busy("Przerwano oczekiwanie na dostęp do bazy danych.".into()))?
}

/// The exclusive lock a restore needs: granted only when no other process holds the file.
/// The caller must have let go of its own shared lock first (`flock` counts each open file
/// separately, even within one process).
pub fn exclusive(db: &Path) -> Result<File> {
    let file = open_lock_file(db)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(busy()),
        Err(TryLockError::Error(e)) => Err(e.into()),
    }
}

/// True when `path` names the database itself or one of the files SQLite and Kartoteka keep
/// beside it, however it is spelled (relative, `..`, a symlink, a hard link).
pub fn is_live_file(db: &Path, path: &Path) -> bool {
    let Some(target) = resolve(path) else {
        return false;
    };
    let Some(live) = resolve(db) else {
        return false;
    };
    let mut names = vec![live.clone()];
    for suffix in ["-wal", "-shm", "-journal", ".lock", ".mail-lock"] {
        let mut p = live.as_os_str().to_owned();
        p.push(suffix);
        names.push(PathBuf::from(p));
    }
    if names.contains(&target) {
        return true;
    }
    same_inode(db, path)
}

/// The absolute, symlink-free spelling of `path`, also for a file that does not exist yet
/// (its folder resolved, its name kept).
fn resolve(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_live_file_is_recognised_however_it_is_spelled() {
        let t = tempfile::tempdir().unwrap();
        let db = t.path().join("k.db");
        std::fs::write(&db, b"x").unwrap();
        std::fs::create_dir(t.path().join("sub")).unwrap();
        assert!(is_live_file(
            &db,
            &t.path().join("sub").join("..").join("k.db")
        ));
        assert!(is_live_file(&db, &t.path().join("k.db-wal")));
        assert!(is_live_file(&db, &t.path().join("sub/../k.db-shm")));
        assert!(!is_live_file(&db, &t.path().join("k2.db")));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&db, t.path().join("link.db")).unwrap();
            assert!(is_live_file(&db, &t.path().join("link.db")));
            std::fs::hard_link(&db, t.path().join("hard.db")).unwrap();
            assert!(is_live_file(&db, &t.path().join("hard.db")));
        }
    }
}
