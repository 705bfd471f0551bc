-- The register of organisations and people, with consents and the search index.
-- Portable SQL where it costs nothing: INTEGER PRIMARY KEY ids, TEXT dates in ISO 8601, booleans
-- as 0/1, sort keys as BLOBs compared bytewise (no custom collation in the schema).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Spheres of public benefit, art. 4 ust. 1 of the Act on public benefit activity and
-- volunteering. Editable data: offices may rename, add or retire points as the Act changes.
CREATE TABLE activity_areas (
    code     TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE organizations (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    short_name        TEXT,
    legal_form        TEXT NOT NULL,
    krs               TEXT,
    nip               TEXT,
    regon             TEXT,
    public_benefit    INTEGER NOT NULL DEFAULT 0,
    street            TEXT,
    building          TEXT,
    postal_code       TEXT,
    city              TEXT,
    gmina             TEXT,
    powiat            TEXT,
    voivodeship       TEXT,
    website           TEXT,
    description       TEXT,
    notes             TEXT,
    member_since      TEXT,
    member_until      TEXT,
    directory_consent INTEGER NOT NULL DEFAULT 0,
    archived_at       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    name_key          BLOB NOT NULL,
    city_key          BLOB NOT NULL
);
CREATE INDEX organizations_by_name ON organizations (name_key);
CREATE INDEX organizations_by_city ON organizations (city_key, name_key);
CREATE INDEX organizations_by_form ON organizations (legal_form, name_key);
CREATE INDEX organizations_by_created ON organizations (created_at);
-- Narrow indexes that let the list's total count skip reading whole rows.
CREATE INDEX organizations_archived ON organizations (archived_at);
CREATE INDEX organizations_krs ON organizations (krs);
CREATE INDEX organizations_nip ON organizations (nip);
CREATE INDEX organizations_regon ON organizations (regon);

-- Phones and e-mails, several per organisation, in the order typed.
CREATE TABLE organization_contacts (
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
    position        INTEGER NOT NULL,
    value           TEXT NOT NULL,
    PRIMARY KEY (organization_id, kind, position)
);
CREATE INDEX organization_contacts_value ON organization_contacts (kind, value);

CREATE TABLE organization_areas (
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    area_code       TEXT NOT NULL REFERENCES activity_areas (code) ON UPDATE CASCADE,
    PRIMARY KEY (organization_id, area_code)
);
CREATE INDEX organization_areas_area ON organization_areas (area_code, organization_id);

CREATE TABLE organization_tags (
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    tag             TEXT NOT NULL,
    PRIMARY KEY (organization_id, tag)
);
CREATE INDEX organization_tags_tag ON organization_tags (tag, organization_id);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    notes       TEXT,
    archived_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    name_key    BLOB NOT NULL
);
CREATE INDEX people_by_name ON people (name_key);
CREATE INDEX people_archived ON people (archived_at);

CREATE TABLE person_contacts (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
    position  INTEGER NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (person_id, kind, position)
);
CREATE INDEX person_contacts_value ON person_contacts (kind, value);

-- A person's roles in organisations (prezes, osoba kontaktowa, wolontariusz, ...).
CREATE TABLE person_roles (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL
);
CREATE INDEX person_roles_person ON person_roles (person_id);
CREATE INDEX person_roles_org ON person_roles (organization_id);

-- RODO consents: one row per grant; withdrawal closes the row, a new grant adds a row, so the
-- whole history stays.
CREATE TABLE consents (
    id                INTEGER PRIMARY KEY,
    person_id         INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    channel           TEXT NOT NULL CHECK (channel IN ('email_bulletin', 'publication', 'phone')),
    granted_on        TEXT NOT NULL,
    source            TEXT NOT NULL,
    withdrawn_on      TEXT,
    withdrawal_source TEXT,
    recorded_at       TEXT NOT NULL
);
CREATE INDEX consents_person ON consents (person_id, channel);

-- Search over organisations and people. The body is folded by the application (lower case, no
-- diacritics, ł -> l) because FTS5's remove_diacritics leaves Ł alone. rowid = 2*id for an
-- organisation and 2*id + 1 for a person. Prefix indexes for 1-3 characters keep the first
-- keystrokes of type-ahead fast (a one-letter prefix would otherwise merge huge doclists).
CREATE VIRTUAL TABLE search_index USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
