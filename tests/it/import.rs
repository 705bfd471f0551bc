//! Spreadsheets into the register: messy sheets written here by real spreadsheet libraries
//! (.xlsx by rust_xlsxwriter, .xls by xlwt, .ods by odfpy, CSV in Windows-1250), their counts,
//! rejected rows and messages, duplicates, undo, and that a cancelled or unreadable import
//! leaves the register exactly as it was.

use crate::util::{fresh, org, save_org, TestDb};
use kartoteka_core::export::ExportFormat;
use kartoteka_core::import::read::read_sheet;
use kartoteka_core::import::{
    DuplicatePolicy, ImportKind, ImportOptions, ImportProgress, RowAction, Severity,
};
use kartoteka_core::register::{OrganizationQuery, PersonQuery};
use kartoteka_core::Error;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

fn opts(kind: ImportKind) -> ImportOptions {
    ImportOptions {
        kind,
        ..Default::default()
    }
}

fn no_cancel() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}

/// The register as a whole, to compare before and after an import that must change nothing.
async fn snapshot(db: &TestDb) -> (String, String, usize) {
    let orgs = db.dir.path().join("snap-o.csv");
    let people = db.dir.path().join("snap-p.csv");
    db.k.export_organizations(&OrganizationQuery::default(), ExportFormat::Csv, &orgs)
        .await
        .unwrap();
    db.k.export_people(&PersonQuery::default(), ExportFormat::Csv, &people)
        .await
        .unwrap();
    let batches = db.k.import_batches().await.unwrap().len();
    (
        std::fs::read_to_string(orgs).unwrap(),
        std::fs::read_to_string(people).unwrap(),
        batches,
    )
}

/// An office's sheet as it really looks: a merged title, a date line, a blank row, then the
/// header; a KRS and a postal code typed as numbers, a date and a date serial, stray spaces,
/// a city merged down over two rows, a formula, a row with errors, a repeated row, a total.
pub(crate) fn messy_xlsx(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Organizacje").unwrap();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    ws.merge_range(0, 0, 0, 9, "Baza organizacji — Biuro Łódź", &bold)
        .unwrap();
    ws.write_string(1, 0, "stan na 22.11.2026").unwrap();
    let header = [
        "Lp.",
        "Nazwa",
        "Forma prawna",
        "KRS",
        "NIP",
        "Kod pocztowy",
        "Miejscowość",
        "E-mail",
        "Członek od",
        "Telefon",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &bold).unwrap();
    }
    // Row 5: numbers that lost their zeros, a real date, stray spaces.
    ws.write_number(4, 0, 1).unwrap();
    ws.write_string(4, 1, "  Stowarzyszenie   „Świetlik”  ")
        .unwrap();
    ws.write_string(4, 2, "stowarzyszenie").unwrap();
    ws.write_number(4, 3, 12345).unwrap();
    ws.write_string(4, 4, "123-456-32-18").unwrap();
    ws.write_number(4, 5, 90001).unwrap();
    ws.merge_range(4, 6, 5, 6, "Łódź", &Format::new()).unwrap();
    ws.write_string(4, 7, "Biuro@Swietlik.pl ").unwrap();
    ws.write_datetime_with_format(4, 8, ExcelDateTime::from_ymd(2020, 5, 1).unwrap(), &date)
        .unwrap();
    ws.write_number(4, 9, 421234567).unwrap();
    // Row 6: a date serial in a number-formatted cell; its city comes from the merge above.
    ws.write_number(5, 0, 2).unwrap();
    ws.write_string(5, 1, "Fundacja Źródło").unwrap();
    ws.write_string(5, 2, "fundacja").unwrap();
    ws.write_string(5, 5, "15-082").unwrap();
    ws.write_string(5, 7, "zrodlo@fundacja.pl").unwrap();
    ws.write_number(5, 8, 45000).unwrap();
    // Row 7: a wrong NIP checksum and a bad e-mail.
    ws.write_number(6, 0, 3).unwrap();
    ws.write_string(6, 1, "Fundacja Zła").unwrap();
    ws.write_string(6, 4, "1234563219").unwrap();
    ws.write_string(6, 6, "Warszawa").unwrap();
    ws.write_string(6, 7, "zly@").unwrap();
    // Row 8: the name is a formula; its cached result is what the office sees.
    ws.write_number(7, 0, 4).unwrap();
    ws.write_formula(
        7,
        1,
        Formula::new("=\"Fundacja \"&\"Formuła\"").set_result("Fundacja Formuła"),
    )
    .unwrap();
    ws.write_string(7, 6, "Gdańsk").unwrap();
    // Row 9 blank; row 10 repeats row 5 (same KRS written with its zeros).
    ws.write_number(9, 0, 5).unwrap();
    ws.write_string(9, 1, "Stowarzyszenie Świetlik (kopia)")
        .unwrap();
    ws.write_string(9, 3, "0000012345").unwrap();
    // Row 11: the total.
    ws.write_string(10, 1, "Razem").unwrap();
    ws.write_formula(10, 3, Formula::new("=COUNTA(B5:B10)").set_result("5"))
        .unwrap();
    wb.save(path).unwrap();
}

