//! Runs the rules over every workload VPC, the workloads no VPC could be found for, and once
//! globally.

use clap::ValueEnum;

use super::analysis::{Facts, Scope, ScopeKind};
use super::{Finding, Rule};
use crate::graph::Network;

/// `--mode` (and `mode` in `.pullpath.hcl`): `Reachability`, the default, requires endpoints
/// only for workload subnets without an internet route; `Strict` requires the full endpoint set
/// in every workload VPC. (The variants carry no doc comments: clap would print them as help
/// for each value and change `--help`.)
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Reachability,
    Strict,
}

#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub mode: Mode,
    /// The rules to run.
    pub rules: Vec<&'static Rule>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            mode: Mode::Reachability,
            rules: super::ALL.to_vec(),
        }
    }
}

/// Evaluates the rules; findings come back sorted by (VPC, rule, resource).
pub fn check(net: &Network, opts: &CheckOptions) -> Vec<Finding> {
    check_with_facts(net, opts).0
}

/// Evaluates the rules, and returns with the findings the facts of each workload VPC that the
/// rules shared (reach and needs per workload), for the reports.
pub fn check_with_facts(net: &Network, opts: &CheckOptions) -> (Vec<Finding>, Facts) {
    let strict = opts.mode == Mode::Strict;
    let run = |scope: &Scope<'_>, vpc: Option<String>| -> Vec<Finding> {
        let mut out = Vec::new();
        for rule in &opts.rules {
            (rule.check)(scope, &mut out);
        }
        for f in &mut out {
            if f.vpc.is_none() {
                f.vpc.clone_from(&vpc);
            }
        }
        out
    };
    // A VPC without workloads is not checked. VPCs are independent: many are checked on
    // several threads.
    let vpcs: Vec<usize> = (0..net.vpcs.len())
        .filter(|&v| !net.vpcs[v].workloads.is_empty())
        .collect();
    let per_vpc = crate::parallel::map(vpcs, 64, &|v| {
        let scope = Scope::new(net, ScopeKind::Vpc(v), &net.vpcs[v].workloads, strict);
        let found = run(&scope, Some(net.vpc_name(v)));
        (v, found, scope.workloads)
    });
    let mut out: Vec<Finding> = Vec::new();
    let mut facts = Facts::default();
    for (v, found, workloads) in per_vpc {
        out.extend(found);
        facts.vpcs.insert(v, workloads);
    }
    if !net.unplaced.is_empty() {
        let scope = Scope::new(net, ScopeKind::Unplaced, &net.unplaced, strict);
        out.extend(run(&scope, None));
    }
    let scope = Scope::new(net, ScopeKind::Global, &[], strict);
    out.extend(run(&scope, None));
    sort(&mut out);
    (out, facts)
}

/// The deterministic order of findings: VPC, rule, resource, then message.
pub fn sort(findings: &mut [Finding]) {
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
