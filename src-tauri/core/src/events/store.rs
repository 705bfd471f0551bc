//! The events domain's part of the store contract: what its operations need from a backend,
//! in domain types only. Each backend implements it (`store/sqlite/` today).

use crate::error::Result;
use crate::events::{Event, EventDraft, EventQuery, EventRow};
use crate::register::*;
use chrono::NaiveDate;

/// The store's part for events.
#[async_trait::async_trait]
pub trait EventStore: Send + Sync {
    async fn save_event(&self, id: Option<i64>, d: &EventDraft) -> Result<i64>;

    async fn delete_event(&self, id: i64) -> Result<()>;

    async fn get_event(&self, id: i64) -> Result<Event>;

    /// Removes a registration; a freed place goes to the first on the waiting list.
    async fn unregister(&self, registration_id: i64) -> Result<()>;

    async fn set_attended(&self, registration_id: i64, attended: bool) -> Result<()>;

    async fn list_events(&self, q: &EventQuery, today: NaiveDate) -> Result<Page<EventRow>>;

    /// Registers a person; once the capacity is taken they go on the waiting list.
    /// Returns "registered" or "waiting".
    async fn register_for_event(
        &self,
        event_id: i64,
        person_id: i64,
        organization_id: Option<i64>,
    ) -> Result<String>;
}
