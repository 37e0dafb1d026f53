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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::hcl::config::ModuleConfig;
use crate::hcl::instance::ChildSource;
use crate::model::{InlineSuppression, InputKind, Location, Model};

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
}

/// A resource block of the source: where it is, its attributes, its inline suppressions.
#[derive(Clone, Debug)]
struct BlockInfo {
    loc: Location,
    attrs: Vec<(String, Location)>,
    suppressions: Vec<InlineSuppression>,
}

/// The declarations of a root module and of every module it calls (parsed, not evaluated).
#[derive(Debug, Default)]
pub struct Declarations {
    root: PlanConfig,
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
                    attrs: r.member_locations(),
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
/// An error only for `--source DIR` that cannot be read.
pub fn attach(
    model: &mut Model,
    plan_path: Option<&Path>,
    dirs: &[String],
    choice: &SourceChoice,
) -> Result<Option<PathBuf>> {
    let Some(info) = model.inputs.first() else {
        return Ok(None);
    };
    if info.kind != InputKind::Plan {
        return Ok(None);
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
            match try_dir(dir, plan_config.as_deref()) {
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
            let plan_dir = match plan_path.and_then(Path::parent) {
                Some(p) if p.as_os_str().is_empty() => PathBuf::from("."),
                Some(p) => p.to_path_buf(),
                None => PathBuf::from("."),
            };
            let mut candidates: Vec<PathBuf> = vec![plan_dir];
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
                match try_dir(&c, plan_config.as_deref()) {
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
        return Ok(None);
    };
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
                r.location = Some(b.loc.clone());
                r.attr_locations = b.attrs.clone();
                r.suppressions = b.suppressions.clone();
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
    model.inputs[0].notes.extend(notes);
    Ok(Some(dir))
}

/// Parses `dir` and compares it with the plan's configuration.
fn try_dir(dir: &Path, plan: Option<&PlanConfig>) -> Result<(Declarations, Vec<String>), String> {
    let Some(plan) = plan else {
        return Err("the plan has no `configuration` section to compare it with".into());
    };
    let decl = crate::hcl::declarations(dir).map_err(|e| format!("it cannot be read ({e:#})"))?;
    let extra =
        compare(plan, &decl.root).map_err(|lacks| format!("it does not declare {lacks}"))?;
    Ok((decl, extra))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(resources: &[&str], calls: &[(&str, &str)]) -> PlanConfig {
        PlanConfig {
            resources: resources.iter().map(|s| s.to_string()).collect(),
            calls: calls
                .iter()
                .map(|(n, s)| (n.to_string(), Some(s.to_string())))
                .collect(),
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
}