#[tokio::test]
async fn a_messy_xlsx_comes_in_clean() {
    let db = fresh().await;
    let file = db.dir.path().join("organizacje.xlsx");
    messy_xlsx(&file);

    let preview =
        db.k.preview_import(&file, &opts(ImportKind::Organizations))
            .await
            .unwrap();
    assert_eq!(preview.source.format, "xlsx");
    assert_eq!(preview.source.sheet.as_deref(), Some("Organizacje"));
    assert_eq!(
        preview.header_row, 4,
        "the header is found under the title block"
    );
    let mapped: Vec<Option<&str>> = preview.columns.iter().map(|c| c.field.as_deref()).collect();
    assert_eq!(
        mapped,
        vec![
            None,
            Some("name"),
            Some("legal_form"),
            Some("krs"),
            Some("nip"),
            Some("postal_code"),
            Some("city"),
            Some("emails"),
            Some("member_since"),
            Some("phones")
        ]
    );
    assert_eq!(
        (
            preview.rows_total,
            preview.to_insert,
            preview.rejected_rows,
            preview.skipped_duplicates
        ),
        (5, 3, 1, 1)
    );
    assert_eq!(preview.ignored_rows, vec![11], "the totals row is not data");
    let problems: Vec<(u32, Option<&str>, &str)> = preview
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.row, p.column.as_deref(), p.message.as_str()))
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|(r, c, m)| *r == 7 && *c == Some("NIP") && m.contains("cyfra kontrolna")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|(r, c, m)| *r == 7 && *c == Some("E-mail") && m.contains("e-mail")),
        "{problems:?}"
    );
    let dup = &preview.duplicates[0];
    assert_eq!(
        (dup.row, dup.same_as_row, dup.matched_on.as_str()),
        (10, Some(5), "KRS")
    );
    let first = &preview.preview[0];
    assert_eq!(first.action, RowAction::Insert);
    assert!(
        first.values.contains(&"0000012345".to_string()),
        "{:?}",
        first.values
    );
    assert!(first.values.contains(&"90-001".to_string()));
    assert_eq!(
        db.k.counts().await.unwrap().organizations,
        0,
        "a preview writes nothing"
    );

    let report =
        db.k.import(
            &file,
            &opts(ImportKind::Organizations),
            false,
            None,
            no_cancel(),
        )
        .await
        .unwrap();
    assert_eq!(
        (report.imported, report.updated, report.skipped_duplicates),
        (3, 0, 1)
    );
    assert_eq!(
        report.rejected.iter().map(|r| r.row).collect::<Vec<_>>(),
        vec![7, 7]
    );

    let hit = db.k.search("swietlik", 5).await.unwrap();
    assert_eq!(hit.len(), 1);
    let swietlik = db.k.organization(hit[0].id).await.unwrap();
    assert_eq!(swietlik.name, "Stowarzyszenie „Świetlik”", "spaces cleaned");
    assert_eq!(swietlik.krs.as_deref(), Some("0000012345"));
    assert_eq!(swietlik.postal_code.as_deref(), Some("90-001"));
    assert_eq!(swietlik.emails, vec!["biuro@swietlik.pl"]);
    assert_eq!(
        swietlik.member_since.map(|d| d.to_string()).as_deref(),
        Some("2020-05-01")
    );
    assert_eq!(swietlik.phones.len(), 1);
    let zrodlo =
        db.k.organization(db.k.search("zrodlo", 1).await.unwrap()[0].id)
            .await
            .unwrap();
    assert_eq!(
        zrodlo.city.as_deref(),
        Some("Łódź"),
        "a city merged down belongs to both rows"
    );
    assert_eq!(
        zrodlo.member_since.map(|d| d.to_string()).as_deref(),
        Some("2023-03-15"),
        "date serial 45000"
    );
    assert_eq!(zrodlo.legal_form, "fundacja");
    assert_eq!(
        db.k.search("formula", 1).await.unwrap()[0].name,
        "Fundacja Formuła"
    );
}

fn debian_python() -> &'static str {
    // The tests need python3-xlwt and python3-odf, which scripts/install-deps.sh installs for
    // Debian's own Python; a pyenv or venv python3 earlier on PATH would not have them.
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

