//! Terraform's JSON configuration syntax (`*.tf.json`), turned into the same blocks as native
//! syntax.
//!
//! Strings in expression positions are templates (`"${var.x}"`); `variable` defaults and
//! `type` strings follow Terraform's rules (literal values; a type expression in a string).
//! Without provider schemas, a JSON object or array of objects inside a resource is read as an
//! attribute, which evaluates to the same value a nested block would. JSON carries no positions
//! per value: block locations are found by searching the text for the block's keys.

use anyhow::{anyhow, Result};
use hcl::edit::expr::{Array, Expression, Object, ObjectKey, ObjectValue};
use hcl::edit::template::StringTemplate;
use serde_json::Value as J;
use std::collections::HashMap;

use super::config::{Attr, Block, Body};
use crate::model::Location;

struct Ctx<'s> {
    shown: &'s str,
    src: &'s str,
    lines: crate::model::line_index::LineIndex,
}

impl Ctx<'_> {
    /// The position of the last of `keys`, found in order in the text (an approximation: JSON
    /// gives no positions per value).
    fn find(&self, keys: &[&str]) -> Location {
        let mut pos = 0;
        let mut found = 0;
        for k in keys {
            let needle = format!("\"{k}\"");
            if let Some(i) = self.src.get(pos..).and_then(|s| s.find(&needle)) {
                pos += i;
                found = pos;
                pos += needle.len();
            }
        }
        let (line, column) = self.lines.locate(self.src, found);
        Location {
            file: self.shown.to_string(),
            line,
            column,
        }
    }
}

