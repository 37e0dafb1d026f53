//! The containers of ECS task definitions and Batch job definitions: image, log driver and
//! options, secrets.

use super::builder::{string_map, Builder};
use crate::graph::{Container, Fact, SecretRef};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    ("aws_ecr_repository", &["repository_url"]),
    // The secrets a `valueFrom` refers to: only their type and address matter.
    ("aws_secretsmanager_secret", &[]),
    ("aws_secretsmanager_secret_version", &[]),
    ("aws_ssm_parameter", &[]),
    ("aws_db_instance", &[]),
    ("aws_rds_cluster", &[]),
];

/// Reads `container_definitions` (ECS) or `container_properties` (Batch): JSON text, or a
/// structured value from HCL (which may have unknown parts).
pub(super) fn containers_of(
    b: &Builder<'_>,
    r: &Resource,
    v: Option<&Value>,
    batch: bool,
) -> (Vec<Container>, Option<String>) {
    let structured = match structured(b, r, v, "container definitions") {
        Ok(s) => s,
        Err(why) => return (Vec::new(), Some(why)),
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
    let unnamed = |n: usize| {
        if batch {
            // A Batch job definition's `container_properties` is one container, without a name.
            format!("the container of {}", r.address)
        } else {
            format!("container {}", n + 1)
        }
    };
    (containers_in(b, r, &items, batch, &unnamed), None)
}

/// A JSON attribute of a definition (`container_definitions`, `ecs_properties`, …) as a
/// structured value: JSON text parsed, a reference to a document of the input followed, a
/// structured HCL value as it is; else why it cannot be read (`what` names it).
pub(super) fn structured(
    b: &Builder<'_>,
    r: &Resource,
    v: Option<&Value>,
    what: &str,
) -> Result<Value, String> {
    let Some(v) = v else {
        return Err(format!("{} has no {what} in the input", r.address));
    };
    match v {
        Value::String(s) => match serde_json::from_str::<serde_json::Value>(s) {
            Ok(j) => Ok(Value::from(&j)),
            Err(e) => Err(format!("{}: the {what} are not valid JSON: {e}", r.address)),
        },
        Value::Ref(_) => match b.document_of(r.input, v, 0) {
            Ok((j, _)) => Ok(Value::from(&j)),
            Err(_) => Err(format!(
                "{}: the {what} are not known before apply",
                r.address
            )),
        },
        Value::List(_) | Value::Object(_) => Ok(v.clone()),
        other => Err(format!(
            "{}: the {what} are not known before apply ({})",
            r.address,
            other.undecided_reason().unwrap_or_default()
        )),
    }
}

/// The containers of one definition, each read from its JSON object: `batch` for AWS Batch
/// (whose default log driver is awslogs), `unnamed(n)` the name of the `n`-th container when
/// it has none.
pub(super) fn containers_in(
    b: &Builder<'_>,
    r: &Resource,
    items: &[&Value],
    batch: bool,
    unnamed: &dyn Fn(usize) -> String,
) -> Vec<Container> {
    let mut out = Vec::new();
    for (n, c) in items.iter().copied().enumerate() {
        // A container that is not known before apply as a whole (a module that filters its
        // attributes on an undecided `!= null`) may have any image, log driver and secrets:
        // each is unknown, never "none".
        if c.is_undecided() {
            let name = unnamed(n);
            let why = format!(
                "{name} of {} is not known before apply ({})",
                r.address,
                c.undecided_reason().unwrap_or_default()
            );
            out.push(unreadable(name, why));
            continue;
        }
        let name = c
            .get("name")
            .and_then(Value::as_text)
            .unwrap_or_else(|| unnamed(n));
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
        let image_prefix = c
            .get("image")
            .and_then(Value::known_prefix)
            .map(str::to_string);
        let log = c.get("logConfiguration");
        let mut log_driver_default = false;
        let log_driver = match log.and_then(|l| l.get("logDriver")) {
            // The whole logConfiguration is not known: neither is its driver.
            _ if log.is_some_and(Value::is_undecided) => Fact::Unknown(format!(
                "the log configuration of {name} is not known before apply"
            )),
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
        let mut secret_refs = Vec::new();
        match c.get("secrets") {
            Some(Value::List(items)) => {
                for s in items {
                    match s.get("valueFrom") {
                        Some(Value::String(v)) => secrets.push(v.clone()),
                        Some(v) if secret_ref_of(b, r.input, v).is_some() => {
                            secret_refs.extend(secret_ref_of(b, r.input, v));
                        }
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
            image_prefix,
            log_driver,
            log_options,
            secrets,
            secrets_unknown,
            secret_refs,
            log_driver_default,
        });
    }
    out
}

/// A container whose image, log driver and secrets cannot be read, and why: what stands for
/// the containers of a definition that pullpath cannot read (never "no container").
pub(super) fn unreadable(name: String, why: String) -> Container {
    Container {
        name,
        image: Fact::Unknown(why.clone()),
        image_ecr_repository: None,
        image_prefix: None,
        log_driver: Fact::Unknown(why.clone()),
        log_options: Default::default(),
        secrets: Vec::new(),
        secrets_unknown: Some(why),
        secret_refs: Vec::new(),
        log_driver_default: false,
    }
}

/// The resource of the input, and the attribute read from it, that a value not known before
/// apply is (`aws_x.y.attr`, one complete reference) or begins with (`"${aws_x.y.attr}:…"`).
fn source_of<'m, 'v>(
    b: &Builder<'m>,
    input: usize,
    v: &'v Value,
) -> Option<(&'m Resource, &'v str)> {
    let target = match v {
        Value::Ref(rf) if rf.complete => match rf.targets.as_slice() {
            [one] => one,
            _ => return None,
        },
        Value::Unknown(u) => u.starts_with.as_ref()?,
        _ => return None,
    };
    let model = b.model();
    let res = &model.resources[model.lookup_index(input, &target.address)?];
    Some((res, target.attr.as_deref().unwrap_or("")))
}

/// The secret of the input a `valueFrom` not known before apply is (or begins with, for a JSON
/// key of a secret: `"${aws_secretsmanager_secret.db.arn}:password::"`): its ARN comes from a
/// Secrets Manager secret or secret version, an RDS-managed master user secret, or an SSM
/// parameter.
fn secret_ref_of(b: &Builder<'_>, input: usize, v: &Value) -> Option<SecretRef> {
    let (res, attr) = source_of(b, input, v)?;
    let secrets_manager = match res.rtype() {
        "aws_secretsmanager_secret" | "aws_secretsmanager_secret_version"
            if matches!(attr, "arn" | "id") =>
        {
            true
        }
        "aws_db_instance" | "aws_rds_cluster" if attr.starts_with("master_user_secret") => true,
        "aws_ssm_parameter" if matches!(attr, "arn" | "name" | "id") => false,
        _ => return None,
    };
    Some(SecretRef {
        address: res.address.clone(),
        secrets_manager,
    })
}

/// The private ECR repository of the input whose URL an image not known before apply is
/// (`aws_ecr_repository.app.repository_url`) or begins with (`"${...repository_url}:v1"`).
fn ecr_repository_of(b: &Builder<'_>, input: usize, v: &Value) -> Option<String> {
    let (repo, attr) = source_of(b, input, v)?;
    if attr != "repository_url" {
        return None;
    }
    (repo.rtype() == "aws_ecr_repository").then(|| repo.address.clone())
}
