use std::collections::BTreeMap;

use super::analysis::nacl::{evaluate, Outcome, Peer};
use super::analysis::{Need, Scope, Service, Use};
use super::{declare_rule, Finding, Hop};
use crate::graph::*;

declare_rule! {
    /// ## What it does
    /// Checks the network ACLs on the pull path, both ways: on the workload subnets, outbound
    /// TCP 443 to the Interface endpoints' subnets, to Amazon S3 (through the S3 gateway
    /// endpoint) and to the public endpoints (through the subnet's NAT or internet gateway, for
    /// what no endpoint serves), and inbound TCP 1024–65535 (the replies) from them; on the endpoint subnets,
    /// inbound TCP 443 from the workload subnets and outbound TCP 1024–65535 back; on the subnet
    /// of a NAT gateway the workloads go out through, inbound TCP 443 from the workload subnets
    /// and outbound to the internet, and the replies back both ways. Rules are read
    /// from inline `ingress` / `egress` blocks of `aws_network_acl` and
    /// `aws_default_network_acl` and from `aws_network_acl_rule`; a subnet's ACL from
    /// `aws_network_acl_association` or an ACL's `subnet_ids`, else the VPC's default ACL (which
    /// allows everything unless the input manages it with `aws_default_network_acl`).
    ///
    /// ## Why is this bad?
    /// Network ACLs are stateless: unlike security groups, the reply traffic needs its own rule.
    /// Rules apply in `rule_number` order and the first match wins, then everything else is
    /// denied. An ACL that drops either direction breaks the pull exactly like a closed security
    /// group (`CannotPullContainerError`, timeouts), and is much harder to see in review. S3's
    /// addresses are not in the input (NACLs cannot name prefix lists), so for S3 only a rule
    /// for `0.0.0.0/0` decides; a rule for a specific public range makes the verdict unknown.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_network_acl" "private" {
    ///   vpc_id     = aws_vpc.main.id
    ///   subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    ///
    ///   egress {
    ///     rule_no    = 100
    ///     action     = "allow"
    ///     protocol   = "tcp"
    ///     cidr_block = "0.0.0.0/0"
    ///     from_port  = 443
    ///     to_port    = 443
    ///   }
    ///   # no ingress rule: the replies are dropped
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_network_acl" "private" {
    ///   vpc_id     = aws_vpc.main.id
    ///   subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    ///
    ///   egress {
    ///     rule_no    = 100
    ///     action     = "allow"
    ///     protocol   = "tcp"
    ///     cidr_block = "0.0.0.0/0"
    ///     from_port  = 443
    ///     to_port    = 443
    ///   }
    ///   ingress {
    ///     rule_no    = 100
    ///     action     = "allow"
    ///     protocol   = "tcp"
    ///     cidr_block = "0.0.0.0/0"
    ///     from_port  = 1024
    ///     to_port    = 65535
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon VPC User Guide: "Control subnet traffic with network access control lists"
    ///   and "Network ACL rules" (stateless; rule order; ephemeral ports)
    ///   (<https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html>)
    /// - Amazon VPC User Guide: "Default network ACL" (allows all inbound and outbound traffic)
    pub static RULE = {
        code: "PP503",
        name: "nacl-blocks-https",
        severity: Error,
        summary: "a network ACL on the workload or endpoint subnets drops TCP 443 towards the endpoints or S3, or the ephemeral ports back",
        check: check,
    }
}

const HTTPS: (i64, i64) = (443, 443);
const EPHEMERAL: (i64, i64) = (1024, 65535);

/// One direction of one flow through one subnet's network ACL.
struct Flow {
    /// The subnet whose ACL is crossed.
    subnet: SubnetIdx,
    egress: bool,
    /// The other side, with its name for messages.
    peer: Result<Peer, String>,
    peer_name: String,
    ports: (i64, i64),
    /// What the flow is for, and whether the workload surely sends it.
    purpose: String,
    definite: bool,
    fact: usize,
    path: Vec<Hop>,
}

