//! Named constructors for the requests pullpath's rules ask about, each with the AWS fact it
//! rests on.
//!
//! The `vpc_id`/`vpce_id` arguments are the values of `aws:SourceVpc`/`aws:SourceVpce` for a
//! request made through the endpoint: [`KeyState::known`] when the plan knows the id,
//! [`KeyState::unknown`] with the reason when it does not (a VPC created by the same plan).

use super::context::{Context, KeyState, PrincipalSpec, Request, ResourceSpec, UNKNOWN_PART};
use super::matching::arn_account;
pub use crate::aws::layer_bucket_name;

const NOT_MODELLED: &str = "pullpath does not model this key for this request";

/// The object ARN pattern of the layer bucket, as an endpoint policy must allow it:
/// `arn:aws:s3:::prod-<region>-starport-layer-bucket/*`. `None` where [`layer_bucket_name`] is.
pub fn layer_bucket_arn(region: &str, partition: &str) -> Option<String> {
    layer_bucket_name(region, partition).map(|b| format!("arn:{partition}:s3:::{b}/*"))
}

/// ECR's image layer download through an S3 gateway endpoint (DOMAIN.md §3).
///
/// `s3:GetObject` on some object of `prod-<region>-starport-layer-bucket` (the key is not known:
/// `ResourceSpec::Prefix`), with a presigned URL created by an ECR-owned account
/// (`PrincipalSpec::AwsOwned`). So the principal's and the resource's account, ARN and
/// organization keys hold AWS-owned values (`KeyState::Foreign`); `aws:PrincipalIsAWSService` is
/// `false` (a presigned request is signed by an IAM principal, not by a service principal);
/// `aws:SecureTransport` is `true`; `aws:SourceIp` is absent (requests through a VPC endpoint carry
/// no public source IP; `aws:VpcSourceIp` is left unknown); `aws:SourceVpc`/`aws:SourceVpce` are
/// as given. Every other key is unknown.
///
/// `None` for partitions other than `aws` (see [`layer_bucket_name`]).
pub fn starport_layer_download(
    region: &str,
    partition: &str,
    vpc_id: KeyState,
    vpce_id: KeyState,
) -> Option<Request> {
    let bucket = layer_bucket_name(region, partition)?;
    let mut context = Context::all_unknown(
        "the value of this key in ECR's presigned layer download is not documented",
    );
    for key in [
        "aws:PrincipalAccount",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:PrincipalArn",
        "aws:ResourceAccount",
        "aws:ResourceOrgID",
        "aws:ResourceOrgPaths",
        "s3:ResourceAccount",
    ] {
        context.set(key, KeyState::Foreign);
    }
    context
        .set("aws:PrincipalIsAWSService", KeyState::known("false"))
        .set("aws:SecureTransport", KeyState::known("true"))
        .set("aws:SourceIp", KeyState::Absent)
        .set("aws:RequestedRegion", KeyState::known(region))
        .set("aws:SourceVpc", vpc_id)
        .set("aws:SourceVpce", vpce_id);
    Some(Request {
        principal: PrincipalSpec::AwsOwned,
        action: "s3:GetObject".to_string(),
        resource: ResourceSpec::Prefix(format!("arn:{partition}:s3:::{bucket}/")),
        context,
    })
}

/// The principal that pulls images and writes logs: the task execution role on Fargate, the
/// container instance role on EC2 (DOMAIN.md §5), or an unknown principal of the customer's
/// account when the role's ARN is not known.
pub fn pulling_principal(role_arn: Option<&str>) -> PrincipalSpec {
    match role_arn {
        Some(arn) => PrincipalSpec::Arn(arn.to_string()),
        None => PrincipalSpec::UnknownAwsPrincipal,
    }
}

/// The context of a call a task's agent makes with the customer's role through an interface
/// endpoint: principal keys from the principal when known, HTTPS, no public source IP, the VPC and
/// endpoint as given, the resource's account from its ARN when known.
fn customer_context(
    principal: &PrincipalSpec,
    region: &str,
    resource_arn: Option<&str>,
    vpc_id: KeyState,
    vpce_id: KeyState,
) -> Context {
    let mut context = Context::all_unknown(NOT_MODELLED);
    context
        .set("aws:PrincipalIsAWSService", KeyState::known("false"))
        .set("aws:SecureTransport", KeyState::known("true"))
        .set("aws:SourceIp", KeyState::Absent)
        .set("aws:RequestedRegion", KeyState::known(region))
        .set("aws:SourceVpc", vpc_id)
        .set("aws:SourceVpce", vpce_id);
    match principal {
        // A principal known only by the reference that gives its ARN: its keys are unknown.
        PrincipalSpec::Arn(arn) if super::is_unknown(arn) => {}
        PrincipalSpec::Arn(arn) => {
            context.set("aws:PrincipalArn", KeyState::known(arn.as_str()));
            if let Some(account) = arn_account(arn) {
                context.set("aws:PrincipalAccount", KeyState::known(account));
            }
        }
        PrincipalSpec::Account(account) => {
            context.set("aws:PrincipalAccount", KeyState::known(account.as_str()));
        }
        _ => {}
    }
    // An account not known before apply (UNKNOWN_PART) leaves the key unknown.
    if let Some(account) = resource_arn
        .and_then(arn_account)
        .filter(|a| !a.contains([UNKNOWN_PART, super::context::OWN_ACCOUNT]))
    {
        context.set("aws:ResourceAccount", KeyState::known(account));
    }
    context
}

