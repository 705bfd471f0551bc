//! SQLite: the register (organisations, people, consents, search, reference lists).

use super::*;

mod consents;
mod organizations;
mod people;
mod reference;
mod search;

/// Who writes a record when an import (or undoing one) changes it: what a form opened before
/// the import names when its save is refused.
pub(crate) const BY_IMPORT: &str = "import z pliku";

/// A form opened before a person was anonymised must not write their data back, even when the
/// user re-applies it on the new revision.
pub(crate) const SCRUBBED_PERSON: &str = "Dane tej osoby zostały zanonimizowane albo usunięte (RODO) i nie mogą zostać wpisane ponownie: Twoje zmiany nie zostały zapisane.";

/// Who writes an advice record when the retention rules strip it (no person is at the keys);
/// goes into SQL as a literal, so it holds no quote.
pub(crate) const BY_RETENTION: &str = "usuwanie danych po okresie przechowywania";

impl SqliteStore {
    /// Refuses a save opened on an older revision of the record (`table`: organizations,
    /// people or advice_records). Called inside the write transaction (BEGIN IMMEDIATE holds the
    /// file's write lock, so no other process can change the row between this check and the
    /// write) and before anything is written, so a refused save leaves the record and its
    /// history untouched. `expected` None: the caller overwrites on purpose.
    pub(crate) async fn check_revision(
        tx: &mut SqliteConnection,
        table: &'static str,
        id: i64,
        expected: Option<i64>,
        what: &'static str,
    ) -> Result<()> {
        let row: Option<(i64, Option<String>, String)> = sqlx::query_as(&format!(
            "SELECT revision, changed_by, updated_at FROM {table} WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        crate::error::Conflict::check(table, id, expected, row.ok_or(Error::NotFound(what))?)
    }
}
