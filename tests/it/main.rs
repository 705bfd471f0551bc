//! Kartoteka's integration and end-to-end tests, in one test binary (as ripgrep does):
//! `register` and `search` run the core against a real SQLite file, `cli` runs the built
//! binary's headless subcommands, `window` drives the real window through WebDriver.

mod advice;
mod atomic_writes;
mod backup;
mod cli;
mod command_list;
mod conflicts;
mod cooperation;
mod daily;
mod directory;
mod events;
mod export;
mod grant_year;
mod import;
mod legal_aid;
mod letters;
mod library;
mod mail;
mod publish;
mod register;
mod reports;
mod rodo;
mod rooms;
mod search;
mod security;
mod server;
mod several_pcs;
mod transfer;
mod translations;
mod ui_rules;
mod util;
mod window;
mod wording;
