//! The HCL twins (`testdata/hcl/twins/`): for each plan fixture of `testdata/plans/` whose
//! scenario can be written in HCL, the Terraform configuration that gives that plan (written by
//! `testdata/plans/generate.py` and `generate_iam.py`, the module twins by hand). pullpath must
//! find the same on both inputs, the HCL findings pointing at the blocks they name.
//!
//! Each case runs the binary from the repository root, with relative paths:
//! - `findings`: `check --format json` on the twin and on its plan fixture give the same list of
//!   (rule, verdict, resource), the same exit code, the same VPCs (address, region, internet
//!   route, verdict, workloads, endpoints) and summary. A case whose twin legitimately finds
//!   something else (the plan knows a value that HCL cannot, or the reverse) states what the HCL
//!   run must find, and why; HCL-only cases (suppressions, a module that is not installed) state
//!   it too. Every HCL finding's `location` is the `resource "TYPE" "NAME"` line of the block of
//!   the resource it names (searched in the twin's files, following module sources and
//!   `.terraform/modules/modules.json`), column 1; a suppression finding (PP902) points at its
//!   comment; a finding on something that is not in the configuration has none.
//! - `snapshot`: the text report of the twin (`--color never`), an insta snapshot in
//!   `snapshots/hcl_twins/<case>.snap`. Review it as what a user reads: the source line under
//!   `-->` with its `^` must be the resource's block.
//!
//! A case where pullpath is known to be wrong is `#[ignore = "bug: …"]` and states the right
//! answer, never the bug; its snapshot is not kept. Write or update snapshots with
//! `INSTA_UPDATE=always cargo test --test hcl_twins`, then read them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

/// (rule, verdict, resource)
type Expected = &'static [(&'static str, &'static str, &'static str)];

const TWINS: &str = "testdata/hcl/twins";

/// Where a twin's plan fixture is.
#[derive(Clone, Copy, Debug)]
enum PlanOf {
    /// `testdata/plans/<twin>.json`, or `testdata/examples/<name>.json` for `examples/<name>`.
    Same,
    /// Another fixture: `testdata/plans/<this>.json`.
    Path(&'static str),
    /// An HCL-only case: no plan.
    None,
}

#[derive(Clone, Copy, Debug)]
struct Twin {
    /// Below `testdata/hcl/twins/`.
    dir: &'static str,
    plan: PlanOf,
    opts: &'static [&'static str],
    /// What the HCL run must find instead of the plan's findings, and its exit code.
    hcl: Option<(Expected, i32)>,
    /// What both runs must find, where the plan's findings are known to be wrong too.
    both: Option<(Expected, i32)>,
}

impl Twin {
    const fn of(dir: &'static str) -> Twin {
        Twin {
            dir,
            plan: PlanOf::Same,
            opts: &[],
            hcl: None,
            both: None,
        }
    }
    const fn plan(self, plan: &'static str) -> Twin {
        Twin {
            plan: PlanOf::Path(plan),
            ..self
        }
    }
    const fn opts(self, opts: &'static [&'static str]) -> Twin {
        Twin { opts, ..self }
    }
    /// The HCL run finds this, not what the plan finds (the case says why).
    const fn hcl(self, expected: Expected, exit: i32) -> Twin {
        Twin {
            hcl: Some((expected, exit)),
            ..self
        }
    }
    /// Both runs must find this (the plan's findings are known to be wrong as well).
    const fn right(self, expected: Expected, exit: i32) -> Twin {
        Twin {
            both: Some((expected, exit)),
            ..self
        }
    }
    /// An HCL-only case.
    const fn alone(self, expected: Expected, exit: i32) -> Twin {
        Twin {
            plan: PlanOf::None,
            hcl: Some((expected, exit)),
            ..self
        }
    }
    fn twin_path(&self) -> String {
        format!("{TWINS}/{}", self.dir)
    }
    fn plan_path(&self) -> Option<String> {
        match self.plan {
            PlanOf::Same => Some(match self.dir.strip_prefix("examples/") {
                Some(name) => format!("testdata/examples/{name}.json"),
                None => format!("testdata/plans/{}.json", self.dir),
            }),
            PlanOf::Path(p) => Some(format!("testdata/plans/{p}.json")),
            PlanOf::None => None,
        }
    }
}

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
        "PULLPATH_TODAY",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
    ] {
        cmd.env_remove(var);
    }
    // Variables of the environment must not reach the HCL reader.
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("TF_VAR_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd.output().expect("run pullpath");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn json_report(input: &str, opts: &[&str]) -> (Value, String, i32) {
    let mut args = vec![input, "--format", "json"];
    args.extend_from_slice(opts);
    let (out, err, code) = pullpath(&args);
    let v: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("{input}: not JSON ({e}); stderr: {err}\n{out}"));
    (v, out, code)
}

fn text_report(input: &str, opts: &[&str]) -> (String, i32) {
    let mut args = vec![input, "--color", "never"];
    args.extend_from_slice(opts);
    let (out, _, code) = pullpath(&args);
    (out, code)
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

fn owned(expected: Expected) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(r, v, x)| (r.to_string(), v.to_string(), x.to_string()))
        .collect()
}

/// The VPCs of a report without their ids (a plan of existing infrastructure knows them, HCL
/// never does).
fn vpcs_without_ids(v: &Value) -> Value {
    let mut vpcs = v["vpcs"].clone();
    for vpc in vpcs.as_array_mut().unwrap() {
        vpc.as_object_mut().unwrap().remove("id");
    }
    vpcs
}

fn check_findings(case: &str, t: Twin) {
    let dir = t.twin_path();
    let (hcl, hcl_out, hcl_code) = json_report(&dir, t.opts);
    assert_eq!(
        hcl["inputs"],
        json!([{"path": dir, "kind": "hcl"}]),
        "{case}: the input is the twin's directory\n{hcl_out}"
    );
    assert_eq!(hcl["errors"], json!([]), "{case}\n{hcl_out}");
    let got = findings_of(&hcl);
    if let Some((expected, exit)) = t.both {
        let plan = t.plan_path().unwrap();
        let (p, plan_out, plan_code) = json_report(&plan, t.opts);
        assert_eq!(got, owned(expected), "{case}: findings of {dir}\n{hcl_out}");
        assert_eq!(hcl_code, exit, "{case}: exit code\n{hcl_out}");
        assert_eq!(
            findings_of(&p),
            owned(expected),
            "{case}: findings of {plan}\n{plan_out}"
        );
        assert_eq!(plan_code, exit, "{case}: exit code of {plan}");
        return;
    }
    match (t.plan_path(), t.hcl) {
        (Some(plan), None) => {
            let (p, plan_out, plan_code) = json_report(&plan, t.opts);
            assert_eq!(
                got,
                findings_of(&p),
                "{case}: the twin {dir} and the plan {plan} {:?} differ\nHCL: {hcl_out}\nplan: {plan_out}",
                t.opts
            );
            assert_eq!(hcl_code, plan_code, "{case}: exit code\n{hcl_out}");
            assert_eq!(
                vpcs_without_ids(&hcl),
                vpcs_without_ids(&p),
                "{case}: VPCs\n{hcl_out}\n{plan_out}"
            );
            assert_eq!(hcl["summary"], p["summary"], "{case}: summary");
        }
        (plan, Some((expected, exit))) => {
            assert_eq!(got, owned(expected), "{case}: findings of {dir}\n{hcl_out}");
            assert_eq!(hcl_code, exit, "{case}: exit code\n{hcl_out}");
            if let Some(plan) = plan {
                // The case says why HCL differs from the plan: keep it true.
                let (p, plan_out, _) = json_report(&plan, t.opts);
                assert_ne!(
                    findings_of(&p),
                    got,
                    "{case}: the plan {plan} now finds the same as its twin; drop `.hcl(...)`\n{plan_out}"
                );
            }
        }
        (None, None) => unreachable!(),
    }
    let (text, text_code) = text_report(&dir, t.opts);
    assert_eq!(text_code, hcl_code, "{case}: exit code (text)\n{text}");
}

/// The case whose snapshot shows a twin with some options: the first case that runs them (a
/// twin compared with two plans has one snapshot).
fn snapshot_owner(t: &Twin) -> &'static str {
    CASES
        .iter()
        .find(|(_, o, _)| o.dir == t.dir && o.opts == t.opts)
        .map(|(c, _, _)| *c)
        .unwrap()
}

fn check_snapshot(case: &str, t: Twin) {
    if snapshot_owner(&t) != case {
        return;
    }
    let dir = t.twin_path();
    let (text, _) = text_report(&dir, t.opts);
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots/hcl_twins");
    s.set_prepend_module_to_snapshot(false);
    s.set_info(&json!({ "twin": dir, "plan": t.plan_path(), "options": t.opts }));
    s.bind(|| insta::assert_snapshot!(case, text));
}

// ---- where a block is ----

