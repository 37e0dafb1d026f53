//! Which container instances the tasks of an ECS service (or scheduled task) on EC2 or ECS
//! Managed Instances run on, and the network they give the workload (DOMAIN.md §2).
//!
//! The instances are found from the capacity providers the tasks may use — the service's
//! strategy, else the cluster's default strategy; every provider of the cluster when the
//! strategy names one that is not known before apply — each leading to its Auto Scaling group
//! (`auto_scaling_group_provider`) or to its managed hosts (`managed_instances_provider`); and,
//! for the EC2 launch type, from the Auto Scaling groups and instances whose user data joins
//! the cluster (`ECS_CLUSTER=<name>`). When none is in the input the network is unknown, never
//! the task's.

use crate::hash::FastMap;
use std::collections::{BTreeMap, BTreeSet};

use super::builder::Builder;
use super::instances::{asg_group, instance_group, managed_group, HostGroup};
use super::workload::first_block;
use crate::graph::{AwslogsOverride, Fact, Node, RoleRef, SgIdx, SubnetIdx};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    (
        "aws_ecs_capacity_provider",
        &[
            "auto_scaling_group_provider",
            "managed_instances_provider",
            "cluster",
        ],
    ),
    ("aws_ecs_cluster", &["capacity_providers"]),
    (
        "aws_ecs_cluster_capacity_providers",
        &["capacity_providers"],
    ),
];

/// The container instances found for a workload, and why some may be missing.
pub(super) struct Found {
    pub groups: Vec<HostGroup>,
    pub unknown: Option<String>,
}

/// The network of the instances, as the workload's.
pub(super) struct Merged {
    pub nodes: Vec<Node>,
    pub unknown: Option<String>,
    pub subnets: Vec<SubnetIdx>,
    pub subnets_unknown: Option<String>,
    pub groups: Vec<SgIdx>,
    pub groups_unknown: Option<String>,
    pub default_sg: bool,
    pub public_ip: Fact<bool>,
    pub role: Option<Fact<RoleRef>>,
    /// What every group's user data sets `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE` to, where
    /// they all say the same and no host is missing.
    pub awslogs_override: Option<AwslogsOverride>,
}

/// A capacity provider named by a strategy, or why it is not one of the input.
enum Provider {
    Found(usize),
    /// A name that no capacity provider of the input has.
    Missing(String),
    /// Not known before apply.
    Undecided(String),
    /// FARGATE / FARGATE_SPOT: no instances of the input.
    Fargate,
}

/// Each capacity provider of the input by (input, name), found once.
pub(super) fn providers_by_name(b: &Builder<'_>) -> FastMap<(usize, String), usize> {
    let mut out = FastMap::default();
    for &p in b.ix.of_type(false, "aws_ecs_capacity_provider") {
        let r = b.ix.res(p);
        if let Some(n) = r.get("name").and_then(Value::as_str) {
            out.entry((r.input, n.to_string())).or_insert(p);
        }
    }
    out
}

fn provider_of(b: &Builder<'_>, input: usize, v: Option<&Value>) -> Provider {
    let want = |x: &Resource| x.rtype() == "aws_ecs_capacity_provider";
    match v {
        Some(Value::String(p)) if p == "FARGATE" || p == "FARGATE_SPOT" => Provider::Fargate,
        Some(Value::String(p)) => match b.capacity_providers.get(&(input, p.clone())) {
            Some(&i) => Provider::Found(i),
            None => Provider::Missing(p.clone()),
        },
        Some(v @ Value::Ref(_)) => match b.ix.find(input, v, &want).resources.first() {
            Some(&i) => Provider::Found(i),
            None => Provider::Undecided(
                v.undecided_reason()
                    .unwrap_or_else(|| "a capacity provider is not known before apply".into()),
            ),
        },
        Some(v) => Provider::Undecided(
            v.undecided_reason()
                .unwrap_or_else(|| "a capacity provider is not known before apply".into()),
        ),
        None => Provider::Undecided("a strategy item names no capacity provider".into()),
    }
}

