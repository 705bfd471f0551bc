//! The annual report and the statistics file against records made here: every figure in the
//! PDF equals a count taken straight from the records, the chart is drawn, and the statistics
//! file holds counts only, never a name or a description.

use crate::util::{fresh, org, save_org, save_person};
use kartoteka_core::advice::AdviceInput;
use kartoteka_core::events::EventInput;
use kartoteka_core::register::{OrganizationInput, PersonInput};
use kartoteka_core::reports::AnnualOptions;
use std::process::Command;

fn advice(
    date: &str,
    categories: &[&str],
    channel: &str,
    returning: bool,
    person: Option<i64>,
) -> AdviceInput {
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
    let zofia = save_person(
        &db.k,
        &PersonInput {
            first_name: "Zofia".into(),
            last_name: "Świątek".into(),
            ..Default::default()
        },
    )
    .await;
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
    let event =
        db.k.save_event(
            None,
            &EventInput {
                title: "Szkolenie Zofii".into(),
                kind: "training".into(),
                date: "12.06.2025".into(),
                starts: "10:00".into(),
                ends: "13:30".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    db.k.register_for_event(event, zofia, None).await.unwrap();
    let reg = db.k.event(event).await.unwrap().registrations[0].id;
    db.k.set_attended(reg, true).await.unwrap();

    let f = db.k.annual_figures(2025).await.unwrap();
    assert_eq!(f.advice_total, 5);
    assert_eq!(
        f.advice_by_category,
        vec![
            ("mieszkaniowe".to_string(), 2),
            ("rodzinne".into(), 1),
            ("zadłużenie".into(), 3)
        ]
    );
    assert_eq!(f.advice_by_month, vec![2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!(
        (
            f.advice_new_clients,
            f.advice_returning_clients,
            f.advice_hours
        ),
        (3, 2, 7.5)
    );
    assert_eq!(
        (f.events_total, f.events_participants, f.events_hours),
        (1, 1, 3.5)
    );

    // The map of social activity: one organisation placed, one whose powiat is unknown.
    save_org(
        &db.k,
        &OrganizationInput {
            powiat: "m. Łódź".into(),
            voivodeship: "łódzkie".into(),
            ..org("Fundacja Łódzka", "Łódź")
        },
    )
    .await;
    save_org(
        &db.k,
        &OrganizationInput {
            powiat: "Atlantyda".into(),
            ..org("Stowarzyszenie Znikąd", "Gdzieś")
        },
    )
    .await;
    let out = db.dir.path().join("sprawozdanie.pdf");
    let opts = AnnualOptions {
        office: "Biuro Porad Obywatelskich w Łodzi".into(),
        introduction: "Rok pełen pracy.".into(),
        ..Default::default()
    };
    db.k.annual_report(2025, &opts, &out).await.unwrap();
    let text = String::from_utf8(
        Command::new("pdftotext")
            .arg("-layout")
            .arg(&out)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Sprawozdanie roczne 2025",
        "Biuro Porad Obywatelskich w Łodzi",
        "Rok pełen pracy.",
        "Porady ogółem 5 2",
        "Nowi klienci 3 2",
        "Klienci powracający 2 0",
        "Godziny poradnictwa 7,5 3",
        "zadłużenie 3 1",
        "mieszkaniowe 2 0",
        "karne 0 1",
        "osobiście 3 1",
        "Wydarzenia 1 0",
        "Uczestnicy obecni 1 0",
        "Godziny wydarzeń 3,5 0",
        "Mapa aktywności społecznej",
        "na mapie: 1 z 2; bez rozpoznanego powiatu: 1",
        "Organizacje według województw",
        "łódzkie 1",
        "Granice: Piotr Patrzyk, licencja MIT",
        "Strona 1 z",
    ] {
        assert!(flat.contains(expected), "„{expected}” missing in:\n{text}");
    }
    // The chart: twelve month labels and filled bars (vector paths, not an image).
    assert!(
        flat.contains("sty lut mar kwi maj cze lip sie wrz paź lis gru"),
        "{text}"
    );
    let svg = db.dir.path().join("sprawozdanie.svg");
    assert!(Command::new("pdftocairo")
        .arg("-svg")
        .arg(&out)
        .arg(&svg)
        .status()
        .unwrap()
        .success());
    let svg = std::fs::read_to_string(&svg).unwrap();
    let bars = svg.matches("fill:rgb(54.998779%,75%,100%)").count();
    assert_eq!(
        bars, 4,
        "a vector bar for each month with advice (January, March, December) and the legend"
    );

    // The statistics file: counts only.
    let stats = db.dir.path().join("statystyki.json");
    let cli = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args([
            "--db",
            &db.location(),
            "stats",
            "export",
            "--year",
            "2025",
            "--out",
            stats.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let json = std::fs::read_to_string(&stats).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["advice_total"], 5);
    assert_eq!(v["advice_by_category"]["zadłużenie"], 3);
    for secret in [
        "Zofia",
        "Świątek",
        "Tajnej",
        "komornika",
        "Anna Kowalska",
        "Szkolenie Zofii",
    ] {
        assert!(
            !json.contains(secret),
            "personal data or free text in the statistics file: {secret}"
        );
    }
    let report = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args([
            "--db",
            &db.location(),
            "report",
            "annual",
            "--year",
            "2025",
            "--out",
            db.dir.path().join("cli.pdf").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
}

#[tokio::test]
async fn the_union_adds_up_three_bureaus_files() {
    let union = fresh().await;
    let mut files = Vec::new();
    for (i, (office, n)) in [("BPO Leszno", 3), ("BPO Białystok", 5), ("BPO Łódź", 2)]
        .into_iter()
        .enumerate()
    {
        let bureau = fresh().await;
        for d in 0..n {
            let mut a = advice(
                &format!("{:02}.0{}.2025", 10 + d, 1 + i),
                &["ZAD"],
                "phone",
                d % 2 == 0,
                None,
            );
            a.minutes = "60".into();
            bureau.k.save_advice(None, &a).await.unwrap();
        }
        let file = union.dir.path().join(format!("stat-{i}.json"));
        let status = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
            .args([
                "--db",
                &bureau.location(),
                "stats",
                "export",
                "--year",
                "2025",
                "--office",
                office,
                "--out",
                file.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        files.push(file);
        // The bureau's own databases go away: the union works from the files alone.
        drop(bureau);
    }
    let args: Vec<String> = ["--db", &union.location(), "stats", "import"]
        .iter()
        .map(|s| s.to_string())
        .chain(files.iter().map(|f| f.display().to_string()))
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Importing a bureau's file again replaces it instead of counting it twice.
    union.k.import_stats(&files[..1]).await.unwrap();

    let bureaus = union.k.network_figures(2025).await.unwrap();
    assert_eq!(
        bureaus
            .iter()
            .map(|b| b.office.as_str())
            .collect::<Vec<_>>(),
        vec!["BPO Białystok", "BPO Leszno", "BPO Łódź"]
    );
    let mut total = kartoteka_core::reports::AnnualFigures {
        year: 2025,
        advice_by_month: vec![0; 12],
        ..Default::default()
    };
    for b in &bureaus {
        kartoteka_core::reports::add_into(&mut total, b);
    }
    assert_eq!(total.advice_total, 10);
    assert_eq!(total.advice_hours, 10.0);
    assert_eq!(
        total.advice_by_category,
        vec![("zadłużenie".to_string(), 10)]
    );
    assert_eq!(&total.advice_by_month[..3], &[3, 5, 2]);

    let pdf = union.dir.path().join("siec.pdf");
    union
        .k
        .network_report(2025, "Związek Biur Porad Obywatelskich", &pdf)
        .await
        .unwrap();
    let text = String::from_utf8(
        Command::new("pdftotext")
            .arg("-layout")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Sprawozdanie sieci 2025",
        "Związek Biur Porad Obywatelskich",
        "Porady — razem 10",
        "— BPO Białystok 5",
        "— BPO Leszno 3",
        "— BPO Łódź 2",
        "zadłużenie 10",
    ] {
        assert!(flat.contains(expected), "„{expected}” missing in:\n{text}");
    }
    let broken = union.dir.path().join("zly.json");
    std::fs::write(&broken, "{\"to\": \"nie statystyki\"}").unwrap();
    let err = union.k.import_stats(&[broken]).await.unwrap_err();
    assert!(
        err.to_string().contains("nie jest plikiem statystyk"),
        "{err}"
    );
}

#[tokio::test]
async fn consultations_for_organisations_are_recorded_and_counted() {
    use kartoteka_core::consultations::{ConsultationInput, ConsultationQuery};
    let db = fresh().await;
    let org = crate::util::save_org(&db.k, &crate::util::org("Fundacja Wiatrak", "Łódź")).await;
    let bad =
        db.k.save_consultation(
            None,
            &ConsultationInput {
                given_on: "01.02.2025".into(),
                advisor: "Ewa".into(),
                topic: "WNI".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(bad.field_errors()[0].field, "organization_id");
    for (date, topic, minutes) in [
        ("01.02.2025", "WNI", "90"),
        ("03.02.2025", "WNI", "30"),
        ("10.05.2025", "ROZ", "60"),
        ("10.05.2024", "WOL", "60"),
    ] {
        let input = ConsultationInput {
            given_on: date.into(),
            advisor: "Ewa Nowak".into(),
            organization_id: Some(org),
            topic: topic.into(),
            minutes: minutes.into(),
            ..Default::default()
        };
        db.k.save_consultation(None, &input).await.unwrap();
    }
    let list =
        db.k.consultations(&ConsultationQuery {
            organization_id: Some(org),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(list.total, 4);
    assert_eq!(
        list.items[0].organization_name.as_deref(),
        Some("Fundacja Wiatrak")
    );
    assert_eq!(list.items[0].topic_name, "rozliczanie projektów");
    let f = db.k.annual_figures(2025).await.unwrap();
    assert_eq!(f.consultations_total, 3);
    assert_eq!(f.consultations_hours, 3.0);
    assert_eq!(
        f.consultations_by_topic,
        vec![
            ("pisanie wniosków grantowych".to_string(), 2),
            ("rozliczanie projektów".into(), 1)
        ]
    );
    let out = db.dir.path().join("r.pdf");
    db.k.annual_report(2025, &AnnualOptions::default(), &out)
        .await
        .unwrap();
    let text = String::from_utf8(
        Command::new("pdftotext")
            .arg("-layout")
            .arg(&out)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Konsultacje ogółem 3 1")
            && flat.contains("— pisanie wniosków grantowych 2 0")
            && flat.contains("— wolontariat 0 1"),
        "{text}"
    );
}

#[tokio::test]
async fn categories_and_topics_are_editable_and_the_figures_go_to_xlsx() {
    let db = fresh().await;
    db.k.save_advice_category("zad.fir", Some("ZAD"), "chwilówki i firmy pożyczkowe", true)
        .await
        .unwrap();
    let cats = db.k.advice_categories().await.unwrap();
    let new = cats.iter().find(|c| c.code == "ZAD.FIR").unwrap();
    assert_eq!(
        (new.parent.as_deref(), new.name.as_str()),
        (Some("ZAD"), "chwilówki i firmy pożyczkowe")
    );
    let bad =
        db.k.save_advice_category("XYZ.ABC", Some("NIE"), "coś", true)
            .await
            .unwrap_err();
    assert_eq!(bad.field_errors()[0].field, "parent");
    assert_eq!(
        db.k.save_advice_category("a b", None, "x", true)
            .await
            .unwrap_err()
            .field_errors()[0]
            .field,
        "code"
    );
    // Switching a category off keeps it out of new advice.
    db.k.save_advice_category("KAR", None, "karne", false)
        .await
        .unwrap();
    let mut a = advice("02.02.2025", &["KAR"], "phone", false, None);
    assert_eq!(
        db.k.save_advice(None, &a).await.unwrap_err().field_errors()[0].field,
        "categories"
    );
    a.categories = vec!["ZAD.FIR".into()];
    db.k.save_advice(None, &a).await.unwrap();
    db.k.save_consultation_topic("ESP", "ekonomia społeczna", true)
        .await
        .unwrap();
    assert!(db
        .k
        .consultation_topics()
        .await
        .unwrap()
        .iter()
        .any(|t| t.code == "ESP" && t.active));

    let xlsx = db.dir.path().join("liczby.xlsx");
    db.k.annual_xlsx(2025, &xlsx).await.unwrap();
    let sheet = kartoteka_core::import::read::read_sheet(&xlsx, None).unwrap();
    let cells: Vec<String> = sheet
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
    assert!(
        cells.contains(&"Porady ogółem|1|0".to_string()),
        "{cells:?}"
    );
    assert!(cells.contains(&"zadłużenie|1|0".to_string()), "{cells:?}");
}

fn write_png(path: &std::path::Path, w: u32, h: u32) {
    let file = std::fs::File::create(path).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().unwrap();
    let data: Vec<u8> = (0..w * h)
        .flat_map(|i| [30, 78, 121, if i % 7 == 0 { 0 } else { 255 }])
        .collect();
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
    db.k.annual_report(
        2025,
        &AnnualOptions {
            office: "BPO Łódź".into(),
            ..Default::default()
        },
        &out,
    )
    .await
    .unwrap();
    let list = String::from_utf8(
        Command::new("pdfimages")
            .arg("-list")
            .arg(&out)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let images: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(images.len(), 1, "{list}");
    assert!(
        images[0].contains(" 300 ") && images[0].contains(" 120 "),
        "the logo at its own resolution: {list}"
    );

    db.k.clear_logo().await.unwrap();
    db.k.annual_report(2025, &AnnualOptions::default(), &out)
        .await
        .unwrap();
    let list = String::from_utf8(
        Command::new("pdfimages")
            .arg("-list")
            .arg(&out)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(list.lines().skip(2).count(), 0);
}

#[tokio::test]
async fn the_user_ticks_the_sections_and_the_register_shows_spheres() {
    let db = fresh().await;
    let mut o = crate::util::org("Fundacja Sfera", "Łódź");
    o.areas = vec!["1".into(), "27".into()];
    crate::util::save_org(&db.k, &o).await;
    db.k.save_advice(None, &advice("02.02.2025", &["ZAD"], "phone", false, None))
        .await
        .unwrap();
    let out = db.dir.path().join("czesci.pdf");
    let only = AnnualOptions {
        sections: vec!["register".into()],
        ..Default::default()
    };
    db.k.annual_report(2025, &only, &out).await.unwrap();
    let text = String::from_utf8(
        Command::new("pdftotext")
            .arg("-layout")
            .arg(&out)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        !flat.contains("Poradnictwo") && !flat.contains("Wydarzenia i szkolenia"),
        "only the ticked section: {text}"
    );
    assert!(
        flat.contains("Organizacje według sfer pożytku publicznego"),
        "{text}"
    );
    // A long sphere's name wraps in full (it was cut with "…"); the register has no previous-year column.
    assert!(
        flat.contains("1. pomoc społeczna")
            && flat.contains("wyrównywanie szans tych rodzin i osób")
            && !flat.contains('…'),
        "{text}"
    );
    assert!(
        flat.contains("27. promocja i organizacja wolontariatu 1") && !flat.contains("2024"),
        "{text}"
    );
    assert!(
        !text.lines().any(|l| l.trim_end().ends_with('—')),
        "no column of dashes: {text}"
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .args([
            "--db",
            &db.location(),
            "report",
            "annual",
            "--year",
            "2025",
            "--sections",
            "advice,plotki",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("plotki"));
}

#[tokio::test]
async fn the_report_names_the_office_profiles_the_clients_and_explains_the_categories() {
    use kartoteka_core::mail::MailSettings;
    use kartoteka_core::office::OfficeSettings;
    let db = fresh().await;
    // An office that set its name for mail only (before Dane biura): carried over on first read.
    let mail = MailSettings {
        from_address: "biuro@bpo-leszno.pl".into(),
        office_name: "Biuro Porad Obywatelskich w Lesznie".into(),
        ..Default::default()
    };
    db.k.save_mail_settings(&mail).await.unwrap();
    let office = db.k.office_settings().await.unwrap();
    assert_eq!(
        (office.name.as_str(), office.email.as_str()),
        ("Biuro Porad Obywatelskich w Lesznie", "biuro@bpo-leszno.pl")
    );
    let bad =
        db.k.save_office_settings(&OfficeSettings {
            nip: "123-456-78-90".into(),
            ..office.clone()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.field_errors()[0].field, "nip");
    assert_eq!(
        db.k.office_settings().await.unwrap(),
        office,
        "nothing written when a field is wrong"
    );
    let office = OfficeSettings {
        address: "ul. Słowiańska 12, 64-100 Leszno".into(),
        nip: "526-000-12-46".into(),
        ..office
    };
    db.k.save_office_settings(&office).await.unwrap();
    assert_eq!(
        db.k.mail_settings().await.unwrap().footer().office,
        "Biuro Porad Obywatelskich w Lesznie",
        "the mail footer uses it"
    );

    // Three advice this year only (none the year before); one touches two categories.
    let with_profile = |date: &str, cats: &[&str], age: &str, sex: &str, place: &str| {
        let mut a = advice(date, cats, "in_person", false, None);
        a.age_band = age.into();
        a.sex = sex.into();
        a.residence = place.into();
        a
    };
    for a in [
        with_profile(
            "10.02.2025",
            &["ZAD.KOM", "MIE.NAJ"],
            "26–35",
            "k",
            "Leszno",
        ),
        with_profile("11.02.2025", &["ZAD"], "26–35", "k", "Leszno"),
        with_profile("12.02.2025", &["ROD.ALI"], "66–75", "m", ""),
    ] {
        db.k.save_advice(None, &a).await.unwrap();
    }
    let out = db.dir.path().join("profil.pdf");
    db.k.annual_report(2025, &AnnualOptions::default(), &out)
        .await
        .unwrap();
    // Kept for looking at (pdftoppm -r 60 -png): target/tmp/pdfs.
    let kept = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdfs");
    std::fs::create_dir_all(&kept).unwrap();
    std::fs::copy(&out, kept.join("annual-profile.pdf")).unwrap();
    let text = String::from_utf8(
        Command::new("pdftotext")
            .arg("-layout")
            .arg(&out)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Biuro Porad Obywatelskich w Lesznie",
        "ul. Słowiańska 12, 64-100 Leszno · NIP 526-000-12-46",
        "Klienci według wieku",
        "26–35 2",
        "66–75 1",
        "Klienci według płci",
        "kobiety 2",
        "mężczyźni 1",
        "Klienci według miejsca zamieszkania (gmina, powiat)",
        "Leszno 2",
        "nie podano 1",
        "Jedna porada może dotyczyć kilku kategorii problemu",
        "suma w tej tabeli (4) może przekraczać liczbę porad (3)",
    ] {
        assert!(flat.contains(expected), "„{expected}” missing in:\n{text}");
    }
    // Nothing recorded in 2024: no column of zeros or dashes for it.
    assert!(
        !flat.contains("2024") && !text.lines().any(|l| l.trim_end().ends_with('—')),
        "{text}"
    );
    let f = db.k.annual_figures(2025).await.unwrap();
    assert_eq!(
        f.advice_by_sex,
        vec![("kobiety".to_string(), 2), ("mężczyźni".into(), 1)]
    );
}

/// A bureau's statistics file for 2025 with `n` advice, exported by its own database.
async fn bureau_file(
    bureau: &crate::util::TestDb,
    office: &str,
    n: usize,
    out: &std::path::Path,
) -> serde_json::Value {
    for d in 0..n {
        bureau
            .k
            .save_advice(
                None,
                &advice(
                    &format!("{:02}.03.2025", 1 + d % 28),
                    &["ZAD"],
                    "phone",
                    false,
                    None,
                ),
            )
            .await
            .unwrap();
    }
    let f = bureau.k.export_stats(2025, office, out).await.unwrap();
    assert!(
        f.advice_total as usize >= n,
        "{} advice for {n} added",
        f.advice_total
    );
    serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap()
}

/// Issue 11: counts in a bureau's file are whole numbers from 0 up, small enough that the
/// network's sums cannot overflow; a bad file is refused by name and field, and nothing from
/// the batch it came in is stored.
#[tokio::test]
async fn statistics_files_with_negative_or_overflowing_counts_are_refused() {
    let union = fresh().await;
    let bureau = fresh().await;
    let good = union.dir.path().join("dobry.json");
    let file = bureau_file(&bureau, "BPO Leszno", 3, &good).await;
    let write = |name: &str, text: String| {
        let p = union.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let mut negative = file.clone();
    negative["advice_total"] = serde_json::json!(-5);
    let negative = write("ujemny.json", negative.to_string());
    let err = union
        .k
        .import_stats(&[good.clone(), negative])
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("„ujemny.json”") && err.contains("„advice_total”") && err.contains("ujemna"),
        "{err}"
    );
    // Beyond u64 (serde_json reads it as a float), and just beyond i64.
    let text = file.to_string();
    let month = text
        .replacen(
            "\"advice_by_month\":[",
            "\"advice_by_month\":[18446744073709551616,",
            1,
        )
        .replacen(",0]", "]", 1);
    for (name, text, field) in [
        ("u64.json", month, "advice_by_month › 1"),
        (
            "i64.json",
            text.replacen(
                "\"events_participants\":0",
                "\"events_participants\":9223372036854775808",
                1,
            ),
            "events_participants",
        ),
    ] {
        assert_ne!(text, file.to_string(), "{name}: the count was put in");
        let p = write(name, text);
        let err = union.k.import_stats(&[p]).await.unwrap_err().to_string();
        assert!(
            err.contains(&format!("„{name}”"))
                && err.contains(&format!("„{field}”"))
                && err.contains("większa"),
            "{err}"
        );
    }
    // Two files at i64::MAX / 2 + 1 each would overflow the network's total.
    let mut big = file.clone();
    big["advice_total"] = serde_json::json!(i64::MAX / 2 + 1);
    let err = union
        .k
        .import_stats(&[write("duzy.json", big.to_string())])
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("„duzy.json”") && err.contains("„advice_total”"),
        "{err}"
    );
    assert!(
        union.k.network_figures(2025).await.unwrap().is_empty(),
        "nothing stored from a refused batch"
    );
    assert_eq!(union.k.import_stats(&[good]).await.unwrap().len(), 1);
}

/// Issue 11: a bureau is known by the code its database made, not by its office name: two
/// bureaus calling themselves the same are both kept; the same code again replaces (a
/// corrected file), even under a new name; a file from before codes is still read.
#[tokio::test]
async fn bureaus_are_told_apart_by_their_code_not_their_name() {
    let union = fresh().await;
    let (first, second) = (fresh().await, fresh().await);
    let a = union.dir.path().join("a.json");
    let b = union.dir.path().join("b.json");
    let fa = bureau_file(&first, "BPO Leszno", 3, &a).await;
    let fb = bureau_file(&second, "BPO Leszno", 5, &b).await;
    let (code_a, code_b) = (
        fa["bureau_code"].as_str().unwrap().to_string(),
        fb["bureau_code"].as_str().unwrap().to_string(),
    );
    assert_ne!(code_a, code_b);
    assert_eq!(
        first.k.bureau_code().await.unwrap(),
        code_a,
        "the code is kept, not made anew"
    );
    union.k.import_stats(&[a.clone(), b.clone()]).await.unwrap();
    let mut offices: Vec<(String, i64)> = union
        .k
        .network_figures(2025)
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.office, f.advice_total))
        .collect();
    offices.sort_by_key(|o| o.1);
    assert_eq!(
        offices,
        vec![
            (format!("BPO Leszno (kod {code_a})"), 3),
            (format!("BPO Leszno (kod {code_b})"), 5)
        ]
    );

    // A corrected file of the first bureau, now under a longer name, replaces its first one.
    let corrected = union.dir.path().join("a-poprawiony.json");
    bureau_file(&first, "Biuro Porad Obywatelskich w Lesznie", 1, &corrected).await;
    let done = union.k.import_stats(&[corrected]).await.unwrap();
    assert_eq!(
        (done[0].code.as_deref(), done[0].replaced_uncoded),
        (Some(code_a.as_str()), false)
    );
    let mut totals: Vec<(String, i64)> = union
        .k
        .network_figures(2025)
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.office, f.advice_total))
        .collect();
    totals.sort();
    assert_eq!(
        totals,
        vec![
            ("BPO Leszno".to_string(), 5),
            ("Biuro Porad Obywatelskich w Lesznie".to_string(), 4)
        ]
    );

    // A file from before codes: read and kept by its office name; it never replaces a coded
    // bureau's figures, and that bureau's first coded file takes its place.
    let third = fresh().await;
    let c = union.dir.path().join("c.json");
    let mut old = bureau_file(&third, "BPO Łódź", 2, &c).await;
    old.as_object_mut().unwrap().remove("bureau_code");
    let old_file = union.dir.path().join("stary.json");
    std::fs::write(&old_file, old.to_string()).unwrap();
    let mut named_like_b = old.clone();
    named_like_b["office"] = "BPO Leszno".into();
    let named_like_b_file = union.dir.path().join("stary-leszno.json");
    std::fs::write(&named_like_b_file, named_like_b.to_string()).unwrap();
    let done = union
        .k
        .import_stats(&[old_file, named_like_b_file])
        .await
        .unwrap();
    assert!(done.iter().all(|d| d.code.is_none()));
    let figures = union.k.network_figures(2025).await.unwrap();
    assert_eq!(
        figures.len(),
        4,
        "{:?}",
        figures.iter().map(|f| &f.office).collect::<Vec<_>>()
    );
    assert!(figures
        .iter()
        .any(|f| f.office == "BPO Leszno (plik bez kodu biura)"));
    assert!(figures
        .iter()
        .any(|f| f.office == format!("BPO Leszno (kod {code_b})") && f.advice_total == 5));
    let done = union.k.import_stats(&[c]).await.unwrap();
    assert!(done[0].replaced_uncoded);
    let mut totals: Vec<(String, i64)> = union
        .k
        .network_figures(2025)
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.office, f.advice_total))
        .collect();
    totals.sort();
    assert_eq!(
        totals
            .iter()
            .filter(|t| t.0.starts_with("BPO Łódź"))
            .count(),
        1,
        "{totals:?}"
    );
    assert_eq!(totals.len(), 4);
}
