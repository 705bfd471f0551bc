-- Retention of attendance lists: when the rule removes an old event's registrations (who came is
-- personal data), the event keeps how many were registered and how many attended, so the annual
-- report and the events list still count them. `list_removed_on` says when the list went.
ALTER TABLE events ADD COLUMN removed_registered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN removed_attended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN list_removed_on TEXT;
