//! SQLite: the register (organisations, people, consents, search, reference lists).

use super::*;

mod consents;
mod organizations;
mod people;
mod reference;
mod search;
