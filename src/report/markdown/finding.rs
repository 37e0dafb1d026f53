//! A finding in the comment: a `<details>` block with its message, path, source position and
//! fix while the budget allows, else a line; and a fix as markdown (prose, then Terraform or
//! policy in a fenced block).

use std::fmt::Write as _;

use super::budget::Detail;
use super::escape::{code, fence_for, html, markup_like, text};
use crate::report::{plural, visible_lines, Report};
use crate::rules::{Finding, Severity, Verdict};

/// Lists findings: a `<details>` block each while the budget allows, then a line each.
pub(super) struct Lister {
    pub(super) detail: Detail,
    detailed: usize,
    listed: usize,
    omitted: usize,
}

impl Lister {
    /// A lister that has listed nothing yet.
    pub(super) fn new(detail: Detail) -> Lister {
        Lister {
            detail,
            detailed: 0,
            listed: 0,
            omitted: 0,
        }
    }

    /// Lists one finding: in a `<details>` block, as a line, or only counted as left out.
    pub(super) fn finding(&mut self, out: &mut String, r: &Report<'_>, f: &Finding) {
        if self.listed >= self.detail.max_listed {
            self.omitted += 1;
            return;
        }
        self.listed += 1;
        if self.detailed < self.detail.max_details {
            self.detailed += 1;
            details(out, r, f, self.detail.fixes);
        } else {
            let _ = writeln!(
                out,
                "- {} **{}** {} · {}",
                icon(f),
                f.rule.code,
                f.rule.name,
                code(&f.resource)
            );
        }
    }

    /// Ends a list: says how many findings were left out.
    pub(super) fn flush(&mut self, out: &mut String) {
        if self.omitted > 0 {
            let _ = writeln!(
                out,
                "- … and {} more, left out to fit the comment",
                plural(self.omitted, "finding", "findings")
            );
            self.omitted = 0;
        }
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
    }
}

fn icon(f: &Finding) -> &'static str {
    if f.verdict == Verdict::Unknown {
        return "❓";
    }
    match f.severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Note => "ℹ️",
    }
}

/// One finding in a `<details>` block: the summary line, the message, the path, the source
/// position and the fix.
fn details(out: &mut String, r: &Report<'_>, f: &Finding, fixes: bool) {
    let mut tags = Vec::new();
    if f.verdict == Verdict::Unknown {
        tags.push(format!("{}, not decided", f.severity));
    } else {
        tags.push(f.severity.to_string());
    }
    if r.has_prior() && f.introduced == Some(true) {
        tags.push("new in this plan".into());
    }
    let _ = writeln!(
        out,
        "<details>\n<summary>{} <b>{}</b> {} · <code>{}</code> · {}</summary>\n",
        icon(f),
        f.rule.code,
        f.rule.name,
        html(&f.resource),
        tags.join(" · ")
    );
    let _ = writeln!(out, "{}\n", text(&f.message));
    if !f.path.is_empty() {
        let hops: Vec<String> = f.path.iter().map(|h| code(&h.to_string())).collect();
        let _ = writeln!(out, "**Path:** {}\n", hops.join(" → "));
    }
    if let Some(l) = &f.location {
        let _ = writeln!(out, "**Source:** {}\n", code(&l.to_string()));
    }
    if let Some(call) = &f.module_call {
        let what = f.module_label();
        let _ = writeln!(
            out,
            "**Module call:** in {}, called at {}\n",
            code(&what),
            code(&call.to_string())
        );
    }
    if !f.fix.is_empty() {
        if fixes {
            let fix = fix_markdown(&f.fix);
            let sep = if fix.starts_with('\n') { "" } else { " " };
            let _ = writeln!(out, "**Fix:**{sep}{fix}");
        } else {
            let _ = writeln!(
                out,
                "**Fix:** left out to fit the comment; `pullpath check` shows it.\n"
            );
        }
    }
    out.push_str("</details>\n\n");
}

