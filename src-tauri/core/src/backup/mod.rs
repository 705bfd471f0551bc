//! Backups and restore. A backup is a consistent copy made with `VACUUM INTO` (safe while the
//! window writes), checked with `integrity_check` before it counts, and only then renamed into
//! place, so a half-written copy never looks like a backup. Automatic copies live in `kopie/`
//! beside the database and are rotated: 7 daily, 4 weekly, 12 monthly. Restore keeps the
//! current file aside first and swaps the files with one rename.

use crate::error::{Error, Result};
pub use crate::store::sqlite::backup_file::inspect;
use crate::store::sqlite::backup_file::*;
use crate::Kartoteka;
use chrono::{Datelike, Local, NaiveDateTime};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const AUTO_PREFIX: &str = "kartoteka-";
const STAMP: &str = "%Y-%m-%d-%H%M%S";
/// The window warns when the newest good backup is older than this.
pub const WARN_AFTER_DAYS: i64 = 7;

/// What a backup file holds, read before anything is restored from it.
#[derive(Debug, Clone, Serialize)]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    /// When the copy was made (from the file, or its modification time).
    pub made_at: String,
    pub size: u64,
    pub organizations: i64,
    pub people: i64,
    pub advice: i64,
    pub events: i64,
    pub messages: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupStatus {
    pub folder: String,
    pub last_good: Option<String>,
    pub last_path: Option<String>,
    /// True when there is no backup or the newest is older than `WARN_AFTER_DAYS`.
    pub old: bool,
    pub backups: Vec<BackupInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RestoreOutcome {
    pub restored: BackupInfo,
    /// Where the file that was current before the restore was kept.
    pub kept_aside: String,
}

/// The folder of automatic backups: `kopie/` beside the database.
pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("kopie")
}

pub(crate) fn stamp_of(path: &Path) -> Option<NaiveDateTime> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_prefix(AUTO_PREFIX)?.strip_suffix(".db")?;
    NaiveDateTime::parse_from_str(rest, STAMP).ok()
}

/// Copies kept aside before a restore and before a schema update. They hold the register as
/// it was, people erased since included, so they are rotated too: per kind only the newest
/// `SAFETY_KEEP_COUNT` younger than `SAFETY_KEEP_DAYS` stay (long enough to notice a bad
/// restore or update; well inside the 12 months the monthly automatic copies are kept).
pub const SAFETY_PREFIXES: [&str; 2] = ["przed-przywroceniem-", "przed-aktualizacja-"];
pub const SAFETY_KEEP_DAYS: i64 = 90;
pub const SAFETY_KEEP_COUNT: usize = 3;

/// The kind (its file-name prefix) and the time of a copy in `kopie/`: an automatic backup or
/// one of the safety copies; `None` for anything else.
pub fn copy_stamp(path: &Path) -> Option<(&'static str, NaiveDateTime)> {
    if let Some(at) = stamp_of(path) {
        return Some((AUTO_PREFIX, at));
    }
    let name = path.file_name()?.to_str()?;
    SAFETY_PREFIXES.iter().find_map(|prefix| {
        let rest = name.strip_prefix(prefix)?.strip_suffix(".db")?;
        NaiveDateTime::parse_from_str(rest, STAMP)
            .ok()
            .map(|at| (*prefix, at))
    })
}

/// Which safety copies (pre-restore, pre-update) to delete. Unlike the automatic rotation no
/// copy stays for ever: the newest is as old as the last restore, which may be years ago.
pub fn safety_rotation(copies: &[(PathBuf, NaiveDateTime)], now: NaiveDateTime) -> Vec<PathBuf> {
    let mut deleted = Vec::new();
    for prefix in SAFETY_PREFIXES {
        let mut kind: Vec<&(PathBuf, NaiveDateTime)> = copies
            .iter()
            .filter(|(p, _)| copy_stamp(p).is_some_and(|(k, _)| k == prefix))
            .collect();
        kind.sort_by_key(|c| std::cmp::Reverse(c.1));
        for (i, (path, at)) in kind.into_iter().enumerate() {
            if i >= SAFETY_KEEP_COUNT || (now - *at).num_days() >= SAFETY_KEEP_DAYS {
                deleted.push(path.clone());
            }
        }
    }
    deleted
}

