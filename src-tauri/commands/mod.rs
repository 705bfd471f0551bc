//! Tauri commands: thin adapters over `kartoteka_core::Kartoteka`, one file per domain.
//! `#[instrument(skip_all)]` keeps personal data out of the log: only ids are recorded.

pub mod advice;
pub mod app;
pub mod backup;
pub mod consultations;
pub mod cooperation;
pub mod daily;
pub mod events;
pub mod export;
pub mod import;
pub mod legal_aid;
pub mod letters;
pub mod library;
pub mod live;
pub mod mail;
pub mod office;
pub mod organizations;
pub mod people;
pub mod publish;
pub mod reports;
pub mod rodo;
pub mod rooms;
pub mod search;
pub mod server;
pub mod startup;
pub mod survey;
pub mod users;
pub mod window;

/// Turns the one command list (`list.rs`) into the names (`ALL`, granted one by one as
/// `allow-<name>`) and the invoke handler of each window; build.rs reads the same file for the
/// names only.
macro_rules! command_list {
    (
        shared: [$($sm:ident::$sn:ident),* $(,)?],
        start_up: [$($um:ident::$un:ident),* $(,)?],
        window: [$($wm:ident::$wn:ident),* $(,)?] $(,)?
    ) => {
        /// Every command either window registers, each once.
        pub const ALL: &[&str] = &[
            $(stringify!($sn),)* $(stringify!($un),)* $(stringify!($wn),)*
        ];

        /// The start-up screen's commands: the database could not be opened, so nothing that
        /// needs it is registered.
        pub fn start_up_handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![
                $(crate::commands::$sm::$sn,)* $(crate::commands::$um::$un,)*
            ]
        }

        /// The commands of the window over an open database.
        pub fn window_handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![
                $(crate::commands::$sm::$sn,)* $(crate::commands::$wm::$wn,)*
            ]
        }
    };
}

mod list;
pub use list::{start_up_handler, window_handler, ALL};
