//! The directory PDF (katalog organizacji / biur członkowskich): A4, a title page, entries grouped
//! by sphere, city or legal form in Polish order, an alphabetical index with page numbers, and
//! "Strona X z Y" footers. DejaVu Sans is embedded, so every Polish letter prints and copies as
//! text. printpdf cannot measure text, so widths come from the font's advances (ttf-parser).

use crate::error::{Error, Result};
use crate::pdf::*;
use crate::register::{ActivityArea, LegalForm, OrganizationExport};
use crate::text::collation;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupBy {
    #[default]
    Area,
    City,
    LegalForm,
    None,
}

impl GroupBy {
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "area" => Ok(Self::Area),
            "city" => Ok(Self::City),
            "legal-form" => Ok(Self::LegalForm),
            "none" => Ok(Self::None),
            other => Err(Error::BadArgument(format!(
                "Nieznane grupowanie „{other}”: area, city, legal-form albo none."
            ))),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DirectoryOptions {
    pub group_by: GroupBy,
    /// Only organisations that consented to publication in the public directory.
    pub public_only: bool,
    /// Only current members of the union (the directory of member bureaus).
    pub members_only: bool,
    /// Title on the first page; a sensible one is chosen when empty.
    pub title: String,
    /// The office that publishes the directory, under the title.
    pub office: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DirectorySummary {
    pub path: String,
    pub organizations: usize,
    pub pages: usize,
}

fn is_member(o: &OrganizationExport, today: NaiveDate) -> bool {
    o.member_since.is_some_and(|s| s <= today) && o.member_until.is_none_or(|u| u >= today)
}

fn legal_form_label(code: &str) -> String {
    LegalForm::from_code(code)
        .map(|f| f.label_pl().to_string())
        .unwrap_or_else(|| code.to_string())
}

fn format_nip(nip: &str) -> String {
    if nip.len() == 10 {
        format!(
            "{}-{}-{}-{}",
            &nip[0..3],
            &nip[3..6],
            &nip[6..8],
            &nip[8..10]
        )
    } else {
        nip.to_string()
    }
}

fn area_codes(o: &OrganizationExport) -> Vec<String> {
    o.areas
        .as_deref()
        .unwrap_or("")
        .split("; ")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The organisations that go into the directory, after the public/member options.
pub fn select(
    rows: Vec<OrganizationExport>,
    opts: &DirectoryOptions,
    today: NaiveDate,
) -> Vec<OrganizationExport> {
    rows.into_iter()
        .filter(|o| !opts.public_only || o.directory_consent)
        .filter(|o| !opts.members_only || is_member(o, today))
        .collect()
}

fn groups<'a>(
    rows: &'a [OrganizationExport],
    areas: &[ActivityArea],
    by: GroupBy,
) -> Vec<(Option<String>, Vec<&'a OrganizationExport>)> {
    match by {
        GroupBy::None => vec![(None, rows.iter().collect())],
        GroupBy::Area => {
            let mut out: Vec<(Option<String>, Vec<&OrganizationExport>)> = areas
                .iter()
                .map(|a| {
                    (
                        Some(format!("{}. {}", a.code, a.name)),
                        rows.iter()
                            .filter(|o| area_codes(o).contains(&a.code))
                            .collect(),
                    )
                })
                .collect();
            out.push((
                Some("Bez wskazanej sfery pożytku publicznego".into()),
                rows.iter().filter(|o| area_codes(o).is_empty()).collect(),
            ));
            out.retain(|g| !g.1.is_empty());
            out
        }
        GroupBy::City => {
            let mut by_city: BTreeMap<String, Vec<&OrganizationExport>> = BTreeMap::new();
            for o in rows {
                by_city
                    .entry(o.city.clone().unwrap_or_default())
                    .or_default()
                    .push(o);
            }
            let mut out: Vec<(Option<String>, Vec<&OrganizationExport>)> = by_city
                .into_iter()
                .map(|(c, v)| {
                    (
                        Some(if c.is_empty() {
                            "Bez miejscowości".to_string()
                        } else {
                            c
                        }),
                        v,
                    )
                })
                .collect();
            out.sort_by(|a, b| {
                let empty = |g: &(Option<String>, _)| g.0.as_deref() == Some("Bez miejscowości");
                empty(a).cmp(&empty(b)).then_with(|| {
                    collation::compare(a.0.as_deref().unwrap_or(""), b.0.as_deref().unwrap_or(""))
                })
            });
            out
        }
        GroupBy::LegalForm => LegalForm::ALL
            .iter()
            .map(|f| {
                (
                    Some(f.label_pl().to_string()),
                    rows.iter()
                        .filter(|o| o.legal_form == f.code())
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|g| !g.1.is_empty())
            .collect(),
    }
}

fn entry_block(
    layout: &Layout,
    o: &OrganizationExport,
    area_names: &BTreeMap<String, String>,
) -> Block {
    let mut ids = vec![legal_form_label(&o.legal_form)];
    if o.public_benefit {
        ids.push("OPP".into());
    }
    if let Some(k) = &o.krs {
        ids.push(format!("KRS {k}"));
    }
    if let Some(n) = &o.nip {
        ids.push(format!("NIP {}", format_nip(n)));
    }
    let address = address_line(
        o.street.as_deref(),
        o.building.as_deref(),
        o.postal_code.as_deref(),
        o.city.as_deref(),
    );
    let spheres = area_codes(o)
        .iter()
        .map(|c| {
            area_names
                .get(c)
                .map(|n| format!("{c}. {n}"))
                .unwrap_or_else(|| c.clone())
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut details: Vec<String> = vec![ids.join(" · ")];
    if !address.is_empty() {
        details.push(address);
    }
    if let Some(p) = &o.phones {
        details.push(format!("tel. {p}"));
    }
    if let Some(e) = &o.emails {
        details.push(format!("e-mail: {e}"));
    }
    if let Some(w) = &o.website {
        details.push(format!("www: {w}"));
    }
    if !spheres.is_empty() {
        details.push(format!("Sfery pożytku publicznego: {spheres}"));
    }
    let mut items: Vec<(Weight, f32, &str)> = vec![(Weight::Bold, 10.5, o.name.as_str())];
    items.extend(details.iter().map(|d| (Weight::Regular, 8.5, d.as_str())));
    layout.block(&items, 9.0)
}

fn describe(opts: &DirectoryOptions, count: usize) -> Vec<String> {
    let mut lines = Vec::new();
    if opts.members_only {
        lines.push("Członkowie związku według stanu członkostwa na dzień wydania.".to_string());
    }
    if opts.public_only {
        lines.push(
            "Wyłącznie organizacje, które zgodziły się na publikację danych w katalogu."
                .to_string(),
        );
    }
    lines.push(match opts.group_by {
        GroupBy::Area => "Układ: według sfer pożytku publicznego (art. 4 ust. 1 ustawy o działalności pożytku publicznego i o wolontariacie).".into(),
        GroupBy::City => "Układ: według miejscowości.".into(),
        GroupBy::LegalForm => "Układ: według formy prawnej.".into(),
        GroupBy::None => "Układ: alfabetyczny.".into(),
    });
    lines.push(format!("Liczba organizacji: {count}."));
    lines
}

/// Names the group a page continues, in the top margin above the entries ("… — ciąg dalszy"),
/// so a reader who opens the directory in the middle knows which sphere or town they are in.
fn running_header(layout: &mut Layout, group: &str) {
    let size = 8.5;
    let mut lines = layout
        .bold
        .wrap(&format!("{group} — ciąg dalszy"), size, RIGHT - LEFT);
    if lines.len() > 2 {
        lines.truncate(2);
        let last = lines.last_mut().expect("two lines");
        while !last.is_empty()
            && layout.bold.width(&format!("{last}… — ciąg dalszy"), size) > RIGHT - LEFT
        {
            last.pop();
        }
        last.push_str("… — ciąg dalszy");
    }
    let page = layout.pages.last_mut().expect("a page");
    let base = TOP + 12.0;
    for (i, line) in lines.iter().rev().enumerate() {
        page.texts.push(Placed {
            x: LEFT,
            y: base + i as f32 * (size * 1.25),
            size,
            weight: Weight::Bold,
            text: line.clone(),
        });
    }
    page.rules.push((LEFT, TOP + 6.0, RIGHT, TOP + 6.0));
}

/// Lays out and renders the directory; returns the PDF bytes and the number of pages.
pub fn render(
    rows: &[OrganizationExport],
    areas: &[ActivityArea],
    opts: &DirectoryOptions,
    today: NaiveDate,
) -> Result<(Vec<u8>, usize)> {
    let area_names: BTreeMap<String, String> = areas
        .iter()
        .map(|a| (a.code.clone(), a.name.clone()))
        .collect();
    let mut layout = Layout::new();

    // Title page.
    layout.new_page();
    layout.y = PAGE_H - 240.0;
    let title = if !opts.title.trim().is_empty() {
        opts.title.trim().to_string()
    } else if opts.members_only {
        "Katalog biur członkowskich".to_string()
    } else {
        "Katalog organizacji pozarządowych".to_string()
    };
    let title_block = layout.block(&[(Weight::Bold, 26.0, &title)], 14.0);
    layout.place(&title_block, 0.0);
    if !opts.office.trim().is_empty() {
        let office = layout.block(&[(Weight::Regular, 14.0, opts.office.trim())], 10.0);
        layout.place(&office, 0.0);
    }
    let dated = format!("Stan na dzień {}", today.format("%d.%m.%Y"));
    let date_block = layout.block(&[(Weight::Regular, 12.0, &dated)], 24.0);
    layout.place(&date_block, 0.0);
    let described = describe(opts, rows.len());
    let info: Vec<(Weight, f32, &str)> = described
        .iter()
        .map(|l| (Weight::Regular, 10.0, l.as_str()))
        .collect();
    let info_block = layout.block(&info, 0.0);
    layout.place(&info_block, 0.0);

    // Entries.
    let mut index: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    layout.new_page();
    if rows.is_empty() {
        let none = layout.block(
            &[(
                Weight::Regular,
                11.0,
                "Żadna organizacja nie spełnia warunków wyboru.",
            )],
            0.0,
        );
        layout.place(&none, 0.0);
    }
    for (heading, members) in groups(rows, areas, opts.group_by) {
        let blocks: Vec<Block> = members
            .iter()
            .map(|o| entry_block(&layout, o, &area_names))
            .collect();
        if let Some(h) = &heading {
            let head = layout.block(&[(Weight::Bold, 13.0, h)], 2.0);
            let first = blocks.first().map(Block::height).unwrap_or(0.0);
            layout.place(&head, first);
            layout.rule();
        }
        for (o, block) in members.iter().zip(&blocks) {
            let page_before = layout.page_number();
            layout.place(block, 0.0);
            if layout.page_number() != page_before {
                if let Some(h) = &heading {
                    running_header(&mut layout, h);
                }
            }
            let key = format!("{}\u{0}{}", o.name, o.nip.clone().unwrap_or_default());
            // Same-named organisations (every town has its OSP) are told apart by their town.
            let label = match &o.city {
                Some(city) => format!("{} — {city}", o.name),
                None => o.name.clone(),
            };
            let pages = &mut index.entry(key).or_insert_with(|| (label, Vec::new())).1;
            let page = layout.page_number();
            if !pages.contains(&page) {
                pages.push(page);
            }
        }
    }

    // Alphabetical index of names with the pages they appear on.
    let mut names: Vec<(String, Vec<usize>)> = index.into_values().collect();
    names.sort_by(|a, b| collation::compare(&a.0, &b.0));
    layout.new_page();
    let head = layout.block(&[(Weight::Bold, 16.0, "Indeks nazw")], 8.0);
    layout.place(&head, 0.0);
    for (name, pages) in &names {
        let pages_text = pages
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let room = RIGHT - LEFT - layout.regular.width(&pages_text, 9.0) - 16.0;
        let wrapped = layout.regular.wrap(name, 9.0, room);
        for (i, line) in wrapped.iter().enumerate() {
            if layout.y - 12.5 < BOTTOM {
                layout.new_page();
            }
            layout.y -= 12.5;
            let y = layout.y + 3.5;
            layout.pages.last_mut().expect("page").texts.push(Placed {
                x: LEFT,
                y,
                size: 9.0,
                weight: Weight::Regular,
                text: line.clone(),
            });
            if i + 1 == wrapped.len() {
                let x = RIGHT - layout.regular.width(&pages_text, 9.0);
                layout.pages.last_mut().expect("page").texts.push(Placed {
                    x,
                    y,
                    size: 9.0,
                    weight: Weight::Regular,
                    text: pages_text.clone(),
                });
            }
        }
    }

    finish_pdf(layout, &title, today, Vec::new())
}

/// "ul. Długa 5, 00-001 Warszawa": an address on one line as the directory and the published
/// site print it, leaving out what is not known ("" when nothing is).
pub fn address_line(
    street: Option<&str>,
    building: Option<&str>,
    postal_code: Option<&str>,
    city: Option<&str>,
) -> String {
    let join = |parts: [Option<&str>; 2], sep: &str| {
        parts.into_iter().flatten().collect::<Vec<_>>().join(sep)
    };
    let street = join([street, building], " ");
    let town = join([postal_code, city], " ");
    [street, town]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}
