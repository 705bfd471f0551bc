//! The publishing part of the `Kartoteka` API: what a publication would change, writing it
//! (a new folder swapped in whole, unchanged files linked from the earlier one, then the .zip),
//! and the map of social activity for Raporty.

use crate::error::{Error, Result};
use crate::publish::map::{self, ActivityMap, MapLevel, OrganizationPlace};
use crate::publish::site::{self, Files};
use crate::publish::*;
use crate::register::MAX_PAGE;
use crate::Kartoteka;
use chrono::{Datelike, Days, Local, NaiveDate};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The map as Raporty shows it: the drawing and the figures under it.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityMapView {
    pub svg: String,
    #[serde(flatten)]
    pub map: ActivityMap,
}

/// How far back the published calendar reaches: last year's events stay listed as past ones.
const CALENDAR_DAYS_BACK: u64 = 365;

fn manifest_of(files: &Files, content: &SiteContent) -> Manifest {
    Manifest {
        files: files
            .iter()
            .map(|(path, bytes)| {
                let hash = Sha256::digest(bytes);
                (
                    path.clone(),
                    hash.iter().map(|b| format!("{b:02x}")).collect(),
                )
            })
            .collect(),
        organizations: content
            .organizations
            .iter()
            .map(|o| (o.id, o.name.clone()))
            .collect(),
        events: content
            .events
            .iter()
            .map(|e| {
                (
                    e.id,
                    format!("{} ({})", e.title, e.starts_at.format("%d.%m.%Y")),
                )
            })
            .collect(),
    }
}

impl Kartoteka {
    /// Everything that may be published, read once.
    /// This year's and last year's competitions of the cooperation programme that are open (the
    /// deadline not passed) or decided (a result date), open ones first by deadline.
    async fn public_competitions(&self, today: NaiveDate) -> Result<Vec<PublicCompetition>> {
        use crate::cooperation::{CompetitionQuery, OfferQuery};
        let mut found = Vec::new();
        for year in [today.year(), today.year() - 1] {
            let page = self
                .competitions(&CompetitionQuery {
                    year: Some(i64::from(year)),
                    offset: 0,
                    limit: MAX_PAGE,
                })
                .await?;
            found.extend(
                page.items
                    .into_iter()
                    .filter(|c| c.deadline_on >= today || c.result_on.is_some()),
            );
        }
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let consented: BTreeSet<i64> = self
            .store
            .public_organizations()
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect();
        let mut out = Vec::new();
        for c in found {
            let mut granted = Vec::new();
            if c.result_on.is_some() {
                let offers = self
                    .offers(&OfferQuery {
                        competition_id: Some(c.id),
                        limit: MAX_PAGE,
                        ..Default::default()
                    })
                    .await?;
                granted = offers
                    .items
                    .into_iter()
                    .filter(|o| o.status == "granted")
                    .map(|o| PublicGrant {
                        title: o.title,
                        organization: consented
                            .contains(&o.organization_id)
                            .then_some(o.organization_name),
                        granted_grosze: o.granted_grosze.unwrap_or(0),
                    })
                    .collect();
            }
            out.push(PublicCompetition {
                id: c.id,
                title: c.title,
                area: c.area_name,
                funds_grosze: c.funds_grosze,
                announced_on: c.announced_on,
                deadline_on: c.deadline_on,
                result_on: c.result_on,
                offers: c.offers,
                granted,
            });
        }
        // Open ones first, the nearest deadline first; then the decided, the latest first.
        out.sort_by_key(|c| {
            let open = c.deadline_on >= today;
            (
                !open,
                if open {
                    c.deadline_on.num_days_from_ce()
                } else {
                    -c.result_on.map_or(0, |r| r.num_days_from_ce())
                },
                c.id,
            )
        });
        Ok(out)
    }

    async fn site_content(&self, options: &PublishOptions) -> Result<SiteContent> {
        let now = Local::now().naive_local();
        let today = now.date();
        let organizations = if options.directory || options.map || options.open_data {
            self.store.public_organizations().await?
        } else {
            Vec::new()
        };
        let events = if options.calendar {
            let from = today - Days::new(CALENDAR_DAYS_BACK);
            self.store.public_events(from).await?
        } else {
            Vec::new()
        };
        let areas: BTreeMap<String, String> = self
            .store
            .list_areas()
            .await?
            .into_iter()
            .map(|a| (a.code, a.name))
            .collect();
        let mut grant_calls = Vec::new();
        if options.grants {
            // Open calls come first, by deadline: stop at the first closed one.
            let page = self.store.grant_calls(0, MAX_PAGE).await?;
            for (id, ..) in page
                .items
                .iter()
                .filter(|(.., deadline)| *deadline >= today)
            {
                let call = self.store.get_grant_call(*id).await?;
                grant_calls.push(PublicGrantCall {
                    id: call.id,
                    funder: call.funder,
                    title: call.title,
                    deadline: call.deadline,
                    amount: call.amount,
                    link: call.link,
                    areas: call
                        .areas
                        .iter()
                        .filter_map(|c| areas.get(c).cloned())
                        .collect(),
                });
            }
        }
        let competitions = if options.grants {
            self.public_competitions(today).await?
        } else {
            Vec::new()
        };
        Ok(SiteContent {
            office: self.office_name_or("").await?,
            organizations,
            events,
            grant_calls,
            competitions,
            areas,
            generated_at: now,
        })
    }

