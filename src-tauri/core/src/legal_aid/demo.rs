//! A demo point of free legal aid for `demo-data`: one point with a year of cards (lawyers on
//! most days, a citizen adviser and a mediator some days, a share of remote help) and the
//! opinions clients dropped into the urn, its duty hours and the next two weeks' appointments,
//! so the point's screens and the starosta's figures have content.

use crate::advice::AdviceInput;
use crate::error::Result;
use crate::legal_aid::lists::shipped_lists;
use crate::legal_aid::{LegalAidCardInput, LegalAidPointInput, OpinionDraft};
use crate::Kartoteka;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const PROVIDERS: [(&str, &str, &str); 5] = [
    ("mec. Anna Borowska", "adwokat", "npp"),
    ("mec. Tomasz Gajda", "radca", "npp"),
    ("Karolina Nowicka", "prawnik", "npp"),
    ("Marek Zięba", "doradca_obywatelski", "npo"),
    ("Ewa Lis", "mediator", "mediation"),
];

/// Adds the point and a year of its cards when the office has no point yet; returns the
/// number of cards.
pub(crate) async fn generate(
    k: &Kartoteka,
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
) -> Result<usize> {
    if !k.legal_aid_setup().await?.points.is_empty() {
        return Ok(0);
    }
    let point_id = k
        .save_legal_aid_point(
            None,
            &LegalAidPointInput {
                number: "3".into(),
                name: "Punkt nieodpłatnej pomocy prawnej i poradnictwa obywatelskiego".into(),
                address: "ul. Piotrkowska 110, 90-006 Łódź".into(),
                powiat: "Miasto Łódź (miasto na prawach powiatu)".into(),
                active: true,
            },
        )
        .await?;
    let setup = k.legal_aid_setup().await?;
    let lists = shipped_lists();
    let of = |kind: &str| -> Vec<String> {
        lists
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.code.clone())
            .collect()
    };
    let (areas, helps) = (of("area"), of("help"));
    let category = k
        .advice_categories()
        .await?
        .into_iter()
        .find(|c| c.active)
        .map(|c| c.code);
    let Some(category) = category else {
        return Ok(0);
    };
    let mut items = Vec::new();
    let mut day = today - Duration::days(365);
    while day <= today {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            for _ in 0..rng.gen_range(0..=3) {
                let (provider, profession, aid_type) = *PROVIDERS.choose(rng).expect("providers");
                let form = if rng.gen_bool(0.8) {
                    "point"
                } else {
                    *["phone", "video", "email", "outside"]
                        .choose(rng)
                        .expect("forms")
                };
                let remote = setup
                    .lists
                    .iter()
                    .any(|e| e.kind == "form" && e.code == form && e.remote);
                let mut kinds: Vec<String> = match aid_type {
                    "mediation" => vec!["amicable".into()],
                    "npo" => vec!["action_plan".into()],
                    _ => vec![helps[0].clone()],
                };
                if rng.gen_bool(0.4) {
                    kinds.push(helps[rng.gen_range(1..5)].clone());
                }
                let sole_trader = rng.gen_bool(0.06);
                let advice = AdviceInput {
                    given_on: day.format("%Y-%m-%d").to_string(),
                    advisor: provider.to_string(),
                    age_band: crate::advice::AGE_BANDS
                        .choose(rng)
                        .expect("bands")
                        .to_string(),
                    sex: ["k", "m", "k"].choose(rng).expect("sex").to_string(),
                    channel: if remote { "phone" } else { "in_person" }.into(),
                    minutes: rng.gen_range(15..=120).to_string(),
                    categories: vec![category.clone()],
                    outcome: "advice".into(),
                    ..Default::default()
                };
                let card = LegalAidCardInput {
                    aid_type: aid_type.into(),
                    point_id: Some(point_id),
                    provider: provider.into(),
                    profession: profession.into(),
                    form: form.into(),
                    help_kinds: kinds,
                    area: areas.choose(rng).expect("areas").clone(),
                    visits: if rng.gen_bool(0.2) { "2" } else { "1" }.into(),
                    statement_signed: !remote,
                    sole_trader,
                    business_statement_signed: sole_trader,
                    no_statement_reason: if remote { "remote" } else { "" }.into(),
                    ..Default::default()
                };
                let advice_draft = advice.parse(std::slice::from_ref(&category), today)?;
                let card_draft =
                    card.parse(&setup.lists, &setup.points, day, advice_draft.minutes)?;
                items.push((advice_draft, card_draft));
            }
        }
        day += Duration::days(1);
    }
    k.store().insert_legal_aid_many(&items).await?;
    // About a third of clients in the point leave an opinion.
    let answers = ["yes", "yes", "yes", "yes", "unsure", "no", ""];
    let mut opinions: Vec<OpinionDraft> = Vec::new();
    for (a, c) in &items {
        if c.remote || !rng.gen_bool(0.3) {
            continue;
        }
        opinions.push(OpinionDraft {
            point_id,
            filled_on: a.given_on,
            rating: Some(*[5, 5, 5, 4, 4, 3, 2].choose(rng).expect("ratings")),
            understandable: Some(answers.choose(rng).expect("answers").to_string())
                .filter(|s| !s.is_empty()),
            helpful: Some(answers.choose(rng).expect("answers").to_string())
                .filter(|s| !s.is_empty()),
            would_recommend: Some(answers.choose(rng).expect("answers").to_string())
                .filter(|s| !s.is_empty()),
            remarks: None,
        });
    }
    k.store().insert_legal_aid_opinions(&opinions).await?;
    schedule(k, rng, point_id, today).await?;
    Ok(items.len())
}

