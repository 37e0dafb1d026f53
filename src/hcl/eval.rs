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

use std::collections::BTreeMap;

use hcl::edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};
use hcl::edit::template::{Directive, Element, Template};

use super::funcs;
use super::instance::State;
use super::types::type_name;
use crate::model::value::format_number;
use crate::model::{Reference, Value};

/// How deep evaluation may nest (expressions within expressions, references through locals,
/// variables, outputs and resources) before it stops with an Unknown instead of exhausting the
/// stack.
pub(crate) const MAX_DEPTH: usize = 400;

/// The evaluation budget of one root module (with every module it calls): past any of these
/// figures the input is not read (exit 2), with the place and the expression that crossed it.
/// Terraform has no such limits; a configuration written to exhaust time or memory (nested
/// `for` loops over `range`, `setproduct` of many lists, strings doubled through templates)
/// would otherwise stall the run or abort it out of memory. The figures are far above what
/// real configurations use (the fixtures of `testdata/` spend at most a few thousand values).
///
/// Values built: every value an expression produces counts once per node (a list of three
/// strings is four), each time it is produced (a local referred to twice counts twice, as it is
/// copied), and each iteration of a `for` expression or a template `%{for}` counts one. At
/// about 32 bytes a node plus the heap of lists and objects, the figure bounds the memory held
/// by values to about 1 GB in the worst case, and the time to seconds.
pub(crate) const MAX_VALUES: u64 = 32 * 1024 * 1024;
/// String bytes produced, counted like values (each time a string is produced), object keys
/// included.
pub(crate) const MAX_BYTES: u64 = 256 * 1024 * 1024;
/// How deep `for` expressions and template `%{for}` directives may nest while they run
/// (a loop in a local that a loop refers to counts in both). Real configurations nest two or
/// three.
pub(crate) const MAX_LOOP_NESTING: usize = 16;

/// What evaluation has spent of its budget (see [`MAX_VALUES`]).
#[derive(Debug, Default)]
pub(crate) struct Budget {
    pub values: u64,
    pub bytes: u64,
    pub loops: usize,
    /// Why the budget ran out; once set, every evaluation fails with it (and `try`/`can`
    /// cannot catch it).
    pub spent: Option<String>,
    /// Whether the run's fatal error already names where it ran out.
    pub located: bool,
}

impl Budget {
    /// What is left, for functions that check sizes before they allocate.
    pub fn room(&self) -> funcs::Room {
        funcs::Room {
            values: MAX_VALUES.saturating_sub(self.values),
            bytes: MAX_BYTES.saturating_sub(self.bytes),
            over: None,
        }
    }
}

/// The nodes and string bytes of a value (see [`MAX_VALUES`]).
fn weight(v: &Value) -> (u64, u64) {
    match v {
        Value::String(s) => (1, s.len() as u64),
        Value::List(items) => items.iter().fold((1, 0), |(n, b), x| {
            let (xn, xb) = weight(x);
            (n + xn, b + xb)
        }),
        Value::Object(m) => m.iter().fold((1, 0), |(n, b), (k, x)| {
            let (xn, xb) = weight(x);
            (n + xn, b + xb + k.len() as u64)
        }),
        _ => (1, 0),
    }
}

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

// ---- value helpers ----

/// Unknown or a reference at the top level.
pub(crate) fn is_undecided(v: &Value) -> bool {
    matches!(v, Value::Unknown(_) | Value::Ref(_))
}

/// The first undecided part of a value, if any.
pub(crate) fn first_undecided(v: &Value) -> Option<&Value> {
    match v {
        Value::Unknown(_) | Value::Ref(_) => Some(v),
        Value::List(items) => items.iter().find_map(first_undecided),
        Value::Object(m) => m.values().find_map(first_undecided),
        _ => None,
    }
}