/// Parses a `.tf.json` file into top-level blocks.
pub(crate) fn parse_json_file(src: &str, shown: &str) -> Result<Vec<Block>> {
    let doc: Written = serde_json::from_str(src).map_err(|e| {
        let msg = e.to_string();
        let msg = msg
            .rfind(" at line ")
            .map_or(msg.as_str(), |i| &msg[..i])
            .to_string();
        anyhow!("{shown}:{}:{}: invalid JSON: {msg}", e.line(), e.column())
    })?;
    if !matches!(doc, Written::Object(_)) {
        return Err(anyhow!(
            "{shown}:1:1: a Terraform JSON file must hold an object at the top level"
        ));
    }
    let cx = Ctx {
        shown,
        src,
        lines: crate::model::line_index::LineIndex::new(src),
    };
    let doc = cx.merge_repeated(doc, &mut Vec::new())?;
    let J::Object(top) = doc else {
        return Err(anyhow!(
            "{shown}:1:1: a Terraform JSON file must hold an object at the top level"
        ));
    };
    let mut out = Vec::new();
    for (kind, v) in &top {
        match kind.as_str() {
            "resource" | "data" => {
                for obj in cx.objects(v, &[kind])? {
                    for (rtype, by_name) in obj {
                        for names in cx.objects(by_name, &[kind, rtype])? {
                            for (name, body) in names {
                                for b in cx.objects(body, &[kind, rtype, name])? {
                                    out.push(Block {
                                        kind: kind.clone(),
                                        labels: vec![rtype.clone(), name.clone()],
                                        body: resource_body(&cx, b, &[kind, rtype, name])?,
                                        loc: cx.find(&[kind, rtype, name]),
                                        suppressions: Vec::new(),
                                    });
                                }
                            }
                        }
                    }
                }
            }
            "variable" => {
                for obj in cx.objects(v, &[kind])? {
                    for (name, body) in obj {
                        let mut b = Body::default();
                        let loc = cx.find(&[kind, name]);
                        for m in cx.objects(body, &[kind, name])? {
                            for (k, v) in m {
                                let expr = match k.as_str() {
                                    "type" => match v {
                                        J::String(s) => {
                                            super::syntax::parse_expr(s).map_err(|e| {
                                                anyhow!(
                                                    "{}: variable `{name}`: invalid type {s:?}: {}",
                                                    loc,
                                                    e.message
                                                )
                                            })?
                                        }
                                        other => literal(other),
                                    },
                                    _ => literal(v),
                                };
                                b.attrs.push(attr(k, expr, &loc));
                            }
                        }
                        out.push(Block {
                            kind: kind.clone(),
                            labels: vec![name.clone()],
                            body: b,
                            loc,
                            suppressions: Vec::new(),
                        });
                    }
                }
            }
            "output" | "module" => {
                for obj in cx.objects(v, &[kind])? {
                    for (name, body) in obj {
                        let loc = cx.find(&[kind, name]);
                        let mut b = Body::default();
                        for m in cx.objects(body, &[kind, name])? {
                            for (k, v) in m {
                                if k == "//" {
                                    continue;
                                }
                                let expr = match k.as_str() {
                                    "source" | "version" | "description" => literal(v),
                                    "providers" => provider_object(v),
                                    _ => template_value(v, &loc)?,
                                };
                                b.attrs.push(attr(k, expr, &loc));
                            }
                        }
                        out.push(Block {
                            kind: kind.clone(),
                            labels: vec![name.clone()],
                            body: b,
                            loc,
                            suppressions: Vec::new(),
                        });
                    }
                }
            }
            "locals" => {
                for obj in cx.objects(v, &[kind])? {
                    let loc = cx.find(&[kind]);
                    let mut b = Body::default();
                    for (k, v) in obj {
                        if k == "//" {
                            continue;
                        }
                        let l = cx.find(&[kind, k]);
                        b.attrs.push(attr(k, template_value(v, &l)?, &l));
                    }
                    out.push(Block {
                        kind: kind.clone(),
                        labels: Vec::new(),
                        body: b,
                        loc,
                        suppressions: Vec::new(),
                    });
                }
            }
            "provider" => {
                for obj in cx.objects(v, &[kind])? {
                    for (name, bodies) in obj {
                        for body in cx.objects(bodies, &[kind, name])? {
                            let loc = cx.find(&[kind, name]);
                            let mut b = Body::default();
                            for (k, v) in body {
                                let expr = match k.as_str() {
                                    "alias" => literal(v),
                                    _ => template_value(v, &loc)?,
                                };
                                b.attrs.push(attr(k, expr, &loc));
                            }
                            out.push(Block {
                                kind: kind.clone(),
                                labels: vec![name.clone()],
                                body: b,
                                loc,
                                suppressions: Vec::new(),
                            });
                        }
                    }
                }
            }
            // Comments, and blocks pullpath has no use for (they are checked by Terraform).
            "//" => {}
            other if super::source::BLOCK_TYPES.iter().any(|(n, _)| *n == other) => {}
            other => {
                let loc = cx.find(&[kind]);
                return Err(anyhow!(
                    "{}: unknown block type `{other}`; expected one of {}",
                    loc,
                    super::source::block_type_list()
                ));
            }
        }
    }
    Ok(out)
}

fn attr(name: &str, expr: Expression, loc: &Location) -> Attr {
    Attr {
        name: name.to_string(),
        expr,
        loc: loc.clone(),
    }
}

impl Ctx<'_> {
    /// A block level of Terraform's JSON syntax: an object, or an array of objects. Anything
    /// else is an error naming the keys that lead to it (Terraform: "Incorrect JSON value
    /// type").
    fn objects<'v>(&self, v: &'v J, keys: &[&str]) -> Result<Vec<&'v serde_json::Map<String, J>>> {
        let found = match v {
            J::Object(m) => return Ok(vec![m]),
            J::Array(items) => match items.iter().find(|i| !i.is_object()) {
                None => return Ok(items.iter().filter_map(J::as_object).collect()),
                Some(item) => format!("an array holding {}", json_kind(item)),
            },
            other => json_kind(other).to_string(),
        };
        let loc = self.find(keys);
        let path: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        Err(anyhow!(
            "{}: {}: expected a JSON object (or an array of objects), found {found}",
            loc,
            path.join(" → ")
        ))
    }
}

/// A JSON value as written: the members of an object in order, a repeated key kept.
/// (`serde_json::Value` keeps only the last of a repeated key, which would drop the first of two
/// top-level `"resource"` objects without a word.)
enum Written {
    Value(J),
    Array(Vec<Written>),
    Object(Vec<(String, Written)>),
}

impl<'de> serde::Deserialize<'de> for Written {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(WrittenVisitor)
    }
}

struct WrittenVisitor;

