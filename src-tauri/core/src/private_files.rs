//! Files with personal data (the database, its WAL, backups, exports, RODO reports, logs) are
//! created readable by their owner only: 0600 files in 0700 folders on Linux and macOS. On
//! Windows the per-user folders (%APPDATA%) already keep other accounts out.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

/// Creates `dir` and any missing parents as 0700. Folders that already exist keep their mode:
/// they may be the user's own (a USB stick, Documents), not ours to change.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    b.mode(0o700);
    b.create(dir)
}

/// Creates `dir` as `create_dir` does and, when it is a folder of the program's own (`kopie/`,
/// `logs/`), takes away what group and others could do in it, so a folder made by an older
/// version stops being readable by everyone.
pub fn own_dir(dir: &Path) -> io::Result<()> {
    create_dir(dir)?;
    #[cfg(unix)]
    restrict(dir, 0o700);
    Ok(())
}

/// Opens `path` for writing (created or truncated) as a 0600 file. An existing file is made
/// 0600 too: `File::create` alone would keep whatever mode it had.
pub fn create_file(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    o.mode(0o600);
    let f = o.open(path)?;
    #[cfg(unix)]
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(f)
}

/// Makes an existing file 0600 (the database and its WAL from before this rule, a log file).
/// Errors are ignored: a file owned by another account cannot be changed, and reading it is
/// still possible.
pub fn restrict_file(path: &Path) {
    #[cfg(unix)]
    restrict(path, 0o600);
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) {
    if let Ok(m) = std::fs::symlink_metadata(path) {
        if !m.file_type().is_symlink() && m.permissions().mode() & 0o777 != mode {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn files_are_0600_and_new_folders_0700() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("a").join("b");
        create_dir(&dir).unwrap();
        for d in [t.path().join("a"), dir.clone()] {
            assert_eq!(
                std::fs::metadata(&d).unwrap().permissions().mode() & 0o777,
                0o700,
                "{}",
                d.display()
            );
        }
        let f = dir.join("x.db");
        std::fs::write(&f, b"old").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o666)).unwrap();
        create_file(&f).unwrap();
        assert_eq!(
            std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(std::fs::metadata(&f).unwrap().len(), 0);
    }
}
