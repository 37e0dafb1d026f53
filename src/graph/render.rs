//! `pullpath graph`: the graphs as text for people, JSON for tests and scripts, and pictures
//! (Graphviz dot, Mermaid) of each VPC's pull path.

use std::fmt::Write as _;

use serde_json::{json, Value as J};

use super::*;
use crate::model::Model;

fn fact<T: serde::Serialize>(f: &Fact<T>) -> J {
    match f {
        Fact::Known(t) => json!(t),
        Fact::Unknown(why) => json!({ "unknown": why }),
    }
}

fn fact_str<T: ToString>(f: &Fact<T>) -> String {
    match f {
        Fact::Known(t) => t.to_string(),
        Fact::Unknown(why) => format!("unknown ({why})"),
    }
}

impl Network {
    pub fn vpc_name(&self, v: VpcIdx) -> String {
        self.vpcs[v].node.name()
    }

    pub fn route_target_text(&self, t: &RouteTarget) -> String {
        match t {
            RouteTarget::NatGateway(n) => format!("NAT gateway {}", n.name()),
            RouteTarget::NatInstance(n) => format!("NAT instance {}", n.name()),
            RouteTarget::InternetGateway(n) => format!("internet gateway {}", n.name()),
            RouteTarget::PrivateNat(n) => format!("private NAT gateway {}", n.name()),
            RouteTarget::Other(what) | RouteTarget::Peering(what) | RouteTarget::Drops(what) => {
                what.clone()
            }
            RouteTarget::Local => "local".to_string(),
            RouteTarget::Unknown(why) => format!("unknown ({why})"),
        }
    }

    pub fn default_route_text(&self, d: &DefaultRoute) -> String {
        match d {
            DefaultRoute::Nat(n) => format!("NAT gateway {}", n.name()),
            DefaultRoute::NatInstance(n) => format!("NAT instance {}", n.name()),
            DefaultRoute::InternetGateway(n) => format!("internet gateway {}", n.name()),
            DefaultRoute::None => "none".to_string(),
            DefaultRoute::Dead(why) => format!("none ({why})"),
            DefaultRoute::Unknown(why) => format!("unknown ({why})"),
        }
    }

    pub fn rule_text(&self, r: &SgRule) -> String {
        let proto = match &r.protocol {
            Fact::Known(Protocol::All) => "all traffic".to_string(),
            Fact::Known(p) => {
                let name = match p {
                    Protocol::Tcp => "tcp".to_string(),
                    Protocol::Udp => "udp".to_string(),
                    Protocol::Icmp => "icmp".to_string(),
                    Protocol::Other(o) => format!("protocol {o}"),
                    Protocol::All => unreachable_all(),
                };
                match (r.from_port, r.to_port) {
                    (Some(a), Some(b)) if a == b => format!("{name} {a}"),
                    (Some(a), Some(b)) => format!("{name} {a}-{b}"),
                    _ => name,
                }
            }
            Fact::Unknown(_) => "unknown protocol".to_string(),
        };
        format!("{proto} {} ({})", self.peer_text(&r.peer), r.node.name())
    }

    pub fn peer_text(&self, p: &Peer) -> String {
        match p {
            Peer::Cidr(n) => n.to_string(),
            Peer::Cidr6(s) => s.clone(),
            Peer::SecurityGroup(g) => self.security_groups[*g].node.name(),
            Peer::PrefixList(pl) => format!("prefix list {}", pl.name),
            Peer::Block { of, .. } => format!(
                "the CIDR block of {}",
                match of {
                    Block::Vpc(v) => self.vpcs[*v].node.name(),
                    Block::Subnet(s) => self.subnets[*s].node.name(),
                }
            ),
            Peer::Unknown(why) => format!("unknown peer ({why})"),
        }
    }

    pub fn policy_text(&self, p: &EndpointPolicy) -> String {
        match p {
            EndpointPolicy::Default => "default (full access)".to_string(),
            EndpointPolicy::Document(d) => format!("document from {}", d.source.name()),
            EndpointPolicy::Invalid { error, .. } => format!("invalid ({error})"),
            EndpointPolicy::Unknown(why) => format!("unknown ({why})"),
        }
    }

