//! A message body, written as simple formatted text (Markdown: headings, bold, links, lists),
//! becomes three things from one parse: the HTML part, the plain-text part and a block preview
//! the window builds with `textContent`. Merge fields ({nazwa}, {imie}, …) are filled per
//! recipient inside text runs only, so a name can never become markup.

use crate::error::{Error, FieldError, Result};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::BTreeMap;

/// The merge fields a message may use, with what each holds.
pub const MERGE_FIELDS: [(&str, &str); 5] = [
    (
        "nazwa",
        "nazwa organizacji (u osoby: jej organizacja albo imię i nazwisko)",
    ),
    ("imie", "imię osoby"),
    ("nazwisko", "nazwisko osoby"),
    ("miasto", "miejscowość organizacji"),
    ("email", "adres, na który idzie wiadomość"),
];

pub type MergeValues = BTreeMap<String, String>;

/// Names inside `{…}` that are not merge fields, in order of appearance.
pub fn unknown_fields(text: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                let looks_like_field = !name.is_empty()
                    && name.len() <= 30
                    && name.chars().all(|c| c.is_alphanumeric() || c == '_');
                if looks_like_field
                    && !MERGE_FIELDS.iter().any(|(f, _)| *f == name)
                    && !unknown.iter().any(|u| u == name)
                {
                    unknown.push(name.to_string());
                }
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    unknown
}

pub fn check_fields(field: &str, text: &str, errors: &mut Vec<FieldError>) {
    let unknown = unknown_fields(text);
    if !unknown.is_empty() {
        let known: Vec<String> = MERGE_FIELDS
            .iter()
            .map(|(f, _)| format!("{{{f}}}"))
            .collect();
        errors.push(FieldError::new(
            field,
            format!(
                "Nieznane pole korespondencji seryjnej: {}. Dostępne: {}.",
                unknown
                    .iter()
                    .map(|u| format!("{{{u}}}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                known.join(", ")
            ),
        ));
    }
}

/// Replaces every known `{field}` with its value; unknown ones stay as typed.
pub fn fill(text: &str, values: &MergeValues) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}').map(|end| (&after[..end], end)) {
            Some((name, end)) if values.contains_key(name) => {
                out.push_str(&values[name]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One run of text in the preview, with its emphasis and link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inline {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub link: Option<String>,
}

/// A preview block: `h2`, `h3`, `p` or `li` (consecutive `li` form one list).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    pub tag: &'static str,
    pub inlines: Vec<Inline>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub preview: Vec<Block>,
    pub footer: String,
}

/// Office details printed under every message: who sends and how to unsubscribe.
#[derive(Debug, Clone, Default)]
pub struct Footer {
    pub office: String,
    pub unsubscribe_address: String,
}

impl Footer {
    pub fn text(&self) -> String {
        let office = if self.office.is_empty() {
            "naszego biura".to_string()
        } else {
            self.office.clone()
        };
        format!(
            "Otrzymujesz tę wiadomość, bo zgodziłeś(-aś) się na informacje e-mail od: {office}. Aby się wypisać, napisz na adres {} z tematem „wypisz” — usuniemy Cię z listy.",
            self.unsubscribe_address
        )
    }
}

/// Raw HTML typed into the body is shown as text, never passed through.
fn events<'a>(body: &'a str, values: &'a MergeValues) -> impl Iterator<Item = Event<'a>> + 'a {
    let options = Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(body, options).map(move |event| match event {
        Event::Text(t) => Event::Text(CowStr::from(fill(&t, values))),
        Event::Code(t) => Event::Text(CowStr::from(fill(&t, values))),
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        // Images would be fetched from the internet by the reader's mail program: a tracking
        // risk for the recipient, so they become their link.
        Event::Start(Tag::Image { dest_url, .. }) => Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Inline,
            dest_url,
            title: CowStr::from(""),
            id: CowStr::from(""),
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    })
}

/// Only web and mail links survive: a `javascript:` link in a bulletin helps nobody.
fn safe_link(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        .then(|| url.trim().to_string())
}

fn preview_blocks(body: &str, values: &MergeValues) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let (mut bold, mut italic) = (0u32, 0u32);
    let mut link: Option<String> = None;
    let mut open = false;
    for event in events(body, values) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                blocks.push(Block {
                    tag: if level <= HeadingLevel::H2 {
                        "h2"
                    } else {
                        "h3"
                    },
                    inlines: vec![],
                });
                open = true;
            }
            Event::Start(Tag::Paragraph)
                if !open
                    || blocks
                        .last()
                        .is_some_and(|b| !b.inlines.is_empty() || b.tag != "li") =>
            {
                blocks.push(Block {
                    tag: "p",
                    inlines: vec![],
                });
                open = true;
            }
            Event::Start(Tag::Item) => {
                blocks.push(Block {
                    tag: "li",
                    inlines: vec![],
                });
                open = true;
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item) => open = false,
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => link = safe_link(&dest_url),
            Event::End(TagEnd::Link) => link = None,
            Event::Text(t) => {
                if !open {
                    blocks.push(Block {
                        tag: "p",
                        inlines: vec![],
                    });
                    open = true;
                }
                blocks.last_mut().unwrap().inlines.push(Inline {
                    text: t.to_string(),
                    bold: bold > 0,
                    italic: italic > 0,
                    link: link.clone(),
                });
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = blocks.last_mut() {
                    b.inlines.push(Inline {
                        text: " ".into(),
                        bold: false,
                        italic: false,
                        link: None,
                    });
                }
            }
            _ => {}
        }
    }
    blocks
}

