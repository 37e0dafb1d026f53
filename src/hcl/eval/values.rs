//! Helpers on values that the evaluator, the built-in functions and the instance reader
//! share: undecided parts and their reasons, conversions to text, number and bool, and the
//! items a `for` iterates.

use super::{err, EvalError};
use crate::hcl::types::type_name;
use crate::model::value::format_number;
use std::sync::Arc;

use crate::model::value::Partial;
use crate::model::{Reference, Unknown, Value};

/// Unknown or a reference at the top level.
pub(crate) fn is_undecided(v: &Value) -> bool {
    matches!(v, Value::Unknown(_) | Value::Ref(_))
}

/// The first undecided part of a value, if any.
pub(crate) fn first_undecided(v: &Value) -> Option<&Value> {
    match v {
        Value::Unknown(_) | Value::Ref(_) => Some(v),
        Value::List(items) => items.iter().find_map(first_undecided),
        Value::Object(m) => m.values().find_map(first_undecided),
        _ => None,
    }
}

/// Why a reference is not known before apply.
pub(crate) fn ref_reason(r: &Reference) -> String {
    // A configured attribute whose value is not decided (see `State::instance_attr`): the
    // note says why, and "known only after apply" would not be true.
    if let (true, Some(n)) = (r.complete, &r.note) {
        let targets: Vec<String> = r.targets.iter().map(|t| t.to_string()).collect();
        return format!("{} is not decided: {n}", targets.join(", "));
    }
    let mut parts: Vec<String> = Vec::new();
    for t in &r.targets {
        let is_data = t.address.starts_with("data.") || t.address.contains(".data.");
        let p = if is_data {
            format!(
                "data source {}: attributes known only when Terraform reads it",
                t.address
            )
        } else {
            format!("{t} is known only after apply")
        };
        if !parts.contains(&p) {
            parts.push(p);
        }
    }
    if let Some(n) = &r.note {
        parts.push(n.clone());
    }
    if parts.is_empty() {
        "known only after apply".to_string()
    } else {
        parts.join("; ")
    }
}

/// An Unknown standing for a value with undecided parts, with the reason of the first one.
pub(crate) fn unknown_from(v: &Value) -> Value {
    match first_undecided(v) {
        Some(Value::Unknown(u)) => Value::unknown(u.reason.clone()),
        Some(Value::Ref(r)) => Value::unknown(ref_reason(r)),
        _ => Value::unknown("not known before apply"),
    }
}

/// Text of a scalar for string templates and string functions.
pub(crate) fn to_text(v: &Value) -> Result<String, EvalError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(format_number(*n)),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => err("a null value cannot be used as a string"),
        other => err(format!("a {} cannot be used as a string", type_name(other))),
    }
}

pub(crate) fn to_number(v: &Value) -> Result<f64, EvalError> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| EvalError(format!("{s:?} is not a number"))),
        Value::Null => err("a null value cannot be used as a number"),
        other => err(format!("a {} cannot be used as a number", type_name(other))),
    }
}

pub(crate) fn to_bool(v: &Value) -> Result<bool, EvalError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        Value::Null => err("a null value cannot be used as a bool"),
        other => err(format!("a {} cannot be used as a bool", type_name(other))),
    }
}

/// The (key, value) pairs a `for` iterates: list index and element, or object key and value.
/// `None` when the collection is not known.
pub(crate) fn iter_items(v: &Value) -> Result<Option<Vec<(Value, Value)>>, EvalError> {
    match v {
        Value::List(items) => Ok(Some(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::Number(i as f64), x.clone()))
                .collect(),
        )),
        Value::Object(m) => Ok(Some(
            m.iter()
                .map(|(k, x)| (Value::String(k.to_string()), x.clone()))
                .collect(),
        )),
        Value::Unknown(_) | Value::Ref(_) => Ok(None),
        Value::Null => err("cannot iterate over a null value"),
        other => err(format!("cannot iterate over a {}", type_name(other))),
    }
}

/// `v` without what is known of its shape (see [`Partial`]), for a result that is not that
/// collection: a function or operator that gives an unknown because of it.
pub(crate) fn plain(v: &Value) -> Value {
    match v {
        Value::Unknown(u) if u.partial.is_some() => Value::Unknown(Arc::new(Unknown {
            partial: None,
            not_null: false,
            ..(**u).clone()
        })),
        other => other.clone(),
    }
}

/// A value as the model holds it, for the graph (which reads no [`Partial`]): an object whose
/// attributes are not all known to exist becomes the object of the attributes it has or may
/// have (those it may not have are unknown: neither present nor absent to a reader); a list of
/// the instances of a block whose `count` is not known becomes the reference to the instance
/// that stands for them all (as a plan's reference to several instances), when its element is
/// one; anything else partial becomes a plain unknown.
pub(crate) fn settle(v: Value) -> Value {
    match v {
        Value::Unknown(ref u) => match &u.partial {
            None => v,
            Some(Partial::Object(m)) => Value::Object(
                m.iter()
                    .map(|(k, x)| (k.clone(), settle(x.clone())))
                    .collect(),
            ),
            Some(Partial::Each { element, .. }) => match settle((**element).clone()) {
                r @ Value::Ref(_) => r,
                _ => plain(&v),
            },
            Some(Partial::Index { .. } | Partial::Count { .. }) => plain(&v),
        },
        Value::List(items) => Value::List(items.into_iter().map(settle).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, x)| (k, settle(x))).collect()),
        other => other,
    }
}
