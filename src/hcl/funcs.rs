//! Terraform's built-in functions, on model values.
//!
//! A function given an undecided argument returns Unknown with that argument's reason, except
//! where the result does not depend on it: `length` of a list with unknown elements, `concat`,
//! `merge`, `lookup`, `element`, `slice`, `flatten`, `zipmap`, `keys`, `values`, `tolist`,
//! `toset`, `one`, `coalesce` (when a known argument decides), `contains` (when a known element
//! matches), and `distinct` / `compact` of lists of references (which keep the references). `tostring`, `sensitive` and `nonsensitive` pass references through (an id is a
//! string). `try` and `can` are in the evaluator (they catch errors), as are the file functions.
//!
//! Regular expressions (`regex`, `regexall`, the `/…/` form of `replace`) use the `regex`
//! crate, whose syntax is that of RE2, like Terraform's.
//!
//! Not supported (Unknown with the reason): hashes and crypto, `yamlencode`/`yamldecode`, `csvdecode`,
//! `fileset`, time functions (their value changes on every run), provider-defined functions.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::eval::{
    first_undecided, is_undecided, to_bool, to_number, to_text, unknown_from, EvalError, R,
};
use super::types::type_name;
use crate::model::value::format_number;
use crate::model::{Target, Value};

/// The longest string a function may build (a guard against `format("%999999999s")`).
pub(crate) const MAX_STRING: usize = 16 * 1024 * 1024;
/// The longest list `range` may build.
const MAX_RANGE: usize = 1024 * 1024;

/// What is left of the evaluation budget (see `eval::MAX_VALUES`), for functions whose result
/// can be much larger than their arguments: they check the size before they build it, and set
/// `over` (the budget is spent, the run ends) rather than allocate past it.
#[derive(Debug)]
pub(crate) struct Room {
    pub values: u64,
    pub bytes: u64,
    pub over: Option<String>,
}

impl Room {
    /// Fails (the budget is spent) when `values` nodes and `bytes` bytes would not fit.
    fn fits(&mut self, values: u64, bytes: u64) -> Result<(), Fail> {
        if values > self.values || bytes > self.bytes {
            let why = format!(
                "the result would hold {values} values and {bytes} bytes of strings, past what \
                 is left of pullpath's evaluation budget"
            );
            self.over = Some(why.clone());
            return fail(why);
        }
        Ok(())
    }
}

enum Fail {
    Err(EvalError),
    Unknown(Value),
}

impl From<EvalError> for Fail {
    fn from(e: EvalError) -> Self {
        Fail::Err(e)
    }
}

type FR = Result<Value, Fail>;

fn fail<T>(msg: impl Into<String>) -> Result<T, Fail> {
    Err(Fail::Err(EvalError(msg.into())))
}

/// A fully known argument.
fn known(v: &Value) -> Result<&Value, Fail> {
    match first_undecided(v) {
        Some(u) => Err(Fail::Unknown(unknown_from(u))),
        None => Ok(v),
    }
}

/// An argument without Unknown parts; references are kept (a reference to an id is never
/// null or empty, and two references to the same attribute are the same value).
fn no_unknown(v: &Value) -> Result<&Value, Fail> {
    fn find(v: &Value) -> Option<&Value> {
        match v {
            Value::Unknown(_) => Some(v),
            Value::List(items) => items.iter().find_map(find),
            Value::Object(m) => m.values().find_map(find),
            _ => None,
        }
    }
    match find(v) {
        Some(u) => Err(Fail::Unknown(u.clone())),
        None => Ok(v),
    }
}

/// An argument decided at the top level (its elements may be undecided).
fn shallow(v: &Value) -> Result<&Value, Fail> {
    if is_undecided(v) {
        Err(Fail::Unknown(unknown_from(v)))
    } else {
        Ok(v)
    }
}

fn arity(name: &str, args: &[Value], min: usize, max: usize) -> Result<(), Fail> {
    if args.len() < min || args.len() > max {
        let want = if min == max {
            format!("{min}")
        } else if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        return fail(format!(
            "`{name}` takes {want} argument(s), got {}",
            args.len()
        ));
    }
    Ok(())
}

fn text(v: &Value) -> Result<String, Fail> {
    Ok(to_text(known(v)?)?)
}

fn num(v: &Value) -> Result<f64, Fail> {
    Ok(to_number(known(v)?)?)
}

fn int(v: &Value) -> Result<i64, Fail> {
    let n = num(v)?;
    if n.fract() != 0.0 || !n.is_finite() {
        return fail(format!("{} is not a whole number", format_number(n)));
    }
    Ok(n as i64)
}

fn list(v: &Value) -> Result<&Vec<Value>, Fail> {
    match shallow(v)? {
        Value::List(items) => Ok(items),
        other => fail(format!("a list is required, got {}", type_name(other))),
    }
}

fn object(v: &Value) -> Result<&crate::model::value::Map, Fail> {
    match shallow(v)? {
        Value::Object(m) => Ok(m),
        other => fail(format!(
            "a map or object is required, got {}",
            type_name(other)
        )),
    }
}

fn string_result(s: String) -> FR {
    if s.len() > MAX_STRING {
        return fail("the result is too long");
    }
    Ok(Value::String(s))
}

/// Calls a function by name.
pub(crate) fn call(name: &str, args: Vec<Value>, room: &mut Room) -> R {
    match call_inner(name, &args, room) {
        Ok(v) => Ok(v),
        Err(Fail::Unknown(u)) => Ok(u),
        Err(Fail::Err(e)) => Err(EvalError(format!("{name}: {}", e.0))),
    }
}

