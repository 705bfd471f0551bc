-- Mailing lists and segments, messages (bulletins, notices, templates), grant calls and the
-- persistent sending queue. A queue row is claimed ('sending') before the SMTP transaction and
-- settled after the server's answer, so a crash in between leaves it visibly uncertain.

-- An organisation's own consent to e-mail (the Electronic Communications Law asks for consent
-- per channel from legal persons too), kept like people's consents: withdrawal closes the row.
CREATE TABLE organization_consents (
    id                INTEGER PRIMARY KEY,
    organization_id   INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    channel           TEXT NOT NULL CHECK (channel IN ('email_bulletin')),
    granted_on        TEXT NOT NULL,
    source            TEXT NOT NULL,
    withdrawn_on      TEXT,
    withdrawal_source TEXT,
    recorded_at       TEXT NOT NULL
);
CREATE INDEX organization_consents_org ON organization_consents (organization_id, channel);

-- Addresses a server refused for good ("no such mailbox"), reported by SMTP or typed in from a
-- bounce message: never sent to again until the address on the record changes.
CREATE TABLE mail_bounces (
    address    TEXT PRIMARY KEY,
    bounced_at TEXT NOT NULL,
    reply      TEXT NOT NULL
);

-- A static list (members chosen by hand) or a saved segment (criteria as JSON, members found
-- anew at every use).
CREATE TABLE mailing_lists (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    segment    TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE mailing_list_members (
    list_id         INTEGER NOT NULL REFERENCES mailing_lists (id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE CASCADE,
    person_id       INTEGER REFERENCES people (id) ON DELETE CASCADE,
    CHECK ((organization_id IS NULL) <> (person_id IS NULL))
);
CREATE UNIQUE INDEX mailing_list_members_org ON mailing_list_members (list_id, organization_id) WHERE organization_id IS NOT NULL;
CREATE UNIQUE INDEX mailing_list_members_person ON mailing_list_members (list_id, person_id) WHERE person_id IS NOT NULL;

CREATE TABLE grant_calls (
    id         INTEGER PRIMARY KEY,
    funder     TEXT NOT NULL,
    title      TEXT NOT NULL,
    deadline   TEXT NOT NULL,
    amount     TEXT,
    link       TEXT,
    notes      TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX grant_calls_deadline ON grant_calls (deadline);

CREATE TABLE grant_call_areas (
    grant_call_id INTEGER NOT NULL REFERENCES grant_calls (id) ON DELETE CASCADE,
    area_code     TEXT NOT NULL REFERENCES activity_areas (code) ON UPDATE CASCADE,
    PRIMARY KEY (grant_call_id, area_code)
);

-- A message: a draft, a template (kept for next month's bulletin) or a campaign being or
-- having been sent. The body is simple formatted text (Markdown: headings, bold, links, lists).
CREATE TABLE mail_messages (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('bulletin', 'notice')),
    is_template        INTEGER NOT NULL DEFAULT 0,
    subject            TEXT NOT NULL,
    body               TEXT NOT NULL,
    list_id            INTEGER REFERENCES mailing_lists (id) ON DELETE SET NULL,
    list_name          TEXT,
    grant_call_id      INTEGER REFERENCES grant_calls (id) ON DELETE SET NULL,
    status             TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sending', 'paused', 'done')),
    skipped_no_consent INTEGER NOT NULL DEFAULT 0,
    skipped_other      INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    queued_at          TEXT,
    finished_at        TEXT
);
CREATE INDEX mail_messages_status ON mail_messages (is_template, status, updated_at);

CREATE TABLE mail_attachments (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES mail_messages (id) ON DELETE CASCADE,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data         BLOB NOT NULL
);
CREATE INDEX mail_attachments_message ON mail_attachments (message_id);

-- One row per recipient of a campaign; UNIQUE keeps any address from being queued twice.
CREATE TABLE mail_queue (
    id              INTEGER PRIMARY KEY,
    message_id      INTEGER NOT NULL REFERENCES mail_messages (id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    person_id       INTEGER REFERENCES people (id) ON DELETE SET NULL,
    address         TEXT NOT NULL,
    recipient_name  TEXT NOT NULL,
    merge_fields    TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'uncertain')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    reply           TEXT,
    updated_at      TEXT NOT NULL,
    UNIQUE (message_id, address)
);
CREATE INDEX mail_queue_next ON mail_queue (status, message_id, id);
CREATE INDEX mail_queue_message ON mail_queue (message_id, id);
CREATE INDEX mail_queue_person ON mail_queue (person_id);
CREATE INDEX mail_queue_org ON mail_queue (organization_id);
