//! `--format junit`: JUnit XML for GitLab's and Jenkins' test reports.
//!
//! One `<testsuite>` per checked VPC with one `<testcase>` per rule that ran (passing ones
//! included, so that the report shows what was checked), plus a suite for what is checked once
//! per run (PP902, the suppressions) and for findings of no checked VPC. A test case mirrors
//! the gate:
//! - `<failure>` when it has a finding that makes the exit code 1 (at or above `--fail-on`;
//!   with `--unknown fail`, unknown verdicts are errors and fail too), with every finding's
//!   message, path and fix in the body;
//! - `<skipped>` when its only findings are not decided (`--unknown warn`) or suppressed;
//! - passed otherwise; findings below the gate are listed in `<system-out>`.
//!
//! A run that found no workload has one skipped test case that says so, so that the report
//! never shows green for a run that checked nothing.
//!
//! Text from the input (addresses, messages, reasons, paths) is written with
//! [`super::visible`]: its control characters, which XML 1.0 forbids or a CI log would act on,
//! become visible escapes, and no line of the file starts with a workflow command.

use std::fmt::Write as _;

use super::{plural, visible, visible_lines, Report};
use crate::rules::{self, Finding, Rule, Verdict};

/// The suite of what belongs to no checked VPC.
pub const OTHERS: &str = "not in a checked VPC";

pub fn render(r: &Report<'_>) -> String {
    let pp902 = rules::unused_suppression_rule();
    let per_vpc: Vec<&'static Rule> = r
        .rules
        .iter()
        .copied()
        .filter(|x| !std::ptr::eq(*x, pp902))
        .collect();
    let mut suites: Vec<Suite> = Vec::new();
    for v in r.checked_vpcs() {
        let name = r.net.vpc_name(v);
        let findings = r.findings_of(Some(&name));
        suites.push(suite(r, &name, &findings, &per_vpc));
    }
    // Once per run: the suppressions (PP902), and the rules that reported workloads of no
    // checked VPC.
    let others = r.findings_of(None);
    let mut rules: Vec<&'static Rule> = r
        .rules
        .iter()
        .copied()
        .filter(|x| std::ptr::eq(*x, pp902))
        .collect();
    for f in &others {
        if !rules.iter().any(|x| std::ptr::eq(*x, f.rule)) {
            rules.push(f.rule);
        }
    }
    rules.sort_by_key(|x| x.code);
    if !rules.is_empty() {
        suites.push(suite(r, OTHERS, &others, &rules));
    }
    if r.net.workloads.is_empty() {
        suites.push(Suite {
            name: "pullpath".into(),
            cases: vec![Case {
                classname: "pullpath".into(),
                name: "workloads found".into(),
                outcome: Outcome::Skipped(r.read_line()),
                out: String::new(),
            }],
        });
    }
    // Blocks whose instances are not decided: what depends on them is not decided either, and
    // the report must not look complete.
    if let Some(line) = r.not_expanded_line() {
        let reasons: Vec<String> = r
            .not_expanded()
            .iter()
            .map(|m| visible(&m.to_string()).into_owned())
            .collect();
        suites.push(Suite {
            name: "inputs".into(),
            cases: vec![Case {
                classname: "pullpath.inputs".into(),
                name: "resources expanded".into(),
                outcome: Outcome::Skipped(format!("{}: {}", visible(&line), reasons.join("; "))),
                out: r
                    .input_notes()
                    .iter()
                    .map(|n| format!("{}\n", visible(n)))
                    .collect(),
            }],
        });
    }
    for e in &r.errors {
        suites.push(Suite {
            name: "inputs".into(),
            cases: vec![Case {
                classname: "pullpath.inputs".into(),
                name: "input read".into(),
                outcome: Outcome::Error(visible_lines(e).into_owned()),
                out: String::new(),
            }],
        });
    }

    let total = |f: fn(&Outcome) -> bool| -> usize {
        suites
            .iter()
            .flat_map(|s| &s.cases)
            .filter(|c| f(&c.outcome))
            .count()
    };
    let tests = total(|_| true);
    let failures = total(|o| matches!(o, Outcome::Failure { .. }));
    let errors = total(|o| matches!(o, Outcome::Error(_)));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // No `skipped` here: the Jenkins/Ant schema (junit-10.xsd) allows it on `testsuite` only,
    // and `testsuites` takes name, time, tests, failures and errors (tests/reports.rs validates
    // the output against the schema, testdata/schemas/junit-10.xsd).
    let _ = writeln!(
        out,
        "<testsuites name=\"pullpath\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    for s in &suites {
        s.write(&mut out);
    }
    out.push_str("</testsuites>\n");
    // Fixes keep their line breaks, and the input text in them may put `::` at a line's start;
    // CI jobs print JUnit files too.
    super::guard_command_lines(out)
}

struct Suite {
    name: String,
    cases: Vec<Case>,
}

struct Case {
    classname: String,
    name: String,
    outcome: Outcome,
    /// Findings that do not fail the case.
    out: String,
}

enum Outcome {
    Passed,
    Failure { message: String, body: String },
    Skipped(String),
    Error(String),
}

