//! `--format markdown`: the pull-request comment.
//!
//! Layout: the hidden marker `<!-- pullpath -->` first (a bot finds and updates its own comment
//! by it), a one-line verdict that leads with what this plan introduces, the findings new in
//! this plan, then per checked VPC a table of its workloads, a table of the endpoints they need
//! with a status each, a Mermaid picture of the pull path with the broken hops drawn in red
//! (failing VPCs only) and the findings already present; each finding in a `<details>` block
//! with its path and fix. The comment stays within GitHub's limit of 65,536 characters: when
//! the full form does not fit, fixes, then pictures, then finding details are left out, and the
//! comment says so.

use std::fmt::Write as _;

use super::{plural, visible, visible_lines, Report};
use crate::graph::render::{diagram, Diagram, DiagramEdge, DiagramNode};
use crate::graph::{Fact, VpcIdx};
use crate::rules::analysis::{reach, Demand, Reach, Scope, ScopeKind, Service};
use crate::rules::{Finding, Severity, Verdict};

/// The first line of every comment.
pub const MARKER: &str = "<!-- pullpath -->";

/// GitHub's limit on a comment body, in characters (UTF-16 code units, to be safe with emoji).
pub const GITHUB_LIMIT: usize = 65_536;

/// How much of the report a rendering shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Detail {
    fixes: bool,
    diagrams: bool,
    /// At most this many findings get a `<details>` block; the rest a line each.
    max_details: usize,
    /// At most this many findings are listed at all.
    max_listed: usize,
}

impl Detail {
    const FULL: Detail = Detail {
        fixes: true,
        diagrams: true,
        max_details: usize::MAX,
        max_listed: usize::MAX,
    };

    fn is_full(self) -> bool {
        self == Detail::FULL
    }
}

/// Renders the comment, summarised when the full form would exceed `limit` characters.
pub fn render(r: &Report<'_>) -> String {
    render_within(r, GITHUB_LIMIT)
}

/// As [`render`], with another size limit (for tests).
pub fn render_within(r: &Report<'_>, limit: usize) -> String {
    let budget = limit.saturating_sub(256);
    let fits = |s: &str| s.encode_utf16().count() <= budget;
    let mut detail = Detail::FULL;
    let out = render_with(r, detail);
    if fits(&out) {
        return out;
    }
    for step in [
        Detail {
            fixes: false,
            ..detail
        },
        Detail {
            fixes: false,
            diagrams: false,
            ..detail
        },
    ] {
        detail = step;
        let out = render_with(r, detail);
        if fits(&out) {
            return out;
        }
    }
    // Fewer details, then fewer lines, halving until it fits.
    let n = r.findings.len();
    let mut k = n;
    while k > 0 {
        k /= 2;
        detail.max_details = k;
        let out = render_with(r, detail);
        if fits(&out) {
            return out;
        }
    }
    let mut k = n;
    loop {
        k /= 2;
        detail.max_listed = k;
        let out = render_with(r, detail);
        if fits(&out) {
            return out;
        }
        if k == 0 {
            return cut(&out, budget);
        }
    }
}

/// The last resort for a report whose tables alone exceed the limit (hundreds of VPCs): cut
/// at the last section that fits, and say so.
fn cut(md: &str, budget: usize) -> String {
    const NOTE: &str = "\n> [!WARNING]\n> The report is cut here to stay within GitHub's limit of 65,536 characters; run `pullpath check` for the rest.\n";
    let room = budget.saturating_sub(NOTE.encode_utf16().count());
    let mut end = 0;
    let mut used = 0;
    for (i, c) in md.char_indices() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        if md[i..].starts_with("\n### ") {
            end = i + 1;
        }
    }
    if end == 0 {
        // Not even one section fits: keep the marker and the verdict.
        end = md
            .match_indices('\n')
            .nth(1)
            .map_or(md.len(), |(i, _)| i + 1);
    }
    format!("{}{NOTE}", &md[..end])
}

