//! Resource and data source instances: their expansion, the value of a reference to them,
//! and their attributes (configured, nested and `dynamic` blocks, computed for the data
//! sources pullpath evaluates, or a reference to be filled in at apply).

use std::rc::Rc;

use hcl::edit::expr::Expression;

use super::expansion::{KeyError, Keys};
use super::{
    handle, materialize, Expansion, Handle, Mode, ResInst, Slot, State, ATTR_COMPUTED,
    MAX_RESOURCE_INSTANCES,
};
use crate::hcl::config::{block_member_name, Body, MemberKind};
use crate::hcl::data;
use crate::hcl::eval::{err, iter_items, unknown_from, Binding, EvalError, Scope, R};
use crate::model::address::InstanceKey;
use crate::model::value::Partial;
use crate::model::{Target, Value};

impl State {
    /// The value of a reference to a resource as a whole (`aws_subnet.private`).
    pub(crate) fn resource_value(&mut self, inst: usize, data: bool, rtype: &str, name: &str) -> R {
        let cfg = self.insts[inst].cfg.clone();
        let Some(ri) = cfg.resource(data, rtype, name) else {
            let what = if data {
                format!("data.{rtype}.{name}")
            } else {
                format!("{rtype}.{name}")
            };
            return err(format!(
                "reference to undeclared resource {what} in {}",
                cfg.dir
            ));
        };
        let exp = self.expand_resource(inst, ri);
        Ok(match &*exp {
            Expansion::Unknown(reason) => Value::unknown(reason.clone()),
            // Instances that may exist besides the known ones: the collection is not known (a
            // reference to it must not see one instance where there may be none, or many).
            // Those of an undecided `count` are a list of unknown length whose elements are
            // like the instance that stands for them (see `Partial::Each`).
            Expansion::Known(_, list)
                if list.iter().any(|x| x.key == Some(InstanceKey::Unknown)) =>
            {
                let standing = list.iter().find(|x| x.key == Some(InstanceKey::Unknown));
                let reason = standing
                    .and_then(|x| x.may_exist.as_ref())
                    .map(|m| m.reason.clone())
                    .unwrap_or_default();
                match standing {
                    Some(x) if list.len() == 1 && x.group.is_some() => Value::unknown_partial(
                        reason,
                        Partial::Each {
                            element: Box::new(handle(&x.address)),
                            group: x.group.clone(),
                        },
                    ),
                    _ => Value::unknown(reason),
                }
            }
            Expansion::Known(mode, list) => materialize(
                *mode,
                list.iter().map(|ri| (ri.key.clone(), handle(&ri.address))),
            ),
        })
    }

    pub(crate) fn expand_resource(&mut self, inst: usize, ri: usize) -> Rc<Expansion<ResInst>> {
        if let Some(e) = &self.insts[inst].res[ri] {
            return e.clone();
        }
        self.insts[inst].res[ri] = Some(Rc::new(Expansion::Unknown(
            "the resource's instances depend on themselves".into(),
        )));
        let e = Rc::new(self.compute_resource(inst, ri));
        self.insts[inst].res[ri] = Some(e.clone());
        e
    }

    fn compute_resource(&mut self, inst: usize, ri: usize) -> Expansion<ResInst> {
        let cfg = self.insts[inst].cfg.clone();
        let r = &cfg.resources[ri];
        if self.fatal.is_some() {
            return Expansion::Unknown("not read: the configuration has an error".into());
        }
        let base = crate::model::address::join(&self.insts[inst].addr, &r.config_address());
        let keys = match self.instance_keys(
            inst,
            r.count.as_ref().map(|a| (&a.expr, &a.loc)),
            r.for_each.as_ref().map(|a| (&a.expr, &a.loc)),
            r.enabled.as_ref().map(|a| (&a.expr, &a.loc)),
            &base,
        ) {
            Ok(k) => k,
            Err(e) => return self.not_expanded(e),
        };
        let Keys {
            mode,
            keys,
            undecided,
            group,
        } = keys;
        if self.expanded_instances + keys.len() > MAX_RESOURCE_INSTANCES {
            let at = r
                .count
                .as_ref()
                .or(r.for_each.as_ref())
                .map_or(&r.loc, |a| &a.loc);
            return self.not_expanded(KeyError(
                format!(
                    "{base}: more than {MAX_RESOURCE_INSTANCES} resource instances in all, \
                     pullpath's limit for one root module ({} before this one, {} in it); \
                     check a plan of it instead (`terraform show -json`)",
                    self.expanded_instances,
                    keys.len()
                ),
                at.clone(),
            ));
        }
        self.expanded_instances += keys.len();
        let module_may_exist = self.insts[inst].may_exist.clone();
        let mut out = Vec::with_capacity(keys.len());
        for (i, (key, each)) in keys.into_iter().enumerate() {
            let address = match &key {
                Some(k) => format!("{base}{k}"),
                None => base.clone(),
            };
            let unknown = key == Some(InstanceKey::Unknown);
            let may_exist = if unknown {
                let reason = undecided.clone().unwrap_or_default();
                let me = self.may_exist(&address, reason, module_may_exist.as_ref(), group.clone());
                self.note_not_expanded(&me, &r.loc);
                Some(me)
            } else {
                module_may_exist.clone()
            };
            self.handles
                .insert(address.clone(), Handle::Res { inst, res: ri, i });
            out.push(ResInst {
                key,
                each,
                address,
                may_exist,
                group: group.clone().filter(|_| unknown),
            });
        }
        Expansion::Known(mode, out)
    }