    fn role_text(&self, r: &Fact<RoleRef>) -> String {
        match r {
            Fact::Known(RoleRef::Role(i)) => self.principals[*i].node.name(),
            Fact::Known(RoleRef::Arn(a)) => format!("{a} (not in the input)"),
            Fact::Unknown(why) => format!("unknown ({why})"),
        }
    }
}

// `Protocol::All` is matched before the inner match; kept separate to read clearly.
fn unreachable_all() -> String {
    "all traffic".to_string()
}

/// The stable JSON form of the graphs (`pullpath graph --format json`).
pub fn to_json(net: &Network, model: &Model) -> J {
    let inputs: Vec<J> = model
        .inputs
        .iter()
        .map(|i| {
            json!({
                "path": i.path,
                "kind": i.kind.as_str(),
                "format_version": i.format_version,
                "terraform_version": i.terraform_version,
                "notes": i.notes,
            })
        })
        .collect();
    let vpcs: Vec<J> = (0..net.vpcs.len())
        .filter(|&v| shows(net, v))
        .map(|v| vpc_json(net, v))
        .collect();
    let unplaced: Vec<J> = net
        .unplaced
        .iter()
        .map(|&w| {
            let wl = &net.workloads[w];
            json!({ "workload": wl.node.name(), "reason": wl.vpc.reason() })
        })
        .collect();
    let mut removed: Vec<std::borrow::Cow<'_, str>> = model
        .removed
        .iter()
        .map(|r| crate::model::qualified(model.root_of(r.input), &r.address))
        .collect();
    removed.sort_unstable();
    json!({
        "inputs": inputs,
        "resources": net.resources_read,
        "removed_by_plan": removed,
        "vpcs": vpcs,
        "unplaced_workloads": unplaced,
    })
}

/// VPCs worth showing: defined in the input, or holding something of the input.
fn shows(net: &Network, v: VpcIdx) -> bool {
    let x = &net.vpcs[v];
    !x.node.is_external()
        || !x.subnets.is_empty()
        || !x.endpoints.is_empty()
        || !x.workloads.is_empty()
}

