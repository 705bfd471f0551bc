-- Change history: every change to an organisation, a person or a consent, field by field,
-- with the user name set in the program's settings. Erasure (RODO art. 17) removes a person's
-- rows and leaves one row saying that it happened, without the erased data.
CREATE TABLE change_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_name  TEXT NOT NULL,
    entity     TEXT NOT NULL CHECK (entity IN ('organization', 'person')),
    entity_id  INTEGER NOT NULL,
    field      TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT
);
CREATE INDEX change_log_entity ON change_log (entity, entity_id, id);
