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
    no_transparent_huge_pages();
    pullpath::app::main()
}

/// Turns transparent huge pages off for this process. mimalloc asks for them on the regions it
/// takes from the system (`madvise(MADV_HUGEPAGE)`, which Linux honours where THP is set to
/// `madvise`, the common default): each first touch of such a region then clears and maps two
/// megabytes at once, resident whether or not the rest is ever used, and memory given back in
/// smaller parts splits them again. Measured on the benchmark's 1,000-VPC plans: about 7 MB of
/// peak memory on the flat plan and a quarter of the kernel's time (page clearing). mimalloc
/// turns THP off itself only when its `allow_thp` option is off before it starts, which is
/// before `main`; this is what that option does. A child process (`terraform show` for a binary
/// plan) inherits the setting: it changes only how the kernel backs its memory.
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    /// `PR_SET_THP_DISABLE` in `<linux/prctl.h>`.
    const PR_SET_THP_DISABLE: std::ffi::c_int = 41;
    extern "C" {
        fn prctl(option: std::ffi::c_int, ...) -> std::ffi::c_int;
    }
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)` sets a flag of this process; no memory
    // is passed. A kernel without it returns -1 (EINVAL), and nothing changes.
    let _ = unsafe {
        prctl(
            PR_SET_THP_DISABLE,
            1 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
        )
    };
}

#[cfg(not(target_os = "linux"))]
fn no_transparent_huge_pages() {}

#[cfg(test)]
mod tests {
    use super::MI_OPTION_PURGE_DELAY;

    /// The flag set is the one the kernel reports back as "THP disabled" (`PR_GET_THP_DISABLE`,
    /// 42): a wrong option number would set something else, or nothing, silently.
    #[cfg(target_os = "linux")]
    #[test]
    fn transparent_huge_pages_are_turned_off() {
        extern "C" {
            fn prctl(option: std::ffi::c_int, ...) -> std::ffi::c_int;
        }
        super::no_transparent_huge_pages();
        let zero = 0 as std::ffi::c_ulong;
        // SAFETY: reads a flag of this process; no memory is passed.
        let got = unsafe { prctl(42, zero, zero, zero, zero) };
        assert_eq!(got, 1, "PR_GET_THP_DISABLE after turning THP off");
    }

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