/// The plain-text part: the same blocks without markup; a link keeps its address in brackets.
fn plain_text(body: &str, values: &MergeValues) -> String {
    let mut out = String::new();
    for b in preview_blocks(body, values) {
        let mut line = String::new();
        for i in &b.inlines {
            line.push_str(&i.text);
            if let Some(l) = &i.link {
                if *l != i.text && l.strip_prefix("mailto:") != Some(i.text.as_str()) {
                    line.push_str(&format!(" ({l})"));
                }
            }
        }
        match b.tag {
            "h2" => out.push_str(&format!(
                "{}\n{}\n\n",
                line.to_uppercase(),
                "=".repeat(line.chars().count().min(60))
            )),
            "h3" => out.push_str(&format!(
                "{line}\n{}\n\n",
                "-".repeat(line.chars().count().min(60))
            )),
            "li" => out.push_str(&format!("- {line}\n")),
            _ => {
                if out.ends_with("\n") && !out.ends_with("\n\n") && !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&format!("{line}\n\n"));
            }
        }
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

/// Fills the merge fields and renders subject, plain text, HTML and preview for one recipient.
pub fn render(subject: &str, body: &str, values: &MergeValues, footer: &Footer) -> Rendered {
    let subject = fill(subject, values).replace(['\r', '\n'], " ");
    let filtered = events(body, values).map(|e| match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = safe_link(&dest_url)
                .map(CowStr::from)
                .unwrap_or(CowStr::from("#"));
            Event::Start(Tag::Link {
                link_type,
                dest_url: dest,
                title,
                id,
            })
        }
        other => other,
    });
    let mut content = String::new();
    pulldown_cmark::html::push_html(&mut content, filtered);
    let footer_text = footer.text();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body style=\"font-family: Arial, sans-serif; line-height: 1.5; color: #222; max-width: 40em;\">\n{content}<hr>\n<p style=\"font-size: 0.85em; color: #555;\">{footer}</p>\n</body></html>\n",
        title = escape(&subject),
        footer = escape(&footer_text),
    );
    let text = format!(
        "{}\n\n-- \n{}\n",
        plain_text(body, values).trim_end(),
        footer_text
    );
    Rendered {
        subject,
        text,
        html,
        preview: preview_blocks(body, values),
        footer: footer_text,
    }
}

/// Checks a subject and body before they are saved or sent.
pub fn validate(subject: &str, body: &str) -> Result<()> {
    let mut errors = Vec::new();
    if subject.trim().is_empty() {
        errors.push(FieldError::new("subject", "Wpisz temat wiadomości."));
    } else if subject.chars().count() > 200 {
        errors.push(FieldError::new(
            "subject",
            "Temat jest za długi (najwyżej 200 znaków).",
        ));
    }
    if body.trim().is_empty() {
        errors.push(FieldError::new("body", "Wpisz treść wiadomości."));
    } else if body.chars().count() > 100_000 {
        errors.push(FieldError::new(
            "body",
            "Treść jest za długa (najwyżej 100 000 znaków).",
        ));
    }
    check_fields("subject", subject, &mut errors);
    check_fields("body", body, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> MergeValues {
        [
            ("nazwa", "Fundacja <b>Ład</b>"),
            ("imie", "Zofia"),
            ("nazwisko", "Żak"),
            ("miasto", "Łódź"),
            ("email", "z@example.org"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn merge_fields_are_filled_as_text_never_markup() {
        let r = render("Dla {nazwa}", "## Witaj {imie}\n\n**Ważne:** termin dla {nazwa}.\n\n- [wniosek](https://ngo.pl)\n- <script>x</script>", &values(), &Footer::default());
        assert_eq!(r.subject, "Dla Fundacja <b>Ład</b>");
        assert!(r.html.contains("<h2>Witaj Zofia</h2>"));
        assert!(r.html.contains("Fundacja &lt;b&gt;Ład&lt;/b&gt;"));
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("<a href=\"https://ngo.pl\">wniosek</a>"));
        assert!(
            r.text.contains("Ważne: termin dla Fundacja <b>Ład</b>."),
            "{}",
            r.text
        );
        assert!(r.text.contains("- wniosek (https://ngo.pl)"));
        assert!(r.text.starts_with("WITAJ ZOFIA\n"));
        assert_eq!(
            r.preview[0],
            Block {
                tag: "h2",
                inlines: vec![Inline {
                    text: "Witaj Zofia".into(),
                    bold: false,
                    italic: false,
                    link: None
                }]
            }
        );
        assert!(r.preview[1].inlines[0].bold);
        assert_eq!(r.preview[2].tag, "li");
        assert_eq!(
            r.preview[2].inlines[0].link.as_deref(),
            Some("https://ngo.pl")
        );
    }

    #[test]
    fn unsafe_links_are_dropped() {
        let r = render(
            "x",
            "[klik](javascript:alert(1))",
            &values(),
            &Footer::default(),
        );
        assert!(!r.html.contains("javascript:"));
        assert_eq!(r.preview[0].inlines[0].link, None);
    }

    #[test]
    fn unknown_fields_are_named() {
        assert_eq!(
            unknown_fields("Dzień dobry {imie} {imię} {x} {x} { spacja }"),
            vec!["imię".to_string(), "x".to_string()]
        );
        let err = validate("Temat", "Treść {foo}").unwrap_err();
        assert_eq!(err.field_errors()[0].field, "body");
        assert!(validate("Temat {nazwa}", "Treść {imie}").is_ok());
        assert_eq!(fill("{a} {imie} {", &values()), "{a} Zofia {");
    }
}
