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
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
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
    // The library's own (English) text stays in the Debug form for the log; the user reads
    // what it means, in Polish.
    #[error("{}", database_message(.0))]
    Database(#[from] sqlx::Error),
    #[error("{}", migration_message(.0))]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("Błąd zapisu lub odczytu pliku: {}", io_message(.0))]
    Io(#[from] std::io::Error),
    #[error("Przerwano na Twoją prośbę: w rejestrze nic się nie zmieniło.")]
    Cancelled,
    /// Another window or process holds what this one needs (e.g. the sending queue).
    #[error("{0}")]
    Busy(String),
    /// The mail server could not be reached or refused the login; the queue is left as it was.
    #[error("{0}")]
    Smtp(String),
    /// This login's role on the server does not allow it (said before asking the server, or
    /// the server's "permission denied" told for what was asked).
    #[error("{0}")]
    Forbidden(String),
    /// Someone else saved the record after this form read it: nothing was written.
    #[error("{}", conflict_message(.0))]
    Conflict(Box<Conflict>),
}

/// Who saved a record since the form was opened, and when: what a refused save reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The user name the other save recorded (or "import z pliku" and the like).
    pub changed_by: String,
    /// When, as stored (`YYYY-MM-DDTHH:MM:SSZ`, UTC).
    pub changed_at: String,
    /// The record's revision now: a save carrying it goes through.
    pub revision: i64,
}

impl Conflict {
    /// The compare-and-set both backends run inside a save's transaction, on the row as read
    /// there: a save opened on an older revision is refused with who and when; `expected` None
    /// overwrites on purpose.
    pub(crate) fn check(
        table: &'static str,
        id: i64,
        expected: Option<i64>,
        (revision, changed_by, changed_at): (i64, Option<String>, String),
    ) -> Result<()> {
        match expected {
            Some(seen) if seen != revision => {
                tracing::info!(table, id, seen, revision, "stale save refused");
                Err(Error::Conflict(Box::new(Conflict {
                    changed_by: changed_by.unwrap_or_else(|| "inny użytkownik".into()),
                    changed_at,
                    revision,
                })))
            }
            _ => Ok(()),
        }
    }
}

/// The refusal in words a person acts on, with the time in this computer's local time.
fn conflict_message(c: &Conflict) -> String {
    let when = chrono::DateTime::parse_from_rfc3339(&c.changed_at)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%d.%m.%Y, %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| c.changed_at.clone());
    format!(
        "Ten rekord został w międzyczasie zmieniony przez: {} ({when}). Twoje zmiany nie zostały zapisane — są nadal w formularzu.",
        c.changed_by
    )
}

/// What an I/O error means, in Polish (the OS's own text may be English).
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "nie ma takiego pliku lub folderu.".into(),
        K::PermissionDenied => "brak uprawnień do pliku lub folderu.".into(),
        K::AlreadyExists => "taki plik już istnieje.".into(),
        K::StorageFull => "brak miejsca na dysku.".into(),
        K::ReadOnlyFilesystem => "dysk lub folder jest tylko do odczytu.".into(),
        K::IsADirectory => "to jest folder, a nie plik.".into(),
        K::NotADirectory => "część ścieżki nie jest folderem.".into(),
        K::InvalidFilename => "niedozwolona nazwa pliku.".into(),
        K::UnexpectedEof | K::InvalidData => "plik jest niekompletny albo uszkodzony.".into(),
        K::TimedOut | K::WouldBlock => "plik jest zajęty przez inny program.".into(),
        _ => match e.raw_os_error() {
            Some(code) => format!("nieoczekiwany błąd systemu (kod {code})."),
            None => "nieoczekiwany błąd systemu.".into(),
        },
    }
}

/// A database server that cannot be reached at all.
pub const UNREACHABLE_SERVER: &str = "Nie można połączyć się z serwerem bazy danych: serwer jest wyłączony, nie działa pod tym adresem i portem, nazwa serwera jest błędna albo zapora sieciowa blokuje połączenie.";

