//! `--format markdown`: the pull-request comment.
//!
//! Layout: the hidden marker `<!-- pullpath -->` first (a bot finds and updates its own comment
//! by it), a one-line verdict that leads with what this plan introduces, the findings new in
//! this plan, then per checked VPC a table of its workloads, a table of the endpoints they need
//! with a status each, a Mermaid picture of the pull path with the broken hops drawn in red
//! (failing VPCs only) and the findings already present; each finding in a `<details>` block
//! with its path and fix. The comment stays within GitHub's limit of 65,536 characters: when
//! the full form does not fit, fixes, then pictures, then finding details are left out, and the
//! comment says so.
//!
//! This module assembles the comment; its parts live in:
//! - `verdict`: the one-line verdict and its counts;
//! - `tables`: a VPC's workload and endpoint tables, and the suppressed findings' table;
//! - `diagram`: the Mermaid picture of a VPC's pull path, broken hops marked;
//! - `finding`: one finding as a `<details>` block or a line, and its fix;
//! - `budget`: how much detail fits within the size limit;
//! - `escape`: input text made inert as markdown, code spans and HTML.

mod budget;
mod diagram;
mod escape;
mod finding;
mod tables;
mod verdict;

use std::fmt::Write as _;

use super::{plural, Report};
use crate::graph::VpcIdx;
use crate::rules::Finding;
use budget::Detail;
use escape::code;
use finding::Lister;

pub use budget::render_within;
pub use diagram::vpc_diagram;
pub(crate) use escape::text;
pub use finding::fix_markdown;

/// The first line of every comment.
pub const MARKER: &str = "<!-- pullpath -->";

/// GitHub's limit on a comment body, in characters (UTF-16 code units, to be safe with emoji).
pub const GITHUB_LIMIT: usize = 65_536;

/// Renders the comment, summarised when the full form would exceed [`GITHUB_LIMIT`].
pub fn render(r: &Report<'_>) -> String {
    render_within(r, GITHUB_LIMIT)
}

/// The comment at this level of detail.
fn render_with(r: &Report<'_>, detail: Detail) -> String {
    let mut out = String::new();
    out.push_str(MARKER);
    out.push('\n');
    out.push_str(&verdict::line(r));
    out.push_str("\n\n");
    budget::summarised_note(&mut out, detail);
    let mut lister = Lister::new(detail);

    let new: Vec<&Finding> = r.introduced().collect();
    if r.has_prior() && !new.is_empty() {
        let _ = writeln!(out, "### 🆕 New in this plan\n");
        for f in &new {
            lister.finding(&mut out, r, f);
        }
        lister.flush(&mut out);
    }

    for v in r.checked_vpcs() {
        vpc_section(&mut out, r, v, &mut lister);
    }

    let others: Vec<&Finding> = r
        .findings_of(None)
        .into_iter()
        .filter(|f| f.suppressed.is_none() && !(r.has_prior() && f.introduced == Some(true)))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "### Other findings\n");
        for f in others {
            lister.finding(&mut out, r, f);
        }
        lister.flush(&mut out);
    }

    tables::suppressed(&mut out, r);

    notes_section(&mut out, r);

    if !r.errors.is_empty() {
        let _ = writeln!(out, "### ❌ Inputs that could not be read\n");
        for e in &r.errors {
            let _ = writeln!(out, "- {}", text(e));
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "<sub>{} · mode: {} · pullpath {}</sub>",
        text(&r.read_line()),
        if r.strict { "strict" } else { "reachability" },
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// What could not be expanded, and the inputs' notes (what could not be read, or was assumed):
/// they can change a verdict. The notes are folded, as they can be many.
fn notes_section(out: &mut String, r: &Report<'_>) {
    let notes = r.input_notes();
    let line = r.not_expanded_line();
    if notes.is_empty() && line.is_none() {
        return;
    }
    let _ = writeln!(out, "### ℹ️ Notes on the input\n");
    if let Some(line) = line {
        let _ = writeln!(out, "{}\n", text(&line));
    }
    if !notes.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} (what pullpath could not read, or assumed)</summary>\n",
            plural(notes.len(), "note", "notes")
        );
        for n in &notes {
            let _ = writeln!(out, "- {}", text(n));
        }
        let _ = writeln!(out, "\n</details>\n");
    }
}

/// A checked VPC: its heading, tables, picture and the findings already present.
fn vpc_section(out: &mut String, r: &Report<'_>, v: VpcIdx, lister: &mut Lister) {
    let vpc = &r.net.vpcs[v];
    let name = vpc.node.name();
    let verdict = r.vpc_verdict(v);
    let icon = match verdict {
        "fail" => "❌",
        "unknown" => "❓",
        _ => "✅",
    };
    let mut head = vec![format!("VPC {}", code(&name))];
    if let Some(id) = vpc.node.id.as_ref().filter(|id| **id != name) {
        head.push(code(id));
    }
    if let Some(region) = vpc.region.known() {
        head.push(text(region));
    }
    let _ = writeln!(out, "### {icon} {} · {verdict}\n", head.join(" · "));

    tables::workloads(out, r, v, &name);
    tables::endpoints(out, r, v);
    if r.strict {
        out.push_str("Strict mode: the full endpoint set is required.\n\n");
    }
    if lister.detail.diagrams && verdict == "fail" {
        diagram::mermaid(out, r, v, &name);
    }

    // Findings already present.
    let mine: Vec<&Finding> = r
        .findings_of(Some(&name))
        .into_iter()
        .filter(|f| f.suppressed.is_none() && !(r.has_prior() && f.introduced == Some(true)))
        .collect();
    if !mine.is_empty() {
        let _ = writeln!(
            out,
            "**{}**\n",
            if r.has_prior() {
                "Findings already present before this plan"
            } else {
                "Findings"
            }
        );
        for f in mine {
            lister.finding(out, r, f);
        }
        lister.flush(out);
    }
}
