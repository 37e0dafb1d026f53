use std::collections::BTreeMap;

use super::analysis::{Scope, ScopeKind};
use super::iam::{engine_view, identity_policies, Parsed};
use super::{declare_rule, Finding, Hop};
use crate::graph::*;
use crate::policy::{
    evaluate, evaluate_identity, unknown_text, Context, Decision, KeyState, PrincipalSpec, Request,
    ResourceSpec,
};

declare_rule! {
    /// ## What it does
    /// Finds IAM policies of the input that grant an ECR layer upload action
    /// (`InitiateLayerUpload`, `UploadLayerPart`, `CompleteLayerUpload`, so they are meant for
    /// pushing; `PutImage` with `BatchGetImage` alone is how an image is retagged through the
    /// API, which uploads no layer, and is not a push policy), and checks that every principal they are attached to (role, user, or a group's users) has the
    /// whole set `docker push` needs, through all its policies:
    ///
    /// - private ECR: `ecr:GetAuthorizationToken` on `*`, and `ecr:BatchCheckLayerAvailability`,
    ///   `ecr:InitiateLayerUpload`, `ecr:UploadLayerPart`, `ecr:CompleteLayerUpload`,
    ///   `ecr:PutImage` on the repository;
    /// - ECR Public: `ecr-public:GetAuthorizationToken` and `sts:GetServiceBearerToken` on `*`,
    ///   and the five layer and image actions with the `ecr-public:` prefix on the public
    ///   repository.
    ///
    /// AWS managed policies are known by ARN (`AmazonEC2ContainerRegistryPowerUser` grants the
    /// private set, `AmazonElasticContainerRegistryPublicPowerUser` the public one); a customer
    /// managed policy that is not in the input makes the verdict unknown. A repository policy
    /// that denies the principal counts too.
    ///
    /// ## Why is this bad?
    /// An image that never reaches the registry cannot be pulled. A CI role with some layer
    /// upload actions but not all fails at `docker push` with `denied: User … is not authorized
    /// to perform: ecr:UploadLayerPart`; ECR Public logins fail without
    /// `sts:GetServiceBearerToken`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role_policy" "ci_push" {
    ///   role = aws_iam_role.ci.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = ["ecr:InitiateLayerUpload", "ecr:PutImage"], Resource = aws_ecr_repository.app.arn }]
    ///   })
    /// }
    /// ```
    ///
    /// ## How to fix
    /// pullpath prints a statement with exactly the missing actions:
    /// ```hcl
    /// resource "aws_iam_role_policy" "ci_push" {
    ///   role = aws_iam_role.ci.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [
    ///       {
    ///         Effect   = "Allow"
    ///         Action   = ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"]
    ///         Resource = aws_ecr_repository.app.arn
    ///       },
    ///       { Effect = "Allow", Action = "ecr:GetAuthorizationToken", Resource = "*" }
    ///     ]
    ///   })
    /// }
    /// ```
    /// AWS's own example also grants `ecr:BatchGetImage`, which multi-platform pushes
    /// (`docker buildx`) use.
    ///
    /// ## References
    /// - Amazon ECR User Guide: "IAM permissions for pushing an image to an Amazon ECR private
    ///   repository"
    /// - Amazon ECR Public User Guide: "Public repository policy examples" (authentication needs
    ///   `ecr-public:GetAuthorizationToken` and `sts:GetServiceBearerToken`)
    /// - AWS managed policies for Amazon ECR and Amazon ECR Public
    /// - Amazon ECR User Guide: "Retagging an image" (with the AWS CLI: `ecr:BatchGetImage` and
    ///   `ecr:PutImage`, no layer upload)
    pub static RULE = {
        code: "PP405",
        name: "ecr-push-permissions-incomplete",
        severity: Error,
        summary: "an IAM policy meant for pushing (grants an ECR push action) lacks part of the set `docker push` needs, for private or public ECR",
        check: check,
    }
}

/// One registry kind's push set.
pub struct PushSet {
    pub public: bool,
    /// Actions that mark a policy as meant for pushing: the layer uploads (DOMAIN.md §5).
    /// `PutImage` is not one: with `BatchGetImage` alone it retags an image through the API.
    pub markers: &'static [&'static str],
    /// Actions on `*`.
    pub global: &'static [&'static str],
    /// Actions on the repository.
    pub repository: &'static [&'static str],
}

pub const PRIVATE: PushSet = PushSet {
    public: false,
    markers: &[
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
    ],
    global: &["ecr:GetAuthorizationToken"],
    repository: &[
        "ecr:BatchCheckLayerAvailability",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
        "ecr:PutImage",
    ],
};

