//! ECS workloads: services (`aws_ecs_service`) and scheduled tasks (EventBridge targets and
//! EventBridge Scheduler schedules), with their platform, network and task definition.

use crate::hash::FastMap;
use std::collections::BTreeSet;

use super::builder::{found_reason, text, Builder};
use super::container::containers_of;
use super::hosts;
use super::registry::node_of;
use super::workload::{awsvpc_network, first_block, is_legacy_fargate, push, role_ref};
use crate::graph::{Container, Fact, Hosts, Node, Platform, RoleRef, Workload, WorkloadKind};
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
            "service_connect_configuration",
            "deployment_controller",
        ],
    ),
    // The task sets of a service whose deployment controller is EXTERNAL: each says how its
    // tasks are placed, as a service does.
    (
        "aws_ecs_task_set",
        &[
            "service",
            "cluster",
            "launch_type",
            "capacity_provider_strategy",
            "platform_version",
            "network_configuration",
            "task_definition",
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
            "requires_compatibilities",
        ],
    ),
];

/// How the tasks of a service or scheduled task are placed: what the resource says of its
/// launch type, capacity provider strategy, platform version and cluster.
struct Placement<'v> {
    launch: Option<String>,
    strategy: Option<&'v Value>,
    version: Option<&'v Value>,
    cluster: Option<&'v Value>,
    /// Why the tasks are placed by what the input does not hold: a service whose deployment
    /// controller is `EXTERNAL` and no task set of the input runs its tasks.
    elsewhere: Option<String>,
}

/// An ECS service, or an `aws_ecs_task_set` (the tasks of a service whose deployment controller
/// is `EXTERNAL`: launch type, network and task definition are the task set's, not the
/// service's). A service with an external controller is no workload of its own when task sets
/// of the input run its tasks, and a workload placed outside the input when none does.
pub(super) fn ecs_service(b: &mut Builder<'_>, r: &Resource, i: usize) {
    let mut elsewhere = None;
    if r.rtype() == "aws_ecs_service" && external_controller(r) {
        if has_task_sets(b, r, i) {
            return;
        }
        elsewhere = Some(format!(
            "{} has an EXTERNAL deployment controller: its tasks run in task sets (launch type, network and task definition), and no aws_ecs_task_set of the input is one of its",
            r.address
        ));
    }
    let placement = Placement {
        launch: text(r, "launch_type"),
        strategy: r.get("capacity_provider_strategy"),
        version: r.get("platform_version"),
        cluster: r.get("cluster"),
        elsewhere,
    };
    let net = r.get("network_configuration").and_then(first_block);
    let task_def = r.get("task_definition");
    push_ecs(b, r, i, placement, net, task_def);
}

/// Whether a service's `deployment_controller` is `EXTERNAL`.
fn external_controller(r: &Resource) -> bool {
    r.get("deployment_controller")
        .and_then(first_block)
        .and_then(|d| d.get("type"))
        .and_then(Value::as_str)
        == Some("EXTERNAL")
}

/// Whether an `aws_ecs_task_set` of the input belongs to service `i` (its `service` names it).
fn has_task_sets(b: &Builder<'_>, r: &Resource, i: usize) -> bool {
    let want = |x: &Resource| x.rtype() == "aws_ecs_service";
    b.ix.of_type(false, "aws_ecs_task_set").iter().any(|&t| {
        let ts = b.ix.res(t);
        ts.input == r.input
            && ts
                .get("service")
                .is_some_and(|v| b.ix.find(ts.input, v, &want).resources.contains(&i))
    })
}

pub(super) fn ecs_task(
    b: &mut Builder<'_>,
    r: &Resource,
    i: usize,
    target: &Value,
    scheduler: bool,
) {
    // The target's `arn` is the cluster's: the rule target's own, the schedule target's.
    let cluster = if scheduler {
        r.values.path(&["target", "arn"])
    } else {
        r.get("arn")
    };
    ecs_task_with(b, r, i, cluster, target);
}

/// A task that `r` starts in `cluster`, as an EventBridge `ecs_target` describes it
/// (`launch_type`, `capacity_provider_strategy`, `platform_version`, `network_configuration`,
/// `task_definition_arn`).
pub(super) fn ecs_task_with(
    b: &mut Builder<'_>,
    r: &Resource,
    i: usize,
    cluster: Option<&Value>,
    target: &Value,
) {
    let placement = Placement {
        launch: target
            .get("launch_type")
            .and_then(Value::as_text)
            .filter(|s| !s.is_empty()),
        strategy: target.get("capacity_provider_strategy"),
        version: target.get("platform_version"),
        cluster,
        elsewhere: None,
    };
    let net = target.get("network_configuration").and_then(first_block);
    push_ecs(b, r, i, placement, net, target.get("task_definition_arn"));
}

