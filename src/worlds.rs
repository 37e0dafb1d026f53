//! Verdicts over resources that may or may not exist.
//!
//! An HCL input whose `count` / `for_each` is not decided has instances that may exist
//! ([`crate::model::MayExist`]): `count = var.restrict ? 1 : 0` with no value for the variable.
//! Whether such an instance helps or hurts depends on the rule and on everything around it (a
//! restrictive endpoint policy makes PP401 fail, an endpoint makes PP101 pass, a NAT route
//! makes the endpoints unnecessary, a workload brings checks of its own), so rather than
//! teaching each rule about it, the rules are run in each *world*: every combination of the
//! undecided blocks existing or not. A finding the same in every world is decided; one that
//! differs (present in some worlds only, or failing in some and not decided in others) is
//! unknown, and its message says which instance it depends on and why that is not decided.
//! Nothing that depends on an undecided instance can pass, and nothing is failed on an
//! instance that may not exist.
//!
//! A plan (or HCL) can also leave undecided not whether a block exists but a value: the route
//! tables of an S3 gateway endpoint (`route_table_ids` known only after apply, or going through
//! a local a plan does not record). Each route table of a workload subnet in its VPC that the
//! endpoint is not known to be associated with is then a condition of its own: in each world the
//! endpoint is associated with exactly the tables whose condition holds (see [`associations`]).
//! A route table that may itself not exist (`[*]`) is left to the rules (unknown).
//!
//! An association resource (`aws_vpc_endpoint_route_table_association`, `…_subnet_…`,
//! `…_security_group_…`, `aws_vpc_endpoint_policy`) whose endpoint is not decided but can only be
//! one of a few endpoints of the input ([`crate::graph::EndpointChoice`]: a reference to several,
//! or in a plan an id known only after apply, which is an endpoint the plan creates or reads, or
//! one outside the input) is a choice: each world attaches it to exactly one of them, or to none
//! of the input's. A verdict the same whichever endpoint it attaches to is decided; otherwise
//! unknown, saying on which endpoints it holds. At most [`CHOICE_WORLDS`] combinations of such
//! choices are checked; past it, they stay undecided on every endpoint of their input.
//!
//! Instances that may exist together (the resources of one module instance `module.x[*]`, the
//! blocks of one module instance with the same undecided `count`) share one condition.
//! Conditions are treated as independent, which can only add worlds that cannot happen (more
//! unknown, never a wrong pass or fail).
//!
//! A world where a workload exists but every one of its subnets does not is not checked: ECS
//! and AWS Batch refuse a service, task or compute environment without subnets, so the
//! configuration cannot be applied there, whatever its pull path. (A service in the subnets of
//! `count = length(data.aws_availability_zones.x.names)`, read as one instance that may exist,
//! is judged on that instance.) Up to [`EXHAUSTIVE`] conditions
//! every combination is checked; past it, all present, none present, and each one alone
//! toggled from both (2k+2 worlds: time stays linear). That sample is not every combination:
//! a finding that appears only when several conditions go one particular way could be missed
//! past the bound (a known limit; such configurations also say so in the reports' count of
//! blocks not expanded).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::aws::service::Service;
use crate::graph::{BuildOptions, EndpointChoice, EndpointKind, Fact, Network, WorkloadKind};
use crate::model::{MayExist, Model, Target, Value};
use crate::rules::analysis::Facts;
use crate::rules::{self, CheckOptions, Finding, Severity, Verdict};

/// Up to this many undecided conditions, every combination is checked (2^5 = 32 worlds).
pub const EXHAUSTIVE: usize = 5;

/// The findings over every world, and the VPCs whose internet route the worlds do not agree
/// on (by name, with the reason).
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub routes_undecided: BTreeMap<String, String>,
    /// The facts the rules computed in the world where everything that may exist does (the
    /// graph the reports show).
    pub facts: Facts,
}

