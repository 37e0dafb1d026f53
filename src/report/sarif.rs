//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning takes it (`upload-sarif`).
//!
//! One run; every rule of the catalog in `tool.driver.rules` (so `ruleIndex` is stable across
//! runs), with its documentation as help. Each finding is a result with:
//! - a physical location: the HCL source when known, else the input file itself at line 1
//!   (GitHub rejects results without a file, and a plan finding has no `.tf` position), or
//!   for standard input the placeholder artifact [`STDIN_ARTIFACT`];
//! - the resource address as a logical location, always;
//! - the other hops of its path as related locations, and for a resource inside a module the
//!   root module's call of that module;
//! - `partialFingerprints` from rule, VPC, resource and workload — addresses, never lines, so
//!   that an alert survives edits that move the block;
//! - `properties.security-severity`, which GitHub uses to rank alerts;
//! - `suppressions` when suppressed (`inSource` for comments, `external` for `.pullpath.hcl`).
//!
//! The types are written here with serde_json rather than taken from a crate: the subset used
//! is small, and the output is checked against the official schema in the tests.

use crate::hash::FastMap;
use std::borrow::Cow;
use std::path::Path;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value as J};

use super::Report;
use crate::model::{Location, Resource};
use crate::rules::evidence::names;
use crate::rules::{self, Finding, Hop, Rule, Severity, Verdict};

/// The base that relative artifact URIs are resolved against.
const SRCROOT: &str = "%SRCROOT%";

/// The placeholder artifact of an input read from standard input (`-`): GitHub code scanning
/// refuses a result without a file, and standard input has none. Results of that input point
/// at line 1 of `stdin` (relative to `%SRCROOT%`), which `run.artifacts[0]` describes.
pub const STDIN_ARTIFACT: &str = "stdin";

