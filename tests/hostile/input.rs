//! Hostile inputs: reading them. Nothing that Terraform reads may be skipped (a restrictive
//! policy in a skipped file would pass), nothing may be read without bound, and the verdict's
//! exit code survives a reader that stops early.

use super::common::*;
use std::io::Write as _;
use std::process::Stdio;

/// An endpoint policy that allows only the application's bucket: ECR's layer bucket is blocked
/// (PP401). In `testdata/hcl/flat` it attaches to the S3 gateway endpoint that passes.
const RESTRICTIVE_POLICY_HCL: &str = r#"
resource "aws_vpc_endpoint_policy" "restrict" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::my-application-bucket/*"
    }]
  })
}
"#;

const RESTRICTIVE_POLICY_JSON: &str = r#"{
    "aws_vpc_endpoint_policy": {
      "restrict": {
        "vpc_endpoint_id": "${aws_vpc_endpoint.s3.id}",
        "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::my-application-bucket/*\"}]}"
      }
    }
  }"#;

/// `testdata/hcl/flat` (which passes) copied into a fresh directory.
fn flat_module(name: &str) -> TempDir {
    let t = TempDir::new(name);
    copy_tree(&fixture("testdata/hcl/flat"), t.path());
    t
}

fn check_dir(dir: &std::path::Path) -> std::process::Output {
    run_within(
        command(&["check", "--format", "json", &dir.display().to_string()]),
        STALL_LIMIT,
    )
    .expect("pullpath must not stall")
}

fn rules_found(out: &std::process::Output) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)));
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_fixture_module_passes_without_the_restrictive_policy() {
    let t = flat_module("flat-baseline");
    let out = check_dir(t.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let with_policy = flat_module("flat-policy");
    std::fs::write(
        with_policy.path().join("restrict.tf"),
        RESTRICTIVE_POLICY_HCL,
    )
    .unwrap();
    let out = check_dir(with_policy.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(rules_found(&out).contains(&"PP401".to_string()));
}

#[cfg(unix)]
#[test]
fn a_tf_file_whose_name_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt as _;
    let t = flat_module("non-utf8-name");
    let name = std::ffi::OsStr::from_bytes(b"restrict-\xff\xfe.tf");
    std::fs::write(t.path().join(name), RESTRICTIVE_POLICY_HCL).unwrap();
    let out = check_dir(t.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(rules_found(&out).contains(&"PP401".to_string()));
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_tf_file_is_an_error_not_skipped() {
    let t = flat_module("fifo");
    let fifo = t.path().join("restrict.tf");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        crate::skip::skipped("mkfifo is not available");
        return;
    }
    let out = check_dir(t.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("restrict.tf: not a regular file"), "{err}");
}

#[test]
fn a_directory_named_like_a_tf_file_is_skipped_as_terraform_does() {
    let t = flat_module("dir-named-tf");
    std::fs::create_dir(t.path().join("notes.tf")).unwrap();
    let out = check_dir(t.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn two_top_level_resource_keys_in_tf_json_are_both_read() {
    let t = flat_module("json-two-resource-keys");
    std::fs::write(
        t.path().join("extra.tf.json"),
        format!(
            "{{\n  \"resource\": {RESTRICTIVE_POLICY_JSON},\n  \"resource\": {{\"aws_s3_bucket\": {{\"logs\": {{\"bucket\": \"logs\"}}}}}}\n}}\n"
        ),
    )
    .unwrap();
    let out = check_dir(t.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(rules_found(&out).contains(&"PP401".to_string()));
}

#[test]
fn a_repeated_argument_in_tf_json_is_an_error() {
    let t = flat_module("json-repeated-argument");
    std::fs::write(
        t.path().join("extra.tf.json"),
        "{\"resource\": {\"aws_s3_bucket\": {\"logs\": {\"bucket\": \"a\",\n \"bucket\": \"b\"}}}}\n",
    )
    .unwrap();
    let out = check_dir(t.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("extra.tf.json:1:42: `resource` → `aws_s3_bucket` → `logs` → `bucket`: the argument is given 2 times in one object"),
        "{err}"
    );
}

/// A plan whose `planned_values` holds an object nested `depth` deep, in a part that the reader
/// only skips.
fn deep_plan(depth: usize) -> String {
    let text = std::fs::read_to_string(fixture("testdata/examples/seed-incident.json")).unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    plan["planned_values"]["deep"] = serde_json::Value::String("DEEP".into());
    let deep = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    serde_json::to_string(&plan)
        .unwrap()
        .replace("\"DEEP\"", &deep)
}

#[test]
fn json_nested_too_deep_is_refused_also_where_it_is_only_skipped() {
    let t = TempDir::new("deep-skipped");
    let path = t.path().join("plan.json");
    std::fs::write(&path, deep_plan(100_000)).unwrap();
    let out = run_within(
        command(&["check", &path.display().to_string()]),
        STALL_LIMIT,
    )
    .expect("must not stall");
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("JSON nested deeper than 128 levels"),
        "{}",
        stderr(&out)
    );
    // Within the limit, the same plan is read.
    std::fs::write(&path, deep_plan(100)).unwrap();
    let out = pullpath(&["check", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn unknown_fail_fails_a_run_whose_workload_network_is_unresolved() {
    let plan = "testdata/hostile/workload-network-only-unresolved.json";
    let warn = pullpath(&["check", plan]);
    assert_eq!(warn.status.code(), Some(0), "{}", stderr(&warn));
    assert!(
        stdout(&warn).contains("warning[PP901]"),
        "{}",
        stdout(&warn)
    );
    let fail = pullpath(&["check", plan, "--unknown", "fail"]);
    assert_eq!(fail.status.code(), Some(1), "{}", stdout(&fail));
    assert!(stdout(&fail).contains("error[PP901]"), "{}", stdout(&fail));
    // `ignore` drops unknown verdicts, never the finding that says a workload went unchecked.
    let ignore = pullpath(&["check", plan, "--unknown", "ignore"]);
    assert!(
        stdout(&ignore).contains("warning[PP901]"),
        "{}",
        stdout(&ignore)
    );
}

#[test]
fn a_broken_pipe_keeps_the_verdicts_exit_code() {
    for format in ["text", "json", "markdown"] {
        let mut child = command(&[
            "check",
            "testdata/examples/seed-incident.json",
            "--format",
            format,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pullpath");
        // The reader goes away before pullpath writes (as `| head -0` would).
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
    }
}

#[test]
fn plan_files_and_standard_input_are_read_through_a_size_bound() {
    let out = run_within(
        command(&["check", "/dev/zero", "--max-input-size", "1M"]),
        STALL_LIMIT,
    )
    .expect("must not stall");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("/dev/zero: cannot read: the input is larger than 1M (1048576 bytes)"),
        "{}",
        stderr(&out)
    );
    // Standard input, limited through the environment.
    let mut child = command(&["check", "-"])
        .env("PULLPATH_MAX_INPUT_SIZE", "64K")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pullpath");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        // pullpath stops reading at the bound: the rest of the write fails, as it should.
        let _ = stdin.write_all(&vec![b' '; 1 << 20]);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the input is larger than 64K (65536 bytes)"),
        "{}",
        stderr(&out)
    );
    // A bad size is refused with the variable named.
    let out = command(&["check", "-"])
        .env("PULLPATH_MAX_INPUT_SIZE", "lots")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("PULLPATH_MAX_INPUT_SIZE"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn output_never_follows_a_symbolic_link() {
    let t = TempDir::new("output-symlink");
    let secret = t.path().join("authorized_keys");
    std::fs::write(&secret, "ssh-ed25519 AAAA key\n").unwrap();
    let link = t.path().join("comment.md");
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let out = pullpath(&[
        "check",
        "testdata/examples/seed-incident.json",
        "--format",
        "markdown",
        "-o",
        &link.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "ssh-ed25519 AAAA key\n"
    );
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.is_file(), "the link itself is replaced by the report");
    assert!(std::fs::read_to_string(&link).unwrap().contains("PP401"));
    assert_no_temporary_files(t.path());
}

/// `-o /dev/null` writes to the device and never renames a file over it: a regular file at
/// `/dev/null` collects what every program discards and feeds it to every program that reads
/// it (it broke this project's own CI: cargo's `rustc -` probe read build-script errors as
/// source).
#[cfg(target_os = "linux")]
#[test]
fn output_to_a_device_is_written_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let out = pullpath(&[
        "check",
        "testdata/examples/seed-incident.json",
        "-o",
        "/dev/null",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let meta = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null was replaced: {:?}",
        meta.file_type()
    );
    // `/dev/stdout` is a link to the process's standard output: the report goes there, and
    // the link stays.
    let is_link = |p: &str| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link("/dev/stdout") {
        crate::skip::skipped("the /dev/stdout case: /dev/stdout is not a link on this machine");
        return;
    }
    let out = pullpath(&[
        "check",
        "testdata/examples/seed-incident.json",
        "-o",
        "/dev/stdout",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("PP401"));
    assert!(is_link("/dev/stdout"), "/dev/stdout was replaced");
}

#[test]
fn output_never_writes_onto_an_input() {
    let t = TempDir::new("output-input");
    let plan = t.path().join("plan.json");
    std::fs::copy(fixture("testdata/examples/seed-incident.json"), &plan).unwrap();
    let before = std::fs::read(&plan).unwrap();
    let p = plan.display().to_string();
    let out = pullpath(&["check", &p, "-o", &p]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("that is the input"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&plan).unwrap(), before);
    // Nor onto a configuration file of a module directory given as input.
    let m = TempDir::new("output-module");
    copy_tree(&fixture("testdata/hcl/flat"), m.path());
    let main = m.path().join("ecs.tf");
    let before = std::fs::read(&main).unwrap();
    let out = pullpath(&[
        "check",
        &m.path().display().to_string(),
        "-o",
        &main.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&main).unwrap(), before);
}

#[test]
fn a_failed_write_leaves_no_partial_file() {
    let t = TempDir::new("output-fails");
    // The output is a directory: the write fails, and nothing is left beside it.
    let dir = t.path().join("report.json");
    std::fs::create_dir(&dir).unwrap();
    let out = pullpath(&[
        "check",
        "testdata/examples/seed-incident.json",
        "-o",
        &dir.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(dir.is_dir());
    assert_no_temporary_files(t.path());
    // A missing directory: an error, no file.
    let missing = t.path().join("no/such/dir/report.json");
    let out = pullpath(&[
        "check",
        "testdata/examples/seed-incident.json",
        "-o",
        &missing.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!missing.exists());
}

fn assert_no_temporary_files(dir: &std::path::Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".pullpath-"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[cfg(unix)]
#[test]
fn a_root_module_under_a_name_that_is_not_utf8_is_an_error_in_a_recursive_walk() {
    use std::os::unix::ffi::OsStrExt as _;
    let t = TempDir::new("recursive-non-utf8");
    copy_tree(&fixture("testdata/hcl/flat"), &t.path().join("good"));
    let odd = t.path().join(std::ffi::OsStr::from_bytes(b"stack-\xff"));
    copy_tree(&fixture("testdata/hcl/flat"), &odd);
    std::fs::write(odd.join("restrict.tf"), RESTRICTIVE_POLICY_HCL).unwrap();
    let out = pullpath(&["check", "--recursive", &t.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(r"stack-\xFF: cannot read: the directory's path is not valid UTF-8"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_configuration_file_linked_out_of_the_configuration_is_never_read() {
    let secret_dir = TempDir::outside_git("linked-secret-outside");
    let secret = secret_dir.path().join("credentials");
    std::fs::write(&secret, "aws_secret_access_key = s3cr3t-from-a-link\n").unwrap();
    for (name, target) in [
        ("leak.tf", secret.clone()),
        ("terraform.tfvars", secret.clone()),
        ("environ.tf", std::path::PathBuf::from("/proc/self/environ")),
    ] {
        // A module outside any git work tree: its own directory is the configuration.
        let t = TempDir::outside_git(&format!("linked-out-{name}"));
        let module = t.path().join("module");
        copy_tree(&fixture("testdata/hcl/flat"), &module);
        let _ = std::fs::remove_file(module.join(name));
        std::os::unix::fs::symlink(&target, module.join(name)).unwrap();
        let out = command(&["check", &module.display().to_string()])
            .env("PULLPATH_TEST_SECRET", "s3cr3t-from-the-environment")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stdout(&out));
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            all.contains(&format!("{name}: a symbolic link out of the configuration")),
            "{name}: {all}"
        );
        assert!(!all.contains("s3cr3t"), "{name}: {all}");
    }
    // A link inside the module's directory is read as usual.
    let t = TempDir::new("linked-inside");
    copy_tree(&fixture("testdata/hcl/flat"), t.path());
    std::fs::rename(t.path().join("ecs.tf"), t.path().join("ecs.shared")).unwrap();
    std::os::unix::fs::symlink("ecs.shared", t.path().join("ecs.tf")).unwrap();
    let out = pullpath(&["check", &t.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
