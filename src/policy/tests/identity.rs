//! Identity policies: attached documents, AWS managed policies, and policies not in the input.

use super::*;

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
            "execution role policy + SecretsManagerReadWrite: secret",
            vec![
                ManagedArn(exec),
                ManagedArn("arn:aws:iam::aws:policy/SecretsManagerReadWrite"),
            ],
            secret,
            Allow,
        ),
        (
            "SecretsManagerReadWrite alone: no image",
            vec![ManagedArn(
                "arn:aws:iam::aws:policy/SecretsManagerReadWrite",
            )],
            ecr_image,
            ImplicitDeny,
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
            "managed ARN without its service-role/ path names no policy (IAM policy names are unique in an account, AWS's too): it grants nothing",
            vec![ManagedArn(
                "arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy",
            )],
            ecr_token,
            ImplicitDeny,
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
    assert_eq!(arns.len(), 22);
    for arn in arns {
        assert!(managed::aws_managed_policy(&arn).is_some(), "{arn}");
    }
    assert!(
        managed::aws_managed_policy("arn:aws:iam::111122223333:policy/AdministratorAccess")
            .is_none()
    );
    assert!(managed::aws_managed_policy("AdministratorAccess").is_none());
}

/// An AWS managed policy pullpath does not hold, of the kind that only allows (ecosystem row
/// 56: an instance role with the ECS instance policy and another AWS managed policy): it takes
/// no Allow away, so the pull stays allowed; where nothing else allows, it may (unknown). One
/// that may deny (AWSDenyAll, a quarantine policy, a permissions boundary) leaves the Allow
/// unknown, as a customer managed policy not in the input does.
#[test]
fn aws_managed_policies_outside_the_table_only_allow() {
    use IdentityPolicy::ManagedArn;
    let other = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess";
    assert!(managed::allows_only(other));
    assert!(managed::allows_only(
        "arn:aws-us-gov:iam::aws:policy/service-role/AWSGlueServiceRole"
    ));
    for denying in [
        "arn:aws:iam::aws:policy/AWSDenyAll",
        "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV4",
        "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV9",
        "arn:aws:iam::aws:policy/AmazonSecurityLakePermissionsBoundary",
        "arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess",
        // Customer managed, or held: not this kind.
        "arn:aws:iam::111122223333:policy/AmazonDynamoDBFullAccess",
        "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    ] {
        assert!(!managed::allows_only(denying), "{denying}");
    }
    let execution = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
    let e = evaluate_identity(&[ManagedArn(execution), ManagedArn(other)], &ecr_token());
    assert_eq!(e.decision, Decision::Allow);
    let e = evaluate_identity(&[ManagedArn(other)], &ecr_token());
    assert_eq!(e.decision, Decision::Unknown);
    assert!(
        e.unknown_because[0].contains("AmazonDynamoDBFullAccess"),
        "{e:?}"
    );
    assert!(e.unknown_because[0].contains("never deny"), "{e:?}");
    let deny_all = "arn:aws:iam::aws:policy/AWSDenyAll";
    let e = evaluate_identity(&[ManagedArn(execution), ManagedArn(deny_all)], &ecr_token());
    assert_eq!(e.decision, Decision::Unknown);
}

