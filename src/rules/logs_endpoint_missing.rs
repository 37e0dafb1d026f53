use super::analysis::Scope;
use super::{declare_rule, missing, Finding};

declare_rule! {
    /// ## What it does
    /// Checks that a VPC whose workload subnets have no internet route has a `logs` Interface
    /// endpoint when a container uses the `awslogs` log driver (AWS Batch jobs use it by
    /// default).
    ///
    /// ## Why is this bad?
    /// The `awslogs` driver creates the log stream before the container starts. When CloudWatch
    /// Logs cannot be reached, the task stops before running, with an error that looks like a
    /// pull failure.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "app" {
    ///   family                   = "app"
    ///   requires_compatibilities = ["FARGATE"]
    ///   network_mode             = "awsvpc"
    ///   cpu                      = 256
    ///   memory                   = 512
    ///   container_definitions = jsonencode([{
    ///     name  = "app"
    ///     image = "123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1"
    ///     logConfiguration = {
    ///       logDriver = "awslogs"
    ///       options = { awslogs-group = "/ecs/app", awslogs-region = "us-west-2", awslogs-stream-prefix = "app" }
    ///     }
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_endpoint" "logs" {
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.logs"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    ///   subnet_ids          = [aws_subnet.private_a.id]
    ///   security_group_ids  = [aws_security_group.vpc_endpoints.id]
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECS Developer Guide: "Amazon ECS interface VPC endpoints" (CloudWatch Logs)
    /// - AWS Batch User Guide: "Using the awslogs log driver"
    pub static RULE = {
        code: "PP104",
        name: "logs-endpoint-missing",
        severity: Error,
        summary: "a container uses the awslogs driver and there is no logs endpoint",
        services: [Logs],
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    missing::check(scope, &RULE, out);
}