pub const PUBLIC: PushSet = PushSet {
    public: true,
    markers: &[
        "ecr-public:InitiateLayerUpload",
        "ecr-public:UploadLayerPart",
        "ecr-public:CompleteLayerUpload",
    ],
    global: &[
        "ecr-public:GetAuthorizationToken",
        "sts:GetServiceBearerToken",
    ],
    repository: &[
        "ecr-public:BatchCheckLayerAvailability",
        "ecr-public:InitiateLayerUpload",
        "ecr-public:UploadLayerPart",
        "ecr-public:CompleteLayerUpload",
        "ecr-public:PutImage",
    ],
};

/// A document of the input that grants a push action, and the repositories it names for it.
struct PushPolicy<'a> {
    set: &'static PushSet,
    source: &'a Node,
    repositories: Vec<String>,
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    if scope.kind != ScopeKind::Global {
        return;
    }
    let net = scope.net;
    // (document source, registry kind) -> principals lacking actions: (principal, missing, unknown reasons)
    type Lacking = Vec<(String, Vec<String>, Vec<String>)>;
    let mut results: BTreeMap<(String, bool), (Vec<String>, Node, Lacking)> = BTreeMap::new();
    let mut checked_sources: Vec<String> = Vec::new();
    for p in 0..net.principals.len() {
        let principal = &net.principals[p];
        if principal.node.data {
            continue;
        }
        // A group's policies are checked through its users; a group without users in the
        // input is checked on its own.
        if principal.kind == PrincipalKind::Group
            && net.principals.iter().any(|u| u.groups.contains(&p))
        {
            continue;
        }
        let parsed = identity_policies(net, p);
        for push in push_policies(&parsed) {
            checked_sources.push(push.source.name());
            let (missing, unknown) = evaluate_set(
                scope,
                &parsed,
                principal.arn.as_deref(),
                Some(&principal.node),
                &push,
            );
            let entry = results
                .entry((push.source.name(), push.set.public))
                .or_insert((push.repositories.clone(), push.source.clone(), Vec::new()));
            if !missing.is_empty() || !unknown.is_empty() {
                entry.2.push((principal.node.name(), missing, unknown));
            }
        }
    }
    // Policies of the input attached to no principal of the input: on their own.
    for p in &net.iam_policies {
        let address = p.node.name();
        if checked_sources.contains(&address) {
            continue;
        }
        let Some(Ok(policy)) = &p.policy else {
            continue;
        };
        let parsed = vec![Parsed::Document {
            policy,
            source: p.node.clone(),
        }];
        for push in push_policies(&parsed) {
            let (missing, _) = evaluate_set(scope, &parsed, None, None, &push);
            if !missing.is_empty() {
                let f = Finding::unknown(
                    &RULE,
                    address.clone(),
                    format!(
                        "{address} grants ECR push actions but is attached to no principal of the input; on its own it lacks {}",
                        missing.join(", ")
                    ),
                )
                .with_path(vec![Hop::Document(address.clone())])
                .with_fix(statement_fix(push.set, &missing, &push.repositories))
                .at(p.node.location.clone(), p.node.input);
                out.push(f);
            }
        }
    }
    for ((source, public), (repositories, node, lacking)) in results {
        if lacking.is_empty() {
            continue;
        }
        let set = if public { &PUBLIC } else { &PRIVATE };
        let registry = if public { "ECR Public" } else { "private ECR" };
        let failing: Vec<&(String, Vec<String>, Vec<String>)> =
            lacking.iter().filter(|(_, m, _)| !m.is_empty()).collect();
        let (principals, finding) = if !failing.is_empty() {
            let mut missing: Vec<String> = failing
                .iter()
                .flat_map(|(_, m, _)| m.iter().cloned())
                .collect();
            missing.sort();
            missing.dedup();
            let names: Vec<String> = failing.iter().map(|(n, _, _)| n.clone()).collect();
            (
                names.clone(),
                Finding::fail(
                    &RULE,
                    source.clone(),
                    format!(
                        "{source} grants {registry} push actions, but {} cannot `docker push`: {} {} not allowed",
                        names.join(", "),
                        missing.join(", "),
                        if missing.len() == 1 { "is" } else { "are" }
                    ),
                )
                .with_fix(statement_fix(set, &missing, &repositories)),
            )
        } else {
            let names: Vec<String> = lacking.iter().map(|(n, _, _)| n.clone()).collect();
            let mut reasons: Vec<String> = lacking
                .iter()
                .flat_map(|(_, _, u)| u.iter().cloned())
                .collect();
            reasons.sort();
            reasons.dedup();
            (
                names.clone(),
                Finding::unknown(
                    &RULE,
                    source.clone(),
                    format!(
                        "whether {} may `docker push` with {source} is not decided: {}",
                        names.join(", "),
                        reasons.join("; ")
                    ),
                ),
            )
        };
        let mut path: Vec<Hop> = principals.into_iter().map(Hop::Principal).collect();
        path.push(Hop::Document(source.clone()));
        out.push(
            finding
                .with_path(path)
                .at(node.location.clone(), node.input),
        );
    }
}

