-- The office's RODO retention periods (meta key 'retention') are the administrator's and the
-- advisors' decision: office staff (kartoteka_pracownik) read every setting and keep writing
-- their own small ones (last folder, last backup), but cannot set, change or remove the
-- retention periods, not even from psql. Row-level security on `meta`, one permissive policy per
-- command for staff; administrators and advisors may do everything. The tables' owner (whoever
-- ran the migrations) is not subject to these policies.

ALTER TABLE meta ENABLE ROW LEVEL SECURITY;

CREATE POLICY meta_advisors_all ON meta FOR ALL
    TO kartoteka_administrator, kartoteka_doradca
    USING (true) WITH CHECK (true);

CREATE POLICY meta_staff_read ON meta FOR SELECT
    TO kartoteka_pracownik
    USING (true);

-- An INSERT ... ON CONFLICT DO UPDATE of 'retention' fails this check before anything is
-- written (the server answers 42501, which the program shows as "forbidden").
CREATE POLICY meta_staff_insert ON meta FOR INSERT
    TO kartoteka_pracownik
    WITH CHECK (key <> 'retention');

CREATE POLICY meta_staff_update ON meta FOR UPDATE
    TO kartoteka_pracownik
    USING (key <> 'retention') WITH CHECK (key <> 'retention');

CREATE POLICY meta_staff_delete ON meta FOR DELETE
    TO kartoteka_pracownik
    USING (key <> 'retention');
