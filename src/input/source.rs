//! The configuration a plan was made from (issue 17): which directory it is (`--source`,
//! `source` in `.pullpath.hcl`, `$PULLPATH_SOURCE`; else found), and what it gives a plan's
//! resources: the `.tf` location of each block and of its attributes, and the
//! `# pullpath:ignore` comments written on it.
//!
//! A directory is the source of a plan when its root module declares every resource and
//! module call (with the same `source`) of the plan's `configuration.root_module`. That is a
//! parse of the files, not an evaluation. A directory that declares more than the plan is used,
//! with a note (it was edited after the plan: the plan's values stay the authority, only the
//! locations come from the source); one that lacks part of the plan is not used, with a note
//! saying what it lacks. Nothing is mixed silently.
//!
//! The source also decides what the plan records only by a local's name (its `configuration`
//! keeps no expression for locals): such a top-level attribute is taken from the source,
//! evaluated with the plan's root variable values, for the same instance address (see
//! [`fill_from_source`]). Every value the plan knows stays the plan's.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::hcl::config::ModuleConfig;
use crate::hcl::instance::ChildSource;
use crate::model::{InlineSuppression, InputKind, Location, Model, Value};
use crate::parallel::Release;

/// How the source of a plan is chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SourceChoice {
    /// The plan file's directory, then the directory inputs, then the current directory: the
    /// first whose root module matches the plan.
    #[default]
    Auto,
    /// `--source DIR`: this directory, when it matches.
    Dir(PathBuf),
    /// `--no-source`.
    Off,
}

/// What a plan's `configuration.root_module` declares: resource addresses (`aws_vpc.main`,
/// `data.aws_region.current`) and module calls with their `source`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanConfig {
    pub resources: BTreeSet<String>,
    pub calls: BTreeMap<String, Option<String>>,
    /// The plan's root `variables` values: the source is evaluated with them.
    pub variables: BTreeMap<String, serde_json::Value>,
}

/// A resource block of the source: where it is, its attributes, its inline suppressions.
#[derive(Clone, Debug)]
struct BlockInfo {
    loc: Location,
    attrs: std::sync::Arc<[(String, Location)]>,
    syntax: std::sync::Arc<[(String, crate::model::Syntax)]>,
    suppressions: Vec<InlineSuppression>,
}

/// The declarations of a root module and of every module it calls (parsed, not evaluated).
#[derive(Debug, Default)]
pub struct Declarations {
    root: PlanConfig,
    /// Where the root module calls each module, by call name.
    calls: HashMap<String, Location>,
    /// (module call path without keys — `""` for the root, `a.b` — , `aws_x.y`) -> block.
    blocks: HashMap<(String, String), BlockInfo>,
}

impl Declarations {
    /// Built from the module tree the HCL reader loads (the root, and each call by its path).
    pub(crate) fn from_tree(root: &ModuleConfig, children: &HashMap<String, ChildSource>) -> Self {
        let mut d = Declarations::default();
        for r in &root.resources {
            d.root.resources.insert(r.config_address());
        }
        for c in &root.calls {
            d.root.calls.insert(c.name.clone(), c.source.clone());
            d.calls.insert(c.name.clone(), c.loc.clone());
        }
        d.add_module("", root);
        for (key, child) in children {
            if let ChildSource::Loaded(cfg) = child {
                d.add_module(key, cfg);
            }
        }
        d
    }

    fn add_module(&mut self, key: &str, cfg: &ModuleConfig) {
        for r in &cfg.resources {
            self.blocks.insert(
                (key.to_string(), r.config_address()),
                BlockInfo {
                    loc: r.loc.clone(),
                    attrs: r.locations.clone(),
                    syntax: r.syntax.clone(),
                    suppressions: r.suppressions.clone(),
                },
            );
        }
    }
}

