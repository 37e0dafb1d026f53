//! Decodes a resource's attribute object straight into the model's [`Value`], in one pass over
//! the JSON text, laying the plan's `after_unknown` over it: every part marked unknown becomes
//! what the configuration says it refers to. No intermediate `serde_json::Value` of the
//! attributes is built, and attributes no rule reads (tags, timeouts) are skipped unparsed.

use std::fmt;

use super::skim::Skim;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;

/// A plan's `after_unknown` for one resource: booleans, objects and arrays, with keys borrowed
/// from the plan's text. (A `serde_json::Value` would allocate a map node and a key per entry;
/// this is read once per resource, so its cost is the reader's.)
#[derive(Debug, PartialEq)]
pub enum Unk<'a> {
    Bool(bool),
    Obj(Vec<(Cow<'a, str>, Unk<'a>)>),
    Arr(Vec<Unk<'a>>),
    /// Anything else: not a valid `after_unknown` (reported by the reader).
    Other(String),
}

impl<'a> Unk<'a> {
    fn get(&self, key: &str) -> Option<&Unk<'a>> {
        match self {
            Unk::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn at(&self, i: usize) -> Option<&Unk<'a>> {
        match self {
            Unk::Arr(items) => items.get(i),
            _ => None,
        }
    }

    fn is_true(&self) -> bool {
        matches!(self, Unk::Bool(true))
    }

    fn is_false(&self) -> bool {
        matches!(self, Unk::Bool(false))
    }

    /// Whether every part is a boolean, object or array (checked without building paths).
    pub fn is_valid(&self) -> bool {
        match self {
            Unk::Bool(_) => true,
            Unk::Other(_) => false,
            Unk::Obj(entries) => entries.iter().all(|(_, v)| v.is_valid()),
            Unk::Arr(items) => items.iter().all(Unk::is_valid),
        }
    }

    /// The JSON path of the first part that is not a boolean, object or array.
    pub fn invalid(&self, path: &mut String) -> Option<String> {
        match self {
            Unk::Bool(_) => None,
            Unk::Other(what) => Some(format!(
                "{path}: expected true, false, an object or an array, found {what}"
            )),
            Unk::Obj(entries) => entries.iter().find_map(|(k, v)| {
                let len = path.len();
                path.push('.');
                path.push_str(k);
                let r = v.invalid(path);
                path.truncate(len);
                r
            }),
            Unk::Arr(items) => items.iter().enumerate().find_map(|(i, v)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let r = v.invalid(path);
                path.truncate(len);
                r
            }),
        }
    }
}

impl<'a> Unk<'a> {
    /// Reads `after_unknown` keeping, at the top level, only the attributes `kept` allows (see
    /// [`crate::model::kept_attributes`]): the others are only checked to be booleans, objects
    /// and arrays, without building them (most of a new resource's computed attributes are
    /// ones no rule reads). Where that check or the JSON fails, the whole value is read as
    /// before, so that the reader reports the same error at the same place.
    pub fn parse_kept(
        text: &'a str,
        kept: Option<&'static [&'static str]>,
    ) -> Result<Unk<'a>, serde_json::Error> {
        let mut p = Skim::new(text);
        if let Some(u) = fast_unknown(&mut p, kept).filter(|_| p.at_end()) {
            return Ok(u);
        }
        Self::parse_kept_general(text, kept)
    }

    /// [`Unk::parse_kept`] with serde_json.
    fn parse_kept_general(
        text: &'a str,
        kept: Option<&'static [&'static str]>,
    ) -> Result<Unk<'a>, serde_json::Error> {
        if kept.is_some() {
            let mut de = serde_json::Deserializer::from_str(text);
            let mut valid = true;
            let fast = KeptSeed {
                kept,
                valid: &mut valid,
            }
            .deserialize(&mut de)
            .and_then(|u| de.end().map(|()| u));
            if let (Ok(u), true) = (fast, valid) {
                return Ok(u);
            }
        }
        serde_json::from_str(text)
    }
}

/// The top level of `after_unknown`, filtered (see [`Unk::parse_kept`]).
struct KeptSeed<'v> {
    kept: Option<&'static [&'static str]>,
    valid: &'v mut bool,
}