/// A strategy given as a non-empty list.
fn strategy(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| v.as_list().is_some_and(|l| !l.is_empty()))
}

/// The platform of an ECS service or task: launch type, else capacity provider strategy, else
/// the cluster's default strategy, else EC2 (ECS's default launch type). Where a capacity
/// provider is not known before apply, the task definition's `requires_compatibilities` decides
/// when it names one platform (a task definition runs only where it is compatible).
fn ecs_platform(
    b: &Builder<'_>,
    r: &Resource,
    p: &Placement<'_>,
    default: Option<&Value>,
    compat: &[String],
) -> (Fact<Platform>, Option<String>) {
    let version_text = p.version.and_then(Value::as_text).filter(|s| !s.is_empty());
    let fargate = |v: &Option<String>| match v.as_deref() {
        Some(v) if is_legacy_fargate(v) => Platform::FargateLegacy,
        _ => Platform::Fargate,
    };
    let platform = match p.launch.as_deref() {
        Some("FARGATE") => Fact::Known(fargate(&version_text)),
        Some("EC2") => Fact::Known(Platform::EcsEc2),
        Some("MANAGED_INSTANCES") => Fact::Known(Platform::EcsManagedInstances),
        Some(other) => Fact::Unknown(format!("{}: unknown launch type {other:?}", r.address)),
        None => match strategy_platform(b, r.input, strategy(p.strategy).or(default)) {
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
    let platform = match (platform, compat) {
        (Fact::Unknown(_), [one]) if one == "FARGATE" => Fact::Known(fargate(&version_text)),
        (Fact::Unknown(_), [one]) if one == "EC2" => Fact::Known(Platform::EcsEc2),
        (Fact::Unknown(_), [one]) if one == "MANAGED_INSTANCES" => {
            Fact::Known(Platform::EcsManagedInstances)
        }
        (p, _) => p,
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
    let want = |x: &Resource| x.rtype() == "aws_ecs_capacity_provider";
    let kind = |p: usize| {
        if hosts::is_managed(b, p) {
            Platform::EcsManagedInstances
        } else {
            Platform::EcsEc2
        }
    };
    let mut platforms = BTreeSet::new();
    for item in items {
        match item.get("capacity_provider") {
            Some(Value::String(p)) if p == "FARGATE" || p == "FARGATE_SPOT" => {
                platforms.insert(Platform::Fargate);
            }
            Some(Value::String(p)) => {
                // A provider of the input by name; one the input does not define is taken for
                // EC2 capacity (Auto Scaling group or managed instances: the same endpoints).
                platforms.insert(match b.capacity_providers.get(&(input, p.clone())) {
                    Some(&i) => kind(i),
                    None => Platform::EcsEc2,
                });
            }
            Some(v @ Value::Ref(_)) => {
                let found = b.ix.find(input, v, &want);
                let Some(&i) = found.resources.first() else {
                    return Some(Fact::Unknown(
                        "a capacity provider is not known before apply".into(),
                    ));
                };
                platforms.insert(kind(i));
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
    } else if platforms.contains(&Platform::EcsManagedInstances) {
        Platform::EcsManagedInstances
    } else {
        Platform::Fargate
    }))
}

fn push_ecs(
    b: &mut Builder<'_>,
    r: &Resource,
    i: usize,
    placement: Placement<'_>,
    net: Option<&Value>,
    task_def: Option<&Value>,
) {
    let td = task_definition(b, r, task_def);
    // The cluster's default strategy applies when the service sets neither launch type nor
    // strategy.
    let default = (placement.launch.is_none() && strategy(placement.strategy).is_none())
        .then(|| cluster_default(b, r.input, placement.cluster))
        .flatten();
    let (platform, platform_version) = ecs_platform(b, r, &placement, default, &td.compat);
    let task = net.map(|n| {
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
        (net, public_ip)
    });
    let on_instances = platform.known().is_some_and(|p| p.on_instances());
    let mut workload = Workload {
        node: node_of(b.ix.model, r, i),
        kind: if matches!(r.rtype(), "aws_ecs_service" | "aws_ecs_task_set") {
            WorkloadKind::EcsService
        } else {
            WorkloadKind::ScheduledTask
        },
        platform: platform.clone(),
        platform_version,
        windows: td.windows,
        vpc: Fact::Unknown(String::new()),
        subnets: Vec::new(),
        subnets_unknown: None,
        security_groups: Vec::new(),
        security_groups_unknown: None,
        uses_default_security_group: false,
        public_ip: Fact::Unknown("no network configuration".into()),
        hosts: None,
        task_subnets: Vec::new(),
        task_security_groups: Vec::new(),
        containers: td.containers,
        containers_unknown: td.containers_unknown,
        log_only: Vec::new(),
        definition: td.node,
        pull_role: None,
        instance_role: None,
        execution_role: td.role.clone(),
        awslogs_override: None,
    };
    if r.rtype() == "aws_ecs_service" {
        workload
            .log_only
            .extend(super::container::service_connect_proxy(b, r));
    }
    let anywhere = (placement.launch.as_deref() == Some("EXTERNAL")).then(|| {
        format!(
            "{} runs on external instances (ECS Anywhere, launch type EXTERNAL): they are outside any VPC, on a network the input does not describe",
            r.address
        )
    });
    if let Some(why) = placement.elsewhere.or(anywhere) {
        workload.platform = Fact::Unknown(why.clone());
        workload.public_ip = Fact::Unknown(why.clone());
        workload.subnets_unknown = Some(why.clone());
        workload.security_groups_unknown = Some(why);
        workload.pull_role = td.role;
        push(b, workload);
        return;
    }
    if on_instances {
        // The container instances pull, over their own network (DOMAIN.md §2); the task's
        // awsvpc network carries its application traffic only.
        let strategy = match placement.launch.as_deref() {
            Some(_) => None,
            None => strategy(placement.strategy).or(default),
        };
        let managed = platform.known() == Some(&Platform::EcsManagedInstances);
        let found = hosts::ecs_hosts(b, r, placement.cluster, strategy, managed);
        let m = hosts::merge(b, found);
        workload.hosts = Some(Hosts {
            nodes: m.nodes,
            unknown: m.unknown,
        });
        workload.awslogs_override = m.awslogs_override;
        workload.subnets = m.subnets;
        workload.subnets_unknown = m.subnets_unknown;
        workload.security_groups = m.groups;
        workload.security_groups_unknown = m.groups_unknown;
        workload.uses_default_security_group = m.default_sg;
        workload.public_ip = m.public_ip;
        if let Some((net, _)) = task {
            workload.task_subnets = net.subnets;
            workload.task_security_groups = net.groups;
        }
        workload.instance_role = m.role.clone();
        workload.pull_role = if managed { td.role } else { m.role };
    } else {
        match task {
            Some((net, public_ip)) => {
                workload.subnets = net.subnets;
                workload.subnets_unknown = net.subnets_unknown;
                workload.security_groups = net.groups;
                workload.security_groups_unknown = net.groups_unknown;
                workload.uses_default_security_group = net.default_sg;
                workload.public_ip = public_ip;
            }
            None => {
                let why = format!(
                    "{} has no awsvpc network configuration: its tasks use the network of the container instances, which the input does not tie to it",
                    r.address
                );
                workload.subnets_unknown = Some(why.clone());
                workload.security_groups_unknown = Some(why);
            }
        }
        workload.pull_role = td.role;
    }
    push(b, workload);
}

/// The cluster's default capacity provider strategy (`aws_ecs_cluster_capacity_providers`, or
/// the cluster's own attribute in old configurations).
fn cluster_default<'m>(
    b: &Builder<'m>,
    input: usize,
    cluster: Option<&Value>,
) -> Option<&'m Value> {
    let want = |x: &Resource| x.rtype() == "aws_ecs_cluster";
    let found = b.ix.find(input, cluster?, &want);
    let &c = found.resources.first()?;
    let cr = b.ix.res(c);
    b.cluster_strategies
        .get(&c)
        .and_then(|&a| b.ix.res(a).get("default_capacity_provider_strategy"))
        .filter(|v| v.as_list().is_some_and(|l| !l.is_empty()))
        .or_else(|| cr.get("default_capacity_provider_strategy"))
        .filter(|v| v.as_list().is_some_and(|l| !l.is_empty()))
}

/// Each cluster's `aws_ecs_cluster_capacity_providers`, found once (by reference or by name).
pub(super) fn cluster_strategies(b: &Builder<'_>) -> FastMap<usize, usize> {
    let want = |x: &Resource| x.rtype() == "aws_ecs_cluster";
    let mut by_name: FastMap<(usize, &str), usize> = FastMap::default();
    for &c in b.ix.of_type(false, "aws_ecs_cluster") {
        let cr = b.ix.res(c);
        if let Some(n) = cr.get("name").and_then(Value::as_str) {
            by_name.insert((cr.input, n), c);
        }
    }
    let mut out = FastMap::default();
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
        let mut any = false;
        for c in found
            .resources
            .iter()
            .copied()
            .chain(found.others.iter().map(|(o, _)| *o))
        {
            if want(b.ix.res(c)) {
                out.insert(c, a);
                any = true;
            }
        }
        // `cluster_name = aws_ecs_cluster.x.name` where that name is known only after apply
        // (`name = random_pet.n.id`): the reader gives the name's own value, the same as the
        // cluster's (row 70).
        if !any && v.is_undecided() {
            for &c in b.ix.of_type(false, "aws_ecs_cluster") {
                let cr = b.ix.res(c);
                if cr.input == x.input && cr.get("name") == Some(v) {
                    out.insert(c, a);
                }
            }
        }
    }
    out
}

