//! The rule documentation is the user documentation: every rule has the fixed headings, every
//! HCL example parses, and the README's rules table is the generated one. The documents point
//! only at what the repository holds, and the licence file is the one Cargo.toml names.

use std::path::{Path, PathBuf};

use pullpath::rules;

#[path = "support/headings.rs"]
mod headings;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn every_rule_has_the_documentation_headings() {
    for r in rules::ALL {
        let doc = r.doc();
        for h in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## How to fix",
            "## References",
        ] {
            assert!(doc.contains(h), "{} {} lacks {h:?}", r.code, r.name);
        }
        assert!(!r.summary.is_empty());
        assert!(
            r.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is kebab-case",
            r.name
        );
    }
}

#[test]
fn every_hcl_example_in_the_docs_parses() {
    for r in rules::ALL {
        let doc = r.doc();
        let mut rest = doc.as_str();
        let mut n = 0;
        while let Some(start) = rest.find("```hcl\n") {
            let body = &rest[start + 7..];
            let end = body.find("```").expect("closed fence");
            let code = &body[..end];
            if let Err(e) = hcl::edit::parser::parse_body(code) {
                panic!("{} example {n} does not parse: {e}\n{code}", r.code);
            }
            n += 1;
            rest = &body[end + 3..];
        }
        assert!(n >= 1, "{} has no hcl example", r.code);
    }
}

#[test]
fn codes_and_names_are_unique() {
    let mut codes: Vec<&str> = rules::ALL.iter().map(|r| r.code).collect();
    let mut names: Vec<&str> = rules::ALL.iter().map(|r| r.name).collect();
    codes.sort_unstable();
    names.sort_unstable();
    let n = codes.len();
    codes.dedup();
    names.dedup();
    assert_eq!(codes.len(), n);
    assert_eq!(names.len(), n);
}

#[test]
fn the_readme_rules_table_is_fresh() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = pullpath::app::rules_markdown();
    assert!(
        readme.contains(&table),
        "README.md's rules table is stale: replace it with the output of `pullpath rules --format markdown`"
    );
}

#[test]
fn explain_finds_rules_by_code_and_name() {
    for r in rules::ALL {
        assert!(std::ptr::eq(rules::find(r.code).unwrap(), *r));
        assert!(std::ptr::eq(rules::find(r.name).unwrap(), *r));
        assert!(std::ptr::eq(
            rules::find(&r.code.to_lowercase()).unwrap(),
            *r
        ));
    }
}

/// The markdown documents a reader of the repository follows links in.
fn documents() -> Vec<PathBuf> {
    let mut docs = vec![Path::new(ROOT).join("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("docs"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

/// Every relative link of the README and docs/ lands on a file of the repository, and a
/// `#fragment` on a heading of its document; none names the design documents that live outside
/// the repository (the contract is docs/contract.md).
#[test]
fn the_documents_point_only_into_the_repository() {
    use pulldown_cmark::{Event, Parser, Tag};
    let root = Path::new(ROOT).canonicalize().unwrap();
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap();
        let name = doc.strip_prefix(ROOT).unwrap().display().to_string();
        for outside in ["DESIGN.md", "DOMAIN.md", "STYLE.md"] {
            assert!(
                !text.contains(outside),
                "{name} names {outside}, which is not in the repository"
            );
        }
        for event in Parser::new(&text) {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            let url = dest_url.to_string();
            if url.contains("://") || url.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url.as_str(), None),
            };
            let target = if path.is_empty() {
                doc.clone()
            } else {
                doc.parent().unwrap().join(path)
            };
            let target = target
                .canonicalize()
                .unwrap_or_else(|_| panic!("{name}: the link {url:?} leads to no file"));
            assert!(
                target.starts_with(&root),
                "{name}: {url:?} leads out of the repository"
            );
            if let Some(fragment) = fragment {
                let md = std::fs::read_to_string(&target).unwrap();
                let anchors: Vec<String> = headings::headings(&md)
                    .into_iter()
                    .map(|(_, _, a)| a)
                    .collect();
                assert!(
                    anchors.iter().any(|a| a == fragment),
                    "{name}: {url:?}: no heading with the anchor #{fragment}"
                );
            }
        }
    }
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    assert!(
        readme.contains("(docs/contract.md)"),
        "the README links the contract"
    );
}

/// The LICENSE file holds the licence Cargo.toml names.
#[test]
fn the_licence_file_is_the_one_cargo_toml_names() {
    let manifest = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    let license = manifest
        .lines()
        .find_map(|l| l.strip_prefix("license = "))
        .expect("Cargo.toml names a licence")
        .trim_matches('"');
    let text = std::fs::read_to_string(Path::new(ROOT).join("LICENSE"))
        .expect("a LICENSE file at the top of the repository");
    let expected: &[&str] = match license {
        "Apache-2.0" => &[
            "Apache License",
            "Version 2.0, January 2004",
            "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
            "END OF TERMS AND CONDITIONS",
        ],
        "MIT" => &[
            "MIT License",
            "Permission is hereby granted, free of charge",
        ],
        other => panic!("no check for the licence {other:?}: add its text's marks here"),
    };
    for mark in expected {
        assert!(
            text.contains(mark),
            "LICENSE is not the {license} text: {mark:?} is missing"
        );
    }
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    assert!(readme.contains(license), "the README names the licence");
}

/// The catalog of docs/contract.md is the promise: every rule of this version is in it with the
/// same name and severity, and the catalog's rules that are not are the ones its "Where this
/// version differs" names — so neither can change without the other.
#[test]
fn the_contract_catalog_matches_the_rules() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("docs/contract.md")).unwrap();
    let rows: Vec<(String, String, String)> = text
        .lines()
        .filter(|l| l.starts_with("| PP"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (
                cells[1].to_string(),
                cells[2].to_string(),
                cells[3].to_string(),
            )
        })
        .collect();
    assert!(rows.len() >= rules::ALL.len(), "{rows:?}");
    for r in rules::ALL {
        let row = rows
            .iter()
            .find(|(code, _, _)| code == r.code)
            .unwrap_or_else(|| panic!("{} is not in the contract's catalog", r.code));
        assert_eq!(
            (row.1.as_str(), row.2.as_str()),
            (r.name, r.severity.as_str()),
            "{}",
            r.code
        );
    }
    let differs = &text[text.find("## Where this version differs").unwrap()..];
    let not_yet = differs
        .lines()
        .find(|l| l.contains("are not implemented yet"))
        .unwrap_or_default();
    for (code, _, _) in &rows {
        let implemented = rules::ALL.iter().any(|r| r.code == code);
        assert_eq!(
            !implemented,
            not_yet.contains(code.as_str()),
            "{code}: docs/contract.md must say exactly which rules are not implemented yet"
        );
    }
}
