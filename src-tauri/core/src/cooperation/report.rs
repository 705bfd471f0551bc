//! The report on the cooperation programme's execution (sprawozdanie z realizacji programu
//! współpracy, art. 5a ust. 3): every figure counted from the records with the previous year
//! beside it, numbered tables, the amounts granted per priority task as a vector chart, the
//! office's conclusions; as a PDF for the council and the BIP, an .xlsx, and JSON under stable
//! keys for the CLI.

use crate::error::{Error, FieldError, Result};
use crate::money::format_grosze;
use crate::pdf::{figures_table, finish_pdf, Layout, Placed, Weight, BOTTOM, LEFT, RIGHT};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// When the report is due, as day and month of the following year: 31 May since the 2023
/// amendment of art. 5a ust. 3 (older texts and some resolutions say 30 April).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CooperationSettings {
    pub report_due_day: u32,
    pub report_due_month: u32,
}

impl Default for CooperationSettings {
    fn default() -> Self {
        CooperationSettings {
            report_due_day: 31,
            report_due_month: 5,
        }
    }
}

impl CooperationSettings {
    pub fn parse(&self) -> Result<CooperationSettings> {
        // Any real day of the year (2025 is not a leap year: 29 February is refused).
        if !(1..=12).contains(&self.report_due_month) {
            return Err(Error::Invalid(vec![FieldError::new(
                "report_due_month",
                "Wybierz miesiąc z listy.",
            )]));
        }
        if NaiveDate::from_ymd_opt(2025, self.report_due_month, self.report_due_day).is_none() {
            return Err(Error::Invalid(vec![FieldError::new(
                "report_due_day",
                "Tego dnia nie ma w wybranym miesiącu: podaj dzień, np. 31 maja.",
            )]));
        }
        Ok(self.clone())
    }

    pub fn due_date(&self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.report_due_month, self.report_due_day)
    }
}

/// The counted figures of one year; the JSON keys are stable (the CLI's `--json`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, sqlx::FromRow)]
pub struct CooperationFigures {
    pub organizations: i64,
    pub organizations_with_offers: i64,
    pub organizations_granted: i64,
    pub competitions: i64,
    pub competition_funds_grosze: i64,
    pub offers: i64,
    pub offers_rejected_formal: i64,
    pub offers_refused: i64,
    pub offers_granted: i64,
    pub contracts: i64,
    pub granted_grosze: i64,
    pub small_offers: i64,
    pub small_contracts: i64,
    pub small_granted_grosze: i64,
    pub settled_accepted: i64,
    pub contracts_terminated: i64,
    pub returned_grosze: i64,
    pub act_consultations: i64,
    pub act_consultations_with_opinions: i64,
    pub opinions: i64,
    pub trainings: i64,
    pub training_participants: i64,
    pub premises_lent: i64,
    pub organizations_lent_premises: i64,
    pub teams: i64,
    pub organizations_in_teams: i64,
    pub team_meetings: i64,
    pub patronages: i64,
    pub information_published: i64,
    pub other_activities: i64,
    /// Organisations with any record of cooperation in the year: an offer, an opinion, a seat
    /// on a team, an entry of the log, a room lent.
    pub organizations_cooperating: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProgrammeSummary {
    pub resolution_number: String,
    pub resolution_date: NaiveDate,
    pub period_from: NaiveDate,
    pub period_until: NaiveDate,
    pub planned_grosze: i64,
    pub tasks: usize,
    pub forms: Option<String>,
}

impl From<&crate::cooperation::Programme> for ProgrammeSummary {
    fn from(p: &crate::cooperation::Programme) -> Self {
        ProgrammeSummary {
            resolution_number: p.resolution_number.clone(),
            resolution_date: p.resolution_date,
            period_from: p.period_from,
            period_until: p.period_until,
            planned_grosze: p.planned_grosze(),
            tasks: p.tasks.len(),
            forms: p.forms.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TaskGrants {
    pub task: String,
    pub planned_grosze: i64,
    pub granted_grosze: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AreaGrants {
    pub area: String,
    pub granted_grosze: i64,
    pub previous_grosze: i64,
}

/// Both years' spheres in one list, in the order the year's list has them, the previous
/// year's other spheres after.
pub(crate) fn merge_by_area(
    now: Vec<(String, i64)>,
    before: Vec<(String, i64)>,
) -> Vec<AreaGrants> {
    let mut out: Vec<AreaGrants> = now
        .into_iter()
        .map(|(area, granted_grosze)| AreaGrants {
            area,
            granted_grosze,
            previous_grosze: 0,
        })
        .collect();
    for (area, g) in before {
        match out.iter_mut().find(|a| a.area == area) {
            Some(a) => a.previous_grosze = g,
            None => out.push(AreaGrants {
                area,
                granted_grosze: 0,
                previous_grosze: g,
            }),
        }
    }
    out
}

/// Everything the report prints.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CooperationReport {
    pub year: i32,
    /// When it is due to the council (the setting applied to the following year).
    pub due: Option<NaiveDate>,
    pub office: String,
    pub programme: Option<ProgrammeSummary>,
    pub current: CooperationFigures,
    pub previous: CooperationFigures,
    pub by_task: Vec<TaskGrants>,
    pub by_area: Vec<AreaGrants>,
    pub conclusions: Option<String>,
}

fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

const MONTHS_GENITIVE: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];

fn long_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {} {}",
        d.day(),
        MONTHS_GENITIVE[d.month0() as usize],
        d.year()
    )
}

/// A figure as counted: a number of things, or an amount of money in grosze. The PDF prints
/// it, the .xlsx writes the number itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Figure {
    Count(i64),
    Money(i64),
}