fn call_inner(name: &str, a: &[Value], room: &mut Room) -> FR {
    match name {
        // ---- type conversion ----
        "tostring" => {
            arity(name, a, 1, 1)?;
            match &a[0] {
                Value::Null => Ok(Value::Null),
                Value::Ref(_) => Ok(a[0].clone()),
                v => Ok(Value::String(to_text(shallow(v)?)?)),
            }
        }
        "tonumber" => {
            arity(name, a, 1, 1)?;
            match known(&a[0])? {
                Value::Null => Ok(Value::Null),
                v => Ok(Value::Number(to_number(v)?)),
            }
        }
        "tobool" => {
            arity(name, a, 1, 1)?;
            match known(&a[0])? {
                Value::Null => Ok(Value::Null),
                v => Ok(Value::Bool(to_bool(v)?)),
            }
        }
        "tolist" => {
            arity(name, a, 1, 1)?;
            match shallow(&a[0])? {
                v @ (Value::List(_) | Value::Null) => Ok(v.clone()),
                other => fail(format!("cannot convert a {} to a list", type_name(other))),
            }
        }
        "toset" => {
            arity(name, a, 1, 1)?;
            match shallow(&a[0])? {
                Value::List(items) => Ok(Value::List(set_of(items)?)),
                Value::Null => Ok(Value::Null),
                other => fail(format!("cannot convert a {} to a set", type_name(other))),
            }
        }
        "tomap" => {
            arity(name, a, 1, 1)?;
            match shallow(&a[0])? {
                v @ (Value::Object(_) | Value::Null) => Ok(v.clone()),
                other => fail(format!("cannot convert a {} to a map", type_name(other))),
            }
        }
        "sensitive" | "nonsensitive" | "ephemeralasnull" => {
            arity(name, a, 1, 1)?;
            Ok(a[0].clone())
        }
        "issensitive" => {
            arity(name, a, 1, 1)?;
            Ok(Value::Bool(false))
        }

        // ---- encoding ----
        "jsonencode" => {
            arity(name, a, 1, 1)?;
            Ok(jsonencode(&a[0]))
        }
        "jsondecode" => {
            arity(name, a, 1, 1)?;
            let s = text(&a[0])?;
            // A JSON text of n bytes holds at most about n/2 values (`[0,0,…]`).
            room.fits(s.len() as u64 / 2, s.len() as u64)?;
            match serde_json::from_str::<serde_json::Value>(&s) {
                Ok(j) => Ok(Value::from(&j)),
                Err(e) => fail(format!("invalid JSON: {e}")),
            }
        }
        "base64encode" => {
            arity(name, a, 1, 1)?;
            string_result(base64_encode(text(&a[0])?.as_bytes()))
        }
        "base64decode" => {
            arity(name, a, 1, 1)?;
            let s = text(&a[0])?;
            match base64_decode(&s).and_then(|b| String::from_utf8(b).ok()) {
                Some(t) => Ok(Value::String(t)),
                None => fail("not valid base64 of UTF-8 text"),
            }
        }
        "urlencode" => {
            arity(name, a, 1, 1)?;
            let s = text(&a[0])?;
            let mut out = String::new();
            for b in s.bytes() {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            Ok(Value::String(out))
        }

        // ---- strings ----
        "format" => {
            arity(name, a, 1, usize::MAX)?;
            let f = text(&a[0])?;
            for x in &a[1..] {
                known(x)?;
            }
            string_result(format(&f, &a[1..])?)
        }
        "formatlist" => {
            arity(name, a, 1, usize::MAX)?;
            let f = text(&a[0])?;
            let mut n = None;
            for x in &a[1..] {
                if let Value::List(items) = shallow(x)? {
                    if n.is_some_and(|n| n != items.len()) {
                        return fail("all list arguments must have the same length");
                    }
                    n = Some(items.len());
                }
            }
            let n = n.unwrap_or(1);
            let mut out = Vec::with_capacity(n);
            let mut bytes = 0u64;
            for i in 0..n {
                let row: Vec<Value> = a[1..]
                    .iter()
                    .map(|x| match x {
                        Value::List(items) => items[i].clone(),
                        other => other.clone(),
                    })
                    .collect();
                for x in &row {
                    known(x)?;
                }
                let line = format(&f, &row)?;
                // Each line is bounded (MAX_STRING); all of them together by the budget.
                bytes += line.len() as u64;
                room.fits(out.len() as u64 + 1, bytes)?;
                out.push(Value::String(line));
            }
            Ok(Value::List(out))
        }
        "join" => {
            arity(name, a, 2, usize::MAX)?;
            let sep = text(&a[0])?;
            let mut parts = Vec::new();
            for l in &a[1..] {
                for x in list(l)? {
                    parts.push(text(x)?);
                }
            }
            // The length before joining: a long separator between many parts.
            let len = parts.iter().map(|p| p.len() as u64).sum::<u64>()
                + (sep.len() as u64).saturating_mul(parts.len().saturating_sub(1) as u64);
            if len > MAX_STRING as u64 {
                return fail("the result is too long");
            }
            room.fits(1, len)?;
            string_result(parts.join(&sep))
        }
        "split" => {
            arity(name, a, 2, 2)?;
            let sep = text(&a[0])?;
            let s = text(&a[1])?;
            let pieces = if sep.is_empty() {
                s.chars().count()
            } else {
                s.matches(sep.as_str()).count() + 1
            };
            room.fits(pieces as u64 + 1, s.len() as u64)?;
            if sep.is_empty() {
                return Ok(Value::List(
                    s.chars().map(|c| Value::String(c.to_string())).collect(),
                ));
            }
            Ok(Value::List(
                s.split(sep.as_str())
                    .map(|p| Value::String(p.to_string()))
                    .collect(),
            ))
        }
        "replace" => {
            arity(name, a, 3, 3)?;
            let s = text(&a[0])?;
            let search = text(&a[1])?;
            let rep = text(&a[2])?;
            if search.len() >= 2 && search.starts_with('/') && search.ends_with('/') {
                let re = compile(&search[1..search.len() - 1])?;
                // Built match by match, the length checked before each replacement is added
                // (an empty match at every character, a replacement repeating `$0`).
                let dollars = rep.matches('$').count();
                let mut out = String::new();
                let mut last = 0;
                for c in re.captures_iter(&s) {
                    let Some(m) = c.get(0) else { continue };
                    let most = rep.len() + dollars * m.len();
                    if out.len() + (m.start() - last) + most > MAX_STRING {
                        return fail("the result is too long");
                    }
                    out.push_str(&s[last..m.start()]);
                    c.expand(&rep, &mut out);
                    last = m.end();
                }
                out.push_str(&s[last..]);
                room.fits(1, out.len() as u64)?;
                return string_result(out);
            }
            if search.is_empty() {
                return Ok(Value::String(s));
            }
            let len = s.len() as u64
                + (s.matches(search.as_str()).count() as u64)
                    .saturating_mul((rep.len() as u64).saturating_sub(search.len() as u64));
            if len > MAX_STRING as u64 {
                return fail("the result is too long");
            }
            room.fits(1, len)?;
            string_result(s.replace(&search, &rep))
        }
        "lower" => str1(name, a, |s| s.to_lowercase()),
        "upper" => str1(name, a, |s| s.to_uppercase()),
        "trimspace" => str1(name, a, |s| s.trim().to_string()),
        "chomp" => str1(name, a, |s| s.trim_end_matches(['\n', '\r']).to_string()),
        "strrev" => str1(name, a, |s| s.chars().rev().collect()),
        "title" => str1(name, a, |s| {
            let mut out = String::with_capacity(s.len());
            let mut start = true;
            for c in s.chars() {
                if start && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                start = !c.is_alphanumeric();
            }
            out
        }),
        "trim" => {
            arity(name, a, 2, 2)?;
            let s = text(&a[0])?;
            let cut = text(&a[1])?;
            Ok(Value::String(
                s.trim_matches(|c| cut.contains(c)).to_string(),
            ))
        }
        "trimprefix" => {
            arity(name, a, 2, 2)?;
            let s = text(&a[0])?;
            let p = text(&a[1])?;
            Ok(Value::String(s.strip_prefix(&p).unwrap_or(&s).to_string()))
        }
        "trimsuffix" => {
            arity(name, a, 2, 2)?;
            let s = text(&a[0])?;
            let p = text(&a[1])?;
            Ok(Value::String(s.strip_suffix(&p).unwrap_or(&s).to_string()))
        }
        "startswith" | "endswith" | "strcontains" => {
            arity(name, a, 2, 2)?;
            let s = text(&a[0])?;
            let p = text(&a[1])?;
            Ok(Value::Bool(match name {
                "startswith" => s.starts_with(&p),
                "endswith" => s.ends_with(&p),
                _ => s.contains(&p),
            }))
        }
        "substr" => {
            arity(name, a, 3, 3)?;
            let s = text(&a[0])?;
            let chars: Vec<char> = s.chars().collect();
            let n = chars.len() as i64;
            let mut off = int(&a[1])?;
            let len = int(&a[2])?;
            if off < 0 {
                off += n;
            }
            if off < 0 || off > n {
                return fail("offset out of range");
            }
            let end = if len < 0 { n } else { (off + len).min(n) };
            Ok(Value::String(
                chars[off as usize..end.max(off) as usize].iter().collect(),
            ))
        }
        "indent" => {
            arity(name, a, 2, 2)?;
            let n = int(&a[0])?.clamp(0, 1024) as usize;
            let s = text(&a[1])?;
            let len = s.len() as u64 + (s.matches('\n').count() as u64).saturating_mul(n as u64);
            if len > MAX_STRING as u64 {
                return fail("the result is too long");
            }
            room.fits(1, len)?;
            let pad = " ".repeat(n);
            string_result(s.replace('\n', &format!("\n{pad}")))
        }
        "regex" => {
            arity(name, a, 2, 2)?;
            let re = compile(&text(&a[0])?)?;
            let s = text(&a[1])?;
            match re.captures(&s) {
                Some(c) => Ok(captures_value(&re, &c)),
                None => fail("the pattern does not match the string"),
            }
        }
        "regexall" => {
            arity(name, a, 2, 2)?;
            let re = compile(&text(&a[0])?)?;
            let s = text(&a[1])?;
            let mut out = Vec::new();
            for c in re.captures_iter(&s) {
                // Each match is a value with one per group.
                room.fits((out.len() as u64 + 1) * (re.captures_len() as u64 + 1), 0)?;
                out.push(captures_value(&re, &c));
            }
            Ok(Value::List(out))
        }

        // ---- numbers ----
        "abs" => num1(name, a, f64::abs),
        "ceil" => num1(name, a, f64::ceil),
        "floor" => num1(name, a, f64::floor),
        "signum" => num1(name, a, f64::signum),
        "log" => {
            arity(name, a, 2, 2)?;
            Ok(Value::Number(num(&a[0])?.log(num(&a[1])?)))
        }
        "pow" => {
            arity(name, a, 2, 2)?;
            Ok(Value::Number(num(&a[0])?.powf(num(&a[1])?)))
        }
        "max" | "min" => {
            arity(name, a, 1, usize::MAX)?;
            let mut best: Option<f64> = None;
            for x in a {
                let n = num(x)?;
                best = Some(match best {
                    None => n,
                    Some(b) if name == "max" => b.max(n),
                    Some(b) => b.min(n),
                });
            }
            Ok(Value::Number(best.unwrap_or(0.0)))
        }
        "parseint" => {
            arity(name, a, 2, 2)?;
            let s = text(&a[0])?;
            let base = int(&a[1])?;
            if !(2..=62).contains(&base) || base > 36 {
                return fail("the base must be between 2 and 36");
            }
            match i64::from_str_radix(&s, base as u32) {
                Ok(n) => Ok(Value::Number(n as f64)),
                Err(_) => fail(format!("{s:?} is not a number in base {base}")),
            }
        }
        "sum" => {
            arity(name, a, 1, 1)?;
            let mut t = 0.0;
            for x in list(&a[0])? {
                t += num(x)?;
            }
            Ok(Value::Number(t))
        }

        // ---- collections ----
        "length" => {
            arity(name, a, 1, 1)?;
            match shallow(&a[0])? {
                Value::List(items) => Ok(Value::Number(items.len() as f64)),
                Value::Object(m) => Ok(Value::Number(m.len() as f64)),
                Value::String(s) => Ok(Value::Number(s.chars().count() as f64)),
                other => fail(format!("cannot take the length of a {}", type_name(other))),
            }
        }
        "concat" => {
            let mut out = Vec::new();
            let mut refs = Vec::new();
            for x in a {
                match x {
                    Value::List(items) => out.extend(items.iter().cloned()),
                    Value::Ref(_) => refs.push(x.clone()),
                    Value::Unknown(_) => return Ok(x.clone()),
                    other => return fail(format!("a list is required, got {}", type_name(other))),
                }
            }
            if !refs.is_empty() {
                return Ok(refs_union(&out, &refs));
            }
            Ok(Value::List(out))
        }
        "flatten" => {
            arity(name, a, 1, 1)?;
            let mut out = Vec::new();
            flatten_into(list(&a[0])?, &mut out, 0)?;
            Ok(Value::List(out))
        }
        "merge" => {
            let mut out = crate::model::value::Map::new();
            for x in a {
                match shallow(x)? {
                    Value::Null => {}
                    Value::Object(m) => {
                        for (k, v) in m {
                            out.insert(k.clone(), v.clone());
                        }
                    }
                    other => {
                        return fail(format!(
                            "a map or object is required, got {}",
                            type_name(other)
                        ))
                    }
                }
            }
            Ok(Value::Object(out))
        }
        "lookup" => {
            arity(name, a, 2, 3)?;
            let m = object(&a[0])?;
            let k = text(&a[1])?;
            match m.get(k.as_str()) {
                Some(v) => Ok(v.clone()),
                None => match a.get(2) {
                    Some(d) => Ok(d.clone()),
                    None => fail(format!("no key {k:?} in the map")),
                },
            }
        }
        "element" => {
            arity(name, a, 2, 2)?;
            let l = list(&a[0])?;
            let i = int(&a[1])?;
            if l.is_empty() {
                return fail("cannot use element on an empty list");
            }
            if i < 0 {
                return fail("a negative index is not allowed");
            }
            Ok(l[(i as usize) % l.len()].clone())
        }
        "index" => {
            arity(name, a, 2, 2)?;
            let l = list(&a[0])?;
            let v = known(&a[1])?;
            for (i, x) in l.iter().enumerate() {
                if x == v {
                    return Ok(Value::Number(i as f64));
                }
                known(x)?;
            }
            fail("the value is not in the list")
        }
        "keys" => {
            arity(name, a, 1, 1)?;
            Ok(Value::List(
                object(&a[0])?
                    .keys()
                    .map(|k| Value::String(k.to_string()))
                    .collect(),
            ))
        }
        "values" => {
            arity(name, a, 1, 1)?;
            Ok(Value::List(object(&a[0])?.values().cloned().collect()))
        }
        "zipmap" => {
            arity(name, a, 2, 2)?;
            let ks = list(&a[0])?;
            let vs = list(&a[1])?;
            if ks.len() != vs.len() {
                return fail("the key and value lists must have the same length");
            }
            let mut out = crate::model::value::Map::new();
            for (k, v) in ks.iter().zip(vs) {
                out.insert(text(k)?.into(), v.clone());
            }
            Ok(Value::Object(out))
        }
        "distinct" => {
            arity(name, a, 1, 1)?;
            let l = list(&a[0])?;
            for x in l {
                no_unknown(x)?;
            }
            Ok(Value::List(set_of_ordered(l)?))
        }
        "contains" => {
            arity(name, a, 2, 2)?;
            let l = list(&a[0])?;
            let v = known(&a[1])?;
            if l.iter().any(|x| x == v) {
                return Ok(Value::Bool(true));
            }
            for x in l {
                known(x)?;
            }
            Ok(Value::Bool(false))
        }
        "coalesce" => {
            for x in a {
                match x {
                    Value::Null => continue,
                    Value::String(s) if s.is_empty() => continue,
                    // A reference to an attribute is neither null nor empty once applied.
                    Value::Unknown(_) => return Ok(x.clone()),
                    v => return Ok(v.clone()),
                }
            }
            fail("no non-null, non-empty argument")
        }
        "coalescelist" => {
            for x in a {
                match shallow(x)? {
                    Value::List(items) if items.is_empty() => continue,
                    Value::Null => continue,
                    v @ Value::List(_) => return Ok(v.clone()),
                    other => return fail(format!("a list is required, got {}", type_name(other))),
                }
            }
            fail("no non-empty list argument")
        }
        "compact" => {
            arity(name, a, 1, 1)?;
            let mut out = Vec::new();
            for x in list(&a[0])? {
                match no_unknown(x)? {
                    Value::Null => {}
                    Value::String(s) if s.is_empty() => {}
                    v => out.push(v.clone()),
                }
            }
            Ok(Value::List(out))
        }
        "slice" => {
            arity(name, a, 3, 3)?;
            let l = list(&a[0])?;
            let s = int(&a[1])?;
            let e = int(&a[2])?;
            if s < 0 || e < s || e as usize > l.len() {
                return fail("the slice indices are out of range");
            }
            Ok(Value::List(l[s as usize..e as usize].to_vec()))
        }
        "range" => {
            arity(name, a, 1, 3)?;
            let (start, end, step) = match a.len() {
                1 => (0.0, num(&a[0])?, 1.0),
                2 => {
                    let (s, e) = (num(&a[0])?, num(&a[1])?);
                    (s, e, if e >= s { 1.0 } else { -1.0 })
                }
                _ => (num(&a[0])?, num(&a[1])?, num(&a[2])?),
            };
            if step == 0.0 {
                return fail("the step must not be zero");
            }
            // The length before building it.
            let len = ((end - start) / step).ceil();
            if len.is_finite() && len > 0.0 {
                if len > MAX_RANGE as f64 {
                    return fail("the range is too long");
                }
                room.fits(len as u64 + 1, 0)?;
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                if out.len() >= MAX_RANGE {
                    return fail("the range is too long");
                }
                out.push(Value::Number(x));
                x += step;
            }
            Ok(Value::List(out))
        }
        "one" => {
            arity(name, a, 1, 1)?;
            match shallow(&a[0])? {
                Value::Null => Ok(Value::Null),
                Value::List(items) => match items.len() {
                    0 => Ok(Value::Null),
                    1 => Ok(items[0].clone()),
                    n => fail(format!("the list has {n} elements, not one")),
                },
                other => fail(format!("a list is required, got {}", type_name(other))),
            }
        }
        "sort" => {
            arity(name, a, 1, 1)?;
            let mut out = Vec::new();
            for x in list(&a[0])? {
                out.push(text(x)?);
            }
            out.sort();
            Ok(Value::List(out.into_iter().map(Value::String).collect()))
        }
        "reverse" => {
            arity(name, a, 1, 1)?;
            let mut l = list(&a[0])?.clone();
            l.reverse();
            Ok(Value::List(l))
        }
        "alltrue" | "anytrue" => {
            arity(name, a, 1, 1)?;
            let mut bools = Vec::new();
            for x in list(&a[0])? {
                bools.push(to_bool(known(x)?)?);
            }
            Ok(Value::Bool(if name == "alltrue" {
                bools.iter().all(|b| *b)
            } else {
                bools.iter().any(|b| *b)
            }))
        }
        "chunklist" => {
            arity(name, a, 2, 2)?;
            let l = list(&a[0])?;
            let n = int(&a[1])?;
            if n < 0 {
                return fail("the chunk size must not be negative");
            }
            if n == 0 {
                return Ok(Value::List(vec![Value::List(l.clone())]));
            }
            room.fits(2 * l.len() as u64 + 1, 0)?;
            Ok(Value::List(
                l.chunks(n as usize)
                    .map(|c| Value::List(c.to_vec()))
                    .collect(),
            ))
        }
        "setunion" => {
            let mut all = Vec::new();
            for x in a {
                all.extend(list(x)?.iter().cloned());
            }
            for x in &all {
                known(x)?;
            }
            Ok(Value::List(set_of(&all)?))
        }
        "setintersection" | "setsubtract" => {
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
        "setproduct" => {
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
        "transpose" => {
            arity(name, a, 1, 1)?;
            let m = object(known(&a[0])?)?;
            let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (k, vs) in m {
                for v in list(vs)? {
                    out.entry(text(v)?)
                        .or_default()
                        .push(Value::String(k.to_string()));
                }
            }
            Ok(Value::Object(
                out.into_iter().map(|(k, v)| (k, Value::List(v))).collect(),
            ))
        }
        "matchkeys" => {
            arity(name, a, 3, 3)?;
            let vals = list(&a[0])?;
            let keys = list(known(&a[1])?)?;
            let search = list(known(&a[2])?)?;
            if vals.len() != keys.len() {
                return fail("the value and key lists must have the same length");
            }
            let search = Members::new(search, keys.len())?;
            Ok(Value::List(
                vals.iter()
                    .zip(keys)
                    .filter(|(_, k)| search.contains(k))
                    .map(|(v, _)| v.clone())
                    .collect(),
            ))
        }

        // ---- network ----
        "cidrsubnet" => {
            arity(name, a, 3, 3)?;
            let (addr, len, v6) = parse_cidr(&text(&a[0])?)?;
            let newbits = int(&a[1])?;
            let netnum = int(&a[2])?;
            let bits = if v6 { 128 } else { 32 };
            let new_len = len as i64 + newbits;
            if newbits < 0 || new_len > bits {
                return fail(format!(
                    "not enough remaining address space for a subnet with a prefix of {new_len} bits"
                ));
            }
            if netnum < 0 || (newbits < 64 && netnum as u128 >= 1u128 << newbits) {
                return fail(format!("prefix extension of {newbits} bits does not accommodate a subnet numbered {netnum}"));
            }
            let shift = bits as u32 - new_len as u32;
            let net = addr | ((netnum as u128).checked_shl(shift).unwrap_or(0));
            Ok(Value::String(format!("{}/{new_len}", show_addr(net, v6))))
        }
        "cidrsubnets" => {
            arity(name, a, 1, usize::MAX)?;
            let (addr, len, v6) = parse_cidr(&text(&a[0])?)?;
            let bits: u32 = if v6 { 128 } else { 32 };
            let mut cur: u128 = addr;
            let mut out = Vec::new();
            for nb in &a[1..] {
                let nb = int(nb)?;
                let new_len = len as i64 + nb;
                if nb < 1 || new_len > bits as i64 {
                    return fail("not enough remaining address space");
                }
                let size = 1u128.checked_shl(bits - new_len as u32).unwrap_or(0);
                if size > 0 && !cur.is_multiple_of(size) {
                    cur = (cur / size + 1) * size;
                }
                let end = cur.saturating_add(size);
                let limit = addr.saturating_add(1u128.checked_shl(bits - len).unwrap_or(u128::MAX));
                if end > limit {
                    return fail("not enough remaining address space");
                }
                out.push(Value::String(format!("{}/{new_len}", show_addr(cur, v6))));
                cur = end;
            }
            Ok(Value::List(out))
        }
        "cidrhost" => {
            arity(name, a, 2, 2)?;
            let (addr, len, v6) = parse_cidr(&text(&a[0])?)?;
            let hostnum = int(&a[1])?;
            let bits: u32 = if v6 { 128 } else { 32 };
            let host_bits = bits - len;
            let size = 1u128.checked_shl(host_bits).unwrap_or(u128::MAX);
            let h: u128 = if hostnum < 0 {
                let neg = hostnum.unsigned_abs() as u128;
                if neg > size {
                    return fail("the host number is out of range");
                }
                size - neg
            } else {
                hostnum as u128
            };
            if h >= size {
                return fail(format!(
                    "prefix of {len} bits cannot accommodate a host numbered {hostnum}"
                ));
            }
            Ok(Value::String(show_addr(addr | h, v6)))
        }
        "cidrnetmask" => {
            arity(name, a, 1, 1)?;
            let (_, len, v6) = parse_cidr(&text(&a[0])?)?;
            if v6 {
                return fail("cidrnetmask takes only IPv4 prefixes");
            }
            let mask: u32 = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            Ok(Value::String(Ipv4Addr::from(mask).to_string()))
        }

        // ---- filesystem paths ----
        "dirname" => str1(name, a, |s| match s.rfind('/') {
            Some(0) => "/".to_string(),
            Some(i) => s[..i].to_string(),
            None => ".".to_string(),
        }),
        "basename" => str1(name, a, |s| {
            s.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string()
        }),

        // ---- values known only at apply ----
        "timestamp" | "plantimestamp" | "uuid" | "uuidv5" | "bcrypt" => {
            Err(Fail::Unknown(Value::unknown(format!(
                "`{name}()` gives a different value on every run (known only at apply)"
            ))))
        }
        other => Err(Fail::Unknown(Value::unknown(format!(
            "function `{other}` is not supported"
        )))),
    }
}

thread_local! {
    /// Compiled patterns: configurations call `regexall` once per `count` instance.
    static PATTERNS: std::cell::RefCell<std::collections::HashMap<String, regex::Regex>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn compile(pattern: &str) -> Result<regex::Regex, Fail> {
    if let Some(re) = PATTERNS.with(|p| p.borrow().get(pattern).cloned()) {
        return Ok(re);
    }
    let re = regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| Fail::Err(EvalError(format!("invalid regular expression: {e}"))))?;
    PATTERNS.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() > 256 {
            p.clear();
        }
        p.insert(pattern.to_string(), re.clone());
    });
    Ok(re)
}

/// Terraform's result of a match: the matched text without groups, a list of the groups, or an
/// object of named groups.
fn captures_value(re: &regex::Regex, c: &regex::Captures<'_>) -> Value {
    let text = |m: Option<regex::Match<'_>>| {
        m.map_or(Value::Null, |m| Value::String(m.as_str().to_string()))
    };
    if re.captures_len() == 1 {
        return text(c.get(0));
    }
    if re.capture_names().flatten().next().is_some() {
        return Value::Object(
            re.capture_names()
                .flatten()
                .map(|n| (n.to_string(), text(c.name(n))))
                .collect(),
        );
    }
    Value::List((1..re.captures_len()).map(|i| text(c.get(i))).collect())
}