impl<'de> DeserializeSeed<'de> for KeptSeed<'_> {
    type Value = Unk<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Unk<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeptSeed<'_> {
    type Value = Unk<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an after_unknown value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Unk<'de>, E> {
        Ok(Unk::Bool(b))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unk<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(x) = seq.next_element()? {
            items.push(x);
        }
        Ok(Unk::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unk<'de>, A::Error> {
        let mut entries = Vec::new();
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            if kept_key(self.kept, &k).is_some() {
                entries.push((k, map.next_value()?));
            } else if !map.next_value::<UnkCheck>()?.0 {
                *self.valid = false;
            }
        }
        Ok(Unk::Obj(entries))
    }
    // Anything else is not valid: the caller reads it again as before.
    fn visit_unit<E>(self) -> Result<Unk<'de>, E> {
        *self.valid = false;
        Ok(Unk::Bool(false))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Unk<'de>, E> {
        *self.valid = false;
        Ok(Unk::Bool(false))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Unk<'de>, E> {
        *self.valid = false;
        Ok(Unk::Bool(false))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Unk<'de>, E> {
        *self.valid = false;
        Ok(Unk::Bool(false))
    }
    fn visit_str<E>(self, _: &str) -> Result<Unk<'de>, E> {
        *self.valid = false;
        Ok(Unk::Bool(false))
    }
}

/// Whether a part of `after_unknown` is only booleans, objects and arrays (read, not kept).
struct UnkCheck(bool);

impl<'de> Deserialize<'de> for UnkCheck {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = UnkCheck;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an after_unknown value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<UnkCheck, E> {
                Ok(UnkCheck(true))
            }
            fn visit_unit<E>(self) -> Result<UnkCheck, E> {
                Ok(UnkCheck(false))
            }
            fn visit_i64<E>(self, _: i64) -> Result<UnkCheck, E> {
                Ok(UnkCheck(false))
            }
            fn visit_u64<E>(self, _: u64) -> Result<UnkCheck, E> {
                Ok(UnkCheck(false))
            }
            fn visit_f64<E>(self, _: f64) -> Result<UnkCheck, E> {
                Ok(UnkCheck(false))
            }
            fn visit_str<E>(self, _: &str) -> Result<UnkCheck, E> {
                Ok(UnkCheck(false))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UnkCheck, A::Error> {
                let mut valid = true;
                while let Some(UnkCheck(v)) = seq.next_element()? {
                    valid &= v;
                }
                Ok(UnkCheck(valid))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UnkCheck, A::Error> {
                let mut valid = true;
                while let Some(Key(_)) = map.next_key::<Key<'de>>()? {
                    valid &= map.next_value::<UnkCheck>()?.0;
                }
                Ok(UnkCheck(valid))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Unk<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Unk<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an after_unknown value")
            }
            fn visit_bool<E>(self, b: bool) -> Result<Unk<'de>, E> {
                Ok(Unk::Bool(b))
            }
            fn visit_unit<E>(self) -> Result<Unk<'de>, E> {
                Ok(Unk::Other("null".into()))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Unk<'de>, E> {
                Ok(Unk::Other(n.to_string()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Unk<'de>, E> {
                Ok(Unk::Other(n.to_string()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Unk<'de>, E> {
                Ok(Unk::Other(n.to_string()))
            }
            fn visit_str<E>(self, s: &str) -> Result<Unk<'de>, E> {
                Ok(Unk::Other(format!("{s:?}")))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unk<'de>, A::Error> {
                let mut items = Vec::new();
                while let Some(x) = seq.next_element()? {
                    items.push(x);
                }
                Ok(Unk::Arr(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unk<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
                    entries.push((k, map.next_value()?));
                }
                Ok(Unk::Obj(entries))
            }
        }
        d.deserialize_any(V)
    }
}

use crate::model::Value;

use crate::model::kept_key;
use crate::model::value::{Key as MapKey, Map};

/// An object key, borrowed from the document unless it has escapes. (`Cow<str>` itself always
/// deserializes to an owned string: one allocation per key, also for keys that are skipped.)
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_string())))
            }
            fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

/// How unknown parts are turned into values: called with the attribute path.
pub type Resolve<'r> = dyn FnMut(&[MapKey]) -> Value + 'r;

