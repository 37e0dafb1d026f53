use super::analysis::{
    classify, groups_allow, groups_allow_side, is_private, Image, Need, Reach, Scope, ScopeKind,
    Service, Side, Tri, Use,
};
use super::{declare_rule, fixes, Finding, Hop};
use crate::graph::*;

declare_rule! {
    /// ## What it does
    /// Checks that a security group of each workload admits outbound TCP 443 to every place its
    /// pull goes: each Interface endpoint it uses (a rule to the endpoint's group or to a CIDR
    /// block containing the endpoint's subnets), S3 for image layers (the S3 prefix list, i.e.
    /// the gateway endpoint's `prefix_list_id`, or `0.0.0.0/0`), the internet for an image
    /// from a registry no endpoint serves (Docker Hub, ECR Public, any other: whatever the route,
    /// unless there surely is none, which is PP601), and, when it pulls through a NAT gateway,
    /// the internet. A workload whose VPC is not decided (PP901) is still checked for S3 and
    /// other registries, which are outside any VPC whichever way it routes.
    ///
    /// On ECS on EC2, ECS Managed Instances and AWS Batch on EC2 the groups that count are the
    /// container instances' (the launch template's or launch configuration's, the capacity
    /// provider's network configuration, the compute environment's `security_group_ids`): the
    /// instance's agent and daemon pull the image and ship the logs. The task's own `awsvpc`
    /// group carries only its application traffic.
    ///
    /// ## Why is this bad?
    /// Terraform removes the default allow-all egress rule from every `aws_security_group` it
    /// manages, so a group with no `egress` block lets nothing out. A common half-fix allows 443
    /// to the VPC's CIDR block only: the endpoints answer, but layers from S3 (outside the VPC)
    /// do not.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   vpc_id = aws_vpc.main.id
    ///   egress {
    ///     from_port   = 443
    ///     to_port     = 443
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["10.0.0.0/16"] # endpoints yes, S3 no
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_security_group_egress_rule" "app_s3" {
    ///   security_group_id = aws_security_group.app.id
    ///   prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id
    ///   ip_protocol       = "tcp"
    ///   from_port         = 443
    ///   to_port           = 443
    /// }
    /// ```
    ///
    /// ## References
    /// - Terraform AWS provider: `aws_security_group` ("Terraform removes the default egress rule")
    /// - Amazon VPC User Guide: "Gateway endpoints" (security groups and the prefix list)
    pub static RULE = {
        code: "PP502",
        name: "workload-sg-blocks-https",
        severity: Error,
        summary: "no security group of the workload allows outbound TCP 443 to the endpoints and to S3 (prefix list or a covering CIDR)",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    // Workloads whose VPC is not decided (PP901 says why) are checked for the hops that do not
    // depend on the VPC: S3 and other registries are reached at addresses outside any VPC
    // whichever way the subnet routes, so groups that let no TCP 443 out to them block the pull
    // wherever the workload lands. Their endpoints are not known.
    let v = match scope.kind {
        ScopeKind::Vpc(v) => Some(v),
        ScopeKind::Unplaced => None,
        ScopeKind::Global => return,
    };
    let net = scope.net;
    for f in &scope.workloads {
        let w = scope.workload(f);
        let groups = &w.security_groups;
        let gaps = &w.security_groups_unknown;
        // Without its VPC, a workload on the VPC's default group has no group pullpath knows.
        if v.is_none() && (w.uses_default_security_group || groups.is_empty()) {
            continue;
        }
        let mut blocked: Vec<String> = Vec::new();
        let mut unsure: Vec<String> = Vec::new();
        // Which destinations the fix must open: the endpoints, S3, the internet.
        let (mut to_vpc, mut to_s3, mut to_any) = (false, false, false);
        // Interface endpoints it uses.
        let endpoints = v.map_or(&[][..], |v| &net.vpcs[v].endpoints[..]);
        for &e in endpoints {
            let ep = &net.endpoints[e];
            if ep.kind.known() != Some(&EndpointKind::Interface) {
                continue;
            }
            let Some((_, u)) = scope
                .endpoint_users_or_maybe(e)
                .into_iter()
                .find(|(x, _)| x.idx == f.idx)
            else {
                continue;
            };
            let side = Side::of_endpoint(net, ep);
            let (allowed, _) = groups_allow_side(net, groups, gaps, false, &side);
            match (allowed, u) {
                (Tri::Yes, _) => {}
                (Tri::No, Use::Definite(_)) => {
                    blocked.push(format!("the endpoint {}", ep.node.name()))
                }
                (Tri::No, Use::Maybe(why)) => {
                    to_vpc = true;
                    unsure.push(format!("the endpoint {} (if used: {why})", ep.node.name()))
                }
                (Tri::Maybe(why), _) => {
                    to_vpc = true;
                    unsure.push(format!("the endpoint {} ({why})", ep.node.name()))
                }
            }
        }
        // S3 for image layers, and the internet when the pull goes through NAT.
        let s3_needed = f.needs.iter().any(|(s, _)| *s == Service::S3);
        if s3_needed {
            let s3 = |p: &Peer| match p {
                Peer::PrefixList(pl) => match &pl.is_s3 {
                    Fact::Known(true) => Tri::Yes,
                    Fact::Known(false) => Tri::No,
                    Fact::Unknown(why) => Tri::Maybe(why.clone()),
                },
                Peer::Cidr(c) if c.is_any() => Tri::Yes,
                Peer::Cidr(c) if is_private(c) => Tri::No,
                Peer::Cidr(c) => {
                    Tri::Maybe(format!("{c} may not contain all of S3's address ranges"))
                }
                Peer::Cidr6(_) => Tri::No,
                Peer::SecurityGroup(_) => Tri::No,
                Peer::Unknown(why) | Peer::Block { why, .. } => Tri::Maybe(why.clone()),
            };
            let (allowed, _) = groups_allow(net, groups, gaps, false, &s3);
            // The layers come from S3 whichever way the subnet routes: through the gateway
            // endpoint (the prefix list) or through NAT (S3's public addresses, the same
            // ranges). What is allowed does not depend on the route, so a required pull that
            // no rule lets out is blocked even where the route is not decided. A pull whose
            // images may all be outside ECR may not go to S3 at all: not decided.
            let definite = f
                .needs
                .iter()
                .any(|(s, n)| *s == Service::S3 && matches!(n, Need::Required(_)));
            match allowed {
                Tri::Yes => {}
                Tri::No if definite => {
                    to_s3 = true;
                    blocked.push("S3 (image layers: the S3 prefix list or 0.0.0.0/0)".to_string())
                }
                Tri::No => {
                    to_s3 = true;
                    unsure.push("S3 (image layers)".to_string())
                }
                Tri::Maybe(why) => {
                    to_s3 = true;
                    unsure.push(format!("S3 ({why})"))
                }
            }
        }
        // Images from registries that no endpoint serves (Docker Hub, ECR Public, any other)
        // come from internet addresses whichever way the subnet routes: through NAT, or not at
        // all (PP601 says so, and then the group is not the question). Like S3's, this hop does
        // not depend on a route that is not decided.
        let mut registries: Vec<String> = Vec::new();
        for c in &w.containers {
            let name = match c.image.known().map(|i| classify(i)) {
                None | Some(Image::PrivateEcr { .. }) => continue,
                Some(Image::DockerHub) => "Docker Hub".to_string(),
                Some(Image::EcrPublic) => "ECR Public".to_string(),
                Some(Image::Other(host)) => host,
            };
            if !registries.contains(&name) {
                registries.push(name);
            }
        }
        if !registries.is_empty() && !matches!(f.reach, Reach::Private { .. }) {
            let internet = |p: &Peer| match p {
                Peer::Cidr(c) if c.is_any() => Tri::Yes,
                Peer::Cidr(c) if is_private(c) => Tri::No,
                Peer::Cidr(c) => {
                    Tri::Maybe(format!("{c} may not contain the registry's addresses"))
                }
                Peer::Cidr6(_) | Peer::SecurityGroup(_) => Tri::No,
                // S3's prefix list holds S3's ranges: no registry's API host is among them.
                Peer::PrefixList(pl) if pl.is_s3 == Fact::Known(true) => Tri::No,
                Peer::PrefixList(pl) => Tri::Maybe(format!(
                    "the prefix list {} may not contain the registry's addresses",
                    pl.name
                )),
                Peer::Unknown(why) | Peer::Block { why, .. } => Tri::Maybe(why.clone()),
            };
            let what = format!(
                "the image registry {} (internet addresses)",
                registries.join(", ")
            );
            match groups_allow(net, groups, gaps, false, &internet).0 {
                Tri::Yes => {}
                Tri::No => {
                    to_any = true;
                    blocked.push(what)
                }
                Tri::Maybe(why) => {
                    to_any = true;
                    unsure.push(format!("{what} ({why})"))
                }
            }
        }
        // In both modes: strict mode asks for more endpoints, but until they exist the pull goes
        // through the internet route, and a group that blocks it breaks the pull all the same.
        let via_nat = matches!(f.reach, Reach::Internet { .. });
        // Whether the subnets reach the internet is not decided: what the groups block there
        // is blocked only if they do (else the endpoints serve the pull).
        let reach_unknown = match &f.reach {
            Reach::Unknown(why) => Some(why.as_str()),
            _ => None,
        };
        // NAT (a gateway or an instance), or an internet gateway with public IPs (two helpers
        // found "through NAT" said of the latter).
        let through = match &f.reach {
            Reach::Internet { nat: true, .. } => "through NAT",
            Reach::Unknown(_) => "through the internet route its subnets may have",
            _ => "through the internet gateway",
        };
        if via_nat || reach_unknown.is_some() {
            // Services without an endpoint are reached at their public addresses.
            let public: Vec<&Need> = f
                .needs
                .iter()
                .filter(|(s, _)| s.is_interface() && scope.endpoints_for(*s).0.is_empty())
                .map(|(_, n)| n)
                .collect();
            // Only needs that may not exist (images, log driver or secrets not known): the
            // internet may not be called at all.
            let public_maybe = public.iter().find_map(|n| match n {
                Need::Unknown(why) => Some(why.clone()),
                Need::Required(_) => None,
            });
            let public_required = public.iter().any(|n| matches!(n, Need::Required(_)));
            if !public.is_empty() {
                let any = |p: &Peer| match p {
                    Peer::Cidr(c) if c.is_any() => Tri::Yes,
                    Peer::Cidr(c) if is_private(c) => Tri::No,
                    Peer::Cidr(c) => {
                        Tri::Maybe(format!("{c} may not contain the AWS service addresses"))
                    }
                    Peer::Cidr6(_) | Peer::SecurityGroup(_) => Tri::No,
                    // S3's prefix list holds S3's ranges, not ECR's or CloudWatch's.
                    Peer::PrefixList(pl) if pl.is_s3 == Fact::Known(true) => Tri::No,
                    Peer::PrefixList(pl) => Tri::Maybe(format!(
                        "the prefix list {} may not contain the AWS service addresses",
                        pl.name
                    )),
                    Peer::Unknown(why) | Peer::Block { why, .. } => Tri::Maybe(why.clone()),
                };
                match groups_allow(net, groups, gaps, false, &any).0 {
                    Tri::Yes => {}
                    Tri::No if public_required && reach_unknown.is_none() => {
                        to_any = true;
                        blocked.push(format!(
                            "the public ECR and CloudWatch endpoints {through} (0.0.0.0/0)"
                        ))
                    }
                    Tri::No if public_required => {
                        to_any = true;
                        unsure.push(format!(
                            "the public ECR and CloudWatch endpoints {through} (0.0.0.0/0), if it has one: {}",
                            reach_unknown.unwrap_or_default()
                        ))
                    }
                    Tri::No => {
                        to_any = true;
                        unsure.push(format!(
                            "the public AWS endpoints {through} (0.0.0.0/0), if they are called: {}",
                            public_maybe.unwrap_or_default()
                        ))
                    }
                    Tri::Maybe(why) => {
                        to_any = true;
                        unsure.push(format!("the public AWS endpoints {through} ({why})"))
                    }
                }
            }
        }
        let group_names: Vec<String> = groups
            .iter()
            .map(|&g| net.security_groups[g].node.name())
            .collect();
        let resource = group_names
            .first()
            .cloned()
            .unwrap_or_else(|| w.node.name());
        // On EC2 hosts the container instances pull the image and ship the logs through their
        // own security groups, which are the workload's here (DOMAIN.md §2). Where the platform
        // is not decided the workload may run on EC2, whose instances pullpath could not find:
        // what the task's groups block then decides nothing (unknown).
        if let (Fact::Unknown(why), false) = (&w.platform, blocked.is_empty()) {
            if w.kind != WorkloadKind::Declared {
                unsure.insert(
                    0,
                    format!(
                        "the container instances of {} (if it runs on ECS on EC2 (its platform is not decided: {why}), the instance pulls the image and sends the logs through its own security groups, which pullpath could not find; the task's groups do not admit {})",
                        w.node.name(),
                        blocked.join(", ")
                    ),
                );
                blocked.clear();
            }
        }
        let finding = if !blocked.is_empty() {
            Finding::fail(
                &RULE,
                resource.clone(),
                format!(
                    "no security group of {} ({}) admits outbound TCP 443 to {}",
                    w.node.name(),
                    if group_names.is_empty() {
                        "none known".into()
                    } else {
                        group_names.join(", ")
                    },
                    blocked.join(", ")
                ),
            )
        } else if !unsure.is_empty() {
            Finding::unknown(&RULE, resource.clone(), format!("whether the security groups of {} admit outbound TCP 443 is not decided for {}", w.node.name(), unsure.join(", ")))
        } else {
            continue;
        };
        let mut path = scope.workload_path(f);
        if let Some(g) = group_names.first() {
            path.push(Hop::SecurityGroup(g.clone()));
        }
        let target = match groups.first() {
            Some(&g) if !net.security_groups[g].implicit => fixes::sg_ref(net, g),
            _ => "<the workload's security group>.id".to_string(),
        };
        let s3_pl = scope
            .endpoints_for(Service::S3)
            .0
            .first()
            .map(|&e| fixes::reference(net, &net.endpoints[e].node, "prefix_list_id"))
            .unwrap_or_else(|| {
                "\"0.0.0.0/0\" # or the S3 gateway endpoint's prefix_list_id".into()
            });
        let dest = if s3_pl.starts_with('"') {
            format!("  cidr_ipv4         = {s3_pl}\n")
        } else {
            format!("  prefix_list_id    = {s3_pl}\n")
        };
        let rule = |label: &str, dest: &str| {
            format!(
                "resource \"aws_vpc_security_group_egress_rule\" \"{label}\" {{\n  security_group_id = {target}\n{dest}  ip_protocol       = \"tcp\"\n  from_port         = 443\n  to_port           = 443\n}}\n"
            )
        };
        let mut rules = Vec::new();
        if to_any {
            // 0.0.0.0/0 also covers the endpoints and S3.
            rules.push(rule(
                "workload_https_out",
                "  cidr_ipv4         = \"0.0.0.0/0\"\n",
            ));
        } else {
            if to_vpc {
                let cidr = v
                    .and_then(|v| net.vpcs[v].cidrs.first())
                    .map_or("\"<vpc cidr>\"".to_string(), |c| format!("\"{c}\""));
                rules.push(rule(
                    "workload_https_endpoints",
                    &format!("  cidr_ipv4         = {cidr}\n"),
                ));
            }
            if to_s3 {
                rules.push(rule("workload_https_s3", &dest));
            }
        }
        let fix = rules.join("\n");
        // The group's egress where it is written inline, else its block; with no group of its
        // own in the input, the workload's attribute that names its groups.
        let at = match groups.first().map(|&g| &net.security_groups[g].node) {
            Some(n) if n.location.is_some() => (n.location_of("egress"), n.input),
            _ => (
                w.node.location_of_any(&[
                    "network_configuration.security_groups",
                    "compute_resources.security_group_ids",
                    "vpc_security_group_ids",
                    "security_groups",
                ]),
                w.node.input,
            ),
        };
        out.push(
            finding
                .with_workload(Some(w.node.name()))
                .with_path(path)
                .with_fix(fix)
                .at(at.0, at.1),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{
        check_hcl, check_hcl_with, ecs_on_ec2, private_fargate_base, verdicts_of, Options,
        EC2_INSTANCES, NAT, PRIVATE_ECR_IMAGE,
    };

    /// NAT routes, no endpoints, and a task group that lets 443 out only inside the VPC.
    fn through_nat(launch_type: &str) -> String {
        private_fargate_base(PRIVATE_ECR_IMAGE)
            .replace(
                r#"cidr_blocks = ["0.0.0.0/0"]"#,
                r#"cidr_blocks = ["10.0.0.0/16"]"#,
            )
            .replace(
                r#"requires_compatibilities = ["FARGATE"]"#,
                &format!(r#"requires_compatibilities = ["{launch_type}"]"#),
            )
            .replace(
                r#"launch_type     = "FARGATE""#,
                &format!(r#"launch_type     = "{launch_type}""#),
            )
            + NAT
    }

    #[test]
    fn fargate_task_group_without_443_out_fails() {
        let f = check_hcl(&[("main.tf", &through_nat("FARGATE"))]);
        assert_eq!(
            verdicts_of("PP502", &f),
            vec![("PP502", "fail", "aws_security_group.app".to_string())]
        );
    }

    /// Tasks in a public subnet with public IPs reach the public endpoints through the internet
    /// gateway: the message says so (it said "through NAT": two helpers' probes).
    #[test]
    fn the_internet_gateway_path_is_named_as_such() {
        let src = through_nat("FARGATE").replace(
            "subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]\n    assign_public_ip = false",
            "subnets          = [aws_subnet.public_a.id]\n    assign_public_ip = true",
        );
        let f = check_hcl(&[("main.tf", &src)]);
        let pp502 = f.iter().find(|x| x.rule.code == "PP502").expect("PP502");
        assert!(
            pp502
                .message
                .contains("endpoints through the internet gateway (0.0.0.0/0)"),
            "{}",
            pp502.message
        );
        let nat = check_hcl(&[("main.tf", &through_nat("FARGATE"))]);
        let pp502 = nat.iter().find(|x| x.rule.code == "PP502").expect("PP502");
        assert!(
            pp502.message.contains("through NAT (0.0.0.0/0)"),
            "{}",
            pp502.message
        );
    }

    /// Strict mode asks for more endpoints; until they exist the pull goes through NAT, and a
    /// group that blocks it breaks the pull in that mode too (ecosystem row 1).
    #[test]
    fn strict_mode_keeps_the_nat_path_check() {
        let f = check_hcl_with(&[("main.tf", &through_nat("FARGATE"))], &Options::strict());
        assert_eq!(
            verdicts_of("PP502", &f),
            vec![("PP502", "fail", "aws_security_group.app".to_string())]
        );
    }

    /// On ECS on EC2 the container instance pulls through its own groups: where the instances
    /// are not in the input, what the task's group blocks decides nothing (unknown, with why).
    #[test]
    fn ec2_without_its_instances_is_unknown() {
        let f = check_hcl(&[("main.tf", &through_nat("EC2"))]);
        let v = verdicts_of("PP502", &f);
        assert_eq!(
            v,
            vec![("PP502", "unknown", "aws_ecs_service.app".to_string())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP502").unwrap().message;
        assert!(
            msg.contains("the container instances of cluster main are not in the input"),
            "{msg}"
        );
    }

    /// ECS on EC2 with its instances (issue 18): their group lets 443 out, the task's group lets
    /// nothing out: the pull is the instance's, so PP502 passes (ecosystem rows 4 and 13).
    #[test]
    fn ec2_instance_group_decides_not_the_task_group() {
        let src = ecs_on_ec2(&[NAT, EC2_INSTANCES]).replace(
            r#"cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "vpc_endpoints""#,
            r#"cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_security_group" "vpc_endpoints""#,
        );
        assert!(src.contains(r#"cidr_blocks = ["10.0.0.0/16"]"#));
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts_of("PP502", &f), vec![]);
    }

    /// ...and the other way round: the task's group is fine, the instances' group lets only the
    /// VPC out: the image layers (S3 through NAT) are blocked on the instance.
    #[test]
    fn ec2_instance_group_without_443_out_fails() {
        let src = ecs_on_ec2(&[NAT])
            + &EC2_INSTANCES.replacen(
                r#"cidr_blocks = ["0.0.0.0/0"]"#,
                r#"cidr_blocks = ["10.0.0.0/16"]"#,
                1,
            );
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts_of("PP502", &f),
            vec![("PP502", "fail", "aws_security_group.instances".to_string())]
        );
        let path = &f.iter().find(|x| x.rule.code == "PP502").unwrap().path;
        assert_eq!(
            crate::rules::evidence::names(path)[..3],
            [
                "aws_ecs_service.app".to_string(),
                "aws_autoscaling_group.ecs".to_string(),
                "aws_subnet.private_a".to_string()
            ]
        );
    }

    /// AWS Batch on EC2: a launch template's groups are the instances' when the compute
    /// environment names none (`security_group_ids` wins when both are set).
    #[test]
    fn batch_launch_template_groups_are_the_instances() {
        let src = private_fargate_base(PRIVATE_ECR_IMAGE) + NAT + BATCH_EC2_LAUNCH_TEMPLATE;
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts_of("PP502", &f),
            vec![("PP502", "fail", "aws_security_group.batch".to_string())]
        );
        let with_ce_groups = src.replace(
            "    subnets            = [aws_subnet.private_a.id]\n",
            "    subnets            = [aws_subnet.private_a.id]\n    security_group_ids = [aws_security_group.app.id]\n",
        );
        assert_ne!(with_ce_groups, src);
        let f = check_hcl(&[("main.tf", &with_ce_groups)]);
        assert_eq!(verdicts_of("PP502", &f), vec![]);
    }

    /// A Batch on EC2 compute environment whose launch template's group lets nothing out.
    const BATCH_EC2_LAUNCH_TEMPLATE: &str = r#"
resource "aws_security_group" "batch" {
  name   = "batch"
  vpc_id = aws_vpc.main.id
}

resource "aws_launch_template" "batch" {
  name                   = "batch"
  vpc_security_group_ids = [aws_security_group.batch.id]
}

resource "aws_batch_compute_environment" "jobs" {
  compute_environment_name = "jobs"
  type                     = "MANAGED"

  compute_resources {
    type               = "EC2"
    max_vcpus          = 16
    instance_type      = ["optimal"]
    instance_role      = "arn:aws:iam::111122223333:instance-profile/batch"
    subnets            = [aws_subnet.private_a.id]

    launch_template {
      launch_template_id = aws_launch_template.batch.id
    }
  }
}

resource "aws_batch_job_definition" "job" {
  name = "job"
  type = "container"
  container_properties = jsonencode({
    image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/job:1"
  })
}
"#;

    /// Ecosystem row 35 (bug 4): a group that lets nothing out to S3, for images that are not
    /// known (they may all come from outside ECR, and then not from S3): unknown, not a fail.
    /// The same group for a private ECR image fails.
    #[test]
    fn s3_blocked_for_unknown_images_is_unknown() {
        let no_s3 = |image: &str| {
            format!(
                "variable \"image\" {{\n  type = string\n}}\n{}",
                private_fargate_base(image).replace(
                    r#"cidr_blocks = ["0.0.0.0/0"]"#,
                    r#"cidr_blocks = ["10.0.0.0/16"]"#,
                )
            )
        };
        let f = check_hcl(&[("main.tf", &no_s3("var.image"))]);
        assert_eq!(
            verdicts_of("PP502", &f),
            vec![("PP502", "unknown", "aws_security_group.app".to_string())]
        );
        let f = check_hcl(&[("main.tf", &no_s3(PRIVATE_ECR_IMAGE))]);
        assert_eq!(
            verdicts_of("PP502", &f),
            vec![("PP502", "fail", "aws_security_group.app".to_string())]
        );
    }

    /// Ecosystem row 40: a Docker Hub image comes from internet addresses whichever way the
    /// subnet routes (through NAT, or not at all: PP601), so a group that lets 443 out only
    /// inside the VPC blocks it even where the route is not decided.
    #[test]
    fn registry_outside_aws_blocked_whatever_the_route() {
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
        let src = private_fargate_base(r#""nginx:1.25""#).replace(
            r#"cidr_blocks = ["0.0.0.0/0"]"#,
            r#"cidr_blocks = ["10.0.0.0/16"]"#,
        ) + crate::rules::testing::LOGS
            + route;
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts_of("PP502", &f),
            vec![("PP502", "fail", "aws_security_group.app".to_string())]
        );
        let pp502 = f.iter().find(|x| x.rule.code == "PP502").unwrap();
        assert!(pp502.message.contains("Docker Hub"), "{}", pp502.message);
        // Let out to the internet: nothing to say.
        let open = src.replace(
            r#"cidr_blocks = ["10.0.0.0/16"]"#,
            r#"cidr_blocks = ["0.0.0.0/0"]"#,
        );
        assert_eq!(
            verdicts_of("PP502", &check_hcl(&[("main.tf", &open)])),
            vec![]
        );
    }

    /// A service whose subnets come from a variable without a value has no VPC pullpath can
    /// decide (PP901). Its own group is known: one that lets TCP 443 out only inside
    /// 10.0.0.0/16 blocks the image layers (S3) wherever the service lands, so PP502 fails;
    /// one open to 0.0.0.0/0 has nothing to say; a service on the VPC's default group, whose
    /// VPC is not known, is not judged.
    #[test]
    fn unplaced_workload_with_a_group_that_blocks_s3_fails() {
        let unplaced = private_fargate_base(PRIVATE_ECR_IMAGE).replace(
            "subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]",
            "subnets          = var.subnet_ids",
        ) + "variable \"subnet_ids\" {\n  type = list(string)\n}\n";
        let closed = unplaced.replace(
            r#"cidr_blocks = ["0.0.0.0/0"]"#,
            r#"cidr_blocks = ["10.0.0.0/16"]"#,
        );
        let f = check_hcl(&[("main.tf", &closed)]);
        assert!(
            f.iter().any(|x| x.rule.code == "PP901"),
            "the service is unplaced: {f:?}"
        );
        assert_eq!(
            verdicts_of("PP502", &f),
            vec![("PP502", "fail", "aws_security_group.app".to_string())]
        );
        let pp502 = f.iter().find(|x| x.rule.code == "PP502").unwrap();
        assert!(pp502.message.contains("S3"), "{}", pp502.message);
        assert_eq!(
            verdicts_of("PP502", &check_hcl(&[("main.tf", &unplaced)])),
            vec![]
        );
        let default_group =
            closed.replace("    security_groups  = [aws_security_group.app.id]\n", "");
        assert!(!default_group.contains("security_groups  ="));
        assert_eq!(
            verdicts_of("PP502", &check_hcl(&[("main.tf", &default_group)])),
            vec![]
        );
    }
}