fn vpc_json(net: &Network, v: VpcIdx) -> J {
    let x = &net.vpcs[v];
    let subnets: Vec<J> = x
        .subnets
        .iter()
        .map(|&s| {
            let sn = &net.subnets[s];
            json!({
                "subnet": sn.node.name(),
                "id": sn.node.id,
                "cidr": fact(&sn.cidr.clone().map(|c| c.to_string())),
                "az": fact(&sn.az),
                "route_table": fact(&sn.route_table.clone().map(|t| net.route_tables[t].node.name())),
                "association": sn.association.as_ref().map(|n| n.name()),
                "default_route": net.default_route_text(&net.default_route(s)),
            })
        })
        .collect();
    let tables: Vec<J> = x
        .route_tables
        .iter()
        .map(|&t| {
            let rt = &net.route_tables[t];
            json!({
                "route_table": rt.node.name(),
                "id": rt.node.id,
                "implicit_main": rt.implicit_main,
                "main": x.main_route_table.known() == Some(&t),
                "routes": rt.routes.iter().map(|r| json!({
                    "destination": fact(&r.destination),
                    "target": net.route_target_text(&r.target),
                    "from": r.node.name(),
                })).collect::<Vec<_>>(),
                "routes_unknown": rt.routes_unknown,
            })
        })
        .collect();
    let endpoints: Vec<J> = x
        .endpoints
        .iter()
        .map(|&e| {
            let ep = &net.endpoints[e];
            json!({
                "endpoint": ep.node.name(),
                "id": ep.node.id,
                "service": fact(&ep.service.clone().map(|s| s.full)),
                "type": fact(&ep.kind.as_ref().map(|k| k.as_str())),
                "private_dns": fact(&ep.private_dns),
                "subnets": ep.subnets.iter().map(|&s| net.subnets[s].node.name()).collect::<Vec<_>>(),
                "subnets_unknown": ep.subnets_unknown,
                "security_groups": ep.security_groups.iter().map(|&g| net.security_groups[g].node.name()).collect::<Vec<_>>(),
                "security_groups_unknown": ep.security_groups_unknown,
                "uses_default_security_group": ep.uses_default_security_group,
                "route_tables": ep.route_tables.iter().map(|&t| net.route_tables[t].node.name()).collect::<Vec<_>>(),
                "route_tables_unknown": ep.route_tables_unknown,
                "policy": net.policy_text(&ep.policy),
            })
        })
        .collect();
    let groups: Vec<J> = x
        .security_groups
        .iter()
        .map(|&g| {
            let sg = &net.security_groups[g];
            json!({
                "security_group": sg.node.name(),
                "id": sg.node.id,
                "default": sg.is_default,
                "ingress": sg.ingress.iter().map(|r| net.rule_text(r)).collect::<Vec<_>>(),
                "egress": sg.egress.iter().map(|r| net.rule_text(r)).collect::<Vec<_>>(),
                "rules_unknown": sg.rules_unknown,
            })
        })
        .collect();
    let workloads: Vec<J> = x.workloads.iter().map(|&w| workload_json(net, w)).collect();
    let mut out = json!({
        "vpc": x.node.name(),
        "id": x.node.id,
        "region": fact(&x.region),
        "region_source": x.region_source,
        "partition": x.partition,
        "cidrs": x.cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        "dns_support": fact(&x.dns_support),
        "dns_hostnames": fact(&x.dns_hostnames),
        "main_route_table": fact(&x.main_route_table.clone().map(|t| net.route_tables[t].node.name())),
        "subnets": subnets,
        "route_tables": tables,
        "endpoints": endpoints,
        "security_groups": groups,
        "workloads": workloads,
    });
    // Only where roots were joined: the graph of one root stays as it was.
    if !x.joined.is_empty() {
        out["joined"] = json!(x.joined);
    }
    out
}

fn workload_json(net: &Network, w: WorkloadIdx) -> J {
    let wl = &net.workloads[w];
    json!({
        "workload": wl.node.name(),
        "kind": format!("{:?}", wl.kind),
        "platform": fact(&wl.platform.as_ref().map(|p| p.as_str())),
        "platform_version": wl.platform_version,
        "subnets": wl.subnets.iter().map(|&s| net.subnets[s].node.name()).collect::<Vec<_>>(),
        "subnets_unknown": wl.subnets_unknown,
        "security_groups": wl.security_groups.iter().map(|&g| net.security_groups[g].node.name()).collect::<Vec<_>>(),
        "security_groups_unknown": wl.security_groups_unknown,
        "public_ip": fact(&wl.public_ip),
        "instances": wl.hosts.as_ref().map(|h| h.nodes.iter().map(Node::name).collect::<Vec<_>>()),
        "instances_unknown": wl.hosts.as_ref().and_then(|h| h.unknown.clone()),
        "task_subnets": wl.task_subnets.iter().map(|&s| net.subnets[s].node.name()).collect::<Vec<_>>(),
        "task_security_groups": wl.task_security_groups.iter().map(|&g| net.security_groups[g].node.name()).collect::<Vec<_>>(),
        "definition": wl.definition.as_ref().map(|n| n.name()),
        "containers": wl.containers.iter().map(|c| json!({
            "name": c.name,
            "image": fact(&c.image),
            "log_driver": fact(&c.log_driver),
            "secrets": c.secrets,
        })).collect::<Vec<_>>(),
        "containers_unknown": wl.containers_unknown,
        "pull_role": wl.pull_role.as_ref().map(|r| net.role_text(r)),
        "instance_role": wl.instance_role.as_ref().map(|r| net.role_text(r)),
    })
}

