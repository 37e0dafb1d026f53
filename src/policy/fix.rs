//! Remediation: the smallest change to a policy document that makes a blocked request allowed.
//!
//! Every function re-evaluates its result and returns an error when the proposed document would
//! not allow the request, so a caller never prints a wrong fix. A document that already allows the
//! request comes back unchanged.

use std::collections::HashSet;
use std::fmt;

use serde_json::{json, Map, Value};

use super::context::{KeyState, PrincipalSpec, Request};
use super::document::{Effect, Policy};
use super::eval::{applicability, evaluate, Decision};
use super::matching::{count_work, Tri};
use super::requests::{
    ecr_pull_requests, layer_bucket_arn, logs_write_requests, starport_layer_download,
};

/// Sid of the statement [`fix_starport_policy`] adds.
pub const LAYER_SID: &str = "AllowEcrImageLayers";
/// Sid of the statement [`fix_ecr_endpoint_policy`] adds.
pub const ECR_PULL_SID: &str = "AllowEcrImagePull";
/// Sid of the statement [`fix_logs_endpoint_policy`] adds.
pub const LOGS_SID: &str = "AllowAwslogsDriver";

/// Why no fix is proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixError {
    message: String,
}

impl FixError {
    fn new(message: impl Into<String>) -> FixError {
        FixError {
            message: message.into(),
        }
    }
}

impl fmt::Display for FixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FixError {}

fn parse(policy: &Value) -> Result<Policy, FixError> {
    Policy::from_value(policy).map_err(|e| FixError::new(format!("invalid policy: {e}")))
}

/// The statement object at `index` (a single-object `Statement` is index 0).
fn statement_mut(doc: &mut Value, index: usize) -> Option<&mut Map<String, Value>> {
    match doc.get_mut("Statement")? {
        Value::Array(items) => items.get_mut(index)?.as_object_mut(),
        s @ Value::Object(_) if index == 0 => s.as_object_mut(),
        _ => None,
    }
}

/// A Sid not used in the document, starting from `base`. The Sids in use are a set: a document
/// whose statements are named `base`, `base2`, `base3`, … would otherwise cost a scan of the list
/// per candidate (quadratic).
fn fresh_sid(doc: &Value, base: &str) -> String {
    let used: HashSet<&str> = match doc.get("Statement") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|s| s.get("Sid").and_then(Value::as_str))
            .collect(),
        Some(s @ Value::Object(_)) => s.get("Sid").and_then(Value::as_str).into_iter().collect(),
        _ => HashSet::new(),
    };
    count_work(1);
    if !used.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|s| {
            count_work(1);
            !used.contains(&s.as_str())
        })
        .unwrap_or_else(|| base.to_string())
}

/// Appends a statement, turning a single-object `Statement` into an array.
fn push_statement(doc: &mut Value, statement: Value) -> Result<(), FixError> {
    let obj = doc
        .as_object_mut()
        .ok_or_else(|| FixError::new("the policy is not an object"))?;
    match obj.get_mut("Statement") {
        Some(Value::Array(items)) => items.push(statement),
        Some(single @ Value::Object(_)) => {
            let first = single.take();
            *single = Value::Array(vec![first, statement]);
        }
        _ => return Err(FixError::new("the policy has no Statement to add to")),
    }
    Ok(())
}

/// Narrows a Deny so that it no longer covers `layer`: add it to `NotResource`, or turn
/// `Resource: "*"` into `NotResource: [layer]`.
fn narrow_deny(stmt: &mut Map<String, Value>, name: &str, layer: &str) -> Result<(), FixError> {
    if let Some(not_resource) = stmt.get_mut("NotResource") {
        let mut items = match not_resource.take() {
            Value::Array(items) => items,
            other => vec![other],
        };
        if !items.iter().any(|v| v.as_str() == Some(layer)) {
            items.push(Value::String(layer.to_string()));
        }
        *not_resource = Value::Array(items);
        return Ok(());
    }
    let only_star = match stmt.get("Resource") {
        Some(Value::String(s)) => s == "*",
        Some(Value::Array(items)) => {
            !items.is_empty() && items.iter().all(|v| v.as_str() == Some("*"))
        }
        _ => false,
    };
    if only_star {
        stmt.remove("Resource");
        stmt.insert("NotResource".to_string(), json!([layer]));
        return Ok(());
    }
    Err(FixError::new(format!(
        "{name} denies the layer download and lists specific resources; narrowing it needs a person \
         (exclude {layer} from it)"
    )))
}

