//! The request constructors: the layer bucket per partition and the keys they fill in.

use super::*;

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
