//! Every command the README shows is run: each ```sh block as a script, and each script inside a
//! ```yaml block (the `run:` of GitHub Actions and Atlantis steps, GitLab's `before_script`,
//! `script` and `after_script`), on the bundled plans. Programs pullpath does not own are
//! stand-ins that log how they were called: `terraform` (plan, show -json, apply), `cargo`
//! (`cargo run -- ARGS` runs pullpath; `cargo install` and `cargo test` are run for real by
//! `.ci/run`), `pipx`, `uv`, `uvx` and `pip` (`pipx run pullpath ARGS` and `uvx pullpath ARGS` run
//! pullpath; `.ci/run` installs the wheel for real), `gh`, `curl`, `jq`, `apt-get` and `unzip`. `pullpath` itself is the binary under
//! test, behind a wrapper that logs each call and its exit code.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// `terraform show -json` prints this plan: one PP401 error (exit code 1).
const FAILING: &str = "testdata/examples/seed-incident.json";
/// The same change done right: no finding (exit code 0).
const PASSING: &str = "testdata/examples/seed-incident-fixed.json";

// ---- the README ----------------------------------------------------------------------------

/// A fenced code block and the heading it is under.
#[derive(Clone, Debug)]
struct Block {
    lang: String,
    heading: String,
    text: String,
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap()
}

fn blocks() -> Vec<Block> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let text = readme();
    let mut out = Vec::new();
    let mut heading = String::new();
    let mut in_heading = None::<String>;
    let mut in_block = None::<Block>;
    for event in Parser::new(&text) {
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) if in_heading.is_some() => {
                in_heading.as_mut().unwrap().push_str(&t)
            }
            Event::End(TagEnd::Heading(_)) => heading = in_heading.take().unwrap(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                in_block = Some(Block {
                    lang,
                    heading: heading.clone(),
                    text: String::new(),
                });
            }
            Event::Text(t) if in_block.is_some() => in_block.as_mut().unwrap().text.push_str(&t),
            Event::End(TagEnd::CodeBlock) => out.extend(in_block.take()),
            _ => {}
        }
    }
    out
}

/// The one block under `heading` whose language is `lang`.
fn block(heading: &str, lang: &str) -> Block {
    let found: Vec<Block> = blocks()
        .into_iter()
        .filter(|b| b.heading == heading && b.lang == lang)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "README: one ```{lang} block under {heading:?}"
    );
    found.into_iter().next().unwrap()
}

/// A script found in a ```yaml block: the key it is the value of, and its text.
#[derive(Clone, Debug)]
struct YamlScript {
    key: String,
    text: String,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The lines after `start` that belong to a block scalar of a key at `parent` indentation,
/// dedented; `>` folds them into one line. Returns the text and the next line's index.
fn block_scalar(lines: &[&str], start: usize, parent: usize, folded: bool) -> (String, usize) {
    let mut end = start;
    while end < lines.len() && (lines[end].trim().is_empty() || indent(lines[end]) > parent) {
        end += 1;
    }
    while end > start && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    let body = &lines[start..end];
    let margin = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    let dedented: Vec<&str> = body
        .iter()
        .map(|l| if l.len() >= margin { &l[margin..] } else { "" })
        .collect();
    let text = if folded {
        dedented
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        dedented.join("\n")
    };
    (text, end)
}

/// A value on the line of its key: a block scalar (`|`, `>`) or the rest of the line.
fn scalar(lines: &[&str], i: usize, value: &str, parent: usize) -> (String, usize) {
    match value.trim() {
        "|" | "|-" => block_scalar(lines, i + 1, parent, false),
        ">" | ">-" => block_scalar(lines, i + 1, parent, true),
        v => (v.to_string(), i + 1),
    }
}

/// The shell scripts of a YAML file: `run:` values, and `before_script:`, `script:`,
/// `after_script:` lists (their items joined by newlines, as GitLab runs them).
fn yaml_scripts(text: &str) -> Vec<YamlScript> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let (item, key_col) = match trimmed.strip_prefix("- ") {
            Some(rest) => (rest, indent(line)),
            None => (trimmed, indent(line)),
        };
        if let Some(value) = item.strip_prefix("run:") {
            let (text, next) = scalar(&lines, i, value, key_col);
            out.push(YamlScript {
                key: "run".into(),
                text,
            });
            i = next;
            continue;
        }
        if let Some(key) = ["before_script:", "script:", "after_script:"]
            .iter()
            .find(|k| item.trim_end() == **k)
        {
            let mut items = Vec::new();
            let mut j = i + 1;
            while j < lines.len() && (lines[j].trim().is_empty() || indent(lines[j]) > key_col) {
                let l = lines[j];
                match l.trim_start().strip_prefix("- ") {
                    Some(value) => {
                        let (text, next) = scalar(&lines, j, value, indent(l));
                        items.push(text);
                        j = next;
                    }
                    None => j += 1,
                }
            }
            out.push(YamlScript {
                key: key.trim_end_matches(':').into(),
                text: items.join("\n"),
            });
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

// ---- running a script with stand-ins -------------------------------------------------------

struct Run {
    status: i32,
    output: String,
    /// One line per stand-in call (`terraform plan …`), pullpath call (`pullpath check …`) and
    /// pullpath exit code (`pullpath exited 1`).
    log: Vec<String>,
    dir: PathBuf,
}

impl Drop for Run {
    fn drop(&mut self) {
        if let Some(run_dir) = self.dir.parent() {
            let _ = std::fs::remove_dir_all(run_dir);
        }
    }
}

impl Run {
    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}\n{}", self.output))
    }
    fn called(&self, prefix: &str) -> bool {
        self.log.iter().any(|l| l.starts_with(prefix))
    }
    fn pullpath_exits(&self) -> Vec<i32> {
        self.log
            .iter()
            .filter_map(|l| l.strip_prefix("pullpath exited "))
            .map(|c| c.parse().unwrap())
            .collect()
    }
}

