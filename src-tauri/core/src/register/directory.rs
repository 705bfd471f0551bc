//! The directory PDF (katalog organizacji / biur członkowskich): A4, a title page, entries grouped
//! by sphere, city or legal form in Polish order, an alphabetical index with page numbers, and
//! "Strona X z Y" footers. DejaVu Sans is embedded, so every Polish letter prints and copies as
//! text. printpdf cannot measure text, so widths come from the font's advances (ttf-parser).

use crate::error::{Error, Result};
use crate::register::{ActivityArea, LegalForm, OrganizationExport};
use crate::text::collation;
use chrono::NaiveDate;
use printpdf::{
    Color, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem, TextMatrix,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const REGULAR_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

pub(crate) const PAGE_W: f32 = 595.28;
pub(crate) const PAGE_H: f32 = 841.89;
pub(crate) const LEFT: f32 = 56.0;
pub(crate) const RIGHT: f32 = PAGE_W - 56.0;
pub(crate) const TOP: f32 = PAGE_H - 60.0;
pub(crate) const BOTTOM: f32 = 64.0;

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

pub(crate) struct Face {
    data: &'static [u8],
    upem: f32,
    /// Advance widths of the first `TABLE_CHARS` code points (Latin with all Polish letters,
    /// punctuation and „” quotes): measuring through the cmap for every character of every
    /// candidate line was 40% of a directory's time.
    advances: Vec<f32>,
}

const TABLE_CHARS: u32 = 0x2100;

impl Face {
    fn new(data: &'static [u8]) -> Self {
        let face = ttf_parser::Face::parse(data, 0).expect("bundled font parses");
        let upem = f32::from(face.units_per_em());
        let advances = (0..TABLE_CHARS)
            .map(|cp| char::from_u32(cp).map_or(upem * 0.6, |c| Self::advance_of(&face, c, upem)))
            .collect();
        Face {
            data,
            upem,
            advances,
        }
    }

    fn advance_of(face: &ttf_parser::Face<'_>, c: char, upem: f32) -> f32 {
        face.glyph_index(c)
            .and_then(|g| face.glyph_hor_advance(g))
            .map(f32::from)
            .unwrap_or(upem * 0.6)
    }

    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let mut units = 0.0;
        let mut face = None;
        for c in text.chars() {
            units += match self.advances.get(c as usize) {
                Some(a) => *a,
                None => {
                    let f = face.get_or_insert_with(|| {
                        ttf_parser::Face::parse(self.data, 0).expect("bundled font parses")
                    });
                    Self::advance_of(f, c, self.upem)
                }
            };
        }
        units * size / self.upem
    }

    /// Greedy word wrap; a word longer than the line (a long e-mail) is split by characters.
    pub(crate) fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut piece = String::new();
            for ch in word.chars() {
                piece.push(ch);
                if self.width(&piece, size) > width {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(ch);
                }
            }
            line = piece;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// One line of text already placed on a page.
pub(crate) struct Placed {
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) size: f32,
    pub(crate) weight: Weight,
    pub(crate) text: String,
}

#[derive(Default)]
pub(crate) struct PageContent {
    pub(crate) texts: Vec<Placed>,
    /// Lines from (x1, y1) to (x2, y2).
    pub(crate) rules: Vec<(f32, f32, f32, f32)>,
    /// Filled rectangles (x, y, width, height, grey level 0-1): the bars of charts.
    pub(crate) boxes: Vec<(f32, f32, f32, f32, f32)>,
    /// Images (index into `finish_pdf`'s images, x, y of the lower left corner, width in pt).
    pub(crate) images: Vec<(usize, f32, f32, f32)>,
}

pub(crate) struct Layout {
    pub(crate) regular: Face,
    pub(crate) bold: Face,
    pub(crate) pages: Vec<PageContent>,
    pub(crate) y: f32,
}

