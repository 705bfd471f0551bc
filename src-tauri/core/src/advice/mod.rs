//! Advice records (porady): the client, the category, the channel and outcome, anonymous client
//! codes (K-YYYY-NNNN) and returning clients.
//! `model` parses input into drafts and holds the read models; `ops` is this domain's part of
//! the `Kartoteka` API; its SQL is in `store/sqlite/advice.rs`.

mod model;
mod ops;
pub(crate) mod store;

pub use model::*;
