//! Kartoteka's core: the register of organisations and people for Polish citizen-advice bureaus
//! and NGO offices. No Tauri here, so its tests build fast.

pub mod advice;
pub mod backup;
pub mod consultations;
pub mod daily;
pub mod demo;
pub mod error;
pub mod events;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod history;
pub mod ids;
pub mod import;
mod kartoteka;
pub mod mail;
pub mod office;
pub mod pdf;
pub mod private_files;
pub mod register;
pub mod reports;
pub mod rodo;
pub mod store;
pub mod survey;
pub mod text;

pub use error::{Error, FieldError, Result};
pub use kartoteka::Kartoteka;