/// Runs the rules in every world of `model` (see the module documentation). `net` is the graph
/// of `model` itself: the world where everything that may exist does.
pub fn check(net: &Network, model: &Model, build: &BuildOptions, opts: &CheckOptions) -> Outcome {
    let mut groups = Conditions::of(model);
    groups.choices = choices(net, &groups);
    groups.associations = associations(net, &groups.choices);
    if groups.is_empty() {
        let (findings, facts) = rules::check_with_facts(net, opts);
        return Outcome {
            findings,
            routes_undecided: BTreeMap::new(),
            facts,
        };
    }
    let needs = needs(net, model, &groups);
    let bools = groups.members.len() + groups.associations.len();
    let worlds: Vec<Vec<bool>> = with_choices(worlds(bools), &groups.choices)
        .into_iter()
        .filter(|w| possible(w, &needs))
        .collect();
    let mut per_world: Vec<BTreeMap<Key, Vec<Finding>>> = Vec::with_capacity(worlds.len());
    let mut routes: Vec<BTreeMap<String, Option<bool>>> = Vec::with_capacity(worlds.len());
    let mut all_present = Facts::default();
    for present in &worlds {
        let (findings, route) = if present.iter().all(|p| *p)
            && groups.associations.is_empty()
            && groups.choices.is_empty()
        {
            let (findings, facts) = rules::check_with_facts(net, opts);
            let route = internet_routes(net, &facts);
            all_present = facts;
            (findings, route)
        } else {
            let m = world_model(model, &groups, present);
            let mut n = crate::graph::build(&m, build);
            associate(&mut n, &groups, present);
            let (findings, facts) = rules::check_with_facts(&n, opts);
            (findings, internet_routes(&n, &facts))
        };
        let mut map: BTreeMap<Key, Vec<Finding>> = BTreeMap::new();
        for f in findings {
            map.entry(key(&f)).or_default().push(f);
        }
        per_world.push(map);
        routes.push(route);
    }
    let at: HashMap<&[bool], usize> = worlds
        .iter()
        .enumerate()
        .map(|(i, w)| (w.as_slice(), i))
        .collect();
    let keys: BTreeSet<&Key> = per_world.iter().flat_map(|m| m.keys()).collect();
    let mut findings = Vec::new();
    for k in keys {
        let outcome: Vec<Option<Verdict>> = per_world
            .iter()
            .map(|m| {
                m.get(k).map(|list| {
                    if list.iter().any(|f| f.verdict == Verdict::Unknown) {
                        Verdict::Unknown
                    } else {
                        Verdict::Fail
                    }
                })
            })
            .collect();
        // The world where everything exists comes first; else the first world that has it.
        let Some(first) = per_world.iter().find_map(|m| m.get(k)) else {
            continue;
        };
        if outcome.iter().all(|o| *o == outcome[0]) {
            findings.extend(first.iter().cloned());
            continue;
        }
        let holds: Vec<bool> = outcome.iter().map(|o| *o == Some(Verdict::Fail)).collect();
        let why = conditions(&groups, &worlds, &at, &outcome, &holds, "this holds");
        for f in first {
            let mut f = f.clone();
            f.verdict = Verdict::Unknown;
            f.message = format!("{}{NOT_DECIDED}{why}", f.message);
            findings.push(f);
        }
    }
    if !groups.associations.is_empty() || !groups.choices.is_empty() {
        // The graph the reports show is the input's own, association undecided.
        all_present = rules::check_with_facts(net, opts).1;
    }
    // Choices are always checked in full (see [`choices`]).
    if bools <= EXHAUSTIVE {
        broken_in_every_world(&mut findings, &per_world, &groups);
    }
    let mut routes_undecided = BTreeMap::new();
    let vpcs: BTreeSet<&String> = routes.iter().flat_map(|m| m.keys()).collect();
    for v in vpcs {
        let outcome: Vec<Option<Option<bool>>> = routes.iter().map(|m| m.get(v).copied()).collect();
        // A world where the VPC has no workload says nothing about its route.
        let seen: Vec<Option<bool>> = outcome.iter().flatten().copied().collect();
        if seen.iter().all(|o| *o == seen[0]) {
            continue;
        }
        let holds: Vec<bool> = outcome.iter().map(|o| *o == Some(Some(true))).collect();
        let why = conditions(
            &groups,
            &worlds,
            &at,
            &outcome,
            &holds,
            "the workloads reach the internet",
        );
        routes_undecided.insert(v.clone(), why);
    }
    rules::sort(&mut findings);
    Outcome {
        findings,
        routes_undecided,
        facts: all_present,
    }
}

