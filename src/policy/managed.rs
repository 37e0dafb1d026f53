//! AWS managed policies pullpath knows by ARN, with their documented content.
//!
//! Source: the AWS Managed Policy Reference (docs.aws.amazon.com/aws-managed-policy), default
//! versions as published there: AmazonECSTaskExecutionRolePolicy v1, AmazonEC2ContainerRegistry
//! ReadOnly v3, PullOnly v1, PowerUser v3, FullAccess v3, AmazonElasticContainerRegistryPublic
//! ReadOnly/PowerUser/FullAccess v1, AmazonEC2ContainerServiceforEC2Role v10, AdministratorAccess
//! v1, PowerUserAccess v12, AmazonSSMManagedInstanceCore v2 (attached to most container instance
//! roles, for Session Manager), SecretsManagerReadWrite v6 (attached to execution roles that read
//! Secrets Manager secrets; v6 adds the `CloudFormationTagOnCreate` statement to v5);
//! CloudWatchLogsFullAccess v8, CloudWatchAgentServerPolicy v3, CloudWatchFullAccess v4,
//! AmazonSSMReadOnlyAccess v1, AmazonSSMFullAccess v4, AmazonEC2RoleforSSM v8,
//! AWSLambdaBasicExecutionRole v1, AmazonS3ReadOnlyAccess v3, AmazonS3FullAccess v2 (attached
//! beside the execution policy to roles that write logs or read parameters; the default versions
//! of 2026-08, as IAM's GetPolicyVersion returns them). AWS edits managed policies over time; a
//! newer default version can differ.
//!
//! AWS managed policies outside this table: almost all of them only allow. Those that deny
//! ([`DENYING`]: every default version with an `Effect: Deny` statement among the 1,645 AWS
//! managed policies of 2026-08, from IAM's GetPolicyVersion, and the newer
//! AWSCompromisedKeyQuarantineV4) and any whose name says it restricts (see [`may_deny`]) are
//! policies that could allow or deny; the others can add an Allow but never take one away
//! ([`allows_only`]). The ARN is matched on its `policy/...` part in any partition
//! (`arn:aws:iam::aws:policy/...`, `arn:aws-cn:...`, `arn:aws-us-gov:...`).

use super::document::Policy;

