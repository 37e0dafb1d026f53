//! Hostile inputs: reports. Text from the input (addresses, images, container names, policy
//! Sids, suppression reasons) must not inject into a report: no workflow command in a CI log, no
//! ANSI or bidirectional control reaching a terminal or a reviewer, no HTML, mention, link or
//! image in the pull-request comment, no invalid XML, one workflow command per line. Addresses
//! outside Terraform's grammar are refused.

use super::common::*;

/// Plans whose quoted values are hostile (made by testdata/hostile/reports/make_fixtures.py).
const FIXTURES: &[&str] = &[
    "testdata/hostile/reports/image.json",
    "testdata/hostile/reports/policy-sid.json",
];

/// An `ignore` block whose reason is hostile; it suppresses the finding of `image.json`.
const SUPPRESSION: &str = r#"ignore {
  rule     = "PP601"
  resource = "aws_ecs_task_definition.app"
  reason   = "ok\n::error::pwned\r\n##[error]x \u001b[31mred \u202eevil <!-- x </details><img src=x> | y @org/team ![x](http://tracker.example/x.png) `a``` "
}
"#;

/// The runs of every case: each fixture, and the first with the hostile suppression.
fn runs(dir: &TempDir) -> Vec<Vec<String>> {
    let config = dir.path().join("pullpath.hcl");
    std::fs::write(&config, SUPPRESSION).unwrap();
    let mut runs: Vec<Vec<String>> = FIXTURES
        .iter()
        .map(|f| vec!["check".to_string(), f.to_string()])
        .collect();
    runs.push(vec![
        "check".into(),
        FIXTURES[0].into(),
        "--config".into(),
        config.to_string_lossy().into_owned(),
    ]);
    runs
}

fn report(run: &[String], format: &str) -> std::process::Output {
    let mut args: Vec<&str> = run.iter().map(String::as_str).collect();
    args.extend(["--format", format]);
    let out = pullpath(&args);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{run:?} --format {format}: {:?}\n{}",
        out.status,
        stderr(&out)
    );
    out
}

/// Characters that must never reach a report raw: controls other than the newline, and the
/// bidirectional overrides and isolates.
fn raw_control(s: &str, allow_tab: bool) -> Option<char> {
    s.chars().find(|&c| {
        (c.is_control() && c != '\n' && !(allow_tab && c == '\t'))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    })
}

/// A line the GitHub Actions runner would execute: `::` after leading whitespace (v2), or the
/// older `##[` anywhere.
fn command_line(line: &str) -> bool {
    line.trim_start().starts_with("::") || line.contains("##[")
}

#[test]
fn text_reports_escape_controls_and_start_no_line_with_a_command() {
    let dir = TempDir::new("reports-text");
    for run in runs(&dir) {
        let out = report(&run, "text");
        let text = stdout(&out);
        assert!(
            text.contains("pwned"),
            "{run:?}: the hostile value is shown\n{text}"
        );
        if let Some(c) = raw_control(&text, true) {
            panic!("{run:?}: raw {c:?} in the text report:\n{text}");
        }
        for line in text.lines().chain(stderr(&out).lines()) {
            assert!(!command_line(line), "{run:?}: a workflow command: {line:?}");
        }
    }
}

#[test]
fn junit_reports_are_valid_xml_without_raw_controls() {
    let dir = TempDir::new("reports-junit");
    for run in runs(&dir) {
        let out = report(&run, "junit");
        let xml = stdout(&out);
        if let Err(e) = roxmltree::Document::parse(&xml) {
            panic!("{run:?}: invalid XML: {e}\n{xml}");
        }
        assert!(xml.contains("pwned"), "{run:?}\n{xml}");
        assert!(
            !xml.contains('\u{FFFD}'),
            "{run:?}: escaped, not replaced\n{xml}"
        );
        if let Some(c) = raw_control(&xml, true) {
            panic!("{run:?}: raw {c:?} in the JUnit report:\n{xml}");
        }
        // Attribute values hold no newline of the input: they would be normalised away.
        for line in xml.lines() {
            assert!(!command_line(line), "{run:?}: {line:?}");
        }
    }
}

/// pullpath's own HTML in the comment: the marker, the finding blocks, code, the footer.
const OWN_TAGS: &[&str] = &[
    "<!-- pullpath -->",
    "<details>",
    "</details>",
    "<summary>",
    "</summary>",
    "<b>",
    "</b>",
    "<code>",
    "</code>",
    "<pre>",
    "</pre>",
    "<sub>",
    "</sub>",
];