/// What was found on one network ACL (or one subnet whose ACL is not known).
struct Problem {
    certain: bool,
    text: String,
    fact: usize,
    path: Vec<Hop>,
    egress: bool,
    ports: (i64, i64),
    peer_cidr: Option<String>,
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    if scope.vpc().is_none() {
        return;
    }
    let net = scope.net;
    let mut flows: Vec<Flow> = Vec::new();
    // Each flow is evaluated once per (subnet, direction, peer, ports, definite): the first
    // one met is kept, and the others are not built (their path and purpose are most of the
    // rule's cost in a large VPC).
    let mut seen = Seen::new();
    for (fi, f) in scope.workloads.iter().enumerate() {
        let w = scope.workload(f);
        // Interface endpoints the workload's traffic goes to.
        for (e, svc) in scope.interface_endpoints() {
            let users = scope.endpoint_users(e);
            let Some((_, used)) = users.iter().find(|(g, _)| g.idx == f.idx) else {
                continue;
            };
            let definite = matches!(used, Use::Definite(_));
            let ep = &net.endpoints[e];
            for &ws in &w.subnets {
                for &es in &ep.subnets {
                    if ws == es {
                        // Traffic inside one subnet does not cross its network ACL.
                        continue;
                    }
                    let mut made: Option<(String, Vec<Hop>)> = None;
                    let sides = [
                        (ws, true, es, HTTPS),
                        (es, false, ws, HTTPS),
                        (es, true, ws, EPHEMERAL),
                        (ws, false, es, EPHEMERAL),
                    ];
                    for (subnet, egress, other, ports) in sides {
                        if allows_all(net, subnet) {
                            continue;
                        }
                        let peer_name = net.subnets[other].node.name();
                        if !seen.insert((subnet, egress, peer_name.clone(), ports, definite)) {
                            continue;
                        }
                        let (purpose, path) = made.get_or_insert_with(|| {
                            let purpose = format!(
                                "the traffic of {} to {} ({})",
                                w.node.name(),
                                ep.node.name(),
                                svc.short()
                            );
                            let path = vec![
                                Hop::Workload(w.node.name()),
                                Hop::Subnet(net.subnets[ws].node.name()),
                                Hop::Subnet(net.subnets[es].node.name()),
                                Hop::Endpoint(ep.node.name()),
                            ];
                            (purpose, path)
                        });
                        flows.push(Flow {
                            subnet,
                            egress,
                            peer: subnet_peer(net, other),
                            peer_name,
                            ports,
                            purpose: purpose.clone(),
                            definite,
                            fact: fi,
                            path: path.clone(),
                        });
                    }
                }
            }
        }
        // S3 through the gateway endpoint, from the subnets whose route table uses it.
        let Some((_, need)) = f.needs.iter().find(|(s, _)| *s == Service::S3) else {
            continue;
        };
        let definite = matches!(need, Need::Required(_));
        for e in scope.endpoints_for(Service::S3).0 {
            let ep = &net.endpoints[e];
            for &ws in &w.subnets {
                let Fact::Known(rt) = net.subnets[ws].route_table else {
                    continue;
                };
                if !ep.route_tables.contains(&rt) || allows_all(net, ws) {
                    continue;
                }
                for (egress, ports) in [(true, HTTPS), (false, EPHEMERAL)] {
                    let peer_name = "Amazon S3".to_string();
                    if !seen.insert((ws, egress, peer_name.clone(), ports, definite)) {
                        continue;
                    }
                    flows.push(Flow {
                        subnet: ws,
                        egress,
                        peer: Ok(Peer::S3),
                        peer_name,
                        ports,
                        purpose: format!(
                            "the image layer downloads of {} from S3 through {}",
                            w.node.name(),
                            ep.node.name()
                        ),
                        definite,
                        fact: fi,
                        path: vec![
                            Hop::Workload(w.node.name()),
                            Hop::Subnet(net.subnets[ws].node.name()),
                            Hop::Endpoint(ep.node.name()),
                        ],
                    });
                }
            }
        }
    }
    internet_flows(scope, &mut flows, &mut seen);
    let mut problems: BTreeMap<String, (Option<NaclIdx>, Vec<Problem>)> = BTreeMap::new();
    for flow in flows {
        let subnet = &net.subnets[flow.subnet];
        let (acl, outcome) = match &subnet.network_acl {
            SubnetAcl::VpcDefault => continue,
            SubnetAcl::Unknown(why) => (None, Outcome::Unknown(why.clone())),
            SubnetAcl::Acl(a) => (Some(*a), flow_outcome(&net.network_acls[*a], &flow)),
        };
        let direction = if flow.egress { "outbound" } else { "inbound" };
        let ports = if flow.ports == HTTPS {
            "TCP 443".to_string()
        } else {
            "TCP 1024-65535 (the replies)".to_string()
        };
        let to_from = if flow.egress { "to" } else { "from" };
        let what = format!(
            "{direction} {ports} of {} {to_from} {}",
            subnet.node.name(),
            flow.peer_name
        );
        let (certain, text) = match outcome {
            Outcome::Allow => continue,
            Outcome::Deny(by) => (
                flow.definite,
                format!("drops {what}, part of {}: {by}", flow.purpose),
            ),
            Outcome::Partial(by) => (
                false,
                format!(
                    "drops part of {what}, part of {}: {by}; whether the traffic falls in the allowed part is not decided",
                    flow.purpose
                ),
            ),
            Outcome::Unknown(why) => (
                false,
                format!(
                    "may drop {what}, part of {}: {why}",
                    flow.purpose
                ),
            ),
        };
        let name = match acl {
            Some(a) => net.network_acls[a].node.name(),
            None => subnet.node.name(),
        };
        // The ACL goes right after the subnet it belongs to.
        let mut path = flow.path;
        if let Some(a) = acl {
            let at = path
                .iter()
                .position(|h| *h == Hop::Subnet(subnet.node.name()))
                .map_or(path.len(), |i| i + 1);
            path.insert(at, Hop::NetworkAcl(net.network_acls[a].node.name()));
        }
        let peer_cidr = match flow.peer {
            Ok(Peer::Cidr(n)) => Some(n.to_string()),
            Ok(Peer::S3 | Peer::Internet) => Some("0.0.0.0/0".to_string()),
            Err(_) => None,
        };
        problems
            .entry(name)
            .or_insert((acl, Vec::new()))
            .1
            .push(Problem {
                certain,
                text,
                fact: flow.fact,
                path,
                egress: flow.egress,
                ports: flow.ports,
                peer_cidr,
            });
    }
    for (name, (acl, list)) in problems {
        let first = list.iter().find(|p| p.certain).unwrap_or(&list[0]);
        let certain = first.certain;
        let more = list.len() - 1;
        let subject = match acl {
            Some(_) => format!("the network ACL {name}"),
            None => format!("the network ACL of {name}"),
        };
        let message = format!(
            "{subject} {}{}",
            first.text,
            if more > 0 {
                format!(
                    " (and {more} more flow{} of the pull path)",
                    if more > 1 { "s" } else { "" }
                )
            } else {
                String::new()
            }
        );
        let finding = if certain {
            Finding::fail(&RULE, name.clone(), message)
        } else {
            Finding::unknown(&RULE, name.clone(), message)
        };
        let w = scope.workload(&scope.workloads[first.fact]);
        let (location, input) = match acl {
            Some(a) => (
                net.network_acls[a].node.location.clone(),
                net.network_acls[a].node.input,
            ),
            None => (None, None),
        };
        out.push(
            finding
                .with_workload(Some(w.node.name()))
                .with_path(first.path.clone())
                .with_fix(fix(scope, &name, acl, &list))
                .at(location, input),
        );
    }
}

