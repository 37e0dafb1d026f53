//! The policy fixes: statements added, narrowed or extended, and what cannot be fixed.

use super::*;

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
