-- Files that belong to the office rather than to a record: the logo printed on reports.

CREATE TABLE office_assets (
    name       TEXT PRIMARY KEY,
    data       BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
