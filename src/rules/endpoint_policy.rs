//! What PP402 and PP403 share: the policy of each Interface endpoint of a service, evaluated
//! for the requests of the workloads whose traffic goes through it (see
//! [`Scope::endpoint_users`]): one finding per endpoint whose policy is not known, cannot be
//! read, or does not allow a request (fail when a user certainly goes through the endpoint,
//! unknown otherwise), with the corrected policy as the fix.

use serde_json::Value;

use super::analysis::{Scope, Service, Use};
use super::{fixes, Finding, Hop, Rule};
use crate::graph::*;
use crate::policy::fix::FixError;
use crate::policy::{evaluate, Decision, KeyState, PrincipalSpec, Request};

/// The words of a rule's findings.
pub struct Words<'w> {
    /// What the policy must allow, when it is not known: `the ECR pull actions`.
    pub must_allow: &'w str,
    /// The calls in "whether the policy of … allows {calls} is not decided".
    pub calls: &'w str,
    /// What the denied actions are for, in "does not allow … for {workload}'s {purpose}".
    pub purpose: &'w str,
    /// Whether the failing message names the statements that decided.
    pub cite_statements: bool,
    /// Who the fix without a corrected policy allows the actions for (` for the pulling role`).
    pub fix_for: &'w str,
}

/// What a workload's calls through an endpoint are about (its repositories, its log groups),
/// the requests for one of them, and the policy corrected to allow those.
pub struct Calls<'c, T> {
    pub targets: &'c dyn Fn(&Scope<'_>, &Workload) -> Vec<T>,
    pub requests: &'c dyn Fn(&Caller<'_>, &T) -> Vec<Request>,
    pub fix: &'c dyn Fn(&Value, &Caller<'_>, &T) -> Result<Value, FixError>,
}

/// Who makes a workload's calls through an endpoint, and from where.
pub struct Caller<'k> {
    pub principal: &'k PrincipalSpec,
    pub region: &'k str,
    /// `aws:SourceVpc` and `aws:SourceVpce`.
    pub vpc: &'k KeyState,
    pub vpce: &'k KeyState,
}

/// Checks the policies of the endpoints of `svc` for the calls of their users.
pub fn check<T>(
    scope: &Scope<'_>,
    rule: &'static Rule,
    svc: Service,
    words: &Words<'_>,
    calls: &Calls<'_, T>,
    out: &mut Vec<Finding>,
) {
    let Some(_) = scope.vpc() else { return };
    let (eps, _) = scope.endpoints_for(svc);
    for e in eps {
        let ep = &scope.net.endpoints[e];
        let users = scope.endpoint_users(e);
        let Some((f, _)) = users.first() else {
            continue;
        };
        let definite = users.iter().any(|(_, u)| matches!(u, Use::Definite(_)));
        let w = scope.workload(f);
        let mut path = scope.workload_path(f);
        path.push(Hop::Endpoint(ep.node.name()));
        let at = ep.policy_location();
        let (json, parsed, source) = match &ep.policy {
            EndpointPolicy::Default => continue,
            EndpointPolicy::Unknown(why) => {
                out.push(
                    Finding::unknown(
                        rule,
                        ep.node.name(),
                        format!(
                            "the policy of {} is not known before apply ({why}); it must allow {}",
                            ep.node.name(),
                            words.must_allow
                        ),
                    )
                    .with_workload(Some(w.node.name()))
                    .with_path(path)
                    .at(at.0, at.1),
                );
                continue;
            }
            EndpointPolicy::Invalid { error, .. } => {
                out.push(
                    Finding::fail(
                        rule,
                        ep.node.name(),
                        format!("the policy of {} cannot be read: {error}", ep.node.name()),
                    )
                    .with_workload(Some(w.node.name()))
                    .with_path(path)
                    .at(at.0, at.1),
                );
                continue;
            }
            EndpointPolicy::Document(d) => (&d.json, &d.policy, &d.source),
        };
        let doc = match parsed {
            Ok(d) => d,
            Err(err) => {
                out.push(
                    Finding::fail(
                        rule,
                        ep.node.name(),
                        format!(
                            "the policy of {} is not a valid policy document ({err})",
                            ep.node.name()
                        ),
                    )
                    .with_workload(Some(w.node.name()))
                    .with_path(path)
                    .at(at.0, at.1),
                );
                continue;
            }
        };
        let region = scope.region().unwrap_or("us-east-1");
        let (vpc_key, vpce_key) = scope.source_keys(e);
        let mut denied: Vec<String> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        let mut statements: Vec<String> = Vec::new();
        let mut fix = String::new();
        for (uf, _) in &users {
            let uw = scope.workload(uf);
            // A role of the input whose ARN is known only after apply is the reference that
            // gives it: a statement naming that reference names it, one naming another role of
            // the input does not.
            let principal = super::repository::puller(scope, uw);
            let caller = Caller {
                principal: &principal,
                region,
                vpc: &vpc_key,
                vpce: &vpce_key,
            };
            for target in (calls.targets)(scope, uw) {
                for req in (calls.requests)(&caller, &target) {
                    let ev = evaluate(doc, &req);
                    match ev.decision {
                        Decision::Allow => {}
                        Decision::ImplicitDeny | Decision::ExplicitDeny => {
                            if !denied.contains(&req.action) {
                                denied.push(req.action.clone());
                            }
                            statements.extend(ev.deciding.iter().map(|s| s.to_string()));
                        }
                        Decision::Unknown => unknown.extend(ev.unknown_because.clone()),
                    }
                }
                if fix.is_empty() && !denied.is_empty() {
                    fix = match (calls.fix)(json, &caller, &target) {
                        Ok(fixed) => format!(
                            "the corrected policy:\npolicy = jsonencode({})\n",
                            fixes::pretty(&fixed)
                        ),
                        Err(e) => format!(
                            "allow {}{} in the policy of {} ({e})",
                            denied.join(", "),
                            words.fix_for,
                            ep.node.name()
                        ),
                    };
                }
            }
        }
        statements.sort();
        statements.dedup();
        let cited = if !words.cite_statements {
            String::new()
        } else if statements.is_empty() {
            " (no statement allows it)".to_string()
        } else {
            format!(" (decided by {})", statements.join(", "))
        };
        path.push(Hop::Policy {
            source: source.name(),
            statements,
        });
        let finding = if !denied.is_empty() && definite {
            Finding::fail(
                rule,
                ep.node.name(),
                format!(
                    "the policy of {} does not allow {} for {}'s {}{cited}",
                    ep.node.name(),
                    denied.join(", "),
                    w.node.name(),
                    words.purpose
                ),
            )
        } else if !denied.is_empty() || !unknown.is_empty() {
            unknown.sort();
            unknown.dedup();
            Finding::unknown(
                rule,
                ep.node.name(),
                format!(
                    "whether the policy of {} allows {} is not decided: {}",
                    ep.node.name(),
                    words.calls,
                    if unknown.is_empty() {
                        format!("it denies {} but whether the workloads use this endpoint is not decided", denied.join(", "))
                    } else {
                        unknown.join("; ")
                    }
                ),
            )
        } else {
            continue;
        };
        out.push(
            finding
                .with_workload(Some(w.node.name()))
                .with_path(path)
                .with_fix(fix)
                .at(at.0, at.1),
        );
    }
}