const STAND_INS: &[(&str, &str)] = &[
    (
        "terraform",
        r#"echo "terraform $*" >> "$README_LOG"
case "$1" in
  plan)
    out=""; prev=""
    for a in "$@"; do
      case "$a" in -out=*) out="${a#-out=}" ;; esac
      [ "$prev" = "-out" ] && out="$a"
      prev="$a"
    done
    [ -n "$out" ] && printf 'PK\003\004 a stand-in binary plan' > "$out"
    echo "Plan: 3 to add, 0 to change, 0 to destroy." ;;
  show)
    [ "$2" = "-json" ] || exit 9
    cat "$README_PLAN" ;;
  apply) echo "Apply complete! Resources: 3 added, 0 changed, 0 destroyed." ;;
esac
exit 0"#,
    ),
    (
        "cargo",
        r#"echo "cargo $*" >> "$README_LOG"
if [ "$1" = run ]; then
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do shift; done
  [ "$1" = "--" ] && shift
  exec pullpath "$@"
fi
exit 0"#,
    ),
    (
        "gh",
        r#"echo "gh $*" >> "$README_LOG"
exit 0"#,
    ),
    (
        "curl",
        r#"echo "curl $*" >> "$README_LOG"
prev=""
for a in "$@"; do [ "$prev" = "-o" ] && : > "$a"; prev="$a"; done
case " $* " in *" -X "*) echo '{}' ;; *" -o "*) ;; *) echo '[]' ;; esac
exit 0"#,
    ),
    (
        "jq",
        r#"echo "jq $*" >> "$README_LOG"
cat > /dev/null
exit 0"#,
    ),
    (
        "pipx",
        r#"echo "pipx $*" >> "$README_LOG"
if [ "$1" = run ]; then
  shift
  [ "$1" = pullpath ] || exit 9
  shift
  exec pullpath "$@"
fi
exit 0"#,
    ),
    (
        "uvx",
        r#"echo "uvx $*" >> "$README_LOG"
[ "$1" = pullpath ] || exit 9
shift
exec pullpath "$@""#,
    ),
    ("uv", r#"echo "uv $*" >> "$README_LOG""#),
    ("pip", r#"echo "pip $*" >> "$README_LOG""#),
    ("apt-get", r#"echo "apt-get $*" >> "$README_LOG""#),
    ("unzip", r#"echo "unzip $*" >> "$README_LOG""#),
];

/// The directory of the stand-ins and the pullpath wrapper, written once: an executable being
/// written while another thread forks can fail to start ("Text file busy"), so every test
/// waits here until all of them are written, before it starts any process.
fn stand_ins() -> &'static Path {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let bin = std::env::temp_dir().join(format!("pullpath-readme-bin-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&bin);
        std::fs::create_dir_all(&bin).unwrap();
        let write_exe = |name: &str, body: &str| {
            let path = bin.join(name);
            std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        for (name, body) in STAND_INS {
            write_exe(name, body);
        }
        write_exe(
            "pullpath",
            &format!(
                "echo \"pullpath $*\" >> \"$README_LOG\"\n'{}' \"$@\"\nstatus=$?\necho \"pullpath exited $status\" >> \"$README_LOG\"\nexit $status",
                env!("CARGO_BIN_EXE_pullpath")
            ),
        );
        bin
    })
}

/// Runs `script` with `shell` (e.g. `["bash", "-e"]`) in a fresh directory where
/// `terraform show -json` prints `plan`.
fn run_script(tag: &str, shell: &[&str], script: &str, plan: &str) -> Run {
    // Tests run in parallel: a counter keeps their directories apart.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "pullpath-readme-{}-{n}-{tag}-{}",
        std::process::id(),
        Path::new(plan).file_stem().unwrap().to_string_lossy(),
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let bin = stand_ins();
    let (work, home) = (dir.join("work"), dir.join("home"));
    for d in [&work, &home] {
        std::fs::create_dir_all(d).unwrap();
    }
    let plan_path = Path::new(ROOT).join(plan);
    // What the scripts find in the working directory: the bundled examples, a plan already
    // shown (for steps that follow a plan step), and Atlantis's $SHOWFILE.
    std::os::unix::fs::symlink(Path::new(ROOT).join("testdata"), work.join("testdata")).unwrap();
    std::fs::copy(&plan_path, work.join("plan.json")).unwrap();
    std::fs::copy(&plan_path, dir.join("showfile.json")).unwrap();
    let script_path = dir.join("script.sh");
    std::fs::write(&script_path, script).unwrap();
    let log = dir.join("log");
    std::fs::write(&log, "").unwrap();

    let mut c = Command::new(shell[0]);
    c.args(&shell[1..]).arg(&script_path).current_dir(&work);
    for name in pullpath::app::OPTION_ENV {
        c.env_remove(name);
    }
    c.env_remove("PULLPATH_TERRAFORM_BIN")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("HOME", &home)
        .env("README_LOG", &log)
        .env("README_PLAN", &plan_path)
        // GitHub Actions, GitLab CI and Atlantis set these.
        .env("GITHUB_REPOSITORY", "example/infra")
        .env("GH_TOKEN", "stand-in")
        .env("PR", "7")
        .env("CI_API_V4_URL", "https://gitlab.example.invalid/api/v4")
        .env("CI_PROJECT_ID", "12")
        .env("CI_MERGE_REQUEST_IID", "34")
        // GitLab runs a job in the checkout, which it names here.
        .env("CI_PROJECT_DIR", &work)
        .env("GITLAB_API_TOKEN", "stand-in")
        .env("TERRAFORM_VERSION", "1.9.8")
        .env("SHOWFILE", dir.join("showfile.json"));
    let out = c.output().unwrap();
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let log = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    Run {
        status: out.status.code().unwrap_or(-1),
        output,
        log,
        dir: work,
    }
}

/// A line that runs pullpath (as typed in the README, not the synopsis of the Usage section).
fn runs_pullpath(line: &str) -> bool {
    let re = regex::Regex::new(
        r"(^|[\s;&|(`])(pullpath (check|graph|rules|explain|completions)\b|pullpath --version|cargo run\b)",
    )
    .unwrap();
    re.is_match(line)
}

/// Every script of the README: ```sh blocks, and the scripts of ```yaml blocks.
fn all_scripts() -> Vec<(Block, String, String)> {
    let mut out = Vec::new();
    for b in blocks() {
        match b.lang.as_str() {
            "sh" | "bash" | "console" | "shell" => {
                let text = b.text.clone();
                out.push((b, "sh".to_string(), text));
            }
            "yaml" | "yml" => {
                for s in yaml_scripts(&b.text) {
                    out.push((b.clone(), s.key, s.text));
                }
            }
            _ => {}
        }
    }
    out
}

// ---- every command ---------------------------------------------------------------------------

/// Each line of a README code block that runs pullpath is in a script that is run below, and
/// each such script runs on a failing and a passing plan without pullpath ever exiting 2 (which
/// would mean a bad option, a missing file or a wrong file name).
#[test]
fn every_pullpath_command_in_the_readme_runs() {
    let scripts = all_scripts();
    let mut commands = 0;
    for b in blocks() {
        if b.lang.is_empty() || b.lang == "text" {
            continue; // the Usage synopsis (placeholders) and sample output
        }
        for line in b.text.lines().filter(|l| runs_pullpath(l)) {
            commands += 1;
            let command = line
                .trim()
                .trim_start_matches("- ")
                .trim_start_matches("run: ");
            assert!(
                scripts.iter().any(|(_, _, s)| s.contains(command)),
                "README ({}): {command:?} is in no script that this test runs",
                b.heading
            );
        }
    }
    assert!(
        commands >= 15,
        "only {commands} pullpath commands found in the README"
    );

    let mut ran = 0;
    for (i, (b, key, script)) in scripts.iter().enumerate() {
        if !script.lines().any(runs_pullpath) {
            continue;
        }
        for plan in [FAILING, PASSING] {
            let shell: &[&str] = if key == "sh" {
                &["bash"]
            } else {
                &["bash", "-e"]
            };
            let run = run_script(&format!("all-{i}"), shell, script, plan);
            let context = format!(
                "README ({}, {key}) on {plan}:\n{script}\n---- output:\n{}\n---- log:\n{}",
                b.heading,
                run.output,
                run.log.join("\n")
            );
            assert!(run.called("pullpath "), "pullpath was not run: {context}");
            assert!(
                !run.pullpath_exits().contains(&2),
                "pullpath could not complete: {context}"
            );
            assert!(
                [0, 1].contains(&run.status),
                "exit code {}: {context}",
                run.status
            );
            ran += 1;
        }
    }
    assert!(ran >= 20, "only {ran} script runs");
}

// ---- each recipe does what the README says ---------------------------------------------------

#[test]
fn the_first_command_shows_the_seed_incident() {
    let b = block("pullpath", "sh");
    let line = b
        .text
        .lines()
        .find(|l| l.starts_with("cargo run --release -- check"))
        .unwrap();
    let run = run_script("first", &["bash"], line, PASSING);
    assert_eq!(run.status, 1, "{}", run.output);
    assert!(run
        .output
        .contains("error[PP401] s3-policy-blocks-layer-bucket"));
    assert!(run.output.contains("prod-us-west-2-starport-layer-bucket"));
}

/// The ```sh block under `heading` that contains `text`.
fn block_with(heading: &str, text: &str) -> Block {
    let found: Vec<Block> = blocks()
        .into_iter()
        .filter(|b| b.heading == heading && b.lang == "sh" && b.text.contains(text))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "README: one ```sh block under {heading:?} with {text:?}"
    );
    found.into_iter().next().unwrap()
}

