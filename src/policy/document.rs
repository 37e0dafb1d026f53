//! Parsing policy documents into typed statements.
//!
//! Every shape AWS accepts is accepted here: `Statement` as one object or an array, `Action`,
//! `NotAction`, `Resource`, `NotResource` as a string or an array of strings, `Principal` and
//! `NotPrincipal` as `"*"` or an object whose values are a string or an array, condition values as
//! strings, numbers or booleans (or arrays of them). A document AWS would reject is a
//! [`PolicyError`] that names the JSON path of the problem, e.g.
//! `Statement[2].Effect: expected "Allow" or "Deny", found 3`.

use std::fmt;

use serde_json::{Map, Value};

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub(crate) version: PolicyVersion,
    pub(crate) statements: Vec<Statement>,
}

/// The policy language version. It decides whether `${…}` is a policy variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyVersion {
    /// `"Version": "2012-10-17"`: `${…}` are policy variables.
    V2012_10_17,
    /// `"Version": "2008-10-17"`: `${…}` is literal text.
    V2008_10_17,
    /// No `Version` element: AWS uses `2008-10-17`, so `${…}` is literal text.
    Absent,
}

impl PolicyVersion {
    /// Whether `${…}` in Resource and condition values are policy variables.
    pub fn has_variables(self) -> bool {
        self == PolicyVersion::V2012_10_17
    }
}

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub(crate) index: usize,
    pub(crate) sid: Option<String>,
    pub(crate) effect: Effect,
    pub(crate) principal: Option<PrincipalBlock>,
    pub(crate) action: NameList,
    /// `None` when the statement has neither `Resource` nor `NotResource` (ECR repository
    /// policies and trust policies leave it out: the statement is about the resource the policy
    /// is attached to).
    pub(crate) resource: Option<NameList>,
    pub(crate) condition: Vec<ConditionEntry>,
}

impl Statement {
    /// Position of the statement in the document (0 when `Statement` is a single object).
    pub fn index(&self) -> usize {
        self.index
    }
    /// The statement's `Sid`, if any.
    pub fn sid(&self) -> Option<&str> {
        self.sid.as_deref()
    }
    /// The statement's effect.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// Whether the statement's `Action`/`NotAction` covers `action` (whatever its effect,
    /// resources and conditions).
    pub fn covers_action(&self, action: &str) -> bool {
        let hit = self
            .action
            .patterns
            .iter()
            .any(|p| super::matching::match_action(p, action));
        hit != self.action.negated
    }

    /// The `Action` (or, when `negated`, `NotAction`) patterns.
    pub fn action_patterns(&self) -> (bool, &[String]) {
        (self.action.negated, &self.action.patterns)
    }

    /// The `Resource` (or, when `negated`, `NotResource`) patterns; `None` when the statement
    /// has neither (a resource policy's statement about its own resource).
    pub fn resource_patterns(&self) -> Option<(bool, &[String])> {
        self.resource
            .as_ref()
            .map(|r| (r.negated, r.patterns.as_slice()))
    }
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: a list of patterns, maybe negated.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NameList {
    pub negated: bool,
    pub patterns: Vec<String>,
}

/// `Principal`/`NotPrincipal`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PrincipalBlock {
    pub negated: bool,
    /// `"Principal": "*"`.
    pub star: bool,
    pub aws: Vec<String>,
    pub service: Vec<String>,
    pub federated: Vec<String>,
    pub canonical_user: Vec<String>,
}

/// One `operator: {key: values}` pair of a `Condition` block.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConditionEntry {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

/// A policy document that is not valid, with the JSON path of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    path: String,
    message: String,
}

impl PolicyError {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        PolicyError {
            path: path.into(),
            message: message.into(),
        }
    }
    /// JSON path of the problem, e.g. `Statement[2].Effect`; empty for the document itself.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// What is wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "policy document: {}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for PolicyError {}

