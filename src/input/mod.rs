//! Input readers: decide what each input is (by content, never by name) and read it into the
//! [`Model`]. One unreadable input is reported and the others are still read.

pub mod binary;
pub mod decode;
mod mapped;
mod overlay;
pub mod plan;
mod skim;
/// For the fuzz target `fuzz/fuzz_targets/skim_agree.rs` only: both paths of the top-level
/// parse, and the fast reader of `configuration` (not an API).
#[doc(hidden)]
pub use skim::{fuzz_both_paths, fuzz_configuration};
pub mod source;
pub mod tfjson;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use self::mapped::Pages;
use crate::hcl::{self, HclOptions};
use crate::model::{InputKind, Model};

/// The default of `--max-input-size`: far above any real plan (the 10,000-VPC benchmark plan is
/// 335 MB), and far below what would exhaust a CI runner's memory.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 1 << 30;

/// What the readers need from the command line.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// `--terraform-bin`: the program that converts binary plan files.
    pub terraform_bin: Option<PathBuf>,
    /// `--recursive`: every root module below a directory input.
    pub recursive: bool,
    /// `--var NAME=VALUE` (HCL inputs), as typed.
    pub vars: Vec<String>,
    /// `--var-file FILE` (HCL inputs).
    pub var_files: Vec<PathBuf>,
    /// `--region`: HCL data sources (`aws_region`, `aws_partition`, `aws_vpc_endpoint_service`)
    /// assume it where the configuration sets no provider region.
    pub region: Option<String>,
    /// `--max-input-size`: the largest plan, state, standard input or `show -json` output read.
    pub max_input_bytes: u64,
    /// `--source DIR` / `--no-source`: the configuration a plan input was made from.
    pub source: source::SourceChoice,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            terraform_bin: None,
            recursive: false,
            vars: Vec::new(),
            var_files: Vec::new(),
            region: None,
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
            source: source::SourceChoice::Auto,
        }
    }
}

impl ReadOptions {
    fn hcl(&self) -> HclOptions {
        HclOptions {
            vars: self.vars.clone(),
            var_files: self.var_files.clone(),
            plan_variables: Default::default(),
            env: None,
            region: self.region.clone(),
            only_read_attributes: false,
        }
    }
}

/// One thing to read, after grouping the inputs.
enum Unit {
    /// A plan, a state, a binary plan file, or `-`.
    File(String),
    /// A root module directory (given, or the directory of `.tf` files given).
    Module(String),
    /// `--recursive`: every root module below this directory.
    Below(String),
}

/// Groups the inputs: `.tf`/`.tofu`/`.tfvars` files by their directory (as a pre-commit hook
/// passes them), each directory once, in the order first named.
fn units(inputs: &[String], opts: &ReadOptions) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut seen_dirs: HashSet<String> = HashSet::new();
    for input in inputs {
        if input == "-" {
            out.push(Unit::File(input.clone()));
            continue;
        }
        let path = Path::new(input);
        if path.is_dir() {
            let shown = display_path(input);
            if seen_dirs.insert(shown.clone()) {
                out.push(if opts.recursive {
                    Unit::Below(input.clone())
                } else {
                    Unit::Module(input.clone())
                });
            }
            continue;
        }
        if is_terraform_file(input) {
            let shown = display_path(input);
            if shown.contains("/.terraform/") || shown.starts_with(".terraform/") {
                continue;
            }
            let dir = match shown.rsplit_once('/') {
                Some(("", _)) => "/".to_string(),
                Some((d, _)) => d.to_string(),
                None => ".".to_string(),
            };
            if seen_dirs.insert(dir.clone()) {
                out.push(Unit::Module(dir));
            }
            continue;
        }
        out.push(Unit::File(input.clone()));
    }
    out
}

