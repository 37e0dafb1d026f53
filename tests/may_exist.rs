//! Resources whose `count` / `for_each` the input does not decide (issue 16, items 1 and 7):
//! the fixtures of `testdata/hcl/may-exist/` (each a copy of `testdata/hcl/flat`, the complete
//! private-Fargate configuration, with one undecided block added).
//!
//! Each case runs the binary from the repository root on one fixture and checks the exact
//! (rule, verdict, resource) list of the JSON report, the exit code, that the undecided block
//! is counted and named in every format, and the text report as an insta snapshot in
//! `snapshots/may_exist/<case>.snap`. Before issue 16 each undecided block was dropped: the
//! endpoint policy case passed, the endpoint and NAT cases failed on a missing endpoint that may
//! exist or may not be needed, and the workload case said "no workload found".
//! Update snapshots with `INSTA_UPDATE=always cargo test --test may_exist`, then read them.

use std::process::Command;

use serde_json::Value;

/// (rule, verdict, resource)
type Expected = &'static [(&'static str, &'static str, &'static str)];

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

fn json(fixture: &str, opts: &[&str]) -> (Value, i32) {
    let mut args = vec![fixture, "--format", "json"];
    args.extend_from_slice(opts);
    let (out, err, code) = pullpath(&args);
    let v: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("{fixture}: not JSON ({e}); stderr: {err}\n{out}"));
    (v, code)
}

fn findings(v: &Value) -> Vec<(String, String, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("verdict"), s("resource"))
        })
        .collect()
}

fn expected(e: Expected) -> Vec<(String, String, String)> {
    e.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

/// The case's findings, exit code and VPC verdict; the undecided block counted and named in
/// every format; `--unknown fail` failing the run whenever a verdict is unknown.
fn check(fixture: &str, want: Expected, exit: i32, vpc_verdict: &str, may_exist: &str) {
    let (v, code) = json(fixture, &[]);
    assert_eq!(findings(&v), expected(want), "{fixture}: findings");
    assert_eq!(code, exit, "{fixture}: exit code");
    assert_eq!(
        v["vpcs"][0]["verdict"], vpc_verdict,
        "{fixture}: VPC verdict"
    );
    assert_eq!(v["summary"]["not_expanded"], 1, "{fixture}: summary");
    assert_eq!(v["not_expanded"][0]["resource"], may_exist, "{fixture}");
    assert!(
        v["not_expanded"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("not known before apply")),
        "{fixture}: the reason: {v}"
    );
    assert!(
        v["input_notes"]
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n["message"]
                .as_str()
                .unwrap_or_default()
                .contains(may_exist))),
        "{fixture}: the note: {v}"
    );

    let unknown = want.iter().any(|(_, verdict, _)| *verdict == "unknown");
    let (_, _, code) = pullpath(&[fixture, "--unknown", "fail"]);
    assert_eq!(
        code,
        if unknown { 1 } else { exit },
        "{fixture}: --unknown fail"
    );

    // Every format counts the block and names it (with the reason where the format has room).
    for format in ["text", "markdown", "sarif", "github", "junit"] {
        let (out, err, _) = pullpath(&[fixture, "--format", format, "--color", "never"]);
        assert!(
            out.contains("1 resource could not be expanded")
                || out.contains("could not be expanded"),
            "{fixture}: --format {format} does not count it: {err}\n{out}"
        );
        let named = if format == "markdown" {
            may_exist.replace('*', "\\*")
        } else {
            may_exist.to_string()
        };
        assert!(
            out.contains(&named),
            "{fixture}: --format {format} does not name {may_exist}\n{out}"
        );
        if format != "text" {
            assert!(
                out.contains("not known before apply"),
                "{fixture}: --format {format} does not give the reason\n{out}"
            );
        }
    }
    let (sarif, _, _) = pullpath(&[fixture, "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert!(
        notes
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n["message"]["text"]
                .as_str()
                .unwrap_or_default()
                .contains(may_exist))),
        "{fixture}: SARIF notifications: {notes}"
    );
}

fn snapshot(case: &str, fixture: &str) {
    let (text, _, _) = pullpath(&[fixture, "--color", "never"]);
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots/may_exist");
    s.set_prepend_module_to_snapshot(false);
    s.set_info(&serde_json::json!({ "fixture": fixture }));
    s.bind(|| insta::assert_snapshot!(case, text));
}

/// (a) A restrictive endpoint policy that may exist: PP401 is unknown, not a pass (the policy
/// was dropped) and not a failure (it may not exist).
#[test]
fn endpoint_policy_count_from_unset_bool() {
    let f = "testdata/hcl/may-exist/policy-count-var";
    check(
        f,
        &[("PP401", "unknown", "aws_vpc_endpoint.s3")],
        0,
        "unknown",
        "aws_vpc_endpoint_policy.s3[*]",
    );
    snapshot("policy_count_var", f);
}

/// Decided once the variable is given: with the policy PP401 fails, without it it passes.
#[test]
fn endpoint_policy_decided_by_the_variable() {
    let f = "testdata/hcl/may-exist/policy-count-var";
    let (v, code) = json(f, &["--var", "restrict=true"]);
    assert_eq!(
        findings(&v),
        expected(&[("PP401", "fail", "aws_vpc_endpoint.s3")])
    );
    assert_eq!(code, 1);
    assert_eq!(v["summary"].get("not_expanded"), None);
    let (v, code) = json(f, &["--var", "restrict=false"]);
    assert_eq!(findings(&v), expected(&[]));
    assert_eq!(code, 0);
}