/// The flows of the pull through a workload subnet's own way out (NAT, or an internet gateway
/// with public IPs): outbound TCP 443 to the public endpoints and the replies back, across the
/// workload subnet's ACL, for what no endpoint serves there (hi's helper probe: an ACL that
/// denied 443 outbound passed whenever the way out was NAT). Definite when a service the
/// workload surely needs, or an image outside private ECR, goes that way; else undecided.
/// A NAT gateway of the input in a subnet of its own is crossed too: its subnet's ACL must let
/// HTTPS in from the workload subnet and out to the internet, and the replies back (from the
/// internet to the gateway's ports 1024–65535, the VPC User Guide's "Ephemeral ports", and
/// on to the workload's).
type Seen = std::collections::BTreeSet<(SubnetIdx, bool, String, (i64, i64), bool)>;

fn internet_flows(scope: &Scope<'_>, flows: &mut Vec<Flow>, seen: &mut Seen) {
    use super::analysis::{classify, subnet_reaches_internet, Image};
    let net = scope.net;
    let interface = scope.interface_endpoints();
    for (fi, f) in scope.workloads.iter().enumerate() {
        let w = scope.workload(f);
        // The services an endpoint surely serves, and those one may serve (then whether the
        // internet is used for them is not decided).
        let serving = |definite: bool| -> Vec<Service> {
            interface
                .iter()
                .filter(|(e, _)| {
                    scope.endpoint_users(*e).iter().any(|(g, used)| {
                        g.idx == f.idx && matches!(used, Use::Definite(_)) == definite
                    })
                })
                .map(|(_, svc)| *svc)
                .collect()
        };
        let (served, maybe_served) = (serving(true), serving(false));
        let gateways = scope.endpoints_for(Service::S3).0;
        let outside_ecr = w.containers.iter().any(|c| {
            c.image
                .known()
                .is_some_and(|i| !matches!(classify(i), Image::PrivateEcr { .. }))
        });
        for &ws in &w.subnets {
            if subnet_reaches_internet(net, f.idx, ws) != Some(true) {
                continue;
            }
            let s3_gateway = match net.subnets[ws].route_table {
                Fact::Known(rt) => gateways
                    .iter()
                    .any(|&e| net.endpoints[e].route_tables.contains(&rt)),
                Fact::Unknown(_) => false,
            };
            let unserved =
                |svc: &Service| !(served.contains(svc) || (*svc == Service::S3 && s3_gateway));
            let mut definite = outside_ecr;
            let mut maybe = false;
            for (svc, need) in &f.needs {
                if unserved(svc) {
                    match need {
                        Need::Required(_) if !maybe_served.contains(svc) => definite = true,
                        _ => maybe = true,
                    }
                }
            }
            if !definite && !maybe {
                continue;
            }
            let via = match net.default_route(ws) {
                DefaultRoute::Nat(n) | DefaultRoute::NatInstance(n) => n.name(),
                DefaultRoute::InternetGateway(n) => n.name(),
                _ => "its internet route".to_string(),
            };
            // The workload subnet's own ACL (none to judge where it is the VPC's default).
            let own = if allows_all(net, ws) {
                &[][..]
            } else {
                &[(true, HTTPS), (false, EPHEMERAL)][..]
            };
            for &(egress, ports) in own {
                let peer_name = format!("the public endpoints (through {via})");
                if !seen.insert((ws, egress, peer_name.clone(), ports, definite)) {
                    continue;
                }
                flows.push(Flow {
                    subnet: ws,
                    egress,
                    peer: Ok(Peer::Internet),
                    peer_name,
                    ports,
                    purpose: format!("the image pull of {} through {via}", w.node.name()),
                    definite,
                    fact: fi,
                    path: vec![
                        Hop::Workload(w.node.name()),
                        Hop::Subnet(net.subnets[ws].node.name()),
                    ],
                });
            }
            // The NAT gateway's own subnet.
            let nat_subnet = match net.default_route(ws) {
                DefaultRoute::Nat(n) => n
                    .resource
                    .and_then(|i| net.nat_subnets.get(&i))
                    .and_then(|s| s.known().copied())
                    .filter(|&ns| ns != ws && !allows_all(net, ns)),
                _ => None,
            };
            let Some(ns) = nat_subnet else { continue };
            let from = net.subnets[ws].node.name();
            for (egress, ports, peer, peer_name) in [
                (false, HTTPS, subnet_peer(net, ws), from.clone()),
                (
                    true,
                    HTTPS,
                    Ok(Peer::Internet),
                    "the public endpoints".to_string(),
                ),
                (
                    false,
                    EPHEMERAL,
                    Ok(Peer::Internet),
                    "the public endpoints".to_string(),
                ),
                (true, EPHEMERAL, subnet_peer(net, ws), from.clone()),
            ] {
                let peer_name = format!("{peer_name} (for {via})");
                if !seen.insert((ns, egress, peer_name.clone(), ports, definite)) {
                    continue;
                }
                flows.push(Flow {
                    subnet: ns,
                    egress,
                    peer,
                    peer_name,
                    ports,
                    purpose: format!(
                        "the image pull of {} through {via}, in the NAT gateway's subnet",
                        w.node.name()
                    ),
                    definite,
                    fact: fi,
                    path: vec![
                        Hop::Workload(w.node.name()),
                        Hop::Subnet(from.clone()),
                        Hop::Subnet(net.subnets[ns].node.name()),
                    ],
                });
            }
        }
    }
}

