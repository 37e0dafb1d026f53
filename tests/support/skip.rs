//! Saying that a test skips part of its work, where the test output shows it.

use std::io::Write as _;

/// Writes `skipped <test>: <reason>` to standard error directly: the test harness captures what
/// `eprintln!` prints and shows it only for failing tests, so a skip said that way would read
/// as a plain pass in `cargo test`'s output.
pub fn skipped(reason: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(std::io::stderr(), "skipped {test}: {reason}");
}
