//! Unit tests of the evaluator: expressions, references, instances, data sources, positions.
//! Module layouts and whole directories are tested in `tests/hcl_*.rs` against fixtures.

use std::rc::Rc;

use super::eval::Scope;
use super::instance::State;
use super::source::{build_config, parse_hcl_file};
use crate::model::{Target, Value};

/// The evaluation state of a one-file module.
fn state(src: &str) -> State {
    let blocks = parse_hcl_file(src, "t/main.tf").unwrap_or_else(|e| panic!("{e:#}"));
    let cfg = build_config("t", blocks).unwrap_or_else(|e| panic!("{e:#}"));
    State::new(Rc::new(cfg), "t")
}

fn local(st: &mut State, name: &str) -> Value {
    st.local_value(0, name)
        .unwrap_or_else(|e| panic!("local {name}: {e}"))
}

/// Evaluates one expression in a module made of `extra` and `locals { x = <expr> }`.
fn eval_with(extra: &str, expr: &str) -> Value {
    let mut st = state(&format!("{extra}\nlocals {{\n  x = {expr}\n}}\n"));
    local(&mut st, "x")
}

fn eval(expr: &str) -> Value {
    eval_with("", expr)
}

fn s(x: &str) -> Value {
    Value::String(x.into())
}
fn n(x: f64) -> Value {
    Value::Number(x)
}
fn l(items: Vec<Value>) -> Value {
    Value::List(items)
}
fn reference(address: &str, attr: &str) -> Value {
    Value::reference(
        vec![Target {
            address: address.into(),
            attr: Some(attr.into()),
        }],
        true,
        None,
    )
}
fn reason(v: &Value) -> String {
    v.undecided_reason()
        .unwrap_or_else(|| format!("not undecided: {v:?}"))
}

/// Emits every resource of a one-file module.
fn resources(src: &str) -> (Vec<crate::model::Resource>, Vec<String>) {
    let mut st = state(src);
    let out = st.emit(0);
    let notes = std::mem::take(&mut st.notes).finish();
    (out.resources, notes)
}

fn find<'a>(rs: &'a [crate::model::Resource], address: &str) -> &'a crate::model::Resource {
    rs.iter().find(|r| r.address == address).unwrap_or_else(|| {
        panic!(
            "no {address} in {:?}",
            rs.iter().map(|r| &r.address).collect::<Vec<_>>()
        )
    })
}

// ---- expressions ----

#[test]
fn literals_and_operators() {
    assert_eq!(eval("1 + 2 * 3"), n(7.0));
    assert_eq!(eval("(1 + 2) * 3 - 10 / 4"), n(6.5));
    assert_eq!(eval("7 % 3"), n(1.0));
    assert_eq!(eval("-(2)"), n(-2.0));
    assert_eq!(eval("\"5\" + 1"), n(6.0));
    assert_eq!(eval("1 < 2 && 2 >= 2"), Value::Bool(true));
    assert_eq!(eval("!true || false"), Value::Bool(false));
    assert_eq!(eval("\"a\" == \"a\""), Value::Bool(true));
    assert_eq!(eval("[1, 2] == [1, 2]"), Value::Bool(true));
    assert_eq!(eval("1 == \"1\""), Value::Bool(false));
    assert_eq!(eval("null"), Value::Null);
    assert_eq!(
        eval("{ a = 1, \"b c\" = [true] }").get("b c"),
        Some(&l(vec![Value::Bool(true)]))
    );
    assert_eq!(eval("{ (\"k\") = 1 }").get("k"), Some(&n(1.0)));
}

#[test]
fn logical_operators_decide_with_one_known_side() {
    let extra = "variable \"u\" {}";
    assert_eq!(eval_with(extra, "false && var.u"), Value::Bool(false));
    assert_eq!(eval_with(extra, "var.u || true"), Value::Bool(true));
    let v = eval_with(extra, "true && var.u");
    assert!(reason(&v).contains("variable `u` has no value"), "{v:?}");
}

