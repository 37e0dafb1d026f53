use super::analysis::Scope;
use super::{declare_rule, Finding, Hop};
use crate::aws::fargate::{is_retired_linux_platform, retirement_date};
use crate::graph::*;

declare_rule! {
    /// ## What it does
    /// Reports an ECS service, a scheduled ECS task or an AWS Batch job definition on Fargate
    /// (Linux) pinned to a retired platform version: 1.0.0, 1.1.0, 1.2.0 or 1.3.0.
    ///
    /// ## Why is this bad?
    /// AWS retired Fargate Linux platform versions 1.0.0–1.3.0. From 16 March 2026 (China
    /// regions: 15 June 2026) no new task or service can be launched on 1.3.0, and the tasks still
    /// running on it were stopped on 31 March 2026 (China: 30 June 2026). A configuration that
    /// pins one of them fails when the service is created or its tasks are started. The fix,
    /// 1.4.0 (or `LATEST`), calls the ECR API before every pull, so a VPC without an internet
    /// route also needs an `ecr.api` endpoint (PP102 judges the workload as 1.4.0).
    ///
    /// Windows containers on Fargate have their own version numbers (Windows 1.0.0 is current):
    /// they are not reported.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "app" {
    ///   name             = "app"
    ///   launch_type      = "FARGATE"
    ///   platform_version = "1.3.0"
    ///   task_definition  = aws_ecs_task_definition.app.arn
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_ecs_service" "app" {
    ///   name             = "app"
    ///   launch_type      = "FARGATE"
    ///   platform_version = "LATEST" # or "1.4.0"; needs the ecr.api endpoint without internet
    ///   task_definition  = aws_ecs_task_definition.app.arn
    /// }
    /// ```
    /// For AWS Batch, set `fargatePlatformConfiguration.platformVersion` of the job definition's
    /// `container_properties` to `LATEST` (or remove it).
    ///
    /// ## References
    /// - Amazon ECS Developer Guide: "AWS Fargate Linux platform version deprecation"
    ///   (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-versions-retired.html>)
    /// - Amazon ECS Developer Guide: "Migrating to Linux platform version 1.4.0 on Amazon ECS"
    ///   (the interface VPC endpoints 1.4.0 needs)
    pub static RULE = {
        code: "PP111",
        name: "fargate-platform-retired",
        severity: Error,
        summary: "a Fargate workload is pinned to a retired Linux platform version (1.0.0–1.3.0): it cannot launch",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    for f in &scope.workloads {
        let w = scope.workload(f);
        let Fact::Known(platform) = w.platform else {
            continue;
        };
        if !platform.is_fargate() || w.windows {
            continue;
        }
        let Some(version) = w
            .platform_version
            .as_deref()
            .filter(|v| is_retired_linux_platform(v))
        else {
            continue;
        };
        // Where the version is written: the service or the scheduled task's target; for AWS
        // Batch, the job definition.
        let (node, attribute, fix) = match w.kind {
            WorkloadKind::BatchComputeEnvironment => (
                w.definition.as_ref().unwrap_or(&w.node),
                "fargatePlatformConfiguration.platformVersion",
                "  container_properties = jsonencode({\n    # ...\n    fargatePlatformConfiguration = { platformVersion = \"LATEST\" }\n  })\n",
            ),
            WorkloadKind::ScheduledTask => (
                &w.node,
                "platform_version",
                "    platform_version = \"LATEST\" # or \"1.4.0\"\n",
            ),
            _ => (
                &w.node,
                "platform_version",
                "  platform_version = \"LATEST\" # or \"1.4.0\"\n",
            ),
        };
        let message = format!(
            "{} runs on Fargate platform version {version} ({attribute}), which is retired: since {} no new task or service can use it, so {} cannot launch. Use LATEST or 1.4.0, whose tasks call the ECR API (an ecr.api endpoint is needed without an internet route)",
            node.name(),
            retirement_date(scope.region()),
            w.node.name(),
        );
        let mut path = vec![Hop::Workload(w.node.name())];
        if w.kind == WorkloadKind::BatchComputeEnvironment {
            if let Some(d) = &w.definition {
                path.push(Hop::Definition(d.name()));
            }
        }
        out.push(
            Finding::fail(&RULE, node.name(), message)
                .with_workload(Some(w.node.name()))
                .with_path(path)
                .with_fix(fix)
                .at(node.location.clone(), node.input),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    fn pinned(version: &str, endpoints: &[&str]) -> String {
        private_fargate(endpoints).replace(
            "  launch_type     = \"FARGATE\"\n",
            &format!("  launch_type     = \"FARGATE\"\n  platform_version = \"{version}\"\n"),
        )
    }

    #[test]
    fn complete_private_fargate_passes() {
        let found = check_hcl(&[("main.tf", &private_fargate(ALL_ENDPOINTS))]);
        assert_eq!(verdicts_of("PP111", &found), []);
    }

    #[test]
    fn latest_and_1_4_0_pass() {
        for v in ["LATEST", "1.4.0"] {
            let found = check_hcl(&[("main.tf", &pinned(v, ALL_ENDPOINTS))]);
            assert_eq!(verdicts(&found), [], "{v}");
        }
    }

    #[test]
    fn retired_versions_fail() {
        for v in ["1.3.0", "1.0.0"] {
            let found = check_hcl(&[("main.tf", &pinned(v, ALL_ENDPOINTS))]);
            assert_eq!(
                verdicts(&found),
                [("PP111", "fail", "aws_ecs_service.app".into())],
                "{v}"
            );
            assert!(found[0].message.contains("16 March 2026"), "{found:?}");
        }
    }

    /// A workload pinned to 1.3.0 is judged as 1.4.0 by PP102: it needs ecr.api.
    #[test]
    fn retired_version_needs_ecr_api() {
        let found = check_hcl(&[("main.tf", &pinned("1.3.0", &[S3_GATEWAY, ECR_DKR, LOGS]))]);
        assert_eq!(
            verdicts(&found),
            [
                ("PP102", "fail", "aws_vpc.main".into()),
                ("PP111", "fail", "aws_ecs_service.app".into()),
            ]
        );
        let pp102 = &found[0];
        assert!(pp102.message.contains("retired"), "{}", pp102.message);
    }

    /// With an internet route the pin is still a launch failure.
    #[test]
    fn retired_version_fails_with_nat() {
        let found = check_hcl(&[("main.tf", &pinned("1.2.0", &[NAT]))]);
        assert_eq!(
            verdicts_of("PP111", &found),
            [("PP111", "fail", "aws_ecs_service.app".into())]
        );
    }
}
