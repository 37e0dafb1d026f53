//! ECS Express Mode services (`aws_ecs_express_gateway_service`): an ECS service on Fargate
//! whose task definition ECS writes itself from the `primary_container` block ("Resources
//! created by Amazon ECS Express Mode services": Fargate capacity providers, `awsvpc`
//! networking, a service-specific log group). The container is read as the task definition
//! Express Mode writes: its image, the `awslogs` driver (Express Mode always logs to CloudWatch
//! Logs, to `aws_logs_configuration.log_group` when set), its secrets and registry credentials.

use super::builder::Builder;
use super::container::containers_of;
use super::registry::node_of;
use super::workload::{awsvpc_network, first_block, push, role_ref, AwsvpcNetwork};
use crate::graph::{Fact, Platform, Workload, WorkloadKind};
use crate::model::value::Key;
use crate::model::{Resource, Value};

/// The attributes this module reads, per resource type (see [`super::READS`]).
pub(crate) const READS: &[(&str, &[&str])] = &[(
    "aws_ecs_express_gateway_service",
    &[
        "network_configuration",
        "primary_container",
        "execution_role_arn",
        "cluster",
    ],
)];

pub(super) fn express_service(b: &mut Builder<'_>, r: &Resource, i: usize) {
    let net = match r.get("network_configuration").and_then(first_block) {
        Some(n) => awsvpc_network(b, r, n),
        None => {
            let why = format!(
                "{} sets no network_configuration: Express Mode then places its tasks in subnets the input does not describe",
                r.address
            );
            AwsvpcNetwork {
                subnets: Vec::new(),
                subnets_unknown: Some(why.clone()),
                groups: Vec::new(),
                groups_unknown: Some(why),
                default_sg: false,
            }
        }
    };
    let definition = container_definition(r);
    let (containers, containers_unknown) = containers_of(b, r, Some(&definition), false);
    let pull_role = r
        .get("execution_role_arn")
        .filter(|v| !v.is_null() && !v.is_not_configured())
        .map(|v| role_ref(b, r, v));
    let workload = Workload {
        node: node_of(b.ix.model, r, i),
        kind: WorkloadKind::EcsService,
        platform: Fact::Known(Platform::Fargate),
        platform_version: None,
        windows: false,
        vpc: Fact::Unknown(String::new()),
        subnets: net.subnets,
        subnets_unknown: net.subnets_unknown,
        security_groups: net.groups,
        security_groups_unknown: net.groups_unknown,
        uses_default_security_group: net.default_sg,
        public_ip: Fact::Unknown(format!(
            "{}: whether Express Mode gives its tasks public IP addresses is not in the input",
            r.address
        )),
        hosts: None,
        task_subnets: Vec::new(),
        task_security_groups: Vec::new(),
        containers,
        containers_unknown,
        log_only: Vec::new(),
        definition: None,
        execution_role: pull_role.clone(),
        awslogs_override: None,
        pull_role,
        instance_role: None,
    };
    push(b, workload);
}

/// The container of the task definition Express Mode writes, in `container_definitions` form.
fn container_definition(r: &Resource) -> Value {
    let Some(pc) = r.get("primary_container").and_then(first_block) else {
        return Value::unknown(format!(
            "{} has no primary_container in the input",
            r.address
        ));
    };
    let mut c = crate::model::value::Map::new();
    let put = |m: &mut crate::model::value::Map, k: &'static str, v: Value| {
        m.insert(Key::Borrowed(k), v);
    };
    put(&mut c, "name", Value::String("primary".to_string()));
    put(
        &mut c,
        "image",
        pc.get("image").cloned().unwrap_or(Value::Null),
    );
    let mut options = crate::model::value::Map::new();
    if let Some(group) = pc
        .get("aws_logs_configuration")
        .and_then(first_block)
        .and_then(|l| l.get("log_group"))
    {
        put(&mut options, "awslogs-group", group.clone());
    }
    let mut log = crate::model::value::Map::new();
    put(&mut log, "logDriver", Value::String("awslogs".to_string()));
    put(&mut log, "options", Value::Object(options));
    put(&mut c, "logConfiguration", Value::Object(log));
    let secrets: Vec<Value> = match pc.get("secret") {
        Some(Value::List(items)) => items
            .iter()
            .map(|s| {
                let mut m = crate::model::value::Map::new();
                put(
                    &mut m,
                    "name",
                    s.get("name").cloned().unwrap_or(Value::Null),
                );
                put(
                    &mut m,
                    "valueFrom",
                    s.get("value_from").cloned().unwrap_or(Value::Null),
                );
                Value::Object(m)
            })
            .collect(),
        _ => Vec::new(),
    };
    if !secrets.is_empty() {
        put(&mut c, "secrets", Value::List(secrets));
    }
    if let Some(p) = pc
        .get("repository_credentials")
        .and_then(first_block)
        .and_then(|x| x.get("credentials_parameter"))
    {
        let mut m = crate::model::value::Map::new();
        put(&mut m, "credentialsParameter", p.clone());
        put(&mut c, "repositoryCredentials", Value::Object(m));
    }
    Value::List(vec![Value::Object(c)])
}
