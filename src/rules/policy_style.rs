//! A policy change written the way the source writes the policy (see
//! [`crate::graph::PolicyStyle`]): HCL object syntax inside `jsonencode({ … })`, `statement`
//! blocks of an `aws_iam_policy_document` data source, or JSON text (a heredoc, a string, a file).
//!
//! Everything here returns text for a fix; a document part that a style cannot express (a
//! `Principal` that is not `"*"` or a map of lists, a condition value that is not a string)
//! makes the caller fall back to JSON, which every style accepts in some form.

use serde_json::Value;

/// A JSON value as an HCL expression, for `jsonencode(…)`: objects with `key = value` lines
/// (keys that are identifiers unquoted, `=` aligned as `terraform fmt` aligns them), lists one
/// item per line, strings with HCL's template sequences (`${`, `%{`) escaped. `indent`: the
/// indentation of the line the value starts on.
pub fn hcl(v: &Value, indent: usize) -> String {
    let text = hcl_value(v, indent);
    // Parts known only after apply read as the interpolations they are.
    crate::policy::display_unknowns(&text)
}

fn hcl_value(v: &Value, indent: usize) -> String {
    let pad = "  ".repeat(indent + 1);
    let end = "  ".repeat(indent);
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => hcl_string(s),
        Value::Array(items) if items.is_empty() => "[]".into(),
        Value::Array(items) if items.iter().all(|x| !x.is_object() && !x.is_array()) => {
            // Short lists of scalars on one line, as Terraform users write `Action`.
            let one: Vec<String> = items.iter().map(|x| hcl_value(x, indent)).collect();
            let line = format!("[{}]", one.join(", "));
            if line.len() + pad.len() <= 100 {
                return line;
            }
            let lines: Vec<String> = one.iter().map(|x| format!("{pad}{x},")).collect();
            format!("[\n{}\n{end}]", lines.join("\n"))
        }
        Value::Array(items) => {
            let lines: Vec<String> = items
                .iter()
                .map(|x| format!("{pad}{},", hcl_value(x, indent + 1)))
                .collect();
            format!("[\n{}\n{end}]", lines.join("\n"))
        }
        Value::Object(map) if map.is_empty() => "{}".into(),
        Value::Object(map) => {
            let entries = ordered(map);
            let keys: Vec<String> = entries.iter().map(|(k, _)| hcl_key(k)).collect();
            let width = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
            let lines: Vec<String> = entries
                .iter()
                .map(|(_, x)| *x)
                .zip(&keys)
                .map(|(x, k)| {
                    let gap = " ".repeat(width - k.chars().count());
                    format!("{pad}{k}{gap} = {}", hcl_value(x, indent + 1))
                })
                .collect();
            format!("{{\n{}\n{end}}}", lines.join("\n"))
        }
    }
}

/// An object key: bare when it is an identifier, else a quoted string (`"aws:SourceVpce"`).
fn hcl_key(k: &str) -> String {
    let mut chars = k.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident {
        k.to_string()
    } else {
        hcl_string(k)
    }
}

/// A quoted HCL string: JSON's escapes, and the template sequences written literally.
fn hcl_string(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    json.replace("${", "$${").replace("%{", "%%{")
}

/// A policy statement as a `statement { … }` block of `aws_iam_policy_document`, or `None`
/// when it holds something the block cannot express here.
pub fn statement_block(st: &Value) -> Option<String> {
    let obj = st.as_object()?;
    let mut attrs: Vec<(&str, String)> = Vec::new();
    let mut blocks: Vec<String> = Vec::new();
    for key in obj.keys() {
        if !IAM_ORDER.contains(&key.as_str())
            || matches!(key.as_str(), "Version" | "Id" | "Statement")
        {
            return None;
        }
    }
    for key in IAM_ORDER {
        let Some(value) = obj.get(*key) else {
            continue;
        };
        match *key {
            "Sid" => attrs.push(("sid", hcl_string(value.as_str()?))),
            "Effect" => attrs.push(("effect", hcl_string(value.as_str()?))),
            "Action" => attrs.push(("actions", string_list(value)?)),
            "NotAction" => attrs.push(("not_actions", string_list(value)?)),
            "Resource" => attrs.push(("resources", string_list(value)?)),
            "NotResource" => attrs.push(("not_resources", string_list(value)?)),
            "Principal" | "NotPrincipal" => {
                let name = if *key == "Principal" {
                    "principals"
                } else {
                    "not_principals"
                };
                match value {
                    Value::String(s) if s == "*" => blocks.push(format!(
                        "  {name} {{\n    type        = \"*\"\n    identifiers = [\"*\"]\n  }}"
                    )),
                    Value::Object(m) => {
                        for (kind, ids) in m {
                            blocks.push(format!(
                                "  {name} {{\n    type        = {}\n    identifiers = {}\n  }}",
                                hcl_string(kind),
                                string_list(ids)?
                            ));
                        }
                    }
                    _ => return None,
                }
            }
            "Condition" => {
                for (test, vars) in value.as_object()? {
                    for (variable, values) in vars.as_object()? {
                        blocks.push(format!(
                            "  condition {{\n    test     = {}\n    variable = {}\n    values   = {}\n  }}",
                            hcl_string(test),
                            hcl_string(variable),
                            string_list(values)?
                        ));
                    }
                }
            }
            _ => return None,
        }
    }
    let width = attrs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::from("statement {\n");
    for (k, v) in &attrs {
        out.push_str(&format!("  {k:width$} = {v}\n"));
    }
    for b in &blocks {
        out.push_str(b);
        out.push('\n');
    }
    out.push_str("}\n");
    Some(crate::policy::display_unknowns(&out))
}

