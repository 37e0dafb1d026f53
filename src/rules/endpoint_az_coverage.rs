use std::collections::BTreeSet;

use super::analysis::{Demand, Scope};
use super::{declare_rule, fixes, Finding, Hop};
use crate::graph::*;

declare_rule! {
    /// ## What it does
    /// Checks that every Interface endpoint the workloads need has a subnet in each availability
    /// zone where the workloads run.
    ///
    /// ## Why is this bad?
    /// The pull still works (the endpoint's DNS name resolves to its addresses in other zones),
    /// but every pull crosses zones, which AWS charges for, and an outage of the endpoint's zone
    /// stops tasks in the zones that depend on it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "ecr_dkr" {
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.ecr.dkr"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    ///   subnet_ids          = [aws_subnet.private_a.id] # tasks also run in private_b
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_endpoint" "ecr_dkr" {
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.ecr.dkr"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    ///   subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    /// }
    /// ```
    ///
    /// ## References
    /// - AWS PrivateLink Guide: "Interface endpoints" (subnets and Availability Zones)
    /// - Amazon EC2 pricing: data transfer between Availability Zones
    pub static RULE = {
        code: "PP109",
        name: "endpoint-az-coverage",
        severity: Warning,
        summary: "a required Interface endpoint has no subnet in an availability zone where workloads run",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let net = scope.net;
    for (e, svc) in scope.interface_endpoints() {
        let ep = &net.endpoints[e];
        // The zones of the workloads that need this endpoint, and a workload subnet outside
        // the endpoint's whose zone is not known.
        let mut zones: BTreeSet<Zone> = BTreeSet::new();
        let mut undecided: Option<(String, String)> = None;
        let mut first = None;
        for f in &scope.workloads {
            if scope.demand(f, svc) != Demand::None {
                for &s in &scope.workload(f).subnets {
                    match zone(net, s) {
                        Ok(z) => {
                            zones.insert(z);
                        }
                        Err(why) if !ep.subnets.contains(&s) => {
                            undecided.get_or_insert((net.subnets[s].node.name(), why));
                        }
                        Err(_) => {}
                    }
                }
                first.get_or_insert(f);
            }
        }
        let Some(f) = first else { continue };
        if zones.is_empty() && undecided.is_none() {
            continue;
        }
        let mut covered: BTreeSet<Zone> = BTreeSet::new();
        let mut unknown = ep.subnets_unknown.clone();
        for &s in &ep.subnets {
            match zone(net, s) {
                Ok(z) => {
                    covered.insert(z);
                }
                Err(why) => unknown = Some(why),
            }
        }
        // Zones no subnet of the endpoint is in, and zones one may be in.
        let mut missing: Vec<&Zone> = Vec::new();
        let mut maybe: Vec<&Zone> = Vec::new();
        for z in &zones {
            if covered.contains(z) {
                continue;
            }
            if unknown.is_none() && covered.iter().all(|c| c.differs(z)) {
                missing.push(z);
            } else {
                maybe.push(z);
            }
        }
        if missing.is_empty() && maybe.is_empty() && undecided.is_none() {
            continue;
        }
        let zones_text = missing
            .iter()
            .chain(&maybe)
            .map(|z| z.to_string())
            .chain(
                undecided
                    .iter()
                    .map(|(subnet, _)| format!("the zone of {subnet}")),
            )
            .collect::<Vec<_>>()
            .join(", ");
        let why = unknown
            .or_else(|| undecided.as_ref().map(|(_, why)| why.clone()))
            .or_else(|| {
                maybe.first().map(|z| {
                    format!(
                        "whether the zones of its subnets include {z} is not known before apply"
                    )
                })
            });
        let finding = match why {
            Some(why) => Finding::unknown(&RULE, ep.node.name(), format!("whether {} has a subnet in {zones_text}, where workloads run, is not known: {why}", ep.node.name())),
            None => Finding::fail(&RULE, ep.node.name(), format!("{} has no subnet in {zones_text}, where workloads run: their pulls cross availability zones", ep.node.name())),
        };
        let w = scope.workload(f);
        let add: Vec<String> = w
            .subnets
            .iter()
            .filter(|&&s| zone(net, s).is_ok_and(|z| missing.contains(&&z) || maybe.contains(&&z)))
            .map(|&s| fixes::subnet_ref(net, s))
            .collect();
        let mut path = scope.workload_path(f);
        path.push(Hop::Endpoint(ep.node.name()));
        out.push(
            finding
                .with_workload(Some(w.node.name()))
                .with_path(path)
                .with_fix(format!(
                    "add a subnet in {zones_text} to the endpoint's subnet_ids: {}",
                    add.join(", ")
                ))
                .at(ep.node.location_of("subnet_ids"), ep.node.input),
        );
    }
}

/// The availability zone of a subnet: its name, or its position in a data source's list of
/// zone names (see [`crate::graph::Subnet::zone_ref`]); why not known otherwise.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Zone {
    Named(String),
    /// `data.aws_availability_zones.az.names[1]`: the list, and the whole reference.
    Position(String, String),
}

impl Zone {
    /// Whether two zones are surely different: two names, or two positions of one list.
    fn differs(&self, other: &Zone) -> bool {
        match (self, other) {
            (Zone::Named(a), Zone::Named(b)) => a != b,
            (Zone::Position(la, a), Zone::Position(lb, b)) => la == lb && a != b,
            _ => false,
        }
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Zone::Named(z) => f.write_str(z),
            Zone::Position(_, z) => write!(f, "the zone {z}"),
        }
    }
}

fn zone(net: &crate::graph::Network, s: crate::graph::SubnetIdx) -> Result<Zone, String> {
    let sn = &net.subnets[s];
    match (&sn.az, &sn.zone_ref) {
        (Fact::Known(az), _) => Ok(Zone::Named(az.clone())),
        (Fact::Unknown(_), Some(r)) => {
            let list = r.rsplit_once(".names[").map_or(r.as_str(), |(l, _)| l);
            Ok(Zone::Position(list.to_string(), r.clone()))
        }
        (Fact::Unknown(why), None) => Err(why.clone()),
    }
}
