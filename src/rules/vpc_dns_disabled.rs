use super::analysis::{Demand, Scope, Service};
use super::{declare_rule, Finding, Hop};
use crate::graph::*;

declare_rule! {
    /// ## What it does
    /// Checks that a workload VPC whose Interface endpoints rely on private DNS has both
    /// `enable_dns_support` and `enable_dns_hostnames` set to true; likewise a VPC whose
    /// workloads reach a service's endpoints through a private hosted zone named for it (a hub
    /// VPC's endpoints): Route 53 applies private hosted zones only where both are true.
    ///
    /// ## Why is this bad?
    /// Private DNS for interface endpoints needs both VPC attributes. Terraform's `aws_vpc`
    /// defaults `enable_dns_hostnames` to **false**, so a VPC written without it cannot host an
    /// endpoint with private DNS: AWS rejects the endpoint at apply, or the names do not resolve.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc" "main" {
    ///   cidr_block = "10.0.0.0/16" # enable_dns_hostnames defaults to false
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc" "main" {
    ///   cidr_block           = "10.0.0.0/16"
    ///   enable_dns_support   = true
    ///   enable_dns_hostnames = true
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon VPC User Guide: "DNS attributes for your VPC"
    /// - AWS PrivateLink Guide: "Enable private DNS names"
    pub static RULE = {
        code: "PP202",
        name: "vpc-dns-disabled",
        severity: Error,
        summary: "the VPC has enable_dns_support or enable_dns_hostnames false/unset while Interface endpoints rely on private DNS",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(v) = scope.vpc() else { return };
    let net = scope.net;
    let vpc = &net.vpcs[v];
    // Endpoints that rely on private DNS: those with it on, and those the workloads need.
    let relying: Vec<&Endpoint> = vpc
        .endpoints
        .iter()
        .map(|&e| &net.endpoints[e])
        .filter(|ep| ep.kind.known() == Some(&EndpointKind::Interface))
        .filter(|ep| {
            ep.private_dns.known() == Some(&true)
                || ep.service.known().and_then(|s| s.pull).is_some_and(|svc| {
                    scope
                        .workloads
                        .iter()
                        .any(|f| matches!(scope.demand(f, svc), Demand::Definite(_)))
                })
        })
        .collect();
    // Private hosted zones named for a service the workloads need (endpoints of a hub VPC,
    // outside the input) rely on the same two settings (Route 53 Developer Guide,
    // "Considerations when working with a private hosted zone": enableDnsHostnames and
    // enableDnsSupport must be true).
    let zone = if relying.is_empty() {
        Service::ALL.iter().find_map(|&svc| {
            let needed = scope
                .workloads
                .iter()
                .any(|f| matches!(scope.demand(f, svc), Demand::Definite(_)));
            needed.then(|| scope.central_zone(svc)).flatten()
        })
    } else {
        None
    };
    let (names, first_hop) = match (relying.first(), &zone) {
        (Some(first), _) => (
            relying
                .iter()
                .take(3)
                .map(|e| e.node.name())
                .collect::<Vec<_>>(),
            Hop::Endpoint(first.node.name()),
        ),
        (None, Some(z)) => (vec![z.text.clone()], Hop::Endpoint(z.text.clone())),
        (None, None) => return,
    };
    let mut off = Vec::new();
    let mut unknown = Vec::new();
    for (name, fact) in [
        ("enable_dns_support", &vpc.dns_support),
        ("enable_dns_hostnames", &vpc.dns_hostnames),
    ] {
        match fact {
            Fact::Known(true) => {}
            Fact::Known(false) => off.push(name),
            Fact::Unknown(why) => unknown.push(format!("{name}: {why}")),
        }
    }
    let relies = if relying.is_empty() {
        format!("the private hosted zone {} relies", names.join(", "))
    } else {
        format!("its endpoints {} rely", names.join(", "))
    };
    let finding = if !off.is_empty() {
        let what: Vec<String> = off
            .iter()
            .map(|name| {
                // Unset, enable_dns_hostnames is false in Terraform; enable_dns_support is true.
                let unset = match *name {
                    "enable_dns_support" => vpc.dns_support_unset,
                    _ => vpc.dns_hostnames_unset,
                };
                if unset {
                    format!("{name} unset (Terraform's default for it is false)")
                } else {
                    format!("{name} = false")
                }
            })
            .collect();
        let text = format!(
            "{} has {}, but {relies} on private DNS, which needs both enable_dns_support and enable_dns_hostnames",
            vpc.node.name(),
            what.join(" and "),
        );
        // A zone whose name or existence is not decided (its own `for_each`): so is the fail.
        if zone.as_ref().is_some_and(|z| !z.certain) {
            Finding::unknown(&RULE, vpc.node.name(), text)
        } else {
            Finding::fail(&RULE, vpc.node.name(), text)
        }
    } else if !unknown.is_empty() {
        Finding::unknown(
            &RULE,
            vpc.node.name(),
            format!(
                "whether {} resolves private DNS names is not known ({})",
                vpc.node.name(),
                unknown.join("; ")
            ),
        )
    } else {
        return;
    };
    let workload = scope
        .workloads
        .first()
        .map(|f| scope.workload(f).node.name());
    out.push(
        finding
            .with_workload(workload)
            .with_path(vec![Hop::Vpc(vpc.node.name()), first_hop])
            .with_fix("  enable_dns_support   = true\n  enable_dns_hostnames = true\n")
            .at(vpc.node.location_of_any(&off), vpc.node.input),
    );
}
