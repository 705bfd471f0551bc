//! Rooms and workstations the centre lends to organisations (sale, stanowisko pracy): the
//! resources with their opening hours, bookings (single and weekly series) that never overlap,
//! the calendar's reads, the door schedule PDF and the iCalendar export.
//! `model` parses input into drafts and holds the read models; `ops` is this domain's part of
//! the `Kartoteka` API; each backend's SQL is in `store/<backend>/rooms.rs`.

pub(crate) mod demo;
mod door;
mod ical;
mod model;
mod ops;
pub(crate) mod store;

pub use door::door_schedule_pdf;
pub use ical::to_icalendar;
pub use model::*;
pub use ops::*;
