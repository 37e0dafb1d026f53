//! The report formats, for four runs: a clean plan, the seed incident, a plan that fails every
//! rule at least once, and a plan with unknown verdicts and suppressions. Each format has an
//! insta snapshot per run (in `snapshots/reports/`); the SARIF output is validated against the
//! official schema, the JUnit output parsed as XML, and the markdown comment parsed as
//! Markdown to check its structure.
//!
//! The plans are made by `testdata/reports/make_plans.py`.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

#[path = "support/skip.rs"]
mod skip;
#[path = "reports/xsd.rs"]
mod xsd;

use clap::Parser;
use pullpath::check::evaluate;
use pullpath::cli::{CheckArgs, Cli, Command, Format};
use pullpath::config::Date;
use pullpath::graph;
use pullpath::input;
use pullpath::model::{InlineSuppression, Location, Model};
use pullpath::report::{self, markdown, Report};
use pullpath::rules::{self, Severity, Verdict};
use pullpath::settings::{read_options, Settings as CheckSettings};

/// The runs every format is snapshotted for: (name, command-line arguments of `check`, the HCL
/// file whose `pullpath:ignore` comments apply to the plan's resources).
const RUNS: &[(&str, &[&str], Option<&str>)] = &[
    ("clean", &["testdata/reports/clean.json"], None),
    (
        "seed_incident",
        &["testdata/reports/seed-incident.json"],
        None,
    ),
    (
        "many_rules",
        &[
            "testdata/reports/many-rules.json",
            // The IAM rules (PP405, PP406) are independent of any VPC: their fixtures join in.
            "testdata/plans/ecr-push-permissions-incomplete/fail-partial-layer-upload.json",
            "testdata/plans/ecr-public-private-prefix-mixup/fail-public-actions-on-private.json",
            "--config",
            "testdata/reports/many-rules.pullpath.hcl",
        ],
        None,
    ),
    (
        "unknown_suppressed",
        &[
            "testdata/reports/unknown.json",
            "--config",
            "testdata/reports/unknown.pullpath.hcl",
        ],
        Some("testdata/reports/unknown/main.tf"),
    ),
];

const FORMATS: &[(&str, Format)] = &[
    ("text", Format::Text),
    ("json", Format::Json),
    ("sarif", Format::Sarif),
    ("markdown", Format::Markdown),
    ("github", Format::Github),
    ("gitlab", Format::Gitlab),
    ("junit", Format::Junit),
];

fn run_args(name: &str) -> (&'static [&'static str], Option<&'static str>) {
    let (_, args, inline) = RUNS
        .iter()
        .find(|(n, _, _)| *n == name)
        .expect("a run of RUNS");
    (args, *inline)
}

fn check_args(args: &[&str]) -> CheckArgs {
    let mut argv = vec!["pullpath", "check", "--color", "never"];
    argv.extend_from_slice(args);
    match Cli::try_parse_from(argv).expect("valid arguments").command {
        Command::Check(a) => a,
        _ => unreachable!(),
    }
}

/// Runs `check` as the binary does, with today fixed at 2026-01-01 and the inline
/// suppressions of `inline` attached to the plan's resources, and hands the report to `f`.
fn with_report<T>(args: &[&str], inline: Option<&str>, f: impl FnOnce(&Report<'_>) -> T) -> T {
    let args = check_args(args);
    let mut settings = CheckSettings::new(&args).expect("settings");
    settings.today = Date::parse("2026-01-01").unwrap();
    let (mut model, errors) = input::read_all(&args.input.inputs, &read_options(&args.input));
    assert!(
        errors.is_empty(),
        "{:?}",
        errors
            .iter()
            .map(|e| format!("{:#}", e.error))
            .collect::<Vec<_>>()
    );
    if let Some(path) = inline {
        attach_inline_suppressions(&mut model, path);
    }
    let net = graph::build(&model, &settings.build);
    let findings = evaluate(&model, &net, &settings);
    let report = Report {
        model: &model,
        net: &net,
        findings,
        errors: Vec::new(),
        fail_on: settings.fail_on,
        fail_on_new_only: settings.fail_on_new_only,
        strict: settings.mode == rules::Mode::Strict,
        rules: settings.rules.clone(),
        by_vpc: Default::default(),
        routes_undecided: Default::default(),
    };
    f(&report)
}

/// Renders like the binary; SARIF with a fixed root so that snapshots do not depend on where
/// the repository is checked out.
fn render(r: &Report<'_>, format: Format) -> String {
    match format {
        Format::Sarif => report::sarif::render(r, Path::new("/repo")),
        Format::Gitlab => report::gitlab::render(r, Path::new("/repo"), Path::new("/repo")),
        other => pullpath::app::render(r, other, false).unwrap(),
    }
}

fn output(run: &str, format: Format) -> String {
    let (args, inline) = run_args(run);
    with_report(args, inline, |r| render(r, format))
}

/// What the HCL reader does with `# pullpath:ignore=…` comments directly above a block,
/// reduced to this fixture: attaches them to the plan resource with the block's address.
fn attach_inline_suppressions(model: &mut Model, path: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line.find("# pullpath:ignore=") else {
            continue;
        };
        let rest = &line[at + "# pullpath:ignore=".len()..];
        let (codes, reason) = rest.split_once(' ').unwrap_or((rest, ""));
        let block = lines[i + 1..]
            .iter()
            .find(|l| !l.trim_start().starts_with('#'))
            .expect("a block below the comment");
        let mut words = block.split('"');
        let (_, rtype, _, name) = (words.next(), words.next(), words.next(), words.next());
        let address = format!("{}.{}", rtype.unwrap(), name.unwrap());
        let r = model
            .resources
            .iter_mut()
            .find(|r| r.address == address)
            .unwrap_or_else(|| panic!("{address} is not in the plan"));
        r.source_mut().suppressions.push(InlineSuppression {
            codes: codes.split(',').map(|c| c.trim().to_string()).collect(),
            reason: reason.trim().to_string(),
            location: Location {
                file: path.to_string(),
                line: i as u32 + 1,
                column: at as u32 + 1,
            },
        });
    }
}

fn snapshot(run: &str) {
    for (format_name, format) in FORMATS {
        let out = output(run, *format);
        insta::with_settings!({
            snapshot_path => "../snapshots/reports",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("pullpath check --format {format_name} ({run})"),
        }, {
            insta::assert_snapshot!(format!("{format_name}__{run}"), out);
        });
    }
}

#[test]
fn snapshots_of_a_clean_run() {
    snapshot("clean");
}

#[test]
fn snapshots_of_the_seed_incident() {
    snapshot("seed_incident");
}

#[test]
fn snapshots_of_a_run_that_fails_every_rule() {
    snapshot("many_rules");
}

#[test]
fn snapshots_of_a_run_with_unknown_verdicts_and_suppressions() {
    snapshot("unknown_suppressed");
}

// The runs are what their names say ----------------------------------------------------------

