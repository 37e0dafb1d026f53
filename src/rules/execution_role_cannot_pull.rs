use super::analysis::{classify, Image, Scope};
use super::{declare_rule, Finding, Hop};
use crate::graph::*;
use crate::policy::{evaluate_identity, requests, Decision, IdentityPolicy, KeyState, Policy};

declare_rule! {
    /// ## What it does
    /// When the role that pulls a workload's images is defined in the input (the task execution
    /// role on Fargate, named by the task or job definition's `executionRoleArn`), evaluates its
    /// attached and inline policies for the calls the task's start needs: the ECR pull actions,
    /// the `awslogs` calls when a container uses that driver, and `secretsmanager:GetSecretValue`
    /// / `ssm:GetParameters` for the secrets it reads. A Fargate task that pulls from private ECR
    /// or logs with `awslogs` without any execution role fails too.
    ///
    /// ## Why is this bad?
    /// On Fargate, the execution role is the identity that authenticates to ECR, fetches the
    /// image, writes the first log events and resolves secrets. A role without
    /// `AmazonECSTaskExecutionRolePolicy` (or equivalent statements) cannot start the task.
    /// A customer managed policy that is not in the input makes the verdict unknown.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role" "execution" {
    ///   name = "app-execution"
    ///   assume_role_policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
    ///   })
    /// } # no policy attached
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_iam_role_policy_attachment" "execution" {
    ///   role       = aws_iam_role.execution.name
    ///   policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
    /// }
    /// ```
    /// Secrets need their own statement (`secretsmanager:GetSecretValue` on the secret,
    /// `ssm:GetParameters` on the parameter).
    ///
    /// ## References
    /// - Amazon ECS Developer Guide: "Amazon ECS task execution IAM role"
    /// - AWS Managed Policy Reference: `AmazonECSTaskExecutionRolePolicy`
    pub static RULE = {
        code: "PP404",
        name: "execution-role-cannot-pull",
        severity: Error,
        summary: "the task execution role (defined in the input) is not granted the ECR pull actions (and logs, secrets actions where used)",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let region = scope.region().unwrap_or("us-east-1").to_string();
    for f in &scope.workloads {
        let w = scope.workload(f);
        let fargate = w.platform.known().is_some_and(|p| p.is_fargate());
        let uses_private_ecr = w.containers.iter().any(|c| {
            c.image
                .known()
                .is_some_and(|i| classify(i).is_private_ecr())
        });
        let uses_awslogs = w
            .containers
            .iter()
            .any(|c| c.log_driver.known() == Some(&Some("awslogs".into())));
        let at = (
            w.definition
                .as_ref()
                .and_then(|d| d.location.clone())
                .or(w.node.location.clone()),
            w.definition.as_ref().and_then(|d| d.input).or(w.node.input),
        );
        let role = match &w.pull_role {
            Some(Fact::Known(RoleRef::Role(r))) => *r,
            Some(_) => continue,
            None => {
                if fargate && w.definition.is_some() && (uses_private_ecr || uses_awslogs) {
                    let needs = if uses_private_ecr {
                        "pull its private ECR image"
                    } else {
                        "write to CloudWatch Logs with awslogs"
                    };
                    let def = w.definition.as_ref().map(|d| d.name()).unwrap_or_default();
                    out.push(
                        Finding::fail(&RULE, def.clone(), format!("{def} sets no execution role, so the Fargate tasks of {} cannot {needs}", w.node.name()))
                            .with_workload(Some(w.node.name()))
                            .with_path(vec![Hop::Workload(w.node.name()), Hop::Definition(def)])
                            .with_fix("set execution_role_arn to a role with the managed policy arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy attached\n")
                            .at(at.0, at.1),
                    );
                }
                continue;
            }
        };
        let r = &scope.net.principals[role];
        if r.node.data {
            // Read with a data source: defined elsewhere, its policies are not in the input.
            continue;
        }
        // The principal's own identity policies; a missing document makes the answer unknown.
        let docs: Vec<Result<&Policy, String>> = r
            .policies
            .iter()
            .map(|p| match p {
                AttachedPolicy::Document { policy, source, .. } => policy
                    .as_ref()
                    .map_err(|e| format!("{}: {e}", source.name())),
                _ => Err(String::new()),
            })
            .collect();
        let mut identity: Vec<IdentityPolicy<'_>> = Vec::new();
        let mut reasons: Vec<String> = Vec::new();
        for (p, d) in r.policies.iter().zip(docs.iter()) {
            match (p, d) {
                (_, Ok(doc)) => identity.push(IdentityPolicy::Document(doc)),
                (AttachedPolicy::Managed { arn, .. }, _) => {
                    if crate::policy::managed::aws_managed_policy_ref(arn).is_none() {
                        reasons.push(format!("the policy {arn} is not in the input"));
                    }
                    identity.push(IdentityPolicy::ManagedArn(arn));
                }
                (AttachedPolicy::Unknown { reason, source }, _) => {
                    reasons.push(reason.clone());
                    identity.push(IdentityPolicy::NotInInput(
                        source.address.as_deref().unwrap_or("policy"),
                    ));
                }
                (AttachedPolicy::Document { source, .. }, Err(e)) => {
                    reasons.push(e.clone());
                    identity.push(IdentityPolicy::NotInInput(
                        source.address.as_deref().unwrap_or("policy"),
                    ));
                }
            }
        }
        let principal = requests::pulling_principal(r.arn.as_deref());
        let absent = KeyState::Absent;
        let mut reqs = Vec::new();
        for repo in scope.ecr_repositories(w) {
            if repo.is_none()
                && !w.containers.is_empty()
                && w.containers.iter().all(|c| {
                    c.image
                        .known()
                        .is_some_and(|i| !matches!(classify(i), Image::PrivateEcr { .. }))
                })
            {
                continue;
            }
            reqs.extend(requests::ecr_pull_requests(
                &principal,
                &region,
                repo.as_deref(),
                &absent,
                &absent,
            ));
        }
        for (group, create) in scope.log_groups(w) {
            if w.containers.is_empty() && w.containers_unknown.is_some() {
                break;
            }
            reqs.extend(requests::logs_write_requests(
                &principal,
                &region,
                group.as_deref(),
                create,
                &absent,
                &absent,
            ));
        }
        // On EC2 the container instance role pulls, but the secrets are read with the task or
        // job definition's execution role, which this rule does not judge there: unknown,
        // never the instance role's verdict.
        let reads_secrets = w
            .containers
            .iter()
            .any(|c| !c.secrets.is_empty() || !c.secret_refs.is_empty());
        let secrets_elsewhere = (!fargate && reads_secrets).then(|| {
            format!(
                "the secrets of {} are read with its execution role, not with {}, on EC2; pullpath does not judge that role there yet",
                w.node.name(),
                r.node.name()
            )
        });
        // One read per secret: Secrets Manager or SSM, its ARN when known.
        let secret_read = |secrets_manager: bool, arn: Option<&str>| {
            let read = if secrets_manager {
                requests::secret_read
            } else {
                requests::ssm_parameters_read
            };
            read(
                principal.clone(),
                &region,
                arn,
                KeyState::Absent,
                KeyState::Absent,
            )
        };
        for c in w.containers.iter().filter(|_| secrets_elsewhere.is_none()) {
            // A secret whose ARN is known only after apply is still read (resource unknown).
            for r in &c.secret_refs {
                reqs.push(secret_read(r.secrets_manager, None));
            }
            for s in &c.secrets {
                let secrets_manager = s.split(':').nth(2) == Some("secretsmanager");
                let arn = (secrets_manager || s.starts_with("arn:")).then_some(s.as_str());
                reqs.push(secret_read(secrets_manager, arn));
            }
        }
        let mut denied: Vec<String> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        for req in &reqs {
            let ev = evaluate_identity(&identity, req);
            match ev.decision {
                Decision::Allow => {}
                Decision::ImplicitDeny | Decision::ExplicitDeny => {
                    if !denied.contains(&req.action) {
                        denied.push(req.action.clone());
                    }
                }
                Decision::Unknown => {
                    if reasons.is_empty() {
                        unknown.extend(ev.unknown_because);
                    } else {
                        unknown.extend(reasons.iter().cloned());
                    }
                }
            }
        }
        unknown.extend(secrets_elsewhere);
        unknown.sort();
        unknown.dedup();
        let role_name = r.node.name();
        let path = vec![
            Hop::Workload(w.node.name()),
            Hop::Definition(w.definition.as_ref().map(|d| d.name()).unwrap_or_default()),
            Hop::Principal(role_name.clone()),
        ];
        let finding = if !denied.is_empty() {
            Finding::fail(
                &RULE,
                role_name.clone(),
                format!(
                    "{role_name}, the role that starts {}'s tasks, is not allowed {}",
                    w.node.name(),
                    denied.join(", ")
                ),
            )
        } else if !unknown.is_empty() {
            Finding::unknown(
                &RULE,
                role_name.clone(),
                format!(
                    "whether {role_name} may pull {}'s images is not decided: {}",
                    w.node.name(),
                    unknown.join("; ")
                ),
            )
        } else {
            continue;
        };
        let fix = if denied
            .iter()
            .all(|a| a.starts_with("ecr:") || a.starts_with("logs:"))
        {
            format!(
                "resource \"aws_iam_role_policy_attachment\" \"execution\" {{\n  role       = {}\n  policy_arn = \"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"\n}}\n",
                super::fixes::reference(&r.node, "name")
            )
        } else {
            format!("allow {} for {role_name}, e.g. in an aws_iam_role_policy on the secrets it reads\n", denied.join(", "))
        };
        out.push(
            finding
                .with_workload(Some(w.node.name()))
                .with_path(path)
                .with_fix(fix)
                .at(r.node.location.clone(), r.node.input),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// The managed policy attached through `data "aws_iam_policy"` by its ARN (ecosystem rows
    /// 29 and 32): its document is AWS's, so the role is decided (it was unknown).
    #[test]
    fn managed_policy_through_a_data_source_is_decided() {
        let src = private_fargate(ALL_ENDPOINTS).replace(
            r#"policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy""#,
            "policy_arn = data.aws_iam_policy.execution.arn",
        ) + r#"
data "aws_iam_policy" "execution" {
  arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
"#;
        assert!(src.contains("data.aws_iam_policy.execution.arn"));
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts_of("PP404", &f), vec![]);
        // Its document as a source of a customer policy is read too.
        let src = private_fargate(ALL_ENDPOINTS).replace(
            r#"policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy""#,
            "policy_arn = aws_iam_policy.execution.arn",
        ) + r#"
data "aws_iam_policy" "managed" {
  arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
resource "aws_iam_policy" "execution" {
  name   = "execution"
  policy = data.aws_iam_policy.managed.policy
}
"#;
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts_of("PP404", &f), vec![]);
    }
}
