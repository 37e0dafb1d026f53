//! Malformed and hostile inputs: each ends with exit code 2 and a message that names the file,
//! the position (line/column or JSON path) and what was expected — or, where the input is valid
//! but its content is wrong, with a finding that says so; where the input is valid but odd, with
//! a normal report. Never a panic.
//!
//! Four tables, one per kind of input: plan and state JSON files ([`CASES`],
//! `testdata/malformed/*.json`), HCL root modules ([`HCL_CASES`], `testdata/malformed/hcl/<name>/`),
//! configuration files ([`CONFIG_CASES`], `testdata/malformed/config/*.hcl`, read with `--config`),
//! and inputs that git cannot hold (symbolic links, unreadable files, empty directories, very
//! deep nesting), built in a temporary directory by the tests below the tables.
//!
//! A row whose `bug` is set states the behaviour pullpath should have but does not have yet; its
//! test is `#[ignore]`d with the reason (`cargo test --test malformed -- --ignored` runs them).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "support/skip.rs"]
mod skip;

/// The date `ignore` expiries are compared with, so that the fixtures do not age.
const TODAY: &str = "2026-01-01";

fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    c.args(args);
    isolated(c)
}

/// The environment of every run: the repository as the current directory, no terraform on PATH
/// (binary plan files must fail with the "convert it by hand" message), none of the settings a
/// developer's environment may hold, and a fixed date for suppression expiries.
fn isolated(mut c: Command) -> Command {
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", "/nonexistent")
        .env_remove("PULLPATH_TERRAFORM_BIN")
        .env_remove("PULLPATH_CONFIG")
        .env_remove("PULLPATH_FAIL_ON")
        .env_remove("PULLPATH_UNKNOWN")
        .env_remove("PULLPATH_MODE")
        .env_remove("PULLPATH_FORMAT")
        .env_remove("PULLPATH_REGION")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("PULLPATH_TODAY", TODAY);
    c
}

fn pullpath(args: &[&str]) -> Output {
    command(args).output().expect("run pullpath")
}

/// Runs pullpath, killing it after `limit` (a guard against hangs, not a performance test).
/// `None` when it had to be killed.
fn pullpath_within(args: &[&str], limit: Duration) -> Option<(Output, Duration)> {
    run_within(command(args), limit)
}

fn run_within(mut cmd: Command, limit: Duration) -> Option<(Output, Duration)> {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pullpath");
    // Read both pipes on their own threads so that a large report cannot block the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    loop {
        if let Some(status) = child.try_wait().expect("wait for pullpath") {
            let elapsed = start.elapsed();
            return Some((
                Output {
                    status,
                    stdout: out_reader.join().unwrap(),
                    stderr: err_reader.join().unwrap(),
                },
                elapsed,
            ));
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// (fixture, exit code, substrings of standard error for exit code 2, of the findings' messages
/// otherwise).
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
    ("address-invalid.json", 2, &["resource_changes[0].address: found \"not an address!\", which is not a resource address: \" \" after \"not\" (at byte 3) is not a letter, digit, _ or -; expected [module.NAME[KEY].]"]),
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
    // Policy documents: valid plans whose S3 gateway endpoint policy (a JSON string in the plan)
    // is not valid JSON or not a valid policy. AWS rejects such a policy, so PP401 fails with a
    // message that says why the policy cannot be used, and where in it. The plan: a Fargate
    // service in a subnet with a NAT route and an S3 gateway endpoint (PP401 applies even with
    // NAT); `policy-valid-ok.json` is the same plan with a correct policy, which passes.
    ("policy-valid-ok.json", 0, &[]),
    ("policy-not-json.json", 1, &["PP401", "the policy of aws_vpc_endpoint.s3 cannot be read: the policy is not valid JSON: EOF while parsing a string at line 1 column 90"]),
    ("policy-single-quotes.json", 1, &["PP401", "cannot be read: the policy is not valid JSON: key must be a string at line 1 column 2"]),
    ("policy-not-an-object.json", 1, &["PP401", "cannot be read: the policy is not a JSON object"]),
    ("policy-deep-nesting.json", 1, &["PP401", "cannot be read: the policy is not valid JSON: recursion limit exceeded"]),
    ("policy-effect-maybe.json", 1, &["PP401", "is not a valid policy document (Statement[0].Effect: expected \"Allow\" or \"Deny\", found \"Maybe\")"]),
    ("policy-statement-number.json", 1, &["PP401", "is not a valid policy document (Statement: expected an object or an array, found 42)"]),
    ("policy-action-number.json", 1, &["PP401", "is not a valid policy document (Statement[0].Action: expected a string or an array of strings, found 7)"]),
    ("policy-unknown-element.json", 1, &["PP401", "is not a valid policy document (Statment: unknown element (expected Version, Id or Statement))"]),
];

/// One finding per line: `RULE message @ file:line:column`.
fn findings_text(report: &serde_json::Value) -> String {
    let mut out = String::new();
    for f in report["findings"].as_array().into_iter().flatten() {
        let at = match &f["location"] {
            serde_json::Value::Object(l) => format!(
                "{}:{}:{}",
                l["file"].as_str().unwrap_or(""),
                l["line"],
                l["column"]
            ),
            _ => "-".to_string(),
        };
        out.push_str(&format!(
            "{} {} @ {at}\n",
            f["rule"].as_str().unwrap_or(""),
            f["message"].as_str().unwrap_or("")
        ));
    }
    out
}

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
        // The report is still valid JSON, with the error listed.
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            report["errors"].as_array().map(Vec::len),
            Some(usize::from(*code == 2)),
            "{name}"
        );
        let haystack = if *code == 2 {
            stderr.to_string()
        } else {
            findings_text(&report)
        };
        for n in *needles {
            assert!(
                haystack.contains(n),
                "{name}: expected {n:?} in: {haystack}"
            );
        }
    }
}

/// A fixture below `testdata/malformed/` (a directory for HCL, a file for a configuration), the
/// rest of the command line, the exit code and substrings of the message: of standard error for
/// exit code 2, of the findings (`RULE message @ file:line:column`) otherwise.
struct Case {
    fixture: &'static str,
    args: &'static [&'static str],
    code: i32,
    needles: &'static [&'static str],
    /// A known bug: the row states the correct behaviour, and only the `#[ignore]`d test named
    /// after this key runs it.
    bug: Option<&'static str>,
}

const fn case(
    fixture: &'static str,
    args: &'static [&'static str],
    code: i32,
    needles: &'static [&'static str],
) -> Case {
    Case {
        fixture,
        args,
        code,
        needles,
        bug: None,
    }
}

const fn bug(
    key: &'static str,
    fixture: &'static str,
    args: &'static [&'static str],
    code: i32,
    needles: &'static [&'static str],
) -> Case {
    Case {
        fixture,
        args,
        code,
        needles,
        bug: Some(key),
    }
}

