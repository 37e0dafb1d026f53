//! Data sources whose attributes follow from the configuration alone.
//!
//! - `aws_iam_policy_document`: `json` (and `minified_json`) in the AWS provider's shape, with
//!   `source_policy_documents` / `override_policy_documents` (and the older `source_json` /
//!   `override_json`) merged by `Sid`. When a part is not known, `json` is the structured
//!   document with the undecided parts inside (the graph accepts both shapes).
//! - `aws_region` (`name`, `region`, `id`), `aws_partition` (`partition`, `dns_suffix`,
//!   `reverse_dns_prefix`, `id`) and `aws_vpc_endpoint_service` (`service_name` from `service`)
//!   from the provider's region.
//!
//! Every other data source keeps only its configured arguments: its other attributes become
//! references, which the graph treats as external.

use std::collections::BTreeMap;

use super::eval::{first_undecided, unknown_from};
use crate::aws::endpoint_service_name as service_name;
use crate::aws::{dns_suffix, partition_of_region, reverse_dns_prefix};
use crate::model::Value;

/// Whether pullpath computes attribute `attr` of data source type `rtype`.
pub(crate) fn computes(rtype: &str, attr: &str) -> bool {
    match rtype {
        "aws_iam_policy_document" => matches!(attr, "json" | "minified_json"),
        "aws_region" => matches!(attr, "name" | "region" | "id"),
        "aws_partition" => matches!(
            attr,
            "partition" | "dns_suffix" | "reverse_dns_prefix" | "id"
        ),
        "aws_vpc_endpoint_service" => attr == "service_name",
        "template_file" => attr == "rendered",
        // An AWS managed policy read by its ARN: its document is AWS's, and pullpath has it.
        "aws_iam_policy" => attr == "policy",
        _ => false,
    }
}

pub(crate) fn computes_any(rtype: &str) -> bool {
    matches!(
        rtype,
        "aws_iam_policy_document"
            | "aws_region"
            | "aws_partition"
            | "aws_vpc_endpoint_service"
            | "template_file"
            | "aws_iam_policy"
    )
}

/// The computed attributes of a data source, given its configured arguments and the region of
/// its provider (`None`: the configuration sets none).
pub(crate) fn compute(
    rtype: &str,
    args: &crate::model::value::Map,
    provider_region: Option<&Value>,
    fallback: Option<&str>,
) -> Value {
    let mut out = crate::model::value::Map::new();
    let region = || -> Value {
        if let Some(v) = args.get("region").or_else(|| args.get("name")) {
            return v.clone();
        }
        match (provider_region, fallback) {
            (Some(v), _) => v.clone(),
            (None, Some(f)) => Value::String(f.to_string()),
            (None, None) => Value::unknown(
                "the aws provider's region is not set in the configuration (give --region)",
            ),
        }
    };
    match rtype {
        "aws_iam_policy_document" => {
            let (json, minified) = policy_document(args);
            out.insert("json".into(), json);
            out.insert("minified_json".into(), minified);
        }
        "aws_region" => {
            let r = region();
            for k in ["name", "region", "id"] {
                out.insert(k.into(), r.clone());
            }
        }
        "aws_partition" => {
            let r = match provider_region {
                Some(v) => v.clone(),
                None => match fallback {
                    Some(f) => Value::String(f.to_string()),
                    None => Value::unknown(
                        "the aws provider's region is not set in the configuration (give --region)",
                    ),
                },
            };
            match r.as_str() {
                Some(reg) => {
                    let p = partition_of_region(reg);
                    let (dns, reverse) = (dns_suffix(p), reverse_dns_prefix(p));
                    out.insert("partition".into(), Value::String(p.into()));
                    out.insert("id".into(), Value::String(p.into()));
                    out.insert("dns_suffix".into(), Value::String(dns.into()));
                    out.insert("reverse_dns_prefix".into(), Value::String(reverse.into()));
                }
                None => {
                    let u = unknown_from(&r);
                    for k in ["partition", "id", "dns_suffix", "reverse_dns_prefix"] {
                        out.insert(k.into(), u.clone());
                    }
                }
            }
        }
        "aws_iam_policy" => {
            // Only an AWS managed policy named by ARN: a customer's policy, or one named by
            // `name`, is whatever the account holds (known only when Terraform reads it).
            if let Some(json) = args
                .get("arn")
                .and_then(Value::as_str)
                .and_then(crate::policy::managed::aws_managed_policy_json)
            {
                out.insert("policy".into(), Value::String(json.to_string()));
            }
        }
        "aws_vpc_endpoint_service" => {
            if let (Some(Value::String(svc)), Value::String(reg)) = (args.get("service"), region())
            {
                out.insert(
                    "service_name".into(),
                    Value::String(service_name(&reg, svc)),
                );
            }
        }
        _ => {}
    }
    Value::Object(out)
}

