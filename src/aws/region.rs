//! Region and availability zone names.

/// Whether `s` is spelled like a region: `us-west-2`, `cn-north-1`, `us-gov-west-1`,
/// `eu-central-2`, `il-central-1` (a two-letter area, words, a number).
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

/// The region of an availability zone: `us-west-2a` -> `us-west-2`; local zones
/// `us-west-2-lax-1a` -> `us-west-2`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for r in ["us-west-2", "cn-north-1", "us-gov-west-1", "il-central-1"] {
            assert!(looks_like_region(r), "{r}");
        }
        for r in ["us-west", "us-west-2a", "usa-west-2", "", "com"] {
            assert!(!looks_like_region(r), "{r}");
        }
    }

    #[test]
    fn regions_of_zones() {
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
        assert_eq!(region_of_az("use1-az1"), None);
    }
}
