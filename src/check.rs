//! The check of a read model: runs the rules over its network and turns their verdicts into the
//! findings of the report, by one path for every format: "new in this plan", suppressions,
//! severity overrides, `--unknown`, then sorted.

use std::collections::{BTreeMap, HashSet};

use clap::ValueEnum;

use crate::graph::{self, BuildOptions, Network};
use crate::model::Model;
use crate::report;
use crate::rules::analysis::Facts;
use crate::rules::{self, CheckOptions, Finding, Severity, Verdict};
use crate::settings::Settings;
use crate::suppress;
use crate::worlds;

/// `--fail-on` (and `fail_on` in `.pullpath.hcl`): the lowest severity that makes the exit
/// code 1.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    /// The severity at or above which findings fail the run; `None` for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        }
    }
}

/// `--unknown` (and `unknown` in `.pullpath.hcl`): how a check that cannot be decided is
/// reported (see [`run`]).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownPolicy {
    Warn,
    Fail,
    Ignore,
}

/// What a check found: the findings of the report, and what the reports say besides.
pub struct Checked {
    /// Every finding, suppressed ones included, sorted.
    pub findings: Vec<Finding>,
    /// The VPCs whose internet route depends on instances that may exist, with the reason
    /// (see [`crate::worlds`]).
    pub routes_undecided: BTreeMap<String, String>,
    /// The facts the rules computed for each workload VPC (reach and needs per workload): the
    /// reports read them instead of running the analysis again.
    pub facts: Facts,
}

/// Runs the rules and turns their verdicts into the findings of the report: "new in this plan",
/// suppressions, severity overrides, `--unknown`, in that order, then sorted.
pub fn run(model: &Model, net: &Network, settings: &Settings) -> Checked {
    let opts = settings.check_options();
    let outcome = worlds::check(net, model, &settings.build, &opts);
    let mut findings = outcome.findings;
    mark_introduced(&mut findings, model, &settings.build, &opts);
    mark_module_calls(&mut findings, model);
    suppress::apply(
        &mut findings,
        model,
        settings.config.as_ref(),
        &settings.rules,
        settings.today,
    );
    for f in &mut findings {
        if f.verdict == Verdict::Fail {
            if let Some((_, s)) = settings
                .severities
                .iter()
                .find(|(r, _)| std::ptr::eq(*r, f.rule))
            {
                f.severity = *s;
            }
        }
    }
    let mut findings = apply_unknown_policy(findings, settings.unknown);
    report::sort_findings(&mut findings);
    Checked {
        findings,
        routes_undecided: outcome.routes_undecided,
        facts: outcome.facts,
    }
}

/// The findings of [`run`] alone.
pub fn evaluate(model: &Model, net: &Network, settings: &Settings) -> Vec<Finding> {
    run(model, net, settings).findings
}

/// Gives each finding located in a module the location of the root module's call of that
/// module (see [`crate::model::Resource::module_call`]).
fn mark_module_calls(findings: &mut [Finding], model: &Model) {
    for f in findings {
        let (Some(i), Some(_)) = (f.input, &f.location) else {
            continue;
        };
        let Some(r) = model.lookup_index(i, model.local_address(i, &f.resource)) else {
            continue;
        };
        f.module_call = model.resources[r].module_call().cloned();
    }
}

/// Marks each finding as introduced by the plan (absent from the prior state's findings).
fn mark_introduced(
    findings: &mut [Finding],
    model: &Model,
    build: &BuildOptions,
    opts: &CheckOptions,
) {
    let Some(prior) = model.prior.as_deref() else {
        return;
    };
    let prior_net = graph::build(prior, build);
    let before: HashSet<(&'static str, String)> = rules::check(&prior_net, opts)
        .into_iter()
        .map(|f| (f.rule.code, f.resource))
        .collect();
    for f in findings {
        f.introduced = Some(!before.contains(&(f.rule.code, f.resource.clone())));
    }
}

/// `--unknown`: unknown verdicts are warnings, errors, or dropped. A workload whose network
/// could not be resolved (PP901) is a check that could not be decided at all: with
/// `--unknown fail` it fails the run like any unknown verdict (it stays a warning otherwise,
/// and is never dropped: it is what tells the user that a workload went unchecked).
fn apply_unknown_policy(findings: Vec<Finding>, policy: UnknownPolicy) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            if f.rule.code == "PP901" && f.verdict == Verdict::Fail {
                if policy == UnknownPolicy::Fail {
                    f.severity = Severity::Error;
                }
                return Some(f);
            }
            if f.verdict == Verdict::Unknown {
                match policy {
                    UnknownPolicy::Warn => f.severity = Severity::Warning,
                    UnknownPolicy::Fail => f.severity = Severity::Error,
                    UnknownPolicy::Ignore => return None,
                }
            }
            Some(f)
        })
        .collect()
}
