//! Every IPC command the window may call. build.rs turns each into a permission
//! (`allow-<name>`) and `capabilities/main.json` grants exactly these to the main window.
pub const ALL: &[&str] = &[
    "app_info",
    "ui_ready",
    "reference_data",
    "filter_options",
    "save_area",
    "load_demo_data",
    "list_organizations",
    "get_organization",
    "save_organization",
    "archive_organization",
    "list_people",
    "get_person",
    "save_person",
    "archive_person",
    "grant_consent",
    "withdraw_consent",
    "search",
    "export_organizations",
    "export_people",
    "directory_pdf",
];
