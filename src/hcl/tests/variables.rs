//! Variables: defaults, type constraints, values given on the command line.

use super::*;

#[test]
fn variable_defaults_and_types() {
    let extra = r#"
variable "port" {
  type    = number
  default = "443"
}
variable "svc" {
  type = map(object({
    name    = string
    private = optional(bool, true)
    subnets = optional(list(string))
  }))
  default = {
    ecr = { name = "ecr.dkr", extra = 1 }
  }
}
variable "missing" {
  type = string
}
"#;
    assert_eq!(eval_with(extra, "var.port"), n(443.0));
    let svc = eval_with(extra, "var.svc.ecr");
    assert_eq!(svc.get("private"), Some(&Value::Bool(true)));
    assert_eq!(svc.get("subnets"), Some(&Value::Null));
    assert_eq!(svc.get("extra"), None);
    let v = eval_with(extra, "var.missing");
    assert_eq!(
        reason(&v),
        "variable `missing` has no value (set it with --var or a .tfvars file)"
    );
    assert!(eval_with(extra, "try(var.nope, 1)") == n(1.0));
}

#[test]
fn command_line_values_follow_the_type() {
    use crate::hcl::vars::RawVar;
    let src = r#"
variable "n" {
  type = number
}
variable "l" {
  type = list(string)
}
variable "s" {
  type = string
}
variable "any" {
  type = any
}
variable "untyped" {}
"#;
    let mut st = state(src);
    for (k, v) in [
        ("n", "3"),
        ("l", "[\"a\", \"b\"]"),
        ("s", "[not hcl"),
        ("any", "{ a = 1 }"),
        ("untyped", "[\"a\"]"),
    ] {
        st.root_vars.insert(
            k.to_string(),
            RawVar::Text {
                text: v.to_string(),
                source: format!("--var {k}"),
            },
        );
    }
    assert_eq!(st.var_value(0, "n").unwrap(), n(3.0));
    assert_eq!(st.var_value(0, "l").unwrap(), l(vec![s("a"), s("b")]));
    assert_eq!(st.var_value(0, "s").unwrap(), s("[not hcl"));
    assert_eq!(st.var_value(0, "any").unwrap().get("a"), Some(&n(1.0)));
    // Without a type constraint Terraform takes the text literally (`ParsingMode` is
    // `VariableParseLiteral` unless a non-primitive type is declared).
    assert_eq!(st.var_value(0, "untyped").unwrap(), s("[\"a\"]"));
}
