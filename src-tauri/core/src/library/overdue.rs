//! The printed list of overdue loans, for readers the office reaches by phone or in person:
//! one row per loan (reader and phone, book and inventory number, due date, days overdue,
//! reminders sent so far) and a column for a note of the call.

use crate::error::Result;
use crate::library::Loan;
use crate::pdf::{finish_pdf, fit_cell, Layout, Placed, Weight, BOTTOM, LEFT, RIGHT};
use chrono::NaiveDate;

/// The list of `loans`: the PDF's bytes and its page count.
pub fn overdue_sheet_pdf(
    loans: &[Loan],
    office: &str,
    today: NaiveDate,
) -> Result<(Vec<u8>, usize)> {
    let mut layout = Layout::new();
    layout.new_page();
    let mut head: Vec<(Weight, f32, String)> = Vec::new();
    if !office.trim().is_empty() {
        head.push((Weight::Regular, 10.0, office.trim().to_string()));
    }
    head.push((Weight::Bold, 17.0, "Zaległe wypożyczenia".into()));
    head.push((
        Weight::Regular,
        10.5,
        format!(
            "Książek po terminie: {} · stan na {}",
            loans.len(),
            today.format("%d.%m.%Y")
        ),
    ));
    let refs: Vec<(Weight, f32, &str)> =
        head.iter().map(|(w, s, t)| (*w, *s, t.as_str())).collect();
    let block = layout.block(&refs, 14.0);
    layout.place(&block, 0.0);

    // Lp. | Czytelnik, telefon | Książka, nr inw. | Termin | Dni | Upom. | Uwagi
    let cols = [
        LEFT,
        LEFT + 24.0,
        LEFT + 150.0,
        LEFT + 292.0,
        LEFT + 347.0,
        LEFT + 372.0,
        LEFT + 410.0,
        RIGHT,
    ];
    let titles = [
        "Lp.",
        "Czytelnik, telefon",
        "Książka, nr inw.",
        "Termin",
        "Dni",
        "Upom.",
        "Uwagi (rozmowa, data)",
    ];
    let table_header = |layout: &mut Layout| {
        let top = layout.y;
        let page = layout.pages.last_mut().expect("a page");
        for (i, title) in titles.iter().enumerate() {
            page.texts.push(Placed {
                x: cols[i] + 3.0,
                y: top - 15.0,
                size: 8.5,
                weight: Weight::Bold,
                text: title.to_string(),
            });
        }
        page.rules.push((LEFT, top, RIGHT, top));
        page.rules.push((LEFT, top - 20.0, RIGHT, top - 20.0));
        for x in cols {
            page.rules.push((x, top, x, top - 20.0));
        }
        layout.y = top - 20.0;
    };
    table_header(&mut layout);
    for (n, l) in loans.iter().enumerate() {
        let reader = [
            l.borrower_name
                .clone()
                .unwrap_or_else(|| "(usunięto)".into()),
            l.borrower_phone
                .clone()
                .map(|p| format!("tel. {p}"))
                .unwrap_or_default(),
            l.organization_name.clone().unwrap_or_default(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        let book = match &l.inventory_number {
            Some(i) => format!("{}, nr {i}", l.title),
            None => l.title.clone(),
        };
        let cells = [
            (10.0, vec![format!("{}.", n + 1)]),
            fit_cell(&layout.regular, &reader, cols[2] - cols[1] - 6.0),
            fit_cell(&layout.regular, &book, cols[3] - cols[2] - 6.0),
            (9.0, vec![l.due_on.format("%d.%m.%Y").to_string()]),
            (10.0, vec![l.days_overdue.to_string()]),
            (10.0, vec![l.reminders_sent.to_string()]),
        ];
        let tallest = cells
            .iter()
            .map(|(size, lines)| lines.len() as f32 * size * 1.2)
            .fold(0.0f32, f32::max);
        let row_h = (tallest + 12.0).max(28.0);
        if layout.y - row_h < BOTTOM {
            layout.new_page();
            table_header(&mut layout);
        }
        let top = layout.y;
        let page = layout.pages.last_mut().expect("a page");
        for (col, (size, lines)) in cells.into_iter().enumerate() {
            for (i, line) in lines.into_iter().enumerate() {
                page.texts.push(Placed {
                    x: cols[col] + 3.0,
                    y: top - 15.0 - i as f32 * size * 1.2,
                    size,
                    weight: Weight::Regular,
                    text: line,
                });
            }
        }
        page.rules.push((LEFT, top - row_h, RIGHT, top - row_h));
        for x in cols {
            page.rules.push((x, top, x, top - row_h));
        }
        layout.y = top - row_h;
    }
    finish_pdf(layout, "Zaległe wypożyczenia", today, Vec::new())
}
