//! Routes: inline `route` blocks and `aws_route` resources, with their target (NAT gateway or
//! instance, internet gateway, or somewhere outside the input).

use super::builder::{join_reasons, Builder};
use super::registry::{id_node, node_of};
use crate::graph::{Fact, Route, RouteTableIdx, RouteTarget};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    (
        "aws_route",
        &[
            "route_table_id",
            "destination_cidr_block",
            "destination_ipv6_cidr_block",
            "destination_prefix_list_id",
            "gateway_id",
            "nat_gateway_id",
            "network_interface_id",
            "instance_id",
            "transit_gateway_id",
            "vpc_peering_connection_id",
            "egress_only_gateway_id",
            "vpc_endpoint_id",
            "carrier_gateway_id",
            "local_gateway_id",
            "core_network_arn",
        ],
    ),
    (
        "aws_nat_gateway",
        &["connectivity_type", "subnet_id", "availability_mode"],
    ),
    (
        "aws_vpn_gateway_route_propagation",
        &["route_table_id", "vpn_gateway_id"],
    ),
    ("aws_instance", &["source_dest_check", "network_interface"]),
    ("aws_network_interface", &["source_dest_check"]),
];

impl Builder<'_> {
    pub(super) fn route_from(
        &mut self,
        r: &Resource,
        i: usize,
        obj: &Value,
        inline: bool,
    ) -> Route {
        let node = node_of(self.ix.model, r, i);
        let get = |k: &str| {
            obj.get(k).filter(|v| {
                !matches!(v, Value::Null) && v.as_str() != Some("") && !v.is_not_configured()
            })
        };
        let dest_key = if inline {
            [
                "cidr_block",
                "ipv6_cidr_block",
                "destination_prefix_list_id",
            ]
        } else {
            [
                "destination_cidr_block",
                "destination_ipv6_cidr_block",
                "destination_prefix_list_id",
            ]
        };
        let destination = match dest_key.iter().find_map(|k| get(k)) {
            Some(v) => match v.as_text() {
                Some(s) => Fact::Known(s),
                None => Fact::Unknown(v.undecided_reason().unwrap_or_default()),
            },
            None => Fact::Unknown(format!("{} has no destination", r.address)),
        };
        let target = self.route_target(r, obj);
        Route {
            node,
            destination,
            target,
        }
    }

    pub(super) fn route_target(&mut self, r: &Resource, obj: &Value) -> RouteTarget {
        let get = |k: &str| {
            obj.get(k).filter(|v| {
                !matches!(v, Value::Null) && v.as_str() != Some("") && !v.is_not_configured()
            })
        };
        let nat = |this: &mut Self, gw: &Resource, g: usize| {
            // A regional NAT gateway (`availability_mode = "regional"`) is in no subnet: taken
            // at its word, as one known only by id.
            let zonal = gw.get("availability_mode").and_then(Value::as_str) != Some("regional");
            let subnet_id = gw.get("subnet_id").filter(|v| !matches!(v, Value::Null));
            if let (true, Some(v), false) =
                (zonal, subnet_id, this.net.nat_subnets.contains_key(&g))
            {
                let (subnets, gap) = this.subnets_of(gw, Some(v), "subnet_id");
                // A literal that names no subnet of the input is a subnet outside it.
                match (subnets.as_slice(), gap) {
                    ([s], None) => {
                        this.net.nat_subnets.insert(g, Fact::Known(*s));
                    }
                    (_, Some(why)) => {
                        this.net.nat_subnets.insert(g, Fact::Unknown(why));
                    }
                    _ => {}
                }
            }
            let node = node_of(this.ix.model, gw, g);
            if gw.get("connectivity_type").and_then(Value::as_str) == Some("private") {
                RouteTarget::PrivateNat(node)
            } else {
                RouteTarget::NatGateway(node)
            }
        };
        if let Some(v) = get("nat_gateway_id") {
            let want = |x: &Resource| x.rtype() == "aws_nat_gateway";
            let found = self.ix.find(r.input, v, &want);
            if let Some(&g) = found.resources.first() {
                return nat(self, self.ix.res(g), g);
            }
            if let Some(id) = found.ids.first().or(found.literals.first()) {
                return RouteTarget::NatGateway(id_node(id));
            }
            return RouteTarget::Unknown(format!(
                "the NAT gateway of a route in {} cannot be determined: {}",
                r.address,
                join_reasons(&found.gaps)
            ));
        }
        if let Some(v) = get("gateway_id") {
            if v.as_str() == Some("local") {
                return RouteTarget::Local;
            }
            // AWS accepts a NAT gateway's id in `gateway_id` too (the provider's aws_route
            // documentation: "The AWS API is very forgiving with the resource ID passed in the
            // gateway_id attribute"), and routes to it as to any NAT gateway.
            let want = |x: &Resource| {
                matches!(
                    x.rtype(),
                    "aws_internet_gateway"
                        | "aws_vpn_gateway"
                        | "aws_vpc_endpoint"
                        | "aws_nat_gateway"
                )
            };
            let found = self.ix.find(r.input, v, &want);
            if let Some(&g) = found.resources.first() {
                let gw = self.ix.res(g);
                return match gw.rtype() {
                    "aws_internet_gateway" => {
                        RouteTarget::InternetGateway(node_of(self.ix.model, gw, g))
                    }
                    "aws_nat_gateway" => nat(self, gw, g),
                    "aws_vpn_gateway" => {
                        RouteTarget::Other(format!("the VPN gateway {}", gw.address))
                    }
                    _ => RouteTarget::Other(format!("the endpoint {}", gw.address)),
                };
            }
            if let Some(id) = found.ids.first().or(found.literals.first()) {
                return match id.split('-').next() {
                    Some("igw") => RouteTarget::InternetGateway(id_node(id)),
                    Some("nat") => RouteTarget::NatGateway(id_node(id)),
                    Some("vgw") => RouteTarget::Other(format!("the VPN gateway {id}")),
                    Some("vpce") => RouteTarget::Other(format!("the endpoint {id}")),
                    _ => RouteTarget::Unknown(format!("gateway {id} is not in the input")),
                };
            }
            return RouteTarget::Unknown(format!(
                "the gateway of a route in {} cannot be determined: {}",
                r.address,
                join_reasons(&found.gaps)
            ));
        }
        // `instance_id` is gone from aws_route in provider 5 but still in older configurations
        // and states.
        for key in ["network_interface_id", "instance_id"] {
            if let Some(v) = get(key) {
                // A NAT instance (fck-nat and similar modules) is reached through its instance
                // or through a network interface of its own.
                let want =
                    |x: &Resource| matches!(x.rtype(), "aws_instance" | "aws_network_interface");
                let found = self.ix.find(r.input, v, &want);
                if let Some(&g) = found.resources.first() {
                    let inst = self.ix.res(g);
                    // A NAT instance forwards traffic, so AWS's source/destination check must be
                    // off (it is on by default, on instances and network interfaces alike).
                    return match inst.get("source_dest_check") {
                        Some(v) if v.as_bool() == Some(false) => {
                            RouteTarget::NatInstance(node_of(self.ix.model, inst, g))
                        }
                        Some(v) if v.is_undecided() && !v.is_not_configured() => {
                            RouteTarget::Unknown(format!(
                                "whether {} forwards traffic (source_dest_check) is not known: {}",
                                inst.address,
                                v.undecided_reason().unwrap_or_default()
                            ))
                        }
                        // Interfaces attached in the instance's own `network_interface` blocks
                        // carry their own source/destination check.
                        _ if inst
                            .get("network_interface")
                            .and_then(Value::as_list)
                            .is_some_and(|l| !l.is_empty()) =>
                        {
                            RouteTarget::Unknown(format!(
                                "whether {} forwards traffic is its network interfaces' source_dest_check, which the route does not name",
                                inst.address
                            ))
                        }
                        _ => RouteTarget::Drops(format!(
                            "{} (source/destination check on: not a NAT instance)",
                            inst.address
                        )),
                    };
                }
                if let Some(what) = found.ids.first().or(found.literals.first()) {
                    return RouteTarget::Other(format!("the network interface {what}"));
                }
                return RouteTarget::Unknown(format!(
                    "the target of a route in {} ({key}) cannot be determined: {}",
                    r.address,
                    join_reasons(&found.gaps)
                ));
            }
        }
        for (key, what) in [
            ("transit_gateway_id", "the transit gateway"),
            ("vpc_peering_connection_id", "the peering connection"),
            ("egress_only_gateway_id", "the egress-only gateway"),
            ("vpc_endpoint_id", "the endpoint"),
            ("carrier_gateway_id", "the carrier gateway"),
            ("local_gateway_id", "the local gateway"),
            ("core_network_arn", "the core network"),
        ] {
            if let Some(v) = get(key) {
                let shown = v.as_text().or_else(|| match v {
                    Value::Ref(rf) => rf.targets.first().map(|t| t.address.clone()),
                    _ => None,
                });
                let what = format!("{what} {}", shown.unwrap_or_default())
                    .trim_end()
                    .to_string();
                return if key == "vpc_peering_connection_id" {
                    RouteTarget::Peering(what)
                } else {
                    RouteTarget::Other(what)
                };
            }
        }
        RouteTarget::Unknown(format!(
            "a route in {} has no target that pullpath can read",
            r.address
        ))
    }

    pub(super) fn routes(&mut self) {
        let model = self.model();
        for (i, r) in model.resources.iter().enumerate() {
            if r.rtype() == "aws_vpn_gateway_route_propagation" && !r.is_data() {
                self.propagation(r);
                continue;
            }
            if r.rtype() != "aws_route" || r.is_data() {
                continue;
            }
            let Some(v) = r.get("route_table_id") else {
                continue;
            };
            let route = self.route_from(r, i, &r.values, false);
            let (tables, gap) = self.route_tables_of(r, v);
            if tables.len() == 1 && gap.is_none() {
                self.net.route_tables[tables[0]].routes.push(route);
                continue;
            }
            // The route's table is not decided: every candidate table may or may not have it.
            let why = format!(
                "{} may add a route here: {}",
                r.address,
                gap.unwrap_or_else(|| "its route_table_id has several candidates".into())
            );
            let candidates = if tables.is_empty() {
                self.tables_in_module(r)
            } else {
                tables
            };
            for t in candidates {
                self.net.route_tables[t]
                    .routes_unknown
                    .get_or_insert(why.clone());
            }
        }
    }

    /// `aws_vpn_gateway_route_propagation`: the table's routes may include what the VPN gateway
    /// learns (see [`super::route_table::propagated`]); where the table is not decided, every
    /// table of the module instance may.
    fn propagation(&mut self, r: &Resource) {
        let Some(v) = r.get("route_table_id") else {
            return;
        };
        let (tables, gap) = self.route_tables_of(r, v);
        let candidates = if tables.is_empty() || gap.is_some() {
            let mut all = tables;
            all.extend(self.tables_in_module(r));
            all
        } else {
            tables
        };
        for t in candidates {
            let why = super::route_table::propagated(&self.net.route_tables[t].node.name());
            self.net.route_tables[t].routes_unknown.get_or_insert(why);
        }
    }

    /// Route tables defined in the same input and module instance as `r`.
    pub(super) fn tables_in_module(&self, r: &Resource) -> Vec<RouteTableIdx> {
        let module = r.addr.module_instance();
        self.net
            .route_tables
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                t.node.resource.is_some_and(|i| {
                    let x = self.ix.res(i);
                    x.input == r.input && x.addr.module_instance() == module
                })
            })
            .map(|(t, _)| t)
            .collect()
    }
}
