//! SQLite: the counts behind the annual report.

use super::*;
use crate::error::Result;
use crate::reports::AnnualCounts;
use chrono::{NaiveDate, NaiveDateTime};

#[async_trait::async_trait]
impl ReportStore for SqliteStore {
    // ----- annual figures ---------------------------------------------------------------------

    async fn annual_counts(&self, year: i32) -> Result<AnnualCounts> {
        let from = format!("{year}-01-01");
        let to = format!("{year}-12-31");
        let advice_total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM advice_records WHERE given_on BETWEEN ? AND ?",
        )
        .bind(&from)
        .bind(&to)
        .fetch_one(&self.pool)
        .await?;
        let by_category: Vec<(String, i64)> = sqlx::query_as(
            "SELECT m.name, COUNT(DISTINCT a.id) FROM advice_records a
             JOIN advice_record_categories rc ON rc.advice_id = a.id
             JOIN advice_categories c ON c.code = rc.category_code
             JOIN advice_categories m ON m.code = COALESCE(c.parent, c.code)
             WHERE a.given_on BETWEEN ? AND ? GROUP BY m.code, m.name, m.position ORDER BY m.position",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(&self.pool)
        .await?;
        let by_month: Vec<(String, i64)> = sqlx::query_as(
            "SELECT substr(given_on, 6, 2), COUNT(*) FROM advice_records WHERE given_on BETWEEN ? AND ? GROUP BY substr(given_on, 6, 2)",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(&self.pool)
        .await?;
        let by_channel: Vec<(String, i64)> =
            sqlx::query_as("SELECT channel, COUNT(*) FROM advice_records WHERE given_on BETWEEN ? AND ? GROUP BY channel ORDER BY channel")
                .bind(&from)
                .bind(&to)
                .fetch_all(&self.pool)
                .await?;
        // Returning by the same rule as the record view (advice::is_returning).
        let (returning, minutes): (i64, i64) = sqlx::query_as(&format!(
            "SELECT COALESCE(SUM({}), 0), COALESCE(SUM(a.minutes), 0) FROM advice_records a WHERE a.given_on BETWEEN ? AND ?",
            returning_sql()
        ))
        .bind(&from)
        .bind(&to)
        .fetch_one(&self.pool)
        .await?;
        let events: Vec<(NaiveDateTime, Option<NaiveDateTime>, i64)> = sqlx::query_as(
            "SELECT e.starts_at, e.ends_at, e.removed_attended + (SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id AND g.attended = 1)
             FROM events e WHERE e.starts_at >= ? AND e.starts_at < ?",
        )
        .bind(NaiveDate::from_ymd_opt(year, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)))
        .bind(NaiveDate::from_ymd_opt(year + 1, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)))
        .fetch_all(&self.pool)
        .await?;
        let organizations_total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM organizations WHERE archived_at IS NULL")
                .fetch_one(&self.pool)
                .await?;
        let organizations_new: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM organizations WHERE created_at >= ? AND created_at < ?",
        )
        .bind(&from)
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
             WHERE c.given_on BETWEEN ? AND ? GROUP BY t.code, t.name, t.position ORDER BY t.position",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(&self.pool)
        .await?;
        let consultation_minutes: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(minutes), 0) FROM consultations WHERE given_on BETWEEN ? AND ?",
        )
        .bind(&from)
        .bind(&to)
        .fetch_one(&self.pool)
        .await?;
        // The clients' profile: unknown values count as "nie podano" (an empty key), so each
        // table adds up to the advice total. Residence as typed, most frequent first.
        let profile = |column: &str| {
            format!(
                "SELECT COALESCE(NULLIF(TRIM({column}), ''), ''), COUNT(*) FROM advice_records WHERE given_on BETWEEN ? AND ?
                 GROUP BY 1 ORDER BY COUNT(*) DESC, 1"
            )
        };
        let mut by_age_band: Vec<(String, i64)> = sqlx::query_as(&profile("age_band"))
            .bind(&from)
            .bind(&to)
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
            .bind(&from)
            .bind(&to)
            .fetch_all(&self.pool)
            .await?;
        by_sex.sort_by_key(|(s, _)| ["k", "m", ""].iter().position(|x| x == s).unwrap_or(3));
        let mut by_residence: Vec<(String, i64)> = sqlx::query_as(&profile("residence"))
            .bind(&from)
            .bind(&to)
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
                    sqlx::query("DELETE FROM network_stats WHERE bureau_key = ? AND year = ?")
                        .bind(&uncoded)
                        .bind(year)
                        .execute(&mut *tx)
                        .await?;
                took_place = done.rows_affected() > 0;
            }
            sqlx::query(
                "INSERT INTO network_stats (bureau_key, bureau, year, figures, imported_at) VALUES (?, ?, ?, ?, ?)
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
        Ok(sqlx::query_as("SELECT bureau_key, figures FROM network_stats WHERE year = ? ORDER BY bureau, bureau_key").bind(year).fetch_all(&self.pool).await?)
    }

    async fn meta_or_insert(&self, key: &str, value: &str) -> Result<String> {
        sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_one(&self.pool)
            .await?)
    }
}
