//! Module instances, resource instances and their lazily evaluated values.
//!
//! Terraform evaluates a configuration as a graph; pullpath does the same lazily: a variable,
//! local, output, `count`/`for_each`, or resource attribute is evaluated the first time
//! something refers to it and memoized. A reference cycle (invalid in Terraform) gives an
//! Unknown instead of recursing forever, and [`super::eval::MAX_DEPTH`] bounds how deep a chain
//! of references may go.
//!
//! A resource instance referred to as a whole (`aws_subnet.a`, `aws_subnet.private[0]`) is
//! represented by a [`Value::Ref`] without an attribute — a handle; reading an attribute from
//! a handle gives the configured value, or a `Ref` to that attribute when the configuration
//! does not set it. Module instances use handles too (`module.vpc`), whose attributes are the
//! module's outputs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl::edit::expr::Expression;

use super::config::{block_member_name, Body, MemberKind, ModuleConfig};
use super::data;
use super::eval::{err, is_undecided, iter_items, unknown_from, Binding, EvalError, Scope, R};
use super::types;
use super::vars::RawVar;
use crate::model::address::{module_instance_string, InstanceKey, ModuleStep};
use crate::model::{is_read, Address, Location, MayExist, Resource, Target, Value};

/// The most instances of one resource or module call (`count`/`for_each`) pullpath expands.
pub(crate) const MAX_INSTANCES: usize = 10_000;
/// The most module instances and resource instances of one root module, counted across all
/// module instances as they are expanded (crossing one is an error, before any resource is
/// built: time and memory stay bounded whatever the nesting of `count`/`for_each`).
pub(crate) const MAX_MODULE_INSTANCES: usize = 10_000;
pub(crate) const MAX_RESOURCE_INSTANCES: usize = 500_000;

#[derive(Clone, Debug)]
enum Slot {
    InProgress,
    Done(Value),
}

/// How a resource or module call is repeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Single,
    Count,
    ForEach,
}

/// Why the instances of a resource or module call are not read: a value Terraform refuses (or
/// past pullpath's limit), at the `count`/`for_each` argument.
#[derive(Debug)]
struct KeyError(String, Location);

/// The instance keys of a resource or module call (and their `each.value`s).
struct Keys {
    mode: Mode,
    keys: Vec<(Option<InstanceKey>, Option<Value>)>,
    /// Why the instances are not all decided: then the last key is [`InstanceKey::Unknown`],
    /// one instance that stands for those that may exist besides the known keys.
    undecided: Option<String>,
}

/// The instances of a resource or module call.
#[derive(Debug)]
pub(crate) enum Expansion<T> {
    Known(Mode, Vec<T>),
    /// Not known before apply (with the reason), or not available (a module not installed).
    Unknown(String),
}

#[derive(Debug)]
pub(crate) struct ResInst {
    pub key: Option<InstanceKey>,
    pub each: Option<Value>,
    pub address: String,
    /// Set when the input does not decide whether this instance exists.
    pub may_exist: Option<MayExist>,
}

/// Where a module call's configuration comes from.
#[derive(Debug, Clone)]
pub(crate) enum ChildSource {
    Loaded(Rc<ModuleConfig>),
    /// Not installed or not readable: outputs are Unknown with this reason.
    Missing(String),
}

pub(crate) struct ModInst {
    pub cfg: Rc<ModuleConfig>,
    /// `module.a["k"]`, empty for the root.
    pub addr: String,
    pub steps: Vec<ModuleStep>,
    /// The call path without keys, `a.b` (as in `.terraform/modules/modules.json`).
    pub key_path: String,
    /// The calling instance and call index.
    pub parent: Option<(usize, usize)>,
    pub count: Option<Value>,
    pub each: Option<(Value, Value)>,
    /// Set when the input does not decide whether this module instance exists (its call's
    /// `count` / `for_each`, or a call above it): every resource in it may not exist either.
    pub may_exist: Option<MayExist>,
    vars: HashMap<usize, Slot>,
    locals: HashMap<String, Slot>,
    outputs: HashMap<String, Slot>,
    calls: Vec<Option<Rc<Expansion<usize>>>>,
    res: Vec<Option<Rc<Expansion<ResInst>>>>,
}

