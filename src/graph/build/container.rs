//! The containers of ECS task definitions and Batch job definitions: image, log driver and
//! options, secrets.

use std::collections::BTreeMap;

use super::builder::{string_map, Builder};
use crate::graph::{Container, Fact, KeyPolicy, KmsKey, SecretKey, SecretRef};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    ("aws_ecr_repository", &["repository_url"]),
    // The secrets a `valueFrom` refers to: their type and address, the key that encrypts them,
    // and the secret of a version.
    ("aws_secretsmanager_secret", &["kms_key_id"]),
    ("aws_secretsmanager_secret_version", &["secret_id"]),
    ("aws_ssm_parameter", &["key_id", "type"]),
    ("aws_kms_key", &["policy"]),
    ("aws_kms_alias", &["target_key_id"]),
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
        // Under the URI of an ECR Public repository of the input (`"${aws_ecrpublic_repository.x.repository_uri}:v1"`):
        // `public.ecr.aws/<the registry's alias>/<name>`, whose alias only is not known.
        let public = c
            .get("image")
            .filter(|v| !matches!(v, Value::String(_)))
            .and_then(|v| public_repository_image(b, r.input, v));
        let image = match (c.get("image"), public) {
            (Some(Value::String(s)), _) => Fact::Known(s.clone()),
            (Some(_), Some(public)) => Fact::Known(public),
            (Some(v), None) => Fact::Unknown(format!(
                "the image of {name} is not known before apply ({})",
                v.undecided_reason()
                    .unwrap_or_else(|| "not a string".into())
            )),
            (None, _) => Fact::Unknown(format!("{name} names no image")),
        };
        let image_ecr_repository = c
            .get("image")
            .and_then(|v| ecr_repository_of(b, r.input, v));
        let image_ecr_host = match c.get("image") {
            Some(Value::Unknown(u)) => {
                crate::aws::ecr_host_of(u.marked.as_deref(), u.prefix.as_deref())
            }
            _ => None,
        }
        .or_else(|| c.get("image").and_then(|v| repository_host(b, r.input, v)));
        let log = log_settings(b, r, &name, c.get("logConfiguration"), batch);
        let mut secrets = Vec::new();
        let mut secrets_unknown = None;
        let mut secret_refs = Vec::new();
        // `secrets`, and the log driver's `secretOptions` (ECS Developer Guide, "Pass sensitive
        // data to a log configuration": the execution role fetches them at task start too).
        for (list, what) in [
            (c.get("secrets"), "secrets"),
            (
                c.path(&["logConfiguration", "secretOptions"]),
                "log configuration secrets",
            ),
        ] {
            match list {
                Some(Value::List(items)) => {
                    for s in items {
                        let value = s.get("valueFrom");
                        if let Some(Value::String(v)) = value {
                            secrets.push(v.clone());
                        } else if let Some(s) = value.and_then(|v| secret_ref_of(b, r.input, v)) {
                            secret_refs.push(s);
                        } else if let Some(arn) = value.and_then(own_account_arn) {
                            secrets.push(arn);
                        } else {
                            secrets_unknown.get_or_insert(format!(
                                "a secret of {name} is not known before apply"
                            ));
                        }
                    }
                }
                Some(v) if v.is_undecided() => {
                    secrets_unknown =
                        Some(format!("the {what} of {name} are not known before apply"))
                }
                _ => {}
            }
        }
        if c.get("logConfiguration").is_some_and(Value::is_undecided) {
            secrets_unknown.get_or_insert(format!(
                "the log configuration of {name}, which may read secrets, is not known before apply"
            ));
        }
        match c.path(&["repositoryCredentials", "credentialsParameter"]) {
            Some(Value::String(v)) => secrets.push(v.clone()),
            // A secret of the input by reference (a helper's probe: it was dropped, and a role
            // that could not read it passed).
            Some(v) => match secret_ref_of(b, r.input, v) {
                Some(s) => secret_refs.push(s),
                None if v.is_undecided() => {
                    secrets_unknown = Some(format!(
                        "the repository credentials of {name} are not known before apply"
                    ))
                }
                None => {}
            },
            None => {}
        }
        // The keys of the secrets that are resources of the input: by reference, or by the
        // ARN a state or update plan knows.
        let mut kms_keys = Vec::new();
        let secret_resources = secret_refs
            .iter()
            .filter_map(|s| model_index(b, r.input, &s.address))
            .chain(secrets.iter().filter_map(|s| secret_by_arn(b, s)));
        for i in secret_resources {
            if let Some(k) = secret_key(b, i, 0) {
                if !kms_keys.contains(&k) {
                    kms_keys.push(k);
                }
            }
        }
        out.push(Container {
            name,
            image,
            image_ecr_repository,
            image_ecr_host,
            log_driver: log.driver,
            log_options: log.options,
            log_group_created: log.group_created,
            secrets,
            secrets_unknown,
            secret_refs,
            log_driver_default: log.driver_default,
            kms_keys,
        });
    }
    out
}

