//! Evaluates HCL expressions into model [`Value`]s, as Terraform would before apply.
//!
//! A value that Terraform knows only at apply is never guessed:
//! - an attribute of a resource that the configuration does not set (`aws_vpc.main.id`) is a
//!   [`Value::Ref`] to that resource instance and attribute, which the graph follows;
//! - an attribute it does set evaluates to what the configuration says (known, or itself a
//!   reference);
//! - everything else that cannot be decided (a variable without a value, an unsupported
//!   function, a string built from a reference) is [`Value::Unknown`] with the reason.
//!
//! Evaluation errors (a missing attribute, a wrong type) are `Err`; `try` and `can` catch them,
//! and an attribute whose expression fails becomes Unknown with the error as its reason (and a
//! note on the input), since Terraform would refuse the configuration.
//!
//! The files: expressions here; [`budget`] (what evaluation may spend), [`values`] (helpers on
//! values: undecided parts, conversions), [`operators`], [`references`] (names, traversals,
//! splats), [`templates`], [`for_expr`] (`for` expressions), [`functions`] (calls, with `try`,
//! `can` and the file functions; the built-in functions are in `hcl::funcs`).

pub(crate) mod budget;
mod for_expr;
mod functions;
mod operators;
mod references;
mod templates;
mod values;

use hcl::edit::expr::{Expression, ObjectKey, UnaryOperator};

use self::budget::weight;
use super::instance::State;
use crate::model::Value;

pub(crate) use self::references::same_index;
pub(crate) use self::values::{
    first_undecided, is_undecided, iter_items, plain, settle, to_bool, to_number, to_text,
    unknown_from,
};

/// How deep evaluation may nest (expressions within expressions, references through locals,
/// variables, outputs and resources) before it stops with an Unknown instead of exhausting the
/// stack.
pub(crate) const MAX_DEPTH: usize = 400;

/// An expression as a message quotes it: on one line, at most 120 characters.
pub(crate) fn quote_expr(e: &Expression) -> String {
    let text = e.to_string();
    let one_line: Vec<&str> = text.split_whitespace().collect();
    let one_line = one_line.join(" ");
    if one_line.chars().count() > 120 {
        format!("{}…", one_line.chars().take(120).collect::<String>())
    } else {
        one_line
    }
}

/// An evaluation error (Terraform would reject the configuration).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EvalError(pub String);

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub(crate) type R = Result<Value, EvalError>;

pub(crate) fn err<T>(msg: impl Into<String>) -> Result<T, EvalError> {
    Err(EvalError(msg.into()))
}

/// A name bound by a `for` expression, a `dynamic` block iterator or a template `for`.
pub(crate) struct Binding<'a> {
    pub name: &'a str,
    pub value: Value,
    pub next: Option<&'a Binding<'a>>,
}

/// Where an expression is evaluated: its module instance, `count.index`, `each`, and names
/// bound by enclosing `for` expressions.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub inst: usize,
    pub count: Option<&'a Value>,
    pub each: Option<(&'a Value, &'a Value)>,
    /// `templatefile`: only these names are visible (no `var.`, `local.`, resources).
    pub template_vars: Option<&'a crate::model::value::Map>,
    /// Constant context (variable defaults, `.tfvars` values): no references at all.
    pub constant: bool,
    pub bindings: Option<&'a Binding<'a>>,
}

impl<'a> Scope<'a> {
    pub fn module(inst: usize) -> Scope<'static> {
        Scope {
            inst,
            count: None,
            each: None,
            template_vars: None,
            constant: false,
            bindings: None,
        }
    }

    pub fn constant() -> Scope<'static> {
        Scope {
            constant: true,
            ..Scope::module(0)
        }
    }

    fn lookup(&self, name: &str) -> Option<&Value> {
        let mut b = self.bindings;
        while let Some(x) = b {
            if x.name == name {
                return Some(&x.value);
            }
            b = x.next;
        }
        None
    }

    pub fn with<'b>(&self, b: &'b Binding<'b>) -> Scope<'b>
    where
        'a: 'b,
    {
        Scope {
            bindings: Some(b),
            ..*self
        }
    }
}