/// Corrects a policy (typically an S3 gateway endpoint policy) that blocks ECR's layer download
/// in `region`: narrows each Deny that applies (adding the layer bucket to its `NotResource`, or
/// turning `Resource: "*"` into `NotResource: [layer bucket]`), then, if nothing allows the
/// download, appends
/// `{"Sid":"AllowEcrImageLayers","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-<region>-starport-layer-bucket/*"}`.
/// The user's statements are kept, in order.
///
/// Errors when the decision is Unknown (no fix is proposed for what we cannot see), when a Deny
/// cannot be narrowed mechanically, for partitions whose layer bucket is undocumented, or when the
/// result would not evaluate to Allow.
pub fn fix_starport_policy(
    policy: &Value,
    region: &str,
    partition: &str,
    vpc_id: KeyState,
    vpce_id: KeyState,
) -> Result<Value, FixError> {
    let parsed = parse(policy)?;
    let (Some(request), Some(layer)) = (
        starport_layer_download(region, partition, vpc_id, vpce_id),
        layer_bucket_arn(region, partition),
    ) else {
        return Err(FixError::new(format!(
            "the ECR layer bucket of partition {partition} is not documented"
        )));
    };
    let first = evaluate(&parsed, &request);
    match first.decision {
        Decision::Allow => return Ok(policy.clone()),
        Decision::Unknown => {
            return Err(FixError::new(format!(
                "whether the policy allows ECR's layer download is unknown ({}); no fix proposed",
                first.unknown_because.join("; ")
            )))
        }
        Decision::ExplicitDeny | Decision::ImplicitDeny => {}
    }
    let mut doc = policy.clone();
    for applied in applicability(&parsed, &request, false, None) {
        if applied.effect == Effect::Deny && applied.applies.tri == Tri::Yes {
            let name = applied.at.to_string();
            let stmt = statement_mut(&mut doc, applied.at.index)
                .ok_or_else(|| FixError::new(format!("{name} not found in the document")))?;
            narrow_deny(stmt, &name, &layer)?;
        }
    }
    if evaluate(&parse(&doc)?, &request).decision == Decision::ImplicitDeny {
        let sid = fresh_sid(&doc, LAYER_SID);
        push_statement(
            &mut doc,
            json!({"Sid": sid, "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": layer}),
        )?;
    }
    let last = evaluate(&parse(&doc)?, &request);
    if last.decision != Decision::Allow {
        return Err(FixError::new(format!(
            "the corrected policy would still be {} for ECR's layer download; no fix proposed",
            last.decision
        )));
    }
    Ok(doc)
}

/// Adds one Allow statement (`Principal: "*"`, `Resource: "*"`) with exactly the actions of
/// `requests` that the policy implicitly denies. Errors when one is explicitly denied or unknown
/// (a person must decide), or when the result would not allow every request.
pub fn fix_missing_actions(
    policy: &Value,
    requests: &[Request],
    sid: &str,
) -> Result<Value, FixError> {
    let parsed = parse(policy)?;
    let mut missing: Vec<String> = Vec::new();
    for request in requests {
        let e = evaluate(&parsed, request);
        match e.decision {
            Decision::Allow => {}
            Decision::ImplicitDeny => {
                if !missing.contains(&request.action) {
                    missing.push(request.action.clone());
                }
            }
            Decision::ExplicitDeny => {
                let by: Vec<String> = e.deciding.iter().map(ToString::to_string).collect();
                return Err(FixError::new(format!(
                    "{} is explicitly denied by {}; no fix proposed",
                    request.action,
                    by.join(", ")
                )));
            }
            Decision::Unknown => {
                return Err(FixError::new(format!(
                    "whether the policy allows {} is unknown ({}); no fix proposed",
                    request.action,
                    e.unknown_because.join("; ")
                )))
            }
        }
    }
    if missing.is_empty() {
        return Ok(policy.clone());
    }
    let mut doc = policy.clone();
    let sid = fresh_sid(&doc, sid);
    let action = if missing.len() == 1 {
        json!(missing[0])
    } else {
        json!(missing)
    };
    push_statement(
        &mut doc,
        json!({"Sid": sid, "Effect": "Allow", "Principal": "*", "Action": action, "Resource": "*"}),
    )?;
    let fixed = parse(&doc)?;
    for request in requests {
        let d = evaluate(&fixed, request).decision;
        if d != Decision::Allow {
            return Err(FixError::new(format!(
                "the corrected policy would still be {d} for {}; no fix proposed",
                request.action
            )));
        }
    }
    Ok(doc)
}

/// [`fix_missing_actions`] for an `ecr.api`/`ecr.dkr` endpoint policy and the three pull calls.
pub fn fix_ecr_endpoint_policy(
    policy: &Value,
    principal: &PrincipalSpec,
    region: &str,
    repository_arn: Option<&str>,
    vpc_id: &KeyState,
    vpce_id: &KeyState,
) -> Result<Value, FixError> {
    let requests = ecr_pull_requests(principal, region, repository_arn, vpc_id, vpce_id);
    fix_missing_actions(policy, &requests, ECR_PULL_SID)
}

/// [`fix_missing_actions`] for a `logs` endpoint policy and the `awslogs` driver's calls.
pub fn fix_logs_endpoint_policy(
    policy: &Value,
    principal: &PrincipalSpec,
    region: &str,
    log_group_arn: Option<&str>,
    create_group: bool,
    vpc_id: &KeyState,
    vpce_id: &KeyState,
) -> Result<Value, FixError> {
    let requests = logs_write_requests(
        principal,
        region,
        log_group_arn,
        create_group,
        vpc_id,
        vpce_id,
    );
    fix_missing_actions(policy, &requests, LOGS_SID)
}

#[cfg(test)]
mod work {
    use super::*;
    use crate::policy::matching::WORK;

    #[test]
    fn a_fresh_sid_costs_one_lookup_per_candidate() {
        let n = 5_000;
        let statements: Vec<Value> = (1..=n)
            .map(|i| match i {
                1 => json!({"Sid": LAYER_SID}),
                i => json!({"Sid": format!("{LAYER_SID}{i}")}),
            })
            .collect();
        let doc = json!({"Statement": statements});
        WORK.with(|w| w.set(0));
        assert_eq!(fresh_sid(&doc, LAYER_SID), format!("{LAYER_SID}{}", n + 1));
        let work = WORK.with(|w| w.get());
        assert!(work <= 2 * n as u64, "work {work}");
    }
}
