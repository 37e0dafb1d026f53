//! IAM roles, users and groups with their identity policies (inline, attached, managed) and
//! group memberships, and the lookups workloads use to find the role that pulls.

use std::collections::BTreeSet;

use super::builder::{join_reasons, text, Builder};
use super::document::DocError;
use super::registry::node_of;
use crate::graph::{AttachedPolicy, Fact, IamPolicy, Node, Principal, PrincipalIdx, PrincipalKind};
use crate::model::{Resource, Value};
use crate::policy::Policy;

impl Builder<'_> {
    /// IAM roles, users and groups with their identity policies; group memberships.
    pub(super) fn principals(&mut self) {
        let model = self.model();
        for kind in [
            PrincipalKind::Role,
            PrincipalKind::User,
            PrincipalKind::Group,
        ] {
            let rtype = kind.resource_type();
            let want = |x: &Resource| x.rtype() == rtype;
            let managed = self.ix.of_type(false, rtype).iter();
            for &i in managed.chain(self.ix.of_type(true, rtype)) {
                let c = self.ix.canonical(i, &want);
                if let Some(n) = self.principals.of_resource(c) {
                    self.principals.link(i, n);
                    continue;
                }
                let x = self.ix.res(c);
                let source = node_of(self.ix.model, x, c);
                let mut policies = Vec::new();
                if x.is_data() {
                    policies.push(AttachedPolicy::Unknown {
                        reason: format!(
                            "{} is read with a data source: its policies are not in the input",
                            x.address
                        ),
                        source: source.clone(),
                    });
                } else {
                    if let Some(Value::List(blocks)) = x.get("inline_policy") {
                        for b in blocks {
                            if let Some(p) = b
                                .get("policy")
                                .filter(|p| !p.is_null() && p.as_str() != Some(""))
                            {
                                policies.push(self.role_policy(x.input, p, source.clone()));
                            }
                        }
                    }
                    match x.get("managed_policy_arns") {
                        Some(Value::List(arns)) => {
                            for a in arns {
                                policies.push(self.managed_policy(x.input, a, source.clone()));
                            }
                        }
                        Some(v) if v.is_undecided() && !v.is_not_configured() => {
                            policies.push(AttachedPolicy::Unknown {
                                reason: format!(
                                    "{}.managed_policy_arns is not known before apply",
                                    x.address
                                ),
                                source: source.clone(),
                            })
                        }
                        _ => {}
                    }
                }
                // A data source's boundary is not read: its policies are unknown already.
                let boundary = x
                    .get("permissions_boundary")
                    .filter(|v| !x.is_data() && !v.is_null() && v.as_str() != Some(""))
                    .filter(|v| !v.is_not_configured())
                    .map(|v| self.managed_policy(x.input, v, source.clone()));
                let n = self.principals.add(
                    &mut self.net.principals,
                    Principal {
                        kind,
                        name: text(x, "name"),
                        arn: text(x, "arn"),
                        policies,
                        groups: Vec::new(),
                        boundary,
                        node: source,
                    },
                );
                self.principals.link(c, n);
                self.principals.link(i, n);
                // Found by name (in its own input, or in any when an ARN names it) and by ARN.
                let k = rtype;
                if let Some(name) = text(x, "name") {
                    self.principals
                        .alias(format!("{k}:name:{}:{name}", x.input), n);
                    self.principals.alias(format!("{k}:anyname:{name}"), n);
                }
                if let Some(arn) = text(x, "arn") {
                    self.principals.alias(format!("arn:{arn}"), n);
                }
            }
        }
        for (i, r) in model.resources.iter().enumerate() {
            let node = || node_of(self.ix.model, r, i);
            let (key, kind) = match r.rtype() {
                "aws_iam_role_policy" | "aws_iam_role_policy_attachment" => {
                    ("role", PrincipalKind::Role)
                }
                "aws_iam_user_policy" | "aws_iam_user_policy_attachment" => {
                    ("user", PrincipalKind::User)
                }
                "aws_iam_group_policy" | "aws_iam_group_policy_attachment" => {
                    ("group", PrincipalKind::Group)
                }
                "aws_iam_policy_attachment" => {
                    let Some(a) = r.get("policy_arn") else {
                        continue;
                    };
                    let policy = self.managed_policy(r.input, a, node());
                    for (key, kind) in [
                        ("roles", PrincipalKind::Role),
                        ("users", PrincipalKind::User),
                        ("groups", PrincipalKind::Group),
                    ] {
                        if let Some(v) = r.get(key) {
                            for n in self.principals_of(r.input, v, kind) {
                                self.net.principals[n].policies.push(policy.clone());
                            }
                        }
                    }
                    continue;
                }
                "aws_iam_group_membership" => {
                    let groups = r
                        .get("group")
                        .map(|v| self.principals_of(r.input, v, PrincipalKind::Group))
                        .unwrap_or_default();
                    let users = r
                        .get("users")
                        .map(|v| self.principals_of(r.input, v, PrincipalKind::User))
                        .unwrap_or_default();
                    for u in users {
                        self.net.principals[u].groups.extend(groups.iter().copied());
                    }
                    continue;
                }
                "aws_iam_user_group_membership" => {
                    let users = r
                        .get("user")
                        .map(|v| self.principals_of(r.input, v, PrincipalKind::User))
                        .unwrap_or_default();
                    let groups = r
                        .get("groups")
                        .map(|v| self.principals_of(r.input, v, PrincipalKind::Group))
                        .unwrap_or_default();
                    for u in users {
                        self.net.principals[u].groups.extend(groups.iter().copied());
                    }
                    continue;
                }
                _ => continue,
            };
            let policy = if r.rtype().ends_with("_attachment") {
                let Some(a) = r.get("policy_arn") else {
                    continue;
                };
                self.managed_policy(r.input, a, node())
            } else {
                let Some(p) = r.get("policy") else { continue };
                self.role_policy(r.input, p, node())
            };
            if let Some(v) = r.get(key) {
                let found = self.principals_of(r.input, v, kind);
                if found.is_empty() && matches!(v, Value::Unknown(_)) {
                    // The principal is named by a value not known before apply
                    // (`role = "${var.prefix}-exec"`): an undecided join is never "not attached".
                    self.attach_undecided(r, v, kind, policy.clone(), node());
                }
                for n in found {
                    self.net.principals[n].policies.push(policy.clone());
                }
            }
        }
        for p in &mut self.net.principals {
            p.groups.sort_unstable();
            p.groups.dedup();
            // The list grew by pushes (room for four when the first came); most principals
            // have one or two policies, kept for the whole run.
            p.policies.shrink_to_fit();
        }
    }

    /// A policy (or attachment) `r` whose principal is named by the unknown value `v`: it is
    /// attached to each principal of `kind` whose name the same template in the same module
    /// instance gives (`name = "${var.prefix}-exec"` and `role = "${var.prefix}-exec"`), and may
    /// be attached to each whose name it may be (the known parts of the template agree, or the
    /// name is not known): those get a policy that is not known, with the reason.
    fn attach_undecided(
        &mut self,
        r: &Resource,
        v: &Value,
        kind: PrincipalKind,
        policy: AttachedPolicy,
        source: Node,
    ) {
        let model = self.model();
        let Value::Unknown(u) = v else { return };
        let pattern = u.marked.as_deref().map(crate::policy::raw_markers);
        let module = module_of(r);
        let why = u.reason.to_string();
        for n in 0..self.net.principals.len() {
            let p = &self.net.principals[n];
            if p.kind != kind || p.node.input != Some(r.input) || p.node.data {
                continue;
            }
            let Some(x) = p.node.resource.and_then(|i| model.resources.get(i)) else {
                continue;
            };
            let attach = match (&p.name, x.get("name"), &pattern) {
                (Some(name), _, Some(pat)) => {
                    if !template_may_be(pat, name) {
                        continue;
                    }
                    None
                }
                (_, Some(Value::Unknown(nu)), Some(pat))
                    if module_of(x) == module
                        && nu
                            .marked
                            .as_deref()
                            .map(crate::policy::raw_markers)
                            .as_deref()
                            == Some(pat) =>
                {
                    Some(policy.clone())
                }
                _ => None,
            };
            let attached = attach.unwrap_or_else(|| AttachedPolicy::Unknown {
                reason: format!(
                    "{} names its {} with a value not known before apply ({why}): it may be attached to {}",
                    r.address,
                    kind.resource_type().trim_start_matches("aws_iam_"),
                    x.address
                ),
                source: source.clone(),
            });
            self.net.principals[n].policies.push(attached);
        }
    }

    /// The principals of one kind a value (name, ARN, or reference) names.
    pub(super) fn principals_of(
        &self,
        input: usize,
        v: &Value,
        kind: PrincipalKind,
    ) -> Vec<PrincipalIdx> {
        let rtype = kind.resource_type();
        let want = |x: &Resource| x.rtype() == rtype;
        let found = self.ix.find(input, v, &want);
        let mut out = BTreeSet::new();
        for i in found
            .resources
            .iter()
            .chain(found.others.iter().map(|(o, _)| o))
        {
            if let Some(n) = self.principals.of_resource(*i) {
                out.insert(n);
            }
        }
        for s in found.literals.iter().chain(found.ids.iter()) {
            if let Some(n) = self.principal_by_name_or_arn(input, s, kind) {
                out.insert(n);
            }
        }
        out.into_iter().collect()
    }

    /// A principal by name, or by ARN (also a role whose own ARN is known only after apply,
    /// matched by the name in the ARN).
    pub(super) fn principal_by_name_or_arn(
        &self,
        input: usize,
        s: &str,
        kind: PrincipalKind,
    ) -> Option<PrincipalIdx> {
        let k = kind.resource_type();
        let name = s.rsplit('/').next().unwrap_or(s);
        if let Some(n) = self.principals.by_id(&format!("{k}:name:{input}:{name}")) {
            return Some(n);
        }
        if let Some(n) = self.principals.by_id(&format!("arn:{s}")) {
            return Some(n);
        }
        let marker = match kind {
            PrincipalKind::Role => ":role/",
            PrincipalKind::User => ":user/",
            PrincipalKind::Group => ":group/",
        };
        if s.starts_with("arn:") && s.contains(marker) {
            return self.principals.by_id(&format!("{k}:anyname:{name}"));
        }
        None
    }

    /// The roles a value (role name, ARN, or reference) names.
    pub(super) fn roles_of(&self, input: usize, v: &Value) -> Vec<PrincipalIdx> {
        self.principals_of(input, v, PrincipalKind::Role)
    }

    /// Every managed `aws_iam_policy`, with its document when it is JSON text (what a rule
    /// reads of a policy that nothing of the input attaches).
    pub(super) fn iam_policies(&mut self) {
        let model = self.model();
        for (i, r) in model.resources.iter().enumerate() {
            if r.rtype() != "aws_iam_policy" || r.is_data() {
                continue;
            }
            let policy = r
                .get("policy")
                .and_then(Value::as_str)
                .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
                .map(|json| Policy::from_value(&json));
            self.net.iam_policies.push(IamPolicy {
                node: node_of(self.ix.model, r, i),
                policy,
            });
        }
    }

    /// The account each input deploys into, when what it says agrees: its providers'
    /// `allowed_account_ids`, `data.aws_caller_identity.account_id`, the owner of its VPCs and
    /// the account of the known ARNs of its roles and repositories (managed, not read).
    pub(super) fn input_accounts(&mut self) {
        let model = self.model();
        let mut seen: Vec<BTreeSet<String>> = vec![BTreeSet::new(); model.inputs.len()];
        let mut add = |input: Option<usize>, account: Option<&str>| {
            if let (Some(i), Some(a)) = (input, account) {
                if a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()) {
                    if let Some(set) = seen.get_mut(i) {
                        set.insert(a.to_string());
                    }
                }
            }
        };
        // Providers that may deploy into several accounts leave the input's account open,
        // whatever its resources say (a VPC of one, a repository policy of another).
        let several: Vec<Option<String>> = model
            .inputs
            .iter()
            .map(|info| match info.allowed_accounts.as_deref() {
                Some(list) if list.len() > 1 => Some(list.join(", ")),
                _ => None,
            })
            .collect();
        for (i, info) in model.inputs.iter().enumerate() {
            if let Some([one]) = info.allowed_accounts.as_deref() {
                add(Some(i), Some(one.as_str()));
            }
        }
        for &i in self.ix.of_type(true, "aws_caller_identity") {
            let r = self.ix.res(i);
            add(Some(r.input), r.get("account_id").and_then(Value::as_str));
        }
        let arn_account = |arn: &str| arn.split(':').nth(4).map(str::to_string);
        for v in &self.net.vpcs {
            if !v.node.data {
                add(v.node.input, v.owner_account.as_deref());
            }
        }
        for p in &self.net.principals {
            if !p.node.data && p.node.resource.is_some() {
                add(
                    p.node.input,
                    p.arn.as_deref().and_then(arn_account).as_deref(),
                );
            }
        }
        for r in &self.net.repositories {
            if r.node.resource.is_some() {
                add(
                    r.node.input,
                    r.arn.as_deref().and_then(arn_account).as_deref(),
                );
            }
        }
        self.net.input_accounts = seen
            .into_iter()
            .zip(several)
            .map(|(set, several)| match (several, set.len()) {
                (Some(list), _) => Fact::Unknown(format!(
                    "its providers may deploy into several accounts ({list})"
                )),
                (None, 1) => Fact::Known(set.into_iter().next().unwrap_or_default()),
                (None, 0) => Fact::Unknown(
                    "the input does not say which account it deploys into (no provider allowed_account_ids, no data.aws_caller_identity or ARN known before apply)".to_string(),
                ),
                (None, _) => Fact::Unknown(format!(
                    "the input names several accounts as its own ({})",
                    set.into_iter().collect::<Vec<_>>().join(", ")
                )),
            })
            .collect();
    }

    pub(super) fn role_policy(&self, input: usize, v: &Value, source: Node) -> AttachedPolicy {
        match self.policy_document(input, v) {
            Ok((json, _)) => AttachedPolicy::Document {
                policy: Policy::from_value(&json),
                json,
                source,
            },
            Err(DocError::Invalid(e)) => AttachedPolicy::Unknown {
                reason: format!("{}: {e}", source.name()),
                source,
            },
            Err(DocError::Unknown(why)) => AttachedPolicy::Unknown {
                reason: format!(
                    "{}: the policy is not known before apply ({why})",
                    source.name()
                ),
                source,
            },
        }
    }

    /// A policy attached by ARN: a policy of the input (by reference or by its ARN), or an
    /// AWS managed policy for the policy engine to look up.
    pub(super) fn managed_policy(&self, input: usize, v: &Value, source: Node) -> AttachedPolicy {
        let want = |x: &Resource| x.rtype() == "aws_iam_policy";
        let found = self.ix.find(input, v, &want);
        if let Some(&i) = found.resources.first() {
            let p = self.ix.res(i);
            return match p.get("policy") {
                Some(doc) => self.role_policy(p.input, doc, node_of(self.ix.model, p, i)),
                None => AttachedPolicy::Unknown {
                    reason: format!("the document of {} is not in the input", p.address),
                    source,
                },
            };
        }
        if let Some(arn) = found.literals.first().or(found.ids.first()) {
            return AttachedPolicy::Managed {
                arn: arn.clone(),
                source,
            };
        }
        if let Some((i, _)) = found.others.first() {
            return AttachedPolicy::Unknown {
                reason: format!(
                    "{}: the attached policy {} is not a policy of the input",
                    source.name(),
                    self.ix.res(*i).address
                ),
                source,
            };
        }
        AttachedPolicy::Unknown {
            reason: format!(
                "{}: the attached policy is not known before apply ({})",
                source.name(),
                join_reasons(&found.gaps)
            ),
            source,
        }
    }
}

