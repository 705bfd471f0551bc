//! Advice records against a real SQLite file: anonymous codes, validation that writes nothing,
//! follow-ups due, category filters that include subcategories, a client's earlier advice.

use crate::util::{fresh, save_person};
use kartoteka_core::advice::{AdviceInput, AdviceQuery};
use kartoteka_core::register::{PersonInput, RecordKind};

fn today() -> String {
    chrono::Local::now()
        .date_naive()
        .format("%d.%m.%Y")
        .to_string()
}

fn quick(categories: &[&str]) -> AdviceInput {
    AdviceInput {
        given_on: today(),
        advisor: "Anna Kowalska".into(),
        channel: "in_person".into(),
        outcome: "advice".into(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        minutes: "30".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn advice_is_recorded_listed_and_followed_up() {
    let db = fresh().await;
    let cats = db.k.advice_categories().await.unwrap();
    assert!(cats.iter().any(|c| c.code == "ZAD.KOM"
        && c.parent.as_deref() == Some("ZAD")
        && c.name == "egzekucja komornicza"));
    assert_eq!(
        cats.iter().filter(|c| c.parent.is_none()).count(),
        13,
        "the default main categories"
    );

    // Anonymous clients get the next code of the year.
    let first = db.k.save_advice(None, &quick(&["ZAD.KOM"])).await.unwrap();
    let second =
        db.k.save_advice(None, &quick(&["MIE.NAJ", "ROD"]))
            .await
            .unwrap();
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    assert_eq!(
        db.k.advice(first).await.unwrap().client_code,
        Some(format!("K-{year}-0001"))
    );
    assert_eq!(
        db.k.advice(second).await.unwrap().client_code,
        Some(format!("K-{year}-0002"))
    );

    // A wrong form writes nothing and says what is wrong, field by field.
    let bad = AdviceInput {
        advisor: "".into(),
        categories: vec!["NIE.MA".into()],
        minutes: "0".into(),
        ..quick(&[])
    };
    let err = db.k.save_advice(None, &bad).await.unwrap_err();
    let fields: Vec<&str> = err
        .field_errors()
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    assert_eq!(fields, vec!["advisor", "minutes", "categories"]);
    assert_eq!(
        db.k.list_advice(&AdviceQuery {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap()
        .total,
        2
    );

    // A registered client: earlier advice at a glance, and a follow-up due today.
    let person = save_person(
        &db.k,
        &PersonInput {
            first_name: "Jan".into(),
            last_name: "Żak".into(),
            ..Default::default()
        },
    )
    .await;
    let mut with_person = quick(&["ZAD"]);
    with_person.person_id = Some(person);
    with_person.follow_up_on = today();
    let third = db.k.save_advice(None, &with_person).await.unwrap();
    let rec = db.k.advice(third).await.unwrap();
    assert_eq!(
        (rec.person_name.as_deref(), rec.client_code.as_deref()),
        (Some("Jan Żak"), None)
    );
    let mine =
        db.k.list_advice(&AdviceQuery {
            person_id: Some(person),
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(mine.items.len(), 1);
    assert_eq!(mine.items[0].client, "Żak Jan");

    let due =
        db.k.list_advice(&AdviceQuery {
            follow_ups_due: true,
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        due.items.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![third]
    );
    let mut done = with_person.clone();
    done.follow_up_done = true;
    db.k.save_advice(Some(third), &done).await.unwrap();
    assert_eq!(
        db.k.list_advice(&AdviceQuery {
            follow_ups_due: true,
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap()
        .total,
        0
    );

    // A main category finds its subcategories too; names are listed for the row.
    let debt =
        db.k.list_advice(&AdviceQuery {
            category: Some("ZAD".into()),
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(debt.total, 2);
    let housing =
        db.k.list_advice(&AdviceQuery {
            category: Some("MIE".into()),
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(housing.items[0].categories, "najem lokalu, rodzinne");

    db.k.delete_advice(first).await.unwrap();
    assert_eq!(
        db.k.list_advice(&AdviceQuery {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap()
        .total,
        2
    );
}

fn on(date: &str, advisor: &str, categories: &[&str]) -> AdviceInput {
    AdviceInput {
        given_on: date.into(),
        advisor: advisor.into(),
        ..quick(categories)
    }
}

#[tokio::test]
async fn the_list_filters_by_client_code_category_dates_and_advisor_never_the_description() {
    let db = fresh().await;
    let k = &db.k;
    let person = save_person(
        k,
        &PersonInput {
            first_name: "Łucja".into(),
            last_name: "Żmuda".into(),
            ..Default::default()
        },
    )
    .await;
    let mut registered = on("10.01.2025", "Anna Kowalska", &["MIE"]);
    registered.person_id = Some(person);
    registered.description = "tajny opis: komornik zajął pensję".into();
    let r = k.save_advice(None, &registered).await.unwrap();
    let mut coded = on("15.12.2025", "Piotr Nowak", &["ZAD.KOM"]);
    coded.client_code = "K-2025-5327".into();
    let c = k.save_advice(None, &coded).await.unwrap();
    let other = k
        .save_advice(None, &on("20.02.2026", "Anna Kowalska", &["ROD"]))
        .await
        .unwrap();

    let ids = |q: AdviceQuery| async move {
        let page = k
            .list_advice(&AdviceQuery { limit: 50, ..q })
            .await
            .unwrap();
        assert_eq!(page.total as usize, page.items.len());
        page.items.into_iter().map(|a| a.id).collect::<Vec<_>>()
    };
    let text = |t: &str| AdviceQuery {
        text: Some(t.into()),
        ..Default::default()
    };
    // The client: a registered name folded (no Polish letters needed), or the code with or without dashes.
    assert_eq!(ids(text("zmuda")).await, vec![r]);
    assert_eq!(ids(text("K-2025-5327")).await, vec![c]);
    assert_eq!(ids(text("20255327")).await, vec![c]);
    // A category name; the confidential description is never searched.
    assert_eq!(ids(text("egzekucja")).await, vec![c]);
    assert!(
        ids(text("pensję")).await.is_empty(),
        "the case description must not be searchable"
    );
    // Dates as typed, short forms completed; both ends included.
    let range = |from: &str, to: &str| AdviceQuery {
        from: Some(from.into()),
        to: Some(to.into()),
        ..Default::default()
    };
    assert_eq!(ids(range("15.12.25", "20.02.2026")).await, vec![other, c]);
    assert_eq!(ids(range("", "10.01.25")).await, vec![r]);
    let bad = k
        .list_advice(&AdviceQuery {
            from: Some("31.02".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.field_errors()[0].field, "from");
    // The advisor, and filters combined.
    assert_eq!(
        ids(AdviceQuery {
            advisor: Some("Anna Kowalska".into()),
            ..Default::default()
        })
        .await,
        vec![other, r]
    );
    assert_eq!(
        ids(AdviceQuery {
            advisor: Some("Anna Kowalska".into()),
            from: Some("01.01.2026".into()),
            ..Default::default()
        })
        .await,
        vec![other]
    );
    assert_eq!(
        k.advice_advisors().await.unwrap(),
        vec!["Anna Kowalska".to_string(), "Piotr Nowak".to_string()]
    );

    // The search box finds the anonymous client's advice by the code, dashes optional.
    for typed in ["K-2025-5327", "k2025-53", "K 2025 5327"] {
        let hits = k.search(typed, 10).await.unwrap();
        assert_eq!(
            (hits[0].kind, hits[0].id, hits[0].name.as_str()),
            (RecordKind::Advice, c, "K-2025-5327"),
            "{typed}"
        );
        assert!(!hits[0].detail.as_deref().unwrap_or("").contains("komornik"));
    }
    assert!(
        k.search("Żmuda", 10)
            .await
            .unwrap()
            .iter()
            .all(|h| h.kind != RecordKind::Advice),
        "a name is not a code"
    );
}

#[tokio::test]
async fn returning_is_derived_from_earlier_advice_and_the_report_counts_the_same() {
    let db = fresh().await;
    let k = &db.k;
    let person = save_person(
        k,
        &PersonInput {
            first_name: "Jan".into(),
            last_name: "Wraca".into(),
            ..Default::default()
        },
    )
    .await;
    let with = |date: &str| AdviceInput {
        person_id: Some(person),
        ..on(date, "Anna Kowalska", &["MIE"])
    };
    let first = k.save_advice(None, &with("10.01.2025")).await.unwrap();
    let second = k.save_advice(None, &with("10.02.2025")).await.unwrap();
    let third = k.save_advice(None, &with("10.03.2025")).await.unwrap();
    // An anonymous client seen twice under one code, and one marked returning by the advisor.
    let mut code = on("11.01.2025", "Anna Kowalska", &["ROD"]);
    code.client_code = "K-2025-0100".into();
    let anon_first = k.save_advice(None, &code).await.unwrap();
    let anon_again = k
        .save_advice(
            None,
            &AdviceInput {
                given_on: "12.05.2025".into(),
                ..code.clone()
            },
        )
        .await
        .unwrap();
    let marked = k
        .save_advice(
            None,
            &AdviceInput {
                returning: true,
                ..on("13.05.2025", "Anna Kowalska", &["ROD"])
            },
        )
        .await
        .unwrap();

    let rec = k.advice(third).await.unwrap();
    assert!(
        rec.returning && !rec.returning_marked,
        "earlier advice makes the client returning though nobody ticked it"
    );
    assert_eq!(rec.earlier_advice, 2);
    assert_eq!(k.advice(second).await.unwrap().earlier_advice, 1);
    let rec = k.advice(first).await.unwrap();
    assert!(!rec.returning, "the first visit is not returning");
    assert!(!k.advice(anon_first).await.unwrap().returning);
    assert!(
        k.advice(anon_again).await.unwrap().returning,
        "the same anonymous code came before"
    );
    let rec = k.advice(marked).await.unwrap();
    assert!(
        rec.returning && rec.returning_marked && rec.earlier_advice == 0,
        "the advisor's mark stands"
    );

    // The annual report counts exactly the records shown as returning: second, third, anon_again, marked.
    let figures = k.annual_figures(2025).await.unwrap();
    assert_eq!(figures.advice_total, 6);
    assert_eq!(figures.advice_returning_clients, 4);
}