#[test]
fn the_runs_cover_what_they_claim() {
    let (args, _) = run_args("clean");
    with_report(args, None, |r| {
        assert!(r.findings.is_empty(), "{:#?}", r.findings);
        assert_eq!(r.exit_code(), 0);
        assert_eq!(r.summary().workloads, 1);
    });
    let (args, _) = run_args("seed_incident");
    with_report(args, None, |r| {
        let codes: Vec<&str> = r.findings.iter().map(|f| f.rule.code).collect();
        assert_eq!(codes, ["PP401"]);
        assert_eq!(r.findings[0].introduced, Some(true));
        assert_eq!(r.exit_code(), 1);
    });
    let (args, _) = run_args("many_rules");
    with_report(args, None, |r| {
        for rule in rules::ALL {
            assert!(
                r.findings
                    .iter()
                    .any(|f| std::ptr::eq(f.rule, *rule) && f.verdict == Verdict::Fail),
                "{} does not fail in the many-rules run",
                rule.code
            );
        }
    });
    let (args, inline) = run_args("unknown_suppressed");
    with_report(args, inline, |r| {
        assert!(r
            .findings
            .iter()
            .any(|f| f.verdict == Verdict::Unknown && f.suppressed.is_none()));
        let suppressed: Vec<(&str, bool)> = r
            .findings
            .iter()
            .filter_map(|f| f.suppressed.as_ref().map(|s| (f.rule.code, s.in_source)))
            .collect();
        assert_eq!(suppressed, [("PP401", true), ("PP403", false)]);
        let notes: Vec<&str> = r
            .findings
            .iter()
            .filter(|f| f.rule.code == "PP902")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(notes.len(), 5, "{notes:#?}");
        assert!(notes.iter().any(|m| m.contains("expired on 2025-12-31")));
        assert!(notes.iter().any(|m| m
            .contains("`pullpath:ignore=PP502` on aws_security_group.app_tasks gives no reason")));
        assert!(notes
            .iter()
            .any(|m| m.contains("`pullpath:ignore=PP202` on aws_vpc.app matches no finding")));
        assert!(notes
            .iter()
            .any(|m| m.contains("for PP501 on every resource") && m.contains("gives no reason")));
        assert!(notes
            .iter()
            .any(|m| m.contains("for PP110, PP109 on module.network.*")
                && m.contains("matches no finding")));
        // The expired suppression no longer applies: its finding is reported.
        assert!(r
            .findings
            .iter()
            .any(|f| f.rule.code == "PP105" && f.suppressed.is_none()));
    });
}

// SARIF ---------------------------------------------------------------------------------------

/// The SARIF 2.1.0 schema from the shared folder next to the repository, or `None` (with a
/// message) in a clone without it.
fn sarif_validator() -> Option<jsonschema::Validator> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/sarif-schema-2.1.0.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        skip::skipped(&format!(
            "the SARIF schema is not at {} (it comes with the project's shared folder, not with the repository)",
            path.display()
        ));
        return None;
    };
    let mut schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The published schema's patterns for `language` have a stray `]`, which ECMA-262
    // regexes take literally and Rust's reject, so the schema would not compile. Their intent
    // (a language tag such as `en` or `en-US`) is restored; pullpath writes no `language`.
    fn fix_language_patterns(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if key == "pattern" && value == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                        *value = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
                    } else {
                        fix_language_patterns(value);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(fix_language_patterns),
            _ => {}
        }
    }
    fix_language_patterns(&mut schema);
    /// The schema is complete in itself: any attempt to fetch a `$ref` or `$schema` URL is
    /// a failure, never a network request.
    struct NoNetwork;
    impl jsonschema::Retrieve for NoNetwork {
        fn retrieve(
            &self,
            uri: &jsonschema::Uri<String>,
        ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
            Err(format!("the tests fetch nothing; the schema refers to {uri}").into())
        }
    }
    Some(
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .with_retriever(NoNetwork)
            .build(&schema)
            .expect("the SARIF schema compiles offline"),
    )
}

fn schema_errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The content of a snapshot file, without insta's header.
fn snapshot_body(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let rest = text.strip_prefix("---\n").expect("an insta header");
    let end = rest.find("\n---\n").expect("the end of the header");
    rest[end + 5..].to_string()
}

fn snapshot_files(format: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/reports");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{format}__")) && n.ends_with(".snap"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn sarif_snapshots_validate_against_the_schema() {
    let Some(validator) = sarif_validator() else {
        return;
    };
    let files = snapshot_files("sarif");
    assert_eq!(
        files.len(),
        RUNS.len(),
        "one SARIF snapshot per run: {files:?}"
    );
    for path in files {
        let doc: serde_json::Value = serde_json::from_str(&snapshot_body(&path)).unwrap();
        let errors = schema_errors(&validator, &doc);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
    // And what the code renders now (the snapshot test compares the two).
    for (run, _, _) in RUNS {
        let doc: serde_json::Value = serde_json::from_str(&output(run, Format::Sarif)).unwrap();
        assert!(schema_errors(&validator, &doc).is_empty(), "{run}");
    }
}

#[test]
fn sarif_of_plans_with_their_source_validates_against_the_schema() {
    // The `.tf` locations a plan gets from its source, and the module call of findings inside
    // a registry module as a related location (testdata/plan-source/).
    let Some(validator) = sarif_validator() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("snapshots/plan_source");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with("-sarif.snap") {
            continue;
        }
        // The snapshots write the checkout's directory as `[ROOT]`.
        let body = snapshot_body(&path).replace("file://[ROOT]/", "file:///checkout/");
        let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
        let errors = schema_errors(&validator, &doc);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        n += 1;
    }
    assert!(n >= 12, "{n} SARIF snapshots in {}", dir.display());
}

#[test]
fn the_sarif_validation_can_fail() {
    let Some(validator) = sarif_validator() else {
        return;
    };
    let mut doc: serde_json::Value =
        serde_json::from_str(&output("seed_incident", Format::Sarif)).unwrap();
    doc["runs"][0]["results"][0]["level"] = "fatal".into();
    doc["runs"][0]["results"][0]["suppressions"] = serde_json::json!([{ "kind": "inline" }]);
    assert_eq!(schema_errors(&validator, &doc).len(), 2);
}

#[test]
fn sarif_results_carry_what_github_needs() {
    let doc: serde_json::Value =
        serde_json::from_str(&output("unknown_suppressed", Format::Sarif)).unwrap();
    let run = &doc["runs"][0];
    let rules_json = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules_json.len(), rules::ALL.len());
    for rule in rules_json {
        for key in [
            "shortDescription",
            "fullDescription",
            "help",
            "helpUri",
            "defaultConfiguration",
        ] {
            assert!(!rule[key].is_null(), "{key} of {}", rule["id"]);
        }
        assert!(rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## How to fix"));
    }
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules_json[index]["id"], result["ruleId"]);
        let location = &result["locations"][0];
        assert!(location["physicalLocation"]["artifactLocation"]["uri"].is_string());
        assert!(
            location["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
        assert!(location["logicalLocations"][0]["fullyQualifiedName"].is_string());
        assert_eq!(
            result["partialFingerprints"]["pullpath/v1"]
                .as_str()
                .unwrap()
                .len(),
            16
        );
        assert!(result["properties"]["security-severity"].is_string());
    }
    let suppressed: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["suppressions"][0]["kind"].as_str())
        .collect();
    assert_eq!(suppressed, ["inSource", "external"]);
    // A plan finding points at the plan file, line 1; a config note at the config line.
    let pp105 = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "PP105")
        .unwrap();
    assert_eq!(
        pp105["locations"][0]["physicalLocation"],
        serde_json::json!({ "artifactLocation": { "uri": "testdata/reports/unknown.json", "uriBaseId": "%SRCROOT%" }, "region": { "startLine": 1 } })
    );
}