#[test]
fn the_usage_example_checks_the_plan() {
    let b = block_with("Usage", "terraform plan");
    let run = run_script("usage", &["bash"], &b.text, FAILING);
    assert_eq!(run.status, 1, "{}", run.output);
    assert!(run.called("terraform plan -out plan.tfplan"));
    assert!(run.called("terraform show -json plan.tfplan"));
    assert!(run.output.contains("error[PP401]"));
    let run = run_script("usage", &["bash"], &b.text, PASSING);
    assert_eq!(run.status, 0, "{}", run.output);
}

/// The raw-HCL examples run on the bundled twins: the seed incident fails (alone and in the
/// recursive run), the private Fargate example passes as files and with a variable.
#[test]
fn the_hcl_examples_check_the_bundled_modules() {
    let b = block_with("Usage", "--recursive");
    let commands: Vec<&str> = b.text.lines().filter(|l| runs_pullpath(l)).collect();
    assert_eq!(commands.len(), 4, "{}", b.text);
    for command in commands {
        let run = run_script("usage-hcl", &["bash"], command, PASSING);
        let expected = if command.contains("seed-incident") || command.contains("--recursive") {
            1
        } else {
            0
        };
        assert_eq!(run.status, expected, "{command}: {}", run.output);
        if expected == 1 {
            assert!(
                run.output.contains("error[PP401]"),
                "{command}: {}",
                run.output
            );
        } else {
            assert!(run.output.contains("0 errors"), "{command}: {}", run.output);
        }
    }
}

