use super::analysis::Scope;
use super::{declare_rule, missing, Finding};

declare_rule! {
    /// ## What it does
    /// Checks that a VPC whose workload subnets have no internet route has an `ecr.dkr`
    /// Interface endpoint.
    ///
    /// A VPC that resolves the service's hostname through a Route 53 private hosted zone
    /// (centralised endpoints in a hub VPC, `aws_route53_zone` / `aws_route53_zone_association`)
    /// has its endpoint outside the input: the verdict is unknown, not a fail.
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
    /// - AWS Whitepaper "Building a Scalable and Secure Multi-VPC AWS Network Infrastructure":
    ///   centralized access to VPC private endpoints (private hosted zones)
    /// - Amazon ECR User Guide: "Amazon ECR interface VPC endpoints (AWS PrivateLink)"
    /// - Amazon ECS Developer Guide: "Amazon ECS interface VPC endpoints"
    pub static RULE = {
        code: "PP101",
        name: "ecr-dkr-endpoint-missing",
        severity: Error,
        summary: "a workload VPC without an internet route for the workload subnets has no ecr.dkr Interface endpoint",
        services: [EcrDkr],
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
    fn private_subnets_without_ecr_dkr_fail() {
        let found = check_hcl(&[("main.tf", &private_fargate(&[S3_GATEWAY, ECR_API, LOGS]))]);
        assert_eq!(verdicts(&found), [("PP101", "fail", "aws_vpc.main".into())]);
    }

    #[test]
    fn with_ecr_dkr_passes() {
        let found = check_hcl(&[("main.tf", &private_fargate(ALL_ENDPOINTS))]);
        assert_eq!(verdicts_of("PP101", &found), []);
    }

    #[test]
    fn nat_route_passes_in_reachability_mode_and_fails_in_strict_mode() {
        let src = private_fargate(&[S3_GATEWAY, NAT]);
        assert_eq!(verdicts(&check_hcl(&[("main.tf", &src)])), []);
        let strict = check_hcl_with(&[("main.tf", &src)], &Options::strict());
        assert_eq!(
            verdicts_of("PP101", &strict),
            [("PP101", "fail", "aws_vpc.main".into())]
        );
    }

    #[test]
    fn default_route_to_an_unknown_nat_gateway_is_unknown() {
        let route = r#"
variable "nat_gateway_id" {
  type = string
}

resource "aws_route" "private_default" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = var.nat_gateway_id
}
"#;
        let found = check_hcl(&[(
            "main.tf",
            &private_fargate(&[S3_GATEWAY, ECR_API, LOGS, route]),
        )]);
        assert_eq!(
            verdicts(&found),
            [("PP101", "unknown", "aws_vpc.main".into())]
        );
        assert!(
            found[0]
                .message
                .contains("variable `nat_gateway_id` has no value"),
            "{}",
            found[0].message
        );
    }

    /// ECS on EC2 (issue 18): whether the pull reaches the internet is decided by the container
    /// instances' subnets, not by the task's `network_configuration`. Here the tasks' subnets
    /// have no internet route but the instances sit behind a NAT gateway: no endpoint needed.
    #[test]
    fn ec2_reach_is_the_instances() {
        let nat_subnet = r#"
resource "aws_route_table" "instances" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

resource "aws_subnet" "instances" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.20.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_route_table_association" "instances" {
  subnet_id      = aws_subnet.instances.id
  route_table_id = aws_route_table.instances.id
}
"#;
        let src = ecs_on_ec2(&[NAT, EC2_INSTANCES, nat_subnet])
            .replace(
                "vpc_zone_identifier = [aws_subnet.private_a.id, aws_subnet.private_b.id]",
                "vpc_zone_identifier = [aws_subnet.instances.id]",
            )
            .replace(
                "resource \"aws_route\" \"private_nat\"",
                "resource \"aws_route\" \"unused\"",
            )
            .replace(
                "  route_table_id         = aws_route_table.private.id\n  destination_cidr_block = \"0.0.0.0/0\"",
                "  route_table_id         = aws_route_table.public.id\n  destination_cidr_block = \"192.168.0.0/16\"",
            );
        assert!(src.contains("[aws_subnet.instances.id]"));
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts_of("PP101", &f), []);
        assert_eq!(verdicts_of("PP106", &f), []);
        // The same service judged on its tasks' subnets would need every endpoint: strict
        // mode still asks for them.
        let strict = check_hcl_with(&[("main.tf", &src)], &Options::strict());
        assert_eq!(
            verdicts_of("PP101", &strict),
            [("PP101", "fail", "aws_vpc.main".into())]
        );
    }
}
