//! The comment's one-line verdict, which leads with what this plan introduces, and the counts
//! it is made of.

use super::{plural, Report};
use crate::rules::{Finding, Severity, Verdict};

/// The one-line verdict, leading with the findings this plan introduces.
pub(super) fn line(r: &Report<'_>) -> String {
    let s = r.summary();
    // The headline states what was found, whatever the gate's threshold: a comment posted with
    // `--fail-on never` (as a bot that reports but does not block) still says that the pull
    // path breaks.
    let breaks = |f: &Finding| {
        f.suppressed.is_none() && f.verdict == Verdict::Fail && f.severity == Severity::Error
    };
    let failing = r.findings.iter().any(&breaks);
    let unsuppressed = s.errors + s.warnings + s.notes;
    if !r.errors.is_empty() {
        return format!(
            "❌ **pullpath could not read {}** · {}",
            plural(r.errors.len(), "input", "inputs"),
            totals(r)
        );
    }
    if r.net.workloads.is_empty() {
        if unsuppressed > 0 {
            return format!(
                "{} **pullpath found no workload, so no pull path was checked; the checks that need none found {}** · {} read ({})",
                if failing { "❌" } else { "⚠️" },
                counts_text(s.errors, s.warnings, s.notes),
                plural(r.model.inputs.len(), "input", "inputs"),
                plural(r.net.resources_read, "resource", "resources")
            );
        }
        return format!(
            "⚠️ **pullpath found no workload, so no pull path was checked** · {} read ({})",
            plural(r.model.inputs.len(), "input", "inputs"),
            plural(r.net.resources_read, "resource", "resources")
        );
    }
    let icon = if failing {
        "❌"
    } else if unsuppressed > 0 {
        "⚠️"
    } else {
        "✅"
    };
    let new: Vec<&Finding> = r.introduced().collect();
    if r.has_prior() && !new.is_empty() {
        let (e, w, n) = count(new.iter().copied());
        let what = if new.iter().any(|f| breaks(f)) {
            "This plan breaks the pull path"
        } else {
            "This plan adds findings"
        };
        return format!(
            "{icon} **{what}: {} new in this plan** · {} in total",
            counts_text(e, w, n),
            totals(r)
        );
    }
    if unsuppressed == 0 {
        return format!(
            "{icon} **pullpath: the pull path of {} in {} is complete**{}",
            plural(s.workloads, "workload", "workloads"),
            plural(s.vpcs, "VPC", "VPCs"),
            extras(r)
        );
    }
    let none_new = if r.has_prior() {
        ", none new in this plan"
    } else {
        ""
    };
    format!(
        "{icon} **pullpath: {}{none_new}** · {} with {} checked{}",
        counts_text(s.errors, s.warnings, s.notes),
        plural(s.vpcs, "VPC", "VPCs"),
        plural(s.workloads, "workload", "workloads"),
        extras(r)
    )
}

/// `3 errors, 1 warning, 0 notes (1 not decided, 2 suppressed)`.
fn totals(r: &Report<'_>) -> String {
    let s = r.summary();
    format!(
        "{}, {}, {}{}",
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.notes, "note", "notes"),
        extras(r)
    )
}

fn extras(r: &Report<'_>) -> String {
    let s = r.summary();
    let mut parts = Vec::new();
    if s.unknown > 0 {
        parts.push(format!("{} not decided", s.unknown));
    }
    if s.suppressed > 0 {
        parts.push(format!("{} suppressed", s.suppressed));
    }
    if s.not_expanded > 0 {
        parts.push(format!(
            "{} not expanded",
            plural(s.not_expanded, "resource", "resources")
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn count<'a>(it: impl Iterator<Item = &'a Finding>) -> (usize, usize, usize) {
    let (mut e, mut w, mut n) = (0, 0, 0);
    for f in it {
        match f.severity {
            Severity::Error => e += 1,
            Severity::Warning => w += 1,
            Severity::Note => n += 1,
        }
    }
    (e, w, n)
}

/// The non-zero counts: `2 errors, 1 note`.
fn counts_text(e: usize, w: usize, n: usize) -> String {
    let parts: Vec<String> = [
        (e, "error", "errors"),
        (w, "warning", "warnings"),
        (n, "note", "notes"),
    ]
    .into_iter()
    .filter(|(k, _, _)| *k > 0)
    .map(|(k, one, many)| plural(k, one, many))
    .collect();
    if parts.is_empty() {
        "no finding".into()
    } else {
        parts.join(", ")
    }
}
