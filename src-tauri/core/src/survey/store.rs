//! The survey domain's part of the store contract: what its operations need from a backend,
//! in domain types only. Each backend implements it (`store/sqlite/` today).

use crate::error::Result;

/// The store's part for the needs survey.
#[async_trait::async_trait]
pub trait SurveyStore: Send + Sync {
    async fn add_survey_topic(&self, year: i32, name: &str) -> Result<i64>;

    async fn delete_survey_topic(&self, id: i64) -> Result<()>;

    /// (topic id, topic name, position) and (topic id, organisation id, organisation name, name key).
    async fn survey_rows(
        &self,
        year: i32,
    ) -> Result<(Vec<(i64, String, i64)>, Vec<(i64, i64, String, Vec<u8>)>)>;

    async fn set_asset(&self, name: &str, data: &[u8]) -> Result<()>;

    async fn asset(&self, name: &str) -> Result<Option<Vec<u8>>>;

    async fn delete_asset(&self, name: &str) -> Result<()>;

    async fn set_survey_choice(
        &self,
        topic_id: i64,
        organization_id: i64,
        chosen: bool,
    ) -> Result<()>;
}
