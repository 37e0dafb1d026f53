//! The tables of the comment: per VPC, its workloads (platform, subnets, internet route) and
//! the endpoints they need with a status each; and the suppressed findings with their reasons.

use std::fmt::Write as _;

use super::escape::{cell_code, cell_text};
use crate::graph::{Fact, VpcIdx};
use crate::report::{plural, Report};
use crate::rules::analysis::{Demand, Reach, Scope, ScopeKind, Service};
use crate::rules::{Finding, Severity, Verdict};

/// A VPC's workloads: platform, subnets and internet route, one row each.
pub(super) fn workloads(out: &mut String, r: &Report<'_>, v: VpcIdx, name: &str) {
    let vpc = &r.net.vpcs[v];
    out.push_str("| workload | platform | subnets | internet route |\n|---|---|---|---|\n");
    let mut workloads = vpc.workloads.clone();
    workloads.sort_by_key(|&w| r.net.workloads[w].node.name());
    for &w in &workloads {
        let wl = &r.net.workloads[w];
        let mut subnets: Vec<String> = wl
            .subnets
            .iter()
            .map(|&s| cell_code(&r.net.subnets[s].node.name()))
            .collect();
        if subnets.len() > 3 {
            let more = subnets.len() - 3;
            subnets.truncate(3);
            subnets.push(format!("and {more} more"));
        }
        let subnets = if subnets.is_empty() {
            wl.subnets_unknown
                .as_ref()
                .map_or("—".to_string(), |_| "not known".to_string())
        } else {
            subnets.join(", ")
        };
        let route = match r.facts().workload(v, w).map(|f| &f.reach) {
            // It depends on instances that may exist (see `worlds`).
            _ if r.routes_undecided.contains_key(name) => "not decided".to_string(),
            Some(Reach::Internet { nat: true, .. }) => "yes, through NAT".to_string(),
            Some(Reach::Internet { nat: false, .. }) => "yes, public IP".to_string(),
            Some(Reach::Private { .. }) => "no: endpoints required".to_string(),
            Some(Reach::Unknown(_)) | None => "not decided".to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {}{} | {subnets} | {route} |",
            cell_code(&wl.node.name()),
            r.platform(w),
            if r.may_exist(&wl.node).is_some() {
                " (may exist)"
            } else {
                ""
            }
        );
    }
    out.push('\n');
}

/// The endpoints a VPC's workloads need, and those it has, with a status each; or a line
/// saying none is required.
pub(super) fn endpoints(out: &mut String, r: &Report<'_>, v: VpcIdx) {
    let rows = endpoint_rows(r, v);
    if rows.is_empty() {
        out.push_str("No endpoint is required: every workload reaches the internet.\n\n");
    } else {
        out.push_str("| endpoint | needed by | resource | status |\n|---|---|---|---|\n");
        for row in rows {
            let _ = writeln!(
                out,
                "| {} {} | {} | {} | {} |",
                cell_code(row.service.short()),
                row.kind,
                row.needed_by,
                row.resources,
                row.status
            );
        }
        out.push('\n');
    }
}

/// One row of a VPC's endpoint table.
struct Row {
    service: Service,
    kind: &'static str,
    needed_by: String,
    resources: String,
    status: String,
}

