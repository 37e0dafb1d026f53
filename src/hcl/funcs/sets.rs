//! Set functions (`setunion`, `setintersection`, `setsubtract`, `setproduct`) and the set
//! machinery `toset`, `distinct` and `matchkeys` share: deduplication and membership in linear
//! time on scalars, with a bound on the comparisons of lists and objects.

use super::{arity, fail, known, list, Fail, Room, FR, MAX_RANGE};
use crate::model::Value;

/// The set functions; `None` for a name that is not one of them.
pub(super) fn call(name: &str, a: &[Value], room: &mut Room) -> Option<FR> {
    Some(match name {
        "setunion" => setunion(a),
        "setintersection" | "setsubtract" => intersect_or_subtract(name, a),
        "setproduct" => setproduct(a, room),
        _ => return None,
    })
}

/// `setunion(sets…)`.
fn setunion(a: &[Value]) -> FR {
    let mut all = Vec::new();
    for x in a {
        all.extend(list(x)?.iter().cloned());
    }
    for x in &all {
        known(x)?;
    }
    Ok(Value::List(set_of(&all)?))
}

/// `setintersection(sets…)`, `setsubtract(a, b)`: linear on scalars (see [`Members`]).
fn intersect_or_subtract(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, usize::MAX)?;
    let first = known(&a[0])?;
    let Value::List(first) = first else {
        return fail("a set is required");
    };
    let mut out: Vec<Value> = set_of(first)?;
    for x in &a[1..] {
        let other = Members::new(list(known(x)?)?, out.len())?;
        out.retain(|v| other.contains(v) == (name == "setintersection"));
    }
    Ok(Value::List(out))
}

/// `setproduct(sets…)`: every combination, its size (the product of the lengths) checked
/// before anything is built.
fn setproduct(a: &[Value], room: &mut Room) -> FR {
    // Its size is the product of the lengths (exponential in the number of lists):
    // checked before anything is built.
    let mut rows: u64 = 1;
    for x in a {
        rows = rows.saturating_mul(list(known(x)?)?.len() as u64);
    }
    if rows > MAX_RANGE as u64 {
        return fail("the product is too large");
    }
    room.fits(rows.saturating_mul(a.len() as u64 + 1), 0)?;
    let mut acc: Vec<Vec<Value>> = vec![Vec::new()];
    for x in a {
        let l = list(known(x)?)?;
        let mut next = Vec::new();
        for prefix in &acc {
            for v in l {
                let mut p = prefix.clone();
                p.push(v.clone());
                next.push(p);
                if next.len() > MAX_RANGE {
                    return fail("the product is too large");
                }
            }
        }
        acc = next;
    }
    Ok(Value::List(acc.into_iter().map(Value::List).collect()))
}

/// A set from a list: known strings sorted and deduplicated (as Terraform orders a set of
/// strings); with undecided elements the order is kept.
pub(super) fn set_of(items: &[Value]) -> Result<Vec<Value>, Fail> {
    let mut out = set_of_ordered(items)?;
    if out.iter().all(|v| matches!(v, Value::String(_))) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    Ok(out)
}

/// Deduplicates, keeping the first occurrence (Unknown elements are all kept: they may differ).
/// Linear for scalars; lists and objects are compared one by one (see [`Members`]).
pub(super) fn set_of_ordered(items: &[Value]) -> Result<Vec<Value>, Fail> {
    let composites = items
        .iter()
        .filter(|v| matches!(v, Value::List(_) | Value::Object(_) | Value::Ref(_)))
        .count();
    check_comparisons(composites, composites)?;
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    let mut seen: std::collections::HashSet<Key<'_>> = std::collections::HashSet::new();
    let mut others: Vec<&Value> = Vec::new();
    for i in items {
        let new = match i {
            Value::Unknown(_) => true,
            other => match key(other) {
                Some(k) => seen.insert(k),
                None if others.contains(&other) => false,
                None => {
                    others.push(other);
                    true
                }
            },
        };
        if new {
            out.push(i.clone());
        }
    }
    Ok(out)
}

/// The most comparisons of lists or objects one set function makes (they are compared one by
/// one): past it the function fails rather than take quadratic time.
const MAX_COMPARISONS: usize = 16 * 1024 * 1024;

/// Fails when comparing `a` lists or objects with `b` would pass [`MAX_COMPARISONS`].
fn check_comparisons(a: usize, b: usize) -> Result<(), Fail> {
    if a.saturating_mul(b) > MAX_COMPARISONS {
        return fail("the sets are too large to compare");
    }
    Ok(())
}

/// A scalar as a hash key, with the equality of [`Value`] (`-0` is `0`; NaN has none).
#[derive(Hash, PartialEq, Eq)]
enum Key<'a> {
    Null,
    Bool(bool),
    Number(u64),
    String(&'a str),
}

/// The hash key of a scalar; `None` for lists, objects, references, Unknown and NaN.
fn key(v: &Value) -> Option<Key<'_>> {
    match v {
        Value::Null => Some(Key::Null),
        Value::Bool(b) => Some(Key::Bool(*b)),
        Value::Number(n) if n.is_nan() => None,
        Value::Number(n) => Some(Key::Number(if *n == 0.0 { 0 } else { n.to_bits() })),
        Value::String(s) => Some(Key::String(s)),
        _ => None,
    }
}

/// The elements of a list, to test membership in linear time (instead of a scan per element,
/// quadratic on long lists).
pub(super) struct Members<'a> {
    keys: std::collections::HashSet<Key<'a>>,
    others: Vec<&'a Value>,
}

impl<'a> Members<'a> {
    /// `queries`: how many lookups will follow (bounds the comparisons of non-scalars).
    pub(super) fn new(items: &'a [Value], queries: usize) -> Result<Members<'a>, Fail> {
        let mut keys = std::collections::HashSet::new();
        let mut others = Vec::new();
        for i in items {
            match key(i) {
                Some(k) => {
                    keys.insert(k);
                }
                None => others.push(i),
            }
        }
        check_comparisons(others.len(), queries)?;
        Ok(Members { keys, others })
    }

    /// Whether `v` is one of the elements.
    pub(super) fn contains(&self, v: &Value) -> bool {
        match key(v) {
            Some(k) => self.keys.contains(&k),
            None => self.others.contains(&v),
        }
    }
}
