//! `--format json`: the report of the contract (docs/contract.md).

use serde_json::{json, Value as J};

use super::Report;
use crate::graph::Fact;

pub fn render(r: &Report<'_>) -> String {
    let s = r.summary();
    let inputs: Vec<J> = r
        .model
        .inputs
        .iter()
        .map(|i| json!({ "path": i.path, "kind": i.kind.as_str() }))
        .collect();
    let vpcs: Vec<J> = r
        .checked_vpcs()
        .into_iter()
        .map(|v| {
            let vpc = &r.net.vpcs[v];
            let mut workloads: Vec<J> = vpc
                .workloads
                .iter()
                .map(|&w| {
                    let node = &r.net.workloads[w].node;
                    let mut o = json!({ "resource": node.name(), "platform": r.platform(w) });
                    // Only where it applies: the contract's workload objects stay as they were.
                    if let Some(m) = r.may_exist(node) {
                        o["may_exist"] = J::String(m.reason.clone());
                    }
                    o
                })
                .collect();
            workloads.sort_by(|a, b| a["resource"].as_str().cmp(&b["resource"].as_str()));
            let mut endpoints: Vec<J> = vpc
                .endpoints
                .iter()
                .map(|&e| {
                    let ep = &r.net.endpoints[e];
                    json!({
                        "resource": ep.node.name(),
                        "service": ep.service.known().map(|s| s.short.clone()),
                        "type": ep.kind.known().map(|k| k.as_str()),
                    })
                })
                .collect();
            endpoints.sort_by(|a, b| a["resource"].as_str().cmp(&b["resource"].as_str()));
            json!({
                "vpc": vpc.node.name(),
                "id": vpc.node.id,
                "region": match &vpc.region { Fact::Known(x) => J::String(x.clone()), Fact::Unknown(_) => J::Null },
                "internet_route": r.internet_route(v),
                "verdict": r.vpc_verdict(v),
                "workloads": workloads,
                "endpoints": endpoints,
            })
        })
        .collect();
    let findings: Vec<J> = r.findings.iter().map(finding).collect();
    let out = json!({
        "version": 1,
        "tool": { "name": "pullpath", "version": env!("CARGO_PKG_VERSION") },
        "inputs": inputs,
        "summary": {
            "vpcs": s.vpcs,
            "workloads": s.workloads,
            "errors": s.errors,
            "warnings": s.warnings,
            "notes": s.notes,
            "unknown": s.unknown,
            "suppressed": s.suppressed,
        },
        "vpcs": vpcs,
        "findings": findings,
        "errors": r.errors,
    });
    let mut out = out;
    extensions(r, &mut out);
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

/// Extensions of the contract, present only when they have something to say (the objects of
/// the contract keep exactly their keys): `summary.not_expanded` and `not_expanded`, the
/// blocks whose `count` / `for_each` is not decided (each checked as one instance that may
/// exist, see `worlds`), and `input_notes`, what could not be read or was assumed —
/// both can change a verdict.
fn extensions(r: &Report<'_>, out: &mut J) {
    let not_expanded = r.not_expanded();
    if !not_expanded.is_empty() {
        out["summary"]["not_expanded"] = json!(not_expanded.len());
        out["not_expanded"] = J::Array(
            not_expanded
                .iter()
                .map(|m| json!({ "resource": m.what, "reason": m.reason }))
                .collect(),
        );
    }
    let notes: Vec<J> = r
        .model
        .inputs
        .iter()
        .flat_map(|i| {
            i.notes
                .iter()
                .map(move |n| json!({ "input": i.path, "message": n }))
        })
        .collect();
    if !notes.is_empty() {
        out["input_notes"] = J::Array(notes);
    }
}

pub fn finding(f: &crate::rules::Finding) -> J {
    let mut out = json!({
        "rule": f.rule.code,
        "name": f.rule.name,
        "severity": f.severity.as_str(),
        "verdict": f.verdict.as_str(),
        "vpc": f.vpc,
        "resource": f.resource,
        "workload": f.workload,
        "message": f.message,
        "location": f.location.as_ref().map(|l| json!({ "file": l.file, "line": l.line, "column": l.column })),
        "path": crate::rules::evidence::names(&f.path),
        "fix": f.fix,
        "introduced": f.introduced,
        "suppressed": f.suppressed.as_ref().map(|s| s.reason.clone()),
    });
    // Additive (docs/contract.md): only on findings on a resource inside a module.
    if let Some(l) = &f.module_call {
        out["module_call"] = json!({
            "module": f.module_name(),
            "file": l.file,
            "line": l.line,
            "column": l.column,
        });
    }
    out
}
