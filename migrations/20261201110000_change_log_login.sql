-- The change history names the server login that saved each change (PostgreSQL fills it in from
-- the session). A file has no logins: here it stays empty, and it travels with backups and
-- transfers between a file and a server so that both keep the same history.
ALTER TABLE change_log ADD COLUMN login TEXT;
