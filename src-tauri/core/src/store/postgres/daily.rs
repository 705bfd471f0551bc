//! PostgreSQL: daily work — events in a date range (calendar, "Dziś"), campaigns still in
//! progress, a person's registrations and consultations, the advisors' names, and advice found
//! by an anonymous client's code. Mirrors `store/sqlite/daily.rs`.

use super::consultations::CONSULTATION_SELECT;
use super::PgStore;
use crate::consultations::Consultation;
use crate::daily::{CalendarEvent, CampaignInProgress, PersonEvent};
use crate::error::Result;
use crate::register::{Page, RecordKind, SearchHit};
use crate::store::sqlite::key_range_end;
use crate::store::DailyStore;
use chrono::{NaiveDate, NaiveDateTime};

#[async_trait::async_trait]
impl DailyStore for PgStore {
    async fn campaigns_in_progress(&self, limit: u32) -> Result<Page<CampaignInProgress>> {
        const WHERE: &str = "NOT m.is_template AND (m.status IN ('sending', 'paused')
             OR EXISTS (SELECT 1 FROM mail_queue q WHERE q.message_id = m.id AND q.status = 'uncertain'))";
        let items = sqlx::query_as(&format!(
            "SELECT m.id, m.subject, m.status,
             (SELECT COUNT(*) FROM mail_queue q WHERE q.message_id = m.id AND q.status IN ('queued', 'sending')) AS queued,
             (SELECT COUNT(*) FROM mail_queue q WHERE q.message_id = m.id AND q.status = 'sent') AS sent,
             (SELECT COUNT(*) FROM mail_queue q WHERE q.message_id = m.id AND q.status = 'failed') AS failed,
             (SELECT COUNT(*) FROM mail_queue q WHERE q.message_id = m.id AND q.status = 'uncertain') AS uncertain
             FROM mail_messages m WHERE {WHERE} ORDER BY m.updated_at DESC, m.id DESC LIMIT $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM mail_messages m WHERE {WHERE}"
        ))
        .fetch_one(&self.pool)
        .await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: 0,
        })
    }

    async fn person_events(&self, person_id: i64, limit: u32) -> Result<Page<PersonEvent>> {
        let items = sqlx::query_as(
            "SELECT e.id AS event_id, e.title, e.starts_at, r.status, r.attended FROM event_registrations r JOIN events e ON e.id = r.event_id
             WHERE r.person_id = $1 ORDER BY e.starts_at DESC, e.id DESC LIMIT $2",
        )
        .bind(person_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM event_registrations WHERE person_id = $1")
                .bind(person_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: 0,
        })
    }

    async fn person_consultations(&self, person_id: i64, limit: u32) -> Result<Page<Consultation>> {
        let items = sqlx::query_as(&format!(
            "{CONSULTATION_SELECT} WHERE c.person_id = $1 ORDER BY c.given_on DESC, c.id DESC LIMIT $2"
        ))
        .bind(person_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM consultations WHERE person_id = $1")
                .bind(person_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: 0,
        })
    }

    async fn advice_advisors(&self, limit: u32) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT advisor FROM advice_records GROUP BY advisor ORDER BY COUNT(*) DESC, advisor LIMIT $1")
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?)
    }

    async fn advice_by_client_code(&self, typed: &str, limit: u32) -> Result<Vec<SearchHit>> {
        // Client codes are not office staff's to search (the server refuses them the column).
        if !self.reads_advice_clients {
            return Ok(Vec::new());
        }
        let code: String = typed
            .to_uppercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let looks_like_code = code.len() >= 3
            && code.chars().any(|c| c.is_ascii_digit())
            && typed
                .trim()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ');
        if !looks_like_code {
            return Ok(Vec::new());
        }
        // ILIKE: SQLite's LIKE ignores ASCII case, and so does ILIKE on these C-collated
        // columns. The categories joined in the order SQLite reads them (by code).
        let rows: Vec<(i64, String, NaiveDate, Option<String>)> = sqlx::query_as(
            "SELECT a.id, a.client_code, a.given_on,
             (SELECT string_agg(c.name, ', ' ORDER BY rc.category_code) FROM advice_record_categories rc JOIN advice_categories c ON c.code = rc.category_code WHERE rc.advice_id = a.id)
             FROM advice_records a WHERE a.client_code IS NOT NULL AND REPLACE(a.client_code, '-', '') ILIKE $1
             AND upper(replace(a.client_code, '-', '')) >= $3 AND upper(replace(a.client_code, '-', '')) < $4
             ORDER BY a.given_on DESC, a.id DESC LIMIT $2",
        )
        .bind(format!("{code}%"))
        .bind(i64::from(limit))
        // The same rows as the ILIKE alone, read through
        // advice_records_client_code_key instead of every advice record (20 ms a keystroke at
        // 20,000): `code` is upper-case ASCII letters and digits, so every code starting with
        // it sorts (C collation) from `code` to `code` with its last character raised by one.
        .bind(&code)
        .bind(key_range_end(&code))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, code, given_on, categories)| SearchHit {
                kind: RecordKind::Advice,
                id,
                name: code,
                detail: Some(match categories {
                    Some(c) => format!("{} · {c}", given_on.format("%d.%m.%Y")),
                    None => given_on.format("%d.%m.%Y").to_string(),
                }),
                archived: false,
            })
            .collect())
    }

    async fn calendar_events(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
        limit: u32,
    ) -> Result<(Vec<CalendarEvent>, u64)> {
        let items = sqlx::query_as(
            "SELECT e.id, e.title, e.kind, e.starts_at, e.ends_at, e.place, e.capacity,
             e.removed_registered + (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id AND g.status = 'registered') AS registered,
             (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id AND g.status = 'waiting') AS waiting
             FROM events e WHERE e.starts_at >= $1 AND e.starts_at < $2 ORDER BY e.starts_at, e.id LIMIT $3",
        )
        .bind(from)
        .bind(to)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM events WHERE starts_at >= $1 AND starts_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        Ok((items, total as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::super::register::fixtures::{org, person, Transcript};
    use crate::advice::{AdviceChannel, AdviceDraft, AdviceOutcome};
    use crate::consultations::ConsultationDraft;
    use crate::events::EventDraft;
    use crate::mail::{MessageInput, MessageKind, Recipient};
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{
        AdviceStore, ConsultationStore, DailyStore, EventStore, MailStore, OrganizationStore,
        PersonStore,
    };
    use chrono::{NaiveDate, NaiveDateTime};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn event(title: &str, starts: &str, capacity: Option<i64>) -> EventDraft {
        EventDraft {
            title: title.into(),
            kind: "training".into(),
            starts_at: at(starts),
            ends_at: Some(at(starts) + chrono::Duration::hours(2)),
            place: Some("Sala 2".into()),
            trainer: None,
            topic: None,
            description: None,
            capacity,
            public: false,
        }
    }

    fn advice(given: &str, advisor: &str, client_code: Option<&str>) -> AdviceDraft {
        AdviceDraft {
            given_on: day(given),
            advisor: advisor.into(),
            person_id: None,
            client_code: client_code.map(str::to_string),
            age_band: None,
            sex: None,
            residence: None,
            returning: false,
            channel: AdviceChannel::Phone,
            minutes: None,
            categories: vec!["ROD.ALI".into(), "MIE.NAJ".into()],
            description: None,
            outcome: AdviceOutcome::Advice,
            follow_up_on: None,
            follow_up_done: false,
        }
    }

    /// A day in an office: the calendar of a month (a full event with someone waiting), a
    /// person's events and consultations newest first, the advisors most used first, advice
    /// found by an anonymous client's code however it is typed, and a campaign being sent.
    async fn daily_story(
        s: &(impl DailyStore
              + EventStore
              + PersonStore
              + OrganizationStore
              + ConsultationStore
              + AdviceStore
              + MailStore),
    ) -> Transcript {
        let mut t = Transcript::default();
        let orgs = s
            .insert_organizations(&[org("Fundacja Ćma", "Kraków", "fundacja", |_| {})])
            .await
            .unwrap();
        let people = s
            .insert_people(&[
                person("Anna", "Kowalska", "anna@example.org", &[]),
                person("Jan", "Nowak", "", &[]),
            ])
            .await
            .unwrap();
        let (anna, jan) = (people[0], people[1]);
        let may = s
            .save_event(None, &event("Księgowość", "2026-05-04 10:00", Some(1)))
            .await
            .unwrap();
        let later_may = s
            .save_event(None, &event("Wolontariat", "2026-05-20 09:00", None))
            .await
            .unwrap();
        s.save_event(None, &event("Czerwiec", "2026-06-01 00:00", None))
            .await
            .unwrap();
        assert_eq!(
            s.register_for_event(may, anna, Some(orgs[0]))
                .await
                .unwrap(),
            "registered"
        );
        assert_eq!(
            s.register_for_event(may, jan, None).await.unwrap(),
            "waiting"
        );
        s.register_for_event(later_may, anna, None).await.unwrap();

        let (first, total) = s
            .calendar_events(at("2026-05-01 00:00"), at("2026-06-01 00:00"), 1)
            .await
            .unwrap();
        assert_eq!(total, 2);
        assert_eq!(first.len(), 1);
        assert_eq!((first[0].registered, first[0].waiting), (1, 1));
        t.add("calendar, first of May", &first);
        let (all, _) = s
            .calendar_events(at("2026-05-01 00:00"), at("2026-06-01 00:00"), 50)
            .await
            .unwrap();
        assert_eq!(
            all.iter().map(|e| e.id).collect::<Vec<_>>(),
            [may, later_may]
        );
        t.add("calendar of May", &all);

        let events = s.person_events(anna, 1).await.unwrap();
        assert_eq!(events.total, 2);
        assert_eq!(events.items[0].event_id, later_may);
        t.add("Anna's events", &events);
        let events = s.person_events(jan, 10).await.unwrap();
        assert_eq!(events.items[0].status, "waiting");
        assert!(!events.items[0].attended);
        t.add("Jan's events", &events);

        for (given, minutes) in [("2026-02-01", 60), ("2026-03-15", 90)] {
            s.save_consultation(
                None,
                &ConsultationDraft {
                    given_on: day(given),
                    advisor: "Ewa".into(),
                    organization_id: orgs[0],
                    person_id: Some(anna),
                    topic: "ZAR".into(),
                    minutes: Some(minutes),
                    notes: Some("Statut".into()),
                },
            )
            .await
            .unwrap();
        }
        let consultations = s.person_consultations(anna, 10).await.unwrap();
        assert_eq!(consultations.total, 2);
        assert_eq!(consultations.items[0].given_on, day("2026-03-15"));
        assert_eq!(
            consultations.items[0].person_name.as_deref(),
            Some("Anna Kowalska")
        );
        t.add("Anna's consultations", &consultations);
        assert_eq!(s.person_consultations(jan, 10).await.unwrap().total, 0);

        for d in [
            advice("2026-01-10", "Bartek", Some("K-2026-0001")),
            advice("2026-02-10", "Anna Doradczyni", Some("K-2026-0002")),
            advice("2026-03-10", "Anna Doradczyni", Some("K-2026-0012")),
            advice("2025-03-10", "Zenon", Some("K-2025-0001")),
        ] {
            s.insert_advice(&d).await.unwrap();
        }
        assert_eq!(
            s.advice_advisors(2).await.unwrap(),
            ["Anna Doradczyni", "Bartek"]
        );
        let found = s.advice_by_client_code("k-2026-00", 10).await.unwrap();
        assert_eq!(
            found.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(),
            ["K-2026-0012", "K-2026-0002", "K-2026-0001"]
        );
        t.add("codes typed k-2026-00", &found);
        let found = s.advice_by_client_code("K2026 001", 10).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "K-2026-0012");
        assert!(found[0]
            .detail
            .as_deref()
            .unwrap()
            .starts_with("10.03.2026 · "));
        t.add("codes typed K2026 001", &found);
        assert!(s
            .advice_by_client_code("Kowalska", 10)
            .await
            .unwrap()
            .is_empty());
        assert!(s.advice_by_client_code("k%", 10).await.unwrap().is_empty());

        let message = s
            .insert_message(
                &MessageInput {
                    kind: MessageKind::Bulletin,
                    is_template: false,
                    subject: "Biuletyn".into(),
                    body: "Dzień dobry!".into(),
                    list_id: None,
                },
                None,
            )
            .await
            .unwrap();
        assert_eq!(s.campaigns_in_progress(10).await.unwrap().total, 0);
        let recipients: Vec<Recipient> = ["a@example.org", "b@example.org"]
            .iter()
            .map(|a| Recipient {
                organization_id: None,
                person_id: Some(anna),
                name: "Anna Kowalska".into(),
                address: a.to_string(),
                values: Default::default(),
            })
            .collect();
        s.enqueue(message, "wszyscy", &recipients, 0, 0)
            .await
            .unwrap();
        let campaigns = s.campaigns_in_progress(10).await.unwrap();
        assert_eq!(campaigns.total, 1);
        assert_eq!(
            (
                campaigns.items[0].status.as_str(),
                campaigns.items[0].queued
            ),
            ("sending", 2)
        );
        t.add("campaigns in progress", &campaigns);
        t
    }

    #[tokio::test]
    async fn daily_overview_alike_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let lite = daily_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            daily_story(&pg).await.assert_same_as(&lite);
        }
    }
}
