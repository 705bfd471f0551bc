//! Publishing to the city portal: a static site (the directory of organisations that consented,
//! the calendar of public events with its .ics feed, open grant calls, open data as CSV and JSON,
//! the map of social activity) written to a folder and a .zip the webmaster uploads.
//! `site` renders every file in memory, `map` places organisations on the bundled boundaries,
//! `model` holds the options and the manifest that makes "what changed since" possible, `ops`
//! is this domain's part of the `Kartoteka` API; each backend's SQL is in `store/<backend>/`.

pub mod map;
mod model;
mod ops;
pub mod site;
pub(crate) mod store;

pub use model::*;
pub use ops::*;
