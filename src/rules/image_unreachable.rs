use super::analysis::{classify, Image, Need, Reach, Scope, Service};
use super::{declare_rule, Finding, Hop};
use crate::graph::{Fact, RouteTarget, Workload};

declare_rule! {
    /// ## What it does
    /// Checks that a workload without an internet route (in either `--mode`: strict mode asks
    /// for the endpoint set, PP101–PP106, and leaves this rule as it is) pulls only from private
    /// ECR in its own region: images from ECR Public (`public.ecr.aws`), Docker Hub (`nginx:1.25`,
    /// `library/nginx`), any other registry (`ghcr.io`, `quay.io`, …), or private ECR through
    /// its dual-stack host (`<account>.dkr-ecr.<region>.on.aws`) need an internet route.
    /// An image that is not known before apply (a variable without a value, a template with an
    /// unknown registry) is reported as unknown, since it may be any of these — unless the VPC
    /// also lacks an endpoint that a pull from private ECR needs (ecr.dkr, ecr.api, the S3
    /// gateway): then no registry is left, and it fails whatever the image is. An image that is
    /// (or begins with) an `aws_ecr_repository`'s `repository_url`, or whose registry host is
    /// known to be private ECR (`"123456789012.dkr.ecr.us-west-2.amazonaws.com/app:${var.tag}"`),
    /// is private ECR.
    ///
    /// ## Why is this bad?
    /// VPC endpoints serve only your account's private ECR registries in the endpoint's region.
    /// No endpoint reaches Docker Hub or ECR Public, so the pull fails with
    /// `CannotPullContainerError` however complete the endpoint set is. "Amazon ECR does not
    /// support AWS PrivateLink traffic over dual-stack endpoints": an image named by the
    /// dual-stack host is pulled over the internet (IPv6 egress or NAT) even when the `ecr.dkr`
    /// endpoint exists; name it by `<account>.dkr.ecr.<region>.amazonaws.com`. Where the
    /// subnets' route table sends `::/0` to an internet or egress-only gateway, the IPv6 pull
    /// depends on the tasks' addresses, which pullpath does not decide: unknown. (Private ECR
    /// images of another region are PP108.)
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "app" {
    ///   family = "app"
    ///   container_definitions = jsonencode([{ name = "app", image = "nginx:1.25" }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Copy the image into private ECR, or let ECR fetch it with a pull-through cache rule
    /// (whose first pull still needs an internet route: PP602):
    /// ```hcl
    /// resource "aws_ecr_pull_through_cache_rule" "docker_hub" {
    ///   ecr_repository_prefix = "docker-hub"
    ///   upstream_registry_url = "registry-1.docker.io"
    ///   credential_arn        = aws_secretsmanager_secret.docker_hub.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECR User Guide: "Amazon ECR interface VPC endpoints (AWS PrivateLink)"
    ///   (considerations)
    /// - Amazon ECR User Guide: "Sync an upstream registry with an Amazon ECR private registry"
    /// - Amazon ECR User Guide: "Getting started with making requests over IPv6" (dual-stack
    ///   endpoints and AWS PrivateLink)
    pub static RULE = {
        code: "PP601",
        name: "image-unreachable",
        severity: Error,
        summary: "an image from ECR Public, Docker Hub, another non-ECR registry or an ECR dual-stack host, with no internet route",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    if scope.vpc().is_none() {
        return;
    }
    for f in &scope.workloads {
        let w = scope.workload(f);
        let (blocked, why) = match &f.reach {
            Reach::Private { why, .. } => (true, why.clone()),
            Reach::Unknown(why) => (
                false,
                format!("whether it reaches the internet is not known: {why}"),
            ),
            // In both modes: `--mode strict` asks for the endpoint set (PP101–PP106), and an
            // image no endpoint serves is pulled through the internet route all the same.
            Reach::Internet { .. } => continue,
        };
        // The images of a `--workload` declaration are the user's to know: the declaration
        // says only that workloads run there.
        let declared = w.kind == crate::graph::WorkloadKind::Declared;
        // Where the images cannot be read, where they come from is not known either: an image
        // outside private ECR would fail here (unknown, never a pass).
        let def = w.definition.as_ref().unwrap_or(&w.node);
        let unread = match (&w.containers_unknown, w.containers.is_empty()) {
            (Some(why), true) if !declared => Some(why.clone()),
            _ => None,
        };
        let unknown_images = unread.into_iter().map(|why| {
            (
                format!("the images of {} are not known: {why}", w.node.name()),
                "its images".to_string(),
                "one of them",
            )
        });
        let unknown_images = unknown_images.chain(w.containers.iter().filter_map(|c| {
            match &c.image {
                // An image whose registry host is known to be private ECR of a known region (the
                // template writes it out, but for the account) is judged as a known one: not
                // here (PP108 judges its region).
                Fact::Unknown(why)
                    if c.image_ecr_repository.is_none()
                        && c.image_ecr_host.as_ref().is_none_or(|h| h.region.is_none()) =>
                {
                    Some((
                        format!("{} of {}: {why}", c.label(), w.node.name()),
                        format!("the image of {}", c.name),
                        "it",
                    ))
                }
                _ => None,
            }
        }));
        // Whether the images are in ECR is what is not known (PP101–PP103 are unknown), but
        // without an internet route and without an endpoint the ECR pull needs, no registry
        // is left: the image is unreachable whichever it is.
        let ecr_required = f.needs.iter().any(|(s, n)| {
            matches!(s, Service::EcrDkr | Service::EcrApi | Service::S3)
                && matches!(n, Need::Required(_))
        });
        let ecr_missing: Vec<&'static str> = [Service::EcrDkr, Service::EcrApi, Service::S3]
            .into_iter()
            .filter(|s| f.needs.iter().any(|(n, _)| n == s))
            .filter(|s| {
                let (found, uncertain) = scope.endpoints_for(*s);
                found.is_empty() && uncertain.is_none()
            })
            .map(|s| s.short())
            .collect();
        let nowhere = blocked && !ecr_required && !ecr_missing.is_empty();
        for (what, short, which) in unknown_images.collect::<Vec<_>>() {
            let msg = if nowhere {
                format!(
                    "{what}; wherever {which} is, it cannot be pulled: outside private ECR of the VPC's region no VPC endpoint serves it, and {why}; in private ECR, the VPC has no `{}` endpoint",
                    ecr_missing.join("`, `")
                )
            } else {
                format!(
                    "{what}; if {which} is not in private ECR of the VPC's region, no VPC endpoint serves it; {why}"
                )
            };
            let mut path = scope.workload_path(f);
            path.push(Hop::Image(short));
            let finding = if nowhere {
                Finding::fail(&RULE, def.name(), msg)
            } else {
                Finding::unknown(&RULE, def.name(), msg)
            };
            out.push(
                finding
                    .with_workload(Some(w.node.name()))
                    .with_path(path)
                    .with_fix(if nowhere {
                        format!("pull from a private ECR repository in the workload's region and add the `{}` endpoints it needs (or give the subnets a route to a NAT gateway); give the image a value that pullpath can read (--var, a .tfvars file)", ecr_missing.join("`, `"))
                    } else {
                        "give the image a value that pullpath can read (--var, a .tfvars file), or make it the URL of a private ECR repository (`\"${aws_ecr_repository.app.repository_url}:TAG\"`) in the workload's region".to_string()
                    })
                    .at(def.location.clone(), def.input),
            );
        }
        for c in &w.containers {
            let Some(image) = c.image.known() else {
                continue;
            };
            let img = classify(image);
            let source = match &img {
                Image::PrivateEcr {
                    dual_stack: false, ..
                } => continue,
                Image::PrivateEcr {
                    dual_stack: true, ..
                } => format!(
                    "the dual-stack ECR host {} (AWS PrivateLink does not serve dual-stack endpoints)",
                    image.split('/').next().unwrap_or_default()
                ),
                Image::EcrPublic => "ECR Public".to_string(),
                Image::DockerHub => "Docker Hub".to_string(),
                Image::Other(host) => format!("the registry {host}"),
            };
            let fix = match &img {
                Image::PrivateEcr {
                    account, region, repository, ..
                } => format!(
                    "name the image by the registry host the ecr.dkr endpoint serves, {account}.dkr.ecr.{region}.amazonaws.com/{repository}, or give the workload an internet route"
                ),
                // A pull-through cache rule would need an internet route for the first pull of
                // each image (DOMAIN.md §2): only where there is one may it stand in.
                _ if blocked => format!("push {image} to a private ECR repository in the workload's region and use that image URI (a pull-through cache rule is no way out here: its first pull of each image needs an internet route)"),
                _ => format!("push {image} to a private ECR repository in the workload's region (or add an aws_ecr_pull_through_cache_rule and pull through it) and use that image URI"),
            };
            let msg = format!(
                "{} of {} pulls {image} from {source}, which no VPC endpoint serves; {why}",
                c.label(),
                w.node.name()
            );
            // The dual-stack host answers over IPv6: a `::/0` route to an internet or egress-only
            // gateway carries the pull when the tasks have IPv6 addresses (an IPv6 subnet, and
            // ECS's dualStackIPv6 account setting), which pullpath does not decide.
            let ipv6 = matches!(
                img,
                Image::PrivateEcr {
                    dual_stack: true,
                    ..
                }
            )
            .then(|| ipv6_egress(scope, w))
            .flatten();
            let finding = match (blocked, ipv6) {
                (true, Some(via)) => Finding::unknown(
                    &RULE,
                    def.name(),
                    format!("{msg}; its route table sends ::/0 to {via}, which carries the pull if the tasks have IPv6 addresses (an IPv6 subnet and ECS's dualStackIPv6 account setting), which pullpath does not decide"),
                ),
                (true, None) => Finding::fail(&RULE, def.name(), msg),
                (false, _) => Finding::unknown(&RULE, def.name(), msg),
            };
            let mut path = scope.workload_path(f);
            path.push(Hop::Image(image.clone()));
            out.push(
                finding
                    .with_workload(Some(w.node.name()))
                    .with_path(path)
                    .with_fix(fix)
                    .at(def.location.clone(), def.input),
            );
        }
    }
}

/// An IPv6 way out of the workload's subnets: the gateway their route tables send `::/0` to (an
/// internet or egress-only gateway).
fn ipv6_egress(scope: &Scope<'_>, w: &Workload) -> Option<String> {
    let net = scope.net;
    w.subnets.iter().find_map(|&s| {
        let rt = net.subnets[s].route_table.known()?;
        net.route_tables[*rt].routes.iter().find_map(|r| {
            if r.destination.known().map(String::as_str) != Some("::/0") {
                return None;
            }
            match &r.target {
                RouteTarget::InternetGateway(n) => Some(n.name()),
                RouteTarget::Other(what) if what.starts_with("the egress-only gateway") => {
                    Some(what.clone())
                }
                _ => None,
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// The private Fargate service of `image` (an HCL expression) with `extras`.
    fn check_image(image: &str, extras: &[&str]) -> Vec<(&'static str, &'static str, String)> {
        let src = private_fargate_base(image) + &extras.concat();
        verdicts(&check_hcl(&[("main.tf", &src)]))
    }

    fn unreachable() -> Vec<(&'static str, &'static str, String)> {
        vec![("PP601", "fail", "aws_ecs_task_definition.app".into())]
    }

    #[test]
    fn docker_hub_ecr_public_and_other_registries_fail_without_internet() {
        for image in [
            r#""nginx:1.25""#,
            r#""public.ecr.aws/nginx/nginx:1.25""#,
            r#""ghcr.io/org/app:1""#,
        ] {
            assert_eq!(check_image(image, ALL_ENDPOINTS), unreachable(), "{image}");
        }
    }

    /// The dual-stack host of private ECR is not served by PrivateLink.
    #[test]
    fn dual_stack_ecr_host_fails_without_internet() {
        let image = r#""111122223333.dkr-ecr.us-west-2.on.aws/app:1.0""#;
        assert_eq!(check_image(image, ALL_ENDPOINTS), unreachable());
        let found = check_hcl(&[(
            "main.tf",
            &(private_fargate_base(image) + &ALL_ENDPOINTS.concat()),
        )]);
        assert!(
            found[0]
                .fix
                .contains("111122223333.dkr.ecr.us-west-2.amazonaws.com/app"),
            "{}",
            found[0].fix
        );
        let mut nat = ALL_ENDPOINTS.to_vec();
        nat.push(NAT);
        assert_eq!(check_image(image, &nat), []);
    }

    /// Associations whose subnet is not decided (`for_each` over a variable without a value,
    /// `subnet_id = each.value`): a subnet keeps the VPC's main table or takes the private one.
    /// Neither reaches the internet: the subnet does not either, and an image from Docker Hub
    /// cannot be pulled (ecosystem audit, yu-croco/sample_aws_batch_terraform: it was not
    /// decided). With a NAT route in one of them, it stays undecided.
    #[test]
    fn no_internet_route_whichever_table_a_subnet_takes() {
        let floating = |src: String| {
            let mut out = String::from("variable \"names\" {\n  type = list(string)\n}\n");
            out.push_str(&src);
            for s in ["private_a", "private_b"] {
                out = out.replace(
                    &format!("  subnet_id      = aws_subnet.{s}.id\n  route_table_id = aws_route_table.private.id"),
                    "  for_each       = toset(var.names)\n  subnet_id      = each.value\n  route_table_id = aws_route_table.private.id",
                );
            }
            assert_eq!(out.matches("each.value").count(), 2);
            out
        };
        let src = floating(private_fargate_base(r#""nginx:1.25""#) + &ALL_ENDPOINTS.concat());
        let found = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts(&found), unreachable());
        assert!(
            found[0].message.contains("whichever route table it uses"),
            "{}",
            found[0].message
        );
        let src = floating(private_fargate_base(r#""nginx:1.25""#) + &ALL_ENDPOINTS.concat() + NAT);
        assert_eq!(
            verdicts(&check_hcl(&[("main.tf", &src)])),
            [("PP601", "unknown", "aws_ecs_task_definition.app".into())]
        );
    }

    #[test]
    fn docker_hub_with_nat_passes() {
        assert_eq!(check_image(r#""nginx:1.25""#, &[S3_GATEWAY, NAT]), []);
    }

    #[test]
    fn private_ecr_passes() {
        assert_eq!(check_image(PRIVATE_ECR_IMAGE, ALL_ENDPOINTS), []);
        let repo = r#"
resource "aws_ecr_repository" "app" {
  name = "app"
}
"#;
        let mut extras = ALL_ENDPOINTS.to_vec();
        extras.push(repo);
        assert_eq!(
            check_image(r#""${aws_ecr_repository.app.repository_url}:1.0""#, &extras),
            []
        );
    }

    #[test]
    fn image_not_known_before_apply_is_unknown() {
        let var = r#"
variable "image" {
  type = string
}
"#;
        let mut extras = ALL_ENDPOINTS.to_vec();
        extras.push(var);
        assert_eq!(
            check_image("var.image", &extras),
            [("PP601", "unknown", "aws_ecs_task_definition.app".into())]
        );
    }

    /// Ecosystem row 35 (bug 4): a service names its task definition as
    /// `"${aws_ecs_task_definition.app.family}:${aws_ecs_task_definition.app.revision}"` (the
    /// form cloudposse's service module uses), or by its family alone (the latest ACTIVE
    /// revision): that is the task definition, and its Docker Hub image fails without an
    /// internet route — also when the family itself is known only after apply.
    #[test]
    fn task_definition_named_by_family_and_revision_is_that_one() {
        let family = r#"variable "family" {
  type = string
}
"#;
        for (task_definition, family_value) in [
            (
                r#""${aws_ecs_task_definition.app.family}:${aws_ecs_task_definition.app.revision}""#,
                r#""app""#,
            ),
            (
                r#""${aws_ecs_task_definition.app.family}:${aws_ecs_task_definition.app.revision}""#,
                "var.family",
            ),
            ("aws_ecs_task_definition.app.family", r#""app""#),
            ("aws_ecs_task_definition.app.family", "var.family"),
            (
                r#""${aws_ecs_task_definition.app.arn_without_revision}:${aws_ecs_task_definition.app.revision}""#,
                r#""app""#,
            ),
        ] {
            let src = private_fargate_base(r#""nginx:1.25""#)
                .replace(
                    "task_definition = aws_ecs_task_definition.app.arn",
                    &format!("task_definition = {task_definition}"),
                )
                .replace(
                    r#"family                   = "app""#,
                    &format!("family = {family_value}"),
                )
                + family
                + &ALL_ENDPOINTS.concat();
            assert_eq!(
                verdicts(&check_hcl(&[("main.tf", &src)])),
                unreachable(),
                "{task_definition} with family {family_value}"
            );
        }
    }

    /// An image not known before apply, no internet route, and no ecr.dkr, ecr.api nor S3
    /// endpoint: whether the ECR endpoints are needed is not known (PP101–PP103 unknown), but
    /// no registry is left, so the image is unreachable whatever it is (the corpus's
    /// elasticache-redis plan).
    #[test]
    fn unknown_image_without_any_path_fails() {
        let var = r#"
variable "image" {
  type = string
}
"#;
        let found = check_hcl(&[("main.tf", &(private_fargate_base("var.image") + LOGS + var))]);
        assert_eq!(
            verdicts(&found),
            [
                ("PP101", "unknown", "aws_vpc.main".into()),
                ("PP102", "unknown", "aws_vpc.main".into()),
                ("PP103", "unknown", "aws_vpc.main".into()),
                ("PP601", "fail", "aws_ecs_task_definition.app".into()),
            ]
        );
        let pp601 = &found[3];
        assert!(
            pp601
                .message
                .contains("wherever it is, it cannot be pulled")
                && pp601
                    .message
                    .contains("the VPC has no `ecr.dkr`, `ecr.api`, `s3` endpoint"),
            "{}",
            pp601.message
        );
    }

    /// The default VPC is adopted, not created: its main route table (0.0.0.0/0 to the
    /// internet gateway, as AWS made it, unless changed) is not in the input, so a Docker Hub
    /// image in a default subnet with a public IP is not decided (row 76's helper audit: it
    /// failed, "no internet route"). A VPC the input creates has only the local route there.
    #[test]
    fn the_default_vpcs_main_route_table_is_outside_the_input() {
        let src = r#"
provider "aws" {
  region = "eu-west-1"
}

resource "aws_default_vpc" "default" {}

resource "aws_default_subnet" "a" {
  availability_zone = "eu-west-1a"
}

resource "aws_security_group" "app" {
  vpc_id = aws_default_vpc.default.id
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "app", image = "nats:2.10", essential = true }])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  launch_type     = "FARGATE"
  task_definition = aws_ecs_task_definition.app.arn
  network_configuration {
    subnets          = [aws_default_subnet.a.id]
    security_groups  = [aws_security_group.app.id]
    assign_public_ip = true
  }
}
"#;
        let f = check_hcl(&[("main.tf", src)]);
        assert_eq!(
            verdicts_of("PP601", &f),
            vec![(
                "PP601",
                "unknown",
                "aws_ecs_task_definition.app".to_string()
            )]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP601").unwrap().message;
        assert!(msg.contains("not managed by the input"), "{msg}");
        // A VPC of its own, with a subnet on its main table: no internet route, a decided fail.
        let own = src
            .replace(
                "resource \"aws_default_vpc\" \"default\" {}",
                "resource \"aws_vpc\" \"default\" {\n  cidr_block = \"10.0.0.0/16\"\n}",
            )
            .replace(
                "resource \"aws_default_subnet\" \"a\" {\n  availability_zone = \"eu-west-1a\"\n}",
                "resource \"aws_subnet\" \"a\" {\n  vpc_id     = aws_vpc.default.id\n  cidr_block = \"10.0.1.0/24\"\n}",
            )
            .replace("aws_default_vpc.default.id", "aws_vpc.default.id")
            .replace("aws_default_subnet.a.id", "aws_subnet.a.id");
        assert_eq!(
            verdicts_of("PP601", &check_hcl(&[("main.tf", &own)])),
            vec![("PP601", "fail", "aws_ecs_task_definition.app".to_string())]
        );
    }
}