    /// What publishing with `options` would write, and what changed since the last time.
    pub async fn publish_preview(&self, options: &PublishOptions) -> Result<PublishPreview> {
        let content = self.site_content(options).await?;
        let files = site::render(&content, options);
        let manifest = manifest_of(&files, &content);
        let last = self.store.last_publication().await?;
        let before = last
            .as_ref()
            .map(|p| p.manifest.clone())
            .unwrap_or_default();
        let changes = file_changes(&before.files, &manifest.files);
        let unmatched = if options.map {
            let places: Vec<OrganizationPlace> =
                content.organizations.iter().map(|o| o.place()).collect();
            map::activity_map(&places).unmatched
        } else {
            Vec::new()
        };
        let (added_organizations, removed_organizations) =
            differences(&before.organizations, &manifest.organizations);
        let (added_events, removed_events) = differences(&before.events, &manifest.events);
        Ok(PublishPreview {
            organizations: if options.directory {
                content.organizations.len()
            } else {
                0
            },
            events: content.events.len(),
            grant_calls: content.grant_calls.len() + content.competitions.len(),
            changed_files: changes
                .iter()
                .filter(|f| f.change != FileChange::Same)
                .count(),
            files: changes,
            added_organizations,
            removed_organizations,
            added_events,
            removed_events,
            last_published_at: last.as_ref().map(|p| p.published_at.clone()),
            last_folder: last.map(|p| p.folder),
            unmatched,
        })
    }

    /// Writes the site into `folder` (made, or replaced whole if it holds an earlier
    /// publication) and, with `zip`, `<folder>.zip` beside it; then remembers what it wrote.
    pub async fn publish(
        &self,
        options: &PublishOptions,
        folder: &str,
        zip: bool,
    ) -> Result<PublishSummary> {
        let target = check_folder(folder)?;
        let content = self.site_content(options).await?;
        let files = site::render(&content, options);
        let manifest = manifest_of(&files, &content);
        let written = files.len();
        let target_for_write = target.clone();
        let zip_path = tokio::task::spawn_blocking(move || -> Result<Option<PathBuf>> {
            write_folder(&target_for_write, &files)?;
            if zip {
                let path = zip_path_of(&target_for_write);
                write_zip(&path, &files)?;
                Ok(Some(path))
            } else {
                Ok(None)
            }
        })
        .await
        .map_err(|e| Error::BadArgument(format!("Publikacja przerwana: {e}")))??;
        self.store
            .record_publication(&Publication {
                published_at: Local::now().format("%Y-%m-%d %H:%M").to_string(),
                folder: target.display().to_string(),
                manifest,
            })
            .await?;
        tracing::info!(files = written, zip, "site published");
        Ok(PublishSummary {
            folder: target.display().to_string(),
            index_path: target.join("index.html").display().to_string(),
            files: written,
            zip_path: zip_path.map(|p| p.display().to_string()),
            organizations: if options.directory {
                content.organizations.len()
            } else {
                0
            },
            events: content.events.len(),
            grant_calls: content.grant_calls.len() + content.competitions.len(),
        })
    }

    /// The map of social activity over every active organisation of the register (Raporty).
    pub async fn activity_map(&self, level: MapLevel) -> Result<ActivityMapView> {
        let places = self.store.organization_places(false).await?;
        let map = map::activity_map(&places);
        let title = match level {
            MapLevel::Powiat => "Organizacje w rejestrze według powiatów",
            MapLevel::Voivodeship => "Organizacje w rejestrze według województw",
        };
        Ok(ActivityMapView {
            svg: map::map_svg(&map, level, title),
            map,
        })
    }
}

fn zip_path_of(folder: &Path) -> PathBuf {
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "strona".into());
    folder.with_file_name(format!("{name}.zip"))
}

/// A sibling of `target` named for this process: the same file system, so renames are atomic.
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "strona".into());
    target.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// Writes every file into a new folder beside `target`, then swaps it in: a failure half-way
