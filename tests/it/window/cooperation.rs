//! Współpraca through the real window: a competition of 100 000 zł created for this year, three
//! offers from the register (organisations picked by typing part of the name), one rejected
//! formally (first without a reason: refused at its field, the typed title kept), two granted
//! (60 000 and 50 000 zł: the second warned at its granted amount that the funds are exceeded,
//! and saved anyway), the report's preview counting them, its PDF read back with pdftotext; and
//! every tab, a competition, an offer and the forms at 1280×720 with text size A and A++.

use super::*;
use chrono::Local;

const ORGS: [&str; 3] = [
    "Fundacja Alfa Pomocy",
    "Stowarzyszenie Beta Sport",
    "Klub Gamma Kultury",
];
const COMPETITION: &str = "Wypoczynek letni dzieci 2026";

fn pl(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Chooses `value` in the form's select `name` as a user would (a change event follows).
async fn choose(c: &Client, form: &str, name: &str, value: &str) {
    js(c, &format!("const s = document.querySelector('#{form} select[name={name}]'); s.value = {value:?}; s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true")).await;
}

/// One offer typed into the open competition: the organisation found by part of its name.
async fn offer(c: &Client, org: &str, typed: &str, title: &str, requested: &str) {
    click(c, "coop-add-offer").await;
    wait_js(
        c,
        "return !!document.getElementById('offer-form') && document.activeElement?.id === 'pick-organization_id'",
        "the offer form, the organisation first",
    )
    .await;
    type_into(c, "#pick-organization_id", typed).await;
    wait_js(
        c,
        &format!("return [...document.querySelectorAll('#offer-form .suggestions li')].some(li => li.textContent.includes({org:?}))"),
        "the organisation suggested",
    )
    .await;
    keys(c, "pick-organization_id", ENTER).await;
    wait_js(
        c,
        "return document.querySelector('#offer-form input[name=organization_id]').value !== ''",
        "the organisation chosen",
    )
    .await;
    type_into(c, "#offer-form input[name=title]", title).await;
    type_into(c, "#offer-form input[name=requested]", requested).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn run_a_competition_reject_one_offer_grant_two_and_print_the_report() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh_file().await;
    for name in ORGS {
        crate::util::save_org(&db.k, &crate::util::org(name, "Białystok")).await;
    }
    db.k.close().await;
    let saved = tempfile::tempdir().unwrap();
    let today = Local::now().date_naive();
    let year = chrono::Datelike::year(&today);
    let (_driver, c) = start_with(&db.path(), &[("KARTOTEKA_SAVE_DIR", saved.path())]).await;
    at_1280x720(&c).await;

    // Konkursy of this year: none yet; Ctrl+N opens the competition's form.
    click_css(&c, "#sections [data-view=cooperation]").await;
    click(&c, "coop-tab-competitions").await;
    wait_js(
        &c,
        &format!("return document.getElementById('coop-year')?.value === '{year}' && !!document.querySelector('main .empty')"),
        "this year's empty list of competitions",
    )
    .await;
    ctrl_n(&c).await;
    wait_js(
        &c,
        "return !!document.getElementById('competition-form')",
        "the competition form",
    )
    .await;
    type_into(&c, "#competition-form input[name=title]", COMPETITION).await;
    js(&c, "const s = document.querySelector('#competition-form select[name=area_code]'); s.value = s.options[1].value; s.dispatchEvent(new Event('change', { bubbles: true })); return true").await;
    type_into(&c, "#competition-form input[name=funds]", "100 000").await;
    type_into(&c, "#competition-form input[name=announced_on]", &pl(today)).await;
    type_into(&c, "#competition-form input[name=deadline_on]", &pl(today)).await;
    click(&c, "save-competition").await;
    wait_js(
        &c,
        "return !!document.getElementById('competition-record') && !!document.querySelector('main .crow.vrow')",
        "the saved competition, listed",
    )
    .await;
    let funds = js(
        &c,
        "return document.getElementById('coop-funds').textContent",
    )
    .await;
    assert_eq!(funds, "Przyznano 0,00 zł z 100 000,00 zł", "{funds}");

    // Rejected formally without a reason: refused at the field, what was typed stays.
    offer(&c, ORGS[0], "Alfa", "Kolonie nad jeziorem", "30 000").await;
    choose(&c, "offer-form", "status", "rejected_formal").await;
    wait_js(
        &c,
        "return !document.querySelector('#offer-form [data-field=rejection_reason]').hidden",
        "the reason's field shown",
    )
    .await;
    click(&c, "save-offer").await;
    wait_js(
        &c,
        "return !document.querySelector('#offer-form [data-field=rejection_reason] .field-error').hidden",
        "the missing reason at its field",
    )
    .await;
    screenshot(&c, "cooperation-story-no-reason").await;
    let kept = js(&c, "const f = document.getElementById('offer-form'); return [f.title.value, f.requested.value, f.status.value, f.organization_id.value !== '', document.querySelector('#offer-form [data-field=rejection_reason] .field-error').textContent]").await;
    assert_eq!(kept[0], "Kolonie nad jeziorem", "{kept}");
    assert_eq!(kept[1], "30 000", "{kept}");
    assert_eq!(kept[2], "rejected_formal", "{kept}");
    assert_eq!(kept[3], true, "{kept}");
    assert!(
        kept[4].as_str().unwrap().contains("Podaj powód odrzucenia"),
        "{kept}"
    );
    type_into(
        &c,
        "#offer-form textarea[name=rejection_reason]",
        "Oferta złożona po terminie.",
    )
    .await;
    click(&c, "save-offer").await;
    wait_js(
        &c,
        "return !!document.getElementById('competition-record') && document.querySelectorAll('#coop-offers tbody tr').length === 1",
        "the rejected offer listed",
    )
    .await;

    // Granted 60 000 zł: within the funds, no warning.
    offer(&c, ORGS[1], "Beta", "Obóz sportowy", "70 000").await;
    choose(&c, "offer-form", "status", "granted").await;
    type_into(&c, "#offer-form input[name=granted]", "60 000").await;
    type_into(&c, "#offer-form input[name=score]", "42,5").await;
    click(&c, "save-offer").await;
    wait_js(
        &c,
        "return document.querySelectorAll('#coop-offers tbody tr').length === 2",
        "the first grant listed",
    )
    .await;

    // Granted 50 000 zł more: over the funds, said at the granted amount; saved nevertheless.
    offer(&c, ORGS[2], "Gamma", "Półkolonie w mieście", "50 000").await;
    choose(&c, "offer-form", "status", "granted").await;
    type_into(&c, "#offer-form input[name=granted]", "50 000").await;
    click(&c, "save-offer").await;
    toast_says(&c, "Zapisano. Uwaga:").await;
    wait_js(
        &c,
        "return document.querySelector('#offer-form h2').textContent === 'Oferta — zmiana' && !!document.querySelector('#offer-form [data-field=granted] .field-warning')",
        "the funds warning at the granted amount",
    )
    .await;
    screenshot(&c, "cooperation-story-warning").await;
    let warning = js(
        &c,
        "return document.querySelector('#offer-form [data-field=granted] .field-warning').textContent",
    )
    .await;
    assert!(
        warning
            .as_str()
            .unwrap()
            .contains("(110 000,00 zł) przekraczają jego środki (100 000,00 zł)"),
        "{warning}"
    );
    assert!(c.get_alert_text().await.is_err(), "no native box");
    escape(&c).await;
    wait_js(
        &c,
        "return !!document.getElementById('competition-record') && document.querySelectorAll('#coop-offers tbody tr').length === 3",
        "the competition with its three offers",
    )
    .await;
    let funds = js(
        &c,
        "return document.getElementById('coop-funds').textContent",
    )
    .await;
    assert!(
        funds
            .as_str()
            .unwrap()
            .starts_with("Przyznano 110 000,00 zł z 100 000,00 zł"),
        "{funds}"
    );
    let row = js(
        &c,
        "return document.querySelector('main .crow.vrow').textContent",
    )
    .await;
    assert!(
        row.as_str().unwrap().contains(COMPETITION) && row.as_str().unwrap().contains("3 oferty"),
        "{row}"
    );

    // Sprawozdanie of this year: the three offers counted, the PDF printed.
    click(&c, "coop-tab-report").await;
    wait_js(
        &c,
        &format!("return document.getElementById('coop-report')?.dataset.year === '{year}' && !!document.getElementById('coop-figures')"),
        "this year's report",
    )
    .await;
    screenshot(&c, "cooperation-story-report").await;
    let figures = js(&c, "const v = (k) => document.querySelector(`#coop-figures tr[data-key=${k}] td.current`).textContent; return [v('offers'), v('offers_rejected_formal'), v('offers_granted'), v('granted_grosze'), v('competitions'), v('competition_funds_grosze')]").await;
    assert_eq!(
        figures,
        json!(["3", "1", "2", "110 000,00 zł", "1", "100 000,00 zł"]),
        "{figures}"
    );
    let before = files_in(saved.path());
    click(&c, "coop-report-pdf").await;
    let pdf = new_file(saved.path(), &before, "pdf", b"%PDF").await;
    wait_js(
        &c,
        "return !!document.getElementById('saved-bar')",
        "the saved file offered",
    )
    .await;
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Tabela 1."), "{text}");
    assert!(text.contains("110 000,00 zł"), "{text}");
    finish(c).await;
}

const ACT: &str = "Projekt uchwały „Program współpracy na 2027 r.”";
const COUNCIL: &str = "Rada Osiedla Czuby";
const REASON: &str = "Termin wynika z ustawy.";

/// The opinion form on the open consultation, empty, the organisation's picker first.
async fn add_opinion(c: &Client) {
    click(c, "coop-add-opinion").await;
    wait_js(
        c,
        "return !!document.getElementById('opinion-form') && document.activeElement?.id === 'pick-organization_id'",
        "the opinion form, the organisation first",
    )
    .await;
}

/// Konsultacje aktów: a consultation with „quotes” in its title and two forms ticked; an opinion
/// from a register organisation (accepted) and one from a typed author rejected, first without a
/// reason (refused at the reason, the typed comment kept); the report's PDF read back.
#[tokio::test(flavor = "multi_thread")]
async fn consult_a_draft_act_with_two_opinions_and_print_its_report() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh_file().await;
    crate::util::save_org(&db.k, &crate::util::org(ORGS[0], "Białystok")).await;
    db.k.close().await;
    let saved = tempfile::tempdir().unwrap();
    let today = Local::now().date_naive();
    let year = chrono::Datelike::year(&today);
    let (_driver, c) = start_with(&db.path(), &[("KARTOTEKA_SAVE_DIR", saved.path())]).await;
    at_1280x720(&c).await;

    click_css(&c, "#sections [data-view=cooperation]").await;
    click(&c, "coop-tab-acts").await;
    wait_js(
        &c,
        &format!("return document.getElementById('coop-year')?.value === '{year}' && !!document.querySelector('main .empty')"),
        "this year's empty list of consultations",
    )
    .await;
    ctrl_n(&c).await;
    wait_js(
        &c,
        "return !!document.getElementById('act-form') && document.activeElement?.name === 'title'",
        "the consultation form, the title first",
    )
    .await;
    type_into(&c, "#act-form input[name=title]", ACT).await;
    type_into(&c, "#act-form input[name=act_kind]", "uchwała rady miasta").await;
    type_into(
        &c,
        "#act-form input[name=ordinance]",
        "Zarządzenie nr 123/2026",
    )
    .await;
    js(
        &c,
        "document.querySelector('#act-form input[name=starts_on]').value = ''; return true",
    )
    .await;
    type_into(&c, "#act-form input[name=starts_on]", &pl(today)).await;
    type_into(&c, "#act-form input[name=ends_on]", &pl(today)).await;
    click_css(&c, "#act-form input[name=forms][value=form]").await;
    click_css(&c, "#act-form input[name=forms][value=meeting]").await;
    click(&c, "save-act").await;
    wait_js(
        &c,
        "return !!document.getElementById('act-record') && !!document.querySelector('main .crow.vrow.act') && !!document.getElementById('coop-opinions-none')",
        "the saved consultation, listed, without opinions",
    )
    .await;
    let head = js(&c, "return [document.querySelector('#act-record .record-title').textContent, document.querySelector('#act-record .facts').textContent]").await;
    assert_eq!(head[0], ACT, "{head}");
    let facts = head[1].as_str().unwrap();
    assert!(
        facts.contains("formularz konsultacyjny, otwarte spotkanie konsultacyjne")
            && !facts.contains("pocztą"),
        "{facts}"
    );

    // From the register, accepted.
    add_opinion(&c).await;
    type_into(&c, "#pick-organization_id", "Alfa").await;
    wait_js(
        &c,
        &format!("return [...document.querySelectorAll('#opinion-form .suggestions li')].some(li => li.textContent.includes({:?}))", ORGS[0]),
        "the organisation suggested",
    )
    .await;
    keys(&c, "pick-organization_id", ENTER).await;
    wait_js(
        &c,
        "return document.querySelector('#opinion-form input[name=organization_id]').value !== ''",
        "the organisation chosen",
    )
    .await;
    type_into(&c, "#opinion-form input[name=section]", "§ 4 ust. 2").await;
    type_into(
        &c,
        "#opinion-form textarea[name=comment]",
        "Dopisać konsultacje z radą seniorów.",
    )
    .await;
    choose(&c, "opinion-form", "handling", "accepted").await;
    click(&c, "save-opinion").await;
    wait_js(
        &c,
        "return !!document.getElementById('act-record') && document.querySelectorAll('#coop-opinions tbody tr').length === 1",
        "the first opinion listed",
    )
    .await;

    // A typed author, rejected without a reason: refused at the reason, the comment kept.
    add_opinion(&c).await;
    type_into(&c, "#opinion-form input[name=author]", COUNCIL).await;
    type_into(
        &c,
        "#opinion-form textarea[name=comment]",
        "Wydłużyć konsultacje do 30 dni.",
    )
    .await;
    choose(&c, "opinion-form", "handling", "rejected").await;
    click(&c, "save-opinion").await;
    wait_js(
        &c,
        "return !document.querySelector('#opinion-form [data-field=reason] .field-error').hidden",
        "the missing reason at its field",
    )
    .await;
    screenshot(&c, "cooperation-acts-no-reason").await;
    let kept = js(&c, "const f = document.getElementById('opinion-form'); return [f.comment.value, f.author.value, f.handling.value, document.querySelector('#opinion-form [data-field=reason] .field-error').textContent, document.activeElement === f.reason]").await;
    assert_eq!(kept[0], "Wydłużyć konsultacje do 30 dni.", "{kept}");
    assert_eq!(kept[1], COUNCIL, "{kept}");
    assert_eq!(kept[2], "rejected", "{kept}");
    assert!(kept[3].as_str().unwrap().contains("Uzasadnij"), "{kept}");
    assert_eq!(kept[4], true, "the reason focused: {kept}");
    type_into(&c, "#opinion-form textarea[name=reason]", REASON).await;
    click(&c, "save-opinion").await;
    wait_js(
        &c,
        "return !!document.getElementById('act-record') && document.querySelectorAll('#coop-opinions tbody tr').length === 2",
        "both opinions listed",
    )
    .await;
    screenshot(&c, "cooperation-acts-record").await;
    let rows = js(&c, "return [...document.querySelectorAll('#coop-opinions tbody tr')].map(tr => [tr.querySelector('.author').textContent, tr.querySelector('td.handling .badge').textContent, tr.querySelector('td.handling .reason')?.textContent || ''])").await;
    assert_eq!(
        rows,
        json!([
            [ORGS[0], "uwzględniona", ""],
            [COUNCIL, "nieuwzględniona", REASON]
        ]),
        "{rows}"
    );
    wait_js(
        &c,
        "return (document.querySelector('main .crow.vrow.act')?.textContent || '').includes('2 uwagi')",
        "the list counting two opinions",
    )
    .await;

    let before = files_in(saved.path());
    click(&c, "coop-act-pdf").await;
    let pdf = new_file(saved.path(), &before, "pdf", b"%PDF").await;
    wait_js(
        &c,
        "return !!document.getElementById('saved-bar')",
        "the saved file offered",
    )
    .await;
    assert!(c.get_alert_text().await.is_err(), "no native box");
    let out = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [ORGS[0], COUNCIL, "nieuwzględniona", REASON] {
        assert!(flat.contains(want), "{want:?} not in the PDF: {text}");
    }
    finish(c).await;
}

