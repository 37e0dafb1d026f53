use super::analysis::Scope;
use super::{declare_rule, missing, Finding};

declare_rule! {
    /// ## What it does
    /// Checks that a VPC whose workload subnets have no internet route has a `secretsmanager`
    /// endpoint when a container reads a Secrets Manager secret (`secrets[].valueFrom` or
    /// `repositoryCredentials`), and an `ssm` endpoint when it reads an SSM parameter.
    ///
    /// ## Why is this bad?
    /// The agent resolves secrets before the container starts; if the service cannot be
    /// reached the task stops with `ResourceInitializationError`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "app" {
    ///   family = "app"
    ///   container_definitions = jsonencode([{
    ///     name    = "app"
    ///     image   = "123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1"
    ///     secrets = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:us-west-2:123456789012:secret:db-AbCdEf" }]
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_endpoint" "secretsmanager" {
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.secretsmanager"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    ///   subnet_ids          = [aws_subnet.private_a.id]
    ///   security_group_ids  = [aws_security_group.vpc_endpoints.id]
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECS Developer Guide: "Pass sensitive data to an Amazon ECS container"
    /// - Amazon ECS Developer Guide: "Amazon ECS interface VPC endpoints"
    pub static RULE = {
        code: "PP105",
        name: "secrets-endpoint-missing",
        severity: Error,
        summary: "a container reads Secrets Manager / SSM secrets without the matching endpoint",
        services: [SecretsManager, Ssm],
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    missing::check(scope, &RULE, out);
}
