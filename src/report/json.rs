//! `--format json`: the report of the contract (docs/contract.md).
//!
//! Written straight to the output as it is serialized, from borrowed views of the report: no
//! `serde_json::Value` tree of the whole report is built (for 10,000 VPCs that tree took more
//! memory and time than the text). The keys of every object are declared in the order the
//! report has always had them, that of `serde_json::Map` (sorted), so the bytes are those of
//! the pretty-printed `Value` the report used to be; the report snapshots check it.

use serde::ser::{Serialize, Serializer};
use serde::Serialize as SerializeDerive;

use super::Report;
use crate::graph::Fact;
use crate::model::Location;
use crate::rules::{Finding, Hop};

pub fn render(r: &Report<'_>) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only if serialization does, which it cannot here.
    let _ = render_to(r, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report to `w` as it is serialized (the text is never held whole in memory).
pub fn render_to(r: &Report<'_>, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let s = r.summary();
    let not_expanded = r.not_expanded();
    let doc = Doc {
        errors: &r.errors,
        findings: Findings(&r.findings),
        input_notes: r
            .model
            .inputs
            .iter()
            .flat_map(|i| {
                i.notes.iter().map(move |n| InputNote {
                    input: &i.path,
                    message: n,
                })
            })
            .collect(),
        inputs: r
            .model
            .inputs
            .iter()
            .map(|i| Input {
                kind: i.kind.as_str(),
                path: &i.path,
            })
            .collect(),
        not_expanded: not_expanded
            .iter()
            .map(|m| NotExpanded {
                reason: &m.reason,
                resource: &m.what,
            })
            .collect(),
        summary: Summary {
            errors: s.errors,
            not_expanded: (!not_expanded.is_empty()).then_some(not_expanded.len()),
            notes: s.notes,
            suppressed: s.suppressed,
            unknown: s.unknown,
            vpcs: s.vpcs,
            warnings: s.warnings,
            workloads: s.workloads,
        },
        tool: Tool {
            name: "pullpath",
            version: env!("CARGO_PKG_VERSION"),
        },
        version: 1,
        vpcs: Vpcs(r),
    };
    let mut ser = serde_json::Serializer::pretty(&mut *w);
    doc.serialize(&mut ser)?;
    w.write_all(b"\n")
}

/// The report. Extensions of the contract are present only when they have something to say
/// (the objects of the contract keep exactly their keys): `summary.not_expanded` and
/// `not_expanded`, the blocks whose `count` / `for_each` is not decided (each checked as one
/// instance that may exist, see `worlds`), and `input_notes`, what could not be read or was
/// assumed — both can change a verdict.
#[derive(SerializeDerive)]
struct Doc<'a> {
    errors: &'a [String],
    findings: Findings<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    input_notes: Vec<InputNote<'a>>,
    inputs: Vec<Input<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_expanded: Vec<NotExpanded<'a>>,
    summary: Summary,
    tool: Tool,
    version: u32,
    vpcs: Vpcs<'a>,
}

#[derive(SerializeDerive)]
struct InputNote<'a> {
    input: &'a str,
    message: &'a str,
}

#[derive(SerializeDerive)]
struct Input<'a> {
    kind: &'a str,
    path: &'a str,
}

#[derive(SerializeDerive)]
struct NotExpanded<'a> {
    reason: &'a str,
    resource: &'a str,
}

#[derive(SerializeDerive)]
struct Summary {
    errors: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_expanded: Option<usize>,
    notes: usize,
    suppressed: usize,
    unknown: usize,
    vpcs: usize,
    warnings: usize,
    workloads: usize,
}

#[derive(SerializeDerive)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// The checked VPCs, each made when it is written.
struct Vpcs<'a>(&'a Report<'a>);

impl Serialize for Vpcs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        s.collect_seq(r.checked_vpcs().into_iter().map(|v| Vpc::of(r, v)))
    }
}

#[derive(SerializeDerive)]
struct Vpc<'a> {
    endpoints: Vec<Endpoint<'a>>,
    id: Option<&'a str>,
    internet_route: Option<bool>,
    region: Option<&'a str>,
    verdict: &'static str,
    vpc: String,
    workloads: Vec<Workload<'a>>,
}

