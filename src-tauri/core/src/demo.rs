//! Demonstration data: realistic Polish organisations and people with valid identifiers, so a
//! new user (and the benchmarks) can try every screen at once. Deterministic for a given seed.
//! Everything goes through the same parsers as typed input. Every address is under example.org
//! or example.com (RFC 2606: reserved, never anyone's mailbox) and no mail server is set, so a
//! demo register cannot write to a stranger; it is loaded only into an empty register.

use crate::error::{Error, Result};
use crate::register::{ConsentChannel, OrganizationInput, PersonInput, RoleInput};
use crate::text::fold;
use crate::Kartoteka;
use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// (city, gmina, powiat, voivodeship, postal code prefix)
const PLACES: &[(&str, &str, &str, &str, &str)] = &[
    ("Białystok", "Białystok", "Białystok", "podlaskie", "15"),
    ("Łomża", "Łomża", "Łomża", "podlaskie", "18"),
    ("Suwałki", "Suwałki", "Suwałki", "podlaskie", "16"),
    ("Goniądz", "Goniądz", "moniecki", "podlaskie", "19"),
    ("Leszno", "Leszno", "Leszno", "wielkopolskie", "64"),
    ("Poznań", "Poznań", "Poznań", "wielkopolskie", "60"),
    ("Śrem", "Śrem", "śremski", "wielkopolskie", "63"),
    ("Gniezno", "Gniezno", "gnieźnieński", "wielkopolskie", "62"),
    (
        "Bydgoszcz",
        "Bydgoszcz",
        "Bydgoszcz",
        "kujawsko-pomorskie",
        "85",
    ),
    ("Toruń", "Toruń", "Toruń", "kujawsko-pomorskie", "87"),
    (
        "Włocławek",
        "Włocławek",
        "Włocławek",
        "kujawsko-pomorskie",
        "87",
    ),
    (
        "Grudziądz",
        "Grudziądz",
        "Grudziądz",
        "kujawsko-pomorskie",
        "86",
    ),
    ("Łódź", "Łódź", "Łódź", "łódzkie", "90"),
    ("Zgierz", "Zgierz", "zgierski", "łódzkie", "95"),
    ("Warszawa", "Warszawa", "Warszawa", "mazowieckie", "00"),
    ("Żyrardów", "Żyrardów", "żyrardowski", "mazowieckie", "96"),
    ("Kraków", "Kraków", "Kraków", "małopolskie", "30"),
    ("Nowy Sącz", "Nowy Sącz", "Nowy Sącz", "małopolskie", "33"),
    ("Gdańsk", "Gdańsk", "Gdańsk", "pomorskie", "80"),
    ("Wrocław", "Wrocław", "Wrocław", "dolnośląskie", "50"),
    ("Lublin", "Lublin", "Lublin", "lubelskie", "20"),
    ("Świdnik", "Świdnik", "świdnicki", "lubelskie", "21"),
    ("Rzeszów", "Rzeszów", "Rzeszów", "podkarpackie", "35"),
    ("Kielce", "Kielce", "Kielce", "świętokrzyskie", "25"),
    ("Olsztyn", "Olsztyn", "Olsztyn", "warmińsko-mazurskie", "10"),
    ("Ełk", "Ełk", "ełcki", "warmińsko-mazurskie", "19"),
    ("Opole", "Opole", "Opole", "opolskie", "45"),
    (
        "Zielona Góra",
        "Zielona Góra",
        "Zielona Góra",
        "lubuskie",
        "65",
    ),
    (
        "Szczecin",
        "Szczecin",
        "Szczecin",
        "zachodniopomorskie",
        "70",
    ),
    ("Katowice", "Katowice", "Katowice", "śląskie", "40"),
    ("Żory", "Żory", "Żory", "śląskie", "44"),
];

const STREETS: &[&str] = &[
    "Świętojańska",
    "Mickiewicza",
    "Kościuszki",
    "Sienkiewicza",
    "Piłsudskiego",
    "Żeromskiego",
    "Łąkowa",
    "Ogrodowa",
    "Kolejowa",
    "Lipowa",
    "Słoneczna",
    "Wojska Polskiego",
    "Źródlana",
    "Ślusarska",
    "Rynek",
    "Plac Wolności",
    "Grunwaldzka",
    "Żwirki i Wigury",
    "Kilińskiego",
];

