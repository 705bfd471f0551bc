-- Consultations of draft local acts with organisations (art. 5 ust. 5 of the public benefit
-- act): the draft, its period and forms, where it was announced, the opinions received with how
-- each was handled and why, and the outcome; the consultation report lists every opinion.

CREATE TABLE coop_act_consultations (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    act_kind        TEXT NOT NULL,
    ordinance       TEXT,
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    forms           TEXT NOT NULL DEFAULT '',
    announced_where TEXT,
    outcome         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX coop_act_consultations_starts ON coop_act_consultations (starts_on);

-- The author's name is kept as it was sent: the opinion stays in the report when the
-- organisation later leaves the register.
CREATE TABLE coop_opinions (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES coop_act_consultations (id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    author          TEXT NOT NULL,
    received_on     TEXT NOT NULL,
    section         TEXT,
    comment         TEXT NOT NULL,
    handling        TEXT NOT NULL CHECK (handling IN ('pending', 'accepted', 'partly', 'rejected')),
    reason          TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX coop_opinions_consultation ON coop_opinions (consultation_id, received_on);
CREATE INDEX coop_opinions_organization ON coop_opinions (organization_id);
