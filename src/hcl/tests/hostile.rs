//! Hostile input (issue 14): numbers past a float, and file functions that read only inside
//! the configuration.

use super::*;

#[test]
fn numbers_past_a_float_are_unknown_not_syntax_errors() {
    for lit in ["1e400", "1E+400", "1.5e999", "-1e400", "1e-400", "0.1e-999"] {
        let v = eval(lit);
        assert!(
            reason(&v).contains(lit.trim_start_matches('-')),
            "{lit}: {v:?}"
        );
    }
    let digits = format!("1{}", "0".repeat(400));
    assert!(reason(&eval(&digits)).contains(&digits));
    // Unknown wherever it flows; the other elements stay known.
    assert_eq!(eval("[1e400, 2][1]"), n(2.0));
    assert!(reason(&eval("1e400 > 5")).contains("1e400"));
    assert!(reason(&eval("\"x${1e400}\"")).contains("1e400"));
    // Text is text, and numbers a float holds are numbers.
    assert_eq!(eval("\"1e400\""), s("1e400"));
    assert_eq!(eval("\"$${1e400}\""), s("${1e400}"));
    assert_eq!(eval("<<EOT\n1e400\nEOT\n"), s("1e400\n"));
    assert_eq!(eval("1e308"), n(1e308));
    assert_eq!(eval("0e-400"), n(0.0));
    assert_eq!(eval("1e-300"), n(1e-300));
    // A variable default of it, and a `count` of it: unknown, one instance that may exist
    // (issue 16), with the reason.
    let (rs, notes) = resources(
        "variable \"n\" {\n  default = 1e400\n}\nresource \"aws_subnet\" \"a\" {\n  count = var.n\n}\n",
    );
    assert_eq!(rs.len(), 1, "{rs:?}");
    assert_eq!(rs[0].address, "aws_subnet.a[*]");
    assert!(
        rs[0]
            .may_exist()
            .is_some_and(|m| m.reason.contains("1e400")),
        "{rs:?}"
    );
    assert!(notes.iter().any(|n| n.contains("1e400")), "{notes:?}");
    // Odd literals are syntax errors (as in Terraform), not panics.
    for bad in ["0x10", "1e", "1e+", "0x", "1e400x"] {
        let src = format!("locals {{\n  x = {bad}\n}}\n");
        assert!(parse_hcl_file(&src, "t/main.tf").is_err(), "{bad}");
    }
}

/// A directory under the target directory for the file-function tests.
fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("hcl-unit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("root")).unwrap();
    d
}

/// Evaluates `local.x = expr` in a module whose root directory is `dir`.
fn eval_in(dir: &std::path::Path, expr: &str) -> Value {
    let src = format!("locals {{\n  x = {expr}\n}}\n");
    let shown = dir.to_string_lossy().into_owned();
    let blocks = parse_hcl_file(&src, &format!("{shown}/main.tf")).unwrap();
    let cfg = build_config(&shown, blocks).unwrap();
    let mut st = State::new(std::sync::Arc::new(cfg), &shown);
    local(&mut st, "x")
}

#[test]
fn file_functions_read_only_inside_the_configuration() {
    let d = scratch("confine");
    let root = d.join("root");
    std::fs::write(d.join("secret"), "s3cr3t").unwrap();
    std::fs::write(root.join("in.txt"), "inside").unwrap();
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("sub/t.tpl"), "x=${x}").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("secret"), root.join("link.txt")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("in.txt", root.join("ok-link.txt")).unwrap();
    for call in [
        "file(\"../secret\")",
        "file(\"/proc/self/environ\")",
        "file(\"/etc/hostname\")",
        "filebase64(\"../secret\")",
        "templatefile(\"../secret\", {})",
        "fileexists(\"../secret\")",
        "fileexists(\"/etc/hostname\")",
        "file(\"sub/../../secret\")",
        "file(\"link.txt\")",
        "file(\"/dev/zero\")",
    ] {
        if call.contains("link") && !cfg!(unix) {
            continue;
        }
        let v = eval_in(&root, call);
        let r = reason(&v);
        assert!(r.contains("outside the configuration"), "{call}: {r}");
        assert!(!r.contains("s3cr3t"), "{call}: {r}");
    }
    assert_eq!(eval_in(&root, "file(\"in.txt\")"), s("inside"));
    assert_eq!(eval_in(&root, "file(\"sub/../in.txt\")"), s("inside"));
    assert_eq!(eval_in(&root, "fileexists(\"in.txt\")"), Value::Bool(true));
    assert_eq!(
        eval_in(&root, "fileexists(\"nope.txt\")"),
        Value::Bool(false)
    );
    assert_eq!(
        eval_in(&root, "templatefile(\"sub/t.tpl\", { x = 1 })"),
        s("x=1")
    );
    if cfg!(unix) {
        assert_eq!(eval_in(&root, "file(\"ok-link.txt\")"), s("inside"));
    }
    // With a git repository around it, the whole repository is inside.
    std::fs::create_dir_all(d.join(".git")).unwrap();
    assert_eq!(eval_in(&root, "file(\"../secret\")"), s("s3cr3t"));
    let _ = std::fs::remove_dir_all(&d);
}
