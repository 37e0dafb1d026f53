//! Terraform resource addresses: `module.net["a"].aws_subnet.private[0]`.
//!
//! Plans and state spell addresses as strings; the resolver needs their parts (module instance
//! path, configuration path without instance keys, resource type/name, instance key).

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::hash::{FastMap, FastSet};

/// A `count` index or a `for_each` key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceKey {
    Int(i64),
    Str(String),
    /// The key of an instance that stands for a block whose `count` / `for_each` is not
    /// decided (HCL input): written `[*]`, as Terraform writes a partly expanded address. Only
    /// the HCL reader makes it; [`validate`] refuses it in plans and states, where every
    /// instance has its key.
    Unknown,
}

impl fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::Int(i) => write!(f, "[{i}]"),
            InstanceKey::Unknown => f.write_str("[*]"),
            InstanceKey::Str(s) => {
                f.write_str("[\"")?;
                // Plain runs are written whole; only escaped characters are split. As Terraform
                // writes keys: `"`, `\`, newline, return and tab by their escapes, and characters
                // that are not printable (controls, bidirectional overrides) as `\uXXXX`, so that
                // an address never carries them raw.
                let mut rest = s.as_str();
                while let Some(i) = rest.find(|c: char| matches!(c, '"' | '\\') || needs_escape(c))
                {
                    f.write_str(&rest[..i])?;
                    let Some(c) = rest[i..].chars().next() else {
                        break;
                    };
                    match c {
                        '"' => f.write_str("\\\"")?,
                        '\\' => f.write_str("\\\\")?,
                        '\n' => f.write_str("\\n")?,
                        '\r' => f.write_str("\\r")?,
                        '\t' => f.write_str("\\t")?,
                        c if (c as u32) < 0x10000 => write!(f, "\\u{:04x}", c as u32)?,
                        c => write!(f, "\\U{:08x}", c as u32)?,
                    }
                    rest = &rest[i + c.len_utf8()..];
                }
                f.write_str(rest)?;
                f.write_str("\"]")
            }
        }
    }
}

impl InstanceKey {
    /// Reads a key as JSON gives it (`"index": 0` or `"index": "ssm"`).
    pub fn from_json(v: &serde_json::Value) -> Option<InstanceKey> {
        match v {
            serde_json::Value::Number(n) => n.as_i64().map(InstanceKey::Int),
            serde_json::Value::String(s) => Some(InstanceKey::Str(s.clone())),
            _ => None,
        }
    }

    /// The key as `each.key` / `count.index` would give it, for matching.
    pub fn as_text(&self) -> String {
        match self {
            InstanceKey::Int(i) => i.to_string(),
            InstanceKey::Str(s) => s.clone(),
            InstanceKey::Unknown => "*".to_string(),
        }
    }
}

/// One step of a module path: `module.NAME[KEY]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModuleStep {
    pub name: String,
    pub key: Option<InstanceKey>,
}

/// A parsed resource instance address.
///
/// The module path (its steps and its text) and, in a module, the name are shared: the
/// addresses of one plan read through [`SharedParts`] hold one copy of each per module instance
/// or name, not one per resource, and the type of a resource pullpath reads is the static name
/// from its tables.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    pub module: Arc<[ModuleStep]>,
    pub data: bool,
    pub rtype: Cow<'static, str>,
    pub name: Arc<str>,
    pub key: Option<InstanceKey>,
    /// `module` as text (`module.a["k"]`), computed once: the resolver and the graph ask for it
    /// for every resource.
    module_text: Arc<str>,
}

/// The module paths (by their text) and the names of resources in modules already parsed in
/// one input, for the addresses parsed after them to share (see [`SharedParts::validate`]).
#[derive(Default)]
pub struct SharedParts {
    modules: FastMap<Arc<str>, Arc<[ModuleStep]>>,
    names: FastSet<Arc<str>>,
}

impl SharedParts {
    /// [`validate`], with the module path and the name taken from an earlier address of the
    /// same input when they are written the same way (then they are neither parsed nor copied
    /// again).
    pub fn validate(&mut self, s: &str) -> Result<Address, InvalidAddress> {
        validate_with(s, Some(self))
    }

