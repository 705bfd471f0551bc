//! The annual report: figures for a year counted straight from the records (with the previous
//! year beside them), as a PDF an office hands to its funders and city council (vector bar
//! chart of advice by month), and as an aggregated statistics file with counts only.

use crate::error::Result;
use crate::pdf::{finish_pdf, Layout, Placed, Shape, Weight, BOTTOM, LEFT, RIGHT};
use crate::publish::map::{self as activity, ActivityMap, MapLevel};
use crate::register::LegalForm;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Raw counts from the store for one year.
#[derive(Debug, Clone, Default)]
pub struct AnnualCounts {
    pub advice_total: i64,
    /// (main category name, advice records touching it)
    pub by_category: Vec<(String, i64)>,
    /// ("01".."12", count)
    pub by_month: Vec<(String, i64)>,
    pub by_channel: Vec<(String, i64)>,
    pub returning: i64,
    pub minutes: i64,
    /// (starts, ends, participants marked present) of each event of the year
    pub events: Vec<(NaiveDateTime, Option<NaiveDateTime>, i64)>,
    pub organizations_total: i64,
    pub organizations_new: i64,
    pub by_legal_form: Vec<(String, i64)>,
    pub by_area: Vec<(String, i64)>,
    pub consultations_by_topic: Vec<(String, i64)>,
    pub consultation_minutes: i64,
    /// The clients' profile as recorded with each advice: (age band, count), ("k"/"m"/"",
    /// count), (place of residence as typed, count).
    pub by_age_band: Vec<(String, i64)>,
    pub by_sex: Vec<(String, i64)>,
    pub by_residence: Vec<(String, i64)>,
}

/// The year's figures: counts only, never a name or a free text, so the same structure is the
/// statistics file a member bureau sends to its union.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AnnualFigures {
    /// The bureau the figures come from (an office name, not personal data).
    #[serde(default)]
    pub office: String,
    /// The bureau's own code (made once per database, see `stats_file`): the union tells
    /// bureaus apart by it, not by the office name. Empty in files from before codes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bureau_code: String,
    pub year: i32,
    pub advice_total: i64,
    #[serde(with = "ordered_map")]
    pub advice_by_category: Vec<(String, i64)>,
    pub advice_by_month: Vec<i64>,
    #[serde(with = "ordered_map")]
    pub advice_by_channel: Vec<(String, i64)>,
    pub advice_new_clients: i64,
    pub advice_returning_clients: i64,
    pub advice_hours: f64,
    pub events_total: i64,
    pub events_participants: i64,
    pub events_hours: f64,
    pub organizations_total: i64,
    pub organizations_new: i64,
    #[serde(with = "ordered_map")]
    pub organizations_by_legal_form: Vec<(String, i64)>,
    #[serde(default, with = "ordered_map")]
    pub organizations_by_area: Vec<(String, i64)>,
    #[serde(default)]
    pub consultations_total: i64,
    #[serde(default, with = "ordered_map")]
    pub consultations_by_topic: Vec<(String, i64)>,
    #[serde(default)]
    pub consultations_hours: f64,
    /// The clients' profile (advice records, not people): age bands, sex, place of residence.
    #[serde(default, with = "ordered_map")]
    pub advice_by_age_band: Vec<(String, i64)>,
    #[serde(default, with = "ordered_map")]
    pub advice_by_sex: Vec<(String, i64)>,
    /// Places as typed by the advisors: for this office's own report only, never written into
    /// the statistics file for the union (a typed place could hold more than a town's name).
    #[serde(
        default,
        skip_serializing,
        deserialize_with = "ordered_map::deserialize"
    )]
    pub advice_by_residence: Vec<(String, i64)>,
    /// Library loans made in the year, and the copies they lent.
    #[serde(default)]
    pub library_loans: i64,
    #[serde(default)]
    pub library_copies_lent: i64,
    /// Free legal aid: cards of help given in the year's points, how many at a distance, the
    /// opinions typed in, and the cards by kind, area of law, form and profession (names only).
    #[serde(default)]
    pub legal_aid_cards: i64,
    #[serde(default)]
    pub legal_aid_remote: i64,
    #[serde(default)]
    pub legal_aid_opinions: i64,
    #[serde(default, with = "ordered_map")]
    pub legal_aid_by_type: Vec<(String, i64)>,
    #[serde(default, with = "ordered_map")]
    pub legal_aid_by_area: Vec<(String, i64)>,
    #[serde(default, with = "ordered_map")]
    pub legal_aid_by_form: Vec<(String, i64)>,
    #[serde(default, with = "ordered_map")]
    pub legal_aid_by_profession: Vec<(String, i64)>,
}