impl Figure {
    fn printed(self) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Money(g) => format_grosze(g),
        }
    }
}

/// One table's rows: (label, this year, previous year).
type Rows = Vec<(String, Figure, Option<Figure>)>;

/// The rows as the PDF's figures table prints them.
fn printed(rows: &Rows) -> Vec<(String, String, Option<String>)> {
    rows.iter()
        .map(|(label, now, before)| (label.clone(), now.printed(), before.map(Figure::printed)))
        .collect()
}

/// The report's tables in order, with their figures as printed: the PDF and the .xlsx share
/// them, so the two never disagree.
pub(crate) fn tables(r: &CooperationReport) -> Vec<(String, Rows)> {
    let (now, before) = (&r.current, &r.previous);
    // A year with nothing recorded (before the office used Kartoteka) gets no column of zeros.
    let with_before = *before != CooperationFigures::default();
    let count = |label: &str, f: fn(&CooperationFigures) -> i64| {
        (
            label.to_string(),
            Figure::Count(f(now)),
            with_before.then(|| Figure::Count(f(before))),
        )
    };
    let money = |label: &str, f: fn(&CooperationFigures) -> i64| {
        (
            label.to_string(),
            Figure::Money(f(now)),
            with_before.then(|| Figure::Money(f(before))),
        )
    };
    let mut t: Vec<(String, Rows)> = vec![
        (
            "Organizacje pozarządowe w rejestrze i współpracujące".into(),
            vec![
                count("Organizacje w rejestrze (na koniec roku)", |f| {
                    f.organizations
                }),
                count("Organizacje współpracujące (w każdej formie)", |f| {
                    f.organizations_cooperating
                }),
                count("Organizacje, które złożyły oferty", |f| {
                    f.organizations_with_offers
                }),
                count("Organizacje, które otrzymały dotacje", |f| {
                    f.organizations_granted
                }),
            ],
        ),
        (
            "Otwarte konkursy ofert".into(),
            vec![
                count("Ogłoszone konkursy", |f| f.competitions),
                money("Środki przeznaczone w konkursach", |f| {
                    f.competition_funds_grosze
                }),
                count("Złożone oferty", |f| f.offers),
                count("Oferty odrzucone z przyczyn formalnych", |f| {
                    f.offers_rejected_formal
                }),
                count("Oferty bez dotacji", |f| f.offers_refused),
                count("Oferty z przyznaną dotacją", |f| f.offers_granted),
                count("Zawarte umowy", |f| f.contracts),
                money("Przyznane dotacje", |f| f.granted_grosze),
            ],
        ),
        (
            "Małe granty poza konkursem (art. 19a)".into(),
            vec![
                count("Oferty złożone w trybie art. 19a", |f| f.small_offers),
                count("Zawarte umowy", |f| f.small_contracts),
                money("Przyznane dotacje", |f| f.small_granted_grosze),
            ],
        ),
        (
            "Rozliczenie umów".into(),
            vec![
                count("Umowy rozliczone", |f| f.settled_accepted),
                count("Umowy rozwiązane", |f| f.contracts_terminated),
                money("Zwrócone dotacje", |f| f.returned_grosze),
            ],
        ),
    ];
    t.push((
        "Dotacje według sfer pożytku publicznego".into(),
        r.by_area
            .iter()
            .map(|a| {
                (
                    a.area.clone(),
                    Figure::Money(a.granted_grosze),
                    with_before.then_some(Figure::Money(a.previous_grosze)),
                )
            })
            .collect(),
    ));
    t.push((
        "Konsultacje projektów aktów prawa miejscowego".into(),
        vec![
            count("Projekty aktów skonsultowane z organizacjami", |f| {
                f.act_consultations
            }),
            count("Konsultacje, w których zgłoszono uwagi", |f| {
                f.act_consultations_with_opinions
            }),
            count("Zgłoszone uwagi", |f| f.opinions),
        ],
    ));
    t.push((
        "Współpraca pozafinansowa".into(),
        vec![
            count("Szkolenia dla organizacji", |f| f.trainings),
            count("Uczestnicy szkoleń (obecni)", |f| f.training_participants),
            count("Udostępnienia lokali organizacjom", |f| f.premises_lent),
            count("Organizacje korzystające z lokali", |f| {
                f.organizations_lent_premises
            }),
            count("Wspólne zespoły i grupy robocze", |f| f.teams),
            count("Organizacje w zespołach", |f| f.organizations_in_teams),
            count("Posiedzenia zespołów", |f| f.team_meetings),
            count("Patronaty", |f| f.patronages),
            count("Informacje opublikowane dla organizacji", |f| {
                f.information_published
            }),
            count("Inne formy współpracy", |f| f.other_activities),
        ],
    ));
    // Numbered as the council's template numbers them; an empty sphere table is left out.
    t.retain(|(_, rows)| !rows.is_empty());
    t.into_iter()
        .enumerate()
        .map(|(i, (title, rows))| (format!("Tabela {}. {title}", i + 1), rows))
        .collect()
}