/// Why a reference is not known before apply.
pub(crate) fn ref_reason(r: &Reference) -> String {
    // A configured attribute whose value is not decided (see `State::instance_attr`): the
    // note says why, and "known only after apply" would not be true.
    if let (true, Some(n)) = (r.complete, &r.note) {
        let targets: Vec<String> = r.targets.iter().map(|t| t.to_string()).collect();
        return format!("{} is not decided: {n}", targets.join(", "));
    }
    let mut parts: Vec<String> = Vec::new();
    for t in &r.targets {
        let is_data = t.address.starts_with("data.") || t.address.contains(".data.");
        let p = if is_data {
            format!(
                "data source {}: attributes known only when Terraform reads it",
                t.address
            )
        } else {
            format!("{t} is known only after apply")
        };
        if !parts.contains(&p) {
            parts.push(p);
        }
    }
    if let Some(n) = &r.note {
        parts.push(n.clone());
    }
    if parts.is_empty() {
        "known only after apply".to_string()
    } else {
        parts.join("; ")
    }
}

/// An Unknown standing for a value with undecided parts, with the reason of the first one.
pub(crate) fn unknown_from(v: &Value) -> Value {
    match first_undecided(v) {
        Some(Value::Unknown(u)) => Value::unknown(u.reason.clone()),
        Some(Value::Ref(r)) => Value::unknown(ref_reason(r)),
        _ => Value::unknown("not known before apply"),
    }
}

/// Text of a scalar for string templates and string functions.
pub(crate) fn to_text(v: &Value) -> Result<String, EvalError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(format_number(*n)),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => err("a null value cannot be used as a string"),
        other => err(format!("a {} cannot be used as a string", type_name(other))),
    }
}

pub(crate) fn to_number(v: &Value) -> Result<f64, EvalError> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| EvalError(format!("{s:?} is not a number"))),
        Value::Null => err("a null value cannot be used as a number"),
        other => err(format!("a {} cannot be used as a number", type_name(other))),
    }
}

pub(crate) fn to_bool(v: &Value) -> Result<bool, EvalError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        Value::Null => err("a null value cannot be used as a bool"),
        other => err(format!("a {} cannot be used as a bool", type_name(other))),
    }
}

/// Deep equality of known values, with Terraform's loose number/string comparison avoided
/// (different types are not equal).
fn values_equal(a: &Value, b: &Value) -> bool {
    a == b
}

