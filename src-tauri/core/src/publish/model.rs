//! What a publication holds and what the window is told about it: the options, the public
//! records (only what may be published), and the manifest kept from the last publication so
//! the next preview can list what changed.

use crate::error::{Error, FieldError, Result};
use crate::publish::map::OrganizationPlace;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Which parts of the site to write.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct PublishOptions {
    pub directory: bool,
    pub calendar: bool,
    pub grants: bool,
    pub open_data: bool,
    pub map: bool,
    /// The same pages in English under `en/`.
    pub english: bool,
}

impl Default for PublishOptions {
    fn default() -> Self {
        Self {
            directory: true,
            calendar: true,
            grants: true,
            open_data: true,
            map: true,
            english: false,
        }
    }
}

/// An organisation that consented to publication, with only what its directory page shows.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PublicOrganization {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub legal_form: String,
    pub krs: Option<String>,
    pub public_benefit: bool,
    pub street: Option<String>,
    pub building: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub gmina: Option<String>,
    pub powiat: Option<String>,
    pub voivodeship: Option<String>,
    /// "; "-joined, in the order typed.
    pub phones: Option<String>,
    pub emails: Option<String>,
    pub website: Option<String>,
    /// "; "-joined sphere codes, in the spheres' order.
    pub areas: Option<String>,
    pub description: Option<String>,
}

impl PublicOrganization {
    pub fn place(&self) -> OrganizationPlace {
        OrganizationPlace {
            id: self.id,
            name: self.name.clone(),
            gmina: self.gmina.clone(),
            powiat: self.powiat.clone(),
            voivodeship: self.voivodeship.clone(),
        }
    }
}

/// An event marked public: what the calendar page and the .ics feed show (never who comes).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PublicEvent {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub place: Option<String>,
    pub topic: Option<String>,
    pub description: Option<String>,
    pub capacity: Option<i64>,
    pub updated_at: String,
}

/// An open grant call as published (the office's notes stay inside).
#[derive(Debug, Clone, Serialize)]
pub struct PublicGrantCall {
    pub id: i64,
    pub funder: String,
    pub title: String,
    pub deadline: NaiveDate,
    pub amount: Option<String>,
    pub link: Option<String>,
    pub areas: Vec<String>,
}

/// An open competition of the city's cooperation programme as published: its task, funds and
/// dates, and once decided, the offers granted. An organisation is named only when it consented
/// to the directory; the others' grants are shown without a name.
#[derive(Debug, Clone, Serialize)]
pub struct PublicCompetition {
    pub id: i64,
    pub title: String,
    pub area: String,
    pub funds_grosze: i64,
    pub announced_on: NaiveDate,
    pub deadline_on: NaiveDate,
    pub result_on: Option<NaiveDate>,
    pub offers: i64,
    pub granted: Vec<PublicGrant>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicGrant {
    pub title: String,
    pub organization: Option<String>,
    pub granted_grosze: i64,
}

/// Everything one publication is made from.
#[derive(Debug, Clone)]
pub struct SiteContent {
    pub office: String,
    pub organizations: Vec<PublicOrganization>,
    pub events: Vec<PublicEvent>,
    pub grant_calls: Vec<PublicGrantCall>,
    /// This year's and last year's competitions still open or decided.
    pub competitions: Vec<PublicCompetition>,
    /// Sphere code → name.
    pub areas: BTreeMap<String, String>,
    pub generated_at: NaiveDateTime,
}

/// What a publication wrote: each file's SHA-256, and the organisations and events it showed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub files: BTreeMap<String, String>,
    pub organizations: BTreeMap<i64, String>,
    pub events: BTreeMap<i64, String>,
}

