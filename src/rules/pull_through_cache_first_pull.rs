use super::analysis::{classify, Image, Reach, Scope};
use super::{declare_rule, Finding, Hop};

declare_rule! {
    /// ## What it does
    /// Warns when a workload without an internet route pulls an image under a pull-through
    /// cache prefix (an `aws_ecr_pull_through_cache_rule`'s `ecr_repository_prefix`).
    ///
    /// ## Why is this bad?
    /// A pull-through cache fetches an image from the upstream registry on its first pull. That
    /// first pull needs ECR to reach the upstream, and a task in a subnet without an internet
    /// route cannot trigger it reliably: the image must be cached (pulled once from a network
    /// with internet access) before the workload can start.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_pull_through_cache_rule" "docker_hub" {
    ///   ecr_repository_prefix = "docker-hub"
    ///   upstream_registry_url = "registry-1.docker.io"
    ///   credential_arn        = aws_secretsmanager_secret.docker_hub.arn
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Warm the cache once from a network with internet access (for example in the pipeline
    /// that deploys: `docker pull <account>.dkr.ecr.<region>.amazonaws.com/docker-hub/library/nginx:1.25`),
    /// or copy the image into a regular private repository.
    ///
    /// ## References
    /// - Amazon ECR User Guide: "Sync an upstream registry with an Amazon ECR private registry"
    pub static RULE = {
        code: "PP602",
        name: "pull-through-cache-first-pull",
        severity: Warning,
        summary: "an image under a pull-through cache prefix with no internet route (the first pull fails)",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    if scope.vpc().is_none() || scope.pull_through_prefixes.is_empty() {
        return;
    }
    for f in &scope.workloads {
        let w = scope.workload(f);
        let why = match &f.reach {
            Reach::Private { why, .. } => why.clone(),
            _ => continue,
        };
        for c in &w.containers {
            // A known image of private ECR, or one whose registry host is private ECR but for
            // its account (`"${data.aws_caller_identity.current.account_id}.dkr.ecr.…/docker-hub/…"`,
            // the common way to write it): the repository is what follows the host.
            let (image, repository) = match c.image.known() {
                Some(image) => match classify(image) {
                    Image::PrivateEcr { repository, .. } => (image.clone(), repository),
                    _ => continue,
                },
                None => match c.image_ecr_host.as_ref().and_then(|h| {
                    let (_, rest) = h.shown.split_once('/')?;
                    let repo = rest.split(['@', ':']).next().unwrap_or(rest);
                    Some((h.shown.clone(), repo.to_string()))
                }) {
                    Some(pair) if c.image_ecr_repository.is_none() => pair,
                    _ => continue,
                },
            };
            let image = &image;
            let Some(prefix) = scope
                .pull_through_prefixes
                .iter()
                .find(|p| repository.starts_with(&format!("{p}/")))
            else {
                continue;
            };
            let mut path = scope.workload_path(f);
            path.push(Hop::Image(image.clone()));
            let def = w.definition.as_ref().unwrap_or(&w.node);
            out.push(
                Finding::fail(&RULE, def.name(), format!("{} of {} pulls {image} through the pull-through cache prefix {prefix}/; its first pull needs ECR to fetch the upstream image, and {why}", c.label(), w.node.name()))
                    .with_workload(Some(w.node.name()))
                    .with_path(path)
                    .with_fix(format!("pull {image} once from a network with internet access before deploying, or copy it into a regular private repository"))
                    .at(def.location.clone(), def.input),
            );
        }
    }
}