const CORES: &[&str] = &[
    "Pomocy Dzieciom",
    "na Rzecz Seniorów",
    "Rozwoju Lokalnego",
    "Aktywni Razem",
    "Zielona Przyszłość",
    "Wspólna Sprawa",
    "Łączy Nas Pasja",
    "Ośmiu Wspaniałych",
    "Społeczna Dusza",
    "Żółty Parasol",
    "Źródło",
    "Światło Nadziei",
    "Ścieżki Kultury",
    "Edukacji Ekologicznej",
    "Przyjaciół Zwierząt",
    "Porad Obywatelskich",
    "Wsparcia Rodziny",
    "Inicjatyw Sąsiedzkich",
    "Pamięć i Tradycja",
    "Otwarte Drzwi",
    "Młodzi dla Miasta",
    "Ład Przestrzenny",
    "Równe Szanse",
    "Bezpieczny Dom",
    "Kultury Fizycznej",
    "Miłośników Historii",
    "Wolontariatu",
    "Zdrowie na Co Dzień",
    "Ekonomii Społecznej",
    "Przyjaciół Ziemi",
    "Dobry Start",
    "Lepsze Jutro",
    "Dzieci Ulicy",
    "Pomocy Bezdomnym",
    "Ochrony Przyrody",
    "Rozwoju Wsi",
    "Trzeciego Wieku",
    "Integracji Cudzoziemców",
    "Praw Konsumenta",
    "Amatorów Teatru",
    "Muzyki Dawnej",
    "Seniorzy w Sieci",
    "Czyste Jezioro",
    "Bezpieczna Szkoła",
    "Zdrowa Rodzina",
];

const NICKNAMES: &[&str] = &[
    "Promyk",
    "Tęcza",
    "Ostoja",
    "Przystań",
    "Żuraw",
    "Łabędź",
    "Horyzont",
    "Kompas",
    "Iskra",
    "Dąb",
    "Źródełko",
    "Ślad",
    "Arka",
    "Bursztyn",
    "Wrzos",
    "Jaskółka",
    "Mozaika",
    "Pomost",
    "Zakątek",
    "Ogniwo",
];
const PATRONS: &[&str] = &[
    "Marii Konopnickiej",
    "Janusza Korczaka",
    "Ireny Sendlerowej",
    "Jana Pawła II",
    "Stefana Żeromskiego",
    "Marii Skłodowskiej-Curie",
    "Ludwika Zamenhofa",
    "Elizy Orzeszkowej",
    "Władysława Stanisława Reymonta",
];

const TAGS: &[&str] = &[
    "seniorzy",
    "młodzież",
    "kultura",
    "sport",
    "ekologia",
    "niepełnosprawność",
    "edukacja",
    "wolontariat",
    "porady prawne",
    "integracja",
];

const FIRST_F: &[&str] = &[
    "Anna",
    "Maria",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Krystyna",
    "Elżbieta",
    "Zofia",
    "Łucja",
    "Żaneta",
    "Jadwiga",
    "Urszula",
    "Beata",
    "Iwona",
];
const FIRST_M: &[&str] = &[
    "Jan",
    "Andrzej",
    "Piotr",
    "Krzysztof",
    "Stanisław",
    "Tomasz",
    "Paweł",
    "Józef",
    "Marcin",
    "Łukasz",
    "Michał",
    "Grzegorz",
    "Karol",
    "Wojciech",
    "Zbigniew",
    "Ścibor",
];
/// (masculine, feminine) forms of the surname.
const SURNAMES: &[(&str, &str)] = &[
    ("Kowalski", "Kowalska"),
    ("Nowak", "Nowak"),
    ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"),
    ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"),
    ("Kwiatkowski", "Kwiatkowska"),
    ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"),
    ("Grabowski", "Grabowska"),
    ("Pawłowski", "Pawłowska"),
    ("Michalski", "Michalska"),
    ("Łukasik", "Łukasik"),
    ("Żak", "Żak"),
    ("Ślusarczyk", "Ślusarczyk"),
    ("Łęcki", "Łęcka"),
    ("Źrebiec", "Źrebiec"),
    ("Lech", "Lech"),
];
/// Reserved for examples (RFC 2606): no real person's mailbox can be there.
const MAIL_DOMAINS: &[&str] = &[
    "example.org",
    "example.com",
    "poczta.example.org",
    "skrzynka.example.com",
];
const ROLES: &[&str] = &[
    "prezes",
    "członek zarządu",
    "osoba kontaktowa",
    "wolontariusz",
    "skarbnik",
    "członek",
];
const CONSENT_SOURCES: &[&str] = &[
    "formularz papierowy",
    "formularz na szkoleniu",
    "e-mail",
    "deklaracja członkowska",
];

