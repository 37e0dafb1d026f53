//! The shared corpus of real plans and states (`../shared/corpus`, see its MANIFEST.md): every
//! file loads or is rejected with a clear error, never a panic; the graph of each loaded file and
//! the check of the files that hold workloads are snapshots, reviewed against the manifest.
//!
//! The corpus is not part of this repository; where it is absent (a fresh clone) these tests
//! say so and pass without checking anything.

use std::path::{Path, PathBuf};
use std::process::Command;

use pullpath::graph::{self, BuildOptions};
use pullpath::input::{self, ReadOptions};

#[path = "support/skip.rs"]
mod skip;

const CORPUS: &str = "../shared/corpus";

fn corpus() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    if !dir.is_dir() {
        skip::skipped(&format!(
            "{CORPUS} is not here (a fresh clone); the corpus tests need the shared corpus"
        ));
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "MANIFEST.md"))
        .collect();
    files.sort();
    Some(files)
}

fn rel(p: &Path) -> String {
    format!("{CORPUS}/{}", p.file_name().unwrap().to_string_lossy())
}

/// Files the manifest calls malformed (REJECT), or in a format pullpath does not read.
const REJECTED: &[&str] = &[
    "erdenayates__the-devops-project__terraform__ecs__terraform.tfstate",
    "hashicorp__terraform-json__testdata__invalid__plan.json",
    "ZackZY__EventSpark_Terraform__ecs__terraform.tfstate",
    "cycloidio__inframap__generate__testdata__version_3_state.json",
    "patrickchugh__terravision__tests__json__elasticache-redis-tfdata.json",
    "patrickchugh__terravision__tests__json__nested-modules-tfdata.json",
    "patrickchugh__terravision__tests__json__wordpress-tfdata.json",
];

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots/corpus");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn every_corpus_file_loads_or_is_rejected_clearly() {
    let Some(files) = corpus() else { return };
    let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(cwd).unwrap();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let path = rel(&f);
        let (model, errors) = input::read_all(std::slice::from_ref(&path), &ReadOptions::default());
        if REJECTED.contains(&name.as_str()) {
            assert_eq!(errors.len(), 1, "{name} should be rejected");
            let msg = format!("{:#}", errors[0].error);
            assert!(msg.starts_with(&path), "the error names the file: {msg}");
            settings().bind(|| insta::assert_snapshot!(format!("error__{name}"), msg));
            continue;
        }
        assert!(errors.is_empty(), "{name}: {:#}", errors[0].error);
        let net = graph::build(&model, &BuildOptions::default());
        let json = serde_json::to_string_pretty(&graph::render::to_json(&net, &model)).unwrap();
        settings().bind(|| insta::assert_snapshot!(format!("graph__{name}"), json));
    }
}

fn check(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_pullpath"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("check")
        .args(args)
        .output()
        .expect("run pullpath");
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        out.status.code().unwrap_or(-1),
    )
}

/// The verdicts the manifest describes, per file or pair of files.
#[test]
fn corpus_checks_match_the_manifest() {
    if corpus().is_none() {
        return;
    }
    let c = |n: &str| format!("{CORPUS}/{n}");
    let nested = c(
        "patrickchugh__terravision__tests__json__nested-modules-tfdata__plandata-extracted.json",
    );
    let redis = c(
        "patrickchugh__terravision__tests__json__elasticache-redis-tfdata__plandata-extracted.json",
    );
    let wordpress =
        c("patrickchugh__terravision__tests__json__wordpress-tfdata__plandata-extracted.json");
    let daniel_ecs = c("Daniel-Ibarrola__aws-terraform__ecs__terraform.tfstate__at-cf7e209");
    let daniel_net = c("Daniel-Ibarrola__aws-terraform__network__terraform.tfstate");
    let erden_ecs = c("erdenayates__the-devops-project__terraform__ecs__terraform.tfstate.backup");
    let erden_vpc = c("erdenayates__the-devops-project__terraform__vpc__terraform.tfstate.backup");
    let abdon =
        c("ABDON72__aws-ecs-fargate-production-platform__terraform__terraform.tfstate.backup");
    let cases: Vec<(&str, Vec<String>, i32)> = vec![
        // NAT fallback: passes in reachability mode, fails the endpoint rules in strict mode.
        ("nested_modules_reachability", vec![nested.clone()], 0),
        (
            "nested_modules_strict",
            vec![nested.clone(), "--mode".into(), "strict".into()],
            1,
        ),
        // No NAT, no internet gateway, no endpoints: the clearest negative.
        ("elasticache_redis", vec![redis.clone()], 1),
        // NAT fallback, no endpoints.
        ("wordpress_reachability", vec![wordpress.clone()], 0),
        (
            "wordpress_strict",
            vec![wordpress.clone(), "--mode".into(), "strict".into()],
            1,
        ),
        // The ECS stack alone cannot place its subnets; with the network stack it is decided.
        ("daniel_ecs_alone", vec![daniel_ecs.clone()], 0),
        (
            "daniel_ecs_with_network",
            vec![daniel_ecs.clone(), daniel_net.clone()],
            0,
        ),
        (
            "daniel_ecs_with_network_strict",
            vec![daniel_ecs, daniel_net, "--mode".into(), "strict".into()],
            0,
        ),
        (
            "erdenayates_ecs_with_vpc",
            vec![erden_ecs.clone(), erden_vpc.clone()],
            0,
        ),
        (
            "erdenayates_ecs_with_vpc_strict",
            vec![erden_ecs, erden_vpc, "--mode".into(), "strict".into()],
            1,
        ),
        (
            "abdon_strict",
            vec![abdon, "--mode".into(), "strict".into()],
            1,
        ),
    ];
    for (name, args, code) in cases {
        let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
        all.extend(["--format", "json"]);
        let (out, got) = check(&all);
        assert_eq!(got, code, "{name}: exit code\n{out}");
        settings().bind(|| insta::assert_snapshot!(format!("check__{name}"), out));
    }
}

/// Files without an ECS or Batch workload produce no findings, and the text report says that
/// no pull path was checked.
#[test]
fn corpus_files_without_workloads_produce_no_findings() {
    let Some(files) = corpus() else { return };
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if REJECTED.contains(&name.as_str()) {
            continue;
        }
        let path = rel(&f);
        let (json, code) = check(&[&path, "--format", "json"]);
        let v: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}\n{json}"));
        if v["summary"]["workloads"] == 0 {
            assert_eq!(v["findings"].as_array().unwrap().len(), 0, "{name}");
            assert_eq!(code, 0, "{name}");
            let (text, _) = check(&[&path, "--color", "never"]);
            assert!(
                text.contains("no workload found") && text.contains("no pull path was checked"),
                "{name}: {text}"
            );
        }
    }
}
