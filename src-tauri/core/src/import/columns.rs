//! What each kind of import can fill, what offices call those columns, and how the header row
//! is found under a title block and mapped to fields without the user's help.

use super::read::{Cell, SheetRow};
use super::ImportKind;
use crate::text::fold;
use serde::Serialize;

/// A field a column can be mapped to. `multi` fields take several columns ("Telefon 1",
/// "Telefon 2"); the rest take the first one only.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FieldSpec {
    pub code: &'static str,
    pub label_pl: &'static str,
    pub label_en: &'static str,
    #[serde(skip)]
    pub multi: bool,
    #[serde(skip)]
    pub synonyms: &'static [&'static str],
}

const fn f(
    code: &'static str,
    label_pl: &'static str,
    label_en: &'static str,
    multi: bool,
    synonyms: &'static [&'static str],
) -> FieldSpec {
    FieldSpec {
        code,
        label_pl,
        label_en,
        multi,
        synonyms,
    }
}

const EMAILS: &[&str] = &[
    "e mail",
    "email",
    "mail",
    "adres e mail",
    "adres email",
    "poczta e mail",
    "poczta elektroniczna",
    "e maile",
    "emaile",
    "e mail kontaktowy",
    "e mail address",
];
const PHONES: &[&str] = &[
    "telefon",
    "tel",
    "telefony",
    "nr telefonu",
    "numer telefonu",
    "nr tel",
    "telefon kontaktowy",
    "tel kom",
    "komorka",
    "telefon komorkowy",
    "phone",
    "phone number",
    "mobile",
];
const NOTES: &[&str] = &[
    "uwagi",
    "notatki",
    "notatka",
    "komentarz",
    "notes",
    "remarks",
    "comments",
];

pub const ORGANIZATION_FIELDS: &[FieldSpec] = &[
    f(
        "name",
        "Nazwa",
        "Name",
        false,
        &[
            "nazwa",
            "nazwa organizacji",
            "pelna nazwa",
            "nazwa podmiotu",
            "nazwa stowarzyszenia",
            "nazwa fundacji",
            "organizacja",
            "nazwa pelna",
            "name",
            "organization",
            "organisation",
            "organization name",
            "organisation name",
        ],
    ),
    f(
        "short_name",
        "Nazwa skrócona",
        "Short name",
        false,
        &[
            "nazwa skrocona",
            "skrocona nazwa",
            "skrot",
            "akronim",
            "short name",
            "acronym",
        ],
    ),
    f(
        "legal_form",
        "Forma prawna",
        "Legal form",
        false,
        &[
            "forma prawna",
            "forma organizacyjna",
            "forma",
            "rodzaj organizacji",
            "typ organizacji",
            "legal form",
        ],
    ),
    f(
        "krs",
        "KRS",
        "KRS",
        false,
        &["krs", "nr krs", "numer krs", "krs nr", "nr w krs"],
    ),
    f(
        "nip",
        "NIP",
        "NIP",
        false,
        &["nip", "nr nip", "numer nip", "tax id", "vat id"],
    ),
    f(
        "regon",
        "REGON",
        "REGON",
        false,
        &["regon", "nr regon", "numer regon"],
    ),
    f(
        "public_benefit",
        "Status OPP",
        "Public benefit status",
        false,
        &[
            "opp",
            "status opp",
            "organizacja pozytku publicznego",
            "pozytek publiczny",
            "public benefit",
        ],
    ),
    f(
        "street",
        "Ulica / adres",
        "Street / address",
        false,
        &[
            "ulica",
            "ul",
            "adres",
            "adres siedziby",
            "ulica i numer",
            "ulica nr",
            "street",
            "address",
            "adres do korespondencji",
        ],
    ),
    f(
        "building",
        "Numer domu",
        "Building number",
        false,
        &[
            "nr domu",
            "numer domu",
            "nr budynku",
            "nr lokalu",
            "numer",
            "nr",
        ],
    ),
    f(
        "postal_code",
        "Kod pocztowy",
        "Postal code",
        false,
        &[
            "kod pocztowy",
            "kod",
            "kod poczt",
            "postal code",
            "zip",
            "zip code",
            "postcode",
        ],
    ),
    f(
        "city",
        "Miejscowość",
        "City",
        false,
        &[
            "miejscowosc",
            "miasto",
            "siedziba",
            "city",
            "town",
            "poczta",
        ],
    ),
    f(
        "gmina",
        "Gmina",
        "Municipality",
        false,
        &["gmina", "municipality"],
    ),
    f("powiat", "Powiat", "County", false, &["powiat", "county"]),
    f(
        "voivodeship",
        "Województwo",
        "Voivodeship",
        false,
        &["wojewodztwo", "woj", "voivodeship", "region"],
    ),
    f("phones", "Telefon", "Phone", true, PHONES),
    f("emails", "E-mail", "E-mail", true, EMAILS),
    f(
        "website",
        "Strona WWW",
        "Website",
        false,
        &[
            "strona www",
            "www",
            "strona internetowa",
            "strona",
            "adres www",
            "website",
            "web",
            "url",
        ],
    ),
    f(
        "areas",
        "Sfery pożytku publicznego",
        "Spheres of public benefit",
        true,
        &[
            "obszar dzialania",
            "obszary dzialania",
            "sfera",
            "sfery",
            "sfera pozytku publicznego",
            "sfery pozytku publicznego",
            "dziedzina",
            "dziedziny",
            "obszar",
            "area",
            "areas",
        ],
    ),
    f(
        "description",
        "Opis",
        "Description",
        false,
        &[
            "opis",
            "opis dzialalnosci",
            "cele",
            "dzialalnosc",
            "description",
        ],
    ),
    f(
        "tags",
        "Etykiety",
        "Tags",
        true,
        &["tagi", "etykiety", "tags", "kategoria", "kategorie"],
    ),
    f("notes", "Uwagi", "Notes", true, NOTES),
    f(
        "member",
        "Członek (tak/nie)",
        "Member (yes/no)",
        false,
        &[
            "czlonek",
            "czlonek zwiazku",
            "czlonek sieci",
            "czlonkostwo",
            "member",
        ],
    ),
    f(
        "member_since",
        "Członek od",
        "Member since",
        false,
        &[
            "czlonek od",
            "czlonkostwo od",
            "data przystapienia",
            "member since",
        ],
    ),
    f(
        "member_until",
        "Członek do",
        "Member until",
        false,
        &["czlonek do", "czlonkostwo do", "member until"],
    ),
    f(
        "directory_consent",
        "Zgoda na publikację w katalogu",
        "Directory consent",
        false,
        &[
            "zgoda na publikacje",
            "publikacja w katalogu",
            "zgoda katalog",
            "zgoda na publikacje w katalogu",
            "directory consent",
        ],
    ),
];