/// The amounts granted per priority task as horizontal vector bars: planned in light grey,
/// granted dark over it, the amounts printed at the bar's end.
fn task_chart(layout: &mut Layout, tasks: &[TaskGrants], number: usize) {
    if tasks.is_empty() {
        return;
    }
    let bar_h = 9.0;
    let row_h = 34.0;
    let needed = 40.0 + row_h * tasks.len().min(4) as f32;
    if layout.y - needed < BOTTOM {
        layout.new_page();
    }
    let title = format!("Wykres {number}. Dotacje według zadań priorytetowych programu");
    let block = layout.block(&[(Weight::Bold, 13.0, &title)], 6.0);
    layout.place(&block, needed - 20.0);
    let max = tasks
        .iter()
        .map(|t| t.planned_grosze.max(t.granted_grosze))
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    let width = RIGHT - LEFT - 110.0;
    for t in tasks {
        if layout.y - row_h < BOTTOM {
            layout.new_page();
        }
        let label: String = layout
            .regular
            .wrap(&t.task, 9.0, RIGHT - LEFT)
            .into_iter()
            .next()
            .unwrap_or_default();
        let y = layout.y - 11.0;
        let bar_y = y - 16.0;
        let planned_w = t.planned_grosze as f32 / max * width;
        let granted_w = t.granted_grosze as f32 / max * width;
        let granted_text = format_grosze(t.granted_grosze);
        let planned_text = format!("plan: {}", format_grosze(t.planned_grosze));
        let page = layout.pages.last_mut().expect("a page");
        page.texts.push(Placed {
            x: LEFT,
            y,
            size: 9.0,
            weight: Weight::Regular,
            text: label,
        });
        page.boxes
            .push((LEFT, bar_y, planned_w.max(0.5), bar_h, 0.82));
        page.boxes
            .push((LEFT, bar_y, granted_w.max(0.5), bar_h, 0.25));
        page.texts.push(Placed {
            x: LEFT + planned_w.max(granted_w) + 4.0,
            y: bar_y + 1.5,
            size: 8.0,
            weight: Weight::Bold,
            text: granted_text,
        });
        page.texts.push(Placed {
            x: LEFT + planned_w.max(granted_w) + 4.0,
            y: bar_y - 8.0,
            size: 7.5,
            weight: Weight::Regular,
            text: planned_text,
        });
        layout.y -= row_h;
    }
    let legend_y = layout.y - 16.0;
    let page = layout.pages.last_mut().expect("a page");
    page.boxes.push((LEFT, legend_y, 8.0, 8.0, 0.25));
    page.texts.push(Placed {
        x: LEFT + 12.0,
        y: legend_y,
        size: 8.5,
        weight: Weight::Regular,
        text: "przyznane".into(),
    });
    page.boxes.push((LEFT + 80.0, legend_y, 8.0, 8.0, 0.82));
    page.texts.push(Placed {
        x: LEFT + 92.0,
        y: legend_y,
        size: 8.5,
        weight: Weight::Regular,
        text: "zaplanowane w programie".into(),
    });
    layout.y = legend_y - 22.0;
}