/// A block of lines to be kept together on one page.
pub(crate) struct Block {
    lines: Vec<(Weight, f32, f32, String)>, // weight, size, line height, text
    gap_after: f32,
}

impl Block {
    fn height(&self) -> f32 {
        self.lines.iter().map(|l| l.2).sum::<f32>() + self.gap_after
    }
}

impl Layout {
    pub(crate) fn new() -> Self {
        Layout {
            regular: Face::new(REGULAR_TTF),
            bold: Face::new(BOLD_TTF),
            pages: Vec::new(),
            y: TOP,
        }
    }

    fn face(&self, w: Weight) -> &Face {
        match w {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(PageContent::default());
        self.y = TOP;
    }

    fn page_number(&self) -> usize {
        self.pages.len()
    }

    pub(crate) fn block(&self, items: &[(Weight, f32, &str)], gap_after: f32) -> Block {
        let mut lines = Vec::new();
        for (weight, size, text) in items {
            for l in self.face(*weight).wrap(text, *size, RIGHT - LEFT) {
                lines.push((*weight, *size, size * 1.35, l));
            }
        }
        Block { lines, gap_after }
    }

    pub(crate) fn place(&mut self, block: &Block, keep_with: f32) {
        if self.y - block.height() - keep_with < BOTTOM {
            self.new_page();
        }
        for (weight, size, lh, text) in &block.lines {
            self.y -= lh;
            let page = self.pages.last_mut().expect("a page");
            page.texts.push(Placed {
                x: LEFT,
                y: self.y + lh - size,
                size: *size,
                weight: *weight,
                text: text.clone(),
            });
        }
        self.y -= block.gap_after;
    }

    fn rule(&mut self) {
        let y = self.y + 2.0;
        self.pages
            .last_mut()
            .expect("a page")
            .rules
            .push((LEFT, y, RIGHT, y));
        self.y -= 6.0;
    }
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
    let street = [o.street.as_deref(), o.building.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let town = [o.postal_code.as_deref(), o.city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let address = [street, town]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
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

/// Turns laid-out pages into the PDF, adding "Strona X z Y" now that Y is known; returns the
/// bytes and the page count.
pub(crate) fn finish_pdf(
    layout: Layout,
    title: &str,
    today: NaiveDate,
    images: Vec<printpdf::RawImage>,
) -> Result<(Vec<u8>, usize)> {
    let total = layout.pages.len();
    let mut doc = PdfDocument::new(title);
    let image_ids: Vec<(printpdf::XObjectId, usize)> = images
        .iter()
        .map(|img| (doc.add_image(img), img.width))
        .collect();
    let mut warnings = Vec::new();
    let regular = ParsedFont::from_bytes(REGULAR_TTF, 0, &mut warnings)
        .ok_or_else(|| Error::BadArgument("Nie można wczytać czcionki.".into()))?;
    let bold = ParsedFont::from_bytes(BOLD_TTF, 0, &mut warnings)
        .ok_or_else(|| Error::BadArgument("Nie można wczytać czcionki.".into()))?;
    let regular_id = doc.add_font(&regular);
    let bold_id = doc.add_font(&bold);
    let stamp = today
        .and_hms_opt(12, 0, 0)
        .map(|d| d.and_utc().timestamp())
        .unwrap_or(0);
    if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(stamp) {
        doc.metadata.info.creation_date = date;
        doc.metadata.info.modification_date = date;
        doc.metadata.info.metadata_date = date;
    }
    let grey = Color::Rgb(Rgb {
        r: 0.35,
        g: 0.35,
        b: 0.35,
        icc_profile: None,
    });
    let black = Color::Rgb(Rgb {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        icc_profile: None,
    });
    let mut pages = Vec::with_capacity(total);
    let regular_face = layout.regular;
    for (n, content) in layout.pages.into_iter().enumerate() {
        let mut ops = Vec::with_capacity(content.texts.len() * 2 + content.rules.len() * 3 + 8);
        for (x1, y1, x2, y2) in &content.rules {
            ops.push(Op::SetOutlineColor { col: grey.clone() });
            ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: Pt(*x1),
                                y: Pt(*y1),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: Pt(*x2),
                                y: Pt(*y2),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            });
        }
        for (x, y, w, bh, grey) in &content.boxes {
            ops.push(Op::SetFillColor {
                col: Color::Rgb(Rgb {
                    r: *grey * 0.55,
                    g: *grey * 0.75,
                    b: *grey,
                    icc_profile: None,
                }),
            });
            let corner = |px: f32, py: f32| LinePoint {
                p: Point {
                    x: Pt(px),
                    y: Pt(py),
                },
                bezier: false,
            };
            ops.push(Op::DrawPolygon {
                polygon: printpdf::Polygon {
                    rings: vec![printpdf::PolygonRing {
                        points: vec![
                            corner(*x, *y),
                            corner(x + w, *y),
                            corner(x + w, y + bh),
                            corner(*x, y + bh),
                        ],
                    }],
                    mode: printpdf::PaintMode::Fill,
                    winding_order: printpdf::WindingOrder::NonZero,
                },
            });
        }
        for (index, x, y, width) in &content.images {
            let Some((id, px)) = image_ids.get(*index) else {
                continue;
            };
            // An image's natural size is its pixels at `dpi`; choose the dpi that gives `width`.
            let dpi = *px as f32 * 72.0 / width.max(1.0);
            ops.push(Op::UseXobject {
                id: id.clone(),
                transform: printpdf::XObjectTransform {
                    translate_x: Some(Pt(*x)),
                    translate_y: Some(Pt(*y)),
                    dpi: Some(dpi),
                    ..Default::default()
                },
            });
        }
        let footer = format!("Strona {} z {}", n + 1, total);
        let footer_x = (PAGE_W - regular_face.width(&footer, 8.5)) / 2.0;
        let footer_text = Placed {
            x: footer_x,
            y: 34.0,
            size: 8.5,
            weight: Weight::Regular,
            text: footer,
        };
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFillColor { col: black.clone() });
        // The font is set only when it changes: most lines of an entry share one.
        let mut current: Option<(Weight, f32)> = None;
        for t in content
            .texts
            .into_iter()
            .chain(std::iter::once(footer_text))
        {
            if current != Some((t.weight, t.size)) {
                let id = match t.weight {
                    Weight::Regular => regular_id.clone(),
                    Weight::Bold => bold_id.clone(),
                };
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(id),
                    size: Pt(t.size),
                });
                current = Some((t.weight, t.size));
            }
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(t.x), Pt(t.y)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(t.text)],
            });
        }
        ops.push(Op::EndTextSection);
        pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    Ok((save_fast(doc.with_pages(pages))?, total))
}

/// Serialises like `PdfDocument::save`, but compresses page streams at zlib's fast level on
/// all cores: lopdf's `Compression::best()` took a quarter of a 3,000-page directory's time
/// for files only a few per cent smaller.
fn save_fast(doc: &PdfDocument) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut lo = printpdf::serialize::to_lopdf_doc(doc, &opts, &mut warnings);
    let mut streams: Vec<&mut lopdf::Stream> = lo
        .objects
        .values_mut()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => {
                Some(s)
            }
            _ => None,
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let per_thread = streams.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in streams.chunks_mut(per_thread) {
            scope.spawn(move || {
                for s in part.iter_mut() {
                    let mut encoder =
                        flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
                    if encoder.write_all(&s.content).is_ok() {
                        if let Ok(compressed) = encoder.finish() {
                            if compressed.len() + 19 < s.content.len() {
                                s.dict.set("Filter", "FlateDecode");
                                s.set_content(compressed);
                            }
                        }
                    }
                }
            });
        }
    });
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| Error::BadArgument(format!("Nie udało się zapisać PDF: {e}")))?;
    Ok(out)
}