/// The module instance of a resource: its address before `<type>.` (`module.a.` or empty).
fn module_of(r: &Resource) -> &str {
    let t = format!("{}.", r.rtype());
    let t = if r.is_data() { format!("data.{t}") } else { t };
    r.address.rfind(&t).map_or("", |i| &r.address[..i])
}

/// Whether a template whose unknown parts are markers may render as `text`: its known pieces
/// appear in order, the first at the start and the last at the end.
fn template_may_be(pattern: &str, text: &str) -> bool {
    let mut pieces = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('\u{1}') {
        pieces.push(&rest[..open]);
        match rest[open..].find('\u{2}') {
            Some(close) => rest = &rest[open + close + 1..],
            None => return true,
        }
    }
    pieces.push(rest);
    if pieces.len() == 1 {
        return pieces[0] == text;
    }
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    let Some(mut at) = text.strip_prefix(first).map(|_| first.len()) else {
        return false;
    };
    for piece in &pieces[1..pieces.len() - 1] {
        match text[at..].find(piece) {
            Some(i) => at += i + piece.len(),
            None => return false,
        }
    }
    text.len() >= at + last.len() && text.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_may_be_the_texts_its_known_pieces_allow() {
        let t = "\u{1}var.prefix\u{2}-exec";
        assert!(template_may_be(t, "web-exec"));
        assert!(template_may_be(t, "-exec"));
        assert!(!template_may_be(t, "web-task"));
        let t = "app-\u{1}x\u{2}-\u{1}y\u{2}-role";
        assert!(template_may_be(t, "app-a-b-role"));
        assert!(!template_may_be(t, "app-role"));
        assert!(!template_may_be(t, "app-ab-role"));
        assert!(template_may_be("\u{1}x\u{2}", "anything"));
    }
}