/// A workload whose pull breaks in every world, but on different findings (the S3 endpoint
/// associated: its policy blocks the layers, PP401; not associated: no route to S3, PP301), is
/// broken whichever way the undecided blocks go: each finding alone is unknown, yet the run must
/// fail. The first of its error findings in the first world becomes a failure that says so; the
/// others stay unknown. Only sound when every possible combination was checked (the caller's
/// condition): past [`EXHAUSTIVE`] a world where the pull goes through may be unsampled.
fn broken_in_every_world(
    findings: &mut [Finding],
    per_world: &[BTreeMap<Key, Vec<Finding>>],
    groups: &Conditions,
) {
    let breaks = |f: &Finding| f.verdict == Verdict::Fail && f.rule.severity == Severity::Error;
    // Per world, the workloads with an error failure, and the codes that fail them.
    let broken: Vec<BTreeMap<&str, BTreeSet<&'static str>>> = per_world
        .iter()
        .map(|m| {
            let mut out: BTreeMap<&str, BTreeSet<&'static str>> = BTreeMap::new();
            for f in m.values().flatten().filter(|f| breaks(f)) {
                if let Some(w) = &f.workload {
                    out.entry(w.as_str()).or_default().insert(f.rule.code);
                }
            }
            out
        })
        .collect();
    let Some((everything, rest)) = broken.split_first() else {
        return;
    };
    for (workload, codes) in everything {
        if !rest.iter().all(|b| b.contains_key(workload)) {
            continue;
        }
        // Already failed by a finding that holds in every world: nothing to add.
        let decided = findings.iter().any(|f| {
            breaks(f) && f.workload.as_deref() == Some(workload) && !f.message.contains(NOT_DECIDED)
        });
        if decided {
            continue;
        }
        let all_codes: BTreeSet<&str> = broken
            .iter()
            .flat_map(|b| b[workload].iter().copied())
            .collect();
        let Some(carrier) = per_world[0].values().flatten().find(|f| {
            breaks(f) && f.workload.as_deref() == Some(workload) && codes.contains(f.rule.code)
        }) else {
            continue;
        };
        let Some(slot) = findings.iter_mut().find(|f| key(f) == key(carrier)) else {
            continue;
        };
        let what = groups.describe_all();
        let codes: Vec<&str> = all_codes.into_iter().collect();
        *slot = carrier.clone();
        slot.message = format!(
            "{} — whichever way the undecided goes ({}), the pull of {workload} breaks: in every \
             combination one of {} fails.",
            carrier.message,
            what.join("; "),
            codes.join(", ")
        );
    }
}

/// The mark of a finding that differs between worlds (see [`check`]).
const NOT_DECIDED: &str = " — not decided: ";

