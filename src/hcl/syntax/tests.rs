//! Unit tests of the syntax reader: valid text, the nesting guard, and the messages for text
//! that fails to parse.

use super::nesting::{MAX_CHAINED_NESTING, MAX_NESTING};
use super::*;

/// hcl-edit can report an error offset inside a multi-byte character (the HCL fuzzer's
/// crash): every broken text with such characters where the parser stops ends in an error.
#[test]
fn errors_next_to_multi_byte_characters_do_not_panic() {
    let prefixes = [
        "output \"x\" {\n  value = aws_subnet",
        "locals {\n  a = ",
        "resource \"a\" \"b\" {\n  c = [1, ",
        "x = \"",
        "",
    ];
    for p in prefixes {
        for c in ['\u{fef7}', 'é', '€', '😀', '\u{feff}', '\u{200b}'] {
            for tail in ["", "\n", " }", "("] {
                let text = format!("{p}{c}{tail}");
                let _ = parse_body(&text);
                let _ = parse_expr(&text);
                let _ = parse_template(&text);
            }
        }
    }
}

fn error(src: &str) -> (usize, usize, String) {
    let e = parse_body(src).expect_err(src);
    (e.line, e.column, e.message)
}

#[test]
fn valid_text_parses() {
    for src in [
        "a = \"x\"\n",
        "a = \"x\\ny\"\n",
        "a = \"${b + \n 1}\"\n",
        "a = <<EOT\nline \"one\n  ${x}\nEOT\n",
        "a = <<-EOT\n  quoted \" here\n  EOT\n",
        "a = \"$${literal} %%{also}\"\n",
        "# comment with \"quote\n/* block \" */\nb {\n  c = { d = \"}\" }\n}\n",
        "a = \"${ {x = \"y\"}.x }\"\n",
    ] {
        assert!(
            parse_body(src).is_ok(),
            "{src:?}: {:?}",
            parse_body(src).err()
        );
    }
}

/// An expression with `levels` nested brackets, one of each kind in turn (the innermost a
/// template directive), valid HCL.
fn nested(levels: usize) -> String {
    let kinds = [("[", "]"), ("{a = ", "}"), ("(", ")"), ("\"${", "}\"")];
    let mut open = String::new();
    let mut close = String::new();
    for k in 0..levels - 1 {
        let (o, c) = kinds[k % kinds.len()];
        open.push_str(o);
        close.insert_str(0, c);
    }
    format!("{open}\"%{{if true}}x%{{endif}}\"{close}")
}

/// `1 + 1 + (…)` with `levels` brackets in chained operands.
fn chained(levels: usize) -> String {
    format!("{}1{}", "1 + 1 + (".repeat(levels), ")".repeat(levels))
}

/// The offset of the `n`th (1-based) occurrence of `pat` in `s`.
fn nth(s: &str, pat: &str, n: usize) -> usize {
    s.match_indices(pat).nth(n - 1).unwrap().0
}

#[test]
fn nesting_up_to_the_limits_parses() {
    // The block's braces count: 1 + 63.
    let src = format!("locals {{\n  a = {}\n}}\n", nested(MAX_NESTING - 1));
    parse_body(&src).unwrap();
    parse_expr(&nested(MAX_NESTING)).unwrap();
    parse_template(&format!("${{{}}}", nested(MAX_NESTING - 1))).unwrap();
    let src = format!("a = {}\n", chained(MAX_CHAINED_NESTING));
    parse_body(&src).unwrap();
    // Brackets that are not in chained operands, however many (to the nesting limit).
    let src = format!("a = {}1{}\n", "1 + (".repeat(40), ")".repeat(40));
    parse_body(&src).unwrap();
    let src = format!("a = {}1{}\n", "f(1 + 1, ".repeat(40), ")".repeat(40));
    assert!(parse_body(&src).is_ok(), "{:?}", parse_body(&src).err());
}

#[test]
fn nesting_past_the_limit_is_refused_at_the_bracket_that_crosses_it() {
    let src = format!("locals {{\n  a = {}\n}}\n", nested(MAX_NESTING));
    let e = parse_body(&src).unwrap_err();
    let off = nth(&src, "%{", 1);
    assert_eq!((e.line, e.column), (2, off - "locals {\n".len() + 1));
    assert_eq!(
        e.message,
        "nesting too deep: more than 64 levels of brackets (pullpath's limit; `{`, `[`, `(`, \
         `${` and `%{` count as levels); expected at most 64 nested levels"
    );
    let e = parse_expr(&nested(MAX_NESTING + 1)).unwrap_err();
    assert!(
        e.message
            .starts_with("nesting too deep: more than 64 levels"),
        "{e:?}"
    );
    let e = parse_template(&format!("${{{}}}", nested(MAX_NESTING))).unwrap_err();
    assert!(
        e.message
            .starts_with("nesting too deep: more than 64 levels"),
        "{e:?}"
    );
    // In chained operands: at the 7th `(`.
    let src = format!("a = {}\n", chained(MAX_CHAINED_NESTING + 1));
    let e = parse_body(&src).unwrap_err();
    assert_eq!((e.line, e.column), (1, nth(&src, "(", 7) + 1));
    assert_eq!(
        e.message,
        "nesting too deep: more than 6 levels of brackets in operands after a chain's second \
         operator, as in `a + b * (…)` (pullpath's limit: past it, reading an invalid text \
         takes exponential time); expected at most 6 such levels (move the inner operands \
         into locals)"
    );
}