/// SARIF's `text` properties are plain text (§3.11.3: a viewer shows them as they are); the
/// rule documentation's markdown belongs in `help.markdown`. Plain text keeps the words and the
/// code, without heading marks, fences, backticks or emphasis.
#[test]
fn sarif_rule_texts_are_plain_text() {
    let doc: serde_json::Value =
        serde_json::from_str(&output("seed_incident", Format::Sarif)).unwrap();
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let id = rule["id"].as_str().unwrap();
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        assert!(markdown.contains("## How to fix"), "{id}");
        for key in ["shortDescription", "fullDescription", "help"] {
            let text = rule[key]["text"].as_str().unwrap();
            for mark in ["```", "`", "**", "## "] {
                assert!(
                    !text.contains(mark),
                    "{id} {key}.text has {mark:?}:\n{text}"
                );
            }
        }
        let help = rule["help"]["text"].as_str().unwrap();
        for heading in [
            "What it does",
            "Why is this bad?",
            "Example",
            "How to fix",
            "References",
        ] {
            assert!(
                help.lines().any(|l| l == heading),
                "{id}: the heading {heading:?} is a line of its own:\n{help}"
            );
        }
    }
    // Code keeps its text, indented; inline code keeps its words.
    let pp401 = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "PP401")
        .unwrap();
    let help = pp401["help"]["text"].as_str().unwrap();
    assert!(
        help.contains("\n    resource \"aws_vpc_endpoint\""),
        "{help}"
    );
    assert!(
        help.contains("prod-<region>-starport-layer-bucket"),
        "{help}"
    );
}

/// A plan read from standard input has no file, but GitHub code scanning needs one for every
/// result: results point at the documented placeholder artifact `stdin` (line 1), which
/// `run.artifacts` describes.
#[test]
fn sarif_results_from_standard_input_have_a_placeholder_location() {
    use std::io::Write as _;
    let mut child = Process::new(env!("CARGO_BIN_EXE_pullpath"))
        .args(["check", "-", "--format", "sarif"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("PULLPATH_CONFIG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let plan = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/examples/seed-incident.json"),
    )
    .unwrap();
    child.stdin.take().unwrap().write_all(&plan).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &doc["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(
            r["locations"][0]["physicalLocation"],
            serde_json::json!({
                "artifactLocation": { "uri": "stdin", "uriBaseId": "%SRCROOT%", "index": 0 },
                "region": { "startLine": 1 }
            }),
            "{r}"
        );
    }
    assert_eq!(run["artifacts"][0]["location"]["uri"], "stdin");
    assert!(run["artifacts"][0]["description"]["text"]
        .as_str()
        .unwrap()
        .contains("standard input"));
    if let Some(validator) = sarif_validator() {
        assert_eq!(schema_errors(&validator, &doc), Vec::<String>::new());
    }
}

#[test]
fn sarif_fingerprints_do_not_depend_on_lines_or_runs() {
    let a: serde_json::Value = serde_json::from_str(&output("many_rules", Format::Sarif)).unwrap();
    let prints: Vec<&str> = a["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["partialFingerprints"]["pullpath/v1"].as_str().unwrap())
        .collect();
    // Stable across releases: a fixed value for a fixed (rule, VPC, resource, workload). (This
    // run reads three inputs, so its names begin with the input's path, `…/many-rules.json/`:
    // the value changed once when roots were kept apart, issue 16 item 6.)
    let first = &a["runs"][0]["results"][0];
    assert_eq!(first["ruleId"], "PP105");
    assert_eq!(
        first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "testdata/reports/many-rules.json/aws_vpc.core"
    );
    assert_eq!(prints[0], "e7a6524eb7a6a6b1");
    let mut unique = prints.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), prints.len(), "fingerprints collide");
}

// Markdown ------------------------------------------------------------------------------------

/// What the Markdown parser sees in a comment.
#[derive(Debug, Default)]
struct Structure {
    first_line: String,
    mermaid_blocks: Vec<String>,
    details_open: usize,
    details_close: usize,
    tables: usize,
    headings: Vec<String>,
}

fn parse_markdown(md: &str) -> Structure {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
    let mut s = Structure {
        first_line: md.lines().next().unwrap_or("").to_string(),
        ..Structure::default()
    };
    let mut in_mermaid = None::<String>;
    let mut in_heading = None::<String>;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "mermaid" => {
                in_mermaid = Some(String::new())
            }
            Event::Text(t) if in_mermaid.is_some() => in_mermaid.as_mut().unwrap().push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(m) = in_mermaid.take() {
                    s.mermaid_blocks.push(m);
                }
            }
            Event::Start(Tag::Heading { .. }) => in_heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) if in_heading.is_some() => {
                in_heading.as_mut().unwrap().push_str(&t)
            }
            Event::End(TagEnd::Heading(_)) => s.headings.extend(in_heading.take()),
            Event::Html(h) | Event::InlineHtml(h) => {
                s.details_open += h.matches("<details>").count();
                s.details_close += h.matches("</details>").count();
            }
            Event::Start(Tag::Table(_)) => s.tables += 1,
            _ => {}
        }
    }
    s
}

#[test]
fn the_markdown_comment_has_its_structure() {
    for (run, args, inline) in RUNS {
        with_report(args, *inline, |r| {
            let md = render(r, Format::Markdown);
            let s = parse_markdown(&md);
            assert_eq!(s.first_line, markdown::MARKER, "{run}");
            let failing = r
                .checked_vpcs()
                .into_iter()
                .filter(|&v| r.vpc_verdict(v) == "fail")
                .count();
            assert_eq!(
                s.mermaid_blocks.len(),
                failing,
                "{run}: a Mermaid block per failing VPC"
            );
            for m in &s.mermaid_blocks {
                assert!(m.contains("flowchart LR"), "{run}: {m}");
            }
            let open = r.findings.iter().filter(|f| f.suppressed.is_none()).count();
            let suppressed_block = usize::from(r.findings.iter().any(|f| f.suppressed.is_some()));
            assert_eq!(
                s.details_open,
                open + suppressed_block,
                "{run}: <details> per finding"
            );
            assert_eq!(s.details_open, s.details_close, "{run}");
            assert!(s.tables >= r.checked_vpcs().len(), "{run}: a table per VPC");
            assert!(md.encode_utf16().count() <= markdown::GITHUB_LIMIT);
        });
    }
}

