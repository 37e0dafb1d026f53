//! Security group rules in their three forms: inline `ingress`/`egress` blocks,
//! `aws_security_group_rule`, and `aws_vpc_security_group_ingress_rule`/`egress_rule`, one
//! [`SgRule`] per peer.

use crate::hash::FastMap;

use super::builder::{is_subnet, is_vpc, Builder};
use super::registry::node_of;
use crate::graph::{Block, Fact, Ipv4Net, Peer, Protocol, SgIdx, SgRule};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    (
        "aws_security_group_rule",
        &[
            "type",
            "security_group_id",
            "protocol",
            "from_port",
            "to_port",
            "cidr_blocks",
            "ipv6_cidr_blocks",
            "prefix_list_ids",
            "source_security_group_id",
            "self",
        ],
    ),
    ("aws_vpc_security_group_ingress_rule", VPC_RULE),
    ("aws_vpc_security_group_egress_rule", VPC_RULE),
];
const VPC_RULE: &[&str] = &[
    "security_group_id",
    "ip_protocol",
    "from_port",
    "to_port",
    "cidr_ipv4",
    "cidr_ipv6",
    "prefix_list_id",
    "referenced_security_group_id",
];

impl Builder<'_> {
    /// Rules of an inline `ingress`/`egress` block: one per peer.
    pub(super) fn inline_rules(
        &mut self,
        r: &Resource,
        i: usize,
        own: SgIdx,
        block: &Value,
    ) -> Vec<SgRule> {
        let node = node_of(self.ix.model, r, i);
        let protocol = protocol_of(block.get("protocol"));
        let from_port = block
            .get("from_port")
            .and_then(Value::as_f64)
            .map(|n| n as i64);
        let to_port = block
            .get("to_port")
            .and_then(Value::as_f64)
            .map(|n| n as i64);
        let mut peers = Vec::new();
        peers.extend(self.cidr_peers(r, block.get("cidr_blocks")));
        if let Some(Value::List(v6)) = block.get("ipv6_cidr_blocks") {
            peers.extend(v6.iter().filter_map(Value::as_text).map(Peer::Cidr6));
        }
        peers.extend(self.prefix_list_peers(r, block.get("prefix_list_ids")));
        if block.get("security_groups").is_some() {
            let (groups, gap) = self.sgs_of(r, block.get("security_groups"), "security_groups");
            peers.extend(groups.into_iter().map(Peer::SecurityGroup));
            if let Some(g) = gap {
                peers.push(Peer::Unknown(g));
            }
        }
        match block.get("self") {
            Some(v) if v.as_bool() == Some(true) => peers.push(Peer::SecurityGroup(own)),
            Some(v) if v.is_undecided() && !v.is_not_configured() => peers.push(Peer::Unknown(
                format!("{}: `self` is not known before apply", r.address),
            )),
            _ => {}
        }
        peers
            .into_iter()
            .map(|peer| SgRule {
                node: node.clone(),
                protocol: protocol.clone(),
                from_port,
                to_port,
                peer,
            })
            .collect()
    }

    pub(super) fn cidr_peers(&mut self, r: &Resource, v: Option<&Value>) -> Vec<Peer> {
        let mut out = Vec::new();
        let Some(v) = v else { return out };
        let mut stack = vec![v];
        let mut hops = 0;
        while let Some(v) = stack.pop() {
            hops += 1;
            if hops > 10_000 {
                break;
            }
            match v {
                Value::Null => {}
                Value::String(s) if s.is_empty() => {}
                Value::String(s) => out.push(match Ipv4Net::parse(s) {
                    Some(n) => Peer::Cidr(n),
                    None => {
                        Peer::Unknown(format!("{}: {s:?} is not an IPv4 CIDR block", r.address))
                    }
                }),
                Value::List(items) => stack.extend(items.iter()),
                Value::Ref(rf) => {
                    for t in &rf.targets {
                        let Some(i) = self.model().lookup_index(r.input, &t.address) else {
                            out.push(Peer::Unknown(format!(
                                "{}: refers to {}, which is not in the input",
                                r.address, t.address
                            )));
                            continue;
                        };
                        // A data source that reads a VPC or subnet of the input is that one.
                        let want =
                            |x: &Resource| is_vpc(x) || is_subnet(x) || x.rtype() == "aws_subnet";
                        let i = self.ix.canonical(i, &want);
                        let x = self.ix.res(i);
                        let why = format!(
                            "{}: the CIDR block {} is not known before apply",
                            r.address, t
                        );
                        match t.attr.as_deref().and_then(|a| x.get(a)) {
                            Some(inner) if !inner.is_undecided() => stack.push(inner),
                            _ if t.attr.as_deref() == Some("cidr_block") && !x.is_data() => {
                                let of = if is_vpc(x) {
                                    self.vpcs.of_resource(i).map(Block::Vpc)
                                } else if is_subnet(x) {
                                    self.subnets.of_resource(i).map(Block::Subnet)
                                } else {
                                    None
                                };
                                out.push(match of {
                                    Some(of) => Peer::Block { of, why },
                                    None => Peer::Unknown(why),
                                });
                            }
                            _ => out.push(Peer::Unknown(why)),
                        }
                    }
                    if !rf.complete {
                        out.push(Peer::Unknown(format!(
                            "{}: {}",
                            r.address,
                            rf.note.clone().unwrap_or_default()
                        )));
                    }
                }
                other => out.push(Peer::Unknown(format!(
                    "{}: a CIDR block is not known before apply ({})",
                    r.address,
                    other.undecided_reason().unwrap_or_default()
                ))),
            }
        }
        out
    }

    pub(super) fn security_group_rules(&mut self) {
        let model = self.model();
        let mut floating: Vec<(usize, String)> = Vec::new();
        for (i, r) in model.resources.iter().enumerate() {
            let (ingress, new_style) = match r.rtype() {
                "aws_security_group_rule" => match r.get("type").and_then(Value::as_str) {
                    Some("ingress") => (true, false),
                    Some("egress") => (false, false),
                    _ => {
                        floating.push((
                            r.input,
                            format!("{}: the rule type is not known", r.address),
                        ));
                        continue;
                    }
                },
                "aws_vpc_security_group_ingress_rule" => (true, true),
                "aws_vpc_security_group_egress_rule" => (false, true),
                _ => continue,
            };
            let (groups, gap) = self.sgs_of(r, r.get("security_group_id"), "security_group_id");
            let rules = if new_style {
                self.new_style_rule(r, i)
            } else {
                self.old_style_rule(r, i, groups.first().copied())
            };
            if groups.len() != 1 || gap.is_some() {
                if rules.iter().any(could_carry_443) {
                    floating.push((
                        r.input,
                        format!(
                            "{} adds a rule to a security group that cannot be determined ({})",
                            r.address,
                            gap.unwrap_or_else(|| "several candidates".into())
                        ),
                    ));
                }
                continue;
            }
            let sg = &mut self.net.security_groups[groups[0]];
            if ingress {
                sg.ingress.extend(rules)
            } else {
                sg.egress.extend(rules)
            }
        }
        // A group's rule list grew by pushes (room for four rules when the first came): give
        // back the spare room, kept for the whole run (a group has one or two rule resources
        // in most configurations).
        for sg in &mut self.net.security_groups {
            sg.ingress.shrink_to_fit();
            sg.egress.shrink_to_fit();
        }
        // One pass over the groups, whatever the number of such rules.
        let mut first: FastMap<usize, String> = FastMap::default();
        for (input, why) in floating {
            first.entry(input).or_insert(why);
        }
        if !first.is_empty() {
            for sg in &mut self.net.security_groups {
                if let Some(why) = sg.node.input.and_then(|i| first.get(&i)) {
                    sg.rules_unknown.get_or_insert(why.clone());
                }
            }
        }
    }

    pub(super) fn old_style_rule(
        &mut self,
        r: &Resource,
        i: usize,
        own: Option<SgIdx>,
    ) -> Vec<SgRule> {
        let node = node_of(self.ix.model, r, i);
        let protocol = protocol_of(r.get("protocol"));
        let from_port = r.get("from_port").and_then(Value::as_f64).map(|n| n as i64);
        let to_port = r.get("to_port").and_then(Value::as_f64).map(|n| n as i64);
        let mut peers = self.cidr_peers(r, r.get("cidr_blocks"));
        if let Some(Value::List(v6)) = r.get("ipv6_cidr_blocks") {
            peers.extend(v6.iter().filter_map(Value::as_text).map(Peer::Cidr6));
        }
        peers.extend(self.prefix_list_peers(r, r.get("prefix_list_ids")));
        if let Some(v) = r
            .get("source_security_group_id")
            .filter(|v| !v.is_null() && v.as_str() != Some("") && !v.is_not_configured())
        {
            let (groups, gap) = self.sgs_of(r, Some(v), "source_security_group_id");
            peers.extend(groups.into_iter().map(Peer::SecurityGroup));
            if let Some(g) = gap {
                peers.push(Peer::Unknown(g));
            }
        }
        if r.get("self").and_then(Value::as_bool) == Some(true) {
            match own {
                Some(g) => peers.push(Peer::SecurityGroup(g)),
                None => peers.push(Peer::Unknown(format!(
                    "{}: `self` of an undetermined group",
                    r.address
                ))),
            }
        }
        peers
            .into_iter()
            .map(|peer| SgRule {
                node: node.clone(),
                protocol: protocol.clone(),
                from_port,
                to_port,
                peer,
            })
            .collect()
    }

    pub(super) fn new_style_rule(&mut self, r: &Resource, i: usize) -> Vec<SgRule> {
        let node = node_of(self.ix.model, r, i);
        let protocol = protocol_of(r.get("ip_protocol"));
        let from_port = r.get("from_port").and_then(Value::as_f64).map(|n| n as i64);
        let to_port = r.get("to_port").and_then(Value::as_f64).map(|n| n as i64);
        let mut peers = Vec::new();
        if let Some(v) = r.get("cidr_ipv4").filter(|v| !v.is_null()) {
            peers.extend(self.cidr_peers(r, Some(v)));
        }
        if let Some(s) = r
            .get("cidr_ipv6")
            .and_then(Value::as_text)
            .filter(|s| !s.is_empty())
        {
            peers.push(Peer::Cidr6(s));
        }
        if let Some(v) = r
            .get("prefix_list_id")
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
        {
            peers.extend(self.prefix_list_peers(r, Some(v)));
        }
        if let Some(v) = r
            .get("referenced_security_group_id")
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
        {
            let (groups, gap) = self.sgs_of(r, Some(v), "referenced_security_group_id");
            peers.extend(groups.into_iter().map(Peer::SecurityGroup));
            if let Some(g) = gap {
                peers.push(Peer::Unknown(g));
            }
        }
        if peers.is_empty() {
            peers.push(Peer::Unknown(format!(
                "{} names no peer that pullpath can read",
                r.address
            )));
        }
        peers
            .into_iter()
            .map(|peer| SgRule {
                node: node.clone(),
                protocol: protocol.clone(),
                from_port,
                to_port,
                peer,
            })
            .collect()
    }
}

fn protocol_of(v: Option<&Value>) -> Fact<Protocol> {
    match v.and_then(Value::as_text) {
        Some(p) => Fact::Known(match p.to_ascii_lowercase().as_str() {
            "-1" | "all" => Protocol::All,
            "tcp" | "6" => Protocol::Tcp,
            "udp" | "17" => Protocol::Udp,
            "icmp" | "1" => Protocol::Icmp,
            other => Protocol::Other(other.to_string()),
        }),
        None => Fact::Unknown(match v {
            Some(v) => v.undecided_reason().unwrap_or_else(|| "no protocol".into()),
            None => "no protocol".into(),
        }),
    }
}

/// Whether a rule could admit TCP 443 (used to decide if an unplaceable rule matters).
fn could_carry_443(rule: &SgRule) -> bool {
    match &rule.protocol {
        Fact::Known(Protocol::All) | Fact::Unknown(_) => true,
        Fact::Known(Protocol::Tcp) => {
            rule.from_port.is_none_or(|f| f <= 443) && rule.to_port.is_none_or(|t| t >= 443)
        }
        _ => false,
    }
}
