//! SQLite: people's and organisations' consents (granted, withdrawn, never deleted).

use super::*;
use crate::error::{Error, Result};
use crate::history::ChangeNote;
use crate::store::sqlite::history::write_changes;
use chrono::NaiveDate;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

#[async_trait::async_trait]
impl ConsentStore for SqliteStore {
    async fn insert_consents(
        &self,
        rows: &[(i64, ConsentChannel, NaiveDate, String, Option<NaiveDate>)],
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Self::insert_consents_in(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(())
    }

    // ----- consents ---------------------------------------------------------------------

    async fn grant_consent(
        &self,
        person_id: i64,
        channel: ConsentChannel,
        date: NaiveDate,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<i64> {
        self.grant_consent_of(
            &PERSON_CONSENTS,
            person_id,
            channel.code(),
            date,
            source,
            note,
        )
        .await
    }

    async fn withdraw_consent(
        &self,
        consent_id: i64,
        date: NaiveDate,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<()> {
        self.withdraw_consent_of(&PERSON_CONSENTS, consent_id, date, source, note)
            .await
    }
}

impl SqliteStore {
    /// A consent can be granted again only after the open one is withdrawn, so each grant and
    /// withdrawal stays in the record as it happened.
    pub(crate) async fn grant_consent_of(
        &self,
        t: &ConsentTable,
        owner_id: i64,
        channel: &str,
        date: NaiveDate,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<i64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let exists: Option<i64> =
            sqlx::query_scalar(&format!("SELECT id FROM {} WHERE id = ?", t.owner_table))
                .bind(owner_id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Err(Error::NotFound(t.owner_name));
        }
        let open: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM {} WHERE {} = ? AND channel = ? AND withdrawn_on IS NULL",
            t.table, t.owner_column
        ))
        .bind(owner_id)
        .bind(channel)
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_some() {
            return Err(Error::invalid(
                t.duplicate_field,
                "Ta zgoda jest już udzielona. Aby ją odnowić, najpierw zarejestruj jej wycofanie.",
            ));
        }
        let id = sqlx::query(&format!(
            "INSERT INTO {} ({}, channel, granted_on, source, recorded_at) VALUES (?, ?, ?, ?, ?)",
            t.table, t.owner_column
        ))
        .bind(owner_id)
        .bind(channel)
        .bind(date)
        .bind(source)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        write_changes(&mut tx, t.owner_entity, owner_id, note.author, &note.rows).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub(crate) async fn withdraw_consent_of(
        &self,
        t: &ConsentTable,
        consent_id: i64,
        date: NaiveDate,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let granted: Option<(NaiveDate, Option<NaiveDate>, i64)> = sqlx::query_as(&format!(
            "SELECT granted_on, withdrawn_on, {} FROM {} WHERE id = ?",
            t.owner_column, t.table
        ))
        .bind(consent_id)
        .fetch_optional(&mut *tx)
        .await?;
        match granted {
            None => Err(Error::NotFound("zgoda")),
            Some((_, Some(_), _)) => Err(Error::invalid("date", "Ta zgoda została już wycofana.")),
            Some((g, None, _)) if date < g => Err(Error::invalid(
                "date",
                "Data wycofania nie może być wcześniejsza niż data udzielenia zgody.",
            )),
            Some((_, None, owner)) => {
                sqlx::query(&format!("UPDATE {} SET withdrawn_on = ?, withdrawal_source = ? WHERE id = ? AND withdrawn_on IS NULL", t.table))
                    .bind(date)
                    .bind(source)
                    .bind(consent_id)
                    .execute(&mut *tx)
                    .await?;
                write_changes(&mut tx, t.owner_entity, owner, note.author, &note.rows).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    }

    pub(crate) async fn insert_consents_in(
        tx: &mut SqliteConnection,
        rows: &[(i64, ConsentChannel, NaiveDate, String, Option<NaiveDate>)],
    ) -> Result<()> {
        let stamp = now();
        for chunk in rows.chunks(BATCH) {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO consents (person_id, channel, granted_on, source, withdrawn_on, withdrawal_source, recorded_at) ");
            qb.push_values(
                chunk,
                |mut b, (person, channel, granted, source, withdrawn)| {
                    b.push_bind(*person)
                        .push_bind(channel.code())
                        .push_bind(*granted)
                        .push_bind(source)
                        .push_bind(*withdrawn)
                        .push_bind(withdrawn.map(|_| "prośba e-mailem"))
                        .push_bind(&stamp);
                },
            );
            qb.build().execute(&mut *tx).await?;
        }
        Ok(())
    }
}
