-- Consultations given to organisations (NGO support offices): the organisation, the person who
-- came, a topic from an editable list, time and notes.

CREATE TABLE consultation_topics (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1
);

INSERT INTO consultation_topics (code, name, position) VALUES
    ('ZAR', 'zarządzanie organizacją', 10),
    ('REJ', 'zakładanie organizacji i rejestracja w KRS', 20),
    ('PRA', 'procedury prawne i statut', 30),
    ('WOL', 'wolontariat', 40),
    ('FUN', 'pozyskiwanie funduszy', 50),
    ('WNI', 'pisanie wniosków grantowych', 60),
    ('ROZ', 'rozliczanie projektów', 70),
    ('KSI', 'księgowość i sprawozdawczość', 80),
    ('OPP', 'status OPP i 1,5% podatku', 90),
    ('PRO', 'promocja i komunikacja', 100),
    ('INN', 'inne', 110);

CREATE TABLE consultations (
    id              INTEGER PRIMARY KEY,
    given_on        TEXT NOT NULL,
    advisor         TEXT NOT NULL,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    person_id       INTEGER REFERENCES people (id) ON DELETE SET NULL,
    topic           TEXT NOT NULL REFERENCES consultation_topics (code) ON UPDATE CASCADE,
    minutes         INTEGER,
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX consultations_given ON consultations (given_on);
CREATE INDEX consultations_organization ON consultations (organization_id, given_on);
