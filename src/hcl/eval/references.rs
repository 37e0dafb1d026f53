//! References: root names (`var`, `local`, `module`, `data`, resources, `path`, `count`,
//! `each`, bound names) and traversals (`.attr`, `[i]`, splats) on the values they give.

use hcl::edit::expr::{Expression, Traversal, TraversalOperator};

use super::values::{is_undecided, plain, ref_reason, to_number, to_text, unknown_from};
use super::{err, EvalError, Scope, R};
use crate::hcl::instance::State;
use crate::hcl::types::type_name;
use crate::model::value::{format_number, Partial};
use crate::model::{Target, Value};

impl State {
    pub(super) fn eval_traversal(&mut self, t: &Traversal, s: &Scope<'_>) -> R {
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let (v, used) = match &t.expr {
            Expression::Variable(name) => self.eval_root(name.value().as_str(), &ops, s)?,
            other => (self.eval(other, s)?, 0),
        };
        self.apply_ops(v, &ops[used..], s)
    }

    /// Resolves a root name (`var`, `local`, `module`, `data`, a resource type, a bound name) and
    /// the operators it consumes.
    pub(super) fn eval_root(
        &mut self,
        name: &str,
        ops: &[&TraversalOperator],
        s: &Scope<'_>,
    ) -> Result<(Value, usize), EvalError> {
        if let Some(v) = s.lookup(name) {
            return Ok((v.clone(), 0));
        }
        // A number literal a float cannot hold, as the parser wrapper passes it on.
        if let Some(lit) = crate::hcl::syntax::big_number(name) {
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
                "workspace" => {
                    let (name, how) = &self.workspace;
                    let note = format!("terraform.workspace is \"{name}\": {how}");
                    let name = name.clone();
                    self.notes.push(note);
                    Ok((Value::String(name), 1))
                }
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
            // The instances of an undecided `count`: each element is read on the one that
            // stands for them all.
            Value::Unknown(ref u) => match &u.partial {
                Some(Partial::Each { element, group }) => {
                    Ok(match self.apply_ops((**element).clone(), rest, s) {
                        Ok(e) => Value::unknown_partial(
                            u.reason.clone(),
                            Partial::Each {
                                element: Box::new(e),
                                group: group.clone(),
                            },
                        ),
                        Err(_) => plain(&v),
                    })
                }
                _ => Ok(plain(&v)),
            },
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
                        Some(a) => format!("{a}.{name}").into(),
                        None => crate::model::attribute_name(name),
                    });
                }
                // One nested attribute (`aws_db_instance.db.master_user_secret[0].secret_arn`):
                // unknown, but where it comes from is kept (see `nested`).
                if let [one] = x.targets.as_slice() {
                    return Ok(nested(ref_reason(&x), one.clone()));
                }
                Ok(Value::unknown(ref_reason(&x)))
            }
            // An object whose attributes are not all known to exist: the attribute, if known.
            Value::Unknown(u) => Ok(match &u.partial {
                Some(Partial::Object(m)) => m
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| Value::unknown(u.reason.clone())),
                Some(_) => plain(&Value::Unknown(u)),
                None => match nested_step(&u, &format!(".{name}")) {
                    Some(v) => v,
                    None => Value::Unknown(u),
                },
            }),
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
        if let Some(e) = same_index(&v, k) {
            return Ok(e);
        }
        if let (Some(Partial::Object(_)), Ok(name)) = (v.partial(), to_text(k)) {
            return self.get_attr(v, &name);
        }
        if is_undecided(&v) {
            return Ok(match v {
                // A resource or module instance is an object: a string index is an attribute
                // (`aws_security_group.x[*]["id"]`, the splat applying it to each instance).
                Value::Ref(r) if r.targets.iter().all(|t| t.attr.is_none()) => {
                    if let Value::String(name) = k {
                        return self.get_attr(Value::Ref(r), name);
                    }
                    if is_undecided(k) {
                        return Ok(Value::unknown(format!(
                            "an index is not known before apply ({})",
                            unknown_from(k).undecided_reason().unwrap_or_default()
                        )));
                    }
                    return err(format!(
                        "{} is a single instance and cannot be indexed",
                        r.targets
                            .first()
                            .map(|t| t.address.as_str())
                            .unwrap_or("the resource")
                    ));
                }
                // A nested attribute by a known index (`….master_user_secret[0]`): see `nested`.
                Value::Ref(r) if r.targets.len() == 1 && r.targets[0].attr.is_some() => {
                    match index_step(k) {
                        Some(step) => {
                            let t = &r.targets[0];
                            let attr = format!("{}{step}", t.attr.as_deref().unwrap_or(""));
                            nested(
                                ref_reason(&r),
                                Target {
                                    address: t.address.clone(),
                                    attr: Some(attr.into()),
                                },
                            )
                        }
                        None => unknown_from(&Value::Ref(r)),
                    }
                }
                Value::Unknown(u) if index_step(k).is_some() => {
                    match index_step(k).and_then(|step| nested_step(&u, &step)) {
                        Some(v) => v,
                        None => unknown_from(&Value::Unknown(u)),
                    }
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
}

/// The element of a list of the instances of an undecided `count` (see `Partial::Each`) at
/// the `count.index` of a block with the same `count`: the instance at the same index, which
/// is read on the one that stands for them all (`aws_subnet.private[count.index]`,
/// `element(aws_subnet.private[*].id, count.index)`).
pub(crate) fn same_index(list: &Value, index: &Value) -> Option<Value> {
    match (list.partial(), index.partial()) {
        (
            Some(Partial::Each {
                element,
                group: Some(g),
            }),
            Some(Partial::Index { group: h }),
        ) if g == h => Some((**element).clone()),
        _ => None,
    }
}

/// A nested part of a resource attribute known only after apply
/// (`aws_db_instance.db.master_user_secret[0].secret_arn`): unknown, maybe null, but it is that
/// part of that resource's attribute (`starts_with`, the attribute written with its path), which
/// says what it is (the ARN of an RDS-managed secret is a Secrets Manager secret's).
fn nested(reason: String, target: Target) -> Value {
    Value::Unknown(std::sync::Arc::new(crate::model::Unknown {
        reason: reason.into(),
        not_configured: false,
        starts_with: Some(target),
        not_null: false,
        partial: None,
        prefix: None,
        marked: None,
    }))
}

/// One step further into a value made by [`nested`] (never into a template's result, which is a
/// string that `starts_with` only begins with).
fn nested_step(u: &crate::model::Unknown, step: &str) -> Option<Value> {
    let t = u.starts_with.as_ref()?;
    if u.not_null || u.marked.is_some() || u.prefix.is_some() || u.partial.is_some() {
        return None;
    }
    Some(nested(
        u.reason.to_string(),
        Target {
            address: t.address.clone(),
            attr: Some(format!("{}{step}", t.attr.as_deref().unwrap_or("")).into()),
        },
    ))
}

/// The path step of a known index: `[0]`, `["k"]`.
fn index_step(k: &Value) -> Option<String> {
    match k {
        Value::Number(n) if n.fract() == 0.0 && *n >= 0.0 => Some(format!("[{}]", *n as u64)),
        Value::String(s) => Some(format!("[{s:?}]")),
        _ => None,
    }
}
