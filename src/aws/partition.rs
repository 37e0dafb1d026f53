//! Partitions: which partition a region belongs to, and the DNS names of each partition.
//!
//! The values are those of the AWS SDKs' partition table (`partitions.json`: each partition's
//! `regionRegex` and `outputs.dnsSuffix`), which Terraform's `aws_partition` data source also
//! reports (`partition`, `dns_suffix`, `reverse_dns_prefix`).

/// The partition of a region: `cn-` regions are `aws-cn`, `us-gov-` are `aws-us-gov`,
/// `us-iso-` `aws-iso`, `us-isob-` `aws-iso-b`, `eusc-` `aws-eusc`; any other is `aws`.
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

/// The domain of a partition's service hostnames (`aws_partition.dns_suffix`):
/// `amazonaws.com`, `amazonaws.com.cn` in China.
pub fn dns_suffix(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "amazonaws.com.cn",
        "aws-iso" => "c2s.ic.gov",
        "aws-iso-b" => "sc2s.sgov.gov",
        "aws-eusc" => "amazonaws.eu",
        _ => "amazonaws.com",
    }
}

/// The partition's DNS suffix reversed (`aws_partition.reverse_dns_prefix`): `com.amazonaws`,
/// `cn.com.amazonaws` in China.
pub fn reverse_dns_prefix(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "cn.com.amazonaws",
        "aws-iso" => "gov.ic.c2s",
        "aws-iso-b" => "gov.sgov.sc2s",
        "aws-eusc" => "eu.amazonaws",
        _ => "com.amazonaws",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_of_regions() {
        for (region, partition) in [
            ("us-east-1", "aws"),
            ("eu-central-2", "aws"),
            ("il-central-1", "aws"),
            ("cn-north-1", "aws-cn"),
            ("cn-northwest-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eusc-de-east-1", "aws-eusc"),
        ] {
            assert_eq!(partition_of_region(region), partition, "{region}");
        }
    }

    #[test]
    fn dns_names_of_partitions() {
        assert_eq!(dns_suffix("aws"), "amazonaws.com");
        assert_eq!(dns_suffix("aws-us-gov"), "amazonaws.com");
        assert_eq!(dns_suffix("aws-cn"), "amazonaws.com.cn");
        assert_eq!(dns_suffix("aws-iso"), "c2s.ic.gov");
        assert_eq!(dns_suffix("aws-iso-b"), "sc2s.sgov.gov");
        assert_eq!(dns_suffix("aws-eusc"), "amazonaws.eu");
        for p in [
            "aws",
            "aws-us-gov",
            "aws-cn",
            "aws-iso",
            "aws-iso-b",
            "aws-eusc",
        ] {
            let reversed: Vec<&str> = dns_suffix(p).split('.').rev().collect();
            assert_eq!(reverse_dns_prefix(p), reversed.join("."), "{p}");
        }
    }
}
