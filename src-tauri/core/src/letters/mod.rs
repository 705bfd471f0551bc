//! Letters kept for organisations that use the centre's address (dziennik korespondencji):
//! address agreements, the log of items received, "powiadom" through the mail queue, pickup
//! with who took it, and the pickup sheet PDF with a signature column.
//! `model` parses input and holds the read models; `ops` is this domain's part of the
//! `Kartoteka` API; each backend's SQL is in `store/<backend>/letters.rs`.

pub(crate) mod demo;
mod model;
mod ops;
mod pickup;
pub(crate) mod store;

pub use model::*;
pub use ops::*;
pub use pickup::pickup_sheet_pdf;
