-- The library with loans (biblioteczka): the imported catalogue gains a subject and a folded
-- search text, each title has copies with an inventory number and a state, and each loan is a
-- copy lent to a person (and their organisation) until it comes back. A copy is never out twice:
-- the partial unique index admits one open loan per copy, whichever PC lends it.

ALTER TABLE library_items ADD COLUMN subject TEXT;
-- Title, author, subject, publisher and ISBN folded (no diacritics, lower case); NULL marks a
-- title not yet prepared for the library (imported, or from before this table): the library
-- folds it and gives it its first copy on first use.
ALTER TABLE library_items ADD COLUMN search_text TEXT;
ALTER TABLE library_items ADD COLUMN updated_at TEXT;

CREATE TABLE library_copies (
    id               INTEGER PRIMARY KEY,
    item_id          INTEGER NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    inventory_number TEXT,
    state            TEXT NOT NULL DEFAULT 'good' CHECK (state IN ('new', 'good', 'worn', 'damaged', 'lost', 'withdrawn')),
    notes            TEXT,
    created_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX library_copies_inventory ON library_copies (inventory_number) WHERE inventory_number IS NOT NULL;
CREATE INDEX library_copies_item ON library_copies (item_id);

-- The borrower's links go when the person is erased or when retention removes them
-- (borrower_removed); the row stays, so loans per year still count.
CREATE TABLE library_loans (
    id               INTEGER PRIMARY KEY,
    copy_id          INTEGER NOT NULL REFERENCES library_copies (id) ON DELETE RESTRICT,
    person_id        INTEGER REFERENCES people (id) ON DELETE SET NULL,
    organization_id  INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    borrower_removed INTEGER NOT NULL DEFAULT 0 CHECK (borrower_removed IN (0, 1)),
    lent_on          TEXT NOT NULL,
    due_on           TEXT NOT NULL,
    renewals         INTEGER NOT NULL DEFAULT 0 CHECK (renewals >= 0),
    returned_on      TEXT,
    reminders_sent   INTEGER NOT NULL DEFAULT 0 CHECK (reminders_sent >= 0),
    last_reminder_on TEXT,
    lent_by          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (due_on >= lent_on),
    CHECK (returned_on IS NULL OR returned_on >= lent_on)
);
CREATE UNIQUE INDEX library_loans_one_open ON library_loans (copy_id) WHERE returned_on IS NULL;
CREATE INDEX library_loans_copy ON library_loans (copy_id, lent_on);
CREATE INDEX library_loans_person ON library_loans (person_id, lent_on);
CREATE INDEX library_loans_open ON library_loans (returned_on, due_on);
CREATE INDEX library_loans_lent ON library_loans (lent_on);