    fn name(&mut self, name: &str) -> Arc<str> {
        match self.names.get(name) {
            Some(n) => n.clone(),
            None => {
                let n: Arc<str> = name.into();
                self.names.insert(n.clone());
                n
            }
        }
    }
}

/// The root module's path and text, shared by every address in it.
fn root_module() -> (Arc<[ModuleStep]>, Arc<str>) {
    static ROOT: OnceLock<(Arc<[ModuleStep]>, Arc<str>)> = OnceLock::new();
    ROOT.get_or_init(|| (Arc::from(Vec::new()), Arc::from("")))
        .clone()
}

/// A resource type, as the static name when pullpath reads that type (no copy per resource).
fn type_name(rtype: &str) -> Cow<'static, str> {
    match crate::model::static_type_name(rtype) {
        Some(t) => Cow::Borrowed(t),
        None => Cow::Owned(rtype.to_string()),
    }
}

impl Address {
    /// Parses `module.a["k"].data.aws_x.y[0]`. Returns `None` for strings that are not resource
    /// instance addresses in Terraform's grammar (see [`validate`]).
    pub fn parse(s: &str) -> Option<Address> {
        validate(s).ok()
    }

    /// An address from its parts, for the HCL reader's instances whose key (or a module
    /// step's) is [`InstanceKey::Unknown`], which [`Address::parse`] refuses.
    pub fn from_parts(
        module: Vec<ModuleStep>,
        data: bool,
        rtype: String,
        name: String,
        key: Option<InstanceKey>,
    ) -> Address {
        let (module, module_text) = if module.is_empty() {
            root_module()
        } else {
            let text = module_instance_string(&module);
            (module.into(), text.into())
        };
        Address {
            module,
            data,
            rtype: type_name(&rtype),
            name: name.into(),
            key,
            module_text,
        }
    }

    /// The parse of a string [`validate`] accepted, as it was made before [`validate`] built the
    /// parts in its own pass: the reference the tests compare that pass with.
    #[cfg(test)]
    fn parse_valid(s: &str) -> Option<Address> {
        let parts = split_traversal(s)?;
        let mut i = 0;
        while i < parts.len() && parts[i].0 == "module" && parts[i].1.is_none() {
            i += 2;
        }
        if i > parts.len() {
            return None;
        }
        let data = parts.get(i).map(|p| p.0 == "data" && p.1.is_none()) == Some(true);
        let first = if data { i + 1 } else { i };
        if parts.len() != first + 2 || parts[first].1.is_some() {
            return None;
        }
        let mut parts = parts.into_iter();
        let mut module = Vec::with_capacity(i / 2);
        for _ in 0..i / 2 {
            parts.next();
            let (name, key) = parts.next()?;
            module.push(ModuleStep { name, key });
        }
        if data {
            parts.next();
        }
        let (rtype, _) = parts.next()?;
        let (name, key) = parts.next()?;
        Some(Address::from_parts(module, data, rtype, name, key))
    }

    /// The module instance path, e.g. `module.a["k"]`; empty for the root module.
    pub fn module_instance(&self) -> &str {
        &self.module_text
    }

    /// The configuration path of the module, without instance keys: `module.a.module.b`.
    pub fn module_config(&self) -> String {
        // Appended, not formatted: the resolver asks for it for every resource of a plan.
        let mut out = String::with_capacity(self.module.iter().map(|m| m.name.len() + 8).sum());
        for m in self.module.iter() {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str("module.");
            out.push_str(&m.name);
        }
        out
    }

    /// `aws_x.y` or `data.aws_x.y`, without module path or key.
    pub fn resource_config(&self) -> String {
        let mut out = String::with_capacity(self.rtype.len() + self.name.len() + 6);
        self.write_resource_config(&mut out);
        out
    }