/// Decodes `text` (a JSON value) with `unknown` (the matching part of `after_unknown`), keeping
/// the top-level attributes `kept` allows (see [`crate::model::kept_attributes`]).
pub fn decode(
    text: &str,
    unknown: Option<&Unk<'_>>,
    kept: Option<&'static [&'static str]>,
    resolve: &mut Resolve<'_>,
) -> Result<Value, serde_json::Error> {
    let mut p = Skim::new(text);
    let mut path = Vec::new();
    if let Some(v) = fast_value(&mut p, unknown, &mut path, resolve, Some(kept)) {
        if p.at_end() {
            return Ok(v);
        }
    }
    decode_general(text, unknown, kept, resolve)
}

/// [`decode`] with serde_json, which says what is wrong and where.
fn decode_general(
    text: &str,
    unknown: Option<&Unk<'_>>,
    kept: Option<&'static [&'static str]>,
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
    unknown: &Unk<'_>,
    kept: Option<&'static [&'static str]>,
    path: &mut Vec<MapKey>,
    resolve: &mut Resolve<'_>,
) -> Value {
    match unknown {
        Unk::Bool(true) => resolve(path),
        Unk::Obj(entries) => {
            let top = path.is_empty();
            let mut out = Map::new();
            for (k, v) in entries {
                if v.is_false() {
                    continue;
                }
                let key = if top {
                    match kept_key(kept, k) {
                        Some(key) => key,
                        None => continue,
                    }
                } else {
                    MapKey::Owned(k.to_string())
                };
                path.push(key);
                let x = only_unknown(v, None, path, resolve);
                let key = path.pop().unwrap_or_default();
                out.insert(key, x);
            }
            out.shrink_to_fit();
            Value::Object(out)
        }
        Unk::Arr(items) => Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    path.push(MapKey::Owned(i.to_string()));
                    let x = only_unknown(v, None, path, resolve);
                    path.pop();
                    x
                })
                .collect(),
        ),
        _ => Value::Null,
    }
}

struct Seed<'a, 'u, 'p, 'r> {
    unknown: Option<&'a Unk<'u>>,
    path: &'p mut Vec<MapKey>,
    resolve: &'p mut Resolve<'r>,
    /// At the top level: which attributes to keep.
    top: Option<Option<&'static [&'static str]>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_, '_, '_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.unknown.is_some_and(Unk::is_true) {
            IgnoredAny::deserialize(d)?;
            return Ok((self.resolve)(self.path));
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, '_, '_, '_> {
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
        let mut out = Vec::new();
        loop {
            let i = out.len();
            // The path is needed only where something below may be unknown.
            let child = self.unknown.and_then(|u| u.at(i));
            if child.is_some() {
                self.path.push(MapKey::Owned(i.to_string()));
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
        let mut out = Map::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let mut key = match self.top {
                Some(kept) => match kept_key(kept, &key) {
                    Some(k) => k,
                    None => {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    }
                },
                None => MapKey::Owned(key.into_owned()),
            };
            let child = self.unknown.and_then(|u| u.get(&key));
            // The key goes on the path while its value is read, and comes back for the map.
            if child.is_some() {
                self.path.push(std::mem::take(&mut key));
            }
            let v = map.next_value_seed(Seed {
                unknown: child,
                path: self.path,
                resolve: self.resolve,
                top: None,
            });
            if child.is_some() {
                key = self.path.pop().unwrap_or_default();
            }
            out.insert(key, v?);
        }
        add_unknown(&mut out, self.unknown, self.top, self.path, self.resolve);
        Ok(Value::Object(out))
    }
}

/// The end of an object's decoding: the parts of `unknown` that `out` lacks (attributes that
/// are entirely unknown are absent from `after`), then the object is made as small as it can.
fn add_unknown(
    out: &mut Map,
    unknown: Option<&Unk<'_>>,
    top: Option<Option<&'static [&'static str]>>,
    path: &mut Vec<MapKey>,
    resolve: &mut Resolve<'_>,
) {
    if let Some(Unk::Obj(entries)) = unknown {
        for (k, uv) in entries {
            if out.contains_key(k.as_ref()) || uv.is_false() {
                continue;
            }
            let key = match top {
                Some(kept) => match kept_key(kept, k) {
                    Some(key) => key,
                    None => continue,
                },
                None => MapKey::Owned(k.to_string()),
            };
            path.push(key);
            let v = only_unknown(uv, None, path, resolve);
            let key = path.pop().unwrap_or_default();
            out.insert(key, v);
        }
    }
    out.shrink_to_fit();
}

