//! The headless side of the `kartoteka` binary: the same core, driven from a terminal or a
//! script. Without a subcommand the binary opens the window.

use clap::{Parser, Subcommand};
use kartoteka_core::export::ExportFormat;
use kartoteka_core::import::{DuplicatePolicy, ImportKind, ImportOptions};
use kartoteka_core::mail::send::{RunOptions, SmtpTarget};
use kartoteka_core::mail::{MailSettings, MessageInput, MessageKind};
use kartoteka_core::register::directory::{DirectoryOptions, GroupBy};
use kartoteka_core::register::{OrganizationQuery, PersonQuery, RecordKind};
use kartoteka_core::{demo, Kartoteka};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// The reader of the results went away (`kartoteka search … | head -3`): not a failure of
/// Kartoteka, so `main` ends quietly with 0 instead of the panic `println!` gives.
#[derive(Debug)]
pub struct OutputClosed;

impl std::fmt::Display for OutputClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("odbiorca wyniku zamknął potok")
    }
}

impl std::error::Error for OutputClosed {}

/// One line of results to stdout. Broken pipe (EPIPE on Unix, ERROR_NO_DATA on Windows, both
/// reported as `BrokenPipe`) becomes `OutputClosed`; the locked handle keeps a JSON document whole.
/// Every line is passed through `terminal_safe`: data stored before control and bidi characters
/// were dropped at entry must not recolour the terminal or reorder the line (in JSON the
/// `\uXXXX` it writes is the same character, so the document stays valid and equal).
fn out_line(args: std::fmt::Arguments) -> anyhow::Result<()> {
    let line = std::fmt::format(args);
    let line = kartoteka_core::text::terminal_safe(&line, true);
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(line.as_bytes())
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush())
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                anyhow::Error::new(OutputClosed)
            } else {
                anyhow::anyhow!("Nie udało się wypisać wyniku: {e}")
            }
        })
}

/// Results go through `out_line` (a closed pipe ends the run quietly).
macro_rules! out {
    ($($arg:tt)*) => { out_line(format_args!($($arg)*))? };
}

/// Progress and summaries go to stderr; they are a courtesy, so a closed stderr is ignored and
/// the work (a backup, an import) still finishes.
macro_rules! note {
    ($($arg:tt)*) => {{
        let line = format!($($arg)*);
        let _ = writeln!(std::io::stderr().lock(), "{}", kartoteka_core::text::terminal_safe(&line, true));
    }};
}

/// One field of a human-readable line: its own tabs and line breaks are escaped too, so a name
/// cannot split the line or fake another result.
fn field(s: &str) -> std::borrow::Cow<'_, str> {
    kartoteka_core::text::terminal_safe(s, false)
}

mod legal_aid;
mod letters;
mod library;
mod rooms;

