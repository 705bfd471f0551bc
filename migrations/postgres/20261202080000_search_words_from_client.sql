-- The search words are made by Kartoteka from the body it writes (store/postgres/bulk.rs,
-- pg_search_words: the same tsvector to_tsvector('simple', body) gives) instead of by the server
-- on every write: the generated column ran a regular expression and the text-search parser over
-- each body, which bound an import of 100,000 organisations. Rows already stored keep their
-- words; NOT NULL makes a writer that forgets them fail instead of leaving a record unfindable.
ALTER TABLE search_index ALTER COLUMN words DROP EXPRESSION;
ALTER TABLE search_index ALTER COLUMN words SET NOT NULL;