/// Label -> count lists as JSON objects ({"mieszkaniowe": 81, ...}) in the report's order.
mod ordered_map {
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(pairs: &[(String, i64)], s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(pairs.len()))?;
        for (k, v) in pairs {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, i64)>, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Vec<(String, i64)>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of counts")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, i64>()? {
                    out.push((k, v));
                }
                Ok(out)
            }
        }
        d.deserialize_map(Pairs)
    }
}

pub fn sex_label(code: &str) -> &'static str {
    match code {
        "k" => "kobiety",
        "m" => "mężczyźni",
        _ => "nie podano",
    }
}

pub fn channel_label(code: &str) -> &'static str {
    match code {
        "in_person" => "osobiście",
        "phone" => "telefonicznie",
        "email" => "e-mailem",
        "online" => "online",
        _ => "inne",
    }
}

impl AnnualFigures {
    pub fn from_counts(year: i32, c: AnnualCounts) -> Self {
        let mut by_month = vec![0; 12];
        for (m, n) in &c.by_month {
            if let Ok(i) = m.parse::<usize>() {
                if (1..=12).contains(&i) {
                    by_month[i - 1] = *n;
                }
            }
        }
        let events_hours: f64 = c
            .events
            .iter()
            .map(|(s, e, _)| {
                e.map(|e| (e - *s).num_minutes().max(0) as f64 / 60.0)
                    .unwrap_or(0.0)
            })
            .sum();
        AnnualFigures {
            office: String::new(),
            bureau_code: String::new(),
            year,
            advice_total: c.advice_total,
            advice_by_category: c.by_category,
            advice_by_month: by_month,
            advice_by_channel: c
                .by_channel
                .into_iter()
                .map(|(k, n)| (channel_label(&k).to_string(), n))
                .collect(),
            advice_new_clients: c.advice_total - c.returning,
            advice_returning_clients: c.returning,
            advice_hours: (c.minutes as f64 / 60.0 * 10.0).round() / 10.0,
            events_total: c.events.len() as i64,
            events_participants: c.events.iter().map(|e| e.2).sum(),
            events_hours: (events_hours * 10.0).round() / 10.0,
            organizations_total: c.organizations_total,
            organizations_new: c.organizations_new,
            organizations_by_legal_form: c
                .by_legal_form
                .into_iter()
                .map(|(code, n)| {
                    (
                        LegalForm::from_code(&code)
                            .map(|f| f.label_pl().to_string())
                            .unwrap_or(code),
                        n,
                    )
                })
                .collect(),
            organizations_by_area: c.by_area,
            consultations_total: c.consultations_by_topic.iter().map(|(_, n)| n).sum(),
            consultations_by_topic: c.consultations_by_topic,
            consultations_hours: (c.consultation_minutes as f64 / 60.0 * 10.0).round() / 10.0,
            advice_by_age_band: c.by_age_band,
            advice_by_sex: c
                .by_sex
                .into_iter()
                .map(|(k, n)| (sex_label(&k).to_string(), n))
                .collect(),
            advice_by_residence: c.by_residence,
            library_loans: 0,
            library_copies_lent: 0,
            legal_aid_cards: 0,
            legal_aid_remote: 0,
            legal_aid_opinions: 0,
            legal_aid_by_type: Vec::new(),
            legal_aid_by_area: Vec::new(),
            legal_aid_by_form: Vec::new(),
            legal_aid_by_profession: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AnnualOptions {
    pub office: String,
    /// Address, NIP and contact under the office's name (from Dane biura).
    pub office_details: String,
    /// The office's own words at the start of the report.
    pub introduction: String,
    /// The sections the user ticked: "advice", "consultations", "events", "register". Empty
    /// means all of them.
    pub sections: Vec<String>,
}

impl AnnualOptions {
    pub fn includes(&self, section: &str) -> bool {
        self.sections.is_empty() || self.sections.iter().any(|s| s == section)
    }
}

pub const SECTIONS: [&str; 6] = [
    "advice",
    "consultations",
    "events",
    "register",
    "library",
    "legal_aid",
];

fn number(n: f64) -> String {
    let s = if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n:.1}").replace('.', ",")
    };
    // Thousands separated by a space, as Polish print does.
    let (int, frac) = s
        .split_once(',')
        .map(|(a, b)| (a.to_string(), format!(",{b}")))
        .unwrap_or((s.clone(), String::new()));
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (i, ch) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) && *ch != '-' && digits[i - 1] != '-' {
            out.push(' ');
        }
        out.push(*ch);
    }
    out + &frac
}

const MONTHS: [&str; 12] = [
    "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru",
];

