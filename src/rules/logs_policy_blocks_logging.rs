use super::analysis::{Scope, Service};
use super::{declare_rule, endpoint_policy, Finding};
use crate::policy::{self, requests};

declare_rule! {
    /// ## What it does
    /// Evaluates the policy of the `logs` endpoint the workloads use for the calls of the
    /// `awslogs` driver: `logs:CreateLogStream` and `logs:PutLogEvents` on the container's log
    /// group (and `logs:CreateLogGroup` when `awslogs-create-group` is `"true"`).
    ///
    /// ## Why is this bad?
    /// The driver creates its stream before the container starts; a denied call stops the task.
    /// With private DNS on, the endpoint carries the traffic even when a NAT gateway exists.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "logs" {
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.logs"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Principal = "*", Action = "logs:PutLogEvents", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_endpoint_policy" "logs" {
    ///   vpc_endpoint_id = aws_vpc_endpoint.logs.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Principal = "*", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECS Developer Guide: "Send Amazon ECS logs to CloudWatch" (awslogs)
    /// - Amazon CloudWatch Logs User Guide: "Using CloudWatch Logs with interface VPC endpoints"
    pub static RULE = {
        code: "PP403",
        name: "logs-policy-blocks-logging",
        severity: Error,
        summary: "the logs endpoint policy does not allow logs:CreateLogStream and logs:PutLogEvents",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let words = endpoint_policy::Words {
        must_allow: "logs:CreateLogStream and logs:PutLogEvents",
        calls: "the awslogs calls",
        purpose: "awslogs driver",
        cite_statements: false,
        fix_for: "",
    };
    let calls = endpoint_policy::Calls {
        targets: &|scope, w| scope.log_groups(w),
        requests: &|c, (group, create): &(Option<String>, bool)| {
            requests::logs_write_requests(
                c.principal,
                c.region,
                group.as_deref(),
                *create,
                c.vpc,
                c.vpce,
            )
        },
        fix: &|json, c, (group, create)| {
            policy::fix::fix_logs_endpoint_policy(
                json,
                c.principal,
                c.region,
                group
                    .as_deref()
                    .map(|g| g.replace([policy::UNKNOWN_PART, policy::OWN_ACCOUNT], "*"))
                    .as_deref(),
                *create,
                c.vpc,
                c.vpce,
            )
        },
    };
    endpoint_policy::check(scope, &RULE, Service::Logs, &words, &calls, out);
}
