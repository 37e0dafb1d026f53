use super::analysis::{classify, Image, Reach, Scope};
use super::{declare_rule, Finding, Hop};
use crate::aws::cross_region_enabled;
use crate::graph::Fact;

declare_rule! {
    /// ## What it does
    /// Checks that every pull-path endpoint's service is in the VPC's region, unless the
    /// endpoint reaches another region on purpose (`service_region`, cross-region PrivateLink,
    /// for the services AWS offers it for: `ecr.api`, `ecr.dkr`, `ecs`, `kms`, S3, …); and that
    /// private ECR images come from the VPC's region when the workload has no internet route
    /// (an image whose tag or account is not known before apply is judged by its registry host
    /// when the template writes the region out: `"…dkr.ecr.us-east-1.amazonaws.com/app:${var.tag}"`);
    /// likewise logs written to another region (`awslogs-region`) and secrets read from another
    /// region (the region of a Secrets Manager or SSM ARN, or of the provider configuration of
    /// the secret the input creates): CloudWatch Logs, Secrets Manager and Systems Manager are
    /// not served across regions by PrivateLink.
    ///
    /// ## Why is this bad?
    /// VPC endpoints are regional. `com.amazonaws.us-east-1.ecr.dkr` in a `us-west-2` VPC cannot
    /// be created without `service_region = "us-east-1"`. An image in `us-east-1`'s registry
    /// needs `us-east-1`'s `ecr.api` and `ecr.dkr` (cross-region endpoints can serve those) and
    /// its layers from `us-east-1`'s S3, which no endpoint of a `us-west-2` VPC serves (a gateway
    /// endpoint serves its own region only, and ECR does not use S3 interface endpoints): such a
    /// pull needs an internet route, or replication of the repository into the workload's
    /// region.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "ecr_dkr" {
    ///   vpc_id            = aws_vpc.main.id # in us-west-2
    ///   service_name      = "com.amazonaws.us-east-1.ecr.dkr"
    ///   vpc_endpoint_type = "Interface"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use the VPC's region in the service name (or `data.aws_region.current.region`), and
    /// pull images from the workload's region, e.g. with ECR replication:
    /// ```hcl
    /// resource "aws_ecr_replication_configuration" "to_workload_region" {
    ///   replication_configuration {
    ///     rule {
    ///       destination {
    ///         region      = "us-west-2"
    ///         registry_id = "123456789012"
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - AWS PrivateLink Guide: "Access an AWS service using an interface VPC endpoint"
    /// - AWS PrivateLink Guide: "Cross-region enabled AWS services"
    ///   (<https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-cross-region-privatelink-support.html>)
    /// - Amazon VPC User Guide: "Gateway endpoints" (same Region only)
    /// - Amazon ECR User Guide: "Private image replication in Amazon ECR"
    pub static RULE = {
        code: "PP108",
        name: "endpoint-region-mismatch",
        severity: Error,
        summary: "an endpoint's service region differs from the VPC's region, or a private ECR image is in another region without an internet route",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(v) = scope.vpc() else { return };
    let net = scope.net;
    let vpc = &net.vpcs[v];
    // The region must come from something other than the endpoints themselves.
    let Some(region) = vpc
        .region
        .known()
        .filter(|_| vpc.region_source != "endpoint service names")
    else {
        // Neither the VPC's region nor that of an endpoint whose service name is a template
        // (`"com.amazonaws.${var.region}.ecr.dkr"`) is known: whether they agree is not.
        for &e in &vpc.endpoints {
            let ep = &net.endpoints[e];
            let Some(svc) = ep.service.known() else {
                continue;
            };
            let (Some(why), Some(_)) = (svc.region_unknown.as_deref(), svc.pull) else {
                continue;
            };
            if ep.service_region.is_some() {
                continue;
            }
            out.push(
                Finding::unknown(
                    &RULE,
                    ep.node.name(),
                    format!(
                        "{} is for {} in a region not known before apply ({why}), and so is the region of {}: whether the endpoint names its VPC's region is not known",
                        ep.node.name(),
                        svc.short,
                        vpc.node.name(),
                    ),
                )
                .with_path(vec![
                    Hop::Vpc(vpc.node.name()),
                    Hop::Endpoint(ep.node.name()),
                ])
                .at(ep.node.location.clone(), ep.node.input),
            );
        }
        return;
    };
    for &e in &vpc.endpoints {
        let ep = &net.endpoints[e];
        let Some(svc) = ep.service.known() else {
            continue;
        };
        if svc.pull.is_none() {
            continue;
        }
        let named = svc.region.as_deref();
        let finding = match (&ep.service_region, named) {
            // A cross-region endpoint (`service_region`) reaches that region's service on
            // purpose, where AWS offers it.
            (Some(Fact::Known(sr)), Some(r)) if sr == r => {
                if r == region || cross_region_enabled(&svc.short) {
                    continue;
                }
                Finding::fail(
                    &RULE,
                    ep.node.name(),
                    format!(
                        "{} reaches {} in {r} across regions (service_region), but {} is not one of the services AWS PrivateLink serves across regions (ecr.api, ecr.dkr, ecs, kms, s3, …): AWS refuses the endpoint",
                        ep.node.name(),
                        svc.short,
                        svc.short
                    ),
                )
            }
            (Some(Fact::Known(sr)), Some(r)) => Finding::fail(
                &RULE,
                ep.node.name(),
                format!(
                    "{} names the service {} of {r} but service_region = {sr:?}: the service name must be that of the service region",
                    ep.node.name(),
                    svc.full
                ),
            ),
            (Some(Fact::Unknown(why)), Some(r)) if r != region => Finding::unknown(
                &RULE,
                ep.node.name(),
                format!(
                    "{} is for {} in {r}, and whether it reaches it across regions on purpose is not known ({why})",
                    ep.node.name(),
                    svc.short
                ),
            ),
            (_, None) if svc.region_unknown.is_some() => Finding::unknown(
                &RULE,
                ep.node.name(),
                format!(
                    "{} is for {} in a region not known before apply ({}); {} is in {region} (from {}), and an endpoint must name its VPC's region (or reach another on purpose with service_region)",
                    ep.node.name(),
                    svc.short,
                    svc.region_unknown.as_deref().unwrap_or_default(),
                    vpc.node.name(),
                    vpc.region_source,
                ),
            ),
            (_, Some(r)) if r != region => Finding::fail(
                &RULE,
                ep.node.name(),
                format!(
                    "{} is for {} in {r}, but {} is in {region} (from {}){}",
                    ep.node.name(),
                    svc.short,
                    vpc.node.name(),
                    vpc.region_source,
                    if cross_region_enabled(&svc.short) {
                        format!("; to reach {r} on purpose, set service_region = \"{r}\" (cross-region PrivateLink)")
                    } else {
                        String::new()
                    }
                ),
            ),
            _ => continue,
        };
        out.push(
            finding
                .with_path(vec![
                    Hop::Vpc(vpc.node.name()),
                    Hop::Endpoint(ep.node.name()),
                ])
                .with_fix(format!(
                    "  service_name = \"com.amazonaws.{region}.{}\"\n",
                    svc.short
                ))
                .at(ep.node.location_of("service_name"), ep.node.input),
        );
    }
    for f in &scope.workloads {
        let w = scope.workload(f);
        let blocked = match &f.reach {
            Reach::Internet { .. } if !scope.strict => continue,
            Reach::Unknown(_) if !scope.strict => false,
            _ => true,
        };
        // Logs and secrets in another region: CloudWatch Logs, Secrets Manager and Systems
        // Manager are not served across regions by PrivateLink, and the VPC's own endpoints
        // serve its region only.
        for (c, what, other) in other_region_calls(w, region) {
            let msg = format!(
                "{} of {} {what} in {other}, but {} is in {region} (from {}): its endpoints serve {region} only, and PrivateLink does not serve that service across regions",
                c.label(),
                w.node.name(),
                vpc.node.name(),
                vpc.region_source,
            );
            let def = w.definition.as_ref().unwrap_or(&w.node);
            let text = format!("{msg}; {}", reach_text(&f.reach));
            let finding = if blocked {
                Finding::fail(&RULE, def.name(), text)
            } else {
                Finding::unknown(&RULE, def.name(), text)
            };
            out.push(
                finding
                    .with_workload(Some(w.node.name()))
                    .with_path(scope.workload_path(f))
                    .with_fix(format!("use {region} (data.aws_region.current.region) for it, or give the workload an internet route"))
                    .at(def.location.clone(), def.input),
            );
        }
        for c in &w.containers {
            // A known image of private ECR, or one not known before apply whose registry host
            // is private ECR of a known region (`"…dkr.ecr.us-east-1.amazonaws.com/app:${var.tag}"`).
            let (image, img_region) = match c.image.known() {
                Some(image) => match classify(image) {
                    Image::PrivateEcr { region, .. } => (image.clone(), region),
                    _ => continue,
                },
                None => match &c.image_ecr_host {
                    Some(crate::aws::EcrHost {
                        region: Some(r),
                        shown,
                        ..
                    }) => (shown.clone(), r.clone()),
                    _ => continue,
                },
            };
            if &img_region == region {
                continue;
            }
            let msg = format!(
                "{} of {} pulls {image} from the ECR registry in {img_region}; without an internet route every hop needs {img_region}'s service: {}",
                c.label(),
                w.node.name(),
                hops_of(scope, &img_region, region)
            );
            // The image is written in the task or job definition: that is what to change.
            let def = w.definition.as_ref().unwrap_or(&w.node);
            let finding = if blocked {
                Finding::fail(
                    &RULE,
                    def.name(),
                    format!("{msg}; {}", reach_text(&f.reach)),
                )
            } else {
                Finding::unknown(
                    &RULE,
                    def.name(),
                    format!("{msg}; {}", reach_text(&f.reach)),
                )
            };
            let mut path = scope.workload_path(f);
            path.push(Hop::Image(image));
            out.push(
                finding
                    .with_workload(Some(w.node.name()))
                    .with_path(path)
                    .with_fix(format!("replicate the repository into {region} (aws_ecr_replication_configuration) and use {}'s registry in the image, or give the workload an internet route", region))
                    .at(def.location.clone(), def.input),
            );
        }
    }
}

/// What the containers of `w` call in a region other than `region`: the awslogs driver's
/// `awslogs-region`, and secrets whose ARN (or whose provider configuration) is of another
/// region: (container, what it does, the region).
fn other_region_calls<'a>(
    w: &'a crate::graph::Workload,
    region: &str,
) -> Vec<(&'a crate::graph::Container, String, String)> {
    let mut out = Vec::new();
    for c in w.containers.iter().chain(&w.log_only) {
        if c.uses_awslogs() {
            if let Some(r) = c.log_options.get("awslogs-region").filter(|r| *r != region) {
                out.push((
                    c,
                    "writes its logs (awslogs) to CloudWatch Logs".to_string(),
                    r.clone(),
                ));
            }
        }
        let mut secrets: Vec<(String, String)> = Vec::new();
        for s in &c.secrets {
            let what = match crate::aws::arn_service(s) {
                Some("secretsmanager") => "the Secrets Manager secret",
                Some("ssm") => "the SSM parameter",
                _ => continue,
            };
            if let Some(r) = crate::aws::arn_region(s).filter(|r| !r.is_empty() && r != region) {
                secrets.push((format!("reads {what} {s}"), r));
            }
        }
        for sr in &c.secret_refs {
            let what = if sr.secrets_manager {
                "the Secrets Manager secret"
            } else {
                "the SSM parameter"
            };
            if let Some(r) = sr.region.as_ref().filter(|r| *r != region) {
                secrets.push((
                    format!("reads {what} {} (of its provider's region)", sr.address),
                    r.clone(),
                ));
            }
        }
        for (what, r) in secrets {
            if !out.iter().any(|(_, w, _)| *w == what) {
                out.push((c, what, r));
            }
        }
    }
    out
}

