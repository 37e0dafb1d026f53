//! `PULLPATH_TIMINGS=1`: prints, on standard error, how long each phase of a run took (wall
//! time since the previous phase, and since the start), so that "where does the time go" is
//! answered by the release binary itself; `PULLPATH_TIMINGS=2` also prints the steps inside
//! some phases (the graph's passes). Off by default; nothing is measured or printed then.
//!
//! The only state is the time of the previous mark (a process-wide clock, not data any result
//! depends on).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

struct Clock {
    start: Instant,
    /// Nanoseconds from `start` to the previous mark.
    last: AtomicU64,
    /// `PULLPATH_TIMINGS=2`: the steps inside phases too (see [`detail`]).
    detail: bool,
}

fn clock() -> Option<&'static Clock> {
    static CLOCK: OnceLock<Option<Clock>> = OnceLock::new();
    CLOCK
        .get_or_init(|| {
            std::env::var_os("PULLPATH_TIMINGS")
                .filter(|v| !v.is_empty() && v != "0")
                .map(|v| Clock {
                    start: Instant::now(),
                    last: AtomicU64::new(0),
                    detail: v == "2",
                })
        })
        .as_ref()
}

/// Starts the clock (the first call to any function here starts it otherwise).
pub fn start() {
    let _ = clock();
}

/// Whether timings are printed.
pub fn enabled() -> bool {
    clock().is_some()
}

/// Ends a step inside a phase, printed as [`mark`] prints a phase, with `PULLPATH_TIMINGS=2`
/// only.
pub fn detail(step: &str) {
    if clock().is_some_and(|c| c.detail) {
        mark(step);
    }
}

/// Ends a phase: prints its name and how long it took.
pub fn mark(phase: &str) {
    let Some(c) = clock() else { return };
    let now = c.start.elapsed().as_nanos() as u64;
    let prev = c.last.swap(now, Ordering::Relaxed);
    eprintln!(
        "pullpath: timing: {:>8.1} ms  {phase} (at {:.1} ms{})",
        (now.saturating_sub(prev)) as f64 / 1e6,
        now as f64 / 1e6,
        memory()
    );
}

/// The resident memory now (and how much of it is file pages: the mapped plan and the binary)
/// and at its peak so far, where the system says (Linux: the `VmRSS`, `RssFile` and `VmHWM`
/// lines of `/proc/self/status`); empty elsewhere.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().strip_suffix("kB"))
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => format!(
            ", RSS {} MB (file {} MB), peak {} MB",
            rss / 1024,
            field("RssFile:").unwrap_or(0) / 1024,
            peak / 1024
        ),
        _ => String::new(),
    }
}