impl ModInst {
    fn new(cfg: Rc<ModuleConfig>) -> Self {
        let (nc, nr) = (cfg.calls.len(), cfg.resources.len());
        ModInst {
            cfg,
            addr: String::new(),
            steps: Vec::new(),
            key_path: String::new(),
            parent: None,
            count: None,
            each: None,
            may_exist: None,
            vars: HashMap::new(),
            locals: HashMap::new(),
            outputs: HashMap::new(),
            calls: vec![None; nc],
            res: vec![None; nr],
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Handle {
    Res { inst: usize, res: usize, i: usize },
    Mod { inst: usize },
}

/// Notes for the input: what could not be read, deduplicated and bounded.
#[derive(Default)]
pub(crate) struct Notes {
    pub list: Vec<String>,
    seen: std::collections::HashSet<String>,
    dropped: usize,
}

impl Notes {
    const MAX: usize = 200;

    pub fn push(&mut self, n: String) {
        if self.seen.contains(&n) {
            return;
        }
        if self.list.len() >= Self::MAX {
            self.dropped += 1;
            return;
        }
        self.seen.insert(n.clone());
        self.list.push(n);
    }

    pub fn finish(mut self) -> Vec<String> {
        if self.dropped > 0 {
            self.list
                .push(format!("… and {} more notes like these", self.dropped));
        }
        self.list
    }
}

/// The evaluation state of one root module and everything it calls.
pub(crate) struct State {
    pub insts: Vec<ModInst>,
    /// Module call configurations by call path (`a.b`).
    pub children: HashMap<String, ChildSource>,
    /// Values for the root module's variables, as given (`.tfvars`, `--var`, `TF_VAR_*`).
    pub root_vars: HashMap<String, RawVar>,
    handles: HashMap<String, Handle>,
    attr_memo: HashMap<(usize, usize, usize, usize), Slot>,
    provider_memo: HashMap<(usize, String), Option<Value>>,
    pub notes: Notes,
    pub depth: usize,
    /// The root module directory as shown.
    pub root_dir: String,
    /// `path.cwd`: the root module directory, absolute when it can be made so.
    pub cwd: String,
    pub workspace: String,
    /// `--region`: assumed for data sources where no provider region is configured.
    pub region_fallback: Option<String>,
    files: HashMap<String, Result<String, String>>,
    /// Where the file functions may read (see [`State::confined`]): the git work tree holding
    /// the root module, or the root module's directory; canonical. `None` when the root
    /// module's directory cannot be resolved (then nothing is read).
    confine: Option<std::path::PathBuf>,
    /// What evaluation has spent of its budget.
    pub budget: super::eval::budget::Budget,
    /// Resource instances expanded so far, across every module instance (bounded by
    /// MAX_RESOURCE_INSTANCES: expanding is what costs time and memory).
    expanded_instances: usize,
    /// Where each root variable's value was given (`file:line:col`, `--var NAME`, …).
    pub root_var_sources: HashMap<String, String>,
    /// Errors Terraform would refuse the configuration for (an invalid `count`, a value of the
    /// wrong type for a root variable, past pullpath's limits): the input cannot be checked.
    /// Once one is recorded, nothing more is expanded.
    pub fatal: Option<String>,
    /// The resource blocks and module calls (one per module instance) whose `count` /
    /// `for_each` is not decided, in the order they were expanded.
    pub not_expanded: Vec<MayExist>,
}

/// What emitting produces: the resources read and how many were skipped.
pub(crate) struct Emitted {
    pub resources: Vec<Resource>,
    pub skipped: usize,
}

const ATTR_COMPUTED: usize = usize::MAX;

impl State {
    pub fn new(root: Rc<ModuleConfig>, root_dir: &str) -> Self {
        let cwd = std::fs::canonicalize(root_dir)
            .ok()
            .and_then(|p| p.to_str().map(|s| s.replace('\\', "/")))
            .unwrap_or_else(|| root_dir.to_string());
        State {
            insts: vec![ModInst::new(root)],
            children: HashMap::new(),
            root_vars: HashMap::new(),
            handles: HashMap::new(),
            attr_memo: HashMap::new(),
            provider_memo: HashMap::new(),
            notes: Notes::default(),
            depth: 0,
            root_dir: root_dir.to_string(),
            cwd,
            workspace: std::env::var("TF_WORKSPACE").unwrap_or_else(|_| "default".to_string()),
            region_fallback: None,
            files: HashMap::new(),
            // The file functions are confined (see [`State::confined`]).
            confine: super::paths::confinement_root(Path::new(root_dir)),
            budget: super::eval::budget::Budget::default(),
            expanded_instances: 0,
            root_var_sources: HashMap::new(),
            fatal: None,
            not_expanded: Vec::new(),
        }
    }

    /// Reads a file for `file()` / `templatefile()` (cached; bounded in size): `real` is the
    /// path [`State::confined`] allowed, `shown` how messages name it.
    pub(crate) fn read_file(&mut self, real: &Path, shown: &str) -> Result<String, String> {
        if let Some(r) = self.files.get(shown) {
            return r.clone();
        }
        let r = super::source::read_text(real, shown).map_err(|e| format!("{e:#}"));
        self.files.insert(shown.to_string(), r.clone());
        r
    }

    /// Where a file function may read `written` (the path as the configuration writes it,
    /// relative to the root module): the input is untrusted, and what a file holds can end in a
    /// report (an image name, a policy, an error message), so only regular files inside the
    /// configuration are read — under the git work tree that holds the root module, or under
    /// the root module's directory when it is in none. Checked on the path with every symbolic
    /// link resolved, so a link out of the tree is outside; `/proc`, `/dev` and `/sys` are
    /// always outside (a repository at `/` would hold them); a FIFO or a device is never opened
    /// (a FIFO blocks until someone writes to it).
    ///
    /// `Ok(Some(path))`: a regular file inside, to read at `path`. `Ok(None)`: inside, but
    /// nothing is there (`fileexists` says false, `file` says it cannot read it). `Err(reason)`:
    /// outside; the value is unknown with that reason, whether or not something is there.
    pub(crate) fn confined(&self, written: &str) -> Result<Option<PathBuf>, String> {
        let outside = |why: &str| {
            format!(
                "`{written}` is outside the configuration{why}: pullpath reads files only inside \
                 the root module's directory tree (or the git repository holding it), and leaves \
                 the value unknown"
            )
        };
        let Some(root) = &self.confine else {
            return Err(outside(" (the root module's directory cannot be resolved)"));
        };
        // Lexically first: `..` out of the tree, or an absolute path elsewhere, is outside
        // whether or not something is there (its existence is not revealed either).
        let lexical = PathBuf::from(super::paths::join_display(&self.cwd, written));
        if !lexical.starts_with(root) {
            return Err(outside(""));
        }
        let real = match std::fs::canonicalize(&lexical) {
            Ok(p) => p,
            // Nothing there, or not reachable: inside, but nothing to read.
            Err(_) => return Ok(None),
        };
        if !real.starts_with(root) || super::paths::is_system_path(&real) {
            return Err(outside(" (a symbolic link leads out of it)"));
        }
        match std::fs::metadata(&real) {
            Ok(m) if m.is_file() => Ok(Some(real)),
            Ok(m) if m.is_dir() => Ok(None),
            Ok(_) => Err(outside(" (not a regular file: a FIFO, socket or device)")),
            Err(_) => Ok(None),
        }
    }

    pub(crate) fn path_module(&self, inst: usize) -> String {
        super::paths::relative_to(&self.insts[inst].cfg.dir, &self.root_dir)
    }

    /// Evaluates an expression where a failure is not fatal: errors become Unknown with a note
    /// naming the place.
    fn eval_noted(&mut self, e: &Expression, s: &Scope<'_>, what: &str, loc: &Location) -> Value {
        let r = self.eval(e, s);
        // The innermost attribute being evaluated when the budget ran out names the place
        // (evaluation may have gone on a little after it, where an error is not fatal).
        if let Some(why) = &self.budget.spent {
            if !self.budget.located {
                self.budget.located = true;
                let msg = format!(
                    "{}:{}:{}: {what}: evaluation stopped: {why}, in `{}`; pullpath stops \
                     reading this configuration",
                    loc.file,
                    loc.line,
                    loc.column,
                    super::eval::quote_expr(e)
                );
                // Past the budget the input is not read, whatever else went wrong first.
                self.fatal = Some(msg);
            }
        }
        match r {
            Ok(v) => v,
            Err(EvalError(msg)) => {
                self.notes.push(format!(
                    "{}:{}:{}: {what}: {msg}",
                    loc.file, loc.line, loc.column
                ));
                Value::unknown(format!("{what} cannot be evaluated: {msg}"))
            }
        }
    }

    // ---- variables, locals, outputs ----

    pub(crate) fn var_value(&mut self, inst: usize, name: &str) -> R {
        let cfg = self.insts[inst].cfg.clone();
        let Some(&vi) = cfg.var_index.get(name) else {
            return err(format!(
                "reference to undeclared input variable `{name}` in {}",
                cfg.dir
            ));
        };
        match self.insts[inst].vars.get(&vi) {
            Some(Slot::Done(v)) => return Ok(v.clone()),
            Some(Slot::InProgress) => {
                return Ok(Value::unknown(format!(
                    "variable `{name}` depends on itself"
                )))
            }
            None => {}
        }
        self.insts[inst].vars.insert(vi, Slot::InProgress);
        let v = self.compute_var(inst, &cfg, vi);
        self.insts[inst].vars.insert(vi, Slot::Done(v.clone()));
        Ok(v)
    }

    fn compute_var(&mut self, inst: usize, cfg: &ModuleConfig, vi: usize) -> Value {
        let var = &cfg.variables[vi];
        let given: Option<Value> = match self.insts[inst].parent {
            None => self.root_var_given(cfg, vi),
            Some((p, ci)) => {
                let pcfg = self.insts[p].cfg.clone();
                let call = &pcfg.calls[ci];
                match call.body.attr(&var.name) {
                    Some(a) => {
                        let count = self.insts[inst].count.clone();
                        let each = self.insts[inst].each.clone();
                        let scope = Scope {
                            count: count.as_ref(),
                            each: each.as_ref().map(|(k, v)| (k, v)),
                            ..Scope::module(p)
                        };
                        let what = format!("argument `{}` of module `{}`", var.name, call.name);
                        Some(self.eval_noted(&a.expr, &scope, &what, &a.loc))
                    }
                    None => None,
                }
            }
        };
        // A non-nullable variable given null takes its default, as if it were not given.
        let given = given.filter(|v| var.nullable || !v.is_null());
        let from_user = given.is_some() && self.insts[inst].parent.is_none();
        let value = match given {
            Some(v) => v,
            None => match &var.default {
                Some(d) => {
                    let what = format!("the default of variable `{}`", var.name);
                    self.eval_noted(d, &Scope::constant(), &what, &var.loc)
                }
                None => {
                    return Value::unknown(match self.insts[inst].parent {
                        None => format!(
                            "variable `{}` has no value (set it with --var or a .tfvars file)",
                            var.name
                        ),
                        Some((p, ci)) => format!(
                            "module `{}` does not set its required variable `{}`",
                            self.insts[p].cfg.calls[ci].name, var.name
                        ),
                    })
                }
            },
        };
        let Some(ty) = &var.ty else {
            return value;
        };
        let ty = match self.parse_type(ty) {
            Ok(t) => t,
            Err(e) => {
                self.notes.push(format!(
                    "{}:{}:{}: variable `{}`: the type constraint is not understood ({e}); the value is used as given",
                    var.loc.file, var.loc.line, var.loc.column, var.name
                ));
                return value;
            }
        };
        match types::convert(value, &ty) {
            Ok(v) => v,
            Err(e) => {
                match self.root_var_sources.get(&var.name) {
                    // A value the user gave for a root variable: Terraform refuses to plan.
                    Some(source) if from_user && self.fatal.is_none() => {
                        self.fatal = Some(format!(
                            "{source}: invalid value for variable `{}` (declared at {}:{}:{}): {e}",
                            var.name, var.loc.file, var.loc.line, var.loc.column
                        ));
                    }
                    _ => self.notes.push(format!(
                        "{}:{}:{}: variable `{}`: invalid value: {e}",
                        var.loc.file, var.loc.line, var.loc.column, var.name
                    )),
                }
                Value::unknown(format!("variable `{}` has an invalid value: {e}", var.name))
            }
        }
    }

    pub(crate) fn parse_type(&mut self, e: &Expression) -> Result<types::Type, String> {
        let mut eval_default = |d: &Expression| match self.eval(d, &Scope::constant()) {
            Ok(v) => v,
            Err(e) => Value::unknown(format!("an optional attribute's default: {e}")),
        };
        types::parse(e, &mut eval_default)
    }

    /// The value given for a root variable, from `.tfvars`, `--var`, `TF_VAR_*`.
    fn root_var_given(&mut self, cfg: &ModuleConfig, vi: usize) -> Option<Value> {
        let var = &cfg.variables[vi];
        let raw = self.root_vars.get(&var.name)?.clone();
        Some(match raw {
            RawVar::Value(v) => v,
            RawVar::Expr { expr, loc } => {
                let what = format!("variable `{}`", var.name);
                self.eval_noted(&expr, &Scope::constant(), &what, &loc)
            }
            RawVar::Text { text, source } => {
                // As Terraform: the text is taken literally for a variable without a type or
                // with a primitive one, and parsed as HCL for the others (`any` included). For
                // a type constraint pullpath does not understand, text that looks like HCL is
                // parsed.
                let parse = match &var.ty {
                    None => false,
                    Some(t) => match self.parse_type(t) {
                        Ok(ty) => !ty.is_primitive(),
                        Err(_) => looks_like_hcl(&text),
                    },
                };
                if !parse {
                    Value::String(text)
                } else {
                    match super::syntax::parse_expr(&text) {
                        Ok(e) => match self.eval(&e, &Scope::constant()) {
                            Ok(v) => v,
                            Err(EvalError(msg)) => {
                                self.notes.push(format!(
                                    "variable `{}` (from {source}): {msg}",
                                    var.name
                                ));
                                Value::unknown(format!(
                                    "variable `{}` (from {source}) cannot be evaluated: {msg}",
                                    var.name
                                ))
                            }
                        },
                        Err(e) => {
                            self.notes.push(format!(
                                "variable `{}` (from {source}): the value is not valid HCL: {}",
                                var.name, e.message
                            ));
                            Value::unknown(format!(
                                "variable `{}` (from {source}) is not valid HCL",
                                var.name
                            ))
                        }
                    }
                }
            }
        })
    }

    pub(crate) fn local_value(&mut self, inst: usize, name: &str) -> R {
        match self.insts[inst].locals.get(name) {
            Some(Slot::Done(v)) => return Ok(v.clone()),
            Some(Slot::InProgress) => {
                return Ok(Value::unknown(format!("local `{name}` depends on itself")))
            }
            None => {}
        }
        let cfg = self.insts[inst].cfg.clone();
        let Some(l) = cfg.locals.get(name) else {
            return err(format!(
                "reference to undeclared local value `{name}` in {}",
                cfg.dir
            ));
        };
        self.insts[inst]
            .locals
            .insert(name.to_string(), Slot::InProgress);
        let what = format!("local `{name}`");
        let v = self.eval_noted(&l.expr, &Scope::module(inst), &what, &l.loc);
        self.insts[inst]
            .locals
            .insert(name.to_string(), Slot::Done(v.clone()));
        Ok(v)
    }

    fn output_value(&mut self, inst: usize, name: &str) -> R {
        match self.insts[inst].outputs.get(name) {
            Some(Slot::Done(v)) => return Ok(v.clone()),
            Some(Slot::InProgress) => {
                return Ok(Value::unknown(format!("output `{name}` depends on itself")))
            }
            None => {}
        }
        let cfg = self.insts[inst].cfg.clone();
        let Some(o) = cfg.outputs.get(name) else {
            return err(format!(
                "{} has no output `{name}`",
                display_module(&self.insts[inst].addr)
            ));
        };
        let Some(e) = &o.value else {
            return Ok(Value::Null);
        };
        self.insts[inst]
            .outputs
            .insert(name.to_string(), Slot::InProgress);
        let what = format!("output `{name}`");
        let v = self.eval_noted(e, &Scope::module(inst), &what, &o.loc);
        self.insts[inst]
            .outputs
            .insert(name.to_string(), Slot::Done(v.clone()));
        Ok(v)
    }

    // ---- module calls ----

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
                self.notes.push(format!(
                    "{}:{}:{}: {r}; its resources are not read",
                    call.loc.file, call.loc.line, call.loc.column
                ));
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
            &what,
        ) {
            Ok(k) => k,
            Err(e) => return self.not_expanded(e),
        };
        let Keys {
            mode,
            keys,
            undecided,
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
                    let me = self.may_exist(&m.addr, reason, parent_may_exist.as_ref());
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

    /// A resource or module call whose instances are not read: an error that stops the input
    /// (see `fatal`).
    fn not_expanded<T>(&mut self, e: KeyError) -> Expansion<T> {
        let KeyError(reason, at) = e;
        if self.fatal.is_none() {
            self.fatal = Some(format!("{}:{}:{}: {reason}", at.file, at.line, at.column));
        }
        Expansion::Unknown(reason)
    }

    /// Why the instance `what` (with key `[*]`) may exist: its own block's undecided
    /// `count` / `for_each`, and that of the module instance holding it, if any.
    fn may_exist(&self, what: &str, reason: String, outer: Option<&MayExist>) -> MayExist {
        MayExist {
            what: what.to_string(),
            reason: match outer {
                Some(o) => format!("{reason}; and {o}"),
                None => reason,
            },
        }
    }

    /// Records a block whose instances are not decided: for the reports' summary, and as a note
    /// on the input naming the place.
    fn note_not_expanded(&mut self, me: &MayExist, block: &Location) {
        self.notes.push(format!(
            "{}:{}:{}: {}; pullpath reads it as one instance, {}, that may exist: every verdict \
             that depends on it is unknown",
            block.file, block.line, block.column, me.reason, me.what
        ));
        self.not_expanded.push(me.clone());
    }

    /// Evaluates `count` / `for_each` into instance keys (and `each.value`s). What the input
    /// does not decide is not an error: the known keys (a set with one unknown element still
    /// has its known ones) and one instance with the key [`InstanceKey::Unknown`] that may
    /// exist, with the reason.
    fn instance_keys(
        &mut self,
        inst: usize,
        count: Option<(&Expression, &Location)>,
        for_each: Option<(&Expression, &Location)>,
        what: &str,
    ) -> Result<Keys, KeyError> {
        let scope = Scope::module(inst);
        let undecided = |mode: Mode, each: Option<Value>, reason: String| Keys {
            mode,
            keys: vec![(Some(InstanceKey::Unknown), each)],
            undecided: Some(reason),
        };
        if let Some((e, loc)) = count {
            let v = self.eval_noted(e, &scope, &format!("`count` of {what}"), loc);
            if is_undecided(&v) {
                return Ok(undecided(
                    Mode::Count,
                    None,
                    format!(
                        "`count` of {what} is not known before apply ({})",
                        unknown_from(&v).undecided_reason().unwrap_or_default()
                    ),
                ));
            }
            let n = match super::eval::to_number(&v) {
                Ok(n) if n >= 0.0 && n.fract() == 0.0 => n,
                _ => {
                    return Err(KeyError(
                        format!(
                            "`count` of {what} must be a whole number (0 or more); found {}",
                            describe(&v)
                        ),
                        loc.clone(),
                    ))
                }
            };
            if n > MAX_INSTANCES as f64 {
                return Err(KeyError(
                    format!(
                        "`count` of {what} is {n}, more than the {MAX_INSTANCES} instances of one \
                         resource or module call pullpath reads"
                    ),
                    loc.clone(),
                ));
            }
            let n = n as usize;
            return Ok(Keys {
                mode: Mode::Count,
                keys: (0..n)
                    .map(|i| (Some(InstanceKey::Int(i as i64)), None))
                    .collect(),
                undecided: None,
            });
        }
        let Some((e, loc)) = for_each else {
            return Ok(Keys {
                mode: Mode::Single,
                keys: vec![(None, None)],
                undecided: None,
            });
        };
        let v = self.eval_noted(e, &scope, &format!("`for_each` of {what}"), loc);
        let not_known = |x: &Value| {
            format!(
                "`for_each` of {what} is not known before apply ({})",
                unknown_from(x).undecided_reason().unwrap_or_default()
            )
        };
        let mut extra: Option<(Value, String)> = None;
        let mut keys: Vec<(Option<InstanceKey>, Option<Value>)> = match &v {
            Value::Object(m) => m
                .iter()
                .map(|(k, x)| (Some(InstanceKey::Str(k.to_string())), Some(x.clone())))
                .collect(),
            Value::List(items) => {
                let mut keys: Vec<String> = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => keys.push(s.clone()),
                        // The known elements are instances whatever the unknown ones turn out
                        // to be (an unknown one may equal a known one, or add an instance).
                        x if is_undecided(x) => {
                            if extra.is_none() {
                                extra = Some((x.clone(), not_known(x)));
                            }
                        }
                        Value::Number(_) | Value::Bool(_) => {
                            keys.push(super::eval::to_text(item).unwrap_or_default())
                        }
                        other => {
                            return Err(KeyError(
                                format!(
                                    "`for_each` of {what} must be a map or a set of strings; \
                                     found a list holding {}",
                                    describe(other)
                                ),
                                loc.clone(),
                            ))
                        }
                    }
                }
                keys.sort();
                keys.dedup();
                keys.into_iter()
                    .map(|k| (Some(InstanceKey::Str(k.clone())), Some(Value::String(k))))
                    .collect()
            }
            x if is_undecided(x) => {
                return Ok(undecided(
                    Mode::ForEach,
                    Some(unknown_from(x)),
                    not_known(x),
                ));
            }
            other => {
                return Err(KeyError(
                    format!(
                        "`for_each` of {what} must be a map or a set of strings; found {}",
                        describe(other)
                    ),
                    loc.clone(),
                ))
            }
        };
        if keys.len() > MAX_INSTANCES {
            return Err(KeyError(
                format!(
                    "`for_each` of {what} has {} elements, more than the {MAX_INSTANCES} \
                     instances of one resource or module call pullpath reads",
                    keys.len()
                ),
                loc.clone(),
            ));
        }
        let undecided = extra.map(|(each, reason)| {
            keys.push((Some(InstanceKey::Unknown), Some(each)));
            reason
        });
        Ok(Keys {
            mode: Mode::ForEach,
            keys,
            undecided,
        })
    }

    // ---- resources ----

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
            Expansion::Known(_, list)
                if list.iter().any(|x| x.key == Some(InstanceKey::Unknown)) =>
            {
                let reason = list
                    .iter()
                    .find(|x| x.key == Some(InstanceKey::Unknown))
                    .and_then(|x| x.may_exist.as_ref())
                    .map(|m| m.reason.clone())
                    .unwrap_or_default();
                Value::unknown(reason)
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
            &base,
        ) {
            Ok(k) => k,
            Err(e) => return self.not_expanded(e),
        };
        let Keys {
            mode,
            keys,
            undecided,
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
            let may_exist = if key == Some(InstanceKey::Unknown) {
                let reason = undecided.clone().unwrap_or_default();
                let me = self.may_exist(&address, reason, module_may_exist.as_ref());
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
                    attr: Some(attr.to_string()),
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
                                attr: Some(attr.to_string()),
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
                attr: Some(attr.to_string()),
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
                    (Mode::Count, Some(InstanceKey::Unknown)) => (
                        Some(Value::unknown(format!(
                            "`count.index` of {} is not known",
                            x.address
                        ))),
                        None,
                    ),
                    (Mode::ForEach, Some(InstanceKey::Unknown)) => {
                        let why = format!("`each.key` of {} is not known", x.address);
                        let value = x
                            .each
                            .clone()
                            .unwrap_or_else(|| Value::unknown(why.clone()));
                        (None, Some((Value::unknown(why), value)))
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
        let address = self.instance_address(inst, ri, i);
        let v = self.with_instance_scope(inst, ri, i, |st, scope| match kind {
            MemberKind::Attr(j) => {
                let a = &r.body.attrs[*j];
                st.eval_noted(&a.expr, scope, &format!("{address}.{name}"), &a.loc)
            }
            MemberKind::Blocks => st.blocks_value(&r.body, name, scope, &address),
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
                        other => super::source::literal_string(other),
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
    fn computed(&mut self, inst: usize, ri: usize, i: usize) -> Value {
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
                Some(t) if super::eval::first_undecided(t).is_some() => unknown_from(t),
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
    fn configured_values(&mut self, inst: usize, ri: usize, i: usize) -> crate::model::value::Map {
        let n = self.insts[inst].cfg.resources[ri].members.len();
        let mut m = crate::model::value::Map::new();
        for j in 0..n {
            let v = self.member_value(inst, ri, i, j);
            if !v.is_null() {
                let name = self.insts[inst].cfg.resources[ri].members[j].0.clone();
                m.insert(name.into(), v);
            }
        }
        m
    }

    // ---- providers ----

    /// The region of the provider configuration a resource uses: its own `region` argument
    /// (AWS provider 6), else its provider's `region`.
    fn resource_region(
        &mut self,
        inst: usize,
        ri: usize,
        values: &crate::model::value::Map,
    ) -> Option<Value> {
        let r = &self.insts[inst].cfg.resources[ri];
        if !r.rtype.starts_with("aws_") {
            return None;
        }
        if let Some(v @ Value::String(_)) = values.get("region") {
            return Some(v.clone());
        }
        let key = r.provider.clone().unwrap_or_else(|| "aws".to_string());
        if !(key == "aws" || key.starts_with("aws.")) {
            return None;
        }
        self.provider_region(inst, &key)
    }

    /// The `region` of provider `key` (`aws`, `aws.west`) as seen from module instance `inst`,
    /// following `providers = { … }` and the implicit inheritance of default providers.
    pub(crate) fn provider_region(&mut self, inst: usize, key: &str) -> Option<Value> {
        let memo_key = (inst, key.to_string());
        if let Some(v) = self.provider_memo.get(&memo_key) {
            return v.clone();
        }
        self.provider_memo.insert(memo_key.clone(), None);
        let cfg = self.insts[inst].cfg.clone();
        let v = if let Some(p) = cfg.provider(key) {
            match &p.region {
                Some(e) => {
                    let what = format!("the region of provider `{key}`");
                    let v = self.eval_noted(e, &Scope::module(inst), &what, &p.loc);
                    (!v.is_null()).then_some(v)
                }
                None => None,
            }
        } else if let Some((p, ci)) = self.insts[inst].parent {
            let pcfg = self.insts[p].cfg.clone();
            let call = &pcfg.calls[ci];
            match call.providers.iter().find(|(k, _)| k == key) {
                Some((_, to)) => self.provider_region(p, to),
                None if !key.contains('.') => self.provider_region(p, key),
                None => None,
            }
        } else {
            None
        };
        self.provider_memo.insert(memo_key, v.clone());
        v
    }

    // ---- emitting the model ----

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
        self.budget_fatal();
        out
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
            let mut values = self.configured_values(inst, ri, i);
            if r.data && data::computes_any(&r.rtype) {
                if let Value::Object(c) = self.computed(inst, ri, i) {
                    for (k, v) in c {
                        values.get_or_insert_with(k, || v);
                    }
                }
            }
            let region = self
                .resource_region(inst, ri, &values)
                .and_then(|v| v.as_str().map(str::to_string));
            out.resources.push(Resource {
                input,
                address: ri_inst.address.clone(),
                addr,
                values: Value::Object(values),
                location: Some(r.loc.clone()),
                region,
                suppressions: r.suppressions.clone(),
                attr_locations: r.member_locations(),
                may_exist: ri_inst.may_exist.clone(),
            });
        }
    }
}

/// A value in an error message: its type, and the value itself when it is short.
fn describe(v: &Value) -> String {
    let ty = types::type_name(v);
    let article = if ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    match v {
        Value::Null => "null".to_string(),
        Value::String(s) if s.chars().count() <= 40 => format!("a string ({s:?})"),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("the bool {b}"),
        _ => format!("{article} {ty}"),
    }
}

/// Whether `--var` text looks like an HCL value rather than a plain string.
fn looks_like_hcl(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('[') || t.starts_with('{') || t.starts_with('"')
}

fn display_module(addr: &str) -> String {
    if addr.is_empty() {
        "the root module".to_string()
    } else {
        addr.to_string()
    }
}

/// A handle for a resource or module instance.
fn handle(address: &str) -> Value {
    Value::reference(
        vec![Target {
            address: address.to_string(),
            attr: None,
        }],
        true,
        None,
    )
}

/// The value of a reference to all instances: the one instance, a list (`count`), or an object
/// by key (`for_each`).
fn materialize(mode: Mode, items: impl Iterator<Item = (Option<InstanceKey>, Value)>) -> Value {
    match mode {
        Mode::Single => items.map(|(_, v)| v).next().unwrap_or(Value::Null),
        Mode::Count => Value::List(items.map(|(_, v)| v).collect()),
        Mode::ForEach => Value::Object(
            items
                .map(|(k, v)| (k.map(|k| k.as_text()).unwrap_or_default(), v))
                .collect(),
        ),
    }
}
