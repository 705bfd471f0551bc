//! The annual report and the statistics file against records made here: every figure in the
//! PDF equals a count taken straight from the records, the chart is drawn, and the statistics
//! file holds counts only, never a name or a description.

use crate::util::{fresh, save_person};
use kartoteka_core::advice::AdviceInput;
use kartoteka_core::events::EventInput;
use kartoteka_core::model::PersonInput;
use kartoteka_core::report::AnnualOptions;
use std::process::Command;

fn advice(date: &str, categories: &[&str], channel: &str, returning: bool, person: Option<i64>) -> AdviceInput {
    AdviceInput {
        given_on: date.into(),
        advisor: "Anna Kowalska".into(),
        person_id: person,
        channel: channel.into(),
        outcome: "advice".into(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        minutes: "90".into(),
        returning,
        description: "Pani Zofia Świątek z ul. Tajnej 5 ma dług u komornika".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_annual_report_counts_what_the_records_hold() {
    let db = fresh().await;
    let zofia = save_person(&db.k, &PersonInput { first_name: "Zofia".into(), last_name: "Świątek".into(), ..Default::default() }).await;
    // 2025: 5 advice (3 debt incl. one also housing, 1 housing, 1 family); 2024: 2 advice.
    for a in [
        advice("15.01.2025", &["ZAD.KOM"], "in_person", false, Some(zofia)),
        advice("20.01.2025", &["ZAD.WIN", "MIE.NAJ"], "phone", true, None),
        advice("03.03.2025", &["ZAD"], "in_person", true, Some(zofia)),
        advice("10.03.2025", &["MIE.EKS"], "email", false, None),
        advice("11.12.2025", &["ROD.ALI"], "in_person", false, None),
        advice("05.05.2024", &["ZAD"], "in_person", false, None),
        advice("06.05.2024", &["KAR"], "online", false, None),
    ] {
        db.k.save_advice(None, &a).await.unwrap();
    }
    let event = db
        .k
        .save_event(None, &EventInput { title: "Szkolenie Zofii".into(), kind: "training".into(), date: "12.06.2025".into(), starts: "10:00".into(), ends: "13:30".into(), ..Default::default() })
        .await
        .unwrap();
    db.k.register_for_event(event, zofia, None).await.unwrap();
    let reg = db.k.event(event).await.unwrap().registrations[0].id;
    db.k.set_attended(reg, true).await.unwrap();

    let f = db.k.annual_figures(2025).await.unwrap();
    assert_eq!(f.advice_total, 5);
    assert_eq!(f.advice_by_category, vec![("mieszkaniowe".to_string(), 2), ("rodzinne".into(), 1), ("zadłużenie".into(), 3)]);
    assert_eq!(f.advice_by_month, vec![2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!((f.advice_new_clients, f.advice_returning_clients, f.advice_hours), (3, 2, 7.5));
    assert_eq!((f.events_total, f.events_participants, f.events_hours), (1, 1, 3.5));

    let out = db.dir.path().join("sprawozdanie.pdf");
    let opts = AnnualOptions { office: "Biuro Porad Obywatelskich w Łodzi".into(), introduction: "Rok pełen pracy.".into(), ..Default::default() };
    db.k.annual_report(2025, &opts, &out).await.unwrap();
    let text = String::from_utf8(Command::new("pdftotext").arg("-layout").arg(&out).arg("-").output().unwrap().stdout).unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Sprawozdanie roczne 2025", "Biuro Porad Obywatelskich w Łodzi", "Rok pełen pracy.", "Porady ogółem 5 2", "Nowi klienci 3 2",
        "Klienci powracający 2 0", "Godziny poradnictwa 7,5 3", "zadłużenie 3 1", "mieszkaniowe 2 0", "karne 0 1", "osobiście 3 1",
        "Wydarzenia 1 0", "Uczestnicy obecni 1 0", "Godziny wydarzeń 3,5 0", "Strona 1 z",
    ] {
        assert!(flat.contains(expected), "„{expected}” missing in:\n{text}");
    }
    // The chart: twelve month labels and filled bars (vector paths, not an image).
    assert!(flat.contains("sty lut mar kwi maj cze lip sie wrz paź lis gru"), "{text}");
    let svg = db.dir.path().join("sprawozdanie.svg");
    assert!(Command::new("pdftocairo").arg("-svg").arg(&out).arg(&svg).status().unwrap().success());
    let svg = std::fs::read_to_string(&svg).unwrap();
    let bars = svg.matches("fill:rgb(54.998779%,75%,100%)").count();
    assert_eq!(bars, 4, "a vector bar for each month with advice (January, March, December) and the legend");

    // The statistics file: counts only.
    let stats = db.dir.path().join("statystyki.json");
    let cli = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args(["--db", db.path().to_str().unwrap(), "stats", "export", "--year", "2025", "--out", stats.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
    let json = std::fs::read_to_string(&stats).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["advice_total"], 5);
    assert_eq!(v["advice_by_category"]["zadłużenie"], 3);
    for secret in ["Zofia", "Świątek", "Tajnej", "komornika", "Anna Kowalska", "Szkolenie Zofii"] {
        assert!(!json.contains(secret), "personal data or free text in the statistics file: {secret}");
    }
    let report = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args(["--db", db.path().to_str().unwrap(), "report", "annual", "--year", "2025", "--out", db.dir.path().join("cli.pdf").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stderr));
}

#[tokio::test]
async fn the_union_adds_up_three_bureaus_files() {
    let union = fresh().await;
    let mut files = Vec::new();
    for (i, (office, n)) in [("BPO Leszno", 3), ("BPO Białystok", 5), ("BPO Łódź", 2)].into_iter().enumerate() {
        let bureau = fresh().await;
        for d in 0..n {
            let mut a = advice(&format!("{:02}.0{}.2025", 10 + d, 1 + i), &["ZAD"], "phone", d % 2 == 0, None);
            a.minutes = "60".into();
            bureau.k.save_advice(None, &a).await.unwrap();
        }
        let file = union.dir.path().join(format!("stat-{i}.json"));
        let status = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
            .args(["--db", bureau.path().to_str().unwrap(), "stats", "export", "--year", "2025", "--office", office, "--out", file.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        files.push(file);
        // The bureau's own databases go away: the union works from the files alone.
        drop(bureau);
    }
    let args: Vec<String> = ["--db", union.path().to_str().unwrap(), "stats", "import"]
        .iter()
        .map(|s| s.to_string())
        .chain(files.iter().map(|f| f.display().to_string()))
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_kartoteka")).args(&args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Importing a bureau's file again replaces it instead of counting it twice.
    union.k.import_stats(&files[..1]).await.unwrap();

    let bureaus = union.k.network_figures(2025).await.unwrap();
    assert_eq!(bureaus.iter().map(|b| b.office.as_str()).collect::<Vec<_>>(), vec!["BPO Białystok", "BPO Leszno", "BPO Łódź"]);
    let mut total = kartoteka_core::report::AnnualFigures { year: 2025, advice_by_month: vec![0; 12], ..Default::default() };
    for b in &bureaus {
        kartoteka_core::report::add_into(&mut total, b);
    }
    assert_eq!(total.advice_total, 10);
    assert_eq!(total.advice_hours, 10.0);
    assert_eq!(total.advice_by_category, vec![("zadłużenie".to_string(), 10)]);
    assert_eq!(&total.advice_by_month[..3], &[3, 5, 2]);

    let pdf = union.dir.path().join("siec.pdf");
    union.k.network_report(2025, "Związek Biur Porad Obywatelskich", &pdf).await.unwrap();
    let text = String::from_utf8(Command::new("pdftotext").arg("-layout").arg(&pdf).arg("-").output().unwrap().stdout).unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in ["Sprawozdanie sieci 2025", "Związek Biur Porad Obywatelskich", "Porady — razem 10", "— BPO Białystok 5", "— BPO Leszno 3", "— BPO Łódź 2", "zadłużenie 10"] {
        assert!(flat.contains(expected), "„{expected}” missing in:\n{text}");
    }
    let broken = union.dir.path().join("zly.json");
    std::fs::write(&broken, "{\"to\": \"nie statystyki\"}").unwrap();
    let err = union.k.import_stats(&[broken]).await.unwrap_err();
    assert!(err.to_string().contains("nie jest plikiem statystyk"), "{err}");
}

#[tokio::test]
async fn consultations_for_organisations_are_recorded_and_counted() {
    use kartoteka_core::consultations::{ConsultationInput, ConsultationQuery};
    let db = fresh().await;
    let org = crate::util::save_org(&db.k, &crate::util::org("Fundacja Wiatrak", "Łódź")).await;
    let bad = db.k.save_consultation(None, &ConsultationInput { given_on: "01.02.2025".into(), advisor: "Ewa".into(), topic: "WNI".into(), ..Default::default() }).await.unwrap_err();
    assert_eq!(bad.field_errors()[0].field, "organization_id");
    for (date, topic, minutes) in [("01.02.2025", "WNI", "90"), ("03.02.2025", "WNI", "30"), ("10.05.2025", "ROZ", "60"), ("10.05.2024", "WOL", "60")] {
        let input = ConsultationInput { given_on: date.into(), advisor: "Ewa Nowak".into(), organization_id: Some(org), topic: topic.into(), minutes: minutes.into(), ..Default::default() };
        db.k.save_consultation(None, &input).await.unwrap();
    }
    let list = db.k.consultations(&ConsultationQuery { organization_id: Some(org), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(list.total, 4);
    assert_eq!(list.items[0].organization_name.as_deref(), Some("Fundacja Wiatrak"));
    assert_eq!(list.items[0].topic_name, "rozliczanie projektów");
    let f = db.k.annual_figures(2025).await.unwrap();
    assert_eq!(f.consultations_total, 3);
    assert_eq!(f.consultations_hours, 3.0);
    assert_eq!(f.consultations_by_topic, vec![("pisanie wniosków grantowych".to_string(), 2), ("rozliczanie projektów".into(), 1)]);
    let out = db.dir.path().join("r.pdf");
    db.k.annual_report(2025, &AnnualOptions::default(), &out).await.unwrap();
    let text = String::from_utf8(Command::new("pdftotext").arg("-layout").arg(&out).arg("-").output().unwrap().stdout).unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Konsultacje ogółem 3 1") && flat.contains("— pisanie wniosków grantowych 2 0") && flat.contains("— wolontariat 0 1"), "{text}");
}

#[tokio::test]
async fn categories_and_topics_are_editable_and_the_figures_go_to_xlsx() {
    let db = fresh().await;
    db.k.save_advice_category("zad.fir", Some("ZAD"), "chwilówki i firmy pożyczkowe", true).await.unwrap();
    let cats = db.k.advice_categories().await.unwrap();
    let new = cats.iter().find(|c| c.code == "ZAD.FIR").unwrap();
    assert_eq!((new.parent.as_deref(), new.name.as_str()), (Some("ZAD"), "chwilówki i firmy pożyczkowe"));
    let bad = db.k.save_advice_category("XYZ.ABC", Some("NIE"), "coś", true).await.unwrap_err();
    assert_eq!(bad.field_errors()[0].field, "parent");
    assert_eq!(db.k.save_advice_category("a b", None, "x", true).await.unwrap_err().field_errors()[0].field, "code");
    // Switching a category off keeps it out of new advice.
    db.k.save_advice_category("KAR", None, "karne", false).await.unwrap();
    let mut a = advice("02.02.2025", &["KAR"], "phone", false, None);
    assert_eq!(db.k.save_advice(None, &a).await.unwrap_err().field_errors()[0].field, "categories");
    a.categories = vec!["ZAD.FIR".into()];
    db.k.save_advice(None, &a).await.unwrap();
    db.k.save_consultation_topic("ESP", "ekonomia społeczna", true).await.unwrap();
    assert!(db.k.consultation_topics().await.unwrap().iter().any(|t| t.code == "ESP" && t.active));

    let xlsx = db.dir.path().join("liczby.xlsx");
    db.k.annual_xlsx(2025, &xlsx).await.unwrap();
    let sheet = kartoteka_core::import::read::read_sheet(&xlsx, None).unwrap();
    let cells: Vec<String> = sheet.rows.iter().map(|r| r.cells.iter().map(|c| c.display()).collect::<Vec<_>>().join("|")).collect();
    assert!(cells.contains(&"Porady ogółem|1|0".to_string()), "{cells:?}");
    assert!(cells.contains(&"zadłużenie|1|0".to_string()), "{cells:?}");
}

fn write_png(path: &std::path::Path, w: u32, h: u32) {
    let file = std::fs::File::create(path).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().unwrap();
    let data: Vec<u8> = (0..w * h).flat_map(|i| [30, 78, 121, if i % 7 == 0 { 0 } else { 255 }]).collect();
    writer.write_image_data(&data).unwrap();
}

#[tokio::test]
async fn the_office_logo_prints_on_the_annual_report() {
    let db = fresh().await;
    let not_png = db.dir.path().join("logo.png");
    std::fs::write(&not_png, "to nie obraz").unwrap();
    let err = db.k.set_logo(&not_png).await.unwrap_err();
    assert!(err.field_errors()[0].message.contains("PNG"), "{err}");
    assert!(!db.k.has_logo().await.unwrap());

    let logo = db.dir.path().join("logo-ok.png");
    write_png(&logo, 300, 120);
    db.k.set_logo(&logo).await.unwrap();
    assert!(db.k.has_logo().await.unwrap());
    let out = db.dir.path().join("z-logo.pdf");
    db.k.annual_report(2025, &AnnualOptions { office: "BPO Łódź".into(), ..Default::default() }, &out).await.unwrap();
    let list = String::from_utf8(Command::new("pdfimages").arg("-list").arg(&out).output().unwrap().stdout).unwrap();
    let images: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(images.len(), 1, "{list}");
    assert!(images[0].contains(" 300 ") && images[0].contains(" 120 "), "the logo at its own resolution: {list}");

    db.k.clear_logo().await.unwrap();
    db.k.annual_report(2025, &AnnualOptions::default(), &out).await.unwrap();
    let list = String::from_utf8(Command::new("pdfimages").arg("-list").arg(&out).output().unwrap().stdout).unwrap();
    assert_eq!(list.lines().skip(2).count(), 0);
}

#[tokio::test]
async fn the_user_ticks_the_sections_and_the_register_shows_spheres() {
    let db = fresh().await;
    let mut o = crate::util::org("Fundacja Sfera", "Łódź");
    o.areas = vec!["1".into(), "27".into()];
    crate::util::save_org(&db.k, &o).await;
    db.k.save_advice(None, &advice("02.02.2025", &["ZAD"], "phone", false, None)).await.unwrap();
    let out = db.dir.path().join("czesci.pdf");
    let only = AnnualOptions { sections: vec!["register".into()], ..Default::default() };
    db.k.annual_report(2025, &only, &out).await.unwrap();
    let text = String::from_utf8(Command::new("pdftotext").arg("-layout").arg(&out).arg("-").output().unwrap().stdout).unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!flat.contains("Poradnictwo") && !flat.contains("Wydarzenia i szkolenia"), "only the ticked section: {text}");
    assert!(flat.contains("Organizacje według sfer pożytku publicznego"), "{text}");
    assert!(flat.contains("1. pomoc społeczna") && flat.contains("… 1") && flat.contains("27. promocja i organizacja wolontariatu 1"), "{text}");
    let bad = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args(["--db", db.path().to_str().unwrap(), "report", "annual", "--year", "2025", "--sections", "advice,plotki", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("plotki"));
}
