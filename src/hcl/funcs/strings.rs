//! String functions: `format` / `formatlist` (their verbs in `format`), `join`, `split`,
//! `replace`, case and trimming, `substr`, `indent`, regular expressions (`regex`,
//! `regexall`), and `dirname` / `basename` (paths as strings).

use super::{
    arity, fail, format, int, known, list, shallow, str1, string_result, text, Fail, Room, FR,
    MAX_STRING,
};
use crate::hcl::eval::EvalError;
use crate::model::Value;

/// The string functions; `None` for a name that is not one of them.
pub(super) fn call(name: &str, a: &[Value], room: &mut Room) -> Option<FR> {
    Some(match name {
        "format" => format_string(name, a),
        "formatlist" => format_list(name, a, room),
        "join" => join(name, a, room),
        "split" => split(name, a, room),
        "replace" => replace(name, a, room),
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
        "trim" => trim(name, a),
        "trimprefix" => trimprefix(name, a),
        "trimsuffix" => trimsuffix(name, a),
        "startswith" | "endswith" | "strcontains" => affix(name, a),
        "substr" => substr(name, a),
        "indent" => indent(name, a, room),
        "regex" => regex_match(name, a),
        "regexall" => regex_all(name, a, room),
        // Paths, as strings (the file system is not read).
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
        _ => return None,
    })
}

/// `format(spec, args…)`: see [`format::render`].
fn format_string(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, usize::MAX)?;
    let f = text(&a[0])?;
    for x in &a[1..] {
        known(x)?;
    }
    string_result(format::render(&f, &a[1..])?)
}

/// `formatlist(spec, args…)`: `format` once per element of the list arguments (all of one
/// length; other arguments repeat).
fn format_list(name: &str, a: &[Value], room: &mut Room) -> FR {
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
        let line = format::render(&f, &row)?;
        // Each line is bounded (MAX_STRING); all of them together by the budget.
        bytes += line.len() as u64;
        room.fits(out.len() as u64 + 1, bytes)?;
        out.push(Value::String(line));
    }
    Ok(Value::List(out))
}

/// `join(sep, lists…)`: the elements of the lists joined (the length checked first).
///
/// A single part is the result as it is, so a reference (an id) stays a reference: the
/// cloudposse idiom `join("", aws_vpc.default.*.id)` for the id of a `count = 0/1` resource
/// (with an empty separator, known empty parts around it add nothing).
fn join(name: &str, a: &[Value], room: &mut Room) -> FR {
    arity(name, a, 2, usize::MAX)?;
    let sep = text(&a[0])?;
    let mut items = Vec::new();
    for l in &a[1..] {
        items.extend(list(l)?);
    }
    if sep.is_empty() {
        items.retain(|x| x.as_str() != Some(""));
    }
    if let [one @ Value::Ref(_)] = items.as_slice() {
        return Ok((*one).clone());
    }
    let mut parts = Vec::with_capacity(items.len());
    for x in items {
        parts.push(text(x)?);
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

/// `split(sep, text)`: the pieces between separators (an empty separator: characters).
fn split(name: &str, a: &[Value], room: &mut Room) -> FR {
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

/// `replace(text, search, replacement)`: every occurrence replaced; a search in `/…/` is a
/// regular expression and the replacement may refer to its groups (`$1`).
fn replace(name: &str, a: &[Value], room: &mut Room) -> FR {
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

/// `trim(text, chars)`: the characters of `chars` removed from both ends.
fn trim(name: &str, a: &[Value]) -> FR {
    arity(name, a, 2, 2)?;
    let s = text(&a[0])?;
    let cut = text(&a[1])?;
    Ok(Value::String(
        s.trim_matches(|c| cut.contains(c)).to_string(),
    ))
}

/// `trimprefix(text, prefix)`: the text without the prefix, if it has it.
fn trimprefix(name: &str, a: &[Value]) -> FR {
    arity(name, a, 2, 2)?;
    let s = text(&a[0])?;
    let p = text(&a[1])?;
    Ok(Value::String(s.strip_prefix(&p).unwrap_or(&s).to_string()))
}

/// `trimsuffix(text, suffix)`: the text without the suffix, if it has it.
fn trimsuffix(name: &str, a: &[Value]) -> FR {
    arity(name, a, 2, 2)?;
    let s = text(&a[0])?;
    let p = text(&a[1])?;
    Ok(Value::String(s.strip_suffix(&p).unwrap_or(&s).to_string()))
}

/// `startswith(text, p)`, `endswith(text, p)`, `strcontains(text, p)`.
fn affix(name: &str, a: &[Value]) -> FR {
    arity(name, a, 2, 2)?;
    let s = text(&a[0])?;
    let p = text(&a[1])?;
    Ok(Value::Bool(match name {
        "startswith" => s.starts_with(&p),
        "endswith" => s.ends_with(&p),
        _ => s.contains(&p),
    }))
}

/// `substr(text, offset, length)`: in characters; a negative offset counts from the end, a
/// negative length runs to the end.
fn substr(name: &str, a: &[Value]) -> FR {
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

/// `indent(n, text)`: every line but the first indented by `n` spaces (at most 1024).
fn indent(name: &str, a: &[Value], room: &mut Room) -> FR {
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

/// `regex(pattern, text)`: the first match (see [`captures_value`]); no match is an error.
fn regex_match(name: &str, a: &[Value]) -> FR {
    arity(name, a, 2, 2)?;
    let re = compile(&text(&a[0])?)?;
    let s = text(&a[1])?;
    match re.captures(&s) {
        Some(c) => Ok(captures_value(&re, &c)),
        None => fail("the pattern does not match the string"),
    }
}

/// `regexall(pattern, text)`: every match (see [`captures_value`]).
fn regex_all(name: &str, a: &[Value], room: &mut Room) -> FR {
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

thread_local! {
    /// Compiled patterns: configurations call `regexall` once per `count` instance.
    static PATTERNS: std::cell::RefCell<std::collections::HashMap<String, regex::Regex>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// A regular expression (RE2 syntax, as Terraform's), compiled once per pattern and bounded
/// in size.
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