#[test]
fn markdown_comments_carry_no_markup_from_the_input() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let dir = TempDir::new("reports-markdown");
    for run in runs(&dir) {
        let out = report(&run, "markdown");
        let md = stdout(&out);
        assert!(md.contains("pwned"), "{run:?}\n{md}");
        assert_eq!(
            md.matches("<!--").count(),
            1,
            "{run:?}: only the marker\n{md}"
        );
        assert!(!md.contains("<img"), "{run:?}\n{md}");
        assert_eq!(
            md.matches("<details>").count(),
            md.matches("</details>").count(),
            "{run:?}\n{md}"
        );
        if let Some(c) = raw_control(&md, true) {
            panic!("{run:?}: raw {c:?} in the comment:\n{md}");
        }
        let mut in_code_block = false;
        let mut row_cells = 0;
        for event in Parser::new_ext(&md, Options::ENABLE_TABLES) {
            match &event {
                Event::Html(h) | Event::InlineHtml(h) => {
                    let mut rest = h.to_string();
                    for tag in OWN_TAGS {
                        rest = rest.replace(tag, "");
                    }
                    assert!(
                        !rest.contains('<'),
                        "{run:?}: HTML from the input: {h:?}\n{md}"
                    );
                }
                Event::Start(Tag::Image { .. } | Tag::Link { .. }) => {
                    panic!("{run:?}: a link or image: {event:?}\n{md}")
                }
                Event::Start(Tag::Heading { .. }) | Event::Start(Tag::BlockQuote(_)) => {}
                Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
                Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_code_block = false,
                Event::Start(Tag::TableRow | Tag::TableHead) => row_cells = 0,
                Event::Start(Tag::TableCell) => row_cells += 1,
                Event::End(
                    pulldown_cmark::TagEnd::TableRow | pulldown_cmark::TagEnd::TableHead,
                ) => {
                    assert_eq!(row_cells, 4, "{run:?}: a row of another width\n{md}")
                }
                Event::Text(t) if !in_code_block => {
                    // A mention outside code pings; in code it does not.
                    assert!(!t.contains("@org"), "{run:?}: a mention: {t:?}\n{md}");
                }
                _ => {}
            }
        }
        // No heading or quote of the input's: pullpath's headings are its own sections.
        for line in md.lines() {
            assert!(!line.starts_with("# "), "{run:?}: {line:?}");
            assert!(
                !line.starts_with('>') || line.starts_with("> [!") || line.starts_with("> "),
                "{line:?}"
            );
            assert!(
                !line.contains("> quote") || line.contains("&gt; quote") || line.contains('`'),
                "{run:?}: {line:?}"
            );
        }
    }
}

#[test]
fn github_annotations_are_one_command_per_line() {
    let dir = TempDir::new("reports-github");
    for run in runs(&dir) {
        let out = report(&run, "github");
        let text = stdout(&out);
        // Suppressed findings are not annotated.
        let suppressed = run.iter().any(|a| a == "--config");
        assert!(suppressed || text.contains("pwned"), "{run:?}\n{text}");
        for line in text.lines() {
            let rest = ["::error ", "::warning ", "::notice "]
                .iter()
                .find_map(|p| line.strip_prefix(p))
                .unwrap_or_else(|| panic!("{run:?}: not a command: {line:?}\n{text}"));
            // Properties end at the first `::`; none holds a raw `:` `,` or newline.
            let (props, _data) = rest
                .split_once("::")
                .unwrap_or_else(|| panic!("{run:?}: {line:?}"));
            for p in props.split(',') {
                let (k, v) = p.split_once('=').unwrap_or_else(|| panic!("{line:?}"));
                assert!(["file", "line", "col", "title"].contains(&k), "{line:?}");
                assert!(!v.contains(':'), "{line:?}");
            }
            if let Some(c) = raw_control(line, true) {
                panic!("{run:?}: raw {c:?} in {line:?}");
            }
        }
        // The input's own `%0A` stays text: escaped as `%250A`, never a line break.
        assert!(
            !text.contains("\\t%0A%25") || text.contains("%250A%2525"),
            "{text}"
        );
    }
}