/// HCL root modules, checked as `pullpath check testdata/malformed/<fixture> <args>`. Most are
/// the same small configuration (a Fargate service in a private subnet, `hcl/*/main.tf`) with
/// one thing broken.
const HCL_CASES: &[Case] = &[
    // Syntax errors.
    case("hcl/unclosed-block", &[], 2, &["testdata/malformed/hcl/unclosed-block/main.tf:6:3: syntax error", "expected `}`"]),
    case("hcl/missing-equals", &[], 2, &["testdata/malformed/hcl/missing-equals/main.tf:6:27: syntax error: expected `{`"]),
    case("hcl/unterminated-heredoc", &[], 2, &["testdata/malformed/hcl/unterminated-heredoc/main.tf:13:1: syntax error: expected heredoc end delimiter"]),
    case("hcl/unclosed-call", &[], 2, &["testdata/malformed/hcl/unclosed-call/main.tf:12:1: syntax error: expected `)` or expression"]),
    case("hcl/duplicate-resource", &[], 2, &["testdata/malformed/hcl/duplicate-resource/main.tf:23:1: resource aws_subnet.private is declared twice (first at testdata/malformed/hcl/duplicate-resource/main.tf:9:1)"]),
    // The string opened on line 6 runs on to the next `"`, three lines later: reported where it
    // starts, as unterminated (hcl-edit alone reports it where it gives up).
    bug("multi_line_string", "hcl/unterminated-string", &[], 2, &["testdata/malformed/hcl/unterminated-string/main.tf:6:16: syntax error: unterminated string; expected a closing `\"`"]),
    // A quoted string closed on the next line: hcl-edit accepts it, Terraform does not.
    case("hcl/multi-line-string", &[], 2, &["testdata/malformed/hcl/multi-line-string/main.tf:15:17: syntax error: unterminated string; expected a closing `\"` on the same line"]),
    // `}` with no block open (hcl-edit says only "unexpected token").
    bug("unexpected_token", "hcl/stray-closing-brace", &[], 2, &["testdata/malformed/hcl/stray-closing-brace/main.tf:8:1: syntax error: unexpected `}`: there is no open block to close here; expected"]),
    // Bounded nesting: 64 levels of brackets (the block's braces count) and 128 chained operators
    // (deeper input is generated in `deep_hcl_nesting_is_refused_without_overflowing_the_stack`).
    case("hcl/nesting-too-deep", &[], 2, &["testdata/malformed/hcl/nesting-too-deep/main.tf:6:79: syntax error: nesting too deep: more than 64 levels of brackets (pullpath's limit; `{`, `[`, `(`, `${` and `%{` count as levels); expected at most 64 nested levels"]),
    // The shape a fuzzer found (`Nr ={` and `rl/rl/  u !={`, 24 times, never closed): the parser
    // takes time doubling with each level (20 s); refused at the 7th `!={` (see also
    // `exponential_nesting_ends_within_seconds`).
    case("hcl/exponential-nesting", &[], 2, &["testdata/malformed/hcl/exponential-nesting/main.tf:38:15: syntax error: nesting too deep: more than 6 levels of brackets in operands after a chain's second operator, as in `a + b * (…)`", "expected at most 6 such levels"]),
    // The HCL fuzzer's crash (fuzz/artifacts/hcl_reader/crash-400b5c2a…): a file that ends in
    // an identifier with a 3-byte character; hcl-edit's error offset falls inside it (a panic
    // while slicing, before the fix).
    case("hcl/error-inside-character", &[], 2, &["testdata/malformed/hcl/error-inside-character/main.tf:15:22: syntax error: invalid block body; expected `}`"]),
    case("hcl/too-many-operators", &[], 2, &["testdata/malformed/hcl/too-many-operators/main.tf:6:530: syntax error: invalid binary operation; expected at most 128 chained binary operators"]),
    // Encodings: .tf files are UTF-8.
    case("hcl/invalid-utf8", &[], 2, &["testdata/malformed/hcl/invalid-utf8/main.tf:15:21: the file is not valid UTF-8"]),
    case("hcl/utf16le-bom", &[], 2, &["testdata/malformed/hcl/utf16le-bom/main.tf:1:1: the file is not valid UTF-8"]),
    case("hcl/utf16le-no-bom", &[], 2, &["testdata/malformed/hcl/utf16le-no-bom/main.tf:1:2: syntax error: invalid structure; expected"]),
    case("hcl/nul-bytes", &[], 2, &["testdata/malformed/hcl/nul-bytes/main.tf:16:9: syntax error: invalid structure; expected"]),
    case("hcl/binary-png", &[], 2, &["testdata/malformed/hcl/binary-png/main.tf:1:1: the file is not valid UTF-8"]),
    // Modules.
    case("hcl/module-cycle", &[], 2, &["testdata/malformed/hcl/module-cycle/main.tf:23:1: module `again` calls testdata/malformed/hcl/module-cycle, which is already being read", "a module cannot call itself"]),
    case("hcl/module-cycle-indirect", &[], 2, &["testdata/malformed/hcl/module-cycle-indirect/modules/b/main.tf:1:1: module `a` calls testdata/malformed/hcl/module-cycle-indirect/modules/a, which is already being read", "modules/a -> testdata/malformed/hcl/module-cycle-indirect/modules/b -> testdata/malformed/hcl/module-cycle-indirect/modules/a", "a module cannot call itself"]),
    case("hcl/module-source-missing", &[], 2, &["testdata/malformed/hcl/module-source-missing/main.tf:23:1: module `network`: the source directory testdata/malformed/hcl/module-source-missing/modules/network does not exist"]),
    case("hcl/module-syntax-error", &[], 2, &["testdata/malformed/hcl/module-syntax-error/modules/network/main.tf:2:16: syntax error: invalid expression; expected", "(read as module `network`, called at testdata/malformed/hcl/module-syntax-error/main.tf:23:1)"]),
    // JSON syntax (`.tf.json`).
    case("hcl/tf-json-invalid", &[], 2, &["testdata/malformed/hcl/tf-json-invalid/main.tf.json:1:64: invalid JSON: trailing comma"]),
    case("hcl/tf-json-top-level-array", &[], 2, &["testdata/malformed/hcl/tf-json-top-level-array/main.tf.json:1:1: a Terraform JSON file must hold an object at the top level"]),
    case("hcl/tf-json-unknown-block", &[], 2, &["testdata/malformed/hcl/tf-json-unknown-block/main.tf.json:3:3: unknown block type `resorce`; expected one of terraform, provider"]),
    case("hcl/tf-json-bad-template", &[], 2, &["testdata/malformed/hcl/tf-json-bad-template/main.tf.json:1:36: invalid template \"${var.cidr\": expected `}`"]),
    // `"resource": {"aws_ecs_service": ["app"]}`: not the shape of a resource; ignored, and the
    // run passes with "no workload found".
    bug("ignored_blocks", "hcl/tf-json-resource-array", &[], 2, &["testdata/malformed/hcl/tf-json-resource-array/main.tf.json", "aws_ecs_service", "object"]),
    // Variable files: `terraform.tfvars` (read automatically) and `--var-file`.
    case("hcl/tfvars-syntax-error", &[], 2, &["testdata/malformed/hcl/tfvars-syntax-error/terraform.tfvars:1:11: syntax error: invalid expression; expected"]),
    case("hcl/var-file-syntax-error", &["--var-file", "testdata/malformed/hcl/var-file-syntax-error/broken.tfvars"], 2, &["testdata/malformed/hcl/var-file-syntax-error/broken.tfvars:2:26: syntax error: expected `{`"]),
    case("hcl/var-file-json-invalid", &["--var-file", "testdata/malformed/hcl/var-file-json-invalid/broken.tfvars.json"], 2, &["testdata/malformed/hcl/var-file-json-invalid/broken.tfvars.json:1:31: invalid JSON: trailing comma"]),
    case("hcl/var-file-json-array", &["--var-file", "testdata/malformed/hcl/var-file-json-array/broken.tfvars.json"], 2, &["testdata/malformed/hcl/var-file-json-array/broken.tfvars.json:1:1: a variables file must hold an object"]),
    case("hcl/var-file-syntax-error", &["--var-file", "testdata/malformed/hcl/var-file-syntax-error/nope.tfvars"], 2, &["--var-file testdata/malformed/hcl/var-file-syntax-error/nope.tfvars: no such file"]),
    // `subnet_cidr = "10.0.1.0/24` (unterminated; hcl-edit says "1:1: unexpected token").
    bug("unexpected_token", "hcl/var-file-unterminated-string", &["--var-file", "testdata/malformed/hcl/var-file-unterminated-string/broken.tfvars"], 2, &["testdata/malformed/hcl/var-file-unterminated-string/broken.tfvars:1:15: syntax error: unterminated string; expected"]),
    // A list for `variable "subnet_cidr" { type = string }`: Terraform refuses to plan, and so
    // does pullpath, at the value (it used to make the CIDR unknown with a note only `graph`
    // showed).
    bug("var_file_wrong_type", "hcl/var-file-wrong-type", &["--var-file", "testdata/malformed/hcl/var-file-wrong-type/broken.tfvars"], 2, &["testdata/malformed/hcl/var-file-wrong-type/broken.tfvars:1:1: invalid value for variable `subnet_cidr` (declared at testdata/malformed/hcl/var-file-wrong-type/main.tf:23:1): a string is required, got list"]),
    // Valid syntax that cannot be evaluated: the workload's subnets are unknown, and PP901 says
    // why (a warning: exit 1 with --fail-on warning).
    case("hcl/undeclared-variable", &["--fail-on", "warning"], 1, &["PP901 the VPC of aws_ecs_service.app cannot be determined", "reference to undeclared input variable `subnet_id`", "@ testdata/malformed/hcl/undeclared-variable/main.tf:14:1"]),
    case("hcl/undeclared-resource", &["--fail-on", "warning"], 1, &["PP901", "reference to undeclared resource aws_subnet.privat", "@ testdata/malformed/hcl/undeclared-resource/main.tf:14:1"]),
    case("hcl/local-cycle", &["--fail-on", "warning"], 1, &["PP901", "local `subnets` depends on itself", "@ testdata/malformed/hcl/local-cycle/main.tf:14:1"]),
    // An unsupported construct (a function pullpath does not evaluate): unknown, with the reason.
    case("hcl/unsupported-function", &["--fail-on", "warning"], 1, &["PP901", "function `md5` is not supported", "@ testdata/malformed/hcl/unsupported-function/main.tf:14:1"]),
    // 5,000 subnets from a for_each over a `for` expression, all read (see also
    // `a_for_each_over_thousands_of_keys_is_read`).
    case("hcl/for-each-thousands", &[], 1, &["PP101", "aws_subnet.private[\"s0000\"] has no internet route"]),
    // Instances that cannot be read (`count` not a number, over the 10,000-instance limit,
    // `for_each` not a collection): an error at the argument (they used to be dropped with a
    // note only `pullpath graph` showed, and `check` passed with "no workload found").
    bug("dropped_instances", "hcl/count-not-a-number", &[], 2, &["testdata/malformed/hcl/count-not-a-number/main.tf:16:3: `count` of aws_ecs_service.app must be a whole number (0 or more); found a string (\"two\")"]),
    bug("dropped_instances", "hcl/count-over-limit", &[], 2, &["testdata/malformed/hcl/count-over-limit/main.tf:16:3: `count` of aws_ecs_service.app is 20000, more than the 10000 instances"]),
    bug("dropped_instances", "hcl/for-each-not-a-collection", &[], 2, &["testdata/malformed/hcl/for-each-not-a-collection/main.tf:16:3: `for_each` of aws_ecs_service.app must be a map or a set of strings; found a string (\"app\")"]),
    // Blocks Terraform rejects: an error at the block (they used to be skipped silently).
    bug("ignored_blocks", "hcl/misspelled-block-type", &[], 2, &["testdata/malformed/hcl/misspelled-block-type/main.tf:14:1", "resourse"]),
    bug("ignored_blocks", "hcl/resource-without-name", &[], 2, &["testdata/malformed/hcl/resource-without-name/main.tf:14:1", "label"]),
    // Other blocks Terraform refuses before planning.
    case("hcl/count-and-for-each", &[], 2, &["testdata/malformed/hcl/count-and-for-each/main.tf:11:3: aws_subnet.private: `count` and `for_each` cannot both be set"]),
    case("hcl/dynamic-without-content", &[], 2, &["testdata/malformed/hcl/dynamic-without-content/main.tf:12:3: aws_security_group.tasks: dynamic block `egress` needs one `content` block; found 0"]),
    case("hcl/top-level-attribute", &[], 2, &["testdata/malformed/hcl/top-level-attribute/main.tf:1:1: unexpected attribute `region` at the top level; expected a block"]),
    // 1,000 module instances × 9,999 subnets: the 500,000 resource instances pullpath reads
    // count across module instances, and crossing them is an error before any resource is built
    // (every module instance used to be evaluated: 40 s and 3.8 GB in a debug build).
    bug("unbounded_module_instances", "hcl/module-instances-over-limit", &[], 2, &["testdata/malformed/hcl/module-instances-over-limit/modules/subnets/main.tf:2:3: module.subnets[\"143\"].aws_subnet.this: more than 500000 resource instances in all"]),
];

