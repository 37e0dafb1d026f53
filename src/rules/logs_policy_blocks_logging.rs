use super::analysis::{Scope, Service, Use};
use super::{declare_rule, fixes, Finding, Hop};
use crate::graph::*;
use crate::policy::{self, evaluate, requests, Decision};

declare_rule! {
    /// ## What it does
    /// Evaluates the policy of the `logs` endpoint the workloads use for the calls of the
    /// `awslogs` driver: `logs:CreateLogStream` and `logs:PutLogEvents` on the container's log
    /// group (and `logs:CreateLogGroup` when `awslogs-create-group` is `"true"`).
    ///
    /// ## Why is this bad?
    /// The driver creates its stream before the container starts; a denied call stops the task.
    /// With private DNS on, the endpoint carries the traffic even when a NAT gateway exists.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "logs" {
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.logs"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Principal = "*", Action = "logs:PutLogEvents", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_endpoint_policy" "logs" {
    ///   vpc_endpoint_id = aws_vpc_endpoint.logs.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Principal = "*", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECS Developer Guide: "Send Amazon ECS logs to CloudWatch" (awslogs)
    /// - Amazon CloudWatch Logs User Guide: "Using CloudWatch Logs with interface VPC endpoints"
    pub static RULE = {
        code: "PP403",
        name: "logs-policy-blocks-logging",
        severity: Error,
        summary: "the logs endpoint policy does not allow logs:CreateLogStream and logs:PutLogEvents",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(_) = scope.vpc() else { return };
    let (eps, _) = scope.endpoints_for(Service::Logs);
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
        let at = (ep.node.location.clone(), ep.node.input);
        let (json, parsed, source) = match &ep.policy {
            EndpointPolicy::Default => continue,
            EndpointPolicy::Unknown(why) => {
                out.push(Finding::unknown(&RULE, ep.node.name(), format!("the policy of {} is not known before apply ({why}); it must allow logs:CreateLogStream and logs:PutLogEvents", ep.node.name())).with_workload(Some(w.node.name())).with_path(path).at(at.0, at.1));
                continue;
            }
            EndpointPolicy::Invalid { error, .. } => {
                out.push(
                    Finding::fail(
                        &RULE,
                        ep.node.name(),
                        format!("the policy of {} cannot be read: {error}", ep.node.name()),
                    )
                    .with_workload(Some(w.node.name()))
                    .with_path(path)
                    .at(at.0, at.1),
                );
                continue;
            }
            EndpointPolicy::Document {
                json,
                policy,
                source,
            } => (json, policy, source),
        };
        let doc = match parsed {
            Ok(d) => d,
            Err(err) => {
                out.push(
                    Finding::fail(
                        &RULE,
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
            let principal = requests::pulling_principal(scope.pull_role_arn(uw).as_deref());
            for (group, create) in scope.log_groups(uw) {
                for req in requests::logs_write_requests(
                    &principal,
                    region,
                    group.as_deref(),
                    create,
                    &vpc_key,
                    &vpce_key,
                ) {
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
                    fix = match policy::fix::fix_logs_endpoint_policy(
                        json,
                        &principal,
                        region,
                        group
                            .as_deref()
                            .map(|g| g.replace(policy::UNKNOWN_PART, "*"))
                            .as_deref(),
                        create,
                        &vpc_key,
                        &vpce_key,
                    ) {
                        Ok(fixed) => format!(
                            "the corrected policy:\npolicy = jsonencode({})\n",
                            fixes::pretty(&fixed)
                        ),
                        Err(e) => format!(
                            "allow {} in the policy of {} ({e})",
                            denied.join(", "),
                            ep.node.name()
                        ),
                    };
                }
            }
        }
        statements.sort();
        statements.dedup();
        path.push(Hop::Policy {
            source: source.name(),
            statements,
        });
        let finding = if !denied.is_empty() && definite {
            Finding::fail(
                &RULE,
                ep.node.name(),
                format!(
                    "the policy of {} does not allow {} for {}'s awslogs driver",
                    ep.node.name(),
                    denied.join(", "),
                    w.node.name()
                ),
            )
        } else if !denied.is_empty() || !unknown.is_empty() {
            unknown.sort();
            unknown.dedup();
            Finding::unknown(
                &RULE,
                ep.node.name(),
                format!(
                    "whether the policy of {} allows the awslogs calls is not decided: {}",
                    ep.node.name(),
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
