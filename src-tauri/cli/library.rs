//! `kartoteka library …`: the library from a script — the loans past their due date, the
//! reminders for them through the mail queue, and the printed list.

use super::{field, out_line};
use clap::Subcommand;
use kartoteka_core::Kartoteka;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum LibraryCommand {
    /// Książki po terminie zwrotu, najdłużej przetrzymywane pierwsze
    Overdue {
        /// Wynik jako JSON: [{id, title, inventory_number, borrower_name, borrower_email, lent_on, due_on, days_overdue, reminders_sent, …}]
        #[arg(long)]
        json: bool,
    },
    /// Dopisuje do kolejki poczty przypomnienia o zwrocie, które dziś przypadają (pierwsze, drugie)
    Remind,
    /// Drukuje listę zaległych wypożyczeń (PDF), np. do obdzwonienia czytelników bez e-maila
    Sheet {
        /// Plik wynikowy (.pdf)
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Tylko czytelnicy bez adresu e-mail
        #[arg(long)]
        without_email: bool,
    },
}

pub async fn run(k: &Kartoteka, command: LibraryCommand) -> anyhow::Result<i32> {
    match command {
        LibraryCommand::Overdue { json } => {
            let mut all = Vec::new();
            loop {
                let page = k.library_overdue(all.len() as u32, 500).await?;
                let n = page.items.len();
                all.extend(page.items);
                if n == 0 || all.len() as u64 >= page.total {
                    break;
                }
            }
            if json {
                out!("{}", serde_json::to_string_pretty(&all)?);
            } else if all.is_empty() {
                note!("Żadna książka nie jest przetrzymywana po terminie.");
            } else {
                for l in &all {
                    out!(
                        "{}  {:>3} dni po terminie  {}{}  — {}{}",
                        l.due_on.format("%d.%m.%Y"),
                        l.days_overdue,
                        field(&l.title),
                        l.inventory_number
                            .as_deref()
                            .map(|i| format!(" (nr {})", field(i)))
                            .unwrap_or_default(),
                        l.borrower_name
                            .as_deref()
                            .map(field)
                            .unwrap_or_else(|| "(czytelnik usunięty)".into()),
                        match l.reminders_sent {
                            0 => String::new(),
                            n => format!(" [przypomnienia: {n}]"),
                        }
                    );
                }
            }
            Ok(0)
        }
        LibraryCommand::Remind => {
            let done = k.send_overdue_reminders().await?;
            note!(
                "Dopisano do kolejki przypomnień: pierwszych {}, drugich {}. Bez adresu e-mail: {} (wydrukuj listę: library sheet --without-email).",
                done.first,
                done.second,
                done.without_email
            );
            Ok(0)
        }
        LibraryCommand::Sheet { out, without_email } => {
            let pages = k.overdue_sheet(&out, without_email).await?;
            note!(
                "Zapisano listę zaległych wypożyczeń ({pages} str.) do {}.",
                out.display()
            );
            Ok(0)
        }
    }
}
