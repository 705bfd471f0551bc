//! What erasure and anonymisation cannot reach inside the live file: the backups made before
//! them. Lists the copies in `kopie/` that still hold the person, with the day the rotation
//! removes each, for the confirmation before and the report after.

use crate::backup::{copy_stamp, rotation, SAFETY_KEEP_DAYS};
use crate::error::Result;
use crate::store::sqlite::backup_file::holds_person;
use crate::Kartoteka;
use chrono::{Duration, Local, NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One copy in `kopie/` that still holds the person as they are now.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HeldInBackup {
    pub file_name: String,
    pub path: String,
    /// `automatic`, `before_restore` or `before_update`.
    pub kind: String,
    /// When the copy was made, `YYYY-MM-DD HH:MM:SS` (local time, from its name).
    pub made_at: String,
    /// The day after which the copy no longer exists: the rotation at the first automatic
    /// backup on or after this day removes it (Kartoteka makes one at start and daily).
    pub removed_by: NaiveDate,
}

/// What the confirmation of an erasure or anonymisation shows, and what it returns after.
#[derive(Debug, Clone, Serialize)]
pub struct ErasurePreview {
    pub person_id: i64,
    pub backups: Vec<HeldInBackup>,
    /// When the last of those copies is gone (none: no copy holds the person).
    pub all_removed_by: Option<NaiveDate>,
}

/// Simulates the automatic rotation day by day from `now`, assuming one automatic backup a
/// day, and returns the day it deletes `target` (within the 12 months it keeps anything).
pub fn automatic_removal_day(
    backups: &[(PathBuf, NaiveDateTime)],
    target: &Path,
    now: NaiveDateTime,
) -> Option<NaiveDate> {
    let mut kept: Vec<(PathBuf, NaiveDateTime)> = backups.to_vec();
    for day in 0..=400 {
        let at = now + Duration::days(day);
        if day > 0 {
            // A name no real copy has; only its time matters to the rotation.
            kept.push((PathBuf::from(format!("kartoteka-przyszla-{day}.db")), at));
        }
        let deleted = rotation(&kept, at);
        if deleted.iter().any(|p| p == target) {
            return Some(at.date());
        }
        kept.retain(|(p, _)| !deleted.contains(p));
    }
    None
}

impl Kartoteka {
    /// The backups that still hold the person and when the rotation removes each; shown before
    /// an erasure or anonymisation is confirmed.
    pub async fn erasure_preview(&self, id: i64) -> Result<ErasurePreview> {
        let person = self.person(id).await?;
        self.erasure_preview_as_of(id, &person.created_at, Local::now().naive_local())
            .await
    }

    /// As `erasure_preview`, with the clock given (the tests look at dates ahead).
    pub async fn erasure_preview_as_of(
        &self,
        id: i64,
        created_at: &str,
        now: NaiveDateTime,
    ) -> Result<ErasurePreview> {
        // The register's own backup folder: beside a file, or the PC's folder for a server.
        let dir = self.backup_folder();
        let mut copies: Vec<(PathBuf, &'static str, NaiveDateTime)> = match std::fs::read_dir(&dir)
        {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter_map(|p| copy_stamp(&p).map(|(kind, at)| (p, kind, at)))
                .collect(),
            Err(_) => Vec::new(),
        };
        copies.sort_by_key(|c| std::cmp::Reverse(c.2));
        let automatic: Vec<(PathBuf, NaiveDateTime)> = copies
            .iter()
            .filter(|c| c.1 == "kartoteka-")
            .map(|c| (c.0.clone(), c.2))
            .collect();
        let mut backups = Vec::new();
        for (path, prefix, at) in &copies {
            if !holds_person(path, id, created_at).await {
                continue;
            }
            let (kind, removed_by) = match *prefix {
                "przed-przywroceniem-" => (
                    "before_restore",
                    at.date() + Duration::days(SAFETY_KEEP_DAYS),
                ),
                "przed-aktualizacja-" => (
                    "before_update",
                    at.date() + Duration::days(SAFETY_KEEP_DAYS),
                ),
                // The monthly copies are the longest kept: under 366 days.
                _ => (
                    "automatic",
                    automatic_removal_day(&automatic, path, now)
                        .unwrap_or(at.date() + Duration::days(366)),
                ),
            };
            backups.push(HeldInBackup {
                file_name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path: path.display().to_string(),
                kind: kind.to_string(),
                made_at: at.format("%Y-%m-%d %H:%M:%S").to_string(),
                removed_by,
            });
        }
        let all_removed_by = backups.iter().map(|b| b.removed_by).max();
        Ok(ErasurePreview {
            person_id: id,
            backups,
            all_removed_by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_daily_copy_goes_within_a_week_and_a_monthly_one_within_a_year() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let at = |days: i64| now - Duration::days(days);
        let name = |t: NaiveDateTime| {
            PathBuf::from(format!("kartoteka-{}.db", t.format("%Y-%m-%d-%H%M%S")))
        };
        // What the rotation leaves after daily use: the last 7 days and one copy a month before.
        let mut copies: Vec<(PathBuf, NaiveDateTime)> =
            (0..7).map(|d| (name(at(d)), at(d))).collect();
        let monthly = (name(at(40)), at(40));
        copies.push(monthly.clone());
        assert!(
            rotation(&copies, now).is_empty(),
            "the set is what the rotation keeps"
        );
        // Yesterday's copy of a day that is not the newest of its week goes after a week.
        let yesterday = automatic_removal_day(&copies, &copies[1].0, now).unwrap();
        assert!(
            (1..=28).contains(&(yesterday - now.date()).num_days()),
            "{yesterday}"
        );
        // The monthly copy stays most of a year, never more than 366 days from when it was made.
        let month = automatic_removal_day(&copies, &monthly.0, now).unwrap();
        assert!(
            (month - monthly.1.date()).num_days() > 300
                && (month - monthly.1.date()).num_days() <= 366,
            "{month}"
        );
        // A copy the folder does not hold is never reported as removed.
        assert!(automatic_removal_day(&copies, Path::new("kartoteka-nie-ma.db"), now).is_none());
    }
}
