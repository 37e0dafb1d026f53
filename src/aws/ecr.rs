//! Amazon ECR's own names: the S3 bucket image layers are downloaded from.

/// Name of the AWS-owned bucket ECR serves image layers from in `region`:
/// `prod-<region>-starport-layer-bucket` (Amazon ECR User Guide, "Amazon ECR interface VPC
/// endpoints", minimum S3 gateway endpoint policy). `None` for partitions other than `aws`: the
/// pattern is not documented for `aws-cn` or `aws-us-gov`, so a rule must not pass a policy on a
/// guessed name there (only a policy that allows no AWS-owned bucket at all is decided).
pub fn layer_bucket_name(region: &str, partition: &str) -> Option<String> {
    let region_ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    (partition == "aws" && region_ok).then(|| format!("prod-{region}-starport-layer-bucket"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_bucket() {
        assert_eq!(
            layer_bucket_name("us-west-2", "aws").as_deref(),
            Some("prod-us-west-2-starport-layer-bucket")
        );
        // Not documented outside the aws partition.
        assert_eq!(layer_bucket_name("cn-north-1", "aws-cn"), None);
        assert_eq!(layer_bucket_name("us-gov-west-1", "aws-us-gov"), None);
        // Not a region: no bucket name, rather than a wrong one.
        assert_eq!(layer_bucket_name("", "aws"), None);
        assert_eq!(layer_bucket_name("us-west-2/*", "aws"), None);
        assert_eq!(layer_bucket_name("US-WEST-2", "aws"), None);
    }
}