// ---- aws_iam_policy_document ----

/// The `json` and `minified_json` of a policy document data source.
fn policy_document(args: &crate::model::value::Map) -> (Value, Value) {
    let mut statements: Vec<Value> = Vec::new();
    // Sources first, then this document's statements, then overrides; a statement with the
    // Sid of an earlier one replaces it.
    let mut sources: Vec<&Value> = Vec::new();
    if let Some(v) = args.get("source_json") {
        sources.push(v);
    }
    let list_or_one = |v: Option<&Value>| -> Result<Vec<Value>, Value> {
        match v {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::List(items)) => Ok(items.clone()),
            Some(v) if first_undecided(v).is_some() => Err(unknown_from(v)),
            Some(v) => Ok(vec![v.clone()]),
        }
    };
    let src_docs = match list_or_one(args.get("source_policy_documents")) {
        Ok(l) => l,
        Err(u) => return unknown_pair(&u, "source_policy_documents"),
    };
    let over_docs = match list_or_one(args.get("override_policy_documents")) {
        Ok(l) => l,
        Err(u) => return unknown_pair(&u, "override_policy_documents"),
    };
    let mut version = None;
    for doc in sources.into_iter().cloned().chain(src_docs) {
        match doc_statements(&doc) {
            Ok((v, st)) => {
                version = version.or(v);
                merge_statements(&mut statements, st);
            }
            Err(u) => return unknown_pair(&u, "a source policy document"),
        }
    }
    let own: Vec<Value> = match args.get("statement") {
        Some(Value::List(items)) => items.iter().map(statement).collect(),
        Some(v) if first_undecided(v).is_some() => {
            let u = unknown_from(v);
            return (u.clone(), u);
        }
        _ => Vec::new(),
    };
    merge_statements(&mut statements, own);
    let mut overrides: Vec<Value> = Vec::new();
    if let Some(v) = args.get("override_json") {
        overrides.push(v.clone());
    }
    overrides.extend(over_docs);
    for doc in overrides {
        match doc_statements(&doc) {
            Ok((_, st)) => merge_statements(&mut statements, st),
            Err(u) => return unknown_pair(&u, "an override policy document"),
        }
    }
    let mut doc = crate::model::value::Map::new();
    doc.insert(
        "Version".into(),
        args.get("version")
            .cloned()
            .or(version)
            .unwrap_or_else(|| Value::String("2012-10-17".into())),
    );
    if let Some(id) = args.get("policy_id") {
        doc.insert("Id".into(), id.clone());
    }
    doc.insert("Statement".into(), Value::List(statements));
    let doc = Value::Object(doc);
    match doc.to_json() {
        Some(j) => (
            Value::String(serde_json::to_string_pretty(&j).unwrap_or_default()),
            Value::String(serde_json::to_string(&j).unwrap_or_default()),
        ),
        None => (doc.clone(), doc),
    }
}

fn unknown_pair(u: &Value, what: &str) -> (Value, Value) {
    let v = Value::unknown(format!(
        "{what} is not known before apply ({})",
        u.undecided_reason().unwrap_or_default()
    ));
    (v.clone(), v)
}