/// The cluster of a service or task (model index), and its name (`default` when none is
/// named); the name is an error when it is not known.
fn cluster_of(
    b: &Builder<'_>,
    r: &Resource,
    v: Option<&Value>,
) -> (Option<usize>, Result<String, String>) {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return (None, Ok("default".into()));
    };
    let want = |x: &Resource| x.rtype() == "aws_ecs_cluster";
    let found = b.ix.find(r.input, v, &want);
    if let Some(&c) = found.resources.first() {
        let cr = b.ix.res(c);
        return match cr.get("name").and_then(Value::as_str) {
            Some(n) => (Some(c), Ok(n.to_string())),
            None => (
                Some(c),
                Err(format!(
                    "the name of {} is not known before apply",
                    cr.address
                )),
            ),
        };
    }
    // A cluster given by name or ARN (`arn:aws:ecs:…:cluster/NAME`) that the input does not
    // define.
    match found.literals.first().or(found.ids.first()) {
        Some(s) => (None, Ok(s.rsplit('/').next().unwrap_or(s).to_string())),
        None => (
            None,
            Err(format!(
                "the cluster of {} is not known before apply",
                r.address
            )),
        ),
    }
}

/// The capacity providers associated with a cluster (`aws_ecs_cluster_capacity_providers`,
/// the cluster's own `capacity_providers`, providers that name the cluster), and why the list
/// may be incomplete.
fn cluster_providers(
    b: &Builder<'_>,
    input: usize,
    cluster: Option<usize>,
    name: Option<&str>,
) -> (BTreeSet<usize>, Option<String>) {
    let mut out = BTreeSet::new();
    let mut unknown = None;
    let lists = cluster
        .into_iter()
        .flat_map(|c| {
            let own = b.ix.res(c).get("capacity_providers");
            let separate = b
                .cluster_strategies
                .get(&c)
                .and_then(|&a| b.ix.res(a).get("capacity_providers"));
            [own, separate]
        })
        .flatten();
    for list in lists {
        match list.as_list() {
            Some(items) => {
                for item in items {
                    match provider_of(b, input, Some(item)) {
                        Provider::Found(p) => {
                            out.insert(p);
                        }
                        Provider::Fargate => {}
                        Provider::Missing(n) => {
                            unknown.get_or_insert(format!(
                                "the capacity provider {n} is not in the input"
                            ));
                        }
                        Provider::Undecided(why) => {
                            unknown.get_or_insert(why);
                        }
                    }
                }
            }
            None if list.is_null() || list.is_not_configured() => {}
            None => {
                unknown.get_or_insert(format!(
                    "the capacity providers of the cluster are not known before apply ({})",
                    list.undecided_reason().unwrap_or_default()
                ));
            }
        }
    }
    if let Some(name) = name {
        for &p in b.ix.of_type(false, "aws_ecs_capacity_provider") {
            let x = b.ix.res(p);
            if x.input == input && x.get("cluster").and_then(Value::as_str) == Some(name) {
                out.insert(p);
            }
        }
    }
    (out, unknown)
}

/// The instances of a capacity provider (model index).
fn provider_group(b: &mut Builder<'_>, p: usize) -> Result<HostGroup, String> {
    let r = b.ix.res(p);
    if r.get("managed_instances_provider")
        .and_then(first_block)
        .is_some_and(|v| !v.is_null())
    {
        return Ok(managed_group(b, p));
    }
    let Some(arn) = r
        .values
        .path(&["auto_scaling_group_provider", "auto_scaling_group_arn"])
    else {
        return Err(format!("{} names no Auto Scaling group", r.address));
    };
    let want = |x: &Resource| x.rtype() == "aws_autoscaling_group";
    let found = b.ix.find(r.input, arn, &want);
    match found.resources.first() {
        Some(&g) => Ok(asg_group(b, g)),
        None => Err(format!(
            "the Auto Scaling group of {} is not in the input",
            r.address
        )),
    }
}

/// Whether a capacity provider (model index) is of the managed-instances kind.
pub(super) fn is_managed(b: &Builder<'_>, p: usize) -> bool {
    b.ix.res(p)
        .get("managed_instances_provider")
        .and_then(first_block)
        .is_some_and(|v| !v.is_null())
}

