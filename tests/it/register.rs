//! The register against a real database (a SQLite file, or a server in a PostgreSQL run): migrations, create/edit/archive, validation that
//! writes nothing, duplicate warnings, consent history, Polish order, filters and paging.

use crate::util::{fresh, org, save_org, save_person};
use kartoteka_core::register::*;
use kartoteka_core::{Error, Kartoteka};

#[tokio::test]
async fn migrations_build_the_schema_from_an_empty_database_and_reopen_cleanly() {
    let db = fresh().await;
    let reference = db.k.reference_data().await.unwrap();
    assert!(
        reference.areas.len() >= 35,
        "statutory spheres shipped: {}",
        reference.areas.len()
    );
    assert!(reference.areas.iter().any(|a| a.code == "32a"));
    assert_eq!(reference.legal_forms.len(), 9);
    let id = save_org(&db.k, &org("Stowarzyszenie Ślad", "Leszno")).await;
    db.k.close().await;
    // Reopening runs no migration twice and keeps the data.
    let k = db.open().await;
    assert_eq!(
        k.organization(id).await.unwrap().name,
        "Stowarzyszenie Ślad"
    );
    // Only a file is copied aside before a migration (a server is backed up by its office).
    let backups = std::fs::read_dir(db.dir.path().join("kopie"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(backups, 0, "no backup when nothing was migrated");
}

#[tokio::test]
async fn create_edit_archive_and_restore_an_organisation() {
    let db = fresh().await;
    let areas = db.k.reference_data().await.unwrap().areas;
    let input = OrganizationInput {
        name: "  Fundacja  Społeczna Dusza ".into(),
        short_name: "FSD".into(),
        legal_form: "fundacja".into(),
        krs: "123456".into(),
        nip: "PL 123-456-32-18".into(),
        regon: "123456785".into(),
        public_benefit: true,
        street: "Świętojańska".into(),
        building: "22 lok. 1".into(),
        postal_code: "15082".into(),
        city: "Białystok".into(),
        gmina: "Białystok".into(),
        powiat: "Białystok".into(),
        voivodeship: "podlaskie".into(),
        phones: "85 732 82 20\n510095630".into(),
        emails: "Centrum@UM.Bialystok.pl".into(),
        website: "bialystok.pl".into(),
        areas: vec![areas[0].code.clone(), "32a".into()],
        description: "Wsparcie organizacji.".into(),
        tags: "Wolontariat, seniorzy".into(),
        notes: "".into(),
        member_since: "01.03.2015".into(),
        member_until: "".into(),
        directory_consent: true,
        revision: None,
    };
    let id = save_org(&db.k, &input).await;
    let o = db.k.organization(id).await.unwrap();
    assert_eq!(o.name, "Fundacja Społeczna Dusza");
    assert_eq!(o.krs.as_deref(), Some("0000123456"));
    assert_eq!(o.nip.as_deref(), Some("1234563218"));
    assert_eq!(o.postal_code.as_deref(), Some("15-082"));
    assert_eq!(o.emails, vec!["centrum@um.bialystok.pl"]);
    assert_eq!(o.phones, vec!["857 328 220", "510 095 630"]);
    assert_eq!(o.website.as_deref(), Some("https://bialystok.pl/"));
    assert_eq!(o.areas, vec![areas[0].code.clone(), "32a".to_string()]);
    assert_eq!(o.tags, vec!["seniorzy", "wolontariat"]);
    assert!(o.public_benefit && o.directory_consent);

    let mut edited = input.clone();
    edited.city = "Łomża".into();
    edited.areas = vec![];
    let outcome =
        db.k.save_organization(Some(id), &edited, false)
            .await
            .unwrap();
    assert!(
        matches!(outcome, SaveOutcome::Saved { id: same } if same == id),
        "editing itself is not a duplicate"
    );
    let o = db.k.organization(id).await.unwrap();
    assert_eq!(o.city.as_deref(), Some("Łomża"));
    assert!(o.areas.is_empty());

    db.k.archive_organization(id, true).await.unwrap();
    let active =
        db.k.organizations(&OrganizationQuery {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(active.total, 0);
    let archive =
        db.k.organizations(&OrganizationQuery {
            archived: true,
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(archive.items[0].id, id);
    assert!(db.k.organization(id).await.unwrap().archived_at.is_some());
    db.k.archive_organization(id, false).await.unwrap();
    assert_eq!(
        db.k.organizations(&OrganizationQuery {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap()
        .total,
        1
    );
}

#[tokio::test]
async fn invalid_input_writes_nothing_and_names_every_field() {
    let db = fresh().await;
    let mut input = org("Koło Gospodyń Wiejskich", "Goniądz");
    input.nip = "123-456-32-19".into();
    input.emails = "kgw@".into();
    input.postal_code = "19 110".into();
    let err =
        db.k.save_organization(None, &input, false)
            .await
            .unwrap_err();
    let Error::Invalid(fields) = &err else {
        panic!("{err:?}")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, vec!["nip", "postal_code", "emails"]);
    assert!(fields[0].message.contains("NIP"));
    assert_eq!(db.k.counts().await.unwrap().organizations, 0);
    assert!(
        db.k.search("gospodyn", 10).await.unwrap().is_empty(),
        "nothing half-written into the index"
    );
}

#[tokio::test]
async fn likely_duplicates_are_reported_before_saving() {
    let db = fresh().await;
    let mut first = org("Stowarzyszenie Pomost", "Toruń");
    first.nip = "1234563218".into();
    first.emails = "pomost@ngo.pl".into();
    let id = save_org(&db.k, &first).await;

    let mut same_nip = org("Pomost — stowarzyszenie", "Toruń");
    same_nip.nip = "123-456-32-18".into();
    match db
        .k
        .save_organization(None, &same_nip, false)
        .await
        .unwrap()
    {
        SaveOutcome::PossibleDuplicates { duplicates } => {
            assert_eq!(duplicates.len(), 1);
            assert_eq!(duplicates[0].id, id);
            assert_eq!(duplicates[0].matched_on, "NIP");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        db.k.counts().await.unwrap().organizations,
        1,
        "held back, not saved"
    );

    let mut same_mail = org("Inna nazwa", "Toruń");
    same_mail.emails = "POMOST@ngo.pl".into();
    assert!(matches!(
        db.k.save_organization(None, &same_mail, false)
            .await
            .unwrap(),
        SaveOutcome::PossibleDuplicates { .. }
    ));
    assert!(matches!(
        db.k.save_organization(None, &same_mail, true)
            .await
            .unwrap(),
        SaveOutcome::Saved { .. }
    ));
    assert_eq!(db.k.counts().await.unwrap().organizations, 2);

    let anna = PersonInput {
        first_name: "Anna".into(),
        last_name: "Pawłowska".into(),
        emails: "anna@um.pl".into(),
        ..Default::default()
    };
    save_person(&db.k, &anna).await;
    assert!(matches!(
        db.k.save_person(None, &anna, false).await.unwrap(),
        SaveOutcome::PossibleDuplicates { .. }
    ));
}

#[tokio::test]
async fn people_roles_and_consent_history() {
    let db = fresh().await;
    let org_id = save_org(&db.k, &org("Stowarzyszenie Równe Szanse", "Leszno")).await;
    let person = PersonInput {
        first_name: "Łucja".into(),
        last_name: "Żak".into(),
        emails: "lucja.zak@wp.pl".into(),
        phones: "+48 600 100 200".into(),
        roles: vec![RoleInput {
            organization_id: org_id,
            role: "Prezes".into(),
        }],
        notes: "".into(),
        revision: None,
    };
    let pid = save_person(&db.k, &person).await;
    let p = db.k.person(pid).await.unwrap();
    assert_eq!(p.roles[0].role, "prezes");
    assert_eq!(p.roles[0].organization_name, "Stowarzyszenie Równe Szanse");
    assert_eq!(
        db.k.organization(org_id).await.unwrap().people[0].name,
        "Łucja Żak"
    );

    let grant = ConsentInput {
        channel: "email_bulletin".into(),
        date: "02.01.2025".into(),
        source: "formularz papierowy".into(),
    };
    let c1 = db.k.grant_consent(pid, &grant).await.unwrap();
    let again = db.k.grant_consent(pid, &grant).await.unwrap_err();
    assert_eq!(again.field_errors()[0].field, "channel");
    let early =
        db.k.withdraw_consent(c1, "01.01.2025", "e-mail")
            .await
            .unwrap_err();
    assert_eq!(early.field_errors()[0].field, "date");
    db.k.withdraw_consent(c1, "10.03.2025", "e-mail")
        .await
        .unwrap();
    let regrant = ConsentInput {
        date: "01.06.2025".into(),
        source: "na szkoleniu".into(),
        ..grant.clone()
    };
    db.k.grant_consent(pid, &regrant).await.unwrap();

    let history = db.k.person(pid).await.unwrap().consents;
    assert_eq!(
        history.len(),
        2,
        "the withdrawn consent stays in the history"
    );
    assert_eq!(history[0].source, "na szkoleniu");
    assert!(history[0].withdrawn_on.is_none());
    assert_eq!(
        history[1].withdrawn_on.map(|d| d.to_string()).as_deref(),
        Some("2025-03-10")
    );
    assert_eq!(history[1].withdrawal_source.as_deref(), Some("e-mail"));

    let future = ConsentInput {
        date: "01.01.2999".into(),
        ..grant
    };
    assert!(db
        .k
        .grant_consent(
            pid,
            &ConsentInput {
                channel: "phone".into(),
                ..future
            }
        )
        .await
        .is_err());

    let bad_role = PersonInput {
        roles: vec![RoleInput {
            organization_id: 9999,
            role: "członek".into(),
        }],
        ..person
    };
    assert!(db.k.save_person(None, &bad_role, true).await.is_err());
}

#[tokio::test]
async fn lists_are_in_polish_order_filterable_and_paged() {
    let db = fresh().await;
    for (name, city) in [
        ("Żurawie", "Żory"),
        ("Łabędzie", "Łódź"),
        ("Lipy", "Lublin"),
        ("Źródło", "Zabrze"),
        ("Zorza", "Zielona Góra"),
        ("Ślad", "Świdnik"),
        ("Sowa", "Sopot"),
    ] {
        let mut input = org(&format!("Stowarzyszenie {name}"), city);
        if name == "Sowa" {
            input.public_benefit = true;
            input.member_since = "01.01.2020".into();
            input.legal_form = "fundacja".into();
            input.tags = "seniorzy".into();
            input.areas = vec!["27".into()];
        }
        save_org(&db.k, &input).await;
    }
    let names = |page: &Page<OrganizationRow>| {
        page.items
            .iter()
            .map(|o| o.name.replace("Stowarzyszenie ", ""))
            .collect::<Vec<_>>()
    };
    let all =
        db.k.organizations(&OrganizationQuery {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        names(&all),
        vec![
            "Lipy",
            "Łabędzie",
            "Sowa",
            "Ślad",
            "Zorza",
            "Źródło",
            "Żurawie"
        ]
    );
    let by_city_desc =
        db.k.organizations(&OrganizationQuery {
            sort: OrganizationSort::City,
            descending: true,
            limit: 3,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        by_city_desc
            .items
            .iter()
            .map(|o| o.city.clone().unwrap())
            .collect::<Vec<_>>(),
        vec!["Żory", "Zielona Góra", "Zabrze"]
    );
    let page2 =
        db.k.organizations(&OrganizationQuery {
            offset: 3,
            limit: 2,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (page2.total, names(&page2)),
        (7, vec!["Ślad".to_string(), "Zorza".to_string()])
    );
    for q in [
        OrganizationQuery {
            public_benefit: Some(true),
            ..Default::default()
        },
        OrganizationQuery {
            member: Some(true),
            ..Default::default()
        },
        OrganizationQuery {
            legal_form: Some("fundacja".into()),
            ..Default::default()
        },
        OrganizationQuery {
            tag: Some("Seniorzy".into()),
            ..Default::default()
        },
        OrganizationQuery {
            area: Some("27".into()),
            ..Default::default()
        },
        OrganizationQuery {
            city: Some("Sopot".into()),
            ..Default::default()
        },
    ] {
        let page =
            db.k.organizations(&OrganizationQuery {
                limit: 10,
                ..q.clone()
            })
            .await
            .unwrap();
        assert_eq!(names(&page), vec!["Sowa"], "{q:?}");
    }
    let not_members =
        db.k.organizations(&OrganizationQuery {
            member: Some(false),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(not_members.total, 6);
    let huge =
        db.k.organizations(&OrganizationQuery {
            limit: 1_000_000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        huge.items.len(),
        7,
        "page size is capped, never the whole table"
    );

    let cities = db.k.cities().await.unwrap();
    assert_eq!(cities.first().map(String::as_str), Some("Lublin"));
    assert_eq!(cities.last().map(String::as_str), Some("Żory"));
}

#[tokio::test]
async fn demo_data_is_valid_and_linked() {
    let db = fresh().await;
    let summary = kartoteka_core::demo::generate(&db.k, 300, 400, 42)
        .await
        .unwrap();
    assert_eq!((summary.organizations, summary.people), (300, 400));
    let counts = db.k.counts().await.unwrap();
    assert_eq!((counts.organizations, counts.people), (300, 400));
    let people =
        db.k.people(&PersonQuery {
            limit: 400,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        people.items.iter().any(|p| p.organizations.is_some()),
        "people have roles"
    );
    let with_consents = people.items.iter().take(50).map(|p| p.id);
    let mut withdrawn = 0;
    for id in with_consents {
        withdrawn +=
            db.k.person(id)
                .await
                .unwrap()
                .consents
                .iter()
                .filter(|c| c.withdrawn_on.is_some())
                .count();
    }
    assert!(
        withdrawn > 0,
        "some consents are withdrawn so the history shows"
    );
    let areas_edit = db.k.save_area("34", "nowy punkt ustawy", true).await;
    assert!(areas_edit.is_ok());
    assert!(db
        .k
        .reference_data()
        .await
        .unwrap()
        .areas
        .iter()
        .any(|a| a.code == "34"));
    assert!(db.k.save_area("3 4", "x", true).await.is_err());
}

/// `tests/fixtures/schema-1.db` was made by the first released schema (25 organisations,
/// 40 people, 56 consents). Every later version must open it, back it up before migrating, and
/// keep all of its data.
#[tokio::test]
async fn sqlite_only_a_database_from_the_first_schema_opens_migrates_and_keeps_its_data() {
    const MIGRATIONS_IN_FIXTURE: usize = 2;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kartoteka.db");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-1.db"),
        &path,
    )
    .unwrap();
    let k = Kartoteka::open(&path).await.unwrap();
    let counts = k.counts().await.unwrap();
    assert_eq!((counts.organizations, counts.people), (25, 40));
    let people = k
        .people(&PersonQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let mut consents = 0;
    for p in &people.items {
        consents += k.person(p.id).await.unwrap().consents.len();
    }
    assert_eq!(consents, 56);
    let first = k
        .organizations(&OrganizationQuery {
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    let hits = k.search(&first.items[0].name, 5).await.unwrap();
    assert!(
        hits.iter().any(|h| h.id == first.items[0].id),
        "the search index survives"
    );

    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .count();
    let backups: Vec<_> = std::fs::read_dir(dir.path().join("kopie"))
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with("przed-aktualizacja")
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        !backups.is_empty(),
        migrations > MIGRATIONS_IN_FIXTURE,
        "a backup exactly when something was migrated"
    );
    // The copy made before migrating is whole and holds the old data.
    for b in &backups {
        let info = kartoteka_core::backup::inspect(b).await.unwrap();
        assert_eq!((info.organizations, info.people), (25, 40));
    }
}