/// The documents (of the input, not AWS managed) that grant a push action, per registry kind.
fn push_policies<'a>(parsed: &'a [Parsed<'_>]) -> Vec<PushPolicy<'a>> {
    let mut out = Vec::new();
    for p in parsed {
        let Parsed::Document { policy, source } = p else {
            continue;
        };
        for set in [&PRIVATE, &PUBLIC] {
            let mut repos: Vec<String> = Vec::new();
            let mut grants = false;
            for st in policy.statements() {
                if st.effect() != crate::policy::Effect::Allow {
                    continue;
                }
                if !set.markers.iter().any(|a| st.covers_action(a)) {
                    continue;
                }
                grants = true;
                match st.resource_patterns() {
                    Some((false, patterns)) => repos.extend(patterns.iter().cloned()),
                    _ => repos.push("*".to_string()),
                }
            }
            if grants {
                repos.sort();
                repos.dedup();
                out.push(PushPolicy {
                    set,
                    source,
                    repositories: repos,
                });
            }
        }
    }
    out
}

/// The actions of the set a principal lacks (denied) and the reasons some are unknown.
fn evaluate_set(
    scope: &Scope<'_>,
    parsed: &[Parsed<'_>],
    arn: Option<&str>,
    who: Option<&Node>,
    push: &PushPolicy<'_>,
) -> (Vec<String>, Vec<String>) {
    let (view, reasons) = engine_view(parsed);
    let principal = match arn {
        Some(a) => PrincipalSpec::Arn(a.to_string()),
        None => PrincipalSpec::UnknownAwsPrincipal,
    };
    let mut missing = Vec::new();
    let mut unknown = Vec::new();
    let request = |action: &str, resource: &str| Request {
        principal: principal.clone(),
        action: action.to_string(),
        resource: ResourceSpec::Exact(resource.to_string()),
        context: Context::all_unknown("condition keys of a docker push are not modelled"),
    };
    let mut ask = |action: &str, resource: &str| {
        let ev = evaluate_identity(&view, &request(action, resource));
        match ev.decision {
            Decision::Allow => {}
            Decision::ImplicitDeny | Decision::ExplicitDeny => {
                if !missing.iter().any(|m: &String| m == action) {
                    missing.push(action.to_string());
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
    };
    for a in push.set.global {
        ask(a, "*");
    }
    for repo in &push.repositories {
        for a in push.set.repository {
            ask(a, repo);
        }
    }
    // A repository policy that denies the principal blocks the push whatever IAM allows. An ARN
    // not known before apply stands as the reference that gives it (how HCL writes it), so a
    // statement naming `aws_iam_role.ci.arn` matches the role.
    let principal_id = match (arn, who) {
        (Some(a), _) => Some(a.to_string()),
        (None, Some(node)) => node
            .address
            .as_ref()
            .map(|a| unknown_text(&format!("{a}.arn"))),
        (None, None) => None,
    };
    if let Some(principal_id) = principal_id {
        for r in scope
            .net
            .repositories
            .iter()
            .filter(|r| r.public == push.set.public)
        {
            // The repository as the push policy names it: its ARN, the reference to it, or (its
            // ARN being known only after apply) a literal ARN ending in its name.
            let reference = r
                .node
                .address
                .as_ref()
                .map(|a| unknown_text(&format!("{a}.arn")));
            let named = |p: &String| match (&r.arn, &r.name) {
                (Some(a), _) => p == a,
                (None, Some(name)) => {
                    Some(p) == reference.as_ref() || p.ends_with(&format!(":repository/{name}"))
                }
                (None, None) => Some(p) == reference.as_ref(),
            };
            let Some(repo_id) = push
                .repositories
                .iter()
                .find(|p| named(p))
                .or_else(|| {
                    push.repositories
                        .iter()
                        .find(|p| *p == "*")
                        .and(r.arn.as_ref().or(reference.as_ref()))
                })
                .cloned()
            else {
                continue;
            };
            for attached in &r.policies {
                let AttachedPolicy::Document {
                    policy: Ok(policy),
                    source,
                    ..
                } = attached
                else {
                    continue;
                };
                for a in push.set.repository {
                    let req = Request {
                        principal: PrincipalSpec::Arn(principal_id.clone()),
                        action: a.to_string(),
                        resource: ResourceSpec::Exact(repo_id.clone()),
                        context: Context::new(KeyState::unknown("not modelled")),
                    };
                    let ev = evaluate(policy, &req);
                    match ev.decision {
                        Decision::ExplicitDeny => missing.push(format!(
                            "{a} (denied by the repository policy {})",
                            source.name()
                        )),
                        // Undecided, or denied only for want of an Allow while a Deny may
                        // apply: whether the repository policy blocks the push is not known.
                        Decision::Unknown | Decision::ImplicitDeny
                            if ev.deciding.iter().any(|d| {
                                policy.statements().iter().any(|s| {
                                    s.effect() == crate::policy::Effect::Deny
                                        && s.index() == d.index
                                })
                            }) =>
                        {
                            unknown.push(format!(
                                "whether the repository policy {} denies {a} is not decided ({})",
                                source.name(),
                                ev.unknown_because.join("; ")
                            ))
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    unknown.sort();
    unknown.dedup();
    (missing, unknown)
}

/// A ready policy document with exactly the missing actions.
fn statement_fix(set: &PushSet, missing: &[String], repositories: &[String]) -> String {
    // Actions a repository policy denies are not fixed by an Allow: they are listed apart.
    let (denied, plain): (Vec<&String>, Vec<&String>) =
        missing.iter().partition(|m| m.contains(" (denied by"));
    let global: Vec<&str> = plain
        .iter()
        .map(|a| a.as_str())
        .filter(|a| set.global.contains(a))
        .collect();
    let repo: Vec<&str> = plain
        .iter()
        .map(|a| a.as_str())
        .filter(|a| set.repository.contains(a))
        .collect();
    let mut statements = Vec::new();
    if !repo.is_empty() {
        let resource = match repositories {
            [] => serde_json::json!("<repository ARN>"),
            [one] => serde_json::json!(one),
            many => serde_json::json!(many),
        };
        statements
            .push(serde_json::json!({"Effect": "Allow", "Action": repo, "Resource": resource}));
    }
    if !global.is_empty() {
        statements.push(serde_json::json!({"Effect": "Allow", "Action": global, "Resource": "*"}));
    }
    let mut fix = String::new();
    if !statements.is_empty() {
        let doc = serde_json::json!({"Version": "2012-10-17", "Statement": statements});
        fix = format!(
            "add these statements (exactly the missing actions):\n{}\n",
            super::fixes::pretty(&doc)
        );
    }
    if !denied.is_empty() {
        let list: Vec<&str> = denied.iter().map(|d| d.as_str()).collect();
        fix.push_str(&format!(
            "narrow the repository policy's Deny so that it does not cover this principal: {}\n",
            list.join(", ")
        ));
    }
    fix
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    fn pp405(actions: &str) -> Vec<(&'static str, &'static str, String)> {
        let src = format!(
            r#"
resource "aws_ecr_repository" "app" {{
  name = "app"
}}

resource "aws_iam_role" "ci" {{
  name               = "ci"
  assume_role_policy = "{{}}"
}}

resource "aws_iam_role_policy" "push" {{
  role = aws_iam_role.ci.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {actions}, Resource = aws_ecr_repository.app.arn }}]
  }})
}}
"#
        );
        verdicts_of("PP405", &check_hcl(&[("main.tf", &src)]))
    }

    /// A policy is meant for pushing when it grants a layer upload action (DOMAIN.md §5);
    /// `ecr:PutImage` with `ecr:BatchGetImage` is how an image is retagged through the API, with
    /// no layer uploaded: not a push policy (it failed as one).
    #[test]
    fn a_retag_policy_is_not_a_push_policy() {
        assert_eq!(pp405(r#"["ecr:PutImage", "ecr:BatchGetImage"]"#), vec![]);
        assert_eq!(pp405(r#""ecr:PutImage""#), vec![]);
        assert_eq!(
            pp405(r#"["ecr:PutImage", "ecr:InitiateLayerUpload"]"#),
            vec![("PP405", "fail", "aws_iam_role_policy.push".into())]
        );
    }
}
