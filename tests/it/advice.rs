//! Advice records against a real SQLite file: anonymous codes, validation that writes nothing,
//! follow-ups due, category filters that include subcategories, a client's earlier advice.

use crate::util::{fresh, save_person};
use kartoteka_core::advice::{AdviceInput, AdviceQuery};
use kartoteka_core::model::PersonInput;

fn today() -> String {
    chrono::Local::now().date_naive().format("%d.%m.%Y").to_string()
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
    assert!(cats.iter().any(|c| c.code == "ZAD.KOM" && c.parent.as_deref() == Some("ZAD") && c.name == "egzekucja komornicza"));
    assert_eq!(cats.iter().filter(|c| c.parent.is_none()).count(), 13, "the default main categories");

    // Anonymous clients get the next code of the year.
    let first = db.k.save_advice(None, &quick(&["ZAD.KOM"])).await.unwrap();
    let second = db.k.save_advice(None, &quick(&["MIE.NAJ", "ROD"])).await.unwrap();
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    assert_eq!(db.k.advice(first).await.unwrap().client_code, Some(format!("K-{year}-0001")));
    assert_eq!(db.k.advice(second).await.unwrap().client_code, Some(format!("K-{year}-0002")));

    // A wrong form writes nothing and says what is wrong, field by field.
    let bad = AdviceInput { advisor: "".into(), categories: vec!["NIE.MA".into()], minutes: "0".into(), ..quick(&[]) };
    let err = db.k.save_advice(None, &bad).await.unwrap_err();
    let fields: Vec<&str> = err.field_errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["advisor", "minutes", "categories"]);
    assert_eq!(db.k.list_advice(&AdviceQuery { limit: 50, ..Default::default() }).await.unwrap().total, 2);

    // A registered client: earlier advice at a glance, and a follow-up due today.
    let person = save_person(&db.k, &PersonInput { first_name: "Jan".into(), last_name: "Żak".into(), ..Default::default() }).await;
    let mut with_person = quick(&["ZAD"]);
    with_person.person_id = Some(person);
    with_person.follow_up_on = today();
    let third = db.k.save_advice(None, &with_person).await.unwrap();
    let rec = db.k.advice(third).await.unwrap();
    assert_eq!((rec.person_name.as_deref(), rec.client_code.as_deref()), (Some("Jan Żak"), None));
    let mine = db.k.list_advice(&AdviceQuery { person_id: Some(person), limit: 20, ..Default::default() }).await.unwrap();
    assert_eq!(mine.items.len(), 1);
    assert_eq!(mine.items[0].client, "Żak Jan");

    let due = db.k.list_advice(&AdviceQuery { follow_ups_due: true, limit: 20, ..Default::default() }).await.unwrap();
    assert_eq!(due.items.iter().map(|r| r.id).collect::<Vec<_>>(), vec![third]);
    let mut done = with_person.clone();
    done.follow_up_done = true;
    db.k.save_advice(Some(third), &done).await.unwrap();
    assert_eq!(db.k.list_advice(&AdviceQuery { follow_ups_due: true, limit: 20, ..Default::default() }).await.unwrap().total, 0);

    // A main category finds its subcategories too; names are listed for the row.
    let debt = db.k.list_advice(&AdviceQuery { category: Some("ZAD".into()), limit: 20, ..Default::default() }).await.unwrap();
    assert_eq!(debt.total, 2);
    let housing = db.k.list_advice(&AdviceQuery { category: Some("MIE".into()), limit: 20, ..Default::default() }).await.unwrap();
    assert_eq!(housing.items[0].categories, "najem lokalu, rodzinne");

    db.k.delete_advice(first).await.unwrap();
    assert_eq!(db.k.list_advice(&AdviceQuery { limit: 50, ..Default::default() }).await.unwrap().total, 2);
}
