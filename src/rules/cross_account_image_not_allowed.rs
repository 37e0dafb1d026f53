use super::analysis::{Scope, ScopeKind};
use super::repository::{self, CrossAccount, Pulled};
use super::{declare_rule, Finding, Hop};
use crate::graph::*;
use crate::policy::{evaluate_effect, evaluate_identity, Decision, Effect, PrincipalSpec};

declare_rule! {
    /// ## What it does
    /// Finds the private ECR images of a workload that are in another account's registry
    /// (`<account>.dkr.ecr.<region>.amazonaws.com/…` with an account other than the one of the
    /// principal that pulls: the task execution role on Fargate, the instance role on EC2) and
    /// checks that both sides of the cross-account pull allow `ecr:BatchGetImage` and
    /// `ecr:GetDownloadUrlForLayer`:
    /// - the repository's policy (`aws_ecr_repository_policy`, or an `aws_ecr_registry_policy`
    ///   of that account) must grant them to the pulling principal (its ARN, or its account);
    /// - the principal's own identity policies must allow them on the repository's ARN.
    ///
    /// The account that pulls is the pulling role's (its ARN), else the account the input
    /// deploys into: its providers' `allowed_account_ids`, `data.aws_caller_identity`, the owner
    /// of its VPCs or the ARNs of its roles, when they agree. An image in a literal account
    /// that the input never states to be its own may be in another account: unknown unless the
    /// pull is allowed either way. A repository policy that is not in the input makes the
    /// verdict unknown, naming the policy needed; so does a grant in a registry policy, whose
    /// scope (`REGISTRY_POLICY_SCOPE` V1 covers only replication and pull-through cache) is not
    /// read. Explicit denials of a repository policy are PP408's. Images not known before apply
    /// are not judged here.
    ///
    /// ## Why is this bad?
    /// By default only the account that owns a repository may pull from it. A task whose image
    /// is in another account's repository without a repository policy that grants its role the
    /// pull fails to start with `CannotPullContainerError: … not authorized to perform:
    /// ecr:BatchGetImage`; so does one whose role's own policy does not allow the pull on that
    /// repository (a cross-account call needs both).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "app" {
    ///   family                   = "app"
    ///   requires_compatibilities = ["FARGATE"]
    ///   network_mode             = "awsvpc"
    ///   cpu                      = "256"
    ///   memory                   = "512"
    ///   execution_role_arn       = aws_iam_role.task_execution.arn
    ///   container_definitions = jsonencode([{
    ///     name  = "app"
    ///     image = "444455556666.dkr.ecr.us-west-2.amazonaws.com/shared/app:1.0" # another account
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// In the account that owns the repository:
    /// ```hcl
    /// resource "aws_ecr_repository_policy" "app" {
    ///   repository = "shared/app"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid       = "AllowPullFromWorkloads"
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "arn:aws:iam::111122223333:role/task-execution" }
    ///       Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    ///     }]
    ///   })
    /// }
    /// ```
    /// and, on the pulling role, a statement allowing the same actions on the repository's ARN
    /// (`AmazonECSTaskExecutionRolePolicy` allows them on `*`). To let pullpath know the account
    /// the input deploys into, set `allowed_account_ids` on the provider.
    ///
    /// ## References
    /// - Amazon ECR User Guide: "Private repository policies" and "Private repository policy
    ///   examples" (allowing another account to pull)
    /// - Amazon ECR User Guide: "Private registry permissions" (registry policies)
    /// - IAM User Guide: "Cross account resource access in IAM" (both the resource policy and
    ///   the principal's policy must allow)
    /// - Terraform AWS provider: `aws_ecr_repository_policy`, the provider's
    ///   `allowed_account_ids`
    pub static RULE = {
        code: "PP407",
        name: "cross-account-image-not-allowed",
        severity: Error,
        summary: "an image in another account's registry whose repository policy (or the principal's own policy) does not allow the pull; unknown when that policy is not in the input",
        check: check,
    }
}

