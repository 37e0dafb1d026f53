//! `docs/rules.md` is the generated rule documentation, and every SARIF `helpUri` lands on its
//! rule's section there: the anchors are computed from the file's headings as GitHub does.
//!
//! `PULLPATH_UPDATE_DOCS=1 cargo test --test rules_doc` writes the file again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};

use pulldown_cmark::HeadingLevel;
use pullpath::report::rules_doc::rules_doc;
use pullpath::rules;

#[path = "support/headings.rs"]
mod headings;
use headings::{github_anchor, headings};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const DOC_URL: &str = "https://github.com/pullpath/pullpath/blob/main/docs/rules.md#";

fn doc_path() -> std::path::PathBuf {
    Path::new(ROOT).join("docs/rules.md")
}

/// The text of docs/rules.md (the generated text while it is being written again).
fn doc() -> String {
    if std::env::var_os("PULLPATH_UPDATE_DOCS").is_some() {
        return rules_doc();
    }
    std::fs::read_to_string(doc_path()).expect("docs/rules.md exists")
}

/// The anchor a rule's section heading, `CODE name`, gets.
fn anchor_of(r: &rules::Rule) -> String {
    github_anchor(&format!("{} {}", r.code, r.name), &mut BTreeMap::new())
}

#[test]
fn github_anchors_follow_github() {
    let mut seen = BTreeMap::new();
    assert_eq!(
        github_anchor("PP101 ecr-dkr-endpoint-missing", &mut seen),
        "pp101-ecr-dkr-endpoint-missing"
    );
    assert_eq!(
        github_anchor("Why is this bad?", &mut seen),
        "why-is-this-bad"
    );
    assert_eq!(
        github_anchor("Why is this bad?", &mut seen),
        "why-is-this-bad-1"
    );
    assert_eq!(
        github_anchor("Why is this bad?", &mut seen),
        "why-is-this-bad-2"
    );
    assert_eq!(
        github_anchor("Configuration: `.pullpath.hcl`", &mut seen),
        "configuration-pullpathhcl"
    );
    assert_eq!(
        github_anchor("🆕 New in this plan", &mut seen),
        "-new-in-this-plan"
    );
}

#[test]
fn docs_rules_md_is_fresh() {
    let generated = rules_doc();
    if std::env::var_os("PULLPATH_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(Path::new(ROOT).join("docs")).unwrap();
        std::fs::write(doc_path(), &generated).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(doc_path()).unwrap_or_default();
    if on_disk != generated {
        let line = on_disk
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| on_disk.lines().count().min(generated.lines().count()));
        panic!(
            "docs/rules.md is stale (it differs from the rules' docs from line {}): regenerate it with \
             `PULLPATH_UPDATE_DOCS=1 cargo test --test rules_doc`",
            line + 1
        );
    }
}

#[test]
fn the_outline_has_one_title_and_a_section_per_rule() {
    let hs = headings(&doc());
    assert_eq!(hs[0].0, HeadingLevel::H1, "{:?}", hs[0]);
    assert_eq!(
        hs.iter().filter(|h| h.0 == HeadingLevel::H1).count(),
        1,
        "one title"
    );
    // No level is skipped: a heading is at most one level below the one before it.
    for w in hs.windows(2) {
        assert!(
            w[1].0 as usize <= w[0].0 as usize + 1,
            "{:?} after {:?}",
            w[1],
            w[0]
        );
    }
    let sections: Vec<&str> = hs
        .iter()
        .filter(|h| h.0 == HeadingLevel::H2 && h.1 != "Contents")
        .map(|h| h.1.as_str())
        .collect();
    let expected: Vec<String> = rules::ALL
        .iter()
        .map(|r| format!("{} {}", r.code, r.name))
        .collect();
    assert_eq!(sections, expected);
    // The rule docs' own headings sit inside their rule's section.
    for h in &hs {
        if [
            "What it does",
            "Why is this bad?",
            "Example",
            "How to fix",
            "References",
        ]
        .contains(&h.1.as_str())
        {
            assert_eq!(h.0, HeadingLevel::H3, "{:?}", h);
        }
    }
}

#[test]
fn every_help_uri_has_its_anchor_in_docs_rules_md() {
    let hs = headings(&doc());
    let anchors: BTreeMap<&str, &str> = hs.iter().map(|h| (h.2.as_str(), h.1.as_str())).collect();
    assert_eq!(anchors.len(), hs.len(), "anchors are unique");

    // The helpUris of a SARIF report: tool.driver.rules lists every rule.
    let plan = Path::new(ROOT).join("testdata/plans/ecr-dkr-endpoint-missing/fail-no-ecr-dkr.json");
    let out = Command::new(env!("CARGO_BIN_EXE_pullpath"))
        .args(["check", "--format", "sarif", "--fail-on", "never"])
        .arg(&plan)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut uris = BTreeMap::new();
    for run in sarif["runs"].as_array().unwrap() {
        for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
            uris.insert(
                rule["id"].as_str().unwrap().to_string(),
                rule["helpUri"].as_str().unwrap().to_string(),
            );
        }
    }
    let codes: BTreeSet<&str> = rules::ALL.iter().map(|r| r.code).collect();
    assert_eq!(
        uris.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        codes,
        "the SARIF report lists every rule"
    );

    for r in rules::ALL {
        assert_eq!(uris[r.code], r.help_uri(), "{}", r.code);
        // No other heading would take the anchor first (GitHub adds `-1` to the second one).
        let same = hs
            .iter()
            .filter(|h| github_anchor(&h.1, &mut BTreeMap::new()) == anchor_of(r))
            .count();
        assert_eq!(same, 1, "{}: headings sharing its anchor", r.code);
        let fragment = r
            .help_uri()
            .strip_prefix(DOC_URL)
            .unwrap_or_else(|| panic!("{}'s helpUri points at docs/rules.md", r.code))
            .to_string();
        assert_eq!(
            anchors.get(fragment.as_str()).copied(),
            Some(format!("{} {}", r.code, r.name).as_str()),
            "{}: no heading of docs/rules.md has the anchor #{fragment}",
            r.code
        );
    }
}
