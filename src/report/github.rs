//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the pull request's files and the run's summary:
//!
//! ```text
//! ::error file=network.tf,line=12,col=3,title=PP401 s3-policy-blocks-layer-bucket::the policy of …
//! ```
//!
//! `::error`, `::warning` or `::notice` by the finding's reported severity. A finding without a
//! source position (plan input) gets no `file`: GitHub shows it on the run instead of a line.
//! Suppressed findings are not annotated; a last `::notice` gives the counts.

use std::fmt::Write as _;

use super::{plural, title, visible, visible_lines, Report};
use crate::rules::{Finding, Severity, Verdict};

pub fn render(r: &Report<'_>) -> String {
    let mut out = String::new();
    findings(&mut out, r);
    // At most PER_LEVEL - 1 error annotations for inputs, the last one saying how many more.
    let errors_shown = if r.errors.len() > PER_LEVEL - 1 {
        PER_LEVEL - 2
    } else {
        r.errors.len()
    };
    for e in r.errors.iter().take(errors_shown) {
        let _ = writeln!(
            out,
            "::error title={}::{}",
            property("pullpath: input not read"),
            data(&visible_lines(e))
        );
    }
    if r.errors.len() > errors_shown {
        let _ = writeln!(
            out,
            "::error title={}::{}",
            property("pullpath: inputs not read"),
            data(&format!(
                "{} more inputs could not be read; every message is in the job's log",
                r.errors.len() - errors_shown
            ))
        );
    }
    if let Some(line) = r.not_expanded_line() {
        let reasons: Vec<String> = r.not_expanded().iter().map(|m| m.to_string()).collect();
        let _ = writeln!(
            out,
            "::warning title={}::{}",
            property("pullpath: resources not expanded"),
            data(&visible_lines(&format!("{line}\n{}", reasons.join("\n"))))
        );
    }
    let notes = r.input_notes();
    if !notes.is_empty() {
        // One annotation: the runner shows only the first few of each kind per step.
        let mut shown: Vec<String> = notes
            .iter()
            .take(20)
            .map(|n| visible(n).into_owned())
            .collect();
        if notes.len() > 20 {
            shown.push(format!(
                "… and {} more (every note is in --format json and sarif)",
                notes.len() - 20
            ));
        }
        let _ = writeln!(
            out,
            "::notice title={}::{}",
            property("pullpath: notes on the input"),
            data(&shown.join("\n"))
        );
    }
    let s = r.summary();
    let summary = if r.net.workloads.is_empty() {
        r.no_workload_line()
    } else {
        format!(
            "{}: {}, {}, {} ({} not decided, {} suppressed)",
            r.read_line(),
            plural(s.errors, "error", "errors"),
            plural(s.warnings, "warning", "warnings"),
            plural(s.notes, "note", "notes"),
            s.unknown,
            s.suppressed
        )
    };
    let command = if r.net.workloads.is_empty() {
        "warning"
    } else {
        "notice"
    };
    let _ = writeln!(
        out,
        "::{command} title={}::{}",
        property("pullpath summary"),
        data(&summary)
    );
    out
}

/// GitHub shows at most this many annotations of each level (error, warning, notice) per step;
/// the rest are dropped without a word.
pub const PER_LEVEL: usize = 10;

/// The findings' annotations: new in this plan first, then by severity, within GitHub's limit
/// per level. The annotations pullpath always writes (input errors, blocks not expanded, notes,
/// the summary) keep their place; past the limit, one annotation of that level says how many
/// findings more there are and where the full report is.
fn findings(out: &mut String, r: &Report<'_>) {
    let mut shown: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .collect();
    // Stable: the report's own order within each group.
    shown.sort_by_key(|f| (f.introduced != Some(true), std::cmp::Reverse(f.severity)));
    let workloads = !r.net.workloads.is_empty();
    for severity in [Severity::Error, Severity::Warning, Severity::Note] {
        let command = level(severity);
        let fixed = match severity {
            Severity::Error => r.errors.len().min(PER_LEVEL - 1),
            Severity::Warning => {
                usize::from(r.not_expanded_line().is_some()) + usize::from(!workloads)
            }
            Severity::Note => usize::from(!r.input_notes().is_empty()) + usize::from(workloads),
        };
        let room = PER_LEVEL.saturating_sub(fixed);
        let of_level: Vec<&&Finding> = shown.iter().filter(|f| f.severity == severity).collect();
        let (take, more) = if of_level.len() <= room {
            (of_level.len(), 0)
        } else {
            let take = room.saturating_sub(1);
            (take, of_level.len() - take)
        };
        for f in of_level.iter().take(take) {
            annotation(out, f, r.has_prior());
        }
        if more > 0 {
            let noun = match severity {
                Severity::Error => "errors",
                Severity::Warning => "warnings",
                Severity::Note => "notes",
            };
            let _ = writeln!(
                out,
                "::{command} title={}::{}",
                property(&format!("pullpath: {more} more {noun}")),
                data(&format!(
                    "GitHub shows at most {PER_LEVEL} {command} annotations per step: {more} more \
                     {noun} are not annotated here. The full report is in the job's log \
                     (pullpath check --format text) and in --format sarif or json."
                ))
            );
        }
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

fn annotation(out: &mut String, f: &Finding, new_in_plan: bool) {
    let command = level(f.severity);
    let mut props = Vec::new();
    if let Some(l) = &f.location {
        props.push(format!("file={}", property(&visible(&l.file))));
        props.push(format!("line={}", l.line));
        props.push(format!("col={}", l.column));
    }
    let mut t = title(f);
    if f.verdict == Verdict::Unknown {
        t.push_str(" (not decided)");
    }
    if new_in_plan && f.introduced == Some(true) {
        t.push_str(" (new in this plan)");
    }
    props.push(format!("title={}", property(&t)));
    // The message's own line breaks (before the path and the fix) are pullpath's; those of the
    // input are written visibly first, and `data` then escapes the rest per the runner's rules.
    let mut message = visible(&f.message).into_owned();
    if let Some(call) = &f.module_call {
        // The annotation sits on the module's own file; the inputs are set where it is called.
        let what = f
            .module_name()
            .map_or_else(|| "a module".to_string(), |m| format!("module `{m}`"));
        message.push_str(&format!(
            "\nin {}, called at {}",
            visible(&what),
            visible(&call.to_string())
        ));
    }
    if !f.path.is_empty() {
        let hops: Vec<String> = f
            .path
            .iter()
            .map(|h| visible(&h.to_string()).into_owned())
            .collect();
        message.push_str(&format!("\npath: {}", hops.join(" → ")));
    }
    if !f.fix.is_empty() {
        message.push_str(&format!("\nfix:\n{}", visible_lines(f.fix.trim_end())));
    }
    let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
}

/// Escapes a command's message (GitHub's `escapeData`).
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (GitHub's `escapeProperty`): also `:` and `,`.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(data("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
        assert_eq!(property("dir/a:b,c%.tf\n"), "dir/a%3Ab%2Cc%25.tf%0A");
    }
}
