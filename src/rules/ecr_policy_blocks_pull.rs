use super::analysis::{Scope, Service};
use super::{declare_rule, endpoint_policy, Finding};
use crate::policy::{self, requests};

declare_rule! {
    /// ## What it does
    /// Evaluates the policies of the `ecr.api` and `ecr.dkr` endpoints the workloads use for the
    /// calls of an image pull by the pulling role (the task execution role on Fargate):
    /// `ecr:GetAuthorizationToken` on `*`, `ecr:BatchGetImage` and
    /// `ecr:GetDownloadUrlForLayer` on the image's repository.
    ///
    /// ## Why is this bad?
    /// An endpoint policy is a second gate after IAM: a call it does not allow is denied even
    /// when the role may make it. A Deny-only policy (such as the "generic endpoint policy" of
    /// terraform-aws-modules/vpc's example) denies everything, and one that allows only
    /// `ecr:BatchGetImage` breaks authentication. With private DNS on, the endpoint carries the
    /// traffic even when a NAT gateway exists.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "ecr_api" {
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.ecr.api"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Deny", Principal = "*", Action = "*", Resource = "*",
    ///                    Condition = { StringNotEquals = { "aws:SourceVpc" = "vpc-0123456789abcdef0" } } }]
    ///   })
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Allow the pull actions (pullpath prints the corrected document):
    /// ```hcl
    /// resource "aws_vpc_endpoint_policy" "ecr_api" {
    ///   vpc_endpoint_id = aws_vpc_endpoint.ecr_api.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    ///       Resource  = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECR User Guide: "Amazon ECR interface VPC endpoints (AWS PrivateLink)",
    ///   "Create an endpoint policy for your Amazon ECR VPC endpoints"
    /// - AWS PrivateLink Guide: "Control access to VPC endpoints using endpoint policies"
    pub static RULE = {
        code: "PP402",
        name: "ecr-policy-blocks-pull",
        severity: Error,
        summary: "an ecr.api / ecr.dkr endpoint policy does not allow ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let words = endpoint_policy::Words {
        must_allow: "the ECR pull actions",
        calls: "the ECR pull actions",
        purpose: "image pull",
        cite_statements: true,
        fix_for: " for the pulling role",
    };
    let calls = endpoint_policy::Calls {
        targets: &|scope, w| scope.ecr_repositories(w),
        requests: &|c, repo: &Option<String>| {
            requests::ecr_pull_requests(c.principal, c.region, repo.as_deref(), c.vpc, c.vpce)
        },
        fix: &|json, c, repo| {
            policy::fix::fix_ecr_endpoint_policy(
                json,
                c.principal,
                c.region,
                repo.as_deref(),
                c.vpc,
                c.vpce,
            )
        },
    };
    for svc in [Service::EcrApi, Service::EcrDkr] {
        endpoint_policy::check(scope, &RULE, svc, &words, &calls, out);
    }
}
