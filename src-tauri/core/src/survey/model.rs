//! The yearly needs survey (seed 003): training topics offered for a year and the organisations
//! that chose each, ranked by how many chose it, to plan the year's trainings.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct SurveyTopic {
    pub id: i64,
    pub name: String,
    /// Organisations that chose it, in Polish order: (id, name).
    pub organizations: Vec<(i64, String)>,
}

/// The survey of a year with topics ranked: most chosen first, ties in the order offered.
#[derive(Debug, Clone, Serialize)]
pub struct Survey {
    pub year: i32,
    pub topics: Vec<SurveyTopic>,
    pub organizations_answering: usize,
}
