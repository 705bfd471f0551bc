-- Several people may have one record open at once (another PC, a CLI import). Each record edited
-- in a form carries a revision, raised by every write, and who made that write: a save opened on
-- an older revision is refused and names who changed the record in the meantime, instead of
-- silently overwriting it. The same columns as the file's migration of the same number.
ALTER TABLE organizations ADD COLUMN revision BIGINT NOT NULL DEFAULT 1,
    ADD COLUMN changed_by TEXT COLLATE "C";
ALTER TABLE people ADD COLUMN revision BIGINT NOT NULL DEFAULT 1,
    ADD COLUMN changed_by TEXT COLLATE "C";
ALTER TABLE advice_records ADD COLUMN revision BIGINT NOT NULL DEFAULT 1,
    ADD COLUMN changed_by TEXT COLLATE "C";