#[test]
fn conditionals() {
    assert_eq!(eval("true ? \"a\" : \"b\""), s("a"));
    assert_eq!(eval("1 > 2 ? \"a\" : \"b\""), s("b"));
    let extra = "variable \"flag\" {\n type = bool\n}\nresource \"aws_subnet\" \"a\" {}\nresource \"aws_subnet\" \"b\" {}";
    // Unknown condition, same result either way.
    assert_eq!(eval_with(extra, "var.flag ? \"x\" : \"x\""), s("x"));
    // Unknown condition between two references: one reference with both targets.
    let v = eval_with(extra, "var.flag ? aws_subnet.a.id : aws_subnet.b.id");
    match &v {
        Value::Ref(r) => {
            assert_eq!(r.targets.len(), 2);
            assert!(r.complete);
        }
        other => panic!("{other:?}"),
    }
    let v = eval_with(extra, "var.flag ? \"x\" : \"y\"");
    assert!(reason(&v).starts_with("the condition is not known before apply"));
}

#[test]
fn equality_is_decided_where_unknown_parts_do_not_matter() {
    let extra = "variable \"u\" {\n type = string\n}\nresource \"aws_security_group\" \"a\" {}";
    // A known map whose members are unknown is not null: modules filter inputs this way.
    assert_eq!(
        eval_with(extra, "{ a = aws_security_group.a.id } != null"),
        Value::Bool(true)
    );
    assert_eq!(
        eval_with(extra, "{ a = var.u } == null"),
        Value::Bool(false)
    );
    assert_eq!(eval_with(extra, "[var.u] != null"), Value::Bool(true));
    // Different lengths or keys differ whatever the members.
    assert_eq!(
        eval_with(extra, "[var.u] == [var.u, 1]"),
        Value::Bool(false)
    );
    assert_eq!(
        eval_with(extra, "{ a = var.u } == { b = var.u }"),
        Value::Bool(false)
    );
    // A decided difference in one member decides.
    assert_eq!(
        eval_with(extra, "[var.u, 1] == [var.u, 2]"),
        Value::Bool(false)
    );
    // Where the unknown part matters, the result is unknown.
    let v = eval_with(extra, "[var.u] == [\"x\"]");
    assert!(reason(&v).contains("variable `u` has no value"), "{v:?}");
    let v = eval_with(extra, "var.u == null");
    assert!(reason(&v).contains("variable `u` has no value"), "{v:?}");
    let v = eval_with(extra, "aws_security_group.a.id != null");
    assert!(matches!(v, Value::Unknown(_) | Value::Ref(_)), "{v:?}");
}

#[test]
fn jsonencode_with_unknown_parts_is_a_string_for_type_checks() {
    use crate::hcl::types::{convert, Type};
    let extra = "resource \"aws_security_group\" \"a\" {}";
    let v = eval_with(extra, "jsonencode({ sg = aws_security_group.a.id })");
    // A module variable of type string takes it (Terraform types it as an unknown string).
    assert_eq!(convert(v.clone(), &Type::String), Ok(v));
    // A known object is still refused, as Terraform refuses it.
    let known = eval("{ a = 1 }");
    assert!(convert(known, &Type::String).is_err());
}

#[test]
fn an_object_constructor_that_repeats_a_key_keeps_the_last_value() {
    assert_eq!(eval("{ a = 1, b = 2, a = 3 }.a"), n(3.0));
    assert_eq!(eval("{ \"a\" = 1, \"a\" = 3 }.a"), n(3.0));
    assert_eq!(eval("{ a = 1, a = 2, a = 3 }.a"), n(3.0));
    // On separate lines, with a quoted repeat, as real variable defaults write it.
    let v = eval("{\n    Name = \"x\"\n    \"Name\" = \"y\"\n    Name = \"z\"\n  }");
    assert_eq!(v.get("Name"), Some(&s("z")));
}

