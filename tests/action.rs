//! The GitHub Action (`action.yml`) run as the runner runs a composite action: its steps in
//! order, inputs (defaults from `action.yml`, values from the README's recipe or a case) put
//! into each step's `env`, `if:` conditions evaluated, step outputs read from `$GITHUB_OUTPUT`,
//! `$GITHUB_PATH` added to `PATH`, the first failing step ending the run. `run:` steps run with
//! `bash -eo pipefail` as GitHub runs them; `uses:` steps (the SARIF upload) are recorded with
//! their resolved `with:`. Programs the action calls are stand-ins that log how they were called:
//! `python3` (a venv whose pip "installs" the wheel), `curl` (serves the archives
//! `scripts/release/package.sh` made), `cargo` and `gh`. `pullpath` is the binary under test
//! behind a wrapper that logs each call and its exit code.
//!
//! Also here: the names the install section, the release workflow, the action and the packaging
//! script use for the release assets agree, and the wheel hooks pin the version of Cargo.toml.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const VERSION: &str = env!("CARGO_PKG_VERSION");
const FAILING: &str = "testdata/examples/seed-incident.json";
const PASSING: &str = "testdata/examples/seed-incident-fixed.json";

/// Held while an executable is written and while a process is started: a process forked while
/// an executable is open for writing inherits the descriptor, and the file then cannot be run
/// ("Text file busy").
static SPAWN: Mutex<()> = Mutex::new(());

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap()
}

fn write_exe(path: &Path, body: &str) {
    let _guard = SPAWN.lock().unwrap_or_else(|e| e.into_inner());
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn output(mut cmd: Command) -> std::process::Output {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = {
        let _guard = SPAWN.lock().unwrap_or_else(|e| e.into_inner());
        cmd.spawn().unwrap()
    };
    child.wait_with_output().unwrap()
}

// ---- action.yml, read as the runner reads it (the layout this repository keeps) --------------

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_string();
        }
    }
    v.to_string()
}

/// The lines of a top-level section (`inputs:`, `runs:`), without its key line.
fn section<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut on = false;
    for line in text.lines() {
        if !line.starts_with(' ') && !line.trim().is_empty() && !line.starts_with('#') {
            on = line == format!("{key}:");
            continue;
        }
        if on {
            out.push(line);
        }
    }
    out
}

/// `action.yml`'s inputs and their defaults, in order.
fn action_inputs(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in section(text, "inputs") {
        if indent(line) == 2 && line.trim_end().ends_with(':') {
            out.push((line.trim().trim_end_matches(':').to_string(), String::new()));
        } else if let Some(v) = line.trim().strip_prefix("default:") {
            if indent(line) == 4 {
                out.last_mut().unwrap().1 = unquote(v);
            }
        }
    }
    out
}

#[derive(Debug, Default, Clone)]
struct Step {
    fields: BTreeMap<String, String>,
    env: Vec<(String, String)>,
    with: Vec<(String, String)>,
}

/// `runs.steps` of action.yml.
fn action_steps(text: &str) -> Vec<Step> {
    let runs = section(text, "runs");
    let start = runs.iter().position(|l| l.trim() == "steps:").unwrap() + 1;
    let mut steps: Vec<Step> = Vec::new();
    let mut map: Option<&str> = None;
    for raw in &runs[start..] {
        if raw.trim().is_empty() {
            continue;
        }
        let line = match raw.trim_start().strip_prefix("- ") {
            Some(rest) => {
                steps.push(Step::default());
                format!("{}{rest}", " ".repeat(indent(raw) + 2))
            }
            None => raw.to_string(),
        };
        let step = steps.last_mut().expect("a step starts with '- '");
        let (key, value) = line.trim().split_once(':').unwrap();
        let value = value.trim();
        if indent(&line) == 6 {
            map = None;
            if value.is_empty() {
                map = Some(if key == "env" { "env" } else { "with" });
                assert!(
                    key == "env" || key == "with",
                    "unexpected map {key} in action.yml"
                );
            } else {
                step.fields.insert(key.to_string(), unquote(value));
            }
        } else {
            let pair = (key.to_string(), unquote(value));
            match map {
                Some("env") => step.env.push(pair),
                Some(_) => step.with.push(pair),
                None => panic!("action.yml: unexpected line {line:?}"),
            }
        }
    }
    steps
}

