//! A plan and the configuration it was made from (issue 17, `testdata/plan-source/`): the
//! source is found (`--source`, `source` in `.pullpath.hcl`, `$PULLPATH_SOURCE`, else the plan's
//! directory, a directory input, the current directory), said in a note, and gives findings on
//! the plan their `.tf` locations and inline suppressions; a directory that does not match is a
//! note, never used; a plan and its own directory are not counted twice.
//!
//! Snapshots (`snapshots/plan_source/`): text, JSON and SARIF of each case, run from the
//! repository root. Update with `INSTA_UPDATE=always cargo test --test plan_source`.

use std::path::Path;
use std::process::Command;

use serde_json::Value as J;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const CASES: &str = "testdata/plan-source";

/// Runs `pullpath ARGS` in `dir` (relative to the repository root) with no `PULLPATH_*`
/// variable but those of `env`: (stdout, stderr, exit code).
fn run_in(dir: &str, args: &[&str], env: &[(&str, &str)]) -> (String, String, i32) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    c.current_dir(Path::new(ROOT).join(dir)).args(args);
    for name in pullpath::app::OPTION_ENV {
        c.env_remove(name);
    }
    c.env_remove("PULLPATH_TERRAFORM_BIN")
        .env_remove("PULLPATH_TODAY")
        .env_remove("NO_COLOR");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn run(args: &[&str]) -> (String, String, i32) {
    run_in(".", args, &[])
}

fn json(args: &[&str]) -> J {
    let mut a = vec!["check", "--format", "json"];
    a.extend_from_slice(args);
    let (out, err, code) = run(&a);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn notes(j: &J) -> Vec<String> {
    j["input_notes"]
        .as_array()
        .map(|a| a.iter().map(|n| n.to_string()).collect())
        .unwrap_or_default()
}

fn locations(j: &J) -> Vec<String> {
    j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| match &f["location"] {
            J::Null => "none".to_string(),
            l => format!(
                "{}:{}:{}",
                l["file"].as_str().unwrap(),
                l["line"],
                l["column"]
            ),
        })
        .collect()
}

fn snapshot(case: &str) {
    let plan = format!("{CASES}/{case}/plan.json");
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots/plan_source");
    s.set_prepend_module_to_snapshot(false);
    for format in ["text", "json", "sarif"] {
        let (out, err, code) = run(&["check", "--color", "never", "--format", format, &plan]);
        assert!(
            code == 0 || code == 1,
            "{case} {format}: exit {code}: {err}"
        );
        // The SARIF's `%SRCROOT%` is the directory pullpath runs in: this checkout.
        let out = out.replace(&format!("file://{ROOT}/"), "file://[ROOT]/");
        let name = format!("{}-{format}", case.replace('/', "-"));
        s.bind(|| insta::assert_snapshot!(name, out));
    }
}

#[test]
fn snapshots_show_the_tf_locations() {
    for case in ["matching", "edited", "mismatch", "module", "suppressed"] {
        snapshot(case);
    }
}

#[test]
fn the_plans_directory_is_its_source_when_it_matches() {
    let j = json(&[&format!("{CASES}/matching/plan.json")]);
    assert_eq!(
        locations(&j),
        ["testdata/plan-source/matching/endpoints.tf:6:3"]
    );
    assert!(
        notes(&j)
            .iter()
            .any(|n| n.contains("configuration read from testdata/plan-source/matching")),
        "{:?}",
        notes(&j)
    );
}

/// Two plans, each with its own source, in one run: each is matched, evaluated and located from
/// its own directory (what the first one's source leaves is kept until exit, the second's freed
/// as the run goes on).
#[test]
fn two_plans_each_read_with_its_own_source() {
    let j = json(&[
        &format!("{CASES}/matching/plan.json"),
        &format!("{CASES}/module/plan.json"),
    ]);
    let notes = notes(&j);
    for dir in ["matching", "module"] {
        assert!(
            notes
                .iter()
                .any(|n| n.contains(&format!("configuration read from {CASES}/{dir}:"))),
            "{dir}: {notes:?}"
        );
    }
    let mut at = locations(&j);
    at.sort();
    assert_eq!(at.len(), 2, "{at:?}");
    assert!(
        at[0].starts_with(&format!("{CASES}/matching/endpoints.tf:")),
        "{at:?}"
    );
    assert!(
        at[1].starts_with(&format!("{CASES}/module/.terraform/modules/")),
        "{at:?}"
    );
}

