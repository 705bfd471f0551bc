//! Import of spreadsheets (XLSX, ODS, XLS, CSV): `read` opens a sheet within `limits`,
//! `columns` maps its headers, `model` turns rows into drafts and matches them to the register,
//! `ops` is this domain's part of the `Kartoteka` API (preview, run, undo, profiles); the batch
//! is written in one transaction by `store/sqlite/import.rs`.

pub mod columns;
pub mod limits;
mod model;
mod ops;
pub mod read;
pub(crate) mod store;

pub use model::*;
pub use ops::*;
