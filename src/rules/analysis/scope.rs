//! What a rule sees: the graph, one VPC (or the unplaced workloads), and the facts of its
//! workloads; with the questions rules ask of them (demand, path, ARNs, log groups, …).

use std::collections::BTreeMap;

use super::needs::{needs, Demand, Need};
use super::reach::{reach, Reach};
use crate::aws::{classify, Image, Service};
use crate::graph::*;
use crate::rules::Hop;

/// What the rules know of one workload: whether it reaches the internet, what it needs.
#[derive(Clone, Debug)]
pub struct WorkloadFacts {
    pub idx: WorkloadIdx,
    pub reach: Reach,
    pub needs: Vec<(Service, Need)>,
}

impl WorkloadFacts {
    /// The facts of a workload, from the graph.
    pub fn of(net: &Network, w: WorkloadIdx) -> WorkloadFacts {
        WorkloadFacts {
            idx: w,
            reach: reach(net, w),
            needs: needs(net, w),
        }
    }
}

/// The facts a check computed for each workload VPC (those of [`Scope::workloads`]), for the
/// reports: they read reach and needs from here rather than running the analysis again.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub vpcs: BTreeMap<VpcIdx, Vec<WorkloadFacts>>,
}

impl Facts {
    /// The facts of every workload VPC of `net`, computed from the graph (what [`crate::rules::check`]
    /// computes and returns with its findings).
    pub fn of(net: &Network) -> Facts {
        Facts {
            vpcs: (0..net.vpcs.len())
                .filter(|&v| !net.vpcs[v].workloads.is_empty())
                .map(|v| {
                    let facts = net.vpcs[v]
                        .workloads
                        .iter()
                        .map(|&w| WorkloadFacts::of(net, w))
                        .collect();
                    (v, facts)
                })
                .collect(),
        }
    }

    /// The facts of a VPC's workloads (empty for a VPC without workloads).
    pub fn vpc(&self, v: VpcIdx) -> &[WorkloadFacts] {
        self.vpcs.get(&v).map_or(&[], Vec::as_slice)
    }

    /// The facts of one workload of a VPC.
    pub fn workload(&self, v: VpcIdx, w: WorkloadIdx) -> Option<&WorkloadFacts> {
        self.vpc(v).iter().find(|f| f.idx == w)
    }

    /// Whether every workload of the VPC reaches the internet (`None`: not decided).
    pub fn internet_route(&self, v: VpcIdx) -> Option<bool> {
        let mut all = true;
        for f in self.vpc(v) {
            match f.reach {
                Reach::Internet { .. } => {}
                Reach::Private { .. } => return Some(false),
                Reach::Unknown(_) => all = false,
            }
        }
        all.then_some(true)
    }
}

/// The kind of scope a rule is run in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// One workload VPC.
    Vpc(VpcIdx),
    /// Workloads whose VPC could not be decided.
    Unplaced,
    /// Once per run, for rules independent of any VPC.
    Global,
}

/// What a rule sees: the graph, one VPC (or the unplaced workloads), and the facts shared by
/// the rules.
pub struct Scope<'a> {
    pub net: &'a Network,
    pub kind: ScopeKind,
    pub workloads: Vec<WorkloadFacts>,
    pub strict: bool,
    /// `ecr_repository_prefix` of every `aws_ecr_pull_through_cache_rule` in the input.
    pub pull_through_prefixes: &'a [String],
}