/// `module.a["k"].module.b.aws_vpc_endpoint.this["s3"]` -> (["a", "b"], "aws_vpc_endpoint",
/// "this", data?); None for what is not an address (an id, a `--workload` declaration).
fn parse_address(address: &str) -> Option<(Vec<String>, String, String, bool)> {
    let mut rest = address;
    let mut modules = Vec::new();
    while let Some(r) = rest.strip_prefix("module.") {
        let end = r.find(['.', '['])?;
        modules.push(r[..end].to_string());
        rest = &r[end..];
        if rest.starts_with('[') {
            rest = &rest[rest.find(']')? + 1..];
        }
        rest = rest.strip_prefix('.')?;
    }
    let (data, rest) = match rest.strip_prefix("data.") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = match rest.find('[') {
        Some(i) if rest.ends_with(']') => &rest[..i],
        _ => rest,
    };
    let (rtype, name) = rest.split_once('.')?;
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    (rtype.starts_with("aws_") && ident(rtype) && ident(name))
        .then(|| (modules, rtype.to_string(), name.to_string(), data))
}

/// The `.tf` files of a module directory, sorted.
fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .collect();
    out.sort();
    out
}

/// The (file, 1-based line) of every line that starts with `head`, in a module directory.
fn find_lines(dir: &Path, head: &str) -> Vec<(PathBuf, usize)> {
    let mut out = Vec::new();
    for f in tf_files(dir) {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with(head) {
                out.push((f.clone(), i + 1));
            }
        }
    }
    out
}

/// The directory of the module that `module "NAME"` in `dir` calls (`key`: its module path,
/// `a.b`), from its local source or from `.terraform/modules/modules.json` of the root.
fn module_dir(root: &Path, dir: &Path, name: &str, key: &str) -> PathBuf {
    let found = find_lines(dir, &format!("module \"{name}\" {{"));
    assert_eq!(found.len(), 1, "module {name} in {}", dir.display());
    let (file, line) = &found[0];
    let text = std::fs::read_to_string(file).unwrap();
    let source = text
        .lines()
        .skip(*line)
        .take_while(|l| !l.starts_with('}'))
        .find_map(|l| {
            let l = l.trim();
            l.strip_prefix("source").map(|v| {
                v.trim_start()
                    .trim_start_matches('=')
                    .trim()
                    .trim_matches('"')
                    .to_string()
            })
        })
        .unwrap_or_else(|| panic!("no source in module {name}"));
    if source.starts_with("./") || source.starts_with("../") {
        return dir.join(source);
    }
    let manifest = root.join(".terraform/modules/modules.json");
    let m: Value = serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    let entry = m["Modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["Key"] == key)
        .unwrap_or_else(|| panic!("no module {key} in {}", manifest.display()));
    root.join(entry["Dir"].as_str().unwrap())
}

/// Where the block of `address` is in the twin `dir` (file as pullpath shows it, line), if the
/// address is a resource or data source of the configuration.
fn block_of(dir: &str, address: &str) -> Option<(String, usize)> {
    let (modules, rtype, name, data) = parse_address(address)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut here = root.clone();
    let mut key = String::new();
    for m in &modules {
        key = if key.is_empty() {
            m.clone()
        } else {
            format!("{key}.{m}")
        };
        here = module_dir(&root, &here, m, &key);
    }
    let kind = if data { "data" } else { "resource" };
    let found = find_lines(&here, &format!("{kind} \"{rtype}\" \"{name}\" {{"));
    assert!(found.len() <= 1, "{address}: several blocks {found:?}");
    let (file, line) = found.into_iter().next()?;
    let rel = file
        .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    // `dir/./modules/x/main.tf` as pullpath shows it: normalized.
    Some((rel.replace("/./", "/"), line))
}

/// The attributes whose value a rule's finding is about: the finding points at the first one
/// written, else at the block.
fn attributes_at_fault(rule: &str) -> &'static [&'static str] {
    match rule {
        "PP107" => &["vpc_endpoint_type"],
        "PP108" => &["service_name"],
        "PP109" => &["subnet_ids"],
        "PP201" => &["private_dns_enabled"],
        "PP202" => &["enable_dns_support", "enable_dns_hostnames"],
        "PP301" => &["route_table_ids"],
        "PP401" | "PP402" | "PP403" => &["policy"],
        "PP501" => &["security_group_ids"],
        "PP502" => &[
            "egress",
            "security_groups",
            "security_group_ids",
            "vpc_security_group_ids",
        ],
        _ => &[],
    }
}

/// Where a finding of `rule` on the block at `file:line` points: the first attribute at fault
/// written in the block (top level, or one nested block down), else the block. An attribute
/// set to `true` is not at fault (private DNS on, DNS support on). An attribute at fault of
/// another resource (an `aws_vpc_endpoint_policy`'s `policy`, a group's `egress`) is accepted
/// as it is, when the line it points at writes that attribute.
fn expected_location(rule: &str, file: &str, line: usize, got: &Value) -> Value {
    let block = json!({"file": file, "line": line, "column": 1});
    let attrs = attributes_at_fault(rule);
    if attrs.is_empty() {
        return block;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let writes = |l: &str, a: &str| {
        let t = l.trim_start();
        t.strip_prefix(a).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.starts_with('{') || rest.strip_prefix('=').is_some_and(|v| v.trim() != "true")
        })
    };
    for (i, l) in lines
        .iter()
        .enumerate()
        .skip(line)
        .take_while(|(_, l)| **l != "}")
    {
        let indent = l.len() - l.trim_start().len();
        if (indent == 2 || indent == 4) && attrs.iter().any(|a| writes(l, a)) {
            return json!({"file": file, "line": i + 1, "column": indent + 1});
        }
    }
    if let (Some(gf), Some(gl), Some(gc)) = (
        got["file"].as_str(),
        got["line"].as_u64(),
        got["column"].as_u64(),
    ) {
        if let Ok(t) = std::fs::read_to_string(root.join(gf)) {
            if let Some(l) = t.lines().nth(gl as usize - 1) {
                let at = l.get(gc as usize - 1..).unwrap_or("");
                if attrs.iter().any(|a| writes(at, a)) {
                    return got.clone();
                }
            }
        }
    }
    block
}

fn check_locations(case: &str, t: Twin) {
    let dir = &t.twin_path();
    let (report, _, _) = json_report(dir, t.opts);
    for f in report["findings"].as_array().unwrap() {
        let resource = f["resource"].as_str().unwrap();
        let loc = &f["location"];
        if f["rule"] == "PP902" {
            // A suppression finding points at its comment.
            let file = loc["file"]
                .as_str()
                .unwrap_or_else(|| panic!("{case}: PP902 without location: {f}"));
            assert!(file.starts_with(dir), "{case}: {f}");
            let text =
                std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
            let line = text
                .lines()
                .nth(loc["line"].as_u64().unwrap() as usize - 1)
                .unwrap();
            let col = loc["column"].as_u64().unwrap() as usize;
            assert!(
                line[col - 1..].starts_with("# pullpath:ignore="),
                "{case}: PP902 at {file}:{}:{col} is not a suppression: {line:?}",
                loc["line"]
            );
            continue;
        }
        match block_of(dir, resource) {
            Some((file, line)) => {
                let rule = f["rule"].as_str().unwrap();
                assert_eq!(
                    loc,
                    &expected_location(rule, &file, line, loc),
                    "{case}: {rule} on {resource} does not point at its block or the attribute at fault",
                )
            }
            None => assert!(
                loc.is_null(),
                "{case}: {} on {resource}, which is not a block of {dir}, has a location {loc}",
                f["rule"]
            ),
        }
    }
}