    /// An attribute of a resource or module instance handle.
    pub(crate) fn handle_attr(&mut self, address: &str, attr: &str) -> R {
        match self.handles.get(address).copied() {
            Some(Handle::Res { inst, res, i }) => self.instance_attr(inst, res, i, attr),
            Some(Handle::Mod { inst }) => self.output_value(inst, attr),
            None => Ok(Value::reference(
                vec![Target {
                    address: address.to_string(),
                    attr: Some(crate::model::attribute_name(attr)),
                }],
                true,
                None,
            )),
        }
    }

    /// The value of one attribute of a resource instance: as configured, computed (for the
    /// data sources pullpath evaluates), or a reference to be filled in at apply (also when the
    /// configuration sets it to `null`, which leaves it to the provider).
    fn instance_attr(&mut self, inst: usize, ri: usize, i: usize, attr: &str) -> R {
        let cfg = self.insts[inst].cfg.clone();
        let r = &cfg.resources[ri];
        if let Some(&m) = r.member_index.get(attr) {
            let v = self.member_value(inst, ri, i, m);
            // A configured value that is not decided (`name = "${var.prefix}-exec"` without a
            // prefix) is still the value of this instance's attribute: a reference to it keeps
            // the join (`role = aws_iam_role.exec.name` is that role whatever its name), and
            // the note keeps why the value itself is not known.
            if let Value::Unknown(u) = &v {
                if !u.not_configured {
                    let address = self.instance_address(inst, ri, i);
                    if !address.is_empty() {
                        return Ok(Value::reference(
                            vec![Target {
                                address,
                                attr: Some(crate::model::attribute_name(attr)),
                            }],
                            true,
                            Some(u.reason.to_string()),
                        ));
                    }
                }
            }
            // `attr = null` leaves the attribute unset: the provider fills it in.
            if !v.is_null() {
                return Ok(v);
            }
        }
        if r.data && data::computes(&r.rtype, attr) {
            let v = self.computed(inst, ri, i);
            if let Some(x) = v.get(attr) {
                return Ok(x.clone());
            }
        }
        let address = self.instance_address(inst, ri, i);
        Ok(Value::reference(
            vec![Target {
                address,
                attr: Some(crate::model::attribute_name(attr)),
            }],
            true,
            None,
        ))
    }

    fn instance_address(&mut self, inst: usize, ri: usize, i: usize) -> String {
        let exp = self.expand_resource(inst, ri);
        match &*exp {
            Expansion::Known(_, list) => list.get(i).map(|x| x.address.clone()).unwrap_or_default(),
            Expansion::Unknown(_) => String::new(),
        }
    }

