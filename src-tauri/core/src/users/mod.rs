//! Staff logins on a database server (Użytkownicy): each person signs in with their own
//! PostgreSQL login, a member of one of three groups (administrator, doradca, pracownik biura)
//! whose rights the server itself enforces. A file on one PC has no logins.
//! `model` checks what a form sends; `ops` is this domain's part of the `Kartoteka` API; its
//! SQL is in `store/postgres/users.rs` (the SQLite backend answers "only on a server").

mod model;
mod ops;
pub(crate) mod store;

pub use model::*;
