//! Kartoteka's core: the register of organisations and people for Polish citizen-advice bureaus
//! and NGO offices, with everything the window and the CLI do to it. No Tauri here, so its tests
//! build fast.
//!
//! # How the code is laid out
//! - **One folder per domain** (`register`, `advice`, `consultations`, `events`, `survey`,
//!   `reports`, `mail`, `import`, `export`, `rodo`, `backup`, `daily`, `history`, `office`,
//!   `users`, `rooms`, `letters`, `library`, `legal_aid`, `publish`, `cooperation`). A
//!   domain folder holds its `model` (input → draft parsing, valid by construction, and the read
//!   models), its `ops` (its part of the [`Kartoteka`] API, an `impl Kartoteka` block) and its
//!   `store.rs` (the trait saying what it needs from a backend, in domain types only).
//! - **`store/`** is where records live: `Store` is every domain's trait together, and each
//!   backend folder implements all of them, one file per domain. `store/sqlite/` is the default
//!   (one file on one PC) and the only place that speaks SQLite: connection and pragmas,
//!   `BEGIN IMMEDIATE`, FTS5, sort keys, `VACUUM INTO`, the file lock, backup-file checks.
//!   `store/postgres/` (feature `postgres`) is the server backend for offices with several PCs:
//!   the same files, row locks where SQLite relied on its single writer, tsvector search, the
//!   copy between a server and a backup file; its tests run every story on both backends.
//! - **Shared pieces** are named for what they are: `ids` (NIP, REGON, KRS, PESEL, e-mail…),
//!   `text` (folding, cleaning, Polish `collation`), `money` (złoty in whole grosze), `ical` (iCalendar lines and escaping),
//!   `pdf` (the toolkit every printed document uses), `error` (one error type with Polish
//!   messages), `private_files` (0600 files).
//! - [`Kartoteka`] (`kartoteka.rs`) is the one entry point for the window, the CLI and the tests.
//!
//! # Adding a domain
//! 1. `src/<domain>/mod.rs` (two or three lines on its role), `model.rs`, `ops.rs`
//!    (`impl Kartoteka { … }`), `store.rs` (`#[async_trait] pub trait <Domain>Store`).
//! 2. One line in `store/mod.rs` (the trait in `Store`), one `pub mod` line below.
//! 3. `store/sqlite/<domain>.rs` and `store/postgres/<domain>.rs`: `impl <Domain>Store for …`
//!    on each backend, with a test that runs one story on both (`store/postgres/testing.rs`),
//!    and its tables in a new file in `migrations/` and in `migrations/postgres/` (forward-only,
//!    LF).
//! 4. The window: commands in `src-tauri/commands/<domain>.rs` named in `commands/list.rs`, a
//!    view in `ui/js/views/`, its texts in `ui/js/i18n/<view>.js`.
//!
//! No other domain's files change.

pub mod advice;
pub mod backup;
pub mod consultations;
pub mod cooperation;
pub mod daily;
pub mod demo;
pub mod error;
pub mod events;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod history;
pub(crate) mod ical;
pub mod ids;
pub mod import;
mod kartoteka;
pub mod legal_aid;
pub mod letters;
pub mod library;
pub mod live;
pub mod mail;
pub mod money;
pub mod office;
pub mod pdf;
pub mod private_files;
pub mod publish;
pub mod register;
pub mod reports;
pub mod rodo;
pub mod rooms;
#[cfg(feature = "postgres")]
pub mod server;
pub mod store;
pub mod survey;
pub mod text;
pub mod users;

pub use error::{Conflict, Error, FieldError, Result};
pub use kartoteka::Kartoteka;