#[test]
fn the_markdown_comment_draws_broken_hops() {
    let md = output("seed_incident", Format::Markdown);
    let s = parse_markdown(&md);
    let m = &s.mermaid_blocks[0];
    // The S3 endpoint is marked, and so are the hops into and out of it.
    assert!(m.contains("-.->|\"S3 prefix list\"|"), "{m}");
    assert!(m.contains("-.->|\"image layers\"|"), "{m}");
    assert!(m.contains("class n11 broken"), "{m}");
    let md = output("many_rules", Format::Markdown);
    let s = parse_markdown(&md);
    assert!(s
        .mermaid_blocks
        .iter()
        .any(|m| m.contains("missing: ecr.dkr endpoint")));
    assert!(
        s.headings.iter().any(|h| h.contains("New in this plan")),
        "{:?}",
        s.headings
    );
}

#[test]
fn the_markdown_comment_leads_with_what_the_plan_introduces() {
    let md = output("seed_incident", Format::Markdown);
    let second = md.lines().nth(1).unwrap();
    assert!(
        second.starts_with("❌ **This plan breaks the pull path: 1 error new in this plan**"),
        "{second}"
    );
    let md = output("many_rules", Format::Markdown);
    let new = md.find("### 🆕 New in this plan").unwrap();
    let first_vpc = md.find("### ❌ VPC").unwrap();
    assert!(new < first_vpc);
    assert!(md
        .lines()
        .nth(1)
        .unwrap()
        .contains("11 errors, 1 warning new in this plan"));
    let md = output("clean", Format::Markdown);
    assert!(md.lines().nth(1).unwrap().starts_with("✅ "));
    let md = output("unknown_suppressed", Format::Markdown);
    assert!(md.lines().nth(1).unwrap().starts_with("⚠️ "), "{md}");
    assert!(md.contains("2 suppressed") || md.contains("🔕 2 findings suppressed"));
}

/// Atlantis fails a custom policy check when the output contains "fail" (README): the comment
/// says it exactly when a VPC fails.
#[test]
fn the_markdown_comment_says_fail_only_for_a_failing_vpc() {
    for (run, args, inline) in RUNS {
        with_report(args, *inline, |r| {
            let md = render(r, Format::Markdown);
            let failing = r
                .checked_vpcs()
                .into_iter()
                .any(|v| r.vpc_verdict(v) == "fail");
            assert_eq!(md.contains("fail"), failing, "{run}");
        });
    }
}

#[test]
fn the_markdown_comment_stays_within_the_limit() {
    let (args, _) = run_args("many_rules");
    with_report(args, None, |r| {
        let full = markdown::render(r);
        assert!(!full.contains("summarised"));
        for limit in [12_000, 8_000, 4_500] {
            let md = markdown::render_within(r, limit);
            assert!(md.encode_utf16().count() <= limit, "{limit}: {}", md.len());
            assert!(md.starts_with(markdown::MARKER));
            assert!(
                md.contains("This comment is summarised to stay within GitHub's limit"),
                "{limit}"
            );
        }
        let small = markdown::render_within(r, 4_500);
        assert!(
            small.contains("more, left out to fit the comment"),
            "{small}"
        );
        // Below what the tables need, the comment is cut at a section and says so.
        let tiny = markdown::render_within(r, 1_500);
        assert!(tiny.encode_utf16().count() <= 1_500, "{}", tiny.len());
        assert!(tiny.starts_with(markdown::MARKER));
        assert!(tiny.contains("cut here"), "{tiny}");
    });
}

// JUnit ---------------------------------------------------------------------------------------

fn junit_cases(xml: &str) -> Vec<(String, String, String)> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let mut out = Vec::new();
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(suite.attribute("tests").unwrap(), cases.len().to_string());
        for c in cases {
            let outcome = if c.children().any(|n| n.has_tag_name("failure")) {
                "failure"
            } else if c.children().any(|n| n.has_tag_name("skipped")) {
                "skipped"
            } else {
                "passed"
            };
            out.push((
                suite.attribute("name").unwrap().to_string(),
                c.attribute("name").unwrap().to_string(),
                outcome.to_string(),
            ));
        }
    }
    out
}

#[test]
fn junit_output_parses_and_has_a_case_per_rule_and_vpc() {
    for (run, args, inline) in RUNS {
        with_report(args, *inline, |r| {
            let xml = render(r, Format::Junit);
            let cases = junit_cases(&xml);
            for v in r.checked_vpcs() {
                let name = r.net.vpc_name(v);
                let mine = cases.iter().filter(|(s, _, _)| *s == name).count();
                assert_eq!(
                    mine,
                    r.rules.len() - 1,
                    "{run}: {name}: every rule but PP902"
                );
            }
            assert!(cases
                .iter()
                .any(|(s, n, _)| s == "not in a checked VPC" && n.starts_with("PP902")));
            let failures = cases.iter().filter(|(_, _, o)| o == "failure").count();
            let counted: std::collections::BTreeSet<(Option<&str>, &str)> = r
                .findings
                .iter()
                .filter(|f| r.counts(f))
                .map(|f| (f.vpc.as_deref(), f.rule.code))
                .collect();
            assert_eq!(failures, counted.len(), "{run}");
        });
    }
    let xml = output("seed_incident", Format::Junit);
    let cases = junit_cases(&xml);
    assert!(cases.contains(&(
        "aws_vpc.main".into(),
        "PP401 s3-policy-blocks-layer-bucket".into(),
        "failure".into()
    )));
    assert!(
        xml.contains("AllowEcrImageLayers"),
        "the failure carries the fix"
    );
}

#[test]
fn junit_reports_unknown_verdicts_per_the_unknown_option() {
    let (args, inline) = run_args("unknown_suppressed");
    let case = |xml: &str| {
        junit_cases(xml)
            .into_iter()
            .find(|(_, n, _)| n.starts_with("PP105"))
            .unwrap()
            .2
    };
    let warn = with_report(args, inline, |r| render(r, Format::Junit));
    assert_eq!(case(&warn), "skipped");
    let mut failing = args.to_vec();
    failing.extend(["--unknown", "fail"]);
    let fail = with_report(&failing, inline, |r| render(r, Format::Junit));
    assert_eq!(case(&fail), "failure");
    // Suppressed findings are skipped, never failures, whatever --unknown says.
    let pp401 = junit_cases(&fail)
        .into_iter()
        .find(|(_, n, _)| n.starts_with("PP401"))
        .unwrap();
    assert_eq!(pp401.2, "skipped");
}

// GitHub workflow commands --------------------------------------------------------------------

