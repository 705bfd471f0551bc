//! Tauri commands: thin adapters over `kartoteka_core::Kartoteka`, one file per domain.
//! `#[instrument(skip_all)]` keeps personal data out of the log: only ids are recorded.

pub mod advice;
pub mod app;
pub mod backup;
pub mod consultations;
pub mod daily;
pub mod events;
pub mod export;
pub mod import;
pub mod mail;
pub mod office;
pub mod organizations;
pub mod people;
pub mod reports;
pub mod rodo;
pub mod search;
pub mod startup;
pub mod survey;
pub mod window;
