-- Free legal aid points (NPP/NPO): the point, the editable lists the card of help follows, the
-- card (Part A) joined one-to-one to an advice record, its kinds of help, and the clients'
-- opinions (Part B). Opinions deliberately have no column linking a client, a card or an advice
-- record: they are typed in from the urn, anonymous.

CREATE TABLE legal_aid_points (
    id      INTEGER PRIMARY KEY,
    number  TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    address TEXT,
    powiat  TEXT,
    active  INTEGER NOT NULL DEFAULT 1
);

-- Seeded by the program the first time the lists are read (one list in the code, not here).
CREATE TABLE legal_aid_list_entries (
    kind     TEXT NOT NULL CHECK (kind IN ('form', 'help', 'area', 'profession')),
    code     TEXT NOT NULL,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1,
    remote   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, code)
);

-- The card follows its advice record: retention strips the record's client and description,
-- erasing the record removes the card; the statement is a yes/no with a date, never a scan.
CREATE TABLE legal_aid_cards (
    advice_id                 INTEGER PRIMARY KEY REFERENCES advice_records (id) ON DELETE CASCADE,
    aid_type                  TEXT NOT NULL CHECK (aid_type IN ('npp', 'npo', 'mediation')),
    point_id                  INTEGER NOT NULL REFERENCES legal_aid_points (id) ON DELETE RESTRICT,
    provider                  TEXT NOT NULL,
    profession                TEXT NOT NULL,
    form                      TEXT NOT NULL,
    remote                    INTEGER NOT NULL DEFAULT 0,
    area                      TEXT NOT NULL,
    visits                    INTEGER NOT NULL DEFAULT 1,
    statement_signed          INTEGER NOT NULL,
    statement_on              TEXT,
    sole_trader               INTEGER NOT NULL DEFAULT 0,
    business_statement_signed INTEGER NOT NULL DEFAULT 0,
    no_statement_reason       TEXT CHECK (no_statement_reason IN ('remote', 'emergency')),
    CHECK (statement_signed = 1 OR no_statement_reason IS NOT NULL)
);
CREATE INDEX legal_aid_cards_point ON legal_aid_cards (point_id);

CREATE TABLE legal_aid_card_help (
    advice_id INTEGER NOT NULL REFERENCES legal_aid_cards (advice_id) ON DELETE CASCADE,
    code      TEXT NOT NULL,
    PRIMARY KEY (advice_id, code)
);

CREATE TABLE legal_aid_opinions (
    id              INTEGER PRIMARY KEY,
    point_id        INTEGER NOT NULL REFERENCES legal_aid_points (id) ON DELETE RESTRICT,
    filled_on       TEXT NOT NULL,
    rating          INTEGER CHECK (rating BETWEEN 1 AND 5),
    understandable  TEXT CHECK (understandable IN ('yes', 'no', 'unsure')),
    helpful         TEXT CHECK (helpful IN ('yes', 'no', 'unsure')),
    would_recommend TEXT CHECK (would_recommend IN ('yes', 'no', 'unsure')),
    remarks         TEXT,
    typed_at        TEXT NOT NULL
);
CREATE INDEX legal_aid_opinions_filled ON legal_aid_opinions (filled_on);
