//! The default hostnames of the services on the pull path: the names the ECS agent and the
//! container runtime call, which only an Interface endpoint's private DNS points at the endpoint.
//!
//! A regional hostname is `<prefix>.<region>.<dns suffix of the region's partition>`:
//! `amazonaws.com`, but `amazonaws.com.cn` in the China regions (see [`dns_suffix`]).

use super::partition::{dns_suffix, partition_of_region};

/// The hostname the agents call for the endpoint service `service` (the short form: `ecr.dkr`,
/// `logs`) in `region`; `<account>` and `*` stand for the parts that vary.
pub fn service_hostname(service: &str, region: &str) -> String {
    let domain = dns_suffix(partition_of_region(region));
    match service {
        "ecr.dkr" => format!("<account>.dkr.ecr.{region}.{domain}"),
        "ecr.api" => format!("api.ecr.{region}.{domain}"),
        "ecs-agent" => format!("ecs-a-*.{region}.{domain}"),
        "ecs-telemetry" => format!("ecs-t-*.{region}.{domain}"),
        other => format!("{other}.{region}.{domain}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames() {
        assert_eq!(
            service_hostname("ecr.dkr", "us-west-2"),
            "<account>.dkr.ecr.us-west-2.amazonaws.com"
        );
        assert_eq!(
            service_hostname("ecr.api", "us-west-2"),
            "api.ecr.us-west-2.amazonaws.com"
        );
        assert_eq!(
            service_hostname("ecs-agent", "eu-west-1"),
            "ecs-a-*.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            service_hostname("ecs-telemetry", "eu-west-1"),
            "ecs-t-*.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            service_hostname("logs", "us-gov-west-1"),
            "logs.us-gov-west-1.amazonaws.com"
        );
        assert_eq!(
            service_hostname("secretsmanager", "<region>"),
            "secretsmanager.<region>.amazonaws.com"
        );
    }

    /// The China regions' hostnames end in `amazonaws.com.cn`: "The endpoint domain for both
    /// the Beijing and Ningxia Regions is .amazonaws.com.cn" (Amazon Web Services in China,
    /// "Beijing Region Endpoints"; the SDKs' `dnsSuffix` of `aws-cn`).
    #[test]
    fn china_hostnames() {
        assert_eq!(
            service_hostname("ecr.api", "cn-north-1"),
            "api.ecr.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            service_hostname("ecr.dkr", "cn-northwest-1"),
            "<account>.dkr.ecr.cn-northwest-1.amazonaws.com.cn"
        );
        assert_eq!(
            service_hostname("ecs-agent", "cn-north-1"),
            "ecs-a-*.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            service_hostname("logs", "cn-northwest-1"),
            "logs.cn-northwest-1.amazonaws.com.cn"
        );
    }

    /// The other partitions with their own domain (the SDKs' `dnsSuffix`).
    #[test]
    fn partition_hostnames() {
        assert_eq!(
            service_hostname("ecr.api", "us-iso-east-1"),
            "api.ecr.us-iso-east-1.c2s.ic.gov"
        );
        assert_eq!(
            service_hostname("logs", "us-isob-east-1"),
            "logs.us-isob-east-1.sc2s.sgov.gov"
        );
        assert_eq!(
            service_hostname("ecr.api", "eusc-de-east-1"),
            "api.ecr.eusc-de-east-1.amazonaws.eu"
        );
    }
}
