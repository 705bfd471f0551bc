-- Publishing to the city portal (as migrations/20261203100000_publish.sql).
ALTER TABLE events ADD COLUMN public BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE publications (
    id BIGSERIAL PRIMARY KEY,
    published_at TEXT NOT NULL,
    folder TEXT NOT NULL,
    manifest TEXT NOT NULL
);