/// The last publication as stored.
#[derive(Debug, Clone)]
pub struct Publication {
    pub published_at: String,
    pub folder: String,
    pub manifest: Manifest,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FileChange {
    New,
    Changed,
    Removed,
    Same,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublishedFile {
    pub path: String,
    pub change: FileChange,
}

/// What the window shows before anything is written.
#[derive(Debug, Clone, Serialize)]
pub struct PublishPreview {
    pub organizations: usize,
    pub events: usize,
    /// Grant calls and the city's competitions on the page "Konkursy i nabory".
    pub grant_calls: usize,
    pub files: Vec<PublishedFile>,
    /// New, changed and removed files.
    pub changed_files: usize,
    pub added_organizations: Vec<String>,
    pub removed_organizations: Vec<String>,
    pub added_events: Vec<String>,
    pub removed_events: Vec<String>,
    pub last_published_at: Option<String>,
    pub last_folder: Option<String>,
    /// Published organisations the map could not place: the user fixes their powiat.
    pub unmatched: Vec<OrganizationPlace>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublishSummary {
    pub folder: String,
    pub index_path: String,
    pub files: usize,
    pub zip_path: Option<String>,
    pub organizations: usize,
    pub events: usize,
    /// Grant calls and the city's competitions on the page "Konkursy i nabory".
    pub grant_calls: usize,
}

/// The folder a publication goes to: given, absolute, and either missing (it is created) or a
/// folder that is empty or holds an earlier publication (so a wrong choice such as the home
/// folder is refused instead of being filled with pages).
pub fn check_folder(raw: &str) -> Result<PathBuf> {
    let bad = |m: &str| Error::Invalid(vec![FieldError::new("folder", m)]);
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(bad("Wybierz folder, do którego trafi strona."));
    }
    let path = PathBuf::from(trimmed);
    if !path.is_absolute() {
        return Err(bad("Podaj pełną ścieżkę folderu."));
    }
    if path.exists() && !path.is_dir() {
        return Err(bad("Pod tą ścieżką jest plik, nie folder."));
    }
    if path.is_dir() && !is_empty_or_ours(&path)? {
        return Err(bad(
            "Ten folder zawiera inne pliki. Wybierz pusty folder albo folder poprzedniej publikacji.",
        ));
    }
    Ok(path)
}

/// The marker every publication leaves in its folder.
pub const MARKER: &str = ".kartoteka-publikacja";

fn is_empty_or_ours(dir: &Path) -> Result<bool> {
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    Ok(std::fs::read_dir(dir)?.next().is_none())
}

/// Names in `now` and not in `before`, and the other way round, in Polish order.
pub(crate) fn differences(
    before: &BTreeMap<i64, String>,
    now: &BTreeMap<i64, String>,
) -> (Vec<String>, Vec<String>) {
    let mut added: Vec<String> = now
        .iter()
        .filter(|(id, _)| !before.contains_key(id))
        .map(|(_, n)| n.clone())
        .collect();
    let mut removed: Vec<String> = before
        .iter()
        .filter(|(id, _)| !now.contains_key(id))
        .map(|(_, n)| n.clone())
        .collect();
    added.sort_by(|a, b| crate::text::collation::compare(a, b));
    removed.sort_by(|a, b| crate::text::collation::compare(a, b));
    (added, removed)
}

/// Each file of `now` against `before`, then the files that are gone.
pub(crate) fn file_changes(
    before: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> Vec<PublishedFile> {
    let mut files: Vec<PublishedFile> = now
        .iter()
        .map(|(path, hash)| PublishedFile {
            path: path.clone(),
            change: match before.get(path) {
                None => FileChange::New,
                Some(h) if h == hash => FileChange::Same,
                Some(_) => FileChange::Changed,
            },
        })
        .collect();
    files.extend(
        before
            .keys()
            .filter(|p| !now.contains_key(*p))
            .map(|p| PublishedFile {
                path: p.clone(),
                change: FileChange::Removed,
            }),
    );
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_with_other_files_is_refused_at_its_field() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("list.docx"), b"x").unwrap();
        let err = check_folder(dir.path().to_str().unwrap()).unwrap_err();
        assert!(
            matches!(err, Error::Invalid(ref f) if f[0].field == "folder"),
            "{err:?}"
        );
        std::fs::write(dir.path().join(MARKER), b"").unwrap();
        assert!(check_folder(dir.path().to_str().unwrap()).is_ok());
        assert!(check_folder("strona").is_err());
        assert!(check_folder(" ").is_err());
    }

    #[test]
    fn changes_name_new_changed_removed_and_same_files() {
        let before: BTreeMap<String, String> = [("a", "1"), ("b", "2"), ("c", "3")]
            .map(|(k, v)| (k.into(), v.into()))
            .into();
        let now: BTreeMap<String, String> = [("a", "1"), ("b", "9"), ("d", "4")]
            .map(|(k, v)| (k.into(), v.into()))
            .into();
        let changes: Vec<(String, FileChange)> = file_changes(&before, &now)
            .into_iter()
            .map(|f| (f.path, f.change))
            .collect();
        assert_eq!(
            changes,
            vec![
                ("a".into(), FileChange::Same),
                ("b".into(), FileChange::Changed),
                ("d".into(), FileChange::New),
                ("c".into(), FileChange::Removed),
            ]
        );
        let (added, removed) = differences(
            &[(1, "Żak".to_string()), (2, "Bór".to_string())].into(),
            &[
                (2, "Bór".to_string()),
                (3, "Łąka".to_string()),
                (4, "Ala".to_string()),
            ]
            .into(),
        );
        assert_eq!(
            (added, removed),
            (vec!["Ala".into(), "Łąka".into()], vec!["Żak".into()])
        );
    }
}