// ---- the runner ------------------------------------------------------------------------------

struct Case<'a> {
    plan: &'a str,
    with: Vec<(&'a str, &'a str)>,
    event: &'a str,
    pr: &'a str,
    /// The id the stand-in `gh` gives for an existing pullpath comment ("" for none).
    comment_id: &'a str,
    /// Exit code of every `gh` call (0: works).
    gh_status: i32,
    /// pullpath is already on PATH (for `source: path`).
    preinstalled: bool,
    /// The directory the stand-in curl serves release assets from.
    releases: Option<PathBuf>,
}

impl Default for Case<'_> {
    fn default() -> Self {
        Case {
            plan: FAILING,
            with: vec![],
            event: "pull_request",
            pr: "7",
            comment_id: "",
            gh_status: 0,
            preinstalled: false,
            releases: None,
        }
    }
}

struct Ran {
    /// The exit code of each step that ran, by name.
    steps: Vec<(String, i32)>,
    /// `uses:` steps that ran: the action and its resolved `with:`.
    uses: Vec<(String, BTreeMap<String, String>)>,
    outputs: BTreeMap<String, BTreeMap<String, String>>,
    output: String,
    log: Vec<String>,
    summary: String,
    dir: PathBuf,
}

impl Drop for Ran {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Ran {
    fn status(&self) -> i32 {
        self.steps.last().map_or(0, |s| s.1)
    }
    fn called(&self, prefix: &str) -> bool {
        self.log.iter().any(|l| l.starts_with(prefix))
    }
    fn context(&self) -> String {
        format!(
            "steps: {:?}\n---- output:\n{}\n---- log:\n{}",
            self.steps,
            self.output,
            self.log.join("\n")
        )
    }
}

/// The stand-ins, written once for all tests (before any of them starts a process).
fn stand_ins() -> &'static Path {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let base = std::env::temp_dir().join(format!("pullpath-action-bin-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (bin, pre) = (base.join("bin"), base.join("preinstalled"));
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(&pre).unwrap();
        // The wrapper around the binary under test; the stand-in installers copy it.
        let wrapper = base.join("pullpath-wrapper");
        write_exe(
            &wrapper,
            &format!(
                "echo \"pullpath $*\" >> \"$ACTION_LOG\"\n'{}' \"$@\"\nstatus=$?\necho \"pullpath exited $status\" >> \"$ACTION_LOG\"\nexit $status",
                env!("CARGO_BIN_EXE_pullpath")
            ),
        );
        write_exe(&pre.join("pullpath"), &format!("exec '{}' \"$@\"", wrapper.display()));
        let w = wrapper.display();
        write_exe(
            &bin.join("python3"),
            &format!(
                r#"echo "python3 $*" >> "$ACTION_LOG"
[ "$1 $2" = "-m venv" ] || exit 9
mkdir -p "$3/bin"
cat > "$3/bin/python" <<'PY'
#!/bin/sh
echo "venv-python $*" >> "$ACTION_LOG"
[ "$1 $2 $3" = "-m pip install" ] || exit 9
for a in "$@"; do
  case "$a" in pullpath==*) cp '{w}' "$(dirname "$0")/pullpath"; exit 0 ;; esac
done
exit 1
PY
chmod +x "$3/bin/python""#
            ),
        );
        write_exe(
            &bin.join("cargo"),
            &format!(
                r#"echo "cargo $*" >> "$ACTION_LOG"
root=""; prev=""
for a in "$@"; do [ "$prev" = "--root" ] && root="$a"; prev="$a"; done
[ "$1" = install ] && [ -n "$root" ] || exit 9
mkdir -p "$root/bin" && cp '{w}' "$root/bin/pullpath""#
            ),
        );
        write_exe(
            &bin.join("curl"),
            r#"echo "curl $*" >> "$ACTION_LOG"
out=""; url=""; prev=""
for a in "$@"; do
  if [ "$prev" = "-o" ]; then out="$a"; else case "$a" in http*) url="$a" ;; esac; fi
  prev="$a"
