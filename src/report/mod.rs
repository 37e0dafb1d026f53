//! Reports: what a run found, in the formats of the places pullpath runs.

pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod rules_doc;
pub mod sarif;
pub mod text;

use crate::hash::FastMap;
use std::sync::OnceLock;

use crate::graph::{Fact, Network, Node, VpcIdx};
use crate::model::{MayExist, Model};
use crate::rules::analysis::Facts;
use crate::rules::{Finding, Rule, Severity, Verdict};

/// Everything a report format needs.
pub struct Report<'a> {
    pub model: &'a Model,
    pub net: &'a Network,
    /// Every finding, suppressed ones included, sorted.
    pub findings: Vec<Finding>,
    /// Inputs that could not be read, with their messages.
    pub errors: Vec<String>,
    /// Findings at or above this severity make the exit code 1 (`None`: never).
    pub fail_on: Option<Severity>,
    pub fail_on_new_only: bool,
    pub strict: bool,
    /// The rules that ran, in code order (JUnit reports each one per VPC).
    pub rules: Vec<&'static Rule>,
    /// What the report knows per VPC: the findings of each VPC, and the facts the check
    /// computed (see [`PerVpc`]).
    pub by_vpc: PerVpc,
    /// VPCs (by name) whose internet route depends on instances that may exist, with the
    /// reason (see [`crate::worlds`]).
    pub routes_undecided: std::collections::BTreeMap<String, String>,
}

/// What a report knows per VPC.
#[derive(Default)]
pub struct PerVpc {
    /// The findings of each VPC by name, built on first use (`findings` must not change after
    /// that). Without it, a report of many VPCs would scan all findings once per VPC.
    findings: OnceLock<FastMap<String, Vec<usize>>>,
    /// The facts the check computed for each workload VPC (reach and needs per workload).
    facts: OnceLock<Facts>,
}

impl PerVpc {
    /// With the facts that [`crate::check::run`] returned with the findings.
    pub fn with_facts(facts: Facts) -> PerVpc {
        PerVpc {
            findings: OnceLock::new(),
            facts: OnceLock::from(facts),
        }
    }
}

/// Counts of the findings that are not suppressed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub vpcs: usize,
    pub workloads: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub unknown: usize,
    pub suppressed: usize,
    /// Resource blocks and module calls whose `count` / `for_each` is not decided.
    pub not_expanded: usize,
}

