//! What the rules of one VPC share: for each workload, whether its subnets reach the internet
//! and which AWS services its pull path needs; which endpoints serve which service; whether
//! security group rules admit TCP 443 between two sides. Computed once per VPC.

use std::collections::BTreeSet;

pub use crate::aws::{classify, Image, Service};
use crate::graph::*;

/// Whether a workload's subnets reach the internet.
#[derive(Clone, Debug, PartialEq)]
pub enum Reach {
    /// Through a NAT (gateway or instance) or an internet gateway with a public IP.
    Internet {
        via: String,
        nat: bool,
    },
    /// At least one of its subnets has no internet route: tasks placed there need endpoints.
    Private {
        subnet: SubnetIdx,
        why: String,
    },
    Unknown(String),
}

/// Whether a workload needs a service.
#[derive(Clone, Debug, PartialEq)]
pub enum Need {
    Required(String),
    Unknown(String),
}

/// Whether a workload needs an endpoint for a service: decided from its need and its reach.
#[derive(Clone, Debug, PartialEq)]
pub enum Demand {
    Definite(String),
    Maybe(String),
    None,
}

#[derive(Clone, Debug)]
pub struct WorkloadFacts {
    pub idx: WorkloadIdx,
    pub reach: Reach,
    pub needs: Vec<(Service, Need)>,
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
            .map(|&w| WorkloadFacts {
                idx: w,
                reach: reach(net, w),
                needs: needs(net, w),
            })
            .collect();
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
            Need::Required(why) => (true, why.clone()),
            Need::Unknown(why) => (false, why.clone()),
        };
        let (reach_definite, reach_why) = if self.strict {
            (
                true,
                "strict mode requires endpoints for every workload".to_string(),
            )
        } else {
            match &f.reach {
                Reach::Private { why, .. } => (true, why.clone()),
                Reach::Internet { .. } => return Demand::None,
                Reach::Unknown(why) => (false, why.clone()),
            }
        };
        let why = format!("{need_why}; {reach_why}");
        if need_definite && reach_definite {
            Demand::Definite(why)
        } else {
            Demand::Maybe(why)
        }
    }

    /// Endpoints of this VPC for a service (S3: Gateway endpoints only), and whether some other
    /// endpoint might be one (its service or VPC is not known).
    pub fn endpoints_for(&self, svc: Service) -> (Vec<EndpointIdx>, Option<String>) {
        let Some(v) = self.vpc() else {
            return (Vec::new(), None);
        };
        let vpc = &self.net.vpcs[v];
        let mut found = Vec::new();
        let mut uncertain = None;
        for &e in &vpc.endpoints {
            let ep = &self.net.endpoints[e];
            match &ep.service {
                Fact::Known(s) if s.pull == Some(svc) => {
                    if svc == Service::S3 {
                        match ep.kind {
                            Fact::Known(EndpointKind::Gateway) => found.push(e),
                            Fact::Known(_) => {}
                            Fact::Unknown(ref why) => {
                                uncertain.get_or_insert(format!(
                                    "the type of {} is not known ({why})",
                                    ep.node.name()
                                ));
                            }
                        }
                    } else {
                        found.push(e);
                    }
                }
                Fact::Known(_) => {}
                Fact::Unknown(why) => {
                    uncertain.get_or_insert(format!(
                        "the service of {} is not known ({why})",
                        ep.node.name()
                    ));
                }
            }
        }
        // A VPC defined outside the input (known by id, or read with a data source) may have
        // endpoints that the input does not show.
        if vpc.node.is_external() || vpc.node.data {
            uncertain.get_or_insert(format!(
                "{} is defined outside the input, which may not show all its endpoints",
                vpc.node.name()
            ));
        }
        // Endpoints of the same input whose VPC is not decided may be this VPC's.
        let inputs: BTreeSet<usize> = vpc.node.input.into_iter().collect();
        for ep in self
            .net
            .unplaced_endpoints
            .iter()
            .map(|&e| &self.net.endpoints[e])
        {
            if let (Fact::Unknown(why), Some(i)) = (&ep.vpc, ep.node.input) {
                let same_service = ep.service.known().is_none_or(|s| s.pull == Some(svc));
                if (inputs.is_empty() || inputs.contains(&i)) && same_service {
                    uncertain.get_or_insert(format!(
                        "the VPC of {} is not known ({why})",
                        ep.node.name()
                    ));
                }
            }
        }
        (found, uncertain)
    }

    /// The path of hops from a workload to where its traffic leaves: workload, subnet, route table.
    pub fn workload_path(&self, f: &WorkloadFacts) -> Vec<super::Hop> {
        let w = self.workload(f);
        let mut path = vec![super::Hop::Workload(w.node.name())];
        let subnet = match &f.reach {
            Reach::Private { subnet, .. } => Some(*subnet),
            _ => w.subnets.first().copied(),
        };
        if let Some(s) = subnet {
            let sn = &self.net.subnets[s];
            path.push(super::Hop::Subnet(sn.node.name()));
            if let Fact::Known(t) = sn.route_table {
                path.push(super::Hop::RouteTable(self.net.route_tables[t].node.name()));
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

/// Whether a workload's subnets reach the internet (see [`Reach`]).
pub fn reach(net: &Network, w: WorkloadIdx) -> Reach {
    let wl = &net.workloads[w];
    let mut unknown: Option<String> = wl.subnets_unknown.clone();
    let mut internet: Option<(String, bool)> = None;
    for &s in &wl.subnets {
        let name = net.subnets[s].node.name();
        match net.default_route(s) {
            DefaultRoute::Nat(n) | DefaultRoute::NatInstance(n) => {
                internet
                    .get_or_insert((format!("{name} routes 0.0.0.0/0 to NAT {}", n.name()), true));
            }
            DefaultRoute::InternetGateway(n) => match wl.public_ip {
                Fact::Known(true) => {
                    internet.get_or_insert((
                        format!(
                            "{name} routes 0.0.0.0/0 to {} and tasks get public IPs",
                            n.name()
                        ),
                        false,
                    ));
                }
                Fact::Known(false) => {
                    return Reach::Private {
                        subnet: s,
                        why: format!("{name} routes 0.0.0.0/0 to the internet gateway {}, but the tasks get no public IP", n.name()),
                    };
                }
                Fact::Unknown(ref why) => {
                    unknown.get_or_insert(format!("{name} routes 0.0.0.0/0 to an internet gateway and whether tasks get a public IP is not known ({why})"));
                }
            },
            DefaultRoute::None => {
                let rt = match &net.subnets[s].route_table {
                    Fact::Known(t) => net.route_tables[*t].node.name(),
                    Fact::Unknown(_) => "its route table".into(),
                };
                return Reach::Private { subnet: s, why: format!("{name} has no internet route ({rt} has no 0.0.0.0/0 route to a NAT or internet gateway)") };
            }
            DefaultRoute::Unknown(why) => {
                unknown.get_or_insert(format!(
                    "whether {name} reaches the internet is not known: {why}"
                ));
            }
        }
    }
    if let Some(why) = unknown {
        return Reach::Unknown(why);
    }
    match internet {
        Some((via, nat)) => Reach::Internet { via, nat },
        None => Reach::Unknown(format!("{} has no subnets in the input", wl.node.name())),
    }
}

/// The services a workload's pull path needs (DOMAIN.md §2).
pub fn needs(net: &Network, w: WorkloadIdx) -> Vec<(Service, Need)> {
    let wl = &net.workloads[w];
    let mut out = Vec::new();
    let name = wl.node.name();
    // Without an internet route, private ECR through endpoints is the only way to pull; an input
    // whose images are all known and none of them in ECR does not need the ECR endpoints
    // (PP601 reports those images instead).
    let images: Vec<Option<Image>> = wl
        .containers
        .iter()
        .map(|c| c.image.known().map(|i| classify(i)))
        .collect();
    let all_known_non_ecr = wl.containers_unknown.is_none()
        && !images.is_empty()
        && images
            .iter()
            .all(|i| matches!(i, Some(img) if !img.is_private_ecr()));
    if !all_known_non_ecr {
        let why = format!("{name} pulls its images from ECR");
        out.push((Service::EcrDkr, Need::Required(why.clone())));
        out.push((Service::S3, Need::Required(why.clone())));
        match wl.platform {
            Fact::Known(Platform::FargateLegacy) if !wl.windows => {}
            Fact::Known(p) => {
                let version = if p.is_fargate() {
                    format!(
                        " (platform version {})",
                        wl.platform_version.as_deref().unwrap_or("LATEST")
                    )
                } else {
                    String::new()
                };
                out.push((
                    Service::EcrApi,
                    Need::Required(format!(
                        "{name} runs on {}{version}, which calls the ECR API",
                        platform_label(p)
                    )),
                ))
            }
            Fact::Unknown(_) => out.push((Service::EcrApi, Need::Required(why))),
        }
    }
    // Logs.
    let awslogs: Vec<&Container> = wl
        .containers
        .iter()
        .filter(|c| c.log_driver.known() == Some(&Some("awslogs".to_string())))
        .collect();
    let batch = matches!(
        wl.platform,
        Fact::Known(Platform::BatchEc2 | Platform::BatchFargate)
    );
    if let Some(c) = awslogs.first() {
        let why = if c.log_driver_default {
            format!("the jobs of {name} log with awslogs, AWS Batch's default ({} sets no logConfiguration)", c.name)
        } else {
            format!("container {} of {name} uses the awslogs log driver", c.name)
        };
        out.push((Service::Logs, Need::Required(why)));
    } else if batch && wl.containers.is_empty() {
        out.push((
            Service::Logs,
            Need::Required(format!(
                "{name} is an AWS Batch environment, whose jobs log with awslogs by default"
            )),
        ));
    } else if let Some(why) = wl.containers_unknown.clone().or_else(|| {
        wl.containers
            .iter()
            .find_map(|c| c.log_driver.reason().map(str::to_string))
    }) {
        out.push((
            Service::Logs,
            Need::Unknown(format!("whether {name} uses awslogs is not known ({why})")),
        ));
    }
    // Secrets.
    let mut sm = None;
    let mut ssm = None;
    for c in &wl.containers {
        for s in &c.secrets {
            if s.starts_with("arn:") && s.split(':').nth(2) == Some("secretsmanager") {
                sm.get_or_insert(format!(
                    "container {} of {name} reads the secret {s}",
                    c.name
                ));
            } else {
                ssm.get_or_insert(format!(
                    "container {} of {name} reads the SSM parameter {s}",
                    c.name
                ));
            }
        }
    }
    let secrets_unknown = wl
        .containers_unknown
        .clone()
        .or_else(|| wl.containers.iter().find_map(|c| c.secrets_unknown.clone()));
    for (svc, found) in [(Service::SecretsManager, sm), (Service::Ssm, ssm)] {
        match (found, &secrets_unknown) {
            (Some(why), _) => out.push((svc, Need::Required(why))),
            (None, Some(why)) => out.push((
                svc,
                Need::Unknown(format!("whether {name} reads secrets is not known ({why})")),
            )),
            (None, None) => {}
        }
    }
    // The ECS agent on EC2 instances.
    match wl.platform {
        Fact::Known(p) if p.needs_agent_endpoints() => {
            for svc in [Service::Ecs, Service::EcsAgent, Service::EcsTelemetry] {
                out.push((
                    svc,
                    Need::Required(format!(
                        "{name} runs on EC2 instances, whose ECS agent calls {}",
                        svc.short()
                    )),
                ));
            }
        }
        Fact::Known(_) => {}
        Fact::Unknown(ref why) => {
            for svc in [Service::Ecs, Service::EcsAgent, Service::EcsTelemetry] {
                out.push((
                    svc,
                    Need::Unknown(format!("the platform of {name} is not known ({why})")),
                ));
            }
        }
    }
    out
}

pub fn platform_label(p: Platform) -> &'static str {
    match p {
        Platform::Fargate => "ECS Fargate",
        Platform::FargateLegacy => "ECS Fargate 1.3.0 or earlier",
        Platform::EcsEc2 => "ECS on EC2",
        Platform::BatchFargate => "AWS Batch on Fargate",
        Platform::BatchEc2 => "AWS Batch on EC2",
    }
}

/// Three-valued answers of the security group checks.
#[derive(Clone, Debug, PartialEq)]
pub enum Tri {
    Yes,
    No,
    Maybe(String),
}

/// Whether a rule's protocol and ports cover TCP 443.
pub fn covers_443(r: &SgRule) -> Tri {
    match &r.protocol {
        Fact::Known(Protocol::All) => Tri::Yes,
        Fact::Known(Protocol::Tcp) => match (r.from_port, r.to_port) {
            (Some(a), Some(b)) if a <= 443 && 443 <= b => Tri::Yes,
            (Some(_), Some(_)) => Tri::No,
            _ => Tri::Maybe(format!("the ports of {} are not known", r.node.name())),
        },
        Fact::Known(_) => Tri::No,
        Fact::Unknown(why) => Tri::Maybe(format!(
            "the protocol of {} is not known ({why})",
            r.node.name()
        )),
    }
}

/// One side of a connection: security groups and the CIDR blocks of its subnets.
pub struct Side {
    pub groups: Vec<SgIdx>,
    pub groups_unknown: Option<String>,
    pub cidrs: Vec<Fact<Ipv4Net>>,
    /// Where the side's addresses are not known at all.
    pub cidrs_unknown: Option<String>,
}

impl Side {
    pub fn of_workload(net: &Network, w: &Workload) -> Side {
        Side {
            groups: w.security_groups.clone(),
            groups_unknown: w.security_groups_unknown.clone(),
            cidrs: w
                .subnets
                .iter()
                .map(|&s| net.subnets[s].cidr.clone())
                .collect(),
            cidrs_unknown: if w.subnets.is_empty() {
                Some(
                    w.subnets_unknown
                        .clone()
                        .unwrap_or_else(|| "no subnets".into()),
                )
            } else {
                w.subnets_unknown.clone()
            },
        }
    }

    pub fn of_endpoint(net: &Network, e: &Endpoint) -> Side {
        let (cidrs, unknown) = if e.subnets.is_empty() {
            // Without known subnets, the VPC's blocks bound where the endpoint's addresses are.
            match e.vpc.known().map(|&v| &net.vpcs[v]) {
                Some(vpc) if !vpc.cidrs.is_empty() => {
                    (vpc.cidrs.iter().map(|c| Fact::Known(*c)).collect(), None)
                }
                _ => (
                    Vec::new(),
                    Some(e.subnets_unknown.clone().unwrap_or_else(|| {
                        format!("the subnets of {} are not known", e.node.name())
                    })),
                ),
            }
        } else {
            (
                e.subnets
                    .iter()
                    .map(|&s| net.subnets[s].cidr.clone())
                    .collect(),
                e.subnets_unknown.clone(),
            )
        };
        Side {
            groups: e.security_groups.clone(),
            groups_unknown: e.security_groups_unknown.clone(),
            cidrs,
            cidrs_unknown: unknown,
        }
    }

    /// Whether a rule's peer covers every address of this side.
    pub fn covered_by(&self, net: &Network, peer: &Peer) -> Tri {
        match peer {
            Peer::SecurityGroup(g) => {
                if self.groups.contains(g) {
                    Tri::Yes
                } else if let Some(why) = &self.groups_unknown {
                    Tri::Maybe(why.clone())
                } else {
                    Tri::No
                }
            }
            Peer::Cidr(c) => {
                if c.is_any() {
                    return Tri::Yes;
                }
                if let Some(why) = &self.cidrs_unknown {
                    return Tri::Maybe(why.clone());
                }
                let mut maybe = None;
                for sc in &self.cidrs {
                    match sc {
                        Fact::Known(n) if c.contains(n) => {}
                        Fact::Known(_) => return Tri::No,
                        Fact::Unknown(why) => maybe = Some(why.clone()),
                    }
                }
                match maybe {
                    Some(why) => Tri::Maybe(why),
                    None if self.cidrs.is_empty() => Tri::Maybe("no addresses known".into()),
                    None => Tri::Yes,
                }
            }
            Peer::Cidr6(_) => Tri::No,
            Peer::PrefixList(pl) => match pl.is_s3 {
                Fact::Known(true) => Tri::No,
                _ => Tri::Maybe(format!(
                    "the entries of prefix list {} are not in the input",
                    pl.name
                )),
            },
            Peer::Unknown(why) => {
                let _ = net;
                Tri::Maybe(why.clone())
            }
        }
    }
}

/// Whether some rule of `groups` (ingress or egress) admits TCP 443 with a peer accepted by
/// `peer_ok`. Returns the deciding rule's text when yes.
pub fn groups_allow(
    net: &Network,
    groups: &[SgIdx],
    groups_unknown: &Option<String>,
    ingress: bool,
    peer_ok: &dyn Fn(&Peer) -> Tri,
) -> (Tri, Option<String>) {
    let mut maybe: Option<String> = groups_unknown.clone();
    for &g in groups {
        let sg = &net.security_groups[g];
        let rules = if ingress { &sg.ingress } else { &sg.egress };
        for r in rules {
            match (covers_443(r), peer_ok(&r.peer)) {
                (Tri::Yes, Tri::Yes) => return (Tri::Yes, Some(net.rule_text(r))),
                (Tri::No, _) | (_, Tri::No) => {}
                (Tri::Maybe(w), _) | (_, Tri::Maybe(w)) => {
                    maybe.get_or_insert(w);
                }
            }
        }
        if let Some(why) = &sg.rules_unknown {
            maybe.get_or_insert(why.clone());
        }
    }
    if groups.is_empty() && maybe.is_none() {
        return (Tri::No, None);
    }
    match maybe {
        Some(why) => (Tri::Maybe(why), None),
        None => (Tri::No, None),
    }
}

/// Like [`groups_allow`] with `side.covered_by` as the peer test, but CIDR rules count
/// together: `cidr_blocks = ["10.0.1.0/24", "10.0.2.0/24"]` (one rule, or several rules and
/// groups) admits workloads in those two subnets although neither block holds both. Security
/// groups allow what any of their rules allows, so the union of the blocks is what is admitted.
pub fn groups_allow_side(
    net: &Network,
    groups: &[SgIdx],
    groups_unknown: &Option<String>,
    ingress: bool,
    side: &Side,
) -> (Tri, Option<String>) {
    let single = groups_allow(net, groups, groups_unknown, ingress, &|p| {
        side.covered_by(net, p)
    });
    if matches!(single.0, Tri::Yes) || side.cidrs_unknown.is_some() || side.cidrs.is_empty() {
        return single;
    }
    let Some(wanted) = side
        .cidrs
        .iter()
        .map(|c| c.known().copied())
        .collect::<Option<Vec<Ipv4Net>>>()
    else {
        return single;
    };
    let mut blocks: Vec<(Ipv4Net, &SgRule)> = Vec::new();
    for &g in groups {
        let sg = &net.security_groups[g];
        for r in if ingress { &sg.ingress } else { &sg.egress } {
            if let (Tri::Yes, Peer::Cidr(c)) = (covers_443(r), &r.peer) {
                blocks.push((*c, r));
            }
        }
    }
    let ranges: Vec<(u64, u64)> = blocks.iter().map(|(c, _)| range(c)).collect();
    if !wanted.iter().all(|w| covered_by_union(range(w), &ranges)) {
        return single;
    }
    // The evidence: the rules whose blocks hold some of the side's addresses.
    let mut texts: Vec<String> = Vec::new();
    for (c, r) in &blocks {
        if wanted.iter().any(|w| c.contains(w) || w.contains(c)) {
            let t = net.rule_text(r);
            if !texts.contains(&t) {
                texts.push(t);
            }
        }
    }
    (Tri::Yes, Some(texts.join(" + ")))
}

/// The addresses of a block, as a half-open range.
fn range(c: &Ipv4Net) -> (u64, u64) {
    let start = u64::from(c.addr);
    (start, start + (1u64 << (32 - u32::from(c.prefix))))
}

/// Whether the union of `ranges` holds every address of `want`.
fn covered_by_union(want: (u64, u64), ranges: &[(u64, u64)]) -> bool {
    let mut sorted: Vec<(u64, u64)> = ranges
        .iter()
        .copied()
        .filter(|&(a, b)| b > want.0 && a < want.1)
        .collect();
    sorted.sort_unstable();
    let mut reached = want.0;
    for (a, b) in sorted {
        if a > reached {
            return false;
        }
        reached = reached.max(b);
        if reached >= want.1 {
            return true;
        }
    }
    reached >= want.1
}

/// Whether a CIDR block is private (RFC 1918): traffic to S3 or the internet never matches it.
pub fn is_private(c: &Ipv4Net) -> bool {
    let private = [
        Ipv4Net {
            addr: 0x0A00_0000,
            prefix: 8,
        },
        Ipv4Net {
            addr: 0xAC10_0000,
            prefix: 12,
        },
        Ipv4Net {
            addr: 0xC0A8_0000,
            prefix: 16,
        },
        Ipv4Net {
            addr: 0x6440_0000,
            prefix: 10,
        },
    ];
    private.iter().any(|p| p.contains(c))
}

/// How a workload uses an interface endpoint.
#[derive(Clone, Debug, PartialEq)]
pub enum Use {
    /// It needs the endpoint, or its traffic to the service resolves to the endpoint (private DNS).
    Definite(String),
    Maybe(String),
}

impl<'a> Scope<'a> {
    /// The workloads whose traffic to an Interface endpoint's service goes through it: those
    /// that need the endpoint (no internet route, or strict mode), and, because private DNS
    /// makes the service's public name resolve to the endpoint, every workload that calls the
    /// service when private DNS is on.
    pub fn endpoint_users(&self, e: EndpointIdx) -> Vec<(&WorkloadFacts, Use)> {
        let ep = &self.net.endpoints[e];
        let Some(svc) = ep.service.known().and_then(|s| s.pull) else {
            return Vec::new();
        };
        // ECR does not use S3 through an Interface endpoint: an S3 interface endpoint is not
        // on any pull path.
        if !svc.is_interface() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for f in &self.workloads {
            let Some((_, need)) = f.needs.iter().find(|(s, _)| *s == svc) else {
                continue;
            };
            let u = match (self.demand(f, svc), need) {
                (Demand::Definite(why), _) => Use::Definite(why),
                (Demand::Maybe(why), _) => Use::Maybe(why),
                (Demand::None, need) => match (&ep.private_dns, need) {
                    (Fact::Known(true), Need::Required(why)) => Use::Definite(format!(
                        "{why}, and private DNS sends it to {}",
                        ep.node.name()
                    )),
                    (Fact::Known(true), Need::Unknown(why)) => Use::Maybe(why.clone()),
                    (Fact::Known(false), _) => continue,
                    (Fact::Unknown(why), _) => Use::Maybe(format!(
                        "whether {} has private DNS is not known ({why})",
                        ep.node.name()
                    )),
                },
            };
            out.push((f, u));
        }
        out
    }

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

    /// The log groups a workload's awslogs containers write to: (ARN when known, create-group).
    pub fn log_groups(&self, w: &Workload) -> Vec<(Option<String>, bool)> {
        let mut out = Vec::new();
        for c in &w.containers {
            if c.log_driver.known() != Some(&Some("awslogs".to_string())) {
                continue;
            }
            let create = c
                .log_options
                .get("awslogs-create-group")
                .map(String::as_str)
                == Some("true");
            let region = c
                .log_options
                .get("awslogs-region")
                .map(String::as_str)
                .or(self.region());
            // An account not in the input is a part of the ARN that only a pattern's `*` is sure
            // to cover (`arn:aws:logs:*:*:*` is; `arn:aws:logs:us-east-1:123456789012:*` may be).
            let account = self
                .account()
                .unwrap_or_else(|| crate::policy::UNKNOWN_PART.to_string());
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
        let vpc = match self.vpc().and_then(|v| self.net.vpcs[v].node.id.clone()) {
            Some(id) => KeyState::known(id),
            None => KeyState::unknown("the VPC's id is known only after apply"),
        };
        let vpce = match &self.net.endpoints[e].node.id {
            Some(id) => KeyState::known(id.clone()),
            None => KeyState::unknown("the endpoint's id is known only after apply"),
        };
        (vpc, vpce)
    }
}
