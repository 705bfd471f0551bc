//! The library with loans (biblioteczka): the catalogue (the imported library sheets, searched
//! without diacritics), copies with inventory numbers and states, loans to a person and their
//! organisation (one open loan per copy, enforced by the database), renewals, overdue reminders
//! through the mail queue or a printed list, and the borrower removed after the retention period.
//! `model` parses input and holds the read models; `ops` is this domain's part of the
//! `Kartoteka` API; each backend's SQL is in `store/<backend>/library.rs`.

pub(crate) mod demo;
mod model;
mod ops;
mod overdue;
pub(crate) mod store;

pub use model::*;
pub use ops::*;
pub use overdue::overdue_sheet_pdf;
