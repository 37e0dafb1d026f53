use super::analysis::Scope;
use super::{declare_rule, missing, Finding};

declare_rule! {
    /// ## What it does
    /// Checks that a VPC whose workload subnets have no internet route has a `logs` Interface
    /// endpoint when a container uses the `awslogs` log driver (AWS Batch jobs use it by
    /// default).
    ///
    /// A VPC that resolves the service's hostname through a Route 53 private hosted zone
    /// (centralised endpoints in a hub VPC, `aws_route53_zone` / `aws_route53_zone_association`)
    /// has its endpoint outside the input: the verdict is unknown, not a fail.
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

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// A container built by a module that drops null members with
    /// `{ for k, v in … : k => v if v != null }` while one member is undecided, as
    /// terraform-aws-ecs's container-definition module does: the members whose `if` is decided
    /// are read (its awslogs configuration: PP104 fails), and a log configuration whose `if` is
    /// not decided may be awslogs: PP104 is unknown, never a silent pass (it read "no log
    /// driver").
    #[test]
    fn a_container_with_undecided_members_may_need_logs() {
        let src = |cond: &str| {
            private_fargate_base("var.image")
                .replace(
                    "container_definitions = jsonencode([{",
                    "container_definitions = jsonencode([{ for k, v in {",
                )
                .replace("  }])\n}", &format!("  }} : k => v if {cond} }}])\n}}"))
                + "variable \"image\" {\n  type = string\n}\n"
                + "variable \"keep\" {\n  type = bool\n}\n"
                + S3_GATEWAY
                + ECR_API
                + ECR_DKR
        };
        for (cond, verdict) in [("v != null", "fail"), ("v != null && var.keep", "unknown")] {
            let src = src(cond);
            assert!(src.contains(cond), "{src}");
            let f = check_hcl(&[("main.tf", &src)]);
            assert_eq!(
                verdicts_of("PP104", &f),
                vec![("PP104", verdict, "aws_vpc.main".to_string())],
                "{cond}"
            );
        }
    }
}
