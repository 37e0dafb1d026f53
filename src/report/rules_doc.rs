//! `docs/rules.md`: the rule catalog as one document, generated from the rules' doc comments
//! (the same text as `pullpath explain`). Each rule's section heading is `CODE name`, whose
//! GitHub anchor (`pp101-ecr-dkr-endpoint-missing`) is the fragment of the rule's SARIF
//! `helpUri` ([`crate::rules::Rule::help_uri`]); the doc's own headings are demoted one level
//! to sit inside that section. A test fails when the file differs from [`rules_doc`].

use std::fmt::Write as _;

use crate::rules::{self, Rule};

/// The text of `docs/rules.md`.
pub fn rules_doc() -> String {
    let mut out = String::from("# pullpath rules\n\n");
    out.push_str(
        "<!-- Generated from the rules' doc comments in src/rules/: do not edit.\n\
         `PULLPATH_UPDATE_DOCS=1 cargo test --test rules_doc` writes it again. -->\n\n",
    );
    out.push_str(
        "Every rule pullpath checks, with its documentation: what it checks, why it matters, an\n\
         example, the fix and references. `pullpath explain CODE` prints the same text for one\n\
         rule, and a SARIF result's rule links to its section here (`helpUri`).\n\n\
         Each rule evaluates to pass, fail (a finding at its severity) or **unknown**: a check\n\
         that depends on a value known only after apply, or on a resource outside the input, is\n\
         reported as unknown (a warning by default, see `--unknown`), never as a pass.\n\n",
    );
    out.push_str("## Contents\n\n");
    out.push_str("| code | name | severity | fails when |\n|---|---|---|---|\n");
    for r in rules::ALL {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} |",
            r.code,
            anchor(r),
            r.name,
            r.severity.as_str(),
            r.summary
        );
    }
    for r in rules::ALL {
        out.push('\n');
        section(&mut out, r);
    }
    out
}

/// The fragment of the rule's `helpUri`, which its section heading produces.
fn anchor(r: &Rule) -> String {
    format!("{}-{}", r.code.to_ascii_lowercase(), r.name)
}

/// One rule: its heading, severity and summary, then its documentation one level down.
fn section(out: &mut String, r: &Rule) {
    let _ = writeln!(out, "## {} {}\n", r.code, r.name);
    let _ = writeln!(
        out,
        "Severity: **{}**. Fails when {}.\n",
        r.severity.as_str(),
        r.summary.trim_end_matches('.')
    );
    out.push_str(&demote_headings(&r.doc()));
}

/// Markdown with every ATX heading one level deeper (`## What it does` becomes `###`); lines
/// in fenced code blocks (an HCL `# comment`) are left as they are.
fn demote_headings(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + 64);
    // The open fence: its character and length (CommonMark closes it with a run at least as
    // long of the same character).
    let mut fence: Option<(char, usize)> = None;
    for line in md.lines() {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let run = |c: char| trimmed.chars().take_while(|&x| x == c).count();
        match fence {
            Some((c, n))
                if indent < 4 && run(c) >= n && trimmed.trim_start_matches(c).trim().is_empty() =>
            {
                fence = None;
            }
            Some(_) => {}
            None if indent < 4 => {
                if let Some(c) = ['`', '~'].into_iter().find(|&c| run(c) >= 3) {
                    fence = Some((c, run(c)));
                } else if is_heading(trimmed) {
                    out.push('#');
                }
            }
            None => {}
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Whether a line (without its indent) is an ATX heading: 1 to 6 `#`, then a space or the end.
fn is_heading(line: &str) -> bool {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    (1..=6).contains(&hashes) && line[hashes..].chars().next().is_none_or(|c| c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_go_one_level_down_outside_code() {
        let md = "## What it does\nText #1.\n```hcl\n# a comment\n## not a heading\n```\n\
                  ~~~~\n```\n# still code\n~~~~\n### Deeper\n#hashtag\n    # indented code\n";
        assert_eq!(
            demote_headings(md),
            "### What it does\nText #1.\n```hcl\n# a comment\n## not a heading\n```\n\
             ~~~~\n```\n# still code\n~~~~\n#### Deeper\n#hashtag\n    # indented code\n"
        );
    }

    #[test]
    fn every_rule_has_a_section_under_its_anchor() {
        let doc = rules_doc();
        for r in rules::ALL {
            assert!(doc.contains(&format!("\n## {} {}\n", r.code, r.name)));
            assert!(doc.contains(&format!("(#{})", anchor(r))));
            assert!(r.help_uri().ends_with(&format!("#{}", anchor(r))));
        }
        assert!(!doc.contains("\n## What it does"));
    }
}
