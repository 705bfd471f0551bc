-- Non-financial cooperation (art. 5 ust. 2 of the public benefit act): joint teams and working
-- groups with their members from the register and their meetings with minutes, and the log of
-- patronages, information published and premises lent; and the notice of a consultation of a
-- draft act sent through the mail queue.

CREATE TABLE coop_teams (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('joint_team', 'working_group')),
    appointed_by TEXT,
    purpose      TEXT,
    starts_on    TEXT NOT NULL,
    ends_on      TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX coop_teams_starts ON coop_teams (starts_on);

-- A member is an organisation of the register or another party (an office's department);
-- the name is kept as it was when saved, like an opinion's author.
CREATE TABLE coop_team_members (
    id              INTEGER PRIMARY KEY,
    team_id         INTEGER NOT NULL REFERENCES coop_teams (id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    name            TEXT NOT NULL,
    representative  TEXT,
    role            TEXT NOT NULL CHECK (role IN ('chair', 'secretary', 'member')),
    position        INTEGER NOT NULL
);
CREATE INDEX coop_team_members_team ON coop_team_members (team_id, position);
CREATE INDEX coop_team_members_organization ON coop_team_members (organization_id);

CREATE TABLE coop_team_meetings (
    id         INTEGER PRIMARY KEY,
    team_id    INTEGER NOT NULL REFERENCES coop_teams (id) ON DELETE CASCADE,
    held_on    TEXT NOT NULL,
    place      TEXT,
    attendance INTEGER CHECK (attendance IS NULL OR attendance >= 0),
    minutes    TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX coop_team_meetings_team ON coop_team_meetings (team_id, held_on);

CREATE TABLE coop_activities (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('patronage', 'information', 'premises', 'other')),
    held_on         TEXT NOT NULL,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    title           TEXT NOT NULL,
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX coop_activities_held ON coop_activities (held_on);
CREATE INDEX coop_activities_organization ON coop_activities (organization_id);

ALTER TABLE coop_act_consultations ADD COLUMN notice_message_id INTEGER REFERENCES mail_messages (id) ON DELETE SET NULL;