/// What the check reads: main buttons off screen or cut at the side, panes scrolling sideways,
/// and a list row's text drawn outside its cell.
const LAYOUT: &str = r#"
    const out = [];
    const vw = window.innerWidth, vh = window.innerHeight;
    const seen = (el) => el.getClientRects().length > 0;
    const name = (el) => (el.id ? '#' + el.id : '') + ' "' + el.textContent.trim().slice(0, 40) + '"';
    for (const b of document.querySelectorAll('main .pane-title button, main .record-head button, main .sticky button, main .coop-tabs button')) {
      if (!seen(b)) continue;
      const r = b.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) out.push('off screen: ' + name(b));
      let box = b.parentElement;
      while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
      const clip = box && box !== document.body ? box.getBoundingClientRect() : { left: 0, right: vw };
      if (r.left < clip.left - 0.5 || r.right > clip.right + 0.5) out.push('cut at the side: ' + name(b));
    }
    for (const p of document.querySelectorAll('main, main .detail-pane, main .list-pane, main .vlist, main > *')) {
      if (seen(p) && p.scrollWidth > p.clientWidth + 1) {
        // Named by what sticks out, so the fix is findable from the message.
        const edge = p.getBoundingClientRect().right;
        const wide = [...p.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > edge + 1 || e.scrollWidth > e.clientWidth + 1);
        out.push('scrolls sideways: ' + (p.className || p.tagName) + ' ' + p.scrollWidth + '>' + p.clientWidth + ' at ' + wide.slice(0, 6).map((e) => e.tagName + '.' + e.className + ':' + e.scrollWidth + '/' + e.clientWidth).join(', '));
      }
    }
    for (const row of document.querySelectorAll('main .crow.vrow')) {
      const r = row.getBoundingClientRect();
      for (const cell of row.children) {
        if (!seen(cell)) continue;
        const c = cell.getBoundingClientRect();
        if (c.bottom > r.bottom + 0.5 || c.top < r.top - 0.5) out.push('row text overflows: ' + name(cell));
      }
      for (const b of row.querySelectorAll('.badge')) {
        const c = b.getBoundingClientRect();
        const cell = b.closest('.cell').getBoundingClientRect();
        if (seen(b) && (c.right > cell.right + 0.5 || c.width < 8)) out.push('badge cut: ' + name(b));
      }
    }
    for (const t of document.querySelectorAll('main .coop-table')) {
      const pane = t.closest('.detail-pane');
      if (pane && t.getBoundingClientRect().right > pane.getBoundingClientRect().right + 0.5) out.push('table wider than its pane: ' + (t.id || t.className));
    }
    return out;"#;