/// A fix as markdown: its prose as text, its Terraform or policy in a fenced block (`hcl` or
/// `json`). Fixes are prose, code, or a line of prose ending in `:` followed by code.
pub fn fix_markdown(fix: &str) -> String {
    let fix = fix.trim_end();
    let (prose, code) = split_fix(fix);
    let mut out = String::new();
    if let Some(p) = prose {
        out.push_str(&text(p.trim()));
    }
    if let Some(c) = code {
        // `{` opens JSON, or an HCL object (a statement to add inside `jsonencode`).
        let lang = if c.trim_start().starts_with(['{', '['])
            && serde_json::from_str::<serde_json::Value>(c).is_ok()
        {
            "json"
        } else {
            "hcl"
        };
        let c = visible_lines(c);
        if markup_like(&c) {
            // Input text in the code (a policy's Sid, an image): a fence would keep `<!--` or
            // `<img` raw in the comment's source; a `<pre>` block shows the same with entities.
            let _ = write!(out, "\n\n<pre><code>{}</code></pre>", html(&c));
        } else {
            let fence = fence_for(&c);
            let _ = write!(out, "\n\n{fence}{lang}\n{c}\n{fence}");
        }
    }
    out.push('\n');
    out
}

/// (prose, code) of a fix.
fn split_fix(fix: &str) -> (Option<&str>, Option<&str>) {
    let first = fix.lines().next().unwrap_or("");
    if first.trim_end().ends_with(':') && fix.len() > first.len() + 1 {
        let rest = fix[first.len() + 1..].trim_end_matches('\n');
        if looks_like_code(rest) {
            return (Some(first), Some(rest));
        }
    }
    if looks_like_code(fix) {
        (None, Some(fix))
    } else {
        (Some(fix), None)
    }
}

/// Whether text starts like HCL or JSON: a block, a comment, `key = …`, or `{` / `[`.
fn looks_like_code(s: &str) -> bool {
    let first = s.trim_start().lines().next().unwrap_or("");
    if first.starts_with(['{', '[', '#']) || first.starts_with("//") {
        return true;
    }
    let word = first
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    if matches!(
        word,
        "resource" | "data" | "module" | "locals" | "variable" | "output" | "provider"
    ) && first.trim_end().ends_with('{')
    {
        return true;
    }
    // A nested block: `statement {`, `principals {`.
    if !word.is_empty() && first.trim() == format!("{word} {{") {
        return true;
    }
    first.split_once(" = ").is_some_and(|(k, _)| {
        let k = k.trim();
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_split_into_prose_and_code() {
        assert_eq!(
            fix_markdown("{\n  \"Version\": \"2012-10-17\"\n}\n"),
            "\n\n```json\n{\n  \"Version\": \"2012-10-17\"\n}\n```\n"
        );
        assert_eq!(
            fix_markdown("resource \"aws_vpc_endpoint\" \"x\" {\n}"),
            "\n\n```hcl\nresource \"aws_vpc_endpoint\" \"x\" {\n}\n```\n"
        );
        assert_eq!(
            fix_markdown("  private_dns_enabled = true\n"),
            "\n\n```hcl\n  private_dns_enabled = true\n```\n"
        );
        assert_eq!(
            fix_markdown("the corrected policy:\npolicy = jsonencode({})"),
            "the corrected policy:\n\n```hcl\npolicy = jsonencode({})\n```\n"
        );
        assert_eq!(
            fix_markdown("set execution_role_arn to a role with <the policy>"),
            "set execution_role_arn to a role with &lt;the policy&gt;\n"
        );
        assert_eq!(
            fix_markdown("replicate the repository into us-west-2 and use it, or give the workload an internet route"),
            "replicate the repository into us-west-2 and use it, or give the workload an internet route\n"
        );
        assert_eq!(
            fix_markdown("add this object to the Statement list:\n{\n  Sid = \"A\"\n}\n"),
            "add this object to the Statement list:\n\n```hcl\n{\n  Sid = \"A\"\n}\n```\n"
        );
        assert_eq!(
            fix_markdown("add this statement to data.x:\nstatement {\n  sid = \"A\"\n}\n"),
            "add this statement to data.x:\n\n```hcl\nstatement {\n  sid = \"A\"\n}\n```\n"
        );
        assert_eq!(fence_for("a ``` b"), "````");
        assert_eq!(fence_for("plain"), "```");
    }
}
