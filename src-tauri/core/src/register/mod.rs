//! The register: organisations, people, their consents, the reference lists, search, and the
//! printed directory. `model` parses forms into drafts (valid by construction) and holds the
//! read models; `ops` is this domain's part of the `Kartoteka` API; `directory` lays out the
//! directory PDF; the SQL is in `store/sqlite/register/`.

pub mod directory;
mod model;
mod ops;
pub(crate) mod store;

pub use model::*;
