-- Rooms and workstations the centre lends to organisations, and their bookings. No two
-- bookings of one resource overlap: the triggers below refuse it inside the database, so two
-- programs writing the same file at once (BEGIN IMMEDIATE queues them) cannot both book a slot.
-- Times are local (Europe/Warsaw) wall-clock 'HH:MM' on one day; a booking never crosses midnight.

CREATE TABLE resources (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('room', 'workstation')),
    name          TEXT NOT NULL,
    capacity      INTEGER,
    equipment     TEXT,
    notes         TEXT,
    -- Monday..Sunday separated by ';', each 'HH:MM-HH:MM' or empty when closed.
    opening_hours TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX resources_name ON resources (lower(name));

CREATE TABLE booking_series (
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL REFERENCES resources (id),
    -- ISO weekdays (1 = Monday) joined by ','.
    weekdays    TEXT NOT NULL,
    every_weeks INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 52),
    first_day   TEXT NOT NULL,
    last_day    TEXT NOT NULL,
    starts      TEXT NOT NULL,
    ends        TEXT NOT NULL,
    -- Dates left out because the slot was taken, ISO dates joined by ','.
    skipped     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);

CREATE TABLE bookings (
    id              INTEGER PRIMARY KEY,
    resource_id     INTEGER NOT NULL REFERENCES resources (id),
    day             TEXT NOT NULL,
    starts          TEXT NOT NULL,
    ends            TEXT NOT NULL,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    person_id       INTEGER REFERENCES people (id) ON DELETE SET NULL,
    purpose         TEXT NOT NULL,
    people_count    INTEGER,
    notes           TEXT,
    status          TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('tentative', 'confirmed', 'cancelled')),
    cancel_reason   TEXT,
    series_id       INTEGER REFERENCES booking_series (id) ON DELETE SET NULL,
    entered_by      TEXT NOT NULL,
    revision        INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT,
    CHECK (starts < ends)
);
CREATE INDEX bookings_resource_day ON bookings (resource_id, day, starts);
CREATE INDEX bookings_day ON bookings (day, starts);
CREATE INDEX bookings_organization ON bookings (organization_id, day);
CREATE INDEX bookings_series ON bookings (series_id, day);

CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
WHEN NEW.status <> 'cancelled'
BEGIN
    SELECT RAISE(ABORT, 'booking_overlap') WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.resource_id = NEW.resource_id AND b.day = NEW.day AND b.status <> 'cancelled'
          AND b.starts < NEW.ends AND NEW.starts < b.ends);
END;

CREATE TRIGGER bookings_no_overlap_update BEFORE UPDATE OF resource_id, day, starts, ends, status ON bookings
WHEN NEW.status <> 'cancelled'
BEGIN
    SELECT RAISE(ABORT, 'booking_overlap') WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.id <> NEW.id AND b.resource_id = NEW.resource_id AND b.day = NEW.day
          AND b.status <> 'cancelled' AND b.starts < NEW.ends AND NEW.starts < b.ends);
END;
