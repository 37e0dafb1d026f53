//! ECS tasks started by other services with a `RunTask` request of their own: Step Functions
//! state machines (`arn:aws:states:::ecs:runTask`, `.sync`, `.waitForTaskToken`), EventBridge
//! Scheduler universal targets (`arn:aws:scheduler:::aws-sdk:ecs:runTask`) and EventBridge Pipes
//! with an ECS target. Each request is read into the shape of an EventBridge `ecs_target` and
//! becomes a scheduled task like one (see `ecs::ecs_task_with`). A value the request takes from
//! the state's input at run time (`"TaskDefinition.$": "$.td"`, a JSONata `{% … %}`) is not
//! known: what depends on it is unknown, never a pass.

use super::builder::Builder;
use super::container::structured;
use super::ecs::ecs_task_with;
use super::workload::first_block;
use crate::model::value::Map;
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    ("aws_sfn_state_machine", &["definition"]),
    ("aws_pipes_pipe", &["target", "target_parameters"]),
];

/// The `RunTask` requests of a Step Functions state machine's definition, each a scheduled
/// task; a definition that cannot be read starts nothing pullpath can see (it may start
/// tasks, which is said on the workloads it can read: none).
pub(super) fn state_machine(b: &mut Builder<'_>, r: &Resource, i: usize) {
    let Ok(definition) = structured(b, r, r.get("definition"), "definition") else {
        return;
    };
    let mut requests = Vec::new();
    run_task_states(&definition, &mut requests, 0);
    for request in requests {
        run_task(b, r, i, &request);
    }
}

/// An EventBridge Scheduler schedule whose universal target calls ECS `RunTask`, with the
/// request as its `input`.
pub(super) fn scheduler_universal(b: &mut Builder<'_>, r: &Resource, i: usize) {
    let Some(arn) = r.values.path(&["target", "arn"]).and_then(Value::as_str) else {
        return;
    };
    if !arn.ends_with(":aws-sdk:ecs:runTask") {
        return;
    }
    let input = r.values.path(&["target", "input"]);
    match structured(b, r, input, "target input") {
        Ok(request) => run_task(b, r, i, &request),
        Err(why) => run_task(b, r, i, &Value::unknown(why)),
    }
}

/// An EventBridge pipe whose target is an ECS cluster, its task from
/// `target_parameters.ecs_task_parameters`.
pub(super) fn pipe(b: &mut Builder<'_>, r: &Resource, i: usize) {
    let Some(p) = r
        .values
        .path(&["target_parameters", "ecs_task_parameters"])
        .and_then(first_block)
    else {
        return;
    };
    let mut target = Map::new();
    for key in [
        "launch_type",
        "capacity_provider_strategy",
        "platform_version",
        "task_definition_arn",
    ] {
        if let Some(v) = p.get(key) {
            target.insert(key.into(), v.clone());
        }
    }
    if let Some(n) = p
        .get("network_configuration")
        .and_then(first_block)
        .and_then(|n| n.get("aws_vpc_configuration"))
        .and_then(first_block)
    {
        target.insert("network_configuration".into(), Value::List(vec![n.clone()]));
    }
    ecs_task_with(b, r, i, r.get("target"), &Value::Object(target));
}