async fn check(c: &Client, what: &str, problems: &mut Vec<String>) {
    tokio::time::sleep(Duration::from_millis(600)).await;
    let found: Vec<String> = serde_json::from_value(js(c, LAYOUT).await).unwrap();
    problems.extend(found.into_iter().map(|p| format!("{what}: {p}")));
    screenshot(c, &format!("cooperation-{what}")).await;
}

/// A consultation of this year with two opinions (a long comment among them), written into the
/// demonstration's file before the window opens.
async fn consultation_with_opinions(db: &Path) {
    use kartoteka_core::cooperation::{ActConsultationInput, OpinionInput};
    let k = kartoteka_core::Kartoteka::open_location(db.as_os_str())
        .await
        .unwrap();
    let today = pl(Local::now().date_naive());
    let id = k
        .save_act_consultation(
            None,
            &ActConsultationInput {
                title: "Projekt uchwały w sprawie „Programu współpracy miasta z organizacjami pozarządowymi na 2027 rok” i zasad konsultacji".into(),
                act_kind: "uchwała rady miasta".into(),
                ordinance: "Zarządzenie nr 1234/2026 Prezydenta Miasta".into(),
                starts_on: today.clone(),
                ends_on: today.clone(),
                forms: vec!["form".into(), "email".into(), "meeting".into()],
                announced_where: "Biuletyn Informacji Publicznej, strona internetowa miasta, tablica ogłoszeń urzędu".into(),
                outcome: "Projekt poprawiono zgodnie z uwzględnionymi uwagami.".into(),
            },
        )
        .await
        .unwrap();
    for (org, author, handling, reason) in [
        (
            None,
            "Rada Osiedla Czuby Południowe i Północne",
            "partly",
            "Częściowo: termin wydłużono do 21 dni, nie do 30.",
        ),
        (
            None,
            "Stowarzyszenie Mieszkańców Starego Miasta",
            "accepted",
            "",
        ),
    ] {
        k.save_opinion(
            None,
            &OpinionInput {
                consultation_id: id,
                organization_id: org,
                author: author.into(),
                received_on: today.clone(),
                section: "§ 4 ust. 2 pkt 3".into(),
                comment: "Proponujemy wydłużyć termin konsultacji do 30 dni i dopisać obowiązek publikacji raportu z konsultacji w Biuletynie Informacji Publicznej oraz na stronie internetowej miasta w ciągu 14 dni od ich zakończenia.".into(),
                handling: handling.into(),
                reason: reason.into(),
            },
        )
        .await
        .unwrap();
    }
    k.close().await;
}

