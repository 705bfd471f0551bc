//! The core's one error type. Each variant has a stable `code` for the UI and the CLI, and a
//! Polish message a person can act on; validation errors carry the field they belong to.

use serde::Serialize;

/// A problem with one field of a form, shown under that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError { field: field.to_string(), message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Popraw zaznaczone pola: {}", summary(.0))]
    Invalid(Vec<FieldError>),
    #[error("Nie znaleziono: {0}.")]
    NotFound(&'static str),
    #[error("{0}")]
    BadArgument(String),
    #[error("Błąd bazy danych: {0}")]
    Database(#[from] sqlx::Error),
    #[error("Nie udało się zaktualizować struktury bazy danych: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("Błąd zapisu lub odczytu pliku: {0}")]
    Io(#[from] std::io::Error),
    #[error("Przerwano na Twoją prośbę: w rejestrze nic się nie zmieniło.")]
    Cancelled,
    /// Another window or process holds what this one needs (e.g. the sending queue).
    #[error("{0}")]
    Busy(String),
    /// The mail server could not be reached or refused the login; the queue is left as it was.
    #[error("{0}")]
    Smtp(String),
}

fn summary(errors: &[FieldError]) -> String {
    errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" ")
}

impl Error {
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid",
            Error::NotFound(_) => "not_found",
            Error::BadArgument(_) => "bad_argument",
            Error::Database(_) => "database",
            Error::Migration(_) => "migration",
            Error::Io(_) => "io",
            Error::Cancelled => "cancelled",
            Error::Busy(_) => "busy",
            Error::Smtp(_) => "smtp",
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Invalid(v) => v,
            _ => &[],
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