/// Configuration and variable files, by name (plans and states are told apart by content).
pub(crate) fn is_terraform_file(name: &str) -> bool {
    [
        ".tf",
        ".tofu",
        ".tf.json",
        ".tofu.json",
        ".tfvars",
        ".tfvars.json",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
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
    let (mut model, errors, unsettled) = read_all_unsettled(inputs, opts);
    unsettled.settle(&mut model);
    (model, errors)
}

/// What [`read_all_unsettled`] leaves to be finished: the comparison of plans with their
/// sources, which runs on threads of its own meanwhile (see `source::attach`). Until it is
/// settled, those plans' inputs lack the note it may write; nothing else in the model waits
/// for it.
#[must_use = "a plan's comparison with its source writes its note when settled"]
pub struct Unsettled(Vec<(usize, source::Deferred)>);

impl Unsettled {
    /// Waits for every comparison and writes its note in its place.
    pub fn settle(self, model: &mut Model) {
        for (input, d) in self.0 {
            d.finish(model, input);
        }
    }
}

/// As [`read_all`], with the comparison of plans with their sources left running: the caller
/// builds the graph and checks the rules meanwhile, then settles it before reporting.
pub fn read_all_unsettled(
    inputs: &[String],
    opts: &ReadOptions,
) -> (Model, Vec<InputError>, Unsettled) {
    let mut unsettled = Vec::new();
    let mut model = Model::default();
    let mut errors = Vec::new();
    let mut priors: Vec<Model> = Vec::new();
    let mut any_plan = false;
    let mut all_have_prior = true;
    let mut loaded: Vec<(String, Result<Model>, Option<source::Deferred>)> = Vec::new();
    let units = units(inputs, opts);
    let (mut files, skip) = read_plans_with_sources(&units, opts);
    for (i, unit) in units.into_iter().enumerate() {
        match unit {
            Unit::File(input) => {
                let (r, later) = files
                    .remove(&i)
                    .unwrap_or_else(|| (read_one(&input, opts), None));
                loaded.push((input, r, later));
            }
            Unit::Module(input) => {
                if skip.contains(&i) {
                    continue;
                }
                let r = read_one(&input, opts);
                loaded.push((input, r, None));
            }
            Unit::Below(dir) => match hcl::load_recursive(Path::new(&dir), &opts.hcl()) {
                Ok(roots) => loaded.extend(roots.into_iter().map(|(d, r)| (d, r, None))),
                Err(e) => loaded.push((dir, Err(e), None)),
            },
        }
    }
    for (input, result, later) in loaded {
        // The plan's input is the first of its model, merged after those before it.
        if let (Ok(_), Some(d)) = (&result, later) {
            unsettled.push((model.inputs.len(), d));
        }
        match result {
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
                path: display_path(&input),
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
    crate::roots::name(&mut model);
    crate::roots::join(&mut model, opts.region.as_deref());
    (model, errors, Unsettled(unsettled))
}

/// A file input read, and its comparison with its source when that runs on (see
/// [`Unsettled`]).
type ReadFile = (Result<Model>, Option<source::Deferred>);

/// Reads the file inputs (plans among them) and finds each plan's source (see [`source`]):
/// the results by unit index, and the directory units that are the source of a plan, which are
/// read as that, not as inputs of their own (the plan's VPCs would be counted twice).
fn read_plans_with_sources(
    units: &[Unit],
    opts: &ReadOptions,
) -> (HashMap<usize, ReadFile>, HashSet<usize>) {
    let dirs: Vec<(usize, String)> = units
        .iter()
        .enumerate()
        .filter_map(|(i, u)| match u {
            Unit::Module(d) => Some((i, d.clone())),
            _ => None,
        })
        .collect();
    let dir_names: Vec<String> = dirs.iter().map(|(_, d)| d.clone()).collect();
    let mut files = HashMap::new();
    let mut skip = HashSet::new();
    let mut first = true;
    for (i, u) in units.iter().enumerate() {
        let Unit::File(input) = u else { continue };
        let path = (input != "-").then(|| Path::new(input.as_str()));
        // The directory most likely to be the plan's source is parsed while the plan is read.
        let prefetched = source::first_candidate(path, &opts.source)
            .and_then(|d| crate::hcl::Prefetch::start(&d));
        let mut r = read_one(input, opts);
        let mut later = None;
        crate::timings::mark("plan loaded");
        if let Ok(m) = &mut r {
            // What the first plan's source leaves may be kept until the process ends; the
            // others' is freed as the run goes on (a run over many plans does not hold them all).
            let is_plan = m.inputs.first().map(|i| i.kind) == Some(InputKind::Plan);
            let release = crate::parallel::Release::first(first && is_plan);
            first &= !is_plan;
            match source::attach(m, path, &dir_names, &opts.source, release, prefetched) {
                Ok((Some(used), d)) => {
                    later = d;
                    for (k, d) in &dirs {
                        if source::same_dir(&used, Path::new(d)) && skip.insert(*k) {
                            m.inputs[0].notes.push(format!(
                                "{}: read as the configuration of {}, not as an input of its own",
                                display_path(d),
                                display_path(input)
                            ));
                        }
                    }
                }
                Ok((None, _)) => {}
                Err(e) => r = Err(e),
            }
        }
        crate::timings::mark("source attached");
        files.insert(i, (r, later));
    }
    (files, skip)
}

/// Reads one input: `-`, a JSON file, a binary plan file, a root module directory.
pub fn read_one(input: &str, opts: &ReadOptions) -> Result<Model> {
    let shown = display_path(input);
    if input == "-" {
        let bytes = read_bounded(std::io::stdin().lock(), opts.max_input_bytes)
            .context("reading standard input")?;
        return load_bytes(bytes, &shown, None, opts).with_context(|| "standard input".to_string());
    }
    let path = Path::new(input);
    let meta = std::fs::metadata(path).with_context(|| format!("{shown}: cannot read"))?;
    if meta.is_dir() {
        if !hcl::has_config_files(path).with_context(|| format!("{shown}: cannot read"))? {
            let none = format!(
                "{shown}: no Terraform configuration files (*.tf, *.tf.json, *.tofu) in this \
                 directory"
            );
            // --recursive is suggested only where it would find something.
            match config_dir_below(path) {
                Some(below) => anyhow::bail!(
                    "{none}; a directory below it has some ({below}): to read every root module \
                     below it, add --recursive"
                ),
                None => anyhow::bail!("{none}"),
            }
        }
        return hcl::load_root_module(path, &opts.hcl());
    }
    let file = std::fs::File::open(path).with_context(|| format!("{shown}: cannot read"))?;
    // A large regular file is mapped, not copied (see `mapped`); one over the limit is read
    // below, which stops at the limit and says so.
    if meta.is_file() && (mapped::MAP_AT_LEAST..=opts.max_input_bytes).contains(&meta.len()) {
        if let Ok(map) = mapped::map(&file) {
            if map.len() as u64 <= opts.max_input_bytes {
                crate::timings::mark("file mapped");
                return load_text(
                    Cow::Borrowed(&map[..]),
                    &shown,
                    Some(path),
                    opts,
                    Pages::of(&map),
                )
                .with_context(|| shown.clone());
            }
        }
    }
    let bytes = read_bounded_sized(file, opts.max_input_bytes, meta.len())
        .with_context(|| format!("{shown}: cannot read"))?;
    crate::timings::mark("file read");
    load_bytes(bytes, &shown, Some(path), opts).with_context(|| shown.clone())
}

/// The first directory below `dir` that holds configuration files (relative to `dir`, `/`
/// separators), in the order `--recursive` walks: names sorted, links not followed, hidden
/// directories (`.terraform`, `.git`) not entered. `None` when there is none.
fn config_dir_below(dir: &Path) -> Option<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !(e.file_type().is_dir() && e.file_name().as_encoded_bytes().starts_with(b"."))
        })
        .filter_map(Result::ok)
        .find(|e| {
            e.depth() >= 2
                && !e.file_type().is_dir()
                && hcl::source::is_config_name(&hcl::source::shown_name(e.file_name()))
        })
        .and_then(|e| {
            let parent = e.path().parent()?.strip_prefix(dir).ok()?;
            Some(parent.to_string_lossy().replace('\\', "/"))
        })
}

