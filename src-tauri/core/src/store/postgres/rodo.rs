//! PostgreSQL: the store's side of the RODO tools (everything held about one person, erasure,
//! anonymisation, the retention rules' selection). Mirrors `store/sqlite/rodo.rs`, each change
//! one transaction; what SQLite does to its file afterwards is a VACUUM here.

use super::PgStore;
use crate::error::{Error, Result};
use crate::rodo::*;
use crate::store::sqlite::{now, person_rowid, BY_RETENTION};
use crate::store::RodoStore;
use chrono::NaiveDate;
use sqlx::PgConnection;

/// What a sent-mail row keeps of its recipient once the address must go.
const MAIL_SCRUBBED: &str = "address = 'usunieto-' || id, recipient_name = '', merge_fields = '{}',
     reply = CASE WHEN reply IS NULL THEN NULL ELSE 'odpowiedź serwera usunięta (RODO)' END";

/// The tables whose dead rows may still hold a removed person's text after an erasure,
/// anonymisation or retention run (the same list SQLite re-analyses, with the rows' own tables).
const SCRUBBED_TABLES: &str = "people, person_contacts, consents, mailing_list_members, mail_queue, mail_bounces, \
     change_log, import_prior_values, search_index, advice_records, consultations, event_registrations";

#[async_trait::async_trait]
impl RodoStore for PgStore {
    async fn person_activity(&self, id: i64) -> Result<PersonActivity> {
        // Category names in code order, as SQLite's GROUP_CONCAT gives them.
        let advice = sqlx::query_as(
            "SELECT a.given_on, a.advisor, a.channel, a.description, a.outcome,
                    (SELECT string_agg(c.name, '; ' ORDER BY rc.category_code) FROM advice_record_categories rc
                     JOIN advice_categories c ON c.code = rc.category_code WHERE rc.advice_id = a.id) AS categories
             FROM advice_records a WHERE a.person_id = $1 ORDER BY a.given_on",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        // starts_at as SQLite keeps it in its file ("2026-03-10 10:00:00"): the export shows it so.
        let events = sqlx::query_as(
            "SELECT e.title, to_char(e.starts_at, 'YYYY-MM-DD HH24:MI:SS') AS starts_at, r.status, r.attended
             FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE r.person_id = $1 ORDER BY e.starts_at",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let consultations = sqlx::query_as(
            "SELECT c.given_on, COALESCE(o.name, '') AS organization, t.name AS topic, c.notes FROM consultations c
             LEFT JOIN organizations o ON o.id = c.organization_id JOIN consultation_topics t ON t.code = c.topic
             WHERE c.person_id = $1 ORDER BY c.given_on",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let lists = sqlx::query_scalar(
            "SELECT l.name FROM mailing_list_members m JOIN mailing_lists l ON l.id = m.list_id WHERE m.person_id = $1 ORDER BY l.name",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(PersonActivity {
            advice,
            events,
            consultations,
            lists,
        })
    }

    async fn erase_person(&self, id: i64, user: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let by = Self::signed(&mut tx, user).await?;
        // Locked: a colleague's save of this person waits, then finds it gone.
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM people WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Err(Error::NotFound("osoba"));
        }
        purge_person_traces(&mut tx, id).await?;
        // Advice given stays in the statistics, without the link and the case description.
        // A new revision, so an advice form opened before the erasure cannot write it back.
        sqlx::query("UPDATE advice_records SET person_id = NULL, description = NULL, updated_at = $1, revision = revision + 1, changed_by = $2 WHERE person_id = $3")
            .bind(now())
            .bind(&by)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE consultations SET person_id = NULL WHERE person_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Sent mail: the campaign's counts stay, the address and name go.
        sqlx::query(&format!(
            "UPDATE mail_queue SET {MAIL_SCRUBBED}, person_id = NULL WHERE person_id = $1"
        ))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM search_index WHERE rowid = $1")
            .bind(person_rowid(id))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM change_log WHERE entity = 'person' AND entity_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Contacts, roles, consents, registrations and list memberships go with the row.
        sqlx::query("DELETE FROM people WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO change_log (at, user_name, entity, entity_id, field, old_value, new_value) VALUES ($1, $2, 'person', $3, 'erased', NULL, 'usunięto dane osobowe (art. 17 RODO)')")
            .bind(now())
            .bind(user)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn anonymize_person(&self, id: i64, user: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let by = Self::signed(&mut tx, user).await?;
        let stamp = now();
        let done = sqlx::query("UPDATE people SET first_name = 'Osoba', last_name = $1, notes = NULL, archived_at = COALESCE(archived_at, $2), updated_at = $3, name_key = $4, revision = revision + 1, changed_by = $5 WHERE id = $6")
            .bind(format!("zanonimizowana nr {id}"))
            .bind(&stamp)
            .bind(&stamp)
            .bind(crate::text::collation::sort_key(&format!("zanonimizowana nr {id} Osoba")))
            .bind(&by)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("osoba"));
        }
        purge_person_traces(&mut tx, id).await?;
        let mail = format!("UPDATE mail_queue SET {MAIL_SCRUBBED} WHERE person_id = $1");
        for sql in [
            "DELETE FROM person_contacts WHERE person_id = $1",
            "DELETE FROM consents WHERE person_id = $1",
            "DELETE FROM mailing_list_members WHERE person_id = $1",
            mail.as_str(),
            "DELETE FROM change_log WHERE entity = 'person' AND entity_id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        // A new revision, so an advice form opened before cannot write the description back.
        sqlx::query("UPDATE advice_records SET description = NULL, updated_at = $1, revision = revision + 1, changed_by = $2 WHERE person_id = $3")
            .bind(&stamp)
            .bind(&by)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let body = format!("osoba zanonimizowana {id}");
        sqlx::query("UPDATE search_index SET body = $1, words = $2::tsvector WHERE rowid = $3")
            .bind(&body)
            .bind(super::bulk::pg_search_words(&body))
            .bind(person_rowid(id))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO change_log (at, user_name, entity, entity_id, field, old_value, new_value) VALUES ($1, $2, 'person', $3, 'anonymized', NULL, 'zanonimizowano (RODO)')")
            .bind(&stamp)
            .bind(user)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// PostgreSQL keeps a changed or deleted row's old version in the table until VACUUM
    /// removes it, and its planner statistics may quote sample values (an e-mail) until the
    /// next ANALYZE: both are done for the tables that held the person. Returns false when
    /// another session held a snapshot older than the removal, so VACUUM had to keep those
    /// versions for it; the next run (or autovacuum) removes them. The server's WAL and its
    /// backups are the server administrator's, as the file's copies are the office's.
    async fn scrub_removed_data(&self) -> Result<bool> {
        // One statement through the simple protocol: VACUUM refuses to run in a transaction.
        sqlx::raw_sql(&format!("VACUUM (ANALYZE) {SCRUBBED_TABLES}"))
            .execute(&self.pool)
            .await?;
        let older_snapshots: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
               AND backend_xmin IS NOT NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(older_snapshots == 0)
    }

    async fn strip_advice(&self, ids: &[i64]) -> Result<()> {
        self.strip_each(
            &format!("UPDATE advice_records SET person_id = NULL, description = NULL, updated_at = $1, revision = revision + 1, changed_by = '{BY_RETENTION}' WHERE id = ANY($2)"),
            ids,
        )
        .await
    }

    async fn strip_consultations(&self, ids: &[i64]) -> Result<()> {
        self.strip_each(
            "UPDATE consultations SET person_id = NULL, notes = NULL, updated_at = $1 WHERE id = ANY($2)",
            ids,
        )
        .await
    }

    async fn remove_event_lists(&self, ids: &[i64], today: NaiveDate) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let mut removed = 0;
        for id in ids {
            sqlx::query(
                "UPDATE events SET
                    removed_registered = removed_registered + (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = events.id AND g.status = 'registered'),
                    removed_attended = removed_attended + (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = events.id AND g.attended),
                    list_removed_on = $1, updated_at = $2
                 WHERE id = $3",
            )
            .bind(today.format("%Y-%m-%d").to_string())
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            removed += sqlx::query("DELETE FROM event_registrations WHERE event_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(removed)
    }

    async fn strip_mail(&self, before: NaiveDate) -> Result<u64> {
        Ok(sqlx::query(&format!(
            "UPDATE mail_queue SET {MAIL_SCRUBBED} WHERE updated_at < $1 AND address NOT LIKE 'usunieto-%'"
        ))
        .bind(before.format("%Y-%m-%d").to_string())
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    async fn advice_past_retention(&self, before: NaiveDate) -> Result<Vec<(i64, NaiveDate)>> {
        Ok(sqlx::query_as(
            "SELECT id, given_on FROM advice_records WHERE given_on < $1 AND (person_id IS NOT NULL OR description IS NOT NULL)
             ORDER BY given_on",
        )
        .bind(before)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn consultations_past_retention(
        &self,
        before: NaiveDate,
    ) -> Result<Vec<(i64, NaiveDate)>> {
        Ok(sqlx::query_as(
            "SELECT id, given_on FROM consultations WHERE given_on < $1 AND (person_id IS NOT NULL OR notes IS NOT NULL)
             ORDER BY given_on",
        )
        .bind(before)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn event_lists_past_retention(
        &self,
        before: NaiveDate,
    ) -> Result<Vec<(i64, String, String, i64)>> {
        // SQLite compares its stored text with 'YYYY-MM-DD': over before that day's midnight.
        Ok(sqlx::query_as(
            "SELECT e.id, e.title, to_char(e.starts_at, 'YYYY-MM-DD HH24:MI:SS'), COUNT(*) FROM events e
             JOIN event_registrations g ON g.event_id = e.id
             WHERE COALESCE(e.ends_at, e.starts_at) < $1 GROUP BY e.id, e.title, e.starts_at ORDER BY e.starts_at",
        )
        .bind(before.and_hms_opt(0, 0, 0).expect("midnight"))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn people_past_retention(&self, before: NaiveDate) -> Result<Vec<(i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, first_name || ' ' || last_name, archived_at FROM people
             WHERE archived_at IS NOT NULL AND archived_at < $1 AND first_name <> 'Osoba' ORDER BY archived_at",
        )
        .bind(before.format("%Y-%m-%d").to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    async fn mail_past_retention(&self, before: NaiveDate) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM mail_queue WHERE updated_at < $1 AND address NOT LIKE 'usunieto-%'",
        )
        .bind(before.format("%Y-%m-%d").to_string())
        .fetch_one(&self.pool)
        .await?)
    }
}

/// What both erasure and anonymisation remove besides the person's own rows: the import
/// snapshots (an undo would write them back), bounces of the person's addresses (the server's
/// reply echoes the address), and the notes of consultations they came to. Runs inside the
/// caller's transaction, before the contacts and queue rows change.
async fn purge_person_traces(tx: &mut PgConnection, id: i64) -> Result<()> {
    sqlx::query(
        "DELETE FROM mail_bounces WHERE lower(address) IN (
             SELECT lower(value) FROM person_contacts WHERE person_id = $1 AND kind = 'email'
             UNION SELECT lower(address) FROM mail_queue WHERE person_id = $1)",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM import_prior_values WHERE record_kind = 'person' AND record_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE consultations SET notes = NULL, updated_at = $1 WHERE person_id = $2 AND notes IS NOT NULL",
    )
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl PgStore {
    /// Runs `sql` (binding the time, then the ids as an array) in one transaction.
    async fn strip_each(&self, sql: &str, ids: &[i64]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(sql)
            .bind(now())
            .bind(ids)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::register::fixtures::{error_of, note, org, person, Transcript};
    use crate::advice::{AdviceChannel, AdviceDraft, AdviceOutcome};
    use crate::consultations::ConsultationDraft;
    use crate::events::{EventDraft, EventQuery};
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{
        AdviceStore, ConsultationStore, EventStore, OrganizationStore, PersonStore, RodoStore,
        SearchStore,
    };
    use chrono::{NaiveDate, NaiveDateTime};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn advice(given: &str, person_id: Option<i64>, code: Option<&str>) -> AdviceDraft {
        AdviceDraft {
            given_on: day(given),
            advisor: "Anna Doradczyni".into(),
            person_id,
            client_code: code.map(str::to_string),
            age_band: None,
            sex: None,
            residence: None,
            returning: false,
            channel: AdviceChannel::Phone,
            minutes: None,
            categories: vec!["ZAD.KOM".into(), "MIE.EKS".into()],
            description: Some("Zadłużenie czynszowe, komornik".into()),
            outcome: AdviceOutcome::Referred,
            follow_up_on: None,
            follow_up_done: false,
        }
    }

    fn consultation(given: &str, person_id: Option<i64>) -> ConsultationDraft {
        ConsultationDraft {
            given_on: day(given),
            advisor: "Marek Doradca".into(),
            organization_id: 1,
            person_id,
            topic: "WNI".into(),
            minutes: Some(60),
            notes: Some("Prezes w trudnej sytuacji rodzinnej".into()),
        }
    }

    fn event(title: &str, starts: &str) -> EventDraft {
        let starts_at = NaiveDateTime::parse_from_str(starts, "%Y-%m-%d %H:%M").unwrap();
        EventDraft {
            title: title.into(),
            kind: "training".into(),
            starts_at,
            ends_at: Some(starts_at + chrono::Duration::hours(3)),
            place: None,
            trainer: None,
            topic: None,
            description: None,
            capacity: None,
            public: false,
        }
    }

    /// Everything held about a person; the retention rules' selection and what applying them
    /// leaves (statistics kept, people removed); anonymisation and erasure.
    async fn rodo_story(
        s: &(impl RodoStore
              + AdviceStore
              + ConsultationStore
              + EventStore
              + OrganizationStore
              + PersonStore
              + SearchStore),
    ) -> Transcript {
        let mut t = Transcript::default();
        s.insert_organizations(&[org("Fundacja Ćma", "Kraków", "fundacja", |_| {})])
            .await
            .unwrap();
        s.insert_people(&[
            person("Anna", "Kowalska", "anna@example.org", &[(1, "prezes")]),
            person("Jan", "Nowak", "jan@example.org", &[]),
            person("Ewa", "Żak", "", &[]),
        ])
        .await
        .unwrap();
        let old_advice = s
            .insert_advice(&advice("2020-01-10", Some(1), None))
            .await
            .unwrap();
        let new_advice = s
            .insert_advice(&advice("2026-02-01", Some(1), None))
            .await
            .unwrap();
        let old_anon = s
            .insert_advice(&advice("2019-03-03", None, Some("K-2019-0001")))
            .await
            .unwrap();
        let old_consultation = s
            .save_consultation(None, &consultation("2019-05-05", Some(1)))
            .await
            .unwrap();
        s.save_consultation(None, &consultation("2026-01-20", None))
            .await
            .unwrap();
        let old_event = s
            .save_event(None, &event("Szkolenie z RODO", "2019-06-01 10:00"))
            .await
            .unwrap();
        let new_event = s
            .save_event(None, &event("Forum", "2026-05-01 09:30"))
            .await
            .unwrap();
        s.register_for_event(old_event, 1, Some(1)).await.unwrap();
        s.register_for_event(old_event, 2, None).await.unwrap();
        s.register_for_event(new_event, 1, None).await.unwrap();
        let first = s.get_event(old_event).await.unwrap().registrations[0].id;
        s.set_attended(first, true).await.unwrap();

        let activity = s.person_activity(1).await.unwrap();
        assert_eq!(activity.advice.len(), 2);
        assert_eq!(
            activity.advice[0].categories.as_deref(),
            Some("eksmisja; egzekucja komornicza")
        );
        assert_eq!(activity.events[0].starts_at, "2019-06-01 10:00:00");
        assert!(activity.events[0].attended);
        assert_eq!(activity.consultations[0].organization, "Fundacja Ćma");
        t.add("activity", &activity);

        let before = day("2021-01-01");
        let advice_due = s.advice_past_retention(before).await.unwrap();
        assert_eq!(
            advice_due,
            [
                (old_anon, day("2019-03-03")),
                (old_advice, day("2020-01-10"))
            ]
        );
        let consultations_due = s.consultations_past_retention(before).await.unwrap();
        assert_eq!(consultations_due, [(old_consultation, day("2019-05-05"))]);
        let lists_due = s.event_lists_past_retention(before).await.unwrap();
        assert_eq!(
            lists_due,
            [(
                old_event,
                "Szkolenie z RODO".to_string(),
                "2019-06-01 10:00:00".to_string(),
                2
            )]
        );
        // The day the event ends: not yet over before that day's midnight.
        assert!(s
            .event_lists_past_retention(day("2019-06-01"))
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            s.event_lists_past_retention(day("2019-06-02"))
                .await
                .unwrap()
                .len(),
            1
        );
        t.add("due", &(&advice_due, &consultations_due, &lists_due));
        assert_eq!(s.mail_past_retention(before).await.unwrap(), 0);
        assert_eq!(s.strip_mail(before).await.unwrap(), 0);

        s.set_person_archived(2, true, &note("Ewa", "archived", "tak"))
            .await
            .unwrap();
        let tomorrow = chrono::Local::now().date_naive() + chrono::Days::new(1);
        let archived = s.people_past_retention(tomorrow).await.unwrap();
        assert_eq!(archived.len(), 1);
        assert_eq!((archived[0].0, archived[0].1.as_str()), (2, "Jan Nowak"));
        assert!(s
            .people_past_retention(day("2020-01-01"))
            .await
            .unwrap()
            .is_empty());

        let ids: Vec<i64> = advice_due.iter().map(|a| a.0).collect();
        s.strip_advice(&ids).await.unwrap();
        let stripped = s.get_advice(old_advice).await.unwrap();
        assert_eq!(
            (stripped.person_id, stripped.description.as_deref()),
            (None, None)
        );
        assert!(s.advice_past_retention(before).await.unwrap().is_empty());
        assert_eq!(s.get_advice(new_advice).await.unwrap().person_id, Some(1));
        s.strip_consultations(&[old_consultation]).await.unwrap();
        let c = s.get_consultation(old_consultation).await.unwrap();
        assert_eq!(
            (c.person_id, c.notes, c.organization_id),
            (None, None, Some(1))
        );
        assert!(s
            .consultations_past_retention(before)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            s.remove_event_lists(&[old_event], day("2026-03-15"))
                .await
                .unwrap(),
            2
        );
        let e = s.get_event(old_event).await.unwrap();
        assert!(e.registrations.is_empty());
        assert_eq!((e.removed_registered, e.removed_attended), (2, 1));
        assert_eq!(e.list_removed_on.as_deref(), Some("2026-03-15"));
        t.add("event after", &e);
        let listed = s
            .list_events(
                &EventQuery {
                    upcoming: false,
                    offset: 0,
                    limit: 10,
                },
                day("2026-03-15"),
            )
            .await
            .unwrap();
        assert_eq!(
            listed.items[1].registered, 2,
            "the kept count stays on the list"
        );
        t.add("events listed", &listed);
        t.add(
            "register on a removed list",
            &error_of(s.register_for_event(old_event, 3, None).await),
        );
        assert!(s
            .event_lists_past_retention(before)
            .await
            .unwrap()
            .is_empty());
        t.add(
            "activity after retention",
            &s.person_activity(1).await.unwrap(),
        );

        s.anonymize_person(2, "Ewa Administratorka").await.unwrap();
        let jan = s.get_person(2).await.unwrap();
        assert_eq!(
            (jan.first_name.as_str(), jan.last_name.as_str()),
            ("Osoba", "zanonimizowana nr 2")
        );
        assert!(jan.emails.is_empty());
        assert!(s.people_past_retention(tomorrow).await.unwrap().is_empty());
        assert!(s.search("nowak", 10).await.unwrap().is_empty());
        assert_eq!(s.search("zanonimizowana", 10).await.unwrap().len(), 1);
        t.add(
            "anonymise missing",
            &error_of(s.anonymize_person(99, "Ewa").await),
        );

        s.erase_person(1, "Ewa Administratorka").await.unwrap();
        t.add("erased", &error_of(s.get_person(1).await));
        t.add("erase again", &error_of(s.erase_person(1, "Ewa").await));
        assert!(s.search("kowalska", 10).await.unwrap().is_empty());
        let kept = s.get_advice(new_advice).await.unwrap();
        assert_eq!((kept.person_id, kept.description.as_deref()), (None, None));
        assert_eq!(kept.categories.len(), 2, "the statistics stay");
        t.add("advice kept", &kept);
        assert!(s.scrub_removed_data().await.unwrap());
        t
    }

    #[tokio::test]
    async fn rodo_retention_and_erasure_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let lite = rodo_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            rodo_story(&pg).await.assert_same_as(&lite);
        }
    }

    /// PostgreSQL's planner statistics quote sample values of a column (an e-mail among the
    /// histogram bounds of person_contacts.value): after an erasure they must not quote the
    /// erased person's address any more.
    #[tokio::test]
    async fn rodo_erasure_leaves_no_address_in_planner_statistics_on_postgres() {
        let Some(pg) = fresh_pg().await else { return };
        let people: Vec<_> = (0..20)
            .map(|i| {
                person(
                    "Osoba",
                    &format!("Numer{i}"),
                    &format!("osoba{i}@example.org"),
                    &[],
                )
            })
            .collect();
        pg.insert_people(&people).await.unwrap();
        pg.insert_people(&[person("Anna", "Kowalska", "anna.kowalska@example.org", &[])])
            .await
            .unwrap();
        let quoted = |pool: sqlx::PgPool| async move {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stats WHERE tablename IN ('person_contacts', 'search_index', 'people')
                 AND (COALESCE(histogram_bounds::text, '') || COALESCE(most_common_vals::text, '')) LIKE '%kowalsk%'",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            n
        };
        sqlx::query("ANALYZE person_contacts, search_index, people")
            .execute(&pg.pool)
            .await
            .unwrap();
        assert!(
            quoted(pg.pool.clone()).await > 0,
            "the statistics quote the address before"
        );
        pg.erase_person(21, "Ewa Administratorka").await.unwrap();
        assert!(pg.scrub_removed_data().await.unwrap());
        assert_eq!(quoted(pg.pool.clone()).await, 0);
    }
}