fn str1(name: &str, a: &[Value], f: impl Fn(&str) -> String) -> FR {
    arity(name, a, 1, 1)?;
    string_result(f(&text(&a[0])?))
}

fn num1(name: &str, a: &[Value], f: impl Fn(f64) -> f64) -> FR {
    arity(name, a, 1, 1)?;
    Ok(Value::Number(f(num(&a[0])?)))
}

/// A set from a list: known strings sorted and deduplicated (as Terraform orders a set of
/// strings); with undecided elements the order is kept.
fn set_of(items: &[Value]) -> Result<Vec<Value>, Fail> {
    let mut out = set_of_ordered(items)?;
    if out.iter().all(|v| matches!(v, Value::String(_))) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    Ok(out)
}

/// Deduplicates, keeping the first occurrence (Unknown elements are all kept: they may differ).
/// Linear for scalars; lists and objects are compared one by one (see [`Members`]).
fn set_of_ordered(items: &[Value]) -> Result<Vec<Value>, Fail> {
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
struct Members<'a> {
    keys: std::collections::HashSet<Key<'a>>,
    others: Vec<&'a Value>,
}

impl<'a> Members<'a> {
    /// `queries`: how many lookups will follow (bounds the comparisons of non-scalars).
    fn new(items: &'a [Value], queries: usize) -> Result<Members<'a>, Fail> {
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

    fn contains(&self, v: &Value) -> bool {
        match key(v) {
            Some(k) => self.keys.contains(&k),
            None => self.others.contains(&v),
        }
    }
}

fn flatten_into(items: &[Value], out: &mut Vec<Value>, depth: usize) -> Result<(), Fail> {
    if depth > 64 {
        return fail("the list is nested too deeply");
    }
    for i in items {
        match i {
            Value::List(inner) => flatten_into(inner, out, depth + 1)?,
            Value::Unknown(_) => return Err(Fail::Unknown(i.clone())),
            other => out.push(other.clone()),
        }
    }
    Ok(())
}

/// A list combined with references to list-valued attributes: one reference to every target,
/// marked incomplete when known elements are folded in.
fn refs_union(known_part: &[Value], refs: &[Value]) -> Value {
    let mut targets: Vec<Target> = Vec::new();
    let mut literal = false;
    let mut notes = Vec::new();
    let mut add = |v: &Value, targets: &mut Vec<Target>| {
        if let Value::Ref(r) = v {
            for t in &r.targets {
                if !targets.contains(t) {
                    targets.push(t.clone());
                }
            }
            if let Some(n) = &r.note {
                notes.push(n.clone());
            }
        }
    };
    for v in refs {
        add(v, &mut targets);
    }
    for v in known_part {
        match v {
            Value::Ref(_) => add(v, &mut targets),
            _ => literal = true,
        }
    }
    if literal {
        notes.push("the list also holds values that are not references".to_string());
    }
    Value::reference(
        targets,
        !literal,
        (!notes.is_empty()).then(|| notes.join("; ")),
    )
}

/// `jsonencode`: JSON text when the value is known; otherwise the structured value itself, so
/// that policies and container definitions stay readable in their known parts (the graph
/// accepts both).
pub(crate) fn jsonencode(v: &Value) -> Value {
    if first_undecided(v).is_some() {
        return v.clone();
    }
    let mut out = String::new();
    write_json(v, &mut out);
    Value::String(out)
}

/// Writes JSON as Terraform's `jsonencode` does: compact, keys sorted, `<`, `>`, `&`, U+2028 and
/// U+2029 escaped, whole numbers without a fraction.
fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Null | Value::Unknown(_) | Value::Ref(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_finite() {
                out.push_str(&format_number(*n));
            } else {
                out.push_str("null");
            }
        }
        Value::String(s) => write_json_string(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(k, out);
                out.push(':');
                write_json(x, out);
            }
            out.push('}');
        }
    }
}

fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Terraform's `format` verbs: `%s %d %f %e %g %x %X %o %b %t %q %v %#v %%`, with flags
/// (`-`, `0`, `+`, ` `), width, precision and explicit argument indexes (`%[2]s`).
fn format(f: &str, args: &[Value]) -> Result<String, Fail> {
    let mut out = String::new();
    let chars: Vec<char> = f.chars().collect();
    let mut i = 0;
    let mut next_arg = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let (mut minus, mut zero, mut plus, mut space, mut sharp) =
            (false, false, false, false, false);
        while let Some(&fl) = chars.get(i) {
            match fl {
                '-' => minus = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' => space = true,
                '#' => sharp = true,
                _ => break,
            }
            i += 1;
        }
        if chars.get(i) == Some(&'[') {
            let end = chars[i..]
                .iter()
                .position(|&c| c == ']')
                .ok_or_else(|| Fail::Err(EvalError("unterminated `[` in the format".into())))?;
            let n: usize = chars[i + 1..i + end]
                .iter()
                .collect::<String>()
                .parse()
                .map_err(|_| Fail::Err(EvalError("bad argument index in the format".into())))?;
            next_arg = n.saturating_sub(1);
            i += end + 1;
        }
        let mut width = 0usize;
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            width = width.saturating_mul(10).saturating_add(d as usize);
            i += 1;
        }
        let mut prec = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let mut p = 0usize;
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                p = p.saturating_mul(10).saturating_add(d as usize);
                i += 1;
            }
            prec = Some(p);
        }
        if width > 4096 || prec.is_some_and(|p| p > 4096) {
            return fail("the width or precision in the format is too large");
        }
        let Some(&verb) = chars.get(i) else {
            return fail("the format ends with an incomplete verb");
        };
        i += 1;
        let Some(arg) = args.get(next_arg) else {
            return fail(format!(
                "not enough arguments for the format (verb %{verb})"
            ));
        };
        next_arg += 1;
        let body = match verb {
            's' => {
                let mut s = to_text(arg)?;
                if let Some(p) = prec {
                    s = s.chars().take(p).collect();
                }
                s
            }
            'v' => {
                if sharp {
                    match jsonencode(arg) {
                        Value::String(s) => s,
                        _ => String::new(),
                    }
                } else {
                    match arg {
                        Value::List(_) | Value::Object(_) => match jsonencode(arg) {
                            Value::String(s) => s,
                            _ => String::new(),
                        },
                        other => to_text(other)?,
                    }
                }
            }
            'q' => {
                let mut s = String::new();
                write_json_string(&to_text(arg)?, &mut s);
                s
            }
            't' => to_bool(arg)?.to_string(),
            'd' | 'x' | 'X' | 'o' | 'b' => {
                let n = to_number(arg)?;
                if n.fract() != 0.0 {
                    return fail(format!("%{verb} needs a whole number"));
                }
                let n = n as i64;
                let (neg, m) = (n < 0, n.unsigned_abs());
                let digits = match verb {
                    'd' => m.to_string(),
                    'x' => format!("{m:x}"),
                    'X' => format!("{m:X}"),
                    'o' => format!("{m:o}"),
                    _ => format!("{m:b}"),
                };
                sign(neg, plus, space) + &digits
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let n = to_number(arg)?;
                let p = prec.unwrap_or(6);
                let body = match verb {
                    'f' | 'F' => format!("{:.*}", p, n.abs()),
                    'e' => format!("{:.*e}", p, n.abs()),
                    'E' => format!("{:.*E}", p, n.abs()),
                    _ => format_number(n.abs()),
                };
                sign(n < 0.0, plus, space) + &body
            }
            other => return fail(format!("unsupported format verb %{other}")),
        };
        let len = body.chars().count();
        if len < width {
            let pad = width - len;
            if minus {
                out.push_str(&body);
                out.push_str(&" ".repeat(pad));
            } else if zero && !matches!(verb, 's' | 'q' | 'v' | 't') {
                let (sgn, rest) = match body.chars().next() {
                    Some(c @ ('-' | '+' | ' ')) => (c.to_string(), body[1..].to_string()),
                    _ => (String::new(), body.clone()),
                };
                out.push_str(&sgn);
                out.push_str(&"0".repeat(pad));
                out.push_str(&rest);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&body);
            }
        } else {
            out.push_str(&body);
        }
        if out.len() > MAX_STRING {
            return fail("the result is too long");
        }
    }
    Ok(out)
}

