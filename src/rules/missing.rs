//! What PP101–PP106 share: a service the workloads of a VPC need an endpoint for, and no
//! endpoint serves it.

use super::analysis::{Demand, Need, Scope, Service, WorkloadFacts};
use super::fixes;
use super::{Finding, Hop, Rule};
use crate::graph::*;

/// Reports the services the rule declares (`services` in [`declare_rule!`](super::declare_rule))
/// that some workload needs an endpoint for and that no endpoint of the VPC serves: one finding
/// per VPC (fail when a need is certain, unknown when only possible).
pub fn check(scope: &Scope<'_>, rule: &'static Rule, out: &mut Vec<Finding>) {
    let Some(v) = scope.vpc() else { return };
    let net = scope.net;
    let mut failing: Vec<(Service, usize, String)> = Vec::new();
    let mut unsure: Vec<(Service, usize, String)> = Vec::new();
    for &svc in rule.services {
        let mut definite: Option<(usize, String)> = None;
        let mut maybe: Option<(usize, String)> = None;
        for (i, f) in scope.workloads.iter().enumerate() {
            match strict_demand(scope, f, svc) {
                Demand::Definite(why) => {
                    definite.get_or_insert((i, why));
                }
                Demand::Maybe(why) => {
                    maybe.get_or_insert((i, why));
                }
                Demand::None => {}
            }
        }
        if definite.is_none() && maybe.is_none() {
            continue;
        }
        let (found, uncertain) = scope.endpoints_for(svc);
        if !found.is_empty() {
            continue;
        }
        // A private hosted zone named for the service sends its queries to an endpoint of a hub
        // VPC, outside the input: not a fail, and not a pass either (DOMAIN.md §2).
        if let Some(zone) = scope.central_zone(svc) {
            let (i, why) = definite.or(maybe).unwrap_or((0, String::new()));
            let how = if zone.certain {
                "served through the private hosted zone"
            } else {
                "perhaps served through the private hosted zone"
            };
            unsure.push((
                svc,
                i,
                format!(
                    "{why}; but {} is {how} {}, whose endpoint is outside the input",
                    svc.short(),
                    zone.text
                ),
            ));
            continue;
        }
        match (definite, uncertain) {
            (Some((i, why)), None) => failing.push((svc, i, why)),
            (Some((i, why)), Some(u)) => unsure.push((svc, i, format!("{why}; but {u}"))),
            (None, u) => {
                let (i, why) = maybe.unwrap_or((0, String::new()));
                unsure.push((
                    svc,
                    i,
                    match u {
                        Some(u) => format!("{why}; {u}"),
                        None => why,
                    },
                ));
            }
        }
    }
    let (list, verdict_fail) = if !failing.is_empty() {
        (failing, true)
    } else if !unsure.is_empty() {
        (unsure, false)
    } else {
        return;
    };
    let vpc_name = net.vpc_name(v);
    let f = &scope.workloads[list[0].1];
    let w = scope.workload(f);
    let names: Vec<String> = list
        .iter()
        .map(|(s, _, _)| format!("`{}`", s.short()))
        .collect();
    let what = if list.iter().any(|(s, _, _)| *s == Service::S3) {
        let interface = interface_s3(scope);
        format!(
            "{vpc_name} has no S3 Gateway endpoint{}",
            interface
                .map(|e| format!(
                    " ({e} is an Interface endpoint, which ECR does not use for image layers)"
                ))
                .unwrap_or_default()
        )
    } else {
        format!(
            "{vpc_name} has no {} endpoint{}",
            names.join(", "),
            if list.len() > 1 { "s" } else { "" }
        )
    };
    let roles: Vec<String> = list
        .iter()
        .map(|(s, _, _)| format!("{} serves {}", s.short(), s.role()))
        .collect();
    let message = if verdict_fail {
        format!(
            "{what}. {} needs {}: {}. ({}.)",
            w.node.name(),
            if list.len() > 1 { "them" } else { "one" },
            list[0].2,
            roles.join("; ")
        )
    } else {
        format!(
            "{what}, and {} may need one: {}. ({}.)",
            w.node.name(),
            list[0].2,
            roles.join("; ")
        )
    };
    let mut path = scope.workload_path(f);
    let services: Vec<Service> = list.iter().map(|(s, _, _)| *s).collect();
    path.push(Hop::Missing(services.clone()));
    let fix = if services.contains(&Service::S3) {
        let tables: Vec<RouteTableIdx> = workload_tables(scope);
        fixes::gateway_endpoint(scope, &tables)
    } else {
        // Where the container instances' subnets are not known, the tasks' (same VPC and
        // zones) place the endpoints as well.
        let subnets: Vec<SubnetIdx> = scope
            .workloads
            .iter()
            .flat_map(|f| {
                let w = scope.workload(f);
                if w.subnets.is_empty() {
                    w.task_subnets.clone()
                } else {
                    w.subnets.clone()
                }
            })
            .collect();
        fixes::interface_endpoints(scope, &services, &subnets)
    };
    let finding = if verdict_fail {
        Finding::fail(rule, vpc_name, message)
    } else {
        Finding::unknown(rule, vpc_name, message)
    };
    let node = &net.vpcs[v].node;
    out.push(
        finding
            .with_workload(Some(w.node.name()))
            .with_path(path)
            .with_fix(fix)
            .at(node.location.clone(), node.input),
    );
}