// ---- the fast path ----
//
// The attribute objects were checked to be valid JSON by the top-level parse (whichever path
// read it), so the reading below fails only where serde_json fails as well: a string with an
// escaped lone surrogate, a number beyond f64's range. It then gives up (`None`) and serde_json
// reads the text again, to report the error where it is. Otherwise it reads what the serde
// path reads (tests compare the two), about twice as fast: no visitor per value, unread
// attributes crossed without decoding their strings.

/// [`decode`]'s reading of one value (`Seed` in the general path).
fn fast_value(
    p: &mut Skim<'_>,
    unknown: Option<&Unk<'_>>,
    path: &mut Vec<MapKey>,
    resolve: &mut Resolve<'_>,
    top: Option<Option<&'static [&'static str]>>,
) -> Option<Value> {
    if unknown.is_some_and(Unk::is_true) {
        p.skip()?;
        return Some(resolve(path));
    }
    p.space();
    Some(match p.peek()? {
        b'{' => {
            let mut out = Map::new();
            if p.open(b'{')? {
                loop {
                    let name = p.text()?;
                    p.eat(b':')?;
                    let key = match top {
                        Some(kept) => kept_key(kept, &name),
                        None => Some(MapKey::Owned(name.into_owned())),
                    };
                    match key {
                        Some(mut key) => {
                            let child = unknown.and_then(|u| u.get(&key));
                            // On the path while its value is read, as in the general path.
                            if child.is_some() {
                                path.push(std::mem::take(&mut key));
                            }
                            let v = fast_value(p, child, path, resolve, None);
                            if child.is_some() {
                                key = path.pop().unwrap_or_default();
                            }
                            out.insert(key, v?);
                        }
                        None => p.skip()?,
                    }
                    if !p.more(b'{')? {
                        break;
                    }
                }
            }
            add_unknown(&mut out, unknown, top, path, resolve);
            Value::Object(out)
        }
        b'[' => {
            let mut out = Vec::new();
            if p.open(b'[')? {
                loop {
                    let i = out.len();
                    let child = unknown.and_then(|u| u.at(i));
                    if child.is_some() {
                        path.push(MapKey::Owned(i.to_string()));
                    }
                    let v = fast_value(p, child, path, resolve, None);
                    if child.is_some() {
                        path.pop();
                    }
                    out.push(v?);
                    if !p.more(b'[')? {
                        break;
                    }
                }
            }
            Value::List(out)
        }
        b'"' => Value::String(p.text()?.into_owned()),
        b't' => p.literal(b"true").map(|()| Value::Bool(true))?,
        b'f' => p.literal(b"false").map(|()| Value::Bool(false))?,
        b'n' => p.literal(b"null").map(|()| Value::Null)?,
        // serde_json reads a number to the nearest f64 (`float_roundtrip`), as `parse` does,
        // integers too (then converted exactly as `as f64` rounds); it refuses an infinite one.
        _ => Value::Number(p.number()?.parse::<f64>().ok().filter(|n| n.is_finite())?),
    })
}

/// [`Unk::parse_kept`]'s reading: at the top level only the attributes `kept` allows, the
/// others only checked to be booleans, objects and arrays. Gives up on anything else (the
/// general path makes `Unk::Other` of it, or reads the whole).
fn fast_unknown<'a>(p: &mut Skim<'a>, kept: Option<&'static [&'static str]>) -> Option<Unk<'a>> {
    p.space();
    match p.peek()? {
        b'{' => {
            let mut entries = Vec::new();
            if p.open(b'{')? {
                loop {
                    let name = p.text()?;
                    p.eat(b':')?;
                    if kept.is_none() || kept_key(kept, &name).is_some() {
                        entries.push((name, fast_unknown(p, None)?));
                    } else if !fast_unknown_check(p)? {
                        return None;
                    }
                    if !p.more(b'{')? {
                        break;
                    }
                }
            }
            Some(Unk::Obj(entries))
        }
        b'[' => {
            let mut items = Vec::new();
            if p.open(b'[')? {
                loop {
                    items.push(fast_unknown(p, None)?);
                    if !p.more(b'[')? {
                        break;
                    }
                }
            }
            Some(Unk::Arr(items))
        }
        b't' => p.literal(b"true").map(|()| Unk::Bool(true)),
        b'f' => p.literal(b"false").map(|()| Unk::Bool(false)),
        _ => None,
    }
}

