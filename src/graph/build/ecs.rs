//! ECS workloads: services (`aws_ecs_service`) and scheduled tasks (EventBridge targets and
//! EventBridge Scheduler schedules), with their platform, network and task definition.

use std::collections::{BTreeSet, HashMap};

use super::builder::{found_reason, text, Builder};
use super::container::containers_of;
use super::registry::node_of;
use super::workload::{awsvpc_network, first_block, is_legacy_fargate, push, role_ref};
use crate::graph::{Container, Fact, Node, Platform, RoleRef, Workload, WorkloadKind};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    (
        "aws_ecs_service",
        &[
            "launch_type",
            "capacity_provider_strategy",
            "platform_version",
            "network_configuration",
            "task_definition",
            "cluster",
        ],
    ),
    ("aws_ecs_cluster", &["default_capacity_provider_strategy"]),
    (
        "aws_ecs_cluster_capacity_providers",
        &["cluster_name", "default_capacity_provider_strategy"],
    ),
    (
        "aws_ecs_task_definition",
        &[
            "container_definitions",
            "execution_role_arn",
            "runtime_platform",
            "family",
        ],
    ),
];

pub(super) fn ecs_service(b: &mut Builder<'_>, r: &Resource, i: usize) {
    let launch = text(r, "launch_type");
    if launch.as_deref() == Some("EXTERNAL") {
        // ECS Anywhere: runs outside any VPC.
        return;
    }
    let platform = ecs_platform(
        b,
        r,
        launch.as_deref(),
        r.get("capacity_provider_strategy"),
        r.get("platform_version"),
    );
    let net = r.get("network_configuration").and_then(first_block);
    let task_def = r.get("task_definition");
    push_ecs(b, r, i, platform, net, task_def, false);
}

pub(super) fn ecs_task(
    b: &mut Builder<'_>,
    r: &Resource,
    i: usize,
    target: &Value,
    td_key: &str,
    scheduler: bool,
) {
    let launch = target
        .get("launch_type")
        .and_then(Value::as_text)
        .filter(|s| !s.is_empty());
    if launch.as_deref() == Some("EXTERNAL") {
        return;
    }
    let platform = ecs_platform(
        b,
        r,
        launch.as_deref(),
        target.get("capacity_provider_strategy"),
        target.get("platform_version"),
    );
    let net = target.get("network_configuration").and_then(first_block);
    push_ecs(b, r, i, platform, net, target.get(td_key), scheduler);
}

/// The platform of an ECS service or task: launch type, else capacity provider strategy, else
/// the cluster's default strategy, else EC2 (ECS's default launch type).
fn ecs_platform(
    b: &Builder<'_>,
    r: &Resource,
    launch: Option<&str>,
    cps: Option<&Value>,
    version: Option<&Value>,
) -> (Fact<Platform>, Option<String>) {
    let version_text = version.and_then(Value::as_text).filter(|s| !s.is_empty());
    let fargate = |v: &Option<String>| match v.as_deref() {
        Some(v) if is_legacy_fargate(v) => Platform::FargateLegacy,
        _ => Platform::Fargate,
    };
    let platform = match launch {
        Some("FARGATE") => Fact::Known(fargate(&version_text)),
        Some("EC2") => Fact::Known(Platform::EcsEc2),
        Some(other) => Fact::Unknown(format!("{}: unknown launch type {other:?}", r.address)),
        None => match strategy_platform(b, r.input, cps) {
            Some(f) => f.map(|p| {
                if p == Platform::Fargate {
                    fargate(&version_text)
                } else {
                    p
                }
            }),
            None => match launch_of_unknown(r) {
                Some(why) => Fact::Unknown(why),
                None => Fact::Known(Platform::EcsEc2),
            },
        },
    };
    (platform, version_text)
}

/// The launch type is set but not known before apply.
fn launch_of_unknown(r: &Resource) -> Option<String> {
    let v = r.get("launch_type")?;
    (v.is_undecided() && !v.is_not_configured())
        .then(|| format!("{}.launch_type is not known before apply", r.address))
}

