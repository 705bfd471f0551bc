//! Events (wydarzenia): trainings and meetings, registrations, attendance and the printed list.
//! `model` parses input into drafts and holds the read models; `ops` is this domain's part of
//! the `Kartoteka` API; its SQL is in `store/sqlite/events.rs`.

mod model;
mod ops;
pub(crate) mod store;

pub use model::*;
