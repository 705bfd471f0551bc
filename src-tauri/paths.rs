//! Where Kartoteka keeps its files: the per-user data folder of the OS
//! (Linux: ~/.local/share/kartoteka, Windows: %APPDATA%\Kartoteka\data), overridable with
//! `--db PATH` or the KARTOTEKA_DB environment variable.

use std::path::PathBuf;

pub fn data_dir() -> PathBuf {
    directories::ProjectDirs::from("pl", "Kartoteka", "Kartoteka")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn default_database() -> PathBuf {
    data_dir().join("kartoteka.db")
}

/// The log folder; KARTOTEKA_LOG_DIR moves it (the tests read what a run wrote).
pub fn log_dir() -> PathBuf {
    std::env::var_os("KARTOTEKA_LOG_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir().join("logs"))
}
