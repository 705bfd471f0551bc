//! Kartoteka's core: the register of organisations and people for Polish citizen-advice bureaus
//! and NGO offices. Identifiers are parsed into types that are valid by construction (`ids`),
//! forms into drafts (`model`), and `Kartoteka` (`register`) is the one API that the window, the
//! CLI and the tests call; only `store` speaks SQL. No Tauri here, so its tests build fast.

pub mod advice;
pub mod backup;
pub mod collation;
pub mod consultations;
pub mod daily;
pub mod dblock;
pub mod demo;
pub mod directory;
pub mod erasure;
pub mod error;
pub mod events;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod history;
pub mod ids;
pub mod import;
pub mod importing;
pub mod mail;
pub mod mailing;
pub mod model;
pub mod office;
pub mod private;
pub mod register;
pub mod report;
pub mod rodo;
pub mod stats_file;
pub mod store;
pub mod survey;
pub mod text;

pub use error::{Error, FieldError, Result};
pub use register::Kartoteka;
