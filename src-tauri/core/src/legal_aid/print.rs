//! The point's printed papers: the card (Part A) for the file, the client's statement to sign,
//! a blank Part B for the urn, and the starosta's figures as PDF and .xlsx. Only Part A and the
//! statement carry anything of a client, and only what the card holds (the code, not a name).

use crate::error::{Error, Result};
use crate::legal_aid::*;
use crate::pdf::{finish_pdf, Layout, Placed, Weight, BOTTOM, LEFT, RIGHT};
use chrono::{Local, NaiveDate};

const CHECKED: &str = "☒";
const UNCHECKED: &str = "☐";
const LABEL_W: f32 = 170.0;

fn day(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn heading(layout: &mut Layout, lines: &[(Weight, f32, String)]) {
    let refs: Vec<(Weight, f32, &str)> =
        lines.iter().map(|(w, s, t)| (*w, *s, t.as_str())).collect();
    let block = layout.block(&refs, 10.0);
    layout.place(&block, 0.0);
}

/// Rows of label | value in a ruled two-column table; values wrap, a row never splits.
fn field_table(layout: &mut Layout, rows: &[(String, Vec<String>)]) {
    let size = 9.5;
    let lh = size * 1.3;
    for (label, values) in rows {
        let label_lines = layout.bold.wrap(label, size, LABEL_W - 8.0);
        let mut value_lines = Vec::new();
        for v in values {
            value_lines.extend(layout.regular.wrap(v, size, RIGHT - LEFT - LABEL_W - 8.0));
        }
        if value_lines.is_empty() {
            value_lines.push(String::new());
        }
        let h = label_lines.len().max(value_lines.len()) as f32 * lh + 8.0;
        if layout.y - h < BOTTOM {
            layout.new_page();
        }
        let top = layout.y;
        let page = layout.pages.last_mut().expect("a page");
        for (i, l) in label_lines.into_iter().enumerate() {
            page.texts.push(Placed {
                x: LEFT + 4.0,
                y: top - 4.0 - size - i as f32 * lh,
                size,
                weight: Weight::Bold,
                text: l,
            });
        }
        for (i, l) in value_lines.into_iter().enumerate() {
            page.texts.push(Placed {
                x: LEFT + LABEL_W + 4.0,
                y: top - 4.0 - size - i as f32 * lh,
                size,
                weight: Weight::Regular,
                text: l,
            });
        }
        page.rules.push((LEFT, top, RIGHT, top));
        page.rules.push((LEFT, top - h, RIGHT, top - h));
        for x in [LEFT, LEFT + LABEL_W, RIGHT] {
            page.rules.push((x, top, x, top - h));
        }
        layout.y = top - h;
    }
    layout.y -= 12.0;
}

fn choices(lists: &[ListEntry], kind: &str, chosen: &[&str]) -> Vec<String> {
    lists
        .iter()
        .filter(|e| e.kind == kind && (e.active || chosen.contains(&e.code.as_str())))
        .map(|e| {
            let mark = if chosen.contains(&e.code.as_str()) {
                CHECKED
            } else {
                UNCHECKED
            };
            format!("{mark} {}", e.name)
        })
        .collect()
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "tak"
    } else {
        "nie"
    }
}

fn point_line(card: &LegalAidCard) -> Vec<String> {
    let mut v = vec![format!("nr {} — {}", card.point_number, card.point_name)];
    if let Some(a) = &card.point_address {
        v.push(a.clone());
    }
    if let Some(p) = &card.powiat {
        v.push(p.clone());
    }
    v
}

