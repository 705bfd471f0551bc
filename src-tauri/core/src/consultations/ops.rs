//! Consultations' operations: topics, saving, listing.

use crate::error::Result;
use crate::register::*;
use crate::Kartoteka;
use chrono::Local;

impl Kartoteka {
    // ----- consultations ---------------------------------------------------------------------

    pub async fn consultation_topics(
        &self,
    ) -> Result<Vec<crate::consultations::ConsultationTopic>> {
        self.store.consultation_topics().await
    }

    pub async fn save_consultation(
        &self,
        id: Option<i64>,
        input: &crate::consultations::ConsultationInput,
    ) -> Result<i64> {
        let topics: Vec<String> = self
            .store
            .consultation_topics()
            .await?
            .into_iter()
            .filter(|t| t.active)
            .map(|t| t.code)
            .collect();
        let draft = input.parse(&topics, Local::now().date_naive())?;
        let id = self.store.save_consultation(id, &draft).await?;
        tracing::info!(consultation = id, "consultation saved");
        Ok(id)
    }

    pub async fn consultation(&self, id: i64) -> Result<crate::consultations::Consultation> {
        self.store.get_consultation(id).await
    }

    pub async fn delete_consultation(&self, id: i64) -> Result<()> {
        self.store.delete_consultation(id).await
    }

    pub async fn consultations(
        &self,
        q: &crate::consultations::ConsultationQuery,
    ) -> Result<Page<crate::consultations::Consultation>> {
        self.store.list_consultations(q).await
    }
}
