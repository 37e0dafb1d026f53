//! Endpoint service names: `com.amazonaws.<region>.<service>`, as `aws_vpc_endpoint.service_name`
//! spells them, and the services of the pull path they name.

use super::region::looks_like_region;

/// An endpoint service name, and the parts pullpath reads from it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServiceName {
    /// As written: `com.amazonaws.us-west-2.ecr.dkr`.
    pub full: String,
    /// The service part: `ecr.dkr`, `s3`, `logs`.
    pub short: String,
    pub region: Option<String>,
    /// The service of the pull path it names, if any (decided from `short`).
    pub pull: Option<Service>,
}

/// The AWS services on the pull path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    EcrDkr,
    EcrApi,
    S3,
    Logs,
    SecretsManager,
    Ssm,
    Ecs,
    EcsAgent,
    EcsTelemetry,
}

impl Service {
    pub const ALL: [Service; 9] = [
        Service::EcrDkr,
        Service::EcrApi,
        Service::S3,
        Service::Logs,
        Service::SecretsManager,
        Service::Ssm,
        Service::Ecs,
        Service::EcsAgent,
        Service::EcsTelemetry,
    ];

    /// The service part of the endpoint service name.
    pub fn short(self) -> &'static str {
        match self {
            Service::EcrDkr => "ecr.dkr",
            Service::EcrApi => "ecr.api",
            Service::S3 => "s3",
            Service::Logs => "logs",
            Service::SecretsManager => "secretsmanager",
            Service::Ssm => "ssm",
            Service::Ecs => "ecs",
            Service::EcsAgent => "ecs-agent",
            Service::EcsTelemetry => "ecs-telemetry",
        }
    }

    pub fn from_short(s: &str) -> Option<Service> {
        Service::ALL.iter().copied().find(|x| x.short() == s)
    }

    /// What the service does on the pull path, for messages.
    pub fn role(self) -> &'static str {
        match self {
            Service::EcrDkr => "image manifests and layer URLs (Docker registry API)",
            Service::EcrApi => "ECR authentication (GetAuthorizationToken)",
            Service::S3 => "image layers from the ECR layer bucket",
            Service::Logs => "the awslogs log driver",
            Service::SecretsManager => "Secrets Manager secrets",
            Service::Ssm => "SSM parameters",
            Service::Ecs => "the ECS agent's control plane",
            Service::EcsAgent => "the ECS agent's connection",
            Service::EcsTelemetry => "the ECS agent's telemetry",
        }
    }

    /// Every service but S3 is reached through an Interface endpoint.
    pub fn is_interface(self) -> bool {
        self != Service::S3
    }
}

/// Whether an Interface endpoint can reach the service `short` (`ecr.dkr`, `kms`) in another
/// region (`aws_vpc_endpoint.service_region`): the services of the PrivateLink Guide's
/// "Cross-region enabled AWS services".
pub fn cross_region_enabled(short: &str) -> bool {
    matches!(
        short,
        "s3" | "iam"
            | "ecr.api"
            | "ecr.dkr"
            | "kms"
            | "kms-fips"
            | "ecs"
            | "lambda"
            | "kinesis-firehose"
            | "kinesisanalytics"
            | "kinesisanalytics-fips"
            | "route53"
    )
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
                    pull: Service::from_short(short),
                    short: short.to_string(),
                    region: Some(region.to_string()),
                };
            }
        }
        return ServiceName {
            full: full.to_string(),
            pull: Service::from_short(rest),
            short: rest.to_string(),
            region: None,
        };
    }
    ServiceName {
        full: full.to_string(),
        pull: Service::from_short(full),
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
    fn names_the_pull_path_service() {
        for svc in Service::ALL {
            let s = parse_service(&endpoint_service_name("us-east-1", svc.short()));
            assert_eq!(s.pull, Some(svc));
        }
        assert_eq!(parse_service("com.amazonaws.us-east-1.ecr").pull, None);
        assert_eq!(
            parse_service("com.amazonaws.vpce.us-east-1.vpce-svc-1").pull,
            None
        );
        assert_eq!(parse_service("ecs").pull, Some(Service::Ecs));
    }

    #[test]
    fn cross_region_services() {
        for s in ["ecr.api", "ecr.dkr", "ecs", "kms", "s3"] {
            assert!(cross_region_enabled(s), "{s}");
        }
        for s in [
            "logs",
            "ecs-agent",
            "ecs-telemetry",
            "secretsmanager",
            "ssm",
        ] {
            assert!(!cross_region_enabled(s), "{s}");
        }
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