/// The text form of the graphs, for people.
pub fn to_text(net: &Network, model: &Model) -> String {
    let mut out = String::new();
    for v in (0..net.vpcs.len()).filter(|&v| shows(net, v)) {
        let x = &net.vpcs[v];
        let _ = writeln!(
            out,
            "VPC {}{}",
            x.node.name(),
            x.node
                .id
                .as_ref()
                .filter(|id| Some(*id) != x.node.address.as_ref())
                .map(|id| format!(" ({id})"))
                .unwrap_or_default()
        );
        for how in &x.joined {
            let _ = writeln!(out, "  joined: {how}");
        }
        let _ = writeln!(
            out,
            "  region: {}{}",
            fact_str(&x.region),
            if x.region_source.is_empty() {
                String::new()
            } else {
                format!(" (from {})", x.region_source)
            }
        );
        let _ = writeln!(
            out,
            "  DNS support: {}, DNS hostnames: {}",
            fact_str(&x.dns_support),
            fact_str(&x.dns_hostnames)
        );
        for &w in &x.workloads {
            let wl = &net.workloads[w];
            let _ = writeln!(
                out,
                "  workload {} [{}]",
                wl.node.name(),
                fact_str(&wl.platform.as_ref().map(|p| p.as_str()))
            );
            if let Some(h) = &wl.hosts {
                let _ = writeln!(
                    out,
                    "    container instances: {}{}",
                    h.name().unwrap_or_else(|| "none in the input".into()),
                    h.unknown
                        .as_ref()
                        .map(|why| format!(" (unknown: {why})"))
                        .unwrap_or_default()
                );
            }
            for c in &wl.containers {
                let _ = writeln!(
                    out,
                    "    container {}: image {}, log driver {}",
                    c.name,
                    fact_str(&c.image),
                    match &c.log_driver {
                        Fact::Known(Some(d)) => d.clone(),
                        Fact::Known(None) => "none".into(),
                        Fact::Unknown(w) => format!("unknown ({w})"),
                    }
                );
            }
            if let Some(why) = &wl.containers_unknown {
                let _ = writeln!(out, "    containers: unknown ({why})");
            }
        }
        for &s in &x.subnets {
            let sn = &net.subnets[s];
            let rt = fact_str(
                &sn.route_table
                    .clone()
                    .map(|t| net.route_tables[t].node.name()),
            );
            let _ = writeln!(
                out,
                "  subnet {} {} {} -> route table {} -> 0.0.0.0/0: {}",
                sn.node.name(),
                fact_str(&sn.cidr),
                fact_str(&sn.az),
                rt,
                net.default_route_text(&net.default_route(s))
            );
        }
        for &e in &x.endpoints {
            let ep = &net.endpoints[e];
            let _ = writeln!(
                out,
                "  endpoint {} {} [{}] private DNS {}, policy {}",
                ep.node.name(),
                fact_str(&ep.service.clone().map(|s| s.full)),
                fact_str(&ep.kind.as_ref().map(|k| k.as_str())),
                fact_str(&ep.private_dns),
                net.policy_text(&ep.policy)
            );
        }
        for &g in &x.security_groups {
            let sg = &net.security_groups[g];
            let _ = writeln!(
                out,
                "  security group {}{}",
                sg.node.name(),
                if sg.is_default { " (default)" } else { "" }
            );
            for r in &sg.ingress {
                let _ = writeln!(out, "    in:  {}", net.rule_text(r));
            }
            for r in &sg.egress {
                let _ = writeln!(out, "    out: {}", net.rule_text(r));
            }
            if let Some(why) = &sg.rules_unknown {
                let _ = writeln!(out, "    rules: incomplete ({why})");
            }
        }
        out.push('\n');
    }
    for &w in &net.unplaced {
        let wl = &net.workloads[w];
        let _ = writeln!(
            out,
            "workload {} is in no known VPC: {}",
            wl.node.name(),
            wl.vpc.reason().unwrap_or("")
        );
    }
    let _ = writeln!(
        out,
        "{} input(s), {} resource(s), {} VPC(s), {} workload(s)",
        model.inputs.len(),
        net.resources_read,
        (0..net.vpcs.len()).filter(|&v| shows(net, v)).count(),
        net.workloads.len()
    );
    out
}

