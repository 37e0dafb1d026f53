//! Module instances, resource instances and their lazily evaluated values.
//!
//! Terraform evaluates a configuration as a graph; pullpath does the same lazily: a variable,
//! local, output, `count`/`for_each`, or resource attribute is evaluated the first time
//! something refers to it and memoized. A reference cycle (invalid in Terraform) gives an
//! Unknown instead of recursing forever, and [`crate::hcl::eval::MAX_DEPTH`] bounds how deep a chain
//! of references may go.
//!
//! A resource instance referred to as a whole (`aws_subnet.a`, `aws_subnet.private[0]`) is
//! represented by a [`Value::Ref`] without an attribute — a handle; reading an attribute from
//! a handle gives the configured value, or a `Ref` to that attribute when the configuration
//! does not set it. Module instances use handles too (`module.vpc`), whose attributes are the
//! module's outputs.
//!
//! The files: the state and its handles here; [`expansion`] (`count` / `for_each` into
//! instance keys), [`modules`] (module calls and their instances), [`resources`] (resource
//! instances and their attributes), [`variables`] (variables, locals, outputs), [`providers`]
//! (the region of a resource's provider), [`files`] (what the file functions may read),
//! [`emit`] (the model's resources), [`notes`] (notes on the input).

mod emit;
mod expansion;
mod files;
mod modules;
mod notes;
mod providers;
mod resources;
mod variables;

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use hcl::edit::expr::Expression;

use super::config::ModuleConfig;
use super::eval::{EvalError, Scope};
use super::vars::RawVar;
use crate::model::address::{InstanceKey, ModuleStep};
use crate::model::{Location, MayExist, Resource, Target, Value};

pub(crate) use self::notes::Notes;

/// The most instances of one resource or module call (`count`/`for_each`) pullpath expands.
pub(crate) const MAX_INSTANCES: usize = 10_000;
/// The most module instances and resource instances of one root module, counted across all
/// module instances as they are expanded (crossing one is an error, before any resource is
/// built: time and memory stay bounded whatever the nesting of `count`/`for_each`).
pub(crate) const MAX_MODULE_INSTANCES: usize = 10_000;
pub(crate) const MAX_RESOURCE_INSTANCES: usize = 500_000;

/// A memoized value, or the mark that it is being computed (a reference back to it then is a
/// cycle).
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
    /// The instance that stands for those of an undecided `count`: the name of that `count`
    /// among the blocks of its module instance (see `expansion::count_group`).
    pub group: Option<String>,
}

/// Where a module call's configuration comes from.
#[derive(Debug, Clone)]
pub(crate) enum ChildSource {
    Loaded(std::sync::Arc<ModuleConfig>),
    /// Not installed or not readable: outputs are Unknown with this reason.
    Missing(String),
}

pub(crate) struct ModInst {
    pub cfg: std::sync::Arc<ModuleConfig>,
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
    vars: crate::hash::FastMap<usize, Slot>,
    locals: crate::hash::FastMap<String, Slot>,
    outputs: crate::hash::FastMap<String, Slot>,
    calls: Vec<Option<Rc<Expansion<usize>>>>,
    res: Vec<Option<Rc<Expansion<ResInst>>>>,
}

impl ModInst {
    fn new(cfg: std::sync::Arc<ModuleConfig>) -> Self {
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
            vars: Default::default(),
            locals: Default::default(),
            outputs: Default::default(),
            calls: vec![None; nc],
            res: vec![None; nr],
        }
    }
}

/// What the address of a handle stands for: a resource instance (module instance, resource,
/// instance index) or a module instance.
#[derive(Clone, Copy, Debug)]
enum Handle {
    Res { inst: usize, res: usize, i: usize },
    Mod { inst: usize },
}