/// The task definition a string known only in part names: `"${X.family}:${X.revision}"` (the
/// revision, and maybe the family, known only after apply) begins with the family, or with the
/// value of one of the task definition's attributes (`family`, `arn_without_revision`, `arn`).
/// Either way it is that task definition, whatever the revision: ECS runs the family's latest
/// ACTIVE revision for a family alone.
fn named_in_template(
    b: &Builder<'_>,
    r: &Resource,
    v: &Value,
    by_family: &dyn Fn(&str) -> Option<usize>,
) -> Option<usize> {
    let Value::Unknown(u) = v else {
        return None;
    };
    if let Some(t) = &u.starts_with {
        let model = b.model();
        let i = model.lookup_index(r.input, &t.address)?;
        let x = &model.resources[i];
        let names = matches!(
            t.attr.as_deref(),
            Some("family" | "arn" | "arn_without_revision" | "id")
        );
        return (x.rtype() == "aws_ecs_task_definition" && names).then_some(i);
    }
    // The text before the unknown part: the family is whole once a `:` follows it (an ARN's
    // family follows its last `/`).
    let prefix = u.prefix.as_deref()?;
    let name = match prefix.strip_prefix("arn:") {
        Some(arn) => arn.rsplit_once('/')?.1,
        None if prefix.contains('/') => return None,
        None => prefix,
    };
    let (family, _) = name.split_once(':')?;
    by_family(family)
}