/// The version and statements of a JSON policy document given as text.
fn doc_statements(v: &Value) -> Result<(Option<Value>, Vec<Value>), Value> {
    let text = match v {
        Value::String(s) if s.trim().is_empty() => return Ok((None, Vec::new())),
        Value::String(s) => s,
        Value::Null => return Ok((None, Vec::new())),
        // A structured document (the partly unknown `json` of another policy document): its
        // statements, with their unknown parts, merge as those of a known one (row 100 of a
        // helper's audit: the whole merged policy was unknown).
        Value::Object(m) if m.get("Statement").is_some() => {
            let st = match v.get("Statement") {
                Some(Value::List(items)) => items.clone(),
                Some(one @ Value::Object(_)) => vec![one.clone()],
                Some(other) => return Err(unknown_from(other)),
                None => Vec::new(),
            };
            return Ok((v.get("Version").cloned(), st));
        }
        other if first_undecided(other).is_some() => return Err(unknown_from(other)),
        Value::Object(_) => return Err(unknown_from(v)),
        _ => return Err(Value::unknown("a policy document that is not JSON text")),
    };
    let j: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Value::unknown(format!("a policy document is not valid JSON: {e}")))?;
    let doc = Value::from(&j);
    let version = doc.get("Version").cloned();
    let st = match doc.get("Statement") {
        Some(Value::List(items)) => items.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => Vec::new(),
    };
    Ok((version, st))
}

fn sid_of(st: &Value) -> Option<&str> {
    st.get("Sid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn merge_statements(into: &mut Vec<Value>, new: Vec<Value>) {
    for st in new {
        let pos = sid_of(&st).and_then(|sid| into.iter().position(|x| sid_of(x) == Some(sid)));
        match pos {
            Some(i) => into[i] = st,
            None => into.push(st),
        }
    }
}

/// One `statement` block in the provider's JSON shape.
fn statement(block: &Value) -> Value {
    let mut out = crate::model::value::Map::new();
    if let Some(sid) = block.get("sid") {
        if sid.as_str() != Some("") {
            out.insert("Sid".into(), sid.clone());
        }
    }
    out.insert(
        "Effect".into(),
        block
            .get("effect")
            .cloned()
            .unwrap_or_else(|| Value::String("Allow".into())),
    );
    for (from, to) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(v) = block.get(from).and_then(string_set) {
            out.insert(to.into(), v);
        }
    }
    for (from, to) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some(v) = block.get(from).and_then(principals) {
            out.insert(to.into(), v);
        }
    }
    if let Some(v) = block.get("condition").and_then(conditions) {
        out.insert("Condition".into(), v);
    }
    Value::Object(out)
}

/// A set of strings as the provider writes it: one element alone, several as a list.
fn string_set(v: &Value) -> Option<Value> {
    match v {
        Value::List(items) => {
            let mut out: Vec<Value> = Vec::with_capacity(items.len());
            for i in items {
                if !out.contains(i) {
                    out.push(i.clone());
                }
            }
            match out.len() {
                0 => None,
                1 => out.pop(),
                _ => Some(Value::List(out)),
            }
        }
        Value::Null => None,
        other => Some(other.clone()),
    }
}

fn principals(v: &Value) -> Option<Value> {
    let Value::List(blocks) = v else {
        return (!v.is_null()).then(|| v.clone());
    };
    if blocks.is_empty() {
        return None;
    }
    let mut by_type: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for b in blocks {
        let ty = match b.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(other) if first_undecided(other).is_some() => {
                return Some(unknown_from(other));
            }
            _ => continue,
        };
        let ids = match b.get("identifiers") {
            Some(Value::List(ids)) => ids.clone(),
            Some(other) if first_undecided(other).is_some() => vec![other.clone()],
            _ => Vec::new(),
        };
        by_type.entry(ty).or_default().extend(ids);
    }
    if let Some(star) = by_type.get("*") {
        if star.iter().all(|i| i.as_str() == Some("*")) && by_type.len() == 1 {
            return Some(Value::String("*".into()));
        }
    }
    Some(Value::Object(
        by_type
            .into_iter()
            .filter_map(|(t, ids)| Some((t, string_set(&Value::List(ids))?)))
            .collect(),
    ))
}