/// Whether a source's root module declares the plan's: `Err` says what it lacks; `Ok` holds
/// what it declares beyond the plan (edited after the plan).
fn compare(plan: &PlanConfig, source: &PlanConfig) -> Result<Vec<String>, String> {
    let mut lacks: Vec<String> = plan
        .resources
        .iter()
        .filter(|r| !source.resources.contains(*r))
        .cloned()
        .collect();
    for (name, src) in &plan.calls {
        match source.calls.get(name) {
            None => lacks.push(format!("module.{name}")),
            Some(s) if s != src => lacks.push(format!(
                "module.{name} with source {}",
                src.as_deref().unwrap_or("(none)")
            )),
            Some(_) => {}
        }
    }
    if !lacks.is_empty() {
        return Err(list(&lacks));
    }
    let mut extra: Vec<String> = source
        .resources
        .iter()
        .filter(|r| !plan.resources.contains(*r))
        .cloned()
        .collect();
    extra.extend(
        source
            .calls
            .keys()
            .filter(|c| !plan.calls.contains_key(*c))
            .map(|c| format!("module.{c}")),
    );
    Ok(extra)
}

/// `a, b, c` (at most 5, then "and N more").
fn list(items: &[String]) -> String {
    let mut s = items
        .iter()
        .take(5)
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > 5 {
        s.push_str(&format!(" and {} more", items.len() - 5));
    }
    s
}

/// A directory as shown: `/` separators, no trailing slash, `.` for the current directory.
fn shown(dir: &Path) -> String {
    let s = super::display_path(&dir.to_string_lossy());
    let t = s.trim_end_matches('/');
    if t.is_empty() {
        if s.starts_with('/') {
            "/".into()
        } else {
            ".".into()
        }
    } else {
        t.to_string()
    }
}