#[tokio::test]
async fn xls_and_ods_from_other_programs_import_alike() {
    let db = fresh().await;
    let out = std::process::Command::new(debian_python())
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/make_sheets.py"
        ))
        .arg(db.dir.path())
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "make_sheets.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, format) in [("czlonkowie.xls", "xls"), ("czlonkowie.ods", "ods")] {
        let file = db.dir.path().join(name);
        let preview =
            db.k.preview_import(&file, &opts(ImportKind::Organizations))
                .await
                .unwrap();
        assert_eq!(preview.source.format, format);
        assert_eq!(preview.header_row, 3, "{name}");
        assert_eq!(
            (preview.to_insert, preview.rejected_rows),
            (3, 1),
            "{name}: {:?}",
            preview.problems
        );
        assert_eq!(preview.problems[0].row, 7);
        assert_eq!(
            preview.problems[0].column.as_deref(),
            Some("Nazwa organizacji")
        );
        assert_eq!(preview.problems[0].message, "Podaj nazwę organizacji.");
        assert_eq!(preview.ignored_rows, vec![8], "{name}");
    }
    let report =
        db.k.import(
            &db.dir.path().join("czlonkowie.xls"),
            &opts(ImportKind::Organizations),
            false,
            None,
            no_cancel(),
        )
        .await
        .unwrap();
    assert_eq!(report.imported, 3);
    let kgw =
        db.k.organization(db.k.search("sciborzyce", 1).await.unwrap()[0].id)
            .await
            .unwrap();
    assert_eq!(kgw.name, "Koło Gospodyń Wiejskich w Ściborzycach");
    assert_eq!(kgw.legal_form, "kolo_gospodyn_wiejskich", "KGW recognised");
    assert_eq!(kgw.postal_code.as_deref(), Some("48-100"));
    let zolwik =
        db.k.organization(db.k.search("zolwik", 1).await.unwrap()[0].id)
            .await
            .unwrap();
    assert_eq!(zolwik.krs.as_deref(), Some("0000987654"));

    // The same organisations from the .ods are all duplicates now.
    let again =
        db.k.import(
            &db.dir.path().join("czlonkowie.ods"),
            &opts(ImportKind::Organizations),
            false,
            None,
            no_cancel(),
        )
        .await
        .unwrap();
    assert_eq!((again.imported, again.skipped_duplicates), (0, 3));
}