/// The shape a fuzzer found (`Nr = {` and `rl/rl/u != {`, 24 times, never closed): 20 s in
/// the parser, refused before it at the 7th `!= {`.
#[test]
fn exponential_shapes_are_refused_before_the_parser() {
    let src = format!("c = {{\n{}", " Nr ={\n  rl/rl/  u !={\n".repeat(24));
    let e = parse_body(&src).unwrap_err();
    assert_eq!((e.line, e.column), (15, 15));
    assert!(
        e.message
            .contains("more than 6 levels of brackets in operands"),
        "{e:?}"
    );
    // Parentheses, templates, heredocs and `-`/`!` operands double the same way.
    for level in [
        "u+u!=(",
        "u+u!=\"${",
        "u+u!=-(",
        "u+u!=!{",
        "u+u != <<EOT\n${",
    ] {
        let src = format!("c = {{\n{}", level.repeat(24));
        let e = parse_body(&src).unwrap_err();
        assert!(e.message.contains("in operands after"), "{level}: {e:?}");
        let e = parse_expr(&level.repeat(24)).unwrap_err();
        assert!(e.message.contains("in operands after"), "{level}: {e:?}");
        let e = parse_template(&format!("${{{}", level.repeat(24))).unwrap_err();
        assert!(e.message.contains("in operands after"), "{level}: {e:?}");
    }
}

/// `.tf.json` strings are read with the guard: templates in expression positions, `type`
/// strings of variables.
#[test]
fn tf_json_templates_and_types_are_guarded() {
    let shape = format!("${{ {{\n{}", " Nr ={\n  rl/rl/  u !={\n".repeat(24));
    let doc = serde_json::json!({
        "resource": {"aws_vpc": {"main": {"cidr_block": shape}}},
    });
    let e = super::super::json::parse_json_file(&doc.to_string(), "main.tf.json")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("main.tf.json:1:")
            && e.contains("invalid template")
            && e.contains("nesting too deep: more than 6 levels of brackets in operands"),
        "{e}"
    );
    let doc = serde_json::json!({
        "variable": {"v": {"type": "u+u!=(".repeat(24)}},
    });
    let e = super::super::json::parse_json_file(&doc.to_string(), "main.tf.json")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("variable `v`: invalid type") && e.contains("nesting too deep"),
        "{e}"
    );
}

#[test]
fn the_guard_reads_strings_heredocs_and_comments_as_the_parser_does() {
    let deep = "(".repeat(MAX_NESTING + 1);
    // Brackets in strings, heredocs and comments are text.
    for src in [
        format!("a = \"{deep}\"\n"),
        format!("a = \"\\\"{deep}\"\n"),
        format!("a = \"$${{{deep}\"\n"),
        format!("a = <<EOT\n{deep}\nEOT\n"),
        format!("a = <<-EOT\n  {deep}\n  EOT\nb = 1\n"),
        format!("a = 1 # {deep}\n"),
        format!("a = 1 // {deep}\n"),
        format!("a = 1 /* {deep}\n */\n"),
    ] {
        assert!(nesting(&src, Start::Code).is_ok(), "{src}");
    }
    // A template's `${` is a level, in a string, a heredoc, a template read on its own.
    let templates = "${\"".repeat(MAX_NESTING + 1);
    assert!(nesting(&format!("a = \"{templates}"), Start::Code).is_err());
    assert!(nesting(&format!("a = <<EOT\n{templates}"), Start::Code).is_err());
    assert!(nesting(&templates, Start::Template).is_err());
    // The heredoc ends where the parser ends it; what follows is code again.
    assert!(nesting(&format!("a = <<EOT\nx\n  EOT\nb = {deep}"), Start::Code).is_err());
    assert!(nesting(&format!("a = <<EOT\nx\nEOTX\nb = {deep}"), Start::Code).is_ok());
    // Chained operands: the operators count in the expression that holds the bracket
    // (a template's, in the expression that holds its string), up to `=`, `,`, `?` or `:`.
    let seven = |level: &str| format!("a = {}", level.repeat(MAX_CHAINED_NESTING + 1));
    for level in [
        "a + b + (",
        "a + \"x\" != \"${",
        "a && b || f(",
        "a.* + b <= c[",
        "[a+b\n+(",
    ] {
        assert!(nesting(&seven(level), Start::Code).is_err(), "{level}");
    }
    for level in [
        "a + (",
        "a ? b + (",
        "a, b + c + d, (",
        "f(a + b + c, (",
        "k = a + b + c\n {",
    ] {
        assert!(nesting(&seven(level), Start::Code).is_ok(), "{level}");
    }
    // Past a line break, in a block or an object, only after a bracket (where the parser
    // reads the expression on).
    assert!(nesting(&seven("x = a + b + c\n y {\n"), Start::Code).is_ok());
    assert!(nesting(&seven("x = f() + b\n + c + {\n"), Start::Code).is_err());
    assert!(nesting(&seven("x = [a + b\n + ("), Start::Code).is_err());
}

