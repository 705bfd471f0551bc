//! Współpraca › "Zespoły i inne formy" through the real window: a joint team with two
//! organisations picked from the register and one other party typed, a second chair refused at
//! that member's function with everything typed kept; a meeting (attendance in words refused at
//! its field, then saved); a patronage in the log, the log filtered by form; the meeting deleted
//! through the app's dialog. And the tab, a team, its forms and the log at 1280×720 with text
//! size A and A++.

use super::*;
use chrono::Local;

const ORGS: [&str; 2] = ["Fundacja Alfa Pomocy", "Stowarzyszenie Beta Sport"];
const TEAM: &str = "Zespół ds. programu współpracy 2027";
const OFFICE: &str = "Wydział Spraw Społecznych Urzędu Miasta";
const PATRONAGE: &str = "Patronat Prezydenta nad Biegiem Niepodległości";

/// Chooses `value` in `css` (a select) as a user would: a change event follows.
async fn choose(c: &Client, css: &str, value: &str) {
    wait_js(c, &format!("return !!document.querySelector({css:?})"), css).await;
    js(c, &format!("const s = document.querySelector({css:?}); s.value = {value:?}; s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true")).await;
}

/// Types into a field further down the form: scrolled to first, as a user would (WebKitWebDriver
/// does not scroll inside the pane).
async fn type_below(c: &Client, css: &str, text: &str) {
    wait_js(c, &format!("return !!document.querySelector({css:?})"), css).await;
    js(
        c,
        &format!(
            "document.querySelector({css:?}).scrollIntoView({{block: 'center'}}); return true"
        ),
    )
    .await;
    type_into(c, css, text).await;
}