/// Configuration files, checked as `pullpath check testdata/malformed/crlf-ok.json --config
/// testdata/malformed/<fixture> <args>` (the input itself is valid and has no finding).
const CONFIG_CASES: &[Case] = &[
    case("config/unknown-key.hcl", &[], 2, &["testdata/malformed/config/unknown-key.hcl:2:1: unknown setting `fail_onn` (did you mean `fail_on`?); expected fail_on, unknown, mode"]),
    case("config/fail-on-number.hcl", &[], 2, &["testdata/malformed/config/fail-on-number.hcl:1:11: `fail_on` must be a literal string"]),
    case("config/enabled-string.hcl", &[], 2, &["testdata/malformed/config/enabled-string.hcl:2:13: `enabled` must be true or false"]),
    case("config/bad-choice.hcl", &[], 2, &["testdata/malformed/config/bad-choice.hcl:1:11: `unknown` = \"maybe\" is not valid; expected one of warn, fail, ignore"]),
    case("config/expression.hcl", &[], 2, &["testdata/malformed/config/expression.hcl:1:8: `mode` must be a literal string"]),
    case("config/unclosed-block.hcl", &[], 2, &["testdata/malformed/config/unclosed-block.hcl:3:24: invalid HCL: invalid block body; expected `}`"]),
    case("config/missing-value.hcl", &[], 2, &["testdata/malformed/config/missing-value.hcl:1:11: invalid HCL: invalid expression; expected"]),
    case("config/duplicate-key.hcl", &[], 2, &["testdata/malformed/config/duplicate-key.hcl:2:1: invalid HCL: invalid attribute; expected unique attribute key"]),
    case("config/unknown-block.hcl", &[], 2, &["testdata/malformed/config/unknown-block.hcl:1:1: unknown block `policy`; expected workload, rule or ignore"]),
    case("config/nesting-too-deep.hcl", &[], 2, &["testdata/malformed/config/nesting-too-deep.hcl:1:75: invalid HCL: nesting too deep: more than 64 levels of brackets (pullpath's limit; `{`, `[`, `(`, `${` and `%{` count as levels); expected at most 64 nested levels"]),
    // The fuzzer's artifact (fuzz/artifacts/config/timeout-6c4df50c…): 9 s in the parser.
    case("config/exponential-nesting.pullpath.hcl", &[], 2, &["testdata/malformed/config/exponential-nesting.pullpath.hcl:11:17: invalid HCL: nesting too deep: more than 6 levels of brackets in operands after a chain's second operator", "expected at most 6 such levels"]),
    // The fuzzer's slow unit (fuzz/artifacts/config/slow-unit-fa7e5a6a…): 0.8 s in the parser.
    case("config/slow-unit-nesting.pullpath.hcl", &[], 2, &["testdata/malformed/config/slow-unit-nesting.pullpath.hcl:10:22: invalid HCL: nesting too deep: more than 6 levels of brackets in operands after a chain's second operator"]),
    // The fuzzer's timeout of issue 14's run (fuzz/artifacts/config/timeout-6d7facdf…): a
    // traversal continued past a comment and a line break (`s.# …` then `u + {` is `s.u + {`)
    // hid the chain from the guard; 0.9 s in the parser, doubling per line.
    case("config/fuzz-timeout-traversal-across-lines.pullpath.hcl", &[], 2, &["testdata/malformed/config/fuzz-timeout-traversal-across-lines.pullpath.hcl:15:7: invalid HCL: nesting too deep: more than 6 levels of brackets in operands after a chain's second operator"]),
    // The config fuzzer's crash (fuzz/artifacts/config/crash-f6d33555…): the text ends in a
    // 2-byte character where hcl-edit's error offset falls (a panic before the fix).
    case("config/error-inside-character.pullpath.hcl", &[], 2, &["testdata/malformed/config/error-inside-character.pullpath.hcl:112:41: invalid HCL: invalid block body; expected `}`"]),
    case("config/rule-unknown-code.hcl", &[], 2, &["testdata/malformed/config/rule-unknown-code.hcl:1:1: no rule \"PP999\""]),
    case("config/rule-unknown-key.hcl", &[], 2, &["testdata/malformed/config/rule-unknown-key.hcl:2:3: unknown key `enable` in a `rule` block (did you mean `enabled`?); expected enabled or severity"]),
    case("config/rule-configured-twice.hcl", &[], 2, &["testdata/malformed/config/rule-configured-twice.hcl:5:1: rule PP109 is already configured at line 1"]),
    case("config/workload-unknown-platform.hcl", &[], 2, &["testdata/malformed/config/workload-unknown-platform.hcl:2:14: unknown platform \"lambda\"; expected one of fargate"]),
    case("config/workload-without-label.hcl", &[], 2, &["testdata/malformed/config/workload-without-label.hcl:1:1: a `workload` block takes one label"]),
    // Suppressions.
    case("config/ignore-unknown-rule.hcl", &[], 2, &["testdata/malformed/config/ignore-unknown-rule.hcl:2:12: no rule \"PP999\""]),
    case("config/ignore-rule-number.hcl", &[], 2, &["testdata/malformed/config/ignore-rule-number.hcl:2:22: `rule` must be a rule code or name, or a list of them"]),
    case("config/ignore-without-rule.hcl", &[], 2, &["testdata/malformed/config/ignore-without-rule.hcl:1:1: an `ignore` block needs `rule`"]),
    case("config/ignore-unknown-key.hcl", &[], 2, &["testdata/malformed/config/ignore-unknown-key.hcl:4:3: unknown key `owner` in a `ignore` block; expected rule, resource, reason or expires"]),
    case("config/ignore-empty-resource.hcl", &[], 2, &["testdata/malformed/config/ignore-empty-resource.hcl:3:14: `resource` is empty"]),
    case("config/ignore-date-format.hcl", &[], 2, &["testdata/malformed/config/ignore-date-format.hcl:4:13: `expires` = \"30/06/2027\" is not a date; expected YYYY-MM-DD"]),
    case("config/ignore-impossible-date.hcl", &[], 2, &["testdata/malformed/config/ignore-impossible-date.hcl:4:13: `expires` = \"2027-02-30\" is not a date; expected YYYY-MM-DD"]),
    // Valid files whose suppression does not apply: a PP902 note at the block.
    case("config/ignore-expired.hcl", &["--fail-on", "note"], 1, &["PP902", "expired on 2020-01-01 and no longer applies", "@ testdata/malformed/config/ignore-expired.hcl:1:1"]),
    case("config/ignore-without-reason.hcl", &["--fail-on", "note"], 1, &["PP902", "gives no reason, so it does not apply", "@ testdata/malformed/config/ignore-without-reason.hcl:1:1"]),
    case("config/empty-ok.hcl", &["--fail-on", "note"], 0, &[]),
    // Encodings: as for .tf files, UTF-8 only; the first bad byte's position, and a UTF-16 file
    // named as such (std's "stream did not contain valid UTF-8" gave neither).
    bug("config_encoding", "config/invalid-utf8.hcl", &[], 2, &["testdata/malformed/config/invalid-utf8.hcl:2:6: the file is not valid UTF-8 (at byte 25)"]),
    bug("config_encoding", "config/utf16le-bom.hcl", &[], 2, &["testdata/malformed/config/utf16le-bom.hcl:1:1: the file is not valid UTF-8: it is UTF-16LE text", "save it as UTF-8"]),
    // `fail_on = "${"` and a file written as JSON (hcl-edit says "1:1: unexpected token").
    bug("unexpected_token", "config/bad-template.hcl", &[], 2, &["testdata/malformed/config/bad-template.hcl:1:12: invalid HCL: unterminated interpolation; expected an expression and `}`"]),
    bug("unexpected_token", "config/json-syntax.hcl", &[], 2, &["testdata/malformed/config/json-syntax.hcl:1:1: invalid HCL: unexpected `{`; expected", "looks like JSON"]),
];