impl<'a> Report<'a> {
    /// The VPCs that were checked: those with workloads.
    pub fn checked_vpcs(&self) -> Vec<VpcIdx> {
        (0..self.net.vpcs.len())
            .filter(|&v| !self.net.vpcs[v].workloads.is_empty())
            .collect()
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            vpcs: self.checked_vpcs().len(),
            workloads: self.net.workloads.len(),
            not_expanded: self.not_expanded().len(),
            ..Summary::default()
        };
        for f in &self.findings {
            if f.suppressed.is_some() {
                s.suppressed += 1;
                continue;
            }
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Note => s.notes += 1,
            }
            if f.verdict == Verdict::Unknown {
                s.unknown += 1;
            }
        }
        s
    }

    /// Every block whose instances are not decided, over all inputs, in input order.
    pub fn not_expanded(&self) -> Vec<&MayExist> {
        self.model
            .inputs
            .iter()
            .flat_map(|i| i.not_expanded.iter())
            .collect()
    }

    /// `2 resources could not be expanded (…): a[*], b[*]`, or `None` when every block was.
    /// The reasons are in the notes.
    pub fn not_expanded_line(&self) -> Option<String> {
        let list = self.not_expanded();
        if list.is_empty() {
            return None;
        }
        let names: Vec<&str> = list.iter().map(|m| m.what.as_str()).collect();
        Some(format!(
            "{} could not be expanded (`count` / `for_each` not decided); each is checked as one \
             instance that may exist, and a verdict that depends on it is unknown: {}",
            plural(list.len(), "resource", "resources"),
            names.join(", ")
        ))
    }

    /// The notes of every input (what could not be read or was assumed), each with its input
    /// when there are several: they can change a verdict, so every format shows them.
    pub fn input_notes(&self) -> Vec<String> {
        let several = self.model.inputs.len() > 1;
        self.model
            .inputs
            .iter()
            .flat_map(|i| {
                i.notes.iter().map(move |n| {
                    if several {
                        format!("{}: {n}", i.path)
                    } else {
                        n.clone()
                    }
                })
            })
            .collect()
    }

    /// Why the instance behind a node may not exist, when it may not.
    pub fn may_exist(&self, node: &Node) -> Option<&MayExist> {
        node.resource
            .and_then(|i| self.model.resources.get(i))
            .and_then(|r| r.may_exist())
    }

    /// Whether the input has a state before the plan, so that findings can be "new in this plan".
    pub fn has_prior(&self) -> bool {
        self.model.prior.is_some()
    }

    /// Unsuppressed findings that the plan introduces.
    pub fn introduced(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.suppressed.is_none() && f.introduced == Some(true))
    }

    /// The facts of each workload VPC: those the check computed; for a report built without
    /// them (`PerVpc::default()`), computed once from the graph by the same analysis.
    pub fn facts(&self) -> &Facts {
        self.by_vpc.facts.get_or_init(|| Facts::of(self.net))
    }

    fn by_vpc(&self) -> &FastMap<String, Vec<usize>> {
        self.by_vpc.findings.get_or_init(|| {
            let mut map: FastMap<String, Vec<usize>> = FastMap::default();
            for (i, f) in self.findings.iter().enumerate() {
                if let Some(v) = &f.vpc {
                    match map.get_mut(v.as_str()) {
                        Some(list) => list.push(i),
                        None => {
                            map.insert(v.clone(), vec![i]);
                        }
                    }
                }
            }
            map
        })
    }

    /// The findings of one VPC (by name), or of no checked VPC (`None`), in report order.
    pub fn findings_of(&self, vpc: Option<&str>) -> Vec<&Finding> {
        match vpc {
            Some(name) => self
                .by_vpc()
                .get(name)
                .map(|list| list.iter().map(|&i| &self.findings[i]).collect())
                .unwrap_or_default(),
            None => {
                let checked: crate::hash::FastSet<String> = self
                    .checked_vpcs()
                    .into_iter()
                    .map(|v| self.net.vpc_name(v))
                    .collect();
                self.findings
                    .iter()
                    .filter(|f| f.vpc.as_ref().is_none_or(|n| !checked.contains(n)))
                    .collect()
            }
        }
    }

    /// The one-line count of what was read and checked, shared by the text and markdown
    /// reports. A run that found no workload says so plainly.
    pub fn read_line(&self) -> String {
        let s = self.summary();
        let read = format!(
            "{} read ({})",
            plural(self.model.inputs.len(), "input", "inputs"),
            plural(self.net.resources_read, "resource", "resources")
        );
        if self.net.workloads.is_empty() {
            // An input that could not be read may define the workloads: advising --workload
            // would point away from the real problem.
            if !self.errors.is_empty() {
                return format!(
                    "{read}; no workload found in what was read, and {} could not be read, so no pull path was checked",
                    plural(self.errors.len(), "input", "inputs")
                );
            }
            return format!("{read}; no workload found (no ECS service, Batch compute environment, or ECS task started by EventBridge, EventBridge Scheduler, Step Functions or Pipes), so no pull path was checked. Declare workloads the input does not define with --workload VPC=PLATFORM.");
        }
        format!(
            "{read}; {} with {} checked",
            plural(s.vpcs, "VPC", "VPCs"),
            plural(s.workloads, "workload", "workloads")
        )
    }

    /// The counts of the unsuppressed findings: `1 error, 0 warnings, 0 notes (0 unknown, 0
    /// suppressed)`.
    pub fn counts_line(&self) -> String {
        let s = self.summary();
        format!(
            "{}, {}, {} ({} unknown, {} suppressed)",
            plural(s.errors, "error", "errors"),
            plural(s.warnings, "warning", "warnings"),
            plural(s.notes, "note", "notes"),
            s.unknown,
            s.suppressed
        )
    }

    /// The summary of a run without workloads: what was read, and what the checks that need
    /// no workload (IAM push policies, suppressions) found.
    pub fn no_workload_line(&self) -> String {
        if self.findings.is_empty() {
            self.read_line()
        } else {
            format!(
                "{} The checks that need no workload (IAM push policies, suppressions): {}",
                self.read_line(),
                self.counts_line()
            )
        }
    }

    /// `pass`, `fail` or `unknown` for a VPC, from its unsuppressed findings. A VPC fails
    /// where a finding at or above the gate's threshold (`--fail-on`) fails, as the exit code
    /// does: a VPC with only warnings under `--fail-on error` is not labelled FAIL while the
    /// gate passes. (`--fail-on never` keeps the default threshold for the label: the label
    /// says what was found, the gate whether it stops the run.)
    pub fn vpc_verdict(&self, v: VpcIdx) -> &'static str {
        let name = self.net.vpc_name(v);
        let threshold = self.fail_on.unwrap_or(Severity::Error);
        let mine = self
            .findings_of(Some(&name))
            .into_iter()
            .filter(|f| f.suppressed.is_none());
        let mut verdict = "pass";
        for f in mine {
            match f.verdict {
                Verdict::Fail if f.severity >= threshold => return "fail",
                Verdict::Unknown => verdict = "unknown",
                _ => {}
            }
        }
        verdict
    }

    /// Whether every workload of the VPC reaches the internet (`None`: not decided, also when
    /// it depends on instances that may exist).
    pub fn internet_route(&self, v: VpcIdx) -> Option<bool> {
        if self.routes_undecided.contains_key(&self.net.vpc_name(v)) {
            return None;
        }
        self.facts().internet_route(v)
    }

    /// Whether a finding counts for the exit code.
    pub fn counts(&self, f: &Finding) -> bool {
        let Some(threshold) = self.fail_on else {
            return false;
        };
        f.suppressed.is_none()
            && f.severity >= threshold
            && !(self.fail_on_new_only && f.introduced == Some(false))
    }

    /// 0, 1 or 2: see the exit codes of docs/contract.md.
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            2
        } else if self.findings.iter().any(|f| self.counts(f)) {
            1
        } else {
            0
        }
    }

    /// The platform of a workload, as the report spells it.
    pub fn platform(&self, w: usize) -> String {
        match &self.net.workloads[w].platform {
            Fact::Known(p) => p.as_str().to_string(),
            Fact::Unknown(_) => "unknown".to_string(),
        }
    }
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The deterministic order of findings (docs/contract.md): VPC, rule, resource, then workload and
/// message; findings of no VPC last.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            a.vpc.as_deref().unwrap_or("\u{10FFFF}"),
            a.rule.code,
            &a.resource,
            &a.workload,
            &a.message,
        )
            .cmp(&(
                b.vpc.as_deref().unwrap_or("\u{10FFFF}"),
                b.rule.code,
                &b.resource,
                &b.workload,
                &b.message,
            ))
    });
}