fn sign(neg: bool, plus: bool, space: bool) -> String {
    if neg {
        "-".into()
    } else if plus {
        "+".into()
    } else if space {
        " ".into()
    } else {
        String::new()
    }
}

/// Parses an IPv4 or IPv6 prefix into (network address, prefix length, is IPv6). The host
/// bits are cleared.
fn parse_cidr(s: &str) -> Result<(u128, u32, bool), Fail> {
    let (a, l) = s
        .split_once('/')
        .ok_or_else(|| Fail::Err(EvalError(format!("{s:?} is not a CIDR prefix"))))?;
    let len: u32 = l
        .parse()
        .map_err(|_| Fail::Err(EvalError(format!("{s:?} is not a CIDR prefix"))))?;
    if let Ok(v4) = a.parse::<Ipv4Addr>() {
        if len > 32 {
            return fail(format!("{s:?} has a prefix longer than 32 bits"));
        }
        let n = u32::from(v4) as u128;
        let mask: u128 = if len == 0 {
            0
        } else {
            (u32::MAX << (32 - len)) as u128
        };
        return Ok((n & mask, len, false));
    }
    if let Ok(v6) = a.parse::<Ipv6Addr>() {
        if len > 128 {
            return fail(format!("{s:?} has a prefix longer than 128 bits"));
        }
        let n = u128::from(v6);
        let mask: u128 = if len == 0 {
            0
        } else {
            u128::MAX << (128 - len)
        };
        return Ok((n & mask, len, true));
    }
    fail(format!("{s:?} is not a CIDR prefix"))
}

