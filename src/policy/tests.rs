//! Table-driven tests: (name, policy, request, expected decision).

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

fn cases() -> Vec<Case> {
    vec![
        // ---- DOMAIN.md §3: the S3 gateway endpoint and ECR's layer bucket ----
        case("app bucket only (the incident)", APP_BUCKET_ONLY, starport, ImplicitDeny),
        case("starport only", STARPORT_ONLY, starport, Allow),
        case("default full-access policy", FULL_ACCESS, starport, Allow),
        case("s3:* on *", allow_resource(None, json!("*")).replace("s3:GetObject", "s3:*"), starport, Allow),
        case("s3:Get* on arn:aws:s3:::*", allow_resource(None, json!("arn:aws:s3:::*")).replace("s3:GetObject", "s3:Get*"), starport, Allow),
        case("s3:List* does not cover GetObject", allow_resource(None, json!("*")).replace("s3:GetObject", "s3:List*"), starport, ImplicitDeny),
        case("wildcard bucket name", allow_resource(None, json!("arn:aws:s3:::prod-*-starport-layer-bucket/*")), starport, Allow),
        case("? in the region", allow_resource(None, json!("arn:aws:s3:::prod-us-east-?-starport-layer-bucket/*")), starport, Allow),
        case("wrong region's bucket", allow_resource(None, json!("arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*")), starport, ImplicitDeny),
        case("bucket ARN without /*", allow_resource(None, json!("arn:aws:s3:::prod-us-east-1-starport-layer-bucket")), starport, ImplicitDeny),
        case("resources are case-sensitive", allow_resource(None, json!("arn:aws:s3:::PROD-us-east-1-starport-layer-bucket/*")), starport, ImplicitDeny),
        case("some keys only: Maybe", allow_resource(None, json!("arn:aws:s3:::prod-us-east-1-starport-layer-bucket/sha256*")), starport, Unknown),
        case("app bucket plus layer bucket", allow_resource(Some("2012-10-17"), json!(["arn:aws:s3:::my-app-bucket/*", LAYER])), starport, Allow),
        case("Principal AWS account: root only", allow_principal(json!({"AWS": ACCOUNT})), starport, ImplicitDeny),
        case("Principal AWS account root ARN", allow_principal(json!({"AWS": "arn:aws:iam::111122223333:root"})), starport, ImplicitDeny),
        case("Principal AWS *", allow_principal(json!({"AWS": "*"})), starport, Allow),
        case("Principal AWS [*] array", allow_principal(json!({"AWS": ["*"]})), starport, Allow),
        case("Principal Service", allow_principal(json!({"Service": "ecs-tasks.amazonaws.com"})), starport, ImplicitDeny),
        case("Principal Federated", allow_principal(json!({"Federated": "cognito-identity.amazonaws.com"})), starport, ImplicitDeny),
        case("Principal CanonicalUser", allow_principal(json!({"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"})), starport, ImplicitDeny),
        case("Allow conditioned on aws:PrincipalAccount", allow_if(json!({"StringEquals": {"aws:PrincipalAccount": ACCOUNT}})), starport, ImplicitDeny),
        case("Allow conditioned on aws:PrincipalOrgID", allow_if(json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})), starport, ImplicitDeny),
        case("Allow conditioned on aws:PrincipalArn", allow_if(json!({"ArnEquals": {"aws:PrincipalArn": ROLE}})), starport, ImplicitDeny),
        case("Allow conditioned on aws:ResourceAccount", allow_if(json!({"StringEquals": {"aws:ResourceAccount": ACCOUNT}})), starport, ImplicitDeny),
        case("Allow conditioned on s3:ResourceAccount", allow_if(json!({"StringEquals": {"s3:ResourceAccount": ACCOUNT}})), starport, ImplicitDeny),
        case("Allow conditioned on aws:ResourceOrgID", allow_if(json!({"StringEquals": {"aws:ResourceOrgID": "o-abc123"}})), starport, ImplicitDeny),
        case("Allow conditioned on aws:PrincipalIsAWSService", allow_if(json!({"Bool": {"aws:PrincipalIsAWSService": "true"}})), starport, ImplicitDeny),
        case("Deny StringNotEquals aws:ResourceAccount", deny_if(json!({"StringNotEquals": {"aws:ResourceAccount": ACCOUNT}})), starport, ExplicitDeny),
        case("Deny StringNotEquals aws:PrincipalAccount", deny_if(json!({"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}})), starport, ExplicitDeny),
        case("Deny StringNotEqualsIfExists aws:ResourceOrgID", deny_if(json!({"StringNotEqualsIfExists": {"aws:ResourceOrgID": "o-abc123"}})), starport, ExplicitDeny),
        case("Deny StringEquals aws:PrincipalAccount (positive) does not apply", deny_if(json!({"StringEquals": {"aws:PrincipalAccount": ACCOUNT}})), starport, Allow),
        case("ArnLike aws:PrincipalArn * matches AWS-owned", allow_if(json!({"ArnLike": {"aws:PrincipalArn": "*"}})), starport, Allow),
        case("ArnLike aws:PrincipalArn in our account", allow_if(json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}})), starport, ImplicitDeny),
        case("ArnLike aws:PrincipalArn any account: might match", allow_if(json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}})), starport, Unknown),
        case("StringLike aws:PrincipalAccount *", allow_if(json!({"StringLike": {"aws:PrincipalAccount": "*"}})), starport, Allow),
        case("ForAnyValue:StringLike aws:PrincipalOrgPaths", allow_if(json!({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-abc123/*"]}})), starport, ImplicitDeny),
        case("Null aws:PrincipalOrgID false (present)", allow_if(json!({"Null": {"aws:PrincipalOrgID": "false"}})), starport, Allow),
        case("Deny-only StringNotEquals aws:SourceVpc, vpc matches", DENY_ONLY_SOURCE_VPC, starport, ImplicitDeny),
        // Nothing allows the request: denied whether or not the Deny applies (DOMAIN.md §5).
        case("Deny-only StringNotEquals aws:SourceVpc, vpc unknown", DENY_ONLY_SOURCE_VPC, starport_vpc_unknown, ImplicitDeny),
        case("Deny-only StringNotEquals aws:SourceVpc, other vpc", DENY_ONLY_SOURCE_VPC.replace("vpc-1", "vpc-2"), starport, ExplicitDeny),
        case("Allow + Deny outside our VPC, vpc matches", deny_if(json!({"StringNotEquals": {"aws:SourceVpc": "vpc-1"}})), starport, Allow),
        case("Allow + Deny outside our VPC, vpc unknown", deny_if(json!({"StringNotEquals": {"aws:SourceVpc": "vpc-1"}})), starport_vpc_unknown, Unknown),
        case("Allow only through our endpoint", allow_if(json!({"StringEquals": {"aws:SourceVpce": "vpce-1"}})), starport, Allow),
        case("Allow only through our endpoint, id unknown", allow_if(json!({"StringEquals": {"aws:SourceVpce": "vpce-1"}})), starport_vpc_unknown, Unknown),
        case("generic_endpoint_policy (terraform-aws-modules): S3", GENERIC_ENDPOINT_POLICY, starport, ImplicitDeny),
        case("generic_endpoint_policy (terraform-aws-modules): ECR", GENERIC_ENDPOINT_POLICY, ecr_token, ImplicitDeny),
        case("generic_endpoint_policy, vpc unknown", GENERIC_ENDPOINT_POLICY, ecr_token_vpc_unknown, ImplicitDeny),
        case("NotAction iam:* allows s3", r#"{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"iam:*","Resource":"*"}]}"#, starport, Allow),
        case("NotAction s3:GetObject", r#"{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":["s3:GetObject"],"Resource":"*"}]}"#, starport, ImplicitDeny),
        case("NotResource of another bucket", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret/*"}]}"#, starport, Allow),
        case("NotResource covering the layer bucket", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","NotResource":["arn:aws:s3:::prod-*"]}]}"#, starport, ImplicitDeny),
        case("data perimeter: Deny exempting the layer bucket", json!({"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":["arn:aws:s3:::prod-*-starport-layer-bucket/*"],
             "Condition":{"StringNotEqualsIfExists":{"aws:ResourceOrgID":"o-abc123"}}}]}).to_string(), starport, Allow),
        case("Deny NotIpAddress aws:SourceIp (absent through an endpoint)", deny_if(json!({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), starport, ExplicitDeny),
        case("Deny NotIpAddressIfExists aws:SourceIp: IfExists is true when absent", deny_if(json!({"NotIpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}})), starport, ExplicitDeny),
        case("Deny IpAddressIfExists aws:SourceIp", deny_if(json!({"IpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}})), starport, ExplicitDeny),
        case("Deny IpAddress aws:SourceIp (absent)", deny_if(json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), starport, Allow),
        case("Allow IpAddress aws:SourceIp (absent)", allow_if(json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}})), starport, ImplicitDeny),
        case("Null aws:SourceIp true", allow_if(json!({"Null": {"aws:SourceIp": "true"}})), starport, Allow),
        case("Deny Bool aws:SecureTransport false", deny_if(json!({"Bool": {"aws:SecureTransport": false}})), starport, Allow),
        case("Allow on a key pullpath does not model", allow_if(json!({"StringEquals": {"s3:ExistingObjectTag/team": "a"}})), starport, Unknown),
        case("unknown operator on an Allow", allow_if(json!({"StringEqualz": {"aws:SourceVpc": "vpc-1"}})), starport, Unknown),
        case("unknown operator on a Deny", deny_if(json!({"StringEqualz": {"aws:SourceVpc": "vpc-1"}})), starport, Unknown),
        case("NotPrincipal on a Deny does not exempt AWS-owned", json!({"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"Deny","NotPrincipal":{"AWS":ROLE},"Action":"*","Resource":"*"}]}).to_string(), starport, ExplicitDeny),
        case("Statement as a single object", r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"}}"#, starport, Allow),
        case("actions are case-insensitive", allow_resource(None, json!(LAYER)).replace("s3:GetObject", "S3:getobject"), starport, Allow),
        case("? in an action", allow_resource(None, json!(LAYER)).replace("s3:GetObject", "s3:GetObjec?"), starport, Allow),
        case("? is one character", allow_resource(None, json!(LAYER)).replace("s3:GetObject", "s3:Get?"), starport, ImplicitDeny),
        // ---- DOMAIN.md §5: ECR and logs endpoint policies, secrets ----
        case("ECR: full access", FULL_ACCESS, ecr_token, Allow),
        case("ECR: dkr-only actions miss the token", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*"}]}"#, ecr_token, ImplicitDeny),
        case("ECR: layer URL allowed", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*"}]}"#, ecr_layer_url, Allow),
        case("ECR: principal is the role", allow_principal(json!({"AWS": ROLE})), ecr_token, Allow),
        case("ECR: principal is the role's account", allow_principal(json!({"AWS": ACCOUNT})), ecr_token, Allow),
        case("ECR: principal is another account", allow_principal(json!({"AWS": "444455556666"})), ecr_token, ImplicitDeny),
        case("ECR: principal is another role", allow_principal(json!({"AWS": "arn:aws:iam::111122223333:role/other"})), ecr_token, ImplicitDeny),
        case("ECR: role named, principal unknown", allow_principal(json!({"AWS": ROLE})), ecr_token_unknown_principal, Unknown),
        case("ECR: account named, principal unknown", allow_principal(json!({"AWS": ACCOUNT})), ecr_token_unknown_principal, Unknown),
        case("ECR: a session of the role", allow_principal(json!({"AWS": "arn:aws:sts::111122223333:assumed-role/exec/s1"})), ecr_token, Unknown),
        case("ECR: repository-scoped allow", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/app"}]}"#, ecr_image, Allow),
        case("ECR: token needs Resource *", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/app"}]}"#, ecr_token, ImplicitDeny),
        case("ECR: repository not known", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/app"}]}"#, ecr_image_repo_unknown, Unknown),
        case("ECR: repository not known, Resource *", FULL_ACCESS, ecr_image_repo_unknown, Allow),
        case("ECR: repository wildcard", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:*:111122223333:repository/*"}]}"#, ecr_image, Allow),
        case("ECR: aws:PrincipalAccount works for our role", allow_if(json!({"StringEquals": {"aws:PrincipalAccount": ACCOUNT}})), ecr_token, Allow),
        case("ECR: aws:PrincipalAccount, principal unknown", allow_if(json!({"StringEquals": {"aws:PrincipalAccount": ACCOUNT}})), ecr_token_unknown_principal, Unknown),
        case("ECR: aws:ResourceAccount from the repository", allow_if(json!({"StringEquals": {"aws:ResourceAccount": ACCOUNT}})), ecr_image, Allow),
        case("ECR: Deny outside our endpoint, same endpoint", deny_if(json!({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}})), ecr_image, Allow),
        case("logs: log group with :*", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:111122223333:log-group:/ecs/app:*"}]}"#, logs_put, Allow),
        case("logs: log group without :*", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:111122223333:log-group:/ecs/app"}]}"#, logs_put, ImplicitDeny),
        case("logs: arn:aws:logs:*:*:*", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"logs:*","Resource":"arn:aws:logs:*:*:*"}]}"#, logs_put, Allow),
        case("logs: CreateLogGroup with :*", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"logs:CreateLogGroup","Resource":"arn:aws:logs:us-east-1:111122223333:log-group:/ecs/app:*"}]}"#, logs_create_group, Allow),
        case("logs: group unknown, scoped policy", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"logs:*","Resource":"arn:aws:logs:us-east-1:111122223333:log-group:/ecs/*"}]}"#, logs_create_stream_unknown_group, Unknown),
        case("logs: group unknown, Resource *", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"logs:*","Resource":"*"}]}"#, logs_create_stream_unknown_group, Allow),
        case("secrets: GetSecretValue on a name prefix", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:db-*"}]}"#, secret, Allow),
        case("secrets: GetSecretValue on another secret", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:api-*"}]}"#, secret, ImplicitDeny),
        case("ssm: GetParameters on a path", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ssm:GetParameter*","Resource":"arn:aws:ssm:us-east-1:111122223333:parameter/app/*"}]}"#, parameter, Allow),
        // ---- IAM User Guide, policy evaluation logic ----
        case("explicit deny overrides allow", json!({"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},
            {"Sid":"NoGet","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}).to_string(), starport, ExplicitDeny),
        case("default deny: no statement applies", r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ec2:*","Resource":"*"}]}"#, starport, ImplicitDeny),
        case("a Deny alone denies everything", r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"ec2:*","Resource":"*"}]}"#, starport, ImplicitDeny),
        case("Deny NotAction: everything but IAM is denied", json!({"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"Deny","Principal":"*","NotAction":"iam:*","Resource":"*"}]}).to_string(), starport, ExplicitDeny),
        case("Deny NotResource exempting the object", json!({"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"Deny","Principal":"*","Action":"*","NotResource":"arn:aws:s3:::bucket/alice/*"}]}).to_string(), || with_keys(&[]), Allow),
        // ---- condition operators ----
        case("StringEquals matches", allow_if(json!({"StringEquals": {"aws:SourceVpc": "vpc-1"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), Allow),
        case("StringEquals differs", allow_if(json!({"StringEquals": {"aws:SourceVpc": "vpc-2"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), ImplicitDeny),
        case("values are ORed", allow_if(json!({"StringEquals": {"aws:SourceVpc": ["vpc-2", "vpc-1"]}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), Allow),
        case("keys are ANDed", allow_if(json!({"StringEquals": {"aws:SourceVpc": "vpc-1", "aws:SourceVpce": "vpce-9"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1")), ("aws:SourceVpce", k("vpce-1"))]), ImplicitDeny),
        case("operators are ANDed", allow_if(json!({"StringEquals": {"aws:SourceVpc": "vpc-1"}, "Bool": {"aws:SecureTransport": "true"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1")), ("aws:SecureTransport", k("true"))]), Allow),
        case("key names are case-insensitive", allow_if(json!({"StringEquals": {"AWS:SOURCEVPC": "vpc-1"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), Allow),
        case("StringEquals is case-sensitive", allow_if(json!({"StringEquals": {"aws:SourceVpc": "VPC-1"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), ImplicitDeny),
        case("StringEqualsIgnoreCase", allow_if(json!({"StringEqualsIgnoreCase": {"aws:SourceVpc": "VPC-1"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), Allow),
        case("StringNotEqualsIgnoreCase", allow_if(json!({"StringNotEqualsIgnoreCase": {"aws:SourceVpc": "VPC-1"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), ImplicitDeny),
        case("StringNotEquals: none of the values", allow_if(json!({"StringNotEquals": {"aws:SourceVpc": ["vpc-2", "vpc-3"]}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), Allow),
        case("StringNotEquals: one of the values", allow_if(json!({"StringNotEquals": {"aws:SourceVpc": ["vpc-2", "vpc-1"]}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), ImplicitDeny),
        case("StringEquals treats * literally", allow_if(json!({"StringEquals": {"aws:SourceVpc": "vpc-*"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), ImplicitDeny),
        case("StringLike", allow_if(json!({"StringLike": {"aws:SourceVpc": "vpc-?"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), Allow),
        case("StringNotLike", allow_if(json!({"StringNotLike": {"aws:SourceVpc": "vpc-*"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), ImplicitDeny),
        case("absent key: positive operator false", allow_if(json!({"StringEquals": {"aws:SourceVpc": "vpc-1"}})), || with_keys(&[]), ImplicitDeny),
        case("absent key: negated operator true", allow_if(json!({"StringNotEquals": {"aws:SourceVpc": "vpc-1"}})), || with_keys(&[]), Allow),
        case("absent key: ArnNotLike true", allow_if(json!({"ArnNotLike": {"aws:SourceArn": "arn:aws:s3:::x"}})), || with_keys(&[]), Allow),
        case("IfExists: absent", allow_if(json!({"StringEqualsIfExists": {"aws:SourceVpc": "vpc-2"}})), || with_keys(&[]), Allow),
        case("IfExists: present and different", allow_if(json!({"StringEqualsIfExists": {"aws:SourceVpc": "vpc-2"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), ImplicitDeny),
        case("NumericLessThan", allow_if(json!({"NumericLessThan": {"s3:max-keys": 10}})), || with_keys(&[("s3:max-keys", k("5"))]), Allow),
        case("NumericGreaterThanEquals", allow_if(json!({"NumericGreaterThanEquals": {"s3:max-keys": "10"}})), || with_keys(&[("s3:max-keys", k("5"))]), ImplicitDeny),
        case("NumericNotEquals", allow_if(json!({"NumericNotEquals": {"s3:max-keys": "10"}})), || with_keys(&[("s3:max-keys", k("5"))]), Allow),
        case("Numeric with a value that is not a number", allow_if(json!({"NumericEquals": {"s3:max-keys": "ten"}})), || with_keys(&[("s3:max-keys", k("5"))]), Unknown),
        case("DateGreaterThan", allow_if(json!({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}})), || with_keys(&[("aws:CurrentTime", k("2024-06-01T12:00:00Z"))]), Allow),
        case("DateLessThan with epoch seconds", allow_if(json!({"DateLessThan": {"aws:EpochTime": "1577836800"}})), || with_keys(&[("aws:EpochTime", k("1717243200"))]), ImplicitDeny),
        case("DateEquals across offsets", allow_if(json!({"DateEquals": {"aws:CurrentTime": "2020-01-01T01:00:00+01:00"}})), || with_keys(&[("aws:CurrentTime", k("2020-01-01T00:00:00Z"))]), Allow),
        case("Bool with a JSON boolean", allow_if(json!({"Bool": {"aws:MultiFactorAuthPresent": true}})), || with_keys(&[("aws:MultiFactorAuthPresent", k("true"))]), Allow),
        case("BinaryEquals", allow_if(json!({"BinaryEquals": {"aws:SomeBlob": "QmluYXJ5"}})), || with_keys(&[("aws:SomeBlob", k("QmluYXJ5"))]), Allow),
        case("IpAddress in range", allow_if(json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}})), || with_keys(&[("aws:SourceIp", k("203.0.113.7"))]), Allow),
        case("IpAddress out of range", allow_if(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})), || with_keys(&[("aws:SourceIp", k("203.0.113.7"))]), ImplicitDeny),
        case("IpAddress IPv6", allow_if(json!({"IpAddress": {"aws:SourceIp": "2001:db8::/32"}})), || with_keys(&[("aws:SourceIp", k("2001:db8::5"))]), Allow),
        case("NotIpAddress in range", allow_if(json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})), || with_keys(&[("aws:SourceIp", k("10.1.1.1"))]), ImplicitDeny),
        case("ArnLike by component", allow_if(json!({"ArnLike": {"aws:SourceArn": "arn:aws:ecs:*:111122223333:task/*"}})), || with_keys(&[("aws:SourceArn", k("arn:aws:ecs:us-east-1:111122223333:task/c/abc"))]), Allow),
        case("ArnEquals differs", allow_if(json!({"ArnEquals": {"aws:SourceArn": "arn:aws:ecs:us-east-1:444455556666:task/c/abc"}})), || with_keys(&[("aws:SourceArn", k("arn:aws:ecs:us-east-1:111122223333:task/c/abc"))]), ImplicitDeny),
        case("ArnNotLike", allow_if(json!({"ArnNotLike": {"aws:SourceArn": "arn:aws:ecs:*:*:*"}})), || with_keys(&[("aws:SourceArn", k("arn:aws:ecs:us-east-1:111122223333:task/c/abc"))]), ImplicitDeny),
        case("Null true, key present", allow_if(json!({"Null": {"aws:SourceVpc": "true"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), ImplicitDeny),
        case("Null false, key present", allow_if(json!({"Null": {"aws:SourceVpc": "false"}})), || with_keys(&[("aws:SourceVpc", k("vpc-1"))]), Allow),
        case("Null, key unknown", allow_if(json!({"Null": {"aws:SourceVpc": "false"}})), || with_keys(&[("aws:SourceVpc", unknown_vpc())]), Unknown),
        case("ForAnyValue: one matches", allow_if(json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["team", "env"]}})), || with_keys(&[("aws:TagKeys", many(&["owner", "env"]))]), Allow),
        case("ForAnyValue: none matches", allow_if(json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}})), || with_keys(&[("aws:TagKeys", many(&["owner", "env"]))]), ImplicitDeny),
        case("ForAnyValue: absent key is false", allow_if(json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}})), || with_keys(&[]), ImplicitDeny),
        case("ForAllValues: all in the set", allow_if(json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "owner", "team"]}})), || with_keys(&[("aws:TagKeys", many(&["owner", "env"]))]), Allow),
        case("ForAllValues: one outside", allow_if(json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}})), || with_keys(&[("aws:TagKeys", many(&["owner", "env"]))]), ImplicitDeny),
        case("ForAllValues: absent key is true", allow_if(json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}})), || with_keys(&[]), Allow),
        case("ForAnyValue:StringNotLike", allow_if(json!({"ForAnyValue:StringNotLike": {"aws:TagKeys": ["env*"]}})), || with_keys(&[("aws:TagKeys", many(&["owner", "env"]))]), Allow),
        case("single-valued operator on several values", allow_if(json!({"StringEquals": {"aws:TagKeys": "env"}})), || with_keys(&[("aws:TagKeys", many(&["owner", "env"]))]), Unknown),
        // ---- policy variables ----
        case("2012-10-17: variable resolved", allow_resource(Some("2012-10-17"), json!("arn:aws:s3:::bucket/${aws:username}/*")), || with_keys(&[("aws:username", k("alice"))]), Allow),
        case("2012-10-17: variable resolves to someone else", allow_resource(Some("2012-10-17"), json!("arn:aws:s3:::bucket/${aws:username}/*")), || with_keys(&[("aws:username", k("bob"))]), ImplicitDeny),
        case("2012-10-17: variable unknown", allow_resource(Some("2012-10-17"), json!("arn:aws:s3:::bucket/${aws:username}/*")), || with_keys(&[("aws:username", KeyState::unknown("role session"))]), Unknown),
        case("2012-10-17: variable absent, no default", allow_resource(Some("2012-10-17"), json!("arn:aws:s3:::bucket/${aws:username}/*")), || with_keys(&[]), Unknown),
        case("2012-10-17: variable absent, default", allow_resource(Some("2012-10-17"), json!("arn:aws:s3:::bucket/${aws:username, 'alice'}/*")), || with_keys(&[]), Allow),
        case("2012-10-17: inserted text is not a wildcard", allow_resource(Some("2012-10-17"), json!("arn:aws:s3:::bucket/${aws:username}/file")), || with_keys(&[("aws:username", k("*"))]), ImplicitDeny),
        case("2012-10-17: ${*} is a literal *", allow_resource(Some("2012-10-17"), json!("arn:aws:s3:::bucket/${*}")), || with_resource("arn:aws:s3:::bucket/*", &[]), Allow),
        case("2012-10-17: ${*} is not a wildcard", allow_resource(Some("2012-10-17"), json!("arn:aws:s3:::bucket/${*}")), || with_keys(&[]), ImplicitDeny),
        case("2012-10-17: ${$} and ${?}", allow_resource(Some("2012-10-17"), json!("arn:aws:s3:::bucket/${$}${?}")), || with_resource("arn:aws:s3:::bucket/$?", &[]), Allow),
        case("2012-10-17: variable in a condition", allow_if(json!({"StringEquals": {"aws:PrincipalTag/team": "${aws:ResourceTag/team}"}})), || with_keys(&[("aws:PrincipalTag/team", k("red")), ("aws:ResourceTag/team", k("red"))]), Allow),
        case("2008-10-17: variables are literal text", allow_resource(Some("2008-10-17"), json!("arn:aws:s3:::bucket/${aws:username}/*")), || with_keys(&[("aws:username", k("alice"))]), ImplicitDeny),
        case("2008-10-17: the literal text matches", allow_resource(Some("2008-10-17"), json!("arn:aws:s3:::bucket/${aws:username}/file")), || with_resource("arn:aws:s3:::bucket/${aws:username}/file", &[("aws:username", k("alice"))]), Allow),
        case("no Version: variables are literal text", allow_resource(None, json!("arn:aws:s3:::bucket/${aws:username}/*")), || with_keys(&[("aws:username", k("alice"))]), ImplicitDeny),
        case("2008-10-17: variable in a condition is literal", allow_if(json!({"StringEquals": {"aws:PrincipalTag/team": "${aws:ResourceTag/team}"}})).replace("2012-10-17", "2008-10-17"), || with_keys(&[("aws:PrincipalTag/team", k("red")), ("aws:ResourceTag/team", k("red"))]), ImplicitDeny),
    ]
}

#[test]
fn decision_table() {
    let cases = cases();
    assert!(cases.len() >= 80, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let policy = match Policy::parse_str(&c.policy) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{}: does not parse: {e}", c.name));
                continue;
            }
        };
        let got = evaluate(&policy, &(c.request)());
        if got.decision != c.want {
            failures.push(format!(
                "{}: want {}, got {} ({:?}; {:?})",
                c.name, c.want, got.decision, got.deciding, got.unknown_because
            ));
        }
        if got.decision == Unknown {
            assert!(
                !got.unknown_because.is_empty(),
                "{}: Unknown without a reason",
                c.name
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn evidence_names_statements() {
    // An Allow guarded by a Deny whose condition is undecided.
    let p = Policy::parse_str(&deny_if(
        json!({"StringNotEquals": {"aws:SourceVpc": "vpc-1"}}),
    ))
    .unwrap();
    let e = evaluate(&p, &starport_vpc_unknown());
    assert_eq!(e.decision, Unknown);
    assert_eq!(e.deciding.len(), 1);
    assert_eq!(e.deciding[0].to_string(), "Guard");
    assert_eq!(
        e.unknown_because,
        vec!["condition key aws:SourceVpc: the VPC id is not known until apply".to_string()]
    );

    let p = Policy::parse_str(&deny_if(
        json!({"StringNotEquals": {"aws:ResourceAccount": ACCOUNT}}),
    ))
    .unwrap();
    let e = evaluate(&p, &starport());
    assert_eq!(e.decision, ExplicitDeny);
    assert_eq!(e.deciding[0].to_string(), "Guard");

    let p = Policy::parse_str(FULL_ACCESS).unwrap();
    let e = evaluate(&p, &starport());
    assert_eq!(e.deciding[0].to_string(), "Statement[0]");
    assert!(e.unknown_because.is_empty());

    let p = Policy::parse_str(APP_BUCKET_ONLY).unwrap();
    assert!(evaluate(&p, &starport()).deciding.is_empty());
}

// ---- parsing ----------------------------------------------------------------------------------

#[test]
fn invalid_documents_name_the_path() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*"},{"Effect":"Allow","Action":"*"},{"Effect":3,"Action":"*"}]}"#,
            r#"Statement[2].Effect: expected "Allow" or "Deny", found 3"#,
        ),
        (r#"{"Statement":[{"Action":"*"}]}"#, "Statement[0].Effect: missing"),
        (r#"{"Statement":{"Effect":"allow","Action":"*"}}"#, r#"Statement.Effect: expected "Allow" or "Deny", found "allow""#),
        (r#"{"Statement":"x"}"#, r#"Statement: expected an object or an array, found "x""#),
        (r#"{"Statement":[1]}"#, "Statement[0]: expected an object, found 1"),
        (r#"{"Version":"2012-10-17"}"#, "Statement: missing"),
        (r#"{"Statement":[{"Effect":"Allow","Action":5}]}"#, "Statement[0].Action: expected a string or an array of strings, found 5"),
        (r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObject",true]}]}"#, "Statement[0].Action[1]: expected a string, found true"),
        (r#"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#, "Statement[0].Action: missing (a statement needs Action or NotAction)"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"*"}]}"#, "Statement[0].NotAction: a statement cannot have both Action and NotAction"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":{}}]}"#, "Statement[0].Resource: expected a string or an array of strings, found an object"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":"arn:aws:iam::1:root"}]}"#, r#"Statement[0].Principal: expected "*" or an object, found "arn:aws:iam::1:root""#),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":{"User":"x"}}]}"#, "Statement[0].Principal.User: unknown principal type (expected AWS, Service, Federated or CanonicalUser)"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":{"AWS":[1]}}]}"#, "Statement[0].Principal.AWS[0]: expected a string, found 1"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":[]}]}"#, "Statement[0].Condition: expected an object, found an array"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringEquals":"x"}}]}"#, r#"Statement[0].Condition.StringEquals: expected an object of condition keys, found "x""#),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringEquals":{"k":null}}}]}"#, "Statement[0].Condition.StringEquals.k: expected a string, number or boolean, found null"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringEquals":{"k":["a",{}]}}}]}"#, "Statement[0].Condition.StringEquals.k[1]: expected a string, number or boolean, found an object"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Sid":1}]}"#, "Statement[0].Sid: expected a string, found 1"),
        (r#"{"Statement":[{"Effect":"Allow","Action":"*","Actions":"*"}]}"#, "Statement[0].Actions: unknown statement element"),
        (r#"{"Version":"2020-01-01","Statement":[]}"#, r#"Version: expected "2012-10-17" or "2008-10-17", found "2020-01-01""#),
        (r#"{"Statement":[],"Extra":1}"#, "Extra: unknown element (expected Version, Id or Statement)"),
        (r#"[]"#, "policy document: expected an object, found an array"),
    ];
    for (json, want) in cases {
        match Policy::parse_str(json) {
            Ok(_) => panic!("{json}: parsed, expected error {want}"),
            Err(e) => assert_eq!(e.to_string(), *want, "{json}"),
        }
    }
    let e = Policy::parse_str("{not json").unwrap_err();
    assert!(
        e.to_string().starts_with("policy document: not valid JSON"),
        "{e}"
    );
}

#[test]
fn valid_shapes_parse() {
    for json in [
        r#"{"Statement":[]}"#,
        r#"{"Id":"x","Version":"2008-10-17","Statement":{"Effect":"Deny","NotAction":["a:b"],"NotResource":"*","NotPrincipal":{"AWS":["1"],"Service":"s"}}}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":[],"Condition":{}}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"NumericLessThan":{"k":[1,2.5,"3"]},"Bool":{"b":false}}}]}"#,
    ] {
        Policy::parse_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    }
    let p =
        Policy::parse_str(r#"{"Statement":{"Sid":"One","Effect":"Deny","Action":"*"}}"#).unwrap();
    assert_eq!(p.version(), PolicyVersion::Absent);
    assert_eq!(p.statements().len(), 1);
    assert_eq!(p.statements()[0].sid(), Some("One"));
    assert_eq!(p.statements()[0].effect(), Effect::Deny);
    let v: Value = serde_json::from_str(STARPORT_ONLY).unwrap();
    assert_eq!(
        Policy::from_value(&v).unwrap(),
        Policy::parse_str(STARPORT_ONLY).unwrap()
    );
}

// ---- requests ---------------------------------------------------------------------------------

#[test]
fn layer_bucket_by_partition() {
    assert_eq!(
        layer_bucket_arn("eu-west-1", "aws").as_deref(),
        Some("arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*")
    );
    assert_eq!(layer_bucket_arn("us-gov-west-1", "aws-us-gov"), None);
    assert_eq!(layer_bucket_arn("cn-north-1", "aws-cn"), None);
    assert!(
        starport_layer_download("cn-north-1", "aws-cn", KeyState::Absent, KeyState::Absent)
            .is_none()
    );
    assert!(starport_layer_download("", "aws", KeyState::Absent, KeyState::Absent).is_none());
    let r = starport();
    assert_eq!(r.principal, PrincipalSpec::AwsOwned);
    assert_eq!(r.context.get("AWS:SOURCEVPC"), &k("vpc-1"));
    assert_eq!(r.context.get("aws:SourceIp"), &KeyState::Absent);
    assert_eq!(r.context.get("aws:PrincipalOrgID"), &KeyState::Foreign);
    assert!(matches!(r.context.get("aws:userid"), KeyState::Unknown(_)));
}

#[test]
fn constructors_fill_in_known_keys() {
    let r = ecr_token();
    assert_eq!(r.action, "ecr:GetAuthorizationToken");
    assert_eq!(r.resource, ResourceSpec::Exact("*".into()));
    assert_eq!(r.context.get("aws:PrincipalAccount"), &k(ACCOUNT));
    assert_eq!(ecr_image().context.get("aws:ResourceAccount"), &k(ACCOUNT));
    assert_eq!(ecr_image_repo_unknown().resource, ResourceSpec::Unknown);
    assert_eq!(
        secret().resource,
        ResourceSpec::Exact(
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf".into()
        )
    );
    assert_eq!(
        logs_put().resource,
        ResourceSpec::Prefix(format!("{GROUP}:log-stream:"))
    );
    assert_eq!(
        logs_create_group().resource,
        ResourceSpec::Prefix(format!("{GROUP}:"))
    );
    let all = requests::ecr_pull_requests(
        &PrincipalSpec::Arn(ROLE.into()),
        "us-east-1",
        Some(REPO),
        &k("vpc-1"),
        &k("vpce-1"),
    );
    let actions: Vec<&str> = all.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "ecr:GetAuthorizationToken",
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer"
        ]
    );
    let logs = requests::logs_write_requests(
        &PrincipalSpec::UnknownAwsPrincipal,
        "us-east-1",
        Some(GROUP),
        true,
        &k("vpc-1"),
        &k("vpce-1"),
    );
    assert_eq!(logs.len(), 3);
}

// ---- identity policies ------------------------------------------------------------------------

/// (name, attached policies, request, expected decision).
type IdentityCase<'a> = (&'a str, Vec<IdentityPolicy<'a>>, fn() -> Request, Decision);

#[test]
fn identity_policies() {
    let exec = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
    let readonly = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly";
    let ec2_role = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";
    let deny_ecr = Policy::parse_str(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ecr:*","Resource":"*"}]}"#).unwrap();
    let secrets = Policy::parse_str(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:db-*"}]}"#).unwrap();
    let conditioned = Policy::parse_str(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#).unwrap();
    use IdentityPolicy::{Document, ManagedArn, NotInInput};
    let table: Vec<IdentityCase> = vec![
        (
            "execution role policy: token",
            vec![ManagedArn(exec)],
            ecr_token,
            Allow,
        ),
        (
            "execution role policy: layer URL",
            vec![ManagedArn(exec)],
            ecr_layer_url,
            Allow,
        ),
        (
            "execution role policy: logs",
            vec![ManagedArn(exec)],
            logs_put,
            Allow,
        ),
        (
            "execution role policy: no secrets",
            vec![ManagedArn(exec)],
            secret,
            ImplicitDeny,
        ),
        (
            "execution role policy + inline secrets",
            vec![ManagedArn(exec), Document(&secrets)],
            secret,
            Allow,
        ),
        (
            "execution role policy in GovCloud",
            vec![ManagedArn(
                "arn:aws-us-gov:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            )],
            ecr_image,
            Allow,
        ),
        (
            "ECR read-only: image",
            vec![ManagedArn(readonly)],
            ecr_image,
            Allow,
        ),
        (
            "ECR read-only: no logs",
            vec![ManagedArn(readonly)],
            logs_put,
            ImplicitDeny,
        ),
        (
            "ECR pull-only",
            vec![ManagedArn(
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
            )],
            ecr_layer_url,
            Allow,
        ),
        (
            "ECR power user",
            vec![ManagedArn(
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",
            )],
            ecr_token,
            Allow,
        ),
        (
            "ECR full access",
            vec![ManagedArn(
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess",
            )],
            ecr_image,
            Allow,
        ),
        (
            "ECR Public read-only is not private ECR",
            vec![ManagedArn(
                "arn:aws:iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly",
            )],
            ecr_image,
            ImplicitDeny,
        ),
        (
            "ECR Public full access is not private ECR",
            vec![ManagedArn(
                "arn:aws:iam::aws:policy/AmazonElasticContainerRegistryPublicFullAccess",
            )],
            ecr_token,
            ImplicitDeny,
        ),
        (
            "ECR Public power user is not private ECR",
            vec![ManagedArn(
                "arn:aws:iam::aws:policy/AmazonElasticContainerRegistryPublicPowerUser",
            )],
            ecr_token,
            ImplicitDeny,
        ),
        (
            "EC2 container instance role: pull and logs",
            vec![ManagedArn(ec2_role)],
            logs_put,
            Allow,
        ),
        (
            "AdministratorAccess",
            vec![ManagedArn("arn:aws:iam::aws:policy/AdministratorAccess")],
            secret,
            Allow,
        ),
        (
            "PowerUserAccess",
            vec![ManagedArn("arn:aws:iam::aws:policy/PowerUserAccess")],
            parameter,
            Allow,
        ),
        (
            "managed ARN without its service-role/ path is not known",
            vec![ManagedArn(
                "arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy",
            )],
            ecr_token,
            Unknown,
        ),
        (
            "customer managed policy not in the input, nothing else",
            vec![ManagedArn("arn:aws:iam::111122223333:policy/pull")],
            ecr_token,
            Unknown,
        ),
        (
            "an unknown policy could deny",
            vec![
                ManagedArn(exec),
                NotInInput("arn:aws:iam::111122223333:policy/guard"),
            ],
            ecr_token,
            Unknown,
        ),
        (
            "an explicit deny wins over an unknown policy",
            vec![Document(&deny_ecr), NotInInput("extra")],
            ecr_token,
            ExplicitDeny,
        ),
        (
            "inline deny overrides the managed allow",
            vec![ManagedArn(exec), Document(&deny_ecr)],
            ecr_image,
            ExplicitDeny,
        ),
        (
            "conditioned inline allow, endpoint matches",
            vec![Document(&conditioned)],
            ecr_image,
            Allow,
        ),
        (
            "conditioned inline allow, endpoint unknown",
            vec![Document(&conditioned)],
            ecr_token_vpc_unknown,
            Unknown,
        ),
        ("no policies at all", vec![], ecr_token, ImplicitDeny),
    ];
    let mut failures = Vec::new();
    for (name, policies, request, want) in &table {
        let got = evaluate_identity(policies, &request());
        if got.decision != *want {
            failures.push(format!(
                "{name}: want {want}, got {} ({:?})",
                got.decision, got.unknown_because
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let e = evaluate_identity(&[ManagedArn(exec)], &ecr_token());
    assert_eq!(
        e.deciding[0].to_string(),
        "AmazonECSTaskExecutionRolePolicy: Statement[0]"
    );
    let e = evaluate_identity(
        &[NotInInput("arn:aws:iam::111122223333:policy/pull")],
        &ecr_token(),
    );
    assert!(e.unknown_because[0].contains("arn:aws:iam::111122223333:policy/pull"));
}

#[test]
fn every_managed_policy_parses() {
    let arns = managed::known_arns();
    assert_eq!(arns.len(), 12);
    for arn in arns {
        assert!(managed::aws_managed_policy(&arn).is_some(), "{arn}");
    }
    assert!(
        managed::aws_managed_policy("arn:aws:iam::111122223333:policy/AdministratorAccess")
            .is_none()
    );
    assert!(managed::aws_managed_policy("AdministratorAccess").is_none());
}

// ---- remediation ------------------------------------------------------------------------------

fn fix(policy: &str) -> Result<Value, fix::FixError> {
    let v: Value = serde_json::from_str(policy).unwrap();
    fix_starport_policy(&v, "us-east-1", "aws", k("vpc-1"), k("vpce-1"))
}

fn assert_allows_starport(doc: &Value) {
    let p = Policy::from_value(doc).unwrap();
    assert_eq!(evaluate(&p, &starport()).decision, Allow, "{doc}");
}

#[test]
fn fix_adds_the_layer_statement() {
    let original: Value = serde_json::from_str(APP_BUCKET_ONLY).unwrap();
    let fixed = fix(APP_BUCKET_ONLY).unwrap();
    assert_allows_starport(&fixed);
    let statements = fixed["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 2);
    assert_eq!(
        statements[0], original["Statement"][0],
        "the user's statement is kept"
    );
    assert_eq!(
        statements[1],
        json!({"Sid": LAYER_SID, "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": LAYER})
    );
    assert_eq!(fixed["Version"], original["Version"]);
}

#[test]
fn fix_single_statement_object_becomes_an_array() {
    let policy = r#"{"Statement":{"Sid":"AllowEcrImageLayers","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::app/*"}}"#;
    let fixed = fix(policy).unwrap();
    assert_allows_starport(&fixed);
    let statements = fixed["Statement"].as_array().unwrap();
    assert_eq!(statements[0]["Resource"], "arn:aws:s3:::app/*");
    assert_eq!(
        statements[1]["Sid"], "AllowEcrImageLayers2",
        "Sids stay unique"
    );
}

#[test]
fn fix_narrows_a_deny_on_star() {
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "App", "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*",
         "Condition": {"StringEquals": {"aws:ResourceAccount": ACCOUNT}}},
        {"Sid": "Perimeter", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:ResourceAccount": ACCOUNT}}}
    ]})
    .to_string();
    let fixed = fix(&policy).unwrap();
    assert_allows_starport(&fixed);
    let statements = fixed["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 3);
    assert_eq!(statements[1]["NotResource"], json!([LAYER]));
    assert!(statements[1].get("Resource").is_none());
    assert_eq!(
        statements[1]["Condition"],
        json!({"StringNotEquals": {"aws:ResourceAccount": ACCOUNT}})
    );
    assert_eq!(statements[2]["Sid"], LAYER_SID);
}

#[test]
fn fix_extends_not_resource_without_adding_an_allow() {
    let policy = json!({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::app/*"}
    ]})
    .to_string();
    let fixed = fix(&policy).unwrap();
    assert_allows_starport(&fixed);
    let statements = fixed["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 2, "the Allow was already there");
    assert_eq!(
        statements[1]["NotResource"],
        json!(["arn:aws:s3:::app/*", LAYER])
    );
}

#[test]
fn fix_refuses_what_it_cannot_do() {
    // A Deny on specific resources: narrowing it needs a person.
    let specific = json!({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
        {"Sid": "NoProdBuckets", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::prod-*"}
    ]})
    .to_string();
    let err = fix(&specific).unwrap_err();
    assert!(err.to_string().contains("NoProdBuckets"), "{err}");
    // Unknown: no fix.
    let v: Value = serde_json::from_str(DENY_ONLY_SOURCE_VPC).unwrap();
    assert!(fix_starport_policy(
        &v,
        "us-east-1",
        "aws",
        unknown_vpc(),
        KeyState::unknown("new")
    )
    .is_err());
    // Undocumented partition.
    let v: Value = serde_json::from_str(APP_BUCKET_ONLY).unwrap();
    assert!(fix_starport_policy(&v, "cn-north-1", "aws-cn", k("vpc-1"), k("vpce-1")).is_err());
    // Already allowed: unchanged.
    let v: Value = serde_json::from_str(STARPORT_ONLY).unwrap();
    assert_eq!(fix(STARPORT_ONLY).unwrap(), v);
}

#[test]
fn fix_deny_only_source_vpc_with_matching_vpc() {
    // The Deny does not apply (same VPC): only the Allow is missing.
    let fixed = fix(DENY_ONLY_SOURCE_VPC).unwrap();
    assert_allows_starport(&fixed);
    assert_eq!(fixed["Statement"].as_array().unwrap().len(), 2);
}

#[test]
fn fix_ecr_and_logs_endpoint_policies() {
    let principal = PrincipalSpec::Arn(ROLE.into());
    let token_only: Value = serde_json::from_str(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:GetAuthorizationToken","Resource":"*"}]}"#,
    )
    .unwrap();
    let fixed = fix_ecr_endpoint_policy(
        &token_only,
        &principal,
        "us-east-1",
        Some(REPO),
        &k("vpc-1"),
        &k("vpce-1"),
    )
    .unwrap();
    let statements = fixed["Statement"].as_array().unwrap();
    assert_eq!(statements[0], token_only["Statement"][0]);
    assert_eq!(
        statements[1],
        json!({"Sid": "AllowEcrImagePull", "Effect": "Allow", "Principal": "*",
               "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Resource": "*"})
    );

    let generic: Value = serde_json::from_str(GENERIC_ENDPOINT_POLICY).unwrap();
    let fixed = fix_logs_endpoint_policy(
        &generic,
        &principal,
        "us-east-1",
        Some(GROUP),
        true,
        &k("vpc-1"),
        &k("vpce-1"),
    )
    .unwrap();
    assert_eq!(
        fixed["Statement"][1]["Action"],
        json!([
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "logs:CreateLogGroup"
        ])
    );
    let p = Policy::from_value(&fixed).unwrap();
    assert_eq!(evaluate(&p, &logs_put()).decision, Allow);

    // An explicit Deny is for a person to change.
    let deny: Value = serde_json::from_str(&deny_if(
        json!({"StringNotEquals": {"aws:SourceVpce": "vpce-9"}}),
    ))
    .unwrap();
    let err = fix_ecr_endpoint_policy(
        &deny,
        &principal,
        "us-east-1",
        Some(REPO),
        &k("vpc-1"),
        &k("vpce-1"),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("explicitly denied by Guard"),
        "{err}"
    );
    // Nothing missing: unchanged.
    let full: Value = serde_json::from_str(FULL_ACCESS).unwrap();
    assert_eq!(
        fix_ecr_endpoint_policy(
            &full,
            &principal,
            "us-east-1",
            None,
            &k("vpc-1"),
            &k("vpce-1")
        )
        .unwrap(),
        full
    );
}
