//! The starosta's figures for a period: help given counted from the cards by kind, area of law,
//! form, profession and time, remote against in the point, statements, and the opinions typed
//! in from the urn. Counted here from plain facts, so both backends give the same numbers.

use crate::legal_aid::{AidType, CardFacts, ListEntry, Opinion, NO_STATEMENT_REASONS};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count {
    pub code: String,
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StarostaFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The point counted, or None for every point of the office.
    pub point: Option<String>,
    pub list_version: String,
    /// Pieces of help (cards).
    pub cards: i64,
    pub by_aid_type: Vec<Count>,
    /// A card may record several kinds, so these add up to more than `cards`.
    pub by_help_kind: Vec<Count>,
    pub by_area: Vec<Count>,
    pub by_form: Vec<Count>,
    pub by_profession: Vec<Count>,
    pub by_time: Vec<Count>,
    pub remote: i64,
    pub in_point: i64,
    pub minutes_total: i64,
    /// Cards of a later visit in the same matter.
    pub repeat_visits: i64,
    pub statements_signed: i64,
    pub business_statements_signed: i64,
    pub by_no_statement_reason: Vec<Count>,
    pub opinions: i64,
    pub by_rating: Vec<Count>,
    /// Part B answers: (question field, [yes, no, unsure]).
    pub answers: Vec<AnswerCounts>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerCounts {
    pub field: String,
    pub question: String,
    pub yes: i64,
    pub no: i64,
    pub unsure: i64,
}

/// Time bands as the figures print them (minutes, upper bound included).
const TIME_BANDS: [(&str, &str, i64); 5] = [
    ("to15", "do 15 min", 15),
    ("to30", "16–30 min", 30),
    ("to60", "31–60 min", 60),
    ("to120", "61–120 min", 120),
    ("over120", "ponad 120 min", i64::MAX),
];

fn counts_of(entries: &[ListEntry], kind: &str, codes: impl Iterator<Item = String>) -> Vec<Count> {
    let mut out: Vec<Count> = entries
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| Count {
            code: e.code.clone(),
            name: e.name.clone(),
            count: 0,
        })
        .collect();
    for code in codes {
        match out.iter_mut().find(|c| c.code == code) {
            Some(c) => c.count += 1,
            // An entry removed from the list still counts under its code.
            None => out.push(Count {
                name: code.clone(),
                code,
                count: 1,
            }),
        }
    }
    // Entries switched off and never used add nothing to the report.
    out.retain(|c| c.count > 0 || entries.iter().any(|e| e.code == c.code && e.active));
    out
}

