-- The type-ahead search's candidates in one call (store/postgres/register/search.rs): up to
-- `wanted` rowids of search rows matching `query` (a tsquery text of prefix terms, all
-- required). FTS5 on the file returns the lowest rowids and stops early; a GIN index cannot stop
-- early: for a short prefix ("s", "12") it merges the posting lists of thousands of words into a
-- bitmap of most of the table before LIMIT applies (tens of ms at 200,000 rows). So:
-- 1. read the first rows of the table as they lie (cheaper than by rowid): a common prefix fills
--    the list within a few hundred rows. The first `walk` / 8 rows tell how common the query
--    is; when that promises the list within `walk` rows, reading on is cheaper than step 2
--    (a prefix such as "stowarzyszenie" spans thousands of words: the e-mail addresses);
-- 2. otherwise the query is rare, and the GIN index finds every match: it is asked only for
--    `narrow` (the typed words of three or more characters: a prefix of one or two spans a good
--    part of all words) and each row found is checked against the whole query. Fewer matches
--    than `wanted` are then all of them, as on the file.
-- Settings: for step 2 the planner would read the table, or walk it by rowid, for a LIMIT (the
-- whole table for a rare word), so only the GIN index is left to it; a plan with a disabled
-- path also costs enough to start JIT compilation (tens of ms). A scan of a large table may start
-- where a concurrent one is (synchronize_seqscans): step 1 reads from the first row, so the same
-- typing finds the same rows. The SET clauses confine set_config(…, true) below to this call.
CREATE FUNCTION search_candidates(query TEXT, narrow TEXT, wanted INTEGER, walk INTEGER)
RETURNS SETOF BIGINT
LANGUAGE plpgsql STABLE
SET enable_seqscan = on
SET enable_indexscan = on
SET synchronize_seqscans = off
SET jit = off
ROWS 100
AS $$
DECLARE
    q tsquery := to_tsquery('simple', query);
    found BIGINT[];
    probe INTEGER := walk / 8;
BEGIN
    found := ARRAY(
        SELECT w.rowid
        FROM (SELECT s.rowid, s.words FROM search_index s LIMIT probe) w
        WHERE w.words @@ q
        LIMIT wanted);
    -- Read on when the probe's rate fills the list within `walk` rows (up to all of them: the
    -- matches are seldom spread evenly, and the LIMIT stops the reading once the list is full).
    IF cardinality(found) BETWEEN 1 AND wanted - 1
        AND wanted::BIGINT * probe / cardinality(found) <= walk THEN
        found := ARRAY(
            SELECT w.rowid
            FROM (SELECT s.rowid, s.words FROM search_index s LIMIT walk) w
            WHERE w.words @@ q
            LIMIT wanted);
    END IF;
    IF cardinality(found) >= wanted THEN
        RETURN QUERY SELECT unnest(found);
        RETURN;
    END IF;
    PERFORM set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true);
    RETURN QUERY
        SELECT s.rowid FROM search_index s
        WHERE s.words @@ to_tsquery('simple', narrow) AND ts_match_vq(s.words, q)
        LIMIT wanted;
END
$$;

-- A client code typed into the same search box (store/postgres/daily.rs, advice_by_client_code)
-- is looked up by this key range instead of a case-blind LIKE over every advice record.
CREATE INDEX advice_records_client_code_key ON advice_records (upper(replace(client_code, '-', '')));