/// A table of figures with the previous year beside them (see `pdf::figures_table`).
fn figures_table(layout: &mut Layout, title: &str, rows: &[(String, f64, Option<f64>)], year: i32) {
    let rows: Vec<(String, String, Option<String>)> = rows
        .iter()
        .map(|(l, now, before)| (l.clone(), number(*now), before.map(number)))
        .collect();
    crate::pdf::figures_table(layout, title, &rows, year);
}

/// A note in small print under the table above it.
fn table_note(layout: &mut Layout, text: &str) {
    layout.y += 8.0;
    let block = layout.block(&[(Weight::Regular, 8.5, text)], 12.0);
    layout.place(&block, 0.0);
}

/// The most frequent places of residence, the rest summed up, "nie podano" last.
fn top_places(list: &[(String, i64)], keep: usize) -> Vec<(String, i64)> {
    let (unknown, known): (Vec<_>, Vec<_>) =
        list.iter().cloned().partition(|(l, _)| l == "nie podano");
    let mut out: Vec<(String, i64)> = known.iter().take(keep).cloned().collect();
    let rest: i64 = known.iter().skip(keep).map(|(_, n)| n).sum();
    if rest > 0 {
        out.push((
            format!("pozostałe miejscowości ({})", known.len() - keep),
            rest,
        ));
    }
    out.extend(unknown);
    out
}

/// Advice by month: twelve vector bars with their counts, this year beside a thin bar for the
/// previous year.
fn month_chart(layout: &mut Layout, now: &[i64], before: &[i64], year: i32) {
    let height = 150.0;
    if layout.y - height - 60.0 < BOTTOM {
        layout.new_page();
    }
    let block = layout.block(
        &[(Weight::Bold, 13.0, "Porady w kolejnych miesiącach")],
        6.0,
    );
    layout.place(&block, height);
    let max = now.iter().chain(before).copied().max().unwrap_or(0).max(1) as f32;
    // No records the year before (the office's first year in Kartoteka): no empty bars for it.
    let with_before = before.iter().any(|n| *n != 0);
    let base = layout.y - height - 14.0;
    let slot = (RIGHT - LEFT) / 12.0;
    let bar = slot * 0.42;
    let page = layout.pages.last_mut().expect("a page");
    page.rules.push((LEFT, base, RIGHT, base));
    for i in 0..12 {
        let x = LEFT + slot * i as f32 + slot * 0.12;
        let h_now = now[i] as f32 / max * height;
        let h_before = before.get(i).copied().unwrap_or(0) as f32 / max * height;
        page.boxes.push((x, base, bar, h_now, 1.0));
        if with_before {
            page.boxes
                .push((x + bar + 2.0, base, bar * 0.55, h_before, 0.75));
        }
        page.texts.push(Placed {
            x: x + 1.0,
            y: base + h_now + 3.0,
            size: 7.5,
            weight: Weight::Regular,
            text: now[i].to_string(),
        });
        page.texts.push(Placed {
            x: x + 2.0,
            y: base - 11.0,
            size: 8.0,
            weight: Weight::Regular,
            text: MONTHS[i].to_string(),
        });
    }
    let legend_y = base - 26.0;
    page.boxes.push((LEFT, legend_y, 8.0, 8.0, 1.0));
    page.texts.push(Placed {
        x: LEFT + 12.0,
        y: legend_y,
        size: 8.5,
        weight: Weight::Regular,
        text: year.to_string(),
    });
    if with_before {
        page.boxes.push((LEFT + 60.0, legend_y, 8.0, 8.0, 0.75));
        page.texts.push(Placed {
            x: LEFT + 72.0,
            y: legend_y,
            size: 8.5,
            weight: Weight::Regular,
            text: (year - 1).to_string(),
        });
    }
    layout.y = legend_y - 20.0;
}

