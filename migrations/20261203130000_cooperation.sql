-- The city's cooperation programme with NGOs (art. 5a of the public benefit act): the year's
-- programme with its priority tasks and planned funds, open competitions, the organisations'
-- offers with their contracts and settlement, and small grants outside competitions (art. 19a).
-- Money is kept in grosze (INTEGER), never as a float.

CREATE TABLE coop_programmes (
    id                 INTEGER PRIMARY KEY,
    year               INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 2000 AND 2100),
    resolution_number  TEXT NOT NULL,
    resolution_date    TEXT NOT NULL,
    period_from        TEXT NOT NULL,
    period_until       TEXT NOT NULL,
    forms              TEXT,
    consultation_note  TEXT,
    council_opinion    TEXT,
    conclusions        TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK (period_from <= period_until)
);

CREATE TABLE coop_priority_tasks (
    id             INTEGER PRIMARY KEY,
    programme_id   INTEGER NOT NULL REFERENCES coop_programmes (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    area_code      TEXT NOT NULL REFERENCES activity_areas (code) ON UPDATE CASCADE,
    planned_grosze INTEGER NOT NULL CHECK (planned_grosze >= 0)
);
CREATE INDEX coop_priority_tasks_programme ON coop_priority_tasks (programme_id, position);

CREATE TABLE coop_competitions (
    id               INTEGER PRIMARY KEY,
    title            TEXT NOT NULL,
    area_code        TEXT NOT NULL REFERENCES activity_areas (code) ON UPDATE CASCADE,
    priority_task_id INTEGER REFERENCES coop_priority_tasks (id) ON DELETE SET NULL,
    grant_call_id    INTEGER REFERENCES grant_calls (id) ON DELETE SET NULL,
    funds_grosze     INTEGER NOT NULL CHECK (funds_grosze >= 0),
    announced_on     TEXT NOT NULL,
    deadline_on      TEXT NOT NULL,
    result_on        TEXT,
    committee        TEXT,
    notes            TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (deadline_on >= announced_on)
);
CREATE INDEX coop_competitions_announced ON coop_competitions (announced_on);

-- An offer in a competition (competition_id set) or outside one under art. 19a (NULL); its
-- contract and settlement are on the same row, as an offer gets at most one contract.
CREATE TABLE coop_offers (
    id                INTEGER PRIMARY KEY,
    competition_id    INTEGER REFERENCES coop_competitions (id) ON DELETE CASCADE,
    organization_id   INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    area_code         TEXT REFERENCES activity_areas (code) ON UPDATE CASCADE,
    submitted_on      TEXT NOT NULL,
    requested_grosze  INTEGER NOT NULL CHECK (requested_grosze >= 0),
    status            TEXT NOT NULL CHECK (status IN ('submitted', 'rejected_formal', 'refused', 'granted')),
    rejection_reason  TEXT,
    score             REAL,
    granted_grosze    INTEGER CHECK (granted_grosze >= 0),
    published_on      TEXT,
    period_from       TEXT,
    period_until      TEXT,
    contract_number   TEXT,
    contract_signed_on TEXT,
    settlement        TEXT NOT NULL DEFAULT 'open' CHECK (settlement IN ('open', 'accepted', 'returned', 'terminated')),
    returned_grosze   INTEGER NOT NULL DEFAULT 0 CHECK (returned_grosze >= 0),
    settled_on        TEXT,
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX coop_offers_competition ON coop_offers (competition_id, id);
CREATE INDEX coop_offers_organization ON coop_offers (organization_id, submitted_on);
CREATE INDEX coop_offers_submitted ON coop_offers (submitted_on);