#[test]
fn the_shell_gate_applies_only_a_passing_plan() {
    let b = block("Shell: a pre-apply gate", "sh");
    let run = run_script("gate", &["bash"], &b.text, FAILING);
    assert_eq!(run.status, 1, "{}", run.output);
    assert!(!run.called("terraform apply"), "{:?}", run.log);
    assert!(run.output.contains("not applying"));
    let run = run_script("gate", &["bash", "-e"], &b.text, PASSING);
    assert_eq!(run.status, 0, "{}", run.output);
    assert!(run.called("terraform apply -input=false plan.tfplan"));
}

/// The steps of a GitHub Actions job, in order, each as GitHub runs it (`bash -e`).
fn github_steps(heading: &str, plan: &str) -> Vec<(String, Run)> {
    let b = block(heading, "yaml");
    let mut out = Vec::new();
    for (i, s) in yaml_scripts(&b.text).into_iter().enumerate() {
        let run = run_script(&format!("gha-{i}"), &["bash", "-e"], &s.text, plan);
        out.push((s.text, run));
    }
    out
}

fn step<'a>(steps: &'a [(String, Run)], contains: &str) -> &'a Run {
    &steps
        .iter()
        .find(|(s, _)| s.contains(contains))
        .unwrap_or_else(|| panic!("no step runs {contains:?}"))
        .1
}

