-- Live lists: every write to a table a list shows sends NOTIFY kartoteka_changes with the kind
-- of record that changed (organizations, people, advice, ...). Statement-level triggers, so every
-- writer is covered (the window, the CLI, imports, a restore) at the cost of one call per
-- statement, not per row; the server delivers the notice only when the transaction commits (a
-- rolled-back one tells nobody) and folds identical notices of one transaction into one, so an
-- import of 100,000 rows wakes each open window once. The payload names a kind, never a record.
-- The sending queue is left out: it changes twice per recipient while a campaign goes out, and
-- the campaign's own row (mail_messages) changes when it starts, pauses and ends.

CREATE FUNCTION kartoteka_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('kartoteka_changes', TG_ARGV[0]);
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t RECORD;
BEGIN
    FOR t IN
        SELECT * FROM (VALUES
            ('organizations', 'organizations'),
            ('organization_contacts', 'organizations'),
            ('organization_areas', 'organizations'),
            ('organization_tags', 'organizations'),
            ('organization_consents', 'organizations'),
            ('people', 'people'),
            ('person_contacts', 'people'),
            ('person_roles', 'people'),
            ('consents', 'people'),
            ('advice_records', 'advice'),
            ('advice_record_categories', 'advice'),
            ('events', 'events'),
            ('event_registrations', 'events'),
            ('consultations', 'consultations'),
            ('survey_topics', 'survey'),
            ('survey_choices', 'survey'),
            ('mail_messages', 'mail'),
            ('mailing_lists', 'lists'),
            ('mailing_list_members', 'lists'),
            ('grant_calls', 'grants'),
            ('import_batches', 'imports')
        ) AS k (tab, kind)
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
             FOR EACH STATEMENT EXECUTE FUNCTION kartoteka_notify_change(%L)',
            t.tab || '_notify', t.tab, t.kind);
    END LOOP;
END
$$;
