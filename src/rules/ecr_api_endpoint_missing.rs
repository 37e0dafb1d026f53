use super::analysis::Scope;
use super::{declare_rule, missing, Finding};

declare_rule! {
    /// ## What it does
    /// Checks that a VPC whose workload subnets have no internet route has an `ecr.api`
    /// Interface endpoint. Every platform needs one: ECS Fargate platform version 1.4.0 or
    /// later (`LATEST`, or unset, which means `LATEST`), Fargate Windows, ECS on EC2, and AWS
    /// Batch. A Fargate workload pinned to a retired platform version (1.3.0 or earlier, which
    /// did not call the ECR API) cannot launch at all (PP111): it is judged as 1.4.0, the
    /// version it must move to.
    ///
    /// A VPC that resolves the service's hostname through a Route 53 private hosted zone
    /// (centralised endpoints in a hub VPC, `aws_route53_zone` / `aws_route53_zone_association`)
    /// has its endpoint outside the input: the verdict is unknown, not a fail.
    ///
    /// ## Why is this bad?
    /// `com.amazonaws.<region>.ecr.api` serves `ecr:GetAuthorizationToken`. Since Fargate
    /// platform version 1.4.0 the task's agent calls it before every pull, so a VPC that worked
    /// with only `ecr.dkr` on 1.3.0 breaks when the service moves to `LATEST` — which AWS
    /// forced in March 2026, when it retired 1.3.0.
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
    /// - AWS Whitepaper "Building a Scalable and Secure Multi-VPC AWS Network Infrastructure":
    ///   centralized access to VPC private endpoints (private hosted zones)
    /// - Amazon ECS Developer Guide: "Fargate platform versions" (1.4.0 changes) and "AWS
    ///   Fargate Linux platform version deprecation"
    /// - Amazon ECR User Guide: "Amazon ECR interface VPC endpoints (AWS PrivateLink)"
    pub static RULE = {
        code: "PP102",
        name: "ecr-api-endpoint-missing",
        severity: Error,
        summary: "no ecr.api endpoint (every platform; a Fargate workload pinned to the retired 1.3.0 is judged as 1.4.0, see PP111)",
        services: [EcrApi],
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    missing::check(scope, &RULE, out);
}
