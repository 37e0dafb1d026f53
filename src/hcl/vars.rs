//! Values for the root module's input variables, from the places Terraform reads them, in its
//! order of precedence (later wins): `TF_VAR_name` environment variables, `terraform.tfvars`,
//! `terraform.tfvars.json`, `*.auto.tfvars` / `*.auto.tfvars.json` (in lexical order), then
//! `--var-file` files and `--var` options. (Terraform applies `-var` and `-var-file` in their
//! command-line order; pullpath receives them apart, so files come first, then single values.)

use std::collections::HashMap;
use std::path::Path;

use anyhow::{anyhow, bail, Result};
use hcl::edit::expr::Expression;
use hcl::edit::structure::Structure;
use hcl::edit::Span;

use super::paths::join_display;
use super::source::{check_config_entry, read_text, shown_name};
use super::HclOptions;
use crate::model::{Location, Value};

/// A value given for a root variable, not yet evaluated.
#[derive(Clone, Debug)]
pub(crate) enum RawVar {
    /// From a JSON variables file.
    Value(Value),
    /// From an HCL variables file (`.tfvars`): a constant expression, and where it is written.
    Expr { expr: Expression, loc: Location },
    /// From `--var NAME=VALUE` or `TF_VAR_NAME`: text, parsed according to the variable's type.
    Text { text: String, source: String },
}

/// Where a value came from, for the "undeclared variable" note.
#[derive(Clone, Debug)]
pub(crate) struct Given {
    pub value: RawVar,
    pub source: String,
    /// From the environment: Terraform ignores values for undeclared variables there silently.
    pub from_env: bool,
}

/// Where the values of [`HclOptions::plan_variables`] come from, as notes say.
const PLAN_VARIABLES: &str = "the plan's variables";

/// Collects the given values for the root module in `dir`.
pub(crate) fn collect(dir: &str, opts: &HclOptions) -> Result<HashMap<String, Given>> {
    let mut out: HashMap<String, Given> = HashMap::new();
    let env: Vec<(String, String)> = match &opts.env {
        Some(e) => e.clone(),
        None => std::env::vars().collect(),
    };
    for (k, v) in env {
        if let Some(name) = k.strip_prefix("TF_VAR_") {
            if name.is_empty() {
                continue;
            }
            let source = format!("environment variable {k}");
            out.insert(
                name.to_string(),
                Given {
                    value: RawVar::Text {
                        text: v,
                        source: source.clone(),
                    },
                    source,
                    from_env: true,
                },
            );
        }
    }
    // The files Terraform loads by itself: `terraform.tfvars(.json)`, then `*.auto.tfvars(.json)`
    // by name. Like configuration files, each is read whatever its name's encoding, and one
    // that must not be read (a named pipe, a link out of the configuration) is an error.
    let mut auto: Vec<(String, std::path::PathBuf)> = Vec::new();
    for fixed in ["terraform.tfvars", "terraform.tfvars.json"] {
        let path = Path::new(dir).join(fixed);
        if std::fs::symlink_metadata(&path).is_ok() {
            auto.push((join_display(dir, fixed), path));
        }
    }
    let mut names: Vec<(String, std::path::PathBuf)> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| {
                let e = e.ok()?;
                let name = shown_name(&e.file_name());
                (name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json"))
                    .then(|| (join_display(dir, &name), e.path()))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    auto.extend(names);
    for (shown, path) in auto {
        check_config_entry(&path, &shown)?;
        read_file(&shown, &path, &mut out)?;
    }
    for f in &opts.var_files {
        let shown = f.to_string_lossy().replace('\\', "/");
        if !f.is_file() {
            bail!("--var-file {shown}: no such file");
        }
        read_file(&shown, f, &mut out)?;
    }
    for (k, v) in &opts.plan_variables {
        out.insert(
            k.clone(),
            Given {
                value: RawVar::Value(Value::from(v)),
                source: PLAN_VARIABLES.to_string(),
                from_env: false,
            },
        );
    }
    for v in &opts.vars {
        let (name, value) = v
            .split_once('=')
            .ok_or_else(|| anyhow!("--var {v:?}: expected NAME=VALUE"))?;
        let name = name.trim();
        if name.is_empty() {
            bail!("--var {v:?}: the variable name is empty");
        }
        let source = format!("--var {name}");
        out.insert(
            name.to_string(),
            Given {
                value: RawVar::Text {
                    text: value.to_string(),
                    source: source.clone(),
                },
                source,
                from_env: false,
            },
        );
    }
    Ok(out)
}

/// Reads a `.tfvars` (HCL) or `.tfvars.json` file.
fn read_file(shown: &str, path: &Path, out: &mut HashMap<String, Given>) -> Result<()> {
    let text = read_text(path, shown)?;
    if shown.ends_with(".json") {
        let j: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| anyhow!("{shown}:{}:{}: invalid JSON: {e}", e.line(), e.column()))?;
        let serde_json::Value::Object(m) = j else {
            bail!("{shown}:1:1: a variables file must hold an object");
        };
        for (k, v) in m {
            out.insert(
                k,
                Given {
                    value: RawVar::Value(Value::from(&v)),
                    source: shown.to_string(),
                    from_env: false,
                },
            );
        }
        return Ok(());
    }
    let body = super::syntax::parse_body(&text).map_err(|e| {
        anyhow!(
            "{shown}:{}:{}: syntax error: {}",
            e.line,
            e.column,
            e.message
        )
    })?;
    let lines = crate::model::line_index::LineIndex::new(&text);
    for s in body {
        if let Structure::Attribute(a) = s {
            let name = a.key.value().as_str().to_string();
            let (line, column) = lines.locate(&text, a.span().map_or(0, |r| r.start));
            out.insert(
                name,
                Given {
                    value: RawVar::Expr {
                        expr: a.value,
                        loc: Location {
                            file: shown.to_string(),
                            line,
                            column,
                        },
                    },
                    source: shown.to_string(),
                    from_env: false,
                },
            );
        }
    }
    Ok(())
}
