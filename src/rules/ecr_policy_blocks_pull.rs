use super::analysis::{Scope, Service, Use};
use super::{declare_rule, fixes, Finding, Hop};
use crate::graph::*;
use crate::policy::{self, evaluate, requests, Decision};

declare_rule! {
    /// ## What it does
    /// Evaluates the policies of the `ecr.api` and `ecr.dkr` endpoints the workloads use for the
    /// calls of an image pull by the pulling role (the task execution role on Fargate):
    /// `ecr:GetAuthorizationToken` on `*`, `ecr:BatchGetImage` and
    /// `ecr:GetDownloadUrlForLayer` on the image's repository.
    ///
    /// ## Why is this bad?
    /// An endpoint policy is a second gate after IAM: a call it does not allow is denied even
    /// when the role may make it. A Deny-only policy (such as the "generic endpoint policy" of
    /// terraform-aws-modules/vpc's example) denies everything, and one that allows only
    /// `ecr:BatchGetImage` breaks authentication. With private DNS on, the endpoint carries the
    /// traffic even when a NAT gateway exists.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "ecr_api" {
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.ecr.api"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Deny", Principal = "*", Action = "*", Resource = "*",
    ///                    Condition = { StringNotEquals = { "aws:SourceVpc" = "vpc-0123456789abcdef0" } } }]
    ///   })
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Allow the pull actions (pullpath prints the corrected document):
    /// ```hcl
    /// resource "aws_vpc_endpoint_policy" "ecr_api" {
    ///   vpc_endpoint_id = aws_vpc_endpoint.ecr_api.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    ///       Resource  = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECR User Guide: "Amazon ECR interface VPC endpoints (AWS PrivateLink)",
    ///   "Create an endpoint policy for your Amazon ECR VPC endpoints"
    /// - AWS PrivateLink Guide: "Control access to VPC endpoints using endpoint policies"
    pub static RULE = {
        code: "PP402",
        name: "ecr-policy-blocks-pull",
        severity: Error,
        summary: "an ecr.api / ecr.dkr endpoint policy does not allow ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(_) = scope.vpc() else { return };
    for svc in [Service::EcrApi, Service::EcrDkr] {
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
            let at = (ep.node.location.clone(), ep.node.input);
            let (json, parsed, source) = match &ep.policy {
                EndpointPolicy::Default => continue,
                EndpointPolicy::Unknown(why) => {
                    out.push(Finding::unknown(&RULE, ep.node.name(), format!("the policy of {} is not known before apply ({why}); it must allow the ECR pull actions", ep.node.name())).with_workload(Some(w.node.name())).with_path(path).at(at.0, at.1));
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
                for repo in scope.ecr_repositories(uw) {
                    for req in requests::ecr_pull_requests(
                        &principal,
                        region,
                        repo.as_deref(),
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
                        fix = match policy::fix::fix_ecr_endpoint_policy(
                            json,
                            &principal,
                            region,
                            repo.as_deref(),
                            &vpc_key,
                            &vpce_key,
                        ) {
                            Ok(fixed) => format!(
                                "the corrected policy:\npolicy = jsonencode({})\n",
                                fixes::pretty(&fixed)
                            ),
                            Err(e) => format!(
                                "allow {} for the pulling role in the policy of {} ({e})",
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
                statements: statements.clone(),
            });
            let finding = if !denied.is_empty() && definite {
                Finding::fail(
                    &RULE,
                    ep.node.name(),
                    format!(
                        "the policy of {} does not allow {} for {}'s image pull{}",
                        ep.node.name(),
                        denied.join(", "),
                        w.node.name(),
                        if statements.is_empty() {
                            " (no statement allows it)".to_string()
                        } else {
                            format!(" (decided by {})", statements.join(", "))
                        }
                    ),
                )
            } else if !denied.is_empty() || !unknown.is_empty() {
                unknown.sort();
                unknown.dedup();
                Finding::unknown(
                    &RULE,
                    ep.node.name(),
                    format!(
                        "whether the policy of {} allows the ECR pull actions is not decided: {}",
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
}
