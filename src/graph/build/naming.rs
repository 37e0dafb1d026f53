//! AWS naming facts the build reads: endpoint service names, regions, availability zones,
//! ARNs and partitions.

use crate::graph::ServiceName;

/// Parses `com.amazonaws.us-west-2.ecr.dkr` (also `cn.com.amazonaws.…`, `aws.sagemaker.…`).
pub fn parse_service(full: &str) -> ServiceName {
    let rest = full
        .strip_prefix("cn.com.amazonaws.")
        .or_else(|| full.strip_prefix("com.amazonaws."));
    if let Some(rest) = rest {
        if let Some((region, short)) = rest.split_once('.') {
            if looks_like_region(region) {
                return ServiceName {
                    full: full.to_string(),
                    short: short.to_string(),
                    region: Some(region.to_string()),
                };
            }
        }
        return ServiceName {
            full: full.to_string(),
            short: rest.to_string(),
            region: None,
        };
    }
    ServiceName {
        full: full.to_string(),
        short: full.to_string(),
        region: None,
    }
}

/// `us-west-2`, `cn-north-1`, `us-gov-west-1`, `eu-central-2`, `il-central-1`.
pub fn looks_like_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
}

/// `us-west-2a` -> `us-west-2`; local zones `us-west-2-lax-1a` -> `us-west-2`.
pub fn region_of_az(az: &str) -> Option<String> {
    let parts: Vec<&str> = az.split('-').collect();
    for end in (3..=parts.len()).rev() {
        let mut candidate = parts[..end].join("-");
        if looks_like_region(&candidate) {
            return Some(candidate);
        }
        // Drop the zone letter: `us-west-2a`.
        while candidate.ends_with(|c: char| c.is_ascii_lowercase()) {
            candidate.pop();
        }
        if looks_like_region(&candidate) {
            return Some(candidate);
        }
    }
    None
}

pub(super) fn arn_region(arn: &str) -> Option<String> {
    let r = arn.split(':').nth(3)?;
    looks_like_region(r).then(|| r.to_string())
}

/// The partition of a region: `cn-` regions are `aws-cn`, `us-gov-` are `aws-us-gov`.
pub fn partition_of_region(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("eusc-") {
        "aws-eusc"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_services() {
        assert_eq!(region_of_az("us-west-2a").as_deref(), Some("us-west-2"));
        assert_eq!(
            region_of_az("us-west-2-lax-1a").as_deref(),
            Some("us-west-2")
        );
        assert_eq!(region_of_az("cn-north-1b").as_deref(), Some("cn-north-1"));
        assert_eq!(
            region_of_az("us-gov-west-1a").as_deref(),
            Some("us-gov-west-1")
        );
        let s = parse_service("com.amazonaws.us-west-2.ecr.dkr");
        assert_eq!(
            (s.short.as_str(), s.region.as_deref()),
            ("ecr.dkr", Some("us-west-2"))
        );
        let s = parse_service("cn.com.amazonaws.cn-north-1.ecr.api");
        assert_eq!(
            (s.short.as_str(), s.region.as_deref()),
            ("ecr.api", Some("cn-north-1"))
        );
        assert_eq!(partition_of_region("cn-northwest-1"), "aws-cn");
    }
}
