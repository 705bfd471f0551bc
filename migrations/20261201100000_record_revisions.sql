-- Several people may have one record open at once (a second window, a CLI import, another PC on
-- a server). Each record edited in a form carries a revision, raised by every write, and who made
-- that write: a save that was opened on an older revision is refused and can name who changed
-- the record in the meantime, instead of silently overwriting it.
ALTER TABLE organizations ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN changed_by TEXT;
ALTER TABLE people ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE people ADD COLUMN changed_by TEXT;
ALTER TABLE advice_records ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE advice_records ADD COLUMN changed_by TEXT;