/// What a container's `logConfiguration` says (see [`log_settings`]).
struct LogSettings {
    driver: Fact<Option<String>>,
    /// The driver is AWS Batch's default, not configured.
    driver_default: bool,
    options: BTreeMap<String, String>,
    /// `awslogs-group` names a log group the input creates.
    group_created: bool,
}

/// A container's log settings from its `logConfiguration`: the driver (AWS Batch's default,
/// `awslogs`, when `batch` and none is set), whether it is that default, the options, and
/// whether `awslogs-group` names a log group the input creates.
fn log_settings(
    b: &Builder<'_>,
    r: &Resource,
    name: &str,
    log: Option<&Value>,
    batch: bool,
) -> LogSettings {
    let mut driver_default = false;
    let driver = match log.and_then(|l| l.get("logDriver")) {
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
            driver_default = true;
            Fact::Known(Some("awslogs".to_string()))
        }
        _ => Fact::Known(None),
    };
    LogSettings {
        driver,
        driver_default,
        options: string_map(log.and_then(|l| l.get("options"))),
        group_created: log
            .and_then(|l| l.path(&["options", "awslogs-group"]))
            .is_some_and(|g| created_log_group(b, r.input, g)),
    }
}

/// The Service Connect proxy ECS adds to the tasks of service `r` whose
/// `service_connect_configuration` is enabled (or may be) and sets a `log_configuration`: "Service
/// Connect delivers the proxy logs to the log group you set in the logConfiguration of
/// serviceConnectConfiguration" (ECS Developer Guide), so with `awslogs` the task writes to
/// CloudWatch Logs with the execution role like any container. Its image is ECS's own, pulled
/// by no path the input decides.
pub(super) fn service_connect_proxy(b: &Builder<'_>, r: &Resource) -> Option<Container> {
    let sc = match r.get("service_connect_configuration")? {
        Value::List(items) => items.first()?,
        v => v,
    };
    if matches!(sc.get("enabled"), Some(Value::Bool(false))) {
        return None;
    }
    let log = match sc.get("log_configuration")? {
        Value::List(items) => items.first()?,
        v => v,
    };
    if log.is_null() {
        return None;
    }
    // Messages say "<name> of <service>".
    let name = "the Service Connect proxy".to_string();
    // The block's snake_case names, as a container definition's `logConfiguration` spells them
    // (a block not known before apply as a whole stays so).
    let renamed;
    let log = if log.is_undecided() {
        log
    } else {
        renamed = Value::Object(
            [("logDriver", "log_driver"), ("options", "options")]
                .into_iter()
                .filter_map(|(to, from)| Some((to, log.get(from)?.clone())))
                .collect(),
        );
        &renamed
    };
    let log = log_settings(b, r, &name, Some(log), false);
    Some(Container {
        image: Fact::Unknown(format!("{name} runs ECS's own image")),
        name,
        image_ecr_repository: None,
        image_ecr_host: None,
        log_driver: log.driver,
        log_options: log.options,
        log_group_created: log.group_created,
        secrets: Vec::new(),
        secrets_unknown: None,
        secret_refs: Vec::new(),
        log_driver_default: log.driver_default,
        kms_keys: Vec::new(),
    })
}

