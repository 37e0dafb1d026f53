//! PP401's fix in the style the configuration writes the policy (`testdata/hcl/fix-style/`, whose
//! README says what each fixture shows): a `statement` block for an `aws_iam_policy_document`
//! data source, an HCL object for `jsonencode`, JSON for a heredoc.
//!
//! - `snapshots`: the text report and the pull-request comment of each fixture, insta snapshots
//!   in `snapshots/fix_style/`;
//! - `the_fixes_apply`: the code of each fix that adds a statement is pasted where the fix says
//!   (a copy of the fixture), and pullpath then finds nothing: the code is valid where it goes
//!   and is the whole fix;
//! - `the_corrected_jsonencode_policy_is_hcl`: the corrected policy of the narrowed-Deny fixture
//!   parses as an HCL attribute, and pasted in place of the policy, passes.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const FIXTURES: &str = "testdata/hcl/fix-style";

fn pullpath(dir: &Path, format: &str) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    cmd.current_dir(ROOT)
        .args(["check", "--color", "never", "--format", format])
        .arg(dir);
    for var in pullpath::app::OPTION_ENV {
        cmd.env_remove(var);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The PP401 findings of a run, from the JSON report.
fn pp401(dir: &Path) -> Vec<serde_json::Value> {
    let (_, out, err) = pullpath(dir, "json");
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}\n{out}"));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PP401")
        .cloned()
        .collect()
}

/// The one PP401 fix of a fixture: its first line (the prose) and the code after it.
fn fix_of(dir: &Path) -> (String, String) {
    let findings = pp401(dir);
    assert_eq!(findings.len(), 1, "{}: {findings:#?}", dir.display());
    let fix = findings[0]["fix"].as_str().unwrap();
    let (prose, code) = fix.split_once('\n').unwrap();
    (prose.to_string(), code.to_string())
}

#[test]
fn snapshots() {
    for case in [
        "jsonencode",
        "policy-document",
        "heredoc",
        "jsonencode-deny",
    ] {
        let dir = Path::new(FIXTURES).join(case);
        let (code, text, err) = pullpath(&dir, "text");
        assert_eq!(code, 1, "{case}: {err}");
        let (_, markdown, _) = pullpath(&dir, "markdown");
        insta::with_settings!({
            snapshot_path => "../snapshots/fix_style",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("{case}-text"), text);
            insta::assert_snapshot!(format!("{case}-markdown"), markdown);
        });
    }
}

#[test]
fn each_style_gets_its_fix() {
    let (prose, code) = fix_of(&Path::new(FIXTURES).join("jsonencode"));
    assert!(prose.starts_with("add this object to the Statement list in the jsonencode of aws_vpc_endpoint.s3 (testdata/hcl/fix-style/jsonencode/endpoints.tf:6)"), "{prose}");
    assert!(
        code.starts_with("{\n  Sid       = \"AllowEcrImageLayers\"\n"),
        "{code}"
    );
    let (prose, code) = fix_of(&Path::new(FIXTURES).join("policy-document"));
    assert_eq!(prose, "add this statement to data.aws_iam_policy_document.s3_endpoint (testdata/hcl/fix-style/policy-document/endpoints.tf:1):");
    assert!(
        code.starts_with("statement {\n  sid       = \"AllowEcrImageLayers\"\n"),
        "{code}"
    );
    let (prose, code) = fix_of(&Path::new(FIXTURES).join("heredoc"));
    assert!(prose.starts_with("add this statement to the \"Statement\" array of the JSON policy of aws_vpc_endpoint.s3"), "{prose}");
    let json: serde_json::Value = serde_json::from_str(&code).unwrap();
    assert_eq!(json["Sid"], "AllowEcrImageLayers");
    // The markdown comment fences each as what it is.
    for (case, fence) in [
        ("jsonencode", "```hcl\n{\n  Sid"),
        ("policy-document", "```hcl\nstatement {"),
        ("heredoc", "```json\n{\n  \"Sid\""),
        ("jsonencode-deny", "```hcl\npolicy = jsonencode({"),
    ] {
        let (_, markdown, _) = pullpath(&Path::new(FIXTURES).join(case), "markdown");
        assert!(markdown.contains(fence), "{case}:\n{markdown}");
        assert!(!markdown.contains("```suggestion"), "{case}");
    }
}

/// A copy of a fixture in a temporary directory, removed on drop.
struct Copy(PathBuf);

impl Copy {
    fn of(case: &str) -> Copy {
        let dir =
            std::env::temp_dir().join(format!("pullpath-fix-style-{case}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for e in std::fs::read_dir(Path::new(ROOT).join(FIXTURES).join(case)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
        Copy(dir)
    }

    fn edit(&self, file: &str, f: impl FnOnce(String) -> String) {
        let path = self.0.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, f(text)).unwrap();
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn indent(code: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    code.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_fixes_apply() {
    // jsonencode: the object goes into the Statement list.
    let copy = Copy::of("jsonencode");
    let (_, code) = fix_of(&copy.0);
    copy.edit("endpoints.tf", |t| {
        let end = "      },\n    ]\n  })";
        assert!(t.contains(end), "{t}");
        t.replacen(
            end,
            &format!("      }},\n{},\n    ]\n  }})", indent(code.trim_end(), 6)),
            1,
        )
    });
    assert_eq!(pp401(&copy.0), Vec::<serde_json::Value>::new());

    // The data source: the statement block goes into it.
    let copy = Copy::of("policy-document");
    let (_, code) = fix_of(&copy.0);
    copy.edit("endpoints.tf", |t| {
        let end = "  }\n}\n";
        assert!(t.contains(end), "{t}");
        t.replacen(
            end,
            &format!("  }}\n\n{}\n}}\n", indent(code.trim_end(), 2)),
            1,
        )
    });
    assert_eq!(pp401(&copy.0), Vec::<serde_json::Value>::new());

    // The heredoc: the JSON statement goes into its array.
    let copy = Copy::of("heredoc");
    let (_, code) = fix_of(&copy.0);
    copy.edit("endpoints.tf", |t| {
        let end = "        }\n      ]\n    }\n  EOT";
        assert!(t.contains(end), "{t}");
        t.replacen(
            end,
            &format!(
                "        }},\n{}\n      ]\n    }}\n  EOT",
                indent(code.trim_end(), 8)
            ),
            1,
        )
    });
    assert_eq!(pp401(&copy.0), Vec::<serde_json::Value>::new());
}

#[test]
fn the_corrected_jsonencode_policy_is_hcl() {
    let copy = Copy::of("jsonencode-deny");
    let (prose, code) = fix_of(&copy.0);
    assert!(
        prose.contains("the Deny narrowed to leave out the layer bucket"),
        "{prose}"
    );
    let body: hcl::Body = hcl::parse(&code).unwrap_or_else(|e| panic!("{e}\n{code}"));
    assert_eq!(body.attributes().count(), 1);
    // In place of the policy attribute, it passes.
    copy.edit("endpoints.tf", |t| {
        let start = t.find("  policy = jsonencode({").unwrap();
        let end = start + t[start..].find("\n  })\n").unwrap() + "\n  })\n".len();
        format!(
            "{}{}\n{}",
            &t[..start],
            indent(code.trim_end(), 2),
            &t[end..]
        )
    });
    assert_eq!(pp401(&copy.0), Vec::<serde_json::Value>::new());
}
