//! The static site itself: every file of a publication rendered in memory (path → bytes), plain
//! HTML5 and CSS that work without JavaScript and offline, with schema.org JSON-LD, the .ics
//! feed, open data (CSV, JSON, README) and the map. Nothing here reads the store.

use crate::events::kind_label;
use crate::ical::{escape as ical_text, fold_into, WARSAW};
use crate::money::format_grosze;
use crate::publish::map::{self, MapLevel};
use crate::publish::{
    PublicCompetition, PublicEvent, PublicOrganization, PublishOptions, SiteContent,
};
use crate::register::LegalForm;
use crate::text::{collation, fold};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A rendered site: relative paths with `/` → contents.
pub type Files = BTreeMap<String, Vec<u8>>;

const STYLE: &str = include_str!("site.css");
const SEARCH_SCRIPT: &str = include_str!("search.js");

/// The texts of one language of the site.
struct Lang {
    code: &'static str,
    /// Folder of this language's pages ("" for Polish, "en/" for English).
    root: &'static str,
    skip: &'static str,
    nav_label: &'static str,
    home: &'static str,
    directory: &'static str,
    calendar: &'static str,
    grants: &'static str,
    map: &'static str,
    data: &'static str,
    organizations_dir: &'static str,
    calendar_dir: &'static str,
    grants_page: &'static str,
    map_page: &'static str,
    data_page: &'static str,
    intro: &'static str,
    updated: &'static str,
    spheres: &'static str,
    cities: &'static str,
    address: &'static str,
    phone: &'static str,
    email: &'static str,
    website: &'static str,
    legal_form: &'static str,
    public_benefit: &'static str,
    no_organizations: &'static str,
    search_name: &'static str,
    search_sphere: &'static str,
    search_city: &'static str,
    any: &'static str,
    shown: &'static str,
    upcoming: &'static str,
    past: &'static str,
    no_events: &'static str,
    subscribe: &'static str,
    place: &'static str,
    deadline: &'static str,
    funder: &'static str,
    amount: &'static str,
    details: &'static str,
    no_grants: &'static str,
    competition: &'static str,
    announced: &'static str,
    funds: &'static str,
    result: &'static str,
    offers: &'static str,
    granted_caption: &'static str,
    task: &'static str,
    organization: &'static str,
    grant: &'static str,
    unnamed: &'static str,
    none_granted: &'static str,
    map_intro: &'static str,
    voivodeship: &'static str,
    powiat: &'static str,
    gmina: &'static str,
    count: &'static str,
    map_title_powiat: &'static str,
    map_title_voivodeship: &'static str,
    data_intro: &'static str,
    back_to_directory: &'static str,
    other_language: (&'static str, &'static str),
}

const PL: Lang = Lang {
    code: "pl",
    root: "",
    skip: "Przejdź do treści",
    nav_label: "Główne sekcje",
    home: "Strona główna",
    directory: "Katalog organizacji",
    calendar: "Kalendarz wydarzeń",
    grants: "Konkursy i nabory",
    map: "Mapa aktywności",
    data: "Otwarte dane",
    organizations_dir: "organizacje/",
    calendar_dir: "kalendarz/",
    grants_page: "konkursy.html",
    map_page: "mapa.html",
    data_page: "dane.html",
    intro: "Informacje o organizacjach pozarządowych, ich wydarzeniach i otwartych naborach, przygotowane przez",
    updated: "Stan na",
    spheres: "Sfery działalności",
    cities: "Miejscowości",
    address: "Adres",
    phone: "Telefon",
    email: "E-mail",
    website: "Strona www",
    legal_form: "Forma prawna",
    public_benefit: "Organizacja pożytku publicznego",
    no_organizations: "Brak organizacji w tym wykazie.",
    search_name: "Nazwa zawiera",
    search_sphere: "Sfera",
    search_city: "Miejscowość",
    any: "dowolna",
    shown: "Pokazano organizacji:",
    upcoming: "Nadchodzące",
    past: "Minione",
    no_events: "Brak wydarzeń.",
    subscribe: "Subskrybuj kalendarz (plik .ics dla Thunderbirda, Outlooka, Kalendarza Google)",
    place: "Miejsce",
    deadline: "Termin składania",
    funder: "Ogłaszający",
    amount: "Kwota",
    details: "Szczegóły naboru",
    no_grants: "Obecnie nie ma otwartych naborów.",
    competition: "Otwarty konkurs ofert",
    announced: "Ogłoszono",
    funds: "Środki",
    result: "Wyniki",
    offers: "Złożone oferty",
    granted_caption: "Oferty z przyznaną dotacją",
    task: "Zadanie",
    organization: "Organizacja",
    grant: "Dotacja",
    unnamed: "organizacja spoza katalogu",
    none_granted: "Żadna oferta nie otrzymała dotacji.",
    map_intro: "Liczba organizacji z katalogu w każdym powiecie i województwie. Obszary bez żadnej organizacji są zakreskowane.",
    voivodeship: "Województwo",
    powiat: "Powiat",
    gmina: "Gmina",
    count: "Organizacje",
    map_title_powiat: "Organizacje pozarządowe według powiatów",
    map_title_voivodeship: "Organizacje pozarządowe według województw",
    data_intro: "Katalog organizacji i kalendarz wydarzeń do pobrania i dalszego wykorzystania (CSV w UTF-8 z wierszem nagłówka oraz JSON). Opis kolumn i licencja są w pliku README.",
    back_to_directory: "Wróć do katalogu",
    other_language: ("English", "en/index.html"),
};