#[test]
fn without_a_source_findings_have_no_tf_location() {
    // The same plan where no configuration is: the plan fixture's directory, and --no-source.
    let j = json(&["testdata/plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only.json"]);
    assert_eq!(locations(&j), ["none"]);
    assert!(notes(&j).iter().all(|n| !n.contains("configuration")));
    let j = json(&["--no-source", &format!("{CASES}/matching/plan.json")]);
    assert_eq!(locations(&j), ["none"]);
}

#[test]
fn source_is_taken_from_the_option_the_environment_and_the_config_file() {
    let plan = "testdata/plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only.json";
    let j = json(&["--source", &format!("{CASES}/matching"), plan]);
    assert_eq!(
        locations(&j),
        ["testdata/plan-source/matching/endpoints.tf:6:3"]
    );
    let (out, err, code) = run_in(
        ".",
        &["check", "--format", "json", plan],
        &[("PULLPATH_SOURCE", "testdata/plan-source/edited")],
    );
    assert_eq!(code, 1, "{err}");
    let j: J = serde_json::from_str(&out).unwrap();
    assert_eq!(
        locations(&j),
        ["testdata/plan-source/edited/endpoints.tf:9:3"]
    );
    // `source` in `.pullpath.hcl`, relative to the file's directory.
    let dir = std::env::temp_dir().join(format!("pullpath-source-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("pullpath.hcl");
    let src = Path::new(ROOT).join(CASES).join("matching");
    std::fs::write(&cfg, format!("source = \"{}\"\n", src.display())).unwrap();
    let j = json(&["--config", cfg.to_str().unwrap(), plan]);
    let locs = locations(&j);
    assert!(
        locs[0].ends_with("plan-source/matching/endpoints.tf:6:3"),
        "{locs:?}"
    );
    // --no-source wins over the file.
    let j = json(&["--config", cfg.to_str().unwrap(), "--no-source", plan]);
    assert_eq!(locations(&j), ["none"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_source_directory_that_does_not_exist_is_an_error() {
    let (_, err, code) = run(&[
        "check",
        "--source",
        "testdata/plan-source/nowhere",
        "testdata/plan-source/matching/plan.json",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--source testdata/plan-source/nowhere: not a directory"),
        "{err}"
    );
}

#[test]
fn a_directory_that_does_not_match_is_a_note_and_not_used() {
    let j = json(&[&format!("{CASES}/mismatch/plan.json")]);
    assert_eq!(locations(&j), ["none"]);
    let n = notes(&j);
    assert!(
        n.iter().any(|n| n.contains(
            "testdata/plan-source/mismatch is not the configuration of this plan: it does not declare `aws_route_table.private`"
        )),
        "{n:?}"
    );
    // Named explicitly, it is not used either.
    let j = json(&[
        "--source",
        &format!("{CASES}/mismatch"),
        "testdata/plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only.json",
    ]);
    assert_eq!(locations(&j), ["none"]);
    assert!(notes(&j)
        .iter()
        .any(|n| n.contains("(--source) is not the configuration")));
}

#[test]
fn an_edited_source_is_used_for_locations_and_the_plan_wins() {
    let j = json(&[&format!("{CASES}/edited/plan.json")]);
    // The source's policy allows the layer bucket; the plan's does not: PP401 still fails.
    let f = &j["findings"][0];
    assert_eq!(f["rule"], "PP401");
    assert_eq!(f["verdict"], "fail");
    assert_eq!(
        locations(&j),
        ["testdata/plan-source/edited/endpoints.tf:9:3"]
    );
    assert!(notes(&j).iter().any(|n| n.contains(
        "declares `aws_vpc_endpoint.sts`, which the plan does not: the configuration was edited after the plan"
    )));
    // The policy the plan knows differs from the source's: said, and the plan's is checked.
    assert!(notes(&j).iter().any(|n| n.contains(
        "testdata/plan-source/edited differs from the plan at `aws_vpc_endpoint.s3.policy`: the configuration was edited after the plan; the plan's values are checked"
    )), "{:?}", notes(&j));
    // Its own configuration differs nowhere.
    let j = json(&[&format!("{CASES}/matching/plan.json")]);
    assert!(
        notes(&j).iter().all(|n| !n.contains("differs")),
        "{:?}",
        notes(&j)
    );
}

#[test]
fn a_policy_whose_statements_are_in_another_order_is_not_an_edit() {
    // `reordered`: the plan's S3 policy has the layer-bucket statement first; the source writes
    // it second, with the app statement's actions and resources in another order and one action
    // as a string. IAM reads these as sets: the same document, so no "edited" note, and the
    // policy (which allows the layer bucket) passes.
    let (out, err, code) = run(&[
        "check",
        "--format",
        "json",
        &format!("{CASES}/reordered/plan.json"),
    ]);
    assert_eq!(code, 0, "{err}");
    let j: J = serde_json::from_str(&out).unwrap();
    assert_eq!(j["findings"], serde_json::json!([]), "{j:#}");
    let n = notes(&j);
    assert!(
        n.iter()
            .any(|n| n.contains("configuration read from testdata/plan-source/reordered")),
        "{n:?}"
    );
    assert!(
        n.iter()
            .all(|n| !n.contains("differs") && !n.contains("edited after the plan")),
        "{n:?}"
    );
}

#[test]
fn resources_in_installed_modules_point_at_the_module_files() {
    let j = json(&[&format!("{CASES}/module/plan.json")]);
    let locs = locations(&j);
    // PP401 on the S3 endpoint (the other endpoints are decided from the source and pass), at
    // the `policy` attribute of the installed module's endpoint block.
    assert_eq!(locs.len(), 1, "{locs:?}");
    for l in locs {
        assert_eq!(
            l,
            "testdata/plan-source/module/.terraform/modules/vpc_endpoints/modules/vpc-endpoints/main.tf:37:3"
        );
    }
}

#[test]
fn findings_in_a_module_also_point_at_the_module_call_in_the_root() {
    let plan = format!("{CASES}/module/plan.json");
    let j = json(&[&plan]);
    let f = &j["findings"][0];
    assert_eq!(f["rule"], "PP401");
    assert_eq!(
        f["module_call"],
        serde_json::json!({
            "module": "vpc_endpoints",
            "file": "testdata/plan-source/module/endpoints.tf",
            "line": 1,
            "column": 1,
        })
    );
    let (sarif, _, _) = run(&["check", "--format", "sarif", &plan]);
    let s: J = serde_json::from_str(&sarif).unwrap();
    let related = s["runs"][0]["results"][0]["relatedLocations"]
        .as_array()
        .unwrap();
    let call = related
        .iter()
        .find(|r| r["message"]["text"] == "module.vpc_endpoints is called here")
        .unwrap_or_else(|| panic!("{related:?}"));
    assert_eq!(
        call["physicalLocation"]["artifactLocation"]["uri"],
        "testdata/plan-source/module/endpoints.tf"
    );
    assert_eq!(call["physicalLocation"]["region"]["startLine"], 1);
    let (text, _, _) = run(&["check", &plan]);
    assert!(
        text.contains(
            "--> testdata/plan-source/module/endpoints.tf:1:1 (module.vpc_endpoints is called here)"
        ),
        "{text}"
    );
    // The same resource read from the configuration alone.
    let hcl = json(&[&format!("{CASES}/module")]);
    let pp401: Vec<&J> = hcl["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PP401")
        .collect();
    assert_eq!(pp401.len(), 1, "{hcl}");
    assert_eq!(pp401[0]["module_call"]["line"], 1);
    assert_eq!(pp401[0]["location"]["line"], 37);
    // A finding on a root resource has none.
    let root = json(&[&format!("{CASES}/matching/plan.json")]);
    for f in root["findings"].as_array().unwrap() {
        assert!(f.get("module_call").is_none(), "{f}");
    }
}

#[test]
fn inline_suppressions_in_the_source_apply_to_the_plan() {
    let (out, err, code) = run(&[
        "check",
        "--format",
        "json",
        "testdata/plan-source/suppressed/plan.json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: J = serde_json::from_str(&out).unwrap();
    assert_eq!(
        j["findings"][0]["suppressed"],
        "the app bucket policy is replaced by the platform team before rollout"
    );
}

#[test]
fn a_plan_and_its_own_directory_are_not_counted_twice() {
    for args in [
        vec![
            "testdata/plan-source/matching/plan.json",
            "testdata/plan-source/matching",
        ],
        vec![
            "testdata/plan-source/matching",
            "testdata/plan-source/matching/plan.json",
        ],
    ] {
        let j = json(&args);
        assert_eq!(j["summary"]["vpcs"], 1, "{args:?}");
        assert_eq!(j["inputs"].as_array().unwrap().len(), 1, "{args:?}");
        assert!(notes(&j).iter().any(|n| n.contains(
            "testdata/plan-source/matching: read as the configuration of testdata/plan-source/matching/plan.json"
        )));
    }
    // From the configuration's directory, as a CI job runs it: `pullpath check plan.json .`.
    let (out, err, code) = run_in(
        "testdata/plan-source/matching",
        &["check", "--format", "json", "plan.json", "."],
        &[],
    );
    assert_eq!(code, 1, "{err}");
    let j: J = serde_json::from_str(&out).unwrap();
    assert_eq!(j["summary"]["vpcs"], 1);
    assert_eq!(locations(&j), ["endpoints.tf:6:3"]);
}

#[test]
fn github_annotations_land_on_tf_lines() {
    let (out, _, _) = run(&[
        "check",
        "--format",
        "github",
        "testdata/plan-source/matching/plan.json",
    ]);
    assert!(
        out.contains("::error file=testdata/plan-source/matching/endpoints.tf,line=6,col=3"),
        "{out}"
    );
}

#[test]
fn what_the_plan_records_only_as_a_local_is_decided_from_the_source() {
    // terraform-aws-modules vpc-endpoints: `for_each = local.endpoints`, so the plan records
    // each endpoint's policy, route tables and security groups only as "through a local".
    let plan = format!("{CASES}/module/plan.json");
    let verdicts = |j: &J| -> Vec<String> {
        j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {} {}", f["rule"], f["verdict"], f["resource"]))
            .collect()
    };
    let alone = json(&["--no-source", &plan]);
    assert_eq!(alone["summary"]["unknown"], 6, "{:?}", verdicts(&alone));
    let with = json(&[&plan]);
    assert_eq!(with["summary"]["unknown"], 0, "{:?}", verdicts(&with));
    // The same verdicts as the configuration read alone.
    let hcl = json(&[&format!("{CASES}/module")]);
    assert_eq!(verdicts(&with), verdicts(&hcl));
    assert!(notes(&with).iter().any(|n| n.contains(
        "decided from the configuration in testdata/plan-source/module (evaluated with the plan's variable values), where the plan records only a local: `module.vpc_endpoints.aws_vpc_endpoint.this[\\\"ecr_api\\\"].policy`"
    )), "{:?}", notes(&with));
}

/// The registry-module stack of `testdata/plan-source/registry/` (terraform-aws-modules vpc +
/// vpc-endpoints + a Fargate service, the modules installed under `.terraform/modules`; written
/// by `testdata/plans/generate.py`): a working case and one per broken hop, with the rules that
/// fail on it when the plan is read with its source.
const REGISTRY: &[(&str, &[&str])] = &[
    ("working", &[]),
    ("no-ecr-api", &["PP102"]),
    ("no-ecr-dkr", &["PP101"]),
    ("no-logs", &["PP104"]),
    ("s3-policy-app-bucket-only", &["PP401"]),
    ("endpoint-sg-without-https", &["PP501"]),
    ("private-dns-off", &["PP201"]),
];

/// (unknown verdicts, failing rules) of a JSON report.
fn verdicts(j: &J) -> (u64, Vec<String>) {
    let mut fails: Vec<String> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["verdict"] == "fail")
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    fails.dedup();
    (j["summary"]["unknown"].as_u64().unwrap(), fails)
}

#[test]
fn with_its_source_a_plan_of_the_registry_stack_decides_every_hop() {
    let (mut before, mut after) = (0, 0);
    for (case, fails) in REGISTRY {
        let plan = format!("{CASES}/registry/{case}/plan.json");
        let (unknown_alone, _) = verdicts(&json(&["--no-source", &plan]));
        let with = json(&[&plan]);
        let (unknown_with, failing) = verdicts(&with);
        assert_eq!(unknown_with, 0, "{case}: {with:#}");
        assert_eq!(failing, *fails, "{case}: {with:#}");
        // The same verdicts from the configuration alone.
        let hcl = json(&[&format!("{CASES}/registry/{case}")]);
        assert_eq!(
            verdicts(&hcl),
            (0, fails.iter().map(|f| f.to_string()).collect()),
            "{case}"
        );
        // Every finding on a .tf line of the case's source.
        for l in locations(&with) {
            assert!(
                l.starts_with(&format!("{CASES}/registry/{case}/")) && l.contains(".tf:"),
                "{case}: {l}"
            );
        }
        assert!(
            unknown_alone > 0,
            "{case}: the plan alone decides everything"
        );
        before += unknown_alone;
        after += unknown_with;
    }
    // The figures of the README ("Plans with their source").
    assert_eq!((before, after), (58, 0));
}

#[test]
fn registry_findings_point_at_the_attribute_at_fault_and_the_module_call() {
    let at = |case: &str| {
        let j = json(&[&format!("{CASES}/registry/{case}/plan.json")]);
        let f = j["findings"][0].clone();
        (
            locations(&j)[0].replace(&format!("{CASES}/registry/{case}/"), ""),
            f["module_call"]["line"].as_u64(),
        )
    };
    let module = ".terraform/modules/vpc_endpoints/modules/vpc-endpoints/main.tf";
    // The `policy`, `security_group_ids` and `private_dns_enabled` of the module's endpoint
    // block; the module call on line 1 of endpoints.tf.
    assert_eq!(
        at("s3-policy-app-bucket-only"),
        (format!("{module}:37:3"), Some(1))
    );
    assert_eq!(
        at("endpoint-sg-without-https"),
        (format!("{module}:34:3"), Some(1))
    );
    assert_eq!(at("private-dns-off"), (format!("{module}:38:3"), Some(1)));
}

#[test]
fn registry_snapshots_show_the_tf_locations() {
    for (case, _) in REGISTRY {
        snapshot(&format!("registry/{case}"));
    }
}

/// The `entry` of hook `id` in `.pre-commit-hooks.yaml`, split on spaces after `pullpath`.
fn hook_entry(id: &str) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml")).unwrap();
    let mut lines = text
        .lines()
        .skip_while(|l| l.trim() != format!("- id: {id}"));
    assert!(lines.next().is_some(), "no hook {id}");
    let entry = lines
        .take_while(|l| !l.starts_with("- id:"))
        .find_map(|l| l.trim().strip_prefix("entry:"))
        .unwrap_or_else(|| panic!("hook {id} has no entry"));
    let words: Vec<String> = entry.split_whitespace().map(str::to_string).collect();
    assert_eq!(
        words.first().map(String::as_str),
        Some("pullpath"),
        "{entry}"
    );
    words[1..].to_vec()
}

#[test]
fn the_pre_commit_plan_hook_uses_the_repository_as_the_source() {
    // pre-commit runs a hook in the repository's root with the hook's `args`: here the
    // registry stack's directory is the repository, and the plan is named in `args`, either in
    // the repository or elsewhere (a CI workspace): its configuration is found either way.
    let case = format!("{CASES}/registry/s3-policy-app-bucket-only");
    let outside = std::env::temp_dir().join(format!("pullpath-hook-plan-{}", std::process::id()));
    std::fs::create_dir_all(&outside).unwrap();
    let plan_outside = outside.join("plan.json");
    std::fs::copy(Path::new(ROOT).join(&case).join("plan.json"), &plan_outside).unwrap();
    for plan in ["plan.json", plan_outside.to_str().unwrap()] {
        let mut args = hook_entry("pullpath-plan");
        args.extend(["--format".into(), "json".into(), plan.into()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (out, err, code) = run_in(&case, &args, &[]);
        assert_eq!(code, 1, "{plan}: {err}");
        let j: J = serde_json::from_str(&out).unwrap();
        assert_eq!(j["summary"]["unknown"], 0, "{plan}: {j:#}");
        assert_eq!(
            locations(&j),
            [".terraform/modules/vpc_endpoints/modules/vpc-endpoints/main.tf:37:3"],
            "{plan}"
        );
        assert!(
            notes(&j)
                .iter()
                .any(|n| n.contains("configuration read from .:")),
            "{plan}: {:?}",
            notes(&j)
        );
    }
    let _ = std::fs::remove_dir_all(&outside);
}

#[test]
fn alone_the_plan_fails_a_pull_that_breaks_whichever_way_the_association_goes() {
    // The plan does not record the S3 gateway endpoint's route tables (they go through
    // `local.endpoints`), there is no NAT, and its policy allows only the application bucket:
    // associated, PP401; not associated, PP301. Either way the pull breaks: the run fails.
    let plan = format!("{CASES}/registry/s3-policy-app-bucket-only/plan.json");
    let (out, err, code) = run(&["check", "--format", "json", "--no-source", &plan]);
    assert_eq!(code, 1, "{err}");
    let j: J = serde_json::from_str(&out).unwrap();
    let (_, fails) = verdicts(&j);
    assert_eq!(fails, ["PP401"], "{j:#}");
    let pp401 = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "PP401")
        .unwrap();
    let message = pp401["message"].as_str().unwrap();
    assert!(
        message.contains("whichever way") && message.contains("PP301, PP401"),
        "{message}"
    );
    // The working stack: associated it passes, not associated PP301 fails; not decided.
    let plan = format!("{CASES}/registry/working/plan.json");
    let (out, _, code) = run(&["check", "--format", "json", "--no-source", &plan]);
    assert_eq!(code, 0);
    let j: J = serde_json::from_str(&out).unwrap();
    let pp301 = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "PP301")
        .unwrap();
    assert_eq!(pp301["verdict"], "unknown");
    assert!(
        pp301["message"]
            .as_str()
            .unwrap()
            .contains("may be associated with module.vpc.aws_route_table.private[0]"),
        "{pp301:#}"
    );
}

#[test]
fn alone_the_plan_fails_endpoint_groups_that_block_https_whichever_they_are() {
    // The Interface endpoints' `security_group_ids` (and `subnet_ids`) go through
    // `local.endpoints`, which the plan does not record; but the VPC is created by the plan, so
    // the endpoints' groups are among the plan's groups in that VPC and its default group, and
    // none of them admits HTTPS from the tasks: PP501 fails (exit 1), it is not left unknown.
    let plan = format!("{CASES}/registry/endpoint-sg-without-https/plan.json");
    let (out, err, code) = run(&["check", "--format", "json", "--no-source", &plan]);
    assert_eq!(code, 1, "{err}");
    let j: J = serde_json::from_str(&out).unwrap();
    let pp501: Vec<&J> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PP501")
        .collect();
    assert_eq!(pp501.len(), 3, "{j:#}");
    for f in &pp501 {
        assert_eq!(f["verdict"], "fail", "{f:#}");
        let m = f["message"].as_str().unwrap();
        assert!(
            m.contains("whichever security groups")
                && m.contains("module.vpc.aws_vpc.this[0] is created by this plan")
                && m.contains("aws_security_group.vpc_endpoints"),
            "{m}"
        );
    }
    // PP109 still depends on the subnets the plan does not record: unknown, not a pass.
    let pp109: Vec<&J> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PP109")
        .collect();
    assert_eq!(pp109.len(), 3, "{j:#}");
    assert!(pp109.iter().all(
        |f| f["verdict"] == "unknown" && f["message"].as_str().unwrap().contains("subnet_ids")
    ));
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots/plan_source");
    s.set_prepend_module_to_snapshot(false);
    let (text, _, code) = run(&["check", "--color", "never", "--no-source", &plan]);
    assert_eq!(code, 1);
    s.bind(|| insta::assert_snapshot!("registry-endpoint-sg-without-https-plan-only-text", text));
    // The working stack: its endpoint group admits HTTPS, the others do not; which one the
    // endpoints get is not decided from the plan alone: unknown, naming the groups, exit 0.
    let plan = format!("{CASES}/registry/working/plan.json");
    let (out, _, code) = run(&["check", "--format", "json", "--no-source", &plan]);
    assert_eq!(code, 0);
    let j: J = serde_json::from_str(&out).unwrap();
    let pp501: Vec<&J> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PP501")
        .collect();
    assert_eq!(pp501.len(), 3, "{j:#}");
    for f in &pp501 {
        assert_eq!(f["verdict"], "unknown", "{f:#}");
        let m = f["message"].as_str().unwrap();
        assert!(
            m.contains("security_group_ids")
                && m.contains("of which aws_security_group.vpc_endpoints admits HTTPS"),
            "{m}"
        );
    }
}

/// `--format github` and `--format markdown` on the registry stack: a finding on a resource
/// of a module names the module and the line of the root that calls it, as `text`, JSON and
/// SARIF do (issue 17).
#[test]
fn registry_annotations_and_pr_comment_show_the_module_call() {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots/plan_source");
    s.set_prepend_module_to_snapshot(false);
    for (case, _) in REGISTRY {
        let plan = format!("{CASES}/registry/{case}/plan.json");
        let (out, err, code) = run(&["check", "--format", "github", &plan]);
        assert!(code == 0 || code == 1, "{case}: exit {code}: {err}");
        s.bind(|| insta::assert_snapshot!(format!("registry-{case}-github"), out));
    }
    for case in ["s3-policy-app-bucket-only", "endpoint-sg-without-https"] {
        let plan = format!("{CASES}/registry/{case}/plan.json");
        let (out, err, code) = run(&["check", "--format", "markdown", &plan]);
        assert_eq!(code, 1, "{case}: {err}");
        s.bind(|| insta::assert_snapshot!(format!("registry-{case}-markdown"), out));
    }
    let plan = format!("{CASES}/registry/s3-policy-app-bucket-only/plan.json");
    let (github, _, _) = run(&["check", "--format", "github", &plan]);
    let annotation = github.lines().next().unwrap();
    assert!(
        annotation.starts_with(&format!(
            "::error file={CASES}/registry/s3-policy-app-bucket-only/.terraform/modules/vpc_endpoints/modules/vpc-endpoints/main.tf,line=37,col=3,"
        )) && annotation.contains(&format!(
            "%0Ain module `vpc_endpoints`, called at {CASES}/registry/s3-policy-app-bucket-only/endpoints.tf:1:1%0A"
        )),
        "{github}"
    );
    let (markdown, _, _) = run(&["check", "--format", "markdown", &plan]);
    assert!(
        markdown.contains(&format!(
            "**Module call:** in `module.vpc_endpoints`, called at `{CASES}/registry/s3-policy-app-bucket-only/endpoints.tf:1:1`"
        )),
        "{markdown}"
    );
    // A finding on a root resource has no module call.
    let (github, _, _) = run(&[
        "check",
        "--format",
        "github",
        &format!("{CASES}/matching/plan.json"),
    ]);
    assert!(!github.contains("called at"), "{github}");
}

/// The comparison with the source runs beside the graph and the rules (its evaluation on a
/// thread of its own); its note still comes where it was written before: after the notes on
/// how the source was matched, before those added later in the run (here the source directory,
/// given as an input too, is read as the plan's configuration). The library's `read_all`
/// gives the same notes in the same order as the `check` command.
#[test]
fn the_comparison_note_keeps_its_place() {
    let dir = format!("{CASES}/edited");
    let plan = format!("{dir}/plan.json");
    let j = json(&[&plan, &dir]);
    let n = notes(&j);
    let at = |what: &str| {
        n.iter()
            .position(|x| x.contains(what))
            .unwrap_or_else(|| panic!("no note with {what:?}: {n:?}"))
    };
    let (read, declares, differs, as_config) = (
        at("configuration read from"),
        at("declares `aws_vpc_endpoint.sts`"),
        at("differs from the plan at `aws_vpc_endpoint.s3.policy`"),
        at("read as the configuration of"),
    );
    assert!(
        read < declares && declares < differs && differs < as_config,
        "{n:?}"
    );
    let opts = pullpath::input::ReadOptions::default();
    let (model, errors) = pullpath::input::read_all(&[plan, dir], &opts);
    assert!(errors.is_empty(), "{errors:?}");
    let lib: Vec<&String> = model.inputs.iter().flat_map(|i| &i.notes).collect();
    let messages: Vec<&str> = j["input_notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert_eq!(lib, messages);
}

/// A source that matches the plan but cannot be evaluated (Terraform would refuse its
/// `count`): the comparison, begun beside the run, says so in its note, and the plan is
/// checked as it is (PP401 fails on the plan's policy either way).
#[test]
fn a_source_that_cannot_be_evaluated_says_so() {
    let dir = std::env::temp_dir().join(format!("pullpath-unevaluable-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let from = Path::new(ROOT).join(CASES).join("edited");
    for f in std::fs::read_dir(&from).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        dir.join("broken.tf"),
        "resource \"aws_s3_bucket\" \"logs\" {\n  count = \"several\"\n}\n",
    )
    .unwrap();
    let plan = dir.join("plan.json");
    let j = json(&[plan.to_str().unwrap()]);
    let n = notes(&j);
    assert!(
        n.iter().any(
            |x| x.contains("could not be evaluated to compare it with the plan")
                && x.contains("count")
        ),
        "{n:?}"
    );
    assert!(
        n.iter().all(|x| !x.contains("differs from the plan")),
        "{n:?}"
    );
    assert_eq!(j["findings"][0]["rule"], "PP401");
    let _ = std::fs::remove_dir_all(&dir);
}