/// leaves the earlier publication as it was. A file the earlier publication holds unchanged is
/// hard-linked instead of written: a republication writes only what changed, and removing the
/// earlier folder then frees only the changed files' data (on this kind of disk most of a
/// publication's time was the kernel freeing ten thousand files).
fn write_folder(target: &Path, files: &Files) -> Result<()> {
    let parent = target.parent().unwrap_or(Path::new("/"));
    if !parent.is_dir() {
        return Err(Error::Invalid(vec![crate::FieldError::new(
            "folder",
            "Folder nadrzędny nie istnieje.",
        )]));
    }
    let fresh = sibling(target, "nowa");
    let _ = std::fs::remove_dir_all(&fresh);
    let earlier = target.join(MARKER).is_file();
    let result = (|| -> Result<()> {
        std::fs::create_dir(&fresh)?;
        let mut made = BTreeSet::new();
        for (path, bytes) in files {
            let file = fresh.join(path);
            // Each folder once: asking the kernel for ten thousand existing folders cost more
            // than writing the map.
            if let Some(dir) = file.parent().filter(|d| !made.contains(*d)) {
                std::fs::create_dir_all(dir)?;
                made.insert(dir.to_path_buf());
            }
            if !(earlier && linked_unchanged(&target.join(path), &file, bytes)) {
                write_public(&file, bytes)?;
            }
        }
        write_public(
            &fresh.join(MARKER),
            "Ten folder zapisała Kartoteka (Publikuj); kolejna publikacja zastępuje go w całości.\n"
                .as_bytes(),
        )?;
        // The folders made, those `create_dir_all` made on the way to them, and the site's own.
        let folders: BTreeSet<&Path> = made
            .iter()
            .flat_map(|d| d.ancestors().take_while(|a| a.starts_with(&fresh)))
            .collect();
        for dir in folders {
            make_public(dir, DIR_MODE)?;
        }
        make_public(&fresh, DIR_MODE)?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(e);
    }
    if target.exists() {
        let old = sibling(target, "poprzednia");
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(target, &old)?;
        if let Err(e) = std::fs::rename(&fresh, target) {
            let _ = std::fs::rename(&old, target);
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(e.into());
        }
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(&fresh, target)?;
    }
    Ok(())
}

/// Links `earlier` (the same file of the publication being replaced) to `file` when its bytes
/// are `bytes`. False when it differs, is missing, or the file system has no hard links (a
/// FAT-formatted USB stick): the caller writes the file then.
fn linked_unchanged(earlier: &Path, file: &Path, bytes: &[u8]) -> bool {
    let same = std::fs::metadata(earlier)
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64 && is_public(&m))
        && std::fs::read(earlier).is_ok_and(|old| old == bytes);
    same && std::fs::hard_link(earlier, file).is_ok()
}

/// A published site is for a web server and for anyone who opens the stick: its files are
/// readable by all whatever the user's umask (with 077 they were 0600, and an upload keeps
/// that, so the server could not read them).
const FILE_MODE: u32 = 0o644;
const DIR_MODE: u32 = 0o755;

fn write_public(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    drop(file);
    make_public(path, FILE_MODE)?;
    Ok(())
}

#[cfg(unix)]
fn make_public(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn make_public(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn is_public(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o777 == FILE_MODE
}

#[cfg(not(unix))]
fn is_public(_: &std::fs::Metadata) -> bool {
    true
}

fn write_zip(path: &Path, files: &Files) -> Result<()> {
    let tmp = sibling(path, "zip");
    let result = (|| -> Result<()> {
        let file = std::fs::File::create(&tmp)?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let failed = |e: zip::result::ZipError| {
            Error::BadArgument(format!("Nie udało się zapisać pliku .zip: {e}"))
        };
        for (name, bytes) in files {
            zip.start_file(name.as_str(), options).map_err(failed)?;
            zip.write_all(bytes)?;
        }
        zip.finish().map_err(failed)?.flush()?;
        make_public(&tmp, FILE_MODE)?;
        Ok(())
    })();
    match result.and_then(|_| std::fs::rename(&tmp, path).map_err(Error::from)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn published_files_are_readable_by_all_and_a_private_earlier_file_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("strona");
        let files: Files = [
            ("index.html", "<p>start</p>"),
            ("en/organizacje/a.html", "<p>a</p>"),
            ("organizacje/b.html", "<p>b</p>"),
        ]
        .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
        .into();
        write_folder(&site, &files).unwrap();
        for file in ["index.html", "en/organizacje/a.html", MARKER] {
            assert_eq!(mode(&site.join(file)), FILE_MODE, "{file}");
        }
        for folder in ["", "en", "en/organizacje", "organizacje"] {
            assert_eq!(mode(&site.join(folder)), DIR_MODE, "{folder:?}");
        }

        // An earlier publication written under a 077 umask: its unchanged page is not linked
        // (that would keep it private) but written again, readable by all; a public one is.
        let private = site.join("organizacje/b.html");
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
        let (private_inode, public_inode) = (
            std::fs::metadata(&private).unwrap().ino(),
            std::fs::metadata(site.join("index.html")).unwrap().ino(),
        );
        write_folder(&site, &files).unwrap();
        let b = std::fs::metadata(site.join("organizacje/b.html")).unwrap();
        assert_ne!(b.ino(), private_inode);
        assert_eq!(b.permissions().mode() & 0o777, FILE_MODE);
        assert_eq!(
            std::fs::metadata(site.join("index.html")).unwrap().ino(),
            public_inode
        );
        assert_eq!(
            std::fs::read(site.join("organizacje/b.html")).unwrap(),
            b"<p>b</p>"
        );
    }
}
