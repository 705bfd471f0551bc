//! Where the records live. `sqlite/` is the embedded single-file backend (the default); each
//! domain's reads and writes are one file there, next to the connection, pragmas, FTS5 search,
//! file lock and `VACUUM INTO` copies that only SQLite has.

pub(crate) mod sqlite;

pub use sqlite::{fts_query, Claimed, ImportWriter, QueueConn, Store};
pub(crate) use sqlite::{ORGANIZATION_CONSENTS, PERSON_CONSENTS};