/// Reads at most `limit` bytes; more is an error that names the limit and how to raise it. The
/// size is counted while reading, not taken from the metadata, which says 0 for devices and
/// pipes (`/dev/zero` would otherwise grow without end).
pub fn read_bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>> {
    read_bounded_sized(reader, limit, 0)
}

/// As [`read_bounded`], into a buffer of `size_hint` bytes (a file's size from its metadata;
/// one more, so that the end is found without growing it): a plan is read without being moved
/// and its pages taken twice as the buffer doubles. The hint is only a hint (a file may grow
/// or shrink while it is read, a device says 0).
pub fn read_bounded_sized(reader: impl Read, limit: u64, size_hint: u64) -> Result<Vec<u8>> {
    let capacity = usize::try_from(size_hint.min(limit).saturating_add(1)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        anyhow::bail!(
            "the input is larger than {} (--max-input-size, $PULLPATH_MAX_INPUT_SIZE); raise the \
             limit if this really is a plan or state",
            show_size(limit)
        );
    }
    Ok(bytes)
}

/// A byte count as the user would write it for `--max-input-size`.
pub fn show_size(bytes: u64) -> String {
    for (shift, unit) in [(30, "G"), (20, "M"), (10, "K")] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{}{unit} ({bytes} bytes)", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

/// Reads the bytes of an input; `path` is the file they came from (`None` for standard input).
pub fn load_bytes(
    bytes: Vec<u8>,
    shown: &str,
    path: Option<&Path>,
    opts: &ReadOptions,
) -> Result<Model> {
    load_text(Cow::Owned(bytes), shown, path, opts, Pages::NONE)
}

/// As [`load_bytes`], for bytes owned or mapped; `pages` gives back those of a mapped file
/// as they are read.
fn load_text(
    bytes: Cow<'_, [u8]>,
    shown: &str,
    path: Option<&Path>,
    opts: &ReadOptions,
    pages: Pages<'_>,
) -> Result<Model> {
    if binary::is_zip(&bytes) {
        let Some(path) = path else {
            anyhow::bail!(
                "a binary plan file on standard input; terraform can only read it from a file: \
                 save it and give its path, or pipe `terraform show -json FILE` instead"
            );
        };
        let json = binary::show_json(path, opts.terraform_bin.as_deref(), opts.max_input_bytes)?;
        let decoded = decode::decode(json).context("the output of `show -json`")?;
        let mut notes = decoded.notes;
        notes.push("converted from a binary plan file with `show -json`".to_string());
        return plan::load(&decoded.text, shown, notes);
    }
    let decoded = decode::decode(bytes)?;
    crate::timings::mark("text decoded (UTF-8 checked)");
    // Text decoded from UTF-16 is a copy: its pages are not the file's.
    let pages = match decoded.text {
        Cow::Borrowed(_) => pages,
        Cow::Owned(_) => Pages::NONE,
    };
    plan::load_with(&decoded.text, shown, decoded.notes, pages)
}

/// A path as shown in messages and reports: as given, with `/` separators. Only on Windows is
/// a backslash a separator; elsewhere it is part of a name (`x\\y` is one file, not `x/y`).
pub fn display_path(input: &str) -> String {
    if input == "-" {
        return "-".to_string();
    }
    if cfg!(windows) {
        input.replace('\\', "/")
    } else {
        input.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_hints_do_not_change_what_is_read() {
        let data = b"{\"format_version\":\"1.2\"}".to_vec();
        for hint in [0, 1, 10, data.len() as u64, data.len() as u64 + 1, 1 << 40] {
            let bytes = read_bounded_sized(&data[..], 1 << 20, hint).unwrap();
            assert_eq!(bytes, data, "hint {hint}");
            let e = read_bounded_sized(&data[..], 10, hint).unwrap_err();
            assert!(e.to_string().contains("larger than 10 bytes"), "{e}");
        }
    }
}
