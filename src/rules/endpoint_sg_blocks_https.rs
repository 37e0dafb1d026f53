use super::analysis::{groups_allow_side, Scope, Side, Tri, Use};
use super::{declare_rule, fixes, Finding, Hop};
use crate::graph::*;

declare_rule! {
    /// ## What it does
    /// Checks that a security group of each Interface endpoint the workloads use admits inbound
    /// TCP 443 from them: a rule whose source is one of the workload's security groups, or a
    /// CIDR block that contains all of its subnets (the VPC's block is common), with protocol
    /// `tcp` and a port range that includes 443, or all traffic (`-1`). On EC2 hosts (ECS on
    /// EC2, ECS Managed Instances, Batch on EC2) the workload's groups and subnets are the
    /// container instances', which make the calls.
    ///
    /// When a plan does not record an endpoint's `security_group_ids` (they go through a
    /// module's `local`) but creates the endpoint's VPC, the endpoint can only get groups of
    /// that VPC: those the plan creates in it, or its default group. If none of them admits the
    /// workloads, the rule fails whichever it gets; otherwise it is not decided, and says which
    /// groups admit them. For a VPC that exists already, or HCL input, it is not decided.
    ///
    /// ## Why is this bad?
    /// Interface endpoints are network interfaces in your subnets, guarded by security groups.
    /// Without a rule for 443 the agent's connection times out and the pull fails. An endpoint
    /// with no `security_group_ids` gets the VPC's default group, which admits only its own
    /// members (and nothing at all when Terraform manages it without rules, as
    /// terraform-aws-modules/vpc does).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "endpoints" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     from_port   = 80
    ///     to_port     = 80
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["10.0.0.0/16"]
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
    ///   security_group_id            = aws_security_group.endpoints.id
    ///   referenced_security_group_id = aws_security_group.app.id
    ///   ip_protocol                  = "tcp"
    ///   from_port                    = 443
    ///   to_port                      = 443
    /// }
    /// ```
    ///
    /// ## References
    /// - AWS PrivateLink Guide: "Interface endpoints", security groups
    /// - Amazon VPC User Guide: "Default security groups for your VPCs"
    pub static RULE = {
        code: "PP501",
        name: "endpoint-sg-blocks-https",
        severity: Error,
        summary: "no security group of a required Interface endpoint allows inbound TCP 443 from the workloads",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(v) = scope.vpc() else { return };
    let net = scope.net;
    for &e in &net.vpcs[v].endpoints {
        let ep = &net.endpoints[e];
        if ep.kind.known() != Some(&EndpointKind::Interface) {
            continue;
        }
        let (groups, groups_unknown) = scope.endpoint_groups(e);
        let candidates = ep.security_group_candidates.as_deref();
        let mut blocked: Option<(String, bool)> = None;
        // The subnets of the blocked workload that are not admitted, where others are.
        let mut only: Vec<SubnetIdx> = Vec::new();
        let mut unsure: Option<(String, String)> = None;
        for (f, u) in scope.endpoint_users_or_maybe(e) {
            let w = scope.workload(f);
            let side = Side::of_workload(net, w);
            let (allowed, whichever) = admits(net, &groups, &groups_unknown, candidates, &side);
            match (allowed, u) {
                (Tri::Yes, _) => {}
                (Tri::No, Use::Definite(_)) => {
                    if blocked.is_none() {
                        only = not_admitted(net, &groups, &groups_unknown, candidates, &side, w);
                    }
                    blocked.get_or_insert((w.node.name(), whichever));
                }
                (Tri::No, Use::Maybe(why)) => {
                    unsure.get_or_insert((w.node.name(), format!("it admits no HTTPS from it, but whether it is used is not decided ({why})")));
                }
                (Tri::Maybe(why), _) => {
                    unsure.get_or_insert((w.node.name(), why));
                }
            }
        }
        let group_names: Vec<String> = groups
            .iter()
            .map(|&g| net.security_groups[g].node.name())
            .collect();
        let default_note = if ep.uses_default_security_group {
            " (no security_group_ids: the VPC's default group)"
        } else {
            ""
        };
        let (workload, finding) = if let Some((wname, true)) = &blocked {
            let why = groups_unknown.clone().unwrap_or_default();
            let names: Vec<String> = candidates
                .unwrap_or_default()
                .iter()
                .map(|&g| net.security_groups[g].node.name())
                .collect();
            (
                wname.clone(),
                Finding::fail(
                    &RULE,
                    ep.node.name(),
                    format!(
                        "whichever security groups {} gets, none admits TCP 443 from {wname}: its \
                         security_group_ids is not decided ({why}), but its VPC {} is created by \
                         this plan, so its groups are among {}, and none of them does",
                        ep.node.name(),
                        net.vpcs[v].node.name(),
                        names.join(", ")
                    ),
                ),
            )
        } else if let Some((wname, _)) = blocked {
            (
                wname.clone(),
                Finding::fail(
                    &RULE,
                    ep.node.name(),
                    format!(
                        "no security group of {} ({}{default_note}) admits TCP 443 from {wname}{}",
                        ep.node.name(),
                        if group_names.is_empty() {
                            "none".to_string()
                        } else {
                            group_names.join(", ")
                        },
                        if only.is_empty() {
                            String::new()
                        } else {
                            let names: Vec<String> =
                                only.iter().map(|&s| net.subnets[s].node.name()).collect();
                            format!(" in {}", names.join(", "))
                        }
                    ),
                ),
            )
        } else if let Some((wname, why)) = unsure {
            (wname.clone(), Finding::unknown(&RULE, ep.node.name(), format!("whether the security groups of {} admit TCP 443 from {wname} is not decided: {why}", ep.node.name())))
        } else {
            continue;
        };
        let wi = scope
            .workloads
            .iter()
            .find(|f| scope.workload(f).node.name() == workload);
        let mut path = wi.map(|f| scope.workload_path(f)).unwrap_or_default();
        // The path goes through a subnet that is not admitted, with its route table.
        if let Some(&s) = only.first() {
            if let Some(at) = path.iter().position(|h| matches!(h, Hop::Subnet(_))) {
                let sn = &net.subnets[s];
                path.truncate(at);
                path.push(Hop::Subnet(sn.node.name()));
                if let Fact::Known(t) = sn.route_table {
                    path.push(Hop::RouteTable(net.route_tables[t].node.name()));
                }
            }
        }
        path.push(Hop::Endpoint(ep.node.name()));
        if let Some(g) = group_names.first() {
            path.push(Hop::SecurityGroup(g.clone()));
        }
        let source = wi
            .and_then(|f| scope.workload(f).security_groups.first().copied())
            .filter(|&g| !net.security_groups[g].implicit)
            .map(|g| {
                format!(
                    "  referenced_security_group_id = {}\n",
                    fixes::sg_ref(net, g)
                )
            })
            .unwrap_or_else(|| {
                format!(
                    "  cidr_ipv4                    = {}\n",
                    net.vpcs[v]
                        .cidrs
                        .first()
                        .map_or("\"<workload subnet CIDR>\"".to_string(), |c| format!(
                            "\"{c}\""
                        ))
                )
            });
        // A group the endpoint has, and that the input manages with its own rules, gets a rule;
        // an endpoint on the VPC's default group gets a group of its own.
        let managed =
            |g: &SgIdx| !net.security_groups[*g].implicit && !net.security_groups[*g].is_default;
        let own = groups.iter().copied().find(managed).or_else(|| {
            // Groups not decided: the one group of its own the endpoint can have, if only one.
            let mine: Vec<SgIdx> = candidates
                .unwrap_or_default()
                .iter()
                .copied()
                .filter(managed)
                .collect();
            match mine.as_slice() {
                [one] => Some(*one),
                _ => None,
            }
        });
        let fix = match own {
            Some(g) => format!(
                "resource \"aws_vpc_security_group_ingress_rule\" \"endpoint_https\" {{\n  security_group_id            = {}\n{source}  ip_protocol                  = \"tcp\"\n  from_port                    = 443\n  to_port                      = 443\n}}\n",
                fixes::sg_ref(net, g)
            ),
            None => format!(
                "give {} a security group of its own that admits HTTPS from the VPC:\n  security_group_ids = [aws_security_group.vpc_endpoints.id]\n\n{}",
                ep.node.name(),
                fixes::endpoint_group_block(scope)
            ),
        };
        out.push(
            finding
                .with_workload(Some(workload))
                .with_path(path)
                .with_fix(fix)
                .at(ep.node.location_of("security_group_ids"), ep.node.input),
        );
    }
}

/// The subnets of `w` from which the endpoint's groups surely admit no HTTPS, when some of its
/// subnets are admitted (a rule that names one subnet's block): empty when all or none are.
fn not_admitted(
    net: &Network,
    groups: &[SgIdx],
    groups_unknown: &Option<String>,
    candidates: Option<&[SgIdx]>,
    side: &Side,
    w: &Workload,
) -> Vec<SubnetIdx> {
    if w.subnets.len() < 2 {
        return Vec::new();
    }
    let no: Vec<SubnetIdx> = w
        .subnets
        .iter()
        .copied()
        .filter(|&s| {
            let one = Side {
                cidrs: vec![net.subnets[s].cidr.clone()],
                bounds: super::analysis::bounds(net, &[s]),
                subnets: vec![s],
                cidrs_unknown: None,
                groups: side.groups.clone(),
                groups_unknown: side.groups_unknown.clone(),
            };
            admits(net, groups, groups_unknown, candidates, &one).0 == Tri::No
        })
        .collect();
    if no.len() == w.subnets.len() {
        Vec::new()
    } else {
        no
    }
}

/// Whether the endpoint's groups (`groups`, and more when `groups_unknown`) admit HTTPS from
/// `side`; true with it when that was decided over the groups the endpoint can have
/// (`candidates`, see [`Endpoint::security_group_candidates`]): its groups are at least the
/// known `groups` (else one group at least: none given means the default group) and at most
/// all of `candidates`, and a set of groups admits what any of its groups admits. So: no
/// candidate admits → blocked whichever it gets; the least it can have admits → admitted
/// whichever; otherwise not decided, saying which candidates admit it.
fn admits(
    net: &Network,
    groups: &[SgIdx],
    groups_unknown: &Option<String>,
    candidates: Option<&[SgIdx]>,
    side: &Side,
) -> (Tri, bool) {
    let (Some(why), Some(all)) = (groups_unknown, candidates) else {
        return (
            groups_allow_side(net, groups, groups_unknown, true, side).0,
            false,
        );
    };
    let alone = |g: &[SgIdx]| groups_allow_side(net, g, &None, true, side).0;
    let most = alone(all);
    if most == Tri::No {
        return (Tri::No, true);
    }
    let least = if groups.is_empty() {
        all.iter().all(|&g| alone(&[g]) == Tri::Yes)
    } else {
        alone(groups) == Tri::Yes
    };
    if least {
        return (Tri::Yes, true);
    }
    let names = |yes: bool| -> Vec<String> {
        all.iter()
            .filter(|&&g| (alone(&[g]) == Tri::Yes) == yes)
            .map(|&g| net.security_groups[g].node.name())
            .collect()
    };
    let detail = match most {
        Tri::Maybe(w) => format!("{why}; {w}"),
        _ => {
            let (yes, no) = (names(true), names(false));
            format!(
                "{why}; its VPC is created by this plan, so its groups are among those of the \
                 VPC, of which {} {} HTTPS from the workload and {} {}",
                yes.join(", "),
                if yes.len() == 1 { "admits" } else { "admit" },
                no.join(", "),
                if no.len() == 1 { "does not" } else { "do not" }
            )
        }
    };
    (Tri::Maybe(detail), false)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// The complete private Fargate service whose Interface endpoints use only the security
    /// group `sg` (HCL of `aws_security_group.endpoints`), or no group at all.
    fn with_endpoint_group(sg: Option<&str>) -> Vec<(&'static str, &'static str, String)> {
        let ours = "  security_group_ids  = [aws_security_group.vpc_endpoints.id]\n";
        let src = match sg {
            Some(sg) => private_fargate(&[ALL_ENDPOINTS.concat().as_str(), sg]).replace(
                ours,
                "  security_group_ids  = [aws_security_group.endpoints.id]\n",
            ),
            None => private_fargate(ALL_ENDPOINTS).replace(ours, ""),
        };
        verdicts(&check_hcl(&[("main.tf", &src)]))
    }

    fn endpoints_group(port: u16, cidr: &str) -> String {
        format!(
            r#"
resource "aws_security_group" "endpoints" {{
  vpc_id = aws_vpc.main.id

  ingress {{
    protocol    = "tcp"
    from_port   = {port}
    to_port     = {port}
    cidr_blocks = [{cidr}]
  }}
}}
"#
        )
    }

    fn every_interface_endpoint_fails() -> Vec<(&'static str, &'static str, String)> {
        ["ecr_api", "ecr_dkr", "logs"]
            .into_iter()
            .map(|e| ("PP501", "fail", format!("aws_vpc_endpoint.{e}")))
            .collect()
    }

    #[test]
    fn https_from_the_vpc_cidr_passes() {
        let sg = endpoints_group(443, "aws_vpc.main.cidr_block");
        assert_eq!(with_endpoint_group(Some(&sg)), []);
    }

    #[test]
    fn http_only_fails_on_every_interface_endpoint() {
        let sg = endpoints_group(80, "aws_vpc.main.cidr_block");
        assert_eq!(
            with_endpoint_group(Some(&sg)),
            every_interface_endpoint_fails()
        );
    }

    #[test]
    fn cidr_that_misses_a_workload_subnet_fails() {
        // 10.0.10.0/24 is private_a only; the tasks also run in private_b (10.0.11.0/24).
        let sg = endpoints_group(443, r#""10.0.10.0/24""#);
        assert_eq!(
            with_endpoint_group(Some(&sg)),
            every_interface_endpoint_fails()
        );
        // The finding names the subnet that is not admitted, and goes through it (row 63's
        // helper audit: the path named the first subnet, the admitted one).
        let ours = "  security_group_ids  = [aws_security_group.vpc_endpoints.id]\n";
        let src = private_fargate(ALL_ENDPOINTS).replace(
            ours,
            "  security_group_ids  = [aws_security_group.endpoints.id]\n",
        ) + &sg;
        let f = check_hcl(&[("main.tf", &src)]);
        let pp501 = f.iter().find(|x| x.rule.code == "PP501").unwrap();
        assert!(
            pp501
                .message
                .ends_with("from aws_ecs_service.app in aws_subnet.private_b"),
            "{}",
            pp501.message
        );
        assert!(
            pp501
                .path
                .iter()
                .any(|h| h.to_string() == "aws_subnet.private_b")
                && !pp501
                    .path
                    .iter()
                    .any(|h| h.to_string() == "aws_subnet.private_a"),
            "{:?}",
            pp501.path
        );
    }

    #[test]
    fn no_security_group_means_the_default_group_which_fails() {
        assert_eq!(with_endpoint_group(None), every_interface_endpoint_fails());
    }

    #[test]
    fn port_range_containing_443_passes() {
        let src = private_fargate(ALL_ENDPOINTS).replace(
            "from_port       = 443\n    to_port         = 443",
            "from_port       = 0\n    to_port         = 65535",
        );
        assert!(src.contains("to_port         = 65535"));
        assert_eq!(verdicts(&check_hcl(&[("main.tf", &src)])), []);
    }

    /// ECS on EC2 (issue 18): the endpoints must admit the container instances, which pull;
    /// admitting the task's group is not enough.
    #[test]
    fn ec2_endpoints_must_admit_the_instances_group() {
        let mut extras = ALL_ENDPOINTS.to_vec();
        extras.extend([ECS_AGENT, EC2_INSTANCES]);
        let src = ecs_on_ec2(&extras);
        assert_eq!(verdicts_of("PP501", &check_hcl(&[("main.tf", &src)])), []);
        let without = src.replace(
            "resource \"aws_vpc_security_group_ingress_rule\" \"endpoints_from_instances\"",
            "resource \"aws_vpc_security_group_ingress_rule\" \"endpoints_from_elsewhere\"",
        );
        let without = without.replace(
            "  referenced_security_group_id = aws_security_group.instances.id\n",
            "  cidr_ipv4                    = \"192.168.0.0/16\"\n",
        );
        let f = check_hcl(&[("main.tf", &without)]);
        let failing: Vec<String> = verdicts_of("PP501", &f)
            .into_iter()
            .map(|(_, v, r)| format!("{v} {r}"))
            .collect();
        assert_eq!(
            failing,
            [
                "fail aws_vpc_endpoint.ecr_api",
                "fail aws_vpc_endpoint.ecr_dkr",
                "fail aws_vpc_endpoint.ecs[\"ecs\"]",
                "fail aws_vpc_endpoint.ecs[\"ecs-agent\"]",
                "fail aws_vpc_endpoint.ecs[\"ecs-telemetry\"]",
                "fail aws_vpc_endpoint.logs"
            ]
        );
    }
}