/// The demonstration's programme, competitions, offers and report at 1280×720, text size A and
/// A++: each tab, a competition with its offers, an offer's form, the competition's form, a
/// consultation of a draft act with its opinions, an opinion's form and the consultation's form.
#[tokio::test(flavor = "multi_thread")]
async fn the_cooperation_view_reads_at_1280x720_at_every_text_size() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let (_dir, db) = demo_file(30, 40, 7);
    consultation_with_opinions(&db).await;
    let (_driver, c) = start(&db).await;
    at_1280x720(&c).await;
    click_css(&c, "#sections [data-view=cooperation]").await;
    let mut problems = Vec::new();
    for (size, label) in [("0", "A"), ("2", "App")] {
        js(
            &c,
            &format!(
                "document.querySelector('#text-size [data-size=\"{size}\"]').click(); return true"
            ),
        )
        .await;
        click(&c, "coop-tab-programme").await;
        wait_js(
            &c,
            "return !!document.getElementById('programme-form') && document.querySelectorAll('#coop-tasks > li').length > 0",
            "this year's programme with its tasks",
        )
        .await;
        check(&c, &format!("programme-{label}"), &mut problems).await;
        click(&c, "coop-tab-competitions").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .crow.vrow.competition')",
            "the demonstration's competitions",
        )
        .await;
        check(&c, &format!("competitions-{label}"), &mut problems).await;
        js(
            &c,
            "document.querySelector('main .crow.vrow').click(); return true",
        )
        .await;
        wait_js(
            &c,
            "return !!document.getElementById('competition-record') && !document.getElementById('coop-offers').textContent.startsWith('…')",
            "a competition with its offers",
        )
        .await;
        check(&c, &format!("competition-{label}"), &mut problems).await;
        if js(
            &c,
            "return !!document.querySelector('#coop-offers button.link')",
        )
        .await
            == true
        {
            js(
                &c,
                "document.querySelector('#coop-offers button.link').click(); return true",
            )
            .await;
            wait_js(
                &c,
                "return !!document.getElementById('offer-form')",
                "an offer's form",
            )
            .await;
            check(&c, &format!("offer-{label}"), &mut problems).await;
            escape(&c).await;
            wait_js(
                &c,
                "return !!document.getElementById('competition-record')",
                "back at the competition",
            )
            .await;
        }
        ctrl_n(&c).await;
        wait_js(
            &c,
            "return !!document.getElementById('competition-form')",
            "the competition form",
        )
        .await;
        check(&c, &format!("competition-form-{label}"), &mut problems).await;
        escape(&c).await;
        wait_js(
            &c,
            "return !document.getElementById('competition-form')",
            "the form left",
        )
        .await;
        click(&c, "coop-tab-small").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .crow.vrow.offer') || !!document.querySelector('main .empty')",
            "Tryb 19a",
        )
        .await;
        check(&c, &format!("small-{label}"), &mut problems).await;
        ctrl_n(&c).await;
        wait_js(
            &c,
            "return !!document.getElementById('offer-form') && !!document.querySelector('#offer-form input[name=published_on]')",
            "the art. 19a form",
        )
        .await;
        check(&c, &format!("small-form-{label}"), &mut problems).await;
        escape(&c).await;
        click(&c, "coop-tab-acts").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .crow.vrow.act')",
            "the consultations of draft acts",
        )
        .await;
        check(&c, &format!("acts-{label}"), &mut problems).await;
        js(
            &c,
            "[...document.querySelectorAll('main .crow.vrow.act')].find(r => r.textContent.includes('„Programu współpracy miasta')).click(); return true",
        )
        .await;
        wait_js(
            &c,
            "return !!document.getElementById('act-record') && document.querySelectorAll('#coop-opinions tbody tr').length === 2",
            "a consultation with its opinions",
        )
        .await;
        check(&c, &format!("act-{label}"), &mut problems).await;
        js(
            &c,
            "document.querySelector('#coop-opinions .opinion-edit').click(); return true",
        )
        .await;
        wait_js(
            &c,
            "return !!document.getElementById('opinion-form')",
            "an opinion's form",
        )
        .await;
        check(&c, &format!("opinion-form-{label}"), &mut problems).await;
        escape(&c).await;
        wait_js(
            &c,
            "return !!document.getElementById('act-record')",
            "back at the consultation",
        )
        .await;
        click(&c, "edit-record").await;
        wait_js(
            &c,
            "return !!document.getElementById('act-form')",
            "the consultation's form",
        )
        .await;
        check(&c, &format!("act-form-{label}"), &mut problems).await;
        escape(&c).await;
        wait_js(
            &c,
            "return !!document.getElementById('act-record')",
            "back at the consultation",
        )
        .await;
        click(&c, "coop-tab-report").await;
        wait_js(
            &c,
            "return !!document.getElementById('coop-figures')",
            "the report",
        )
        .await;
        check(&c, &format!("report-{label}"), &mut problems).await;
    }
    js(
        &c,
        "document.querySelector('#text-size [data-size=\"0\"]').click(); return true",
    )
    .await;
    assert!(
        problems.is_empty(),
        "Współpraca at 1280×720:\n{}",
        problems.join("\n")
    );
    finish(c).await;
}

