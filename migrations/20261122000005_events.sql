-- Events and trainings with registrations, a waiting list and attendance marked on the day
-- (the attendance sheet, lista obecności, is what grant accounting asks for).

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('training', 'meeting', 'conference', 'forum', 'workshop', 'other')),
    starts_at   TEXT NOT NULL,
    ends_at     TEXT,
    place       TEXT,
    trainer     TEXT,
    topic       TEXT,
    description TEXT,
    capacity    INTEGER,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX events_starts ON events (starts_at);

CREATE TABLE event_registrations (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    status          TEXT NOT NULL CHECK (status IN ('registered', 'waiting')),
    attended        INTEGER NOT NULL DEFAULT 0,
    registered_at   TEXT NOT NULL,
    UNIQUE (event_id, person_id)
);
CREATE INDEX event_registrations_person ON event_registrations (person_id);
