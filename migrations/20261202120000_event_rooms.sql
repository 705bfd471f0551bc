-- An event held in one of the centre's rooms books it: the booking names its event, and goes
-- when the event does.
ALTER TABLE bookings ADD COLUMN event_id INTEGER REFERENCES events (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX bookings_event ON bookings (event_id) WHERE event_id IS NOT NULL;
