//! The rule catalog. One rule, one file: each file declares its rule with [`declare_rule!`],
//! whose doc comment is the rule's documentation (`pullpath explain`, the README table, SARIF
//! help), and a `check` function that reads only the graph.
//!
//! A rule evaluates to pass (no finding), fail (a [`Finding`] at the rule's severity) or unknown
//! (a finding with [`Verdict::Unknown`]): a check that depends on something the input does not
//! decide is unknown, never a pass.

pub mod analysis;
mod endpoint_policy;
mod engine;
pub mod evidence;
mod fixes;
mod iam;
mod missing;
mod policy_style;
mod repository;
#[cfg(test)]
pub(crate) mod testing;

mod cross_account_image_not_allowed;
mod ecr_api_endpoint_missing;
mod ecr_dkr_endpoint_missing;
mod ecr_policy_blocks_pull;
mod ecr_public_private_prefix_mixup;
mod ecr_push_permissions_incomplete;
mod ecr_repository_policy_blocks_pull;
mod ecs_agent_endpoints_missing;
mod endpoint_az_coverage;
mod endpoint_policy_rejected;
mod endpoint_private_dns_disabled;
mod endpoint_region_mismatch;
mod endpoint_sg_blocks_https;
mod endpoint_wrong_type;
mod execution_role_cannot_pull;
mod fargate_platform_retired;
mod image_unreachable;
mod logs_endpoint_missing;
mod logs_policy_blocks_logging;
mod nacl_blocks_https;
mod pull_through_cache_first_pull;
mod s3_gateway_endpoint_missing;
mod s3_gateway_not_routed;
mod s3_gateway_would_save_nat;
mod s3_policy_blocks_layer_bucket;
mod secrets_endpoint_missing;
mod unused_suppression;
mod vpc_dns_disabled;
mod vpc_dns_not_amazon_provided;
mod workload_network_unresolved;
mod workload_sg_blocks_https;

use std::fmt;

pub use analysis::Scope;
pub use engine::{check, check_with_facts, sort, CheckOptions, Mode};
pub use evidence::Hop;

use crate::aws::Service;
use crate::graph::Location;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Fail,
    /// The input does not decide it; reported per `--unknown`.
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Fail => "fail",
            Verdict::Unknown => "unknown",
        }
    }
}

/// A rule of the catalog.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: when the rule fails.
    pub summary: &'static str,
    /// The documentation: markdown with the headings `## What it does`, `## Why is this bad?`,
    /// `## Example`, `## How to fix`, `## References`.
    doc: &'static str,
    /// The pull-path services whose missing endpoint the rule reports (PP101–PP106, PP110):
    /// what reports list a finding of the rule under; empty for the other rules.
    pub services: &'static [Service],
    pub check: fn(&Scope<'_>, &mut Vec<Finding>),
}

impl Rule {
    /// The documentation, without the one-space indent of doc comments.
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }

    /// The stable address of the rule's documentation.
    pub fn help_uri(&self) -> String {
        format!(
            "https://github.com/pullpath/pullpath/blob/main/docs/rules.md#{}-{}",
            self.code.to_ascii_lowercase(),
            self.name
        )
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

/// Declares a rule: its doc comment is its documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        $vis:vis static $ident:ident = {
            code: $code:literal,
            name: $name:literal,
            severity: $sev:ident,
            summary: $summary:literal,
            $(services: [$($svc:ident),* $(,)?],)?
            check: $check:path $(,)?
        }
    ) => {
        $vis static $ident: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            name: $name,
            severity: $crate::rules::Severity::$sev,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            services: &[$($($crate::aws::Service::$svc),*)?],
            check: $check,
        };
    };
}
pub(crate) use declare_rule;

/// Every rule, in code order.
pub static ALL: &[&Rule] = &[
    &ecr_dkr_endpoint_missing::RULE,
    &ecr_api_endpoint_missing::RULE,
    &s3_gateway_endpoint_missing::RULE,
    &logs_endpoint_missing::RULE,
    &secrets_endpoint_missing::RULE,
    &ecs_agent_endpoints_missing::RULE,
    &endpoint_wrong_type::RULE,
    &endpoint_region_mismatch::RULE,
    &endpoint_az_coverage::RULE,
    &s3_gateway_would_save_nat::RULE,
    &fargate_platform_retired::RULE,
    &endpoint_private_dns_disabled::RULE,
    &vpc_dns_disabled::RULE,
    &vpc_dns_not_amazon_provided::RULE,
    &s3_gateway_not_routed::RULE,
    &s3_policy_blocks_layer_bucket::RULE,
    &ecr_policy_blocks_pull::RULE,
    &logs_policy_blocks_logging::RULE,
    &execution_role_cannot_pull::RULE,
    &ecr_push_permissions_incomplete::RULE,
    &ecr_public_private_prefix_mixup::RULE,
    &cross_account_image_not_allowed::RULE,
    &ecr_repository_policy_blocks_pull::RULE,
    &endpoint_policy_rejected::RULE,
    &endpoint_sg_blocks_https::RULE,
    &workload_sg_blocks_https::RULE,
    &nacl_blocks_https::RULE,
    &image_unreachable::RULE,
    &pull_through_cache_first_pull::RULE,
    &workload_network_unresolved::RULE,
    &unused_suppression::RULE,
];

