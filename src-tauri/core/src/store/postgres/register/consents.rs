//! PostgreSQL: people's and organisations' consents (granted, withdrawn, never deleted); the
//! same rules as `store/sqlite/register/consents.rs`, safe with several PCs writing at once.

use super::*;
use crate::error::{Error, Result};
use crate::history::ChangeNote;
use crate::store::postgres::history::write_changes;
use chrono::NaiveDate;
use sqlx::{PgConnection, Postgres, QueryBuilder};

#[async_trait::async_trait]
impl ConsentStore for PgStore {
    async fn insert_consents(
        &self,
        rows: &[(i64, ConsentChannel, NaiveDate, String, Option<NaiveDate>)],
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        Self::insert_consents_in(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(())
    }

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

impl PgStore {
    /// A consent can be granted again only after the open one is withdrawn, so each grant and
    /// withdrawal stays in the record as it happened. The owner's row is locked first: two PCs
    /// granting the same consent at once would otherwise both see none open and both insert.
    pub(crate) async fn grant_consent_of(
        &self,
        t: &ConsentTable,
        owner_id: i64,
        channel: &str,
        date: NaiveDate,
        source: &str,
        note: &ChangeNote<'_>,
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        // Table and column names come from the fixed `ConsentTable`s, never from input.
        let exists: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM {} WHERE id = $1 FOR UPDATE",
            t.owner_table
        ))
        .bind(owner_id)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            return Err(Error::NotFound(t.owner_name));
        }
        let open: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM {} WHERE {} = $1 AND channel = $2 AND withdrawn_on IS NULL LIMIT 1",
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
        let id: i64 = sqlx::query_scalar(&format!(
            "INSERT INTO {} ({}, channel, granted_on, source, recorded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            t.table, t.owner_column
        ))
        .bind(owner_id)
        .bind(channel)
        .bind(date)
        .bind(source)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
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
        let mut tx = self.pool.begin().await?;
        // Locked as read: of two PCs withdrawing at once, the second sees it withdrawn and is
        // told so, instead of both logging a withdrawal.
        let granted: Option<(NaiveDate, Option<NaiveDate>, i64)> = sqlx::query_as(&format!(
            "SELECT granted_on, withdrawn_on, {} FROM {} WHERE id = $1 FOR UPDATE",
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
                sqlx::query(&format!("UPDATE {} SET withdrawn_on = $1, withdrawal_source = $2 WHERE id = $3 AND withdrawn_on IS NULL", t.table))
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
        tx: &mut PgConnection,
        rows: &[(i64, ConsentChannel, NaiveDate, String, Option<NaiveDate>)],
    ) -> Result<()> {
        let stamp = now();
        for chunk in rows.chunks(PG_BATCH) {
            let mut qb: QueryBuilder<Postgres> =
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::{error_of, note, person, Transcript};
    use crate::register::*;
    use crate::store::postgres::testing::{fresh_pg, fresh_sqlite};
    use crate::store::{ConsentStore, HistoryStore, OrganizationStore, PersonStore};
    use chrono::NaiveDate;

    fn day(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    /// Grants and withdrawals kept as history: no second open grant, no withdrawal before the
    /// grant or twice, a new grant after a withdrawal, each with its change-log rows.
    async fn consents_story(
        s: &(impl PersonStore + ConsentStore + OrganizationStore + HistoryStore),
    ) -> Transcript {
        let mut t = Transcript::default();
        let ids = s
            .insert_people(&[
                person("Maria", "Kowalczyk", "maria@example.org", &[]),
                person("Bogdan", "Źrebiec", "", &[]),
            ])
            .await
            .unwrap();
        assert_eq!(ids, vec![1, 2]);
        let granted = note("Ewa", "consent", "biuletyn");
        let first = s
            .grant_consent(
                1,
                ConsentChannel::EmailBulletin,
                day("2026-01-10"),
                "formularz",
                &granted,
            )
            .await
            .unwrap();
        assert_eq!(first, 1);
        let again = error_of(
            s.grant_consent(
                1,
                ConsentChannel::EmailBulletin,
                day("2026-01-11"),
                "telefon",
                &granted,
            )
            .await,
        );
        assert!(again.contains("channel"), "{again}");
        t.add("granted twice", &again);
        t.add(
            "grant to nobody",
            &error_of(
                s.grant_consent(99, ConsentChannel::Phone, day("2026-01-11"), "x", &granted)
                    .await,
            ),
        );
        let withdrawn = note("Ewa", "consent", "wycofana");
        let early = error_of(
            s.withdraw_consent(first, day("2026-01-01"), "e-mail", &withdrawn)
                .await,
        );
        assert!(early.contains("date"), "{early}");
        t.add("withdrawn before granted", &early);
        s.withdraw_consent(first, day("2026-02-01"), "e-mail", &withdrawn)
            .await
            .unwrap();
        t.add(
            "withdrawn twice",
            &error_of(
                s.withdraw_consent(first, day("2026-02-02"), "e-mail", &withdrawn)
                    .await,
            ),
        );
        t.add(
            "withdraw nothing",
            &error_of(
                s.withdraw_consent(99, day("2026-02-02"), "e-mail", &withdrawn)
                    .await,
            ),
        );
        let renewed = s
            .grant_consent(
                1,
                ConsentChannel::EmailBulletin,
                day("2026-03-01"),
                "formularz",
                &granted,
            )
            .await
            .unwrap();
        s.grant_consent(
            1,
            ConsentChannel::Phone,
            day("2026-03-01"),
            "rozmowa",
            &granted,
        )
        .await
        .unwrap();
        assert_ne!(renewed, first);
        s.insert_consents(&[
            (
                2,
                ConsentChannel::Publication,
                day("2025-05-05"),
                "ankieta".into(),
                None,
            ),
            (
                2,
                ConsentChannel::Phone,
                day("2025-05-05"),
                "ankieta".into(),
                Some(day("2025-06-01")),
            ),
        ])
        .await
        .unwrap();

        let maria = s.get_person(1).await.unwrap();
        let seen: Vec<(&str, NaiveDate, Option<NaiveDate>)> = maria
            .consents
            .iter()
            .map(|c| (c.channel.as_str(), c.granted_on, c.withdrawn_on))
            .collect();
        assert_eq!(seen.len(), 3);
        assert_eq!(
            seen[2],
            ("email_bulletin", day("2026-01-10"), Some(day("2026-02-01")))
        );
        t.add("maria", &maria);
        t.add("bogdan", &s.get_person(2).await.unwrap());
        let history = s.changes("person", 1, 50).await.unwrap();
        assert_eq!(history.len(), 4, "{history:?}");
        t.add("history", &history);
        let export = s
            .export_people(&PersonQuery {
                limit: 50,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(export[0].consents.as_deref(), Some("email_bulletin; phone"));
        assert_eq!(export[1].consents.as_deref(), Some("publication"));
        t.add("export", &export);
        t
    }

    #[tokio::test]
    async fn register_consents_alike_on_both_backends() {
        let (_dir, sqlite) = fresh_sqlite().await;
        let expected = consents_story(&sqlite).await;
        if let Some(pg) = fresh_pg().await {
            consents_story(&pg).await.assert_same_as(&expected);
        }
    }
}