fn render_with(r: &Report<'_>, detail: Detail) -> String {
    let mut out = String::new();
    out.push_str(MARKER);
    out.push('\n');
    out.push_str(&verdict_line(r));
    out.push_str("\n\n");
    if !detail.is_full() {
        let mut left_out = Vec::new();
        if !detail.fixes {
            left_out.push("the fixes");
        }
        if !detail.diagrams {
            left_out.push("the diagrams");
        }
        if detail.max_details != usize::MAX {
            left_out.push("some finding details");
        }
        if detail.max_listed != usize::MAX {
            left_out.push("some findings");
        }
        let _ = writeln!(
            out,
            "> [!NOTE]\n> This comment is summarised to stay within GitHub's limit of 65,536 characters: it leaves out {}. Run `pullpath check` on the plan, or read the SARIF or JSON report, for everything.\n",
            join_and(&left_out)
        );
    }
    let mut lister = Lister {
        detail,
        detailed: 0,
        listed: 0,
        omitted: 0,
    };

    let new: Vec<&Finding> = r.introduced().collect();
    if r.has_prior() && !new.is_empty() {
        let _ = writeln!(out, "### 🆕 New in this plan\n");
        for f in &new {
            lister.finding(&mut out, r, f);
        }
        lister.flush(&mut out);
    }

    for v in r.checked_vpcs() {
        vpc_section(&mut out, r, v, &mut lister);
    }

    let others: Vec<&Finding> = r
        .findings_of(None)
        .into_iter()
        .filter(|f| f.suppressed.is_none() && !(r.has_prior() && f.introduced == Some(true)))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "### Other findings\n");
        for f in others {
            lister.finding(&mut out, r, f);
        }
        lister.flush(&mut out);
    }

    suppressed_section(&mut out, r);

    notes_section(&mut out, r);

    if !r.errors.is_empty() {
        let _ = writeln!(out, "### ❌ Inputs that could not be read\n");
        for e in &r.errors {
            let _ = writeln!(out, "- {}", text(e));
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "<sub>{} · mode: {} · pullpath {}</sub>",
        text(&r.read_line()),
        if r.strict { "strict" } else { "reachability" },
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// What could not be expanded, and the inputs' notes (what could not be read, or was assumed):
/// they can change a verdict. The notes are folded, as they can be many.
fn notes_section(out: &mut String, r: &Report<'_>) {
    let notes = r.input_notes();
    let line = r.not_expanded_line();
    if notes.is_empty() && line.is_none() {
        return;
    }
    let _ = writeln!(out, "### ℹ️ Notes on the input\n");
    if let Some(line) = line {
        let _ = writeln!(out, "{}\n", text(&line));
    }
    if !notes.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} (what pullpath could not read, or assumed)</summary>\n",
            plural(notes.len(), "note", "notes")
        );
        for n in &notes {
            let _ = writeln!(out, "- {}", text(n));
        }
        let _ = writeln!(out, "\n</details>\n");
    }
}

/// The one-line verdict, leading with the findings this plan introduces.
fn verdict_line(r: &Report<'_>) -> String {
    let s = r.summary();
    // The headline states what was found, whatever the gate's threshold: a comment posted with
    // `--fail-on never` (as a bot that reports but does not block) still says that the pull
    // path breaks.
    let breaks = |f: &Finding| {
        f.suppressed.is_none() && f.verdict == Verdict::Fail && f.severity == Severity::Error
    };
    let failing = r.findings.iter().any(&breaks);
    let unsuppressed = s.errors + s.warnings + s.notes;
    if !r.errors.is_empty() {
        return format!(
            "❌ **pullpath could not read {}** · {}",
            plural(r.errors.len(), "input", "inputs"),
            totals(r)
        );
    }
    if r.net.workloads.is_empty() {
        if unsuppressed > 0 {
            return format!(
                "{} **pullpath found no workload, so no pull path was checked; the checks that need none found {}** · {} read ({})",
                if failing { "❌" } else { "⚠️" },
                counts_text(s.errors, s.warnings, s.notes),
                plural(r.model.inputs.len(), "input", "inputs"),
                plural(r.net.resources_read, "resource", "resources")
            );
        }
        return format!(
            "⚠️ **pullpath found no workload, so no pull path was checked** · {} read ({})",
            plural(r.model.inputs.len(), "input", "inputs"),
            plural(r.net.resources_read, "resource", "resources")
        );
    }
    let icon = if failing {
        "❌"
    } else if unsuppressed > 0 {
        "⚠️"
    } else {
        "✅"
    };
    let new: Vec<&Finding> = r.introduced().collect();
    if r.has_prior() && !new.is_empty() {
        let (e, w, n) = count(new.iter().copied());
        let what = if new.iter().any(|f| breaks(f)) {
            "This plan breaks the pull path"
        } else {
            "This plan adds findings"
        };
        return format!(
            "{icon} **{what}: {} new in this plan** · {} in total",
            counts_text(e, w, n),
            totals(r)
        );
    }
    if unsuppressed == 0 {
        return format!(
            "{icon} **pullpath: the pull path of {} in {} is complete**{}",
            plural(s.workloads, "workload", "workloads"),
            plural(s.vpcs, "VPC", "VPCs"),
            extras(r)
        );
    }
    let none_new = if r.has_prior() {
        ", none new in this plan"
    } else {
        ""
    };
    format!(
        "{icon} **pullpath: {}{none_new}** · {} with {} checked{}",
        counts_text(s.errors, s.warnings, s.notes),
        plural(s.vpcs, "VPC", "VPCs"),
        plural(s.workloads, "workload", "workloads"),
        extras(r)
    )
}