/// A picture of one VPC's pull path, for dot and Mermaid output.
#[derive(Debug, Default)]
pub struct Diagram {
    pub title: String,
    pub nodes: Vec<DiagramNode>,
    pub edges: Vec<DiagramEdge>,
}

#[derive(Debug)]
pub struct DiagramNode {
    pub id: String,
    pub label: String,
    pub broken: bool,
}

#[derive(Debug)]
pub struct DiagramEdge {
    pub from: String,
    pub to: String,
    pub label: String,
    pub broken: bool,
}

impl Diagram {
    fn node(&mut self, id: String, label: String) -> String {
        if !self.nodes.iter().any(|n| n.id == id) {
            self.nodes.push(DiagramNode {
                id: id.clone(),
                label,
                broken: false,
            });
        }
        id
    }

    fn edge(&mut self, from: &str, to: &str, label: &str) {
        if !self.edges.iter().any(|e| e.from == from && e.to == to) {
            self.edges.push(DiagramEdge {
                from: from.into(),
                to: to.into(),
                label: label.into(),
                broken: false,
            });
        }
    }

    /// Marks a node (by id prefix and label) as broken.
    pub fn mark_node(&mut self, id: &str) {
        for n in &mut self.nodes {
            if n.id == id {
                n.broken = true;
            }
        }
    }

    pub fn mark_edge(&mut self, from: &str, to: &str) {
        for e in &mut self.edges {
            if e.from == from && e.to == to {
                e.broken = true;
            }
        }
    }

    pub fn to_dot(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "digraph \"{}\" {{", dot_escape(&self.title));
        out.push_str("  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
        for n in &self.nodes {
            let style = if n.broken {
                ", color=red, fontcolor=red"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  \"{}\" [label=\"{}\"{style}];",
                dot_escape(&n.id),
                dot_escape(&n.label)
            );
        }
        for e in &self.edges {
            let style = if e.broken {
                ", color=red, style=dashed"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  \"{}\" -> \"{}\" [label=\"{}\"{style}];",
                dot_escape(&e.from),
                dot_escape(&e.to),
                dot_escape(&e.label)
            );
        }
        out.push_str("}\n");
        out
    }

    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        let ids: Vec<(&str, String)> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), format!("n{i}")))
            .collect();
        let short = |id: &str| {
            ids.iter()
                .find(|(k, _)| *k == id)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| "x".into())
        };
        for (i, n) in self.nodes.iter().enumerate() {
            let _ = writeln!(out, "  n{i}[\"{}\"]", mermaid_escape(&n.label));
        }
        for (k, e) in self.edges.iter().enumerate() {
            let arrow = if e.broken { "-.->" } else { "-->" };
            if e.label.is_empty() {
                let _ = writeln!(out, "  {} {arrow} {}", short(&e.from), short(&e.to));
            } else {
                let _ = writeln!(
                    out,
                    "  {} {arrow}|\"{}\"| {}",
                    short(&e.from),
                    mermaid_escape(&e.label),
                    short(&e.to)
                );
            }
            if e.broken {
                let _ = writeln!(out, "  linkStyle {k} stroke:#d73a49,stroke-width:2px");
            }
        }
        let broken: Vec<String> = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.broken)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if !broken.is_empty() {
            out.push_str("  classDef broken fill:#ffeef0,stroke:#d73a49,color:#86181d\n");
            let _ = writeln!(out, "  class {} broken", broken.join(","));
        }
        out
    }
}

impl Diagram {
    /// Without the nodes that no edge touches (an endpoint no workload uses, a bucket no route
    /// leads to): a picture of the pull path shows what is on it.
    pub fn without_orphans(mut self) -> Diagram {
        if self.edges.is_empty() {
            return self;
        }
        let used: std::collections::HashSet<String> = self
            .edges
            .iter()
            .flat_map(|e| [e.from.clone(), e.to.clone()])
            .collect();
        self.nodes.retain(|n| used.contains(&n.id));
        self
    }
}