fn write_cp1250(path: &Path, lines: &[String]) {
    let text = lines.join("\r\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1250.encode(&text);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}

#[tokio::test]
async fn a_windows_1250_csv_with_semicolons() {
    let db = fresh().await;
    let file = db.dir.path().join("lista.csv");
    write_cp1250(
        &file,
        &[
            "Nazwa;Adres;Telefon;E-mail;Strona WWW;Obszar działania;OPP".into(),
            "Stowarzyszenie „Źdźbło”;ul. Piotrkowska 12, 90-001 Łódź;42 123 45 67;biuro@zdzblo.pl;zdzblo.pl;1, 32a;tak".into(),
            "Fundacja Ćma;Długa 5, 15-082 Białystok;;cma@fundacja.pl;;pomoc społeczna; nie".into(),
            "Fundacja Ćma (filia);;;CMA@fundacja.pl;;;".into(),
            "Stowarzyszenie Świerszcz;;;;;sfera nieznana;może".into(),
        ],
    );
    let preview =
        db.k.preview_import(&file, &opts(ImportKind::Organizations))
            .await
            .unwrap();
    assert_eq!(preview.source.encoding.as_deref(), Some("Windows-1250"));
    assert_eq!(preview.source.delimiter.as_deref(), Some(";"));
    assert_eq!(
        (
            preview.to_insert,
            preview.skipped_duplicates,
            preview.rejected_rows
        ),
        (2, 1, 1)
    );
    assert_eq!(
        (preview.duplicates[0].row, preview.duplicates[0].same_as_row),
        (4, Some(3))
    );
    assert_eq!(preview.duplicates[0].matched_on, "e-mail");
    let opp = preview
        .problems
        .iter()
        .find(|p| p.row == 5 && p.severity == Severity::Error)
        .unwrap();
    assert_eq!(opp.column.as_deref(), Some("OPP"));
    assert!(opp.message.contains("„tak” albo „nie”"), "{}", opp.message);
    let sphere = preview
        .problems
        .iter()
        .find(|p| p.row == 5 && p.severity == Severity::Warning)
        .unwrap();
    assert!(sphere.message.contains("sfera nieznana"));

    db.k.import(
        &file,
        &opts(ImportKind::Organizations),
        false,
        None,
        no_cancel(),
    )
    .await
    .unwrap();
    let zdzblo =
        db.k.organization(db.k.search("zdzblo", 1).await.unwrap()[0].id)
            .await
            .unwrap();
    assert_eq!(
        zdzblo.name, "Stowarzyszenie „Źdźbło”",
        "Windows-1250 quotes and letters decoded"
    );
    assert_eq!(
        (
            zdzblo.street.as_deref(),
            zdzblo.postal_code.as_deref(),
            zdzblo.city.as_deref()
        ),
        (Some("ul. Piotrkowska 12"), Some("90-001"), Some("Łódź"))
    );
    assert_eq!(zdzblo.areas, vec!["1", "32a"]);
    assert!(zdzblo.public_benefit);
    assert_eq!(zdzblo.website.as_deref(), Some("https://zdzblo.pl/"));
    let cma =
        db.k.organization(db.k.search("cma", 1).await.unwrap()[0].id)
            .await
            .unwrap();
    assert_eq!(cma.legal_form, "fundacja", "legal form read from the name");
    assert_eq!(cma.areas.len(), 1, "sphere found by its name");
}

#[tokio::test]
async fn duplicates_are_skipped_updated_or_added_and_each_import_can_be_undone() {
    let db = fresh().await;
    let mut existing = org("Fundacja Dobrych Sąsiadów", "Lublin");
    existing.legal_form = "fundacja".into();
    existing.nip = "1234563218".into();
    existing.phones = "81 111 22 33".into();
    existing.notes = "wpisana ręcznie".into();
    let id = save_org(&db.k, &existing).await;
    let before = snapshot(&db).await;

    let file = db.dir.path().join("sasiedzi.csv");
    std::fs::write(
        &file,
        "Nazwa;NIP;Telefon;E-mail;Miejscowość\nFundacja Dobrych Sąsiadów (nowa nazwa);123-456-32-18;81 999 88 77;biuro@sasiedzi.pl;\nFundacja Nowa;;;nowa@fundacja.pl;Lublin\n",
    )
    .unwrap();

    let skip =
        db.k.import(
            &file,
            &opts(ImportKind::Organizations),
            false,
            None,
            no_cancel(),
        )
        .await
        .unwrap();
    assert_eq!(
        (skip.imported, skip.updated, skip.skipped_duplicates),
        (1, 0, 1)
    );

    let mut update = opts(ImportKind::Organizations);
    update.on_duplicate = DuplicatePolicy::Update;
    let upd =
        db.k.import(&file, &update, false, None, no_cancel())
            .await
            .unwrap();
    assert_eq!(
        (upd.imported, upd.updated, upd.skipped_duplicates),
        (0, 2, 0),
        "both rows now match the register"
    );
    let changed = db.k.organization(id).await.unwrap();
    assert_eq!(changed.name, "Fundacja Dobrych Sąsiadów (nowa nazwa)");
    assert_eq!(
        changed.phones.len(),
        2,
        "lists gain, nothing is lost: {:?}",
        changed.phones
    );
    assert_eq!(
        changed.city.as_deref(),
        Some("Lublin"),
        "an empty cell keeps what the register has"
    );
    assert_eq!(changed.notes.as_deref(), Some("wpisana ręcznie"));

    // One row decided differently from the rest.
    let mut add = opts(ImportKind::Organizations);
    add.row_decisions.insert(3, DuplicatePolicy::Add);
    let added =
        db.k.import(&file, &add, false, None, no_cancel())
            .await
            .unwrap();
    assert_eq!((added.imported, added.skipped_duplicates), (1, 1));

    // Undo, newest first: back to the register before any import, exactly.
    let batches = db.k.import_batches().await.unwrap();
    assert_eq!(batches.len(), 3);
    assert_eq!(
        (batches[1].updated, batches[1].kind.as_str()),
        (2, "organizations")
    );
    for b in &batches {
        let undone = db.k.undo_import(b.id).await.unwrap();
        assert!(undone.undone_at.is_some());
    }
    let restored = db.k.organization(id).await.unwrap();
    assert_eq!(restored.name, "Fundacja Dobrych Sąsiadów");
    assert_eq!(restored.phones.len(), 1);
    let after = snapshot(&db).await;
    assert_eq!((before.0, before.1), (after.0, after.1));
    assert!(
        db.k.search("nowa", 5).await.unwrap().is_empty(),
        "search entries of undone records are gone"
    );
    let again = db.k.undo_import(batches[0].id).await.unwrap_err();
    assert!(again.to_string().contains("już cofnięty"));
}

#[tokio::test]
async fn a_cancelled_import_leaves_the_register_as_it_was() {
    let db = fresh().await;
    save_org(&db.k, &org("Stowarzyszenie Było Przedtem", "Łódź")).await;
    let before = snapshot(&db).await;
    let file = db.dir.path().join("duzo.csv");
    let mut text = String::from("Nazwa;Miejscowość;E-mail\n");
    for i in 0..5_000 {
        text.push_str(&format!("Stowarzyszenie nr {i};Łódź;s{i}@example.org\n"));
    }
    std::fs::write(&file, text).unwrap();
    let cancel = no_cancel();
    let flag = cancel.clone();
    let seen_writing = Arc::new(AtomicBool::new(false));
    let seen = seen_writing.clone();
    // Cancel once rows are already written inside the transaction (the first write step).
    let progress = Arc::new(move |p: ImportProgress| {
        if p.phase == "writing" && p.done >= 2_000 {
            seen.store(true, Ordering::SeqCst);
            flag.store(true, Ordering::SeqCst);
        }
    });
    let err =
        db.k.import(
            &file,
            &opts(ImportKind::Organizations),
            false,
            Some(progress),
            cancel,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    assert!(err.to_string().contains("nic się nie zmieniło"));
    assert!(seen_writing.load(Ordering::SeqCst));
    assert_eq!(
        snapshot(&db).await,
        before,
        "no organisation, search entry or batch left behind"
    );
    assert!(db
        .k
        .search("stowarzyszenie nr", 5)
        .await
        .unwrap()
        .is_empty());

    // The same file then imports whole.
    let report =
        db.k.import(
            &file,
            &opts(ImportKind::Organizations),
            false,
            None,
            no_cancel(),
        )
        .await
        .unwrap();
    assert_eq!(report.imported, 5_000);
}

#[tokio::test]
async fn bad_files_get_a_clear_message_and_write_nothing() {
    let db = fresh().await;
    save_org(&db.k, &org("Stowarzyszenie Stałe", "Łódź")).await;
    let before = snapshot(&db).await;
    let dir = db.dir.path();

    let good = dir.join("dobry.xlsx");
    messy_xlsx(&good);
    let bytes = std::fs::read(&good).unwrap();
    let truncated = dir.join("uciety.xlsx");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let text_named_xlsx = dir.join("tekst.xlsx");
    std::fs::write(&text_named_xlsx, "Nazwa;Miasto\nA;B\n").unwrap();
    let empty_sheet = dir.join("pusty.xlsx");
    let mut wb = Workbook::new();
    wb.add_worksheet();
    wb.save(&empty_sheet).unwrap();
    let no_header = dir.join("bez-naglowka.csv");
    std::fs::write(&no_header, "Fundacja A;Łódź;12\nFundacja B;Gdańsk;13\n").unwrap();
    let empty_file = dir.join("zero.csv");
    std::fs::write(&empty_file, "").unwrap();
    let huge = dir.join("milion.csv");
    {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(&huge).unwrap());
        writeln!(w, "Nazwa;Miejscowość").unwrap();
        for i in 0..1_000_000 {
            writeln!(w, "Fundacja {i};Łódź").unwrap();
        }
    }
    let password = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/haslo-tajne.xlsx"
    ));
    let cases: [(&Path, &str); 7] = [
        (&truncated, "uszkodzony albo niepełny"),
        (&password, "zabezpieczony hasłem"),
        (&text_named_xlsx, "zwykły tekst"),
        (&empty_sheet, "pusty"),
        (&no_header, "Nie znaleziono wiersza z nagłówkami"),
        (&empty_file, "Plik jest pusty"),
        (&huge, "więcej niż 200 000 wierszy"),
    ];
    for (path, expected) in cases {
        let started = std::time::Instant::now();
        let err =
            db.k.import(
                path,
                &opts(ImportKind::Organizations),
                false,
                None,
                no_cancel(),
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains(expected),
            "{}: {err}",
            path.display()
        );
        assert_eq!(err.code(), "bad_argument");
        // Not a speed assertion: a hang or a full read of the million rows would show here.
        assert!(
            started.elapsed().as_secs() < 60,
            "{} took {:?}",
            path.display(),
            started.elapsed()
        );
    }
    assert_eq!(snapshot(&db).await, before);
}

