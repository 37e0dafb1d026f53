//! The policy evaluator's tests, by theme: the decision table (name, policy, request, expected
//! decision) in `decisions`, document parsing in `parsing`, the request constructors in
//! `request_keys`, identity policies in `identity` and the policy fixes in `remediation`. The
//! requests, policies and keys they share are here.

mod decisions;
mod identity;
mod parsing;
mod remediation;
mod request_keys;

use serde_json::{json, Value};

use super::fix::{
    fix_ecr_endpoint_policy, fix_logs_endpoint_policy, fix_starport_policy, LAYER_SID,
};
use super::requests::{
    ecr_pull, layer_bucket_arn, logs_write, secret_read, ssm_parameters_read,
    starport_layer_download, EcrPullAction, LogsAction,
};
use super::*;

const ACCOUNT: &str = "111122223333";
const ROLE: &str = "arn:aws:iam::111122223333:role/exec";
const REPO: &str = "arn:aws:ecr:us-east-1:111122223333:repository/app";
const GROUP: &str = "arn:aws:logs:us-east-1:111122223333:log-group:/ecs/app";
const LAYER: &str = "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*";

use Decision::{Allow, ExplicitDeny, ImplicitDeny, Unknown};

fn k(v: &str) -> KeyState {
    KeyState::known(v)
}
fn unknown_vpc() -> KeyState {
    KeyState::unknown("the VPC id is not known until apply")
}

// ---- requests -------------------------------------------------------------------------------

fn starport() -> Request {
    starport_layer_download("us-east-1", "aws", k("vpc-1"), k("vpce-1")).unwrap()
}
fn starport_vpc_unknown() -> Request {
    starport_layer_download("us-east-1", "aws", unknown_vpc(), KeyState::unknown("new")).unwrap()
}
fn ecr(action: EcrPullAction, principal: PrincipalSpec, repo: Option<&str>) -> Request {
    ecr_pull(
        action,
        principal,
        "us-east-1",
        repo,
        k("vpc-1"),
        k("vpce-1"),
    )
}
fn ecr_token() -> Request {
    ecr(
        EcrPullAction::GetAuthorizationToken,
        PrincipalSpec::Arn(ROLE.into()),
        Some(REPO),
    )
}
fn ecr_token_vpc_unknown() -> Request {
    ecr_pull(
        EcrPullAction::GetAuthorizationToken,
        PrincipalSpec::Arn(ROLE.into()),
        "us-east-1",
        Some(REPO),
        unknown_vpc(),
        KeyState::unknown("new"),
    )
}
fn ecr_image() -> Request {
    ecr(
        EcrPullAction::BatchGetImage,
        PrincipalSpec::Arn(ROLE.into()),
        Some(REPO),
    )
}
fn ecr_layer_url() -> Request {
    ecr(
        EcrPullAction::GetDownloadUrlForLayer,
        PrincipalSpec::Arn(ROLE.into()),
        Some(REPO),
    )
}
fn ecr_image_repo_unknown() -> Request {
    ecr(
        EcrPullAction::BatchGetImage,
        PrincipalSpec::Arn(ROLE.into()),
        None,
    )
}
fn ecr_token_unknown_principal() -> Request {
    ecr(
        EcrPullAction::GetAuthorizationToken,
        PrincipalSpec::UnknownAwsPrincipal,
        Some(REPO),
    )
}
fn logs_put() -> Request {
    logs_write(
        LogsAction::PutLogEvents,
        PrincipalSpec::Arn(ROLE.into()),
        "us-east-1",
        Some(GROUP),
        k("vpc-1"),
        k("vpce-1"),
    )
}
fn logs_create_stream_unknown_group() -> Request {
    logs_write(
        LogsAction::CreateLogStream,
        PrincipalSpec::Arn(ROLE.into()),
        "us-east-1",
        None,
        k("vpc-1"),
        k("vpce-1"),
    )
}
fn logs_create_group() -> Request {
    logs_write(
        LogsAction::CreateLogGroup,
        PrincipalSpec::Arn(ROLE.into()),
        "us-east-1",
        Some(&format!("{GROUP}:*")),
        k("vpc-1"),
        k("vpce-1"),
    )
}
fn secret() -> Request {
    secret_read(
        PrincipalSpec::Arn(ROLE.into()),
        "us-east-1",
        Some("arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf:password::"),
        k("vpc-1"),
        k("vpce-1"),
    )
}
fn parameter() -> Request {
    ssm_parameters_read(
        PrincipalSpec::Arn(ROLE.into()),
        "us-east-1",
        Some("arn:aws:ssm:us-east-1:111122223333:parameter/app/db-url"),
        k("vpc-1"),
        k("vpce-1"),
    )
}

/// `s3:GetObject` on `arn:aws:s3:::bucket/alice/file` by ROLE, with only the given keys present.
fn with_keys(pairs: &[(&str, KeyState)]) -> Request {
    with_resource("arn:aws:s3:::bucket/alice/file", pairs)
}
fn with_resource(resource: &str, pairs: &[(&str, KeyState)]) -> Request {
    let mut context = Context::all_absent();
    for (key, state) in pairs {
        context.set(key, state.clone());
    }
    Request {
        principal: PrincipalSpec::Arn(ROLE.into()),
        action: "s3:GetObject".into(),
        resource: ResourceSpec::Exact(resource.into()),
        context,
    }
}
fn many(values: &[&str]) -> KeyState {
    KeyState::Known(values.iter().map(|v| v.to_string()).collect())
}

// ---- policies -------------------------------------------------------------------------------

/// One Allow statement with `Principal: "*"`, `Action: "*"`, `Resource: "*"` and this condition.
fn allow_if(condition: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "Condition": condition
    }]})
    .to_string()
}
/// A full Allow plus a Deny of everything with this condition.
fn deny_if(condition: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
        {"Sid": "Guard", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*", "Condition": condition}
    ]})
    .to_string()
}
/// One Allow statement for `s3:GetObject` on these resources.
fn allow_resource(version: Option<&str>, resource: Value) -> String {
    let mut doc = json!({"Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": resource
    }]});
    if let Some(v) = version {
        doc["Version"] = json!(v);
    }
    doc.to_string()
}
fn allow_principal(principal: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": principal, "Action": "*", "Resource": "*"
    }]})
    .to_string()
}

const APP_BUCKET_ONLY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "AppBucket", "Effect": "Allow", "Principal": "*",
    "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
    "Resource": ["arn:aws:s3:::my-app-bucket", "arn:aws:s3:::my-app-bucket/*"]
  }]
}"#;

const STARPORT_ONLY: &str = r#"{
  "Statement": [{
    "Sid": "AllowEcrLayers", "Effect": "Allow", "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"
  }]
}"#;

const FULL_ACCESS: &str =
    r#"{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*","Principal":"*"}]}"#;

/// terraform-aws-modules/vpc examples/complete `generic_endpoint_policy`, as rendered.
const GENERIC_ENDPOINT_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
    "Condition": {"StringNotEquals": {"aws:SourceVpc": "vpc-1"}}
  }]
}"#;

const DENY_ONLY_SOURCE_VPC: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "OnlyFromOurVpc", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
    "Condition": {"StringNotEquals": {"aws:SourceVpc": ["vpc-1"]}}
  }]
}"#;

struct Case {
    name: &'static str,
    policy: String,
    request: fn() -> Request,
    want: Decision,
}

fn case(
    name: &'static str,
    policy: impl Into<String>,
    request: fn() -> Request,
    want: Decision,
) -> Case {
    Case {
        name,
        policy: policy.into(),
        request,
        want,
    }
}