/// Which automatic backups to delete: keep the newest of each of the last 7 days, of each of
/// the last 4 ISO weeks and of each of the last 12 months (one file may serve several).
pub fn rotation(backups: &[(PathBuf, NaiveDateTime)], now: NaiveDateTime) -> Vec<PathBuf> {
    let mut sorted: Vec<&(PathBuf, NaiveDateTime)> = backups.iter().collect();
    sorted.sort_by_key(|b| std::cmp::Reverse(b.1));
    let mut keep: BTreeSet<PathBuf> = BTreeSet::new();
    let (mut days, mut weeks, mut months) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for (path, at) in &sorted {
        let age = now.date() - at.date();
        let day = at.date();
        let week = (at.iso_week().year(), at.iso_week().week());
        let month = (at.year(), at.month());
        if age.num_days() < 7 && days.len() < 7 && days.insert(day) {
            keep.insert(path.clone());
        }
        if age.num_days() < 28 && weeks.len() < 4 && weeks.insert(week) {
            keep.insert(path.clone());
        }
        if age.num_days() < 366 && months.len() < 12 && months.insert(month) {
            keep.insert(path.clone());
        }
    }
    // The newest copy always stays, whatever the clock says.
    if let Some((newest, _)) = sorted.first() {
        keep.insert(newest.clone());
    }
    sorted
        .into_iter()
        .filter(|(p, _)| !keep.contains(p))
        .map(|(p, _)| p.clone())
        .collect()
}