#[tokio::test]
async fn people_come_with_their_organisation_role_and_consent() {
    let db = fresh().await;
    let mut f = org("Fundacja Łączka", "Łódź");
    f.krs = "0000054321".into();
    let laczka = save_org(&db.k, &f).await;
    save_org(&db.k, &org("Stowarzyszenie Bliźniak", "Łódź")).await;
    save_org(&db.k, &org("Stowarzyszenie Bliźniak", "Gdańsk")).await;
    let file = db.dir.path().join("osoby.csv");
    std::fs::write(
        &file,
        "Imię i nazwisko,E-mail,Organizacja,Funkcja,Zgoda na newsletter\n\
         Anna Maria Wiśniewska,anna@laczka.pl,Fundacja Łączka,prezes,tak\n\
         Jan Żak,jan@example.org,54321,,nie\n\
         Ewa Nowak,ewa@example.org,Stowarzyszenie Bliźniak,,\n\
         Piotr Kowal,piotr@example.org,Nieznana Organizacja,,\n\
         Madonna,madonna@example.org,,,\n",
    )
    .unwrap();
    let preview =
        db.k.preview_import(&file, &opts(ImportKind::People))
            .await
            .unwrap();
    assert_eq!(preview.source.delimiter.as_deref(), Some(","));
    assert_eq!(
        (preview.to_insert, preview.rejected_rows),
        (2, 3),
        "{:?}",
        preview.problems
    );
    let messages: Vec<(u32, &str)> = preview
        .problems
        .iter()
        .map(|p| (p.row, p.message.as_str()))
        .collect();
    assert!(
        messages
            .iter()
            .any(|(r, m)| *r == 4 && m.contains("kilka organizacji")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|(r, m)| *r == 5 && m.contains("nie ma organizacji „Nieznana Organizacja”")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|(r, m)| *r == 6 && m.contains("imię i nazwisko")),
        "{messages:?}"
    );

    let report =
        db.k.import(&file, &opts(ImportKind::People), false, None, no_cancel())
            .await
            .unwrap();
    assert_eq!(report.imported, 2);
    let anna =
        db.k.person(db.k.search("wisniewska", 1).await.unwrap()[0].id)
            .await
            .unwrap();
    assert_eq!(
        (anna.first_name.as_str(), anna.last_name.as_str()),
        ("Anna Maria", "Wiśniewska")
    );
    assert_eq!(anna.roles[0].organization_id, laczka);
    assert_eq!(anna.roles[0].role, "prezes");
    assert_eq!(anna.consents.len(), 1);
    assert_eq!(anna.consents[0].channel, "email_bulletin");
    assert!(anna.consents[0].source.contains("osoby.csv"));
    let jan =
        db.k.person(db.k.search("zak", 1).await.unwrap()[0].id)
            .await
            .unwrap();
    assert_eq!(
        jan.roles[0].organization_id, laczka,
        "found by KRS without its zeros"
    );
    assert_eq!(jan.roles[0].role, "osoba kontaktowa");
    assert!(jan.consents.is_empty());

    // The rejected rows as a sheet to fix: original cells plus the reason.
    let rejected = db.dir.path().join("do-poprawy.xlsx");
    let n =
        db.k.write_rejected_rows(&file, &opts(ImportKind::People), &rejected)
            .await
            .unwrap();
    assert_eq!(n, 3);
    let sheet = read_sheet(&rejected, None).unwrap();
    assert_eq!(sheet.rows.len(), 4);
    assert_eq!(
        sheet.rows[0].cells.last().unwrap().display(),
        "Wiersz w pliku źródłowym"
    );
    assert_eq!(sheet.rows[1].cells[0].display(), "Ewa Nowak");
    assert!(
        sheet.rows[1].cells[5]
            .display()
            .starts_with("Organizacja: W rejestrze jest kilka"),
        "{:?}",
        sheet.rows[1].cells
    );
}

