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
        // The zones of the workloads that need this endpoint.
        let mut zones: BTreeSet<String> = BTreeSet::new();
        let mut first = None;
        for f in &scope.workloads {
            if scope.demand(f, svc) != Demand::None {
                for &s in &scope.workload(f).subnets {
                    if let Some(az) = net.subnets[s].az.known() {
                        zones.insert(az.clone());
                    }
                }
                first.get_or_insert(f);
            }
        }
        let Some(f) = first else { continue };
        if zones.is_empty() {
            continue;
        }
        let mut covered: BTreeSet<String> = BTreeSet::new();
        let mut unknown = ep.subnets_unknown.clone();
        for &s in &ep.subnets {
            match &net.subnets[s].az {
                Fact::Known(az) => {
                    covered.insert(az.clone());
                }
                Fact::Unknown(why) => unknown = Some(why.clone()),
            }
        }
        let missing: Vec<&String> = zones.iter().filter(|z| !covered.contains(*z)).collect();
        if missing.is_empty() {
            continue;
        }
        let zones_text = missing
            .iter()
            .map(|z| z.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let finding = match unknown {
            Some(why) => Finding::unknown(&RULE, ep.node.name(), format!("whether {} has a subnet in {zones_text}, where workloads run, is not known: {why}", ep.node.name())),
            None => Finding::fail(&RULE, ep.node.name(), format!("{} has no subnet in {zones_text}, where workloads run: their pulls cross availability zones", ep.node.name())),
        };
        let w = scope.workload(f);
        let add: Vec<String> = w
            .subnets
            .iter()
            .filter(|&&s| {
                net.subnets[s]
                    .az
                    .known()
                    .is_some_and(|z| missing.contains(&z))
            })
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