done
[ -n "$RELEASES" ] && [ -f "$RELEASES/$(basename "$url")" ] || { echo "curl: (22) 404: $url" >&2; exit 22; }
if [ -n "$out" ]; then cp "$RELEASES/$(basename "$url")" "$out"; else cat "$RELEASES/$(basename "$url")"; fi"#,
        );
        write_exe(
            &bin.join("gh"),
            r#"echo "gh $*" >> "$ACTION_LOG"
[ "$GH_STATUS" = 0 ] || { echo "gh: HTTP 403: Resource not accessible by integration" >&2; exit "$GH_STATUS"; }
case " $* " in
  *" --jq "*) [ -n "$GH_COMMENT_ID" ] && echo "$GH_COMMENT_ID" ;;
  *) echo '{}' ;;
esac
exit 0"#,
        );
        base
    })
}

/// Replaces `${{ expr }}` with the value of `expr`.
fn substitute(value: &str, ctx: &BTreeMap<String, String>) -> String {
    let re = regex::Regex::new(r"\$\{\{\s*([^}]*?)\s*\}\}").unwrap();
    re.replace_all(value, |c: &regex::Captures| {
        let expr = &c[1];
        ctx.get(expr)
            .unwrap_or_else(|| panic!("action.yml: an expression this test does not know: {expr}"))
            .clone()
    })
    .into_owned()
}

/// `if:` conditions: `inputs.NAME == 'VALUE'` (what action.yml uses).
fn condition(cond: &str, ctx: &BTreeMap<String, String>) -> bool {
    let re = regex::Regex::new(r"^(inputs\.[A-Za-z0-9_-]+) == '([^']*)'$").unwrap();
    let c = re
        .captures(cond.trim())
        .unwrap_or_else(|| panic!("action.yml: a condition this test does not know: {cond}"));
    ctx[&c[1]] == c[2]
}

