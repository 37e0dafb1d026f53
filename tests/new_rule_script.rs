//! `scripts/new-rule`: the rule scaffold. A dry run prints a rule file with its
//! `declare_rule!` block, the doc headings every rule has, a `check` function and tests on the
//! harness; run into a scratch repository it writes that file, and it refuses an existing file,
//! a code or name already taken, and a malformed code or name. (That the generated file compiles
//! was checked by hand when the script was written: it needs a rebuild of the crate.) Skipped
//! where bash is not installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/skip.rs"]
mod skip;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn have_bash() -> bool {
    let ok = Command::new("bash")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        skip::skipped("bash is not installed");
    }
    ok
}

/// Runs the script with `args`, writing into `root` (the repository when `None`).
fn new_rule(args: &[&str], root: Option<&Path>) -> Output {
    let mut cmd = Command::new("bash");
    cmd.arg(Path::new(ROOT).join("scripts/new-rule"))
        .args(args)
        .current_dir(ROOT)
        .env_remove("NEW_RULE_ROOT");
    if let Some(r) = root {
        cmd.env("NEW_RULE_ROOT", r);
    }
    cmd.output().expect("run scripts/new-rule")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A repository with only `src/rules/image_unreachable.rs` (PP601), removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("pullpath-new-rule-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src/rules")).unwrap();
        std::fs::copy(
            Path::new(ROOT).join("src/rules/image_unreachable.rs"),
            dir.join("src/rules/image_unreachable.rs"),
        )
        .unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn assert_is_a_rule_file(text: &str) {
    for part in [
        "declare_rule! {",
        "    /// ## What it does\n",
        "    /// ## Why is this bad?\n",
        "    /// ## Example\n",
        "    /// ## How to fix\n",
        "    /// ## References\n",
        "        code: \"PP998\",\n",
        "        name: \"scaffold-check\",\n",
        "        check: check,\n",
        "fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {",
        "#[cfg(test)]\nmod tests {\n    use crate::rules::testing::*;",
        "check_hcl(&[(\"main.tf\"",
        "verdicts_of(\"PP998\", &found)",
    ] {
        assert!(text.contains(part), "no {part:?} in:\n{text}");
    }
    let headings: Vec<usize> = [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## How to fix",
        "## References",
    ]
    .iter()
    .map(|h| text.find(h).unwrap())
    .collect();
    assert!(
        headings.windows(2).all(|w| w[0] < w[1]),
        "headings out of order"
    );
}

#[test]
fn dry_run_prints_the_rule_and_the_checklist_and_writes_nothing() {
    if !have_bash() {
        return;
    }
    let o = new_rule(&["--dry-run", "PP998", "scaffold-check"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_is_a_rule_file(&out);
    for step in [
        "src/rules/mod.rs: add `mod scaffold_check;`",
        "`&scaffold_check::RULE` to `ALL`",
        "testdata/plans/scaffold-check/",
        "testdata/hcl/twins/scaffold-check/",
        "snapshots/rules/",
        "pullpath rules --format markdown",
        "PULLPATH_UPDATE_DOCS=1 cargo test --test rules_doc",
    ] {
        assert!(out.contains(step), "the checklist has no {step:?}:\n{out}");
    }
    assert!(!Path::new(ROOT).join("src/rules/scaffold_check.rs").exists());
}

#[test]
fn writes_the_file_once() {
    if !have_bash() {
        return;
    }
    let s = Scratch::new("write");
    let dry = stdout(&new_rule(
        &["--dry-run", "PP998", "scaffold-check"],
        Some(&s.0),
    ));
    let o = new_rule(&["PP998", "scaffold-check"], Some(&s.0));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote src/rules/scaffold_check.rs"));
    let file = s.0.join("src/rules/scaffold_check.rs");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_is_a_rule_file(&written);
    assert!(
        dry.starts_with(&format!(
            "// src/rules/scaffold_check.rs (dry run: not written)\n{written}"
        )),
        "the dry run prints the file that is written"
    );

    let again = new_rule(&["PP998", "scaffold-check"], Some(&s.0));
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
}

#[test]
fn refuses_taken_and_malformed_codes_and_names() {
    if !have_bash() {
        return;
    }
    let s = Scratch::new("refuse");
    for (args, code, says) in [
        (
            &["PP601", "other-name"][..],
            1,
            "PP601 is taken by src/rules/image_unreachable.rs",
        ),
        (&["PP998", "image-unreachable"][..], 1, "already exists"),
        (&["pp998", "scaffold-check"][..], 2, "malformed"),
        (&["PP9981", "scaffold-check"][..], 2, "malformed"),
        (&["PP998", "Scaffold_Check"][..], 2, "malformed"),
        (&["PP998", "scaffold--check"][..], 2, "malformed"),
        (&["PP998", "-scaffold"][..], 2, "unknown option"),
        (&["PP998", "type"][..], 2, "Rust keyword"),
        (&["PP998"][..], 2, "usage"),
    ] {
        let o = new_rule(args, Some(&s.0));
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    let left: Vec<_> = std::fs::read_dir(s.0.join("src/rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["image_unreachable.rs"], "nothing was written");
}
