//! Consultations of draft local acts with organisations (art. 5 ust. 5): the draft, its period,
//! forms and where it was announced, the opinions received with how each was handled and why,
//! the outcome; and the consultation report, a PDF listing every opinion for publication.

use crate::error::{Error, FieldError, Result};
use crate::pdf::{finish_pdf, Layout, Placed, Weight, BOTTOM, LEFT, RIGHT};
use crate::register::{parse_date, MAX_FIELD_CHARS};
use crate::text::{clean_block, clean_line};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How a consultation was held.
pub const CONSULTATION_FORMS: [(&str, &str); 3] = [
    ("form", "formularz konsultacyjny"),
    ("email", "uwagi pocztą elektroniczną"),
    ("meeting", "otwarte spotkanie konsultacyjne"),
];

/// How an opinion was handled.
pub const HANDLINGS: [(&str, &str); 4] = [
    ("pending", "nierozpatrzona"),
    ("accepted", "uwzględniona"),
    ("partly", "uwzględniona częściowo"),
    ("rejected", "nieuwzględniona"),
];

pub fn handling_label(code: &str) -> &'static str {
    HANDLINGS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("nierozpatrzona")
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActConsultationInput {
    pub title: String,
    /// e.g. "uchwała rady miasta", "zarządzenie prezydenta".
    pub act_kind: String,
    /// The ordinance that opened the consultation.
    pub ordinance: String,
    pub starts_on: String,
    pub ends_on: String,
    /// Codes of `CONSULTATION_FORMS`.
    pub forms: Vec<String>,
    pub announced_where: String,
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActConsultationDraft {
    pub title: String,
    pub act_kind: String,
    pub ordinance: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Comma-joined codes, in the list's order.
    pub forms: String,
    pub announced_where: Option<String>,
    pub outcome: Option<String>,
}

fn line(errors: &mut Vec<FieldError>, field: &str, raw: &str, message: &str) -> String {
    clean_line(raw)
        .filter(|t| t.chars().count() <= 500)
        .unwrap_or_else(|| {
            errors.push(FieldError::new(field, message));
            String::new()
        })
}

fn date(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> NaiveDate {
    parse_date(raw).unwrap_or_else(|e| {
        errors.push(FieldError::new(field, e.0));
        NaiveDate::MIN
    })
}

fn block(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<String> {
    if raw.chars().count() > MAX_FIELD_CHARS {
        errors.push(FieldError::new(
            field,
            "Tekst jest za długi (najwyżej 10 000 znaków).",
        ));
    }
    clean_block(raw)
}

impl ActConsultationInput {
    pub fn parse(&self) -> Result<ActConsultationDraft> {
        let mut errors = Vec::new();
        let title = line(
            &mut errors,
            "title",
            &self.title,
            "Podaj tytuł projektu aktu.",
        );
        let act_kind = line(
            &mut errors,
            "act_kind",
            &self.act_kind,
            "Podaj rodzaj aktu, np. uchwała rady miasta.",
        );
        let starts_on = date(&mut errors, "starts_on", &self.starts_on);
        let ends_on = date(&mut errors, "ends_on", &self.ends_on);
        if ends_on < starts_on && ends_on != NaiveDate::MIN {
            errors.push(FieldError::new(
                "ends_on",
                "Koniec konsultacji jest przed ich początkiem.",
            ));
        }
        let mut forms = Vec::new();
        for (code, _) in CONSULTATION_FORMS {
            if self.forms.iter().any(|f| f == code) {
                forms.push(code);
            }
        }
        if self
            .forms
            .iter()
            .any(|f| !CONSULTATION_FORMS.iter().any(|(c, _)| c == f))
        {
            errors.push(FieldError::new(
                "forms",
                "Wybierz formy konsultacji z listy.",
            ));
        }
        let ordinance = clean_line(&self.ordinance);
        let announced_where = block(&mut errors, "announced_where", &self.announced_where);
        let outcome = block(&mut errors, "outcome", &self.outcome);
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(ActConsultationDraft {
            title,
            act_kind,
            ordinance,
            starts_on,
            ends_on,
            forms: forms.join(","),
            announced_where,
            outcome,
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct ActConsultation {
    pub id: i64,
    pub title: String,
    pub act_kind: String,
    pub ordinance: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub forms: String,
    pub announced_where: Option<String>,
    pub outcome: Option<String>,
    pub opinions: i64,
    /// The notice sent to organisations through the mail queue, once prepared.
    pub notice_message_id: Option<i64>,
}

/// What preparing a consultation's notice made: the list, the draft message and how many it
/// reaches.
#[derive(Debug, Clone, Serialize)]
pub struct ConsultationNotice {
    pub list_id: i64,
    pub message_id: i64,
    pub count: crate::mail::AudienceCount,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActConsultationQuery {
    /// The year the consultation began in; none: every year.
    pub year: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OpinionInput {
    pub consultation_id: i64,
    /// The organisation from the register, when it is there…
    pub organization_id: Option<i64>,
    /// …else who sent it (a group of residents, an organisation not in the register).
    pub author: String,
    pub received_on: String,
    pub section: String,
    pub comment: String,
    pub handling: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpinionDraft {
    pub consultation_id: i64,
    pub organization_id: Option<i64>,
    /// Filled from the register when an organisation is chosen.
    pub author: Option<String>,
    pub received_on: NaiveDate,
    pub section: Option<String>,
    pub comment: String,
    pub handling: String,
    pub reason: Option<String>,
}

impl OpinionInput {
    pub fn parse(&self) -> Result<OpinionDraft> {
        let mut errors = Vec::new();
        let organization_id = self.organization_id.filter(|o| *o > 0);
        let author = clean_line(&self.author).filter(|a| a.chars().count() <= 300);
        if organization_id.is_none() && author.is_none() {
            errors.push(FieldError::new(
                "organization_id",
                "Wybierz organizację z rejestru albo wpisz, kto zgłosił uwagę.",
            ));
        }
        let received_on = date(&mut errors, "received_on", &self.received_on);
        let comment = block(&mut errors, "comment", &self.comment).unwrap_or_else(|| {
            errors.push(FieldError::new("comment", "Wpisz treść uwagi."));
            String::new()
        });
        let handling = match self.handling.trim() {
            "" => "pending",
            h => match HANDLINGS.iter().find(|(c, _)| *c == h) {
                Some((c, _)) => *c,
                None => {
                    errors.push(FieldError::new(
                        "handling",
                        "Wybierz sposób rozpatrzenia z listy.",
                    ));
                    "pending"
                }
            },
        };
        let reason = block(&mut errors, "reason", &self.reason);
        if matches!(handling, "partly" | "rejected") && reason.is_none() {
            errors.push(FieldError::new(
                "reason",
                "Uzasadnij, dlaczego uwagi nie uwzględniono (w całości).",
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(OpinionDraft {
            consultation_id: self.consultation_id,
            organization_id,
            author,
            received_on,
            section: clean_line(&self.section),
            comment,
            handling: handling.to_string(),
            reason,
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, sqlx::FromRow)]
pub struct Opinion {
    pub id: i64,
    pub consultation_id: i64,
    pub organization_id: Option<i64>,
    pub author: String,
    pub received_on: NaiveDate,
    pub section: Option<String>,
    pub comment: String,
    pub handling: String,
    pub reason: Option<String>,
}

/// The consultation report: the draft, the period and forms, then every opinion as a row of
/// a numbered table (who and when, the section, the comment, how it was handled and why; long
/// comments continue on the next page), then the outcome.
pub fn consultation_pdf(
    c: &ActConsultation,
    opinions: &[Opinion],
    office: &str,
    today: NaiveDate,
) -> Result<(Vec<u8>, usize)> {
    let mut layout = Layout::new();
    layout.new_page();
    let heading = format!("Sprawozdanie z konsultacji projektu: {}", c.title);
    let forms = c
        .forms
        .split(',')
        .filter_map(|f| CONSULTATION_FORMS.iter().find(|(c, _)| *c == f))
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join(", ");
    let mut lines: Vec<String> = Vec::new();
    if !office.is_empty() {
        lines.push(format!("Sporządził: {office}"));
    }
    lines.push(format!("Rodzaj aktu: {}", c.act_kind));
    if let Some(o) = &c.ordinance {
        lines.push(format!("Konsultacje ogłoszone: {o}"));
    }
    lines.push(format!(
        "Termin konsultacji: {} – {}",
        c.starts_on.format("%d.%m.%Y"),
        c.ends_on.format("%d.%m.%Y")
    ));
    if !forms.is_empty() {
        lines.push(format!("Formy konsultacji: {forms}"));
    }
    if let Some(w) = &c.announced_where {
        lines.push(format!("Miejsce ogłoszenia: {w}"));
    }
    lines.push(format!("Zgłoszone uwagi: {}", opinions.len()));
    let mut items: Vec<(Weight, f32, &str)> = vec![(Weight::Bold, 15.0, &heading)];
    for l in &lines {
        items.push((Weight::Regular, 10.0, l));
    }
    let b = layout.block(&items, 14.0);
    layout.place(&b, 0.0);
    let b = layout.block(
        &[(
            Weight::Bold,
            13.0,
            "Tabela 1. Zgłoszone uwagi i sposób ich rozpatrzenia",
        )],
        6.0,
    );
    layout.place(&b, 60.0);
    // Lp. | who and when | section | comment | handling and reason
    let cols = [
        LEFT,
        LEFT + 24.0,
        LEFT + 134.0,
        LEFT + 194.0,
        LEFT + 354.0,
        RIGHT,
    ];
    let titles = [
        "Lp.",
        "Zgłaszający, data",
        "Fragment",
        "Treść uwagi",
        "Rozpatrzenie",
    ];
    let size = 8.5;
    let lh = size * 1.25;
    let header = |layout: &mut Layout| {
        let top = layout.y;
        let page = layout.pages.last_mut().expect("a page");
        for (i, t) in titles.iter().enumerate() {
            page.texts.push(Placed {
                x: cols[i] + 3.0,
                y: top - 13.0,
                size,
                weight: Weight::Bold,
                text: t.to_string(),
            });
        }
        page.rules.push((LEFT, top, RIGHT, top));
        page.rules.push((LEFT, top - 18.0, RIGHT, top - 18.0));
        for x in cols {
            page.rules.push((x, top, x, top - 18.0));
        }
        layout.y = top - 18.0;
    };
    if layout.y - 60.0 < BOTTOM {
        layout.new_page();
    }
    header(&mut layout);
    if opinions.is_empty() {
        let b = layout.block(
            &[(
                Weight::Regular,
                10.0,
                "W terminie konsultacji nie zgłoszono uwag.",
            )],
            8.0,
        );
        layout.y -= 6.0;
        layout.place(&b, 0.0);
    }
    for (n, o) in opinions.iter().enumerate() {
        let handling = match &o.reason {
            Some(r) => format!("{}. {r}", handling_label(&o.handling)),
            None => handling_label(&o.handling).to_string(),
        };
        let texts = [
            format!("{}.", n + 1),
            format!("{}, {}", o.author, o.received_on.format("%d.%m.%Y")),
            o.section.clone().unwrap_or_else(|| "—".into()),
            o.comment.clone(),
            handling,
        ];
        let cells: Vec<Vec<String>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                t.split('\n')
                    .flat_map(|p| layout.regular.wrap(p, size, cols[i + 1] - cols[i] - 6.0))
                    .collect()
            })
            .collect();
        let rows = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        // A row continues on the next page when it does not fit (a long comment); the
        // header is repeated there.
        let mut first = 0;
        while first < rows {
            let room = ((layout.y - BOTTOM - 8.0) / lh).floor() as usize;
            if room < 2 {
                layout.new_page();
                header(&mut layout);
                continue;
            }
            let take = (rows - first).min(room);
            let top = layout.y;
            let height = take as f32 * lh + 8.0;
            let page = layout.pages.last_mut().expect("a page");
            for (col, lines) in cells.iter().enumerate() {
                for (i, l) in lines.iter().skip(first).take(take).enumerate() {
                    page.texts.push(Placed {
                        x: cols[col] + 3.0,
                        y: top - 11.0 - i as f32 * lh,
                        size,
                        weight: Weight::Regular,
                        text: l.clone(),
                    });
                }
            }
            page.rules.push((LEFT, top - height, RIGHT, top - height));
            for x in cols {
                page.rules.push((x, top, x, top - height));
            }
            layout.y = top - height;
            first += take;
        }
    }
    layout.y -= 16.0;
    let outcome = c
        .outcome
        .clone()
        .unwrap_or_else(|| "Nie wpisano wyniku konsultacji.".into());
    let b = layout.block(
        &[
            (Weight::Bold, 12.0, "Wynik konsultacji"),
            (Weight::Regular, 10.0, &outcome),
        ],
        8.0,
    );
    layout.place(&b, 0.0);
    finish_pdf(layout, &heading, today, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_opinion_not_taken_needs_its_reason() {
        let mut o = OpinionInput {
            consultation_id: 1,
            author: "Rada Osiedla Czuby".into(),
            received_on: "2026-03-02".into(),
            comment: "Wydłużyć termin składania ofert.".into(),
            handling: "rejected".into(),
            ..Default::default()
        };
        let Err(Error::Invalid(e)) = o.parse() else {
            panic!("refused without a reason")
        };
        assert_eq!(e[0].field, "reason");
        o.reason = "Termin wynika z ustawy.".into();
        assert_eq!(
            o.parse().unwrap().author.as_deref(),
            Some("Rada Osiedla Czuby")
        );
        o.author = String::new();
        let Err(Error::Invalid(e)) = o.parse() else {
            panic!("refused without an author")
        };
        assert_eq!(e[0].field, "organization_id");
    }

    #[test]
    fn a_long_comment_continues_on_the_next_page() {
        let c = ActConsultation {
            id: 1,
            title: "Program współpracy na 2027".into(),
            act_kind: "uchwała rady miasta".into(),
            ordinance: None,
            starts_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
            forms: "form,meeting".into(),
            announced_where: None,
            outcome: None,
            opinions: 2,
            notice_message_id: None,
        };
        let long = "Uwaga dotycząca zasad przyznawania dotacji. ".repeat(250);
        let opinions: Vec<Opinion> = (0..2)
            .map(|i| Opinion {
                id: i,
                consultation_id: 1,
                organization_id: None,
                author: format!("Fundacja {i}"),
                received_on: NaiveDate::from_ymd_opt(2026, 9, 10).unwrap(),
                section: Some("§ 5".into()),
                comment: long.clone(),
                handling: "accepted".into(),
                reason: None,
            })
            .collect();
        let today = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let (_, pages) = consultation_pdf(&c, &opinions, "", today).unwrap();
        assert!(pages >= 3, "{pages}");
    }
}
