-- Letters kept for organisations that use the centre's address (dziennik korespondencji): who
-- may use the address and how they want to be told, and every item received for them until
-- it is picked up.

CREATE TABLE address_agreements (
    id                INTEGER PRIMARY KEY,
    organization_id   INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    valid_from        TEXT NOT NULL,
    valid_until       TEXT,
    contact_person_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
    contact_email     TEXT,
    notify_by         TEXT NOT NULL DEFAULT 'email' CHECK (notify_by IN ('email', 'phone', 'none')),
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX address_agreements_organization ON address_agreements (organization_id, valid_from);

CREATE TABLE letters (
    id              INTEGER PRIMARY KEY,
    received_on     TEXT NOT NULL,
    sender          TEXT NOT NULL,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('list', 'polecony', 'paczka', 'awizo')),
    tracking_number TEXT,
    item_count      INTEGER NOT NULL DEFAULT 1 CHECK (item_count BETWEEN 1 AND 999),
    notes           TEXT,
    notified_at     TEXT,
    notified_to     TEXT,
    picked_up_on    TEXT,
    picked_up_by    TEXT,
    entered_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX letters_waiting ON letters (picked_up_on, received_on);
CREATE INDEX letters_organization ON letters (organization_id, received_on);
CREATE INDEX letters_received ON letters (received_on);
