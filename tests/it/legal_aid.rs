//! Free legal aid on the backend of the run: help saved with its card whole or not at all, the
//! printed card and statement carrying what was typed, the starosta's figures equal to counts
//! taken straight from the cards (on screen, in `report starosta --json`, the PDF and the
//! .xlsx), Part B kept apart from every client, and the statistics file carrying the counts
//! without personal data.

use crate::util::fresh;
use kartoteka_core::advice::{AdviceInput, AdviceQuery};
use kartoteka_core::legal_aid::{
    CardQuery, LegalAidCardInput, LegalAidPointInput, OpinionInput, OpinionQuery,
};
use kartoteka_core::{Error, Kartoteka};
use std::collections::BTreeMap;
use std::io::Read as _;
use std::process::Command;

fn day(days_ago: i64) -> chrono::NaiveDate {
    chrono::Local::now().date_naive() - chrono::Duration::days(days_ago)
}

fn typed(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

async fn point(k: &Kartoteka, number: &str) -> i64 {
    k.save_legal_aid_point(
        None,
        &LegalAidPointInput {
            number: number.into(),
            name: format!("Punkt nieodpłatnej pomocy nr {number}"),
            address: "ul. Żeromskiego 5, Łódź".into(),
            powiat: "Miasto Łódź".into(),
            active: true,
        },
    )
    .await
    .unwrap()
}

async fn category(k: &Kartoteka) -> String {
    k.advice_categories()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.active)
        .unwrap()
        .code
}

fn advice(on: chrono::NaiveDate, minutes: &str, category: &str) -> AdviceInput {
    AdviceInput {
        given_on: typed(on),
        advisor: "mec. Łucja Źrebięcka".into(),
        channel: "in_person".into(),
        minutes: minutes.into(),
        categories: vec![category.into()],
        outcome: "advice".into(),
        description: "Zażółć gęślą jaźń: spór o wypowiedzenie umowy najmu".into(),
        ..Default::default()
    }
}

fn card(point_id: i64, area: &str, form: &str, profession: &str) -> LegalAidCardInput {
    let remote = matches!(form, "phone" | "email" | "video");
    LegalAidCardInput {
        aid_type: "npp".into(),
        point_id: Some(point_id),
        provider: "mec. Łucja Źrebięcka".into(),
        profession: profession.into(),
        form: form.into(),
        help_kinds: vec!["info".into(), "letter".into()],
        area: area.into(),
        statement_signed: !remote,
        no_statement_reason: if remote { "remote" } else { "" }.into(),
        ..Default::default()
    }
}