/// The same directory, however it was named.
pub(crate) fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Finds the source of the plan `model` (one input, read from `plan_path`; `None` for standard
/// input) and gives its resources their `.tf` locations and inline suppressions. `dirs`: the
/// directory inputs of the run, candidates after the plan's own directory. Returns the
/// directory used. Notes on the plan's input say which directory was used, or why none was.
/// An error only for `--source DIR` that cannot be read. What is read from the source (parsed,
/// matched, evaluated) is let go of as `release` says.
///
/// `prefetched`: the first candidate directory ([`first_candidate`]), already being parsed.
///
/// When no value of the plan waits for the source's evaluation (it serves only the note on
/// attributes edited after the plan), the evaluation is begun on a thread of its own and
/// returned as a [`Deferred`], whose note [`Deferred::finish`] writes in its place later: the
/// caller goes on with the rest of the run meanwhile.
pub(crate) fn attach(
    model: &mut Model,
    plan_path: Option<&Path>,
    dirs: &[String],
    choice: &SourceChoice,
    release: Release,
    prefetched: Option<crate::hcl::Prefetch>,
) -> Result<(Option<PathBuf>, Option<Deferred>)> {
    if choice == &SourceChoice::Off {
        return Ok((None, None));
    }
    // Each directory is parsed once, for matching and for evaluation.
    crate::hcl::with_reader(release, prefetched, |reader| {
        attach_with(reader, model, plan_path, dirs, choice, release)
    })?
}

/// The comparison of a plan with its source, begun beside the rest of the run (see
/// [`attach`]).
pub(crate) struct Deferred {
    evaluation: crate::hcl::Evaluation,
    /// The source directory as notes show it.
    shown: String,
    /// Where the note goes among the plan input's notes: where [`attach`] would have put it.
    position: usize,
    release: Release,
}

impl Deferred {
    /// Waits for the evaluation, compares it with the resources of input `input` of `model`,
    /// and writes the note, if any, in its place among that input's notes.
    pub(crate) fn finish(self, model: &mut Model, input: usize) {
        let note = match self.evaluation.join() {
            Ok(source) => {
                let by_address = by_address(&source);
                let note = edited_note(&self.shown, model, input, &by_address);
                drop(by_address);
                self.release.release(source);
                note
            }
            Err(e) => Some(not_evaluated(&self.shown, &e)),
        };
        if let Some(note) = note {
            let notes = &mut model.inputs[input].notes;
            notes.insert(self.position.min(notes.len()), note);
        }
        crate::timings::mark("source: evaluated beside the run, compared with the plan");
    }
}

/// The note for a source that could not be evaluated, when only the comparison needed it.
fn not_evaluated(shown: &str, e: &anyhow::Error) -> String {
    format!("{shown} could not be evaluated to compare it with the plan ({e:#})")
}

/// The evaluated source's resources by address.
fn by_address(source: &Model) -> HashMap<&str, &crate::model::Resource> {
    source
        .resources
        .iter()
        .map(|r| (r.address.as_str(), r))
        .collect()
}

/// The note on the attributes where the evaluated source (`source`, [`by_address`]) and the
/// plan input `input` of `model` differ (see [`differences`]); none where they do not.
fn edited_note(
    shown: &str,
    model: &Model,
    input: usize,
    source: &HashMap<&str, &crate::model::Resource>,
) -> Option<String> {
    let differ = differences(model, input, source);
    (!differ.is_empty()).then(|| {
        format!(
            "{shown} differs from the plan at {}: the configuration was edited after the plan; the plan's values are checked",
            list(&differ)
        )
    })
}

fn attach_with(
    reader: &mut crate::hcl::Reader,
    model: &mut Model,
    plan_path: Option<&Path>,
    dirs: &[String],
    choice: &SourceChoice,
    release: Release,
) -> Result<(Option<PathBuf>, Option<Deferred>)> {
    let Some(info) = model.inputs.first() else {
        return Ok((None, None));
    };
    if info.kind != InputKind::Plan {
        return Ok((None, None));
    }
    let plan_config = info.plan_config.clone();
    let mut notes: Vec<String> = Vec::new();
    let used = match choice {
        SourceChoice::Off => None,
        SourceChoice::Dir(dir) => {
            let s = shown(dir);
            if !dir.is_dir() {
                bail!("--source {s}: not a directory");
            }
            match crate::hcl::has_config_files(dir) {
                Ok(true) => {}
                Ok(false) => bail!(
                    "--source {s}: no Terraform configuration files (*.tf, *.tf.json, *.tofu) in this directory"
                ),
                Err(e) => bail!("--source {s}: cannot read: {e}"),
            }
            match try_dir(reader, dir, plan_config.as_deref()) {
                Ok((decl, extra)) => Some((dir.clone(), decl, extra)),
                Err(why) => {
                    notes.push(format!(
                        "{s} (--source) is not the configuration of this plan: {why}; not used, findings point at the plan"
                    ));
                    None
                }
            }
        }
        SourceChoice::Auto => {
            let mut candidates: Vec<PathBuf> = vec![plan_dir(plan_path)];
            candidates.extend(dirs.iter().map(PathBuf::from));
            candidates.push(PathBuf::from("."));
            let mut tried: Vec<PathBuf> = Vec::new();
            let mut found = None;
            for c in candidates {
                if tried.iter().any(|t| same_dir(t, &c) || *t == c) {
                    continue;
                }
                tried.push(c.clone());
                if !matches!(crate::hcl::has_config_files(&c), Ok(true)) {
                    continue;
                }
                match try_dir(reader, &c, plan_config.as_deref()) {
                    Ok((decl, extra)) => {
                        found = Some((c, decl, extra));
                        break;
                    }
                    Err(why) => notes.push(format!(
                        "{} is not the configuration of this plan: {why}; not used as its source (give --source DIR)",
                        shown(&c)
                    )),
                }
            }
            if found.is_some() {
                // Directories passed over before the one found are not worth a note.
                notes.clear();
            }
            found
        }
    };
    let Some((dir, decl, extra)) = used else {
        model.inputs[0].notes.extend(notes);
        return Ok((None, None));
    };
    crate::timings::mark("source: configuration parsed and matched");
    let s = shown(&dir);
    let mut placed = 0usize;
    let mut missing: Vec<String> = Vec::new();
    for r in &mut model.resources {
        let key = (
            r.addr
                .module
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join("."),
            r.addr.resource_config(),
        );
        match decl.blocks.get(&key) {
            Some(b) => {
                placed += 1;
                let module_call = r
                    .addr
                    .module
                    .first()
                    .and_then(|m| decl.calls.get(&m.name))
                    .cloned();
                let source = r.source_mut();
                source.location = Some(b.loc.clone());
                source.attr_locations = b.attrs.clone();
                source.attr_syntax = b.syntax.clone();
                source.suppressions = b.suppressions.clone();
                source.module_call = module_call;
            }
            None => missing.push(r.address.clone()),
        }
    }
    let mut note = format!(
        "configuration read from {s}: {placed} resource(s) of the plan located in its .tf files"
    );
    if !missing.is_empty() {
        missing.sort();
        note.push_str(&format!(
            "; not found there (a module that is not installed?): {}",
            list(&missing)
        ));
    }
    notes.push(note);
    if !extra.is_empty() {
        notes.push(format!(
            "{s} declares {}, which the plan does not: the configuration was edited after the plan; the plan's values are used",
            list(&extra)
        ));
    }
    let mut deferred = None;
    if let Some(plan) = &plan_config {
        let (more, later) = fill_from_source(reader, model, &dir, plan, release);
        notes.extend(more);
        deferred = later;
    }
    release.release(decl);
    model.inputs[0].notes.extend(notes);
    if let Some(d) = &mut deferred {
        // Its note comes after every note above, as it would have.
        d.position = model.inputs[0].notes.len();
    }
    crate::timings::mark("source: notes");
    Ok((Some(dir), deferred))
}

/// The plan file's directory (`.` for a file named without one, and for standard input).
fn plan_dir(plan_path: Option<&Path>) -> PathBuf {
    match plan_path.and_then(Path::parent) {
        Some(p) if p.as_os_str().is_empty() => PathBuf::from("."),
        Some(p) => p.to_path_buf(),
        None => PathBuf::from("."),
    }
}

/// The directory [`attach`] tries first as the source of a plan read from `plan_path`: the one
/// given with `--source`, else the plan's own directory; `None` with `--no-source`.
pub fn first_candidate(plan_path: Option<&Path>, choice: &SourceChoice) -> Option<PathBuf> {
    match choice {
        SourceChoice::Off => None,
        SourceChoice::Dir(dir) => Some(dir.clone()),
        SourceChoice::Auto => Some(plan_dir(plan_path)),
    }
}

/// Why the plan reader leaves a value undecided when only the configuration knows it: the
/// plan's `configuration` records a local's name, never its expression (see `resolve`).
const NOT_RECORDED: &str = "which a plan does not record";

/// Whether a value holds an Unknown anywhere (a Ref is decided: it names what it is).
fn has_unknown(v: &Value) -> bool {
    match v {
        Value::Unknown(_) => true,
        Value::List(items) => items.iter().any(has_unknown),
        Value::Object(m) => m.iter().any(|(_, v)| has_unknown(v)),
        _ => false,
    }
}

/// Item 2 of issue 17, its simplest sound part: a top-level attribute that the plan leaves
/// undecided only because it goes through a local (which the plan does not record) is taken
/// from the source, evaluated by the HCL reader with the plan's root variable values, when the
/// source decides it for the same instance address. Every value the plan knows stays the
/// plan's. Returns the notes that say what was filled; when nothing is to be filled, the
/// evaluation is begun on a thread of its own instead, returned to be finished later (see
/// [`attach`]).
fn fill_from_source(
    reader: &mut crate::hcl::Reader,
    model: &mut Model,
    dir: &Path,
    plan: &PlanConfig,
    release: Release,
) -> (Vec<String>, Option<Deferred>) {
    let wanted: Vec<(usize, String)> = model
        .resources
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            let Value::Object(m) = &r.values else {
                return Vec::new();
            };
            m.iter()
                .filter(|(_, v)| matches!(v, Value::Unknown(u) if u.reason.contains(NOT_RECORDED)))
                .map(|(k, _)| (i, k.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    let s = shown(dir);
    crate::timings::mark("source: locations placed");
    if wanted.is_empty() {
        if let Some(evaluation) = reader.load_root_module_apart(dir, &evaluation_options(plan)) {
            crate::timings::mark("source: evaluation begun beside the run");
            let later = Deferred {
                evaluation,
                shown: s,
                position: 0,
                release,
            };
            return (Vec::new(), Some(later));
        }
    }
    let source = match evaluate(reader, dir, plan) {
        Ok(m) => m,
        Err(e) if wanted.is_empty() => return (vec![not_evaluated(&s, &e)], None),
        Err(e) => {
            let note = format!(
                "{s} could not be evaluated to decide what the plan leaves out ({e:#}); those values stay unknown"
            );
            return (vec![note], None);
        }
    };
    crate::timings::mark("source: configuration evaluated");
    let by_address = by_address(&source);
    let mut out: Vec<String> = edited_note(&s, model, 0, &by_address).into_iter().collect();
    let mut filled: Vec<String> = Vec::new();
    for (i, attr) in wanted {
        let r = &mut model.resources[i];
        let Some(h) = by_address.get(r.address.as_str()) else {
            continue;
        };
        let v = match h.get(&attr) {
            Some(v) if !has_unknown(v) => v.clone(),
            Some(_) => continue,
            // The source sets it to null (or not at all): the provider's default, as the plan
            // reader reads an attribute the configuration does not set.
            None if matches!(h.values, Value::Object(_)) => Value::not_configured(),
            None => continue,
        };
        if let Value::Object(m) = &mut r.values {
            m.insert(std::borrow::Cow::Owned(attr.clone()), v);
            filled.push(format!("{}.{attr}", r.address));
        }
    }
    if !filled.is_empty() {
        filled.sort();
        out.push(format!(
            "decided from the configuration in {s} (evaluated with the plan's variable values), where the plan records only a local: {}",
            list(&filled)
        ));
    }
    crate::timings::mark("source: compared with the plan");
    // The evaluated source is done with (for a large configuration, freeing it piece by piece
    // takes a tenth of a second).
    drop(by_address);
    release.release(source);
    (out, None)
}

/// The top-level attributes of the managed resources of input `input` that the plan and the
/// evaluated source both know, with different values (`address.attr`, sorted). JSON text (a
/// policy) is compared as the document it encodes, lists of plain values as sets (a plan writes
/// sets sorted).
fn differences(
    model: &Model,
    input: usize,
    source: &HashMap<&str, &crate::model::Resource>,
) -> Vec<String> {
    let mut out = Vec::new();
    for r in &model.resources {
        if r.is_data() || r.input != input {
            continue;
        }
        let (Value::Object(m), Some(h)) = (&r.values, source.get(r.address.as_str())) else {
            continue;
        };
        for (k, v) in m.iter() {
            let Some(hv) = h.get(k) else { continue };
            // The same value is the same JSON (most attributes: no conversion needed).
            if v == hv {
                continue;
            }
            let (Some(a), Some(b)) = (v.to_json(), hv.to_json()) else {
                continue;
            };
            // Nested blocks and objects: the plan fills in every attribute of their schema
            // (`self = false`, `description = ""`), which the configuration leaves out.
            let structured = |j: &serde_json::Value| {
                j.is_object()
                    || j.as_array()
                        .is_some_and(|a| a.iter().any(|i| i.is_object() || i.is_array()))
            };
            if structured(&a) || structured(&b) {
                continue;
            }
            if normalized(a) != normalized(b) {
                out.push(format!("{}.{k}", r.address));
            }
        }
    }
    out.sort();
    out
}

fn normalized(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::String(s) if s.trim_start().starts_with(['{', '[']) => {
            match serde_json::from_str::<J>(&s) {
                Ok(parsed) if is_policy(&parsed) => policy_normalized(parsed),
                Ok(parsed) => normalized(parsed),
                Err(_) => J::String(s),
            }
        }
        J::Object(m) if m.contains_key("Statement") => policy_normalized(J::Object(m)),
        J::Array(items) => {
            let mut items: Vec<J> = items.into_iter().map(normalized).collect();
            if items.iter().all(|i| !i.is_object() && !i.is_array()) {
                items.sort_by_key(|i| i.to_string());
            }
            J::Array(items)
        }
        J::Object(m) => J::Object(m.into_iter().map(|(k, v)| (k, normalized(v))).collect()),
        other => other,
    }
}

/// Whether a JSON value is an IAM policy document (an object with a `Statement`).
fn is_policy(v: &serde_json::Value) -> bool {
    v.as_object().is_some_and(|m| m.contains_key("Statement"))
}

/// A policy document in a form where what IAM reads as the same document is equal: its
/// `Statement`, and each statement's `Action`, `NotAction`, `Resource`, `NotResource`, the
/// principals of each kind and the values of each condition key, are sets (IAM does not read
/// their order, and one value is the same as a list of it), so they are sorted lists.
/// (`aws_iam_policy_document` and `jsonencode` write the same policy in different orders.)
fn policy_normalized(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    /// A set of values: one value or a list of them, as a sorted list without repeats.
    fn set(v: J) -> J {
        let mut items: Vec<J> = match v {
            J::Array(items) => items.into_iter().map(normalized).collect(),
            other => vec![normalized(other)],
        };
        items.sort_by_key(|i| i.to_string());
        items.dedup();
        J::Array(items)
    }
    /// An object whose every member is a set (principals by kind, values by condition key).
    fn sets(v: J) -> J {
        match v {
            J::Object(m) => J::Object(m.into_iter().map(|(k, v)| (k, set(v))).collect()),
            other => normalized(other),
        }
    }
    fn statement(v: J) -> J {
        let J::Object(m) = v else {
            return normalized(v);
        };
        J::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let v = match k.as_str() {
                        "Action" | "NotAction" | "Resource" | "NotResource" => set(v),
                        "Principal" | "NotPrincipal" => sets(v),
                        "Condition" => match v {
                            J::Object(ops) => J::Object(
                                ops.into_iter().map(|(op, keys)| (op, sets(keys))).collect(),
                            ),
                            other => normalized(other),
                        },
                        _ => normalized(v),
                    };
                    (k, v)
                })
                .collect(),
        )
    }
    let J::Object(m) = v else {
        return normalized(v);
    };
    J::Object(
        m.into_iter()
            .map(|(k, v)| {
                if k != "Statement" {
                    return (k, normalized(v));
                }
                let list = match v {
                    J::Array(items) => items,
                    one => vec![one],
                };
                let mut list: Vec<J> = list.into_iter().map(statement).collect();
                list.sort_by_key(|i| i.to_string());
                (k, J::Array(list))
            })
            .collect(),
    )
}