/// The map of social activity on a page of its own: organisations of the register per powiat,
/// the powiats without any drawn light grey, the legend, then the figures per voivodeship.
fn activity_map_page(layout: &mut Layout, map: &ActivityMap, year: i32) {
    layout.new_page();
    let intro = format!(
        "Organizacje w rejestrze według powiatów (na mapie: {} z {}; bez rozpoznanego powiatu: {}). \
         Powiaty bez żadnej organizacji są jasnoszare.",
        map.matched,
        map.total,
        map.unmatched.len()
    );
    let block = layout.block(
        &[
            (Weight::Bold, 13.0, "Mapa aktywności społecznej"),
            (Weight::Regular, 9.0, intro.as_str()),
        ],
        8.0,
    );
    layout.place(&block, 0.0);
    let width = RIGHT - LEFT;
    let height = 430.0;
    let bottom = layout.y - height;
    let areas = activity::pdf_areas(map, MapLevel::Powiat, LEFT, bottom, width, height);
    let page = layout.pages.last_mut().expect("a page");
    for area in areas {
        page.shapes.push(Shape {
            rings: area.rings,
            fill: area.fill,
            outline: (0.45, 0.45, 0.45),
            thickness: 0.3,
        });
    }
    let mut x = LEFT;
    let legend_y = bottom - 18.0;
    for (label, fill) in activity::legend(map, MapLevel::Powiat) {
        page.shapes.push(Shape {
            rings: vec![vec![
                (x, legend_y),
                (x + 9.0, legend_y),
                (x + 9.0, legend_y + 9.0),
                (x, legend_y + 9.0),
            ]],
            fill,
            outline: (0.45, 0.45, 0.45),
            thickness: 0.3,
        });
        page.texts.push(Placed {
            x: x + 13.0,
            y: legend_y + 1.0,
            size: 8.5,
            weight: Weight::Regular,
            text: label.clone(),
        });
        x += 13.0 + layout.regular.width(&label, 8.5) + 16.0;
    }
    page.texts.push(Placed {
        x: LEFT,
        y: legend_y - 14.0,
        size: 7.5,
        weight: Weight::Regular,
        text: activity::MAP_CREDIT.to_string(),
    });
    layout.y = legend_y - 30.0;
    let rows: Vec<(String, f64, Option<f64>)> = map
        .voivodeships
        .iter()
        .map(|v| (v.name.clone(), v.count as f64, None))
        .collect();
    figures_table(layout, "Organizacje według województw", &rows, year);
}

fn by_label(list: &[(String, i64)], before: &[(String, i64)]) -> Vec<(String, f64, Option<f64>)> {
    let mut labels: Vec<&String> = list.iter().map(|(l, _)| l).collect();
    for (l, _) in before {
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    labels
        .into_iter()
        .map(|l| {
            let now = list
                .iter()
                .find(|(x, _)| x == l)
                .map_or(0.0, |(_, n)| *n as f64);
            let prev = before
                .iter()
                .find(|(x, _)| x == l)
                .map_or(0.0, |(_, n)| *n as f64);
            (l.clone(), now, Some(prev))
        })
        .collect()
}

/// The office's logo, decoded: RGB pixels (transparency flattened onto white paper).
#[derive(Debug, Clone)]
pub struct Logo {
    pub width: usize,
    pub height: usize,
    pub rgb: Vec<u8>,
}

/// The largest logo accepted: a letterhead logo, not a poster.
const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;
const MAX_LOGO_SIDE: u32 = 4000;

/// Reads a PNG file's pixels; a clear Polish message for anything else.
pub fn decode_logo(bytes: &[u8]) -> Result<Logo> {
    let bad = |m: &str| crate::Error::invalid("logo", m);
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(bad(
            "Logo jest za duże (najwyżej 2 MB). Zapisz je mniejsze, np. 600 pikseli szerokości.",
        ));
    }
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|_| bad("To nie jest obraz PNG. Zapisz logo jako PNG i wybierz je ponownie."))?;
    let info = reader.info();
    if info.width > MAX_LOGO_SIDE
        || info.height > MAX_LOGO_SIDE
        || info.width == 0
        || info.height == 0
    {
        return Err(bad(
            "Logo ma za duże wymiary (najwyżej 4000 × 4000 pikseli).",
        ));
    }
    let mut buf = vec![
        0;
        reader
            .output_buffer_size()
            .ok_or_else(|| bad("Obraz PNG jest uszkodzony."))?
    ];
    let frame = reader
        .next_frame(&mut buf)
        .map_err(|_| bad("Obraz PNG jest uszkodzony."))?;
    let (w, h) = (frame.width as usize, frame.height as usize);
    let channels = frame.color_type.samples();
    let mut rgb = Vec::with_capacity(w * h * 3);
    for px in buf[..frame.buffer_size()].chunks(channels) {
        let (r, g, b, a) = match channels {
            1 => (px[0], px[0], px[0], 255),
            2 => (px[0], px[0], px[0], px[1]),
            3 => (px[0], px[1], px[2], 255),
            _ => (px[0], px[1], px[2], px[3]),
        };
        let over_white = |c: u8| ((c as u32 * a as u32 + 255 * (255 - a as u32)) / 255) as u8;
        rgb.extend([over_white(r), over_white(g), over_white(b)]);
    }
    Ok(Logo {
        width: w,
        height: h,
        rgb,
    })
}

