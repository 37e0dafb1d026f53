//! The decision table: (name, policy, request, expected decision), and the statements a
//! decision names.

use super::*;

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