/// The point's week: (weekday, starts, ends, who is on duty).
const DUTY: [(i64, &str, &str, &str); 5] = [
    (1, "09:00", "13:00", "adwokat Anna Borowska"),
    (2, "12:00", "16:00", "radca prawny Tomasz Gajda"),
    (3, "09:00", "13:00", "doradca obywatelski Marek Zięba"),
    (4, "14:00", "18:00", "Karolina Nowicka (prawniczka)"),
    (5, "10:00", "14:00", "mediatorka Ewa Lis"),
];

const CLIENTS: [&str; 8] = [
    "Halina Wrona",
    "Jerzy Pawlak",
    "Agata Sowa",
    "Bogdan Kruk",
    "Irena Czapla",
    "Wiesław Dudek",
    "Grażyna Sikora",
    "Stefan Gil",
];

/// The point's duty hours and the appointments of the next two weeks.
pub(crate) async fn schedule(
    k: &Kartoteka,
    rng: &mut ChaCha8Rng,
    point_id: i64,
    today: NaiveDate,
) -> Result<()> {
    use crate::legal_aid::{AppointmentInput, DutyHourInput};
    for (weekday, starts, ends, who) in DUTY {
        k.save_legal_aid_duty_hour(
            None,
            &DutyHourInput {
                point_id: Some(point_id),
                weekday: weekday.to_string(),
                starts: starts.into(),
                ends: ends.into(),
                on_duty: who.into(),
            },
        )
        .await?;
    }
    for ahead in 0..14 {
        let day = today + Duration::days(ahead);
        let Some((_, starts, _, _)) = DUTY
            .iter()
            .find(|d| d.0 == day.weekday().number_from_monday() as i64)
        else {
            continue;
        };
        let first: i64 = starts[..2].parse().unwrap_or(9);
        for slot in 0..8 {
            if !rng.gen_bool(0.5) {
                continue;
            }
            let at = format!("{:02}:{:02}", first + slot / 2, (slot % 2) * 30);
            k.save_legal_aid_appointment(
                None,
                &AppointmentInput {
                    point_id: Some(point_id),
                    on_day: day.format("%d.%m.%Y").to_string(),
                    starts: at,
                    minutes: "30".into(),
                    client_name: CLIENTS.choose(rng).expect("clients").to_string(),
                    phone: format!(
                        "600 {:03} {:03}",
                        rng.gen_range(100..999),
                        rng.gen_range(100..999)
                    ),
                    out_of_turn: rng.gen_bool(0.1),
                    remote: rng.gen_bool(0.15),
                    note: String::new(),
                },
            )
            .await?;
        }
    }
    Ok(())
}
