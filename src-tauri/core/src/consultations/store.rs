//! The consultations domain's part of the store contract: what its operations need from a backend,
//! in domain types only. Each backend implements it (`store/sqlite/` today).

use crate::consultations::{Consultation, ConsultationDraft, ConsultationQuery, ConsultationTopic};
use crate::error::Result;
use crate::register::*;

/// The store's part for consultations.
#[async_trait::async_trait]
pub trait ConsultationStore: Send + Sync {
    async fn consultation_topics(&self) -> Result<Vec<ConsultationTopic>>;

    async fn save_consultation(&self, id: Option<i64>, d: &ConsultationDraft) -> Result<i64>;

    async fn delete_consultation(&self, id: i64) -> Result<()>;

    async fn get_consultation(&self, id: i64) -> Result<Consultation>;

    async fn list_consultations(&self, q: &ConsultationQuery) -> Result<Page<Consultation>>;
}