/// One module per case, with a `findings`, a `locations` and a `snapshot` test. `bug`: the
/// findings are wrong (all three tests are ignored); `location_bug`: the findings are right but
/// not where they point (`locations` and `snapshot` are ignored); `snapshot_bug`: the report's
/// text has a known bug, the same as the plan's in tests/rules.rs (`snapshot` is ignored).
macro_rules! twins {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $(bug $bug:literal)? $(location_bug $lbug:literal)? $(snapshot_bug $sbug:literal)?
            => $twin:expr;
    )*) => {
        /// Every case, and whether its snapshot is not checked (a known bug).
        const CASES: &[(&str, Twin, bool)] = &[$(
            (
                stringify!($name),
                $twin,
                false $(|| { let _ = $bug; true })? $(|| { let _ = $lbug; true })?
                    $(|| { let _ = $sbug; true })?,
            )
        ),*];
        $(
            $(#[doc = $doc])*
            mod $name {
                use super::*;

                #[test]
                $(#[ignore = $bug])?
                fn findings() {
                    check_findings(stringify!($name), $twin);
                }

                #[test]
                $(#[ignore = $bug])?
                $(#[ignore = $lbug])?
                fn locations() {
                    check_locations(stringify!($name), $twin);
                }

                #[test]
                $(#[ignore = $bug])?
                $(#[ignore = $lbug])?
                $(#[ignore = $sbug])?
                fn snapshot() {
                    check_snapshot(stringify!($name), $twin);
                }
            }
        )*
    };
}

twins! {

    // ---- ecr-dkr-endpoint-missing ----

    pp101_fail_endpoint_in_other_vpc => Twin::of("ecr-dkr-endpoint-missing/fail-endpoint-in-other-vpc");
    pp101_fail_no_ecr_dkr => Twin::of("ecr-dkr-endpoint-missing/fail-no-ecr-dkr");
    pp101_fail_platform_1_3_0 => Twin::of("ecr-dkr-endpoint-missing/fail-platform-1.3.0");
    pp101_fail_public_subnets_without_public_ip => Twin::of("ecr-dkr-endpoint-missing/fail-public-subnets-without-public-ip");
    pp101_fail_scheduled_task => Twin::of("ecr-dkr-endpoint-missing/fail-scheduled-task");
    pp101_pass_nat_without_endpoints => Twin::of("ecr-dkr-endpoint-missing/pass-nat-without-endpoints");
    pp101_pass_nat_through_gateway_id => Twin::of("ecr-dkr-endpoint-missing/pass-nat-through-gateway-id");
    pp101_pass_with_ecr_dkr => Twin::of("ecr-dkr-endpoint-missing/pass-with-ecr-dkr");

    // ---- ecr-api-endpoint-missing ----

    pp102_fail_batch_fargate => Twin::of("ecr-api-endpoint-missing/fail-batch-fargate");
    pp102_fail_capacity_provider_fargate_spot => Twin::of("ecr-api-endpoint-missing/fail-capacity-provider-fargate-spot");
    pp102_fail_cluster_default_capacity_provider => Twin::of("ecr-api-endpoint-missing/fail-cluster-default-capacity-provider");
    pp102_fail_platform_1_4_0_capacity_provider => Twin::of("ecr-api-endpoint-missing/fail-platform-1.4.0-capacity-provider");
    pp102_fail_platform_latest => Twin::of("ecr-api-endpoint-missing/fail-platform-latest");
    pp102_fail_platform_unset => Twin::of("ecr-api-endpoint-missing/fail-platform-unset");
    pp102_unknown_hub_private_hosted_zones => Twin::of("ecr-api-endpoint-missing/unknown-hub-private-hosted-zones");
    pp102_fail_hub_zones_not_associated => Twin::of("ecr-api-endpoint-missing/fail-hub-zones-not-associated");
    pp102_pass_with_ecr_api => Twin::of("ecr-api-endpoint-missing/pass-with-ecr-api");
    pp102_fail_platform_1_3_0_retired => Twin::of("ecr-api-endpoint-missing/fail-platform-1.3.0-retired");

    // ---- s3-gateway-endpoint-missing ----

    pp103_fail_no_s3_endpoint => Twin::of("s3-gateway-endpoint-missing/fail-no-s3-endpoint");
    /// As for the plan (tests/rules.rs), PP501 on the S3 Interface endpoint is wrong.
    pp103_fail_s3_interface_only
        => Twin::of("s3-gateway-endpoint-missing/fail-s3-interface-only")
            .right(&[("PP103", "fail", "aws_vpc.main")], 1);
    pp103_pass_s3_gateway => Twin::of("s3-gateway-endpoint-missing/pass-s3-gateway");

    // ---- logs-endpoint-missing ----

    pp104_fail_awslogs_no_logs_endpoint => Twin::of("logs-endpoint-missing/fail-awslogs-no-logs-endpoint");
    pp104_fail_batch_fargate_default_logging
        => Twin::of("logs-endpoint-missing/fail-batch-fargate-default-logging");
    pp104_pass_awslogs_with_logs_endpoint => Twin::of("logs-endpoint-missing/pass-awslogs-with-logs-endpoint");
    pp104_pass_no_log_configuration => Twin::of("logs-endpoint-missing/pass-no-log-configuration");
    pp104_fail_batch_ecs_properties => Twin::of("logs-endpoint-missing/fail-batch-ecs-properties");
    pp104_fail_batch_node_properties => Twin::of("logs-endpoint-missing/fail-batch-node-properties");
    pp104_pass_batch_ecs_properties => Twin::of("logs-endpoint-missing/pass-batch-ecs-properties");
    pp104_unknown_batch_eks_jobs => Twin::of("logs-endpoint-missing/unknown-batch-eks-jobs");

    // ---- secrets-endpoint-missing ----

    pp105_fail_secretsmanager_value_from => Twin::of("secrets-endpoint-missing/fail-secretsmanager-value-from");
    pp105_fail_ssm_value_from => Twin::of("secrets-endpoint-missing/fail-ssm-value-from");
    pp105_pass_secretsmanager_and_ssm_endpoints => Twin::of("secrets-endpoint-missing/pass-secretsmanager-and-ssm-endpoints");

    // ---- ecs-agent-endpoints-missing ----

    pp106_fail_batch_ec2 => Twin::of("ecs-agent-endpoints-missing/fail-batch-ec2");
    pp106_fail_ecs_on_ec2 => Twin::of("ecs-agent-endpoints-missing/fail-ecs-on-ec2");
    pp106_fail_managed_instances => Twin::of("ecs-agent-endpoints-missing/fail-managed-instances");
    pp106_pass_managed_instances => Twin::of("ecs-agent-endpoints-missing/pass-managed-instances");
    pp106_pass_batch_ec2 => Twin::of("ecs-agent-endpoints-missing/pass-batch-ec2");
    pp106_pass_ecs_on_ec2 => Twin::of("ecs-agent-endpoints-missing/pass-ecs-on-ec2");

    // ---- endpoint-wrong-type ----

    pp107_fail_type_unset => Twin::of("endpoint-wrong-type/fail-type-unset");
    pp107_pass_interface => Twin::of("endpoint-wrong-type/pass-interface");

    // ---- endpoint-region-mismatch ----

    pp108_fail_cross_region_image
        => Twin::of("endpoint-region-mismatch/fail-cross-region-image");
    pp108_fail_service_name_other_region => Twin::of("endpoint-region-mismatch/fail-service-name-other-region");
    pp108_pass_cross_region_image_with_nat => Twin::of("endpoint-region-mismatch/pass-cross-region-image-with-nat");
    pp108_pass_same_region => Twin::of("endpoint-region-mismatch/pass-same-region");
    pp108_pass_cross_region_endpoints_on_purpose => Twin::of("endpoint-region-mismatch/pass-cross-region-endpoints-on-purpose");
    pp108_fail_cross_region_image_with_cross_region_endpoints => Twin::of("endpoint-region-mismatch/fail-cross-region-image-with-cross-region-endpoints");

    // ---- endpoint-az-coverage ----

    pp109_fail_endpoints_in_one_az => Twin::of("endpoint-az-coverage/fail-endpoints-in-one-az");
    pp109_pass_endpoints_in_every_az => Twin::of("endpoint-az-coverage/pass-endpoints-in-every-az");

    // ---- s3-gateway-would-save-nat ----

    pp110_fail_nat_without_s3_gateway => Twin::of("s3-gateway-would-save-nat/fail-nat-without-s3-gateway");
    pp110_pass_nat_with_s3_gateway => Twin::of("s3-gateway-would-save-nat/pass-nat-with-s3-gateway");

    // ---- fargate-platform-retired ----

    pp111_fail_batch_job_platform_1_2_0 => Twin::of("fargate-platform-retired/fail-batch-job-platform-1.2.0");
    pp111_fail_service_platform_1_3_0 => Twin::of("fargate-platform-retired/fail-service-platform-1.3.0");
    pp111_pass_batch_job_platform_latest => Twin::of("fargate-platform-retired/pass-batch-job-platform-latest");
    pp111_pass_platform_1_4_0 => Twin::of("fargate-platform-retired/pass-platform-1.4.0");

    // ---- endpoint-private-dns-disabled ----

    pp201_fail_private_dns_false
        => Twin::of("endpoint-private-dns-disabled/fail-private-dns-false");
    pp201_fail_private_dns_unset => Twin::of("endpoint-private-dns-disabled/fail-private-dns-unset");
    pp201_pass_private_dns_enabled => Twin::of("endpoint-private-dns-disabled/pass-private-dns-enabled");

    // ---- vpc-dns-disabled ----

    pp202_fail_dns_hostnames_unset => Twin::of("vpc-dns-disabled/fail-dns-hostnames-unset");
    pp202_fail_dns_support_false
        => Twin::of("vpc-dns-disabled/fail-dns-support-false");
    pp202_pass_dns_enabled => Twin::of("vpc-dns-disabled/pass-dns-enabled");

    // ---- vpc-dns-not-amazon-provided ----

    pp203_fail_custom_dhcp_name_servers => Twin::of("vpc-dns-not-amazon-provided/fail-custom-dhcp-name-servers");
    pp203_fail_resolver_rule_forwards_amazonaws => Twin::of("vpc-dns-not-amazon-provided/fail-resolver-rule-forwards-amazonaws");
    pp203_pass_amazon_provided_dns => Twin::of("vpc-dns-not-amazon-provided/pass-amazon-provided-dns");
    pp203_pass_forward_corporate_domain_only => Twin::of("vpc-dns-not-amazon-provided/pass-forward-corporate-domain-only");

    // ---- s3-gateway-not-routed ----

    pp301_fail_subnet_on_main_route_table
        => Twin::of("s3-gateway-not-routed/fail-subnet-on-main-route-table");
    pp301_fail_no_route_table_at_all => Twin::of("s3-gateway-not-routed/fail-no-route-table-at-all");
    pp301_pass_endpoint_route_table_association => Twin::of("s3-gateway-not-routed/pass-endpoint-route-table-association");

    // ---- s3-policy-blocks-layer-bucket ----

    pp401_fail_allow_conditioned_on_principal_account => Twin::of("s3-policy-blocks-layer-bucket/fail-allow-conditioned-on-principal-account");
    pp401_fail_app_bucket_only => Twin::of("s3-policy-blocks-layer-bucket/fail-app-bucket-only");
    pp401_fail_app_bucket_only_with_nat => Twin::of("s3-policy-blocks-layer-bucket/fail-app-bucket-only-with-nat");
    pp401_fail_deny_other_resource_accounts
        => Twin::of("s3-policy-blocks-layer-bucket/fail-deny-other-resource-accounts");
    pp401_fail_other_region_layer_bucket => Twin::of("s3-policy-blocks-layer-bucket/fail-other-region-layer-bucket");
    pp401_fail_principal_is_our_account => Twin::of("s3-policy-blocks-layer-bucket/fail-principal-is-our-account");
    pp401_fail_app_bucket_only_govcloud => Twin::of("s3-policy-blocks-layer-bucket/fail-app-bucket-only-govcloud");
    pp401_unknown_guessed_layer_bucket_govcloud => Twin::of("s3-policy-blocks-layer-bucket/unknown-guessed-layer-bucket-govcloud");
    pp401_pass_default_policy_govcloud => Twin::of("s3-policy-blocks-layer-bucket/pass-default-policy-govcloud");
    pp401_fail_app_bucket_only_china => Twin::of("s3-policy-blocks-layer-bucket/fail-app-bucket-only-china");
    pp401_pass_default_policy_china => Twin::of("s3-policy-blocks-layer-bucket/pass-default-policy-china");
    pp401_pass_app_bucket_and_layer_bucket => Twin::of("s3-policy-blocks-layer-bucket/pass-app-bucket-and-layer-bucket");
    /// The application's bucket named by reference (`aws_s3_bucket.reports.arn`): the literal
    /// layer-bucket statement allows the layer download whatever that ARN is, so PP401 passes.
    pp401_pass_app_bucket_and_layer_bucket_bucket_reference
        => Twin::of("s3-policy-blocks-layer-bucket/pass-app-bucket-and-layer-bucket-bucket-reference")
            .plan("s3-policy-blocks-layer-bucket/pass-app-bucket-and-layer-bucket");
    pp401_pass_wildcard_layer_bucket => Twin::of("s3-policy-blocks-layer-bucket/pass-wildcard-layer-bucket");
    /// The endpoint's policy allows calls whose `aws:SourceVpce` is the endpoint's own id
    /// (`aws_vpc_endpoint.s3.id`). The plan knows neither that id nor the policy before apply:
    /// unknown. The configuration says the condition names the endpoint the calls go through,
    /// whatever its id: PP401 passes.
    pp401_unknown_source_vpce_condition => Twin::of("s3-policy-blocks-layer-bucket/unknown-source-vpce-condition")
        .hcl(&[], 0);

    // ---- ecr-policy-blocks-pull ----

    /// The Deny-only policy (terraform-aws-modules' `generic_endpoint_policy`) conditions its
    /// Deny on `aws:SourceVpc`, which HCL cannot know; but with no Allow at all nothing is allowed
    /// whatever the condition, so PP402 fails, as in the plan (DOMAIN.md §5).
    pp402_fail_deny_only_policy
        => Twin::of("ecr-policy-blocks-pull/fail-deny-only-policy");
    pp402_fail_token_not_allowed => Twin::of("ecr-policy-blocks-pull/fail-token-not-allowed");
    pp402_pass_allow_pull_actions => Twin::of("ecr-policy-blocks-pull/pass-allow-pull-actions");

    // ---- logs-policy-blocks-logging ----

    pp403_fail_put_log_events_only => Twin::of("logs-policy-blocks-logging/fail-put-log-events-only");
    pp403_pass_create_stream_and_put_events => Twin::of("logs-policy-blocks-logging/pass-create-stream-and-put-events");
    /// The policy allows the log group's ARN with the account id; the plan of existing
    /// infrastructure knows the account, HCL does not (no data source tells it): unknown, not pass.
    pp403_pass_log_group_arn_update => Twin::of("logs-policy-blocks-logging/pass-log-group-arn-update")
        .hcl(&[("PP403", "unknown", "aws_vpc_endpoint.logs")], 0);

    // ---- execution-role-cannot-pull ----

    pp404_fail_no_execution_role => Twin::of("execution-role-cannot-pull/fail-no-execution-role");
    pp404_fail_role_without_policies => Twin::of("execution-role-cannot-pull/fail-role-without-policies");
    pp404_fail_secret_not_allowed => Twin::of("execution-role-cannot-pull/fail-secret-not-allowed");
    pp404_pass_managed_policy => Twin::of("execution-role-cannot-pull/pass-managed-policy");
    pp404_pass_managed_policy_with_ssm_core => Twin::of("execution-role-cannot-pull/pass-managed-policy-with-ssm-core");
    // The role's name is not decided, but the attachment names the role by reference: joined,
    // so PP404 is decided (it was "not allowed" when the join was by the undecided name).
    pp404_pass_role_name_from_unset_variable => Twin::of("execution-role-cannot-pull/pass-role-name-from-unset-variable").plan("execution-role-cannot-pull/pass-managed-policy");
    pp404_pass_secret_allowed => Twin::of("execution-role-cannot-pull/pass-secret-allowed");
    // Issue 18: kms:Decrypt on a secret's customer managed key (update plans: the plan names
    // the secret and key by their ARNs, the twin by references; both are matched).
    pp404_fail_secret_key_not_allowed => Twin::of("execution-role-cannot-pull/fail-secret-key-not-allowed");
    pp404_pass_secret_key_allowed => Twin::of("execution-role-cannot-pull/pass-secret-key-allowed");
    /// The key policy names another role by its ARN; the plan knows the execution role's ARN
    /// (an existing role), HCL does not (`aws_iam_role.task_execution.arn` is known after
    /// apply), so whether the key policy's principal is it is not decided: unknown, not pass.
    pp404_fail_key_policy_excludes_role => Twin::of("execution-role-cannot-pull/fail-key-policy-excludes-role")
        .hcl(&[("PP404", "unknown", "aws_iam_role.task_execution")], 0);
    pp404_pass_secret_aws_managed_key => Twin::of("execution-role-cannot-pull/pass-secret-aws-managed-key");
    pp404_fail_parameter_key_not_allowed => Twin::of("execution-role-cannot-pull/fail-parameter-key-not-allowed");
    pp404_pass_parameter_key_allowed => Twin::of("execution-role-cannot-pull/pass-parameter-key-allowed");
    // Issue 18: logs:CreateLogGroup only for a group that the input does not create.
    pp404_fail_create_group_not_in_input => Twin::of("execution-role-cannot-pull/fail-create-group-not-in-input");
    pp404_pass_create_group_in_input => Twin::of("execution-role-cannot-pull/pass-create-group-in-input");
    pp404_pass_create_group_allowed => Twin::of("execution-role-cannot-pull/pass-create-group-allowed");
    // Issue 18: on EC2 the instance role pulls; instances without an instance profile fail.
    pp404_fail_ec2_instances_without_instance_profile => Twin::of("execution-role-cannot-pull/fail-ec2-instances-without-instance-profile");
    pp404_pass_ec2_instance_role => Twin::of("execution-role-cannot-pull/pass-ec2-instance-role");
    pp404_fail_ec2_optimized_ami_execution_role_without_logs => Twin::of("execution-role-cannot-pull/fail-ec2-optimized-ami-execution-role-without-logs");
    pp404_pass_ec2_optimized_ami_execution_role_logs => Twin::of("execution-role-cannot-pull/pass-ec2-optimized-ami-execution-role-logs");
    pp404_fail_batch_ec2_without_instance_role => Twin::of("execution-role-cannot-pull/fail-batch-ec2-without-instance-role");
    pp404_fail_managed_instances_without_execution_role => Twin::of("execution-role-cannot-pull/fail-managed-instances-without-execution-role");

    // ---- ecr-push-permissions-incomplete ----

    pp405_fail_no_token => Twin::of("ecr-push-permissions-incomplete/fail-no-token");
    pp405_fail_no_token_arn_references
        => Twin::of("ecr-push-permissions-incomplete/fail-no-token-arn-references").plan("ecr-push-permissions-incomplete/fail-no-token");
    pp405_fail_public_without_sts => Twin::of("ecr-push-permissions-incomplete/fail-public-without-sts");
    pp405_fail_public_without_sts_arn_references
        => Twin::of("ecr-push-permissions-incomplete/fail-public-without-sts-arn-references").plan("ecr-push-permissions-incomplete/fail-public-without-sts");
    pp405_fail_partial_layer_upload => Twin::of("ecr-push-permissions-incomplete/fail-partial-layer-upload");
    pp405_fail_partial_layer_upload_arn_references
        => Twin::of("ecr-push-permissions-incomplete/fail-partial-layer-upload-arn-references").plan("ecr-push-permissions-incomplete/fail-partial-layer-upload");
    /// The repository policy denies `arn:aws:iam::123456789012:role/ci`; in HCL the role's ARN,
    /// and so whether that is aws_iam_role.ci, depends on the account, which HCL does not know:
    /// PP405 is unknown (the plan of existing infrastructure knows the ARN and fails).
    pp405_fail_repository_policy_denies
        => Twin::of("ecr-push-permissions-incomplete/fail-repository-policy-denies")
            .hcl(&[("PP405", "unknown", "aws_iam_role_policy.push")], 0);
    /// `Principal = { AWS = aws_iam_role.ci.arn }`: the Deny names the role itself, PP405 fails.
    pp405_fail_repository_policy_denies_arn_references
        => Twin::of("ecr-push-permissions-incomplete/fail-repository-policy-denies-arn-references").plan("ecr-push-permissions-incomplete/fail-repository-policy-denies");
    pp405_pass_power_user_attached => Twin::of("ecr-push-permissions-incomplete/pass-power-user-attached");
    pp405_pass_power_user_attached_arn_references => Twin::of("ecr-push-permissions-incomplete/pass-power-user-attached-arn-references").plan("ecr-push-permissions-incomplete/pass-power-user-attached");
    pp405_pass_private_complete => Twin::of("ecr-push-permissions-incomplete/pass-private-complete");
    pp405_pass_private_complete_arn_references => Twin::of("ecr-push-permissions-incomplete/pass-private-complete-arn-references").plan("ecr-push-permissions-incomplete/pass-private-complete");
    pp405_pass_public_complete => Twin::of("ecr-push-permissions-incomplete/pass-public-complete");
    pp405_pass_public_complete_arn_references => Twin::of("ecr-push-permissions-incomplete/pass-public-complete-arn-references").plan("ecr-push-permissions-incomplete/pass-public-complete");
    pp405_pass_through_group => Twin::of("ecr-push-permissions-incomplete/pass-through-group");
    pp405_pass_through_group_arn_references => Twin::of("ecr-push-permissions-incomplete/pass-through-group-arn-references").plan("ecr-push-permissions-incomplete/pass-through-group");
    pp405_pass_putimage_retag => Twin::of("ecr-push-permissions-incomplete/pass-putimage-retag");
    pp405_pass_putimage_retag_arn_references => Twin::of("ecr-push-permissions-incomplete/pass-putimage-retag-arn-references").plan("ecr-push-permissions-incomplete/pass-putimage-retag");
    pp405_unknown_customer_managed => Twin::of("ecr-push-permissions-incomplete/unknown-customer-managed");
    pp405_unknown_customer_managed_arn_references
        => Twin::of("ecr-push-permissions-incomplete/unknown-customer-managed-arn-references").plan("ecr-push-permissions-incomplete/unknown-customer-managed");

    // ---- ecr-public-private-prefix-mixup ----

    pp406_fail_ecr_actions_on_public => Twin::of("ecr-public-private-prefix-mixup/fail-ecr-actions-on-public");
    pp406_fail_ecr_actions_on_public_arn_references
        => Twin::of("ecr-public-private-prefix-mixup/fail-ecr-actions-on-public-arn-references").plan("ecr-public-private-prefix-mixup/fail-ecr-actions-on-public");
    pp406_fail_public_actions_on_private => Twin::of("ecr-public-private-prefix-mixup/fail-public-actions-on-private");
    pp406_fail_public_actions_on_private_arn_references
        => Twin::of("ecr-public-private-prefix-mixup/fail-public-actions-on-private-arn-references").plan("ecr-public-private-prefix-mixup/fail-public-actions-on-private");
    pp406_fail_repository_policy_prefix => Twin::of("ecr-public-private-prefix-mixup/fail-repository-policy-prefix");
    pp406_pass_prefixes_match => Twin::of("ecr-public-private-prefix-mixup/pass-prefixes-match");
    pp406_pass_prefixes_match_arn_references => Twin::of("ecr-public-private-prefix-mixup/pass-prefixes-match-arn-references").plan("ecr-public-private-prefix-mixup/pass-prefixes-match");

    // ---- cross-account-image-not-allowed ----

    /// The plan knows the execution role's ARN, so its account (111122223333): the repository
    /// policy grants another account, PP407 fails. In HCL the role's ARN is known only after
    /// apply and the providers may deploy into both accounts: which account pulls is not
    /// known, PP407 is unknown.
    pp407_fail_repository_policy_grants_another_account
        => Twin::of("cross-account-image-not-allowed/fail-repository-policy-grants-another-account")
            .hcl(&[("PP407", "unknown", "aws_ecr_repository_policy.shared")], 0);
    pp407_pass_repository_policy_allows_the_role => Twin::of("cross-account-image-not-allowed/pass-repository-policy-allows-the-role");
    pp407_unknown_account_not_stated => Twin::of("cross-account-image-not-allowed/unknown-account-not-stated");
    pp407_unknown_repository_policy_not_in_input => Twin::of("cross-account-image-not-allowed/unknown-repository-policy-not-in-input");

    // ---- ecr-repository-policy-blocks-pull ----

    /// The plan knows the ecr.dkr endpoint's id (it exists): the Deny of every other endpoint
    /// applies, PP408 fails. In HCL the id is known only after apply, against a literal
    /// `vpce-…`: PP408 is unknown (three-valued, never a pass).
    pp408_fail_deny_other_endpoint
        => Twin::of("ecr-repository-policy-blocks-pull/fail-deny-other-endpoint")
            .hcl(&[("PP408", "unknown", "aws_ecr_repository_policy.app")], 0);
    pp408_pass_deny_admits_the_endpoint => Twin::of("ecr-repository-policy-blocks-pull/pass-deny-admits-the-endpoint");

    // ---- endpoint-policy-rejected ----

    pp409_fail_policy_over_size_limit => Twin::of("endpoint-policy-rejected/fail-policy-over-size-limit");
    pp409_fail_wildcard_on_source_vpc => Twin::of("endpoint-policy-rejected/fail-wildcard-on-source-vpc");
    pp409_pass_long_prefix_wildcard => Twin::of("endpoint-policy-rejected/pass-long-prefix-wildcard");

    // ---- endpoint-sg-blocks-https ----

    pp501_fail_default_security_group
        => Twin::of("endpoint-sg-blocks-https/fail-default-security-group");
    pp501_fail_http_only => Twin::of("endpoint-sg-blocks-https/fail-http-only");
    pp501_fail_managed_default_sg_without_rules => Twin::of("endpoint-sg-blocks-https/fail-managed-default-sg-without-rules");
    pp501_pass_default_security_group_shared => Twin::of("endpoint-sg-blocks-https/pass-default-security-group-shared");
    pp501_pass_https_from_vpc_cidr => Twin::of("endpoint-sg-blocks-https/pass-https-from-vpc-cidr");
    pp501_pass_https_from_each_subnet => Twin::of("endpoint-sg-blocks-https/pass-https-from-each-subnet");
    pp501_pass_https_from_workload_sg => Twin::of("endpoint-sg-blocks-https/pass-https-from-workload-sg");
    pp501_pass_port_range_security_group_rule => Twin::of("endpoint-sg-blocks-https/pass-port-range-security-group-rule");

    // ---- workload-sg-blocks-https ----

    pp502_fail_egress_vpc_cidr_only
        => Twin::of("workload-sg-blocks-https/fail-egress-vpc-cidr-only");
    pp502_fail_no_egress => Twin::of("workload-sg-blocks-https/fail-no-egress");
    pp502_pass_egress_all => Twin::of("workload-sg-blocks-https/pass-egress-all");
    pp502_pass_s3_prefix_list => Twin::of("workload-sg-blocks-https/pass-s3-prefix-list");
    pp502_fail_ecs_ec2_instance_sg => Twin::of("workload-sg-blocks-https/fail-ecs-ec2-instance-sg");
    pp502_pass_ecs_ec2_task_sg_no_egress
        => Twin::of("workload-sg-blocks-https/pass-ecs-ec2-task-sg-no-egress");

    // ---- nacl-blocks-https ----

    pp503_fail_default_acl_without_rules => Twin::of("nacl-blocks-https/fail-default-acl-without-rules");
    pp503_fail_deny_before_allow => Twin::of("nacl-blocks-https/fail-deny-before-allow");
    pp503_fail_no_ephemeral_replies => Twin::of("nacl-blocks-https/fail-no-ephemeral-replies");
    pp503_pass_default_acl_allow_all => Twin::of("nacl-blocks-https/pass-default-acl-allow-all");
    pp503_pass_stateless_rules_both_ways => Twin::of("nacl-blocks-https/pass-stateless-rules-both-ways");

    // ---- image-unreachable ----

    pp601_fail_docker_hub
        => Twin::of("image-unreachable/fail-docker-hub");
    /// Ecosystem row 35 (bug 4): the task definition named by `"${X.family}:${X.revision}"`.
    pp601_fail_docker_hub_family_revision
        => Twin::of("image-unreachable/fail-docker-hub-family-revision");
    pp601_fail_ecr_public
        => Twin::of("image-unreachable/fail-ecr-public");
    pp601_fail_other_registry
        => Twin::of("image-unreachable/fail-other-registry");
    pp601_pass_docker_hub_with_nat => Twin::of("image-unreachable/pass-docker-hub-with-nat");
    pp601_fail_ecr_dual_stack_host => Twin::of("image-unreachable/fail-ecr-dual-stack-host");
    pp601_pass_ecr_dual_stack_host_with_nat => Twin::of("image-unreachable/pass-ecr-dual-stack-host-with-nat");
    pp601_pass_private_ecr => Twin::of("image-unreachable/pass-private-ecr");
    /// The plan cannot read the containers at all (PP601 and PP105 unknown). HCL reads the
    /// image as `"${aws_ecrpublic_repository.app.repository_uri}:1.42.0"`: ECR Public
    /// (`public.ecr.aws/<registry alias>/<name>`), which no endpoint serves: PP601 fails.
    pp601_unknown_image_known_after_apply => Twin::of("image-unreachable/unknown-image-known-after-apply")
        .hcl(&[("PP601", "fail", "aws_ecs_task_definition.app")], 1);
    /// HCL reads `"${aws_ecr_repository.app.repository_url}:1.42.0"`: private ECR of this
    /// account, no finding. The plan records only the references (PP601 and PP105 unknown).
    pp601_pass_ecr_repository_url => Twin::of("image-unreachable/pass-ecr-repository-url")
        .hcl(&[], 0);

    // ---- pull-through-cache-first-pull ----

    pp602_fail_cache_prefix_without_internet
        => Twin::of("pull-through-cache-first-pull/fail-cache-prefix-without-internet");
    pp602_pass_cache_prefix_with_nat => Twin::of("pull-through-cache-first-pull/pass-cache-prefix-with-nat");

    // ---- workload-network-unresolved ----

    pp901_fail_subnets_not_in_input
        => Twin::of("workload-network-unresolved/fail-subnets-not-in-input");
    pp901_pass_subnets_known => Twin::of("workload-network-unresolved/pass-subnets-known");
    pp901_fail_ecs_ec2_instances_not_in_input
        => Twin::of("workload-network-unresolved/fail-ecs-ec2-instances-not-in-input");

    // ---- examples ----

    example_private_fargate => Twin::of("examples/private-fargate");
    example_seed_incident => Twin::of("examples/seed-incident");
    example_seed_incident_fixed => Twin::of("examples/seed-incident-fixed");

    // ---- modules ----

    /// The plan cannot follow `local.security_group_ids` and shows the interface endpoints'
    /// `policy = null` as known after apply (PP402, PP403, PP501 unknown); HCL evaluates the
    /// module's locals and knows that null means AWS's default full-access policy: only PP401.
    modules_fail_registry_endpoints_module_app_bucket_policy => Twin::of("modules/fail-registry-endpoints-module-app-bucket-policy")
        .hcl(MODULES_REGISTRY, 1);
    /// The create plan of the same configuration: every id unknown and the module's locals not
    /// recorded, so the plan finds only unknowns; HCL finds PP401.
    modules_unknown_registry_endpoints_module_create => Twin::of("modules/fail-registry-endpoints-module-app-bucket-policy")
        .plan("modules/unknown-registry-endpoints-module-create")
        .hcl(MODULES_REGISTRY, 1);
    modules_pass_vpc_and_endpoint_modules => Twin::of("modules/pass-vpc-and-endpoint-modules");
    /// The same configuration before `terraform init`: the modules' outputs are unknown, the
    /// service's network cannot be followed (PP901 names module `vpc` and `terraform init`).
    modules_registry_endpoints_module_not_installed => Twin::of("modules/registry-endpoints-module-not-installed")
        .alone(&[("PP502", "unknown", "aws_security_group.app"), ("PP901", "fail", "aws_ecs_service.app")], 0);

    // ---- options ----

    option_several_findings => Twin::of("options/several-findings");
    option_select_code => Twin::of("options/several-findings").opts(&["--select", "PP101"]);
    option_select_names => Twin::of("options/several-findings")
        .opts(&["--select", "endpoint-az-coverage,workload-sg-blocks-https"]);
    option_ignore => Twin::of("options/several-findings").opts(&["--ignore", "PP101,PP502"]);
    option_fail_on_never => Twin::of("options/several-findings").opts(&["--fail-on", "never"]);
    option_fail_on_warning => Twin::of("endpoint-az-coverage/fail-endpoints-in-one-az")
        .opts(&["--fail-on", "warning"]);
    option_fail_on_note => Twin::of("s3-gateway-would-save-nat/fail-nat-without-s3-gateway")
        .opts(&["--fail-on", "note"]);
    option_mode_strict => Twin::of("ecr-dkr-endpoint-missing/pass-nat-without-endpoints")
        .opts(&["--mode", "strict"]);
    option_mode_strict_pp401_with_nat => Twin::of("s3-policy-blocks-layer-bucket/fail-app-bucket-only-with-nat")
        .opts(&["--mode", "strict"]);
    option_mode_strict_pp601_with_nat => Twin::of("image-unreachable/pass-docker-hub-with-nat")
        .opts(&["--mode", "strict"]);
    option_unknown_fail => Twin::of("s3-policy-blocks-layer-bucket/unknown-guessed-layer-bucket-govcloud")
        .opts(&["--unknown", "fail"]);
    option_unknown_ignore => Twin::of("s3-policy-blocks-layer-bucket/unknown-guessed-layer-bucket-govcloud")
        .opts(&["--unknown", "ignore"]);
    option_vpc_without_workload => Twin::of("options/vpc-without-workload");
    option_workload_fargate => Twin::of("options/vpc-without-workload")
        .opts(&["--workload", "aws_vpc.main=fargate"]);
    option_workload_any_vpc_batch_ec2
        => Twin::of("options/vpc-without-workload")
        .opts(&["--workload", "*=batch-ec2"]);

    // ---- suppressions ----

    /// PP109 on ecr.api suppressed by rule name (tests below check which); the other two stay.
    suppression_by_name_on_one_endpoint => Twin::of("suppressions/by-name-on-one-endpoint")
        .alone(PP109_ALL, 0);
    suppression_by_name_on_one_endpoint_fail_on_warning => Twin::of("suppressions/by-name-on-one-endpoint")
        .opts(&["--fail-on", "warning"])
        .alone(PP109_ALL, 1);
    /// PP401, suppressed (its reason in the JSON, tests below): exit 0.
    suppression_pp401_with_reason => Twin::of("suppressions/pp401-with-reason")
        .alone(&[("PP401", "fail", "aws_vpc_endpoint.s3")], 0);
    /// No reason: PP401 is not suppressed, and the comment is PP902.
    suppression_pp401_without_reason => Twin::of("suppressions/pp401-without-reason")
        .alone(&[("PP401", "fail", "aws_vpc_endpoint.s3"), ("PP902", "fail", "aws_vpc_endpoint.s3")], 1);
    /// A suppression that matches nothing: PP902, a note.
    suppression_unused => Twin::of("suppressions/unused")
        .alone(&[("PP902", "fail", "aws_vpc_endpoint.s3")], 0);
    suppression_unused_fail_on_note => Twin::of("suppressions/unused")
        .opts(&["--fail-on", "note"])
        .alone(&[("PP902", "fail", "aws_vpc_endpoint.s3")], 1);
}

const MODULES_REGISTRY: Expected = &[(
    "PP401",
    "fail",
    "module.vpc_endpoints.aws_vpc_endpoint.this[\"s3\"]",
)];
const PP109_ALL: Expected = &[
    ("PP109", "fail", "aws_vpc_endpoint.ecr_api"),
    ("PP109", "fail", "aws_vpc_endpoint.ecr_dkr"),
    ("PP109", "fail", "aws_vpc_endpoint.logs"),
];

/// Plan fixtures without a twin, and why (as `testdata/plans/generate.py --list` says).
const WITHOUT_TWIN: &[(&str, &str)] = &[
    (
        "testdata/plans/s3-policy-blocks-layer-bucket/pass-source-vpce-condition.json",
        "an update plan whose point is the endpoint's id, known because the endpoint exists; in HCL it is known only after apply (unknown-source-vpce-condition's twin)",
    ),
    (
        "testdata/plans/workload-network-unresolved/fail-subnets-through-local.json",
        "its point is that a plan does not record what a local holds; the HCL reader evaluates locals (pass-subnets-known's twin)",
    ),
    (
        "testdata/plans/s3-policy-blocks-layer-bucket/fail-association-endpoint-through-local.json",
        "its point is that a plan does not record what a local holds (the association's endpoint); the HCL reader evaluates locals, so a twin would name the endpoint",
    ),
    (
        "testdata/plans/s3-gateway-not-routed/unknown-association-endpoint-through-local.json",
        "its point is that a plan does not record what a local holds (the association's endpoint); the HCL reader evaluates locals, so a twin would name the endpoint",
    ),
    (
        "testdata/plans/s3-policy-blocks-layer-bucket/unknown-endpoint-policy-through-local.json",
        "its point is that a plan does not record what a local holds (the association's endpoint); the HCL reader evaluates locals, so a twin would name the endpoint",
    ),
    (
        "testdata/plans/prior-state/delete-ecr-dkr-endpoint.json",
        "its point is the prior state (`introduced`, `--fail-on-new-only`), which a configuration does not have",
    ),
];

/// The JSON report of a twin and its exit code.
fn hcl_json(dir: &str, opts: &[&str]) -> (Value, String, i32) {
    json_report(&format!("{TWINS}/{dir}"), opts)
}

fn finding<'a>(v: &'a Value, rule: &str, resource: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["resource"] == resource)
        .unwrap_or_else(|| panic!("no {rule} on {resource} in {v:#}"))
}

// ---- inline suppressions, end to end ----

#[test]
fn suppression_with_a_reason_applies() {
    let (v, out, code) = hcl_json("suppressions/pp401-with-reason", &[]);
    let f = finding(&v, "PP401", "aws_vpc_endpoint.s3");
    assert_eq!(
        f["suppressed"], "tasks pull through the registry mirror in the shared VPC (OPS-1234)",
        "{out}"
    );
    assert_eq!(code, 0, "a suppressed error does not fail the run\n{out}");
    assert_eq!(v["summary"]["suppressed"], 1, "{out}");
    assert_eq!(v["summary"]["errors"], 0, "{out}");
    // The same configuration without the comment fails.
    let (_, _, code) = hcl_json("s3-policy-blocks-layer-bucket/fail-app-bucket-only", &[]);
    assert_eq!(code, 1);
}

#[test]
fn suppression_without_a_reason_is_reported_and_does_not_apply() {
    let dir = "suppressions/pp401-without-reason";
    let (v, out, code) = hcl_json(dir, &[]);
    assert_eq!(
        finding(&v, "PP401", "aws_vpc_endpoint.s3")["suppressed"],
        Value::Null,
        "{out}"
    );
    let note = finding(&v, "PP902", "aws_vpc_endpoint.s3");
    assert_eq!(note["severity"], "note");
    assert_eq!(
        note["message"],
        "`pullpath:ignore=PP401` on aws_vpc_endpoint.s3 gives no reason, so it does not apply: a suppression needs a reason, written after the codes"
    );
    // The comment is the first line of endpoints.tf, directly above the block.
    assert_eq!(
        note["location"],
        json!({"file": format!("{TWINS}/{dir}/endpoints.tf"), "line": 1, "column": 1})
    );
    assert_eq!(code, 1, "{out}");
}

#[test]
fn suppression_that_matches_nothing_is_reported() {
    let dir = "suppressions/unused";
    let (v, out, code) = hcl_json(dir, &[]);
    let note = finding(&v, "PP902", "aws_vpc_endpoint.s3");
    assert_eq!(
        note["message"],
        "`pullpath:ignore=PP401` on aws_vpc_endpoint.s3 matches no finding of PP401 there"
    );
    assert_eq!(
        note["location"],
        json!({"file": format!("{TWINS}/{dir}/endpoints.tf"), "line": 1, "column": 1})
    );
    assert_eq!(code, 0, "a note\n{out}");
    // Without PP401 in the run, nothing could have matched: not reported.
    let (v, out, _) = hcl_json(dir, &["--select", "PP401,PP902", "--ignore", "PP401"]);
    assert_eq!(v["findings"], json!([]), "{out}");
}

#[test]
fn suppression_by_rule_name_covers_only_its_resource() {
    let (v, out, _) = hcl_json("suppressions/by-name-on-one-endpoint", &[]);
    let suppressed: Vec<(&str, &Value)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["resource"].as_str().unwrap(), &f["suppressed"]))
        .collect();
    assert_eq!(
        suppressed,
        vec![
            (
                "aws_vpc_endpoint.ecr_api",
                &json!("the ECR API is called once per task start")
            ),
            ("aws_vpc_endpoint.ecr_dkr", &Value::Null),
            ("aws_vpc_endpoint.logs", &Value::Null),
        ],
        "{out}"
    );
    // The comment is two lines above the block (another comment line between).
    let text = std::fs::read_to_string(format!(
        "{}/{TWINS}/suppressions/by-name-on-one-endpoint/endpoints.tf",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("resource \"aws_vpc_endpoint\" \"ecr_api\""))
        .unwrap();
    assert!(lines[at - 2].starts_with("# pullpath:ignore=endpoint-az-coverage "));
    assert!(lines[at - 1].starts_with("# (interface endpoint"));
}

// ---- registry modules: from the cache, and without it ----

#[test]
fn registry_module_twin_is_read_from_the_module_cache() {
    let dir = "modules/fail-registry-endpoints-module-app-bucket-policy";
    let (v, out, _) = hcl_json(dir, &[]);
    let f = finding(
        &v,
        "PP401",
        "module.vpc_endpoints.aws_vpc_endpoint.this[\"s3\"]",
    );
    assert_eq!(
        f["location"]["file"],
        format!("{TWINS}/{dir}/.terraform/modules/vpc_endpoints/modules/vpc-endpoints/main.tf"),
        "{out}"
    );
    assert_eq!(
        f["path"],
        json!([
            "aws_ecs_service.app",
            "module.vpc.aws_subnet.private[0]",
            "module.vpc.aws_route_table.private[0]",
            "module.vpc_endpoints.aws_vpc_endpoint.this[\"s3\"]",
            "module.vpc_endpoints.aws_vpc_endpoint.this[\"s3\"] policy"
        ]),
        "{out}"
    );
    assert_eq!(v["vpcs"][0]["vpc"], "module.vpc.aws_vpc.this[0]", "{out}");
}

#[test]
fn registry_module_twin_without_the_cache_says_to_run_terraform_init() {
    let dir = "modules/registry-endpoints-module-not-installed";
    let (v, out, code) = hcl_json(dir, &[]);
    let f = finding(&v, "PP901", "aws_ecs_service.app");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains(
            "module `vpc` (registry source terraform-aws-modules/vpc/aws) is not installed: run `terraform init`"
        ),
        "{message}"
    );
    assert_eq!(v["summary"]["vpcs"], 0, "no VPC can be checked\n{out}");
    assert_eq!(code, 0, "a warning by default\n{out}");
    let (_, _, code) = hcl_json(dir, &["--fail-on", "warning"]);
    assert_eq!(code, 1, "a gate with --fail-on warning stops");
}

/// The not-installed twin is the installed one without `.terraform`: the same files, but for
/// the header comment of main.tf.
#[test]
fn not_installed_twin_is_the_installed_twin_without_its_cache() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(TWINS)
        .join("modules");
    let with = root.join("fail-registry-endpoints-module-app-bucket-policy");
    let without = root.join("registry-endpoints-module-not-installed");
    assert!(with.join(".terraform/modules/modules.json").is_file());
    assert!(!without.join(".terraform").exists());
    let names = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&with), names(&without));
    let body = |p: PathBuf| -> String {
        let text = std::fs::read_to_string(p).unwrap();
        text.lines()
            .skip_while(|l| l.starts_with('#') || l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    for n in names(&with) {
        assert_eq!(body(with.join(&n)), body(without.join(&n)), "{n} differs");
    }
}

// ---- exact lines ----

/// Findings' locations, written out: (twin, rule, resource, file in the twin, line). The
/// `findings` tests check every finding against the block they find in the files; these pin the
/// numbers, read off the files by hand.
const LINES: &[(&str, &str, &str, &str, u64)] = &[
    (
        "ecr-dkr-endpoint-missing/fail-no-ecr-dkr",
        "PP101",
        "aws_vpc.main",
        "network.tf",
        1,
    ),
    (
        "ecr-api-endpoint-missing/fail-batch-fargate",
        "PP102",
        "aws_vpc.main",
        "network.tf",
        1,
    ),
    (
        "s3-gateway-endpoint-missing/fail-s3-interface-only",
        "PP103",
        "aws_vpc.main",
        "network.tf",
        1,
    ),
    (
        "endpoint-wrong-type/fail-type-unset",
        "PP107",
        "aws_vpc_endpoint.ecr_dkr",
        "endpoints.tf",
        23,
    ),
    (
        "endpoint-region-mismatch/fail-service-name-other-region",
        "PP108",
        "aws_vpc_endpoint.ecr_dkr",
        "endpoints.tf",
        23,
    ),
    (
        "endpoint-az-coverage/fail-endpoints-in-one-az",
        "PP109",
        "aws_vpc_endpoint.ecr_api",
        "endpoints.tf",
        11,
    ),
    (
        "endpoint-az-coverage/fail-endpoints-in-one-az",
        "PP109",
        "aws_vpc_endpoint.ecr_dkr",
        "endpoints.tf",
        23,
    ),
    (
        "endpoint-az-coverage/fail-endpoints-in-one-az",
        "PP109",
        "aws_vpc_endpoint.logs",
        "endpoints.tf",
        35,
    ),
    (
        "s3-gateway-would-save-nat/fail-nat-without-s3-gateway",
        "PP110",
        "aws_vpc.main",
        "network.tf",
        1,
    ),
    (
        "endpoint-private-dns-disabled/fail-private-dns-unset",
        "PP201",
        "aws_vpc_endpoint.logs",
        "endpoints.tf",
        35,
    ),
    (
        "vpc-dns-disabled/fail-dns-support-false",
        "PP202",
        "aws_vpc.main",
        "network.tf",
        1,
    ),
    (
        "s3-gateway-not-routed/fail-subnet-on-main-route-table",
        "PP301",
        "aws_vpc_endpoint.s3",
        "endpoints.tf",
        1,
    ),
    // After data.aws_iam_policy_document.s3_endpoint, at the top of the file.
    (
        "s3-policy-blocks-layer-bucket/fail-deny-other-resource-accounts",
        "PP401",
        "aws_vpc_endpoint.s3",
        "endpoints.tf",
        33,
    ),
    (
        "ecr-policy-blocks-pull/fail-token-not-allowed",
        "PP402",
        "aws_vpc_endpoint.ecr_api",
        "endpoints.tf",
        11,
    ),
    (
        "logs-policy-blocks-logging/fail-put-log-events-only",
        "PP403",
        "aws_vpc_endpoint.logs",
        "endpoints.tf",
        35,
    ),
    (
        "execution-role-cannot-pull/fail-role-without-policies",
        "PP404",
        "aws_iam_role.task_execution",
        "iam.tf",
        1,
    ),
    (
        "execution-role-cannot-pull/fail-no-execution-role",
        "PP404",
        "aws_ecs_task_definition.app",
        "main.tf",
        36,
    ),
    (
        "ecr-push-permissions-incomplete/fail-partial-layer-upload",
        "PP405",
        "aws_iam_role_policy.push",
        "iam.tf",
        17,
    ),
    (
        "ecr-push-permissions-incomplete/fail-public-without-sts",
        "PP405",
        "aws_iam_user_policy.publish",
        "iam.tf",
        5,
    ),
    (
        "ecr-public-private-prefix-mixup/fail-repository-policy-prefix",
        "PP406",
        "aws_ecr_repository_policy.app",
        "main.tf",
        14,
    ),
    (
        "endpoint-sg-blocks-https/fail-managed-default-sg-without-rules",
        "PP501",
        "aws_vpc_endpoint.ecr_dkr",
        "endpoints.tf",
        22,
    ),
    (
        "endpoint-sg-blocks-https/fail-managed-default-sg-without-rules",
        "PP502",
        "aws_default_security_group.default",
        "security.tf",
        1,
    ),
    (
        "workload-sg-blocks-https/fail-no-egress",
        "PP502",
        "aws_security_group.app",
        "security.tf",
        1,
    ),
    (
        "workload-network-unresolved/fail-subnets-not-in-input",
        "PP901",
        "aws_ecs_service.app",
        "main.tf",
        69,
    ),
    // In the registry module's copy that `terraform init` installed.
    (
        "modules/fail-registry-endpoints-module-app-bucket-policy",
        "PP401",
        "module.vpc_endpoints.aws_vpc_endpoint.this[\"s3\"]",
        ".terraform/modules/vpc_endpoints/modules/vpc-endpoints/main.tf",
        26,
    ),
    (
        "modules/registry-endpoints-module-not-installed",
        "PP901",
        "aws_ecs_service.app",
        "main.tf",
        65,
    ),
    (
        "examples/seed-incident",
        "PP401",
        "aws_vpc_endpoint.s3",
        "endpoints.tf",
        1,
    ),
];

#[test]
fn locations_are_the_resource_blocks_or_the_attributes_at_fault() {
    assert!(LINES.len() >= 20);
    for (dir, rule, resource, file, line) in LINES {
        let (v, out, _) = hcl_json(dir, &[]);
        let f = finding(&v, rule, resource);
        let path = format!("{TWINS}/{dir}/{file}");
        assert_eq!(
            f["location"],
            expected_location(rule, &path, *line as usize, &f["location"]),
            "{dir}: {rule} on {resource}\n{out}"
        );
        let text = std::fs::read_to_string(format!(
            "{}/{TWINS}/{dir}/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let at = text.lines().nth(*line as usize - 1).unwrap();
        let (_, rtype, name, _) = parse_address(resource).unwrap();
        assert!(
            at.contains(&format!("\"{rtype}\" \"{name}\" {{")),
            "{dir}/{file}:{line} is {at:?}"
        );
    }
}

// ---- coverage ----

/// The twins' root directories: `<group>/<name>/` holding `.tf` files.
fn twin_dirs() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(TWINS);
    let mut out = Vec::new();
    for group in std::fs::read_dir(&root).unwrap() {
        let group = group.unwrap().path();
        for twin in std::fs::read_dir(&group).unwrap() {
            let twin = twin.unwrap().path();
            if twin.is_dir() && !tf_files(&twin).is_empty() {
                out.push(
                    twin.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

/// Every twin is run by a case.
#[test]
fn every_twin_has_a_case() {
    let used: BTreeSet<&str> = CASES.iter().map(|(_, t, _)| t.dir).collect();
    let missing: Vec<String> = twin_dirs()
        .into_iter()
        .filter(|d| !used.contains(d.as_str()))
        .collect();
    assert!(missing.is_empty(), "twins without a case: {missing:#?}");
}

/// Every plan fixture of `testdata/plans/` (and `testdata/examples/`) has a twin case, or a
/// reason in WITHOUT_TWIN.
#[test]
fn every_plan_fixture_has_a_twin_or_a_reason() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let twinned: BTreeSet<String> = CASES.iter().filter_map(|(_, t, _)| t.plan_path()).collect();
    let mut missing = Vec::new();
    let mut stack = vec![root.join("testdata/plans"), root.join("testdata/examples")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if !rel.ends_with(".json") {
                continue;
            }
            let skipped = WITHOUT_TWIN.iter().any(|(f, _)| *f == rel);
            assert!(
                !(skipped && twinned.contains(&rel)),
                "{rel} has a twin and a reason not to"
            );
            if !skipped && !twinned.contains(&rel) {
                missing.push(rel);
            }
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "plan fixtures without a twin: {missing:#?}"
    );
}

/// Every `snapshots/hcl_twins/*.snap` belongs to a case whose snapshot is checked, and every
/// such case has one.
#[test]
fn snapshots_match_the_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/hcl_twins");
    let mut seen = BTreeSet::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let Some(case) = name.strip_suffix(".snap") else {
            continue;
        };
        match CASES.iter().find(|(c, _, _)| *c == case) {
            None => panic!("{name}: no case {case}"),
            Some((_, _, true)) => {
                panic!("{name}: the case {case} is a known bug; its snapshot is not checked, remove it")
            }
            Some((_, t, _)) => assert_eq!(
                snapshot_owner(t),
                case,
                "{name}: the twin's snapshot is the other case's"
            ),
        }
        seen.insert(case.to_string());
    }
    for (case, t, bug) in CASES {
        assert!(
            *bug || snapshot_owner(t) != *case || seen.contains(*case),
            "missing snapshot hcl_twins/{case}.snap"
        );
    }
}
