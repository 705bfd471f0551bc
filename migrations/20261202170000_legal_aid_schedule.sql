-- A free legal aid point's duty hours (weekday, hours, who is on duty) and the appointments
-- clients make within them. An appointment holds a name and a phone: the program removes it
-- 30 days after its day. One appointment per point, day and start; overlaps are refused by the
-- program inside the same write transaction.

CREATE TABLE legal_aid_duty_hours (
    id       INTEGER PRIMARY KEY,
    point_id INTEGER NOT NULL REFERENCES legal_aid_points (id) ON DELETE CASCADE,
    weekday  INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    starts   TEXT NOT NULL,
    ends     TEXT NOT NULL,
    on_duty  TEXT NOT NULL,
    CHECK (starts < ends)
);
CREATE INDEX legal_aid_duty_hours_point ON legal_aid_duty_hours (point_id, weekday);

CREATE TABLE legal_aid_appointments (
    id          INTEGER PRIMARY KEY,
    point_id    INTEGER NOT NULL REFERENCES legal_aid_points (id) ON DELETE CASCADE,
    on_day      TEXT NOT NULL,
    starts      TEXT NOT NULL,
    minutes     INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 240),
    client_name TEXT NOT NULL,
    phone       TEXT,
    out_of_turn INTEGER NOT NULL DEFAULT 0,
    remote      INTEGER NOT NULL DEFAULT 0,
    note        TEXT,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX legal_aid_appointments_slot ON legal_aid_appointments (point_id, on_day, starts);
