//! The yearly needs survey: topics and which organisations chose them.
//! `model` parses input into drafts and holds the read models; `ops` is this domain's part of
//! the `Kartoteka` API; its SQL is in `store/sqlite/survey.rs`.

mod model;
mod ops;
pub(crate) mod store;

pub use model::*;
