//! Network ACLs (`aws_network_acl`, `aws_default_network_acl`) with their rules (inline
//! `ingress` / `egress` blocks and `aws_network_acl_rule`), and each subnet's network ACL:
//! `aws_network_acl_association`, the `subnet_ids` of an ACL, else the VPC's default ACL (the
//! `aws_default_network_acl` of the input, or AWS's allow-all default).

use crate::hash::FastMap;

use super::builder::{is_vpc, join_reasons, Builder};
use super::registry::node_of;
use crate::graph::{
    Fact, Ipv4Net, NaclCidr, NaclIdx, NaclRule, NetworkAcl, Node, Protocol, SubnetAcl, SubnetIdx,
    VpcIdx,
};
use crate::model::{Model, Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    ("aws_network_acl", &["ingress", "egress", "subnet_ids"]),
    (
        "aws_default_network_acl",
        &["ingress", "egress", "subnet_ids", "default_network_acl_id"],
    ),
    (
        "aws_network_acl_rule",
        &[
            "network_acl_id",
            "rule_number",
            "egress",
            "protocol",
            "rule_action",
            "cidr_block",
            "ipv6_cidr_block",
            "from_port",
            "to_port",
        ],
    ),
    (
        "aws_network_acl_association",
        &["network_acl_id", "subnet_id"],
    ),
    ("aws_vpc", &["default_network_acl_id"]),
    ("aws_default_vpc", &["default_network_acl_id"]),
];

fn is_acl(r: &Resource) -> bool {
    matches!(r.rtype(), "aws_network_acl" | "aws_default_network_acl")
}