/// Equality as Terraform decides it with refined unknowns: `None` only when the undecided parts
/// matter. A known object or list is not null whatever its members (`var.x != null` is true for
/// a map whose values are known only after apply, as modules filter their inputs); two
/// collections of different lengths or keys differ; a decided difference in one member decides.
fn decided_equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Unknown(_) | Value::Ref(_), _) | (_, Value::Unknown(_) | Value::Ref(_)) => None,
        (Value::Null, x) | (x, Value::Null) => Some(matches!(x, Value::Null)),
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.iter().zip(y) {
                match decided_equal(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() || x.keys().any(|k| y.get(k).is_none()) {
                return Some(false);
            }
            let mut all = Some(true);
            for (k, p) in x.iter() {
                match y.get(k).and_then(|q| decided_equal(p, q)) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        (x, y) if first_undecided(x).is_none() && first_undecided(y).is_none() => {
            Some(values_equal(x, y))
        }
        // A known scalar against a collection with undecided members: different types.
        _ => Some(false),
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

    /// Counts values and bytes built against the budget; past it, the budget is spent.
    pub(crate) fn spend(&mut self, values: u64, bytes: u64) -> Result<(), EvalError> {
        self.budget.values = self.budget.values.saturating_add(values);
        self.budget.bytes = self.budget.bytes.saturating_add(bytes);
        if self.budget.values > MAX_VALUES {
            return Err(self.over_budget(format!(
                "more than {MAX_VALUES} values built (pullpath's evaluation budget)"
            )));
        }
        if self.budget.bytes > MAX_BYTES {
            return Err(self.over_budget(format!(
                "more than {} MiB of strings built (pullpath's evaluation budget)",
                MAX_BYTES >> 20
            )));
        }
        Ok(())
    }

    /// Marks the budget spent (the first reason stays) and returns the error to propagate.
    pub(crate) fn over_budget(&mut self, why: String) -> EvalError {
        let why = self.budget.spent.get_or_insert(why).clone();
        EvalError(why)
    }

    /// Runs the iterations of one `for` loop, one level deeper; `body` is called per item (it
    /// returns whether to go on) and each iteration is counted.
    fn in_loop<T>(
        &mut self,
        items: Vec<T>,
        mut body: impl FnMut(&mut Self, T) -> Result<bool, EvalError>,
    ) -> Result<(), EvalError> {
        if self.budget.loops >= MAX_LOOP_NESTING {
            return Err(self.over_budget(format!(
                "`for` loops nested more than {MAX_LOOP_NESTING} deep (pullpath's evaluation \
                 budget)"
            )));
        }
        self.budget.loops += 1;
        let mut r = Ok(());
        for item in items {
            match self.spend(1, 0).and_then(|()| body(self, item)) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    r = Err(e);
                    break;
                }
            }
        }
        self.budget.loops -= 1;
        r
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

    fn binary(&mut self, op: &BinaryOperator, l: &Expression, r: &Expression, s: &Scope<'_>) -> R {
        let a = self.eval(l, s)?;
        // `&&` and `||` decide with one known side when it is decisive.
        match op {
            BinaryOperator::And | BinaryOperator::Or => {
                let want = matches!(op, BinaryOperator::Or);
                if !is_undecided(&a) && to_bool(&a)? == want {
                    return Ok(Value::Bool(want));
                }
                let b = self.eval(r, s)?;
                if !is_undecided(&b) && to_bool(&b)? == want {
                    return Ok(Value::Bool(want));
                }
                if is_undecided(&a) {
                    return Ok(unknown_from(&a));
                }
                if is_undecided(&b) {
                    return Ok(unknown_from(&b));
                }
                return Ok(Value::Bool(!want));
            }
            _ => {}
        }
        let b = self.eval(r, s)?;
        if matches!(op, BinaryOperator::Eq | BinaryOperator::NotEq) {
            if let Some(eq) = decided_equal(&a, &b) {
                return Ok(Value::Bool(eq == matches!(op, BinaryOperator::Eq)));
            }
        }
        if let Some(u) = first_undecided(&a).or_else(|| first_undecided(&b)) {
            return Ok(unknown_from(u));
        }
        Ok(match op {
            BinaryOperator::Eq => Value::Bool(values_equal(&a, &b)),
            BinaryOperator::NotEq => Value::Bool(!values_equal(&a, &b)),
            BinaryOperator::Less => Value::Bool(to_number(&a)? < to_number(&b)?),
            BinaryOperator::LessEq => Value::Bool(to_number(&a)? <= to_number(&b)?),
            BinaryOperator::Greater => Value::Bool(to_number(&a)? > to_number(&b)?),
            BinaryOperator::GreaterEq => Value::Bool(to_number(&a)? >= to_number(&b)?),
            BinaryOperator::Plus => Value::Number(to_number(&a)? + to_number(&b)?),
            BinaryOperator::Minus => Value::Number(to_number(&a)? - to_number(&b)?),
            BinaryOperator::Mul => Value::Number(to_number(&a)? * to_number(&b)?),
            BinaryOperator::Div => {
                let d = to_number(&b)?;
                if d == 0.0 {
                    return err("division by zero");
                }
                Value::Number(to_number(&a)? / d)
            }
            BinaryOperator::Mod => {
                let d = to_number(&b)?;
                if d == 0.0 {
                    return err("modulo by zero");
                }
                Value::Number(to_number(&a)? % d)
            }
            BinaryOperator::And | BinaryOperator::Or => unreachable_bool(),
        })
    }

    // ---- templates ----

    fn eval_template(&mut self, t: &Template, s: &Scope<'_>) -> R {
        // `"${x}"` is `x` itself, whatever its type.
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            return self.eval(&i.expr, s);
        }
        let mut out = String::new();
        let mut unknown = None;
        self.render(t, s, &mut out, &mut unknown, false, false)?;
        let Some(u) = unknown else {
            return Ok(Value::String(out));
        };
        // `"${aws_ecr_repository.app.repository_url}:v1"`: the text is unknown, but it begins
        // with one resource attribute, which says what the value is (an image of that
        // repository). Only a plain reference is evaluated again, which costs nothing.
        if let Some(Element::Interpolation(i)) = t.iter().next() {
            if matches!(i.expr, Expression::Traversal(_)) {
                if let Value::Ref(r) = self.eval(&i.expr, s)? {
                    if let [one] = r.targets.as_slice() {
                        let reason = u.undecided_reason().unwrap_or_default();
                        return Ok(Value::unknown_starting_with(reason, one.clone()));
                    }
                }
            }
        }
        Ok(u)
    }

    /// Renders template elements, applying `~` strip markers to adjacent literals.
    fn render(
        &mut self,
        t: &Template,
        s: &Scope<'_>,
        out: &mut String,
        unknown: &mut Option<Value>,
        trim_first: bool,
        trim_last: bool,
    ) -> Result<(), EvalError> {
        let elems: Vec<&Element> = t.iter().collect();
        let last = elems.len().saturating_sub(1);
        for (i, el) in elems.iter().enumerate() {
            match el {
                Element::Literal(l) => {
                    let mut text: &str = l.value();
                    let lead = if i == 0 {
                        trim_first
                    } else {
                        strips_after(elems[i - 1])
                    };
                    let trail = if i == last {
                        trim_last
                    } else {
                        strips_before(elems[i + 1])
                    };
                    if lead {
                        text = text.trim_start();
                    }
                    if trail {
                        text = text.trim_end();
                    }
                    out.push_str(text);
                }
                Element::Interpolation(x) => {
                    let v = self.eval(&x.expr, s)?;
                    if first_undecided(&v).is_some() {
                        unknown.get_or_insert_with(|| unknown_from(&v));
                        continue;
                    }
                    out.push_str(&to_text(&v)?);
                }
                Element::Directive(dir) => match &**dir {
                    Directive::If(d) => {
                        let c = self.eval(&d.if_expr.cond_expr, s)?;
                        if is_undecided(&c) {
                            unknown.get_or_insert_with(|| unknown_from(&c));
                            continue;
                        }
                        if to_bool(&c)? {
                            let end_strip = match &d.else_expr {
                                Some(e) => e.strip.strip_start(),
                                None => d.endif_expr.strip.strip_start(),
                            };
                            self.render(
                                &d.if_expr.template,
                                s,
                                out,
                                unknown,
                                d.if_expr.strip.strip_end(),
                                end_strip,
                            )?;
                        } else if let Some(e) = &d.else_expr {
                            self.render(
                                &e.template,
                                s,
                                out,
                                unknown,
                                e.strip.strip_end(),
                                d.endif_expr.strip.strip_start(),
                            )?;
                        }
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        let coll = self.eval(&f.collection_expr, s)?;
                        let items = match iter_items(&coll) {
                            Ok(Some(items)) => items,
                            Ok(None) => {
                                unknown.get_or_insert_with(|| unknown_from(&coll));
                                continue;
                            }
                            Err(e) => return Err(e),
                        };
                        self.in_loop(items, |st, (k, v)| {
                            let vb = Binding {
                                name: f.value_var.value().as_str(),
                                value: v,
                                next: s.bindings,
                            };
                            let kb;
                            let inner = match &f.key_var {
                                Some(kv) => {
                                    kb = Binding {
                                        name: kv.value().as_str(),
                                        value: k,
                                        next: Some(&vb),
                                    };
                                    s.with(&kb)
                                }
                                None => s.with(&vb),
                            };
                            st.render(
                                &f.template,
                                &inner,
                                out,
                                unknown,
                                f.strip.strip_end(),
                                d.endfor_expr.strip.strip_start(),
                            )?;
                            Ok(true)
                        })?;
                    }
                },
            }
            if out.len() > funcs::MAX_STRING {
                return err("the template result is too long");
            }
        }
        Ok(())
    }

    // ---- for expressions ----

    fn eval_for(&mut self, f: &ForExpr, s: &Scope<'_>) -> R {
        let coll = self.eval(&f.intro.collection_expr, s)?;
        let Some(items) = iter_items(&coll)? else {
            return Ok(unknown_from(&coll));
        };
        let mut list = Vec::new();
        // A tree while the keys arrive in any order; the object is built once at the end.
        let mut obj: BTreeMap<String, Value> = BTreeMap::new();
        // An undecided `if` or key decides the whole result.
        let mut undecided = None;
        self.in_loop(items, |st, (k, v)| {
            let vb = Binding {
                name: f.intro.value_var.value().as_str(),
                value: v,
                next: s.bindings,
            };
            let kb;
            let inner = match &f.intro.key_var {
                Some(kv) => {
                    kb = Binding {
                        name: kv.value().as_str(),
                        value: k,
                        next: Some(&vb),
                    };
                    s.with(&kb)
                }
                None => s.with(&vb),
            };
            if let Some(c) = &f.cond {
                let cv = st.eval(&c.expr, &inner)?;
                if is_undecided(&cv) {
                    undecided = Some(Value::unknown(format!(
                        "the `if` of a `for` expression is not known before apply ({})",
                        unknown_from(&cv).undecided_reason().unwrap_or_default()
                    )));
                    return Ok(false);
                }
                if !to_bool(&cv)? {
                    return Ok(true);
                }
            }
            match &f.key_expr {
                None => list.push(st.eval(&f.value_expr, &inner)?),
                Some(ke) => {
                    let key = st.eval(ke, &inner)?;
                    if first_undecided(&key).is_some() {
                        undecided = Some(Value::unknown(format!(
                            "a key of a `for` expression is not known before apply ({})",
                            unknown_from(&key).undecided_reason().unwrap_or_default()
                        )));
                        return Ok(false);
                    }
                    let key = to_text(&key)?;
                    let val = st.eval(&f.value_expr, &inner)?;
                    if f.grouping {
                        match obj.entry(key).or_insert_with(|| Value::List(Vec::new())) {
                            Value::List(l) => l.push(val),
                            _ => return err("internal: grouping"),
                        }
                    } else {
                        match obj.entry(key) {
                            std::collections::btree_map::Entry::Occupied(e) => {
                                return err(format!(
                                    "duplicate key {:?} in a `for` expression (use `...` to group)",
                                    e.key()
                                ));
                            }
                            std::collections::btree_map::Entry::Vacant(e) => {
                                e.insert(val);
                            }
                        }
                    }
                }
            }
            Ok(true)
        })?;
        if let Some(u) = undecided {
            return Ok(u);
        }
        Ok(if f.key_expr.is_some() {
            Value::Object(obj.into_iter().collect())
        } else {
            Value::List(list)
        })
    }

    // ---- references ----

    fn eval_traversal(&mut self, t: &Traversal, s: &Scope<'_>) -> R {
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let (v, used) = match &t.expr {
            Expression::Variable(name) => self.eval_root(name.value().as_str(), &ops, s)?,
            other => (self.eval(other, s)?, 0),
        };
        self.apply_ops(v, &ops[used..], s)
    }

    /// Resolves a root name (`var`, `local`, `module`, `data`, a resource type, a bound name) and
    /// the operators it consumes.
    fn eval_root(
        &mut self,
        name: &str,
        ops: &[&TraversalOperator],
        s: &Scope<'_>,
    ) -> Result<(Value, usize), EvalError> {
        if let Some(v) = s.lookup(name) {
            return Ok((v.clone(), 0));
        }
        // A number literal a float cannot hold, as the parser wrapper passes it on.
        if let Some(lit) = super::syntax::big_number(name) {
            return Ok((
                Value::unknown(format!(
                    "the number {lit} is beyond what pullpath can hold (64-bit floating point, \
                     magnitudes from about 2.2e-308 to 1.8e308); Terraform reads it, pullpath \
                     leaves it unknown"
                )),
                0,
            ));
        }
        if let Some(vars) = s.template_vars {
            return match vars.get(name) {
                Some(v) => Ok((v.clone(), 0)),
                None => err(format!(
                    "the template refers to `{name}`, which templatefile's variables do not define"
                )),
            };
        }
        if s.constant {
            return err(format!(
                "`{name}` cannot be referred to here: only literal values are allowed"
            ));
        }
        let attr = |i: usize| -> Result<&str, EvalError> {
            match ops.get(i) {
                Some(TraversalOperator::GetAttr(a)) => Ok(a.value().as_str()),
                _ => err(format!("invalid reference: `{name}` needs an attribute")),
            }
        };
        match name {
            "var" => Ok((self.var_value(s.inst, attr(0)?)?, 1)),
            "local" => Ok((self.local_value(s.inst, attr(0)?)?, 1)),
            "module" => Ok((self.module_value(s.inst, attr(0)?)?, 1)),
            "data" => Ok((self.resource_value(s.inst, true, attr(0)?, attr(1)?)?, 2)),
            "path" => {
                let v = match attr(0)? {
                    "module" => self.path_module(s.inst),
                    "root" => ".".to_string(),
                    "cwd" => self.cwd.clone(),
                    other => return err(format!("unknown attribute path.{other}")),
                };
                Ok((Value::String(v), 1))
            }
            "terraform" => match attr(0)? {
                "workspace" => Ok((Value::String(self.workspace.clone()), 1)),
                other => err(format!("unknown attribute terraform.{other}")),
            },
            "count" => match (attr(0)?, s.count) {
                ("index", Some(v)) => Ok((v.clone(), 1)),
                _ => err("`count.index` is only available in a resource or module with `count`"),
            },
            "each" => match (attr(0)?, s.each) {
                ("key", Some((k, _))) => Ok((k.clone(), 1)),
                ("value", Some((_, v))) => Ok((v.clone(), 1)),
                _ => err("`each` is only available in a resource or module with `for_each`"),
            },
            "self" => Ok((
                Value::unknown("`self` is known only in provisioners, at apply"),
                0,
            )),
            rtype => {
                let rname = attr(0)?;
                Ok((self.resource_value(s.inst, false, rtype, rname)?, 1))
            }
        }
    }

    /// Applies traversal operators (`.attr`, `[i]`, `[*]`, `.*`) to a value.
    pub(crate) fn apply_ops(&mut self, v: Value, ops: &[&TraversalOperator], s: &Scope<'_>) -> R {
        let mut cur = v;
        let mut i = 0;
        while i < ops.len() {
            match ops[i] {
                TraversalOperator::GetAttr(a) => {
                    cur = self.get_attr(cur, a.value().as_str())?;
                }
                TraversalOperator::Index(e) => {
                    let k = self.eval(e, s)?;
                    cur = self.index(cur, &k)?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    cur = self.index(cur, &Value::Number(*n.value() as f64))?;
                }
                TraversalOperator::AttrSplat(_) => {
                    let mut j = i + 1;
                    while j < ops.len() && matches!(ops[j], TraversalOperator::GetAttr(_)) {
                        j += 1;
                    }
                    cur = self.splat(cur, &ops[i + 1..j], s)?;
                    i = j;
                    continue;
                }
                TraversalOperator::FullSplat(_) => {
                    return self.splat(cur, &ops[i + 1..], s);
                }
            }
            i += 1;
        }
        Ok(cur)
    }

    fn splat(&mut self, v: Value, rest: &[&TraversalOperator], s: &Scope<'_>) -> R {
        match v {
            Value::Null => Ok(Value::List(Vec::new())),
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.apply_ops(item, rest, s)?);
                }
                Ok(Value::List(out))
            }
            Value::Unknown(_) => Ok(v),
            Value::Ref(ref r) if r.targets.len() == 1 && r.targets[0].attr.is_some() => {
                Ok(Value::unknown(ref_reason(r)))
            }
            other => Ok(Value::List(vec![self.apply_ops(other, rest, s)?])),
        }
    }

    pub(crate) fn get_attr(&mut self, v: Value, name: &str) -> R {
        match v {
            Value::Object(mut m) => match m.remove(name) {
                Some(x) => Ok(x),
                None => err(format!("the object has no attribute `{name}`")),
            },
            Value::Ref(r) => {
                if r.targets.len() == 1 && r.targets[0].attr.is_none() {
                    let address = r.targets[0].address.clone();
                    return self.handle_attr(&address, name);
                }
                let mut x = (*r).clone();
                for t in &mut x.targets {
                    t.attr = Some(match &t.attr {
                        Some(a) => format!("{a}.{name}"),
                        None => name.to_string(),
                    });
                }
                Ok(Value::unknown(ref_reason(&x)))
            }
            Value::Unknown(_) => Ok(v),
            Value::Null => err(format!("cannot read attribute `{name}` of a null value")),
            Value::List(_) => err(format!(
                "cannot read attribute `{name}` of a list: use an index or a splat (`[*].{name}`)"
            )),
            other => err(format!(
                "cannot read attribute `{name}` of a {}",
                type_name(&other)
            )),
        }
    }

    pub(crate) fn index(&mut self, v: Value, k: &Value) -> R {
        if is_undecided(&v) {
            return Ok(match v {
                Value::Ref(r) if r.targets.iter().all(|t| t.attr.is_none()) => {
                    return err(format!(
                        "{} is a single instance and cannot be indexed",
                        r.targets
                            .first()
                            .map(|t| t.address.as_str())
                            .unwrap_or("the resource")
                    ))
                }
                other => unknown_from(&other),
            });
        }
        if is_undecided(k) {
            return Ok(Value::unknown(format!(
                "an index is not known before apply ({})",
                unknown_from(k).undecided_reason().unwrap_or_default()
            )));
        }
        match v {
            Value::List(mut items) => {
                let n = to_number(k)?;
                if n.fract() != 0.0 {
                    return err(format!("index {} is not a whole number", format_number(n)));
                }
                if n < 0.0 || n as usize >= items.len() {
                    return err(format!(
                        "index {} is out of range for a list of {} elements",
                        format_number(n),
                        items.len()
                    ));
                }
                Ok(items.swap_remove(n as usize))
            }
            Value::Object(mut m) => {
                let key = to_text(k)?;
                match m.remove(key.as_str()) {
                    Some(x) => Ok(x),
                    None => err(format!("the map has no element {key:?}")),
                }
            }
            Value::Null => err("cannot index a null value"),
            other => err(format!("cannot index a {}", type_name(&other))),
        }
    }

    // ---- functions ----

    fn call(&mut self, f: &FuncCall, s: &Scope<'_>) -> R {
        let mut name = String::new();
        for ns in &f.name.namespace {
            name.push_str(ns.value().as_str());
            name.push_str("::");
        }
        name.push_str(f.name.name.value().as_str());
        match name.as_str() {
            "try" => {
                let mut last = None;
                for a in f.args.iter() {
                    match self.eval(a, s) {
                        Ok(v) => return Ok(v),
                        // Past the budget nothing is caught: the run ends.
                        Err(e) if self.budget.spent.is_some() => return Err(e),
                        Err(e) => last = Some(e),
                    }
                }
                return Err(last.unwrap_or_else(|| EvalError("`try` needs an argument".into())));
            }
            "can" => {
                let Some(a) = f.args.get(0) else {
                    return err("`can` needs an argument");
                };
                return Ok(match self.eval(a, s) {
                    Ok(v) if is_undecided(&v) => unknown_from(&v),
                    Ok(_) => Value::Bool(true),
                    Err(e) if self.budget.spent.is_some() => return Err(e),
                    Err(_) => Value::Bool(false),
                });
            }
            _ => {}
        }
        let mut args = Vec::with_capacity(f.args.len());
        for a in f.args.iter() {
            args.push(self.eval(a, s)?);
        }
        if f.args.expand_final() {
            match args.pop() {
                Some(Value::List(items)) => args.extend(items),
                Some(v) if is_undecided(&v) => return Ok(unknown_from(&v)),
                Some(_) => return err("`...` expands only a list"),
                None => {}
            }
        }
        match name.as_str() {
            "file" | "fileexists" | "filebase64" | "templatefile" | "abspath" => {
                self.file_function(&name, args)
            }
            // Terraform 1.9: a template given as a string (from a reference, never a literal).
            "templatestring" => {
                let Some(t) = args.first() else {
                    return err("`templatestring` needs a template");
                };
                if first_undecided(t).is_some() {
                    return Ok(unknown_from(t));
                }
                let text = to_text(t)?;
                self.render_template(&text, args.get(1), "templatestring")
            }
            _ => {
                let mut room = self.budget.room();
                let r = funcs::call(&name, args, &mut room);
                match room.over {
                    Some(why) => Err(self.over_budget(format!("{name}: {why}"))),
                    None => r,
                }
            }
        }
    }

    fn file_function(&mut self, name: &str, args: Vec<Value>) -> R {
        let Some(p) = args.first() else {
            return err(format!("`{name}` needs a path"));
        };
        if first_undecided(p).is_some() {
            return Ok(unknown_from(p));
        }
        let path = to_text(p)?;
        if name == "abspath" {
            return Ok(Value::String(super::paths::join_display(&self.cwd, &path)));
        }
        // Terraform resolves relative paths from the directory it runs in: the root module.
        let shown = super::paths::join_display(&self.root_dir, &path);
        // Only files inside the configuration are read (the input is untrusted); outside,
        // the value is unknown, whatever the file holds.
        let real = match self.confined(&path) {
            Ok(real) => real,
            Err(why) => return Ok(Value::unknown(format!("{name}: {why}"))),
        };
        if name == "fileexists" {
            return Ok(Value::Bool(real.is_some()));
        }
        // Inside but nothing there: reading it says why (not found, a directory).
        let real = real.unwrap_or_else(|| std::path::PathBuf::from(&shown));
        let text = match self.read_file(&real, &shown) {
            Ok(t) => t,
            Err(e) => return err(e),
        };
        match name {
            "file" => Ok(Value::String(text)),
            "filebase64" => Ok(Value::String(funcs::base64_encode(text.as_bytes()))),
            _ => self.render_template(&text, args.get(1), &shown),
        }
    }

    /// Renders a template text with its variables, as `templatefile`, `templatestring` and the
    /// `template_file` data source do: only the given variables are visible.
    pub(crate) fn render_template(&mut self, text: &str, vars: Option<&Value>, shown: &str) -> R {
        let vars = match vars {
            None | Some(Value::Null) => crate::model::value::Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(v) if is_undecided(v) => return Ok(unknown_from(v)),
            Some(_) => return err("a template's variables must be an object"),
        };
        let t = match super::syntax::parse_template(text) {
            Ok(t) => t,
            Err(e) => {
                return err(format!(
                    "{shown}:{}:{}: invalid template: {}",
                    e.line, e.column, e.message
                ))
            }
        };
        let scope = Scope {
            template_vars: Some(&vars),
            ..Scope::module(0)
        };
        self.eval_template(&t, &scope)
    }
}

