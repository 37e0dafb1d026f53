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

#[cfg(test)]
mod tests {
    use super::MI_OPTION_PURGE_DELAY;

    /// The option number set in `main` is mimalloc's purge delay: its default is 10 ms, and
    /// the options numbered around it (named by the bindings) are others. A mimalloc whose
    /// options are numbered otherwise fails here, not silently in production.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some()
            || std::env::var_os("MIMALLOC_RESET_DELAY").is_some()
        {
            eprintln!("skipped: MIMALLOC_PURGE_DELAY or MIMALLOC_RESET_DELAY is set");
            return;
        }
        // SAFETY: reads and sets integer options of the allocator.
        unsafe {
            assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), 10);
            assert_eq!(
                MI_OPTION_PURGE_DELAY,
                libmimalloc_sys::mi_option_eager_commit_delay + 1
            );
            assert_eq!(
                MI_OPTION_PURGE_DELAY + 1,
                libmimalloc_sys::mi_option_use_numa_nodes
            );
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
            assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), 0);
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10);
        }
    }
}