impl<'a> Scope<'a> {
    pub fn new(
        net: &'a Network,
        kind: ScopeKind,
        workloads: &[WorkloadIdx],
        strict: bool,
    ) -> Scope<'a> {
        let workloads = workloads
            .iter()
            .map(|&w| WorkloadFacts::of(net, w))
            .collect();
        Scope::with_facts(net, kind, workloads, strict)
    }

    /// A scope over workloads whose facts are already known (those a check returned).
    pub fn with_facts(
        net: &'a Network,
        kind: ScopeKind,
        workloads: Vec<WorkloadFacts>,
        strict: bool,
    ) -> Scope<'a> {
        Scope {
            net,
            kind,
            workloads,
            strict,
            pull_through_prefixes: &net.pull_through_prefixes,
        }
    }

    pub fn vpc(&self) -> Option<VpcIdx> {
        match self.kind {
            ScopeKind::Vpc(v) => Some(v),
            _ => None,
        }
    }

    pub fn workload(&self, f: &WorkloadFacts) -> &'a Workload {
        &self.net.workloads[f.idx]
    }

    pub fn region(&self) -> Option<&'a str> {
        self.vpc()
            .and_then(|v| self.net.vpcs[v].region.known().map(String::as_str))
    }

    pub fn partition(&self) -> &'a str {
        self.vpc()
            .map_or("aws", |v| self.net.vpcs[v].partition.as_str())
    }

    /// The account that owns the VPC, when the input says (for ARNs in requests).
    pub fn account(&self) -> Option<String> {
        let v = self.vpc()?;
        self.net.vpcs[v].owner_account.clone()
    }

    /// How much a workload needs an endpoint for `svc`.
    pub fn demand(&self, f: &WorkloadFacts, svc: Service) -> Demand {
        let Some((_, need)) = f.needs.iter().find(|(s, _)| *s == svc) else {
            return Demand::None;
        };
        let (need_definite, need_why) = match need {
            Need::Required(why) => (true, why),
            Need::Unknown(why) => (false, why),
        };
        let (reach_definite, reach_why) = if self.strict {
            (true, "strict mode requires endpoints for every workload")
        } else {
            match &f.reach {
                Reach::Private { why, .. } => (true, why.as_str()),
                Reach::Internet { .. } => return Demand::None,
                Reach::Unknown(why) => (false, why.as_str()),
            }
        };
        // Appended, not formatted: asked for every workload, service and rule.
        let mut why = String::with_capacity(need_why.len() + 2 + reach_why.len());
        why.push_str(need_why);
        why.push_str("; ");
        why.push_str(reach_why);
        if need_definite && reach_definite {
            Demand::Definite(why)
        } else {
            Demand::Maybe(why)
        }
    }

    /// The path of hops from a workload to where its traffic leaves: workload, the container
    /// instances that pull for it (EC2 hosts), subnet, route table.
    pub fn workload_path(&self, f: &WorkloadFacts) -> Vec<Hop> {
        let w = self.workload(f);
        let mut path = vec![Hop::Workload(w.node.name())];
        if let Some(h) = w.hosts.as_ref().and_then(Hosts::name) {
            path.push(Hop::Instances(h));
        }
        let subnet = match &f.reach {
            Reach::Private { subnet, .. } => Some(*subnet),
            _ => w.subnets.first().copied(),
        };
        if let Some(s) = subnet {
            let sn = &self.net.subnets[s];
            path.push(Hop::Subnet(sn.node.name()));
            if let Fact::Known(t) = sn.route_table {
                path.push(Hop::RouteTable(self.net.route_tables[t].node.name()));
            }
        }
        path
    }

    /// The security groups of an endpoint (the VPC default group when it names none).
    pub fn endpoint_groups(&self, e: EndpointIdx) -> (Vec<SgIdx>, Option<String>) {
        let ep = &self.net.endpoints[e];
        (
            ep.security_groups.clone(),
            ep.security_groups_unknown.clone(),
        )
    }
}

impl<'a> Scope<'a> {
    /// The known ARN of the role that pulls a workload's images.
    pub fn pull_role_arn(&self, w: &Workload) -> Option<String> {
        match w.pull_role.as_ref()?.known()? {
            RoleRef::Role(r) => self.net.principals[*r].arn.clone(),
            RoleRef::Arn(a) => Some(a.clone()),
        }
    }