#[tokio::test]
async fn the_library_sheet_is_kept() {
    let db = fresh().await;
    let file = db.dir.path().join("biblioteczka.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Biblioteczka NGO").unwrap();
    for (c, h) in [
        "Sygn.",
        "Tytuł",
        "Autor",
        "Wydawnictwo",
        "Rok wydania",
        "ISBN",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rows = [
        (
            "B/1",
            "Fundraising w małej organizacji",
            "Jan Kowalski",
            "Wydawnictwo Łośprzy",
            2019.0,
            "978-83-01-00000-4",
        ),
        (
            "B/2",
            "Księgowość stowarzyszeń",
            "Anna Żak",
            "",
            2021.0,
            "978-83-01-00000-3",
        ),
        ("B/3", "Wolontariat od podstaw", "", "", 3019.0, ""),
        (
            "B/4",
            "Fundraising w małej organizacji",
            "Jan Kowalski",
            "",
            2019.0,
            "",
        ),
    ];
    for (i, (sig, title, author, publ, year, isbn)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *sig).unwrap();
        ws.write_string(r, 1, *title).unwrap();
        ws.write_string(r, 2, *author).unwrap();
        ws.write_string(r, 3, *publ).unwrap();
        ws.write_number(r, 4, *year).unwrap();
        ws.write_string(r, 5, *isbn).unwrap();
    }
    wb.save(&file).unwrap();
    let report =
        db.k.import(&file, &opts(ImportKind::Library), false, None, no_cancel())
            .await
            .unwrap();
    assert_eq!((report.imported, report.skipped_duplicates), (1, 1));
    let mut rejected: Vec<(u32, Option<String>)> = report
        .rejected
        .iter()
        .map(|r| (r.row, r.column.clone()))
        .collect();
    rejected.sort();
    assert_eq!(
        rejected,
        vec![(5, Some("ISBN".into())), (6, Some("Rok wydania".into()))]
    );
    assert_eq!(db.k.library_count().await.unwrap(), 1);
    let batch = &db.k.import_batches().await.unwrap()[0];
    assert_eq!((batch.kind.as_str(), batch.inserted), ("library", 1));
    db.k.undo_import(batch.id).await.unwrap();
    assert_eq!(db.k.library_count().await.unwrap(), 0);
}