/// `(path after "policy/", document)`.
const POLICIES: &[(&str, &str)] = &[
    (
        "service-role/AmazonECSTaskExecutionRolePolicy",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[
            "ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonEC2ContainerRegistryReadOnly",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[
            "ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer",
            "ecr:GetRepositoryPolicy","ecr:DescribeRepositories","ecr:ListImages","ecr:DescribeImages",
            "ecr:BatchGetImage","ecr:GetLifecyclePolicy","ecr:GetLifecyclePolicyPreview",
            "ecr:ListTagsForResource","ecr:DescribeImageScanFindings"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonEC2ContainerRegistryPullOnly",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[
            "ecr:GetAuthorizationToken","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer",
            "ecr:BatchImportUpstreamImage"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonEC2ContainerRegistryPowerUser",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[
            "ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer",
            "ecr:GetRepositoryPolicy","ecr:DescribeRepositories","ecr:ListImages","ecr:DescribeImages",
            "ecr:BatchGetImage","ecr:GetLifecyclePolicy","ecr:GetLifecyclePolicyPreview",
            "ecr:ListTagsForResource","ecr:DescribeImageScanFindings","ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart","ecr:CompleteLayerUpload","ecr:PutImage"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonEC2ContainerRegistryFullAccess",
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["ecr:*","cloudtrail:LookupEvents"],"Resource":"*"},
            {"Effect":"Allow","Action":["iam:CreateServiceLinkedRole"],"Resource":"*",
             "Condition":{"StringEquals":{"iam:AWSServiceName":["replication.ecr.amazonaws.com"]}}}]}"#,
    ),
    (
        "AmazonElasticContainerRegistryPublicReadOnly",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[
            "ecr-public:GetAuthorizationToken","sts:GetServiceBearerToken",
            "ecr-public:BatchCheckLayerAvailability","ecr-public:GetRepositoryPolicy",
            "ecr-public:DescribeRepositories","ecr-public:DescribeRegistries","ecr-public:DescribeImages",
            "ecr-public:DescribeImageTags","ecr-public:GetRepositoryCatalogData",
            "ecr-public:GetRegistryCatalogData"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonElasticContainerRegistryPublicPowerUser",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[
            "ecr-public:GetAuthorizationToken","sts:GetServiceBearerToken",
            "ecr-public:BatchCheckLayerAvailability","ecr-public:GetRepositoryPolicy",
            "ecr-public:DescribeRepositories","ecr-public:DescribeRegistries","ecr-public:DescribeImages",
            "ecr-public:DescribeImageTags","ecr-public:GetRepositoryCatalogData",
            "ecr-public:GetRegistryCatalogData","ecr-public:InitiateLayerUpload",
            "ecr-public:UploadLayerPart","ecr-public:CompleteLayerUpload","ecr-public:PutImage"],
            "Resource":"*"}]}"#,
    ),
    (
        "AmazonElasticContainerRegistryPublicFullAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[
            "ecr-public:*","sts:GetServiceBearerToken"],"Resource":"*"}]}"#,
    ),
    (
        "service-role/AmazonEC2ContainerServiceforEC2Role",
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["ec2:DescribeTags","ecs:CreateCluster",
              "ecs:DeregisterContainerInstance","ecs:DiscoverPollEndpoint","ecs:Poll",
              "ecs:RegisterContainerInstance","ecs:StartTelemetrySession",
              "ecs:UpdateContainerInstancesState","ecs:Submit*","ecr:GetAuthorizationToken",
              "ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage",
              "logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"},
            {"Effect":"Allow","Action":"ecs:TagResource","Resource":"*",
             "Condition":{"StringEquals":{"ecs:CreateAction":["CreateCluster","RegisterContainerInstance"]}}},
            {"Effect":"Allow","Action":["ecs:ListTagsForResource"],
             "Resource":["arn:aws:ecs:*:*:task/*/*","arn:aws:ecs:*:*:container-instance/*/*"]}]}"#,
    ),
    (
        "AmazonSSMManagedInstanceCore",
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["ssm:DescribeAssociation",
              "ssm:GetDeployablePatchSnapshotForInstance","ssm:GetDocument","ssm:DescribeDocument",
              "ssm:GetManifest","ssm:GetParameter","ssm:GetParameters","ssm:ListAssociations",
              "ssm:ListInstanceAssociations","ssm:PutInventory","ssm:PutComplianceItems",
              "ssm:PutConfigurePackageResult","ssm:UpdateAssociationStatus",
              "ssm:UpdateInstanceAssociationStatus","ssm:UpdateInstanceInformation"],"Resource":"*"},
            {"Effect":"Allow","Action":["ssmmessages:CreateControlChannel",
              "ssmmessages:CreateDataChannel","ssmmessages:OpenControlChannel",
              "ssmmessages:OpenDataChannel"],"Resource":"*"},
            {"Effect":"Allow","Action":["ec2messages:AcknowledgeMessage","ec2messages:DeleteMessage",
              "ec2messages:FailMessage","ec2messages:GetEndpoint","ec2messages:GetMessages",
              "ec2messages:SendReply"],"Resource":"*"}]}"#,
    ),
    (
        "SecretsManagerReadWrite",
        r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"BasePermissions","Effect":"Allow","Action":["secretsmanager:*",
              "cloudformation:CreateChangeSet","cloudformation:DescribeChangeSet",
              "cloudformation:DescribeStackResource","cloudformation:DescribeStacks",
              "cloudformation:ExecuteChangeSet","docdb-elastic:GetCluster",
              "docdb-elastic:ListClusters","ec2:DescribeSecurityGroups","ec2:DescribeSubnets",
              "ec2:DescribeVpcs","kms:DescribeKey","kms:ListAliases","kms:ListKeys",
              "lambda:ListFunctions","rds:DescribeDBClusters","rds:DescribeDBInstances",
              "redshift:DescribeClusters","redshift-serverless:ListWorkgroups",
              "redshift-serverless:GetNamespace","tag:GetResources"],"Resource":"*"},
            {"Sid":"LambdaPermissions","Effect":"Allow","Action":["lambda:AddPermission",
              "lambda:CreateFunction","lambda:GetFunction","lambda:InvokeFunction",
              "lambda:UpdateFunctionConfiguration"],
             "Resource":"arn:aws:lambda:*:*:function:SecretsManager*"},
            {"Sid":"SARPermissions","Effect":"Allow","Action":[
              "serverlessrepo:CreateCloudFormationChangeSet","serverlessrepo:GetApplication"],
             "Resource":"arn:aws:serverlessrepo:*:*:applications/SecretsManager*"},
            {"Sid":"S3Permissions","Effect":"Allow","Action":["s3:GetObject"],
             "Resource":["arn:aws:s3:::awsserverlessrepo-changesets*",
              "arn:aws:s3:::secrets-manager-rotation-apps-*/*"]},
            {"Sid":"CloudFormationTagOnCreate","Effect":"Allow","Action":[
              "cloudformation:TagResource","cloudformation:UntagResource"],"Resource":"*",
             "Condition":{"StringEquals":{"cloudformation:CreateAction":[
              "CreateChangeSet","ExecuteChangeSet"]}}}]}"#,
    ),
    (
        "AdministratorAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    ),
    (
        "PowerUserAccess",
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},
            {"Effect":"Allow","Action":["account:GetAccountInformation",
              "account:GetGovCloudAccountInformation","account:GetPrimaryEmail","account:ListRegions",
              "iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles",
              "organizations:DescribeEffectivePolicy","organizations:DescribeOrganization"],
             "Resource":"*"}]}"#,
    ),
    (
        "CloudWatchLogsFullAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"CloudWatchLogsFullAccess","Effect":"Allow",
            "Action":["logs:*","cloudwatch:GenerateQuery","cloudwatch:GenerateQueryResultsSummary",
            "observabilityadmin:GetS3TableIntegration","observabilityadmin:ListS3TableIntegrations",
            "observabilityadmin:ListTelemetryPipelines"],"Resource":"*"}]}"#,
    ),
    (
        "CloudWatchAgentServerPolicy",
        r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"CWACloudWatchServerPermissions","Effect":"Allow","Action":[
              "cloudwatch:PutMetricData","ec2:DescribeVolumes","ec2:DescribeTags","logs:PutLogEvents",
              "logs:PutRetentionPolicy","logs:DescribeLogStreams","logs:DescribeLogGroups",
              "logs:CreateLogStream","logs:CreateLogGroup","xray:PutTraceSegments",
              "xray:PutTelemetryRecords","xray:GetSamplingRules","xray:GetSamplingTargets",
              "xray:GetSamplingStatisticSummaries"],"Resource":"*"},
            {"Sid":"CWASSMServerPermissions","Effect":"Allow","Action":["ssm:GetParameter"],
             "Resource":"arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*"}]}"#,
    ),
    (
        "CloudWatchFullAccess",
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["autoscaling:Describe*","cloudwatch:*","logs:*","sns:*",
              "iam:GetPolicy","iam:GetPolicyVersion","iam:GetRole","oam:ListSinks"],"Resource":"*"},
            {"Effect":"Allow","Action":"iam:CreateServiceLinkedRole",
             "Resource":"arn:aws:iam::*:role/aws-service-role/events.amazonaws.com/AWSServiceRoleForCloudWatchEvents*",
             "Condition":{"StringLike":{"iam:AWSServiceName":"events.amazonaws.com"}}},
            {"Effect":"Allow","Action":["oam:ListAttachedLinks"],"Resource":"arn:aws:oam:*:*:sink/*"}]}"#,
    ),
    (
        "AmazonSSMReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:Describe*",
            "ssm:Get*","ssm:List*"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonSSMFullAccess",
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["cloudwatch:PutMetricData","ds:CreateComputer",
              "ds:DescribeDirectories","ec2:DescribeInstanceStatus","logs:*","ssm:*","ec2messages:*"],
             "Resource":"*"},
            {"Effect":"Allow","Action":"iam:CreateServiceLinkedRole",
             "Resource":"arn:aws:iam::*:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM*",
             "Condition":{"StringLike":{"iam:AWSServiceName":"ssm.amazonaws.com"}}},
            {"Effect":"Allow","Action":["iam:DeleteServiceLinkedRole",
              "iam:GetServiceLinkedRoleDeletionStatus"],
             "Resource":"arn:aws:iam::*:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM*"},
            {"Effect":"Allow","Action":["ssmmessages:CreateControlChannel",
              "ssmmessages:CreateDataChannel","ssmmessages:OpenControlChannel",
              "ssmmessages:OpenDataChannel"],"Resource":"*"}]}"#,
    ),
    (
        "service-role/AmazonEC2RoleforSSM",
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["ssm:DescribeAssociation",
              "ssm:GetDeployablePatchSnapshotForInstance","ssm:GetDocument","ssm:DescribeDocument",
              "ssm:GetManifest","ssm:GetParameters","ssm:ListAssociations",
              "ssm:ListInstanceAssociations","ssm:PutInventory","ssm:PutComplianceItems",
              "ssm:PutConfigurePackageResult","ssm:UpdateAssociationStatus",
              "ssm:UpdateInstanceAssociationStatus","ssm:UpdateInstanceInformation"],"Resource":"*"},
            {"Effect":"Allow","Action":["ssmmessages:CreateControlChannel",
              "ssmmessages:CreateDataChannel","ssmmessages:OpenControlChannel",
              "ssmmessages:OpenDataChannel"],"Resource":"*"},
            {"Effect":"Allow","Action":["ec2messages:AcknowledgeMessage","ec2messages:DeleteMessage",
              "ec2messages:FailMessage","ec2messages:GetEndpoint","ec2messages:GetMessages",
              "ec2messages:SendReply"],"Resource":"*"},
            {"Effect":"Allow","Action":["cloudwatch:PutMetricData"],"Resource":"*"},
            {"Effect":"Allow","Action":["ec2:DescribeInstanceStatus"],"Resource":"*"},
            {"Effect":"Allow","Action":["ds:CreateComputer","ds:DescribeDirectories"],"Resource":"*"},
            {"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream",
              "logs:DescribeLogGroups","logs:DescribeLogStreams","logs:PutLogEvents"],"Resource":"*"},
            {"Effect":"Allow","Action":["s3:GetBucketLocation","s3:PutObject","s3:GetObject",
              "s3:GetEncryptionConfiguration","s3:AbortMultipartUpload","s3:ListMultipartUploadParts",
              "s3:ListBucket","s3:ListBucketMultipartUploads"],"Resource":"*"}]}"#,
    ),
    (
        "service-role/AWSLambdaBasicExecutionRole",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup",
            "logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonS3ReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*",
            "s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonS3FullAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*",
            "s3-object-lambda:*"],"Resource":"*"}]}"#,
    ),
];