/// Renders the report. `root` is the directory pullpath runs in: file paths are written
/// relative to it, and it is recorded as `%SRCROOT%`.
pub fn render(r: &Report<'_>, root: &Path) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only if serialization does, which it cannot for a `Value`.
    let _ = render_to(r, root, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`], written to `w` as it is serialized (the text is never held whole in memory).
pub fn render_to(r: &Report<'_>, root: &Path, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let root_uri = dir_uri(root);
    // By the names findings give them (with their root's in a run of several).
    let resources: FastMap<Cow<'_, str>, &Resource> = r
        .model
        .resources
        .iter()
        .map(|x| (r.model.name_of(x), x))
        .collect();
    let mut notifications: Vec<J> = r
        .errors
        .iter()
        .map(|e| json!({ "level": "error", "message": { "text": e } }))
        .collect();
    // What could not be expanded or read changes verdicts: code scanning shows these on the
    // analysis, where a reviewer of the alerts looks for why one is missing.
    for m in r.not_expanded() {
        notifications.push(json!({
            "level": "warning",
            "message": { "text": format!("{m}: could not be expanded; it is checked as one instance that may exist, and a verdict that depends on it is unknown") },
        }));
    }
    for n in r.input_notes() {
        notifications.push(json!({ "level": "note", "message": { "text": n } }));
    }
    let mut invocation = json!({
        "executionSuccessful": r.errors.is_empty(),
        "exitCode": r.exit_code(),
    });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = J::Array(notifications);
    }
    let mut out = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pullpath",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/pullpath/pullpath",
                    "rules": rules::ALL.iter().map(|rule| descriptor(rule)).collect::<Vec<_>>(),
                }
            },
            "originalUriBaseIds": {
                SRCROOT: {
                    "uri": root_uri,
                    "description": { "text": "The directory pullpath ran in; file paths are relative to it." },
                }
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            // Made one at a time as they are written (see `Results`).
            "results": [],
        }]
    });
    if r.model.inputs.iter().any(|i| i.path == "-") {
        out["runs"][0]["artifacts"] = json!([{
            "location": { "uri": STDIN_ARTIFACT, "uriBaseId": SRCROOT },
            "description": { "text": "The plan or state read from standard input (`-`): no file holds it, so its results point at line 1 of this placeholder." },
            "roles": ["analysisTarget"],
        }]);
    }
    let results = Results {
        r,
        root,
        resources: &resources,
    };
    let mut ser = serde_json::Serializer::pretty(&mut *w);
    Streamed {
        value: &out,
        depth: 0,
        results: &results,
    }
    .serialize(&mut ser)?;
    w.write_all(b"\n")
}

/// The document, written as its `Value` would be, except that `runs[0].results` (the one
/// large part) is made a result at a time as it is written, never held whole.
struct Streamed<'a> {
    value: &'a J,
    /// 0: the document, 1: `runs`, 2: the run.
    depth: u8,
    results: &'a Results<'a>,
}

impl Serialize for Streamed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let inner = |value| Streamed {
            value,
            depth: self.depth + 1,
            results: self.results,
        };
        match (self.depth, self.value) {
            (0, J::Object(m)) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    if k == "runs" {
                        map.serialize_entry(k, &inner(v))?;
                    } else {
                        map.serialize_entry(k, v)?;
                    }
                }
                map.end()
            }
            (1, J::Array(runs)) => s.collect_seq(runs.iter().map(inner)),
            (2, J::Object(m)) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    if k == "results" {
                        map.serialize_entry(k, self.results)?;
                    } else {
                        map.serialize_entry(k, v)?;
                    }
                }
                map.end()
            }
            (_, v) => v.serialize(s),
        }
    }
}

/// The results of the run, one per finding.
struct Results<'a> {
    r: &'a Report<'a>,
    root: &'a Path,
    resources: &'a FastMap<Cow<'a, str>, &'a Resource>,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.r
                .findings
                .iter()
                .map(|f| result(self.r, f, self.root, self.resources)),
        )
    }
}

/// GitHub's `security-severity`: a CVSS-like score that ranks alerts (critical ≥ 9.0,
/// high ≥ 7.0, medium ≥ 4.0, low below).
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Note => "2.0",
    }
}

fn level(s: Severity) -> &'static str {
    s.as_str()
}

fn descriptor(rule: &Rule) -> J {
    let doc = rule.doc();
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": plain_text(&sentence(rule.summary)) },
        "fullDescription": { "text": plain_text(&section(&doc, "What it does").unwrap_or_else(|| sentence(rule.summary))) },
        "help": { "text": plain_text(&doc), "markdown": doc },
        "helpUri": rule.help_uri(),
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": ["security", "terraform", "aws", "ecr", "vpc-endpoint"],
            "precision": "high",
            "problem.severity": rule.severity.as_str(),
            "security-severity": security_severity(rule.severity),
        }
    })
}

/// `a summary` -> `A summary.`
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    let mut out: String = match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// The text of a `## Heading` section of a rule's documentation, joined into one paragraph.
fn section(doc: &str, heading: &str) -> Option<String> {
    let start = doc.find(&format!("## {heading}\n"))? + heading.len() + 4;
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    let text = rest[..end].split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The rule documentation's markdown as plain text, for SARIF's `text` properties (which a
/// viewer shows as they are): a heading is its words on a line of its own, fenced code is
/// indented by four spaces without its fences, and inline code, emphasis and links lose their
/// marks (a link keeps its address in parentheses). Lists and paragraphs stay as written.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    // A code span may go on over a line break, never past a paragraph.
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            in_code = false;
            continue;
        }
        if in_fence {
            if !line.is_empty() {
                out.push_str("    ");
                out.push_str(line);
            }
        } else if let Some(heading) = heading_text(line) {
            out.push_str(heading);
            in_code = false;
        } else if line.trim().is_empty() {
            in_code = false;
        } else {
            out.push_str(&plain_inline(line, &mut in_code));
        }
        out.push('\n');
    }
    if !markdown.ends_with('\n') {
        out.pop();
    }
    out
}

/// The words of an ATX heading (`## How to fix`), or `None`.
fn heading_text(line: &str) -> Option<&str> {
    let hashes = line.len() - line.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    (rest.is_empty() || rest.starts_with(' ')).then(|| rest.trim())
}

/// One line without inline marks: code spans keep their text verbatim (an ARN's `/*` is not
/// emphasis), and outside them `**`/`*` emphasis and `[text](url)` links are undone.
/// `in_code`: whether the line starts inside a code span, and after it whether it ends in one.
fn plain_inline(line: &str, in_code: &mut bool) -> String {
    static EMPHASIS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static LINK: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let emphasis = EMPHASIS.get_or_init(|| {
        regex::Regex::new(r"\*\*([^*\s](?:[^*]*[^*\s])?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*")
            .expect("a valid pattern")
    });
    let link = LINK
        .get_or_init(|| regex::Regex::new(r"\[([^\]]+)\]\(([^)\s]+)\)").expect("a valid pattern"));
    let mut out = String::with_capacity(line.len());
    for (i, piece) in line.split('`').enumerate() {
        if i > 0 {
            *in_code = !*in_code;
        }
        if *in_code {
            out.push_str(piece);
        } else {
            let piece = link.replace_all(piece, "$1 ($2)");
            out.push_str(&emphasis.replace_all(&piece, "$1$2"));
        }
    }
    out
}

fn result(
    r: &Report<'_>,
    f: &Finding,
    root: &Path,
    resources: &FastMap<Cow<'_, str>, &Resource>,
) -> J {
    let index = rules::ALL
        .iter()
        .position(|x| std::ptr::eq(*x, f.rule))
        .unwrap_or(0);
    let mut location = Map::new();
    if let Some(physical) = physical(r, f, root) {
        location.insert("physicalLocation".into(), physical);
    }
    location.insert(
        "logicalLocations".into(),
        json!([{ "fullyQualifiedName": f.resource, "kind": "resource" }]),
    );
    let mut related: Vec<J> = f
        .path
        .iter()
        .filter(|hop| !matches!(hop, Hop::Missing(_)))
        .map(ToString::to_string)
        .filter(|hop| *hop != f.resource)
        .enumerate()
        .map(|(i, hop)| {
            let mut loc = json!({
                "id": i + 1,
                "message": { "text": format!("hop of the pull path: {hop}") },
            });
            if let Some(res) = resources.get(hop.as_str()) {
                loc["logicalLocations"] =
                    json!([{ "fullyQualifiedName": hop, "kind": "resource" }]);
                if let Some(l) = res.location() {
                    loc["physicalLocation"] = region(&artifact(&l.file, root), l);
                }
            }
            loc
        })
        .collect();
    if let (Some(call), Some(_)) = (&f.module_call, &f.location) {
        // The root module's call of the module the resource is in: where its inputs are set.
        let what = f.module_label();
        related.push(json!({
            "id": related.len() + 1,
            "message": { "text": format!("{what} is called here") },
            "physicalLocation": region(&artifact(&call.file, root), call),
        }));
    }
    let mut text = f.message.clone();
    if f.verdict == Verdict::Unknown && !text.contains("not decided") {
        text.push_str(" (not decided from the input)");
    }
    if !f.path.is_empty() {
        text.push_str(&format!("\nPath: {}", names(&f.path).join(" → ")));
    }
    // GitHub renders this as markdown in the code-scanning alert: the input text in it is
    // escaped as in the PR comment (no HTML, links, mentions or emphasis from the input).
    let mut markdown = super::markdown::text(&text);
    if !f.fix.is_empty() {
        let fix = super::markdown::fix_markdown(&f.fix);
        let sep = if fix.starts_with('\n') { "" } else { " " };
        markdown.push_str(&format!("\n\n**Fix:**{sep}{}", fix.trim_end()));
    }
    let mut properties = json!({
        "security-severity": security_severity(f.severity),
        "verdict": f.verdict.as_str(),
        "path": crate::rules::evidence::names(&f.path),
    });
    for (key, value) in [
        ("vpc", f.vpc.clone()),
        ("workload", f.workload.clone()),
        ("fix", (!f.fix.is_empty()).then(|| f.fix.clone())),
    ] {
        if let Some(v) = value {
            properties[key] = J::String(v);
        }
    }
    if let Some(new) = f.introduced {
        properties["introduced"] = J::Bool(new);
    }
    let mut out = json!({
        "ruleId": f.rule.code,
        "ruleIndex": index,
        "level": level(f.severity),
        "message": { "text": text, "markdown": markdown },
        "locations": [J::Object(location)],
        "partialFingerprints": { "pullpath/v1": fingerprint(f) },
        "properties": properties,
    });
    if !related.is_empty() {
        out["relatedLocations"] = J::Array(related);
    }
    if let Some(s) = &f.suppressed {
        out["suppressions"] = json!([{
            "kind": if s.in_source { "inSource" } else { "external" },
            "status": "accepted",
            "justification": s.reason,
        }]);
    }
    out
}

/// Where a finding points: its source position, else its input file at line 1.
fn physical(r: &Report<'_>, f: &Finding, root: &Path) -> Option<J> {
    if let Some(l) = &f.location {
        return Some(region(&artifact(&l.file, root), l));
    }
    let input = f
        .input
        .and_then(|i| r.model.inputs.get(i))
        .or_else(|| r.model.inputs.first())?;
    if input.path == "-" {
        return Some(json!({
            "artifactLocation": { "uri": STDIN_ARTIFACT, "uriBaseId": SRCROOT, "index": 0 },
            "region": { "startLine": 1 },
        }));
    }
    Some(json!({
        "artifactLocation": artifact(&input.path, root),
        "region": { "startLine": 1 },
    }))
}

fn region(artifact: &J, l: &Location) -> J {
    json!({
        "artifactLocation": artifact,
        "region": { "startLine": l.line.max(1), "startColumn": l.column.max(1) },
    })
}

/// An artifact location: relative to `%SRCROOT%` when the file is under the root (or the
/// path is relative), else an absolute `file://` URI.
fn artifact(path: &str, root: &Path) -> J {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/') || path.get(1..3) == Some(":/");
    if absolute {
        let root = root.to_string_lossy().replace('\\', "/");
        let root = root.trim_end_matches('/');
        if let Some(rel) = path
            .strip_prefix(root)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            return json!({ "uri": encode(rel), "uriBaseId": SRCROOT });
        }
        let lead = if path.starts_with('/') { "" } else { "/" };
        return json!({ "uri": format!("file://{lead}{}", encode(&path)) });
    }
    let rel = path.trim_start_matches("./");
    json!({ "uri": encode(rel), "uriBaseId": SRCROOT })
}