#[test]
fn the_github_actions_workflow_uploads_sarif_comments_and_gates() {
    let heading = "GitHub Actions: code scanning, a sticky pull-request comment, a gate";
    let yaml = block(heading, "yaml").text;
    assert!(yaml.contains("sarif_file: pullpath.sarif") && yaml.contains("path: comment.md"));
    assert!(yaml.contains("terraform_wrapper: false"));
    let steps = github_steps(heading, FAILING);
    let install = step(&steps, "pipx install");
    assert!(
        install.called(&format!(
            "pipx install pullpath=={}",
            env!("CARGO_PKG_VERSION")
        )),
        "{:?}",
        install.log
    );
    let plan = step(&steps, "terraform plan");
    assert_eq!(plan.status, 0, "{}", plan.output);
    let report = step(&steps, "--format sarif");
    assert_eq!(report.status, 0, "{}", report.output);
    let sarif: serde_json::Value = serde_json::from_str(&report.file("pullpath.sarif")).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "PP401");
    assert!(report.file("comment.md").starts_with("<!-- pullpath -->\n"));
    let gate = step(&steps, "--format github");
    assert_eq!(gate.status, 1, "{}", gate.output);
    assert!(gate.output.starts_with("::error"), "{}", gate.output);
    let steps = github_steps(heading, PASSING);
    assert_eq!(step(&steps, "--format github").status, 0);
}

#[test]
fn the_outputs_github_actions_steps_post_the_comment_and_gate() {
    let steps = github_steps("GitHub Actions", FAILING);
    let comment = step(&steps, "--format markdown");
    assert_eq!(comment.status, 0, "{}", comment.output);
    assert!(comment
        .file("comment.md")
        .starts_with("<!-- pullpath -->\n"));
    // No comment yet (the stand-in gh finds none): a new one is posted from comment.md.
    assert!(
        comment
            .log
            .iter()
            .any(|l| l
                .starts_with("gh api repos/example/infra/issues/7/comments -F body=@comment.md")),
        "{:?}",
        comment.log
    );
    assert_eq!(step(&steps, "--format sarif").status, 0);
    assert_eq!(step(&steps, "--format github").status, 1);
}

/// A GitLab job: `before_script` and `script` in one shell that stops at the first failure,
/// then `after_script` in another, whatever happened.
fn gitlab_job(heading: &str, plan: &str) -> (Run, Option<Run>) {
    let b = block(heading, "yaml");
    let scripts = yaml_scripts(&b.text);
    let main: Vec<String> = scripts
        .iter()
        .filter(|s| s.key == "before_script" || s.key == "script")
        .map(|s| s.text.clone())
        .collect();
    let main = run_script("gitlab", &["bash", "-e"], &main.join("\n"), plan);
    let after = scripts.iter().find(|s| s.key == "after_script").map(|s| {
        // after_script runs in the job's directory, after the script.
        let script = format!("cd '{}'\n{}", main.dir.display(), s.text);
        run_script("gitlab-after", &["bash", "-e"], &script, plan)
    });
    (main, after)
}