fn run_action(tag: &str, case: Case) -> Ran {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let base = stand_ins();
    let dir =
        std::env::temp_dir().join(format!("pullpath-action-{}-{n}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (work, temp) = (dir.join("work"), dir.join("runner-temp"));
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&temp).unwrap();
    std::os::unix::fs::symlink(Path::new(ROOT).join("testdata"), work.join("testdata")).unwrap();
    std::fs::copy(Path::new(ROOT).join(case.plan), work.join("plan.json")).unwrap();
    let (log, github_path, summary) = (
        dir.join("log"),
        dir.join("github_path"),
        dir.join("step_summary"),
    );
    for f in [&log, &github_path, &summary] {
        std::fs::write(f, "").unwrap();
    }

    let text = read("action.yml");
    let mut ctx: BTreeMap<String, String> = BTreeMap::new();
    ctx.insert("github.token".into(), "stand-in-token".into());
    ctx.insert("github.action_repository".into(), "example/pullpath".into());
    ctx.insert("github.event.pull_request.number".into(), case.pr.into());
    for (name, default) in action_inputs(&text) {
        let given = case.with.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        let value = match given {
            Some(v) => v.to_string(),
            None => substitute(&default, &ctx),
        };
        ctx.insert(format!("inputs.{name}"), value);
    }
    for (k, _) in &case.with {
        assert!(
            ctx.contains_key(&format!("inputs.{k}")),
            "action.yml has no input {k}"
        );
    }

    let mut ran = Ran {
        steps: vec![],
        uses: vec![],
        outputs: BTreeMap::new(),
        output: String::new(),
        log: vec![],
        summary: String::new(),
        dir: dir.clone(),
    };
    for (i, step) in action_steps(&text).iter().enumerate() {
        let name = step
            .fields
            .get("name")
            .cloned()
            .unwrap_or(format!("step {i}"));
        if let Some(cond) = step.fields.get("if") {
            if !condition(cond, &ctx) {
                continue;
            }
        }
        if let Some(uses) = step.fields.get("uses") {
            let with = step
                .with
                .iter()
                .map(|(k, v)| (k.clone(), substitute(v, &ctx)))
                .collect();
            ran.uses.push((uses.clone(), with));
            ran.steps.push((name, 0));
            continue;
        }
        let run = step.fields.get("run").expect("a step has run: or uses:");
        assert_eq!(step.fields.get("shell").map(String::as_str), Some("bash"));
        let script = dir.join(format!("step-{i}.sh"));
        std::fs::write(&script, run).unwrap();
        let github_output = dir.join(format!("output-{i}"));
        std::fs::write(&github_output, "").unwrap();
        // $GITHUB_PATH entries of earlier steps come first, as the runner puts them.
        let mut path: Vec<String> = std::fs::read_to_string(&github_path)
            .unwrap()
            .lines()
            .rev()
            .map(String::from)
            .collect();
        path.push(base.join("bin").display().to_string());
        if case.preinstalled {
            path.push(base.join("preinstalled").display().to_string());
        }
        path.push("/usr/bin:/bin".into());
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(&work)
            .env_clear()
            .env("PATH", path.join(":"))
            .env("HOME", &dir)
            .env("ACTION_LOG", &log)
            .env("GH_COMMENT_ID", case.comment_id)
            .env("GH_STATUS", case.gh_status.to_string())
            .env("GITHUB_ACTION_PATH", ROOT)
            .env("GITHUB_OUTPUT", &github_output)
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_REPOSITORY", "example/infra")
            .env("GITHUB_EVENT_NAME", case.event)
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("RUNNER_TEMP", &temp);
        if let Some(r) = &case.releases {
            cmd.env("RELEASES", r);
        }
        for (k, v) in &step.env {
            cmd.env(k, substitute(v, &ctx));
        }
        let out = output(cmd);
        ran.output.push_str(&String::from_utf8_lossy(&out.stdout));
        ran.output.push_str(&String::from_utf8_lossy(&out.stderr));
        let status = out.status.code().unwrap_or(-1);
        let mut outputs = BTreeMap::new();
        for line in std::fs::read_to_string(&github_output).unwrap().lines() {
            let (k, v) = line.split_once('=').unwrap();
            outputs.insert(k.to_string(), v.to_string());
        }
        if let Some(id) = step.fields.get("id") {
            for (k, v) in &outputs {
                ctx.insert(format!("steps.{id}.outputs.{k}"), v.clone());
            }
            ran.outputs.insert(id.clone(), outputs);
        }
        ran.steps.push((name, status));
        if status != 0 {
            break;
        }
    }
    ran.log = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    ran.summary = std::fs::read_to_string(&summary).unwrap();
    ran
}

// ---- the README's recipe ---------------------------------------------------------------------

/// The `with:` of the README's `uses: OWNER/pullpath@…` step.
fn readme_with() -> Vec<(String, String)> {
    let readme = read("README.md");
    let lines: Vec<&str> = readme.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with("- uses: OWNER/pullpath@"))
        .expect("README: a `uses: OWNER/pullpath@` step");
    assert_eq!(
        lines[at].trim(),
        format!("- uses: OWNER/pullpath@v{VERSION}"),
        "README: the recipe names the current release"
    );
    assert_eq!(lines[at + 1].trim(), "with:");
    let mut out = Vec::new();
    for l in &lines[at + 2..] {
        if indent(l) <= indent(lines[at + 1]) {
            break;
        }
        let (k, v) = l.trim().split_once(':').unwrap();
        out.push((k.to_string(), unquote(v)));
    }
    out
}

fn step_status(ran: &Ran, prefix: &str) -> Option<i32> {
    ran.steps
        .iter()
        .find(|(n, _)| n.starts_with(prefix))
        .map(|s| s.1)
}

