//! Fargate platform versions.
//!
//! Linux platform versions 1.0.0–1.3.0 are retired (Amazon ECS Developer Guide, "AWS Fargate
//! Linux platform version deprecation"): from 16 March 2026 (China regions: 15 June 2026) no new
//! task or service can use 1.3.0, and the remaining tasks were stopped on 31 March 2026 (China:
//! 30 June 2026). Windows platform versions are numbered on their own ("The platform version
//! numbers for Linux containers and Windows containers on Fargate are independent"): Windows
//! 1.0.0 is current.

/// Whether `version` (`platform_version`, `fargatePlatformConfiguration.platformVersion`) names
/// a retired Linux platform version: 1.0.0, 1.1.0, 1.2.0 or 1.3.0 (`LATEST` and 1.4.0 are
/// current).
pub fn is_retired_linux_platform(version: &str) -> bool {
    let mut parts = version.trim().split('.').map(|p| p.parse::<u32>().ok());
    matches!((parts.next(), parts.next()), (Some(Some(1)), Some(Some(minor))) if minor <= 3)
}

/// When a retired platform version stopped launching tasks in `region`'s partition.
pub fn retirement_date(region: Option<&str>) -> &'static str {
    match region {
        Some(r) if r.starts_with("cn-") => "15 June 2026",
        _ => "16 March 2026",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retired_linux_platform_versions() {
        for v in ["1.0.0", "1.1.0", "1.2.0", "1.3.0", " 1.3.0"] {
            assert!(is_retired_linux_platform(v), "{v}");
        }
        for v in ["1.4.0", "LATEST", "2.0.0", "", "1", "latest"] {
            assert!(!is_retired_linux_platform(v), "{v}");
        }
    }

    #[test]
    fn retirement_dates() {
        assert_eq!(retirement_date(Some("us-west-2")), "16 March 2026");
        assert_eq!(retirement_date(Some("cn-north-1")), "15 June 2026");
        assert_eq!(retirement_date(None), "16 March 2026");
    }
}