/// What a database error means, in Polish, from SQLite's result code or PostgreSQL's SQLSTATE.
pub fn database_message(e: &sqlx::Error) -> String {
    match e {
        #[cfg(feature = "postgres")]
        sqlx::Error::Database(db)
            if db
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .is_some() =>
        {
            let code = db.code();
            // 28000 covers both a missing pg_hba.conf line and a login switched off with
            // NOLOGIN; only the server's text tells them apart (and it never names pg_hba then).
            if code.as_deref() == Some("28000") && db.message().contains("not permitted to log in") {
                return NOLOGIN.into();
            }
            postgres_message(code.as_deref().unwrap_or(""))
        }
        sqlx::Error::Database(db) => {
            let code: i64 = db.code().and_then(|c| c.parse().ok()).unwrap_or(1);
            match code & 0xff {
                26 => "Plik nie jest bazą danych Kartoteki albo jest uszkodzony.".into(),
                11 => "Plik bazy danych jest uszkodzony.".into(),
                14 => "Nie można otworzyć pliku bazy danych: nie ma go, nie ma jego folderu albo brak uprawnień.".into(),
                3 | 23 => "Brak uprawnień do pliku bazy danych.".into(),
                8 => "Plik bazy danych jest tylko do odczytu: program nie może w nim zapisywać (sprawdź uprawnienia pliku i folderu).".into(),
                5 | 6 => "Baza danych jest zajęta przez inny program. Spróbuj ponownie za chwilę.".into(),
                13 => "Brak miejsca na dysku: baza danych nie może zapisać zmian.".into(),
                10 => "Błąd odczytu lub zapisu pliku bazy danych (sprawdź dysk).".into(),
                19 => "Zapis naruszałby spójność danych (np. powiązany rekord nie istnieje albo się powtarza).".into(),
                other => format!("Błąd bazy danych (SQLite, kod {other})."),
            }
        }
        // Only a database server is reached over the network (a file never refuses a
        // connection).
        sqlx::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::HostUnreachable
                    | std::io::ErrorKind::NetworkUnreachable
                    | std::io::ErrorKind::AddrNotAvailable
                    | std::io::ErrorKind::NotConnected
            ) =>
        {
            UNREACHABLE_SERVER.into()
        }
        sqlx::Error::Io(io) => format!("Błąd odczytu lub zapisu bazy danych: {}", io_message(io)),
        sqlx::Error::Tls(_) => {
            "Nie udało się nawiązać szyfrowanego połączenia (TLS) z serwerem bazy danych: sprawdź ustawienie szyfrowania i certyfikat serwera.".into()
        }
        sqlx::Error::Configuration(_) => {
            "Adres lub ustawienia połączenia z bazą danych są niepoprawne (wzór: postgres://użytkownik@serwer:port/baza).".into()
        }
        sqlx::Error::Protocol(_) => {
            "Serwer bazy danych odpowiedział w nieoczekiwany sposób: sprawdź, czy pod tym adresem i portem działa PostgreSQL.".into()
        }
        sqlx::Error::PoolTimedOut => {
            "Baza danych nie odpowiada: może jest zajęta przez inny program. Spróbuj ponownie."
                .into()
        }
        sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => {
            "Połączenie z bazą danych zostało zamknięte. Uruchom program ponownie.".into()
        }
        sqlx::Error::RowNotFound => "Nie znaleziono rekordu w bazie danych.".into(),
        _ => "Błąd bazy danych.".into(),
    }
}

/// A login the administrator switched off (`ALTER ROLE … NOLOGIN`).
#[cfg(feature = "postgres")]
pub const NOLOGIN: &str =
    "Administrator wyłączył logowanie tego konta na serwerze. Poproś go o ponowne włączenie.";

