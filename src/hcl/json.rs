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

use super::config::{Attr, Block, Body};
use crate::model::Location;

struct Ctx<'s> {
    shown: &'s str,
    src: &'s str,
    lines: super::source::LineIndex,
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
    let doc: J = serde_json::from_str(src).map_err(|e| {
        let msg = e.to_string();
        let msg = msg
            .rfind(" at line ")
            .map_or(msg.as_str(), |i| &msg[..i])
            .to_string();
        anyhow!("{shown}:{}:{}: invalid JSON: {msg}", e.line(), e.column())
    })?;
    let J::Object(top) = doc else {
        return Err(anyhow!(
            "{shown}:1:1: a Terraform JSON file must hold an object at the top level"
        ));
    };
    let cx = Ctx {
        shown,
        src,
        lines: super::source::LineIndex::new(src),
    };
    let mut out = Vec::new();
    for (kind, v) in &top {
        match kind.as_str() {
            "resource" | "data" => {
                for obj in objects(v) {
                    for (rtype, by_name) in obj {
                        for names in objects(by_name) {
                            for (name, body) in names {
                                for b in objects_or_one(body) {
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
                for obj in objects(v) {
                    for (name, body) in obj {
                        let mut b = Body::default();
                        let loc = cx.find(&[kind, name]);
                        if let J::Object(m) = body {
                            for (k, v) in m {
                                let expr = match k.as_str() {
                                    "type" => match v {
                                        J::String(s) => hcl::edit::parser::parse_expr(s)
                                            .map_err(|e| {
                                                anyhow!(
                                                    "{}:{}:{}: variable `{name}`: invalid type {s:?}: {}",
                                                    loc.file,
                                                    loc.line,
                                                    loc.column,
                                                    e.message()
                                                )
                                            })?,
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
                for obj in objects(v) {
                    for (name, body) in obj {
                        let loc = cx.find(&[kind, name]);
                        let mut b = Body::default();
                        if let J::Object(m) = body {
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
                for obj in objects(v) {
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
                for obj in objects(v) {
                    for (name, bodies) in obj {
                        for body in objects_or_one(bodies) {
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
            _ => {}
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

/// An object, or each object of an array of objects.
fn objects(v: &J) -> Vec<&serde_json::Map<String, J>> {
    match v {
        J::Object(m) => vec![m],
        J::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                J::Object(m) => Some(m),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn objects_or_one(v: &J) -> Vec<&serde_json::Map<String, J>> {
    objects(v)
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
                for obj in objects(v) {
                    for (label, spec) in obj {
                        let mut body = Body::default();
                        for spec in objects(spec) {
                            for (sk, sv) in spec {
                                match sk.as_str() {
                                    "content" => {
                                        for c in objects(sv) {
                                            body.blocks.push(Block {
                                                kind: "content".into(),
                                                labels: Vec::new(),
                                                body: resource_body(cx, c, &keys)?,
                                                loc: loc.clone(),
                                                suppressions: Vec::new(),
                                            });
                                        }
                                    }
                                    "iterator" => {
                                        if let J::String(s) = sv {
                                            if let Ok(e) = hcl::edit::parser::parse_expr(s) {
                                                body.attrs.push(attr(sk, e, &loc));
                                            }
                                        }
                                    }
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
            let t = hcl::edit::parser::parse_template(s).map_err(|e| {
                anyhow!(
                    "{}:{}:{}: invalid template {s:?}: {}",
                    loc.file,
                    loc.line,
                    loc.column,
                    e.message()
                )
            })?;
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
