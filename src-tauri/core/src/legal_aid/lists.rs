//! The lists a card chooses from as Kartoteka ships them. The annex of the regulation (the
//! card's model) could not be read here, so these follow the Act (art. 3, 3a, 4a, 7) and the
//! best-known wording of the card; they are data, seeded once and editable in Ustawienia.

use crate::legal_aid::ListEntry;

/// (kind, code, name, remote)
const SHIPPED: &[(&str, &str, &str, bool)] = &[
    // Forms of help (the 2026 change adds remote help for people who cannot come).
    ("form", "point", "w punkcie", false),
    (
        "form",
        "outside",
        "poza punktem (np. w miejscu zamieszkania osoby z niepełnosprawnością)",
        false,
    ),
    ("form", "phone", "telefonicznie", true),
    ("form", "email", "e-mailem", true),
    ("form", "video", "wideorozmowa", true),
    // Kinds of help given (art. 3 ust. 1, art. 3a, art. 4a of the Act).
    (
        "help",
        "info",
        "poinformowanie o stanie prawnym, uprawnieniach lub obowiązkach",
        false,
    ),
    (
        "help",
        "solution",
        "wskazanie sposobu rozwiązania problemu prawnego",
        false,
    ),
    ("help", "letter", "sporządzenie projektu pisma", false),
    (
        "help",
        "court_costs",
        "projekt pisma o zwolnienie od kosztów sądowych lub ustanowienie pełnomocnika z urzędu",
        false,
    ),
    (
        "help",
        "costs_info",
        "poinformowanie o kosztach postępowania i ryzyku finansowym",
        false,
    ),
    (
        "help",
        "action_plan",
        "plan działania sporządzony wspólnie z osobą uprawnioną i pomoc w jego realizacji",
        false,
    ),
    (
        "help",
        "amicable",
        "poinformowanie o polubownych metodach rozwiązywania sporów",
        false,
    ),
    (
        "help",
        "mediation_request",
        "projekt umowy o mediację lub wniosku o przeprowadzenie mediacji",
        false,
    ),
    ("help", "mediation", "przeprowadzenie mediacji", false),
    // Areas of law.
    ("area", "family", "prawo rodzinne", false),
    ("area", "labour", "prawo pracy", false),
    (
        "area",
        "business_start",
        "przygotowanie do rozpoczęcia działalności gospodarczej",
        false,
    ),
    ("area", "civil", "prawo cywilne", false),
    (
        "area",
        "insurance",
        "ubezpieczenia społeczne i zdrowotne",
        false,
    ),
    ("area", "administrative", "prawo administracyjne", false),
    (
        "area",
        "tax",
        "prawo podatkowe (poza działalnością gospodarczą)",
        false,
    ),
    ("area", "criminal", "prawo karne", false),
    ("area", "debt", "sprawy zadłużeniowe", false),
    ("area", "housing", "sprawy mieszkaniowe", false),
    ("area", "other", "inne", false),
    // Who gives the help.
    ("profession", "adwokat", "adwokat", false),
    ("profession", "radca", "radca prawny", false),
    (
        "profession",
        "doradca_podatkowy",
        "doradca podatkowy",
        false,
    ),
    (
        "profession",
        "prawnik",
        "osoba z wyższym wykształceniem prawniczym",
        false,
    ),
    (
        "profession",
        "doradca_obywatelski",
        "doradca obywatelski",
        false,
    ),
    ("profession", "mediator", "mediator", false),
];

/// The shipped lists, in their printed order.
pub fn shipped_lists() -> Vec<ListEntry> {
    SHIPPED
        .iter()
        .enumerate()
        .map(|(i, (kind, code, name, remote))| ListEntry {
            kind: kind.to_string(),
            code: code.to_string(),
            name: name.to_string(),
            position: (i as i64 + 1) * 10,
            active: true,
            remote: *remote,
        })
        .collect()
}
