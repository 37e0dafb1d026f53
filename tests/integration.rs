//! The command line around the checks: the `PULLPATH_*` environment variables and their
//! precedence (command line > environment > `.pullpath.hcl` > defaults), `--version`, shell
//! completions, and the pre-commit hook manifest.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/skip.rs"]
mod skip;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// A plan with one PP401 error.
const FAILING: &str = "testdata/examples/seed-incident.json";
/// NAT for the workload subnets: no finding in `reachability` mode, PP101/PP102/PP104 in `strict`.
const NAT: &str = "testdata/plans/s3-gateway-would-save-nat/pass-nat-with-s3-gateway.json";
/// One PP401 finding whose verdict is unknown.
const UNKNOWN: &str =
    "testdata/plans/s3-policy-blocks-layer-bucket/unknown-source-vpce-condition.json";

/// Runs pullpath in `dir` with only the given `PULLPATH_*` variables set.
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

fn fixture(rel: &str) -> String {
    Path::new(ROOT).join(rel).display().to_string()
}

/// A fresh directory, with `.pullpath.hcl` holding `config` when given.
fn workdir(tag: &str, config: Option<&str>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pullpath-it-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    if let Some(text) = config {
        std::fs::write(dir.join(".pullpath.hcl"), text).unwrap();
    }
    dir
}

/// Exit code of `check INPUT ARGS` in `dir` with `env`.
fn code(dir: &Path, input: &str, args: &[&str], env: &[(&str, &str)]) -> i32 {
    let input = fixture(input);
    let mut all = vec!["check", input.as_str()];
    all.extend_from_slice(args);
    let out = pullpath(dir, &all, env);
    out.status.code().unwrap_or_else(|| {
        panic!("killed: {}", String::from_utf8_lossy(&out.stderr));
    })
}