/// A finding's label: `PP401 s3-policy-blocks-layer-bucket`.
pub fn title(f: &Finding) -> String {
    format!("{} {}", f.rule.code, f.rule.name)
}

/// Whether a character must not reach a report raw: C0 controls (newlines and tabs included),
/// DEL, C1 controls, the Unicode line and paragraph separators, and the bidirectional
/// overrides and isolates that can make a line read differently from what it contains
/// ("Trojan source"), plus the invisible marks that steer them.
pub fn is_hostile_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}' | '\u{200f}'
        | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

/// Text from the input, made safe for a line of a report or a log: every character of
/// [`is_hostile_char`] is written visibly (`\n`, `\r`, `\t`, else `\u{1b}`), so that a value can
/// neither start a line of its own (a GitHub Actions `::command::` is executed from any line of a
/// log), colour or clear a terminal, nor reorder what a reviewer reads; and `##[`, the runner's
/// older command form that it executes anywhere in a line, is broken up as `##\[`.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    escape_chars(s, false)
}

/// As [`visible`], but keeps `\n`: for pullpath's own multi-line text (fixes) whose lines are
/// each indented or fenced by the renderer.
pub fn visible_lines(s: &str) -> std::borrow::Cow<'_, str> {
    escape_chars(s, true)
}

fn escape_chars(s: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    let hostile = |c: char| is_hostile_char(c) && !(keep_newlines && c == '\n');
    if !s.chars().any(hostile) && !s.contains("##[") {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '[' if out.ends_with("##") => out.push_str("\\["),
            '\n' if !keep_newlines => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' if !keep_newlines => out.push_str("\\t"),
            c if hostile(c) && c != '\t' => {
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A report's lines, guarded: a line whose text (after indentation) starts with `::` gets a `\`
/// before it. The runner of GitHub Actions trims a log line's leading whitespace and executes it
/// as a workflow command when it then starts with `::`; pullpath's own lines never do, so such a
/// line carries input text (a long message wrapped at a space before `::error::…`).
pub fn guard_command_lines(text: String) -> String {
    if !text.lines().any(|l| l.trim_start().starts_with("::")) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        let body = line.trim_start();
        if body.starts_with("::") {
            out.push_str(&line[..line.len() - body.len()]);
            out.push('\\');
            out.push_str(body);
        } else {
            out.push_str(line);
        }
    }
    out
}