/// The order in which policies are written (AWS's documentation, and most users): the
/// document's keys, then a statement's. Other keys follow in their own (sorted) order.
const IAM_ORDER: &[&str] = &[
    "Version",
    "Id",
    "Statement",
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// An object's entries in [`IAM_ORDER`], then the rest as they come.
fn ordered(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by_key(|(k, _)| {
        IAM_ORDER
            .iter()
            .position(|o| o == k)
            .unwrap_or(IAM_ORDER.len())
    });
    entries
}

/// A JSON document written as a person writes a policy: two-space indentation, keys in
/// [`IAM_ORDER`] (`Sid` and `Effect` first), for JSON text in a heredoc or a file.
pub fn json_text(v: &Value) -> String {
    let text = json_value(v, 0);
    crate::policy::display_unknowns(&text)
}

fn json_value(v: &Value, indent: usize) -> String {
    let pad = "  ".repeat(indent + 1);
    let end = "  ".repeat(indent);
    match v {
        Value::Array(items) if !items.is_empty() => {
            let lines: Vec<String> = items
                .iter()
                .map(|x| format!("{pad}{}", json_value(x, indent + 1)))
                .collect();
            format!("[\n{}\n{end}]", lines.join(",\n"))
        }
        Value::Object(map) if !map.is_empty() => {
            let lines: Vec<String> = ordered(map)
                .into_iter()
                .map(|(k, x)| {
                    format!(
                        "{pad}{}: {}",
                        serde_json::to_string(k).unwrap_or_default(),
                        json_value(x, indent + 1)
                    )
                })
                .collect();
            format!("{{\n{}\n{end}}}", lines.join(",\n"))
        }
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// A string or a list of strings as an HCL list of strings.
fn string_list(v: &Value) -> Option<String> {
    let items: Vec<&str> = match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().map(Value::as_str).collect::<Option<_>>()?,
        _ => return None,
    };
    let quoted: Vec<String> = items.iter().map(|s| hcl_string(s)).collect();
    Some(format!("[{}]", quoted.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_becomes_hcl_object_syntax() {
        let v = json!({
            "Sid": "AllowEcrImageLayers",
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject"],
            "Resource": "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*",
            "Condition": {"StringEquals": {"aws:SourceVpce": "${x}"}},
        });
        assert_eq!(
            hcl(&v, 0),
            "{\n  Sid       = \"AllowEcrImageLayers\"\n  Effect    = \"Allow\"\n  Principal = \"*\"\n  \
             Action    = [\"s3:GetObject\"]\n  Resource  = \"arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*\"\n  \
             Condition = {\n    StringEquals = {\n      \"aws:SourceVpce\" = \"$${x}\"\n    }\n  }\n}"
        );
        assert_eq!(hcl(&json!([]), 0), "[]");
        assert_eq!(
            json_text(&json!({"Statement": [{"Effect": "Allow", "Sid": "A"}], "Version": "2012-10-17"})),
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"A\",\n      \"Effect\": \"Allow\"\n    }\n  ]\n}"
        );
        assert_eq!(
            hcl(&json!([{"a": 1}]), 1),
            "[\n    {\n      a = 1\n    },\n  ]"
        );
    }

    #[test]
    fn statements_become_blocks() {
        let v = json!({
            "Sid": "AllowEcrImageLayers",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*",
        });
        assert_eq!(
            statement_block(&v).unwrap(),
            "statement {\n  sid       = \"AllowEcrImageLayers\"\n  effect    = \"Allow\"\n  \
             actions   = [\"s3:GetObject\"]\n  resources = [\"arn:aws:s3:::b/*\"]\n  principals {\n    \
             type        = \"*\"\n    identifiers = [\"*\"]\n  }\n}\n"
        );
        let cond = json!({"Effect": "Deny", "NotResource": ["a", "b"], "Principal": {"AWS": "arn:x"},
            "Condition": {"StringNotEquals": {"aws:SourceVpc": ["vpc-1"]}}});
        let block = statement_block(&cond).unwrap();
        assert!(block.contains("not_resources = [\"a\", \"b\"]"), "{block}");
        assert!(block.contains("type        = \"AWS\""), "{block}");
        assert!(block.contains("variable = \"aws:SourceVpc\""), "{block}");
        // What a block cannot say: no block, the caller writes JSON.
        assert_eq!(
            statement_block(&json!({"Effect": "Allow", "Principal": "arn:x"})),
            None
        );
        assert_eq!(statement_block(&json!({"Effect": 1})), None);
    }
}
