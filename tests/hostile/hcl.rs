//! Hostile inputs: hcl. Numbers past a 64-bit float, file functions reaching outside the
//! configuration, and expressions built to exhaust time or memory.

#[allow(unused_imports)]
use super::common::*;

use std::path::Path;

const FORMATS: &[&str] = &[
    "text", "json", "markdown", "sarif", "github", "gitlab", "junit",
];

/// `1e400` is a number to Terraform; pullpath cannot hold it, so it is unknown with a reason
/// (and a `count` of it gives one instance that may exist), never a syntax error.
#[test]
fn numbers_past_a_float_are_unknown_numbers_not_syntax_errors() {
    for args in [
        &["check", "testdata/hostile/hcl/huge-numbers"][..],
        &["graph", "testdata/hostile/hcl/huge-numbers"][..],
    ] {
        let out = pullpath(args);
        let (so, se) = (stdout(&out), stderr(&out));
        assert!(!se.contains("syntax error"), "{se}");
        assert_eq!(out.status.code(), Some(0), "stdout: {so}\nstderr: {se}");
        // The `count` of 1e400 is not a number pullpath can use: one instance that may exist
        // is read (issue 16; the values themselves are checked in the unit tests of src/hcl).
        if args[0] == "graph" {
            assert!(so.contains("3 resource(s)"), "{so}");
            assert!(so.contains("aws_subnet.many[*]"), "{so}");
        }
    }
}

/// Lays out a git repository in a temporary directory, with the `flat` fixture as the root
/// module `repo/app`, whose workload's subnets and image are `file(path)`; files around it hold
/// the secret.
fn confined(name: &str, path: &str) -> TempDir {
    let t = TempDir::new(name);
    let app = t.path().join("repo/app");
    std::fs::create_dir_all(t.path().join("repo/.git")).unwrap();
    std::fs::create_dir_all(&app).unwrap();
    for e in std::fs::read_dir("testdata/hcl/flat").unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), app.join(e.file_name())).unwrap();
    }
    let ecs = std::fs::read_to_string(app.join("ecs.tf")).unwrap();
    let call = format!("file({path:?})");
    let ecs = ecs
        .replace("aws_subnet.private[*].id", &format!("[{call}]"))
        .replace(
            "\"123456789012.dkr.ecr.${var.region}.amazonaws.com/${var.name}:${var.image_tag}\"",
            &call,
        );
    assert!(ecs.contains(&format!("[{call}]")) && ecs.contains(&format!("image     = {call}")));
    std::fs::write(app.join("ecs.tf"), ecs).unwrap();
    std::fs::write(t.path().join("secret"), "s3cr3t-outside\n").unwrap();
    std::fs::write(app.join("inside.txt"), "subnet-inside\n").unwrap();
    t
}

fn check_confined(dir: &Path, written: &str) {
    for format in FORMATS {
        let mut cmd = command_in(dir, &["check", "repo/app", "--format", format]);
        cmd.env("PULLPATH_TEST_SECRET", "s3cr3t");
        let out = run_within(cmd, STALL_LIMIT).expect("pullpath stalled");
        let (so, se) = (stdout(&out), stderr(&out));
        assert!(
            !so.contains("s3cr3t") && !se.contains("s3cr3t"),
            "{written}, {format}: the content was read\nstdout: {so}\nstderr: {se}"
        );
        assert_eq!(out.status.code(), Some(0), "{format}: {so}\n{se}");
        // Unknown, with the reason, where the subnets are needed: never a pass.
        assert!(so.contains("PP901"), "{written}, {format}: {so}");
        // Reports wrap long lines.
        let flat = so.split_whitespace().collect::<Vec<_>>().join(" ");
        if *format != "junit" && *format != "sarif" {
            assert!(
                flat.contains("outside the configuration"),
                "{written}, {format}: {so}"
            );
        }
    }
}

#[test]
fn file_functions_do_not_read_proc() {
    let t = confined("confine-proc", "/proc/self/environ");
    check_confined(t.path(), "/proc/self/environ");
}

#[test]
fn file_functions_do_not_read_above_the_repository() {
    let t = confined("confine-dotdot", "../../secret");
    check_confined(t.path(), "../../secret");
}

#[cfg(unix)]
#[test]
fn file_functions_do_not_follow_symbolic_links_out() {
    let t = confined("confine-symlink", "x.txt");
    std::os::unix::fs::symlink("/etc/hostname", t.path().join("repo/app/x.txt")).unwrap();
    check_confined(t.path(), "x.txt");
    let t = confined("confine-symlink2", "y.txt");
    std::os::unix::fs::symlink(t.path().join("secret"), t.path().join("repo/app/y.txt")).unwrap();
    check_confined(t.path(), "y.txt");
}

#[cfg(unix)]
#[test]
fn file_functions_do_not_open_fifos() {
    let t = confined("confine-fifo", "pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(t.path().join("repo/app/pipe"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    check_confined(t.path(), "pipe");
}

/// A file inside the tree is read as before; so is one elsewhere in the repository.
#[test]
fn file_functions_read_inside_the_repository() {
    for path in ["inside.txt", "../app/inside.txt"] {
        let t = confined("confine-inside", path);
        let out = pullpath_in(t.path(), &["check", "repo/app", "--format", "json"]);
        let so = stdout(&out);
        assert!(
            so.contains("subnet-inside"),
            "{path}: {so}\n{}",
            stderr(&out)
        );
        assert!(!so.contains("outside the configuration"), "{path}: {so}");
    }
}

fn pullpath_in(dir: &Path, args: &[&str]) -> std::process::Output {
    run_within(command_in(dir, args), STALL_LIMIT).expect("pullpath stalled")
}

/// An expression built to exhaust time or memory ends the run (exit 2) within the guard,
/// naming the place and the expression.
fn over_budget(fixture: &str, expect: &[&str]) {
    let dir = format!("testdata/hostile/hcl/{fixture}");
    let out = run_within(command(&["check", &dir]), STALL_LIMIT)
        .unwrap_or_else(|| panic!("{fixture}: stalled past {STALL_LIMIT:?}"));
    let se = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{fixture}: {se}\n{}",
        stdout(&out)
    );
    for e in expect {
        assert!(se.contains(e), "{fixture}: no {e:?} in {se}");
    }
}

#[test]
fn nested_for_expressions_stop_at_the_budget() {
    over_budget(
        "for-bomb",
        &["main.tf:2:", "local `x`", "[for a in range(1000)"],
    );
}

#[test]
fn nested_template_loops_stop_at_the_budget() {
    over_budget(
        "template-for-bomb",
        &["main.tf:3:", "local `t`", "%{for a in range(1000)}"],
    );
}

#[test]
fn setproduct_stops_at_the_budget() {
    over_budget(
        "setproduct-bomb",
        &["main.tf:4:", "local `p`", "setproduct("],
    );
}