/// Picks `org` from the register's suggestions under the input `id` after typing `typed`.
async fn pick_org(c: &Client, id: &str, typed: &str, org: &str) {
    type_below(c, &format!("#{id}"), typed).await;
    wait_js(
        c,
        &format!("const w = document.getElementById({id:?}).closest('.org-pick-wrap'); return [...w.querySelectorAll('.suggestions li')].some(li => li.textContent.includes({org:?})) && !w.querySelector('.suggestions').hidden"),
        "the organisation suggested",
    )
    .await;
    keys(c, id, ENTER).await;
    wait_js(
        c,
        &format!("return document.getElementById({id:?}).value === {org:?}"),
        "the organisation chosen",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_working_team_with_members_a_meeting_and_a_patronage_in_the_log() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let db = crate::util::fresh_file().await;
    for name in ORGS {
        crate::util::save_org(&db.k, &crate::util::org(name, "Białystok")).await;
    }
    db.k.close().await;
    let today = Local::now().date_naive();
    let year = chrono::Datelike::year(&today);
    let (_driver, c) = start(&db.path()).await;
    at_1280x720(&c).await;

    click_css(&c, "#sections [data-view=cooperation]").await;
    click(&c, "coop-tab-teams").await;
    wait_js(
        &c,
        &format!("return document.getElementById('coop-year')?.value === '{year}' && !!document.querySelector('main .empty') && !!document.getElementById('coop-new-team')"),
        "this year's empty list of teams",
    )
    .await;
    ctrl_n(&c).await;
    wait_js(
        &c,
        "return !!document.getElementById('team-form') && document.activeElement?.name === 'name'",
        "the team form, the name first",
    )
    .await;
    type_into(&c, "#team-form input[name=name]", TEAM).await;
    choose(&c, "#team-form select[name=kind]", "joint_team").await;
    type_into(
        &c,
        "#team-form input[name=appointed_by]",
        "Zarządzenie nr 120/2026 Prezydenta Miasta",
    )
    .await;

    // Two organisations of the register, both chairs at first, and the office's department.
    pick_org(&c, "coop-member-0-name", "Alfa", ORGS[0]).await;
    type_below(&c, "#coop-member-0-representative", "Anna Nowak").await;
    choose(&c, "#coop-member-0-role", "chair").await;
    click(&c, "coop-member-add").await;
    wait_js(
        &c,
        "return document.activeElement?.id === 'coop-member-1-name'",
        "a second member's row, its name focused",
    )
    .await;
    pick_org(&c, "coop-member-1-name", "Beta", ORGS[1]).await;
    type_below(&c, "#coop-member-1-representative", "Jan Kowalski").await;
    choose(&c, "#coop-member-1-role", "chair").await;
    click(&c, "coop-member-add").await;
    type_below(&c, "#coop-member-2-name", OFFICE).await;
    choose(&c, "#coop-member-2-role", "secretary").await;
    click(&c, "save-team").await;
    wait_js(
        &c,
        "return !document.querySelector('#team-form [data-field=\"members.1.role\"] .field-error').hidden",
        "the second chair refused at its function",
    )
    .await;
    screenshot(&c, "coop-teams-two-chairs").await;
    let kept = js(&c, "const f = document.getElementById('team-form'); const rows = [...f.querySelectorAll('#coop-members-edit > li')]; return [f.querySelector('input[name=name]').value, f.querySelector('select[name=kind]').value, rows.map(r => [r.querySelector('.member-name').value, r.querySelector('.member-org').value !== '', r.querySelector('.member-representative').value, r.querySelector('.member-role').value]), f.querySelector('[data-field=\"members.1.role\"] .field-error').textContent, document.activeElement?.id]").await;
    assert_eq!(kept[0], TEAM, "{kept}");
    assert_eq!(kept[1], "joint_team", "{kept}");
    assert_eq!(
        kept[2],
        json!([
            [ORGS[0], true, "Anna Nowak", "chair"],
            [ORGS[1], true, "Jan Kowalski", "chair"],
            [OFFICE, false, "", "secretary"]
        ]),
        "{kept}"
    );
    assert!(
        kept[3]
            .as_str()
            .unwrap()
            .contains("jednego przewodniczącego"),
        "{kept}"
    );
    assert_eq!(
        kept[4], "coop-member-1-role",
        "the wrong function focused: {kept}"
    );
    choose(&c, "#coop-member-1-role", "member").await;
    click(&c, "save-team").await;
    toast_says(&c, "Zapisano zespół.").await;
    wait_js(
        &c,
        "return !!document.getElementById('team-record') && document.querySelectorAll('#coop-members tbody tr').length === 3 && !!document.getElementById('coop-meetings-none')",
        "the saved team with its three members",
    )
    .await;
    let members = js(&c, "return [...document.querySelectorAll('#coop-members tbody tr')].map(tr => [tr.querySelector('.member-name').textContent, tr.dataset.role, tr.dataset.org !== ''])").await;
    assert_eq!(
        members,
        json!([
            [ORGS[0], "chair", true],
            [ORGS[1], "member", true],
            [OFFICE, "secretary", false]
        ]),
        "{members}"
    );
    wait_js(
        &c,
        &format!("const r = document.querySelector('main .crow.vrow.team'); return !!r && r.textContent.includes({TEAM:?}) && r.textContent.includes('3 członków') && r.textContent.includes('0 posiedzeń')"),
        "the team listed with its counts",
    )
    .await;

    // A meeting: attendance in words refused at its field, the place kept; then saved.
    click(&c, "coop-add-meeting").await;
    wait_js(
        &c,
        "return !!document.getElementById('meeting-form') && document.activeElement?.name === 'held_on'",
        "the meeting form, the date first",
    )
    .await;
    type_below(
        &c,
        "#meeting-form input[name=place]",
        "Urząd Miasta, sala 104",
    )
    .await;
    type_below(&c, "#meeting-form input[name=attendance]", "siedmiu").await;
    type_below(
        &c,
        "#meeting-form textarea[name=minutes]",
        "Omówiono priorytety programu.",
    )
    .await;
    click(&c, "save-meeting").await;
    wait_js(
        &c,
        "return !document.querySelector('#meeting-form [data-field=attendance] .field-error').hidden",
        "the attendance refused at its field",
    )
    .await;
    let kept = js(&c, "const f = document.getElementById('meeting-form'); return [f.place.value, f.attendance.value, f.minutes.value, document.querySelector('#meeting-form [data-field=attendance] .field-error').textContent]").await;
    assert_eq!(kept[0], "Urząd Miasta, sala 104", "{kept}");
    assert_eq!(kept[1], "siedmiu", "{kept}");
    assert_eq!(kept[2], "Omówiono priorytety programu.", "{kept}");
    assert!(
        kept[3].as_str().unwrap().contains("liczbę obecnych"),
        "{kept}"
    );
    type_below(&c, "#meeting-form input[name=attendance]", "7").await;
    click(&c, "save-meeting").await;
    toast_says(&c, "Zapisano posiedzenie.").await;
    wait_js(
        &c,
        "return !!document.getElementById('team-record') && document.querySelectorAll('#coop-meetings tbody tr').length === 1",
        "the meeting listed",
    )
    .await;
    let meeting = js(&c, "const tr = document.querySelector('#coop-meetings tbody tr'); return [tr.querySelector('.place').textContent, tr.querySelector('.attendance').textContent]").await;
    assert_eq!(meeting, json!(["Urząd Miasta, sala 104", "7"]), "{meeting}");
    wait_js(
        &c,
        "return (document.querySelector('main .crow.vrow.team')?.textContent || '').includes('1 posiedzenie')",
        "the list counting the meeting",
    )
    .await;

    // The log: a patronage for an organisation of the register.
    click(&c, "coop-teams-mode-log").await;
    wait_js(
        &c,
        "return !!document.querySelector('main .empty') && !!document.getElementById('coop-new-activity') && !!document.getElementById('coop-activity-kind')",
        "the year's empty log",
    )
    .await;
    click(&c, "coop-new-activity").await;
    wait_js(
        &c,
        "return !!document.getElementById('activity-form') && document.activeElement?.name === 'kind'",
        "the log entry's form, the form of cooperation first",
    )
    .await;
    choose(&c, "#activity-form select[name=kind]", "patronage").await;
    let org_input = js(
        &c,
        "return document.querySelector('#activity-form .activity-org').id",
    )
    .await;
    pick_org(&c, org_input.as_str().unwrap(), "Alfa", ORGS[0]).await;
    type_below(&c, "#activity-form input[name=title]", PATRONAGE).await;
    click(&c, "save-activity").await;
    toast_says(&c, "Zapisano wpis.").await;
    wait_js(
        &c,
        &format!("const r = document.querySelector('main .crow.vrow.activity'); return !!r && r.textContent.includes({PATRONAGE:?}) && r.textContent.includes({:?}) && r.textContent.includes('patronat') && r.getAttribute('aria-selected') === 'true'", ORGS[0]),
        "the patronage in the log",
    )
    .await;
    screenshot(&c, "coop-teams-log").await;
    choose(&c, "#coop-activity-kind", "information").await;
    wait_js(
        &c,
        "return !!document.querySelector('main .empty') && !document.querySelector('main .crow.vrow.activity')",
        "no information published: the filtered log empty",
    )
    .await;
    choose(&c, "#coop-activity-kind", "patronage").await;
    wait_js(
        &c,
        "return document.querySelectorAll('main .crow.vrow.activity').length === 1",
        "the patronages",
    )
    .await;

    // Back to the teams: the meeting deleted through the app's dialog.
    click(&c, "coop-teams-mode-teams").await;
    click_css(&c, "main .crow.vrow.team").await;
    wait_js(
        &c,
        "return !!document.getElementById('team-record') && document.querySelectorAll('#coop-meetings tbody tr').length === 1",
        "the team with its meeting",
    )
    .await;
    click_css(&c, "#coop-meetings .meeting-delete").await;
    wait_js(
        &c,
        "return !!document.querySelector('dialog[open] [data-answer=ok]')",
        "the app's dialog asking",
    )
    .await;
    assert!(c.get_alert_text().await.is_err(), "no native box");
    click_css(&c, "dialog[open] [data-answer=ok]").await;
    toast_says(&c, "Usunięto posiedzenie.").await;
    wait_js(
        &c,
        "return !!document.getElementById('team-record') && !!document.getElementById('coop-meetings-none') && (document.querySelector('main .crow.vrow.team')?.textContent || '').includes('0 posiedzeń')",
        "the team without meetings",
    )
    .await;
    finish(c).await;
}

/// What the check reads (as in cooperation.rs): main buttons off screen or cut at the side,
/// panes scrolling sideways, a list row's text drawn outside its cell, tables wider than the pane.
const LAYOUT: &str = r#"
    const out = [];
    const vw = window.innerWidth, vh = window.innerHeight;
    const seen = (el) => el.getClientRects().length > 0;
    const name = (el) => (el.id ? '#' + el.id : '') + ' "' + el.textContent.trim().slice(0, 40) + '"';
    for (const b of document.querySelectorAll('main .pane-title button, main .record-head button, main .sticky button, main .coop-tabs button, main .coop-teams-switch button, main .coop-member button')) {
      if (!seen(b)) continue;
      const r = b.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) {
        if (!b.closest('.coop-member')) out.push('off screen: ' + name(b));
      }
      let box = b.parentElement;
      while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
      const clip = box && box !== document.body ? box.getBoundingClientRect() : { left: 0, right: vw };
      if (r.left < clip.left - 0.5 || r.right > clip.right + 0.5) out.push('cut at the side: ' + name(b));
    }
    for (const p of document.querySelectorAll('main, main .detail-pane, main .list-pane, main .vlist, main > *')) {
      if (seen(p) && p.scrollWidth > p.clientWidth + 1) {
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
    screenshot(c, &format!("coop-teams-{what}")).await;
}

/// The demonstration's working group (four members, a meeting every two months since February
/// of last year) and the log at 1280×720, text size A and A++: the list, the team, its form and a
/// meeting's form, the log and an entry's form.
#[tokio::test(flavor = "multi_thread")]
async fn the_teams_tab_reads_at_1280x720_at_every_text_size() {
    if !e2e_available() {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let (_dir, db) = demo_file(30, 40, 7);
    let (_driver, c) = start(&db).await;
    at_1280x720(&c).await;
    click_css(&c, "#sections [data-view=cooperation]").await;
    click(&c, "coop-tab-teams").await;
    let mut problems = Vec::new();
    for (size, label) in [("0", "A"), ("2", "App")] {
        js(
            &c,
            &format!(
                "document.querySelector('#text-size [data-size=\"{size}\"]').click(); return true"
            ),
        )
        .await;
        click(&c, "coop-teams-mode-teams").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .crow.vrow.team')",
            "the demonstration's working group",
        )
        .await;
        check(&c, &format!("list-{label}"), &mut problems).await;
        click_css(&c, "main .crow.vrow.team").await;
        wait_js(
            &c,
            "return !!document.getElementById('team-record') && document.querySelectorAll('#coop-meetings tbody tr').length > 1 && document.querySelectorAll('#coop-members tbody tr').length === 4",
            "the working group with its members and meetings",
        )
        .await;
        check(&c, &format!("team-{label}"), &mut problems).await;
        click(&c, "edit-record").await;
        wait_js(
            &c,
            "return document.querySelectorAll('#coop-members-edit > li').length === 4",
            "the team's form with its members",
        )
        .await;
        check(&c, &format!("team-form-{label}"), &mut problems).await;
        escape(&c).await;
        wait_js(
            &c,
            "return !!document.getElementById('team-record')",
            "back at the team",
        )
        .await;
        click_css(&c, "#coop-meetings .meeting-edit").await;
        wait_js(
            &c,
            "return !!document.getElementById('meeting-form')",
            "a meeting's form",
        )
        .await;
        check(&c, &format!("meeting-form-{label}"), &mut problems).await;
        escape(&c).await;
        wait_js(
            &c,
            "return !!document.getElementById('team-record')",
            "back at the team",
        )
        .await;
        click(&c, "coop-teams-mode-log").await;
        wait_js(
            &c,
            "return !!document.querySelector('main .crow.vrow.activity')",
            "the year's log",
        )
        .await;
        check(&c, &format!("log-{label}"), &mut problems).await;
        click_css(&c, "main .crow.vrow.activity").await;
        wait_js(
            &c,
            "return !!document.getElementById('activity-form') && !!document.getElementById('coop-activity-delete')",
            "a log entry's form",
        )
        .await;
        check(&c, &format!("activity-form-{label}"), &mut problems).await;
        escape(&c).await;
    }
    js(
        &c,
        "document.querySelector('#text-size [data-size=\"0\"]').click(); return true",
    )
    .await;
    assert!(
        problems.is_empty(),
        "Zespoły i inne formy at 1280×720:\n{}",
        problems.join("\n")
    );
    finish(c).await;
}
