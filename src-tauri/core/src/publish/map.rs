//! The map of social activity: organisations of the register placed on powiats and voivodeships
//! by the names users typed, counted, and drawn as a choropleth of Poland (SVG for the site and
//! the Raporty view, projected rings for the annual report's PDF) from the bundled boundaries.

use crate::text::collation;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// Whoever shows the map owes this line to the boundaries' author (data/geo/LICENSE).
pub const MAP_CREDIT: &str = "Granice: Piotr Patrzyk, licencja MIT";

/// Where an organisation is, as stored in the register (free text typed by users or imported).
#[derive(Debug, Clone, Serialize)]
pub struct OrganizationPlace {
    pub id: i64,
    pub name: String,
    pub gmina: Option<String>,
    pub powiat: Option<String>,
    pub voivodeship: Option<String>,
}

/// One powiat or voivodeship with the number of organisations in it.
#[derive(Debug, Clone, Serialize)]
pub struct AreaCount {
    /// The powiat without its "powiat " prefix ("krakowski", "Kraków"), or the voivodeship.
    pub name: String,
    pub voivodeship: String,
    pub count: usize,
}

/// A gmina as the register spells it, within the powiat its organisations were matched to.
#[derive(Debug, Clone, Serialize)]
pub struct GminaCount {
    pub gmina: String,
    pub powiat: String,
    pub voivodeship: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityMap {
    /// Places given.
    pub total: usize,
    /// Places matched to a powiat.
    pub matched: usize,
    /// All 16 voivodeships in Polish order. A voivodeship counts the organisations of its powiats
    /// plus those whose voivodeship is known but whose powiat is missing or unknown: they belong
    /// on the voivodeship map although the powiat map cannot place them (they stay in
    /// `unmatched`). A powiat contradicting its voivodeship counts nowhere: either may be wrong.
    pub voivodeships: Vec<AreaCount>,
    /// All 380 powiats, by voivodeship and then name (Polish order).
    pub powiats: Vec<AreaCount>,
    /// The gminas of matched organisations as stored (grouped regardless of case), Polish order.
    pub gminas: Vec<GminaCount>,
    /// Places with no powiat, an unknown one, one shared by several voivodeships without the
    /// voivodeship to tell them apart, or one outside the voivodeship given.
    pub unmatched: Vec<OrganizationPlace>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MapLevel {
    Powiat,
    Voivodeship,
}

/// One area of the map for a PDF page, already in page coordinates (pt, y upward). Rings are
/// meant to be filled even-odd (a city powiat is a hole in the powiat around it), in the order
/// given.
#[derive(Debug, Clone)]
pub struct PdfArea {
    pub rings: Vec<Vec<(f32, f32)>>,
    pub fill: (f32, f32, f32),
    /// No organisation here: the renderer may hatch it besides the grey fill.
    pub empty: bool,
    /// As in the SVG's tooltips: "powiat krakowski (małopolskie)", "województwo śląskie".
    pub name: String,
    pub count: usize,
}

// ---------------------------------------------------------------------------------------------
// The bundled boundaries

type Ring = Vec<(f64, f64)>;
/// Polygons, each an outer ring followed by its holes; (lon, lat).
type Shape = Vec<Vec<Ring>>;

struct Voivodeship {
    name: String,
    shape: Shape,
    bbox: BBox,
}

struct Powiat {
    /// As in the file: "powiat krakowski", "powiat Kraków".
    full: String,
    /// Without "powiat ".
    short: String,
    voivodeship: usize,
    /// A city with powiat rights: its name may also stand in the gmina field.
    city: bool,
    shape: Shape,
}

struct Geo {
    voivodeships: Vec<Voivodeship>,
    powiats: Vec<Powiat>,
    /// normalize_powiat(short) → powiats bearing that name (two for the ten shared names).
    powiat_by_key: HashMap<String, Vec<usize>>,
    voivodeship_by_key: HashMap<String, usize>,
    /// Indexes in the order the map's lists use.
    voivodeship_order: Vec<usize>,
    powiat_order: Vec<usize>,
    bbox: BBox,
}

#[derive(Clone, Copy)]
struct BBox {
    min_x: f64,
    min_y: f64,
    max_x: f64,
    max_y: f64,
}

impl BBox {
    fn empty() -> Self {
        BBox {
            min_x: f64::INFINITY,
            min_y: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            max_y: f64::NEG_INFINITY,
        }
    }

    fn of(shape: &Shape) -> Self {
        let mut b = BBox::empty();
        for &(x, y) in shape.iter().flatten().flatten() {
            b.min_x = b.min_x.min(x);
            b.min_y = b.min_y.min(y);
            b.max_x = b.max_x.max(x);
            b.max_y = b.max_y.max(y);
        }
        b
    }

    fn union(self, o: BBox) -> Self {
        BBox {
            min_x: self.min_x.min(o.min_x),
            min_y: self.min_y.min(o.min_y),
            max_x: self.max_x.max(o.max_x),
            max_y: self.max_y.max(o.max_y),
        }
    }

    fn contains(&self, (x, y): (f64, f64)) -> bool {
        x >= self.min_x && x <= self.max_x && y >= self.min_y && y <= self.max_y
    }
}

#[derive(Deserialize)]
struct FeatureCollection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Properties {
    nazwa: String,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

impl Geometry {
    fn into_shape(self) -> Shape {
        let polygon = |p: Vec<Vec<[f64; 2]>>| -> Vec<Ring> {
            p.into_iter()
                .map(|r| r.into_iter().map(|[x, y]| (x, y)).collect())
                .collect()
        };
        match self {
            Geometry::Polygon(p) => vec![polygon(p)],
            Geometry::MultiPolygon(ps) => ps.into_iter().map(polygon).collect(),
        }
    }
}

static GEO: LazyLock<Geo> = LazyLock::new(load);

fn parse(json: &str, what: &str) -> Vec<Feature> {
    // Bundled at build time and covered by the tests: failing here is a packaging error.
    serde_json::from_str::<FeatureCollection>(json)
        .unwrap_or_else(|e| panic!("bundled {what} boundaries: {e}"))
        .features
}

fn load() -> Geo {
    let voivodeships: Vec<Voivodeship> = parse(
        include_str!("../../data/geo/wojewodztwa-min.geojson"),
        "voivodeship",
    )
    .into_iter()
    .map(|f| {
        let shape = f.geometry.into_shape();
        Voivodeship {
            name: f.properties.nazwa,
            bbox: BBox::of(&shape),
            shape,
        }
    })
    .collect();
    let powiats: Vec<Powiat> = parse(include_str!("../../data/geo/powiaty-min.geojson"), "powiat")
        .into_iter()
        .map(|f| {
            let shape = f.geometry.into_shape();
            let full = f.properties.nazwa;
            let short = full.strip_prefix("powiat ").unwrap_or(&full).to_string();
            Powiat {
                city: short.chars().next().is_some_and(char::is_uppercase),
                voivodeship: voivodeship_of(&shape, &voivodeships),
                full,
                short,
                shape,
            }
        })
        .collect();

    let mut powiat_by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in powiats.iter().enumerate() {
        powiat_by_key
            .entry(normalize_powiat(&p.short))
            .or_default()
            .push(i);
    }
    let voivodeship_by_key = voivodeships
        .iter()
        .enumerate()
        .map(|(i, v)| (normalize_voivodeship(&v.name), i))
        .collect();
    let mut voivodeship_order: Vec<usize> = (0..voivodeships.len()).collect();
    voivodeship_order
        .sort_by(|&a, &b| collation::compare(&voivodeships[a].name, &voivodeships[b].name));
    let rank: Vec<usize> = {
        let mut r = vec![0; voivodeships.len()];
        for (pos, &v) in voivodeship_order.iter().enumerate() {
            r[v] = pos;
        }
        r
    };
    let mut powiat_order: Vec<usize> = (0..powiats.len()).collect();
    powiat_order.sort_by(|&a, &b| {
        rank[powiats[a].voivodeship]
            .cmp(&rank[powiats[b].voivodeship])
            .then_with(|| collation::compare(&powiats[a].short, &powiats[b].short))
    });
    let bbox = voivodeships
        .iter()
        .map(|v| v.bbox)
        .chain(powiats.iter().map(|p| BBox::of(&p.shape)))
        .fold(BBox::empty(), BBox::union);
    Geo {
        voivodeships,
        powiats,
        powiat_by_key,
        voivodeship_by_key,
        voivodeship_order,
        powiat_order,
        bbox,
    }
}

/// Even-odd point in polygon over every ring of the shape, so holes are outside.
fn contains(shape: &Shape, (x, y): (f64, f64)) -> bool {
    let mut inside = false;
    for ring in shape.iter().flatten() {
        let n = ring.len();
        for i in 0..n {
            let (ax, ay) = ring[i];
            let (bx, by) = ring[(i + 1) % n];
            if (ay > y) != (by > y) && x < ax + (y - ay) * (bx - ax) / (by - ay) {
                inside = !inside;
            }
        }
    }
    inside
}

/// Points surely inside the shape, each with a weight: the middles of the widest inside runs of
/// horizontal lines across it. The powiat and voivodeship files are simplified separately, so a
/// powiat's vertices and thin edges may poke into the neighbouring voivodeship; the middle of a
/// wide run never does.
fn interior_points(shape: &Shape) -> Vec<((f64, f64), f64)> {
    const LINES: usize = 11;
    let b = BBox::of(shape);
    let mut points = Vec::with_capacity(LINES);
    let mut xs = Vec::new();
    for i in 0..LINES {
        // The odd offset keeps the lines off the 4-decimal vertex grid.
        let y = b.min_y + (b.max_y - b.min_y) * ((i as f64 + 0.5) / LINES as f64 + 0.000_731);
        xs.clear();
        for ring in shape.iter().flatten() {
            let n = ring.len();
            for j in 0..n {
                let (ax, ay) = ring[j];
                let (bx, by) = ring[(j + 1) % n];
                if (ay > y) != (by > y) {
                    xs.push(ax + (y - ay) * (bx - ax) / (by - ay));
                }
            }
        }
        xs.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
        let widest = xs
            .chunks_exact(2)
            .map(|c| (c[0], c[1] - c[0]))
            .max_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(Ordering::Equal));
        if let Some((start, width)) = widest {
            points.push(((start + width / 2.0, y), width));
        }
    }
    points
}

/// The voivodeship holding most of the powiat (the powiat file does not say).
fn voivodeship_of(shape: &Shape, voivodeships: &[Voivodeship]) -> usize {
    let mut votes = vec![0.0; voivodeships.len()];
    for (point, weight) in interior_points(shape) {
        if let Some(v) = voivodeships
            .iter()
            .position(|v| v.bbox.contains(point) && contains(&v.shape, point))
        {
            votes[v] += weight;
        }
    }
    if votes.iter().all(|&w| w == 0.0) {
        // Not seen with the bundled files; the nearest voivodeship centre is the best guess.
        let b = BBox::of(shape);
        let c = ((b.min_x + b.max_x) / 2.0, (b.min_y + b.max_y) / 2.0);
        let dist = |v: &Voivodeship| {
            let vx = (v.bbox.min_x + v.bbox.max_x) / 2.0 - c.0;
            let vy = (v.bbox.min_y + v.bbox.max_y) / 2.0 - c.1;
            vx * vx + vy * vy
        };
        return (0..voivodeships.len())
            .min_by(|&a, &b| {
                dist(&voivodeships[a])
                    .partial_cmp(&dist(&voivodeships[b]))
                    .unwrap_or(Ordering::Equal)
            })
            .unwrap_or(0);
    }
    (0..votes.len())
        .max_by(|&a, &b| votes[a].partial_cmp(&votes[b]).unwrap_or(Ordering::Equal))
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Matching what users typed

/// NFC (a name pasted from a Mac arrives decomposed), Unicode lowercase, single spaces, and
/// "Bielsko - Biała" written as "bielsko-biała".
fn simplify(s: &str) -> String {
    let lower = s.nfc().collect::<String>().to_lowercase();
    let joined = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .replace(['\u{2013}', '\u{2014}', '\u{2010}', '\u{2011}'], "-")
        .replace(" - ", "-")
        .replace("- ", "-")
        .replace(" -", "-")
}

fn strip_affixes(mut s: String, prefixes: &[&str], suffixes: &[&str]) -> String {
    // Repeated because people stack them: "powiat m. Kraków", "Kraków - miasto (grodzki)".
    loop {
        let before = s.len();
        for p in prefixes {
            if let Some(rest) = s.strip_prefix(p) {
                s = rest.trim_start().to_string();
            }
        }
        for x in suffixes {
            if let Some(rest) = s.strip_suffix(x) {
                s = rest.trim_end().to_string();
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

/// The key a powiat name is looked up by: "Powiat  Krakowski" → "krakowski", "m.st. Warszawa"
/// → "warszawa", "Kraków (grodzki)" → "kraków". Polish letters are kept: "Łódź" is not "lodz".
pub fn normalize_powiat(s: &str) -> String {
    // Longer prefixes first: "miasto na prawach powiatu " before "miasto ", "m. st. " before "m. ".
    const PREFIXES: &[&str] = &[
        "miasto na prawach powiatu",
        "miasto stołeczne",
        "powiat miejski",
        "powiat grodzki",
        "powiat ziemski",
        "powiat",
        "pow.",
        "m. st.",
        "m.st.",
        "miasto",
        "m.",
    ];
    const SUFFIXES: &[&str] = &["(grodzki)", " grodzki", "(miasto)", "-miasto"];
    // "powiat" alone must stay a prefix of a name, never eat one ("powiatowy" is no powiat).
    let s = simplify(s);
    let mut s = strip_affixes(s, &[], SUFFIXES);
    loop {
        let before = s.len();
        for p in PREFIXES {
            if let Some(rest) = s.strip_prefix(p) {
                if p.ends_with('.') || rest.starts_with(' ') {
                    s = rest.trim_start().to_string();
                }
            }
        }
        s = strip_affixes(s, &[], SUFFIXES);
        if s.len() == before {
            return s;
        }
    }
}

/// "Województwo Śląskie", "woj. śląskie" → "śląskie".
pub fn normalize_voivodeship(s: &str) -> String {
    strip_affixes(simplify(s), &["województwo ", "woj. ", "woj."], &[])
}

/// A gmina that may name a city with powiat rights: "Gmina Miejska Kraków" → "kraków".
fn normalize_gmina(s: &str) -> String {
    normalize_powiat(&strip_affixes(
        simplify(s),
        &["gmina miejska ", "gmina ", "gm. "],
        &[],
    ))
}

enum Placement {
    Powiat(usize),
    /// The voivodeship is known, the powiat is not.
    VoivodeshipOnly(usize),
    Nowhere,
}

fn nonempty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn place(geo: &Geo, p: &OrganizationPlace) -> Placement {
    // A voivodeship we cannot read ("Małopolska") is treated as not given: it decides nothing
    // for an ambiguous powiat, and does not veto a powiat whose name is unique in Poland.
    let voivodeship = p
        .voivodeship
        .as_deref()
        .map(normalize_voivodeship)
        .and_then(nonempty)
        .and_then(|k| geo.voivodeship_by_key.get(&k).copied());
    let fallback = || match voivodeship {
        Some(v) => Placement::VoivodeshipOnly(v),
        None => Placement::Nowhere,
    };
    let in_voivodeship = |candidates: &[usize]| -> Option<usize> {
        match voivodeship {
            Some(v) => candidates
                .iter()
                .copied()
                .find(|&c| geo.powiats[c].voivodeship == v),
            None if candidates.len() == 1 => Some(candidates[0]),
            None => None,
        }
    };
    if let Some(key) = p.powiat.as_deref().map(normalize_powiat).and_then(nonempty) {
        return match geo.powiat_by_key.get(&key) {
            Some(candidates) => match in_voivodeship(candidates) {
                Some(c) => Placement::Powiat(c),
                None => Placement::Nowhere,
            },
            None => fallback(),
        };
    }
    // No powiat, but the gmina may be a city that is its own powiat ("Kraków").
    let city = p
        .gmina
        .as_deref()
        .map(normalize_gmina)
        .and_then(nonempty)
        .and_then(|k| geo.powiat_by_key.get(&k))
        .map(|c| {
            c.iter()
                .copied()
                .filter(|&i| geo.powiats[i].city)
                .collect::<Vec<_>>()
        })
        .and_then(|c| in_voivodeship(&c));
    match city {
        Some(c) => Placement::Powiat(c),
        None => fallback(),
    }
}

/// Places the organisations on the map and counts them per area.
pub fn activity_map(places: &[OrganizationPlace]) -> ActivityMap {
    let geo = &*GEO;
    let mut per_powiat = vec![0usize; geo.powiats.len()];
    let mut per_voivodeship = vec![0usize; geo.voivodeships.len()];
    let mut unmatched = Vec::new();
    // (gmina key, powiat) → (gmina as first seen, count)
    let mut gminas: HashMap<(String, usize), (String, usize)> = HashMap::new();
    for p in places {
        match place(geo, p) {
            Placement::Powiat(i) => {
                per_powiat[i] += 1;
                per_voivodeship[geo.powiats[i].voivodeship] += 1;
                let shown = p
                    .gmina
                    .as_deref()
                    .map(|g| g.split_whitespace().collect::<Vec<_>>().join(" "))
                    .and_then(nonempty);
                if let Some(shown) = shown {
                    gminas
                        .entry((simplify(&shown), i))
                        .or_insert_with(|| (shown, 0))
                        .1 += 1;
                }
            }
            Placement::VoivodeshipOnly(v) => {
                per_voivodeship[v] += 1;
                unmatched.push(p.clone());
            }
            Placement::Nowhere => unmatched.push(p.clone()),
        }
    }
    let voivodeships = geo
        .voivodeship_order
        .iter()
        .map(|&v| AreaCount {
            name: geo.voivodeships[v].name.clone(),
            voivodeship: geo.voivodeships[v].name.clone(),
            count: per_voivodeship[v],
        })
        .collect();
    let powiats = geo
        .powiat_order
        .iter()
        .map(|&i| AreaCount {
            name: geo.powiats[i].short.clone(),
            voivodeship: geo.voivodeships[geo.powiats[i].voivodeship].name.clone(),
            count: per_powiat[i],
        })
        .collect();
    let mut gminas: Vec<GminaCount> = gminas
        .into_iter()
        .map(|((_, i), (gmina, count))| GminaCount {
            gmina,
            powiat: geo.powiats[i].short.clone(),
            voivodeship: geo.voivodeships[geo.powiats[i].voivodeship].name.clone(),
            count,
        })
        .collect();
    gminas.sort_by(|a, b| {
        collation::compare(&a.gmina, &b.gmina)
            .then_with(|| collation::compare(&a.voivodeship, &b.voivodeship))
            .then_with(|| collation::compare(&a.powiat, &b.powiat))
    });
    ActivityMap {
        total: places.len(),
        matched: places.len() - unmatched.len(),
        voivodeships,
        powiats,
        gminas,
        unmatched,
    }
}

// ---------------------------------------------------------------------------------------------
// Classes and colours

/// ColorBrewer "Blues" (sequential, safe for colour-blind readers and in greyscale); its lightest
/// tones are left out so that an area with organisations never looks like the grey of none.
const BLUES: [(u8, u8, u8); 4] = [
    (0xbd, 0xd7, 0xe7),
    (0x6b, 0xae, 0xd6),
    (0x31, 0x82, 0xbd),
    (0x08, 0x51, 0x9c),
];
const EMPTY_FILL: (u8, u8, u8) = (0xe6, 0xe6, 0xe6);
const HATCH: &str = "#6b6b6b";

/// One drawn area, whichever the level.
struct Drawn<'a> {
    shape: &'a Shape,
    label: String,
    name: &'a str,
    voivodeship: &'a str,
    count: usize,
}

fn drawn_areas(map: &ActivityMap, level: MapLevel) -> Vec<Drawn<'static>> {
    let geo: &'static Geo = &GEO;
    match level {
        MapLevel::Powiat => {
            let counts: HashMap<(&str, &str), usize> = map
                .powiats
                .iter()
                .map(|a| ((a.voivodeship.as_str(), a.name.as_str()), a.count))
                .collect();
            // Cities last: they are holes in the powiat around them, and a renderer that fills
            // rings without holes still shows them on top.
            let mut order: Vec<usize> = (0..geo.powiats.len()).collect();
            order.sort_by_key(|&i| geo.powiats[i].city);
            order
                .into_iter()
                .map(|i| {
                    let p = &geo.powiats[i];
                    let v = geo.voivodeships[p.voivodeship].name.as_str();
                    Drawn {
                        shape: &p.shape,
                        label: format!("{} ({v})", p.full),
                        name: &p.short,
                        voivodeship: v,
                        count: counts.get(&(v, p.short.as_str())).copied().unwrap_or(0),
                    }
                })
                .collect()
        }
        MapLevel::Voivodeship => {
            let counts: HashMap<&str, usize> = map
                .voivodeships
                .iter()
                .map(|a| (a.name.as_str(), a.count))
                .collect();
            geo.voivodeships
                .iter()
                .map(|v| Drawn {
                    shape: &v.shape,
                    label: format!("województwo {}", v.name),
                    name: &v.name,
                    voivodeship: &v.name,
                    count: counts.get(v.name.as_str()).copied().unwrap_or(0),
                })
                .collect()
        }
    }
}

fn max_count(map: &ActivityMap, level: MapLevel) -> usize {
    let areas = match level {
        MapLevel::Powiat => &map.powiats,
        MapLevel::Voivodeship => &map.voivodeships,
    };
    areas.iter().map(|a| a.count).max().unwrap_or(0)
}

/// Lower bounds of the classes above zero: round numbers spaced evenly on a log scale up to the
/// largest count, so that a map of one town's register and one of the whole country both show
/// differences (1, 2–4, 5–9, 10+ for a maximum of 20; 1–4, 5–29, 30–199, 200+ for 1000).
fn class_bounds(max: usize) -> Vec<usize> {
    if max <= 4 {
        return (1..=max.max(1)).collect();
    }
    let nice = |t: f64| -> usize {
        let mut best = 1usize;
        let mut scale = 1usize;
        while scale as f64 <= t * 10.0 {
            for m in [1, 2, 3, 5] {
                let n = m * scale;
                if ((n as f64) / t).ln().abs() < ((best as f64) / t).ln().abs() {
                    best = n;
                }
            }
            scale = scale.saturating_mul(10);
        }
        best
    };
    let mut bounds = vec![1];
    for k in 1..=3 {
        let n = nice((max as f64).powf(k as f64 / 4.0));
        if bounds.last().is_some_and(|&l| n > l) && n <= max {
            bounds.push(n);
        }
    }
    bounds
}

fn palette(classes: usize) -> Vec<(u8, u8, u8)> {
    match classes {
        0 | 1 => vec![BLUES[2]],
        n => (0..n)
            .map(|i| BLUES[(i * (BLUES.len() - 1) + (n - 1) / 2) / (n - 1)])
            .collect(),
    }
}

struct Classes {
    bounds: Vec<usize>,
    colours: Vec<(u8, u8, u8)>,
}

impl Classes {
    fn new(map: &ActivityMap, level: MapLevel) -> Self {
        let bounds = class_bounds(max_count(map, level));
        let colours = palette(bounds.len());
        Classes { bounds, colours }
    }

    fn colour(&self, count: usize) -> (u8, u8, u8) {
        if count == 0 {
            return EMPTY_FILL;
        }
        let class = self.bounds.iter().rposition(|&b| count >= b).unwrap_or(0);
        self.colours[class.min(self.colours.len() - 1)]
    }

    fn labels(&self) -> Vec<(String, (u8, u8, u8))> {
        let mut out = vec![("0".to_string(), EMPTY_FILL)];
        for (i, &low) in self.bounds.iter().enumerate() {
            let label = match self.bounds.get(i + 1) {
                Some(&next) if next - 1 == low => low.to_string(),
                Some(&next) => format!("{low}\u{2013}{}", next - 1),
                None => format!("{low} i więcej"),
            };
            out.push((label, self.colours[i]));
        }
        out
    }
}

fn unit((r, g, b): (u8, u8, u8)) -> (f32, f32, f32) {
    (r as f32 / 255.0, g as f32 / 255.0, b as f32 / 255.0)
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The legend's classes: (label, fill colour), "0" (no organisation, grey) first.
pub fn legend(map: &ActivityMap, level: MapLevel) -> Vec<(String, (f32, f32, f32))> {
    Classes::new(map, level)
        .labels()
        .into_iter()
        .map(|(l, c)| (l, unit(c)))
        .collect()
}

/// "brak organizacji", "1 organizacja", "3 organizacje", "12 organizacji", "22 organizacje".
fn organizations(n: usize) -> String {
    match (n, n % 10, n % 100) {
        (0, _, _) => "brak organizacji".to_string(),
        (1, _, _) => "1 organizacja".to_string(),
        (_, 2..=4, t) if !(12..=14).contains(&t) => format!("{n} organizacje"),
        _ => format!("{n} organizacji"),
    }
}

// ---------------------------------------------------------------------------------------------
// Drawing

/// cos 52° – Poland's middle latitude: an equirectangular projection squeezed so that the
/// country keeps its shape without a projection library.
const X_SCALE: f64 = 0.615_661_475_325_658_3;

/// Maps (lon, lat) into a box; `flip` for PDF, where y grows upward.
struct Projection {
    scale: f64,
    left: f64,
    top: f64,
    flip: bool,
    bbox: BBox,
}

impl Projection {
    fn fit(bbox: BBox, left: f64, top: f64, width: f64, height: f64, flip: bool) -> Self {
        let w = (bbox.max_x - bbox.min_x) * X_SCALE;
        let h = bbox.max_y - bbox.min_y;
        let scale = (width / w).min(height / h).max(0.0);
        Projection {
            scale,
            left: left + (width - w * scale) / 2.0,
            top: top + (height - h * scale) / 2.0,
            flip,
            bbox,
        }
    }

    fn point(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        let x = self.left + (lon - self.bbox.min_x) * X_SCALE * self.scale;
        let y = if self.flip {
            self.top + (lat - self.bbox.min_y) * self.scale
        } else {
            self.top + (self.bbox.max_y - lat) * self.scale
        };
        (x, y)
    }
}

/// Only what XML 1.0 allows, with `& < > "` escaped: names come from user data.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            c => out.push(c),
        }
    }
    out
}

/// One decimal, without a trailing ".0": about a third less text for the same drawing.
fn push_number(out: &mut String, v: f64) {
    let tenths = (v * 10.0).round() as i64;
    if tenths % 10 == 0 {
        let _ = write!(out, "{}", tenths / 10);
    } else {
        let sign = if tenths < 0 { "-" } else { "" };
        let _ = write!(out, "{sign}{}.{}", (tenths / 10).abs(), (tenths % 10).abs());
    }
}

fn path_data(shape: &Shape, projection: &Projection) -> String {
    let mut d = String::new();
    for ring in shape.iter().flatten() {
        let mut points: Vec<(i64, i64)> = Vec::with_capacity(ring.len());
        for &p in ring {
            let (x, y) = projection.point(p);
            let q = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
            if points.last() != Some(&q) {
                points.push(q);
            }
        }
        if points.len() > 1 && points.first() == points.last() {
            points.pop();
        }
        if points.len() < 3 {
            continue;
        }
        for (i, (x, y)) in points.into_iter().enumerate() {
            d.push(if i == 0 { 'M' } else { 'L' });
            push_number(&mut d, x as f64 / 10.0);
            d.push(' ');
            push_number(&mut d, y as f64 / 10.0);
        }
        d.push('Z');
    }
    d
}

const WIDTH: f64 = 800.0;
const MARGIN: f64 = 16.0;
const FONT: &str = "'DejaVu Sans', sans-serif";
/// Near-black on white: far above WCAG AA's 4.5:1 for every text of the drawing.
const TEXT: &str = "#1a1a1a";
const SMALL_TEXT: &str = "#3d3d3d";
const LEGEND_ROW: f64 = 28.0;

/// A standalone SVG document (with xmlns, `role="img"`, `<title>` and `<desc>` with
/// aria-labelledby) that is ALSO valid when inlined in an HTML5 page (no XML declaration, no
/// DOCTYPE). `title` is escaped.
pub fn map_svg(map: &ActivityMap, level: MapLevel, title: &str) -> String {
    let geo = &*GEO;
    // Both levels may share one HTML page: their ids must differ.
    let suffix = match level {
        MapLevel::Powiat => "powiaty",
        MapLevel::Voivodeship => "wojewodztwa",
    };
    let areas = drawn_areas(map, level);
    let classes = Classes::new(map, level);
    let empty_fill = format!("url(#mapa-{suffix}-brak)");
    let header = 44.0;
    let map_width = WIDTH - 2.0 * MARGIN;
    let map_height = map_width * (geo.bbox.max_y - geo.bbox.min_y)
        / ((geo.bbox.max_x - geo.bbox.min_x) * X_SCALE);
    let projection = Projection::fit(geo.bbox, MARGIN, header, map_width, map_height, false);
    let legend_top = header + map_height + 20.0;
    // Laid out before anything is written: the rows decide the document's height. Widths are
    // estimated (DejaVu Sans averages under 0.6 em), wrapping before the right margin.
    let mut legend_items = Vec::new();
    let (mut x, mut row) = (MARGIN, 0.0);
    for (i, (label, colour)) in classes.labels().into_iter().enumerate() {
        let (label, fill) = if i == 0 {
            (format!("{label} (brak organizacji)"), empty_fill.clone())
        } else {
            (label, hex(colour))
        };
        let width = 28.0 + label.chars().count() as f64 * 8.0 + 24.0;
        if x > MARGIN && x + width > WIDTH - MARGIN {
            x = MARGIN;
            row += 1.0;
        }
        legend_items.push((label, fill, x, row));
        x += width;
    }
    let rows = row + 1.0;
    let height = (legend_top + 16.0 + rows * LEGEND_ROW + 50.0).ceil();

    let unit_name = match level {
        MapLevel::Powiat => "powiatach",
        MapLevel::Voivodeship => "województwach",
    };
    let empty_count = areas.iter().filter(|a| a.count == 0).count();
    let description = format!(
        "Kartogram: liczba organizacji w {unit_name}. Obszary bez żadnej organizacji ({empty_count}) \
         są szare i zakreskowane. Na mapie {} z {} organizacji. {MAP_CREDIT}.",
        match level {
            MapLevel::Powiat => map.matched,
            MapLevel::Voivodeship => map.voivodeships.iter().map(|v| v.count).sum(),
        },
        map.total
    );

    let mut s = String::with_capacity(400_000);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" \
         aria-labelledby=\"mapa-{suffix}-tytul mapa-{suffix}-opis\" class=\"activity-map\">\n\
         <title id=\"mapa-{suffix}-tytul\">{}</title>\n<desc id=\"mapa-{suffix}-opis\">{}</desc>\n",
        esc(title),
        esc(&description)
    );
    let _ = write!(
        s,
        "<defs><pattern id=\"mapa-{suffix}-brak\" patternUnits=\"userSpaceOnUse\" width=\"6\" \
         height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{}\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{HATCH}\" stroke-width=\"1.6\"/>\
         </pattern></defs>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n\
         <text x=\"{MARGIN}\" y=\"28\" font-family=\"{FONT}\" font-size=\"18\" font-weight=\"bold\" \
         fill=\"{TEXT}\">{}</text>\n",
        hex(EMPTY_FILL),
        esc(title)
    );
    s.push_str("<g stroke=\"#5a5a5a\" stroke-width=\"0.4\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">\n");
    for a in &areas {
        let fill = if a.count == 0 {
            empty_fill.clone()
        } else {
            hex(classes.colour(a.count))
        };
        let _ = writeln!(
            s,
            "<path class=\"area\" data-name=\"{}\" data-voivodeship=\"{}\" data-count=\"{}\" \
             fill=\"{fill}\" d=\"{}\"><title>{}: {}</title></path>",
            esc(a.name),
            esc(a.voivodeship),
            a.count,
            path_data(a.shape, &projection),
            esc(&a.label),
            organizations(a.count)
        );
    }
    s.push_str("</g>\n");
    if level == MapLevel::Powiat {
        s.push_str(
            "<g class=\"borders\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"1.4\" \
             stroke-linejoin=\"round\" pointer-events=\"none\" aria-hidden=\"true\">\n",
        );
        for v in &geo.voivodeships {
            let _ = writeln!(s, "<path d=\"{}\"/>", path_data(&v.shape, &projection));
        }
        s.push_str("</g>\n");
    }

    let _ = write!(
        s,
        "<g class=\"legend\" font-family=\"{FONT}\" fill=\"{TEXT}\">\n\
         <text x=\"{MARGIN}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\">Liczba organizacji w {}</text>\n",
        legend_top + 4.0,
        match level {
            MapLevel::Powiat => "powiecie",
            MapLevel::Voivodeship => "województwie",
        }
    );
    for (label, fill, x, row) in &legend_items {
        let top = legend_top + 16.0 + row * LEGEND_ROW;
        let _ = writeln!(
            s,
            "<rect x=\"{x}\" y=\"{top}\" width=\"20\" height=\"20\" fill=\"{fill}\" \
             stroke=\"#5a5a5a\" stroke-width=\"0.8\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"13\">{}</text>",
            x + 28.0,
            top + 15.0,
            esc(label)
        );
    }
    let box_top = legend_top + 16.0 + rows * LEGEND_ROW;
    let _ = write!(
        s,
        "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"12\">Na mapie {} z {} organizacji.</text>\n\
         <text x=\"{MARGIN}\" y=\"{}\" font-size=\"11\" fill=\"{SMALL_TEXT}\">{}</text>\n</g>\n</svg>\n",
        box_top + 20.0,
        match level {
            MapLevel::Powiat => map.matched,
            MapLevel::Voivodeship => map.voivodeships.iter().map(|v| v.count).sum(),
        },
        map.total,
        box_top + 40.0,
        esc(MAP_CREDIT)
    );
    s
}

/// Same drawing for a PDF page: each area's rings already projected into the box (x, y, width,
/// height) in PDF points (y grows upward in PDF!), with its fill colour (r,g,b in 0..1) and
/// whether it has no organisation.
pub fn pdf_areas(
    map: &ActivityMap,
    level: MapLevel,
    x: f32,
    y: f32,
    width: f32,
    height: f32,
) -> Vec<PdfArea> {
    let geo = &*GEO;
    let classes = Classes::new(map, level);
    let projection = Projection::fit(
        geo.bbox,
        f64::from(x),
        f64::from(y),
        f64::from(width),
        f64::from(height),
        true,
    );
    drawn_areas(map, level)
        .into_iter()
        .map(|a| PdfArea {
            rings: a
                .shape
                .iter()
                .flatten()
                .map(|ring| {
                    ring.iter()
                        .map(|&p| {
                            let (px, py) = projection.point(p);
                            (px as f32, py as f32)
                        })
                        .collect()
                })
                .collect(),
            fill: unit(classes.colour(a.count)),
            empty: a.count == 0,
            name: a.label,
            count: a.count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn at(
        id: i64,
        gmina: Option<&str>,
        powiat: Option<&str>,
        voivodeship: Option<&str>,
    ) -> OrganizationPlace {
        OrganizationPlace {
            id,
            name: format!("Organizacja {id}"),
            gmina: gmina.map(str::to_string),
            powiat: powiat.map(str::to_string),
            voivodeship: voivodeship.map(str::to_string),
        }
    }

    fn register() -> Vec<OrganizationPlace> {
        vec![
            // Unique in Poland: no voivodeship needed.
            at(1, Some("Zakopane"), Some("tatrzański"), None),
            at(2, None, Some("bielski"), Some("śląskie")),
            at(3, None, Some("Powiat Bielski"), Some("woj. podlaskie")),
            // Two powiats bielski and nothing to choose.
            at(4, None, Some("bielski"), None),
            at(5, None, Some("m.st. Warszawa"), None),
            at(
                6,
                Some("Skawina"),
                Some("powiat krakowski"),
                Some("województwo małopolskie"),
            ),
            // Powiat krakowski is not in pomorskie.
            at(7, None, Some("krakowski"), Some("pomorskie")),
            // No powiat: counts only for the voivodeship.
            at(8, Some("Zakopane"), None, Some("małopolskie")),
            // An empty powiat, the gmina names a city with powiat rights.
            at(9, Some("Kraków"), Some("  "), None),
            at(
                10,
                Some(" kraków "),
                Some("Kraków (grodzki)"),
                Some("Małopolskie"),
            ),
            at(11, None, Some("nieistniejący"), Some("WOJEWÓDZTWO ŚLĄSKIE")),
        ]
    }

    fn count<'a>(areas: &'a [AreaCount], voivodeship: &str, name: &str) -> &'a AreaCount {
        areas
            .iter()
            .find(|a| a.voivodeship == voivodeship && a.name == name)
            .unwrap_or_else(|| panic!("{name} ({voivodeship}) on the map"))
    }

    #[test]
    fn powiats_per_voivodeship() {
        let map = activity_map(&[]);
        let expected = [
            ("dolnośląskie", 30),
            ("kujawsko-pomorskie", 23),
            ("lubelskie", 24),
            ("lubuskie", 14),
            ("łódzkie", 24),
            ("małopolskie", 22),
            ("mazowieckie", 42),
            ("opolskie", 12),
            ("podkarpackie", 25),
            ("podlaskie", 17),
            ("pomorskie", 20),
            ("śląskie", 36),
            ("świętokrzyskie", 14),
            ("warmińsko-mazurskie", 21),
            ("wielkopolskie", 35),
            ("zachodniopomorskie", 21),
        ];
        assert_eq!(map.powiats.len(), 380);
        let names: Vec<&str> = map.voivodeships.iter().map(|v| v.name.as_str()).collect();
        let expected_names: Vec<&str> = expected.iter().map(|e| e.0).collect();
        assert_eq!(names, expected_names, "all 16 in Polish order");
        for (v, n) in expected {
            let got = map.powiats.iter().filter(|p| p.voivodeship == v).count();
            assert_eq!(got, n, "{v}");
        }
        let bielski: Vec<&str> = map
            .powiats
            .iter()
            .filter(|p| p.name == "bielski")
            .map(|p| p.voivodeship.as_str())
            .collect();
        assert_eq!(bielski, ["podlaskie", "śląskie"]);
        // Every shared name is split between two voivodeships, never twice in one.
        for name in [
            "grodziski",
            "tomaszowski",
            "brzeski",
            "krośnieński",
            "średzki",
            "ostrowski",
            "opolski",
            "nowodworski",
            "świdnicki",
        ] {
            let mut vs: Vec<&str> = map
                .powiats
                .iter()
                .filter(|p| p.name == name)
                .map(|p| p.voivodeship.as_str())
                .collect();
            vs.dedup();
            assert_eq!(vs.len(), 2, "{name}: {vs:?}");
        }
        // Spot checks of cities drawn as holes inside the powiat around them.
        assert_eq!(count(&map.powiats, "małopolskie", "Kraków").count, 0);
        assert_eq!(count(&map.powiats, "podkarpackie", "Krosno").count, 0);
        assert_eq!(count(&map.powiats, "lubuskie", "krośnieński").count, 0);
        assert_eq!(count(&map.powiats, "mazowieckie", "Warszawa").count, 0);
    }

    #[test]
    fn powiat_names_are_normalized() {
        assert_eq!(normalize_powiat("  Powiat   Krakowski "), "krakowski");
        assert_eq!(normalize_powiat("pow. tatrzański"), "tatrzański");
        assert_eq!(normalize_powiat("pow.tatrzański"), "tatrzański");
        assert_eq!(normalize_powiat("m.st. Warszawa"), "warszawa");
        assert_eq!(normalize_powiat("m. st. Warszawa"), "warszawa");
        assert_eq!(normalize_powiat("Miasto Stołeczne Warszawa"), "warszawa");
        assert_eq!(normalize_powiat("powiat Warszawa"), "warszawa");
        assert_eq!(normalize_powiat("m. Kraków"), "kraków");
        assert_eq!(normalize_powiat("miasto Kraków"), "kraków");
        assert_eq!(
            normalize_powiat("Miasto na prawach powiatu Kraków"),
            "kraków"
        );
        assert_eq!(normalize_powiat("Kraków (grodzki)"), "kraków");
        assert_eq!(normalize_powiat("Kraków grodzki"), "kraków");
        assert_eq!(normalize_powiat("powiat m. Nowy  Sącz"), "nowy sącz");
        assert_eq!(normalize_powiat("Bielsko - Biała"), "bielsko-biała");
        assert_eq!(normalize_powiat("ŁÓDŹ"), "łódź");
        assert_eq!(normalize_powiat("ŚREDZKI"), "średzki");
        // A decomposed "ł" does not exist, but "ś" typed as s + combining acute does.
        assert_eq!(normalize_powiat("s\u{301}redzki"), "średzki");
        assert_ne!(normalize_powiat("Lodz"), normalize_powiat("Łódź"));
        assert_eq!(normalize_powiat("grodziski"), "grodziski");
        assert_eq!(normalize_powiat("miastkowski"), "miastkowski");
        assert_eq!(normalize_powiat("powiatowy"), "powiatowy");
        assert_eq!(normalize_powiat("   "), "");
        assert_eq!(normalize_voivodeship("Województwo  Śląskie"), "śląskie");
        assert_eq!(normalize_voivodeship("woj. małopolskie"), "małopolskie");
        assert_eq!(normalize_voivodeship("woj.Łódzkie"), "łódzkie");
        assert_eq!(
            normalize_voivodeship("Kujawsko - Pomorskie"),
            "kujawsko-pomorskie"
        );
        assert_eq!(normalize_gmina("Gmina Miejska Kraków"), "kraków");
    }

    #[test]
    fn every_powiat_is_found_by_its_own_name() {
        let geo = &*GEO;
        for (i, p) in geo.powiats.iter().enumerate() {
            let v = geo.voivodeships[p.voivodeship].name.clone();
            let with = at(0, None, Some(&p.full), Some(&v));
            assert!(
                matches!(place(geo, &with), Placement::Powiat(j) if j == i),
                "{}",
                p.full
            );
        }
    }

    #[test]
    fn test_register_is_counted() {
        let map = activity_map(&register());
        assert_eq!(map.total, 11);
        assert_eq!(map.matched, 7);
        let unmatched: Vec<i64> = map.unmatched.iter().map(|p| p.id).collect();
        assert_eq!(unmatched, [4, 7, 8, 11]);
        assert_eq!(count(&map.powiats, "małopolskie", "tatrzański").count, 1);
        assert_eq!(count(&map.powiats, "śląskie", "bielski").count, 1);
        assert_eq!(count(&map.powiats, "podlaskie", "bielski").count, 1);
        assert_eq!(count(&map.powiats, "mazowieckie", "Warszawa").count, 1);
        assert_eq!(count(&map.powiats, "małopolskie", "krakowski").count, 1);
        assert_eq!(count(&map.powiats, "małopolskie", "Kraków").count, 2);
        assert_eq!(map.powiats.iter().map(|p| p.count).sum::<usize>(), 7);
        // Powiats plus the voivodeship-only records 8 and 11; record 7 counts nowhere.
        assert_eq!(
            count(&map.voivodeships, "małopolskie", "małopolskie").count,
            5
        );
        assert_eq!(count(&map.voivodeships, "śląskie", "śląskie").count, 2);
        assert_eq!(count(&map.voivodeships, "podlaskie", "podlaskie").count, 1);
        assert_eq!(
            count(&map.voivodeships, "mazowieckie", "mazowieckie").count,
            1
        );
        assert_eq!(count(&map.voivodeships, "pomorskie", "pomorskie").count, 0);
        assert_eq!(map.voivodeships.iter().map(|v| v.count).sum::<usize>(), 9);
        let gminas: Vec<(&str, &str, &str, usize)> = map
            .gminas
            .iter()
            .map(|g| {
                (
                    g.gmina.as_str(),
                    g.powiat.as_str(),
                    g.voivodeship.as_str(),
                    g.count,
                )
            })
            .collect();
        assert_eq!(
            gminas,
            [
                ("Kraków", "Kraków", "małopolskie", 2),
                ("Skawina", "krakowski", "małopolskie", 1),
                ("Zakopane", "tatrzański", "małopolskie", 1),
            ]
        );
    }

    #[test]
    fn polish_plurals() {
        assert_eq!(organizations(0), "brak organizacji");
        assert_eq!(organizations(1), "1 organizacja");
        assert_eq!(organizations(3), "3 organizacje");
        assert_eq!(organizations(5), "5 organizacji");
        assert_eq!(organizations(12), "12 organizacji");
        assert_eq!(organizations(22), "22 organizacje");
        assert_eq!(organizations(111), "111 organizacji");
    }

    #[test]
    fn classes_grow_with_the_largest_count() {
        assert_eq!(class_bounds(0), [1]);
        assert_eq!(class_bounds(3), [1, 2, 3]);
        assert_eq!(class_bounds(20), [1, 2, 5, 10]);
        assert_eq!(class_bounds(1000), [1, 5, 30, 200]);
        let labels: Vec<String> = Classes {
            bounds: class_bounds(20),
            colours: palette(4),
        }
        .labels()
        .into_iter()
        .map(|l| l.0)
        .collect();
        assert_eq!(labels, ["0", "1", "2–4", "5–9", "10 i więcej"]);
        for n in 1..=4 {
            let p = palette(n);
            assert_eq!(p.len(), n);
            assert!(p.windows(2).all(|w| w[0] != w[1]));
        }
    }

    fn parses_as_xml(svg: &str) {
        let mut reader = quick_xml::Reader::from_str(svg);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not XML at {}: {e}", reader.buffer_position()),
            }
        }
    }

    #[test]
    fn svg_has_every_area_and_is_xml() {
        let map = activity_map(&register());
        let svg = map_svg(&map, MapLevel::Powiat, "Organizacje <script>&");
        assert_eq!(svg.matches("class=\"area\"").count(), 380);
        assert!(svg.contains("<title>powiat krakowski (małopolskie): 1 organizacja</title>"));
        assert!(svg.contains("<title>powiat Kraków (małopolskie): 2 organizacje</title>"));
        assert!(svg.contains("<title>powiat bielski (podlaskie): 1 organizacja</title>"));
        assert!(svg.contains("<title>powiat sztumski (pomorskie): brak organizacji</title>"));
        assert!(svg.contains("Organizacje &lt;script&gt;&amp;"));
        assert!(!svg.contains("<script"));
        assert!(!svg.starts_with("<?xml") && !svg.contains("<!DOCTYPE"));
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby="));
        assert!(svg.contains(MAP_CREDIT));
        parses_as_xml(&svg);

        let svg = map_svg(&map, MapLevel::Voivodeship, "Województwa \"x\"");
        assert_eq!(svg.matches("class=\"area\"").count(), 16);
        assert!(svg.contains("<title>województwo małopolskie: 5 organizacji</title>"));
        assert!(svg.contains("<title>województwo śląskie: 2 organizacje</title>"));
        assert!(svg.contains("Województwa &quot;x&quot;"));
        parses_as_xml(&svg);
    }

    #[test]
    fn hostile_titles_stay_text() {
        // Area names come from the bundled files; the title is the caller's and may carry
        // anything, even characters XML forbids.
        let map = activity_map(&[]);
        let svg = map_svg(&map, MapLevel::Powiat, "\u{1}<b>\"&amp;\u{0}");
        parses_as_xml(&svg);
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("&lt;b&gt;&quot;&amp;amp;"));
    }