const EN: Lang = Lang {
    code: "en",
    root: "en/",
    skip: "Skip to content",
    nav_label: "Main sections",
    home: "Home",
    directory: "Directory of organisations",
    calendar: "Events calendar",
    grants: "Grant calls",
    map: "Activity map",
    data: "Open data",
    organizations_dir: "organizations/",
    calendar_dir: "calendar/",
    grants_page: "grants.html",
    map_page: "map.html",
    data_page: "data.html",
    intro: "Non-governmental organisations, their events and open grant calls, published by",
    updated: "Updated on",
    spheres: "Areas of activity",
    cities: "Towns",
    address: "Address",
    phone: "Phone",
    email: "E-mail",
    website: "Website",
    legal_form: "Legal form",
    public_benefit: "Public benefit organisation",
    no_organizations: "No organisations in this list.",
    search_name: "Name contains",
    search_sphere: "Area",
    search_city: "Town",
    any: "any",
    shown: "Organisations shown:",
    upcoming: "Upcoming",
    past: "Past",
    no_events: "No events.",
    subscribe: "Subscribe to the calendar (.ics file for Thunderbird, Outlook, Google Calendar)",
    place: "Place",
    deadline: "Deadline",
    funder: "Funder",
    amount: "Amount",
    details: "Call details",
    no_grants: "There are no open grant calls at the moment.",
    competition: "Open competition for public tasks",
    announced: "Announced",
    funds: "Funds",
    result: "Results",
    offers: "Offers submitted",
    granted_caption: "Offers granted",
    task: "Task",
    organization: "Organisation",
    grant: "Grant",
    unnamed: "an organisation outside the directory",
    none_granted: "No offer was granted.",
    map_intro: "Organisations of the directory in each county (powiat) and voivodeship. Areas without any organisation are hatched.",
    voivodeship: "Voivodeship",
    powiat: "County (powiat)",
    gmina: "Municipality (gmina)",
    count: "Organisations",
    map_title_powiat: "Non-governmental organisations by county",
    map_title_voivodeship: "Non-governmental organisations by voivodeship",
    data_intro: "The directory and the events calendar for download and reuse (CSV in UTF-8 with a header row, and JSON). Columns and licence are described in the README.",
    back_to_directory: "Back to the directory",
    other_language: ("Polski", "../index.html"),
};

fn date_element(d: chrono::NaiveDate) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        d.format("%Y-%m-%d"),
        d.format("%d.%m.%Y")
    )
}

/// A competition of the city's programme: its facts, and once decided the offers granted.
fn competition(c: &PublicCompetition, lang: &Lang) -> String {
    let mut out = format!(
        "<article class=\"grant competition\">\n<p class=\"kind\">{}</p>\n<h2>{}</h2>\n<dl class=\"facts\">\n",
        lang.competition,
        esc(&c.title)
    );
    let mut fact = |label: &str, value: String| {
        let _ = writeln!(out, "<dt>{label}</dt><dd>{value}</dd>");
    };
    fact(lang.spheres, esc(&c.area));
    fact(lang.funds, esc(&format_grosze(c.funds_grosze)));
    fact(lang.announced, date_element(c.announced_on));
    fact(lang.deadline, date_element(c.deadline_on));
    if let Some(r) = c.result_on {
        fact(lang.result, date_element(r));
        fact(lang.offers, c.offers.to_string());
    }
    out.push_str("</dl>\n");
    if c.result_on.is_some() {
        if c.granted.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", lang.none_granted);
        } else {
            let _ = write!(
                out,
                "<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th></tr></thead>\n<tbody>\n",
                lang.granted_caption, lang.task, lang.organization, lang.grant
            );
            for g in &c.granted {
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                    esc(&g.title),
                    g.organization
                        .as_deref()
                        .map_or_else(|| lang.unnamed.to_string(), esc),
                    esc(&format_grosze(g.granted_grosze))
                );
            }
            out.push_str("</tbody>\n</table>\n");
        }
    }
    out.push_str("</article>\n");
    out
}

/// HTML text and attribute values: `& < > "` escaped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

/// A link's address: only http(s) addresses are linked, anything else is shown as text.
fn safe_url(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("https://{trimmed}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// A file name from free text: folded to ASCII letters and digits joined by dashes.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "inne".into()
    } else {
        out
    }
}

fn split(list: &Option<String>) -> Vec<&str> {
    list.as_deref()
        .map(|s| s.split("; ").filter(|p| !p.is_empty()).collect())
        .unwrap_or_default()
}

fn legal_form_label(code: &str, lang: &Lang) -> String {
    match LegalForm::from_code(code) {
        Some(f) if lang.code == "en" => f.label_en().into(),
        Some(f) => f.label_pl().into(),
        None => code.into(),
    }
}

fn kind_name(kind: &str, lang: &Lang) -> &'static str {
    if lang.code == "pl" {
        return kind_label(kind);
    }
    match kind {
        "training" => "training",
        "meeting" => "meeting",
        "conference" => "conference",
        "forum" => "forum",
        "workshop" => "workshop",
        _ => "event",
    }
}

/// JSON inside `<script>`: `</` would end the element early.
fn json_ld(value: &serde_json::Value) -> String {
    format!(
        "<script type=\"application/ld+json\">{}</script>\n",
        value.to_string().replace("</", "<\\/")
    )
}

fn address_line(o: &PublicOrganization) -> Option<String> {
    let line = crate::register::directory::address_line(
        o.street.as_deref(),
        o.building.as_deref(),
        o.postal_code.as_deref(),
        o.city.as_deref(),
    );
    (!line.is_empty()).then_some(line)
}

struct Renderer<'a> {
    content: &'a SiteContent,
    options: &'a PublishOptions,
    /// Sphere code → name, for the spheres actually used.
    used_areas: Vec<(String, String)>,
    cities: Vec<String>,
    map: map::ActivityMap,
}