#[tokio::test]
async fn a_saved_mapping_profile_maps_unusual_headers() {
    let db = fresh().await;
    let file = db.dir.path().join("inne-naglowki.csv");
    std::fs::write(&file, "Podmiot\tGdzie\tKontakt mailowy\tSkąd znamy\nFundacja Wiatr\tŁódź\twiatr@example.org\ttargi NGO\n").unwrap();
    let err =
        db.k.preview_import(&file, &opts(ImportKind::Organizations))
            .await
            .unwrap_err();
    assert!(
        err.to_string()
            .contains("Nie znaleziono wiersza z nagłówkami"),
        "{err}"
    );

    let mut with_header = opts(ImportKind::Organizations);
    with_header.header_row = Some(1);
    let err = db.k.preview_import(&file, &with_header).await.unwrap_err();
    assert!(
        err.to_string().contains("„Nazwa”"),
        "no column is the name yet: {err}"
    );

    let mapping: std::collections::BTreeMap<String, String> = [
        ("Podmiot", "name"),
        ("Gdzie", "city"),
        ("Kontakt mailowy", "emails"),
        ("Skąd znamy", "notes"),
    ]
    .iter()
    .map(|(h, f)| (h.to_string(), f.to_string()))
    .collect();
    let profile = kartoteka_core::import::ImportProfile {
        name: "Lista z targów".into(),
        mapping: mapping.clone(),
    };
    db.k.save_import_profile(ImportKind::Organizations, &profile)
        .await
        .unwrap();
    let profiles =
        db.k.import_profiles(ImportKind::Organizations)
            .await
            .unwrap();
    assert_eq!(profiles.len(), 1);
    assert_eq!(profiles[0].mapping, mapping);

    let mut with_profile = with_header.clone();
    with_profile.header_mapping = Some(profiles[0].mapping.clone());
    let preview = db.k.preview_import(&file, &with_profile).await.unwrap();
    assert_eq!(preview.source.delimiter.as_deref(), Some("tab"));
    assert_eq!(preview.to_insert, 1);
    db.k.import(&file, &with_profile, false, None, no_cancel())
        .await
        .unwrap();
    let wiatr =
        db.k.organization(db.k.search("wiatr", 1).await.unwrap()[0].id)
            .await
            .unwrap();
    assert_eq!(wiatr.notes.as_deref(), Some("targi NGO"));
    assert_eq!(wiatr.emails, vec!["wiatr@example.org"]);
}

// ----- Hostile spreadsheets: a few kilobytes that used to allocate gigabytes ------------------

/// A zip of the given parts, deflated as Excel and LibreOffice write them (so the file is tiny).
fn zip_parts(path: &Path, parts: &[(&str, String)]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, body) in parts {
        // ODF wants its mimetype first and stored, which is how the reader tells .ods from .xlsx.
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        zip.start_file(
            *name,
            zip::write::SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// A minimal .xlsx: a header, four organisations, the city only in C3, and `merges` copies of the
/// merged range C3:C1048576 (a whole column down from the city).
fn merge_bomb_xlsx(path: &Path, merges: usize) {
    let cell = |r: &str, v: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>{v}</t></is></c>"#);
    let mut rows = format!(
        r#"<row r="1">{}{}{}</row>"#,
        cell("A1", "Nazwa"),
        cell("B1", "Forma prawna"),
        cell("C1", "Miejscowość")
    );
    for (r, name) in [
        (2, "Fundacja Bomba A"),
        (3, "Fundacja Bomba B"),
        (4, "Fundacja Bomba C"),
        (5, "Fundacja Bomba D"),
    ] {
        let city = if r == 3 {
            cell("C3", "Łódź")
        } else {
            String::new()
        };
        rows.push_str(&format!(
            r#"<row r="{r}">{}{}{city}</row>"#,
            cell(&format!("A{r}"), name),
            cell(&format!("B{r}"), "fundacja")
        ));
    }
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C5"/><sheetData>{rows}</sheetData><mergeCells count="{merges}">{}</mergeCells></worksheet>"#,
        r#"<mergeCell ref="C3:C1048576"/>"#.repeat(merges)
    );
    zip_parts(path, &[
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Arkusz1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into()),
        ("xl/worksheets/sheet1.xml", sheet),
    ]);
}

/// A minimal .ods whose table holds `rows` (table:table-row elements).
fn repeat_bomb_ods(path: &Path, rows: &str) {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Arkusz1"><table:table-row><table:table-cell office:value-type="string"><text:p>Nazwa</text:p></table:table-cell></table:table-row>{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip_parts(path, &[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".into()),
        ("META-INF/manifest.xml", r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#.into()),
        ("content.xml", content),
    ]);
}

