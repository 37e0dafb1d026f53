//! Decodes a resource's attribute object straight into the model's [`Value`], in one pass over
//! the JSON text, laying the plan's `after_unknown` over it: every part marked unknown becomes
//! what the configuration says it refers to. No intermediate `serde_json::Value` of the
//! attributes is built, and attributes no rule reads (tags, timeouts) are skipped unparsed.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value as J;

use crate::model::Value;

use crate::model::keeps;

/// How unknown parts are turned into values: called with the attribute path.
pub type Resolve<'r> = dyn FnMut(&[String]) -> Value + 'r;

/// Decodes `text` (a JSON value) with `unknown` (the matching part of `after_unknown`), keeping
/// the top-level attributes `kept` allows (see [`crate::model::kept_attributes`]).
pub fn decode(
    text: &str,
    unknown: Option<&J>,
    kept: Option<&[&str]>,
    resolve: &mut Resolve<'_>,
) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut path = Vec::new();
    let v = Seed {
        unknown,
        path: &mut path,
        resolve,
        top: Some(kept),
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// The parts of `after_unknown` that are unknown where `after` has nothing (attributes that are
/// entirely unknown are absent from `after`).
pub fn only_unknown(
    unknown: &J,
    kept: Option<&[&str]>,
    path: &mut Vec<String>,
    resolve: &mut Resolve<'_>,
) -> Value {
    match unknown {
        J::Bool(true) => resolve(path),
        J::Object(m) => {
            let top = path.is_empty();
            Value::Object(
                m.iter()
                    .filter(|(k, v)| **v != J::Bool(false) && (!top || keeps(kept, k)))
                    .map(|(k, v)| {
                        path.push(k.clone());
                        let x = only_unknown(v, None, path, resolve);
                        path.pop();
                        (k.clone(), x)
                    })
                    .collect(),
            )
        }
        J::Array(items) => Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    path.push(i.to_string());
                    let x = only_unknown(v, None, path, resolve);
                    path.pop();
                    x
                })
                .collect(),
        ),
        _ => Value::Null,
    }
}

struct Seed<'a, 'p, 'r> {
    unknown: Option<&'a J>,
    path: &'p mut Vec<String>,
    resolve: &'p mut Resolve<'r>,
    /// At the top level: which attributes to keep.
    top: Option<Option<&'a [&'a str]>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_, '_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.unknown == Some(&J::Bool(true)) {
            IgnoredAny::deserialize(d)?;
            return Ok((self.resolve)(self.path));
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, '_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let unknown = match self.unknown {
            Some(J::Array(u)) => Some(u),
            _ => None,
        };
        let mut out = Vec::new();
        loop {
            let i = out.len();
            // The path is needed only where something below may be unknown.
            let child = unknown.and_then(|u| u.get(i));
            if child.is_some() {
                self.path.push(i.to_string());
            }
            let item = seq.next_element_seed(Seed {
                unknown: child,
                path: self.path,
                resolve: self.resolve,
                top: None,
            });
            if child.is_some() {
                self.path.pop();
            }
            match item? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::List(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let unknown = match self.unknown {
            Some(J::Object(u)) => Some(u),
            _ => None,
        };
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if self.top.is_some_and(|kept| !keeps(kept, &key)) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let key = key.into_owned();
            let child = unknown.and_then(|u| u.get(&key));
            if child.is_some() {
                self.path.push(key.clone());
            }
            let v = map.next_value_seed(Seed {
                unknown: child,
                path: self.path,
                resolve: self.resolve,
                top: None,
            });
            if child.is_some() {
                self.path.pop();
            }
            out.insert(key, v?);
        }
        if let Some(u) = unknown {
            for (k, uv) in u {
                if out.contains_key(k)
                    || *uv == J::Bool(false)
                    || self.top.is_some_and(|kept| !keeps(kept, k))
                {
                    continue;
                }
                self.path.push(k.clone());
                let v = only_unknown(uv, None, self.path, self.resolve);
                self.path.pop();
                out.insert(k.clone(), v);
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlays_unknown_parts_and_skips_tags() {
        let after = r#"{"name": "x", "tags": {"a": "b"}, "network_configuration": [{"subnets": [], "assign_public_ip": false}]}"#;
        let unknown = serde_json::json!({"id": true, "network_configuration": [{"subnets": true}]});
        let mut seen = Vec::new();
        let kept: &[&str] = &["network_configuration"];
        let v = decode(after, Some(&unknown), Some(kept), &mut |p| {
            seen.push(p.join("."));
            Value::unknown("x")
        })
        .unwrap();
        seen.sort();
        assert_eq!(seen, vec!["id", "network_configuration.0.subnets"]);
        assert!(v.get("id").unwrap().is_undecided());
        assert!(v.get("tags").is_none());
        assert_eq!(
            v.path(&["network_configuration", "assign_public_ip"]),
            Some(&Value::Bool(false))
        );
    }

    #[test]
    fn decodes_escaped_keys_and_strings() {
        let v = decode(
            r#"{"a\"b": "c\nd", "n": 1.5, "l": [true, null]}"#,
            None,
            None,
            &mut |_| Value::Null,
        )
        .unwrap();
        assert_eq!(v.get("a\"b").and_then(Value::as_str), Some("c\nd"));
        assert_eq!(v.get("n").and_then(Value::as_f64), Some(1.5));
    }
}
