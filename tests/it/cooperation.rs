//! The city's cooperation programme on the backend of the run: a programme with priority tasks,
//! a competition with offers (one rejected formally, one refused, two granted past the funds),
//! art. 19a grants warning exactly at their caps, and the report on the programme's execution
//! whose every figure is counted straight from what was saved: read back from the PDF with
//! pdftotext, from the .xlsx, and from `report cooperation --json`.

use crate::util::{fresh, org, save_org};
use kartoteka_core::cooperation::*;
use kartoteka_core::{Error, Kartoteka};
use std::process::Command;

/// The current year: organisations saved today count in its register.
fn year() -> i32 {
    chrono::Datelike::year(&chrono::Local::now().date_naive())
}

fn offer(competition: Option<i64>, org: i64, title: &str, requested: &str) -> OfferInput {
    OfferInput {
        competition_id: competition,
        organization_id: Some(org),
        title: title.into(),
        area_code: if competition.is_none() {
            "13".into()
        } else {
            String::new()
        },
        submitted_on: format!("{}-03-01", year()),
        requested: requested.into(),
        ..Default::default()
    }
}

fn granted(mut o: OfferInput, amount: &str, contract: &str) -> OfferInput {
    o.status = "granted".into();
    o.granted = amount.into();
    if !contract.is_empty() {
        o.contract_number = contract.into();
        o.contract_signed_on = format!("{}-04-20", year());
    }
    o
}

fn fields(w: &[kartoteka_core::FieldError]) -> Vec<&str> {
    w.iter().map(|e| e.field.as_str()).collect()
}