#[derive(Parser, Debug)]
#[command(
    name = "kartoteka",
    version,
    about = "Kartoteka — rejestr organizacji i osób dla biur porad i centrów NGO.\nBez podpolecenia otwiera okno programu."
)]
pub struct Cli {
    /// Plik bazy danych (domyślnie w folderze danych użytkownika) albo baza na serwerze:
    /// postgres://użytkownik@serwer:port/baza (także zmienna KARTOTEKA_DB)
    #[arg(long, global = true, env = "KARTOTEKA_DB", value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ExportWhat {
    Organizations,
    People,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ImportWhat {
    Organizations,
    People,
    Library,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum OnDuplicate {
    Skip,
    Update,
    Add,
}

#[derive(Subcommand, Debug)]
pub enum StatsCommand {
    /// Zapisuje zbiorcze liczby roku (bez danych osobowych i bez opisów) do pliku JSON dla związku
    Export {
        #[arg(long)]
        year: i32,
        #[arg(long, value_name = "FILE.json")]
        out: PathBuf,
        /// Nazwa biura, pod którą związek zobaczy te liczby
        #[arg(long, default_value = "")]
        office: String,
    },
    /// Wczytuje pliki statystyk biur członkowskich (dla sprawozdania sieci)
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportKind {
    /// Informacja dla starosty o nieodpłatnej pomocy (PDF albo .xlsx, bez danych osobowych)
    Starosta {
        /// Początek okresu (DD.MM.RRRR)
        #[arg(long)]
        from: String,
        /// Koniec okresu (DD.MM.RRRR), włącznie
        #[arg(long)]
        to: String,
        /// Numer punktu (domyślnie wszystkie punkty biura)
        #[arg(long)]
        point: Option<String>,
        /// Plik wynikowy: .pdf albo .xlsx (bez niego liczby trafiają na ekran)
        #[arg(long, value_name = "FILE.pdf|FILE.xlsx")]
        out: Option<PathBuf>,
        /// Liczby jako JSON (według rodzaju pomocy, dziedziny prawa, formy, zawodu, czasu)
        #[arg(long)]
        json: bool,
    },
    /// Sprawozdanie z realizacji programu współpracy (art. 5a): PDF albo .xlsx, z rokiem poprzednim
    Cooperation {
        #[arg(long)]
        year: i32,
        /// Plik wynikowy: .pdf albo .xlsx (bez niego i bez --json liczby trafiają na ekran)
        #[arg(long, value_name = "FILE.pdf|FILE.xlsx")]
        out: Option<PathBuf>,
        /// Wszystkie liczby sprawozdania jako JSON (stałe klucze)
        #[arg(long)]
        json: bool,
    },
    /// Sprawozdanie z konsultacji projektu aktu (PDF): wszystkie uwagi i sposób ich rozpatrzenia
    Consultation {
        /// Numer konsultacji (widoczny w oknie: Współpraca › Konsultacje aktów)
        #[arg(long)]
        id: i64,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Sprawozdanie sieci (PDF): suma statystyk wczytanych od biur i podział na biura
    Network {
        #[arg(long)]
        year: i32,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Nazwa związku na pierwszej stronie
        #[arg(long, default_value = "")]
        union: String,
    },
    /// Sprawozdanie roczne (PDF; z rozszerzeniem .xlsx te same liczby jako arkusz)
    Annual {
        #[arg(long)]
        year: i32,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Nazwa biura na pierwszej stronie
        #[arg(long, default_value = "")]
        office: String,
        /// Plik tekstowy ze wstępem (akapity oddzielone pustą linią)
        #[arg(long, value_name = "FILE.txt")]
        introduction: Option<PathBuf>,
        /// Części sprawozdania, po przecinku: advice, consultations, events, register, library, legal_aid (domyślnie wszystkie)
        #[arg(long, value_delimiter = ',')]
        sections: Vec<String>,
    },
    /// Lista obecności wydarzenia (PDF): zapisani, miejsce na podpis, wolne wiersze dla dochodzących
    Attendance {
        /// Numer wydarzenia (widoczny w oknie i w wyniku `events`)
        #[arg(long)]
        event: i64,
        /// Plik PDF
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Nazwa biura w nagłówku
        #[arg(long, default_value = "")]
        office: String,
    },
    /// Katalog organizacji (PDF, A4): strona tytułowa, grupy, indeks nazw, „Strona X z Y”
    Directory {
        /// Plik PDF
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Grupowanie: area (sfery pożytku), city, legal-form albo none
        #[arg(long, default_value = "area")]
        group_by: String,
        /// Tylko organizacje ze zgodą na publikację w katalogu (tak jest domyślnie, jak w oknie;
        /// opcja zostaje dla zgodności ze starszymi skryptami)
        #[arg(long, conflicts_with = "all")]
        public_only: bool,
        /// Także organizacje bez zgody na publikację (katalog do użytku wewnętrznego)
        #[arg(long)]
        all: bool,
        /// Tylko obecni członkowie związku (katalog biur członkowskich)
        #[arg(long)]
        members_only: bool,
        /// Tytuł na stronie tytułowej
        #[arg(long, default_value = "")]
        title: String,
        /// Nazwa biura wydającego katalog
        #[arg(long, default_value = "")]
        office: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum MailCommand {
    /// Listy i segmenty z liczbą adresatów, do których wolno pisać (ze zgodą na e-maile)
    Lists {
        /// Wynik jako JSON: tablica {name, recipients, ...}
        #[arg(long)]
        json: bool,
    },
    /// Wysyła wiadomość do listy przez trwałą kolejkę (tę samą co w oknie)
    Send {
        /// Nazwa listy lub segmentu
        #[arg(long)]
        list: String,
        /// Temat (może zawierać pola {nazwa}, {imie}, {nazwisko}, {miasto}, {email})
        #[arg(long)]
        subject: String,
        /// Plik z treścią (prosty tekst z formatowaniem Markdown: ## nagłówek, **pogrubienie**, [link](https://…), - lista)
        #[arg(long, value_name = "FILE")]
        body_file: PathBuf,
        /// Serwer poczty, np. smtp://127.0.0.1:2525 (domyślnie z ustawień poczty)
        #[arg(long, value_name = "URL")]
        smtp: Option<String>,
        /// Tempo: wiadomości na minutę (domyślnie z ustawień; 0 = bez limitu)
        #[arg(long)]
        rate: Option<u32>,
        /// Podsumowanie jako JSON: sent, failed, uncertain, skipped_no_consent, ...
        #[arg(long)]
        json: bool,
    },
    /// Wznawia przerwaną wysyłkę: wysyła to, co czeka w kolejce; niepewne zostawia do decyzji
    Resume {
        #[arg(long, value_name = "URL")]
        smtp: Option<String>,
        #[arg(long)]
        rate: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Robi sprawdzoną kopię bazy (VACUUM INTO + integrity_check), np. na pendrive
    Backup {
        /// Plik kopii (.db)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Przywraca bazę z kopii; obecny plik zostaje najpierw odłożony do folderu kopie/
    Restore {
        /// Plik kopii (.db)
        file: PathBuf,
        /// Bez pytania o potwierdzenie
        #[arg(long)]
        yes: bool,
    },
    /// Przenosi cały rejestr z pliku na serwer PostgreSQL albo z serwera do nowego pliku (w jednej
    /// transakcji; na koniec liczby wierszy obu stron, kod wyjścia 3, gdy się nie zgadzają)
    Transfer {
        /// Skąd: plik .db albo postgres://użytkownik@serwer:port/baza
        #[arg(long, value_name = "FILE.db|URL")]
        from: String,
        /// Dokąd: postgres://… (z pliku) albo nowy plik .db (z serwera)
        #[arg(long, value_name = "URL|FILE.db")]
        to: String,
        /// Zastąp rejestr, który już jest na serwerze (jego kopia zostanie najpierw zapisana)
        #[arg(long)]
        replace: bool,
    },
    /// Poczta: listy adresowe, wysyłka biuletynu i ogłoszeń, wznawianie kolejki
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Publikuje stronę dla portalu miasta: katalog organizacji, kalendarz wydarzeń (.ics),
    /// konkursy, otwarte dane i mapę aktywności (folder gotowy do wgrania, opcjonalnie .zip)
    Publish {
        /// Folder strony (pusty, nowy albo folder poprzedniej publikacji)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Zapisz też DIR.zip obok folderu
        #[arg(long)]
        zip: bool,
        /// Dodaj wersję angielską (en/)
        #[arg(long)]
        english: bool,
        /// Pomiń części: katalog, kalendarz, konkursy, dane, mapa (po przecinku)
        #[arg(long, value_delimiter = ',', value_name = "CZĘŚCI")]
        skip: Vec<String>,
    },
    /// Sale i stanowisko pracy: kalendarz rezerwacji (.ics), rezerwowanie ze skryptu
    Rooms {
        #[command(subcommand)]
        command: rooms::RoomsCommand,
    },
    /// Korespondencja przechowywana dla organizacji: co czeka na odbiór
    Letters {
        #[command(subcommand)]
        command: letters::LettersCommand,
    },
    /// Biblioteczka: książki po terminie, przypomnienia o zwrocie, lista do wydruku
    Library {
        #[command(subcommand)]
        command: library::LibraryCommand,
    },
    /// Statystyki zbiorcze
    Stats {
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// Raporty PDF
    Report {
        #[command(subcommand)]
        kind: ReportKind,
    },
    /// Wczytuje organizacje, osoby albo listę biblioteczki z arkusza (.xlsx, .xls, .ods, .csv)
    Import {
        /// Co wczytać
        what: ImportWhat,
        /// Arkusz lub plik CSV (UTF-8, Windows-1250 albo ISO-8859-2; średniki, przecinki lub tabulatory)
        file: PathBuf,
        /// Tylko sprawdza plik i mówi, co by się stało; nic nie zapisuje
        #[arg(long)]
        dry_run: bool,
        /// Co zrobić z wierszem, który jest już w rejestrze (ten sam KRS, NIP, REGON, e-mail albo nazwa i miejscowość)
        #[arg(long, value_enum, default_value = "skip")]
        on_duplicate: OnDuplicate,
        /// Plik JSON z przypisaniem kolumn: {"nagłówek w arkuszu": "pole", ...}; pola: zob. README
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        /// Nazwa arkusza (domyślnie pierwszy z danymi)
        #[arg(long)]
        sheet: Option<String>,
        /// Numer wiersza z nagłówkami kolumn (domyślnie znajdowany sam)
        #[arg(long)]
        header_row: Option<u32>,
        /// Zapisz odrzucone wiersze do arkusza .xlsx z kolumną „Co poprawić”
        #[arg(long, value_name = "FILE.xlsx")]
        rejected_out: Option<PathBuf>,
        /// Podsumowanie jako JSON: imported, updated, skipped_duplicates, rejected [{row, column, message}]
        #[arg(long)]
        json: bool,
    },
    /// Zapisuje listę organizacji albo osób (wszystkie aktywne, w polskim porządku alfabetycznym)
    Export {
        /// Co wyeksportować
        what: ExportWhat,
        /// Plik wynikowy
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// xlsx, csv-excel (UTF-8 z BOM, średniki: dla polskiego Excela), csv (UTF-8, przecinki) albo vcf (tylko osoby); domyślnie według rozszerzenia pliku
        #[arg(long)]
        format: Option<String>,
    },
    /// Dodaje dane demonstracyjne: organizacje i osoby z poprawnymi identyfikatorami
    DemoData {
        /// Liczba organizacji
        #[arg(long, default_value_t = 200)]
        organizations: usize,
        /// Liczba osób
        #[arg(long, default_value_t = 500)]
        people: usize,
        /// Ziarno losowania (ten sam seed daje te same dane)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Liczba porad z ostatnich dwóch lat (domyślnie dwie na osobę, najwyżej 20 000)
        #[arg(long)]
        advice: Option<usize>,
        /// Liczba wydarzeń (domyślnie 12 + organizacje/10, najwyżej 48)
        #[arg(long)]
        events: Option<usize>,
        /// Dodaj także do rejestru, w którym już są dane (bez tego: tylko do pustej bazy)
        #[arg(long)]
        force: bool,
    },
    /// Szuka organizacji i osób (bez polskich znaków też: „lodz” znajdzie Łódź)
    Search {
        /// Szukany tekst
        text: String,
        /// Najwięcej wyników
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Wynik jako JSON (tablica obiektów z polami kind, id, name, detail, archived)
        #[arg(long)]
        json: bool,
    },
}

/// Runs a subcommand; returns the process exit code.
pub async fn run(db: PathBuf, command: Command) -> anyhow::Result<i32> {
    if let Command::Transfer { from, to, replace } = command {
        return transfer(&from, &to, replace).await;
    }
    let k = crate::connection::open(db.as_os_str()).await.map_err(|e| {
        // The terminal gets the Polish explanation; the log keeps the library's own words.
        tracing::error!(code = e.code(), error = ?e, "the database cannot be opened");
        anyhow::anyhow!("{e}")
    })?;
    match command {
        Command::Mail { command } => return mail(&k, command).await,
        Command::Letters { command } => {
            let code = letters::run(&k, command).await?;
            k.close().await;
            return Ok(code);
        }
        Command::Library { command } => {
            let code = library::run(&k, command).await?;
            k.close().await;
            return Ok(code);
        }
        Command::Publish {
            out,
            zip,
            english,
            skip,
        } => {
            let mut options = kartoteka_core::publish::PublishOptions {
                english,
                ..Default::default()
            };
            for part in &skip {
                match part.trim() {
                    "katalog" => options.directory = false,
                    "kalendarz" => options.calendar = false,
                    "konkursy" => options.grants = false,
                    "dane" => options.open_data = false,
                    "mapa" => options.map = false,
                    other => anyhow::bail!(
                        "Nieznana część „{other}”: katalog, kalendarz, konkursy, dane albo mapa."
                    ),
                }
            }
            let folder = std::path::absolute(&out)?;
            let summary = k
                .publish(&options, &folder.display().to_string(), zip)
                .await?;
            note!(
                "Opublikowano {} plików w {} (organizacje: {}, wydarzenia: {}, konkursy i nabory: {}).",
                summary.files,
                summary.folder,
                summary.organizations,
                summary.events,
                summary.grant_calls
            );
            if let Some(z) = &summary.zip_path {
                note!("Archiwum: {z}");
            }
        }
        Command::Rooms { command } => {
            let code = rooms::run(&k, command).await?;
            k.close().await;
            return Ok(code);
        }
        // Needs no database of `--db`: run above, before one is opened.
        Command::Transfer { .. } => unreachable!("transfer is handled before opening --db"),
        Command::Backup { out } => {
            let info = k.backup_to(&out).await?;
            note!(
                "Zapisano kopię {} ({} MB; organizacje: {}, osoby: {}, porady: {}).",
                info.path,
                info.size / 1_048_576,
                info.organizations,
                info.people,
                info.advice
            );
        }
        Command::Restore { file, yes } => {
            let info = kartoteka_core::backup::inspect(&file).await?;
            note!(
                "Kopia z {}: organizacje {}, osoby {}, porady {}, wydarzenia {}, wysłane wiadomości {}.",
                info.made_at, info.organizations, info.people, info.advice, info.events, info.messages
            );
            if !yes {
                use std::io::{BufRead, IsTerminal};
                if !std::io::stdin().is_terminal() {
                    anyhow::bail!("Przywrócenie zastępuje obecne dane: potwierdź, dodając --yes.");
                }
                let mut stderr = std::io::stderr().lock();
                let aside = if k.is_server() {
                    "Kopia tego, co jest teraz na serwerze, zostanie najpierw zapisana"
                } else {
                    "Obecny plik zostanie odłożony"
                };
                let _ = write!(
                    stderr,
                    "Zastąpić obecną bazę {} tą kopią? {aside}. [t/N] ",
                    k.database_path().display()
                );
                let _ = stderr.flush();
                drop(stderr);
                let mut answer = String::new();
                std::io::stdin().lock().read_line(&mut answer)?;
                if !matches!(
                    answer.trim().to_lowercase().as_str(),
                    "t" | "tak" | "y" | "yes"
                ) {
                    note!("Nic nie zmieniono.");
                    return Ok(1);
                }
            }
            let outcome = k.restore_from(&file).await?;
            // Opening the restored file checks it and brings an older schema up to date.
            let restored = crate::connection::open(db.as_os_str()).await?;
            let counts = restored.counts().await?;
            note!(
                "Przywrócono ({} organizacji, {} osób). Poprzedni plik: {}",
                counts.organizations,
                counts.people,
                outcome.kept_aside
            );
        }
        Command::Report {
            kind:
                ReportKind::Annual {
                    year,
                    out,
                    office,
                    introduction,
                    sections,
                },
        } => {
            if let Some(bad) = sections
                .iter()
                .find(|s| !kartoteka_core::reports::SECTIONS.contains(&s.as_str()))
            {
                anyhow::bail!("Nieznana część sprawozdania „{bad}”: advice, consultations, events albo register.");
            }
            let introduction = match introduction {
                Some(p) => std::fs::read_to_string(&p)
                    .map_err(|e| anyhow::anyhow!("Nie udało się odczytać {}: {e}", p.display()))?,
                None => String::new(),
            };
            if out
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
            {
                k.annual_xlsx(year, &out).await?;
                note!("Zapisano {}.", out.display());
            } else {
                let opts = kartoteka_core::reports::AnnualOptions {
                    office,
                    introduction,
                    sections,
                    ..Default::default()
                };
                let pages = k.annual_report(year, &opts, &out).await?;
                note!("Zapisano {} (strony: {pages}).", out.display());
            }
        }
        Command::Stats {
            command: StatsCommand::Import { files },
        } => {
            for f in k.import_stats(&files).await? {
                let code = f
                    .code
                    .as_deref()
                    .map(|c| format!(", kod biura {c}"))
                    .unwrap_or_else(|| ", plik bez kodu biura".into());
                let replaced = if f.replaced_uncoded {
                    "; zastąpił wcześniejszy plik tego biura bez kodu"
                } else {
                    ""
                };
                note!("Wczytano: {} ({}{code}{replaced}).", f.office, f.year);
            }
        }
        Command::Report {
            kind:
                ReportKind::Starosta {
                    from,
                    to,
                    point,
                    out,
                    json,
                },
        } => {
            let code = legal_aid::starosta(&k, &from, &to, point.as_deref(), out, json).await?;
            if code != 0 {
                return Ok(code);
            }
        }
        Command::Report {
            kind: ReportKind::Cooperation { year, out, json },
        } => {
            match &out {
                Some(path)
                    if path
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) =>
                {
                    k.cooperation_report_xlsx(year, path).await?;
                    note!("Zapisano {}.", path.display());
                }
                Some(path) => {
                    let pages = k.cooperation_report_pdf(year, path).await?;
                    note!("Zapisano {} (strony: {pages}).", path.display());
                }
                None => {}
            }
            if json {
                out!(
                    "{}",
                    serde_json::to_string_pretty(&k.cooperation_report(year).await?)?
                );
            } else if out.is_none() {
                let r = k.cooperation_report(year).await?;
                let f = &r.current;
                out!(
                    "Rok {year}: konkursy {}, oferty {} (odrzucone formalnie {}, z dotacją {}), umowy {}, dotacje {}; art. 19a: oferty {}, umowy {}, dotacje {}.",
                    f.competitions,
                    f.offers,
                    f.offers_rejected_formal,
                    f.offers_granted,
                    f.contracts,
                    kartoteka_core::money::format_grosze(f.granted_grosze),
                    f.small_offers,
                    f.small_contracts,
                    kartoteka_core::money::format_grosze(f.small_granted_grosze)
                );
            }
        }
        Command::Report {
            kind: ReportKind::Consultation { id, out },
        } => {
            let pages = k.consultation_report_pdf(id, &out).await?;
            note!("Zapisano {} (strony: {pages}).", out.display());
        }
        Command::Report {
            kind: ReportKind::Network { year, out, union },
        } => {
            let pages = k.network_report(year, &union, &out).await?;
            note!("Zapisano {} (strony: {pages}).", out.display());
        }
        Command::Stats {
            command: StatsCommand::Export { year, out, office },
        } => {
            let f = k.export_stats(year, &office, &out).await?;
            note!(
                "Zapisano {} (porady: {}, wydarzenia: {}; kod biura: {}).",
                out.display(),
                f.advice_total,
                f.events_total,
                f.bureau_code
            );
        }
        Command::Report {
            kind: ReportKind::Attendance { event, out, office },
        } => {
            let pages = k.attendance_pdf(event, &office, &out).await?;
            note!("Zapisano {} (strony: {pages}).", out.display());
        }
        Command::Report {
            kind:
                ReportKind::Directory {
                    out,
                    group_by,
                    public_only: _,
                    all,
                    members_only,
                    title,
                    office,
                },
        } => {
            // Public only unless --all, like the window: no one is published without consent by default.
            let opts = DirectoryOptions {
                group_by: GroupBy::parse(&group_by)?,
                public_only: !all,
                members_only,
                title,
                office,
            };
            let s = k
                .directory_pdf(&OrganizationQuery::default(), &opts, &out)
                .await?;
            note!(
                "Zapisano {} (organizacje: {}, strony: {}).",
                s.path,
                s.organizations,
                s.pages
            );
        }
        Command::Export { what, out, format } => {
            let format = match format {
                Some(f) => ExportFormat::parse(&f)?,
                None => ExportFormat::from_path(&out).ok_or_else(|| {
                    anyhow::anyhow!(
                        "Podaj --format albo plik z rozszerzeniem .xlsx, .csv lub .vcf."
                    )
                })?,
            };
            let summary = match what {
                ExportWhat::Organizations => {
                    k.export_organizations(&OrganizationQuery::default(), format, &out)
                        .await?
                }
                ExportWhat::People => {
                    k.export_people(&PersonQuery::default(), format, &out)
                        .await?
                }
            };
            note!(
                "Zapisano {} (wierszy danych: {}).",
                summary.path,
                summary.rows
            );
        }
        Command::Import {
            what,
            file,
            dry_run,
            on_duplicate,
            mapping,
            sheet,
            header_row,
            rejected_out,
            json,
        } => {
            let header_mapping = match mapping {
                Some(path) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        anyhow::anyhow!("Nie udało się odczytać {}: {e}", path.display())
                    })?;
                    Some(serde_json::from_str(&text).map_err(|e| {
                        anyhow::anyhow!("{} nie jest poprawnym przypisaniem kolumn (JSON {{\"nagłówek\": \"pole\"}}): {e}", path.display())
                    })?)
                }
                None => None,
            };
            let options = ImportOptions {
                kind: match what {
                    ImportWhat::Organizations => ImportKind::Organizations,
                    ImportWhat::People => ImportKind::People,
                    ImportWhat::Library => ImportKind::Library,
                },
                sheet,
                header_row,
                columns: None,
                header_mapping,
                on_duplicate: match on_duplicate {
                    OnDuplicate::Skip => DuplicatePolicy::Skip,
                    OnDuplicate::Update => DuplicatePolicy::Update,
                    OnDuplicate::Add => DuplicatePolicy::Add,
                },
                row_decisions: Default::default(),
            };
            let report = k
                .import(
                    &file,
                    &options,
                    dry_run,
                    None,
                    Arc::new(AtomicBool::new(false)),
                )
                .await?;
            if let Some(out) = rejected_out {
                let n = k.write_rejected_rows(&file, &options, &out).await?;
                note!("Odrzucone wiersze ({n}) zapisano w {}.", out.display());
            }
            if json {
                out!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                let verb = if dry_run { "Do wczytania" } else { "Wczytano" };
                note!(
                    "{verb}: nowe {}, zaktualizowane {}, pominięte duplikaty {}, odrzucone wiersze {}.",
                    report.imported,
                    report.updated,
                    report.skipped_duplicates,
                    report.rejected.iter().map(|r| r.row).collect::<std::collections::BTreeSet<_>>().len()
                );
                for r in &report.rejected {
                    let column = r
                        .column
                        .as_deref()
                        .map(|c| format!(" [{c}]"))
                        .unwrap_or_default();
                    note!("  wiersz {}{column}: {}", r.row, r.message);
                }
            }
        }
        Command::DemoData {
            organizations,
            people,
            seed,
            advice,
            events,
            force,
        } => {
            let started = std::time::Instant::now();
            let s = demo::generate_with(
                &k,
                organizations,
                people,
                seed,
                demo::Activity {
                    advice,
                    events,
                    force,
                },
            )
            .await?;
            note!(
                "Dodano {} organizacji, {} osób, {} zgód, {} porad, {} wydarzeń i {} rezerwacji sal w {:.1} s ({}).",
                s.organizations,
                s.people,
                s.consents,
                s.advice,
                s.events,
                s.bookings,
                started.elapsed().as_secs_f64(),
                // The store's address: a server's without its password.
                k.database_path().display()
            );
        }
        Command::Search { text, limit, json } => {
            let hits = k.search(&text, limit).await?;
            if json {
                out!("{}", serde_json::to_string_pretty(&hits)?);
            } else if hits.is_empty() {
                note!("Nic nie znaleziono.");
            } else {
                for h in hits {
                    let kind = match h.kind {
                        RecordKind::Organization => "organizacja",
                        RecordKind::Person => "osoba",
                        RecordKind::Advice => "porada",
                    };
                    let detail = h
                        .detail
                        .map(|d| format!(" — {}", field(&d)))
                        .unwrap_or_default();
                    let archived = if h.archived { " [archiwum]" } else { "" };
                    out!(
                        "{kind:<12} {:>7}  {}{detail}{archived}",
                        h.id,
                        field(&h.name)
                    );
                }
            }
        }
    }
    k.close().await;
    Ok(0)
}

/// `kartoteka transfer`: file → server or server → file, with progress and both sides'
/// counts; exit code 3 when the counts disagree.
async fn transfer(from: &str, to: &str, replace: bool) -> anyhow::Result<i32> {
    use kartoteka_core::store::is_server_address;
    let failed = |e: kartoteka_core::Error| {
        tracing::error!(code = e.code(), error = ?e, "transfer failed");
        anyhow::anyhow!("{e}")
    };
    let report = match (is_server_address(from), is_server_address(to)) {
        (false, true) => {
            let file = Kartoteka::open(std::path::Path::new(from))
                .await
                .map_err(failed)?;
            let (url, settings) = crate::connection::with_password(to).map_err(failed)?;
            let shown = std::sync::atomic::AtomicU64::new(u64::MAX);
            let progress = |done: u64, total: u64| {
                // A line per tenth, not per batch.
                let tenth = done * 10 / total.max(1);
                if shown.swap(tenth, std::sync::atomic::Ordering::Relaxed) != tenth {
                    note!("Przeniesiono {done} z {total} wierszy.");
                }
            };
            let (server, report) = file
                .transfer_to_server(
                    &url,
                    replace,
                    &crate::connection::backup_folder(&settings),
                    &progress,
                )
                .await
                .map_err(failed)?;
            if let Some(kept) = &report.kept_aside {
                note!("Kopia tego, co było na serwerze: {kept}");
            }
            server.close().await;
            file.close().await;
            report
        }
        (true, false) => {
            let server = crate::connection::open(std::ffi::OsStr::new(from))
                .await
                .map_err(failed)?;
            note!("Kopiowanie z serwera do pliku {to}…");
            let report = server
                .transfer_to_file(std::path::Path::new(to))
                .await
                .map_err(failed)?;
            server.close().await;
            report
        }
        _ => anyhow::bail!(
            "Przenieść można z pliku na serwer (--from PLIK.db --to postgres://…) albo z serwera do pliku (--from postgres://… --to PLIK.db)."
        ),
    };
    note!("{:<32} {:>10} {:>10}", "tabela", "plik", "serwer");
    for c in &report.tables {
        let mark = if c.file == c.server {
            ""
        } else {
            "  ← różnica"
        };
        note!("{:<32} {:>10} {:>10}{mark}", c.table, c.file, c.server);
    }
    if report.agree {
        note!("Liczby wierszy obu stron się zgadzają.");
        Ok(0)
    } else {
        note!("Liczby wierszy się NIE zgadzają: sprawdź, czy nikt nie pracował w tym czasie na serwerze, i powtórz.");
        Ok(3)
    }
}

/// The SMTP target for a CLI run: `--smtp` if given, else the saved settings with the
/// password from the OS secret store (or KARTOTEKA_SMTP_PASSWORD).
async fn smtp_target(
    k: &Kartoteka,
    url: Option<&str>,
) -> anyhow::Result<(SmtpTarget, MailSettings)> {
    let settings = k.mail_settings().await?;
    let target = match url {
        Some(u) => SmtpTarget::from_url(u)?,
        None => {
            let password = (!settings.username.is_empty())
                .then(|| crate::secrets::load(&settings.username, &settings.host))
                .flatten();
            SmtpTarget::from_settings(&settings, password)?
        }
    };
    if settings.from_address.is_empty() {
        anyhow::bail!("Ustaw adres nadawcy w oknie programu (Poczta → Ustawienia poczty).");
    }
    Ok((target, settings))
}

async fn mail(k: &Kartoteka, command: MailCommand) -> anyhow::Result<i32> {
    match command {
        MailCommand::Lists { json } => {
            let lists = k.mailing_lists().await?;
            if json {
                let rows: Vec<serde_json::Value> = lists
                    .iter()
                    .map(|l| {
                        serde_json::json!({
                            "name": l.name,
                            "recipients": l.count.recipients,
                            "segment": l.is_segment,
                            "skipped_no_consent": l.count.skipped_no_consent,
                            "left_out": l.count.left_out,
                        })
                    })
                    .collect();
                out!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for l in &lists {
                    out!(
                        "{}\t{} adresatów\t(bez zgody: {})",
                        field(&l.name),
                        l.count.recipients,
                        l.count.skipped_no_consent
                    );
                }
            }
            Ok(0)
        }
        MailCommand::Send {
            list,
            subject,
            body_file,
            smtp,
            rate,
            json,
        } => {
            let body = std::fs::read_to_string(&body_file).map_err(|e| {
                anyhow::anyhow!("Nie udało się odczytać {}: {e}", body_file.display())
            })?;
            let list_id = k.mailing_list_id(&list).await?.ok_or_else(|| {
                anyhow::anyhow!("Nie ma listy „{list}”. Listy: kartoteka mail lists")
            })?;
            let (target, mut settings) = smtp_target(k, smtp.as_deref()).await?;
            if let Some(r) = rate {
                settings.rate_per_minute = r;
            }
            let input = MessageInput {
                kind: MessageKind::Bulletin,
                is_template: false,
                subject,
                body,
                list_id: Some(list_id),
            };
            let id = k.save_message(None, &input).await?;
            let queued = k.enqueue_message(id).await?;
            if !json {
                note!(
                    "W kolejce: {} (pominięci bez zgody: {}, inni pominięci: {}).",
                    queued.queued,
                    queued.skipped_no_consent,
                    queued.skipped_other
                );
            }
            run_queue(k, target, settings, Some(id), json).await
        }
        MailCommand::Resume { smtp, rate, json } => {
            let (target, mut settings) = smtp_target(k, smtp.as_deref()).await?;
            if let Some(r) = rate {
                settings.rate_per_minute = r;
            }
            k.resume_paused().await?;
            run_queue(k, target, settings, None, json).await
        }
    }
}

async fn run_queue(
    k: &Kartoteka,
    target: SmtpTarget,
    settings: MailSettings,
    only: Option<i64>,
    json: bool,
) -> anyhow::Result<i32> {
    let pause = AtomicBool::new(false);
    let quiet = json;
    let on_progress = move |p: &kartoteka_core::mail::send::Progress| {
        if !quiet && p.counts.sent % 50 == 0 {
            note!("Wysłano {} z {}.", p.counts.sent, p.counts.total());
        }
    };
    let result = k
        .run_queue(RunOptions {
            target,
            settings,
            only,
            pause: &pause,
            on_progress: &on_progress,
        })
        .await;
    let s = match result {
        Ok(s) => s,
        Err(e) if json => {
            out!(
                "{}",
                serde_json::json!({"error": e.code(), "message": e.to_string()})
            );
            return Ok(1);
        }
        Err(e) => return Err(e.into()),
    };
    if json {
        out!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        note!(
            "Wysłano: {}, nieudane: {}, niepewne: {}, w kolejce: {}, pominięci bez zgody: {}.",
            s.sent,
            s.failed,
            s.uncertain,
            s.queued,
            s.skipped_no_consent
        );
    }
    Ok(if s.failed + s.uncertain + s.queued > 0 {
        2
    } else {
        0
    })
}