impl Builder<'_> {
    pub(super) fn network_acls(&mut self) {
        let model = self.model();
        let mut by_res: FastMap<usize, NaclIdx> = FastMap::default();
        // The ACLs and their inline rules.
        for (i, r) in model.resources.iter().enumerate() {
            if r.is_data() || !is_acl(r) {
                continue;
            }
            let is_default = r.rtype() == "aws_default_network_acl";
            let vpc = if is_default {
                self.vpc_of_default_acl(r)
            } else {
                self.vpc_of(r, "vpc_id")
            };
            let node = node_of(model, r, i);
            let mut gaps = Vec::new();
            let mut ingress = Vec::new();
            let mut egress = Vec::new();
            for (key, list) in [("ingress", &mut ingress), ("egress", &mut egress)] {
                match r.get(key) {
                    None | Some(Value::Null) => {}
                    // Left to the provider: the rules are `aws_network_acl_rule` resources.
                    Some(v) if v.is_not_configured() => {}
                    Some(Value::List(items)) => {
                        for item in items {
                            list.push(inline_rule(r, &node, item));
                        }
                    }
                    Some(v) => gaps.push(format!(
                        "{}.{key} is not known before apply ({})",
                        r.address,
                        v.undecided_reason().unwrap_or_default()
                    )),
                }
            }
            let n = self.net.network_acls.len();
            self.net.network_acls.push(NetworkAcl {
                node,
                vpc: vpc.clone(),
                is_default,
                ingress,
                egress,
                rules_unknown: (!gaps.is_empty()).then(|| join_reasons(&gaps)),
            });
            by_res.insert(i, n);
            if let (true, Fact::Known(v)) = (is_default, vpc) {
                self.net.vpcs[v].default_network_acl.get_or_insert(n);
            }
        }
        // Rule resources.
        let mut floating: FastMap<usize, String> = FastMap::default();
        for (i, r) in model.resources.iter().enumerate() {
            if r.is_data() || r.rtype() != "aws_network_acl_rule" {
                continue;
            }
            match self.acl_of(r, "network_acl_id", &by_res) {
                Ok(a) => {
                    let egress = r.get("egress").and_then(Value::as_bool);
                    let rule = resource_rule(model, r, i);
                    let acl = &mut self.net.network_acls[a];
                    match egress {
                        Some(true) => acl.egress.push(rule),
                        Some(false) => acl.ingress.push(rule),
                        None if r.get("egress").is_none_or(Value::is_null) => {
                            acl.ingress.push(rule)
                        }
                        None => {
                            acl.rules_unknown.get_or_insert(format!(
                                "whether {} is an egress rule is not known before apply",
                                r.address
                            ));
                        }
                    }
                }
                Err(why) => {
                    floating.entry(r.input).or_insert(why);
                }
            }
        }
        for acl in &mut self.net.network_acls {
            if let Some(why) = acl.node.input.and_then(|i| floating.get(&i)) {
                acl.rules_unknown.get_or_insert(why.clone());
            }
            for list in [&mut acl.ingress, &mut acl.egress] {
                // Rule number order; rules whose number is unknown last.
                list.sort_by_key(|x| match x.number {
                    Fact::Known(n) => (0, n),
                    Fact::Unknown(_) => (1, 0),
                });
            }
        }
        // Subnet associations.
        let mut assigned: FastMap<SubnetIdx, Vec<(NaclIdx, String)>> = FastMap::default();
        let mut unsure: FastMap<usize, String> = FastMap::default();
        let mut unsure_subnets: FastMap<SubnetIdx, String> = FastMap::default();
        for (i, r) in model.resources.iter().enumerate() {
            if r.is_data() {
                continue;
            }
            if is_acl(r) {
                let Some(&a) = by_res.get(&i) else { continue };
                if r.get("subnet_ids")
                    .is_none_or(|v| v.is_null() || v.is_not_configured())
                {
                    continue;
                }
                let (subnets, gap) = self.subnets_of(r, r.get("subnet_ids"), "subnet_ids");
                for s in subnets {
                    assigned.entry(s).or_default().push((a, r.address.clone()));
                }
                if let Some(g) = gap {
                    unsure.entry(r.input).or_insert(g);
                }
            } else if r.rtype() == "aws_network_acl_association" {
                let (subnets, gap) = self.subnets_of(r, r.get("subnet_id"), "subnet_id");
                if let Some(g) = gap {
                    unsure.entry(r.input).or_insert(g);
                }
                match self.acl_of(r, "network_acl_id", &by_res) {
                    Ok(a) => {
                        for s in subnets {
                            assigned.entry(s).or_default().push((a, r.address.clone()));
                        }
                    }
                    Err(why) => {
                        for s in subnets {
                            unsure_subnets.entry(s).or_insert(why.clone());
                        }
                    }
                }
            }
        }
        for s in 0..self.net.subnets.len() {
            let acl = if let Some(why) = unsure_subnets.get(&s) {
                SubnetAcl::Unknown(why.clone())
            } else if let Some(list) = assigned.get(&s) {
                let mut acls: Vec<NaclIdx> = list.iter().map(|(a, _)| *a).collect();
                acls.sort_unstable();
                acls.dedup();
                match acls.as_slice() {
                    [one] => SubnetAcl::Acl(*one),
                    _ => SubnetAcl::Unknown(format!(
                        "{} is associated with several network ACLs ({})",
                        self.net.subnets[s].node.name(),
                        list.iter()
                            .map(|(_, by)| by.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            } else if let Some(why) = self.net.subnets[s].node.input.and_then(|i| unsure.get(&i)) {
                SubnetAcl::Unknown(format!(
                    "an association of the input may name {}: {why}",
                    self.net.subnets[s].node.name()
                ))
            } else {
                match self.net.subnets[s].vpc {
                    Fact::Known(v) => match self.net.vpcs[v].default_network_acl {
                        Some(a) => SubnetAcl::Acl(a),
                        None => SubnetAcl::VpcDefault,
                    },
                    Fact::Unknown(_) => SubnetAcl::VpcDefault,
                }
            };
            self.net.subnets[s].network_acl = acl;
        }
    }

    /// The network ACL an attribute (`network_acl_id`) names.
    fn acl_of(
        &mut self,
        r: &Resource,
        key: &str,
        by_res: &FastMap<usize, NaclIdx>,
    ) -> Result<NaclIdx, String> {
        let Some(v) = r.get(key) else {
            return Err(format!("{} has no {key} in the input", r.address));
        };
        let found = self.ix.find(r.input, v, &is_acl);
        let acls: Vec<NaclIdx> = found
            .resources
            .iter()
            .filter_map(|i| by_res.get(i).copied())
            .collect();
        // `aws_vpc.x.default_network_acl_id`: the VPC's default ACL.
        let mut defaults: Vec<NaclIdx> = Vec::new();
        let mut gaps = found.gaps.clone();
        for (i, attr) in &found.others {
            let x = self.ix.res(*i);
            if is_vpc(x) && attr.as_deref() == Some("default_network_acl_id") {
                match self
                    .vpcs
                    .of_resource(*i)
                    .and_then(|v| self.net.vpcs[v].default_network_acl)
                {
                    Some(a) => defaults.push(a),
                    None => gaps.push(format!(
                        "{} names the default network ACL of {}, whose rules are not in the input (AWS creates it allowing all traffic, but it may have been changed)",
                        r.address, x.address
                    )),
                }
            } else {
                gaps.push(format!(
                    "{} refers to {}{} for a network ACL",
                    r.address,
                    x.address,
                    attr.as_ref().map(|a| format!(".{a}")).unwrap_or_default()
                ));
            }
        }
        for id in &found.ids {
            gaps.push(format!("the network ACL {id} is not in the input"));
        }
        let mut all: Vec<NaclIdx> = acls.into_iter().chain(defaults).collect();
        all.sort_unstable();
        all.dedup();
        match (all.as_slice(), gaps.is_empty()) {
            ([one], true) => Ok(*one),
            (_, false) => Err(format!("{}.{key}: {}", r.address, join_reasons(&gaps))),
            _ => Err(format!(
                "{}.{key} does not name one network ACL of the input",
                r.address
            )),
        }
    }

    /// `aws_default_network_acl.default_network_acl_id = aws_vpc.x.default_network_acl_id`.
    fn vpc_of_default_acl(&mut self, r: &Resource) -> Fact<VpcIdx> {
        if let Some(v) = r.get("default_network_acl_id") {
            let found = self.ix.find(r.input, v, &is_vpc);
            let candidates = found
                .resources
                .iter()
                .chain(found.others.iter().map(|(i, _)| i));
            for i in candidates {
                if is_vpc(self.ix.res(*i)) {
                    if let Some(n) = self.vpcs.of_resource(*i) {
                        return Fact::Known(n);
                    }
                }
            }
            if let Some(id) = v.as_str() {
                let model = self.model();
                let vpcs = self.ix.of_type(false, "aws_vpc").iter();
                for &j in vpcs.chain(self.ix.of_type(false, "aws_default_vpc")) {
                    let x = &model.resources[j];
                    if x.get("default_network_acl_id").and_then(Value::as_str) == Some(id) {
                        if let Some(n) = self.vpcs.of_resource(j) {
                            return Fact::Known(n);
                        }
                    }
                }
            }
        }
        if let Some(Value::String(_)) = r.get("vpc_id") {
            return self.vpc_of(r, "vpc_id");
        }
        self.vpc_by_module(r).unwrap_or_else(|| {
            Fact::Unknown(format!("the VPC of {} cannot be determined", r.address))
        })
    }
}

/// An inline `ingress` / `egress` block.
fn inline_rule(r: &Resource, node: &Node, item: &Value) -> NaclRule {
    let field = |key: &str| item.get(key);
    NaclRule {
        node: node.clone(),
        number: number(r, "rule_no", field("rule_no")),
        allow: action(r, "action", field("action")),
        protocol: protocol(r, field("protocol")),
        ports: ports(r, field("from_port"), field("to_port")),
        cidr: cidr(r, field("cidr_block"), field("ipv6_cidr_block")),
    }
}

/// An `aws_network_acl_rule`.
fn resource_rule(model: &Model, r: &Resource, i: usize) -> NaclRule {
    NaclRule {
        node: node_of(model, r, i),
        number: number(r, "rule_number", r.get("rule_number")),
        allow: action(r, "rule_action", r.get("rule_action")),
        protocol: protocol(r, r.get("protocol")),
        ports: ports(r, r.get("from_port"), r.get("to_port")),
        cidr: cidr(r, r.get("cidr_block"), r.get("ipv6_cidr_block")),
    }
}

fn undecided(r: &Resource, what: &str, v: Option<&Value>) -> String {
    format!(
        "{}: {what} of a network ACL rule is not known before apply{}",
        r.address,
        v.and_then(Value::undecided_reason)
            .map(|w| format!(" ({w})"))
            .unwrap_or_default()
    )
}

fn number(r: &Resource, what: &str, v: Option<&Value>) -> Fact<i64> {
    match v.and_then(Value::as_f64) {
        Some(n) => Fact::Known(n as i64),
        None => Fact::Unknown(undecided(r, what, v)),
    }
}

fn action(r: &Resource, what: &str, v: Option<&Value>) -> Fact<bool> {
    match v.and_then(Value::as_text).map(|t| t.to_ascii_lowercase()) {
        Some(t) if t == "allow" => Fact::Known(true),
        Some(t) if t == "deny" => Fact::Known(false),
        Some(t) => Fact::Unknown(format!("{}: unknown rule action {t:?}", r.address)),
        None => Fact::Unknown(undecided(r, what, v)),
    }
}

/// `-1`/`all`, `6`/`tcp`, `17`/`udp`, `1`/`icmp`, or another protocol number.
fn protocol(r: &Resource, v: Option<&Value>) -> Fact<Protocol> {
    match v.and_then(Value::as_text).map(|t| t.to_ascii_lowercase()) {
        Some(t) => Fact::Known(match t.as_str() {
            "-1" | "all" => Protocol::All,
            "6" | "tcp" => Protocol::Tcp,
            "17" | "udp" => Protocol::Udp,
            "1" | "icmp" => Protocol::Icmp,
            _ => Protocol::Other(t),
        }),
        None => Fact::Unknown(undecided(r, "the protocol", v)),
    }
}

fn ports(r: &Resource, from: Option<&Value>, to: Option<&Value>) -> Fact<(i64, i64)> {
    let get = |v: Option<&Value>| match v {
        None | Some(Value::Null) => Some(None),
        Some(v) => v.as_f64().map(|n| Some(n as i64)),
    };
    match (get(from), get(to)) {
        (Some(f), Some(t)) => Fact::Known((f.unwrap_or(0), t.or(f).unwrap_or(65535))),
        _ => Fact::Unknown(undecided(r, "the port range", from.or(to))),
    }
}

fn cidr(r: &Resource, v4: Option<&Value>, v6: Option<&Value>) -> Fact<NaclCidr> {
    fn known(v: Option<&Value>) -> Option<&str> {
        v.and_then(Value::as_str).filter(|s| !s.is_empty())
    }
    if let Some(s) = known(v4) {
        return match Ipv4Net::parse(s) {
            Some(n) => Fact::Known(NaclCidr::V4(n)),
            None => Fact::Unknown(format!("{}: {s:?} is not an IPv4 CIDR block", r.address)),
        };
    }
    if let Some(s) = known(v6) {
        return Fact::Known(NaclCidr::V6(s.to_string()));
    }
    let v = [v4, v6].into_iter().flatten().find(|v| v.is_undecided());
    Fact::Unknown(undecided(r, "the CIDR block", v.or(v4)))
}