/// Platform from a capacity provider strategy; `None` when there is no strategy.
fn strategy_platform(b: &Builder<'_>, input: usize, cps: Option<&Value>) -> Option<Fact<Platform>> {
    let items = cps?.as_list()?;
    if items.is_empty() {
        return None;
    }
    let mut platforms = BTreeSet::new();
    for item in items {
        match item.get("capacity_provider") {
            Some(Value::String(p)) if p == "FARGATE" || p == "FARGATE_SPOT" => {
                platforms.insert(Platform::Fargate);
            }
            Some(Value::String(_)) => {
                platforms.insert(Platform::EcsEc2);
            }
            Some(v @ Value::Ref(_)) => {
                let want = |x: &Resource| x.rtype() == "aws_ecs_capacity_provider";
                if b.ix.find(input, v, &want).resources.is_empty() {
                    return Some(Fact::Unknown(
                        "a capacity provider is not known before apply".into(),
                    ));
                }
                platforms.insert(Platform::EcsEc2);
            }
            _ => {
                return Some(Fact::Unknown(
                    "a capacity provider is not known before apply".into(),
                ))
            }
        }
    }
    // EC2 capacity needs every endpoint Fargate needs and more: decide for the larger set.
    Some(Fact::Known(if platforms.contains(&Platform::EcsEc2) {
        Platform::EcsEc2
    } else {
        Platform::Fargate
    }))
}

fn push_ecs(
    b: &mut Builder<'_>,
    r: &Resource,
    i: usize,
    platform: (Fact<Platform>, Option<String>),
    net: Option<&Value>,
    task_def: Option<&Value>,
    scheduler: bool,
) {
    let (platform, platform_version) = platform;
    let platform = match (&platform, cluster_default(b, r)) {
        (Fact::Known(Platform::EcsEc2), Some(p))
            if text(r, "launch_type").is_none()
                && r.get("capacity_provider_strategy")
                    .and_then(Value::as_list)
                    .is_none_or(|l| l.is_empty()) =>
        {
            p
        }
        _ => platform,
    };
    let (subnets, subnets_unknown, sgs, sgs_unknown, default_sg, public_ip) = match net {
        Some(n) => {
            let net = awsvpc_network(b, r, n);
            let public_ip = match n.get("assign_public_ip") {
                None | Some(Value::Null) => Fact::Known(false),
                Some(v) if v.is_not_configured() => Fact::Known(false),
                Some(v) => match v.as_text().as_deref() {
                    Some("true" | "ENABLED") => Fact::Known(true),
                    Some("false" | "DISABLED") => Fact::Known(false),
                    _ => Fact::Unknown(format!(
                        "{}: assign_public_ip is not known before apply",
                        r.address
                    )),
                },
            };
            (
                net.subnets,
                net.subnets_unknown,
                net.groups,
                net.groups_unknown,
                net.default_sg,
                public_ip,
            )
        }
        None => {
            let why = format!(
                "{} has no awsvpc network configuration: its tasks use the network of the container instances, which the input does not tie to it",
                r.address
            );
            (
                Vec::new(),
                Some(why.clone()),
                Vec::new(),
                Some(why),
                false,
                Fact::Unknown("no network configuration".into()),
            )
        }
    };
    let _ = scheduler;
    let (definition, containers, containers_unknown, role, windows) =
        task_definition(b, r, task_def);
    let execution_role = role.clone();
    let pull_role = match platform.known() {
        Some(p) if p.is_fargate() => role,
        Some(_) => Some(Fact::Unknown(format!(
            "{} runs on EC2: images are pulled with the container instance role, which the input does not tie to the service",
            r.address
        ))),
        None => role,
    };
    let workload = Workload {
        node: node_of(r, i),
        kind: if r.rtype() == "aws_ecs_service" {
            WorkloadKind::EcsService
        } else {
            WorkloadKind::ScheduledTask
        },
        platform,
        platform_version,
        windows,
        vpc: Fact::Unknown(String::new()),
        subnets,
        subnets_unknown,
        security_groups: sgs,
        security_groups_unknown: sgs_unknown,
        uses_default_security_group: default_sg,
        public_ip,
        containers,
        containers_unknown,
        definition,
        pull_role,
        execution_role,
    };
    push(b, workload);
}

