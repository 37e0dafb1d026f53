//! Module calls: their instances (one per `count` / `for_each` key, created on first use)
//! and the value of a reference to a call (`module.vpc`).

use std::rc::Rc;

use super::expansion::{KeyError, Keys};
use super::MAX_MODULE_INSTANCES;
use super::{handle, materialize, ChildSource, Expansion, Handle, ModInst, Mode, State};
use crate::hcl::eval::{err, R};
use crate::model::address::{module_instance_string, InstanceKey, ModuleStep};
use crate::model::Value;

impl State {
    pub(crate) fn module_value(&mut self, inst: usize, name: &str) -> R {
        let cfg = self.insts[inst].cfg.clone();
        let Some(&ci) = cfg.call_index.get(name) else {
            return err(format!(
                "reference to undeclared module `{name}` in {}",
                cfg.dir
            ));
        };
        let exp = self.expand_call(inst, ci);
        Ok(match &*exp {
            Expansion::Unknown(reason) => Value::unknown(reason.clone()),
            // Instances that may exist besides the known ones: the collection is not known (a
            // reference to it must not see one instance where there may be none, or many).
            Expansion::Known(_, children)
                if children.iter().any(|&c| {
                    self.insts[c].steps.last().and_then(|s| s.key.as_ref())
                        == Some(&InstanceKey::Unknown)
                }) =>
            {
                let reason = children
                    .iter()
                    .find_map(|&c| self.insts[c].may_exist.as_ref())
                    .map(|m| m.reason.clone())
                    .unwrap_or_default();
                Value::unknown(reason)
            }
            Expansion::Known(mode, children) => {
                let handles = children.iter().map(|&c| {
                    let i = &self.insts[c];
                    (i.steps.last().and_then(|s| s.key.clone()), handle(&i.addr))
                });
                materialize(*mode, handles)
            }
        })
    }

    /// The instances of module call `ci` of instance `inst` (created on first use).
    pub(crate) fn expand_call(&mut self, inst: usize, ci: usize) -> Rc<Expansion<usize>> {
        if let Some(e) = &self.insts[inst].calls[ci] {
            return e.clone();
        }
        // Mark while computing: `count` referring to the module's own outputs is a cycle.
        self.insts[inst].calls[ci] = Some(Rc::new(Expansion::Unknown(
            "the module's instances depend on themselves".into(),
        )));
        let e = Rc::new(self.compute_call(inst, ci));
        self.insts[inst].calls[ci] = Some(e.clone());
        e
    }

    fn compute_call(&mut self, inst: usize, ci: usize) -> Expansion<usize> {
        let cfg = self.insts[inst].cfg.clone();
        let call = &cfg.calls[ci];
        let key_path = if self.insts[inst].key_path.is_empty() {
            call.name.clone()
        } else {
            format!("{}.{}", self.insts[inst].key_path, call.name)
        };
        let child_cfg = match self.children.get(&key_path) {
            Some(ChildSource::Loaded(c)) => c.clone(),
            Some(ChildSource::Missing(reason)) => {
                let r = reason.clone();
                self.notes
                    .push(format!("{}: {r}; its resources are not read", call.loc));
                return Expansion::Unknown(r);
            }
            None => {
                return Expansion::Unknown(format!(
                    "module `{key_path}` has no source pullpath can read"
                ))
            }
        };
        if self.fatal.is_some() {
            return Expansion::Unknown("not read: the configuration has an error".into());
        }
        let what = format!("module `{}`", call.name);
        let keys = match self.instance_keys(
            inst,
            call.count.as_ref().map(|a| (&a.expr, &a.loc)),
            call.for_each.as_ref().map(|a| (&a.expr, &a.loc)),
            call.enabled.as_ref().map(|a| (&a.expr, &a.loc)),
            &what,
        ) {
            Ok(k) => k,
            Err(e) => return self.not_expanded(e),
        };
        let Keys {
            mode,
            keys,
            undecided,
            ..
        } = keys;
        if self.insts.len() + keys.len() > MAX_MODULE_INSTANCES {
            let at = call
                .count
                .as_ref()
                .or(call.for_each.as_ref())
                .map_or(&call.loc, |a| &a.loc);
            return self.not_expanded(KeyError(
                format!(
                    "{what}: more than {MAX_MODULE_INSTANCES} module instances in all, \
                     pullpath's limit for one root module ({} before this call, {} in it)",
                    self.insts.len(),
                    keys.len()
                ),
                at.clone(),
            ));
        }
        let parent_may_exist = self.insts[inst].may_exist.clone();
        let mut children = Vec::with_capacity(keys.len());
        for (key, each) in keys {
            let parent = &self.insts[inst];
            let mut steps = parent.steps.clone();
            steps.push(ModuleStep {
                name: call.name.clone(),
                key: key.clone(),
            });
            let mut m = ModInst::new(child_cfg.clone());
            m.addr = module_instance_string(&steps);
            m.steps = steps;
            m.key_path = key_path.clone();
            m.parent = Some((inst, ci));
            m.may_exist = parent_may_exist.clone();
            match (&key, each) {
                (Some(InstanceKey::Unknown), each) => {
                    let reason = undecided.clone().unwrap_or_default();
                    let index = format!("the instance key of {} is not known ({reason})", m.addr);
                    if mode == Mode::Count {
                        m.count = Some(Value::unknown(index));
                    } else {
                        let v = each.unwrap_or_else(|| Value::unknown(index.clone()));
                        m.each = Some((Value::unknown(index), v));
                    }
                    let me = self.may_exist(&m.addr, reason, parent_may_exist.as_ref(), None);
                    self.note_not_expanded(&me, &call.loc);
                    m.may_exist = Some(me);
                }
                (Some(InstanceKey::Int(i)), _) if mode == Mode::Count => {
                    m.count = Some(Value::Number(*i as f64));
                }
                (Some(k), Some(v)) => m.each = Some((Value::String(k.as_text()), v)),
                _ => {}
            }
            let idx = self.insts.len();
            self.handles
                .insert(m.addr.clone(), Handle::Mod { inst: idx });
            self.insts.push(m);
            children.push(idx);
        }
        Expansion::Known(mode, children)
    }
}