/// The rule with this code or name (case-insensitive).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    let q = code_or_name.trim();
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(q) || r.name.eq_ignore_ascii_case(q))
}

/// The rule whose code is `PP902` (used by the suppression layer).
pub fn unused_suppression_rule() -> &'static Rule {
    &unused_suppression::RULE
}

/// A finding: a rule that failed or could not be decided, with its evidence.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    pub verdict: Verdict,
    /// The reported severity (the rule's, or per `--unknown` for unknown verdicts, or a
    /// configuration override).
    pub severity: Severity,
    /// The VPC (address, else id).
    pub vpc: Option<String>,
    /// The resource to change.
    pub resource: String,
    pub workload: Option<String>,
    pub message: String,
    pub location: Option<Location>,
    /// For a resource inside a module: where the root module calls that module, a second
    /// location for reports (set by [`crate::check::run`] from the resource).
    pub module_call: Option<Location>,
    /// The hops from the workload to the failing one.
    pub path: Vec<Hop>,
    pub fix: String,
    /// Absent from the state before the plan (None: the input has no prior state).
    pub introduced: Option<bool>,
    pub suppressed: Option<Suppressed>,
    /// The index of the input the resource comes from, for reports that point at files.
    pub input: Option<usize>,
}

/// Why a finding is suppressed.
#[derive(Clone, Debug, PartialEq)]
pub struct Suppressed {
    pub reason: String,
    /// `true` for `# pullpath:ignore` comments, `false` for configuration `ignore` blocks.
    pub in_source: bool,
}

impl Finding {
    /// A new failing finding at the rule's severity.
    pub fn fail(
        rule: &'static Rule,
        resource: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            rule,
            verdict: Verdict::Fail,
            severity: rule.severity,
            vpc: None,
            resource: resource.into(),
            workload: None,
            message: message.into(),
            location: None,
            module_call: None,
            path: Vec::new(),
            fix: String::new(),
            introduced: None,
            suppressed: None,
            input: None,
        }
    }

    /// A new finding whose verdict the input does not decide.
    pub fn unknown(
        rule: &'static Rule,
        resource: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            verdict: Verdict::Unknown,
            ..Finding::fail(rule, resource, message)
        }
    }

    pub fn with_workload(mut self, w: Option<String>) -> Finding {
        self.workload = w;
        self
    }

    pub fn with_path(mut self, path: Vec<Hop>) -> Finding {
        self.path = path;
        self
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = fix.into();
        self
    }

    /// The name of the root module's call of the module the resource is in (`vpc_endpoints`
    /// for `module.vpc_endpoints.aws_vpc_endpoint.this["s3"]`), when it is in one.
    pub fn module_name(&self) -> Option<&str> {
        // After the root's name in a run of several inputs (`network/module.x…`).
        let local = match self.resource.find("/module.") {
            Some(i) => &self.resource[i + 1..],
            None => &self.resource,
        };
        let rest = local.strip_prefix("module.")?;
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        Some(&rest[..end]).filter(|n| !n.is_empty())
    }

    /// How reports name the module a finding's resource is in, beside its module call:
    /// `module.x`, or "the module" when the address names none.
    pub fn module_label(&self) -> String {
        self.module_name()
            .map_or_else(|| "the module".to_string(), |m| format!("module.{m}"))
    }

    pub fn at(mut self, location: Option<Location>, input: Option<usize>) -> Finding {
        self.location = location;
        self.input = input;
        self
    }
}

#[cfg(test)]
mod module_name_tests {
    use super::*;

    #[test]
    fn the_module_of_a_finding_is_its_outermost_call() {
        let rule = ALL[0];
        let name = |r: &str| Finding::fail(rule, r, "").module_name().map(str::to_string);
        assert_eq!(
            name("module.vpc_endpoints.aws_vpc_endpoint.this[\"s3\"]").as_deref(),
            Some("vpc_endpoints")
        );
        assert_eq!(
            name("module.net[\"a\"].module.sg.aws_security_group.x").as_deref(),
            Some("net")
        );
        assert_eq!(
            name("network/module.net.aws_vpc.this").as_deref(),
            Some("net")
        );
        assert_eq!(name("aws_vpc_endpoint.s3"), None);
        assert_eq!(name("vpc-0123"), None);
    }
}