/// A short rendering of a JSON value for error messages.
fn describe(v: &Value) -> String {
    let text = match v {
        Value::Null => "null".to_string(),
        Value::Bool(_) | Value::Number(_) | Value::String(_) => v.to_string(),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    };
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

impl Policy {
    /// Parses a policy from JSON text, as found in a plan (`jsonencode(...)`, a heredoc,
    /// `data.aws_iam_policy_document.x.json`).
    pub fn parse_str(text: &str) -> Result<Policy, PolicyError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| PolicyError::new("", format!("not valid JSON: {e}")))?;
        Policy::from_value(&value)
    }

    /// Parses a policy from a JSON value.
    pub fn from_value(v: &Value) -> Result<Policy, PolicyError> {
        let obj = v.as_object().ok_or_else(|| {
            PolicyError::new("", format!("expected an object, found {}", describe(v)))
        })?;
        for key in obj.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                return Err(PolicyError::new(
                    key.clone(),
                    "unknown element (expected Version, Id or Statement)",
                ));
            }
        }
        let version = match obj.get("Version") {
            None => PolicyVersion::Absent,
            Some(Value::String(s)) if s == "2012-10-17" => PolicyVersion::V2012_10_17,
            Some(Value::String(s)) if s == "2008-10-17" => PolicyVersion::V2008_10_17,
            Some(other) => {
                return Err(PolicyError::new(
                    "Version",
                    format!(
                        "expected \"2012-10-17\" or \"2008-10-17\", found {}",
                        describe(other)
                    ),
                ))
            }
        };
        if let Some(id) = obj.get("Id") {
            if !id.is_string() {
                return Err(PolicyError::new(
                    "Id",
                    format!("expected a string, found {}", describe(id)),
                ));
            }
        }
        let statements = match obj.get("Statement") {
            None => return Err(PolicyError::new("Statement", "missing")),
            Some(Value::Object(s)) => vec![parse_statement(s, 0, "Statement".to_string())?],
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let path = format!("Statement[{i}]");
                    let s = item.as_object().ok_or_else(|| {
                        PolicyError::new(
                            path.clone(),
                            format!("expected an object, found {}", describe(item)),
                        )
                    })?;
                    out.push(parse_statement(s, i, path)?);
                }
                out
            }
            Some(other) => {
                return Err(PolicyError::new(
                    "Statement",
                    format!("expected an object or an array, found {}", describe(other)),
                ))
            }
        };
        Ok(Policy {
            version,
            statements,
        })
    }

    /// The document's language version.
    pub fn version(&self) -> PolicyVersion {
        self.version
    }

    /// The statements, in document order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }
}

fn parse_statement(
    obj: &Map<String, Value>,
    index: usize,
    path: String,
) -> Result<Statement, PolicyError> {
    const KNOWN: [&str; 9] = [
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
    for key in obj.keys() {
        if !KNOWN.contains(&key.as_str()) {
            return Err(PolicyError::new(
                format!("{path}.{key}"),
                "unknown statement element",
            ));
        }
    }
    let sid = match obj.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(PolicyError::new(
                format!("{path}.Sid"),
                format!("expected a string, found {}", describe(other)),
            ))
        }
    };
    let effect = match obj.get("Effect") {
        Some(Value::String(s)) if s == "Allow" => Effect::Allow,
        Some(Value::String(s)) if s == "Deny" => Effect::Deny,
        Some(other) => {
            return Err(PolicyError::new(
                format!("{path}.Effect"),
                format!("expected \"Allow\" or \"Deny\", found {}", describe(other)),
            ))
        }
        None => return Err(PolicyError::new(format!("{path}.Effect"), "missing")),
    };
    let principal = parse_pair(obj, &path, "Principal", "NotPrincipal", parse_principal)?;
    let action = parse_pair(obj, &path, "Action", "NotAction", parse_names)?.ok_or_else(|| {
        PolicyError::new(
            format!("{path}.Action"),
            "missing (a statement needs Action or NotAction)",
        )
    })?;
    let resource = parse_pair(obj, &path, "Resource", "NotResource", parse_names)?;
    let condition = match obj.get("Condition") {
        None => Vec::new(),
        Some(v) => parse_condition(v, &format!("{path}.Condition"))?,
    };
    Ok(Statement {
        index,
        sid,
        effect,
        principal,
        action,
        resource,
        condition,
    })
}

