//! Endpoint service names: `com.amazonaws.<region>.<service>`, as `aws_vpc_endpoint.service_name`
//! spells them.

use super::region::looks_like_region;

/// An endpoint service name, and the parts pullpath reads from it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServiceName {
    /// As written: `com.amazonaws.us-west-2.ecr.dkr`.
    pub full: String,
    /// The service part: `ecr.dkr`, `s3`, `logs`.
    pub short: String,
    pub region: Option<String>,
}

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

/// The service name of `service` in `region`: `com.amazonaws.<region>.<service>`; in China
/// `cn.com.amazonaws.` except for the gateway services S3 and DynamoDB.
pub fn endpoint_service_name(region: &str, service: &str) -> String {
    let prefix = if region.starts_with("cn-") && !matches!(service, "s3" | "dynamodb") {
        "cn.com.amazonaws"
    } else {
        "com.amazonaws"
    };
    format!("{prefix}.{region}.{service}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_service_names() {
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
        let s = parse_service("com.amazonaws.vpce.us-east-1.vpce-svc-1");
        assert_eq!(
            (s.short.as_str(), s.region),
            ("vpce.us-east-1.vpce-svc-1", None)
        );
        let s = parse_service("aws.sagemaker.us-east-1.notebook");
        assert_eq!(
            (s.short.as_str(), s.region),
            ("aws.sagemaker.us-east-1.notebook", None)
        );
    }

    #[test]
    fn builds_service_names() {
        assert_eq!(
            endpoint_service_name("us-east-1", "ecr.dkr"),
            "com.amazonaws.us-east-1.ecr.dkr"
        );
        assert_eq!(
            endpoint_service_name("cn-north-1", "ecr.api"),
            "cn.com.amazonaws.cn-north-1.ecr.api"
        );
        assert_eq!(
            endpoint_service_name("cn-north-1", "s3"),
            "com.amazonaws.cn-north-1.s3"
        );
        for (region, service) in [("us-west-2", "logs"), ("cn-northwest-1", "ecr.dkr")] {
            let s = parse_service(&endpoint_service_name(region, service));
            assert_eq!(
                (s.short.as_str(), s.region.as_deref()),
                (service, Some(region))
            );
        }
    }
}
