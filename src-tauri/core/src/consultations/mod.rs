//! Consultations with organisations (konsultacje): topics and the organisations taking part.
//! `model` parses input into drafts and holds the read models; `ops` is this domain's part of
//! the `Kartoteka` API; its SQL is in `store/sqlite/consultations.rs`.

mod model;
mod ops;
pub(crate) mod store;

pub use model::*;