/// Part A of the card, with every list printed and the chosen entries marked.
pub(crate) fn card_pdf(card: &LegalAidCard, lists: &[ListEntry], version: &str) -> Result<Vec<u8>> {
    let mut layout = Layout::new();
    layout.new_page();
    heading(
        &mut layout,
        &[
            (Weight::Bold, 16.0, "Karta pomocy — część A".into()),
            (
                Weight::Regular,
                10.0,
                format!("{} · wzór list: {version}", card.aid_type.name()),
            ),
        ],
    );
    let aid_types: Vec<String> = AidType::ALL
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                if *t == card.aid_type {
                    CHECKED
                } else {
                    UNCHECKED
                },
                t.name()
            )
        })
        .collect();
    let kinds: Vec<&str> = card.help_kinds.iter().map(String::as_str).collect();
    let statement = if card.statement_signed {
        let mut v = vec![format!(
            "{CHECKED} podpisane {}",
            card.statement_on.map(day).unwrap_or_default()
        )];
        if card.sole_trader {
            v.push(format!(
                "{} oświadczenie o niezatrudnianiu innych osób w ciągu ostatniego roku",
                if card.business_statement_signed {
                    CHECKED
                } else {
                    UNCHECKED
                }
            ));
        }
        v
    } else {
        let reason = NO_STATEMENT_REASONS
            .iter()
            .find(|(c, _)| Some(*c) == card.no_statement_reason.as_deref())
            .map(|(_, n)| *n)
            .unwrap_or("—");
        vec![format!("{UNCHECKED} niepodpisane — {reason}")]
    };
    let client = [
        card.client_code.clone().map(|c| format!("kod klienta {c}")),
        card.age_band.clone().map(|a| format!("wiek {a}")),
        card.sex.clone().map(|s| {
            if s == "k" {
                "kobieta".to_string()
            } else {
                "mężczyzna".to_string()
            }
        }),
        card.residence
            .clone()
            .map(|r| format!("miejsce zamieszkania: {r}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let rows: Vec<(String, Vec<String>)> = vec![
        ("Punkt".into(), point_line(card)),
        ("Data udzielenia pomocy".into(), vec![day(card.given_on)]),
        ("Rodzaj pomocy".into(), aid_types),
        (
            "Osoba udzielająca pomocy".into(),
            vec![card.provider.clone()],
        ),
        (
            "Zawód".into(),
            choices(lists, "profession", &[card.profession.as_str()]),
        ),
        (
            "Forma udzielenia pomocy".into(),
            choices(lists, "form", &[card.form.as_str()]),
        ),
        ("Udzielona pomoc".into(), choices(lists, "help", &kinds)),
        (
            "Dziedzina prawa".into(),
            choices(lists, "area", &[card.area.as_str()]),
        ),
        (
            "Zgłoszona sprawa".into(),
            vec![card.description.clone().unwrap_or_else(|| "—".into())],
        ),
        (
            "Czas udzielenia pomocy".into(),
            vec![card
                .minutes
                .map(|m| format!("{m} min"))
                .unwrap_or_else(|| "—".into())],
        ),
        (
            "Liczba wizyt w tej sprawie".into(),
            vec![card.visits.to_string()],
        ),
        (
            "Oświadczenie o niemożności poniesienia kosztów odpłatnej pomocy".into(),
            statement,
        ),
        (
            "Prowadzi jednoosobową działalność gospodarczą".into(),
            vec![yes_no(card.sole_trader).into()],
        ),
        (
            "Osoba uprawniona".into(),
            vec![if client.is_empty() {
                "—".into()
            } else {
                client
            }],
        ),
    ];
    field_table(&mut layout, &rows);
    heading(
        &mut layout,
        &[(
            Weight::Regular,
            9.5,
            "Podpis osoby udzielającej pomocy: ....................................................".into(),
        )],
    );
    Ok(finish_pdf(layout, "Karta pomocy — część A", card.given_on, Vec::new())?.0)
}

fn gap(layout: &mut Layout, height: f32) {
    layout.y -= height;
}

fn para(layout: &mut Layout, weight: Weight, size: f32, text: &str, gap_after: f32) {
    let block = layout.block(&[(weight, size, text)], gap_after);
    layout.place(&block, 0.0);
}

/// Texts on one line at their own x offsets from the left margin (the layout's wrapping would
/// fold the spaces between them).
fn row(layout: &mut Layout, items: &[(f32, Weight, f32, String)], height: f32) {
    if layout.y - height < BOTTOM {
        layout.new_page();
    }
    let top = layout.y;
    let page = layout.pages.last_mut().expect("a page");
    for (x, weight, size, text) in items {
        page.texts.push(Placed {
            x: LEFT + x,
            y: top - size,
            size: *size,
            weight: *weight,
            text: text.clone(),
        });
    }
    layout.y = top - height;
}

const DOTS: &str = "..................................................";

/// The written statement of art. 4 ust. 2 of the Act, with the point and date filled in.
pub(crate) fn statement_pdf(card: &LegalAidCard) -> Result<Vec<u8>> {
    let on = card.statement_on.unwrap_or(card.given_on);
    let mut layout = Layout::new();
    layout.new_page();
    let place = card
        .point_address
        .clone()
        .unwrap_or_else(|| card.point_name.clone());
    let dated = format!("{place}, dnia {}", day(on));
    let dated_x = (RIGHT - LEFT - layout.regular.width(&dated, 10.0)).max(0.0);
    row(
        &mut layout,
        &[(dated_x, Weight::Regular, 10.0, dated)],
        16.0,
    );
    para(
        &mut layout,
        Weight::Regular,
        10.0,
        &format!("Punkt nr {} — {}", card.point_number, card.point_name),
        36.0,
    );
    let title = "OŚWIADCZENIE";
    let title_x = (RIGHT - LEFT - layout.bold.width(title, 15.0)) / 2.0;
    row(
        &mut layout,
        &[(title_x, Weight::Bold, 15.0, title.into())],
        40.0,
    );
    row(
        &mut layout,
        &[(
            0.0,
            Weight::Regular,
            11.0,
            format!("Imię i nazwisko: {DOTS}{DOTS}"),
        )],
        34.0,
    );
    para(
        &mut layout,
        Weight::Regular,
        11.0,
        &format!(
            "Oświadczam, że nie jestem w stanie ponieść kosztów odpłatnej pomocy prawnej (art. 4 ust. 2 ustawy z dnia 5 sierpnia 2015 r. o nieodpłatnej pomocy prawnej, nieodpłatnym poradnictwie obywatelskim oraz edukacji prawnej). Rodzaj pomocy: {}.",
            card.aid_type.name()
        ),
        18.0,
    );
    if card.sole_trader {
        para(
            &mut layout,
            Weight::Regular,
            11.0,
            "Oświadczam, że prowadzę jednoosobową działalność gospodarczą i w ciągu ostatniego roku nie zatrudniałam/nie zatrudniałem innych osób.",
            18.0,
        );
    }
    gap(&mut layout, 50.0);
    row(
        &mut layout,
        &[
            (0.0, Weight::Regular, 10.0, DOTS.into()),
            (270.0, Weight::Regular, 10.0, DOTS.into()),
        ],
        14.0,
    );
    row(
        &mut layout,
        &[
            (70.0, Weight::Regular, 8.5, "data".into()),
            (330.0, Weight::Regular, 8.5, "czytelny podpis".into()),
        ],
        14.0,
    );
    Ok(finish_pdf(layout, "Oświadczenie", on, Vec::new())?.0)
}

/// Part B, blank but for the point's number and the date: nothing links it to a client.
pub(crate) fn opinion_form_pdf(point: &LegalAidPoint, on: NaiveDate) -> Result<Vec<u8>> {
    let mut layout = Layout::new();
    layout.new_page();
    para(
        &mut layout,
        Weight::Bold,
        16.0,
        "Karta pomocy — część B: opinia o udzielonej pomocy",
        8.0,
    );
    row(
        &mut layout,
        &[
            (
                0.0,
                Weight::Regular,
                11.0,
                format!("Numer punktu: {}", point.number),
            ),
            (200.0, Weight::Regular, 11.0, format!("Data: {}", day(on))),
        ],
        20.0,
    );
    para(
        &mut layout,
        Weight::Regular,
        9.5,
        "Wypełnienie jest dobrowolne i anonimowe: prosimy nie wpisywać imienia ani nazwiska. Wypełnioną kartę proszę wrzucić do urny w punkcie.",
        16.0,
    );
    para(
        &mut layout,
        Weight::Bold,
        11.0,
        "1. Jak ocenia Pani/Pan udzieloną pomoc? (1 — źle, 5 — bardzo dobrze)",
        4.0,
    );
    let marks: Vec<(f32, Weight, f32, String)> = (1..=5)
        .map(|n| {
            (
                n as f32 * 50.0 - 50.0,
                Weight::Regular,
                12.0,
                format!("{UNCHECKED} {n}"),
            )
        })
        .collect();
    row(&mut layout, &marks, 26.0);
    for (i, (_, question)) in OPINION_QUESTIONS.iter().enumerate() {
        para(
            &mut layout,
            Weight::Bold,
            11.0,
            &format!("{}. {question}", i + 2),
            4.0,
        );
        let answers: Vec<(f32, Weight, f32, String)> = ANSWERS
            .iter()
            .enumerate()
            .map(|(j, (_, a))| {
                (
                    j as f32 * 90.0,
                    Weight::Regular,
                    12.0,
                    format!("{UNCHECKED} {a}"),
                )
            })
            .collect();
        row(&mut layout, &answers, 26.0);
    }
    para(
        &mut layout,
        Weight::Bold,
        11.0,
        &format!("{}. Uwagi", OPINION_QUESTIONS.len() + 2),
        6.0,
    );
    let dots = ".".repeat(((RIGHT - LEFT) / layout.regular.width(".", 11.0)) as usize);
    for _ in 0..6 {
        row(
            &mut layout,
            &[(0.0, Weight::Regular, 11.0, dots.clone())],
            24.0,
        );
    }
    Ok(finish_pdf(layout, "Karta pomocy — część B", on, Vec::new())?.0)
}

/// The figures' sections as (title, rows of label and number), shared by the PDF and the sheet.
fn sections(f: &StarostaFigures) -> Vec<(String, Vec<(String, i64)>)> {
    let of = |v: &[Count]| {
        v.iter()
            .map(|c| (c.name.clone(), c.count))
            .collect::<Vec<_>>()
    };
    let mut s = vec![
        (
            "Udzielona pomoc".to_string(),
            vec![
                ("Karty pomocy (porady) ogółem".to_string(), f.cards),
                ("w punkcie lub poza nim (osobiście)".into(), f.in_point),
                ("na odległość".into(), f.remote),
                ("kolejne wizyty w tej samej sprawie".into(), f.repeat_visits),
                ("Czas pomocy łącznie (min)".into(), f.minutes_total),
            ],
        ),
        ("Rodzaj pomocy".into(), of(&f.by_aid_type)),
        (
            "Udzielona pomoc (karta może wskazać kilka)".into(),
            of(&f.by_help_kind),
        ),
        ("Dziedzina prawa".into(), of(&f.by_area)),
        ("Forma udzielenia pomocy".into(), of(&f.by_form)),
        (
            "Zawód osoby udzielającej pomocy".into(),
            of(&f.by_profession),
        ),
        ("Czas udzielenia pomocy".into(), of(&f.by_time)),
        ("Oświadczenia".into(), {
            let mut v = vec![
                (
                    "podpisane oświadczenia o niemożności poniesienia kosztów".to_string(),
                    f.statements_signed,
                ),
                (
                    "oświadczenia o niezatrudnianiu innych osób".into(),
                    f.business_statements_signed,
                ),
            ];
            v.extend(
                of(&f.by_no_statement_reason)
                    .into_iter()
                    .map(|(n, c)| (format!("bez oświadczenia: {n}"), c)),
            );
            v
        }),
        ("Opinie (część B)".into(), {
            let mut v = vec![("opinie otrzymane".to_string(), f.opinions)];
            v.extend(of(&f.by_rating));
            for a in &f.answers {
                v.push((format!("{} — tak", a.question), a.yes));
                v.push((format!("{} — nie", a.question), a.no));
                v.push((format!("{} — trudno powiedzieć", a.question), a.unsure));
            }
            v
        }),
    ];
    s.retain(|(_, rows)| !rows.is_empty());
    s
}

fn period_line(f: &StarostaFigures) -> String {
    format!("Okres: {} – {}", day(f.from), day(f.to))
}

pub(crate) fn figures_pdf(f: &StarostaFigures, office: &str) -> Result<Vec<u8>> {
    let mut layout = Layout::new();
    layout.new_page();
    let mut head = Vec::new();
    if !office.trim().is_empty() {
        head.push((Weight::Regular, 10.0, office.trim().to_string()));
    }
    head.push((
        Weight::Bold,
        16.0,
        "Informacja o udzielonej nieodpłatnej pomocy — dla starosty".into(),
    ));
    head.push((Weight::Regular, 10.5, period_line(f)));
    head.push((
        Weight::Regular,
        10.0,
        f.point
            .clone()
            .unwrap_or_else(|| "Wszystkie punkty biura".into()),
    ));
    head.push((
        Weight::Regular,
        8.5,
        format!(
            "Policzone z kart pomocy, bez danych osobowych. Listy: {}",
            f.list_version
        ),
    ));
    heading(&mut layout, &head);
    for (title, rows) in sections(f) {
        let block = layout.block(&[(Weight::Bold, 11.5, title.as_str())], 4.0);
        layout.place(&block, 40.0);
        let size = 9.5;
        for (label, n) in rows {
            let lines = layout.regular.wrap(&label, size, RIGHT - LEFT - 80.0);
            let h = lines.len() as f32 * size * 1.3 + 6.0;
            if layout.y - h < BOTTOM {
                layout.new_page();
            }
            let top = layout.y;
            let count = n.to_string();
            let count_w = layout.regular.width(&count, size);
            let page = layout.pages.last_mut().expect("a page");
            for (i, l) in lines.into_iter().enumerate() {
                page.texts.push(Placed {
                    x: LEFT + 4.0,
                    y: top - 3.0 - size - i as f32 * size * 1.3,
                    size,
                    weight: Weight::Regular,
                    text: l,
                });
            }
            page.texts.push(Placed {
                x: RIGHT - 4.0 - count_w,
                y: top - 3.0 - size,
                size,
                weight: Weight::Bold,
                text: count,
            });
            page.rules.push((LEFT, top - h, RIGHT, top - h));
            layout.y = top - h;
        }
        layout.y -= 12.0;
    }
    Ok(finish_pdf(
        layout,
        "Informacja dla starosty",
        Local::now().date_naive(),
        Vec::new(),
    )?
    .0)
}

pub(crate) fn figures_xlsx(f: &StarostaFigures, office: &str) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let xlsx = |e: rust_xlsxwriter::XlsxError| {
        Error::BadArgument(format!("Nie udało się zapisać arkusza: {e}"))
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Informacja dla starosty").map_err(xlsx)?;
    let title = Format::new().set_bold().set_font_size(13);
    let head = Format::new().set_bold().set_background_color("DCE6F1");
    ws.set_column_width(0, 70).map_err(xlsx)?;
    ws.set_column_width(1, 12).map_err(xlsx)?;
    let mut r = 0u32;
    for line in [
        office.trim().to_string(),
        "Informacja o udzielonej nieodpłatnej pomocy — dla starosty".into(),
        period_line(f),
        f.point
            .clone()
            .unwrap_or_else(|| "Wszystkie punkty biura".into()),
        format!("Listy: {}", f.list_version),
    ] {
        if !line.is_empty() {
            ws.write_string(r, 0, line).map_err(xlsx)?;
            r += 1;
        }
    }
    r += 1;
    for (name, rows) in sections(f) {
        ws.write_string_with_format(r, 0, name, &title)
            .map_err(xlsx)?;
        r += 1;
        ws.write_string_with_format(r, 0, "", &head).map_err(xlsx)?;
        ws.write_string_with_format(r, 1, "liczba", &head)
            .map_err(xlsx)?;
        r += 1;
        for (label, n) in rows {
            ws.write_string(r, 0, label).map_err(xlsx)?;
            ws.write_number(r, 1, n as f64).map_err(xlsx)?;
            r += 1;
        }
        r += 1;
    }
    wb.save_to_buffer().map_err(xlsx)
}

/// The day's appointments of a point: time, who (and phone), out of turn, in the point or at a
/// distance, the note, and a column to mark who came.
pub(crate) fn day_list_pdf(point: &LegalAidPoint, day: &PointDay) -> Result<Vec<u8>> {
    let mut layout = Layout::new();
    layout.new_page();
    let duty = if day.duty.is_empty() {
        "brak dyżuru tego dnia".to_string()
    } else {
        day.duty
            .iter()
            .map(|d| format!("{}–{} {}", d.starts, d.ends, d.on_duty))
            .collect::<Vec<_>>()
            .join("; ")
    };
    heading(
        &mut layout,
        &[
            (
                Weight::Regular,
                10.0,
                format!("Punkt nr {} — {}", point.number, point.name),
            ),
            (
                Weight::Bold,
                16.0,
                format!("Zapisy na {} ({})", day.day.format("%d.%m.%Y"), day.weekday),
            ),
            (Weight::Regular, 10.0, format!("Dyżur: {duty}")),
            (
                Weight::Regular,
                10.0,
                format!("Zapisanych: {}", day.appointments.len()),
            ),
        ],
    );
    let cols = [
        LEFT,
        LEFT + 50.0,
        LEFT + 210.0,
        LEFT + 265.0,
        LEFT + 330.0,
        LEFT + 430.0,
        RIGHT,
    ];
    let titles = [
        "Godz.",
        "Osoba, telefon",
        "Poza kol.",
        "Forma",
        "Uwagi",
        "Przyszła",
    ];
    let header = |layout: &mut Layout| {
        let top = layout.y;
        let page = layout.pages.last_mut().expect("a page");
        for (i, t) in titles.iter().enumerate() {
            page.texts.push(Placed {
                x: cols[i] + 3.0,
                y: top - 14.0,
                size: 8.5,
                weight: Weight::Bold,
                text: t.to_string(),
            });
        }
        page.rules.push((LEFT, top, RIGHT, top));
        page.rules.push((LEFT, top - 20.0, RIGHT, top - 20.0));
        for x in cols {
            page.rules.push((x, top, x, top - 20.0));
        }
        layout.y = top - 20.0;
    };
    header(&mut layout);
    for a in &day.appointments {
        let who = match &a.phone {
            Some(p) => format!("{}, tel. {p}", a.client_name),
            None => a.client_name.clone(),
        };
        let cells = [
            (9.5, vec![a.starts.clone()]),
            crate::pdf::fit_cell(&layout.regular, &who, cols[2] - cols[1] - 6.0),
            (
                9.5,
                vec![if a.out_of_turn {
                    "tak".into()
                } else {
                    String::new()
                }],
            ),
            (
                9.0,
                vec![if a.remote {
                    "na odległość".into()
                } else {
                    "w punkcie".into()
                }],
            ),
            crate::pdf::fit_cell(
                &layout.regular,
                a.note.as_deref().unwrap_or(""),
                cols[5] - cols[4] - 6.0,
            ),
        ];
        let tallest = cells
            .iter()
            .map(|(size, lines)| lines.len() as f32 * size * 1.2)
            .fold(0.0f32, f32::max);
        let h = (tallest + 12.0).max(26.0);
        if layout.y - h < BOTTOM {
            layout.new_page();
            header(&mut layout);
        }
        let top = layout.y;
        let page = layout.pages.last_mut().expect("a page");
        for (col, (size, lines)) in cells.into_iter().enumerate() {
            for (i, line) in lines.into_iter().enumerate() {
                page.texts.push(Placed {
                    x: cols[col] + 3.0,
                    y: top - 14.0 - i as f32 * size * 1.2,
                    size,
                    weight: Weight::Regular,
                    text: line,
                });
            }
        }
        page.rules.push((LEFT, top - h, RIGHT, top - h));
        for x in cols {
            page.rules.push((x, top, x, top - h));
        }
        layout.y = top - h;
    }
    Ok(finish_pdf(layout, "Zapisy do punktu", day.day, Vec::new())?.0)
}
