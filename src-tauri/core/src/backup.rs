//! Backups and restore. A backup is a consistent copy made with `VACUUM INTO` (safe while the
//! window writes), checked with `integrity_check` before it counts, and only then renamed into
//! place, so a half-written copy never looks like a backup. Automatic copies live in `kopie/`
//! beside the database and are rotated: 7 daily, 4 weekly, 12 monthly. Restore keeps the
//! current file aside first and swaps the files with one rename.

use crate::error::{Error, Result};
use crate::Kartoteka;
use chrono::{Datelike, Local, NaiveDateTime};
use serde::Serialize;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
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
    db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("kopie")
}

fn stamp_of(path: &Path) -> Option<NaiveDateTime> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_prefix(AUTO_PREFIX)?.strip_suffix(".db")?;
    NaiveDateTime::parse_from_str(rest, STAMP).ok()
}

/// Which automatic backups to delete: keep the newest of each of the last 7 days, of each of
/// the last 4 ISO weeks and of each of the last 12 months (one file may serve several).
pub fn rotation(backups: &[(PathBuf, NaiveDateTime)], now: NaiveDateTime) -> Vec<PathBuf> {
    let mut sorted: Vec<&(PathBuf, NaiveDateTime)> = backups.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1));
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
    sorted.into_iter().filter(|(p, _)| !keep.contains(p)).map(|(p, _)| p.clone()).collect()
}

async fn count(conn: &mut sqlx::SqliteConnection, sql: &str) -> Option<i64> {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(conn).await.ok()
}