/// What a service or task takes from its task definition.
struct TaskDefinitionParts {
    node: Option<Node>,
    containers: Vec<Container>,
    containers_unknown: Option<String>,
    /// The execution role.
    role: Option<Fact<RoleRef>>,
    windows: bool,
    /// `requires_compatibilities`: `EC2`, `FARGATE`, `MANAGED_INSTANCES`, `EXTERNAL`.
    compat: Vec<String>,
}

/// Containers, execution role, OS and compatibilities of the task definition a service or task
/// runs.
fn task_definition(b: &Builder<'_>, r: &Resource, v: Option<&Value>) -> TaskDefinitionParts {
    let Some(v) = v else {
        return TaskDefinitionParts {
            node: None,
            containers: Vec::new(),
            containers_unknown: Some(format!("{} names no task definition", r.address)),
            role: None,
            windows: false,
            compat: Vec::new(),
        };
    };
    let want = |x: &Resource| x.rtype() == "aws_ecs_task_definition";
    let found = b.ix.find(r.input, v, &want);
    let mut td = found.resources.first().copied();
    let by_family = |family: &str| {
        b.model().resources.iter().position(|x| {
            want(x) && x.input == r.input && x.get("family").and_then(Value::as_str) == Some(family)
        })
    };
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
            td = by_family(family);
            if td.is_some() {
                break;
            }
        }
    }
    if td.is_none() {
        td = named_in_template(b, r, v, &by_family);
    }
    let Some(td) = td else {
        let why = if found.gaps.is_empty() {
            format!("the task definition of {} is not in the input", r.address)
        } else {
            found_reason(r, "task_definition", &found)
        };
        return TaskDefinitionParts {
            node: None,
            containers: Vec::new(),
            containers_unknown: Some(why.clone()),
            role: Some(Fact::Unknown(why)),
            windows: false,
            compat: Vec::new(),
        };
    };
    let t = b.ix.res(td);
    let node = node_of(b.ix.model, t, td);
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
    let compat = t
        .get("requires_compatibilities")
        .and_then(Value::as_list)
        .map(|l| l.iter().filter_map(Value::as_text).collect())
        .unwrap_or_default();
    TaskDefinitionParts {
        node: Some(node),
        containers,
        containers_unknown: unknown,
        role,
        windows,
        compat,
    }
}