impl<'a> Renderer<'a> {
    /// The page frame: language, title, skip link, navigation with the current section marked,
    /// the main content and the footer. `depth` is how many folders below the site root.
    fn page(&self, lang: &Lang, depth: usize, title: &str, current: &str, body: &str) -> String {
        let up = "../".repeat(depth);
        let to_lang = |path: &str| format!("{up}{}{path}", lang.root);
        let mut nav = String::new();
        let mut item = |label: &str, href: String| {
            let aria = if label == current {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = write!(
                nav,
                "<li><a href=\"{}\"{aria}>{}</a></li>",
                esc(&href),
                esc(label)
            );
        };
        item(lang.home, to_lang("index.html"));
        if self.options.directory {
            item(
                lang.directory,
                to_lang(&format!("{}index.html", lang.organizations_dir)),
            );
        }
        if self.options.calendar {
            item(
                lang.calendar,
                to_lang(&format!("{}index.html", lang.calendar_dir)),
            );
        }
        if self.options.grants {
            item(lang.grants, to_lang(lang.grants_page));
        }
        if self.options.map {
            item(lang.map, to_lang(lang.map_page));
        }
        if self.options.open_data {
            item(lang.data, to_lang(lang.data_page));
        }
        let mut language = String::new();
        if self.options.english {
            let (label, target) = lang.other_language;
            let href = if lang.code == "pl" {
                format!("{up}{target}")
            } else {
                format!("{up}index.html")
            };
            let other = if lang.code == "pl" { "en" } else { "pl" };
            let _ = write!(
                language,
                "<p class=\"language\"><a href=\"{}\" hreflang=\"{other}\" lang=\"{other}\">{}</a></p>",
                esc(&href),
                esc(label)
            );
        }
        let script = if current == lang.directory {
            format!("<script src=\"{up}szukaj.js\" defer></script>\n")
        } else {
            String::new()
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title} – {office}</title>\n<link rel=\"stylesheet\" href=\"{up}style.css\">\n{script}</head>\n\
             <body>\n<a class=\"skip\" href=\"#tresc\">{skip}</a>\n<header>\n<p class=\"site-name\">{office}</p>\n{language}\
             <nav aria-label=\"{nav_label}\"><ul>{nav}</ul></nav>\n</header>\n\
             <main id=\"tresc\">\n<h1>{title}</h1>\n{body}</main>\n<footer>\n<p>{office}</p>\n</footer>\n</body>\n</html>\n",
            code = lang.code,
            title = esc(title),
            office = esc(&self.content.office),
            skip = lang.skip,
            nav_label = lang.nav_label,
        )
    }

    fn home(&self, lang: &Lang) -> String {
        let c = self.content;
        let mut body = format!(
            "<p>{} {}.</p>\n<p class=\"updated\">{} {}.</p>\n<ul class=\"sections\">\n",
            lang.intro,
            esc(&c.office),
            lang.updated,
            c.generated_at.format("%d.%m.%Y")
        );
        let mut card = |label: &str, href: String, note: String| {
            let _ = writeln!(
                body,
                "<li><a href=\"{}\">{}</a> <span>{}</span></li>",
                esc(&href),
                esc(label),
                esc(&note)
            );
        };
        if self.options.directory {
            card(
                lang.directory,
                format!("{}index.html", lang.organizations_dir),
                format!("({})", c.organizations.len()),
            );
        }
        if self.options.calendar {
            card(
                lang.calendar,
                format!("{}index.html", lang.calendar_dir),
                format!("({})", c.events.len()),
            );
        }
        if self.options.grants {
            card(
                lang.grants,
                lang.grants_page.into(),
                format!("({})", c.grant_calls.len() + c.competitions.len()),
            );
        }
        if self.options.map {
            card(lang.map, lang.map_page.into(), String::new());
        }
        if self.options.open_data {
            card(lang.data, lang.data_page.into(), "CSV, JSON".into());
        }
        body.push_str("</ul>\n");
        self.page(
            lang,
            usize::from(lang.code == "en"),
            lang.home,
            lang.home,
            &body,
        )
    }

    fn organization_item(&self, o: &PublicOrganization, prefix: &str) -> String {
        let areas: Vec<String> = split(&o.areas)
            .iter()
            .filter_map(|code| self.content.areas.get(*code).cloned())
            .collect();
        format!(
            "<li data-name=\"{}\" data-areas=\"{}\" data-city=\"{}\"><a href=\"{prefix}{}.html\">{}</a>\
             <span class=\"meta\">{}{}</span></li>\n",
            esc(&fold(&o.name)),
            esc(&split(&o.areas).join(" ")),
            esc(&o.city.as_deref().map(fold).unwrap_or_default()),
            o.id,
            esc(&o.name),
            esc(o.city.as_deref().unwrap_or("")),
            if areas.is_empty() {
                String::new()
            } else {
                format!(" · {}", esc(&areas.join(", ")))
            },
        )
    }

    fn organization_list(&self, lang: &Lang, orgs: &[&PublicOrganization], prefix: &str) -> String {
        if orgs.is_empty() {
            return format!("<p>{}</p>\n", lang.no_organizations);
        }
        let mut out = String::from("<ul class=\"organizations\" id=\"lista\">\n");
        for o in orgs {
            out.push_str(&self.organization_item(o, prefix));
        }
        out.push_str("</ul>\n");
        out
    }

