//! The Mermaid picture of a VPC's pull path (failing VPCs only): the graph's diagram, with the
//! hops that failing findings break drawn in red.

use std::fmt::Write as _;

use super::escape::fence_for;
use crate::aws::Service;
use crate::graph::render::{diagram, Diagram, DiagramEdge, DiagramNode};
use crate::graph::VpcIdx;
use crate::report::{visible, visible_lines, Report};
use crate::rules::{Finding, Hop, Severity, Verdict};

/// The picture of a VPC in a `mermaid` code block.
pub(super) fn mermaid(out: &mut String, r: &Report<'_>, v: VpcIdx, name: &str) {
    // Labels carry input text: no raw control character (a `\r` ends a markdown line too),
    // and a fence longer than any backtick run in them, so that none can close it.
    let body = format!(
        "%% pull path of {}\n{}",
        visible(name).replace('<', "#lt;"),
        visible_lines(&vpc_diagram(r, v).without_orphans().to_mermaid())
    );
    let fence = fence_for(&body);
    let _ = writeln!(out, "{fence}mermaid\n{body}{fence}\n");
}

/// The pull-path picture of a VPC, with the hops its failing findings break drawn distinctly.
pub fn vpc_diagram(r: &Report<'_>, v: VpcIdx) -> Diagram {
    let mut d = diagram(r.net, v);
    let name = r.net.vpc_name(v);
    for f in r.findings_of(Some(&name)) {
        if f.suppressed.is_none() && f.verdict == Verdict::Fail && f.severity >= Severity::Warning {
            mark_broken(&mut d, f);
        }
    }
    d
}

/// The id of the diagram node for an address (`workload:…`, `subnet:…`, `rt:…`, `endpoint:…`).
fn node_id(d: &Diagram, name: &str) -> Option<String> {
    node_id_of(d, &["workload:", "subnet:", "rt:", "endpoint:"], name)
}

/// The id of the diagram node a hop stands for: its kind decides the kind of node.
fn hop_id(d: &Diagram, hop: &Hop) -> Option<String> {
    let kind = match hop {
        Hop::Workload(_) => "workload:",
        Hop::Subnet(_) => "subnet:",
        Hop::RouteTable(_) => "rt:",
        Hop::Endpoint(_) => "endpoint:",
        _ => return None,
    };
    node_id_of(d, &[kind], hop.name()?)
}

fn node_id_of(d: &Diagram, kinds: &[&str], name: &str) -> Option<String> {
    d.nodes
        .iter()
        .find(|n| kinds.iter().any(|k| n.id.strip_prefix(k) == Some(name)))
        .map(|n| n.id.clone())
}

fn has_edge(d: &Diagram, from: &str, to: &str) -> bool {
    d.edges.iter().any(|e| e.from == from && e.to == to)
}

fn add_broken_edge(d: &mut Diagram, from: &str, to: &str, label: &str) {
    if has_edge(d, from, to) {
        d.mark_edge(from, to);
    } else {
        d.edges.push(DiagramEdge {
            from: from.into(),
            to: to.into(),
            label: label.into(),
            broken: true,
        });
    }
}

/// Marks the hop a finding breaks: a missing endpoint becomes a red node of its own; an
/// endpoint that exists is marked with the edge that reaches it (and, for policy rules, the
/// edges to the services its policy blocks); other findings mark their workload.
fn mark_broken(d: &mut Diagram, f: &Finding) {
    let hops: Vec<String> = f.path.iter().filter_map(|h| hop_id(d, h)).collect();
    let workload = f
        .workload
        .as_deref()
        .and_then(|w| node_id(d, w))
        .or_else(|| hops.first().filter(|h| h.starts_with("workload:")).cloned());
    if let Some(Hop::Missing(services)) = f.path.last() {
        let svc = services
            .iter()
            .map(|s| s.short())
            .collect::<Vec<_>>()
            .join(", ");
        let id = format!("missing:{svc}");
        if !d.nodes.iter().any(|n| n.id == id) {
            d.nodes.push(DiagramNode {
                id: id.clone(),
                label: format!("missing: {svc} endpoint"),
                broken: true,
            });
        }
        let from = if services == &[Service::S3] {
            hops.iter().rev().find(|h| h.starts_with("rt:")).cloned()
        } else {
            None
        }
        .or(workload);
        if let Some(from) = from {
            add_broken_edge(d, &from, &id, "");
        }
        return;
    }
    let endpoint = node_id(d, &f.resource)
        .filter(|id| id.starts_with("endpoint:"))
        .or_else(|| {
            hops.iter()
                .rev()
                .find(|h| h.starts_with("endpoint:"))
                .cloned()
        });
    let Some(ep) = endpoint else {
        if let Some(w) = workload {
            d.mark_node(&w);
        }
        return;
    };
    d.mark_node(&ep);
    let interface_edge = workload.as_ref().filter(|w| has_edge(d, w, &ep)).cloned();
    if let Some(w) = interface_edge {
        d.mark_edge(&w, &ep);
    } else if let Some(prev) = hops
        .iter()
        .take_while(|h| **h != ep)
        .filter(|h| !h.starts_with("endpoint:"))
        .last()
        .cloned()
    {
        // A network ACL drops the traffic (PP503) or the route is missing.
        let label = if f.rule.code == "PP503" {
            "network ACL"
        } else {
            "not routed"
        };
        add_broken_edge(d, &prev, &ep, label);
    }
    if matches!(f.rule.code, "PP401" | "PP402" | "PP403") {
        let targets: Vec<String> = d
            .edges
            .iter()
            .filter(|e| e.from == ep && e.to.starts_with("aws:"))
            .map(|e| e.to.clone())
            .collect();
        for t in targets {
            d.mark_edge(&ep, &t);
        }
    }
}
