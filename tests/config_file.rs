//! `.pullpath.hcl` is read by every command that reads input, found as `check` finds it
//! (`--config` / `$PULLPATH_CONFIG`, else the current directory): a workload it declares is
//! drawn by `graph` as it is checked by `check`, and the command line's `--workload` replaces
//! the file's entry for the same VPC in both.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value as J;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// A VPC without workloads (`main.tf`) and a `.pullpath.hcl` that declares a Fargate workload
/// in it.
const FIXTURE: &str = "testdata/config-workload";

/// Runs pullpath in `dir` with no `PULLPATH_*` option variable set, except those of `env`.
fn pullpath(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    c.current_dir(dir).args(args);
    for name in pullpath::app::OPTION_ENV {
        c.env_remove(name);
    }
    c.env_remove("PULLPATH_TERRAFORM_BIN")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn fixture_dir() -> PathBuf {
    Path::new(ROOT).join(FIXTURE)
}

/// A fresh empty directory, to run from where no `.pullpath.hcl` is.
fn elsewhere(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pullpath-cfg-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The JSON on standard output of a run that must succeed with `code`.
fn json(out: &Output, code: i32) -> J {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (workload, platform) of every workload of every VPC in `graph --format json` output.
fn graph_workloads(graph: &J) -> Vec<(String, String)> {
    graph["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["workloads"].as_array().unwrap())
        .map(|w| {
            (
                w["workload"].as_str().unwrap().to_string(),
                w["platform"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The workloads named by the findings of `check --format json` output, without repeats.
fn checked_workloads(report: &J) -> Vec<String> {
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["workload"].as_str().map(str::to_string))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn graph_draws_the_workload_the_configuration_file_declares() {
    let dir = fixture_dir();
    let out = pullpath(&dir, &["graph"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1 VPC(s), 1 workload(s)"), "{text}");
    let graph = json(&pullpath(&dir, &["graph", "--format", "json"], &[]), 0);
    let declared = "--workload aws_vpc.main=fargate".to_string();
    assert_eq!(
        graph_workloads(&graph),
        [(declared.clone(), "fargate".to_string())]
    );
    // `check` reads the same file and checks the same workload (no ECR endpoints: exit 1).
    let report = json(&pullpath(&dir, &["check", "--format", "json"], &[]), 1);
    assert_eq!(checked_workloads(&report), [declared]);
}

#[test]
fn graph_takes_the_configuration_file_from_the_option_and_the_environment() {
    let dir = elsewhere("option");
    let input = fixture_dir().join("main.tf").display().to_string();
    let config = fixture_dir().join(".pullpath.hcl").display().to_string();
    let without = json(&pullpath(&dir, &["graph", &input, "-f", "json"], &[]), 0);
    assert!(graph_workloads(&without).is_empty());
    let with_option = pullpath(
        &dir,
        &["graph", &input, "-f", "json", "--config", &config],
        &[],
    );
    assert_eq!(graph_workloads(&json(&with_option, 0)).len(), 1);
    let with_env = pullpath(
        &dir,
        &["graph", &input, "-f", "json"],
        &[("PULLPATH_CONFIG", &config)],
    );
    assert_eq!(graph_workloads(&json(&with_env, 0)).len(), 1);
}

#[test]
fn the_command_line_workload_replaces_the_files_for_the_same_vpc_in_graph_and_check() {
    let dir = fixture_dir();
    let args = ["--workload", "aws_vpc.main=batch-ec2", "-f", "json"];
    let graph = json(&pullpath(&dir, &[&["graph"][..], &args].concat(), &[]), 0);
    assert_eq!(
        graph_workloads(&graph),
        [(
            "--workload aws_vpc.main=batch-ec2".to_string(),
            "batch-ec2".to_string()
        )]
    );
    let report = json(&pullpath(&dir, &[&["check"][..], &args].concat(), &[]), 1);
    assert_eq!(
        checked_workloads(&report),
        ["--workload aws_vpc.main=batch-ec2"]
    );
}

#[test]
fn a_bad_configuration_file_stops_graph_as_it_stops_check() {
    let dir = elsewhere("bad");
    std::fs::write(
        dir.join(".pullpath.hcl"),
        "workload \"aws_vpc.main\" { platform = \"lambda\" }\n",
    )
    .unwrap();
    let input = fixture_dir().join("main.tf").display().to_string();
    for command in ["graph", "check"] {
        let out = pullpath(&dir, &[command, &input], &[]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("pullpath: error: .pullpath.hcl:1:38: unknown platform \"lambda\""),
            "{command}: {err}"
        );
        assert!(out.stdout.is_empty(), "{command}");
    }
}
