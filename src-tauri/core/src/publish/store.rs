//! The publishing domain's part of the store contract: the public records (only what may be
//! published) and the last publication's manifest. Each backend implements it.

use crate::error::Result;
use crate::publish::map::OrganizationPlace;
use crate::publish::{PublicEvent, PublicOrganization, Publication};
use chrono::NaiveDate;

#[async_trait::async_trait]
pub trait PublishStore: Send + Sync {
    /// Active organisations that consented to publication in the directory, by name.
    async fn public_organizations(&self) -> Result<Vec<PublicOrganization>>;

    /// Where the active organisations are (all of them, or only those that consented).
    async fn organization_places(&self, consented_only: bool) -> Result<Vec<OrganizationPlace>>;

    /// Events marked public starting on `from` or later, by start.
    async fn public_events(&self, from: NaiveDate) -> Result<Vec<PublicEvent>>;

    async fn last_publication(&self) -> Result<Option<Publication>>;

    async fn record_publication(&self, publication: &Publication) -> Result<()>;
}
