//! Malformed and hostile inputs: each ends with exit code 2 and a message that names the file,
//! the position (line/column or JSON path) and what was expected — or, where the input is valid
//! but odd, with a normal report. Never a panic.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

fn pullpath(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pullpath"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // No terraform on PATH: binary plan files must fail with the "convert it by hand" message.
        .env("PATH", "/nonexistent")
        .env_remove("PULLPATH_TERRAFORM_BIN")
        .args(args)
        .output()
        .expect("run pullpath")
}

/// (fixture, exit code, substrings of standard error).
const CASES: &[(&str, i32, &[&str])] = &[
    ("empty.json", 2, &["empty.json", "the file is empty"]),
    ("whitespace-only.json", 2, &["the file is empty"]),
    ("nul-bytes.json", 2, &["binary data", "line 1, column 25"]),
    ("binary-png.json", 2, &["not valid UTF-8 at byte 0"]),
    ("invalid-utf8.json", 2, &["not valid UTF-8 at byte 45", "line 1, column 46"]),
    ("utf16le-odd-length.json", 2, &["odd number of bytes"]),
    ("utf16-unpaired-surrogate.json", 2, &["unpaired surrogate"]),
    ("truncated-plan.json", 2, &["line 1, column 78", "ends too early"]),
    ("truncated-in-string.json", 2, &["ends too early", "EOF while parsing a string"]),
    ("top-level-array.json", 2, &["no JSON object found", "[1, 2, 3]"]),
    ("top-level-string.json", 2, &["no JSON object found"]),
    ("top-level-number.json", 2, &["no JSON object found"]),
    ("top-level-null.json", 2, &["no JSON object found"]),
    ("not-a-plan.json", 2, &["not a Terraform plan or state", "planned_values"]),
    ("format-version-number.json", 2, &["line 1, column 22", "expected a string"]),
    ("format-version-2.json", 2, &["format_version \"2.0\" is not supported"]),
    ("format-version-garbage.json", 2, &["format_version \"abc\" is not supported"]),
    ("resource-changes-object.json", 2, &["line 1, column 43", "expected a sequence"]),
    ("change-actions-string.json", 2, &["line 1, column 112", "expected a sequence"]),
    ("address-number.json", 2, &["line 1, column 56", "expected a string"]),
    ("address-invalid.json", 2, &["\"not an address!\" is not a valid address"]),
    ("address-empty.json", 2, &["resource_changes[0].address", "empty string"]),
    ("planned-values-string.json", 2, &["line 1, column 47", "expected struct StateValues"]),
    ("configuration-array.json", 2, &["configuration", "line 1, column 62", "expected a map"]),
    ("values-not-object.json", 2, &["aws_vpc.a: expected an object of attributes, found a string"]),
    ("after-unknown-wrong-type.json", 2, &["aws_vpc.a.after_unknown", "found \"yes\""]),
    ("duplicate-key.json", 2, &["duplicate field `format_version`", "line 1, column 40"]),
    ("nan-number.json", 2, &["invalid JSON", "line 1, column 142"]),
    ("infinity-number.json", 2, &["invalid JSON", "line 1, column 129"]),
    ("two-documents.json", 2, &["a second JSON document"]),
    ("trailing-braces.json", 2, &["unexpected `}` after the end of the document"]),
    ("trailing-comma.json", 2, &["trailing comma", "line 1, column 45"]),
    ("single-quotes.json", 2, &["key must be a string", "line 1, column 2"]),
    ("comment-in-json.json", 2, &["key must be a string", "line 1, column 26"]),
    ("raw-state-v3.json", 2, &["raw state version 3", "terraform show -json"]),
    ("raw-state-v5.json", 2, &["raw state version 5 is not supported"]),
    ("raw-state-version-string.json", 2, &["version: expected the state format version as a number"]),
    ("raw-state-resources-object.json", 2, &["resources: line 1", "expected a sequence"]),
    ("raw-state-instances-string.json", 2, &["resources: line 1, column 123", "expected a sequence"]),
    ("raw-state-bad-type.json", 2, &["resources: line 1, column 85", "expected a string"]),
    ("raw-state-bad-attributes.json", 2, &["resources[0].instances[0].attributes: expected an object of attributes, found an array"]),
    ("zip-without-terraform.json", 2, &["binary plan file", "terraform show -json testdata/malformed/zip-without-terraform.json > plan.json"]),
    ("wrapper-noise-only.json", 2, &["no JSON object found", "[command]"]),
    ("plandata-wrapper.json", 2, &["terravision", "plandata"]),
    // Valid inputs in unusual clothes: read normally.
    ("unicode-escapes-ok.json", 0, &[]),
    ("crlf-ok.json", 0, &[]),
    ("bom-and-wrapper-ok.json", 0, &[]),
    // Valid JSON; the out-of-range number sits in an attribute pullpath does not read.
    ("huge-exponent.json", 0, &[]),
];

