//! The default hostnames of the services on the pull path: the names the ECS agent and the
//! container runtime call, which only an Interface endpoint's private DNS points at the endpoint.

/// The hostname the agents call for the endpoint service `service` (the short form: `ecr.dkr`,
/// `logs`) in `region`; `<account>` and `*` stand for the parts that vary.
pub fn service_hostname(service: &str, region: &str) -> String {
    match service {
        "ecr.dkr" => format!("<account>.dkr.ecr.{region}.amazonaws.com"),
        "ecr.api" => format!("api.ecr.{region}.amazonaws.com"),
        "ecs-agent" => format!("ecs-a-*.{region}.amazonaws.com"),
        "ecs-telemetry" => format!("ecs-t-*.{region}.amazonaws.com"),
        other => format!("{other}.{region}.amazonaws.com"),
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
}