fn unreachable_bool() -> Value {
    Value::unknown("internal error: logical operator")
}

/// Whether an element strips the whitespace of the literal after it (`~}`).
fn strips_after(e: &Element) -> bool {
    match e {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.endif_expr.strip.strip_end(),
            Directive::For(d) => d.endfor_expr.strip.strip_end(),
        },
    }
}

/// Whether an element strips the whitespace of the literal before it (`%{~`, `${~`).
fn strips_before(e: &Element) -> bool {
    match e {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.if_expr.strip.strip_start(),
            Directive::For(d) => d.for_expr.strip.strip_start(),
        },
    }
}

/// The (key, value) pairs a `for` iterates: list index and element, or object key and value.
/// `None` when the collection is not known.
pub(crate) fn iter_items(v: &Value) -> Result<Option<Vec<(Value, Value)>>, EvalError> {
    match v {
        Value::List(items) => Ok(Some(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::Number(i as f64), x.clone()))
                .collect(),
        )),
        Value::Object(m) => Ok(Some(
            m.iter()
                .map(|(k, x)| (Value::String(k.to_string()), x.clone()))
                .collect(),
        )),
        Value::Unknown(_) | Value::Ref(_) => Ok(None),
        Value::Null => err("cannot iterate over a null value"),
        other => err(format!("cannot iterate over a {}", type_name(other))),
    }
}