fn show_addr(n: u128, v6: bool) -> String {
    if v6 {
        Ipv6Addr::from(n).to_string()
    } else {
        Ipv4Addr::from(n as u32).to_string()
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        if c == b'=' {
            break;
        }
        if c.is_ascii_whitespace() {
            continue;
        }
        let v = B64.iter().position(|&x| x == c)? as u32;
        buf = buf << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A call with the whole budget left.
    fn call(name: &str, args: Vec<Value>) -> R {
        super::call(name, args, &mut room())
    }

    fn room() -> Room {
        Room {
            values: crate::hcl::eval::MAX_VALUES,
            bytes: crate::hcl::eval::MAX_BYTES,
            over: None,
        }
    }

    /// Functions whose result can be far larger than their arguments check its size first.
    #[test]
    fn sizes_are_checked_before_building() {
        let big = |n: usize| s(&"\n".repeat(n));
        for (name, args) in [
            ("indent", vec![Value::Number(1024.0), big(1 << 20)]),
            ("join", vec![big(1 << 20), Value::List(vec![s("a"); 64])]),
            ("replace", vec![big(1 << 20), s("\n"), big(64)]),
            (
                "replace",
                vec![
                    big(1 << 20),
                    s("/\n/"),
                    s("$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0"),
                ],
            ),
            ("range", vec![Value::Number(1e300)]),
        ] {
            let r = super::call(name, args, &mut room());
            assert!(r.is_err(), "{name}: {r:?}");
        }
        // Within the per-call limits but past what is left of the budget: spent.
        let mut little = Room {
            values: 1000,
            bytes: 1000,
            over: None,
        };
        let l = Value::List((0..10).map(|i| Value::Number(i as f64)).collect());
        assert!(super::call(
            "setproduct",
            vec![l.clone(), l.clone(), l.clone(), l],
            &mut little
        )
        .is_err());
        assert!(little.over.is_some());
        let mut little = Room {
            values: 10,
            bytes: 1000,
            over: None,
        };
        assert!(super::call("range", vec![Value::Number(100.0)], &mut little).is_err());
        assert!(little.over.is_some());
        let mut little = Room {
            values: 1000,
            bytes: 1000,
            over: None,
        };
        let r = super::call(
            "formatlist",
            vec![s("%100d"), Value::List(vec![Value::Number(1.0); 100])],
            &mut little,
        );
        assert!(r.is_err() && little.over.is_some(), "{r:?}");
    }

    /// Set functions on long lists take linear time.
    #[test]
    fn set_functions_are_linear_on_scalars() {
        let l = Value::List((0..200_000).map(|i| Value::Number(i as f64)).collect());
        let start = std::time::Instant::now();
        assert!(matches!(call("toset", vec![l.clone()]), Ok(Value::List(v)) if v.len() == 200_000));
        assert!(
            matches!(call("setintersection", vec![l.clone(), l.clone()]), Ok(Value::List(v)) if v.len() == 200_000)
        );
        assert!(
            matches!(call("setsubtract", vec![l.clone(), l.clone()]), Ok(Value::List(v)) if v.is_empty())
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
        assert_eq!(
            call(
                "distinct",
                vec![Value::List(vec![
                    Value::Number(0.0),
                    Value::Number(-0.0),
                    s("0")
                ])]
            ),
            Ok(Value::List(vec![Value::Number(0.0), s("0")]))
        );
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
    fn ok(name: &str, args: Vec<Value>) -> Value {
        call(name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn cidr_functions() {
        assert_eq!(
            ok("cidrsubnet", vec![s("10.0.0.0/16"), n(8.0), n(2.0)]),
            s("10.0.2.0/24")
        );
        assert_eq!(
            ok("cidrsubnet", vec![s("10.1.2.0/24"), n(4.0), n(15.0)]),
            s("10.1.2.240/28")
        );
        assert_eq!(
            ok(
                "cidrsubnet",
                vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)]
            ),
            s("fd00:fd12:3456:7800:a200::/72")
        );
        assert_eq!(
            ok("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]),
            s("10.12.112.16")
        );
        assert_eq!(
            ok("cidrhost", vec![s("10.12.112.0/20"), n(268.0)]),
            s("10.12.113.12")
        );
        assert_eq!(
            ok("cidrhost", vec![s("10.0.0.0/24"), n(-2.0)]),
            s("10.0.0.254")
        );
        assert_eq!(
            ok("cidrnetmask", vec![s("172.16.0.0/12")]),
            s("255.240.0.0")
        );
        assert_eq!(
            ok(
                "cidrsubnets",
                vec![s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)]
            ),
            l(vec![
                s("10.1.0.0/20"),
                s("10.1.16.0/20"),
                s("10.1.32.0/24"),
                s("10.1.48.0/20")
            ])
        );
        assert!(call("cidrsubnet", vec![s("10.0.0.0/30"), n(8.0), n(0.0)]).is_err());
    }

    #[test]
    fn format_verbs() {
        assert_eq!(
            ok("format", vec![s("Hello, %s!"), s("Ander")]),
            s("Hello, Ander!")
        );
        assert_eq!(
            ok(
                "format",
                vec![s("%03d|%-4s|%.2f"), n(7.0), s("ab"), n(1.23456)]
            ),
            s("007|ab  |1.23")
        );
        assert_eq!(
            ok(
                "format",
                vec![s("%q %t %x %%"), s("a\"b"), Value::Bool(true), n(255.0)]
            ),
            s("\"a\\\"b\" true ff %")
        );
        assert_eq!(
            ok("format", vec![s("%[2]s-%[1]s"), s("a"), s("b")]),
            s("b-a")
        );
        assert_eq!(ok("format", vec![s("%v"), l(vec![n(1.0)])]), s("[1]"));
        assert!(call("format", vec![s("%s %s"), s("a")]).is_err());
        let u = ok("format", vec![s("%s"), Value::unknown("why")]);
        assert_eq!(u.undecided_reason().as_deref(), Some("why"));
        assert_eq!(
            ok(
                "formatlist",
                vec![s("%s-%s"), l(vec![s("a"), s("b")]), s("x")]
            ),
            l(vec![s("a-x"), s("b-x")])
        );
    }

    #[test]
    fn json_encoding() {
        let mut m = crate::model::value::Map::new();
        m.insert("b".into(), n(443.0));
        m.insert("a".into(), s("<x&y>"));
        m.insert("c".into(), n(0.5));
        assert_eq!(
            ok("jsonencode", vec![Value::Object(m)]),
            s(r#"{"a":"\u003cx\u0026y\u003e","b":443,"c":0.5}"#)
        );
        let partial = l(vec![s("a"), Value::unknown("later")]);
        assert_eq!(ok("jsonencode", vec![partial.clone()]), partial);
        let d = ok("jsondecode", vec![s(r#"{"x":[1,true,null]}"#)]);
        assert_eq!(
            d.path(&["x"]),
            Some(&l(vec![n(1.0), Value::Bool(true), Value::Null]))
        );
    }

    #[test]
    fn collections() {
        assert_eq!(
            ok("concat", vec![l(vec![s("a")]), l(vec![s("b")])]),
            l(vec![s("a"), s("b")])
        );
        assert_eq!(
            ok(
                "flatten",
                vec![l(vec![l(vec![s("a"), l(vec![s("b")])]), s("c")])]
            ),
            l(vec![s("a"), s("b"), s("c")])
        );
        assert_eq!(
            ok("length", vec![l(vec![Value::unknown("x"), s("b")])]),
            n(2.0)
        );
        assert!(ok("length", vec![Value::unknown("x")]).is_undecided());
        assert_eq!(ok("element", vec![l(vec![s("a"), s("b")]), n(3.0)]), s("b"));
        assert_eq!(
            ok("toset", vec![l(vec![s("b"), s("a"), s("b")])]),
            l(vec![s("a"), s("b")])
        );
        assert_eq!(
            ok("distinct", vec![l(vec![s("b"), s("a"), s("b")])]),
            l(vec![s("b"), s("a")])
        );
        assert_eq!(
            ok("compact", vec![l(vec![s(""), s("a"), Value::Null])]),
            l(vec![s("a")])
        );
        assert_eq!(
            ok(
                "slice",
                vec![l(vec![s("a"), s("b"), s("c")]), n(1.0), n(3.0)]
            ),
            l(vec![s("b"), s("c")])
        );
        assert_eq!(ok("range", vec![n(3.0)]), l(vec![n(0.0), n(1.0), n(2.0)]));
        assert_eq!(
            ok("range", vec![n(1.0), n(7.0), n(3.0)]),
            l(vec![n(1.0), n(4.0)])
        );
        assert_eq!(ok("one", vec![l(vec![])]), Value::Null);
        assert!(call("one", vec![l(vec![s("a"), s("b")])]).is_err());
        assert_eq!(
            ok("sort", vec![l(vec![s("b"), s("a")])]),
            l(vec![s("a"), s("b")])
        );
        assert_eq!(ok("coalesce", vec![Value::Null, s(""), s("x")]), s("x"));
        assert!(ok("coalesce", vec![Value::unknown("u"), s("x")]).is_undecided());
        let r = Value::reference(
            vec![Target {
                address: "aws_vpc.a".into(),
                attr: Some("id".into()),
            }],
            true,
            None,
        );
        assert_eq!(ok("coalesce", vec![Value::Null, r.clone(), s("x")]), r);
        assert_eq!(
            ok("coalescelist", vec![l(vec![]), l(vec![s("a")])]),
            l(vec![s("a")])
        );
        assert_eq!(
            ok(
                "contains",
                vec![l(vec![s("a"), Value::unknown("u")]), s("a")]
            ),
            Value::Bool(true)
        );
        assert!(ok(
            "contains",
            vec![l(vec![s("a"), Value::unknown("u")]), s("b")]
        )
        .is_undecided());
        let z = ok(
            "zipmap",
            vec![l(vec![s("a"), s("b")]), l(vec![n(1.0), n(2.0)])],
        );
        assert_eq!(z.get("b"), Some(&n(2.0)));
        assert_eq!(ok("keys", vec![z.clone()]), l(vec![s("a"), s("b")]));
        assert_eq!(ok("values", vec![z.clone()]), l(vec![n(1.0), n(2.0)]));
        assert_eq!(ok("lookup", vec![z.clone(), s("c"), n(9.0)]), n(9.0));
        assert!(call("lookup", vec![z.clone(), s("c")]).is_err());
        let m = ok(
            "merge",
            vec![
                z,
                Value::Null,
                ok("zipmap", vec![l(vec![s("a")]), l(vec![n(5.0)])]),
            ],
        );
        assert_eq!(m.get("a"), Some(&n(5.0)));
        assert_eq!(ok("max", vec![n(1.0), n(5.0), n(3.0)]), n(5.0));
        assert_eq!(ok("min", vec![n(1.0), n(5.0)]), n(1.0));
        assert_eq!(ok("abs", vec![n(-2.0)]), n(2.0));
        assert_eq!(
            ok("reverse", vec![l(vec![n(1.0), n(2.0)])]),
            l(vec![n(2.0), n(1.0)])
        );
        assert_eq!(
            ok("setunion", vec![l(vec![s("b")]), l(vec![s("a"), s("b")])]),
            l(vec![s("a"), s("b")])
        );
        assert_eq!(
            ok(
                "setsubtract",
                vec![l(vec![s("a"), s("b")]), l(vec![s("a")])]
            ),
            l(vec![s("b")])
        );
        assert_eq!(
            ok("chunklist", vec![l(vec![n(1.0), n(2.0), n(3.0)]), n(2.0)]),
            l(vec![l(vec![n(1.0), n(2.0)]), l(vec![n(3.0)])])
        );
        assert_eq!(
            ok("alltrue", vec![l(vec![Value::Bool(true), s("true")])]),
            Value::Bool(true)
        );
        assert_eq!(ok("sum", vec![l(vec![n(1.0), n(2.5)])]), n(3.5));
        assert_eq!(ok("index", vec![l(vec![s("a"), s("b")]), s("b")]), n(1.0));
    }

    #[test]
    fn strings() {
        assert_eq!(
            ok(
                "replace",
                vec![s("com.amazonaws.x.ecr.dkr"), s("."), s("_")]
            ),
            s("com_amazonaws_x_ecr_dkr")
        );
        assert_eq!(
            ok("replace", vec![s("a-b_c"), s("/[^a-z]/"), s("")]),
            s("abc")
        );
        assert_eq!(
            ok("replace", vec![s("v1.2"), s("/v(\\d+)/"), s("$1")]),
            s("1.2")
        );
        assert_eq!(ok("regex", vec![s("[a-z]+"), s("53abc")]), s("abc"));
        assert_eq!(
            ok("regex", vec![s("(\\d+)-(\\d+)"), s("10-20")]),
            l(vec![s("10"), s("20")])
        );
        assert_eq!(
            ok("regex", vec![s("(?P<a>\\d)"), s("x1")]).get("a"),
            Some(&s("1"))
        );
        assert!(call("regex", vec![s("z"), s("abc")]).is_err());
        assert_eq!(
            ok("regexall", vec![s("^[a-z]{2}-"), s("eu-west-1a")]),
            l(vec![s("eu-")])
        );
        assert_eq!(ok("regexall", vec![s("x"), s("abc")]), l(vec![]));
        assert_eq!(ok("split", vec![s(","), s("a,b")]), l(vec![s("a"), s("b")]));
        assert_eq!(ok("join", vec![s("-"), l(vec![s("a"), n(1.0)])]), s("a-1"));
        assert_eq!(ok("lower", vec![s("AbC")]), s("abc"));
        assert_eq!(ok("upper", vec![s("AbC")]), s("ABC"));
        assert_eq!(ok("title", vec![s("hello world")]), s("Hello World"));
        assert_eq!(
            ok(
                "trimprefix",
                vec![s("com.amazonaws.s3"), s("com.amazonaws.")]
            ),
            s("s3")
        );
        assert_eq!(ok("trimsuffix", vec![s("a.tf"), s(".tf")]), s("a"));
        assert_eq!(ok("trimspace", vec![s("  a \n")]), s("a"));
        assert_eq!(ok("trim", vec![s("?!a?!"), s("!?")]), s("a"));
        assert_eq!(
            ok("substr", vec![s("hello world"), n(1.0), n(4.0)]),
            s("ello")
        );
        assert_eq!(ok("substr", vec![s("hello"), n(-3.0), n(-1.0)]), s("llo"));
        assert_eq!(ok("startswith", vec![s("abc"), s("ab")]), Value::Bool(true));
        assert_eq!(ok("endswith", vec![s("abc"), s("ab")]), Value::Bool(false));
        assert_eq!(ok("strcontains", vec![s("abc"), s("b")]), Value::Bool(true));
        assert_eq!(ok("chomp", vec![s("a\n\n")]), s("a"));
        assert_eq!(ok("indent", vec![n(2.0), s("a\nb")]), s("a\n  b"));
        assert_eq!(
            ok("base64encode", vec![s("Hello World")]),
            s("SGVsbG8gV29ybGQ=")
        );
        assert_eq!(
            ok("base64decode", vec![s("SGVsbG8gV29ybGQ=")]),
            s("Hello World")
        );
        assert_eq!(ok("urlencode", vec![s("a b/c")]), s("a%20b%2Fc"));
        assert_eq!(ok("tostring", vec![n(5.0)]), s("5"));
        assert_eq!(ok("tonumber", vec![s("5")]), n(5.0));
        assert_eq!(ok("tobool", vec![s("true")]), Value::Bool(true));
        assert_eq!(ok("dirname", vec![s("a/b/c.tf")]), s("a/b"));
        assert_eq!(ok("basename", vec![s("a/b/c.tf")]), s("c.tf"));
        assert_eq!(ok("parseint", vec![s("ff"), n(16.0)]), n(255.0));
    }

    #[test]
    fn unsupported_and_unknown() {
        let u = ok("md5", vec![s("x")]);
        assert_eq!(
            u.undecided_reason().as_deref(),
            Some("function `md5` is not supported")
        );
        assert!(ok("timestamp", vec![]).is_undecided());
        let r = Value::reference(
            vec![Target {
                address: "aws_vpc.a".into(),
                attr: Some("id".into()),
            }],
            true,
            None,
        );
        assert_eq!(ok("tostring", vec![r.clone()]), r);
        assert_eq!(
            ok("upper", vec![r]).undecided_reason().as_deref(),
            Some("aws_vpc.a.id is known only after apply")
        );
    }
}
