//! Container image references: where an image is pulled from, decided from its registry host
//! as Docker decides it, and the private ECR repository it names.
//!
//! Private ECR hosts are `<account>.dkr.ecr.<region>.amazonaws.com` (`.amazonaws.com.cn` in
//! China) and the dual-stack `<account>.dkr-ecr.<region>.on.aws` (AWS General Reference,
//! "Amazon ECR endpoints and quotas").

/// Where a container image comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Image {
    PrivateEcr {
        account: String,
        region: String,
        repository: String,
        cn: bool,
        /// The dual-stack host `<account>.dkr-ecr.<region>.on.aws`, which AWS PrivateLink does
        /// not serve ("Amazon ECR does not support AWS PrivateLink traffic over dual-stack
        /// endpoints"): pulling from it needs an internet route.
        dual_stack: bool,
    },
    EcrPublic,
    DockerHub,
    Other(String),
}

impl Image {
    pub fn is_private_ecr(&self) -> bool {
        matches!(self, Image::PrivateEcr { .. })
    }

    pub fn repository_arn(&self, partition: &str) -> Option<String> {
        match self {
            Image::PrivateEcr {
                account,
                region,
                repository,
                ..
            } => Some(format!(
                "arn:{partition}:ecr:{region}:{account}:repository/{repository}"
            )),
            _ => None,
        }
    }
}

/// Classifies an image reference as Docker does: the first path component is a registry host
/// when it has a `.` or `:` or is `localhost`; otherwise the image is on Docker Hub.
pub fn classify(image: &str) -> Image {
    let image = image.trim();
    let (first, rest) = match image.split_once('/') {
        Some((f, r)) => (f, r),
        None => return Image::DockerHub,
    };
    let is_host = first.contains('.') || first.contains(':') || first == "localhost";
    if !is_host {
        return Image::DockerHub;
    }
    let host = first.to_ascii_lowercase();
    match host.as_str() {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => {
            return Image::DockerHub
        }
        "public.ecr.aws" => return Image::EcrPublic,
        _ => {}
    }
    // <account>.dkr.ecr.<region>.amazonaws.com(.cn), and the dual-stack <account>.dkr-ecr.<region>.on.aws.
    let parts: Vec<&str> = host.split('.').collect();
    let ecr = parts.len() >= 5
        && parts[0].len() == 12
        && parts[0].chars().all(|c| c.is_ascii_digit())
        && ((parts[1] == "dkr"
            && parts[2] == "ecr"
            && (host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn")))
            || (parts[1] == "dkr-ecr" && host.ends_with(".on.aws")));
    if ecr {
        let region = if parts[1] == "dkr" {
            parts[3]
        } else {
            parts[2]
        };
        let repo = rest.split('@').next().unwrap_or(rest);
        let repo = match repo.rfind(':') {
            Some(i) if !repo[i..].contains('/') => &repo[..i],
            _ => repo,
        };
        return Image::PrivateEcr {
            account: parts[0].to_string(),
            region: region.to_string(),
            repository: repo.to_string(),
            cn: host.ends_with(".cn"),
            dual_stack: parts[1] == "dkr-ecr",
        };
    }
    Image::Other(host)
}

/// Whether an image of which only the beginning is known (a template such as
/// `"123456789012.dkr.ecr.${var.region}.amazonaws.com/app:${var.tag}"`) is surely in private
/// ECR: its registry host is complete and a private ECR host, or begins as one
/// (`<account>.dkr.ecr.` — what follows may be any region).
pub fn prefix_is_private_ecr(prefix: &str) -> bool {
    let prefix = prefix.trim_start();
    if prefix.contains('/') {
        return classify(prefix).is_private_ecr();
    }
    let host = prefix.to_ascii_lowercase();
    let mut parts = host.splitn(4, '.');
    let (Some(account), Some(dkr), Some(ecr), Some(_)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    account.len() == 12
        && account.chars().all(|c| c.is_ascii_digit())
        && dkr == "dkr"
        && ecr == "ecr"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_prefixes_of_private_ecr_images() {
        for yes in [
            "123456789012.dkr.ecr.",
            "123456789012.dkr.ecr.us-west-2",
            "123456789012.dkr.ecr.us-west-2.amazonaws.com/",
            "123456789012.dkr.ecr.us-west-2.amazonaws.com/app:",
        ] {
            assert!(prefix_is_private_ecr(yes), "{yes}");
        }
        for no in [
            "123456789012.dkr.ecr",
            "123456789012.dkr",
            "12345678901.dkr.ecr.",
            "nginx:",
            "public.ecr.aws/",
            "ghcr.io/org/",
            "123456789012.dkr.ecr.example.com/app",
        ] {
            assert!(!prefix_is_private_ecr(no), "{no}");
        }
    }

    #[test]
    fn classifies_images() {
        assert_eq!(
            classify("123456789012.dkr.ecr.us-west-2.amazonaws.com/team/app:1.2@sha256:abc"),
            Image::PrivateEcr {
                account: "123456789012".into(),
                region: "us-west-2".into(),
                repository: "team/app".into(),
                cn: false,
                dual_stack: false,
            }
        );
        assert!(matches!(
            classify("123456789012.dkr-ecr.us-west-2.on.aws/app:1"),
            Image::PrivateEcr { dual_stack: true, ref region, .. } if region == "us-west-2"
        ));
        assert!(matches!(
            classify("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app"),
            Image::PrivateEcr { cn: true, .. }
        ));
        assert_eq!(classify("nginx:1.25"), Image::DockerHub);
        assert_eq!(classify("library/nginx"), Image::DockerHub);
        assert_eq!(classify("docker.io/library/nginx"), Image::DockerHub);
        assert_eq!(
            classify("public.ecr.aws/nginx/nginx:latest"),
            Image::EcrPublic
        );
        assert_eq!(
            classify("ghcr.io/org/app:1"),
            Image::Other("ghcr.io".into())
        );
        assert_eq!(
            classify("localhost:5000/app"),
            Image::Other("localhost:5000".into())
        );
    }
}
