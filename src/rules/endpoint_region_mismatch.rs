use super::analysis::{classify, Image, Reach, Scope};
use super::{declare_rule, Finding, Hop};

declare_rule! {
    /// ## What it does
    /// Checks that every pull-path endpoint's service is in the VPC's region, and that private
    /// ECR images come from the VPC's region when the workload has no internet route.
    ///
    /// ## Why is this bad?
    /// VPC endpoints are regional. `com.amazonaws.us-east-1.ecr.dkr` in a `us-west-2` VPC cannot
    /// be created, and an image in `us-east-1`'s registry cannot be pulled through
    /// `us-west-2`'s endpoints: such a pull needs an internet route (or replication of the
    /// repository into the workload's region).
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
        if let Some(r) = svc.region.as_deref().filter(|r| r != region) {
            out.push(
                Finding::fail(
                    &RULE,
                    ep.node.name(),
                    format!(
                        "{} is for {} in {r}, but {} is in {region} (from {})",
                        ep.node.name(),
                        svc.short,
                        vpc.node.name(),
                        vpc.region_source
                    ),
                )
                .with_path(vec![
                    Hop::Vpc(vpc.node.name()),
                    Hop::Endpoint(ep.node.name()),
                ])
                .with_fix(format!(
                    "  service_name = \"com.amazonaws.{region}.{}\"\n",
                    svc.short
                ))
                .at(ep.node.location.clone(), ep.node.input),
            );
        }
    }
    for f in &scope.workloads {
        let w = scope.workload(f);
        let blocked = match &f.reach {
            Reach::Internet { .. } if !scope.strict => continue,
            Reach::Unknown(_) if !scope.strict => false,
            _ => true,
        };
        for c in &w.containers {
            let Some(image) = c.image.known() else {
                continue;
            };
            let Image::PrivateEcr {
                region: img_region, ..
            } = classify(image)
            else {
                continue;
            };
            if &img_region == region {
                continue;
            }
            let msg = format!(
                "container {} of {} pulls {image} from the ECR registry in {img_region}, but its VPC's endpoints are in {region} and serve only that region's registry",
                c.name,
                w.node.name()
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
            path.push(Hop::Image(image.clone()));
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

fn reach_text(r: &Reach) -> String {
    match r {
        Reach::Private { why, .. } => why.clone(),
        Reach::Unknown(why) => format!("whether it reaches the internet is not known: {why}"),
        Reach::Internet { via, .. } => format!("strict mode: {via}"),
    }
}