/// What one side of the pull says.
enum Side {
    Granted,
    /// The actions it does not grant.
    NotGranted(Vec<String>),
    Unknown(Vec<String>),
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    if scope.kind == ScopeKind::Global {
        return;
    }
    for f in &scope.workloads {
        let w = scope.workload(f);
        unknown_accounts(scope, f, out);
        for p in repository::pulled(scope, w) {
            let cross = repository::cross_account(scope, w, &p);
            if cross == CrossAccount::No {
                continue;
            }
            let principal = repository::puller(scope, w);
            let source = repository::dkr_source(scope, f);
            let reqs = repository::pull_requests(scope, &principal, &p, &source);
            let policies = repository::policies_of(scope.net, &p);
            // The repository's side: does a policy of the input grant the principal the pull?
            let resource_side = if policies.is_empty() {
                Side::Unknown(vec![format!(
                    "the repository policy of {} is not in the input",
                    p.arn
                )])
            } else {
                let mut missing = Vec::new();
                let mut unknown = Vec::new();
                for req in &reqs {
                    let mut granted = false;
                    let mut maybe = Vec::new();
                    for rp in &policies {
                        match rp.policy {
                            Ok(doc) => {
                                let ev = evaluate_effect(doc, req, Effect::Allow);
                                match ev.decision {
                                    Decision::Allow if rp.registry => {
                                        maybe.push(repository::REGISTRY_SCOPE.to_string())
                                    }
                                    Decision::Allow => granted = true,
                                    Decision::Unknown => maybe.extend(ev.unknown_because),
                                    _ => {}
                                }
                            }
                            Err(ref e) => maybe.push(e.clone()),
                        }
                    }
                    if granted {
                        continue;
                    }
                    if maybe.is_empty() {
                        missing.push(req.action.clone());
                    } else {
                        unknown.extend(maybe);
                    }
                }
                side(missing, unknown)
            };
            // The principal's side: its own policies, when they are in the input (PP404 says
            // what it knows of the others).
            let identity_side = match w.pull_role.as_ref().and_then(Fact::known) {
                Some(RoleRef::Role(r)) if !scope.net.principals[*r].node.data => {
                    let parsed = super::iam::identity_policies(scope.net, *r);
                    let (view, reasons) = super::iam::engine_view(&parsed);
                    let mut missing = Vec::new();
                    let mut unknown = Vec::new();
                    for req in &reqs {
                        let ev = evaluate_identity(&view, req);
                        match ev.decision {
                            Decision::Allow => {}
                            d if d.is_deny() => missing.push(req.action.clone()),
                            _ if reasons.is_empty() => unknown.extend(ev.unknown_because),
                            _ => unknown.extend(reasons.iter().cloned()),
                        }
                    }
                    side(missing, unknown)
                }
                _ => Side::Granted,
            };
            if let Some(finding) = verdict(
                scope,
                f,
                &p,
                &cross,
                &principal,
                &resource_side,
                &identity_side,
                &policies,
            ) {
                out.push(finding);
            }
        }
    }
}