/// A secret's ARN whose only part not known before apply is the input's own account
/// (`"arn:aws:ssm:us-east-1:${data.aws_caller_identity.current.account_id}:parameter/app/x"`),
/// with that account as [`crate::policy::OWN_ACCOUNT`]: which service serves it is known, and
/// a policy's `Resource` in any account (`*`) or in the same one covers it.
fn own_account_arn(v: &Value) -> Option<String> {
    let Value::Unknown(u) = v else { return None };
    // The marked text of a string inside a JSON document writes its markers JSON-escaped.
    crate::policy::with_own_account(&crate::policy::raw_markers(u.marked.as_deref()?))
        .filter(|arn| arn.starts_with("arn:") && arn.split(':').count() >= 6)
}

/// A container whose image, log driver and secrets cannot be read, and why: what stands for
/// the containers of a definition that pullpath cannot read (never "no container").
pub(super) fn unreadable(name: String, why: String) -> Container {
    Container {
        name,
        image: Fact::Unknown(why.clone()),
        image_ecr_repository: None,
        image_ecr_host: None,
        log_driver: Fact::Unknown(why.clone()),
        log_options: Default::default(),
        log_group_created: false,
        secrets: Vec::new(),
        secrets_unknown: Some(why),
        secret_refs: Vec::new(),
        log_driver_default: false,
        kms_keys: Vec::new(),
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

/// The image an ECR Public repository of the input's URI names (`repository_uri` is
/// `public.ecr.aws/<registry alias>/<repository name>`), its alias written as a placeholder.
fn public_repository_image(b: &Builder<'_>, input: usize, v: &Value) -> Option<String> {
    let (repo, attr) = source_of(b, input, v)?;
    if attr != "repository_uri" || repo.rtype() != "aws_ecrpublic_repository" || repo.is_data() {
        return None;
    }
    let name = repo
        .get("repository_name")
        .and_then(Value::as_str)
        .unwrap_or("<repository>");
    Some(format!("public.ecr.aws/<registry alias>/{name}"))
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
        "aws_db_instance" | "aws_rds_cluster"
            if attr.starts_with("master_user_secret") && attr.ends_with("secret_arn") =>
        {
            true
        }
        "aws_ssm_parameter" if matches!(attr, "arn" | "name" | "id") => false,
        _ => return None,
    };
    let target = crate::model::Target {
        address: res.address.clone(),
        attr: Some(crate::model::attribute_name(attr)),
    };
    let reference = match res.rtype() {
        // A parameter is read by its ARN or its name; the policy names its ARN.
        "aws_ssm_parameter" => format!("{}.arn", res.address),
        _ => b.reference_text(res.input, &target),
    };
    // A parameter's ARN is its region, account and name (`parameter/app/db` for `/app/db`):
    // with the name known, a policy that names the path covers it.
    // A secret's ARN is its name, `-` and six characters Secrets Manager adds: with the name
    // known, a policy that names a prefix of it covers it (row 100's `…:secret:app-staging-*`).
    let name = matches!(
        res.rtype(),
        "aws_ssm_parameter" | "aws_secretsmanager_secret"
    )
    .then(|| res.get("name").and_then(Value::as_str))
    .flatten()
    .filter(|n| !n.is_empty() && !crate::policy::is_unknown(n))
    .map(str::to_string);
    Some(SecretRef {
        address: res.address.clone(),
        secrets_manager,
        reference,
        region: res.region.as_deref().map(str::to_string),
        name,
        created: !res.is_data(),
    })
}

/// Whether an `awslogs-group` value names a log group of the input: a reference to an
/// `aws_cloudwatch_log_group`, or the `name` of one in the same input.
fn created_log_group(b: &Builder<'_>, input: usize, v: &Value) -> bool {
    let want = |x: &crate::model::Resource| x.rtype() == "aws_cloudwatch_log_group";
    if !b.ix.find(input, v, &want).resources.is_empty() {
        return true;
    }
    let Some(name) = v.as_str() else {
        return false;
    };
    b.ix.of_type(false, "aws_cloudwatch_log_group")
        .iter()
        .map(|&i| b.ix.res(i))
        .any(|g| g.input == input && g.get("name").and_then(Value::as_str) == Some(name))
}

fn model_index(b: &Builder<'_>, input: usize, address: &str) -> Option<usize> {
    b.model().lookup_index(input, address)
}

/// The Secrets Manager secret or SSM parameter of the input with this ARN (a `valueFrom` that
/// selects a JSON key is cut back to the secret's ARN).
fn secret_by_arn(b: &Builder<'_>, value_from: &str) -> Option<usize> {
    if !value_from.starts_with("arn:") {
        // An SSM parameter named without its ARN (`/app/api-key`): a parameter of the input
        // of that name (a helper's probe: its customer managed key was not asked for).
        let name = |x: &str| x.trim_start_matches('/').to_string();
        return b
            .ix
            .of_type(false, "aws_ssm_parameter")
            .iter()
            .copied()
            .find(|&i| {
                b.ix.res(i)
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| name(n) == name(value_from))
            });
    }
    let arn = match value_from.split(':').nth(2) {
        Some("secretsmanager") => value_from
            .splitn(8, ':')
            .take(7)
            .collect::<Vec<_>>()
            .join(":"),
        _ => value_from.to_string(),
    };
    b.ix.with_arn(&arn).iter().copied().find(|&i| {
        matches!(
            b.ix.res(i).rtype(),
            "aws_secretsmanager_secret" | "aws_ssm_parameter"
        )
    })
}

