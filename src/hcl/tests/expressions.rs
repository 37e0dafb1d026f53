//! Expressions: literals, operators, conditionals, templates, `for`, splats, functions in
//! context, locals, `path` and `terraform` values.

use super::*;

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
    // The `id` or `arn` of a resource is set once it is created (ecosystem row 4: the
    // autoscaling module's instance profile guard); another attribute may be null.
    assert_eq!(
        eval_with(extra, "aws_security_group.a.id != null"),
        Value::Bool(true)
    );
    let v = eval_with(extra, "aws_security_group.a.name_prefix != null");
    assert!(matches!(v, Value::Unknown(_) | Value::Ref(_)), "{v:?}");
    // A whole resource (or module) instance is an object, never null, whatever its attributes.
    assert_eq!(
        eval_with(extra, "aws_security_group.a != null"),
        Value::Bool(true)
    );
    assert_eq!(
        eval_with(extra, "null == aws_security_group.a"),
        Value::Bool(false)
    );
    // A string template is a string whatever its parts (Terraform refines it as not null): the
    // terraform-aws-ecs container-definition module drops null members this way, and an image
    // "${aws_ecr_repository.x.repository_url}:tag" must not vanish with them.
    assert_eq!(
        eval_with(extra, "\"${aws_security_group.a.id}:latest\" != null"),
        Value::Bool(true)
    );
    assert_eq!(
        eval_with(extra, "\"x-${var.u}\" == null"),
        Value::Bool(false)
    );
    assert_eq!(
        eval_with(
            extra,
            "{ for k, v in { i = \"${var.u}:1\", n = null } : k => v if v != null }"
        ),
        eval_with(extra, "{ i = \"${var.u}:1\" }")
    );
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

