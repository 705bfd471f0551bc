// Release builds on Windows open no console window behind the program.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use clap::Parser;

/// glibc's allocator spent a third of a 100k-row import freeing small strings; mimalloc does
/// the same work several times faster (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use kartoteka_app::cli::{self, Cli};
use kartoteka_app::paths;

/// A release build on Windows has no console of its own (the window would otherwise open one);
/// a subcommand typed in cmd or PowerShell writes to the console it was started from.
#[cfg(windows)]
fn attach_parent_console() {
    use windows_sys::Win32::System::Console::{AttachConsole, ATTACH_PARENT_PROCESS};
    // SAFETY: a plain Win32 call with a constant argument; failure (no parent console) is harmless.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

fn main() {
    let started = std::time::Instant::now();
    #[cfg(windows)]
    if std::env::args_os().len() > 1 {
        attach_parent_console();
    }
    let args = Cli::parse();
    let db = args.db.unwrap_or_else(paths::default_database);
    let result = match args.command {
        None => kartoteka_app::run(db, started).map(|_| 0),
        Some(command) => {
            // Subcommands log to the same file as the window; the terminal gets only results.
            let _guard = kartoteka_app::init_logging(&paths::log_dir(), false);
            tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(anyhow::Error::from)
            .and_then(|rt| rt.block_on(cli::run(db, command)))
        }
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("Błąd: {e:#}");
            std::process::exit(1);
        }
    }
}