impl<'de> serde::de::Visitor<'de> for WrittenVisitor {
    type Value = Written;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Written, E> {
        Ok(Written::Value(J::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Written, E> {
        Ok(Written::Value(J::Number(v.into())))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Written, E> {
        Ok(Written::Value(J::Number(v.into())))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Written, E> {
        Ok(Written::Value(
            serde_json::Number::from_f64(v).map_or(J::Null, J::Number),
        ))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Written, E> {
        Ok(Written::Value(J::String(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Written, E> {
        Ok(Written::Value(J::String(v)))
    }
    fn visit_unit<E>(self) -> std::result::Result<Written, E> {
        Ok(Written::Value(J::Null))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Written, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Written::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Written, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Written>()? {
            members.push((k, v));
        }
        Ok(Written::Object(members))
    }
}

impl Ctx<'_> {
    /// Turns a written value into a `serde_json::Value` the way Terraform reads a repeated key.
    /// Where every occurrence holds an object (or an array of objects), each is a block of its
    /// own, as Terraform reads them: two top-level `"resource"` objects are both read, two
    /// `"ingress"` objects are two nested blocks. They become one array of objects, which the
    /// readers take as several blocks. Any other repeated key is a repeated argument, an
    /// error in Terraform too.
    fn merge_repeated(&self, w: Written, path: &mut Vec<String>) -> Result<J> {
        match w {
            Written::Value(v) => Ok(v),
            Written::Array(items) => items
                .into_iter()
                .map(|i| self.merge_repeated(i, path))
                .collect::<Result<Vec<J>>>()
                .map(J::Array),
            Written::Object(members) => {
                let mut order: Vec<String> = Vec::new();
                let mut by_key: HashMap<String, Vec<Written>> = HashMap::new();
                for (k, v) in members {
                    match by_key.get_mut(&k) {
                        Some(vs) => vs.push(v),
                        None => {
                            order.push(k.clone());
                            by_key.insert(k, vec![v]);
                        }
                    }
                }
                let mut out = serde_json::Map::new();
                for k in order {
                    let Some(mut values) = by_key.remove(&k) else {
                        continue;
                    };
                    path.push(k.clone());
                    let merged = if values.len() == 1 {
                        match values.pop() {
                            Some(v) => self.merge_repeated(v, path)?,
                            None => J::Null,
                        }
                    } else if k == "//" {
                        // Comments: Terraform ignores them, repeated or not.
                        J::Null
                    } else if values.iter().all(Written::holds_only_objects) {
                        let mut blocks = Vec::new();
                        for v in values {
                            match self.merge_repeated(v, path)? {
                                J::Array(items) => blocks.extend(items),
                                one => blocks.push(one),
                            }
                        }
                        J::Array(blocks)
                    } else {
                        let keys: Vec<&str> = path.iter().map(String::as_str).collect();
                        let loc = self.find(&keys);
                        let shown: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                        return Err(anyhow!(
                            "{}: {}: the argument is given {} times in one object; \
                             Terraform refuses a repeated argument (\"Duplicate argument\")",
                            loc,
                            shown.join(" → "),
                            values.len()
                        ));
                    };
                    path.pop();
                    out.insert(k, merged);
                }
                Ok(J::Object(out))
            }
        }
    }
}

impl Written {
    /// An object, or an array of objects only: what a block (or several) is written as.
    fn holds_only_objects(&self) -> bool {
        match self {
            Written::Object(_) => true,
            Written::Array(items) => items.iter().all(|i| matches!(i, Written::Object(_))),
            Written::Value(_) => false,
        }
    }
}

/// "a string", "an array", … for messages.
fn json_kind(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "a boolean",
        J::Number(_) => "a number",
        J::String(_) => "a string",
        J::Array(_) => "an array",
        J::Object(_) => "an object",
    }
}

/// A resource body; `path` is the keys leading to it, for finding positions.
fn resource_body(cx: &Ctx<'_>, m: &serde_json::Map<String, J>, path: &[&str]) -> Result<Body> {
    let mut b = Body::default();
    for (k, v) in m {
        let mut keys = path.to_vec();
        keys.push(k);
        let loc = cx.find(&keys);
        match k.as_str() {
            "//" | "lifecycle" | "provisioner" | "connection" | "depends_on" => {}
            "provider" => b.attrs.push(attr(k, literal(v), &loc)),
            "dynamic" => {
                for obj in cx.objects(v, &keys)? {
                    for (label, spec) in obj {
                        let mut body = Body::default();
                        let mut spec_keys = keys.clone();
                        spec_keys.push(label);
                        for spec in cx.objects(spec, &spec_keys)? {
                            for (sk, sv) in spec {
                                match sk.as_str() {
                                    "content" => {
                                        let mut content_keys = spec_keys.clone();
                                        content_keys.push("content");
                                        for c in cx.objects(sv, &content_keys)? {
                                            body.blocks.push(Block {
                                                kind: "content".into(),
                                                labels: Vec::new(),
                                                body: resource_body(cx, c, &keys)?,
                                                loc: loc.clone(),
                                                suppressions: Vec::new(),
                                            });
                                        }
                                    }
                                    "iterator" => match sv {
                                        J::String(s) if super::source::is_identifier(s) => {
                                            let e = Expression::Variable(
                                                hcl::edit::Ident::new_unchecked(s.as_str())
                                                    .into(),
                                            );
                                            body.attrs.push(attr(sk, e, &loc));
                                        }
                                        other => {
                                            return Err(anyhow!(
                                                "{}: the `iterator` of dynamic block `{label}` must be a name, found {}",
                                                loc,
                                                match other {
                                                    J::String(s) => format!("{s:?}"),
                                                    v => json_kind(v).to_string(),
                                                }
                                            ))
                                        }
                                    },
                                    _ => body.attrs.push(attr(sk, template_value(sv, &loc)?, &loc)),
                                }
                            }
                        }
                        b.blocks.push(Block {
                            kind: "dynamic".into(),
                            labels: vec![label.clone()],
                            body,
                            loc: loc.clone(),
                            suppressions: Vec::new(),
                        });
                    }
                }
            }
            _ => b.attrs.push(attr(k, template_value(v, &loc)?, &loc)),
        }
    }
    Ok(b)
}

/// A JSON value as a literal expression (no templates).
fn literal(v: &J) -> Expression {
    match v {
        J::Null => Expression::null(),
        J::Bool(b) => Expression::from(*b),
        J::Number(n) => Expression::from(n.as_f64().unwrap_or(0.0)),
        J::String(s) => Expression::from(s.clone()),
        J::Array(items) => Expression::Array(items.iter().map(literal).collect::<Array>()),
        J::Object(m) => {
            let mut o = Object::new();
            for (k, v) in m {
                o.insert(
                    ObjectKey::Expression(Expression::from(k.clone())),
                    ObjectValue::new(literal(v)),
                );
            }
            Expression::Object(o)
        }
    }
}

/// `{"aws": "aws.west"}` as a `providers` object of traversals.
fn provider_object(v: &J) -> Expression {
    let mut o = Object::new();
    if let J::Object(m) = v {
        for (k, v) in m {
            if let J::String(s) = v {
                o.insert(
                    ObjectKey::Expression(Expression::from(k.clone())),
                    ObjectValue::new(Expression::from(s.clone())),
                );
            }
        }
    }
    Expression::Object(o)
}

/// A JSON value in an expression position: strings are templates.
fn template_value(v: &J, loc: &Location) -> Result<Expression> {
    Ok(match v {
        J::String(s) if s.contains("${") || s.contains("%{") => {
            let t = super::syntax::parse_template(s)
                .map_err(|e| anyhow!("{}: invalid template {s:?}: {}", loc, e.message))?;
            Expression::StringTemplate(t.into_iter().collect::<StringTemplate>())
        }
        J::Array(items) => Expression::Array(
            items
                .iter()
                .map(|i| template_value(i, loc))
                .collect::<Result<Array>>()?,
        ),
        J::Object(m) => {
            let mut o = Object::new();
            for (k, v) in m {
                if k == "//" {
                    continue;
                }
                o.insert(
                    ObjectKey::Expression(Expression::from(k.clone())),
                    ObjectValue::new(template_value(v, loc)?),
                );
            }
            Expression::Object(o)
        }
        other => literal(other),
    })
}