/// The rule codes of a JSON report.
fn rules_found(dir: &Path, input: &str, args: &[&str], env: &[(&str, &str)]) -> Vec<String> {
    let input = fixture(input);
    let mut all = vec!["check", input.as_str(), "--format", "json"];
    all.extend_from_slice(args);
    let out = pullpath(dir, &all, env);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

// ---- environment variables ---------------------------------------------------------------

#[test]
fn format_from_the_environment_and_the_command_line_over_it() {
    let dir = workdir("format", None);
    let input = fixture(FAILING);
    let out = pullpath(&dir, &["check", &input], &[("PULLPATH_FORMAT", "json")]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["rule"], "PP401");

    let out = pullpath(
        &dir,
        &["check", &input, "--format", "github"],
        &[("PULLPATH_FORMAT", "json")],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("::error"), "{text}");

    let out = pullpath(&dir, &["check", &input], &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("error[PP401]") && text.contains("summary:"),
        "{text}"
    );
}

#[test]
fn fail_on_command_line_over_environment_over_file_over_default() {
    let none = workdir("fail-on", None);
    assert_eq!(code(&none, FAILING, &[], &[]), 1, "default: error");
    assert_eq!(
        code(&none, FAILING, &[], &[("PULLPATH_FAIL_ON", "never")]),
        0
    );
    assert_eq!(
        code(
            &none,
            FAILING,
            &["--fail-on", "error"],
            &[("PULLPATH_FAIL_ON", "never")]
        ),
        1,
        "the command line wins over the environment"
    );
    let file_never = workdir("fail-on-file", Some("fail_on = \"never\"\n"));
    assert_eq!(
        code(&file_never, FAILING, &[], &[]),
        0,
        "the file over the default"
    );
    assert_eq!(
        code(&file_never, FAILING, &[], &[("PULLPATH_FAIL_ON", "error")]),
        1,
        "the environment wins over the file"
    );
    assert_eq!(
        code(&file_never, FAILING, &["--fail-on", "error"], &[]),
        1,
        "the command line wins over the file"
    );
}

#[test]
fn mode_command_line_over_environment_over_file_over_default() {
    let none = workdir("mode", None);
    assert!(rules_found(&none, NAT, &[], &[]).is_empty());
    let strict = rules_found(&none, NAT, &[], &[("PULLPATH_MODE", "strict")]);
    assert_eq!(strict, ["PP101", "PP102", "PP104"]);
    assert_eq!(code(&none, NAT, &[], &[("PULLPATH_MODE", "strict")]), 1);
    assert!(rules_found(
        &none,
        NAT,
        &["--mode", "reachability"],
        &[("PULLPATH_MODE", "strict")]
    )
    .is_empty());
    let file_strict = workdir("mode-file", Some("mode = \"strict\"\n"));
    assert_eq!(rules_found(&file_strict, NAT, &[], &[]), strict);
    assert!(rules_found(&file_strict, NAT, &[], &[("PULLPATH_MODE", "reachability")]).is_empty());
}

#[test]
fn unknown_command_line_over_environment_over_file_over_default() {
    let none = workdir("unknown", None);
    assert_eq!(code(&none, UNKNOWN, &[], &[]), 0, "default: warn");
    assert_eq!(
        code(&none, UNKNOWN, &[], &[("PULLPATH_UNKNOWN", "fail")]),
        1
    );
    assert_eq!(
        code(
            &none,
            UNKNOWN,
            &["--unknown", "warn"],
            &[("PULLPATH_UNKNOWN", "fail")]
        ),
        0
    );
    assert!(rules_found(&none, UNKNOWN, &[], &[("PULLPATH_UNKNOWN", "ignore")]).is_empty());
    let file_fail = workdir("unknown-file", Some("unknown = \"fail\"\n"));
    assert_eq!(code(&file_fail, UNKNOWN, &[], &[]), 1);
    assert_eq!(
        code(&file_fail, UNKNOWN, &[], &[("PULLPATH_UNKNOWN", "warn")]),
        0
    );
}

#[test]
fn config_command_line_over_environment_over_the_file_found_in_the_directory() {
    let dir = workdir("config", Some("fail_on = \"never\"\n"));
    let error = dir.join("error.hcl");
    let never = dir.join("never.hcl");
    std::fs::write(&error, "fail_on = \"error\"\n").unwrap();
    std::fs::write(&never, "fail_on = \"never\"\n").unwrap();
    let (error, never) = (error.to_str().unwrap(), never.to_str().unwrap());
    assert_eq!(code(&dir, FAILING, &[], &[]), 0, ".pullpath.hcl is read");
    assert_eq!(
        code(&dir, FAILING, &[], &[("PULLPATH_CONFIG", error)]),
        1,
        "$PULLPATH_CONFIG replaces ./.pullpath.hcl"
    );
    assert_eq!(
        code(
            &dir,
            FAILING,
            &["--config", never],
            &[("PULLPATH_CONFIG", error)]
        ),
        0,
        "--config wins over $PULLPATH_CONFIG"
    );
    let out = pullpath(
        &dir,
        &["check", &fixture(FAILING)],
        &[("PULLPATH_CONFIG", "/nonexistent/pullpath.hcl")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/pullpath.hcl"), "{err}");
}

#[test]
fn region_from_the_environment_and_the_command_line_over_it() {
    let dir = Path::new(ROOT);
    let service = |args: &[&str], env: &[(&str, &str)]| -> String {
        let mut all = vec!["graph", "testdata/hcl/no_region", "--format", "json"];
        all.extend_from_slice(args);
        let out = pullpath(dir, &all, env);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        let at = text.find("com.amazonaws.").expect("an endpoint service");
        text[at..].split('"').next().unwrap().to_string()
    };
    assert_eq!(
        service(&[], &[("PULLPATH_REGION", "eu-west-1")]),
        "com.amazonaws.eu-west-1.ecr.dkr"
    );
    assert_eq!(
        service(
            &["--region", "eu-west-2"],
            &[("PULLPATH_REGION", "eu-west-1")]
        ),
        "com.amazonaws.eu-west-2.ecr.dkr"
    );
}

#[test]
fn color_from_the_environment_and_the_command_line_over_it() {
    let dir = workdir("color", None);
    let input = fixture(FAILING);
    let out = pullpath(&dir, &["check", &input], &[("PULLPATH_COLOR", "always")]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\x1b["));
    let out = pullpath(
        &dir,
        &["check", &input, "--color", "never"],
        &[("PULLPATH_COLOR", "always")],
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\x1b["));
}

#[test]
fn empty_variables_count_as_unset() {
    let dir = workdir("empty", None);
    let env: Vec<(&str, &str)> = pullpath::app::OPTION_ENV.iter().map(|n| (*n, "")).collect();
    let out = pullpath(&dir, &["check", &fixture(FAILING)], &env);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("error[PP401]") && !text.contains("\x1b["),
        "{text}"
    );
}

#[test]
fn a_bad_value_in_the_environment_is_an_error_that_names_the_variable() {
    let dir = workdir("bad-env", None);
    for (name, value) in [
        ("PULLPATH_FAIL_ON", "warnings"),
        ("PULLPATH_FORMAT", "yaml"),
        ("PULLPATH_MODE", "paranoid"),
        ("PULLPATH_UNKNOWN", "maybe"),
        ("PULLPATH_COLOR", "sometimes"),
    ] {
        let out = pullpath(&dir, &["check", &fixture(FAILING)], &[(name, value)]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("invalid value '{value}'")), "{err}");
        assert!(err.contains(&format!("{name}={value}")), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn the_help_shows_each_variable() {
    let out = pullpath(Path::new(ROOT), &["check", "--help"], &[]);
    let help = String::from_utf8(out.stdout).unwrap();
    for name in pullpath::app::OPTION_ENV {
        assert!(help.contains(&format!("[env: {name}]")), "{name}: {help}");
    }
}

// ---- --version, completions --------------------------------------------------------------

#[test]
fn version() {
    for args in [&["--version"][..], &["-V"]] {
        let out = pullpath(Path::new(ROOT), args, &[]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            format!("pullpath {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
    // Subcommands answer too (clap names them `pullpath-check`).
    let out = pullpath(Path::new(ROOT), &["check", "--version"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .ends_with(&format!(" {}\n", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = pullpath(Path::new(ROOT), &["completions", shell], &[]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["pullpath", "check", "explain", "fail-on", "strict"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let out = pullpath(Path::new(ROOT), &["completions", "tcsh"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

/// The bash script is valid bash and registers the completion (where bash is installed).
#[test]
fn the_bash_completion_loads() {
    if Command::new("bash").arg("--version").output().is_err() {
        skip::skipped("bash is not installed: the completion script is not loaded");
        return;
    }
    let dir = workdir("bash-completion", None);
    let out = pullpath(&dir, &["completions", "bash"], &[]);
    let script = dir.join("pullpath.bash");
    std::fs::write(&script, out.stdout).unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg("source \"$1\" && complete -p pullpath")
        .arg("bash")
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("_pullpath"));
}

// ---- binary plans: a program that cannot be started ----------------------------------------

#[test]
fn a_terraform_bin_that_cannot_be_run_is_reported() {
    let out = pullpath(
        Path::new(ROOT),
        &[
            "check",
            "testdata/binary/plan.tfplan",
            "--terraform-bin",
            "/nonexistent/terraform",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "could not run `/nonexistent/terraform show -json -no-color testdata/binary/plan.tfplan`"
        ),
        "{err}"
    );
}

// ---- the pre-commit hook manifest ----------------------------------------------------------

/// `key: value` of the hook `id` in `.pre-commit-hooks.yaml` (a flat list of flat maps).
fn hook_field(id: &str, key: &str) -> Option<String> {
    let manifest = std::fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml")).unwrap();
    let mut current = None;
    for line in manifest.lines() {
        if let Some(rest) = line.strip_prefix("- id: ") {
            current = Some(rest.trim().to_string());
        } else if current.as_deref() == Some(id) {
            if let Some(value) = line.trim().strip_prefix(&format!("{key}: ")) {
                return Some(value.trim().to_string());
            }
        }
    }
    None
}

#[test]
fn the_pre_commit_hooks_match_what_pullpath_reads() {
    let field = |id: &str, key: &str| {
        hook_field(id, key).unwrap_or_else(|| panic!("hook {id} has no {key}"))
    };
    for id in ["pullpath", "pullpath-plan"] {
        assert_eq!(field(id, "entry"), "pullpath check");
        assert_eq!(field(id, "language"), "rust");
        assert_eq!(field(id, "require_serial"), "true");
    }
    assert_eq!(field("pullpath", "pass_filenames"), "true");
    assert_eq!(field("pullpath-plan", "pass_filenames"), "false");
    assert_eq!(field("pullpath-plan", "always_run"), "true");

    // pre-commit matches `files` and `exclude` with Python's re.search.
    let files = regex::Regex::new(&field("pullpath", "files")).unwrap();
    let exclude = regex::Regex::new(&field("pullpath", "exclude")).unwrap();
    let passed = |path: &str| files.is_match(path) && !exclude.is_match(path);
    for path in [
        "main.tf",
        "live/prod/network.tf",
        "main.tofu",
        "terraform.tfvars",
        "prod.auto.tfvars",
    ] {
        assert!(passed(path), "{path} should reach the hook");
    }
    for path in [
        "plan.json",
        "README.md",
        ".terraform/modules/vpc/main.tf",
        "live/.terraform/modules/vpc/main.tf",
        "main.tf.bak",
    ] {
        assert!(!passed(path), "{path} should not reach the hook");
    }
}

/// What the `pullpath` hook runs: the changed files of two root modules, one failing.
#[test]
fn files_as_the_hook_passes_them_are_checked_by_directory() {
    let dir = workdir("hook-files", None);
    for module in ["failing", "passing"] {
        let to = dir.join(module);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(Path::new(ROOT).join("testdata/hcl/flat")).unwrap() {
            let from = entry.unwrap().path();
            std::fs::copy(&from, to.join(from.file_name().unwrap())).unwrap();
        }
    }
    std::fs::remove_file(dir.join("failing/endpoints.tf")).unwrap();
    let out = pullpath(
        &dir,
        &[
            "check",
            "passing/ecs.tf",
            "passing/terraform.tfvars",
            "failing/network.tf",
            "failing/ecs.tf",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs: Vec<&str> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["passing", "failing"]);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"PP101"), "{rules:?}");
}

// ---- graph pictures: one document for several VPCs, no orphan nodes ---------------------------

#[test]
fn pictures_of_several_vpcs_are_one_document_without_orphans() {
    let plan = "testdata/reports/many-rules.json";
    let mermaid = pullpath(
        Path::new(ROOT),
        &["graph", plan, "--format", "mermaid"],
        &[],
    );
    assert_eq!(mermaid.status.code(), Some(0));
    let m = String::from_utf8_lossy(&mermaid.stdout).into_owned();
    assert_eq!(m.matches("flowchart").count(), 1, "{m}");
    assert_eq!(
        m.lines()
            .filter(|l| l.trim_start().starts_with("subgraph "))
            .count(),
        4,
        "{m}"
    );
    assert_eq!(
        m.lines().filter(|l| l.trim() == "subgraph").count()
            + m.lines()
                .filter(|l| l.trim_start().starts_with("subgraph "))
                .count(),
        m.lines().filter(|l| l.trim() == "end").count(),
        "{m}"
    );
    // Every node is on an edge.
    for line in m.lines().map(str::trim) {
        if let Some(id) = line.split('[').next().filter(|_| line.ends_with("\"]")) {
            if id.starts_with("subgraph") {
                continue;
            }
            let on_edge = m.lines().any(|l| {
                (l.contains("-->") || l.contains("-.->")) && l.split_whitespace().any(|w| w == id)
            });
            assert!(on_edge, "orphan node {id}:\n{m}");
        }
    }
    // The PR comment's pictures too.
    let md = pullpath(
        Path::new(ROOT),
        &[
            "check",
            plan,
            "--format",
            "markdown",
            "--config",
            "testdata/reports/many-rules.pullpath.hcl",
        ],
        &[],
    );
    let md = String::from_utf8_lossy(&md.stdout).into_owned();
    let pictures: Vec<&str> = md
        .split("```mermaid\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert!(!pictures.is_empty(), "{md}");
    for p in pictures {
        for line in p.lines().map(str::trim) {
            if let Some(id) = line.split('[').next().filter(|_| line.ends_with("\"]")) {
                let on_edge = p.lines().any(|l| {
                    (l.contains("-->") || l.contains("-.->"))
                        && l.split_whitespace().any(|w| w == id)
                });
                assert!(on_edge, "orphan node {id} in the comment's picture:\n{p}");
            }
        }
    }
    let dot = pullpath(Path::new(ROOT), &["graph", plan, "--format", "dot"], &[]);
    assert_eq!(dot.status.code(), Some(0));
    let d = String::from_utf8_lossy(&dot.stdout).into_owned();
    assert_eq!(d.matches("digraph").count(), 1, "{d}");
    assert_eq!(d.matches("subgraph \"cluster_").count(), 4, "{d}");
    assert_eq!(d.matches('{').count(), d.matches('}').count(), "{d}");
}

// ---- a VPC's verdict follows the gate's threshold ---------------------------------------------

#[test]
fn a_vpc_with_only_warnings_fails_only_when_warnings_fail_the_gate() {
    let plan = "testdata/plans/endpoint-az-coverage/fail-endpoints-in-one-az.json";
    for (fail_on, verdict, code) in [("error", "pass", 0), ("warning", "fail", 1)] {
        let out = pullpath(
            Path::new(ROOT),
            &["check", plan, "--format", "json", "--fail-on", fail_on],
            &[],
        );
        assert_eq!(out.status.code(), Some(code), "--fail-on {fail_on}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["vpcs"][0]["verdict"], verdict, "--fail-on {fail_on}");
        // The text and the PR comment label the VPC alike.
        let text = pullpath(Path::new(ROOT), &["check", plan, "--fail-on", fail_on], &[]);
        let first = String::from_utf8_lossy(&text.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        assert!(
            first.ends_with(&verdict.to_uppercase()),
            "--fail-on {fail_on}: {first}"
        );
        let md = pullpath(
            Path::new(ROOT),
            &["check", plan, "--format", "markdown", "--fail-on", fail_on],
            &[],
        );
        let md = String::from_utf8_lossy(&md.stdout).into_owned();
        let heading = md
            .lines()
            .find(|l| l.starts_with("### ") && l.contains("VPC `aws_vpc.main`"))
            .unwrap_or_default();
        assert!(
            heading.ends_with(&format!("· {verdict}")),
            "--fail-on {fail_on}: {heading}"
        );
    }
}

// ---- the PR comment's headline states what was found, whatever the gate ----------------------

#[test]
fn the_comment_headline_does_not_depend_on_the_gate() {
    let plan = "testdata/examples/seed-incident.json";
    let headline = |fail_on: &str| {
        let out = pullpath(
            Path::new(ROOT),
            &["check", plan, "--format", "markdown", "--fail-on", fail_on],
            &[],
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.starts_with("❌") || l.starts_with("⚠️") || l.starts_with("✅"))
            .unwrap_or_default()
            .to_string()
    };
    let gate = headline("error");
    assert!(gate.starts_with("❌"), "{gate}");
    assert_eq!(headline("never"), gate);
    assert_eq!(headline("note"), gate);
}

// ---- GitHub annotations: within the runner's limit of 10 per level ---------------------------

#[test]
fn github_annotations_stay_within_ten_per_level() {
    let out = pullpath(
        Path::new(ROOT),
        &[
            "check",
            "testdata/reports/many-rules.json",
            "testdata/plans/ecr-push-permissions-incomplete/fail-partial-layer-upload.json",
            "--config",
            "testdata/reports/many-rules.pullpath.hcl",
            "--format",
            "github",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    for level in ["error", "warning", "notice"] {
        let n = text
            .lines()
            .filter(|l| l.starts_with(&format!("::{level} ")))
            .count();
        assert!(n <= 10, "{n} {level} annotations:\n{text}");
    }
    // The errors past the limit are counted in one annotation, the last of its level.
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 10, "{text}");
    assert!(errors[9].contains("more errors"), "{text}");
}

// ---- --help: the defaults of the options, the environment variables without empty values ----

#[test]
fn check_help_shows_defaults_and_no_empty_environment_values() {
    let help = |env: &[(&str, &str)]| {
        let out = pullpath(Path::new(ROOT), &["check", "--help"], env);
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = help(&[]);
    let line = |flag: &str| -> String {
        text.lines()
            .find(|l| l.trim_start().starts_with(flag) || l.contains(&format!(", {flag} ")))
            .unwrap_or_else(|| panic!("no {flag} in:\n{text}"))
            .to_string()
    };
    for (flag, default) in [
        ("--format", "text"),
        ("--fail-on", "error"),
        ("--unknown", "warn"),
        ("--mode", "reachability"),
        ("--color", "auto"),
    ] {
        let l = line(flag);
        assert!(l.contains(&format!("[default: {default}]")), "{l}");
    }
    // An unset variable is named without `=` and nothing after it.
    assert!(!text.contains("=]"), "{text}");
    assert!(
        line("--region").contains("[env: PULLPATH_REGION]"),
        "{text}"
    );
    // A set one shows its value (it is in effect); an empty one counts as unset.
    let set = help(&[("PULLPATH_REGION", "eu-west-1"), ("PULLPATH_MODE", "")]);
    assert!(set.contains("[env: PULLPATH_REGION=eu-west-1]"), "{set}");
    assert!(set.contains("[env: PULLPATH_MODE]"), "{set}");
    assert!(!set.contains("=]"), "{set}");
    for command in ["graph", "rules", "explain"] {
        let out = pullpath(Path::new(ROOT), &[command, "--help"], &[]);
        let t = String::from_utf8_lossy(&out.stdout);
        assert!(!t.contains("=]"), "{command}: {t}");
    }
}

/// `PULLPATH_TIMINGS=1` prints the phases, `2` the graph's passes too, unset nothing; the report
/// is the same either way.
#[test]
fn timings_print_phases_and_graph_passes_on_standard_error() {
    let dir = workdir("timings", None);
    let input = fixture(NAT);
    let run = |level: Option<&str>| {
        let env: Vec<(&str, &str)> = level.map(|l| ("PULLPATH_TIMINGS", l)).into_iter().collect();
        pullpath(&dir, &["check", &input, "--format", "json"], &env)
    };
    let (off, one, two) = (run(None), run(Some("1")), run(Some("2")));
    let err = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err(&off).contains("pullpath: timing:"), "{}", err(&off));
    for o in [&one, &two] {
        assert!(err(o).contains("ms  graph built (at "), "{}", err(o));
        assert!(err(o).contains("ms  rules checked (at "), "{}", err(o));
        assert_eq!(o.stdout, off.stdout);
    }
    assert!(!err(&one).contains("graph: endpoints"), "{}", err(&one));
    assert!(
        err(&two).contains("ms  graph: endpoints (at "),
        "{}",
        err(&two)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
