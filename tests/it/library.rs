//! The library on the backend of the run: the imported sheet becomes the catalogue (found
//! without diacritics, each title with a copy), a copy out cannot be lent again — also when two
//! PCs lend it at the same moment — renewals stop at the limit, overdue reminders go to a real
//! SMTP server once each (first, then second) and never for a returned book, the printed list
//! and `library overdue --json`, and retention removing borrowers while the counts stay.

use crate::mail::Sink;
use crate::util::{fresh, fresh_place, org, save_org, save_person};
use kartoteka_core::import::{ImportKind, ImportOptions};
use kartoteka_core::library::{
    CopyInput, LibrarySettings, LoanInput, LoanQuery, LoanStatus, TitleInput, TitleQuery,
};
use kartoteka_core::mail::send::{RunOptions, SmtpTarget};
use kartoteka_core::mail::{MailSettings, Security};
use kartoteka_core::register::PersonInput;
use kartoteka_core::rodo::RetentionSettings;
use kartoteka_core::Kartoteka;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

fn day(days_ago: i64) -> String {
    (chrono::Local::now().date_naive() - chrono::Duration::days(days_ago))
        .format("%d.%m.%Y")
        .to_string()
}

fn reader(first: &str, last: &str, email: &str) -> PersonInput {
    PersonInput {
        first_name: first.into(),
        last_name: last.into(),
        emails: email.into(),
        ..Default::default()
    }
}

