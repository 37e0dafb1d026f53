//! AWS Batch job definitions in every shape (DOMAIN.md §2): `container_properties` (one
//! container), `ecs_properties` (a multi-container ECS task), `node_properties` (multi-node
//! parallel jobs: a container or an ECS task per node range) and `eks_properties` (Amazon EKS
//! pods: out of pullpath's scope). A job definition whose containers cannot be read is
//! unknown, never "no container".

use super::builder::Builder;
use super::container::{containers_in, structured, unreadable};
use crate::graph::Container;
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[(
    "aws_batch_job_definition",
    &[
        "platform_capabilities",
        "container_properties",
        "ecs_properties",
        "node_properties",
        "eks_properties",
    ],
)];

/// The containers of a job definition, as its shape holds them.
pub(super) enum Jobs {
    /// ECS containers (`container_properties`, `ecs_properties`, `node_properties`).
    Tasks(Vec<Task>),
    /// `eks_properties`: pods on Amazon EKS, which pullpath does not check.
    Eks,
    /// The containers cannot be read, and why.
    Unreadable(String),
}

/// One ECS task of a job definition: its containers and the object that holds the task's
/// settings (`executionRoleArn`, `networkConfiguration`, the Fargate platform version).
pub(super) struct Task {
    pub containers: Vec<Value>,
    pub settings: Value,
    /// Names an unnamed container: `the container of <label>` for a single container,
    /// `container <n> of <label>` in a task of several.
    pub label: String,
    pub single: bool,
}

impl Task {
    /// The Fargate platform version the task asks for (`fargatePlatformConfiguration` of a
    /// container, `platformVersion` of an ECS task).
    pub fn platform_version(&self) -> Option<String> {
        self.settings
            .path(&["fargatePlatformConfiguration", "platformVersion"])
            .or_else(|| self.settings.get("platformVersion"))
            .and_then(Value::as_text)
    }
}

/// Whether an attribute is set: not absent, null, unset by the configuration, or an empty
/// block list (how a plan shows an absent nested block).
fn is_set(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::List(l)) => !l.is_empty(),
        Some(v) => !v.is_not_configured(),
    }
}

/// Reads the shape of a job definition.
pub(super) fn jobs(b: &Builder<'_>, jd: &Resource) -> Jobs {
    let mut tasks = Vec::new();
    let mut any = false;
    if is_set(jd.get("eks_properties")) {
        return Jobs::Eks;
    }
    if is_set(jd.get("container_properties")) {
        any = true;
        match structured(
            b,
            jd,
            jd.get("container_properties"),
            "container properties",
        ) {
            Ok(c @ Value::Object(_)) => tasks.push(Task {
                containers: vec![c.clone()],
                settings: c,
                label: jd.address.clone(),
                single: true,
            }),
            Ok(c) if c.is_undecided() => {
                return Jobs::Unreadable(format!(
                    "{}: the container properties are not known before apply",
                    jd.address
                ))
            }
            Ok(_) => {
                return Jobs::Unreadable(format!(
                    "{}: the container properties are not an object",
                    jd.address
                ))
            }
            Err(why) => return Jobs::Unreadable(why),
        }
    }
    if is_set(jd.get("ecs_properties")) {
        any = true;
        match structured(b, jd, jd.get("ecs_properties"), "ECS properties") {
            Ok(p) => {
                if let Err(why) = ecs_tasks(&p, &jd.address, &mut tasks) {
                    return Jobs::Unreadable(why);
                }
            }
            Err(why) => return Jobs::Unreadable(why),
        }
    }
    if is_set(jd.get("node_properties")) {
        any = true;
        let p = match structured(b, jd, jd.get("node_properties"), "node properties") {
            Ok(p) => p,
            Err(why) => return Jobs::Unreadable(why),
        };
        let Some(ranges) = p.get("nodeRangeProperties").and_then(Value::as_list) else {
            return Jobs::Unreadable(format!(
                "{}: the node properties have no readable nodeRangeProperties",
                jd.address
            ));
        };
        for (i, range) in ranges.iter().enumerate() {
            let nodes = range
                .get("targetNodes")
                .and_then(Value::as_text)
                .unwrap_or_else(|| format!("range {}", i + 1));
            let label = format!("{} (nodes {nodes})", jd.address);
            match (range.get("container"), range.get("ecsProperties")) {
                (Some(c @ Value::Object(_)), _) => tasks.push(Task {
                    containers: vec![c.clone()],
                    settings: c.clone(),
                    label,
                    single: true,
                }),
                (_, Some(e)) if !e.is_null() => {
                    if let Err(why) = ecs_tasks(e, &label, &mut tasks) {
                        return Jobs::Unreadable(why);
                    }
                }
                _ => {
                    return Jobs::Unreadable(format!(
                        "{label}: the node range's container is not readable"
                    ))
                }
            }
        }
    }
    if !any {
        return Jobs::Unreadable(format!(
            "{} has no container_properties, ecs_properties or node_properties in the input",
            jd.address
        ));
    }
    Jobs::Tasks(tasks)
}

/// The tasks of an `ecs_properties` object (`taskProperties[].containers[]`).
fn ecs_tasks(p: &Value, label: &str, out: &mut Vec<Task>) -> Result<(), String> {
    let Some(list) = p.get("taskProperties").and_then(Value::as_list) else {
        return Err(format!(
            "{label}: the ECS properties have no readable taskProperties"
        ));
    };
    for (i, t) in list.iter().enumerate() {
        let label = if list.len() > 1 {
            format!("{label} (task {})", i + 1)
        } else {
            label.to_string()
        };
        let Some(containers) = t.get("containers").and_then(Value::as_list) else {
            return Err(format!("{label}: the task's containers are not readable"));
        };
        out.push(Task {
            containers: containers.to_vec(),
            settings: t.clone(),
            label,
            single: false,
        });
    }
    Ok(())
}

/// The containers of a job definition, and why they are not all known: an unreadable or EKS
/// job definition is one container whose every fact is unknown, with the reason.
pub(super) fn containers(b: &Builder<'_>, jd: &Resource) -> (Vec<Container>, Option<String>) {
    match jobs(b, jd) {
        Jobs::Tasks(tasks) => {
            let mut out = Vec::new();
            for t in &tasks {
                let items: Vec<&Value> = t.containers.iter().collect();
                let unnamed = |n: usize| {
                    if t.single {
                        format!("the container of {}", t.label)
                    } else {
                        format!("container {} of {}", n + 1, t.label)
                    }
                };
                out.extend(containers_in(b, jd, &items, true, &unnamed));
            }
            (out, None)
        }
        Jobs::Eks => {
            let why = eks_reason(jd);
            (
                vec![unreadable(
                    format!("the containers of {}", jd.address),
                    why.clone(),
                )],
                Some(why),
            )
        }
        Jobs::Unreadable(why) => (
            vec![unreadable(
                format!("the containers of {}", jd.address),
                why.clone(),
            )],
            Some(why),
        ),
    }
}

/// Why the pull path of Amazon EKS jobs is unknown.
pub(super) fn eks_reason(r: &Resource) -> String {
    format!(
        "{} runs on Amazon EKS, whose pods pullpath does not check",
        r.address
    )
}