    /// Appends [`Address::resource_config`] to `out` (for a caller that reuses one buffer).
    pub fn write_resource_config(&self, out: &mut String) {
        if self.data {
            out.push_str("data.");
        }
        out.push_str(&self.rtype);
        out.push('.');
        out.push_str(&self.name);
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for m in self.module.iter() {
            write!(f, "module.{}", m.name)?;
            if let Some(k) = &m.key {
                write!(f, "{k}")?;
            }
            f.write_str(".")?;
        }
        if self.data {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.rtype, self.name)?;
        if let Some(k) = &self.key {
            write!(f, "{k}")?;
        }
        Ok(())
    }
}

/// Renders a module instance path.
pub fn module_instance_string(steps: &[ModuleStep]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, m) in steps.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str("module.");
        out.push_str(&m.name);
        if let Some(k) = &m.key {
            // Writing to a String cannot fail.
            let _ = write!(out, "{k}");
        }
    }
    out
}

/// Joins a module instance path and a module-relative address.
pub fn join(module: &str, rel: &str) -> String {
    if module.is_empty() {
        rel.to_string()
    } else {
        format!("{module}.{rel}")
    }
}

/// Characters an address key never holds raw: Terraform writes them escaped. Controls (C0, DEL,
/// C1), the line and paragraph separators, and the bidirectional marks, overrides and isolates.
fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}' | '\u{200f}'
        | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

/// Why a string is not a resource instance address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidAddress {
    /// The string, escaped (Rust's debug form: no raw control or bidirectional character) and
    /// cut to 200 characters.
    pub found: String,
    /// What is wrong, and where.
    pub problem: String,
}

impl fmt::Display for InvalidAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "found {}, which is not a resource address: {}; expected [module.NAME[KEY].]...[data.]TYPE.NAME[KEY], e.g. module.net[\"a\"].aws_subnet.private[0], where TYPE and NAME are letters, digits, _ and -, starting with a letter or _, and KEY is a number or a quoted string",
            self.found, self.problem
        )
    }
}

impl std::error::Error for InvalidAddress {}

/// A string as an error message may quote it: escaped, cut to 200 characters.
pub fn quoted(s: &str) -> String {
    let cut: String = s.chars().take(200).collect();
    let mut out = String::with_capacity(cut.len() + 2);
    out.push('"');
    for c in cut.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    if cut.len() < s.len() {
        out.push('…');
    }
    out
}

/// Checks a resource instance address against Terraform's grammar and parses it:
/// `module.NAME[KEY].` steps, then `data.` or not, then `TYPE.NAME`, then an optional `[KEY]`,
/// where a name starts with a letter or `_` and goes on with letters, digits, `_` and `-`, and a
/// key is a non-negative integer or a quoted string with Terraform's escapes (`\n`, `\r`, `\t`,
/// `\"`, `\\`, `\uXXXX`, `\UXXXXXXXX`) and no raw control character. Plans and states are
/// input: an address outside this grammar is refused, never carried into the reports.
pub fn validate(s: &str) -> Result<Address, InvalidAddress> {
    validate_with(s, None)
}

