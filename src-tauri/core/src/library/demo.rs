//! A demo library for `demo-data`: a few hundred social-affairs titles with copies and
//! inventory numbers, two years of loans (most returned, some out, a few overdue), so the
//! catalogue, the loan lists and the reminders have content.

use crate::error::Result;
use crate::library::{CopyInput, LoanInput, TitleInput, TitleQuery};
use crate::Kartoteka;
use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const OPENINGS: [&str; 16] = [
    "Podręcznik",
    "Kompendium",
    "Metody",
    "Ćwiczenia z",
    "Wyzwania",
    "Poradnik",
    "Vademecum",
    "ABC",
    "Praktyka",
    "Wprowadzenie do",
    "Zarys",
    "Standardy",
    "Przewodnik po",
    "Dobre praktyki:",
    "Krok po kroku:",
    "Studia przypadków:",
];

const SUBJECTS: [(&str, &str); 20] = [
    ("animacji lokalnej", "rozwój lokalny"),
    ("rzecznictwa", "rzecznictwo"),
    ("pracy z młodzieżą", "młodzież"),
    ("przeciwdziałania wykluczeniu", "pomoc społeczna"),
    ("dostępności", "dostępność"),
    ("ewaluacji projektów", "zarządzanie"),
    ("spółdzielczości socjalnej", "ekonomia społeczna"),
    ("mediacji", "prawo"),
    ("ekonomii społecznej", "ekonomia społeczna"),
    ("fundraisingu", "fundraising"),
    ("wolontariatu", "wolontariat"),
    ("zarządzania organizacją", "zarządzanie"),
    ("księgowości stowarzyszeń", "finanse i księgowość"),
    ("partycypacji obywatelskiej", "partycypacja"),
    ("pomocy społecznej", "pomoc społeczna"),
    ("pracy z seniorami", "seniorzy"),
    ("edukacji pozaformalnej", "edukacja"),
    ("komunikacji i PR", "komunikacja"),
    ("ochrony danych osobowych", "RODO"),
    ("współpracy z samorządem", "współpraca z samorządem"),
];

const AUTHORS: [&str; 14] = [
    "Anna Kowalska",
    "Piotr Nowak",
    "Małgorzata Wiśniewska",
    "Jan Wójcik",
    "Katarzyna Kamińska",
    "Tomasz Lewandowski",
    "Ewa Zielińska",
    "Paweł Szymański",
    "Agnieszka Woźniak",
    "Łukasz Dąbrowski",
    "Joanna Kozłowska",
    "Michał Jankowski",
    "Zofia Mazur",
    "Grzegorz Krawczyk",
];

const PUBLISHERS: [&str; 6] = [
    "Wydawnictwo Klon/Jawor",
    "Fundacja Instytut Spraw Publicznych",
    "Wolters Kluwer",
    "Wydawnictwo Naukowe PWN",
    "Stowarzyszenie ROPS",
    "Fundacja Rozwoju Społeczeństwa Obywatelskiego",
];

/// Adds the catalogue and loans when the library is empty; returns how many titles.
pub(crate) async fn generate(
    k: &Kartoteka,
    rng: &mut ChaCha8Rng,
    person_ids: &[i64],
    today: NaiveDate,
) -> Result<usize> {
    let existing = k
        .library_titles(&TitleQuery {
            limit: 1,
            ..Default::default()
        })
        .await?;
    if existing.total > 0 {
        return Ok(0);
    }
    let mut copies = Vec::new();
    let mut inventory = 1;
    let mut titles = 0;
    for (n, opening) in OPENINGS.iter().enumerate() {
        for (m, (topic, subject)) in SUBJECTS.iter().enumerate() {
            // About 300 titles: most openings with most topics.
            if (n + m) % 5 == 4 && n > 0 {
                continue;
            }
            let edition = if (n * 7 + m) % 9 == 0 {
                " Wydanie II"
            } else {
                ""
            };
            let id = k
                .save_library_title(
                    None,
                    &TitleInput {
                        title: format!("{opening} {topic}{edition}"),
                        author: AUTHORS.choose(rng).unwrap().to_string(),
                        publisher: PUBLISHERS.choose(rng).unwrap().to_string(),
                        year: rng.gen_range(2008..=2026).to_string(),
                        shelf_mark: format!("{}-{:03}", (b'A' + m as u8) as char, n * 10 + 1),
                        subject: subject.to_string(),
                        copies: if rng.gen_bool(0.3) { "2" } else { "1" }.into(),
                        ..Default::default()
                    },
                )
                .await?;
            titles += 1;
            for copy in k.library_title(id).await?.copies {
                k.save_library_copy(
                    Some(copy.id),
                    &CopyInput {
                        item_id: Some(id),
                        inventory_number: format!("{inventory:04}"),
                        state: if rng.gen_bool(0.2) { "worn" } else { "good" }.into(),
                        ..Default::default()
                    },
                )
                .await?;
                inventory += 1;
                copies.push(copy.id);
            }
        }
    }
    if person_ids.is_empty() {
        return Ok(titles);
    }
    copies.shuffle(rng);
    let date = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
    for (i, copy) in copies.iter().take(200).enumerate() {
        let reader = *person_ids.choose(rng).unwrap();
        // Of every ten: seven went out and came back over two years, two are out now, one is
        // overdue.
        let returned = i % 10 < 7;
        let lent_on = match i % 10 {
            0..7 => today - Duration::days(rng.gen_range(60..700)),
            7..9 => today - Duration::days(rng.gen_range(1..25)),
            _ => today - Duration::days(rng.gen_range(35..90)),
        };
        let loan = k
            .lend_copy(&LoanInput {
                copy_id: Some(*copy),
                person_id: Some(reader),
                lent_on: date(lent_on),
                due_on: date(lent_on + Duration::days(30)),
                ..Default::default()
            })
            .await?;
        if returned {
            let back = (lent_on + Duration::days(rng.gen_range(5..45))).min(today);
            k.return_loan(loan, &date(back)).await?;
        }
    }
    Ok(titles)
}