/// The container instances the tasks of `r` run on. `strategy`: the capacity provider strategy
/// that places them (the service's, else the cluster's default), or `None` for the EC2 launch
/// type (any instance registered to the cluster). `managed`: the tasks run on ECS Managed
/// Instances (else on EC2 container instances): of the cluster's providers, only that kind can
/// take them.
pub(super) fn ecs_hosts(
    b: &mut Builder<'_>,
    r: &Resource,
    cluster_value: Option<&Value>,
    strategy: Option<&Value>,
    managed: bool,
) -> Found {
    let (cluster, name) = cluster_of(b, r, cluster_value);
    let label = match (&name, cluster) {
        (Ok(n), _) => format!("cluster {n}"),
        (Err(_), Some(c)) => b.ix.res(c).address.clone(),
        (Err(_), None) => format!("the cluster of {}", r.address),
    };
    let not_in_input = format!("the container instances of {label} are not in the input");
    let mut providers: BTreeSet<usize> = BTreeSet::new();
    let mut unknown: Option<String> = None;
    let mut all_of_cluster = strategy.is_none();
    let items = strategy.and_then(Value::as_list).unwrap_or_default();
    for item in items {
        match provider_of(b, r.input, item.get("capacity_provider")) {
            Provider::Found(p) => {
                providers.insert(p);
            }
            Provider::Fargate => {}
            Provider::Missing(n) => {
                unknown.get_or_insert(format!(
                    "the capacity provider {n} is not in the input: {not_in_input}"
                ));
            }
            // The strategy may name only providers of the cluster: any of them.
            Provider::Undecided(_) => all_of_cluster = true,
        }
    }
    if all_of_cluster {
        let (mut of_cluster, gap) =
            cluster_providers(b, r.input, cluster, name.as_ref().ok().map(String::as_str));
        of_cluster.retain(|&p| is_managed(b, p) == managed);
        if strategy.is_some() && of_cluster.is_empty() {
            unknown.get_or_insert(match gap {
                Some(g) => format!("{not_in_input} ({g})"),
                None => not_in_input.clone(),
            });
        } else if let Some(g) = gap {
            unknown.get_or_insert(format!("{g}: {not_in_input}"));
        }
        providers.extend(of_cluster);
    }
    let mut groups = Vec::new();
    let mut seen_asgs = BTreeSet::new();
    for p in providers {
        match provider_group(b, p) {
            Ok(g) => {
                if let Some(i) = g.node.resource {
                    seen_asgs.insert(i);
                }
                groups.push(g);
            }
            Err(why) => {
                unknown.get_or_insert(why);
            }
        }
    }
    // The EC2 launch type places tasks on any instance registered to the cluster: those whose
    // user data joins it too.
    if strategy.is_none() {
        match &name {
            Ok(n) => {
                let members = b
                    .cluster_members
                    .get(&(r.input, n.clone()))
                    .cloned()
                    .unwrap_or_default();
                for m in members {
                    if !seen_asgs.insert(m) {
                        continue;
                    }
                    let g = if b.ix.res(m).rtype() == "aws_instance" {
                        instance_group(b, m)
                    } else {
                        asg_group(b, m)
                    };
                    groups.push(g);
                }
                if groups.is_empty() {
                    let undecided = b
                        .undecided_members
                        .iter()
                        .find(|(input, _, _)| *input == r.input)
                        .map(|(_, _, why)| why.clone());
                    if let Some(why) = undecided {
                        unknown.get_or_insert(format!("{not_in_input} ({why})"));
                    }
                }
            }
            // The cluster's name is known only after apply (`random_pet`), so the user data
            // that joins it cannot be matched by name; but the capacity providers associated
            // with the cluster by reference (taken above: with no strategy, all of the
            // cluster's) are its Auto Scaling groups, whose instances join it (row 70's helper
            // audit). Other instances whose user data is not read may join it too.
            Err(why) => {
                let undecided = b
                    .undecided_members
                    .iter()
                    .any(|(input, m, _)| *input == r.input && !seen_asgs.contains(m));
                if groups.is_empty() || undecided {
                    unknown.get_or_insert(format!("{not_in_input}: {why}"));
                }
            }
        }
    }
    if groups.is_empty() {
        unknown.get_or_insert(not_in_input);
    }
    Found { groups, unknown }
}