#[test]
fn json_and_sarif_reports_carry_the_values_exactly() {
    let dir = TempDir::new("reports-json");
    for run in runs(&dir) {
        for format in ["json", "sarif"] {
            let out = report(&run, format);
            let text = stdout(&out);
            let v: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{run:?} {format}: {e}\n{text}"));
            assert!(v.to_string().contains("::error::pwned"), "{run:?} {format}");
            // serde writes C0 controls as escapes; the rest is JSON text as it is.
            assert!(
                !text.chars().any(|c| c < ' ' && c != '\n'),
                "{run:?} {format}: raw C0 control"
            );
            // Code scanning renders `message.markdown`: no markup from the input there.
            for r in v["runs"][0]["results"].as_array().into_iter().flatten() {
                use pulldown_cmark::{Event, Parser, Tag};
                let md = r["message"]["markdown"].as_str().unwrap_or_default();
                for event in Parser::new(md) {
                    match &event {
                        Event::Html(h) | Event::InlineHtml(h) => {
                            let mut rest = h.to_string();
                            for tag in OWN_TAGS {
                                rest = rest.replace(tag, "");
                            }
                            assert!(
                                !rest.contains('<'),
                                "{run:?}: HTML from the input in SARIF: {h:?}\n{md}"
                            );
                        }
                        Event::Start(Tag::Image { .. } | Tag::Link { .. }) => {
                            panic!("{run:?}: a link or image in SARIF: {event:?}\n{md}")
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

#[test]
fn gitlab_reports_show_hostile_values_visibly() {
    let dir = TempDir::new("reports-gitlab");
    for run in runs(&dir) {
        let out = report(&run, "gitlab");
        let text = stdout(&out);
        let v: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{run:?} gitlab: {e}\n{text}"));
        // (With the configuration, the finding is suppressed: GitLab's report leaves it out.)
        if !run.iter().any(|a| a == "--config") {
            assert!(v.to_string().contains("pwned"), "{run:?}");
        }
        for issue in v.as_array().unwrap() {
            // GitLab shows the description as a line of the widget: input text is written
            // visibly, never raw controls, line breaks or bidirectional overrides.
            let description = issue["description"].as_str().unwrap();
            assert_eq!(
                raw_control(description, false),
                None,
                "{run:?}: {description:?}"
            );
            assert!(!description.contains('\n'), "{run:?}: {description:?}");
            for key in ["check_name", "fingerprint", "severity"] {
                assert!(
                    issue[key].as_str().is_some_and(|s| !s.is_empty()),
                    "{issue}"
                );
            }
        }
    }
}

/// A plan whose `aws_vpc.main` is addressed as `address` wherever the plan lists it.
fn plan_with_vpc_address(dir: &TempDir, name: &str, address: &str, delete: bool) -> String {
    let text =
        std::fs::read_to_string("testdata/plans/image-unreachable/fail-docker-hub.json").unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    fn walk(v: &mut serde_json::Value, address: &str, delete: bool) {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("address").and_then(|a| a.as_str()) == Some("aws_vpc.main") {
                    m.insert("address".into(), address.into());
                    if delete {
                        if let Some(c) = m.get_mut("change") {
                            c["actions"] = serde_json::json!(["delete"]);
                        }
                    }
                }
                for x in m.values_mut() {
                    walk(x, address, delete);
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| walk(x, address, delete)),
            _ => {}
        }
    }
    walk(&mut plan, address, delete);
    if delete {
        // Only the change deletes it: planned values no longer hold it.
        plan["planned_values"] = serde_json::json!({ "root_module": {} });
    }
    let path = dir.path().join(name);
    std::fs::write(&path, serde_json::to_string(&plan).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn addresses_outside_terraforms_grammar_are_refused() {
    let dir = TempDir::new("reports-address");
    for (name, address, shown) in [
        (
            "newline.json",
            "aws_vpc.main\n::error::x",
            "aws_vpc.main\\n::error::x",
        ),
        ("space.json", "aws_vpc.ma in", "aws_vpc.ma in"),
        ("bidi.json", "aws_vpc.main[\"\u{202e}\"]", "\\u{202e}"),
        ("index.json", "aws_vpc.main[count.index]", "count.index"),
    ] {
        let path = plan_with_vpc_address(&dir, name, address, false);
        for format in ["text", "github"] {
            let out = pullpath(&["check", &path, "--format", format]);
            let err = stderr(&out);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{name} {format}: {err}\n{}",
                stdout(&out)
            );
            assert!(err.contains(shown), "{name}: says what was found: {err}");
            assert!(
                err.contains("expected"),
                "{name}: says what was expected: {err}"
            );
            // Standard error is a log too; in github format, standard output holds
            // pullpath's own commands, each exactly one line.
            for line in err.lines() {
                assert!(!command_line(line), "{name} {format}: {line:?}");
            }
            for line in stdout(&out).lines() {
                if format == "text" {
                    assert!(!command_line(line), "{name}: {line:?}");
                } else {
                    assert!(
                        line.starts_with("::error title=pullpath%3A input not read::")
                            || line.starts_with("::warning title=pullpath summary::"),
                        "{name}: {line:?}"
                    );
                }
            }
        }
    }
}

/// The message names `resource_changes[i].address`, and deleted resources, which the reader
/// does not decode, are checked too.
#[test]
fn invalid_addresses_name_their_json_path_even_when_deleted() {
    let dir = TempDir::new("reports-address-path");
    for delete in [false, true] {
        let path = plan_with_vpc_address(&dir, "p.json", "aws_vpc.ma in", delete);
        let out = pullpath(&["check", &path]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "delete={delete}: {err}");
        assert!(err.contains("resource_changes["), "delete={delete}: {err}");
        assert!(err.contains("].address"), "delete={delete}: {err}");
    }
}