#[test]
fn strings_that_span_lines_are_refused_where_they_start() {
    // Closed on a later line: hcl-edit accepts it, Terraform does not.
    let (l, c, m) = error("a = 1\nb = \"x\ny\"\n");
    assert_eq!((l, c), (2, 5));
    assert!(
        m.starts_with("unterminated string; expected a closing `\"`"),
        "{m}"
    );
    let (l, c, _) = error("b {\n  c = [\"x ${d} y\nz\"]\n}\n");
    assert_eq!((l, c), (2, 8));
    let (l, c, _) = error("resource \"a\nb\" \"c\" {}\n");
    assert_eq!((l, c), (1, 10));
    // Never closed.
    let (l, c, m) = error("a = \"10.0.1.0/24\n");
    assert_eq!((l, c), (1, 5));
    assert!(m.contains("expected a closing"), "{m}");
    let (l, c, _) = error("x {\n  a = \"open\n}\n\ny \"z\" {\n}\n");
    assert_eq!((l, c), (2, 7));
}

#[test]
fn open_interpolations_and_comments() {
    let (l, c, m) = error("a = \"${\"\n");
    assert_eq!((l, c), (1, 6));
    assert!(m.contains("expected an expression and `}`"), "{m}");
    let (_, c, _) = error("a = \"x ${var.b\"\n");
    assert_eq!(c, 8);
    let (l, c, m) = error("a = 1\n/* not closed\nb = 2\n");
    assert_eq!((l, c), (2, 1));
    assert!(m.contains("expected `*/`"), "{m}");
}

#[test]
fn a_chain_goes_on_past_a_line_break_after_a_traversal_or_an_operator() {
    // `s.` + a comment + a line break, then `u + {`: the parser reads `s.u + {`, so the
    // bracket is in a chained operand (the config fuzzer's timeout, doubling per line).
    // The fuzzer's timeout, reduced.
    let src = "\n  rul= u (tess/s.# hass{\n  r+{ st+s.#\n ru+ { {ts+orts.#re\nu+{s+s.#{\nu+ {s+s.# Th= {\n  ru+ { ss+reports.\n  ru+{ \ns+pot.# s\nu+{s+reots.#e ;e \nu+ {s+r.#{\nu+{s+r.#\nu+{s+r.\n  r+{\n sts+ret+ { {ts+s.#= \nu+{s+reports.# The res{\n  ru+ { {\n  rksts+s.# Th{\n  ru+ { {ts+repors.\n  ru+ { {\n  s+reports.#\nn =\"A ";
    let e = parse_body(src).expect_err("too deep");
    assert!(e.message.contains("chain's second operator"), "{e:?}");
    // A line break that ends an expression still ends its chain.
    let fine = "x = {\n  a = b + c\n  d = {\n    e = 1\n  }\n}\n";
    assert!(parse_body(fine).is_ok());
}

#[test]
fn unexpected_tokens_say_what_was_expected() {
    let (l, c, m) = error("a {\n}\n}\n");
    assert_eq!((l, c), (3, 1));
    assert!(
        m.starts_with("unexpected `}`: there is no open block"),
        "{m}"
    );
    assert!(m.contains("expected an attribute"), "{m}");
    let (l, c, m) = error("{\"fail_on\": \"warning\"}\n");
    assert_eq!((l, c), (1, 1));
    assert!(
        m.contains("expected an attribute") && m.contains("looks like JSON"),
        "{m}"
    );
    // Errors hcl-edit describes well are kept.
    let (_, _, m) = error("a {\n  b = \n}\n");
    assert!(m.starts_with("invalid expression; expected"), "{m}");
}

/// Terraform reads a `for` expression with line breaks ignored (the cloudposse label module
/// breaks a conditional after its `:`); a syntax error elsewhere is still reported where it is.
#[test]
fn line_breaks_inside_for_expressions_are_ignored() {
    let src = "locals {\n  t = { for k, v in var.tags : k => v != \"\" ? v :\n    \"none\" }\n  u = [for v in var.l : v\n    if v != null]\n}\n";
    assert!(parse_body(src).is_ok(), "{:?}", parse_body(src).err());
    let broken = "locals {\n  t = { for k, v in var.tags : k => v ? :\n    \"none\" }\n}\n";
    let e = parse_body(broken).unwrap_err();
    assert_eq!(e.line, 2, "{e:?}");
}