pub fn annual_pdf(
    now: &AnnualFigures,
    before: &AnnualFigures,
    opts: &AnnualOptions,
    today: NaiveDate,
    logo: Option<&Logo>,
    map: Option<&ActivityMap>,
) -> Result<(Vec<u8>, usize)> {
    let year = now.year;
    let mut layout = Layout::new();
    layout.new_page();
    let mut images = Vec::new();
    if let Some(logo) = logo {
        // Top right, at most 110 pt wide and 60 pt high.
        let aspect = logo.height as f32 / logo.width as f32;
        let width = 110.0f32.min(60.0 / aspect);
        let height = width * aspect;
        layout.pages[0]
            .images
            .push((0, RIGHT - width, crate::pdf::TOP + 30.0 - height, width));
        images.push(printpdf::RawImage {
            pixels: printpdf::RawImageData::U8(logo.rgb.clone()),
            width: logo.width,
            height: logo.height,
            data_format: printpdf::RawImageFormat::RGB8,
            tag: Vec::new(),
        });
    }
    let mut head: Vec<(Weight, f32, String)> = Vec::new();
    if !opts.office.trim().is_empty() {
        head.push((Weight::Regular, 12.0, opts.office.trim().to_string()));
    }
    if !opts.office_details.trim().is_empty() {
        head.push((Weight::Regular, 9.0, opts.office_details.trim().to_string()));
    }
    head.push((Weight::Bold, 24.0, format!("Sprawozdanie roczne {year}")));
    head.push((
        Weight::Regular,
        10.0,
        format!(
            "Stan na dzień {}. Liczby policzone wprost z rejestru Kartoteki.",
            today.format("%d.%m.%Y")
        ),
    ));
    let items: Vec<(Weight, f32, &str)> =
        head.iter().map(|(w, s, t)| (*w, *s, t.as_str())).collect();
    let block = layout.block(&items, 12.0);
    layout.place(&block, 0.0);
    if !opts.introduction.trim().is_empty() {
        for para in opts.introduction.trim().split("\n\n") {
            let block = layout.block(&[(Weight::Regular, 10.5, para.trim())], 8.0);
            layout.place(&block, 0.0);
        }
    }
    layout.y -= 6.0;
    let f = |n: i64| n as f64;
    // A previous year with nothing recorded (before the office used Kartoteka) gets no column.
    let before_empty =
        before.advice_total == 0 && before.events_total == 0 && before.consultations_total == 0;
    let figures_table =
        |layout: &mut Layout, title: &str, rows: &[(String, f64, Option<f64>)], year: i32| {
            let rows: Vec<(String, f64, Option<f64>)> = rows
                .iter()
                .map(|(l, a, b)| (l.clone(), *a, b.filter(|_| !before_empty)))
                .collect();
            figures_table(layout, title, &rows, year)
        };
    if opts.includes("advice") {
        figures_table(
            &mut layout,
            "Poradnictwo",
            &[
                (
                    "Porady ogółem".into(),
                    f(now.advice_total),
                    Some(f(before.advice_total)),
                ),
                (
                    "Nowi klienci".into(),
                    f(now.advice_new_clients),
                    Some(f(before.advice_new_clients)),
                ),
                (
                    "Klienci powracający".into(),
                    f(now.advice_returning_clients),
                    Some(f(before.advice_returning_clients)),
                ),
                (
                    "Godziny poradnictwa".into(),
                    now.advice_hours,
                    Some(before.advice_hours),
                ),
            ],
            year,
        );
        month_chart(
            &mut layout,
            &now.advice_by_month,
            &before.advice_by_month,
            year,
        );
        figures_table(
            &mut layout,
            "Porady według kategorii problemu",
            &by_label(&now.advice_by_category, &before.advice_by_category),
            year,
        );
        let counted: i64 = now.advice_by_category.iter().map(|(_, n)| n).sum();
        table_note(
            &mut layout,
            &format!(
                "Jedna porada może dotyczyć kilku kategorii problemu i liczy się w każdej z nich, dlatego suma w tej tabeli ({}) może przekraczać liczbę porad ({}).",
                number(counted as f64),
                number(now.advice_total as f64)
            ),
        );
        figures_table(
            &mut layout,
            "Porady według formy kontaktu",
            &by_label(&now.advice_by_channel, &before.advice_by_channel),
            year,
        );
        if now.advice_total > 0 {
            figures_table(
                &mut layout,
                "Klienci według wieku",
                &by_label(&now.advice_by_age_band, &before.advice_by_age_band),
                year,
            );
            figures_table(
                &mut layout,
                "Klienci według płci",
                &by_label(&now.advice_by_sex, &before.advice_by_sex),
                year,
            );
            let places: Vec<(String, f64, Option<f64>)> = top_places(&now.advice_by_residence, 15)
                .into_iter()
                .map(|(l, n)| (l, n as f64, None))
                .collect();
            figures_table(
                &mut layout,
                "Klienci według miejsca zamieszkania (gmina, powiat)",
                &places,
                year,
            );
            table_note(&mut layout, "Profil klientów liczony z porad: osoba, która przyszła kilka razy, liczy się przy każdej poradzie.");
        }
    }
    if opts.includes("consultations") {
        let mut consult = vec![
            (
                "Konsultacje ogółem".into(),
                f(now.consultations_total),
                Some(f(before.consultations_total)),
            ),
            (
                "Godziny konsultacji".into(),
                now.consultations_hours,
                Some(before.consultations_hours),
            ),
        ];
        consult.extend(
            by_label(&now.consultations_by_topic, &before.consultations_by_topic)
                .into_iter()
                .map(|(l, a, b)| (format!("— {l}"), a, b)),
        );
        figures_table(&mut layout, "Konsultacje dla organizacji", &consult, year);
    }
    if opts.includes("library") && (now.library_loans > 0 || before.library_loans > 0) {
        figures_table(
            &mut layout,
            "Biblioteka",
            &[
                (
                    "Wypożyczenia".into(),
                    f(now.library_loans),
                    Some(f(before.library_loans)),
                ),
                (
                    "Wypożyczone egzemplarze".into(),
                    f(now.library_copies_lent),
                    Some(f(before.library_copies_lent)),
                ),
            ],
            year,
        );
    }
    if opts.includes("legal_aid") && (now.legal_aid_cards > 0 || before.legal_aid_cards > 0) {
        figures_table(
            &mut layout,
            "Nieodpłatna pomoc prawna i poradnictwo obywatelskie",
            &[
                (
                    "Karty pomocy".into(),
                    f(now.legal_aid_cards),
                    Some(f(before.legal_aid_cards)),
                ),
                (
                    "— w tym na odległość".into(),
                    f(now.legal_aid_remote),
                    Some(f(before.legal_aid_remote)),
                ),
                (
                    "Opinie klientów (część B)".into(),
                    f(now.legal_aid_opinions),
                    Some(f(before.legal_aid_opinions)),
                ),
            ],
            year,
        );
    }
    if opts.includes("events") {
        figures_table(
            &mut layout,
            "Wydarzenia i szkolenia",
            &[
                (
                    "Wydarzenia".into(),
                    f(now.events_total),
                    Some(f(before.events_total)),
                ),
                (
                    "Uczestnicy obecni".into(),
                    f(now.events_participants),
                    Some(f(before.events_participants)),
                ),
                (
                    "Godziny wydarzeń".into(),
                    now.events_hours,
                    Some(before.events_hours),
                ),
            ],
            year,
        );
    }
    if opts.includes("register") {
        let mut register = vec![
            (
                "Organizacje w rejestrze".into(),
                f(now.organizations_total),
                None,
            ),
            // The register is counted as it stands today: no previous year beside it.
            (format!("Nowe w {year}"), f(now.organizations_new), None),
        ];
        register.extend(
            now.organizations_by_legal_form
                .iter()
                .map(|(l, n)| (format!("— {l}"), f(*n), None)),
        );
        figures_table(&mut layout, "Rejestr organizacji", &register, year);
        let by_area: Vec<(String, f64, Option<f64>)> = now
            .organizations_by_area
            .iter()
            .map(|(l, n)| (l.clone(), f(*n), None))
            .collect();
        if !by_area.is_empty() {
            figures_table(
                &mut layout,
                "Organizacje według sfer pożytku publicznego",
                &by_area,
                year,
            );
        }
        if let Some(map) = map.filter(|m| m.total > 0) {
            activity_map_page(&mut layout, map, year);
        }
    }
    finish_pdf(
        layout,
        &format!("Sprawozdanie roczne {year}"),
        today,
        images,
    )
}