/// The three ECR calls of an image pull (DOMAIN.md §1, §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcrPullAction {
    /// `ecr:GetAuthorizationToken`, on `*` (it has no resource type), through `ecr.api`.
    GetAuthorizationToken,
    /// `ecr:BatchGetImage` (manifests), on the repository, through `ecr.dkr`.
    BatchGetImage,
    /// `ecr:GetDownloadUrlForLayer` (layer URLs), on the repository, through `ecr.dkr`.
    GetDownloadUrlForLayer,
}

impl EcrPullAction {
    pub const ALL: [EcrPullAction; 3] = [
        EcrPullAction::GetAuthorizationToken,
        EcrPullAction::BatchGetImage,
        EcrPullAction::GetDownloadUrlForLayer,
    ];
    /// The IAM action name.
    pub fn action(self) -> &'static str {
        match self {
            EcrPullAction::GetAuthorizationToken => "ecr:GetAuthorizationToken",
            EcrPullAction::BatchGetImage => "ecr:BatchGetImage",
            EcrPullAction::GetDownloadUrlForLayer => "ecr:GetDownloadUrlForLayer",
        }
    }
}

/// One ECR call of an image pull by `principal` (see [`pulling_principal`]).
/// `repository_arn`: `arn:aws:ecr:<region>:<account>:repository/<name>`, or `None` when the
/// repository is not known (then only `Resource: "*"` surely covers the call).
pub fn ecr_pull(
    action: EcrPullAction,
    principal: PrincipalSpec,
    region: &str,
    repository_arn: Option<&str>,
    vpc_id: KeyState,
    vpce_id: KeyState,
) -> Request {
    let (resource, resource_arn) = match action {
        EcrPullAction::GetAuthorizationToken => (ResourceSpec::Exact("*".to_string()), None),
        _ => match repository_arn {
            Some(arn) => (ResourceSpec::Exact(arn.to_string()), Some(arn)),
            None => (ResourceSpec::Unknown, None),
        },
    };
    let context = customer_context(&principal, region, resource_arn, vpc_id, vpce_id);
    Request {
        principal,
        action: action.action().to_string(),
        resource,
        context,
    }
}

/// The two repository calls of an image pull (`ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`)
/// on a repository of the input whose ARN is known only after apply: `reference` is the
/// reference that gives it (`aws_ecr_repository.app.arn`), `shape` its ARN with the unknown parts
/// as [`UNKNOWN_PART`]. A policy that names the same reference names the same repository.
pub fn ecr_pull_requests_of_reference(
    principal: &PrincipalSpec,
    region: &str,
    reference: &str,
    shape: String,
) -> Vec<Request> {
    [
        EcrPullAction::BatchGetImage,
        EcrPullAction::GetDownloadUrlForLayer,
    ]
    .iter()
    .map(|a| Request {
        principal: principal.clone(),
        action: a.action().to_string(),
        resource: self::reference(reference, shape.clone()),
        context: customer_context(principal, region, None, KeyState::Absent, KeyState::Absent),
    })
    .collect()
}

/// The three requests of an image pull, in the order [`EcrPullAction::ALL`].
pub fn ecr_pull_requests(
    principal: &PrincipalSpec,
    region: &str,
    repository_arn: Option<&str>,
    vpc_id: &KeyState,
    vpce_id: &KeyState,
) -> Vec<Request> {
    EcrPullAction::ALL
        .iter()
        .map(|a| {
            ecr_pull(
                *a,
                principal.clone(),
                region,
                repository_arn,
                vpc_id.clone(),
                vpce_id.clone(),
            )
        })
        .collect()
}

/// The CloudWatch Logs calls of the `awslogs` log driver (DOMAIN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogsAction {
    CreateLogStream,
    PutLogEvents,
    /// Only when the task definition sets `awslogs-create-group` to `"true"`.
    CreateLogGroup,
}

impl LogsAction {
    /// The IAM action name.
    pub fn action(self) -> &'static str {
        match self {
            LogsAction::CreateLogStream => "logs:CreateLogStream",
            LogsAction::PutLogEvents => "logs:PutLogEvents",
            LogsAction::CreateLogGroup => "logs:CreateLogGroup",
        }
    }
}

