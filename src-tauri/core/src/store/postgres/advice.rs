//! PostgreSQL: advice records, categories and anonymous client codes. Mirrors
//! `store/sqlite/advice.rs`; the one real difference is the client code, which several PCs
//! give at once here: under a lock of the year held until the record is committed.

use super::PgStore;
use crate::advice::{AdviceCategory, AdviceDraft, AdviceQuery, AdviceRecord, AdviceRow};
use crate::error::{Error, Result};
use crate::register::*;
// The rule for "earlier advice of the same client" is portable SQL: one text for both backends.
use crate::store::sqlite::{now, EARLIER_ADVICE_WHERE};
use crate::store::AdviceStore;
use chrono::NaiveDate;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};

#[async_trait::async_trait]
impl AdviceStore for PgStore {
    async fn advice_categories(&self) -> Result<Vec<AdviceCategory>> {
        Ok(sqlx::query_as("SELECT code, parent, name, position, active FROM advice_categories ORDER BY position, code")
            .fetch_all(&self.pool)
            .await?)
    }

    async fn insert_advice_many(&self, drafts: &[AdviceDraft]) -> Result<()> {
        self.refuse_staff_advice_write()?;
        let mut tx = self.pool.begin().await?;
        for d in drafts {
            Self::insert_advice_in(&mut tx, d).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_advice(&self, d: &AdviceDraft) -> Result<i64> {
        self.refuse_staff_advice_write()?;
        let mut tx = self.pool.begin().await?;
        let d = with_client_code(&mut tx, d).await?;
        let id = Self::insert_advice_in(&mut tx, &d).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_advice(
        &self,
        id: i64,
        d: &AdviceDraft,
        author: &str,
        expected_revision: Option<i64>,
    ) -> Result<()> {
        self.refuse_staff_advice_write()?;
        let mut tx = self.pool.begin().await?;
        Self::update_advice_in(&mut tx, id, d, author, expected_revision).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_advice(&self, id: i64) -> Result<()> {
        self.refuse_staff_advice_write()?;
        let done = sqlx::query("DELETE FROM advice_records WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("porada"));
        }
        Ok(())
    }

    async fn get_advice(&self, id: i64) -> Result<AdviceRecord> {
        let r = sqlx::query(if self.reads_advice_clients {
            "SELECT a.*, CASE WHEN p.id IS NULL THEN NULL ELSE p.first_name || ' ' || p.last_name END AS person_name
             FROM advice_records a LEFT JOIN people p ON p.id = a.person_id WHERE a.id = $1"
        } else {
            STAFF_ADVICE_RECORD
        })
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound("porada"))?;
        let categories: Vec<String> = sqlx::query_scalar(
            "SELECT rc.category_code FROM advice_record_categories rc JOIN advice_categories c ON c.code = rc.category_code
             WHERE rc.advice_id = $1 ORDER BY c.position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        // Office staff may not compare clients: the server's view counts for them.
        let earlier_advice: i64 = sqlx::query_scalar(&if self.reads_advice_clients {
            format!("SELECT COUNT(*) FROM advice_records a JOIN advice_records b ON {EARLIER_ADVICE_WHERE} WHERE a.id = $1")
        } else {
            "SELECT COALESCE((SELECT earlier_advice FROM advice_earlier WHERE id = $1), 0)".into()
        })
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let returning_marked: bool = r.get("returning_client");
        Ok(AdviceRecord {
            id,
            given_on: r.get("given_on"),
            advisor: r.get("advisor"),
            person_id: r.get("person_id"),
            person_name: r.get("person_name"),
            client_code: r.get("client_code"),
            age_band: r.get("age_band"),
            sex: r.get("sex"),
            residence: r.get("residence"),
            returning: crate::advice::is_returning(returning_marked, earlier_advice),
            returning_marked,
            earlier_advice,
            channel: r.get("channel"),
            minutes: r.get("minutes"),
            categories,
            description: r.get("description"),
            outcome: r.get("outcome"),
            follow_up_on: r.get("follow_up_on"),
            follow_up_done: r.get("follow_up_done"),
            created_at: r.get("created_at"),
            updated_at: r.get("updated_at"),
            revision: r.get("revision"),
            changed_by: r.get("changed_by"),
        })
    }

    async fn list_advice(
        &self,
        q: &AdviceQuery,
        range: (Option<NaiveDate>, Option<NaiveDate>),
        today: NaiveDate,
    ) -> Result<Page<AdviceRow>> {
        if q.person_id.is_some() && !self.reads_advice_clients {
            return Err(Error::Forbidden(STAFF_NO_CLIENTS.into()));
        }
        let limit = q.limit.clamp(1, MAX_PAGE);
        // The names in category-code order: the order SQLite's group_concat gives through the
        // link table's primary key, so both backends list the same text.
        // Office staff see no client: the server gives them neither the link nor the code.
        let (client, people) = if self.reads_advice_clients {
            (
                "COALESCE(p.last_name || ' ' || p.first_name, a.client_code, '')",
                " LEFT JOIN people p ON p.id = a.person_id",
            )
        } else {
            ("''", "")
        };
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(format!(
            "SELECT a.id, a.given_on, {client} AS client,
             COALESCE((SELECT string_agg(c.name, ', ' ORDER BY rc.category_code) FROM advice_record_categories rc
                       JOIN advice_categories c ON c.code = rc.category_code WHERE rc.advice_id = a.id), '') AS categories,
             a.advisor, a.channel, a.follow_up_on, a.follow_up_done
             FROM advice_records a{people}"
        ));
        push_advice_filters(&mut qb, q, range, today, self.reads_advice_clients);
        let order = if q.follow_ups_due {
            " ORDER BY a.follow_up_on ASC, a.id ASC"
        } else {
            " ORDER BY a.given_on DESC, a.id DESC"
        };
        qb.push(order)
            .push(" LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let items = qb
            .build_query_as::<AdviceRow>()
            .fetch_all(&self.pool)
            .await?;
        let mut count: QueryBuilder<Postgres> =
            QueryBuilder::new("SELECT COUNT(*) FROM advice_records a");
        push_advice_filters(&mut count, q, range, today, self.reads_advice_clients);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(Page {
            items,
            total: total as u64,
            offset: q.offset,
        })
    }
}

/// An advice record as office staff may read it: every column but the description and the
/// client (person and code), which the server refuses them.
const STAFF_ADVICE_RECORD: &str = "SELECT a.id, a.given_on, a.advisor, NULL::BIGINT AS person_id, NULL::TEXT AS client_code,
     a.age_band, a.sex, a.residence, a.returning_client, a.channel, a.minutes, NULL::TEXT AS description, a.outcome,
     a.follow_up_on, a.follow_up_done, a.created_at, a.updated_at, a.revision, a.changed_by, NULL::TEXT AS person_name
     FROM advice_records a WHERE a.id = $1";

const STAFF_NO_CLIENTS: &str =
    "Porady klienta może przeglądać tylko doradca albo administrator: to konto nie ma dostępu do danych klientów porad.";

/// The first key of the advisory lock under which a year's client codes are given (the year
/// is the second key); any constant of ours, unlike other locks' keys.
const CLIENT_CODE_LOCK: i32 = 0x4b4f_4453; // "KODS"

/// The next free anonymous client code of `year` (K-2026-0001), on the saving transaction.
/// SQLite's single writer makes "highest + 1" safe there; here a transaction-long lock of the
/// year does, so two PCs saving at once never give one code to two different clients: the
/// second waits until the first commits and then reads its code.
async fn next_code_of_year(tx: &mut PgConnection, year: i32) -> Result<String> {
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(CLIENT_CODE_LOCK)
        .bind(year)
        .execute(&mut *tx)
        .await?;
    let prefix = format!("K-{year}-");
    let codes: Vec<String> =
        sqlx::query_scalar("SELECT client_code FROM advice_records WHERE client_code LIKE $1")
            .bind(format!("{prefix}%"))
            .fetch_all(&mut *tx)
            .await?;
    let last = codes
        .iter()
        .filter_map(|c| c.strip_prefix(&prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    Ok(format!("{prefix}{:04}", last + 1))
}

/// The draft as saved: an anonymous client without a code gets the next free one.
pub(super) async fn with_client_code(
    tx: &mut PgConnection,
    d: &AdviceDraft,
) -> Result<AdviceDraft> {
    let mut d = d.clone();
    if d.person_id.is_none() && d.client_code.is_none() {
        d.client_code = Some(next_code_of_year(tx, chrono::Datelike::year(&d.given_on)).await?);
    }
    Ok(d)
}

impl PgStore {
    /// Said before the server would refuse it anyway (office staff have no right to write
    /// advice records): in words of what to do instead.
    pub(crate) fn refuse_staff_advice_write(&self) -> Result<()> {
        if self.reads_advice_clients {
            return Ok(());
        }
        Err(Error::Forbidden(
            "Porady zapisuje i usuwa tylko doradca albo administrator: to konto (pracownik biura) może je tylko przeglądać, bez opisów i danych klientów.".into(),
        ))
    }

    /// Changes an advice record on the caller's transaction (see `update_advice`).
    pub(crate) async fn update_advice_in(
        tx: &mut PgConnection,
        id: i64,
        d: &AdviceDraft,
        author: &str,
        expected_revision: Option<i64>,
    ) -> Result<()> {
        Self::check_revision(&mut *tx, "advice_records", id, expected_revision, "porada").await?;
        let d = &with_client_code(&mut *tx, d).await?;
        let by = Self::signed(&mut *tx, author).await?;
        let done = sqlx::query(
            "UPDATE advice_records SET given_on = $1, advisor = $2, person_id = $3, client_code = $4, age_band = $5, sex = $6,
             residence = $7, returning_client = $8, channel = $9, minutes = $10, description = $11, outcome = $12,
             follow_up_on = $13, follow_up_done = $14, updated_at = $15,
             revision = revision + 1, changed_by = $16 WHERE id = $17",
        )
        .bind(d.given_on)
        .bind(&d.advisor)
        .bind(d.person_id)
        .bind(&d.client_code)
        .bind(&d.age_band)
        .bind(&d.sex)
        .bind(&d.residence)
        .bind(d.returning)
        .bind(d.channel.code())
        .bind(d.minutes)
        .bind(&d.description)
        .bind(d.outcome.code())
        .bind(d.follow_up_on)
        .bind(d.follow_up_done)
        .bind(now())
        .bind(&by)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("porada"));
        }
        sqlx::query("DELETE FROM advice_record_categories WHERE advice_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Self::insert_advice_categories(tx, id, &d.categories).await?;
        Ok(())
    }

    pub(crate) async fn insert_advice_in(tx: &mut PgConnection, d: &AdviceDraft) -> Result<i64> {
        if let Some(p) = d.person_id {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = $1")
                .bind(p)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(Error::invalid(
                    "person_id",
                    "Wybrana osoba nie istnieje w rejestrze.",
                ));
            }
        }
        let stamp = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO advice_records (given_on, advisor, person_id, client_code, age_band, sex, residence, returning_client, channel,
             minutes, description, outcome, follow_up_on, follow_up_done, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(d.given_on)
        .bind(&d.advisor)
        .bind(d.person_id)
        .bind(&d.client_code)
        .bind(&d.age_band)
        .bind(&d.sex)
        .bind(&d.residence)
        .bind(d.returning)
        .bind(d.channel.code())
        .bind(d.minutes)
        .bind(&d.description)
        .bind(d.outcome.code())
        .bind(d.follow_up_on)
        .bind(d.follow_up_done)
        .bind(&stamp)
        .bind(&stamp)
        .fetch_one(&mut *tx)
        .await?;
        Self::insert_advice_categories(tx, id, &d.categories).await?;
        Ok(id)
    }

    pub(crate) async fn insert_advice_categories(
        tx: &mut PgConnection,
        id: i64,
        codes: &[String],
    ) -> Result<()> {
        if codes.is_empty() {
            return Ok(());
        }
        let mut qb: QueryBuilder<Postgres> =
            QueryBuilder::new("INSERT INTO advice_record_categories (advice_id, category_code) ");
        qb.push_values(codes, |mut b, code| {
            b.push_bind(id).push_bind(code);
        });
        qb.build().execute(&mut *tx).await?;
        Ok(())
    }
}

/// The list's filters, as SQLite's `push_advice_filters`. LIKE patterns are given with
/// `ESCAPE ''`: PostgreSQL's LIKE treats a backslash as an escape by default, SQLite's does not.
pub(crate) fn push_advice_filters(
    qb: &mut QueryBuilder<'_, Postgres>,
    q: &AdviceQuery,
    range: (Option<NaiveDate>, Option<NaiveDate>),
    today: NaiveDate,
    clients: bool,
) {
    qb.push(" WHERE 1 = 1");
    if let Some(from) = range.0 {
        qb.push(" AND a.given_on >= ").push_bind(from);
    }
    if let Some(to) = range.1 {
        qb.push(" AND a.given_on <= ").push_bind(to);
    }
    if let Some(advisor) = q
        .advisor
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        qb.push(" AND a.advisor = ").push_bind(advisor.to_string());
    }
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        // The client (registered: by the folded name index; anonymous: the code, dashes
        // optional) or a category name. The case description is never searched.
        let code: String = text
            .to_uppercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        qb.push(" AND (");
        // Office staff find advice by category only: the client columns are not theirs.
        if let Some(expr) = super::register::pg_tsquery(text).filter(|_| clients) {
            qb.push("a.person_id IN (SELECT rowid / 2 FROM search_index WHERE words @@ to_tsquery('simple', ")
                .push_bind(expr)
                .push(") AND rowid % 2 = 1) OR ");
        }
        if !code.is_empty() && clients {
            qb.push("REPLACE(a.client_code, '-', '') LIKE ")
                .push_bind(format!("%{code}%"))
                .push(" ESCAPE '' OR ");
        }
        qb.push("EXISTS (SELECT 1 FROM advice_record_categories rc JOIN advice_categories c ON c.code = rc.category_code
                 WHERE rc.advice_id = a.id AND lower(c.name) LIKE ")
            .push_bind(format!("%{}%", text.to_lowercase().replace(['%', '_'], "")))
            .push(" ESCAPE ''))");
    }
    if q.follow_ups_due {
        qb.push(" AND NOT a.follow_up_done AND a.follow_up_on IS NOT NULL AND a.follow_up_on <= ")
            .push_bind(today);
    }
    if let Some(code) = q.category.as_ref().filter(|c| !c.is_empty()) {
        // A main category also finds advice filed under its subcategories. ILIKE: SQLite's
        // LIKE ignores ASCII case, and codes are ASCII.
        qb.push(" AND EXISTS (SELECT 1 FROM advice_record_categories rc WHERE rc.advice_id = a.id AND (rc.category_code = ")
            .push_bind(code.clone())
            .push(" OR rc.category_code ILIKE ")
            .push_bind(format!("{code}.%"))
            .push(" ESCAPE ''))");
    }
    if let Some(p) = q.person_id {
        qb.push(" AND a.person_id = ").push_bind(p);
    }
}

#[cfg(test)]
mod tests {
    use super::super::register::fixtures::{error_of, person, Transcript};
    use crate::advice::*;
    use crate::register::Page;
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{AdviceStore, PersonStore};
    use chrono::NaiveDate;

    type Range = (Option<NaiveDate>, Option<NaiveDate>);

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn advice(
        given: &str,
        person_id: Option<i64>,
        code: Option<&str>,
        cats: &[&str],
    ) -> AdviceDraft {
        AdviceDraft {
            given_on: day(given),
            advisor: "Anna Doradczyni".into(),
            person_id,
            client_code: code.map(str::to_string),
            age_band: Some("26–35".into()),
            sex: Some("k".into()),
            residence: Some("Łódź".into()),
            returning: false,
            channel: AdviceChannel::InPerson,
            minutes: Some(30),
            categories: cats.iter().map(|c| c.to_string()).collect(),
            description: Some("Opis sprawy (poufny)".into()),
            outcome: AdviceOutcome::Advice,
            follow_up_on: None,
            follow_up_done: false,
        }
    }

    fn query(f: impl FnOnce(&mut AdviceQuery)) -> AdviceQuery {
        let mut q = AdviceQuery {
            limit: 50,
            ..Default::default()
        };
        f(&mut q);
        q
    }

    fn ids(page: &Page<AdviceRow>) -> Vec<i64> {
        page.items.iter().map(|r| r.id).collect()
    }

    /// Advice for a registered person and for anonymous clients: codes given in order per
    /// year (after a code typed by hand, the next one above it), returning clients by person
    /// and by code, the list with each of its filters and pages, changes and deletion.
    async fn advice_story(s: &(impl AdviceStore + PersonStore)) -> Transcript {
        let mut t = Transcript::default();
        let people = s
            .insert_people(&[
                person("Anna", "Kowalska", "anna@example.org", &[]),
                person("Jan", "Nowak", "", &[]),
            ])
            .await
            .unwrap();
        assert_eq!(people, [1, 2]);
        let categories = s.advice_categories().await.unwrap();
        assert_eq!(categories[0].code, "MIE");
        assert!(categories.iter().all(|c| c.active));
        t.add("categories", &categories);

        let first = s
            .insert_advice(&advice(
                "2026-01-10",
                Some(1),
                None,
                &["MIE.NAJ", "MIE.EKS"],
            ))
            .await
            .unwrap();
        assert_eq!(first, 1);
        let anon = s
            .insert_advice(&advice("2026-02-01", None, None, &["ZAD.KOM"]))
            .await
            .unwrap();
        let anon2 = s
            .insert_advice(&advice("2026-02-01", None, None, &["KON"]))
            .await
            .unwrap();
        assert_eq!(
            s.get_advice(anon).await.unwrap().client_code.as_deref(),
            Some("K-2026-0001")
        );
        assert_eq!(
            s.get_advice(anon2).await.unwrap().client_code.as_deref(),
            Some("K-2026-0002")
        );
        // A code typed by hand: the next one given is above it; another year counts anew.
        s.insert_advice(&advice("2026-02-02", None, Some("K-2026-0050"), &["INN"]))
            .await
            .unwrap();
        let after_typed = s
            .insert_advice(&advice("2026-02-03", None, None, &["INN"]))
            .await
            .unwrap();
        assert_eq!(
            s.get_advice(after_typed)
                .await
                .unwrap()
                .client_code
                .as_deref(),
            Some("K-2026-0051")
        );
        let last_year = s
            .insert_advice(&advice("2025-12-30", None, None, &["INN"]))
            .await
            .unwrap();
        assert_eq!(
            s.get_advice(last_year)
                .await
                .unwrap()
                .client_code
                .as_deref(),
            Some("K-2025-0001")
        );
        // Returning: the same code later, the same person later, the advisor's own mark.
        let back_by_code = s
            .insert_advice(&advice(
                "2026-03-01",
                None,
                Some("K-2026-0001"),
                &["ZAD.WIN"],
            ))
            .await
            .unwrap();
        let back_by_person = s
            .insert_advice(&AdviceDraft {
                follow_up_on: Some(day("2026-03-20")),
                ..advice("2026-03-05", Some(1), None, &["MIE.NAJ"])
            })
            .await
            .unwrap();
        let marked = s
            .insert_advice(&AdviceDraft {
                returning: true,
                channel: AdviceChannel::Phone,
                follow_up_on: Some(day("2026-03-10")),
                ..advice("2026-03-06", Some(2), None, &["PRA.WYN"])
            })
            .await
            .unwrap();
        let by_code = s.get_advice(back_by_code).await.unwrap();
        assert_eq!((by_code.earlier_advice, by_code.returning), (1, true));
        let by_person = s.get_advice(back_by_person).await.unwrap();
        assert_eq!(by_person.person_name.as_deref(), Some("Anna Kowalska"));
        assert_eq!(by_person.client_code, None);
        assert_eq!((by_person.earlier_advice, by_person.returning), (1, true));
        let mark = s.get_advice(marked).await.unwrap();
        assert_eq!(
            (mark.earlier_advice, mark.returning, mark.returning_marked),
            (0, true, true)
        );
        let new_client = s.get_advice(anon2).await.unwrap();
        assert_eq!(
            (new_client.earlier_advice, new_client.returning),
            (0, false)
        );
        assert_eq!(
            s.get_advice(first).await.unwrap().categories,
            ["MIE.NAJ", "MIE.EKS"],
            "in the categories' order"
        );
        for id in [first, anon, back_by_code, back_by_person, marked] {
            t.add(&format!("get {id}"), &s.get_advice(id).await.unwrap());
        }

        let today = day("2026-03-15");
        let all = s
            .list_advice(&query(|_| {}), (None, None), today)
            .await
            .unwrap();
        assert_eq!(all.total, 9);
        assert_eq!(ids(&all)[..3], [marked, back_by_person, back_by_code]);
        assert_eq!(all.items[8].id, last_year);
        let row = all.items.iter().find(|r| r.id == first).unwrap();
        assert_eq!(row.client, "Kowalska Anna");
        assert_eq!(row.categories, "eksmisja, najem lokalu");
        t.add("list", &all);
        let filters: Vec<(&str, AdviceQuery, Range, Vec<i64>)> = vec![
            (
                "name",
                query(|q| q.text = Some("kowal".into())),
                (None, None),
                vec![back_by_person, first],
            ),
            (
                "name folded",
                query(|q| q.text = Some("NOWAK".into())),
                (None, None),
                vec![marked],
            ),
            (
                "code without dashes",
                query(|q| q.text = Some("k20260001".into())),
                (None, None),
                vec![back_by_code, anon],
            ),
            (
                "category name",
                query(|q| q.text = Some("Eksmisja".into())),
                (None, None),
                vec![first],
            ),
            (
                "main category",
                query(|q| q.category = Some("MIE".into())),
                (None, None),
                vec![back_by_person, first],
            ),
            (
                "subcategory",
                query(|q| q.category = Some("ZAD.KOM".into())),
                (None, None),
                vec![anon],
            ),
            (
                "person",
                query(|q| q.person_id = Some(2)),
                (None, None),
                vec![marked],
            ),
            (
                "advisor",
                query(|q| q.advisor = Some(" Anna Doradczyni ".into())),
                (Some(day("2026-03-01")), None),
                vec![marked, back_by_person, back_by_code],
            ),
            (
                "range",
                query(|_| {}),
                (Some(day("2025-12-01")), Some(day("2026-01-31"))),
                vec![first, last_year],
            ),
            (
                "follow-ups due",
                query(|q| q.follow_ups_due = true),
                (None, None),
                vec![marked],
            ),
            (
                "nothing",
                query(|q| q.text = Some("zzz".into())),
                (None, None),
                vec![],
            ),
            (
                "a backslash is a letter",
                query(|q| q.text = Some("\\".into())),
                (None, None),
                vec![],
            ),
        ];
        for (label, q, range, expected) in filters {
            let page = s.list_advice(&q, range, today).await.unwrap();
            assert_eq!(ids(&page), expected, "{label}");
            assert_eq!(page.total as usize, expected.len(), "{label}");
            t.add(label, &page);
        }
        let second_page = s
            .list_advice(
                &query(|q| {
                    q.limit = 4;
                    q.offset = 4;
                }),
                (None, None),
                today,
            )
            .await
            .unwrap();
        assert_eq!(
            (
                second_page.items.len(),
                second_page.total,
                second_page.offset
            ),
            (4, 9, 4)
        );
        t.add("page 2", &second_page);

        // A change: other categories, the follow-up done, the client now registered; an
        // anonymous client left without a code gets the next one.
        s.update_advice(
            anon,
            &AdviceDraft {
                follow_up_done: true,
                ..advice(
                    "2026-02-01",
                    Some(2),
                    Some("K-2026-0001"),
                    &["ZAD.UPA", "ZAD.KOM"],
                )
            },
            "Ewa",
            None,
        )
        .await
        .unwrap();
        let changed = s.get_advice(anon).await.unwrap();
        assert_eq!(changed.categories, ["ZAD.KOM", "ZAD.UPA"]);
        assert_eq!(changed.person_name.as_deref(), Some("Jan Nowak"));
        t.add("changed", &changed);
        s.update_advice(
            anon2,
            &advice("2026-02-01", None, None, &["KON"]),
            "Ewa",
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            s.get_advice(anon2).await.unwrap().client_code.as_deref(),
            Some("K-2026-0052")
        );
        t.add(
            "update missing",
            &error_of(
                s.update_advice(
                    99,
                    &advice("2026-02-01", None, Some("K-1"), &["INN"]),
                    "Ewa",
                    None,
                )
                .await,
            ),
        );
        t.add(
            "unknown person",
            &error_of(
                s.insert_advice(&advice("2026-02-01", Some(99), None, &["INN"]))
                    .await,
            ),
        );
        s.delete_advice(back_by_code).await.unwrap();
        t.add("deleted", &error_of(s.get_advice(back_by_code).await));
        t.add(
            "delete missing",
            &error_of(s.delete_advice(back_by_code).await),
        );
        s.insert_advice_many(&[
            advice("2026-04-01", None, Some("K-2026-0100"), &["INN"]),
            advice("2026-04-02", Some(1), None, &["INN"]),
        ])
        .await
        .unwrap();
        let after = s
            .list_advice(&query(|_| {}), (None, None), today)
            .await
            .unwrap();
        assert_eq!(after.total, 10);
        t.add("after", &after);
        t
    }

    #[tokio::test]
    async fn advice_story_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let lite = advice_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            advice_story(&pg).await.assert_same_as(&lite);
        }
    }

    /// Eight anonymous clients saved at the same moment (eight PCs): eight different codes,
    /// one after another.
    async fn codes_given_at_once(s: &(impl AdviceStore + Clone + 'static)) {
        let mut saves = Vec::new();
        for _ in 0..8 {
            let s = s.clone();
            saves.push(tokio::spawn(async move {
                s.insert_advice(&advice("2026-05-05", None, None, &["INN"]))
                    .await
            }));
        }
        let mut codes = Vec::new();
        for save in saves {
            let id = save.await.unwrap().unwrap();
            codes.push(s.get_advice(id).await.unwrap().client_code.unwrap());
        }
        codes.sort();
        let expected: Vec<String> = (1..=8).map(|n| format!("K-2026-{n:04}")).collect();
        assert_eq!(codes, expected);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn advice_client_codes_saved_at_once_stay_unique_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        codes_given_at_once(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            codes_given_at_once(&pg).await;
        }
    }
}