/// The `policy/...` path of an AWS managed policy ARN (`arn:<partition>:iam::aws:policy/<path>`).
fn managed_path(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6
        || parts[0] != "arn"
        || parts[2] != "iam"
        || !parts[3].is_empty()
        || parts[4] != "aws"
    {
        return None;
    }
    parts[5].strip_prefix("policy/")
}

/// AWS managed policies (the name after `policy/` and any path) with an `Effect: Deny`
/// statement in their default version: all of them among the 1,645 of 2026-08 (IAM's
/// GetPolicyVersion), AWSCompromisedKeyQuarantineV4 (2026-11), and two whose document could not
/// be read then (AWSCodePipelineFullAccess, AWSECRPullThroughCacheServiceRolePolicy).
const DENYING: &[&str] = &[
    "AWSCertificateManagerPrivateCAPrivilegedUser",
    "AWSCertificateManagerPrivateCAUser",
    "AWSCleanRoomsFullAccessNoQuerying",
    "AWSCodePipelineFullAccess",
    "AWSCompromisedKeyQuarantine",
    "AWSCompromisedKeyQuarantineV2",
    "AWSCompromisedKeyQuarantineV3",
    "AWSCompromisedKeyQuarantineV4",
    "AWSDeepRacerDefaultMultiUserAccess",
    "AWSDenyAll",
    "AWSEC2SpotServiceRolePolicy",
    "AWSECRPullThroughCacheServiceRolePolicy",
    "AWSIAMIdentityCenterAllowListForIdentityContext",
    "AWSLakeFormationDataAdmin",
    "AWSMarketplaceImageBuildFullAccess",
    "AWSPrivateCAPrivilegedUser",
    "AWSPrivateCAUser",
    "AWSQuickSetupManagedInstanceProfileExecutionPolicy",
    "AWSSystemsManagerOpsDataSyncServiceRolePolicy",
    "AWSTransformApplicationDeploymentPolicy",
    "AmazonCloudWatchEvidentlyServiceRolePolicy",
    "AmazonCognitoIdpEmailServiceRolePolicy",
    "AmazonConnectReadOnlyAccess",
    "AmazonConnectServiceLinkedRolePolicy",
    "AmazonConnectSynchronizationServiceRolePolicy",
    "AmazonDataZoneEnvironmentRolePermissionsBoundary",
    "AmazonDataZoneProjectDeploymentPermissionsBoundary",
    "AmazonDataZoneProjectRolePermissionsBoundary",
    "AmazonDataZoneSageMakerEnvironmentRolePermissionsBoundary",
    "AmazonGuardDutyMalwareProtectionServiceRolePolicy",
    "AmazonInspector2AgentlessServiceRolePolicy",
    "AmazonInspector2AmiScanServiceRolePolicy",
    "AmazonRDSCustomPreviewServiceRolePolicy",
    "AmazonRDSCustomServiceRolePolicy",
    "AmazonRedshiftDataFullAccess",
    "AmazonSecurityLakePermissionsBoundary",
    "AwsGlueSessionUserRestrictedNotebookPolicy",
    "AwsGlueSessionUserRestrictedNotebookServiceRole",
    "AwsGlueSessionUserRestrictedPolicy",
    "AwsGlueSessionUserRestrictedServiceRole",
    "IAMAuditRootUserCredentials",
    "IAMCreateRootUserPassword",
    "IAMDeleteRootUserCredentials",
    "S3UnlockBucketPolicy",
    "SQSUnlockQueuePolicy",
    "SageMakerStudioAdminIAMDefaultExecutionPolicy",
    "SageMakerStudioAdminIAMPermissiveExecutionPolicy",
    "SageMakerStudioProjectUserRolePermissionsBoundary",
    "SageMakerStudioUserIAMDefaultExecutionPolicy",
    "SageMakerStudioUserIAMPermissiveExecutionPolicy",
];