/// `arn:<partition>:logs:<region>:<account>:log-group:<name>`.
pub fn log_group_arn(partition: &str, region: &str, account: &str, name: &str) -> String {
    format!("arn:{partition}:logs:{region}:{account}:log-group:{name}")
}

/// One CloudWatch Logs call of the `awslogs` driver for `log_group_arn` (with or without the
/// trailing `:*`; `None` when not known).
///
/// The resource is a prefix: the stream name is chosen at run time, and CloudWatch Logs documents
/// that IAM policies must name log groups with the trailing `:*`
/// (`arn:aws:logs:<region>:<account>:log-group:<name>:*`) for these actions ("Overview of managing
/// access permissions to your CloudWatch Logs resources"). So `CreateLogStream`/`PutLogEvents` are
/// on `…:log-group:<name>:log-stream:` + the stream, `CreateLogGroup` on `…:log-group:<name>:` + more.
pub fn logs_write(
    action: LogsAction,
    principal: PrincipalSpec,
    region: &str,
    log_group_arn: Option<&str>,
    vpc_id: KeyState,
    vpce_id: KeyState,
) -> Request {
    let group = log_group_arn.map(|g| g.strip_suffix(":*").unwrap_or(g));
    let resource = match (group, action) {
        (None, _) => ResourceSpec::Unknown,
        (Some(g), LogsAction::CreateLogGroup) => ResourceSpec::Prefix(format!("{g}:")),
        (Some(g), _) => ResourceSpec::Prefix(format!("{g}:log-stream:")),
    };
    let context = customer_context(&principal, region, group, vpc_id, vpce_id);
    Request {
        principal,
        action: action.action().to_string(),
        resource,
        context,
    }
}

/// The requests of the `awslogs` driver: `CreateLogStream`, `PutLogEvents`, and `CreateLogGroup`
/// when `create_group`.
pub fn logs_write_requests(
    principal: &PrincipalSpec,
    region: &str,
    log_group_arn: Option<&str>,
    create_group: bool,
    vpc_id: &KeyState,
    vpce_id: &KeyState,
) -> Vec<Request> {
    let mut actions = vec![LogsAction::CreateLogStream, LogsAction::PutLogEvents];
    if create_group {
        actions.push(LogsAction::CreateLogGroup);
    }
    actions
        .into_iter()
        .map(|a| {
            logs_write(
                a,
                principal.clone(),
                region,
                log_group_arn,
                vpc_id.clone(),
                vpce_id.clone(),
            )
        })
        .collect()
}

/// `secretsmanager:GetSecretValue` on a secret (a container's `secrets[].valueFrom` or
/// `repositoryCredentials.credentialsParameter`; DOMAIN.md §2, §5). A `valueFrom` that selects a
/// JSON key (`…:secret:name-AbCdEf:key:stage:version`) is cut back to the secret's ARN. `kms:Decrypt`
/// on a customer managed key is a request of its own ([`kms_decrypt`]).
pub fn secret_read(
    principal: PrincipalSpec,
    region: &str,
    secret_arn: Option<&str>,
    vpc_id: KeyState,
    vpce_id: KeyState,
) -> Request {
    let arn = secret_arn.map(|a| a.splitn(8, ':').take(7).collect::<Vec<_>>().join(":"));
    let resource = arn.map_or(ResourceSpec::Unknown, |a| {
        if is_partial_secret_arn(&a) {
            ResourceSpec::Prefix(format!("{a}-"))
        } else {
            ResourceSpec::Exact(a)
        }
    });
    secret_read_of(principal, region, resource, vpc_id, vpce_id)
}

