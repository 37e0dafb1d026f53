//! Whether a workload's subnets reach the internet: through a NAT, an internet gateway with a
//! public IP, or not at all (its tasks then need endpoints).

use crate::graph::*;

/// Whether a workload's subnets reach the internet.
#[derive(Clone, Debug, PartialEq)]
pub enum Reach {
    /// Through a NAT (gateway or instance) or an internet gateway with a public IP.
    Internet {
        via: String,
        nat: bool,
        /// Through a NAT instance (an EC2 instance that forwards), not a NAT gateway: no
        /// per-gigabyte processing charge.
        nat_instance: bool,
    },
    /// At least one of its subnets has no internet route: tasks placed there need endpoints.
    Private {
        subnet: SubnetIdx,
        why: String,
    },
    Unknown(String),
}

/// Whether a workload's tasks (or instances) in subnet `s` reach the internet: through NAT, or
/// an internet gateway with public IPs (`Some(true)`); not (`Some(false)`); `None` when not
/// known.
pub fn subnet_reaches_internet(net: &Network, w: WorkloadIdx, s: SubnetIdx) -> Option<bool> {
    match net.default_route(s) {
        DefaultRoute::Nat(_) | DefaultRoute::NatInstance(_) => Some(true),
        DefaultRoute::InternetGateway(_) => net.workloads[w].public_ip.known().copied(),
        DefaultRoute::None | DefaultRoute::Dead(_) => Some(false),
        DefaultRoute::Unknown(_) => None,
    }
}

/// Whether a workload's subnets reach the internet (see [`Reach`]).
pub fn reach(net: &Network, w: WorkloadIdx) -> Reach {
    let wl = &net.workloads[w];
    // On EC2 hosts the subnets are the container instances', and so is the public IP.
    let who = if wl.platform.known().is_some_and(|p| p.on_instances()) {
        "instances"
    } else {
        "tasks"
    };
    let mut unknown: Option<String> = wl.subnets_unknown.clone();
    let mut internet: Option<(String, bool, bool)> = None;
    for &s in &wl.subnets {
        let name = net.subnets[s].node.name();
        match net.default_route(s) {
            DefaultRoute::Nat(n) => {
                internet.get_or_insert((
                    format!("{name} routes 0.0.0.0/0 to NAT {}", n.name()),
                    true,
                    false,
                ));
            }
            DefaultRoute::NatInstance(n) => {
                internet.get_or_insert((
                    format!("{name} routes 0.0.0.0/0 to the NAT instance {}", n.name()),
                    true,
                    true,
                ));
            }
            DefaultRoute::InternetGateway(n) => match wl.public_ip {
                Fact::Known(true) => {
                    internet.get_or_insert((
                        format!(
                            "{name} routes 0.0.0.0/0 to {} and {who} get public IPs",
                            n.name()
                        ),
                        false,
                        false,
                    ));
                }
                Fact::Known(false) => {
                    return Reach::Private {
                        subnet: s,
                        why: format!("{name} routes 0.0.0.0/0 to the internet gateway {}, but the {who} get no public IP", n.name()),
                    };
                }
                Fact::Unknown(ref why) => {
                    unknown.get_or_insert(format!("{name} routes 0.0.0.0/0 to an internet gateway and whether {who} get a public IP is not known ({why})"));
                }
            },
            DefaultRoute::None => {
                let sn = &net.subnets[s];
                let why = match &sn.route_table {
                    Fact::Known(t) => format!("{name} has no internet route ({} has no 0.0.0.0/0 route to a NAT or internet gateway)", net.route_tables[*t].node.name()),
                    Fact::Unknown(undecided) => format!(
                        "{name} has no internet route (whichever route table it uses, none of {} has a 0.0.0.0/0 route to a NAT or internet gateway; which one is not decided: {undecided})",
                        sn.route_table_candidates
                            .iter()
                            .map(|&t| net.route_tables[t].node.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                return Reach::Private { subnet: s, why };
            }
            DefaultRoute::Dead(why) => {
                return Reach::Private {
                    subnet: s,
                    why: format!("{name} has no internet route: {why}"),
                };
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
        Some((via, nat, nat_instance)) => Reach::Internet {
            via,
            nat,
            nat_instance,
        },
        None => Reach::Unknown(format!("{} has no subnets in the input", wl.node.name())),
    }
}
