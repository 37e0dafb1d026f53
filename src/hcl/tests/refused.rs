//! What Terraform refuses: errors that stop the input, not notes.

use super::*;

#[test]
fn an_invalid_count_is_fatal_and_an_unknown_one_is_not() {
    let mut st = state(
        r#"
resource "aws_subnet" "text" {
  count = "2"
}
resource "aws_subnet" "later" {
  count = length(aws_vpc.main.id)
}
resource "aws_vpc" "main" {}
"#,
    );
    let out = st.emit(0);
    assert!(st.fatal.is_none(), "{:?}", st.fatal);
    // A number as text is a number, as in Terraform.
    let addrs: Vec<&str> = out.resources.iter().map(|r| r.address.as_str()).collect();
    assert!(addrs.contains(&"aws_subnet.text[1]"), "{addrs:?}");
    let notes = std::mem::take(&mut st.notes).finish();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("`count` of aws_subnet.later is not known")),
        "{notes:?}"
    );

    let mut st = state("resource \"aws_subnet\" \"a\" {\n  count = -1\n}\n");
    let out = st.emit(0);
    assert!(out.resources.is_empty());
    assert_eq!(
        st.fatal.as_deref(),
        Some("t/main.tf:2:3: `count` of aws_subnet.a must be a whole number (0 or more); found the number -1")
    );
}

#[test]
fn the_first_invalid_count_stops_the_expansion_of_the_rest() {
    let mut st = state(
        r#"
resource "aws_subnet" "a" {
  for_each = ["x", ["y"]]
}
resource "aws_subnet" "b" {
  count = 20000
}
"#,
    );
    st.emit(0);
    let fatal = st.fatal.clone().unwrap();
    assert!(
        fatal.starts_with("t/main.tf:3:3: `for_each` of aws_subnet.a must be a map or a set of strings; found a list holding a list"),
        "{fatal}"
    );
}

#[test]
fn a_root_variable_of_the_wrong_type_is_fatal_even_unused_but_a_module_argument_is_a_note() {
    use crate::hcl::vars::RawVar;
    let src = "variable \"cidr\" {\n  type = string\n}\n";
    let mut st = state(src);
    st.root_vars
        .insert("cidr".into(), RawVar::Value(l(vec![s("10.0.0.0/16")])));
    st.root_var_sources
        .insert("cidr".into(), "vars.tfvars.json".into());
    // Unused: the caller (load_root) evaluates every given root variable.
    let v = st.var_value(0, "cidr").unwrap();
    assert!(v.undecided_reason().is_some(), "{v:?}");
    assert_eq!(
        st.fatal.as_deref(),
        Some("vars.tfvars.json: invalid value for variable `cidr` (declared at t/main.tf:1:1): a string is required, got list")
    );

    // A default of the wrong type: a note (conservative: the value is unknown).
    let mut st = state("variable \"cidr\" {\n  type = string\n  default = [1]\n}\n");
    let v = st.var_value(0, "cidr").unwrap();
    assert!(v.undecided_reason().is_some(), "{v:?}");
    assert!(st.fatal.is_none());
}

#[test]
fn a_var_value_nested_past_the_chained_limit_is_refused_without_parsing() {
    use crate::hcl::vars::RawVar;
    // 24 levels of the shape that makes hcl-edit's parser take exponential time (minutes).
    let text = format!("[{}", "u+u!=(".repeat(24));
    let mut st = state("variable \"l\" {\n  type = list(string)\n}\n");
    st.root_vars.insert(
        "l".into(),
        RawVar::Text {
            text,
            source: "--var l".into(),
        },
    );
    let v = st.var_value(0, "l").unwrap();
    assert!(v.undecided_reason().is_some(), "{v:?}");
    let notes = std::mem::take(&mut st.notes).finish();
    assert!(
        notes.iter().any(|n| n.starts_with(
            "variable `l` (from --var l): the value is not valid HCL: nesting too deep"
        )),
        "{notes:?}"
    );
}