#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub organizations: usize,
    pub people: usize,
    pub consents: usize,
    pub advice: usize,
    pub events: usize,
    pub bookings: usize,
}

fn check_digit(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11
}

fn random_nip(rng: &mut ChaCha8Rng) -> String {
    loop {
        let mut d: Vec<u32> = (0..9).map(|_| rng.gen_range(0..10)).collect();
        d[0] = rng.gen_range(1..10);
        let c = check_digit(&d, &[6, 5, 7, 2, 3, 4, 5, 6, 7]);
        if c < 10 {
            d.push(c);
            return d
                .iter()
                .map(|x| char::from_digit(*x, 10).unwrap())
                .collect();
        }
    }
}

fn random_regon(rng: &mut ChaCha8Rng) -> String {
    let mut d: Vec<u32> = (0..8).map(|_| rng.gen_range(0..10)).collect();
    d.push(check_digit(&d, &[8, 9, 2, 3, 4, 5, 6, 7]) % 10);
    d.iter()
        .map(|x| char::from_digit(*x, 10).unwrap())
        .collect()
}

fn slug(s: &str) -> String {
    fold(s)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(14)
        .collect()
}

fn organization(rng: &mut ChaCha8Rng, n: usize, areas: &[String]) -> OrganizationInput {
    let (city, gmina, powiat, voiv, zip) = *PLACES.choose(rng).unwrap();
    let form = *[
        "stowarzyszenie",
        "stowarzyszenie",
        "stowarzyszenie",
        "fundacja",
        "fundacja",
        "stowarzyszenie_zwykle",
        "klub_sportowy",
        "ochotnicza_straz_pozarna",
        "kolo_gospodyn_wiejskich",
        "spoldzielnia_socjalna",
        "grupa_nieformalna",
    ]
    .choose(rng)
    .unwrap();
    let core = *CORES.choose(rng).unwrap();
    let name = match form {
        "fundacja" if rng.gen_bool(0.5) => {
            format!("Fundacja {core} „{}”", NICKNAMES.choose(rng).unwrap())
        }
        "fundacja" => format!("Fundacja {core} im. {}", PATRONS.choose(rng).unwrap()),
        "klub_sportowy" => format!("Klub Sportowy „{}” {city}", NICKNAMES.choose(rng).unwrap()),
        "ochotnicza_straz_pozarna" => {
            format!("Ochotnicza Straż Pożarna {city} {}", rng.gen_range(1..40))
        }
        "kolo_gospodyn_wiejskich" => format!(
            "Koło Gospodyń Wiejskich „{}”",
            NICKNAMES.choose(rng).unwrap()
        ),
        "spoldzielnia_socjalna" => {
            format!("Spółdzielnia Socjalna „{}”", NICKNAMES.choose(rng).unwrap())
        }
        "grupa_nieformalna" => format!("Grupa {core}"),
        _ if rng.gen_bool(0.4) => {
            format!("Stowarzyszenie {core} „{}”", NICKNAMES.choose(rng).unwrap())
        }
        _ => format!("Stowarzyszenie {core} {city}"),
    };
    let registered = !matches!(form, "grupa_nieformalna" | "stowarzyszenie_zwykle");
    let domain = format!("{}{}.example.org", slug(core), n);
    let area_count = rng.gen_range(1..4);
    let chosen_areas: Vec<String> = areas.choose_multiple(rng, area_count).cloned().collect();
    let tag_count = rng.gen_range(0..3);
    let tags: Vec<&str> = TAGS.choose_multiple(rng, tag_count).copied().collect();
    let member = rng.gen_bool(0.15);
    OrganizationInput {
        name,
        short_name: String::new(),
        legal_form: form.to_string(),
        krs: if registered { format!("{}", rng.gen_range(1..999_999)) } else { String::new() },
        nip: if registered && rng.gen_bool(0.8) { random_nip(rng) } else { String::new() },
        regon: if registered && rng.gen_bool(0.7) { random_regon(rng) } else { String::new() },
        public_benefit: registered && rng.gen_bool(0.2),
        street: STREETS.choose(rng).unwrap().to_string(),
        building: format!("{}{}", rng.gen_range(1..120), if rng.gen_bool(0.2) { " lok. 1" } else { "" }),
        postal_code: format!("{zip}-{:03}", rng.gen_range(0..1000)),
        city: city.into(),
        gmina: gmina.into(),
        powiat: powiat.into(),
        voivodeship: voiv.into(),
        phones: format!("{} {:03} {:02} {:02}", rng.gen_range(12..99), rng.gen_range(100..1000), rng.gen_range(0..100), rng.gen_range(0..100)),
        emails: format!("biuro@{domain}"),
        website: if rng.gen_bool(0.6) { format!("https://{domain}") } else { String::new() },
        areas: chosen_areas,
        description: "Organizacja działa na rzecz mieszkańców, prowadzi zajęcia, spotkania i akcje społeczne.".into(),
        tags: tags.join(", "),
        notes: String::new(),
        member_since: if member { format!("{:02}.{:02}.{}", rng.gen_range(1..29), rng.gen_range(1..13), rng.gen_range(2005..2026)) } else { String::new() },
        member_until: String::new(),
        directory_consent: rng.gen_bool(0.7),
        revision: None,
    }
}

