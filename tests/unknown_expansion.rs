//! Issue 16: no resource, module instance or workload is dropped silently when `count` or
//! `for_each` cannot be decided. Over every HCL root module of `testdata/hcl/` that reads, each
//! `count`/`for_each` argument in turn (also inside the modules it calls and in `dynamic`
//! blocks) is replaced by a variable that has no value, and the check runs again:
//! - a rule that failed still fails or is unknown (or the workload is reported unchecked, PP901),
//!   and the run still fails under `--unknown fail` — never a pass that was a fail;
//! - a workload or a VPC that disappears from the count leaves a counted reason
//!   (`summary.not_expanded`).
//!
//! The tree is copied once into a temporary directory (module sources such as `../..` keep
//! working); each mutation edits one file there and puts it back.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const UNDECIDED: &str = "var.pullpath_undecided";

fn run(dir: &Path, extra: &[&str]) -> (Value, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    cmd.current_dir(dir)
        .args(["check", ".", "--format", "json"])
        .args(extra)
        .env("PULLPATH_TODAY", "2026-01-01");
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("PULLPATH_") && k != "PULLPATH_TODAY" || k.starts_with("TF_VAR_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd.output().expect("run pullpath");
    let code = out.status.code().unwrap_or(-1);
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (v, code)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        let ft = e.file_type().unwrap();
        if ft.is_dir() {
            copy_tree(&e.path(), &t);
        } else if ft.is_file() {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

/// Directories holding `.tf` files, below `dir`.
fn tf_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut has_tf = false;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            tf_dirs(&p, out);
        } else if p.extension().is_some_and(|x| x == "tf") {
            has_tf = true;
        }
    }
    if has_tf {
        out.push(dir.to_path_buf());
    }
}

/// The failing rule codes, the rule codes present (fail or unknown), and the summary.
fn verdicts(report: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut failing = BTreeSet::new();
    let mut present = BTreeSet::new();
    for f in report["findings"].as_array().into_iter().flatten() {
        let rule = f["rule"].as_str().unwrap_or_default().to_string();
        if f["suppressed"].is_null() {
            if f["verdict"] == "fail" && f["severity"] == "error" {
                failing.insert(rule.clone());
            }
            if f["verdict"] == "fail" || f["verdict"] == "unknown" {
                present.insert(rule);
            }
        }
    }
    (failing, present)
}

/// One-line `count = …` / `for_each = …` arguments whose expression is complete on its line.
fn arguments(text: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        for name in ["count", "for_each"] {
            let Some(rest) = trimmed.strip_prefix(name) else {
                continue;
            };
            let Some(expr) = rest.trim_start().strip_prefix('=') else {
                continue;
            };
            let expr = expr.trim_end_matches(['\n', '\r']);
            let balanced = expr.matches(['(', '[', '{']).count()
                == expr.matches([')', ']', '}']).count()
                && expr.matches('"').count() % 2 == 0
                && !expr.trim().is_empty();
            if balanced {
                let start = offset + (line.len() - trimmed.len()) + name.len();
                let eq = start + (rest.len() - rest.trim_start().len()) + 1;
                out.push((eq, offset + line.trim_end_matches(['\n', '\r']).len(), 0));
            }
        }
        offset += line.len();
    }
    out
}

#[test]
fn an_undecided_count_or_for_each_never_turns_a_fail_into_a_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/hcl");
    let work = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("unknown-expansion-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    copy_tree(&root, &work);
    let mut dirs = Vec::new();
    tf_dirs(&work, &mut dirs);
    let mut problems = Vec::new();
    let mut mutations = 0;
    for dir in &dirs {
        let (before, code) = run(dir, &[]);
        if !(code == 0 || code == 1) || before["summary"]["workloads"].as_u64().unwrap_or(0) == 0 {
            continue;
        }
        let (failing, _) = verdicts(&before);
        let workloads = before["summary"]["workloads"].as_u64().unwrap_or(0);
        let vpcs = before["summary"]["vpcs"].as_u64().unwrap_or(0);
        // Every .tf file the root reads: its own and those of the modules below it.
        let mut files = Vec::new();
        let mut module_dirs = Vec::new();
        tf_dirs(dir, &mut module_dirs);
        for d in &module_dirs {
            // Another root module below this one is not part of it (a `--recursive` layout):
            // only the modules it calls (`modules/…`, `.terraform/modules/…`) are.
            let rel = d.strip_prefix(dir).unwrap_or(d);
            let module = rel
                .components()
                .any(|c| c.as_os_str() == ".terraform" || c.as_os_str() == "modules");
            if d != dir && !module {
                continue;
            }
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "tf") {
                    files.push(p);
                }
            }
        }
        files.sort();
        for file in files {
            let original = std::fs::read_to_string(&file).unwrap();
            let declaration = file.with_file_name("zz_pullpath_undecided.tf");
            for (from, to, _) in arguments(&original) {
                let mutated = format!("{} {UNDECIDED}{}", &original[..from], &original[to..]);
                std::fs::write(&file, &mutated).unwrap();
                std::fs::write(
                    &declaration,
                    "variable \"pullpath_undecided\" {\n  description = \"no value: undecided\"\n}\n",
                )
                .unwrap();
                mutations += 1;
                let (after, code_after) = run(dir, &["--unknown", "fail"]);
                let at = format!(
                    "{}:{}",
                    file.strip_prefix(&work).unwrap().display(),
                    original[..from].lines().count()
                );
                if code_after != 2 {
                    let (_, present) = verdicts(&after);
                    for rule in &failing {
                        if !present.contains(rule) && !present.contains("PP901") {
                            problems.push(format!("{at}: {rule} failed and is now gone"));
                        }
                    }
                    if !failing.is_empty() && code_after != 1 {
                        problems.push(format!(
                            "{at}: the run failed ({failing:?}) and now exits {code_after} with --unknown fail"
                        ));
                    }
                    let now = after["summary"]["workloads"].as_u64().unwrap_or(0);
                    let counted = after["summary"]["not_expanded"].as_u64().unwrap_or(0);
                    if now < workloads && counted == 0 {
                        problems.push(format!(
                            "{at}: {workloads} workloads became {now} with nothing counted as not expanded"
                        ));
                    }
                    let vpcs_now = after["summary"]["vpcs"].as_u64().unwrap_or(0);
                    if vpcs_now < vpcs && counted == 0 {
                        problems.push(format!(
                            "{at}: {vpcs} VPCs became {vpcs_now} with nothing counted as not expanded"
                        ));
                    }
                }
                std::fs::write(&file, &original).unwrap();
                let _ = std::fs::remove_file(&declaration);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    assert!(
        mutations > 20,
        "only {mutations} mutations: the fixtures were not found"
    );
    assert!(
        problems.is_empty(),
        "{} of {mutations} mutations lost a verdict:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
