use super::analysis::Scope;
use super::{declare_rule, missing, Finding};

declare_rule! {
    /// ## What it does
    /// Checks that a VPC whose workload subnets have no internet route has an `ecr.api`
    /// Interface endpoint, where the platform needs one: ECS Fargate platform version 1.4.0 or
    /// later (`LATEST`, or unset, which means `LATEST`), Fargate Windows, ECS on EC2, and AWS
    /// Batch. Fargate 1.3.0 and earlier do not call the ECR API.
    ///
    /// ## Why is this bad?
    /// `com.amazonaws.<region>.ecr.api` serves `ecr:GetAuthorizationToken`. Since Fargate
    /// platform version 1.4.0 the task's agent calls it before every pull, so a VPC that worked
    /// with only `ecr.dkr` on 1.3.0 breaks when the service moves to `LATEST`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "app" {
    ///   name             = "app"
    ///   launch_type      = "FARGATE"
    ///   platform_version = "LATEST"
    ///   task_definition  = aws_ecs_task_definition.app.arn
    ///   network_configuration {
    ///     subnets = [aws_subnet.private_a.id] # ecr.dkr endpoint only
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_endpoint" "ecr_api" {
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.ecr.api"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    ///   subnet_ids          = [aws_subnet.private_a.id]
    ///   security_group_ids  = [aws_security_group.vpc_endpoints.id]
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECS Developer Guide: "Fargate platform versions" (1.4.0 changes)
    /// - Amazon ECR User Guide: "Amazon ECR interface VPC endpoints (AWS PrivateLink)"
    pub static RULE = {
        code: "PP102",
        name: "ecr-api-endpoint-missing",
        severity: Error,
        summary: "no ecr.api endpoint, where the platform needs one (all but Fargate 1.3.0 and earlier)",
        services: [EcrApi],
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    missing::check(scope, &RULE, out);
}