pub const PERSON_FIELDS: &[FieldSpec] = &[
    f(
        "first_name",
        "Imię",
        "First name",
        false,
        &["imie", "imiona", "first name", "given name"],
    ),
    f(
        "last_name",
        "Nazwisko",
        "Last name",
        false,
        &["nazwisko", "last name", "surname", "family name"],
    ),
    f(
        "full_name",
        "Imię i nazwisko",
        "Full name",
        false,
        &[
            "imie i nazwisko",
            "imie nazwisko",
            "osoba",
            "full name",
            "name",
        ],
    ),
    f(
        "full_name_reversed",
        "Nazwisko i imię",
        "Last and first name",
        false,
        &["nazwisko i imie", "nazwisko imie"],
    ),
    f("emails", "E-mail", "E-mail", true, EMAILS),
    f("phones", "Telefon", "Phone", true, PHONES),
    f(
        "organization",
        "Organizacja (nazwa, KRS lub NIP)",
        "Organisation (name, KRS or NIP)",
        false,
        &[
            "organizacja",
            "nazwa organizacji",
            "instytucja",
            "organizacja krs",
            "krs organizacji",
            "organization",
            "organisation",
        ],
    ),
    f(
        "role",
        "Rola / funkcja",
        "Role",
        false,
        &[
            "rola",
            "funkcja",
            "stanowisko",
            "rola w organizacji",
            "funkcja w organizacji",
            "role",
            "position",
        ],
    ),
    f(
        "consent_email",
        "Zgoda na biuletyn e-mail (tak/nie)",
        "E-mail bulletin consent (yes/no)",
        false,
        &[
            "zgoda na newsletter",
            "zgoda na biuletyn",
            "zgoda e mail",
            "zgoda na e mail",
            "newsletter",
            "biuletyn",
            "zgoda",
        ],
    ),
    f("notes", "Uwagi", "Notes", true, NOTES),
];

pub const LIBRARY_FIELDS: &[FieldSpec] = &[
    f(
        "title",
        "Tytuł",
        "Title",
        false,
        &["tytul", "tytul ksiazki", "tytul publikacji", "title"],
    ),
    f(
        "author",
        "Autor",
        "Author",
        false,
        &[
            "autor",
            "autorzy",
            "autor redakcja",
            "autor red",
            "redakcja",
            "author",
            "authors",
        ],
    ),
    f(
        "publisher",
        "Wydawca",
        "Publisher",
        false,
        &["wydawca", "wydawnictwo", "publisher"],
    ),
    f(
        "year",
        "Rok wydania",
        "Year",
        false,
        &["rok wydania", "rok", "year"],
    ),
    f("isbn", "ISBN", "ISBN", false, &["isbn", "nr isbn"]),
    f(
        "shelf_mark",
        "Sygnatura",
        "Shelf mark",
        false,
        &[
            "sygnatura",
            "sygn",
            "nr inwentarzowy",
            "numer inwentarzowy",
            "lp inw",
            "polka",
            "lokalizacja",
            "shelf mark",
            "call number",
        ],
    ),
    f("notes", "Uwagi", "Notes", true, NOTES),
];

