//! The library's part of the store contract, in domain types only; each backend implements it
//! (`store/sqlite/library.rs`, `store/postgres/library.rs`) with the shared SQL below.

use crate::error::Result;
use crate::library::*;
use crate::register::Page;
use chrono::NaiveDate;

#[async_trait::async_trait]
pub trait LibraryStore: Send + Sync {
    /// Titles not yet prepared for the library (imported, or from before it): folds their
    /// search text and puts their first copy on the shelf, in one transaction. How many.
    async fn prepare_titles(&self) -> Result<u64>;

    /// The catalogue in title order; every folded word must occur in a title's search text.
    async fn list_titles(
        &self,
        words: &[String],
        available_only: bool,
        offset: u32,
        limit: u32,
    ) -> Result<Page<Title>>;

    async fn get_title(&self, id: i64) -> Result<Title>;

    /// A title's copies in inventory order, each with its open loan.
    async fn copies_of(&self, item_id: i64) -> Result<Vec<LibraryCopy>>;

    /// Saves a title; a new one gets `d.copies` copies on the shelf in the same transaction.
    async fn save_title(&self, id: Option<i64>, d: &TitleDraft) -> Result<i64>;

    /// Refused while any of its copies has a loan on record.
    async fn delete_title(&self, id: i64) -> Result<()>;

    async fn save_copy(&self, id: Option<i64>, d: &CopyDraft) -> Result<i64>;

    async fn delete_copy(&self, id: i64) -> Result<()>;

    /// Lends the copy; the database refuses a second open loan of one copy (the message names
    /// who has it and until when).
    async fn lend(&self, d: &LoanDraft, user: &str) -> Result<i64>;

    async fn get_loan(&self, id: i64) -> Result<Loan>;

    async fn list_loans(&self, q: &LoanQuery, today: NaiveDate) -> Result<Page<Loan>>;

    /// Moves the due date of a loan still out that has been renewed `renewals` times (so two
    /// renewals of one loan at once count once); false when it was not.
    async fn renew_loan(&self, id: i64, renewals: i64, due_on: NaiveDate) -> Result<bool>;

    /// Marks a loan returned; false when it already was.
    async fn return_loan(&self, id: i64, on: NaiveDate) -> Result<bool>;

    /// Records reminder `number` for a loan still out that has had `number - 1`: true when this
    /// call did (so two PCs sending at once remind once).
    async fn claim_reminder(&self, id: i64, number: i64, on: NaiveDate) -> Result<bool>;

    /// Takes back a claimed reminder whose message could not be queued.
    async fn release_reminder(
        &self,
        id: i64,
        number: i64,
        previous: Option<NaiveDate>,
    ) -> Result<()>;

    /// Returned loans (returned before `before`) that still name their borrower.
    async fn loans_past_retention(&self, before: NaiveDate) -> Result<u64>;

    /// Removes the borrower from those loans; the loans stay for the counts. How many.
    async fn remove_loan_borrowers(&self, before: NaiveDate) -> Result<u64>;

    /// Loans made in the year, and the copies lent (for the annual report).
    async fn loans_in_year(&self, year: i32) -> Result<(i64, i64)>;
}

/// A title with its copies counted: the same SQL on both backends.
pub(crate) const TITLE_SELECT: &str = "SELECT i.id, i.title, i.author, i.publisher, i.year, i.isbn, i.shelf_mark, i.subject, i.notes,
     i.import_batch_id IS NOT NULL AS from_import,
     (SELECT COUNT(*) FROM library_copies c WHERE c.item_id = i.id AND c.state NOT IN ('lost', 'withdrawn')) AS copies,
     (SELECT COUNT(*) FROM library_copies c WHERE c.item_id = i.id AND c.state NOT IN ('lost', 'withdrawn')
         AND NOT EXISTS (SELECT 1 FROM library_loans l WHERE l.copy_id = c.id AND l.returned_on IS NULL)) AS available
     FROM library_items i";

/// A copy with its open loan and who has it.
pub(crate) const COPY_SELECT: &str = "SELECT c.id, c.item_id, c.inventory_number, c.state, c.notes, l.id AS loan_id,
     CASE WHEN p.id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS borrower_name, l.due_on
     FROM library_copies c LEFT JOIN library_loans l ON l.copy_id = c.id AND l.returned_on IS NULL
     LEFT JOIN people p ON p.id = l.person_id";

/// A loan with its book, copy, borrower and the borrower's first e-mail and phone.
pub(crate) const LOAN_SELECT: &str = "SELECT l.id, l.copy_id, c.item_id, i.title, i.author, c.inventory_number, l.person_id,
     CASE WHEN p.id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS borrower_name,
     (SELECT pc.value FROM person_contacts pc WHERE pc.person_id = l.person_id AND pc.kind = 'email' ORDER BY pc.position LIMIT 1) AS borrower_email,
     (SELECT pc.value FROM person_contacts pc WHERE pc.person_id = l.person_id AND pc.kind = 'phone' ORDER BY pc.position LIMIT 1) AS borrower_phone,
     l.organization_id, o.name AS organization_name, l.borrower_removed, l.lent_on, l.due_on, l.renewals, l.returned_on,
     l.reminders_sent, l.last_reminder_on, l.lent_by
     FROM library_loans l JOIN library_copies c ON c.id = l.copy_id JOIN library_items i ON i.id = c.item_id
     LEFT JOIN people p ON p.id = l.person_id LEFT JOIN organizations o ON o.id = l.organization_id";

/// The order of a list of loans: what is out by due date (the most overdue first), the rest
/// newest first.
pub(crate) fn loan_order(status: LoanStatus) -> &'static str {
    match status {
        LoanStatus::Open | LoanStatus::Overdue => " ORDER BY l.due_on, l.id",
        LoanStatus::Returned | LoanStatus::All => " ORDER BY l.lent_on DESC, l.id DESC",
    }
}

/// What a refused second loan of a copy says.
pub(crate) fn already_out(
    borrower: Option<String>,
    due_on: Option<NaiveDate>,
) -> crate::error::Error {
    crate::error::Error::invalid(
        "copy_id",
        format!(
            "Ten egzemplarz jest już wypożyczony{}{}. Wybierz inny egzemplarz albo najpierw przyjmij zwrot.",
            borrower.map(|b| format!(": {b}")).unwrap_or_default(),
            due_on
                .map(|d| format!(", termin zwrotu {}", d.format("%d.%m.%Y")))
                .unwrap_or_default()
        ),
    )
}

/// Whether the write broke a unique index (an inventory number, a copy's one open loan).
pub(crate) fn is_unique(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Whether a delete was refused because loans still point at the row.
pub(crate) fn is_referenced(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_foreign_key_violation())
}

pub(crate) const TITLE_HAS_LOANS: &str = "Tego tytułu nie można usunąć: jego egzemplarze mają historię wypożyczeń. Oznacz egzemplarze jako wycofane.";
pub(crate) const COPY_HAS_LOANS: &str =
    "Tego egzemplarza nie można usunąć: ma historię wypożyczeń. Zmień jego stan na „wycofany”.";
pub(crate) const INVENTORY_TAKEN: &str =
    "Ten numer inwentarzowy ma już inny egzemplarz. Numery nie mogą się powtarzać.";
