//! Publishing to the city portal on the backend of the run: the site validates in a strict
//! HTML5 parser, the .ics feed reads back in a real iCalendar parser with Warsaw times, CSV and
//! JSON(-LD) parse, nothing unconsented, personal or internal reaches any file (nor the .zip),
//! the map counts a test register right, a second preview lists exactly what changed, a folder
//! holding other files is refused at its field, and the pages render in headless Chromium.

use crate::util::{fresh, org, save_org, save_person};
use kartoteka_core::cooperation::{CompetitionInput, OfferInput};
use kartoteka_core::error::Error;
use kartoteka_core::events::EventInput;
use kartoteka_core::mail::GrantCallInput;
use kartoteka_core::publish::{FileChange, PublishOptions};
use kartoteka_core::register::{OrganizationInput, PersonInput};
use kartoteka_core::Kartoteka;
use std::path::Path;
use std::process::Command;

/// Strings of records that must never be published.
const SECRETS: &[&str] = &[
    "Xylofon",
    "tajna@xylofon.pl",
    "600700800",
    "Kwazarowa",
    "kwazar@example.com",
    "Zebranie zarządu Kwazar",
    "notatka wewnętrzna Zefir",
    "uwaga: zaległa składka",
];

fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

fn run_python(script: &str, args: &[&Path]) -> String {
    let out = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn event(title: &str, date: &str, starts: &str, ends: &str, public: bool) -> EventInput {
    EventInput {
        title: title.into(),
        kind: "training".into(),
        date: date.into(),
        starts: starts.into(),
        ends: ends.into(),
        place: "Centrum NGO, ul. Długa 5; sala „A”".into(),
        description: "Dla członków organizacji.\nZapisy w biurze.".into(),
        public,
        ..Default::default()
    }
}

/// A register with published and unpublished records of every kind.
async fn register(k: &Kartoteka) -> Vec<String> {
    let areas: Vec<String> = k
        .reference_data()
        .await
        .unwrap()
        .areas
        .iter()
        .take(2)
        .map(|a| a.code.clone())
        .collect();
    let consented = |name: &str, city: &str, powiat: &str, voivodeship: &str| OrganizationInput {
        gmina: city.into(),
        powiat: powiat.into(),
        voivodeship: voivodeship.into(),
        emails: format!("biuro@{}.pl", city.to_lowercase().replace(' ', "")),
        phones: "22 123 45 67".into(),
        website: "www.przyklad.org.pl".into(),
        description: "Pomagamy sąsiadom.\nDziałamy od 2010 r.".into(),
        areas: areas.clone(),
        directory_consent: true,
        ..org(name, city)
    };
    let gniezno = save_org(
        k,
        &consented(
            "Stowarzyszenie Gnieźnieńskie",
            "Gniezno",
            "gnieźnieński",
            "wielkopolskie",
        ),
    )
    .await;
    save_org(
        k,
        &consented(
            "Fundacja <b>Bielska</b> & Spółka",
            "Bielsko-Biała",
            "powiat bielski",
            "śląskie",
        ),
    )
    .await;
    save_org(
        k,
        &consented(
            "Klub Bielski Podlaski",
            "Bielsk Podlaski",
            "bielski",
            "podlaskie",
        ),
    )
    .await;
    save_org(
        k,
        &consented(
            "Koło „Warszawianki”",
            "Warszawa",
            "m.st. Warszawa",
            "mazowieckie",
        ),
    )
    .await;
    // Consented, but its powiat matches nothing: listed for the user to fix.
    save_org(
        k,
        &consented("Fundacja Bez Powiatu", "Gdzieś", "nieistniejący", ""),
    )
    .await;
    // Not consented: nothing of it may appear.
    let hidden = save_org(
        k,
        &OrganizationInput {
            emails: "tajna@xylofon.pl".into(),
            phones: "600700800".into(),
            description: "Opis, którego nikt nie może zobaczyć.".into(),
            notes: "uwaga: zaległa składka".into(),
            powiat: "gnieźnieński".into(),
            voivodeship: "wielkopolskie".into(),
            ..org("Tajna Fundacja Xylofon", "Gniezno")
        },
    )
    .await;
    // The consented organisation's internal note stays inside too.
    save_person(
        k,
        &PersonInput {
            first_name: "Halina".into(),
            last_name: "Kwazarowa".into(),
            emails: "kwazar@example.com".into(),
            ..Default::default()
        },
    )
    .await;
    k.save_event(
        None,
        &event(
            "Szkolenie z <RODO> & grantów",
            "7.12.2026",
            "10:00",
            "12:30",
            true,
        ),
    )
    .await
    .unwrap();
    k.save_event(
        None,
        &event("Forum letnie", "15.6.2027", "9:00", "15:00", true),
    )
    .await
    .unwrap();
    k.save_event(
        None,
        &event(
            "Zebranie zarządu Kwazar",
            "8.12.2026",
            "17:00",
            "18:00",
            false,
        ),
    )
    .await
    .unwrap();
    k.save_grant_call(
        None,
        &GrantCallInput {
            funder: "Urząd Miasta".into(),
            title: "Otwarty konkurs ofert: seniorzy 2027".into(),
            deadline: "20.12.2099".into(),
            amount: "150 000 zł".into(),
            link: "https://bip.example.pl/konkurs".into(),
            notes: "notatka wewnętrzna Zefir".into(),
            areas: areas.clone(),
        },
    )
    .await
    .unwrap();
    // The city's competition, decided: a grant to a consented organisation is listed with its
    // name, one to the unconsented one without it, a refused offer not at all.
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let competition = k
        .save_competition(
            None,
            &CompetitionInput {
                title: "Aktywny senior w mieście".into(),
                area_code: areas[0].clone(),
                funds: "50 000".into(),
                announced_on: format!("{year}-01-10"),
                deadline_on: format!("{year}-02-10"),
                result_on: format!("{year}-03-10"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    for (org_id, title, status, granted) in [
        (gniezno, "Kawiarenka seniora", "granted", "12 345"),
        (hidden, "Wieczorki taneczne", "granted", "7 000"),
        (gniezno, "Rejs po jeziorze", "refused", ""),
    ] {
        k.save_offer(
            None,
            &OfferInput {
                competition_id: Some(competition),
                organization_id: Some(org_id),
                title: title.into(),
                submitted_on: format!("{year}-02-01"),
                requested: "20 000".into(),
                status: status.into(),
                granted: granted.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    areas
}

fn everything() -> PublishOptions {
    PublishOptions {
        english: true,
        ..Default::default()
    }
}

const VALIDATE: &str = r#"
import sys, os, json, csv, re, io, html5lib
root = sys.argv[1]
pages = 0
for d, _, names in os.walk(root):
    for n in names:
        p = os.path.join(d, n)
        if n.endswith('.html'):
            parser = html5lib.HTMLParser(strict=True)
            with open(p, 'rb') as f:
                parser.parse(f)
            text = open(p, encoding='utf-8').read()
            for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
                data = json.loads(block)
                assert data['@context'] == 'https://schema.org', p
            pages += 1
        elif n.endswith('.json'):
            json.load(open(p, encoding='utf-8'))
        elif n.endswith('.csv'):
            rows = list(csv.reader(open(p, encoding='utf-8', newline='')))
            assert len(set(len(r) for r in rows)) == 1, p
print('pages', pages)
"#;

const ICS: &str = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for ev in cal.walk('VEVENT'):
    print(ev['UID'], ev.decoded('DTSTART').isoformat(), ev.decoded('DTEND').isoformat(), ev['SUMMARY'], ev['LOCATION'])
"#;

fn all_text(dir: &Path) -> String {
    let mut text = String::new();
    for entry in walk(dir) {
        text.push_str(&String::from_utf8_lossy(&std::fs::read(entry).unwrap()));
    }
    text
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test]
async fn the_published_site_validates_and_holds_only_what_may_be_published() {
    let db = fresh().await;
    let k = &db.k;
    register(k).await;
    let site = db.dir.path().join("strona");
    let first = k.publish_preview(&everything()).await.unwrap();
    assert_eq!(
        (first.organizations, first.events, first.grant_calls),
        (5, 2, 2)
    );
    assert!(first.files.iter().all(|f| f.change == FileChange::New));
    assert_eq!(first.last_published_at, None);
    let unmatched: Vec<&str> = first.unmatched.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(unmatched, vec!["Fundacja Bez Powiatu"]);

    let summary = k
        .publish(&everything(), site.to_str().unwrap(), true)
        .await
        .unwrap();
    assert_eq!(summary.files, first.files.len());
    assert!(site.join("index.html").is_file() && site.join("en/index.html").is_file());

    // Strict HTML5, JSON-LD, CSV and JSON.
    let out = run_python(VALIDATE, &[&site]);
    let pages: usize = out.trim().trim_start_matches("pages ").parse().unwrap();
    assert!(pages >= 20, "{out}");

    // The feed: both public events, Warsaw's winter and summer offsets, text unescaped whole.
    let ics = run_python(ICS, &[&site.join("kalendarz.ics")]);
    let lines: Vec<&str> = ics.lines().collect();
    assert_eq!(lines.len(), 2, "{ics}");
    assert!(
        lines[0].contains("2026-12-07T10:00:00+01:00")
            && lines[0].contains("2026-12-07T12:30:00+01:00"),
        "{ics}"
    );
    assert!(lines[1].contains("2027-06-15T09:00:00+02:00"), "{ics}");
    assert!(
        lines[0].contains("Szkolenie z <RODO> & grantów") && lines[0].contains("sala „A”"),
        "{ics}"
    );

    // Nothing unconsented, personal or internal, in the folder or the .zip.
    let text = all_text(&site);
    let zip = std::fs::read(summary.zip_path.as_ref().unwrap()).unwrap();
    let unzipped = run_python(
        "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(len(z.namelist()))\nfor n in z.namelist(): sys.stdout.write(z.read(n).decode('utf-8'))",
        &[Path::new(summary.zip_path.as_ref().unwrap())],
    );
    assert!(zip.len() > 1000);
    assert!(
        unzipped.starts_with(&format!("{}\n", summary.files)),
        "every file in the .zip"
    );
    // The competition and its results, the unconsented organisation's grant without its name.
    let competitions = std::fs::read_to_string(site.join("konkursy.html")).unwrap();
    for expected in [
        "Aktywny senior w mieście",
        "50 000,00 zł",
        "Kawiarenka seniora",
        "Stowarzyszenie Gnieźnieńskie",
        "12 345,00 zł",
        "Wieczorki taneczne",
        "organizacja spoza katalogu",
        "7 000,00 zł",
    ] {
        assert!(
            competitions.contains(expected),
            "{expected} missing in\n{competitions}"
        );
    }
    assert!(
        !competitions.contains("Rejs po jeziorze"),
        "a refused offer"
    );
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} published");
        assert!(!unzipped.contains(secret), "{secret} in the .zip");
    }
    // Hostile names are text, not markup, in every page (CSV and JSON keep them as typed).
    let pages: String = walk(&site)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "svg"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(pages.contains("Fundacja &lt;b&gt;Bielska&lt;/b&gt; &amp; Spółka"));
    assert!(!pages.contains("<b>Bielska</b>"));
    assert!(text.contains("Otwarty konkurs ofert: seniorzy 2027"));

    // The map: one shape per powiat, the two "bielski" powiats told apart by voivodeship.
    let svg = std::fs::read_to_string(site.join("mapa-powiaty.svg")).unwrap();
    assert_eq!(svg.matches("class=\"area\"").count(), 380);
    let counted = |name: &str| -> Vec<String> {
        let mut found = Vec::new();
        for chunk in svg.split("<path").skip(1) {
            if chunk.contains(&format!("data-name=\"{name}\"")) {
                let count = chunk
                    .split("data-count=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                found.push(count.to_string());
            }
        }
        found
    };
    assert_eq!(
        counted("gnieźnieński"),
        vec!["1"],
        "the unconsented one is not counted"
    );
    let mut bielski = counted("bielski");
    bielski.sort();
    assert_eq!(bielski, vec!["1", "1"]);
    assert_eq!(counted("Warszawa"), vec!["1"]);
    let voivodeships = std::fs::read_to_string(site.join("mapa-wojewodztwa.svg")).unwrap();
    assert_eq!(voivodeships.matches("class=\"area\"").count(), 16);

    // A second preview: nothing changed; then one more organisation consents.
    let again = k.publish_preview(&everything()).await.unwrap();
    assert_eq!(
        again.changed_files,
        0,
        "{:?}",
        again
            .files
            .iter()
            .filter(|f| f.change != FileChange::Same)
            .collect::<Vec<_>>()
    );
    assert!(again.last_published_at.is_some());
    assert_eq!(again.last_folder.as_deref(), Some(site.to_str().unwrap()));
    save_org(
        k,
        &OrganizationInput {
            directory_consent: true,
            powiat: "gnieźnieński".into(),
            ..org("Nowe Stowarzyszenie Łąka", "Gniezno")
        },
    )
    .await;
    let changed = k.publish_preview(&everything()).await.unwrap();
    assert_eq!(
        changed.added_organizations,
        vec!["Nowe Stowarzyszenie Łąka".to_string()]
    );
    assert!(changed.removed_organizations.is_empty());
    let new_files: Vec<&str> = changed
        .files
        .iter()
        .filter(|f| f.change == FileChange::New)
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(
        new_files.len(),
        2,
        "its page in Polish and English: {new_files:?}"
    );
    assert!(changed
        .files
        .iter()
        .any(|f| f.path == "organizacje/index.html" && f.change == FileChange::Changed));

    // Publishing again with the same choices writes only what changed: a page the earlier
    // publication holds unchanged is the same file (linked from the earlier folder), a
    // changed one is written anew.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let inode = |p: &str| std::fs::metadata(site.join(p)).unwrap().ino();
        let same_page = changed
            .files
            .iter()
            .find(|f| f.change == FileChange::Same && f.path.starts_with("organizacje/"))
            .map(|f| f.path.clone())
            .unwrap();
        let (same_before, index_before) = (inode(&same_page), inode("organizacje/index.html"));
        k.publish(&everything(), site.to_str().unwrap(), false)
            .await
            .unwrap();
        assert_eq!(
            inode(&same_page),
            same_before,
            "{same_page} linked, not rewritten"
        );
        assert_ne!(inode("organizacje/index.html"), index_before);
        let index = std::fs::read_to_string(site.join("organizacje/index.html")).unwrap();
        assert!(index.contains("Nowe Stowarzyszenie Łąka"));
        let after = k.publish_preview(&everything()).await.unwrap();
        let mut listed: Vec<_> = after.files.iter().map(|f| site.join(&f.path)).collect();
        listed.push(site.join(".kartoteka-publikacja"));
        listed.sort();
        let mut on_disk = walk(&site);
        on_disk.sort();
        assert_eq!(
            on_disk, listed,
            "the folder holds exactly what was published"
        );
    }

    // Publishing again replaces the folder whole.
    k.publish(&PublishOptions::default(), site.to_str().unwrap(), false)
        .await
        .unwrap();
    assert!(
        !site.join("en").exists(),
        "English pages dropped when not asked for"
    );
    assert!(all_text(&site).contains("Nowe Stowarzyszenie Łąka"));
}

#[tokio::test]
async fn a_folder_holding_other_files_is_refused_and_nothing_is_written() {
    let db = fresh().await;
    let k = &db.k;
    register(k).await;
    let documents = db.dir.path().join("Dokumenty");
    std::fs::create_dir(&documents).unwrap();
    std::fs::write(documents.join("sprawozdanie.docx"), b"...").unwrap();
    let err = k
        .publish(&everything(), documents.to_str().unwrap(), true)
        .await
        .unwrap_err();
    match err {
        Error::Invalid(fields) => assert_eq!(fields[0].field, "folder"),
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read_dir(&documents).unwrap().count(), 1);
    assert!(!db.dir.path().join("Dokumenty.zip").exists());
    assert!(k
        .publish_preview(&everything())
        .await
        .unwrap()
        .last_published_at
        .is_none());
}

/// The pages as a browser draws them: headless Chromium screenshots of the home page, the
/// directory and the map (kept in target/screenshots for a person to look at).
#[tokio::test]
async fn the_published_pages_render_in_headless_chromium() {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let Some(chromium) = chromium else {
        assert!(
            std::env::var_os("KARTOTEKA_E2E_REQUIRED").is_none(),
            "chromium is required in CI (scripts/install-deps.sh)"
        );
        eprintln!("chromium not installed: the browser check is skipped");
        return;
    };
    let db = fresh().await;
    let k = &db.k;
    register(k).await;
    let site = db.dir.path().join("strona");
    k.publish(&everything(), site.to_str().unwrap(), false)
        .await
        .unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (page, name) in [
        ("index.html", "site-index"),
        ("organizacje/index.html", "site-directory"),
        ("mapa.html", "site-map"),
    ] {
        let png = shots.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&png);
        let profile = tempfile::tempdir().unwrap();
        let out = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1280,1400",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("file://{}", site.join(page).display()))
            .output()
            .unwrap();
        let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 10_000,
            "{page}: no screenshot ({size} bytes): {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