fn malformed(fixture: &str) -> String {
    format!("testdata/malformed/{fixture}")
}

fn hcl_command(c: &Case) -> Vec<String> {
    let mut v = vec!["check".to_string(), malformed(c.fixture)];
    v.extend(c.args.iter().map(|s| s.to_string()));
    v.extend(["--format".to_string(), "json".to_string()]);
    v
}

fn config_command(c: &Case) -> Vec<String> {
    let mut v = vec![
        "check".to_string(),
        malformed("crlf-ok.json"),
        "--config".to_string(),
        malformed(c.fixture),
    ];
    v.extend(c.args.iter().map(|s| s.to_string()));
    v.extend(["--format".to_string(), "json".to_string()]);
    v
}

/// What is wrong with the outcome of a case, if anything.
fn outcome_problems(c: &Case, args: &[String], out: &Output) -> Option<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let cmd = format!("pullpath {}", args.join(" "));
    let mut problems = Vec::new();
    if out.status.code() != Some(c.code) {
        problems.push(format!(
            "exit code {:?}, expected {}",
            out.status.code(),
            c.code
        ));
    }
    if stderr.contains("panicked") || stderr.contains("internal error") {
        problems.push("a panic".to_string());
    }
    let report: Option<serde_json::Value> = serde_json::from_slice(&out.stdout).ok();
    // An input error still prints the report, with the error listed (a bad configuration file
    // stops the run before any input is read: no report).
    if let Some(r) = &report {
        let errors = r["errors"].as_array().map_or(0, Vec::len);
        if (c.code == 2) != (errors > 0) {
            problems.push(format!("the report lists {errors} errors"));
        }
    }
    let haystack = if c.code == 2 {
        stderr.to_string()
    } else {
        match &report {
            Some(r) => findings_text(r),
            None => {
                problems.push("standard output is not a JSON report".to_string());
                String::new()
            }
        }
    };
    for n in c.needles {
        if !haystack.contains(n) {
            problems.push(format!("{n:?} is not in the message"));
        }
    }
    if problems.is_empty() {
        return None;
    }
    Some(format!(
        "{}: {}\n  command: {cmd}\n  exit code: {:?}\n  stderr: {stderr}\n  stdout: {}",
        c.fixture,
        problems.join("; "),
        out.status.code(),
        stdout.chars().take(2000).collect::<String>()
    ))
}

fn run_case(c: &Case, command: fn(&Case) -> Vec<String>) -> Option<String> {
    let args = command(c);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    match pullpath_within(&refs, Duration::from_secs(300)) {
        Some((out, _)) => outcome_problems(c, &args, &out),
        None => Some(format!(
            "{}: still running after 300 s (killed)\n  command: pullpath {}",
            c.fixture,
            args.join(" ")
        )),
    }
}

/// Runs the rows of a table that are not known bugs.
fn run_table(cases: &[Case], command: fn(&Case) -> Vec<String>) {
    let problems: Vec<String> = cases
        .iter()
        .filter(|c| c.bug.is_none())
        .filter_map(|c| run_case(c, command))
        .collect();
    assert!(problems.is_empty(), "\n{}", problems.join("\n\n"));
}

#[test]
fn hcl_fixtures_end_with_clear_errors() {
    run_table(HCL_CASES, hcl_command);
}

#[test]
fn config_fixtures_end_with_clear_errors() {
    run_table(CONFIG_CASES, config_command);
}

/// The rows of a known bug, in both tables.
fn run_bug(key: &str) {
    let mut problems = Vec::new();
    let mut ran = 0;
    for (cases, command) in [
        (HCL_CASES, hcl_command as fn(&Case) -> Vec<String>),
        (CONFIG_CASES, config_command),
    ] {
        for c in cases.iter().filter(|c| c.bug == Some(key)) {
            ran += 1;
            problems.extend(run_case(c, command));
        }
    }
    assert!(ran > 0, "no case for bug {key}");
    assert!(problems.is_empty(), "\n{}", problems.join("\n\n"));
}

#[test]
fn bug_dropped_instances() {
    run_bug("dropped_instances");
}

#[test]
fn bug_ignored_blocks() {
    run_bug("ignored_blocks");
}

#[test]
fn bug_var_file_wrong_type() {
    run_bug("var_file_wrong_type");
}

#[test]
fn bug_unexpected_token() {
    run_bug("unexpected_token");
}

#[test]
fn bug_multi_line_string() {
    run_bug("multi_line_string");
}

#[test]
fn bug_config_encoding() {
    run_bug("config_encoding");
}

/// `hcl/module-instances-over-limit` (1,000 module instances × 9,999 subnets) stops at the
/// 500,000 resource instances pullpath reads, across module instances. It is run with 4 GiB of
/// address space and a time guard, so that a regression cannot take the machine down (time and
/// memory used to grow with the module instances: 40 s and 3.8 GB in a debug build).
#[cfg(unix)]
#[test]
fn bug_unbounded_module_instances() {
    let c = HCL_CASES
        .iter()
        .find(|c| c.bug == Some("unbounded_module_instances"))
        .unwrap();
    let args = hcl_command(c);
    let mut sh = Command::new("/bin/sh");
    sh.arg("-c")
        .arg("ulimit -v 4194304 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_pullpath"))
        .args(&args);
    match run_within(isolated(sh), Duration::from_secs(60)) {
        Some((out, elapsed)) => {
            eprintln!("finished in {elapsed:?}");
            if let Some(p) = outcome_problems(c, &args, &out) {
                panic!("{p}");
            }
        }
        None => panic!("still running after 60 s: pullpath {}", args.join(" ")),
    }
}