    /// The directory: a search form the script shows (the full list works without it), then
    /// the links to the lists by sphere and by town, then every organisation.
    fn directory(&self, lang: &Lang) -> String {
        let mut body = String::new();
        let mut areas_options = String::new();
        for (code, name) in &self.used_areas {
            let _ = write!(
                areas_options,
                "<option value=\"{}\">{}</option>",
                esc(code),
                esc(name)
            );
        }
        let mut city_options = String::new();
        for city in &self.cities {
            let _ = write!(
                city_options,
                "<option value=\"{}\">{}</option>",
                esc(&fold(city)),
                esc(city)
            );
        }
        let _ = write!(
            body,
            "<form class=\"search\" id=\"szukaj\" hidden role=\"search\">\n\
             <label for=\"q\">{}</label> <input id=\"q\" name=\"q\" type=\"search\">\n\
             <label for=\"sfera\">{}</label> <select id=\"sfera\" name=\"sfera\"><option value=\"\">{}</option>{areas_options}</select>\n\
             <label for=\"miasto\">{}</label> <select id=\"miasto\" name=\"miasto\"><option value=\"\">{}</option>{city_options}</select>\n\
             <p id=\"wynik\" aria-live=\"polite\">{} <span id=\"liczba\">{}</span></p>\n</form>\n",
            lang.search_name,
            lang.search_sphere,
            lang.any,
            lang.search_city,
            lang.any,
            lang.shown,
            self.content.organizations.len()
        );
        if !self.used_areas.is_empty() {
            let _ = write!(
                body,
                "<details><summary>{}</summary><ul class=\"columns\">",
                lang.spheres
            );
            for (code, name) in &self.used_areas {
                let _ = write!(
                    body,
                    "<li><a href=\"sfera-{}.html\">{}</a></li>",
                    slug(code),
                    esc(name)
                );
            }
            body.push_str("</ul></details>\n");
        }
        if !self.cities.is_empty() {
            let _ = write!(
                body,
                "<details><summary>{}</summary><ul class=\"columns\">",
                lang.cities
            );
            for city in &self.cities {
                let _ = write!(
                    body,
                    "<li><a href=\"miasto-{}.html\">{}</a></li>",
                    slug(city),
                    esc(city)
                );
            }
            body.push_str("</ul></details>\n");
        }
        let all: Vec<&PublicOrganization> = self.content.organizations.iter().collect();
        body.push_str(&self.organization_list(lang, &all, ""));
        self.page(
            lang,
            1 + usize::from(lang.code == "en"),
            lang.directory,
            lang.directory,
            &body,
        )
    }

    fn filtered_list(&self, lang: &Lang, title: &str, orgs: Vec<&PublicOrganization>) -> String {
        let body = format!(
            "<p><a href=\"index.html\">{}</a></p>\n{}",
            lang.back_to_directory,
            self.organization_list(lang, &orgs, "")
        );
        self.page(lang, 1 + usize::from(lang.code == "en"), title, "", &body)
    }

