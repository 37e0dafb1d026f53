//! Type constraints of input variables (`list(string)`, `object({ a = optional(number, 1) })`)
//! and the conversions Terraform applies to values given for them: `"443"` for a number, a
//! missing optional attribute filled with its default, extra object attributes dropped.

use hcl::edit::expr::{Expression, ObjectKey};

use crate::model::value::{format_number, Partial};
use crate::model::Value;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(Vec<ObjAttr>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ObjAttr {
    pub name: String,
    pub ty: Type,
    pub optional: bool,
    pub default: Option<Value>,
}

impl Type {
    /// A primitive type: command-line and environment values are taken literally for these.
    pub fn is_primitive(&self) -> bool {
        matches!(self, Type::String | Type::Number | Type::Bool)
    }
}

/// Parses a type constraint. `eval` evaluates the default of `optional(T, default)`.
pub(crate) fn parse(
    e: &Expression,
    eval: &mut dyn FnMut(&Expression) -> Value,
) -> Result<Type, String> {
    match e {
        Expression::Variable(v) => match v.value().as_str() {
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "any" => Ok(Type::Any),
            other => Err(format!("unknown type `{other}`")),
        },
        Expression::Parenthesis(p) => parse(p.inner(), eval),
        Expression::FuncCall(f) => {
            let name = f.name.name.value().as_str();
            let arg = |i: usize| {
                f.args
                    .get(i)
                    .ok_or_else(|| format!("`{name}` needs an argument"))
            };
            match name {
                "list" => Ok(Type::List(Box::new(parse(arg(0)?, eval)?))),
                "set" => Ok(Type::Set(Box::new(parse(arg(0)?, eval)?))),
                "map" => Ok(Type::Map(Box::new(parse(arg(0)?, eval)?))),
                "tuple" => match arg(0)? {
                    Expression::Array(a) => Ok(Type::Tuple(
                        a.iter().map(|t| parse(t, eval)).collect::<Result<_, _>>()?,
                    )),
                    _ => Err("`tuple` takes a list of types".into()),
                },
                "object" => match arg(0)? {
                    Expression::Object(o) => {
                        let mut attrs = Vec::new();
                        for (k, v) in o.iter() {
                            let name = match k {
                                ObjectKey::Ident(i) => i.value().as_str().to_string(),
                                ObjectKey::Expression(Expression::String(s)) => {
                                    s.value().to_string()
                                }
                                ObjectKey::Expression(Expression::Variable(i)) => {
                                    i.value().as_str().to_string()
                                }
                                _ => return Err("an object type attribute needs a name".into()),
                            };
                            let (ty, optional, default) = match v.expr() {
                                Expression::FuncCall(opt)
                                    if opt.name.name.value().as_str() == "optional" =>
                                {
                                    let inner = opt.args.get(0).ok_or("`optional` needs a type")?;
                                    let ty = parse(inner, eval)?;
                                    let default = opt.args.get(1).map(&mut *eval);
                                    (ty, true, default)
                                }
                                other => (parse(other, eval)?, false, None),
                            };
                            attrs.push(ObjAttr {
                                name,
                                ty,
                                optional,
                                default,
                            });
                        }
                        Ok(Type::Object(attrs))
                    }
                    _ => Err("`object` takes an object of attribute types".into()),
                },
                other => Err(format!("unknown type constructor `{other}`")),
            }
        }
        _ => Err("not a type constraint".into()),
    }
}

/// Converts a value to a type, as Terraform does for input variables. Undecided values pass
/// through (their type is checked at apply).
pub(crate) fn convert(v: Value, ty: &Type) -> Result<Value, String> {
    if let Value::Unknown(u) = &v {
        match (&u.partial, ty) {
            // The attributes it has or may have, converted; one it surely lacks takes its
            // default. Where Terraform would refuse it, nothing more is known.
            (Some(Partial::Object(m)), Type::Object(_) | Type::Map(_)) => {
                return Ok(match convert(Value::Object(m.clone()), ty) {
                    Ok(Value::Object(c)) => {
                        Value::unknown_partial(u.reason.clone(), Partial::Object(c))
                    }
                    _ => super::eval::plain(&v),
                });
            }
            // A set is in no particular order: no index corresponds.
            (Some(Partial::Each { element, .. }), Type::Set(_)) => {
                return Ok(Value::unknown_partial(
                    u.reason.clone(),
                    Partial::Each {
                        element: element.clone(),
                        group: None,
                    },
                ));
            }
            _ => {}
        }
    }
    if matches!(v, Value::Unknown(_) | Value::Ref(_) | Value::Null) {
        return Ok(v);
    }
    match ty {
        Type::Any => Ok(v),
        Type::String => match v {
            Value::String(_) => Ok(v),
            Value::Number(n) => Ok(Value::String(format_number(n))),
            Value::Bool(b) => Ok(Value::String(b.to_string())),
            // `jsonencode` of a value with parts known only after apply keeps the structure
            // (so that policies and container definitions stay readable in their known parts):
            // it is a string whose text is not known yet, as Terraform types it.
            other if super::eval::first_undecided(&other).is_some() => Ok(other),
            other => Err(format!("a string is required, got {}", type_name(&other))),
        },
        Type::Number => match v {
            Value::Number(_) => Ok(v),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Value::Number)
                .ok_or_else(|| format!("a number is required, got {s:?}")),
            other => Err(format!("a number is required, got {}", type_name(&other))),
        },
        Type::Bool => match v {
            Value::Bool(_) => Ok(v),
            Value::String(s) if s == "true" => Ok(Value::Bool(true)),
            Value::String(s) if s == "false" => Ok(Value::Bool(false)),
            other => Err(format!("a bool is required, got {}", type_name(&other))),
        },
        Type::List(t) | Type::Set(t) => match v {
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    let c = convert(i, t)?;
                    if matches!(ty, Type::Set(_)) && out.contains(&c) {
                        continue;
                    }
                    out.push(c);
                }
                Ok(Value::List(out))
            }
            other => Err(format!("a list is required, got {}", type_name(&other))),
        },
        Type::Map(t) => match v {
            Value::Object(m) => Ok(Value::Object(
                m.into_iter()
                    .map(|(k, v)| Ok((k, convert(v, t)?)))
                    .collect::<Result<_, String>>()?,
            )),
            other => Err(format!("a map is required, got {}", type_name(&other))),
        },
        Type::Tuple(ts) => match v {
            Value::List(items) if items.len() == ts.len() => Ok(Value::List(
                items
                    .into_iter()
                    .zip(ts)
                    .map(|(i, t)| convert(i, t))
                    .collect::<Result<_, _>>()?,
            )),
            other => Err(format!(
                "a tuple of {} elements is required, got {}",
                ts.len(),
                type_name(&other)
            )),
        },
        Type::Object(attrs) => match v {
            Value::Object(mut m) => {
                let mut out = crate::model::value::Map::new();
                for a in attrs {
                    let present = m.contains_key(a.name.as_str());
                    let given = m.remove(a.name.as_str()).unwrap_or(Value::Null);
                    let value = match (given, &a.default) {
                        (Value::Null, Some(d)) => convert(d.clone(), &a.ty)?,
                        (Value::Null, None) if !a.optional && !present => {
                            return Err(format!("attribute `{}` is required", a.name));
                        }
                        (g, _) => {
                            convert(g, &a.ty).map_err(|e| format!("attribute `{}`: {e}", a.name))?
                        }
                    };
                    out.insert(a.name.clone().into(), value);
                }
                Ok(Value::Object(out))
            }
            other => Err(format!("an object is required, got {}", type_name(&other))),
        },
    }
}

/// A value's type as Terraform names it in messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "list",
        Value::Object(_) => "object",
        Value::Unknown(_) | Value::Ref(_) => "unknown value",
    }
}