/// `3 errors, 1 warning, 0 notes (1 not decided, 2 suppressed)`.
fn totals(r: &Report<'_>) -> String {
    let s = r.summary();
    format!(
        "{}, {}, {}{}",
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.notes, "note", "notes"),
        extras(r)
    )
}

fn extras(r: &Report<'_>) -> String {
    let s = r.summary();
    let mut parts = Vec::new();
    if s.unknown > 0 {
        parts.push(format!("{} not decided", s.unknown));
    }
    if s.suppressed > 0 {
        parts.push(format!("{} suppressed", s.suppressed));
    }
    if s.not_expanded > 0 {
        parts.push(format!(
            "{} not expanded",
            plural(s.not_expanded, "resource", "resources")
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn count<'a>(it: impl Iterator<Item = &'a Finding>) -> (usize, usize, usize) {
    let (mut e, mut w, mut n) = (0, 0, 0);
    for f in it {
        match f.severity {
            Severity::Error => e += 1,
            Severity::Warning => w += 1,
            Severity::Note => n += 1,
        }
    }
    (e, w, n)
}

/// The non-zero counts: `2 errors, 1 note`.
fn counts_text(e: usize, w: usize, n: usize) -> String {
    let parts: Vec<String> = [
        (e, "error", "errors"),
        (w, "warning", "warnings"),
        (n, "note", "notes"),
    ]
    .into_iter()
    .filter(|(k, _, _)| *k > 0)
    .map(|(k, one, many)| plural(k, one, many))
    .collect();
    if parts.is_empty() {
        "no finding".into()
    } else {
        parts.join(", ")
    }
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn vpc_section(out: &mut String, r: &Report<'_>, v: VpcIdx, lister: &mut Lister) {
    let vpc = &r.net.vpcs[v];
    let name = vpc.node.name();
    let verdict = r.vpc_verdict(v);
    let icon = match verdict {
        "fail" => "❌",
        "unknown" => "❓",
        _ => "✅",
    };
    let mut head = vec![format!("VPC {}", code(&name))];
    if let Some(id) = vpc.node.id.as_ref().filter(|id| **id != name) {
        head.push(code(id));
    }
    if let Some(region) = vpc.region.known() {
        head.push(text(region));
    }
    let _ = writeln!(out, "### {icon} {} · {verdict}\n", head.join(" · "));

    // Workloads.
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
        let route = match reach(r.net, w) {
            // It depends on instances that may exist (see `rules::worlds`).
            _ if r.routes_undecided.contains_key(&name) => "not decided".to_string(),
            Reach::Internet { nat: true, .. } => "yes, through NAT".to_string(),
            Reach::Internet { nat: false, .. } => "yes, public IP".to_string(),
            Reach::Private { .. } => "no: endpoints required".to_string(),
            Reach::Unknown(_) => "not decided".to_string(),
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

    // Endpoints.
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
    if r.strict {
        out.push_str("Strict mode: the full endpoint set is required.\n\n");
    }

    // The picture.
    if lister.detail.diagrams && verdict == "fail" {
        // Labels carry input text: no raw control character (a `\r` ends a markdown line too),
        // and a fence longer than any backtick run in them, so that none can close it.
        let body = format!(
            "%% pull path of {}\n{}",
            visible(&name).replace('<', "#lt;"),
            visible_lines(&vpc_diagram(r, v).without_orphans().to_mermaid())
        );
        let fence = fence_for(&body);
        let _ = writeln!(out, "{fence}mermaid\n{body}{fence}\n");
    }

    // Findings already present.
    let mine: Vec<&Finding> = r
        .findings_of(Some(&name))
        .into_iter()
        .filter(|f| f.suppressed.is_none() && !(r.has_prior() && f.introduced == Some(true)))
        .collect();
    if !mine.is_empty() {
        let _ = writeln!(
            out,
            "**{}**\n",
            if r.has_prior() {
                "Findings already present before this plan"
            } else {
                "Findings"
            }
        );
        for f in mine {
            lister.finding(out, r, f);
        }
        lister.flush(out);
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
    let vpc = &r.net.vpcs[v];
    let scope = Scope::new(
        r.net,
        r.model,
        ScopeKind::Vpc(v),
        &vpc.workloads,
        r.strict,
        &[],
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
                        && missing_rule_services(f.rule.code).contains(&svc))
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

/// The services whose missing endpoint a rule reports.
fn missing_rule_services(code: &str) -> &'static [Service] {
    match code {
        "PP101" => &[Service::EcrDkr],
        "PP102" => &[Service::EcrApi],
        "PP103" | "PP110" => &[Service::S3],
        "PP104" => &[Service::Logs],
        "PP105" => &[Service::SecretsManager, Service::Ssm],
        "PP106" => &[Service::Ecs, Service::EcsAgent, Service::EcsTelemetry],
        _ => &[],
    }
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
    d.nodes
        .iter()
        .find(|n| {
            ["workload:", "subnet:", "rt:", "endpoint:"]
                .iter()
                .any(|k| n.id.strip_prefix(k) == Some(name))
        })
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
    let hops: Vec<String> = f.path.iter().filter_map(|h| node_id(d, h)).collect();
    let workload = f
        .workload
        .as_deref()
        .and_then(|w| node_id(d, w))
        .or_else(|| hops.first().filter(|h| h.starts_with("workload:")).cloned());
    if let Some(last) = f.path.last().filter(|h| h.starts_with("(no ")) {
        let svc = last
            .trim_start_matches("(no ")
            .trim_end_matches(')')
            .trim_end_matches(" endpoints")
            .trim_end_matches(" endpoint")
            .to_string();
        let id = format!("missing:{svc}");
        if !d.nodes.iter().any(|n| n.id == id) {
            d.nodes.push(DiagramNode {
                id: id.clone(),
                label: format!("missing: {svc} endpoint"),
                broken: true,
            });
        }
        let from = if svc == "s3" {
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
        add_broken_edge(d, &prev, &ep, "not routed");
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

/// Lists findings: a `<details>` block each while the budget allows, then a line each.
struct Lister {
    detail: Detail,
    detailed: usize,
    listed: usize,
    omitted: usize,
}

impl Lister {
    fn finding(&mut self, out: &mut String, r: &Report<'_>, f: &Finding) {
        if self.listed >= self.detail.max_listed {
            self.omitted += 1;
            return;
        }
        self.listed += 1;
        if self.detailed < self.detail.max_details {
            self.detailed += 1;
            details(out, r, f, self.detail.fixes);
        } else {
            let _ = writeln!(
                out,
                "- {} **{}** {} · {}",
                icon(f),
                f.rule.code,
                f.rule.name,
                code(&f.resource)
            );
        }
    }

    /// Ends a list: says how many findings were left out.
    fn flush(&mut self, out: &mut String) {
        if self.omitted > 0 {
            let _ = writeln!(
                out,
                "- … and {} more, left out to fit the comment",
                plural(self.omitted, "finding", "findings")
            );
            self.omitted = 0;
        }
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
    }
}

fn icon(f: &Finding) -> &'static str {
    if f.verdict == Verdict::Unknown {
        return "❓";
    }
    match f.severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Note => "ℹ️",
    }
}

/// One finding in a `<details>` block: the summary line, the message, the path, the source
/// position and the fix.
fn details(out: &mut String, r: &Report<'_>, f: &Finding, fixes: bool) {
    let mut tags = Vec::new();
    if f.verdict == Verdict::Unknown {
        tags.push(format!("{}, not decided", f.severity));
    } else {
        tags.push(f.severity.to_string());
    }
    if r.has_prior() && f.introduced == Some(true) {
        tags.push("new in this plan".into());
    }
    let _ = writeln!(
        out,
        "<details>\n<summary>{} <b>{}</b> {} · <code>{}</code> · {}</summary>\n",
        icon(f),
        f.rule.code,
        f.rule.name,
        html(&f.resource),
        tags.join(" · ")
    );
    let _ = writeln!(out, "{}\n", text(&f.message));
    if !f.path.is_empty() {
        let hops: Vec<String> = f.path.iter().map(|h| code(h)).collect();
        let _ = writeln!(out, "**Path:** {}\n", hops.join(" → "));
    }
    if let Some(l) = &f.location {
        let _ = writeln!(
            out,
            "**Source:** {}\n",
            code(&format!("{}:{}:{}", l.file, l.line, l.column))
        );
    }
    if !f.fix.is_empty() {
        if fixes {
            let fix = fix_markdown(&f.fix);
            let sep = if fix.starts_with('\n') { "" } else { " " };
            let _ = writeln!(out, "**Fix:**{sep}{fix}");
        } else {
            let _ = writeln!(
                out,
                "**Fix:** left out to fit the comment; `pullpath check` shows it.\n"
            );
        }
    }
    out.push_str("</details>\n\n");
}

/// A fix as markdown: its prose as text, its Terraform or policy in a fenced block (`hcl` or
/// `json`). Fixes are prose, code, or a line of prose ending in `:` followed by code.
pub fn fix_markdown(fix: &str) -> String {
    let fix = fix.trim_end();
    let (prose, code) = split_fix(fix);
    let mut out = String::new();
    if let Some(p) = prose {
        out.push_str(&text(p.trim()));
    }
    if let Some(c) = code {
        let lang = if c.trim_start().starts_with(['{', '[']) {
            "json"
        } else {
            "hcl"
        };
        let c = visible_lines(c);
        if markup_like(&c) {
            // Input text in the code (a policy's Sid, an image): a fence would keep `<!--` or
            // `<img` raw in the comment's source; a `<pre>` block shows the same with entities.
            let _ = write!(out, "\n\n<pre><code>{}</code></pre>", html(&c));
        } else {
            let fence = fence_for(&c);
            let _ = write!(out, "\n\n{fence}{lang}\n{c}\n{fence}");
        }
    }
    out.push('\n');
    out
}

/// (prose, code) of a fix.
fn split_fix(fix: &str) -> (Option<&str>, Option<&str>) {
    let first = fix.lines().next().unwrap_or("");
    if first.trim_end().ends_with(':') && fix.len() > first.len() + 1 {
        let rest = fix[first.len() + 1..].trim_end_matches('\n');
        if looks_like_code(rest) {
            return (Some(first), Some(rest));
        }
    }
    if looks_like_code(fix) {
        (None, Some(fix))
    } else {
        (Some(fix), None)
    }
}

/// Whether text starts like HCL or JSON: a block, a comment, `key = …`, or `{` / `[`.
fn looks_like_code(s: &str) -> bool {
    let first = s.trim_start().lines().next().unwrap_or("");
    if first.starts_with(['{', '[', '#']) || first.starts_with("//") {
        return true;
    }
    let word = first
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    if matches!(
        word,
        "resource" | "data" | "module" | "locals" | "variable" | "output" | "provider"
    ) && first.trim_end().ends_with('{')
    {
        return true;
    }
    first.split_once(" = ").is_some_and(|(k, _)| {
        let k = k.trim();
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    })
}

/// A code fence longer than any backtick run in the text.
fn fence_for(s: &str) -> String {
    "`".repeat((longest_backtick_run(s) + 1).max(3))
}

/// An inline code span that survives backticks in the text: its delimiters are one backtick
/// longer than the longest run inside (CommonMark closes a span only at a run of the same
/// length), padded with spaces when the text has backticks. Control characters are written
/// visibly: a raw `\r` or `\n` would end the line.
fn code(s: &str) -> String {
    let s = visible(s);
    if markup_like(&s) {
        return html_code(&s);
    }
    let longest = longest_backtick_run(&s);
    if longest == 0 {
        format!("`{s}`")
    } else {
        let ticks = "`".repeat(longest + 1);
        format!("{ticks} {s} {ticks}")
    }
}

/// Whether code holds what would be HTML outside it: a comment or declaration (`<!`, `<?`), a
/// closing tag, or a tag with attribute values (`<img src=…>`). A placeholder such as `<region>`
/// or `<why this is acceptable>` is not: pullpath's own messages and fixes use those.
fn markup_like(s: &str) -> bool {
    s.match_indices('<').any(|(i, _)| {
        let rest = &s[i + 1..];
        if rest.starts_with(['!', '?', '/']) {
            return true;
        }
        let name = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        let after = &rest[name..];
        name > 0
            && rest[..name].starts_with(|c: char| c.is_ascii_alphabetic())
            && (after.starts_with('/')
                || (after.starts_with(char::is_whitespace)
                    && after.split('>').next().is_some_and(|a| a.contains('='))))
    })
}

/// Code that is [`markup_like`] as an HTML `<code>` element, every ASCII punctuation character as a character
/// reference: a backtick span would keep `<!--` or `<img` raw in the comment's source, where a bot
/// looking for the marker (or a careless reader of the source) would find them. References are
/// never markup, not even `|` in a table row.
fn html_code(s: &str) -> String {
    let mut out = String::from("<code>");
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            let _ = write!(out, "&#{};", c as u32);
        } else {
            out.push(c);
        }
    }
    out.push_str("</code>");
    out
}

fn longest_backtick_run(s: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// A code span in a table cell: `|` would end the cell.
fn cell_code(s: &str) -> String {
    cell_pipes(&code(s))
}

/// `|` as `\|` in code that sits in a table cell. A backslash of the text right before a `|`
/// is written as `\u{5c}`: GFM would read it as escaping the escape, and the `|` would end the
/// cell.
fn cell_pipes(s: &str) -> String {
    s.replace("\\|", "\\u{5c}|").replace('|', "\\|")
}

/// Text for HTML (the `<summary>` line), control characters written visibly (a `\r\r` would
/// end the HTML block and let markdown in).
fn html(s: &str) -> String {
    visible(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Markdown text from a message, which mixes pullpath's words and code spans with input text.
/// Code spans are kept where CommonMark sees them (a backtick run closed by the next run of the
/// same length); everything else is made inert:
/// - `<` and `>` as entities (GitHub would take `<region>`, `<img …>`, `<!--` or `</details>`
///   for HTML), `*` escaped (emphasis), a backtick that opens no span escaped, and a backslash
///   before punctuation doubled so that it cannot escape pullpath's own markup;
/// - `|` escaped (a table cell); `](` broken up as `]\(` (links, images);
/// - `@` before a name gets a zero-width space, so that `@org/team` pings nobody;
/// - control characters written visibly; a line break becomes a markdown hard break, and a line
///   that starts with `#`, `-`, `+`, `=`, `~`, `[` or a digit and `.`/`)` starts escaped (no
///   heading, list, rule, fence or link definition made from the input).
pub(crate) fn text(s: &str) -> String {
    text_in(s, false)
}

/// [`text`] for a table cell: a `|` inside a code span is escaped too (GFM splits the row
/// before it parses spans).
fn cell_text(s: &str) -> String {
    text_in(s, true)
}

fn text_in(s: &str, cell: bool) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut line_start = true;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if line_start {
            line_start = false;
            // Indentation would make a code block; a line's own text starts at its first
            // character that is not a space.
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            if i >= chars.len() {
                break;
            }
            let first = chars[i];
            if matches!(first, '#' | '-' | '+' | '=' | '~' | '[') {
                out.push('\\');
            } else if first.is_ascii_digit() {
                let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                if matches!(chars.get(i + digits), Some('.' | ')')) {
                    out.extend(&chars[i..i + digits]);
                    out.push('\\');
                    i += digits;
                }
            }
            continue;
        }
        match c {
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                match closing_run(&chars, i + run, run) {
                    Some(close) => {
                        let inner: String = chars[i + run..close].iter().collect();
                        let ticks = "`".repeat(run);
                        let inner = visible(&inner);
                        if markup_like(&inner) {
                            out.push_str(&html_code(&inner));
                            i = close + run;
                            continue;
                        }
                        let inner = if cell {
                            cell_pipes(&inner)
                        } else {
                            inner.into_owned()
                        };
                        let _ = write!(out, "{ticks}{inner}{ticks}");
                        i = close + run;
                    }
                    None => {
                        for _ in 0..run {
                            out.push_str("\\`");
                        }
                        i += run;
                    }
                }
                continue;
            }
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push_str("\\\\")
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' => out.push_str("\\*"),
            '|' => out.push_str("\\|"),
            // `[text](url)` and `![alt](url)` need `](`; a reference needs a definition, which
            // only a line can start.
            ']' if chars.get(i + 1) == Some(&'(') => out.push_str("]\\"),
            '@' if chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
                && !i
                    .checked_sub(1)
                    .is_some_and(|p| chars[p].is_alphanumeric() || chars[p] == '_') =>
            {
                out.push_str("@&#8203;")
            }
            '\n' => {
                out.push_str("  \n");
                line_start = true;
            }
            c if super::is_hostile_char(c) => out.push_str(&visible(&c.to_string())),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Where the code span opened by a run of `run` backticks before `from` closes: the start of
/// the next run of exactly that length (CommonMark's rule), if any.
fn closing_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let len = chars[j..].iter().take_while(|&&c| c == '`').count();
            if len == run {
                return Some(j);
            }
            j += len;
        } else {
            j += 1;
        }
    }
    None
}

/// Suppressed findings: counted in the verdict line, listed in one table.
fn suppressed_section(out: &mut String, r: &Report<'_>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_split_into_prose_and_code() {
        assert_eq!(
            fix_markdown("{\n  \"Version\": \"2012-10-17\"\n}\n"),
            "\n\n```json\n{\n  \"Version\": \"2012-10-17\"\n}\n```\n"
        );
        assert_eq!(
            fix_markdown("resource \"aws_vpc_endpoint\" \"x\" {\n}"),
            "\n\n```hcl\nresource \"aws_vpc_endpoint\" \"x\" {\n}\n```\n"
        );
        assert_eq!(
            fix_markdown("  private_dns_enabled = true\n"),
            "\n\n```hcl\n  private_dns_enabled = true\n```\n"
        );
        assert_eq!(
            fix_markdown("the corrected policy:\npolicy = jsonencode({})"),
            "the corrected policy:\n\n```hcl\npolicy = jsonencode({})\n```\n"
        );
        assert_eq!(
            fix_markdown("set execution_role_arn to a role with <the policy>"),
            "set execution_role_arn to a role with &lt;the policy&gt;\n"
        );
        assert_eq!(
            fix_markdown("replicate the repository into us-west-2 and use it, or give the workload an internet route"),
            "replicate the repository into us-west-2 and use it, or give the workload an internet route\n"
        );
        assert_eq!(fence_for("a ``` b"), "````");
        assert_eq!(fence_for("plain"), "```");
    }

    #[test]
    fn text_is_escaped_outside_code() {
        assert_eq!(
            text("bucket prod-<region>-x and `prod-<region>-x` and module.*"),
            "bucket prod-&lt;region&gt;-x and `prod-<region>-x` and module.\\*"
        );
        assert_eq!(text("odd ` tick <b>"), "odd \\` tick &lt;b&gt;");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(cell_code("a|b"), "`a\\|b`");
        assert_eq!(html("m[\"a\"] <x>"), "m[&quot;a&quot;] &lt;x&gt;");
    }
}