    #[test]
    fn pdf_areas_fit_the_box() {
        let map = activity_map(&register());
        let (x, y, w, h) = (40.0f32, 100.0f32, 500.0f32, 430.0f32);
        let areas = pdf_areas(&map, MapLevel::Powiat, x, y, w, h);
        assert_eq!(areas.len(), 380);
        for a in &areas {
            assert!(!a.rings.is_empty());
            for &(px, py) in a.rings.iter().flatten() {
                assert!(px >= x - 0.01 && px <= x + w + 0.01, "{} x {px}", a.name);
                assert!(py >= y - 0.01 && py <= y + h + 0.01, "{} y {py}", a.name);
            }
        }
        assert_eq!(areas.iter().filter(|a| !a.empty).count(), 6);
        let zakopane = areas
            .iter()
            .find(|a| a.name == "powiat tatrzański (małopolskie)")
            .expect("tatrzański");
        // The south is at the bottom of a PDF page.
        assert!(zakopane.rings[0].iter().all(|p| p.1 < y + h / 4.0));
        assert_eq!(pdf_areas(&map, MapLevel::Voivodeship, x, y, w, h).len(), 16);
        let classes = legend(&map, MapLevel::Powiat);
        assert!(classes.len() >= 2);
        assert_eq!(classes[0].0, "0");
        assert!(!legend(&activity_map(&[]), MapLevel::Voivodeship).is_empty());
    }

    #[test]
    fn timing_of_ten_thousand_places() {
        let base = register();
        let places: Vec<OrganizationPlace> = (0..10_000)
            .map(|i| {
                let mut p = base[i % base.len()].clone();
                p.id = i as i64;
                p
            })
            .collect();
        let _ = &*GEO;
        let start = Instant::now();
        let map = activity_map(&places);
        let counted = start.elapsed();
        let svg = map_svg(&map, MapLevel::Powiat, "Czas");
        println!(
            "activity_map over {} places: {counted:?}; + map_svg ({} bytes): {:?}",
            places.len(),
            svg.len(),
            start.elapsed()
        );
    }
}