/// The cluster's default capacity provider strategy, when a service sets neither launch type
/// nor strategy.
fn cluster_default(b: &Builder<'_>, r: &Resource) -> Option<Fact<Platform>> {
    let cluster = r.get("cluster")?;
    let want = |x: &Resource| x.rtype() == "aws_ecs_cluster";
    let found = b.ix.find(r.input, cluster, &want);
    let &c = found.resources.first()?;
    let cr = b.ix.res(c);
    // `aws_ecs_cluster_capacity_providers` (current) or the cluster's own attribute (old).
    let strategy = b
        .cluster_strategies
        .get(&c)
        .and_then(|&a| b.ix.res(a).get("default_capacity_provider_strategy"))
        .or_else(|| cr.get("default_capacity_provider_strategy"));
    strategy_platform(b, r.input, strategy)
}

/// Each cluster's `aws_ecs_cluster_capacity_providers`, found once (by reference or by name).
pub(super) fn cluster_strategies(b: &Builder<'_>) -> HashMap<usize, usize> {
    let want = |x: &Resource| x.rtype() == "aws_ecs_cluster";
    let mut by_name: HashMap<(usize, &str), usize> = HashMap::new();
    for &c in b.ix.of_type(false, "aws_ecs_cluster") {
        let cr = b.ix.res(c);
        if let Some(n) = cr.get("name").and_then(Value::as_str) {
            by_name.insert((cr.input, n), c);
        }
    }
    let mut out = HashMap::new();
    for &a in b.ix.of_type(false, "aws_ecs_cluster_capacity_providers") {
        let x = b.ix.res(a);
        let Some(v) = x.get("cluster_name") else {
            continue;
        };
        if let Some(&c) = v.as_str().and_then(|n| by_name.get(&(x.input, n))) {
            out.insert(c, a);
            continue;
        }
        let found = b.ix.find(x.input, v, &want);
        for c in found
            .resources
            .iter()
            .copied()
            .chain(found.others.iter().map(|(o, _)| *o))
        {
            if want(b.ix.res(c)) {
                out.insert(c, a);
            }
        }
    }
    out
}

type TaskDefinitionParts = (
    Option<Node>,
    Vec<Container>,
    Option<String>,
    Option<Fact<RoleRef>>,
    bool,
);

/// Containers, execution role and OS of the task definition a service or task runs.
fn task_definition(b: &Builder<'_>, r: &Resource, v: Option<&Value>) -> TaskDefinitionParts {
    let Some(v) = v else {
        return (
            None,
            Vec::new(),
            Some(format!("{} names no task definition", r.address)),
            None,
            false,
        );
    };
    let want = |x: &Resource| x.rtype() == "aws_ecs_task_definition";
    let found = b.ix.find(r.input, v, &want);
    let mut td = found.resources.first().copied();
    if td.is_none() {
        // `family` or `family:revision` as text.
        for l in found.literals.iter().chain(found.ids.iter()) {
            let family = l
                .rsplit('/')
                .next()
                .unwrap_or(l)
                .split(':')
                .next()
                .unwrap_or(l);
            td = b.model().resources.iter().position(|x| {
                want(x)
                    && x.input == r.input
                    && x.get("family").and_then(Value::as_str) == Some(family)
            });
            if td.is_some() {
                break;
            }
        }
    }
    let Some(td) = td else {
        let why = if found.gaps.is_empty() {
            format!("the task definition of {} is not in the input", r.address)
        } else {
            found_reason(r, "task_definition", &found)
        };
        return (
            None,
            Vec::new(),
            Some(why.clone()),
            Some(Fact::Unknown(why)),
            false,
        );
    };
    let t = b.ix.res(td);
    let node = node_of(t, td);
    let windows = t
        .values
        .path(&["runtime_platform", "operating_system_family"])
        .and_then(Value::as_str)
        .is_some_and(|os| os.starts_with("WINDOWS"));
    let (containers, unknown) = match b.containers.get(&td) {
        Some(read) => read.clone(),
        None => containers_of(b, t, t.get("container_definitions"), false),
    };
    let role = match t.get("execution_role_arn") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(v) if v.is_not_configured() => None,
        Some(v) => Some(role_ref(b, t, v)),
    };
    (Some(node), containers, unknown, role, windows)
}