/// The report as a PDF: returns the bytes and the page count.
pub fn report_pdf(r: &CooperationReport, today: NaiveDate) -> Result<(Vec<u8>, usize)> {
    let mut layout = Layout::new();
    layout.new_page();
    let heading = format!(
        "Sprawozdanie z realizacji programu współpracy z organizacjami pozarządowymi za rok {}",
        r.year
    );
    let mut intro: Vec<String> = Vec::new();
    if !r.office.is_empty() {
        intro.push(format!("Sporządził: {}", r.office));
    }
    match &r.programme {
        Some(p) => {
            intro.push(format!(
                "Program przyjęty uchwałą nr {} z dnia {}, na okres {} – {}; zadań priorytetowych: {}, środki zaplanowane na dotacje: {}.",
                p.resolution_number,
                long_date(p.resolution_date),
                date(p.period_from),
                date(p.period_until),
                p.tasks,
                format_grosze(p.planned_grosze)
            ));
        }
        None => intro.push(format!(
            "W Kartotece nie wpisano programu współpracy na rok {}.",
            r.year
        )),
    }
    if let Some(due) = r.due {
        intro.push(format!(
            "Sprawozdanie przedkłada się radzie i publikuje w Biuletynie Informacji Publicznej do {} (art. 5a ust. 3 ustawy o działalności pożytku publicznego i o wolontariacie).",
            long_date(due)
        ));
    }
    intro.push(format!(
        "Liczby policzono z rejestru Kartoteki; obok każdej podano rok {}. Kwoty w złotych.",
        r.year - 1
    ));
    let mut items: Vec<(Weight, f32, &str)> = vec![(Weight::Bold, 15.0, &heading)];
    for p in &intro {
        items.push((Weight::Regular, 10.0, p));
    }
    let block = layout.block(&items, 14.0);
    layout.place(&block, 0.0);
    if let Some(forms) = r.programme.as_ref().and_then(|p| p.forms.as_deref()) {
        let block = layout.block(
            &[
                (Weight::Bold, 11.0, "Formy współpracy w programie"),
                (Weight::Regular, 10.0, forms),
            ],
            12.0,
        );
        layout.place(&block, 0.0);
    }
    let tables = tables(r);
    for (title, rows) in &tables {
        figures_table(&mut layout, title, &printed(rows), r.year);
    }
    task_chart(&mut layout, &r.by_task, 1);
    if !r.by_task.is_empty() {
        let rows: Rows = r
            .by_task
            .iter()
            .map(|t| {
                (
                    format!("{} (plan: {})", t.task, format_grosze(t.planned_grosze)),
                    Figure::Money(t.granted_grosze),
                    None,
                )
            })
            .collect();
        let title = format!(
            "Tabela {}. Dotacje według zadań priorytetowych",
            tables.len() + 1
        );
        figures_table(&mut layout, &title, &printed(&rows), r.year);
    }
    let block = layout.block(&[(Weight::Bold, 13.0, "Wnioski")], 6.0);
    layout.place(&block, 30.0);
    let conclusions = r.conclusions.clone().unwrap_or_else(|| {
        "Nie wpisano wniosków (Współpraca › Program › Wnioski do sprawozdania).".into()
    });
    for para in conclusions.split("\n\n") {
        let block = layout.block(&[(Weight::Regular, 10.5, para.trim())], 8.0);
        layout.place(&block, 0.0);
    }
    finish_pdf(layout, &heading, today, Vec::new())
}

