use super::analysis::{Scope, Service};
use super::{declare_rule, missing, Finding};

declare_rule! {
    /// ## What it does
    /// Checks that a VPC whose workload subnets have no internet route has an `ecr.dkr`
    /// Interface endpoint.
    ///
    /// ## Why is this bad?
    /// `com.amazonaws.<region>.ecr.dkr` serves the Docker registry API: image manifests
    /// (`ecr:BatchGetImage`) and layer URLs (`ecr:GetDownloadUrlForLayer`). Without it, and
    /// without a NAT gateway or a public IP, every task fails with `CannotPullContainerError`.
    /// Every platform needs it, Fargate of any platform version included.
    ///
    /// In the default `reachability` mode the rule applies only to workloads whose subnets have
    /// no internet route; in `strict` mode to every workload VPC.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "app" {
    ///   name            = "app"
    ///   launch_type     = "FARGATE"
    ///   task_definition = aws_ecs_task_definition.app.arn
    ///   network_configuration {
    ///     subnets = [aws_subnet.private_a.id] # no NAT, no ecr.dkr endpoint
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Add the endpoint, with private DNS, in the workload subnets' availability zones:
    /// ```hcl
    /// resource "aws_vpc_endpoint" "ecr_dkr" {
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.ecr.dkr"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    ///   subnet_ids          = [aws_subnet.private_a.id]
    ///   security_group_ids  = [aws_security_group.vpc_endpoints.id]
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECR User Guide: "Amazon ECR interface VPC endpoints (AWS PrivateLink)"
    /// - Amazon ECS Developer Guide: "Amazon ECS interface VPC endpoints"
    pub static RULE = {
        code: "PP101",
        name: "ecr-dkr-endpoint-missing",
        severity: Error,
        summary: "a workload VPC without an internet route for the workload subnets has no ecr.dkr Interface endpoint",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    missing::check(scope, &RULE, &[Service::EcrDkr], out);
}