#[test]
fn the_readme_recipe_installs_the_wheel_reports_comments_and_gates() {
    let with = readme_with();
    let with: Vec<(&str, &str)> = with.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert!(with.contains(&("input", "plan.json")), "{with:?}");
    let ran = run_action(
        "readme",
        Case {
            with: with.clone(),
            ..Case::default()
        },
    );
    let cx = ran.context();
    // Installed from the wheel of this version, in a virtual environment.
    assert!(ran.called("python3 -m venv"), "{cx}");
    assert!(
        ran.called(&format!(
            "venv-python -m pip install --quiet --disable-pip-version-check pullpath=={VERSION}"
        )),
        "{cx}"
    );
    assert!(!ran.called("cargo"), "{cx}");
    // The SARIF report, uploaded.
    let sarif_file = &ran.outputs["report"]["sarif-file"];
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sarif_file).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "PP401", "{cx}");
    assert_eq!(ran.uses.len(), 1, "{cx}");
    let (action, upload) = &ran.uses[0];
    assert!(action.starts_with("github/codeql-action/upload-sarif@"));
    assert_eq!(&upload["sarif_file"], sarif_file);
    assert_eq!(upload["category"], "pullpath");
    // The comment: none yet, so one is posted; the report is in the job summary too.
    let comment_file = &ran.outputs["report"]["comment-file"];
    assert!(std::fs::read_to_string(comment_file)
        .unwrap()
        .starts_with("<!-- pullpath -->\n"));
    assert!(
        ran.called(&format!(
            "gh api repos/example/infra/issues/7/comments -F body=@{comment_file}"
        )),
        "{cx}"
    );
    assert!(ran.summary.starts_with("<!-- pullpath -->\n"), "{cx}");
    // The gate: annotations, and the job fails.
    assert_eq!(step_status(&ran, "Gate"), Some(1), "{cx}");
    assert_eq!(ran.outputs["gate"]["exit-code"], "1");
    assert!(ran.output.contains("::error"), "{cx}");
    assert!(ran
        .log
        .iter()
        .any(|l| l.starts_with("pullpath check plan.json --format github --fail-on error")));

    // The same recipe on the fixed plan passes, and updates the comment already there.
    let ran = run_action(
        "readme-pass",
        Case {
            plan: PASSING,
            with,
            comment_id: "4242",
            ..Case::default()
        },
    );
    let cx = ran.context();
    assert_eq!(ran.status(), 0, "{cx}");
    assert_eq!(ran.outputs["gate"]["exit-code"], "0");
    let comment_file = &ran.outputs["report"]["comment-file"];
    assert!(
        ran.called(&format!(
            "gh api -X PATCH repos/example/infra/issues/comments/4242 -F body=@{comment_file}"
        )),
        "{cx}"
    );
    assert!(
        ran.output.contains("updated the pull-request comment 4242"),
        "{cx}"
    );
}

#[test]
fn comment_and_sarif_false_post_nothing_and_upload_nothing() {
    let ran = run_action(
        "quiet",
        Case {
            with: vec![("comment", "false"), ("sarif", "false"), ("source", "path")],
            preinstalled: true,
            ..Case::default()
        },
    );
    let cx = ran.context();
    assert_eq!(step_status(&ran, "Gate"), Some(1), "{cx}");
    assert!(!ran.called("gh "), "{cx}");
    assert!(ran.uses.is_empty(), "{cx}");
    assert!(!ran.outputs["report"].contains_key("sarif-file"), "{cx}");
    assert!(!ran.called("python3"), "{cx}");
    // The job summary has the report whatever `comment` says.
    assert!(ran.summary.starts_with("<!-- pullpath -->\n"), "{cx}");
}

#[test]
fn outside_a_pull_request_no_comment_is_posted() {
    let ran = run_action(
        "push",
        Case {
            with: vec![("source", "path")],
            preinstalled: true,
            event: "push",
            pr: "",
            ..Case::default()
        },
    );
    let cx = ran.context();
    assert!(!ran.called("gh "), "{cx}");
    assert!(
        ran.output.contains("not a pull request: no comment"),
        "{cx}"
    );
    assert_eq!(ran.uses.len(), 1, "{cx}");
    assert_eq!(step_status(&ran, "Gate"), Some(1), "{cx}");
}

#[test]
fn a_token_that_cannot_comment_warns_and_the_gate_still_runs() {
    let ran = run_action(
        "fork",
        Case {
            with: vec![("source", "path"), ("fail-on", "never")],
            preinstalled: true,
            gh_status: 1,
            ..Case::default()
        },
    );
    let cx = ran.context();
    assert!(
        ran.called("gh api repos/example/infra/issues/7/comments"),
        "{cx}"
    );
    assert!(
        ran.output
            .contains("::warning title=pullpath action::could not post the pull-request comment"),
        "{cx}"
    );
    assert_eq!(step_status(&ran, "Report"), Some(0), "{cx}");
    // fail-on never: the failing plan passes the gate.
    assert_eq!(step_status(&ran, "Gate"), Some(0), "{cx}");
    assert!(ran.called("pullpath check plan.json --format github --fail-on never"));
}

