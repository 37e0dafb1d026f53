//! Terraform resource addresses: `module.net["a"].aws_subnet.private[0]`.
//!
//! Plans and state spell addresses as strings; the resolver needs their parts (module instance
//! path, configuration path without instance keys, resource type/name, instance key).

use std::fmt;

/// A `count` index or a `for_each` key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceKey {
    Int(i64),
    Str(String),
}

impl fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::Int(i) => write!(f, "[{i}]"),
            InstanceKey::Str(s) => {
                f.write_str("[\"")?;
                // Plain runs are written whole; only the three escaped characters are split.
                let mut rest = s.as_str();
                while let Some(i) = rest.find(['"', '\\', '\n']) {
                    f.write_str(&rest[..i])?;
                    f.write_str(match rest.as_bytes()[i] {
                        b'"' => "\\\"",
                        b'\\' => "\\\\",
                        _ => "\\n",
                    })?;
                    rest = &rest[i + 1..];
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
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    pub module: Vec<ModuleStep>,
    pub data: bool,
    pub rtype: String,
    pub name: String,
    pub key: Option<InstanceKey>,
    /// `module` as text (`module.a["k"]`), computed once: the resolver and the graph ask for it
    /// for every resource.
    module_text: String,
}

impl Address {
    /// Parses `module.a["k"].data.aws_x.y[0]`. Returns `None` for strings that are not resource
    /// instance addresses.
    pub fn parse(s: &str) -> Option<Address> {
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
        let module_text = module_instance_string(&module);
        Some(Address {
            module,
            data,
            rtype,
            name,
            key,
            module_text,
        })
    }

    /// The module instance path, e.g. `module.a["k"]`; empty for the root module.
    pub fn module_instance(&self) -> &str {
        &self.module_text
    }

    /// The configuration path of the module, without instance keys: `module.a.module.b`.
    pub fn module_config(&self) -> String {
        self.module
            .iter()
            .map(|m| format!("module.{}", m.name))
            .collect::<Vec<_>>()
            .join(".")
    }

    /// `aws_x.y` or `data.aws_x.y`, without module path or key.
    pub fn resource_config(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.rtype, self.name)
        } else {
            format!("{}.{}", self.rtype, self.name)
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for m in &self.module {
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
    fn splits_traversals_with_attributes() {
        let t = split_traversal("aws_subnet.private[0].id").unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t[1].1, Some(InstanceKey::Int(0)));
        assert_eq!(t[2].0, "id");
        let t = split_traversal("local.short[\"vpce\"]").unwrap();
        assert_eq!(t[1].1, Some(InstanceKey::Str("vpce".into())));
    }
}
