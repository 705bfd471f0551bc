//! Mail: consents-aware mailing lists and segments, messages with merge fields, the sending
//! queue that survives a crash, bounces and unsubscriptions. `model` holds the types and
//! parsing, `render` builds the MIME message, `send` talks SMTP, `ops` is this domain's part of
//! the `Kartoteka` API; the SQL is in `store/sqlite/mail.rs`.

mod model;
mod ops;
pub mod render;
pub mod send;
pub(crate) mod store;

pub use model::*;
pub use ops::*;
