//! Workloads: ECS services, Batch compute environments, scheduled ECS tasks and `--workload`
//! declarations, with the containers they run and the role that pulls their images.

use std::collections::BTreeSet;

use super::build::{found_reason, node_of, string_map, text, Builder};
use super::*;
use crate::model::{Resource, Value};

pub(super) fn workloads(b: &mut Builder<'_>) {
    b.cluster_strategies = cluster_strategies(b);
    let model = b.model();
    let definitions: Vec<(usize, bool)> = model
        .resources
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r.rtype() {
            "aws_ecs_task_definition" => Some((i, false)),
            "aws_batch_job_definition" => Some((i, true)),
            _ => None,
        })
        .collect();
    let this = &*b;
    let read = crate::parallel::map(definitions.clone(), 256, &|(i, batch)| {
        let r = &model.resources[i];
        let attr = if batch {
            "container_properties"
        } else {
            "container_definitions"
        };
        containers_of(this, r, r.get(attr), batch)
    });
    b.containers = definitions.into_iter().map(|(i, _)| i).zip(read).collect();
    for (i, r) in model.resources.iter().enumerate() {
        if r.is_data() {
            continue;
        }
        match r.rtype() {
            "aws_ecs_service" => ecs_service(b, r, i),
            "aws_batch_compute_environment" => batch(b, r, i),
            "aws_cloudwatch_event_target" => {
                if let Some(t) = r.get("ecs_target").and_then(first_block) {
                    ecs_task(b, r, i, t, "task_definition_arn", false);
                }
            }
            "aws_scheduler_schedule" => {
                if let Some(t) = r
                    .values
                    .path(&["target", "ecs_parameters"])
                    .and_then(first_block)
                {
                    ecs_task(b, r, i, t, "task_definition_arn", true);
                }
            }
            _ => {}
        }
    }
}

/// A `--workload VPC=PLATFORM` declaration: runs in the VPC's subnets that have no internet
/// route (all subnets if every one has), with no public IP; its containers are not known.
pub(super) fn declare(b: &mut Builder<'_>, vpc: VpcIdx, platform: Platform) {
    let in_vpc: Vec<SubnetIdx> = (0..b.net.subnets.len())
        .filter(|&s| b.net.subnets[s].vpc.known() == Some(&vpc))
        .collect();
    let private: Vec<SubnetIdx> = in_vpc
        .iter()
        .copied()
        .filter(|&s| {
            !matches!(
                b.net.default_route(s),
                DefaultRoute::Nat(_) | DefaultRoute::NatInstance(_)
            )
        })
        .collect();
    let subnets = if private.is_empty() { in_vpc } else { private };
    let vpc_name = b.net.vpcs[vpc].node.name();
    let subnets_unknown = subnets
        .is_empty()
        .then(|| format!("the VPC {vpc_name} has no subnets in the input"));
    b.net.workloads.push(Workload {
        node: Node {
            address: Some(format!("--workload {vpc_name}={}", platform.as_str())),
            ..Node::default()
        },
        kind: WorkloadKind::Declared,
        platform: Fact::Known(platform),
        platform_version: None,
        windows: false,
        vpc: Fact::Known(vpc),
        subnets,
        subnets_unknown,
        security_groups: Vec::new(),
        security_groups_unknown: Some(
            "the security groups of a workload declared with --workload are not known".into(),
        ),
        uses_default_security_group: false,
        public_ip: Fact::Known(false),
        containers: Vec::new(),
        containers_unknown: Some(
            "the containers of a workload declared with --workload are not known".into(),
        ),
        definition: None,
        pull_role: None,
    });
}

fn first_block(v: &Value) -> Option<&Value> {
    match v {
        Value::List(items) => items.first(),
        Value::Object(_) => Some(v),
        _ => None,
    }
}