pub fn fields(kind: ImportKind) -> &'static [FieldSpec] {
    match kind {
        ImportKind::Organizations => ORGANIZATION_FIELDS,
        ImportKind::People => PERSON_FIELDS,
        ImportKind::Library => LIBRARY_FIELDS,
    }
}

pub fn field(kind: ImportKind, code: &str) -> Option<&'static FieldSpec> {
    fields(kind).iter().find(|f| f.code == code)
}

/// "Nr tel.:", "E-MAIL*", " Miejscowość " -> "nr tel", "e mail", "miejscowosc".
pub fn normalize_header(raw: &str) -> String {
    fold(raw)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a header names: an exact synonym, or else the longest synonym the header starts
/// with as whole words ("Telefon 2" -> phones, "Nazwa organizacji pozarządowej" -> name).
pub fn field_for_header(kind: ImportKind, header: &str) -> Option<&'static FieldSpec> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    let specs = fields(kind);
    if let Some(spec) = specs.iter().find(|s| s.synonyms.contains(&h.as_str())) {
        return Some(spec);
    }
    specs
        .iter()
        .flat_map(|s| s.synonyms.iter().map(move |syn| (s, *syn)))
        .filter(|(_, syn)| {
            syn.len() >= 3 && h.starts_with(syn) && h.as_bytes().get(syn.len()) == Some(&b' ')
        })
        .max_by_key(|(_, syn)| syn.len())
        .map(|(s, _)| s)
}

/// Maps a header row: each column to a field, each single-valued field used once.
pub fn auto_mapping(kind: ImportKind, headers: &[String]) -> Vec<Option<&'static str>> {
    let mut used: Vec<&str> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let spec = field_for_header(kind, h)?;
            if !spec.multi && used.contains(&spec.code) {
                return None;
            }
            used.push(spec.code);
            Some(spec.code)
        })
        .collect()
}

/// How many distinct fields a row's cells name, if it were the header.
fn header_score(kind: ImportKind, cells: &[Cell]) -> usize {
    let texts: Vec<String> = cells
        .iter()
        .map(|c| match c {
            Cell::Text(t) => t.clone(),
            _ => String::new(),
        })
        .collect();
    let mut codes: Vec<&str> = auto_mapping(kind, &texts).into_iter().flatten().collect();
    codes.sort_unstable();
    codes.dedup();
    codes.len()
}

/// How far down the header row is looked for (title blocks are a few rows high).
pub const HEADER_SEARCH_ROWS: usize = 40;

/// The index (into `rows`) of the header row among the first rows: the one naming the
/// most fields, at least two (one is a title like "Organizacje" by chance).
pub fn find_header(kind: ImportKind, rows: &[SheetRow]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let score = header_score(kind, &row.cells);
        if score >= 2 && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i)
}

/// "A", "B", ... "Z", "AA" as the spreadsheet labels columns.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_and_english_headers_map_to_fields() {
        let cases = [
            ("Nazwa organizacji", "name"),
            ("Nr KRS", "krs"),
            ("NIP:", "nip"),
            ("Kod pocztowy", "postal_code"),
            ("Miejscowość", "city"),
            ("E-mail", "emails"),
            ("Strona WWW", "website"),
            ("Obszar działania", "areas"),
            ("Telefon 2", "phones"),
            ("Organization name", "name"),
            ("Adres", "street"),
            ("OPP", "public_benefit"),
        ];
        for (header, code) in cases {
            assert_eq!(
                field_for_header(ImportKind::Organizations, header).map(|s| s.code),
                Some(code),
                "{header}"
            );
        }
        assert_eq!(
            field_for_header(ImportKind::People, "Imię i nazwisko").map(|s| s.code),
            Some("full_name")
        );
        assert_eq!(
            field_for_header(ImportKind::Library, "Sygn.").map(|s| s.code),
            Some("shelf_mark")
        );
        assert!(field_for_header(ImportKind::Organizations, "Lp.").is_none());
    }

    #[test]
    fn a_single_valued_field_takes_only_its_first_column() {
        let headers: Vec<String> = ["Nazwa", "Nazwa", "Telefon", "Tel. kom."]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            auto_mapping(ImportKind::Organizations, &headers),
            vec![Some("name"), None, Some("phones"), Some("phones")]
        );
    }

    #[test]
    fn column_letters_follow_the_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }
}