fn validate_with(s: &str, mut shared: Option<&mut SharedParts>) -> Result<Address, InvalidAddress> {
    let fail = |problem: String| InvalidAddress {
        found: quoted(s),
        problem,
    };
    let mut p = Cursor { s, i: 0 };
    // Per step: its name, where it starts, and where its key's `[` is.
    let mut steps: Vec<(&str, usize, Option<usize>)> = Vec::with_capacity(6);
    loop {
        let start = p.i;
        let name = p.ident().map_err(|e| fail(e.at(start)))?;
        let key = if p.peek() == Some('[') {
            let open = p.i;
            p.key().map_err(&fail)?;
            Some(open)
        } else {
            None
        };
        steps.push((name, start, key));
        match p.peek() {
            None => break,
            Some('.') => {
                p.i += 1;
            }
            Some(c) => {
                return Err(fail(format!(
                    "{} at byte {} where . or the end was expected",
                    quoted(&c.to_string()),
                    p.i
                )))
            }
        }
    }
    let plain = |k: usize, name: &str| steps[k].0 == name && steps[k].2.is_none();
    let mut i = 0;
    while steps.len() - i > 2 && plain(i, "module") {
        i += 2;
    }
    let data = steps.len() - i == 3 && plain(i, "data");
    let first = if data { i + 1 } else { i };
    match steps.len() - first {
        2 if steps[first].2.is_none() => {}
        2 => {
            return Err(fail(format!(
                "the resource type {} has an index",
                steps[first].0
            )))
        }
        0 | 1 => return Err(fail("it has no TYPE.NAME".into())),
        _ => {
            return Err(fail(format!(
                "{} parts after the module path, where [data.]TYPE.NAME was expected",
                steps.len() - first
            )))
        }
    }
    // The parts, from what was just checked: one pass over the text.
    let key_of = |open: Option<usize>| -> Result<Option<InstanceKey>, InvalidAddress> {
        match open {
            None => Ok(None),
            Some(open) => parse_key(s, open + 1)
                .map(|(k, _)| Some(k))
                .ok_or_else(|| fail("it does not parse".into())),
        }
    };
    let (rtype, name) = (steps[first], steps[first + 1]);
    // The module path as written, where it is written as it renders (no escape in a key, no
    // leading zero in an index); else rendered.
    let written = if i == 0 { "" } else { &s[..steps[i].1 - 1] };
    let canonical = !written.contains('\\')
        && steps[..i].iter().filter_map(|st| st.2).all(|open| {
            let digits = &written.as_bytes()[open + 1..];
            !(digits.first() == Some(&b'0') && digits.get(1).is_some_and(u8::is_ascii_digit))
        });
    // The same text parses to the same steps: an earlier address's path is taken as it is.
    let earlier = match &shared {
        Some(t) if canonical => t.modules.get_key_value(written),
        _ => None,
    };
    let (module, module_text) = match earlier {
        Some((text, steps)) => (steps.clone(), text.clone()),
        None if i == 0 => root_module(),
        None => {
            let mut module = Vec::with_capacity(i / 2);
            for step in steps[..i].chunks_exact(2) {
                module.push(ModuleStep {
                    name: step[1].0.to_string(),
                    key: key_of(step[1].2)?,
                });
            }
            let text: Arc<str> = if canonical {
                written.into()
            } else {
                module_instance_string(&module).into()
            };
            let module: Arc<[ModuleStep]> = module.into();
            if let (Some(t), true) = (shared.as_deref_mut(), canonical) {
                t.modules.insert(text.clone(), module.clone());
            }
            (module, text)
        }
    };
    Ok(Address {
        module,
        data,
        rtype: type_name(rtype.0),
        // Names repeat across the instances of a module; at the root they are mostly each
        // resource's own (a table of them would cost time for nothing).
        name: match shared {
            Some(t) if i > 0 => t.name(name.0),
            _ => name.0.into(),
        },
        key: key_of(name.2)?,
        module_text,
    })
}

/// A problem found at a position; `.1` is true when the text already names it.
struct At(String, bool);

