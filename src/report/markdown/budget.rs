//! The size budget: GitHub's limit on a comment body (65,536 characters; GitLab's is larger).
//! When the full comment does not fit, it is rendered again with less detail (no fixes, then no
//! pictures, then fewer finding details, then fewer findings) until it does, and says what it
//! left out; a report whose tables alone do not fit is cut at a section.

use std::fmt::Write as _;

use super::{render_with, Report};

/// How much of the report a rendering shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Detail {
    pub(super) fixes: bool,
    pub(super) diagrams: bool,
    /// At most this many findings get a `<details>` block; the rest a line each.
    pub(super) max_details: usize,
    /// At most this many findings are listed at all.
    pub(super) max_listed: usize,
}

impl Detail {
    pub(super) const FULL: Detail = Detail {
        fixes: true,
        diagrams: true,
        max_details: usize::MAX,
        max_listed: usize::MAX,
    };

    fn is_full(self) -> bool {
        self == Detail::FULL
    }
}

/// As [`super::render`], with another size limit (for tests).
pub fn render_within(r: &Report<'_>, limit: usize) -> String {
    let budget = limit.saturating_sub(256);
    let fits = |s: &str| s.encode_utf16().count() <= budget;
    let mut detail = Detail::FULL;
    let out = render_with(r, detail);
    if fits(&out) {
        return out;
    }
    for step in [
        Detail {
            fixes: false,
            ..detail
        },
        Detail {
            fixes: false,
            diagrams: false,
            ..detail
        },
    ] {
        detail = step;
        let out = render_with(r, detail);
        if fits(&out) {
            return out;
        }
    }
    // Fewer details, then fewer lines, halving until it fits.
    let n = r.findings.len();
    let mut k = n;
    while k > 0 {
        k /= 2;
        detail.max_details = k;
        let out = render_with(r, detail);
        if fits(&out) {
            return out;
        }
    }
    let mut k = n;
    loop {
        k /= 2;
        detail.max_listed = k;
        let out = render_with(r, detail);
        if fits(&out) {
            return out;
        }
        if k == 0 {
            return cut(&out, budget);
        }
    }
}

/// The last resort for a report whose tables alone exceed the limit (hundreds of VPCs): cut
/// at the last section that fits, and say so.
fn cut(md: &str, budget: usize) -> String {
    const NOTE: &str = "\n> [!WARNING]\n> The report is cut here to stay within GitHub's limit of 65,536 characters; run `pullpath check` for the rest.\n";
    let room = budget.saturating_sub(NOTE.encode_utf16().count());
    let mut end = 0;
    let mut used = 0;
    for (i, c) in md.char_indices() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        if md[i..].starts_with("\n### ") {
            end = i + 1;
        }
    }
    if end == 0 {
        // Not even one section fits: keep the marker and the verdict.
        end = md
            .match_indices('\n')
            .nth(1)
            .map_or(md.len(), |(i, _)| i + 1);
    }
    format!("{}{NOTE}", &md[..end])
}

/// When the comment is not the full form, a note that says what it leaves out.
pub(super) fn summarised_note(out: &mut String, detail: Detail) {
    if detail.is_full() {
        return;
    }
    let mut left_out = Vec::new();
    if !detail.fixes {
        left_out.push("the fixes");
    }
    if !detail.diagrams {
        left_out.push("the diagrams");
    }
    if detail.max_details != usize::MAX {
        left_out.push("some finding details");
    }
    if detail.max_listed != usize::MAX {
        left_out.push("some findings");
    }
    let _ = writeln!(
        out,
        "> [!NOTE]\n> This comment is summarised to stay within GitHub's limit of 65,536 characters: it leaves out {}. Run `pullpath check` on the plan, or read the SARIF or JSON report, for everything.\n",
        join_and(&left_out)
    );
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