#[test]
fn bad_inputs_stop_the_action_with_exit_code_2() {
    let ran = run_action(
        "bad-bool",
        Case {
            with: vec![("source", "path"), ("comment", "yes")],
            preinstalled: true,
            ..Case::default()
        },
    );
    assert_eq!(step_status(&ran, "Report"), Some(2), "{}", ran.context());
    assert!(ran
        .output
        .contains("input comment must be true or false, not 'yes'"));
    assert_eq!(step_status(&ran, "Gate"), None);

    let ran = run_action(
        "bad-source",
        Case {
            with: vec![("source", "brew")],
            ..Case::default()
        },
    );
    assert_eq!(ran.steps.len(), 1, "{}", ran.context());
    assert_eq!(ran.status(), 2);
    assert!(ran
        .output
        .contains("input source must be wheel, release, cargo or path"));

    // source: path without pullpath on PATH.
    let ran = run_action(
        "no-pullpath",
        Case {
            with: vec![("source", "path")],
            ..Case::default()
        },
    );
    assert_eq!(ran.status(), 2, "{}", ran.context());
    assert!(ran.output.contains("pullpath is not on PATH"));
}

#[test]
fn a_directory_with_args_is_checked_as_given() {
    let ran = run_action(
        "hcl",
        Case {
            with: vec![
                ("source", "path"),
                ("input", "testdata/hcl/flat"),
                (
                    "args",
                    "--var-file testdata/hcl/flat/terraform.tfvars --mode reachability",
                ),
                ("comment", "false"),
            ],
            preinstalled: true,
            ..Case::default()
        },
    );
    let cx = ran.context();
    assert_eq!(step_status(&ran, "Gate"), Some(0), "{cx}");
    assert!(ran.called(
        "pullpath check testdata/hcl/flat --var-file testdata/hcl/flat/terraform.tfvars --mode reachability --format github --fail-on error"
    ), "{cx}");
}

#[test]
fn source_cargo_builds_the_actions_checkout() {
    let ran = run_action(
        "cargo",
        Case {
            with: vec![("source", "cargo"), ("comment", "false")],
            ..Case::default()
        },
    );
    let cx = ran.context();
    assert!(
        ran.called(&format!(
            "cargo install --quiet --locked --path {ROOT} --root"
        )),
        "{cx}"
    );
    assert_eq!(step_status(&ran, "Gate"), Some(1), "{cx}");
}

// ---- release assets --------------------------------------------------------------------------

/// The release target of the machine running the tests, as scripts/action/run.sh names it.
fn this_target() -> Option<&'static str> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Some("x86_64-unknown-linux-musl"),
        ("linux", "aarch64") => Some("aarch64-unknown-linux-musl"),
        ("macos", "aarch64") => Some("aarch64-apple-darwin"),
        ("macos", "x86_64") => Some("x86_64-apple-darwin"),
        _ => None,
    }
}

