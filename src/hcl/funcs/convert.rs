//! Type conversion functions (`tostring`, `tonumber`, `tobool`, `tolist`, `toset`, `tomap`)
//! and those that only mark a value (`sensitive`, `nonsensitive`, `ephemeralasnull`,
//! `issensitive`): pullpath keeps no marks.

use super::sets::set_of;
use super::{arity, fail, known, shallow, unordered_each, FR};
use crate::hcl::eval::{to_bool, to_number, to_text};
use crate::hcl::types::type_name;
use crate::model::value::Partial;
use crate::model::Value;

/// The conversion functions; `None` for a name that is not one of them.
pub(super) fn call(name: &str, a: &[Value]) -> Option<FR> {
    Some(match name {
        "tostring" => tostring(name, a),
        "tonumber" => tonumber(name, a),
        "tobool" => tobool(name, a),
        "tolist" => tolist(name, a),
        "toset" => toset(name, a),
        "tomap" => tomap(name, a),
        "sensitive" | "nonsensitive" | "ephemeralasnull" => pass_through(name, a),
        "issensitive" => issensitive(name, a),
        _ => return None,
    })
}

/// `tostring(v)`: a primitive as a string; null stays null and a reference passes through
/// (an id is a string).
fn tostring(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, 1)?;
    match &a[0] {
        Value::Null => Ok(Value::Null),
        Value::Ref(_) => Ok(a[0].clone()),
        v => Ok(Value::String(to_text(shallow(v)?)?)),
    }
}

/// `tonumber(v)`: a number, or a string that holds one.
fn tonumber(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, 1)?;
    match known(&a[0])? {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::Number(to_number(v)?)),
    }
}

/// `tobool(v)`: a bool, or the string `"true"` / `"false"`.
fn tobool(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, 1)?;
    match known(&a[0])? {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::Bool(to_bool(v)?)),
    }
}

/// `tolist(v)`: a list (or null) as it is.
fn tolist(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, 1)?;
    // The instances of an undecided `count` are a list already.
    if matches!(a[0].partial(), Some(Partial::Each { .. })) {
        return Ok(a[0].clone());
    }
    match shallow(&a[0])? {
        v @ (Value::List(_) | Value::Null) => Ok(v.clone()),
        other => fail(format!("cannot convert a {} to a list", type_name(other))),
    }
}

/// `toset(list)`: the list deduplicated, strings sorted (see [`set_of`]).
fn toset(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, 1)?;
    if let Some(e) = unordered_each(&a[0]) {
        return Ok(e);
    }
    match shallow(&a[0])? {
        Value::List(items) => Ok(Value::List(set_of(items)?)),
        Value::Null => Ok(Value::Null),
        other => fail(format!("cannot convert a {} to a set", type_name(other))),
    }
}

/// `tomap(v)`: an object (or null) as it is.
fn tomap(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, 1)?;
    match shallow(&a[0])? {
        v @ (Value::Object(_) | Value::Null) => Ok(v.clone()),
        other => fail(format!("cannot convert a {} to a map", type_name(other))),
    }
}

/// `sensitive(v)`, `nonsensitive(v)`, `ephemeralasnull(v)`: the value itself.
fn pass_through(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, 1)?;
    Ok(a[0].clone())
}

/// `issensitive(v)`: false (pullpath keeps no sensitivity marks).
fn issensitive(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, 1)?;
    Ok(Value::Bool(false))
}
