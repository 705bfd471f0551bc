//! SQLite's memory comes from Rust's global allocator (mimalloc in the program) instead of the
//! C library's malloc, and without SQLite's memory statistics. Installed once, before the first
//! connection initialises SQLite.
//!
//! Why: in a 100k-row import, 70% of the CPU is SQLite's thread, and a seventh of that was
//! glibc's malloc/free (chunk coalescing, `unlink_chunk`) plus the global mutex SQLite takes
//! around every allocation to keep its statistics (SQLITE_CONFIG_MEMSTATUS), which nothing
//! here reads (no soft heap limit, no sqlite3_memory_used).

use std::alloc::{alloc, dealloc, realloc, Layout};
use std::os::raw::{c_int, c_void};

/// Each block starts with its size, so `free` and `size` can rebuild the layout; 16 bytes keep
/// the memory handed to SQLite aligned as malloc's (SQLite needs 8).
const HEADER: usize = 16;
const ALIGN: usize = 16;

#[repr(C)]
struct MemMethods {
    x_malloc: unsafe extern "C" fn(c_int) -> *mut c_void,
    x_free: unsafe extern "C" fn(*mut c_void),
    x_realloc: unsafe extern "C" fn(*mut c_void, c_int) -> *mut c_void,
    x_size: unsafe extern "C" fn(*mut c_void) -> c_int,
    x_roundup: unsafe extern "C" fn(c_int) -> c_int,
    x_init: unsafe extern "C" fn(*mut c_void) -> c_int,
    x_shutdown: unsafe extern "C" fn(*mut c_void),
    app_data: *mut c_void,
}

extern "C" {
    // Linked in from libsqlite3-sys (bundled with sqlx).
    fn sqlite3_config(op: c_int, ...) -> c_int;
}

const SQLITE_CONFIG_MALLOC: c_int = 4;
const SQLITE_CONFIG_MEMSTATUS: c_int = 9;

fn layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.checked_add(HEADER)?, ALIGN).ok()
}

unsafe extern "C" fn x_malloc(n: c_int) -> *mut c_void {
    let Some(l) = usize::try_from(n).ok().filter(|n| *n > 0).and_then(layout) else {
        return std::ptr::null_mut();
    };
    // SAFETY: `l` has a non-zero size; the header is written inside the block.
    unsafe {
        let base = alloc(l);
        if base.is_null() {
            return std::ptr::null_mut();
        }
        (base as *mut usize).write(n as usize);
        base.add(HEADER) as *mut c_void
    }
}

unsafe fn base_and_size(p: *mut c_void) -> (*mut u8, usize) {
    // SAFETY (caller): `p` came from `x_malloc`/`x_realloc`, so the header precedes it.
    unsafe {
        let base = (p as *mut u8).sub(HEADER);
        (base, (base as *const usize).read())
    }
}

unsafe extern "C" fn x_free(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    // SAFETY: SQLite frees only what this allocator gave it, with the layout it was made with.
    unsafe {
        let (base, size) = base_and_size(p);
        dealloc(
            base,
            Layout::from_size_align_unchecked(size + HEADER, ALIGN),
        );
    }
}

unsafe extern "C" fn x_realloc(p: *mut c_void, n: c_int) -> *mut c_void {
    if p.is_null() {
        // SAFETY: a plain allocation.
        return unsafe { x_malloc(n) };
    }
    let Some(new) = usize::try_from(n).ok().filter(|n| *n > 0).and_then(layout) else {
        return std::ptr::null_mut();
    };
    // SAFETY: `p` is ours (see `x_free`); on failure the old block stays valid, as realloc's.
    unsafe {
        let (base, size) = base_and_size(p);
        let moved = realloc(
            base,
            Layout::from_size_align_unchecked(size + HEADER, ALIGN),
            new.size(),
        );
        if moved.is_null() {
            return std::ptr::null_mut();
        }
        (moved as *mut usize).write(n as usize);
        moved.add(HEADER) as *mut c_void
    }
}

unsafe extern "C" fn x_size(p: *mut c_void) -> c_int {
    if p.is_null() {
        return 0;
    }
    // SAFETY: `p` is ours (see `x_free`).
    unsafe { base_and_size(p).1 as c_int }
}

unsafe extern "C" fn x_roundup(n: c_int) -> c_int {
    n.saturating_add(7) & !7
}

unsafe extern "C" fn x_init(_: *mut c_void) -> c_int {
    0
}

unsafe extern "C" fn x_shutdown(_: *mut c_void) {}

/// Installs the allocator if SQLite has not been initialised yet in this process (otherwise
/// SQLite refuses with SQLITE_MISUSE and keeps its own, which works the same, only slower).
pub(crate) fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let methods = MemMethods {
            x_malloc,
            x_free,
            x_realloc,
            x_size,
            x_roundup,
            x_init,
            x_shutdown,
            app_data: std::ptr::null_mut(),
        };
        // SAFETY: both options are valid before sqlite3_initialize; SQLite copies `methods`.
        // Called once, before this process opens its first connection (sqlx initialises SQLite
        // on the first open).
        unsafe {
            if sqlite3_config(SQLITE_CONFIG_MALLOC, &methods as *const MemMethods) == 0 {
                let off: c_int = 0;
                sqlite3_config(SQLITE_CONFIG_MEMSTATUS, off);
            }
        }
    });
}
