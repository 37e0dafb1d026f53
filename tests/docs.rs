//! The rule documentation is the user documentation: every rule has the fixed headings, every
//! HCL example parses, and the README's rules table is the generated one.

use pullpath::rules;

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