/// `kartoteka import organizations FILE --dry-run --json` as a child under `/usr/bin/time`: its
/// output, and its peak resident memory in MB (the kernel's own count for the whole run).
fn dry_run_import_peak_mb(
    db: &str,
    file: &Path,
) -> (bool, String, String, u64, std::time::Duration) {
    let rss = file.with_extension("rss");
    let started = std::time::Instant::now();
    let out = std::process::Command::new("/usr/bin/time")
        // `timeout` ends a run that would go on for minutes (the old filler did); /usr/bin/time
        // reports the largest resident set among the processes it waited for, Kartoteka's.
        .args([
            "-f",
            "%M",
            "-o",
            rss.to_str().unwrap(),
            "timeout",
            "-s",
            "KILL",
            "90",
            env!("CARGO_BIN_EXE_kartoteka"),
            "--db",
            db,
            "import",
            "organizations",
            file.to_str().unwrap(),
            "--dry-run",
            "--json",
        ])
        .output()
        .unwrap();
    let took = started.elapsed();
    let kb: u64 = std::fs::read_to_string(&rss)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let text = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    (out.status.success(), stdout, text, kb / 1024, took)
}

#[tokio::test]
async fn hostile_spreadsheets_are_refused_or_read_in_seconds_with_bounded_memory() {
    let db = fresh().await;
    save_org(&db.k, &org("Stowarzyszenie Stałe", "Łódź")).await;
    let before = snapshot(&db).await;
    let dir = db.dir.path();

    // 20,000 copies of C3:C1048576: a 40 KB file; the old filler listed every range under each
    // of its rows (4 billion entries). Now the copies overlap the first and are dropped, and the
    // one range fills the rows the sheet has.
    let merges = dir.join("scalenia.xlsx");
    merge_bomb_xlsx(&merges, 20_000);
    assert!(std::fs::metadata(&merges).unwrap().len() < 100_000);
    let (ok, stdout, text, peak_mb, took) = dry_run_import_peak_mb(&db.location(), &merges);
    assert!(ok, "{text}");
    assert!(peak_mb <= 500, "peak RSS {peak_mb} MB");
    assert!(took.as_secs() < 30, "took {took:?}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        summary["rejected"].as_array().map(Vec::len),
        Some(0),
        "{text}"
    );
    let sheet = read_sheet(&merges, None).unwrap();
    let cities: Vec<String> = sheet
        .rows
        .iter()
        .map(|r| r.cells.get(2).map(|c| c.display()).unwrap_or_default())
        .collect();
    assert_eq!(cities, ["Miejscowość", "", "Łódź", "Łódź", "Łódź"]);

    // More merged ranges than any register has: refused before calamine collects them.
    let many = dir.join("scalenia-150k.xlsx");
    merge_bomb_xlsx(&many, 150_000);
    let (ok, _, text, peak_mb, took) = dry_run_import_peak_mb(&db.location(), &many);
    assert!(!ok && text.contains("scalonych obszarów"), "{text}");
    assert!(
        peak_mb <= 500 && took.as_secs() < 30,
        "{peak_mb} MB, {took:?}"
    );

    // An .ods row of 100 text cells declared repeated a million times: calamine would hold 100
    // million cells (its own cap); the check on content.xml refuses it before calamine opens it.
    let rows = dir.join("powtorzenia.ods");
    repeat_bomb_ods(
        &rows,
        r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
    );
    let (ok, _, text, peak_mb, took) = dry_run_import_peak_mb(&db.location(), &rows);
    assert!(!ok && text.contains("więcej niż 200 000 wierszy"), "{text}");
    assert!(
        peak_mb <= 500 && took.as_secs() < 30,
        "{peak_mb} MB, {took:?}"
    );

    // 2,000 rows each with one text cell after 16,000 repeated empty ones: every row expands to
    // 16,001 cells (32 million in all).
    let cols = dir.join("kolumny.ods");
    repeat_bomb_ods(&cols, &r#"<table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#.repeat(2000));
    let (ok, _, text, peak_mb, took) = dry_run_import_peak_mb(&db.location(), &cols);
    assert!(!ok && text.contains("komórek"), "{text}");
    assert!(
        peak_mb <= 500 && took.as_secs() < 30,
        "{peak_mb} MB, {took:?}"
    );

    // Through the core, without --dry-run: the refusals write nothing.
    for file in [&many, &rows, &cols] {
        let err =
            db.k.import(
                file,
                &opts(ImportKind::Organizations),
                false,
                None,
                no_cancel(),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "bad_argument", "{err}");
    }
    assert_eq!(snapshot(&db).await, before);
}
