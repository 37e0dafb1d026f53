use super::analysis::{Demand, Scope};
use super::{declare_rule, Finding, Hop};
use crate::graph::*;

declare_rule! {
    /// ## What it does
    /// Checks that a VPC whose workloads need Interface endpoints with private DNS resolves
    /// through the Amazon-provided resolver: its DHCP options set names only
    /// `AmazonProvidedDNS` (`aws_vpc_dhcp_options` + `aws_vpc_dhcp_options_association`, or the
    /// default set, `aws_default_vpc_dhcp_options`), and no Route 53 Resolver rule associated
    /// with it (`aws_route53_resolver_rule` of type `FORWARD` +
    /// `aws_route53_resolver_rule_association`) forwards `amazonaws.com`, a parent of it, or a
    /// service's own domain elsewhere.
    ///
    /// ## Why is this bad?
    /// An endpoint's private DNS is a private hosted zone that only the VPC's own resolver (the
    /// `AmazonProvidedDNS`, at the VPC's base address + 2) answers. Instances and tasks that ask
    /// other DNS servers — the custom `domain_name_servers` of a DHCP options set, or the
    /// on-premises resolvers a forwarding rule sends `amazonaws.com` to — get the services'
    /// public addresses, which a subnet without an internet route cannot reach: the pull fails
    /// with `CannotPullContainerError`. Whether those servers forward `amazonaws.com` back to the
    /// VPC's resolver is outside the input, so this is a warning, and the private-DNS hop of
    /// each endpoint (PP201) is unknown.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_dhcp_options" "corp" {
    ///   domain_name         = "corp.example.com"
    ///   domain_name_servers = ["10.20.0.10", "10.20.0.11"]
    /// }
    ///
    /// resource "aws_vpc_dhcp_options_association" "main" {
    ///   vpc_id          = aws_vpc.main.id
    ///   dhcp_options_id = aws_vpc_dhcp_options.corp.id
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Let the VPC resolve through the Amazon-provided resolver (forward the corporate domain
    /// to the corporate servers with a Resolver rule instead), or make sure the custom servers
    /// forward `amazonaws.com` to the VPC's resolver:
    /// ```hcl
    /// resource "aws_vpc_dhcp_options" "corp" {
    ///   domain_name         = "corp.example.com"
    ///   domain_name_servers = ["AmazonProvidedDNS"]
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon VPC User Guide: "DHCP option sets in Amazon VPC" (`domain-name-servers`,
    ///   `AmazonProvidedDNS`)
    /// - AWS PrivateLink Guide: "Manage DNS names for VPC endpoint services" / "DNS hostnames" of
    ///   interface endpoints (private DNS through the Amazon-provided resolver)
    /// - Amazon Route 53 Developer Guide: "How Resolver determines whether the domain name in a
    ///   query matches any rules" (the most specific rule wins)
    ///   (<https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-domain-name-matches.html>)
    pub static RULE = {
        code: "PP203",
        name: "vpc-dns-not-amazon-provided",
        severity: Warning,
        summary: "the VPC resolves through custom DNS servers (DHCP options) or forwards amazonaws.com elsewhere: endpoint private DNS may not apply",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(v) = scope.vpc() else { return };
    let net = scope.net;
    let vpc = &net.vpcs[v];
    if vpc.dns.is_empty() {
        return;
    }
    // Interface endpoints whose private DNS names the workloads need answered.
    let mut best: Option<(bool, EndpointIdx, usize, super::analysis::DnsBypass)> = None;
    let mut relying: Vec<String> = Vec::new();
    for (e, svc) in scope.interface_endpoints() {
        let ep = &net.endpoints[e];
        if ep.private_dns.known() != Some(&true) {
            continue;
        }
        let mut demand: Option<(usize, bool)> = None;
        for (i, f) in scope.workloads.iter().enumerate() {
            match scope.demand(f, svc) {
                Demand::Definite(_) => {
                    demand = Some((i, true));
                    break;
                }
                Demand::Maybe(_) => {
                    demand.get_or_insert((i, false));
                }
                Demand::None => {}
            }
        }
        let Some((w, definite)) = demand else {
            continue;
        };
        let Some(bypass) = scope.dns_bypass(svc) else {
            continue;
        };
        relying.push(ep.node.name());
        let certain = definite && bypass.certain;
        if best.as_ref().is_none_or(|(c, ..)| certain && !c) {
            best = Some((certain, e, w, bypass));
        }
    }
    let Some((certain, e, w, bypass)) = best else {
        return;
    };
    let f = &scope.workloads[w];
    let names: Vec<&str> = relying.iter().take(3).map(String::as_str).collect();
    let message = format!(
        "{}. The workloads need {} through private DNS: their names may resolve to public addresses instead, unreachable without an internet route",
        bypass.why,
        names.join(", ")
    );
    let finding = if certain {
        Finding::fail(&RULE, bypass.node.name(), message)
    } else {
        Finding::unknown(&RULE, bypass.node.name(), message)
    };
    let mut path = scope.workload_path(f);
    path.push(Hop::Endpoint(net.endpoints[e].node.name()));
    let fix = match bypass.node.address.as_deref() {
        Some(a) if a.starts_with("aws_route53_resolver_rule")
            || a.contains(".aws_route53_resolver_rule.") =>
        {
            "remove the forwarding rule's association with the VPC, narrow its domain_name to the names your DNS servers own, or add a SYSTEM rule for amazonaws.com:\n\nresource \"aws_route53_resolver_rule\" \"amazonaws\" {\n  domain_name = \"amazonaws.com\"\n  rule_type   = \"SYSTEM\"\n}\n".to_string()
        }
        _ => "  domain_name_servers = [\"AmazonProvidedDNS\"] # or make the custom servers forward amazonaws.com to the VPC's resolver (base address + 2)\n".to_string(),
    };
    out.push(
        finding
            .with_workload(Some(scope.workload(f).node.name()))
            .with_path(path)
            .with_fix(fix)
            .at(bypass.node.location.clone(), bypass.node.input),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CUSTOM_DHCP: &str = r#"
resource "aws_vpc_dhcp_options" "corp" {
  domain_name         = "corp.example.com"
  domain_name_servers = ["10.20.0.10", "10.20.0.11"]
}

resource "aws_vpc_dhcp_options_association" "main" {
  vpc_id          = aws_vpc.main.id
  dhcp_options_id = aws_vpc_dhcp_options.corp.id
}
"#;

    const AMAZON_DHCP: &str = r#"
resource "aws_vpc_dhcp_options" "corp" {
  domain_name         = "corp.example.com"
  domain_name_servers = ["AmazonProvidedDNS"]
}

resource "aws_vpc_dhcp_options_association" "main" {
  vpc_id          = aws_vpc.main.id
  dhcp_options_id = aws_vpc_dhcp_options.corp.id
}
"#;

    fn forward(domain: &str) -> String {
        format!(
            r#"
resource "aws_route53_resolver_rule" "corp" {{
  domain_name          = "{domain}"
  rule_type            = "FORWARD"
  resolver_endpoint_id = "rslvr-out-0123456789abcdef0"
  target_ip {{
    ip = "10.20.0.10"
  }}
}}

resource "aws_route53_resolver_rule_association" "corp" {{
  resolver_rule_id = aws_route53_resolver_rule.corp.id
  vpc_id           = aws_vpc.main.id
}}
"#
        )
    }

    fn with(extra: &str) -> String {
        let mut all = ALL_ENDPOINTS.to_vec();
        all.push(extra);
        private_fargate(&all)
    }

    #[test]
    fn complete_private_fargate_passes() {
        let found = check_hcl(&[("main.tf", &private_fargate(ALL_ENDPOINTS))]);
        assert_eq!(verdicts_of("PP203", &found), []);
    }

    #[test]
    fn amazon_provided_dns_passes() {
        let found = check_hcl(&[("main.tf", &with(AMAZON_DHCP))]);
        assert_eq!(verdicts(&found), []);
    }

    #[test]
    fn custom_name_servers_fail_and_private_dns_hops_are_unknown() {
        let found = check_hcl(&[("main.tf", &with(CUSTOM_DHCP))]);
        assert_eq!(
            verdicts(&found),
            [
                ("PP201", "unknown", "aws_vpc_endpoint.ecr_api".into()),
                ("PP201", "unknown", "aws_vpc_endpoint.ecr_dkr".into()),
                ("PP201", "unknown", "aws_vpc_endpoint.logs".into()),
                ("PP203", "fail", "aws_vpc_dhcp_options.corp".into()),
            ]
        );
        assert!(
            found[3].message.contains("10.20.0.10"),
            "{}",
            found[3].message
        );
    }

    #[test]
    fn forwarding_amazonaws_com_fails() {
        for domain in [
            "amazonaws.com",
            "com",
            ".",
            "dkr.ecr.us-west-2.amazonaws.com.",
        ] {
            let found = check_hcl(&[("main.tf", &with(&forward(domain)))]);
            assert_eq!(
                verdicts_of("PP203", &found),
                [("PP203", "fail", "aws_route53_resolver_rule.corp".into())],
                "{domain}"
            );
        }
    }

    #[test]
    fn forwarding_another_domain_passes() {
        let found = check_hcl(&[("main.tf", &with(&forward("corp.example.com")))]);
        assert_eq!(verdicts(&found), []);
    }

    /// A SYSTEM rule for amazonaws.com takes the name back from a forwarding rule for `com`.
    #[test]
    fn a_more_specific_system_rule_wins() {
        let system = r#"
resource "aws_route53_resolver_rule" "amazonaws" {
  domain_name = "amazonaws.com"
  rule_type   = "SYSTEM"
}

resource "aws_route53_resolver_rule_association" "amazonaws" {
  resolver_rule_id = aws_route53_resolver_rule.amazonaws.id
  vpc_id           = aws_vpc.main.id
}
"#;
        let src = with(&(forward("com") + system));
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts(&found), []);
    }

    /// With an internet route the workloads do not need the endpoints: nothing to report.
    #[test]
    fn custom_dns_with_nat_passes() {
        let src = private_fargate(&[S3_GATEWAY, NAT, CUSTOM_DHCP]);
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts_of("PP203", &found), []);
    }

    /// Name servers from a variable without a value: unknown, not a pass.
    #[test]
    fn unknown_name_servers_are_unknown() {
        let src = with(&CUSTOM_DHCP.replace("[\"10.20.0.10\", \"10.20.0.11\"]", "var.dns_servers"))
            + "variable \"dns_servers\" {\n  type = list(string)\n}\n";
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts_of("PP203", &found),
            [("PP203", "unknown", "aws_vpc_dhcp_options.corp".into())]
        );
    }
}