/// One line of a figures table: label, this year, the previous year.
type FigureRow = (String, f64, f64);

/// The annual figures as an .xlsx: one sheet of tables, this year and the previous year side
/// by side, for offices that build their own charts.
pub fn write_xlsx(
    now: &AnnualFigures,
    before: &AnnualFigures,
    out: &std::path::Path,
) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let xlsx = |e: rust_xlsxwriter::XlsxError| {
        crate::Error::BadArgument(format!("Nie udało się zapisać arkusza: {e}"))
    };
    let mut tables: Vec<(&str, Vec<FigureRow>)> = Vec::new();
    let f = |n: i64| n as f64;
    let pair = |l: &[(String, i64)], b: &[(String, i64)]| -> Vec<FigureRow> {
        by_label(l, b)
            .into_iter()
            .map(|(k, a, p)| (k, a, p.unwrap_or(0.0)))
            .collect()
    };
    tables.push((
        "Poradnictwo",
        vec![
            (
                "Porady ogółem".into(),
                f(now.advice_total),
                f(before.advice_total),
            ),
            (
                "Nowi klienci".into(),
                f(now.advice_new_clients),
                f(before.advice_new_clients),
            ),
            (
                "Klienci powracający".into(),
                f(now.advice_returning_clients),
                f(before.advice_returning_clients),
            ),
            (
                "Godziny poradnictwa".into(),
                now.advice_hours,
                before.advice_hours,
            ),
        ],
    ));
    tables.push((
        "Porady w miesiącach",
        MONTHS
            .iter()
            .enumerate()
            .map(|(i, m)| {
                (
                    m.to_string(),
                    f(now.advice_by_month.get(i).copied().unwrap_or(0)),
                    f(before.advice_by_month.get(i).copied().unwrap_or(0)),
                )
            })
            .collect(),
    ));
    tables.push((
        "Porady według kategorii",
        pair(&now.advice_by_category, &before.advice_by_category),
    ));
    tables.push((
        "Porady według formy kontaktu",
        pair(&now.advice_by_channel, &before.advice_by_channel),
    ));
    tables.push((
        "Konsultacje według tematu",
        pair(&now.consultations_by_topic, &before.consultations_by_topic),
    ));
    tables.push((
        "Wydarzenia",
        vec![
            (
                "Wydarzenia".into(),
                f(now.events_total),
                f(before.events_total),
            ),
            (
                "Uczestnicy obecni".into(),
                f(now.events_participants),
                f(before.events_participants),
            ),
            (
                "Godziny wydarzeń".into(),
                now.events_hours,
                before.events_hours,
            ),
        ],
    ));
    tables.push((
        "Organizacje według formy prawnej",
        pair(
            &now.organizations_by_legal_form,
            &before.organizations_by_legal_form,
        ),
    ));
    tables.push((
        "Organizacje według sfer pożytku",
        pair(&now.organizations_by_area, &before.organizations_by_area),
    ));
    crate::export::write_atomically(out, |tmp| {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(format!("Sprawozdanie {}", now.year))
            .map_err(xlsx)?;
        let title = Format::new().set_bold().set_font_size(13);
        let head = Format::new().set_bold().set_background_color("DCE6F1");
        ws.set_column_width(0, 44).map_err(xlsx)?;
        let mut r = 0u32;
        for (name, rows) in &tables {
            ws.write_string_with_format(r, 0, *name, &title)
                .map_err(xlsx)?;
            r += 1;
            ws.write_string_with_format(r, 0, "", &head).map_err(xlsx)?;
            ws.write_number_with_format(r, 1, now.year, &head)
                .map_err(xlsx)?;
            ws.write_number_with_format(r, 2, now.year - 1, &head)
                .map_err(xlsx)?;
            r += 1;
            for (label, a, b) in rows {
                ws.write_string(r, 0, label.as_str()).map_err(xlsx)?;
                ws.write_number(r, 1, *a).map_err(xlsx)?;
                ws.write_number(r, 2, *b).map_err(xlsx)?;
                r += 1;
            }
            r += 1;
        }
        wb.save(tmp).map_err(xlsx)?;
        Ok(())
    })
}

