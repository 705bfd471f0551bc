//! Search through the core against a real database (a file, or a server in a PostgreSQL run):
//! diacritics-blind both ways (including Ł), prefixes of any word, identifiers with or without
//! dashes; and the same searches and list orders on a server as on a file, compared exactly.

use crate::util::{fresh, org, save_org, save_person};
use kartoteka_core::register::{PersonInput, RecordKind};

#[tokio::test]
async fn search_is_blind_to_polish_letters_both_ways() {
    let db = fresh().await;
    let lodz = save_org(&db.k, &org("Stowarzyszenie Łódzkie Forum", "Łódź")).await;
    let plain = save_org(&db.k, &org("Klub Lodz Team", "Lodz")).await;
    let ids = |hits: Vec<kartoteka_core::register::SearchHit>| {
        hits.into_iter().map(|h| h.id).collect::<Vec<_>>()
    };
    let found = ids(db.k.search("lodz", 10).await.unwrap());
    assert!(found.contains(&lodz) && found.contains(&plain), "{found:?}");
    let found = ids(db.k.search("ŁÓDŹ", 10).await.unwrap());
    assert!(found.contains(&lodz) && found.contains(&plain), "{found:?}");
    let found = ids(db.k.search("łódzk", 10).await.unwrap());
    assert_eq!(found, vec![lodz]);
    assert!(db.k.search("krakow", 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn search_matches_prefixes_identifiers_and_people() {
    let db = fresh().await;
    let mut input = org("Fundacja Światło Nadziei", "Świdnik");
    input.legal_form = "fundacja".into();
    input.nip = "1234563218".into();
    input.krs = "0000054321".into();
    input.regon = "123456785".into();
    let id = save_org(&db.k, &input).await;
    for q in [
        "swiat nadz",
        "FUNDACJA ŚWIATŁO",
        "123-456-32-18",
        "1234563218",
        "PL1234563218",
        "54321",
        "0000054321",
        "123-456-785",
        "swidn",
    ] {
        let hits = db.k.search(q, 10).await.unwrap();
        assert_eq!(hits.first().map(|h| h.id), Some(id), "query {q:?}");
    }
    let pid = save_person(
        &db.k,
        &PersonInput {
            first_name: "Żaneta".into(),
            last_name: "Łęcka".into(),
            emails: "zaneta@o2.pl".into(),
            ..Default::default()
        },
    )
    .await;
    let hits = db.k.search("zaneta lecka", 10).await.unwrap();
    assert_eq!((hits[0].kind, hits[0].id), (RecordKind::Person, pid));
    assert!(db
        .k
        .search("zaneta@o2", 10)
        .await
        .unwrap()
        .iter()
        .any(|h| h.id == pid));
    // Edits reach the index; archived records stay findable, marked as such.
    let mut renamed = input.clone();
    renamed.name = "Fundacja Nowa Nazwa".into();
    db.k.save_organization(Some(id), &renamed, true)
        .await
        .unwrap();
    assert!(db.k.search("nadziei", 10).await.unwrap().is_empty());
    db.k.archive_organization(id, true).await.unwrap();
    let hits = db.k.search("nowa nazwa", 10).await.unwrap();
    assert!(hits[0].archived);
}

#[tokio::test]
async fn search_refuses_oversized_text_and_survives_fts_syntax() {
    let db = fresh().await;
    save_org(&db.k, &org("Stowarzyszenie \"Cudzysłów\" OR NOT", "Opole")).await;
    for q in [
        "\"",
        "NOT",
        "a OR b",
        "*",
        "(",
        "NEAR(a b)",
        "-",
        "col:x",
        "^x",
    ] {
        db.k.search(q, 10)
            .await
            .unwrap_or_else(|e| panic!("{q:?}: {e}"));
    }
    assert_eq!(db.k.search("cudzys", 5).await.unwrap().len(), 1);
    let err = db.k.search(&"x".repeat(1000), 10).await.unwrap_err();
    assert_eq!(err.code(), "bad_argument");
}

/// The register the file and the server both get, saved in the same order (so the ids agree):
/// every Polish letter at the start and inside names, upper and lower case, the plain-letter
/// twins (Lodz / Łódź, Slazak / Ślązak), identifiers typed with and without dashes.
async fn polish_register(k: &kartoteka_core::Kartoteka) {
    use kartoteka_core::register::RoleInput;
    let orgs: [(&str, &str, &str, &str, &str, &str, &str); 16] = [
        // (name, city, legal form, NIP, REGON, KRS, tags)
        (
            "Stowarzyszenie Łódzkie Forum",
            "Łódź",
            "stowarzyszenie",
            "123-456-32-18",
            "",
            "",
            "seniorzy, Łąka",
        ),
        (
            "Klub Lodz Team",
            "Lodz",
            "stowarzyszenie",
            "",
            "",
            "",
            "sport",
        ),
        (
            "Fundacja Światło Nadziei",
            "Świdnik",
            "fundacja",
            "",
            "123-456-785",
            "54321",
            "Ósemka",
        ),
        (
            "FUNDACJA ŻÓŁĆ I GĘŚLA",
            "Żory",
            "fundacja",
            "5252340005",
            "",
            "",
            "ćwiczenia, Żagle",
        ),
        (
            "fundacja źródło",
            "Zielona Góra",
            "fundacja",
            "",
            "012345675",
            "0000012345",
            "zdrowie",
        ),
        (
            "Zakład Aktywności Zawodowej",
            "Zabrze",
            "stowarzyszenie",
            "PL 701-234-00-01",
            "",
            "",
            "aktywizacja",
        ),
        (
            "Ćma Nocna",
            "Ciechanów",
            "stowarzyszenie",
            "",
            "",
            "",
            "ćwiczenia",
        ),
        (
            "Cisza Leśna",
            "Częstochowa",
            "stowarzyszenie",
            "",
            "14567890-7",
            "",
            "cisza",
        ),
        (
            "Ełckie Koło Gospodyń",
            "Ełk",
            "stowarzyszenie",
            "",
            "",
            "0000777888",
            "Łąka",
        ),
        (
            "Elbląskie Koło Gospodyń",
            "Elbląg",
            "stowarzyszenie",
            "951 234 00 05",
            "",
            "",
            "łąka",
        ),
        (
            "Łabędzie nad Wartą",
            "Łomża",
            "fundacja",
            "",
            "",
            "",
            "ptaki",
        ),
        (
            "Lipy Śląskie",
            "Lublin",
            "fundacja",
            "",
            "361234126",
            "",
            "drzewa",
        ),
        (
            "Śnieżka Sudecka",
            "Świnoujście",
            "stowarzyszenie",
            "",
            "",
            "0000001234",
            "góry",
        ),
        (
            "Sowa Mądra",
            "Sopot",
            "stowarzyszenie",
            "6772340006",
            "",
            "",
            "ptaki",
        ),
        (
            "Ósemka Ząbkowicka",
            "Ząbki",
            "stowarzyszenie",
            "",
            "",
            "",
            "sport",
        ),
        (
            "Oaza Ńanu",
            "Oświęcim",
            "fundacja",
            "",
            "777888995",
            "",
            "oaza",
        ),
    ];
    let mut ids = Vec::new();
    for (name, city, form, nip, regon, krs, tags) in orgs {
        let mut input = org(name, city);
        input.legal_form = form.into();
        input.nip = nip.into();
        input.regon = regon.into();
        input.krs = krs.into();
        input.tags = tags.into();
        ids.push(save_org(k, &input).await);
    }
    let people = [
        ("Żaneta", "Łęcka", "zaneta@o2.pl"),
        ("Łucja", "Żak", ""),
        ("Ewa", "Ślązak", ""),
        ("Ewa", "Slazak", "ewa.slazak@example.org"),
        ("Zenon", "Źdźbło", ""),
        ("Bogdan", "Kań", ""),
        ("Jan", "Kania", ""),
        ("ANNA", "ĆWIK", ""),
        ("anna", "cwik-nowak", ""),
        ("Ólga", "Ąbel", ""),
        ("Adam", "Abel", ""),
        ("Michał", "Nowak", "m.nowak@example.org"),
    ];
    for (i, (first, last, email)) in people.into_iter().enumerate() {
        let roles = [ids[0], ids[3], ids[i % ids.len()]]
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|organization_id| RoleInput {
                organization_id,
                role: "członek".into(),
            })
            .collect();
        save_person(
            k,
            &PersonInput {
                first_name: first.into(),
                last_name: last.into(),
                emails: email.into(),
                roles,
                ..Default::default()
            },
        )
        .await;
    }
}

/// What a window or the CLI shows of the register: the hits of many searches, every list
/// order and page, the cities and tags, the people of an organisation and the organisations of
/// a person, and both exports.
async fn what_is_shown(
    k: &kartoteka_core::Kartoteka,
    dir: &std::path::Path,
) -> Vec<(String, serde_json::Value)> {
    use kartoteka_core::export::ExportFormat;
    use kartoteka_core::register::{OrganizationQuery, OrganizationSort, PersonQuery};
    use serde_json::json;
    let mut shown = Vec::new();
    for q in [
        "lodz",
        "LODZ",
        "Łódź",
        "ŁÓDŹ",
        "łódzk",
        "zolc",
        "ŻÓŁĆ",
        "gesla",
        "Gęśla",
        "zrodlo",
        "ŹRÓDŁO",
        "swiat nadz",
        "FUNDACJA ŚWIATŁO",
        "swidn",
        "123-456-32-18",
        "1234563218",
        "PL1234563218",
        "525-234-00-05",
        "5252340005",
        "123456785",
        "123-456-785",
        "01234567-5",
        "0000054321",
        "54321",
        "12345",
        "zaneta lecka",
        "ŻANETA ŁĘCKA",
        "łęck",
        "slazak",
        "ŚLĄZAK",
        "kan",
        "kań",
        "zdzblo",
        "ćwik",
        "CWIK",
        "abel",
        "ąbel",
        "olga",
        "elk",
        "ełk",
        "cma",
        "ĆMA",
        "oaza nanu",
        "snie",
        "fundacja",
        "kolo gospodyn",
        "stow",
        "nowak",
        "zaneta@o2",
        "example.org",
        "zabki",
        "ósemk",
    ] {
        let hits = k.search(q, 50).await.unwrap();
        assert!(
            !hits.is_empty(),
            "{q:?} finds nothing: the comparison would prove little"
        );
        shown.push((format!("search {q:?}"), json!(hits)));
    }
    for sort in [
        OrganizationSort::Name,
        OrganizationSort::City,
        OrganizationSort::LegalForm,
        OrganizationSort::Created,
    ] {
        for descending in [false, true] {
            for (offset, limit) in [(0, 100), (3, 5)] {
                let page = k
                    .organizations(&OrganizationQuery {
                        sort,
                        descending,
                        offset,
                        limit,
                        ..Default::default()
                    })
                    .await
                    .unwrap();
                shown.push((
                    format!("organisations {sort:?} descending {descending} from {offset}"),
                    json!(page),
                ));
            }
        }
    }
    for tag in ["Łąka", "ćwiczenia"] {
        let page = k
            .organizations(&OrganizationQuery {
                tag: Some(tag.into()),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(page.total > 0, "tag {tag}");
        shown.push((format!("organisations tagged {tag}"), json!(page)));
    }
    for descending in [false, true] {
        for (offset, limit) in [(0, 100), (2, 4)] {
            let page = k
                .people(&PersonQuery {
                    descending,
                    offset,
                    limit,
                    ..Default::default()
                })
                .await
                .unwrap();
            shown.push((
                format!("people descending {descending} from {offset}"),
                json!(page),
            ));
        }
    }
    let members = k
        .people(&PersonQuery {
            organization_id: Some(1),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    shown.push(("people of organisation 1".into(), json!(members)));
    shown.push(("cities".into(), json!(k.cities().await.unwrap())));
    shown.push(("tags".into(), json!(k.tags().await.unwrap())));
    for id in [1, 4] {
        let o = k.organization(id).await.unwrap();
        let people: Vec<&str> = o.people.iter().map(|p| p.name.as_str()).collect();
        shown.push((
            format!("organisation {id}"),
            json!([o.name, o.nip, o.regon, o.krs, o.tags, people]),
        ));
    }
    for id in 1..=12 {
        let p = k.person(id).await.unwrap();
        let roles: Vec<&str> = p
            .roles
            .iter()
            .map(|r| r.organization_name.as_str())
            .collect();
        shown.push((
            format!("person {id}"),
            json!([p.first_name, p.last_name, roles]),
        ));
    }
    let organizations = dir.join("organizacje.csv");
    let people = dir.join("osoby.csv");
    k.export_organizations(
        &OrganizationQuery::default(),
        ExportFormat::Csv,
        &organizations,
    )
    .await
    .unwrap();
    k.export_people(&PersonQuery::default(), ExportFormat::Csv, &people)
        .await
        .unwrap();
    for file in [organizations, people] {
        shown.push((
            format!("export {}", file.file_name().unwrap().to_string_lossy()),
            json!(std::fs::read_to_string(file).unwrap()),
        ));
    }
    shown
}

/// Issue 14: search and order on a server behave exactly as in the file. The same register on
/// both, then every search and list compared whole; the file's name order is the Polish one.
#[tokio::test]
async fn pg_only_search_and_order_on_a_server_are_exactly_those_of_a_file() {
    let Some(server) = crate::util::fresh_server_place().await else {
        return;
    };
    let file = crate::util::fresh_file().await;
    let on_server = server.open().await;
    polish_register(&file.k).await;
    polish_register(&on_server).await;
    let in_file = what_is_shown(&file.k, file.dir.path()).await;
    let from_server = what_is_shown(&on_server, server.dir.path()).await;
    assert_eq!(in_file.len(), from_server.len());
    for ((what, a), (_, b)) in in_file.iter().zip(&from_server) {
        assert_eq!(
            a, b,
            "{what}: the file shows the first, the server the second"
        );
    }

    // The order both show is Polish: by the collation of the program, not by bytes.
    let names: Vec<String> = in_file
        .iter()
        .find(|(what, _)| what == "organisations Name descending false from 0")
        .map(|(_, page)| page["items"].as_array().unwrap().iter())
        .unwrap()
        .map(|o| o["name"].as_str().unwrap().to_string())
        .collect();
    let mut polish = names.clone();
    polish.sort_by(|a, b| kartoteka_core::text::collation::compare(a, b));
    assert_eq!(names, polish);
    let position = |name: &str| names.iter().position(|n| n == name).unwrap();
    for (before, after) in [
        ("Cisza Leśna", "Ćma Nocna"),
        ("Elbląskie Koło Gospodyń", "Ełckie Koło Gospodyń"),
        ("Lipy Śląskie", "Łabędzie nad Wartą"),
        ("Oaza Ńanu", "Ósemka Ząbkowicka"),
        ("Sowa Mądra", "Śnieżka Sudecka"),
        ("Fundacja Światło Nadziei", "fundacja źródło"),
        ("fundacja źródło", "FUNDACJA ŻÓŁĆ I GĘŚLA"),
    ] {
        assert!(
            position(before) < position(after),
            "{before} before {after}: {names:?}"
        );
    }
}
