use super::analysis::{Scope, ScopeKind};
use super::repository;
use super::{declare_rule, Finding, Hop};
use crate::policy::{evaluate_effect, Decision, Effect};

declare_rule! {
    /// ## What it does
    /// For each private ECR repository a workload pulls from whose repository policy (or
    /// registry policy) is in the input, evaluates the policy's Deny statements for the two
    /// calls of a pull that the repository decides, `ecr:BatchGetImage` and
    /// `ecr:GetDownloadUrlForLayer`, made by the pulling principal (the task execution role on
    /// Fargate, the instance role on EC2) through the VPC's `ecr.dkr` endpoint when the workload's
    /// traffic goes through it (`aws:SourceVpc` and `aws:SourceVpce` are then that VPC's and
    /// endpoint's; without one they are absent). The evaluation is three-valued: a Deny that
    /// surely applies fails; one whose condition is not decided (an endpoint id known only after
    /// apply against a literal `vpce-…`) is unknown. A condition on the same reference as the
    /// endpoint the pull goes through (`aws:SourceVpce = aws_vpc_endpoint.ecr_dkr.id`) is decided.
    /// A Deny of an `aws_ecr_registry_policy` is unknown: whether the registry's policy scope
    /// (`REGISTRY_POLICY_SCOPE`) covers pull actions is not read. Whether the repository grants a
    /// pull from another account is PP407's.
    ///
    /// ## Why is this bad?
    /// An explicit Deny in a repository policy overrides every Allow, in the repository's
    /// account and in the puller's: a repository policy that admits only one endpoint
    /// (`StringNotEquals aws:SourceVpce`) or denies the execution role makes every task start
    /// fail with `CannotPullContainerError: … denied: … with an explicit deny in a
    /// resource-based policy`, though every other hop of the pull path is right.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository_policy" "app" {
    ///   repository = aws_ecr_repository.app.name
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid       = "OnlyThroughTheBuildVpc"
    ///       Effect    = "Deny"
    ///       Principal = "*"
    ///       Action    = "ecr:*"
    ///       Condition = { StringNotEquals = { "aws:SourceVpce" = "vpce-0b1d2c3e4f5a6b7c8" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Admit the endpoint the workloads pull through (or narrow the Deny to the actions it is
    /// meant for):
    /// ```hcl
    /// resource "aws_ecr_repository_policy" "app" {
    ///   repository = aws_ecr_repository.app.name
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid       = "OnlyThroughOurEndpoints"
    ///       Effect    = "Deny"
    ///       Principal = "*"
    ///       Action    = "ecr:*"
    ///       Condition = { StringNotEquals = { "aws:SourceVpce" = ["vpce-0b1d2c3e4f5a6b7c8", aws_vpc_endpoint.ecr_dkr.id] } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECR User Guide: "Private repository policies" and "Private repository policy
    ///   examples"
    /// - IAM User Guide: "Policy evaluation logic" (an explicit deny overrides any allow)
    /// - AWS PrivateLink Guide: "Control access to VPC endpoints using endpoint policies"
    ///   (`aws:SourceVpce`, `aws:SourceVpc`)
    pub static RULE = {
        code: "PP408",
        name: "ecr-repository-policy-blocks-pull",
        severity: Error,
        summary: "a repository policy in the input denies the pull to the workload's principal or through the VPC's endpoint",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    if scope.kind == ScopeKind::Global {
        return;
    }
    for f in &scope.workloads {
        let w = scope.workload(f);
        for p in repository::pulled(scope, w) {
            let policies = repository::policies_of(scope.net, &p);
            if policies.is_empty() {
                continue;
            }
            let principal = repository::puller(scope, w);
            let source = repository::dkr_source(scope, f);
            let reqs = repository::pull_requests(scope, &principal, &p, &source);
            for rp in &policies {
                let mut denied: Vec<String> = Vec::new();
                let mut statements: Vec<String> = Vec::new();
                let mut unknown: Vec<String> = Vec::new();
                match rp.policy {
                    Ok(doc) => {
                        for req in &reqs {
                            let ev = evaluate_effect(doc, req, Effect::Deny);
                            match ev.decision {
                                Decision::ExplicitDeny if rp.registry => {
                                    unknown.push(repository::REGISTRY_SCOPE.to_string());
                                    statements.extend(ev.deciding.iter().map(|s| s.to_string()));
                                }
                                Decision::ExplicitDeny => {
                                    denied.push(req.action.clone());
                                    statements.extend(ev.deciding.iter().map(|s| s.to_string()));
                                }
                                Decision::Unknown => {
                                    unknown.extend(ev.unknown_because);
                                    statements.extend(ev.deciding.iter().map(|s| s.to_string()));
                                }
                                _ => {}
                            }
                        }
                    }
                    Err(ref e) => unknown.push(format!(
                        "what the policy of {} denies is not known ({e})",
                        rp.source.name()
                    )),
                }
                statements.sort();
                statements.dedup();
                unknown.sort();
                unknown.dedup();
                let through = if matches!(source.1, crate::policy::KeyState::Known(_)) {
                    " through the VPC's ecr.dkr endpoint".to_string()
                } else {
                    String::new()
                };
                let cited = if statements.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", statements.join(", "))
                };
                let finding = if !denied.is_empty() {
                    Finding::fail(
                        &RULE,
                        rp.source.name(),
                        format!(
                            "the policy of {} denies {}{through} for {}'s image {}{cited}",
                            p.arn,
                            denied.join(", "),
                            w.node.name(),
                            p.image
                        ),
                    )
                } else if !unknown.is_empty() {
                    Finding::unknown(
                        &RULE,
                        rp.source.name(),
                        format!(
                            "whether the policy of {} denies {}'s pull of {}{through} is not decided{cited}: {}",
                            p.arn,
                            w.node.name(),
                            p.image,
                            unknown.join("; ")
                        ),
                    )
                } else {
                    continue;
                };
                let mut path = scope.workload_path(f);
                if let Some(def) = &w.definition {
                    path.push(Hop::Definition(def.name()));
                }
                path.push(Hop::Image(p.image.clone()));
                path.push(Hop::Policy {
                    source: rp.source.name(),
                    statements: statements.clone(),
                });
                out.push(
                    finding
                        .with_workload(Some(w.node.name()))
                        .with_path(path)
                        .with_fix(format!(
                            "narrow the Deny of {} so that it does not cover the pull ({}, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer){}\n",
                            rp.source.name(),
                            match &principal {
                                crate::policy::PrincipalSpec::Arn(a) => format!("by {}", crate::policy::display_unknowns(a)),
                                _ => "by the pulling role".to_string(),
                            },
                            if through.is_empty() {
                                String::new()
                            } else {
                                ": admit the workloads' ecr.dkr endpoint (aws:SourceVpce) or VPC (aws:SourceVpc) in its condition".to_string()
                            }
                        ))
                        .at(rp.source.location.clone(), rp.source.input),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// The harness's service pulling from the input's own repository `app` (by its URL), whose
    /// policy has one Deny statement with `condition` (an HCL object) and `principal`.
    fn denying(principal: &str, condition: &str) -> String {
        private_fargate_base("\"${aws_ecr_repository.app.repository_url}:1.0\"")
            + &ALL_ENDPOINTS.concat()
            + &format!(
                r#"
resource "aws_ecr_repository" "app" {{
  name = "app"
}}

resource "aws_ecr_repository_policy" "app" {{
  repository = aws_ecr_repository.app.name
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Sid       = "Guard"
      Effect    = "Deny"
      Principal = {principal}
      Action    = "ecr:*"
      Condition = {condition}
    }}]
  }})
}}
"#
            )
    }

    fn pp408(src: &str) -> Vec<(&'static str, &'static str, String)> {
        verdicts_of("PP408", &check_hcl(&[("main.tf", src)]))
    }

    fn on_policy(verdict: &'static str) -> Vec<(&'static str, &'static str, String)> {
        vec![("PP408", verdict, "aws_ecr_repository_policy.app".into())]
    }

    /// A Deny naming the execution role (by reference) blocks the pull.
    #[test]
    fn a_deny_of_the_pulling_role_fails() {
        let f = check_hcl(&[(
            "main.tf",
            &denying("{ AWS = aws_iam_role.task_execution.arn }", "{}"),
        )]);
        assert_eq!(verdicts_of("PP408", &f), on_policy("fail"));
        let msg = &f.iter().find(|x| x.rule.code == "PP408").unwrap().message;
        assert!(
            msg.contains("ecr:BatchGetImage, ecr:GetDownloadUrlForLayer"),
            "{msg}"
        );
        assert!(msg.contains("(Guard)"), "{msg}");
    }

    /// `StringNotEquals aws:SourceVpce` on the endpoint the pull goes through: not denied; on
    /// a literal endpoint id while the pull's endpoint id is known only after apply: unknown
    /// (three-valued, never a pass).
    #[test]
    fn a_source_endpoint_condition_is_three_valued() {
        let condition =
            |vpce: &str| format!("{{ StringNotEquals = {{ \"aws:SourceVpce\" = {vpce} }} }}");
        assert_eq!(
            pp408(&denying("\"*\"", &condition("aws_vpc_endpoint.ecr_dkr.id"))),
            vec![]
        );
        assert_eq!(
            pp408(&denying("\"*\"", &condition("\"vpce-0b1d2c3e4f5a6b7c8\""))),
            on_policy("unknown")
        );
        // Another principal's Deny does not apply.
        assert_eq!(
            pp408(
                &denying("{ AWS = \"arn:aws:iam::111122223333:role/ci\" }", "{}").replace(
                    "execution_role_arn       = aws_iam_role.task_execution.arn",
                    "execution_role_arn       = \"arn:aws:iam::111122223333:role/elsewhere\"",
                )
            ),
            vec![]
        );
    }

    /// With a NAT gateway and no ecr.dkr endpoint, the pull carries no aws:SourceVpce: a Deny
    /// of every pull not through an endpoint blocks it.
    #[test]
    fn a_pull_through_nat_has_no_source_endpoint() {
        let src = private_fargate_base("\"${aws_ecr_repository.app.repository_url}:1.0\"")
            + S3_GATEWAY
            + NAT
            + &denying("\"*\"", "{ Null = { \"aws:SourceVpce\" = \"true\" } }")
                .split("resource \"aws_ecr_repository\" \"app\"")
                .nth(1)
                .map(|rest| format!("resource \"aws_ecr_repository\" \"app\"{rest}"))
                .unwrap();
        assert_eq!(pp408(&src), on_policy("fail"));
    }

    /// A registry policy's Deny of the pull: whether the registry's policy scope covers pull
    /// actions (V2) or not (V1) is not in the input, so it is unknown, never a pass.
    #[test]
    fn a_registry_policy_deny_is_unknown() {
        let src = private_fargate(ALL_ENDPOINTS)
            + r#"
resource "aws_ecr_registry_policy" "main" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Sid = "NoPulls", Effect = "Deny", Principal = "*", Action = "ecr:BatchGetImage", Resource = "*" }]
  })
}
"#;
        assert_eq!(
            pp408(&src),
            vec![("PP408", "unknown", "aws_ecr_registry_policy.main".into())]
        );
    }
}