#[test]
fn template_file_and_templatestring_render_like_templatefile() {
    let extra = "data \"template_file\" \"defs\" {\n  template = \"[{\\\"image\\\": \\\"$${image}\\\"}]\"\n  vars = {\n    image = \"nginx:1.27\"\n  }\n}\nlocals {\n  t = \"Hello, $${name}!\"\n}\nvariable \"u\" {\n  type = string\n}";
    assert_eq!(
        eval_with(extra, "data.template_file.defs.rendered"),
        s("[{\"image\": \"nginx:1.27\"}]")
    );
    assert_eq!(
        eval_with(extra, "templatestring(local.t, { name = \"world\" })"),
        s("Hello, world!")
    );
    let v = eval_with(extra, "templatestring(local.t, { name = var.u })");
    assert!(reason(&v).contains("variable `u` has no value"), "{v:?}");
}

#[test]
fn templates_and_heredocs() {
    assert_eq!(eval("\"a-${1 + 1}-${true}\""), s("a-2-true"));
    // A template that is one interpolation is that value, of any type.
    assert_eq!(eval("\"${[1, 2]}\""), l(vec![n(1.0), n(2.0)]));
    assert_eq!(eval("\"%{ if 1 == 1 }yes%{ else }no%{ endif }\""), s("yes"));
    assert_eq!(
        eval("\"%{ for i, v in [\"a\", \"b\"] }${i}=${v};%{ endfor }\""),
        s("0=a;1=b;")
    );
    assert_eq!(eval("\"[ %{~ if true ~} x %{~ endif ~} ]\""), s("[x]"));
    let v = eval("<<-EOT\n    {\n      \"a\": 1\n    }\n  EOT\n");
    assert_eq!(v, s("{\n  \"a\": 1\n}\n"));
    let v = eval("<<EOT\nline ${\"one\"}\nEOT\n");
    assert_eq!(v, s("line one\n"));
    assert!(eval_with("variable \"v\" {}", "\"x-${var.v}\"").is_undecided());
}

#[test]
fn for_expressions() {
    assert_eq!(
        eval("[for s in [\"a\", \"b\"] : upper(s)]"),
        l(vec![s("A"), s("B")])
    );
    assert_eq!(
        eval("[for i, s in [\"a\", \"b\"] : \"${i}${s}\" if i > 0]"),
        l(vec![s("1b")])
    );
    let v = eval("{ for s in [\"ecr.dkr\", \"logs\"] : replace(s, \".\", \"_\") => s }");
    assert_eq!(v.get("ecr_dkr"), Some(&s("ecr.dkr")));
    assert_eq!(v.get("logs"), Some(&s("logs")));
    let v = eval("{ for k, v in { a = 1, b = 2 } : v => k }");
    assert_eq!(v.get("2"), Some(&s("b")));
    let v = eval("{ for s in [\"a\", \"b\", \"a\"] : s => s... }");
    assert_eq!(v.get("a"), Some(&l(vec![s("a"), s("a")])));
    let v = eval("try({ for s in [\"a\", \"a\"] : s => s }, \"dup\")");
    assert_eq!(v, s("dup"));
}

#[test]
fn splats_and_indexes() {
    let extra = "locals {\n objs = [{ id = \"a\", n = [1] }, { id = \"b\", n = [2] }]\n}";
    assert_eq!(
        eval_with(extra, "local.objs[*].id"),
        l(vec![s("a"), s("b")])
    );
    assert_eq!(eval_with(extra, "local.objs.*.id"), l(vec![s("a"), s("b")]));
    assert_eq!(
        eval_with(extra, "local.objs[*].n[0]"),
        l(vec![n(1.0), n(2.0)])
    );
    assert_eq!(eval_with(extra, "local.objs[1].id"), s("b"));
    assert_eq!(eval_with(extra, "local.objs.0.id"), s("a"));
    assert_eq!(eval("null[*]"), l(vec![]));
    assert_eq!(eval("{ a = 1 }[*].a"), l(vec![n(1.0)]));
    assert_eq!(eval("{ a = { b = 2 } }[\"a\"].b"), n(2.0));
    assert_eq!(eval("try([1][5], \"out\")"), s("out"));
    assert_eq!(eval("try({ a = 1 }.b, \"none\")"), s("none"));
    assert_eq!(eval("can([1][0])"), Value::Bool(true));
    assert_eq!(eval("can([1][1])"), Value::Bool(false));
    assert_eq!(eval("can(local.missing)"), Value::Bool(false));
}