/// Whether the subnet has the VPC's default network ACL, which allows all traffic: its flows
/// are not built (the loop that judges flows would only skip them, in its `VpcDefault` arm).
fn allows_all(net: &Network, s: SubnetIdx) -> bool {
    matches!(net.subnets[s].network_acl, SubnetAcl::VpcDefault)
}

/// The CIDR of a subnet, as the other side of a flow.
fn subnet_peer(net: &Network, s: SubnetIdx) -> Result<Peer, String> {
    match &net.subnets[s].cidr {
        Fact::Known(n) => Ok(Peer::Cidr(*n)),
        Fact::Unknown(why) => Err(format!(
            "the CIDR block of {} is not known ({why})",
            net.subnets[s].node.name()
        )),
    }
}

/// What an ACL does to a flow; a peer whose CIDR is not known is decided only when the ACL
/// treats every address alike.
fn flow_outcome(acl: &NetworkAcl, flow: &Flow) -> Outcome {
    let rules = if flow.egress {
        &acl.egress
    } else {
        &acl.ingress
    };
    let unknown = acl.rules_unknown.as_deref();
    match &flow.peer {
        Ok(p) => evaluate(rules, unknown, *p, flow.ports),
        Err(why) => {
            let any = Ipv4Net::parse("0.0.0.0/0").map(Peer::Cidr);
            match any.map(|p| evaluate(rules, unknown, p, flow.ports)) {
                Some(Outcome::Allow) => Outcome::Allow,
                _ => Outcome::Unknown(why.clone()),
            }
        }
    }
}

