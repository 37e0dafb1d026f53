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

/// The private ECR registry host of an image not known before apply, as far as it is known:
/// the account and the region when they are written out, `None` for each that is not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcrHost {
    pub account: Option<String>,
    /// Where an account not known before apply comes from: the text of the template's unknown
    /// part (a reference such as `data.aws_caller_identity.current.account_id`, or a reason).
    pub account_from: Option<String>,
    pub region: Option<String>,
    /// The image as written, its unknown parts as `${…}` (for messages).
    pub shown: String,
}

/// The registry host of an image of which only some parts are known, when that host is surely
/// a private ECR host `<account>.dkr.ecr.<region>.amazonaws.com(.cn)`:
/// - from a template's marked text (see `model::Unknown::marked`), whose unknown parts may be
///   the whole account or the whole region, nothing else of the host
///   (`"${data.aws_caller_identity.current.account_id}.dkr.ecr.us-west-2.amazonaws.com/app:1"`);
/// - else from the text the image surely begins with (`"123456789012.dkr.ecr.us-west-2.amazonaws.com/app:${var.tag}"`,
///   or only `"123456789012.dkr.ecr."`: a region not known).
///
/// The host must be whole: an unknown part that may hold a `/` or more of the host
/// (`"${local.registry}/app"`) says nothing. The dual-stack host is not one (AWS PrivateLink
/// does not serve it).
pub fn ecr_host_of(marked: Option<&str>, prefix: Option<&str>) -> Option<EcrHost> {
    marked
        .and_then(ecr_host_of_template)
        .or_else(|| ecr_host_of_prefix(prefix?))
}

fn ecr_host_of_template(marked: &str) -> Option<EcrHost> {
    const UNKNOWN: char = '\u{1}';
    let text = crate::policy::raw_markers(marked);
    // Each unknown part as one character; its text (a reason or a reference) is not the image's.
    let mut flat = String::with_capacity(text.len());
    let mut rest = text.as_str();
    let mut first: Option<String> = None;
    while let Some(open) = rest.find(UNKNOWN) {
        flat.push_str(&rest[..open]);
        let close = rest[open..].find('\u{2}')? + open;
        if flat.is_empty() && first.is_none() {
            first = Some(rest[open + 1..close].to_string());
        }
        flat.push(UNKNOWN);
        rest = &rest[close + 1..];
    }
    flat.push_str(rest);
    let (host, _) = flat.split_once('/')?;
    let host = host.to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let tail: &[&str] = match labels.len() {
        6 => &["amazonaws", "com"],
        7 => &["amazonaws", "com", "cn"],
        _ => return None,
    };
    let unknown = UNKNOWN.to_string();
    let account = labels[0];
    let region = labels[3];
    let account_ok =
        account == unknown || (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()));
    let region_ok = region == unknown || crate::aws::looks_like_region(region);
    if !(account_ok
        && region_ok
        && labels[1] == "dkr"
        && labels[2] == "ecr"
        && labels[4..] == *tail)
    {
        return None;
    }
    let known = |l: &str| (l != unknown).then(|| l.to_string());
    Some(EcrHost {
        account: known(account),
        account_from: (account == unknown).then_some(first).flatten(),
        region: known(region),
        shown: crate::policy::display_unknowns(&text),
    })
}

fn ecr_host_of_prefix(prefix: &str) -> Option<EcrHost> {
    let prefix = prefix.trim_start();
    let shown = format!("{prefix}…");
    if prefix.contains('/') {
        return match classify(prefix) {
            Image::PrivateEcr {
                account,
                region,
                dual_stack: false,
                ..
            } => Some(EcrHost {
                account: Some(account),
                account_from: None,
                region: Some(region),
                shown,
            }),
            _ => None,
        };
    }
    // A host not written to its end: its region may go on (`us-west-2` of `us-west-2x…`).
    if !prefix_is_private_ecr(prefix) {
        return None;
    }
    Some(EcrHost {
        account: prefix.split('.').next().map(str::to_string),
        account_from: None,
        region: None,
        shown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecr_hosts_of_partly_known_images() {
        let m = |s: &str| s.replace('{', "\\u0001").replace('}', "\\u0002");
        let host = |marked: &str| ecr_host_of(Some(&m(marked)), None);
        let acct = host("{data.aws_caller_identity.current.account_id}.dkr.ecr.us-west-2.amazonaws.com/app:{var.tag}")
            .unwrap();
        assert_eq!(acct.account, None);
        assert_eq!(acct.region.as_deref(), Some("us-west-2"));
        assert_eq!(
            acct.shown,
            "${data.aws_caller_identity.current.account_id}.dkr.ecr.us-west-2.amazonaws.com/app:${var.tag}"
        );
        let both = host("{a/b}.dkr.ecr.{var.region}.amazonaws.com.cn/{var.app}").unwrap();
        assert_eq!((both.account, both.region), (None, None));
        let lit = host("111122223333.dkr.ecr.eu-central-1.amazonaws.com/app:{var.tag}").unwrap();
        assert_eq!(lit.account.as_deref(), Some("111122223333"));
        assert_eq!(lit.region.as_deref(), Some("eu-central-1"));
        for no in [
            "{local.registry}/app:1",
            "{var.host}.amazonaws.com/app",
            "{var.account}.dkr.ecr.us-west-2.amazonaws.com",
            "{var.a}{var.b}.dkr.ecr.us-west-2.amazonaws.com/app",
            "x{var.a}.dkr.ecr.us-west-2.amazonaws.com/app",
            "{var.a}.dkr-ecr.us-west-2.on.aws/app",
            "{var.a}.dkr.ecr.{var.r}-2.amazonaws.com/app",
            "{var.a}.dkr.ecr.us-west-2.example.com/app",
            "ghcr.io/{var.org}/app",
            "{unclosed.dkr.ecr.us-west-2.amazonaws.com/app",
        ] {
            assert_eq!(host(no), None, "{no}");
        }
        // From the text an image surely begins with.
        let p = ecr_host_of(
            None,
            Some("111122223333.dkr.ecr.us-west-2.amazonaws.com/app:"),
        )
        .unwrap();
        assert_eq!(p.region.as_deref(), Some("us-west-2"));
        let p = ecr_host_of(None, Some("111122223333.dkr.ecr.")).unwrap();
        assert_eq!(
            (p.account.as_deref(), p.region),
            (Some("111122223333"), None)
        );
        assert_eq!(
            ecr_host_of(None, Some("111122223333.dkr-ecr.us-west-2.on.aws/app:")),
            None
        );
        assert_eq!(ecr_host_of(None, Some("ghcr.io/")), None);
    }

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