/// Images of private ECR whose registry account is not known before apply (`"${var.account}.dkr.ecr.…"`)
/// and names no repository of the input: whether the pull is cross-account is not decided
/// (never a pass), unless the account is the input's own (`data.aws_caller_identity`, or the
/// `registry_id` of an ECR resource of the input, in an input whose providers pin one account at
/// most).
fn unknown_accounts(scope: &Scope<'_>, f: &super::analysis::WorkloadFacts, out: &mut Vec<Finding>) {
    let w = scope.workload(f);
    for c in &w.containers {
        if c.image.known().is_some() || c.image_ecr_repository.is_some() {
            continue;
        }
        let Some(host) = c.image_ecr_host.as_ref().filter(|h| h.account.is_none()) else {
            continue;
        };
        let from = host
            .account_from
            .as_deref()
            .unwrap_or("not known before apply");
        let several = scope.net.several_accounts_of(w.node.input);
        // The caller's own account, or the registry of an ECR resource the input manages (a
        // repository's or a pull-through cache rule's `registry_id`).
        let own = from.contains("aws_caller_identity.")
            || (!from.contains("data.")
                && from.contains("aws_ecr")
                && from.ends_with(".registry_id"));
        if own && several.is_none() {
            continue;
        }
        let def = w.definition.as_ref().unwrap_or(&w.node);
        let mut path = scope.workload_path(f);
        path.push(Hop::Definition(def.name()));
        path.push(Hop::Image(host.shown.clone()));
        out.push(
            Finding::unknown(
                &RULE,
                def.name(),
                format!(
                    "{} of {} pulls {} from a registry whose account is not known before apply ({from}); whether it is the account of {} (else the repository policy of that account must allow the pull) is not known",
                    c.label(),
                    w.node.name(),
                    host.shown,
                    w.node.name()
                ),
            )
            .with_workload(Some(w.node.name()))
            .with_path(path)
            .at(def.location.clone(), def.input),
        );
    }
}

fn side(mut missing: Vec<String>, mut unknown: Vec<String>) -> Side {
    missing.dedup();
    unknown.sort();
    unknown.dedup();
    if !missing.is_empty() {
        Side::NotGranted(missing)
    } else if !unknown.is_empty() {
        Side::Unknown(unknown)
    } else {
        Side::Granted
    }
}