/// A release directory as the release workflow fills it: scripts/release/package.sh's archive
/// of a "build" (the logging wrapper of the binary under test) for this machine's target.
fn packaged_release(tag: &str) -> (PathBuf, String) {
    let target = this_target().expect("a platform with a release binary");
    let dir = std::env::temp_dir().join(format!("pullpath-release-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let build = dir.join("cargo-target").join(target).join("release");
    std::fs::create_dir_all(&build).unwrap();
    let base = stand_ins();
    write_exe(
        &build.join("pullpath"),
        &format!("exec '{}' \"$@\"", base.join("pullpath-wrapper").display()),
    );
    let mut cmd = Command::new("bash");
    cmd.arg(Path::new(ROOT).join("scripts/release/package.sh"))
        .arg(target)
        .arg(dir.join("dist"))
        .env("CARGO_TARGET_DIR", dir.join("cargo-target"));
    let out = output(cmd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let asset = format!("pullpath-{VERSION}-{target}.tar.gz");
    assert!(dir.join("dist").join(&asset).is_file());
    (dir, asset)
}

#[test]
fn source_release_installs_the_packaged_binary_after_checking_its_checksum() {
    let (dir, asset) = packaged_release("ok");
    let sha = std::fs::read_to_string(dir.join("dist").join(format!("{asset}.sha256"))).unwrap();
    assert!(sha.ends_with(&format!("  {asset}\n")), "{sha}");
    let ran = run_action(
        "release",
        Case {
            with: vec![("source", "release"), ("comment", "false")],
            releases: Some(dir.join("dist")),
            ..Case::default()
        },
    );
    let cx = ran.context();
    assert!(
        ran.called(&format!(
            "curl -fsSL --retry 3 -o {}",
            ran.dir
                .join("runner-temp/pullpath-action")
                .join(&asset)
                .display()
        )),
        "{cx}"
    );
    assert!(
        ran.log.iter().any(|l| l.ends_with(&format!(
            "https://github.com/example/pullpath/releases/download/v{VERSION}/{asset}"
        ))),
        "{cx}"
    );
    assert!(ran.output.contains(&format!("pullpath {VERSION}")), "{cx}");
    assert_eq!(step_status(&ran, "Gate"), Some(1), "{cx}");

    // A checksum that does not match: nothing is installed, nothing is checked.
    std::fs::write(
        dir.join("dist").join(format!("{asset}.sha256")),
        format!("{}  {asset}\n", "0".repeat(64)),
    )
    .unwrap();
    let ran = run_action(
        "release-bad",
        Case {
            with: vec![("source", "release")],
            releases: Some(dir.join("dist")),
            ..Case::default()
        },
    );
    assert_eq!(ran.steps.len(), 1, "{}", ran.context());
    assert_eq!(ran.status(), 2);
    assert!(
        ran.output.contains(&format!("{asset}: SHA-256 ")),
        "{}",
        ran.context()
    );
    assert!(!ran.called("pullpath "), "{}", ran.context());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The release binaries the README's install lines download: each names an asset of the
/// current version for a target the release workflow builds, and the line for this machine
/// extracts a working pullpath from the archive package.sh makes.
#[test]
fn the_readme_release_lines_download_what_the_release_workflow_packages() {
    let readme = read("README.md");
    let release = read(".github/workflows/release.yml");
    let run_sh = read("scripts/action/run.sh");
    let re = regex::Regex::new(
        r"https://github\.com/OWNER/pullpath/releases/download/v([0-9.]+)/pullpath-([0-9.]+)-([a-z0-9_-]+)\.(tar\.gz|zip)",
    )
    .unwrap();
    let mut targets = std::collections::BTreeSet::new();
    for c in re.captures_iter(&readme) {
        assert_eq!(&c[1], VERSION, "{}", &c[0]);
        assert_eq!(&c[2], VERSION, "{}", &c[0]);
        let target = c[3].to_string();
        assert_eq!(
            &c[4],
            if target.contains("windows") {
                "zip"
            } else {
                "tar.gz"
            }
        );
        assert!(
            release.contains(&format!("target: {target},")),
            "{target} is not built by release.yml"
        );
        assert!(
            run_sh.contains(&format!("echo {target} ;;")),
            "{target} is not installed by the action"
        );
        targets.insert(target);
    }
    let built: std::collections::BTreeSet<String> = regex::Regex::new(r"\{ target: ([a-z0-9_-]+),")
        .unwrap()
        .captures_iter(&release)
        .map(|c| c[1].to_string())
        .collect();
    assert_eq!(
        targets, built,
        "README install lines vs release.yml binaries"
    );
    for t in ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"] {
        assert!(built.contains(t), "{t}");
    }

    // The line for this machine, with curl serving the packaged archive.
    let Some(target) = this_target() else {
        println!("skipped: no release binary for this platform");
        return;
    };
    let line = readme
        .lines()
        .find(|l| l.starts_with("curl ") && l.contains(target))
        .unwrap();
    let (dir, _) = packaged_release("readme");
    let home = dir.join("home");
    let bin_dir = if line.contains("~/.local/bin") {
        home.join(".local/bin")
    } else {
        // /usr/local/bin in the macOS lines: a directory of the test instead.
        home.join("usr-local-bin")
    };
    std::fs::create_dir_all(&bin_dir).unwrap();
    let line = line.replace("/usr/local/bin", &bin_dir.display().to_string());
    let mut cmd = Command::new("bash");
    cmd.args(["-eo", "pipefail", "-c", &line])
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", stand_ins().join("bin").display()),
        )
        .env("HOME", &home)
        .env("ACTION_LOG", dir.join("log"))
        .env("RELEASES", dir.join("dist"));
    let out = output(cmd);
    assert!(
        out.status.success(),
        "{line}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut cmd = Command::new(bin_dir.join("pullpath"));
    cmd.arg("--version").env("ACTION_LOG", dir.join("log"));
    let out = output(cmd);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("pullpath {VERSION}")
    );
    // Only the binary is extracted.
    let names: Vec<_> = std::fs::read_dir(&bin_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["pullpath"]);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- what the action, the README and the wheel hooks must agree on --------------------------

/// Every input the README's recipe and the example workflow give exists in action.yml, and the
/// README's inputs table lists each input of action.yml with its default.
#[test]
fn the_inputs_of_the_readme_and_the_example_workflow_are_the_actions() {
    let text = read("action.yml");
    let inputs = action_inputs(&text);
    let names: Vec<&str> = inputs.iter().map(|(n, _)| n.as_str()).collect();
    for required in ["input", "source", "fail-on", "comment", "sarif"] {
        assert!(names.contains(&required), "action.yml: input {required}");
    }
    for (k, _) in readme_with() {
        assert!(names.contains(&k.as_str()), "README recipe: input {k}");
    }
    let example = read(".github/workflows/action-example.yml");
    let lines: Vec<&str> = example.lines().collect();
    let at = lines.iter().position(|l| l.trim() == "- uses: ./").unwrap();
    assert_eq!(lines[at + 1].trim(), "with:");
    let mut given = 0;
    for l in &lines[at + 2..] {
        if indent(l) <= indent(lines[at + 1]) {
            break;
        }
        let k = l.trim().split_once(':').unwrap().0;
        assert!(names.contains(&k), "action-example.yml: input {k}");
        given += 1;
    }
    assert!(given >= 5);

    let readme = read("README.md");
    let recipe = readme
        .split("### GitHub Actions: the pullpath action, one step")
        .nth(1)
        .expect("README: the action's recipe");
    let recipe = recipe.split("\n### ").next().unwrap();
    for (name, default) in &inputs {
        let row = recipe
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("README: no row for input {name}"));
        let cell = row.split('|').nth(2).unwrap().trim();
        let shown = cell.trim_matches('`');
        let expected = match default.as_str() {
            "" if name == "version" => "the action's",
            "${{ github.token }}" => "github.token",
            d => d,
        };
        assert_eq!(shown, expected, "README: default of {name}");
    }
}

/// The wheel hooks pin the wheel of this version, and keep the ids and entries of the
/// `language: rust` hooks.
#[test]
fn the_wheel_hooks_pin_this_version_and_match_the_rust_hooks() {
    let setup = read("pre-commit-wheel/setup.py");
    assert!(
        setup.contains(&format!("install_requires=[\"pullpath=={VERSION}\"]")),
        "{setup}"
    );
    let wheel = read("pre-commit-wheel/.pre-commit-hooks.yaml");
    let rust = read(".pre-commit-hooks.yaml");
    let field = |text: &str, key: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.trim().trim_start_matches("- ").strip_prefix(key))
            .map(|v| v.trim().to_string())
            .collect()
    };
    for key in [
        "id:",
        "entry:",
        "files:",
        "exclude:",
        "pass_filenames:",
        "always_run:",
    ] {
        assert_eq!(field(&wheel, key), field(&rust, key), "{key}");
    }
    assert_eq!(field(&wheel, "language:"), ["python", "python"]);
    assert_eq!(field(&rust, "language:"), ["rust", "rust"]);
    let readme = read("README.md");
    let start = readme
        .find("<!-- pre-commit-config-wheel:start -->")
        .unwrap();
    let end = readme.find("<!-- pre-commit-config-wheel:end -->").unwrap();
    let snippet = &readme[start..end];
    assert!(snippet.contains(&format!("rev: v{VERSION}")), "{snippet}");
    assert!(snippet.contains("/pullpath-pre-commit"), "{snippet}");
    assert!(
        read(".github/workflows/release.yml").contains("cp -R pre-commit-wheel/. mirror/"),
        "the release workflow publishes pre-commit-wheel/"
    );
}

/// The wheel's metadata: maturin with `bindings = "bin"`, the name pullpath, the version of
/// Cargo.toml (not written twice).
#[test]
fn pyproject_builds_the_binary_wheel_with_the_cargo_version() {
    let py = read("pyproject.toml");
    for needle in [
        "requires = [\"maturin>=1,<2\"]",
        "build-backend = \"maturin\"",
        "name = \"pullpath\"",
        "dynamic = [\"version\"]",
        "bindings = \"bin\"",
    ] {
        assert!(py.contains(needle), "pyproject.toml: {needle}");
    }
    assert!(
        !py.lines().any(|l| l.starts_with("version")),
        "version comes from Cargo.toml"
    );
}
