//! `for` expressions: lists and objects built by iterating a collection, with `if` filters
//! and `...` grouping.

use std::collections::BTreeMap;

use hcl::edit::expr::ForExpr;

use super::values::{
    first_undecided, is_undecided, iter_items, plain, to_bool, to_text, unknown_from,
};
use super::{err, Binding, Scope, R};
use crate::hcl::instance::State;
use crate::model::value::Partial;
use crate::model::Value;

impl State {
    pub(super) fn eval_for(&mut self, f: &ForExpr, s: &Scope<'_>) -> R {
        let coll = self.eval(&f.intro.collection_expr, s)?;
        if let (Some(Partial::Each { element, group }), None) = (coll.partial(), &f.key_expr) {
            return self.for_each_alike(f, s, &coll, element, group.as_deref());
        }
        let Some(items) = iter_items(&coll)? else {
            return Ok(unknown_from(&coll));
        };
        let mut list = Vec::new();
        // A tree while the keys arrive in any order; the object is built once at the end.
        let mut obj: BTreeMap<String, Value> = BTreeMap::new();
        // An undecided key, or an undecided `if` in a list, decides the whole result.
        let mut undecided = None;
        // The keys of an object whose `if` is not decided, and why.
        let mut maybe: Vec<(String, String)> = Vec::new();
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
                    let why = format!(
                        "the `if` of a `for` expression is not known before apply ({})",
                        unknown_from(&cv).undecided_reason().unwrap_or_default()
                    );
                    // An object keeps the elements whose `if` is decided; one whose `if` is
                    // not may or may not be in it (see `Partial::Object`).
                    // (A key that cannot be evaluated may belong to an element the `if` drops.)
                    if let (Some(ke), false) = (&f.key_expr, f.grouping) {
                        let key = st.eval(ke, &inner).ok();
                        if let Some(Ok(k)) = key
                            .filter(|k| first_undecided(k).is_none())
                            .map(|k| to_text(&k))
                        {
                            maybe.push((k, why));
                            return Ok(true);
                        }
                    }
                    undecided = Some(Value::unknown(why));
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
        if let Some((_, first)) = maybe.first() {
            let reason = first.clone();
            for (key, why) in maybe {
                // The same key twice is an error if both are kept: not known either.
                if obj.contains_key(&key) {
                    return Ok(Value::unknown(reason));
                }
                obj.insert(
                    key.clone(),
                    Value::unknown(format!(
                        "whether the object has `{key}` is not known: {why}"
                    )),
                );
            }
            return Ok(Value::unknown_partial(
                reason,
                Partial::Object(obj.into_iter().collect()),
            ));
        }
        Ok(if f.key_expr.is_some() {
            Value::Object(obj.into_iter().collect())
        } else {
            Value::List(list)
        })
    }

    /// A list `for` over the instances of an undecided `count` (see `Partial::Each`): the body
    /// read once, on the instance that stands for them all (its index is theirs), gives the
    /// element every result is like; an `if` decided the same way for all keeps all or none.
    fn for_each_alike(
        &mut self,
        f: &ForExpr,
        s: &Scope<'_>,
        coll: &Value,
        element: &Value,
        group: Option<&str>,
    ) -> R {
        let reason = coll.undecided_reason().unwrap_or_default();
        let index = match group {
            Some(g) => Value::unknown_partial(
                reason.clone(),
                Partial::Index {
                    group: g.to_string(),
                },
            ),
            None => Value::unknown(reason.clone()),
        };
        let vb = Binding {
            name: f.intro.value_var.value().as_str(),
            value: element.clone(),
            next: s.bindings,
        };
        let kb;
        let inner = match &f.intro.key_var {
            Some(kv) => {
                kb = Binding {
                    name: kv.value().as_str(),
                    value: index,
                    next: Some(&vb),
                };
                s.with(&kb)
            }
            None => s.with(&vb),
        };
        if let Some(c) = &f.cond {
            let cv = self.eval(&c.expr, &inner)?;
            if is_undecided(&cv) {
                return Ok(plain(coll));
            }
            if !to_bool(&cv)? {
                return Ok(Value::List(Vec::new()));
            }
        }
        let v = self.eval(&f.value_expr, &inner)?;
        Ok(Value::unknown_partial(
            reason,
            Partial::Each {
                element: Box::new(v),
                group: group.map(str::to_string),
            },
        ))
    }
}