/// A JSON document written as a template keeps its structure when its undecided parts are
/// inside strings (container definitions in a heredoc or a `template_file`); anywhere else the
/// text stays unknown.
#[test]
fn json_templates_with_unknown_strings_keep_their_structure() {
    let extra = "resource \"aws_ecr_repository\" \"app\" {}\nvariable \"u\" {}\n\
                 data \"template_file\" \"defs\" {\n  template = \"[{\\\"image\\\": \\\"$${image}\\\"}]\"\n  \
                 vars = {\n    image = aws_ecr_repository.app.repository_url\n  }\n}";
    let url = reference("aws_ecr_repository.app", "repository_url");
    let v = eval_with(
        extra,
        "<<EOT\n[{\"image\": \"${aws_ecr_repository.app.repository_url}:v1\", \"cpu\": 256,\n\
         \"log\": {\"driver\": \"awslogs\", \"group\": \"/ecs/${var.u}\"}}]\nEOT\n",
    );
    let Value::List(items) = &v else {
        panic!("{v:?}")
    };
    let c = &items[0];
    assert_eq!(c.get("cpu"), Some(&n(256.0)));
    assert_eq!(c.path(&["log", "driver"]), Some(&s("awslogs")));
    match c.get("image") {
        Some(Value::Unknown(u)) => {
            assert_eq!(
                u.starts_with.as_ref().map(|t| t.address.as_str()),
                Some("aws_ecr_repository.app")
            );
            assert!(u.not_null);
        }
        other => panic!("{other:?}"),
    }
    let group = c.path(&["log", "group"]).cloned().unwrap_or(Value::Null);
    assert!(
        reason(&group).contains("variable `u` has no value"),
        "{group:?}"
    );
    // A string that is one undecided part is that part; so through `template_file`.
    assert_eq!(
        eval_with(extra, "data.template_file.defs.rendered"),
        l(vec![Value::Object(
            [("image", url.clone())].into_iter().collect()
        )])
    );
    // `jsondecode` of the document is the document.
    assert_eq!(
        eval_with(
            extra,
            "jsondecode(data.template_file.defs.rendered)[0].image"
        ),
        url
    );
    // Outside a string, in a key, under an undecided directive, or in text that is not a
    // JSON document: unknown.
    for t in [
        "\"[{\\\"cpu\\\": ${var.u}}]\"",
        "\"{\\\"${var.u}\\\": 1}\"",
        "\"[%{ if var.u }{\\\"a\\\": 1}%{ endif }]\"",
        "\"image: ${aws_ecr_repository.app.repository_url}\"",
    ] {
        let v = eval_with(extra, t);
        assert!(matches!(v, Value::Unknown(_)), "{t}: {v:?}");
    }
    // A partly known `jsonencode` result written into the document (`"[${local.c}]"`, row 72)
    // is the document's member with its structure; written inside a string, it is not JSON.
    let v = eval_with(
        extra,
        "\"[${jsonencode({ name = \"web\", image = \"${aws_ecr_repository.app.repository_url}:v1\", cpu = 256 })}]\"",
    );
    let Value::List(items) = &v else {
        panic!("{v:?}")
    };
    assert_eq!(items[0].get("name"), Some(&s("web")));
    assert_eq!(items[0].get("cpu"), Some(&n(256.0)));
    assert!(
        matches!(items[0].get("image"), Some(Value::Unknown(u)) if u.starts_with.is_some()),
        "{v:?}"
    );
    let v = eval_with(
        extra,
        "\"{\\\"c\\\": \\\"${jsonencode({ image = var.u })}\\\"}\"",
    );
    assert!(matches!(v, Value::Unknown(_)), "{v:?}");
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

/// An object `for` whose `if` is not decided for some elements keeps the others: an object
/// whose attribute set is not known, but whose decided attributes are (the terraform-aws-ecs
/// container-definition module drops null arguments this way). Only reading an attribute,
/// `merge` and `!= null` see into it; anything else is unknown, as the whole object is.
#[test]
fn a_for_with_an_undecided_if_keeps_the_decided_elements() {
    use crate::model::value::Partial;
    let extra = "variable \"u\" {}\nlocals {\n  \
                 p = { for k, v in { a = 1, b = var.u, c = null } : k => v if v != null }\n}";
    let p = eval_with(extra, "local.p");
    match p.partial() {
        Some(Partial::Object(m)) => {
            assert_eq!(m.get("a"), Some(&n(1.0)));
            assert!(m.get("b").is_some_and(Value::is_undecided));
            assert!(m.get("c").is_none());
        }
        other => panic!("{other:?}"),
    }
    assert!(reason(&p).contains("the `if` of a `for` expression is not known"));
    assert_eq!(eval_with(extra, "local.p.a"), n(1.0));
    assert_eq!(eval_with(extra, "local.p[\"a\"]"), n(1.0));
    let b = eval_with(extra, "local.p.b");
    assert!(
        reason(&b).contains("whether the object has `b` is not known"),
        "{b:?}"
    );
    assert!(b.partial().is_none());
    assert_eq!(eval_with(extra, "local.p != null"), Value::Bool(true));
    assert_eq!(eval_with(extra, "merge(local.p, { b = 2 }).b"), n(2.0));
    assert_eq!(eval_with(extra, "merge({ z = 0 }, local.p).z"), n(0.0));
    assert!(eval_with(extra, "merge({ a = 0 }, local.p)")
        .partial()
        .is_some());
    // Its keys, its size, a list built from it, a function of it: unknown, and not partial.
    for e in [
        "keys(local.p)",
        "length(local.p)",
        "[for k, v in local.p : k]",
        "concat(local.p, [1])",
        "upper(local.p)",
        "local.p[*]",
    ] {
        let v = eval_with(extra, e);
        assert!(
            matches!(&v, Value::Unknown(u) if u.partial.is_none()),
            "{e}: {v:?}"
        );
    }
    // A list `for` with an undecided `if` has an unknown length: unknown as a whole.
    let v = eval_with(extra, "[for v in [1, var.u] : v if v != null]");
    assert!(
        matches!(&v, Value::Unknown(u) if u.partial.is_none()),
        "{v:?}"
    );
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

/// Terraform's refinement of a template with unknown parts: the text before the first unknown
/// part is known (`"123456789012.dkr.ecr.${var.region}…"` is an image of private ECR, whatever
/// the region; `"${family}:${revision}"` names its task definition family).
#[test]
fn a_template_keeps_its_known_prefix() {
    let extra = "variable \"tag\" {\n type = string\n}\nlocals {\n region = \"us-west-2\"\n}";
    let prefix = |expr: &str| match eval_with(extra, expr) {
        Value::Unknown(u) => u.prefix.clone(),
        other => panic!("{expr}: {other:?}"),
    };
    assert_eq!(
        prefix("\"123456789012.dkr.ecr.${local.region}.amazonaws.com/app:${var.tag}\"").as_deref(),
        Some("123456789012.dkr.ecr.us-west-2.amazonaws.com/app:")
    );
    assert_eq!(prefix("\"a ${~ var.tag} b\"").as_deref(), Some("a"));
    assert_eq!(
        prefix("\"a%{ if true }b%{ endif }${var.tag}\"").as_deref(),
        Some("a")
    );
    assert_eq!(prefix("\"${var.tag}:1\""), None);
}

/// A string of a JSON template with an unknown part keeps its marked text (the known text, a
/// JSON-escaped marker for each unknown part): a heredoc policy's `Resource` still names its log
/// group although its account is not known.
#[test]
fn a_json_template_string_keeps_its_marked_text() {
    let extra = "variable \"account\" {\n type = string\n}";
    let doc = eval_with(
        extra,
        "<<-EOT\n  {\"Resource\": \"arn:aws:logs:us-east-1:${var.account}:log-group:/ecs/web:*\", \"Sid\": \"${var.account}\"}\nEOT\n",
    );
    let marked = |key: &str| match doc.get(key) {
        Some(Value::Unknown(u)) => u.marked.as_deref().map(str::to_string),
        other => panic!("{key}: {other:?}"),
    };
    let resource = marked("Resource").unwrap();
    assert!(
        resource.starts_with("arn:aws:logs:us-east-1:\\u0001")
            && resource.ends_with("\\u0002:log-group:/ecs/web:*"),
        "{resource}"
    );
    // A string that is the unknown part alone is that part.
    assert!(
        reason(doc.get("Sid").unwrap()).contains("variable `account` has no value"),
        "{doc:?}"
    );
}

/// `replace()` on an ECR repository URL with a search text no repository URL can hold is the
/// URL itself (so `"${replace(url, "https://", "")}:v1"` still begins with the repository);
/// with a text it may hold, or on another attribute, it stays unknown.
#[test]
fn replace_on_a_repository_url() {
    let extra = "resource \"aws_ecr_repository\" \"app\" {\n  name = \"app\"\n}\n\
                 resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}";
    let url = reference("aws_ecr_repository.app", "repository_url");
    assert_eq!(
        eval_with(
            extra,
            "replace(aws_ecr_repository.app.repository_url, \"https://\", \"\")"
        ),
        url
    );
    match eval_with(
        extra,
        "\"${replace(aws_ecr_repository.app.repository_url, \"https://\", \"\")}:v1\"",
    ) {
        Value::Unknown(u) => assert_eq!(
            u.starts_with.as_ref().map(|t| t.address.as_str()),
            Some("aws_ecr_repository.app")
        ),
        other => panic!("{other:?}"),
    }
    for expr in [
        "replace(aws_ecr_repository.app.repository_url, \"dkr\", \"x\")",
        "replace(aws_ecr_repository.app.repository_url, \"/[a-z]+/\", \"\")",
        "replace(aws_s3_bucket.b.bucket_domain_name, \"https://\", \"\")",
    ] {
        let v = eval_with(extra, expr);
        assert!(!matches!(v, Value::Ref(_)), "{expr}: {v:?}");
    }
}

/// `format` with parts known only after apply is the template its spec spells: it begins
/// with the resource it begins with and keeps its known text (a secret's `valueFrom` written
/// `format("%s:%s::", aws_secretsmanager_secret.db.id, "password")` names that secret), as
/// `"${aws_secretsmanager_secret.db.id}:password::"` does; known arguments still format as
/// before, a spec with other verbs is read by `format` itself, and template syntax in the
/// spec's text stays literal.
#[test]
fn format_with_unknown_parts_is_its_template() {
    let extra = "resource \"aws_secretsmanager_secret\" \"db\" {\n  name = \"db\"\n}\n";
    let f = eval_with(
        extra,
        "format(\"%s:%s::\", aws_secretsmanager_secret.db.id, \"password\")",
    );
    let t = eval_with(extra, "\"${aws_secretsmanager_secret.db.id}:password::\"");
    match (&f, &t) {
        (Value::Unknown(a), Value::Unknown(b)) => {
            assert_eq!(
                a.starts_with.as_ref().map(|t| t.address.as_str()),
                Some("aws_secretsmanager_secret.db")
            );
            assert_eq!(a.starts_with, b.starts_with);
            assert_eq!(a.marked, b.marked);
            assert!(a.not_null);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(eval("format(\"%s-%d%%\", \"a\", 5)"), s("a-5%"));
    // `%5s` is no plain verb: `format` itself, an unknown string.
    let padded = eval_with(extra, "format(\"%5s\", aws_secretsmanager_secret.db.id)");
    assert!(
        matches!(&padded, Value::Unknown(u) if u.starts_with.is_none()),
        "{padded:?}"
    );
    let literal = eval_with(
        extra,
        "format(\"$${x}/%s\", aws_secretsmanager_secret.db.id)",
    );
    match &literal {
        Value::Unknown(u) => assert!(
            u.marked.as_deref().is_some_and(|m| m.starts_with("${x}/")),
            "{literal:?}"
        ),
        other => panic!("{other:?}"),
    }
}
