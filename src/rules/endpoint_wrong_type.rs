use super::analysis::Scope;
use super::{declare_rule, Finding, Hop};
use crate::graph::*;

declare_rule! {
    /// ## What it does
    /// Checks that endpoints for ECR (`ecr.api`, `ecr.dkr`), CloudWatch Logs, Secrets Manager,
    /// SSM and the ECS agent services are of type `Interface`.
    ///
    /// ## Why is this bad?
    /// The Terraform AWS provider's default `vpc_endpoint_type` is `Gateway`, which only S3 and
    /// DynamoDB offer. An `aws_vpc_endpoint` for `ecr.dkr` that leaves the type unset fails at
    /// apply (or, when the type comes from a variable, is easy to get wrong).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "ecr_dkr" {
    ///   vpc_id       = aws_vpc.main.id
    ///   service_name = "com.amazonaws.us-west-2.ecr.dkr" # type defaults to Gateway
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_endpoint" "ecr_dkr" {
    ///   vpc_id              = aws_vpc.main.id
    ///   service_name        = "com.amazonaws.us-west-2.ecr.dkr"
    ///   vpc_endpoint_type   = "Interface"
    ///   private_dns_enabled = true
    /// }
    /// ```
    ///
    /// ## References
    /// - Terraform AWS provider: `aws_vpc_endpoint` (`vpc_endpoint_type`, default `Gateway`)
    /// - AWS PrivateLink Guide: "AWS services that integrate with AWS PrivateLink"
    pub static RULE = {
        code: "PP107",
        name: "endpoint-wrong-type",
        severity: Error,
        summary: "an ecr/logs/secrets/ecs endpoint is not of type Interface (e.g. the provider's default, Gateway)",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(v) = scope.vpc() else { return };
    for &e in &scope.net.vpcs[v].endpoints {
        let ep = &scope.net.endpoints[e];
        let Some(svc) = ep.service.known().and_then(|s| s.pull) else {
            continue;
        };
        if !svc.is_interface() {
            continue;
        }
        let finding = match &ep.kind {
            Fact::Known(EndpointKind::Interface) => continue,
            // An endpoint that exists (read with a data source) for a service AWS offers only
            // as an Interface endpoint is one: AWS creates no other kind for it (a helper's
            // audit of row 99).
            Fact::Unknown(_) if ep.node.data => continue,
            Fact::Known(k) => Finding::fail(
                &RULE,
                ep.node.name(),
                format!(
                    "{} is a {} endpoint for {}, which is offered only as an Interface endpoint{}",
                    ep.node.name(),
                    k.as_str(),
                    svc.short(),
                    if k == &EndpointKind::Gateway {
                        " (Gateway is the provider's default when vpc_endpoint_type is unset)"
                    } else {
                        ""
                    }
                ),
            ),
            Fact::Unknown(why) => Finding::unknown(
                &RULE,
                ep.node.name(),
                format!(
                    "the type of {} is not known before apply: {why}",
                    ep.node.name()
                ),
            ),
        };
        out.push(
            finding
                .with_path(vec![Hop::Vpc(scope.net.vpc_name(v)), Hop::Endpoint(ep.node.name())])
                .with_fix("set the endpoint's type:\n  vpc_endpoint_type   = \"Interface\"\n  private_dns_enabled = true\n")
                .at(ep.node.location_of("vpc_endpoint_type"), ep.node.input),
        );
    }
}