fn person(rng: &mut ChaCha8Rng, n: usize, org_ids: &[i64]) -> PersonInput {
    let female = rng.gen_bool(0.55);
    let first = if female {
        FIRST_F.choose(rng)
    } else {
        FIRST_M.choose(rng)
    }
    .unwrap();
    let (m, f) = *SURNAMES.choose(rng).unwrap();
    let last = if female { f } else { m };
    let roles = if org_ids.is_empty() {
        Vec::new()
    } else {
        let count = rng.gen_range(0..3);
        (0..count)
            .map(|_| RoleInput {
                organization_id: *org_ids.choose(rng).unwrap(),
                role: ROLES.choose(rng).unwrap().to_string(),
            })
            .collect()
    };
    PersonInput {
        first_name: first.to_string(),
        last_name: last.to_string(),
        emails: format!(
            "{}.{}{}@{}",
            slug(first),
            slug(last),
            n,
            MAIL_DOMAINS.choose(rng).unwrap()
        ),
        phones: if rng.gen_bool(0.7) {
            format!(
                "{} {:03} {:03}",
                rng.gen_range(500..900),
                rng.gen_range(0..1000),
                rng.gen_range(0..1000)
            )
        } else {
            String::new()
        },
        roles,
        notes: String::new(),
        revision: None,
    }
}

/// How much activity to make beside the register; None picks a size that fits the register.
#[derive(Debug, Clone, Copy, Default)]
pub struct Activity {
    pub advice: Option<usize>,
    pub events: Option<usize>,
    /// Add to a register that already holds records (`demo-data --force`); otherwise refused,
    /// so made-up people never mix with an office's real ones by a slip.
    pub force: bool,
}

/// Refused unless `force`: the register holds organisations, people, advice or events.
pub const NOT_EMPTY: &str = "Rejestr nie jest pusty: dane demonstracyjne wczytuje się tylko do pustej bazy, żeby nie pomieszały się z prawdziwymi. \
     Jeśli naprawdę chcesz je dodać, użyj --force (najlepiej na osobnym pliku: --db demo.db).";

/// Loads people who all agreed to the e-mail bulletin on `date`, in bulk and without history:
/// the mail benchmark's register (it measures sending, not saving).
pub async fn insert_consenting_people(
    k: &Kartoteka,
    drafts: &[crate::register::PersonDraft],
    date: chrono::NaiveDate,
) -> Result<Vec<i64>> {
    let ids = k.store().insert_people(drafts).await?;
    let consents: Vec<_> = ids
        .iter()
        .map(|id| {
            (
                *id,
                crate::register::ConsentChannel::EmailBulletin,
                date,
                "formularz".to_string(),
                None,
            )
        })
        .collect();
    k.store().insert_consents(&consents).await?;
    Ok(ids)
}