    /// The scope of a resource instance: its module, `count.index`, `each`.
    fn with_instance_scope<T>(
        &mut self,
        inst: usize,
        ri: usize,
        i: usize,
        f: impl FnOnce(&mut Self, &Scope<'_>) -> T,
    ) -> T {
        let exp = self.expand_resource(inst, ri);
        let (count, each) = match &*exp {
            Expansion::Known(mode, list) => match list.get(i) {
                Some(x) => match (mode, &x.key) {
                    // The instance that stands for those not decided: its key is unknown, so
                    // is every value computed from it.
                    (Mode::Count, Some(InstanceKey::Unknown)) => {
                        let why = format!("`count.index` of {} is not known", x.address);
                        let index = match &x.group {
                            Some(g) => {
                                Value::unknown_partial(why, Partial::Index { group: g.clone() })
                            }
                            None => Value::unknown(why),
                        };
                        (Some(index), None)
                    }
                    (Mode::ForEach, Some(InstanceKey::Unknown)) => {
                        let why = format!("`each.key` of {} is not known", x.address);
                        let value = x
                            .each
                            .clone()
                            .unwrap_or_else(|| Value::unknown(why.clone()));
                        // The key of the blocks with the same `for_each` (see `count_group`).
                        let key = match &x.group {
                            Some(g) => {
                                Value::unknown_partial(why, Partial::Index { group: g.clone() })
                            }
                            None => Value::unknown(why),
                        };
                        (None, Some((key, value)))
                    }
                    (Mode::Count, Some(InstanceKey::Int(n))) => {
                        (Some(Value::Number(*n as f64)), None)
                    }
                    (Mode::ForEach, Some(k)) => (
                        None,
                        Some((
                            Value::String(k.as_text()),
                            x.each.clone().unwrap_or(Value::Null),
                        )),
                    ),
                    _ => (None, None),
                },
                None => (None, None),
            },
            Expansion::Unknown(_) => (None, None),
        };
        let scope = Scope {
            count: count.as_ref(),
            each: each.as_ref().map(|(k, v)| (k, v)),
            ..Scope::module(inst)
        };
        f(self, &scope)
    }

    /// A top-level member (attribute or block type) of a resource instance, memoized.
    fn member_value(&mut self, inst: usize, ri: usize, i: usize, m: usize) -> Value {
        let key = (inst, ri, i, m);
        match self.attr_memo.get(&key) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::InProgress) => {
                return Value::unknown(format!(
                    "{}.{} depends on itself",
                    self.instance_address(inst, ri, i),
                    self.insts[inst].cfg.resources[ri].members[m].0
                ))
            }
            None => {}
        }
        self.attr_memo.insert(key, Slot::InProgress);
        let cfg = self.insts[inst].cfg.clone();
        let r = &cfg.resources[ri];
        let (name, kind) = &r.members[m];
        // The instance's address, as `instance_address` gives it, borrowed (not copied for
        // every attribute).
        let exp = self.expand_resource(inst, ri);
        let address = match &*exp {
            Expansion::Known(_, list) => list.get(i).map_or("", |x| x.address.as_str()),
            Expansion::Unknown(_) => "",
        };
        let v = self.with_instance_scope(inst, ri, i, |st, scope| match kind {
            MemberKind::Attr(j) => {
                let a = &r.body.attrs[*j];
                st.eval_noted_by(&a.expr, scope, || format!("{address}.{name}"), &a.loc)
            }
            MemberKind::Blocks => st.blocks_value(&r.body, name, scope, address),
        });
        self.attr_memo.insert(key, Slot::Done(v.clone()));
        v
    }

    /// The nested blocks of one type (static and `dynamic`) as a list of objects.
    fn blocks_value(&mut self, body: &Body, name: &str, s: &Scope<'_>, owner: &str) -> Value {
        let mut out = Vec::new();
        for b in &body.blocks {
            if b.kind == name {
                out.push(self.body_value(&b.body, s, owner));
            } else if b.kind == "dynamic" && block_member_name(b) == name {
                let Some(fe) = b.body.attr("for_each") else {
                    continue;
                };
                let what = format!("{owner}: `for_each` of dynamic block `{name}`");
                let coll = self.eval_noted(&fe.expr, s, &what, &fe.loc);
                let items = match iter_items(&coll) {
                    Ok(Some(items)) => items,
                    Ok(None) => {
                        return Value::unknown(format!(
                            "the `{name}` blocks are not known before apply: {}",
                            unknown_from(&coll).undecided_reason().unwrap_or_default()
                        ))
                    }
                    Err(EvalError(e)) => {
                        return Value::unknown(format!("the `{name}` blocks: {e}"));
                    }
                };
                let iterator = b
                    .body
                    .attr("iterator")
                    .and_then(|a| match &a.expr {
                        Expression::Variable(v) => Some(v.value().as_str().to_string()),
                        other => crate::hcl::source::literal_string(other),
                    })
                    .unwrap_or_else(|| name.to_string());
                let Some(content) = b.body.blocks.iter().find(|c| c.kind == "content") else {
                    continue;
                };
                let is_set = matches!(coll, Value::List(_));
                for (k, v) in items {
                    let key = if is_set { v.clone() } else { k };
                    let obj: crate::model::value::Map =
                        [("key", key), ("value", v)].into_iter().collect();
                    let bind = Binding {
                        name: &iterator,
                        value: Value::Object(obj),
                        next: s.bindings,
                    };
                    let inner = s.with(&bind);
                    out.push(self.body_value(&content.body, &inner, owner));
                }
            }
        }
        Value::List(out)
    }

    /// A block body as an object; unset (null) attributes are left out.
    fn body_value(&mut self, body: &Body, s: &Scope<'_>, owner: &str) -> Value {
        let mut m = crate::model::value::Map::new();
        for a in &body.attrs {
            let v = self.eval_noted(&a.expr, s, &format!("{owner}.{}", a.name), &a.loc);
            if !v.is_null() {
                m.insert(a.name.clone().into(), v);
            }
        }
        let mut done: Vec<String> = Vec::new();
        for b in &body.blocks {
            let n = block_member_name(b);
            if n.is_empty() || done.contains(&n) {
                continue;
            }
            let v = self.blocks_value(body, &n, s, owner);
            m.insert(n.clone().into(), v);
            done.push(n);
        }
        Value::Object(m)
    }

    /// The values of a data source that pullpath computes, memoized.
    pub(super) fn computed(&mut self, inst: usize, ri: usize, i: usize) -> Value {
        let key = (inst, ri, i, ATTR_COMPUTED);
        match self.attr_memo.get(&key) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::InProgress) => return Value::Object(crate::model::value::Map::new()),
            None => {}
        }
        self.attr_memo.insert(key, Slot::InProgress);
        let args = self.configured_values(inst, ri, i);
        let cfg = self.insts[inst].cfg.clone();
        let r = &cfg.resources[ri];
        // The `template_file` data source (hashicorp/template) renders like `templatefile`.
        if r.rtype == "template_file" {
            let rendered = match args.get("template") {
                Some(t) if crate::hcl::eval::first_undecided(t).is_some() => unknown_from(t),
                Some(Value::String(t)) => {
                    let t = t.clone();
                    let what = format!("data.template_file.{}", r.name);
                    self.render_template(&t, args.get("vars"), &what)
                        .unwrap_or_else(|e| Value::unknown(format!("{what}: {e}")))
                }
                _ => Value::unknown("data.template_file: no template"),
            };
            let mut m = crate::model::value::Map::new();
            m.insert("rendered".into(), rendered);
            let v = Value::Object(m);
            self.attr_memo.insert(key, Slot::Done(v.clone()));
            return v;
        }
        let region = self.resource_region(inst, ri, &args);
        let v = data::compute(
            &r.rtype,
            &args,
            region.as_ref(),
            self.region_fallback.as_deref(),
        );
        self.attr_memo.insert(key, Slot::Done(v.clone()));
        v
    }

    /// Every configured member of a resource instance, as an object (nulls left out).
    pub(super) fn configured_values(
        &mut self,
        inst: usize,
        ri: usize,
        i: usize,
    ) -> crate::model::value::Map {
        self.configured_values_read(inst, ri, i, None)
    }

    /// The configured members of a resource instance, as an object (nulls left out): those
    /// `read` names (with the ones every resource keeps, see [`crate::model::kept_key`]), or
    /// every one for `None`. The others are not evaluated.
    pub(super) fn configured_values_read(
        &mut self,
        inst: usize,
        ri: usize,
        i: usize,
        read: Option<&[&'static str]>,
    ) -> crate::model::value::Map {
        let n = self.insts[inst].cfg.resources[ri].members.len();
        let mut m = crate::model::value::Map::with_capacity(n);
        for j in 0..n {
            if read.is_some() {
                let name = &self.insts[inst].cfg.resources[ri].members[j].0;
                if crate::model::kept_key(read, name).is_none() {
                    continue;
                }
            }
            let v = self.member_value(inst, ri, i, j);
            if !v.is_null() {
                let name = &self.insts[inst].cfg.resources[ri].members[j].0;
                m.insert(crate::model::attribute_name(name), v);
            }
        }
        m
    }
}
