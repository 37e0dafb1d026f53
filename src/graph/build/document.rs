//! Policy documents however they are written: JSON text, a structured value with parts known
//! only after apply (kept as markers the policy engine reads as unknown), or a reference to the
//! attribute of another resource that holds one. Endpoint policies are read here.

use super::builder::Builder;
use super::registry::node_of;
use crate::graph::EndpointPolicy;
use crate::model::{Resource, Value};

impl Builder<'_> {
    /// The effective policy of an endpoint or `aws_vpc_endpoint_policy`.
    pub(super) fn policy_of(&self, r: &Resource, i: usize, v: Option<&Value>) -> EndpointPolicy {
        let source = node_of(self.ix.model, r, i);
        match v {
            None | Some(Value::Null) => EndpointPolicy::Default,
            Some(Value::String(s)) if s.trim().is_empty() => EndpointPolicy::Default,
            Some(v) if v.is_not_configured() => EndpointPolicy::Default,
            Some(v) => match self.policy_document(r.input, v) {
                Ok((json, origin)) => match json {
                    // The resource the document is written in: a data source or policy the
                    // attribute refers to, else the resource itself.
                    serde_json::Value::Object(_) => EndpointPolicy::Document {
                        policy: crate::policy::Policy::from_value(&json),
                        json,
                        source: origin
                            .map_or(source, |o| node_of(self.ix.model, self.ix.res(o), o)),
                    },
                    _ => EndpointPolicy::Invalid {
                        error: "the policy is not a JSON object".into(),
                        source,
                    },
                },
                Err(DocError::Invalid(error)) => EndpointPolicy::Invalid { error, source },
                Err(DocError::Unknown(why)) => EndpointPolicy::Unknown(why),
            },
        }
    }

    /// A policy document given as JSON text, a structured value (HCL `jsonencode` of partly
    /// unknown values), or a reference to another resource's attribute holding one
    /// (`data.aws_iam_policy_document.x.json`, `aws_iam_policy.x.policy`).
    pub(super) fn document_of(
        &self,
        input: usize,
        v: &Value,
        depth: usize,
    ) -> Result<(serde_json::Value, Option<usize>), DocError> {
        self.document(input, v, depth, false)
    }

    /// A policy document: like [`Builder::document_of`], but parts not known before apply
    /// become markers the policy engine evaluates as unknown values (see
    /// `policy::unknown_text`), so that what the rest of the document says still counts.
    pub(super) fn policy_document(
        &self,
        input: usize,
        v: &Value,
    ) -> Result<(serde_json::Value, Option<usize>), DocError> {
        let (json, origin) = self.document(input, v, 0, true)?;
        if has_marker(&json) {
            // A marker where the policy's grammar needs a literal (an Effect, a Version) makes
            // the document unreadable before apply, not invalid.
            if let Err(e) = crate::policy::Policy::from_value(&json) {
                return Err(DocError::Unknown(format!(
                    "parts of the policy are known only after apply ({})",
                    crate::policy::display_unknowns(&e.to_string())
                )));
            }
        }
        Ok((json, origin))
    }

    pub(super) fn document(
        &self,
        input: usize,
        v: &Value,
        depth: usize,
        markers: bool,
    ) -> Result<(serde_json::Value, Option<usize>), DocError> {
        match v {
            Value::String(s) => serde_json::from_str::<serde_json::Value>(s)
                .map(|j| (j, None))
                .map_err(|e| DocError::Invalid(format!("the policy is not valid JSON: {e}"))),
            Value::Object(_) if markers => Ok((with_markers(v), None)),
            Value::Object(_) => v
                .to_json()
                .map(|j| (j, None))
                .ok_or_else(|| DocError::Unknown(v.undecided_reason().unwrap_or_default())),
            Value::Ref(rf) if rf.complete && rf.targets.len() == 1 && depth < 8 => {
                let t = &rf.targets[0];
                // Only a document attribute *is* the document; a reference to an id or ARN
                // means the document is built with it (e.g. an `aws:SourceVpce` condition).
                let document_attr = |a: &str| {
                    matches!(
                        a,
                        "json"
                            | "minified_json"
                            | "policy"
                            | "container_definitions"
                            | "container_properties"
                    )
                };
                if t.attr.as_deref().is_some_and(|a| !document_attr(a)) {
                    return Err(DocError::Unknown(format!(
                        "it uses {t}, known only after apply"
                    )));
                }
                let Some(i) = self.model().lookup_index(input, &t.address) else {
                    return Err(DocError::Unknown(format!(
                        "it refers to {}, whose attributes pullpath does not read",
                        t.address
                    )));
                };
                let x = self.ix.res(i);
                let attr = t.attr.as_deref().unwrap_or(match x.rtype() {
                    "aws_iam_policy_document" => "json",
                    _ => "policy",
                });
                match x.get(attr) {
                    Some(inner) => self
                        .document(x.input, inner, depth + 1, markers)
                        .map(|(j, o)| (j, o.or(Some(i)))),
                    None => Err(DocError::Unknown(format!("{t} is not in the input"))),
                }
            }
            other => Err(DocError::Unknown(
                other
                    .undecided_reason()
                    .unwrap_or_else(|| "not a policy document".into()),
            )),
        }
    }
}

/// Whether a document holds a marker for a part known only after apply (see
/// `policy::unknown_text`), in a key or a value.
fn has_marker(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => crate::policy::is_unknown(s),
        serde_json::Value::Array(items) => items.iter().any(has_marker),
        serde_json::Value::Object(o) => o
            .iter()
            .any(|(k, x)| crate::policy::is_unknown(k) || has_marker(x)),
        _ => false,
    }
}

/// JSON of a partly known value, with a marker for each part not known before apply.
fn with_markers(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Number::from_f64(*n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(with_markers).collect()),
        Value::Object(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, x)| (k.to_string(), with_markers(x)))
                .collect(),
        ),
        Value::Ref(r) => {
            let what: Vec<String> = r.targets.iter().map(ToString::to_string).collect();
            serde_json::Value::String(crate::policy::unknown_text(&what.join(" or ")))
        }
        Value::Unknown(u) => serde_json::Value::String(crate::policy::unknown_text(&u.reason)),
    }
}

pub(super) enum DocError {
    Invalid(String),
    Unknown(String),
}
