//! SQLite: what a publication reads (consented organisations, public events, places for the
//! map) and the last publication's manifest.

use super::SqliteStore;
use crate::error::Result;
use crate::publish::map::OrganizationPlace;
use crate::publish::store::PublishStore;
use crate::publish::{Manifest, PublicEvent, PublicOrganization, Publication};
use chrono::NaiveDate;
use sqlx::Row;

#[async_trait::async_trait]
impl PublishStore for SqliteStore {
    async fn public_organizations(&self) -> Result<Vec<PublicOrganization>> {
        Ok(sqlx::query_as(
            "SELECT o.id, o.name, o.short_name, o.legal_form, o.krs, o.public_benefit, o.street, o.building,
                    o.postal_code, o.city, o.gmina, o.powiat, o.voivodeship,
                    (SELECT group_concat(value, '; ') FROM (SELECT value FROM organization_contacts c WHERE c.organization_id = o.id AND c.kind = 'phone' ORDER BY position)) AS phones,
                    (SELECT group_concat(value, '; ') FROM (SELECT value FROM organization_contacts c WHERE c.organization_id = o.id AND c.kind = 'email' ORDER BY position)) AS emails,
                    o.website,
                    (SELECT group_concat(area_code, '; ') FROM (SELECT a.area_code FROM organization_areas a JOIN activity_areas s ON s.code = a.area_code WHERE a.organization_id = o.id ORDER BY s.position)) AS areas,
                    o.description
             FROM organizations o
             WHERE o.directory_consent = 1 AND o.archived_at IS NULL
             ORDER BY o.name_key, o.id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn organization_places(&self, consented_only: bool) -> Result<Vec<OrganizationPlace>> {
        let rows = sqlx::query(
            "SELECT id, name, gmina, powiat, voivodeship FROM organizations
             WHERE archived_at IS NULL AND (directory_consent = 1 OR NOT ?)
             ORDER BY name_key, id",
        )
        .bind(consented_only)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| OrganizationPlace {
                id: r.get("id"),
                name: r.get("name"),
                gmina: r.get("gmina"),
                powiat: r.get("powiat"),
                voivodeship: r.get("voivodeship"),
            })
            .collect())
    }

    async fn public_events(&self, from: NaiveDate) -> Result<Vec<PublicEvent>> {
        Ok(sqlx::query_as(
            "SELECT id, title, kind, starts_at, ends_at, place, topic, description, capacity, updated_at
             FROM events WHERE public = 1 AND starts_at >= ? ORDER BY starts_at, id",
        )
        .bind(from.and_hms_opt(0, 0, 0))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn last_publication(&self) -> Result<Option<Publication>> {
        let row: Option<(String, String, String)> = sqlx::query_as(
            "SELECT published_at, folder, manifest FROM publications ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(published_at, folder, manifest)| Publication {
            published_at,
            folder,
            // A manifest an older or newer program cannot read only loses the differences.
            manifest: serde_json::from_str::<Manifest>(&manifest).unwrap_or_default(),
        }))
    }

    async fn record_publication(&self, p: &Publication) -> Result<()> {
        let manifest = serde_json::to_string(&p.manifest)
            .map_err(|e| crate::Error::BadArgument(e.to_string()))?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        // Only the last one is ever read: the table keeps one row.
        sqlx::query("DELETE FROM publications")
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO publications (published_at, folder, manifest) VALUES (?, ?, ?)")
            .bind(&p.published_at)
            .bind(&p.folder)
            .bind(manifest)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