/// Adds one bureau's figures into a running network total (lists merged by label).
pub fn add_into(total: &mut AnnualFigures, f: &AnnualFigures) {
    let merge = |into: &mut Vec<(String, i64)>, from: &[(String, i64)]| {
        for (label, n) in from {
            match into.iter_mut().find(|(l, _)| l == label) {
                Some((_, m)) => *m += n,
                None => into.push((label.clone(), *n)),
            }
        }
    };
    total.advice_total += f.advice_total;
    merge(&mut total.advice_by_category, &f.advice_by_category);
    if total.advice_by_month.len() < 12 {
        total.advice_by_month.resize(12, 0);
    }
    for (i, n) in f.advice_by_month.iter().enumerate().take(12) {
        total.advice_by_month[i] += n;
    }
    merge(&mut total.advice_by_channel, &f.advice_by_channel);
    total.advice_new_clients += f.advice_new_clients;
    total.advice_returning_clients += f.advice_returning_clients;
    total.advice_hours = ((total.advice_hours + f.advice_hours) * 10.0).round() / 10.0;
    total.events_total += f.events_total;
    total.events_participants += f.events_participants;
    total.events_hours = ((total.events_hours + f.events_hours) * 10.0).round() / 10.0;
    total.organizations_total += f.organizations_total;
    total.organizations_new += f.organizations_new;
    merge(
        &mut total.organizations_by_legal_form,
        &f.organizations_by_legal_form,
    );
    merge(&mut total.organizations_by_area, &f.organizations_by_area);
    total.consultations_total += f.consultations_total;
    total.library_loans += f.library_loans;
    total.library_copies_lent += f.library_copies_lent;
    total.legal_aid_cards += f.legal_aid_cards;
    total.legal_aid_remote += f.legal_aid_remote;
    total.legal_aid_opinions += f.legal_aid_opinions;
    merge(&mut total.legal_aid_by_type, &f.legal_aid_by_type);
    merge(&mut total.legal_aid_by_area, &f.legal_aid_by_area);
    merge(&mut total.legal_aid_by_form, &f.legal_aid_by_form);
    merge(
        &mut total.legal_aid_by_profession,
        &f.legal_aid_by_profession,
    );
    merge(&mut total.consultations_by_topic, &f.consultations_by_topic);
    merge(&mut total.advice_by_age_band, &f.advice_by_age_band);
    merge(&mut total.advice_by_sex, &f.advice_by_sex);
    merge(&mut total.advice_by_residence, &f.advice_by_residence);
    total.consultations_hours =
        ((total.consultations_hours + f.consultations_hours) * 10.0).round() / 10.0;
}

