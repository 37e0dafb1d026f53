//! Reads one module directory into its configuration: which files count ([`files`]), reading
//! them ([`read`]), parsing them (HCL native syntax in [`native`], Terraform's JSON syntax in
//! [`crate::hcl::json`]), the checks of top-level blocks ([`top_level`]), inline suppressions
//! ([`suppressions`]), override files ([`overrides`]), and picking the module's declarations
//! out of the blocks ([`declarations`]).

mod declarations;
mod files;
mod native;
mod overrides;
mod read;
mod suppressions;
mod top_level;

use std::path::Path;

use anyhow::{bail, Result};

use super::config::{Block, ModuleConfig};
use super::json;
use super::paths::join_display;

pub(crate) use self::declarations::{build_config, literal_string};
pub(crate) use self::files::{
    check_config_entry, is_config_name, list_files, shown_name, DirFiles,
};
pub(crate) use self::native::parse_hcl_file;
pub(crate) use self::read::{decode_text, read_bounded, read_text};
pub(crate) use self::top_level::{
    block_type_list, check_top_level, did_you_mean, is_identifier, BLOCK_TYPES,
};

/// Parses and merges every file of a module directory into its configuration.
pub(crate) fn load_module_dir(dir: &str) -> Result<ModuleConfig> {
    let files = list_files(Path::new(dir), dir)?;
    if files.is_empty() {
        bail!(
            "{dir}: no Terraform configuration files (*.tf, *.tf.json, *.tofu) in this directory"
        );
    }
    let mut blocks = Vec::new();
    for parsed in parse_files(dir, &files.base, &files) {
        blocks.extend(parsed?);
    }
    let mut notes = Vec::new();
    for name in &files.overrides {
        for ov in parse_file(dir, name, &files)? {
            overrides::apply_override(&mut blocks, ov, &mut notes);
        }
    }
    let mut cfg = build_config(dir, blocks)?;
    cfg.notes.extend(notes);
    Ok(cfg)
}

/// From this many files on, a directory's files are parsed on all cores (below it, starting
/// threads costs more than it saves: `--recursive` reads thousands of small root modules).
const PARALLEL_FILES: usize = 32;

/// Parses `names` (files of `dir`), results in their order: the first error in that order is
/// the one reported, as when they are parsed one after the other. Large directories (a flat
/// root module of a thousand files) are parsed on several threads, each with the reader's
/// stack.
fn parse_files(dir: &str, names: &[String], files: &DirFiles) -> Vec<Result<Vec<Block>>> {
    crate::hcl::in_chunks(names.to_vec(), PARALLEL_FILES, &|part| {
        part.iter().map(|n| parse_file(dir, n, files)).collect()
    })
}

fn parse_file(dir: &str, name: &str, files: &DirFiles) -> Result<Vec<Block>> {
    let shown = join_display(dir, name);
    // Read by the name on disk: a backslash or a byte that is not UTF-8 is part of it.
    let src = match files.raw_names.get(name) {
        Some(raw) => read_text(&Path::new(dir).join(raw), &shown)?,
        None => read_text(&Path::new(dir).join(name), &shown)?,
    };
    let blocks = if name.ends_with(".json") {
        json::parse_json_file(&src, &shown)?
    } else {
        parse_hcl_file(&src, &shown)?
    };
    for b in &blocks {
        check_top_level(b)?;
    }
    Ok(blocks)
}