/// The source read by the HCL reader, its root variables given the plan's values (in memory:
/// nothing is written, no temporary file either).
fn evaluate(reader: &mut crate::hcl::Reader, dir: &Path, plan: &PlanConfig) -> Result<Model> {
    reader.load_root_module(dir, &evaluation_options(plan))
}

/// How a plan's source is evaluated: with the plan's root variable values, no `TF_VAR_*`, and
/// only the attributes the plan keeps.
fn evaluation_options(plan: &PlanConfig) -> crate::hcl::HclOptions {
    crate::hcl::HclOptions {
        vars: Vec::new(),
        var_files: Vec::new(),
        plan_variables: plan.variables.clone(),
        env: Some(Vec::new()),
        region: None,
        // The plan keeps only these, and only these are compared with it.
        only_read_attributes: true,
    }
}

/// Parses `dir` and compares it with the plan's configuration.
fn try_dir(
    reader: &mut crate::hcl::Reader,
    dir: &Path,
    plan: Option<&PlanConfig>,
) -> Result<(Declarations, Vec<String>), String> {
    let Some(plan) = plan else {
        return Err("the plan has no `configuration` section to compare it with".into());
    };
    if plan.resources.is_empty() && plan.calls.is_empty() {
        // Any directory would "declare everything the plan does".
        return Err(
            "the plan's configuration declares no resource or module call to compare it with"
                .into(),
        );
    }
    let decl = reader
        .declarations(dir)
        .map_err(|e| format!("it cannot be read ({e:#})"))?;
    let extra =
        compare(plan, &decl.root).map_err(|lacks| format!("it does not declare {lacks}"))?;
    Ok((decl, extra))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// IAM reads a policy's statements, actions, resources, principals and condition values as
    /// sets: a document that differs only in their order, or in one value against a list of
    /// it, is the same document; another value is not.
    #[test]
    fn policy_documents_compare_as_sets() {
        let n = |t: &str| normalized(serde_json::Value::String(t.to_string()));
        let plan = r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"A","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":"arn:aws:s3:::b/*"},
            {"Sid":"B","Effect":"Deny","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"s3:*","Resource":"*",
             "Condition":{"StringNotEquals":{"aws:SourceVpce":["vpce-2","vpce-1"]}}}]}"#;
        let source = r#"{"Statement":[
            {"Condition":{"StringNotEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}},"Resource":["*"],"Action":["s3:*"],
             "Principal":{"AWS":["*","arn:aws:iam::111122223333:root"]},"Effect":"Deny","Sid":"B"},
            {"Sid":"A","Effect":"Allow","Principal":"*","Action":["s3:ListBucket","s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}],
            "Version":"2012-10-17"}"#;
        assert_eq!(n(plan), n(source));
        let edited = source.replace("arn:aws:s3:::b/*", "arn:aws:s3:::c/*");
        assert_ne!(n(plan), n(&edited));
        let one_statement = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#;
        let listed = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}"#;
        assert_eq!(n(one_statement), n(listed));
        // Outside a policy, a list of objects keeps its order.
        assert_ne!(n(r#"[{"a":1},{"b":2}]"#), n(r#"[{"b":2},{"a":1}]"#));
    }

    fn cfg(resources: &[&str], calls: &[(&str, &str)]) -> PlanConfig {
        PlanConfig {
            resources: resources.iter().map(|s| s.to_string()).collect(),
            calls: calls
                .iter()
                .map(|(n, s)| (n.to_string(), Some(s.to_string())))
                .collect(),
            variables: BTreeMap::new(),
        }
    }

    #[test]
    fn a_source_must_declare_the_plans_resources_and_calls() {
        let plan = cfg(
            &["aws_vpc.main"],
            &[("vpc", "terraform-aws-modules/vpc/aws")],
        );
        assert_eq!(compare(&plan, &plan), Ok(vec![]));
        let more = cfg(
            &["aws_vpc.main", "aws_subnet.a"],
            &[("vpc", "terraform-aws-modules/vpc/aws")],
        );
        assert_eq!(compare(&plan, &more), Ok(vec!["aws_subnet.a".to_string()]));
        let other_source = cfg(&["aws_vpc.main"], &[("vpc", "./vpc")]);
        assert_eq!(
            compare(&plan, &other_source),
            Err("`module.vpc with source terraform-aws-modules/vpc/aws`".to_string())
        );
        assert_eq!(
            compare(&plan, &cfg(&[], &[])),
            Err("`aws_vpc.main`, `module.vpc`".to_string())
        );
    }

    /// A source parsed ahead (while the plan is read) gives the same notes, locations and
    /// values as one parsed when it is needed; a directory that is not the plan's source too.
    #[test]
    fn a_prefetched_source_reads_the_same() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/plan-source");
        let opts = crate::input::ReadOptions::default();
        let read = |plan: &str, source: &str, prefetch: bool| {
            let plan = base.join(plan).join("plan.json");
            let mut m = crate::input::read_one(plan.to_str().unwrap(), &opts).unwrap();
            let choice = SourceChoice::Dir(base.join(source));
            let prefetched = if prefetch {
                let dir = first_candidate(Some(&plan), &choice).unwrap();
                Some(crate::hcl::Prefetch::start(&dir).expect("a directory with .tf files"))
            } else {
                None
            };
            let (used, later) = attach(
                &mut m,
                Some(&plan),
                &[],
                &choice,
                Release::Background,
                prefetched,
            )
            .unwrap();
            if let Some(d) = later {
                d.finish(&mut m, 0);
            }
            let placed: Vec<String> = m
                .resources
                .iter()
                .map(|r| {
                    format!(
                        "{} {:?} {:?} {:?}",
                        r.address,
                        r.source.as_ref().map(|s| (&s.location, &s.attr_locations)),
                        r.source.as_ref().map(|s| &s.attr_syntax),
                        r.values
                    )
                })
                .collect();
            (used, m.inputs[0].notes.clone(), placed)
        };
        for (plan, source) in [
            ("matching", "matching"),
            ("module", "module"),
            ("edited", "edited"),
            ("matching", "mismatch"),
        ] {
            let ahead = read(plan, source, true);
            let when_needed = read(plan, source, false);
            assert!(!ahead.1.is_empty(), "{plan} with {source}: no note");
            assert_eq!(ahead, when_needed, "{plan} with {source}");
        }
        // Where the plan's own directory is taken, it is the first candidate.
        let plan = base.join("matching/plan.json");
        assert_eq!(
            first_candidate(Some(&plan), &SourceChoice::Auto),
            Some(base.join("matching"))
        );
        assert_eq!(first_candidate(None, &SourceChoice::Auto), Some(".".into()));
        assert_eq!(first_candidate(Some(&plan), &SourceChoice::Off), None);
    }

    /// The parse done ahead is the one used: once it is done, the files are not read again.
    #[test]
    fn a_prefetched_source_is_not_read_again() {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/plan-source/matching");
        let opts = crate::input::ReadOptions::default();
        let run = |prefetch: bool| {
            let dir = std::env::temp_dir().join(format!(
                "pullpath-prefetch-{}-{prefetch}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            for e in std::fs::read_dir(&from).unwrap() {
                let e = e.unwrap();
                std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
            }
            let plan = dir.join("plan.json");
            let mut m = crate::input::read_one(plan.to_str().unwrap(), &opts).unwrap();
            let prefetched = prefetch.then(|| crate::hcl::Prefetch::start(&dir).unwrap());
            let start = std::time::Instant::now();
            while prefetched.as_ref().is_some_and(|p| !p.is_finished())
                && start.elapsed().as_secs() < 60
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            // Every file that declares resources is gone; `variables.tf` stays.
            for name in [
                "main.tf",
                "network.tf",
                "endpoints.tf",
                "security.tf",
                "iam.tf",
            ] {
                std::fs::remove_file(dir.join(name)).unwrap();
            }
            let used = attach(
                &mut m,
                Some(&plan),
                &[],
                &SourceChoice::Auto,
                Release::Background,
                prefetched,
            );
            // (A comparison begun beside is not waited for: only where the source was found
            // and read from matters here.)
            let used = used.unwrap().0;
            let _ = std::fs::remove_dir_all(&dir);
            (used == Some(dir), m)
        };
        let (used, m) = run(true);
        let notes = m.inputs[0].notes.join("\n");
        assert!(used, "{notes}");
        assert!(
            notes.contains("resource(s) of the plan located in its .tf files"),
            "{notes}"
        );
        assert!(m.resources.iter().all(|r| r.source.is_some()), "{notes}");
        // Read when needed, the directory no longer declares the plan's resources.
        let (used, m) = run(false);
        assert!(!used, "{:?}", m.inputs[0].notes);
    }

    #[test]
    fn a_plan_that_declares_nothing_matches_no_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/plan-source/matching");
        let e = crate::hcl::with_reader(Release::Background, None, |r| {
            try_dir(r, &dir, Some(&cfg(&[], &[])))
        })
        .unwrap()
        .err()
        .unwrap();
        assert_eq!(
            e,
            "the plan's configuration declares no resource or module call to compare it with"
        );
    }
}