/// The evaluation state of one root module and everything it calls.
pub(crate) struct State {
    pub insts: Vec<ModInst>,
    /// Module call configurations by call path (`a.b`).
    pub children: HashMap<String, ChildSource>,
    /// Values for the root module's variables, as given (`.tfvars`, `--var`, `TF_VAR_*`).
    pub root_vars: HashMap<String, RawVar>,
    handles: crate::hash::FastMap<String, Handle>,
    attr_memo: crate::hash::FastMap<(usize, usize, usize, usize), Slot>,
    provider_memo: crate::hash::FastMap<(usize, String), Option<Value>>,
    pub notes: Notes,
    pub depth: usize,
    /// The root module directory as shown.
    pub root_dir: String,
    /// `path.cwd`: the root module directory, absolute when it can be made so.
    pub cwd: String,
    /// `terraform.workspace`, and how it was chosen (see [`selected_workspace`]): said in a
    /// note the first time the configuration reads it.
    pub workspace: (String, String),
    /// `--region`: assumed for data sources where no provider region is configured.
    pub region_fallback: Option<String>,
    /// See [`crate::hcl::HclOptions::only_read_attributes`].
    pub only_read_attributes: bool,
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

/// The member index under which the computed values of a data source are memoized.
const ATTR_COMPUTED: usize = usize::MAX;

impl State {
    pub fn new(root: std::sync::Arc<ModuleConfig>, root_dir: &str) -> Self {
        let cwd = std::fs::canonicalize(root_dir)
            .ok()
            .and_then(|p| p.to_str().map(|s| s.replace('\\', "/")))
            .unwrap_or_else(|| root_dir.to_string());
        State {
            insts: vec![ModInst::new(root)],
            children: HashMap::new(),
            root_vars: HashMap::new(),
            handles: Default::default(),
            attr_memo: Default::default(),
            provider_memo: Default::default(),
            notes: Notes::default(),
            depth: 0,
            root_dir: root_dir.to_string(),
            cwd,
            workspace: selected_workspace(root_dir),
            region_fallback: None,
            only_read_attributes: false,
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

    /// Evaluates an expression where a failure is not fatal: errors become Unknown with a note
    /// naming the place.
    fn eval_noted(&mut self, e: &Expression, s: &Scope<'_>, what: &str, loc: &Location) -> Value {
        self.eval_noted_by(e, s, || what.to_string(), loc)
    }

    /// [`State::eval_noted`], the place named only when a note needs it (an attribute of
    /// every resource instance is evaluated: its name is written out only on a failure).
    fn eval_noted_by(
        &mut self,
        e: &Expression,
        s: &Scope<'_>,
        what: impl Fn() -> String,
        loc: &Location,
    ) -> Value {
        let r = self.eval(e, s);
        // The innermost attribute being evaluated when the budget ran out names the place
        // (evaluation may have gone on a little after it, where an error is not fatal).
        if let Some(why) = &self.budget.spent {
            if !self.budget.located {
                self.budget.located = true;
                let msg = format!(
                    "{}: {}: evaluation stopped: {why}, in `{}`; pullpath stops \
                     reading this configuration",
                    loc,
                    what(),
                    super::eval::quote_expr(e)
                );
                // Past the budget the input is not read, whatever else went wrong first.
                self.fatal = Some(msg);
            }
        }
        match r {
            Ok(v) => v,
            Err(EvalError(msg)) => {
                let what = what();
                self.notes.push(format!("{}: {what}: {msg}", loc));
                Value::unknown(format!("{what} cannot be evaluated: {msg}"))
            }
        }
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

/// Longest content of `.terraform/environment` read (a workspace name is short).
const MAX_ENVIRONMENT_BYTES: u64 = 256;

/// The workspace `terraform plan` would use in `root_dir`, and how it was chosen: the
/// `TF_WORKSPACE` environment variable, else the one `terraform workspace select` recorded in
/// the data directory (`$TF_DATA_DIR/environment`, `.terraform/environment` by default), else
/// `default`. The file comes from the checked-out input: it is read only when it is a regular
/// file (not a link) of a few bytes holding a workspace name, else `default` is taken and said.
pub(crate) fn selected_workspace(root_dir: &str) -> (String, String) {
    if let Some(w) = std::env::var("TF_WORKSPACE").ok().filter(|w| !w.is_empty()) {
        return (w, "from TF_WORKSPACE".to_string());
    }
    let data_dir = std::env::var("TF_DATA_DIR")
        .ok()
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| ".terraform".to_string());
    let file = super::paths::join_display(root_dir, &format!("{data_dir}/environment"));
    let default = |why: String| ("default".to_string(), why);
    let meta = match std::fs::symlink_metadata(&file) {
        Ok(m) => m,
        Err(_) => {
            return default(format!(
                "no TF_WORKSPACE and no {file}; set TF_WORKSPACE to check another workspace"
            ))
        }
    };
    if !meta.file_type().is_file() || meta.len() > MAX_ENVIRONMENT_BYTES {
        return default(format!(
            "{file} is not a small regular file and is not read; set TF_WORKSPACE"
        ));
    }
    let name = std::fs::read_to_string(&file).unwrap_or_default();
    let name = name.trim();
    let valid = !name.is_empty()
        && name.len() <= 90
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if valid {
        (name.to_string(), format!("selected in {file}"))
    } else {
        default(format!(
            "{file} does not hold a workspace name and is not used; set TF_WORKSPACE"
        ))
    }
}

#[cfg(test)]
mod workspace_tests {
    use super::selected_workspace;

    /// `.terraform/environment` comes with the input: only a small regular file holding a
    /// workspace name is used; a link (to a file of secrets, say) or other text is not read
    /// into the report, and `default` is taken, said in the note.
    #[cfg(unix)]
    #[test]
    fn only_a_workspace_name_in_a_regular_file_is_read() {
        if std::env::var_os("TF_WORKSPACE").is_some() || std::env::var_os("TF_DATA_DIR").is_some() {
            eprintln!("skipped: TF_WORKSPACE or TF_DATA_DIR is set");
            return;
        }
        let root = std::env::temp_dir().join(format!("pullpath-ws-{}", std::process::id()));
        let data = root.join(".terraform");
        std::fs::create_dir_all(&data).unwrap();
        let dir = root.to_str().unwrap();
        assert_eq!(selected_workspace(dir).0, "default");
        std::fs::write(data.join("environment"), "staging\n").unwrap();
        assert_eq!(selected_workspace(dir).0, "staging");
        std::fs::write(
            data.join("environment"),
            "root:x:0:0:root:/root:/bin/bash\n",
        )
        .unwrap();
        let (name, how) = selected_workspace(dir);
        assert_eq!(name, "default");
        assert!(how.contains("does not hold a workspace name"), "{how}");
        assert!(!how.contains("root:x"), "{how}");
        std::fs::remove_file(data.join("environment")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", data.join("environment")).unwrap();
        let (name, how) = selected_workspace(dir);
        assert_eq!(name, "default");
        assert!(how.contains("not a small regular file"), "{how}");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
