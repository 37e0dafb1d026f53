use super::analysis::Scope;
use super::{declare_rule, missing, Finding};

declare_rule! {
    /// ## What it does
    /// Checks that a VPC whose workload subnets have no internet route has a `logs` Interface
    /// endpoint when a container uses the `awslogs` log driver (AWS Batch jobs use it by
    /// default). The Service Connect proxy of a service counts as a container: it logs with the
    /// service's `service_connect_configuration.log_configuration`.
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

    /// An AWS Batch on EC2 environment in the private subnets (no internet route) with its
    /// group, and a job definition given by `definition` (HCL attributes).
    fn batch_ec2(definition: &str) -> String {
        // The Fargate service of the harness logs elsewhere: only the Batch jobs need `logs`.
        private_fargate(&[S3_GATEWAY, ECR_API, ECR_DKR, ECS_AGENT])
            .replace("logDriver = \"awslogs\"", "logDriver = \"splunk\"")
            + r#"
resource "aws_batch_compute_environment" "jobs" {
  compute_environment_name = "jobs"
  type                     = "MANAGED"

  compute_resources {
    type               = "EC2"
    max_vcpus          = 16
    instance_type      = ["optimal"]
    instance_role      = "arn:aws:iam::111122223333:instance-profile/batch"
    subnets            = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    security_group_ids = [aws_security_group.app.id]
  }
}

resource "aws_batch_job_definition" "job" {
  name = "job"
"# + definition
            + "}\n"
    }

    fn pp104(src: &str) -> (Vec<(&'static str, &'static str, String)>, String) {
        let f = check_hcl(&[("main.tf", src)]);
        let msg = f
            .iter()
            .find(|x| x.rule.code == "PP104")
            .map(|x| x.message.clone())
            .unwrap_or_default();
        (verdicts_of("PP104", &f), msg)
    }

    /// Issue 18: a multi-container job (`ecs_properties`): its containers are read, and one that
    /// logs with awslogs needs the logs endpoint.
    #[test]
    fn batch_ecs_properties_containers_are_read() {
        let (v, msg) = pp104(&batch_ec2(
            r#"  type = "container"
  ecs_properties = jsonencode({
    taskProperties = [{
      containers = [
        { name = "main", image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/job:1", essential = true,
          logConfiguration = { logDriver = "awslogs" } },
        { name = "sidecar", image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/sidecar:1", essential = false }
      ]
    }]
  })
"#,
        ));
        assert_eq!(v, [("PP104", "fail", "aws_vpc.main".into())]);
        assert!(msg.contains("container main"), "{msg}");
    }

    /// A multi-node job (`node_properties`): each node range's container is read.
    #[test]
    fn batch_node_properties_containers_are_read() {
        let (v, msg) = pp104(&batch_ec2(
            r#"  type = "multinode"
  node_properties = jsonencode({
    mainNode = 0
    numNodes = 2
    nodeRangeProperties = [{
      targetNodes = "0:"
      container = {
        image            = "111122223333.dkr.ecr.us-west-2.amazonaws.com/mpi:1"
        logConfiguration = { logDriver = "awslogs" }
      }
    }]
  })
"#,
        ));
        assert_eq!(v, [("PP104", "fail", "aws_vpc.main".into())]);
        assert!(msg.contains("aws_batch_job_definition.job"), "{msg}");
    }

    /// Without a logConfiguration, Batch's default (awslogs) applies to these shapes too; a
    /// job definition whose containers cannot be read is unknown, never a pass.
    #[test]
    fn batch_unreadable_job_definition_is_unknown() {
        let src = batch_ec2("  type = \"container\"\n  ecs_properties = var.ecs_properties\n")
            + "variable \"ecs_properties\" {\n  type = string\n}\n";
        let (v, msg) = pp104(&src);
        assert_eq!(v, [("PP104", "unknown", "aws_vpc.main".into())]);
        assert!(msg.contains("aws_batch_job_definition.job"), "{msg}");
    }

    /// Jobs on Amazon EKS (`eks_properties`, a compute environment with `eks_configuration`)
    /// are out of pullpath's scope: unknown, with that reason, never a pass.
    #[test]
    fn batch_eks_jobs_are_unknown() {
        let src = batch_ec2(
            r#"  type = "container"
  eks_properties {
    pod_properties {
      containers {
        image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/job:1"
      }
    }
  }
"#,
        )
        .replace(
            "  type                     = \"MANAGED\"\n",
            "  type                     = \"MANAGED\"\n\n  eks_configuration {\n    eks_cluster_arn      = \"arn:aws:eks:us-west-2:111122223333:cluster/jobs\"\n    kubernetes_namespace = \"batch\"\n  }\n",
        );
        assert!(src.contains("eks_configuration"));
        let (v, msg) = pp104(&src);
        assert_eq!(v, [("PP104", "unknown", "aws_vpc.main".into())]);
        assert!(msg.contains("Amazon EKS"), "{msg}");
    }
}