/// Whether a Secrets Manager ARN is partial: its name does not end in `-` and the six random
/// characters Secrets Manager appends (Secrets Manager User Guide, "Permissions reference" and
/// "Limiting access to specific secrets"). The secret read is then the one whose ARN is that
/// text, `-` and six characters: a policy must name it with a wildcard (`name-??????`,
/// `name-*`). A name that itself ends in `-` and six characters reads as a complete ARN.
pub fn is_partial_secret_arn(arn: &str) -> bool {
    let mut parts = arn.splitn(7, ':');
    let (Some("arn"), _, Some("secretsmanager"), _, _, Some("secret"), Some(name)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    if name.is_empty() || name.contains(super::UNKNOWN_PART) || super::is_unknown(name) {
        return false;
    }
    let suffix = name.rsplit_once('-').map(|(_, s)| s);
    !matches!(suffix, Some(s) if s.len() == 6 && s.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// [`secret_read`] of a secret given as a [`ResourceSpec`] (e.g. a
/// [`ResourceSpec::Reference`] from [`reference`] and [`secret_arn_shape`]).
pub fn secret_read_of(
    principal: PrincipalSpec,
    region: &str,
    resource: ResourceSpec,
    vpc_id: KeyState,
    vpce_id: KeyState,
) -> Request {
    read_of(
        "secretsmanager:GetSecretValue",
        principal,
        region,
        resource,
        vpc_id,
        vpce_id,
    )
}

/// `ssm:GetParameters` on a Systems Manager parameter
/// (`arn:aws:ssm:<region>:<account>:parameter/<name>`) referenced by `secrets[].valueFrom`.
pub fn ssm_parameters_read(
    principal: PrincipalSpec,
    region: &str,
    parameter_arn: Option<&str>,
    vpc_id: KeyState,
    vpce_id: KeyState,
) -> Request {
    let resource = parameter_arn.map_or(ResourceSpec::Unknown, |a| {
        ResourceSpec::Exact(a.to_string())
    });
    ssm_parameters_read_of(principal, region, resource, vpc_id, vpce_id)
}

/// [`ssm_parameters_read`] of a parameter given as a [`ResourceSpec`].
pub fn ssm_parameters_read_of(
    principal: PrincipalSpec,
    region: &str,
    resource: ResourceSpec,
    vpc_id: KeyState,
    vpce_id: KeyState,
) -> Request {
    read_of(
        "ssm:GetParameters",
        principal,
        region,
        resource,
        vpc_id,
        vpce_id,
    )
}

fn read_of(
    action: &str,
    principal: PrincipalSpec,
    region: &str,
    resource: ResourceSpec,
    vpc_id: KeyState,
    vpce_id: KeyState,
) -> Request {
    let arn = match &resource {
        ResourceSpec::Exact(a) => Some(a.as_str()),
        ResourceSpec::Reference { shape, .. } => Some(shape.as_str()),
        _ => None,
    };
    let context = customer_context(&principal, region, arn, vpc_id, vpce_id);
    Request {
        principal,
        action: action.to_string(),
        resource,
        context,
    }
}

/// A resource known only by the reference it comes from (`what`, e.g.
/// `aws_secretsmanager_secret.db.arn`), with the known parts of its ARN (`shape`): see
/// [`ResourceSpec::Reference`].
pub fn reference(what: &str, shape: String) -> ResourceSpec {
    ResourceSpec::Reference {
        reference: super::unknown_text(what),
        shape,
    }
}

/// The ARN of some Secrets Manager secret, its unknown parts as [`UNKNOWN_PART`]:
/// `arn:<partition>:secretsmanager:<region>:<account>:secret:<unknown>`.
pub fn secret_arn_shape(partition: &str, region: Option<&str>, account: Option<&str>) -> String {
    let u = UNKNOWN_PART.to_string();
    format!(
        "arn:{partition}:secretsmanager:{}:{}:secret:{u}",
        region.unwrap_or(&u),
        account.unwrap_or(&u)
    )
}

/// The ARN of some Systems Manager parameter, its unknown parts as [`UNKNOWN_PART`]:
/// `arn:<partition>:ssm:<region>:<account>:parameter/<unknown>`.
pub fn parameter_arn_shape(partition: &str, region: Option<&str>, account: Option<&str>) -> String {
    let u = UNKNOWN_PART.to_string();
    format!(
        "arn:{partition}:ssm:{}:{}:parameter/{u}",
        region.unwrap_or(&u),
        account.unwrap_or(&u)
    )
}

/// `kms:Decrypt` on the customer managed key of a secret or SecureString parameter, which the
/// reading principal needs (DOMAIN.md §2: "kms:Decrypt—Required only if your key uses a custom
/// KMS key"). Secrets Manager or Systems Manager (`via`: `secretsmanager`, `ssm`) calls KMS on
/// the principal's behalf, so `kms:ViaService` is `<via>.<region>.amazonaws.com`; the key is
/// `resource` (its ARN, a [`ResourceSpec::Reference`], or unknown).
pub fn kms_decrypt(
    principal: PrincipalSpec,
    region: &str,
    via: &str,
    resource: ResourceSpec,
    vpc_id: KeyState,
    vpce_id: KeyState,
) -> Request {
    let mut request = read_of("kms:Decrypt", principal, region, resource, vpc_id, vpce_id);
    request.context.set(
        "kms:ViaService",
        KeyState::known(format!("{via}.{region}.amazonaws.com")),
    );
    request
}

/// The ARN of some KMS key, its unknown parts as [`UNKNOWN_PART`]:
/// `arn:<partition>:kms:<region>:<account>:key/<unknown>`.
pub fn kms_key_arn_shape(partition: &str, region: Option<&str>, account: Option<&str>) -> String {
    let u = UNKNOWN_PART.to_string();
    format!(
        "arn:{partition}:kms:{}:{}:key/{u}",
        region.unwrap_or(&u),
        account.unwrap_or(&u)
    )
}