#[test]
fn malformed_fixtures_end_with_clear_errors() {
    for (name, code, needles) in CASES {
        let path = format!("testdata/malformed/{name}");
        let out = pullpath(&["check", &path, "--format", "json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(*code),
            "{name}: exit code\nstderr: {stderr}"
        );
        if *code == 2 {
            assert!(
                stderr.contains(&path),
                "{name}: the message names the file: {stderr}"
            );
        }
        for n in *needles {
            assert!(stderr.contains(n), "{name}: expected {n:?} in: {stderr}");
        }
        // The report is still valid JSON, with the error listed.
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            report["errors"].as_array().map(Vec::len),
            Some(usize::from(*code == 2)),
            "{name}"
        );
    }
}

#[test]
fn every_fixture_in_the_directory_is_covered() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/malformed");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        assert!(
            CASES.iter().any(|(n, _, _)| *n == name),
            "{name} has no expectation in tests/malformed.rs"
        );
    }
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("pullpath-malformed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    path
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 100_000;
    let mut s = String::from("{\"format_version\":\"1.2\",\"resource_changes\":[{\"address\":\"aws_vpc.a\",\"type\":\"aws_vpc\",\"change\":{\"actions\":[\"create\"],\"after\":{\"cidr_block\":");
    s.push_str(&"[".repeat(depth));
    s.push_str(&"]".repeat(depth));
    s.push_str("}}}]}");
    let path = temp_file("deep.json", s.as_bytes());
    let out = pullpath(&["check", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("recursion limit exceeded"), "{stderr}");
}

#[test]
fn huge_strings_and_arrays_are_read() {
    let big = "x".repeat(20_000_000);
    let list: Vec<String> = (0..200_000).map(|i| format!("\"sg-{i:08x}\"")).collect();
    let s = format!(
        "{{\"format_version\":\"1.2\",\"resource_changes\":[{{\"address\":\"aws_vpc_endpoint.a\",\"type\":\"aws_vpc_endpoint\",\"change\":{{\"actions\":[\"create\"],\"after\":{{\"policy\":\"{big}\",\"security_group_ids\":[{}]}}}}}}]}}",
        list.join(",")
    );
    let path = temp_file("huge.json", s.as_bytes());
    let out = pullpath(&["check", path.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_missing_file_is_an_error() {
    let out = pullpath(&["check", "testdata/malformed/does-not-exist.json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("does-not-exist.json: cannot read"),
        "{stderr}"
    );
}

#[test]
fn one_bad_input_does_not_stop_the_others() {
    let out = pullpath(&[
        "check",
        "testdata/malformed/empty.json",
        "testdata/malformed/crlf-ok.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["inputs"].as_array().unwrap().len(),
        1,
        "the good input was read"
    );
    assert_eq!(report["errors"].as_array().unwrap().len(), 1);
}

#[test]
fn bad_options_exit_2() {
    for args in [
        vec!["check", "--format", "yaml"],
        vec!["check", "--fail-on", "sometimes"],
        vec!["check", "--select", "PP999"],
        vec!["check", "--workload", "vpc-1=lambda"],
        vec!["check", "--workload", "nonsense"],
        vec!["explain", "PP000"],
    ] {
        let out = pullpath(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}