const MARKETS: &str = "Projekt uchwały w sprawie targowisk miejskich";
const TEAM: &str = "Zespół ds. seniorów";
const PATRONAGE: &str = "Bieg Niepodległości";

/// An organisation's page in the register: its opinion on a draft act, its seat on a joint team
/// and its patronage in the log, under "Współpraca pozafinansowa" (seeded through the core); the
/// opinion opens the consultation in Współpraca, the team opens Współpraca, the report's preview
/// counts the team and the patronage; an organisation with none of them says so in one line.
#[tokio::test(flavor = "multi_thread")]
async fn an_organisations_page_lists_its_opinions_seats_and_log_and_opens_the_consultation() {
    use kartoteka_core::cooperation::{
        ActConsultationInput, ActivityInput, OpinionInput, TeamInput, TeamMemberInput,
    };
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh_file().await;
    let org = crate::util::save_org(&db.k, &crate::util::org(ORGS[0], "Białystok")).await;
    let quiet = crate::util::save_org(&db.k, &crate::util::org(ORGS[1], "Białystok")).await;
    let today = pl(Local::now().date_naive());
    let act =
        db.k.save_act_consultation(
            None,
            &ActConsultationInput {
                title: MARKETS.into(),
                act_kind: "uchwała rady miasta".into(),
                starts_on: today.clone(),
                ends_on: today.clone(),
                forms: vec!["email".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    db.k.save_opinion(
        None,
        &OpinionInput {
            consultation_id: act,
            organization_id: Some(org),
            received_on: today.clone(),
            section: "§ 2 ust. 1".into(),
            comment: "Wydłużyć godziny handlu w soboty.".into(),
            handling: "partly".into(),
            reason: "Tylko w sezonie letnim.".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let team =
        db.k.save_team(
            None,
            &TeamInput {
                name: TEAM.into(),
                kind: "joint_team".into(),
                starts_on: today.clone(),
                members: vec![TeamMemberInput {
                    organization_id: Some(org),
                    representative: "Anna Nowak".into(),
                    role: "chair".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    db.k.save_cooperation_activity(
        None,
        &ActivityInput {
            kind: "patronage".into(),
            held_on: today.clone(),
            organization_id: Some(org),
            title: PATRONAGE.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    db.k.close().await;
    let (_driver, c) = start(&db.path()).await;
    at_1280x720(&c).await;

    js(&c, &format!("import('./js/app.js').then(a => a.go('organizations', {{ open: {org} }})); return true")).await;
    wait_js(
        &c,
        "return !!document.querySelector('#org-opinions li') && !!document.querySelector('#org-teams li') && !!document.querySelector('#org-activities li')",
        "the organisation's opinions, seats and log",
    )
    .await;
    let parts = js(&c, "return ['org-opinions', 'org-teams', 'org-activities'].map(id => document.getElementById(id).textContent).concat([document.querySelector('#org-cooperation-section h3').textContent, [...document.querySelectorAll('#org-cooperation-section h4')].map(h => h.textContent).join(' | ')])").await;
    let text = |i: usize| parts[i].as_str().unwrap().to_string();
    assert!(
        text(0).contains(MARKETS) && text(0).contains("§ 2 ust. 1") && text(0).contains(&today),
        "{parts}"
    );
    assert!(
        text(1).contains(TEAM)
            && text(1).contains("przewodniczący")
            && text(1).contains("Anna Nowak")
            && text(1).contains(&format!("od {today}")),
        "{parts}"
    );
    assert!(
        text(2).contains(&format!("patronat: {PATRONAGE}")),
        "{parts}"
    );
    assert_eq!(text(3), "Współpraca pozafinansowa", "{parts}");
    assert_eq!(
        text(4),
        "Uwagi do projektów aktów | Zespoły i grupy robocze | Dziennik współpracy",
        "{parts}"
    );
    js(&c, "document.getElementById('org-offers-section').scrollIntoView({block: 'start'}); return true").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot(&c, "cooperation-organisation-page").await;
    let wide = js(&c, "const s = document.getElementById('org-cooperation-section'); const pane = s.closest('.detail-pane') || document.querySelector('main'); return [...s.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > pane.getBoundingClientRect().right + 0.5).map(e => e.tagName + '.' + e.className)").await;
    assert_eq!(wide, json!([]), "wider than the pane: {wide}");

    // The opinion opens its consultation in Współpraca › Konsultacje aktów.
    click_css(&c, "#org-opinions li button").await;
    wait_js(
        &c,
        &format!("return document.getElementById('act-record')?.dataset.id === '{act}' && document.getElementById('coop-tab-acts')?.getAttribute('aria-selected') === 'true'"),
        "the consultation open in Współpraca",
    )
    .await;

    // The report's preview counts the team, its organisation and the patronage.
    click(&c, "coop-tab-report").await;
    wait_js(
        &c,
        "return !!document.querySelector('#coop-figures tr[data-key=teams]')",
        "the report's figures",
    )
    .await;
    let figures = js(&c, "return ['teams', 'organizations_in_teams', 'patronages', 'organizations_cooperating'].map(k => { const tr = document.querySelector(`#coop-figures tr[data-key=${k}]`); return [tr.querySelector('th').textContent, tr.querySelector('td.current').textContent]; })").await;
    assert_eq!(
        figures,
        json!([
            ["Wspólne zespoły i grupy robocze", "1"],
            ["Organizacje w zespołach", "1"],
            ["Patronaty", "1"],
            ["Organizacje współpracujące (w każdej formie)", "1"]
        ]),
        "{figures}"
    );

    // The team opens in Współpraca (in its tab when the view has one).
    js(&c, &format!("import('./js/app.js').then(a => a.go('organizations', {{ open: {org} }})); return true")).await;
    click_css(&c, "#org-teams li button").await;
    wait_js(
        &c,
        &format!("return document.querySelector('#sections [data-view=cooperation]')?.getAttribute('aria-current') === 'page' && !!document.querySelector('.coop-tabs') && (!document.getElementById('coop-tab-teams') || (document.getElementById('coop-tab-teams').getAttribute('aria-selected') === 'true' && document.getElementById('team-record')?.dataset.id === '{team}'))"),
        "the team open in Współpraca",
    )
    .await;

    // Nothing of it: one line, no empty headings.
    js(&c, &format!("import('./js/app.js').then(a => a.go('organizations', {{ open: {quiet} }})); return true")).await;
    wait_js(
        &c,
        "return !!document.getElementById('org-coop-none') && !document.querySelector('#org-cooperation-section h4')",
        "one line for an organisation without any",
    )
    .await;
    assert!(c.get_alert_text().await.is_err(), "no native box");
    finish(c).await;
}

/// "Powiadom organizacje" on a consultation: the app's dialog counts the recipients (three
/// organisations with consent, two of them in the sphere ticked), the draft opens in Poczta with
/// the consultation's subject, and the record then says the notice is prepared and opens it.
#[tokio::test(flavor = "multi_thread")]
async fn notify_organisations_of_a_consultation_opens_the_draft_in_poczta() {
    use kartoteka_core::cooperation::ActConsultationInput;
    use kartoteka_core::register::ConsentInput;
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh_file().await;
    let areas: Vec<String> =
        db.k.reference_data()
            .await
            .unwrap()
            .areas
            .iter()
            .filter(|a| a.active)
            .map(|a| a.code.clone())
            .collect();
    for (i, area) in [&areas[0], &areas[0], &areas[1]].into_iter().enumerate() {
        let mut o = crate::util::org(ORGS[i], "Białystok");
        o.emails = format!("org{i}@example.pl");
        o.areas = vec![area.clone()];
        let id = crate::util::save_org(&db.k, &o).await;
        db.k.grant_organization_consent(
            id,
            &ConsentInput {
                channel: "email_bulletin".into(),
                date: String::new(),
                source: "formularz".into(),
            },
        )
        .await
        .unwrap();
    }
    let today = pl(Local::now().date_naive());
    db.k.save_act_consultation(
        None,
        &ActConsultationInput {
            title: MARKETS.into(),
            act_kind: "uchwała rady miasta".into(),
            starts_on: today.clone(),
            ends_on: today.clone(),
            forms: vec!["email".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    db.k.close().await;
    let (_driver, c) = start(&db.path()).await;
    at_1280x720(&c).await;

    click_css(&c, "#sections [data-view=cooperation]").await;
    click(&c, "coop-tab-acts").await;
    click_css(&c, "main .crow.vrow.act").await;
    wait_js(
        &c,
        "return !!document.getElementById('act-record') && !document.getElementById('coop-notice-ready')",
        "the consultation, no notice yet",
    )
    .await;
    click(&c, "coop-act-notice").await;
    wait_js(
        &c,
        "return (document.querySelector('#coop-notice-count .audience-total')?.textContent || '') === 'Adresaci powiadomienia: 3'",
        "the dialog counting every organisation",
    )
    .await;
    click_css(
        &c,
        &format!(
            "#coop-notice-form input[name=areas][value=\"{}\"]",
            areas[0]
        ),
    )
    .await;
    wait_js(
        &c,
        "return document.querySelector('#coop-notice-count .audience-total').textContent === 'Adresaci powiadomienia: 2'",
        "the count of the sphere ticked",
    )
    .await;
    js(&c, "const d = document.querySelector('dialog[open] .dialog-body'); d.scrollTop = 0; return true").await;
    // WebKitGTK's snapshot may show the dialog as first painted; sizing the window repaints it.
    at_1280x720(&c).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot(&c, "cooperation-notice-dialog").await;
    let shown = js(&c, &format!("return [document.querySelectorAll('dialog[open]').length, document.querySelector('#coop-notice-count .audience-total').textContent, document.querySelector('#coop-notice-form input[name=areas][value=\"{}\"]').checked]", areas[0])).await;
    assert_eq!(
        shown,
        json!([1, "Adresaci powiadomienia: 2", true]),
        "{shown}"
    );
    let fits = js(&c, "const d = document.querySelector('dialog[open]').getBoundingClientRect(); return d.top >= 0 && d.bottom <= window.innerHeight + 0.5 && d.left >= 0 && d.right <= window.innerWidth + 0.5").await;
    assert_eq!(fits, true, "the dialog fits 1280×720");
    click(&c, "coop-notice-go").await;
    toast_says(
        &c,
        "Powiadomienie czeka w wersjach roboczych Poczty. Adresaci: 2.",
    )
    .await;
    let draft = "return document.querySelector('#sections [data-view=mail]')?.getAttribute('aria-current') === 'page' && (document.querySelector('#message-form input[name=subject]')?.value || '').startsWith('Konsultacje projektu: ' + ";
    wait_js(
        &c,
        &format!("{draft}{MARKETS:?})"),
        "the draft open in Poczta",
    )
    .await;
    assert!(c.get_alert_text().await.is_err(), "no native box");

    // Back at the consultation: prepared, and opened from there again.
    click_css(&c, "#sections [data-view=cooperation]").await;
    click(&c, "coop-tab-acts").await;
    click_css(&c, "main .crow.vrow.act").await;
    wait_js(
        &c,
        "return (document.getElementById('coop-notice-ready')?.textContent || '').includes('Powiadomienie przygotowane')",
        "the notice said prepared",
    )
    .await;
    screenshot(&c, "cooperation-notice-ready").await;
    click(&c, "coop-notice-open").await;
    wait_js(&c, &format!("{draft}{MARKETS:?})"), "the draft open again").await;
    finish(c).await;
}

/// A competition linked to a grant call of Konkursy: chosen in the form's select ("— brak —"
/// first), its title shown in the record and the choice kept when the form opens again.
#[tokio::test(flavor = "multi_thread")]
async fn a_competition_linked_to_a_grant_call_shows_its_title() {
    use kartoteka_core::mail::GrantCallInput;
    if !e2e_available() {
        return;
    }
    const CALL: &str = "Inicjatywy sąsiedzkie — nabór wniosków";
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh_file().await;
    let today = Local::now().date_naive();
    let call =
        db.k.save_grant_call(
            None,
            &GrantCallInput {
                funder: "Urząd Miasta".into(),
                title: CALL.into(),
                deadline: pl(today + chrono::Duration::days(30)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    db.k.close().await;
    let (_driver, c) = start(&db.path()).await;
    at_1280x720(&c).await;

    click_css(&c, "#sections [data-view=cooperation]").await;
    click(&c, "coop-tab-competitions").await;
    wait_js(
        &c,
        "return !!document.querySelector('main .empty')",
        "no competitions yet",
    )
    .await;
    ctrl_n(&c).await;
    wait_js(
        &c,
        "return document.querySelectorAll('#competition-form select[name=grant_call_id] option').length === 2",
        "the competition form with the grant calls",
    )
    .await;
    let first = js(&c, "const s = document.querySelector('#competition-form select[name=grant_call_id]'); return [s.value, s.options[0].textContent, s.options[1].textContent]").await;
    assert_eq!(first[0], "", "{first}");
    assert_eq!(first[1], "— brak —", "{first}");
    assert!(first[2].as_str().unwrap().starts_with(CALL), "{first}");
    type_into(&c, "#competition-form input[name=title]", COMPETITION).await;
    js(&c, "const s = document.querySelector('#competition-form select[name=area_code]'); s.value = s.options[1].value; s.dispatchEvent(new Event('change', { bubbles: true })); return true").await;
    choose(&c, "competition-form", "grant_call_id", &call.to_string()).await;
    type_into(&c, "#competition-form input[name=funds]", "50 000").await;
    type_into(&c, "#competition-form input[name=deadline_on]", &pl(today)).await;
    click(&c, "save-competition").await;
    wait_js(
        &c,
        "return !!document.getElementById('competition-record')",
        "the saved competition",
    )
    .await;
    let facts = js(
        &c,
        "return document.querySelector('#competition-record .facts').textContent",
    )
    .await;
    assert!(facts.as_str().unwrap().contains(CALL), "{facts}");
    click(&c, "edit-record").await;
    wait_js(
        &c,
        &format!("return document.querySelector('#competition-form select[name=grant_call_id]')?.value === '{call}'"),
        "the grant call kept in the form",
    )
    .await;
    escape(&c).await;
    finish(c).await;
}