/// The hops of a pull from another region's registry and what covers each: cross-region
/// Interface endpoints (`service_region`) for ecr.api and ecr.dkr; the image layers come from
/// that region's S3, which no endpoint of the VPC serves (a gateway endpoint serves its own
/// region only, and ECR does not use S3 interface endpoints).
fn hops_of(scope: &Scope<'_>, img_region: &str, region: &str) -> String {
    let net = scope.net;
    let Some(v) = scope.vpc() else {
        return String::new();
    };
    let mut parts = Vec::new();
    for short in ["ecr.api", "ecr.dkr"] {
        let found = net.vpcs[v].endpoints.iter().find(|&&e| {
            let ep = &net.endpoints[e];
            ep.service
                .known()
                .is_some_and(|s| s.short == short && s.region.as_deref() == Some(img_region))
                && ep
                    .service_region
                    .as_ref()
                    .and_then(Fact::known)
                    .map(String::as_str)
                    == Some(img_region)
        });
        parts.push(match found {
            Some(&e) => format!("{short} through {}", net.endpoints[e].node.name()),
            None => format!("{short} has no cross-region endpoint for {img_region}"),
        });
    }
    parts.push(format!(
        "the image layers come from {}'s S3 (prod-{img_region}-starport-layer-bucket), which no endpoint of a {region} VPC serves",
        img_region
    ));
    parts.join("; ")
}

