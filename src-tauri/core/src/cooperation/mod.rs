//! The city's cooperation programme with NGOs (program współpracy, art. 5a of the public
//! benefit act): the year's programme and priority tasks, open competitions with the offers,
//! contracts and settlement, small grants outside competitions (art. 19a) with their statutory
//! caps, the consultation of draft acts with the opinions received (`consultation`), joint
//! teams and the log of other non-financial cooperation (`teams`), and the report on the
//! programme's execution. Each backend's SQL is in
//! `store/<backend>/cooperation.rs`.

mod consultation;
pub(crate) mod demo;
mod model;
mod ops;
mod report;
pub(crate) mod store;
mod teams;

pub use consultation::*;
pub use model::*;
pub use report::*;
pub use teams::*;