/// The same tables as an .xlsx: one sheet, amounts as numbers in złoty with two decimals.
pub fn report_xlsx(r: &CooperationReport, out: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let xlsx = |e: rust_xlsxwriter::XlsxError| {
        tracing::warn!(error = ?e, "xlsx");
        Error::BadArgument("Nie udało się zapisać arkusza sprawozdania.".into())
    };
    let mut tables = tables(r);
    if !r.by_task.is_empty() {
        tables.push((
            format!(
                "Tabela {}. Dotacje według zadań priorytetowych",
                tables.len() + 1
            ),
            r.by_task
                .iter()
                .map(|t| {
                    (
                        t.task.clone(),
                        Figure::Money(t.granted_grosze),
                        Some(Figure::Money(t.planned_grosze)),
                    )
                })
                .collect(),
        ));
    }
    crate::export::write_atomically(out, |tmp| {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(format!("Współpraca {}", r.year))
            .map_err(xlsx)?;
        let title = Format::new().set_bold().set_font_size(13);
        let head = Format::new().set_bold().set_background_color("DCE6F1");
        let zl = Format::new().set_num_format("#,##0.00 \"zł\"");
        ws.set_column_width(0, 60).map_err(xlsx)?;
        ws.set_column_width(1, 18).map_err(xlsx)?;
        ws.set_column_width(2, 18).map_err(xlsx)?;
        let mut row = 0u32;
        ws.write_string_with_format(
            row,
            0,
            format!(
                "Sprawozdanie z realizacji programu współpracy za rok {}",
                r.year
            ),
            &title,
        )
        .map_err(xlsx)?;
        row += 2;
        let last = tables.len();
        for (i, (name, rows)) in tables.iter().enumerate() {
            ws.write_string_with_format(row, 0, name.as_str(), &title)
                .map_err(xlsx)?;
            row += 1;
            let second = if i + 1 == last && !r.by_task.is_empty() {
                "plan".to_string()
            } else {
                (r.year - 1).to_string()
            };
            ws.write_string_with_format(row, 0, "", &head)
                .map_err(xlsx)?;
            ws.write_string_with_format(row, 1, r.year.to_string(), &head)
                .map_err(xlsx)?;
            ws.write_string_with_format(row, 2, second, &head)
                .map_err(xlsx)?;
            row += 1;
            for (label, now, before) in rows {
                ws.write_string(row, 0, label.as_str()).map_err(xlsx)?;
                // The cells hold numbers (money in złoty with the format), not printed text.
                for (col, figure) in [(1u16, Some(*now)), (2u16, *before)] {
                    match figure {
                        Some(Figure::Money(g)) => {
                            ws.write_number_with_format(row, col, g as f64 / 100.0, &zl)
                                .map_err(xlsx)?;
                        }
                        Some(Figure::Count(n)) => {
                            ws.write_number(row, col, n as f64).map_err(xlsx)?;
                        }
                        None => {}
                    }
                }
                row += 1;
            }
            row += 1;
        }
        ws.write_string_with_format(row, 0, "Wnioski", &title)
            .map_err(xlsx)?;
        ws.write_string(row + 1, 0, r.conclusions.as_deref().unwrap_or(""))
            .map_err(xlsx)?;
        wb.save(tmp).map_err(xlsx)?;
        Ok(())
    })?;
    Ok(())
}
