//! The directory PDF, checked as a reader gets it: the text pdftotext extracts from the file.

use crate::util::{fresh, org, save_org};
use kartoteka_core::register::directory::{DirectoryOptions, GroupBy};
use kartoteka_core::register::OrganizationQuery;
use std::path::Path;
use std::process::Command;

fn pdf_text(path: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/install-deps.sh");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The text with every run of whitespace (line wraps, layout columns) as one space.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn public_directory_groups_indexes_and_numbers_its_pages() {
    let db = fresh().await;
    let mut listed = org("Stowarzyszenie Źródło Łódzkie", "Łódź");
    listed.areas = vec!["1".into(), "27".into()];
    listed.directory_consent = true;
    listed.krs = "123456".into();
    listed.nip = "123-456-32-18".into();
    listed.phones = "42 123 45 67".into();
    listed.emails = "zrodlo@ngo.pl".into();
    save_org(&db.k, &listed).await;
    let mut second = org("Fundacja Ślad", "Żory");
    second.legal_form = "fundacja".into();
    second.areas = vec!["27".into()];
    second.directory_consent = true;
    save_org(&db.k, &second).await;
    let mut hidden = org("Klub Bez Zgody", "Opole");
    hidden.areas = vec!["27".into()];
    save_org(&db.k, &hidden).await;

    let out = db.dir.path().join("katalog.pdf");
    let opts = DirectoryOptions {
        group_by: GroupBy::Area,
        public_only: true,
        office: "Centrum Współpracy Organizacji Pozarządowych".into(),
        ..Default::default()
    };
    let summary =
        db.k.directory_pdf(&OrganizationQuery::default(), &opts, &out)
            .await
            .unwrap();
    assert_eq!(summary.organizations, 2);
    let all = flat(&pdf_text(&out, None));
    let title = flat(&pdf_text(&out, Some(1)));
    assert!(
        title.contains("Katalog organizacji pozarządowych")
            && title.contains("Centrum Współpracy Organizacji Pozarządowych"),
        "{title}"
    );
    assert!(
        title.contains(&format!("Strona 1 z {}", summary.pages)),
        "{title}"
    );
    assert!(
        all.contains("Stowarzyszenie Źródło Łódzkie") && all.contains("Fundacja Ślad"),
        "Polish letters copy as text"
    );
    assert!(
        !all.contains("Klub Bez Zgody"),
        "no consent, not in the public directory"
    );
    assert!(
        all.contains("KRS 0000123456")
            && all.contains("NIP 123-456-32-18")
            && all.contains("zrodlo@ngo.pl")
    );
    assert!(
        all.contains("1. pomoc społeczna")
            && all.contains("27. promocja i organizacja wolontariatu")
    );
    // Sphere 27 lists both, in Polish order (F before S), after sphere 1.
    let in27 = &all[all.find("27. promocja i organizacja wolontariatu").unwrap()..];
    assert!(in27.find("Fundacja Ślad").unwrap() < in27.find("Stowarzyszenie Źródło").unwrap());
    let index_page = pdf_text(&out, Some(summary.pages));
    assert!(index_page.contains("Indeks nazw"), "{index_page}");
    let line = index_page
        .lines()
        .find(|l| l.contains("Stowarzyszenie Źródło Łódzkie — Łódź"))
        .expect("indexed");
    assert!(
        line.trim_end().ends_with("2"),
        "listed under two spheres on page 2: {line}"
    );
    assert!(index_page.contains(&format!("Strona {0} z {0}", summary.pages)));

    // Every font is embedded, so every Polish letter prints the same on any PC.
    let fonts = Command::new("pdffonts")
        .arg(&out)
        .output()
        .expect("pdffonts (poppler-utils)");
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name, type (two words: "CID TrueType"), encoding, emb, sub, uni, object, generation
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {row}");
    }
}

#[tokio::test]
async fn member_directory_lists_only_current_members() {
    let db = fresh().await;
    let mut member = org("Biuro Porad Obywatelskich w Lesznie", "Leszno");
    member.member_since = "01.01.2010".into();
    save_org(&db.k, &member).await;
    let mut former = org("Biuro Porad Obywatelskich w Goniądzu", "Goniądz");
    former.member_since = "01.01.2010".into();
    former.member_until = "31.12.2020".into();
    save_org(&db.k, &former).await;
    let out = db.dir.path().join("czlonkowie.pdf");
    let opts = DirectoryOptions {
        group_by: GroupBy::City,
        members_only: true,
        ..Default::default()
    };
    let summary =
        db.k.directory_pdf(&OrganizationQuery::default(), &opts, &out)
            .await
            .unwrap();
    assert_eq!(summary.organizations, 1);
    let text = flat(&pdf_text(&out, None));
    assert!(text.contains("Katalog biur członkowskich"));
    assert!(text.contains("w Lesznie") && !text.contains("w Goniądzu"));
}

#[tokio::test]
async fn continuation_pages_name_their_group() {
    let db = fresh().await;
    for i in 0..45 {
        let mut o = org(
            &format!("Stowarzyszenie Sąsiedzkie nr {i:02}"),
            if i < 40 { "Łódź" } else { "Zgierz" },
        );
        o.directory_consent = true;
        o.emails = format!("sasiedzi{i}@ngo.pl");
        o.phones = "42 123 45 67".into();
        save_org(&db.k, &o).await;
    }
    let out = db.dir.path().join("miasta.pdf");
    let opts = DirectoryOptions {
        group_by: GroupBy::City,
        public_only: true,
        ..Default::default()
    };
    let summary =
        db.k.directory_pdf(&OrganizationQuery::default(), &opts, &out)
            .await
            .unwrap();
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdfs");
    std::fs::create_dir_all(&kept).unwrap();
    std::fs::copy(&out, kept.join("directory-running-header.pdf")).unwrap();
    assert!(
        summary.pages >= 5,
        "title, at least three pages of Łódź, the index: {}",
        summary.pages
    );
    // Page 2 opens the group with its heading; the next pages of Łódź say whose they are.
    let first = flat(&pdf_text(&out, Some(2)));
    assert!(
        first.contains("Łódź") && !first.contains("ciąg dalszy"),
        "{first}"
    );
    let next = flat(&pdf_text(&out, Some(3)));
    assert!(next.starts_with("Łódź — ciąg dalszy"), "{next}");
}