impl<'a> Vpc<'a> {
    fn of(r: &'a Report<'a>, v: usize) -> Vpc<'a> {
        let vpc = &r.net.vpcs[v];
        let mut workloads: Vec<Workload<'a>> = vpc
            .workloads
            .iter()
            .map(|&w| {
                let node = &r.net.workloads[w].node;
                Workload {
                    // Only where it applies: the contract's workload objects stay as they were.
                    may_exist: r.may_exist(node).map(|m| m.reason.as_str()),
                    platform: r.platform(w),
                    resource: node.name(),
                }
            })
            .collect();
        workloads.sort_by(|a, b| a.resource.cmp(&b.resource));
        let mut endpoints: Vec<Endpoint<'a>> = vpc
            .endpoints
            .iter()
            .map(|&e| {
                let ep = &r.net.endpoints[e];
                Endpoint {
                    resource: ep.node.name(),
                    service: ep.service.known().map(|s| s.short.as_str()),
                    kind: ep.kind.known().map(|k| k.as_str()),
                }
            })
            .collect();
        endpoints.sort_by(|a, b| a.resource.cmp(&b.resource));
        Vpc {
            endpoints,
            id: vpc.node.id.as_deref(),
            internet_route: r.internet_route(v),
            region: match &vpc.region {
                Fact::Known(x) => Some(x),
                Fact::Unknown(_) => None,
            },
            verdict: r.vpc_verdict(v),
            vpc: vpc.node.name(),
            workloads,
        }
    }
}

#[derive(SerializeDerive)]
struct Endpoint<'a> {
    resource: String,
    service: Option<&'a str>,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
}

#[derive(SerializeDerive)]
struct Workload<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    may_exist: Option<&'a str>,
    platform: String,
    resource: String,
}

/// The findings, each made when it is written.
struct Findings<'a>(&'a [Finding]);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(FindingOut::of))
    }
}

#[derive(SerializeDerive)]
struct FindingOut<'a> {
    fix: &'a str,
    introduced: Option<bool>,
    location: Option<Loc<'a>>,
    message: &'a str,
    /// Additive (docs/contract.md): only on findings on a resource inside a module.
    #[serde(skip_serializing_if = "Option::is_none")]
    module_call: Option<ModuleCall<'a>>,
    name: &'static str,
    path: Path<'a>,
    resource: &'a str,
    rule: &'static str,
    severity: &'static str,
    suppressed: Option<&'a str>,
    verdict: &'static str,
    vpc: Option<&'a str>,
    workload: Option<&'a str>,
}

impl<'a> FindingOut<'a> {
    fn of(f: &'a Finding) -> FindingOut<'a> {
        FindingOut {
            fix: &f.fix,
            introduced: f.introduced,
            location: f.location.as_ref().map(Loc::of),
            message: &f.message,
            module_call: f.module_call.as_ref().map(|l| ModuleCall {
                column: l.column,
                file: &l.file,
                line: l.line,
                module: f.module_name(),
            }),
            name: f.rule.name,
            path: Path(&f.path),
            resource: &f.resource,
            rule: f.rule.code,
            severity: f.severity.as_str(),
            suppressed: f.suppressed.as_ref().map(|s| s.reason.as_str()),
            verdict: f.verdict.as_str(),
            vpc: f.vpc.as_deref(),
            workload: f.workload.as_deref(),
        }
    }
}

/// A location, its keys sorted (not in [`Location`]'s own order).
#[derive(SerializeDerive)]
struct Loc<'a> {
    column: u32,
    file: &'a str,
    line: u32,
}

impl<'a> Loc<'a> {
    fn of(l: &'a Location) -> Loc<'a> {
        Loc {
            column: l.column,
            file: &l.file,
            line: l.line,
        }
    }
}

#[derive(SerializeDerive)]
struct ModuleCall<'a> {
    column: u32,
    file: &'a str,
    line: u32,
    module: Option<&'a str>,
}

/// A finding's path, as [`crate::rules::evidence::names`] names its hops.
struct Path<'a>(&'a [Hop]);

impl Serialize for Path<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(ToString::to_string))
    }
}