impl At {
    fn at(self, byte: usize) -> String {
        if self.1 {
            self.0
        } else {
            format!("{} at byte {byte}", self.0)
        }
    }
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }

    /// A name: a letter or `_`, then letters, digits, `_` and `-` (HCL's identifiers).
    fn ident(&mut self) -> Result<&'a str, At> {
        let start = self.i;
        let mut chars = self.s[start..].char_indices();
        match chars.next() {
            Some((_, c)) if c.is_alphabetic() || c == '_' => {}
            Some((_, c)) => {
                return Err(At(
                    format!(
                        "a name starts with {}, not with a letter or _",
                        quoted(&c.to_string())
                    ),
                    false,
                ))
            }
            None => return Err(At("a name is missing".into(), false)),
        }
        let mut end = self.s.len();
        for (off, c) in chars {
            if !(c.is_alphanumeric() || c == '_' || c == '-') {
                if c != '.' && c != '[' {
                    return Err(At(
                        format!(
                            "{} after {} (at byte {}) is not a letter, digit, _ or -",
                            quoted(&c.to_string()),
                            quoted(&self.s[start..start + off]),
                            start + off
                        ),
                        true,
                    ));
                }
                end = start + off;
                break;
            }
        }
        self.i = end;
        Ok(&self.s[start..end])
    }

    /// `[0]` or `["key"]`, starting at `[`.
    fn key(&mut self) -> Result<(), String> {
        let open = self.i;
        self.i += 1;
        let rest = &self.s[self.i..];
        if rest.starts_with('"') {
            let mut chars = rest.char_indices().skip(1);
            while let Some((off, c)) = chars.next() {
                match c {
                    '"' => {
                        if rest[off + 1..].starts_with(']') {
                            self.i += off + 2;
                            return Ok(());
                        }
                        return Err(format!(
                            "the key at byte {open} is not followed by ]"
                        ));
                    }
                    '\\' => match chars.next() {
                        Some((_, 'n' | 'r' | 't' | '"' | '\\')) => {}
                        Some((_, u @ ('u' | 'U'))) => {
                            let n = if u == 'u' { 4 } else { 8 };
                            let hex: String = chars.by_ref().take(n).map(|(_, h)| h).collect();
                            let ok = hex.len() == n
                                && u32::from_str_radix(&hex, 16)
                                    .ok()
                                    .and_then(char::from_u32)
                                    .is_some();
                            if !ok {
                                return Err(format!(
                                    "the key at byte {open} has a bad \\{u} escape"
                                ));
                            }
                        }
                        Some((_, e)) => {
                            return Err(format!(
                                "the key at byte {open} has the escape \\{}, which Terraform does not write",
                                quoted(&e.to_string()).trim_matches('"')
                            ))
                        }
                        None => break,
                    },
                    c if needs_escape(c) => {
                        return Err(format!(
                            "the key at byte {open} holds the raw character {}, which Terraform writes escaped",
                            quoted(&c.to_string())
                        ))
                    }
                    _ => {}
                }
            }
            return Err(format!("the key at byte {open} has no closing \"]"));
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || !rest[digits..].starts_with(']') {
            return Err(format!(
                "the index at byte {open} is not a number or a quoted string"
            ));
        }
        if rest[..digits].parse::<i64>().is_err() {
            return Err(format!("the index at byte {open} is too large"));
        }
        self.i += digits + 1;
        Ok(())
    }
}

