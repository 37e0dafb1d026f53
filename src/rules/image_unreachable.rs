use super::analysis::{classify, Image, Reach, Scope};
use super::{declare_rule, Finding, Hop};
use crate::graph::Fact;

declare_rule! {
    /// ## What it does
    /// Checks that a workload without an internet route (in either `--mode`: strict mode asks
    /// for the endpoint set, PP101–PP106, and leaves this rule as it is) pulls only from private
    /// ECR in its own region: images from ECR Public (`public.ecr.aws`), Docker Hub (`nginx:1.25`,
    /// `library/nginx`), any other registry (`ghcr.io`, `quay.io`, …), or private ECR through
    /// its dual-stack host (`<account>.dkr-ecr.<region>.on.aws`) need an internet route.
    /// An image that is not known before apply (a variable without a value, a template with an
    /// unknown registry) is reported as unknown, since it may be any of these; an image that is
    /// (or begins with) an `aws_ecr_repository`'s `repository_url` is private ECR.
    ///
    /// ## Why is this bad?
    /// VPC endpoints serve only your account's private ECR registries in the endpoint's region.
    /// No endpoint reaches Docker Hub or ECR Public, so the pull fails with
    /// `CannotPullContainerError` however complete the endpoint set is. "Amazon ECR does not
    /// support AWS PrivateLink traffic over dual-stack endpoints": an image named by the
    /// dual-stack host is pulled over the internet (IPv6 egress or NAT) even when the `ecr.dkr`
    /// endpoint exists; name it by `<account>.dkr.ecr.<region>.amazonaws.com`. (Private ECR
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
        let unknown_images =
            unknown_images.chain(w.containers.iter().filter_map(|c| match &c.image {
                Fact::Unknown(why) if c.image_ecr_repository.is_none() => Some((
                    format!("container {} of {}: {why}", c.name, w.node.name()),
                    format!("the image of {}", c.name),
                    "it",
                )),
                _ => None,
            }));
        for (what, short, which) in unknown_images.collect::<Vec<_>>() {
            let msg = format!(
                "{what}; if {which} is not in private ECR of the VPC's region, no VPC endpoint serves it; {why}"
            );
            let mut path = scope.workload_path(f);
            path.push(Hop::Image(short));
            out.push(
                Finding::unknown(&RULE, def.name(), msg)
                    .with_workload(Some(w.node.name()))
                    .with_path(path)
                    .with_fix("give the image a value that pullpath can read (--var, a .tfvars file), or make it the URL of a private ECR repository (`\"${aws_ecr_repository.app.repository_url}:TAG\"`) in the workload's region".to_string())
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
                _ => format!("push {image} to a private ECR repository in the workload's region (or add an aws_ecr_pull_through_cache_rule and pull through it) and use that image URI"),
            };
            let msg = format!("container {} of {} pulls {image} from {source}, which no VPC endpoint serves; {why}", c.name, w.node.name());
            let finding = if blocked {
                Finding::fail(&RULE, def.name(), msg)
            } else {
                Finding::unknown(&RULE, def.name(), msg)
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
}
