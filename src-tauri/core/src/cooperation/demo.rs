//! Demo cooperation programme for `demo-data`: last year's and this year's programme with
//! priority tasks, competitions with offers (some rejected formally, some refused, most
//! granted with contracts, one terminated with a return), art. 19a small grants, two
//! consultations of draft acts with opinions, a working group with its meetings and the log of
//! patronages, information and premises, so the report has both years to compare.

use crate::cooperation::*;
use crate::error::Result;
use crate::Kartoteka;
use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Priority tasks: (title, sphere code, planned złoty).
const TASKS: [(&str, &str, i64); 5] = [
    ("Wsparcie osób starszych i samotnych", "10", 180_000),
    ("Sport i rekreacja dzieci i młodzieży", "17", 240_000),
    ("Kultura i dziedzictwo lokalne", "16", 150_000),
    ("Przeciwdziałanie uzależnieniom", "32", 90_000),
    ("Rozwój wspólnot lokalnych i wolontariatu", "13", 60_000),
];

const OFFER_TITLES: [&str; 8] = [
    "Klub seniora",
    "Wakacje z piłką",
    "Festiwal tradycji",
    "Bezpieczne podwórko",
    "Sąsiedzka kuchnia",
    "Warsztaty teatralne",
    "Liga osiedlowa",
    "Telefon życzliwości",
];

fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a demo date")
}

fn zl(grosze: i64) -> String {
    crate::money::format_grosze(grosze)
}

