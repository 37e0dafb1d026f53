use super::analysis::{Demand, Reach, Scope, Service};
use super::{declare_rule, Finding, Hop};
use crate::graph::*;

declare_rule! {
    /// ## What it does
    /// Checks that every Interface endpoint the workloads need has private DNS enabled. Where
    /// a private hosted zone of the VPC named for the service answers its name instead (the
    /// hub pattern: private DNS off, zones aliased to the endpoints), the verdict is unknown:
    /// the zone's records are not followed.
    ///
    /// ## Why is this bad?
    /// The ECS agent and Docker call the services by their default names
    /// (`api.ecr.<region>.amazonaws.com`, `<account>.dkr.ecr.<region>.amazonaws.com`,
    /// `logs.<region>.amazonaws.com`). Only private DNS makes those names resolve to the
    /// endpoint; without it the names resolve to public addresses that a subnet without an
    /// internet route cannot reach. For `ecr.dkr` the ECR User Guide says outright that the
    /// private DNS name must be enabled. The provider's default for `private_dns_enabled` is
    /// `false`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "ecr_dkr" {
    ///   vpc_id            = aws_vpc.main.id
    ///   service_name      = "com.amazonaws.us-west-2.ecr.dkr"
    ///   vpc_endpoint_type = "Interface" # private_dns_enabled defaults to false
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
    /// When private DNS is on but the VPC may not resolve through the Amazon-provided resolver
    /// (custom DHCP name servers, a Resolver rule forwarding `amazonaws.com`: PP203), whether
    /// the names resolve to the endpoint is not known: the verdict is unknown.
    ///
    /// ## References
    /// - Amazon ECR User Guide: "Amazon ECR interface VPC endpoints (AWS PrivateLink)"
    ///   (considerations: private DNS for ecr.dkr)
    /// - AWS PrivateLink Guide: "DNS hostnames" of interface endpoints
    pub static RULE = {
        code: "PP201",
        name: "endpoint-private-dns-disabled",
        severity: Error,
        summary: "a required Interface endpoint has private_dns_enabled false or unset",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let net = scope.net;
    for (e, svc) in scope.interface_endpoints() {
        let ep = &net.endpoints[e];
        let mut definite = None;
        let mut maybe = None;
        for f in &scope.workloads {
            // What PP101–PP106 ask for: in strict mode the image-pull endpoints whatever the
            // images, so one with private DNS off fails as a missing one would (row 70).
            match super::missing::strict_demand(scope, f, svc) {
                Demand::Definite(why) => {
                    definite.get_or_insert((f, why));
                }
                Demand::Maybe(why) => {
                    maybe.get_or_insert((f, why));
                }
                Demand::None => {}
            }
        }
        let Some((f, why)) = definite.clone().or(maybe.clone()) else {
            continue;
        };
        let w = scope.workload(f);
        let mut fix = "  private_dns_enabled = true\n".to_string();
        // A private hosted zone of the VPC named for the service answers the name instead (the
        // hub pattern: endpoints with private DNS off, zones aliased to them): not decided
        // here, whichever endpoint its records lead to.
        let zone = (ep.private_dns == Fact::Known(false))
            .then(|| scope.central_zone(svc))
            .flatten();
        let finding = match (&ep.private_dns, definite.is_some()) {
            (Fact::Known(false), _) if zone.is_some() => Finding::unknown(
                &RULE,
                ep.node.name(),
                format!(
                    "{} has private DNS disabled, but {} answers {} in the VPC: whether its records lead to an endpoint is not checked ({why})",
                    ep.node.name(),
                    zone.as_ref().map(|z| z.text.as_str()).unwrap_or_default(),
                    hostname(svc, scope.region().unwrap_or("<region>")),
                ),
            ),
            // Private DNS is on; whether the workloads' queries reach the resolver that answers
            // it is PP203's question, and this hop is unknown while that is.
            (Fact::Known(true), _) => match scope.dns_bypass(svc) {
                None => continue,
                Some(b) => {
                    fix = format!("have the service names answered by the VPC's Amazon-provided resolver (see PP203 on {})", b.node.name());
                    Finding::unknown(
                    &RULE,
                    ep.node.name(),
                    format!(
                        "{} has private DNS enabled, but whether {} resolves to it for {} is not known: {}",
                        ep.node.name(),
                        hostname(svc, scope.region().unwrap_or("<region>")),
                        w.node.name(),
                        b.why
                    ),
                )
                }
            },
            // Required only by strict mode: the workload reaches the service through its
            // internet route, bypassing the endpoint.
            (Fact::Known(false), true) if matches!(f.reach, Reach::Internet { .. }) => Finding::fail(
                &RULE,
                ep.node.name(),
                format!(
                    "{} has private DNS disabled, so {} does not resolve to it: {}'s calls to {} bypass it and leave through its internet route ({why})",
                    ep.node.name(),
                    hostname(svc, scope.region().unwrap_or("<region>")),
                    w.node.name(),
                    svc.short()
                ),
            ),
            (Fact::Known(false), true) => Finding::fail(
                &RULE,
                ep.node.name(),
                format!(
                    "{} has private DNS disabled, so {} does not resolve to it and {} cannot reach {} ({why})",
                    ep.node.name(),
                    hostname(svc, scope.region().unwrap_or("<region>")),
                    w.node.name(),
                    svc.short()
                ),
            ),
            (Fact::Known(false), false) => Finding::unknown(&RULE, ep.node.name(), format!("{} has private DNS disabled; whether {} needs it is not decided ({why})", ep.node.name(), w.node.name())),
            (Fact::Unknown(r), _) => Finding::unknown(&RULE, ep.node.name(), format!("whether {} has private DNS is not known: {r}", ep.node.name())),
        };
        let mut path = scope.workload_path(f);
        path.push(Hop::Endpoint(ep.node.name()));
        // `private_dns_enabled` when it is what is at fault (off, or not known); with it on,
        // the resolver is (PP203): the endpoint's block.
        let at = if ep.private_dns.known() == Some(&true) {
            ep.node.location.clone()
        } else {
            ep.node.location_of("private_dns_enabled")
        };
        out.push(
            finding
                .with_workload(Some(w.node.name()))
                .with_path(path)
                .with_fix(fix)
                .at(at, ep.node.input),
        );
    }
}

/// The name the agents call for a service, which only private DNS points at the endpoint.
fn hostname(svc: Service, region: &str) -> String {
    crate::aws::service_hostname(svc.short(), region)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// Strict mode asks for the image-pull endpoints whatever the images (PP101 fails without
    /// ecr.dkr for a Docker Hub image behind NAT); an ecr.dkr endpoint with private DNS off then
    /// serves nothing and fails PP201 as a missing one fails PP101 (row 70's helper audit: it
    /// passed). Reachability mode asks for nothing there.
    #[test]
    fn strict_mode_judges_the_endpoints_it_requires() {
        let src = private_fargate_base(r#""nginx:1.25""#) + &ALL_ENDPOINTS.concat() + NAT;
        let off = src.replacen(
            "service_name        = \"com.amazonaws.us-west-2.ecr.dkr\"\n  vpc_endpoint_type   = \"Interface\"\n  private_dns_enabled = true",
            "service_name        = \"com.amazonaws.us-west-2.ecr.dkr\"\n  vpc_endpoint_type   = \"Interface\"\n  private_dns_enabled = false",
            1,
        );
        assert_ne!(off, src);
        let strict = check_hcl_with(&[("main.tf", &off)], &Options::strict());
        assert_eq!(
            verdicts_of("PP201", &strict),
            vec![("PP201", "fail", "aws_vpc_endpoint.ecr_dkr".to_string())]
        );
        assert_eq!(
            verdicts_of("PP201", &check_hcl(&[("main.tf", &off)])),
            vec![]
        );
    }
}
