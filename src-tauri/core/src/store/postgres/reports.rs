//! PostgreSQL: the counts behind the annual report and the network's statistics files,
//! mirroring `store/sqlite/reports.rs` (dates bound as dates, the month taken with to_char).

use super::PgStore;
use crate::error::Result;
use crate::reports::AnnualCounts;
use crate::store::sqlite::{now, EARLIER_ADVICE_WHERE};
use crate::store::ReportStore;
use chrono::{NaiveDate, NaiveDateTime};

/// `advice::is_returning` for the advice row `a`, as 1 or 0 (summed into a count). Office
/// staff may not compare clients themselves: the server's `advice_earlier` view counts for them.
fn returning_sql(reads_clients: bool) -> String {
    if reads_clients {
        format!("(CASE WHEN a.returning_client OR EXISTS (SELECT 1 FROM advice_records b WHERE {EARLIER_ADVICE_WHERE}) THEN 1 ELSE 0 END)")
    } else {
        "(CASE WHEN a.returning_client OR (SELECT e.earlier_advice > 0 FROM advice_earlier e WHERE e.id = a.id) THEN 1 ELSE 0 END)".into()
    }
}

#[async_trait::async_trait]
impl ReportStore for PgStore {
    async fn annual_counts(&self, year: i32) -> Result<AnnualCounts> {
        // A year outside the calendar's range counts nothing, as the text range does in SQLite.
        let (Some(from), Some(to), Some(next)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
            NaiveDate::from_ymd_opt(year + 1, 1, 1),
        ) else {
            return Ok(AnnualCounts::default());
        };
        let advice_total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM advice_records WHERE given_on BETWEEN $1 AND $2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let by_category: Vec<(String, i64)> = sqlx::query_as(
            "SELECT m.name, COUNT(DISTINCT a.id) FROM advice_records a
             JOIN advice_record_categories rc ON rc.advice_id = a.id
             JOIN advice_categories c ON c.code = rc.category_code
             JOIN advice_categories m ON m.code = COALESCE(c.parent, c.code)
             WHERE a.given_on BETWEEN $1 AND $2 GROUP BY m.code, m.name, m.position ORDER BY m.position",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let by_month: Vec<(String, i64)> = sqlx::query_as(
            "SELECT to_char(given_on, 'MM'), COUNT(*) FROM advice_records WHERE given_on BETWEEN $1 AND $2
             GROUP BY 1 ORDER BY 1",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let by_channel: Vec<(String, i64)> =
            sqlx::query_as("SELECT channel, COUNT(*) FROM advice_records WHERE given_on BETWEEN $1 AND $2 GROUP BY channel ORDER BY channel")
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
        // Returning by the same rule as the record view (advice::is_returning). SUM of BIGINT
        // is NUMERIC on PostgreSQL: cast back to what the counts are.
        let (returning, minutes): (i64, i64) = sqlx::query_as(&format!(
            "SELECT COALESCE(SUM({}), 0)::BIGINT, COALESCE(SUM(a.minutes), 0)::BIGINT FROM advice_records a WHERE a.given_on BETWEEN $1 AND $2",
            returning_sql(self.reads_advice_clients)
        ))
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let events: Vec<(NaiveDateTime, Option<NaiveDateTime>, i64)> = sqlx::query_as(
            "SELECT e.starts_at, e.ends_at, e.removed_attended + (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id AND g.attended)
             FROM events e WHERE e.starts_at >= $1 AND e.starts_at < $2",
        )
        .bind(from.and_time(chrono::NaiveTime::MIN))
        .bind(next.and_time(chrono::NaiveTime::MIN))
        .fetch_all(&self.pool)
        .await?;
        let organizations_total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM organizations WHERE archived_at IS NULL")
                .fetch_one(&self.pool)
                .await?;
        // created_at is ISO text, as in the file: compared as text.
        let organizations_new: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM organizations WHERE created_at >= $1 AND created_at < $2",
        )
        .bind(format!("{year}-01-01"))
        .bind(format!("{}-01-01", year + 1))
        .fetch_one(&self.pool)
        .await?;
        let by_legal_form: Vec<(String, i64)> =
            sqlx::query_as("SELECT legal_form, COUNT(*) FROM organizations WHERE archived_at IS NULL GROUP BY legal_form ORDER BY legal_form")
                .fetch_all(&self.pool)
                .await?;
        let by_area: Vec<(String, i64)> = sqlx::query_as(
            "SELECT s.code || '. ' || s.name, COUNT(*) FROM organization_areas a JOIN activity_areas s ON s.code = a.area_code
             JOIN organizations o ON o.id = a.organization_id WHERE o.archived_at IS NULL
             GROUP BY s.code, s.name, s.position ORDER BY s.position, s.code",
        )
        .fetch_all(&self.pool)
        .await?;
        let consultations_by_topic: Vec<(String, i64)> = sqlx::query_as(
            "SELECT t.name, COUNT(*) FROM consultations c JOIN consultation_topics t ON t.code = c.topic
             WHERE c.given_on BETWEEN $1 AND $2 GROUP BY t.code, t.name, t.position ORDER BY t.position",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let consultation_minutes: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(minutes), 0)::BIGINT FROM consultations WHERE given_on BETWEEN $1 AND $2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        // The clients' profile: unknown values count as "nie podano" (an empty key), so each
        // table adds up to the advice total. Residence as typed, most frequent first.
        let profile = |column: &str| {
            format!(
                "SELECT COALESCE(NULLIF(TRIM({column}), ''), ''), COUNT(*) FROM advice_records WHERE given_on BETWEEN $1 AND $2
                 GROUP BY 1 ORDER BY COUNT(*) DESC, 1"
            )
        };
        let mut by_age_band: Vec<(String, i64)> = sqlx::query_as(&profile("age_band"))
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        by_age_band.sort_by_key(|(band, _)| {
            crate::advice::AGE_BANDS
                .iter()
                .position(|b| b == band)
                .unwrap_or(usize::MAX)
        });
        for (band, _) in by_age_band.iter_mut().filter(|(b, _)| b.is_empty()) {
            *band = "nie podano".into();
        }
        let mut by_sex: Vec<(String, i64)> = sqlx::query_as(&profile("sex"))
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        by_sex.sort_by_key(|(s, _)| ["k", "m", ""].iter().position(|x| x == s).unwrap_or(3));
        let mut by_residence: Vec<(String, i64)> = sqlx::query_as(&profile("residence"))
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        let unknown = by_residence
            .iter()
            .position(|(r, _)| r.is_empty())
            .map(|i| by_residence.remove(i).1);
        by_residence.extend(unknown.map(|n| ("nie podano".to_string(), n)));
        Ok(AnnualCounts {
            by_age_band,
            by_sex,
            by_residence,
            advice_total,
            by_category,
            by_month,
            by_channel,
            returning,
            minutes,
            events,
            organizations_total,
            organizations_new,
            by_legal_form,
            by_area,
            consultations_by_topic,
            consultation_minutes,
        })
    }

    async fn save_network_stats(
        &self,
        files: &[(String, String, i32, String)],
    ) -> Result<Vec<bool>> {
        let mut tx = self.pool.begin().await?;
        let mut replaced = Vec::with_capacity(files.len());
        for (key, bureau, year, json) in files {
            let mut took_place = false;
            if !key.starts_with(crate::reports::stats_file::UNCODED_PREFIX) {
                let uncoded = crate::reports::stats_file::storage_key(None, bureau);
                let done =
                    sqlx::query("DELETE FROM network_stats WHERE bureau_key = $1 AND year = $2")
                        .bind(&uncoded)
                        .bind(year)
                        .execute(&mut *tx)
                        .await?;
                took_place = done.rows_affected() > 0;
            }
            sqlx::query(
                "INSERT INTO network_stats (bureau_key, bureau, year, figures, imported_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (bureau_key, year) DO UPDATE SET bureau = excluded.bureau, figures = excluded.figures, imported_at = excluded.imported_at",
            )
            .bind(key)
            .bind(bureau)
            .bind(year)
            .bind(json)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            replaced.push(took_place);
        }
        tx.commit().await?;
        Ok(replaced)
    }

    async fn network_stats(&self, year: i32) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as("SELECT bureau_key, figures FROM network_stats WHERE year = $1 ORDER BY bureau, bureau_key")
            .bind(year)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn meta_or_insert(&self, key: &str, value: &str) -> Result<String> {
        // One statement: of two PCs racing, the second's insert does nothing and both read
        // the first one's value.
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::register::fixtures::{org, person};
    use crate::advice::{AdviceChannel, AdviceDraft, AdviceOutcome};
    use crate::consultations::ConsultationDraft;
    use crate::events::EventDraft;
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{
        AdviceStore, ConsultationStore, EventStore, OrganizationStore, PersonStore, ReportStore,
    };
    use chrono::{NaiveDate, NaiveDateTime};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn advice(given: &str, person_id: Option<i64>, cats: &[&str], minutes: i64) -> AdviceDraft {
        AdviceDraft {
            given_on: day(given),
            advisor: "Anna Doradczyni".into(),
            person_id,
            client_code: None,
            age_band: Some("26–35".into()),
            sex: if person_id.is_some() {
                Some("k".into())
            } else {
                None
            },
            residence: if person_id.is_some() {
                Some("Łódź".into())
            } else {
                Some("  ".into())
            },
            returning: false,
            channel: if person_id.is_some() {
                AdviceChannel::InPerson
            } else {
                AdviceChannel::Phone
            },
            minutes: Some(minutes),
            categories: cats.iter().map(|c| c.to_string()).collect(),
            description: Some("Opis sprawy (poufny)".into()),
            outcome: AdviceOutcome::Advice,
            follow_up_on: None,
            follow_up_done: false,
        }
    }

    /// One year of an office's work (and some of the years around it) counted for the annual
    /// report: advice by category, month, channel and profile, a returning client, minutes,
    /// an event's attendance, organisations by form and area, consultations by topic.
    async fn annual_story(
        s: &(impl ReportStore
              + AdviceStore
              + PersonStore
              + OrganizationStore
              + EventStore
              + ConsultationStore),
    ) -> String {
        let orgs = s
            .insert_organizations(&[
                org("Fundacja Ćma", "Kraków", "fundacja", |o| {
                    o.areas = vec!["1".into(), "16".into()]
                }),
                org("Stowarzyszenie Łąka", "Łódź", "stowarzyszenie", |o| {
                    o.areas = vec!["16".into()]
                }),
            ])
            .await
            .unwrap();
        let people = s
            .insert_people(&[person("Anna", "Kowalska", "anna@example.org", &[])])
            .await
            .unwrap();
        let anna = people[0];
        for d in [
            advice("2026-01-10", Some(anna), &["MIE.NAJ", "MIE.EKS"], 30),
            advice("2026-03-02", Some(anna), &["ROD.ALI"], 45),
            advice("2026-03-20", None, &["MIE.NAJ"], 15),
            advice("2025-12-31", Some(anna), &["PRA"], 60),
            advice("2027-01-01", None, &["PRA"], 60),
        ] {
            s.insert_advice(&d).await.unwrap();
        }
        let event = s
            .save_event(
                None,
                &EventDraft {
                    title: "Szkolenie z księgowości".into(),
                    kind: "training".into(),
                    starts_at: at("2026-05-04 10:00"),
                    ends_at: Some(at("2026-05-04 14:00")),
                    place: Some("Sala 2".into()),
                    trainer: None,
                    topic: None,
                    description: None,
                    capacity: Some(10),
                    public: false,
                },
            )
            .await
            .unwrap();
        s.register_for_event(event, anna, Some(orgs[0]))
            .await
            .unwrap();
        let registration = s.get_event(event).await.unwrap().registrations[0].id;
        s.set_attended(registration, true).await.unwrap();
        for (given, minutes) in [("2026-02-01", 60), ("2026-02-15", 90), ("2025-02-15", 30)] {
            s.save_consultation(
                None,
                &ConsultationDraft {
                    given_on: day(given),
                    advisor: "Ewa".into(),
                    organization_id: orgs[0],
                    person_id: Some(anna),
                    topic: "ZAR".into(),
                    minutes: Some(minutes),
                    notes: None,
                },
            )
            .await
            .unwrap();
        }

        let c = s.annual_counts(2026).await.unwrap();
        assert_eq!(c.advice_total, 3);
        assert_eq!(c.minutes, 90);
        // Anna's January advice follows her December one (the year before), March follows
        // January; the anonymous client without an earlier visit is new.
        assert_eq!(c.returning, 2);
        assert_eq!(c.by_month, [("01".to_string(), 1), ("03".to_string(), 2)]);
        assert_eq!(
            c.by_category,
            [("mieszkaniowe".to_string(), 2), ("rodzinne".to_string(), 1)]
        );
        assert_eq!(
            c.by_residence,
            [("Łódź".to_string(), 2), ("nie podano".to_string(), 1)]
        );
        assert_eq!(
            c.by_sex,
            // Unlike age bands, an unknown sex keeps its empty key: the report labels it.
            [("k".to_string(), 2), (String::new(), 1)]
        );
        assert_eq!(
            c.events,
            [(at("2026-05-04 10:00"), Some(at("2026-05-04 14:00")), 1)]
        );
        assert_eq!(c.consultations_by_topic.len(), 1);
        assert_eq!(c.consultations_by_topic[0].1, 2);
        assert_eq!(c.consultation_minutes, 150);
        assert_eq!(c.organizations_total, 2);
        assert_eq!(
            c.by_area.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(c.by_legal_form.len(), 2);
        let this_year = chrono::Utc::now().format("%Y").to_string().parse().unwrap();
        assert_eq!(
            s.annual_counts(this_year).await.unwrap().organizations_new,
            2
        );
        let empty = s.annual_counts(1999).await.unwrap();
        assert_eq!(
            (empty.advice_total, empty.minutes, empty.returning),
            (0, 0, 0)
        );
        assert!(empty.events.is_empty() && empty.by_month.is_empty());
        format!("{c:?}")
    }

    #[tokio::test]
    async fn reports_annual_counts_alike_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let lite = annual_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            assert_eq!(annual_story(&pg).await, lite);
        }
    }

    /// Statistics files of the network: a file replaces the same key and year, a coded file
    /// takes the place of its office's uncoded one (and says so), years stay apart; `meta`
    /// keeps the first value stored.
    async fn network_story(s: &impl ReportStore) -> Vec<(String, String)> {
        let uncoded = crate::reports::stats_file::storage_key(None, "Biuro Porad Łódź");
        let coded = crate::reports::stats_file::storage_key(Some("AB12"), "Biuro Porad Łódź");
        let other = crate::reports::stats_file::storage_key(Some("CD34"), "Aaa Biuro");
        let file = |key: &str, office: &str, year: i32, figures: &str| {
            (
                key.to_string(),
                office.to_string(),
                year,
                figures.to_string(),
            )
        };
        let replaced = s
            .save_network_stats(&[
                file(&uncoded, "Biuro Porad Łódź", 2026, "{\"v\":1}"),
                file(&other, "Aaa Biuro", 2026, "{\"v\":2}"),
                file(&uncoded, "Biuro Porad Łódź", 2025, "{\"v\":3}"),
            ])
            .await
            .unwrap();
        assert_eq!(replaced, [false, false, false]);
        let replaced = s
            .save_network_stats(&[file(&coded, "Biuro Porad Łódź", 2026, "{\"v\":4}")])
            .await
            .unwrap();
        assert_eq!(replaced, [true]);
        let replaced = s
            .save_network_stats(&[file(&coded, "Biuro Porad Łódź", 2026, "{\"v\":5}")])
            .await
            .unwrap();
        assert_eq!(replaced, [false]);
        let year = s.network_stats(2026).await.unwrap();
        assert_eq!(
            year,
            [
                (other.clone(), "{\"v\":2}".to_string()),
                (coded.clone(), "{\"v\":5}".to_string()),
            ]
        );
        assert_eq!(s.network_stats(2025).await.unwrap().len(), 1);
        assert!(s.network_stats(2024).await.unwrap().is_empty());

        assert_eq!(
            s.meta_or_insert("bureau_code", "AB12").await.unwrap(),
            "AB12"
        );
        assert_eq!(
            s.meta_or_insert("bureau_code", "ZZ99").await.unwrap(),
            "AB12"
        );
        year
    }

    #[tokio::test]
    async fn reports_network_stats_alike_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let lite = network_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            assert_eq!(network_story(&pg).await, lite);
        }
    }

    /// Two PCs starting at once both ask for the bureau code: both get the one stored first.
    #[tokio::test]
    async fn pg_only_meta_or_insert_racing_gets_one_value() {
        let Some(pg) = fresh_pg().await else {
            return;
        };
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let pg = pg.clone();
                tokio::spawn(
                    async move { pg.meta_or_insert("bureau_code", &format!("K{i}")).await },
                )
            })
            .collect();
        let mut seen = Vec::new();
        for t in tasks {
            seen.push(t.await.unwrap().unwrap());
        }
        seen.dedup();
        assert_eq!(seen.len(), 1, "{seen:?}");
    }
}
