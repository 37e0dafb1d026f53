//! Hostile inputs: policy. A policy in a pull request is text its author chose: a wildcard
//! pattern hundreds of kilobytes long, tens of thousands of condition keys. The check must still
//! end with the right verdict; [`run_within`] guards against a hang (it times nothing).

#[allow(unused_imports)]
use super::common::*;

use serde_json::{json, Value};

/// The plan whose S3 gateway endpoint policy allows the layer bucket by a wildcard (statement
/// `EcrLayers`); every case edits that policy.
const PLAN: &str = "testdata/plans/s3-policy-blocks-layer-bucket/pass-wildcard-layer-bucket.json";

/// The plan with `edit` applied to its S3 endpoint policy (wherever the plan holds it: planned
/// values and the resource change), written into `dir`.
fn plan_with_policy(dir: &TempDir, name: &str, edit: impl Fn(&mut Value)) -> String {
    fn walk(v: &mut Value, edit: &dyn Fn(&mut Value), edited: &mut usize) {
        match v {
            Value::String(s) if s.contains("EcrLayers") => {
                let mut policy: Value = serde_json::from_str(s).expect("the policy is JSON");
                edit(&mut policy);
                *s = policy.to_string();
                *edited += 1;
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, edit, edited)),
            Value::Object(map) => map.values_mut().for_each(|i| walk(i, edit, edited)),
            _ => {}
        }
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PLAN);
    let mut plan: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read the plan")).expect("JSON");
    let mut edited = 0;
    walk(&mut plan, &edit, &mut edited);
    assert!(edited >= 1, "the plan holds the endpoint policy");
    let out = dir.path().join(name);
    std::fs::write(&out, plan.to_string()).expect("write the plan");
    out.to_string_lossy().into_owned()
}

/// The statements of a policy document.
fn statements(policy: &mut Value) -> &mut Vec<Value> {
    policy["Statement"]
        .as_array_mut()
        .expect("Statement is an array")
}

/// The `EcrLayers` statement.
fn layer_statement(policy: &mut Value) -> &mut Value {
    statements(policy)
        .iter_mut()
        .find(|s| s["Sid"] == "EcrLayers")
        .expect("the EcrLayers statement")
}

/// `pullpath check --format json PLAN`, which must end within the stall limit with exit 0.
/// These policies are far over the 20,480 characters AWS accepts in an endpoint policy: PP409
/// fails on each (checked here once, `hostile_policies_are_over_the_size_limit`); the cases are
/// about what PP401's evaluator makes of them, so PP409 is left out.
fn check_json(plan: &str) -> Value {
    let out = run_within(
        command(&["check", "--format", "json", "--ignore", "PP409", plan]),
        STALL_LIMIT,
    )
    .expect("pullpath stalled on a hostile policy");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("the report is JSON")
}

#[test]
fn hostile_policies_are_over_the_size_limit() {
    let dir = TempDir::new("policy-star-run-size");
    let plan = plan_with_policy(&dir, "plan.json", |p| {
        layer_statement(p)["Resource"] = json!(star_run());
    });
    let out = run_within(command(&["check", "--format", "json", &plan]), STALL_LIMIT)
        .expect("pullpath stalled on a hostile policy");
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("the report is JSON");
    let pp409: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "PP409")
        .collect();
    assert_eq!(pp409.len(), 1, "{report}");
    assert!(pp409[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("over the limit of 20480"));
}

/// The verdicts of the plan's VPC and its findings' rules.
fn verdict(report: &Value) -> (String, Vec<String>) {
    let vpc = report["vpcs"][0]["verdict"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let rules = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or("").to_string())
        .collect();
    (vpc, rules)
}

/// 300,000 stars then a literal: after any text every position of the pattern is live, and the
/// old matcher looked at the rest of the pattern from each of them (quadratic: about five
/// minutes in a release build).
fn star_run() -> String {
    format!("{}x", "*".repeat(300_000))
}

#[test]
fn a_300_kb_wildcard_resource_beside_the_allow_does_not_stall_and_passes() {
    let dir = TempDir::new("policy-star-run-pass");
    let plan = plan_with_policy(&dir, "plan.json", |p| {
        statements(p).push(json!({
            "Sid": "Hostile", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": star_run(),
        }));
    });
    let report = check_json(&plan);
    assert_eq!(verdict(&report), ("pass".to_string(), Vec::new()));
}

#[test]
fn a_300_kb_wildcard_resource_as_the_only_allow_does_not_stall_and_is_undecided() {
    let dir = TempDir::new("policy-star-run-unknown");
    let plan = plan_with_policy(&dir, "plan.json", |p| {
        layer_statement(p)["Resource"] = json!(star_run());
    });
    let report = check_json(&plan);
    assert_eq!(
        verdict(&report),
        ("unknown".to_string(), vec!["PP401".to_string()])
    );
    let message = report["findings"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("matches some but not all resources named"),
        "{}",
        &message[..message.len().min(400)]
    );
}

#[test]
fn a_hundred_thousand_condition_keys_do_not_stall_and_each_reason_is_given_once_in_order() {
    // The same 50,000 keys under two operators: 100,000 undecided conditions, 50,000 distinct
    // reasons. The old merge scanned the reasons so far for each new one (quadratic: 30,000 keys
    // took 9 s in a release build).
    const KEYS: usize = 50_000;
    let dir = TempDir::new("policy-condition-keys");
    let plan = plan_with_policy(&dir, "plan.json", |p| {
        let keys: serde_json::Map<String, Value> = (0..KEYS)
            .map(|i| (format!("aws:k{i:05}"), json!("x")))
            .collect();
        layer_statement(p)["Condition"] =
            json!({"StringLike": keys.clone(), "StringNotLike": keys});
    });
    let report = check_json(&plan);
    assert_eq!(
        verdict(&report),
        ("unknown".to_string(), vec!["PP401".to_string()])
    );
    let message = report["findings"][0]["message"].as_str().unwrap_or("");
    let named: Vec<&str> = message
        .split("condition key ")
        .skip(1)
        .map(|r| r.split(':').take(2).last().unwrap_or(""))
        .collect();
    let expected: Vec<String> = (0..KEYS).map(|i| format!("k{i:05}")).collect();
    assert_eq!(named.len(), KEYS, "each key's reason once");
    assert!(
        named.iter().zip(&expected).all(|(n, e)| n == e),
        "in key order"
    );
}
