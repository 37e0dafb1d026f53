//! `--format gitlab`: a GitLab Code Quality report, the artifact of
//! `artifacts: reports: codequality:` that GitLab shows in the merge request widget (and, in
//! the tiers that have them, in the pipeline's Code Quality tab and the diff).
//!
//! GitLab's format is a subset of the Code Climate issue: a JSON array of objects with
//! `description`, `check_name`, `fingerprint`, `severity` (`info`, `minor`, `major`,
//! `critical` or `blocker`), `location.path` (relative to the repository) and
//! `location.lines.begin`. GitLab keeps one issue per fingerprint (a later one with the same
//! fingerprint replaces the earlier), drops an issue that lacks a required key, and refuses a
//! file that starts with a byte-order mark. What pullpath writes:
//!
//! - **Which findings**: every finding that is not suppressed, failed or not decided, at its
//!   reported severity — as `--format github` annotates them. The gate (`--fail-on`) does not
//!   filter them: the widget shows what was found, the job's exit code whether it stops the
//!   pipeline. Suppressed findings are left out (GitLab has no notion of a suppressed issue; it
//!   would show them as open); `--format json` and `sarif` keep them.
//! - **Severity**: error → `critical` (a task that cannot pull its image does not start),
//!   warning → `minor`, note → `info`. A finding not decided is reported at the severity
//!   `--unknown` gives it (warning → `minor` by default).
//! - **Fingerprint**: from rule, VPC, resource and workload, as SARIF's `partialFingerprints`
//!   (never the line, so an issue keeps its identity when its block moves). Two findings that
//!   share those get the message in theirs too, then their rank, so that every issue of a
//!   report has its own fingerprint and GitLab drops none.
//! - **Location**: the finding's source position (HCL input, or a plan read with its
//!   configuration) when known, else line 1 of the input file it comes from (a plan), or of
//!   [`STDIN_PATH`] for standard input: GitLab requires a path and a line. Paths are relative
//!   to the repository: `$CI_PROJECT_DIR` when set (the checkout in a GitLab job), else the
//!   current directory; a file outside it keeps the path given.
//! - A run that found no workload adds one `info` issue that says so, on its first input: an
//!   empty report would look like a clean one. Inputs that could not be read make the exit code
//!   2 and are in the job's log, not in the report.

use crate::hash::FastMap;
use std::path::{Component, Path, PathBuf};

use serde_json::{json, Value as J};

use super::{title, Report};
use crate::rules::{Finding, Severity, Verdict};

/// The path of issues from standard input (`-`), which has no file.
pub const STDIN_PATH: &str = "stdin";

/// GitLab's severity for a reported severity.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "minor",
        Severity::Note => "info",
    }
}

/// Renders the report. `repo`: the repository's directory (paths are written relative to it);
/// `cwd`: the directory relative input paths are relative to.
pub fn render(r: &Report<'_>, repo: &Path, cwd: &Path) -> String {
    let shown: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .collect();
    let fingerprints = fingerprints(&shown);
    let mut issues: Vec<J> = shown
        .iter()
        .zip(fingerprints)
        .map(|(f, fingerprint)| issue(r, f, fingerprint, repo, cwd))
        .collect();
    if r.net.workloads.is_empty() {
        let path = r
            .model
            .inputs
            .first()
            .map_or_else(|| ".".to_string(), |i| relative(&i.path, repo, cwd));
        issues.push(json!({
            "type": "issue",
            "check_name": "pullpath/no-workload",
            "description": super::visible(&r.no_workload_line()),
            "categories": ["Bug Risk"],
            "fingerprint": hash(&["pullpath/no-workload", &path]),
            "severity": "info",
            "location": { "path": path, "lines": { "begin": 1 } },
        }));
    }
    let mut text = serde_json::to_string_pretty(&J::Array(issues)).unwrap_or_default();
    text.push('\n');
    text
}

fn issue(r: &Report<'_>, f: &Finding, fingerprint: String, repo: &Path, cwd: &Path) -> J {
    let (path, line) = match &f.location {
        Some(l) => (relative(&l.file, repo, cwd), l.line.max(1)),
        None => {
            let input = f
                .input
                .and_then(|i| r.model.inputs.get(i))
                .or_else(|| r.model.inputs.first());
            (
                input.map_or_else(|| ".".to_string(), |i| relative(&i.path, repo, cwd)),
                1,
            )
        }
    };
    let mut description = format!("{}: {}", title(f), super::visible(&f.message));
    if f.verdict == Verdict::Unknown && !description.contains("not decided") {
        description.push_str(" (not decided from the input)");
    }
    let mut out = json!({
        "type": "issue",
        "check_name": format!("pullpath/{}", f.rule.code),
        "description": description,
        "categories": [category(f.rule.code)],
        "fingerprint": fingerprint,
        "severity": severity(f.severity),
        "location": { "path": path, "lines": { "begin": line } },
    });
    // Code Climate's `content.body` (markdown): the path and the fix, for viewers that show it
    // (GitLab reads the keys above only).
    let mut body = String::new();
    if !f.path.is_empty() {
        let hops = crate::rules::evidence::names(&f.path);
        body.push_str(&super::markdown::text(&format!(
            "Path: {}",
            hops.join(" → ")
        )));
    }
    if !f.fix.is_empty() {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        let fix = super::markdown::fix_markdown(&f.fix);
        let sep = if fix.starts_with('\n') { "" } else { " " };
        body.push_str(&format!("**Fix:**{sep}{}", fix.trim_end()));
    }
    if !body.is_empty() {
        out["content"] = json!({ "body": body });
    }
    out
}