impl Suite {
    fn write(&self, out: &mut String) {
        let count = |f: fn(&Outcome) -> bool| self.cases.iter().filter(|c| f(&c.outcome)).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            attr(&self.name),
            self.cases.len(),
            count(|o| matches!(o, Outcome::Failure { .. })),
            count(|o| matches!(o, Outcome::Error(_))),
            count(|o| matches!(o, Outcome::Skipped(_))),
        );
        for c in &self.cases {
            let open = format!(
                "    <testcase classname=\"{}\" name=\"{}\"",
                attr(&c.classname),
                attr(&c.name)
            );
            if matches!(c.outcome, Outcome::Passed) && c.out.is_empty() {
                let _ = writeln!(out, "{open}/>");
                continue;
            }
            let _ = writeln!(out, "{open}>");
            match &c.outcome {
                Outcome::Passed => {}
                Outcome::Failure { message, body } => {
                    let _ = writeln!(
                        out,
                        "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                        attr(message),
                        attr(&c.name),
                        body_text(body)
                    );
                }
                Outcome::Skipped(message) => {
                    let _ = writeln!(out, "      <skipped message=\"{}\"/>", attr(message));
                }
                Outcome::Error(message) => {
                    let _ = writeln!(
                        out,
                        "      <error message=\"{}\" type=\"input\">{}</error>",
                        attr(message),
                        body_text(message)
                    );
                }
            }
            if !c.out.is_empty() {
                let _ = writeln!(out, "      <system-out>{}</system-out>", body_text(&c.out));
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
}

fn suite(r: &Report<'_>, name: &str, findings: &[&Finding], rules: &[&'static Rule]) -> Suite {
    let cases = rules
        .iter()
        .map(|rule| {
            let mine: Vec<&Finding> = findings
                .iter()
                .copied()
                .filter(|f| std::ptr::eq(f.rule, *rule))
                .collect();
            let failing: Vec<&Finding> = mine.iter().copied().filter(|f| r.counts(f)).collect();
            let rest: Vec<&Finding> = mine.iter().copied().filter(|f| !r.counts(f)).collect();
            let outcome = if let Some(first) = failing.first() {
                let mut body = String::new();
                for f in &failing {
                    describe(&mut body, r, f);
                }
                Outcome::Failure {
                    message: if failing.len() == 1 {
                        format!("{}: {}", visible(&first.resource), visible(&first.message))
                    } else {
                        format!(
                            "{} fail {}: {}",
                            plural(failing.len(), "finding", "findings"),
                            rule.code,
                            failing
                                .iter()
                                .map(|f| visible(&f.resource))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                    body,
                }
            } else if !rest.is_empty()
                && rest
                    .iter()
                    .all(|f| f.suppressed.is_some() || f.verdict == Verdict::Unknown)
            {
                let unknown = rest
                    .iter()
                    .filter(|f| f.suppressed.is_none() && f.verdict == Verdict::Unknown)
                    .count();
                let suppressed = rest.iter().filter(|f| f.suppressed.is_some()).count();
                let mut parts = Vec::new();
                if unknown > 0 {
                    parts.push(format!("{unknown} not decided from the input"));
                }
                if suppressed > 0 {
                    parts.push(format!("{suppressed} suppressed"));
                }
                Outcome::Skipped(parts.join(", "))
            } else {
                Outcome::Passed
            };
            let mut out = String::new();
            for f in &rest {
                describe(&mut out, r, f);
            }
            Case {
                classname: format!("pullpath.{}", visible(name)),
                name: format!("{} {}", rule.code, rule.name),
                outcome,
                out,
            }
        })
        .collect();
    Suite {
        name: visible(name).into_owned(),
        cases,
    }
}

/// A finding as plain text: severity, resource, message, path and fix.
fn describe(out: &mut String, r: &Report<'_>, f: &Finding) {
    let mut tags = vec![f.severity.to_string()];
    if f.verdict == Verdict::Unknown {
        tags.push("not decided".into());
    }
    if r.has_prior() && f.introduced == Some(true) {
        tags.push("new in this plan".into());
    }
    if let Some(s) = &f.suppressed {
        tags.push(format!("suppressed: {}", visible(&s.reason)));
    }
    let _ = writeln!(out, "{} [{}]", visible(&f.resource), tags.join("; "));
    let _ = writeln!(out, "{}", visible(&f.message));
    if !f.path.is_empty() {
        let hops: Vec<String> = f
            .path
            .iter()
            .map(|h| visible(&h.to_string()).into_owned())
            .collect();
        let _ = writeln!(out, "path: {}", hops.join(" -> "));
    }
    if let Some(l) = &f.location {
        let _ = writeln!(out, "source: {}", l.with_file(visible(&l.file)));
    }
    if !f.fix.is_empty() {
        let _ = writeln!(out, "fix:\n{}", visible_lines(f.fix.trim_end()));
    }
    out.push('\n');
}

/// Text that XML 1.0 accepts: control characters other than tab, newline and carriage return
/// are replaced.
fn clean(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().map(|c| match c {
        '\t' | '\n' | '\r' => c,
        c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
        c => c,
    })
}

/// An attribute value, escaped (newlines as character references so they survive parsing).
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// Element text, escaped.
fn body_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s.trim_end()) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything() {
        assert_eq!(
            attr("a<b>&\"c\"\n'\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#10;&apos;\u{FFFD}"
        );
        assert_eq!(
            body_text("x < y && z\u{0}\n\n"),
            "x &lt; y &amp;&amp; z\u{FFFD}"
        );
    }
}
