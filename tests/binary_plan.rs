//! Binary plan files (zip archives from `terraform plan -out`): pullpath runs
//! `<terraform|tofu> show -json FILE`. A stand-in `terraform` script on PATH plays the program.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

/// Held while a stand-in is written and while a process is started: a process forked by
/// another test thread while a stand-in is open for writing inherits that descriptor, and the
/// stand-in then cannot be executed ("Text file busy").
static SPAWN: Mutex<()> = Mutex::new(());

const PLAN: &str = "testdata/binary/plan.tfplan";

/// A directory with an executable `name` that runs `body` (a shell script).
fn stand_in(tag: &str, name: &str, body: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pullpath-bin-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _guard = SPAWN.lock().unwrap_or_else(|e| e.into_inner());
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

fn run(path_env: &Path, extra: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", path_env)
        .env_remove("PULLPATH_TERRAFORM_BIN")
        .arg("check")
        .arg(PLAN)
        .args(extra);
    output(cmd)
}

/// Runs `cmd` to completion; only the start is serialised with the writing of stand-ins.
fn output(mut cmd: Command) -> Output {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = {
        let _guard = SPAWN.lock().unwrap_or_else(|e| e.into_inner());
        cmd.spawn().unwrap()
    };
    child.wait_with_output().unwrap()
}

fn fixture() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/malformed/crlf-ok.json")
        .display()
        .to_string()
}

#[test]
fn terraform_on_path_converts_the_plan() {
    let dir = stand_in(
        "ok",
        "terraform",
        &format!(
            "[ \"$1\" = show ] && [ \"$2\" = -json ] && [ -n \"$3\" ] || exit 9\n/bin/cat '{}'",
            fixture()
        ),
    );
    let out = run(&dir, &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["inputs"][0]["path"], PLAN);
    assert_eq!(report["inputs"][0]["kind"], "plan");
}

#[test]
fn tofu_is_used_when_terraform_is_absent() {
    let dir = stand_in("tofu", "tofu", &format!("/bin/cat '{}'", fixture()));
    let out = run(&dir, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn terraform_bin_option_and_environment_variable() {
    let dir = stand_in(
        "explicit",
        "my-terraform",
        &format!("/bin/cat '{}'", fixture()),
    );
    let bin = dir.join("my-terraform");
    let out = run(
        Path::new("/nonexistent"),
        &["--terraform-bin", bin.to_str().unwrap()],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", "/nonexistent")
        .env("PULLPATH_TERRAFORM_BIN", &bin)
        .args(["check", PLAN]);
    let out = output(cmd);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn no_program_found_shows_the_command_to_run() {
    let out = run(Path::new("/nonexistent"), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("neither was found"), "{err}");
    assert!(
        err.contains(&format!("terraform show -json {PLAN} > plan.json")),
        "{err}"
    );
}

#[test]
fn a_failing_program_is_reported_with_its_message() {
    let dir = stand_in(
        "fails",
        "terraform",
        "echo 'Error: Failed to load plugin schemas' >&2\nexit 1",
    );
    let out = run(&dir, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("show -json -no-color testdata/binary/plan.tfplan` failed"),
        "{err}"
    );
    assert!(err.contains("Failed to load plugin schemas"), "{err}");
}

#[test]
fn a_program_printing_non_json_is_reported() {
    let dir = stand_in("garbage", "terraform", "echo 'this is not json'");
    let out = run(&dir, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("no JSON object found"), "{err}");
    assert!(err.contains(PLAN), "{err}");
}

/// A plan file copied into a fresh directory under `name`; returns the directory.
fn plan_named(tag: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pullpath-plan-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(PLAN),
        dir.join(name),
    )
    .unwrap();
    dir
}

/// A stand-in that converts only when it is called as pullpath must call it: `show -json
/// -no-color FILE` with FILE an existing file equal to `expected`, and no update check.
fn strict_stand_in(tag: &str, expected: &str) -> PathBuf {
    stand_in(
        tag,
        "terraform",
        &format!(
            "[ \"$1\" = show ] && [ \"$2\" = -json ] && [ \"$3\" = -no-color ] || {{ echo \"bad flags: $*\" >&2; exit 9; }}\n\
             [ \"$CHECKPOINT_DISABLE\" = 1 ] || {{ echo 'update check not disabled' >&2; exit 9; }}\n\
             [ \"$4\" = '{expected}' ] && [ -f \"$4\" ] || {{ echo \"bad file: $4\" >&2; exit 9; }}\n\
             /bin/cat '{}'",
            fixture()
        ),
    )
}

fn check_in(dir: &Path, path_env: &Path, input: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    cmd.current_dir(dir)
        .env("PATH", path_env)
        .env_remove("PULLPATH_TERRAFORM_BIN")
        .args(["check", "--format", "json", "--", input]);
    output(cmd)
}

#[test]
fn a_plan_named_like_a_flag_is_read_as_a_file() {
    let dir = plan_named("dash", "-no-color");
    let bin = strict_stand_in("dash", "./-no-color");
    let out = check_in(&dir, &bin, "-no-color");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The stand-in converts only `./-no-color` (anything else exits 9, which is exit 2 here).
    assert_eq!(report["inputs"][0]["path"], "-no-color");
}

#[test]
fn a_backslash_in_a_plan_path_is_kept() {
    let dir = plan_named("backslash", "x\\y");
    // `x/y` would be another plan: make one there, which the stand-in refuses.
    std::fs::create_dir_all(dir.join("x")).unwrap();
    std::fs::write(dir.join("x/y"), "not this one").unwrap();
    let bin = strict_stand_in("backslash", "x\\y");
    let out = check_in(&dir, &bin, "x\\y");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["inputs"][0]["path"], "x\\y");
}

#[test]
fn the_whole_error_output_is_kept_without_colour() {
    let mut body = String::new();
    for i in 0..40 {
        body.push_str(&format!(
            "printf '\\033[33mWarning: CLI configuration line {i}\\033[0m\\n' >&2\n"
        ));
    }
    body.push_str("printf '\\033[31mError: the real cause\\033[0m\\n' >&2\nexit 1");
    let dir = stand_in("stderr", "terraform", &body);
    let out = run(&dir, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("Error: the real cause"), "{err}");
    assert!(err.contains("Warning: CLI configuration line 39"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
}

#[test]
fn a_program_that_hangs_is_stopped() {
    let dir = stand_in("hangs", "terraform", "exec /bin/sleep 600");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", &dir)
        .env("PULLPATH_SHOW_TIMEOUT", "1")
        .env_remove("PULLPATH_TERRAFORM_BIN")
        .args(["check", PLAN]);
    let out = output(cmd);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("did not finish within 1 s"), "{err}");
}