impl State {
    /// Evaluates an expression.
    pub(crate) fn eval(&mut self, e: &Expression, s: &Scope<'_>) -> R {
        if self.depth >= MAX_DEPTH {
            return Ok(Value::unknown(
                "the expression is nested too deeply for pullpath to evaluate",
            ));
        }
        if let Some(why) = &self.budget.spent {
            return Err(EvalError(why.clone()));
        }
        self.depth += 1;
        let r = self.eval_inner(e, s);
        self.depth -= 1;
        let v = r?;
        let (n, b) = weight(&v);
        self.spend(n, b)?;
        Ok(v)
    }

    fn eval_inner(&mut self, e: &Expression, s: &Scope<'_>) -> R {
        match e {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b.value())),
            Expression::Number(n) => Ok(Value::Number(n.value().as_f64().unwrap_or(f64::NAN))),
            Expression::String(st) => Ok(Value::String(st.value().clone())),
            Expression::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for x in a.iter() {
                    out.push(self.eval(x, s)?);
                }
                Ok(Value::List(out))
            }
            Expression::Object(o) => {
                let mut out = crate::model::value::Map::new();
                let mut unknown_key = None;
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.value().as_str().to_string(),
                        ObjectKey::Expression(ke) => {
                            let kv = match ke {
                                // `{ foo = 1 }` parsed as a bare name is a literal key.
                                Expression::Variable(i) => Value::String(i.value().as_str().into()),
                                other => self.eval(other, s)?,
                            };
                            if is_undecided(&kv) {
                                unknown_key.get_or_insert(kv);
                                continue;
                            }
                            to_text(&kv)?
                        }
                    };
                    let val = self.eval(v.expr(), s)?;
                    out.insert(key.into(), val);
                }
                if let Some(k) = unknown_key {
                    return Ok(Value::unknown(format!(
                        "an object key is not known before apply ({})",
                        unknown_from(&k).undecided_reason().unwrap_or_default()
                    )));
                }
                Ok(Value::Object(out))
            }
            Expression::StringTemplate(t) => self.eval_template(t, s),
            Expression::HeredocTemplate(h) => self.eval_template(&h.template, s),
            Expression::Parenthesis(p) => self.eval(p.inner(), s),
            Expression::Variable(v) => {
                let (val, _) = self.eval_root(v.value().as_str(), &[], s)?;
                Ok(val)
            }
            Expression::Traversal(t) => self.eval_traversal(t, s),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, s)?;
                if is_undecided(&cond) {
                    let a = self.eval(&c.true_expr, s);
                    let b = self.eval(&c.false_expr, s);
                    if let (Ok(a), Ok(b)) = (&a, &b) {
                        if first_undecided(a).is_none() && a == b {
                            return Ok(a.clone());
                        }
                        if let (Value::Ref(x), Value::Ref(y)) = (a, b) {
                            // One of two references: the graph treats several targets of a
                            // scalar as ambiguous, which is the truth here.
                            let mut targets = x.targets.clone();
                            for t in &y.targets {
                                if !targets.contains(t) {
                                    targets.push(t.clone());
                                }
                            }
                            return Ok(Value::reference(
                                targets,
                                x.complete && y.complete,
                                x.note.clone().or_else(|| y.note.clone()),
                            ));
                        }
                    }
                    return Ok(Value::unknown(format!(
                        "the condition is not known before apply ({})",
                        unknown_from(&cond).undecided_reason().unwrap_or_default()
                    )));
                }
                if to_bool(&cond)? {
                    self.eval(&c.true_expr, s)
                } else {
                    self.eval(&c.false_expr, s)
                }
            }
            Expression::FuncCall(f) => self.call(f, s),
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr, s)?;
                if first_undecided(&v).is_some() {
                    return Ok(unknown_from(&v));
                }
                match u.operator.value() {
                    UnaryOperator::Neg => Ok(Value::Number(-to_number(&v)?)),
                    UnaryOperator::Not => Ok(Value::Bool(!to_bool(&v)?)),
                }
            }
            Expression::BinaryOp(b) => self.binary(b.operator.value(), &b.lhs_expr, &b.rhs_expr, s),
            Expression::ForExpr(f) => self.eval_for(f, s),
        }
    }
}