fn ecs_service(b: &mut Builder<'_>, r: &Resource, i: usize) {
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

fn ecs_task(
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

/// Fargate platform versions 1.0.0 to 1.3.0 fetch images without ecr.api.
fn is_legacy_fargate(v: &str) -> bool {
    let mut parts = v.split('.').map(|p| p.parse::<u32>().ok());
    matches!((parts.next(), parts.next()), (Some(Some(1)), Some(Some(minor))) if minor <= 3)
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
            let (subnets, sg) = b.subnets_of(r, n.get("subnets"), "network_configuration.subnets");
            let (groups, gg) = b.sgs_of(
                r,
                n.get("security_groups"),
                "network_configuration.security_groups",
            );
            let default_sg = groups.is_empty() && gg.is_none();
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
            (subnets, sg, groups, gg, default_sg, public_ip)
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
pub(super) fn cluster_strategies(b: &Builder<'_>) -> std::collections::HashMap<usize, usize> {
    let want = |x: &Resource| x.rtype() == "aws_ecs_cluster";
    let mut by_name: std::collections::HashMap<(usize, &str), usize> =
        std::collections::HashMap::new();
    for &c in b.ix.of_type(false, "aws_ecs_cluster") {
        let cr = b.ix.res(c);
        if let Some(n) = cr.get("name").and_then(Value::as_str) {
            by_name.insert((cr.input, n), c);
        }
    }
    let mut out = std::collections::HashMap::new();
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

fn role_ref(b: &Builder<'_>, r: &Resource, v: &Value) -> Fact<RoleRef> {
    let roles = b.roles_of(r.input, v);
    if let [one] = roles.as_slice() {
        return Fact::Known(RoleRef::Role(*one));
    }
    if let Some(s) = v.as_str() {
        return Fact::Known(RoleRef::Arn(s.to_string()));
    }
    Fact::Unknown(format!(
        "the role {} refers to is not known before apply ({})",
        r.address,
        v.undecided_reason().unwrap_or_default()
    ))
}

/// Reads `container_definitions` (ECS) or `container_properties` (Batch): JSON text, or a
/// structured value from HCL (which may have unknown parts).
fn containers_of(
    b: &Builder<'_>,
    r: &Resource,
    v: Option<&Value>,
    batch: bool,
) -> (Vec<Container>, Option<String>) {
    let Some(v) = v else {
        return (
            Vec::new(),
            Some(format!(
                "{} has no container definitions in the input",
                r.address
            )),
        );
    };
    let structured = match v {
        Value::String(s) => match serde_json::from_str::<serde_json::Value>(s) {
            Ok(j) => Value::from(&j),
            Err(e) => {
                return (
                    Vec::new(),
                    Some(format!(
                        "{}: the container definitions are not valid JSON: {e}",
                        r.address
                    )),
                )
            }
        },
        Value::Ref(_) => match b.document_of(r.input, v, 0) {
            Ok((j, _)) => Value::from(&j),
            Err(_) => {
                return (
                    Vec::new(),
                    Some(format!(
                        "{}: the container definitions are not known before apply",
                        r.address
                    )),
                )
            }
        },
        Value::List(_) | Value::Object(_) => v.clone(),
        other => {
            return (
                Vec::new(),
                Some(format!(
                    "{}: the container definitions are not known before apply ({})",
                    r.address,
                    other.undecided_reason().unwrap_or_default()
                )),
            )
        }
    };
    let items: Vec<&Value> = match &structured {
        Value::List(items) => items.iter().collect(),
        Value::Object(_) => vec![&structured],
        _ => {
            return (
                Vec::new(),
                Some(format!(
                    "{}: the container definitions are not a list",
                    r.address
                )),
            )
        }
    };
    let mut out = Vec::new();
    for (n, c) in items.into_iter().enumerate() {
        let name = c.get("name").and_then(Value::as_text).unwrap_or_else(|| {
            if batch {
                // A Batch job definition has one container, without a name.
                format!("the container of {}", r.address)
            } else {
                format!("container {}", n + 1)
            }
        });
        let image = match c.get("image") {
            Some(Value::String(s)) => Fact::Known(s.clone()),
            Some(v) => Fact::Unknown(format!(
                "the image of {name} is not known before apply ({})",
                v.undecided_reason()
                    .unwrap_or_else(|| "not a string".into())
            )),
            None => Fact::Unknown(format!("{name} names no image")),
        };
        let image_ecr_repository = c
            .get("image")
            .and_then(|v| ecr_repository_of(b, r.input, v));
        let log = c.get("logConfiguration");
        let mut log_driver_default = false;
        let log_driver = match log.and_then(|l| l.get("logDriver")) {
            Some(Value::String(d)) => Fact::Known(Some(d.clone())),
            Some(v) if v.is_undecided() => Fact::Unknown(format!(
                "the log driver of {name} is not known before apply"
            )),
            // AWS Batch sends job output to CloudWatch Logs with awslogs unless told otherwise.
            _ if batch => {
                log_driver_default = true;
                Fact::Known(Some("awslogs".to_string()))
            }
            _ => Fact::Known(None),
        };
        let log_options = string_map(log.and_then(|l| l.get("options")));
        let mut secrets = Vec::new();
        let mut secrets_unknown = None;
        match c.get("secrets") {
            Some(Value::List(items)) => {
                for s in items {
                    match s.get("valueFrom") {
                        Some(Value::String(v)) => secrets.push(v.clone()),
                        _ => {
                            secrets_unknown.get_or_insert(format!(
                                "a secret of {name} is not known before apply"
                            ));
                        }
                    }
                }
            }
            Some(v) if v.is_undecided() => {
                secrets_unknown = Some(format!("the secrets of {name} are not known before apply"))
            }
            _ => {}
        }
        match c.path(&["repositoryCredentials", "credentialsParameter"]) {
            Some(Value::String(v)) => secrets.push(v.clone()),
            Some(v) if v.is_undecided() => {
                secrets_unknown = Some(format!(
                    "the repository credentials of {name} are not known before apply"
                ))
            }
            _ => {}
        }
        out.push(Container {
            name,
            image,
            image_ecr_repository,
            log_driver,
            log_options,
            secrets,
            secrets_unknown,
            log_driver_default,
        });
    }
    (out, None)
}

/// The private ECR repository of the input whose URL an image not known before apply is
/// (`aws_ecr_repository.app.repository_url`) or begins with (`"${...repository_url}:v1"`).
fn ecr_repository_of(b: &Builder<'_>, input: usize, v: &Value) -> Option<String> {
    let target = match v {
        Value::Ref(rf) if rf.complete => match rf.targets.as_slice() {
            [one] => one,
            _ => return None,
        },
        Value::Unknown(u) => u.starts_with.as_ref()?,
        _ => return None,
    };
    if target.attr.as_deref() != Some("repository_url") {
        return None;
    }
    let model = b.model();
    let repo = &model.resources[model.lookup_index(input, &target.address)?];
    (repo.rtype() == "aws_ecr_repository").then(|| repo.address.clone())
}

fn batch(b: &mut Builder<'_>, r: &Resource, i: usize) {
    let cr = r.get("compute_resources").and_then(first_block);
    let platform = match cr
        .and_then(|c| c.get("type"))
        .and_then(Value::as_text)
        .as_deref()
    {
        Some("FARGATE" | "FARGATE_SPOT") => Fact::Known(Platform::BatchFargate),
        Some("EC2" | "SPOT") => Fact::Known(Platform::BatchEc2),
        Some(other) => Fact::Unknown(format!("{}: unknown compute type {other:?}", r.address)),
        None => Fact::Unknown(format!(
            "{} has no compute_resources (an unmanaged environment)",
            r.address
        )),
    };
    let (subnets, subnets_unknown) = match cr {
        Some(c) => b.subnets_of(r, c.get("subnets"), "compute_resources.subnets"),
        None => (
            Vec::new(),
            Some(format!(
                "{} has no compute_resources: its instances are not in the input",
                r.address
            )),
        ),
    };
    let (sgs, sgs_unknown) = match cr {
        Some(c) => b.sgs_of(
            r,
            c.get("security_group_ids"),
            "compute_resources.security_group_ids",
        ),
        None => (Vec::new(), None),
    };
    let fargate = platform.known().is_some_and(|p| p.is_fargate());
    // Job definitions are not tied to compute environments in Terraform (jobs are submitted
    // at run time): take every job definition of the input that can run on this platform.
    let model = b.model();
    let mut containers = Vec::new();
    let mut unknown = None;
    let mut definition = None;
    let mut roles: Vec<Fact<RoleRef>> = Vec::new();
    let mut public: BTreeSet<bool> = BTreeSet::new();
    let mut version = None;
    for &j in b.ix.of_type(false, "aws_batch_job_definition") {
        let jd = &model.resources[j];
        if jd.input != r.input {
            continue;
        }
        let caps: Vec<String> = jd
            .get("platform_capabilities")
            .and_then(Value::as_list)
            .map(|l| l.iter().filter_map(Value::as_text).collect())
            .unwrap_or_default();
        let jd_fargate = caps.iter().any(|c| c == "FARGATE");
        if jd_fargate != fargate {
            continue;
        }
        let props = jd.get("container_properties");
        let (cs, u) = match b.containers.get(&j) {
            Some(read) => read.clone(),
            None => containers_of(b, jd, props, true),
        };
        if let Some(u) = u {
            if props.is_some() {
                unknown.get_or_insert(u);
            }
        }
        containers.extend(cs);
        definition.get_or_insert_with(|| node_of(jd, j));
        if let Some(p) = props.and_then(|p| match p {
            Value::String(s) => serde_json::from_str::<serde_json::Value>(s)
                .ok()
                .map(|j| Value::from(&j)),
            other => Some(other.clone()),
        }) {
            if fargate {
                if let Some(role) = p.get("executionRoleArn").filter(|v| !v.is_null()) {
                    roles.push(role_ref(b, jd, role));
                }
                let assign = p
                    .path(&["networkConfiguration", "assignPublicIp"])
                    .and_then(Value::as_text);
                public.insert(assign.as_deref() == Some("ENABLED"));
                if let Some(v) = p
                    .path(&["fargatePlatformConfiguration", "platformVersion"])
                    .and_then(Value::as_text)
                {
                    version.get_or_insert(v);
                }
            }
        }
    }
    if definition.is_none() {
        unknown = Some(format!(
            "no job definition of the input runs on {}",
            r.address
        ));
    }
    let public_ip = if fargate {
        match public.len() {
            0 => Fact::Known(false),
            1 => Fact::Known(public.contains(&true)),
            _ => Fact::Unknown("job definitions differ in assignPublicIp".into()),
        }
    } else {
        let known: BTreeSet<Option<bool>> = subnets
            .iter()
            .map(|&s| b.net.subnets[s].map_public_ip.known().copied())
            .collect();
        match (known.len(), known.iter().next()) {
            (1, Some(Some(v))) => Fact::Known(*v),
            _ => Fact::Unknown(format!(
                "whether the instances of {} get public IPs is not known",
                r.address
            )),
        }
    };
    let platform = match (platform, version.as_deref()) {
        (Fact::Known(Platform::BatchFargate), Some(v)) if is_legacy_fargate(v) => {
            Fact::Known(Platform::BatchFargate)
        }
        (p, _) => p,
    };
    let pull_role = if fargate {
        match roles.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            _ => roles.first().cloned(),
        }
    } else {
        cr.and_then(|c| c.get("instance_role"))
            .filter(|v| !v.is_null())
            .map(|v| instance_role(b, r, v))
    };
    let workload = Workload {
        node: node_of(r, i),
        kind: WorkloadKind::BatchComputeEnvironment,
        platform,
        platform_version: version,
        windows: false,
        vpc: Fact::Unknown(String::new()),
        subnets,
        subnets_unknown,
        security_groups: sgs,
        security_groups_unknown: sgs_unknown,
        uses_default_security_group: false,
        public_ip,
        containers,
        containers_unknown: unknown,
        definition,
        pull_role,
    };
    push(b, workload);
}

/// `compute_resources.instance_role` is an instance profile: follow it to its role.
fn instance_role(b: &Builder<'_>, r: &Resource, v: &Value) -> Fact<RoleRef> {
    let want = |x: &Resource| x.rtype() == "aws_iam_instance_profile";
    let found = b.ix.find(r.input, v, &want);
    if let Some(&p) = found.resources.first() {
        let profile = b.ix.res(p);
        if let Some(role) = profile.get("role") {
            return role_ref(b, profile, role);
        }
    }
    match v.as_str() {
        Some(s) => Fact::Unknown(format!("the instance profile {s} is not in the input")),
        None => Fact::Unknown(format!(
            "the instance profile of {} is not known before apply",
            r.address
        )),
    }
}

/// Places a workload in its VPC (from its subnets, else its security groups) and adds it.
fn push(b: &mut Builder<'_>, mut w: Workload) {
    let mut vpcs = BTreeSet::new();
    let mut unknown = None;
    for &s in &w.subnets {
        match &b.net.subnets[s].vpc {
            Fact::Known(v) => {
                vpcs.insert(*v);
            }
            Fact::Unknown(why) => {
                unknown.get_or_insert(why.clone());
            }
        }
    }
    if vpcs.is_empty() {
        for &g in &w.security_groups {
            if let Fact::Known(v) = b.net.security_groups[g].vpc {
                vpcs.insert(v);
            }
        }
    }
    w.vpc = match vpcs.len() {
        1 => Fact::Known(*vpcs.iter().next().unwrap_or(&0)),
        0 => Fact::Unknown(
            unknown
                .or_else(|| w.subnets_unknown.clone())
                .unwrap_or_else(|| format!("{} names no subnets", w.node.name())),
        ),
        _ => Fact::Unknown(format!("{} has subnets in several VPCs", w.node.name())),
    };
    if let (true, Fact::Known(v)) = (w.uses_default_security_group, &w.vpc) {
        let g = b.default_sg_of(*v);
        w.security_groups = vec![g];
    }
    b.net.workloads.push(w);
}