/// Whether an AWS managed policy (its name, after any path) may deny: it is in [`DENYING`], or
/// its name says it restricts (a policy AWS added after the list was made, such as a new
/// quarantine or permissions boundary, likely denies).
fn may_deny(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "deny",
        "quarantine",
        "boundary",
        "restricted",
        "unlock",
        "root",
        "noquerying",
        "allowlist",
    ];
    let lower = name.to_ascii_lowercase();
    DENYING.iter().any(|d| d.eq_ignore_ascii_case(name)) || WORDS.iter().any(|w| lower.contains(w))
}

/// Whether `arn` is an AWS managed policy that pullpath does not hold but that can only allow
/// (see the module's documentation): it may add an Allow, never take one away.
pub fn allows_only(arn: &str) -> bool {
    let Some(path) = managed_path(arn) else {
        return false;
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    !name.is_empty() && aws_managed_policy_ref(arn).is_none() && !may_deny(name)
}

/// An AWS managed policy ARN whose name is that of a policy pullpath knows, under another path
/// (`arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy`, without `service-role/`): no such
/// policy exists (AWS managed policy names are unique), so attaching it fails. Returns the
/// path the name lives under.
pub fn misplaced(arn: &str) -> Option<&'static str> {
    let path = managed_path(arn)?;
    if POLICIES.iter().any(|(p, _)| *p == path) {
        return None;
    }
    let name = path.rsplit('/').next()?;
    POLICIES
        .iter()
        .map(|(p, _)| *p)
        .find(|p| p.rsplit('/').next() == Some(name))
}