/// Adds `organizations` organisations and `people` people to an empty register.
pub async fn generate(
    k: &Kartoteka,
    organizations: usize,
    people: usize,
    seed: u64,
) -> Result<DemoSummary> {
    generate_with(k, organizations, people, seed, Activity::default()).await
}

pub async fn generate_with(
    k: &Kartoteka,
    organizations: usize,
    people: usize,
    seed: u64,
    activity: Activity,
) -> Result<DemoSummary> {
    if !activity.force && !k.store().register_is_empty().await? {
        return Err(Error::BadArgument(NOT_EMPTY.into()));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let areas = k.store().area_codes().await?;
    let start = k.store().counts().await?;
    let base = (start.organizations + start.archived_organizations) as usize;
    let mut org_ids = Vec::with_capacity(organizations);
    const CHUNK: usize = 5_000;
    let mut made = 0;
    while made < organizations {
        let n = CHUNK.min(organizations - made);
        let drafts = (0..n)
            .map(|i| organization(&mut rng, base + made + i, &areas).parse(&areas))
            .collect::<Result<Vec<_>>>()?;
        org_ids.extend(k.store().insert_organizations(&drafts).await?);
        made += n;
    }
    let mut role_targets = org_ids.clone();
    if role_targets.is_empty() {
        let page = k
            .organizations(&crate::register::OrganizationQuery {
                limit: 200,
                ..Default::default()
            })
            .await?;
        role_targets = page.items.iter().map(|o| o.id).collect();
    }
    let person_base = start.people as usize;
    let mut consents = Vec::new();
    let today = chrono::Local::now().date_naive();
    let mut made = 0;
    let mut person_ids = Vec::new();
    while made < people {
        let n = CHUNK.min(people - made);
        let drafts = (0..n)
            .map(|i| person(&mut rng, person_base + made + i, &role_targets).parse())
            .collect::<Result<Vec<_>>>()?;
        let ids = k.store().insert_people(&drafts).await?;
        for id in ids {
            person_ids.push(id);
            for (channel, p) in [
                (ConsentChannel::EmailBulletin, 0.7),
                (ConsentChannel::Publication, 0.3),
                (ConsentChannel::Phone, 0.4),
            ] {
                if rng.gen_bool(p) {
                    let granted = today - Duration::days(rng.gen_range(30..2000));
                    let withdrawn: Option<NaiveDate> = rng
                        .gen_bool(0.1)
                        .then(|| granted + Duration::days(rng.gen_range(1..29)));
                    consents.push((
                        id,
                        channel,
                        granted,
                        CONSENT_SOURCES.choose(&mut rng).unwrap().to_string(),
                        withdrawn,
                    ));
                }
            }
        }
        made += n;
    }
    k.store().insert_consents(&consents).await?;
    let advice = advice(
        k,
        &mut rng,
        activity
            .advice
            .unwrap_or(people.saturating_mul(2).min(20_000)),
        today,
    )
    .await?;
    let events = events(
        k,
        &mut rng,
        activity.events.unwrap_or((12 + organizations / 10).min(48)),
        today,
    )
    .await?;
    consultations(k, &mut rng, (organizations / 2).clamp(10, 2_000), today).await?;
    survey(k, &mut rng, today).await?;
    mail(k, &mut rng, &org_ids, today).await?;
    let bookings = crate::rooms::demo::generate(k, &mut rng, &role_targets, today).await?;
    crate::letters::demo::generate(k, &mut rng, &role_targets, today).await?;
    crate::library::demo::generate(k, &mut rng, &person_ids, today).await?;
    crate::legal_aid::demo::generate(k, &mut rng, today).await?;
    crate::cooperation::demo::generate(k, &mut rng, &org_ids, today).await?;
    k.store().analyze().await?;
    Ok(DemoSummary {
        organizations,
        people,
        consents: consents.len(),
        advice,
        events,
        bookings,
    })
}

/// Organisations' own e-mail consents (some withdrawn), three lists and segments, a bulletin
/// template, a grant call and the office's mail settings, so the mail view can be tried at once.
async fn mail(
    k: &Kartoteka,
    rng: &mut ChaCha8Rng,
    org_ids: &[i64],
    today: NaiveDate,
) -> Result<()> {
    use crate::mail::*;
    let mut consents: Vec<(i64, NaiveDate, Option<NaiveDate>)> = Vec::new();
    for id in org_ids {
        if rng.gen_bool(0.6) {
            let granted = today - Duration::days(rng.gen_range(30..1500));
            consents.push((
                *id,
                granted,
                rng.gen_bool(0.1)
                    .then(|| granted + Duration::days(rng.gen_range(1..29))),
            ));
        }
    }
    k.store().insert_organization_consents(&consents).await?;
    if k.mail_settings().await?.from_address.is_empty() {
        // No server on purpose (host empty): sending asks the office to set its own first, so
        // nothing made up here is ever handed to a real mail server.
        let settings = MailSettings {
            from_address: "biuro@centrum-ngo.example.org".into(),
            from_name: "Centrum Organizacji Pozarządowych".into(),
            office_name: "Centrum Organizacji Pozarządowych".into(),
            rate_per_minute: 30,
            ..Default::default()
        };
        k.save_mail_settings(&settings).await?;
    }
    let lists = [
        ("Biuletyn — wszystkie organizacje", Some(Segment::default())),
        (
            "Osoby kontaktowe",
            Some(Segment {
                audience: Audience::People,
                role: "osoba kontaktowa".into(),
                ..Default::default()
            }),
        ),
        (
            "Organizacje pożytku publicznego",
            Some(Segment {
                public_benefit_only: true,
                ..Default::default()
            }),
        ),
        (
            "Członkowie związku",
            Some(Segment {
                members_only: true,
                ..Default::default()
            }),
        ),
        ("Rada działalności pożytku publicznego", None),
    ];
    for (name, segment) in lists {
        if k.store().mailing_list_id(name).await?.is_some() {
            continue;
        }
        let id = k
            .store()
            .save_mailing_list(None, name, segment.as_ref())
            .await?;
        if segment.is_none() {
            let chosen: Vec<i64> = org_ids
                .choose_multiple(rng, 8.min(org_ids.len()))
                .copied()
                .collect();
            k.store().add_list_members(id, &chosen, &[]).await?;
        }
    }
    let bulletin = MessageInput {
        kind: MessageKind::Bulletin,
        is_template: true,
        subject: "Co słychać w trzecim sektorze — {miasto}".into(),
        body: "## Co słychać w trzecim sektorze\n\nSzanowni Państwo,\n\nOrganizacja: {nazwa}\n\n### Konkursy\n\n- \n\n### Szkolenia i spotkania\n\n- \n\n### Z życia organizacji\n\n\n\nZapraszamy do biura: pon.–pt. 9:00–17:00.\n".into(),
        list_id: k.store().mailing_list_id("Biuletyn — wszystkie organizacje").await?,
    };
    k.store().insert_message(&bulletin, None).await?;
    let areas = k.store().area_codes().await?;
    let call = GrantCallInput {
        funder: "Urząd Miasta".into(),
        title: format!("Otwarty konkurs ofert na {} rok", today.format("%Y")),
        deadline: (today + Duration::days(30)).format("%d.%m.%Y").to_string(),
        amount: "do 30 000 zł na projekt".into(),
        link: "https://bip.example.org/konkursy".into(),
        notes: String::new(),
        areas: areas.iter().take(3).cloned().collect(),
    };
    k.save_grant_call(None, &call).await?;
    Ok(())
}

const ADVISORS: &[&str] = &[
    "Anna Kowalska",
    "Piotr Wiśniewski",
    "Małgorzata Dąbrowska",
    "Tomasz Łukasik",
];

/// Two years of advice: a third of clients registered people, the rest anonymous codes.
async fn advice(
    k: &Kartoteka,
    rng: &mut ChaCha8Rng,
    count: usize,
    today: NaiveDate,
) -> Result<usize> {
    use crate::advice::AdviceInput;
    let categories: Vec<String> = k
        .advice_categories()
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let people: Vec<i64> = k
        .people(&crate::register::PersonQuery {
            limit: 500,
            ..Default::default()
        })
        .await?
        .items
        .iter()
        .map(|p| p.id)
        .collect();
    let mut codes: std::collections::HashMap<i32, u32> = std::collections::HashMap::new();
    let mut drafts = Vec::with_capacity(count);
    for _ in 0..count {
        let given = today - Duration::days(rng.gen_range(0..730));
        let registered = !people.is_empty() && rng.gen_bool(0.33);
        let year = chrono::Datelike::year(&given);
        let client_code = if registered {
            String::new()
        } else {
            let n = codes.entry(year).or_insert(0);
            *n += 1;
            format!("K-{year}-{:04}", *n + 5000)
        };
        let follow_up = rng
            .gen_bool(0.2)
            .then(|| given + Duration::days(rng.gen_range(7..30)));
        let mut chosen: Vec<String> = vec![categories.choose(rng).expect("categories").clone()];
        if rng.gen_bool(0.3) {
            chosen.push(categories.choose(rng).expect("categories").clone());
        }
        let input = AdviceInput {
            given_on: given.format("%Y-%m-%d").to_string(),
            advisor: ADVISORS.choose(rng).expect("advisors").to_string(),
            person_id: registered.then(|| *people.choose(rng).expect("people")),
            client_code,
            age_band: crate::advice::AGE_BANDS
                .choose(rng)
                .expect("bands")
                .to_string(),
            sex: ["k", "m", "k", ""].choose(rng).expect("sex").to_string(),
            residence: PLACES.choose(rng).expect("places").1.to_string(),
            returning: rng.gen_bool(0.35),
            channel: [
                "in_person",
                "in_person",
                "in_person",
                "phone",
                "phone",
                "email",
                "online",
            ]
            .choose(rng)
            .expect("channels")
            .to_string(),
            minutes: rng.gen_range(15..=90).to_string(),
            categories: chosen,
            description: String::new(),
            outcome: ["advice", "advice", "advice", "referred", "letter", "other"]
                .choose(rng)
                .expect("outcomes")
                .to_string(),
            follow_up_on: follow_up
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            // Most past follow-ups were made, and none left open for over a month: an office's
            // Dziś screen shows the last weeks' loose ends, not two-year-old ones.
            follow_up_done: follow_up.is_some_and(|d| {
                d < today && (rng.gen_bool(0.8) || d < today - Duration::days(30))
            }),
            revision: None,
        };
        drafts.push(input.parse(&categories, today)?);
    }
    for chunk in drafts.chunks(5_000) {
        k.store().insert_advice_many(chunk).await?;
    }
    Ok(drafts.len())
}

/// Consultations for organisations over two years, by the office's advisors.
async fn consultations(
    k: &Kartoteka,
    rng: &mut ChaCha8Rng,
    count: usize,
    today: NaiveDate,
) -> Result<()> {
    use crate::consultations::ConsultationInput;
    let topics: Vec<String> = k
        .consultation_topics()
        .await?
        .into_iter()
        .map(|t| t.code)
        .collect();
    let orgs: Vec<i64> = k
        .organizations(&crate::register::OrganizationQuery {
            limit: 500,
            ..Default::default()
        })
        .await?
        .items
        .iter()
        .map(|o| o.id)
        .collect();
    if orgs.is_empty() {
        return Ok(());
    }
    for _ in 0..count {
        let input = ConsultationInput {
            given_on: (today - Duration::days(rng.gen_range(0..730)))
                .format("%Y-%m-%d")
                .to_string(),
            advisor: ADVISORS.choose(rng).expect("advisors").to_string(),
            organization_id: Some(*orgs.choose(rng).expect("organisations")),
            person_id: None,
            topic: topics.choose(rng).expect("topics").clone(),
            minutes: rng.gen_range(30..=120).to_string(),
            notes: String::new(),
        };
        k.save_consultation(None, &input).await?;
    }
    Ok(())
}

/// The needs survey for the coming year (from October on) or this year, with answers.
async fn survey(k: &Kartoteka, rng: &mut ChaCha8Rng, today: NaiveDate) -> Result<()> {
    use chrono::Datelike;
    let year = if today.month() >= 10 {
        today.year() + 1
    } else {
        today.year()
    };
    if !k.survey(year).await?.topics.is_empty() {
        return Ok(());
    }
    let orgs: Vec<i64> = k
        .organizations(&crate::register::OrganizationQuery {
            limit: 60,
            ..Default::default()
        })
        .await?
        .items
        .iter()
        .map(|o| o.id)
        .collect();
    for (i, topic) in [
        "Rozliczanie dotacji z budżetu miasta",
        "Pisanie wniosków do programów UE",
        "RODO w organizacji",
        "Księgowość małej organizacji",
        "Pozyskiwanie wolontariuszy",
        "Komunikacja w mediach społecznościowych",
        "Zmiany w ustawie o działalności pożytku publicznego",
        "Ekonomia społeczna i odpłatna działalność",
    ]
    .iter()
    .enumerate()
    {
        let id = k.add_survey_topic(year, topic).await?;
        let share = 0.45 - i as f64 * 0.05;
        for org in &orgs {
            if rng.gen_bool(share.max(0.05)) {
                k.set_survey_choice(id, *org, true).await?;
            }
        }
    }
    Ok(())
}

const EVENT_TITLES: &[(&str, &str)] = &[
    ("training", "Szkolenie: rozliczanie dotacji"),
    ("training", "Szkolenie: RODO w organizacji pozarządowej"),
    ("workshop", "Warsztaty: pisanie wniosków grantowych"),
    ("training", "Szkolenie: księgowość stowarzyszeń"),
    ("meeting", "Spotkanie sieciujące organizacji"),
    (
        "workshop",
        "Warsztaty: promocja w mediach społecznościowych",
    ),
    ("conference", "Konferencja: wolontariat w mieście"),
    ("forum", "Forum Organizacji Pozarządowych"),
];

/// Monthly events over two years, half past (with attendance) and some ahead.
async fn events(
    k: &Kartoteka,
    rng: &mut ChaCha8Rng,
    count: usize,
    today: NaiveDate,
) -> Result<usize> {
    use crate::events::EventInput;
    let people: Vec<i64> = k
        .people(&crate::register::PersonQuery {
            limit: 300,
            ..Default::default()
        })
        .await?
        .items
        .iter()
        .map(|p| p.id)
        .collect();
    for n in 0..count {
        let (kind, title) = EVENT_TITLES[n % EVENT_TITLES.len()];
        let date =
            today - Duration::days(700) + Duration::days((n as i64) * 800 / count.max(1) as i64);
        let (city, ..) = PLACES.choose(rng).expect("places");
        let input = EventInput {
            title: title.to_string(),
            kind: kind.to_string(),
            date: date.format("%Y-%m-%d").to_string(),
            starts: "10:00".into(),
            ends: if kind == "meeting" {
                "12:00".into()
            } else {
                "15:00".into()
            },
            place: format!("sala konferencyjna, {city}"),
            trainer: ADVISORS.choose(rng).expect("advisors").to_string(),
            capacity: if kind == "forum" {
                "120".into()
            } else {
                "20".into()
            },
            // Open events go to the published calendar; the network's meetings stay internal.
            public: kind != "meeting",
            ..Default::default()
        };
        let id = k.save_event(None, &input).await?;
        let wanted = rng.gen_range(5..=22).min(people.len());
        for person in people.choose_multiple(rng, wanted) {
            k.register_for_event(id, *person, None).await?;
        }
        if date < today {
            for r in k
                .event(id)
                .await?
                .registrations
                .iter()
                .filter(|r| r.status == "registered")
            {
                if rng.gen_bool(0.85) {
                    k.set_attended(r.id, true).await?;
                }
            }
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{Nip, Regon};

    #[test]
    fn generated_identifiers_are_valid() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..500 {
            assert!(Nip::parse(&random_nip(&mut rng)).is_ok());
            assert!(Regon::parse(&random_regon(&mut rng)).is_ok());
        }
    }

    #[test]
    fn generated_forms_parse() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let areas: Vec<String> = vec!["1".into(), "2".into(), "3".into()];
        for n in 0..300 {
            organization(&mut rng, n, &areas).parse(&areas).unwrap();
            person(&mut rng, n, &[1, 2]).parse().unwrap();
        }
    }
}
