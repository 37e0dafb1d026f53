//! The rule catalog against the plan fixtures of `testdata/plans/` and `testdata/examples/`
//! (written by `testdata/plans/generate.py`, whose docstrings say what each fixture shows).
//!
//! Each case runs the binary from the repository root on one fixture, with relative paths:
//! - `findings`: the exact list of (rule, verdict, resource) of the JSON report, the exit code,
//!   and the JSON contract of docs/contract.md (keys, relative input path, sort order);
//! - `snapshots`: the text report (`--color never`) and the JSON report, as insta snapshots in
//!   `snapshots/rules/<case>__{text,json}.snap`. Review them as what a user reads.
//!
//! A case whose expected result is not what pullpath does today is marked `expected-to-change`
//! and its test is `#[ignore = "bug: …"]`: the table states the right answer, never the bug.
//! Write or update snapshots with `INSTA_UPDATE=always cargo test --test rules`, then read them.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// (rule, verdict, resource)
type Expected = &'static [(&'static str, &'static str, &'static str)];

/// Runs `pullpath check ARGS` from the repository root, with no configuration from the
/// environment.
fn pullpath(args: &[&str]) -> (String, String, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("check")
        .args(args);
    for var in [
        "PULLPATH_FORMAT",
        "PULLPATH_FAIL_ON",
        "PULLPATH_UNKNOWN",
        "PULLPATH_MODE",
        "PULLPATH_REGION",
        "PULLPATH_CONFIG",
        "PULLPATH_COLOR",
        "PULLPATH_TERRAFORM_BIN",
    ] {
        cmd.env_remove(var);
    }
    let out = cmd.output().expect("run pullpath");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots/rules");
    s.set_prepend_module_to_snapshot(false);
    s
}

fn json_report(fixture: &str, opts: &[&str]) -> (Value, String, i32) {
    let mut args = vec![fixture, "--format", "json"];
    args.extend_from_slice(opts);
    let (out, err, code) = pullpath(&args);
    let v: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("{fixture}: not JSON ({e}); stderr: {err}\n{out}"));
    (v, out, code)
}

fn text_report(fixture: &str, opts: &[&str]) -> (String, i32) {
    let mut args = vec![fixture, "--color", "never"];
    args.extend_from_slice(opts);
    let (out, _, code) = pullpath(&args);
    (out, code)
}

/// The JSON report of the contract (docs/contract.md).
fn assert_contract(fixture: &str, v: &Value) {
    for key in [
        "version", "tool", "inputs", "summary", "vpcs", "findings", "errors",
    ] {
        assert!(v.get(key).is_some(), "{fixture}: no `{key}` in the report");
    }
    assert_eq!(v["version"], 1, "{fixture}");
    assert_eq!(v["tool"]["name"], "pullpath", "{fixture}");
    assert_eq!(
        v["inputs"],
        serde_json::json!([{"path": fixture, "kind": "plan"}]),
        "{fixture}: the input is named by its relative, /-separated path"
    );
    assert_eq!(v["errors"], serde_json::json!([]), "{fixture}");
    for key in [
        "vpcs",
        "workloads",
        "errors",
        "warnings",
        "notes",
        "unknown",
    ] {
        assert!(v["summary"][key].is_u64(), "{fixture}: summary.{key}");
    }
    for vpc in v["vpcs"].as_array().unwrap() {
        for key in [
            "vpc",
            "id",
            "region",
            "internet_route",
            "verdict",
            "workloads",
            "endpoints",
        ] {
            assert!(vpc.get(key).is_some(), "{fixture}: no vpcs[].{key}");
        }
        assert!(
            ["pass", "fail", "unknown"].contains(&vpc["verdict"].as_str().unwrap()),
            "{fixture}"
        );
    }
    let findings = v["findings"].as_array().unwrap();
    for f in findings {
        for key in [
            "rule",
            "name",
            "severity",
            "verdict",
            "vpc",
            "resource",
            "workload",
            "message",
            "location",
            "path",
            "fix",
            "introduced",
            "suppressed",
        ] {
            assert!(f.get(key).is_some(), "{fixture}: no findings[].{key}");
        }
        assert!(
            !f["message"].as_str().unwrap().is_empty(),
            "{fixture}: empty message"
        );
        assert!(
            ["error", "warning", "note"].contains(&f["severity"].as_str().unwrap()),
            "{fixture}"
        );
        assert!(
            ["fail", "unknown"].contains(&f["verdict"].as_str().unwrap()),
            "{fixture}"
        );
        assert!(
            !f["path"].as_array().unwrap().is_empty(),
            "{fixture}: empty path"
        );
    }
    // Sorted by (vpc, rule, resource).
    let keys: Vec<(String, String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["vpc"].as_str().unwrap_or("\u{10FFFF}").to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "{fixture}: findings are not sorted");
}