/// Within each level (GitHub's limit of ten annotations is per level), the findings new in this
/// plan come first, so that the limit never hides a new finding behind an old one.
#[test]
fn github_annotations_put_new_findings_first() {
    let (args, inline) = run_args("many_rules");
    let args = check_args(args);
    let settings = CheckSettings::new(&args).expect("settings");
    let (mut model, _) = input::read_all(&args.input.inputs, &read_options(&args.input));
    if let Some(path) = inline {
        attach_inline_suppressions(&mut model, path);
    }
    // A prior state, so that "new in this plan" is shown; every third finding is old.
    model.prior = Some(Box::default());
    let net = graph::build(&model, &settings.build);
    let mut findings = evaluate(&model, &net, &settings);
    for (i, f) in findings.iter_mut().enumerate() {
        f.introduced = Some(i % 3 != 0);
    }
    let new_errors = findings
        .iter()
        .filter(|f| {
            f.suppressed.is_none() && f.severity == Severity::Error && f.introduced == Some(true)
        })
        .count();
    let old_errors = findings
        .iter()
        .filter(|f| {
            f.suppressed.is_none() && f.severity == Severity::Error && f.introduced == Some(false)
        })
        .count();
    assert!(
        new_errors >= 5 && old_errors >= 5,
        "{new_errors} new, {old_errors} old"
    );
    let report = Report {
        model: &model,
        net: &net,
        findings,
        errors: Vec::new(),
        fail_on: settings.fail_on,
        fail_on_new_only: false,
        strict: false,
        rules: settings.rules.clone(),
        by_vpc: Default::default(),
        routes_undecided: Default::default(),
    };
    let text = render(&report, Format::Github);
    for level in ["error", "warning", "notice"] {
        let findings: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(&format!("::{level} ")) && l.contains("title=PP"))
            .collect();
        let new: Vec<bool> = findings
            .iter()
            .map(|l| l.contains("(new in this plan)"))
            .collect();
        let first_old = new.iter().position(|n| !n).unwrap_or(new.len());
        assert!(
            new[first_old..].iter().all(|n| !n),
            "{level}: an old finding before a new one:\n{}",
            findings.join("\n")
        );
        if level == "error" {
            // Past the limit: nine findings and the count of the rest; all nine new ones
            // that fit.
            assert_eq!(
                new.iter().filter(|n| **n).count(),
                new_errors.min(9),
                "{text}"
            );
        }
    }
}

#[test]
fn github_commands_are_one_line_each_and_escaped() {
    for (run, _, _) in RUNS {
        let out = output(run, Format::Github);
        for line in out.lines() {
            assert!(
                line.starts_with("::error ")
                    || line.starts_with("::warning ")
                    || line.starts_with("::notice "),
                "{run}: {line}"
            );
            let (props, message) = line.split_once("::").unwrap().1.split_once("::").unwrap();
            assert!(!message.contains('\r'));
            for prop in props.split_once(' ').unwrap().1.split(',') {
                let (_, value) = prop.split_once('=').unwrap();
                assert!(!value.contains(':'), "{run}: {prop}");
            }
        }
        assert!(out
            .lines()
            .last()
            .unwrap()
            .starts_with("::notice title=pullpath summary::"));
    }
    let out = output("unknown_suppressed", Format::Github);
    assert!(out.contains(
        "::notice file=testdata/reports/unknown.pullpath.hcl,line=14,col=1,title=PP902 unused-suppression::"
    ));
    assert!(
        !out.contains("PP401 s3-policy"),
        "suppressed findings are not annotated"
    );
}

// Exit codes, --fail-on-new-only, configuration precedence ------------------------------------

#[test]
fn fail_on_new_only_counts_only_what_the_plan_introduces() {
    let (args, _) = run_args("many_rules");
    let mut new_only = args.to_vec();
    new_only.push("--fail-on-new-only");
    with_report(&new_only, None, |r| {
        let counted: Vec<&str> = r
            .findings
            .iter()
            .filter(|f| r.counts(f))
            .map(|f| f.rule.code)
            .collect();
        assert_eq!(counted.len(), 11, "{counted:?}");
        assert!(r
            .findings
            .iter()
            .filter(|f| r.counts(f))
            .all(|f| f.introduced == Some(true)));
        assert_eq!(r.exit_code(), 1);
    });
    // The core VPC's findings were all there before the plan.
    let mut old = args.to_vec();
    old.extend(["--select", "PP105,PP106,PP301"]);
    with_report(&old, None, |r| {
        assert_eq!(r.findings.len(), 3);
        assert_eq!(r.exit_code(), 1);
    });
    old.push("--fail-on-new-only");
    with_report(&old, None, |r| {
        assert_eq!(r.findings.len(), 3);
        assert_eq!(r.exit_code(), 0);
    });
    // The seed incident is new in this plan: it fails either way.
    let mut seed = run_args("seed_incident").0.to_vec();
    seed.push("--fail-on-new-only");
    with_report(&seed, None, |r| assert_eq!(r.exit_code(), 1));
}

#[test]
fn suppressed_findings_do_not_affect_the_exit_code() {
    let (args, inline) = run_args("unknown_suppressed");
    let mut only = args.to_vec();
    only.extend(["--unknown", "fail", "--select", "PP401,PP403,PP902"]);
    with_report(&only, inline, |r| {
        assert!(r
            .findings
            .iter()
            .any(|f| f.rule.code == "PP401" && f.severity == Severity::Error));
        assert_eq!(r.exit_code(), 0);
    });
    // Without the suppressions the same findings fail.
    with_report(
        &only[..1]
            .iter()
            .chain(&only[3..])
            .copied()
            .collect::<Vec<_>>(),
        None,
        |r| {
            assert!(r.findings.iter().all(|f| f.suppressed.is_none()));
            assert_eq!(r.exit_code(), 1);
        },
    );
}

