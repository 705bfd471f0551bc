// Declares the app's own commands to tauri-build so that capabilities can allow exactly them
// (and nothing else) to the main window.
fn main() {
    // The UI is embedded into the binary by generate_context!(): rebuild when it changes.
    println!("cargo:rerun-if-changed=ui");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(kartoteka_commands::ALL)),
    )
    .expect("tauri-build failed");
}

/// Reads the one command list for its names only: the build script has no tauri to build the
/// invoke handlers with (commands/mod.rs does that from the same file).
macro_rules! command_list {
    ($($group:ident: [$($module:ident::$name:ident),* $(,)?]),* $(,)?) => {
        pub const ALL: &[&str] = &[$($(stringify!($name),)*)*];
    };
}

#[path = "commands/list.rs"]
mod kartoteka_commands;