#[test]
fn the_gitlab_pipelines_write_code_quality_junit_gate_and_note_the_merge_request() {
    for heading in [
        "GitLab CI",
        "GitLab CI: Code Quality, a JUnit report and a merge-request note",
    ] {
        let yaml = block(heading, "yaml").text;
        assert!(yaml.contains("junit: pullpath.xml") && yaml.contains("when: always"));
        assert!(
            yaml.contains("reports:\n      codequality: gl-code-quality-report.json\n"),
            "{heading}: {yaml}"
        );
        let (main, after) = gitlab_job(heading, FAILING);
        assert_eq!(main.status, 1, "{heading}: {}", main.output);
        let xml = main.file("pullpath.xml");
        assert!(xml.contains("<testsuite") && xml.contains("PP401"), "{xml}");
        // The Code Quality report: the PP401 issue, on line 1 of the plan (no configuration).
        let report: serde_json::Value =
            serde_json::from_str(&main.file("gl-code-quality-report.json")).unwrap();
        let issues = report.as_array().unwrap();
        assert_eq!(issues.len(), 1, "{report:#}");
        assert_eq!(issues[0]["check_name"], "pullpath/PP401");
        assert_eq!(issues[0]["severity"], "critical");
        assert_eq!(issues[0]["location"]["path"], "plan.json");
        assert_eq!(issues[0]["location"]["lines"]["begin"], 1);
        if let Some(after) = after {
            assert_eq!(after.status, 0, "{}", after.output);
            assert!(main.file("comment.md").starts_with("<!-- pullpath -->\n"));
            let post = after
                .log
                .iter()
                .find(|l| l.starts_with("curl -fsS -X POST"))
                .unwrap_or_else(|| panic!("no note posted: {:?}", after.log));
            assert!(post.contains("--data-urlencode body@comment.md"), "{post}");
            assert!(post.ends_with(
                "https://gitlab.example.invalid/api/v4/projects/12/merge_requests/34/notes"
            ));
        }
        let (main, _) = gitlab_job(heading, PASSING);
        assert_eq!(main.status, 0, "{heading}: {}", main.output);
    }
}

/// Atlantis runs a `run` step with `sh -c` and fails the policy check when the output
/// contains "fail".
fn atlantis(heading: &str, plan: &str) -> Run {
    let b = block(heading, "yaml");
    let scripts = yaml_scripts(&b.text);
    assert_eq!(scripts.len(), 1, "{heading}");
    run_script("atlantis", &["sh"], &scripts[0].text, plan)
}

#[test]
fn the_atlantis_checks_say_fail_exactly_when_the_plan_fails() {
    let heading = "Atlantis: a custom policy check with a stable failure token";
    let run = atlantis(heading, FAILING);
    assert_eq!(run.status, 0, "{heading}: {}", run.output);
    assert!(run.output.contains("fail"), "{heading}: {}", run.output);
    assert!(run.output.contains("PP401"), "{heading}: {}", run.output);
    let run = atlantis(heading, PASSING);
    assert_eq!(run.status, 0, "{heading}: {}", run.output);
    assert!(
        !run.output.to_lowercase().contains("fail"),
        "{heading}: {}",
        run.output
    );
    let run = atlantis(heading, FAILING);
    assert!(
        run.output.trim_end().ends_with("\npullpath: fail"),
        "{}",
        run.output
    );
}

/// A passing plan whose VPC is `aws_vpc.failover`: the report names it, so the word "fail" is in
/// it; the stable-token recipe still passes (it prints only the verdict line on a pass).
#[test]
fn the_stable_token_recipe_passes_a_plan_whose_names_contain_fail() {
    let plan = std::fs::read_to_string(Path::new(ROOT).join(PASSING))
        .unwrap()
        .replace("aws_vpc.main", "aws_vpc.failover");
    let path = std::env::temp_dir().join(format!(
        "pullpath-readme-failover-{}.json",
        std::process::id()
    ));
    std::fs::write(&path, plan).unwrap();
    let run = atlantis(
        "Atlantis: a custom policy check with a stable failure token",
        path.to_str().unwrap(),
    );
    assert_eq!(run.status, 0, "{}", run.output);
    assert!(
        !run.output.to_lowercase().contains("fail"),
        "{}",
        run.output
    );
    assert!(run.called("pullpath exited 0"), "{:?}", run.log);
    let _ = std::fs::remove_file(&path);
}