/// Whether a part of `after_unknown` is only booleans, objects and arrays (`UnkCheck`).
fn fast_unknown_check(p: &mut Skim<'_>) -> Option<bool> {
    p.space();
    match p.peek()? {
        b'{' | b'[' => {
            let open = p.peek()?;
            let mut valid = true;
            if p.open(open)? {
                loop {
                    if open == b'{' {
                        p.string()?;
                        p.eat(b':')?;
                    }
                    valid &= fast_unknown_check(p)?;
                    if !p.more(open)? {
                        break;
                    }
                }
            }
            Some(valid)
        }
        b't' | b'f' => p.skip().map(|()| true),
        _ => p.skip().map(|()| false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlays_unknown_parts_and_skips_tags() {
        let after = r#"{"name": "x", "tags": {"a": "b"}, "network_configuration": [{"subnets": [], "assign_public_ip": false}]}"#;
        let unknown_text = r#"{"id": true, "network_configuration": [{"subnets": true}]}"#;
        let unknown: Unk<'_> = serde_json::from_str(unknown_text).unwrap();
        let mut seen = Vec::new();
        let kept: &'static [&'static str] = &["network_configuration"];
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
    fn kept_after_unknown_is_the_whole_one_filtered() {
        let kept: &'static [&'static str] = &["network_configuration"];
        let whole = r#"{"id": true, "tags_all": {"a": true}, "x": [true, {"y": false}], "network_configuration": [{"subnets": true}]}"#;
        let u = Unk::parse_kept(whole, Some(kept)).unwrap();
        let Unk::Obj(entries) = &u else {
            panic!("{u:?}")
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["id", "network_configuration"]);
        assert_eq!(u.get("id"), Some(&Unk::Bool(true)));
        // Not valid below an attribute that is not kept, not JSON, not an object: read whole,
        // as before.
        for text in [
            r#"{"tags_all": {"a": 1}, "id": true}"#,
            r#"{"x": [true, null]}"#,
            r#"{"x": "s"}"#,
            r#"{"x": true,"#,
            r#"[true, 5]"#,
            "7",
        ] {
            let fast = Unk::parse_kept(text, Some(kept)).map_err(|e| e.to_string());
            let whole = serde_json::from_str::<Unk<'_>>(text).map_err(|e| e.to_string());
            assert_eq!(fast, whole, "{text}");
        }
        assert_eq!(
            Unk::parse_kept(whole, None).unwrap(),
            serde_json::from_str::<Unk<'_>>(whole).unwrap()
        );
    }

    /// Both paths of [`decode`] and [`Unk::parse_kept`] on one attribute object and its
    /// `after_unknown`: the fast one reads what the general one reads, with the same calls to
    /// the resolver, or gives up where the general one fails. Whether the fast path read both.
    fn paths_agree(
        after: &str,
        unknown: Option<&str>,
        kept: Option<&'static [&'static str]>,
    ) -> bool {
        let mut fast_read = true;
        let unk = match unknown {
            Some(text) => {
                let mut p = Skim::new(text);
                let fast = fast_unknown(&mut p, kept).filter(|_| p.at_end());
                let general = Unk::parse_kept_general(text, kept);
                match (&fast, &general) {
                    (Some(f), Ok(g)) => assert_eq!(f, g, "after_unknown {text}"),
                    (Some(f), Err(e)) => panic!("read {f:?} where serde refuses ({e}): {text}"),
                    (None, _) => fast_read = false,
                }
                match general {
                    Ok(u) if u.is_valid() => Some(u),
                    _ => return false,
                }
            }
            None => None,
        };
        let run = |fast: bool| {
            let mut calls = Vec::new();
            let mut resolve = |p: &[MapKey]| {
                let joined = p.join(".");
                calls.push(joined.clone());
                Value::String(joined)
            };
            let got = if fast {
                let mut p = Skim::new(after);
                fast_value(
                    &mut p,
                    unk.as_ref(),
                    &mut Vec::new(),
                    &mut resolve,
                    Some(kept),
                )
                .filter(|_| p.at_end())
                .ok_or(())
            } else {
                decode_general(after, unk.as_ref(), kept, &mut resolve).map_err(drop)
            };
            (got, calls)
        };
        match (run(true), run(false)) {
            ((Ok(f), fast_calls), (Ok(g), general_calls)) => {
                assert_eq!(f, g, "after {after}");
                assert_eq!(fast_calls, general_calls, "after {after}");
                fast_read
            }
            ((Ok(f), _), (Err(()), _)) => panic!("read {f:?} where serde refuses: {after}"),
            ((Err(()), _), _) => false,
        }
    }

    const KEPT: &[&str] = &["network_configuration", "policy", "n"];

    #[test]
    fn the_fast_path_reads_what_serde_reads() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                r#"{"name": "x", "tags": {"a": "b"}, "network_configuration": [{"subnets": [], "assign_public_ip": false}]}"#,
                Some(r#"{"id": true, "network_configuration": [{"subnets": true}], "arn": false}"#),
            ),
            (
                r#"{"policy": "{\"Version\":\"2012-10-17\"}", "n": -0, "a\u0041": [1e3, 1.5E-2, 12345678901234567890123, true, null]}"#,
                None,
            ),
            (
                r#"{"n": [{"x": {"y": [1, 2]}}]}"#,
                Some(r#"{"n": [{"x": {"y": [false, true]}}], "z": {"q": [true]}}"#),
            ),
            (r#"  {}  "#, Some(r#"{"policy": true}"#)),
            (r#""a string""#, None),
        ];
        for &(after, unknown) in cases {
            for kept in [Some(KEPT), None] {
                assert!(
                    paths_agree(after, unknown, kept),
                    "not read fast: {after} / {unknown:?}"
                );
            }
        }
        // Where serde_json fails on valid JSON, the fast path gives up.
        for after in [r#"{"n": "\ud800"}"#, r#"{"n": 1e400}"#, r#"{"\udc00": 1}"#] {
            assert!(!paths_agree(after, None, None), "{after}");
        }
        // serde_json's recursion limit: the 128th nested container is refused (the fast path
        // read it).
        let nested = |n: usize| format!("{}true{}", "[".repeat(n), "]".repeat(n));
        assert!(paths_agree(&nested(127), Some(&nested(127)), None));
        assert!(!paths_agree(&nested(128), None, None));
        assert!(!paths_agree("{}", Some(&nested(128)), None));
        let deep = nested(128);
        let mut p = Skim::new(&deep);
        assert!(fast_value(&mut p, None, &mut Vec::new(), &mut |_| Value::Null, None).is_none());
        let mut p = Skim::new(&deep);
        assert!(fast_unknown(&mut p, None).is_none());
        // Values of after_unknown that are not booleans, objects or arrays are left to the
        // general path (it reports them).
        for unknown in [r#"{"n": 1}"#, r#"{"n": [null]}"#, r#"{"tags": "x"}"#, "7"] {
            assert!(!paths_agree("{}", Some(unknown), Some(KEPT)), "{unknown}");
        }
    }

    #[test]
    fn damaged_attribute_objects_are_refused_or_read_as_serde_does() {
        let after = r#"{"name": "x\n", "tags": {"a": "b"}, "n": [{"subnets": ["s-1", "s-2"], "assign_public_ip": false, "p": 1.25e2}], "policy": null}"#;
        let unknown = r#"{"id": true, "n": [{"subnets": [false, true]}], "tags": {}}"#;
        const PIECES: &[&str] = &[
            "\"", "\\", "{", "}", "[", "]", ",", ":", "0", "-", "e", "true", "null", "\\u", "\u{1}",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut read, mut refused) = (0, 0);
        for round in 0..4000 {
            let damage_after = round % 2 == 0;
            let mut text = (if damage_after { after } else { unknown }).to_string();
            let at = next(text.len() + 1);
            let piece = PIECES[next(PIECES.len())];
            if next(2) == 0 {
                text.insert_str(at, piece);
            } else {
                let end = (at + 1 + next(3)).min(text.len());
                text.replace_range(at..end, "");
            }
            let agreed = if damage_after {
                paths_agree(&text, Some(unknown), Some(KEPT))
            } else {
                paths_agree(after, Some(&text), Some(KEPT))
            };
            if agreed {
                read += 1;
            } else {
                refused += 1;
            }
        }
        assert!(
            read > 300 && refused > 300,
            "read {read}, refused {refused}"
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
