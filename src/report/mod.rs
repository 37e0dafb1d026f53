//! Reports: what a run found, in the formats of the places pullpath runs.

pub mod json;
pub mod text;

use crate::graph::{Fact, Network, VpcIdx};
use crate::model::Model;
use crate::rules::analysis::{reach, Reach};
use crate::rules::{Finding, Severity, Verdict};

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

    /// `pass`, `fail` or `unknown` for a VPC, from its unsuppressed findings.
    pub fn vpc_verdict(&self, v: VpcIdx) -> &'static str {
        let name = self.net.vpc_name(v);
        let mine = self
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none() && f.vpc.as_deref() == Some(name.as_str()));
        let mut verdict = "pass";
        for f in mine {
            match (f.verdict, f.severity) {
                (Verdict::Fail, Severity::Error | Severity::Warning) => return "fail",
                (Verdict::Unknown, _) => verdict = "unknown",
                _ => {}
            }
        }
        verdict
    }

    /// Whether every workload of the VPC reaches the internet (`None`: not decided).
    pub fn internet_route(&self, v: VpcIdx) -> Option<bool> {
        let mut all = true;
        for &w in &self.net.vpcs[v].workloads {
            match reach(self.net, w) {
                Reach::Internet { .. } => {}
                Reach::Private { .. } => return Some(false),
                Reach::Unknown(_) => all = false,
            }
        }
        all.then_some(true)
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

    /// 0, 1 or 2: see DESIGN.md's exit codes.
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
