//! The list of IPC command names, shared by build.rs (permissions) and the handler.
pub const ALL: &[&str] = &[
    "app_info",
];