fn temp_config(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pullpath-reports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_command_line_overrides_the_configuration() {
    let cfg = temp_config(
        "override.hcl",
        "fail_on = \"note\"\nunknown = \"fail\"\nrule \"PP110\" { severity = \"warning\" }\nrule \"PP901\" { enabled = false }\n",
    );
    let cfg = cfg.to_str().unwrap();
    with_report(
        &["testdata/reports/many-rules.json", "--config", cfg],
        None,
        |r| {
            assert!(
                r.findings.iter().all(|f| f.rule.code != "PP901"),
                "disabled in the file"
            );
            let pp110 = r.findings.iter().find(|f| f.rule.code == "PP110").unwrap();
            assert_eq!(pp110.severity, Severity::Warning);
            assert_eq!(r.fail_on, Some(Severity::Note));
        },
    );
    with_report(
        &[
            "testdata/reports/many-rules.json",
            // The IAM rules (PP405, PP406) are independent of any VPC: their fixtures join in.
            "testdata/plans/ecr-push-permissions-incomplete/fail-partial-layer-upload.json",
            "testdata/plans/ecr-public-private-prefix-mixup/fail-public-actions-on-private.json",
            "--config",
            cfg,
            "--fail-on",
            "never",
            "--select",
            "PP110,PP901",
        ],
        None,
        |r| {
            assert!(
                r.findings.iter().any(|f| f.rule.code == "PP901"),
                "--select wins over the file"
            );
            assert_eq!(r.fail_on, None);
            assert_eq!(r.exit_code(), 0);
        },
    );
    with_report(
        &["testdata/reports/unknown.json", "--config", cfg],
        None,
        |r| {
            let pp105 = r.findings.iter().find(|f| f.rule.code == "PP105").unwrap();
            assert_eq!(
                pp105.severity,
                Severity::Error,
                "unknown = fail in the file"
            );
        },
    );
    with_report(
        &[
            "testdata/reports/unknown.json",
            "--config",
            cfg,
            "--unknown",
            "warn",
        ],
        None,
        |r| {
            let pp105 = r.findings.iter().find(|f| f.rule.code == "PP105").unwrap();
            assert_eq!(pp105.severity, Severity::Warning);
        },
    );
}

#[test]
fn workload_blocks_declare_workloads_and_the_command_line_replaces_them() {
    let cfg = temp_config(
        "workloads.hcl",
        "workload \"aws_vpc.main\" { platform = \"ecs-ec2\" }\n",
    );
    let cfg = cfg.to_str().unwrap();
    let platforms = |args: &[&str]| {
        with_report(args, None, |r| {
            let mut p: Vec<String> = (0..r.net.workloads.len()).map(|w| r.platform(w)).collect();
            p.sort();
            p
        })
    };
    assert_eq!(platforms(&["testdata/reports/clean.json"]), ["fargate"]);
    assert_eq!(
        platforms(&["testdata/reports/clean.json", "--config", cfg]),
        ["ecs-ec2", "fargate"]
    );
    assert_eq!(
        platforms(&[
            "testdata/reports/clean.json",
            "--config",
            cfg,
            "--workload",
            "aws_vpc.main=batch-fargate"
        ]),
        ["batch-fargate", "fargate"]
    );
}

#[test]
fn markdown_snapshots_parse_as_comments() {
    let files = snapshot_files("markdown");
    assert_eq!(files.len(), RUNS.len());
    for path in files {
        let s = parse_markdown(&snapshot_body(&path));
        assert_eq!(s.first_line, markdown::MARKER, "{}", path.display());
        assert_eq!(s.details_open, s.details_close, "{}", path.display());
        assert!(s.tables >= 2, "{}", path.display());
    }
}

// The binary ----------------------------------------------------------------------------------

fn pullpath(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Process::new(env!("CARGO_BIN_EXE_pullpath"));
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for var in [
        "PULLPATH_CONFIG",
        "PULLPATH_FORMAT",
        "PULLPATH_FAIL_ON",
        "PULLPATH_UNKNOWN",
        "PULLPATH_MODE",
        "PULLPATH_COLOR",
        "PULLPATH_TODAY",
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "CLICOLOR",
        "CI_PROJECT_DIR",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn configuration_errors_exit_2_with_file_and_line() {
    let bad = temp_config(
        "bad.hcl",
        "fail_on = \"error\"\n\nrule \"PP109\" {\n  enabeld = false\n}\n",
    );
    let bad = bad.to_str().unwrap();
    let (code, stdout, stderr) = pullpath(
        &["check", "testdata/reports/clean.json", "--config", bad],
        &[],
    );
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(&format!(
            "{bad}:4:3: unknown key `enabeld` in a `rule` block (did you mean `enabled`?)"
        )),
        "{stderr}"
    );
    let (code, _, stderr) = pullpath(
        &["check", "testdata/reports/clean.json"],
        &[("PULLPATH_CONFIG", "testdata/reports/none.hcl")],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("reading the configuration file testdata/reports/none.hcl"),
        "{stderr}"
    );
    let (code, _, stderr) = pullpath(
        &["check", "testdata/reports/clean.json"],
        &[("PULLPATH_TODAY", "2026-13-01")],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("$PULLPATH_TODAY = \"2026-13-01\" is not a date"),
        "{stderr}"
    );
}

#[test]
fn the_binary_reads_the_configuration_and_writes_every_format() {
    let (code, stdout, _) = pullpath(
        &["check", "testdata/reports/unknown.json", "--format", "json"],
        &[
            ("PULLPATH_CONFIG", "testdata/reports/unknown.pullpath.hcl"),
            ("PULLPATH_TODAY", "2026-01-01"),
        ],
    );
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let suppressed: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["suppressed"].as_str())
        .collect();
    assert_eq!(
        suppressed,
        ["the policy names the log group this plan creates; reviewed in PR #118"]
    );
    for format in [
        "text", "json", "sarif", "markdown", "github", "gitlab", "junit",
    ] {
        let (code, stdout, stderr) = pullpath(
            &["check", "testdata/reports/seed-incident.json", "-f", format],
            &[],
        );
        assert_eq!(code, 1, "{format}: {stderr}");
        assert!(stdout.contains("PP401"), "{format}");
    }
}

#[test]
fn text_colour_follows_the_option() {
    let (_, plain, _) = pullpath(
        &[
            "check",
            "testdata/reports/seed-incident.json",
            "--color",
            "never",
        ],
        &[],
    );
    assert!(!plain.contains('\x1b'));
    let (_, auto, _) = pullpath(&["check", "testdata/reports/seed-incident.json"], &[]);
    assert!(!auto.contains('\x1b'), "a pipe is not a terminal");
    let (_, always, _) = pullpath(
        &[
            "check",
            "testdata/reports/seed-incident.json",
            "--color",
            "always",
        ],
        &[("NO_COLOR", "1")],
    );
    assert!(always.contains("\x1b[1;31merror[PP401]\x1b[0m"), "{always}");
    let (_, env, _) = pullpath(
        &["check", "testdata/reports/seed-incident.json"],
        &[("PULLPATH_COLOR", "always")],
    );
    assert!(env.contains('\x1b'));
}

/// With `--color auto` (the default), the environment decides, by the conventions of
/// no-color.org, bixense.com/clicolors and force-color.org: `NO_COLOR` (non-empty) turns colour
/// off and wins over everything else in the environment; `CLICOLOR_FORCE` (not `0`) and
/// `FORCE_COLOR` (non-empty, not `0` or `false`) turn it on even through a pipe; `CLICOLOR=0`
/// turns it off. `--color always|never` (or `PULLPATH_COLOR`) wins over all of them, and a
/// report written to a file (`-o`) is coloured only with `--color always`.
#[test]
fn text_colour_follows_the_environment_conventions() {
    let plan = "testdata/reports/seed-incident.json";
    let coloured = |args: &[&str], env: &[(&str, &str)]| -> bool {
        let mut full = vec!["check", plan];
        full.extend_from_slice(args);
        let (_, out, err) = pullpath(&full, env);
        assert!(!out.is_empty(), "{args:?} {env:?}: {err}");
        out.contains('\x1b')
    };
    /// Options, environment, whether the text is coloured.
    type Case = (
        &'static [&'static str],
        &'static [(&'static str, &'static str)],
        bool,
    );
    let cases: &[Case] = &[
        (&[], &[("FORCE_COLOR", "1")], true),
        (&[], &[("FORCE_COLOR", "true")], true),
        (&[], &[("FORCE_COLOR", "0")], false),
        (&[], &[("FORCE_COLOR", "")], false),
        (&[], &[("CLICOLOR_FORCE", "1")], true),
        (&[], &[("CLICOLOR_FORCE", "0")], false),
        (&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], false),
        (&[], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], false),
        (&[], &[("FORCE_COLOR", "1"), ("NO_COLOR", "")], true),
        (&[], &[("CLICOLOR", "0"), ("CLICOLOR_FORCE", "1")], true),
        (&["--color", "never"], &[("FORCE_COLOR", "1")], false),
        (&["--color", "never"], &[("CLICOLOR_FORCE", "1")], false),
        (
            &[],
            &[("PULLPATH_COLOR", "never"), ("FORCE_COLOR", "1")],
            false,
        ),
        (
            &["--color", "always"],
            &[("NO_COLOR", "1"), ("CLICOLOR", "0")],
            true,
        ),
        (&["--color", "auto"], &[("CLICOLOR_FORCE", "1")], true),
    ];
    for (args, env, expected) in cases {
        assert_eq!(coloured(args, env), *expected, "{args:?} {env:?}");
    }
    // A file gets colour only when asked for by the option.
    let dir = std::env::temp_dir().join(format!("pullpath-colour-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.txt");
    let f = file.to_str().unwrap();
    for (args, expected) in [
        (&["-o", f][..], false),
        (&["-o", f, "--color", "always"][..], true),
    ] {
        let mut full = vec!["check", plan];
        full.extend_from_slice(args);
        pullpath(&full, &[("FORCE_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(text.contains('\x1b'), expected, "{args:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 16: the notes and the blocks not expanded go to `toolExecutionNotifications`, which
/// must still validate (an HCL input with an undecided `count`, and one with a module that is
/// not installed).
#[test]
fn sarif_with_notifications_validates_against_the_schema() {
    let Some(validator) = sarif_validator() else {
        return;
    };
    for input in [
        "testdata/hcl/may-exist/policy-count-var",
        "testdata/hcl/twins/modules/registry-endpoints-module-not-installed",
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pullpath"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["check", input, "--format", "sarif"])
            .env_remove("PULLPATH_CONFIG")
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let notes = &doc["runs"][0]["invocations"][0]["toolExecutionNotifications"];
        assert!(
            notes.as_array().is_some_and(|n| !n.is_empty()),
            "{input}: {notes}"
        );
        assert!(schema_errors(&validator, &doc).is_empty(), "{input}");
    }
}

/// The Jenkins/Ant JUnit schema (`junit-10.xsd` of the Jenkins xUnit plugin, which GitLab's and
/// Jenkins' JUnit readers follow), vendored with its licence in `testdata/schemas/`.
fn junit_schema() -> xsd::Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/schemas/junit-10.xsd");
    xsd::Schema::parse(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn junit_snapshots_validate_against_the_jenkins_schema() {
    let schema = junit_schema();
    let files = snapshot_files("junit");
    assert!(!files.is_empty(), "no JUnit snapshots found");
    for path in files {
        let errors = schema.validate(&snapshot_body(&path));
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            path.display(),
            errors.join("\n")
        );
    }
}

/// The runs the snapshots do not cover: an input that cannot be read beside one that can, a
/// run without workloads, blocks that could not be expanded, unknown verdicts that fail.
#[test]
fn junit_of_other_runs_validates_against_the_jenkins_schema() {
    let schema = junit_schema();
    let runs: &[&[&str]] = &[
        &[
            "testdata/malformed/empty.json",
            "testdata/reports/clean.json",
        ],
        &["testdata/plans/options/vpc-without-workload.json"],
        &["testdata/hcl/may-exist/endpoint-count-data"],
        &[
            "testdata/reports/unknown.json",
            "--unknown",
            "fail",
            "--fail-on",
            "note",
        ],
    ];
    for args in runs {
        let mut full = vec!["check", "--format", "junit"];
        full.extend_from_slice(args);
        let (code, xml, err) = pullpath(&full, &[]);
        assert!(code == 0 || code == 1 || code == 2, "{args:?}: {err}");
        let errors = schema.validate(&xml);
        assert!(errors.is_empty(), "{args:?}:\n{}\n{xml}", errors.join("\n"));
    }
}

/// The validator finds what the schema forbids: attributes it does not declare (`skipped` on
/// `testsuites`, which pullpath once wrote), missing required ones, elements out of place,
/// text in element-only content, a `time` that is not Surefire's format.
#[test]
fn the_junit_validation_can_fail() {
    let schema = junit_schema();
    let valid = r#"<testsuites name="pullpath" tests="1" failures="0" errors="0" time="1.5">
  <testsuite name="aws_vpc.main" tests="1" failures="0" errors="0" skipped="1">
    <testcase classname="pullpath.aws_vpc.main" name="PP101"><skipped message="m"/><system-out>x</system-out></testcase>
  </testsuite>
</testsuites>"#;
    assert_eq!(schema.validate(valid), Vec::<String>::new());
    let broken = [
        (
            r#"<testsuites skipped="0"/>"#,
            "attribute skipped is not allowed",
        ),
        (
            r#"<testsuites><testsuite name="a" tests="1" errors="0"/></testsuites>"#,
            "required attribute failures is missing",
        ),
        (
            r#"<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase/></testsuite></testsuites>"#,
            "required attribute name is missing",
        ),
        (
            r#"<testsuites><testcase name="a"/></testsuites>"#,
            "do not match the content model",
        ),
        (
            r#"<testsuites>text</testsuites>"#,
            "is not allowed (element-only content)",
        ),
        (r#"<testsuites time="soon"/>"#, "does not match the pattern"),
        (
            r#"<testsuite name="a"/>"#,
            "required attribute tests is missing",
        ),
        (r#"<report/>"#, "the root element is not declared"),
    ];
    for (xml, expected) in broken {
        let errors = schema.validate(xml);
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{xml}: expected {expected:?} in {errors:?}"
        );
    }
}

// GitLab Code Quality -------------------------------------------------------------------------

/// What GitLab requires of a Code Quality report, from its documentation ("Implement a custom
/// tool" in `doc/ci/testing/code_quality.md`): a JSON array of objects with `description`,
/// `check_name`, `fingerprint`, `severity` (`info`, `minor`, `major`, `critical` or
/// `blocker`), `location.path` (relative) and `location.lines.begin` (or
/// `location.positions.begin.line`); no byte-order mark. GitLab keeps one issue per
/// fingerprint, so they must be unique. Returns what is wrong.
fn gitlab_problems(text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if text.starts_with('\u{feff}') {
        problems.push("the report starts with a byte-order mark".to_string());
    }
    let doc: serde_json::Value = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            problems.push(format!("not JSON: {e}"));
            return problems;
        }
    };
    let Some(issues) = doc.as_array() else {
        return vec!["not an array".to_string()];
    };
    let mut fingerprints = std::collections::HashSet::new();
    for (i, issue) in issues.iter().enumerate() {
        let at = |what: &str| format!("issue {i}: {what}");
        for key in ["description", "check_name", "fingerprint", "severity"] {
            match issue.get(key).and_then(|v| v.as_str()) {
                Some(s) if !s.trim().is_empty() => {}
                _ => problems.push(at(&format!("`{key}` is not a non-empty string"))),
            }
        }
        let severity = issue["severity"].as_str().unwrap_or("");
        if !["info", "minor", "major", "critical", "blocker"].contains(&severity) {
            problems.push(at(&format!("severity {severity:?} is not one of GitLab's")));
        }
        if let Some(fp) = issue["fingerprint"].as_str() {
            if !fingerprints.insert(fp.to_string()) {
                problems.push(at(&format!("fingerprint {fp} is not unique")));
            }
        }
        match issue["location"]["path"].as_str() {
            Some(p)
                if !p.is_empty()
                    && !p.starts_with('/')
                    && !p.starts_with("./")
                    && !p.contains('\\') => {}
            other => problems.push(at(&format!(
                "location.path {other:?} is not a relative path"
            ))),
        }
        let line = issue["location"]["lines"]["begin"]
            .as_u64()
            .or_else(|| issue["location"]["positions"]["begin"]["line"].as_u64());
        if line.is_none_or(|l| l < 1) {
            problems.push(at("no location.lines.begin of 1 or more"));
        }
    }
    problems
}

#[test]
fn gitlab_reports_have_what_gitlab_requires() {
    let files = snapshot_files("gitlab");
    assert_eq!(
        files.len(),
        RUNS.len(),
        "one GitLab snapshot per run: {files:?}"
    );
    for path in files {
        let problems = gitlab_problems(&snapshot_body(&path));
        assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
    }
    for (run, _, _) in RUNS {
        let problems = gitlab_problems(&output(run, Format::Gitlab));
        assert!(problems.is_empty(), "{run}: {problems:#?}");
    }
}

#[test]
fn the_gitlab_validation_can_fail() {
    let text = output("unknown_suppressed", Format::Gitlab);
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let first = doc[0].clone();
    doc[0]["severity"] = "error".into();
    doc[0]["location"]["path"] = "/abs/main.tf".into();
    doc[0]["location"]["lines"] = serde_json::json!({});
    doc.as_array_mut().unwrap().push(first);
    let bad = serde_json::to_string(&doc).unwrap();
    assert_eq!(
        gitlab_problems(&bad).len(),
        4,
        "{:#?}",
        gitlab_problems(&bad)
    );
    assert_eq!(gitlab_problems(&format!("\u{feff}{text}")).len(), 2);
    assert_eq!(gitlab_problems("{}"), ["not an array"]);
}

#[test]
fn gitlab_issues_are_the_unsuppressed_findings_at_their_reported_severity() {
    let (args, inline) = run_args("unknown_suppressed");
    with_report(args, inline, |r| {
        let doc: serde_json::Value = serde_json::from_str(&render(r, Format::Gitlab)).unwrap();
        let issues = doc.as_array().unwrap();
        let shown: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .collect();
        assert_eq!(issues.len(), shown.len());
        assert!(
            shown.len() < r.findings.len(),
            "the run has suppressed findings"
        );
        for (issue, f) in issues.iter().zip(&shown) {
            assert_eq!(issue["check_name"], format!("pullpath/{}", f.rule.code));
            let expected = match f.severity {
                Severity::Error => "critical",
                Severity::Warning => "minor",
                Severity::Note => "info",
            };
            assert_eq!(issue["severity"], expected, "{issue}");
            if f.verdict == Verdict::Unknown {
                assert!(
                    issue["description"]
                        .as_str()
                        .unwrap()
                        .contains("not decided"),
                    "{issue}"
                );
            }
            // Plan input without a source position: line 1 of the plan file.
            if f.location.is_none() {
                assert_eq!(issue["location"]["lines"]["begin"], 1);
                assert_eq!(issue["location"]["path"], "testdata/reports/unknown.json");
            }
            // The fingerprint does not depend on the position.
            assert_eq!(issue["fingerprint"].as_str().unwrap().len(), 16, "{issue}");
        }
        assert!(issues.iter().any(|i| i["severity"] == "minor"));
    });
}

#[test]
fn gitlab_paths_are_relative_to_the_repository_and_fingerprints_survive_moves() {
    let root = env!("CARGO_MANIFEST_DIR");
    let fixture = "testdata/hcl/fix-style/jsonencode";
    // From a sub-directory of the repository, with GitLab's $CI_PROJECT_DIR.
    let mut cmd = Process::new(env!("CARGO_BIN_EXE_pullpath"));
    cmd.args(["check", ".", "--format", "gitlab"])
        .current_dir(Path::new(root).join(fixture))
        .env("CI_PROJECT_DIR", root);
    for var in pullpath::app::OPTION_ENV {
        cmd.env_remove(var);
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pp401 = doc
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["check_name"] == "pullpath/PP401")
        .expect("a PP401 issue");
    assert_eq!(pp401["location"]["path"], format!("{fixture}/endpoints.tf"));
    // The line of the attribute at fault, the endpoint's `policy`.
    assert_eq!(pp401["location"]["lines"]["begin"], 6);
    // The same configuration with the block moved down: same fingerprint, another line.
    let moved = std::env::temp_dir().join(format!("pullpath-gitlab-moved-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&moved);
    std::fs::create_dir_all(&moved).unwrap();
    for e in std::fs::read_dir(Path::new(root).join(fixture)).unwrap() {
        let e = e.unwrap();
        let mut text = std::fs::read_to_string(e.path()).unwrap();
        if e.file_name() == "endpoints.tf" {
            text = format!("# moved\n\n\n{text}");
        }
        std::fs::write(moved.join(e.file_name()), text).unwrap();
    }
    let mut cmd = Process::new(env!("CARGO_BIN_EXE_pullpath"));
    cmd.args(["check", ".", "--format", "gitlab"])
        .current_dir(&moved)
        .env_remove("CI_PROJECT_DIR");
    for var in pullpath::app::OPTION_ENV {
        cmd.env_remove(var);
    }
    let out = cmd.output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let again = doc
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["check_name"] == "pullpath/PP401")
        .expect("a PP401 issue");
    assert_eq!(again["location"]["path"], "endpoints.tf");
    assert_eq!(again["location"]["lines"]["begin"], 9);
    assert_eq!(again["fingerprint"], pp401["fingerprint"]);
    std::fs::remove_dir_all(&moved).unwrap();
}

#[test]
fn gitlab_report_of_standard_input_and_of_no_workload() {
    let plan = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/reports/seed-incident.json"),
    )
    .unwrap();
    let mut child = Process::new(env!("CARGO_BIN_EXE_pullpath"))
        .args(["check", "-", "--format", "gitlab"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("PULLPATH_FORMAT")
        .env_remove("CI_PROJECT_DIR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &plan).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(gitlab_problems(&text).is_empty(), "{text}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc[0]["location"]["path"], report::gitlab::STDIN_PATH);
    // No workload: one info issue says so, rather than an empty (clean-looking) report.
    let (code, stdout, _) = pullpath(
        &[
            "check",
            "testdata/plans/ecr-push-permissions-incomplete/fail-partial-layer-upload.json",
            "--format",
            "gitlab",
        ],
        &[],
    );
    assert!(code == 0 || code == 1);
    assert!(gitlab_problems(&stdout).is_empty(), "{stdout}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let last = doc.as_array().unwrap().last().unwrap();
    assert_eq!(last["check_name"], "pullpath/no-workload");
    assert_eq!(last["severity"], "info");
    assert!(
        last["description"]
            .as_str()
            .unwrap()
            .contains("no workload found"),
        "{last}"
    );
}