/// The fastest install (the wheel, with pipx): the block installs and runs pullpath, and
/// `pipx run pullpath check` checks the plan (exit code 1 on the failing one).
#[test]
fn the_wheel_install_lines_install_and_run_pullpath() {
    let wheel: Vec<Block> = blocks()
        .into_iter()
        .filter(|b| b.heading == "Install" && b.text.contains("pipx install pullpath"))
        .collect();
    assert_eq!(wheel.len(), 1);
    let run = run_script("wheel", &["bash"], &wheel[0].text, FAILING);
    assert_eq!(run.status, 1, "{}", run.output);
    assert!(run.called("pipx install pullpath"), "{:?}", run.log);
    assert!(
        run.called("pipx run pullpath check plan.json"),
        "{:?}",
        run.log
    );
    assert_eq!(run.pullpath_exits(), [0, 1], "{:?}", run.log);
    assert!(run.output.contains("error[PP401]"), "{}", run.output);
}

#[test]
fn the_install_and_completion_commands_work() {
    let install: Vec<Block> = blocks()
        .into_iter()
        .filter(|b| b.heading == "Install" && b.text.contains("cargo install"))
        .collect();
    assert_eq!(install.len(), 1);
    let run = run_script("install", &["bash", "-e"], &install[0].text, PASSING);
    assert_eq!(run.status, 0, "{}", run.output);
    assert!(run.called("cargo install --locked --path ."));
    assert!(run
        .output
        .contains(&format!("pullpath {}", env!("CARGO_PKG_VERSION"))));

    let completions: Vec<Block> = blocks()
        .into_iter()
        .filter(|b| b.heading == "Install" && b.text.contains("completions"))
        .collect();
    assert_eq!(completions.len(), 1);
    let run = run_script(
        "completions",
        &["bash", "-e"],
        &completions[0].text,
        PASSING,
    );
    assert_eq!(run.status, 0, "{}", run.output);
    let home = run.dir.parent().unwrap().join("home");
    for (file, word) in [
        (
            ".local/share/bash-completion/completions/pullpath",
            "_pullpath",
        ),
        (".zfunc/_pullpath", "#compdef pullpath"),
        (
            ".config/fish/completions/pullpath.fish",
            "complete -c pullpath",
        ),
    ] {
        let text = std::fs::read_to_string(home.join(file)).unwrap();
        assert!(text.contains(word), "{file}");
    }
}

#[test]
fn the_environment_example_behaves_as_its_comments_say() {
    let b = block("Environment variables", "sh");
    let run = run_script("env", &["bash"], &b.text, FAILING);
    let calls: Vec<&String> = run
        .log
        .iter()
        .filter(|l| l.starts_with("pullpath "))
        .collect();
    assert_eq!(calls.len(), 4, "{:?}", run.log); // two calls, two exit codes
    assert!(run.output.starts_with("::error"), "{}", run.output);
    assert!(run.output.contains("error[PP401]"), "{}", run.output);
    assert_eq!(run.status, 1);
}

/// The pre-commit snippet is what scripts/pre-commit-proof.sh runs; here, that it is there.
#[test]
fn the_pre_commit_snippet_is_between_its_markers() {
    let text = readme();
    let start = text.find("<!-- pre-commit-config:start -->").unwrap();
    let end = text.find("<!-- pre-commit-config:end -->").unwrap();
    let snippet = &text[start..end];
    for needle in [
        "- repo: ",
        "rev: ",
        "- id: pullpath",
        "- id: pullpath-plan",
        "args: [plan.json]",
    ] {
        assert!(snippet.contains(needle), "{needle}");
    }
}

// ---- the sample outputs are real runs --------------------------------------------------------

/// Whether `actual` is `sample` with text where the sample has `…` (any text, over lines too),
/// the whole of it: nothing else may differ or be missing.
fn matches_with_elisions(sample: &str, actual: &str) -> bool {
    let pattern: Vec<String> = sample.split('…').map(regex::escape).collect();
    regex::Regex::new(&format!(r"\A{}\z", pattern.join("(?s:.*?)")))
        .unwrap()
        .is_match(actual)
}

