-- Who may see what on a server: three kinds of staff as group roles (NOLOGIN), each person's own
-- login a member of one of them. The server itself enforces the split, so a direct connection
-- (psql, a spreadsheet's ODBC) gets no more than the window shows:
--   kartoteka_administrator: everything, and manages the logins (its members have CREATEROLE);
--   kartoteka_doradca:       everything an advisor does, advice descriptions and clients included;
--   kartoteka_pracownik:     the register, mail, events, reports; advice records only without the
--                            description and without what links a record to its client
--                            (person_id, client_code), and never writes advice.
-- Roles belong to the whole server (every database on it shares them): created only when missing,
-- and a second database migrating at the same moment is not an error. The change history also
-- records the server login of whoever saved (change_log.login).

DO $$
DECLARE
    group_name TEXT;
BEGIN
    FOREACH group_name IN ARRAY ARRAY['kartoteka_administrator', 'kartoteka_doradca', 'kartoteka_pracownik'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = group_name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', group_name);
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN NULL;
                WHEN insufficient_privilege THEN
                    RAISE EXCEPTION 'Tabele Kartoteki na serwerze zakłada jej administrator: login „%” musi mieć uprawnienie CREATEROLE (zob. README, „Użytkownicy i role”).', session_user
                        USING ERRCODE = 'insufficient_privilege';
            END;
        END IF;
    END LOOP;
END $$;

-- Administrators may hand the other two groups on (PostgreSQL 16 and later ask for ADMIN OPTION,
-- 15 and earlier for CREATEROLE alone).
DO $$
BEGIN
    GRANT kartoteka_doradca, kartoteka_pracownik TO kartoteka_administrator WITH ADMIN OPTION;
EXCEPTION
    WHEN insufficient_privilege OR invalid_grant_operation THEN
        RAISE NOTICE 'kartoteka_administrator could not be given ADMIN OPTION here';
END $$;

-- Whoever creates Kartoteka's tables is the office's first administrator (a superuser needs no
-- membership). Refused where the groups were made by someone else on PostgreSQL 16+: then the
-- superuser grants it by hand (README).
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        EXECUTE format('GRANT kartoteka_administrator, kartoteka_doradca, kartoteka_pracownik TO %I WITH ADMIN OPTION', session_user);
    END IF;
EXCEPTION
    WHEN insufficient_privilege OR invalid_grant_operation THEN
        RAISE NOTICE 'the creating login could not be made an administrator: grant kartoteka_administrator by hand';
END $$;

GRANT USAGE ON SCHEMA public TO kartoteka_administrator, kartoteka_doradca, kartoteka_pracownik;

-- Every table and identity sequence, for all three; the exceptions follow.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public
    TO kartoteka_administrator, kartoteka_doradca, kartoteka_pracownik;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public
    TO kartoteka_administrator, kartoteka_doradca, kartoteka_pracownik;
-- Tables later migrations create (as the same login) start with the same rights; a migration
-- adding private data revokes what it must.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES
    TO kartoteka_administrator, kartoteka_doradca, kartoteka_pracownik;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES
    TO kartoteka_administrator, kartoteka_doradca, kartoteka_pracownik;

-- The schema's history: read by every connection (to see there is nothing to do), written only
-- by whoever runs a newer Kartoteka's migrations.
REVOKE INSERT, UPDATE, DELETE ON _sqlx_migrations FROM kartoteka_doradca, kartoteka_pracownik;

-- Office staff: advice records without the description and without the client (column grants:
-- a SELECT naming them, or `*`, is refused with "permission denied"); the categories of a
-- record may be read, nothing of advice written.
REVOKE ALL ON advice_records, advice_record_categories FROM kartoteka_pracownik;
GRANT SELECT ON advice_record_categories TO kartoteka_pracownik;
DO $$
DECLARE
    readable TEXT;
BEGIN
    SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO readable
    FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = 'advice_records'
      AND column_name NOT IN ('description', 'person_id', 'client_code');
    EXECUTE format('GRANT SELECT (%s) ON advice_records TO kartoteka_pracownik', readable);
END $$;

-- How many earlier visits of the same client each record has (the rule of "returning client",
-- as the program's EARLIER_ADVICE_WHERE): a view runs with its owner's rights, so office staff
-- get the count for a record and for statistics without seeing who the client is.
CREATE VIEW advice_earlier AS
    SELECT a.id, (SELECT COUNT(*) FROM advice_records b
                  WHERE ((a.person_id IS NOT NULL AND b.person_id = a.person_id)
                         OR (a.person_id IS NULL AND a.client_code IS NOT NULL AND b.client_code = a.client_code))
                    AND (b.given_on < a.given_on OR (b.given_on = a.given_on AND b.id < a.id))) AS earlier_advice
    FROM advice_records a;
REVOKE ALL ON advice_earlier FROM kartoteka_administrator, kartoteka_doradca, kartoteka_pracownik;
GRANT SELECT ON advice_earlier TO kartoteka_administrator, kartoteka_doradca, kartoteka_pracownik;

-- Advice categories are the advisors' settings: read by all, changed by advisors and
-- administrators.
REVOKE INSERT, UPDATE, DELETE ON advice_categories FROM kartoteka_pracownik;

-- The change history names the server login that saved each change, filled in by the server
-- (the rows before this migration have none). Only administrators (moving data between a file
-- and the server) may write the column themselves; for everyone else the default is the truth.
ALTER TABLE change_log ADD COLUMN login TEXT COLLATE "C";
ALTER TABLE change_log ALTER COLUMN login SET DEFAULT session_user;
REVOKE INSERT, UPDATE ON change_log FROM kartoteka_doradca, kartoteka_pracownik;
GRANT INSERT (at, user_name, entity, entity_id, field, old_value, new_value) ON change_log
    TO kartoteka_doradca, kartoteka_pracownik;
