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

#[path = "commands/names.rs"]
mod kartoteka_commands;