/// Adds two years of the programme when there is none; returns how many offers were made.
pub(crate) async fn generate(
    k: &Kartoteka,
    rng: &mut ChaCha8Rng,
    org_ids: &[i64],
    today: NaiveDate,
) -> Result<usize> {
    let areas = k.store().area_codes().await?;
    if org_ids.len() < 8 || !k.programme_years().await?.is_empty() {
        return Ok(0);
    }
    let mut offers = 0;
    for year in [today.year() - 1, today.year()] {
        k.save_programme(
                None,
                &ProgrammeInput {
                    year: year.to_string(),
                    resolution_number: format!("XL/{}/{}", 300 + rng.gen_range(0..200), year - 1),
                    resolution_date: d(year - 1, 11, 20).to_string(),
                    forms: "zlecanie zadań publicznych w otwartych konkursach ofert i w trybie art. 19a; konsultowanie projektów aktów prawa miejscowego; zespoły o charakterze doradczym; udostępnianie lokali; szkolenia dla organizacji".into(),
                    council_opinion: "Miejska Rada Działalności Pożytku Publicznego zaopiniowała projekt pozytywnie.".into(),
                    conclusions: if year < today.year() {
                        "Współpraca objęła więcej organizacji niż rok wcześniej.\n\nNależy wcześniej ogłaszać konkursy na zadania letnie.".into()
                    } else {
                        String::new()
                    },
                    tasks: TASKS
                        .iter()
                        .filter(|(_, code, _)| areas.iter().any(|a| a == code))
                        .map(|(title, code, planned)| PriorityTaskInput {
                            title: title.to_string(),
                            area_code: code.to_string(),
                            planned: zl(planned * 100 + (year as i64 % 3) * 1_000_000),
                            ..Default::default()
                        })
                        .collect(),
                    ..Default::default()
                },
            )
            .await?;
        let Some(programme) = k.programme(year as i64).await? else {
            continue;
        };
        // Competitions run in the first half of the year, so this year's have results too
        // only once their dates have passed.
        for (i, task) in programme.tasks.iter().enumerate() {
            let announced = d(year, 1 + i as u32, 10);
            if announced > today {
                continue;
            }
            let deadline = announced + Duration::days(21);
            let result = deadline + Duration::days(20);
            let decided = result <= today;
            let funds = task.planned_grosze * 8 / 10;
            let competition = k
                .save_competition(
                    None,
                    &CompetitionInput {
                        title: task.title.clone(),
                        area_code: task.area_code.clone(),
                        priority_task_id: Some(task.id),
                        funds: zl(funds),
                        announced_on: announced.to_string(),
                        deadline_on: deadline.to_string(),
                        result_on: if decided { result.to_string() } else { String::new() },
                        committee: "Przewodnicząca: Anna Nowak (Wydział Spraw Społecznych); członkowie: dwie osoby wskazane przez organizacje".into(),
                        ..Default::default()
                    },
                )
                .await?;
            let count = rng.gen_range(3..7);
            let mut left = funds;
            for n in 0..count {
                let org = org_ids[rng.gen_range(0..org_ids.len())];
                let requested = rng.gen_range(15_000..60_000) * 100;
                let status = if !decided {
                    "submitted"
                } else if n == 0 && rng.gen_bool(0.6) {
                    "rejected_formal"
                } else if left < requested / 2 || rng.gen_bool(0.15) {
                    "refused"
                } else {
                    "granted"
                };
                let granted = if status == "granted" {
                    (requested * rng.gen_range(70..=100) / 100).min(left) / 100 * 100
                } else {
                    0
                };
                left -= granted;
                let signed = result + Duration::days(10);
                let contract = status == "granted" && signed <= today;
                let terminated = contract && rng.gen_bool(0.08);
                let settled = contract && !terminated && result + Duration::days(200) <= today;
                k.save_offer(
                    None,
                    &OfferInput {
                        competition_id: Some(competition),
                        organization_id: Some(org),
                        title: format!(
                            "{} {}",
                            OFFER_TITLES[rng.gen_range(0..OFFER_TITLES.len())],
                            year
                        ),
                        submitted_on: (deadline - Duration::days(rng.gen_range(0..10))).to_string(),
                        requested: zl(requested),
                        status: status.into(),
                        rejection_reason: if status == "rejected_formal" {
                            "Oferta złożona po terminie.".into()
                        } else {
                            String::new()
                        },
                        score: if matches!(status, "granted" | "refused") {
                            rng.gen_range(20..50).to_string()
                        } else {
                            String::new()
                        },
                        granted: if granted > 0 {
                            zl(granted)
                        } else {
                            String::new()
                        },
                        period_from: (result + Duration::days(15)).to_string(),
                        period_until: d(year, 12, 15).to_string(),
                        contract_number: if contract {
                            format!("WSS.526.{}.{}", offers + 1, year)
                        } else {
                            String::new()
                        },
                        contract_signed_on: if contract {
                            signed.to_string()
                        } else {
                            String::new()
                        },
                        settlement: if terminated {
                            "terminated".into()
                        } else if settled {
                            "accepted".into()
                        } else {
                            String::new()
                        },
                        returned: if terminated {
                            zl(granted / 2)
                        } else {
                            String::new()
                        },
                        settled_on: if terminated || settled {
                            (result + Duration::days(200)).min(today).to_string()
                        } else {
                            String::new()
                        },
                        ..Default::default()
                    },
                )
                .await?;
                offers += 1;
            }
        }
        // Art. 19a: a few small grants through the year.
        for n in 0..4 {
            let submitted = d(year, 3 + n * 2, 5);
            if submitted > today {
                continue;
            }
            let published = submitted + Duration::days(3);
            let signed = published + Duration::days(8);
            let amount = rng.gen_range(30..100) * 10_000;
            let contract = signed <= today;
            k.save_offer(
                None,
                &OfferInput {
                    organization_id: Some(org_ids[rng.gen_range(0..org_ids.len())]),
                    title: format!("Mała inicjatywa sąsiedzka nr {}", n + 1),
                    area_code: areas
                        .iter()
                        .find(|a| *a == "13")
                        .cloned()
                        .unwrap_or_else(|| areas[0].clone()),
                    submitted_on: submitted.to_string(),
                    requested: zl(amount),
                    status: if contract { "granted" } else { "submitted" }.into(),
                    granted: if contract { zl(amount) } else { String::new() },
                    published_on: published.to_string(),
                    period_from: (signed + Duration::days(3)).to_string(),
                    period_until: (signed + Duration::days(45)).to_string(),
                    contract_number: if contract {
                        format!("WSS.19a.{}.{}", n + 1, year)
                    } else {
                        String::new()
                    },
                    contract_signed_on: if contract {
                        signed.to_string()
                    } else {
                        String::new()
                    },
                    ..Default::default()
                },
            )
            .await?;
            offers += 1;
        }
    }
    consultations(k, org_ids, today).await?;
    teams_and_log(k, org_ids, today).await?;
    tracing::info!(offers, "demo cooperation programme");
    Ok(offers)
}

