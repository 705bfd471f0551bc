-- An event held in one of the centre's rooms books it (as migrations/20261202120000_event_rooms.sql).
ALTER TABLE bookings ADD COLUMN event_id BIGINT REFERENCES events (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX bookings_event ON bookings (event_id) WHERE event_id IS NOT NULL;
