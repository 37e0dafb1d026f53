use super::analysis::Scope;
use super::{declare_rule, missing, Finding};

declare_rule! {
    /// ## What it does
    /// Checks that a VPC running ECS on EC2, ECS Managed Instances or AWS Batch on EC2/SPOT in
    /// subnets without an internet route has the `ecs`, `ecs-agent` and `ecs-telemetry`
    /// Interface endpoints. The subnets are the container instances' (the Auto Scaling group's,
    /// the managed-instances capacity provider's, the compute environment's); where the input
    /// does not hold the instances, the verdict is unknown.
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

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn ecs_on_ec2_without_agent_endpoints_fails() {
        let mut extras = ALL_ENDPOINTS.to_vec();
        extras.push(EC2_INSTANCES);
        let f = check_hcl(&[("main.tf", &ecs_on_ec2(&extras))]);
        assert_eq!(verdicts(&f), [("PP106", "fail", "aws_vpc.main".into())]);
    }

    /// Bridge networking (no `network_configuration`, ecosystem row 12's listeners): the
    /// service is placed through its container instances, and judged on them.
    #[test]
    fn bridge_mode_service_on_its_instances() {
        let mut extras = ALL_ENDPOINTS.to_vec();
        extras.push(EC2_INSTANCES);
        let src = ecs_on_ec2(&extras)
            .replace("  network_mode             = \"awsvpc\"\n", "  network_mode             = \"bridge\"\n")
            .replace(
                "  network_configuration {\n    subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]\n    assign_public_ip = false\n    security_groups  = [aws_security_group.app.id]\n  }\n",
                "",
            );
        assert!(!src.contains("assign_public_ip"), "{src}");
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts(&f), [("PP106", "fail", "aws_vpc.main".into())]);
    }

    /// Without its container instances in the input, whether the agent's traffic leaves
    /// through NAT is not known: unknown, never judged on the tasks' subnets.
    #[test]
    fn ecs_on_ec2_without_instances_is_unknown() {
        let f = check_hcl(&[("main.tf", &ecs_on_ec2(ALL_ENDPOINTS))]);
        assert_eq!(
            verdicts_of("PP106", &f),
            [("PP106", "unknown", "aws_vpc.main".into())]
        );
    }

    /// ECS Managed Instances (issue 18): EC2 hosts of a managed-instances capacity provider,
    /// whose network is the provider's; their ECS agent needs the three endpoints too.
    #[test]
    fn managed_instances_without_agent_endpoints_fail() {
        let src = ecs_on_ec2(&[ALL_ENDPOINTS.concat().as_str(), MANAGED_INSTANCES])
            .replace(
                r#"requires_compatibilities = ["EC2"]"#,
                r#"requires_compatibilities = ["MANAGED_INSTANCES"]"#,
            )
            .replace(
                "capacity_provider = \"ec2\"",
                "capacity_provider = aws_ecs_capacity_provider.managed.name",
            )
            // The tasks' own group lets nothing out: the hosts pull, through their group.
            .replacen(
                "  egress {\n    protocol    = \"tcp\"\n    from_port   = 443\n    to_port     = 443\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n",
                "",
                1,
            );
        assert!(src.contains("resource \"aws_security_group\" \"app\" {\n  name   = \"app\"\n  vpc_id = aws_vpc.main.id\n\n}"));
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts(&f), [("PP106", "fail", "aws_vpc.main".into())]);
        let with = check_hcl(&[("main.tf", &(src.clone() + ECS_AGENT))]);
        assert_eq!(verdicts(&with), []);
    }

    /// A managed-instances capacity provider in both private subnets; its group lets HTTPS out
    /// and the endpoints' group admits it.
    const MANAGED_INSTANCES: &str = r#"
resource "aws_security_group" "managed" {
  name   = "managed-instances"
  vpc_id = aws_vpc.main.id

  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_managed" {
  security_group_id            = aws_security_group.vpc_endpoints.id
  referenced_security_group_id = aws_security_group.managed.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_ecs_capacity_provider" "managed" {
  name    = "managed"
  cluster = aws_ecs_cluster.main.name

  managed_instances_provider {
    infrastructure_role_arn = "arn:aws:iam::111122223333:role/ecs-infrastructure"

    instance_launch_template {
      ec2_instance_profile_arn = "arn:aws:iam::111122223333:instance-profile/ecs-managed"

      network_configuration {
        subnets         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
        security_groups = [aws_security_group.managed.id]
      }
    }
  }
}
"#;
}