/// The network of the instances found, as the workload's: the union of their subnets; their
/// security groups when every group of instances has the same (else unknown: a task may land
/// on either); their public IP and role when they agree.
pub(super) fn merge(b: &Builder<'_>, found: Found) -> Merged {
    let Found { groups, unknown } = found;
    let mut subnets = BTreeSet::new();
    let mut subnets_unknown = unknown.clone();
    for g in &groups {
        subnets.extend(g.subnets.iter().copied());
        if subnets_unknown.is_none() {
            subnets_unknown.clone_from(&g.subnets_unknown);
        }
    }
    let nodes: Vec<Node> = groups.iter().map(|g| g.node.clone()).collect();
    let names = || {
        nodes
            .iter()
            .map(Node::name)
            .collect::<Vec<_>>()
            .join(" or ")
    };
    // Security groups: one set for all the instances, or unknown.
    let sets: BTreeSet<(Vec<SgIdx>, bool)> = groups
        .iter()
        .map(|g| (g.groups.clone(), g.default_sg))
        .collect();
    let groups_gap = groups.iter().find_map(|g| g.groups_unknown.clone());
    let (sgs, groups_unknown, default_sg) = match (unknown.clone().or(groups_gap), sets.len()) {
        (Some(why), _) => (
            groups.first().map(|g| g.groups.clone()).unwrap_or_default(),
            Some(why),
            false,
        ),
        (None, 1) => {
            let (g, d) = sets.into_iter().next().unwrap_or_default();
            (g, None, d)
        }
        (None, _) => (
            Vec::new(),
            Some(format!(
                "the tasks may run on the instances of {}, whose security groups differ",
                names()
            )),
            false,
        ),
    };
    // With hosts missing, keep no group: a rule of a known group must not pass for them.
    let sgs = if groups_unknown.is_some() && unknown.is_some() {
        Vec::new()
    } else {
        sgs
    };
    // A public IP: set on the launch, else the subnets' `map_public_ip_on_launch`.
    let mut ips: BTreeMap<Option<bool>, String> = BTreeMap::new();
    for g in &groups {
        match &g.public_ip {
            Some(Fact::Known(v)) => {
                ips.entry(Some(*v)).or_default();
            }
            Some(Fact::Unknown(why)) => {
                ips.entry(None).or_insert_with(|| why.clone());
            }
            None => {
                for &s in &g.subnets {
                    match &b.net.subnets[s].map_public_ip {
                        Fact::Known(v) => {
                            ips.entry(Some(*v)).or_default();
                        }
                        Fact::Unknown(why) => {
                            ips.entry(None).or_insert_with(|| why.clone());
                        }
                    }
                }
            }
        }
    }
    let public_ip = match (&unknown, ips.len(), ips.iter().next()) {
        (Some(why), _, _) => Fact::Unknown(why.clone()),
        (None, 1, Some((Some(v), _))) => Fact::Known(*v),
        (None, 1, Some((None, why))) => Fact::Unknown(format!(
            "whether the instances of {} get a public IP is not known ({why})",
            names()
        )),
        _ => Fact::Unknown(format!(
            "whether the instances of {} get a public IP is not known",
            names()
        )),
    };
    let roles: Vec<&Option<Fact<RoleRef>>> = groups.iter().map(|g| &g.role).collect();
    let role = match (&unknown, roles.as_slice()) {
        (Some(why), _) => Some(Fact::Unknown(why.clone())),
        (None, [first, rest @ ..]) if rest.iter().all(|r| r == first) => (*first).clone(),
        _ => Some(Fact::Unknown(format!(
            "the instances of {} have different instance roles",
            names()
        ))),
    };
    // Every group says the same (whatever the reasons), and no host is missing.
    let said: BTreeSet<Option<bool>> = groups
        .iter()
        .map(|g| g.awslogs_override.as_ref().map(|a| a.on))
        .collect();
    let awslogs_override = match (&unknown, said.len()) {
        (None, 1) => groups.first().and_then(|g| g.awslogs_override.clone()),
        _ => None,
    };
    Merged {
        nodes,
        unknown,
        awslogs_override,
        subnets: subnets.into_iter().collect(),
        subnets_unknown,
        groups: sgs,
        groups_unknown,
        default_sg,
        public_ip,
        role,
    }
}