/// Splits a traversal such as `module.a["x.y"].aws_b.c[0].id` into `(name, key)` steps:
/// `[("module",None),("a",Some("x.y")),("aws_b",None),("c",Some(0)),("id",None)]`.
/// Returns `None` on malformed input (unbalanced brackets, bad keys).
pub fn split_traversal(s: &str) -> Option<Vec<(String, Option<InstanceKey>)>> {
    let mut out: Vec<(String, Option<InstanceKey>)> = Vec::with_capacity(6);
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut name = String::new();
    while i < bytes.len() {
        match bytes[i] {
            b'.' => {
                if name.is_empty() && out.last().map(|l| l.1.is_none()) != Some(false) {
                    return None;
                }
                if !name.is_empty() {
                    out.push((std::mem::take(&mut name), None));
                }
                i += 1;
            }
            b'[' => {
                let (key, next) = parse_key(s, i + 1)?;
                if name.is_empty() {
                    // `a[0][1]`: a second index applies to the same step; keep the first.
                    if out.last()?.1.is_some() {
                        i = next;
                        continue;
                    }
                    out.last_mut()?.1 = Some(key);
                } else {
                    out.push((std::mem::take(&mut name), Some(key)));
                }
                i = next;
            }
            _ => {
                let start = i;
                while i < bytes.len() && bytes[i] != b'.' && bytes[i] != b'[' {
                    i += 1;
                }
                if name.is_empty() {
                    name = s[start..i].to_string();
                } else {
                    name.push_str(&s[start..i]);
                }
            }
        }
    }
    if !name.is_empty() {
        out.push((name, None));
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// Parses an index key starting after `[`; returns the key and the position after `]`.
fn parse_key(s: &str, mut i: usize) -> Option<(InstanceKey, usize)> {
    let bytes = s.as_bytes();
    if bytes.get(i) == Some(&b'"') {
        i += 1;
        let mut key = String::new();
        let rest = &s[i..];
        let mut chars = rest.char_indices();
        while let Some((off, c)) = chars.next() {
            match c {
                '\\' => {
                    let (_, e) = chars.next()?;
                    key.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'u' | 'U' => {
                            let n = if e == 'u' { 4 } else { 8 };
                            let hex: String = chars.by_ref().take(n).map(|(_, h)| h).collect();
                            u32::from_str_radix(&hex, 16)
                                .ok()
                                .and_then(char::from_u32)?
                        }
                        other => other,
                    });
                }
                '"' => {
                    let after = i + off + 1;
                    if bytes.get(after) != Some(&b']') {
                        return None;
                    }
                    return Some((InstanceKey::Str(key), after + 1));
                }
                c => key.push(c),
            }
        }
        None
    } else {
        let end = s[i..].find(']')? + i;
        let text = s[i..end].trim();
        let key = match text.parse::<i64>() {
            Ok(n) => InstanceKey::Int(n),
            // `[count.index]`, `[each.key]`, `[*]`: not a literal key.
            Err(_) => InstanceKey::Str(format!("\u{0}{text}")),
        };
        Some((key, end + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `validate` builds the parts in its own pass: the same parts, and the same module path
    /// text, as the parse it replaced, for plain and escaped keys, leading zeros, nesting.
    #[test]
    fn the_one_pass_parse_agrees_with_the_reference_parse() {
        let keys = [
            "",
            "[0]",
            "[7]",
            "[007]",
            "[10]",
            "[\"a\"]",
            "[\"a.b\"]",
            "[\"x[0]\"]",
            "[\"q\\\"t\"]",
            "[\"b\\\\s\"]",
            "[\"\\n\"]",
            "[\"\\u0041\"]",
            "[\"\\U0001F600\"]",
            "[\"é ü\"]",
            "[\"\"]",
        ];
        let mut n = 0;
        // One table for every address, as a plan's reader has: what it shares must not change
        // a parse.
        let mut shared = SharedParts::default();
        for mk in keys {
            for mk2 in ["", "[1]", "[\"k\"]", "[01]"] {
                for rk in keys {
                    for tail in [
                        format!("aws_vpc.main{rk}"),
                        format!("data.aws_subnet.s-1{rk}"),
                        format!("module.a{mk}.aws_x.y{rk}"),
                        format!("module.a{mk}.module.b_2{mk2}.data.aws_x.y{rk}"),
                        format!("module.data{mk}.aws_x.data{rk}"),
                    ] {
                        let new = validate(&tail);
                        let old = Address::parse_valid(&tail);
                        assert_eq!(
                            shared.validate(&tail).ok(),
                            new.clone().ok(),
                            "{tail} with shared parts"
                        );
                        match (&new, &old) {
                            (Ok(a), Some(b)) => {
                                assert_eq!(a, b, "{tail}");
                                assert_eq!(
                                    a.module_instance(),
                                    module_instance_string(&a.module),
                                    "{tail}"
                                );
                                n += 1;
                            }
                            (Err(_), _) => {}
                            (Ok(a), None) => panic!("{tail}: {a:?} but the reference refuses it"),
                        }
                    }
                }
            }
        }
        assert!(n > 1000, "{n}");
    }

    /// The addresses of one input share their module path and name; a path written in
    /// another spelling (`[01]`) is rendered, not shared under that spelling.
    #[test]
    fn addresses_of_one_input_share_their_parts() {
        let mut t = SharedParts::default();
        let mut parse = |s: &str| t.validate(s).unwrap();
        let a = parse("module.net[\"a\"].aws_subnet.this[0]");
        let b = parse("module.net[\"a\"].aws_vpc.this");
        let c = parse("module.net[\"b\"].aws_vpc.this");
        assert!(Arc::ptr_eq(&a.module, &b.module));
        assert!(Arc::ptr_eq(&a.module_text, &b.module_text));
        assert!(Arc::ptr_eq(&a.name, &b.name) && Arc::ptr_eq(&b.name, &c.name));
        assert!(!Arc::ptr_eq(&a.module, &c.module));
        assert_eq!(c.module_instance(), "module.net[\"b\"]");
        // Types pullpath reads are its static names; others are copied.
        assert!(matches!(a.rtype, Cow::Borrowed("aws_subnet")));
        let other = parse("module.net[\"a\"].null_resource.x");
        assert!(matches!(other.rtype, Cow::Owned(_)));
        // `[01]` renders as `[1]`: the spelling with a leading zero is not a key of the table.
        let zero = parse("module.m[01].aws_vpc.v");
        let one = parse("module.m[1].aws_vpc.v");
        assert_eq!(zero.module_instance(), "module.m[1]");
        assert_eq!(zero, one);
        assert_eq!(zero, validate("module.m[01].aws_vpc.v").unwrap());
        // Root-module addresses share the one empty path.
        let r1 = validate("aws_vpc.a").unwrap();
        let r2 = parse("aws_vpc.b");
        assert!(r1.module.is_empty() && Arc::ptr_eq(&r1.module, &r2.module));
    }

    #[test]
    fn parses_module_instances_and_keys() {
        let a = Address::parse("module.vpce[\"ssm\"].module.x[0].aws_vpc_endpoint.this[\"a.b\"]")
            .unwrap();
        assert_eq!(a.module.len(), 2);
        assert_eq!(a.module_instance(), "module.vpce[\"ssm\"].module.x[0]");
        assert_eq!(a.module_config(), "module.vpce.module.x");
        assert_eq!(a.rtype, "aws_vpc_endpoint");
        assert_eq!(a.key, Some(InstanceKey::Str("a.b".into())));
        assert_eq!(
            a.to_string(),
            "module.vpce[\"ssm\"].module.x[0].aws_vpc_endpoint.this[\"a.b\"]"
        );
    }

    #[test]
    fn parses_data_sources() {
        let a = Address::parse("data.aws_iam_policy_document.p").unwrap();
        assert!(a.data);
        assert_eq!(a.resource_config(), "data.aws_iam_policy_document.p");
    }

    #[test]
    fn rejects_non_addresses() {
        assert!(Address::parse("aws_vpc.main.id").is_none());
        assert!(Address::parse("module.a[\"x").is_none());
        assert!(Address::parse("").is_none());
        assert!(Address::parse("..").is_none());
    }

    #[test]
    fn follows_terraform_grammar() {
        for ok in [
            "aws_vpc.main",
            "data.aws_iam_policy_document.p",
            "module.a.module.b-c[\"k\\n\\u202e\"].aws_x.y_2[10]",
            "_x.y",
        ] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
        for bad in [
            "aws_vpc.ma in",
            "aws_vpc.main\n::error::x",
            "aws_vpc.main[0][1]",
            "aws_vpc.main[-1]",
            "aws_vpc.main[ 0 ]",
            "aws_vpc.main[count.index]",
            "aws_vpc.main[\"a\nb\"]",
            "aws_vpc.main[\"\u{202e}\"]",
            "aws_vpc.main[\"\\q\"]",
            "1aws.x",
            "module.a.aws_x",
            "aws_x.y.z",
            "aws_x[0].y",
            "aws_vpc.main.",
        ] {
            let e = validate(bad).expect_err(bad);
            assert!(!e.to_string().contains('\n'), "{e}");
            assert!(!e.to_string().contains('\u{202e}'), "{e}");
        }
        let e = validate("aws_vpc.main\n::error::x").unwrap_err();
        assert!(e.found.contains("\\n::error::x"), "{}", e.found);
    }

    #[test]
    fn keys_round_trip_escaped() {
        let k = InstanceKey::Str("a\"\\\n\r\t\u{1b}\u{202e}".into());
        let text = format!("x.y{k}");
        assert_eq!(text, "x.y[\"a\\\"\\\\\\n\\r\\t\\u001b\\u202e\"]");
        assert_eq!(Address::parse(&text).unwrap().key, Some(k));
    }

    #[test]
    fn splits_traversals_with_attributes() {
        let t = split_traversal("aws_subnet.private[0].id").unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t[1].1, Some(InstanceKey::Int(0)));
        assert_eq!(t[2].0, "id");
        let t = split_traversal("local.short[\"vpce\"]").unwrap();
        assert_eq!(t[1].1, Some(InstanceKey::Str("vpce".into())));
    }
}