/// Counts the figures from the period's cards (with their kinds of help) and opinions.
#[allow(clippy::too_many_arguments)]
pub fn starosta_figures(
    from: NaiveDate,
    to: NaiveDate,
    point: Option<String>,
    list_version: String,
    lists: &[ListEntry],
    cards: &[CardFacts],
    help_kinds: &[(i64, String)],
    opinions: &[Opinion],
) -> StarostaFigures {
    let by_aid_type = AidType::ALL
        .iter()
        .map(|t| Count {
            code: t.code().into(),
            name: t.name().into(),
            count: cards.iter().filter(|c| c.aid_type == t.code()).count() as i64,
        })
        .collect();
    let by_time = TIME_BANDS
        .iter()
        .enumerate()
        .map(|(i, (code, name, upper))| {
            let lower = if i == 0 { 0 } else { TIME_BANDS[i - 1].2 };
            Count {
                code: code.to_string(),
                name: name.to_string(),
                count: cards
                    .iter()
                    .filter(|c| c.minutes.is_some_and(|m| m > lower && m <= *upper))
                    .count() as i64,
            }
        })
        .collect();
    let by_no_statement_reason = NO_STATEMENT_REASONS
        .iter()
        .map(|(code, name)| Count {
            code: code.to_string(),
            name: name.to_string(),
            count: cards
                .iter()
                .filter(|c| c.no_statement_reason.as_deref() == Some(code))
                .count() as i64,
        })
        .collect();
    let by_rating = (1..=5)
        .rev()
        .map(|r| Count {
            code: r.to_string(),
            name: format!("ocena {r}"),
            count: opinions.iter().filter(|o| o.rating == Some(r)).count() as i64,
        })
        .collect();
    let answers = crate::legal_aid::OPINION_QUESTIONS
        .iter()
        .map(|(field, question)| {
            let of = |o: &Opinion| -> Option<String> {
                match *field {
                    "understandable" => o.understandable.clone(),
                    "helpful" => o.helpful.clone(),
                    _ => o.would_recommend.clone(),
                }
            };
            let n = |a: &str| {
                opinions
                    .iter()
                    .filter(|o| of(o).as_deref() == Some(a))
                    .count() as i64
            };
            AnswerCounts {
                field: field.to_string(),
                question: question.to_string(),
                yes: n("yes"),
                no: n("no"),
                unsure: n("unsure"),
            }
        })
        .collect();
    let counted: std::collections::HashSet<i64> = cards.iter().map(|c| c.advice_id).collect();
    StarostaFigures {
        from,
        to,
        point,
        list_version,
        cards: cards.len() as i64,
        by_aid_type,
        by_help_kind: counts_of(
            lists,
            "help",
            help_kinds
                .iter()
                .filter(|(id, _)| counted.contains(id))
                .map(|(_, code)| code.clone()),
        ),
        by_area: counts_of(lists, "area", cards.iter().map(|c| c.area.clone())),
        by_form: counts_of(lists, "form", cards.iter().map(|c| c.form.clone())),
        by_profession: counts_of(
            lists,
            "profession",
            cards.iter().map(|c| c.profession.clone()),
        ),
        by_time,
        remote: cards.iter().filter(|c| c.remote).count() as i64,
        in_point: cards.iter().filter(|c| !c.remote).count() as i64,
        minutes_total: cards.iter().filter_map(|c| c.minutes).sum(),
        repeat_visits: cards.iter().filter(|c| c.visits > 1).count() as i64,
        statements_signed: cards.iter().filter(|c| c.statement_signed).count() as i64,
        business_statements_signed: cards.iter().filter(|c| c.business_statement_signed).count()
            as i64,
        by_no_statement_reason,
        opinions: opinions.len() as i64,
        by_rating,
        answers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(id: i64, area: &str, form: &str, remote: bool, minutes: i64) -> CardFacts {
        CardFacts {
            advice_id: id,
            aid_type: "npp".into(),
            point_id: 1,
            profession: "radca".into(),
            form: form.into(),
            remote,
            area: area.into(),
            minutes: Some(minutes),
            visits: 1,
            statement_signed: !remote,
            business_statement_signed: false,
            no_statement_reason: remote.then(|| "remote".into()),
        }
    }

    #[test]
    fn every_card_is_counted_once_in_each_breakdown() {
        let lists = crate::legal_aid::lists::shipped_lists();
        let cards = vec![
            facts(1, "labour", "point", false, 15),
            facts(2, "labour", "phone", true, 16),
            facts(3, "family", "point", false, 200),
        ];
        let kinds = vec![(1, "info".into()), (1, "letter".into()), (3, "info".into())];
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let f = starosta_figures(
            d("2026-01-01"),
            d("2026-03-31"),
            None,
            "v".into(),
            &lists,
            &cards,
            &kinds,
            &[],
        );
        let sum = |v: &[Count]| v.iter().map(|c| c.count).sum::<i64>();
        assert_eq!(f.cards, 3);
        assert_eq!(sum(&f.by_area), 3);
        assert_eq!(sum(&f.by_form), 3);
        assert_eq!(sum(&f.by_time), 3);
        assert_eq!(sum(&f.by_profession), 3);
        assert_eq!(f.remote, 1);
        assert_eq!(f.in_point, 2);
        assert_eq!(f.minutes_total, 231);
        assert_eq!(
            f.by_help_kind
                .iter()
                .find(|c| c.code == "info")
                .unwrap()
                .count,
            2
        );
        assert_eq!(f.by_time[0].count, 1);
        assert_eq!(f.by_time[1].count, 1);
        assert_eq!(f.by_time[4].count, 1);
        assert_eq!(f.by_no_statement_reason[0].count, 1);
    }
}
