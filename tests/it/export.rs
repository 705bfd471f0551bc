//! Lists out of the register through the core, into real files: the Excel-flavoured CSV,
//! .xlsx and vCard, filtered and ordered as in the window, and nothing half-written on error.

use crate::util::{fresh, org, save_org, save_person};
use kartoteka_core::export::ExportFormat;
use kartoteka_core::model::{OrganizationQuery, OrganizationSort, PersonInput, PersonQuery, RoleInput};

#[tokio::test]
async fn organisations_export_as_the_window_lists_them() {
    let db = fresh().await;
    for (i, (name, city, form)) in [("Żuraw", "Żory", "fundacja"), ("Łabędź", "Łódź", "fundacja"), ("Lis", "Leszno", "fundacja"), ("Sowa", "Sopot", "stowarzyszenie")].into_iter().enumerate() {
        let mut input = org(&format!("Fundacja {name}"), city);
        input.legal_form = form.into();
        input.krs = format!("5432{i}");
        input.postal_code = "00-950".into();
        input.emails = format!("biuro@{}.pl", name.to_lowercase().replace(['ż', 'ł', 'ę', 'ź'], "z"));
        save_org(&db.k, &input).await;
    }
    let out = db.dir.path().join("organizacje.csv");
    let query = OrganizationQuery { legal_form: Some("fundacja".into()), sort: OrganizationSort::Name, ..Default::default() };
    let summary = db.k.export_organizations(&query, ExportFormat::CsvExcel, &out).await.unwrap();
    assert_eq!(summary.rows, 3);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Polish Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("Nazwa;Nazwa skrócona;Forma prawna;KRS;NIP;REGON;OPP;"), "{}", lines[0]);
    let names: Vec<&str> = lines[1..].iter().map(|l| l.split(';').next().unwrap()).collect();
    assert_eq!(names, vec!["Fundacja Lis", "Fundacja Łabędź", "Fundacja Żuraw"], "Polish order, filter applied");
    assert!(lines[1].contains(";0000054322;"), "KRS keeps its zeros: {}", lines[1]);
    assert!(lines[1].contains(";00-950;"));

    let plain = db.dir.path().join("plain.csv");
    db.k.export_organizations(&OrganizationQuery::default(), ExportFormat::Csv, &plain).await.unwrap();
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(text.starts_with("Nazwa,Nazwa skrócona,"));
    assert_eq!(text.lines().count(), 5);

    let xlsx = db.dir.path().join("organizacje.xlsx");
    db.k.export_organizations(&OrganizationQuery::default(), ExportFormat::Xlsx, &xlsx).await.unwrap();
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(bytes.starts_with(b"PK") && bytes.len() > 4000, "an xlsx (zip) file");
}

#[tokio::test]
async fn people_export_as_vcards_and_errors_write_nothing() {
    let db = fresh().await;
    let org_id = save_org(&db.k, &org("Stowarzyszenie Pomost", "Toruń")).await;
    for (first, last) in [("Łucja", "Żak"), ("Jan", "Nowak")] {
        save_person(&db.k, &PersonInput {
            first_name: first.into(),
            last_name: last.into(),
            emails: format!("{}@o2.pl", first.to_lowercase().replace('ł', "l")),
            roles: vec![RoleInput { organization_id: org_id, role: "wolontariusz".into() }],
            ..Default::default()
        })
        .await;
    }
    let vcf = db.dir.path().join("osoby.vcf");
    let summary = db.k.export_people(&PersonQuery::default(), ExportFormat::Vcf, &vcf).await.unwrap();
    assert_eq!(summary.rows, 2);
    let text = std::fs::read_to_string(&vcf).unwrap();
    assert_eq!(text.matches("BEGIN:VCARD\r\n").count(), 2);
    assert!(text.contains("N:Nowak;Jan;;;\r\n") && text.contains("N:Żak;Łucja;;;\r\n"));
    assert!(text.contains("ORG:Stowarzyszenie Pomost\r\n"));
    assert!(text.find("Nowak").unwrap() < text.find("Żak").unwrap(), "Polish order");

    let refused = db.dir.path().join("organizacje.vcf");
    assert!(db.k.export_organizations(&OrganizationQuery::default(), ExportFormat::Vcf, &refused).await.is_err());
    assert!(!refused.exists());
    let nowhere = db.dir.path().join("brak-folderu").join("osoby.csv");
    let err = db.k.export_people(&PersonQuery::default(), ExportFormat::CsvExcel, &nowhere).await.unwrap_err();
    assert!(err.to_string().contains("nie istnieje"), "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(db.dir.path()).unwrap().filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
    assert!(leftovers.is_empty());
}
