use super::analysis::Scope;
use super::{declare_rule, missing, Finding};

declare_rule! {
    /// ## What it does
    /// Checks that a VPC running ECS on EC2 or AWS Batch on EC2/SPOT in subnets without an
    /// internet route has the `ecs`, `ecs-agent` and `ecs-telemetry` Interface endpoints.
    ///
    /// A VPC that resolves the service's hostname through a Route 53 private hosted zone
    /// (centralised endpoints in a hub VPC, `aws_route53_zone` / `aws_route53_zone_association`)
    /// has its endpoint outside the input: the verdict is unknown, not a fail.
    ///
    /// ## Why is this bad?
    /// On EC2 the ECS agent runs on the instance and registers with the ECS control plane
    /// through these three services. Without them the instances never join the cluster, and
    /// no task is ever placed: Batch jobs stay `RUNNABLE`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_batch_compute_environment" "jobs" {
    ///   compute_environment_name = "jobs"
    ///   type                     = "MANAGED"
    ///   compute_resources {
    ///     type               = "EC2"
    ///     max_vcpus          = 16
    ///     instance_role      = aws_iam_instance_profile.batch.arn
    ///     instance_type      = ["optimal"]
    ///     subnets            = [aws_subnet.private_a.id]
    ///     security_group_ids = [aws_security_group.batch.id]
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_endpoint" "ecs" {
    ///   for_each            = toset(["ecs", "ecs-agent", "ecs-telemetry"])
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.${each.key}"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    ///   subnet_ids          = [aws_subnet.private_a.id]
    ///   security_group_ids  = [aws_security_group.vpc_endpoints.id]
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECS Developer Guide: "Amazon ECS interface VPC endpoints" (endpoints for the ECS
    ///   container agent)
    pub static RULE = {
        code: "PP106",
        name: "ecs-agent-endpoints-missing",
        severity: Error,
        summary: "ECS on EC2 or Batch on EC2/SPOT without ecs, ecs-agent, ecs-telemetry endpoints",
        services: [Ecs, EcsAgent, EcsTelemetry],
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    missing::check(scope, &RULE, out);
}