/// Whether the JSON `sample` is part of `actual`: its keys with the same values (objects may
/// have more keys, arrays more elements after the sample's; the string `"…"` stands for any
/// value). `Err` says where they differ.
fn json_part_of(
    sample: &serde_json::Value,
    actual: &serde_json::Value,
    at: &str,
) -> Result<(), String> {
    use serde_json::Value as J;
    match (sample, actual) {
        (J::String(s), _) if s == "…" => Ok(()),
        (J::Object(s), J::Object(a)) => s.iter().try_for_each(|(k, v)| {
            let inner = format!("{at}.{k}");
            json_part_of(v, a.get(k).ok_or(format!("{inner} is missing"))?, &inner)
        }),
        (J::Array(s), J::Array(a)) if s.len() <= a.len() => s
            .iter()
            .zip(a)
            .enumerate()
            .try_for_each(|(i, (s, a))| json_part_of(s, a, &format!("{at}[{i}]"))),
        _ if sample == actual => Ok(()),
        _ => Err(format!("{at}: the README has {sample}, the run {actual}")),
    }
}

#[test]
fn matching_with_elisions() {
    assert!(matches_with_elisions("a … c\n", "a b\nb c\n"));
    assert!(!matches_with_elisions("a … c\n", "a b c\nd\n"));
    assert!(!matches_with_elisions("a c\n", "a b c\n"));
    let s = serde_json::json!({"a": [1, {"b": "…"}], "c": "x"});
    assert!(json_part_of(
        &s,
        &serde_json::json!({"a": [1, {"b": 2}, 3], "c": "x", "d": 0}),
        ""
    )
    .is_ok());
    assert!(json_part_of(&s, &serde_json::json!({"a": [1, {"b": 2}], "c": "y"}), "").is_err());
    assert!(json_part_of(&s, &serde_json::json!({"a": [1]}), "").is_err());
}

/// The samples of the README's Outputs section are real runs on the bundled seed incident: a
/// sample that starts with `$ pullpath …` is that command's whole output (`…` marking what it
/// leaves out), run where `plan.json` is the seed incident's plan and `infra` its Terraform; the
/// SARIF sample is part of the first result of `pullpath check plan.json --format sarif`.
#[test]
fn the_sample_outputs_are_real_runs() {
    let dir = std::env::temp_dir().join(format!("pullpath-readme-samples-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("infra")).unwrap();
    std::fs::copy(Path::new(ROOT).join(FAILING), dir.join("plan.json")).unwrap();
    let module = Path::new(ROOT).join("testdata/hcl/twins/examples/seed-incident");
    for e in std::fs::read_dir(&module).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join("infra").join(e.file_name())).unwrap();
    }
    let run = |args: &[&str]| -> String {
        let mut c = Command::new(env!("CARGO_BIN_EXE_pullpath"));
        c.args(args).current_dir(&dir);
        for name in pullpath::app::OPTION_ENV {
            c.env_remove(name);
        }
        for name in [
            "PULLPATH_TERRAFORM_BIN",
            "FORCE_COLOR",
            "CLICOLOR_FORCE",
            "CI_PROJECT_DIR",
        ] {
            c.env_remove(name);
        }
        let out = c.output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let mut compared = 0;
    for b in blocks().into_iter().filter(|b| b.heading == "Outputs") {
        if let Some(rest) = b.text.strip_prefix("$ ") {
            let (command, sample) = rest.split_once('\n').unwrap();
            let words: Vec<&str> = command.split_whitespace().collect();
            assert_eq!(words[0], "pullpath", "{command}");
            let actual = run(&words[1..]);
            assert!(
                matches_with_elisions(sample, &actual),
                "README sample of `{command}` is not what it prints:\n--- README\n{sample}--- run\n{actual}"
            );
            compared += 1;
        } else if b.lang == "json" {
            let sample: serde_json::Value = serde_json::from_str(&b.text).unwrap();
            let sarif: serde_json::Value =
                serde_json::from_str(&run(&["check", "plan.json", "--format", "sarif"])).unwrap();
            let first = &sarif["runs"][0]["results"][0];
            if let Err(e) = json_part_of(&sample, first, "result") {
                panic!("README SARIF sample: {e}\n{first:#}");
            }
            compared += 1;
        }
    }
    assert_eq!(
        compared, 5,
        "the text, SARIF, github, gitlab and junit samples"
    );
    // The markdown paragraph quotes the comment's headline.
    let markdown = run(&["check", "plan.json", "--format", "markdown"]);
    let headline = markdown
        .lines()
        .nth(1)
        .unwrap()
        .split(" · ")
        .next()
        .unwrap();
    assert!(
        readme().contains(&format!("(`{headline}`)")),
        "the README quotes the headline {headline:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