#[test]
fn every_fixture_in_the_directory_is_covered() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/malformed");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        match name.as_str() {
            "hcl" | "config" => {
                let table = if name == "hcl" {
                    HCL_CASES
                } else {
                    CONFIG_CASES
                };
                for sub in std::fs::read_dir(dir.join(&name)).unwrap() {
                    let sub = sub.unwrap().file_name().to_string_lossy().to_string();
                    let fixture = format!("{name}/{sub}");
                    assert!(
                        table.iter().any(|c| c.fixture == fixture),
                        "testdata/malformed/{fixture} has no expectation in tests/malformed.rs"
                    );
                    seen += 1;
                }
            }
            _ => {
                assert!(
                    CASES.iter().any(|(n, _, _)| *n == name),
                    "{name} has no expectation in tests/malformed.rs"
                );
                seen += 1;
            }
        }
    }
    // And the other way round: every row's fixture exists.
    for c in HCL_CASES.iter().chain(CONFIG_CASES) {
        assert!(
            dir.join(c.fixture).exists(),
            "{}: no such fixture",
            c.fixture
        );
    }
    // The suite the robustness issue asks for: at least 60 fixtures.
    assert!(seen >= 60, "only {seen} fixtures");
}

/// A fresh directory for one test (tests run in parallel, in one process), removed when the test
/// ends.
fn temp_dir(name: &str) -> TempDir {
    let dir = std::env::temp_dir()
        .join(format!("pullpath-malformed-{}", std::process::id()))
        .join(name);
    if dir.exists() {
        make_removable(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
    }
    // Another test may remove the (empty) parent in between: try again.
    let mut tries = 0;
    while let Err(e) = std::fs::create_dir_all(&dir) {
        tries += 1;
        assert!(tries < 10, "{}: {e}", dir.display());
    }
    TempDir(dir)
}

struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        make_removable(&self.0);
        let _ = std::fs::remove_dir_all(&self.0);
        // The last test to finish removes the process's directory (it fails while not empty).
        if let Some(parent) = self.0.parent() {
            let _ = std::fs::remove_dir(parent);
        }
    }
}

/// Gives back the permissions a test took away, so that the directory can be removed.
fn make_removable(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if dir.is_symlink() {
            return;
        }
        let mode = if dir.is_dir() { 0o755 } else { 0o644 };
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode));
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                make_removable(&e.path());
            }
        }
    }
}

/// A small valid root module: a Fargate service in a private subnet without endpoints (exit 1:
/// PP101, PP102, PP103). The HCL fixtures are this module with one thing broken.
const MODULE: &str = r#"provider "aws" {
  region = "us-west-2"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_ecs_service" "app" {
  name            = "app"
  launch_type     = "FARGATE"
  task_definition = aws_ecs_task_definition.app.arn

  network_configuration {
    subnets = [aws_subnet.private.id]
  }
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name  = "app"
    image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/app:1"
  }])
}
"#;

fn write_module(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("main.tf"), MODULE).unwrap();
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn report_of(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            stderr_of(out)
        )
    })
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 100_000;
    let mut s = String::from("{\"format_version\":\"1.2\",\"resource_changes\":[{\"address\":\"aws_vpc.a\",\"type\":\"aws_vpc\",\"change\":{\"actions\":[\"create\"],\"after\":{\"cidr_block\":");
    s.push_str(&"[".repeat(depth));
    s.push_str(&"]".repeat(depth));
    s.push_str("}}}]}");
    let dir = temp_dir("deep-json");
    let path = dir.join("deep.json");
    std::fs::write(&path, s).unwrap();
    let out = pullpath(&["check", path_str(&path)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("recursion limit exceeded"), "{stderr}");
}