/// Opens a backup read-only, checks it and counts what it holds.
pub async fn inspect(path: &Path) -> Result<BackupInfo> {
    let not_a_backup = || Error::BadArgument(format!("„{}” nie jest kopią Kartoteki albo jest uszkodzony.", path.display()));
    let meta = std::fs::metadata(path).map_err(|_| Error::BadArgument(format!("Nie ma pliku „{}”.", path.display())))?;
    let mut conn = SqliteConnectOptions::new().filename(path).read_only(true).immutable(true).connect().await.map_err(|_| not_a_backup())?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.map_err(|_| not_a_backup())?;
    if check != "ok" {
        return Err(Error::BadArgument(format!("Kopia „{}” jest uszkodzona ({check}): nie nadaje się do przywrócenia.", path.display())));
    }
    let organizations = count(&mut conn, "SELECT COUNT(*) FROM organizations").await.ok_or_else(not_a_backup)?;
    let people = count(&mut conn, "SELECT COUNT(*) FROM people").await.unwrap_or(0);
    let advice = count(&mut conn, "SELECT COUNT(*) FROM advice_records").await.unwrap_or(0);
    let events = count(&mut conn, "SELECT COUNT(*) FROM events").await.unwrap_or(0);
    let messages = count(&mut conn, "SELECT COUNT(*) FROM mail_messages WHERE status <> 'draft'").await.unwrap_or(0);
    let _ = conn.close().await;
    let made_at = stamp_of(path)
        .map(|s| s.format("%Y-%m-%d %H:%M:%S").to_string())
        .or_else(|| meta.modified().ok().map(|m| chrono::DateTime::<Local>::from(m).format("%Y-%m-%d %H:%M:%S").to_string()))
        .unwrap_or_default();
    Ok(BackupInfo {
        path: path.display().to_string(),
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        made_at,
        size: meta.len(),
        organizations,
        people,
        advice,
        events,
        messages,
    })
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
        let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".{}.tmp", target.file_name().and_then(|n| n.to_str()).unwrap_or("kopia.db")));
        let _ = std::fs::remove_file(&tmp);
        self.store().vacuum_into(&tmp).await?;
        let info = match inspect(&tmp).await {
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
        self.store().set_meta("last_backup_path", &target.display().to_string()).await?;
        tracing::info!(bytes = info.size, "backup made");
        Ok(BackupInfo { path: target.display().to_string(), file_name: target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), made_at: now, ..info })
    }

    /// An automatic backup into `kopie/`, then the rotation.
    pub async fn automatic_backup(&self) -> Result<BackupInfo> {
        let dir = backup_dir(self.database_path());
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
        Ok(info)
    }

    /// Makes an automatic backup if the newest one is older than `max_age_hours`.
    pub async fn backup_if_older_than(&self, max_age_hours: i64) -> Result<Option<BackupInfo>> {
        let newest = self.automatic_backups()?.into_iter().map(|(_, at)| at).max();
        let due = newest.is_none_or(|at| (Local::now().naive_local() - at).num_hours() >= max_age_hours);
        if due {
            Ok(Some(self.automatic_backup().await?))
        } else {
            Ok(None)
        }
    }

    fn automatic_backups(&self) -> Result<Vec<(PathBuf, NaiveDateTime)>> {
        let dir = backup_dir(self.database_path());
        if !dir.exists() {
            return Ok(Vec::new());
        }
        let mut v: Vec<(PathBuf, NaiveDateTime)> =
            std::fs::read_dir(&dir)?.filter_map(|e| e.ok().map(|e| e.path())).filter_map(|p| stamp_of(&p).map(|s| (p, s))).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1));
        Ok(v)
    }

    /// The status without opening every backup (for the status bar).
    pub async fn backup_status_brief(&self) -> Result<BackupStatus> {
        let last_good = self.store().meta("last_backup_at").await?;
        let last_path = self.store().meta("last_backup_path").await?;
        let old = is_old(last_good.as_deref());
        Ok(BackupStatus { folder: backup_dir(self.database_path()).display().to_string(), last_good, last_path, old, backups: Vec::new() })
    }

    pub async fn backup_status(&self) -> Result<BackupStatus> {
        let last_good = self.store().meta("last_backup_at").await?;
        let last_path = self.store().meta("last_backup_path").await?;
        let old = is_old(last_good.as_deref());
        let mut backups = Vec::new();
        for (path, _) in self.automatic_backups()?.into_iter().take(40) {
            if let Ok(info) = inspect(&path).await {
                backups.push(info);
            }
        }
        Ok(BackupStatus { folder: backup_dir(self.database_path()).display().to_string(), last_good, last_path, old, backups })
    }

    /// Replaces the database with the backup at `from`. The current file is first copied into
    /// `kopie/`; the pool is closed, so this `Kartoteka` is finished: open the file again (the
    /// window restarts). A backup from an older version is migrated forward when opened.
    pub async fn restore_from(&self, from: &Path) -> Result<RestoreOutcome> {
        let restored = inspect(from).await?;
        let db = self.database_path().to_path_buf();
        if std::fs::canonicalize(from).ok() == std::fs::canonicalize(&db).ok() {
            return Err(Error::BadArgument("To jest plik, na którym program właśnie pracuje.".into()));
        }
        let aside = backup_dir(&db).join(format!("przed-przywroceniem-{}.db", Local::now().format(STAMP)));
        self.backup_to(&aside).await?;
        self.store().close().await;
        let dir = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        let tmp = dir.join(".przywracanie.tmp");
        std::fs::copy(from, &tmp)?;
        std::fs::File::open(&tmp)?.sync_all()?;
        // The pool closed cleanly, so the WAL is checkpointed into the file: removing what is
        // left of it cannot lose data, and a stale WAL must not be replayed onto the new file.
        for suffix in ["-wal", "-shm"] {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        std::fs::rename(&tmp, &db)?;
        sync_dir(&dir);
        tracing::info!("database restored from a backup");
        Ok(RestoreOutcome { restored, kept_aside: aside.display().to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate};

    #[test]
    fn rotation_keeps_7_daily_4_weekly_12_monthly() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap().and_hms_opt(12, 0, 0).unwrap();
        // Three copies a day for 400 days.
        let mut all = Vec::new();
        for d in 0..400 {
            for h in [8, 12, 16] {
                let at = now - Duration::days(d) - Duration::hours(12 - h);
                all.push((PathBuf::from(format!("kartoteka-{}.db", at.format(STAMP))), at));
            }
        }
        let deleted: BTreeSet<PathBuf> = rotation(&all, now).into_iter().collect();
        let kept: Vec<&(PathBuf, NaiveDateTime)> = all.iter().filter(|(p, _)| !deleted.contains(p)).collect();
        assert!(kept.len() <= 7 + 4 + 12, "{}", kept.len());
        assert!(kept.len() >= 12);
        // The newest of each of the last 7 days is kept.
        for d in 0..7 {
            let day = (now - Duration::days(d)).date();
            let newest = all.iter().filter(|(_, at)| at.date() == day).max_by_key(|(_, at)| *at).unwrap();
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
    fn only_automatic_names_are_rotated() {
        assert!(stamp_of(Path::new("kopie/kartoteka-2026-11-22-101500.db")).is_some());
        assert!(stamp_of(Path::new("kopie/przed-przywroceniem-2026-11-22-101500.db")).is_none());
        assert!(stamp_of(Path::new("kopie/kartoteka-zly.db")).is_none());
    }
}
