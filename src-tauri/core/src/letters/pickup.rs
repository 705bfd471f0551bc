//! The pickup sheet: the items an organisation collects, one numbered row each (date, sender,
//! kind and number, count) with a column for the collector's signature, and lines for the
//! date and the collector's name below.

use crate::error::Result;
use crate::letters::{kind_label, Letter};
use crate::pdf::{finish_pdf, fit_cell, Layout, Placed, Weight, BOTTOM, LEFT, RIGHT};
use chrono::NaiveDate;

/// The sheet for `items` (all for one organisation): the PDF's bytes and its page count.
pub fn pickup_sheet_pdf(
    items: &[Letter],
    office: &str,
    today: NaiveDate,
) -> Result<(Vec<u8>, usize)> {
    let mut layout = Layout::new();
    layout.new_page();
    let org = items
        .first()
        .map(|l| l.organization_name.clone())
        .unwrap_or_default();
    let mut head: Vec<(Weight, f32, String)> = Vec::new();
    if !office.trim().is_empty() {
        head.push((Weight::Regular, 10.0, office.trim().to_string()));
    }
    head.push((
        Weight::Bold,
        17.0,
        "Potwierdzenie odbioru korespondencji".into(),
    ));
    head.push((Weight::Bold, 13.0, org));
    head.push((
        Weight::Regular,
        10.5,
        format!(
            "Przesyłek: {} · wydruk z dnia {}",
            items.len(),
            today.format("%d.%m.%Y")
        ),
    ));
    let refs: Vec<(Weight, f32, &str)> =
        head.iter().map(|(w, s, t)| (*w, *s, t.as_str())).collect();
    let block = layout.block(&refs, 14.0);
    layout.place(&block, 0.0);

    // Lp. | Data wpływu | Nadawca | Rodzaj i numer | Szt. | Podpis
    let cols = [
        LEFT,
        LEFT + 28.0,
        LEFT + 95.0,
        LEFT + 235.0,
        LEFT + 345.0,
        LEFT + 375.0,
        RIGHT,
    ];
    let titles = [
        "Lp.",
        "Wpłynęło",
        "Nadawca",
        "Rodzaj, numer",
        "Szt.",
        "Podpis odbierającego",
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
    for (n, l) in items.iter().enumerate() {
        let kind = match &l.tracking_number {
            Some(t) => format!("{}, {t}", kind_label(&l.kind)),
            None => kind_label(&l.kind).to_string(),
        };
        let cells = [
            (10.0, vec![format!("{}.", n + 1)]),
            (10.0, vec![l.received_on.format("%d.%m.%Y").to_string()]),
            fit_cell(&layout.regular, &l.sender, cols[3] - cols[2] - 6.0),
            fit_cell(&layout.regular, &kind, cols[4] - cols[3] - 6.0),
            (10.0, vec![l.item_count.to_string()]),
        ];
        let tallest = cells
            .iter()
            .map(|(size, lines)| lines.len() as f32 * size * 1.2)
            .fold(0.0f32, f32::max);
        let row_h = (tallest + 12.0).max(30.0);
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
    layout.y -= 28.0;
    let lines = [
        "Data odbioru: ................................",
        "Odebrał(a) — imię i nazwisko: ..........................................................",
        "Podpis: ................................",
    ];
    for line in lines {
        let block = layout.block(&[(Weight::Regular, 11.0, line)], 16.0);
        layout.place(&block, 0.0);
    }
    finish_pdf(
        layout,
        "Potwierdzenie odbioru korespondencji",
        today,
        Vec::new(),
    )
}
