use std::process::ExitCode;

/// The binary's allocator is mimalloc (its stable 2.x series), not the system's (glibc malloc
/// on Linux). pullpath allocates many small, short-lived pieces (parsed values, addresses,
/// syntax trees) on several threads: glibc's malloc and free were about a fifth of the
/// instructions of a large run, and glibc grows the heap of any thread but the main one a
/// page at a time, with a system call for each. A library user keeps its own allocator: this
/// is set only here.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 2.x (`mi_option_t` in its `mimalloc.h`; the bindings
/// do not name it). Cargo.lock pins the version this number is read from.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Memory freed is given back to the system at once, not 10 ms later: the peak resident
    // memory stays that of what is live (the reader frees the plan's text and its indexes as it
    // goes). mimalloc reads this option each time it would give memory back.
    // SAFETY: sets an integer option of the allocator; no pointer is involved.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    pullpath::app::main()
}