/// An S3 Interface endpoint of the VPC, if there is one (a common mistake).
fn interface_s3(scope: &Scope<'_>) -> Option<String> {
    let v = scope.vpc()?;
    scope.net.vpcs[v].endpoints.iter().find_map(|&e| {
        let ep = &scope.net.endpoints[e];
        (ep.service
            .known()
            .is_some_and(|s| s.pull == Some(Service::S3))
            && ep.kind.known() == Some(&EndpointKind::Interface))
        .then(|| ep.node.name())
    })
}

/// The effective route tables of every workload subnet, without repeats.
pub fn workload_tables(scope: &Scope<'_>) -> Vec<RouteTableIdx> {
    let mut out = Vec::new();
    for f in &scope.workloads {
        for &s in &scope.workload(f).subnets {
            if let Fact::Known(t) = scope.net.subnets[s].route_table {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// The workload's demand for `svc`, where `--mode strict` also asks for the image-pull
/// endpoints (ecr.dkr, ecr.api, S3) of a workload whose images are all outside ECR, or not known:
/// strict mode requires the full endpoint set in every workload VPC (DESIGN), and such images
/// are pulled through the internet route, which that mode exists to rule out.
pub(super) fn strict_demand(scope: &Scope<'_>, f: &WorkloadFacts, svc: Service) -> Demand {
    let pull = matches!(svc, Service::EcrDkr | Service::EcrApi | Service::S3);
    match scope.demand(f, svc) {
        Demand::None
            if scope.strict && pull && !f.needs.iter().any(|(s, _)| *s == Service::EcrDkr) =>
        {
            Demand::Definite(format!(
                "strict mode requires the image-pull endpoints in every workload VPC, although the images of {} are all outside ECR",
                scope.workload(f).node.name()
            ))
        }
        // In strict mode the reach is no condition: a maybe is a need whose images are not
        // known, and the endpoints are required whatever they are.
        Demand::Maybe(_) if scope.strict && pull => {
            let name = scope.workload(f).node.name();
            let images = f
                .needs
                .iter()
                .find_map(|(s, n)| match n {
                    Need::Unknown(why) if *s == svc => Some(format!(" ({why})")),
                    _ => None,
                })
                .unwrap_or_default();
            Demand::Definite(format!(
                "strict mode requires the image-pull endpoints in every workload VPC, whatever the images of {name} are{images}"
            ))
        }
        d => d,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// Two services in the same subnets, whose zones are not known before apply: the fix's
    /// endpoint names each subnet once (ecosystem audit, JemJal/linkshrink-microservices: the
    /// subnets were repeated once per workload, which AWS refuses).
    #[test]
    fn the_fix_names_each_subnet_once() {
        let second = r#"
resource "aws_ecs_service" "other" {
  name            = "other"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    assign_public_ip = false
    security_groups  = [aws_security_group.app.id]
  }
}

data "aws_availability_zones" "all" {}
"#;
        let src = private_fargate(&[S3_GATEWAY, ECR_API, ECR_DKR, second])
            .replace("\"us-west-2a\"", "data.aws_availability_zones.all.names[0]")
            .replace("\"us-west-2b\"", "data.aws_availability_zones.all.names[1]");
        let found = check_hcl_with(&[("main.tf", &src)], &Options::strict());
        let logs = found.iter().find(|f| f.rule.code == "PP104").unwrap();
        assert!(
            logs.fix.contains(
                "subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]\n"
            ),
            "{}",
            logs.fix
        );
    }

    fn zone(name: &str, label: &str) -> String {
        format!(
            r#"
resource "aws_route53_zone" "{label}" {{
  name = "{name}"
  vpc {{
    vpc_id = aws_vpc.main.id
  }}
}}
"#
        )
    }

    /// ecr.api through a hub VPC: the workload VPC has a private hosted zone for its name.
    #[test]
    fn service_zone_makes_the_missing_endpoint_unknown() {
        let src = private_fargate(&[
            S3_GATEWAY,
            ECR_DKR,
            LOGS,
            &zone("api.ecr.us-west-2.amazonaws.com", "ecr_api"),
        ]);
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts(&found),
            [("PP102", "unknown", "aws_vpc.main".into())]
        );
        assert!(
            found[0]
                .message
                .contains("private hosted zone aws_route53_zone.ecr_api"),
            "{}",
            found[0].message
        );
    }

    /// The zone of another stack, associated with `aws_route53_zone_association`.
    #[test]
    fn zone_association_counts_too() {
        let src = private_fargate(&[
            S3_GATEWAY,
            ECR_API,
            LOGS,
            r#"
data "aws_route53_zone" "ecr_dkr" {
  zone_id = "Z0123456789ABCDEFGHIJ"
  name    = "dkr.ecr.us-west-2.amazonaws.com"
}

resource "aws_route53_zone_association" "ecr_dkr" {
  zone_id = data.aws_route53_zone.ecr_dkr.zone_id
  vpc_id  = aws_vpc.main.id
}
"#,
        ]);
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts(&found),
            [("PP101", "unknown", "aws_vpc.main".into())]
        );
    }

    /// S3 gateway endpoints cannot be shared through a hosted zone.
    #[test]
    fn s3_zone_does_not_serve_s3() {
        let src = private_fargate(&[
            ECR_API,
            ECR_DKR,
            LOGS,
            &zone("s3.us-west-2.amazonaws.com", "s3"),
        ]);
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts_of("PP103", &found),
            [("PP103", "fail", "aws_vpc.main".into())]
        );
    }

    #[test]
    fn unrelated_zone_changes_nothing() {
        let src = private_fargate(&[S3_GATEWAY, ECR_DKR, LOGS, &zone("corp.example.com", "corp")]);
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts(&found), [("PP102", "fail", "aws_vpc.main".into())]);
    }
}