/// Code Climate's category (GitLab ignores it; other Code Climate readers group by it): NAT
/// charges are performance, an unused suppression is style, the rest keeps workloads from
/// starting.
fn category(code: &str) -> &'static str {
    match code {
        "PP110" => "Performance",
        "PP902" => "Style",
        _ => "Bug Risk",
    }
}

/// One fingerprint per finding, all different: rule, VPC, resource and workload (SARIF's), then
/// with the message where two share those, then with the rank where two share the message too.
fn fingerprints(findings: &[&Finding]) -> Vec<String> {
    let base: Vec<String> = findings
        .iter()
        .map(|f| super::sarif::fingerprint(f))
        .collect();
    let mut count: FastMap<&str, usize> = FastMap::default();
    for b in &base {
        *count.entry(b.as_str()).or_default() += 1;
    }
    let with_message: Vec<String> = findings
        .iter()
        .zip(&base)
        .map(|(f, b)| {
            if count[b.as_str()] > 1 {
                hash(&[b, &f.message])
            } else {
                b.clone()
            }
        })
        .collect();
    let mut seen: FastMap<&str, usize> = FastMap::default();
    with_message
        .iter()
        .map(|fp| {
            let n = seen.entry(fp.as_str()).or_default();
            *n += 1;
            if *n == 1 {
                fp.clone()
            } else {
                hash(&[fp, &n.to_string()])
            }
        })
        .collect()
}

/// FNV-1a (64 bits) of the parts, each followed by a 0 byte: written out so that it never
/// changes with the Rust version (GitLab matches issues across pipelines by it).
fn hash(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// A path as GitLab wants it: relative to the repository, with `/`. Standard input is
/// [`STDIN_PATH`]; a file outside the repository keeps the path given.
pub fn relative(path: &str, repo: &Path, cwd: &Path) -> String {
    if path == "-" {
        return STDIN_PATH.to_string();
    }
    let given = path.replace('\\', "/");
    let absolute = normalize(&cwd.join(Path::new(path)));
    match absolute.strip_prefix(normalize(repo)) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => given
            .strip_prefix("./")
            .map(str::to_string)
            .unwrap_or(given),
    }
}

/// `a/./b/../c` -> `a/c`, without reading the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The repository directory of a run: `$CI_PROJECT_DIR` (GitLab's checkout) when it is set to
/// an absolute path, else `cwd`.
pub fn repository_dir(cwd: &Path) -> PathBuf {
    match std::env::var_os("CI_PROJECT_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        _ => cwd.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;

    #[test]
    fn paths_are_relative_to_the_repository() {
        let repo = Path::new("/builds/acme/infra");
        let cwd = Path::new("/builds/acme/infra/envs/prod");
        assert_eq!(relative("main.tf", repo, cwd), "envs/prod/main.tf");
        assert_eq!(relative("./plan.json", repo, cwd), "envs/prod/plan.json");
        assert_eq!(relative("../../modules/x.tf", repo, cwd), "modules/x.tf");
        assert_eq!(relative("/builds/acme/infra/a b.tf", repo, cwd), "a b.tf");
        assert_eq!(relative("/tmp/plan.json", repo, cwd), "/tmp/plan.json");
        assert_eq!(relative("-", repo, cwd), "stdin");
        assert_eq!(relative(".", repo, repo), ".");
    }

    #[test]
    fn fingerprints_are_unique_and_ignore_lines() {
        let rule = rules::find("PP401").unwrap();
        let a = Finding::fail(rule, "aws_vpc_endpoint.s3", "one");
        let b = Finding::fail(rule, "aws_vpc_endpoint.s3", "two");
        let c = Finding::fail(rule, "aws_vpc_endpoint.s3", "two");
        let d = Finding::fail(rule, "aws_vpc_endpoint.s4", "one");
        let fps = fingerprints(&[&a, &b, &c, &d]);
        let unique: crate::hash::FastSet<&String> = fps.iter().collect();
        assert_eq!(unique.len(), 4, "{fps:?}");
        // A finding alone keeps SARIF's fingerprint, whatever its message or line.
        assert_eq!(fps[3], crate::report::sarif::fingerprint(&d));
        let moved = Finding::fail(rule, "aws_vpc_endpoint.s3", "one").at(
            Some(crate::model::Location {
                file: "a.tf".into(),
                line: 40,
                column: 1,
            }),
            Some(0),
        );
        assert_eq!(fingerprints(&[&moved, &b, &c, &d]), fps);
    }

    #[test]
    fn severities_are_gitlab_s() {
        assert_eq!(severity(Severity::Error), "critical");
        assert_eq!(severity(Severity::Warning), "minor");
        assert_eq!(severity(Severity::Note), "info");
    }
}
