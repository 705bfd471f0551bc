//! `kartoteka letters …`: the correspondence log from a script — what is waiting for pickup.

use super::{field, out_line};
use clap::Subcommand;
use kartoteka_core::Kartoteka;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum LettersCommand {
    /// Przesyłki czekające na odbiór, najdłużej czekające pierwsze (z liczbą dni)
    Waiting {
        /// Wynik jako JSON: [{id, received_on, sender, organization_id, organization_name, kind, days_waiting, notified_at, outside_agreement, …}]
        #[arg(long)]
        json: bool,
    },
    /// Drukuje potwierdzenie odbioru przesyłek czekających na organizację (PDF z kolumną na podpis)
    Sheet {
        /// Organizacja z rejestru (pełna nazwa)
        #[arg(long = "for", value_name = "ORGANISATION")]
        for_organization: String,
        /// Plik wynikowy (.pdf)
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

pub async fn run(k: &Kartoteka, command: LettersCommand) -> anyhow::Result<i32> {
    match command {
        LettersCommand::Sheet {
            for_organization,
            out,
        } => {
            let id = super::rooms::find_organization(k, &for_organization).await?;
            let pages = k.pickup_sheet(id, &out).await?;
            note!(
                "Zapisano potwierdzenie odbioru ({pages} str.) do {}.",
                out.display()
            );
            Ok(0)
        }
        LettersCommand::Waiting { json } => {
            let mut all = Vec::new();
            let mut offset = 0;
            loop {
                let page = k.letters_waiting(offset, 500).await?;
                let n = page.items.len() as u32;
                all.extend(page.items);
                offset += n;
                if n == 0 || u64::from(offset) >= page.total {
                    break;
                }
            }
            if json {
                out!("{}", serde_json::to_string_pretty(&all)?);
            } else if all.is_empty() {
                note!("Nic nie czeka na odbiór.");
            } else {
                for l in &all {
                    let flag = if l.outside_agreement {
                        " [poza umową adresową]"
                    } else {
                        ""
                    };
                    let told = if l.notified_at.is_some() {
                        " (powiadomiono)"
                    } else {
                        ""
                    };
                    out!(
                        "{}  {:>3} dni  {}  {} — od: {}{told}{flag}",
                        l.received_on.format("%d.%m.%Y"),
                        l.days_waiting,
                        field(&l.organization_name),
                        kartoteka_core::letters::kind_label(&l.kind),
                        field(&l.sender)
                    );
                }
            }
            Ok(0)
        }
    }
}
