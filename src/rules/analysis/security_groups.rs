//! Whether security group rules admit TCP 443 between two sides (a workload, an endpoint).

use crate::graph::*;

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
    /// For each of `cidrs` not known before apply, the block it surely lies in, when the input
    /// decides one (its VPC's only block: see [`Network::only_block`]).
    pub bounds: Vec<Option<Ipv4Net>>,
    /// The subnets the addresses are in (empty where only their VPC's blocks are known).
    pub subnets: Vec<SubnetIdx>,
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
            bounds: bounds(net, &w.subnets),
            subnets: w.subnets.clone(),
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
        let (cidrs, bounds, unknown) = if e.subnets.is_empty() {
            // Without known subnets, the VPC's blocks bound where the endpoint's addresses are.
            match e.vpc.known().map(|&v| &net.vpcs[v]) {
                Some(vpc) if !vpc.cidrs.is_empty() => (
                    vpc.cidrs.iter().map(|c| Fact::Known(*c)).collect(),
                    Vec::new(),
                    None,
                ),
                _ => (
                    Vec::new(),
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
                bounds(net, &e.subnets),
                e.subnets_unknown.clone(),
            )
        };
        Side {
            groups: e.security_groups.clone(),
            groups_unknown: e.security_groups_unknown.clone(),
            cidrs,
            bounds,
            subnets: e.subnets.clone(),
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
                for (i, sc) in self.cidrs.iter().enumerate() {
                    match sc {
                        Fact::Known(n) if c.contains(n) => {}
                        Fact::Known(_) => return Tri::No,
                        // Not known, but surely inside a block the rule covers.
                        Fact::Unknown(_)
                            if self
                                .bounds
                                .get(i)
                                .copied()
                                .flatten()
                                .is_some_and(|b| c.contains(&b)) => {}
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
            // Every subnet in the VPC whose only block it is, or the very subnet: covered,
            // whatever the block turns out to be.
            Peer::Block { of, why } => {
                if let Some(w) = &self.cidrs_unknown {
                    return Tri::Maybe(w.clone());
                }
                let inside = |s: SubnetIdx| match of {
                    Block::Subnet(t) => s == *t,
                    Block::Vpc(v) => net.subnets[s].vpc == Fact::Known(*v) && net.primary_only(*v),
                };
                if !self.subnets.is_empty() && self.subnets.iter().all(|&s| inside(s)) {
                    Tri::Yes
                } else {
                    Tri::Maybe(why.clone())
                }
            }
            Peer::Unknown(why) => Tri::Maybe(why.clone()),
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

/// For each subnet whose block is not known, the block it surely lies in (see [`Side::bounds`]).
pub fn bounds(net: &Network, subnets: &[SubnetIdx]) -> Vec<Option<Ipv4Net>> {
    subnets
        .iter()
        .map(|&s| {
            let sn = &net.subnets[s];
            match (&sn.cidr, &sn.vpc) {
                (Fact::Unknown(_), Fact::Known(v)) => net.only_block(*v),
                _ => None,
            }
        })
        .collect()
}
