-- Publishing to the city portal: an event is shown in the public calendar only when marked so,
-- and each publication keeps the list of what it wrote (files with their hashes, organisations
-- and events), so the next one can say what changed since.
ALTER TABLE events ADD COLUMN public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1));
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    published_at TEXT NOT NULL,
    folder TEXT NOT NULL,
    manifest TEXT NOT NULL
);