/// The network's report: the totals of all bureaus, then one line per bureau.
pub fn network_pdf(
    year: i32,
    bureaus: &[AnnualFigures],
    union: &str,
    today: NaiveDate,
) -> Result<(Vec<u8>, usize)> {
    let mut total = AnnualFigures {
        year,
        advice_by_month: vec![0; 12],
        ..Default::default()
    };
    for b in bureaus {
        add_into(&mut total, b);
    }
    let mut layout = Layout::new();
    layout.new_page();
    let mut head: Vec<(Weight, f32, String)> = Vec::new();
    if !union.trim().is_empty() {
        head.push((Weight::Regular, 12.0, union.trim().to_string()));
    }
    head.push((Weight::Bold, 22.0, format!("Sprawozdanie sieci {year}")));
    head.push((
        Weight::Regular,
        10.0,
        format!(
            "Biura, które przysłały statystyki: {}. Stan na dzień {}.",
            bureaus.len(),
            today.format("%d.%m.%Y")
        ),
    ));
    let items: Vec<(Weight, f32, &str)> =
        head.iter().map(|(w, s, t)| (*w, *s, t.as_str())).collect();
    let block = layout.block(&items, 12.0);
    layout.place(&block, 0.0);
    let f = |n: i64| n as f64;
    let rows =
        |label: &str, pick: &dyn Fn(&AnnualFigures) -> f64| -> Vec<(String, f64, Option<f64>)> {
            let mut out = vec![(format!("{label} — razem"), pick(&total), None)];
            out.extend(
                bureaus
                    .iter()
                    .map(|b| (format!("— {}", b.office), pick(b), None)),
            );
            out
        };
    figures_table(
        &mut layout,
        "Porady",
        &rows("Porady", &|b| f(b.advice_total)),
        year,
    );
    figures_table(
        &mut layout,
        "Godziny poradnictwa",
        &rows("Godziny", &|b| b.advice_hours),
        year,
    );
    figures_table(
        &mut layout,
        "Wydarzenia i uczestnicy",
        &rows("Uczestnicy obecni", &|b| f(b.events_participants)),
        year,
    );
    if total.legal_aid_cards > 0 {
        figures_table(
            &mut layout,
            "Nieodpłatna pomoc prawna i poradnictwo (karty pomocy)",
            &rows("Karty pomocy", &|b| f(b.legal_aid_cards)),
            year,
        );
        let by_area: Vec<(String, f64, Option<f64>)> = total
            .legal_aid_by_area
            .iter()
            .map(|(l, n)| (l.clone(), f(*n), None))
            .collect();
        figures_table(
            &mut layout,
            "Nieodpłatna pomoc według dziedziny prawa (cała sieć)",
            &by_area,
            year,
        );
    }
    let by_cat: Vec<(String, f64, Option<f64>)> = total
        .advice_by_category
        .iter()
        .map(|(l, n)| (l.clone(), f(*n), None))
        .collect();
    figures_table(
        &mut layout,
        "Porady według kategorii problemu (cała sieć)",
        &by_cat,
        year,
    );
    finish_pdf(
        layout,
        &format!("Sprawozdanie sieci {year}"),
        today,
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_the_polish_way() {
        assert_eq!(number(1234567.0), "1 234 567");
        assert_eq!(number(12.5), "12,5");
        assert_eq!(number(999.0), "999");
    }
}