    fn organization_page(&self, lang: &Lang, o: &PublicOrganization) -> String {
        let mut body = String::new();
        let mut row = |label: &str, value: String| {
            let _ = writeln!(body, "<dt>{label}</dt><dd>{value}</dd>");
        };
        row(lang.legal_form, esc(&legal_form_label(&o.legal_form, lang)));
        if let Some(short) = &o.short_name {
            row(
                if lang.code == "pl" {
                    "Nazwa skrócona"
                } else {
                    "Short name"
                },
                esc(short),
            );
        }
        if let Some(krs) = &o.krs {
            row("KRS", esc(krs));
        }
        if o.public_benefit {
            row(
                lang.public_benefit,
                if lang.code == "pl" {
                    "tak".into()
                } else {
                    "yes".into()
                },
            );
        }
        if let Some(a) = address_line(o) {
            row(lang.address, esc(&a));
        }
        let phones = split(&o.phones);
        if !phones.is_empty() {
            let links: Vec<String> = phones
                .iter()
                .map(|p| {
                    let digits: String = p
                        .chars()
                        .filter(|c| c.is_ascii_digit() || *c == '+')
                        .collect();
                    format!("<a href=\"tel:{}\">{}</a>", esc(&digits), esc(p))
                })
                .collect();
            row(lang.phone, links.join(", "));
        }
        let emails = split(&o.emails);
        if !emails.is_empty() {
            let links: Vec<String> = emails
                .iter()
                .map(|e| format!("<a href=\"mailto:{}\">{}</a>", esc(e), esc(e)))
                .collect();
            row(lang.email, links.join(", "));
        }
        let website = o.website.as_deref().and_then(safe_url);
        if let Some(url) = &website {
            row(
                lang.website,
                format!(
                    "<a href=\"{}\">{}</a>",
                    esc(url),
                    esc(o.website.as_deref().unwrap_or(""))
                ),
            );
        }
        let areas: Vec<String> = split(&o.areas)
            .iter()
            .filter_map(|code| self.content.areas.get(*code).cloned())
            .collect();
        if !areas.is_empty() {
            let items: Vec<String> = areas
                .iter()
                .map(|a| format!("<li>{}</li>", esc(a)))
                .collect();
            row(lang.spheres, format!("<ul>{}</ul>", items.join("")));
        }
        let mut html = format!("<dl class=\"facts\">\n{body}</dl>\n");
        if let Some(d) = &o.description {
            for para in d.split('\n').filter(|p| !p.trim().is_empty()) {
                let _ = writeln!(html, "<p>{}</p>", esc(para));
            }
        }
        let _ = writeln!(
            html,
            "<p><a href=\"index.html\">{}</a></p>",
            lang.back_to_directory
        );
        let mut ld = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Organization",
            "@id": format!("#organizacja-{}", o.id),
            "name": o.name,
        });
        if let Some(url) = website {
            ld["url"] = url.into();
        }
        if let Some(short) = &o.short_name {
            ld["alternateName"] = short.clone().into();
        }
        if !emails.is_empty() {
            ld["email"] = emails[0].into();
        }
        if !phones.is_empty() {
            ld["telephone"] = phones[0].into();
        }
        if o.city.is_some() || o.street.is_some() {
            let street = [o.street.as_deref(), o.building.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            ld["address"] = serde_json::json!({
                "@type": "PostalAddress",
                "streetAddress": street,
                "postalCode": o.postal_code,
                "addressLocality": o.city,
                "addressRegion": o.voivodeship,
                "addressCountry": "PL",
            });
        }
        if !areas.is_empty() {
            ld["knowsAbout"] = areas.clone().into();
        }
        html.push_str(&json_ld(&ld));
        self.page(lang, 1 + usize::from(lang.code == "en"), &o.name, "", &html)
    }

    fn event_item(&self, lang: &Lang, e: &PublicEvent) -> String {
        let when = match e.ends_at {
            Some(end) if end.date() == e.starts_at.date() => format!(
                "{}–{}",
                e.starts_at.format("%d.%m.%Y, %H:%M"),
                end.format("%H:%M")
            ),
            Some(end) => format!(
                "{} – {}",
                e.starts_at.format("%d.%m.%Y, %H:%M"),
                end.format("%d.%m.%Y, %H:%M")
            ),
            None => e.starts_at.format("%d.%m.%Y, %H:%M").to_string(),
        };
        let mut out = format!(
            "<article class=\"event\" id=\"wydarzenie-{}\">\n<h3>{}</h3>\n<p class=\"when\"><time datetime=\"{}\">{}</time> · {}</p>\n",
            e.id,
            esc(&e.title),
            e.starts_at.format("%Y-%m-%dT%H:%M"),
            esc(&when),
            kind_name(&e.kind, lang)
        );
        if let Some(p) = &e.place {
            let _ = writeln!(out, "<p>{}: {}</p>", lang.place, esc(p));
        }
        if let Some(t) = &e.topic {
            let _ = writeln!(out, "<p>{}</p>", esc(t));
        }
        if let Some(d) = &e.description {
            for para in d.split('\n').filter(|p| !p.trim().is_empty()) {
                let _ = writeln!(out, "<p>{}</p>", esc(para));
            }
        }
        out.push_str("</article>\n");
        out
    }

    fn calendar(&self, lang: &Lang) -> String {
        let today = self.content.generated_at.date();
        let depth = 1 + usize::from(lang.code == "en");
        let up = "../".repeat(depth);
        let mut body = format!(
            "<p><a class=\"feed\" href=\"{up}kalendarz.ics\" type=\"text/calendar\">{}</a></p>\n",
            lang.subscribe
        );
        let (upcoming, past): (Vec<&PublicEvent>, Vec<&PublicEvent>) = self
            .content
            .events
            .iter()
            .partition(|e| e.ends_at.unwrap_or(e.starts_at).date() >= today);
        for (heading, list) in [(lang.upcoming, upcoming), (lang.past, past)] {
            let _ = writeln!(body, "<h2>{heading}</h2>");
            if list.is_empty() {
                let _ = writeln!(body, "<p>{}</p>", lang.no_events);
            }
            let ordered: Vec<&&PublicEvent> = if heading == lang.past {
                list.iter().rev().collect()
            } else {
                list.iter().collect()
            };
            for e in ordered {
                body.push_str(&self.event_item(lang, e));
            }
        }
        let events: Vec<serde_json::Value> = self
            .content
            .events
            .iter()
            .map(|e| {
                let mut v = serde_json::json!({
                    "@type": "Event",
                    "@id": format!("#wydarzenie-{}", e.id),
                    "name": e.title,
                    "startDate": warsaw_iso(e.starts_at),
                    "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                    "organizer": {"@type": "Organization", "name": self.content.office},
                });
                if let Some(end) = e.ends_at {
                    v["endDate"] = warsaw_iso(end).into();
                }
                if let Some(p) = &e.place {
                    v["location"] = serde_json::json!({"@type": "Place", "name": p, "address": p});
                }
                if let Some(d) = e.description.as_ref().or(e.topic.as_ref()) {
                    v["description"] = d.clone().into();
                }
                v
            })
            .collect();
        if !events.is_empty() {
            body.push_str(&json_ld(&serde_json::json!({
                "@context": "https://schema.org",
                "@graph": events,
            })));
        }
        self.page(lang, depth, lang.calendar, lang.calendar, &body)
    }

    fn grants(&self, lang: &Lang) -> String {
        let mut body = String::new();
        if self.content.grant_calls.is_empty() && self.content.competitions.is_empty() {
            let _ = writeln!(body, "<p>{}</p>", lang.no_grants);
        }
        for c in &self.content.competitions {
            body.push_str(&competition(c, lang));
        }
        for g in &self.content.grant_calls {
            let _ = write!(
                body,
                "<article class=\"grant\">\n<h2>{}</h2>\n<dl class=\"facts\">\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd><time datetime=\"{}\">{}</time></dd>\n",
                esc(&g.title),
                lang.funder,
                esc(&g.funder),
                lang.deadline,
                g.deadline.format("%Y-%m-%d"),
                g.deadline.format("%d.%m.%Y")
            );
            if let Some(a) = &g.amount {
                let _ = writeln!(body, "<dt>{}</dt><dd>{}</dd>", lang.amount, esc(a));
            }
            if !g.areas.is_empty() {
                let _ = writeln!(
                    body,
                    "<dt>{}</dt><dd>{}</dd>",
                    lang.spheres,
                    esc(&g.areas.join(", "))
                );
            }
            body.push_str("</dl>\n");
            if let Some(url) = g.link.as_deref().and_then(safe_url) {
                let _ = writeln!(
                    body,
                    "<p><a href=\"{}\">{}</a></p>",
                    esc(&url),
                    lang.details
                );
            }
            body.push_str("</article>\n");
        }
        self.page(
            lang,
            usize::from(lang.code == "en"),
            lang.grants,
            lang.grants,
            &body,
        )
    }

    fn map_page(&self, lang: &Lang) -> String {
        let depth = usize::from(lang.code == "en");
        let up = "../".repeat(depth);
        let mut body = format!("<p>{}</p>\n<figure class=\"map\">\n", lang.map_intro);
        body.push_str(&map::map_svg(
            &self.map,
            MapLevel::Powiat,
            lang.map_title_powiat,
        ));
        let _ = write!(
            body,
            "<figcaption>{} · <a href=\"{up}mapa-powiaty.svg\">SVG</a> · <a href=\"{up}mapa-wojewodztwa.svg\">{}</a></figcaption>\n</figure>\n",
            esc(map::MAP_CREDIT),
            lang.map_title_voivodeship
        );
        let _ = write!(
            body,
            "<h2>{}</h2>\n<table>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th></tr></thead>\n<tbody>\n",
            lang.voivodeship, lang.voivodeship, lang.count
        );
        for v in &self.map.voivodeships {
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&v.name),
                v.count
            );
        }
        body.push_str("</tbody>\n</table>\n");
        if !self.map.gminas.is_empty() {
            let _ = write!(
                body,
                "<h2>{}</h2>\n<table>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th></tr></thead>\n<tbody>\n",
                lang.gmina, lang.gmina, lang.powiat, lang.voivodeship, lang.count
            );
            for g in &self.map.gminas {
                let _ = writeln!(
                    body,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                    esc(&g.gmina),
                    esc(&g.powiat),
                    esc(&g.voivodeship),
                    g.count
                );
            }
            body.push_str("</tbody>\n</table>\n");
        }
        self.page(lang, depth, lang.map, lang.map, &body)
    }

    fn data_page(&self, lang: &Lang) -> String {
        let depth = usize::from(lang.code == "en");
        let up = "../".repeat(depth);
        let mut body = format!("<p>{}</p>\n<ul>\n", lang.data_intro);
        let mut link = |file: &str, label: &str| {
            let _ = writeln!(
                body,
                "<li><a href=\"{up}dane/{file}\">{file}</a> – {label}</li>"
            );
        };
        if self.options.directory {
            link("organizacje.csv", lang.directory);
            link("organizacje.json", lang.directory);
        }
        if self.options.calendar {
            link("wydarzenia.csv", lang.calendar);
            link("wydarzenia.json", lang.calendar);
        }
        link("README.txt", "README");
        body.push_str("</ul>\n");
        self.page(lang, depth, lang.data, lang.data, &body)
    }

    fn pages(&self, lang: &Lang, files: &mut Files) {
        let root = lang.root;
        let put = |files: &mut Files, path: String, html: String| {
            files.insert(path, html.into_bytes());
        };
        put(files, format!("{root}index.html"), self.home(lang));
        if self.options.directory {
            let dir = format!("{root}{}", lang.organizations_dir);
            put(files, format!("{dir}index.html"), self.directory(lang));
            for o in &self.content.organizations {
                put(
                    files,
                    format!("{dir}{}.html", o.id),
                    self.organization_page(lang, o),
                );
            }
            for (code, name) in &self.used_areas {
                let orgs = self
                    .content
                    .organizations
                    .iter()
                    .filter(|o| split(&o.areas).contains(&code.as_str()))
                    .collect();
                put(
                    files,
                    format!("{dir}sfera-{}.html", slug(code)),
                    self.filtered_list(lang, name, orgs),
                );
            }
            let mut by_city: BTreeMap<String, (String, Vec<&PublicOrganization>)> = BTreeMap::new();
            for o in &self.content.organizations {
                if let Some(city) = &o.city {
                    by_city
                        .entry(slug(city))
                        .or_insert_with(|| (city.clone(), Vec::new()))
                        .1
                        .push(o);
                }
            }
            for (s, (city, orgs)) in by_city {
                put(
                    files,
                    format!("{dir}miasto-{s}.html"),
                    self.filtered_list(lang, &city, orgs),
                );
            }
        }
        if self.options.calendar {
            put(
                files,
                format!("{root}{}index.html", lang.calendar_dir),
                self.calendar(lang),
            );
        }
        if self.options.grants {
            put(
                files,
                format!("{root}{}", lang.grants_page),
                self.grants(lang),
            );
        }
        if self.options.map {
            put(
                files,
                format!("{root}{}", lang.map_page),
                self.map_page(lang),
            );
        }
        if self.options.open_data {
            put(
                files,
                format!("{root}{}", lang.data_page),
                self.data_page(lang),
            );
        }
    }
}

