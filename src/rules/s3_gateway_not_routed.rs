use super::analysis::{Demand, Reach, Scope, Service};
use super::{declare_rule, fixes, Finding, Hop};
use crate::graph::*;

declare_rule! {
    /// ## What it does
    /// Checks that the effective route table of every workload subnet (its explicit
    /// association, else the VPC's main table) is associated with the S3 gateway endpoint. On
    /// EC2 hosts (ECS on EC2, ECS Managed Instances, Batch on EC2) the workload subnets are the
    /// container instances', which download the layers. In reachability mode a subnet with its
    /// own way out (NAT, or an internet gateway with public IPs) reaches S3 through it and is not
    /// judged; strict mode judges every workload subnet.
    ///
    /// ## Why is this bad?
    /// A gateway endpoint works by adding a route for S3's prefix list to the route tables it is
    /// associated with. A subnet whose table is not among them has no route to S3, so image
    /// layers cannot be downloaded. A subnet without an explicit association uses the main
    /// table, which is easy to forget.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "s3" {
    ///   vpc_id            = aws_vpc.main.id
    ///   service_name      = "com.amazonaws.us-west-2.s3"
    ///   vpc_endpoint_type = "Gateway"
    ///   route_table_ids   = [aws_route_table.public.id] # tasks use aws_route_table.private
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_endpoint_route_table_association" "s3_private" {
    ///   vpc_endpoint_id = aws_vpc_endpoint.s3.id
    ///   route_table_id  = aws_route_table.private.id
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon VPC User Guide: "Gateway endpoints" (routing)
    /// - Amazon VPC User Guide: "Subnet route tables" (the main route table)
    pub static RULE = {
        code: "PP301",
        name: "s3-gateway-not-routed",
        severity: Error,
        summary: "a workload subnet's effective route table is not associated with the S3 gateway endpoint",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(_) = scope.vpc() else { return };
    let net = scope.net;
    let (gateways, _) = scope.endpoints_for(Service::S3);
    let Some(&first) = gateways.first() else {
        return;
    };
    let mut routed: Vec<RouteTableIdx> = Vec::new();
    let mut routes_unknown = None;
    for &e in &gateways {
        routed.extend(net.endpoints[e].route_tables.iter().copied());
        if let Some(why) = &net.endpoints[e].route_tables_unknown {
            routes_unknown.get_or_insert(why.clone());
        }
    }
    let ep = &net.endpoints[first];
    for f in &scope.workloads {
        // What PP103 asks for: in strict mode the layers through the gateway whatever the route
        // and the images (row 77's helper audit).
        let definite = match super::missing::strict_demand(scope, f, Service::S3) {
            Demand::Definite(_) => true,
            Demand::Maybe(_) => false,
            Demand::None => continue,
        };
        let w = scope.workload(f);
        let mut missing = Vec::new();
        let mut unknown = routes_unknown.clone();
        let mut undecided_subnet = None;
        for &s in &w.subnets {
            // In reachability mode a subnet with its own way out reaches S3 through it (a
            // workload may span public and private subnets: row 86's helper audit).
            if !scope.strict
                && super::analysis::subnet_reaches_internet(net, f.idx, s) == Some(true)
            {
                continue;
            }
            match &net.subnets[s].route_table {
                Fact::Known(t) if routed.contains(t) => {}
                Fact::Known(t) => missing.push((s, *t)),
                Fact::Unknown(why) => {
                    unknown = Some(why.clone());
                    undecided_subnet.get_or_insert(s);
                }
            }
        }
        if missing.is_empty() && unknown.is_none() {
            continue;
        }
        // A workload declared with --workload is somewhere in the VPC's subnets, which ones
        // not known: a subnet that is not routed is only one it may use, unless none is routed
        // (two helpers' audits, rows 108i and 111: a false fail on the public or database
        // subnets of a network root).
        let declared_partly = w.kind == WorkloadKind::Declared && missing.len() < w.subnets.len();
        let finding = match (missing.first(), definite && unknown.is_none()) {
            (Some(&(s, t)), _) if declared_partly => Finding::unknown(
                &RULE,
                ep.node.name(),
                format!(
                    "{} uses route table {}, which is not associated with {}; whether {} runs there is not known (its subnets are not known, and other subnets of the VPC are routed to the endpoint)",
                    net.subnets[s].node.name(),
                    net.route_tables[t].node.name(),
                    ep.node.name(),
                    w.node.name()
                ),
            ),
            (Some(&(s, t)), true) => Finding::fail(
                &RULE,
                ep.node.name(),
                format!(
                    "{} uses route table {}, which is not associated with the S3 gateway endpoint {}: tasks of {} there {}",
                    net.subnets[s].node.name(),
                    net.route_tables[t].node.name(),
                    ep.node.name(),
                    w.node.name(),
                    match &f.reach {
                        Reach::Internet { via, .. } => format!(
                            "reach S3 only through the internet route ({via}), and strict mode requires the image layers through the gateway endpoint"
                        ),
                        _ => "have no route to S3 for image layers".to_string(),
                    }
                ),
            ),
            (Some(&(s, t)), false) => Finding::unknown(
                &RULE,
                ep.node.name(),
                match &unknown {
                    Some(why) => format!(
                        "{} uses route table {}, which is not among the route tables known to be associated with {}; the association is not decided: {why}",
                        net.subnets[s].node.name(),
                        net.route_tables[t].node.name(),
                        ep.node.name()
                    ),
                    None => format!(
                        "{} uses route table {}, which is not associated with {}; whether {} needs the endpoint is not decided",
                        net.subnets[s].node.name(),
                        net.route_tables[t].node.name(),
                        ep.node.name(),
                        w.node.name()
                    ),
                },
            ),
            (None, _) => Finding::unknown(&RULE, ep.node.name(), format!("whether the subnets of {} are routed to {} is not known: {}", w.node.name(), ep.node.name(), unknown.clone().unwrap_or_default())),
        };
        // The path goes through the subnet that is not routed.
        let mut path = vec![Hop::Workload(w.node.name())];
        if let Some(h) = w.hosts.as_ref().and_then(Hosts::name) {
            path.push(Hop::Instances(h));
        }
        if let Some(&(s, t)) = missing.first() {
            path.push(Hop::Subnet(net.subnets[s].node.name()));
            path.push(Hop::RouteTable(net.route_tables[t].node.name()));
        } else if let Some(s) = undecided_subnet {
            path.push(Hop::Subnet(net.subnets[s].node.name()));
        }
        path.push(Hop::Endpoint(ep.node.name()));
        let mut fix = String::new();
        let mut seen = Vec::new();
        // Only a decided gap gets a fix: an undecided association may already exist.
        let fixable = if unknown.is_none() && !declared_partly {
            missing.as_slice()
        } else {
            &[]
        };
        for (_, t) in fixable {
            if seen.contains(t) {
                continue;
            }
            seen.push(*t);
            fix.push_str(&format!(
                "resource \"aws_vpc_endpoint_route_table_association\" \"s3_{}\" {{\n  vpc_endpoint_id = {}\n  route_table_id  = {}\n}}\n",
                seen.len(),
                fixes::reference(net, &ep.node, "id"),
                fixes::route_table_ref(net, *t)
            ));
        }
        out.push(
            finding
                .with_workload(Some(w.node.name()))
                .with_path(path)
                .with_fix(fix)
                .at(ep.node.location_of("route_table_ids"), ep.node.input),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// The S3 gateway endpoint with `route_table_ids = ROUTES`.
    fn s3_gateway(route_table_ids: &str) -> String {
        format!(
            r#"
resource "aws_vpc_endpoint" "s3" {{
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-west-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = {route_table_ids}
}}
"#
        )
    }

    /// Ecosystem row 22: subnet ids given as the route tables. A subnet's id is never a route
    /// table's, so the workload's table is surely not associated (it was unknown).
    #[test]
    fn subnet_ids_given_as_route_tables_fail() {
        let s3 = s3_gateway("[aws_subnet.private_a.id, aws_subnet.private_b.id]");
        let found = check_hcl(&[("main.tf", &private_fargate(&[&s3, ECR_API, ECR_DKR, LOGS]))]);
        assert_eq!(
            verdicts_of("PP301", &found),
            vec![("PP301", "fail", "aws_vpc_endpoint.s3".to_string())]
        );
    }

    /// Behind NAT, strict mode asks for the layers through the gateway endpoint, whatever the
    /// images: a table not associated with it fails there, saying that the route is the
    /// internet's (row 77's helper audit: it said "no route to S3"); reachability mode says
    /// nothing (the NAT carries them).
    #[test]
    fn strict_mode_behind_nat_wants_the_gateway() {
        let other = r#"
resource "aws_route_table" "other" {
  vpc_id = aws_vpc.main.id
}
"#;
        let s3 = s3_gateway("[aws_route_table.other.id]");
        for image in [PRIVATE_ECR_IMAGE, r#""public.ecr.aws/nginx/nginx:1.27""#] {
            let src =
                private_fargate_base(image) + &[other, &s3, ECR_API, ECR_DKR, LOGS].concat() + NAT;
            let strict = check_hcl_with(&[("main.tf", &src)], &Options::strict());
            assert_eq!(
                verdicts_of("PP301", &strict),
                vec![("PP301", "fail", "aws_vpc_endpoint.s3".to_string())],
                "{image}"
            );
            let msg = &strict
                .iter()
                .find(|x| x.rule.code == "PP301")
                .unwrap()
                .message;
            assert!(msg.contains("only through the internet route"), "{msg}");
            assert_eq!(
                verdicts_of("PP301", &check_hcl(&[("main.tf", &src)])),
                vec![]
            );
        }
    }

    #[test]
    fn endpoint_on_another_route_table_fails() {
        let other = r#"
resource "aws_route_table" "other" {
  vpc_id = aws_vpc.main.id
}
"#;
        let s3 = s3_gateway("[aws_route_table.other.id]");
        let found = check_hcl(&[(
            "main.tf",
            &private_fargate(&[other, &s3, ECR_API, ECR_DKR, LOGS]),
        )]);
        assert_eq!(
            verdicts(&found),
            [("PP301", "fail", "aws_vpc_endpoint.s3".into())]
        );
    }

    #[test]
    fn separate_route_table_association_passes() {
        let assoc = r#"
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-west-2.s3"
  vpc_endpoint_type = "Gateway"
}

resource "aws_vpc_endpoint_route_table_association" "s3_private" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = aws_route_table.private.id
}
"#;
        let found = check_hcl(&[(
            "main.tf",
            &private_fargate(&[assoc, ECR_API, ECR_DKR, LOGS]),
        )]);
        assert_eq!(verdicts(&found), []);
    }

    #[test]
    fn subnet_on_the_main_route_table_fails() {
        // private_b loses its association: it uses the VPC's main route table, which the
        // endpoint is not associated with.
        let src = private_fargate(ALL_ENDPOINTS).replace(
            "resource \"aws_route_table_association\" \"private_b\" {\n",
            "resource \"aws_route_table_association\" \"private_b\" {\n  count = 0\n",
        );
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts(&found),
            [("PP301", "fail", "aws_vpc_endpoint.s3".into())]
        );
        assert!(
            found[0]
                .message
                .contains("aws_subnet.private_b uses route table aws_vpc.main (main route table)"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn route_tables_not_known_before_apply_are_unknown() {
        let var = r#"
variable "route_table_ids" {
  type = list(string)
}
"#;
        let s3 = s3_gateway("var.route_table_ids");
        let found = check_hcl(&[(
            "main.tf",
            &private_fargate(&[var, &s3, ECR_API, ECR_DKR, LOGS]),
        )]);
        assert_eq!(
            verdicts(&found),
            [("PP301", "unknown", "aws_vpc_endpoint.s3".into())]
        );
    }
}