/// A secret whose ARN is known only after apply, named by the same reference in the policy
/// (ecosystem rows 11 and 30): the same marker is the same secret; a literal pattern covers it
/// only when it covers every secret ARN of that shape.
#[test]
fn a_resource_known_by_its_reference() {
    use super::requests::{reference, secret_arn_shape, secret_read_of};
    let what = "aws_secretsmanager_secret.db.arn";
    let request = || {
        secret_read_of(
            PrincipalSpec::Arn(ROLE.into()),
            "us-east-1",
            reference(what, secret_arn_shape("aws", Some("us-east-1"), None)),
            KeyState::Absent,
            KeyState::Absent,
        )
    };
    let doc = |resource: &str| {
        Policy::parse_str(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":{resource}}}]}}"#
        ))
        .unwrap()
    };
    let same = doc(&serde_json::to_string(&unknown_text(what)).unwrap());
    let same_star = doc(&serde_json::to_string(&format!("{}*", unknown_text(what))).unwrap());
    let other =
        doc(&serde_json::to_string(&unknown_text("aws_secretsmanager_secret.other.arn")).unwrap());
    let data = doc(
        &serde_json::to_string(&unknown_text("data.aws_secretsmanager_secret.db.arn")).unwrap(),
    );
    let cases: Vec<(&str, Policy, Decision)> = vec![
        ("the same reference", same, Allow),
        ("the same reference and a star", same_star, Allow),
        // Another secret the input creates: another name, another ARN.
        ("another reference", other, ImplicitDeny),
        ("a data source's reference", data, Unknown),
        ("every resource", doc(r#""*""#), Allow),
        (
            "every secret of every account",
            doc(r#""arn:aws:secretsmanager:*:*:secret:*""#),
            Allow,
        ),
        (
            "secrets of one account: the account is not known",
            doc(r#""arn:aws:secretsmanager:us-east-1:111122223333:secret:*""#),
            Unknown,
        ),
        (
            "a name prefix",
            doc(r#""arn:aws:secretsmanager:*:*:secret:db-*""#),
            Unknown,
        ),
        // No value of the unknown parts (account, name, partition) makes a secret's ARN a
        // parameter's, nor a secret of another account one of this region's.
        (
            "another service",
            doc(r#""arn:aws:ssm:*:*:parameter/*""#),
            ImplicitDeny,
        ),
        (
            "another region",
            doc(r#""arn:aws:secretsmanager:eu-west-1:*:secret:*""#),
            ImplicitDeny,
        ),
        (
            "another reference whose known text may be this secret's",
            doc(&serde_json::to_string(&format!(
                "arn:aws:secretsmanager:us-east-1:{}:secret:db-*",
                unknown_text("data.aws_caller_identity.current.account_id")
            ))
            .unwrap()),
            Unknown,
        ),
        (
            "a partly known ARN of another service",
            doc(&serde_json::to_string(&format!(
                "arn:aws:ssm:{}:{}:parameter/db",
                unknown_text("var.region"),
                unknown_text("data.aws_caller_identity.current.account_id")
            ))
            .unwrap()),
            ImplicitDeny,
        ),
    ];
    let mut failures = Vec::new();
    for (name, policy, want) in &cases {
        let got = evaluate_identity(&[IdentityPolicy::Document(policy)], &request());
        if got.decision != *want {
            failures.push(format!(
                "{name}: want {want}, got {} ({:?})",
                got.decision, got.unknown_because
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The halves of a resource policy (PP407 asks the Allow statements, PP408 the Deny ones), and
/// a condition on the same reference as the request's value (decided), or on a literal
/// (undecided).
#[test]
fn effects_apart_and_conditions_on_references() {
    let vpce = unknown_text("aws_vpc_endpoint.ecr_dkr.id");
    let doc = |deny_condition: &str| {
        Policy::parse_str(&format!(
            r#"{{"Version":"2012-10-17","Statement":[
              {{"Effect":"Allow","Principal":"*","Action":"ecr:*"}},
              {{"Effect":"Deny","Principal":"*","Action":"ecr:*","Condition":{{"StringNotEquals":{{"aws:SourceVpce":{deny_condition}}}}}}}]}}"#
        ))
        .unwrap()
    };
    let request = ecr(
        EcrPullAction::BatchGetImage,
        PrincipalSpec::Arn(ROLE.into()),
        Some(REPO),
    );
    let mut through = request.clone();
    through
        .context
        .set("aws:SourceVpce", KeyState::known(vpce.clone()));
    let same = doc(&serde_json::to_string(&vpce).unwrap());
    let literal = doc(r#""vpce-0b1d2c3e4f5a6b7c8""#);
    assert_eq!(
        evaluate_effect(&same, &through, Effect::Allow).decision,
        Allow
    );
    assert_eq!(
        evaluate_effect(&same, &through, Effect::Deny).decision,
        ImplicitDeny
    );
    assert_eq!(
        evaluate_effect(&literal, &through, Effect::Deny).decision,
        Unknown
    );
    assert_eq!(evaluate(&same, &through).decision, Allow);
    assert_eq!(evaluate(&literal, &through).decision, Unknown);
}

/// A `Resource` whose region and account are known only after apply
/// (`"arn:aws:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/ecs/web:*"`)
/// still names log group `/ecs/web`: it allows nothing on `/ecs/worker`, and a Deny written that
/// way denies nothing there; on `/ecs/web` an Allow or a Deny may apply (the region and account
/// may be others), so the decision is not known, never an allow or a deny.
#[test]
fn a_partly_known_resource_names_what_its_known_text_names() {
    let group = |name: &str| {
        format!(
            "arn:aws:logs:us-east-1:{}:log-group:{name}",
            super::UNKNOWN_PART
        )
    };
    let put = |name: &str| {
        logs_write(
            LogsAction::PutLogEvents,
            PrincipalSpec::Arn(ROLE.into()),
            "us-east-1",
            Some(&group(name)),
            KeyState::Absent,
            KeyState::Absent,
        )
    };
    let web = serde_json::to_string(&format!(
        "arn:aws:logs:{}:{}:log-group:/ecs/web:*",
        unknown_text("var.region"),
        unknown_text("data.aws_caller_identity.current.account_id")
    ))
    .unwrap();
    let allow = Policy::parse_str(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":{web}}}]}}"#
    ))
    .unwrap();
    let deny = Policy::parse_str(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"logs:*","Resource":"*"}},{{"Effect":"Deny","Action":"logs:PutLogEvents","Resource":{web}}}]}}"#
    ))
    .unwrap();
    let decide = |p: &Policy, name: &str| {
        evaluate_identity(&[IdentityPolicy::Document(p)], &put(name)).decision
    };
    assert_eq!(decide(&allow, "/ecs/worker"), ImplicitDeny);
    assert_eq!(decide(&allow, "/ecs/web"), Unknown);
    assert_eq!(decide(&deny, "/ecs/worker"), Allow);
    assert_eq!(decide(&deny, "/ecs/web"), Unknown);
}

/// The account of `data.aws_caller_identity` is the input's own ([`super::OWN_ACCOUNT`] where
/// not known): a `Resource` in that account covers a log group of the task's own account
/// (Yes, though no account id is known) and still names only its group. Against an account
/// that is not the input's own one (an [`super::UNKNOWN_PART`], or a known id that may or may
/// not be it) it is undecided, never a guessed match; an Allow of another group is never one.
#[test]
fn the_callers_account_is_the_tasks_own() {
    let put = |account: &str, name: &str| {
        logs_write(
            LogsAction::PutLogEvents,
            PrincipalSpec::Arn(ROLE.into()),
            "us-east-1",
            Some(&format!(
                "arn:aws:logs:us-east-1:{account}:log-group:{name}"
            )),
            KeyState::Absent,
            KeyState::Absent,
        )
    };
    let policy = |resource: String| {
        let r = serde_json::to_string(&resource).unwrap();
        Policy::parse_str(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":{r}}}]}}"#
        ))
        .unwrap()
    };
    let caller = unknown_text("data.aws_caller_identity.current.account_id");
    let web = policy(format!(
        "arn:aws:logs:us-east-1:{caller}:log-group:/ecs/web:*"
    ));
    // Wildcards elsewhere keep their meaning.
    let quest = policy(format!(
        "arn:aws:logs:us-east-1:{caller}:log-group:/ecs/we?:*"
    ));
    let star = policy(format!("arn:aws:logs:*:{caller}:log-group:/ecs/*"));
    let region = policy(format!(
        "arn:aws:logs:{}:{caller}:log-group:/ecs/web:*",
        unknown_text("var.region")
    ));
    let decide = |p: &Policy, account: &str, name: &str| {
        evaluate_identity(&[IdentityPolicy::Document(p)], &put(account, name)).decision
    };
    let own = super::OWN_ACCOUNT.to_string();
    let unknown = super::UNKNOWN_PART.to_string();
    assert_eq!(decide(&web, &own, "/ecs/web"), Allow);
    assert_eq!(decide(&quest, &own, "/ecs/web"), Allow);
    assert_eq!(decide(&star, &own, "/ecs/web"), Allow);
    assert_eq!(decide(&web, &own, "/ecs/worker"), ImplicitDeny);
    assert_eq!(decide(&web, &unknown, "/ecs/web"), Unknown);
    assert_eq!(decide(&web, "123456789012", "/ecs/web"), Unknown);
    assert_eq!(decide(&web, "123456789012", "/ecs/worker"), ImplicitDeny);
    // Another part not known besides the account: not decided.
    assert_eq!(decide(&region, &own, "/ecs/web"), Unknown);
    // A policy cannot name the stand-in itself.
    let forged = policy(format!("arn:aws:logs:us-east-1:{own}:log-group:/ecs/web:*"));
    assert_eq!(decide(&forged, &own, "/ecs/web"), Unknown);
}