fn fields(e: Error) -> Vec<String> {
    match e {
        Error::Invalid(list) => list.into_iter().map(|f| f.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn pdf_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn help_is_saved_with_its_card_whole_or_not_at_all_and_printed_as_typed() {
    let db = fresh().await;
    let k = &db.k;
    let p = point(k, "7").await;
    let cat = category(k).await;

    // A card without time and kinds of help: the mistakes of both forms at once, nothing written.
    let mut bad = card(p, "labour", "point", "radca");
    bad.help_kinds.clear();
    let err = k
        .save_legal_aid_help(None, &advice(day(1), "", &cat), &bad)
        .await
        .unwrap_err();
    let got = fields(err);
    assert!(got.contains(&"minutes".to_string()), "{got:?}");
    assert!(got.contains(&"help_kinds".to_string()), "{got:?}");
    let nothing = k
        .list_advice(&AdviceQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(nothing.total, 0, "no advice record saved half-way");

    let id = k
        .save_legal_aid_help(
            None,
            &advice(day(1), "45", &cat),
            &card(p, "labour", "point", "radca"),
        )
        .await
        .unwrap();
    let saved = k.legal_aid_card(id).await.unwrap().unwrap();
    assert_eq!(saved.area, "labour");
    assert_eq!(saved.minutes, Some(45));
    assert_eq!(saved.statement_on, Some(day(1)));
    assert_eq!(saved.help_kinds, vec!["info", "letter"]);
    assert!(
        saved.client_code.is_some(),
        "an anonymous client gets a code"
    );

    // Changed on a stale revision: refused, the card stays as it was.
    let record = k.advice(id).await.unwrap();
    let mut changed = advice(day(1), "60", &cat);
    changed.revision = Some(record.revision);
    k.save_legal_aid_help(Some(id), &changed, &card(p, "family", "point", "adwokat"))
        .await
        .unwrap();
    let stale = k
        .save_legal_aid_help(Some(id), &changed, &card(p, "civil", "point", "adwokat"))
        .await;
    assert!(matches!(stale, Err(Error::Conflict(_))), "{stale:?}");
    let now = k.legal_aid_card(id).await.unwrap().unwrap();
    assert_eq!((now.area.as_str(), now.minutes), ("family", Some(60)));

    let out = db.dir.path().join("karta.pdf");
    k.legal_aid_card_pdf(id, &out).await.unwrap();
    let text = pdf_text(&out);
    for expected in [
        "Karta pomocy — część A",
        "nr 7",
        "mec. Łucja Źrebięcka",
        "Zażółć gęślą jaźń",
        "☒ prawo rodzinne",
        "☐ prawo pracy",
        "☒ adwokat",
        "60 min",
        &typed(day(1)),
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let out = db.dir.path().join("oswiadczenie.pdf");
    k.legal_aid_statement_pdf(id, &out).await.unwrap();
    let text = pdf_text(&out);
    assert!(text.contains("OŚWIADCZENIE"), "{text}");
    assert!(
        text.contains("nie jestem w stanie ponieść kosztów"),
        "{text}"
    );
    assert!(text.contains(&typed(day(1))), "{text}");

    // Part B: the point and date only.
    let out = db.dir.path().join("czesc-b.pdf");
    k.legal_aid_opinion_form_pdf(p, &typed(day(0)), &out)
        .await
        .unwrap();
    let text = pdf_text(&out);
    assert!(text.contains("Numer punktu: 7"), "{text}");
    assert!(
        !text.contains("Źrebięcka") && !text.contains("K-"),
        "{text}"
    );

    // The card goes, the advice record stays.
    k.remove_legal_aid_card(id).await.unwrap();
    assert!(k.legal_aid_card(id).await.unwrap().is_none());
    assert_eq!(k.advice(id).await.unwrap().minutes, Some(60));
}

/// Reads the first sheet's rows as label -> number.
fn xlsx_rows(path: &std::path::Path) -> BTreeMap<String, f64> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let shared = read("xl/sharedStrings.xml");
    let strings: Vec<String> = shared
        .split("<si>")
        .skip(1)
        .map(|si| {
            let t = si.split_once('>').map(|x| x.1).unwrap_or("");
            let t = t.split("</t>").next().unwrap_or("");
            t.replace("&amp;", "&")
        })
        .collect();
    let sheet = read("xl/worksheets/sheet1.xml");
    let mut rows = BTreeMap::new();
    for row in sheet.split("<row ").skip(1) {
        let mut label = None;
        let mut number = None;
        for cell in row.split("<c ").skip(1) {
            let value = cell
                .split_once("<v>")
                .and_then(|(_, v)| v.split_once("</v>"))
                .map(|(v, _)| v.to_string());
            match (cell.contains("t=\"s\""), value) {
                (true, Some(v)) => label = strings.get(v.parse::<usize>().unwrap()).cloned(),
                (false, Some(v)) => number = v.parse::<f64>().ok(),
                _ => {}
            }
        }
        if let (Some(l), Some(n)) = (label, number) {
            rows.insert(l, n);
        }
    }
    rows
}

/// (area, form, profession, minutes) of a card the test saves.
type Planned = (&'static str, &'static str, &'static str, i32);

#[tokio::test]
async fn the_starosta_figures_equal_the_cards_and_part_b_stays_apart() {
    let db = fresh().await;
    let k = &db.k;
    let p = point(k, "3").await;
    let other = point(k, "4").await;
    let cat = category(k).await;
    // Twelve cards in the period, spread over areas, forms and professions, and two outside it.
    let plan: [Planned; 12] = [
        ("labour", "point", "radca", 10),
        ("labour", "phone", "adwokat", 20),
        ("family", "point", "adwokat", 30),
        ("family", "video", "radca", 50),
        ("civil", "point", "prawnik", 70),
        ("civil", "point", "radca", 90),
        ("housing", "email", "doradca_obywatelski", 120),
        ("debt", "point", "doradca_obywatelski", 15),
        ("criminal", "outside", "adwokat", 45),
        ("tax", "point", "radca", 25),
        ("labour", "point", "radca", 130),
        ("family", "phone", "mediator", 60),
    ];
    for (i, (area, form, profession, minutes)) in plan.iter().enumerate() {
        k.save_legal_aid_help(
            None,
            &advice(day(5 + i as i64), &minutes.to_string(), &cat),
            &card(p, area, form, profession),
        )
        .await
        .unwrap();
    }
    for when in [day(200), day(0)] {
        let at = if when == day(0) { other } else { p };
        k.save_legal_aid_help(
            None,
            &advice(when, "30", &cat),
            &card(at, "labour", "point", "radca"),
        )
        .await
        .unwrap();
    }
    for (rating, understandable) in [("5", "yes"), ("4", "yes"), ("2", "no")] {
        k.save_legal_aid_opinion(&OpinionInput {
            point_id: Some(p),
            filled_on: typed(day(6)),
            rating: rating.into(),
            understandable: understandable.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    }
    let (from, to) = (typed(day(30)), typed(day(1)));
    let f = k.starosta_figures(&from, &to, Some(p)).await.unwrap();

    // Counts taken straight from the plan.
    let count = |pick: &dyn Fn(&Planned) -> bool| plan.iter().filter(|c| pick(c)).count() as i64;
    assert_eq!(f.cards, 12);
    let by = |v: &[kartoteka_core::legal_aid::Count], code: &str| {
        v.iter().find(|c| c.code == code).map_or(0, |c| c.count)
    };
    for area in [
        "labour", "family", "civil", "housing", "debt", "criminal", "tax",
    ] {
        assert_eq!(by(&f.by_area, area), count(&|c| c.0 == area), "{area}");
    }
    for form in ["point", "phone", "video", "email", "outside"] {
        assert_eq!(by(&f.by_form, form), count(&|c| c.1 == form), "{form}");
    }
    for prof in [
        "radca",
        "adwokat",
        "prawnik",
        "doradca_obywatelski",
        "mediator",
    ] {
        assert_eq!(
            by(&f.by_profession, prof),
            count(&|c| c.2 == prof),
            "{prof}"
        );
    }
    let remote = count(&|c| matches!(c.1, "phone" | "email" | "video"));
    assert_eq!((f.remote, f.in_point), (remote, 12 - remote));
    assert_eq!(
        f.minutes_total,
        plan.iter().map(|c| c.3 as i64).sum::<i64>()
    );
    assert_eq!(by(&f.by_help_kind, "info"), 12);
    assert_eq!(by(&f.by_time, "to15"), count(&|c| c.3 <= 15));
    assert_eq!(by(&f.by_time, "over120"), count(&|c| c.3 > 120));
    assert_eq!(f.statements_signed, 12 - remote);
    assert_eq!(by(&f.by_no_statement_reason, "remote"), remote);
    assert_eq!(f.opinions, 3);
    assert_eq!(by(&f.by_rating, "5"), 1);
    assert_eq!(f.answers[0].yes, 2);
    assert_eq!(f.answers[0].no, 1);

    // The same figures from the CLI as JSON.
    let cli = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .env("KARTOTEKA_LOG_DIR", db.dir.path().join("logi"))
        .args(["--db", db.location().as_str(), "report", "starosta"])
        .args(["--from", &from, "--to", &to, "--point", "3", "--json"])
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(json["cards"], 12);
    assert_eq!(json, serde_json::to_value(&f).unwrap());

    // The PDF and the sheet say the same.
    let pdf = db.dir.path().join("starosta.pdf");
    k.starosta_report(&from, &to, Some(p), &pdf).await.unwrap();
    let text = pdf_text(&pdf);
    let line = text
        .lines()
        .find(|l| l.contains("Karty pomocy (porady) ogółem"))
        .unwrap_or_else(|| panic!("no total in\n{text}"));
    assert!(line.trim_end().ends_with(" 12"), "{line}");
    let labour = text.lines().find(|l| l.contains("prawo pracy")).unwrap();
    assert!(labour
        .trim_end()
        .ends_with(&format!(" {}", by(&f.by_area, "labour"))));
    assert!(
        !text.contains("Źrebięcka") && !text.contains("K-2"),
        "no personal data:\n{text}"
    );
    let sheet = db.dir.path().join("starosta.xlsx");
    k.starosta_report(&from, &to, Some(p), &sheet)
        .await
        .unwrap();
    let rows = xlsx_rows(&sheet);
    assert_eq!(rows["Karty pomocy (porady) ogółem"], 12.0);
    assert_eq!(rows["na odległość"], remote as f64);
    assert_eq!(rows["prawo rodzinne"], by(&f.by_area, "family") as f64);
    assert_eq!(rows["opinie otrzymane"], 3.0);

    // Part B: no column and no field that could name a client, a card or an advice record.
    for migration in [
        include_str!("../../migrations/20261202160000_legal_aid.sql"),
        include_str!("../../migrations/postgres/20261202160000_legal_aid.sql"),
    ] {
        let table = migration
            .split("CREATE TABLE legal_aid_opinions")
            .nth(1)
            .unwrap()
            .split(");")
            .next()
            .unwrap()
            .to_lowercase();
        for link in ["person", "advice", "card", "client", "people", "phone"] {
            assert!(!table.contains(link), "Part B links a {link}: {table}");
        }
    }
    let opinions = k
        .legal_aid_opinions(&OpinionQuery {
            point_id: Some(p),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    let exported = serde_json::to_string(&opinions).unwrap();
    assert_eq!(opinions.total, 3);
    for key in ["person", "advice", "client", "card"] {
        assert!(!exported.contains(key), "{key} in {exported}");
    }
    let cards = k
        .legal_aid_cards(&CardQuery {
            from: from.clone(),
            to: to.clone(),
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((cards.total, cards.items.len()), (12, 5));

    // The union's statistics file carries the counts, and no client or adviser.
    let year = chrono::Datelike::year(&day(10));
    let stats = db.dir.path().join("stats.json");
    k.export_stats(year, "Biuro testowe", &stats).await.unwrap();
    let text = std::fs::read_to_string(&stats).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let in_year = |d: chrono::NaiveDate| chrono::Datelike::year(&d) == year;
    let expected = (0..12).filter(|i| in_year(day(5 + i))).count()
        + [day(200), day(0)]
            .into_iter()
            .filter(|d| in_year(*d))
            .count();
    assert_eq!(json["legal_aid_cards"], expected as i64, "{text}");
    assert!(json["legal_aid_by_area"].is_object(), "{text}");
    assert!(
        !text.contains("Źrebięcka") && !text.contains("K-2"),
        "{text}"
    );
}

#[tokio::test]
async fn appointments_fit_the_duty_hours_and_two_pcs_never_book_one_time_twice() {
    use chrono::Datelike;
    use kartoteka_core::legal_aid::{AppointmentInput, DutyHourInput};
    let place = crate::util::fresh_place().await;
    let first = place.open().await;
    let p = point(&first, "5").await;
    // The next Monday (a week ahead at most), with duty 9–13.
    let monday = (1..=7)
        .map(|n| day(-n))
        .find(|d| d.weekday() == chrono::Weekday::Mon)
        .unwrap();
    first
        .save_legal_aid_duty_hour(
            None,
            &DutyHourInput {
                point_id: Some(p),
                weekday: "1".into(),
                starts: "9:00".into(),
                ends: "13:00".into(),
                on_duty: "adwokat Anna Borowska".into(),
            },
        )
        .await
        .unwrap();
    let visit = |at: &str, who: &str| AppointmentInput {
        point_id: Some(p),
        on_day: typed(monday),
        starts: at.into(),
        client_name: who.into(),
        phone: "600 100 200".into(),
        ..Default::default()
    };
    let outside = first
        .save_legal_aid_appointment(None, &visit("13:00", "Jan Kowalski"))
        .await
        .unwrap_err();
    assert_eq!(fields(outside), ["starts"]);
    let mut pregnant = visit("9:00", "Zofia Żak");
    pregnant.out_of_turn = true;
    first
        .save_legal_aid_appointment(None, &pregnant)
        .await
        .unwrap();
    let overlapping = first
        .save_legal_aid_appointment(None, &visit("9:15", "Jan Kowalski"))
        .await
        .unwrap_err();
    assert_eq!(fields(overlapping), ["starts"]);

    let second = place.open().await;
    for (i, at) in ["10:00", "11:00", "12:00"].iter().enumerate() {
        let (anna, jan) = (
            visit(at, &format!("Anna {i}")),
            visit(at, &format!("Jan {i}")),
        );
        let (a, b) = tokio::join!(
            first.save_legal_aid_appointment(None, &anna),
            second.save_legal_aid_appointment(None, &jan)
        );
        assert_eq!(
            [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
            1,
            "exactly one at {at}: {a:?} {b:?}"
        );
    }
    let day = first.legal_aid_day(p, &typed(monday)).await.unwrap();
    assert_eq!(day.appointments.len(), 4);
    assert!(day.appointments[0].out_of_turn);
    assert_eq!(day.weekday, "poniedziałek");
    assert!(day.free_slots.contains(&"09:30".to_string()));
    assert!(!day.free_slots.contains(&"10:00".to_string()));

    let out = place.dir.path().join("zapisy.pdf");
    assert_eq!(
        first
            .legal_aid_day_pdf(p, &typed(monday), &out)
            .await
            .unwrap(),
        4
    );
    let text = pdf_text(&out);
    for expected in [
        "Zapisy na",
        "Zofia Żak",
        "600 100 200",
        "adwokat Anna Borowska",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}
