//! The PDF toolkit every printed document shares (directory, attendance list, annual and
//! network reports, RODO exports): A4 pages, DejaVu Sans embedded so every Polish letter prints
//! and copies as text, text measured from the font's advances (printpdf cannot measure), a
//! simple top-down layout, and "Strona X z Y" footers added once the page count is known.

use crate::error::{Error, Result};
use chrono::NaiveDate;
use printpdf::{
    Color, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem, TextMatrix,
};

const REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

pub(crate) const PAGE_W: f32 = 595.28;
pub(crate) const PAGE_H: f32 = 841.89;
pub(crate) const LEFT: f32 = 56.0;
pub(crate) const RIGHT: f32 = PAGE_W - 56.0;
pub(crate) const TOP: f32 = PAGE_H - 60.0;
pub(crate) const BOTTOM: f32 = 64.0;

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

/// A filled polygon with its outline: rings of (x, y) points in pt, colours as RGB 0–1.
pub(crate) struct Shape {
    pub(crate) rings: Vec<Vec<(f32, f32)>>,
    pub(crate) fill: (f32, f32, f32),
    pub(crate) outline: (f32, f32, f32),
    pub(crate) thickness: f32,
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
    /// Filled and outlined polygons (the areas of a map), drawn under the text.
    pub(crate) shapes: Vec<Shape>,
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
    pub(crate) fn height(&self) -> f32 {
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

    pub(crate) fn page_number(&self) -> usize {
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

    pub(crate) fn rule(&mut self) {
        let y = self.y + 2.0;
        self.pages
            .last_mut()
            .expect("a page")
            .rules
            .push((LEFT, y, RIGHT, y));
        self.y -= 6.0;
    }
}

/// A table of figures (already written as text: counts, money) with the previous year beside
/// them. The previous year's column is left out when no row has a previous value (a count kept only as it stands today, or a year before
/// the office used Kartoteka), never a column of "—"; long labels (a statutory sphere's name)
/// wrap instead of being cut.
pub(crate) fn figures_table(
    layout: &mut Layout,
    title: &str,
    rows: &[(String, String, Option<String>)],
    year: i32,
) {
    let with_before = rows.iter().any(|(_, _, b)| b.is_some());
    // Columns as wide as their widest value (amounts of money are wider than counts).
    let widest = rows
        .iter()
        .flat_map(|(_, now, before)| [Some(now), before.as_ref()])
        .flatten()
        .map(|t| layout.bold.width(t, 10.0))
        .fold(0.0_f32, f32::max);
    let r2 = RIGHT - 20.0;
    let r1 = if with_before {
        r2 - (widest + 20.0).max(90.0)
    } else {
        r2
    };
    let label_width = r1 - widest.max(40.0) - LEFT - 14.0;
    let first_rows: f32 = rows
        .iter()
        .take(3)
        .map(|(l, _, _)| layout.regular.wrap(l, 10.0, label_width).len() as f32 * 12.5 + 3.5)
        .sum();
    let needed = 40.0 + first_rows;
    if layout.y - needed < BOTTOM {
        layout.new_page();
    }
    let block = layout.block(&[(Weight::Bold, 13.0, title)], 6.0);
    layout.place(&block, needed - 20.0);
    let header_y = layout.y - 12.0;
    {
        let page = layout.pages.last_mut().expect("a page");
        page.texts.push(Placed {
            x: r1 - layout.bold.width(&year.to_string(), 9.0),
            y: header_y,
            size: 9.0,
            weight: Weight::Bold,
            text: year.to_string(),
        });
        if with_before {
            page.texts.push(Placed {
                x: r2 - layout.bold.width(&(year - 1).to_string(), 9.0),
                y: header_y,
                size: 9.0,
                weight: Weight::Bold,
                text: (year - 1).to_string(),
            });
        }
        page.rules
            .push((LEFT, header_y - 4.0, RIGHT, header_y - 4.0));
    }
    layout.y = header_y - 4.0;
    for (label, now, before) in rows {
        let lines = layout.regular.wrap(label, 10.0, label_width);
        let height = 16.0 + (lines.len().max(1) - 1) as f32 * 12.5;
        if layout.y - height < BOTTOM {
            layout.new_page();
        }
        let y = layout.y - 12.0;
        layout.y -= height;
        let now_text = now.clone();
        let now_x = r1 - layout.bold.width(&now_text, 10.0);
        let before_text = before.clone().unwrap_or_else(|| "—".into());
        let before_x = r2 - layout.regular.width(&before_text, 10.0);
        let page = layout.pages.last_mut().expect("a page");
        for (i, line) in lines.into_iter().enumerate() {
            page.texts.push(Placed {
                x: LEFT,
                y: y - i as f32 * 12.5,
                size: 10.0,
                weight: Weight::Regular,
                text: line,
            });
        }
        page.texts.push(Placed {
            x: now_x,
            y,
            size: 10.0,
            weight: Weight::Bold,
            text: now_text,
        });
        if with_before {
            page.texts.push(Placed {
                x: before_x,
                y,
                size: 10.0,
                weight: Weight::Regular,
                text: before_text,
            });
        }
    }
    layout.y -= 14.0;
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
        let rgb = |(r, g, b): (f32, f32, f32)| {
            Color::Rgb(Rgb {
                r,
                g,
                b,
                icc_profile: None,
            })
        };
        for shape in &content.shapes {
            ops.push(Op::SetFillColor {
                col: rgb(shape.fill),
            });
            ops.push(Op::SetOutlineColor {
                col: rgb(shape.outline),
            });
            ops.push(Op::SetOutlineThickness {
                pt: Pt(shape.thickness),
            });
            let rings = shape
                .rings
                .iter()
                .map(|ring| printpdf::PolygonRing {
                    points: ring
                        .iter()
                        .map(|(x, y)| LinePoint {
                            p: Point {
                                x: Pt(*x),
                                y: Pt(*y),
                            },
                            bezier: false,
                        })
                        .collect(),
                })
                .collect();
            ops.push(Op::DrawPolygon {
                polygon: printpdf::Polygon {
                    rings,
                    mode: printpdf::PaintMode::FillStroke,
                    winding_order: printpdf::WindingOrder::EvenOdd,
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

/// A name or an organisation in a table cell: wrapped onto up to two lines at 10 pt, three at
/// 9 pt or four at 8 pt; only a name longer than that ends with "…".
pub(crate) fn fit_cell(face: &Face, text: &str, width: f32) -> (f32, Vec<String>) {
    for (size, max_lines) in [(10.0, 2), (9.0, 3), (8.0, 4)] {
        let lines = face.wrap(text, size, width);
        if lines.len() <= max_lines {
            return (size, lines);
        }
    }
    let mut lines = face.wrap(text, 8.0, width);
    lines.truncate(4);
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && face.width(&format!("{last}…"), 8.0) > width {
            last.pop();
        }
        last.push('…');
    }
    (8.0, lines)
}
