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
    // Everything this process creates holds or leads to personal data (database, WAL, backups,
    // exports, logs, files libraries write on their own such as the log at midnight): owner
    // only. The core also sets 0600/0700 itself; this covers what it does not create.
    #[cfg(unix)]
    // SAFETY: umask only changes this process's file-creation mask; no threads exist yet.
    unsafe {
        libc::umask(0o077);
    }
    #[cfg(windows)]
    if std::env::args_os().len() > 1 {
        attach_parent_console();
    }
    let args = Cli::parse();
    // Without --db: the server this PC was moved to from Ustawienia, else the default file.
    let db = args
        .db
        .unwrap_or_else(kartoteka_app::connection::default_location);
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
        // `kartoteka search … | head`: the reader has what it wanted; no error, no backtrace.
        Err(e) if e.downcast_ref::<cli::OutputClosed>().is_some() => std::process::exit(0),
        Err(e) => {
            use std::io::Write;
            // Not eprintln!: it panics when stderr is a closed pipe too.
            // The message may quote a file name or a cell: no control or bidi character reaches
            // the terminal.
            let message = format!("{e:#}");
            let _ = writeln!(
                std::io::stderr().lock(),
                "Błąd: {}",
                kartoteka_core::text::terminal_safe(&message, true)
            );
            std::process::exit(1);
        }
    }
}
