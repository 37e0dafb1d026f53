//! AWS managed policies pullpath knows by ARN, with their documented content.
//!
//! Source: the AWS Managed Policy Reference (docs.aws.amazon.com/aws-managed-policy), default
//! versions as published there: AmazonECSTaskExecutionRolePolicy v1, AmazonEC2ContainerRegistry
//! ReadOnly v3, PullOnly v1, PowerUser v3, FullAccess v3, AmazonElasticContainerRegistryPublic
//! ReadOnly/PowerUser/FullAccess v1, AmazonEC2ContainerServiceforEC2Role v10, AdministratorAccess
//! v1, PowerUserAccess v12, AmazonSSMManagedInstanceCore v2 (attached to most container instance
//! roles, for Session Manager), SecretsManagerReadWrite v6 (attached to execution roles that read
//! Secrets Manager secrets; v6 adds the `CloudFormationTagOnCreate` statement to v5). AWS edits managed policies over time; a newer default version can
//! differ. The ARN is matched on its `policy/...` part in any partition
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
