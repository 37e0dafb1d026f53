//! IAM roles, users and groups with their identity policies (inline, attached, managed) and
//! group memberships, and the lookups workloads use to find the role that pulls.

use std::collections::BTreeSet;

use super::builder::{join_reasons, text, Builder};
use super::document::DocError;
use super::registry::node_of;
use crate::graph::{AttachedPolicy, Fact, IamPolicy, Node, Principal, PrincipalIdx, PrincipalKind};
use crate::model::{InputKind, Resource, Value};
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
        let exclusive = self.exclusive_sets();
        let owners = self.policy_owners();
        for (i, r) in model.resources.iter().enumerate() {
            let node = || node_of(self.ix.model, r, i);
            if let Some((key, kind, true)) = exclusive_resource(r.rtype()) {
                // `aws_iam_role_policy_attachments_exclusive`: attaches every ARN it lists
                // (and detaches the others: see `exclusive_sets`).
                let Some(v) = r.get(key) else { continue };
                let found = self.principals_of(r.input, v, kind);
                let arns = match r.get("policy_arns") {
                    Some(Value::List(arns)) => arns.clone(),
                    Some(list) if list.is_undecided() => {
                        // Which policies it keeps is not known: any of the principal's may go.
                        let policy = AttachedPolicy::Unknown {
                            reason: format!(
                                "the policies {} attaches are not known before apply ({})",
                                r.address,
                                list.undecided_reason().unwrap_or_default()
                            ),
                            source: node(),
                        };
                        for &n in &found {
                            self.net.principals[n].policies.push(policy.clone());
                        }
                        continue;
                    }
                    _ => continue,
                };
                for a in &arns {
                    let policy = self.managed_policy(r.input, a, node());
                    if found.is_empty() && matches!(v, Value::Unknown(_)) {
                        self.attach_undecided(r, v, kind, policy.clone(), node());
                    }
                    for &n in &found {
                        let policy = self.unless_owned(&owners, n, i, r, a, &policy);
                        self.net.principals[n].policies.push(policy);
                    }
                }
                continue;
            }
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
                                let policy = self.unless_detached(&exclusive, n, r, &policy);
                                let policy = self.unless_owned(&owners, n, i, r, a, &policy);
                                self.net.principals[n].policies.push(policy);
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
                    let policy = self.unless_detached(&exclusive, n, r, &policy);
                    let policy = match r.get("policy_arn") {
                        Some(a) if r.rtype().ends_with("_attachment") => {
                            self.unless_owned(&owners, n, i, r, a, &policy)
                        }
                        _ => policy,
                    };
                    self.net.principals[n].policies.push(policy);
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

    /// The principals whose policies of one sort something of the input manages exclusively:
    /// a role's own `managed_policy_arns` or `inline_policy` blocks when written, and the
    /// `aws_iam_*_policy_attachments_exclusive` / `aws_iam_*_policies_exclusive` resources.
    /// Terraform removes, on apply, every policy of that sort the list leaves out, including
    /// those another resource of the input attaches (the two then fight on every apply).
    fn exclusive_sets(&self) -> Vec<Exclusive> {
        let model = self.model();
        let mut out = Vec::new();
        let written = |x: &Resource, attr: &str| {
            model.inputs.get(x.input).map(|i| i.kind) == Some(InputKind::Hcl)
                || x.attr_locations().iter().any(|(n, _)| n == attr)
        };
        for (i, x) in model.resources.iter().enumerate() {
            if x.is_data() {
                continue;
            }
            let mut add =
                |principals: Vec<PrincipalIdx>, managed: bool, by: String, list: Listed| {
                    for principal in principals {
                        out.push(Exclusive {
                            principal,
                            managed,
                            by: by.clone(),
                            list: list.clone(),
                        });
                    }
                };
            if matches!(x.rtype(), "aws_iam_role" | "aws_iam_user" | "aws_iam_group") {
                let Some(n) = self.principals.of_resource(i) else {
                    continue;
                };
                match x.get("managed_policy_arns") {
                    Some(v @ Value::List(_)) if written(x, "managed_policy_arns") => add(
                        vec![n],
                        true,
                        format!("{}.managed_policy_arns", x.address),
                        Listed::of(v),
                    ),
                    _ => {}
                }
                // Blocks written (a `dynamic` block of no iterations writes none, and manages
                // nothing).
                if let Some(Value::List(blocks)) = x.get("inline_policy") {
                    if written(x, "inline_policy") && !blocks.is_empty() {
                        let names = blocks
                            .iter()
                            .map(|b| b.get("name").cloned().unwrap_or(Value::Null))
                            .collect();
                        let list = Listed::Items(names);
                        add(vec![n], false, format!("{}.inline_policy", x.address), list);
                    }
                }
                continue;
            }
            let Some((key, kind, managed)) = exclusive_resource(x.rtype()) else {
                continue;
            };
            let list_attr = if managed {
                "policy_arns"
            } else {
                "policy_names"
            };
            let Some(v) = x.get(key) else { continue };
            let list = x.get(list_attr).map_or(Listed::Undecided, Listed::of);
            add(
                self.principals_of(x.input, v, kind),
                managed,
                x.address.clone(),
                list,
            );
        }
        out
    }

    /// Every `aws_iam_policy_attachment`: the policy it attaches and the principals it lists.
    /// The provider's documentation: it "creates exclusive attachments of IAM policies. Across
    /// the entire AWS account, all of the users/roles/groups to which a single policy is
    /// attached must be declared by a single aws_iam_policy_attachment resource".
    fn policy_owners(&self) -> Vec<PolicyOwner> {
        let model = self.model();
        let mut out = Vec::new();
        for (i, x) in model.resources.iter().enumerate() {
            if x.is_data() || x.rtype() != "aws_iam_policy_attachment" {
                continue;
            }
            let Some(policy) = x.get("policy_arn") else {
                continue;
            };
            let mut principals = Vec::new();
            let mut undecided = false;
            for (key, kind) in [
                ("roles", PrincipalKind::Role),
                ("users", PrincipalKind::User),
                ("groups", PrincipalKind::Group),
            ] {
                if let Some(v) = x.get(key) {
                    undecided |= v.is_undecided() && !v.is_not_configured();
                    principals.extend(self.principals_of(x.input, v, kind));
                }
            }
            out.push(PolicyOwner {
                resource: i,
                policy: policy.clone(),
                principals,
                undecided,
            });
        }
        out
    }

    /// `policy` (the managed policy `arn`, attached to principal `n` by resource `i`), or an
    /// unknown one when an `aws_iam_policy_attachment` of the input owns who has that policy
    /// (account-wide) and does not list `n`, or when two of them own it: Terraform detaches
    /// what the owner does not list on apply, and the two fight on every apply.
    fn unless_owned(
        &self,
        owners: &[PolicyOwner],
        n: PrincipalIdx,
        i: usize,
        r: &Resource,
        arn: &Value,
        policy: &AttachedPolicy,
    ) -> AttachedPolicy {
        let want = |x: &Resource| x.rtype() == "aws_iam_policy";
        for o in owners.iter().filter(|o| o.resource != i) {
            let same = self.listed(r.input, arn, std::slice::from_ref(&o.policy), &want);
            let owner = &self.ix.res(o.resource).address;
            let who = self.net.principals[n].node.name();
            if same == Some(false) || self.surely_other_policy(r.input, arn, &o.policy) {
                continue;
            }
            let reason = if same.is_none() && !o.principals.contains(&n) {
                format!(
                    "whether {owner} (aws_iam_policy_attachment, which owns who has a policy account-wide) attaches the policy {} attaches is not known before apply: if it does, Terraform detaches it from {who}",
                    r.address
                )
            } else if same.is_none() {
                continue;
            } else if r.rtype() == "aws_iam_policy_attachment" {
                format!(
                    "{owner} and {} both attach the same policy with aws_iam_policy_attachment, which owns a policy's attachments account-wide: each apply detaches what the other lists, so whether {who} keeps it is not decided",
                    r.address
                )
            } else if o.principals.contains(&n) {
                continue;
            } else if o.undecided {
                format!(
                    "{owner} (aws_iam_policy_attachment) owns who has this policy account-wide, and whether it lists {who} is not known before apply: Terraform detaches it from {who} on apply if not"
                )
            } else {
                format!(
                    "{owner} (aws_iam_policy_attachment) owns who has this policy account-wide and does not list {who}: Terraform detaches it from {who} on apply (and {} attaches it again on the next: they fight)",
                    r.address
                )
            };
            return AttachedPolicy::Unknown {
                reason,
                source: policy.source().clone(),
            };
        }
        policy.clone()
    }

    /// Whether two policy ARNs, one not known before apply, surely name different policies: two
    /// different `aws_iam_policy` resources of the input, or one of them and an AWS managed
    /// policy's ARN (`arn:…:iam::aws:policy/…`, an account no policy of the input is in).
    fn surely_other_policy(&self, input: usize, a: &Value, b: &Value) -> bool {
        let want = |x: &Resource| x.rtype() == "aws_iam_policy" && !x.is_data();
        let of = |v: &Value| self.ix.find(input, v, &want).resources;
        let aws_managed = |v: &Value| v.as_str().is_some_and(|s| s.contains(":iam::aws:policy/"));
        let (ra, rb) = (of(a), of(b));
        match (ra.is_empty(), rb.is_empty()) {
            (false, false) => ra.iter().all(|x| !rb.contains(x)),
            (false, true) => aws_managed(b),
            (true, false) => aws_managed(a),
            (true, true) => false,
        }
    }

    /// `policy`, attached to principal `n` by `r`, or an unknown policy with the reason when
    /// something manages the principal's policies of that sort exclusively and its list does
    /// not (or may not) include this one.
    fn unless_detached(
        &self,
        exclusive: &[Exclusive],
        n: PrincipalIdx,
        r: &Resource,
        policy: &AttachedPolicy,
    ) -> AttachedPolicy {
        let managed = r.rtype().ends_with("_attachment");
        let (attr, want): (&str, &dyn Fn(&Resource) -> bool) = if managed {
            ("policy_arn", &|x: &Resource| x.rtype() == "aws_iam_policy")
        } else {
            ("name", &|_: &Resource| false)
        };
        let Some(mine) = r.get(attr) else {
            return policy.clone();
        };
        for e in exclusive
            .iter()
            .filter(|e| e.principal == n && e.managed == managed)
        {
            let listed = match &e.list {
                Listed::Undecided => None,
                Listed::Items(items) => self.listed(r.input, mine, items, want),
            };
            let what = if managed {
                "managed policies"
            } else {
                "inline policies"
            };
            let who = self.net.principals[n].node.name();
            let reason = match listed {
                Some(true) => continue,
                Some(false) => format!(
                    "{} manages the {what} of {who} exclusively and does not list the one {} attaches: Terraform removes it on apply (and {} attaches it again on the next: they fight)",
                    e.by, r.address, r.address
                ),
                None => format!(
                    "{} manages the {what} of {who} exclusively, and whether it lists the one {} attaches is not known before apply: Terraform removes it on apply if not",
                    e.by, r.address
                ),
            };
            return AttachedPolicy::Unknown {
                reason,
                source: policy.source().clone(),
            };
        }
        policy.clone()
    }

    /// Whether `mine` (a policy ARN, or an inline policy's name) is one of `items`: known
    /// texts equal, or references to the same resource; `None` when not decided.
    fn listed(
        &self,
        input: usize,
        mine: &Value,
        items: &[Value],
        want: &dyn Fn(&Resource) -> bool,
    ) -> Option<bool> {
        let keys = |v: &Value| {
            let found = self.ix.find(input, v, want);
            let decided = found.gaps.is_empty() && found.others.is_empty();
            let mut texts: Vec<String> = found.literals;
            texts.extend(found.ids);
            if let Some(s) = v.as_str() {
                texts.push(s.to_string());
            }
            (found.resources, texts, decided && !v.is_undecided())
        };
        let (res, texts, decided) = keys(mine);
        let mut all_decided = decided;
        for item in items {
            let (r2, t2, d2) = keys(item);
            if res.iter().any(|i| r2.contains(i)) || texts.iter().any(|t| t2.contains(t)) {
                return Some(true);
            }
            all_decided &= d2;
        }
        all_decided.then_some(false)
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
        self.net.several_accounts = several.clone();
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
            if let Some(arn) = aws_managed_read_back(p) {
                return AttachedPolicy::Managed { arn, source };
            }
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

/// One exclusive manager of a principal's managed (`managed`) or inline policies.
/// An `aws_iam_policy_attachment`: the policy whose attachments it owns and the principals it
/// lists (see [`Builder::policy_owners`]).
struct PolicyOwner {
    resource: usize,
    policy: Value,
    principals: Vec<PrincipalIdx>,
    /// Its lists of principals are not known before apply.
    undecided: bool,
}

struct Exclusive {
    principal: PrincipalIdx,
    managed: bool,
    /// What manages them (`aws_iam_role.x.managed_policy_arns`, or an exclusive resource).
    by: String,
    list: Listed,
}

/// The policies an exclusive manager keeps.
#[derive(Clone)]
enum Listed {
    Items(Vec<Value>),
    Undecided,
}

impl Listed {
    fn of(v: &Value) -> Listed {
        match v {
            Value::List(items) => Listed::Items(items.clone()),
            _ => Listed::Undecided,
        }
    }
}

/// An exclusive policy resource: `aws_iam_{role,user,group}_policy_attachments_exclusive`
/// (managed policies, listed in `policy_arns`) or `aws_iam_{role,user,group}_policies_exclusive`
/// (inline policies, `policy_names`). The attribute naming the principal, its kind, and whether
/// the policies are managed ones.
fn exclusive_resource(rtype: &str) -> Option<(&'static str, PrincipalKind, bool)> {
    let managed = rtype.ends_with("_policy_attachments_exclusive");
    if !managed && !rtype.ends_with("_policies_exclusive") {
        return None;
    }
    let kind = match rtype.strip_prefix("aws_iam_")?.split('_').next()? {
        "role" => PrincipalKind::Role,
        "user" => PrincipalKind::User,
        "group" => PrincipalKind::Group,
        _ => return None,
    };
    let key = match kind {
        PrincipalKind::Role => "role_name",
        PrincipalKind::User => "user_name",
        PrincipalKind::Group => "group_name",
    };
    Some((key, kind, managed))
}

/// The ARN of the AWS managed policy a `data "aws_iam_policy"` reads, when its document is
/// not in the input: by `arn`, or by a `name` that only an AWS managed policy pullpath knows
/// has (a customer managed policy of the same name makes the lookup fail, not replace it).
fn aws_managed_read_back(p: &Resource) -> Option<String> {
    if !p.is_data() || p.get("policy").and_then(Value::as_str).is_some() {
        return None;
    }
    if let Some(arn) = p.get("arn").and_then(Value::as_str) {
        return crate::policy::managed::aws_managed_policy_ref(arn).map(|_| arn.to_string());
    }
    if p.get("path_prefix").is_some_and(|v| !v.is_null()) {
        return None;
    }
    let name = p.get("name").and_then(Value::as_str)?;
    crate::policy::managed::known_arns()
        .into_iter()
        .find(|arn| arn.rsplit('/').next() == Some(name))
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
