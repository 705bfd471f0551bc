//! Free legal aid points (nieodpłatna pomoc prawna, poradnictwo obywatelskie, mediacja): the
//! card of help (Part A) joined to an advice record, the client's anonymous opinion (Part B),
//! the editable lists the card follows, the printed card, statement and Part B, and the
//! starosta's figures. `model` parses input, `ops` is this domain's part of the `Kartoteka` API,
//! `store` its contract (SQL in `store/<backend>/legal_aid.rs`).

pub mod demo;
mod figures;
pub mod lists;
mod model;
mod ops;
mod print;
mod schedule;
pub(crate) mod store;

pub use figures::*;
pub use model::*;
pub use schedule::*;