#[test]
fn errors_become_unknown_with_a_note() {
    let mut st = state("locals {\n  x = [1][3]\n}\n");
    let v = local(&mut st, "x");
    assert!(reason(&v).contains("index 3 is out of range"), "{v:?}");
    let notes = std::mem::take(&mut st.notes).finish();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].starts_with("t/main.tf:2:3: local `x`"),
        "{notes:?}"
    );
}

#[test]
fn unsupported_functions_are_unknown() {
    let v = eval("md5(\"x\")");
    assert_eq!(reason(&v), "function `md5` is not supported");
    let v = eval("provider::aws::arn_parse(\"x\")");
    assert_eq!(
        reason(&v),
        "function `provider::aws::arn_parse` is not supported"
    );
    // An unsupported function is not an error: `try` does not skip it.
    assert!(eval("try(md5(\"x\"), \"fallback\")").is_undecided());
}

#[test]
fn functions_in_context() {
    assert_eq!(
        eval("jsonencode({ b = 1, a = [\"x\"] })"),
        s("{\"a\":[\"x\"],\"b\":1}")
    );
    assert_eq!(
        eval("jsondecode(\"[1, \\\"a\\\"]\")"),
        l(vec![n(1.0), s("a")])
    );
    assert_eq!(eval("merge({ a = 1 }, { b = 2 }, { a = 3 }).a"), n(3.0));
    assert_eq!(eval("concat([1], [2, 3])"), l(vec![n(1.0), n(2.0), n(3.0)]));
    assert_eq!(eval("flatten([[1], [[2]]])"), l(vec![n(1.0), n(2.0)]));
    assert_eq!(eval("lookup({ a = 1 }, \"b\", 0)"), n(0.0));
    assert_eq!(eval("element([\"a\", \"b\"], 1)"), s("b"));
    assert_eq!(eval("length(\"héllo\")"), n(5.0));
    assert_eq!(eval("keys({ b = 1, a = 2 })"), l(vec![s("a"), s("b")]));
    assert_eq!(eval("values({ b = 1, a = 2 })"), l(vec![n(2.0), n(1.0)]));
    assert_eq!(
        eval("toset([\"b\", \"a\", \"b\"])"),
        l(vec![s("a"), s("b")])
    );
    assert_eq!(eval("tolist([1])"), l(vec![n(1.0)]));
    assert_eq!(eval("tomap({ a = \"x\" }).a"), s("x"));
    assert_eq!(eval("tostring(1)"), s("1"));
    assert_eq!(eval("tonumber(\"2\")"), n(2.0));
    assert_eq!(eval("tobool(\"false\")"), Value::Bool(false));
    assert_eq!(eval("format(\"%s-%03d\", \"a\", 7)"), s("a-007"));
    assert_eq!(eval("join(\",\", [\"a\", \"b\"])"), s("a,b"));
    assert_eq!(eval("split(\",\", \"a,b\")"), l(vec![s("a"), s("b")]));
    assert_eq!(eval("replace(\"a.b\", \".\", \"_\")"), s("a_b"));
    assert_eq!(eval("lower(\"A\")"), s("a"));
    assert_eq!(eval("upper(\"a\")"), s("A"));
    assert_eq!(
        eval("trimprefix(\"com.amazonaws.s3\", \"com.amazonaws.\")"),
        s("s3")
    );
    assert_eq!(eval("trimsuffix(\"a.json\", \".json\")"), s("a"));
    assert_eq!(eval("trimspace(\" a \")"), s("a"));
    assert_eq!(eval("coalesce(\"\", \"b\")"), s("b"));
    assert_eq!(eval("coalescelist([], [1])"), l(vec![n(1.0)]));
    assert_eq!(eval("distinct([1, 1, 2])"), l(vec![n(1.0), n(2.0)]));
    assert_eq!(eval("contains([\"a\"], \"a\")"), Value::Bool(true));
    assert_eq!(eval("zipmap([\"a\"], [1]).a"), n(1.0));
    assert_eq!(eval("cidrsubnet(\"10.0.0.0/16\", 8, 3)"), s("10.0.3.0/24"));
    assert_eq!(eval("cidrhost(\"10.0.3.0/24\", 5)"), s("10.0.3.5"));
    assert_eq!(eval("compact([\"a\", \"\", null])"), l(vec![s("a")]));
    assert_eq!(eval("slice([1, 2, 3], 0, 2)"), l(vec![n(1.0), n(2.0)]));
    assert_eq!(eval("range(2)"), l(vec![n(0.0), n(1.0)]));
    assert_eq!(eval("one([\"x\"])"), s("x"));
    assert_eq!(eval("sort([\"b\", \"a\"])"), l(vec![s("a"), s("b")]));
    assert_eq!(eval("startswith(\"abc\", \"a\")"), Value::Bool(true));
    assert_eq!(eval("endswith(\"abc\", \"c\")"), Value::Bool(true));
    assert_eq!(eval("substr(\"abcdef\", 2, 3)"), s("cde"));
    assert_eq!(eval("max(1, 7, 3)"), n(7.0));
    assert_eq!(eval("min([4, 2]...)"), n(2.0));
    assert_eq!(eval("abs(-3)"), n(3.0));
    assert_eq!(
        eval("formatlist(\"%s!\", [\"a\", \"b\"])"),
        l(vec![s("a!"), s("b!")])
    );
    assert_eq!(eval("sensitive(\"s\")"), s("s"));
    assert_eq!(eval("nonsensitive(\"s\")"), s("s"));
    assert_eq!(
        eval("length(regexall(\"^[a-z]{2}-\", \"eu-west-1a\")) > 0"),
        Value::Bool(true)
    );
}