/// The document of an AWS managed policy pullpath knows, as JSON text.
pub fn aws_managed_policy_json(arn: &str) -> Option<&'static str> {
    let path = managed_path(arn)?;
    POLICIES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, json)| *json)
}

/// The document of an AWS managed policy pullpath knows, parsed. `None` for any other ARN
/// (including customer managed policies): evaluate those as not in the input.
pub fn aws_managed_policy(arn: &str) -> Option<Policy> {
    aws_managed_policy_ref(arn).cloned()
}

/// Like [`aws_managed_policy`], without copying: each document is parsed once per process.
pub fn aws_managed_policy_ref(arn: &str) -> Option<&'static Policy> {
    static PARSED: std::sync::OnceLock<Vec<Option<Policy>>> = std::sync::OnceLock::new();
    let path = managed_path(arn)?;
    let i = POLICIES.iter().position(|(p, _)| *p == path)?;
    let parsed = PARSED.get_or_init(|| {
        POLICIES
            .iter()
            .map(|(_, json)| Policy::parse_str(json).ok())
            .collect()
    });
    parsed.get(i).and_then(Option::as_ref)
}

/// ARNs (partition `aws`) of every managed policy pullpath knows.
pub fn known_arns() -> Vec<String> {
    POLICIES
        .iter()
        .map(|(path, _)| format!("arn:aws:iam::aws:policy/{path}"))
        .collect()
}