/// The rules to add: one per direction and port range that something drops, for the VPC's
/// CIDR (0.0.0.0/0 where S3 is on the other side).
fn fix(scope: &Scope<'_>, name: &str, acl: Option<NaclIdx>, problems: &[Problem]) -> String {
    if acl.is_none() {
        return format!(
            "give pullpath the network ACL association of {name}, or check that its ACL allows outbound TCP 443 to the endpoints and S3 and inbound TCP 1024-65535 back"
        );
    }
    let vpc_cidr = scope
        .vpc()
        .and_then(|v| scope.net.vpcs[v].cidrs.first().map(ToString::to_string));
    let id = name
        .rsplit('.')
        .next()
        .unwrap_or("acl")
        .replace(['[', ']', '"'], "_");
    let mut wanted: Vec<(bool, (i64, i64), String)> = Vec::new();
    for p in problems {
        let cidr = match p.peer_cidr.as_deref() {
            Some("0.0.0.0/0") | None => "0.0.0.0/0".to_string(),
            Some(c) => vpc_cidr.clone().unwrap_or_else(|| c.to_string()),
        };
        match wanted
            .iter_mut()
            .find(|(e, ports, _)| *e == p.egress && *ports == p.ports)
        {
            Some(w) if w.2 != cidr => w.2 = "0.0.0.0/0".to_string(),
            Some(_) => {}
            None => wanted.push((p.egress, p.ports, cidr)),
        }
    }
    let acl = acl.map(|a| &scope.net.network_acls[a]);
    let mut out = String::new();
    for (egress, (from, to), cidr) in wanted {
        if !out.is_empty() {
            out.push('\n');
        }
        // Before the first rule of that direction that denies: rules apply in number order.
        let first_deny = acl.and_then(|a| {
            let rules = if egress { &a.egress } else { &a.ingress };
            rules
                .iter()
                .filter(|r| r.allow.known() == Some(&false))
                .filter_map(|r| r.number.known().copied())
                .min()
        });
        let number = match first_deny {
            Some(n) if n <= 100 => format!("{} # before rule {n}, which drops it", (n - 1).max(1)),
            _ => "100 # before any rule that drops it".to_string(),
        };
        out.push_str(&format!(
            "resource \"aws_network_acl_rule\" \"{id}_{}_{from}\" {{\n  network_acl_id = {name}.id\n  rule_number    = {number}\n  egress         = {egress}\n  protocol       = \"tcp\"\n  rule_action    = \"allow\"\n  cidr_block     = \"{cidr}\"\n  from_port      = {from}\n  to_port        = {to}\n}}\n",
            if egress { "out" } else { "in" },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// A network ACL on the workload subnets (which are also the endpoints' subnets): its
    /// rules are `rules`.
    fn acl(rules: &str) -> String {
        format!(
            r#"
resource "aws_network_acl" "private" {{
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]
{rules}
}}
"#
        )
    }

    const HTTPS_OUT: &str = r#"
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }
"#;
    const HTTPS_IN_VPC: &str = r#"
  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.0.0.0/16"
    from_port  = 443
    to_port    = 443
  }
"#;
    const EPHEMERAL_IN: &str = r#"
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 65535
  }
"#;
    const EPHEMERAL_OUT_VPC: &str = r#"
  egress {
    rule_no    = 110
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.0.0.0/16"
    from_port  = 1024
    to_port    = 65535
  }