#[test]
fn functions_with_unknown_arguments() {
    let extra = "variable \"u\" {}\nresource \"aws_subnet\" \"a\" {}";
    assert_eq!(eval_with(extra, "length([var.u, 1])"), n(2.0));
    assert!(eval_with(extra, "length(var.u)").is_undecided());
    let v = eval_with(extra, "upper(var.u)");
    assert!(reason(&v).contains("variable `u` has no value"), "{v:?}");
    assert_eq!(
        eval_with(extra, "concat([aws_subnet.a.id], [])"),
        l(vec![reference("aws_subnet.a", "id")])
    );
    assert_eq!(
        eval_with(extra, "element([aws_subnet.a.id], 0)"),
        reference("aws_subnet.a", "id")
    );
    assert_eq!(
        eval_with(extra, "lookup({ a = var.u, b = 1 }, \"b\")"),
        n(1.0)
    );
    assert_eq!(
        eval_with(extra, "try(aws_subnet.a.id, \"\")"),
        reference("aws_subnet.a", "id")
    );
}

#[test]
fn jsonencode_keeps_structure_when_partly_unknown() {
    let extra = "resource \"aws_s3_bucket\" \"b\" {}";
    let v = eval_with(
        extra,
        "jsonencode({ Statement = [{ Effect = \"Allow\", Resource = \"${aws_s3_bucket.b.arn}/*\" }] })",
    );
    let st = v.path(&["Statement"]).and_then(Value::as_list).unwrap();
    assert_eq!(st[0].get("Effect"), Some(&s("Allow")));
    assert_eq!(
        reason(&st[0].get("Resource").cloned().unwrap()),
        "aws_s3_bucket.b.arn is known only after apply"
    );
}

#[test]
fn locals_cycles_and_deep_chains_do_not_overflow() {
    let mut st = state("locals {\n a = local.b\n b = local.a\n}\n");
    let v = local(&mut st, "a");
    assert!(reason(&v).contains("depends on itself"), "{v:?}");
    let mut src = String::from("locals {\n");
    for i in 0..5000 {
        src.push_str(&format!("  l{i} = local.l{}\n", i + 1));
    }
    src.push_str("  l5000 = 1\n}\n");
    // Run on a big stack like the real reader; the chain is cut with a reason.
    let v = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || local(&mut state(&src), "l0"))
        .unwrap()
        .join()
        .unwrap();
    assert!(reason(&v).contains("nested too deeply"), "{v:?}");
}