async fn title(k: &Kartoteka, name: &str, copies: &str) -> i64 {
    k.save_library_title(
        None,
        &TitleInput {
            title: name.into(),
            author: "Anna Żak".into(),
            subject: "ekonomia społeczna".into(),
            copies: copies.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn copies(k: &Kartoteka, title: i64) -> Vec<i64> {
    k.library_title(title)
        .await
        .unwrap()
        .copies
        .iter()
        .map(|c| c.id)
        .collect()
}

fn lend(copy: i64, person: i64, days_ago: i64, due_days_ago: i64) -> LoanInput {
    LoanInput {
        copy_id: Some(copy),
        person_id: Some(person),
        lent_on: day(days_ago),
        due_on: day(due_days_ago),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_imported_sheet_is_the_catalogue_searched_without_diacritics() {
    let db = fresh().await;
    let k = &db.k;
    let file = db.dir.path().join("biblioteczka.csv");
    std::fs::write(
        &file,
        "Sygnatura;Tytuł;Autor;Rok wydania;ISBN\nB/1;Źródła finansowania organizacji;Łucja Żółć;2021;978-83-01-14620-7\nB/2;Wolontariat od podstaw;Jan Kowalski;2019;\n",
    )
    .unwrap();
    let report = k
        .import(
            &file,
            &ImportOptions {
                kind: ImportKind::Library,
                ..Default::default()
            },
            false,
            None,
            Arc::new(AtomicBool::new(false)),
        )
        .await
        .unwrap();
    assert_eq!(report.imported, 2);
    let found = k
        .library_titles(&TitleQuery {
            search: "zrodla ZOLC".into(),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    let t = &found.items[0];
    assert_eq!(t.title, "Źródła finansowania organizacji");
    assert!(t.from_import);
    assert_eq!((t.copies, t.available), (1, 1), "each title has a copy");
    let by_isbn = k
        .library_titles(&TitleQuery {
            search: "9788301146207".into(),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_isbn.total, 1);
    // Looked at twice, still one copy each.
    let all = k
        .library_titles(&TitleQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        all.items.iter().map(|t| t.copies).collect::<Vec<_>>(),
        [1, 1]
    );
    assert_eq!(
        all.items[0].title, "Wolontariat od podstaw",
        "Polish order: W before Ź"
    );
}

#[tokio::test]
async fn a_copy_out_is_not_lent_again_and_renewals_stop_at_the_limit() {
    let db = fresh().await;
    let k = &db.k;
    let book = title(k, "Podręcznik ekonomii społecznej", "2").await;
    let ids = copies(k, book).await;
    assert_eq!(ids.len(), 2);
    let anna = save_person(k, &reader("Anna", "Nowak", "anna@example.pl")).await;
    let jan = save_person(k, &reader("Jan", "Wiśniewski", "")).await;
    // Inventory numbers are unique: the second one is refused at its field.
    k.save_library_copy(
        Some(ids[0]),
        &CopyInput {
            item_id: Some(book),
            inventory_number: "0001".into(),
            state: "good".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let taken = k
        .save_library_copy(
            Some(ids[1]),
            &CopyInput {
                item_id: Some(book),
                inventory_number: "0001".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(taken.field_errors()[0].field, "inventory_number");

    let loan = k
        .lend_copy(&LoanInput {
            copy_id: Some(ids[0]),
            person_id: Some(anna),
            ..Default::default()
        })
        .await
        .unwrap();
    let l = k.loan(loan).await.unwrap();
    assert_eq!(
        (l.due_on - l.lent_on).num_days(),
        30,
        "the default loan period"
    );
    let again = k
        .lend_copy(&LoanInput {
            copy_id: Some(ids[0]),
            person_id: Some(jan),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(again.field_errors()[0].field, "copy_id");
    assert!(
        again.to_string().contains("Anna Nowak"),
        "names who has it: {again}"
    );
    let t = k.library_title(book).await.unwrap();
    assert_eq!((t.title.copies, t.title.available), (2, 1));
    assert_eq!(t.copies[0].borrower_name.as_deref(), Some("Anna Nowak"));

    // A lost copy is not lent.
    k.save_library_copy(
        Some(ids[1]),
        &CopyInput {
            item_id: Some(book),
            state: "lost".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(k
        .lend_copy(&lend(ids[1], jan, 0, 0))
        .await
        .unwrap_err()
        .to_string()
        .contains("zaginiony"));

    k.save_library_settings(&LibrarySettings {
        loan_days: 14,
        max_renewals: 1,
        reminder_gap_days: 7,
    })
    .await
    .unwrap();
    let renewed = k.renew_loan(loan).await.unwrap();
    assert_eq!(renewed.renewals, 1);
    assert_eq!((renewed.due_on - l.due_on).num_days(), 14);
    let limit = k.renew_loan(loan).await.unwrap_err();
    assert!(limit.to_string().contains("limit"), "{limit}");
    let bad = k
        .save_library_settings(&LibrarySettings {
            loan_days: 0,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.field_errors()[0].field, "loan_days");

    // Returned: on the shelf again, lent to Jan next, and both in the title's history.
    let back = k.return_loan(loan, "").await.unwrap();
    assert!(back.returned_on.is_some());
    assert!(k.return_loan(loan, "").await.is_err(), "never twice");
    let second = k.lend_copy(&lend(ids[0], jan, 0, 0)).await.unwrap();
    let history = k
        .loans(&LoanQuery {
            status: LoanStatus::All,
            item_id: Some(book),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(history.total, 2);
    let annas = k
        .loans(&LoanQuery {
            status: LoanStatus::All,
            person_id: Some(anna),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(annas.items.iter().map(|l| l.id).collect::<Vec<_>>(), [loan]);
    // A title with loan history is not deleted; a copy with none is.
    assert!(k.delete_library_title(book).await.is_err());
    assert!(k.delete_library_copy(ids[0]).await.is_err());
    k.delete_library_copy(ids[1]).await.unwrap();
    let open = k
        .loans(&LoanQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        open.items.iter().map(|l| l.id).collect::<Vec<_>>(),
        [second]
    );
}

#[tokio::test]
async fn two_pcs_lending_one_copy_at_once_make_one_loan() {
    let place = fresh_place().await;
    let first = place.open().await;
    let book = title(&first, "Vademecum wolontariatu", "1").await;
    let copy = copies(&first, book).await[0];
    let anna = save_person(&first, &reader("Anna", "Nowak", "")).await;
    let jan = save_person(&first, &reader("Jan", "Wiśniewski", "")).await;
    let second = place.open().await;
    for _ in 0..3 {
        let (to_anna, to_jan) = (lend(copy, anna, 0, 0), lend(copy, jan, 0, 0));
        let (a, b) = tokio::join!(first.lend_copy(&to_anna), second.lend_copy(&to_jan));
        assert_eq!(
            [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
            1,
            "exactly one loan: {a:?} {b:?}"
        );
        let refused = a.err().or(b.err()).unwrap();
        assert_eq!(refused.field_errors()[0].field, "copy_id");
        let open = first
            .loans(&LoanQuery {
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(open.total, 1);
        first.return_loan(open.items[0].id, "").await.unwrap();
    }
    first.close().await;
    second.close().await;
}

#[tokio::test]
async fn overdue_reminders_go_once_each_and_never_for_a_returned_book() {
    let db = fresh().await;
    let k = &db.k;
    let sink = Sink::start(&[]);
    k.save_mail_settings(&MailSettings {
        host: "127.0.0.1".into(),
        port: sink.port,
        security: Security::None,
        from_address: "biblioteka@centrum.example.pl".into(),
        from_name: "CWOP Białystok".into(),
        rate_per_minute: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let late = save_person(k, &reader("Ewa", "Zielińska", "ewa@example.pl")).await;
    let returned = save_person(k, &reader("Piotr", "Nowak", "piotr@example.pl")).await;
    let no_mail = save_person(k, &reader("Zofia", "Mazur", "")).await;
    let on_time = save_person(k, &reader("Jan", "Kowalski", "jan@example.pl")).await;
    let a = copies(k, title(k, "Źródła finansowania", "1").await).await[0];
    let b = copies(k, title(k, "Poradnik fundraisingu", "1").await).await[0];
    let c = copies(k, title(k, "ABC wolontariatu", "1").await).await[0];
    let d = copies(k, title(k, "Zarys partycypacji", "1").await).await[0];
    let overdue = k.lend_copy(&lend(a, late, 40, 10)).await.unwrap();
    let brought_back = k.lend_copy(&lend(b, returned, 40, 10)).await.unwrap();
    k.lend_copy(&lend(c, no_mail, 40, 5)).await.unwrap();
    k.lend_copy(&lend(d, on_time, 3, -20)).await.unwrap();
    k.return_loan(brought_back, &day(1)).await.unwrap();

    let run = || {
        let mut target = SmtpTarget::from_url(&sink.url()).unwrap();
        target.timeout = Duration::from_secs(2);
        let k = k.clone();
        async move {
            let settings = k.mail_settings().await.unwrap();
            let pause = AtomicBool::new(false);
            k.run_queue(RunOptions {
                target,
                settings,
                only: None,
                pause: &pause,
                on_progress: &|_| {},
            })
            .await
            .unwrap()
        }
    };
    let today = chrono::Local::now().date_naive();
    let done = k.send_overdue_reminders_as_of(today).await.unwrap();
    assert_eq!((done.first, done.second, done.without_email), (1, 0, 1));
    assert_eq!(run().await.sent, 1);
    sink.wait_for(1, Duration::from_secs(5));
    let first = sink.received()[0].to_string();
    assert!(first.contains("ewa@example.pl"), "{first}");
    // Sent again the same day, nothing new; the second comes after the gap (14 days).
    let again = k.send_overdue_reminders_as_of(today).await.unwrap();
    assert_eq!((again.first, again.second), (0, 0));
    assert_eq!(run().await.sent, 0);
    let later = today + chrono::Duration::days(14);
    let second = k.send_overdue_reminders_as_of(later).await.unwrap();
    assert_eq!((second.first, second.second), (0, 1));
    assert_eq!(run().await.sent, 1);
    sink.wait_for(2, Duration::from_secs(5));
    let got = sink.received();
    assert_eq!(got.len(), 2);
    let loan = k.loan(overdue).await.unwrap();
    assert_eq!(loan.reminders_sent, 2);
    // After the second, e-mail stops (the office phones); nobody else was written to.
    let third = k
        .send_overdue_reminders_as_of(later + chrono::Duration::days(5))
        .await
        .unwrap();
    assert_eq!((third.first, third.second), (0, 0));
    assert!(got
        .iter()
        .all(|m| !m.to_string().contains("piotr@example.pl")));

    // The overdue list: the CLI's JSON and the printed sheet for readers without e-mail.
    let cli = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .env("KARTOTEKA_LOG_DIR", db.dir.path().join("logi"))
        .args([
            "--db",
            db.location().as_str(),
            "library",
            "overdue",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["title"], "Źródła finansowania");
    assert_eq!(listed[0]["days_overdue"], 10);
    assert_eq!(listed[0]["reminders_sent"], 2);
    assert_eq!(listed[1]["borrower_name"], "Zofia Mazur");
    let out = db.dir.path().join("zalegle.pdf");
    assert_eq!(k.overdue_sheet(&out, true).await.unwrap(), 1);
    let pdf = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let pdf = String::from_utf8(pdf.stdout).unwrap();
    for expected in ["Zaległe wypożyczenia", "Zofia Mazur", "ABC wolontariatu"] {
        assert!(pdf.contains(expected), "missing {expected:?} in\n{pdf}");
    }
    assert!(!pdf.contains("Ewa Zielińska"), "she has e-mail:\n{pdf}");
}

#[tokio::test]
async fn retention_removes_borrowers_of_returned_loans_and_the_counts_stay() {
    let db = fresh().await;
    let k = &db.k;
    let anna = save_person(k, &reader("Anna", "Nowak", "anna@example.pl")).await;
    let org_id = save_org(k, &org("Fundacja Czytelnia", "Białystok")).await;
    let old = copies(k, title(k, "Dawna książka", "1").await).await[0];
    let recent = copies(k, title(k, "Nowa książka", "1").await).await[0];
    let out_now = copies(k, title(k, "Wciąż wypożyczona", "1").await).await[0];
    let mut long_ago = lend(old, anna, 800, 770);
    long_ago.organization_id = Some(org_id);
    let long_ago = k.lend_copy(&long_ago).await.unwrap();
    k.return_loan(long_ago, &day(780)).await.unwrap();
    let fresh_loan = k.lend_copy(&lend(recent, anna, 40, 10)).await.unwrap();
    k.return_loan(fresh_loan, &day(20)).await.unwrap();
    let still_out = k.lend_copy(&lend(out_now, anna, 800, 770)).await.unwrap();
    let year = |days_ago: i64| {
        chrono::Datelike::year(
            &(chrono::Local::now().date_naive() - chrono::Duration::days(days_ago)),
        )
    };
    let before = k.annual_figures(year(800)).await.unwrap().library_loans;
    assert!(before >= 1);

    k.save_retention_settings(&RetentionSettings {
        loan_years: Some(1),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(k.retention_preview().await.unwrap().loan_count, 1);
    let done = k.apply_retention().await.unwrap();
    assert_eq!(done.loans, 1);
    let stripped = k.loan(long_ago).await.unwrap();
    assert!(stripped.borrower_removed);
    assert_eq!(
        (
            stripped.person_id,
            stripped.borrower_name,
            stripped.organization_id
        ),
        (None, None, None)
    );
    assert_eq!(
        k.loan(fresh_loan).await.unwrap().person_id,
        Some(anna),
        "returned recently: kept"
    );
    assert_eq!(
        k.loan(still_out).await.unwrap().person_id,
        Some(anna),
        "still out: kept"
    );
    assert_eq!(
        k.annual_figures(year(800)).await.unwrap().library_loans,
        before,
        "the counts stay"
    );
    assert_eq!(k.retention_preview().await.unwrap().loan_count, 0);
}
