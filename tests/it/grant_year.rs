//! "Received a grant in year X" on the backend of the run: the register's list, its export and
//! the directory PDF, and mail segments (organisations and people of them) keep only
//! organisations with a granted offer counted in that year: an offer in a competition in the
//! year the competition was announced, an art. 19a grant in the year it was submitted. Offers
//! refused, rejected formally or still waiting do not count; a year out of range is refused at
//! the field `granted_in_year`.

use crate::util::{fresh, org, save_org, save_person};
use kartoteka_core::cooperation::{CompetitionInput, OfferInput};
use kartoteka_core::export::ExportFormat;
use kartoteka_core::mail::{Audience, ListInput, Segment};
use kartoteka_core::register::directory::DirectoryOptions;
use kartoteka_core::register::{ConsentInput, OrganizationQuery, PersonInput, RoleInput};
use kartoteka_core::{Error, Kartoteka};
use std::collections::BTreeSet;

async fn competition(k: &Kartoteka, title: &str, announced_on: &str, year: i32) -> i64 {
    k.save_competition(
        None,
        &CompetitionInput {
            title: title.into(),
            area_code: "10".into(),
            funds: "100 000".into(),
            announced_on: announced_on.into(),
            deadline_on: format!("{year}-12-20"),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn offer(
    k: &Kartoteka,
    competition: Option<i64>,
    organization: i64,
    submitted_on: &str,
    status: &str,
) {
    let mut o = OfferInput {
        competition_id: competition,
        organization_id: Some(organization),
        title: format!("Zadanie ({status})"),
        area_code: if competition.is_none() {
            "13".into()
        } else {
            String::new()
        },
        submitted_on: submitted_on.into(),
        requested: "9 000".into(),
        status: status.into(),
        ..Default::default()
    };
    match status {
        "granted" => o.granted = "8 000".into(),
        "rejected_formal" => o.rejection_reason = "Oferta złożona po terminie.".into(),
        "refused" => o.score = "12".into(),
        _ => {}
    }
    k.save_offer(None, &o).await.unwrap();
}

/// An organisation with an e-mail and the consent to mail it.
async fn organization(k: &Kartoteka, name: &str, city: &str) -> i64 {
    let mut input = org(name, city);
    let slug: String = name
        .split_whitespace()
        .last()
        .unwrap()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    input.emails = format!("biuro.{}@przyklad.pl", slug.to_lowercase());
    let id = save_org(k, &input).await;
    k.grant_organization_consent(
        id,
        &ConsentInput {
            channel: "email_bulletin".into(),
            date: String::new(),
            source: "formularz".into(),
        },
    )
    .await
    .unwrap();
    id
}

fn query(year: Option<i32>) -> OrganizationQuery {
    OrganizationQuery {
        granted_in_year: year,
        limit: 100,
        ..Default::default()
    }
}

async fn listed(k: &Kartoteka, q: &OrganizationQuery) -> BTreeSet<String> {
    let page = k.organizations(q).await.unwrap();
    assert_eq!(page.total as usize, page.items.len());
    page.items.into_iter().map(|o| o.name).collect()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

struct Register {
    seniorzy: i64,
    orlik: i64,
}

/// Seven organisations, each with one story of offers:
/// - Stowarzyszenie Seniorzy Razem (Lublin): granted in the competition announced in 2026;
/// - Klub Sportowy Orlik (Lublin): refused in it, and an offer still waiting;
/// - Fundacja Teatr w Szafie (Świdnik): rejected formally in it;
/// - Koło Gospodyń z Lipniaka (Świdnik): an art. 19a grant submitted in June 2026;
/// - Fundacja Zimowa (Lublin): an art. 19a grant submitted in December 2025;
/// - Stowarzyszenie Przełom (Lublin): granted in a competition announced in November 2025,
///   its offer submitted in January 2026 (it counts in 2025);
/// - Stowarzyszenie Bez Ofert (Lublin): none.
async fn register(k: &Kartoteka) -> Register {
    let seniorzy = organization(k, "Stowarzyszenie Seniorzy Razem", "Lublin").await;
    let orlik = organization(k, "Klub Sportowy Orlik", "Lublin").await;
    let teatr = organization(k, "Fundacja Teatr w Szafie", "Świdnik").await;
    let kolo = organization(k, "Koło Gospodyń z Lipniaka", "Świdnik").await;
    let zimowa = organization(k, "Fundacja Zimowa", "Lublin").await;
    let przelom = organization(k, "Stowarzyszenie Przełom", "Lublin").await;
    organization(k, "Stowarzyszenie Bez Ofert", "Lublin").await;

    let c2026 = competition(k, "Aktywny senior 2026", "2026-01-15", 2026).await;
    let c2025 = competition(k, "Zima w mieście", "2025-11-10", 2026).await;
    offer(k, Some(c2026), seniorzy, "2026-02-01", "granted").await;
    offer(k, Some(c2026), orlik, "2026-02-02", "refused").await;
    offer(k, Some(c2026), orlik, "2026-02-03", "submitted").await;
    offer(k, Some(c2026), teatr, "2026-02-04", "rejected_formal").await;
    offer(k, None, kolo, "2026-06-10", "granted").await;
    offer(k, None, zimowa, "2025-12-20", "granted").await;
    offer(k, Some(c2025), przelom, "2026-01-05", "granted").await;
    Register { seniorzy, orlik }
}

#[tokio::test]
async fn the_register_lists_only_organisations_granted_in_the_year() {
    let db = fresh().await;
    let k = &db.k;
    register(k).await;

    assert_eq!(listed(k, &query(None)).await.len(), 7);
    assert_eq!(
        listed(k, &query(Some(2026))).await,
        names(&["Stowarzyszenie Seniorzy Razem", "Koło Gospodyń z Lipniaka"])
    );
    assert_eq!(
        listed(k, &query(Some(2025))).await,
        names(&["Fundacja Zimowa", "Stowarzyszenie Przełom"])
    );
    assert!(listed(k, &query(Some(2024))).await.is_empty());
    // With the other filters: all of them hold.
    let lublin_2026 = OrganizationQuery {
        city: Some("Lublin".into()),
        ..query(Some(2026))
    };
    assert_eq!(
        listed(k, &lublin_2026).await,
        names(&["Stowarzyszenie Seniorzy Razem"])
    );

    // The export and the directory take the same filter.
    let csv = db.dir.path().join("dotacje 2026.csv");
    let summary = k
        .export_organizations(&query(Some(2026)), ExportFormat::Csv, &csv)
        .await
        .unwrap();
    assert_eq!(summary.rows, 2);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("Koło Gospodyń z Lipniaka"), "{text}");
    assert!(!text.contains("Klub Sportowy Orlik"), "{text}");
    let pdf = db.dir.path().join("katalog 2025.pdf");
    let directory = k
        .directory_pdf(&query(Some(2025)), &DirectoryOptions::default(), &pdf)
        .await
        .unwrap();
    assert_eq!(directory.organizations, 2);
}

#[tokio::test]
async fn a_grant_year_out_of_range_is_refused_at_its_field() {
    let db = fresh().await;
    let k = &db.k;
    let field_error = |e: Error| match e {
        Error::Invalid(f) => {
            assert_eq!(f.len(), 1);
            assert_eq!(f[0].field, "granted_in_year");
            f[0].message.clone()
        }
        other => panic!("{other:?}"),
    };
    for year in [1999, 2101, 0] {
        let message = field_error(k.organizations(&query(Some(year))).await.unwrap_err());
        assert!(message.starts_with("Rok dotacji"), "{message}");
        let out = db.dir.path().join("x.csv");
        field_error(
            k.export_organizations(&query(Some(year)), ExportFormat::Csv, &out)
                .await
                .unwrap_err(),
        );
        assert!(!out.exists());
        field_error(
            k.directory_pdf(&query(Some(year)), &DirectoryOptions::default(), &out)
                .await
                .unwrap_err(),
        );
        let segment = Segment {
            granted_in_year: Some(year),
            ..Default::default()
        };
        field_error(k.segment_count(&segment).await.unwrap_err());
        field_error(
            k.save_mailing_list(
                None,
                &ListInput {
                    name: "Dotacje".into(),
                    segment: Some(segment),
                },
            )
            .await
            .unwrap_err(),
        );
    }
    assert!(k.mailing_lists().await.unwrap().is_empty());
    // The bounds themselves are years.
    assert!(k.organizations(&query(Some(2000))).await.is_ok());
    assert!(k.organizations(&query(Some(2100))).await.is_ok());
}

#[tokio::test]
async fn segments_reach_organisations_granted_in_the_year_and_their_people() {
    let db = fresh().await;
    let k = &db.k;
    let r = register(k).await;
    // One contact person at a granted organisation, one at a refused one; both consented.
    for (org_id, first, last) in [
        (r.seniorzy, "Zofia", "Nowak"),
        (r.orlik, "Józef", "Wiśniewski"),
    ] {
        let id = save_person(
            k,
            &PersonInput {
                first_name: first.into(),
                last_name: last.into(),
                emails: format!("{}@przyklad.pl", first.to_lowercase()),
                roles: vec![RoleInput {
                    organization_id: org_id,
                    role: "osoba kontaktowa".into(),
                }],
                ..Default::default()
            },
        )
        .await;
        k.grant_consent(
            id,
            &ConsentInput {
                channel: "email_bulletin".into(),
                date: String::new(),
                source: "formularz".into(),
            },
        )
        .await
        .unwrap();
    }

    let orgs = |year| Segment {
        audience: Audience::Organizations,
        granted_in_year: year,
        ..Default::default()
    };
    let reached = |s: &Segment| {
        let s = s.clone();
        async move {
            k.resolve_segment(&s)
                .await
                .unwrap()
                .recipients
                .into_iter()
                .map(|r| r.name)
                .collect::<BTreeSet<String>>()
        }
    };
    assert_eq!(k.segment_count(&orgs(None)).await.unwrap().recipients, 7);
    let count = k.segment_count(&orgs(Some(2026))).await.unwrap();
    assert_eq!(count.recipients, 2);
    assert_eq!(count.skipped_no_consent, 0);
    assert_eq!(
        reached(&orgs(Some(2026))).await,
        names(&["Stowarzyszenie Seniorzy Razem", "Koło Gospodyń z Lipniaka"])
    );
    assert_eq!(
        reached(&orgs(Some(2025))).await,
        names(&["Fundacja Zimowa", "Stowarzyszenie Przełom"])
    );
    // The count matches the register's list for the same year.
    for year in [2024, 2025, 2026] {
        assert_eq!(
            k.segment_count(&orgs(Some(year))).await.unwrap().recipients as u64,
            k.organizations(&query(Some(year))).await.unwrap().total,
            "{year}"
        );
    }
    // With another criterion: both hold.
    let swidnik = Segment {
        city: "Świdnik".into(),
        ..orgs(Some(2026))
    };
    assert_eq!(
        reached(&swidnik).await,
        names(&["Koło Gospodyń z Lipniaka"])
    );

    // People: those of the organisations granted in the year.
    let people = |year| Segment {
        audience: Audience::People,
        role: "osoba kontaktowa".into(),
        granted_in_year: year,
        ..Default::default()
    };
    assert_eq!(k.segment_count(&people(None)).await.unwrap().recipients, 2);
    assert_eq!(
        k.segment_count(&people(Some(2026)))
            .await
            .unwrap()
            .recipients,
        1
    );
    let person = k.resolve_segment(&people(Some(2026))).await.unwrap();
    assert_eq!(person.recipients[0].address, "zofia@przyklad.pl");
    assert_eq!(
        k.segment_count(&people(Some(2025)))
            .await
            .unwrap()
            .recipients,
        0
    );

    // A saved segment keeps the year and is counted by it.
    let id = k
        .save_mailing_list(
            None,
            &ListInput {
                name: "Dotowani w 2026".into(),
                segment: Some(orgs(Some(2026))),
            },
        )
        .await
        .unwrap();
    let saved = k.mailing_list(id).await.unwrap();
    assert_eq!(saved.segment.unwrap().granted_in_year, Some(2026));
    let summary = k
        .mailing_lists()
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.id == id)
        .unwrap();
    assert_eq!(summary.count.recipients, 2);
}