/// The root directory as a `file://` URI ending in `/`.
fn dir_uri(root: &Path) -> String {
    let p = root.to_string_lossy().replace('\\', "/");
    let lead = if p.starts_with('/') { "" } else { "/" };
    let mut uri = format!("file://{lead}{}", encode(&p));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encodes what may not appear in a URI path (RFC 3986), keeping `/`.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b':'
            | b'@'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'=' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A stable hash of what identifies a finding across runs: rule, VPC, resource and workload
/// (FNV-1a, 64 bits; written out so that it never changes with the Rust version).
pub fn fingerprint(f: &Finding) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let parts = [
        f.rule.code,
        f.vpc.as_deref().unwrap_or(""),
        f.resource.as_str(),
        f.workload.as_deref().unwrap_or(""),
    ];
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_the_root() {
        let root = Path::new("/work/repo");
        assert_eq!(
            artifact("infra/main.tf", root),
            json!({ "uri": "infra/main.tf", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact("./plan.json", root),
            json!({ "uri": "plan.json", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact("/work/repo/infra/my plan.json", root),
            json!({ "uri": "infra/my%20plan.json", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact("/tmp/plan.json", root),
            json!({ "uri": "file:///tmp/plan.json" })
        );
        assert_eq!(
            artifact("C:\\a\\plan.json", root),
            json!({ "uri": "file:///C:/a/plan.json" })
        );
        assert_eq!(dir_uri(root), "file:///work/repo/");
        assert_eq!(encode("a[0]/b\"c\""), "a%5B0%5D/b%22c%22");
    }

    #[test]
    fn fingerprints_ignore_lines_and_messages() {
        let rule = rules::find("PP401").unwrap();
        let a = Finding::fail(rule, "aws_vpc_endpoint.s3", "one").at(
            Some(Location {
                file: "a.tf".into(),
                line: 3,
                column: 1,
            }),
            Some(0),
        );
        let mut b = Finding::fail(rule, "aws_vpc_endpoint.s3", "two");
        assert_eq!(fingerprint(&a), fingerprint(&b));
        b.resource = "aws_vpc_endpoint.s4".into();
        assert_ne!(fingerprint(&a), fingerprint(&b));
        // A known value: the hash must not change between releases (GitHub matches alerts by it).
        assert_eq!(fingerprint(&a), "852eaf87570f79a9");
    }

    #[test]
    fn plain_text_drops_the_marks_and_keeps_the_words() {
        let md = "## What it does\nChecks `s3:GetObject` on `arn:aws:s3:::b/*` **even with NAT**, \
                  an *Interface* one, see [the guide](https://example.com/x).\n\n\
                  ## Example\n```hcl\nresource \"a\" \"b\" {\n\n  x = 1\n}\n```\n- a list item\n";
        assert_eq!(
            plain_text(md),
            "What it does\nChecks s3:GetObject on arn:aws:s3:::b/* even with NAT, an Interface \
             one, see the guide (https://example.com/x).\n\nExample\n    resource \"a\" \"b\" {\n\n    \
             \x20 x = 1\n    }\n- a list item\n"
        );
        assert_eq!(plain_text("a * b * c"), "a * b * c");
        // A code span over a line break keeps its `*`.
        assert_eq!(
            plain_text("fails at `docker push *a\nb*` and *c*\n\n`d"),
            "fails at docker push *a\nb* and c\n\nd"
        );
        assert_eq!(heading_text("#hashtag"), None);
    }

    #[test]
    fn rule_sections() {
        let rule = rules::find("PP401").unwrap();
        let what = section(&rule.doc(), "What it does").unwrap();
        assert!(what.starts_with("Evaluates the policy of the S3 gateway endpoint"));
        assert!(!what.contains('\n'));
        assert_eq!(sentence("a thing"), "A thing.");
    }
}