/// Parses `positive` or `negative` (never both) with `parse(value, path, negated)`.
fn parse_pair<T>(
    obj: &Map<String, Value>,
    path: &str,
    positive: &str,
    negative: &str,
    parse: fn(&Value, &str, bool) -> Result<T, PolicyError>,
) -> Result<Option<T>, PolicyError> {
    match (obj.get(positive), obj.get(negative)) {
        (Some(_), Some(_)) => Err(PolicyError::new(
            format!("{path}.{negative}"),
            format!("a statement cannot have both {positive} and {negative}"),
        )),
        (Some(v), None) => parse(v, &format!("{path}.{positive}"), false).map(Some),
        (None, Some(v)) => parse(v, &format!("{path}.{negative}"), true).map(Some),
        (None, None) => Ok(None),
    }
}

/// A string or an array of strings.
fn string_list(v: &Value, path: &str) -> Result<Vec<String>, PolicyError> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(PolicyError::new(
                    format!("{path}[{i}]"),
                    format!("expected a string, found {}", describe(other)),
                )),
            })
            .collect(),
        other => Err(PolicyError::new(
            path,
            format!(
                "expected a string or an array of strings, found {}",
                describe(other)
            ),
        )),
    }
}

fn parse_names(v: &Value, path: &str, negated: bool) -> Result<NameList, PolicyError> {
    Ok(NameList {
        negated,
        patterns: string_list(v, path)?,
    })
}

fn parse_principal(v: &Value, path: &str, negated: bool) -> Result<PrincipalBlock, PolicyError> {
    let mut block = PrincipalBlock {
        negated,
        star: false,
        aws: Vec::new(),
        service: Vec::new(),
        federated: Vec::new(),
        canonical_user: Vec::new(),
    };
    match v {
        Value::String(s) if s == "*" => block.star = true,
        Value::Object(map) => {
            for (key, value) in map {
                let p = format!("{path}.{key}");
                let list = string_list(value, &p)?;
                match key.as_str() {
                    "AWS" => block.aws.extend(list),
                    "Service" => block.service.extend(list),
                    "Federated" => block.federated.extend(list),
                    "CanonicalUser" => block.canonical_user.extend(list),
                    _ => {
                        return Err(PolicyError::new(
                            p,
                            "unknown principal type (expected AWS, Service, Federated or CanonicalUser)",
                        ))
                    }
                }
            }
        }
        other => {
            return Err(PolicyError::new(
                path,
                format!("expected \"*\" or an object, found {}", describe(other)),
            ))
        }
    }
    Ok(block)
}

/// A condition value: a string, number or boolean, as text.
fn scalar_text(v: &Value, path: &str) -> Result<String, PolicyError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(PolicyError::new(
            path,
            format!(
                "expected a string, number or boolean, found {}",
                describe(other)
            ),
        )),
    }
}

fn parse_condition(v: &Value, path: &str) -> Result<Vec<ConditionEntry>, PolicyError> {
    let operators = v.as_object().ok_or_else(|| {
        PolicyError::new(path, format!("expected an object, found {}", describe(v)))
    })?;
    let mut out = Vec::new();
    for (operator, keys) in operators {
        let op_path = format!("{path}.{operator}");
        let keys = keys.as_object().ok_or_else(|| {
            PolicyError::new(
                op_path.clone(),
                format!(
                    "expected an object of condition keys, found {}",
                    describe(keys)
                ),
            )
        })?;
        for (key, values) in keys {
            let key_path = format!("{op_path}.{key}");
            let values = match values {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| scalar_text(item, &format!("{key_path}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?,
                other => vec![scalar_text(other, &key_path)?],
            };
            out.push(ConditionEntry {
                operator: operator.clone(),
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}