/// The endpoints a VPC's workloads need, and those it has: one row per service.
fn endpoint_rows(r: &Report<'_>, v: VpcIdx) -> Vec<Row> {
    // The scope the rules saw, over the facts the check computed (not computed again).
    let scope = Scope::with_facts(
        r.net,
        ScopeKind::Vpc(v),
        r.facts().vpc(v).to_vec(),
        r.strict,
    );
    let name = r.net.vpc_name(v);
    let findings = r.findings_of(Some(&name));
    let mut rows = Vec::new();
    for svc in Service::ALL {
        let (eps, _) = scope.endpoints_for(svc);
        let ep_names: Vec<String> = eps
            .iter()
            .map(|&e| r.net.endpoints[e].node.name())
            .collect();
        let mut needed = Vec::new();
        let mut demanded = false;
        for wf in &scope.workloads {
            let wname = r.net.workloads[wf.idx].node.name();
            match scope.demand(wf, svc) {
                Demand::Definite(_) => {
                    demanded = true;
                    needed.push(cell_code(&wname));
                }
                Demand::Maybe(_) => {
                    demanded = true;
                    needed.push(format!("{} (maybe)", cell_code(&wname)));
                }
                Demand::None => {}
            }
        }
        if needed.is_empty() {
            // Not needed (the workloads reach the internet), but used all the same: private DNS
            // sends Interface traffic to the endpoint, and a gateway's prefix-list route wins
            // over NAT.
            for wf in &scope.workloads {
                let w = &r.net.workloads[wf.idx];
                let uses = eps.iter().any(|&e| {
                    let ep = &r.net.endpoints[e];
                    if svc == Service::S3 {
                        w.subnets.iter().any(|&s| {
                            r.net.subnets[s]
                                .route_table
                                .known()
                                .is_some_and(|t| ep.route_tables.contains(t))
                        })
                    } else {
                        scope.endpoint_users(e).iter().any(|(f, _)| f.idx == wf.idx)
                    }
                });
                if uses {
                    needed.push(format!("{} (uses it)", cell_code(&w.node.name())));
                }
            }
        }
        let related: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| {
                ep_names.contains(&f.resource)
                    || (ep_names.is_empty()
                        && (demanded || f.rule.code == "PP110")
                        && f.rule.services.contains(&svc))
            })
            .collect();
        if eps.is_empty() && needed.is_empty() && related.is_empty() {
            continue;
        }
        let kind = if eps.is_empty() {
            if svc == Service::S3 {
                "Gateway"
            } else {
                "Interface"
            }
        } else {
            let kinds: Vec<&str> = eps
                .iter()
                .map(|&e| match r.net.endpoints[e].kind {
                    Fact::Known(k) => k.as_str(),
                    Fact::Unknown(_) => "type not known",
                })
                .collect();
            if kinds.iter().all(|k| *k == kinds[0]) {
                match kinds[0] {
                    "Interface" => "Interface",
                    "Gateway" => "Gateway",
                    "GatewayLoadBalancer" => "GatewayLoadBalancer",
                    "Other" => "Other",
                    _ => "type not known",
                }
            } else {
                "mixed types"
            }
        };
        let mut status = status(&related, !eps.is_empty(), demanded);
        // An endpoint that may not exist is not "ok": what depends on it is not decided.
        let may_exist = eps
            .iter()
            .any(|&e| r.may_exist(&r.net.endpoints[e].node).is_some());
        if may_exist && status.starts_with('✅') {
            status = "❓ may exist (`count` / `for_each` not decided)".into();
        }
        rows.push(Row {
            service: svc,
            kind,
            needed_by: if needed.is_empty() {
                "—".into()
            } else {
                needed.join(", ")
            },
            resources: if ep_names.is_empty() {
                "—".into()
            } else {
                ep_names
                    .iter()
                    .map(|n| cell_code(n))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            status,
        });
    }
    rows
}

fn status(related: &[&Finding], present: bool, needed: bool) -> String {
    let codes = |pred: &dyn Fn(&Finding) -> bool| -> Vec<&'static str> {
        let mut c: Vec<&'static str> = related
            .iter()
            .filter(|f| pred(f))
            .map(|f| f.rule.code)
            .collect();
        c.dedup();
        c
    };
    let open = |f: &Finding| f.suppressed.is_none();
    let failing =
        codes(&|f| open(f) && f.verdict == Verdict::Fail && f.severity >= Severity::Warning);
    if !failing.is_empty() {
        return if present {
            format!("❌ {}", failing.join(", "))
        } else {
            format!("❌ missing ({})", failing.join(", "))
        };
    }
    let unknown = codes(&|f| open(f) && f.verdict == Verdict::Unknown);
    if !unknown.is_empty() {
        return format!("❓ not decided ({})", unknown.join(", "));
    }
    let notes = codes(&|f| open(f));
    if !notes.is_empty() {
        return format!("ℹ️ {}", notes.join(", "));
    }
    let suppressed = codes(&|f| !open(f));
    if !suppressed.is_empty() {
        return format!("🔕 suppressed ({})", suppressed.join(", "));
    }
    match (present, needed) {
        (true, _) => "✅ ok".into(),
        (false, true) => "➖ missing, not checked".into(),
        (false, false) => "➖ not required".into(),
    }
}

/// Suppressed findings: counted in the verdict line, listed in one table.
pub(super) fn suppressed(out: &mut String, r: &Report<'_>) {
    let suppressed: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.suppressed.is_some())
        .collect();
    if suppressed.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details>\n<summary>🔕 {} suppressed</summary>\n\n| rule | resource | suppressed by | reason |\n|---|---|---|---|",
        plural(suppressed.len(), "finding", "findings")
    );
    for f in suppressed {
        let s = f
            .suppressed
            .as_ref()
            .map(|s| (s.in_source, s.reason.as_str()));
        let (kind, reason) = match s {
            Some((true, reason)) => ("`# pullpath:ignore` comment", reason),
            Some((false, reason)) => ("`ignore` block", reason),
            None => continue,
        };
        let _ = writeln!(
            out,
            "| {} {} | {} | {kind} | {} |",
            f.rule.code,
            f.rule.name,
            cell_code(&f.resource),
            cell_text(reason)
        );
    }
    out.push_str("\n</details>\n\n");
}
