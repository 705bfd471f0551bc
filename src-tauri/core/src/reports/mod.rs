//! Reports: the annual figures, report (PDF, XLSX) and the union's network report built from
//! statistics files that member bureaus exchange (`stats_file`).
//! `annual` computes and renders, `ops` is this domain's part of the `Kartoteka` API; the
//! counting SQL is in `store/sqlite/reports.rs`.

mod annual;
mod ops;
pub mod stats_file;
pub(crate) mod store;

pub use annual::*;
