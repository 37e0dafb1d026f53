//! String templates and heredocs (interpolations, `%{if}` / `%{for}` directives, `~` strip
//! markers), and rendering a template text with its variables (`templatefile`,
//! `templatestring`, the `template_file` data source).

use hcl::edit::expr::Expression;
use hcl::edit::template::{Directive, Element, Template};

use super::values::{first_undecided, is_undecided, iter_items, to_bool, to_text, unknown_from};
use super::{err, Binding, EvalError, Scope, R};
use crate::hcl::funcs;
use crate::hcl::instance::State;
use crate::model::Value;

impl State {
    pub(super) fn eval_template(&mut self, t: &Template, s: &Scope<'_>) -> R {
        // `"${x}"` is `x` itself, whatever its type.
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            return self.eval(&i.expr, s);
        }
        let mut out = String::new();
        let mut unknown = None;
        let mut markable = true;
        self.render(t, s, &mut out, &mut unknown, &mut markable, false, false)?;
        let Some(u) = unknown else {
            return Ok(Value::String(out));
        };
        // With parts not known, `out` holds the marked text (see `Unknown::marked`).
        let marked = markable.then_some(out);
        // `"${aws_ecr_repository.app.repository_url}:v1"`: the text is unknown, but it begins
        // with one resource attribute, which says what the value is (an image of that
        // repository). Only a plain reference is evaluated again, which costs nothing.
        if let Some(Element::Interpolation(i)) = t.iter().next() {
            if matches!(i.expr, Expression::Traversal(_)) {
                if let Value::Ref(r) = self.eval(&i.expr, s)? {
                    if let [one] = r.targets.as_slice() {
                        let reason = u.undecided_reason().unwrap_or_default();
                        return Ok(Value::unknown_template(reason, Some(one.clone()), marked));
                    }
                }
            }
        }
        // Whatever its parts turn out to be, a template's result is a string, never null.
        Ok(Value::unknown_template(
            u.undecided_reason().unwrap_or_default(),
            None,
            marked,
        ))
    }

    /// Renders template elements, applying `~` strip markers to adjacent literals. An
    /// interpolation not known before apply is written as its marked text (see
    /// [`marked_text`]) and noted in `unknown`; a directive not decided clears `markable`.
    #[allow(clippy::too_many_arguments)]
    fn render(
        &mut self,
        t: &Template,
        s: &Scope<'_>,
        out: &mut String,
        unknown: &mut Option<Value>,
        markable: &mut bool,
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
                        out.push_str(&marked_text(&v));
                        continue;
                    }
                    out.push_str(&to_text(&v)?);
                }
                Element::Directive(dir) => match &**dir {
                    Directive::If(d) => {
                        let c = self.eval(&d.if_expr.cond_expr, s)?;
                        if is_undecided(&c) {
                            unknown.get_or_insert_with(|| unknown_from(&c));
                            *markable = false;
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
                                markable,
                                d.if_expr.strip.strip_end(),
                                end_strip,
                            )?;
                        } else if let Some(e) = &d.else_expr {
                            self.render(
                                &e.template,
                                s,
                                out,
                                unknown,
                                markable,
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
                                *markable = false;
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
                                markable,
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

    /// Renders a template text with its variables, as `templatefile`, `templatestring` and the
    /// `template_file` data source do: only the given variables are visible.
    pub(crate) fn render_template(&mut self, text: &str, vars: Option<&Value>, shown: &str) -> R {
        let vars = match vars {
            None | Some(Value::Null) => crate::model::value::Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(v) if is_undecided(v) => return Ok(unknown_from(v)),
            Some(_) => return err("a template's variables must be an object"),
        };
        let t = match crate::hcl::syntax::parse_template(text) {
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

/// The text an interpolation not known before apply stands as in a template's marked text
/// (see `Unknown::marked`): a reference or unknown value as a marker (`policy::unknown_text`)
/// escaped for a JSON string (`\u0001aws_s3_bucket.app.arn\u0002`), a partly known
/// `jsonencode` result as JSON with such markers.
fn marked_text(v: &Value) -> String {
    fn json(v: &Value) -> serde_json::Value {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Number::from_f64(*n)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => serde_json::Value::Array(items.iter().map(json).collect()),
            Value::Object(m) => {
                serde_json::Value::Object(m.iter().map(|(k, x)| (k.to_string(), json(x))).collect())
            }
            Value::Ref(r) => {
                let what: Vec<String> = r.targets.iter().map(ToString::to_string).collect();
                serde_json::Value::String(crate::policy::unknown_text(&what.join(" or ")))
            }
            Value::Unknown(u) => serde_json::Value::String(crate::policy::unknown_text(&u.reason)),
        }
    }
    match v {
        // A template's own marked text is already text.
        Value::Unknown(u) if u.marked.is_some() => u.marked.as_deref().unwrap_or("").to_string(),
        Value::Ref(_) | Value::Unknown(_) => {
            let quoted = serde_json::to_string(&json(v)).unwrap_or_default();
            quoted
                .strip_prefix('"')
                .and_then(|q| q.strip_suffix('"'))
                .unwrap_or("")
                .to_string()
        }
        _ => serde_json::to_string(&json(v)).unwrap_or_default(),
    }
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