/// The customer managed KMS key of a secret, secret version or SecureString parameter of the
/// input (model index `i`); `None` for an AWS managed key (`kms_key_id` / `key_id` unset, or
/// `alias/aws/secretsmanager`, `alias/aws/ssm`) and for other resources (an RDS-managed master
/// user secret's key is not read).
fn secret_key(b: &Builder<'_>, i: usize, depth: usize) -> Option<SecretKey> {
    let r = b.ix.res(i);
    let (attr, via) = match r.rtype() {
        "aws_secretsmanager_secret" => ("kms_key_id", "secretsmanager"),
        "aws_ssm_parameter" => ("key_id", "ssm"),
        "aws_secretsmanager_secret_version" if depth == 0 => {
            let v = r.get("secret_id")?;
            let want = |x: &crate::model::Resource| x.rtype() == "aws_secretsmanager_secret";
            let found = b.ix.find(r.input, v, &want);
            return match found.resources.as_slice() {
                [one] => secret_key(b, *one, depth + 1),
                _ => None,
            };
        }
        _ => return None,
    };
    let managed_alias = format!("alias/aws/{via}");
    let secret = r.address.clone();
    let unknown = |why: String| SecretKey {
        secret: secret.clone(),
        via,
        key: KmsKey::Unknown(why),
        key_policy: KeyPolicy::NotInInput,
    };
    // A secret or parameter read with a data source is not the input's: its key is judged as
    // that of a secret named by a literal ARN (not at all), not as an unknown one.
    if r.is_data() {
        return None;
    }
    // Only SecureString parameters are encrypted.
    if via == "ssm" {
        match r.get("type") {
            Some(Value::String(t)) if t != "SecureString" => return None,
            Some(Value::String(_)) => {}
            _ => {
                if r.get("key_id")
                    .is_some_and(|k| !k.is_null() && !k.is_not_configured())
                {
                    return Some(unknown(format!(
                        "whether {} is a SecureString parameter is not known before apply",
                        r.address
                    )));
                }
                return None;
            }
        }
    }
    let v = r.get(attr)?;
    if v.is_null() || v.is_not_configured() {
        return None;
    }
    let key_of = |k: usize| -> Option<SecretKey> {
        let key = b.ix.res(k);
        let key_policy = match key.get("policy") {
            None | Some(Value::Null) => KeyPolicy::Default,
            Some(p) if p.is_not_configured() => KeyPolicy::Default,
            Some(p) => KeyPolicy::Document(Box::new(b.role_policy(
                key.input,
                p,
                super::registry::node_of(b.ix.model, key, k),
            ))),
        };
        let kms = match key.get("arn").and_then(Value::as_str) {
            Some(arn) if !arn.is_empty() => KmsKey::Arn(arn.to_string()),
            _ => KmsKey::Reference {
                reference: format!("{}.arn", key.address),
                region: key.region.as_deref().map(str::to_string),
            },
        };
        Some(SecretKey {
            secret: secret.clone(),
            via,
            key: kms,
            key_policy,
        })
    };
    if let Some(s) = v.as_str() {
        if s.is_empty() || s == managed_alias || s.ends_with(&format!(":{managed_alias}")) {
            return None;
        }
        if let Some(&k) =
            b.ix.with_arn(s)
                .iter()
                .chain(b.ix.with_id(s))
                .find(|&&k| b.ix.res(k).rtype() == "aws_kms_key")
        {
            return key_of(k);
        }
        if s.starts_with("arn:") && s.contains(":key/") {
            return Some(SecretKey {
                secret,
                via,
                key: KmsKey::Arn(s.to_string()),
                key_policy: KeyPolicy::NotInInput,
            });
        }
        // An alias of the input named so (`kms_key_id = aws_kms_alias.k.name`, or the name
        // written out): its target key.
        if s.starts_with("alias/") || s.contains(":alias/") {
            let name = s.rsplit_once(':').map_or(s, |(_, n)| n);
            let aliases: Vec<usize> =
                b.ix.of_type(false, "aws_kms_alias")
                    .iter()
                    .copied()
                    .filter(|&a| {
                        let x = b.ix.res(a);
                        x.input == r.input && x.get("name").and_then(Value::as_str) == Some(name)
                    })
                    .collect();
            if let [a] = aliases.as_slice() {
                let alias = b.ix.res(*a);
                let want_key = |x: &crate::model::Resource| x.rtype() == "aws_kms_key";
                if let Some(t) = alias.get("target_key_id") {
                    if let [k] = b.ix.find(alias.input, t, &want_key).resources.as_slice() {
                        return key_of(*k);
                    }
                }
            }
        }
        if s.starts_with("alias/") || s.contains(":alias/") {
            return Some(unknown(format!(
                "{} is encrypted with the key of alias {s}, which is not a key of the input",
                r.address
            )));
        }
        // A key id: the key's ARN in the secret's region and an account not known here.
        let region = r.region.as_deref();
        let partition = region.map_or("aws", crate::aws::partition_of_region);
        let u = crate::policy::UNKNOWN_PART.to_string();
        return Some(SecretKey {
            secret,
            via,
            key: KmsKey::Arn(format!(
                "arn:{partition}:kms:{}:{u}:key/{s}",
                region.unwrap_or(&u)
            )),
            key_policy: KeyPolicy::NotInInput,
        });
    }
    // A reference: to a key of the input (its ARN, id or key id), or through an alias of the
    // input to its target key.
    let want = |x: &crate::model::Resource| matches!(x.rtype(), "aws_kms_key" | "aws_kms_alias");
    let found = b.ix.find(r.input, v, &want);
    if let [k] = found.resources.as_slice() {
        let key = b.ix.res(*k);
        if key.rtype() == "aws_kms_key" {
            return key_of(*k);
        }
        if let Some(t) = key.get("target_key_id") {
            let want_key = |x: &crate::model::Resource| x.rtype() == "aws_kms_key";
            if let [kk] = b.ix.find(key.input, t, &want_key).resources.as_slice() {
                return key_of(*kk);
            }
        }
    }
    Some(unknown(format!(
        "the KMS key of {} is not known before apply ({})",
        r.address,
        v.undecided_reason()
            .unwrap_or_else(|| "not a key of the input".to_string())
    )))
}

/// The registry host of an image under the URL of an ECR repository of the input, managed or
/// read with a data source: the repository's region is its provider's (a provider alias of
/// another region is another region's registry); a data source's `registry_id`, when written
/// out, is its account. `shown` is the repository's URL where all of it is known
/// (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`), else the reference.
fn repository_host(b: &Builder<'_>, input: usize, v: &Value) -> Option<crate::aws::EcrHost> {
    let (repo, attr) = source_of(b, input, v)?;
    if attr != "repository_url" || repo.rtype() != "aws_ecr_repository" {
        return None;
    }
    let region = repo.region.as_deref().map(str::to_string);
    let account = repo
        .get("registry_id")
        .and_then(Value::as_str)
        .filter(|a| a.len() == 12 && a.bytes().all(|c| c.is_ascii_digit()))
        .map(str::to_string);
    let name = repo.get("name").and_then(Value::as_str);
    let shown = match (&account, &region, name) {
        (Some(a), Some(r), Some(n)) => format!("{a}.dkr.ecr.{r}.amazonaws.com/{n}"),
        _ => format!("${{{}.repository_url}}", repo.address),
    };
    Some(crate::aws::EcrHost {
        account,
        account_from: None,
        region,
        shown,
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
