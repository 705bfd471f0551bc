//! The needs survey's operations: topics per year and the organisations' choices.

use crate::error::{Error, Result};
use crate::Kartoteka;

impl Kartoteka {
    // ----- needs survey ----------------------------------------------------------------------

    pub async fn add_survey_topic(&self, year: i32, name: &str) -> Result<i64> {
        if !(2000..=2100).contains(&year) {
            return Err(Error::BadArgument(format!(
                "Rok {year} jest spoza zakresu 2000–2100."
            )));
        }
        let name = crate::text::clean_line(name)
            .filter(|n| n.chars().count() <= 200)
            .ok_or_else(|| {
                Error::invalid("name", "Podaj temat szkolenia (najwyżej 200 znaków).")
            })?;
        self.store.add_survey_topic(year, &name).await
    }

    pub async fn delete_survey_topic(&self, id: i64) -> Result<()> {
        self.store.delete_survey_topic(id).await
    }

    pub async fn set_survey_choice(
        &self,
        topic_id: i64,
        organization_id: i64,
        chosen: bool,
    ) -> Result<()> {
        self.store
            .set_survey_choice(topic_id, organization_id, chosen)
            .await
    }

    /// The survey of `year`, topics ranked by how many organisations chose them.
    pub async fn survey(&self, year: i32) -> Result<crate::survey::Survey> {
        let (topics, choices) = self.store.survey_rows(year).await?;
        let mut answering: Vec<i64> = choices.iter().map(|c| c.1).collect();
        answering.sort_unstable();
        answering.dedup();
        let mut ranked: Vec<(i64, crate::survey::SurveyTopic)> = topics
            .into_iter()
            .map(|(id, name, position)| {
                let organizations = choices
                    .iter()
                    .filter(|c| c.0 == id)
                    .map(|c| (c.1, c.2.clone()))
                    .collect();
                (
                    position,
                    crate::survey::SurveyTopic {
                        id,
                        name,
                        organizations,
                    },
                )
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.1.organizations
                .len()
                .cmp(&a.1.organizations.len())
                .then(a.0.cmp(&b.0))
        });
        Ok(crate::survey::Survey {
            year,
            topics: ranked.into_iter().map(|(_, t)| t).collect(),
            organizations_answering: answering.len(),
        })
    }
}