#[test]
fn path_and_terraform_values() {
    assert_eq!(eval("path.module"), s("."));
    assert_eq!(eval("path.root"), s("."));
    assert_eq!(
        eval("terraform.workspace").as_str().map(|w| !w.is_empty()),
        Some(true)
    );
}

// ---- variables ----

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
    use super::vars::RawVar;
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

// ---- resources ----

#[test]
fn references_to_unset_attributes_are_refs_and_set_ones_are_values() {
    let src = r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, 1)
}
"#;
    let (rs, notes) = resources(src);
    assert!(notes.is_empty(), "{notes:?}");
    let a = find(&rs, "aws_subnet.a");
    assert_eq!(a.get("vpc_id"), Some(&reference("aws_vpc.main", "id")));
    assert_eq!(a.get("cidr_block"), Some(&s("10.0.1.0/24")));
}

#[test]
fn count_and_for_each_instances() {
    let src = r#"
variable "azs" {
  default = ["a", "b", "c"]
}
resource "aws_subnet" "private" {
  count             = length(var.azs)
  availability_zone = var.azs[count.index]
  cidr_block        = "10.0.${count.index}.0/24"
}
resource "aws_subnet" "none" {
  count = 0
}
resource "aws_vpc_endpoint" "this" {
  for_each     = { for s in ["ecr.dkr", "logs"] : replace(s, ".", "_") => s }
  service_name = "com.amazonaws.us-east-1.${each.value}"
  tags         = { Key = each.key }
  subnet_ids   = aws_subnet.private[*].id
}
resource "aws_vpc_endpoint" "set" {
  for_each     = toset(["com.amazonaws.us-east-1.s3"])
  service_name = each.key
}
resource "aws_vpc_endpoint" "empty" {
  for_each = {}
}
"#;
    let (rs, _) = resources(src);
    let addrs: Vec<&str> = rs.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addrs,
        vec![
            "aws_subnet.private[0]",
            "aws_subnet.private[1]",
            "aws_subnet.private[2]",
            "aws_vpc_endpoint.this[\"ecr_dkr\"]",
            "aws_vpc_endpoint.this[\"logs\"]",
            "aws_vpc_endpoint.set[\"com.amazonaws.us-east-1.s3\"]",
        ]
    );
    assert_eq!(
        find(&rs, "aws_subnet.private[2]").get("availability_zone"),
        Some(&s("c"))
    );
    let e = find(&rs, "aws_vpc_endpoint.this[\"ecr_dkr\"]");
    assert_eq!(
        e.get("service_name"),
        Some(&s("com.amazonaws.us-east-1.ecr.dkr"))
    );
    assert_eq!(e.values.path(&["tags", "Key"]), Some(&s("ecr_dkr")));
    assert_eq!(
        e.get("subnet_ids"),
        Some(&l(vec![
            reference("aws_subnet.private[0]", "id"),
            reference("aws_subnet.private[1]", "id"),
            reference("aws_subnet.private[2]", "id"),
        ]))
    );
    assert_eq!(
        find(&rs, "aws_vpc_endpoint.set[\"com.amazonaws.us-east-1.s3\"]").get("service_name"),
        Some(&s("com.amazonaws.us-east-1.s3"))
    );
}

/// Issue 16: the instances of an undecided `for_each` are one that may exist (key `[*]`, values
/// where they do not depend on `each`), not none; a reference to them as a collection (or to
/// one key) stays unknown with the reason.
#[test]
fn unknown_for_each_gives_one_instance_that_may_exist_and_a_note() {
    let src = r#"
variable "services" {}
resource "aws_vpc_endpoint" "this" {
  for_each     = var.services
  service_name = each.value
}
resource "aws_security_group" "sg" {
  tags = { first = aws_vpc_endpoint.this["a"].id }
}
"#;
    let (rs, notes) = resources(src);
    assert_eq!(rs.len(), 2);
    assert!(notes.iter().any(|n| n.starts_with("t/main.tf:3:1: `for_each` of aws_vpc_endpoint.this is not known before apply (variable `services` has no value")), "{notes:?}");
    let ep = find(&rs, "aws_vpc_endpoint.this[*]");
    assert_eq!(ep.addr.key, Some(crate::model::InstanceKey::Unknown));
    assert!(
        ep.may_exist
            .as_ref()
            .is_some_and(|m| m.what == "aws_vpc_endpoint.this[*]"
                && m.reason.contains("variable `services` has no value")),
        "{ep:?}"
    );
    assert!(ep.get("service_name").is_some_and(|v| v.is_undecided()));
    let sg = find(&rs, "aws_security_group.sg");
    assert!(sg.may_exist.is_none());
    let tag = sg.values.path(&["tags", "first"]).unwrap();
    assert!(
        reason(tag).contains("`for_each` of aws_vpc_endpoint.this is not known"),
        "{tag:?}"
    );
}