/// One Graphviz document for the diagrams of several VPCs, a cluster each (graphviz draws only
/// the first of several documents in one file). One diagram is written as it is.
pub fn dot_document(diagrams: &[Diagram]) -> String {
    if let [one] = diagrams {
        return one.to_dot();
    }
    let mut out = String::from(
        "digraph \"pullpath\" {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for (v, d) in diagrams.iter().enumerate() {
        let _ = writeln!(out, "  subgraph \"cluster_{v}\" {{");
        let _ = writeln!(out, "    label=\"{}\";", dot_escape(&d.title));
        for n in &d.nodes {
            let style = if n.broken {
                ", color=red, fontcolor=red"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "    \"v{v}:{}\" [label=\"{}\"{style}];",
                dot_escape(&n.id),
                dot_escape(&n.label)
            );
        }
        for e in &d.edges {
            let style = if e.broken {
                ", color=red, style=dashed"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "    \"v{v}:{}\" -> \"v{v}:{}\" [label=\"{}\"{style}];",
                dot_escape(&e.from),
                dot_escape(&e.to),
                dot_escape(&e.label)
            );
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

/// One mermaid flowchart for the diagrams of several VPCs, a subgraph each (mermaid refuses a
/// second `flowchart` in one diagram). One diagram is written as it is, after its title.
pub fn mermaid_document(diagrams: &[Diagram]) -> String {
    if let [one] = diagrams {
        return format!("%% {}\n{}", one.title, one.to_mermaid());
    }
    let mut out = String::from("flowchart LR\n");
    let mut links = Vec::new();
    let mut broken_nodes = Vec::new();
    let mut edges_out = String::new();
    for (v, d) in diagrams.iter().enumerate() {
        let _ = writeln!(out, "  subgraph v{v}[\"{}\"]", mermaid_escape(&d.title));
        for (i, n) in d.nodes.iter().enumerate() {
            let _ = writeln!(out, "    v{v}n{i}[\"{}\"]", mermaid_escape(&n.label));
            if n.broken {
                broken_nodes.push(format!("v{v}n{i}"));
            }
        }
        out.push_str("  end\n");
        let short = |id: &str| {
            d.nodes
                .iter()
                .position(|n| n.id == id)
                .map(|i| format!("v{v}n{i}"))
        };
        for e in &d.edges {
            let (Some(from), Some(to)) = (short(&e.from), short(&e.to)) else {
                continue;
            };
            let arrow = if e.broken { "-.->" } else { "-->" };
            if e.label.is_empty() {
                let _ = writeln!(edges_out, "  {from} {arrow} {to}");
            } else {
                let _ = writeln!(
                    edges_out,
                    "  {from} {arrow}|\"{}\"| {to}",
                    mermaid_escape(&e.label)
                );
            }
            links.push(e.broken);
        }
    }
    out.push_str(&edges_out);
    for (k, broken) in links.iter().enumerate() {
        if *broken {
            let _ = writeln!(out, "  linkStyle {k} stroke:#d73a49,stroke-width:2px");
        }
    }
    if !broken_nodes.is_empty() {
        out.push_str("  classDef broken fill:#ffeef0,stroke:#d73a49,color:#86181d\n");
        let _ = writeln!(out, "  class {} broken", broken_nodes.join(","));
    }
    out
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Mermaid labels in quotes: `"` and `#` and angle brackets are written as entity codes.
fn mermaid_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' => out.push_str("<br/>"),
            c => out.push(c),
        }
    }
    out
}

/// Node ids used in diagrams, so that rules can mark broken hops.
pub fn diagram_id(kind: &str, name: &str) -> String {
    format!("{kind}:{name}")
}

/// The pull path of one VPC: workloads -> subnets -> route tables -> NAT / internet gateway /
/// S3 gateway endpoint, and workloads -> interface endpoints -> the AWS services they reach.
pub fn diagram(net: &Network, v: VpcIdx) -> Diagram {
    let x = &net.vpcs[v];
    let mut d = Diagram {
        title: x.node.name(),
        ..Diagram::default()
    };
    let layer = d.node(
        "aws:s3-layers".into(),
        "S3 layer bucket (prod-region-starport-layer-bucket)".into(),
    );
    let _ = layer;
    for &w in &x.workloads {
        let wl = &net.workloads[w];
        let wid = d.node(
            diagram_id("workload", &wl.node.name()),
            format!(
                "{} ({})",
                wl.node.name(),
                fact_str(&wl.platform.as_ref().map(|p| p.as_str()))
            ),
        );
        // On EC2 hosts the pull leaves from the container instances, not the task.
        let from = match wl.hosts.as_ref().and_then(Hosts::name) {
            Some(h) => {
                let hid = d.node(
                    diagram_id("instances", &h),
                    format!("container instances {h}"),
                );
                d.edge(&wid, &hid, "");
                hid
            }
            None => wid.clone(),
        };
        for &s in &wl.subnets {
            let sn = &net.subnets[s];
            let sid = d.node(
                diagram_id("subnet", &sn.node.name()),
                format!("subnet {}", sn.node.name()),
            );
            d.edge(&from, &sid, "");
            if let Fact::Known(t) = sn.route_table {
                let rt = &net.route_tables[t];
                let tid = d.node(
                    diagram_id("rt", &rt.node.name()),
                    format!("route table {}", rt.node.name()),
                );
                d.edge(&sid, &tid, "");
                match net.default_route(s) {
                    DefaultRoute::Nat(n) | DefaultRoute::NatInstance(n) => {
                        let nid = d.node(diagram_id("nat", &n.name()), format!("NAT {}", n.name()));
                        d.edge(&tid, &nid, "0.0.0.0/0");
                        let inet = d.node("internet".into(), "internet".into());
                        d.edge(&nid, &inet, "");
                    }
                    DefaultRoute::InternetGateway(n) => {
                        let nid = d.node(
                            diagram_id("igw", &n.name()),
                            format!("internet gateway {}", n.name()),
                        );
                        d.edge(&tid, &nid, "0.0.0.0/0");
                    }
                    _ => {}
                }
            }
        }
    }
    for &e in &x.endpoints {
        let ep = &net.endpoints[e];
        let Some(svc) = ep.service.known() else {
            continue;
        };
        let eid = d.node(
            diagram_id("endpoint", &ep.node.name()),
            format!("{} endpoint {}", svc.short, ep.node.name()),
        );
        if ep.kind.known() == Some(&EndpointKind::Gateway) {
            for &t in &ep.route_tables {
                let tid = diagram_id("rt", &net.route_tables[t].node.name());
                if d.nodes.iter().any(|n| n.id == tid) {
                    d.edge(&tid, &eid, "S3 prefix list");
                }
            }
            if svc.short == "s3" {
                d.edge(&eid, "aws:s3-layers", "image layers");
            }
        } else {
            for &w in &x.workloads {
                let wid = diagram_id("workload", &net.workloads[w].node.name());
                d.edge(&wid, &eid, "443");
            }
            let (sid, label) = match svc.short.as_str() {
                "ecr.api" => ("aws:ecr-api", "ECR API (auth)"),
                "ecr.dkr" => ("aws:ecr-dkr", "ECR registry (manifests)"),
                "logs" => ("aws:logs", "CloudWatch Logs"),
                "secretsmanager" => ("aws:secretsmanager", "Secrets Manager"),
                "ssm" => ("aws:ssm", "SSM Parameter Store"),
                "s3" => ("aws:s3-interface", "S3 (interface: not used by ECR)"),
                other => {
                    let id = d.node(format!("aws:{other}"), other.to_string());
                    d.edge(&eid, &id, "");
                    continue;
                }
            };
            let id = d.node(sid.into(), label.into());
            d.edge(&eid, &id, "");
        }
    }
    d
}