/// A Warsaw wall-clock time as ISO 8601 with its offset that day (JSON-LD wants one).
fn warsaw_iso(t: chrono::NaiveDateTime) -> String {
    use chrono::Datelike;
    // CEST from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
    let last_sunday = |month: u32| {
        let mut d = chrono::NaiveDate::from_ymd_opt(t.year(), month, 31)
            .expect("March and October have 31 days");
        while d.weekday() != chrono::Weekday::Sun {
            d = d.pred_opt().expect("a day before");
        }
        d
    };
    let summer_starts = last_sunday(3).and_hms_opt(2, 0, 0).expect("valid time");
    let summer_ends = last_sunday(10).and_hms_opt(3, 0, 0).expect("valid time");
    let offset = if t >= summer_starts && t < summer_ends {
        "+02:00"
    } else {
        "+01:00"
    };
    format!("{}{offset}", t.format("%Y-%m-%dT%H:%M:%S"))
}

/// The events feed: one VEVENT per public event, UIDs stable across publications, DTSTAMP
/// from the event's last change (so an unchanged calendar gives the same file).
pub fn events_icalendar(events: &[PublicEvent], office: &str, office_slug: &str) -> String {
    let mut out = String::new();
    let mut line = |text: &str| fold_into(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Kartoteka//Kalendarz wydarzen//PL");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!(
        "X-WR-CALNAME:{}",
        ical_text(&format!("Wydarzenia — {office}"))
    ));
    line("X-WR-TIMEZONE:Europe/Warsaw");
    out.push_str(WARSAW);
    for e in events {
        let mut line = |text: &str| fold_into(&mut out, text);
        line("BEGIN:VEVENT");
        line(&format!("UID:wydarzenie-{}-{office_slug}@kartoteka", e.id));
        let stamp: String = e
            .updated_at
            .chars()
            .filter(|c| *c != '-' && *c != ':')
            .collect();
        let stamp = if stamp.len() == 16 && stamp.ends_with('Z') {
            stamp
        } else {
            "19700101T000000Z".into()
        };
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!("LAST-MODIFIED:{stamp}"));
        line(&format!(
            "DTSTART;TZID=Europe/Warsaw:{}",
            e.starts_at.format("%Y%m%dT%H%M%S")
        ));
        if let Some(end) = e.ends_at {
            line(&format!(
                "DTEND;TZID=Europe/Warsaw:{}",
                end.format("%Y%m%dT%H%M%S")
            ));
        }
        line(&format!("SUMMARY:{}", ical_text(&e.title)));
        if let Some(p) = &e.place {
            line(&format!("LOCATION:{}", ical_text(p)));
        }
        let description = [e.topic.as_deref(), e.description.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n\n");
        if !description.is_empty() {
            line(&format!("DESCRIPTION:{}", ical_text(&description)));
        }
        line(&format!("CATEGORIES:{}", ical_text(kind_label(&e.kind))));
        line("STATUS:CONFIRMED");
        line("END:VEVENT");
    }
    fold_into(&mut out, "END:VCALENDAR");
    out
}

fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for r in rows {
        w.write_record(&r).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

fn open_data(content: &SiteContent, options: &PublishOptions, files: &mut Files) {
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let area_names = |o: &PublicOrganization| -> Vec<String> {
        split(&o.areas)
            .iter()
            .filter_map(|c| content.areas.get(*c).cloned())
            .collect()
    };
    if options.directory {
        let header = [
            "id",
            "nazwa",
            "nazwa_skrocona",
            "forma_prawna",
            "krs",
            "opp",
            "ulica",
            "numer",
            "kod_pocztowy",
            "miejscowosc",
            "gmina",
            "powiat",
            "wojewodztwo",
            "telefony",
            "emaile",
            "strona_www",
            "sfery",
            "opis",
        ];
        let rows = content.organizations.iter().map(|o| {
            vec![
                o.id.to_string(),
                o.name.clone(),
                opt(&o.short_name),
                legal_form_label(&o.legal_form, &PL),
                opt(&o.krs),
                if o.public_benefit { "tak" } else { "nie" }.into(),
                opt(&o.street),
                opt(&o.building),
                opt(&o.postal_code),
                opt(&o.city),
                opt(&o.gmina),
                opt(&o.powiat),
                opt(&o.voivodeship),
                opt(&o.phones),
                opt(&o.emails),
                opt(&o.website),
                area_names(o).join("; "),
                opt(&o.description),
            ]
        });
        files.insert("dane/organizacje.csv".into(), csv_bytes(&header, rows));
        let json: Vec<serde_json::Value> = content
            .organizations
            .iter()
            .map(|o| {
                serde_json::json!({
                    "id": o.id,
                    "nazwa": o.name,
                    "nazwa_skrocona": o.short_name,
                    "forma_prawna": legal_form_label(&o.legal_form, &PL),
                    "krs": o.krs,
                    "opp": o.public_benefit,
                    "ulica": o.street,
                    "numer": o.building,
                    "kod_pocztowy": o.postal_code,
                    "miejscowosc": o.city,
                    "gmina": o.gmina,
                    "powiat": o.powiat,
                    "wojewodztwo": o.voivodeship,
                    "telefony": split(&o.phones),
                    "emaile": split(&o.emails),
                    "strona_www": o.website,
                    "sfery": area_names(o),
                    "opis": o.description,
                })
            })
            .collect();
        files.insert(
            "dane/organizacje.json".into(),
            serde_json::to_vec_pretty(&json).expect("JSON of plain values"),
        );
    }
    if options.calendar {
        let header = [
            "id", "tytul", "rodzaj", "poczatek", "koniec", "miejsce", "temat", "opis",
        ];
        let rows = content.events.iter().map(|e| {
            vec![
                e.id.to_string(),
                e.title.clone(),
                kind_label(&e.kind).into(),
                e.starts_at.format("%Y-%m-%dT%H:%M").to_string(),
                e.ends_at
                    .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
                    .unwrap_or_default(),
                opt(&e.place),
                opt(&e.topic),
                opt(&e.description),
            ]
        });
        files.insert("dane/wydarzenia.csv".into(), csv_bytes(&header, rows));
        let json: Vec<serde_json::Value> = content
            .events
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id,
                    "tytul": e.title,
                    "rodzaj": kind_label(&e.kind),
                    "poczatek": e.starts_at.format("%Y-%m-%dT%H:%M").to_string(),
                    "koniec": e.ends_at.map(|t| t.format("%Y-%m-%dT%H:%M").to_string()),
                    "miejsce": e.place,
                    "temat": e.topic,
                    "opis": e.description,
                })
            })
            .collect();
        files.insert(
            "dane/wydarzenia.json".into(),
            serde_json::to_vec_pretty(&json).expect("JSON of plain values"),
        );
    }
    let readme = format!(
        "Otwarte dane – {office}\n\
         Stan na: {date}\n\
         Licencja: Creative Commons Uznanie autorstwa 4.0 (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/deed.pl\n\
         Źródło: {office}. Granice na mapie: Piotr Patrzyk, licencja MIT.\n\
         Kodowanie: UTF-8; CSV z wierszem nagłówka, pola rozdzielone przecinkami; daty i godziny w czasie\n\
         Europe/Warsaw (RRRR-MM-DDTGG:MM).\n\n\
         organizacje.csv / organizacje.json – organizacje, które zgodziły się na publikację w katalogu:\n\
         id – numer organizacji w katalogu (stały; strona: organizacje/<id>.html)\n\
         nazwa, nazwa_skrocona – pełna i skrócona nazwa\n\
         forma_prawna – np. stowarzyszenie, fundacja\n\
         krs – numer w Krajowym Rejestrze Sądowym (jeśli jest)\n\
         opp – tak, jeśli organizacja ma status pożytku publicznego\n\
         ulica, numer, kod_pocztowy, miejscowosc, gmina, powiat, wojewodztwo – adres siedziby\n\
         telefony, emaile – kontakty organizacji (w CSV rozdzielone \"; \", w JSON listy)\n\
         strona_www – strona internetowa\n\
         sfery – sfery pożytku publicznego (w CSV rozdzielone \"; \")\n\
         opis – krótki opis działalności\n\n\
         wydarzenia.csv / wydarzenia.json – wydarzenia oznaczone jako publiczne:\n\
         id – numer wydarzenia (stały; także w UID pliku kalendarz.ics)\n\
         tytul, rodzaj – tytuł i rodzaj (szkolenie, spotkanie, konferencja…)\n\
         poczatek, koniec – data i godzina rozpoczęcia i zakończenia\n\
         miejsce, temat, opis\n",
        office = content.office,
        date = content.generated_at.format("%d.%m.%Y"),
    );
    files.insert("dane/README.txt".into(), readme.into_bytes());
}

