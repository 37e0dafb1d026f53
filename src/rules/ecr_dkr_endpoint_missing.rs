use super::analysis::Scope;
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

    /// Ecosystem row 35 (bug 4): images that are not known may all come from outside ECR, so
    /// the ECR endpoints are not surely needed: PP101–PP103 unknown, not "pulls its images
    /// from ECR". (Without an internet route either, no registry is left: PP601 fails.) Strict
    /// mode requires them whatever the images are.
    #[test]
    fn unknown_images_make_the_ecr_endpoints_unknown_in_reachability_mode() {
        let src = format!(
            "variable \"image\" {{\n  type = string\n}}\n{}{LOGS}",
            private_fargate_base("var.image")
        );
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts(&found),
            [
                ("PP101", "unknown", "aws_vpc.main".into()),
                ("PP102", "unknown", "aws_vpc.main".into()),
                ("PP103", "unknown", "aws_vpc.main".into()),
                ("PP601", "fail", "aws_ecs_task_definition.app".into()),
            ]
        );
        assert!(
            found[0]
                .message
                .contains("whether aws_ecs_service.app pulls its images from ECR is not known"),
            "{}",
            found[0].message
        );
        assert!(!found
            .iter()
            .any(|f| f.message.contains("pulls its images from ECR;")));
        let strict = check_hcl_with(&[("main.tf", &src)], &Options::strict());
        let pull: Vec<_> = verdicts(&strict)
            .into_iter()
            .filter(|(c, _, _)| ["PP101", "PP102", "PP103"].contains(c))
            .collect();
        assert_eq!(
            pull,
            [
                ("PP101", "fail", "aws_vpc.main".into()),
                ("PP102", "fail", "aws_vpc.main".into()),
                ("PP103", "fail", "aws_vpc.main".into()),
            ]
        );
    }

    /// An image whose tag is not known but whose registry is (`"<account>.dkr.ecr.…/app:${var.tag}"`,
    /// the text before the unknown part is known) is in private ECR: PP101–PP103 fail, and
    /// PP601 has nothing to say about it. With the region unknown too, the registry is still
    /// private ECR (the need is certain), but PP601 cannot tell the region.
    #[test]
    fn an_image_with_an_unknown_tag_is_in_private_ecr() {
        let tag =
            "variable \"tag\" {\n  type = string\n}\nvariable \"region\" {\n  type = string\n}\n";
        let src = format!(
            "{tag}{}{LOGS}",
            private_fargate_base(
                r#""111122223333.dkr.ecr.us-west-2.amazonaws.com/app:${var.tag}""#
            )
        );
        assert_eq!(
            verdicts(&check_hcl(&[("main.tf", &src)])),
            [
                ("PP101", "fail", "aws_vpc.main".into()),
                ("PP102", "fail", "aws_vpc.main".into()),
                ("PP103", "fail", "aws_vpc.main".into()),
            ]
        );
        let src = format!(
            "{tag}{}{LOGS}",
            private_fargate_base(
                r#""111122223333.dkr.ecr.${var.region}.amazonaws.com/app:${var.tag}""#
            )
        );
        assert_eq!(
            verdicts(&check_hcl(&[("main.tf", &src)])),
            [
                ("PP101", "fail", "aws_vpc.main".into()),
                ("PP102", "fail", "aws_vpc.main".into()),
                ("PP103", "fail", "aws_vpc.main".into()),
                ("PP601", "unknown", "aws_ecs_task_definition.app".into()),
            ]
        );
    }
}