"#;

    fn with(extra: &str) -> String {
        let mut all = ALL_ENDPOINTS.to_vec();
        all.push(extra);
        private_fargate(&all)
    }

    #[test]
    fn complete_private_fargate_passes() {
        let found = check_hcl(&[("main.tf", &private_fargate(ALL_ENDPOINTS))]);
        assert_eq!(verdicts_of("PP503", &found), []);
    }

    #[test]
    fn both_directions_allowed_passes() {
        let rules = [HTTPS_OUT, HTTPS_IN_VPC, EPHEMERAL_IN, EPHEMERAL_OUT_VPC].concat();
        let found = check_hcl(&[("main.tf", &with(&acl(&rules)))]);
        assert_eq!(verdicts(&found), []);
    }

    #[test]
    fn no_reply_rule_fails() {
        let rules = [HTTPS_OUT, HTTPS_IN_VPC, EPHEMERAL_OUT_VPC].concat();
        let found = check_hcl(&[("main.tf", &with(&acl(&rules)))]);
        assert_eq!(
            verdicts(&found),
            [("PP503", "fail", "aws_network_acl.private".into())]
        );
        assert!(
            found[0].message.contains("1024-65535"),
            "{}",
            found[0].message
        );
    }

    /// A deny with a lower number than the allow wins.
    #[test]
    fn an_earlier_deny_wins() {
        let deny = r#"
  egress {
    rule_no    = 50
    action     = "deny"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
"#;
        let rules = [
            deny,
            HTTPS_OUT,
            HTTPS_IN_VPC,
            EPHEMERAL_IN,
            EPHEMERAL_OUT_VPC,
        ]
        .concat();
        let found = check_hcl(&[("main.tf", &with(&acl(&rules)))]);
        assert_eq!(
            verdicts(&found),
            [("PP503", "fail", "aws_network_acl.private".into())]
        );
        assert!(found[0].message.contains("rule 50"), "{}", found[0].message);
    }

    /// Rules as `aws_network_acl_rule` resources, the ACL attached with an association.
    #[test]
    fn rule_resources_and_associations() {
        let src = with(
            r#"
resource "aws_network_acl" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_network_acl_association" "a" {
  network_acl_id = aws_network_acl.private.id
  subnet_id      = aws_subnet.private_a.id
}

resource "aws_network_acl_association" "b" {
  network_acl_id = aws_network_acl.private.id
  subnet_id      = aws_subnet.private_b.id
}

resource "aws_network_acl_rule" "all_out" {
  network_acl_id = aws_network_acl.private.id
  rule_number    = 100
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "https_in" {
  network_acl_id = aws_network_acl.private.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "10.0.0.0/16"
  from_port      = 443
  to_port        = 443
}
"#,
        );
        let found = check_hcl(&[("main.tf", &src)]);
        // The replies from S3 (and between the two subnets) are dropped.
        assert_eq!(
            verdicts(&found),
            [("PP503", "fail", "aws_network_acl.private".into())]
        );
    }

    /// The VPC's default ACL managed without rules denies everything.
    #[test]
    fn managed_default_acl_without_rules_fails() {
        let src = with(
            r#"
resource "aws_default_network_acl" "default" {
  default_network_acl_id = aws_vpc.main.default_network_acl_id
}
"#,
        );
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts(&found),
            [("PP503", "fail", "aws_default_network_acl.default".into())]
        );
    }

    /// A rule whose CIDR comes from a variable without a value: unknown, not a pass.
    #[test]
    fn unknown_cidr_is_unknown() {
        let rules = [HTTPS_OUT, HTTPS_IN_VPC, EPHEMERAL_OUT_VPC].concat()
            + &EPHEMERAL_IN.replace("\"0.0.0.0/0\"", "var.reply_cidr");
        let src = with(&acl(&rules)) + "variable \"reply_cidr\" {\n  type = string\n}\n";
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts(&found),
            [("PP503", "unknown", "aws_network_acl.private".into())]
        );
    }

    /// Replies only from the VPC: S3's replies come from outside it.
    #[test]
    fn replies_only_from_the_vpc_block_s3() {
        let rules = [HTTPS_OUT, HTTPS_IN_VPC, EPHEMERAL_OUT_VPC].concat()
            + &EPHEMERAL_IN.replace("0.0.0.0/0", "10.0.0.0/16");
        let found = check_hcl(&[("main.tf", &with(&acl(&rules)))]);
        assert_eq!(
            verdicts(&found),
            [("PP503", "fail", "aws_network_acl.private".into())]
        );
        assert!(
            found[0].message.contains("Amazon S3"),
            "{}",
            found[0].message
        );
    }
}