fn database_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// Copies `from` into a private temporary file beside `db`, checks that copy read-only and
/// migrates it when it comes from an older version: what is checked is exactly what will be
/// installed, and the user's file is never written. Nothing is left behind on refusal.
async fn prepare_restore(db: &Path, from: &Path) -> Result<(PathBuf, BackupInfo)> {
    if crate::store::sqlite::lock::is_live_file(db, from) {
        return Err(Error::BadArgument(
            "To jest plik, na którym program właśnie pracuje.".into(),
        ));
    }
    if !from.is_file() {
        return Err(Error::BadArgument(format!(
            "Nie ma pliku „{}”.",
            from.display()
        )));
    }
    let tmp = database_dir(db).join(".przywracanie.tmp");
    let checked = async {
        copy_private(from, &tmp)?;
        let (restored, level) = examine(&tmp, from).await?;
        if level < crate::store::sqlite::SqliteStore::migrations().len() {
            migrate_temporary_copy(&tmp, from).await?;
        }
        Ok::<_, Error>(restored)
    }
    .await;
    match checked {
        Ok(r) => Ok((tmp, r)),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Puts the checked copy in place of the database with one rename; what is left of the old
/// file's WAL must not be replayed onto the new one.
fn swap_in(db: &Path, tmp: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    std::fs::rename(tmp, db)?;
    sync_dir(&database_dir(db));
    Ok(())
}

/// The copies in `kopie/` that pass every restore check, newest first: what the start-up
/// screen offers when the database itself cannot be opened.
pub async fn restorable_backups(db: &Path) -> Vec<BackupInfo> {
    let Ok(entries) = std::fs::read_dir(backup_dir(db)) else {
        return Vec::new();
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "db")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    let mut good = Vec::new();
    for (_, p) in files.into_iter().take(40) {
        if let Ok(info) = inspect(&p).await {
            good.push(info);
        }
    }
    good
}

/// Restores `from` over a database this process could not open (corrupt, from a newer
/// version, unreadable): the same checks and the same exclusive lock as `restore_from`, and
/// the current file's bytes (with its WAL) kept aside as they are, since SQLite may not be
/// able to read them.
pub async fn restore_unopened(db: &Path, from: &Path) -> Result<RestoreOutcome> {
    let (tmp, restored) = prepare_restore(db, from).await?;
    let exclusive = match crate::store::sqlite::lock::exclusive(db) {
        Ok(f) => f,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let aside = backup_dir(db).join(format!(
        "przed-przywroceniem-{}.db",
        Local::now().format(STAMP)
    ));
    let kept = (|| {
        crate::private_files::own_dir(&backup_dir(db))?;
        if db.exists() {
            copy_private(db, &aside)?;
            let mut wal = db.as_os_str().to_owned();
            wal.push("-wal");
            if Path::new(&wal).exists() {
                let mut aside_wal = aside.as_os_str().to_owned();
                aside_wal.push("-wal");
                copy_private(Path::new(&wal), Path::new(&aside_wal))?;
            }
        }
        Ok::<_, Error>(())
    })();
    if let Err(e) = kept {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    swap_in(db, &tmp)?;
    drop(exclusive);
    tracing::info!("database that could not be opened replaced by a backup");
    Ok(RestoreOutcome {
        restored,
        kept_aside: aside.display().to_string(),
    })
}

/// Copies the bytes of `from` into a new 0600 file: the backup's own mode bits (0444 from a
/// read-only medium, 0666 from a USB stick) never reach the live database.
fn copy_private(from: &Path, to: &Path) -> Result<()> {
    let mut src = std::fs::File::open(from).map_err(|_| {
        Error::BadArgument(format!("Nie można odczytać pliku „{}”.", from.display()))
    })?;
    let mut dst = crate::private_files::create_file(to)?;
    std::io::copy(&mut src, &mut dst)?;
    dst.sync_all()?;
    Ok(())
}

fn is_old(last_good: Option<&str>) -> bool {
    match last_good.and_then(|s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok()) {
        Some(at) => (Local::now().naive_local() - at).num_days() >= WARN_AFTER_DAYS,
        None => true,
    }
}

fn sync_dir(dir: &Path) {
    // Makes the rename itself durable; not possible (nor needed) on Windows.
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

impl Kartoteka {
    /// A checked copy at `target`: written beside it under a temporary name, verified, renamed.
    pub async fn backup_to(&self, target: &Path) -> Result<BackupInfo> {
        // The copy is renamed over its target at the end: onto the live file (however spelled)
        // or its WAL it would replace the database under every open connection.
        if crate::store::sqlite::lock::is_live_file(self.database_path(), target) {
            return Err(Error::BadArgument(format!(
                "Kopii nie można zapisać jako „{}”: to plik bazy danych, na której program pracuje (albo jej plik pomocniczy). Wybierz inne miejsce, np. pendrive.",
                target.display()
            )));
        }
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if dir == self.backup_folder() {
            crate::private_files::own_dir(dir)?;
        } else {
            crate::private_files::create_dir(dir)?;
        }
        let tmp = dir.join(format!(
            ".{}.tmp",
            target
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("kopia.db")
        ));
        let _ = std::fs::remove_file(&tmp);
        self.store().vacuum_into(&tmp).await?;
        let info = match check_made_copy(&tmp).await {
            Ok(i) => i,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, target)?;
        sync_dir(dir);
        let now = Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
        self.store().set_meta("last_backup_at", &now).await?;
        self.store()
            .set_meta("last_backup_path", &target.display().to_string())
            .await?;
        tracing::info!(bytes = info.size, "backup made");
        Ok(BackupInfo {
            path: target.display().to_string(),
            file_name: target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            made_at: now,
            ..info
        })
    }

    /// An automatic backup into `kopie/`, then the rotation.
    pub async fn automatic_backup(&self) -> Result<BackupInfo> {
        let dir = self.backup_folder();
        let now = Local::now().naive_local();
        let target = dir.join(format!("{AUTO_PREFIX}{}.db", now.format(STAMP)));
        let info = self.backup_to(&target).await?;
        let existing: Vec<(PathBuf, NaiveDateTime)> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter_map(|p| stamp_of(&p).map(|s| (p, s)))
            .collect();
        for old in rotation(&existing, now) {
            let _ = std::fs::remove_file(&old);
        }
        let safety: Vec<(PathBuf, NaiveDateTime)> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter_map(|p| {
                copy_stamp(&p)
                    .filter(|(kind, _)| *kind != AUTO_PREFIX)
                    .map(|(_, at)| (p, at))
            })
            .collect();
        for old in safety_rotation(&safety, now) {
            let _ = std::fs::remove_file(&old);
            // A copy kept aside from a file that could not be opened carries its WAL beside it.
            for suffix in ["-wal", "-shm"] {
                let mut companion = old.as_os_str().to_owned();
                companion.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(companion));
            }
        }
        Ok(info)
    }

    /// Makes an automatic backup if the newest one is older than `max_age_hours`.
    pub async fn backup_if_older_than(&self, max_age_hours: i64) -> Result<Option<BackupInfo>> {
        let newest = self
            .automatic_backups()?
            .into_iter()
            .map(|(_, at)| at)
            .max();
        let due =
            newest.is_none_or(|at| (Local::now().naive_local() - at).num_hours() >= max_age_hours);
        if due {
            Ok(Some(self.automatic_backup().await?))
        } else {
            Ok(None)
        }
    }

    fn automatic_backups(&self) -> Result<Vec<(PathBuf, NaiveDateTime)>> {
        let dir = self.backup_folder();
        if !dir.exists() {
            return Ok(Vec::new());
        }
        let mut v: Vec<(PathBuf, NaiveDateTime)> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter_map(|p| stamp_of(&p).map(|s| (p, s)))
            .collect();
        v.sort_by_key(|b| std::cmp::Reverse(b.1));
        Ok(v)
    }

    /// Whether this login copies the whole database: not office staff on a server (the
    /// administrator's or an advisor's PC does), so an old copy is no call to them to act.
    fn makes_backups(&self) -> bool {
        #[cfg(feature = "postgres")]
        if let Some(pg) = &self.server {
            return pg.reads_advice_clients();
        }
        true
    }

    /// The status without opening every backup (for the status bar).
    pub async fn backup_status_brief(&self) -> Result<BackupStatus> {
        let last_good = self.store().meta("last_backup_at").await?;
        let last_path = self.store().meta("last_backup_path").await?;
        let old = is_old(last_good.as_deref()) && self.makes_backups();
        Ok(BackupStatus {
            folder: self.backup_folder().display().to_string(),
            last_good,
            last_path,
            old,
            backups: Vec::new(),
        })
    }

    pub async fn backup_status(&self) -> Result<BackupStatus> {
        let last_good = self.store().meta("last_backup_at").await?;
        let last_path = self.store().meta("last_backup_path").await?;
        let old = is_old(last_good.as_deref()) && self.makes_backups();
        let mut backups = Vec::new();
        for (path, _) in self.automatic_backups()?.into_iter().take(40) {
            if let Ok(info) = inspect(&path).await {
                backups.push(info);
            }
        }
        Ok(BackupStatus {
            folder: self.backup_folder().display().to_string(),
            last_good,
            last_path,
            old,
            backups,
        })
    }

    /// Replaces the database with the backup at `from`, which is never written: its bytes are
    /// copied into a private temporary file beside the database, that file is checked
    /// read-only (see `inspect`) and, when it comes from an older version, migrated; only then,
    /// with no other process holding the database (`dblock`), is the current file kept aside
    /// in `kopie/` and the checked copy renamed over it. A refused copy leaves the live file as
    /// it was. The pool is closed on success, so this `Kartoteka` is finished: open the file
    /// again (the window restarts).
    pub async fn restore_from(&self, from: &Path) -> Result<RestoreOutcome> {
        #[cfg(feature = "postgres")]
        if let Some(pg) = &self.server {
            return self.restore_into_server(pg, from).await;
        }
        let db = self.database_path().to_path_buf();
        let (tmp, restored) = prepare_restore(&db, from).await?;
        // Our own shared lock would stand in the way of the exclusive one: let it go, and take
        // it back if another process still has the file open.
        self.store().unlock();
        let exclusive = match crate::store::sqlite::lock::exclusive(&db) {
            Ok(f) => f,
            Err(e) => {
                self.store().relock();
                let _ = std::fs::remove_file(&tmp);
                tracing::info!("restore refused: the database is open in another process");
                return Err(e);
            }
        };
        let aside = backup_dir(&db).join(format!(
            "przed-przywroceniem-{}.db",
            Local::now().format(STAMP)
        ));
        if let Err(e) = self.backup_to(&aside).await {
            drop(exclusive);
            self.store().relock();
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        self.store().close().await;
        // The pool closed cleanly, so the WAL is checkpointed into the file: removing what is
        // left of it cannot lose data, and a stale WAL must not be replayed onto the new file.
        swap_in(&db, &tmp)?;
        drop(exclusive);
        tracing::info!("database restored from a backup");
        Ok(RestoreOutcome {
            restored,
            kept_aside: aside.display().to_string(),
        })
    }
}

#[cfg(feature = "postgres")]
impl Kartoteka {
    /// A restore in server mode: the copy is checked as in file mode (a copy from an older
    /// version is brought up to date on a temporary file), what the server holds is saved
    /// first into this PC's backup folder, then the copy replaces it in one transaction
    /// (`PgStore::load_sqlite_file`). Colleagues' windows go on working on the same server.
    async fn restore_into_server(
        &self,
        pg: &crate::store::PgStore,
        from: &Path,
    ) -> Result<RestoreOutcome> {
        let folder = self.backup_folder();
        crate::private_files::own_dir(&folder)?;
        // `prepare_restore` puts its checked temporary copy beside the path it is given.
        let (tmp, restored) = prepare_restore(&folder.join("serwer.db"), from).await?;
        let aside = folder.join(format!(
            "przed-przywroceniem-{}.db",
            Local::now().format(STAMP)
        ));
        let loaded = async {
            self.backup_to(&aside).await?;
            pg.load_sqlite_file(&tmp, &|_, _| {}).await
        }
        .await;
        let _ = std::fs::remove_file(&tmp);
        loaded?;
        tracing::info!("server database restored from a backup");
        Ok(RestoreOutcome {
            restored,
            kept_aside: aside.display().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate};

    #[test]
    fn rotation_keeps_7_daily_4_weekly_12_monthly() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        // Three copies a day for 400 days.
        let mut all = Vec::new();
        for d in 0..400 {
            for h in [8, 12, 16] {
                let at = now - Duration::days(d) - Duration::hours(12 - h);
                all.push((
                    PathBuf::from(format!("kartoteka-{}.db", at.format(STAMP))),
                    at,
                ));
            }
        }
        let deleted: BTreeSet<PathBuf> = rotation(&all, now).into_iter().collect();
        let kept: Vec<&(PathBuf, NaiveDateTime)> =
            all.iter().filter(|(p, _)| !deleted.contains(p)).collect();
        assert!(kept.len() <= 7 + 4 + 12, "{}", kept.len());
        assert!(kept.len() >= 12);
        // The newest of each of the last 7 days is kept.
        for d in 0..7 {
            let day = (now - Duration::days(d)).date();
            let newest = all
                .iter()
                .filter(|(_, at)| at.date() == day)
                .max_by_key(|(_, at)| *at)
                .unwrap();
            assert!(!deleted.contains(&newest.0), "day {day}");
        }
        // Something from about a year ago survives, nothing from before that.
        assert!(kept.iter().any(|(_, at)| (now - *at).num_days() > 300));
        assert!(kept.iter().all(|(_, at)| (now - *at).num_days() < 366));
        // Rotation again changes nothing.
        let again: Vec<(PathBuf, NaiveDateTime)> = kept.into_iter().cloned().collect();
        assert!(rotation(&again, now).is_empty());
    }

    #[test]
    fn pre_restore_and_pre_update_copies_are_rotated_too() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let copy = |prefix: &str, days: i64| {
            let at = now - Duration::days(days);
            (
                PathBuf::from(format!("kopie/{prefix}{}.db", at.format(STAMP))),
                at,
            )
        };
        // A restore or an update every 20 days for two years, and one automatic backup.
        let mut all: Vec<(PathBuf, NaiveDateTime)> = (0..36)
            .flat_map(|i| {
                [
                    copy("przed-przywroceniem-", i * 20),
                    copy("przed-aktualizacja-", i * 20 + 3),
                ]
            })
            .collect();
        all.push(copy(AUTO_PREFIX, 400));
        let deleted: BTreeSet<PathBuf> = safety_rotation(&all, now).into_iter().collect();
        let kept: Vec<&(PathBuf, NaiveDateTime)> =
            all.iter().filter(|(p, _)| !deleted.contains(p)).collect();
        assert!(
            !deleted.contains(&all.last().unwrap().0),
            "automatic backups are left to their own rotation"
        );
        for prefix in SAFETY_PREFIXES {
            let of_kind: Vec<i64> = kept
                .iter()
                .filter(|(p, _)| p.to_string_lossy().contains(prefix))
                .map(|(_, at)| (now - *at).num_days())
                .collect();
            assert_eq!(of_kind.len(), SAFETY_KEEP_COUNT, "{prefix}: {of_kind:?}");
            assert!(
                of_kind.iter().all(|d| *d < SAFETY_KEEP_DAYS),
                "{prefix}: {of_kind:?}"
            );
        }
        // A single old copy goes as well: nothing is kept for ever.
        let lone = vec![copy("przed-przywroceniem-", SAFETY_KEEP_DAYS)];
        assert_eq!(safety_rotation(&lone, now), vec![lone[0].0.clone()]);
        assert!(
            safety_rotation(&[copy("przed-aktualizacja-", SAFETY_KEEP_DAYS - 1)], now).is_empty()
        );
        assert_eq!(
            copy_stamp(Path::new("kopie/przed-aktualizacja-2026-11-22-101500.db")).map(|(k, _)| k),
            Some("przed-aktualizacja-")
        );
        assert!(copy_stamp(Path::new("kopie/przed-aktualizacja-zla.db")).is_none());
    }

    #[test]
    fn only_automatic_names_are_rotated() {
        assert!(stamp_of(Path::new("kopie/kartoteka-2026-11-22-101500.db")).is_some());
        assert!(stamp_of(Path::new("kopie/przed-przywroceniem-2026-11-22-101500.db")).is_none());
        assert!(stamp_of(Path::new("kopie/kartoteka-zly.db")).is_none());
    }
}
