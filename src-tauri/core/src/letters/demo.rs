//! Demo correspondence for `demo-data`: a few organisations using the centre's address (one
//! agreement already ended) and two months of items, most picked up, some waiting.

use crate::error::Result;
use crate::letters::{AgreementInput, LetterInput};
use crate::Kartoteka;
use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const SENDERS: [&str; 8] = [
    "Urząd Skarbowy",
    "Urząd Miasta — Wydział Spraw Społecznych",
    "Sąd Rejonowy — KRS",
    "Narodowy Instytut Wolności",
    "Zakład Ubezpieczeń Społecznych",
    "Bank Spółdzielczy",
    "Fundacja Partnerska",
    "Urząd Marszałkowski",
];

const KINDS: [&str; 5] = ["list", "list", "polecony", "polecony", "awizo"];

/// Adds agreements and items when the log is empty; returns how many items were logged.
pub(crate) async fn generate(
    k: &Kartoteka,
    rng: &mut ChaCha8Rng,
    org_ids: &[i64],
    today: NaiveDate,
) -> Result<usize> {
    if org_ids.len() < 6 || !k.agreements(None).await?.is_empty() {
        return Ok(0);
    }
    let users: Vec<i64> = org_ids.iter().skip(1).take(5).copied().collect();
    for (i, org) in users.iter().enumerate() {
        let ended = i == 4;
        k.save_agreement(
            None,
            &AgreementInput {
                organization_id: Some(*org),
                valid_from: (today - Duration::days(500 - 60 * i as i64))
                    .format("%d.%m.%Y")
                    .to_string(),
                valid_until: if ended {
                    (today - Duration::days(20)).format("%d.%m.%Y").to_string()
                } else {
                    String::new()
                },
                notify_by: if i == 3 {
                    "phone".into()
                } else {
                    "email".into()
                },
                ..Default::default()
            },
        )
        .await?;
    }
    let mut made = 0;
    for days_ago in (0..60).rev() {
        if !rng.gen_bool(0.35) {
            continue;
        }
        let org = *users.choose(rng).expect("organisations");
        let kind = *KINDS.choose(rng).expect("kinds");
        let id = k
            .save_letter(
                None,
                &LetterInput {
                    received_on: (today - Duration::days(days_ago))
                        .format("%d.%m.%Y")
                        .to_string(),
                    sender: SENDERS.choose(rng).expect("senders").to_string(),
                    organization_id: Some(org),
                    kind: kind.into(),
                    tracking_number: if kind == "polecony" {
                        format!("RR{:09}PL", rng.gen_range(0..1_000_000_000u32))
                    } else {
                        String::new()
                    },
                    item_count: if rng.gen_bool(0.1) {
                        "2".into()
                    } else {
                        "1".into()
                    },
                    ..Default::default()
                },
            )
            .await?;
        made += 1;
        if days_ago > 10 && rng.gen_bool(0.85) {
            let on = today - Duration::days(days_ago - rng.gen_range(1..8));
            k.pick_up_letters(&[id], &on.format("%d.%m.%Y").to_string(), "Jan Kowalski")
                .await?;
        }
    }
    Ok(made)
}