/// What makes findings "the same finding" across worlds.
type Key = (&'static str, Option<String>, String, Option<String>);

fn key(f: &Finding) -> Key {
    (
        f.rule.code,
        f.vpc.clone(),
        f.resource.clone(),
        f.workload.clone(),
    )
}

/// The worlds to check, each a list of "condition `i` holds" (the instances exist); the world
/// where all exist first.
fn worlds(k: usize) -> Vec<Vec<bool>> {
    if k <= EXHAUSTIVE {
        let all = (1usize << k) - 1;
        return (0..=all)
            .rev()
            .map(|m| (0..k).map(|i| m & (1 << i) != 0).collect())
            .collect();
    }
    let mut out = vec![vec![true; k], vec![false; k]];
    for i in 0..k {
        let mut w = vec![true; k];
        w[i] = false;
        out.push(w);
        let mut w = vec![false; k];
        w[i] = true;
        out.push(w);
    }
    out
}

/// The undecided conditions of a model, each with the instances that exist under it.
struct Conditions {
    /// Per condition, the blocks (or module instances) whose instances it decides.
    members: Vec<Vec<MayExist>>,
    index: HashMap<MayExist, usize>,
    /// Conditions after those of `members`: an S3 gateway endpoint whose route tables are not
    /// decided (an unknown `route_table_ids`, an association whose table is unknown) is
    /// associated with a workload's route table, or not (see [`associations`]).
    associations: Vec<Association>,
    /// Conditions after those of `associations`: an association resource whose endpoint is
    /// one of a few (see [`choices`]), one condition per alternative, exactly one of which
    /// holds in each world.
    choices: Vec<Choice>,
}

/// An association resource whose endpoint is not decided, with the endpoints it may attach
/// to (`None`: none of the input's).
struct Choice {
    of: EndpointChoice,
    alternatives: Vec<Option<String>>,
}

/// At most this many combinations of the alternatives of association resources whose
/// endpoint is not decided are checked; past it, they are left to the rules (unknown).
const CHOICE_WORLDS: usize = 16;

/// The association resources whose endpoint the worlds decide: every combination of their
/// alternatives is checked, so only while there are few (with the other conditions, at most
/// 2^[`EXHAUSTIVE`] worlds); past that, none (each stays undecided on every endpoint).
fn choices(net: &Network, groups: &Conditions) -> Vec<Choice> {
    let out: Vec<Choice> = net
        .endpoint_choices
        .iter()
        .map(|c| {
            let mut alternatives: Vec<Option<String>> =
                c.candidates.iter().cloned().map(Some).collect();
            if c.maybe_none {
                alternatives.push(None);
            }
            Choice {
                of: c.clone(),
                alternatives,
            }
        })
        .filter(|c| c.alternatives.len() > 1 || c.alternatives.iter().all(Option::is_some))
        .collect();
    let combinations = out
        .iter()
        .try_fold(1usize, |n, c| n.checked_mul(c.alternatives.len()));
    let bools = groups.members.len().min(EXHAUSTIVE);
    match combinations {
        Some(n) if n <= CHOICE_WORLDS && n << bools <= 1 << EXHAUSTIVE => out,
        _ => Vec::new(),
    }
}

/// `worlds` times every combination of the choices' alternatives: each alternative is a
/// condition of its own after those of `worlds`, exactly one of a choice's holding.
fn with_choices(worlds: Vec<Vec<bool>>, choices: &[Choice]) -> Vec<Vec<bool>> {
    let mut out = worlds;
    for c in choices {
        let n = c.alternatives.len();
        out = out
            .into_iter()
            .flat_map(|w| {
                (0..n).map(move |k| {
                    let mut w = w.clone();
                    w.extend((0..n).map(|j| j == k));
                    w
                })
            })
            .collect();
    }
    out
}

/// An undecided association of an S3 gateway endpoint with a route table, by name.
struct Association {
    endpoint: String,
    table: String,
    why: String,
}

/// The S3 gateway endpoints whose route tables are not decided, with each route table of a
/// workload subnet in their VPC that they are not known to be associated with. The rules read
/// such an endpoint as maybe associated (PP301 and PP401 both unknown); in worlds it is
/// associated with exactly the tables whose condition holds. The conditions are independent:
/// every combination of tables is a world.
fn associations(net: &Network, choices: &[Choice]) -> Vec<Association> {
    let mut out: Vec<Association> = Vec::new();
    for ep in &net.endpoints {
        let Some(why) = &ep.route_tables_unknown else {
            continue;
        };
        // Undecided because of an association resource the worlds decide (see [`choices`]):
        // its worlds are those of its alternatives. (An association that is not a choice
        // still makes the endpoint undecided in the graph of each world.)
        if choices.iter().any(|c| &c.of.why == why) {
            continue;
        }
        let s3 = matches!(&ep.service, Fact::Known(s) if s.pull == Some(Service::S3))
            && ep.kind == Fact::Known(EndpointKind::Gateway);
        let Fact::Known(vpc) = &ep.vpc else {
            continue;
        };
        if !s3 {
            continue;
        }
        for w in &net.workloads {
            for &s in &w.subnets {
                let subnet = &net.subnets[s];
                let Fact::Known(t) = subnet.route_table else {
                    continue;
                };
                if subnet.vpc != Fact::Known(*vpc) || ep.route_tables.contains(&t) {
                    continue;
                }
                let (endpoint, table) = (ep.node.name(), net.route_tables[t].node.name());
                // A route table that may itself not exist (`[*]`) stands for tables whose
                // number is not decided: left to the rules (unknown), as before.
                if table.contains("[*]") {
                    continue;
                }
                if !out
                    .iter()
                    .any(|a| a.endpoint == endpoint && a.table == table)
                {
                    out.push(Association {
                        endpoint,
                        table,
                        why: why.clone(),
                    });
                }
            }
        }
    }
    out
}

/// Makes the S3 gateway endpoints of `net` associated with exactly the route tables whose
/// condition holds in `present` (besides those they are known to be associated with).
fn associate(net: &mut Network, groups: &Conditions, present: &[bool]) {
    let base = groups.members.len();
    for (j, a) in groups.associations.iter().enumerate() {
        let Some(e) = net
            .endpoints
            .iter()
            .position(|ep| ep.node.name() == a.endpoint)
        else {
            continue;
        };
        net.endpoints[e].route_tables_unknown = None;
        if !present[base + j] {
            continue;
        }
        if let Some(t) = net
            .route_tables
            .iter()
            .position(|t| t.node.name() == a.table)
        {
            if !net.endpoints[e].route_tables.contains(&t) {
                net.endpoints[e].route_tables.push(t);
            }
        }
    }
}

impl Conditions {
    fn of(model: &Model) -> Conditions {
        let all: BTreeSet<&MayExist> = model
            .resources
            .iter()
            .filter_map(|r| r.may_exist())
            .collect();
        let mut members: Vec<Vec<MayExist>> = Vec::new();
        let mut by_condition: HashMap<&str, usize> = HashMap::new();
        let mut index = HashMap::new();
        for m in all {
            let i = match m.condition.as_deref() {
                Some(c) => *by_condition.entry(c).or_insert_with(|| {
                    members.push(Vec::new());
                    members.len() - 1
                }),
                None => {
                    members.push(Vec::new());
                    members.len() - 1
                }
            };
            members[i].push(m.clone());
            index.insert(m.clone(), i);
        }
        Conditions {
            members,
            index,
            associations: Vec::new(),
            choices: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.members.len()
            + self.associations.len()
            + self
                .choices
                .iter()
                .map(|c| c.alternatives.len())
                .sum::<usize>()
    }

    /// For a condition that is an alternative of a choice: the choice, the alternative, and
    /// the range of the choice's conditions.
    fn choice_of(&self, i: usize) -> Option<(&Choice, usize, std::ops::Range<usize>)> {
        let mut start = self.members.len() + self.associations.len();
        for c in &self.choices {
            let end = start + c.alternatives.len();
            if (start..end).contains(&i) {
                return Some((c, i - start, start..end));
            }
            start = end;
        }
        None
    }

    /// Every condition in words, a choice once with all its alternatives.
    fn describe_all(&self) -> Vec<String> {
        let base = self.members.len() + self.associations.len();
        let mut out: Vec<String> = (0..base).map(|i| self.describe(i)).collect();
        out.extend(self.describe_choices());
        out
    }

    /// Each choice in words, with all its alternatives.
    fn describe_choices(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.choices {
            let alts: Vec<String> = c
                .alternatives
                .iter()
                .map(|a| match a {
                    Some(e) => e.clone(),
                    None => "no endpoint of the input".to_string(),
                })
                .collect();
            // The reason names the resource again: not twice.
            let why =
                c.of.why
                    .strip_prefix(&format!("{} ", c.of.address))
                    .unwrap_or(&c.of.why);
            out.push(format!(
                "{} may attach to {} ({why})",
                c.of.address,
                either(&alts),
            ));
        }
        out
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn of_instance(&self, m: &MayExist) -> Option<usize> {
        self.index.get(m).copied()
    }

    /// A condition in words: what may exist under it, and why.
    fn describe(&self, i: usize) -> String {
        if let Some((c, k, _)) = self.choice_of(i) {
            return match &c.alternatives[k] {
                Some(e) => format!("{} may attach to {e} ({})", c.of.address, c.of.why),
                None => format!(
                    "{} may attach to no endpoint of the input ({})",
                    c.of.address, c.of.why
                ),
            };
        }
        if let Some(a) = i
            .checked_sub(self.members.len())
            .and_then(|j| self.associations.get(j))
        {
            return format!(
                "{} may be associated with {} ({})",
                a.endpoint, a.table, a.why
            );
        }
        match self.members[i].as_slice() {
            [one] => one.to_string(),
            several => {
                let whats: Vec<&str> = several.iter().map(|m| m.what.as_str()).collect();
                format!(
                    "{} (one `count`) may exist ({})",
                    whats.join(", "),
                    several[0].reason
                )
            }
        }
    }
}

/// The workloads that exist only where some of their subnets do: for each, the condition it
/// exists under (`None`: always) and those of its subnets, every one of which may not exist.
fn needs(net: &Network, model: &Model, groups: &Conditions) -> Vec<(Option<usize>, Vec<usize>)> {
    let condition = |resource: Option<usize>| {
        resource
            .and_then(|i| model.resources.get(i))
            .and_then(|r| r.may_exist())
            .and_then(|m| groups.of_instance(m))
    };
    let mut out = Vec::new();
    for w in &net.workloads {
        if w.kind == WorkloadKind::Declared || w.subnets.is_empty() || w.subnets_unknown.is_some() {
            continue;
        }
        let subnets: Option<Vec<usize>> = w
            .subnets
            .iter()
            .map(|&s| condition(net.subnets[s].node.resource))
            .collect();
        if let Some(subnets) = subnets {
            out.push((condition(w.node.resource), subnets));
        }
    }
    out
}

/// Whether a world can be applied: no workload exists there without one of its subnets.
fn possible(world: &[bool], needs: &[(Option<usize>, Vec<usize>)]) -> bool {
    needs
        .iter()
        .all(|(own, subnets)| own.is_some_and(|o| !world[o]) || subnets.iter().any(|&c| world[c]))
}

/// The model of one world: the resources whose condition holds there, or that have none.
fn world_model(model: &Model, groups: &Conditions, present: &[bool]) -> Model {
    let mut m = Model::default();
    m.inputs = model.inputs.clone();
    m.joins = model.joins.clone();
    m.removed = model.removed.clone();
    m.skipped = model.skipped;
    // The endpoint each undecided association attaches to in this world (`None`: none of the
    // input's, so it changes nothing here).
    let mut start = groups.members.len() + groups.associations.len();
    let mut attach: HashMap<usize, Option<&str>> = HashMap::new();
    for c in &groups.choices {
        let n = c.alternatives.len();
        if let Some(k) = (0..n).find(|&k| present[start + k]) {
            attach.insert(c.of.resource, c.alternatives[k].as_deref());
        }
        start += n;
    }
    for (i, r) in model.resources.iter().enumerate() {
        let keep = match r.may_exist() {
            None => true,
            Some(g) => groups.of_instance(g).map(|i| present[i]).unwrap_or(true),
        };
        if !keep {
            continue;
        }
        match attach.get(&i) {
            None => m.push(r.clone()),
            Some(None) => {}
            Some(Some(endpoint)) => {
                let mut r = r.clone();
                if let Value::Object(values) = &mut r.values {
                    let id = Value::reference(
                        vec![Target {
                            address: endpoint.to_string(),
                            attr: Some("id".into()),
                        }],
                        true,
                        None,
                    );
                    match values.get_mut("vpc_endpoint_id") {
                        Some(v) => *v = id,
                        None => continue,
                    }
                }
                m.push(r);
            }
        }
    }
    m
}

/// Whether each checked VPC (by name) reaches the internet (see
/// [`crate::report::internet_route`]).
fn internet_routes(net: &Network, facts: &Facts) -> BTreeMap<String, Option<bool>> {
    facts
        .vpcs
        .keys()
        .map(|&v| (net.vpc_name(v), facts.internet_route(v)))
        .collect()
}

/// `a`, `a or b`, `a, b or c`.
fn either(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Which conditions an outcome depends on, in words: for each condition, whether two worlds
/// that differ only in it have different outcomes, and in which direction `holds` goes.
fn conditions<T: PartialEq>(
    groups: &Conditions,
    worlds: &[Vec<bool>],
    at: &HashMap<&[bool], usize>,
    outcome: &[T],
    holds: &[bool],
    what: &str,
) -> String {
    let mut parts = Vec::new();
    for g in 0..groups.len() {
        let (mut matters, mut if_present, mut if_absent) = (false, false, false);
        if groups.choice_of(g).is_some() {
            continue; // described per choice, below
        }
        for (w, world) in worlds.iter().enumerate() {
            let mut other = world.clone();
            other[g] = !other[g];
            let Some(&o) = at.get(other.as_slice()) else {
                continue;
            };
            if outcome[w] != outcome[o] {
                matters = true;
                if holds[w] && !holds[o] {
                    if world[g] {
                        if_present = true;
                    } else {
                        if_absent = true;
                    }
                }
            }
        }
        if matters {
            parts.push((g, if_present, if_absent));
        }
    }
    let mut out: Vec<String> = parts
        .into_iter()
        .map(|(g, present, absent)| {
            let tail = match (present, absent) {
                (true, false) => format!("{what} only if it does"),
                (false, true) => format!("{what} only if it does not"),
                _ => format!("whether {what} depends on it"),
            };
            format!("{}; {tail}.", groups.describe(g))
        })
        .collect();
    // Each choice once: whether moving it to another endpoint changes the outcome, and on
    // which of its endpoints the outcome holds.
    let mut start = groups.members.len() + groups.associations.len();
    for (c, described) in groups.choices.iter().zip(groups.describe_choices()) {
        let range = start..start + c.alternatives.len();
        start = range.end;
        let alt = |w: &[bool]| range.clone().find(|&k| w[k]);
        let (mut matters, mut yes, mut no) = (false, BTreeSet::new(), BTreeSet::new());
        for (w, world) in worlds.iter().enumerate() {
            let Some(k) = alt(world) else { continue };
            if holds[w] {
                yes.insert(k - range.start);
            } else {
                no.insert(k - range.start);
            }
            for s in range.clone().filter(|&s| s != k) {
                let mut other = world.clone();
                other[k] = false;
                other[s] = true;
                if at
                    .get(other.as_slice())
                    .is_some_and(|&o| outcome[o] != outcome[w])
                {
                    matters = true;
                }
            }
        }
        if !matters {
            continue;
        }
        let tail = if yes.is_disjoint(&no) && !yes.is_empty() {
            let names: Vec<String> = yes
                .iter()
                .map(|&k| match &c.alternatives[k] {
                    Some(e) => e.clone(),
                    None => "no endpoint of the input".to_string(),
                })
                .collect();
            format!("{what} only if it attaches to {}", either(&names))
        } else {
            format!("whether {what} depends on which endpoint it attaches to")
        };
        out.push(format!("{described}; {tail}."));
    }
    // Worlds sampled past EXHAUSTIVE may have no two that differ in one condition only: then
    // every condition may be the one.
    if out.is_empty() {
        out = groups
            .describe_all()
            .into_iter()
            .map(|d| format!("{d}; whether {what} depends on it."))
            .collect();
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// An S3 gateway endpoint whose policy allows only the application's bucket, associated
    /// with the private route table only when an undecided variable says so, and no NAT.
    fn s3_restricted_maybe_associated() -> String {
        private_fargate(&[
            ECR_API,
            ECR_DKR,
            LOGS,
            r#"
variable "associate" {
  type = bool
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-west-2.s3"
  vpc_endpoint_type = "Gateway"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = ["arn:aws:s3:::my-app-bucket/*"]
    }]
  })
}

resource "aws_vpc_endpoint_route_table_association" "s3" {
  count           = var.associate ? 1 : 0
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = aws_route_table.private.id
}
"#,
        ])
    }

    /// Associated, the policy blocks the layer bucket (PP401); not associated, the layers have
    /// no route at all (PP301): the pull breaks whichever way the variable goes, so the run
    /// fails, on the finding of the world where everything exists, and says why.
    #[test]
    fn a_pull_that_breaks_in_every_world_fails() {
        let found = check_hcl(&[("main.tf", &s3_restricted_maybe_associated())]);
        let pp401 = verdicts_of("PP401", &found);
        let pp301 = verdicts_of("PP301", &found);
        assert_eq!(
            pp401,
            [("PP401", "fail", "aws_vpc_endpoint.s3".to_string())],
            "{found:#?}"
        );
        assert_eq!(
            pp301,
            [("PP301", "unknown", "aws_vpc_endpoint.s3".to_string())],
            "{found:#?}"
        );
        let f = found.iter().find(|f| f.rule.code == "PP401").unwrap();
        assert!(
            f.message.contains("whichever way") && f.message.contains("PP301"),
            "{}",
            f.message
        );
    }

    /// With a NAT route, the unassociated world pulls through the NAT: only PP401 may break it,
    /// so it stays unknown.
    #[test]
    fn a_pull_that_breaks_in_some_worlds_only_stays_unknown() {
        let mut hcl = s3_restricted_maybe_associated();
        hcl.push_str(NAT);
        let found = check_hcl(&[("main.tf", &hcl)]);
        assert_eq!(
            verdicts_of("PP401", &found),
            [("PP401", "unknown", "aws_vpc_endpoint.s3".to_string())],
            "{found:#?}"
        );
    }

    /// An S3 gateway endpoint whose `route_table_ids` is a variable with no value, with the
    /// given policy statement resource.
    fn s3_unknown_tables(bucket: &str) -> String {
        private_fargate(&[
            ECR_API,
            ECR_DKR,
            LOGS,
            &format!(
                r#"
variable "route_table_ids" {{
  type = list(string)
}}

resource "aws_vpc_endpoint" "s3" {{
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-west-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.route_table_ids
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = ["{bucket}"]
    }}]
  }})
}}
"#
            ),
        ])
    }

    /// The association is an unknown value rather than an instance that may exist: associated,
    /// the policy blocks the layers (PP401); not, no route to S3 and no NAT (PP301). Fails.
    #[test]
    fn an_undecided_association_that_breaks_either_way_fails() {
        let found = check_hcl(&[(
            "main.tf",
            &s3_unknown_tables("arn:aws:s3:::my-app-bucket/*"),
        )]);
        assert_eq!(
            verdicts_of("PP401", &found),
            [("PP401", "fail", "aws_vpc_endpoint.s3".to_string())],
            "{found:#?}"
        );
        assert_eq!(
            verdicts_of("PP301", &found),
            [("PP301", "unknown", "aws_vpc_endpoint.s3".to_string())],
            "{found:#?}"
        );
        let f = found.iter().find(|f| f.rule.code == "PP401").unwrap();
        assert!(
            f.message.contains("whichever way")
                && f.message
                    .contains("may be associated with aws_route_table.private"),
            "{}",
            f.message
        );
    }

    /// The policy allows the layer bucket and a NAT carries the pull otherwise: every world
    /// passes, so nothing is left undecided by the association.
    #[test]
    fn an_undecided_association_that_passes_either_way_passes() {
        let mut hcl = s3_unknown_tables("*");
        hcl.push_str(NAT);
        let found = check_hcl(&[("main.tf", &hcl)]);
        assert!(
            verdicts_of("PP301", &found).is_empty() && verdicts_of("PP401", &found).is_empty(),
            "{found:#?}"
        );
    }

    /// An `aws_vpc_endpoint_policy` that allows only the application bucket, whose endpoint is
    /// ecr.api or ecr.dkr as an undecided variable says: either way one of them blocks the
    /// pull (PP402), so the run fails, naming both; each finding alone is not decided.
    #[test]
    fn a_policy_whose_endpoint_is_one_of_two_that_both_break_fails() {
        let src = private_fargate(&[
            ECR_API,
            ECR_DKR,
            LOGS,
            S3_GATEWAY,
            r#"
variable "on_api" {
  type = bool
}

resource "aws_vpc_endpoint_policy" "restricted" {
  vpc_endpoint_id = var.on_api ? aws_vpc_endpoint.ecr_api.id : aws_vpc_endpoint.ecr_dkr.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }]
  })
}
"#,
        ]);
        let found = check_hcl(&[("main.tf", &src)]);
        let pp402 = verdicts_of("PP402", &found);
        assert_eq!(pp402.len(), 2, "{found:#?}");
        assert!(pp402.iter().any(|(_, v, _)| *v == "fail"), "{found:#?}");
        let f = found
            .iter()
            .find(|f| f.rule.code == "PP402" && f.verdict == crate::rules::Verdict::Fail)
            .unwrap();
        assert!(
            f.message.contains("whichever way")
                && f.message.contains(
                    "aws_vpc_endpoint_policy.restricted may attach to aws_vpc_endpoint.ecr_api or aws_vpc_endpoint.ecr_dkr"
                ),
            "{}",
            f.message
        );
    }

    /// ecr.api and ecr.dkr on the VPC's default group (which admits nothing from the tasks),
    /// and a security group association that adds the endpoints' group to one of them, as an
    /// undecided variable says: the other one blocks HTTPS either way (PP501), so the run
    /// fails; which endpoint fails is not decided.
    #[test]
    fn a_group_association_whose_endpoint_is_one_of_two_that_both_break_fails() {
        let own = "  security_group_ids  = [aws_security_group.vpc_endpoints.id]\n";
        let (api, dkr) = (ECR_API.replace(own, ""), ECR_DKR.replace(own, ""));
        let src = private_fargate(&[
            &api,
            &dkr,
            LOGS,
            S3_GATEWAY,
            r#"
variable "on_api" {
  type = bool
}

resource "aws_vpc_endpoint_security_group_association" "https" {
  vpc_endpoint_id   = var.on_api ? aws_vpc_endpoint.ecr_api.id : aws_vpc_endpoint.ecr_dkr.id
  security_group_id = aws_security_group.vpc_endpoints.id
}
"#,
        ]);
        let found = check_hcl(&[("main.tf", &src)]);
        let mut pp501: Vec<&str> = verdicts_of("PP501", &found)
            .into_iter()
            .map(|(_, v, _)| v)
            .collect();
        pp501.sort();
        assert_eq!(pp501, ["fail", "unknown"], "{found:#?}");
        let f = found
            .iter()
            .find(|f| f.rule.code == "PP501" && f.verdict == crate::rules::Verdict::Fail)
            .unwrap();
        assert!(
            f.message.contains("whichever way")
                && f.message.contains("aws_vpc_endpoint_security_group_association.https may attach to aws_vpc_endpoint.ecr_api or aws_vpc_endpoint.ecr_dkr"),
            "{}",
            f.message
        );
        let u = found
            .iter()
            .find(|f| f.rule.code == "PP501" && f.verdict == crate::rules::Verdict::Unknown)
            .unwrap();
        assert!(
            u.message.contains("only if it attaches to"),
            "{}",
            u.message
        );
    }

    /// The policy allows the layer bucket, no NAT: associated it passes, not associated PP301
    /// fails. Unknown, naming the association.
    #[test]
    fn an_undecided_association_the_worlds_disagree_on_is_unknown() {
        let found = check_hcl(&[("main.tf", &s3_unknown_tables("*"))]);
        assert_eq!(
            verdicts_of("PP301", &found),
            [("PP301", "unknown", "aws_vpc_endpoint.s3".to_string())],
            "{found:#?}"
        );
        assert!(verdicts_of("PP401", &found).is_empty(), "{found:#?}");
        let f = found.iter().find(|f| f.rule.code == "PP301").unwrap();
        assert!(
            f.message
                .contains("aws_vpc_endpoint.s3 may be associated with aws_route_table.private")
                && f.message.contains("only if it does not"),
            "{}",
            f.message
        );
    }
}
