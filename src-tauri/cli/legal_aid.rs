//! `kartoteka report starosta …`: the figures of the office's free legal aid points for a
//! period, as PDF, .xlsx or JSON, counted from the cards and without personal data.

use super::out_line;
use kartoteka_core::Kartoteka;
use std::io::Write as _;
use std::path::PathBuf;

pub async fn starosta(
    k: &Kartoteka,
    from: &str,
    to: &str,
    point: Option<&str>,
    out: Option<PathBuf>,
    json: bool,
) -> anyhow::Result<i32> {
    let point_id = match point {
        None => None,
        Some(number) => match k
            .legal_aid_setup()
            .await?
            .points
            .into_iter()
            .find(|p| p.number == number.trim())
        {
            Some(p) => Some(p.id),
            None => {
                note!("Nie ma punktu o numerze {number}.");
                return Ok(2);
            }
        },
    };
    let figures = match &out {
        Some(path) => k.starosta_report(from, to, point_id, path).await?,
        None => k.starosta_figures(from, to, point_id).await?,
    };
    if json {
        out!("{}", serde_json::to_string_pretty(&figures)?);
    } else if out.is_none() {
        out!(
            "Karty pomocy: {} (w punkcie {}, na odległość {}), opinie: {}",
            figures.cards,
            figures.in_point,
            figures.remote,
            figures.opinions
        );
        for (title, counts) in [
            ("Rodzaj pomocy", &figures.by_aid_type),
            ("Dziedzina prawa", &figures.by_area),
            ("Forma", &figures.by_form),
            ("Zawód", &figures.by_profession),
        ] {
            out!("{title}:");
            for c in counts {
                out!("  {:>5}  {}", c.count, c.name);
            }
        }
    }
    if let Some(path) = out {
        note!(
            "Zapisano {} (karty pomocy: {}, opinie: {}).",
            path.display(),
            figures.cards,
            figures.opinions
        );
    }
    Ok(0)
}
