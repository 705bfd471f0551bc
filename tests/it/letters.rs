//! Letters kept for organisations on the backend of the run: items logged, flagged when the
//! organisation's address agreement has ended, "powiadom" sent once through the mail queue to a
//! real SMTP server (tests/fixtures/smtp_sink.py) and never for items already picked up,
//! pickup recorded, the pickup sheet read back with pdftotext, and `letters waiting --json`.

use crate::mail::Sink;
use crate::util::{fresh, org, save_org};
use kartoteka_core::letters::{AgreementInput, LetterInput, LetterQuery};
use kartoteka_core::mail::send::{RunOptions, SmtpTarget};
use kartoteka_core::mail::{MailSettings, Security};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn letter(org: i64, days_ago: i64, sender: &str, kind: &str) -> LetterInput {
    let on = chrono::Local::now().date_naive() - chrono::Duration::days(days_ago);
    LetterInput {
        received_on: on.format("%d.%m.%Y").to_string(),
        sender: sender.into(),
        organization_id: Some(org),
        kind: kind.into(),
        tracking_number: if kind == "polecony" {
            "RR123456785PL".into()
        } else {
            String::new()
        },
        ..Default::default()
    }
}

#[tokio::test]
async fn letters_logged_flagged_notified_once_and_picked_up() {
    let db = fresh().await;
    let k = &db.k;
    let mut with_mail = org("Fundacja „Pod Adresem”", "Białystok");
    with_mail.emails = "biuro@podadresem.example.pl".into();
    let current = save_org(k, &with_mail).await;
    let ended = save_org(k, &org("Stowarzyszenie Dawnych Umów", "Białystok")).await;
    let today = chrono::Local::now().date_naive();
    k.save_agreement(
        None,
        &AgreementInput {
            organization_id: Some(current),
            valid_from: (today - chrono::Duration::days(400))
                .format("%d.%m.%Y")
                .to_string(),
            contact_email: "sekretariat@podadresem.example.pl".into(),
            notify_by: "email".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    k.save_agreement(
        None,
        &AgreementInput {
            organization_id: Some(ended),
            valid_from: (today - chrono::Duration::days(400))
                .format("%d.%m.%Y")
                .to_string(),
            valid_until: (today - chrono::Duration::days(30))
                .format("%d.%m.%Y")
                .to_string(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let first = k
        .save_letter(
            None,
            &letter(current, 6, "Urząd Skarbowy w Białymstoku", "polecony"),
        )
        .await
        .unwrap();
    let second = k
        .save_letter(
            None,
            &letter(current, 2, "Narodowy Instytut Wolności", "list"),
        )
        .await
        .unwrap();
    let late = k
        .save_letter(None, &letter(ended, 1, "Sąd Rejonowy", "awizo"))
        .await
        .unwrap();
    // A letter from the future, or for nobody, is refused at its fields; nothing is logged.
    let mut wrong = letter(current, -3, "", "list");
    wrong.organization_id = None;
    let err = k.save_letter(None, &wrong).await.unwrap_err();
    let fields: Vec<_> = err.field_errors().iter().map(|f| f.field.clone()).collect();
    assert_eq!(fields, ["received_on", "sender", "organization_id"]);

    let waiting = k
        .letters(&LetterQuery {
            waiting_only: true,
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        waiting.items.iter().map(|l| l.id).collect::<Vec<_>>(),
        [first, second, late],
        "longest waiting first"
    );
    assert_eq!(waiting.items[0].days_waiting, 6);
    assert!(!waiting.items[0].outside_agreement);
    assert!(
        waiting.items[2].outside_agreement,
        "the agreement ended before it came"
    );

    // "Powiadom": one message naming both items, to the agreement's address; sent once.
    let sink = Sink::start(&[]);
    k.save_mail_settings(&MailSettings {
        host: "127.0.0.1".into(),
        port: sink.port,
        security: Security::None,
        from_address: "biuro@centrum.example.pl".into(),
        from_name: "CWOP Białystok".into(),
        rate_per_minute: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let told = k.notify_letters(current).await.unwrap();
    assert_eq!(
        (told.address.as_str(), told.items),
        ("sekretariat@podadresem.example.pl", 2)
    );
    let no_address = k.notify_letters(ended).await.unwrap_err();
    assert_eq!(no_address.field_errors()[0].field, "notify");
    let run = |k: &kartoteka_core::Kartoteka| {
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
    let sent = run(k).await;
    assert_eq!(sent.sent, 1);
    sink.wait_for(1, Duration::from_secs(5));
    let got = sink.received();
    assert_eq!(got.len(), 1);
    let text = got[0].to_string();
    assert!(
        text.contains("Urz") && text.contains("RR123456785PL"),
        "{text}"
    );
    assert_eq!(
        k.letter(first).await.unwrap().notified_to.as_deref(),
        Some("sekretariat@podadresem.example.pl")
    );
    // Running the queue again sends nothing more.
    assert_eq!(run(k).await.sent, 0);

    // Both picked up: a second notice has nothing to name, and the waiting list shrinks.
    assert!(
        k.pick_up_letters(&[first, second], "", "  ").await.is_err(),
        "who picked up is required"
    );
    assert_eq!(
        k.pick_up_letters(&[first, second], "", "Anna Nowak")
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        k.pick_up_letters(&[first], "", "Anna Nowak").await.unwrap(),
        0,
        "never twice"
    );
    assert!(
        k.notify_letters(current).await.is_err(),
        "no notice for picked-up items"
    );
    assert_eq!(run(k).await.sent, 0);
    assert_eq!(sink.received().len(), 1);
    let picked = k.letter(first).await.unwrap();
    assert_eq!(
        (picked.picked_up_by.as_deref(), picked.days_waiting),
        (Some("Anna Nowak"), 0)
    );
    let month = today.format("%Y-%m").to_string();
    let this_month = k
        .letters(&LetterQuery {
            month: Some(month),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(this_month.items.iter().any(|l| l.id == late));

    // The pickup sheet of what still waits, and the CLI's list of it.
    let out = db.dir.path().join("odbior.pdf");
    assert_eq!(k.pickup_sheet(ended, &out).await.unwrap(), 1);
    let pdf = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let pdf = String::from_utf8(pdf.stdout).unwrap();
    for expected in [
        "Potwierdzenie odbioru korespondencji",
        "Stowarzyszenie Dawnych Umów",
        "Sąd Rejonowy",
        "awizo",
        "Podpis odbierającego",
    ] {
        assert!(pdf.contains(expected), "missing {expected:?} in\n{pdf}");
    }
    assert!(
        k.pickup_sheet(current, &out).await.is_err(),
        "nothing waits for it any more"
    );
    let cli = Command::new(env!("CARGO_BIN_EXE_kartoteka"))
        .env("KARTOTEKA_LOG_DIR", db.dir.path().join("logi"))
        .args([
            "--db",
            db.location().as_str(),
            "letters",
            "waiting",
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
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["sender"], "Sąd Rejonowy");
    assert_eq!(listed[0]["days_waiting"], 1);
    assert_eq!(listed[0]["outside_agreement"], true);
}