/// Two consultations of draft acts: next year's programme (three opinions, handled) and a
/// competition's rules (none).
async fn consultations(k: &Kartoteka, org_ids: &[i64], today: NaiveDate) -> Result<()> {
    let start = (today - Duration::days(60)).max(d(today.year(), 1, 2));
    let programme = k
        .save_act_consultation(
            None,
            &ActConsultationInput {
                title: format!(
                    "Projekt uchwały w sprawie programu współpracy z organizacjami pozarządowymi na rok {}",
                    today.year() + 1
                ),
                act_kind: "uchwała rady miasta".into(),
                ordinance: format!("Zarządzenie Prezydenta Miasta nr 812/{}", today.year()),
                starts_on: start.to_string(),
                ends_on: (start + Duration::days(29)).to_string(),
                forms: vec!["form".into(), "email".into(), "meeting".into()],
                announced_where: "Biuletyn Informacji Publicznej, strona internetowa miasta, tablica ogłoszeń urzędu".into(),
                outcome: "Uwzględniono dwie z trzech uwag; projekt przekazano radzie miasta.".into(),
            },
        )
        .await?;
    let opinions = [
        (Some(org_ids[0]), "", "§ 6 ust. 1", "Zwiększyć środki na zadania z zakresu pomocy osobom starszym.", "accepted", ""),
        (None, "Rada Osiedla Śródmieście", "§ 9", "Ogłaszać konkursy na zadania letnie do końca lutego.", "partly", "Konkursy na zadania letnie zostaną ogłoszone do 15 marca."),
        (Some(org_ids[1]), "", "§ 4 pkt 3", "Wprowadzić regranting jako formę współpracy.", "rejected", "Program na ten rok nie przewiduje regrantingu; wróci do tej propozycji przy kolejnym programie."),
    ];
    for (i, (org, author, section, comment, handling, reason)) in opinions.into_iter().enumerate() {
        k.save_opinion(
            None,
            &OpinionInput {
                consultation_id: programme,
                organization_id: org,
                author: author.into(),
                received_on: (start + Duration::days(5 + i as i64 * 6)).to_string(),
                section: section.into(),
                comment: comment.into(),
                handling: handling.into(),
                reason: reason.into(),
            },
        )
        .await?;
    }
    let rules = start + Duration::days(35);
    k.save_act_consultation(
        None,
        &ActConsultationInput {
            title: "Regulamin konkursu inicjatyw lokalnych".into(),
            act_kind: "zarządzenie prezydenta miasta".into(),
            starts_on: rules.to_string(),
            ends_on: (rules + Duration::days(14)).to_string(),
            forms: vec!["email".into()],
            announced_where: "Biuletyn Informacji Publicznej".into(),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// A working group for seniors' affairs since February of last year (three organisations and
/// the office's department, meeting every two months up to today) and the log's entries of
/// both years.
async fn teams_and_log(k: &Kartoteka, org_ids: &[i64], today: NaiveDate) -> Result<()> {
    let year = today.year() - 1;
    let member = |org: i64, representative: &str, role: &str| TeamMemberInput {
        organization_id: Some(org),
        representative: representative.into(),
        role: role.into(),
        ..Default::default()
    };
    let team = k
        .save_team(
            None,
            &TeamInput {
                name: "Grupa robocza ds. polityki senioralnej".into(),
                kind: "working_group".into(),
                appointed_by: format!("Zarządzenie nr 95/{year} Prezydenta Miasta"),
                purpose: "Przygotowanie priorytetów programu współpracy w sferze pomocy osobom starszym i opiniowanie ofert w tej sferze.".into(),
                starts_on: d(year, 2, 1).to_string(),
                members: vec![
                    member(org_ids[2], "", "chair"),
                    member(org_ids[3], "", "member"),
                    member(org_ids[4], "", "member"),
                    TeamMemberInput {
                        name: "Wydział Spraw Społecznych Urzędu Miasta".into(),
                        role: "secretary".into(),
                        ..Default::default()
                    },
                ],
                ..Default::default()
            },
        )
        .await?;
    let mut held = d(year, 2, 20);
    let mut n = 1;
    while held <= today {
        k.save_meeting(
            None,
            &MeetingInput {
                team_id: team,
                held_on: held.to_string(),
                place: "Urząd Miasta, sala 104".into(),
                attendance: (3 + n % 2).to_string(),
                minutes: format!("Posiedzenie nr {n}. Omówiono potrzeby klubów seniora i terminy konkursów; protokół podpisany, w segregatorze zespołu."),
            },
        )
        .await?;
        held += Duration::days(61);
        n += 1;
    }
    for y in [year, year + 1] {
        let log = [
            (
                "patronage",
                d(y, 4, 12),
                Some(org_ids[5]),
                "Patronat Prezydenta Miasta nad Festiwalem Tradycji",
            ),
            (
                "information",
                d(y, 1, 15),
                None,
                "Informacja o harmonogramie konkursów w newsletterze miasta",
            ),
            (
                "information",
                d(y, 3, 2),
                None,
                "Zaproszenie organizacji do konsultacji programu na stronie miasta",
            ),
            (
                "premises",
                d(y, 5, 20),
                Some(org_ids[6]),
                "Sala konferencyjna Urzędu Miasta na walne zebranie",
            ),
            (
                "patronage",
                d(y, 9, 8),
                Some(org_ids[7]),
                "Patronat Prezydenta Miasta nad Biegiem Niepodległości",
            ),
        ];
        for (kind, on, org, title) in log {
            if on > today {
                continue;
            }
            k.save_cooperation_activity(
                None,
                &ActivityInput {
                    kind: kind.into(),
                    held_on: on.to_string(),
                    organization_id: org,
                    title: title.into(),
                    ..Default::default()
                },
            )
            .await?;
        }
    }
    Ok(())
}