    /// The repository ARNs of a workload's private ECR images in the scope's region; `[None]`
    /// when some image is not known (the repository is then unknown to the policy engine).
    pub fn ecr_repositories(&self, w: &Workload) -> Vec<Option<String>> {
        let partition = self.partition();
        let mut out: Vec<Option<String>> = Vec::new();
        let mut unknown = w.containers_unknown.is_some() || w.containers.is_empty();
        for c in &w.containers {
            match c.image.known().map(|i| classify(i)) {
                Some(img @ Image::PrivateEcr { .. }) => {
                    let arn = img.repository_arn(partition);
                    if !out.contains(&arn) {
                        out.push(arn);
                    }
                }
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown && !out.contains(&None) {
            out.push(None);
        }
        out
    }

    /// When every image of a workload that is not known is the URL of a private ECR repository
    /// of the input (`"${aws_ecr_repository.app.repository_url}:tag"`), those repositories as
    /// (the reference that gives their ARN, the ARN with its unknown parts as `UNKNOWN_PART`);
    /// None when some image is not known at all.
    pub fn ecr_repository_references(&self, w: &Workload) -> Option<Vec<(String, String)>> {
        if w.containers_unknown.is_some() || w.containers.is_empty() {
            return None;
        }
        let u = crate::policy::UNKNOWN_PART.to_string();
        let mut out: Vec<(String, String)> = Vec::new();
        for c in &w.containers {
            if c.image.known().is_some() {
                continue;
            }
            let address = c.image_ecr_repository.as_deref()?;
            let repo = self
                .net
                .repositories
                .iter()
                .find(|r| !r.public && r.node.address.as_deref() == Some(address))?;
            let shape = match &repo.arn {
                Some(arn) => arn.clone(),
                None => format!(
                    "arn:{}:ecr:{}:{}:repository/{}",
                    self.partition(),
                    repo.region.as_deref().or(self.region()).unwrap_or(&u),
                    self.account().unwrap_or_else(|| if repo.node.data {
                        u.clone()
                    } else {
                        crate::policy::OWN_ACCOUNT.to_string()
                    }),
                    repo.name.as_deref().unwrap_or(&u)
                ),
            };
            let reference = format!("{address}.arn");
            if !out.iter().any(|(r, _)| *r == reference) {
                out.push((reference, shape));
            }
        }
        Some(out)
    }

    /// The log groups a workload's awslogs containers write to: (ARN when known, create-group).
    pub fn log_groups(&self, w: &Workload) -> Vec<(Option<String>, bool)> {
        let mut out = Vec::new();
        for c in w.containers.iter().chain(&w.log_only) {
            if !c.uses_awslogs() {
                continue;
            }
            // The driver creates the group only when it is missing (DOMAIN.md §5): a group the
            // input creates needs no logs:CreateLogGroup.
            let create = c
                .log_options
                .get("awslogs-create-group")
                .map(String::as_str)
                == Some("true")
                && !c.log_group_created;
            let region = c
                .log_options
                .get("awslogs-region")
                .map(String::as_str)
                .or(self.region());
            // An account not in the input is a part of the ARN that only a pattern's `*` is sure
            // to cover (`arn:aws:logs:*:*:*` is; `arn:aws:logs:us-east-1:123456789012:*` may be),
            // or one that names the input's own account (`data.aws_caller_identity`): the task
            // writes to a group of its own account.
            let account = self
                .account()
                .unwrap_or_else(|| crate::policy::OWN_ACCOUNT.to_string());
            let arn = match (c.log_options.get("awslogs-group"), region) {
                (Some(g), Some(r)) => Some(crate::policy::requests::log_group_arn(
                    self.partition(),
                    r,
                    &account,
                    g,
                )),
                _ => None,
            };
            if !out.contains(&(arn.clone(), create)) {
                out.push((arn, create));
            }
        }
        let batch_default = w.containers.is_empty()
            && matches!(
                w.platform,
                Fact::Known(Platform::BatchEc2 | Platform::BatchFargate)
            );
        if (batch_default || w.containers_unknown.is_some()) && !out.contains(&(None, false)) {
            out.push((None, false));
        }
        out
    }

    /// `aws:SourceVpc` and `aws:SourceVpce` for requests through endpoint `e`.
    pub fn source_keys(
        &self,
        e: EndpointIdx,
    ) -> (crate::policy::KeyState, crate::policy::KeyState) {
        use crate::policy::KeyState;
        // An id known only after apply is the reference that gives it
        // (`aws_vpc_endpoint.ecr_dkr.id`), which a condition on the same reference matches and
        // one on another resource of the type surely does not (see `policy::unknown_text`).
        let key = |node: &crate::graph::Node, why: &str| match (&node.id, &node.address) {
            (Some(id), _) => KeyState::known(id.clone()),
            (None, Some(address)) => {
                KeyState::known(crate::policy::unknown_text(&format!("{address}.id")))
            }
            (None, None) => KeyState::unknown(why),
        };
        let vpc = match self.vpc() {
            Some(v) => key(
                &self.net.vpcs[v].node,
                "the VPC's id is known only after apply",
            ),
            None => KeyState::unknown("the VPC's id is known only after apply"),
        };
        let vpce = key(
            &self.net.endpoints[e].node,
            "the endpoint's id is known only after apply",
        );
        (vpc, vpce)
    }
}