/// The same 100,000 levels in a file of over a megabyte, which is mapped and whose nesting is
/// checked beside the parse: the same refusal, with the position.
#[test]
fn deep_nesting_in_a_large_file_is_refused_as_in_a_small_one() {
    let depth = 100_000;
    let pad = "x".repeat(2_000_000);
    let mut s = format!("{{\"format_version\":\"1.2\",\"resource_changes\":[{{\"address\":\"aws_vpc.a\",\"type\":\"aws_vpc\",\"change\":{{\"actions\":[\"create\"],\"after\":{{\"tags\":{{\"Pad\":\"{pad}\"}},\n\"cidr_block\":");
    s.push_str(&"[".repeat(depth));
    s.push_str(&"]".repeat(depth));
    s.push_str("}}}]}");
    let dir = temp_dir("deep-large-json");
    let path = dir.join("deep.json");
    std::fs::write(&path, s).unwrap();
    let out = pullpath(&["check", path_str(&path)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("recursion limit exceeded"), "{stderr}");
    assert!(stderr.contains("line 2, column 137"), "{stderr}");
}

/// A plan of over a megabyte is mapped, and the pages read are given back as the reader goes:
/// what it finds is what the same bytes give through standard input (read into a buffer), with
/// or without a byte-order mark, with resources of types pullpath does not read before, between
/// and after the ones it reads, and `--max-input-size` still applies.
#[test]
fn a_mapped_plan_reads_as_from_standard_input() {
    let fixture = "testdata/plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only-with-nat.json";
    let text =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture))
            .unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    let pad = |i: usize| {
        serde_json::json!({
            "address": format!("null_resource.pad{i:05}"),
            "mode": "managed",
            "type": "null_resource",
            "name": format!("pad{i:05}"),
            "change": {"actions": ["create"], "before": null,
                       "after": {"triggers": {"v": "p".repeat(300)}},
                       "after_unknown": {"id": true}}
        })
    };
    let changes = plan["resource_changes"].as_array_mut().unwrap();
    let real: Vec<serde_json::Value> = std::mem::take(changes);
    let mut i = 0;
    for r in real {
        for _ in 0..700 {
            changes.push(pad(i));
            i += 1;
        }
        changes.push(r);
    }
    for _ in 0..700 {
        changes.push(pad(i));
        i += 1;
    }
    let body = serde_json::to_string_pretty(&plan).unwrap();
    assert!(body.len() > 2 << 20, "{}", body.len());
    let dir = temp_dir("mapped-plan");
    let plain = dir.join("plan.json");
    std::fs::write(&plain, &body).unwrap();
    let marked = dir.join("bom.json");
    std::fs::write(&marked, format!("\u{feff}{body}")).unwrap();

    let piped = {
        let mut c = command(&["check", "--format", "json", "-"]);
        c.stdin(std::fs::File::open(&plain).unwrap());
        c.output().unwrap()
    };
    assert_eq!(piped.status.code(), Some(1), "{}", stderr_of(&piped));
    let expected = findings_text(&report_of(&piped));
    assert!(expected.contains("PP"), "{expected}");
    for path in [&plain, &marked] {
        let out = pullpath(&["check", "--format", "json", path_str(path)]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
        assert_eq!(
            findings_text(&report_of(&out)),
            expected,
            "{}",
            path.display()
        );
    }
    let out = pullpath(&["check", "--max-input-size", "1M", path_str(&plain)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("larger than 1M"),
        "{}",
        stderr_of(&out)
    );
}

/// 100,000 levels of brackets, braces, parentheses and nested blocks in a `.tf` file, a
/// variables file and a configuration file: refused at 64 levels, with the position.
#[test]
fn deep_hcl_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 100_000;
    let dir = temp_dir("deep-hcl");
    let exprs = [
        (
            "brackets",
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "objects",
            format!("{}1{}", "{a = ".repeat(depth), "}".repeat(depth)),
        ),
        (
            "parens",
            format!("{}1{}", "(".repeat(depth), ")".repeat(depth)),
        ),
        (
            "calls",
            format!("{}1{}", "tostring(".repeat(depth), ")".repeat(depth)),
        ),
        ("not", format!("{}true", "!".repeat(depth))),
        ("conditionals", format!("{}1", "true ? 1 : ".repeat(depth))),
        (
            "templates",
            format!("\"{}x{}\"", "${\"".repeat(depth), "\"}".repeat(depth)),
        ),
    ];
    for (name, expr) in &exprs {
        let m = dir.join(name);
        std::fs::create_dir_all(&m).unwrap();
        std::fs::write(
            m.join("main.tf"),
            format!("resource \"aws_vpc\" \"a\" {{\n  cidr_block = {expr}\n}}\n"),
        )
        .unwrap();
        let out = pullpath(&["check", path_str(&m)]);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{}/main.tf:2:", m.display()))
                && stderr.contains("expected at most 64 nested levels"),
            "{name}: {stderr}"
        );
    }
    // Nested blocks, one per line.
    let m = dir.join("blocks");
    std::fs::create_dir_all(&m).unwrap();
    std::fs::write(
        m.join("main.tf"),
        format!(
            "resource \"aws_vpc\" \"a\" {{\n{}{}}}\n",
            "x {\n".repeat(depth),
            "}\n".repeat(depth)
        ),
    )
    .unwrap();
    let out = pullpath(&["check", path_str(&m)]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "blocks: {stderr}");
    assert!(
        stderr.contains(&format!("{}/main.tf:65:", m.display()))
            && stderr.contains("expected at most 64 nested levels"),
        "blocks: {stderr}"
    );
    // A variables file.
    let module = dir.join("vars");
    write_module(&module);
    let vars = dir.join("deep.tfvars");
    std::fs::write(
        &vars,
        format!("region = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
    )
    .unwrap();
    let out = pullpath(&["check", path_str(&module), "--var-file", path_str(&vars)]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "tfvars: {stderr}");
    assert!(
        stderr.contains(&format!("{}:1:", vars.display()))
            && stderr.contains("expected at most 64 nested levels"),
        "tfvars: {stderr}"
    );
    // A configuration file.
    let config = dir.join("deep.hcl");
    std::fs::write(
        &config,
        format!("fail_on = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
    )
    .unwrap();
    let out = pullpath(&[
        "check",
        "testdata/malformed/crlf-ok.json",
        "--config",
        path_str(&config),
    ]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "config: {stderr}");
    assert!(
        stderr.contains(&format!("{}:1:", config.display()))
            && stderr.contains("expected at most 64 nested levels"),
        "config: {stderr}"
    );
}

/// Nesting on which the parser takes exponential time (a fuzzer's artifact, 9 s in a release
/// build, and the same shape in a `.tf` file, 20 s): refused before the parser, within seconds
/// even in a debug build.
#[test]
fn exponential_nesting_ends_within_seconds() {
    for c in HCL_CASES
        .iter()
        .chain(CONFIG_CASES)
        .filter(|c| c.fixture.contains("exponential-nesting"))
    {
        let args = if c.fixture.starts_with("config/") {
            config_command(c)
        } else {
            hcl_command(c)
        };
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        match pullpath_within(&refs, Duration::from_secs(20)) {
            Some((out, _)) => {
                if let Some(p) = outcome_problems(c, &args, &out) {
                    panic!("{p}");
                }
            }
            None => panic!("still running after 20 s: pullpath {}", args.join(" ")),
        }
    }
}

/// Valid nesting up to the limits is read (64 levels of brackets of every kind, the block's
/// braces counted; 6 levels of brackets in chained operands), and one level more is refused at
/// the bracket that crosses the limit.
#[test]
fn nesting_up_to_the_limits_is_read() {
    // `levels` nested brackets, one of each kind in turn, the innermost a template directive.
    let nested = |levels: usize| {
        let kinds = [("[", "]"), ("{a = ", "}"), ("(", ")"), ("\"${", "}\"")];
        let (mut open, mut close) = (String::new(), String::new());
        for k in 0..levels - 1 {
            let (o, c) = kinds[k % kinds.len()];
            open.push_str(o);
            close.insert_str(0, c);
        }
        format!("{open}\"%{{if true}}x%{{endif}}\"{close}")
    };
    let chained = |levels: usize| format!("{}1{}", "1 + 1 + (".repeat(levels), ")".repeat(levels));
    let dir = temp_dir("nesting-limits");
    let module = |name: &str, deep: &str, chain: &str| {
        let m = dir.join(name);
        write_module(&m);
        std::fs::write(
            m.join("locals.tf"),
            format!("locals {{\n  deep = {deep}\n  chained = {chain}\n}}\n"),
        )
        .unwrap();
        m
    };
    // At the limits: read, with the module's findings (exit 1).
    let m = module("at", &nested(63), &chained(6));
    let out = pullpath(&["check", path_str(&m)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    // One level more: refused, at the bracket that crosses the limit (the expression's 64th,
    // the innermost `%{`; the 7th `(`).
    let deep = nested(64);
    let chain = chained(7);
    let at = |text: &str, pat: &str, n: usize| text.match_indices(pat).nth(n - 1).unwrap().0 + 1;
    for (name, m, line, column, needle) in [
        (
            "brackets",
            module("brackets", &deep, &chained(6)),
            2,
            "  deep = ".len() + at(&deep, "%{", 1),
            "more than 64 levels of brackets",
        ),
        (
            "chained",
            module("chained", &nested(63), &chain),
            3,
            "  chained = ".len() + at(&chain, "(", 7),
            "more than 6 levels of brackets in operands",
        ),
    ] {
        let out = pullpath(&["check", path_str(&m)]);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        let position = format!(
            "{}:{line}:{column}: syntax error: nesting too deep: ",
            m.join("locals.tf").display()
        );
        assert!(
            stderr.contains(&position) && stderr.contains(needle),
            "{name}: {position}\n{stderr}"
        );
    }
}

/// Modules calling modules 40 deep: refused at 32, naming the call.
#[test]
fn module_nesting_deeper_than_32_is_refused() {
    let root = temp_dir("module-chain");
    let mut d = root.to_path_buf();
    for _ in 0..40 {
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("main.tf"),
            "module \"next\" {\n  source = \"./next\"\n}\n",
        )
        .unwrap();
        d = d.join("next");
    }
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        d.join("main.tf"),
        "resource \"aws_vpc\" \"a\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
    )
    .unwrap();
    let out = pullpath(&["check", path_str(&root)]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("/main.tf:1:1: module `next`: modules are nested more than 32 deep"),
        "{stderr}"
    );
}

#[test]
fn huge_strings_and_arrays_are_read() {
    let big = "x".repeat(20_000_000);
    let list: Vec<String> = (0..200_000).map(|i| format!("\"sg-{i:08x}\"")).collect();
    let s = format!(
        "{{\"format_version\":\"1.2\",\"resource_changes\":[{{\"address\":\"aws_vpc_endpoint.a\",\"type\":\"aws_vpc_endpoint\",\"change\":{{\"actions\":[\"create\"],\"after\":{{\"policy\":\"{big}\",\"security_group_ids\":[{}]}}}}}}]}}",
        list.join(",")
    );
    let dir = temp_dir("huge-json");
    let path = dir.join("huge.json");
    std::fs::write(&path, s).unwrap();
    let out = pullpath(&["check", path_str(&path)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A 2 MB string and a list of 20,000 security groups in HCL: read, as in JSON.
#[test]
fn huge_hcl_strings_and_lists_are_read() {
    let dir = temp_dir("huge-hcl");
    let list: Vec<String> = (0..20_000).map(|i| format!("\"sg-{i:08x}\"")).collect();
    std::fs::write(
        dir.join("main.tf"),
        format!(
            "resource \"aws_vpc_endpoint\" \"a\" {{\n  vpc_id             = \"vpc-0a1\"\n  service_name       = \"com.amazonaws.us-west-2.s3\"\n  policy             = \"{}\"\n  security_group_ids = [{}]\n}}\n",
            "x".repeat(2_000_000),
            list.join(", ")
        ),
    )
    .unwrap();
    let out = pullpath(&["check", path_str(&dir), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let report = report_of(&out);
    assert_eq!(report["inputs"].as_array().map(Vec::len), Some(1));
}

/// `hcl/for-each-thousands`: 5,000 subnets from one for_each, all read.
#[test]
fn a_for_each_over_thousands_of_keys_is_read() {
    let dir = "testdata/malformed/hcl/for-each-thousands";
    let (out, elapsed) =
        pullpath_within(&["check", dir], Duration::from_secs(300)).expect("finished within 300 s");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{dir}: {elapsed:?}");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(
        stdout.contains("1 input read (5003 resources); 1 VPC with 1 workload checked"),
        "{stdout}"
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
fn a_missing_config_file_is_an_error() {
    let out = pullpath(&[
        "check",
        "testdata/malformed/crlf-ok.json",
        "--config",
        "testdata/malformed/config/does-not-exist.hcl",
    ]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "reading the configuration file testdata/malformed/config/does-not-exist.hcl"
        ),
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
fn one_bad_hcl_module_does_not_stop_the_others() {
    let out = pullpath(&[
        "check",
        "testdata/malformed/hcl/unclosed-block",
        "testdata/malformed/policy-valid-ok.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let report = report_of(&out);
    assert_eq!(
        report["inputs"][0]["path"],
        "testdata/malformed/policy-valid-ok.json"
    );
    assert_eq!(report["inputs"].as_array().unwrap().len(), 1);
    assert_eq!(report["errors"].as_array().unwrap().len(), 1);
}

#[test]
fn directories_without_terraform_are_errors() {
    let empty = temp_dir("no-terraform-empty");
    let other = temp_dir("no-terraform-other");
    std::fs::write(other.join("README.md"), "# not Terraform\n").unwrap();
    std::fs::write(other.join("terraform.tfvars"), "region = \"us-west-2\"\n").unwrap();
    std::fs::create_dir_all(other.join("docs")).unwrap();
    std::fs::write(other.join("docs/main.tf.txt"), "resource {}\n").unwrap();
    // Modules only under a hidden directory, which --recursive does not enter either.
    std::fs::create_dir_all(other.join(".terraform/modules/vpc")).unwrap();
    std::fs::write(other.join(".terraform/modules/vpc/main.tf"), "").unwrap();
    let nested = temp_dir("no-terraform-nested");
    std::fs::create_dir_all(nested.join("live/prod")).unwrap();
    std::fs::write(nested.join("live/prod/main.tf"), "").unwrap();
    for (dir, below) in [(&empty, false), (&other, false), (&nested, true)] {
        let d = path_str(dir);
        let out = pullpath(&["check", d]);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{d}: {stderr}");
        let message = format!(
            "{d}: no Terraform configuration files (*.tf, *.tf.json, *.tofu) in this directory"
        );
        assert!(stderr.contains(&message), "{d}: {stderr}");
        // --recursive is suggested only where it would find something.
        assert_eq!(stderr.contains("add --recursive"), below, "{d}: {stderr}");
        if below {
            assert!(
                stderr.contains(&format!(
                    "{message}; a directory below it has some (live/prod): to read every root module below it, add --recursive"
                )),
                "{d}: {stderr}"
            );
            continue;
        }
        let out = pullpath(&["check", "--recursive", d]);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{d} --recursive: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{d}: no Terraform root module (*.tf, *.tf.json, *.tofu files) below this directory"
            )),
            "{d} --recursive: {stderr}"
        );
    }
}

/// An input that does not exist: exit code 2 and one clear message. No report follows it in
/// text, and nothing advises declaring workloads (the input that may define them was not read).
#[test]
fn a_missing_input_is_one_clear_message() {
    let out = pullpath(&["check", "nosuch.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr_of(&out),
        "pullpath: error: nosuch.json: cannot read: No such file or directory (os error 2)\n"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    let out = pullpath(&["graph", "nosuch.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr_of(&out),
        "pullpath: error: nosuch.json: cannot read: No such file or directory (os error 2)\n"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    // Machine formats keep their report, which lists the error, without the advice.
    for format in ["json", "sarif", "markdown", "github", "gitlab", "junit"] {
        let out = pullpath(&["check", "nosuch.json", "--format", format]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("Declare workloads"), "{format}: {stdout}");
        assert!(
            matches!(format, "sarif" | "json") || stdout.contains("1 input could not be read"),
            "{format}: {stdout}"
        );
    }
    // Beside an input that was read, the report is written, and it says what is missing
    // instead of advising --workload.
    let out = pullpath(&[
        "check",
        "nosuch.json",
        "testdata/plans/options/vpc-without-workload.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 input read"), "{stdout}");
    assert!(stdout.contains("no workload found"), "{stdout}");
    assert!(!stdout.contains("Declare workloads"), "{stdout}");
    assert!(stdout.contains("1 input could not be read"), "{stdout}");
}

/// Symbolic links that loop (to a parent, to each other, to themselves) below a directory read
/// with `--recursive` are not followed: the root modules are read once, and the run ends.
#[cfg(unix)]
#[test]
fn symlink_loops_in_a_recursive_directory_are_not_followed() {
    use std::os::unix::fs::symlink;
    let root = temp_dir("symlink-loops");
    write_module(&root.join("live/a"));
    write_module(&root.join("live/b"));
    symlink("..", root.join("live/a/parent")).unwrap();
    symlink(".", root.join("live/b/self")).unwrap();
    symlink("loop2", root.join("loop1")).unwrap();
    symlink("loop1", root.join("loop2")).unwrap();
    symlink("../live", root.join("live/b/again")).unwrap();
    let (out, _) = pullpath_within(
        &["check", "--recursive", path_str(&root), "--format", "json"],
        Duration::from_secs(120),
    )
    .expect("finished within 120 s");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let report = report_of(&out);
    let inputs: Vec<&str> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    let r = path_str(&root);
    assert_eq!(inputs, [format!("{r}/live/a"), format!("{r}/live/b")]);
    // A looping link given as the input itself.
    let out = pullpath(&["check", path_str(&root.join("loop1"))]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{r}/loop1: cannot read")) && stderr.contains("symbolic links"),
        "{stderr}"
    );
}

/// A module whose source is a link to its own directory: not recognised as a cycle, but bounded
/// by the nesting limit, with the call's position.
#[cfg(unix)]
#[test]
fn a_module_source_through_a_symlink_loop_is_bounded() {
    use std::os::unix::fs::symlink;
    let root = temp_dir("module-symlink-loop");
    write_module(&root);
    std::fs::write(
        root.join("again.tf"),
        "module \"again\" {\n  source = \"./link\"\n}\n",
    )
    .unwrap();
    symlink(".", root.join("link")).unwrap();
    let (out, _) = pullpath_within(&["check", path_str(&root)], Duration::from_secs(120))
        .expect("finished within 120 s");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("/link/again.tf:1:1: module `again`: modules are nested more than 32 deep"),
        "{stderr}"
    );
}

/// A `.tf` file that is a symbolic link to itself, or to nothing, is a configuration file that
/// cannot be read: an error naming it and saying why (exit 2), as in Terraform — not skipped
/// without a word while the rest of the module is checked.
#[cfg(unix)]
#[test]
fn bug_unreadable_tf_symlinks_are_skipped() {
    use std::os::unix::fs::symlink;
    let mut problems = Vec::new();
    for (name, target) in [("loop.tf", "loop.tf"), ("dangling.tf", "nowhere.tf")] {
        let root = temp_dir(&format!("tf-symlink-{}", name.trim_end_matches(".tf")));
        write_module(&root);
        symlink(target, root.join(name)).unwrap();
        let out = pullpath(&["check", path_str(&root)]);
        let stderr = stderr_of(&out);
        let file = format!("{}/{name}", root.display());
        if out.status.code() != Some(2) || !stderr.contains(&format!("{file}: cannot read")) {
            problems.push(format!(
                "pullpath check {}: exit code {:?}, expected 2 with \"{file}: cannot read\"; stderr: {stderr}",
                root.display(),
                out.status.code()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Symbolic links to readable files are read as part of the module, and the names Terraform
/// ignores stay ignored even when they cannot be read: hidden files (an editor's `.#main.tf`
/// lock is a dangling link), backups (`main.tf~`, `#main.tf#`), other extensions, a directory
/// named `*.tf`, and a `.tf` file that a `.tofu` file of the same name shadows.
#[cfg(unix)]
#[test]
fn linked_tf_files_are_read_and_ignored_names_stay_ignored() {
    use std::os::unix::fs::symlink;
    let root = temp_dir("tf-symlink-readable");
    // A repository: links are followed within its work tree (never out of it).
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let (vpc, service) = MODULE.split_at(MODULE.find("resource \"aws_ecs_service\"").unwrap());
    std::fs::create_dir_all(root.join("module")).unwrap();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::write(root.join("module/main.tf"), vpc).unwrap();
    // The only workload is in a linked file: "1 workload" shows it was read.
    std::fs::write(root.join("shared/service.tf"), service).unwrap();
    symlink("../shared/service.tf", root.join("module/service.tf")).unwrap();
    symlink("service.tf", root.join("module/service-again.tf.json.txt")).unwrap();
    for name in [
        ".#main.tf",
        "main.tf~",
        "#main.tf#",
        "notes.txt",
        "backup.tf.orig",
    ] {
        symlink("user@host.1234:1700000000", root.join("module").join(name)).unwrap();
    }
    symlink(".hidden.tf", root.join("module/.hidden.tf")).unwrap();
    std::fs::create_dir_all(root.join("module/dir.tf")).unwrap();
    std::fs::write(root.join("module/extra.tofu"), "locals {\n  a = 1\n}\n").unwrap();
    symlink("nowhere.tf", root.join("module/extra.tf")).unwrap();
    let module = root.join("module");
    for args in [
        vec!["check", path_str(&module)],
        vec!["check", "--recursive", path_str(&module)],
    ] {
        let out = pullpath(&args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr_of(&out));
        assert!(
            stdout.contains("1 input read (4 resources); 1 VPC with 1 workload checked"),
            "{args:?}: {stdout}"
        );
    }
}

/// How a test that takes permissions away runs pullpath.
#[cfg(unix)]
enum Runner {
    /// As this process, which the permissions apply to.
    Direct,
    /// As the unprivileged user 65534, through this command (`setpriv …` or `runuser …`): this
    /// process reads everything (it runs as root), so the permissions would not apply to it.
    Unprivileged(Vec<String>),
}

#[cfg(unix)]
impl Runner {
    fn pullpath(&self, args: &[&str]) -> Output {
        match self {
            Runner::Direct => pullpath(args),
            Runner::Unprivileged(wrapper) => {
                let mut c = Command::new(&wrapper[0]);
                c.args(&wrapper[1..])
                    .arg(env!("CARGO_BIN_EXE_pullpath"))
                    .args(args);
                isolated(c).output().expect("run pullpath")
            }
        }
    }
}

/// The user unprivileged runs are made as (`nobody` on most systems).
#[cfg(unix)]
const UNPRIVILEGED_ID: u32 = 65534;

/// A command that runs its arguments as [`UNPRIVILEGED_ID`]: `setpriv`, else `runuser` with
/// that user's name; `None` when neither is installed (or the user has no name for `runuser`).
#[cfg(unix)]
fn unprivileged_wrapper() -> Option<Vec<String>> {
    let find = |name: &str| {
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path)
            .chain(["/usr/bin", "/bin", "/usr/sbin", "/sbin"].map(PathBuf::from))
            .map(|d| d.join(name))
            .find(|p| p.is_file())
            .map(|p| p.to_string_lossy().into_owned())
    };
    let id = UNPRIVILEGED_ID.to_string();
    if let Some(setpriv) = find("setpriv") {
        return Some(vec![
            setpriv,
            format!("--reuid={id}"),
            format!("--regid={id}"),
            "--clear-groups".to_string(),
        ]);
    }
    let runuser = find("runuser")?;
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    let user = passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() > 3 && f[2] == id).then(|| f[0].to_string())
    })?;
    Some(vec![runuser, "-u".to_string(), user, "--".to_string()])
}

/// Makes `path` (inside a [`temp_dir`]) unreadable, and says how to run pullpath so that the
/// permissions apply: as this process, or — when this process reads it anyway (root) — as the
/// unprivileged user 65534, with the rest of the test's directory opened to that user. `None`
/// (with a "skipped" message) when neither is possible.
#[cfg(unix)]
fn make_unreadable(path: &Path) -> Option<Runner> {
    use std::os::unix::fs::PermissionsExt;
    let lock = || {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).unwrap();
    };
    lock();
    let readable = if path.is_dir() {
        std::fs::read_dir(path).is_ok()
    } else {
        std::fs::read(path).is_ok()
    };
    if !readable {
        return Some(Runner::Direct);
    }
    let skip = |why: String| {
        skip::skipped(&format!(
            "{} is readable without permissions (running as root?) and {why}; this check does \
             not run",
            path.display()
        ));
        None
    };
    let Some(wrapper) = unprivileged_wrapper() else {
        return skip(format!(
            "neither setpriv nor runuser (for user {UNPRIVILEGED_ID}) is installed"
        ));
    };
    // The test's directory and everything in it but `path`, readable by that user.
    let process_dir =
        std::env::temp_dir().join(format!("pullpath-malformed-{}", std::process::id()));
    let Some(test_dir) = path
        .ancestors()
        .find(|a| a.parent() == Some(process_dir.as_path()))
    else {
        return skip(format!("it is not below {}", process_dir.display()));
    };
    let _ = std::fs::set_permissions(&process_dir, std::fs::Permissions::from_mode(0o755));
    make_removable(test_dir);
    lock();
    // That user must reach pullpath and the directory that holds `path`, and not read `path`:
    // else the error would be about something else.
    let parent = path.parent().unwrap();
    let probe = Command::new(&wrapper[0])
        .args(&wrapper[1..])
        .args([
            "/bin/sh",
            "-c",
            r#"test -x "$1" && test -r "$2" && test -x "$2" && ! test -r "$3""#,
            "sh",
            env!("CARGO_BIN_EXE_pullpath"),
        ])
        .args([parent, path])
        .stdin(Stdio::null())
        .output();
    match probe {
        Ok(out) if out.status.success() => Some(Runner::Unprivileged(wrapper)),
        Ok(out) => skip(format!(
            "user {UNPRIVILEGED_ID} (through `{}`) cannot run {} or read {} ({}{}); check that \
             every directory above them can be entered by every user",
            wrapper.join(" "),
            env!("CARGO_BIN_EXE_pullpath"),
            parent.display(),
            out.status,
            Some(String::from_utf8_lossy(&out.stderr).trim())
                .filter(|e| !e.is_empty())
                .map_or(String::new(), |e| format!(": {e}"))
        )),
        Err(e) => skip(format!("`{}` does not run: {e}", wrapper[0])),
    }
}

#[cfg(unix)]
#[test]
fn an_unreadable_tf_file_is_an_error() {
    let root = temp_dir("unreadable-file");
    write_module(&root);
    let secret = root.join("secret.tf");
    std::fs::write(
        &secret,
        "resource \"aws_vpc\" \"b\" {\n  cidr_block = \"10.1.0.0/16\"\n}\n",
    )
    .unwrap();
    let Some(run) = make_unreadable(&secret) else {
        make_removable(&root);
        return;
    };
    let out = run.pullpath(&["check", path_str(&root), "--format", "json"]);
    make_removable(&root);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}: cannot read", secret.display()))
            && stderr.contains("Permission denied"),
        "{stderr}"
    );
    assert_eq!(report_of(&out)["errors"].as_array().unwrap().len(), 1);
}

/// A directory that cannot be listed says so, not that it has no Terraform configuration files.
#[cfg(unix)]
#[test]
fn bug_an_unreadable_directory_is_reported_as_unreadable() {
    let root = temp_dir("unreadable-dir");
    write_module(&root);
    let Some(run) = make_unreadable(&root) else {
        make_removable(&root);
        return;
    };
    let out = run.pullpath(&["check", path_str(&root)]);
    make_removable(&root);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}: cannot read", root.display()))
            && stderr.contains("Permission denied"),
        "expected \"{}: cannot read … Permission denied\": {stderr}",
        root.display()
    );
}

/// `--recursive` over a tree with one unreadable directory: that directory is the error, the
/// root modules that can be read are checked (the partial-failure guarantee).
#[cfg(unix)]
#[test]
fn bug_an_unreadable_subdirectory_does_not_stop_a_recursive_run() {
    let root = temp_dir("unreadable-subdir");
    write_module(&root.join("live/a"));
    write_module(&root.join("live/b"));
    let locked = root.join("live/b");
    let Some(run) = make_unreadable(&locked) else {
        make_removable(&root);
        return;
    };
    let out = run.pullpath(&["check", "--recursive", path_str(&root), "--format", "json"]);
    make_removable(&root);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&locked.display().to_string()) && stderr.contains("Permission denied"),
        "{stderr}"
    );
    let report = report_of(&out);
    assert_eq!(
        report["inputs"][0]["path"].as_str(),
        Some(format!("{}/live/a", root.display()).as_str()),
        "the readable root module is checked: {report}"
    );
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
        vec![
            "check",
            "testdata/malformed/hcl/var-file-syntax-error",
            "--var",
            "no-equals-sign",
        ],
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