fn findings_of(v: &Value) -> Vec<(String, String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["verdict"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn check_findings(fixture: &str, opts: &[&str], expected: Expected, exit: i32) {
    let (v, out, code) = json_report(fixture, opts);
    assert_contract(fixture, &v);
    let got = findings_of(&v);
    let want: Vec<(String, String, String)> = expected
        .iter()
        .map(|(r, v, x)| (r.to_string(), v.to_string(), x.to_string()))
        .collect();
    assert_eq!(got, want, "{fixture} {opts:?}: findings\n{out}");
    assert_eq!(code, exit, "{fixture} {opts:?}: exit code (JSON)\n{out}");
    let (text, code) = text_report(fixture, opts);
    assert_eq!(code, exit, "{fixture} {opts:?}: exit code (text)\n{text}");
}

fn check_snapshots(case: &str, fixture: &str, opts: &[&str]) {
    let (text, _) = text_report(fixture, opts);
    let (_, json, _) = json_report(fixture, opts);
    let mut s = settings();
    s.set_info(&serde_json::json!({ "fixture": fixture, "options": opts }));
    s.bind(|| {
        insta::assert_snapshot!(format!("{case}__text"), text);
        insta::assert_snapshot!(format!("{case}__json"), json);
    });
}

/// One module per case, with a `findings` and a `snapshots` test.
macro_rules! cases {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident: $fixture:literal $([$($opt:literal),* $(,)?])?
            => [$(($rule:literal, $verdict:literal, $res:literal)),* $(,)?], exit $code:literal
            $(, findings_bug = $fbug:literal)? $(, snapshot_bug = $sbug:literal)?;
    )*) => {
        /// Every fixture some case runs.
        const FIXTURES: &[&str] = &[$($fixture),*];
        /// Every case, and whether its snapshots are checked (not a known bug).
        const CASES: &[(&str, bool)] = &[$(
            (stringify!($name), true $(&& { let _ = $fbug; false })? $(&& { let _ = $sbug; false })?)
        ),*];
        $(
            $(#[doc = $doc])*
            mod $name {
                const FIXTURE: &str = $fixture;
                const OPTS: &[&str] = &[$($($opt),*)?];

                #[test]
                $(#[ignore = $fbug])?
                fn findings() {
                    super::check_findings(FIXTURE, OPTS, &[$(($rule, $verdict, $res)),*], $code);
                }

                #[test]
                $(#[ignore = $fbug])?
                $(#[ignore = $sbug])?
                fn snapshots() {
                    super::check_snapshots(stringify!($name), FIXTURE, OPTS);
                }
            }
        )*
    };
}

cases! {
    // ---- testdata/examples (the README runs the first) ----

    /// The seed incident: PP401 with the corrected policy, nothing else.
    example_seed_incident: "testdata/examples/seed-incident.json"
        => [("PP401", "fail", "aws_vpc_endpoint.s3")], exit 1;
    example_seed_incident_fixed: "testdata/examples/seed-incident-fixed.json" => [], exit 0;
    example_private_fargate: "testdata/examples/private-fargate.json" => [], exit 0;

    // ---- PP101 ecr-dkr-endpoint-missing ----

    pp101_fail_no_ecr_dkr: "testdata/plans/ecr-dkr-endpoint-missing/fail-no-ecr-dkr.json"
        => [("PP101", "fail", "aws_vpc.main")], exit 1;
    pp101_fail_public_subnets_without_public_ip: "testdata/plans/ecr-dkr-endpoint-missing/fail-public-subnets-without-public-ip.json"
        => [("PP101", "fail", "aws_vpc.main")], exit 1;
    pp101_fail_endpoint_in_other_vpc: "testdata/plans/ecr-dkr-endpoint-missing/fail-endpoint-in-other-vpc.json"
        => [("PP101", "fail", "aws_vpc.main")], exit 1;
    pp101_fail_scheduled_task: "testdata/plans/ecr-dkr-endpoint-missing/fail-scheduled-task.json"
        => [("PP101", "fail", "aws_vpc.main")], exit 1;
    /// 1.3.0 is retired (PP111); DOMAIN.md §2 (2026): PP111 is new here.
    pp101_fail_platform_1_3_0: "testdata/plans/ecr-dkr-endpoint-missing/fail-platform-1.3.0.json"
        => [("PP101", "fail", "aws_vpc.main"), ("PP111", "fail", "aws_ecs_service.app")], exit 1;
    pp101_pass_with_ecr_dkr: "testdata/plans/ecr-dkr-endpoint-missing/pass-with-ecr-dkr.json"
        => [], exit 0;
    pp101_pass_nat_without_endpoints: "testdata/plans/ecr-dkr-endpoint-missing/pass-nat-without-endpoints.json"
        => [], exit 0;
    /// Issue 16: `gateway_id = aws_nat_gateway.main.id` is a NAT route.
    pp101_pass_nat_through_gateway_id: "testdata/plans/ecr-dkr-endpoint-missing/pass-nat-through-gateway-id.json"
        => [], exit 0;

    // ---- PP102 ecr-api-endpoint-missing ----

    pp102_fail_platform_latest: "testdata/plans/ecr-api-endpoint-missing/fail-platform-latest.json"
        => [("PP102", "fail", "aws_vpc.main")], exit 1;
    pp102_fail_platform_unset: "testdata/plans/ecr-api-endpoint-missing/fail-platform-unset.json"
        => [("PP102", "fail", "aws_vpc.main")], exit 1;
    pp102_fail_capacity_provider_fargate_spot: "testdata/plans/ecr-api-endpoint-missing/fail-capacity-provider-fargate-spot.json"
        => [("PP102", "fail", "aws_vpc.main")], exit 1;
    pp102_fail_platform_1_4_0_capacity_provider: "testdata/plans/ecr-api-endpoint-missing/fail-platform-1.4.0-capacity-provider.json"
        => [("PP102", "fail", "aws_vpc.main")], exit 1;
    pp102_fail_cluster_default_capacity_provider: "testdata/plans/ecr-api-endpoint-missing/fail-cluster-default-capacity-provider.json"
        => [("PP102", "fail", "aws_vpc.main")], exit 1;
    /// The execution role is another stack's (an ARN no role of the input has): PP404 is
    /// unknown (DESIGN.md: a check that depends on a resource outside the input).
    pp102_fail_batch_fargate: "testdata/plans/ecr-api-endpoint-missing/fail-batch-fargate.json"
        => [("PP102", "fail", "aws_vpc.main"), ("PP404", "unknown", "aws_batch_job_definition.nightly")], exit 1;
    /// Was pass-platform-1.3.0: since 1.3.0 is retired (DOMAIN.md §2, 2026) the service cannot
    /// launch (PP111) and is judged as 1.4.0, which needs ecr.api (PP102).
    /// Issue 18: centralised endpoints through private hosted zones are unknown, not failures.
    pp102_unknown_hub_private_hosted_zones: "testdata/plans/ecr-api-endpoint-missing/unknown-hub-private-hosted-zones.json"
        => [
            ("PP101", "unknown", "aws_vpc.main"),
            ("PP102", "unknown", "aws_vpc.main"),
            ("PP104", "unknown", "aws_vpc.main"),
        ], exit 0;
    pp102_pass_with_ecr_api: "testdata/plans/ecr-api-endpoint-missing/pass-with-ecr-api.json"
        => [], exit 0;
    /// Issue 18: the hub's zones, not associated with this VPC, serve it nothing.
    pp102_fail_hub_zones_not_associated: "testdata/plans/ecr-api-endpoint-missing/fail-hub-zones-not-associated.json"
        => [
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP104", "fail", "aws_vpc.main"),
        ], exit 1;
    pp102_fail_platform_1_3_0_retired: "testdata/plans/ecr-api-endpoint-missing/fail-platform-1.3.0-retired.json"
        => [("PP102", "fail", "aws_vpc.main"), ("PP111", "fail", "aws_ecs_service.app")], exit 1;

    // ---- PP103 s3-gateway-endpoint-missing ----

    pp103_fail_no_s3_endpoint: "testdata/plans/s3-gateway-endpoint-missing/fail-no-s3-endpoint.json"
        => [("PP103", "fail", "aws_vpc.main")], exit 1;
    pp103_fail_s3_interface_only: "testdata/plans/s3-gateway-endpoint-missing/fail-s3-interface-only.json"
        => [("PP103", "fail", "aws_vpc.main")], exit 1;
    pp103_pass_s3_gateway: "testdata/plans/s3-gateway-endpoint-missing/pass-s3-gateway.json"
        => [], exit 0;

    // ---- PP104 logs-endpoint-missing ----

    pp104_fail_awslogs_no_logs_endpoint: "testdata/plans/logs-endpoint-missing/fail-awslogs-no-logs-endpoint.json"
        => [("PP104", "fail", "aws_vpc.main")], exit 1;
    /// PP404 unknown as in pp102_fail_batch_fargate (the execution role is another stack's).
    pp104_fail_batch_fargate_default_logging: "testdata/plans/logs-endpoint-missing/fail-batch-fargate-default-logging.json"
        => [("PP104", "fail", "aws_vpc.main"), ("PP404", "unknown", "aws_batch_job_definition.nightly")], exit 1;
    pp104_pass_no_log_configuration: "testdata/plans/logs-endpoint-missing/pass-no-log-configuration.json"
        => [], exit 0;
    pp104_pass_awslogs_with_logs_endpoint: "testdata/plans/logs-endpoint-missing/pass-awslogs-with-logs-endpoint.json"
        => [], exit 0;
    /// Issue 18: the containers of a multi-container (`ecs_properties`) and of a multi-node
    /// (`node_properties`) Batch job definition are read, not skipped.
    pp104_fail_batch_ecs_properties: "testdata/plans/logs-endpoint-missing/fail-batch-ecs-properties.json"
        => [("PP104", "fail", "aws_vpc.main")], exit 1;
    pp104_fail_batch_node_properties: "testdata/plans/logs-endpoint-missing/fail-batch-node-properties.json"
        => [("PP104", "fail", "aws_vpc.main")], exit 1;
    /// Issue 18: the multi-container Batch job with every endpoint.
    pp104_pass_batch_ecs_properties: "testdata/plans/logs-endpoint-missing/pass-batch-ecs-properties.json"
        => [], exit 0;
    /// Issue 18: Batch jobs on Amazon EKS are out of scope: unknown with that reason.
    pp104_unknown_batch_eks_jobs: "testdata/plans/logs-endpoint-missing/unknown-batch-eks-jobs.json"
        => [
            ("PP104", "unknown", "aws_vpc.main"),
            ("PP105", "unknown", "aws_vpc.main"),
            ("PP106", "unknown", "aws_vpc.main"),
            ("PP404", "unknown", "aws_batch_job_definition.nightly"),
            ("PP601", "unknown", "aws_batch_job_definition.nightly"),
        ], exit 0;

    // ---- PP105 secrets-endpoint-missing ----

    pp105_fail_secretsmanager_value_from: "testdata/plans/secrets-endpoint-missing/fail-secretsmanager-value-from.json"
        => [("PP105", "fail", "aws_vpc.main")], exit 1;
    pp105_fail_ssm_value_from: "testdata/plans/secrets-endpoint-missing/fail-ssm-value-from.json"
        => [("PP105", "fail", "aws_vpc.main")], exit 1;
    pp105_pass_secretsmanager_and_ssm_endpoints: "testdata/plans/secrets-endpoint-missing/pass-secretsmanager-and-ssm-endpoints.json"
        => [], exit 0;

    // ---- PP106 ecs-agent-endpoints-missing ----

    pp106_fail_ecs_on_ec2: "testdata/plans/ecs-agent-endpoints-missing/fail-ecs-on-ec2.json"
        => [("PP106", "fail", "aws_vpc.main")], exit 1;
    pp106_fail_batch_ec2: "testdata/plans/ecs-agent-endpoints-missing/fail-batch-ec2.json"
        => [("PP106", "fail", "aws_vpc.main")], exit 1;
    pp106_pass_ecs_on_ec2: "testdata/plans/ecs-agent-endpoints-missing/pass-ecs-on-ec2.json"
        => [], exit 0;
    pp106_pass_batch_ec2: "testdata/plans/ecs-agent-endpoints-missing/pass-batch-ec2.json"
        => [], exit 0;
    /// Issue 18: ECS Managed Instances are EC2 hosts whose ECS agent needs the three endpoints.
    pp106_fail_managed_instances: "testdata/plans/ecs-agent-endpoints-missing/fail-managed-instances.json"
        => [("PP106", "fail", "aws_vpc.main")], exit 1;
    /// Issue 18: ECS Managed Instances with the agent endpoints.
    pp106_pass_managed_instances: "testdata/plans/ecs-agent-endpoints-missing/pass-managed-instances.json"
        => [], exit 0;

    // ---- PP107 endpoint-wrong-type ----

    pp107_fail_type_unset: "testdata/plans/endpoint-wrong-type/fail-type-unset.json"
        => [("PP107", "fail", "aws_vpc_endpoint.ecr_dkr")], exit 1;
    pp107_pass_interface: "testdata/plans/endpoint-wrong-type/pass-interface.json" => [], exit 0;

    // ---- PP108 endpoint-region-mismatch ----

    pp108_fail_service_name_other_region: "testdata/plans/endpoint-region-mismatch/fail-service-name-other-region.json"
        => [("PP108", "fail", "aws_vpc_endpoint.ecr_dkr")], exit 1;
    pp108_fail_cross_region_image: "testdata/plans/endpoint-region-mismatch/fail-cross-region-image.json"
        => [("PP108", "fail", "aws_ecs_task_definition.app")], exit 1;
    pp108_pass_cross_region_image_with_nat: "testdata/plans/endpoint-region-mismatch/pass-cross-region-image-with-nat.json"
        => [], exit 0;
    pp108_pass_same_region: "testdata/plans/endpoint-region-mismatch/pass-same-region.json"
        => [], exit 0;
    /// Issue 18: `service_region` (cross-region PrivateLink) is on purpose.
    pp108_pass_cross_region_endpoints_on_purpose: "testdata/plans/endpoint-region-mismatch/pass-cross-region-endpoints-on-purpose.json"
        => [], exit 0;
    /// Issue 18: us-east-1's ecr.api and ecr.dkr across regions, but its S3 is not reachable.
    pp108_fail_cross_region_image_with_cross_region_endpoints: "testdata/plans/endpoint-region-mismatch/fail-cross-region-image-with-cross-region-endpoints.json"
        => [("PP108", "fail", "aws_ecs_task_definition.app")], exit 1;

    // ---- PP109 endpoint-az-coverage (a warning: exit 0 by default) ----

    pp109_fail_endpoints_in_one_az: "testdata/plans/endpoint-az-coverage/fail-endpoints-in-one-az.json"
        => [
            ("PP109", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP109", "fail", "aws_vpc_endpoint.ecr_dkr"),
            ("PP109", "fail", "aws_vpc_endpoint.logs"),
        ], exit 0;
    pp109_pass_endpoints_in_every_az: "testdata/plans/endpoint-az-coverage/pass-endpoints-in-every-az.json"
        => [], exit 0;

    // ---- PP110 s3-gateway-would-save-nat (a note) ----

    pp110_fail_nat_without_s3_gateway: "testdata/plans/s3-gateway-would-save-nat/fail-nat-without-s3-gateway.json"
        => [("PP110", "fail", "aws_vpc.main")], exit 0;
    pp110_pass_nat_with_s3_gateway: "testdata/plans/s3-gateway-would-save-nat/pass-nat-with-s3-gateway.json"
        => [], exit 0;

    // ---- PP111 fargate-platform-retired ----

    pp111_fail_service_platform_1_3_0: "testdata/plans/fargate-platform-retired/fail-service-platform-1.3.0.json"
        => [("PP111", "fail", "aws_ecs_service.app")], exit 1;
    /// The execution role is another stack's: PP404 is unknown (as pp102_fail_batch_fargate).
    pp111_fail_batch_job_platform_1_2_0: "testdata/plans/fargate-platform-retired/fail-batch-job-platform-1.2.0.json"
        => [("PP111", "fail", "aws_batch_job_definition.nightly"), ("PP404", "unknown", "aws_batch_job_definition.nightly")], exit 1;
    pp111_pass_platform_1_4_0: "testdata/plans/fargate-platform-retired/pass-platform-1.4.0.json"
        => [], exit 0;
    pp111_pass_batch_job_platform_latest: "testdata/plans/fargate-platform-retired/pass-batch-job-platform-latest.json"
        => [("PP404", "unknown", "aws_batch_job_definition.nightly")], exit 0;

    // ---- PP201 endpoint-private-dns-disabled ----

    pp201_fail_private_dns_false: "testdata/plans/endpoint-private-dns-disabled/fail-private-dns-false.json"
        => [("PP201", "fail", "aws_vpc_endpoint.ecr_dkr")], exit 1;
    pp201_fail_private_dns_unset: "testdata/plans/endpoint-private-dns-disabled/fail-private-dns-unset.json"
        => [("PP201", "fail", "aws_vpc_endpoint.logs")], exit 1;
    pp201_pass_private_dns_enabled: "testdata/plans/endpoint-private-dns-disabled/pass-private-dns-enabled.json"
        => [], exit 0;

    // ---- PP202 vpc-dns-disabled ----

    pp202_fail_dns_hostnames_unset: "testdata/plans/vpc-dns-disabled/fail-dns-hostnames-unset.json"
        => [("PP202", "fail", "aws_vpc.main")], exit 1;
    pp202_fail_dns_support_false: "testdata/plans/vpc-dns-disabled/fail-dns-support-false.json"
        => [("PP202", "fail", "aws_vpc.main")], exit 1;
    pp202_pass_dns_enabled: "testdata/plans/vpc-dns-disabled/pass-dns-enabled.json" => [], exit 0;

    // ---- PP203 vpc-dns-not-amazon-provided (a warning; the private-DNS hops, PP201, unknown) ----

    pp203_fail_custom_dhcp_name_servers: "testdata/plans/vpc-dns-not-amazon-provided/fail-custom-dhcp-name-servers.json"
        => [
            ("PP201", "unknown", "aws_vpc_endpoint.ecr_api"),
            ("PP201", "unknown", "aws_vpc_endpoint.ecr_dkr"),
            ("PP201", "unknown", "aws_vpc_endpoint.logs"),
            ("PP203", "fail", "aws_vpc_dhcp_options.corp"),
        ], exit 0;
    pp203_fail_resolver_rule_forwards_amazonaws: "testdata/plans/vpc-dns-not-amazon-provided/fail-resolver-rule-forwards-amazonaws.json"
        => [
            ("PP201", "unknown", "aws_vpc_endpoint.ecr_api"),
            ("PP201", "unknown", "aws_vpc_endpoint.ecr_dkr"),
            ("PP201", "unknown", "aws_vpc_endpoint.logs"),
            ("PP203", "fail", "aws_route53_resolver_rule.corp"),
        ], exit 0;
    pp203_pass_amazon_provided_dns: "testdata/plans/vpc-dns-not-amazon-provided/pass-amazon-provided-dns.json"
        => [], exit 0;
    pp203_pass_forward_corporate_domain_only: "testdata/plans/vpc-dns-not-amazon-provided/pass-forward-corporate-domain-only.json"
        => [], exit 0;

    // ---- PP301 s3-gateway-not-routed ----

    pp301_fail_subnet_on_main_route_table: "testdata/plans/s3-gateway-not-routed/fail-subnet-on-main-route-table.json"
        => [("PP301", "fail", "aws_vpc_endpoint.s3")], exit 1;
    /// Issue 16: no `route_table_ids` and no association: no subnet uses the endpoint.
    pp301_fail_no_route_table_at_all: "testdata/plans/s3-gateway-not-routed/fail-no-route-table-at-all.json"
        => [("PP301", "fail", "aws_vpc_endpoint.s3")], exit 1;
    pp301_pass_endpoint_route_table_association: "testdata/plans/s3-gateway-not-routed/pass-endpoint-route-table-association.json"
        => [], exit 0;
    /// Issue 17: the association's endpoint goes through a local the plan does not record: it
    /// attaches to the S3 gateway (PP401, app bucket only) or to none of the plan's (PP301, no
    /// NAT). Broken whichever: PP401 fails, PP301 unknown.
    pp401_fail_association_endpoint_through_local: "testdata/plans/s3-policy-blocks-layer-bucket/fail-association-endpoint-through-local.json"
        => [("PP301", "unknown", "aws_vpc_endpoint.s3"), ("PP401", "fail", "aws_vpc_endpoint.s3")], exit 1;
    /// The same with the default S3 policy: attached it works, not PP301: unknown.
    pp301_unknown_association_endpoint_through_local: "testdata/plans/s3-gateway-not-routed/unknown-association-endpoint-through-local.json"
        => [("PP301", "unknown", "aws_vpc_endpoint.s3")], exit 0;
    /// An endpoint policy whose endpoint goes through a local may replace any endpoint's policy
    /// (or one outside the plan): each policy rule unknown, naming it (was dropped: a pass).
    pp401_unknown_endpoint_policy_through_local: "testdata/plans/s3-policy-blocks-layer-bucket/unknown-endpoint-policy-through-local.json"
        => [
            ("PP401", "unknown", "aws_vpc_endpoint.s3"),
            ("PP402", "unknown", "aws_vpc_endpoint.ecr_api"),
            ("PP402", "unknown", "aws_vpc_endpoint.ecr_dkr"),
            ("PP403", "unknown", "aws_vpc_endpoint.logs"),
        ], exit 0;

    // ---- PP401 s3-policy-blocks-layer-bucket ----

    pp401_fail_app_bucket_only: "testdata/plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only.json"
        => [("PP401", "fail", "aws_vpc_endpoint.s3")], exit 1;
    pp401_fail_app_bucket_only_with_nat: "testdata/plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only-with-nat.json"
        => [("PP401", "fail", "aws_vpc_endpoint.s3")], exit 1;
    pp401_fail_deny_other_resource_accounts: "testdata/plans/s3-policy-blocks-layer-bucket/fail-deny-other-resource-accounts.json"
        => [("PP401", "fail", "aws_vpc_endpoint.s3")], exit 1;
    pp401_fail_allow_conditioned_on_principal_account: "testdata/plans/s3-policy-blocks-layer-bucket/fail-allow-conditioned-on-principal-account.json"
        => [("PP401", "fail", "aws_vpc_endpoint.s3")], exit 1;
    pp401_fail_principal_is_our_account: "testdata/plans/s3-policy-blocks-layer-bucket/fail-principal-is-our-account.json"
        => [("PP401", "fail", "aws_vpc_endpoint.s3")], exit 1;
    pp401_fail_other_region_layer_bucket: "testdata/plans/s3-policy-blocks-layer-bucket/fail-other-region-layer-bucket.json"
        => [("PP401", "fail", "aws_vpc_endpoint.s3")], exit 1;
    /// Issue 18: in GovCloud a policy that allows no AWS-owned bucket fails (it was unknown).
    pp401_fail_app_bucket_only_govcloud: "testdata/plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only-govcloud.json"
        => [("PP401", "fail", "aws_vpc_endpoint.s3")], exit 1;
    /// The outcome depends on the undocumented bucket name: unknown.
    pp401_unknown_guessed_layer_bucket_govcloud: "testdata/plans/s3-policy-blocks-layer-bucket/unknown-guessed-layer-bucket-govcloud.json"
        => [("PP401", "unknown", "aws_vpc_endpoint.s3")], exit 0;
    /// Issue 18: the default policy allows the layer bucket in GovCloud too.
    pp401_pass_default_policy_govcloud: "testdata/plans/s3-policy-blocks-layer-bucket/pass-default-policy-govcloud.json"
        => [], exit 0;
    /// Issue 18: a policy that allows no AWS-owned bucket fails in China too.
    pp401_fail_app_bucket_only_china: "testdata/plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only-china.json"
        => [("PP401", "fail", "aws_vpc_endpoint.s3")], exit 1;
    pp401_pass_default_policy_china: "testdata/plans/s3-policy-blocks-layer-bucket/pass-default-policy-china.json"
        => [], exit 0;
    pp401_pass_wildcard_layer_bucket: "testdata/plans/s3-policy-blocks-layer-bucket/pass-wildcard-layer-bucket.json"
        => [], exit 0;
    pp401_pass_app_bucket_and_layer_bucket: "testdata/plans/s3-policy-blocks-layer-bucket/pass-app-bucket-and-layer-bucket.json"
        => [], exit 0;
    pp401_pass_source_vpce_condition: "testdata/plans/s3-policy-blocks-layer-bucket/pass-source-vpce-condition.json"
        => [], exit 0;
    pp401_unknown_source_vpce_condition: "testdata/plans/s3-policy-blocks-layer-bucket/unknown-source-vpce-condition.json"
        => [("PP401", "unknown", "aws_vpc_endpoint.s3")], exit 0;

    // ---- PP402 ecr-policy-blocks-pull ----

    pp402_fail_deny_only_policy: "testdata/plans/ecr-policy-blocks-pull/fail-deny-only-policy.json"
        => [
            ("PP402", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP402", "fail", "aws_vpc_endpoint.ecr_dkr"),
        ], exit 1;
    pp402_fail_token_not_allowed: "testdata/plans/ecr-policy-blocks-pull/fail-token-not-allowed.json"
        => [("PP402", "fail", "aws_vpc_endpoint.ecr_api")], exit 1;
    pp402_pass_allow_pull_actions: "testdata/plans/ecr-policy-blocks-pull/pass-allow-pull-actions.json"
        => [], exit 0;

    // ---- PP403 logs-policy-blocks-logging ----

    pp403_fail_put_log_events_only: "testdata/plans/logs-policy-blocks-logging/fail-put-log-events-only.json"
        => [("PP403", "fail", "aws_vpc_endpoint.logs")], exit 1;
    pp403_pass_create_stream_and_put_events: "testdata/plans/logs-policy-blocks-logging/pass-create-stream-and-put-events.json"
        => [], exit 0;
    pp403_pass_log_group_arn_update: "testdata/plans/logs-policy-blocks-logging/pass-log-group-arn-update.json"
        => [], exit 0;

    // ---- PP404 execution-role-cannot-pull ----

    pp404_fail_role_without_policies: "testdata/plans/execution-role-cannot-pull/fail-role-without-policies.json"
        => [("PP404", "fail", "aws_iam_role.task_execution")], exit 1;
    pp404_fail_secret_not_allowed: "testdata/plans/execution-role-cannot-pull/fail-secret-not-allowed.json"
        => [("PP404", "fail", "aws_iam_role.task_execution")], exit 1;
    pp404_fail_no_execution_role: "testdata/plans/execution-role-cannot-pull/fail-no-execution-role.json"
        => [("PP404", "fail", "aws_ecs_task_definition.app")], exit 1;
    pp404_pass_managed_policy: "testdata/plans/execution-role-cannot-pull/pass-managed-policy.json"
        => [], exit 0;
    pp404_pass_secret_allowed: "testdata/plans/execution-role-cannot-pull/pass-secret-allowed.json"
        => [], exit 0;
    // AmazonSSMManagedInstanceCore beside the pull policy (as most instance roles have it) is a
    // known AWS managed policy without a Deny: the verdict stays decided.
    pp404_pass_managed_policy_with_ssm_core: "testdata/plans/execution-role-cannot-pull/pass-managed-policy-with-ssm-core.json"
        => [], exit 0;
    /// Issue 18: a secret encrypted with a customer managed key of the input needs
    /// `kms:Decrypt` on that key for the execution role.
    pp404_fail_secret_key_not_allowed: "testdata/plans/execution-role-cannot-pull/fail-secret-key-not-allowed.json"
        => [("PP404", "fail", "aws_iam_role.task_execution")], exit 1;
    pp404_pass_secret_key_allowed: "testdata/plans/execution-role-cannot-pull/pass-secret-key-allowed.json"
        => [], exit 0;
    /// The key policy grants neither the role nor its account: IAM's grant is not enough.
    pp404_fail_key_policy_excludes_role: "testdata/plans/execution-role-cannot-pull/fail-key-policy-excludes-role.json"
        => [("PP404", "fail", "aws_iam_role.task_execution")], exit 1;
    /// The AWS managed key (`alias/aws/secretsmanager`) asks no `kms:Decrypt`.
    pp404_pass_secret_aws_managed_key: "testdata/plans/execution-role-cannot-pull/pass-secret-aws-managed-key.json"
        => [], exit 0;
    /// An SSM SecureString parameter with a customer managed key (`key_id`).
    pp404_fail_parameter_key_not_allowed: "testdata/plans/execution-role-cannot-pull/fail-parameter-key-not-allowed.json"
        => [("PP404", "fail", "aws_iam_role.task_execution")], exit 1;
    pp404_pass_parameter_key_allowed: "testdata/plans/execution-role-cannot-pull/pass-parameter-key-allowed.json"
        => [], exit 0;
    /// Issue 18: `awslogs-create-group = "true"` asks `logs:CreateLogGroup` only for a group
    /// the input does not create.
    pp404_fail_create_group_not_in_input: "testdata/plans/execution-role-cannot-pull/fail-create-group-not-in-input.json"
        => [("PP404", "fail", "aws_iam_role.task_execution")], exit 1;
    pp404_pass_create_group_in_input: "testdata/plans/execution-role-cannot-pull/pass-create-group-in-input.json"
        => [], exit 0;
    pp404_pass_create_group_allowed: "testdata/plans/execution-role-cannot-pull/pass-create-group-allowed.json"
        => [], exit 0;
    /// Issue 18: on EC2 the container instance role pulls; instances of the input without an
    /// instance profile cannot authenticate the pull.
    pp404_fail_ec2_instances_without_instance_profile: "testdata/plans/execution-role-cannot-pull/fail-ec2-instances-without-instance-profile.json"
        => [("PP404", "fail", "aws_autoscaling_group.ecs")], exit 1;
    pp404_pass_ec2_instance_role: "testdata/plans/execution-role-cannot-pull/pass-ec2-instance-role.json"
        => [], exit 0;
    /// Instances of the ECS-optimized Amazon Linux AMI (its public SSM parameter's value is the
    /// launch template's `image_id`): their agent writes the awslogs output with the task
    /// execution role.
    pp404_fail_ec2_optimized_ami_execution_role_without_logs: "testdata/plans/execution-role-cannot-pull/fail-ec2-optimized-ami-execution-role-without-logs.json"
        => [("PP404", "fail", "aws_iam_role.task_execution")], exit 1;
    pp404_pass_ec2_optimized_ami_execution_role_logs: "testdata/plans/execution-role-cannot-pull/pass-ec2-optimized-ami-execution-role-logs.json"
        => [], exit 0;
    pp404_fail_batch_ec2_without_instance_role: "testdata/plans/execution-role-cannot-pull/fail-batch-ec2-without-instance-role.json"
        => [("PP404", "fail", "aws_batch_compute_environment.jobs")], exit 1;
    /// On ECS Managed Instances the task execution role pulls: none, no pull.
    pp404_fail_managed_instances_without_execution_role: "testdata/plans/execution-role-cannot-pull/fail-managed-instances-without-execution-role.json"
        => [("PP404", "fail", "aws_ecs_task_definition.app")], exit 1;

    // ---- PP405 ecr-push-permissions-incomplete (testdata/plans/generate_iam.py) ----

    pp405_fail_partial_layer_upload: "testdata/plans/ecr-push-permissions-incomplete/fail-partial-layer-upload.json"
        => [("PP405", "fail", "aws_iam_role_policy.push")], exit 1;
    pp405_fail_no_token: "testdata/plans/ecr-push-permissions-incomplete/fail-no-token.json"
        => [("PP405", "fail", "aws_iam_role_policy.push")], exit 1;
    pp405_fail_public_without_sts: "testdata/plans/ecr-push-permissions-incomplete/fail-public-without-sts.json"
        => [("PP405", "fail", "aws_iam_user_policy.publish")], exit 1;
    pp405_fail_repository_policy_denies: "testdata/plans/ecr-push-permissions-incomplete/fail-repository-policy-denies.json"
        => [("PP405", "fail", "aws_iam_role_policy.push")], exit 1;
    pp405_unknown_customer_managed: "testdata/plans/ecr-push-permissions-incomplete/unknown-customer-managed.json"
        => [("PP405", "unknown", "aws_iam_role_policy.push")], exit 0;
    pp405_pass_private_complete: "testdata/plans/ecr-push-permissions-incomplete/pass-private-complete.json"
        => [], exit 0;
    pp405_pass_public_complete: "testdata/plans/ecr-push-permissions-incomplete/pass-public-complete.json"
        => [], exit 0;
    pp405_pass_power_user_attached: "testdata/plans/ecr-push-permissions-incomplete/pass-power-user-attached.json"
        => [], exit 0;
    pp405_pass_through_group: "testdata/plans/ecr-push-permissions-incomplete/pass-through-group.json"
        => [], exit 0;
    /// `ecr:PutImage` with `ecr:BatchGetImage` retags through the API: not a push policy.
    pp405_pass_putimage_retag: "testdata/plans/ecr-push-permissions-incomplete/pass-putimage-retag.json"
        => [], exit 0;

    // ---- PP406 ecr-public-private-prefix-mixup ----

    pp406_fail_ecr_actions_on_public: "testdata/plans/ecr-public-private-prefix-mixup/fail-ecr-actions-on-public.json"
        => [("PP406", "fail", "aws_iam_role_policy.publish")], exit 1;
    pp406_fail_public_actions_on_private: "testdata/plans/ecr-public-private-prefix-mixup/fail-public-actions-on-private.json"
        => [("PP406", "fail", "aws_iam_role_policy.push")], exit 1;
    pp406_fail_repository_policy_prefix: "testdata/plans/ecr-public-private-prefix-mixup/fail-repository-policy-prefix.json"
        => [("PP406", "fail", "aws_ecr_repository_policy.app")], exit 1;
    pp406_pass_prefixes_match: "testdata/plans/ecr-public-private-prefix-mixup/pass-prefixes-match.json"
        => [], exit 0;

    // ---- PP407 cross-account-image-not-allowed ----

    pp407_fail_repository_policy_grants_another_account: "testdata/plans/cross-account-image-not-allowed/fail-repository-policy-grants-another-account.json"
        => [("PP407", "fail", "aws_ecr_repository_policy.shared")], exit 1;
    pp407_unknown_repository_policy_not_in_input: "testdata/plans/cross-account-image-not-allowed/unknown-repository-policy-not-in-input.json"
        => [("PP407", "unknown", "aws_ecs_task_definition.app")], exit 0;
    /// Ecosystem row 32: a literal account the input never states to be its own.
    pp407_unknown_account_not_stated: "testdata/plans/cross-account-image-not-allowed/unknown-account-not-stated.json"
        => [("PP407", "unknown", "aws_ecs_task_definition.app")], exit 0;
    pp407_pass_repository_policy_allows_the_role: "testdata/plans/cross-account-image-not-allowed/pass-repository-policy-allows-the-role.json"
        => [], exit 0;

    // ---- PP408 ecr-repository-policy-blocks-pull ----

    pp408_fail_deny_other_endpoint: "testdata/plans/ecr-repository-policy-blocks-pull/fail-deny-other-endpoint.json"
        => [("PP408", "fail", "aws_ecr_repository_policy.app")], exit 1;
    pp408_pass_deny_admits_the_endpoint: "testdata/plans/ecr-repository-policy-blocks-pull/pass-deny-admits-the-endpoint.json"
        => [], exit 0;

    // ---- PP409 endpoint-policy-rejected ----

    pp409_fail_wildcard_on_source_vpc: "testdata/plans/endpoint-policy-rejected/fail-wildcard-on-source-vpc.json"
        => [("PP401", "unknown", "aws_vpc_endpoint.s3"), ("PP409", "fail", "aws_vpc_endpoint.s3")], exit 1;
    pp409_fail_policy_over_size_limit: "testdata/plans/endpoint-policy-rejected/fail-policy-over-size-limit.json"
        => [("PP409", "fail", "aws_vpc_endpoint.s3")], exit 1;
    pp409_pass_long_prefix_wildcard: "testdata/plans/endpoint-policy-rejected/pass-long-prefix-wildcard.json"
        => [], exit 0;

    // ---- PP501 endpoint-sg-blocks-https ----

    pp501_fail_http_only: "testdata/plans/endpoint-sg-blocks-https/fail-http-only.json"
        => [
            ("PP501", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP501", "fail", "aws_vpc_endpoint.ecr_dkr"),
            ("PP501", "fail", "aws_vpc_endpoint.logs"),
        ], exit 1;
    pp501_fail_default_security_group: "testdata/plans/endpoint-sg-blocks-https/fail-default-security-group.json"
        => [
            ("PP501", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP501", "fail", "aws_vpc_endpoint.ecr_dkr"),
            ("PP501", "fail", "aws_vpc_endpoint.logs"),
        ], exit 1;
    pp501_fail_managed_default_sg_without_rules: "testdata/plans/endpoint-sg-blocks-https/fail-managed-default-sg-without-rules.json"
        => [
            ("PP501", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP501", "fail", "aws_vpc_endpoint.ecr_dkr"),
            ("PP501", "fail", "aws_vpc_endpoint.logs"),
            ("PP502", "fail", "aws_default_security_group.default"),
        ], exit 1;
    pp501_pass_https_from_workload_sg: "testdata/plans/endpoint-sg-blocks-https/pass-https-from-workload-sg.json"
        => [], exit 0;
    pp501_pass_https_from_vpc_cidr: "testdata/plans/endpoint-sg-blocks-https/pass-https-from-vpc-cidr.json"
        => [], exit 0;
    /// Issue 16: one rule whose blocks together hold the workload subnets.
    pp501_pass_https_from_each_subnet: "testdata/plans/endpoint-sg-blocks-https/pass-https-from-each-subnet.json"
        => [], exit 0;
    pp501_pass_port_range_security_group_rule: "testdata/plans/endpoint-sg-blocks-https/pass-port-range-security-group-rule.json"
        => [], exit 0;
    pp501_pass_default_security_group_shared: "testdata/plans/endpoint-sg-blocks-https/pass-default-security-group-shared.json"
        => [], exit 0;

    // ---- PP502 workload-sg-blocks-https ----

    pp502_fail_no_egress: "testdata/plans/workload-sg-blocks-https/fail-no-egress.json"
        => [("PP502", "fail", "aws_security_group.app")], exit 1;
    pp502_fail_egress_vpc_cidr_only: "testdata/plans/workload-sg-blocks-https/fail-egress-vpc-cidr-only.json"
        => [("PP502", "fail", "aws_security_group.app")], exit 1;
    pp502_pass_s3_prefix_list: "testdata/plans/workload-sg-blocks-https/pass-s3-prefix-list.json"
        => [], exit 0;
    pp502_pass_egress_all: "testdata/plans/workload-sg-blocks-https/pass-egress-all.json"
        => [], exit 0;
    /// Issue 18: on ECS on EC2 the container instances' group is judged, not the task's.
    pp502_fail_ecs_ec2_instance_sg: "testdata/plans/workload-sg-blocks-https/fail-ecs-ec2-instance-sg.json"
        => [("PP502", "fail", "aws_security_group.instances")], exit 1;
    pp502_pass_ecs_ec2_task_sg_no_egress: "testdata/plans/workload-sg-blocks-https/pass-ecs-ec2-task-sg-no-egress.json"
        => [], exit 0;

    // ---- PP503 nacl-blocks-https ----

    pp503_fail_no_ephemeral_replies: "testdata/plans/nacl-blocks-https/fail-no-ephemeral-replies.json"
        => [("PP503", "fail", "aws_network_acl.private")], exit 1;
    pp503_fail_deny_before_allow: "testdata/plans/nacl-blocks-https/fail-deny-before-allow.json"
        => [("PP503", "fail", "aws_network_acl.private")], exit 1;
    pp503_fail_default_acl_without_rules: "testdata/plans/nacl-blocks-https/fail-default-acl-without-rules.json"
        => [("PP503", "fail", "aws_default_network_acl.default")], exit 1;
    pp503_pass_stateless_rules_both_ways: "testdata/plans/nacl-blocks-https/pass-stateless-rules-both-ways.json"
        => [], exit 0;
    pp503_pass_default_acl_allow_all: "testdata/plans/nacl-blocks-https/pass-default-acl-allow-all.json"
        => [], exit 0;

    // ---- PP601 image-unreachable ----

    pp601_fail_docker_hub: "testdata/plans/image-unreachable/fail-docker-hub.json"
        => [("PP601", "fail", "aws_ecs_task_definition.app")], exit 1;
    /// Ecosystem row 35: `task_definition = "${X.family}:${X.revision}"` refers to one task
    /// definition (the plan's references say which).
    pp601_fail_docker_hub_family_revision: "testdata/plans/image-unreachable/fail-docker-hub-family-revision.json"
        => [("PP601", "fail", "aws_ecs_task_definition.app")], exit 1;
    pp601_fail_ecr_public: "testdata/plans/image-unreachable/fail-ecr-public.json"
        => [("PP601", "fail", "aws_ecs_task_definition.app")], exit 1;
    pp601_fail_other_registry: "testdata/plans/image-unreachable/fail-other-registry.json"
        => [("PP601", "fail", "aws_ecs_task_definition.app")], exit 1;
    pp601_pass_docker_hub_with_nat: "testdata/plans/image-unreachable/pass-docker-hub-with-nat.json"
        => [], exit 0;
    /// Issue 18: the dual-stack host of private ECR is not served by PrivateLink.
    pp601_fail_ecr_dual_stack_host: "testdata/plans/image-unreachable/fail-ecr-dual-stack-host.json"
        => [("PP601", "fail", "aws_ecs_task_definition.app")], exit 1;
    /// Issue 18: the dual-stack host over a NAT gateway.
    pp601_pass_ecr_dual_stack_host_with_nat: "testdata/plans/image-unreachable/pass-ecr-dual-stack-host-with-nat.json"
        => [], exit 0;
    pp601_pass_private_ecr: "testdata/plans/image-unreachable/pass-private-ecr.json" => [], exit 0;
    /// Issue 16: an image known only after apply (an ECR Public repository this plan creates)
    /// was no finding at all; it is unknown, and so are the secrets it may read.
    pp601_unknown_image_known_after_apply: "testdata/plans/image-unreachable/unknown-image-known-after-apply.json"
        => [("PP105", "unknown", "aws_vpc.main"), ("PP404", "unknown", "aws_iam_role.task_execution"), ("PP601", "unknown", "aws_ecs_task_definition.app")], exit 0;
    /// The plan records that `container_definitions` refers to an ECR repository's URL, not
    /// which image it is: unknown (its HCL twin reads the expression: no finding).
    pp601_unknown_ecr_repository_url_in_plan: "testdata/plans/image-unreachable/pass-ecr-repository-url.json"
        => [("PP105", "unknown", "aws_vpc.main"), ("PP404", "unknown", "aws_iam_role.task_execution"), ("PP601", "unknown", "aws_ecs_task_definition.app")], exit 0;

    // ---- PP602 pull-through-cache-first-pull (a warning) ----

    pp602_fail_cache_prefix_without_internet: "testdata/plans/pull-through-cache-first-pull/fail-cache-prefix-without-internet.json"
        => [("PP602", "fail", "aws_ecs_task_definition.app")], exit 0;
    pp602_pass_cache_prefix_with_nat: "testdata/plans/pull-through-cache-first-pull/pass-cache-prefix-with-nat.json"
        => [], exit 0;

    // ---- PP901 workload-network-unresolved (a warning) ----

    pp901_fail_subnets_through_local: "testdata/plans/workload-network-unresolved/fail-subnets-through-local.json"
        => [("PP901", "fail", "aws_ecs_service.app")], exit 0;
    pp901_fail_subnets_not_in_input: "testdata/plans/workload-network-unresolved/fail-subnets-not-in-input.json"
        => [
            ("PP101", "unknown", "vpc-0c6f3e9b2a1d47f58"),
            ("PP102", "unknown", "vpc-0c6f3e9b2a1d47f58"),
            ("PP103", "unknown", "vpc-0c6f3e9b2a1d47f58"),
            ("PP104", "unknown", "vpc-0c6f3e9b2a1d47f58"),
            ("PP901", "fail", "aws_ecs_service.app"),
        ], exit 0;
    pp901_pass_subnets_known: "testdata/plans/workload-network-unresolved/pass-subnets-known.json"
        => [], exit 0;
    /// Issue 18: ECS on EC2 whose container instances are not in the input: their network is
    /// unknown, never the task's.
    pp901_fail_ecs_ec2_instances_not_in_input: "testdata/plans/workload-network-unresolved/fail-ecs-ec2-instances-not-in-input.json"
        => [
            ("PP106", "unknown", "aws_vpc.main"),
            ("PP501", "unknown", "aws_vpc_endpoint.ecr_api"),
            ("PP501", "unknown", "aws_vpc_endpoint.ecr_dkr"),
            ("PP501", "unknown", "aws_vpc_endpoint.logs"),
            ("PP502", "unknown", "aws_ecs_service.app"),
            ("PP901", "fail", "aws_ecs_service.app"),
        ], exit 0;

    // ---- modules ----

    modules_pass_vpc_and_endpoint_modules: "testdata/plans/modules/pass-vpc-and-endpoint-modules.json"
        => [], exit 0;
    /// The interface endpoints' policies are unknown in the plan (the module passes `null`,
    /// which AWS replaces with its default after apply) and their security groups are new and
    /// set through `local.security_group_ids`: those checks are honestly unknown.
    modules_fail_registry_endpoints_module_app_bucket_policy: "testdata/plans/modules/fail-registry-endpoints-module-app-bucket-policy.json"
        => [
            ("PP401", "fail", "module.vpc_endpoints.aws_vpc_endpoint.this[\"s3\"]"),
            ("PP402", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"ecr_api\"]"),
            ("PP402", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"ecr_dkr\"]"),
            ("PP403", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"logs\"]"),
            ("PP501", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"ecr_api\"]"),
            ("PP501", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"ecr_dkr\"]"),
            ("PP501", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"logs\"]"),
        ], exit 1;
    /// The S3 gateway endpoint's route tables go through `local.endpoints`, which the plan does
    /// not record; its policy allows only an application bucket and there is no NAT: associated,
    /// PP401; not, PP301. The pull breaks whichever way the association goes: a failure.
    modules_unknown_registry_endpoints_module_create: "testdata/plans/modules/unknown-registry-endpoints-module-create.json"
        => [
            ("PP109", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"ecr_api\"]"),
            ("PP109", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"ecr_dkr\"]"),
            ("PP109", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"logs\"]"),
            ("PP301", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"s3\"]"),
            ("PP401", "fail", "module.vpc_endpoints.aws_vpc_endpoint.this[\"s3\"]"),
            ("PP402", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"ecr_api\"]"),
            ("PP402", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"ecr_dkr\"]"),
            ("PP403", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"logs\"]"),
            ("PP501", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"ecr_api\"]"),
            ("PP501", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"ecr_dkr\"]"),
            ("PP501", "unknown", "module.vpc_endpoints.aws_vpc_endpoint.this[\"logs\"]"),
        ], exit 1;

    // ---- options ----

    /// `--mode strict`: the NAT fallback does not count; the missing interface endpoints fail.
    option_mode_strict: "testdata/plans/ecr-dkr-endpoint-missing/pass-nat-without-endpoints.json" ["--mode", "strict"]
        => [
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP104", "fail", "aws_vpc.main"),
        ], exit 1;
    option_mode_reachability: "testdata/plans/ecr-dkr-endpoint-missing/pass-nat-without-endpoints.json" ["--mode", "reachability"]
        => [], exit 0;
    /// `--mode strict` does not relax PP401 (it applies in both modes).
    option_mode_strict_pp401_with_nat: "testdata/plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only-with-nat.json" ["--mode", "strict"]
        => [
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP104", "fail", "aws_vpc.main"),
            ("PP401", "fail", "aws_vpc_endpoint.s3"),
        ], exit 1;
    /// `--mode strict` asks for the full endpoint set (PP101–PP106) in every workload VPC, the
    /// image-pull endpoints even where the images are all outside ECR; PP601 is "no internet
    /// route" in both modes, so a Docker Hub image pulled through NAT is not PP601 (DESIGN).
    option_mode_strict_pp601_with_nat: "testdata/plans/image-unreachable/pass-docker-hub-with-nat.json" ["--mode", "strict"]
        => [
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP104", "fail", "aws_vpc.main"),
        ], exit 1;
    /// `--unknown warn` (the default): a warning, exit 0.
    option_unknown_warn: "testdata/plans/s3-policy-blocks-layer-bucket/unknown-source-vpce-condition.json" ["--unknown", "warn"]
        => [("PP401", "unknown", "aws_vpc_endpoint.s3")], exit 0;
    /// `--unknown fail`: an error, exit 1.
    option_unknown_fail: "testdata/plans/s3-policy-blocks-layer-bucket/unknown-source-vpce-condition.json" ["--unknown", "fail"]
        => [("PP401", "unknown", "aws_vpc_endpoint.s3")], exit 1;
    /// `--unknown ignore`: dropped.
    option_unknown_ignore: "testdata/plans/s3-policy-blocks-layer-bucket/unknown-source-vpce-condition.json" ["--unknown", "ignore"]
        => [], exit 0;
    /// `--fail-on warning` makes PP109's warnings fail the run.
    option_fail_on_warning: "testdata/plans/endpoint-az-coverage/fail-endpoints-in-one-az.json" ["--fail-on", "warning"]
        => [
            ("PP109", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP109", "fail", "aws_vpc_endpoint.ecr_dkr"),
            ("PP109", "fail", "aws_vpc_endpoint.logs"),
        ], exit 1;
    /// `--fail-on note` makes PP110's note fail the run; `--fail-on warning` does not.
    option_fail_on_note: "testdata/plans/s3-gateway-would-save-nat/fail-nat-without-s3-gateway.json" ["--fail-on", "note"]
        => [("PP110", "fail", "aws_vpc.main")], exit 1;
    option_fail_on_warning_with_note: "testdata/plans/s3-gateway-would-save-nat/fail-nat-without-s3-gateway.json" ["--fail-on", "warning"]
        => [("PP110", "fail", "aws_vpc.main")], exit 0;
    /// `--fail-on never`: findings, exit 0.
    option_fail_on_never: "testdata/plans/options/several-findings.json" ["--fail-on", "never"]
        => [
            ("PP101", "fail", "aws_vpc.main"),
            ("PP109", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP109", "fail", "aws_vpc_endpoint.logs"),
            ("PP502", "fail", "aws_security_group.app"),
        ], exit 0;
    /// A VPC with no workload is not checked.
    option_no_workload: "testdata/plans/options/vpc-without-workload.json" => [], exit 0;
    /// `--workload aws_vpc.main=fargate` declares one.
    option_workload_fargate: "testdata/plans/options/vpc-without-workload.json" ["--workload", "aws_vpc.main=fargate"]
        => [
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP104", "unknown", "aws_vpc.main"),
            ("PP105", "unknown", "aws_vpc.main"),
            ("PP502", "unknown", "--workload aws_vpc.main=fargate"),
        ], exit 1;
    /// `--workload '*=fargate-1.3'`: a deprecated alias of `fargate` (1.3.0 is retired, DOMAIN.md
    /// §2): checked as Fargate, ecr.api included (it used to need none); a warning on stderr
    /// (`fargate_1_3_alias_warns` below).
    option_workload_any_vpc_fargate_1_3: "testdata/plans/options/vpc-without-workload.json" ["--workload", "*=fargate-1.3"]
        => [
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP104", "unknown", "aws_vpc.main"),
            ("PP105", "unknown", "aws_vpc.main"),
            ("PP502", "unknown", "--workload aws_vpc.main=fargate"),
        ], exit 1;
    /// `--workload aws_vpc.main=batch-ec2`: the ECS agent endpoints too, and logs (Batch jobs
    /// log with awslogs by default). expected-to-change (message): PP102 says "runs on AWS Batch
    /// on EC2 (platform version LATEST)"; platform versions exist only on Fargate.
    option_workload_batch_ec2: "testdata/plans/options/vpc-without-workload.json" ["--workload", "aws_vpc.main=batch-ec2"]
        => [
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP104", "fail", "aws_vpc.main"),
            ("PP105", "unknown", "aws_vpc.main"),
            ("PP106", "fail", "aws_vpc.main"),
            ("PP502", "unknown", "--workload aws_vpc.main=batch-ec2"),
        ], exit 1;
    /// `--workload aws_vpc.main=ecs-managed-instances` (issue 18): EC2 hosts that need the ECS
    /// agent endpoints too.
    option_workload_ecs_managed_instances: "testdata/plans/options/vpc-without-workload.json" ["--workload", "aws_vpc.main=ecs-managed-instances"]
        => [
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP104", "unknown", "aws_vpc.main"),
            ("PP105", "unknown", "aws_vpc.main"),
            ("PP106", "fail", "aws_vpc.main"),
            ("PP502", "unknown", "--workload aws_vpc.main=ecs-managed-instances"),
        ], exit 1;
    option_select_code: "testdata/plans/options/several-findings.json" ["--select", "PP101"]
        => [("PP101", "fail", "aws_vpc.main")], exit 1;
    option_select_names: "testdata/plans/options/several-findings.json" ["--select", "endpoint-az-coverage,workload-sg-blocks-https"]
        => [
            ("PP109", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP109", "fail", "aws_vpc_endpoint.logs"),
            ("PP502", "fail", "aws_security_group.app"),
        ], exit 1;
    option_ignore: "testdata/plans/options/several-findings.json" ["--ignore", "PP101,PP502"]
        => [
            ("PP109", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP109", "fail", "aws_vpc_endpoint.logs"),
        ], exit 0;

    // ---- prior state ----

    /// PP101 is new (the plan deletes ecr.dkr); PP109 was already there.
    prior_state_delete_ecr_dkr_endpoint: "testdata/plans/prior-state/delete-ecr-dkr-endpoint.json"
        => [
            ("PP101", "fail", "aws_vpc.main"),
            ("PP109", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP109", "fail", "aws_vpc_endpoint.logs"),
        ], exit 1;
    /// `--fail-on-new-only`: the old warnings do not count, the new error does.
    prior_state_fail_on_new_only: "testdata/plans/prior-state/delete-ecr-dkr-endpoint.json" ["--fail-on", "warning", "--fail-on-new-only", "--select", "PP109"]
        => [
            ("PP109", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP109", "fail", "aws_vpc_endpoint.logs"),
        ], exit 0;
    prior_state_fail_on_new_only_new_error: "testdata/plans/prior-state/delete-ecr-dkr-endpoint.json" ["--fail-on", "warning", "--fail-on-new-only"]
        => [
            ("PP101", "fail", "aws_vpc.main"),
            ("PP109", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP109", "fail", "aws_vpc_endpoint.logs"),
        ], exit 1;
}

/// `--workload VPC=fargate-1.3` still works (same exit code as `fargate`), with a warning on
/// stderr that says why: platform 1.3.0 is retired.
#[test]
fn fargate_1_3_alias_warns() {
    let fixture = "testdata/plans/options/vpc-without-workload.json";
    let (alias, err, code) =
        pullpath(&[fixture, "--format", "json", "--workload", "*=fargate-1.3"]);
    let (plain, plain_err, plain_code) =
        pullpath(&[fixture, "--format", "json", "--workload", "*=fargate"]);
    assert_eq!(code, plain_code);
    assert_eq!(alias.replace("fargate-1.3", "fargate"), plain);
    assert!(
        err.contains("warning")
            && err.contains("deprecated alias of `fargate`")
            && err.contains("retired"),
        "{err}"
    );
    assert!(!plain_err.contains("warning"), "{plain_err}");
}

/// `introduced`: true for what the plan brings, false for what the prior state already had.
#[test]
fn introduced_follows_the_prior_state() {
    let (v, out, _) = json_report(
        "testdata/plans/prior-state/delete-ecr-dkr-endpoint.json",
        &[],
    );
    let got: Vec<(String, String, Value)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
                f["introduced"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("PP101".into(), "aws_vpc.main".into(), Value::Bool(true)),
            (
                "PP109".into(),
                "aws_vpc_endpoint.ecr_api".into(),
                Value::Bool(false)
            ),
            (
                "PP109".into(),
                "aws_vpc_endpoint.logs".into(),
                Value::Bool(false)
            ),
        ],
        "{out}"
    );
    // The seed incident: the policy change is what breaks the pull.
    let (v, out, _) = json_report("testdata/examples/seed-incident.json", &[]);
    assert_eq!(v["findings"][0]["introduced"], Value::Bool(true), "{out}");
    // An update plan that changes nothing the finding depends on: not introduced.
    let (v, out, _) = json_report(
        "testdata/plans/workload-network-unresolved/fail-subnets-not-in-input.json",
        &[],
    );
    for f in v["findings"].as_array().unwrap() {
        assert_eq!(f["introduced"], Value::Bool(false), "{out}");
    }
}

/// The README's first command: the seed incident shows PP401 and the corrected policy, which
/// allows the region's layer bucket for Principal "*".
#[test]
fn seed_incident_shows_the_corrected_policy() {
    let (v, out, code) = json_report("testdata/examples/seed-incident.json", &[]);
    assert_eq!(code, 1);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "PP401", "{out}");
    let fix = f["fix"].as_str().unwrap();
    let start = fix.find("jsonencode(").expect("a policy in the fix") + "jsonencode(".len();
    let end = fix.rfind(')').unwrap();
    let policy: Value = serde_json::from_str(&fix[start..end]).expect("the fix's policy is JSON");
    let statements = policy["Statement"].as_array().unwrap();
    assert!(
        statements.iter().any(|s| s["Effect"] == "Allow"
            && s["Principal"] == "*"
            && s["Resource"] == "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*"),
        "{fix}"
    );
    // The application's statement is kept.
    assert!(
        statements.iter().any(|s| s["Sid"] == "AppBucketOnly"),
        "{fix}"
    );
}

/// Every fixture file is run by some case (a new fixture cannot go untested).
#[test]
fn every_fixture_has_a_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let known: BTreeSet<&str> = FIXTURES.iter().copied().collect();
    let mut missing = Vec::new();
    for dir in ["testdata/plans", "testdata/examples"] {
        for entry in walk(&root.join(dir)) {
            let rel = entry
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel.ends_with(".json") && !known.contains(rel.as_str()) {
                missing.push(rel);
            }
        }
    }
    assert!(missing.is_empty(), "fixtures without a case: {missing:#?}");
}

/// Every rule of the catalog (but PP902, about suppressions) has a failing and a passing
/// fixture in `testdata/plans/<rule-name>/`.
#[test]
fn every_rule_has_failing_and_passing_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/plans");
    for rule in pullpath::rules::ALL {
        if rule.code == "PP902" {
            continue;
        }
        let dir = root.join(rule.name);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{} {}: {}: {e}", rule.code, rule.name, dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        for prefix in ["fail-", "pass-"] {
            assert!(
                names
                    .iter()
                    .any(|n| n.starts_with(prefix) && n.ends_with(".json")),
                "{} {}: no {prefix}*.json in {}",
                rule.code,
                rule.name,
                dir.display()
            );
        }
        // Each failing fixture of the rule's own directory fails that rule.
        for n in names.iter().filter(|n| n.starts_with("fail-")) {
            let fixture = format!("testdata/plans/{}/{n}", rule.name);
            let (v, out, _) = json_report(&fixture, &[]);
            assert!(
                v["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["rule"] == rule.code && f["verdict"] == "fail"),
                "{fixture} does not fail {}\n{out}",
                rule.code
            );
        }
    }
}

/// Every `snapshots/rules/*.snap` belongs to a case whose snapshots are checked, and every such
/// case has both snapshots (no stale or orphan snapshot is left behind).
#[test]
fn snapshots_match_the_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/rules");
    let mut files = BTreeSet::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(case) = name
            .strip_suffix("__text.snap")
            .or_else(|| name.strip_suffix("__json.snap"))
        {
            files.insert((case.to_string(), name.clone()));
            continue;
        }
        assert!(
            name.ends_with(".snap.new"),
            "unexpected snapshot file {name}"
        );
    }
    for (case, file) in &files {
        match CASES.iter().find(|(c, _)| c == case) {
            None => panic!("{file}: no case {case}"),
            Some((_, false)) => panic!("{file}: the case {case} is a known bug; its snapshots are not checked, remove them"),
            Some(_) => {}
        }
    }
    for (case, checked) in CASES {
        if *checked {
            for kind in ["text", "json"] {
                let f = format!("{case}__{kind}.snap");
                assert!(dir.join(&f).is_file(), "missing snapshot {f}");
            }
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}