fn conditions(v: &Value) -> Option<Value> {
    let Value::List(blocks) = v else {
        return (!v.is_null()).then(|| v.clone());
    };
    if blocks.is_empty() {
        return None;
    }
    let mut ops: BTreeMap<String, BTreeMap<String, Vec<Value>>> = BTreeMap::new();
    for b in blocks {
        let (Some(Value::String(test)), Some(Value::String(var))) =
            (b.get("test"), b.get("variable"))
        else {
            if let Some(u) = first_undecided(b) {
                return Some(unknown_from(u));
            }
            continue;
        };
        let values = match b.get("values") {
            Some(Value::List(vs)) => vs.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        };
        ops.entry(test.clone())
            .or_default()
            .entry(var.clone())
            .or_default()
            .extend(values);
    }
    Some(Value::Object(
        ops.into_iter()
            .map(|(op, vars)| {
                (
                    op,
                    Value::Object(
                        vars.into_iter()
                            .map(|(k, vs)| {
                                let v = string_set(&Value::List(vs))
                                    .unwrap_or_else(|| Value::List(Vec::new()));
                                (k, v)
                            })
                            .collect(),
                    ),
                )
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(j: serde_json::Value) -> crate::model::value::Map {
        Value::from(&j).as_object().cloned().unwrap()
    }

    #[test]
    fn policy_document_in_provider_shape() {
        let args = obj(serde_json::json!({
            "statement": [{
                "sid": "Pull",
                "actions": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "resources": ["*"],
                "principals": [{"type": "*", "identifiers": ["*"]}],
                "condition": [{"test": "StringEquals", "variable": "aws:SourceVpc", "values": ["vpc-1"]}]
            }, {
                "actions": ["s3:GetObject"],
                "resources": ["arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"],
                "principals": [{"type": "AWS", "identifiers": ["*"]}]
            }]
        }));
        let (json, _) = policy_document(&args);
        let j: serde_json::Value = serde_json::from_str(json.as_str().unwrap()).unwrap();
        assert_eq!(j["Version"], "2012-10-17");
        let st = &j["Statement"];
        assert_eq!(st[0]["Sid"], "Pull");
        assert_eq!(st[0]["Effect"], "Allow");
        assert_eq!(st[0]["Principal"], "*");
        assert_eq!(st[0]["Condition"]["StringEquals"]["aws:SourceVpc"], "vpc-1");
        assert_eq!(st[1]["Action"], "s3:GetObject");
        assert_eq!(st[1]["Principal"]["AWS"], "*");
        assert!(st[1].get("Sid").is_none());
    }

    #[test]
    fn override_documents_replace_by_sid() {
        let base = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        let over =
            r#"{"Statement":[{"Sid":"A","Effect":"Allow","Action":"ecr:*","Resource":"*"}]}"#;
        let args = obj(serde_json::json!({
            "source_policy_documents": [base],
            "override_policy_documents": [over],
        }));
        let (json, _) = policy_document(&args);
        let j: serde_json::Value = serde_json::from_str(json.as_str().unwrap()).unwrap();
        let st = j["Statement"].as_array().unwrap();
        assert_eq!(st.len(), 2);
        assert_eq!(st[0]["Effect"], "Allow");
        assert_eq!(st[0]["Action"], "ecr:*");
    }

    #[test]
    fn unknown_parts_keep_the_structure() {
        let mut args = obj(serde_json::json!({
            "statement": [{"actions": ["s3:GetObject"]}]
        }));
        if let Some(Value::List(st)) = args.get_mut("statement") {
            if let Value::Object(m) = &mut st[0] {
                m.insert(
                    "resources".into(),
                    Value::List(vec![Value::unknown("bucket arn")]),
                );
            }
        }
        let (json, _) = policy_document(&args);
        assert!(json.as_object().is_some());
        assert_eq!(json.undecided_reason().as_deref(), Some("bucket arn"));
    }

    #[test]
    fn service_names_and_partitions() {
        assert_eq!(
            service_name("us-east-1", "ecr.dkr"),
            "com.amazonaws.us-east-1.ecr.dkr"
        );
        assert_eq!(
            service_name("cn-north-1", "ecr.api"),
            "cn.com.amazonaws.cn-north-1.ecr.api"
        );
        assert_eq!(
            service_name("cn-north-1", "s3"),
            "com.amazonaws.cn-north-1.s3"
        );
        let p = compute(
            "aws_partition",
            &crate::model::value::Map::new(),
            Some(&Value::String("us-gov-west-1".into())),
            None,
        );
        assert_eq!(
            p.get("partition").and_then(Value::as_str),
            Some("aws-us-gov")
        );
    }
}
