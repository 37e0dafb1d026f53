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
        // Whatever its parts turn out to be, a template's result is a string, never null; the
        // text before its first unknown part is known.
        let prefix = self.known_prefix(t, s)?;
        Ok(Value::unknown_string_with_prefix(
            u.undecided_reason().unwrap_or_default(),
            prefix,
        ))
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

impl State {
    /// The text a template with unknown parts surely begins with: its literals and known
    /// interpolations up to the first unknown part or directive (Terraform's refinement of the
    /// result). The interpolations before it are evaluated again: they were known, and cheap.
    fn known_prefix(&mut self, t: &Template, s: &Scope<'_>) -> Result<String, EvalError> {
        let elems: Vec<&Element> = t.iter().collect();
        let mut out = String::new();
        for (i, el) in elems.iter().enumerate() {
            match el {
                Element::Literal(l) => {
                    let mut text: &str = l.value();
                    if i > 0 && strips_after(elems[i - 1]) {
                        text = text.trim_start();
                    }
                    if elems.get(i + 1).is_some_and(|n| strips_before(n)) {
                        text = text.trim_end();
                    }
                    out.push_str(text);
                }
                Element::Interpolation(x) => {
                    let v = self.eval(&x.expr, s)?;
                    if first_undecided(&v).is_some() {
                        break;
                    }
                    out.push_str(&to_text(&v)?);
                }
                Element::Directive(_) => break,
            }
        }
        Ok(out)
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
