//! Emitting the model: every resource instance of every module instance, in configuration
//! order, once every instance is expanded and the configuration is known to be readable.

use super::{Emitted, Expansion, State};
use crate::hcl::data;
use crate::model::{is_read, Address, FromSource, Resource, Value};
use std::sync::Arc;

impl State {
    /// Walks every module instance and resource instance, in configuration order, and builds
    /// the model's resources.
    pub(crate) fn emit(&mut self, input: usize) -> Emitted {
        let mut out = Emitted {
            resources: Vec::new(),
            skipped: 0,
        };
        // First every instance is expanded (cheap: keys and addresses), so that a configuration
        // past the limits, or with an invalid `count`, stops before any resource is built.
        self.walk(|st, inst, ri| {
            st.expand_resource(inst, ri);
        });
        self.budget_fatal();
        if self.fatal.is_some() {
            return out;
        }
        self.walk(|st, inst, ri| st.emit_resource(inst, ri, input, &mut out));
        for inst in 0..self.insts.len() {
            self.emit_removed(inst, input, &mut out);
        }
        self.budget_fatal();
        out
    }

    /// The objects `removed` blocks take out of the configuration without destroying them
    /// (`lifecycle { destroy = false }`, or a `destroy` the input does not decide): Terraform
    /// forgets them and they go on existing in AWS, with attributes the configuration no longer
    /// says. A VPC endpoint is kept as one whose every attribute is unknown (it may be the
    /// endpoint a VPC of the input is missing: never a fail, never a pass); other objects are
    /// named in a note.
    fn emit_removed(&mut self, inst: usize, input: usize, out: &mut Emitted) {
        let cfg = self.insts[inst].cfg.clone();
        for rm in &cfg.removed {
            if rm.destroy == Some(true) {
                continue;
            }
            let how = if rm.destroy.is_none() {
                "may go on existing (its `destroy` is not decided)"
            } else {
                "goes on existing (`destroy = false`)"
            };
            let Some(from) = &rm.from else {
                self.notes.push(format!(
                    "{}: a `removed` block whose `from` pullpath cannot read: what it forgets \
                     {how} in AWS, outside what pullpath checks",
                    rm.loc
                ));
                continue;
            };
            let prefix = &self.insts[inst].addr;
            let address = if prefix.is_empty() {
                from.clone()
            } else {
                format!("{prefix}.{from}")
            };
            let mut parts = from.split('.');
            let (rtype, name) = (parts.next().unwrap_or(""), parts.next());
            let reason = format!(
                "{address} is removed from the configuration but not destroyed ({}): the object \
                 {how} in AWS, with attributes the configuration no longer says",
                rm.loc
            );
            match (rtype, name, parts.next()) {
                ("aws_vpc_endpoint", Some(name), None)
                    if cfg.resource(false, rtype, name).is_none() =>
                {
                    let Some(addr) = Address::parse(&address) else {
                        continue;
                    };
                    let values = crate::model::kept_attributes(false, rtype)
                        .unwrap_or(&[])
                        .iter()
                        .map(|k| {
                            (
                                crate::model::value::Key::Borrowed(k),
                                Value::unknown(reason.clone()),
                            )
                        })
                        .collect();
                    self.notes.push(format!(
                        "{reason}: every verdict it could decide is unknown"
                    ));
                    out.resources.push(Resource {
                        input,
                        address,
                        addr,
                        values: Value::Object(values),
                        region: None,
                        source: Some(Box::new(FromSource {
                            location: Some(rm.loc.clone()),
                            ..FromSource::default()
                        })),
                    });
                }
                _ if rtype == "module" || is_read(false, rtype) => {
                    self.notes.push(format!(
                        "{reason}; pullpath does not check it (a security group rule, route or \
                         policy that goes on existing can change the verdicts)"
                    ));
                }
                _ => {}
            }
        }
    }

    /// A spent evaluation budget is fatal, named where it ran out (see `eval_noted`) or, where
    /// it ran out outside an attribute (a type constraint's default), as it is.
    fn budget_fatal(&mut self) {
        if let Some(why) = &self.budget.spent {
            if !self.budget.located {
                self.budget.located = true;
                self.fatal = Some(format!(
                    "evaluation stopped: {why}; pullpath stops reading this configuration"
                ));
            }
        }
    }

    /// Calls `f` for every resource of every module instance, depth-first in configuration
    /// order.
    fn walk(&mut self, mut f: impl FnMut(&mut Self, usize, usize)) {
        let mut stack = vec![0usize];
        while let Some(inst) = stack.pop() {
            let cfg = self.insts[inst].cfg.clone();
            for ri in 0..cfg.resources.len() {
                f(self, inst, ri);
            }
            let mut children = Vec::new();
            for ci in 0..cfg.calls.len() {
                if let Expansion::Known(_, list) = &*self.expand_call(inst, ci) {
                    children.extend(list.iter().copied());
                }
            }
            // Depth-first, in call order.
            stack.extend(children.into_iter().rev());
        }
    }

    /// Where the root module calls the module of instance `inst` (its outermost call); `None`
    /// for the root itself.
    fn root_call_location(&self, mut inst: usize) -> Option<crate::model::Location> {
        loop {
            let (parent, ci) = self.insts[inst].parent?;
            if self.insts[parent].parent.is_none() {
                return self.insts[parent].cfg.calls.get(ci).map(|c| c.loc.clone());
            }
            inst = parent;
        }
    }

    fn emit_resource(&mut self, inst: usize, ri: usize, input: usize, out: &mut Emitted) {
        let exp = self.expand_resource(inst, ri);
        let Expansion::Known(_, list) = &*exp else {
            return;
        };
        let cfg = self.insts[inst].cfg.clone();
        let r = &cfg.resources[ri];
        for (i, ri_inst) in list.iter().enumerate() {
            if !is_read(r.data, &r.rtype) {
                out.skipped += 1;
                continue;
            }
            let addr = if ri_inst.address.contains("[*]") {
                // Refused by the parser on purpose (plans never hold it): built from its parts.
                Some(Address::from_parts(
                    self.insts[inst].steps.clone(),
                    r.data,
                    r.rtype.clone(),
                    r.name.clone(),
                    ri_inst.key.clone(),
                ))
            } else {
                Address::parse(&ri_inst.address)
            };
            let Some(addr) = addr else {
                self.notes.push(format!(
                    "{}: {:?} is not a resource address pullpath can read",
                    r.loc.file, ri_inst.address
                ));
                continue;
            };
            let read = if self.only_read_attributes && !r.data {
                crate::model::kept_attributes(false, &r.rtype)
            } else {
                None
            };
            let mut values: crate::model::value::Map = self
                .configured_values_read(inst, ri, i, read)
                .into_iter()
                .map(|(k, v)| (k, crate::hcl::eval::settle(v)))
                .collect();
            if r.data && data::computes_any(&r.rtype) {
                if let Value::Object(c) = self.computed(inst, ri, i) {
                    for (k, v) in c {
                        values.get_or_insert_with(k, || v);
                    }
                }
            }
            let region = self
                .resource_region(inst, ri, &values)
                .and_then(|v| v.as_str().map(Arc::from));
            out.resources.push(Resource {
                input,
                address: ri_inst.address.clone(),
                addr,
                values: Value::Object(values),
                region,
                source: Some(Box::new(FromSource {
                    location: Some(r.loc.clone()),
                    suppressions: r.suppressions.clone(),
                    attr_locations: r.locations.clone(),
                    module_call: self.root_call_location(inst),
                    attr_syntax: r.syntax.clone(),
                    may_exist: ri_inst.may_exist.clone(),
                })),
            });
        }
    }
}