/// Every file of the site `options` asks for.
pub fn render(content: &SiteContent, options: &PublishOptions) -> Files {
    let mut used: Vec<&str> = content
        .organizations
        .iter()
        .flat_map(|o| split(&o.areas))
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut used_areas: Vec<(String, String)> = used
        .into_iter()
        .filter_map(|c| content.areas.get(c).map(|n| (c.to_string(), n.clone())))
        .collect();
    used_areas.sort_by(|a, b| collation::compare(&a.1, &b.1));
    let mut cities: Vec<String> = content
        .organizations
        .iter()
        .filter_map(|o| o.city.clone())
        .collect();
    cities.sort_by(|a, b| collation::compare(a, b));
    cities.dedup();
    let places: Vec<map::OrganizationPlace> =
        content.organizations.iter().map(|o| o.place()).collect();
    let renderer = Renderer {
        content,
        options,
        used_areas,
        cities,
        map: map::activity_map(&places),
    };
    let mut files = Files::new();
    files.insert("style.css".into(), STYLE.as_bytes().to_vec());
    renderer.pages(&PL, &mut files);
    if options.english {
        renderer.pages(&EN, &mut files);
    }
    if options.directory {
        files.insert("szukaj.js".into(), SEARCH_SCRIPT.as_bytes().to_vec());
    }
    if options.calendar {
        files.insert(
            "kalendarz.ics".into(),
            events_icalendar(&content.events, &content.office, &slug(&content.office)).into_bytes(),
        );
    }
    if options.map {
        files.insert(
            "mapa-powiaty.svg".into(),
            map::map_svg(&renderer.map, MapLevel::Powiat, PL.map_title_powiat).into_bytes(),
        );
        files.insert(
            "mapa-wojewodztwa.svg".into(),
            map::map_svg(
                &renderer.map,
                MapLevel::Voivodeship,
                PL.map_title_voivodeship,
            )
            .into_bytes(),
        );
    }
    if options.open_data {
        open_data(content, options, &mut files);
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: &str, t: &str) -> chrono::NaiveDateTime {
        NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .unwrap()
            .and_time(chrono::NaiveTime::parse_from_str(t, "%H:%M").unwrap())
    }

    #[test]
    fn warsaw_offsets_follow_summer_time() {
        assert_eq!(
            warsaw_iso(at("2026-07-01", "10:00")),
            "2026-07-01T10:00:00+02:00"
        );
        assert_eq!(
            warsaw_iso(at("2026-12-01", "10:00")),
            "2026-12-01T10:00:00+01:00"
        );
        // 2026: summer time from 29 March, back on 25 October.
        assert_eq!(
            warsaw_iso(at("2026-03-29", "03:00")),
            "2026-03-29T03:00:00+02:00"
        );
        assert_eq!(
            warsaw_iso(at("2026-10-25", "03:00")),
            "2026-10-25T03:00:00+01:00"
        );
    }

    #[test]
    fn only_web_addresses_become_links_and_slugs_are_ascii() {
        assert_eq!(
            safe_url("www.ngo.pl").as_deref(),
            Some("https://www.ngo.pl/")
        );
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(slug("Bielsko-Biała"), "bielsko-biala");
        assert_eq!(slug("Łódź  Śródmieście"), "lodz-srodmiescie");
        assert_eq!(slug("<>"), "inne");
    }

    #[test]
    fn hostile_text_is_escaped_in_pages_and_scripts() {
        assert_eq!(esc("<b>\"&"), "&lt;b&gt;&quot;&amp;");
        let ld = json_ld(&serde_json::json!({"name": "</script><script>alert(1)"}));
        assert!(!ld.contains("</script><script>"), "{ld}");
    }
}
