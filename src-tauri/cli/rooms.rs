//! `kartoteka rooms …`: the room bookings from a script — the calendar as an iCalendar file,
//! and booking a slot (exit code 3 with the holder named when it is taken).

use super::{field, out_line};
use clap::Subcommand;
use kartoteka_core::rooms::BookingInput;
use kartoteka_core::text::fold;
use kartoteka_core::Kartoteka;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum RoomsCommand {
    /// Zapisuje rezerwacje sal jako kalendarz iCalendar (.ics) dla Thunderbirda lub Outlooka
    Calendar {
        /// Plik wynikowy (.ics)
        #[arg(long, value_name = "FILE.ics")]
        out: PathBuf,
        /// Tylko ta sala (nazwa)
        #[arg(long)]
        room: Option<String>,
        /// Od dnia DD.MM.RRRR (domyślnie 30 dni temu)
        #[arg(long)]
        since: Option<String>,
        /// Do dnia DD.MM.RRRR (domyślnie rok od dziś)
        #[arg(long)]
        until: Option<String>,
    },
    /// Drukuje plan rezerwacji na drzwi każdej sali (PDF A4, strona na salę)
    Door {
        /// Plik wynikowy (.pdf)
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Tylko ta sala (nazwa)
        #[arg(long)]
        room: Option<String>,
        /// Pierwszy dzień DD.MM.RRRR (domyślnie poniedziałek bieżącego tygodnia)
        #[arg(long)]
        from: Option<String>,
        /// Liczba dni: 1 (plan dnia) do 7 (plan tygodnia)
        #[arg(long, default_value_t = 7)]
        days: u32,
        /// Nazwa biura w nagłówku (domyślnie z Danych biura)
        #[arg(long)]
        office: Option<String>,
    },
    /// Rezerwuje salę; gdy termin jest zajęty, kończy się kodem 3 i mówi, kto go ma
    Book {
        /// Nazwa sali lub stanowiska
        #[arg(long)]
        room: String,
        /// Początek: 'DD.MM.RRRR GG:MM'
        #[arg(long)]
        from: String,
        /// Koniec: 'DD.MM.RRRR GG:MM' albo 'GG:MM' (ten sam dzień)
        #[arg(long)]
        to: String,
        /// Organizacja z rejestru (pełna nazwa)
        #[arg(long = "for", value_name = "ORGANISATION")]
        for_organization: String,
        /// Cel rezerwacji (domyślnie „rezerwacja sali”)
        #[arg(long)]
        purpose: Option<String>,
        /// Liczba osób
        #[arg(long)]
        people: Option<u32>,
        /// Wynik jako JSON: {"id", "warnings"} albo {"error", "message", "field"}
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(k: &Kartoteka, command: RoomsCommand) -> anyhow::Result<i32> {
    match command {
        RoomsCommand::Calendar {
            out,
            room,
            since,
            until,
        } => {
            let today = chrono::Local::now().date_naive();
            let from = match since {
                Some(s) => kartoteka_core::register::parse_date(&s)
                    .map_err(|e| anyhow::anyhow!("--since: {}", e.0))?,
                None => today - chrono::Days::new(30),
            };
            let to = match until {
                Some(s) => kartoteka_core::register::parse_date(&s)
                    .map_err(|e| anyhow::anyhow!("--until: {}", e.0))?,
                None => today + chrono::Days::new(365),
            };
            let resource = match room {
                Some(name) => Some(find_room(k, &name).await?),
                None => None,
            };
            let n = k.export_icalendar(resource, from, to, &out).await?;
            note!("Zapisano {n} rezerwacji do {}.", out.display());
            Ok(0)
        }
        RoomsCommand::Door {
            out,
            room,
            from,
            days,
            office,
        } => {
            let today = chrono::Local::now().date_naive();
            let from = match from {
                Some(s) => kartoteka_core::register::parse_date(&s)
                    .map_err(|e| anyhow::anyhow!("--from: {}", e.0))?,
                None => {
                    today
                        - chrono::Days::new(u64::from(
                            chrono::Datelike::weekday(&today).num_days_from_monday(),
                        ))
                }
            };
            let resource = match room {
                Some(name) => Some(find_room(k, &name).await?),
                None => None,
            };
            let pages = k
                .door_schedule(resource, from, days, office.as_deref().unwrap_or(""), &out)
                .await?;
            note!("Zapisano plan sal ({pages} str.) do {}.", out.display());
            Ok(0)
        }
        RoomsCommand::Book {
            room,
            from,
            to,
            for_organization,
            purpose,
            people,
            json,
        } => {
            let resource_id = find_room(k, &room).await?;
            let organization_id = find_organization(k, &for_organization).await?;
            let (day, starts) = from.trim().split_once(' ').ok_or_else(|| {
                anyhow::anyhow!("--from: podaj dzień i godzinę, np. '07.12.2026 10:00'.")
            })?;
            let ends = match to.trim().split_once(' ') {
                Some((to_day, time)) if to_day.trim() == day.trim() => time.to_string(),
                Some(_) => anyhow::bail!(
                    "--to: rezerwacja musi kończyć się tego samego dnia, w którym się zaczyna."
                ),
                None => to.trim().to_string(),
            };
            let input = BookingInput {
                resource_id: Some(resource_id),
                day: day.trim().to_string(),
                starts: starts.trim().to_string(),
                ends,
                organization_id: Some(organization_id),
                purpose: purpose.unwrap_or_else(|| "rezerwacja sali".into()),
                people_count: people.map(|p| p.to_string()).unwrap_or_default(),
                ..Default::default()
            };
            match k.save_booking(None, &input).await {
                Ok(saved) => {
                    if json {
                        out_line(format_args!("{}", serde_json::to_string_pretty(&saved)?))?;
                    } else {
                        out_line(format_args!("{}", saved.id))?;
                        for w in &saved.warnings {
                            note!("Uwaga: {}", w.message);
                        }
                    }
                    Ok(0)
                }
                Err(e) => {
                    let taken = e
                        .field_errors()
                        .iter()
                        .any(|f| f.field == "starts" && f.message.contains("zarezerwowana"));
                    let message = match e.field_errors() {
                        [] => e.to_string(),
                        errors => errors
                            .iter()
                            .map(|f| f.message.clone())
                            .collect::<Vec<_>>()
                            .join(" "),
                    };
                    if json {
                        out_line(format_args!(
                            "{}",
                            serde_json::json!({"error": e.code(), "message": message, "field": e.field_errors().first().map(|f| f.field.clone())})
                        ))?;
                    } else {
                        note!("{}", field(&message));
                    }
                    Ok(if taken { 3 } else { 1 })
                }
            }
        }
    }
}

/// A room by its name, letter case and Polish letters aside.
async fn find_room(k: &Kartoteka, name: &str) -> anyhow::Result<i64> {
    let wanted = fold(name.trim());
    let all = k.resources(true).await?;
    match all.iter().find(|r| fold(&r.name) == wanted) {
        Some(r) => Ok(r.id),
        None => {
            let names: Vec<String> = all.iter().map(|r| r.name.clone()).collect();
            anyhow::bail!(
                "Nie ma sali „{}”. Sale: {}.",
                name.trim(),
                if names.is_empty() {
                    "(żadnej — dodaj w Ustawieniach)".into()
                } else {
                    names.join(", ")
                }
            )
        }
    }
}

/// An organisation of the register by its full name.
pub(super) async fn find_organization(k: &Kartoteka, name: &str) -> anyhow::Result<i64> {
    let wanted = fold(name.trim());
    let hits = k.search(name, 50).await?;
    hits.iter()
        .find(|h| {
            h.kind == kartoteka_core::register::RecordKind::Organization && fold(&h.name) == wanted
        })
        .map(|h| h.id)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "Nie ma w rejestrze organizacji „{}” (podaj pełną nazwę).",
                name.trim()
            )
        })
}