/// An S3 endpoint that allows only the application's bucket, on the route table only if an
/// unset variable says so, and no NAT: associated, PP401 fails; not, PP301 fails. The pull
/// breaks whichever way the variable goes, so the run fails (issue 17, item 3) on PP401, whose
/// message says so; PP301 alone stays unknown.
#[test]
fn pull_broken_whichever_way_the_association_goes() {
    let f = "testdata/hcl/may-exist/s3-association-count-var";
    check(
        f,
        &[
            ("PP301", "unknown", "aws_vpc_endpoint.s3"),
            ("PP401", "fail", "aws_vpc_endpoint.s3"),
        ],
        1,
        "fail",
        "aws_vpc_endpoint_route_table_association.s3[*]",
    );
    snapshot("s3_association_count_var", f);
}

/// A policy that may exist but lets the layer bucket through as well: PP401 passes whichever
/// way its existence goes (decided), and the block is still counted.
#[test]
fn harmless_policy_that_may_exist_is_decided() {
    check(
        "testdata/hcl/may-exist/policy-count-var-harmless",
        &[],
        0,
        "pass",
        "aws_vpc_endpoint_policy.s3[*]",
    );
}

/// (b) The ecr.dkr endpoint may exist (its `count` comes from a data source): PP101 is unknown.
#[test]
fn interface_endpoint_count_from_data_source() {
    let f = "testdata/hcl/may-exist/endpoint-count-data";
    check(
        f,
        &[("PP101", "unknown", "aws_vpc.main")],
        0,
        "unknown",
        "aws_vpc_endpoint.ecr_dkr[*]",
    );
    snapshot("endpoint_count_data", f);
}

/// (c) The only workload is a service whose `for_each` map has a key that is not known: it is
/// listed as a workload that may exist and checked, its failure unknown; never "no workload
/// found".
#[test]
fn workload_for_each_with_unknown_key() {
    let f = "testdata/hcl/may-exist/workload-for-each-unknown-key";
    check(
        f,
        &[("PP101", "unknown", "aws_vpc.main")],
        0,
        "unknown",
        "aws_ecs_service.app[*]",
    );
    let (v, _) = json(f, &[]);
    let w = &v["vpcs"][0]["workloads"][0];
    assert_eq!(w["resource"], "aws_ecs_service.app[*]");
    assert!(w["may_exist"]
        .as_str()
        .is_some_and(|r| r.contains("worker_name")));
    let (text, _, _) = pullpath(&[f, "--color", "never"]);
    assert!(!text.contains("no workload found"), "{text}");
    assert!(
        text.contains("aws_ecs_service.app[*] (fargate, may exist)"),
        "{text}"
    );
    snapshot("workload_for_each_unknown_key", f);
}

/// (d) A module with a NAT gateway and the private subnets' default route, whose `count` is
/// not decided: the internet route is not decided, and so are the endpoint checks it waives.
/// The tasks' group admits 443 only to the VPC and S3's prefix list: with the NAT, the public
/// ECR endpoints are blocked (PP502); without it, ecr.dkr is missing (PP101). Whichever way,
/// the pull breaks: PP502 fails (S3's list holds no ECR address; it was unknown).
#[test]
fn nat_module_with_undecided_count() {
    let f = "testdata/hcl/may-exist/nat-module-count";
    check(
        f,
        &[
            ("PP101", "unknown", "aws_vpc.main"),
            ("PP502", "fail", "aws_security_group.tasks"),
        ],
        1,
        "fail",
        "module.nat[*]",
    );
    let (v, _) = json(f, &[]);
    assert_eq!(v["vpcs"][0]["internet_route"], Value::Null);
    snapshot("nat_module_count", f);
}

/// The resources of a module instance that may exist carry the call's reason, with `[*]` on
/// the module step.
#[test]
fn module_resources_carry_the_call_reason() {
    let (v, _) = json("testdata/hcl/may-exist/nat-module-count", &[]);
    let ne = &v["not_expanded"];
    assert_eq!(ne.as_array().map(Vec::len), Some(1), "{ne}");
    assert!(ne[0]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("`count` of module `nat`") && r.contains("enable_nat")));
}

/// Item 7: the note that a module is not installed (its resources are not read) is in every
/// report of `check`, not only in `graph`.
#[test]
fn module_not_installed_note_is_in_every_report() {
    let f = "testdata/hcl/twins/modules/registry-endpoints-module-not-installed";
    let (v, _) = json(f, &[]);
    assert!(
        v["input_notes"]
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n["message"]
                .as_str()
                .unwrap_or_default()
                .contains("is not installed: run `terraform init`"))),
        "{v}"
    );
    for format in ["text", "markdown", "sarif", "github", "junit"] {
        let (out, _, _) = pullpath(&[f, "--format", format, "--color", "never"]);
        if format == "junit" {
            // JUnit carries the notes with the blocks not expanded only; none here.
            continue;
        }
        assert!(
            out.contains("is not installed: run `terraform init`"),
            "--format {format}\n{out}"
        );
    }
}
