//! Advice records' operations: categories, saving with the client's code, listing.

use crate::error::{Error, Result};
use crate::register::*;
use crate::Kartoteka;
use chrono::Local;

impl Kartoteka {
    // ----- advice ----------------------------------------------------------------------------

    pub async fn advice_categories(&self) -> Result<Vec<crate::advice::AdviceCategory>> {
        self.store.advice_categories().await
    }

    /// Saves a new advice record (`id` None) or changes one. An anonymous client without a code
    /// gets the next free one (K-2026-0001), so that returning clients can be counted.
    pub async fn save_advice(
        &self,
        id: Option<i64>,
        input: &crate::advice::AdviceInput,
    ) -> Result<i64> {
        let today = Local::now().date_naive();
        let known: Vec<String> = self
            .store
            .advice_categories()
            .await?
            .into_iter()
            .filter(|c| c.active)
            .map(|c| c.code)
            .collect();
        // An anonymous client without a code gets the next free one from the store, in the
        // same transaction as the record: two PCs saving at once never share a code.
        let draft = input.parse(&known, today)?;
        let id = match id {
            Some(id) => {
                self.store
                    .update_advice(id, &draft, &self.user_name(), input.revision)
                    .await?;
                id
            }
            None => self.store.insert_advice(&draft).await?,
        };
        tracing::info!(advice = id, "advice saved");
        Ok(id)
    }

    /// Adds or renames a problem category (code: letters, digits and dots, e.g. ZAD.KOM).
    pub async fn save_advice_category(
        &self,
        code: &str,
        parent: Option<&str>,
        name: &str,
        active: bool,
    ) -> Result<()> {
        let code = code.trim().to_uppercase();
        if code.is_empty()
            || code.len() > 16
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        {
            return Err(Error::invalid(
                "code",
                "Kod to litery, cyfry i kropki (np. ZAD.KOM), najwyżej 16 znaków.",
            ));
        }
        let name = crate::text::clean_line(name)
            .filter(|n| n.chars().count() <= 120)
            .ok_or_else(|| Error::invalid("name", "Podaj nazwę kategorii."))?;
        let parent = parent.map(str::trim).filter(|p| !p.is_empty());
        self.store
            .save_advice_category(&code, parent, &name, active)
            .await
    }

    pub async fn save_consultation_topic(
        &self,
        code: &str,
        name: &str,
        active: bool,
    ) -> Result<()> {
        let code = code.trim().to_uppercase();
        if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::invalid(
                "code",
                "Kod to litery i cyfry (np. WNI), najwyżej 16 znaków.",
            ));
        }
        let name = crate::text::clean_line(name)
            .filter(|n| n.chars().count() <= 120)
            .ok_or_else(|| Error::invalid("name", "Podaj nazwę tematu."))?;
        self.store
            .save_consultation_topic(&code, &name, active)
            .await
    }

    pub async fn advice(&self, id: i64) -> Result<crate::advice::AdviceRecord> {
        self.store.get_advice(id).await
    }

    pub async fn delete_advice(&self, id: i64) -> Result<()> {
        self.store.delete_advice(id).await?;
        tracing::info!(advice = id, "advice deleted");
        Ok(())
    }

    pub async fn list_advice(
        &self,
        query: &crate::advice::AdviceQuery,
    ) -> Result<Page<crate::advice::AdviceRow>> {
        let range = crate::advice::parse_range(query)?;
        self.store
            .list_advice(query, range, Local::now().date_naive())
            .await
    }
}
