//! Search through the core against a real file: diacritics-blind both ways (including Ł),
//! prefixes of any word, identifiers with or without dashes.

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
