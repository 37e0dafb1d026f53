//! The fields of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`.

use super::region::looks_like_region;

/// The region field of an ARN, when it is spelled like a region (global resources such as IAM
/// roles and S3 buckets have none).
pub fn arn_region(arn: &str) -> Option<String> {
    let r = arn.split(':').nth(3)?;
    looks_like_region(r).then(|| r.to_string())
}

/// The service field of an ARN (`secretsmanager`, `ssm`, …); `None` for text that is no ARN.
pub fn arn_service(arn: &str) -> Option<&str> {
    arn.strip_prefix("arn:")?.split(':').nth(1)
}

/// The partition field of an ARN: `aws`, `aws-cn`, `aws-us-gov`, …
pub fn arn_partition(arn: &str) -> Option<&str> {
    arn.split(':').nth(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let vpc = "arn:aws-cn:ec2:cn-north-1:123456789012:vpc/vpc-1";
        assert_eq!(arn_region(vpc).as_deref(), Some("cn-north-1"));
        assert_eq!(arn_partition(vpc), Some("aws-cn"));
        let role = "arn:aws:iam::123456789012:role/app";
        assert_eq!(arn_region(role), None);
        assert_eq!(arn_partition(role), Some("aws"));
        assert_eq!(arn_region("vpc-1"), None);
        assert_eq!(arn_partition("vpc-1"), None);
    }
}