#[test]
fn nested_and_dynamic_blocks_become_lists_of_objects() {
    let src = r#"
resource "aws_security_group" "sg" {
  ingress {
    from_port = 443
    to_port   = 443
    protocol  = "tcp"
  }
  dynamic "ingress" {
    for_each = [80, 8080]
    iterator = port
    content {
      from_port = port.value
      to_port   = port.value
      protocol  = "tcp"
      self      = null
    }
  }
  lifecycle {
    create_before_destroy = true
  }
}
resource "aws_ecs_service" "app" {
  network_configuration {
    subnets = ["subnet-1"]
  }
}
"#;
    let (rs, _) = resources(src);
    let sg = find(&rs, "aws_security_group.sg");
    let ingress = sg.get("ingress").and_then(Value::as_list).unwrap();
    assert_eq!(ingress.len(), 3);
    assert_eq!(ingress[2].get("from_port"), Some(&n(8080.0)));
    assert_eq!(ingress[1].get("self"), None);
    assert!(sg.get("lifecycle").is_none());
    let svc = find(&rs, "aws_ecs_service.app");
    assert_eq!(
        svc.values.path(&["network_configuration", "subnets"]),
        Some(&l(vec![s("subnet-1")]))
    );
}

#[test]
fn data_sources() {
    let src = r#"
provider "aws" {
  region = "eu-north-1"
}
data "aws_region" "current" {}
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_availability_zones" "available" {
  state = "available"
}
data "aws_vpc_endpoint_service" "ecr" {
  service = "ecr.dkr"
}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["ecr:BatchGetImage"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}
locals {
  region    = data.aws_region.current.name
  dns       = data.aws_partition.current.dns_suffix
  account   = data.aws_caller_identity.current.account_id
  arn       = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
  az        = data.aws_availability_zones.available.names[0]
  state     = data.aws_availability_zones.available.state
  service   = data.aws_vpc_endpoint_service.ecr.service_name
  policy    = jsondecode(data.aws_iam_policy_document.p.json)
}
"#;
    let mut st = state(src);
    assert_eq!(local(&mut st, "region"), s("eu-north-1"));
    assert_eq!(local(&mut st, "dns"), s("amazonaws.com"));
    assert_eq!(
        local(&mut st, "account"),
        reference("data.aws_caller_identity.current", "account_id")
    );
    assert_eq!(
        reason(&local(&mut st, "arn")),
        "data source data.aws_caller_identity.current: attributes known only when Terraform reads it"
    );
    assert!(local(&mut st, "az").is_undecided());
    assert_eq!(local(&mut st, "state"), s("available"));
    assert_eq!(
        local(&mut st, "service"),
        s("com.amazonaws.eu-north-1.ecr.dkr")
    );
    let p = local(&mut st, "policy");
    assert_eq!(
        p.path(&["Statement"])
            .and_then(Value::as_list)
            .map(|l| l[0].path(&["Principal", "AWS"]).cloned()),
        Some(Some(s("*")))
    );
}

#[test]
fn provider_aliases_set_resource_regions() {
    let src = r#"
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
resource "aws_vpc" "east" {}
resource "aws_vpc" "west" {
  provider = aws.west
}
"#;
    let (rs, _) = resources(src);
    assert_eq!(
        find(&rs, "aws_vpc.east").region.as_deref(),
        Some("us-east-1")
    );
    assert_eq!(
        find(&rs, "aws_vpc.west").region.as_deref(),
        Some("us-west-2")
    );
}