fn reach_text(r: &Reach) -> String {
    match r {
        Reach::Private { why, .. } => why.clone(),
        Reach::Unknown(why) => format!("whether it reaches the internet is not known: {why}"),
        Reach::Internet { via, .. } => format!("strict mode: {via}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// An Interface endpoint of `service` in us-east-1, with `service_region` when `cross`.
    fn east(name: &str, service: &str, cross: bool) -> String {
        format!(
            r#"
resource "aws_vpc_endpoint" "{name}" {{
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.{service}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.vpc_endpoints.id]
{}}}
"#,
            if cross {
                "  service_region      = \"us-east-1\"\n"
            } else {
                ""
            }
        )
    }

    fn with(extra: &[String]) -> String {
        let mut all: Vec<&str> = ALL_ENDPOINTS.to_vec();
        all.extend(extra.iter().map(String::as_str));
        private_fargate(&all)
    }

    #[test]
    fn cross_region_endpoints_on_purpose_pass() {
        let src = with(&[
            east("ecr_api_east", "ecr.api", true),
            east("ecr_dkr_east", "ecr.dkr", true),
        ]);
        assert_eq!(verdicts(&check_hcl(&[("main.tf", &src)])), []);
    }

    #[test]
    fn other_region_without_service_region_fails() {
        let found = check_hcl(&[("main.tf", &with(&[east("ecr_dkr_east", "ecr.dkr", false)]))]);
        assert_eq!(
            verdicts(&found),
            [("PP108", "fail", "aws_vpc_endpoint.ecr_dkr_east".into())]
        );
        assert!(
            found[0].message.contains("service_region"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn cross_region_logs_is_not_offered() {
        let found = check_hcl(&[("main.tf", &with(&[east("logs_east", "logs", true)]))]);
        assert_eq!(
            verdicts(&found),
            [("PP108", "fail", "aws_vpc_endpoint.logs_east".into())]
        );
    }

    /// A cross-region endpoint does not serve the VPC's own region: without a us-west-2 ecr.dkr
    /// endpoint, PP101 fails.
    #[test]
    fn cross_region_endpoint_does_not_serve_the_own_region() {
        let src = private_fargate(&[
            S3_GATEWAY,
            ECR_API,
            LOGS,
            &east("ecr_dkr_east", "ecr.dkr", true),
        ]);
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts(&found), [("PP101", "fail", "aws_vpc.main".into())]);
    }

    /// An image of us-east-1 with us-east-1's ecr.api and ecr.dkr through cross-region endpoints:
    /// its layers still come from us-east-1's S3, which no endpoint serves.
    #[test]
    fn cross_region_image_needs_its_regions_s3() {
        let src = private_fargate_base(r#""111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1.0""#)
            + &ALL_ENDPOINTS.concat()
            + &east("ecr_api_east", "ecr.api", true)
            + &east("ecr_dkr_east", "ecr.dkr", true);
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts(&found),
            [("PP108", "fail", "aws_ecs_task_definition.app".into())]
        );
        let m = &found[0].message;
        assert!(
            m.contains("ecr.dkr through aws_vpc_endpoint.ecr_dkr_east"),
            "{m}"
        );
        assert!(m.contains("prod-us-east-1-starport-layer-bucket"), "{m}");
    }

    /// An image whose tag (or account) is not known before apply but whose registry host is
    /// written out is judged by that host's region: in another region without an internet route
    /// it fails as a known image does (it passed before: neither PP108 nor PP601 judged it).
    #[test]
    fn partly_known_image_of_another_region_fails() {
        let vars =
            "variable \"tag\" {\n  type = string\n}\ndata \"aws_caller_identity\" \"current\" {}\n";
        for image in [
            r#""111122223333.dkr.ecr.eu-central-1.amazonaws.com/app:${var.tag}""#,
            r#""${data.aws_caller_identity.current.account_id}.dkr.ecr.eu-central-1.amazonaws.com/app:1""#,
        ] {
            let src = format!(
                "{vars}{}{}",
                private_fargate_base(image),
                ALL_ENDPOINTS.concat()
            );
            let found = check_hcl(&[("main.tf", &src)]);
            assert_eq!(
                verdicts(&found),
                [("PP108", "fail", "aws_ecs_task_definition.app".into())],
                "{image}"
            );
            assert!(found[0]
                .message
                .contains(".dkr.ecr.eu-central-1.amazonaws.com/app:"));
            // In the VPC's own region, every endpoint present: a pass.
            let here = image.replace("eu-central-1", "us-west-2");
            let src = format!(
                "{vars}{}{}",
                private_fargate_base(&here),
                ALL_ENDPOINTS.concat()
            );
            assert_eq!(verdicts(&check_hcl(&[("main.tf", &src)])), [], "{here}");
        }
    }

    /// An image under the URL of a repository read (or managed) through a provider alias of
    /// another region is that region's registry (row 72's helper probe: a data source through
    /// an alias of another region passed in a VPC without an internet route). Through the
    /// default provider it is the VPC's own region: a pass.
    #[test]
    fn a_repository_of_an_aliased_provider_is_of_its_region() {
        let east = "provider \"aws\" {\n  alias  = \"east\"\n  region = \"us-east-1\"\n}\n";
        for (block, address) in [
            (
                "data \"aws_ecr_repository\" \"app\" {\n  provider = aws.east\n  name     = \"app\"\n}\n",
                "data.aws_ecr_repository.app",
            ),
            (
                "resource \"aws_ecr_repository\" \"app\" {\n  provider = aws.east\n  name     = \"app\"\n}\n",
                "aws_ecr_repository.app",
            ),
        ] {
            let image = format!("\"${{{address}.repository_url}}:1.0\"");
            let src = private_fargate_base(&image) + &ALL_ENDPOINTS.concat() + east + block;
            let found = check_hcl(&[("main.tf", &src)]);
            assert_eq!(
                verdicts(&found),
                [("PP108", "fail", "aws_ecs_task_definition.app".into())],
                "{block}"
            );
            assert!(found[0].message.contains("in us-east-1"), "{}", found[0].message);
            let here = src.replace("  provider = aws.east\n", "");
            assert_eq!(verdicts(&check_hcl(&[("main.tf", &here)])), [], "{here}");
        }
    }
}