#[allow(clippy::too_many_arguments)]
fn verdict(
    scope: &Scope<'_>,
    f: &super::analysis::WorkloadFacts,
    p: &Pulled,
    cross: &CrossAccount,
    principal: &PrincipalSpec,
    resource_side: &Side,
    identity_side: &Side,
    policies: &[repository::RepositoryPolicy<'_>],
) -> Option<Finding> {
    let w = scope.workload(f);
    let role_name = match w.pull_role.as_ref().and_then(Fact::known) {
        Some(RoleRef::Role(r)) => Some(scope.net.principals[*r].node.name()),
        Some(RoleRef::Arn(a)) => Some(a.clone()),
        None => None,
    };
    // The principal by its ARN when it is written out, else by the role's name (an ARN known
    // only after apply reads as a template: `${aws_iam_role.x.arn}`).
    let who = match (principal, &role_name) {
        (PrincipalSpec::Arn(a), _) if !crate::policy::is_unknown(a) => a.clone(),
        (_, Some(r)) => r.clone(),
        (PrincipalSpec::Arn(a), None) => crate::policy::display_unknowns(a),
        _ => "the pulling role".to_string(),
    };
    let role_name = role_name.unwrap_or_else(|| who.clone());
    let mut problems: Vec<String> = Vec::new();
    let mut unknowns: Vec<String> = Vec::new();
    match resource_side {
        Side::Granted => {}
        Side::NotGranted(actions) => problems.push(format!(
            "no repository policy of {} grants {who} {}",
            p.arn,
            actions.join(", ")
        )),
        Side::Unknown(why) => unknowns.push(format!(
            "{} (it must grant {who} ecr:BatchGetImage and ecr:GetDownloadUrlForLayer)",
            why.join("; ")
        )),
    }
    match identity_side {
        Side::Granted => {}
        Side::NotGranted(actions) => problems.push(format!(
            "{role_name}'s own policies do not allow {} on {}",
            actions.join(", "),
            p.arn
        )),
        Side::Unknown(why) => unknowns.push(format!(
            "whether {role_name}'s own policies allow the pull on {} is not known: {}",
            p.arn,
            why.join("; ")
        )),
    }
    if problems.is_empty() && unknowns.is_empty() {
        return None;
    }
    let def = w.definition.as_ref().unwrap_or(&w.node);
    // The finding points at the repository policy when the input has it, else at the
    // definition that names the image.
    let (resource, location, input) = match policies.first() {
        Some(rp) if matches!(resource_side, Side::NotGranted(_) | Side::Unknown(_)) => (
            rp.source.name(),
            rp.source.location.clone(),
            rp.source.input,
        ),
        _ => (def.name(), def.location.clone(), def.input),
    };
    let account = p.account.clone().unwrap_or_default();
    let image = match &p.account {
        Some(a) => format!(
            "{} pulls {} from account {a}'s registry",
            w.node.name(),
            p.image
        ),
        None => format!("{} pulls {}", w.node.name(), p.image),
    };
    let finding = match cross {
        CrossAccount::Yes { puller } if !problems.is_empty() => Finding::fail(
            &RULE,
            resource,
            format!("{image}, not {puller}'s: {}", problems.join("; ")),
        ),
        CrossAccount::Yes { puller } => Finding::unknown(
            &RULE,
            resource,
            format!(
                "{image}, not {puller}'s; whether the pull is allowed is not decided: {}",
                unknowns.join("; ")
            ),
        ),
        CrossAccount::Maybe(why) => {
            let mut all = problems;
            all.extend(unknowns);
            Finding::unknown(
                &RULE,
                resource,
                format!(
                    "{image}; {why}; if it is another account, the pull needs what is missing here: {}",
                    all.join("; ")
                ),
            )
        }
        CrossAccount::No => return None,
    };
    let mut path = scope.workload_path(f);
    path.push(Hop::Definition(def.name()));
    path.push(Hop::Image(p.image.clone()));
    if let Some(rp) = policies.first() {
        path.push(Hop::Document(rp.source.name()));
    }
    // The principal as the fix writes it: its ARN, the reference that gives it, or its account.
    let grantee = match principal {
        PrincipalSpec::Arn(a) if !crate::policy::is_unknown(a) => format!("\"{a}\""),
        PrincipalSpec::Arn(a) => crate::policy::display_unknowns(a)
            .trim_start_matches("${")
            .trim_end_matches('}')
            .to_string(),
        _ => match repository::puller_account(scope, w) {
            Ok(a) => format!("\"arn:{}:iam::{a}:root\"", scope.partition()),
            Err(_) => "\"<the pulling role's ARN>\"".to_string(),
        },
    };
    let own = if matches!(cross, CrossAccount::Maybe(_)) {
        format!("; if {account} is the input's own account, say so with allowed_account_ids = [\"{account}\"] in the aws provider block")
    } else {
        String::new()
    };
    // The role's own policy only where it lacks the actions (or pullpath could not tell).
    let own_policy = if matches!(identity_side, Side::Granted) {
        match own.strip_prefix("; ") {
            Some(o) => format!("{o}\n"),
            None => String::new(),
        }
    } else {
        format!(
            "and allow the same actions on {} in {role_name}'s own policy{own}\n",
            p.arn
        )
    };
    let fix = format!(
        "in account {}, allow the pull in the repository's policy:\nresource \"aws_ecr_repository_policy\" \"{}\" {{\n  repository = \"{}\"\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Sid       = \"AllowCrossAccountPull\"\n      Effect    = \"Allow\"\n      Principal = {{ AWS = {grantee} }}\n      Action    = [\"ecr:BatchGetImage\", \"ecr:GetDownloadUrlForLayer\"]\n    }}]\n  }})\n}}\n{own_policy}",
        account,
        p.name.replace(['/', '-', '.'], "_"),
        p.name,
    );
    Some(
        finding
            .with_workload(Some(w.node.name()))
            .with_path(path)
            .with_fix(fix)
            .at(location, input),
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// The harness's service pulling `image` (an HCL string), with the provider restricted to
    /// `account` (none: the input does not say), and `extras`.
    fn pulling(image: &str, account: Option<&str>, extras: &str) -> String {
        let src = private_fargate_base(&format!("\"{image}\"")) + &ALL_ENDPOINTS.concat();
        let allowed = "allowed_account_ids = [\"111122223333\"]";
        assert!(src.contains(allowed));
        let src = match account {
            Some(a) => src.replace(allowed, &format!("allowed_account_ids = [\"{a}\"]")),
            None => src.replace(allowed, ""),
        };
        src + extras
    }

    fn pp407(src: &str) -> Vec<(&'static str, &'static str, String)> {
        verdicts_of("PP407", &check_hcl(&[("main.tf", src)]))
    }

    const OTHER: &str = "444455556666.dkr.ecr.us-west-2.amazonaws.com/shared/app:1.0";
    const OWN: &str = "111122223333.dkr.ecr.us-west-2.amazonaws.com/app:1.0";

    /// The policy of another account's repository, managed here through a provider of that
    /// account (so the input deploys into two accounts, and no single one is its own).
    fn repository_policy(principal: &str) -> String {
        format!(
            r#"
provider "aws" {{
  alias               = "shared"
  region              = "us-west-2"
  allowed_account_ids = ["444455556666"]
}}

resource "aws_ecr_repository_policy" "shared" {{
  provider   = aws.shared
  repository = "shared/app"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ AWS = {principal} }}
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }}]
  }})
}}
"#
        )
    }

    /// The task definition names its execution role by a literal ARN of account 111122223333
    /// (a role of another stack).
    fn by_literal_role(src: &str) -> String {
        src.replace(
            "execution_role_arn       = aws_iam_role.task_execution.arn",
            "execution_role_arn       = \"arn:aws:iam::111122223333:role/elsewhere\"",
        )
    }

    /// An image of the input's own account (its provider says which) is no cross-account pull.
    #[test]
    fn an_image_of_the_own_account_passes() {
        assert_eq!(pp407(&pulling(OWN, Some("111122223333"), "")), vec![]);
    }

    /// Another account's image whose repository policy is not in the input: unknown, naming
    /// the policy needed (ecosystem row 32 passed).
    #[test]
    fn another_accounts_image_without_its_repository_policy_is_unknown() {
        let f = check_hcl(&[("main.tf", &pulling(OTHER, Some("111122223333"), ""))]);
        assert_eq!(
            verdicts_of("PP407", &f),
            vec![("PP407", "unknown", "aws_ecs_task_definition.app".into())]
        );
        let pp407 = f.iter().find(|x| x.rule.code == "PP407").unwrap();
        let msg = &pp407.message;
        assert!(
            msg.contains("the repository policy of arn:aws:ecr:us-west-2:444455556666:repository/shared/app is not in the input"),
            "{msg}"
        );
        // The role by its name, not its ARN's template (known only after apply).
        assert!(
            msg.contains("it must grant aws_iam_role.task_execution ecr:BatchGetImage"),
            "{msg}"
        );
        assert!(!msg.contains("${"), "{msg}");
        // Its own policy (the managed execution policy) allows the pull: the fix does not ask
        // for it again.
        let fix = &pp407.fix;
        assert!(fix.contains("aws_ecr_repository_policy"), "{fix}");
        assert!(!fix.contains("own policy"), "{fix}");
    }

    /// A literal account the input never states to be its own may be another: unknown.
    #[test]
    fn a_literal_account_of_an_input_that_states_none_is_unknown() {
        let f = check_hcl(&[("main.tf", &pulling(OWN, None, ""))]);
        assert_eq!(
            verdicts_of("PP407", &f),
            vec![("PP407", "unknown", "aws_ecs_task_definition.app".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP407").unwrap().message;
        assert!(
            msg.contains("whether 111122223333 is the account of"),
            "{msg}"
        );
    }

    /// The repository policy of the input grants the role (by reference, or its account): the
    /// pull passes; one that grants another account fails.
    #[test]
    fn the_repository_policy_of_the_input_decides() {
        assert_eq!(
            pp407(&pulling(
                OTHER,
                Some("111122223333"),
                &repository_policy("aws_iam_role.task_execution.arn")
            )),
            vec![]
        );
        // The role's account is known from its literal ARN.
        assert_eq!(
            pp407(&by_literal_role(&pulling(
                OTHER,
                Some("111122223333"),
                &repository_policy("\"arn:aws:iam::111122223333:root\"")
            ))),
            vec![]
        );
        // A role known only by reference may or may not be of the account granted.
        assert_eq!(
            pp407(&pulling(
                OTHER,
                Some("111122223333"),
                &repository_policy("\"arn:aws:iam::111122223333:root\"")
            )),
            vec![(
                "PP407",
                "unknown",
                "aws_ecr_repository_policy.shared".into()
            )]
        );
        let src = by_literal_role(&pulling(
            OTHER,
            Some("111122223333"),
            &repository_policy("\"arn:aws:iam::777788889999:root\""),
        ));
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts_of("PP407", &f),
            vec![("PP407", "fail", "aws_ecr_repository_policy.shared".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP407").unwrap().message;
        assert!(
            msg.contains("ecr:BatchGetImage, ecr:GetDownloadUrlForLayer"),
            "{msg}"
        );
        assert!(msg.contains("not 111122223333's"), "{msg}");
    }

    /// The role's own policy must allow the pull on the repository too (the role's account
    /// known from the repository policy's provider alias being another: unknown which account
    /// pulls, so this is unknown, naming the role's policy).
    #[test]
    fn the_roles_own_policy_must_allow_the_pull() {
        let src = pulling(
            OTHER,
            Some("111122223333"),
            &repository_policy("aws_iam_role.task_execution.arn"),
        )
        .replace(
            "policy_arn = \"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"",
            "policy_arn = \"arn:aws:iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly\"",
        );
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts_of("PP407", &f),
            vec![("PP407", "unknown", "aws_ecs_task_definition.app".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP407").unwrap().message;
        assert!(
            msg.contains("aws_iam_role.task_execution's own policies do not allow"),
            "{msg}"
        );
    }

    /// An image under the URL of a repository read with a data source whose `registry_id`
    /// names another account is that account's (row 72's helper probe: it passed without a
    /// word); without `registry_id` it is the input's own, as a managed one.
    #[test]
    fn a_data_source_repository_of_another_registry_is_cross_account() {
        let data = |registry: &str| {
            format!(
                "data \"aws_ecr_repository\" \"shared\" {{\n  name = \"shared/app\"\n{registry}}}\n"
            )
        };
        let image = "${data.aws_ecr_repository.shared.repository_url}:1.0";
        let other = pulling(
            image,
            Some("111122223333"),
            &data("  registry_id = \"444455556666\"\n"),
        );
        let f = check_hcl(&[("main.tf", &other)]);
        assert_eq!(
            verdicts_of("PP407", &f),
            vec![("PP407", "unknown", "aws_ecs_task_definition.app".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP407").unwrap().message;
        assert!(
            msg.contains("arn:aws:ecr:us-west-2:444455556666:repository/shared/app"),
            "{msg}"
        );
        assert_eq!(
            pp407(&pulling(image, Some("111122223333"), &data(""))),
            vec![]
        );
    }

    /// On EC2 the instance role pulls, but the task runs in its execution role's account (a
    /// role is passed only within its account): a literal execution role ARN of the image's
    /// account is no cross-account pull, as on Fargate (row 71's helper probe: PP407 unknown on
    /// EC2 only).
    #[test]
    fn on_ec2_the_execution_role_says_the_account() {
        let src = ecs_on_ec2(&[NAT, EC2_INSTANCES])
            .replace("allowed_account_ids = [\"111122223333\"]", "");
        assert_eq!(
            pp407(&src),
            vec![("PP407", "unknown", "aws_ecs_task_definition.app".into())]
        );
        assert_eq!(pp407(&by_literal_role(&src)), vec![]);
    }
}