#[test]
fn locations_and_suppressions() {
    let src = r#"# A comment that is not a suppression.
# pullpath:ignore=PP401,PP402 the bucket policy is managed elsewhere
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.us-east-1.s3" // pullpath:ignore=PP110
}

# pullpath:ignore=PP999 separated by a blank line: not this block's

resource "aws_vpc" "main" {
    cidr_block = "10.0.0.0/16"
}
"#;
    let (rs, _) = resources(src);
    let e = find(&rs, "aws_vpc_endpoint.s3");
    let loc = e.location.as_ref().unwrap();
    assert_eq!(
        (loc.file.as_str(), loc.line, loc.column),
        ("t/main.tf", 3, 1)
    );
    let svc = e.location_of("service_name").unwrap();
    assert_eq!((svc.line, svc.column), (5, 3));
    assert_eq!(e.suppressions.len(), 2);
    assert_eq!(e.suppressions[0].codes, vec!["PP401", "PP402"]);
    assert_eq!(
        e.suppressions[0].reason,
        "the bucket policy is managed elsewhere"
    );
    assert_eq!(e.suppressions[0].location.line, 2);
    assert_eq!(e.suppressions[1].codes, vec!["PP110"]);
    assert_eq!(e.suppressions[1].reason, "");
    let v = find(&rs, "aws_vpc.main");
    assert!(v.suppressions.is_empty());
    let c = v.location_of("cidr_block").unwrap();
    assert_eq!((c.line, c.column), (11, 5));
}

#[test]
fn attributes_set_to_null_are_left_to_the_provider() {
    let src = r#"
resource "aws_vpc_endpoint" "e" {
  policy = null
}
resource "aws_security_group" "sg" {
  tags = { p = aws_vpc_endpoint.e.policy }
}
"#;
    let (rs, _) = resources(src);
    assert_eq!(find(&rs, "aws_vpc_endpoint.e").get("policy"), None);
    assert_eq!(
        find(&rs, "aws_security_group.sg")
            .values
            .path(&["tags", "p"]),
        Some(&reference("aws_vpc_endpoint.e", "policy"))
    );
}

#[test]
fn resource_self_reference_is_unknown_not_a_crash() {
    let src = r#"
resource "aws_security_group" "a" {
  name = aws_security_group.a.name
}
"#;
    let (rs, _) = resources(src);
    assert!(reason(rs[0].get("name").unwrap()).contains("depends on itself"));
}

#[test]
fn constant_scope_refuses_references() {
    let mut st = state("locals {\n a = 1\n}\n");
    let e = hcl::edit::parser::parse_expr("local.a").unwrap();
    assert!(st.eval(&e, &Scope::constant()).is_err());
}

// ---- what Terraform refuses: errors, not notes ----

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
    use super::vars::RawVar;
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
    use super::vars::RawVar;
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

// ---- hostile input (issue 14) ----

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
            .may_exist
            .as_ref()
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
    let mut st = State::new(Rc::new(cfg), &shown);
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

/// Issue 16: a set with one unknown element still has its known elements as instances (they
/// exist whatever the unknown one is), plus one that may exist; `each.value` of that one is the
/// unknown element. A module call whose `count` is undecided gives `module.m[*]`, whose
/// resources may exist for the call's reason.
#[test]
fn partly_known_for_each_keeps_the_known_instances() {
    let src = r#"
variable "extra" {}
resource "aws_vpc_endpoint" "this" {
  for_each     = toset(["s3", var.extra])
  service_name = each.value
}
"#;
    let (rs, _) = resources(src);
    let known = find(&rs, "aws_vpc_endpoint.this[\"s3\"]");
    assert!(known.may_exist.is_none());
    assert_eq!(known.get("service_name"), Some(&s("s3")));
    let maybe = find(&rs, "aws_vpc_endpoint.this[*]");
    assert!(maybe
        .may_exist
        .as_ref()
        .is_some_and(|m| m.reason.contains("variable `extra` has no value")));
    assert!(maybe
        .get("service_name")
        .and_then(|v| v.undecided_reason())
        .is_some_and(|r| r.contains("extra")));
}