async fn programme(k: &Kartoteka, year: i32, planned: &[&str]) -> Programme {
    let tasks = planned
        .iter()
        .enumerate()
        .map(|(i, p)| PriorityTaskInput {
            title: format!("Zadanie priorytetowe {}", i + 1),
            area_code: ["10", "17", "16"][i % 3].into(),
            planned: p.to_string(),
            ..Default::default()
        })
        .collect();
    k.save_programme(
        None,
        &ProgrammeInput {
            year: year.to_string(),
            resolution_number: format!("XII/100/{}", year - 1),
            resolution_date: format!("{}-11-20", year - 1),
            conclusions: "Współpraca rozwija się dobrze.".into(),
            tasks,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    k.programme(year as i64).await.unwrap().unwrap()
}

#[tokio::test]
async fn the_report_counts_exactly_what_was_recorded_on_both_years() {
    let db = fresh().await;
    let k = &db.k;
    let a = save_org(k, &org("Stowarzyszenie Seniorzy Razem", "Lublin")).await;
    let b = save_org(k, &org("Klub Sportowy Orlik", "Lublin")).await;
    let c = save_org(k, &org("Fundacja Teatr w Szafie", "Świdnik")).await;
    let d = save_org(k, &org("Koło Gospodyń z Lipniaka", "Lublin")).await;

    let p = programme(k, year(), &["100 000", "150 000,00"]).await;
    assert_eq!(p.tasks.len(), 2);
    assert_eq!(p.planned_grosze(), 25_000_000);
    // A second programme for the same year is refused at its field.
    let again = k
        .save_programme(
            None,
            &ProgrammeInput {
                year: year().to_string(),
                resolution_number: "X/1/2024".into(),
                resolution_date: "2024-10-01".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&again, Error::Invalid(e) if e[0].field == "year"),
        "{again:?}"
    );

    let competition = k
        .save_competition(
            None,
            &CompetitionInput {
                title: "Aktywny senior".into(),
                area_code: "10".into(),
                priority_task_id: Some(p.tasks[0].id),
                funds: "80 000".into(),
                announced_on: format!("{}-01-15", year()),
                deadline_on: format!("{}-02-15", year()),
                result_on: format!("{}-03-31", year()),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    // Rejected on formal grounds: the reason is required.
    let mut rejected = offer(Some(competition), a, "Spotkania przy kawie", "20 000");
    rejected.status = "rejected_formal".into();
    let e = k.save_offer(None, &rejected).await.unwrap_err();
    assert!(
        matches!(&e, Error::Invalid(f) if f[0].field == "rejection_reason"),
        "{e:?}"
    );
    rejected.rejection_reason = "Oferta bez podpisu osoby upoważnionej.".into();
    assert!(k
        .save_offer(None, &rejected)
        .await
        .unwrap()
        .warnings
        .is_empty());
    let mut refused = offer(Some(competition), d, "Dożynki", "10 000");
    refused.status = "refused".into();
    refused.score = "21,5".into();
    k.save_offer(None, &refused).await.unwrap();
    let first = k
        .save_offer(
            None,
            &granted(
                offer(Some(competition), b, "Senior na boisku", "50 000"),
                "45 000,50",
                "WSS.1",
            ),
        )
        .await
        .unwrap();
    assert!(first.warnings.is_empty());
    // 45 000,50 + 34 999,50 = 80 000,00: exactly the funds, no warning; one grosz more warns.
    let mut second_input = granted(
        offer(Some(competition), c, "Teatr seniora", "40 000"),
        "34 999,51",
        "WSS.2",
    );
    let over = k.offer_warnings(None, &second_input).await.unwrap();
    assert_eq!(fields(&over), ["granted"], "{over:?}");
    assert!(over[0].message.contains("80 000,01 zł"), "{over:?}");
    second_input.granted = "34 999,50".into();
    let second = k.save_offer(None, &second_input).await.unwrap();
    assert!(second.warnings.is_empty(), "{:?}", second.warnings);
    // Saved over the funds anyway (the office decides): the save says so.
    second_input.granted = "35 000".into();
    let saved = k.save_offer(Some(second.id), &second_input).await.unwrap();
    assert_eq!(fields(&saved.warnings), ["granted"]);
    // …and is settled with a return after the contract was terminated.
    second_input.settlement = "terminated".into();
    second_input.returned = "5 000".into();
    second_input.settled_on = format!("{}-09-30", year());
    k.save_offer(Some(second.id), &second_input).await.unwrap();

    // Art. 19a: 10 000 zł, 90 days, published 7 days before the contract: no warning.
    let mut small = granted(
        offer(None, a, "Piknik sąsiedzki", "10 000"),
        "10 000,00",
        "19a/1",
    );
    small.published_on = format!("{}-04-13", year());
    small.period_from = format!("{}-05-01", year());
    small.period_until = format!("{}-07-29", year());
    let s = k.save_offer(None, &small).await.unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // One grosz and one day more: both caps warn; a contract 6 days after publication too.
    small.granted = "10 000,01".into();
    small.period_until = format!("{}-07-30", year());
    small.contract_signed_on = format!("{}-04-19", year());
    let w = k.offer_warnings(Some(s.id), &small).await.unwrap();
    assert_eq!(
        fields(&w),
        ["granted", "period_until", "contract_signed_on"],
        "{w:?}"
    );
    // The organisation's 20 000 zł a year: 10 000 + 10 000 is the limit, 10 000,01 more warns.
    let mut second_small = granted(offer(None, a, "Festyn", "10 000"), "10 000", "");
    second_small.submitted_on = format!("{}-06-01", year());
    assert!(k
        .offer_warnings(None, &second_small)
        .await
        .unwrap()
        .is_empty());
    second_small.granted = "10 000,01".into();
    let w = k.offer_warnings(None, &second_small).await.unwrap();
    assert!(
        w.iter().any(|e| e.message.contains("20 000,00 zł")),
        "{w:?}"
    );
    // 20% of the 250 000 zł planned is 50 000 zł: 10 000 granted + 40 000 is the limit.
    let mut big = granted(offer(None, d, "Duży festyn", "40 000"), "40 000", "");
    big.submitted_on = format!("{}-06-01", year());
    let w = k.offer_warnings(None, &big).await.unwrap();
    assert!(!w.iter().any(|e| e.message.contains("20%")), "{w:?}");
    big.granted = "40 000,01".into();
    let w = k.offer_warnings(None, &big).await.unwrap();
    assert!(w.iter().any(|e| e.message.contains("20%")), "{w:?}");

    // The previous year: one competition with one granted offer, no contract.
    let before = k
        .save_competition(
            None,
            &CompetitionInput {
                title: "Sport dzieci".into(),
                area_code: "17".into(),
                funds: "30 000".into(),
                announced_on: format!("{}-02-01", year() - 1),
                deadline_on: format!("{}-03-01", year() - 1),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut old = granted(
        offer(Some(before), b, "Liga orlika", "30 000"),
        "12 345,67",
        "",
    );
    old.submitted_on = format!("{}-02-20", year() - 1);
    k.save_offer(None, &old).await.unwrap();

    let r = k.cooperation_report(year()).await.unwrap();
    let now = &r.current;
    assert_eq!(now.organizations, 4);
    assert_eq!(now.organizations_with_offers, 4);
    assert_eq!(now.organizations_granted, 3);
    assert_eq!(now.competitions, 1);
    assert_eq!(now.competition_funds_grosze, 8_000_000);
    assert_eq!(now.offers, 4);
    assert_eq!(now.offers_rejected_formal, 1);
    assert_eq!(now.offers_refused, 1);
    assert_eq!(now.offers_granted, 2);
    assert_eq!(now.contracts, 2);
    assert_eq!(now.granted_grosze, 4_500_050 + 3_500_000);
    assert_eq!(now.small_offers, 1);
    assert_eq!(now.small_contracts, 1);
    assert_eq!(now.small_granted_grosze, 1_000_000);
    assert_eq!(now.contracts_terminated, 1);
    assert_eq!(now.returned_grosze, 500_000);
    let prev = &r.previous;
    assert_eq!(prev.competitions, 1);
    assert_eq!(prev.offers, 1);
    assert_eq!(prev.offers_granted, 1);
    assert_eq!(prev.contracts, 0);
    assert_eq!(prev.granted_grosze, 1_234_567);
    assert_eq!(
        r.by_task[0],
        TaskGrants {
            task: "Zadanie priorytetowe 1".into(),
            planned_grosze: 10_000_000,
            granted_grosze: 8_000_050,
        }
    );
    let sport = r
        .by_area
        .iter()
        .find(|a| a.area.contains("kultury fizycznej"))
        .unwrap();
    assert_eq!(
        (sport.granted_grosze, sport.previous_grosze),
        (0, 1_234_567)
    );

    // The PDF, as the council reads it.
    let pdf_path = db.dir.path().join("sprawozdanie.pdf");
    let pages = k.cooperation_report_pdf(year(), &pdf_path).await.unwrap();
    assert!(pages >= 1);
    let text = Command::new("pdftotext")
        .arg(&pdf_path)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Sprawozdanie z realizacji programu współpracy",
        &format!("za rok {}", year()),
        &format!("uchwałą nr XII/100/{}", year() - 1),
        "Tabela 1.",
        "Tabela 2. Otwarte konkursy ofert",
        "80 000,50 zł",
        "12 345,67 zł",
        "10 000,00 zł",
        "5 000,00 zł",
        "Oferty odrzucone z przyczyn formalnych",
        "Wykres 1.",
        "Współpraca rozwija się dobrze.",
        &format!("31 maja {}", year() + 1),
    ] {
        assert!(flat.contains(expected), "missing {expected:?} in\n{text}");
    }

    // The due date is a setting: 30 April as older resolutions say.
    k.save_cooperation_settings(&CooperationSettings {
        report_due_day: 30,
        report_due_month: 4,
    })
    .await
    .unwrap();
    assert_eq!(
        k.cooperation_report(year()).await.unwrap().due,
        chrono::NaiveDate::from_ymd_opt(year() + 1, 4, 30)
    );
    assert!(k
        .save_cooperation_settings(&CooperationSettings {
            report_due_day: 31,
            report_due_month: 4,
        })
        .await
        .is_err());

    // The .xlsx: the same figures as numbers.
    let xlsx = db.dir.path().join("sprawozdanie.xlsx");
    k.cooperation_report_xlsx(year(), &xlsx).await.unwrap();
    let sheet = kartoteka_core::import::read::read_sheet(&xlsx, None).unwrap();
    let rows: Vec<String> = sheet
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| c.display())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    for expected in [
        "Złożone oferty|4|1",
        "Oferty odrzucone z przyczyn formalnych|1|0",
        "Przyznane dotacje|80000.5|12345.67",
    ] {
        assert!(
            rows.iter().any(|r| r == expected),
            "missing {expected:?} in {rows:?}"
        );
    }

    // The CLI's JSON carries every figure under stable keys.
    let cli = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .env("KARTOTEKA_LOG_DIR", db.dir.path().join("logi"))
        .args([
            "--db",
            db.location().as_str(),
            "report",
            "cooperation",
            "--year",
            year().to_string().as_str(),
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(json["current"]["offers_rejected_formal"], 1);
    assert_eq!(json["current"]["granted_grosze"], 8_000_050);
    assert_eq!(json["previous"]["granted_grosze"], 1_234_567);
    assert_eq!(json["by_task"][0]["granted_grosze"], 8_000_050);

    // The organisation's page lists its offers; deleting the competition takes its offers.
    assert_eq!(k.organization_offers(a).await.unwrap().len(), 2);
    k.delete_competition(competition).await.unwrap();
    assert_eq!(k.organization_offers(a).await.unwrap().len(), 1);
    assert_eq!(
        k.cooperation_report(year()).await.unwrap().current.offers,
        0
    );
}

#[tokio::test]
async fn wrong_input_is_refused_at_its_field_and_writes_nothing() {
    let db = fresh().await;
    let k = &db.k;
    let e = k
        .save_competition(
            None,
            &CompetitionInput {
                title: "<b>Konkurs</b>".into(),
                area_code: "nie-ma-takiej".into(),
                funds: "sto tysięcy".into(),
                announced_on: "2025-03-01".into(),
                deadline_on: "2025-02-01".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    let Error::Invalid(errors) = e else {
        panic!("{e:?}")
    };
    let f: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(f, ["area_code", "funds", "deadline_on"]);
    assert!(
        errors.iter().all(|e| !e.message.is_ascii()),
        "Polish messages: {errors:?}"
    );
    let page = k
        .competitions(&CompetitionQuery {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.total, 0);
    // An offer for an organisation that is not in the register.
    let e = k
        .save_offer(None, &offer(None, 999_999, "Duch", "100"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid(f) if f[0].field == "organization_id"),
        "{e:?}"
    );
    // HTML in a name stays text.
    let id = k
        .save_competition(
            None,
            &CompetitionInput {
                title: "<script>alert(1)</script>".into(),
                area_code: "10".into(),
                funds: "1 000".into(),
                announced_on: "2025-03-01".into(),
                deadline_on: "2025-03-02".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        k.competition(id).await.unwrap().title,
        "<script>alert(1)</script>"
    );
}

#[tokio::test]
async fn a_consultation_report_lists_every_opinion_and_the_year_counts_them() {
    let db = fresh().await;
    let k = &db.k;
    let org_a = save_org(k, &org("Fundacja Otwarte Miasto", "Gdańsk")).await;
    let org_b = save_org(k, &org("Stowarzyszenie Sąsiedzi", "Gdańsk")).await;
    let consultation = k
        .save_act_consultation(
            None,
            &ActConsultationInput {
                title: "Projekt uchwały w sprawie programu współpracy na rok 2027".into(),
                act_kind: "uchwała rady miasta".into(),
                ordinance: "Zarządzenie Prezydenta nr 1234/2026".into(),
                starts_on: format!("{}-09-01", year()),
                ends_on: format!("{}-09-30", year()),
                forms: vec!["meeting".into(), "form".into()],
                announced_where: "BIP, strona miasta, tablica ogłoszeń".into(),
                outcome: "Uwagi rozpatrzono; projekt skierowano do rady.".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        k.act_consultation(consultation).await.unwrap().forms,
        "form,meeting"
    );
    let mut opinions = vec![
        OpinionInput {
            consultation_id: consultation,
            organization_id: Some(org_a),
            received_on: format!("{}-09-10", year()),
            section: "§ 5 ust. 2".into(),
            comment: "Zwiększyć środki na zadanie „Seniorzy”.".into(),
            handling: "accepted".into(),
            ..Default::default()
        },
        OpinionInput {
            consultation_id: consultation,
            author: "Rada Osiedla Czuby".into(),
            received_on: format!("{}-09-12", year()),
            comment: "Wydłużyć termin konsultacji do 60 dni.".into(),
            handling: "rejected".into(),
            ..Default::default()
        },
        OpinionInput {
            consultation_id: consultation,
            organization_id: Some(org_b),
            received_on: format!("{}-09-20", year()),
            comment: "Dodać zadanie dotyczące wolontariatu.".into(),
            handling: "partly".into(),
            reason: "Zadanie dodano w mniejszym zakresie.".into(),
            ..Default::default()
        },
    ];
    // Not taken without a reason: refused at the field, nothing written.
    let e = k.save_opinion(None, &opinions[1]).await.unwrap_err();
    assert!(
        matches!(&e, Error::Invalid(f) if f[0].field == "reason"),
        "{e:?}"
    );
    assert!(k.opinions(consultation).await.unwrap().is_empty());
    opinions[1].reason = "Termin wynika z uchwały o trybie konsultacji.".into();
    for o in &opinions {
        k.save_opinion(None, o).await.unwrap();
    }
    let saved = k.opinions(consultation).await.unwrap();
    assert_eq!(saved.len(), 3);
    assert_eq!(saved[0].author, "Fundacja Otwarte Miasto");

    let pdf = db.dir.path().join("konsultacje.pdf");
    k.consultation_report_pdf(consultation, &pdf).await.unwrap();
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let flat = String::from_utf8(text.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "Sprawozdanie z konsultacji projektu",
        "Zarządzenie Prezydenta nr 1234/2026",
        "otwarte spotkanie konsultacyjne",
        "Fundacja Otwarte Miasto",
        "Rada Osiedla Czuby",
        "Stowarzyszenie Sąsiedzi",
        "nieuwzględniona",
        "uwzględniona częściowo",
        "Termin wynika z uchwały",
        "Zgłoszone uwagi: 3",
        "Uwagi rozpatrzono",
    ] {
        assert!(flat.contains(expected), "missing {expected:?} in\n{flat}");
    }
    // The CLI prints the same report.
    let cli_pdf = db.dir.path().join("cli.pdf");
    let cli = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .env("KARTOTEKA_LOG_DIR", db.dir.path().join("logi"))
        .args([
            "--db",
            db.location().as_str(),
            "report",
            "consultation",
            "--id",
        ])
        .arg(consultation.to_string())
        .arg("--out")
        .arg(&cli_pdf)
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert!(std::fs::metadata(&cli_pdf).unwrap().len() > 1000);

    // A second consultation without opinions; the year's report counts both.
    k.save_act_consultation(
        None,
        &ActConsultationInput {
            title: "Regulamin konkursu inicjatyw lokalnych".into(),
            act_kind: "zarządzenie prezydenta".into(),
            starts_on: format!("{}-10-01", year()),
            ends_on: format!("{}-10-14", year()),
            forms: vec!["email".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let f = k.cooperation_report(year()).await.unwrap().current;
    assert_eq!(
        (
            f.act_consultations,
            f.act_consultations_with_opinions,
            f.opinions
        ),
        (2, 1, 3)
    );
}

/// Non-financial cooperation: a working group of this year and a joint team that ended last
/// year with their meetings, and the log's entries, counted in the report of both years; an
/// organisation's page lists its seat, its opinion and the log's entry about it; a member that
/// is not in the register is refused at its row and nothing is written.
#[tokio::test]
async fn teams_meetings_and_the_log_count_in_the_report_and_on_the_organisations_page() {
    let db = fresh().await;
    let k = &db.k;
    let (now, before) = (year(), year() - 1);
    let a = save_org(k, &org("Stowarzyszenie Seniorzy Razem", "Lublin")).await;
    let b = save_org(k, &org("Klub Sportowy Orlik", "Lublin")).await;
    let c = save_org(k, &org("Fundacja Teatr w Szafie", "Świdnik")).await;
    let seat = |org: i64, role: &str| TeamMemberInput {
        organization_id: Some(org),
        role: role.into(),
        ..Default::default()
    };
    let mut group = TeamInput {
        name: "Grupa robocza ds. seniorów".into(),
        kind: "working_group".into(),
        appointed_by: format!("Zarządzenie nr 95/{before}"),
        starts_on: format!("{now}-01-10"),
        members: vec![
            seat(a, "chair"),
            seat(999_999, "member"),
            TeamMemberInput {
                name: "Wydział Spraw Społecznych".into(),
                role: "secretary".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let e = k.save_team(None, &group).await.unwrap_err();
    assert!(
        matches!(&e, Error::Invalid(f) if f[0].field == "members.1.name"),
        "{e:?}"
    );
    assert_eq!(
        k.teams(&TeamQuery::default()).await.unwrap().total,
        0,
        "a refused team leaves nothing behind"
    );
    group.members[1] = seat(b, "member");
    let group_id = k.save_team(None, &group).await.unwrap();
    let saved = k.team(group_id).await.unwrap();
    let names: Vec<&str> = saved.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Stowarzyszenie Seniorzy Razem",
            "Klub Sportowy Orlik",
            "Wydział Spraw Społecznych"
        ]
    );
    let ended = k
        .save_team(
            None,
            &TeamInput {
                name: "Zespół ds. programu współpracy".into(),
                kind: "joint_team".into(),
                starts_on: format!("{before}-03-01"),
                ends_on: format!("{before}-06-30"),
                members: vec![seat(c, "chair"), seat(b, "member")],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    for (team, on) in [
        (group_id, format!("{now}-02-01")),
        (group_id, format!("{now}-04-01")),
        (ended, format!("{before}-03-15")),
        (ended, format!("{before}-06-20")),
    ] {
        k.save_meeting(
            None,
            &MeetingInput {
                team_id: team,
                held_on: on,
                attendance: "3".into(),
                minutes: "Protokół w segregatorze.".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    assert_eq!(k.meetings(group_id).await.unwrap().len(), 2);
    let e = k
        .save_meeting(
            None,
            &MeetingInput {
                team_id: group_id,
                held_on: format!("{now}-05-01"),
                attendance: "troje".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid(f) if f[0].field == "attendance"),
        "{e:?}"
    );
    assert_eq!(k.meetings(group_id).await.unwrap().len(), 2);

    for (kind, on, org_id, title) in [
        (
            "patronage",
            format!("{now}-04-12"),
            Some(a),
            "Patronat nad Dniem Seniora",
        ),
        (
            "information",
            format!("{now}-01-15"),
            None,
            "Harmonogram konkursów w newsletterze",
        ),
        (
            "information",
            format!("{now}-03-02"),
            None,
            "Zaproszenie do konsultacji",
        ),
        (
            "premises",
            format!("{now}-05-20"),
            Some(c),
            "Sala na walne zebranie",
        ),
        (
            "other",
            format!("{before}-10-01"),
            Some(c),
            "Wspólna konferencja",
        ),
    ] {
        k.save_cooperation_activity(
            None,
            &ActivityInput {
                kind: kind.into(),
                held_on: on,
                organization_id: org_id,
                title: title.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let listed = k
        .cooperation_activities(&ActivityQuery {
            year: Some(now as i64),
            kind: Some("information".into()),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.total, 2);

    let r = k.cooperation_report(now).await.unwrap();
    let (f, p) = (&r.current, &r.previous);
    assert_eq!(
        (f.teams, f.organizations_in_teams, f.team_meetings),
        (1, 2, 2)
    );
    assert_eq!(
        (p.teams, p.organizations_in_teams, p.team_meetings),
        (1, 2, 2)
    );
    assert_eq!(
        (f.patronages, f.information_published, f.other_activities),
        (1, 2, 0)
    );
    assert_eq!(p.other_activities, 1);
    assert_eq!((f.premises_lent, f.organizations_lent_premises), (1, 1));
    // a (seat, patronage), b (seat), c (premises) this year; b and c (seats, c's conference)
    // last year.
    assert_eq!(
        (f.organizations_cooperating, p.organizations_cooperating),
        (3, 2)
    );
    let pdf = db.dir.path().join("sprawozdanie.pdf");
    k.cooperation_report_pdf(now, &pdf).await.unwrap();
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let row = |label: &str| -> Vec<String> {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no row {label:?} in\n{text}"));
        line[line.find(label).unwrap() + label.len()..]
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(row("Posiedzenia zespołów"), ["2", "2"]);
    assert_eq!(row("Wspólne zespoły i grupy robocze"), ["1", "1"]);
    assert_eq!(row("Informacje opublikowane dla organizacji"), ["2", "0"]);
    assert_eq!(
        row("Organizacje współpracujące (w każdej formie)"),
        ["3", "2"]
    );

    // The organisation's page: its seat, the log's entry, its opinion.
    let consultation = k
        .save_act_consultation(
            None,
            &ActConsultationInput {
                title: "Projekt programu współpracy".into(),
                act_kind: "uchwała rady miasta".into(),
                starts_on: format!("{now}-09-01"),
                ends_on: format!("{now}-09-30"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    k.save_opinion(
        None,
        &OpinionInput {
            consultation_id: consultation,
            organization_id: Some(a),
            received_on: format!("{now}-09-10"),
            comment: "Więcej środków na kluby seniora.".into(),
            handling: "accepted".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let page = k.organization_cooperation(a).await.unwrap();
    assert_eq!(page.teams.len(), 1);
    assert_eq!(
        (
            page.teams[0].team_name.as_str(),
            page.teams[0].role.as_str()
        ),
        ("Grupa robocza ds. seniorów", "chair")
    );
    assert_eq!(page.activities.len(), 1);
    assert_eq!(page.activities[0].kind, "patronage");
    assert_eq!(page.opinions.len(), 1);
    assert_eq!(
        page.opinions[0].consultation_title,
        "Projekt programu współpracy"
    );
    assert_eq!(k.organization_cooperation(c).await.unwrap().teams.len(), 1);

    // A deleted team takes its seats and meetings with it.
    k.delete_team(group_id).await.unwrap();
    assert!(k
        .organization_cooperation(a)
        .await
        .unwrap()
        .teams
        .is_empty());
    assert_eq!(
        k.cooperation_report(now)
            .await
            .unwrap()
            .current
            .team_meetings,
        0
    );
}

/// A consultation's notice goes to a segment through the mail queue: a list named after the
/// draft and a draft message in Poczta with the period and the forms; asking again while it is
/// unsent reuses that draft.
#[tokio::test]
async fn a_consultations_notice_is_a_draft_to_the_chosen_segment() {
    let db = fresh().await;
    let k = &db.k;
    save_org(k, &org("Fundacja Otwarte Miasto", "Gdańsk")).await;
    let consultation = k
        .save_act_consultation(
            None,
            &ActConsultationInput {
                title: "Regulamin konkursu inicjatyw lokalnych".into(),
                act_kind: "zarządzenie prezydenta miasta".into(),
                starts_on: format!("{}-09-01", year()),
                ends_on: format!("{}-09-14", year()),
                forms: vec!["email".into()],
                announced_where: "BIP miasta".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let segment = kartoteka_core::mail::Segment {
        city: "Gdańsk".into(),
        ..Default::default()
    };
    let first = k.consultation_notice(consultation, &segment).await.unwrap();
    let message = k.message(first.message_id).await.unwrap();
    assert_eq!(message.status, "draft");
    assert!(
        message
            .subject
            .starts_with("Konsultacje projektu: Regulamin konkursu inicjatyw lokalnych"),
        "{}",
        message.subject
    );
    assert!(message.body.contains(&format!("14.09.{}", year())));
    assert!(message.body.contains("uwagi pocztą elektroniczną"));
    assert_eq!(message.list_id, Some(first.list_id));
    assert_eq!(
        k.act_consultation(consultation)
            .await
            .unwrap()
            .notice_message_id,
        Some(first.message_id)
    );
    let again = k.consultation_notice(consultation, &segment).await.unwrap();
    assert_eq!(
        (again.message_id, again.list_id),
        (first.message_id, first.list_id)
    );
    let list = k.mailing_list(first.list_id).await.unwrap();
    assert_eq!(
        list.segment.as_ref().map(|s| s.city.as_str()),
        Some("Gdańsk")
    );
}
