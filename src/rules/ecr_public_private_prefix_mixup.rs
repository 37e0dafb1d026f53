use super::analysis::{Scope, ScopeKind};
use super::{declare_rule, Finding, Hop};
use crate::graph::*;
use crate::policy::{Policy, PolicyError};

declare_rule! {
    /// ## What it does
    /// Finds policy statements that pair one registry kind's actions with the other kind's
    /// repositories: `ecr:` actions on an ECR Public repository (`arn:aws:ecr-public::…`, an
    /// `aws_ecrpublic_repository`, or in an `aws_ecrpublic_repository_policy`), or
    /// `ecr-public:` actions on a private repository (`arn:aws:ecr:<region>:…`, an
    /// `aws_ecr_repository`, or in an `aws_ecr_repository_policy`).
    ///
    /// ## Why is this bad?
    /// ECR Public is a separate service with its own action prefix, `ecr-public:`, and its own
    /// authentication (`ecr-public:GetAuthorizationToken` with `sts:GetServiceBearerToken`). A
    /// statement granting `ecr:PutImage` on a public repository grants nothing, and the push
    /// fails with an authorization error that does not mention the prefix.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role_policy" "publish" {
    ///   role = aws_iam_role.ci.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = ["ecr:PutImage", "ecr:InitiateLayerUpload"], Resource = aws_ecrpublic_repository.tool.arn }]
    ///   })
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use the prefix of the repository's kind:
    /// ```hcl
    /// resource "aws_iam_role_policy" "publish" {
    ///   role = aws_iam_role.ci.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [
    ///       { Effect = "Allow", Action = ["ecr-public:PutImage", "ecr-public:InitiateLayerUpload"], Resource = aws_ecrpublic_repository.tool.arn },
    ///       { Effect = "Allow", Action = ["ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"], Resource = "*" }
    ///     ]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - Service Authorization Reference: "Actions, resources, and condition keys for Amazon
    ///   Elastic Container Registry" (`ecr:`) and "… for Amazon Elastic Container Registry
    ///   Public" (`ecr-public:`)
    /// - Amazon ECR Public User Guide: "Public repository policy examples"
    pub static RULE = {
        code: "PP406",
        name: "ecr-public-private-prefix-mixup",
        severity: Error,
        summary: "ecr: actions for an ECR Public repository or ecr-public: actions for a private one",
        check: check,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Private,
    Public,
}

/// The registry kind of a resource ARN pattern.
fn arn_kind(pattern: &str) -> Option<Kind> {
    if crate::policy::is_unknown(pattern) {
        // A reference known only after apply: the repository's type says its kind.
        let shown = crate::policy::display_unknowns(pattern);
        if shown.contains("aws_ecrpublic_repository.") {
            return Some(Kind::Public);
        }
        if shown.contains("aws_ecr_repository.") {
            return Some(Kind::Private);
        }
        return None;
    }
    let service = pattern.split(':').nth(2)?;
    match service {
        "ecr" => Some(Kind::Private),
        "ecr-public" => Some(Kind::Public),
        _ => None,
    }
}

/// Whether a statement's actions are of a kind: some action pattern starts with the prefix.
fn action_kinds(patterns: &[String]) -> (bool, bool) {
    let lower: Vec<String> = patterns.iter().map(|p| p.to_ascii_lowercase()).collect();
    (
        lower.iter().any(|p| p.starts_with("ecr:")),
        lower.iter().any(|p| p.starts_with("ecr-public:")),
    )
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    if scope.kind != ScopeKind::Global {
        return;
    }
    let net = scope.net;
    let mut seen: Vec<String> = Vec::new();
    type Doc<'a> = (
        &'a serde_json::Value,
        &'a Result<Policy, PolicyError>,
        &'a Node,
        Option<Kind>,
    );
    let mut docs: Vec<Doc<'_>> = Vec::new();
    for p in &net.principals {
        for a in &p.policies {
            if let AttachedPolicy::Document {
                json,
                policy,
                source,
            } = a
            {
                docs.push((json, policy, source, None));
            }
        }
    }
    for r in &net.repositories {
        for a in &r.policies {
            if let AttachedPolicy::Document {
                json,
                policy,
                source,
            } = a
            {
                docs.push((
                    json,
                    policy,
                    source,
                    Some(if r.public {
                        Kind::Public
                    } else {
                        Kind::Private
                    }),
                ));
            }
        }
    }
    let public_arns: Vec<&str> = net
        .repositories
        .iter()
        .filter(|r| r.public)
        .filter_map(|r| r.arn.as_deref())
        .collect();
    let private_arns: Vec<&str> = net
        .repositories
        .iter()
        .filter(|r| !r.public)
        .filter_map(|r| r.arn.as_deref())
        .collect();
    for (json, policy, source, repo_kind) in docs {
        let key = format!("{}|{}", source.name(), json);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let Ok(policy) = policy else {
            continue;
        };
        for st in policy.statements() {
            let (negated, actions) = st.action_patterns();
            if negated {
                continue;
            }
            let (private_actions, public_actions) = action_kinds(actions);
            let resources: Vec<(String, Kind)> = match (st.resource_patterns(), repo_kind) {
                (None, Some(k)) => vec![("this repository".to_string(), k)],
                (Some((false, patterns)), _) => patterns
                    .iter()
                    .filter_map(|p| {
                        let k = arn_kind(p).or_else(|| {
                            if public_arns.contains(&p.as_str()) {
                                Some(Kind::Public)
                            } else if private_arns.contains(&p.as_str()) {
                                Some(Kind::Private)
                            } else {
                                None
                            }
                        })?;
                        Some((p.clone(), k))
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let name = st
                .sid()
                .map(str::to_string)
                .unwrap_or_else(|| format!("Statement[{}]", st.index()));
            for (resource, kind) in resources {
                let (wrong, right, what) = match kind {
                    Kind::Public if private_actions => {
                        ("ecr:", "ecr-public:", "an ECR Public repository")
                    }
                    Kind::Private if public_actions => {
                        ("ecr-public:", "ecr:", "a private ECR repository")
                    }
                    _ => continue,
                };
                let bad: Vec<&String> = actions
                    .iter()
                    .filter(|a| a.to_ascii_lowercase().starts_with(wrong))
                    .collect();
                let fixed: Vec<String> = bad
                    .iter()
                    .map(|a| format!("{right}{}", &a[wrong.len()..]))
                    .collect();
                let extra = if right == "ecr-public:" {
                    " ECR Public also needs ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken on \"*\" to log in."
                } else {
                    ""
                };
                out.push(
                    Finding::fail(
                        &RULE,
                        source.name(),
                        format!(
                            "{name} of {} grants {} on {}, {what}: those actions are for the other registry and grant nothing here",
                            source.name(),
                            bad.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                            crate::policy::display_unknowns(&resource)
                        ),
                    )
                    .with_path(vec![Hop::Document(source.name()), Hop::Statement(name.clone())])
                    .with_fix(format!("use the {right} prefix: {}.{extra}", fixed.join(", ")))
                    .at(source.location.clone(), source.input),
                );
            }
        }
    }
}