/// What a PostgreSQL server's SQLSTATE means, in Polish (the server's own text, in English or
/// the server's language, stays in the Debug form for the log).
#[cfg(feature = "postgres")]
pub fn postgres_message(sqlstate: &str) -> String {
    match sqlstate {
        "23505" => "Taki zapis już istnieje: wartość, która musi być jedyna, powtarza się.".into(),
        "23503" => "Zapis naruszałby spójność danych: powiązany rekord nie istnieje albo wciąż jest używany.".into(),
        "23502" | "23514" | "23P01" => "Zapis naruszałby spójność danych (brakująca albo niedozwolona wartość).".into(),
        "40001" | "40P01" => "W tej samej chwili ktoś inny zapisywał te same dane. Spróbuj ponownie.".into(),
        "55P03" => "Te dane są właśnie zapisywane na innym komputerze. Spróbuj ponownie za chwilę.".into(),
        "28P01" => "Serwer bazy danych odrzucił logowanie: niepoprawna nazwa użytkownika albo hasło.".into(),
        "28000" => "Serwer bazy danych nie wpuszcza tego użytkownika z tego komputera (poproś administratora o wpis w pg_hba.conf).".into(),
        "3D000" => "Na serwerze nie ma bazy danych o tej nazwie: sprawdź nazwę albo poproś administratora o jej utworzenie.".into(),
        "42501" => "Brak uprawnień: to konto na serwerze bazy danych nie może odczytać ani zmienić tych danych.".into(),
        "53300" => "Serwer bazy danych ma już za dużo połączeń. Spróbuj ponownie za chwilę albo poproś administratora o zwiększenie limitu.".into(),
        "53100" => "Brak miejsca na dysku serwera bazy danych: zmiany nie zostały zapisane.".into(),
        "57014" => "Serwer bazy danych przerwał zbyt długie zapytanie. Spróbuj ponownie.".into(),
        "57P01" | "57P02" | "57P03" => "Serwer bazy danych jest właśnie wyłączany albo uruchamiany. Spróbuj ponownie za chwilę.".into(),
        s if s.starts_with("08") => "Połączenie z serwerem bazy danych zostało przerwane albo nie udało się go nawiązać: sprawdź sieć i czy serwer działa.".into(),
        other => format!("Błąd bazy danych (PostgreSQL, kod {other})."),
    }
}

/// What a failed schema update means, in Polish: above all a file from a newer version.
pub fn migration_message(e: &sqlx::migrate::MigrateError) -> String {
    use sqlx::migrate::MigrateError as M;
    match e {
        M::VersionMissing(v) => format!(
            "Baza danych pochodzi z nowszej wersji Kartoteki (zmiana budowy bazy nr {v}, której ten program nie zna). Zainstaluj nowszą wersję programu albo przywróć kopię zapasową."
        ),
        M::VersionMismatch(v) => format!("Zmiana budowy bazy nr {v} zapisana w pliku różni się od tej w programie: plik został zmieniony poza Kartoteką."),
        M::Dirty(v) => format!("Zmiana budowy bazy nr {v} nie została w pliku dokończona."),
        M::Execute(db) => format!("Nie udało się zaktualizować budowy bazy danych. {}", database_message(db)),
        M::ExecuteMigration(db, v) => format!("Nie udało się zaktualizować budowy bazy danych (zmiana nr {v}). {}", database_message(db)),
        _ => "Nie udało się zaktualizować budowy bazy danych.".into(),
    }
}

fn summary(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Error {
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid",
            Error::NotFound(_) => "not_found",
            Error::BadArgument(_) => "bad_argument",
            // The server's refusal of a role's rights: the window may say so, not "error".
            Error::Database(sqlx::Error::Database(d)) if d.code().as_deref() == Some("42501") => {
                "forbidden"
            }
            Error::Database(_) => "database",
            Error::Forbidden(_) => "forbidden",
            Error::Migration(_) => "migration",
            Error::Io(_) => "io",
            Error::Cancelled => "cancelled",
            Error::Busy(_) => "busy",
            Error::Smtp(_) => "smtp",
            Error::Conflict(_) => "conflict",
        }
    }

    /// The server refused the login's password (SQLSTATE 28P01): the start-up screen tells a
    /// password that was tried from one that was never there.
    pub fn refused_password(&self) -> bool {
        matches!(self, Error::Database(sqlx::Error::Database(d)) if d.code().as_deref() == Some("28P01"))
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
