//! Input readers: decide what each input is (by content, never by name) and read it into the
//! [`Model`]. One unreadable input is reported and the others are still read.

pub mod binary;
pub mod decode;
mod overlay;
pub mod plan;
pub mod tfjson;

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::model::{InputKind, Model};

/// What the readers need from the command line.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// `--terraform-bin`: the program that converts binary plan files.
    pub terraform_bin: Option<PathBuf>,
    pub recursive: bool,
}

/// An input that could not be read, with the whole error chain.
#[derive(Debug)]
pub struct InputError {
    pub path: String,
    pub error: anyhow::Error,
}

/// Reads every input into one model. Inputs that fail are returned as errors; the rest are
/// merged (a network stack's state and a services plan join by id).
pub fn read_all(inputs: &[String], opts: &ReadOptions) -> (Model, Vec<InputError>) {
    let mut model = Model::default();
    let mut errors = Vec::new();
    let mut priors: Vec<Model> = Vec::new();
    let mut any_plan = false;
    let mut all_have_prior = true;
    for input in inputs {
        match read_one(input, opts) {
            Ok(mut m) => {
                match m.inputs.first().map(|i| i.kind) {
                    Some(InputKind::Plan) => {
                        any_plan = true;
                        priors.push(m.prior.take().map(|p| *p).unwrap_or_default());
                    }
                    Some(InputKind::State | InputKind::RawState) => {
                        let mut same = m.clone();
                        same.prior = None;
                        priors.push(same);
                    }
                    _ => all_have_prior = false,
                }
                model.merge(m);
            }
            Err(error) => errors.push(InputError {
                path: display_path(input),
                error,
            }),
        }
    }
    if any_plan && all_have_prior {
        let mut prior = Model::default();
        for p in priors {
            prior.merge(p);
        }
        model.prior = Some(Box::new(prior));
    }
    (model, errors)
}

/// Reads one input: `-`, a JSON file, a binary plan file.
pub fn read_one(input: &str, opts: &ReadOptions) -> Result<Model> {
    let shown = display_path(input);
    if input == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        return load_bytes(bytes, &shown, opts).with_context(|| "standard input".to_string());
    }
    let path = Path::new(input);
    let meta = std::fs::metadata(path).with_context(|| format!("{shown}: cannot read"))?;
    if meta.is_dir() {
        anyhow::bail!(
            "{shown}: is a directory; reading Terraform configurations (HCL) is not implemented yet: \
             give a plan instead (`terraform show -json plan.tfplan > plan.json`)"
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("{shown}: cannot read"))?;
    load_bytes(bytes, &shown, opts).with_context(|| shown.clone())
}

/// Reads the bytes of an input file.
pub fn load_bytes(bytes: Vec<u8>, shown: &str, opts: &ReadOptions) -> Result<Model> {
    if binary::is_zip(&bytes) {
        let json = binary::show_json(Path::new(shown), opts.terraform_bin.as_deref())?;
        let decoded = decode::decode(json).context("the output of `show -json`")?;
        let mut notes = decoded.notes;
        notes.push("converted from a binary plan file with `show -json`".to_string());
        return plan::load(&decoded.text, shown, notes);
    }
    let decoded = decode::decode(bytes)?;
    plan::load(&decoded.text, shown, decoded.notes)
}

/// A path as shown in messages and reports: as given, with `/` separators.
pub fn display_path(input: &str) -> String {
    if input == "-" {
        return "-".to_string();
    }
    input.replace('\\', "/")
}