/// The `Parameters` (JSONPath) or `Arguments` (JSONata) of each task state that calls ECS
/// `RunTask`, in every state of the definition, branches and map iterators included.
fn run_task_states(v: &Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 64 {
        return;
    }
    match v {
        Value::Object(m) => {
            let resource = m.get("Resource").and_then(Value::as_str);
            if resource.is_some_and(is_run_task) {
                let request = m
                    .get("Parameters")
                    .or_else(|| m.get("Arguments"))
                    .cloned()
                    .unwrap_or(Value::Object(Map::new()));
                out.push(request);
            }
            for (_, x) in m.iter() {
                run_task_states(x, out, depth + 1);
            }
        }
        Value::List(items) => {
            for x in items {
                run_task_states(x, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `arn:<partition>:states:::ecs:runTask`, with or without `.sync` or `.waitForTaskToken`.
fn is_run_task(resource: &str) -> bool {
    let mut parts = resource.splitn(6, ':');
    let (Some("arn"), Some(_), Some("states"), Some(""), Some(""), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    matches!(
        rest,
        "ecs:runTask" | "ecs:runTask.sync" | "ecs:runTask.waitForTaskToken"
    )
}

/// A `RunTask` request (the API's names, `LaunchType` or `launchType`) as an EventBridge
/// `ecs_target`, and the scheduled task it starts.
fn run_task(b: &mut Builder<'_>, r: &Resource, i: usize, request: &Value) {
    let field = |name: &str| field_of(request, name);
    let mut target = Map::new();
    if request.is_undecided() {
        let why = request.undecided_reason().unwrap_or_default();
        for key in ["task_definition_arn", "launch_type"] {
            target.insert(key.into(), Value::unknown(why.clone()));
        }
        ecs_task_with(b, r, i, Some(&Value::unknown(why)), &Value::Object(target));
        return;
    }
    if let Some(v) = field("LaunchType") {
        target.insert("launch_type".into(), v);
    }
    if let Some(v) = field("PlatformVersion") {
        target.insert("platform_version".into(), v);
    }
    if let Some(v) = field("TaskDefinition") {
        target.insert("task_definition_arn".into(), v);
    }
    if let Some(strategy) = field("CapacityProviderStrategy") {
        let items = match &strategy {
            Value::List(items) => Value::List(
                items
                    .iter()
                    .map(|item| {
                        let mut m = Map::new();
                        if let Some(p) = field_of(item, "CapacityProvider") {
                            m.insert("capacity_provider".into(), p);
                        }
                        Value::Object(m)
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        target.insert("capacity_provider_strategy".into(), items);
    }
    if let Some(net) = field("NetworkConfiguration") {
        let awsvpc = field_of(&net, "AwsvpcConfiguration").unwrap_or(net);
        let mut n = Map::new();
        for (from, to) in [
            ("Subnets", "subnets"),
            ("SecurityGroups", "security_groups"),
            ("AssignPublicIp", "assign_public_ip"),
        ] {
            if let Some(v) = field_of(&awsvpc, from) {
                n.insert(to.into(), v);
            } else if awsvpc.is_undecided() {
                n.insert(
                    to.into(),
                    Value::unknown(awsvpc.undecided_reason().unwrap_or_default()),
                );
            }
        }
        target.insert(
            "network_configuration".into(),
            Value::List(vec![Value::Object(n)]),
        );
    }
    // Without a cluster RunTask runs in the `default` cluster.
    let cluster = field("Cluster").unwrap_or_else(|| Value::String("default".to_string()));
    ecs_task_with(b, r, i, Some(&cluster), &Value::Object(target));
}

/// A field of a request object by its API name, written `Name` (Step Functions, Scheduler) or
/// `name`; a field taken from the state's input (`Name.$`) or a JSONata expression is not
/// known before the run.
fn field_of(v: &Value, name: &str) -> Option<Value> {
    let Value::Object(m) = v else {
        return None;
    };
    let lower = {
        let mut c = name.chars();
        c.next()
            .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
            .unwrap_or_default()
    };
    for key in [name, lower.as_str()] {
        if let Some(x) = m.get(key) {
            if x.as_str().is_some_and(is_jsonata) {
                return Some(Value::unknown(format!(
                    "{key} is a JSONata expression evaluated when the state runs"
                )));
            }
            return Some(x.clone());
        }
        let dynamic = format!("{key}.$");
        if let Some(path) = m.get(dynamic.as_str()) {
            return Some(Value::unknown(format!(
                "{key} is taken from the state's input when it runs ({})",
                path.as_str().unwrap_or("a path")
            )));
        }
    }
    None
}

/// A JSONata expression (`{% $states.input.subnets %}`).
fn is_jsonata(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("{%") && t.ends_with("%}")
}

#[cfg(test)]
mod tests {
    use super::is_run_task;

    #[test]
    fn run_task_resources() {
        for yes in [
            "arn:aws:states:::ecs:runTask",
            "arn:aws:states:::ecs:runTask.sync",
            "arn:aws-us-gov:states:::ecs:runTask.waitForTaskToken",
        ] {
            assert!(is_run_task(yes), "{yes}");
        }
        for no in [
            "arn:aws:states:::batch:submitJob.sync",
            "arn:aws:states:::aws-sdk:ecs:describeTasks",
            "arn:aws:lambda:us-east-1:123456789012:function:x",
        ] {
            assert!(!is_run_task(no), "{no}");
        }
    }
}
