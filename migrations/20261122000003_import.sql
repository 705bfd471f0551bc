-- Spreadsheet import: every import is one batch that can be undone as a whole, mapping
-- profiles remembered for the next file, and the office library's list (kept even before the
-- library register exists, so that its sheet is not lost).

CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('organizations', 'people', 'library')),
    file_name   TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    undone_at   TEXT
);

-- The batch that created a record; undo deletes exactly these.
ALTER TABLE organizations ADD COLUMN import_batch_id INTEGER REFERENCES import_batches (id);
ALTER TABLE people ADD COLUMN import_batch_id INTEGER REFERENCES import_batches (id);
CREATE INDEX organizations_import ON organizations (import_batch_id);
CREATE INDEX people_import ON people (import_batch_id);

-- Records that existed before and were updated by a batch: their form before the import
-- (JSON), written back on undo.
CREATE TABLE import_prior_values (
    batch_id    INTEGER NOT NULL REFERENCES import_batches (id),
    record_kind TEXT NOT NULL CHECK (record_kind IN ('organization', 'person')),
    record_id   INTEGER NOT NULL,
    snapshot    TEXT NOT NULL,
    PRIMARY KEY (batch_id, record_kind, record_id)
);

-- Column mappings saved by name: header text as in the sheet -> field code.
CREATE TABLE import_profiles (
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    mapping    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, name)
);

CREATE TABLE library_items (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    author          TEXT,
    publisher       TEXT,
    year            INTEGER,
    isbn            TEXT,
    shelf_mark      TEXT,
    notes           TEXT,
    created_at      TEXT NOT NULL,
    title_key       BLOB NOT NULL,
    import_batch_id INTEGER REFERENCES import_batches (id)
);
CREATE INDEX library_items_by_title ON library_items (title_key);
CREATE INDEX library_items_import ON library_items (import_batch_id);
