//! Policy documents however they are written: JSON text, a structured value with parts known
//! only after apply (kept as markers the policy engine reads as unknown), or a reference to the
//! attribute of another resource that holds one. Endpoint policies are read here.

use super::builder::Builder;
use super::registry::node_of;
use crate::graph::{EndpointPolicy, PolicyDocument, PolicyStyle};
use crate::model::{Resource, Syntax, Target, Value};

impl Builder<'_> {
    /// The effective policy of an endpoint or `aws_vpc_endpoint_policy`.
    pub(super) fn policy_of(&self, r: &Resource, i: usize, v: Option<&Value>) -> EndpointPolicy {
        let source = || node_of(self.ix.model, r, i);
        match v {
            None | Some(Value::Null) => EndpointPolicy::Default,
            Some(Value::String(s)) if s.trim().is_empty() => EndpointPolicy::Default,
            Some(v) if v.is_not_configured() => EndpointPolicy::Default,
            Some(v) => match self.policy_document(r.input, v) {
                Ok((json, origin)) => match json {
                    // The resource the document is written in: a data source or policy the
                    // attribute refers to, else the resource itself.
                    serde_json::Value::Object(_) => {
                        EndpointPolicy::Document(Box::new(PolicyDocument {
                            policy: crate::policy::Policy::from_value(&json),
                            json,
                            style: match origin {
                                Some(o) => self.policy_style(self.ix.res(o), o),
                                None => self.policy_style(r, i),
                            },
                            source: origin
                                .map_or_else(source, |o| node_of(self.ix.model, self.ix.res(o), o)),
                        }))
                    }
                    _ => EndpointPolicy::Invalid {
                        error: "the policy is not a JSON object".into(),
                        source: Box::new(source()),
                    },
                },
                Err(DocError::Invalid(error)) => EndpointPolicy::Invalid {
                    error,
                    source: Box::new(source()),
                },
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
            Value::Object(_) if markers => Ok((self.with_markers(input, v), None)),
            // A heredoc whose interpolations are not known before apply: its marked text.
            Value::Unknown(u) if markers && u.marked.is_some() => {
                let text = u.marked.as_deref().unwrap_or_default();
                match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(mut j) => {
                        self.canonical_markers(input, &mut j);
                        Ok((j, None))
                    }
                    Err(_) => Err(DocError::Unknown(u.reason.to_string())),
                }
            }
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

impl Builder<'_> {
    /// How the resource that holds a policy document writes it: an `aws_iam_policy_document`
    /// data source with `statement` blocks (the holder itself, or the data source its `policy`
    /// refers to), else its `policy` attribute as the source writes it (known for HCL inputs
    /// and for plans read with their configuration).
    fn policy_style(&self, holder: &Resource, h: usize) -> PolicyStyle {
        let model = self.ix.model;
        if holder.is_data() && holder.rtype() == "aws_iam_policy_document" {
            return PolicyStyle::PolicyDocument {
                name: node_of(model, holder, h).name(),
                at: holder.location().cloned(),
            };
        }
        let at = holder.location_of("policy").cloned();
        match holder.syntax_of("policy") {
            Some(Syntax::Jsonencode) => PolicyStyle::Jsonencode { at },
            Some(Syntax::JsonText) => PolicyStyle::Json { at },
            Some(Syntax::PolicyDocument(rel)) => {
                let address = crate::model::address::join(holder.addr.module_instance(), rel);
                match model.lookup_index(holder.input, &address) {
                    Some(d) => {
                        let data = self.ix.res(d);
                        PolicyStyle::PolicyDocument {
                            name: node_of(model, data, d).name(),
                            at: data.location().cloned(),
                        }
                    }
                    None => PolicyStyle::Unknown,
                }
            }
            None => PolicyStyle::Unknown,
        }
    }
}

/// The text of a string template from its marked text (see `Unknown::marked`: the template's
/// text with each part not known written as a JSON-escaped marker `\u0001what\u0002`), each
/// part not known as a marker (`policy::unknown_text`); `None` when it holds no marker.
fn marked_string(marked: &str) -> Option<serde_json::Value> {
    const OPEN: &str = "\\u0001";
    const CLOSE: &str = "\\u0002";
    let mut out = String::with_capacity(marked.len());
    let mut rest = marked;
    let mut any = false;
    while let Some(open) = rest.find(OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + OPEN.len()..];
        // An unclosed marker: unknown to the end.
        let (escaped, tail) = match after.find(CLOSE) {
            Some(close) => (&after[..close], &after[close + CLOSE.len()..]),
            None => (after, ""),
        };
        let what = serde_json::from_str::<String>(&format!("\"{escaped}\""))
            .unwrap_or_else(|_| escaped.to_string());
        out.push_str(&crate::policy::unknown_text(&what));
        any = true;
        rest = tail;
    }
    out.push_str(rest);
    any.then_some(serde_json::Value::String(out))
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

impl Builder<'_> {
    /// JSON of a partly known value, with a marker for each part not known before apply.
    fn with_markers(&self, input: usize, v: &Value) -> serde_json::Value {
        v.to_json_with(&mut |x| {
            // A string template (`"arn:aws:logs:${var.region}:${local.account}:log-group:/ecs/web:*"`):
            // its known text stays, a marker in place of each part not known, so that what the
            // known text says still decides (this names no log group but `/ecs/web`).
            if let Value::Unknown(u) = x {
                if let Some(mut j) = u.marked.as_deref().and_then(marked_string) {
                    self.canonical_markers(input, &mut j);
                    return j;
                }
            }
            if let Value::Ref(r) = x {
                if let ([t], true) = (r.targets.as_slice(), r.complete) {
                    if let Some(arn) = self.derived_arn(input, t) {
                        return serde_json::Value::String(arn);
                    }
                }
            }
            let what = match x {
                Value::Ref(r) => {
                    let what: Vec<String> = r
                        .targets
                        .iter()
                        .map(|t| self.reference_text(input, t))
                        .collect();
                    what.join(" or ")
                }
                // A nested part of a resource attribute (`….master_user_secret[0].secret_arn`):
                // the reference it is, as a container's secret names it.
                Value::Unknown(u)
                    if !u.not_null
                        && u.marked.is_none()
                        && u.prefix.is_none()
                        && u.partial.is_none() =>
                {
                    match &u.starts_with {
                        Some(t) => self.reference_text(input, t),
                        None => u.reason.to_string(),
                    }
                }
                Value::Unknown(u) => u.reason.to_string(),
                _ => String::new(),
            };
            serde_json::Value::String(crate::policy::unknown_text(&what))
        })
    }

    /// Writes the markers of a document read from a template's marked text (whose references
    /// are written as the configuration writes them) the way [`Builder::reference_text`] does.
    fn canonical_markers(&self, input: usize, j: &mut serde_json::Value) {
        match j {
            serde_json::Value::String(s) if crate::policy::is_unknown(s) => {
                let mut out = String::new();
                let mut rest = s.as_str();
                while let Some(open) = rest.find('\u{1}') {
                    out.push_str(&rest[..open]);
                    let after = &rest[open + 1..];
                    let Some(close) = after.find('\u{2}') else {
                        out.push_str(&rest[open..]);
                        rest = "";
                        break;
                    };
                    let what = &after[..close];
                    let target = what
                        .rsplit_once('.')
                        .filter(|_| !what.contains(" or "))
                        .map(|(address, attr)| Target {
                            address: address.to_string(),
                            attr: Some(crate::model::attribute_name(attr)),
                        });
                    match target {
                        Some(t) => match self.derived_arn(input, &t) {
                            Some(arn) => out.push_str(&arn),
                            None => out.push_str(&crate::policy::unknown_text(
                                &self.reference_text(input, &t),
                            )),
                        },
                        None => out.push_str(&crate::policy::unknown_text(what)),
                    }
                    rest = &after[close + 1..];
                }
                out.push_str(rest);
                *s = out;
            }
            serde_json::Value::Array(items) => {
                for x in items {
                    self.canonical_markers(input, x);
                }
            }
            serde_json::Value::Object(m) => {
                for x in m.values_mut() {
                    self.canonical_markers(input, x);
                }
            }
            _ => {}
        }
    }

    /// The ARN a reference to a resource of the input gives, when its known arguments make it
    /// (Terraform AWS provider: an `aws_s3_bucket`'s `arn` is `arn:<partition>:s3:::<bucket>`
    /// and its `id` the bucket's name; an `aws_cloudwatch_log_group`'s `arn` is
    /// `arn:<partition>:logs:<region>:<account>:log-group:<name>`, without the `:*` the API
    /// adds), the account as `data.aws_caller_identity`'s marker: the input's own, whatever it
    /// is (see `policy::OWN_ACCOUNT`). A policy that names `"${aws_s3_bucket.app.arn}/*"` then
    /// says which bucket it allows, and `"${aws_cloudwatch_log_group.app.arn}:*"` which group.
    fn derived_arn(&self, input: usize, t: &Target) -> Option<String> {
        let model = self.model();
        let r = &model.resources[model.lookup_index(input, &t.address)?];
        if r.is_data() {
            return None;
        }
        let known = |key: &str| {
            r.get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty() && !crate::policy::is_unknown(s))
        };
        let partition = crate::aws::partition_of_region(r.region.as_deref()?);
        match (r.rtype(), t.attr.as_deref()?) {
            ("aws_s3_bucket", "arn") => Some(format!("arn:{partition}:s3:::{}", known("bucket")?)),
            ("aws_s3_bucket", "id") => known("bucket").map(str::to_string),
            ("aws_cloudwatch_log_group", "arn") => Some(format!(
                "arn:{partition}:logs:{}:{}:log-group:{}",
                r.region.as_deref()?,
                crate::policy::unknown_text("data.aws_caller_identity.current.account_id"),
                known("name")?
            )),
            _ => None,
        }
    }

    /// The text that names a value known only after apply, in the markers of policy documents
    /// and in the requests asked about it: the reference as written (`aws_s3_bucket.app.arn`),
    /// except that references that denote the same ARN are written one way, so that a policy
    /// naming one covers a request for the other. A Secrets Manager secret's `id` is its ARN
    /// (written `<secret>.arn`), and a secret version's `arn` is the ARN of its secret
    /// (Terraform AWS provider, `aws_secretsmanager_secret_version`: "arn - The ARN of the
    /// secret"), written as the secret's when its `secret_id` names a secret of the input.
    pub(super) fn reference_text(&self, input: usize, t: &Target) -> String {
        let model = self.model();
        let Some(i) = model.lookup_index(input, &t.address) else {
            return t.to_string();
        };
        let r = &model.resources[i];
        match (r.rtype(), t.attr.as_deref()) {
            ("aws_secretsmanager_secret", Some("arn" | "id")) => format!("{}.arn", r.address),
            ("aws_secretsmanager_secret_version", Some("arn")) => {
                let secret = match r.get("secret_id") {
                    Some(Value::Ref(s)) if s.complete => match s.targets.as_slice() {
                        [one] if matches!(one.attr.as_deref(), Some("arn" | "id")) => model
                            .lookup_index(r.input, &one.address)
                            .map(|j| &model.resources[j])
                            .filter(|x| x.rtype() == "aws_secretsmanager_secret"),
                        _ => None,
                    },
                    _ => None,
                };
                match secret {
                    Some(x) => format!("{}.arn", x.address),
                    None => format!("{}.arn", r.address),
                }
            }
            _ => t.to_string(),
        }
    }
}

pub(super) enum DocError {
    Invalid(String),
    Unknown(String),
}
